"""Command line entry point: ``briefing [PATH]``, ``check``, ``show``, ``search``, ``index``, ``review``.

Start-up cost matters here (``check`` runs in editors and CI, ``show`` over
slow links), so heavy modules are imported only by the command that needs
them: ``check`` never imports Rich or Textual, ``show`` never imports Textual.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from briefing import __version__

if TYPE_CHECKING:
    import argparse

    from briefing.format.model import Briefing
    from briefing.format.reading import PendingLoad

# Exit statuses besides check's 0/1/2, as a shell reports a process ended by
# the signal: 128 + its number.
EXIT_INTERRUPTED = 130  # Ctrl+C (SIGINT)
EXIT_BROKEN_PIPE = 141  # the reading end of the output closed (SIGPIPE)

COMMANDS = ("check", "show", "export", "read", "search", "index", "review", "serve", "screenshots")

# From this size (about a third of a second of parsing) the reader shows the
# headline first and parses the file in the background.
DEFER_PARSING_FROM = 1024 * 1024

DESCRIPTION = """\
Read structured news and intelligence briefings in the terminal.

  briefing [PATH]              open the reader on a briefing, or the library of a directory
                               (your library by default: the bundled briefing when it is empty)
  briefing check PATH...       validate briefing files and directories
  briefing show [PATH]         print a briefing to standard output
  briefing export [PATH] --to md|html|json|stix
                               write a briefing for outside the terminal (-o FILE, --review)
  briefing search QUERY        search the library: file:line:col: section · snippet
  briefing index rebuild       rebuild the library's search index from scratch
  briefing review export       write your flags, notes, gradings and reading as JSON or Markdown
  briefing review import FILE  merge a review export into your store
  briefing serve ssh           serve the library over SSH to people who install nothing
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
    parser = _parser(serving=args[0] == "serve", exporting=args[0] == "export")
    options = parser.parse_args(args)
    if options.command is None:
        parser.print_help()
        return 0
    return int(options.run(options))


def _parser(*, serving: bool = False, exporting: bool = False) -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="briefing",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    read = commands.add_parser("read", help="open the reader (the default command)")
    read.add_argument("path", nargs="?", help="briefing file, or a directory of briefings (default: your library)")
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

    if exporting:
        _add_export_command(commands)
    else:
        # The formats are named by the export registry, loaded only for `briefing export`: `check` starts in CI.
        commands.add_parser("export", help=EXPORT_HELP)
    _add_library_commands(commands)
    if serving:
        from briefing.cli.serve import add_serve_command

        add_serve_command(commands)
    else:
        # The server's flags are built only for `briefing serve`: `check` starts in editors and CI.
        from briefing.serve import SERVE_HELP

        commands.add_parser("serve", help=SERVE_HELP)

    shots = commands.add_parser("screenshots", help="regenerate the SVG screenshots of the reader")
    shots.add_argument("directory", nargs="?", default="screenshots", help="output directory (default: screenshots)")
    shots.set_defaults(run=_run_screenshots)
    return parser


class _Subcommands(Protocol):
    """What ``add_subparsers`` returns (argparse names its class privately)."""

    def add_parser(self, name: str, **options: Any) -> argparse.ArgumentParser: ...


def _add_library_commands(commands: _Subcommands) -> None:
    library_help = "the library directory (default: your library, with the bundled briefings)"
    search = commands.add_parser(
        "search",
        help="search the library",
        description="Search every briefing of the library. Words match whole words (add * for a prefix), "
        '"quoted words" a phrase; filters narrow the briefings: unread, flagged, noted, actor:ID, kind:ship, '
        "tag:x, credibility<=3, before:2024-12-20, after:2024-12-01. "
        "Prints file:line:col: section · snippet per hit. Exit status: 0 hits found, 1 none, 2 usage error.",
    )
    search.add_argument("query", help="the search, quoted as one argument")
    search.add_argument("--library", metavar="DIR", help=library_help)
    search.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    search.set_defaults(run=_run_search)

    index = commands.add_parser("index", help="the library's search index")
    index_commands = index.add_subparsers(dest="index_command", metavar="ACTION", required=True)
    rebuild = index_commands.add_parser("rebuild", help="rebuild the search index from scratch")
    rebuild.add_argument("--library", metavar="DIR", help=library_help)
    rebuild.set_defaults(run=_run_index_rebuild)

    review = commands.add_parser("review", help="export or import your review (flags, notes, gradings, reading)")
    review_commands = review.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    export = review_commands.add_parser(
        "export", help="write the review as JSON (for import elsewhere) or a Markdown digest (for people)"
    )
    export.add_argument("--format", choices=("json", "md"), default="json", help="output format (default: json)")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    export.add_argument("--library", metavar="DIR", help=library_help + "; names the briefings in Markdown")
    export.set_defaults(run=_run_review_export)
    load = review_commands.add_parser("import", help="merge a JSON review export into your store (no duplicates)")
    load.add_argument("file", metavar="FILE", help="a file written by `briefing review export`")
    load.set_defaults(run=_run_review_import)


def _run_search(options: argparse.Namespace) -> int:
    from briefing.cli.search import run_search

    return run_search(options.query, options.library, options.format)


def _run_index_rebuild(options: argparse.Namespace) -> int:
    from briefing.cli.search import run_index_rebuild

    return run_index_rebuild(options.library)


EXPORT_HELP = "write a briefing as Markdown, HTML, JSON or STIX 2.1"


def _add_export_command(commands: _Subcommands) -> None:
    from briefing.export import FORMATS

    formats = "; ".join(f"{export.name}, {export.description}" for export in FORMATS)
    export = commands.add_parser(
        "export",
        help=EXPORT_HELP,
        description=f"Export a briefing for people and systems outside the terminal. Formats: {formats}. "
        "Written to standard output unless -o names a file. "
        "Exit status: 0 written, 1 a problem (an invalid briefing, a file that cannot be written), 2 usage error.",
    )
    export.add_argument("path", nargs="?", help="briefing file (default: the bundled Sparta briefing)")
    export.add_argument(
        "--to",
        required=True,
        choices=[export.name for export in FORMATS],
        metavar="FORMAT",
        help="md, html, json or stix",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE, all or nothing (default: standard output)"
    )
    export.add_argument(
        "--review",
        action="store_true",
        help="add your flags, gradings and notes on it from your review store, marked as yours",
    )
    export.set_defaults(run=_run_export)


def _run_export(options: argparse.Namespace) -> int:
    from briefing.cli.export import run_export

    return run_export(options.path, options.to, options.output, review=options.review)


def _run_review_export(options: argparse.Namespace) -> int:
    from briefing.cli.review import run_review_export

    return run_review_export(options.format, options.output, options.library)


def _run_review_import(options: argparse.Namespace) -> int:
    from briefing.cli.review import run_review_import

    return run_review_import(options.file)


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

    library = _library_to_open(path)
    if library is not None:
        # The user's own library has the bundled briefings in it; a directory named is itself alone.
        return _run_app(library_root=library, include_bundled=path is None)
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
    return _run_app(start, path=opened.file)


def _run_app(
    start: Briefing | PendingLoad | None = None,
    *,
    path: str | None = None,
    library_root: str | None = None,
    include_bundled: bool = False,
) -> int:
    from briefing.app.app import BriefingApp
    from briefing.app.signals import exit_on_signals
    from briefing.cli.check import report_load_failure

    app = BriefingApp(start, path=path, library_root=library_root, include_bundled=include_bundled)
    gc.freeze()
    gc.enable()
    with exit_on_signals(app):
        app.run()
    if app.load_failure is not None:
        return report_load_failure(app.load_failure)
    return app.return_code or 0


def _library_to_open(path: str | None) -> str | None:
    """The library directory the reader opens, if it opens one rather than a briefing.

    ``briefing DIR`` opens DIR. ``briefing`` alone opens the user's library, but
    while it holds no briefing of the user's the bundled one opens as it always
    did, without a list of one.
    """
    if path is not None:
        return path if os.path.isdir(path) else None
    # Not the library package: a start on the bundled briefing imports no SQLite.
    from briefing.storage.settings import library_root

    root = library_root()
    return root if _holds_a_briefing(root) else None


def _holds_a_briefing(root: str, limit: int = 10_000) -> bool:
    """Whether a ``*.toml`` lies under ``root``: a look that stops at the first (or after ``limit`` entries)."""
    seen = 0
    pending = [root]
    while pending and seen < limit:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    seen += 1
                    if entry.name.endswith(".toml") and not entry.name.startswith("."):
                        return True
                    if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                        pending.append(entry.path)
        except OSError:
            continue
    return False


def _warn_if_cache_unusable() -> None:
    """Say why the cache of validated briefings was not used (left on the terminal after the reader)."""
    from briefing.storage import parsed_cache  # already loaded: the reader opens through it

    reason = parsed_cache.unusable
    if reason:
        from briefing.format.safetext import one_line

        with _suppress_os_errors():
            sys.stderr.write(f"briefing: warning: cache not used: {one_line(reason)}\n")


def _run_screenshots(options: argparse.Namespace) -> int:
    from briefing.app.screenshots import save_screenshots

    for path in save_screenshots(options.directory):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
