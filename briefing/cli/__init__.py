"""Command line entry point: ``briefing [PATH]``, ``briefing check``, ``briefing show``.

Start-up cost matters here (``check`` runs in editors and CI, ``show`` over
slow links), so heavy modules are imported only by the command that needs
them: ``check`` never imports Rich or Textual, ``show`` never imports Textual.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from briefing import __version__

if TYPE_CHECKING:
    import argparse

    from briefing.app.app import BriefingApp
    from briefing.format.model import Briefing

# Exit statuses besides check's 0/1/2, as a shell reports a process ended by
# the signal: 128 + its number.
EXIT_INTERRUPTED = 130  # Ctrl+C (SIGINT)
EXIT_BROKEN_PIPE = 141  # the reading end of the output closed (SIGPIPE)

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
    """Run a command; output that cannot be written and Ctrl+C end it quietly.

    ``briefing check … | head -1`` closes the pipe (141), ``> /dev/full``
    fails the write (1, with one line on standard error), Ctrl+C stops a long
    check (130): never a traceback.
    """
    try:
        status = _main(argv)
        # Written now, inside the handlers below, rather than at exit.
        sys.stdout.flush()
    except KeyboardInterrupt:
        _discard_pending_output()
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _discard_pending_output()
        return EXIT_BROKEN_PIPE
    except OSError as error:
        _discard_pending_output()
        with _suppress_os_errors():
            sys.stderr.write(f"briefing: error: cannot write the output: {error.strerror or error}\n")
            sys.stderr.flush()
        return 1
    return status


def _discard_pending_output() -> None:
    # What is still buffered would fail again at exit, with a traceback of
    # the interpreter's own: send it nowhere.
    with _suppress_os_errors():
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _suppress_os_errors() -> contextlib.suppress:
    # ValueError: standard output closed or detached.
    return contextlib.suppress(OSError, ValueError)


def _main(argv: Sequence[str] | None) -> int:
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
        "A valid briefing is also linted: warnings (an overstated status, role or note, a date more precise "
        "than its basis, a source that is not a citation, an ambiguous name) are printed but leave it valid. "
        "Exit status: 0 all valid, 1 problems found (or warnings, with --strict), 2 usage error.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="briefing files or directories")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    check.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings as errors: exit 1 when any briefing has a warning",
    )
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
    from briefing.cli.check import run_check

    return run_check(options.paths, output_format=options.format, strict=options.strict)


def _run_show(options: argparse.Namespace) -> int:
    from briefing.cli.show import run_show

    return run_show(options.path, width=options.width)


def _run_read(options: argparse.Namespace) -> int:
    return read(options.path)


def read(path: str | None) -> int:
    """Open the reader on ``path`` (the bundled briefing when None)."""
    # Start-up makes a few hundred thousand objects (Textual's modules, the
    # briefing) that live as long as the process: the collector would spend a
    # tenth of the time to the first frame looking at them for nothing. It is
    # paused until they exist, then they are frozen (gc.freeze: never looked at
    # again) and it runs as usual. Here only: this process hosts one reader,
    # and nothing in the app touches the collector.
    gc.disable()
    try:
        return _read(path)
    finally:
        gc.enable()


def _read(path: str | None) -> int:
    from briefing.cli.check import report_load_failure
    from briefing.format.reading import PendingLoad
    from briefing.storage.briefing_files import open_briefing
    from briefing.storage.paths import default_briefing_path

    opened = open_briefing(path or default_briefing_path(), cache=True, defer_from=DEFER_PARSING_FROM)
    _warn_if_cache_unusable()
    start: Briefing | PendingLoad
    if isinstance(opened, PendingLoad):
        start = opened
    elif opened.briefing is None or not opened.ok:
        # Fail before any screen is drawn, in the same words as ``check``.
        return report_load_failure(opened)
    else:
        start = opened.briefing
    from briefing.app.app import BriefingApp

    app = BriefingApp(start, path=opened.file)
    gc.freeze()
    gc.enable()
    with _exit_on_signals(app):
        app.run()
    if app.load_failure is not None:
        return report_load_failure(app.load_failure)
    return app.return_code or 0


def _warn_if_cache_unusable() -> None:
    """Say why the cache of validated briefings was not used (left on the terminal after the reader)."""
    from briefing.storage import parsed_cache  # already loaded: the reader opens through it

    reason = parsed_cache.unusable
    if reason:
        from briefing.format.safetext import one_line

        with _suppress_os_errors():
            sys.stderr.write(f"briefing: warning: cache not used: {one_line(reason)}\n")


@contextmanager
def _exit_on_signals(app: BriefingApp) -> Iterator[None]:
    """SIGTERM, SIGHUP and SIGINT close the reader as ``q`` does: the terminal is given back as it was.

    Python's default for SIGTERM and SIGHUP ends the process on the spot,
    which leaves the terminal in the alternate screen with mouse reporting on.
    """
    import asyncio
    import signal

    def close(signum: int, frame: object) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            # Not running yet (or any more): there is no screen to restore.
            raise SystemExit(128 + signum) from None
        # RuntimeError: the loop closed as the signal came.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(app.exit, None, 128 + signum)

    handled = [signal.SIGTERM, signal.SIGINT]
    if hasattr(signal, "SIGHUP"):
        handled.append(signal.SIGHUP)
    previous = {number: signal.signal(number, close) for number in handled}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _run_screenshots(options: argparse.Namespace) -> int:
    from briefing.app.screenshots import save_screenshots

    for path in save_screenshots(options.directory):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
