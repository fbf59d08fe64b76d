"""What is linked to an entity in focus: the rows the other panes narrow to."""

from __future__ import annotations

from briefing.analysis.index import BriefingIndex, EntityRef, outgoing
from briefing.analysis.mentions import Mentions

# The kinds of entity the text mentions by name, and so the kinds a reader focuses on.
FOCUSABLE = ("actor", "asset", "location")


def places_in(index: BriefingIndex, location_id: str) -> set[str]:
    """The location and every place within or near it, at any depth.

    A walk over the index's reverse links, each place taken once: linear
    however long a chain of places within places the file holds.
    """
    found = {location_id}
    waiting = [location_id]
    while waiting:
        place = EntityRef("location", waiting.pop())
        for link in index.incoming(place):
            inner = link.source
            if inner.kind == "location" and link.field in ("within", "near") and inner.id not in found:
                found.add(inner.id)
                waiting.append(inner.id)
    return found


def related(index: BriefingIndex, mentions: Mentions, ref: EntityRef) -> set[EntityRef]:
    """``ref`` and everything linked to it.

    Direct links both ways (an actor's quotes, assets and events; an asset's
    owner, place and reporters), what lies at a location or any place within
    or near it, and the quotes and events whose words mention it.
    """
    entity = index.get(ref)
    if entity is None:
        return set()
    targets = {ref}
    if ref.kind == "location":
        targets = {EntityRef("location", place) for place in places_in(index, ref.id)}
    found = set(targets)
    for target in targets:
        target_entity = index.get(target)
        if target_entity is not None:
            found.update(link.target for link in outgoing(target_entity))
        found.update(link.source for link in index.incoming(target))
    for quote in index.briefing.quotes:
        if mentions.in_text(ref, quote.text):
            found.add(EntityRef("quote", quote.id))
    for event in index.briefing.events:
        if mentions.in_text(ref, event.what):
            found.add(EntityRef("event", event.id))
    return found


def focus_target(index: BriefingIndex, ref: EntityRef | None) -> EntityRef | None:
    """What to focus on when the selection is ``ref``.

    Actors, assets and places are focused on themselves; a quote on its
    speaker; an event on where it happened (else its first actor).
    """
    entity = index.get(ref) if ref else None
    if ref is None or entity is None:
        return None
    if ref.kind in FOCUSABLE:
        return ref
    if ref.kind == "quote":
        return EntityRef("actor", entity.speaker)  # type: ignore[union-attr]
    where = getattr(entity, "where", None)
    if where:
        return EntityRef("location", where)
    actors = getattr(entity, "actors", None) or getattr(entity, "reported_by", None)
    return EntityRef("actor", actors[0]) if actors else None
