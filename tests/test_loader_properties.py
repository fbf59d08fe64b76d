"""Property tests: whatever the input, the loader returns a model or problems."""

from __future__ import annotations

import datetime
import tomllib

import tomli_w
from conftest import MINIMAL, PER_EXAMPLE_DEADLINE_MS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.format.reading import parse_briefing, peek_meta
from briefing.storage.paths import default_briefing_path

SPARTA = default_briefing_path().read_text(encoding="utf-8")
SETTINGS = settings(max_examples=150, deadline=PER_EXAMPLE_DEADLINE_MS, suppress_health_check=[HealthCheck.too_slow])


def assert_well_formed(result, text: str | bytes) -> None:
    assert result.ok or result.problems
    if result.ok:
        return
    # Lines as TOML counts them: split at "\n" only.
    lines = text.split("\n") if isinstance(text, str) else text.split(b"\n")
    for problem in result.problems:
        assert problem.line >= 1 and problem.column >= 1
        assert problem.line <= max(len(lines), 1) + 1
        assert str(problem).startswith(f"{problem.file}:{problem.line}:{problem.column}: error: ")


@SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes(data):
    assert_well_formed(parse_briefing(data, "fuzz.toml"), data)


@SETTINGS
@given(st.text(max_size=2000))
def test_any_text(text):
    assert_well_formed(parse_briefing(text, "fuzz.toml"), text)


@SETTINGS
@given(st.sampled_from([MINIMAL, SPARTA]), st.data())
def test_text_mutations_of_a_valid_briefing(base, data):
    lines = base.splitlines(keepends=True)
    operation = data.draw(st.sampled_from(["delete", "duplicate", "insert", "truncate", "swap"]))
    i = data.draw(st.integers(0, len(lines) - 1))
    if operation == "delete":
        del lines[i]
    elif operation == "duplicate":
        lines.insert(i, lines[i])
    elif operation == "insert":
        line = lines[i]
        at = data.draw(st.integers(0, len(line)))
        lines[i] = line[:at] + data.draw(st.text(min_size=1, max_size=12)) + line[at:]
    elif operation == "truncate":
        lines = lines[:i]
    else:
        # Two lines that differ, or the swap changes nothing.
        j = data.draw(st.sampled_from([j for j, line in enumerate(lines) if line != lines[i]]))
        lines[i], lines[j] = lines[j], lines[i]
    text = "".join(lines)
    assert text != base, "every mutation changes the file"
    assert_well_formed(parse_briefing(text, "mutated.toml"), text)


toml_scalars = st.one_of(
    st.text(max_size=20),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=datetime.date(1, 1, 1)),
    st.datetimes(),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=3),
    max_leaves=6,
)


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*prefix, index))


def parent_of(document, path):
    node = document
    for part in path[:-1]:
        node = node[part]
    return node


@SETTINGS
@given(st.sampled_from([MINIMAL, SPARTA]), st.data())
def test_structural_mutations_of_a_valid_briefing(base, data):
    original = tomllib.loads(base)
    document = tomllib.loads(base)
    candidates = [p for p in paths(document) if p]
    path = data.draw(st.sampled_from(candidates))
    parent = parent_of(document, path)
    # Only operations that apply to the parent: each one changes the document.
    grow = "add-key" if isinstance(parent, dict) else "copy-sibling"
    operation = data.draw(st.sampled_from(["replace", "delete", grow]))
    if operation == "replace":
        parent[path[-1]] = data.draw(toml_values.filter(lambda value: value != parent[path[-1]]))
    elif operation == "delete":
        del parent[path[-1]]
    elif operation == "add-key":
        parent[data.draw(st.text(min_size=1, max_size=10).filter(lambda key: key not in parent))] = data.draw(
            toml_values
        )
    else:
        parent.append(parent[path[-1]])
    assert document != original, "every mutation changes the document"
    try:
        text = tomli_w.dumps(document)
    except (TypeError, ValueError):
        return  # a document TOML cannot express (e.g. a top-level array)
    assert_well_formed(parse_briefing(text, "mutated.toml"), text)


@SETTINGS
@given(st.sampled_from([MINIMAL, SPARTA]), st.integers(0, 400), st.binary(max_size=40))
def test_the_early_headline_never_disagrees_with_the_full_parse(base, cut, noise):
    """peek_meta (the loading screen's headline) never raises, and never shows
    a headline the full parse of a valid file would not."""
    data = base.encode()
    at = min(cut, len(data))
    mutated = data[:at] + noise + data[at:]
    meta = peek_meta(mutated)
    full = parse_briefing(mutated, "fuzz.toml")
    if meta is not None and full.ok:
        assert full.briefing is not None
        assert meta.headline == full.briefing.meta.headline
