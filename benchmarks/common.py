"""Statistics, the results table and small process helpers shared by the benchmarks."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
PYTHON = sys.executable
# The console script, run by the same interpreter as the baselines.
BRIEFING = str(Path(sys.executable).with_name("briefing"))
SPARTA = str(ROOT / "content" / "sparta.toml")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], percent: float) -> float:
    """The ``percent``-th percentile, interpolated between the nearest ranks (NaN for no values)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    at = (len(ordered) - 1) * percent / 100
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def spread(values: Sequence[float]) -> str:
    """min–max and the number of samples, for the details."""
    if not values:
        return "no samples"
    return f"n={len(values)}, min {min(values):.4g}, max {max(values):.4g}"


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


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"
