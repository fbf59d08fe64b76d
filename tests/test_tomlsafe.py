"""Properties of reading TOML within limits: the limits never change what a document within them means."""

from __future__ import annotations

import datetime
import tomllib

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from briefing.format.limits import MAX_KEY_PARTS, MAX_NESTING, TomlError, check_limits, parse_toml

# Strings that look like structure: dots, brackets, quotes, comment signs.
tricky_text = st.text(alphabet=st.sampled_from(list("ab.[]{}\"'#=,\\\n\t ")), max_size=60)
scalars = st.one_of(
    tricky_text,
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=datetime.date(1, 1, 1)),
)
keys = st.one_of(st.text(alphabet="abc-_.", min_size=1, max_size=6), tricky_text.filter(bool))
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)
documents = st.dictionaries(keys, values, min_size=1, max_size=6)


@given(documents)
def test_a_document_within_the_limits_reads_as_tomllib_reads_it(document):
    text = tomli_w.dumps(document)
    assert parse_toml(text) == tomllib.loads(text)


@given(st.text(max_size=400))
def test_any_text_is_a_document_or_one_located_error(text):
    try:
        parse_toml(text)
    except TomlError as error:
        lines = text.split("\n")
        assert 1 <= error.line <= len(lines)
        assert error.column >= 1 and error.message


def dotted_key(parts: list[str], spaces: list[str]) -> str:
    return "".join(
        part + (spaces[n % len(spaces)] + "." + spaces[-n % len(spaces)] if n < len(parts) - 1 else "")
        for n, part in enumerate(parts)
    )


@given(
    st.integers(1, 2 * MAX_KEY_PARTS),
    st.lists(st.sampled_from(["a", "b-c", '"q.r"', "'s'", "_9"]), min_size=1),
    st.lists(st.sampled_from(["", " ", "\t"]), min_size=1),
    st.booleans(),
)
def test_a_key_is_refused_exactly_when_it_has_too_many_parts(count, names, spaces, as_header):
    parts = [names[n % len(names)] + (str(n) if names[n % len(names)][0] not in "\"'" else "") for n in range(count)]
    key = dotted_key(parts, spaces)
    text = f"[{key}]\nx = 1\n" if as_header else f"{key} = 1\n"
    if count > MAX_KEY_PARTS:
        with pytest.raises(TomlError, match="dotted parts") as refused:
            check_limits(text)
        assert (refused.value.line, refused.value.column) == (1, 2 if as_header else 1)
    else:
        check_limits(text)


@given(st.lists(st.sampled_from(["array", "table"]), min_size=1, max_size=2 * MAX_NESTING), tricky_text)
def test_values_are_refused_exactly_when_nested_too_deep(kinds, leaf):
    value = tomli_w.dumps({"v": leaf})[len("v = ") :].strip()
    for kind in reversed(kinds):
        value = f"[{value}]" if kind == "array" else f"{{k = {value}}}"
    text = f"x = {value}\n"
    if len(kinds) > MAX_NESTING:
        with pytest.raises(TomlError, match="nested more than"):
            check_limits(text)
    else:
        check_limits(text)
        assert isinstance(parse_toml(text)["x"], list | dict)
