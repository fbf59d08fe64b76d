"""The server's side of the readers: the warm process, and the pool of forked readers ready for sessions.

The warm process (``zygote``) is started once and asked to fork; each fork
arrives as a ``Reader``: its pid, a pidfd to signal it by (never a reused
pid), and the socket the session is handed over and its end is heard on. A
few readers are kept ready; each one taken is replaced in the background.
If the warm process dies it is started again on the next session.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import sys
from collections import deque
from collections.abc import Callable
from typing import Any

from briefing.serve import wire
from briefing.serve.events import EventLog

# A reader not forked within this long means the warm process is stuck.
FORK_TIMEOUT = 30.0
# The server's environment a reader does not inherit: the operator's terminal, locale and SSH agent
# are not the user's. Readers are forked, never exec'd, so the warm process is started without them
# too: else they stay in every reader's /proc/PID/environ, and in what its own children inherit.
NOT_INHERITED = re.compile(r"TERM|COLORTERM|LANG|LC_.*|TEXTUAL.*|SSH_.*|DISPLAY|COLUMNS|LINES|NO_COLOR|FORCE_COLOR")


class ReaderUnavailable(Exception):
    """No reader could be had for a session."""


class Reader:
    """One forked reader process."""

    def __init__(self, pid: int, sock: socket.socket) -> None:
        self.pid = pid
        self.sock = sock
        sock.setblocking(False)
        try:
            self.pidfd: int | None = os.pidfd_open(pid)
        except OSError:
            self.pidfd = None  # already gone (or no pidfd on this kernel): signals go nowhere

    def send(self, message: dict[str, Any], fds: list[int] | None = None) -> bool:
        try:
            wire.send(self.sock, message, fds)
        except OSError:
            return False
        return True

    def signal(self, number: int) -> None:
        if self.pidfd is None:
            return
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(self.pidfd, number)

    def alive(self) -> bool:
        if self.pidfd is None:
            return False
        try:
            signal.pidfd_send_signal(self.pidfd, 0)
        except OSError:
            return False
        return True

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        if self.pidfd is not None:
            with contextlib.suppress(OSError):
                os.close(self.pidfd)
            self.pidfd = None


class ReaderPool:
    def __init__(self, library: str | None, include_bundled: bool, size: int, log: EventLog) -> None:
        self.library = library
        self.include_bundled = include_bundled
        self.size = size
        self.log = log
        self._ready: deque[Reader] = deque()
        self._waiting: deque[asyncio.Future[Reader]] = deque()
        self._in_flight = 0
        self._process: asyncio.subprocess.Process | None = None
        self._control: socket.socket | None = None
        self._started: asyncio.Future[None] | None = None
        self._closed = False

    async def start(self) -> None:
        """Start the warm process and wait until it is warm; the pool is then filled."""
        loop = asyncio.get_running_loop()
        ours, theirs = wire.pair()
        environment = {name: value for name, value in os.environ.items() if not NOT_INHERITED.fullmatch(name)}
        environment["PYTHONIOENCODING"] = "utf-8"
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "briefing.serve.zygote",
            str(theirs.fileno()),
            pass_fds=[theirs.fileno()],
            stdin=asyncio.subprocess.DEVNULL,
            env=environment,
        )
        theirs.close()
        ours.setblocking(False)
        self._control = ours
        self._started = loop.create_future()
        self._in_flight = 0
        loop.add_reader(ours.fileno(), self._from_zygote)
        wire.send(ours, {"library": self.library, "include_bundled": self.include_bundled})
        await asyncio.wait_for(self._started, FORK_TIMEOUT)
        self._refill()

    def _from_zygote(self) -> None:
        control = self._control
        assert control is not None
        while True:
            try:
                message, fds = wire.receive(control)
            except BlockingIOError:
                return
            except (wire.Closed, OSError):
                self._zygote_gone()
                return
            if "ready" in message and self._started is not None and not self._started.done():
                self.log.write("warm", pid=message["ready"], seconds=message.get("warm_seconds"))
                self._started.set_result(None)
            pid = message.get("reader")
            if isinstance(pid, int) and len(fds) == 1:
                self._in_flight = max(0, self._in_flight - 1)
                self._arrived(Reader(pid, socket.socket(fileno=fds[0])))

    def _arrived(self, reader: Reader) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(reader)
                return
        self._ready.append(reader)

    def _zygote_gone(self) -> None:
        control = self._control
        if control is not None:
            asyncio.get_running_loop().remove_reader(control.fileno())
            control.close()
        self._control = None
        self._in_flight = 0
        if not self._closed:
            self.log.write("warm_process_lost", pid=self._process.pid if self._process else None)
        failure = ReaderUnavailable("the server's reader process has gone; try again")
        if self._started is not None and not self._started.done():
            self._started.set_exception(failure)
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_exception(failure)

    def _refill(self) -> None:
        wanted = len(self._waiting) + self.size - len(self._ready) - self._in_flight
        if wanted > 0 and self._control is not None:
            try:
                wire.send(self._control, {"fork": wanted})
            except OSError:
                return
            self._in_flight += wanted

    async def take(self) -> Reader:
        """A reader ready for a session: from the pool, or forked now."""
        if self._closed:
            raise ReaderUnavailable("the server is shutting down")
        if self._control is None:
            await self.start()
        while self._ready:
            reader = self._ready.popleft()
            if reader.alive():
                self._refill()
                return reader
            reader.close()
        waiter: asyncio.Future[Reader] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        self._refill()
        try:
            return await asyncio.wait_for(waiter, FORK_TIMEOUT)
        except TimeoutError:
            raise ReaderUnavailable("no reader could be started in time") from None

    async def close(self) -> None:
        self._closed = True
        for reader in self._ready:
            reader.close()  # a ready reader exits when its socket closes
        self._ready.clear()
        control = self._control
        if control is not None:
            asyncio.get_running_loop().remove_reader(control.fileno())
            control.close()
            self._control = None
        if self._process is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._process.wait(), 5)
            if self._process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    self._process.kill()


def on_message(reader: Reader, handle: Callable[[dict[str, Any] | None], None]) -> None:
    """Call ``handle`` with each message of ``reader``, then with None once it has gone."""
    loop = asyncio.get_running_loop()

    def readable() -> None:
        while True:
            try:
                message, fds = wire.receive(reader.sock)
            except BlockingIOError:
                return
            except (wire.Closed, OSError):
                with contextlib.suppress(ValueError, OSError):
                    loop.remove_reader(reader.sock.fileno())
                handle(None)
                return
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
            handle(message)

    loop.add_reader(reader.sock.fileno(), readable)
