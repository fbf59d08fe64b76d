"""The assets pane: aircraft, ships, bases, troops and where they are."""

from __future__ import annotations

from collections.abc import Sequence

from briefing.analysis.describe import count_text, label
from briefing.analysis.index import Entity
from briefing.app.widgets.entity_table import Cell, EntityTable
from briefing.format.model import Asset


class AssetsPane(EntityTable):
    KIND = "asset"
    PANE_TITLE = "Assets"
    COLUMNS = (("Name", 24), ("Kind", 12), ("Count", 6), ("Status", 30), ("Location", 18), ("Source", 16))
    LINKS = ("location", "reported_by")

    def entities(self) -> Sequence[Entity]:
        return self.index.briefing.assets

    def cells(self, entity: Entity) -> Sequence[Cell]:
        assert isinstance(entity, Asset)
        return (
            entity.name,
            label(entity.kind),
            count_text(entity.count),
            entity.status or "",
            self.linked(entity, "location", self.index.location_name(entity.location), "Location"),
            self.linked(
                entity, "reported_by", ", ".join(self.index.actor_short_name(a) for a in entity.reported_by), "Source"
            ),
        )
