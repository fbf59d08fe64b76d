"""``briefing check`` (and ``show``) as whole processes, against bare-interpreter floors."""

from __future__ import annotations

import statistics
import subprocess
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import BRIEFING, PYTHON, ROOT, SPARTA, alternate, child_env, no_cache_env, timed_run

FLOOR_IMPORTS = [PYTHON, "-c", "import tomllib, msgspec"]
# The parse-only floor for many files: read the bytes, decode, tomllib.loads, nothing else.
FLOOR_PARSE = (
    "import sys, tomllib\n"
    "for name in sys.argv[1:]:\n"
    "    with open(name, 'rb') as stream:\n"
    "        tomllib.loads(stream.read().decode('utf-8'))\n"
)
UI_PACKAGES = ("textual", "rich")


def check_command(*paths: str) -> list[str]:
    return [PYTHON, BRIEFING, "check", *paths]


def single_check(runs: int) -> dict[str, list[float]]:
    """``briefing check content/sparta.toml`` against ``python -c 'import tomllib, msgspec'``.

    ``check, no bytecode cache`` is the same command with briefing's modules
    compiled at every start (PYTHONDONTWRITEBYTECODE=1, no cache), as this
    environment runs it by default.
    """
    no_cache = child_env(no_cache_env())
    return alternate(
        runs,
        {
            "floor": lambda: timed_run(FLOOR_IMPORTS),
            "check": lambda: timed_run(check_command(SPARTA)),
            "check, no bytecode cache": lambda: timed_run(check_command(SPARTA), env=no_cache),
        },
    )


def many_checks(files: Sequence[Path], runs: int) -> dict[str, list[float]]:
    """``briefing check`` over ``files`` in one process against parsing them with tomllib in one process."""
    names = [str(f) for f in files]
    # Warm-up on one file: the same imports, a fraction of the time.
    timed_run(check_command(names[0]))
    timed_run([PYTHON, "-c", FLOOR_PARSE, names[0]])
    return alternate(
        runs,
        {
            "parse": lambda: timed_run([PYTHON, "-c", FLOOR_PARSE, *names]),
            "check": lambda: timed_run(check_command(*names)),
        },
        warmup=False,
    )


@dataclass
class ImportLine:
    module: str
    self_us: int
    cumulative_us: int
    depth: int


def importtime(argv: Sequence[str]) -> list[ImportLine]:
    """``python -X importtime`` of ``argv`` (argv[0] is the interpreter)."""
    done = subprocess.run(
        [argv[0], "-X", "importtime", *argv[1:]], capture_output=True, text=True, cwd=ROOT, check=False
    )
    lines = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line.split(":", 1)[1].split("|", 2)
        module = name.strip()
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        lines.append(ImportLine(module, int(self_us), int(cumulative_us), depth))
    return lines


def ui_imports(argv: Sequence[str]) -> list[str]:
    """Modules of Textual or Rich that ``argv`` imports."""
    return sorted({i.module for i in importtime(argv) if i.module.split(".")[0] in UI_PACKAGES})


@dataclass
class Offender:
    module: str
    self_ms: float
    cumulative_ms: float
    top_level: bool
    in_floor: bool


def import_offenders(runs: int = 5) -> tuple[list[Offender], float, float]:
    """Per module, the median over ``runs`` of ``briefing check``'s import times.

    Also returns the median total import time of ``check`` and of the floor.
    """
    selfs: dict[str, list[int]] = defaultdict(list)
    cumulatives: dict[str, list[int]] = defaultdict(list)
    top: set[str] = set()
    totals: list[float] = []
    floor_totals: list[float] = []
    floor_modules: set[str] = set()
    importtime(check_command(SPARTA))  # warm-up
    for _ in range(runs):
        lines = importtime(check_command(SPARTA))
        totals.append(sum(i.self_us for i in lines) / 1000)
        for item in lines:
            selfs[item.module].append(item.self_us)
            cumulatives[item.module].append(item.cumulative_us)
            if item.depth == 0:
                top.add(item.module)
        floor = importtime(FLOOR_IMPORTS)
        floor_totals.append(sum(i.self_us for i in floor) / 1000)
        floor_modules |= {i.module for i in floor}
    offenders = [
        Offender(
            module,
            statistics.median(selfs[module]) / 1000,
            statistics.median(cumulatives[module]) / 1000,
            module in top,
            module in floor_modules,
        )
        for module in selfs
    ]
    return offenders, statistics.median(totals), statistics.median(floor_totals)


def show_command() -> list[str]:
    return [PYTHON, BRIEFING, "show", SPARTA, "--width", "100"]
