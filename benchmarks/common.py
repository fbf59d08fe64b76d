"""Statistics, the results table and small process helpers shared by the benchmarks."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
PYTHON = sys.executable
# The console script, run by the same interpreter as the baselines.
BRIEFING = str(Path(sys.executable).with_name("briefing"))
SPARTA = str(ROOT / "content" / "sparta.toml")
BAR_WIDTH = 24


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: Sequence[float]) -> str:
    """min–max and the number of samples, for the details."""
    if not values:
        return "no samples"
    return f"n={len(values)}, min {min(values):.4g}, max {max(values):.4g}"


@dataclass
class Row:
    """One line of the results table."""

    bench: str  # "1", "2", "3a" ...
    name: str
    baseline: float
    product: float
    unit: str  # "ms", "MiB", "s", or "" for a yes/no row
    bar: float | None  # the ratio the product must stay at or under; None: reported only
    baseline_label: str = ""
    note: str = ""
    samples: tuple[int, int] = (0, 0)
    text: tuple[str, str] | None = None  # (baseline, product) shown instead of numbers
    passed_override: bool | None = None
    details: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.product / self.baseline if self.baseline else float("nan")

    @property
    def status(self) -> str:
        if self.passed_override is not None:
            return "PASS" if self.passed_override else "FAIL"
        if self.bar is None:
            return "info"
        return "PASS" if self.ratio <= self.bar else "FAIL"

    def cells(self) -> list[str]:
        if self.text is not None:
            base, prod = self.text
            ratio = "—"
        else:
            base, prod = fmt(self.baseline, self.unit), fmt(self.product, self.unit)
            ratio = f"{self.ratio:.2f}×"
        bar = f"≤ {self.bar:.2f}×" if self.bar is not None else "—"
        return [f"{self.bench} {self.name}", base, prod, ratio, bar, self.status]

    def graph(self) -> str:
        """A bar of the ratio against the limit: '#' up to the ratio, '|' at the limit."""
        if self.text is not None or self.baseline <= 0:
            return ""
        limit = self.bar or 1.0
        scale = BAR_WIDTH / max(limit * 2, self.ratio * 1.05)
        filled = min(BAR_WIDTH, round(self.ratio * scale))
        at = min(BAR_WIDTH - 1, round(limit * scale))
        cells = ["#" if i < filled else "." for i in range(BAR_WIDTH)]
        if self.bar is not None:
            cells[at] = "|"
        return "".join(cells)


def fmt(value: float, unit: str) -> str:
    if value != value:  # NaN
        return "n/a"
    if unit == "ms":
        return f"{value * 1000:.1f} ms" if value < 10 else f"{value:.2f} s"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    return f"{value:g}{unit}"


HEADERS = ["benchmark", "baseline (median)", "briefing (median)", "ratio", "bar", "result"]


def table_text(rows: Sequence[Row]) -> str:
    """A plain-text table for the terminal, with a ratio graph column."""
    body = [[*row.cells(), row.graph()] for row in rows]
    headers = [*HEADERS, "ratio graph (| = bar)"]
    widths = [max(len(str(line[i])) for line in [headers, *body]) for i in range(len(headers))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)) for line in [headers]]
    lines.append("  ".join("-" * width for width in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) for line in body]
    return "\n".join(line.rstrip() for line in lines)


def table_markdown(rows: Sequence[Row]) -> str:
    headers = [*HEADERS, "baseline is"]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        cells = row.cells()
        cells[-1] = f"**{cells[-1]}**" if cells[-1] == "FAIL" else cells[-1]
        lines.append("| " + " | ".join([*cells, row.baseline_label]) + " |")
    return "\n".join(lines)


def alternate(count: int, contenders: dict[str, Callable[[], object]], warmup: bool = True) -> dict[str, list]:
    """Run each contender ``count`` times, interleaved (ABAB…), after one unrecorded run each."""
    results: dict[str, list] = {name: [] for name in contenders}
    if warmup:
        for run in contenders.values():
            run()
    for _ in range(count):
        for name, run in contenders.items():
            results[name].append(run())
    return results


def timed_run(argv: Sequence[str], *, expect: int | None = 0, env: dict[str, str] | None = None) -> float:
    """Wall-clock seconds of a whole process, from spawn to exit; output discarded."""
    start = time.perf_counter()
    done = subprocess.run(list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - start
    if expect is not None and done.returncode != expect:
        raise RuntimeError(f"{' '.join(argv[:4])}…: exit {done.returncode}\n{done.stderr.decode()[-2000:]}")
    return elapsed


def app_env(config_dir: Path) -> dict[str, str | None]:
    """The environment an app gets: the terminal the issue names, a private config directory."""
    return {"TERM": "xterm-256color", "XDG_CONFIG_HOME": str(config_dir)}


PYCACHE = BENCH / "out" / "pycache"
# Set by use_bytecode_cache: the variables as the caller had them.
CALLER_BYTECODE_ENV: dict[str, str | None] = {}


def use_bytecode_cache() -> None:
    """Let every process this run starts cache bytecode under benchmarks/out/pycache.

    An installed briefing has its modules compiled (pip compiles at install
    time), like Textual and the standard library. With PYTHONDONTWRITEBYTECODE
    set and an editable install, briefing's modules would instead be compiled
    from source at every start while the baselines' never are: a cost of the
    environment, not of the product (measured separately, see ``no_cache_env``).
    The cache lives under benchmarks/ so nothing is written into briefing/.
    """
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX"):
        CALLER_BYTECODE_ENV[name] = os.environ.get(name)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(PYCACHE)


def no_cache_env() -> dict[str, str | None]:
    """Variables that make Python compile briefing's modules at every start (and cache nothing)."""
    return {"PYTHONPYCACHEPREFIX": None, "PYTHONDONTWRITEBYTECODE": "1"}


def child_env(extra: dict[str, str | None]) -> dict[str, str]:
    env = dict(os.environ)
    for name, value in extra.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env
