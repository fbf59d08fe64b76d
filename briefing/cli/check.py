"""``briefing check``: validate briefings like a compiler checks sources."""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

from briefing.format.problems import Problem
from briefing.format.reading import LoadResult, PendingLoad
from briefing.format.safetext import one_line
from briefing.storage.briefing_files import open_briefing

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class Collected:
    """What ``check`` was asked to look at: the files, and what it could not look into."""

    def __init__(self) -> None:
        self.files: list[str] = []
        # Directories that could not be listed: problems, not usage errors.
        self.unreadable: list[Problem] = []
        self.usage_errors: list[str] = []


def collect_files(paths: Iterable[str]) -> Collected:
    """Files to check: each path given, and every ``*.toml`` under each directory.

    Every directory that cannot be listed is a problem, never passed over.
    Links to directories are followed, each directory once (a link back up
    the tree is no loop); a ``*.toml`` that is not a regular file is kept,
    for the loader to refuse by name.
    """
    collected = Collected()
    for path in paths:
        try:
            status = os.stat(path)
        except FileNotFoundError:
            collected.usage_errors.append(f"no such file or directory: {path}")
            continue
        except OSError as error:
            collected.unreadable.append(_unreadable(path, error))
            continue
        if not stat.S_ISDIR(status.st_mode):
            collected.files.append(path)
            continue
        before = len(collected.files)
        _walk(path, status, collected)
        if len(collected.files) == before and not collected.unreadable:
            collected.usage_errors.append(f"no *.toml files under {path}")
    return collected


def _walk(top: str, status: os.stat_result, collected: Collected) -> None:
    # A loop over a stack, not recursion: how deep a tree goes is not ours to choose.
    seen = {(status.st_dev, status.st_ino)}
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            collected.unreadable.append(_unreadable(directory, error))
            continue
        subdirectories = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                try:
                    inside = entry.stat()
                except OSError as error:
                    collected.unreadable.append(_unreadable(entry.path, error))
                    continue
                if (inside.st_dev, inside.st_ino) not in seen:
                    seen.add((inside.st_dev, inside.st_ino))
                    subdirectories.append(entry.path)
            elif entry.name.endswith(".toml"):
                collected.files.append(entry.path)
        # Reversed onto the stack: subdirectories are then taken in name order.
        stack.extend(reversed(subdirectories))


def _unreadable(path: str, error: OSError) -> Problem:
    reason = "permission denied" if isinstance(error, PermissionError) else (error.strerror or str(error))
    return Problem(path, 0, 0, f"cannot read this directory: {reason}")


def run_check(
    paths: Sequence[str], *, output_format: str = "text", strict: bool = False, out: TextIO | None = None
) -> int:
    """Check every file; as text, each file's problems are printed as soon as it is checked.

    A valid file is linted too: its warnings are printed like errors but
    leave it valid, and fail the check only with ``strict``.
    """
    out = out or sys.stdout
    collected = collect_files(paths)
    for error in collected.usage_errors:
        print(f"briefing check: error: {one_line(error)}", file=sys.stderr)
    problems = list(collected.unreadable)
    invalid = 0
    warnings = 0
    text = output_format == "text"
    if text:
        for problem in problems:
            out.write(f"{problem}\n")
    for file in collected.files:
        result, found = check_file(file)
        invalid += not result.ok
        warnings += sum(problem.severity == "warning" for problem in found)
        problems.extend(found)
        if text and found:
            out.write("".join(f"{problem}\n" for problem in found))
            out.flush()
    checked = len(collected.files)
    if not text:
        report = {
            "checked": checked,
            "valid": checked - invalid,
            "invalid": invalid,
            "unreadable_directories": len(collected.unreadable),
            "problems": [problem.to_dict() for problem in problems],
            "usage_errors": collected.usage_errors,
        }
        out.write(json_text(report) + "\n")
    elif checked or collected.unreadable or not collected.usage_errors:
        errors = len(problems) - len(collected.unreadable) - warnings
        out.write(_summary(checked, invalid, errors, len(collected.unreadable), warnings, strict=strict) + "\n")

    if collected.usage_errors:
        return EXIT_USAGE
    return EXIT_INVALID if invalid or collected.unreadable or (strict and warnings) else EXIT_OK


def check_file(file: str) -> tuple[LoadResult, list[Problem]]:
    """Load ``file``; its errors, or, when it is valid, its warnings."""
    # Never deferred for long: ``defer_from=0`` only keeps the bytes at hand, to locate warnings in.
    opened = open_briefing(file, defer_from=0)
    if not isinstance(opened, PendingLoad):
        return opened, opened.problems
    result = opened.finish()
    if not result.ok or result.briefing is None:
        return result, result.problems
    # Here, not at the top: the reader and `show` import this module for report_load_failure.
    from briefing.format.lints import lint_problems

    # The bytes decoded when they were parsed (valid UTF-8), without the byte-order mark parsing drops.
    text = opened.data.decode("utf-8").removeprefix("\ufeff")
    return result, lint_problems(result.briefing, text, file, opened.syntax)


def json_text(report: object) -> str:
    """JSON that is valid whatever the file names hold, and safe to print on a terminal.

    Names that are not UTF-8 (lone surrogates from ``os.fsdecode``) become
    U+FFFD; everything outside ASCII is written as ``\\uXXXX``, so no control
    or bidi character reaches the terminal raw.
    """
    import json

    return json.dumps(_replace_surrogates(report), indent=2, ensure_ascii=True)


def _replace_surrogates(value: object) -> object:
    # The report is two levels deep, and made here: not content-driven recursion.
    if isinstance(value, str):
        return value if value.isprintable() else _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {key: _replace_surrogates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace_surrogates(item) for item in value]
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _summary(
    checked: int, invalid: int, problems: int, unreadable: int, warnings: int = 0, *, strict: bool = False
) -> str:
    """``3 briefings checked: 1 invalid, 2 problems, 4 warnings; 1 directory could not be read``."""
    noun = "briefing" if checked == 1 else "briefings"
    text = f"{checked} {noun} checked: "
    if invalid:
        text += f"{invalid} invalid, {problems} {'problem' if problems == 1 else 'problems'}"
    else:
        text += "all valid"
    if warnings:
        text += f", {warnings} {'warning' if warnings == 1 else 'warnings'}"
        if strict:
            text += " (failing with --strict)"
    if unreadable:
        text += f"; {unreadable} {'directory' if unreadable == 1 else 'directories'} could not be read"
    return text


def report_load_failure(result: LoadResult, stream: TextIO | None = None) -> int:
    """Print a failed load's problems compiler-style; the exit status to use."""
    stream = stream or sys.stderr
    for problem in result.problems:
        stream.write(f"{problem}\n")
    return EXIT_INVALID
