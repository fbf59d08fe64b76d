"""``briefing check``: validate briefings like a compiler checks sources."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

import msgspec

from briefing.loader import LoadResult, load_briefing
from briefing.safetext import defuse

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def collect_files(paths: Iterable[str]) -> tuple[list[str], list[str]]:
    """Files to check (directories expand to their ``*.toml``) and usage errors."""
    files: list[str] = []
    errors: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(
                os.path.join(root, name)
                for root, _, names in os.walk(path)
                for name in names
                if name.endswith(".toml") and os.path.isfile(os.path.join(root, name))
            )
            if not found:
                errors.append(f"no *.toml files under {path}")
            files.extend(found)
        elif os.path.exists(path):
            files.append(path)
        else:
            errors.append(f"no such file or directory: {path}")
    return files, errors


def run_check(paths: Sequence[str], *, output_format: str = "text", out: TextIO | None = None) -> int:
    out = out or sys.stdout
    files, usage_errors = collect_files(paths)
    for error in usage_errors:
        print(defuse(f"briefing check: error: {error}"), file=sys.stderr)
    results = [load_briefing(file) for file in files]
    problems = [problem for result in results for problem in result.problems]
    invalid = sum(1 for result in results if not result.ok)

    if output_format == "json":
        report = {
            "checked": len(results),
            "valid": len(results) - invalid,
            "invalid": invalid,
            "problems": [problem.to_dict() for problem in problems],
            "usage_errors": usage_errors,
        }
        # JSON escapes control characters, so the output is safe on a terminal too.
        out.write(msgspec.json.format(msgspec.json.encode(report), indent=2).decode() + "\n")
    else:
        for problem in problems:
            out.write(defuse(str(problem)) + "\n")
        if results or not usage_errors:
            out.write(_summary(len(results), invalid, len(problems)) + "\n")

    if usage_errors:
        return EXIT_USAGE
    return EXIT_INVALID if invalid else EXIT_OK


def _summary(checked: int, invalid: int, problems: int) -> str:
    noun = "briefing" if checked == 1 else "briefings"
    if not invalid:
        return f"{checked} {noun} checked: all valid"
    return f"{checked} {noun} checked: {invalid} invalid, {problems} {'problem' if problems == 1 else 'problems'}"


def report_load_failure(result: LoadResult, stream: TextIO | None = None) -> int:
    """Print a failed load's problems compiler-style; the exit status to use."""
    stream = stream or sys.stderr
    for problem in result.problems:
        stream.write(defuse(str(problem)) + "\n")
    return EXIT_INVALID
