"""``briefing serve ssh``: the SSH server (asyncssh), what it allows and refuses, its limits, its signals.

Each connection is a ``Login``: public keys from the authorized keys file
only, the key's comment naming the user. Everything but an interactive
session on a pseudo-terminal is refused: port forwarding both ways, agent
and X11 forwarding, subsystems (sftp), commands other than a briefing's
name. Each session is a ``ReaderSession`` (``session.py``).

SIGTERM stops new connections, tells open sessions the server is going down,
gives them ``shutdown-grace`` seconds, then ends them. SIGHUP reads the
settings file and the keys again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import os
import re
import signal
import socket
import time
import weakref
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import asyncssh

from briefing.serve.events import EventLog
from briefing.serve.keys import AuthorizedKey, AuthorizedKeys, load_host_key
from briefing.serve.limits import FailedLogins, SessionCaps, SessionCounts
from briefing.serve.session import ReaderSession
from briefing.serve.settings import ServeSettings, SettingsError, read_settings_file, reloaded
from briefing.serve.workers import NOT_INHERITED, ReaderPool, ReaderUnavailable
from briefing.storage.paths import bundled_content_dir, data_dir

# After logging in, a client has this long to open its session (``ssh -N`` never does).
SESSION_EXPECTED_WITHIN = 5.0
# A briefing's name as a client may give it: the library's relative path, without .toml.
BRIEFING_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_. -]{0,99}(/[A-Za-z0-9_][A-Za-z0-9_. -]{0,99}){0,15}")


class BriefingServer:
    """What every connection shares: the settings, the keys, the counts, the readers."""

    def __init__(
        self,
        settings: ServeSettings,
        *,
        settings_file: Path,
        file_required: bool,
        flag_values: Mapping[str, Any],
        library: str,
        include_bundled: bool,
        log: EventLog,
    ) -> None:
        self.settings = settings
        self.settings_file = settings_file
        self.file_required = file_required
        self.flag_values = flag_values
        self.library = library
        self.include_bundled = include_bundled
        self.log = log
        self.keys = AuthorizedKeys(settings.authorized_keys_path())
        self.counts = SessionCounts()
        self.failures = FailedLogins()
        self.sessions: set[ReaderSession] = set()
        self.logins: set[Login] = set()
        # Connections not yet logged in, by address.
        self.logging_in: Counter[str] = Counter()
        self.pool = ReaderPool(library, include_bundled, settings.pool_size, log)
        self.numbers = itertools.count(1)
        # Readers starting at once, at most (see ReaderSession.serve).
        self.starting = asyncio.Semaphore(max(1, os.cpu_count() or 1))
        self.stopping = False
        self.acceptor: asyncssh.SSHAcceptor | None = None

    def caps(self) -> SessionCaps:
        settings = self.settings
        return SessionCaps(settings.max_sessions, settings.max_sessions_per_user, settings.max_sessions_per_address)

    # Briefings and users

    def find_briefing(self, name: str) -> dict[str, str] | None:
        """The briefing of the library a client named (``ssh -t HOST NAME``), or None: never a path of theirs."""
        if not BRIEFING_NAME.fullmatch(name) or any(part.strip(". ") == "" for part in name.split("/")):
            return None
        places = [self.library]
        if self.include_bundled:
            places.append(str(bundled_content_dir()))
        for root in places:
            path = os.path.join(root, *name.split("/")) + ".toml"
            with contextlib.suppress(OSError):
                if os.path.isfile(path):
                    return {"path": path, "key": name}
        return None

    def user_dir(self, user: str) -> Path:
        """Where a user's review and settings live: their name made safe, and a hash so two names never share."""
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", user).strip(".-")[:40] or "user"
        digest = hashlib.sha256(user.encode("utf-8", "replace")).hexdigest()[:12]
        path = Path(data_dir()) / "served-users" / f"{slug}-{digest}"
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path

    def session_request(
        self, user: str, term: str, env: dict[str, str], briefing: dict[str, str] | None
    ) -> dict[str, Any]:
        environment = {name: value for name, value in os.environ.items() if not NOT_INHERITED.fullmatch(name)}
        environment.update(env)
        environment["TERM"] = term
        if not any(name in env for name in ("LANG", "LC_ALL", "LC_CTYPE")):
            environment["LANG"] = "C.UTF-8"
        if self.settings.truecolor:
            environment["COLORTERM"] = "truecolor"
        environment["BRIEFING_USER"] = user
        return {
            "env": environment,
            "user_dir": str(self.user_dir(user)),
            "library": self.library,
            "include_bundled": self.include_bundled,
            "briefing": briefing,
        }

    # Signals

    def reload(self) -> None:
        try:
            file_values = read_settings_file(self.settings_file, required=self.file_required)
        except SettingsError as error:
            self.log.write("reload_failed", reason=str(error))
            return
        self.settings = reloaded(self.settings, file_values, self.flag_values)
        self.pool.size = self.settings.pool_size
        self.keys.path = self.settings.authorized_keys_path()
        keys = self.keys.reload(force=True) or self.keys.current
        self.log.write("reloaded", keys=len(keys.keys), skipped=list(keys.skipped), problem=keys.problem)

    async def shut_down(self) -> None:
        if self.stopping:
            return
        self.stopping = True
        grace = self.settings.shutdown_grace
        if self.acceptor is not None:
            self.acceptor.close()
        self.log.write("shutting_down", sessions=len(self.sessions), grace_seconds=grace)
        for session in list(self.sessions):
            session.notice(f"The server is going down in {grace:g} s. Your notes are saved.", grace)
        deadline = time.monotonic() + grace
        while self.sessions and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        for session in list(self.sessions):
            session.end("the server is going down")
        deadline = time.monotonic() + 10
        while self.sessions and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        for login in list(self.logins):
            login.close()
        await self.pool.close()
        self.log.write("stopped")


class Login(asyncssh.SSHServer):
    """One connection: who it is, and what it may do (an interactive session, nothing else)."""

    def __init__(self, server: BriefingServer) -> None:
        self.server = server
        self.number = next(server.numbers)
        self.conn: asyncssh.SSHServerConnection | None = None
        self.address = "?"
        self.user = ""
        self.key: AuthorizedKey | None = None
        self.tries = 0
        self.authenticated = False
        self.auth_began = False
        self.too_many_logins = False
        self.sessions = 0  # session channels ever opened on this connection
        # Those not closed yet: what the user's limit counts (ControlMaster keeps one connection for many sessions).
        self.open_sessions: weakref.WeakSet[ReaderSession] = weakref.WeakSet()
        # Each session's number on this connection, in order (an id() would repeat, and collide).
        self.session_numbers: weakref.WeakKeyDictionary[ReaderSession, int] = weakref.WeakKeyDictionary()
        self.session_timer: asyncio.TimerHandle | None = None

    def session_id(self, session: ReaderSession) -> str:
        return f"{self.number}.{self.session_numbers.get(session, 0)}"

    def session_closed(self, session: ReaderSession) -> None:
        """A session's channel has closed: it counts no more against the connection's sessions."""
        self.open_sessions.discard(session)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.quick_acks = QuickAcks(conn.get_extra_info("socket"))
        # Per connection, so that SIGHUP's new values hold for the connections after it.
        settings = self.server.settings
        conn.set_keepalive(settings.keepalive_interval, settings.keepalive_count)
        peer = conn.get_extra_info("peername")
        self.address = str(peer[0]) if peer else "?"
        self.server.logins.add(self)
        self.server.log.write("connect", connection=self.number, address=self.address, port=peer[1] if peer else None)
        self.server.logging_in[self.address] += 1
        logging_in = self.server.logging_in[self.address]
        limit = self.server.settings.max_logins_per_address
        if logging_in > 3 * limit:
            # A flood: cut without a word (a word needs the key exchange first, which is what a flood costs).
            self.server.log.write("refused", what="logins at once", address=self.address, count=logging_in)
            conn.abort()
        self.too_many_logins = logging_in > limit

    def _logged_in_or_out(self) -> None:
        counts = self.server.logging_in
        if self.address in counts:
            counts[self.address] -= 1
            if counts[self.address] <= 0:
                del counts[self.address]

    def connection_lost(self, exc: Exception | None) -> None:
        self.quick_acks.stop()
        if not self.authenticated:
            self._logged_in_or_out()
        self.server.logins.discard(self)
        if self.session_timer is not None:
            self.session_timer.cancel()
        if self.auth_began and not self.authenticated:
            # A failed login: it asked to log in and did not (a failed key exchange is not one).
            self.server.failures.failed(self.address, time.monotonic(), self.server.settings.auth_failures)
        self.server.log.write(
            "disconnect",
            connection=self.number,
            address=self.address,
            user=self.user or None,
            authenticated=self.authenticated,
            reason=str(exc) if exc else None,
        )

    def begin_auth(self, username: str) -> bool:
        if self.too_many_logins:
            # Told why once the key exchange is done: before it, a client could not show the reason.
            self.server.log.write("refused", what="logins at once", address=self.address)
            self._disconnect(
                f"too many connections from {self.address} are logging in at once; try again in a moment",
                asyncssh.DISC_TOO_MANY_CONNECTIONS,
            )
            return True
        self.auth_began = True
        settings = self.server.settings
        wait = self.server.failures.blocked_for(
            self.address, time.monotonic(), settings.auth_failures, settings.auth_failure_window
        )
        if wait > 0:
            self.server.log.write("refused", what="address", address=self.address, reason="too many failed logins")
            self._disconnect(f"too many failed logins from {self.address}; try again in {wait:.0f} s")
        return True

    def public_key_auth_supported(self) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        found = self.server.keys.find(key)
        fingerprint = key.get_fingerprint("sha256")
        if found is None:
            self.tries += 1
            self.server.log.write(
                "auth", connection=self.number, address=self.address, fingerprint=fingerprint, result="unknown key"
            )
            if self.tries >= self.server.settings.max_auth_tries:
                self._disconnect(f"{self.tries} keys offered, none of them authorized")
            return False
        self.key = found
        self.user = found.user
        return True

    def auth_completed(self) -> None:
        self.authenticated = True
        self._logged_in_or_out()
        self.quick_acks.stop()
        assert self.key is not None
        self.server.log.write(
            "auth",
            connection=self.number,
            address=self.address,
            user=self.user,
            fingerprint=self.key.fingerprint,
            result="accepted",
        )
        self.session_timer = asyncio.get_running_loop().call_later(SESSION_EXPECTED_WITHIN, self._no_session)

    def _no_session(self) -> None:
        if self.sessions == 0:
            self.server.log.write("refused", what="no session", user=self.user, address=self.address)
            reason = "briefing serves interactive sessions only, and none was asked for (ssh -N?)"
            self._disconnect(reason, asyncssh.DISC_BY_APPLICATION)

    def _disconnect(self, reason: str, code: int = asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE) -> None:
        # The code is shown by the client (":14:" is "no more auth methods"): a logged-in user's is the application's.
        if self.conn is not None:
            self.conn.disconnect(code, reason)

    def session_requested(self) -> ReaderSession | bool:
        if self.server.stopping:
            return False
        if len(self.open_sessions) >= self.server.settings.max_sessions_per_user:
            # One connection is one user: more channels than the user may have sessions are refused
            # before they hold anything (a channel that never asks for a shell is counted nowhere else).
            self._refused("session channel beyond the user's limit")
            return False
        self.sessions += 1
        session = ReaderSession(self)
        self.open_sessions.add(session)
        self.session_numbers[session] = self.sessions
        return session

    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int) -> bool:
        self._refused("local port forwarding")
        raise asyncssh.ChannelOpenError(asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, "port forwarding is not offered")

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        self._refused("remote port forwarding")
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        self._refused("socket forwarding")
        raise asyncssh.ChannelOpenError(asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, "socket forwarding is not offered")

    def unix_server_requested(self, listen_path: str) -> bool:
        self._refused("remote socket forwarding")
        return False

    def tun_requested(self, unit: int | None) -> bool:
        self._refused("tunnel")
        raise asyncssh.ChannelOpenError(asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, "tunnels are not offered")

    def tap_requested(self, unit: int | None) -> bool:
        return self.tun_requested(unit)

    def _refused(self, what: str) -> None:
        self.server.log.write("refused", what=what, user=self.user or None, address=self.address)


class QuickAcks:
    """ACK the client's packets at once while it logs in (Linux delays an ACK up to 40 ms).

    Until it has logged in, OpenSSH's client sends with Nagle's algorithm on:
    its second small packet in a row (the key exchange after KEXINIT, the
    service request after NEWKEYS) waits for the ACK of the first, which the
    server's kernel holds back hoping to send it with data: two 40 ms stalls
    in every login. TCP_QUICKACK turns that off, but only until the kernel
    sees the server answer; so it is set again every few milliseconds until
    the client has logged in (a few dozen system calls a connection).
    """

    EVERY = 0.002
    AT_MOST = 2.0

    def __init__(self, sock: Any) -> None:
        self.sock = sock
        self.until = time.monotonic() + self.AT_MOST
        self.timer: asyncio.TimerHandle | None = None
        if sock is not None:
            with contextlib.suppress(OSError, AttributeError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._arm()

    def _arm(self) -> None:
        try:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        except (OSError, AttributeError):
            return
        if time.monotonic() < self.until:
            self.timer = asyncio.get_running_loop().call_later(self.EVERY, self._arm)

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


class ServeError(Exception):
    """Why the server cannot start, in a sentence for the operator."""


async def listen(server: BriefingServer, host_key: asyncssh.SSHKey) -> asyncssh.SSHAcceptor:
    settings = server.settings
    return await asyncssh.create_server(
        lambda: Login(server),
        settings.host,
        settings.port,
        server_host_keys=[host_key],
        login_timeout=settings.login_timeout,
        keepalive_interval=settings.keepalive_interval,
        keepalive_count_max=settings.keepalive_count,
        agent_forwarding=False,
        x11_forwarding=False,
        allow_scp=False,
        allow_pty=True,
        line_editor=False,
        encoding=None,
        server_version="briefing",
    )


async def serve(server: BriefingServer) -> int:
    """Listen and serve until SIGTERM or SIGINT; 0 after a clean stop."""
    settings = server.settings
    host_key, made = load_host_key(settings.host_key_path())
    if made:
        server.log.write("host_key_made", path=settings.host_key_path(), fingerprint=host_key.get_fingerprint())
    keys = server.keys.current
    server.log.write(
        "keys", path=server.keys.path, keys=len(keys.keys), skipped=list(keys.skipped), problem=keys.problem
    )
    try:
        await server.pool.start()
    except (ReaderUnavailable, TimeoutError) as error:
        raise ServeError(f"the readers' warm process did not start: {error or 'no answer in time'}") from None
    try:
        server.acceptor = await listen(server, host_key)
    except OSError as error:
        await server.pool.close()
        raise ServeError(f"cannot listen on {settings.listen}: {error.strerror or error}") from None
    server.log.write(
        "listening",
        address=settings.listen,
        host_key=host_key.get_fingerprint(),
        library=server.library,
        pid=os.getpid(),
    )
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_signal_handler(signal.SIGHUP, server.reload)
    await stop.wait()
    await server.shut_down()
    return 0
