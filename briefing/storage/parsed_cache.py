"""A cache of validated briefings: reopening a file skips parsing it.

Parsing TOML is most of the cost of opening a briefing: a 3 MiB file takes
about a second with ``tomllib``, and even the 22 KB Sparta briefing costs the
reader a twentieth of its start-up. For each briefing file it has validated,
the reader keeps the file's bytes and its model under
``$XDG_CACHE_HOME/briefing`` (``~/.cache/briefing``), one entry per file.
``BRIEFING_CACHE=off`` turns the cache off.

An entry is served only when it cannot be the wrong thing:

* the directory is the user's own and nobody else can write it
  (``storage.files.private_directory``), so no one else can plant an entry;
* the entry is a regular file of bounded size, opened without following links;
* its head names the same absolute path, and the same *code*: the format
  version, the release and the source of every module that shapes what is
  cached (the model, reading, the JSON form, limits, defusing, rules, and
  this file);
* its body has the CRC its head gives (a damaged entry is not decoded);
* its stored bytes are exactly the file's bytes;
* its briefing is of the current format, every string in it is already as
  ``safetext.defuse`` leaves it (no terminal control can come out of the
  cache that a fresh parse would have made visible), and the cross-reference
  rules pass again.

Anything else is ignored and replaced by a fresh parse. Writes go through a
new temporary file (``storage.files.write_private``). Every hour at most, a write
also removes what is left over: temporary files of killed writers, entries of
other code, entries whose file is gone; and the whole cache is kept under
``MAX_TOTAL_BYTES``, least recently used entries removed first.

No ``hashlib``: the stored bytes decide whether an entry serves, so nothing
rests on a hash, and the reader's start-up does not pay for loading OpenSSL.
"""

from __future__ import annotations

import contextlib
import functools
import os
import struct
import time
import zlib

import msgspec

from briefing.format.model import FORMAT_VERSION, Briefing
from briefing.format.safetext import is_defused_json
from briefing.format.validation import check_semantics
from briefing.storage.files import (
    TEMPORARY_SUFFIX,
    Refused,
    private_directory,
    read_prefix,
    read_regular,
    write_private,
)
from briefing.storage.paths import cache_dir

PREFIX = "parsed-"
SUFFIX = ".entry"
# Bytes that open every entry, with the layout's own version.
MAGIC = b"briefing-cache-2\n"
# An entry holds the file (8 MiB at most) and its model.
MAX_ENTRY_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
PRUNE_EVERY_SECONDS = 3600
# A temporary file this old belongs to no live writer.
STALE_TEMPORARY_SECONDS = 3600
_STAMP = ".pruned"
_HEAD_LENGTH = struct.Struct(">I")


class Head(msgspec.Struct, array_like=True):
    """What an entry is for, readable without decoding the briefing."""

    code: str
    path: bytes  # os.fsencode of the absolute path: any file name round-trips
    size: int  # of the briefing file
    # Of the encoded body: a damaged entry (a bad disk, a torn copy) is never decoded.
    body_crc: int


class Body(msgspec.Struct, array_like=True):
    source: bytes  # the file's bytes when it was validated
    briefing: Briefing


def enabled() -> bool:
    return os.environ.get("BRIEFING_CACHE", "").lower() not in ("0", "off", "no", "false")


# Why the cache was last found unusable, for the reader to say once.
unusable: str | None = None


# The modules that shape what is cached: a change to any of them is other code.
FINGERPRINTED = (
    "briefing.format.model",
    "briefing.format.reading",
    "briefing.format.json_form",
    "briefing.format.safetext",
    "briefing.format.limits",
    "briefing.format.validation",
    "briefing.storage.briefing_files",
    __name__,
)


@functools.cache
def code_fingerprint() -> str:
    """Changes with anything that changes what a cached briefing would be."""
    from briefing import __version__

    check = zlib.crc32(f"{__version__}:{FORMAT_VERSION}".encode())
    for name in FINGERPRINTED:
        with open(module_source(name), "rb") as source:
            check = zlib.crc32(source.read(), check)
    return f"{check:08x}"


def module_source(name: str) -> str:
    """The file a module is loaded from, found without importing it (no import cycle)."""
    import sys

    module = sys.modules.get(name)
    if module is not None and module.__file__:
        return module.__file__
    import importlib.util

    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None, name
    return spec.origin


def _absolute(file: str) -> bytes:
    return os.fsencode(os.path.abspath(file))


def entry_name(file: str) -> str:
    path = _absolute(file)
    return f"{PREFIX}{zlib.crc32(path):08x}{zlib.adler32(path):08x}{SUFFIX}"


def _directory() -> str | None:
    global unusable
    try:
        directory = private_directory(cache_dir())
    except Refused as refused:
        unusable = f"{cache_dir()} {refused}"
        return None
    unusable = None
    return directory


def encode_entry(file: str, data: bytes, briefing: Briefing) -> bytes:
    body = msgspec.msgpack.encode(Body(data, briefing))
    head = msgspec.msgpack.encode(Head(code_fingerprint(), _absolute(file), len(data), zlib.crc32(body)))
    return MAGIC + _HEAD_LENGTH.pack(len(head)) + head + body


def _decode_head(blob: bytes) -> tuple[Head, int] | None:
    """The head and where the body starts, or None for anything but an entry."""
    start = len(MAGIC) + _HEAD_LENGTH.size
    if not blob.startswith(MAGIC) or len(blob) < start:
        return None
    (length,) = _HEAD_LENGTH.unpack_from(blob, len(MAGIC))
    try:
        return msgspec.msgpack.decode(blob[start : start + length], type=Head), start + length
    except msgspec.DecodeError:
        return None


def lookup(file: str, data: bytes) -> Briefing | None:
    """The briefing validated from exactly ``data`` at ``file``, or None."""
    if not enabled():
        return None
    directory = _directory()
    if directory is None:
        return None
    path = os.path.join(directory, entry_name(file))
    try:
        blob = read_regular(path, MAX_ENTRY_BYTES, follow_symlinks=False)
    except Refused:
        return None
    decoded = _decode_head(blob)
    if decoded is None:
        return None
    head, body_start = decoded
    if head.code != code_fingerprint() or head.path != _absolute(file) or head.size != len(data):
        return None
    encoded = memoryview(blob)[body_start:]
    if zlib.crc32(encoded) != head.body_crc:
        return None
    try:
        body = msgspec.msgpack.decode(encoded, type=Body)
    except msgspec.DecodeError:
        return None
    briefing = body.briefing
    if body.source != data or briefing.format != FORMAT_VERSION:
        return None
    if not is_defused_json(msgspec.json.encode(briefing)) or check_semantics(briefing):
        return None
    # Used now: the size cap removes the least recently used entries first.
    with contextlib.suppress(OSError):
        os.utime(path)
    return briefing


def store(file: str, data: bytes, briefing: Briefing) -> None:
    """Keep a briefing validated from ``data``; failing to write is not an error."""
    if not enabled():
        return
    directory = _directory()
    if directory is None:
        return
    blob = encode_entry(file, data, briefing)
    if len(blob) > min(MAX_ENTRY_BYTES, MAX_TOTAL_BYTES // 2):
        return
    try:
        write_private(directory, entry_name(file), blob)
    except OSError:
        return
    with contextlib.suppress(OSError):
        _tidy(directory, keep=entry_name(file))


def _tidy(directory: str, *, keep: str) -> None:
    """Remove what is left over (hourly at most), then keep the cache under its cap."""
    stamp = os.path.join(directory, _STAMP)
    now = time.time()
    try:
        due = now - os.stat(stamp).st_mtime > PRUNE_EVERY_SECONDS
    except FileNotFoundError:
        due = True
    if due:
        os.close(os.open(stamp, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o600))
        os.utime(stamp)
        prune(directory, now=now)
    _cap(directory, keep=keep)


def prune(directory: str, *, now: float) -> None:
    """Remove temporary files of killed writers, entries of other code and entries of deleted files."""
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        if name.startswith(f".{PREFIX}") and name.endswith(TEMPORARY_SUFFIX):
            with contextlib.suppress(OSError):
                if now - os.lstat(path).st_mtime > STALE_TEMPORARY_SECONDS:
                    os.unlink(path)
        elif name.startswith(PREFIX) and not _is_current(path):
            with contextlib.suppress(OSError):
                os.unlink(path)


def _is_current(path: str) -> bool:
    """An entry of this code whose briefing file still exists."""
    try:
        # The head is small: the path is most of it.
        decoded = _decode_head(read_prefix(path, len(MAGIC) + _HEAD_LENGTH.size + 8192))
    except Refused:
        return False
    if decoded is None:
        return False
    head = decoded[0]
    return head.code == code_fingerprint() and os.path.isfile(os.fsdecode(head.path))


def _cap(directory: str, *, keep: str) -> None:
    entries = []
    for name in os.listdir(directory):
        if name.startswith(PREFIX) and name != keep:
            with contextlib.suppress(OSError):
                status = os.lstat(os.path.join(directory, name))
                entries.append((status.st_mtime, status.st_size, name))
    total = sum(size for _, size, _ in entries)
    with contextlib.suppress(OSError):
        total += os.lstat(os.path.join(directory, keep)).st_size
    entries.sort()
    for _, size, name in entries:
        if total <= MAX_TOTAL_BYTES:
            break
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(directory, name))
            total -= size
