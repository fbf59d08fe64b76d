"""Rules a briefing must follow beyond its types: unique ids, references that
resolve, provenance that names its source. Pure functions over the model."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from briefing.model import Briefing, Note, Position, When
from briefing.problems import Finding, KeyPath, did_you_mean

# (collection, field, target collection). A field holding a list of ids is
# checked element by element.
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("assets", "location", "locations"),
    ("assets", "owner", "actors"),
    ("assets", "reported_by", "actors"),
    ("assets", "reported_in", "events"),
    ("actors", "affiliation", "actors"),
    ("quotes", "speaker", "actors"),
    ("quotes", "section", "sections"),
    ("locations", "within", "locations"),
    ("locations", "near", "locations"),
    ("events", "where", "locations"),
    ("events", "actors", "actors"),
    ("events", "reported_by", "actors"),
    ("events", "section", "sections"),
)

_SINGULAR = {
    "sections": "section",
    "assets": "asset",
    "actors": "actor",
    "quotes": "quote",
    "locations": "location",
    "events": "event",
}


def check_semantics(briefing: Briefing) -> list[Finding]:
    findings: list[Finding] = []
    ids = {name: _ids(briefing, name, findings) for name in _SINGULAR}
    findings.extend(_references(briefing, ids))
    findings.extend(_cycles(briefing, "locations", "within"))
    findings.extend(_cycles(briefing, "actors", "affiliation"))
    findings.extend(_unstated(briefing))
    findings.extend(_provenance(briefing))
    return findings


def _ids(briefing: Briefing, collection: str, findings: list[Finding]) -> dict[str, int]:
    first: dict[str, int] = {}
    for index, item in enumerate(getattr(briefing, collection)):
        if item.id in first:
            findings.append(
                Finding(
                    (collection, index, "id"),
                    f"duplicate {_SINGULAR[collection]} id `{item.id}`",
                    hint=f"already used by {collection}[{first[item.id]}]; ids must be unique within {collection}",
                )
            )
        else:
            first[item.id] = index
    return first


def _references(briefing: Briefing, ids: dict[str, dict[str, int]]) -> Iterator[Finding]:
    for collection, field, target in REFERENCES:
        for index, item in enumerate(getattr(briefing, collection)):
            value = getattr(item, field)
            if value is None:
                continue
            refs: Sequence[str] = value if isinstance(value, list) else [value]
            for position, ref in enumerate(refs):
                if ref in ids[target]:
                    continue
                path: KeyPath = (collection, index, field)
                if isinstance(value, list):
                    path += (position,)
                yield Finding(
                    path,
                    f"`{field}` refers to unknown {_SINGULAR[target]} `{ref}`",
                    expected=f"the id of one of the briefing's {target}",
                    hint=did_you_mean(ref, ids[target]),
                )


def _cycles(briefing: Briefing, collection: str, field: str) -> Iterator[Finding]:
    """``within`` and ``affiliation`` must form a tree: no entity is its own ancestor."""
    parent = {item.id: getattr(item, field) for item in getattr(briefing, collection)}
    for index, item in enumerate(getattr(briefing, collection)):
        seen = {item.id}
        current = parent.get(item.id)
        while current is not None and current in parent:
            if current in seen:
                yield Finding(
                    (collection, index, field),
                    f"`{field}` makes a loop: {_SINGULAR[collection]} `{item.id}` ends up inside itself",
                    hint=f"follow {field} from `{item.id}` and break the cycle",
                )
                break
            seen.add(current)
            current = parent[current]


def _unstated(briefing: Briefing) -> Iterator[Finding]:
    """Metadata the article leaves out must be declared, not just missing."""
    meta = briefing.meta
    for name in ("publication", "author", "published", "url"):
        given = getattr(meta, name) is not None
        declared = name in meta.unstated
        if not given and not declared:
            yield Finding(
                ("meta",),
                f"`meta.{name}` is neither given nor listed in `meta.unstated`",
                hint=f'give it, or add "{name}" to meta.unstated if the source does not state it',
                prefer="key",
            )
        elif given and declared:
            yield Finding(
                ("meta", "unstated"),
                f"`{name}` is listed in `meta.unstated` but `meta.{name}` is given",
                hint="remove one of the two",
            )


def _provenance(briefing: Briefing) -> Iterator[Finding]:
    """External facts must name their source; date ranges must run forward."""
    for path, value in _provenanced(briefing):
        if value.basis == "external" and not value.source:
            yield Finding(
                (*path, "basis"),
                "an external fact must name its `source`",
                hint='add source = "…" naming the reporting it comes from',
            )
        if isinstance(value, When) and value.until is not None and value.until < value.date:
            yield Finding(
                (*path, "until"),
                "`until` is before `date`",
                expected=f"a date on or after {value.date.isoformat()}",
                found=value.until.isoformat(),
            )


def _provenanced(briefing: Briefing) -> Iterator[tuple[KeyPath, Note | When | Position]]:
    for index, note in enumerate(briefing.meta.caveats):
        yield ("meta", "caveats", index), note
    for collection in ("assets", "actors", "quotes", "locations", "events"):
        for index, item in enumerate(getattr(briefing, collection)):
            for position, note in enumerate(item.notes):
                yield (collection, index, "notes", position), note
            for field in ("when", "position"):
                value = getattr(item, field, None)
                if value is not None:
                    yield (collection, index, field), value
