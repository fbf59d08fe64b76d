"""``briefing export --to stix``: the briefing as a STIX 2.1 bundle (docs/stix.md).

Every object is made by the ``stix2`` library, which checks its properties as
it is made; this module chooses what each entry of the briefing becomes:

* the briefing is a ``report``: the headline, the lede, the article's date;
* actors are ``identity`` or ``threat-actor`` objects, locations ``location``
  objects, bases and missions ``infrastructure``; what STIX has no object for
  (other assets, events, a place with no position and no region) is an object
  of a new type, each declared by an ``extension-definition`` of ours;
* every reference of ``briefing.format.kinds`` is a ``relationship``, of the
  type the specification suggests for the pair of objects where it has one;
* quotes, claims, the editor's notes and caveats are ``note`` objects, each
  saying whose words it holds; with ``--review``, the analyst's notes are
  ``note`` objects and their flags and gradings ``opinion`` objects, all
  created by an identity of their own.

What the briefing knows of its own certainty (a date's precision and basis, a
position that is only a placeholder, a link the article hedges or does not
state, the editor's grading) is kept twice: in words, in the object's text, and
as data, in our ``x-briefing-provenance`` property extension.

The output is a function of the briefing and the review alone: ids are
UUIDv5 over the briefing's key and the entries' ids, times come from the
article's date (or a fixed epoch) and from the review, and the JSON has its
keys sorted and every character beyond ASCII escaped. Text from the briefing
only ever fills string properties.

Linear in the size of the briefing; stix2's checks are most of the time it takes.
"""

from __future__ import annotations

import functools
import re
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeAlias

import msgspec
import stix2  # type: ignore[import-untyped]  # stix2 ships no type information

from briefing.analysis.claims import Claim, claims
from briefing.analysis.describe import (
    CREDIBILITY,
    RELIABILITY,
    basis_text,
    count_text,
    grading_text,
    label,
    link_qualifier,
    position_basis,
    position_text,
    when_short,
)
from briefing.analysis.index import BriefingIndex, Entity, EntityRef, display_name, outgoing, ref_of
from briefing.export import ExportSubject
from briefing.format.kinds import KIND, entity_kind, link_of
from briefing.format.model import (
    Actor,
    Asset,
    Briefing,
    Event,
    Grading,
    LedeSection,
    Link,
    Location,
    Meta,
    Note,
    Position,
    Quote,
    When,
)
from briefing.storage.review import FLAG_BY_NAME, is_timestamp
from briefing.storage.review_exchange import Flagged, On, ReviewOfBriefing
from briefing.storage.review_exchange import Grading as ReviewGrading
from briefing.storage.review_exchange import Note as ReviewNote

__all__ = ["EPOCH", "EXTENSIONS", "NAMESPACE", "render"]

# An object made by stix2 (the library has no types to name it by).
StixObject: TypeAlias = Any

# The project's namespace for UUIDv5 ids, fixed for good: an entry keeps its id in every export.
NAMESPACE = uuid.UUID("f9b15702-b71f-48f1-9fa3-c8b69e26b60e")
# The time of what has no date of its own (everything of an article that gives none, the
# extension definitions, the producer): the JSON export's epoch, to the millisecond STIX asks for.
EPOCH = "1970-01-01T00:00:00.000Z"

# The authors of the notes that are not the article's.
EDITOR = "the briefing's editor"
REVIEWER = "reviewer"

# stix2 refuses a reference to a type it does not define, and a bundle holding one, unless told
# the object may hold custom content. The only custom content made here is our extension's types:
# no object has a property its type does not define (the tests validate every kind of object).
REFERS_TO_OUR_TYPES = True

# -- the extension: what STIX has no object or property for ------------------------------------------

EXTENSION_VERSION = "1"


class Extension(NamedTuple):
    """One extension definition of ours: a new-sdo one declares a type, the property extension data."""

    id: str
    name: str
    extension_type: str
    description: str


def _extension(name: str, extension_type: str, description: str) -> Extension:
    # Named, not random: the same id in every export, so a consumer knows the type it has seen before.
    return Extension(
        stix_id("extension-definition", "extension", name, EXTENSION_VERSION), name, extension_type, description
    )


def _new_sdo(extension: Extension, class_name: str, properties: list[tuple[str, Any]]) -> Any:
    """The stix2 class of one of our types, registered with the library once, when this module is imported."""
    # Called, not used as a decorator: stix2 is untyped, and a class it decorates would be too.
    return stix2.v21.CustomObject(extension.name, properties, extension_name=extension.id)(type(class_name, (), {}))


def name_uuid(*parts: str) -> str:
    """UUIDv5 of the parts joined by "/", each percent-encoded: a key holding "/" cannot pass for other parts."""
    return str(uuid.uuid5(NAMESPACE, "/".join(map(_encoded, parts))))


@functools.lru_cache(maxsize=4096)
def _encoded(part: str) -> str:
    # Cached: the key and the kinds recur in every id of an export. A key is a path, whose bytes
    # need not be UTF-8: they are encoded as they were, not refused.
    return urllib.parse.quote(part, safe="", errors="surrogateescape")


def stix_id(stix_type: str, *parts: str) -> str:
    return f"{stix_type}--{name_uuid(*parts)}"


ASSET_EXTENSION = _extension(
    "x-briefing-asset",
    "new-sdo",
    "An asset of a briefing that STIX has no object for (an aircraft, a ship, troops, equipment). "
    "Properties: name and aliases, asset_kind (the briefing's kind), count {value, precision, stated}, "
    "status and evidence: the article's words.",
)
EVENT_EXTENSION = _extension(
    "x-briefing-event",
    "new-sdo",
    "Something that happened: name, the article's words for it, and when {date, until, on_or_before, "
    "precision, basis, stated, source, note}, its date as the briefing knows it, never more precise than its source.",
)
PLACE_EXTENSION = _extension(
    "x-briefing-place",
    "new-sdo",
    "A place a briefing names but cannot put on a map (no position, no STIX region), which a STIX location "
    "cannot be. Properties: name, aliases, location_kind (the briefing's kind).",
)
PROVENANCE_EXTENSION = _extension(
    "x-briefing-provenance",
    "property-extension",
    "How a briefing knows what an object says: the entry it stands for (entry {kind, id}), the entry's kind, "
    "aliases and role; a position's precision and basis; a link's field, basis, hedge, source and note; a date's "
    "precision and basis; the editor's grading; a claim's sources; and the review a note or an opinion is part of.",
)
EXTENSIONS = (ASSET_EXTENSION, EVENT_EXTENSION, PLACE_EXTENSION, PROVENANCE_EXTENSION)

_Text = stix2.properties.StringProperty
_Texts = stix2.properties.ListProperty
_Table = stix2.properties.DictionaryProperty
BriefingAsset = _new_sdo(
    ASSET_EXTENSION,
    "BriefingAsset",
    [
        ("name", _Text(required=True)),
        ("description", _Text()),
        ("asset_kind", _Text(required=True)),
        ("aliases", _Texts(_Text)),
        ("count", _Table()),
        ("status", _Text()),
        ("evidence", _Texts(_Text)),
    ],
)
BriefingEvent = _new_sdo(
    EVENT_EXTENSION,
    "BriefingEvent",
    [("name", _Text(required=True)), ("description", _Text()), ("when", _Table(required=True))],
)
BriefingPlace = _new_sdo(
    PLACE_EXTENSION,
    "BriefingPlace",
    [
        ("name", _Text(required=True)),
        ("description", _Text()),
        ("location_kind", _Text(required=True)),
        ("aliases", _Texts(_Text)),
    ],
)

# -- what each kind of entry becomes ---------------------------------------------------------------------

# The assets STIX calls infrastructure (physical resources that support a purpose); the rest are ours.
INFRASTRUCTURE_ASSETS = frozenset({"air_base", "naval_base", "installation", "diplomatic_mission"})
# Armed and state security organisations are threat actors. A military or an intelligence agency works
# for a state, which threat-actor-type-ov calls "nation-state"; the article says nothing of an armed
# group's motives, so that gets no type.
THREAT_ACTORS: dict[str, tuple[str, ...]] = {
    "armed_group": (),
    "military": ("nation-state",),
    "intelligence_agency": ("nation-state",),
}
# Every other actor is an identity of this class (identity-class-ov); a kind added later is "unknown".
IDENTITY_CLASSES: dict[str, str] = {
    "person": "individual",
    "state": "organization",
    "government": "organization",
    "company": "organization",
    "media": "organization",
    "think_tank": "organization",
    "international_organisation": "organization",
    "group": "group",
}
# STIX's region-ov: a location of kind region named one of these (Africa) is that region.
REGIONS = frozenset(stix2.v21.vocab.REGION)


class Relation(NamedTuple):
    """The STIX relationship a reference is."""

    relationship_type: str
    # STIX reads it from the reference's target: the owner ``owns`` the asset that names it.
    reverse: bool = False


RELATED = Relation("related-to")
# By (kind, field) of briefing.format.kinds. A reference not here, or between objects the spec
# suggests no such relationship for, is ``related-to``, from the entry that makes it.
RELATIONS: dict[tuple[str, str], Relation] = {
    ("asset", "owner"): Relation("owns", reverse=True),
    ("asset", "location"): Relation("located-at"),
    ("actor", "affiliation"): Relation("attributed-to"),
}
# The relationships the STIX 2.1 specification suggests for these objects that the relations above can make.
SUGGESTED = frozenset(
    {
        ("threat-actor", "owns", "infrastructure"),
        ("infrastructure", "located-at", "location"),
        ("threat-actor", "attributed-to", "identity"),
    }
)
# References an object carries itself: a quote's note names its speaker in ``authors`` and
# ``object_refs`` (and OpenCTI refuses a relationship from a note).
CARRIED = frozenset({("quote", "speaker")})

# How sure a link is, on STIX's None/Low/Med/High confidence scale (Appendix A): stated outright by
# the article, High; hedged by it, from outside reporting or the editor's reading, Medium; only
# intended or attempted, Low.
LINK_CONFIDENCE = {"stated": "High", "hedged": "Med", "external": "Med", "inferred": "Med", "intended": "Low"}
# The Admiralty credibility of information as stix2's scale spells it (STIX 2.1, Appendix A);
# 6, truth cannot be judged, has no confidence value: the property is left out.
ADMIRALTY_CREDIBILITY = {
    1: "1 - Confirmed by other sources",
    2: "2 - Probably True",
    3: "3 - Possibly True",
    4: "4 - Doubtful",
    5: "5 - Improbable",
}

# A flag of the review as an opinion, where it assesses correctness; the others ask for attention
# and assess nothing, which is "neutral".
FLAG_OPINIONS = {"verified": "agree", "disputed": "disagree"}
# A grading of the review as an opinion, by the credibility given to the information.
CREDIBILITY_OPINIONS = {1: "strongly-agree", 2: "agree", 3: "neutral", 4: "disagree", 5: "strongly-disagree"}

# -- times ----------------------------------------------------------------------------------------------


def timestamp(text: str) -> Any:
    """A STIX timestamp, to the millisecond, from ``2024-12-23T00:00:00.000Z`` or ``2024-12-23T10:00:00Z``."""
    return stix2.utils.parse_into_datetime(text, precision="millisecond")


def article_time(meta: Meta) -> str:
    """The article's date as a STIX time (the start of that day, UTC), or the epoch when it gives none."""
    return f"{meta.published.isoformat()}T00:00:00.000Z" if meta.published else EPOCH


def review_time(text: str, fallback: Any) -> Any:
    """A time of the review store, or ``fallback`` for one that is not one (a review made by hand)."""
    return timestamp(text) if is_timestamp(text) else fallback


# -- what the objects share ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What the objects of one export share."""

    key: str
    index: BriefingIndex
    # created and modified of everything from the briefing; the report's published.
    time: Any
    producer: str
    report: str
    # The STIX id of every entity: relationships and notes point at objects not made yet.
    ids: dict[EntityRef, str]
    # The article, as every claim's first external reference.
    article: StixObject


def present(**properties: Any) -> dict[str, Any]:
    """The properties that have a value: stix2 refuses empty lists and tables."""
    return {name: value for name, value in properties.items() if value is not None and value != [] and value != {}}


def provenance(**properties: Any) -> dict[str, Any]:
    """An ``extensions`` property holding our property extension with these properties (those with a value)."""
    return {PROVENANCE_EXTENSION.id: {"extension_type": "property-extension", **present(**properties)}}


def made_by_producer(context: Context) -> dict[str, Any]:
    return {"created_by_ref": context.producer, "created": context.time, "modified": context.time}


def entry(kind: str, entry_id: str) -> dict[str, str]:
    return {"kind": kind, "id": entry_id}


def entry_of(entity: Entity) -> dict[str, str]:
    return entry(entity_kind(entity), entity.id)


def sentence(text: str) -> str:
    """``text`` as a sentence: a capital first letter, a full stop unless it ends in one already."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…", "”", '"')) else text + "."


def paragraphs(*parts: str | None) -> str | None:
    """The parts given, a paragraph each; None when there are none."""
    return "\n\n".join(part for part in parts if part) or None


def outside_reference(source: str, what: str) -> StixObject:
    """Outside reporting as an external reference: a fixed source name, the briefing's words described."""
    # Never the briefing's text as source_name: a "cve" or "capec" there would make it a CVE or CAPEC reference.
    return stix2.v21.ExternalReference(source_name="outside reporting", description=f"{what}: {source}")


def article_reference(meta: Meta) -> StixObject:
    """The article itself: what its metadata states, and what it does not."""
    stated = [
        f"published by {meta.publication}" if meta.publication else "",
        f"written by {meta.author}" if meta.author else "",
        f"on {meta.published.isoformat()}" if meta.published else "",
    ]
    words = ", ".join([f"The article “{meta.headline}”", *(part for part in stated if part)])
    if meta.unstated:
        words += f". Not stated in the article: {', '.join(meta.unstated)}"
    url = meta.url if meta.url and is_uri(meta.url) else None
    if meta.url and url is None:
        words += f". Its address, as given: {meta.url}"
    return stix2.v21.ExternalReference(**present(source_name="article", description=sentence(words), url=url))


# RFC 3986's characters, "%" only before two hex digits: an address with any other (a space, a quote,
# a letter beyond ASCII) is given in words, since a ``url`` that is not a URI makes the bundle invalid.
_URI = re.compile(r"(?:[A-Za-z0-9\-._~:/?#@!$&'()*+,;=]|\[|\]|%[0-9A-Fa-f]{2})+")


def is_uri(text: str) -> bool:
    """Whether ``text`` is an http(s) address that a STIX ``url`` can hold as it is."""
    if not _URI.fullmatch(text):
        return False
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError:  # brackets that are not an IPv6 host
        return False
    outside_host = text.replace(parts.netloc, "", 1)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not {"[", "]"} & set(outside_host)


# -- how sure a value is: in words, and as data ---------------------------------------------------------


def when_words(when: When) -> str:
    """A date and how it is known: ``on or before 2024-12-23 (inferred); from outside reporting: …``."""
    parts = [when_short(when)]
    if when.stated:
        parts.append(f"the article says “{when.stated}”")
    parts.append(basis_text(when.basis, when.source))
    text = sentence("; ".join(parts))
    return f"{text} Editor: {sentence(when.note)}" if when.note else text


def when_data(when: When) -> dict[str, Any]:
    return present(
        date=when.date.isoformat(),
        until=when.until.isoformat() if when.until else None,
        on_or_before=when.on_or_before,
        precision=when.precision,
        basis=when.basis,
        stated=when.stated,
        source=when.source,
        note=when.note,
    )


def position_words(position: Position) -> str:
    text = sentence(f"Position {position_text(position)}, {position.precision}: {position_basis(position)}")
    return f"{text} Editor: {sentence(position.note)}" if position.note else text


def position_data(position: Position) -> dict[str, Any]:
    return present(
        lat=position.lat,
        lon=position.lon,
        precision=position.precision,
        basis=position.basis,
        uncertainty_km=position.uncertainty_km,
        source=position.source,
        note=position.note,
    )


def precision_metres(position: Position) -> float | None:
    """STIX's ``precision``: how far from the point the place may be, from the briefing's uncertainty."""
    # None leaves the property out, which STIX reads as unspecified, not as exact.
    return position.uncertainty_km * 1000 if position.uncertainty_km is not None else None


def link_words(link: Link | None) -> str:
    return sentence(link_qualifier(link) or "stated by the article")


def link_data(field: str, link: Link | None) -> dict[str, Any]:
    if link is None:
        return {"field": field, "basis": "stated"}
    return present(field=field, basis=link.basis, hedge=link.hedge, source=link.source, note=link.note)


def grading_data(grading: Grading | None) -> dict[str, Any] | None:
    if grading is None:
        return None
    return present(reliability=grading.reliability, credibility=grading.credibility, note=grading.note)


def confidence(grading: Grading | None) -> int | None:
    """The editor's credibility on STIX's Admiralty Credibility scale; None (no property) for 6 and ungraded."""
    if grading is None or grading.credibility not in ADMIRALTY_CREDIBILITY:
        return None
    value: int = stix2.scales.admiralty_credibility_to_value(ADMIRALTY_CREDIBILITY[grading.credibility])
    return value


def section_data(section_id: str | None, index: BriefingIndex) -> dict[str, str] | None:
    if section_id is None or section_id not in index.sections:
        return None
    return {"id": section_id, "title": index.section_title(section_id)}


# -- the entities ---------------------------------------------------------------------------------------


def stix_type(entity: Entity) -> str:
    """The type of the object an entity is."""
    if isinstance(entity, Asset):
        return "infrastructure" if entity.kind in INFRASTRUCTURE_ASSETS else ASSET_EXTENSION.name
    if isinstance(entity, Actor):
        return "threat-actor" if entity.kind in THREAT_ACTORS else "identity"
    if isinstance(entity, Location):
        return "location" if entity.position is not None or region_of(entity) else PLACE_EXTENSION.name
    if isinstance(entity, Event):
        return EVENT_EXTENSION.name
    return "note"  # a quote: the speaker's words, as a note


def region_of(location: Location) -> str | None:
    """The STIX region a location of kind region is, by its name or an alias: ``Africa`` is ``africa``."""
    if location.kind != "region":
        return None
    names = ("-".join(name.lower().split()) for name in (location.name, *location.aliases))
    return next((name for name in names if name in REGIONS), None)


def entity_ids(key: str, index: BriefingIndex) -> dict[EntityRef, str]:
    ids: dict[EntityRef, str] = {}
    for entity in index.all_entities():
        ref = ref_of(entity)
        ids[ref] = stix_id(stix_type(entity), key, ref.kind, ref.id)
    return ids


def entity_object(entity: Entity, context: Context) -> StixObject:
    if isinstance(entity, Asset):
        return asset_object(entity, context)
    if isinstance(entity, Actor):
        return actor_object(entity, context)
    if isinstance(entity, Location):
        return location_object(entity, context)
    if isinstance(entity, Event):
        return event_object(entity, context)
    return quote_note(entity, context)


def asset_words(asset: Asset) -> str | None:
    count = asset.count
    return paragraphs(
        f"Kind: {label(asset.kind)}.",
        f"Count: {count_text(count)}" + (f" (“{count.stated}”)." if count.stated else ".") if count else None,
        f"Status, in the article's words: “{asset.status}”." if asset.status else None,
        *(f"The article: “{evidence}”" for evidence in asset.evidence),
    )


def count_data(asset: Asset) -> dict[str, Any] | None:
    count = asset.count
    return present(value=count.value, precision=count.precision, stated=count.stated) if count else None


def asset_object(asset: Asset, context: Context) -> StixObject:
    identifier = context.ids[ref_of(asset)]
    if asset.kind in INFRASTRUCTURE_ASSETS:
        return stix2.v21.Infrastructure(
            id=identifier,
            **made_by_producer(context),
            **present(
                name=asset.name,
                description=asset_words(asset),
                aliases=list(asset.aliases),
                labels=[label(asset.kind)],
                confidence=confidence(asset.grading),
            ),
            extensions=provenance(
                entry=entry_of(asset),
                kind=asset.kind,
                count=count_data(asset),
                status=asset.status,
                evidence=list(asset.evidence),
                grading=grading_data(asset.grading),
            ),
        )
    return BriefingAsset(
        id=identifier,
        **made_by_producer(context),
        **present(
            name=asset.name,
            description=asset_words(asset),
            asset_kind=asset.kind,
            aliases=list(asset.aliases),
            count=count_data(asset),
            status=asset.status,
            evidence=list(asset.evidence),
            labels=[label(asset.kind)],
            confidence=confidence(asset.grading),
        ),
        extensions=provenance(entry=entry_of(asset), grading=grading_data(asset.grading)),
    )


def actor_words(actor: Actor) -> str:
    return (
        paragraphs(
            f"Kind: {label(actor.kind)}.",
            f"Also called: {', '.join(actor.aliases)}." if actor.aliases else None,
            f"Role, in the editor's words: {actor.role}" if actor.role else None,
        )
        or ""
    )


def actor_object(actor: Actor, context: Context) -> StixObject:
    identifier = context.ids[ref_of(actor)]
    extensions = provenance(entry=entry_of(actor), kind=actor.kind, aliases=list(actor.aliases), role=actor.role)
    if actor.kind in THREAT_ACTORS:
        return stix2.v21.ThreatActor(
            id=identifier,
            **made_by_producer(context),
            **present(
                name=actor.name,
                description=actor_words(actor),
                aliases=list(actor.aliases),
                threat_actor_types=list(THREAT_ACTORS[actor.kind]),
                labels=[label(actor.kind)],
            ),
            extensions=extensions,
        )
    return stix2.v21.Identity(
        id=identifier,
        **made_by_producer(context),
        name=actor.name,
        description=actor_words(actor),
        identity_class=IDENTITY_CLASSES.get(actor.kind, "unknown"),
        labels=[label(actor.kind)],
        extensions=extensions,
    )


def location_words(location: Location) -> str:
    return (
        paragraphs(
            f"Kind: {label(location.kind)}.",
            f"Also called: {', '.join(location.aliases)}." if location.aliases else None,
            position_words(location.position) if location.position else None,
        )
        or ""
    )


def location_object(location: Location, context: Context) -> StixObject:
    identifier = context.ids[ref_of(location)]
    position = location.position
    extensions = provenance(
        entry=entry_of(location),
        kind=location.kind,
        aliases=list(location.aliases),
        position=position_data(position) if position else None,
    )
    region = region_of(location)
    if position is None and region is None:
        return BriefingPlace(
            id=identifier,
            **made_by_producer(context),
            **present(
                name=location.name,
                description=location_words(location),
                location_kind=location.kind,
                aliases=list(location.aliases),
                labels=[label(location.kind)],
            ),
            extensions=extensions,
        )
    return stix2.v21.Location(
        id=identifier,
        **made_by_producer(context),
        **present(
            name=location.name,
            description=location_words(location),
            region=region,
            latitude=position.lat if position else None,
            longitude=position.lon if position else None,
            precision=precision_metres(position) if position else None,
            labels=[label(location.kind)],
        ),
        extensions=extensions,
    )


def event_object(event: Event, context: Context) -> StixObject:
    section = section_data(event.section, context.index)
    return BriefingEvent(
        id=context.ids[ref_of(event)],
        **made_by_producer(context),
        **present(
            name=event.what,
            description=paragraphs(
                f"When: {when_words(event.when)}",
                f"Told in the section “{section['title']}”." if section else None,
            ),
            when=when_data(event.when),
            confidence=confidence(event.grading),
        ),
        extensions=provenance(entry=entry_of(event), section=section, grading=grading_data(event.grading)),
    )


def quote_note(quote: Quote, context: Context) -> StixObject:
    """A quote as a note: the speaker's words verbatim, authored by the speaker, on the speaker and the report."""
    speaker_name = context.index.actor_name(quote.speaker)
    speaker = context.ids.get(EntityRef("actor", quote.speaker))
    return stix2.v21.Note(
        allow_custom=REFERS_TO_OUR_TYPES,
        id=context.ids[ref_of(quote)],
        **made_by_producer(context),
        **present(
            abstract=f"Quote of {speaker_name or quote.speaker}. Date: "
            + (when_words(quote.when) if quote.when else "not given."),
            content=quote.text,
            authors=[speaker_name] if speaker_name else None,
            object_refs=[ref for ref in (speaker, context.report) if ref],
            labels=["quote"],
            confidence=confidence(quote.grading),
        ),
        extensions=provenance(
            entry=entry_of(quote),
            context=quote.context,
            section=section_data(quote.section, context.index),
            when=when_data(quote.when) if quote.when else None,
            grading=grading_data(quote.grading),
        ),
    )


# -- relationships --------------------------------------------------------------------------------------


def relationships(entity: Entity, context: Context) -> Iterator[StixObject]:
    """A relationship for every reference the entity makes (briefing.format.kinds), each once."""
    source = ref_of(entity)
    made: set[str] = set()
    for link in outgoing(entity):
        if (source.kind, link.field) in CARRIED or link.target not in context.ids:
            continue
        identifier = stix_id("relationship", context.key, "link", source.kind, source.id, link.field, link.target.id)
        if identifier not in made:
            made.add(identifier)
            yield relationship(identifier, entity, link.field, link.target, context)


def relation(kind: str, field: str, link: Link | None, source_type: str, target_type: str) -> Relation:
    """The relationship STIX suggests for this reference between objects of these types, else ``related-to``.

    A link the article says is only intended is ``related-to`` whatever it joins: ``located-at`` would
    say that what Russia is trying to move to Africa is there.
    """
    if link is not None and link.basis == "intended":
        return RELATED
    chosen = RELATIONS.get((kind, field), RELATED)
    source, target = (target_type, source_type) if chosen.reverse else (source_type, target_type)
    return chosen if (source, chosen.relationship_type, target) in SUGGESTED else RELATED


def full_name(entity: Entity | None, index: BriefingIndex) -> str:
    """An entry's name, or an event's words in full: a description has room for them."""
    if isinstance(entity, Event):
        return entity.what
    return display_name(entity, index) if entity is not None else ""


def relationship(identifier: str, entity: Entity, field: str, target: EntityRef, context: Context) -> StixObject:
    source = ref_of(entity)
    source_id, target_id = context.ids[source], context.ids[target]
    link = link_of(entity, field)
    chosen = relation(source.kind, field, link, source_id.partition("--")[0], target_id.partition("--")[0])
    if chosen.reverse:
        source_id, target_id = target_id, source_id
    reference = KIND[source.kind].reference(field)
    reads = reference.outgoing if reference else field
    index = context.index
    return stix2.v21.Relationship(
        allow_custom=REFERS_TO_OUR_TYPES,
        id=identifier,
        **made_by_producer(context),
        relationship_type=chosen.relationship_type,
        source_ref=source_id,
        target_ref=target_id,
        description=f"{full_name(entity, index)} — {reads}: {full_name(index.get(target), index)}. {link_words(link)}",
        confidence=stix2.scales.none_low_med_high_to_value(LINK_CONFIDENCE[link.basis if link else "stated"]),
        **present(
            external_references=[outside_reference(link.source, "The link rests on")]
            if link and link.basis == "external" and link.source
            else None
        ),
        extensions=provenance(link=link_data(field, link)),
    )


# -- notes: claims, the editor's notes, the caveats -----------------------------------------------------


def claim_words(claim: Claim, index: BriefingIndex) -> str:
    names = ", ".join(index.actor_name(source) or source for source in claim.sources)
    qualifier = link_qualifier(claim.sources_link)
    section = index.section_title(claim.section_id)
    return "\n".join(
        [
            f"“{claim.text}”",
            f"Reported by: {names}" + (f" ({qualifier})." if qualifier else "."),
            f"When: {when_words(claim.when)}" if claim.when else "When: not dated.",
            f"In the section: “{section}”." if section else "In no section.",
            f"Grading: {sentence(grading_text(claim.grading))}",
        ]
    )


def claim_references(claim: Claim, context: Context) -> list[StixObject]:
    """The article, and the outside reporting the claim's date or its sources rest on."""
    references = [context.article]
    when, link = claim.when, claim.sources_link
    if when is not None and when.basis == "external" and when.source:
        references.append(outside_reference(when.source, "The date rests on"))
    if link is not None and link.basis == "external" and link.source:
        references.append(outside_reference(link.source, "Who reported it rests on"))
    return references


def claim_id(context: Context, kind: str, entry_id: str) -> str:
    return stix_id("note", context.key, "claim", kind, entry_id)


def claim_note(claim: Claim, context: Context) -> StixObject:
    """A claim with its provenance: who made it, when, where the article tells it, how the editor grades it."""
    index = context.index
    sources = [context.ids.get(EntityRef("actor", source)) for source in claim.sources]
    names = ", ".join(index.actor_name(source) or source for source in claim.sources)
    on = [ref for ref in (context.ids.get(claim.ref), *sources) if ref]
    return stix2.v21.Note(
        allow_custom=REFERS_TO_OUR_TYPES,
        id=claim_id(context, claim.ref.kind, claim.ref.id),
        **made_by_producer(context),
        **present(
            abstract=f"Claim by {names}" + (", resting on one source." if claim.single_source else "."),
            content=claim_words(claim, index),
            object_refs=list(dict.fromkeys(on)) or [context.report],
            confidence=confidence(claim.grading),
            labels=["claim"],
            external_references=claim_references(claim, context),
        ),
        extensions=provenance(
            entry=entry(claim.ref.kind, claim.ref.id),
            claim={"sources": list(claim.sources), "single_source": claim.single_source},
            when=when_data(claim.when) if claim.when else None,
            section=section_data(claim.section_id, index),
            grading=grading_data(claim.grading),
        ),
    )


def editor_note(identifier: str, note: Note, refs: list[str], context: Context, *labels: str) -> StixObject:
    """A note of the editor's, never the article's words; one from outside reporting names its source."""
    outside = note.basis == "external"
    return stix2.v21.Note(
        allow_custom=REFERS_TO_OUR_TYPES,
        id=identifier,
        **made_by_producer(context),
        **present(
            abstract="The editor's note, from outside reporting." if outside else "The editor's note.",
            content=note.text,
            authors=[EDITOR],
            object_refs=refs,
            labels=["editor-note", *labels, *(["outside-reporting"] if outside else [])],
            external_references=[outside_reference(note.source, "Outside reporting")]
            if outside and note.source
            else None,
        ),
    )


def editor_notes(entity: Entity, context: Context) -> Iterator[StixObject]:
    ref = ref_of(entity)
    for number, note in enumerate(entity.notes, 1):
        identifier = stix_id("note", context.key, "note", ref.kind, ref.id, str(number))
        yield editor_note(identifier, note, [context.ids[ref]], context)


def caveats(meta: Meta, context: Context) -> Iterator[StixObject]:
    """The editor's caveats: what a careful reader of the whole report must be told."""
    for number, caveat in enumerate(meta.caveats, 1):
        identifier = stix_id("note", context.key, "caveat", str(number))
        yield editor_note(identifier, caveat, [context.report], context, "caveat")


# -- the producer, the extension definitions, the report ------------------------------------------------


def producer_identity(time: Any) -> StixObject:
    return stix2.v21.Identity(
        id=stix_id("identity", "producer"),
        created=time,
        modified=time,
        name="briefing",
        identity_class="system",
        description=(
            "briefing-tui, which wrote this bundle from a briefing: a news article turned into data. Names, "
            "quotes, evidence and what happened are the article's words; notes, roles and gradings are its "
            "editor's, and say so."
        ),
    )


def extension_definitions(producer: str, time: Any) -> Iterator[StixObject]:
    for extension in EXTENSIONS:
        yield stix2.v21.ExtensionDefinition(
            id=extension.id,
            created_by_ref=producer,
            created=time,
            modified=time,
            name=extension.name,
            description=extension.description,
            # Documentation to read, never an address to fetch.
            schema=f"urn:briefing-tui:stix:{extension.name}:{EXTENSION_VERSION}, described in docs/stix.md",
            version=EXTENSION_VERSION,
            extension_types=[extension.extension_type],
        )


def lede(briefing: Briefing) -> str | None:
    lede_paragraphs = [p for s in briefing.sections if isinstance(s, LedeSection) for p in s.paragraphs]
    return "\n\n".join(lede_paragraphs) or None


def report(context: Context, refs: list[str]) -> StixObject:
    meta = context.index.briefing.meta
    stated = meta.publication or meta.author or meta.published or meta.url
    return stix2.v21.Report(
        allow_custom=REFERS_TO_OUR_TYPES,
        id=context.report,
        **made_by_producer(context),
        name=meta.headline,
        published=context.time,
        object_refs=refs,
        **present(
            description=lede(context.index.briefing),
            labels=list(dict.fromkeys(["briefing", *meta.tags])),
            external_references=[context.article] if stated else None,
        ),
        extensions=provenance(
            unstated=list(meta.unstated),
            language=meta.language,
            # Said outright: a report must have a published time, and this one is the epoch.
            published_unstated=True if meta.published is None else None,
        ),
    )


# -- the review: the analyst's notes, flags and gradings ------------------------------------------------


def entity_ref(on: On) -> EntityRef | None:
    """The entity a note, a flag or a grading is on; None for the briefing itself or a section."""
    kind = on.kind
    if kind == "briefing" or kind == "section":
        return None
    return EntityRef(kind, on.id)


def target_refs(on: On, context: Context) -> list[str]:
    """The objects a note, a flag or a grading is on: the entry's and its claim's, else the report."""
    ref = entity_ref(on)
    own = context.ids.get(ref) if ref else None
    if ref is None or own is None:
        return [context.report]  # the briefing, a section, or an entry the briefing no longer has
    entity = context.index.get(ref)
    is_claim = isinstance(entity, Quote) or (isinstance(entity, Asset | Event) and bool(entity.reported_by))
    return [own, claim_id(context, ref.kind, ref.id)] if is_claim else [own]


def target_words(on: On, context: Context) -> str:
    if on.kind == "briefing":
        return "the briefing"
    if on.kind == "section":
        title = context.index.section_title(on.id)
        return f"the section “{title}”" if title else f"the section “{on.id}”, no longer in the briefing"
    ref = entity_ref(on)
    if ref is None or context.index.get(ref) is None:
        return f"the {on.kind} “{on.id}”, no longer in the briefing"
    return f"the {on.kind} “{context.index.name_of(ref)}”"


def on_data(on: On) -> dict[str, str]:
    return present(kind=on.kind, id=on.id)


def reviewer_identity(context: Context) -> StixObject:
    return stix2.v21.Identity(
        id=stix_id("identity", context.key, "reviewer"),
        created=context.time,
        modified=context.time,
        name=REVIEWER,
        identity_class="individual",
        description=(
            "The analyst who reviewed this briefing: these notes, flags and gradings are theirs, "
            "neither the article's nor the briefing editor's."
        ),
    )


def review_note(note: ReviewNote, reviewer: str, context: Context) -> StixObject:
    created = review_time(note.created, context.time)
    updated = review_time(note.updated, created)
    anchor = note.anchor
    passage = f", on the words “{anchor.exact}”" if anchor else ""
    return stix2.v21.Note(
        allow_custom=REFERS_TO_OUR_TYPES,
        id=stix_id("note", context.key, "review", "note", note.id),
        created_by_ref=reviewer,
        created=created,
        modified=max(created, updated),
        abstract=f"The reviewer's note on {target_words(note.on, context)}{passage}.",
        content=note.body,
        authors=[REVIEWER],
        object_refs=target_refs(note.on, context),
        labels=["reviewer-note"],
        extensions=provenance(
            review=present(
                on=on_data(note.on),
                anchor=present(section=anchor.section, exact=anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix)
                if anchor
                else None,
            )
        ),
    )


def flag_opinions(flagged: Flagged, reviewer: str, context: Context) -> Iterator[StixObject]:
    on = flagged.on
    for name in dict.fromkeys(flagged.flags):
        flag = FLAG_BY_NAME.get(name)
        assessed = name in FLAG_OPINIONS
        explanation = f"The reviewer flagged {target_words(on, context)} “{flag.label if flag else name}”."
        yield stix2.v21.Opinion(
            allow_custom=REFERS_TO_OUR_TYPES,
            id=stix_id("opinion", context.key, "review", "flag", on.kind, on.id, name),
            created_by_ref=reviewer,
            created=context.time,
            modified=context.time,
            opinion=FLAG_OPINIONS.get(name, "neutral"),
            explanation=explanation if assessed else f"{explanation} A flag for attention, not an assessment.",
            authors=[REVIEWER],
            object_refs=target_refs(on, context),
            labels=["reviewer-flag"],
            extensions=provenance(review={"on": on_data(on), "flag": name}),
        )


def reviewer_grading_words(grading: ReviewGrading) -> str:
    """``B2: source usually reliable, information probably true``: the reviewer's grading in words."""
    graded = [
        f"source {RELIABILITY[grading.reliability]}" if grading.reliability else "",
        f"information {CREDIBILITY[grading.credibility]}" if grading.credibility else "",
    ]
    short = f"{grading.reliability or '–'}{grading.credibility or '–'}"
    return f"{short}: {', '.join(part for part in graded if part)}"


def grading_opinion(grading: ReviewGrading, reviewer: str, context: Context) -> StixObject:
    on = grading.on
    time = review_time(grading.updated, context.time)
    return stix2.v21.Opinion(
        allow_custom=REFERS_TO_OUR_TYPES,
        id=stix_id("opinion", context.key, "review", "grading", on.kind, on.id),
        created_by_ref=reviewer,
        created=time,
        modified=time,
        # No credibility (the source alone graded) or 6 (truth cannot be judged) says nothing either way.
        opinion=CREDIBILITY_OPINIONS.get(grading.credibility or 6, "neutral"),
        explanation=f"The reviewer graded {target_words(on, context)} {reviewer_grading_words(grading)}.",
        authors=[REVIEWER],
        object_refs=target_refs(on, context),
        labels=["reviewer-grading"],
        extensions=provenance(
            review={
                "on": on_data(on),
                "grading": present(reliability=grading.reliability, credibility=grading.credibility),
            }
        ),
    )


def review_objects(review: ReviewOfBriefing, context: Context) -> Iterator[StixObject]:
    """The analyst's review, by an identity of its own. What was read is the reader's business, not STIX's."""
    if not (review.notes or review.flags or review.gradings):
        return
    reviewer = reviewer_identity(context)
    yield reviewer
    for note in review.notes:
        yield review_note(note, reviewer.id, context)
    for flagged in review.flags:
        yield from flag_opinions(flagged, reviewer.id, context)
    for grading in review.gradings:
        yield grading_opinion(grading, reviewer.id, context)


# -- the bundle -----------------------------------------------------------------------------------------


def briefing_objects(context: Context) -> Iterator[StixObject]:
    """What the report holds, in the file's order: the entries, their links, the claims, the editor's notes."""
    index = context.index
    entities = index.all_entities()
    for entity in entities:
        yield entity_object(entity, context)
    for entity in entities:
        yield from relationships(entity, context)
    for claim in claims(index):
        yield claim_note(claim, context)
    yield from caveats(index.briefing.meta, context)
    for entity in entities:
        yield from editor_notes(entity, context)


def bundle_objects(subject: ExportSubject) -> list[StixObject]:
    """Every object of the bundle: the producer and our extensions, the briefing's, its report, the review's."""
    index = BriefingIndex(subject.briefing)
    meta = subject.briefing.meta
    epoch = timestamp(EPOCH)
    producer = producer_identity(epoch)
    context = Context(
        key=subject.key,
        index=index,
        time=timestamp(article_time(meta)),
        producer=producer.id,
        report=stix_id("report", subject.key, "report"),
        ids=entity_ids(subject.key, index),
        article=article_reference(meta),
    )
    objects = [producer, *extension_definitions(producer.id, epoch), *briefing_objects(context)]
    # The review's objects are on the report, not in it: the report is the producer's, they are the reviewer's.
    objects.append(report(context, [made.id for made in objects]))
    if subject.review is not None:
        objects.extend(review_objects(subject.review, context))
    return objects


def render(subject: ExportSubject) -> bytes:
    """The bundle as JSON: keys sorted, two-space indents, ASCII (every other character escaped), a final newline."""
    bundle = stix2.v21.Bundle(
        objects=bundle_objects(subject), id=stix_id("bundle", subject.key, "bundle"), allow_custom=REFERS_TO_OUR_TYPES
    )
    compact: str = bundle.serialize(sort_keys=True)
    return msgspec.json.format(compact.encode("ascii"), indent=2) + b"\n"
