"""The review store: what the analyst has read, flagged, noted and graded.

One SQLite database (stdlib ``sqlite3``) at ``$XDG_DATA_HOME/briefing/review.sqlite3``
holds the review state of every briefing, keyed by the briefing's *key* (its
path in the library, without ``.toml``). It holds no briefing text, except the
quote a note on a passage is anchored to (its exact words with a little of what
comes before and after, as web annotators anchor theirs), so that the note can
be found again after the briefing is edited, or shown as an orphan with what it
quoted.

It is the user's work, so it is kept the way a database keeps what matters
(where newsboat runs ``synchronous=OFF``):

* write-ahead log (WAL): readers never wait for a writer, and two readers of
  the store (two terminals) each save without the other seeing
  "database is locked"; ``synchronous=FULL``, so a change is on disk when the
  call returns, even if the process is killed or the machine loses power next;
* every change is one ``BEGIN IMMEDIATE`` transaction: it takes the write lock
  first and waits for it (the busy timeout, ``BUSY_TIMEOUT_SECONDS``) rather
  than failing half-way;
* the file says what it is (``PRAGMA application_id``) and which schema it
  holds (``PRAGMA user_version``; ``MIGRATIONS`` bring an older one up to
  date, each in one transaction);
* ``ReviewStore.open`` never raises: a store that cannot be written (a
  read-only file or directory, a directory others can write, a link where the
  file should be, a file of a newer briefing) is opened read-only with
  ``problem`` saying why; one that cannot be read at all (not a database, one
  of another program, damaged) is an empty stand-in in memory, flagged the
  same way. Such a file is never written, moved or deleted: nothing already
  saved is lost by opening it;
* a change that fails (a full disk, a store made read-only meanwhile, another
  process holding the lock past the timeout) raises ``StoreError`` with a
  sentence for the user naming the file, and the store stays usable for
  reading.

Everything in the file is treated as untrusted on the way out as well: a row
whose values are not of the types written (another program edited the file) is
left out rather than handed to the reader.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, TypeVar, get_args

import msgspec

from briefing.storage.files import Missing, Refused, kind_of, private_directory, read_regular

__all__ = [
    "FLAGS",
    "FLAG_BY_NAME",
    "Anchor",
    "BriefingReview",
    "Flag",
    "MergeReport",
    "ReviewContents",
    "ReviewNote",
    "ReviewStore",
    "StoreError",
    "Target",
    "TargetKind",
    "UserGrading",
]

TargetKind = Literal["briefing", "section", "asset", "actor", "quote", "location", "event"]
TARGET_KINDS: tuple[str, ...] = get_args(TargetKind)
FlagName = Literal["important", "disputed", "follow-up", "verified"]
# The Admiralty scale (STANAG 2511), as the format's editor gradings use it.
Reliability = Literal["A", "B", "C", "D", "E", "F"]
Credibility = Literal[1, 2, 3, 4, 5, 6]
RELIABILITIES: tuple[str, ...] = get_args(Reliability)
CREDIBILITIES: tuple[int, ...] = get_args(Credibility)

# Sizes, in characters. A note is the analyst's own prose: 64 Ki characters is
# pages of it, and keeps one note from filling a disk or a screen. An anchor
# quotes a passage, never a briefing; its context is a few words either side.
MAX_NOTE_CHARS = 64 * 1024
MAX_EXACT_CHARS = 4 * 1024
MAX_CONTEXT_CHARS = 1024
# A briefing key is a path in the library; an entry id is at most 64 in the format.
MAX_KEY_CHARS = 1024
MAX_ID_CHARS = 256

# How long a change waits for another process's transaction to end. A change
# here takes milliseconds, so only a stuck process makes a change wait this long.
BUSY_TIMEOUT_SECONDS = 5.0
# "BrRv": the first four bytes of the header tell this file from any other SQLite file.
APPLICATION_ID = 0x42725276
# A store read into memory (from a directory others can write, or through a
# link): what a store of the user's own work could reach, with room to spare.
MAX_COPY_BYTES = 256 * 1024 * 1024

# ISO 8601, UTC, to the second: sorts as it reads, so "newest" is a string comparison.
TIMESTAMP_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"
_TIMESTAMP = re.compile(TIMESTAMP_PATTERN)
_NOTE_ID = re.compile(r"^[0-9a-f]{32}$")

# SQLite's primary result codes (sqlite3.h; stable across releases).
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


class StoreError(Exception):
    """A change that was not saved (or a store that could not be used), in words for the user, naming the file."""


class Target(NamedTuple):
    """What a flag, a note or a grading is on."""

    briefing: str  # the briefing's key
    kind: TargetKind
    id: str  # "" for the briefing itself


class Flag(NamedTuple):
    """One flag of the fixed set: every pane, key and export reads this registry."""

    name: FlagName
    key: str  # the one-key toggle in the reader
    label: str
    mark: str  # one cell, shown beside a row in panes and columns


FLAGS: tuple[Flag, ...] = (
    Flag("important", "I", "Important", "!"),
    Flag("disputed", "D", "Disputed", "≠"),
    Flag("follow-up", "U", "Follow up", "→"),
    Flag("verified", "V", "Verified", "✓"),
)
FLAG_BY_NAME: dict[str, Flag] = {flag.name: flag for flag in FLAGS}
_FLAG_ORDER: dict[str, int] = {flag.name: order for order, flag in enumerate(FLAGS)}


class Anchor(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A passage a note is on: its exact words, with what comes just before and after.

    The context tells one occurrence of the words from another and lets the
    passage be found again after the section is edited.
    """

    section: Annotated[str, msgspec.Meta(max_length=MAX_ID_CHARS)]
    exact: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_EXACT_CHARS)]
    prefix: Annotated[str, msgspec.Meta(max_length=MAX_CONTEXT_CHARS)]
    suffix: Annotated[str, msgspec.Meta(max_length=MAX_CONTEXT_CHARS)]


class ReviewNote(msgspec.Struct, frozen=True):
    """A note of the analyst's on a briefing, one of its entries or a passage."""

    id: str  # uuid4, 32 hex digits: the same note in every store it is exported to
    briefing: str
    kind: TargetKind
    target: str  # the id of what it is on ("" for the briefing itself)
    body: str
    anchor: Anchor | None
    created: str  # ISO 8601 UTC, to the second
    updated: str

    @property
    def on(self) -> Target:
        return Target(self.briefing, self.kind, self.target)


class UserGrading(msgspec.Struct, frozen=True):
    """The analyst's own grading of a claim, kept beside the editor's, never replacing it."""

    reliability: Reliability | None
    credibility: Credibility | None
    updated: str


class BriefingReview(NamedTuple):
    """What the library shows of one briefing's review."""

    sections_read: int
    flags: int
    notes: int


class ReviewContents(NamedTuple):
    """Everything in a store, in a stable order: what export writes and import merges."""

    reads: list[tuple[str, str]]  # (briefing, section)
    flags: list[tuple[Target, str]]
    notes: list[ReviewNote]
    gradings: list[tuple[Target, UserGrading]]


class MergeReport(NamedTuple):
    """What a merge changed: added or updated entries, and those already there."""

    sections_read: int = 0
    flags: int = 0
    notes_added: int = 0
    notes_updated: int = 0
    gradings_added: int = 0
    gradings_updated: int = 0
    unchanged: int = 0

    def describe(self) -> str:
        parts = [
            _count(self.notes_added, "note") + " added" if self.notes_added else "",
            _count(self.notes_updated, "note") + " updated" if self.notes_updated else "",
            _count(self.flags, "flag") + " set" if self.flags else "",
            _count(self.sections_read, "section") + " marked read" if self.sections_read else "",
            _count(self.gradings_added, "grading") + " added" if self.gradings_added else "",
            _count(self.gradings_updated, "grading") + " updated" if self.gradings_updated else "",
        ]
        said = ", ".join(part for part in parts if part) or "nothing new"
        if self.unchanged:
            said += f" ({self.unchanged} already in the store)"
        return said


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# Schema version N is what the first N migrations make; a migration is never
# edited once released, a new one is appended. Each runs in one transaction
# with the change of user_version, so a store is at one version or the next.
# CHECK constraints keep the types this module reads back, whoever writes.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE read_sections (
            briefing TEXT NOT NULL CHECK (typeof(briefing) = 'text'),
            section TEXT NOT NULL CHECK (typeof(section) = 'text'),
            PRIMARY KEY (briefing, section)
        ) WITHOUT ROWID""",
        """CREATE TABLE flags (
            briefing TEXT NOT NULL CHECK (typeof(briefing) = 'text'),
            kind TEXT NOT NULL CHECK (typeof(kind) = 'text'),
            target TEXT NOT NULL CHECK (typeof(target) = 'text'),
            flag TEXT NOT NULL CHECK (typeof(flag) = 'text'),
            PRIMARY KEY (briefing, kind, target, flag)
        ) WITHOUT ROWID""",
        # A rowid table: notes of the same second keep the order they were written in.
        """CREATE TABLE notes (
            id TEXT NOT NULL UNIQUE CHECK (typeof(id) = 'text'),
            briefing TEXT NOT NULL CHECK (typeof(briefing) = 'text'),
            kind TEXT NOT NULL CHECK (typeof(kind) = 'text'),
            target TEXT NOT NULL CHECK (typeof(target) = 'text'),
            body TEXT NOT NULL CHECK (typeof(body) = 'text'),
            anchor_section TEXT,
            anchor_exact TEXT,
            anchor_prefix TEXT,
            anchor_suffix TEXT,
            created TEXT NOT NULL CHECK (typeof(created) = 'text'),
            updated TEXT NOT NULL CHECK (typeof(updated) = 'text'),
            CHECK (
                (anchor_exact IS NULL AND anchor_section IS NULL AND anchor_prefix IS NULL AND anchor_suffix IS NULL)
                OR (typeof(anchor_exact) = 'text' AND typeof(anchor_section) = 'text'
                    AND typeof(anchor_prefix) = 'text' AND typeof(anchor_suffix) = 'text')
            )
        )""",
        "CREATE INDEX notes_of_briefing ON notes (briefing, created)",
        """CREATE TABLE gradings (
            briefing TEXT NOT NULL CHECK (typeof(briefing) = 'text'),
            kind TEXT NOT NULL CHECK (typeof(kind) = 'text'),
            target TEXT NOT NULL CHECK (typeof(target) = 'text'),
            reliability TEXT CHECK (reliability IS NULL OR reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
            credibility INTEGER CHECK (credibility IS NULL OR credibility IN (1, 2, 3, 4, 5, 6)),
            updated TEXT NOT NULL CHECK (typeof(updated) = 'text'),
            PRIMARY KEY (briefing, kind, target)
        ) WITHOUT ROWID""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

_T = TypeVar("_T")

_NOTE_COLUMNS = (
    "id, briefing, kind, target, body, anchor_section, anchor_exact, anchor_prefix, anchor_suffix, created, updated"
)


def now() -> str:
    """The time as the store writes it: ISO 8601, UTC, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_timestamp(text: str) -> bool:
    """Whether ``text`` is a time as the store writes it (and a real one: no 2024-02-30)."""
    if not _TIMESTAMP.match(text):
        return False
    try:
        datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return False
    return True


def text_problem(text: object, what: str, limit: int, *, empty: bool = True) -> str | None:
    """Why ``text`` cannot be stored as ``what``, or None."""
    if not isinstance(text, str):
        return f"{what} must be text"
    if not empty and not text:
        return f"{what} must not be empty"
    if len(text) > limit:
        return f"{what} is at most {limit:,} characters; this one has {len(text):,}"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates: not text any file or terminal can hold.
            return f"{what} holds characters that are not Unicode text"
    return None


def target_problem(target: Target) -> str | None:
    """Why ``target`` names nothing the store can hold, or None."""
    problem = text_problem(target.briefing, "a briefing key", MAX_KEY_CHARS, empty=False)
    if problem:
        return problem
    if target.kind not in TARGET_KINDS:
        return f"{target.kind!r} is not a kind of entry ({', '.join(TARGET_KINDS)})"
    problem = text_problem(target.id, f"the id of a {target.kind}", MAX_ID_CHARS)
    if problem:
        return problem
    if (target.kind == "briefing") != (target.id == ""):
        return "the briefing itself has no id" if target.id else f"a {target.kind} needs its id"
    return None


def anchor_problem(anchor: Anchor) -> str | None:
    return (
        text_problem(anchor.section, "an anchor's section", MAX_ID_CHARS)
        or text_problem(anchor.exact, "an anchor's quoted text", MAX_EXACT_CHARS, empty=False)
        or text_problem(anchor.prefix, "the text before an anchor", MAX_CONTEXT_CHARS)
        or text_problem(anchor.suffix, "the text after an anchor", MAX_CONTEXT_CHARS)
    )


def note_problem(note: ReviewNote) -> str | None:
    """Why a note (from an import) cannot be stored, or None."""
    if not (isinstance(note.id, str) and _NOTE_ID.match(note.id)):
        return "a note's id is 32 hexadecimal digits"
    problem = target_problem(note.on) or text_problem(note.body, "a note", MAX_NOTE_CHARS)
    if problem:
        return problem
    if note.anchor is not None:
        problem = anchor_problem(note.anchor)
        if problem:
            return problem
    if not (is_timestamp(note.created) and is_timestamp(note.updated)):
        return "a note's times are ISO 8601 UTC to the second (2024-12-23T10:00:00Z)"
    return None


def grading_problem(grading: UserGrading) -> str | None:
    if grading.reliability is not None and grading.reliability not in RELIABILITIES:
        return f"reliability is one of {', '.join(RELIABILITIES)}"
    credibility = grading.credibility
    if credibility is not None and (isinstance(credibility, bool) or credibility not in CREDIBILITIES):
        return "credibility is one of 1 to 6"
    if grading.reliability is None and grading.credibility is None:
        return "a grading gives a reliability, a credibility or both"
    if not is_timestamp(grading.updated):
        return "a grading's time is ISO 8601 UTC to the second (2024-12-23T10:00:00Z)"
    return None


class ReviewStore:
    """The review store of one file; see the module's docstring.

    One connection, shared by the threads of the process (the reader saves
    from a worker thread as well as from the event loop): ``check_same_thread``
    is off and every use of the connection holds ``_lock``, so statements of two
    threads never interleave inside a transaction.
    """

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        *,
        read_only: bool = False,
        problem: str | None = None,
        readable: bool = True,
    ) -> None:
        self._connection = connection
        self._lock = threading.Lock()
        self.path = path
        # Writes raise StoreError; ``problem`` says why.
        self.read_only = read_only
        # Why the store is read-only or incomplete, for the user; None when all is well.
        self.problem = problem
        # False when a file is there but nothing of it could be read: the store is an empty stand-in.
        self.readable = readable
        # Of a store open for writing: "wal", unless its file system cannot have it (see _prepare).
        self.journal_mode: str | None = None
        self._data_version: int | None = None

    @classmethod
    def open(cls, path: Path | None = None, *, create: bool = True) -> ReviewStore:
        """The store at ``path`` (``paths.review_store_path()`` by default); never raises.

        ``create=False`` leaves a missing store missing (an export of nothing
        need not make a file): it is then an empty read-only stand-in, with no
        problem to report.
        """
        if path is None:
            from briefing.storage.paths import review_store_path

            path = review_store_path()
        try:
            return _open(path, create=create)
        except (sqlite3.Error, OSError) as error:
            # What the steps below did not foresee still leaves the reader working.
            return _stand_in(path, f"{path} cannot be opened: {_reason(error)}", readable=False)

    # Reading

    def sections_read(self, briefing: str) -> set[str]:
        rows = self._read("SELECT section FROM read_sections WHERE briefing = ?", (briefing,))
        return {section for (section,) in rows if isinstance(section, str)}

    def flags(self, briefing: str) -> dict[tuple[str, str], frozenset[str]]:
        """The flags set on the briefing and its entries, by (kind, id); only flags of ``FLAGS``."""
        found: dict[tuple[str, str], set[str]] = {}
        for kind, target, flag in self._read("SELECT kind, target, flag FROM flags WHERE briefing = ?", (briefing,)):
            if kind in TARGET_KINDS and isinstance(target, str) and flag in FLAG_BY_NAME:
                found.setdefault((kind, target), set()).add(flag)
        return {where: frozenset(names) for where, names in found.items()}

    def notes(self, briefing: str) -> list[ReviewNote]:
        """The briefing's notes, oldest first (those of the same second in the order they were written)."""
        rows = self._read(
            f"SELECT {_NOTE_COLUMNS} FROM notes WHERE briefing = ? ORDER BY created, rowid",
            (briefing,),
        )
        return [note for note in map(_note_of_row, rows) if note is not None]

    def gradings(self, briefing: str) -> dict[tuple[str, str], UserGrading]:
        rows = self._read(
            "SELECT kind, target, reliability, credibility, updated FROM gradings WHERE briefing = ?", (briefing,)
        )
        found: dict[tuple[str, str], UserGrading] = {}
        for kind, target, reliability, credibility, updated in rows:
            grading = _grading_of_row(reliability, credibility, updated)
            if grading is not None and kind in TARGET_KINDS and isinstance(target, str):
                found[(kind, target)] = grading
        return found

    def summary(self) -> dict[str, BriefingReview]:
        """Counts for every briefing with anything in the store, by key."""
        with self._reading() as connection:
            counts: dict[str, list[int]] = {}
            for column, table in enumerate(("read_sections", "flags", "notes")):
                query = f"SELECT briefing, count(*) FROM {table} GROUP BY briefing"
                for briefing, count in connection.execute(query):
                    if isinstance(briefing, str):
                        counts.setdefault(briefing, [0, 0, 0])[column] = count
        return {key: BriefingReview(*numbers) for key, numbers in counts.items()}

    def keys_with(self, what: Literal["flagged", "noted"]) -> set[str]:
        """The keys of the briefings with a flag (on anything in them), or with a note."""
        table = {"flagged": "flags", "noted": "notes"}[what]
        rows = self._read(f"SELECT DISTINCT briefing FROM {table}", ())
        return {key for (key,) in rows if isinstance(key, str)}

    def changed_elsewhere(self) -> bool:
        """Whether another connection (another reader) saved a change since the last call.

        The first call answers False and starts the count. Cheap
        (``PRAGMA data_version``): a screen can ask it when it is shown again.
        """
        rows = self._read("PRAGMA data_version", ())
        version = rows[0][0] if rows else None
        previous, self._data_version = self._data_version, version
        return previous is not None and version != previous

    def contents(self) -> ReviewContents:
        """Everything, read in one transaction: a change saved meanwhile elsewhere is in it whole or not at all.

        In an order that depends on the contents alone (notes by time, then
        id), so two stores holding the same review export the same document.
        Raises ``StoreError`` when the file cannot be read: an export is whole or not made.
        """
        with self._lock:
            connection = self._connection
            try:
                connection.execute("BEGIN")
                try:
                    reads = connection.execute(
                        "SELECT briefing, section FROM read_sections ORDER BY briefing, section"
                    ).fetchall()
                    flags = connection.execute(
                        "SELECT briefing, kind, target, flag FROM flags ORDER BY briefing, kind, target"
                    ).fetchall()
                    notes = connection.execute(
                        f"SELECT {_NOTE_COLUMNS} FROM notes ORDER BY briefing, created, id"
                    ).fetchall()
                    gradings = connection.execute(
                        "SELECT briefing, kind, target, reliability, credibility, updated FROM gradings"
                        " ORDER BY briefing, kind, target"
                    ).fetchall()
                finally:
                    if connection.in_transaction:
                        connection.execute("COMMIT")
            except sqlite3.Error as error:
                self._unreadable(error)
                raise StoreError(f"{self.path} cannot be read: {_reason(error)}") from None
        return ReviewContents(
            [(briefing, section) for briefing, section in reads if _texts(briefing, section)],
            sorted(
                (
                    (Target(briefing, kind, target), flag)
                    for briefing, kind, target, flag in flags
                    if _texts(briefing, target) and kind in TARGET_KINDS and flag in FLAG_BY_NAME
                ),
                key=lambda item: (item[0], _FLAG_ORDER[item[1]]),
            ),
            [note for note in map(_note_of_row, notes) if note is not None],
            [
                (Target(briefing, kind, target), grading)
                for briefing, kind, target, *values in gradings
                if _texts(briefing, target) and kind in TARGET_KINDS
                for grading in (_grading_of_row(*values),)
                if grading is not None
            ],
        )

    # Changes: each one transaction, StoreError when it is not saved

    def set_read(self, briefing: str, section: str, read: bool = True) -> None:
        self._check(target_problem(Target(briefing, "section", section)))

        def change(connection: sqlite3.Connection) -> None:
            if read:
                connection.execute("INSERT OR IGNORE INTO read_sections VALUES (?, ?)", (briefing, section))
            else:
                connection.execute("DELETE FROM read_sections WHERE briefing = ? AND section = ?", (briefing, section))

        self._write(change)

    def toggle_flag(self, target: Target, flag: str) -> bool:
        """Set the flag if it is not set, clear it if it is; the new state."""
        self._check(target_problem(target))
        if flag not in FLAG_BY_NAME:
            self._check(f"{flag!r} is not a flag ({', '.join(FLAG_BY_NAME)})")

        def change(connection: sqlite3.Connection) -> bool:
            cleared = connection.execute(
                "DELETE FROM flags WHERE briefing = ? AND kind = ? AND target = ? AND flag = ?", (*target, flag)
            ).rowcount
            if cleared:
                return False
            connection.execute("INSERT INTO flags VALUES (?, ?, ?, ?)", (*target, flag))
            return True

        return self._write(change)

    def add_note(self, target: Target, body: str, anchor: Anchor | None = None) -> ReviewNote:
        """A new note, saved (on disk) when this returns."""
        self._check(target_problem(target) or text_problem(body, "a note", MAX_NOTE_CHARS))
        if anchor is not None:
            self._check(anchor_problem(anchor))
        time = now()
        note = ReviewNote(uuid.uuid4().hex, target.briefing, target.kind, target.id, body, anchor, time, time)
        self._write(lambda connection: _insert_note(connection, note))
        return note

    def update_note(self, note_id: str, body: str) -> None:
        self._check(text_problem(body, "a note", MAX_NOTE_CHARS))

        def change(connection: sqlite3.Connection) -> None:
            changed = connection.execute(
                "UPDATE notes SET body = ?, updated = ? WHERE id = ?", (body, now(), note_id)
            ).rowcount
            if not changed:
                raise StoreError(f"{self.path}: not saved: the note is no longer in the store (deleted elsewhere?)")

        self._write(change)

    def delete_note(self, note_id: str) -> None:
        """Delete the note; one already gone (deleted in another reader) is no error."""
        self._write(lambda connection: connection.execute("DELETE FROM notes WHERE id = ?", (note_id,)))

    def set_grading(self, target: Target, reliability: str | None, credibility: int | None) -> None:
        """The analyst's grading of ``target``; neither value clears it."""
        self._check(target_problem(target))
        if reliability is None and credibility is None:
            self._write(
                lambda connection: connection.execute(
                    "DELETE FROM gradings WHERE briefing = ? AND kind = ? AND target = ?", tuple(target)
                )
            )
            return
        grading = UserGrading(reliability, credibility, now())  # type: ignore[arg-type]  # checked next
        self._check(grading_problem(grading))
        self._write(lambda connection: _put_grading(connection, target, grading))

    def merge(self, contents: ReviewContents) -> MergeReport:
        """Add what ``contents`` holds that the store does not, all in one transaction.

        Nothing is duplicated: a section read and a flag are there or not; a
        note is the same note by its id, a grading by what it is on. Of two
        versions of a note or a grading, the one updated last wins; of two
        updated in the same second, the greater one (compared as encoded), so
        two stores that import each other's exports end up the same. Nothing
        is removed: a flag cleared or a note deleted here stays in the other store.
        """
        self._check_contents(contents)

        def change(connection: sqlite3.Connection) -> MergeReport:
            sections = flags = notes_added = notes_updated = gradings_added = gradings_updated = unchanged = 0
            for briefing, section in contents.reads:
                added = connection.execute(
                    "INSERT OR IGNORE INTO read_sections VALUES (?, ?)", (briefing, section)
                ).rowcount
                sections += added
                unchanged += 1 - added
            for target, flag in contents.flags:
                added = connection.execute("INSERT OR IGNORE INTO flags VALUES (?, ?, ?, ?)", (*target, flag)).rowcount
                flags += added
                unchanged += 1 - added
            for note in contents.notes:
                row = connection.execute(f"SELECT {_NOTE_COLUMNS} FROM notes WHERE id = ?", (note.id,)).fetchone()
                if row is None:
                    _insert_note(connection, note)
                    notes_added += 1
                    continue
                here = _note_of_row(row)
                if here is None or _newer(note, note.updated, here, here.updated):
                    _replace_note(connection, note)
                    notes_updated += 1
                else:
                    unchanged += 1
            for target, grading in contents.gradings:
                row = connection.execute(
                    "SELECT reliability, credibility, updated FROM gradings"
                    " WHERE briefing = ? AND kind = ? AND target = ?",
                    tuple(target),
                ).fetchone()
                current = None if row is None else _grading_of_row(*row)
                if current is not None and not _newer(grading, grading.updated, current, current.updated):
                    unchanged += 1
                    continue
                _put_grading(connection, target, grading)
                if row is None:
                    gradings_added += 1
                else:
                    gradings_updated += 1
            return MergeReport(sections, flags, notes_added, notes_updated, gradings_added, gradings_updated, unchanged)

        return self._write(change)

    def close(self) -> None:
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._connection.close()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()

    # The connection

    def _check(self, problem: str | None) -> None:
        if problem:
            raise StoreError(f"{self.path}: not saved: {problem}")

    def _check_contents(self, contents: ReviewContents) -> None:
        for briefing, section in contents.reads:
            self._check(target_problem(Target(briefing, "section", section)))
        for target, flag in contents.flags:
            self._check(target_problem(target) or (None if flag in FLAG_BY_NAME else f"{flag!r} is not a flag"))
        for note in contents.notes:
            self._check(note_problem(note))
        for target, grading in contents.gradings:
            self._check(target_problem(target) or grading_problem(grading))

    def _read(self, query: str, parameters: tuple[Any, ...]) -> list[Any]:
        """The rows of ``query``, or none when the file cannot be read (``problem`` then says why)."""
        with self._lock:
            try:
                return self._connection.execute(query, parameters).fetchall()
            except sqlite3.Error as error:
                self._unreadable(error)
                return []

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """Several reads in one transaction: one consistent view of the file."""
        with self._lock:
            connection = self._connection
            try:
                connection.execute("BEGIN")
                try:
                    yield connection
                finally:
                    if connection.in_transaction:
                        connection.execute("COMMIT")
            except sqlite3.Error as error:
                self._unreadable(error)

    def _unreadable(self, error: sqlite3.Error) -> None:
        if _code(error) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            self.read_only = True
            self.problem = f"{self.path} is damaged ({_reason(error)}; left as it is)"
        elif self.problem is None:
            self.problem = f"{self.path} cannot be read: {_reason(error)}"

    def _write(self, change: Callable[[sqlite3.Connection], _T]) -> _T:
        with self._lock:
            if self.read_only:
                raise StoreError(f"not saved: {self.problem}" if self.problem else f"{self.path}: not saved: read-only")
            connection = self._connection
            try:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    result = change(connection)
                    connection.execute("COMMIT")
                except BaseException:
                    # After some errors (a full disk, I/O) SQLite has rolled back already.
                    if connection.in_transaction:
                        with contextlib.suppress(sqlite3.Error):
                            connection.execute("ROLLBACK")
                    raise
            except sqlite3.Error as error:
                raise self._not_saved(error) from None
            return result

    def _not_saved(self, error: sqlite3.Error) -> StoreError:
        code = _code(error)
        if code == _SQLITE_FULL:
            # Kept writable: the next change may find room again.
            return StoreError(f"{self.path}: not saved: the disk is full")
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
            return StoreError(
                f"{self.path}: not saved: another process kept the store busy for over {BUSY_TIMEOUT_SECONDS:g} s"
            )
        if code in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
            self.read_only = True
            self.problem = f"{self.path} cannot be written ({_reason(error)})"
            return StoreError(f"not saved: {self.problem}")
        if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            self._unreadable(error)
            return StoreError(f"not saved: {self.problem}")
        if code == _SQLITE_IOERR:
            return StoreError(f"{self.path}: not saved: the disk could not be written ({_reason(error)})")
        return StoreError(f"{self.path}: not saved: {_reason(error)}")


def _newer(incoming: msgspec.Struct, incoming_time: str, here: msgspec.Struct, here_time: str) -> bool:
    if incoming_time != here_time:
        return incoming_time > here_time
    return msgspec.json.encode(incoming) > msgspec.json.encode(here)


def _insert_note(connection: sqlite3.Connection, note: ReviewNote) -> None:
    connection.execute(f"INSERT INTO notes ({_NOTE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _note_row(note))


def _replace_note(connection: sqlite3.Connection, note: ReviewNote) -> None:
    # An update in place, not delete and insert: the note keeps its place among those of the same second.
    assignments = ", ".join(f"{column} = ?" for column in _NOTE_COLUMNS.split(", "))
    connection.execute(f"UPDATE notes SET {assignments} WHERE id = ?", (*_note_row(note), note.id))


def _note_row(note: ReviewNote) -> tuple[str | None, ...]:
    anchor = note.anchor
    return (
        note.id,
        note.briefing,
        note.kind,
        note.target,
        note.body,
        *((anchor.section, anchor.exact, anchor.prefix, anchor.suffix) if anchor else (None,) * 4),
        note.created,
        note.updated,
    )


def _texts(*values: object) -> bool:
    return all(isinstance(value, str) for value in values)


def _put_grading(connection: sqlite3.Connection, target: Target, grading: UserGrading) -> None:
    connection.execute(
        "INSERT OR REPLACE INTO gradings VALUES (?, ?, ?, ?, ?, ?)",
        (*target, grading.reliability, grading.credibility, grading.updated),
    )


def _note_of_row(row: tuple[Any, ...]) -> ReviewNote | None:
    """The note of a row, or None for a row of values this module never writes."""
    note_id, briefing, kind, target, body, section, exact, prefix, suffix, created, updated = row
    if not _texts(note_id, briefing, target, body, created, updated) or kind not in TARGET_KINDS:
        return None
    anchor = None
    if exact is not None:
        if not _texts(section, exact, prefix, suffix):
            return None
        anchor = Anchor(section, exact, prefix, suffix)
    return ReviewNote(note_id, briefing, kind, target, body, anchor, created, updated)


def _grading_of_row(reliability: object, credibility: object, updated: object) -> UserGrading | None:
    if reliability is not None and reliability not in RELIABILITIES:
        return None
    if credibility is not None and (isinstance(credibility, bool) or credibility not in CREDIBILITIES):
        return None
    if not isinstance(updated, str) or (reliability is None and credibility is None):
        return None
    return UserGrading(reliability, credibility, updated)  # type: ignore[arg-type]  # checked above


def _code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return str(error.strerror or error)
    return str(error) or type(error).__name__


# Opening


def _open(path: Path, *, create: bool) -> ReviewStore:
    directory = path.parent
    if not create and not os.path.lexists(path):
        return _stand_in(path, None)
    try:
        private_directory(str(directory))
    except Refused as refused:
        # Another user could swap the file for a link or plant one of theirs:
        # never written there, read from a copy taken in one safe read.
        return _copy_in_memory(path, f"{directory} {refused}")
    try:
        status: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        status = None
    if status is not None:
        if stat.S_ISLNK(status.st_mode):
            # SQLite would write through it; nothing of briefing's writes through a link.
            return _copy_in_memory(path, f"{path} is a symbolic link (never written through)")
        if not stat.S_ISREG(status.st_mode):
            return _stand_in(path, f"{path} is {kind_of(status.st_mode)}, not a review store", readable=False)
        if not (os.access(path, os.W_OK) and os.access(directory, os.W_OK)):
            # The directory too: the write-ahead log and its index are made beside the file.
            return _open_read_only(path, f"{path} cannot be written (read-only)")
    elif not os.access(directory, os.W_OK):
        return _stand_in(path, f"{directory} cannot be written")
    try:
        connection = _connect(path)
    except sqlite3.Error as error:
        return _after_open_failure(path, error)
    try:
        identity, version = _identify(connection)
        if identity in ("ours", "fresh"):
            journal_mode = _prepare(connection)
            if version < SCHEMA_VERSION:
                identity, version = _migrate(connection)
    except sqlite3.Error as error:
        connection.close()
        return _after_open_failure(path, error)
    if identity in ("ours", "fresh"):
        store = ReviewStore(connection, path)
        store.journal_mode = journal_mode
        return store
    connection.close()
    if identity == "newer":
        return _open_read_only(
            path, f"{path} was written by a newer briefing (store schema {version}; this one knows {SCHEMA_VERSION})"
        )
    return _stand_in(path, _FOREIGN.format(path=path), readable=False)


_FOREIGN = "{path} is not a briefing review store (left as it is)"


def _connect(path: Path | str, *, uri: bool = False) -> sqlite3.Connection:
    # isolation_level=None: no transaction but those this module begins itself.
    # check_same_thread=False: see ReviewStore (one lock guards the connection).
    connection = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False, uri=uri
    )
    # The file's schema could carry triggers or views: none of them may call a function with side effects.
    connection.execute("PRAGMA trusted_schema = OFF")
    return connection


Identity = Literal["ours", "fresh", "newer", "foreign"]


def _identify(connection: sqlite3.Connection) -> tuple[Identity, int]:
    """What the file is, read without writing anything (a foreign file stays as it is).

    The three facts are read in one read transaction: read one by one, they
    could straddle another process's first commit of the schema (the
    application id from before it, the tables from after) and call a store
    being made "foreign".
    """
    began = not connection.in_transaction
    if began:
        connection.execute("BEGIN")
    try:
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        objects = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    finally:
        if began and connection.in_transaction:
            connection.execute("COMMIT")
    if application_id == APPLICATION_ID:
        return ("newer" if version > SCHEMA_VERSION else "ours"), version
    if application_id == 0 and version == 0 and objects == 0:
        return "fresh", 0
    return "foreign", version


def _prepare(connection: sqlite3.Connection) -> str:
    """Settings of the connection; the journal mode it ended up with.

    WAL can be refused: some file systems (network ones) cannot share the
    log's index in memory, and SQLite then keeps its rollback journal. That
    is still safe: every change is one transaction that waits for the lock
    (the busy timeout); only readers then wait for a writer's commit too.
    """
    mode = _wal(connection)
    connection.execute("PRAGMA synchronous = FULL")
    return mode


def _wal(connection: sqlite3.Connection) -> str:
    """Switch to WAL (kept in the file: once made, a store stays WAL); the mode it is in then.

    SQLite answers a switch "database is locked" at once, without waiting as
    it does for a transaction, when another connection has the file open at
    that moment (two readers starting together on a new store): it is tried
    again until the busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    pause = 0.005
    while True:
        try:
            current = str(connection.execute("PRAGMA journal_mode").fetchone()[0]).lower()
            if current == "wal":
                return current
            return str(connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
        except sqlite3.OperationalError as error:
            if _code(error) not in (_SQLITE_BUSY, _SQLITE_LOCKED) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def _migrate(connection: sqlite3.Connection) -> tuple[Identity, int]:
    """Bring the schema up to date, in one transaction; what the file is then."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Again under the write lock: another process may have made or migrated it meanwhile.
        identity, version = _identify(connection)
        if identity in ("ours", "fresh"):
            for migration in MIGRATIONS[version:]:
                for statement in migration:
                    connection.execute(statement)
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            identity, version = "ours", SCHEMA_VERSION
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
        raise
    return identity, version


def _after_open_failure(path: Path, error: sqlite3.Error) -> ReviewStore:
    code = _code(error)
    if code in (_SQLITE_NOTADB, _SQLITE_CORRUPT):
        return _stand_in(
            path, f"{path} is damaged or not a review store ({_reason(error)}; left as it is)", readable=False
        )
    if code == _SQLITE_FULL:
        return _open_read_only(path, f"{path} cannot be written: the disk is full")
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return _open_read_only(path, f"{path} was kept busy by another process for over {BUSY_TIMEOUT_SECONDS:g} s")
    return _open_read_only(path, f"{path} cannot be written ({_reason(error)})")


def _open_read_only(path: Path, reason: str) -> ReviewStore:
    """The file opened for reading only, or an empty stand-in when there is nothing to read or it cannot be."""
    try:
        if os.path.getsize(path) == 0:
            return _stand_in(path, reason)
    except OSError:
        return _stand_in(path, reason)
    uri = path.absolute().as_uri()
    attempts = [f"{uri}?mode=ro"]
    if not os.path.exists(f"{path}-wal"):
        # In a directory that cannot be written, a store in WAL mode cannot
        # make the log's index: with no log there, the file alone is the
        # whole store, and "immutable" reads it without an index.
        attempts.append(f"{uri}?mode=ro&immutable=1")
    failure: sqlite3.Error = sqlite3.Error("not read")
    for attempt in attempts:
        try:
            connection = _connect(attempt, uri=True)
            connection.execute("PRAGMA query_only = ON")
            identity, _ = _identify(connection)
        except sqlite3.Error as error:
            with contextlib.suppress(UnboundLocalError, sqlite3.Error):
                connection.close()
            failure = error
            continue
        if identity in ("ours", "newer"):
            return ReviewStore(connection, path, read_only=True, problem=reason)
        connection.close()
        return _stand_in(path, _FOREIGN.format(path=path), readable=False)
    return _stand_in(path, f"{reason}, and it cannot be read ({_reason(failure)})", readable=False)


def _copy_in_memory(path: Path, reason: str) -> ReviewStore:
    """The store as one bounded read of a regular file puts it in memory (without its write-ahead log)."""
    try:
        data = bytearray(read_regular(str(path), MAX_COPY_BYTES, limit_of=" for a review store"))
    except Missing:
        return _stand_in(path, reason)
    except Refused as refused:
        return _stand_in(path, f"{reason}, and {path} {refused}", readable=False)
    if not data:
        return _stand_in(path, reason)
    # Header bytes 18-19 say "WAL" (2): the copy has no log to go with it, so it says "rollback journal" (1).
    if data[18:20] == b"\x02\x02":
        data[18:20] = b"\x01\x01"
    connection = _connect(":memory:")
    try:
        connection.deserialize(bytes(data))
        connection.execute("PRAGMA query_only = ON")
        identity, _ = _identify(connection)
    except sqlite3.Error as error:
        connection.close()
        return _stand_in(path, f"{reason}, and it cannot be read ({_reason(error)})", readable=False)
    if identity not in ("ours", "newer"):
        connection.close()
        return _stand_in(path, f"{reason}, and it is not a briefing review store", readable=False)
    return ReviewStore(connection, path, read_only=True, problem=reason)


def _stand_in(path: Path, reason: str | None, *, readable: bool = True) -> ReviewStore:
    """An empty store in memory, read-only: the reader works, and ``problem`` says why nothing is saved."""
    connection = _connect(":memory:")
    for migration in MIGRATIONS:
        for statement in migration:
            connection.execute(statement)
    connection.execute("PRAGMA query_only = ON")
    return ReviewStore(connection, path, read_only=True, problem=reason, readable=readable)
