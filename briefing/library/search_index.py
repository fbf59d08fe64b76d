"""The library's search index: SQLite FTS5 over every briefing's passages, kept incrementally.

One database per library, in the cache directory (``paths.cache_dir()``,
``library-<hash of the root>.sqlite3``): it holds nothing that cannot be made
again from the files, so anything wrong with it (another program's file, an
older layout, other code, a damaged file) is deleted and built again, never
trusted. ``PRAGMA application_id`` and ``user_version`` say it is ours, and a
fingerprint of the code that fills it is kept in its ``meta`` table.

Tables:

* ``files``: one row per briefing file (valid or not): where it is, its
  signature (size, modification time, inode), the SHA-256 of its bytes, and
  what the library lists (key, headline, date, tags, sections, its first problem);
* ``passages``: the text a search finds (``passages.py``), with where each of
  its characters is written in the file; a passage's id is its file's id
  shifted left by ``FILE_SHIFT``, plus its number, so a file's passages are
  one range of ids and a hit's file is known from its id alone;
* ``passages_fts``: FTS5 over ``passages.text`` as external content (the text
  is stored once), tokenized by ``unicode61`` with diacritics removed;
* ``names``: each entity's case-folded name and aliases, for ``actor:`` and
  for the same entity in other briefings.

Updating (``SearchIndex.update``) stats every file: a file whose signature
has not changed is not opened. A changed one is read and hashed; the same
bytes only update the signature, other bytes are parsed and the file's rows
replaced in one transaction. Files gone are removed. Many files to parse
(the first build) are parsed in worker processes (``indexing.py``).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import msgspec

from briefing.analysis.index import EntityRef
from briefing.format.kinds import KIND
from briefing.library.indexing import FileFacts, index_files
from briefing.library.locate import position_at
from briefing.library.passages import PassageKind
from briefing.library.query import (
    DateFilter,
    Query,
    ReviewFilter,
    ReviewState,
    TextFilter,
)

__all__ = ["BriefingEntry", "Changes", "Hit", "SearchIndex", "SearchUnavailable", "Source"]

# "brix" in ASCII: what `PRAGMA application_id` of our index files says.
APPLICATION_ID = 0x62726978
SCHEMA_VERSION = 1
# A passage's id: its file's id << FILE_SHIFT | its number in the file (a
# briefing has at most MAX_VALUES strings, far below 2**24).
FILE_SHIFT = 24
# A modification time this close to the scan may still change within the
# file system's clock tick without changing the signature: such a file is
# hashed again next time rather than trusted (git's "racy" files).
RACY_NS = 2_000_000_000
# How long one transaction of an update runs at most (see SearchIndex._batch).
BATCH_SECONDS = 0.5
SNIPPET_WIDTH = 100
# An entity's name in a hit's ``where``.
WHERE_WIDTH = 40
# Marks around the matched words in FTS5's highlight(): control characters,
# which a briefing's text never holds (the parser makes them visible).
_OPEN_MARK, _CLOSE_MARK = "\x01", "\x02"

Progress = Callable[[int, int], None]


class SearchUnavailable(Exception):
    """The index cannot be used at all (no FTS5 in this SQLite): a message for the user."""


class BriefingEntry(NamedTuple):
    """One briefing of a library, as listed: what the index knows without parsing the file."""

    path: str
    key: str
    headline: str | None
    published: datetime.date | None
    tags: tuple[str, ...]
    # (id, title) of each section, in order.
    sections: tuple[tuple[str, str], ...]
    ok: bool
    # The first problem, "line:col: message", when the file is not a valid briefing.
    problem: str | None
    bundled: bool

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(section_id for section_id, _ in self.sections)


class Hit(NamedTuple):
    """One passage found by a search."""

    path: str
    key: str
    headline: str | None
    kind: PassageKind
    section_id: str | None
    section_title: str | None
    # The entity the passage is (or, for a quote in the text, quotes).
    ref: EntityRef | None
    # One line of plain text around the first match, and the matched words in it.
    snippet: str
    spans: tuple[tuple[int, int], ...]
    # The first matched word as written in the passage ("" for a query of filters alone).
    matched: str
    # A passage of a section: its block (blocks.section_blocks) and the first match in the block's text.
    block: int | None
    start: int | None
    end: int | None
    # Where the first matched word is written in the file (1-based; columns in code points).
    line: int
    column: int
    # The whole passage, for the reader to mark it (None for the headline and entities).
    mark: str | None
    # Where in the briefing, in words: a section's title, "Headline", "Asset Sparta".
    where: str


class Changes(NamedTuple):
    """What an update found, by key."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


class Source(NamedTuple):
    """A file of the library as scanned: where it is stored in the index and opened, its signature."""

    stored: bytes  # its path relative to the library's root (or the bundled directory), os.fsencode
    path: str  # the path to open
    key: str
    bundled: bool
    size: int
    mtime_ns: int
    ino: int


# "IF NOT EXISTS": two readers may find the same new, empty file and both make it ours.
_SCHEMA = f"""
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    path BLOB NOT NULL,
    bundled INTEGER NOT NULL,
    key TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ino INTEGER NOT NULL,
    sha256 BLOB,
    ok INTEGER NOT NULL,
    problem TEXT,
    headline TEXT,
    published TEXT,
    tags TEXT NOT NULL,
    sections TEXT NOT NULL,
    UNIQUE (path, bundled)
);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    section TEXT,
    block INTEGER,
    ref_kind TEXT,
    ref_id TEXT,
    anchors TEXT NOT NULL,
    text TEXT NOT NULL,
    facets TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS names (
    id INTEGER PRIMARY KEY,
    entity_kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS names_name ON names (entity_kind, name);
CREATE INDEX IF NOT EXISTS names_id ON names (entity_kind, entity_id);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, facets, content='passages', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
-- Ranked by the words alone: the facets are filters.
INSERT INTO passages_fts (passages_fts, rank) VALUES ('rank', 'bm25(1.0, 0.0)');
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {SCHEMA_VERSION};
INSERT OR REPLACE INTO meta (name, value) VALUES ('code', 'CODE');
COMMIT;
"""

# Made once: a decoder per call would cost more than the decoding (1,000 rows open a library).
_TAGS = msgspec.json.Decoder(list[str])
_SECTIONS = msgspec.json.Decoder(list[tuple[str, str]])
_ANCHORS = msgspec.json.Decoder(list[int])

_FILE_COLUMNS = "id, path, bundled, key, ok, problem, headline, published, tags, sections"


@functools.cache
def code_fingerprint() -> str:
    """Changes with anything that changes what the index would hold for the same files."""
    import zlib

    from briefing.storage.parsed_cache import code_fingerprint as parsing_fingerprint
    from briefing.storage.parsed_cache import module_source

    check = zlib.crc32(f"{SCHEMA_VERSION}:{parsing_fingerprint()}".encode())
    for name in (
        "briefing.analysis.blocks",
        "briefing.library.indexing",
        "briefing.library.locate",
        "briefing.library.passages",
        __name__,
    ):
        with open(module_source(name), "rb") as source:
            check = zlib.crc32(source.read(), check)
    return f"{check:08x}"


class SearchIndex:
    """An open index; safe to use from several threads (one at a time: a lock serializes them)."""

    def __init__(self, connection: sqlite3.Connection, path: str | None, resolve: Callable[[bytes, bool], str]) -> None:
        self.connection = connection
        self.path = path
        self.resolve = resolve
        # Each use of the connection holds ``lock``; an update also holds ``updating`` throughout.
        self.lock = threading.RLock()
        self.updating = threading.Lock()
        # Why the index on disk is not used, if it is not; why the last update could not be saved.
        self.problem: str | None = None
        self.update_problem: str | None = None
        self._entries: dict[int, BriefingEntry] | None = None
        self._entries_version = 0
        # Each file's section titles by id, for its hits (made on a file's first hit).
        self._section_titles: dict[int, dict[str, str]] = {}
        # The files each briefing filter (a tag, a date, an actor) keeps, for the entries as read:
        # typing a query searches again at every key, with the same filters.
        self._filter_files: dict[object, frozenset[int]] = {}

    @classmethod
    def open(cls, path: str | None, resolve: Callable[[bytes, bool], str]) -> SearchIndex:
        """The index at ``path`` (None: in memory), made afresh unless it is ours and sound."""
        if path is None:
            return cls(_create(":memory:"), None, resolve)
        try:
            connection = _connect(path)
            if _is_current(connection):
                return cls(connection, path, resolve)
            connection.close()
        except sqlite3.OperationalError as error:
            if "no such module" in str(error):
                raise SearchUnavailable("this Python's SQLite has no FTS5, which search needs") from None
            return cls._in_memory(resolve, path, error)
        except sqlite3.DatabaseError:
            pass  # not a database, or a damaged one: made again below
        try:
            _delete(path)
            return cls(_create(path), path, resolve)
        except (sqlite3.OperationalError, OSError) as error:
            return cls._in_memory(resolve, path, error)

    @classmethod
    def _in_memory(cls, resolve: Callable[[bytes, bool], str], path: str, error: Exception) -> SearchIndex:
        index = cls(_create(":memory:"), None, resolve)
        index.problem = f"the search index {path} cannot be used ({_reason(error)}); it is kept in memory"
        return index

    def close(self) -> None:
        with self.lock:
            self.connection.close()

    def rebuild(self) -> None:
        """Forget everything: the next update indexes every file again."""
        with self.updating, self.lock:
            self.connection.close()
            self._entries = None
            if self.path is not None:
                with contextlib.suppress(OSError):
                    _delete(self.path)
                try:
                    self.connection = _create(self.path)
                    return
                except (sqlite3.OperationalError, OSError) as error:
                    self.problem = (
                        f"the search index {self.path} cannot be made ({_reason(error)}); it is kept in memory"
                    )
                    self.path = None
            self.connection = _create(":memory:")

    # Keeping it current

    def update(self, sources: Sequence[Source], progress: Progress | None = None) -> Changes:
        """Bring the index up to date with ``sources``, the library's files as scanned now.

        One update at a time; searches go on meanwhile (the database is locked
        only while a file's rows are written, not while files are parsed).
        """
        with self.updating:
            self.update_problem = None
            try:
                return self._update(sources, progress)
            except sqlite3.OperationalError as error:
                # Locked beyond the timeout by another reader, the disk full: the index is left
                # as it was (each batch of files is one transaction) and used as it is.
                self.update_problem = f"the search index could not be updated: {_reason(error)}"
                self._entries = None
                return Changes()

    def _update(self, sources: Sequence[Source], progress: Progress | None) -> Changes:
        scanned_at = time.time_ns()
        with self.lock:
            known = {
                (bytes(path), bool(bundled)): (file_id, key, size, mtime_ns, ino, sha256)
                for file_id, path, bundled, key, size, mtime_ns, ino, sha256 in self.connection.execute(
                    "SELECT id, path, bundled, key, size, mtime_ns, ino, sha256 FROM files"
                )
            }
        todo: list[tuple[Source, bytes | None, bool]] = []
        for source in sources:
            row = known.pop((source.stored, source.bundled), None)
            if row is not None and row[2:5] == (source.size, source.mtime_ns, source.ino):
                continue
            todo.append((source, row[5] if row else None, row is not None))
        added: list[str] = []
        changed: list[str] = []
        removed = [row[1] for row in known.values()]
        with self._batch() as batch:
            for file_id, *_ in known.values():
                with self.lock:
                    batch()
                    self._forget(file_id)
                    self.connection.execute("DELETE FROM files WHERE id = ?", (file_id,))
                    self._entries = None
            facts_of = index_files([(source.path, known) for source, known, _ in todo])
            for done, ((source, _, existed), facts) in enumerate(zip(todo, facts_of, strict=True), start=1):
                racy = source.mtime_ns > scanned_at - RACY_NS
                signature = (source.size, -1 if racy else source.mtime_ns, source.ino)
                with self.lock:
                    batch()
                    if facts.unchanged:
                        self.connection.execute(
                            "UPDATE files SET size = ?, mtime_ns = ?, ino = ? WHERE path = ? AND bundled = ?",
                            (*signature, source.stored, source.bundled),
                        )
                    else:
                        self._write(source, signature, facts)
                        (changed if existed else added).append(source.key)
                        self._entries = None
                if progress is not None:
                    progress(done, len(todo))
        return Changes(tuple(added), tuple(changed), tuple(removed))

    @contextlib.contextmanager
    def _batch(self) -> Iterator[Callable[[], None]]:
        """Transactions of the changes of a few files each; the function given starts or renews one.

        A transaction per file would make FTS5 write a segment per file and
        merge them again (a fifth of the cost of a first build); one for the
        whole update would keep other readers from saving theirs for its length.
        """
        connection = self.connection
        began = 0.0

        def batch() -> None:
            nonlocal began
            if connection.in_transaction and time.monotonic() - began < BATCH_SECONDS:
                return
            if connection.in_transaction:
                connection.execute("COMMIT")
            connection.execute("BEGIN IMMEDIATE")
            began = time.monotonic()

        try:
            yield batch
        except BaseException:
            with self.lock:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
            raise
        with self.lock:
            if connection.in_transaction:
                connection.execute("COMMIT")

    def _forget(self, file_id: int) -> None:
        """Remove a file's passages (from the FTS index first: it needs their text) and names."""
        low, high = file_id << FILE_SHIFT, ((file_id + 1) << FILE_SHIFT) - 1
        execute = self.connection.execute
        execute(
            "INSERT INTO passages_fts (passages_fts, rowid, text, facets) "
            "SELECT 'delete', id, text, facets FROM passages WHERE id BETWEEN ? AND ?",
            (low, high),
        )
        execute("DELETE FROM passages WHERE id BETWEEN ? AND ?", (low, high))
        execute("DELETE FROM names WHERE id BETWEEN ? AND ?", (low, high))

    def _write(self, source: Source, signature: tuple[int, int, int], facts: FileFacts) -> None:
        execute = self.connection.execute
        encode = msgspec.json.encode
        values = (
            source.key,
            *signature,
            facts.sha256,
            facts.ok,
            facts.problem,
            facts.headline,
            facts.published,
            encode(facts.tags).decode(),
            encode(facts.sections).decode(),
        )
        # Looked up again inside the transaction: another reader may have indexed it meanwhile.
        row = execute("SELECT id FROM files WHERE path = ? AND bundled = ?", (source.stored, source.bundled)).fetchone()
        if row is not None:
            file_id = int(row[0])
            self._forget(file_id)
            execute(
                "UPDATE files SET key = ?, size = ?, mtime_ns = ?, ino = ?, sha256 = ?, ok = ?, problem = ?, "
                "headline = ?, published = ?, tags = ?, sections = ? WHERE id = ?",
                (*values, file_id),
            )
        else:
            cursor = execute(
                "INSERT INTO files (path, bundled, key, size, mtime_ns, ino, sha256, ok, problem, headline, "
                "published, tags, sections) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (source.stored, source.bundled, *values),
            )
            file_id = int(cursor.lastrowid or 0)
        base = file_id << FILE_SHIFT
        self.connection.executemany(
            "INSERT INTO passages (id, kind, section, block, ref_kind, ref_id, anchors, text, facets) "
            "VALUES (? + ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((base, *passage) for passage in facts.passages),
        )
        execute(
            "INSERT INTO passages_fts (rowid, text, facets) SELECT id, text, facets FROM passages "
            "WHERE id BETWEEN ? AND ?",
            (base, base + (1 << FILE_SHIFT) - 1),
        )
        self.connection.executemany(
            "INSERT INTO names (id, entity_kind, entity_id, name) VALUES (?, ?, ?, ?)",
            ((base + number, *name) for number, name in enumerate(facts.names)),
        )

    # What it holds

    def entries(self) -> list[BriefingEntry]:
        """Every file of the library, valid or not, by key."""
        return sorted(self._entry_map().values(), key=lambda entry: (entry.key, entry.bundled))

    def _entry_map(self) -> dict[int, BriefingEntry]:
        with self.lock:
            # Changed by another connection (another reader's update) since they were read?
            version = self.connection.execute("PRAGMA data_version").fetchone()[0]
            if self._entries is None or version != self._entries_version:
                self._section_titles = {}
                self._filter_files = {}
                self._entries_version = version
                self._entries = {
                    int(row[0]): self._entry(row)
                    for row in self.connection.execute(f"SELECT {_FILE_COLUMNS} FROM files")
                }
            return self._entries

    def _entry(self, row: tuple[Any, ...]) -> BriefingEntry:
        _, path, bundled, key, ok, problem, headline, published, tags, sections = row
        return BriefingEntry(
            path=self.resolve(bytes(path), bool(bundled)),
            key=str(key),
            headline=headline if isinstance(headline, str) else None,
            published=datetime.date.fromisoformat(published) if isinstance(published, str) else None,
            tags=tuple(_TAGS.decode(tags)),
            sections=tuple(_SECTIONS.decode(sections)),
            ok=bool(ok),
            problem=problem if isinstance(problem, str) else None,
            bundled=bool(bundled),
        )

    # Searching

    def matching(self, query: Query, review: ReviewState | None = None) -> list[BriefingEntry]:
        """The valid briefings every filter of ``query`` holds for (its words aside)."""
        entries = self._entry_map()
        allowed = self.allowed_files(query, review)
        if query.has_entity_filters:
            facets = query._replace(terms=()).fts()
            with self.lock:
                rows = self.connection.execute(
                    f"SELECT DISTINCT rowid >> {FILE_SHIFT} FROM passages_fts WHERE passages_fts MATCH ?", (facets,)
                )
                having = {int(file_id) for (file_id,) in rows}
            allowed = having if allowed is None else allowed & having
        chosen = [entry for file_id, entry in entries.items() if entry.ok and (allowed is None or file_id in allowed)]
        return sorted(chosen, key=lambda entry: (entry.key, entry.bundled))

    def search(self, query: Query, review: ReviewState | None = None, limit: int = 200) -> list[Hit]:
        """The passages ``query`` finds, best first (a query of filters alone: in the library's order)."""
        entries = self._entry_map()
        allowed = self.allowed_files(query, review, entries)
        if allowed is not None and not allowed:
            return []
        expression = query.fts()
        values: list[object] = []
        if expression:
            # Words and the filters on entities are all FTS5 terms; the filters on briefings
            # keep the passages of some files (a passage's file is its id shifted). FTS5
            # ranks the matches itself, so only the rows returned are highlighted and joined.
            sql = [
                "SELECT f.rowid, highlight(passages_fts, 0, char(1), char(2)), p.kind, p.section, p.block, "
                "p.ref_kind, p.ref_id, p.anchors FROM passages_fts f JOIN passages p ON p.id = f.rowid "
                "WHERE passages_fts MATCH ?"
            ]
            values.append(expression)
            if allowed is not None:
                sql.append(f"AND (f.rowid >> {FILE_SHIFT}) IN (SELECT value FROM json_each(?))")
                values.append(msgspec.json.encode(sorted(allowed)).decode())
            sql.append("ORDER BY f.rank LIMIT ?" if query.has_words else "ORDER BY f.rowid LIMIT ?")
        else:
            # Filters on briefings alone: each briefing they keep, by its headline (its passage 0).
            chosen = allowed if allowed is not None else entries.keys()
            sql = [
                "SELECT id, text, kind, section, block, ref_kind, ref_id, anchors FROM passages "
                "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?"
            ]
            values.append(msgspec.json.encode(sorted(file_id << FILE_SHIFT for file_id in chosen)).decode())
        values.append(limit)
        with self.lock:
            found = self.connection.execute(" ".join(sql), values).fetchall()
        hits = []
        for row in found:
            entry = entries.get(row[0] >> FILE_SHIFT)
            if entry is not None:
                hits.append(_hit(entry, row, self._titles(row[0] >> FILE_SHIFT, entry)))
        return hits

    def _titles(self, file_id: int, entry: BriefingEntry) -> dict[str, str]:
        titles = self._section_titles.get(file_id)
        if titles is None:
            titles = self._section_titles[file_id] = dict(entry.sections)
        return titles

    def allowed_files(
        self, query: Query, review: ReviewState | None, entries: dict[int, BriefingEntry] | None = None
    ) -> set[int] | None:
        """The files the briefing filters of ``query`` allow (None: no such filter)."""
        entries = entries if entries is not None else self._entry_map()
        allowed: set[int] | None = None

        def narrow(chosen: Iterable[int]) -> None:
            nonlocal allowed
            allowed = set(chosen) if allowed is None else allowed & set(chosen)

        for item in query.filters:
            if isinstance(item, ReviewFilter):
                # Never kept: the review changes between two searches.
                narrow(_reviewed(entries, item, review))
            elif isinstance(item, (DateFilter, TextFilter)):
                files = self._filter_files.get(item)
                if files is None:
                    files = self._filter_files[item] = frozenset(self._briefing_filter(entries, item))
                narrow(files)
        return allowed

    def _briefing_filter(self, entries: dict[int, BriefingEntry], item: DateFilter | TextFilter) -> Iterable[int]:
        """The files a filter on briefings keeps (the filters on entities are FTS5 terms)."""
        if isinstance(item, DateFilter):
            if item.side == "before":
                return (i for i, e in entries.items() if e.published is not None and e.published < item.day)
            return (i for i, e in entries.items() if e.published is not None and e.published > item.day)
        if item.field == "tag":
            tag = item.value.casefold()
            return (i for i, e in entries.items() if any(t.casefold() == tag for t in e.tags))
        return self._with_entity("actor", item.value)

    def _with_entity(self, kind: str, value: str) -> set[int]:
        with self.lock:
            # A union, not an OR: each half is one index's lookup, where SQLite would plan an OR as a scan.
            rows = self.connection.execute(
                f"SELECT id >> {FILE_SHIFT} FROM names WHERE entity_kind = ? AND entity_id = ? "
                f"UNION SELECT id >> {FILE_SHIFT} FROM names WHERE entity_kind = ? AND name = ?",
                (kind, value.casefold(), kind, value.casefold()),
            )
            return {int(file_id) for (file_id,) in rows}

    def appearances(self, kind: str, entity_id: str, names: Iterable[str] = ()) -> list[BriefingEntry]:
        """The briefings with an entity of ``kind`` of the same id, or one of the same (case-folded) names."""
        folded = sorted({name.casefold() for name in names})
        with self.lock:
            rows = self.connection.execute(
                f"SELECT id >> {FILE_SHIFT} FROM names WHERE entity_kind = ? AND entity_id = ? "
                f"UNION SELECT id >> {FILE_SHIFT} FROM names WHERE entity_kind = ? "
                "AND name IN (SELECT value FROM json_each(?))",
                (kind, entity_id, kind, msgspec.json.encode(folded).decode()),
            )
            files = {int(file_id) for (file_id,) in rows}
        entries = self._entry_map()
        return sorted((entries[i] for i in files if i in entries), key=lambda entry: (entry.key, entry.bundled))


def _reviewed(entries: dict[int, BriefingEntry], item: ReviewFilter, review: ReviewState | None) -> set[int]:
    """The files the review filter holds for (none without a review store)."""
    if review is None:
        return set()
    if item.what != "unread":
        keys = review.keys_with(item.what)
        return {file_id for file_id, entry in entries.items() if entry.key in keys}
    summary = review.summary()
    unread = set()
    for file_id, entry in entries.items():
        if not entry.ok:
            continue
        counts = summary.get(entry.key)
        # The count decides unless it may hold sections that are no longer in the file.
        if counts is None or counts.sections_read < len(entry.sections):
            unread.add(file_id)
            continue
        if not set(entry.section_ids) <= review.sections_read(entry.key):
            unread.add(file_id)
    return unread


def _hit(entry: BriefingEntry, row: tuple[Any, ...], titles: dict[str, str]) -> Hit:
    _, marked, kind, section, block, ref_kind, ref_id, anchors_json = row
    text, spans = _unmark(marked)
    snippet, snippet_spans = _snippet(text, spans)
    first = spans[0] if spans else (0, 0)
    anchors = _ANCHORS.decode(anchors_json)
    line, column = position_at(anchors, first[0])
    section_id = section if isinstance(section, str) else None
    is_block = isinstance(block, int)
    title = titles.get(section_id) if section_id else None
    if kind == "headline":
        where = "Headline"
    elif kind == "entity" and isinstance(ref_kind, str):
        # An entity's passage starts with its name (an event's with what happened: too long to repeat).
        name = "" if ref_kind == "event" else _clip(text.partition("\n")[0], WHERE_WIDTH)
        where = f"{KIND[ref_kind].label} {name}".rstrip()
    else:
        where = title or "Quote"
    return Hit(
        path=entry.path,
        key=entry.key,
        headline=entry.headline,
        kind=kind,
        section_id=section_id,
        section_title=title,
        ref=EntityRef(ref_kind, ref_id) if isinstance(ref_kind, str) and isinstance(ref_id, str) else None,  # type: ignore[arg-type]
        snippet=snippet,
        spans=snippet_spans,
        matched=text[first[0] : first[1]],
        block=block if is_block else None,
        start=first[0] if is_block else None,
        end=first[1] if is_block else None,
        line=line,
        column=column,
        mark=text if is_block else None,
        where=where,
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The text without highlight()'s marks, and where the marks were."""
    if _OPEN_MARK not in marked:
        return marked, []
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    for number, part in enumerate(marked.split(_OPEN_MARK)):
        if number == 0:
            pieces.append(part)
            length += len(part)
            continue
        inside, _, after = part.partition(_CLOSE_MARK)
        spans.append((length, length + len(inside)))
        pieces += (inside, after)
        length += len(inside) + len(after)
    return "".join(pieces), spans


def _snippet(text: str, spans: list[tuple[int, int]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """One line of at most about SNIPPET_WIDTH characters around the first match, "…" where cut."""
    first = spans[0] if spans else (0, 0)
    line_start = text.rfind("\n", 0, first[0]) + 1
    line_end = text.find("\n", first[1])
    line_end = len(text) if line_end == -1 else line_end
    low, high = line_start, line_end
    if high - low > SNIPPET_WIDTH:
        # A third of the width before the match, the rest after; cut at spaces.
        low = max(line_start, first[0] - SNIPPET_WIDTH // 3)
        high = min(line_end, max(low + SNIPPET_WIDTH, first[1]))
        low = max(line_start, min(low, high - SNIPPET_WIDTH))
        if low > line_start:
            space = text.find(" ", low, first[0])
            low = space + 1 if space != -1 else low
        if high < line_end:
            space = text.rfind(" ", first[1], high)
            high = space if space != -1 else high
    prefix = "…" if low > line_start else ""
    suffix = "…" if high < line_end else ""
    shift = len(prefix) - low
    inside = tuple((start + shift, end + shift) for start, end in spans if start >= low and end <= high)
    body = text[low:high].replace("\t", " ")
    return prefix + body + suffix, inside


# The database file


def _connect(path: str) -> sqlite3.Connection:
    # Autocommit: every change is one explicit transaction. Other threads may
    # use it (the reader opens the library in a worker thread); the lock serializes them.
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
    connection.execute("PRAGMA busy_timeout = 5000")
    # A cache: losing the last transactions on a power cut only means indexing those files again.
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA cache_size = -32768")
    return connection


def _is_current(connection: sqlite3.Connection) -> bool:
    """Ours, of this schema and this code (an empty new file is made ours here)."""
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if application_id == 0 and version == 0:
        if connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            return False
        _make_schema(connection)
        return True
    if application_id != APPLICATION_ID or version != SCHEMA_VERSION:
        return False
    row = connection.execute("SELECT value FROM meta WHERE name = 'code'").fetchone()
    return row is not None and row[0] == code_fingerprint()


def _create(path: str) -> sqlite3.Connection:
    connection = (
        _connect(path) if path != ":memory:" else sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    )
    _make_schema(connection)
    return connection


def _make_schema(connection: sqlite3.Connection) -> None:
    """Tables, identity and the code's fingerprint, all in one transaction (the script's own)."""
    # The fingerprint is eight hex digits: nothing to quote.
    script = _SCHEMA.replace("'CODE'", f"'{code_fingerprint()}'")
    try:
        connection.executescript(script)
    except BaseException:
        if connection.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
        raise


def _delete(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path + suffix)


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)
