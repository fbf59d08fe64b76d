"""The Sparta briefing against shared/seed/article.txt itself: complete and faithful.

Everything here reads the article, not a copy of the briefing: each paragraph,
sentence, bullet and quotation of the article must be in the briefing, and
every piece of text the briefing presents as the article's must be in the
article.
"""

from __future__ import annotations

import re

import pytest
from conftest import seed_article

from briefing.format.model import BodySection, Briefing, GlanceSection, LedeSection
from briefing.storage.briefing_files import load_briefing


@pytest.fixture(scope="module")
def article() -> str:
    path = seed_article()
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    from briefing.storage.paths import default_briefing_path

    result = load_briefing(default_briefing_path())
    assert result.ok, [str(p) for p in result.problems]
    return result.briefing


def blocks(article: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n\s*\n", article) if b.strip()]


def is_heading(block: str) -> bool:
    return "\n" not in block and not block.startswith("•") and not block.endswith((".", "”", ":"))


def article_structure(article: str):
    """(headline, lede paragraphs, [(heading, items)]) read from the article's layout."""
    parts = blocks(article)
    headline, rest = parts[0], parts[1:]
    lede = []
    while rest and not is_heading(rest[0]):
        lede.append(rest.pop(0))
    sections = []
    for block in rest:
        if is_heading(block):
            sections.append((block, []))
        elif block.startswith("•"):
            sections[-1][1].extend(line.strip().lstrip("•").strip() for line in block.splitlines())
        else:
            sections[-1][1].append(block)
    return headline, lede, sections


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.”])\s+(?=[“A-Z])", text) if s.strip()]


def briefing_text(briefing: Briefing) -> str:
    parts = []
    for section in briefing.sections:
        parts.extend(getattr(section, "paragraphs", []))
        parts.extend(getattr(section, "bullets", []))
    return "\n".join(parts)


def test_headline(article, briefing):
    assert briefing.meta.headline == blocks(article)[0]


def test_lede_glance_and_body_sections_in_order(article, briefing):
    _headline, lede, sections = article_structure(article)
    first, *rest = briefing.sections
    assert isinstance(first, LedeSection) and first.paragraphs == lede
    assert [s.title for s in rest] == [heading for heading, _ in sections]
    for section, (heading, items) in zip(rest, sections, strict=True):
        if isinstance(section, GlanceSection):
            assert section.bullets == items, heading
        else:
            assert isinstance(section, BodySection)
            assert section.paragraphs == items, heading


def test_every_sentence_of_the_article_is_in_the_briefing(article, briefing):
    _, lede, sections = article_structure(article)
    text = briefing_text(briefing)
    every = [s for block in lede for s in sentences(block)]
    every += [s for _, items in sections for item in items for s in sentences(item)]
    assert len(every) > 25
    missing = [s for s in every if s not in text]
    assert not missing


def test_every_quotation_is_a_verbatim_quote(article, briefing):
    quoted = re.findall(r"“(.*?)”", article, flags=re.S)
    assert len(quoted) == 4
    assert sorted(q.text for q in briefing.quotes) == sorted(quoted)
    for quote in briefing.quotes:
        section = briefing.section(quote.section)
        assert any(f"“{quote.text}”" in p for p in section.paragraphs), quote.id


def test_quote_context_is_the_articles_attribution(article, briefing):
    for quote in briefing.quotes:
        assert quote.context and quote.context in article, quote.id


def article_worded_fields(briefing: Briefing):
    """Every string the format says is the article's own words."""
    for asset in briefing.assets:
        yield f"assets.{asset.id}.name", asset.name
        yield from ((f"assets.{asset.id}.aliases", a) for a in asset.aliases)
        if asset.status:
            yield f"assets.{asset.id}.status", asset.status
        yield from ((f"assets.{asset.id}.evidence", e) for e in asset.evidence)
        if asset.count and asset.count.stated:
            yield f"assets.{asset.id}.count.stated", asset.count.stated
    for actor in briefing.actors:
        yield f"actors.{actor.id}.name", actor.name
        yield from ((f"actors.{actor.id}.aliases", a) for a in actor.aliases)
    for location in briefing.locations:
        yield f"locations.{location.id}.name", location.name
        yield from ((f"locations.{location.id}.aliases", a) for a in location.aliases)
    for event in briefing.events:
        yield f"events.{event.id}.what", event.what
        if event.when.stated:
            yield f"events.{event.id}.when.stated", event.when.stated
    for quote in briefing.quotes:
        if quote.when and quote.when.stated:
            yield f"quotes.{quote.id}.when.stated", quote.when.stated


def test_nothing_presented_as_the_articles_words_is_invented(article, briefing):
    invented = [(where, text) for where, text in article_worded_fields(briefing) if text not in article]
    assert not invented


# Names the article uses for things, people and places: each must be the name
# or an alias of an entity, so the reader can reach it.
MENTIONED = {
    "assets": [
        "Antonov AN-124",
        "Ka-52",
        "S-400",
        "Hmeimim air base",
        "Khmeimim Air Base",
        "Tartus Naval Base",
        "naval facilities at Tartus",
        "troops",
        "Sparta",
        "weapons and equipment",
        "military installations",
        "diplomatic missions",
    ],
    "actors": [
        "Russia",
        "Maxar",
        "Bashar al-Assad",
        "Hayat Tahrir al-Sham",
        "HTS",
        "HUR",
        "Main Intelligence Directorate",
        "Ukraine",
        "The Kremlin",
        "Libya",
        "Abdul Hamid Dbeibeh",
        "Institute for the Study of War",
        "ISW",
        "Sudan",
        "African autocrats",
        "local entities",
        "Assad’s regime",
        "The Russian crew",
    ],
    "locations": [
        "Syria",
        "Hmeimim",
        "Khmeimim",
        "Tartus",
        "Portugal",
        "near Portugal",
        "Africa",
        "Libya",
        "Sudan",
        "Mediterranean",
    ],
}


@pytest.mark.parametrize("collection", sorted(MENTIONED))
def test_every_mentioned_entity_exists(article, briefing, collection):
    names = {n for e in getattr(briefing, collection) for n in (e.name, *e.aliases)}
    for name in MENTIONED[collection]:
        assert name in article, f"test list is wrong: {name!r} is not in the article"
        assert name in names, f"{name!r} has no entity in {collection}"


def test_every_date_the_article_gives_is_an_event(article, briefing):
    stated = {e.when.stated for e in briefing.events}
    for words in ("December 8", "December 13", "on Monday"):
        assert words in article
        assert any(s and words in s for s in stated), words


def test_article_has_no_year_so_every_date_names_outside_reporting(article, briefing):
    assert not re.search(r"\b20\d\d\b", article)
    whens = [e.when for e in briefing.events] + [q.when for q in briefing.quotes if q.when]
    for when in whens:
        assert when.basis in ("external", "editor")
        assert when.basis == "editor" or when.source


def test_monday_is_recorded_as_inferred_from_outside_reporting(briefing):
    monday = [e.when for e in briefing.events if e.when.stated == "on Monday"]
    assert monday and all(w.precision == "inferred" and w.date.isoformat() == "2024-12-23" for w in monday)


def test_editors_caveats_cover_the_headline(briefing):
    caveats = " ".join(c.text for c in briefing.meta.caveats if c.basis == "editor")
    for word in ("Soldiers", "SCHEME", "STRANDED", "International Waters"):
        assert f"“{word}”" in caveats


def test_metadata_the_article_does_not_state_is_declared_unstated(article, briefing):
    assert set(briefing.meta.unstated) == {"publication", "author", "published", "url"}
