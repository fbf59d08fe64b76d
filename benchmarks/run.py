"""Run every benchmark, print the results table, write the results file.

    python -m benchmarks            # full: about 15 minutes, writes benchmarks/RESULTS.md
    python -m benchmarks --quick    # under 2 minutes, writes benchmarks/out/RESULTS-quick.md

Each benchmark runs the product and its baseline in the same run, alternating
(ABAB…), and compares medians: on a shared machine only ratios mean much.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import checkbench, generate, geo, hostile, librarybench, paint, servebench
from benchmarks.bars import BARS
from benchmarks.common import (
    BENCH,
    BRIEFING,
    CALLER_BYTECODE_ENV,
    PYTHON,
    ROOT,
    SPARTA,
    alternate,
    app_env,
    load_average,
    log,
    median,
    no_cache_env,
    percentile,
    spread,
    use_bytecode_cache,
)
from benchmarks.report import Report, fmt, table_text, write_results
from benchmarks.tmuxctl import Tmux

OUT = BENCH / "out"


@dataclass(frozen=True)
class Plan:
    paint_runs: int
    check_runs: int
    import_runs: int
    key_rounds: int
    keys: int
    huge_key_rounds: int
    huge_keys: int
    spot_rounds: int
    files: int
    files_runs: int
    startup_runs: int
    hostile_runs: int
    serve_singles: int  # single SSH sessions before and after the burst, each
    serve_burst: int  # SSH sessions opened at once
    serve_idle: int  # SSH sessions open and idle at once, for their memory
    export_runs: int  # runs of each export and of `show`, interleaved


FULL = Plan(
    paint_runs=25,
    check_runs=40,
    import_runs=5,
    key_rounds=4,
    keys=20,
    huge_key_rounds=3,
    huge_keys=20,
    spot_rounds=3,
    files=1000,
    files_runs=3,
    startup_runs=5,
    hostile_runs=7,
    serve_singles=5,
    serve_burst=50,
    serve_idle=10,
    export_runs=7,
)
QUICK = Plan(
    paint_runs=5,
    check_runs=12,
    import_runs=3,
    key_rounds=2,
    keys=8,
    huge_key_rounds=2,
    huge_keys=6,
    spot_rounds=1,
    files=20,
    files_runs=2,
    startup_runs=2,
    hostile_runs=3,
    serve_singles=3,
    serve_burst=50,
    serve_idle=10,
    export_runs=2,
)

BENCHMARKS = ("paint", "check", "keys", "scale", "hostile", "geo", "library", "serve", "export")


def sparta_headline() -> str:
    from briefing.storage.briefing_files import load_briefing

    result = load_briefing(SPARTA)
    assert result.briefing is not None
    return result.briefing.meta.headline


def headline_of(path: Path) -> str:
    import tomllib

    return tomllib.loads(path.read_text(encoding="utf-8"))["meta"]["headline"]


def version(package: str) -> str:
    from importlib.metadata import version as package_version

    try:
        return package_version(package)
    except Exception:
        return "not installed"


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    tmux = subprocess.run(["tmux", "-V"], capture_output=True, text=True, check=False).stdout.strip()
    return {
        "CPU": model,
        "cores": f"{os.cpu_count()} (usable by this process: {len(os.sched_getaffinity(0))})",
        "memory": _meminfo(),
        "OS": platform.platform(),
        "Python": f"{platform.python_version()} ({sys.executable})",
        "Textual": version("textual"),
        "Rich": version("rich"),
        "msgspec": version("msgspec"),
        "tmux": tmux,
        "pyinstrument": version("pyinstrument"),
    }


def _meminfo() -> str:
    try:
        with open("/proc/meminfo") as meminfo:
            total = int(meminfo.readline().split()[1])
        return f"{total / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        return "unknown"


def tree_state() -> str:
    """The commit and how far the working tree is from it: the product measured is the tree."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT, check=False)
        return done.stdout.strip()

    changed = [line for line in git("status", "--short", "--", "briefing", "content").splitlines() if line]
    newest = max((p.stat().st_mtime for p in (ROOT / "briefing").rglob("*.py")), default=0)
    stamp = datetime.datetime.fromtimestamp(newest, datetime.UTC).strftime("%H:%M:%S UTC")
    return (
        f"commit {git('rev-parse', '--short', 'HEAD') or 'unknown'} with {len(changed)} uncommitted change(s) under "
        f"briefing/ and content/; newest briefing/*.py modified {stamp}"
    )


def date_utc() -> str:
    done = subprocess.run(["date", "-u"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or datetime.datetime.now(datetime.UTC).isoformat()


# ------------------------------------------------------------------ 1, 4b, 5


# What is on the reader's main screen at 120x40 once it is complete: the section
# list, the lede in the reader, the first row of the assets table, the footer.
COMPLETE = ("At a Glance", "Russia’s military withdrawal", "Antonov AN-124", "Quit")


def bench_paint(report: Report, plan: Plan, tmux: Tmux, env: dict[str, str], huge: Path | None) -> None:
    headline = sparta_headline()
    launches = {
        "minimal": paint.Launch([PYTHON, str(BENCH / "baseline_static.py"), headline], headline),
        "stock": paint.Launch([PYTHON, str(BENCH / "baseline_stock.py"), SPARTA], headline, complete=COMPLETE),
        "sparta": paint.Launch([PYTHON, BRIEFING], headline, complete=COMPLETE),
    }
    if huge is not None:
        launches["huge"] = paint.Launch([PYTHON, BRIEFING, str(huge)], headline_of(huge))
        # A first open: the reader's cache of validated briefings switched off.
        launches["huge, no cache"] = paint.Launch(
            [PYTHON, BRIEFING, str(huge)], headline_of(huge), env={"BRIEFING_CACHE": "0"}
        )
    launches["sparta, no bytecode cache"] = paint.Launch([PYTHON, BRIEFING], headline, env=no_cache_env())
    # A first open: the briefing parsed and checked before the first frame.
    launches["sparta, first open"] = paint.Launch(
        [PYTHON, BRIEFING], headline, env={"BRIEFING_CACHE": "0"}, complete=COMPLETE
    )
    log(f"first paint in tmux: {', '.join(launches)} × {plan.paint_runs}, interleaved")
    paints = paint.first_paints(tmux, launches, plan.paint_runs, env)

    def firsts(name: str) -> list[float]:
        return [p.first_paint for p in paints[name]]

    def completes(name: str) -> list[float]:
        return [p.complete for p in paints[name]]

    def settled(name: str) -> list[float]:
        return [p.settled for p in paints[name]]

    def mib(name: str, attribute: str) -> list[float]:
        return [getattr(p, attribute) / 1024 for p in paints[name]]

    n = (plan.paint_runs, plan.paint_runs)
    report.add(BARS["first-frame"].row(median(firsts("minimal")), median(firsts("sparta")), n))
    report.add(BARS["complete-screen"].row(median(completes("stock")), median(completes("sparta")), n))
    report.add(BARS["memory"].row(median(mib("minimal", "hwm_kib")), median(mib("sparta", "hwm_kib")), n))
    report.add(
        BARS["first-frame-no-bytecode"].row(median(firsts("minimal")), median(firsts("sparta, no bytecode cache")), n)
    )
    report.add(BARS["first-frame-first-open"].row(median(firsts("minimal")), median(firsts("sparta, first open")), n))
    report.add(
        BARS["complete-screen-first-open"].row(median(completes("stock")), median(completes("sparta, first open")), n)
    )
    if huge is not None:
        report.add(BARS["huge-warm"].row(median(firsts("sparta")), median(firsts("huge")), n))
        report.add(BARS["huge-first-open"].row(median(firsts("sparta")), median(firsts("huge, no cache")), n))
        report.add(BARS["huge-settled"].row(median(settled("sparta")), median(settled("huge, no cache")), n))
    lines = [
        "Seconds from `tmux new-session` to the needle (the headline) in `capture-pane`, polled every 2 ms "
        "through a tmux control-mode client; *complete* is when all of "
        + ", ".join(f"“{text}”" for text in COMPLETE)
        + " are on screen (the section list, the lede, the assets table, the footer); *settled* is the last "
        "change before the screen held still for 0.3 s. Memory is read from /proc/<pid>/status the moment the "
        "headline appears, and again once settled.",
        "",
        "| launch | first paint | complete | settled | VmHWM at first paint | VmRSS at first paint | VmHWM settled "
        "| runs |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, values in paints.items():
        whole = fmt(median(completes(name)), "ms") if launches[name].complete else "—"
        lines.append(
            f"| {name} | {fmt(median(firsts(name)), 'ms')} | {whole} "
            f"| {fmt(median([p.settled for p in values]), 'ms')} "
            f"| {fmt(median(mib(name, 'hwm_kib')), 'MiB')} | {fmt(median(mib(name, 'rss_kib')), 'MiB')} "
            f"| {fmt(median(mib(name, 'settled_hwm_kib')), 'MiB')} | {len(values)} |"
        )
    lines += ["", "All first paints (ms), in launch order:", ""]
    for name in paints:
        lines.append(f"- {name}: " + ", ".join(f"{t * 1000:.0f}" for t in firsts(name)))
    report.section("1, 4b, 5: first paint and memory (tmux)", *lines)


# ------------------------------------------------------------------ 2


def bench_check(report: Report, plan: Plan) -> None:
    log("check / show never import Textual")
    check_ui = checkbench.ui_imports(checkbench.check_command(SPARTA))
    show_ui = [m for m in checkbench.ui_imports(checkbench.show_command()) if m.split(".")[0] == "textual"]
    report.add(
        BARS["check-imports"].row(
            0, 0, text=("—", f"{len(check_ui)} / {len(show_ui)} modules"), passed=not check_ui and not show_ui
        )
    )
    log(f"briefing check content/sparta.toml vs python -c 'import tomllib, msgspec' × {plan.check_runs}")
    times = checkbench.single_check(plan.check_runs)
    report.add(
        BARS["check-sparta"].row(
            median(times["floor"]), median(times["check"]), (len(times["floor"]), len(times["check"]))
        )
    )
    report.add(
        BARS["check-sparta-no-bytecode"].row(
            median(times["floor"]),
            median(times["check, no bytecode cache"]),
            (len(times["floor"]), len(times["check, no bytecode cache"])),
        )
    )
    offenders, total, floor_total = checkbench.import_offenders(plan.import_runs)
    extra = sorted((o for o in offenders if not o.in_floor), key=lambda o: -o.self_ms)
    top = sorted((o for o in offenders if o.top_level), key=lambda o: -o.cumulative_ms)
    lines = [
        *(f"Whole process, {name}: {spread([t * 1000 for t in values])} ms." for name, values in times.items()),
        f"Imports under `-X importtime` (median of {plan.import_runs}; importtime itself inflates them): "
        f"check {total:.1f} ms in all, the floor {floor_total:.1f} ms.",
        f"Modules imported: Textual/Rich by `check`: {check_ui or 'none'}; Textual by `show`: {show_ui or 'none'}.",
        "",
        "Top-level imports of `briefing check` by cumulative time:",
        "",
        "| module | cumulative ms | self ms | also imported by the floor |",
        "|---|---|---|---|",
        *(
            f"| {o.module} | {o.cumulative_ms:.2f} | {o.self_ms:.2f} | {'yes' if o.in_floor else 'no'} |"
            for o in top[:12]
        ),
        "",
        "Modules the floor does not import (the cost `check` adds), by self time:",
        "",
        "| module | self ms | cumulative ms |",
        "|---|---|---|",
        *(f"| {o.module} | {o.self_ms:.2f} | {o.cumulative_ms:.2f} |" for o in extra[:20]),
        "",
        f"These {len(extra)} extra modules add {sum(o.self_ms for o in extra):.1f} ms of self time.",
    ]
    report.section("2: `briefing check`, one file", *lines)


# ------------------------------------------------------------------ 3 and 4c


def run_keys(args: Sequence[str]) -> dict[str, Any]:
    done = subprocess.run(
        [PYTHON, "-m", "benchmarks.keys", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if done.returncode:
        raise RuntimeError(f"benchmarks.keys {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def key_rows(report: Report, bar: str, data: dict[str, Any]) -> None:
    for key in data["product"]["times"]:
        product, baseline = data["product"]["times"][key], data["baseline"]["times"][key]
        report.add(BARS[bar].row(median(baseline), median(product), (len(baseline), len(product)), key=key))


def key_details(data: dict[str, Any], title: str) -> list[str]:
    lines = [
        f"{title}: {data['rows']} rows; assets table {data['table_size'][0]}x{data['table_size'][1]}, "
        f"reader {data['reader_size'][0]}x{data['reader_size'][1]} (the baselines get the same sizes).",
        "",
        "| key | app | key → screen settled | key → first frame | key → last frame | CPU until settled "
        "| frames per key | table lines drawn per key | samples |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    apps = [app for app in ("baseline", "baseline-scroll", "product") if app in data]
    for key in data["product"]["times"]:
        for app in apps:
            values = data[app]
            lines_drawn = values["lines"].get(key)
            lines.append(
                f"| `{key}` | {app} | {fmt(median(values['times'][key]), 'ms')} "
                f"| {fmt(median(values['first'][key]), 'ms')} | {fmt(median(values['last'][key]), 'ms')} "
                f"| {fmt(median(values['cpu'][key]), 'ms')} "
                f"| {median(values['frames'][key]):g} "
                f"| {median(lines_drawn) if lines_drawn else '—'} | {len(values['times'][key])} |"
            )
    return lines


def bench_keys(report: Report, plan: Plan, tmux: Tmux, env: dict[str, str], workdir: Path) -> None:
    spec = workdir / "sparta-spec"
    common = ["--rounds", str(plan.key_rounds), "--keys", str(plan.keys)]
    log(f"keys, headless (Pilot driver): assets table, {plan.key_rounds} rounds × {plan.keys} keys")
    assets = run_keys(["--scenario", "assets", "--table-keys", "down,j", "--spec-out", str(spec), *common])
    key_rows(report, "key-assets", assets)
    log(f"keys, headless: sections, {plan.key_rounds} rounds × {plan.keys} keys")
    sections = run_keys(["--scenario", "sections", *common])
    key_rows(report, "key-sections", sections)
    for key in sections["product"]["times"]:
        baseline = sections["baseline-scroll"]["times"][key]
        product = sections["product"]["times"][key]
        report.add(
            BARS["key-sections-scroll"].row(median(baseline), median(product), (len(baseline), len(product)), key=key)
        )
    lines = [
        "From the key event to the last frame that changed the screen, *screen settled* (see benchmarks/keys.py "
        "for the method); the first frame and the last frame of any kind for comparison.",
        "",
        *key_details(assets, "Sparta, assets table"),
        "",
        *key_details(sections, "Sparta, sections"),
    ]
    report.section("3: keypress to repaint (headless)", *lines)
    report.sparta_keys = assets

    log(f"keys through tmux send-keys, {plan.spot_rounds} round(s)")
    headline = sparta_headline()
    table_spec = json.loads(Path(f"{spec}.table.json").read_text())
    section_spec = json.loads(Path(f"{spec}.sections.json").read_text())
    spot = paint.spot_check(
        tmux,
        env,
        paint.Launch([PYTHON, BRIEFING], headline),
        paint.Launch([PYTHON, str(BENCH / "baseline_apps.py"), f"{spec}.table.json"], table_spec["rows"][0][0]),
        paint.Launch(
            [PYTHON, str(BENCH / "baseline_apps.py"), f"{spec}.sections.json"],
            section_spec["texts"][0].split("\n\n")[1][:30],
        ),
        rows=len(table_spec["rows"]),
        section_count=len(section_spec["texts"]),
        rounds=plan.spot_rounds,
    )
    failures = spot.pop("failures", [])
    spot_lines = [
        "`tmux send-keys` to the first change of `capture-pane` (and to the last change before the screen held "
        "still for 0.1 s); capture polled every 1 ms. Includes tmux's own latency; no bar.",
        "",
        "| key | baseline first change | briefing first change | ratio "
        "| baseline settled | briefing settled | samples |",
        "|---|---|---|---|---|---|---|",
    ]
    for label in spot["product"]:
        if label not in spot["baseline"]:
            continue
        product = spot["product"][label]
        baseline = spot["baseline"].get(label, [])
        first_p, first_b = median([p[0] for p in product]), median([b[0] for b in baseline])
        compared = BARS["key-sections" if label in "[]" else "key-assets"].baseline_is
        report.add(BARS["key-tmux"].row(first_b, first_p, (len(baseline), len(product)), key=label, compared=compared))
        spot_lines.append(
            f"| `{label}` | {fmt(first_b, 'ms')} | {fmt(first_p, 'ms')} | {first_p / first_b:.2f}× "
            f"| {fmt(median([b[1] for b in baseline]), 'ms')} | {fmt(median([p[1] for p in product]), 'ms')} "
            f"| {len(baseline)} / {len(product)} |"
        )
    for app, message, screen in failures:  # type: ignore[misc]
        log(f"  spot check: {app}: {message}")
        spot_lines += ["", f"**The {app} exited during a session** ({message}); its last screen:", "", "```"]
        spot_lines += [line.rstrip() for line in screen.splitlines() if line.strip()][-40:]
        spot_lines.append("```")
    report.add(
        BARS["key-tmux-exits"].row(0, 0, text=("—", f"{len(failures)} of {3 * plan.spot_rounds}"), passed=not failures)
    )
    report.section("3: keys through tmux (spot check)", *spot_lines)


# ------------------------------------------------------------------ 4


def bench_scale_check(report: Report, plan: Plan, files: list[Path]) -> None:
    size = sum(f.stat().st_size for f in files)
    log(f"briefing check over {len(files)} files ({size / 2**20:.0f} MiB) vs tomllib only, × {plan.files_runs}")
    times = checkbench.many_checks(files, plan.files_runs)
    report.add(
        BARS["check-many"].row(
            median(times["parse"]), median(times["check"]), (len(times["parse"]), len(times["check"])), files=len(files)
        )
    )
    report.section(
        "4a: checking many files",
        f"{len(files)} generated briefings, {size / len(files) / 1024:.0f} KiB each on average "
        f"({size / 2**20:.0f} MiB in all), passed as file arguments to both processes.",
        f"check: {spread(times['check'])} s; parse only: {spread(times['parse'])} s.",
        f"Throughput: check {size / 2**20 / median(times['check']):.2f} MiB/s, "
        f"tomllib {size / 2**20 / median(times['parse']):.2f} MiB/s.",
    )


def bench_hostile(report: Report, plan: Plan) -> None:
    """Issue 11: check stays linear on files shaped to be expensive."""
    paths = hostile.write_files(OUT / "hostile")
    lines = []
    for name, (label, _, status) in hostile.CASES.items():
        path = paths[name]
        log(f"briefing check {path.name} vs tomllib only, × {plan.hostile_runs}")
        times = hostile.check_against_parse(path, status, plan.hostile_runs)
        report.add(
            BARS["hostile"].row(
                median(times["parse"]), median(times["check"]), (len(times["parse"]), len(times["check"])), label=label
            )
        )
        lines.append(
            f"- {path.name} ({path.stat().st_size / 2**20:.1f} MiB): check {spread(times['check'])} s; "
            f"parse only {spread(times['parse'])} s."
        )
    report.section("H: hostile shapes (issue 11)", *lines)


def bench_geo(report: Report, plan: Plan) -> None:
    """The map's load and draw, moved here from the test suite's wall-clock limits."""
    runs = plan.hostile_runs * 5
    log(f"land mask load and map render, in process, × {runs}")
    load = geo.land_mask_load(runs)
    render = geo.map_render(runs)
    for label, times, floor in (
        ("land mask load", load, "`zlib.decompress` of the same bytes"),
        (f"map render {geo.WIDTH}x{geo.HEIGHT}, Sparta's places", render, "Rich `Text` of as many braille cells"),
    ):
        report.add(
            BARS["map"].row(
                median(times["floor"]),
                median(times["product"]),
                (len(times["floor"]), len(times["product"])),
                label=label,
                floor=floor,
            )
        )
    report.section(
        "G: the offline map",
        f"Land mask: parse {spread(load['product'])} s, decompress only {spread(load['floor'])} s.",
        f"Render: {spread(render['product'])} s, Text floor {spread(render['floor'])} s.",
    )


def bench_scale_keys(report: Report, plan: Plan, huge: Path) -> None:
    log(f"keys on the 5,000-row table, {plan.huge_key_rounds} rounds × {plan.huge_keys} keys")
    data = run_keys(
        [
            "--scenario",
            "assets",
            "--briefing",
            str(huge),
            "--table-keys",
            "down,pagedown,G",
            "--rounds",
            str(plan.huge_key_rounds),
            "--keys",
            str(plan.huge_keys),
        ]
    )
    key_rows(report, "key-huge", data)
    lines = [
        "The issue asks for the ratio; the bar shown is bar 3's (1.5×).",
        "",
        *key_details(data, "5,000-asset briefing, assets table"),
    ]
    sparta = report.sparta_keys
    if sparta is not None:
        lines += [
            "",
            "Virtualisation: `down` on 5,000 rows against `down` on the Sparta briefing's 10 rows, same method: "
            f"briefing {fmt(median(data['product']['times']['down']), 'ms')} vs "
            f"{fmt(median(sparta['product']['times']['down']), 'ms')}, baseline DataTable "
            f"{fmt(median(data['baseline']['times']['down']), 'ms')} vs "
            f"{fmt(median(sparta['baseline']['times']['down']), 'ms')}. The lines drawn per key (DataTable "
            "`render_line` calls) stay at the visible rows that changed, whatever the row count.",
        ]
    report.section("4c: scrolling 5,000 rows (headless)", *lines)


# ------------------------------------------------------------------ evidence


def bench_startup(report: Report, plan: Plan, huge: Path | None) -> None:
    """Where start-up goes (headless, in-process marks): evidence for bars 1, 4b and 5."""
    log(f"start-up phases (headless), × {plan.startup_runs}")
    commands = {
        "minimal": [PYTHON, "-m", "benchmarks.startup", "minimal"],
        "briefing (Sparta)": [PYTHON, "-m", "benchmarks.startup", "product", "--cache"],
        "briefing (Sparta, first open)": [PYTHON, "-m", "benchmarks.startup", "product"],
    }
    if huge is not None:
        commands["briefing (5,000 assets)"] = [PYTHON, "-m", "benchmarks.startup", "product", str(huge)]
        commands["briefing (5,000 assets, cache warm)"] = [
            PYTHON,
            "-m",
            "benchmarks.startup",
            "product",
            str(huge),
            "--cache",
        ]

    def runner(argv: list[str]) -> Any:
        return lambda: json.loads(subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, check=True).stdout)

    # No warm-up: the benchmarks before this one have compiled and cached everything it imports.
    results = alternate(plan.startup_runs, {name: runner(argv) for name, argv in commands.items()}, warmup=False)
    lines = [
        "Headless runs at 120x40 with marks between `briefing.cli`'s steps (benchmarks/startup.py); "
        f"medians of {plan.startup_runs}. *took*: the phase's own time; *RSS +*: resident memory it added.",
        "",
        "| app | phase | took | at | RSS + | RSS |",
        "|---|---|---|---|---|---|",
    ]
    for name, runs in results.items():
        for index, phase in enumerate(runs[0]):
            took = median([run[index]["took"] for run in runs])
            at = median([run[index]["at"] for run in runs])
            delta = median([run[index]["rss_delta_kib"] for run in runs]) / 1024
            rss = median([run[index]["rss_kib"] for run in runs]) / 1024
            lines.append(
                f"| {name} | {phase['phase']} | {fmt(took, 'ms')} | {fmt(at, 'ms')} "
                f"| {delta:+.1f} MiB | {rss:.1f} MiB |"
            )
    report.section("Where start-up goes (evidence for 1, 4b, 5)", *lines)


def profiles(huge: Path | None) -> list[str]:
    """pyinstrument text profiles of start-up, when pyinstrument is installed."""
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        return ["pyinstrument is not installed: no profiles (`pip install pyinstrument` to get them)."]
    directory = OUT / "profiles"
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, args in (("startup-sparta", []), ("startup-huge", [str(huge)] if huge else None)):
        if args is None:
            continue
        target = directory / f"{name}.txt"
        script = (
            "import sys\nfrom pyinstrument import Profiler\nfrom benchmarks import startup\n"
            "p = Profiler(interval=0.0005)\n"
            "def done():\n    p.stop()\n"
            "    print(p.output_text(unicode=True, color=False, show_all=False), file=sys.stderr)\n"
            "startup.ON_FIRST_FRAME.append(done)\np.start()\n"
            "startup.product(sys.argv[1] if len(sys.argv) > 1 else None, cache=True)\n"
        )
        done = subprocess.run([PYTHON, "-c", script, *args], capture_output=True, text=True, cwd=ROOT, check=False)
        target.write_text(done.stderr)
        written.append(str(target.relative_to(ROOT)))
    return [f"pyinstrument profiles of start-up to the first frame: {', '.join(written)}."]


# ------------------------------------------------------------------ main


def bench_library(
    report: Report, plan: Plan, tmux: Tmux, env: dict[str, str], files: list[Path], workdir: Path
) -> None:
    """Issue 14: the library on screen, the index, a search, a saved flag."""
    library_dir = librarybench.copy_library(files, workdir)
    index = workdir / "index.sqlite3"
    count = len(files)
    log(f"index: first build of {count} briefings vs tomllib, then one file changed, × {plan.files_runs}")
    built = librarybench.build_rows(library_dir, index, plan.files_runs)
    n = (len(built["parse"]), len(built["build"]))
    report.add(BARS["index-build"].row(median(built["parse"]), median(built["build"]), n, files=count))
    report.add(
        BARS["index-update"].row(
            median(built["build"]), median(built["update"]), (len(built["build"]), len(built["update"])), files=count
        )
    )
    texts = librarybench.queries(files)
    log(f"search: {len(texts)} queries vs bare sqlite3, {plan.check_runs // 4 or 3} rounds each")
    searched = librarybench.search_rows(library_dir, index, texts, max(plan.check_runs // 4, 3))
    n = (len(searched["bare"]), len(searched["search"]))
    report.add(BARS["search"].row(median(searched["bare"]), median(searched["search"]), n, queries=len(texts)))
    report.add(BARS["search-frame"].row(0.016, median(searched["search"]), n, queries=len(texts)))
    log("flag: the key's action in a running reader vs a bare insert + commit")
    flagged = librarybench.flag_rows(200 if plan is FULL else 40)
    report.add(
        BARS["flag-saved"].row(
            median(flagged["bare"]), median(flagged["flag"]), (len(flagged["bare"]), len(flagged["flag"]))
        )
    )
    # On screen: the library (its index warm from the runs above, in the launches' cache) against Sparta alone.
    cache = {"XDG_CACHE_HOME": str(workdir / "cache"), "XDG_DATA_HOME": str(workdir / "data")}
    warm = subprocess.run(
        [PYTHON, BRIEFING, "index", "rebuild", "--library", str(library_dir)],
        capture_output=True,
        env={**os.environ, **cache},
        check=False,
    )
    if warm.returncode:
        raise SystemExit(f"briefing index rebuild failed: {warm.stderr.decode()[-2000:]}")
    launches = {
        "sparta": paint.Launch([PYTHON, BRIEFING], sparta_headline(), env=cache, complete=COMPLETE),
        "library": paint.Launch(
            [PYTHON, BRIEFING, str(library_dir)],
            "Library",
            env=cache,
            complete=(f"Briefings · {count}", "Sort", "Quit"),
        ),
    }
    log(f"library on screen in tmux vs Sparta alone × {plan.paint_runs}, interleaved")
    paints = paint.first_paints(tmux, launches, plan.paint_runs, env)
    report.add(
        BARS["library-open"].row(
            median([p.complete for p in paints["sparta"]]),
            median([p.complete for p in paints["library"]]),
            (plan.paint_runs, plan.paint_runs),
            files=count,
        )
    )
    report.section(
        "L: the library, search and review (issue 14)",
        f"{count} generated briefings ({sum(f.stat().st_size for f in files) / 2**20:.0f} MiB) copied into a library "
        "directory of their own. The first build parses in worker processes (one per core), as `briefing` does.",
        f"Build: {spread(built['build'])} s; tomllib: {spread(built['parse'])} s; one file changed: "
        f"{spread(built['update'])} s.",
        f"Search, per query medians: ours {spread(searched['search'])} s, bare {spread(searched['bare'])} s. "
        "Queries: " + "; ".join(f"`{text}`" for text in texts[:10]) + " …",
        f"Flag: {librarybench.summary(flagged['flag'])}; bare: {librarybench.summary(flagged['bare'])}.",
    )


def bench_serve(report: Report, plan: Plan, tmux: Tmux, env: dict[str, str | None], workdir: Path) -> None:
    """`briefing serve ssh` from the client's side: first paint, many sessions at once, memory per session."""
    library_dir = servebench.library(workdir)
    sparta = library_dir / "sparta.toml"
    headline = headline_of(sparta)
    # The library screen complete: a row's headline and the footer's key hints.
    library_complete = (headline, "Open", "Quit")
    log(f"briefing serve ssh: starting the server on {library_dir} (not measured)")
    with servebench.Server(workdir, library_dir) as server:
        log(f"  listening on 127.0.0.1:{server.port} after {server.started_in:.2f} s")
        launches = {
            "library, local": servebench.Launch(
                [PYTHON, BRIEFING, str(library_dir)], "Library", library_complete, False
            ),
            "library, ssh": servebench.Launch(server.ssh(), "Library", library_complete, True),
            "sparta, local": servebench.Launch([PYTHON, BRIEFING, str(sparta)], headline, COMPLETE, False),
            "sparta, ssh": servebench.Launch(server.ssh("sparta"), headline, COMPLETE, True),
        }
        log(f"ssh vs local in tmux: {', '.join(launches)} × {plan.paint_runs}, interleaved")
        paints = servebench.first_paints(tmux, server, launches, plan.paint_runs, env)
        log(f"{plan.serve_burst} ssh sessions at once, {plan.serve_singles} single sessions before and after")
        before, many, after = servebench.bursts(
            tmux, server, server.ssh("sparta"), COMPLETE, env, plan.serve_burst, plan.serve_singles
        )
        log(f"{plan.serve_idle} idle ssh sessions open at once: memory of each reader")
        idle = servebench.idle_sessions(tmux, server, server.ssh("sparta"), COMPLETE, env, plan.serve_idle)

    def completes(name: str) -> list[float]:
        return [p.complete for p in paints[name]]

    def mib(values: Sequence[float]) -> float:
        return median(values) / 1024

    n = (plan.paint_runs, plan.paint_runs)
    report.add(BARS["serve-library"].row(median(completes("library, local")), median(completes("library, ssh")), n))
    report.add(BARS["serve-sparta"].row(median(completes("sparta, local")), median(completes("sparta, ssh")), n))

    singles = [seconds for one in [*before, *after] for seconds in one.times]
    lonely = median(singles)
    cores = len(os.sched_getaffinity(0))
    served = len(many.times)
    report.add(
        BARS["serve-burst-served"].row(
            0, 0, text=("—", f"{served} of {many.count}"), passed=served == many.count, count=many.count
        )
    )
    burst_n = (len(singles), served)
    report.add(BARS["serve-burst"].row(lonely, median(many.times), burst_n, count=many.count, cores=cores))
    report.add(BARS["serve-burst-p90"].row(lonely, percentile(many.times, 90), burst_n, count=many.count))
    report.add(BARS["serve-burst-max"].row(lonely, max(many.times, default=float("nan")), burst_n, count=many.count))

    for bar, screen in (("serve-memory-sparta", "sparta"), ("serve-memory-library", "library")):
        local, ssh = paints[f"{screen}, local"], paints[f"{screen}, ssh"]
        report.add(BARS[bar].row(mib([p.vm_rss for p in local]), mib([p.memory.uss for p in ssh]), n))
    report.add(
        BARS["serve-memory-many"].row(
            mib([p.vm_rss for p in paints["sparta, local"]]),
            statistics.mean(m.uss for m in idle.readers) / 1024,
            (plan.paint_runs, idle.count),
            count=idle.count,
        )
    )

    def mem(values: Sequence[servebench.Memory], attribute: str) -> str:
        return fmt(mib([getattr(m, attribute) for m in values]), "MiB")

    lines = [
        f"One `briefing serve ssh` on 127.0.0.1:{server.port} for the whole benchmark (started in "
        f"{server.started_in:.2f} s, its warm process warm in {server.warm_seconds:.2f} s; not measured), with "
        f"`{' '.join(servebench.LIMITS)}`, serving a library directory holding only the Sparta briefing. The "
        "client is OpenSSH (`ssh -F none`, an ed25519 key, `BatchMode=yes`) in a tmux pane at 120x40, "
        "`TERM=xterm-256color` for both sides; the local contender is `briefing` on the same directory, a new "
        "process at every launch, as a user types it. Each pane's `ssh` and its session (the server's "
        "`session_end`, the reader's process gone) have ended before the next launch. Memory is read once the "
        f"screen has held still for {servebench.IDLE:g} s: for ssh, of the session's reader (the pid of "
        "`session_start` in the server's log), for local, of the pane's `briefing` process.",
        "",
        "| launch | first paint | complete | settled | RSS | PSS | USS | VmRSS | processes of its own "
        "| session ended after hang-up | runs |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, values in paints.items():
        memories = [p.memory for p in values]
        ended = fmt(median([p.ended for p in values]), "ms") if launches[name].served else "—"
        lines.append(
            f"| {name} | {fmt(median([p.first_paint for p in values]), 'ms')} | {fmt(median(completes(name)), 'ms')} "
            f"| {fmt(median([p.settled for p in values]), 'ms')} | {mem(memories, 'rss')} | {mem(memories, 'pss')} "
            f"| {mem(memories, 'uss')} | {fmt(mib([p.vm_rss for p in values]), 'MiB')} "
            f"| {max(p.children for p in values)} | {ended} | {len(values)} |"
        )
    lines += ["", "Complete screens (ms), in launch order:", ""]
    for name in paints:
        lines.append(f"- {name}: " + ", ".join(f"{t * 1000:.0f}" for t in completes(name)))
    lines += [
        "",
        f"**{many.count} sessions at once.** `ssh -t HOST sparta` in {many.count} tmux sessions started at one "
        f"moment: the {many.count} panes made first, each held at a gate (`read`) in front of its `ssh`, then "
        f"every pane sent Enter in one write to the control client (tmux had sent them all within "
        f"{many.released_in * 1000:.1f} ms); every pane still waiting polled in one pipelined round of "
        "`capture-pane` commands, a session's time running from that write to the round that saw its complete "
        f"screen. Single sessions: the same code with one pane, {plan.serve_singles} before the burst and "
        f"{plan.serve_singles} after.",
        "",
        f"- served: {served} of {many.count}; complete screens {spread([t * 1000 for t in many.times])} ms, "
        f"median {fmt(median(many.times), 'ms')}, p90 {fmt(percentile(many.times, 90), 'ms')}.",
        f"- single sessions before: {', '.join(f'{t * 1000:.0f}' for b in before for t in b.times)} ms; after: "
        f"{', '.join(f'{t * 1000:.0f}' for b in after for t in b.times)} ms.",
        f"- the burst, in launch order (ms): {', '.join(f'{t * 1000:.0f}' for t in many.times)}.",
        f"- the burst took {many.wall:.2f} s from the start to the last complete screen, {many.wall * cores:.1f} "
        f"CPU seconds on {cores} cores; {many.rounds} polling rounds of {many.round_seconds * 1000:.1f} ms on "
        "average. CPU seconds used in that time, the burst against one single session (median):",
        "",
        "| process | the burst | per session of the burst | one single session |",
        "|---|---|---|---|",
        *(
            f"| {who} | {seconds:.2f} s | {seconds / many.count * 1000:.0f} ms "
            f"| {median([one.cpu[who] for one in [*before, *after]]) * 1000:.0f} ms |"
            for who, seconds in many.cpu.items()
        ),
        "",
        f"- every session's end logged {many.ended:.2f} s after the panes were killed.",
        *(f"- **not served**: {why}" for why, _screen in many.failures[:5]),
        "",
        f"**{idle.count} idle sessions open at once** (the main screen, still for {servebench.IDLE:g} s): per "
        f"reader, USS {mem(idle.readers, 'uss')} (mean {statistics.mean(m.uss for m in idle.readers) / 1024:.1f} "
        f"MiB), PSS {mem(idle.readers, 'pss')}, RSS {mem(idle.readers, 'rss')} (medians). The server's warm "
        f"process at that moment: RSS {idle.warm.rss / 1024:.1f} MiB, PSS {idle.warm.pss / 1024:.1f} MiB, USS "
        f"{idle.warm.uss / 1024:.1f} MiB; the SSH server process: RSS {idle.server.rss / 1024:.1f} MiB, USS "
        f"{idle.server.uss / 1024:.1f} MiB. All {idle.count} readers with the warm process and the server, PSS: "
        f"{(sum(m.pss for m in idle.readers) + idle.warm.pss + idle.server.pss) / 1024:.1f} MiB, against "
        f"{idle.count} local readers' RSS: {idle.count * mib([p.vm_rss for p in paints['sparta, local']]):.1f} MiB.",
    ]
    for why, screen in many.failures[:1]:
        lines += ["", f"The first session not served ({why}), its last screen:", "", "```"]
        lines += [line.rstrip() for line in screen.splitlines() if line.strip()][-40:]
        lines.append("```")
    report.section("S: `briefing serve ssh` from the client's side", *lines)


def bench_export(report: Report, plan: Plan, huge: Path) -> None:
    """Issue 16: each export of the 5,000-asset briefing against `briefing show` of it."""
    from benchmarks import exportbench
    from briefing.export import FORMATS

    formats = [export.name for export in FORMATS]
    log(f"briefing export {huge.name} --to {'/'.join(formats)} vs briefing show × {plan.export_runs}")
    times = exportbench.export_against_show(huge, formats, plan.export_runs)
    for name in formats:
        report.add(
            BARS["export"].row(
                median(times["show"]), median(times[name]), (len(times["show"]), len(times[name])), to=name
            )
        )
    report.section(
        "16: exports",
        f"{huge.name}: {huge.stat().st_size / 2**20:.1f} MiB, 5,000 assets.",
        *(f"{name}: {spread(values)} s." for name, values in times.items()),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer runs and files: under 2 minutes")
    parser.add_argument("--only", help=f"comma-separated subset of {', '.join(BENCHMARKS)}")
    parser.add_argument("--files", type=int, help="how many generated briefings 4a checks (default 1000, quick 20)")
    parser.add_argument("--results", type=Path, help="results file (default benchmarks/RESULTS.md, quick: out/)")
    parser.add_argument(
        "--profile",
        action=argparse.BooleanOptionalAction,
        help="write pyinstrument profiles of start-up (default: on in full mode, off with --quick)",
    )
    options = parser.parse_args(argv)
    plan = QUICK if options.quick else FULL
    if options.files:
        plan = Plan(**{**plan.__dict__, "files": options.files})
    chosen = set(options.only.split(",")) if options.only else set(BENCHMARKS)
    unknown = chosen - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    results_path = options.results or (OUT / "RESULTS-quick.md" if options.quick else BENCH / "RESULTS.md")
    command = shlex.join([sys.executable, "-m", "benchmarks", *(argv if argv is not None else sys.argv[1:])])

    started = time.monotonic()
    use_bytecode_cache()
    # The reader caches validated briefings under $XDG_CACHE_HOME/briefing: keep
    # that cache private to the benchmarks (the warm-up launches fill it).
    os.environ["XDG_CACHE_HOME"] = str(OUT / "cache")
    # And the review store and the user's library: `briefing` alone must open the bundled
    # briefing, not the library of whoever runs the benchmarks, and write nothing of theirs.
    os.environ["XDG_DATA_HOME"] = str(OUT / "data")
    info = {"date": date_utc(), "product": tree_state(), **machine(), "load average at start": load_average()}
    info["bytecode"] = (
        f"the caller had PYTHONDONTWRITEBYTECODE={CALLER_BYTECODE_ENV['PYTHONDONTWRITEBYTECODE']!r}; every process "
        "here caches bytecode under benchmarks/out/pycache (PYTHONPYCACHEPREFIX), as an installed wheel has its "
        "modules compiled; the *no bytecode cache* rows show the cost of compiling briefing at every start"
    )
    report = Report()

    needs_data = bool(chosen & {"paint", "scale", "library", "export"})
    files: list[Path] = []
    huge: Path | None = None
    if needs_data:
        log(f"generating {plan.files} briefings and the 5,000-asset one into {OUT / 'gen'} (reused when present)")
        files, huge = generate.write_set(OUT / "gen", plan.files if chosen & {"scale", "library"} else 0, huge=True)
        if subprocess.run([PYTHON, BRIEFING, "check", str(huge)], capture_output=True, check=False).returncode:
            raise SystemExit(f"{huge} is not a valid briefing: fix benchmarks/generate.py")

    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        workdir = Path(tmp)
        env = app_env(workdir / "config")
        with Tmux(workdir=workdir) as tmux:
            if "paint" in chosen:
                bench_paint(report, plan, tmux, env, huge)
            if "check" in chosen:
                bench_check(report, plan)
            if "keys" in chosen:
                bench_keys(report, plan, tmux, env, workdir)
            if "scale" in chosen:
                bench_scale_check(report, plan, files)
                assert huge is not None
                bench_scale_keys(report, plan, huge)
            if "library" in chosen:
                bench_library(report, plan, tmux, env, files, workdir)
            if "serve" in chosen:
                bench_serve(report, plan, tmux, env, workdir)
            if "export" in chosen:
                assert huge is not None
                bench_export(report, plan, huge)
    if "hostile" in chosen:
        bench_hostile(report, plan)
    if "geo" in chosen:
        bench_geo(report, plan)
    if "paint" in chosen or "scale" in chosen:
        bench_startup(report, plan, huge)
        if options.profile if options.profile is not None else not options.quick:
            report.section("Profiles", *profiles(huge))

    info["load average at end"] = load_average()
    at_end = tree_state()
    if at_end != info["product"]:
        info["product at end"] = f"{at_end} (the tree changed during the run: see which benchmarks ran after)"
    print(table_text(report.rows))
    write_results(results_path, report, info, command, started, options.quick)
    log(f"\nwrote {results_path} ({time.monotonic() - started:.0f} s)")
    return 1 if any(row.status == "FAIL" for row in report.rows) else 0


if __name__ == "__main__":
    sys.exit(main())
