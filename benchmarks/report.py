"""The one report writer: the rows of the results and the text and Markdown made of them.

Rows are made from the declared bars (benchmarks/bars.py); ``Report`` keeps
them with the details each benchmark adds; ``write_results`` writes
RESULTS.md, keeping the hand-written analysis below its marker line.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import load_average, log

BAR_WIDTH = 24
KEEP_MARKER = "<!-- analysis: everything below this line is kept when the runner rewrites this file -->"


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


class Report:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.details: list[str] = []
        self.sparta_keys: dict[str, Any] | None = None

    def add(self, row: Row) -> None:
        self.rows.append(row)
        log(f"  {row.bench} {row.name}: {' / '.join(row.cells()[1:4])} {row.status}")

    def section(self, title: str, *lines: str) -> None:
        # The load average when a benchmark ends: a busy neighbour shows up here.
        self.details += [f"### {title}", "", *lines, "", f"Load average when done: {load_average()}.", ""]


def write_results(path: Path, report: Report, info: dict[str, str], command: str, started: float, quick: bool) -> None:
    kept = ""
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        if KEEP_MARKER in text:
            kept = text[text.index(KEEP_MARKER) :]
    failing = [f"{row.bench} {row.name}" for row in report.rows if row.status == "FAIL"]
    lines = [
        "# Benchmark results" + (" (quick mode)" if quick else ""),
        "",
        f"- Date: {info.pop('date')}",
        f"- Command: `{command}` (from the repository root, {time.monotonic() - started:.0f} s)",
        *(f"- {key}: {value}" for key, value in info.items()),
        "",
        "Every row runs the product and its baseline in the same run, interleaved (ABAB…), and compares "
        "medians. Bars are the issue's: the product's median may be at most *bar* × the baseline's.",
        "",
        table_markdown(report.rows),
        "",
        *(f"- {row.bench} {row.name}: {row.note}" for row in report.rows if row.note),
        "",
        f"Failing: {', '.join(failing) if failing else 'none'}.",
        "",
        "## Details",
        "",
        *report.details,
    ]
    body = "\n".join(lines).rstrip() + "\n"
    if not kept:
        kept = KEEP_MARKER + "\n\n## Analysis\n\n(Hand-written analysis goes here; the runner keeps it.)\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body + "\n" + kept, encoding="utf-8")
