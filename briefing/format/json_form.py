"""The JSON form of a briefing: the model written as JSON, and JSON read back within limits.

``encode_json`` writes a briefing as ``briefing export --to json`` does: the
model's keys in the model's order, indented by two spaces, UTF-8, ending in a
newline, with no null and no value that is the default (a key a TOML file may
leave out is left out). It validates against the shipped
``briefing/briefing.schema.json``, and the same briefing always gives the same
bytes.

A JSON document from outside is as hostile as a TOML one, so ``parse_json``
checks its shape before ``json`` sees it, as ``limits.py`` does for TOML: the
strings are cut out by one possessive regular expression, and what is left is
checked for nesting deeper than ``MAX_NESTING`` and more than ``MAX_VALUES``
keys and elements, in passes linear in its length. Then ``json`` parses it
(in C, at most ``MAX_NESTING`` deep), with a key written twice in one object
an error, as in TOML. ``refused_value`` names what JSON can say and a briefing
cannot hold: null, NaN and Infinity, numbers too large, lone surrogates.
``read_json`` does all of it, for ``reading.parse_briefing``.

A top-level ``"review"`` member is the analyst's review, put there by
``briefing export --to json --review``; it is no part of the briefing, so
``briefing_members`` leaves it out (it must be an object all the same).
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal

import msgspec

from briefing.format.limits import MAX_NESTING, MAX_VALUES, deepest, nesting_exceeds
from briefing.format.model import Briefing, Meta
from briefing.format.problems import Finding, KeyPath, describe_value, format_key

__all__ = [
    "REVIEW_MEMBER",
    "JsonError",
    "briefing_members",
    "check_json_limits",
    "encode_json",
    "indented_json",
    "json_object",
    "parse_json",
    "read_json",
    "refused_value",
]

REVIEW_MEMBER = "review"

# Python refuses to read an integer of more digits than this (sys.get_int_max_str_digits).
MAX_DIGITS = 4300


class JsonError(Exception):
    """A document that is not JSON, breaks a limit or repeats a key: what and where (1-based)."""

    def __init__(self, message: str, line: int, column: int, *, key: str = "", hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.key = key
        self.hint = hint


# -- writing --------------------------------------------------------------------------------------

_ENCODER = msgspec.json.Encoder()
# msgspec leaves a default out when the value *is* the default object, not when it equals it. A
# Literal comes back from decoding as the model's own object; a plain string read from a file
# is an equal one, so `language = "en"` would be written and equal briefings would differ.
_DEFAULT_LANGUAGE = next(field.default for field in msgspec.structs.fields(Meta) if field.name == "language")


def encode_json(briefing: Briefing) -> bytes:
    """The briefing in its JSON form (the model omits defaults, so there is no null)."""
    return indented_json(_ENCODER.encode(_with_default_language(briefing)))


def json_object(briefing: Briefing) -> dict[str, Any]:
    """The briefing as the members ``encode_json`` writes, in order, for a caller that adds members of its own."""
    members: dict[str, Any] = msgspec.to_builtins(_with_default_language(briefing))
    return members


def _with_default_language(briefing: Briefing) -> Briefing:
    meta = briefing.meta
    if meta.language is _DEFAULT_LANGUAGE or meta.language != _DEFAULT_LANGUAGE:
        return briefing
    return msgspec.structs.replace(briefing, meta=msgspec.structs.replace(meta, language=_DEFAULT_LANGUAGE))


def indented_json(encoded: bytes) -> bytes:
    """Compact JSON as the JSON form is written: indented by two spaces, ending in a newline."""
    return msgspec.json.format(encoded, indent=2) + b"\n"


# -- reading --------------------------------------------------------------------------------------

# A string, which may hold anything, cut out before the shape is checked. Possessive: an
# unterminated string fails at once instead of backtracking over the file.
_STRING = re.compile(r'"(?:[^"\\\n]++|\\.)*+"')
# What a string leaves in the skeleton.
_STRING_MARK = "0"
_VALUE_MARKS = re.compile(r"[:,\[{]")
_NOT_BRACKETS = re.compile(r"[^\[\]{}]++")
# json ends some messages with where ("Unterminated string starting at"), which the line and column say.
_JSON_SAYS_WHERE = re.compile(r" (?:starting )?at$")


def read_json(text: str) -> dict[str, Any] | Finding:
    """The briefing's members in ``text``, or the finding that one of them cannot be a briefing's.

    Raises ``JsonError`` for a text that is not JSON, breaks a limit, repeats
    a key or is not an object. The ``review`` member is left out
    (``briefing_members``); then every value must be one a briefing can hold
    (``refused_value``).
    """
    document, numbers = parse_json(text)
    members = briefing_members(document)
    if isinstance(members, Finding):
        return members
    if numbers.refused or _may_hold_refused(text):
        refused = refused_value(members)
        if refused is not None:
            return refused
    return members


def parse_json(text: str) -> tuple[dict[str, Any], _Numbers]:
    """``json.loads`` within the limits above, and what it met of numbers; every failure a located ``JsonError``.

    Numbers a briefing cannot hold and ``json`` reads anyway (NaN, Infinity,
    too many digits, too large) come back as markers, counted, which
    ``refused_value`` finds, so that they are reported at their key like any
    bad value.
    """
    check_json_limits(text)
    import json  # here, not at the top: a TOML briefing never needs it

    numbers = _Numbers()
    try:
        document = json.loads(
            text,
            object_pairs_hook=_object,
            parse_constant=numbers.constant,
            parse_int=numbers.integer,
            parse_float=numbers.real,
        )
    except _RepeatedKey as repeated:
        raise _repeated_key_error(text, repeated.name) from None
    except json.JSONDecodeError as error:
        raise JsonError(f"JSON syntax: {_JSON_SAYS_WHERE.sub('', error.msg)}", error.lineno, error.colno) from None
    except RecursionError:  # pragma: no cover - the nesting limit is far below the stack's
        raise JsonError("JSON syntax: nesting is too deep", 1, 1) from None
    if not isinstance(document, dict):
        start = len(text) - len(text.lstrip(" \t\r\n"))
        line, column = _line_and_column(text, start)
        found = "a number a briefing cannot hold" if isinstance(document, _Refused) else describe_value(document)
        raise JsonError(f"a briefing is a JSON object (found {found})", line, column)
    return document, numbers


def check_json_limits(text: str) -> None:
    """Raise ``JsonError`` at the first place ``text`` breaks a limit; linear in its length."""
    skeleton = _STRING.sub(_STRING_MARK, text)
    # Keys and elements each bring one of these; an overestimate, counted in C.
    marks = skeleton.count(":") + skeleton.count(",") + skeleton.count("[") + skeleton.count("{")
    if marks > MAX_VALUES:
        breach = next(m for n, m in enumerate(_VALUE_MARKS.finditer(skeleton)) if n == MAX_VALUES)
        raise _at(text, breach.start(), f"more than {MAX_VALUES:,} keys and values in one file (the limit)")
    if nesting_exceeds(_NOT_BRACKETS.sub("", skeleton)):
        raise _at(text, deepest(skeleton), f"arrays or objects nested more than {MAX_NESTING} deep (the limit)")


def _at(text: str, skeleton_offset: int, message: str) -> JsonError:
    """The error at an offset of the skeleton, located in ``text`` (only failures pay for this)."""
    # Walk the cut-out strings again: each left one mark in the skeleton.
    shift = 0
    for match in _STRING.finditer(text):
        if match.start() - shift >= skeleton_offset:
            break
        shift += len(match.group()) - len(_STRING_MARK)
    line, column = _line_and_column(text, skeleton_offset + shift)
    return JsonError(message, line, column)


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based; lines end at ``\\n`` only, as ``json`` counts them."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


class _RepeatedKey(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members = dict(pairs)
    if len(members) != len(pairs):
        raise _RepeatedKey(_first_repeat(pairs))
    return members


def _first_repeat(pairs: list[tuple[str, Any]]) -> str:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return key
        seen.add(key)
    return ""  # pragma: no cover - only called when a key repeats


def _repeated_key_error(text: str, name: str) -> JsonError:
    from briefing.format.positions import repeated_json_key  # only failures pay for it

    repeated = repeated_json_key(text)
    if repeated is None:  # pragma: no cover - the scan finds what json found
        return JsonError(f"duplicate key `{name}`", 1, 1)
    first = repeated.first
    return JsonError(
        "duplicate key",
        repeated.again.line,
        repeated.again.column,
        key=format_key(repeated.path),
        hint=f"first written at line {first.line}, column {first.column}; a key is written once in an object",
    )


class _Refused:
    """A number JSON can write and a briefing cannot hold, kept in place for ``refused_value`` to report."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


class _Numbers:
    """``json``'s hooks for the numbers of one document: each one a briefing cannot hold becomes a marker."""

    def __init__(self) -> None:
        self.refused = 0

    def refuse(self, message: str) -> _Refused:
        self.refused += 1
        return _Refused(message)

    def constant(self, name: str) -> _Refused:
        # Python's json reads them; JSON itself has no such values.
        return self.refuse(f"`{name}` is not a number a briefing can hold (JSON has no NaN or Infinity)")

    def integer(self, digits: str) -> int | _Refused:
        if len(digits.lstrip("-")) > MAX_DIGITS:
            return self.refuse(f"a number of more than {MAX_DIGITS:,} digits")
        try:
            return int(digits)
        except ValueError:
            # A lower limit set for this interpreter (PYTHONINTMAXSTRDIGITS).
            return self.refuse("a number of more digits than this Python reads")

    def real(self, digits: str) -> float | _Refused:
        value = float(digits)
        if math.isfinite(value):
            return value
        # 1e999: beyond what a float holds, which Python reads as infinity.
        return self.refuse("a number too large to hold (at most about 1.8e308 either way)")


# What the text must hold for a value to be refused that is no number: null, or a lone
# surrogate (escaped, or in a text given as str). Looked for in C; a false alarm (the word
# inside a string, a surrogate pair) costs one walk of the document.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _may_hold_refused(text: str) -> bool:
    return "null" in text or _SURROGATE_ESCAPE.search(text) is not None or _SURROGATE.search(text) is not None


def briefing_members(document: dict[str, Any]) -> dict[str, Any] | Finding:
    """The document without its ``review`` member, or why that member is wrong."""
    if REVIEW_MEMBER not in document:
        return document
    review = document[REVIEW_MEMBER]
    if not isinstance(review, dict):
        return Finding(
            (REVIEW_MEMBER,),
            "not an object",
            expected="a briefing-review document, as `briefing export --to json --review` writes it",
            found=describe_value(review),
        )
    return {key: value for key, value in document.items() if key != REVIEW_MEMBER}


def refused_value(document: dict[str, Any]) -> Finding | None:
    """The first value or key of ``document``, in its order, that a briefing cannot hold.

    A loop over an explicit stack, not recursion: nesting comes from the file.
    """
    stack: list[tuple[KeyPath, Any]] = [((), document)]
    while stack:
        path, value = stack.pop()
        if path and isinstance(path[-1], str) and _SURROGATE.search(path[-1]):
            return _lone_surrogate(path, "key")
        finding = _refusal(path, value)
        if finding is not None:
            return finding
        if isinstance(value, dict):
            stack.extend(((*path, key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*path, index), value[index]) for index in range(len(value) - 1, -1, -1))
    return None


def _refusal(path: KeyPath, value: Any) -> Finding | None:
    if value is None:
        return Finding(path, "null is not a value in a briefing", hint="leave the key out, as TOML has no null")
    if isinstance(value, _Refused):
        return Finding(path, value.message)
    if isinstance(value, str) and not value.isprintable() and _SURROGATE.search(value):
        return _lone_surrogate(path, "value")
    return None


def _lone_surrogate(path: KeyPath, prefer: Literal["key", "value"]) -> Finding:
    return Finding(
        path,
        "a lone surrogate escape (\\ud800 to \\udfff) is not a character",
        hint="a \\u escape of a high surrogate must be followed by one of a low surrogate",
        prefer=prefer,
    )
