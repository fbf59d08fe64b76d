"""``briefing serve ssh``: the command line of the SSH server (``briefing.serve``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from briefing.serve.settings import SETTINGS, SettingsError, default_settings_path, read_settings_file, resolve

EPILOG = """\
Every setting is also a key of the settings file (default: serve.toml in the
config directory), spelt as its flag without the dashes: max-sessions = 20.
SIGHUP reads the file and the keys again; SIGTERM ends the sessions after
--shutdown-grace. Times are seconds, or 90s, 15m, 8h. See docs/serve.md.
"""


def add_serve_command(commands: Any) -> None:
    from briefing.serve import SERVE_HELP

    serve = commands.add_parser("serve", help=SERVE_HELP)
    protocols = serve.add_subparsers(dest="protocol", metavar="PROTOCOL", required=True)
    ssh = protocols.add_parser(
        "ssh",
        help="an SSH server showing the library: `ssh -p 2222 HOST`",
        description="Serve the library over SSH: public keys only, each session its own reader process.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ssh.add_argument("--config", metavar="FILE", help="the settings file (default: serve.toml in the config directory)")
    for setting in SETTINGS:
        if setting.is_switch:
            ssh.add_argument(setting.flag, dest=setting.name, action="store_const", const=True, help=setting.described)
        else:
            ssh.add_argument(
                setting.flag,
                dest=setting.name,
                type=_flag(setting.parse),
                metavar=setting.metavar,
                help=setting.described,
            )
    ssh.set_defaults(run=run_serve_ssh)


def _flag(parse: Any) -> Any:
    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = parse.__name__.strip("_")
    return convert


def run_serve_ssh(options: argparse.Namespace) -> int:
    import asyncio

    from briefing.serve.events import EventLog
    from briefing.serve.keys import HostKeyError
    from briefing.serve.server import BriefingServer, ServeError, serve
    from briefing.storage.settings import library_root

    flag_values = {setting.name: getattr(options, setting.name) for setting in SETTINGS}
    flag_values = {name: value for name, value in flag_values.items() if value is not None}
    settings_file = Path(options.config) if options.config else default_settings_path()
    try:
        file_values = read_settings_file(settings_file, required=options.config is not None)
    except SettingsError as error:
        print(f"briefing serve: error: {error}", file=sys.stderr)
        return 2
    settings = resolve(file_values, flag_values)
    try:
        log = EventLog.open(settings.log)
    except OSError as error:
        print(f"briefing serve: error: cannot write the log {settings.log}: {error.strerror}", file=sys.stderr)
        return 2
    library = settings.library or library_root()
    server = BriefingServer(
        settings,
        settings_file=settings_file,
        file_required=options.config is not None,
        flag_values=flag_values,
        library=library,
        include_bundled=settings.library is None,
        log=log,
    )
    try:
        return asyncio.run(serve(server))
    except HostKeyError as error:
        print(f"briefing serve: error: {error}", file=sys.stderr)
        return 2
    except ServeError as error:
        print(f"briefing serve: error: {error}", file=sys.stderr)
        return 2
