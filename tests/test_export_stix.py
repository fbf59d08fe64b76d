"""The STIX 2.1 export: a bundle stix2-validator accepts, offline, the same bytes every time (docs/stix.md).

The Sparta bundle is pinned at ``tests/golden/sparta.stix.json``. After a
deliberate change to the export, rewrite it and read the diff like code:

    BRIEFING_REGENERATE_GOLDEN=1 pytest tests/test_export_stix.py -k golden

Every test here runs with the network shut (``offline``): a socket that tries
to connect raises, so a validator that fetched a schema would fail the test.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections import Counter

import msgspec
import pytest
from conftest import MINIMAL, ROOT
from stix2validator import ValidationOptions, validate_string
from stix2validator.v21.enums import CHECK_CODES

from briefing.analysis.index import BriefingIndex, outgoing
from briefing.export import ExportSubject
from briefing.export.stix import EXTENSIONS, NAMESPACE, render
from briefing.format.model import Briefing
from briefing.format.reading import parse_briefing
from briefing.storage.review import Anchor
from briefing.storage.review_exchange import Flagged, Grading, Note, On, ReviewOfBriefing

GOLDEN = ROOT / "tests" / "golden" / "sparta.stix.json"
SPARTA = ROOT / "content" / "sparta.toml"


class NetworkUsed(AssertionError):
    """Something tried to reach the network."""


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """No connection can be made: the export and the validator must work with what is on disk."""

    def refuse(*args, **kwargs):
        raise NetworkUsed(f"a connection was attempted: {args[1:] or args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def load(text: str) -> Briefing:
    result = parse_briefing(text, "briefing.toml")
    assert result.ok, result.problems[:3]
    return result.briefing


@pytest.fixture(scope="module")
def sparta() -> Briefing:
    return load(SPARTA.read_text(encoding="utf-8"))


def export(briefing: Briefing, key: str = "sparta", review: ReviewOfBriefing | None = None) -> bytes:
    return render(ExportSubject(briefing, key, review))


def objects(data: bytes) -> list[dict]:
    bundle = json.loads(data)
    assert bundle["type"] == "bundle"
    return bundle["objects"]


def by_id(data: bytes) -> dict[str, dict]:
    return {item["id"]: item for item in objects(data)}


def of_entry(data: bytes, kind: str, entry_id: str) -> dict:
    """The object that stands for an entry of the briefing (its provenance names it)."""
    found = [item for item in objects(data) if provenance(item).get("entry") == {"kind": kind, "id": entry_id}]
    main = [item for item in found if "claim" not in item.get("labels", [])]
    assert len(main) == 1, found
    return main[0]


def claim_of(data: bytes, kind: str, entry_id: str) -> dict:
    """The note of an entry's claim."""
    (claim,) = (
        item
        for item in objects(data)
        if provenance(item).get("entry") == {"kind": kind, "id": entry_id} and "claim" in item.get("labels", [])
    )
    return claim


def provenance(item: dict) -> dict:
    (extension,) = (e for e in EXTENSIONS if e.name == "x-briefing-provenance")
    return item.get("extensions", {}).get(extension.id, {})


def warning_checks(data: bytes) -> tuple[list[str], Counter[str]]:
    """The validator's errors, and its warnings counted by the name of the check that gave them."""
    results = validate_string(data.decode("ascii"), ValidationOptions(version="2.1", enforce_refs=True))
    errors = [str(error) for error in results.errors]
    checks: Counter[str] = Counter()
    for warning in results.warnings:
        code = re.search(r"\{(\d+)\}", warning)
        checks[CHECK_CODES[code.group(1)] if code else warning] += 1
    return errors, checks


def assert_valid(data: bytes, *, hashless_urls: int = 0) -> None:
    """No error, and no warning but one uuid-check per object and the bundle (and one per hashless url)."""
    errors, checks = warning_checks(data)
    assert errors == []
    # The ids are UUIDv5, named so that a re-export is the same bundle, where STIX recommends random UUIDv4.
    expected = {"uuid-check": len(objects(data)) + 1}
    if hashless_urls:
        # The article's address, when it is given: the briefing does not hold the page's bytes to hash.
        expected["extref-hashes"] = hashless_urls
    assert checks == expected


def assert_references_resolve(data: bytes) -> None:
    ids = by_id(data)
    assert len(ids) == len(objects(data)), "an id is used twice"
    for item in ids.values():
        if item["type"] == "relationship":
            assert item["source_ref"] in ids and item["target_ref"] in ids, item
        for ref in [item.get("created_by_ref"), *item.get("object_refs", [])]:
            assert ref is None or ref in ids, (item["id"], ref)


# -- the network is shut ---------------------------------------------------------------------------


def test_the_offline_fixture_refuses_every_connection():
    with pytest.raises(NetworkUsed):
        socket.create_connection(("example.invalid", 80))
    with socket.socket() as sock, pytest.raises(NetworkUsed):
        sock.connect(("127.0.0.1", 9))


# -- the Sparta bundle ------------------------------------------------------------------------------


def test_the_sparta_bundle_validates_with_only_the_uuid_warnings(sparta):
    assert_valid(export(sparta))


def test_the_sparta_bundle_is_pinned_by_its_golden_file(sparta):
    """``BRIEFING_REGENERATE_GOLDEN=1`` rewrites the golden file instead of comparing with it."""
    data = export(sparta)
    if os.environ.get("BRIEFING_REGENERATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes(), "the STIX export changed: see this file's docstring to accept it"


def test_a_re_export_is_byte_identical_in_another_process(sparta):
    """Another process, another hash seed: nothing in the output depends on the order of a set."""
    script = (
        "import sys; from briefing.export import ExportSubject; from briefing.export.stix import render;"
        "from briefing.format.reading import parse_briefing;"
        f"b = parse_briefing(open({str(SPARTA)!r}, encoding='utf-8').read(), 'sparta.toml').briefing;"
        "sys.stdout.buffer.write(render(ExportSubject(b, 'sparta')))"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, cwd=ROOT, env=environment, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == export(sparta) == export(sparta)


def test_every_reference_of_the_sparta_bundle_is_in_it(sparta):
    assert_references_resolve(export(sparta))


def test_the_output_is_sorted_indented_ascii_json_ending_in_a_newline(sparta):
    data = export(sparta)
    assert data.isascii() and data.endswith(b"}\n")
    assert data.decode("ascii") == json.dumps(json.loads(data), sort_keys=True, indent=2) + "\n"


def test_the_report_is_the_briefing(sparta):
    data = export(sparta)
    (report,) = (item for item in objects(data) if item["type"] == "report")
    assert report["name"] == sparta.meta.headline
    assert report["description"] == sparta.sections[0].paragraphs[0]
    # The article gives no date: the epoch, said to be a placeholder.
    assert report["published"].startswith("1970-01-01T00:00:00")
    assert provenance(report)["published_unstated"] is True
    assert provenance(report)["unstated"] == ["publication", "author", "published", "url"]
    reviewless = {item["id"] for item in objects(data)} - {report["id"]}
    assert set(report["object_refs"]) == reviewless
    assert "external_references" not in report  # nothing of the outlet is stated


def test_actors_are_identities_or_threat_actors_by_kind(sparta):
    data = export(sparta)
    hur = of_entry(data, "actor", "hur")
    assert hur["type"] == "threat-actor"
    assert hur["threat_actor_types"] == ["nation-state"]
    assert hur["aliases"] == ["HUR", "Ukraine’s Main Intelligence Directorate"]
    assert of_entry(data, "actor", "hts")["type"] == "threat-actor"
    assert "threat_actor_types" not in of_entry(data, "actor", "hts")
    assert of_entry(data, "actor", "assad")["identity_class"] == "individual"
    assert of_entry(data, "actor", "russia")["identity_class"] == "organization"
    assert of_entry(data, "actor", "russian-crew")["identity_class"] == "group"
    # The role is the editor's, and says so.
    assert "Role, in the editor's words: Withdrawing" in of_entry(data, "actor", "russia")["description"]


def test_a_placeholder_position_is_no_more_precise_than_it_is(sparta):
    data = export(sparta)
    sea = of_entry(data, "location", "off-portugal")
    assert (sea["latitude"], sea["longitude"], sea["precision"]) == (39.0, -10.5, 500_000)
    assert "placed by the editor, not a reported position" in sea["description"]
    assert provenance(sea)["position"]["basis"] == "editor"
    hmeimim = of_entry(data, "location", "hmeimim")
    assert hmeimim["precision"] == 2000
    assert "from outside reporting: GeoNames" in hmeimim["description"]
    africa = of_entry(data, "location", "africa")
    assert africa["region"] == "africa"
    assert "latitude" not in africa


def test_assets_are_infrastructure_or_our_new_type(sparta):
    data = export(sparta)
    assert of_entry(data, "asset", "hmeimim-air-base")["type"] == "infrastructure"
    assert of_entry(data, "asset", "diplomatic-missions")["type"] == "infrastructure"
    troops = of_entry(data, "asset", "russian-troops")
    assert troops["type"] == "x-briefing-asset"
    assert troops["count"] == {"value": 7500, "precision": "approximate", "stated": "approximately 7,500"}
    (new_sdo,) = (e for e in EXTENSIONS if e.name == "x-briefing-asset")
    assert troops["extensions"][new_sdo.id] == {"extension_type": "new-sdo"}


def test_an_events_date_keeps_its_precision_and_basis(sparta):
    data = export(sparta)
    breakdown = of_entry(data, "event", "sparta-breakdown")
    assert breakdown["when"] == {
        "date": "2024-12-23",
        "on_or_before": True,
        "precision": "inferred",
        "basis": "external",
        "source": "Kyiv Independent, 2024-12-23",
        "note": "The breakdown itself is undated: it happened on or before HUR’s report of Monday 23 December.",
    }
    assert breakdown["description"].startswith("When: On or before 2024-12-23 (inferred); from outside reporting")
    assert of_entry(data, "event", "dbeibeh-statement")["when"]["until"] == "2024-12-20"


def relationships_of(data: bytes, source: str, target: str) -> list[dict]:
    return [
        item
        for item in objects(data)
        if item["type"] == "relationship" and {item["source_ref"], item["target_ref"]} == {source, target}
    ]


def test_links_take_the_relationship_the_spec_suggests(sparta):
    data = export(sparta)
    hur, ukraine = of_entry(data, "actor", "hur")["id"], of_entry(data, "actor", "ukraine")["id"]
    (affiliation,) = relationships_of(data, hur, ukraine)
    assert (affiliation["relationship_type"], affiliation["source_ref"]) == ("attributed-to", hur)
    base, place = of_entry(data, "asset", "hmeimim-air-base")["id"], of_entry(data, "location", "hmeimim")["id"]
    (located,) = relationships_of(data, base, place)
    assert (located["relationship_type"], located["confidence"]) == ("located-at", 85)
    # An identity does not "own" in STIX's suggestions: Russia's ownership is related-to.
    russia = of_entry(data, "actor", "russia")["id"]
    (owner,) = relationships_of(data, base, russia)
    assert owner["relationship_type"] == "related-to"
    assert owner["description"] == "Hmeimim air base — Owner: Russia. Stated by the article."


def test_a_link_the_article_does_not_state_says_so(sparta):
    data = export(sparta)
    installations = of_entry(data, "asset", "military-installations")["id"]
    (intended,) = relationships_of(data, installations, of_entry(data, "location", "africa")["id"])
    # Intended, not done: not located-at, low confidence, the article's words quoted.
    assert intended["relationship_type"] == "related-to"
    assert intended["confidence"] == 15
    assert "Intended: “reportedly attempting to transfer”" in intended["description"]
    assert provenance(intended)["link"] == {
        "field": "location",
        "basis": "intended",
        "hedge": "reportedly attempting to transfer",
    }
    (inferred,) = relationships_of(
        data, of_entry(data, "asset", "sparta")["id"], of_entry(data, "actor", "russia")["id"]
    )
    assert inferred["confidence"] == 50
    assert "Inferred by the editor: From “A Russian cargo ship”" in inferred["description"]


def test_a_link_from_outside_reporting_cites_it():
    text = MINIMAL.replace(
        'location = "sea"\n',
        'location = "sea"\nlinks.owner = { basis = "external", source = "Gazette, 2024-12-24" }\n',
        1,
    )
    data = export(load(text), "minimal")
    assert_valid(data)
    (link,) = (item for item in objects(data) if item["type"] == "relationship" and "Owner" in item["description"])
    assert link["external_references"] == [
        {"source_name": "outside reporting", "description": "The link rests on: Gazette, 2024-12-24"}
    ]


def test_every_reference_of_the_format_is_a_relationship_but_the_speaker(sparta):
    index = BriefingIndex(sparta)
    links = {(link.source, link.field, link.target) for e in index.all_entities() for link in outgoing(e)}
    expected = {link for link in links if (link[0].kind, link[1]) != ("quote", "speaker")}
    made = [provenance(item)["link"] for item in objects(export(sparta)) if item["type"] == "relationship"]
    assert len(made) == len(expected)
    assert Counter(link["field"] for link in made) == Counter(field for _, field, _ in expected)


def test_quotes_are_the_speakers_words_verbatim(sparta):
    data = export(sparta)
    quote = of_entry(data, "quote", "hur-crew-drifting")
    hur = of_entry(data, "actor", "hur")
    assert quote["type"] == "note"
    assert (
        quote["content"]
        == "The Russian crew is trying to fix the problem and is drifting in the open sea near Portugal."
    )
    assert quote["authors"] == ["Main Intelligence Directorate"]
    assert quote["object_refs"][0] == hur["id"] and quote["object_refs"][1].startswith("report--")
    assert provenance(quote)["when"]["precision"] == "inferred"


def test_claims_carry_their_provenance(sparta):
    data = export(sparta)
    claims = [item for item in objects(data) if "claim" in item.get("labels", [])]
    assert len(claims) == 4 + 5 + 5  # every quote, the events and the assets someone reported
    drifting = claim_of(data, "quote", "hur-crew-drifting")
    assert drifting["abstract"] == "Claim by Main Intelligence Directorate, resting on one source."
    assert [ref["source_name"] for ref in drifting["external_references"]] == ["article", "outside reporting"]
    assert "Kyiv Independent, Ukrinform and Newsweek" in drifting["external_references"][1]["description"]
    assert "Grading: Not graded." in drifting["content"]
    assert "confidence" not in drifting


def test_the_editors_notes_are_the_editors(sparta):
    data = export(sparta)
    notes = [item for item in objects(data) if "editor-note" in item.get("labels", [])]
    caveats = [note for note in notes if "caveat" in note["labels"]]
    assert len(caveats) == len(sparta.meta.caveats)
    assert all(note["authors"] == ["the briefing's editor"] for note in notes)
    outside = [note for note in notes if "outside-reporting" in note["labels"]]
    assert all(note["external_references"][0]["source_name"] == "outside reporting" for note in outside)
    assert all(note["abstract"] == "The editor's note, from outside reporting." for note in outside)


GRADED = MINIMAL.replace(
    'where = "sea"\n',
    'where = "sea"\nreported_by = ["navy"]\ngrading = { reliability = "B", credibility = 2, note = "Own crew." }\n',
).replace('section = "body"\n', 'section = "body"\ngrading = { reliability = "F", credibility = 6 }\n', 1)


def test_the_editors_grading_is_confidence_on_the_admiralty_scale():
    data = export(load(GRADED), "graded")
    assert_valid(data)
    claims = {provenance(item)["entry"]["kind"]: item for item in objects(data) if "claim" in item.get("labels", [])}
    assert claims["event"]["confidence"] == 70  # 2, probably true
    words = "Grading: B2: source usually reliable, information probably true (the editor’s grading). Own crew."
    assert words in claims["event"]["content"]
    assert provenance(claims["event"])["grading"] == {"reliability": "B", "credibility": 2, "note": "Own crew."}
    assert of_entry(data, "event", "breakdown")["confidence"] == 70
    assert "confidence" not in claims["quote"]  # 6, truth cannot be judged: no value


# -- hostile text -------------------------------------------------------------------------------------

NASTY = '<script>alert(1)</script> \\"quoted\\" back\\\\slash \\u0007 bell \\u001b]0;title\\u0007 \\u202e evil'
LONG_ID = "a" * 63 + "z"
HOSTILE = f'''\
format = 1

[meta]
headline = "{NASTY} headline"
publication = "cve"
author = "{NASTY}"
published = 2024-12-23
url = "javascript:alert(1)"
tags = ["{NASTY}"]

[[meta.caveats]]
text = "{NASTY} caveat"
basis = "external"
source = "capec"

[[sections]]
id = "lede"
kind = "lede"
paragraphs = ["{NASTY} lede"]

[[assets]]
id = "{LONG_ID}"
name = "{NASTY} asset"
kind = "ship"
aliases = ["{NASTY}"]
status = "{NASTY}"
owner = "{LONG_ID}"
location = "{LONG_ID}"
links.owner = {{ basis = "external", source = "{NASTY}" }}

[[assets.notes]]
text = "{NASTY} note"

[[actors]]
id = "{LONG_ID}"
name = "{NASTY} actor"
kind = "intelligence_agency"
role = "{NASTY}"

[[quotes]]
id = "{LONG_ID}"
speaker = "{LONG_ID}"
text = "{NASTY} lede"
section = "lede"

[[locations]]
id = "{LONG_ID}"
name = "{NASTY} place"
kind = "site"

[[events]]
id = "{LONG_ID}"
what = "{NASTY} event"
when = {{ date = 2024-12-23, precision = "approximate", basis = "editor", note = "{NASTY}" }}
where = "{LONG_ID}"
actors = ["{LONG_ID}"]
reported_by = ["{LONG_ID}"]
'''


def strings(value: object) -> list[str]:
    """Every string value in a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


# Keys are paths: separators, a right-to-left override, a length, bytes that are not UTF-8 (surrogate escapes).
@pytest.mark.parametrize("key", ["sparta", "../a/b\\c \u202e<script>", "k" * 500, "caf\udce9"])
def test_a_hostile_briefing_exports_and_validates(key):
    data = export(load(HOSTILE), key)
    assert_valid(data)
    assert_references_resolve(data)
    assert data.isascii()
    bundle = json.loads(data)
    # Every id is a type and a UUID, whatever the key and the names.
    ids = [item["id"] for item in bundle["objects"]]
    assert all(
        re.fullmatch(r"[a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", i) for i in ids
    )
    # The names are kept whole, as string values (the loader shows controls as stand-ins).
    assert any('<script>alert(1)</script> "quoted" back\\slash' in s for s in strings(bundle))
    # Free text never names a source or an address.
    references = [ref for item in bundle["objects"] for ref in item.get("external_references", [])]
    assert {ref["source_name"] for ref in references} == {"article", "outside reporting"}
    assert all("url" not in ref for ref in references)
    (report,) = (item for item in bundle["objects"] if item["type"] == "report")
    assert report["published"] == "2024-12-23T00:00:00Z"
    assert "Its address, as given: javascript:alert(1)" in report["external_references"][0]["description"]


def test_raw_control_characters_are_escaped_and_kept():
    """Built without the loader, so nothing has defused them: JSON escaping alone keeps the output inert."""
    document = msgspec.json.decode(msgspec.json.encode(load(MINIMAL)))
    raw = '\u001b]0;pwned\u0007\u0000\u007f\u009b\u202e<script>"\\'
    document["actors"][0]["name"] = raw
    data = export(msgspec.convert(document, Briefing), "raw")
    assert_valid(data)
    assert data.isascii() and not any(byte < 0x20 and byte != 0x0A for byte in data)
    assert of_entry(data, "actor", "navy")["name"] == raw


@pytest.mark.parametrize(
    ("address", "is_url"),
    [
        ("https://example.invalid/a?b=c#d", True),
        ("http://[::1]:8080/x%20y", True),
        ("http://example.invalid/%zz", False),
        ("http://a b/", False),
        ("http://[::1/x", False),
        ("http://example.invalid/[x]", False),
        ("https://exämple.invalid/", False),
        ("javascript:alert(1)", False),
        ("https://", False),
        ("ftp://example.invalid/", False),
    ],
)
def test_an_address_is_a_url_only_when_it_is_one(address, is_url):
    text = MINIMAL.replace(
        'unstated = ["publication", "author", "published", "url"]',
        f'unstated = ["publication", "author", "published"]\nurl = "{address}"',
    )
    data = export(load(text), "url")
    with_url = [item for item in objects(data) if any("url" in ref for ref in item.get("external_references", []))]
    assert_valid(data, hashless_urls=len(with_url))
    (report,) = (item for item in objects(data) if item["type"] == "report")
    (article,) = report["external_references"]
    if is_url:
        assert {item["type"] for item in with_url} == {"report", "note"}  # the report, the quote's claim
        assert article["url"] == address
    else:
        assert with_url == []
        assert f"Its address, as given: {address}" in article["description"]


# -- the review ---------------------------------------------------------------------------------------

NOTE_ID = "0123456789abcdef0123456789abcdef"
REVIEW = ReviewOfBriefing(
    read=["lede"],
    flags=[
        Flagged(On("quote", "hur-crew-drifting"), ["verified", "important"]),
        Flagged(On("asset", "sparta"), ["disputed"]),
    ],
    notes=[
        Note(
            id=NOTE_ID,
            on=On("asset", "sparta"),
            body="Check <b>AIS</b> data \u202e before trusting HUR.",
            anchor=Anchor("logistics", "drifting near Portugal", "currently ", " due to"),
            created="2025-01-02T10:00:00Z",
            updated="2025-01-03T11:30:00Z",
        ),
        Note(id="f" * 32, on=On("section", "lede"), body="", created="2025-01-02T10:00:00Z", updated="bad"),
        Note(
            id="e" * 32,
            on=On("actor", "gone"),
            body="An actor since removed.",
            created="2025-01-02T10:00:00Z",
            updated="2025-01-02T10:00:00Z",
        ),
    ],
    gradings=[
        Grading(on=On("event", "sparta-breakdown"), reliability="C", credibility=4, updated="2025-01-04T09:00:00Z"),
        Grading(on=On("briefing"), reliability="B", updated="2025-01-04T09:00:00Z"),
    ],
)


def test_the_review_is_the_reviewers_notes_and_opinions(sparta):
    data = export(sparta, review=REVIEW)
    assert_valid(data)
    assert_references_resolve(data)
    items = objects(data)
    (reviewer,) = (item for item in items if item["type"] == "identity" and item["name"] == "reviewer")
    reviews = [item for item in items if item.get("created_by_ref") == reviewer["id"]]
    assert len(reviews) == 3 + 3 + 2  # the notes, a verdict per flag, the gradings
    (note,) = (item for item in reviews if provenance(item).get("review", {}).get("anchor"))
    sparta_objects = [of_entry(data, "asset", "sparta")["id"], claim_of(data, "asset", "sparta")["id"]]
    assert note["content"] == "Check <b>AIS</b> data \u202e before trusting HUR."
    assert (note["authors"], note["labels"], note["object_refs"]) == (["reviewer"], ["reviewer-note"], sparta_objects)
    assert (note["created"], note["modified"]) == ("2025-01-02T10:00:00.000Z", "2025-01-03T11:30:00.000Z")
    assert "on the words “drifting near Portugal”" in note["abstract"]
    opinions = {
        (provenance(o)["review"]["on"]["id"], provenance(o)["review"].get("flag")): o
        for o in reviews
        if o["type"] == "opinion"
    }
    assert opinions[("hur-crew-drifting", "verified")]["opinion"] == "agree"
    assert opinions[("hur-crew-drifting", "important")]["opinion"] == "neutral"
    assert opinions[("sparta", "disputed")]["opinion"] == "disagree"
    assert opinions[("sparta-breakdown", None)]["opinion"] == "disagree"  # credibility 4, doubtful
    assert "C4: source fairly reliable, information doubtful" in opinions[("sparta-breakdown", None)]["explanation"]
    assert opinions[("", None)]["opinion"] == "neutral"  # the source alone graded
    # On the report, not in it: the report is the producer's.
    (report,) = (item for item in items if item["type"] == "report")
    assert not set(report["object_refs"]) & {item["id"] for item in reviews}


def test_a_review_note_on_what_the_briefing_no_longer_has_is_on_the_report(sparta):
    data = export(sparta, review=REVIEW)
    (gone,) = (item for item in objects(data) if item.get("content") == "An actor since removed.")
    assert gone["object_refs"][0].startswith("report--")
    assert "the actor “gone”, no longer in the briefing" in gone["abstract"]


def test_an_empty_review_adds_nothing(sparta):
    assert export(sparta, review=ReviewOfBriefing(read=["lede"])) == export(sparta)


def test_the_namespace_and_the_extensions_are_fixed():
    """Changing either would give every object of every export a new id: it must be deliberate."""
    assert str(NAMESPACE) == "f9b15702-b71f-48f1-9fa3-c8b69e26b60e"
    assert [e.name for e in EXTENSIONS] == [
        "x-briefing-asset",
        "x-briefing-event",
        "x-briefing-place",
        "x-briefing-provenance",
    ]
