"""Signals that close the reader the way ``q`` does, so the terminal is given back as it was."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from textual.app import App


@contextmanager
def exit_on_signals(app: App[Any]) -> Iterator[None]:
    """SIGTERM, SIGHUP and SIGINT close ``app`` as ``q`` does while it runs.

    Python's default for SIGTERM and SIGHUP ends the process on the spot,
    which leaves the terminal in the alternate screen with mouse reporting on.
    """

    def close(signum: int, frame: object) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            # Not running yet (or any more): there is no screen to restore.
            raise SystemExit(128 + signum) from None
        # RuntimeError: the loop closed as the signal came.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(app.exit, None, 128 + signum)

    handled = [signal.SIGTERM, signal.SIGINT]
    if hasattr(signal, "SIGHUP"):
        handled.append(signal.SIGHUP)
    previous = {number: signal.signal(number, close) for number in handled}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
