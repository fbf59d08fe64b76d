"""The timeline: the briefing's dated events, oldest first, with how sure each date is."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content

from briefing.analysis.describe import PRECISION_GLYPH, date_mark, when_date
from briefing.analysis.index import Entity
from briefing.app.widgets.entity_table import MARK_STYLE, Cell, EntityTable
from briefing.app.widgets.messages import ShowInReader
from briefing.format.model import Event

# Precision must read differently without colour too: a glyph and a word.
PRECISION_CELL: dict[str, tuple[str, str]] = {
    precision: (f"{PRECISION_GLYPH[precision]} {word}", style)
    for precision, word, style in (
        ("exact", "exact", "bold"),
        ("inferred", "inferred", "italic ansi_yellow"),
        ("approximate", "approx.", "italic dim"),
    )
}


def timeline_order(events: Sequence[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.when.date, e.when.until or e.when.date))


class TimelinePane(EntityTable):
    KIND = "event"
    PANE_TITLE = "Timeline"
    # Date: ``2024-12-19/20`` and its basis mark (``†`` outside reporting, ``‡`` the editor's).
    COLUMNS = (("Date", 14), ("Precision", 11), ("What", 47), ("Where", 18), ("Reported by", 14))
    LINKS = ("where", "reported_by")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Read it", tooltip="Jump to the section where the article tells it"),
    ]

    def entities(self) -> Sequence[Entity]:
        return timeline_order(self.index.briefing.events)

    def cells(self, entity: Entity) -> Sequence[Cell]:
        assert isinstance(entity, Event)
        label, style = PRECISION_CELL[entity.when.precision]
        return (
            Content.assemble(
                (when_date(entity.when), "italic" if entity.when.precision != "exact" else ""),
                (date_mark(entity.when), MARK_STYLE),
            ),
            Content.styled(label, style),
            entity.what,
            self.linked(entity, "where", self.index.location_name(entity.where), "Where"),
            self.linked(
                entity,
                "reported_by",
                ", ".join(self.index.actor_short_name(a) for a in entity.reported_by),
                "Reported by",
            ),
        )

    def row_marks(self, entity: Entity) -> Iterable[str]:
        assert isinstance(entity, Event)
        yield date_mark(entity.when)
        yield from super().row_marks(entity)

    def action_open(self) -> None:
        ref = self.selected
        event = self.index.events.get(ref.id) if ref else None
        if event is None:
            return
        if event.section is None:
            self.notify("The article does not place this event in a section", severity="warning")
            return
        self.post_message(ShowInReader(event.section, mark=event.what))
