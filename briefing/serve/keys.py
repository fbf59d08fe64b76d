"""The keys: the server's own host key, and the authorized keys file that names the users.

An authorized keys line is ``TYPE BASE64 [COMMENT]``; the comment names the
user (several keys may share one, a laptop's and a desktop's), and a key
without one is named by its fingerprint. Options in front of a key
(``command=…``) are not supported: such a line is skipped, and said so.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass

import asyncssh

from briefing.format.safetext import one_line
from briefing.storage.files import Missing, Refused, read_regular

# A file of a thousand keys is about 100 KiB.
MAX_AUTHORIZED_KEYS_BYTES = 1024 * 1024
MAX_HOST_KEY_BYTES = 64 * 1024
# A user's name is shown in logs and used in file names (hashed): a line's worth.
MAX_USER_NAME = 64


@dataclass(frozen=True)
class AuthorizedKey:
    user: str
    fingerprint: str
    line: int


@dataclass(frozen=True)
class KeysFile:
    """What one reading of the file gave: the keys by their public bytes, and the lines skipped."""

    keys: dict[bytes, AuthorizedKey]
    skipped: tuple[str, ...]
    problem: str | None = None


def parse_authorized_keys(text: str, source: str) -> KeysFile:
    """The keys of an authorized keys file; each line that is not one is named in ``skipped``."""
    keys: dict[bytes, AuthorizedKey] = {}
    skipped: list[str] = []
    # Lines end at "\n" only, as OpenSSH reads them: splitlines() would also break at \f, \x1c or U+2028 and
    # name every later line by the wrong number.
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 2 or not (parts[0].startswith(("ssh-", "ecdsa-", "sk-"))):
            skipped.append(f"{source}:{number}: not TYPE BASE64 [COMMENT] (options before a key are not supported)")
            continue
        try:
            key = asyncssh.import_public_key(f"{parts[0]} {parts[1]}")
        except Exception as error:  # not only KeyImportError: an RSA key of negative numbers raises OverflowError
            skipped.append(f"{source}:{number}: not a public key: {one_line(str(error))}")
            continue
        fingerprint = key.get_fingerprint("sha256")
        comment = one_line(parts[2].strip())[:MAX_USER_NAME] if len(parts) > 2 else ""
        keys[key.public_data] = AuthorizedKey(comment or fingerprint, fingerprint, number)
    return KeysFile(keys, tuple(skipped))


class AuthorizedKeys:
    """The authorized keys file, read again whenever it changes (and on SIGHUP)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._seen: tuple[int, int, int, int] | None = None
        self.current = KeysFile({}, ())
        self.reload()

    def reload(self, *, force: bool = False) -> KeysFile | None:
        """Read the file if it changed since the last reading (or ``force``); the new reading, or None."""
        try:
            status = os.stat(self.path)
            seen = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        except OSError:
            seen = None
        if not force and seen is not None and seen == self._seen:
            return None
        self._seen = seen
        try:
            data = read_regular(self.path, MAX_AUTHORIZED_KEYS_BYTES)
            self.current = parse_authorized_keys(data.decode("utf-8", "replace"), self.path)
        except Missing:
            self.current = KeysFile({}, (), f"{self.path}: no such file: no one can log in")
        except Refused as refused:
            self.current = KeysFile({}, (), f"{self.path} {refused}: no one can log in")
        return self.current

    def find(self, key: asyncssh.SSHKey) -> AuthorizedKey | None:
        self.reload()
        return self.current.keys.get(key.public_data)


def load_host_key(path: str) -> tuple[asyncssh.SSHKey, bool]:
    """The host key at ``path``, made (ed25519, mode 0600) if there is none; (key, made now)."""
    try:
        data = read_regular(path, MAX_HOST_KEY_BYTES)
    except Missing:
        try:
            return _make_host_key(path), True
        except FileExistsError:  # another server made it just now
            return load_host_key(path)[0], False
        except OSError as error:  # not "cannot listen", which is what the command line says of other OSErrors
            raise HostKeyError(f"host key {path} cannot be made: {error.strerror or error}") from None
    except Refused as refused:
        raise HostKeyError(f"host key {path} {refused}") from None
    mode = os.stat(path).st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise HostKeyError(f"host key {path} can be read by others (mode {stat.S_IMODE(mode):o}): chmod 600 it")
    try:
        return asyncssh.import_private_key(data), False
    except Exception as error:  # whatever the key's parser raises (OverflowError too): the operator gets a sentence
        raise HostKeyError(f"host key {path} is not a private key: {one_line(str(error))}") from None


class HostKeyError(Exception):
    pass


def _make_host_key(path: str) -> asyncssh.SSHKey:
    key = asyncssh.generate_private_key("ssh-ed25519")
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, mode=0o700, exist_ok=True)
    # O_EXCL: never through a link someone left there, never over a key another server just made.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(key.export_private_key())
    except BaseException:
        # A full disk must not leave an empty key behind, which every later start would refuse as not a key.
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    return key
