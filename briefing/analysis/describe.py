"""Plain-text wording for model values, shared by ``show`` and the reader.

Small pure functions: no Rich, no Textual.
"""

from __future__ import annotations

import datetime

from briefing.analysis.index import BriefingIndex, Entity, display_name
from briefing.format.model import Actor, Asset, Count, Event, Grading, Location, Meta, Note, Position, Quote, When

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


def when_glyph(when: When | None) -> str:
    """``◐ 2024-12-23``: compact, for narrow columns."""
    if when is None:
        return "undated"
    return f"{PRECISION_GLYPH[when.precision]} {date_text(when.date, when.until)}"


def when_short(when: When | None) -> str:
    """``2024-12-23 (inferred)``: the date and how sure it is, in a table cell."""
    if when is None:
        return ""
    text = date_text(when.date, when.until)
    return text if when.precision == "exact" else f"{text} ({when.precision})"


def when_long(when: When) -> str:
    """Everything known about a date, for a detail view."""
    parts = [when_short(when)]
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


def position_long(position: Position) -> str:
    text = f"{position_text(position)} ({position.precision}); {basis_text(position.basis, position.source)}"
    if position.note:
        text += f". Editor: {position.note}"
    return text


def basis_text(basis: str, source: str | None) -> str:
    if basis == "article":
        return "stated by the article"
    if basis == "external":
        return f"from outside reporting: {source}" if source else "from outside reporting"
    return "the editor’s inference"


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
            parts.append(f"Date: {when_short(entity.when)}")
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

    def actors(ids: list[str]) -> str:
        return ", ".join(index.actor_name(i) for i in ids)

    if isinstance(entity, Asset):
        add("Kind", label(entity.kind))
        add("Also called", ", ".join(entity.aliases))
        add(
            "Count",
            count_text(entity.count) + (f" (“{entity.count.stated}”)" if entity.count and entity.count.stated else ""),
        )
        add("Status", entity.status)
        add("Location", index.location_name(entity.location))
        add("Owner", index.actor_name(entity.owner))
    elif isinstance(entity, Actor):
        add("Kind", label(entity.kind))
        add("Also called", ", ".join(entity.aliases))
        add("Role (editor)", entity.role)
        add("Affiliation", index.actor_name(entity.affiliation))
    elif isinstance(entity, Quote):
        add("Speaker", index.actor_name(entity.speaker))
        add("Context", entity.context)
    elif isinstance(entity, Location):
        add("Kind", label(entity.kind))
        add("Also called", ", ".join(entity.aliases))
        add("Within", index.location_name(entity.within))
        add("Position", position_long(entity.position) if entity.position else None)
    else:
        add("Where", index.location_name(entity.where))
        add("Who", actors(entity.actors))
    return pairs


def provenance(entity: Entity, index: BriefingIndex) -> list[tuple[str, str]]:
    """Where a claim comes from: who reported it, when, in which section, how graded."""
    reporters: list[str]
    when: When | None
    section: str | None
    if isinstance(entity, Quote):
        reporters, when, section = [entity.speaker], entity.when, entity.section
    elif isinstance(entity, Event):
        reporters, when, section = entity.reported_by, entity.when, entity.section
    elif isinstance(entity, Asset):
        report = next((index.events[e] for e in entity.reported_in if e in index.events), None)
        reporters = entity.reported_by
        when = report.when if report else None
        section = report.section if report else None
    else:
        return []
    pairs = [
        ("Reported by", ", ".join(index.actor_name(a) for a in reporters) or "the article itself"),
        ("When", when_long(when) if when else "not dated"),
        ("In section", index.section_title(section) if section else "not placed"),
        ("Grading", grading_text(entity.grading)),
    ]
    if len(reporters) == 1:
        pairs.append(("Rests on", f"{index.actor_name(reporters[0])} alone"))
    return pairs
