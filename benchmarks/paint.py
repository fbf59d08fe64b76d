"""First paint, memory at first paint, and keys through a real terminal (tmux)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import alternate
from benchmarks.tmuxctl import AppExited, Paint, Tmux


@dataclass(frozen=True)
class Launch:
    argv: Sequence[str]
    needle: str  # text whose appearance counts as the first paint
    env: dict[str, str | None] = field(default_factory=dict)  # on top of the common environment
    # Texts that are all on screen once the screen is complete (none: not measured).
    complete: Sequence[str] = ()


def first_paints(
    tmux: Tmux, launches: dict[str, Launch], runs: int, env: dict[str, str | None]
) -> dict[str, list[Paint]]:
    """Each launch ``runs`` times, interleaved, after one unrecorded warm-up launch each."""
    contenders = {}
    for name, launch in launches.items():
        script = tmux.script(list(launch.argv), {**env, **launch.env})
        contenders[name] = lambda script=script, launch=launch: tmux.paint(
            script, launch.needle, complete=launch.complete
        )
    return alternate(runs, contenders)


def _changed(tmux: Tmux, name: str, before: str, started: float, timeout: float = 5.0) -> float:
    deadline = started + timeout
    polls = 0
    while True:
        now = time.perf_counter()
        if tmux.capture(name, styles=True) != before:
            return now - started
        if now > deadline:
            raise RuntimeError(f"the screen did not change within {timeout} s")
        polls += 1
        if polls % 50 == 0:
            tmux.check_alive(name, "after a key")
        time.sleep(0.001)


def tmux_key(tmux: Tmux, name: str, key: str) -> tuple[float, float]:
    """(seconds to the first change of the screen, seconds to its last change) after ``send-keys``."""
    tmux.wait_until_still(name, time.perf_counter(), hold=0.1)
    before = tmux.capture(name, styles=True)
    literal = "" if key[0].isupper() and len(key) > 1 else "-l "
    started = time.perf_counter()
    tmux.command(f"send-keys -t {name} {literal}'{key}'")
    first = _changed(tmux, name, before, started)
    settled, _ = tmux.wait_until_still(name, started, hold=0.1)
    return first, max(first, settled)


def keys_session(
    tmux: Tmux, script: Path, needle: str, prelude: Sequence[str], plan: Sequence[tuple[str, str]]
) -> dict[str, list[tuple[float, float]]]:
    """Launch, press ``prelude`` keys unrecorded, then ``plan`` ((key, label) pairs) recorded."""
    name, pid, started = tmux.start(script)
    results: dict[str, list[tuple[float, float]]] = {}
    try:
        tmux.wait_for(name, needle, started)
        for key in prelude:
            tmux_key(tmux, name, key)
        for key, label in plan:
            results.setdefault(label, []).append(tmux_key(tmux, name, key))
    finally:
        tmux.kill(name, pid)
    return results


def spot_check(
    tmux: Tmux,
    env: dict[str, str | None],
    product: Launch,
    table: Launch,
    sections: Launch,
    rows: int,
    section_count: int,
    rounds: int,
) -> dict[str, dict[str, list[tuple[float, float]]]]:
    """tmux send-keys: down/up over the assets table and ]/[ over the sections, product and baselines."""
    table_plan = [("Down", "down")] * (rows - 1) + [("Up", "up")] * (rows - 1)
    sections_plan = [("]", "]")] * (section_count - 1) + [("[", "[")] * (section_count - 1)
    scripts = {
        name: tmux.script(list(launch.argv), env) for name, launch in (("p", product), ("t", table), ("s", sections))
    }
    merged: dict[str, dict[str, list[tuple[float, float]]]] = {"product": {}, "baseline": {}}
    failures: list[tuple[str, str, str]] = []
    merged["failures"] = failures  # type: ignore[assignment]

    def add(app: str, found: dict[str, list[tuple[float, float]]]) -> None:
        for label, values in found.items():
            merged[app].setdefault(label, []).extend(values)

    for _ in range(rounds):
        for app, script, launch, prelude, plan in (
            ("product", scripts["p"], product, ["3"], table_plan + sections_plan),
            ("baseline", scripts["t"], table, [], table_plan),
            ("baseline", scripts["s"], sections, [], sections_plan),
        ):
            try:
                add(app, keys_session(tmux, script, launch.needle, prelude, plan))
            except AppExited as exited:
                # Keep measuring; the runner reports the exit and the app's last screen.
                failures.append((app, str(exited), exited.screen))
    return merged
