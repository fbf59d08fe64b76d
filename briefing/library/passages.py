"""What of a briefing the library's index holds: its passages, and the names of its entities.

A *passage* is one piece of text a search can find and a reader can open at:

* ``headline``: the headline;
* ``text``: a block of a section as the reader lays it out (a paragraph, or the
  prose around a quote; a bullet), or a section's title (``block`` None);
* ``quote``: a quote set apart in its section (a block too), or, when its text
  is not found in its section, the quote's own text;
* ``entity``: an asset, actor or location (name, aliases, status or role, evidence,
  one per line) or an event (what happened).

Every passage keeps where its characters are written in the file
(``locate.StringLocator``), so a hit can name the line and column of the
matched word. Only the article's words are indexed, with an actor's role (the
editor's one line, the words an analyst searches by); notes, caveats and
tags are not.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from briefing.analysis.blocks import section_blocks
from briefing.format.model import Briefing, GlanceSection, Grading
from briefing.library.locate import StringLocator, piece_anchors

__all__ = ["Extract", "Passage", "PassageKind", "extract"]

PassageKind = Literal["headline", "text", "quote", "entity"]
COLLECTIONS = ("sections", "assets", "actors", "quotes", "locations", "events")


class Passage(NamedTuple):
    kind: PassageKind
    text: str
    # Flat (offset in ``text``, line, column) triples: see locate.py.
    anchors: list[int]
    section: str | None = None
    # The block's index in ``blocks.section_blocks`` of its section (None: the title).
    block: int | None = None
    ref_kind: str | None = None
    ref_id: str | None = None
    # The entity's own ``kind`` ("ship"), for ``kind:`` filters.
    sub: str | None = None
    reliability: str | None = None
    credibility: int | None = None


class Extract(NamedTuple):
    passages: list[Passage]
    # (entity kind, id, case-folded name or alias): the same entity in other briefings.
    names: list[tuple[str, str, str]]


def extract(briefing: Briefing, text: str) -> Extract:
    """The passages and names of a valid briefing parsed from ``text``."""
    counts = {collection: len(getattr(briefing, collection)) for collection in COLLECTIONS}
    locator = StringLocator(text[1:] if text.startswith("\ufeff") else text, counts)
    passages: list[Passage] = []
    headline = briefing.meta.headline
    passages.append(Passage("headline", headline, locator.strings("meta", None, [("headline", None, headline)])[0]))

    quotes_in_text: set[str] = set()
    for number, section in enumerate(briefing.sections):
        title: str | None = getattr(section, "title", None)
        field = "bullets" if isinstance(section, GlanceSection) else "paragraphs"
        items: list[str] = getattr(section, field)
        wanted: list[tuple[str, int | None, str]] = [(field, i, item) for i, item in enumerate(items)]
        if title:
            wanted.append(("title", None, title))
        located = locator.strings("sections", number, wanted)
        if title:
            passages.append(Passage("text", title, located[-1], section.id))
        cursors: dict[int, int] = {}
        for block_number, block in enumerate(section_blocks(section, briefing.quotes)):
            item = items[block.item]
            # Blocks are the item's text in order, stripped: each is found after the one before.
            start = max(item.find(block.text, cursors.get(block.item, 0)), 0)
            cursors[block.item] = start + len(block.text)
            anchors = piece_anchors(located[block.item], start, start + len(block.text), 0)
            quote = block.quote
            if quote is not None:
                quotes_in_text.add(quote.id)
                reliability, credibility = _grade(quote.grading)
                passages.append(
                    Passage(
                        "quote",
                        block.text,
                        anchors,
                        section.id,
                        block_number,
                        "quote",
                        quote.id,
                        None,
                        reliability,
                        credibility,
                    )
                )
            else:
                passages.append(Passage("text", block.text, anchors, section.id, block_number))

    for number, quote in enumerate(briefing.quotes):
        if quote.id not in quotes_in_text:
            anchors = locator.strings("quotes", number, [("text", None, quote.text)])[0]
            reliability, credibility = _grade(quote.grading)
            passages.append(
                Passage(
                    "quote", quote.text, anchors, quote.section, None, "quote", quote.id, None, reliability, credibility
                )
            )

    names: list[tuple[str, str, str]] = []
    entity = _Entities(locator, passages, names)
    for number, asset in enumerate(briefing.assets):
        fields = [("name", None, asset.name), *_each("aliases", asset.aliases)]
        if asset.status:
            fields.append(("status", None, asset.status))
        fields += _each("evidence", asset.evidence)
        entity.add("assets", number, fields, "asset", asset.id, asset.kind, asset.grading, asset.aliases)
    for number, actor in enumerate(briefing.actors):
        fields = [("name", None, actor.name), *_each("aliases", actor.aliases)]
        if actor.role:
            fields.append(("role", None, actor.role))
        entity.add("actors", number, fields, "actor", actor.id, actor.kind, None, actor.aliases)
    for number, location in enumerate(briefing.locations):
        fields = [("name", None, location.name), *_each("aliases", location.aliases)]
        entity.add("locations", number, fields, "location", location.id, location.kind, None, location.aliases)
    for number, event in enumerate(briefing.events):
        entity.add("events", number, [("what", None, event.what)], "event", event.id, None, event.grading, None)
    return Extract(passages, names)


Field = tuple[str, int | None, str]


def _each(key: str, values: list[str]) -> list[Field]:
    return [(key, number, value) for number, value in enumerate(values)]


class _Entities:
    def __init__(self, locator: StringLocator, passages: list[Passage], names: list[tuple[str, str, str]]) -> None:
        self.locator = locator
        self.passages = passages
        self.names = names

    def add(
        self,
        collection: str,
        number: int,
        fields: list[Field],
        kind: str,
        entity_id: str,
        sub: str | None,
        grading: Grading | None,
        aliases: list[str] | None,
    ) -> None:
        """One passage of an entity's fields, one per line; its names, when it has some."""
        anchors: list[int] = []
        at = 0
        for (_, _, value), located in zip(fields, self.locator.strings(collection, number, fields), strict=True):
            anchors.extend(piece_anchors(located, 0, len(value), at))
            at += len(value) + 1
        text = "\n".join(value for _, _, value in fields)
        reliability, credibility = _grade(grading)
        self.passages.append(
            Passage("entity", text, anchors, None, None, kind, entity_id, sub, reliability, credibility)
        )
        if aliases is not None:
            # Name first: an entity is known by it in other briefings, or by an alias.
            self.names.append((kind, entity_id, fields[0][2].casefold()))
            self.names.extend((kind, entity_id, alias.casefold()) for alias in aliases)


def _grade(grading: Grading | None) -> tuple[str | None, int | None]:
    """The editor's reliability and credibility of a claim, for ``credibility<=`` filters."""
    if grading is None:
        return None, None
    return grading.reliability, grading.credibility
