"""``briefing export`` of the 5,000-asset briefing, each format, against ``briefing show`` of it.

Whole processes, interleaved (show, export, show, export…), output to
/dev/null, the reader's cache of validated briefings off for both
(``BRIEFING_CACHE=0``): each parses and checks the file as on its first
export, so the ratio is the cost of laying out and writing a format, against
laying out and printing the same briefing with Rich.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.common import BRIEFING, PYTHON, alternate, child_env, timed_run

SHOW_WIDTH = "100"


def show_command(path: Path) -> list[str]:
    return [PYTHON, BRIEFING, "show", str(path), "--width", SHOW_WIDTH]


def export_command(path: Path, to: str) -> list[str]:
    return [PYTHON, BRIEFING, "export", str(path), "--to", to]


def export_against_show(path: Path, formats: list[str], runs: int) -> dict[str, list[float]]:
    """Seconds per run: ``show`` and ``export --to FORMAT`` for each format, interleaved."""
    env = child_env({"BRIEFING_CACHE": "0"})
    contenders = {"show": lambda: timed_run(show_command(path), env=env)}
    for name in formats:
        contenders[name] = lambda name=name: timed_run(export_command(path, name), env=env)
    return alternate(runs, contenders)
