"""Lookups across a briefing: entities by id and everything that refers to them.

Built once per briefing; the reader and ``show`` ask it instead of scanning
lists on every keypress.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

import msgspec

from briefing.format.model import Actor, Asset, Briefing, Event, Location, Quote, Section

EntityKind = Literal["asset", "actor", "quote", "location", "event"]
Entity = Asset | Actor | Quote | Location | Event

COLLECTION_OF: dict[EntityKind, str] = {
    "asset": "assets",
    "actor": "actors",
    "quote": "quotes",
    "location": "locations",
    "event": "events",
}


class EntityRef(msgspec.Struct, frozen=True):
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
        # Reverse references: target -> the links that point at it.
        self._incoming: dict[EntityRef, list[Link]] = defaultdict(list)
        for entity in self.all_entities():
            for link in outgoing(entity):
                self._incoming[link.target].append(link)

    @classmethod
    def build(cls, briefing: Briefing) -> BriefingIndex:
        return cls(briefing)

    def all_entities(self) -> list[Entity]:
        b = self.briefing
        return [*b.assets, *b.actors, *b.quotes, *b.locations, *b.events]

    def get(self, ref: EntityRef) -> Entity | None:
        table: dict[str, Entity] = getattr(self, COLLECTION_OF[ref.kind])
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
        return OUTGOING_LABELS.get(self.field, self.field)

    @property
    def incoming_label(self) -> str:
        return INCOMING_LABELS.get((self.source.kind, self.field), self.field)


# How a link reads from its source ("Owner: Russia")...
OUTGOING_LABELS: dict[str, str] = {
    "owner": "Owner",
    "location": "Location",
    "reported_by": "Reported by",
    "affiliation": "Affiliated with",
    "speaker": "Speaker",
    "within": "Within",
    "near": "Near",
    "reported_in": "Reported in",
    "where": "Where",
    "actors": "Involves",
}

# ...and from its target ("Owns: Sparta").
INCOMING_LABELS: dict[tuple[EntityKind, str], str] = {
    ("asset", "owner"): "Owns",
    ("asset", "location"): "Located here",
    ("asset", "reported_by"): "Reported",
    ("actor", "affiliation"): "Has affiliated",
    ("quote", "speaker"): "Said",
    ("location", "within"): "Contains",
    ("location", "near"): "Nearby",
    ("asset", "reported_in"): "Reports",
    ("event", "where"): "Happened here",
    ("event", "actors"): "Took part in",
    ("event", "reported_by"): "Reported",
}

# The reference fields of each kind, with the kind they point at.
_REFERENCE_FIELDS: dict[EntityKind, tuple[tuple[str, EntityKind], ...]] = {
    "asset": (("owner", "actor"), ("location", "location"), ("reported_by", "actor"), ("reported_in", "event")),
    "actor": (("affiliation", "actor"),),
    "quote": (("speaker", "actor"),),
    "location": (("within", "location"), ("near", "location")),
    "event": (("where", "location"), ("actors", "actor"), ("reported_by", "actor")),
}


def outgoing(entity: Entity) -> list[Link]:
    """The entities this one refers to, in the order its fields name them."""
    source = ref_of(entity)
    links: list[Link] = []
    for field_name, kind in _REFERENCE_FIELDS[source.kind]:
        value = getattr(entity, field_name)
        for target_id in value if isinstance(value, list) else [value] if value else []:
            links.append(Link(field_name, source, EntityRef(kind, target_id)))
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
