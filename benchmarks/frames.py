"""The one frame clock of the benchmarks: a terminal driver that stamps every frame, on Textual's public API.

An app run with ``RecordingDriver`` (``app.driver_class``, Textual's
``Driver`` interface) draws exactly as on a terminal: Textual renders each
screen update to escape sequences and writes it to the driver, then flushes
once per frame. The driver writes nowhere and notes the time (and the CPU
time) of each flush. Frames Textual drops (inside ``App.batch_update()``, as
all of start-up is until the app is mounted) never reach a driver, so they
are never counted: the first stamp is the first frame a terminal would get.

Keys go in as a terminal driver sends them (``Driver.send_message`` of a
``Key`` event), so nothing of Pilot's idle waiting is in the measure.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from time import perf_counter, process_time
from typing import Any, ClassVar

from textual import events
from textual.app import App
from textual.driver import Driver
from textual.geometry import Size

SIZE = (120, 40)
# No frame for this long: the app has finished answering a key.
QUIET = 0.06
KEY_TIMEOUT = 5.0

# What a terminal sends for each key the benchmarks press: (Textual's key name, the character).
KEYS: dict[str, tuple[str, str | None]] = {
    "down": ("down", None),
    "up": ("up", None),
    "pagedown": ("pagedown", None),
    "j": ("j", "j"),
    "k": ("k", "k"),
    "G": ("G", "G"),
    "3": ("3", "3"),
    "]": ("right_square_bracket", "]"),
    "[": ("left_square_bracket", "["),
}


_SEQUENCE = re.compile(
    r"\x1b\[([0-9;?<>=]*)([ -/]*)([@-~])"  # CSI: cursor moves, styles, modes
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)


class ScreenGrid:
    """The screen a terminal would show, from what the app writes: what each frame changed.

    Enough of a terminal for Textual's output: cursor moves (``CSI row;col H``),
    SGR styles (kept as the cells' style) and text. A frame that writes only
    what the cells already hold (a repaint) changes nothing.
    """

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], tuple[str, str]] = {}
        self.row = self.column = 0
        self.style = ""

    def apply(self, data: str) -> bool:
        """Take one frame's output; whether any cell now shows something else."""
        changed = False
        position = 0
        for match in _SEQUENCE.finditer(data):
            changed |= self._text(data[position : match.start()])
            position = match.end()
            final = match.group(3)
            if final == "H":
                row, _, column = (match.group(1) or "1;1").partition(";")
                self.row, self.column = int(row or 1) - 1, int(column or 1) - 1
            elif final == "m":
                params = match.group(1)
                self.style = "" if params in ("", "0") else (self.style + ";" + params)
        changed |= self._text(data[position:])
        return changed

    def _text(self, text: str) -> bool:
        changed = False
        for character in text:
            if character in "\r\n":
                self.column = 0 if character == "\r" else self.column
                self.row += character == "\n"
                continue
            cell = (character, self.style)
            key = (self.row, self.column)
            if self.cells.get(key) != cell:
                self.cells[key] = cell
                changed = True
            self.column += 2 if unicodedata.east_asian_width(character) in "WF" else 1
        return changed


class RecordingDriver(Driver):
    """Writes nowhere; stamps each frame (one ``flush`` per frame) and whether it changed the screen."""

    # The driver of the app started last, for the clock to find (the app keeps its own private).
    latest: ClassVar[RecordingDriver | None] = None
    # Called at each frame with the driver (startup.py stops the process at the first).
    on_frame: ClassVar[Callable[[RecordingDriver], None] | None] = None

    def __init__(self, app: App[Any], *, debug: bool = False, mouse: bool = True, size: tuple[int, int] | None = None):
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self.app = app
        self.stamps: list[float] = []
        self.cpu: list[float] = []
        # Whether each frame changed what the screen shows.
        self.changes: list[bool] = []
        self.screen = ScreenGrid()
        self._pending: list[str] = []
        self.frame = asyncio.Event()
        RecordingDriver.latest = self

    def write(self, data: str) -> None:
        self._pending.append(data)

    def flush(self) -> None:
        # The time first: what follows is the measuring's own work.
        self.stamps.append(perf_counter())
        self.cpu.append(process_time())
        self.changes.append(self.screen.apply("".join(self._pending)))
        self._pending.clear()
        self.frame.set()
        if RecordingDriver.on_frame is not None:
            RecordingDriver.on_frame(self)

    def start_application_mode(self) -> None:
        size = Size(*(self._size or SIZE))
        self.send_message(events.Resize(size, size))

    def disable_input(self) -> None:
        pass

    def stop_application_mode(self) -> None:
        pass


@dataclass(frozen=True)
class KeyTiming:
    settled: float  # seconds from the key to the last frame that changed the screen
    first: float  # to its first frame
    last: float  # to its last frame of any kind (repaints included)
    cpu: float  # CPU seconds of the process until the settled frame
    frames: int


class FrameClock:
    def __init__(self, driver: RecordingDriver) -> None:
        self.driver = driver

    @property
    def stamps(self) -> list[float]:
        return self.driver.stamps

    async def frame_after(self, count: int, timeout: float) -> bool:
        """Wait until more than ``count`` frames were drawn; False on timeout."""
        while len(self.stamps) <= count:
            self.driver.frame.clear()
            if len(self.stamps) > count:
                break
            try:
                await asyncio.wait_for(self.driver.frame.wait(), timeout)
            except TimeoutError:
                return False
        return True

    async def quiet(self, quiet: float = QUIET) -> None:
        """Until no frame is drawn for ``quiet`` seconds."""
        while await self.frame_after(len(self.stamps), quiet):
            pass

    async def until(self, condition: Callable[[], bool], timeout: float = 30.0) -> None:
        """Until ``condition()`` holds, checked at each frame."""
        deadline = perf_counter() + timeout
        while not condition():
            if perf_counter() > deadline:
                raise RuntimeError("the app never reached the state waited for")
            await self.frame_after(len(self.stamps), 0.05)

    async def press(self, key: str, quiet: float = QUIET) -> KeyTiming:
        """The key, as a terminal sends it, timed to its frames."""
        await self.quiet(quiet)
        before = len(self.stamps)
        name, character = KEYS[key]
        start, cpu = perf_counter(), process_time()
        self.driver.send_message(events.Key(name, character))
        if not await self.frame_after(before, KEY_TIMEOUT):
            raise RuntimeError(f"key {key!r} drew no frame within {KEY_TIMEOUT} s")
        first = self.stamps[before] - start
        await self.quiet(quiet)
        changed = [n for n in range(before, len(self.stamps)) if self.driver.changes[n]] or [before]
        settled = changed[-1]
        return KeyTiming(
            self.stamps[settled] - start,
            first,
            self.stamps[-1] - start,
            self.driver.cpu[settled] - cpu,
            len(self.stamps) - before,
        )


@asynccontextmanager
async def running(app: App[Any], size: tuple[int, int] = SIZE) -> AsyncIterator[FrameClock]:
    """``app`` running on a RecordingDriver at ``size``, its frame clock; exited and awaited after."""
    app.driver_class = RecordingDriver
    task = asyncio.create_task(app.run_async(size=size))
    for _ in range(1000):
        driver = RecordingDriver.latest
        if driver is not None and driver.app is app:
            break
        await asyncio.sleep(0.002)
    else:
        raise RuntimeError("the app did not start")
    clock = FrameClock(driver)
    try:
        await clock.frame_after(0, 30.0)
        yield clock
    finally:
        app.exit()
        await task
