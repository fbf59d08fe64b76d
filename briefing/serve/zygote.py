"""The warm process: Textual, the reader and the library loaded once, forked into one reader per session.

``python -m briefing.serve.zygote FD`` is started by the server with one end
of a socket pair as FD. It imports everything a reader needs, opens the
library once (so its index is up to date), freezes what it made out of the
collector's sight (``gc.freeze``: the pages stay shared with every fork), and
then forks readers when asked: each new reader waits, already forked, on a
socket of its own, and the server hands it a session (a pseudo-terminal and
who the user is) when one comes. One reader serves one session and exits.

The warm process is in a session of its own (``setsid``): a Ctrl+C meant for
the server's terminal does not reach it; it exits when the server's end of
its socket closes.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import os
import signal
import socket
import sys
import termios
import traceback
from typing import Any, NoReturn

from briefing.serve import wire

# The reader's exit status when its session could not start (EX_SOFTWARE).
EXIT_FAILED = 70


def main(argv: list[str]) -> int:
    control = socket.socket(fileno=int(argv[0]))
    os.setsid()
    settings = wire.receive(control)[0]
    started = warm(settings.get("library"), bool(settings.get("include_bundled")))
    # Readers are reaped by the kernel: the server follows them by their sockets.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    gc.freeze()
    wire.send(control, {"ready": os.getpid(), "warm_seconds": started})
    while True:
        try:
            message, _fds = wire.receive(control)
        except wire.Closed:
            return 0
        for _ in range(max(0, min(int(message.get("fork", 0)), 64))):
            fork_reader(control)


def warm(library: str | None, include_bundled: bool) -> float:
    """Load what every reader needs; the seconds it took."""
    import time

    started = time.perf_counter()
    import sqlite3  # noqa: F401 (the library and the review store use it)

    import briefing.app.screens.library
    import briefing.app.screens.main
    import briefing.serve.reader  # noqa: F401
    from briefing.library.catalog import Library

    if library is not None:
        try:
            opened = Library.open(library, include_bundled=include_bundled)
            try:
                opened.refresh()
            finally:
                opened.close()
        except Exception as error:
            print(f"briefing serve: the library could not be opened ahead: {error}", file=sys.stderr)
    return time.perf_counter() - started


def fork_reader(control: socket.socket) -> None:
    server_end, reader_end = wire.pair()
    pid = os.fork()
    if pid == 0:
        control.close()
        server_end.close()
        reader_main(reader_end)
    reader_end.close()
    try:
        wire.send(control, {"reader": pid}, [server_end.fileno()])
    finally:
        server_end.close()


def reader_main(control: socket.socket) -> NoReturn:
    """A forked reader: wait for a session, run it, exit. Never returns."""
    code = EXIT_FAILED
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    try:
        message, fds = wire.receive(control)
        session = message.get("session")
        if isinstance(session, dict) and len(fds) == 1:
            code = run_session(session, fds[0], control)
    except wire.Closed:
        code = 0
    except BaseException:
        with contextlib.suppress(OSError):
            wire.send(control, {"error": traceback.format_exc(limit=8)[-4000:]})
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        with contextlib.suppress(OSError):
            wire.send(control, {"exit": code})
    os._exit(code)


def run_session(session: dict[str, Any], terminal: int, control: socket.socket) -> int:
    """Make ``terminal`` this process's controlling terminal and standard streams, then run the reader on it."""
    os.setsid()
    fcntl.ioctl(terminal, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        os.dup2(terminal, fd)
    os.close(terminal)
    os.environ.clear()
    os.environ.update({str(key): str(value) for key, value in session.get("env", {}).items()})
    from briefing.serve.reader import run_reader

    return run_reader(session, control)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
