"""The analyst's model: mentions, what a focus narrows to, claims, provenance and grading."""

from __future__ import annotations

import pytest
from conftest import MINIMAL

from briefing.analysis.claims import claims, single_source_share
from briefing.analysis.describe import grading_text, provenance
from briefing.analysis.focus import focus_target, related
from briefing.analysis.index import BriefingIndex, EntityRef
from briefing.analysis.mentions import Mentions, name_pattern
from briefing.format.reading import parse_briefing
from briefing.storage.briefing_files import load_briefing
from briefing.storage.paths import default_briefing_path


@pytest.fixture(scope="module")
def index() -> BriefingIndex:
    return BriefingIndex.build(load_briefing(default_briefing_path()).briefing)


@pytest.fixture(scope="module")
def mentions(index) -> Mentions:
    return Mentions(index)


def mentioned_words(mentions: Mentions, ref: EntityRef) -> list[str]:
    return [mentions.blocks(m.section_id)[m.block].text[m.start : m.end] for m in mentions.of(ref)]


def test_mentions_use_names_and_aliases(mentions):
    assert mentioned_words(mentions, EntityRef("actor", "hur")) == ["Ukraine’s Main Intelligence Directorate", "HUR"]


def test_mentions_are_case_insensitive_on_word_boundaries():
    pattern = name_pattern(["Russia"])
    assert [m.group() for m in pattern.finditer("RUSSIA, russia’s Russian Russia")] == ["RUSSIA", "russia", "Russia"]


def test_mentions_of_a_location_span_sections(mentions):
    found = mentions.of(EntityRef("location", "portugal"))
    assert [m.section_id for m in found] == ["at-a-glance", "logistics", "logistics"]
    assert all(w.lower() == "portugal" for w in mentioned_words(mentions, EntityRef("location", "portugal")))


def test_mentions_are_computed_once(mentions):
    ref = EntityRef("asset", "sparta")
    assert mentions.of(ref) is mentions.of(ref)


def test_focus_on_an_actor_narrows_to_its_quotes_assets_and_events(index, mentions):
    found = related(index, mentions, EntityRef("actor", "hur"))
    assert {r.id for r in found if r.kind == "quote"} == {"hur-sparta-breakdown", "hur-crew-drifting"}
    assert {r.id for r in found if r.kind == "asset"} == {"sparta", "sparta-cargo"}
    assert {r.id for r in found if r.kind == "event"} == {"sparta-breakdown", "hur-report"}


def test_focus_on_a_place_includes_what_is_near_it(index, mentions):
    found = related(index, mentions, EntityRef("location", "portugal"))
    assert EntityRef("asset", "sparta") in found
    assert EntityRef("event", "sparta-breakdown") in found
    assert EntityRef("asset", "an-124") not in found


def test_focus_on_an_asset_finds_the_quotes_that_name_it(index, mentions):
    found = related(index, mentions, EntityRef("asset", "sparta"))
    assert EntityRef("quote", "hur-sparta-breakdown") in found
    assert EntityRef("quote", "dbeibeh-foreign-forces") not in found


def test_focus_target(index):
    assert focus_target(index, EntityRef("quote", "isw-alternatives")) == EntityRef("actor", "isw")
    assert focus_target(index, EntityRef("event", "maxar-imagery")) == EntityRef("location", "hmeimim")
    assert focus_target(index, EntityRef("asset", "sparta")) == EntityRef("asset", "sparta")
    assert focus_target(index, EntityRef("asset", "nope")) is None


def test_claims_list_every_attributed_statement(index):
    found = claims(index)
    refs = {c.ref for c in found}
    assert {EntityRef("quote", q.id) for q in index.briefing.quotes} <= refs
    assert EntityRef("event", "hur-report") in refs and EntityRef("asset", "sparta") in refs
    assert EntityRef("event", "assad-overthrown") not in refs  # the article reports it itself
    dates = [c.when.date for c in found if c.when]
    assert dates == sorted(dates)
    hur = [c for c in found if c.sources == ("hur",)]
    # Two quotes, two events (the breakdown and the report) and two assets (the ship, its cargo).
    assert len(hur) == 6 and all(c.single_source for c in hur)
    assert single_source_share(found) == (len(found), len(found))


def test_provenance_of_an_asset_comes_from_its_report(index):
    pairs = dict(provenance(index.assets["sparta"], index))
    assert pairs["Reported by"] == "Main Intelligence Directorate"
    assert pairs["When"].startswith("2024-12-23 (inferred)")
    assert pairs["In section"] == "Logistical Challenges and Setbacks"
    assert pairs["Grading"] == "not graded"
    assert pairs["Rests on"] == "Main Intelligence Directorate alone"


def test_sparta_briefing_grades_nothing(index):
    graded = [e for e in index.all_entities() if getattr(e, "grading", None) is not None]
    assert graded == []


GRADED = MINIMAL.replace(
    'section = "body"\n',
    'section = "body"\ngrading = { reliability = "B", credibility = 2, note = "Own crew, first hand." }\n',
    1,
)


def test_grading_is_shown_as_the_editors_judgement():
    briefing = parse_briefing(GRADED, "graded.toml").briefing
    assert briefing is not None
    index = BriefingIndex.build(briefing)
    quote = index.quotes["crew-says"]
    text = grading_text(quote.grading)
    assert text.startswith("B2: source usually reliable, information probably true (the editor’s grading)")
    assert "Own crew, first hand." in text
    assert dict(provenance(quote, index))["Grading"] == text


@pytest.mark.parametrize(
    ("grading", "message"),
    [
        ('{ reliability = "G", credibility = 2 }', "reliability"),
        ('{ reliability = "B", credibility = 7 }', "credibility"),
        ('{ reliability = "B" }', "missing required key `credibility`"),
    ],
)
def test_bad_gradings_are_located(grading, message):
    text = MINIMAL.replace('section = "body"\n', f'section = "body"\ngrading = {grading}\n', 1)
    result = parse_briefing(text, "f.toml")
    assert not result.ok
    (problem,) = result.problems
    assert message in str(problem)
    assert problem.line == text[: text.index("grading =")].count("\n") + 1
