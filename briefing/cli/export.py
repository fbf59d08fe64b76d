"""``briefing export``: a briefing as Markdown, HTML, JSON or a STIX 2.1 bundle (briefing.export).

Standard output by default; ``-o FILE`` writes the file all or nothing, for
the user alone (``briefing.storage.files.write_output``). ``--review`` adds the
analyst's own reading of the briefing from their review store, marked as
theirs.

Exit status: 0 written, 1 a problem (the briefing's problems compiler-style,
or one ``briefing: error:`` line), 2 a usage error. Never a traceback.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from briefing.format.safetext import one_line

if TYPE_CHECKING:
    from briefing.storage.review_exchange import ReviewOfBriefing

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2


def run_export(path: str | None, to: str, output: str | None, *, review: bool = False) -> int:
    from briefing.cli.check import report_load_failure
    from briefing.export import FORMAT_BY_NAME, ExportSubject
    from briefing.storage.briefing_files import load_briefing
    from briefing.storage.paths import default_briefing_path

    export_format = FORMAT_BY_NAME.get(to)
    if export_format is None:
        return _fail(f"unknown format {to!r} (choose from {', '.join(FORMAT_BY_NAME)})", EXIT_USAGE)
    source = path or os.fspath(default_briefing_path())
    result = load_briefing(source, cache=True)
    if not result.ok or result.briefing is None:
        return report_load_failure(result)
    key = briefing_key_of(source)
    subject = ExportSubject(result.briefing, key)
    if review:
        found = _review_of(key)
        if isinstance(found, str):
            return _fail(found)
        subject = ExportSubject(result.briefing, key, found)
    try:
        data = export_format.renderer()(subject)
    except Exception as error:  # a bug of ours: one line, not a traceback
        return _fail(f"internal error while exporting to {export_format.title}: {type(error).__name__}: {error}")
    if output is None or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return EXIT_OK
    from briefing.storage.files import write_output

    try:
        write_output(output, data)
    except OSError as error:
        return _fail(f"cannot write {output}: {error.strerror or error}")
    print(f"Exported “{one_line(result.briefing.meta.headline)}” as {export_format.title} to {one_line(output)}.")
    return EXIT_OK


def briefing_key_of(path: str) -> str:
    """The briefing's name in the review store: its key in the user's library, else its file's stem."""
    from briefing.library.catalog import briefing_key, default_library_root

    return briefing_key(path, default_library_root())


def _review_of(key: str) -> ReviewOfBriefing | str:
    """The review of ``key`` from the user's store, or a sentence saying why it cannot be read."""
    from briefing.storage.review import ReviewStore, StoreError
    from briefing.storage.review_exchange import review_of

    # create=False: exporting with an empty review makes no store.
    with ReviewStore.open(create=False) as store:
        if not store.readable:
            return f"the review store cannot be read: {store.problem}"
        try:
            found = review_of(store, key)
        except StoreError as error:
            return str(error)
        if store.problem:
            _warn(f"review store: {store.problem}")
    return found


def _fail(message: str, status: int = EXIT_PROBLEM) -> int:
    # one_line: a message quotes file names and the store's words, which may hold anything.
    sys.stderr.write(f"briefing: error: {one_line(message)}\n")
    return status


def _warn(message: str) -> None:
    sys.stderr.write(f"briefing: warning: {one_line(message)}\n")
