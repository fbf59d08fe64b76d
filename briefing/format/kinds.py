"""Every kind of thing a briefing holds, declared once.

A kind is its collection (the top-level array of the file), the model types
of its entries, how it is worded, and the references its entries make: the
field, the kind it points at, and how the link reads from either end. The
reader (``format.reading``), the rules (``format.validation``), the index and
the wording (``analysis``), the panes, the detail view and ``briefing show``
all take these facts from here, so a new kind or a new reference is one entry.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

from briefing.format.model import (
    Actor,
    Asset,
    BodySection,
    Event,
    GlanceSection,
    LedeSection,
    Link,
    Location,
    Quote,
    Section,
)

KindName = Literal["section", "asset", "actor", "quote", "location", "event"]
# The kinds the index holds as entities (sections are the text they are read in).
EntityKind = Literal["asset", "actor", "quote", "location", "event"]
Entity = Asset | Actor | Quote | Location | Event


class Reference(NamedTuple):
    """A field whose value is the id (or ids) of another entry."""

    field: str
    target: KindName
    # How the link reads from its source ("Owner: Russia")...
    outgoing: str
    # ...and from its target ("Owns: Sparta").
    incoming: str
    # A list of ids rather than one.
    many: bool = False
    # Links of this field must form a tree: nothing ends up inside itself.
    tree: bool = False


class Kind(NamedTuple):
    name: KindName
    # The top-level array of the file: [[assets]].
    collection: str
    # What one entry decodes into (a union for sections).
    model: Any
    # The classes an entry can be.
    types: tuple[type, ...]
    # One of them, capitalised: "Asset".
    label: str
    # The heading of a list of them: "Assets".
    title: str
    references: tuple[Reference, ...] = ()

    def reference(self, field: str) -> Reference | None:
        return next((reference for reference in self.references if reference.field == field), None)


SECTION = Kind("section", "sections", Section, (LedeSection, GlanceSection, BodySection), "Section", "Sections")
ASSET = Kind(
    "asset",
    "assets",
    Asset,
    (Asset,),
    "Asset",
    "Assets",
    (
        Reference("owner", "actor", "Owner", "Owns"),
        Reference("location", "location", "Location", "Located here"),
        Reference("reported_by", "actor", "Reported by", "Reported", many=True),
        Reference("reported_in", "event", "Reported in", "Reports", many=True),
    ),
)
ACTOR = Kind(
    "actor",
    "actors",
    Actor,
    (Actor,),
    "Actor",
    "Actors",
    (Reference("affiliation", "actor", "Affiliated with", "Has affiliated", tree=True),),
)
QUOTE = Kind(
    "quote",
    "quotes",
    Quote,
    (Quote,),
    "Quote",
    "Quotes",
    (
        Reference("speaker", "actor", "Speaker", "Said"),
        Reference("section", "section", "In section", "Quotes"),
    ),
)
LOCATION = Kind(
    "location",
    "locations",
    Location,
    (Location,),
    "Location",
    "Locations",
    (
        Reference("within", "location", "Within", "Contains", tree=True),
        Reference("near", "location", "Near", "Nearby"),
    ),
)
EVENT = Kind(
    "event",
    "events",
    Event,
    (Event,),
    "Event",
    "Timeline",
    (
        Reference("where", "location", "Where", "Happened here"),
        Reference("actors", "actor", "Involves", "Took part in", many=True),
        Reference("reported_by", "actor", "Reported by", "Reported", many=True),
        Reference("section", "section", "In section", "Tells"),
    ),
)

# In the order the file lists them and the reader shows them.
KINDS: tuple[Kind, ...] = (SECTION, ASSET, ACTOR, QUOTE, LOCATION, EVENT)
ENTITY_KINDS: tuple[Kind, ...] = (ASSET, ACTOR, QUOTE, LOCATION, EVENT)
KIND: dict[str, Kind] = {kind.name: kind for kind in KINDS}
BY_COLLECTION: dict[str, Kind] = {kind.collection: kind for kind in KINDS}
_BY_TYPE: dict[type, Kind] = {cls: kind for kind in KINDS for cls in kind.types}


def kind_of(item: object) -> Kind:
    """The kind of a section or an entity."""
    return _BY_TYPE[type(item)]


def entity_kind(entity: Entity) -> EntityKind:
    name = kind_of(entity).name
    assert name != "section"
    return name


def referenced_ids(item: object, reference: Reference) -> list[str]:
    """The ids ``item`` gives in ``reference``'s field: none, one or many."""
    value = getattr(item, reference.field)
    if value is None:
        return []
    return list(value) if reference.many else [value]


def link_of(item: object, field: str) -> Link | None:
    """How ``item``'s reference in ``field`` is known; None when the article states it outright."""
    links: dict[str, Link] | None = getattr(item, "links", None)
    return links.get(field) if links else None
