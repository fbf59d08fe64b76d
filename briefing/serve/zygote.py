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

import asyncio
import contextlib
import fcntl
import gc
import os
import signal
import socket
import sys
import tempfile
import termios
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from briefing.format.reading import LoadResult
from briefing.format.safetext import one_line
from briefing.serve import wire

if TYPE_CHECKING:
    from briefing.library.catalog import Library

# The reader's exit status when its session could not start (EX_SOFTWARE).
EXIT_FAILED = 70
# What the server said is served: {"library": root, "include_bundled": bool}.
LIBRARY: dict[str, Any] = {}
# How many 10 ms steps the rehearsal waits for a screen, at most.
REHEARSAL_STEPS = 500


def main(argv: list[str]) -> int:
    control = socket.socket(fileno=int(argv[0]))
    os.setsid()
    try:
        settings = wire.receive(control)[0]
        LIBRARY.update(settings)
        started = warm(settings.get("library"), bool(settings.get("include_bundled")))
        # Readers are reaped by the kernel: the server follows them by their sockets.
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)
        gc.freeze()
        wire.send(control, {"ready": os.getpid(), "warm_seconds": started})
        while True:
            message, _fds = wire.receive(control)
            count = message.get("fork", 0)
            for _ in range(max(0, min(count if isinstance(count, int) else 0, 64))):
                fork_reader(control)
    except (wire.Closed, OSError):
        # The server has gone (or is going): so does the warm process, without a word.
        return 0


def warm(library: str | None, include_bundled: bool) -> float:
    """Load what every reader needs and rehearse a session; the seconds it took.

    The rehearsal runs the reader headless, once on the library and once on
    the bundled briefing, so that what Textual and the reader make on first
    use (parsed styles, caches, lazily imported modules, the library's
    up-to-date index) is made here, once, instead of in every session.
    """
    import time

    started = time.perf_counter()
    import briefing.serve.reader  # noqa: F401 (the reader's app and all it imports)

    try:
        asyncio.run(rehearse(library, include_bundled))
    except Exception as error:
        print(f"briefing serve: the rehearsal of a session failed: {one_line(str(error))}", file=sys.stderr)
    # Forking while another thread holds a lock would leave it held for good in the fork.
    deadline = time.monotonic() + 10
    while threading.active_count() > 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    return time.perf_counter() - started


async def rehearse(library: str | None, include_bundled: bool) -> None:
    from briefing.app.app import BriefingApp
    from briefing.app.screens.library import LibraryScreen
    from briefing.app.screens.main import MainScreen
    from briefing.serve.reader import ServedReader
    from briefing.storage.briefing_files import open_briefing
    from briefing.storage.paths import default_briefing_path
    from briefing.storage.review import ReviewStore

    with tempfile.TemporaryDirectory(prefix="briefing-rehearsal-") as scratch:
        review = ReviewStore.open(Path(scratch) / "review.sqlite3")
        config = Path(scratch) / "config.toml"
        try:
            if library is not None:
                app = BriefingApp(
                    None, library_root=library, include_bundled=include_bundled, review=review, config_path=config
                )
                async with app.run_test(size=(120, 40)) as pilot:
                    for _ in range(REHEARSAL_STEPS):
                        screen = app.screen
                        if isinstance(screen, LibraryScreen) and screen.library is not None:
                            break
                        await pilot.pause(0.01)
            opened = open_briefing(default_briefing_path(), cache=True)
            if not isinstance(opened, LoadResult) or opened.briefing is None:
                return
            main = BriefingApp(opened.briefing, path=opened.file, review=review, config_path=config)
            if library is not None:
                main.stylesheet = app.stylesheet  # one sheet with the rules of both screens
            async with main.run_test(size=(120, 40)) as pilot:
                for _ in range(REHEARSAL_STEPS):
                    screen = main.screen
                    if isinstance(screen, MainScreen) and screen.is_laid_out:
                        break
                    await pilot.pause(0.01)
            # Every reader starts from the rules parsed here, not from the text of its style sheets.
            ServedReader.warm_stylesheet = main.stylesheet
        finally:
            review.close()


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
        library = open_library(LIBRARY)
        message, fds = wire.receive(control)
        session = message.get("session")
        if isinstance(session, dict) and len(fds) == 1:
            code = run_session(session, fds[0], control, library)
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


def open_library(settings: dict[str, Any]) -> Library | None:
    """The library, opened while the reader waits for its session (never before the fork: an SQLite
    connection must not cross one)."""
    from briefing.library.catalog import Library

    root = settings.get("library")
    if not isinstance(root, str):
        return None
    try:
        return Library.open(root, include_bundled=bool(settings.get("include_bundled")))
    except Exception:
        return None


def run_session(session: dict[str, Any], terminal: int, control: socket.socket, library: Library | None) -> int:
    """Make ``terminal`` this process's controlling terminal and standard streams, then run the reader on it."""
    os.setsid()
    fcntl.ioctl(terminal, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        os.dup2(terminal, fd)
    os.close(terminal)
    os.environ.clear()
    os.environ.update({str(key): str(value) for key, value in session.get("env", {}).items()})
    from briefing.serve.reader import run_reader

    return run_reader(session, control, library)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
