"""Command line entry point: ``briefing [PATH]``, ``briefing check``, ``briefing show``.

Start-up cost matters here (``check`` runs in editors and CI, ``show`` over
slow links), so heavy modules are imported only by the command that needs
them: ``check`` never imports Rich or Textual, ``show`` never imports Textual.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from briefing import __version__

if TYPE_CHECKING:
    import argparse

COMMANDS = ("check", "show", "read", "screenshots")

# From this size (about a third of a second of parsing) the reader shows the
# headline first and parses the file in the background.
DEFER_PARSING_FROM = 1024 * 1024

DESCRIPTION = """\
Read structured news and intelligence briefings in the terminal.

  briefing [PATH]              open the reader (the bundled Sparta briefing by default)
  briefing check PATH...       validate briefing files and directories
  briefing show [PATH]         print a briefing to standard output
  briefing screenshots [DIR]   regenerate the SVG screenshots of the reader
"""


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) <= 1 and not (args and (args[0].startswith("-") or args[0] in COMMANDS)):
        # `briefing` and `briefing FILE`, the everyday starts, skip building
        # the argument parser: time to first paint matters most here.
        return read(args[0] if args else None)
    # ``briefing some.toml`` opens the reader: treat anything that is not a
    # command name as the reader's path.
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "read")
    parser = _parser()
    options = parser.parse_args(args)
    if options.command is None:
        parser.print_help()
        return 0
    return int(options.run(options))


def _parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="briefing",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    read = commands.add_parser("read", help="open the reader (the default command)")
    read.add_argument("path", nargs="?", help="briefing file (default: the bundled Sparta briefing)")
    read.set_defaults(run=_run_read)

    check = commands.add_parser(
        "check",
        help="validate briefings",
        description="Validate briefing files; directories are searched for *.toml. "
        "Exit status: 0 all valid, 1 problems found, 2 usage error.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="briefing files or directories")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    check.set_defaults(run=_run_check)

    show = commands.add_parser("show", help="print a briefing to standard output")
    show.add_argument("path", nargs="?", help="briefing file (default: the bundled Sparta briefing)")
    show.add_argument("--width", type=_width, help="line width (default: the terminal's, or 100 when piped)")
    show.set_defaults(run=_run_show)

    shots = commands.add_parser("screenshots", help="regenerate the SVG screenshots of the reader")
    shots.add_argument("directory", nargs="?", default="screenshots", help="output directory (default: screenshots)")
    shots.set_defaults(run=_run_screenshots)
    return parser


def _width(text: str) -> int:
    import argparse

    try:
        width = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 20 <= width <= 1000:
        raise argparse.ArgumentTypeError("width must be between 20 and 1000")
    return width


def _run_check(options: argparse.Namespace) -> int:
    from briefing.check import run_check

    return run_check(options.paths, output_format=options.format)


def _run_show(options: argparse.Namespace) -> int:
    from briefing.show import run_show

    return run_show(options.path, width=options.width)


def _run_read(options: argparse.Namespace) -> int:
    return read(options.path)


def read(path: str | None) -> int:
    """Open the reader on ``path`` (the bundled briefing when None)."""
    # Start-up creates a few hundred thousand objects (Textual's modules, the
    # briefing), almost none of them garbage: the collector would spend about
    # a tenth of the time to first paint looking at them for nothing. The app
    # turns it back on once its screen is built (BriefingApp._resume_garbage_collection).
    gc.disable()
    try:
        return _read(path)
    finally:
        gc.enable()


def _read(path: str | None) -> int:
    from briefing.check import report_load_failure
    from briefing.loader import LoadResult, PendingLoad, default_briefing_path, open_briefing

    opened = open_briefing(path or default_briefing_path(), cache=True, defer_from=DEFER_PARSING_FROM)
    if isinstance(opened, LoadResult):
        if not opened.ok:
            # Fail before any screen is drawn, in the same words as ``check``.
            return report_load_failure(opened)
        assert opened.briefing is not None
    from briefing.app.app import BriefingApp

    app = BriefingApp(opened if isinstance(opened, PendingLoad) else opened.briefing, path=opened.file)
    app.run()
    if app.load_failure is not None:
        return report_load_failure(app.load_failure)
    return 0


def _run_screenshots(options: argparse.Namespace) -> int:
    from briefing.app.screenshots import save_screenshots

    for path in save_screenshots(options.directory):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
