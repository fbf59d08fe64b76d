"""The JSON form of a briefing: written to the schema, read back exactly, refused in one located line."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import msgspec
import pytest
import tomli_w
from conftest import MINIMAL, PER_EXAMPLE_DEADLINE_MS, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from briefing.cli.check import check_file
from briefing.export import ExportSubject
from briefing.export.json_export import EPOCH, render
from briefing.format.json_form import MAX_DIGITS, encode_json
from briefing.format.limits import MAX_NESTING, MAX_VALUES
from briefing.format.model import Briefing
from briefing.format.positions import Located, Span, locate_json_keys, repeated_json_key
from briefing.format.reading import PendingLoad, parse_briefing
from briefing.storage.briefing_files import load_briefing, open_briefing, syntax_of
from briefing.storage.paths import default_briefing_path
from briefing.storage.review_exchange import Flagged, Grading, Note, On, ReviewOfBriefing, from_json

BRIEFING_SCHEMA = json.loads((ROOT / "briefing" / "briefing.schema.json").read_text(encoding="utf-8"))
REVIEW_SCHEMA = json.loads((ROOT / "briefing" / "review.schema.json").read_text(encoding="utf-8"))
SETTINGS = settings(max_examples=100, deadline=PER_EXAMPLE_DEADLINE_MS, suppress_health_check=[HealthCheck.too_slow])


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    """Draft 2020-12, with the formats checked (a `date` must be a real date)."""
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(schema: dict[str, Any], document: object) -> list[str]:
    return [f"{error.json_path}: {error.message}" for error in validator(schema).iter_errors(document)]


def from_toml(text: str) -> Briefing:
    result = parse_briefing(text, "b.toml")
    assert result.ok and result.briefing is not None, [str(problem) for problem in result.problems]
    return result.briefing


def from_json_form(data: bytes | str) -> Briefing:
    result = parse_briefing(data, "b.json", syntax="json")
    assert result.ok and result.briefing is not None, [str(problem) for problem in result.problems]
    return result.briefing


SPARTA = from_toml(default_briefing_path().read_text(encoding="utf-8"))
MINIMAL_JSON = encode_json(from_toml(MINIMAL)).decode()


# -- writing and reading back ---------------------------------------------------------------------


def test_sparta_as_json_validates_against_the_schema_and_reads_back_exactly():
    data = encode_json(SPARTA)
    assert schema_errors(BRIEFING_SCHEMA, json.loads(data)) == []
    assert from_json_form(data) == SPARTA
    assert encode_json(from_json_form(data)) == data


def test_the_json_form_is_indented_utf8_in_model_order_without_nulls_or_defaults():
    data = encode_json(SPARTA)
    text = data.decode("utf-8")
    assert text.endswith("}\n") and text.startswith('{\n  "format": 1,\n  "meta": {\n')
    # The article's curly apostrophes as themselves, not \u2019.
    assert "’" in text and "\\u2019" not in text
    document = json.loads(data)
    assert list(document) == [name for name in Briefing.__struct_fields__ if name in document]
    assert all(node_at(document, path) is not None for path in all_paths(document))
    assert '"language"' not in text, "the default language is left out"
    assert '"on_or_before": false' not in text


def test_equal_briefings_give_the_same_bytes():
    """A default written out in the file (a plain string, a Literal) is left out all the same."""
    spelled_out = (
        MINIMAL.replace('headline = "Ship breaks down"', 'headline = "Ship breaks down"\nlanguage = "en"')
        .replace('basis = "article" }', 'basis = "article", on_or_before = false }')
        .replace('kind = "military"', 'kind = "military"\naliases = []\nlinks = {}')
    )
    assert from_toml(spelled_out) == from_toml(MINIMAL)
    assert encode_json(from_toml(spelled_out)) == encode_json(from_toml(MINIMAL))


def test_the_review_member_is_left_aside_by_the_reader():
    document = json.loads(MINIMAL_JSON)
    document["review"] = {"anything": ["the reader does not look inside"]}
    assert from_json_form(json.dumps(document)) == from_toml(MINIMAL)


def test_a_json_file_is_read_by_its_suffix_through_the_cache_too(tmp_path):
    path = tmp_path / "b.JSON"
    path.write_text(MINIMAL_JSON, encoding="utf-8")
    assert syntax_of(str(path)) == "json" and syntax_of("b.toml") == "toml"
    first = load_briefing(path, cache=True)
    second = load_briefing(path, cache=True)
    assert first.ok and second.ok and first.briefing == second.briefing == from_toml(MINIMAL)
    pending = open_briefing(path, defer_from=0)
    # The loading screen of a large JSON file goes without a headline.
    assert isinstance(pending, PendingLoad) and pending.syntax == "json" and pending.preview() is None


def test_a_warning_in_a_json_file_is_located_at_its_value(tmp_path):
    overstated = MINIMAL + (
        '\n[[assets]]\nid = "cargo"\nname = "Cargo"\nkind = "equipment"\n'
        'status = "aboard"\nevidence = ["The cargo is reportedly aboard"]\n'
    )
    path = tmp_path / "b.json"
    text = encode_json(from_toml(overstated)).decode()
    path.write_text(text, encoding="utf-8")
    result, problems = check_file(str(path))
    assert result.ok
    (warning,) = problems
    assert warning.severity == "warning" and warning.key == "assets[1].status"
    assert (warning.line, warning.column) == position_of(text, '"aboard"')


# -- generated briefings: TOML → model → JSON → model ---------------------------------------------

ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True)
# Any text at all: control characters come back defused from TOML and stay so through JSON.
words = st.text(min_size=1, max_size=12)
maybe_words = st.none() | words
dates = st.dates(min_value=datetime.date(1, 1, 1))
precisions = st.sampled_from(["exact", "inferred", "approximate"])


def without_none(table: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in table.items() if value is not None and value != [] and value != {}}


@st.composite
def sourced(draw, bases: list[str]) -> dict[str, Any]:
    """A basis, with the source an external one needs."""
    basis = draw(st.sampled_from(bases))
    source = draw(words) if basis == "external" else draw(maybe_words)
    return {"basis": basis, "source": source}


@st.composite
def notes(draw) -> list[dict[str, Any]]:
    return [
        without_none({"text": draw(words), **draw(sourced(["editor", "external"]))})
        for _ in range(draw(st.integers(0, 2)))
    ]


@st.composite
def whens(draw) -> dict[str, Any]:
    date = draw(dates)
    span = draw(st.sampled_from(["day", "until", "on_or_before"]))
    until = date + datetime.timedelta(days=draw(st.integers(0, 30))) if span == "until" else None
    if until is not None and until.year > 9999:
        until = None
    return without_none(
        {
            "date": date,
            "precision": draw(precisions),
            **draw(sourced(["article", "external", "editor"])),
            "until": until,
            "on_or_before": True if span == "on_or_before" else None,
            "stated": draw(maybe_words),
            "note": draw(maybe_words),
        }
    )


@st.composite
def positions(draw) -> dict[str, Any]:
    return without_none(
        {
            "lat": draw(st.floats(-90, 90)),
            "lon": draw(st.floats(-180, 180)),
            "precision": draw(precisions),
            **draw(sourced(["article", "external", "editor"])),
            "uncertainty_km": draw(st.none() | st.floats(0, 40_075)),
            "note": draw(maybe_words),
        }
    )


gradings = st.builds(
    lambda reliability, credibility, note: without_none(
        {"reliability": reliability, "credibility": credibility, "note": note}
    ),
    st.sampled_from("ABCDEF"),
    st.integers(1, 6),
    maybe_words,
)


@st.composite
def links(draw, given: list[str]) -> dict[str, Any]:
    """Links on some of the references an entry gives, each with what its basis needs."""
    chosen = draw(st.lists(st.sampled_from(given), unique=True, max_size=2)) if given else []
    made = {}
    for field in chosen:
        basis = draw(st.sampled_from(["stated", "external", "inferred"]))
        made[field] = without_none(
            {
                "basis": basis,
                "source": draw(words) if basis == "external" else None,
                "note": draw(words) if basis == "inferred" else draw(maybe_words),
            }
        )
    return made


@st.composite
def mention_rules(draw, names: list[str], sections: list[str]) -> list[dict[str, Any]]:
    return [
        without_none(
            {"name": draw(st.sampled_from(names)), "sections": draw(st.lists(st.sampled_from(sections), max_size=2))}
        )
        for _ in range(draw(st.integers(0, 1)))
    ]


def one_of_or_none(draw, choices: list[str]) -> str | None:
    return draw(st.none() | st.sampled_from(choices)) if choices else None


def some_of(draw, choices: list[str]) -> list[str]:
    return draw(st.lists(st.sampled_from(choices), max_size=2)) if choices else []


def given_references(entry: dict[str, Any], fields: list[str]) -> list[str]:
    return [field for field in fields if entry.get(field)]


@st.composite
def valid_briefings(draw) -> dict[str, Any]:
    """A document that is a valid briefing: ids unique, every reference resolved, no loop, provenance named."""
    section_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    actor_ids = draw(st.lists(ids, max_size=3, unique=True))
    location_ids = draw(st.lists(ids, max_size=3, unique=True))
    event_ids = draw(st.lists(ids, max_size=2, unique=True))
    asset_ids = draw(st.lists(ids, max_size=2, unique=True))

    sections = []
    for section_id in section_ids:
        kind = draw(st.sampled_from(["lede", "glance", "body"]))
        section: dict[str, Any] = {"id": section_id, "kind": kind}
        if kind != "lede":
            section["title"] = draw(words)
        section["bullets" if kind == "glance" else "paragraphs"] = draw(st.lists(words, min_size=1, max_size=2))
        sections.append(section)

    unstated = [field for field in ("publication", "author", "published", "url") if draw(st.booleans())]
    meta = without_none(
        {
            "headline": draw(words),
            "publication": None if "publication" in unstated else draw(words),
            "author": None if "author" in unstated else draw(words),
            "published": None if "published" in unstated else draw(dates),
            "url": None if "url" in unstated else draw(words),
            "unstated": unstated,
            "language": draw(st.none() | st.sampled_from(["en", "uk", "fr"])),
            "tags": draw(st.lists(words, max_size=2)),
            "caveats": draw(notes()),
        }
    )

    def named(entry_id: str, kind: str) -> dict[str, Any]:
        name, aliases = draw(words), draw(st.lists(words, max_size=2))
        return {
            "id": entry_id,
            "name": name,
            "kind": kind,
            "aliases": aliases,
            "mentions": draw(mention_rules([name, *aliases], section_ids)),
            "notes": draw(notes()),
        }

    actors = []
    for index, actor_id in enumerate(actor_ids):
        actor = named(actor_id, draw(st.sampled_from(["state", "person", "military", "media"])))
        # Affiliations point back only: no loop.
        actor |= {"role": draw(maybe_words), "affiliation": one_of_or_none(draw, actor_ids[:index])}
        actor["links"] = draw(links(given_references(actor, ["affiliation"])))
        actors.append(without_none(actor))

    locations = []
    for index, location_id in enumerate(location_ids):
        location = named(location_id, draw(st.sampled_from(["country", "city", "sea_area", "base"])))
        location |= {
            "within": one_of_or_none(draw, location_ids[:index]),
            "near": one_of_or_none(draw, location_ids),
            "position": draw(st.none() | positions()),
        }
        location["links"] = draw(links(given_references(location, ["within", "near"])))
        locations.append(without_none(location))

    events = []
    for event_id in event_ids:
        event: dict[str, Any] = {
            "id": event_id,
            "what": draw(words),
            "when": draw(whens()),
            "where": one_of_or_none(draw, location_ids),
            "actors": some_of(draw, actor_ids),
            "reported_by": some_of(draw, actor_ids),
            "section": one_of_or_none(draw, section_ids),
            "grading": draw(st.none() | gradings),
            "notes": draw(notes()),
        }
        event["links"] = draw(links(given_references(event, ["where", "actors", "reported_by", "section"])))
        events.append(without_none(event))

    assets = []
    for asset_id in asset_ids:
        asset = named(asset_id, draw(st.sampled_from(["ship", "aircraft", "troops", "other"])))
        asset |= {
            "count": draw(
                st.none()
                | st.builds(
                    lambda value, precision, stated: without_none(
                        {"value": value, "precision": precision, "stated": stated}
                    ),
                    st.integers(0, 2**63 - 1),
                    st.none() | precisions,
                    maybe_words,
                )
            ),
            "status": draw(maybe_words),
            "location": one_of_or_none(draw, location_ids),
            "owner": one_of_or_none(draw, actor_ids),
            "reported_by": some_of(draw, actor_ids),
            "reported_in": some_of(draw, event_ids),
            "evidence": draw(st.lists(words, max_size=2)),
            "grading": draw(st.none() | gradings),
        }
        asset["links"] = draw(links(given_references(asset, ["owner", "location", "reported_by", "reported_in"])))
        assets.append(without_none(asset))

    quotes = []
    if actor_ids:
        for quote_id in draw(st.lists(ids, max_size=2, unique=True)):
            quote = {
                "id": quote_id,
                "speaker": draw(st.sampled_from(actor_ids)),
                "text": draw(words),
                "section": draw(st.sampled_from(section_ids)),
                "context": draw(maybe_words),
                "when": draw(st.none() | whens()),
                "grading": draw(st.none() | gradings),
                "notes": draw(notes()),
            }
            quotes.append(without_none(quote))

    return without_none(
        {
            "format": 1,
            "meta": meta,
            "sections": sections,
            "assets": assets,
            "actors": actors,
            "quotes": quotes,
            "locations": locations,
            "events": events,
        }
    )


@SETTINGS
@given(valid_briefings())
def test_generated_briefings_read_back_exactly_from_json(document):
    briefing = from_toml(tomli_w.dumps(document))
    data = encode_json(briefing)
    assert from_json_form(data) == briefing
    assert encode_json(from_json_form(data)) == data


@settings(SETTINGS, max_examples=25)
@given(valid_briefings())
def test_generated_briefings_as_json_validate_against_the_schema(document):
    assert schema_errors(BRIEFING_SCHEMA, json.loads(encode_json(from_toml(tomli_w.dumps(document))))) == []


# -- `briefing check x.json`, as a user runs it ---------------------------------------------------


def run_check(path: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "briefing", "check", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    return run, time.monotonic() - started


def position_of(text: str, fragment: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column where the nth occurrence of fragment starts."""
    offset = -1
    for _ in range(occurrence):
        offset = text.index(fragment, offset + 1)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_check_accepts_the_json_form(tmp_path):
    path = tmp_path / "sparta.json"
    path.write_bytes(encode_json(SPARTA))
    run, _ = run_check(path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1] == "1 briefing checked: all valid"


WRONG_TYPE = MINIMAL_JSON.replace('"date": "2024-12-23"', '"date": 20241223')
UNKNOWN_KEY = MINIMAL_JSON.replace('"name": "The ship",', '"name": "The ship",\n      "colour": "grey",')
DUPLICATE = MINIMAL_JSON.replace('"name": "The ship",', '"name": "The ship", "name": "The boat",')
REVIEW_NOT_AN_OBJECT = MINIMAL_JSON[: MINIMAL_JSON.rindex("}")].rstrip() + ',\n  "review": "mine"\n}\n'
DEEP = '{"format": 1, "meta": ' + "[" * 100_000 + "]" * 100_000 + "}"
MANY = '{"format": 1, "meta": [' + "0," * MAX_VALUES + "0]}"
DIGITS = MINIMAL_JSON.replace('"format": 1', '"format": 1' + "0" * 5000)
NAN = MINIMAL_JSON.replace('"format": 1', '"format": NaN')
NOT_UTF8_AT = (position_of(MINIMAL_JSON, "The ship")[0], position_of(MINIMAL_JSON, "The ship")[1] + len("The sh"))

# What is wrong, the text, where the one error is (line, column), and words of its message.
BROKEN: dict[str, tuple[str | bytes, tuple[int, int], str]] = {
    "wrong-type": (WRONG_TYPE, position_of(WRONG_TYPE, "20241223"), "events[0].when.date: wrong type"),
    "unknown-key": (UNKNOWN_KEY, position_of(UNKNOWN_KEY, '"colour"'), "assets[0].colour: unknown key `colour`"),
    "duplicate-key": (DUPLICATE, position_of(DUPLICATE, '"name"', 2), "assets[0].name: duplicate key"),
    "deep": (DEEP, (1, len('{"format": 1, "meta": ') + MAX_NESTING), f"nested more than {MAX_NESTING} deep"),
    # Five marks ({ : , : [) come before the array's commas; the one past the limit is a comma.
    "many-values": (MANY, (1, len('{"format": 1, "meta": [') + 2 * (MAX_VALUES - 5) + 2), "keys and values"),
    "digits": (DIGITS, position_of(DIGITS, "10000"), f"format: a number of more than {MAX_DIGITS:,} digits"),
    "nan": (NAN, position_of(NAN, "NaN"), "format: `NaN` is not a number"),
    "not-utf8": (MINIMAL_JSON.encode().replace(b"The ship", b"The sh\xffp"), NOT_UTF8_AT, "not valid UTF-8"),
    "top-level-array": ("\n  [1, 2, 3]\n", (2, 3), "a briefing is a JSON object (found an array of 3)"),
    "review": (REVIEW_NOT_AN_OBJECT, position_of(REVIEW_NOT_AN_OBJECT, '"mine"'), "review: not an object"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_check_gives_one_located_error_for_a_broken_json_file(tmp_path, case):
    content, (line, column), words_of_message = BROKEN[case]
    path = tmp_path / f"{case}.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    run, seconds = run_check(path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    problem, summary = run.stdout.splitlines()
    assert problem.startswith(f"{path}:{line}:{column}: error: "), problem
    assert words_of_message in problem
    assert summary == "1 briefing checked: 1 invalid, 1 problem"
    assert seconds < 20, "bounded time, whatever the file"


# -- in memory: the values JSON can say and a briefing cannot -------------------------------------


@pytest.mark.parametrize(
    ("replace", "by", "at", "message"),
    [
        ('"headline": ', '"author": null, "headline": ', "null", "meta.author: null is not a value in a briefing"),
        ('"format": 1', '"format": -Infinity', "-Infinity", "format: `-Infinity` is not a number"),
        ('"format": 1', '"format": 1e999', "1e999", "format: a number too large to hold"),
        ('"The sea"', '"The sea \\udc00"', '"The sea \\udc00"', "locations[0].name: a lone surrogate"),
        ('"The sea"', '"The sea \\ud83d\\ude00"', None, None),
    ],
)
def test_values_a_briefing_cannot_hold_are_located(replace, by, at, message):
    text = MINIMAL_JSON.replace(replace, by, 1)
    result = parse_briefing(text, "b.json", syntax="json")
    if message is None:
        assert result.ok, [str(problem) for problem in result.problems]
        return
    (problem,) = result.problems
    assert (problem.line, problem.column) == position_of(text, at)
    assert message in str(problem)


def test_a_syntax_error_is_located_without_json_saying_where_again():
    text = '{"format": 1,\n  "meta": {"headline": "x'
    (problem,) = parse_briefing(text, "b.json", syntax="json").problems
    line, column = position_of(text, '"x')
    assert str(problem) == f"b.json:{line}:{column}: error: JSON syntax: Unterminated string"


def test_the_limits_hold_for_strings_too():
    """Brackets and commas inside strings are words, not structure."""
    text = MINIMAL_JSON.replace('"The sea"', json.dumps("[{," * (MAX_VALUES + 10)))
    assert from_json_form(text).locations[0].name.startswith("[{,[{,")


# -- the locator ----------------------------------------------------------------------------------


def offset_of(text: str, span: Span) -> int:
    lines = text.split("\n")
    return sum(len(line) + 1 for line in lines[: span.line - 1]) + span.column - 1


def all_paths(document: Any) -> list[tuple[str | int, ...]]:
    found: list[tuple[str | int, ...]] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), document)]
    while stack:
        path, node = stack.pop()
        if path:
            found.append(path)
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        stack.extend(((*path, key), child) for key, child in items)
    return found


def node_at(document: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        document = document[part]
    return document


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)
layouts = st.fixed_dictionaries(
    {
        "indent": st.sampled_from([None, 0, 2, "\t"]),
        "ensure_ascii": st.booleans(),
        "separators": st.sampled_from([None, (",", ":"), (" , ", " : ")]),
    }
)


@SETTINGS
@given(json_values, layouts)
def test_the_locator_agrees_with_json_on_every_path(document, layout):
    text = json.dumps(document, **layout)
    positions = locate_json_keys(text)
    assert set(positions) == set(all_paths(document))
    decoder = json.JSONDecoder()
    for path, located in positions.items():
        value, _ = decoder.raw_decode(text, offset_of(text, located.value))
        assert value == node_at(document, path)
        if isinstance(path[-1], str):
            key, _ = decoder.raw_decode(text, offset_of(text, located.key))
            assert key == path[-1]
        else:
            assert located.key == located.value
        assert locate_json_keys(text, wanted=[path])[path] == located
    assert repeated_json_key(text) is None


# Mostly what JSON is made of, a lone surrogate and a letter beyond ASCII among it.
json_like = st.text(alphabet=st.sampled_from([*'{}[]:,"\\ \n\r\tu0aeE-.', "\ud800", "é"]), max_size=200)


@SETTINGS
@given(st.one_of(st.text(max_size=300), json_like))
def test_the_locator_never_raises_and_stays_inside_the_text(text):
    lines = text.split("\n")
    positions = locate_json_keys(text)
    repeated = repeated_json_key(text)
    spans = [span for located in positions.values() for span in (located.key, located.value)]
    if repeated is not None:
        spans += [repeated.first, repeated.again]
    for span in spans:
        assert 1 <= span.line <= len(lines)
        assert 1 <= span.column <= len(lines[span.line - 1])
        assert 0 <= offset_of(text, span) < len(text)


def test_a_repeated_key_is_found_at_its_second_writing():
    text = '{"a": {"b": 1, "c": [{"b": 2}], "\\u0062": 3}}'
    repeated = repeated_json_key(text)
    assert repeated is not None
    assert repeated.path == ("a", "b")
    assert (repeated.first, repeated.again) == (Span(1, 8), Span(1, 33))


def test_the_locator_keeps_its_own_stack():
    """Nesting far past any limit is matched bracket for bracket, without recursion, and what follows is found."""
    wrapped = '{"x": ' + "[" * 100_000 + "1" + "]" * 100_000 + ', "y": 2}'
    positions = locate_json_keys(wrapped)
    assert max(len(path) for path in positions) <= 101
    assert positions[("y",)] == Located(Span(1, wrapped.index('"y"') + 1), Span(1, wrapped.rindex("2") + 1))


# -- `briefing export --to json`, with the review -------------------------------------------------

NOTE_ID = "0123456789abcdef0123456789abcdef"
REVIEW = ReviewOfBriefing(
    read=["lede"],
    flags=[Flagged(On("asset", "ship"), ["important"])],
    notes=[
        Note(
            id=NOTE_ID,
            on=On("actor", "navy"),
            body="Check the crew's account.",
            created="2024-12-24T09:00:00Z",
            updated="2024-12-25T10:30:00Z",
        )
    ],
    gradings=[Grading(on=On("briefing"), reliability="B", credibility=2, updated="2024-12-24T12:00:00Z")],
)


def test_the_export_without_a_review_is_the_json_form():
    assert render(ExportSubject(from_toml(MINIMAL), "minimal")) == MINIMAL_JSON.encode()


def test_the_export_with_a_review_ends_with_a_review_document():
    data = render(ExportSubject(from_toml(MINIMAL), "minimal", REVIEW))
    document = json.loads(data)
    assert list(document)[-1] == "review"
    review = document.pop("review")
    # The briefing's members are those of the JSON form, in its order; the review is a review export.
    assert document == json.loads(MINIMAL_JSON)
    assert schema_errors(BRIEFING_SCHEMA, document) == []
    assert schema_errors(REVIEW_SCHEMA, review) == []
    assert review["exported"] == "2024-12-25T10:30:00Z", "the newest time of the review itself"
    imported = from_json(json.dumps(review).encode())
    assert imported.briefings == {"minimal": REVIEW}
    # Byte-stable, and still a briefing `check` reads.
    assert render(ExportSubject(from_toml(MINIMAL), "minimal", REVIEW)) == data
    assert from_json_form(data) == from_toml(MINIMAL)


def test_the_briefing_is_written_the_same_with_or_without_the_review():
    """Byte for byte, floats and dates included: the review only adds a last member."""
    alone = encode_json(SPARTA).decode()
    with_review = render(ExportSubject(SPARTA, "sparta", REVIEW)).decode()
    assert with_review.startswith(alone[: alone.rindex("}")].rstrip() + ',\n  "review": {\n')


def test_a_review_without_times_is_exported_at_the_epoch():
    data = render(ExportSubject(from_toml(MINIMAL), "minimal", ReviewOfBriefing(read=["lede"])))
    review = json.loads(data)["review"]
    assert review["exported"] == EPOCH
    assert schema_errors(REVIEW_SCHEMA, review) == []
    assert from_json(msgspec.json.encode(review)).briefings["minimal"].read == ["lede"]


def test_a_hostile_briefing_as_json_loads_validates_and_reads_back_exactly(tmp_path):
    """Markup, links, control characters and bidi overrides in every field: still the model, byte for byte."""
    from hostile_briefing import write_hostile_briefing

    source = write_hostile_briefing(tmp_path / "hostile.toml")
    original = load_briefing(source).briefing
    assert original is not None
    exported = tmp_path / "hostile.json"
    exported.write_bytes(encode_json(original))
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert schema_errors(BRIEFING_SCHEMA, document) == []
    again = load_briefing(exported)
    assert again.ok, [str(problem) for problem in again.problems]
    assert again.briefing == original
    # Nothing a terminal would act on: the loader's stand-ins, not the characters.
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", exported.read_text(encoding="utf-8"))
