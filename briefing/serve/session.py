"""One SSH session: a reader process on a pseudo-terminal, its bytes relayed to and from the channel.

The server makes the pseudo-terminal, sized as the client's, and hands its
far end to a forked reader; it keeps the near end and copies bytes both
ways, with back-pressure (a slow client stops the reading of the reader's
output; a reader that does not read stops the client's input). A resize is
set on the terminal at once; the kernel tells the reader (SIGWINCH).

A session ends when the reader exits (``q``), when the client goes (the
terminal is hung up: the reader gets SIGHUP and is killed if it lingers),
when it was idle or open too long, or when the server goes down.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import re
import signal
import struct
import termios
import time
from typing import TYPE_CHECKING, Any, Protocol

import asyncssh

from briefing.serve.workers import Reader, ReaderUnavailable, on_message

if TYPE_CHECKING:
    from briefing.serve.events import EventLog
    from briefing.serve.limits import SessionCaps, SessionCounts
    from briefing.serve.settings import ServeSettings
    from briefing.serve.workers import ReaderPool


class Server(Protocol):
    """What a session needs of the server (``server.BriefingServer``)."""

    settings: ServeSettings
    counts: SessionCounts
    sessions: set[ReaderSession]
    starting: asyncio.Semaphore
    pool: ReaderPool
    log: EventLog

    def caps(self) -> SessionCaps: ...
    def find_briefing(self, name: str) -> dict[str, str] | None: ...
    def session_request(
        self, user: str, term: str, env: dict[str, str], briefing: dict[str, str] | None
    ) -> dict[str, Any]: ...


class Login(Protocol):
    """What a session needs of its connection (``server.Login``)."""

    user: str
    address: str

    @property
    def server(self) -> Server: ...

    def session_id(self, session: ReaderSession) -> str: ...
    def session_closed(self, session: ReaderSession) -> None: ...


# What a reader that did not close cleanly may have left on (or off): the alternate screen, a hidden
# cursor, mouse and focus reporting, bracketed paste, the kitty keyboard protocol, auto-wrap turned off.
RESET_TERMINAL = (
    b"\x1b[<u\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?1004l\x1b[?2004l\x1b[?25h\x1b[?1049l"
    b"\x1b[?7h\x1b[0m"
)
# What the user is told when the reader went without a word (killed, crashed): never a silent exit.
READER_LOST = "the session's reader stopped unexpectedly"
# A reader that has not said its first screen is drawn after this long lets the next one start anyway.
START_SLOT_AT_MOST = 3.0
# A reader asked to close that is still there after this long is killed.
END_GRACE = 3.0
# After the terminal is hung up, a reader has this long to go before it is killed.
HANGUP_GRACE = 2.0
# Input not yet taken by the reader, at most; beyond it the channel stops reading.
MAX_PENDING_INPUT = 256 * 1024
# Terminal sizes outside these are clamped (a client may claim anything).
MAX_COLUMNS, MAX_ROWS = 1000, 500

TERM_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
LOCALE_VALUE = re.compile(r"[A-Za-z0-9._@-]{1,64}")


def forwarded_environment(requested: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The variables of the client's that the reader gets (LANG, LC_*), and the names refused."""
    kept: dict[str, str] = {}
    refused: list[str] = []
    for name, value in requested.items():
        if (name == "LANG" or name.startswith("LC_")) and LOCALE_VALUE.fullmatch(value) and len(name) <= 32:
            kept[name] = value
        elif name != "TERM":
            refused.append(name[:64])
    return kept, refused


def term_name(requested: str | None) -> str:
    return requested if requested and TERM_NAME.fullmatch(requested) else "xterm-256color"


def clamp_size(columns: int, rows: int) -> tuple[int, int]:
    return max(1, min(columns or 80, MAX_COLUMNS)), max(1, min(rows or 24, MAX_ROWS))


def set_size(fd: int, columns: int, rows: int) -> None:
    columns, rows = clamp_size(columns, rows)
    with contextlib.suppress(OSError):
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


class ReaderSession(asyncssh.SSHServerSession[bytes]):
    def __init__(self, login: Login) -> None:
        self.login = login
        self.server = login.server
        self.chan: asyncssh.SSHServerChannel[bytes] | None = None
        self.term: str | None = None
        self.size = (80, 24)
        self.command: str | None = None
        self.subsystem: str | None = None
        self.master: int | None = None
        self.reader: Reader | None = None
        self.started = time.monotonic()
        self.last_input = self.started
        self.pending_input = bytearray()
        self.reason: str | None = None  # why the server ended the session
        self.exit_status: int | None = None
        self.clean = False
        self.ended: asyncio.Event = asyncio.Event()
        # The briefing a client named (ssh -t HOST NAME), once found in the library.
        self.briefing: dict[str, str] | None = None
        self.start_slot = False
        self.timers: list[asyncio.TimerHandle] = []
        self.task: asyncio.Task[None] | None = None

    # asyncssh's side

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any) -> bool:
        self.term = term_type
        self.size = clamp_size(term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self.command = command
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        # Accepted only to be refused with a reason the client shows (sftp prints the channel's standard error).
        self.subsystem = subsystem
        return True

    def session_started(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self.run())

    def data_received(self, data: bytes, datatype: int | None) -> None:
        self.last_input = time.monotonic()
        if self.master is None:
            return
        self.pending_input += data
        self._write_input()

    def eof_received(self) -> bool:
        return True  # keep the channel open: the reader decides when the session ends

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.size = clamp_size(width, height)
        if self.master is not None:
            set_size(self.master, *self.size)

    def pause_writing(self) -> None:
        if self.master is not None:
            asyncio.get_running_loop().remove_reader(self.master)

    def resume_writing(self) -> None:
        if self.master is not None and not self.ended.is_set():
            asyncio.get_running_loop().add_reader(self.master, self._read_output)

    def connection_lost(self, exc: Exception | None) -> None:
        # The client went (or the connection was closed under it): hang up the reader's terminal.
        self.chan = None
        self.login.session_closed(self)
        if not self.ended.is_set():
            self.end("client gone", hang_up=True)

    # The session

    async def run(self) -> None:
        refusal = self.refusal()
        if refusal is not None:
            # A client's command may be long: the log keeps its start.
            self.refuse(refusal, what=(self.subsystem or self.command or "shell")[:200])
            return
        caps = self.server.caps()
        over = self.server.counts.refusal(caps, self.login.user, self.login.address)
        if over is not None:
            self.refuse(over, what="limit")
            return
        self.server.counts.opened(self.login.user, self.login.address)
        self.server.sessions.add(self)
        try:
            await self.serve()
        finally:
            self.server.sessions.discard(self)
            self.server.counts.closed(self.login.user, self.login.address)
            self.server.log.write(
                "session_end",
                session=self.login.session_id(self),
                user=self.login.user,
                seconds=round(time.monotonic() - self.started, 3),
                reason=self.reason or ("quit" if self.clean and self.exit_status == 0 else "reader failed"),
                status=self.exit_status,
            )

    def refusal(self) -> str | None:
        if self.subsystem is not None:
            return f"the {self.subsystem[:32]} subsystem is not offered: this server shows briefings only"
        if self.command is not None:
            name = self.command.strip()
            self.briefing = self.server.find_briefing(name)
            if self.briefing is None:
                return (
                    f"{name[:64]!r} is not a briefing of this library: `ssh -t HOST NAME` opens one by name, "
                    "`ssh HOST` the library"
                )
        if self.term is None:
            return "the reader needs a terminal: connect with `ssh -t` (or without -T)"
        return None

    def refuse(self, reason: str, *, what: str) -> None:
        self.server.log.write("refused", what=what, reason=reason, user=self.login.user, address=self.login.address)
        self.reason = reason
        if self.chan is not None:
            newline = "\r\n" if self.term else "\n"
            self.chan.write_stderr(f"briefing: {reason}{newline}".encode())
            self.chan.exit(1)

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        master, slave = os.openpty()
        set_size(slave, *self.size)
        os.set_blocking(master, False)
        self.master = master
        # Readers start a few at a time (one per core): in a crowd that logs in at once, the first get
        # their screen at once rather than everyone getting theirs late, all together.
        await self.server.starting.acquire()
        self.start_slot = True
        self.timers.append(loop.call_later(START_SLOT_AT_MOST, self._release_start_slot))
        try:
            reader = await self.server.pool.take()
        except ReaderUnavailable as error:
            os.close(slave)
            self._close_master()
            self._release_start_slot()
            self.refuse(str(error), what="reader")
            return
        self.reader = reader
        env, refused = forwarded_environment(dict(self.chan.get_environment()) if self.chan else {})
        if refused:
            # The first few names: a client may send thousands of variables, the log takes a line.
            self.server.log.write(
                "refused", what="environment", names=refused[:20], count=len(refused), user=self.login.user
            )
        session = self.server.session_request(self.login.user, term_name(self.term), env, self.briefing)
        sent = reader.send({"session": session}, [slave])
        os.close(slave)
        if not sent:
            reader.close()
            self._close_master()
            self.refuse("the reader could not be started; try again", what="reader")
            return
        self.server.log.write(
            "session_start",
            session=self.login.session_id(self),
            user=self.login.user,
            address=self.login.address,
            term=term_name(self.term),
            columns=self.size[0],
            rows=self.size[1],
            briefing=self.briefing["key"] if self.briefing else None,
            locale=env,  # the client's LANG and LC_* the reader was given (each checked, short)
            pid=reader.pid,
        )
        on_message(reader, self._from_reader)
        if self.chan is not None:
            loop.add_reader(master, self._read_output)
        else:
            self.end("client gone", hang_up=True)
        settings = self.server.settings
        self.timers.append(loop.call_later(settings.session_lifetime, self._lifetime_over))
        self.timers.append(loop.call_later(settings.idle_timeout, self._check_idle))
        await self.ended.wait()
        self._release_start_slot()
        for timer in self.timers:
            timer.cancel()
        self._finish()

    # Bytes both ways

    def _read_output(self) -> None:
        master = self.master
        if master is None:
            return
        try:
            data = os.read(master, 65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""  # EIO: every copy of the far end is closed, the reader has gone
        if not data:
            asyncio.get_running_loop().remove_reader(master)
            return
        if self.chan is not None:
            self.chan.write(data)

    def _write_input(self) -> None:
        master = self.master
        if master is None or not self.pending_input:
            return
        loop = asyncio.get_running_loop()
        try:
            written = os.write(master, self.pending_input)
        except BlockingIOError:
            written = 0
        except OSError:
            self.pending_input.clear()
            return
        del self.pending_input[:written]
        if self.pending_input:
            loop.add_writer(master, self._drain_input)
            if len(self.pending_input) > MAX_PENDING_INPUT and self.chan is not None:
                self.chan.pause_reading()

    def _drain_input(self) -> None:
        master = self.master
        if master is None:
            return
        asyncio.get_running_loop().remove_writer(master)
        self._write_input()
        if len(self.pending_input) <= MAX_PENDING_INPUT // 2 and self.chan is not None:
            self.chan.resume_reading()

    # Ending

    def _from_reader(self, message: dict[str, Any] | None) -> None:
        if message is None:
            self.ended.set()  # the reader's process has exited: its socket closed
            return
        if "exit" in message and isinstance(message["exit"], int):
            self.exit_status = message["exit"]
            self.clean = True
        if message.get("painted"):
            # How soon the session's first screen was drawn, as the server sees it (the client adds the network).
            self._release_start_slot()
            self.server.log.write(
                "painted", session=self.login.session_id(self), seconds=round(time.monotonic() - self.started, 3)
            )
        if isinstance(message.get("error"), str):
            self.server.log.write("reader_error", user=self.login.user, error=message["error"])

    def _release_start_slot(self) -> None:
        if self.start_slot:
            self.start_slot = False
            self.server.starting.release()

    def _lifetime_over(self) -> None:
        # In the unit it was set in: "6 s" and "8 h", never "0.00166667 h".
        lifetime = _duration(self.server.settings.session_lifetime)
        self.end(f"session ended: it was open {lifetime}, the most a session may be")

    def _check_idle(self) -> None:
        idle = self.server.settings.idle_timeout
        quiet = time.monotonic() - self.last_input
        if quiet >= idle:
            self.end(f"session ended: no key was typed for {_duration(idle)}")
        else:
            self.timers.append(asyncio.get_running_loop().call_later(idle - quiet, self._check_idle))

    def notice(self, text: str, timeout: float) -> None:
        if self.reader is not None:
            self.reader.send({"notice": text, "timeout": timeout})

    def end(self, reason: str, *, hang_up: bool = False) -> None:
        """End the session: the reader is asked to close (or its terminal hung up), and killed if it lingers."""
        if self.reason is None:
            self.reason = reason
        reader = self.reader
        if reader is None:
            self.ended.set()
            return
        loop = asyncio.get_running_loop()
        if hang_up:
            self._close_master()  # the reader's terminal is hung up: SIGHUP
            reader.send({"end": True})
            self.timers.append(loop.call_later(HANGUP_GRACE, reader.signal, signal.SIGKILL))
        else:
            reader.send({"end": True})
            self.timers.append(loop.call_later(END_GRACE, reader.signal, signal.SIGTERM))
            self.timers.append(loop.call_later(END_GRACE + HANGUP_GRACE, reader.signal, signal.SIGKILL))

    def _finish(self) -> None:
        # What the reader wrote last (the terminal given back as it was) goes out before the reason.
        master = self.master
        if master is not None and self.chan is not None:
            with contextlib.suppress(OSError):
                while data := os.read(master, 65536):
                    self.chan.write(data)
        self._close_master()
        if self.reader is not None:
            if self.reader.alive():
                self.reader.signal(signal.SIGKILL)
            self.reader.close()
        chan = self.chan
        if chan is None:
            return
        if not self.clean:
            chan.write(RESET_TERMINAL)
        # A reader that ended on its own without saying so (killed, crashed) is named: the user sees why.
        reason = self.reason or (None if self.clean else READER_LOST)
        if reason is not None and reason != "client gone":
            chan.write_stderr(f"briefing: {reason}\r\n".encode())
        # A session the server ended (idle, lifetime, going down) is not a quit: scripts can tell.
        ended_by_server = self.reason is not None and self.reason != "client gone"
        chan.exit(1 if ended_by_server or self.exit_status is None else self.exit_status)

    def _close_master(self) -> None:
        master, self.master = self.master, None
        if master is None:
            return
        loop = asyncio.get_running_loop()
        loop.remove_reader(master)
        loop.remove_writer(master)
        with contextlib.suppress(OSError):
            os.close(master)


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:g} h"
    if seconds >= 60:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"
