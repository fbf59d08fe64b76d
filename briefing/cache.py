"""A cache of validated briefings, for large files only.

Parsing TOML is most of the cost of opening a big briefing (a 3 MiB file
takes about a second with ``tomllib``). The reader keeps each large briefing
it has validated, encoded with msgpack, under ``$XDG_CACHE_HOME/briefing``
(``~/.cache/briefing``), keyed by the SHA-256 of the file's bytes and a
fingerprint of the format: a changed file, or a new version of briefing, can
never be served a stale entry. The loader sends only large files here
(``loader.CACHED_FROM``), so the bundled briefing writes nothing.
``BRIEFING_CACHE=off`` turns the cache off.

An entry is trusted no more than a file: it is decoded into the typed model
(so its structure is checked) and the cross-reference rules run again. A
broken entry is ignored and replaced.
"""

from __future__ import annotations

import functools
import hashlib
import os

import msgspec

from briefing.model import Briefing
from briefing.validate import check_semantics


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
    file read instead of 11 ms of schema building on every large open.
    """
    from briefing import __version__, model

    with open(model.__file__, "rb") as source:
        return hashlib.sha256(__version__.encode() + source.read()).hexdigest()[:16]


def entry_path(data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    return os.path.join(cache_dir(), f"parsed-{_fingerprint()}-{digest}.msgpack")


def lookup(data: bytes) -> Briefing | None:
    if not enabled():
        return None
    try:
        with open(entry_path(data), "rb") as stream:
            briefing = msgspec.msgpack.decode(stream.read(), type=Briefing)
    except (OSError, msgspec.DecodeError):
        return None
    return None if check_semantics(briefing) else briefing


def store(data: bytes, briefing: Briefing) -> None:
    """Keep a validated briefing; failing to write is not an error."""
    if not enabled():
        return
    path = entry_path(data)
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        # Readable by the user alone, like the briefing it came from may be.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(msgspec.msgpack.encode(briefing))
        os.replace(temporary, path)
    except OSError:
        pass
