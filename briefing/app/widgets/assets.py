"""The assets pane: aircraft, ships, bases, troops and where they are."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from briefing.analysis.describe import count_text, label, link_mark
from briefing.analysis.index import Entity
from briefing.app.widgets.entity_table import Cell, EntityTable, column_width, marked
from briefing.format.kinds import link_of
from briefing.format.model import Asset


class AssetsPane(EntityTable):
    KIND = "asset"
    PANE_TITLE = "Assets"
    COLUMNS = (("Name", 24), ("Kind", 12), ("Count", 6), ("Status", 30), ("Location", 18), ("Source", 16))

    def entities(self) -> Sequence[Entity]:
        return self.index.briefing.assets

    def cells(self, entity: Entity) -> Sequence[Cell]:
        assert isinstance(entity, Asset)
        return (
            entity.name,
            label(entity.kind),
            count_text(entity.count),
            entity.status or "",
            marked(
                self.index.location_name(entity.location),
                link_mark(link_of(entity, "location")),
                column_width(self.COLUMNS, "Location"),
            ),
            marked(
                ", ".join(self.index.actor_short_name(a) for a in entity.reported_by),
                link_mark(link_of(entity, "reported_by")),
                column_width(self.COLUMNS, "Source"),
            ),
        )

    def row_marks(self, entity: Entity) -> Iterable[str]:
        assert isinstance(entity, Asset)
        if entity.location:
            yield link_mark(link_of(entity, "location"))
        if entity.reported_by:
            yield link_mark(link_of(entity, "reported_by"))
