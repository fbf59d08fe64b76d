"""Files read and written with the care untrusted places need.

Briefings, the settings file and the cache all come from places someone else
may shape: a FIFO or a device given as a briefing would block the reader for
good or read forever, and a directory another user can write lets them put a
symbolic link where the reader writes. So:

* ``read_regular`` reads a regular file only (anything else is refused before
  it is opened), opened without blocking, at most ``limit`` bytes;
* ``private_directory`` makes or accepts a directory only if it is the
  user's own and nobody else can write it;
* ``write_private`` writes a file there through a new temporary file created
  exclusively (never through a link), then renames it into place.
"""

from __future__ import annotations

import contextlib
import os
import stat

__all__ = ["Missing", "Refused", "private_directory", "read_prefix", "read_regular", "write_private"]


class Refused(Exception):
    """A file or directory that is not used, and why, in words for the user."""


class Missing(Refused):
    """There is no such file: for a settings file, simply the defaults."""


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISLNK, "a symbolic link"),
)


def kind_of(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_regular(path: str, limit: int, *, follow_symlinks: bool = True, limit_of: str = "") -> bytes:
    """The bytes of the regular file at ``path``, or ``Refused``.

    ``limit`` bytes at most: one more is read to tell that a file is larger
    (its size may change between the check and the read). ``limit_of`` names
    what the limit is for, in the message ("for a briefing").
    """
    data = _read(path, limit, follow_symlinks=follow_symlinks, whole=True, limit_of=limit_of)
    if len(data) > limit:
        raise Refused(f"is over the {_size(limit)} limit{limit_of}")
    return data


def read_prefix(path: str, count: int) -> bytes:
    """The first ``count`` bytes (or fewer) of the regular file at ``path``, never through a link."""
    return _read(path, count, follow_symlinks=False, whole=False)


def _read(path: str, limit: int, *, follow_symlinks: bool, whole: bool, limit_of: str = "") -> bytes:
    try:
        before = os.stat(path, follow_symlinks=follow_symlinks)
        if not stat.S_ISREG(before.st_mode):
            raise Refused(f"is {kind_of(before.st_mode)}, not a regular file")
        if whole and before.st_size > limit:
            raise Refused(f"is {_size(before.st_size)}, over the {_size(limit)} limit{limit_of}")
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        if not follow_symlinks:
            flags |= os.O_NOFOLLOW
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise Missing("no such file") from None
    except PermissionError:
        raise Refused("permission denied") from None
    except OSError as error:
        raise Refused(f"cannot be read: {error.strerror or error}") from None
    try:
        after = os.fstat(descriptor)
        # Replaced between the look and the open (by a FIFO, say)?
        if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
            raise Refused("changed while it was being opened")
        chunks: list[bytes] = []
        left = limit + 1 if whole else limit
        while left > 0:
            chunk = os.read(descriptor, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as error:
        raise Refused(f"cannot be read: {error.strerror or error}") from None
    finally:
        os.close(descriptor)
    return b"".join(chunks)


def private_directory(path: str) -> str:
    """``path`` as a directory only the user can write: made (0700) if missing, else checked.

    Refused when it is a link, not a directory, owned by someone else, or
    writable by the group or others: another user could then swap a file of
    ours for a link to one of theirs, or feed us entries of their making.
    """
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(path, 0o700)
        status = os.lstat(path)
    except OSError as error:
        raise Refused(f"cannot be made: {error.strerror or error}") from None
    if not stat.S_ISDIR(status.st_mode):
        raise Refused(f"is {kind_of(status.st_mode)}, not a directory")
    if status.st_uid != os.geteuid():
        raise Refused("belongs to another user")
    if status.st_mode & 0o022:
        raise Refused(f"can be written by other users (mode {stat.S_IMODE(status.st_mode):04o})")
    return path


def write_private(directory: str, name: str, data: bytes) -> str:
    """Write ``data`` to ``directory/name`` (mode 0600), all or nothing; raises ``OSError``.

    The temporary file is made by ``mkstemp`` (``O_EXCL`` and ``O_NOFOLLOW``:
    never an existing file or a link) and renamed over the old one, which
    replaces a link there rather than writing through it.
    """
    import tempfile  # only writers pay for it (it imports random, shutil…): check and show never write

    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=TEMPORARY_SUFFIX)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        target = os.path.join(directory, name)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target


def write_output(output: str, data: bytes) -> None:
    """``data`` at ``output``, all or nothing, for the user alone (0600); raises ``OSError``.

    Written into a new temporary file beside ``output``, on disk (fsync), then
    renamed over it: a reader of the file, a crash or a full disk never leaves
    half of it. A link at ``output`` is replaced, not written through; a FIFO or
    a device (``/dev/stdout``) is written to as it is.
    """
    import tempfile  # only a writer pays for it

    try:
        status: os.stat_result | None = os.stat(output)
    except FileNotFoundError:
        status = None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(21, "it is a directory")
    if status is not None and not stat.S_ISREG(status.st_mode):
        # A pipe or a device: there is no file to replace; written as a shell's `>` would.
        with open(output, "wb") as stream:
            stream.write(data)
        return
    directory, name = os.path.split(os.path.abspath(output))
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            # On disk before it takes the name: a crash leaves the old export or the new, never an empty file.
            os.fsync(stream.fileno())
        os.replace(temporary, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# Files being written end so: what a killed writer leaves behind.
TEMPORARY_SUFFIX = ".tmp"


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MiB"
    return f"{count / 1024:.0f} KiB" if count >= 1024 else f"{count} bytes"
