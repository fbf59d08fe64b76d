"""Keypress to repaint, reader against minimal apps, timed by the frame clock (benchmarks/frames.py).

    python -m benchmarks.keys --scenario assets --rounds 4 --keys 20

prints JSON: per app (``product``, ``baseline``) and per key, the seconds from
the key to the last frame that changed the screen (and to its first frame, to
its last frame of any kind, the CPU time, the frames drawn).

Why not ``await pilot.press(key); await pilot.pause()``: Pilot's ``press`` and
``pause`` each sleep in 20 ms steps until the process looks idle, so that
measure has a floor of about 60 ms of sleeping whatever the app does. Here
each app runs on ``frames.RecordingDriver`` (it draws as on a terminal and
stamps each frame), a key goes in as a terminal driver sends it, and:

1. wait until the app is quiet (no frame for ``QUIET`` seconds);
2. send the key, start the clock;
3. wait for its first frame, then until no frame follows for ``QUIET``
   seconds (not counted): the key's time runs to the last frame that changed
   the screen (the driver keeps the screen a terminal would show), when it
   shows what it ends up showing. Later frames that repaint the same cells
   are not counted; the last frame of any kind is reported too.

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
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import App
from textual.widget import Widget
from textual.widgets import DataTable

from benchmarks.baseline_apps import MinimalSectionsApp, MinimalTableApp, spec_json
from benchmarks.frames import SIZE, FrameClock, running


def count_lines(table: Widget) -> list[int]:
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


# A plan is a list of steps: ("key", key, label or None to not record) or ("call", fn).
Step = tuple[str, Any, Any]


async def run_session(
    app: App[Any],
    prepare: Callable[[App[Any], FrameClock], Awaitable[tuple[Widget | None, Iterator[Step]]]],
    result: Result,
) -> None:
    async with running(app, SIZE) as clock:
        await clock.quiet(0.2)
        table, steps = await prepare(app, clock)
        counter = count_lines(table) if table is not None else None
        for kind, what, label in steps:
            if kind == "call":
                what()
                await clock.quiet()
                continue
            lines_before = counter[0] if counter else 0
            timing = await clock.press(what)
            if label is not None:
                result.times[label].append(timing.settled)
                result.first[label].append(timing.first)
                result.last[label].append(timing.last)
                result.cpu[label].append(timing.cpu)
                result.frames[label].append(timing.frames)
                if counter is not None:
                    result.lines[label].append(counter[0] - lines_before)
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
    from briefing.app.widgets.assets import AssetsPane

    table = app.screen.query_one("#assets", AssetsPane)
    shared.columns = list(table.COLUMNS)
    shared.rows = [[Text(table.cell_text(i, c)) for c in range(len(table.COLUMNS))] for i in range(table.row_count)]
    shared.keys = [entity.id for entity in table.items]
    shared.table_size = (table.outer_size.width, table.outer_size.height)
    reader = app.screen.query_one("#reader")
    shared.reader_size = (reader.outer_size.width, reader.outer_size.height)


def cursor_row(table: Widget) -> int:
    return int(table.cursor_row)  # type: ignore[attr-defined]


def to_top(table: Widget) -> None:
    """The cursor to the first row: the product's RowTable and the baseline's DataTable alike."""
    if isinstance(table, DataTable):
        table.move_cursor(row=0, animate=False)
    else:
        table.move_cursor(0)  # type: ignore[attr-defined]


def table_plan(table: Widget, plan: dict[str, int]) -> Iterator[Step]:
    """Keys over a table, never one that changes nothing (it would draw no frame).

    ``plan``: key -> how many to record. ``down``/``j``/``pagedown`` go on from where
    the cursor is, back to the top (unrecorded) before the table ends; ``G`` is
    always pressed from the top.
    """
    rows = table.row_count  # type: ignore[attr-defined]
    yield ("call", lambda: to_top(table), None)
    for key, count in plan.items():
        margin = table.size.height if key == "pagedown" else 1
        for _ in range(count):
            if key == "G" or cursor_row(table) >= rows - margin:
                yield ("call", lambda: to_top(table), None)
            yield ("key", key, key)
        yield ("call", lambda: to_top(table), None)


def sections_plan(count: int, sections: int) -> Iterator[Step]:
    """``]`` to the last section, ``[`` back to the first, until ``count`` of each."""
    done = 0
    while done < count:
        for _ in range(sections - 1):
            yield ("key", "]", "]")
        for _ in range(sections - 1):
            yield ("key", "[", "[")
        done += sections - 1


def focused_table(app: App[Any]) -> Widget:
    focused = app.focused
    if focused is None or not hasattr(focused, "cursor_row"):
        raise RuntimeError(f"expected a focused table, got {focused!r}")
    return focused


async def scenario(
    name: str,
    path: str | None,
    rounds: int,
    keys: int,
    table_key_names: list[str],
    spec_out: str | None = None,
) -> dict[str, Any]:
    briefing = load(path)
    shared = Shared(texts=section_texts(briefing))
    results = {"product": Result(), "baseline": Result()}
    if name == "sections":
        results["baseline-scroll"] = Result()
    table_keys = dict.fromkeys(table_key_names, keys)

    async def prepare_product(app: App[Any], clock: FrameClock) -> tuple[Widget | None, Iterator[Step]]:
        # The panes are mounted a frame after the headline; with thousands of
        # rows that can outlast the quiet wait, so wait for them.
        await clock.until(lambda: bool(app.screen.query("#assets")))
        await clock.quiet()
        if not shared.rows:
            copy_product(app, shared)
        if name == "sections":
            return None, sections_plan(keys, len(briefing.sections))
        await clock.press("3")
        table = focused_table(app)
        return table, table_plan(table, table_keys)

    async def prepare_baseline(app: App[Any], clock: FrameClock) -> tuple[Widget | None, Iterator[Step]]:
        if name == "sections":
            return None, sections_plan(keys, len(briefing.sections))
        table = focused_table(app)
        return table, table_plan(table, table_keys)

    def baseline_app(scroll: bool = False) -> App[Any]:
        if name == "sections":
            return MinimalSectionsApp(shared.texts, shared.reader_size, scroll=scroll)
        return MinimalTableApp(shared.columns, shared.rows, shared.keys, shared.table_size)

    with tempfile.TemporaryDirectory() as config_dir:
        for _ in range(rounds):
            await run_session(product_app(briefing, Path(config_dir)), prepare_product, results["product"])
            await run_session(baseline_app(), prepare_baseline, results["baseline"])
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
    options = parser.parse_args(argv)
    data = asyncio.run(
        scenario(
            options.scenario,
            options.briefing,
            options.rounds,
            options.keys,
            options.table_keys.split(","),
            options.spec_out,
        )
    )
    json.dump(data, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
