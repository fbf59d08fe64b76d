"""A cache of validated briefings: reopening a file skips parsing it.

Parsing TOML is most of the cost of opening a briefing: a 3 MiB file takes
about a second with ``tomllib``, and even the 22 KB Sparta briefing costs the
reader a twentieth of its start-up. For each briefing file it has validated,
the reader keeps the file's bytes and its model, encoded with msgpack, under
``$XDG_CACHE_HOME/briefing`` (``~/.cache/briefing``). An entry serves only
the same path with exactly the same bytes, read by the same model (its name
carries a fingerprint of briefing/model.py and the version): a changed file,
or a new release, is parsed again and its entry replaced. One entry per file,
so the cache grows with the number of files read, not with their edits;
entries of other releases are removed whenever one is written.
``BRIEFING_CACHE=off`` turns the cache off.

An entry is trusted no more than a file: it is decoded into the typed model
(so its structure is checked) and the cross-reference rules run again. A
broken entry is ignored and replaced.

No ``hashlib``: a CRC names an entry and the stored bytes decide whether it
serves, so nothing rests on the hash, and the reader's start-up does not pay
for loading OpenSSL (3 to 6 ms).
"""

from __future__ import annotations

import contextlib
import functools
import os
import zlib

import msgspec

from briefing.model import Briefing
from briefing.validate import check_semantics

PREFIX = "parsed-"


class Entry(msgspec.Struct, array_like=True):
    source: bytes  # the file's bytes when it was validated
    briefing: Briefing


def enabled() -> bool:
    return os.environ.get("BRIEFING_CACHE", "").lower() not in ("0", "off", "no", "false")


def cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "briefing")


@functools.cache
def _fingerprint() -> str:
    """Changes whenever the model does, so entries of another format version never decode.

    The model's own source rather than its JSON schema: the same guarantee
    (every type the cache decodes into is defined in briefing/model.py) for a
    file read instead of 11 ms of schema building.
    """
    from briefing import __version__, model

    with open(model.__file__, "rb") as source:
        return f"{zlib.crc32(__version__.encode() + source.read()):08x}"


def entry_path(file: str) -> str:
    key = zlib.crc32(os.path.abspath(file).encode("utf-8", "surrogateescape"))
    return os.path.join(cache_dir(), f"{PREFIX}{_fingerprint()}-{key:08x}.msgpack")


def lookup(file: str, data: bytes) -> Briefing | None:
    """The briefing validated from exactly ``data`` at ``file``, or None."""
    if not enabled():
        return None
    try:
        with open(entry_path(file), "rb") as stream:
            entry = msgspec.msgpack.decode(stream.read(), type=Entry)
    except (OSError, msgspec.DecodeError):
        return None
    if entry.source != data:
        return None
    return None if check_semantics(entry.briefing) else entry.briefing


def store(file: str, data: bytes, briefing: Briefing) -> None:
    """Keep a briefing validated from ``data``; failing to write is not an error."""
    if not enabled():
        return
    path = entry_path(file)
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        # Readable by the user alone, like the briefing it came from may be.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(msgspec.msgpack.encode(Entry(data, briefing)))
        os.replace(temporary, path)
    except OSError:
        return
    _remove_other_releases()


def _remove_other_releases() -> None:
    current = f"{PREFIX}{_fingerprint()}-"
    try:
        names = os.listdir(cache_dir())
    except OSError:
        return
    for name in names:
        if name.startswith(PREFIX) and name.endswith(".msgpack") and not name.startswith(current):
            with contextlib.suppress(OSError):
                os.remove(os.path.join(cache_dir(), name))
