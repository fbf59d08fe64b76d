"""A library: every briefing under a directory, listed and searched through one index.

``Library.open(root)`` scans ``root`` for ``*.toml`` files (one ``stat`` each),
brings the search index up to date (``search_index.py``: only new and
changed files are read) and lists every briefing from the index, valid or
not, without parsing any of them. The bundled briefings are always in the
library, unless a file of the library has the same key.

A briefing's *key* names it in the review store and the index: its path
relative to the library's root, with ``/`` between directories and without
``.toml`` (``2024/kyiv``); a bundled briefing's is its file's stem (``sparta``).

The scan is bounded: hidden files and directories (a name starting with ".")
are passed over, links to directories are followed once each (a link back up
the tree is no loop), at most ``MAX_DEPTH`` directories deep and ``MAX_FILES``
files; what is left out is said in ``Library.problems``, never passed over in
silence. A ``*.toml`` that is not a regular file is listed as broken.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import zlib
from collections.abc import Callable, Iterable
from typing import NamedTuple, TypeVar

from briefing.library.query import Query, ReviewState, parse_query
from briefing.library.search_index import (
    BriefingEntry,
    Changes,
    Hit,
    Progress,
    SearchIndex,
    SearchUnavailable,
    Source,
)
from briefing.storage.files import Refused, private_directory
from briefing.storage.paths import bundled_content_dir, cache_dir

__all__ = [
    "MAX_DEPTH",
    "MAX_FILES",
    "BriefingEntry",
    "Changes",
    "Hit",
    "Library",
    "SearchUnavailable",
    "briefing_key",
    "default_library_root",
    "index_path_for",
    "scan_library",
]

MAX_FILES = 10_000
MAX_DEPTH = 32
SUFFIX = ".toml"

T = TypeVar("T")


def default_library_root() -> str:
    """The user's library: ``library`` in the settings (``~`` expanded), else ``$XDG_DATA_HOME/briefing/library``."""
    from briefing.storage.settings import library_root

    return library_root()


def briefing_key(path: str | os.PathLike[str], library_root: str | os.PathLike[str] | None) -> str:
    """``path`` relative to ``library_root``, POSIX separators, no ``.toml``; its stem when outside it."""
    name = os.fspath(path)
    relative = None
    if library_root is not None:
        root = os.path.abspath(os.fspath(library_root))
        absolute = os.path.abspath(name)
        if absolute.startswith(root.rstrip(os.sep) + os.sep):
            relative = absolute[len(root.rstrip(os.sep)) + 1 :]
    if relative is None:
        relative = os.path.basename(name)
    return _key(relative)


def _key(relative: str) -> str:
    key = relative[: -len(SUFFIX)] if relative.endswith(SUFFIX) else relative
    key = key.replace(os.sep, "/")
    # A name that is not UTF-8 (os.fsdecode keeps its bytes as lone surrogates)
    # cannot be stored as text: such bytes show as U+FFFD in the key.
    return key.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class Scanned(NamedTuple):
    # (path relative to the root, path to open, its status)
    files: list[tuple[str, str, os.stat_result]]
    problems: list[str]


def scan(root: str) -> Scanned:
    """Every ``*.toml`` under ``root``, in name order, within the bounds above."""
    files: list[tuple[str, str, os.stat_result]] = []
    problems: list[str] = []
    try:
        top = os.stat(root)
    except OSError as error:
        return Scanned(files, [f"{root}: {_reason(error)}"])
    if not stat.S_ISDIR(top.st_mode):
        return Scanned(files, [f"{root}: not a directory"])
    seen = {(top.st_dev, top.st_ino)}
    # A loop over a stack, not recursion: how deep a tree goes is not ours to choose.
    stack: list[tuple[str, str, int]] = [(root, "", 0)]
    while stack:
        directory, relative, depth = stack.pop()
        try:
            with os.scandir(directory) as listing:
                found = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            problems.append(f"{directory}: cannot be listed: {_reason(error)}")
            continue
        subdirectories = []
        for entry in found:
            if entry.name.startswith("."):
                continue
            inside = os.path.join(relative, entry.name) if relative else entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                try:
                    status = entry.stat()
                except OSError as error:
                    problems.append(f"{entry.path}: {_reason(error)}")
                    continue
                if (status.st_dev, status.st_ino) in seen:
                    continue
                seen.add((status.st_dev, status.st_ino))
                if depth + 1 > MAX_DEPTH:
                    problems.append(f"{entry.path}: more than {MAX_DEPTH} directories deep, not looked into")
                    continue
                subdirectories.append((entry.path, inside, depth + 1))
            elif entry.name.endswith(SUFFIX):
                if len(files) >= MAX_FILES:
                    problems.append(f"{root}: more than {MAX_FILES:,} briefings; the first {MAX_FILES:,} are listed")
                    return Scanned(files, problems)
                try:
                    status = entry.stat()
                except OSError:
                    try:
                        # A dangling link: listed, and its problem said when it is read.
                        status = entry.stat(follow_symlinks=False)
                    except OSError as error:
                        problems.append(f"{entry.path}: {_reason(error)}")
                        continue
                files.append((inside, entry.path, status))
        # Reversed onto the stack: subdirectories are then taken in name order.
        stack.extend(reversed(subdirectories))
    return Scanned(files, problems)


def scan_library(root: str) -> list[str]:
    """The paths of the library's ``*.toml`` files under ``root`` (bundled ones aside)."""
    return [path for _, path, _ in scan(root).files]


def index_path_for(root: str | None) -> str:
    """Where the index of the library at ``root`` lives: one per resolved directory, in the cache."""
    name = os.fsencode(os.path.realpath(root)) if root is not None else b"<bundled>"
    return os.path.join(cache_dir(), f"library-{zlib.crc32(name):08x}{zlib.adler32(name):08x}.sqlite3")


class Library:
    """The briefings of one directory (and the bundled ones), their index, and searches over them."""

    def __init__(self, root: str | None, index: SearchIndex, *, include_bundled: bool) -> None:
        self.root = root
        self.index = index
        self.include_bundled = include_bundled
        self.entries: list[BriefingEntry] = []
        # What was left out, or could not be done, in words for the user.
        self.problems: list[str] = []
        self._by_path: dict[str, BriefingEntry] = {}

    @classmethod
    def open(
        cls,
        root: str | os.PathLike[str] | None,
        *,
        index_path: str | None = None,
        include_bundled: bool = True,
        progress: Progress | None = None,
        rebuild: bool = False,
    ) -> Library:
        """The library of ``root`` (None: the bundled briefings alone), its index brought up to date.

        ``index_path`` overrides where the index is kept; by default, in the
        cache directory (in memory when that cannot be used: then every
        start indexes again, and ``problems`` says why). With ``rebuild``
        the index is made again from scratch, every file parsed.
        """
        name = os.fspath(root) if root is not None else None
        bundled_dir = str(bundled_content_dir())

        def resolve(stored: bytes, bundled: bool) -> str:
            base = bundled_dir if bundled or name is None else name
            return os.path.join(base, os.fsdecode(stored))

        problem = None
        path: str | None = index_path
        if path is None:
            try:
                private_directory(cache_dir())
                path = index_path_for(name)
            except Refused as refused:
                problem = f"the cache directory {cache_dir()} {refused}: the search index is kept in memory"
        library = cls(name, SearchIndex.open(path, resolve), include_bundled=include_bundled)
        if rebuild:
            library.index.rebuild()
        library.refresh(progress)
        if problem:
            library.problems.insert(0, problem)
        return library

    def close(self) -> None:
        self.index.close()

    # Keeping up with the files

    def sources(self) -> tuple[list[Source], list[str]]:
        """The files of the library as they are now, and what the scan could not look at."""
        sources: list[Source] = []
        problems: list[str] = []
        keys: set[str] = set()
        if self.root is not None:
            scanned = scan(self.root)
            problems += scanned.problems
            for relative, path, status in scanned.files:
                key = _key(relative)
                keys.add(key)
                sources.append(_source(os.fsencode(relative), path, key, False, status))
        if self.include_bundled or self.root is None:
            bundled_dir = str(bundled_content_dir())
            with contextlib.suppress(OSError):
                for name in sorted(os.listdir(bundled_dir)):
                    if not name.endswith(SUFFIX) or name.startswith("."):
                        continue
                    key = _key(name)
                    if key in keys:
                        continue  # the library's own file of that name wins
                    path = os.path.join(bundled_dir, name)
                    with contextlib.suppress(OSError):
                        sources.append(_source(os.fsencode(name), path, key, True, os.stat(path)))
        return sources, problems

    def refresh(self, progress: Progress | None = None) -> Changes:
        """Pick up new, changed and deleted files; the entries again."""
        sources, problems = self.sources()
        changes = self._guard(lambda: self.index.update(sources, progress))
        self.problems = problems + [problem for problem in (self.index.problem, self.index.update_problem) if problem]
        self._load_entries()
        return changes

    def rebuild(self, progress: Progress | None = None) -> Changes:
        """The index made again from scratch, every file read and parsed."""
        self.index.rebuild()
        return self.refresh(progress)

    def _load_entries(self) -> None:
        self.entries = self._guard(self.index.entries)
        self._by_path = {entry.path: entry for entry in self.entries}

    def _guard(self, call: Callable[[], T]) -> T:
        """``call``, once more on a fresh index if the one on disk turns out damaged."""
        try:
            return call()
        except sqlite3.OperationalError as error:
            raise SearchUnavailable(f"the search index cannot be read: {error}") from None
        except sqlite3.DatabaseError:
            # Damaged under us (a bad disk, a torn copy): it is a cache, made again.
            self.index.rebuild()
            sources, _ = self.sources()
            self.index.update(sources)
            return call()

    # Looking things up

    def entry(self, path_or_key: str) -> BriefingEntry | None:
        """The briefing at a path (as entries give it) or of a key."""
        found = self._by_path.get(path_or_key)
        if found is not None:
            return found
        return next((entry for entry in self.entries if entry.key == path_or_key), None)

    def search(self, query: str | Query, review: ReviewState | None = None, limit: int = 200) -> list[Hit]:
        """Hits of ``query`` (raises ``QueryError`` for a string that is no query), best first."""
        parsed = parse_query(query) if isinstance(query, str) else query
        return self._guard(lambda: self.index.search(parsed, review, limit))

    def matching(self, query: str | Query, review: ReviewState | None = None) -> list[BriefingEntry]:
        """The valid briefings every filter of ``query`` holds for (its words aside), by key."""
        parsed = parse_query(query) if isinstance(query, str) else query
        return self._guard(lambda: self.index.matching(parsed, review))

    def appearances(self, kind: str, entity_id: str, name: str, aliases: Iterable[str] = ()) -> list[BriefingEntry]:
        """The briefings with the same entity: an entity of ``kind`` with the same id, name or alias.

        The briefing asked from is among them; an asset, actor or location
        only (events and quotes have no names to compare).
        """
        names = [name, *aliases]
        return self._guard(lambda: self.index.appearances(kind, entity_id, names))


def _source(stored: bytes, path: str, key: str, bundled: bool, status: os.stat_result) -> Source:
    return Source(stored, path, key, bundled, status.st_size, status.st_mtime_ns, status.st_ino)


def _reason(error: OSError) -> str:
    return "permission denied" if isinstance(error, PermissionError) else (error.strerror or str(error))
