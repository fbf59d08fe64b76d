"""Keypress to repaint, headless (Textual's Pilot driver), reader against minimal apps.

    python -m benchmarks.keys --scenario sparta-assets --rounds 4 --keys 20

prints JSON: per app (``product``, ``baseline``) and per key, the seconds from
the key event to the last frame that changed the screen.

How a key is timed, and why not ``await pilot.press(key); await pilot.pause()``:
Pilot's ``press`` and ``pause`` each sleep in 20 ms steps until the process
looks idle (``textual._wait.wait_for_idle``), so that measure has a floor of
about 60 ms of sleeping whatever the app does, and every ratio comes out near
1.0. Instead:

1. wait until the app is quiet (no frame for ``QUIET`` seconds);
2. post the key event exactly as Pilot does (``driver.send_message(Key)``,
   same key and character), start the clock;
3. every frame the screen renders goes through ``App._display``; a wrapper
   on the app instance stamps it, after also encoding the update to terminal
   escape sequences as a real terminal driver would (headless Textual skips
   that step);
4. wait for the first frame after the key, then until no frame follows for
   ``QUIET`` seconds (the quiet wait itself is not counted). Each frame's
   screen (every cell's text and style, ``Compositor.render_strips``) is
   fingerprinted after its time is taken. The key's time runs to the **last
   frame that changed the screen**: the moment the screen shows what it ends
   up showing. Later frames that repaint the same content (Textual sends some
   after a layout) and frames that show an intermediate state (an empty pane
   between removing old widgets and mounting new ones) are told apart this
   way. The first frame and the last frame of any kind are reported too.

Textual's screen-update timer (60 fps) fires at once when the screen has been
idle, so step 1 also keeps that timer from adding up to 16 ms of jitter.
Keys that change nothing draw no frame; the plans below never press one.

Both apps run in this same process, one session at a time, alternating
product / baseline per round, with the same terminal size (120x40).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter, process_time
from typing import Any

from rich.text import Text
from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.widgets import DataTable

from benchmarks.baseline_apps import MinimalSectionsApp, MinimalTableApp, spec_json

SIZE = (120, 40)
QUIET = 0.06
KEY_TIMEOUT = 5.0


def key_event(key: str) -> events.Key:
    """The event ``Pilot.press(key)`` sends (``App._press_keys``), built the same way."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original_key = REPLACED_KEYS.get(key, key)
    char: str | None
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original_key))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


class FrameClock:
    """Stamps every frame an app renders; waits for keys' frames."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.stamps: list[float] = []
        self.cpu: list[float] = []
        # A fingerprint of the whole screen after each frame.
        self.screens: list[int] = []
        self.event = asyncio.Event()
        display = app._display
        console = app.console

        def stamped_display(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is None or app._batch_count:
                # Inside App.batch_update() Textual drops the frame: nothing reaches the terminal.
                return
            render_segments = getattr(renderable, "render_segments", None)
            if render_segments is not None:
                # What a terminal driver would write; headless Textual skips it.
                render_segments(console)
            self.stamps.append(perf_counter())
            self.cpu.append(process_time())
            self.screens.append(self.fingerprint())
            self.event.set()

        app._display = stamped_display  # type: ignore[method-assign]

    def fingerprint(self) -> int:
        """Every cell's text and style on the current screen, hashed."""
        strips = self.app.screen._compositor.render_strips()
        return hash(tuple((segment.text, segment.style) for strip in strips for segment in strip))

    async def _frame_after(self, count: int, timeout: float) -> bool:
        """Wait until more than ``count`` frames were drawn; False on timeout."""
        while len(self.stamps) <= count:
            self.event.clear()
            if len(self.stamps) > count:
                break
            try:
                await asyncio.wait_for(self.event.wait(), timeout)
            except TimeoutError:
                return False
        return True

    async def quiet(self, quiet: float = QUIET) -> None:
        """Until no frame is drawn for ``quiet`` seconds."""
        while await self._frame_after(len(self.stamps), quiet):
            pass

    async def press(self, key: str, quiet: float = QUIET) -> tuple[float, float, float, float, int]:
        """Seconds from the key to the last frame that changed the screen, to its first frame, to its
        last frame of any kind, CPU seconds until that last frame; frames drawn."""
        await self.quiet(quiet)
        before = len(self.stamps)
        screen = self.fingerprint()
        event = key_event(key)
        event.set_sender(self.app)
        driver = self.app._driver
        assert driver is not None
        start, cpu = perf_counter(), process_time()
        driver.send_message(event)
        if not await self._frame_after(before, KEY_TIMEOUT):
            raise RuntimeError(f"key {key!r} drew no frame within {KEY_TIMEOUT} s")
        first = self.stamps[before] - start
        await self.quiet(quiet)
        settled = self.stamps[before]
        for stamp, fingerprint in zip(self.stamps[before:], self.screens[before:], strict=True):
            if fingerprint != screen:
                settled, screen = stamp, fingerprint
        return settled - start, first, self.stamps[-1] - start, self.cpu[-1] - cpu, len(self.stamps) - before


def count_lines(table: DataTable[Any]) -> list[int]:
    """Count ``render_line`` calls of one table (the lines it draws); a one-item list to read."""
    counter = [0]
    render_line = table.render_line

    def counting(y: int) -> Any:
        counter[0] += 1
        return render_line(y)

    table.render_line = counting  # type: ignore[method-assign]
    return counter


@dataclass
class Result:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    first: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    last: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    cpu: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    frames: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    lines: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    pilot: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


# A plan is a list of steps: ("key", key, label or None to not record) or ("call", fn).
Step = tuple[str, Any, Any]


async def run_session(
    app: App[Any],
    prepare: Callable[[App[Any], FrameClock], Awaitable[tuple[DataTable[Any] | None, Iterator[Step]]]],
    result: Result,
    *,
    pilot_keys: list[str] = (),
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        clock = FrameClock(app)
        await clock.quiet(0.2)
        table, steps = await prepare(app, clock)
        counter = count_lines(table) if table is not None else None
        for kind, what, label in steps:
            if kind == "call":
                what()
                await clock.quiet()
                continue
            lines_before = counter[0] if counter else 0
            seconds, first, last, cpu, frames = await clock.press(what)
            if label is not None:
                result.times[label].append(seconds)
                result.first[label].append(first)
                result.last[label].append(last)
                result.cpu[label].append(cpu)
                result.frames[label].append(frames)
                if counter is not None:
                    result.lines[label].append(counter[0] - lines_before)
        # Pilot's own measure, for comparison only (see the module docstring).
        for key in pilot_keys:
            await clock.quiet()
            start = perf_counter()
            await pilot.press(key)
            await pilot.pause()
            result.pilot[key].append(perf_counter() - start)
    del app
    gc.collect()


# ---------------------------------------------------------------- the product


def load(path: str | None) -> Any:
    from briefing.storage.briefing_files import load_briefing
    from briefing.storage.paths import default_briefing_path

    result = load_briefing(path or default_briefing_path())
    if not result.ok:
        raise SystemExit(f"{path}: not a valid briefing: {result.problems[:3]}")
    return result.briefing


def product_app(briefing: Any, config_dir: Path) -> App[Any]:
    from briefing.app.app import BriefingApp

    return BriefingApp(briefing, path="bench.toml", config_path=config_dir / "config.toml")


@dataclass
class Shared:
    """What the baselines copy from the product: rows, columns, sizes, texts."""

    columns: list[tuple[str, int | None]] = field(default_factory=list)
    rows: list[list[Text]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    table_size: tuple[int, int] = (0, 0)
    reader_size: tuple[int, int] = (0, 0)
    texts: list[str] = field(default_factory=list)


def section_texts(briefing: Any) -> list[str]:
    """Each section's heading and text, as one string for the baseline's Static."""
    texts = []
    for section in briefing.sections:
        items = getattr(section, "paragraphs", None) or getattr(section, "bullets", [])
        title = getattr(section, "title", None) or "Lede"
        texts.append("\n\n".join([title, *items]))
    return texts


def copy_product(app: App[Any], shared: Shared) -> None:
    table = app.screen.query_one("#assets", DataTable)
    shared.columns = [(str(column.label), column.width) for column in table.ordered_columns]
    shared.rows = [[cell.copy() for cell in table.get_row_at(i)] for i in range(table.row_count)]
    shared.keys = [str(row.key.value) for row in table.ordered_rows]
    shared.table_size = (table.outer_size.width, table.outer_size.height)
    reader = app.screen.query_one("#reader")
    shared.reader_size = (reader.outer_size.width, reader.outer_size.height)


def table_plan(table: DataTable[Any], plan: dict[str, int]) -> Iterator[Step]:
    """Keys over a table, never one that changes nothing (it would draw no frame).

    ``plan``: key -> how many to record. ``down``/``j``/``pagedown`` go on from where
    the cursor is, back to the top (unrecorded) before the table ends; ``G`` is
    always pressed from the top.
    """

    def top() -> None:
        table.move_cursor(row=0, animate=False)

    yield ("call", top, None)
    for key, count in plan.items():
        margin = table.size.height if key == "pagedown" else 1
        for _ in range(count):
            if key == "G" or table.cursor_row >= table.row_count - margin:
                yield ("call", top, None)
            yield ("key", key, key)
        yield ("call", top, None)


def sections_plan(count: int, sections: int) -> Iterator[Step]:
    """``]`` to the last section, ``[`` back to the first, until ``count`` of each."""
    done = 0
    while done < count:
        for _ in range(sections - 1):
            yield ("key", "]", "]")
        for _ in range(sections - 1):
            yield ("key", "[", "[")
        done += sections - 1


def focused_table(app: App[Any]) -> DataTable[Any]:
    focused = app.focused
    if not isinstance(focused, DataTable):
        raise RuntimeError(f"expected a focused DataTable, got {focused!r}")
    return focused


async def scenario(
    name: str,
    path: str | None,
    rounds: int,
    keys: int,
    table_key_names: list[str],
    pilot: bool,
    spec_out: str | None = None,
) -> dict[str, Any]:
    briefing = load(path)
    shared = Shared(texts=section_texts(briefing))
    results = {"product": Result(), "baseline": Result()}
    if name == "sections":
        results["baseline-scroll"] = Result()
    table_keys = dict.fromkeys(table_key_names, keys)

    async def prepare_product(app: App[Any], clock: FrameClock) -> tuple[DataTable[Any] | None, Iterator[Step]]:
        # The reader builds its panes after the first frame; with thousands of
        # rows that can outlast the quiet wait, so wait for the build itself.
        await app.main_screen.ensure_built()  # type: ignore[attr-defined]
        await clock.quiet()
        if not shared.rows:
            copy_product(app, shared)
        if name == "sections":
            return None, sections_plan(keys, len(briefing.sections))
        await clock.press("3")
        table = focused_table(app)
        return table, table_plan(table, table_keys)

    async def prepare_baseline(app: App[Any], clock: FrameClock) -> tuple[DataTable[Any] | None, Iterator[Step]]:
        if name == "sections":
            return None, sections_plan(keys, len(briefing.sections))
        table = focused_table(app)
        return table, table_plan(table, table_keys)

    def baseline_app(scroll: bool = False) -> App[Any]:
        if name == "sections":
            return MinimalSectionsApp(shared.texts, shared.reader_size, scroll=scroll)
        return MinimalTableApp(shared.columns, shared.rows, shared.keys, shared.table_size)

    pilot_keys = (["]"] if name == "sections" else ["down"]) if pilot else []
    with tempfile.TemporaryDirectory() as config_dir:
        for _ in range(rounds):
            await run_session(
                product_app(briefing, Path(config_dir)), prepare_product, results["product"], pilot_keys=pilot_keys
            )
            await run_session(baseline_app(), prepare_baseline, results["baseline"], pilot_keys=pilot_keys)
            if "baseline-scroll" in results:
                await run_session(baseline_app(scroll=True), prepare_baseline, results["baseline-scroll"])
    if spec_out:
        # The same baselines for tmux (benchmarks/baseline_apps.py SPEC.json).
        specs = {
            "table": spec_json(
                "table", columns=shared.columns, rows=shared.rows, keys=shared.keys, size=shared.table_size
            ),
            "sections": spec_json("sections", texts=shared.texts, size=shared.reader_size),
        }
        for kind, text in specs.items():
            Path(f"{spec_out}.{kind}.json").write_text(text, encoding="utf-8")
    return {
        "rows": len(shared.rows),
        "table_size": shared.table_size,
        "reader_size": shared.reader_size,
        **{
            app: {
                "times": dict(r.times),
                "first": dict(r.first),
                "last": dict(r.last),
                "cpu": dict(r.cpu),
                "frames": dict(r.frames),
                "lines": dict(r.lines),
                "pilot": dict(r.pilot),
            }
            for app, r in results.items()
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=("assets", "sections"), required=True)
    parser.add_argument("--briefing", help="briefing file (default: the bundled Sparta briefing)")
    parser.add_argument("--rounds", type=int, default=4, help="product/baseline session pairs")
    parser.add_argument("--keys", type=int, default=20, help="keys recorded per key name and session")
    parser.add_argument("--table-keys", default="down,j", help="keys to time on the table (comma-separated)")
    parser.add_argument(
        "--spec-out", help="write the baselines' specs for tmux to SPEC_OUT.table.json / .sections.json"
    )
    parser.add_argument("--pilot", action="store_true", help="also time pilot.press + pilot.pause, for comparison")
    options = parser.parse_args(argv)
    data = asyncio.run(
        scenario(
            options.scenario,
            options.briefing,
            options.rounds,
            options.keys,
            options.table_keys.split(","),
            options.pilot,
            options.spec_out,
        )
    )
    json.dump(data, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
