"""Claims: every statement the article attributes to someone, with its source.

A quote is a claim by its speaker; an event or an asset the article says
someone reported is a claim by them. Listing them side by side shows at a
glance which facts rest on a single party's word.
"""

from __future__ import annotations

import msgspec

from briefing.analysis.index import BriefingIndex, EntityRef
from briefing.format.kinds import link_of
from briefing.format.model import Grading, Link, When


class Claim(msgspec.Struct, frozen=True):
    ref: EntityRef
    # The article's words for what is claimed.
    text: str
    # Actor ids of whoever the article says made or reported it.
    sources: tuple[str, ...]
    when: When | None
    section_id: str | None
    grading: Grading | None
    # How the article knows who the sources are (``links.reported_by``); None when it says so outright.
    sources_link: Link | None = None

    @property
    def single_source(self) -> bool:
        return len(self.sources) == 1


def claims(index: BriefingIndex) -> list[Claim]:
    """All attributed claims, oldest first (undated ones last), then in reading order."""
    found: list[Claim] = []
    for quote in index.briefing.quotes:
        found.append(
            Claim(EntityRef("quote", quote.id), quote.text, (quote.speaker,), quote.when, quote.section, quote.grading)
        )
    for event in index.briefing.events:
        if event.reported_by:
            found.append(
                Claim(
                    EntityRef("event", event.id),
                    event.what,
                    tuple(event.reported_by),
                    event.when,
                    event.section,
                    event.grading,
                    link_of(event, "reported_by"),
                )
            )
    for asset in index.briefing.assets:
        if asset.reported_by:
            report = next((index.events[e] for e in asset.reported_in if e in index.events), None)
            found.append(
                Claim(
                    EntityRef("asset", asset.id),
                    asset.evidence[0] if asset.evidence else asset.name,
                    tuple(asset.reported_by),
                    report.when if report else None,
                    report.section if report else None,
                    asset.grading,
                    link_of(asset, "reported_by"),
                )
            )
    order = {section.id: number for number, section in enumerate(index.briefing.sections)}
    found.sort(
        key=lambda c: (
            c.when is None,
            c.when.date if c.when else None,
            order.get(c.section_id or "", len(order)),
        )
    )
    return found


def single_source_share(found: list[Claim]) -> tuple[int, int]:
    """(claims resting on one party's word, all claims)."""
    return sum(1 for claim in found if claim.single_source), len(found)
