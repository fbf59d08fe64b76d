"""Properties of the review store and its exchange format, for any review an analyst could make.

Round trip: a fresh store that imports an export exports the same document.
Import is idempotent and merges without duplicates; two stores that import
each other's exports hold the same review. Any text survives, controls and
NUL included. Whatever ``from_json`` accepts, the store takes; anything else
is an ``ExchangeError``, never another exception.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.storage.review import (
    CREDIBILITIES,
    FLAGS,
    MAX_NOTE_CHARS,
    RELIABILITIES,
    TARGET_KINDS,
    Anchor,
    MergeReport,
    ReviewStore,
    StoreError,
    Target,
)
from briefing.storage.review_exchange import (
    MAX_DOCUMENT_BYTES,
    SCHEMA_PATH,
    ExchangeError,
    ReviewDocument,
    build_schema,
    export_document,
    from_json,
    import_document,
    to_json,
)

# Any character a file can hold: controls, NUL, bidi, astral planes; not lone surrogates.
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
KEYS = st.sampled_from(["sparta", "2024/kyiv", "dir with space/ünï"]) | st.text(
    st.characters(codec="utf-8"), min_size=1, max_size=12
)
IDS = st.sampled_from(["lede", "body", "hur", "q-1"]) | st.text(st.characters(codec="utf-8"), min_size=1, max_size=8)


@st.composite
def targets(draw: st.DrawFn) -> Target:
    kind = draw(st.sampled_from(TARGET_KINDS))
    return Target(draw(KEYS), kind, "" if kind == "briefing" else draw(IDS))


ANCHORS = st.none() | st.builds(
    Anchor,
    section=IDS,
    exact=st.text(st.characters(codec="utf-8"), min_size=1, max_size=30),
    prefix=ANY_TEXT,
    suffix=ANY_TEXT,
)
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("note"), targets(), ANY_TEXT, ANCHORS),
        st.tuples(st.just("flag"), targets(), st.sampled_from([flag.name for flag in FLAGS])),
        st.tuples(st.just("read"), KEYS, IDS, st.booleans()),
        st.tuples(
            st.just("grade"),
            targets(),
            st.sampled_from((None, *RELIABILITIES)),
            st.sampled_from((None, *CREDIBILITIES)),
        ),
        st.tuples(st.just("edit"), st.integers(0, 30), ANY_TEXT),
        st.tuples(st.just("delete"), st.integers(0, 30)),
    ),
    max_size=12,
)

STORE_SETTINGS = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])


@contextlib.contextmanager
def fresh_store() -> Iterator[ReviewStore]:
    # In memory-backed /dev/shm where there is one: each change is fsynced, which a disk makes slow.
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with (
        tempfile.TemporaryDirectory(dir=base) as directory,
        ReviewStore.open(Path(directory) / "briefing" / "review.sqlite3") as store,
    ):
        assert not store.read_only, store.problem
        yield store


def apply(store: ReviewStore, operations: list[tuple]) -> None:
    notes: list[str] = []
    for operation in operations:
        match operation:
            case ("note", target, body, anchor):
                notes.append(store.add_note(target, body, anchor).id)
            case ("flag", target, flag):
                store.toggle_flag(target, flag)
            case ("read", key, section, read):
                store.set_read(key, section, read)
            case ("grade", target, reliability, credibility):
                store.set_grading(target, reliability, credibility)
            case ("edit", index, body) if notes:
                with contextlib.suppress(StoreError):  # a deleted note
                    store.update_note(notes[index % len(notes)], body)
            case ("delete", index) if notes:
                store.delete_note(notes[index % len(notes)])


def without_time(document: ReviewDocument) -> ReviewDocument:
    return msgspec.structs.replace(document, exported="2000-01-01T00:00:00Z")


def entries(document: ReviewDocument) -> int:
    return sum(
        len(review.read)
        + sum(len(flagged.flags) for flagged in review.flags)
        + len(review.notes)
        + len(review.gradings)
        for review in document.briefings.values()
    )


@STORE_SETTINGS
@given(OPERATIONS)
def test_a_fresh_store_that_imports_an_export_exports_it_again(operations):
    with fresh_store() as store:
        apply(store, operations)
        exported = export_document(store)
    data = to_json(exported)
    assert from_json(data) == exported
    with fresh_store() as copy:
        report = import_document(copy, from_json(data))
        again = export_document(copy)
        assert without_time(again) == without_time(exported)
        # Byte for byte, but for the time of the export.
        assert to_json(without_time(again)) == to_json(without_time(exported))
        assert report.unchanged == 0
        # A second import finds everything there already.
        assert import_document(copy, from_json(data)) == MergeReport(unchanged=entries(exported))
        assert without_time(export_document(copy)) == without_time(exported)


@STORE_SETTINGS
@given(OPERATIONS, OPERATIONS)
def test_two_stores_that_import_each_other_hold_the_same_review_without_duplicates(mine, theirs):
    with fresh_store() as first, fresh_store() as second:
        apply(first, mine)
        apply(second, theirs)
        first_alone, second_alone = export_document(first), export_document(second)
        import_document(first, second_alone)
        import_document(second, first_alone)
        merged = without_time(export_document(first))
        assert merged == without_time(export_document(second))
        for review in merged.briefings.values():
            ids = [note.id for note in review.notes]
            assert len(ids) == len(set(ids))
            assert len(review.read) == len(set(review.read))
            assert len({flagged.on for flagged in review.flags}) == len(review.flags)
        # The union of both: every note of each is in it.
        every = {note.id for doc in (first_alone, second_alone) for r in doc.briefings.values() for note in r.notes}
        assert {note.id for r in merged.briefings.values() for note in r.notes} == every


NEAR_THE_LIMIT = st.builds(
    lambda unit, offset: (unit * (MAX_NOTE_CHARS // len(unit) + 9))[: MAX_NOTE_CHARS + offset],
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=4),
    st.integers(-8, 8),
)


@STORE_SETTINGS
@given(targets(), NEAR_THE_LIMIT)
def test_notes_near_the_limit_are_saved_whole_or_refused_whole(target, body):
    with fresh_store() as store:
        if len(body) <= MAX_NOTE_CHARS:
            note = store.add_note(target, body)
            assert store.notes(target.briefing) == [note]
            (exported,) = export_document(store).briefings.values()
            assert exported.notes[0].body == body
        else:
            with pytest.raises(StoreError, match="at most 65,536 characters"):
                store.add_note(target, body)
            assert store.notes(target.briefing) == []


def valid_document() -> dict:
    return {
        "format": "briefing-review",
        "version": 1,
        "exported": "2024-12-23T10:00:00Z",
        "briefings": {
            "sparta": {
                "read": ["lede"],
                "flags": [{"on": {"kind": "quote", "id": "q1"}, "flags": ["important", "verified"]}],
                "notes": [
                    {
                        "id": "0123456789abcdef0123456789abcdef",
                        "on": {"kind": "section", "id": "body"},
                        "body": "a note",
                        "anchor": {"section": "body", "exact": "words", "prefix": "", "suffix": ""},
                        "created": "2024-12-23T10:00:00Z",
                        "updated": "2024-12-23T10:00:00Z",
                    }
                ],
                "gradings": [
                    {"on": {"kind": "quote", "id": "q1"}, "reliability": "B", "updated": "2024-12-23T10:00:00Z"}
                ],
            }
        },
    }


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12,
)


def paths_of(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths_of(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths_of(value, (*prefix, index))


def replaced(node, path, value):
    if not path:
        return value
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[path[0]] = replaced(node[path[0]], path[1:], value)
    return copy


@settings(max_examples=300)
@given(st.data())
def test_a_changed_document_is_accepted_whole_or_refused_with_a_location(data):
    document = valid_document()
    path = data.draw(st.sampled_from(list(paths_of(document))))
    changed = replaced(document, path, data.draw(JSON_VALUES))
    try:
        parsed = from_json(json.dumps(changed).encode())
    except ExchangeError as error:
        message = str(error)
        assert "\n" not in message and message
        return
    # Whatever is accepted, the store takes.
    with fresh_store() as store:
        import_document(store, parsed)
        assert import_document(store, parsed).unchanged == entries(parsed)


@settings(max_examples=200)
@given(st.binary(max_size=200) | JSON_VALUES.map(lambda value: json.dumps(value).encode()))
def test_anything_that_is_not_a_document_is_an_exchange_error(data):
    with pytest.raises(ExchangeError):
        from_json(data)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("format",), "not a review document (its format is 'other'"),
        (("version",), "a review document of version 2; this briefing reads version 1"),
        (
            ("briefings", "sparta", "flags", 0, "flags", 1),
            "Invalid enum value 'urgent' - at `$.briefings[...].flags[0].flags[1]`",
        ),
        (
            ("briefings", "sparta", "gradings", 0, "reliability"),
            "Invalid enum value 'G' - at `$.briefings[...].gradings[0].reliability`",
        ),
        (
            ("briefings", "sparta", "notes", 0, "body"),
            "Expected `str`, got `int` - at `$.briefings[...].notes[0].body`",
        ),
        (
            ("briefings", "sparta", "notes", 0, "created"),
            "not a real time - at `$.briefings['sparta'].notes[0].created`",
        ),
        (
            ("briefings", "sparta", "notes", 0, "on", "id"),
            "the briefing itself has no id - at `$.briefings['sparta'].notes[0].on`",
        ),
    ],
    ids=["format", "version", "flag", "reliability", "body-type", "bad-date", "briefing-with-id"],
)
def test_a_wrong_document_is_refused_with_what_and_where(change, words):
    values = {
        ("format",): "other",
        ("version",): 2,
        ("briefings", "sparta", "flags", 0, "flags", 1): "urgent",
        ("briefings", "sparta", "gradings", 0, "reliability"): "G",
        ("briefings", "sparta", "notes", 0, "body"): 7,
        ("briefings", "sparta", "notes", 0, "created"): "2024-02-30T10:00:00Z",
    }
    document = valid_document()
    if change[-1] == "id" and change[-2] == "on":
        document["briefings"]["sparta"]["notes"][0]["on"] = {"kind": "briefing", "id": "x"}
    else:
        document = replaced(document, change, values[change])
    with pytest.raises(ExchangeError) as refused:
        from_json(json.dumps(document).encode())
    assert words in str(refused.value)


def test_a_huge_note_in_a_document_is_refused_where_it_is():
    document = valid_document()
    document["briefings"]["sparta"]["notes"][0]["body"] = "x" * (MAX_NOTE_CHARS + 1)
    with pytest.raises(ExchangeError, match=r"length <= 65536 - at `\$\.briefings\[\.\.\.\]\.notes\[0\]\.body`"):
        from_json(json.dumps(document).encode())


def test_a_document_over_the_size_limit_is_not_parsed():
    with pytest.raises(ExchangeError, match="over 64 MiB, the most a review document may be"):
        from_json(b" " * (MAX_DOCUMENT_BYTES + 1))


# The JSON Schema shipped for the document


def test_the_shipped_schema_is_current():
    shipped = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert shipped == build_schema(), "run `python -m briefing.storage.review_exchange` to regenerate"


def test_the_schema_says_what_the_decoder_enforces():
    definitions = build_schema()["$defs"]
    root = definitions["ReviewDocument"]
    assert root["properties"]["format"] == {"enum": ["briefing-review"]}
    assert root["properties"]["version"] == {"enum": [1]}
    assert root["additionalProperties"] is False and set(root["required"]) == {"format", "version", "exported"}
    assert definitions["Note"]["properties"]["body"]["maxLength"] == MAX_NOTE_CHARS
    assert sorted(definitions["Flagged"]["properties"]["flags"]["items"]["enum"]) == sorted(flag.name for flag in FLAGS)
    assert definitions["Anchor"]["properties"]["exact"] == {"type": "string", "minLength": 1, "maxLength": 4096}


@pytest.mark.parametrize("where", ["format", "unknown-field", "inside-a-document"])
def test_values_nested_a_million_deep_are_refused_not_a_crash(where):
    deep = b"[" * 1_000_000 + b"]" * 1_000_000
    head = b'"format": "briefing-review", "version": 1, "exported": "2024-12-23T10:00:00Z"'
    data = {
        "format": b'{"format": ' + deep + b"}",
        "unknown-field": b'{"x": ' + deep + b', "format": "briefing-review"}',
        "inside-a-document": b"{" + head + b', "briefings": {"sparta": {"read": ' + deep + b"}}}",
    }[where]
    with pytest.raises(ExchangeError):
        from_json(data)
