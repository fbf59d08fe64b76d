"""``briefing search QUERY`` and ``briefing index rebuild``: the library's search for scripts and pipes.

Text output is one hit per line, best first, in the form editors and ``grep``
users know::

    content/sparta.toml:97:205: Logistical Challenges and Setbacks · Ukraine’s Main Intelligence Directorate (HUR)…

the file as the library was given (relative or absolute), the line and column
(1-based, in characters) of the first matched word in the TOML text, where in
the briefing (a section's title, ``Headline``, ``Asset Sparta``) and a snippet
of one line around the match. The matched words are not marked: the column
says where the match is, and a pipe gets the text as it is. Every part is
made safe for a terminal (``safetext.one_line``). ``--format json`` prints a
list of objects (file, line, column, key, headline, section, kind, entity,
snippet with the spans of the matched words, ...).

Exit status, as ``grep``'s: 0 hits found, 1 none, 2 a usage error (a query
that cannot be read: ``briefing: error: query:COL: message``; no such library
directory) or an index that cannot be used. Indexing many files shows its
progress on standard error when that is a terminal.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from briefing.format.safetext import one_line

if TYPE_CHECKING:
    from briefing.library.catalog import Library
    from briefing.library.query import Query
    from briefing.library.search_index import Hit
    from briefing.storage.review import ReviewStore

EXIT_HITS = 0
EXIT_NO_HITS = 1
EXIT_USAGE = 2
# More than the reader lists: a script may want them all.
CLI_LIMIT = 1000


def run_search(query: str, library: str | None, output_format: str) -> int:
    """Search the library at ``library`` (None: the user's) and print the hits."""
    from briefing.library.query import QueryError, parse_query

    try:
        parsed = parse_query(query)
    except QueryError as error:
        return _fail(str(error))
    opened = _open(library)
    if opened is None:
        return EXIT_USAGE
    from briefing.library.search_index import SearchUnavailable

    review = _review(parsed)
    try:
        hits = opened.search(parsed, review, limit=CLI_LIMIT)
    except SearchUnavailable as error:
        return _fail(str(error))
    finally:
        opened.close()
        if review is not None:
            review.close()
    if output_format == "json":
        from briefing.cli.check import json_text

        sys.stdout.write(json_text([_as_json(hit) for hit in hits]) + "\n")
    else:
        sys.stdout.write("".join(_as_line(hit) + "\n" for hit in hits))
    return EXIT_HITS if hits else EXIT_NO_HITS


def run_index_rebuild(library: str | None) -> int:
    """Make the library's index again from scratch; say how many briefings it holds."""
    opened = _open(library, rebuild=True)
    if opened is None:
        return EXIT_USAGE
    entries = opened.entries
    opened.close()
    broken = sum(1 for entry in entries if not entry.ok)
    noun = "briefing" if len(entries) == 1 else "briefings"
    summary = f"{len(entries)} {noun} indexed"
    if broken:
        summary += f"; {broken} cannot be read (listed in the library with their first problem)"
    print(summary)
    return EXIT_HITS


def _open(library: str | None, *, rebuild: bool = False) -> Library | None:
    from briefing.library.catalog import Library, default_library_root
    from briefing.library.search_index import SearchUnavailable

    if library is not None and not os.path.isdir(library):
        reason = "not a directory" if os.path.exists(library) else "no such directory"
        _fail(f"{reason}: {library}")
        return None
    root: str | None = library if library is not None else default_library_root()
    if library is None and root is not None and not os.path.isdir(root):
        # The user's library not made yet: the bundled briefings alone.
        root = None
    progress = _Progress()
    try:
        # The bundled briefings are part of the user's library, not of a directory named.
        opened = Library.open(
            root, include_bundled=library is None, progress=progress if progress.terminal else None, rebuild=rebuild
        )
    except SearchUnavailable as error:
        _fail(str(error))
        return None
    finally:
        progress.end()
    for problem in opened.problems:
        sys.stderr.write(f"briefing: warning: {one_line(problem)}\n")
    return opened


def _review(query: Query) -> ReviewStore | None:
    """The review store, when the query asks it (``unread``, ``flagged``, ``noted``)."""
    from briefing.library.query import ReviewFilter

    if not any(isinstance(item, ReviewFilter) for item in query.filters):
        return None
    from briefing.storage.review import ReviewStore

    # Read only: a search never makes a store.
    store = ReviewStore.open(create=False)
    if store.problem:
        sys.stderr.write(f"briefing: warning: review store: {one_line(store.problem)}\n")
    return store


def _as_line(hit: Hit) -> str:
    return f"{one_line(hit.path)}:{hit.line}:{hit.column}: {one_line(hit.where)} · {one_line(hit.snippet)}"


def _as_json(hit: Hit) -> dict[str, object]:
    return {
        "file": hit.path,
        "line": hit.line,
        "column": hit.column,
        "key": hit.key,
        "headline": hit.headline,
        "kind": hit.kind,
        "where": hit.where,
        "section": hit.section_title,
        "section_id": hit.section_id,
        "entity": {"kind": hit.ref.kind, "id": hit.ref.id} if hit.ref is not None else None,
        "block": hit.block,
        "start": hit.start,
        "end": hit.end,
        "matched": hit.matched,
        "snippet": hit.snippet,
        "spans": [list(span) for span in hit.spans],
    }


class _Progress:
    """``indexing N/M briefings…`` on standard error, on one line, when it is a terminal."""

    def __init__(self) -> None:
        try:
            self.terminal = sys.stderr.isatty()
        except (AttributeError, ValueError):
            self.terminal = False
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        self.shown = True
        sys.stderr.write(f"\rindexing {done}/{total} briefings…")
        sys.stderr.flush()

    def end(self) -> None:
        if self.shown:
            # The line the count was on, cleared.
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _fail(message: str) -> int:
    sys.stderr.write(f"briefing: error: {one_line(message)}\n")
    return EXIT_USAGE
