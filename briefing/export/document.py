"""A briefing laid out as a document, once, for every format that is read by people.

The Markdown and the HTML exports render this same tree, so they say the same
things in the same order: the headline, the header facts, the editor's
caveats, the sections (quotes set apart and attributed), the entity tables,
the timeline, the claims with their provenance as footnotes, and, with
``--review``, the analyst's own marks.

Every piece of text carries a ``Style`` saying whose words it is: the
article's, the editor's (inferences, outside reporting, gradings, marks), the
analyst's (their review), or a label of ours. A renderer sets each apart as it
can (italics, a class), and escapes all of it: nothing here is markup.

Pure functions over the model, linear in the size of the briefing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Literal, NamedTuple, TypeVar

from briefing.analysis.blocks import section_blocks
from briefing.analysis.claims import Claim, claims
from briefing.analysis.describe import (
    MARKS_LONG,
    count_text,
    date_mark,
    entry_words,
    label,
    link_basis,
    link_mark,
    link_qualifier,
    marks_legend,
    meta_fields,
    note_text,
    position_long,
    position_mark,
    provenance,
    when_long,
    when_short,
)
from briefing.analysis.index import BriefingIndex, Entity, EntityRef, display_name, section_title
from briefing.format.kinds import (
    ACTOR,
    ASSET,
    EVENT,
    KIND,
    LOCATION,
    QUOTE,
    kind_of,
    link_of,
    referenced_ids,
)
from briefing.format.model import Asset, Briefing, GlanceSection, LedeSection, Link, Note, Section
from briefing.format.safetext import defuse
from briefing.storage.review import FLAG_BY_NAME
from briefing.storage.review_exchange import ReviewOfBriefing

__all__ = [
    "Block",
    "Bullets",
    "Document",
    "Facts",
    "Footnotes",
    "Heading",
    "Line",
    "NoteList",
    "Paragraph",
    "Quotation",
    "Span",
    "Style",
    "Table",
    "build_document",
]

# Whose words: the article's (verbatim), the editor's (the briefing's own
# judgement: marks, inferences, outside reporting), the analyst's review, or a
# label of the export's; "footnote" is a reference to a footnote, its text the number.
Style = Literal["article", "editor", "review", "label", "footnote"]


class Span(NamedTuple):
    text: str
    style: Style = "article"


Line = tuple[Span, ...]


class Heading(NamedTuple):
    text: str
    level: int  # 1 is the headline
    anchor: str  # a fragment id: letters, digits and hyphens only
    style: Style = "label"


class Facts(NamedTuple):
    """Label / value pairs: the header facts of the briefing."""

    rows: tuple[tuple[str, Line], ...]


class Paragraph(NamedTuple):
    line: Line


class Bullets(NamedTuple):
    items: tuple[Line, ...]


class Quotation(NamedTuple):
    """A quote set apart from its paragraph, with who said it and the footnote of its provenance."""

    text: str
    attribution: Line
    footnote: int | None = None


class Table(NamedTuple):
    columns: tuple[str, ...]
    rows: tuple[tuple[Line, ...], ...]


class NoteList(NamedTuple):
    """Notes under a table or a section: each the row it belongs to, then what it says."""

    items: tuple[Line, ...]


class Footnotes(NamedTuple):
    items: tuple[tuple[int, Line], ...]


Block = Heading | Facts | Paragraph | Bullets | Quotation | Table | NoteList | Footnotes


_E = TypeVar("_E", bound=Entity)


class Document(NamedTuple):
    title: str
    language: str
    blocks: tuple[Block, ...]


def build_document(briefing: Briefing, review: ReviewOfBriefing | None = None) -> Document:
    """The briefing as a document; with ``review``, the analyst's marks in a part of their own at the end."""
    index = BriefingIndex.build(briefing)
    found = claims(index)
    footnote_of = {claim.ref: number for number, claim in enumerate(found, start=1)}
    blocks: list[Block] = [Heading(briefing.meta.headline, 1, "top", "article")]
    blocks.extend(_header(briefing))
    for section in briefing.sections:
        blocks.extend(_section(section, index, footnote_of))
    blocks.extend(_entity_tables(briefing, index))
    blocks.extend(_claims(found, index))
    if review is not None:
        blocks.extend(_review(review, index))
    return Document(briefing.meta.headline, briefing.meta.language, tuple(blocks))


def _header(briefing: Briefing) -> Iterator[Block]:
    meta = briefing.meta
    rows = tuple((name, (Span(value),)) for name, value in meta_fields(meta) if value)
    if rows:
        yield Facts(rows)
    if meta.caveats:
        yield Heading("Editor’s caveats", 2, "caveats")
        yield NoteList(tuple(_note(note) for note in meta.caveats))


def _note(note: Note, owner: str = "") -> Line:
    """A note of the editor's (or from outside reporting), with the row it belongs to."""
    text = (Span(note_text(note), "editor"),)
    return (Span(f"{owner}: ", "label"), *text) if owner else text


def _section(section: Section, index: BriefingIndex, footnote_of: dict[EntityRef, int]) -> Iterator[Block]:
    # The lede has no heading in the article: its title is a label of ours.
    style: Style = "label" if isinstance(section, LedeSection) else "article"
    yield Heading(section_title(section), 2, f"section-{section.id}", style)
    if isinstance(section, GlanceSection):
        yield Bullets(tuple((Span(bullet),) for bullet in section.bullets))
        return
    for block in section_blocks(section, index.briefing.quotes):
        if block.kind == "quote" and block.quote is not None:
            quote = block.quote
            # The speaker alone: the article's words that attribute the quote are in the prose around it.
            attribution = (Span("— ", "label"), Span(index.actor_name(quote.speaker)))
            yield Quotation(block.text, attribution, footnote_of.get(EntityRef("quote", quote.id)))
        else:
            yield Paragraph((Span(block.text),))


class _Marks:
    """The marks a table uses, for the legend under it."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def add(self, mark: str) -> str:
        if mark:
            self.used.add(mark)
        return mark

    def legend(self) -> Iterator[Block]:
        legend = marks_legend(self.used, MARKS_LONG)
        if legend:
            yield Paragraph((Span("Marks: ", "label"), Span(legend, "editor")))


def _linked(name: str, link: Link | None, marks: _Marks) -> Line:
    """A linked entry's name, with its mark and how it is known when the article does not state it."""
    basis = link_basis(link)
    if not name or not basis:
        return (Span(name),) if name else ()
    return (Span(name), Span(f" {marks.add(link_mark(link))} ({basis})", "editor"))


def _dated(text: str, mark: str, marks: _Marks) -> Line:
    spans = [Span(text)] if text else []
    if mark:
        spans.append(Span(f" {marks.add(mark)}", "editor"))
    return tuple(spans)


def _link_notes(entity: Entity, row: str, index: BriefingIndex) -> Iterator[Line]:
    """The editor's reason or the outside source of a link, where the cell has no room for it."""
    for reference in kind_of(entity).references:
        link = link_of(entity, reference.field)
        ids = referenced_ids(entity, reference)
        target = reference.target
        if target == "section" or not ids or link_qualifier(link) == link_basis(link):
            continue
        names = ", ".join(index.name_of(EntityRef(target, i)) for i in ids)
        yield (
            Span(f"{row}, {reference.outgoing.lower()} {names} {link_mark(link)}: ", "label"),
            Span(link_qualifier(link), "editor"),
        )


def _table_blocks(title: str, anchor: str, table: Table, marks: _Marks, notes: Iterable[Line]) -> Iterator[Block]:
    yield Heading(title, 2, anchor)
    yield table
    yield from marks.legend()
    listed = tuple(notes)
    if listed:
        yield NoteList(listed)


def _entity_tables(briefing: Briefing, index: BriefingIndex) -> Iterator[Block]:
    rows: tuple[tuple[Line, ...], ...]
    notes: Iterable[Line]
    if briefing.assets:
        marks = _Marks()
        rows = tuple(
            (
                (Span(asset.name),),
                (Span(label(asset.kind), "label"),),
                (Span(count_text(asset.count)),) if asset.count else (),
                (Span(asset.status),) if asset.status else (),
                _linked(index.location_name(asset.location), link_of(asset, "location"), marks),
                _linked(index.actor_name(asset.owner), link_of(asset, "owner"), marks),
                _linked(
                    ", ".join(index.actor_name(a) for a in asset.reported_by), link_of(asset, "reported_by"), marks
                ),
            )
            for asset in briefing.assets
        )
        notes = _notes_of(briefing.assets, index, lambda asset: asset.name)
        table = Table(("Name", "Kind", "Count", "Status", "Location", "Owner", "Reported by"), rows)
        yield from _table_blocks(ASSET.title, "assets", table, marks, notes)

    if briefing.actors:
        marks = _Marks()
        rows = tuple(
            (
                (Span(actor.name),),
                (Span(label(actor.kind), "label"),),
                (Span(actor.role, "editor"),) if actor.role else (),
                _linked(index.actor_name(actor.affiliation), link_of(actor, "affiliation"), marks),
            )
            for actor in briefing.actors
        )
        notes = _notes_of(briefing.actors, index, lambda actor: actor.name)
        table = Table(("Name", "Kind", "Role (editor)", "Affiliation"), rows)
        yield from _table_blocks(ACTOR.title, "actors", table, marks, notes)

    if briefing.quotes:
        marks = _Marks()
        rows = tuple(
            (
                (Span(index.actor_name(quote.speaker)),),
                (Span(f"“{quote.text}”"),),
                (Span(quote.context),) if quote.context else (),
                _dated(when_short(quote.when), date_mark(quote.when), marks),
            )
            for quote in briefing.quotes
        )
        # Named by speaker and first words: two quotes of one speaker must not read the same.
        dates = tuple(
            (Span(f"{display_name(quote, index)}, date: ", "label"), Span(when_long(quote.when), "editor"))
            for quote in briefing.quotes
            if quote.when is not None
        )
        notes = (*dates, *_notes_of(briefing.quotes, index, lambda quote: display_name(quote, index)))
        table = Table(("Speaker", "Quote", "Context", "Date"), rows)
        yield from _table_blocks(QUOTE.title, "quotes", table, marks, notes)

    if briefing.locations:
        marks = _Marks()
        location_rows = []
        for location in briefing.locations:
            place: list[Span] = []
            if location.within:
                place += _linked(index.location_name(location.within), link_of(location, "within"), marks)
            if location.near:
                if place:
                    place.append(Span("; ", "label"))
                place.append(Span("near ", "label"))
                place += _linked(index.location_name(location.near), link_of(location, "near"), marks)
            marks.add(position_mark(location.position))
            position = (
                (
                    Span(
                        position_long(location.position),
                        "editor" if location.position.basis != "article" else "article",
                    ),
                )
                if location.position
                else (Span("no position", "label"),)
            )
            location_rows.append(
                ((Span(location.name),), (Span(label(location.kind), "label"),), tuple(place), position)
            )
        notes = _notes_of(briefing.locations, index, lambda location: location.name)
        table = Table(("Name", "Kind", "Within or near", "Position"), tuple(location_rows))
        yield from _table_blocks(LOCATION.title, "locations", table, marks, notes)

    if briefing.events:
        marks = _Marks()
        # The timeline: oldest first, as the reader shows it.
        ordered = sorted(briefing.events, key=lambda event: event.when.date)
        rows = tuple(
            (
                _dated(when_short(event.when), date_mark(event.when), marks),
                (Span(event.what),),
                _linked(index.location_name(event.where), link_of(event, "where"), marks),
                _linked(
                    ", ".join(index.actor_name(a) for a in event.reported_by), link_of(event, "reported_by"), marks
                ),
            )
            for event in ordered
        )
        dates = tuple(
            (Span(f"“{display_name(event, index)}”, date: ", "label"), Span(when_long(event.when), "editor"))
            for event in ordered
        )
        notes = (*dates, *_notes_of(ordered, index, lambda event: f"“{display_name(event, index)}”"))
        table = Table(("Date", "What", "Where", "Reported by"), rows)
        yield from _table_blocks(EVENT.title, "timeline", table, marks, notes)


def _notes_of(entities: Iterable[_E], index: BriefingIndex, row_name: Callable[[_E], str]) -> Iterator[Line]:
    """The link notes and the editor's notes of each entity of a table, named by its row."""
    for entity in entities:
        row = row_name(entity)
        yield from _link_notes(entity, row, index)
        for note in entity.notes:
            yield _note(note, row)


def _claims(found: list[Claim], index: BriefingIndex) -> Iterator[Block]:
    """Every attributed claim, with who made it; its provenance in the footnote of its number."""
    if not found:
        return
    yield Heading("Claims", 2, "claims")
    yield Paragraph(
        (
            Span(
                "What the article attributes to someone, oldest first; the footnotes say where each comes from.",
                "label",
            ),
        )
    )
    items = []
    notes = []
    for number, claim in enumerate(found, start=1):
        entity = index.get(claim.ref)
        who = ", ".join(index.actor_name(source) for source in claim.sources)
        items.append((Span(f"“{claim.text}”"), Span(" — ", "label"), Span(who), Span(str(number), "footnote")))
        if entity is not None:
            notes.append((number, _provenance_line(entity, index)))
    yield Bullets(tuple(items))
    yield Footnotes(tuple(notes))


def _provenance_line(entity: Entity, index: BriefingIndex) -> Line:
    """``Asset “Sparta”. Reported by: HUR; When: …; In section: …; Grading: not graded; Rests on: HUR alone.``"""
    kind = KIND[kind_of(entity).name].label
    named = f"{kind} “{entity.name}”. " if isinstance(entity, Asset) else f"{kind}. "
    parts: list[Span] = [Span(named, "label")]
    pairs = provenance(entity, index)
    for number, (name, value) in enumerate(pairs):
        parts += [Span(f"{name}: ", "label"), Span(value.rstrip("."), "editor")]
        parts.append(Span("." if number == len(pairs) - 1 else "; ", "label"))
    return tuple(parts)


def _review(review: ReviewOfBriefing, index: BriefingIndex) -> Iterator[Block]:
    """The analyst's own marks, in a part of their own: never mixed with the article or the editor."""
    yield Heading("Your review", 2, "review", "review")
    yield Paragraph(
        (
            Span(
                "Your own reading of this briefing, from your review store: not the article’s, nor the editor’s.",
                "review",
            ),
        )
    )
    if not (review.read or review.flags or review.gradings or review.notes):
        yield Paragraph((Span("Nothing read, flagged, graded or noted yet.", "review"),))
        return
    if review.read:
        titles = ", ".join(index.section_title(section) or defuse(section) for section in review.read)
        yield Paragraph((Span("Sections read: ", "label"), Span(titles, "review")))
    if review.flags:
        yield Heading("Your flags", 3, "review-flags", "review")
        yield Bullets(
            tuple(
                (
                    Span(", ".join(FLAG_BY_NAME[flag].label for flag in flagged.flags), "review"),
                    Span(f": {_target_name(flagged.on.kind, flagged.on.id, index)}", "label"),
                )
                for flagged in review.flags
            )
        )
    if review.gradings:
        yield Heading("Your gradings", 3, "review-gradings", "review")
        yield Bullets(
            tuple(
                (
                    Span(f"{grading.reliability or '–'}{grading.credibility or '–'}", "review"),
                    Span(f" on {_target_name(grading.on.kind, grading.on.id, index)}, {grading.updated[:10]}", "label"),
                )
                for grading in review.gradings
            )
        )
    if review.notes:
        yield Heading("Your notes", 3, "review-notes", "review")
        for note in review.notes:
            on = _target_name(note.on.kind, note.on.id, index)
            yield Paragraph((Span(f"On {on}, {note.updated[:10]}:", "label"),))
            if note.anchor is not None:
                yield Quotation(defuse(note.anchor.exact), (Span("— the passage the note is on", "label"),))
            yield Paragraph((Span(defuse(note.body).strip() or "(empty)", "review"),))


def _target_name(kind: str, target: str, index: BriefingIndex) -> str:
    """What a flag, a grading or a note is on, in words; what the briefing no longer holds is said so."""
    if kind == "briefing":
        return "the briefing"
    return entry_words(index, kind, target) or f"{defuse(kind)} “{defuse(target)}” (no longer in the briefing)"
