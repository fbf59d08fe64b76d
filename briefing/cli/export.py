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

from briefing.format.safetext import one_line

EXIT_OK = 0
EXIT_USAGE = 2


def run_export(path: str | None, to: str, output: str | None, *, review: bool = False) -> int:
    from briefing.cli.check import report_load_failure
    from briefing.cli.output import fail, read_review, write_result
    from briefing.export import FORMAT_BY_NAME, ExportSubject
    from briefing.storage.briefing_files import load_briefing
    from briefing.storage.paths import default_briefing_path
    from briefing.storage.review_exchange import review_of

    export_format = FORMAT_BY_NAME.get(to)
    if export_format is None:
        return fail(f"unknown format {to!r} (choose from {', '.join(FORMAT_BY_NAME)})", EXIT_USAGE)
    source = path or os.fspath(default_briefing_path())
    result = load_briefing(source, cache=True)
    if not result.ok or result.briefing is None:
        return report_load_failure(result)
    key = briefing_key_of(source)
    subject = ExportSubject(result.briefing, key)
    if review:
        found = read_review(lambda store: review_of(store, key))
        if isinstance(found, str):
            return fail(found)
        subject = ExportSubject(result.briefing, key, found)
    try:
        data = export_format.renderer()(subject)
    except Exception as error:  # a bug of ours: one line, not a traceback
        return fail(f"internal error while exporting to {export_format.title}: {type(error).__name__}: {error}")
    problem = write_result(output, data)
    if problem is not None:
        return fail(problem)
    if output is None or output == "-":
        return EXIT_OK
    print(f"Exported “{one_line(result.briefing.meta.headline)}” as {export_format.title} to {one_line(output)}.")
    return EXIT_OK


def briefing_key_of(path: str) -> str:
    """The briefing's name in the review store: its key in the user's library, else its file's stem."""
    from briefing.library.catalog import briefing_key, default_library_root

    return briefing_key(path, default_library_root())
