"""The typed model of a briefing (format version 1).

Decoded from TOML with msgspec, so every field here is also the format's
definition: docs/format.md explains it for authors and
``briefing/briefing.schema.json`` is generated from these classes
(``briefing.format.schema``). What each kind of entity refers to is declared
in ``briefing.format.kinds``.

Two kinds of text live in a briefing and the format keeps them apart:

* the article's words: headline, section titles and paragraphs, names,
  aliases, quotes, ``evidence``, ``stated`` and ``what`` excerpts. These are
  copied verbatim from the source article;
* the editor's words: anything inside a ``Note`` (caveats and ``notes``
  lists), the ``role`` of an actor, ``meta.tags``, and the ``note`` and
  ``source`` of a date or position. ``Note.basis`` says whether the note is
  the editor's own judgement or a fact from outside reporting (``external``,
  with its ``source`` named).

Values the article implies but does not state (a full date, a coordinate)
carry a ``precision`` and a ``basis`` so a reader can always tell a stated
fact from an inferred one.

This module must not import anything from the UI: it is shared by
``briefing check``, ``briefing show`` and the reader (an import contract,
``lint-imports``, keeps it so).
"""

# No ``from __future__ import annotations`` here: real annotation objects spare
# msgspec evaluating strings on the first decode (1.5 ms of every start).
import datetime
from typing import Annotated, Literal

import msgspec

FORMAT_VERSION = 1

Id = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        max_length=64,
        description="Stable identifier: lower-case letters, digits and hyphens.",
    ),
]
NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]

# Where a value comes from.
#   article:  stated by the article itself;
#   external: from other reporting, named in ``source``;
#   editor:   the content editor's own inference or judgement.
Basis = Literal["article", "external", "editor"]

# How sure a date or position is.
#   exact:       as stated (by the article or the named source);
#   inferred:    worked out from what the text implies (e.g. "on Monday");
#   approximate: a rough value or a placeholder.
Precision = Literal["exact", "inferred", "approximate"]

AssetKind = Literal[
    "aircraft",
    "helicopter",
    "air_defence",
    "ship",
    "submarine",
    "vehicle",
    "air_base",
    "naval_base",
    "installation",
    "diplomatic_mission",
    "troops",
    "equipment",
    "other",
]

ActorKind = Literal[
    "state",
    "government",
    "person",
    "armed_group",
    "military",
    "intelligence_agency",
    "think_tank",
    "company",
    "media",
    "international_organisation",
    "group",
]

LocationKind = Literal[
    "country",
    "region",
    "city",
    "base",
    "port",
    "sea_area",
    "site",
]

# How sure the article is of a link between two entries (``links``).
#   stated:   the article says it outright (the default: no ``links`` entry);
#   hedged:   the article says it with a hedge of its own ("reportedly", "could"), quoted in ``hedge``;
#   intended: the article says it is planned or attempted, not done ("attempting to transfer"), quoted in ``hedge``;
#   inferred: the editor's reading (from an adjective, from context), explained in ``note``;
#   external: from other reporting, cited in ``source``.
LinkBasis = Literal["stated", "hedged", "intended", "inferred", "external"]

# Metadata fields an article may leave out; listing them in ``meta.unstated``
# records that the source does not give them (rather than that the editor
# forgot them).
UnstatedField = Literal["publication", "author", "published", "url"]


# omit_defaults: an encoded briefing (the JSON form, the cache) leaves out what
# a file may leave out, so it has no nulls (TOML has none; neither has the schema).
class Model(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, frozen=True, omit_defaults=True):
    """Base for every table of the format: unknown keys are an error."""


class Note(Model, frozen=True):
    """A piece of text that is the editor's, never the article's."""

    text: NonEmpty
    basis: Literal["editor", "external"] = "editor"
    # Required when basis is "external": the reporting the note rests on.
    source: str | None = None


class Link(Model, frozen=True):
    """How one reference of an entry is known, when it is not stated outright.

    Given in the entry's ``links`` table under the reference's field name:
    ``links.location = { basis = "intended", hedge = "reportedly attempting to transfer" }``.
    A reference with no entry there is stated by the article.
    """

    basis: LinkBasis
    # hedged, intended: the article's own words that make it so, verbatim.
    hedge: str | None = None
    # external: the reporting it rests on (outlet and date).
    source: str | None = None
    # The editor's reason; required for inferred.
    note: str | None = None


class MentionRule(Model, frozen=True):
    """Where one of an entry's names counts as a mention of it.

    A name such as "troops" or "military equipment" can also stand for
    something else in the article; a rule keeps its mentions to the text that
    is about this entry. An entry's name with no rule counts everywhere.
    """

    # One of the entry's ``name`` and ``aliases``, as written there.
    name: NonEmpty
    # Only in these sections (every section when empty)...
    sections: list[Id] = []
    # ...and never inside these passages, verbatim excerpts of the text.
    not_in: list[NonEmpty] = []


class When(Model, frozen=True):
    """A date with how it is known."""

    date: datetime.date
    precision: Precision
    basis: Basis
    # Last day of a range, when the date is only known to a span of days.
    until: datetime.date | None = None
    # Only an upper bound is known: it happened on or before ``date``.
    on_or_before: bool = False
    # How the article words it ("December 13", "on Monday"), verbatim.
    stated: str | None = None
    source: str | None = None
    note: str | None = None


class Position(Model, frozen=True):
    """Approximate latitude / longitude in decimal degrees (WGS 84)."""

    lat: Annotated[float, msgspec.Meta(ge=-90, le=90)]
    lon: Annotated[float, msgspec.Meta(ge=-180, le=180)]
    precision: Precision
    basis: Basis
    # At most the Earth's circumference: "inf" is a float TOML allows, and no JSON can hold it.
    uncertainty_km: Annotated[float, msgspec.Meta(ge=0, le=40_075)] | None = None
    source: str | None = None
    note: str | None = None


class Meta(Model, frozen=True):
    headline: NonEmpty
    publication: str | None = None
    author: str | None = None
    published: datetime.date | None = None
    url: str | None = None
    unstated: list[UnstatedField] = []
    language: str = "en"
    tags: list[NonEmpty] = []
    caveats: list[Note] = []


class LedeSection(Model, frozen=True, tag_field="kind", tag="lede"):
    """The standfirst under the headline. It has no heading in the article."""

    id: Id
    paragraphs: Annotated[list[NonEmpty], msgspec.Meta(min_length=1)]


class GlanceSection(Model, frozen=True, tag_field="kind", tag="glance"):
    """A headed list of bullets ("At a Glance")."""

    id: Id
    title: NonEmpty
    bullets: Annotated[list[NonEmpty], msgspec.Meta(min_length=1)]


class BodySection(Model, frozen=True, tag_field="kind", tag="body"):
    """A headed section of the article's body, paragraph by paragraph."""

    id: Id
    title: NonEmpty
    paragraphs: Annotated[list[NonEmpty], msgspec.Meta(min_length=1)]


Section = LedeSection | GlanceSection | BodySection
SectionKind = Literal["lede", "glance", "body"]


class Grading(Model, frozen=True):
    """A source grading on the NATO / Admiralty scale (STANAG 2511).

    Always the content editor's judgement, never the article's: ``reliability``
    grades the source (A completely reliable … E unreliable, F cannot be
    judged), ``credibility`` the information (1 confirmed … 5 improbable,
    6 cannot be judged).
    """

    reliability: Literal["A", "B", "C", "D", "E", "F"]
    credibility: Literal[1, 2, 3, 4, 5, 6]
    # Why the editor graded it so.
    note: str | None = None


class Count(Model, frozen=True):
    """How many, as a number and in the article's words."""

    # Within a signed 64-bit integer, as JSON readers and the cache (msgpack) hold numbers.
    value: Annotated[int, msgspec.Meta(ge=0, le=2**63 - 1)]
    precision: Precision = "exact"
    stated: str | None = None


class Asset(Model, frozen=True):
    id: Id
    name: NonEmpty
    kind: AssetKind
    aliases: list[NonEmpty] = []
    count: Count | None = None
    # What is happening to it, in the article's words ("being dismantled").
    status: str | None = None
    location: Id | None = None
    owner: Id | None = None
    # Actors whose reporting the article cites for this asset...
    reported_by: list[Id] = []
    # ...and the events (reports, imagery) in which they did.
    reported_in: list[Id] = []
    # The sentence or phrase of the article that reports it, verbatim.
    evidence: list[NonEmpty] = []
    grading: Grading | None = None
    # How sure the article is of each reference, by field ("location", "owner"…).
    links: dict[str, Link] = {}
    mentions: list[MentionRule] = []
    notes: list[Note] = []


class Actor(Model, frozen=True):
    id: Id
    name: NonEmpty
    kind: ActorKind
    aliases: list[NonEmpty] = []
    # The editor's one-line summary of the actor's part in this story.
    role: str | None = None
    affiliation: Id | None = None
    links: dict[str, Link] = {}
    mentions: list[MentionRule] = []
    notes: list[Note] = []


class Quote(Model, frozen=True):
    id: Id
    speaker: Id
    # Verbatim, character for character, as between the article's quotation marks.
    text: NonEmpty
    section: Id
    # The article's words that introduce or attribute the quote.
    context: str | None = None
    when: When | None = None
    grading: Grading | None = None
    notes: list[Note] = []


class Location(Model, frozen=True):
    id: Id
    name: NonEmpty
    kind: LocationKind
    aliases: list[NonEmpty] = []
    # The larger location this one lies in (a base within a country)...
    within: Id | None = None
    # ...or the one it is only near ("the open sea near Portugal").
    near: Id | None = None
    position: Position | None = None
    links: dict[str, Link] = {}
    mentions: list[MentionRule] = []
    notes: list[Note] = []


class Event(Model, frozen=True):
    id: Id
    # The article's words for what happened, verbatim.
    what: NonEmpty
    when: When
    where: Id | None = None
    actors: list[Id] = []
    reported_by: list[Id] = []
    section: Id | None = None
    grading: Grading | None = None
    links: dict[str, Link] = {}
    notes: list[Note] = []


class Briefing(Model, frozen=True):
    format: int
    meta: Meta
    sections: Annotated[list[Section], msgspec.Meta(min_length=1)]
    assets: list[Asset] = []
    actors: list[Actor] = []
    quotes: list[Quote] = []
    locations: list[Location] = []
    events: list[Event] = []

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)
