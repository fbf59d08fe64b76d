"""Rules a briefing must follow beyond its types: unique ids, references that
resolve, provenance that names its source, links and mention rules that say
what the article says. Pure functions over the model.

Every rule is linear in the size of the briefing, whatever its shape: a chain
of 30,000 places each within the next is walked once, "did you mean"
hints stop when their budget of comparisons is spent (problems.Suggestions),
and excerpts (a link's ``hedge``, a mention rule's ``not_in``) are looked up
in the article's text through an index of its words, within a budget
(``ArticleText``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from briefing.format.kinds import ENTITY_KINDS, KIND, KINDS, Kind, referenced_ids
from briefing.format.model import (
    Actor,
    BodySection,
    Briefing,
    GlanceSection,
    LedeSection,
    Link,
    Location,
    Note,
    Position,
    When,
)
from briefing.format.problems import Finding, KeyPath, Suggestions, describe_value


def check_semantics(briefing: Briefing) -> list[Finding]:
    findings: list[Finding] = []
    ids: dict[str, dict[str, int]] = {kind.name: _ids(briefing, kind, findings) for kind in KINDS}
    suggestions = Suggestions()
    findings.extend(_references(briefing, ids, suggestions))
    for kind in KINDS:
        for reference in kind.references:
            if reference.tree:
                findings.extend(_cycles(briefing, kind, reference.field))
    findings.extend(_unstated(briefing))
    findings.extend(_provenance(briefing))
    excerpts = _Excerpts()
    findings.extend(_links(briefing, suggestions, excerpts))
    findings.extend(_mention_rules(briefing, ids["section"], suggestions, excerpts))
    findings.extend(excerpts.check(briefing))
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


def _references(briefing: Briefing, ids: dict[str, dict[str, int]], suggestions: Suggestions) -> Iterator[Finding]:
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
        if isinstance(value, When) and value.on_or_before and value.until is not None:
            yield Finding(
                (*path, "on_or_before"),
                "`on_or_before` cannot go with `until`",
                hint="a date known only as an upper bound has no last day: drop `until`, "
                "or drop `on_or_before` for a span of days",
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


# -- links and mention rules ---------------------------------------------------------------------


def _links(briefing: Briefing, suggestions: Suggestions, excerpts: _Excerpts) -> Iterator[Finding]:
    """Each ``links`` key names a reference the entry gives; each link has what its basis needs."""
    for kind in ENTITY_KINDS:
        fields = [reference.field for reference in kind.references]
        for index, item in enumerate(getattr(briefing, kind.collection)):
            links: dict[str, Link] = getattr(item, "links", None) or {}
            for field, link in links.items():
                path: KeyPath = (kind.collection, index, "links", field)
                reference = kind.reference(field)
                if reference is None:
                    yield Finding(
                        path,
                        f"`{field}` is not a reference of {_article(kind.name)}",
                        expected=f"one of {', '.join(fields)}" if fields else "no links",
                        hint=suggestions.did_you_mean(field, fields),
                        prefer="key",
                    )
                elif not referenced_ids(item, reference):
                    yield Finding(
                        path,
                        f"`links.{field}` qualifies a `{field}` this {kind.name} does not give",
                        hint=f"give `{field}`, or remove `links.{field}`",
                        prefer="key",
                    )
                yield from _link(path, link, excerpts)


def _link(path: KeyPath, link: Link, excerpts: _Excerpts) -> Iterator[Finding]:
    basis = link.basis
    if basis in ("hedged", "intended") and not link.hedge:
        yield Finding(
            (*path, "basis"),
            f"a link that is `{basis}` must quote the article's words in `hedge`",
            hint='add hedge = "…" with the words that make it so, verbatim ("reportedly attempting to")',
        )
    if basis == "external" and not link.source:
        yield Finding(
            (*path, "basis"),
            "an external link must name its `source`",
            hint='add source = "…" citing the reporting it comes from (outlet and date)',
        )
    if basis == "inferred" and not link.note:
        yield Finding(
            (*path, "basis"),
            "an inferred link must say why in `note`",
            hint='add note = "…" with the editor\'s reason',
        )
    if link.hedge:
        excerpts.want((*path, "hedge"), link.hedge, folded=True)


def _mention_rules(
    briefing: Briefing, sections: dict[str, int], suggestions: Suggestions, excerpts: _Excerpts
) -> Iterator[Finding]:
    """A rule scopes one of its entry's names, to sections that exist, outside passages of the text."""
    for kind in ENTITY_KINDS:
        for index, item in enumerate(getattr(briefing, kind.collection)):
            rules = getattr(item, "mentions", None)
            if not rules:
                continue
            names = [item.name, *item.aliases]
            # As the reader applies rules: a name's case does not matter.
            folded = {name.casefold() for name in names}
            for number, rule in enumerate(rules):
                path: KeyPath = (kind.collection, index, "mentions", number)
                if rule.name.casefold() not in folded:
                    yield Finding(
                        (*path, "name"),
                        f"`{rule.name}` is not a name of this {kind.name}",
                        expected="its `name` or one of its `aliases`",
                        hint=suggestions.did_you_mean(rule.name, names),
                    )
                for position, section in enumerate(rule.sections):
                    if section not in sections:
                        yield Finding(
                            (*path, "sections", position),
                            f"`sections` refers to unknown section `{section}`",
                            expected="the id of one of the briefing's sections",
                            hint=suggestions.did_you_mean(section, sections),
                        )
                for position, passage in enumerate(rule.not_in):
                    excerpts.want((*path, "not_in", position), passage, folded=False)


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def article_passages(briefing: Briefing) -> Iterator[str]:
    """The article's own text: paragraphs and bullets, quotes, asset evidence, what events were."""
    for section in briefing.sections:
        if isinstance(section, GlanceSection):
            yield from section.bullets
        elif isinstance(section, (LedeSection, BodySection)):
            yield from section.paragraphs
    for quote in briefing.quotes:
        yield quote.text
    for asset in briefing.assets:
        yield from asset.evidence
    for event in briefing.events:
        yield event.what


class _Excerpts:
    """Excerpts the rules want found in the article's text, looked up together at the end."""

    def __init__(self) -> None:
        self.wanted: list[tuple[KeyPath, str, bool]] = []

    def want(self, path: KeyPath, excerpt: str, *, folded: bool) -> None:
        self.wanted.append((path, excerpt, folded))

    def check(self, briefing: Briefing) -> Iterator[Finding]:
        if not self.wanted:
            return
        texts: dict[bool, ArticleText] = {}
        for path, excerpt, folded in self.wanted:
            if folded not in texts:
                texts[folded] = ArticleText(article_passages(briefing), folded=folded)
            found = texts[folded].holds(excerpt)
            what = "`hedge`" if path[-1] == "hedge" else "this `not_in` passage"
            if found is None:
                yield Finding(
                    path,
                    f"{what} could not be looked up: the file has too many excerpts to find in its text",
                    hint=f"the search stops after {texts[folded].budget:,} characters compared",
                )
            elif not found:
                yield Finding(
                    path,
                    f"{what} is not in the article's text",
                    expected="the article's words, verbatim" + (" (case aside)" if folded else ""),
                    found=describe_value(excerpt),
                )


# Whole words as ``re`` sees them (letters, digits, underscore).
_WORD = re.compile(r"\w+")
# Looking an excerpt up in the whole text is cheapest, in C, for the first few.
_WHOLE_TEXT_LOOKUPS = 8
# What each look-up costs beyond the characters it compares.
_LOOKUP_COST = 64
# Characters compared, beyond this many per character of the text.
LOOKUP_BUDGET = 20_000_000
_PER_CHARACTER = 32


def _rarer(word: str | None, than: str | None, index: dict[str, list[int]]) -> bool:
    """Whether ``word`` is held by fewer passages than ``than`` (any word is rarer than none)."""
    if word is None:
        return False
    return than is None or len(index.get(word, ())) < len(index.get(than, ()))


class ArticleText:
    """Passages of text in which excerpts are looked up, each in time bounded by the text's size.

    Looking thousands of excerpts up in the whole text would be quadratic, so
    the passages are indexed by word: an excerpt is looked for in the passages
    that hold the rarest of its words. A word whole within it (not at either
    end, where the excerpt may start or end inside a word of the text) settles
    the question there; only an excerpt of no such word, not found beside its
    end words, is looked for in the whole text. Every comparison is charged to
    a budget proportional to the text's length; once it is spent, ``holds``
    answers None (not known), which the rules report as an error of its own.
    """

    def __init__(self, passages: Iterable[str], *, folded: bool) -> None:
        self.folded = folded
        self.passages = list(dict.fromkeys(self._fold(passage) for passage in passages))
        # The separator cannot be in a loaded briefing's text (control characters are defused).
        self.whole = "\x00".join(self.passages)
        self.budget = LOOKUP_BUDGET + _PER_CHARACTER * len(self.whole)
        self.left = self.budget
        self.known: dict[str, bool] = {}
        self.index: dict[str, list[int]] | None = None

    def _fold(self, text: str) -> str:
        return text.casefold() if self.folded else text

    def holds(self, excerpt: str) -> bool | None:
        """Whether one of the passages holds ``excerpt`` (casefolded, if so made); None past the budget."""
        excerpt = self._fold(excerpt)
        if excerpt in self.known:
            return self.known[excerpt]
        found = self._look_up(excerpt)
        if found is not None:
            self.known[excerpt] = found
        return found

    def _charge(self, cost: int) -> bool:
        if cost > self.left:
            self.left = 0
            return False
        self.left -= cost
        return True

    def _look_up(self, excerpt: str) -> bool | None:
        if "\x00" in excerpt:
            return False
        if len(self.known) < _WHOLE_TEXT_LOOKUPS or not excerpt:
            return excerpt in self.whole if self._charge(len(self.whole) + _LOOKUP_COST) else None
        inner, outer = self._rarest_words(excerpt)
        # The rarest word first: found where it is, the excerpt is there; a word at
        # either end may be part of a longer word, so not finding it there proves nothing.
        tries = [(outer, False), (inner, True)] if _rarer(outer, inner, self._index()) else [(inner, True)]
        for word, complete in tries:
            if word is None:
                continue
            found = self._in_passages_with(word, excerpt)
            if found is None or found or complete:
                return found
        return excerpt in self.whole if self._charge(len(self.whole) + _LOOKUP_COST) else None

    def _in_passages_with(self, word: str, excerpt: str) -> bool | None:
        for number in self._index().get(word, ()):
            passage = self.passages[number]
            if not self._charge(len(passage) + _LOOKUP_COST):
                return None
            if excerpt in passage:
                return True
        return False

    def _rarest_words(self, excerpt: str) -> tuple[str | None, str | None]:
        """The excerpt's words held by the fewest passages: of those whole within it, and of those at its ends."""
        index = self._index()
        inner: str | None = None
        outer: str | None = None
        for match in _WORD.finditer(excerpt):
            word = match[0]
            if match.start() > 0 and match.end() < len(excerpt):
                if _rarer(word, inner, index):
                    inner = word
            elif _rarer(word, outer, index):
                outer = word
        return inner, outer

    def _index(self) -> dict[str, list[int]]:
        if self.index is None:
            self.index = {}
            for number, passage in enumerate(self.passages):
                for word in set(_WORD.findall(passage)):
                    self.index.setdefault(word, []).append(number)
        return self.index
