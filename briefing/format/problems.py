"""Problems found in a briefing file, reported like a compiler reports errors."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Literal

import msgspec

from briefing.format.safetext import one_line

KeyPath = tuple[str | int, ...]
# An error makes a file invalid; a warning (``briefing check``'s lints) does
# not, unless ``--strict`` asks for it.
Severity = Literal["error", "warning"]
# What a briefing's text is written in: TOML, or its JSON form (json_form.py).
Syntax = Literal["toml", "json"]


# msgspec Structs rather than dataclasses: `briefing check` starts faster
# without importing the dataclasses machinery.


class Problem(msgspec.Struct, frozen=True):
    """One thing wrong with a file, with where it is and how to fix it."""

    file: str
    # 1-based; 0 and 0 for a problem of the path as a whole.
    line: int
    column: int
    message: str
    # Where in the document, as written in messages: "actors[3].kind".
    key: str = ""
    expected: str | None = None
    found: str | None = None
    hint: str | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        """``PATH:LINE:COL: error: MESSAGE`` (or ``warning:``), on one line whatever the file or its name holds.

        Every part is passed through ``one_line``: a key with a newline in it
        cannot start a line that looks like another file's error, and no
        control character of a file name reaches the terminal.
        """
        text = f"{self.key}: {self.message}" if self.key else self.message
        if self.expected is not None:
            text += f" (expected {self.expected}"
            text += f", found {self.found})" if self.found is not None else ")"
        if self.hint:
            text += f"; {self.hint}"
        # Line 0: about the path itself (a directory that cannot be read), not a place in it.
        where = f"{self.line}:{self.column}:" if self.line else ""
        return f"{one_line(self.file)}:{where} {self.severity}: {one_line(text)}"

    def to_dict(self) -> dict[str, object]:
        return msgspec.structs.asdict(self)


class Finding(msgspec.Struct, frozen=True):
    """A problem before it has a file position."""

    path: KeyPath
    message: str
    expected: str | None = None
    found: str | None = None
    hint: str | None = None
    # Point at the key (a missing or unknown key) or at its value (a bad value).
    prefer: Literal["key", "value"] = "value"
    severity: Severity = "error"


def format_key(path: Sequence[str | int]) -> str:
    """``("actors", 3, "kind")`` -> ``actors[3].kind``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest choice, when one is close enough to be a typo."""
    import difflib  # only problems pay for it

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


# Each hint compares the word with every choice (difflib, some microseconds
# each). A file with thousands of unknown ids among thousands of ids would
# cost millions of comparisons (minutes); past this many in one file (a
# tenth of a second or so), problems come without a hint.
SUGGESTION_BUDGET = 20_000


class Suggestions:
    """``did_you_mean`` for one document, within a budget of comparisons."""

    def __init__(self, budget: int = SUGGESTION_BUDGET) -> None:
        self.left = budget

    def did_you_mean(self, word: str, choices: Collection[str]) -> str | None:
        if len(choices) > self.left:
            self.left = 0
            return None
        self.left -= len(choices)
        return did_you_mean(word, choices)


def describe_value(value: object, limit: int = 40) -> str:
    """A short, single-line description of a TOML value for messages."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return f"an array of {len(value)}"
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def locate(findings: Sequence[Finding], text: str, file: str, syntax: Syntax = "toml") -> list[Problem]:
    """``findings`` as problems at their lines and columns in ``text`` (the document they were found in), in order.

    Errors and warnings alike: one pass over the text, read as ``syntax``,
    finds every key asked for, so only files with something to say pay for it.
    """
    from briefing.format.positions import find, locate_json_keys, locate_keys

    locate_in = locate_json_keys if syntax == "json" else locate_keys
    positions = locate_in(text, wanted=[finding.path for finding in findings])
    problems = []
    for finding in findings:
        span = find(positions, finding.path, prefer=finding.prefer)
        problems.append(
            Problem(
                file=file,
                line=span.line,
                column=span.column,
                message=finding.message,
                key=format_key(finding.path),
                expected=finding.expected,
                found=finding.found,
                hint=finding.hint,
                severity=finding.severity,
            )
        )
    problems.sort(key=lambda problem: (problem.line, problem.column))
    return problems
