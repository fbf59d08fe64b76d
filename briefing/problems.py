"""Problems found in a briefing file, reported like a compiler reports errors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import msgspec

KeyPath = tuple[str | int, ...]


# msgspec Structs rather than dataclasses: `briefing check` starts faster
# without importing the dataclasses machinery.


class Problem(msgspec.Struct, frozen=True):
    """One thing wrong with a file, with where it is and how to fix it."""

    file: str
    line: int
    column: int
    message: str
    # Where in the document, as written in messages: "actors[3].kind".
    key: str = ""
    expected: str | None = None
    found: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        """``PATH:LINE:COL: error: MESSAGE``, all on one line."""
        text = f"{self.key}: {self.message}" if self.key else self.message
        if self.expected is not None:
            text += f" (expected {self.expected}"
            text += f", found {self.found})" if self.found is not None else ")"
        if self.hint:
            text += f"; {self.hint}"
        return f"{self.file}:{self.line}:{self.column}: error: {text}"

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
