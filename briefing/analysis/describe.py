"""Plain-text wording for model values, shared by ``show`` and the reader.

Small pure functions: no Rich, no Textual.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import get_args

from briefing.analysis.index import BriefingIndex, Entity, EntityKind, EntityRef, display_name
from briefing.format.kinds import KIND, kind_of, link_of, referenced_ids
from briefing.format.model import (
    Actor,
    Asset,
    Count,
    Event,
    Grading,
    Link,
    Location,
    Meta,
    Note,
    Position,
    Quote,
    When,
)

UNSTATED = "not stated in the article"


def label(value: str) -> str:
    """An enum value for people: ``air_defence`` -> ``air defence``."""
    return value.replace("_", " ")


def date_text(day: datetime.date, until: datetime.date | None = None) -> str:
    if until is None or until == day:
        return day.isoformat()
    if (until.year, until.month) == (day.year, day.month):
        return f"{day.isoformat()}/{until.day:02d}"
    return f"{day.isoformat()}/{until.isoformat()}"


# Precision must read without colour too: a glyph for each.
PRECISION_GLYPH = {"exact": "●", "inferred": "◐", "approximate": "○"}

# What the article does not state itself, marked the same way in every table
# and pane (one cell wide, after the value), each mark explained by ``MARKS``.
OUTSIDE_MARK = "†"
EDITOR_MARK = "‡"
HEDGED_MARK = "?"
INTENDED_MARK = "»"
MARKS: dict[str, str] = {
    OUTSIDE_MARK: "outside reporting",
    EDITOR_MARK: "the editor’s",
    HEDGED_MARK: "hedged",
    INTENDED_MARK: "intended, not done",
}
# The same, in full, where there is room (a detail view, under a printed table).
MARKS_LONG: dict[str, str] = {
    OUTSIDE_MARK: "from outside reporting, not the article (the source is named)",
    EDITOR_MARK: "the editor’s inference or placement, not the article’s",
    HEDGED_MARK: "the article hedges it (its words are quoted)",
    INTENDED_MARK: "the article says it is intended or attempted, not done",
}
# A date or position by its basis: the article's own carries no mark.
BASIS_MARK: dict[str, str] = {"article": "", "external": OUTSIDE_MARK, "editor": EDITOR_MARK}
# A link by its basis: a stated one carries no mark.
LINK_MARK: dict[str, str] = {
    "stated": "",
    "hedged": HEDGED_MARK,
    "intended": INTENDED_MARK,
    "inferred": EDITOR_MARK,
    "external": OUTSIDE_MARK,
}


def marks_legend(marks: Iterable[str], meanings: dict[str, str] = MARKS) -> str:
    """``† outside reporting · ‡ the editor’s``: the marks given (empty ones ignored), in a fixed order."""
    used = set(marks)
    return " · ".join(f"{mark} {meaning}" for mark, meaning in meanings.items() if mark in used)


def when_date(when: When) -> str:
    """The date alone, compact: ``2024-12-19/20``, ``≤2024-12-23`` when only an upper bound is known."""
    if when.on_or_before:
        return f"≤{when.date.isoformat()}"
    return date_text(when.date, when.until)


def date_mark(when: When | None) -> str:
    """``†`` when the date (or its year) comes from outside reporting, ``‡`` when it is the editor's."""
    return BASIS_MARK[when.basis] if when is not None else ""


def when_glyph(when: When | None) -> str:
    """``◐ 2024-12-23†``: compact, for narrow columns, with its basis mark."""
    if when is None:
        return "undated"
    return f"{PRECISION_GLYPH[when.precision]} {when_date(when)}{date_mark(when)}"


def when_short(when: When | None) -> str:
    """``2024-12-23 (inferred)``, ``on or before 2024-12-23``: the date and how sure it is, in a table cell."""
    if when is None:
        return ""
    text = f"on or before {when.date.isoformat()}" if when.on_or_before else date_text(when.date, when.until)
    return text if when.precision == "exact" else f"{text} ({when.precision})"


def when_marked(when: When | None) -> str:
    """``when_short`` with the basis mark: ``2024-12-23 (inferred) †``."""
    text = when_short(when)
    mark = date_mark(when)
    return f"{text} {mark}" if text and mark else text


def when_long(when: When) -> str:
    """Everything known about a date, for a detail view: its mark is explained by the basis that follows."""
    parts = [when_marked(when)]
    if when.on_or_before:
        parts.append("only an upper bound is known")
    if when.stated:
        parts.append(f"the article says “{when.stated}”")
    parts.append(basis_text(when.basis, when.source))
    text = "; ".join(parts)
    if when.note:
        text += f". Editor: {when.note}"
    return text


RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}


def grading_short(grading: Grading | None) -> str:
    """``B2``, or an empty string when ungraded."""
    return f"{grading.reliability}{grading.credibility}" if grading else ""


def grading_text(grading: Grading | None) -> str:
    """The grading in words, labelled as the editor's judgement."""
    if grading is None:
        return "not graded"
    text = (
        f"{grading_short(grading)}: source {RELIABILITY[grading.reliability]}, "
        f"information {CREDIBILITY[grading.credibility]} (the editor’s grading)"
    )
    return f"{text}. {grading.note}" if grading.note else text


def count_text(count: Count | None) -> str:
    if count is None:
        return ""
    number = f"{count.value:,}"
    return number if count.precision == "exact" else f"≈{number}"


def position_text(position: Position | None) -> str:
    if position is None:
        return ""
    lat = f"{abs(position.lat):.2f}°{'N' if position.lat >= 0 else 'S'}"
    lon = f"{abs(position.lon):.2f}°{'E' if position.lon >= 0 else 'W'}"
    text = f"{lat} {lon}"
    if position.uncertainty_km is not None:
        text += f" ±{position.uncertainty_km:g} km"
    return text


def position_mark(position: Position | None) -> str:
    """``†`` for a position from outside reporting, ``‡`` for the editor's placement."""
    return BASIS_MARK[position.basis] if position is not None else ""


def position_basis(position: Position) -> str:
    """Where a position comes from; the editor's placement never reads as a reported one."""
    if position.basis == "editor":
        return "placed by the editor, not a reported position"
    return basis_text(position.basis, position.source)


def position_short(position: Position) -> str:
    """``39.00°N 10.50°W ±500 km (approximate) ‡``: for a small space beside its basis."""
    text = f"{position_text(position)} ({position.precision})"
    mark = position_mark(position)
    return f"{text} {mark}" if mark else text


def position_brief(position: Position) -> str:
    """``39.00°N 10.50°W ±500 km (approximate) ‡ placed by the editor``: the source left to ``position_long``."""
    basis = {"article": "stated by the article", "external": "from outside reporting", "editor": "placed by the editor"}
    return f"{position_short(position)} {basis[position.basis]}"


def position_long(position: Position) -> str:
    """Everything known about a position: its basis, its source, the editor's note (a placeholder…)."""
    text = f"{position_short(position)}; {position_basis(position)}"
    if position.note:
        text += f". Editor: {position.note}"
    return text


def basis_text(basis: str, source: str | None) -> str:
    if basis == "article":
        return "stated by the article"
    if basis == "external":
        return f"from outside reporting: {source}" if source else "from outside reporting"
    return "the editor’s inference"


def link_mark(link: Link | None) -> str:
    """The one-cell mark of a link the article does not state outright; empty for a stated one."""
    return LINK_MARK[link.basis] if link is not None else ""


def link_basis(link: Link | None) -> str:
    """How a link is known, briefly: ``hedged: “reportedly”``, ``inferred by the editor``; empty when stated.

    The article's own hedge is quoted; the editor's reason and the outside
    source are left to ``link_qualifier``.
    """
    if link is None or link.basis == "stated":
        return ""
    if link.basis == "hedged":
        return f"hedged: “{link.hedge}”" if link.hedge else "hedged by the article"
    if link.basis == "intended":
        return f"intended: “{link.hedge}”" if link.hedge else "intended or attempted, not done"
    if link.basis == "inferred":
        return "inferred by the editor"
    return "outside reporting"


def link_qualifier(link: Link | None) -> str:
    """How a link is known, in full: ``inferred by the editor: <why>``, ``outside reporting: <source>``.

    Empty for a link the article states outright.
    """
    text = link_basis(link)
    if link is None or not text:
        return ""
    if link.basis == "external" and link.source:
        text += f": {link.source}"
    if link.note:
        text += f": {link.note}" if link.basis == "inferred" else f". Editor: {link.note}"
    return text


def linked(name: str, link: Link | None) -> str:
    """A linked entry's name with how the link is known: ``Africa » (intended: “…”)``; the name alone if stated."""
    qualifier = link_qualifier(link)
    if not name or not qualifier:
        return name
    return f"{name} {link_mark(link)} ({qualifier})"


def entity_marks(entity: Entity, index: BriefingIndex) -> list[str]:
    """The marks the tables give this entity (its links, its date, its position), for a legend."""
    marks = [
        link_mark(link_of(entity, reference.field))
        for reference in kind_of(entity).references
        if referenced_ids(entity, reference)
    ]
    when = _claim_date(entity, index)
    marks.append(date_mark(when))
    if isinstance(entity, Location):
        marks.append(position_mark(entity.position))
    return [mark for mark in marks if mark]


def entry_words(index: BriefingIndex, kind: str, entry_id: str) -> str | None:
    """What a flag, a note or a grading is on, in words: ``asset “Sparta”``, ``section “Logistics”``.

    None for the briefing itself, and for what the briefing no longer holds
    (a review names things by kind and id, and the briefing may have changed).
    """
    if kind == "section":
        title = index.section_title(entry_id)
        return f"section “{title}”" if title else None
    entity_kind = _ENTITY_KINDS.get(kind)
    entity = index.get(EntityRef(entity_kind, entry_id)) if entity_kind else None
    return f"{KIND[kind].label.lower()} “{display_name(entity, index)}”" if entity is not None else None


_ENTITY_KINDS: dict[str, EntityKind] = {name: name for name in get_args(EntityKind)}


def note_text(note: Note) -> str:
    """A note with who stands behind it, so it is never taken for the article."""
    if note.basis == "external":
        return f"[outside reporting: {note.source}] {note.text}" if note.source else f"[outside reporting] {note.text}"
    return f"[editor] {note.text}"


def meta_fields(meta: Meta) -> list[tuple[str, str]]:
    """Label/value pairs for the metadata, saying plainly what the article omits."""

    def value(name: str, given: object) -> str:
        if given is None:
            return UNSTATED if name in meta.unstated else "unknown"
        return given.isoformat() if isinstance(given, datetime.date) else str(given)

    return [
        ("Publication", value("publication", meta.publication)),
        ("Author", value("author", meta.author)),
        ("Published", value("published", meta.published)),
        ("URL", value("url", meta.url)),
        ("Tags", ", ".join(meta.tags)),
    ]


def citation(entity: Entity, index: BriefingIndex) -> str:
    """Plain text for the clipboard: the entity with its attribution."""
    headline = index.briefing.meta.headline
    if isinstance(entity, Quote):
        speaker = index.actors.get(entity.speaker)
        who = speaker.name if speaker else entity.speaker
        if speaker and speaker.aliases:
            who += f" ({speaker.aliases[0]})"
        parts = [f"“{entity.text}”", f"— {who}"]
        if entity.when:
            basis = basis_text(entity.when.basis, entity.when.source)
            parts.append(f"Date: {when_short(entity.when)}; {basis}")
        parts.append(f"In: {headline}, section “{index.section_title(entity.section)}”")
        return "\n".join(parts)
    lines = [f"{display_name(entity, index)} ({_kind_of(entity)})"]
    for name, value in entity_fields(entity, index) + provenance(entity, index):
        lines.append(f"{name}: {value}")
    lines.append(f"Source: {headline}")
    return "\n".join(lines)


def _kind_of(entity: Entity) -> str:
    kind = getattr(entity, "kind", None)
    return label(kind) if kind else type(entity).__name__.lower()


def entity_fields(entity: Entity, index: BriefingIndex) -> list[tuple[str, str]]:
    """Label/value pairs of an entity's own fields, names resolved, empty ones left out.

    Who reported a claim, when and where the article tells it are in ``provenance``.
    """
    pairs: list[tuple[str, str]] = []

    def add(name: str, value: str | None) -> None:
        if value:
            pairs.append((name, value))

    def actors(ids: list[str], field: str) -> str:
        return linked(", ".join(index.actor_name(i) for i in ids), link_of(entity, field))

    def place(location_id: str | None, field: str) -> str:
        return linked(index.location_name(location_id), link_of(entity, field))

    if isinstance(entity, Asset):
        add("Kind", label(entity.kind))
        add("Also called", ", ".join(entity.aliases))
        add(
            "Count",
            count_text(entity.count) + (f" (“{entity.count.stated}”)" if entity.count and entity.count.stated else ""),
        )
        add("Status", entity.status)
        add("Location", place(entity.location, "location"))
        add("Owner", linked(index.actor_name(entity.owner), link_of(entity, "owner")))
    elif isinstance(entity, Actor):
        add("Kind", label(entity.kind))
        add("Also called", ", ".join(entity.aliases))
        add("Role (editor)", entity.role)
        add("Affiliation", linked(index.actor_name(entity.affiliation), link_of(entity, "affiliation")))
    elif isinstance(entity, Quote):
        add("Speaker", index.actor_name(entity.speaker))
        add("Context", entity.context)
    elif isinstance(entity, Location):
        add("Kind", label(entity.kind))
        add("Also called", ", ".join(entity.aliases))
        add("Within", place(entity.within, "within"))
        add("Near", place(entity.near, "near"))
        add("Position", position_long(entity.position) if entity.position else None)
    else:
        add("Where", place(entity.where, "where"))
        add("Who", actors(entity.actors, "actors"))
    return pairs


def _claim_date(entity: Entity, index: BriefingIndex) -> When | None:
    """The date of a quote or an event, or of the report an asset comes from."""
    if isinstance(entity, Quote | Event):
        return entity.when
    if isinstance(entity, Asset):
        report = next((index.events[e] for e in entity.reported_in if e in index.events), None)
        return report.when if report else None
    return None


def provenance(entity: Entity, index: BriefingIndex) -> list[tuple[str, str]]:
    """Where a claim comes from: who reported it (and how that is known), when, in which section, how graded."""
    reporters: list[str]
    section: str | None
    if isinstance(entity, Quote):
        reporters, section = [entity.speaker], entity.section
    elif isinstance(entity, Event):
        reporters, section = entity.reported_by, entity.section
    elif isinstance(entity, Asset):
        report = next((index.events[e] for e in entity.reported_in if e in index.events), None)
        reporters = entity.reported_by
        section = report.section if report else None
    else:
        return []
    when = _claim_date(entity, index)
    names = ", ".join(index.actor_name(a) for a in reporters)
    pairs = [
        ("Reported by", linked(names, link_of(entity, "reported_by")) or "the article itself"),
        ("When", when_long(when) if when else "not dated"),
        ("In section", index.section_title(section) if section else "not placed"),
        ("Grading", grading_text(entity.grading)),
    ]
    if len(reporters) == 1:
        pairs.append(("Rests on", f"{index.actor_name(reporters[0])} alone"))
    return pairs
