"""Parse TOML from an untrusted source in time and memory bounded by its size.

``tomllib`` is correct but trusts its input's shape. A key of 100,000 dotted
parts makes it build a tuple for every prefix of the key (gigabytes from a
200 KB file); nesting deeper than the interpreter's stack ends in a
RecursionError; and a file of nothing but ``{},`` makes about 25 bytes of
objects out of each byte. So before ``tomllib`` sees a document, one pass
over it checks what the briefing format never needs:

* a key or table header of more than ``MAX_KEY_PARTS`` dotted parts;
* arrays and inline tables nested more than ``MAX_NESTING`` deep;
* more than ``MAX_VALUES`` keys, table headers and array elements.

The pass works on the document's *skeleton*: strings and comments are cut
out by one regular expression (run in C, possessive, so no input can make it
backtrack), and what is left is only keys, brackets and bare values. It is
about a twentieth of the cost of parsing. A breach is reported at its line
and column like a syntax error, and the document is never parsed.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["MAX_BYTES", "MAX_KEY_PARTS", "MAX_NESTING", "MAX_VALUES", "TomlError", "check_limits", "parse_toml"]

# Files larger than this are refused before parsing. The largest realistic
# briefing (thousands of entities) is well under 2 MiB; the limit is there so a
# stray log or disk image given by mistake fails at once, not after seconds of
# parsing and hundreds of megabytes of memory.
MAX_BYTES = 8 * 1024 * 1024
# The format nests four levels at most (events[3].when.date); these leave
# authors every freedom TOML gives and still bound what a file can cost.
MAX_KEY_PARTS = 32
MAX_NESTING = 32
# A 5,000-asset briefing of 3 MiB holds about 100,000; each costs tomllib
# 70 bytes at worst.
MAX_VALUES = 500_000


class TomlError(Exception):
    """A document that is not TOML, or breaks a limit: what and where (1-based)."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def parse_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads`` within the limits above; every failure is a located ``TomlError``."""
    check_limits(text)
    import tomllib  # here, not at the top: a briefing from the cache is never parsed

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _located(str(error), text) from None
    except RecursionError:  # pragma: no cover - the nesting limit is far below the stack's
        raise TomlError("TOML syntax: nesting is too deep", 1, 1) from None
    except ValueError:
        # Python's own limit on the digits of an integer (4,300), which tomllib does not catch.
        raise _too_many_digits(text) from None


def _too_many_digits(text: str) -> TomlError:
    match = _LONG_NUMBER.search(text)
    start = match.start() if match else 0
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return TomlError(f"TOML: a number of more than {_MAX_DIGITS:,} digits", line, column)


# Python refuses to read an integer of more digits than this (sys.get_int_max_str_digits).
_MAX_DIGITS = 4300
_LONG_NUMBER = re.compile(rf"[0-9_]{{{_MAX_DIGITS + 1},}}")
# Strings and comments, which may hold anything. Possessive quantifiers: an
# unterminated string fails at once instead of backtracking over the file.
_STRINGS_AND_COMMENTS = re.compile(
    r'"""(?:[^"\\]++|\\.|"(?!""))*+"{3,5}'
    r"|'''(?:[^']++|'(?!''))*+'{3,5}"
    r'|"(?:[^"\\\n]++|\\.)*+"'
    r"|'[^'\n]*+'"
    r"|#[^\n]*+",
    re.S,
)
# What a string leaves in the skeleton: one character that can be a key's part.
_STRING_MARK = "\x01"
_ATOM = r"[A-Za-z0-9_\x01+-]"
_ATOM_CHARACTER = re.compile(_ATOM)
# MAX_KEY_PARTS + 1 parts: as many dots, each followed by a part. Starting at
# a dot lets the search skip to dots in C; at most MAX_KEY_PARTS tries each.
_TOO_MANY_PARTS = re.compile(rf"(?:[ \t]*+\.[ \t]*+{_ATOM}++){{{MAX_KEY_PARTS}}}")
_VALUE_MARKS = re.compile(r"[=,\[{]")
_NOT_BRACKETS = re.compile(r"[^\[\]{}]++")
_INNERMOST_PAIR = re.compile(r"[\[{][\]}]")


def check_limits(text: str) -> None:
    """Raise ``TomlError`` at the first place ``text`` breaks a limit; linear in its length."""
    skeleton = _STRINGS_AND_COMMENTS.sub(_STRING_MARK, text)
    # Keys, headers and elements each bring one of these; an overestimate,
    # counted in C before anything is done per value.
    marks = skeleton.count("=") + skeleton.count(",") + skeleton.count("[") + skeleton.count("{")
    if marks > MAX_VALUES:
        breach = next(m for n, m in enumerate(_VALUE_MARKS.finditer(skeleton)) if n == MAX_VALUES)
        raise _at(text, skeleton, breach.start(), f"more than {MAX_VALUES:,} keys and values in one file (the limit)")
    if skeleton.count(".") >= MAX_KEY_PARTS:
        parts = _TOO_MANY_PARTS.search(skeleton)
        if parts is not None:
            # Point at the key's first part, not at its first dot.
            start = parts.start()
            while start and _ATOM_CHARACTER.fullmatch(skeleton[start - 1]):
                start -= 1
            raise _at(
                text, skeleton, start, f"a key or table name of more than {MAX_KEY_PARTS} dotted parts (the limit)"
            )
    if nesting_exceeds(_NOT_BRACKETS.sub("", skeleton)):
        raise _at(
            text,
            skeleton,
            deepest(skeleton),
            f"arrays or inline tables nested more than {MAX_NESTING} deep (the limit)",
        )


def nesting_exceeds(brackets: str) -> bool:
    """Whether the brackets nest deeper than allowed: peel innermost pairs, a level a pass (in C).

    Table headers' brackets count too: [[a]] is two levels, far below the limit.
    The JSON form's limits (json_form.py) use it too, on a skeleton of JSON.
    """
    for _ in range(MAX_NESTING):
        peeled = _INNERMOST_PAIR.sub("", brackets)
        if peeled == brackets:
            break
        brackets = peeled
    else:
        # Every allowed level peeled and pairs are left: one nests deeper.
        return _INNERMOST_PAIR.search(brackets) is not None
    # Unmatched brackets (a syntax error tomllib reports): still too many open at once?
    return any(len(run) > MAX_NESTING for run in re.findall(r"[\[{]+", brackets))


def deepest(skeleton: str) -> int:
    """Where, in the skeleton, the nesting first goes too deep (only failures pay for this loop)."""
    depth = 0
    for bracket in re.finditer(r"[\[\]{}]", skeleton):
        if bracket.group() in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return bracket.start()
        elif depth:
            depth -= 1
    return 0  # pragma: no cover - only called when the nesting is too deep


def _at(text: str, skeleton: str, offset: int, message: str) -> TomlError:
    """The error at ``offset`` of the skeleton, located in ``text`` (only failures pay for this)."""
    original = _original_offset(text, offset)
    line = text.count("\n", 0, original) + 1
    column = original - (text.rfind("\n", 0, original) + 1) + 1
    return TomlError(message, line, column)


def _original_offset(text: str, offset: int) -> int:
    # Walk the cut-out spans again: each left one mark in the skeleton.
    shift = 0
    for match in _STRINGS_AND_COMMENTS.finditer(text):
        skeleton_start = match.start() - shift
        if skeleton_start >= offset:
            break
        shift += len(match.group()) - 1
    return offset + shift


_TOMLLIB_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOMLLIB_END = re.compile(r"\s*\(at end of document\)$")


def _located(message: str, text: str) -> TomlError:
    match = _TOMLLIB_POSITION.search(message)
    if match:
        return TomlError("TOML syntax: " + message[: match.start()], int(match[1]), int(match[2]))
    match = _TOMLLIB_END.search(message)
    if match:
        # Lines end at "\n" only, as tomllib counts them (str.splitlines also
        # splits at \x1c-\x1e, \x85, U+2028…); the end is that of the last line.
        lines = text.split("\n")
        if len(lines) > 1 and not lines[-1]:
            lines.pop()
        return TomlError(f"TOML syntax: {message[: match.start()]} at end of file", len(lines), len(lines[-1]) + 1)
    return TomlError("TOML syntax: " + message, 1, 1)
