"""The actors pane: states, people, agencies, groups and their part in the story."""

from __future__ import annotations

from collections.abc import Sequence

from briefing.analysis.describe import label
from briefing.analysis.index import Entity
from briefing.app.widgets.entity_table import Cell, EntityTable
from briefing.format.model import Actor


class ActorsPane(EntityTable):
    KIND = "actor"
    PANE_TITLE = "Actors"
    COLUMNS = (("Name", 26), ("Kind", 16), ("Role (editor)", 56), ("Affiliation", 16))
    LINKS = ("affiliation",)

    def entities(self) -> Sequence[Entity]:
        return self.index.briefing.actors

    def cells(self, entity: Entity) -> Sequence[Cell]:
        assert isinstance(entity, Actor)
        short = self.index.actor_short_name(entity.id)
        name = entity.name if short == entity.name else f"{entity.name} ({short})"
        affiliation = self.linked(entity, "affiliation", self.index.actor_name(entity.affiliation), "Affiliation")
        return (name, label(entity.kind), entity.role or "", affiliation)
