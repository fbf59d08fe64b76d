"""``briefing review export`` and ``briefing review import``: the review store as a file, and back.

Exit status: 0 done, 1 a problem (one line on standard error, ``briefing:
error: ...``: a store that cannot be read or written, a file that is not a
review export), 2 a usage error (an unknown format, no such file to import).
Never a traceback.

An export given ``-o FILE`` is written all or nothing: into a new temporary
file beside FILE, then renamed over it, so a reader of FILE (or a full disk)
never sees half an export. The file is made for the user alone (mode 0600):
notes are the analyst's own. A link at FILE is replaced, not written through,
as everywhere briefing writes; a FIFO or a device (``/dev/stdout``) is
written to as it is.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing.analysis.index import BriefingIndex
    from briefing.storage.review import Target

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2

FORMATS = ("json", "md")


def run_review_export(
    output_format: str,
    output: str | None,
    library: str | None,
    *,
    headlines: Mapping[str, str] | None = None,
    describe: Callable[[Target], str | None] | None = None,
) -> int:
    """Write the whole review, as JSON (for ``import``) or as a Markdown digest (for people).

    ``library`` is the directory whose briefings name things in the digest;
    the names themselves come as ``headlines`` (by key) and ``describe`` (a
    target's words), which the caller builds from the library. Without them
    the digest names briefings by key and entries by kind and id.
    """
    from briefing.cli.output import read_review, write_result
    from briefing.storage.review_exchange import export_document, to_json, to_markdown

    if output_format not in FORMATS:
        return _fail(f"unknown format {output_format!r} (choose from {', '.join(FORMATS)})", EXIT_USAGE)
    if output_format == "md" and headlines is None and describe is None:
        names = LibraryNames(library)
        headlines, describe = names.headlines, names.describe
    document = read_review(export_document)
    if isinstance(document, str):
        return _fail(document)
    data = to_json(document) if output_format == "json" else to_markdown(document, headlines, describe).encode()
    problem = write_result(output, data)
    if problem is not None:
        return _fail(problem)
    return EXIT_OK


class LibraryNames:
    """The words the digest names things by: each briefing's headline, each entry's name, from the library.

    Headlines come from the library's search index (brought up to date); an
    entry's name from its briefing, parsed the first time one of its entries is
    named. A library that cannot be read names nothing: the digest uses keys and ids.
    """

    def __init__(self, library: str | None) -> None:
        from briefing.library.catalog import Library, SearchUnavailable, default_library_root

        self.headlines: dict[str, str] = {}
        self.paths: dict[str, str] = {}
        self._indexes: dict[str, BriefingIndex | None] = {}
        try:
            opened = Library.open(library or default_library_root(), include_bundled=library is None)
        except (SearchUnavailable, OSError):
            return
        try:
            for entry in opened.entries:
                if entry.ok:
                    self.paths[entry.key] = entry.path
                    if entry.headline:
                        self.headlines[entry.key] = entry.headline
        finally:
            opened.close()

    def describe(self, target: Target) -> str | None:
        """``asset “Antonov AN-124”``, ``section “Logistics”``; None when the library does not know it."""
        from briefing.analysis.describe import entry_words

        index = self._index(target.briefing)
        if index is None or target.kind == "briefing":
            return None
        return entry_words(index, target.kind, target.id)

    def _index(self, key: str) -> BriefingIndex | None:
        if key not in self._indexes:
            from briefing.analysis.index import BriefingIndex
            from briefing.storage.briefing_files import load_briefing

            path = self.paths.get(key)
            result = load_briefing(path, cache=True) if path else None
            ok = result is not None and result.ok and result.briefing is not None
            self._indexes[key] = BriefingIndex(result.briefing) if ok and result and result.briefing else None
        return self._indexes[key]


def run_review_import(file: str) -> int:
    """Merge a JSON export into the store, all in one transaction; say what it added."""
    from briefing.storage.files import Missing, Refused, read_regular
    from briefing.storage.review import ReviewStore, StoreError
    from briefing.storage.review_exchange import MAX_DOCUMENT_BYTES, ExchangeError, from_json, import_document

    try:
        if file == "-":
            data = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
        else:
            data = read_regular(file, MAX_DOCUMENT_BYTES, limit_of=" for a review document")
    except Missing:
        return _fail(f"no such file: {_name(file)}", EXIT_USAGE)
    except Refused as refused:
        return _fail(f"{_name(file)} {refused}")
    except OSError as error:
        return _fail(f"{_name(file)} cannot be read: {error.strerror or error}")
    try:
        document = from_json(data)
    except ExchangeError as error:
        return _fail(f"{_name(file)}: {error}")
    with ReviewStore.open() as store:
        if store.read_only:
            return _fail(f"nothing imported: the review store is read-only: {store.problem}")
        try:
            report = import_document(store, document)
        except StoreError as error:
            return _fail(f"nothing imported: {error}")
        print(f"Imported {_name(file)} into {_name(str(store.path))}: {report.describe()}.")
    return EXIT_OK


def _name(text: str) -> str:
    from briefing.format.safetext import one_line

    return one_line(text)


def _fail(message: str, status: int = EXIT_PROBLEM) -> int:
    from briefing.cli.output import fail

    return fail(message, status)
