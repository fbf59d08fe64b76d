"""The actors pane: states, people, agencies, groups and their part in the story."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from briefing.analysis.describe import label, link_mark
from briefing.analysis.index import Entity
from briefing.app.widgets.entity_table import Cell, EntityTable, column_width, marked
from briefing.format.kinds import link_of
from briefing.format.model import Actor


class ActorsPane(EntityTable):
    KIND = "actor"
    PANE_TITLE = "Actors"
    COLUMNS = (("Name", 26), ("Kind", 16), ("Role (editor)", 56), ("Affiliation", 16))

    def entities(self) -> Sequence[Entity]:
        return self.index.briefing.actors

    def cells(self, entity: Entity) -> Sequence[Cell]:
        assert isinstance(entity, Actor)
        short = self.index.actor_short_name(entity.id)
        name = entity.name if short == entity.name else f"{entity.name} ({short})"
        affiliation = marked(
            self.index.actor_name(entity.affiliation),
            link_mark(link_of(entity, "affiliation")),
            column_width(self.COLUMNS, "Affiliation"),
        )
        return (name, label(entity.kind), entity.role or "", affiliation)

    def row_marks(self, entity: Entity) -> Iterable[str]:
        assert isinstance(entity, Actor)
        if entity.affiliation:
            yield link_mark(link_of(entity, "affiliation"))
