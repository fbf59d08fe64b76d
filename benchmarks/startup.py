"""Where start-up goes: the reader's phases up to its first frame, against the minimal app's.

    python -m benchmarks.startup product [BRIEFING] [--cache]
    python -m benchmarks.startup minimal

prints one JSON object: for each phase, the seconds since this script started
and the process's resident memory (KiB) at its end. The app runs at 120x40 on
the benchmarks' frame clock (benchmarks/frames.py: a driver that draws as on a
terminal and writes nowhere), and the "first frame" is the first frame of the
reader's main screen (or of the minimal app's screen) that reaches the driver.
The phases follow ``briefing.cli``'s own order for ``briefing [PATH]``, except
that a large file's first open is parsed before the app starts here, where
the reader would show a loading screen first.
"""

from __future__ import annotations

import json
import os
import sys
import time

START = time.perf_counter()
PHASES: list[tuple[str, float, int]] = []
# Called at the first frame, before the process leaves (a profiler's stop, say).
ON_FIRST_FRAME: list[object] = []


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def mark(name: str) -> None:
    PHASES.append((name, time.perf_counter() - START, rss_kib()))


def run_to_first_frame(app: object, is_ready: object) -> None:
    """Run ``app`` and exit the process at the first frame for which ``is_ready(screen)`` holds."""
    from benchmarks.frames import RecordingDriver

    def first_frame(driver: RecordingDriver) -> None:
        if not is_ready(driver.app.screen):  # type: ignore[operator]
            return
        mark("first frame")
        for callback in ON_FIRST_FRAME:
            callback()  # type: ignore[operator]
        # Done: leave at once, before the app goes on (building more of its screen).
        emit()
        os._exit(0)

    RecordingDriver.on_frame = first_frame
    app.driver_class = RecordingDriver  # type: ignore[attr-defined]
    app.run(size=(120, 40))  # type: ignore[attr-defined]


def product(path: str | None, cache: bool = False) -> None:
    import gc

    import briefing.cli  # noqa: F401  (what the console script imports)

    # As briefing.cli.read does: the collector paused until the app exists.
    gc.disable()
    mark("import briefing.cli")
    from briefing.cli.check import report_load_failure  # noqa: F401
    from briefing.storage.briefing_files import load_briefing
    from briefing.storage.paths import default_briefing_path

    mark("import check + loader")
    # With ``cache``, as the reader loads: from its cache of validated briefings,
    # which holds the file after its first open. Without, parsed and checked.
    result = load_briefing(path or default_briefing_path(), cache=cache)
    assert result.ok, result.problems[:3]
    mark("load_briefing")
    from briefing.app.app import BriefingApp

    mark("import briefing.app.app (Textual, widgets)")
    app = BriefingApp(result.briefing, path=result.file)
    # As briefing.cli.read does before it starts the reader.
    gc.freeze()
    gc.enable()
    mark("BriefingApp() (index, config)")
    run_to_first_frame(app, lambda screen: type(screen).__name__ == "MainScreen")


def minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    mark("import textual.app + Static")

    class MinimalApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Russian Soldiers SCHEME As They Get STRANDED In International Waters", markup=False)

    app = MinimalApp()
    mark("App()")
    run_to_first_frame(app, lambda screen: True)


def main() -> int:
    which = sys.argv[1]
    mark("interpreter ready")
    if which == "product":
        args = [a for a in sys.argv[2:] if a != "--cache"]
        product(args[0] if args else None, cache="--cache" in sys.argv)
    else:
        minimal()
    emit()  # only reached when the app ended without a first frame
    return 1


def emit() -> None:
    """Print the phases as JSON: each phase's own cost is the difference from the previous mark."""
    out = []
    previous_t, previous_rss = 0.0, PHASES[0][2]
    for name, t, rss in PHASES:
        out.append(
            {"phase": name, "at": t, "took": t - previous_t, "rss_kib": rss, "rss_delta_kib": rss - previous_rss}
        )
        previous_t, previous_rss = t, rss
    sys.__stdout__.write(json.dumps(out) + "\n")
    sys.__stdout__.flush()


if __name__ == "__main__":
    sys.exit(main())
