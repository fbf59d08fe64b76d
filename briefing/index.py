"""Lookups across a briefing: entities by id and everything that refers to them.

Built once per briefing; the reader and ``show`` ask it instead of scanning
lists on every keypress.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from briefing.model import Actor, Asset, Briefing, Event, Location, Quote, Section

EntityKind = Literal["asset", "actor", "quote", "location", "event"]
Entity = Asset | Actor | Quote | Location | Event

COLLECTION_OF: dict[EntityKind, str] = {
    "asset": "assets",
    "actor": "actors",
    "quote": "quotes",
    "location": "locations",
    "event": "events",
}


@dataclass(frozen=True, slots=True)
class EntityRef:
    """Names an entity across collections: ids are unique only within one."""

    kind: EntityKind
    id: str


def ref_of(entity: Entity) -> EntityRef:
    kind: EntityKind
    if isinstance(entity, Asset):
        kind = "asset"
    elif isinstance(entity, Actor):
        kind = "actor"
    elif isinstance(entity, Quote):
        kind = "quote"
    elif isinstance(entity, Location):
        kind = "location"
    else:
        kind = "event"
    return EntityRef(kind, entity.id)


@dataclass(slots=True)
class BriefingIndex:
    briefing: Briefing
    sections: dict[str, Section] = field(default_factory=dict)
    assets: dict[str, Asset] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    quotes: dict[str, Quote] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    # Reverse references: target -> the entities that point at it.
    _referrers: dict[EntityRef, list[EntityRef]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, briefing: Briefing) -> BriefingIndex:
        index = cls(briefing)
        index.sections = {s.id: s for s in briefing.sections}
        index.assets = {a.id: a for a in briefing.assets}
        index.actors = {a.id: a for a in briefing.actors}
        index.quotes = {q.id: q for q in briefing.quotes}
        index.locations = {loc.id: loc for loc in briefing.locations}
        index.events = {e.id: e for e in briefing.events}
        for entity in index.all_entities():
            source = ref_of(entity)
            for target in outgoing(entity):
                index._referrers[target].append(source)
        return index

    def all_entities(self) -> list[Entity]:
        b = self.briefing
        return [*b.assets, *b.actors, *b.quotes, *b.locations, *b.events]

    def get(self, ref: EntityRef) -> Entity | None:
        table: dict[str, Entity] = getattr(self, COLLECTION_OF[ref.kind])
        return table.get(ref.id)

    def referrers(self, ref: EntityRef) -> list[EntityRef]:
        """Entities that refer to ``ref`` (an actor's quotes and assets…)."""
        return list(self._referrers.get(ref, ()))

    def actor_name(self, actor_id: str | None) -> str:
        actor = self.actors.get(actor_id) if actor_id else None
        return actor.name if actor else ""

    def location_name(self, location_id: str | None) -> str:
        location = self.locations.get(location_id) if location_id else None
        return location.name if location else ""

    def section_title(self, section_id: str | None) -> str:
        section = self.sections.get(section_id) if section_id else None
        return section_title(section) if section else ""

    def name_of(self, ref: EntityRef) -> str:
        entity = self.get(ref)
        if entity is None:
            return ref.id
        return display_name(entity, self)


def outgoing(entity: Entity) -> list[EntityRef]:
    """The entities this one refers to, in the order its fields name them."""
    refs: list[EntityRef] = []

    def add(kind: EntityKind, value: str | list[str] | None) -> None:
        if value is None:
            return
        for item in value if isinstance(value, list) else [value]:
            ref = EntityRef(kind, item)
            if ref not in refs:
                refs.append(ref)

    if isinstance(entity, Asset):
        add("actor", entity.owner)
        add("location", entity.location)
        add("actor", entity.reported_by)
    elif isinstance(entity, Actor):
        add("actor", entity.affiliation)
    elif isinstance(entity, Quote):
        add("actor", entity.speaker)
    elif isinstance(entity, Location):
        add("location", entity.within)
    else:
        add("location", entity.where)
        add("actor", entity.actors)
        add("actor", entity.reported_by)
    return refs


def section_title(section: Section) -> str:
    """A section's heading; the lede has none in the article, so it gets a label."""
    return getattr(section, "title", None) or "Lede"


def display_name(entity: Entity, index: BriefingIndex | None = None) -> str:
    if isinstance(entity, Quote):
        speaker = index.actor_name(entity.speaker) if index else entity.speaker
        return f"{speaker}: “{_clip(entity.text, 48)}”"
    if isinstance(entity, Event):
        return _clip(entity.what, 60)
    return entity.name


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
