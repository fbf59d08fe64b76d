"""Briefing files on disk: read safely, parsed by the format, kept in the cache when asked.

``load_briefing`` is what ``check`` and ``show`` use: the file's bytes
(a regular file only, at most ``MAX_BYTES``) through the format's
``parse_briefing``. The reader uses ``open_briefing`` with ``cache=True``:
a file validated before comes from the cache of validated briefings
(parsed_cache.py), and a large one may be left to parse after the first frame.

A file whose name ends in ``.json`` is read as the JSON form (what
``briefing export --to json`` writes); any other as TOML. The name decides
here, never in the format, which is told the syntax.
"""

from __future__ import annotations

import os

from briefing.format.limits import MAX_BYTES
from briefing.format.problems import Syntax
from briefing.format.reading import LoadResult, PendingLoad, failure
from briefing.storage.files import Refused, read_regular

JSON_SUFFIX = ".json"


def syntax_of(path: str) -> Syntax:
    """What the file at ``path`` is written in, by its name: ``.json`` (any case) is the JSON form."""
    return "json" if path.lower().endswith(JSON_SUFFIX) else "toml"


def load_briefing(path: str | os.PathLike[str], *, cache: bool = False) -> LoadResult:
    """Read and validate the briefing at ``path`` (through the cache with ``cache``)."""
    opened = open_briefing(path, cache=cache)
    return opened.finish() if isinstance(opened, PendingLoad) else opened


class CachingLoad(PendingLoad):
    """A pending load whose briefing, once validated, is kept in the cache."""

    def finish(self) -> LoadResult:
        result = super().finish()
        if result.ok and result.briefing is not None:
            from briefing.storage import parsed_cache

            parsed_cache.store(self.file, self.data, result.briefing)
        return result


def open_briefing(
    path: str | os.PathLike[str], *, cache: bool = False, defer_from: int | None = None
) -> LoadResult | PendingLoad:
    """Read ``path``; parse it now, or, from ``defer_from`` bytes on, leave the parsing to the caller.

    Files that cannot be read, and cached briefings, are a ``LoadResult`` at once.
    The pending load knows the file's syntax (``syntax_of``).
    """
    name = os.fspath(path)
    try:
        # A regular file only: a FIFO or a device would block or never end.
        data = read_regular(name, MAX_BYTES, limit_of=" for a briefing")
    except Refused as refused:
        return failure(name, str(refused))
    pending: PendingLoad
    if cache:
        from briefing.storage import parsed_cache

        cached = parsed_cache.lookup(name, data)
        if cached is not None:
            return LoadResult(name, briefing=cached)
        pending = CachingLoad(name, data, syntax_of(name))
    else:
        pending = PendingLoad(name, data, syntax_of(name))
    if defer_from is not None and len(data) >= defer_from:
        return pending
    return pending.finish()
