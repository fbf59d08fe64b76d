"""Explain a msgspec validation error as a finding: the key, what was expected, what was found.

msgspec stops at the first error and words it for programmers
(``Expected `str`, got `int` - at `$.actors[3].kind```). These functions
turn that into the path and words ``briefing check`` prints, looking up the
offending value in the parsed document and the allowed values in the model.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from briefing.format.problems import Finding, KeyPath, describe_value, did_you_mean
from briefing.format.safetext import defuse

_MSGSPEC_PATH = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_PATH_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def convert_findings(value: Any, kind: Any, prefix: KeyPath) -> list[Finding]:
    try:
        msgspec.convert(value, kind)
    except msgspec.ValidationError as error:
        return [explain(str(error), value, kind, prefix)]
    return []


def explain(message: str, value: Any, kind: Any, prefix: KeyPath) -> Finding:
    """Turn a msgspec message into a finding with expected / found / hint."""
    match = _MSGSPEC_PATH.match(message)
    assert match is not None  # the pattern matches any string
    text = match["message"]
    inner: KeyPath = tuple(name if name else int(index) for name, index in _PATH_PART.findall(match["path"] or ""))
    path = prefix + inner
    found_value = _walk(value, inner)
    options = _struct_fields(kind, inner)

    if m := re.match(r"Object contains unknown field `(.+)`$", text, re.S):
        name = m[1]
        return Finding(
            (*path, name),
            f"unknown key `{name}`",
            hint=did_you_mean(name, options or ()) or (f"allowed keys: {', '.join(options)}" if options else None),
            prefer="key",
        )
    if m := re.match(r"Object missing required field `(.+)`$", text, re.S):
        return Finding(path, f"missing required key `{m[1]}`", expected=f"`{m[1]}`", prefer="key")
    if m := re.match(r"Invalid (?:enum )?value (.+)$", text, re.S):
        allowed = _literal_values(kind, inner)
        found = m[1]
        return Finding(
            path,
            f"unknown value for `{inner[-1] if inner else prefix[-1]}`",
            expected=f"one of {', '.join(allowed)}" if allowed else None,
            found=found,
            hint=did_you_mean(str(found_value), allowed) if allowed and isinstance(found_value, str) else None,
        )
    if m := re.match(r"Expected `([^`]+)`, got `([^`]+)`$", text, re.S):
        return Finding(
            path, "wrong type", expected=_type_name(m[1]), found=f"{_type_name(m[2])} {describe_value(found_value)}"
        )
    if text.startswith("Invalid RFC3339 encoded date"):
        return Finding(path, "invalid date", expected="a date like 2024-12-23", found=describe_value(found_value))
    if m := re.match(r"Expected `str` matching regex", text):
        return Finding(
            path,
            "invalid id",
            expected="lower-case letters, digits and hyphens, starting with a letter or digit (at most 64)",
            found=describe_value(found_value),
        )
    if m := re.match(r"Expected `(.+)`$", text, re.S):
        return Finding(path, "value out of range", expected=_type_name(m[1]), found=describe_value(found_value))
    return Finding(path, defuse(text), found=describe_value(found_value) if inner else None)


def _type_name(name: str) -> str:
    return {
        "str": "a string",
        "int": "an integer",
        "float": "a number",
        "bool": "true or false",
        "array": "an array",
        "object": "a table",
        "date": "a date",
        "datetime": "a date and time",
        "null": "nothing",
    }.get(name, name)


def _walk(value: Any, path: KeyPath) -> Any:
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _resolve(kind: Any, path: KeyPath) -> Any:
    """The msgspec type info found by following ``path`` from ``kind``."""
    from msgspec import inspect

    info: Any = inspect.type_info(kind)
    for part in path:
        info = _unwrap(info)
        if isinstance(part, int):
            if not isinstance(info, (inspect.ListType, inspect.SetType, inspect.FrozenSetType, inspect.VarTupleType)):
                return None
            info = info.item_type
        else:
            structs = info.types if isinstance(info, inspect.UnionType) else (info,)
            fields = [f for s in structs if isinstance(s, inspect.StructType) for f in s.fields if f.name == part]
            if not fields:
                return None
            info = fields[0].type
    return _unwrap(info)


def _unwrap(info: Any) -> Any:
    from msgspec import inspect

    if isinstance(info, inspect.Metadata):
        info = info.type
    if isinstance(info, inspect.UnionType):
        # ``X | None``: look through the None.
        rest = [t for t in info.types if not isinstance(t, inspect.NoneType)]
        if len(rest) == 1:
            return _unwrap(rest[0])
    return info


def _struct_fields(kind: Any, path: KeyPath) -> list[str]:
    from msgspec import inspect

    info = _resolve(kind, path)
    structs = info.types if isinstance(info, inspect.UnionType) else (info,)
    names: list[str] = []
    for struct in structs:
        if isinstance(struct, inspect.StructType):
            names.extend(f.name for f in struct.fields if f.name not in names)
    return names


def _literal_values(kind: Any, path: KeyPath) -> list[str]:
    from msgspec import inspect

    info = _resolve(kind, path)
    if isinstance(info, inspect.LiteralType):
        return [str(v) for v in info.values]
    if path and path[-1] == "kind":
        # The section ``kind`` is the tag of a tagged union.
        parent = _resolve(kind, path[:-1])
        if isinstance(parent, inspect.UnionType):
            return [str(t.tag) for t in parent.types if isinstance(t, inspect.StructType) and t.tag]
    return []
