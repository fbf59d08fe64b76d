"""Rules a briefing must follow beyond its types: unique ids, references that
resolve, provenance that names its source. Pure functions over the model.

Every rule is linear in the size of the briefing, whatever its shape: a chain
of 30,000 places each within the next is walked once, and "did you mean"
hints stop when their budget of comparisons is spent (problems.Suggestions).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from briefing.format.kinds import ENTITY_KINDS, KIND, KINDS, Kind, referenced_ids
from briefing.format.model import Actor, Briefing, Location, Note, Position, When
from briefing.format.problems import Finding, KeyPath, Suggestions


def check_semantics(briefing: Briefing) -> list[Finding]:
    findings: list[Finding] = []
    ids: dict[str, dict[str, int]] = {kind.name: _ids(briefing, kind, findings) for kind in KINDS}
    findings.extend(_references(briefing, ids))
    for kind in KINDS:
        for reference in kind.references:
            if reference.tree:
                findings.extend(_cycles(briefing, kind, reference.field))
    findings.extend(_unstated(briefing))
    findings.extend(_provenance(briefing))
    return findings


def _ids(briefing: Briefing, kind: Kind, findings: list[Finding]) -> dict[str, int]:
    first: dict[str, int] = {}
    collection = kind.collection
    for index, item in enumerate(getattr(briefing, collection)):
        if item.id in first:
            findings.append(
                Finding(
                    (collection, index, "id"),
                    f"duplicate {kind.name} id `{item.id}`",
                    hint=f"already used by {collection}[{first[item.id]}]; ids must be unique within {collection}",
                )
            )
        else:
            first[item.id] = index
    return first


def _references(briefing: Briefing, ids: dict[str, dict[str, int]]) -> Iterator[Finding]:
    suggestions = Suggestions()
    for kind in KINDS:
        for reference in kind.references:
            target = KIND[reference.target]
            known = ids[target.name]
            for index, item in enumerate(getattr(briefing, kind.collection)):
                for position, ref in enumerate(referenced_ids(item, reference)):
                    if ref in known:
                        continue
                    path: KeyPath = (kind.collection, index, reference.field)
                    if reference.many:
                        path += (position,)
                    yield Finding(
                        path,
                        f"`{reference.field}` refers to unknown {target.name} `{ref}`",
                        expected=f"the id of one of the briefing's {target.collection}",
                        hint=suggestions.did_you_mean(ref, known),
                    )


def _cycles(briefing: Briefing, kind: Kind, field: str) -> Iterator[Finding]:
    """A tree's links (``within``, ``affiliation``): no entity is its own ancestor.

    Each entity is visited once (linear, however long the chains); each loop
    is reported once, at its member that comes first in the file.
    """
    collection = kind.collection
    items: Sequence[Location | Actor] = getattr(briefing, collection)
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        first.setdefault(item.id, index)
    parent: list[int | None] = [first.get(getattr(item, field)) if getattr(item, field) else None for item in items]
    new, on_path, done = 0, 1, 2
    state = [new] * len(items)
    for start in range(len(items)):
        path: list[int] = []
        node = start if state[start] == new else None
        while node is not None and state[node] == new:
            state[node] = on_path
            path.append(node)
            node = parent[node]
        if node is not None and state[node] == on_path:
            loop = path[path.index(node) :]
            reported = min(loop)
            yield Finding(
                (collection, reported, field),
                f"`{field}` makes a loop: {kind.name} `{items[reported].id}` ends up inside itself",
                hint=f"{_loop_text(items, loop, reported)}; break the cycle",
            )
        for visited in path:
            state[visited] = done


def _loop_text(items: Sequence[Location | Actor], loop: list[int], start: int) -> str:
    """```a` → `b` → `c` → `a```, from ``start``; a long loop is shortened in the middle."""
    at = loop.index(start)
    names = [f"`{items[index].id}`" for index in loop[at:] + loop[:at]]
    if len(names) > 6:
        names = [*names[:3], f"… {len(names) - 5} more …", *names[-2:]]
    return " → ".join([*names, names[0]])


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
    for kind in ENTITY_KINDS:
        for index, item in enumerate(getattr(briefing, kind.collection)):
            for position, note in enumerate(item.notes):
                yield (kind.collection, index, "notes", position), note
            for field in ("when", "position"):
                value = getattr(item, field, None)
                if value is not None:
                    yield (kind.collection, index, field), value
