"""One reader of a served session, in its own process: the app, told by the server what it serves and to whom.

The server's messages come on the reader's socket: a notice to show (the
server is going down, the session is about to end), or the end of the
session, on which a note being written is saved before the reader closes.
The socket closing means the server is gone: the reader closes too.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import io
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.css.stylesheet import Stylesheet

from briefing.app import app as app_module
from briefing.app.app import BriefingApp
from briefing.app.screens.note_editor import NoteEditor
from briefing.app.signals import exit_on_signals
from briefing.format.safetext import defuse, one_line
from briefing.serve import wire

if TYPE_CHECKING:
    from briefing.library.catalog import Library

# From this size the reader shows the headline first and parses the file in the background (as `briefing FILE`).
DEFER_PARSING_FROM = 1024 * 1024
# The end of a crash report that reaches the server's log.
MAX_REPORT = 8000
# The collector is back on by then, first screen or not.
FIRST_SCREEN_AT_MOST = 2.0
# How long a reader whose session is ending has to save and go before it ends on the spot.
LAST_WORDS = 3.0
# The status of a reader that had to end on the spot (as a shell reports SIGHUP).
EXIT_HUNG_UP = 129
# The status a reader ends with when the server ended its session.
EXIT_ENDED = 0


class ServedReader(BriefingApp):
    """The reader with a line to the server."""

    # Textual reads a relative CSS_PATH beside the module of the class: the reader's sheets are beside the app's.
    CSS_PATH: ClassVar = [Path(app_module.__file__).parent / path for path in BriefingApp.CSS_PATH]

    # The style sheet of the warm process's rehearsal (zygote.rehearse), its rules parsed: a reader that
    # starts from it skips parsing every sheet again, about a tenth of its time to the first screen. A
    # theme of the user's own is applied over it as on any start (the rules are parsed again then).
    warm_stylesheet: ClassVar[Stylesheet | None] = None

    def __init__(self, *args: Any, control: socket.socket, **options: Any) -> None:
        super().__init__(*args, **options)
        self.control = control
        if ServedReader.warm_stylesheet is not None:
            self.stylesheet = ServedReader.warm_stylesheet

    def on_mount(self) -> None:
        self.control.setblocking(False)
        asyncio.get_running_loop().add_reader(self.control.fileno(), self._from_server)
        self.watch_for_first_screen = self.set_interval(0.01, self._first_screen_drawn)
        self.set_timer(FIRST_SCREEN_AT_MOST, gc.enable)
        review = self.review
        if review.problem:
            self.notify(f"Review kept read-only: {defuse(review.problem)}", severity="warning", markup=False)

    def _first_screen_drawn(self) -> None:
        """Tell the server once the first screen is complete: the library's rows, or the briefing's panes."""
        from briefing.app.screens.library import LibraryScreen
        from briefing.app.screens.main import MainScreen

        screen = self.screen
        ready = (isinstance(screen, LibraryScreen) and screen.library is not None) or (
            isinstance(screen, MainScreen) and screen.is_laid_out
        )
        if ready:
            self.watch_for_first_screen.stop()
            gc.enable()
            self.call_after_refresh(self._say, {"painted": True})

    def _say(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):
            wire.send(self.control, message)

    def _from_server(self) -> None:
        try:
            message, _fds = wire.receive(self.control)
        except BlockingIOError:
            return
        except (wire.Closed, OSError):
            asyncio.get_running_loop().remove_reader(self.control.fileno())
            self.end_session()
            return
        notice = message.get("notice")
        if isinstance(notice, str):
            timeout = message.get("timeout")
            self.notify(
                one_line(notice),
                title="Server",
                severity="warning",
                timeout=float(timeout) if isinstance(timeout, (int, float)) else 10.0,
                markup=False,
            )
        if message.get("end"):
            self.end_session()

    def end_session(self) -> None:
        """Close the reader; a note being written is saved first, as Escape would.

        The process ends within ``LAST_WORDS`` seconds whatever happens: once
        its terminal is hung up, Textual's shutdown can wait for good on a
        write that never completes.
        """
        leave_in(LAST_WORDS)
        if isinstance(self.screen, NoteEditor):
            self.screen.action_save()
            self.call_after_refresh(self.exit, None, EXIT_ENDED)
            return
        self.exit(return_code=EXIT_ENDED)


def leave_in(seconds: float) -> None:
    """End this process in ``seconds``, from a thread of its own (the event loop may be stuck by then)."""

    def leave() -> None:
        time.sleep(seconds)
        os._exit(EXIT_HUNG_UP)

    threading.Thread(target=leave, name="briefing-last-words", daemon=True).start()


@contextlib.contextmanager
def end_on_hang_up(app: ServedReader) -> Iterator[None]:
    """SIGHUP (the terminal hung up: the client or the server has gone) ends the session as the server would."""

    def hung_up(signum: int, frame: object) -> None:
        leave_in(LAST_WORDS)
        try:
            asyncio.get_running_loop().call_soon_threadsafe(app.end_session)
        except RuntimeError:
            os._exit(EXIT_HUNG_UP)

    previous = signal.signal(signal.SIGHUP, hung_up)
    try:
        yield
    finally:
        signal.signal(signal.SIGHUP, previous)


def run_reader(session: dict[str, Any], control: socket.socket, prepared: Library | None = None) -> int:
    """Run the reader of one session on this process's terminal; its exit status."""
    from briefing.storage.review import ReviewStore

    gc.disable()
    user_dir = Path(str(session["user_dir"]))
    review = ReviewStore.open(user_dir / "review.sqlite3")
    library = session.get("library")
    include_bundled = bool(session.get("include_bundled"))
    briefing = session.get("briefing")
    if isinstance(briefing, dict):
        from briefing.format.reading import PendingLoad
        from briefing.storage.briefing_files import open_briefing

        path, key = str(briefing["path"]), str(briefing["key"])
        opened = open_briefing(path, cache=True, defer_from=DEFER_PARSING_FROM)
        if not isinstance(opened, PendingLoad) and (opened.briefing is None or not opened.ok):
            os.write(2, f"briefing: {key} cannot be opened: it does not pass `briefing check`\n".encode())
            return 1
        start = opened if isinstance(opened, PendingLoad) else opened.briefing
        app = ServedReader(
            start,
            path=path,
            briefing_key=key,
            review=review,
            config_path=user_dir / "config.toml",
            control=control,
            # The server's files are not a served user's to write.
            can_export=False,
        )
    else:
        app = ServedReader(
            None,
            library_root=str(library),
            include_bundled=include_bundled,
            review=review,
            config_path=user_dir / "config.toml",
            control=control,
            library=prepared if prepared is not None and prepared.root == library else None,
            # Not the server's directory: a served user has no business with its paths.
            library_place=f"served by {one_line(socket.gethostname())}",
            can_export=False,
        )
    # The collector stays off until the first screen is drawn (or FIRST_SCREEN_AT_MOST has passed): what
    # the screen is built of lives on, and looking through it meanwhile only delays the screen.
    gc.freeze()
    # What the reader would print on its way out (a crash's traceback) goes to the server's log, not to
    # the user's terminal: the screen is drawn on sys.__stderr__, Textual's error report on sys.stderr.
    report = io.StringIO()
    sys.stderr = report
    try:
        with exit_on_signals(app), end_on_hang_up(app):
            app.run()
    finally:
        sys.stderr = sys.__stderr__
        review.close()
    if report.getvalue().strip():
        with contextlib.suppress(OSError):
            wire.send(control, {"error": report.getvalue()[-MAX_REPORT:]})
            os.write(2, b"briefing: the reader failed; the server's log says why\n")
        return app.return_code or 1
    if app.load_failure is not None:
        problem = app.load_failure.problems[0] if app.load_failure.problems else None
        why = one_line(str(problem.message)) if problem is not None else "it does not pass `briefing check`"
        os.write(2, f"briefing: this briefing cannot be opened: {why}\n".encode())
    return app.return_code or 0
