"""Plain-text wording for model values, shared by ``show`` and the reader.

Small pure functions: no Rich, no Textual.
"""

from __future__ import annotations

import datetime

from briefing.model import Count, Meta, Note, Position, When

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
