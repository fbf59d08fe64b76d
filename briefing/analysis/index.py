"""Lookups across a briefing: entities by id and everything that refers to them.

Built once per briefing; the reader and ``show`` ask it instead of scanning
lists on every keypress.
"""

from __future__ import annotations

import functools
from collections import defaultdict

import msgspec

from briefing.format.kinds import ENTITY_KINDS, KIND, Entity, EntityKind, entity_kind, referenced_ids
from briefing.format.model import Actor, Asset, Briefing, Event, Location, Quote, Section

__all__ = ["BriefingIndex", "Entity", "EntityKind", "EntityRef", "Link", "display_name", "outgoing", "ref_of"]


class EntityRef(msgspec.Struct, frozen=True):
    """Names an entity across collections: ids are unique only within one."""

    kind: EntityKind
    id: str


def ref_of(entity: Entity) -> EntityRef:
    return EntityRef(entity_kind(entity), entity.id)


class BriefingIndex:
    # A plain class (not a dataclass): the reader imports this at start-up.
    def __init__(self, briefing: Briefing) -> None:
        self.briefing = briefing
        self.sections: dict[str, Section] = {s.id: s for s in briefing.sections}
        self.assets: dict[str, Asset] = {a.id: a for a in briefing.assets}
        self.actors: dict[str, Actor] = {a.id: a for a in briefing.actors}
        self.quotes: dict[str, Quote] = {q.id: q for q in briefing.quotes}
        self.locations: dict[str, Location] = {loc.id: loc for loc in briefing.locations}
        self.events: dict[str, Event] = {e.id: e for e in briefing.events}

    @functools.cached_property
    def _incoming(self) -> dict[EntityRef, list[Link]]:
        """Reverse references, target -> the links that point at it: built on first use.

        Nothing on the first frame needs them, and a large briefing has
        tens of thousands.
        """
        incoming: dict[EntityRef, list[Link]] = defaultdict(list)
        for entity in self.all_entities():
            for link in outgoing(entity):
                incoming[link.target].append(link)
        return incoming

    @classmethod
    def build(cls, briefing: Briefing) -> BriefingIndex:
        return cls(briefing)

    def all_entities(self) -> list[Entity]:
        return [entity for kind in ENTITY_KINDS for entity in getattr(self.briefing, kind.collection)]

    def get(self, ref: EntityRef) -> Entity | None:
        table: dict[str, Entity] = getattr(self, KIND[ref.kind].collection)
        return table.get(ref.id)

    def incoming(self, ref: EntityRef) -> list[Link]:
        """Links that point at ``ref`` (an actor's quotes and assets…)."""
        return list(self._incoming.get(ref, ()))

    def actor_name(self, actor_id: str | None) -> str:
        actor = self.actors.get(actor_id) if actor_id else None
        return actor.name if actor else ""

    def actor_short_name(self, actor_id: str | None) -> str:
        """An acronym the article uses (HUR, ISW), else the name."""
        actor = self.actors.get(actor_id) if actor_id else None
        if actor is None:
            return ""
        acronym = next((a for a in actor.aliases if a.isupper() and " " not in a), None)
        return acronym or actor.name

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


class Link(msgspec.Struct, frozen=True):
    """One reference between entities: ``field`` of the source names the target."""

    field: str
    source: EntityRef
    target: EntityRef

    @property
    def outgoing_label(self) -> str:
        """How the link reads from its source: "Owner"."""
        reference = KIND[self.source.kind].reference(self.field)
        return reference.outgoing if reference else self.field

    @property
    def incoming_label(self) -> str:
        """How the link reads from its target: "Owns"."""
        reference = KIND[self.source.kind].reference(self.field)
        return reference.incoming if reference else self.field


def outgoing(entity: Entity) -> list[Link]:
    """The entities this one refers to, in the order its kind declares its references."""
    source = ref_of(entity)
    links: list[Link] = []
    for reference in KIND[source.kind].references:
        if reference.target == "section":
            continue  # a section is where an entity is told, not an entity to link to
        for target_id in referenced_ids(entity, reference):
            links.append(Link(reference.field, source, EntityRef(reference.target, target_id)))
    return links


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
