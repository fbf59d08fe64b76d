"""The Sparta briefing's structured layer says no more than the article (issue 13).

Each test pins one overstatement an analyst found reading the briefing beside
shared/seed/article.txt and shared/seed/FACTS.md: a link placed where the
article only says it is attempted, a date more precise than its source, a
note credited to an outlet that does not say it, a name that links the wrong
passage, a source no reader can look up.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from functools import cache

import pytest
from app_helpers import sparta
from conftest import ROOT, SEED

from briefing.analysis.index import BriefingIndex, EntityRef
from briefing.analysis.mentions import Mentions
from briefing.format.kinds import ENTITY_KINDS, link_of
from briefing.format.model import Actor, Asset, Briefing, Event, Link, Note, Position, When


def asset(entity_id: str) -> Asset:
    return next(a for a in sparta().assets if a.id == entity_id)


def actor(entity_id: str) -> Actor:
    return next(a for a in sparta().actors if a.id == entity_id)


def event(entity_id: str) -> Event:
    return next(e for e in sparta().events if e.id == entity_id)


@cache
def mentions() -> Mentions:
    return Mentions(BriefingIndex.build(sparta()))


def mentioned_text(ref: EntityRef) -> list[tuple[str, str]]:
    """(section, the block's text) of every mention of ``ref``."""
    found = mentions()
    return [(m.section_id, found.blocks(m.section_id)[m.block].text) for m in found.of(ref)]


def sources(briefing: Briefing) -> Iterator[tuple[str, str]]:
    """(where, source) of every cited source in the briefing."""
    cited: list[tuple[str, Note | When | Position | Link]] = [
        (f"meta.caveats[{i}]", note) for i, note in enumerate(briefing.meta.caveats)
    ]
    for kind in ENTITY_KINDS:
        for entity in getattr(briefing, kind.collection):
            where = f"{kind.collection}[{entity.id}]"
            cited += [(f"{where}.notes", note) for note in entity.notes]
            for field in ("when", "position"):
                value = getattr(entity, field, None)
                if value is not None:
                    cited.append((f"{where}.{field}", value))
            cited += [(f"{where}.links.{field}", link) for field, link in getattr(entity, "links", {}).items()]
    for where, value in cited:
        if value.source is not None:
            yield where, value.source


# Links


def test_the_installations_are_not_placed_in_africa_only_reportedly_headed_there():
    installations = asset("military-installations")
    link = link_of(installations, "location")
    assert link is not None and link.basis == "intended"
    assert link.hedge is not None and "reportedly" in link.hedge
    assert installations.status is not None and installations.status.startswith("reportedly")
    assert any("resistance" in line for line in installations.evidence)


@pytest.mark.parametrize(
    ("collection", "entity_id", "field"),
    [
        ("assets", "sparta", "owner"),  # "A Russian cargo ship"
        ("assets", "an-124", "owner"),
        ("assets", "ka-52", "owner"),
        ("assets", "s-400", "owner"),
        ("actors", "russian-crew", "affiliation"),  # "The Russian crew"
        ("actors", "kremlin", "affiliation"),
    ],
)
def test_links_the_article_does_not_state_say_they_are_inferred(collection, entity_id, field):
    entity = next(e for e in getattr(sparta(), collection) if e.id == entity_id)
    link = link_of(entity, field)
    assert link is not None and link.basis == "inferred" and link.note, (entity_id, field)


def test_the_hmeimim_base_is_not_credited_to_maxar():
    base = asset("hmeimim-air-base")
    # Part of its evidence ("consolidating forces around Khmeimim Air Base") is
    # the article's own claim: the Source column must not say Maxar.
    assert base.reported_by == []
    assert any("article’s own" in note.text for note in base.notes)


def test_the_diplomatic_missions_have_no_status_that_is_the_kremlins_doing():
    missions = asset("diplomatic-missions")
    assert missions.status is None
    assert any("Kremlin" in note.text for note in missions.notes)


# Dates


def test_the_breakdown_is_dated_only_as_on_or_before_hurs_report():
    when = event("sparta-breakdown").when
    assert when.on_or_before
    assert when.basis == "external" and when.source == "Kyiv Independent, 2024-12-23"
    assert when.precision != "exact"


def test_both_hur_quotes_explain_their_inferred_monday():
    quotes = {q.id: q for q in sparta().quotes}
    first, second = quotes["hur-sparta-breakdown"].when, quotes["hur-crew-drifting"].when
    assert first is not None and second is not None
    assert first.note and first.note == second.note


def test_no_date_rests_on_the_editors_word():
    for kind in ENTITY_KINDS:
        for entity in getattr(sparta(), kind.collection):
            when = getattr(entity, "when", None)
            if when is not None:
                assert when.basis != "editor", entity.id


# Roles and notes


def test_hur_is_not_called_military_intelligence_on_no_source():
    for entity_id in ("hur", "ukraine"):
        role = actor(entity_id).role or ""
        assert "military intelligence" not in role.lower(), entity_id
        assert "Main Intelligence Directorate" in role


def test_party_to_the_war_is_the_editors_judgement_not_the_kyiv_independents():
    for note in actor("hur").notes:
        if "party to the war" in note.text:
            assert note.basis == "editor" and note.source is None
        if note.source == "Kyiv Independent, 2024-12-23":
            assert "party" not in note.text
    assert any(note.source == "Ukrinform, 2024-12-23" for note in actor("hur").notes)


def test_roles_keep_the_articles_hedges_and_conditions():
    isw = actor("isw").role or ""
    assert "suggests" in isw.lower() and "could" in isw
    assert "for the purpose of training" in (actor("dbeibeh").role or "")


def test_the_soldiers_caveat_says_the_lede_claims_troops():
    caveat = sparta().meta.caveats[0].text
    assert "Soldiers" in caveat and "troops and equipment" in caveat


# Mentions


def test_military_equipment_leaving_hmeimim_is_not_the_spartas_cargo():
    texts = mentioned_text(EntityRef("asset", "sparta-cargo"))
    assert texts, "the cargo is still mentioned where the text is about it"
    assert all("from its Hmeimim air base" not in text for _, text in texts)
    assert any("Sparta" in text for _, text in texts)


def test_the_7500_troops_are_not_the_ones_the_lede_puts_on_the_ship():
    texts = mentioned_text(EntityRef("asset", "russian-troops"))
    assert [section for section, _ in texts] == ["withdrawal"]
    assert "7,500 troops" in texts[0][1]


# Sources


def test_no_source_is_a_file_of_this_repository():
    for where, source in sources(sparta()):
        assert "FACTS" not in source and "shared/" not in source and not re.search(r"\.\w{2,4}\b", source), (
            where,
            source,
        )


def test_every_outside_source_is_one_facts_md_names_for_citing():
    path = SEED / "FACTS.md"
    if not path.is_file():
        pytest.skip(f"{path} not present beside the checkout")
    facts = " ".join(path.read_text(encoding="utf-8").split())  # its lines wrap mid-name
    for where, source in sources(sparta()):
        for citation in re.split(r";\s*|,? and ", source):
            outlet = citation.split(",")[0].strip()
            assert outlet in facts, (where, outlet)
        # A dated citation gives a date FACTS.md gives for it.
        for date in re.findall(r"\d{4}-\d{2}-\d{2}(?:/\d{2})?", source):
            assert date in facts, (where, date)


# The whole of it, as `briefing check` sees it


def test_the_bundled_briefing_passes_the_strict_check_with_no_warning():
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "check", "--strict", "content/"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning" not in done.stdout + done.stderr
    assert done.stdout.strip().endswith("all valid")


def test_the_overstatements_this_issue_found_are_warned_at_their_lines(tmp_path):
    """The Sparta briefing with three of its old defects put back: each is a warning where it is."""
    from briefing.storage.paths import default_briefing_path

    text = default_briefing_path().read_text(encoding="utf-8")
    defects = [
        ('status = "reportedly attempting to transfer', 'status = "attempting to transfer'),
        (
            '\nmentions = [{ name = "military equipment", not_in = '
            '["withdrawing military equipment from its Hmeimim air base"] }]',
            "",
        ),
        ('source = "Kyiv Independent, 2024-12-23"\n\n[[assets]]', 'source = "shared/seed/FACTS.md"\n\n[[assets]]'),
    ]
    for old, new in defects:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "sparta.toml"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "check", "--strict", str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    lines = text.splitlines()

    def line_of(needle: str) -> int:
        return next(number for number, line in enumerate(lines, 1) if needle in line)

    warned = {
        line.split(": warning: ")[1].split(":")[0]: line for line in done.stdout.splitlines() if ": warning: " in line
    }
    assert set(warned) == {"assets[8].status", "assets[7].aliases[0]", "assets[6].notes[1].source"}, done.stdout
    expected_lines = {
        "assets[8].status": line_of('status = "attempting to transfer'),
        "assets[7].aliases[0]": line_of('aliases = ["military equipment"]'),
        "assets[6].notes[1].source": line_of('source = "shared/seed/FACTS.md"'),
    }
    for key, number in expected_lines.items():
        assert warned[key].startswith(f"{path}:{number}:"), warned[key]
    assert "“reportedly”" in warned["assets[8].status"]
