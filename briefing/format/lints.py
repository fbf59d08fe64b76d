"""Warnings: where a valid briefing's structured layer says more than its article.

``briefing check`` runs these after the rules have passed, so the model is
always a valid one; they never make a file invalid (unless ``--strict``). Each
is a pure function over the model, linear in its size or bounded by a budget,
with its patterns compiled once:

* overstatement: a status that leaves out a hedge word ("reportedly",
  "could", …) of the evidence sentence it is taken from, or a status, role or
  editor's note that drops every hedge word its evidence or the actor's
  quotes have;
* dates more precise than their basis allows: the editor's date given as
  exact or without a note, a year the article never states, a relative date
  ("on Monday") given as exact;
* sources that are not citations: empty, a path, a file name, this repository;
* ambiguous names: a name or alias of one entry that is found, as the reader
  finds mentions (whole words, case aside), in another entry's evidence, with
  no mention rule to say the editor has scoped or reviewed it. A passage that
  is evidence of both entries (the same text, or one within the other) names
  both rightly and is not counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import msgspec

from briefing.format.kinds import ENTITY_KINDS
from briefing.format.model import Actor, Asset, Briefing, Link, Location, Note, Position, When
from briefing.format.problems import Finding, KeyPath, Problem, Syntax, locate

# -- overstatement --------------------------------------------------------------------------------

HEDGE_WORDS = (
    "reportedly",
    "allegedly",
    "could",
    "may",
    "might",
    "likely",
    "unlikely",
    "possibly",
    "probably",
    "suggests",
    "suggest",
    "suggested",
    "appears",
    "appear",
    "apparently",
    "approximately",
    "about",
    "around",
    "estimated",
    "attempting",
    "attempt",
    "attempted",
    "seeks",
    "plans",
    "believed",
    "claims",
    "claimed",
    "unconfirmed",
    "unverified",
)
# Whole words, case aside; "May" beside a number is the month ("on 5 May", "May 2024").
_HEDGE = re.compile(
    r"(?<!\w)(?:" + "|".join(word for word in HEDGE_WORDS if word != "may") + r"|(?<!\d\s)may(?!\s\d))(?!\w)",
    re.IGNORECASE,
)


_WORD_RUN = re.compile(r"\w+")
_HEDGE_SET = frozenset(HEDGE_WORDS)


def hedge_words(text: str) -> list[str]:
    """The hedge words of ``text``, lower-case, each once, in order."""
    # Most text has none: its words against a set settle that several times
    # faster than the pattern, which then runs only where there is one.
    if _HEDGE_SET.isdisjoint(_WORD_RUN.findall(text.casefold())):
        return []
    return list(dict.fromkeys(match.lower() for match in _HEDGE.findall(text)))


def _quoted(words: Sequence[str]) -> str:
    """“a”, “b” and “c”."""
    marked = [f"“{word}”" for word in words]
    return marked[0] if len(marked) == 1 else ", ".join(marked[:-1]) + " and " + marked[-1]


_KEEP_HEDGE = "keep the article's hedge: what it says with a hedge, the briefing must not state as fact"


def _overstatement(briefing: Briefing) -> Iterator[Finding]:
    for index, asset in enumerate(briefing.assets):
        hedged = _words_of(asset.evidence)
        if not hedged:
            continue
        path: KeyPath = ("assets", index)
        if asset.status is not None:
            # A status found in its evidence keeps its own sentence's hedges; any other keeps one of them.
            from_sentence = _dropped_from_sentence(asset.status, asset.evidence)
            dropped = _all_dropped(asset.status, hedged) if from_sentence is None else from_sentence
            yield from _field_drops(path, "status", dropped, "of its evidence")
        yield from _notes_drop(path, asset, hedged, "of its evidence")
    said: dict[str, list[str]] = {}
    for quote in briefing.quotes:
        words = said.setdefault(quote.speaker, [])
        words.extend(hedge_words(quote.text))
        if quote.context:
            words.extend(hedge_words(quote.context))
    for index, actor in enumerate(briefing.actors):
        hedged = list(dict.fromkeys(said.get(actor.id, ())))
        if not hedged:
            continue
        if actor.role is not None:
            yield from _field_drops(
                ("actors", index), "role", _all_dropped(actor.role, hedged), "of the actor's quotes"
            )
        yield from _notes_drop(("actors", index), actor, hedged, "of the actor's quotes")


def _words_of(texts: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(word for text in texts for word in hedge_words(text)))


# Where a sentence ends, in the article's punctuation.
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")


def _dropped_from_sentence(status: str, evidence: Sequence[str]) -> list[str] | None:
    """The hedge words of the evidence sentence a status is taken from that the status leaves out.

    A status is the article's words: when they are found in a line of its
    evidence, the sentence around them is what they came from, and any hedge
    of that sentence ("it is reportedly attempting to transfer") must stay
    ("reportedly attempting to transfer"). None when no line holds the status.
    """
    folded = status.casefold()
    kept = set(hedge_words(status))
    found = False
    dropped: list[str] = []
    for line in evidence:
        # Case-folded, both: where the status is in the line, and the sentence around it.
        line = line.casefold()
        at = line.find(folded)
        if at < 0:
            continue
        found = True
        ends = [m.end() for m in _SENTENCE_END.finditer(line)]
        start = max((end for end in ends if end <= at), default=0)
        stop = min((end for end in ends if end >= at + len(folded)), default=len(line))
        dropped += [word for word in hedge_words(line[start:stop]) if word not in kept]
    return list(dict.fromkeys(dropped)) if found else None


def _all_dropped(value: str, hedged: list[str]) -> list[str]:
    """``hedged``, if ``value`` keeps none of them (any hedge word counts as keeping the hedge)."""
    return [] if _HEDGE.search(value) else hedged


def _field_drops(path: KeyPath, field: str, dropped: list[str], source: str) -> Iterator[Finding]:
    if dropped:
        yield Finding((*path, field), f"`{field}` drops {_quoted(dropped)} {source}", hint=_KEEP_HEDGE)


def _notes_drop(path: KeyPath, entry: Asset | Actor, hedged: list[str], source: str) -> Iterator[Finding]:
    """The editor's notes that keep none of the hedges of ``source``."""
    for number, note in enumerate(entry.notes):
        if note.basis == "editor" and _all_dropped(note.text, hedged):
            yield Finding(
                (*path, "notes", number, "text"), f"this note drops {_quoted(hedged)} {source}", hint=_KEEP_HEDGE
            )


# -- dates ----------------------------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)[12]\d{3}(?!\d)")
_RELATIVE = re.compile(
    r"(?<!\w)(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|tomorrow"
    r"|overnight|weekend|ago|last|this|next|past|recent|recently|earlier|later)(?!\w)",
    re.IGNORECASE,
)


def _dates(briefing: Briefing) -> Iterator[Finding]:
    for kind in ENTITY_KINDS:
        for index, item in enumerate(getattr(briefing, kind.collection)):
            when: When | None = getattr(item, "when", None)
            if when is not None:
                yield from _date((kind.collection, index, "when"), when)


def _date(path: KeyPath, when: When) -> Iterator[Finding]:
    if when.basis == "editor" and when.precision == "exact":
        yield Finding(
            (*path, "precision"),
            "a date on the editor's word cannot be exact",
            hint='make it "approximate" or "inferred", or cite the reporting that dates it (basis = "external")',
        )
    if when.basis == "editor" and not (when.note and when.note.strip()):
        yield Finding(
            path,
            "a date on the editor's word must say in `note` how it was worked out",
            hint='add note = "…"',
            prefer="key",
        )
    stated = when.stated
    if when.basis == "article" and stated is not None and not _YEAR.search(stated):
        yield Finding(
            (*path, "basis"),
            f"the article's words “{stated}” give no year: the full date is not the article's",
            hint='cite the reporting that gives the year (basis = "external", with its source), '
            'or mark it the editor\'s inference (basis = "editor", precision = "inferred")',
        )
    relative = _RELATIVE.search(stated) if stated is not None else None
    if when.precision == "exact" and relative is not None:
        yield Finding(
            (*path, "precision"),
            f"“{stated}” is a date relative to another (“{relative[0]}”): it cannot be exact",
            hint='make it "inferred" and say in `note` what it was counted from',
        )


# -- sources --------------------------------------------------------------------------------------

_REPOSITORY = re.compile(r"shared[/\\]seed|(?<![\w.])(?:facts\.md|article\.txt|sparta\.toml)(?!\w)", re.IGNORECASE)
_FILE_NAME = re.compile(
    r"(?<![\w./\\~-])[\w./\\~-]*[\w-]\.(?:md|markdown|txt|text|toml|json|jsonl|ya?ml|py|pyi|csv|tsv|rst|html?|xml"
    r"|ini|cfg|conf|log|sh|pdf|docx?|odt|xlsx?)(?!\w)",
    re.IGNORECASE,
)
_URL = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# Punctuation around a word of a citation: "(shared/seed)", "“a/b”,".
_AROUND = "()[]{}<>,;:\"'“”‘’«»"
_LOWER_PATH_PART = re.compile(r"[a-z0-9_.~-]*[a-z][a-z0-9_.~-]*")


def citation_problem(source: str) -> str | None:
    """Why ``source`` is not a citation a reader can look up; None when it may be one."""
    if not source.strip():
        return "it is empty" if not source else "it is blank"
    # A web address is something a reader can look up, whatever its path.
    words = [word.strip(_AROUND) for word in source.split()]
    words = [word for word in words if not _URL.match(word)]
    rest = " ".join(words)
    if match := _REPOSITORY.search(rest):
        return f"it names a file of this repository (“{match[0]}”)"
    if match := _FILE_NAME.search(rest):
        return f"it names a file (“{match[0]}”)"
    for word in words:
        if _is_path(word):
            return f"it is a path (“{word}”)"
    return None


def _is_path(word: str) -> bool:
    if "\\" in word.strip("\\"):
        return True
    if word.startswith(("/", "./", "../", "~/")) and len(word.strip("/.~")) > 0:
        return True
    parts = word.split("/")
    if len(parts) > 2 and any(character.isalpha() for character in word):
        return True
    # One separator: a path of lower-case names ("shared/seed"), not an outlet ("RFE/RL") or "2024-12-08/09".
    return len(parts) == 2 and all(_LOWER_PATH_PART.fullmatch(part) for part in parts)


_CITE = (
    "cite the outlet and date (“Kyiv Independent, 2024-12-23”); "
    "a file of this repository is where a fact is looked up, not what a reader can check"
)


def _sources(briefing: Briefing) -> Iterator[Finding]:
    for path, value in _cited(briefing):
        if value.source is not None:
            reason = citation_problem(value.source)
            if reason is not None:
                yield Finding((*path, "source"), f"`source` is not a citation: {reason}", hint=_CITE)


def _cited(briefing: Briefing) -> Iterator[tuple[KeyPath, Note | When | Position | Link]]:
    for index, note in enumerate(briefing.meta.caveats):
        yield ("meta", "caveats", index), note
    for kind in ENTITY_KINDS:
        for index, item in enumerate(getattr(briefing, kind.collection)):
            path: KeyPath = (kind.collection, index)
            for number, note in enumerate(item.notes):
                yield (*path, "notes", number), note
            for field in ("when", "position"):
                value = getattr(item, field, None)
                if value is not None:
                    yield (*path, field), value
            links: dict[str, Link] = getattr(item, "links", None) or {}
            for field, link in links.items():
                yield (*path, "links", field), link


# -- ambiguous names ------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
# Characters compared looking names up in evidence, beyond this many per character of it; past
# the budget the remaining names are not looked up (a warning missed, never a wrong one).
NAME_BUDGET = 5_000_000
_PER_CHARACTER = 32
_LOOKUP_COST = 64


class _Names:
    """The unscoped names and aliases of one kind's entries, looked up in its evidence.

    Indexed by their first word, so each line of evidence is read once and
    only the names that could be in it (its words against the index, in C)
    are compared: a file of thousands of entries costs about one read of its
    evidence, not a pass per name.
    """

    def __init__(self, collection: str, entries: Sequence[Asset | Actor | Location]) -> None:
        # (path, the name as written, case-folded, owner)
        self.named: list[tuple[KeyPath, str, str, int]] = []
        for owner, entry in enumerate(entries):
            scoped = {rule.name.casefold() for rule in entry.mentions}
            names: list[tuple[KeyPath, str]] = [((collection, owner, "name"), entry.name)]
            names += [((collection, owner, "aliases", n), alias) for n, alias in enumerate(entry.aliases)]
            for path, name in names:
                folded = name.casefold()
                if name.strip() and folded not in scoped:
                    self.named.append((path, name, folded, owner))
        # Names not found yet, by first word (insertion-ordered dicts as sets): a
        # name found is taken out, so no later line compares it again.
        self.by_first_word: dict[str, dict[int, None]] = {}
        self.wordless: dict[int, None] = {}
        for number, (_, _, folded, _) in enumerate(self.named):
            words = _WORD.findall(folded)
            pending = self.by_first_word.setdefault(words[0], {}) if words else self.wordless
            pending[number] = None

    def found_elsewhere(self, entries: Sequence[Asset | Actor | Location]) -> dict[int, int]:
        """For each name found in another entry's evidence, that entry (the first in the file)."""
        evidence = [[text.casefold() for text in getattr(entry, "evidence", ())] for entry in entries]
        left = NAME_BUDGET + _PER_CHARACTER * sum(len(text) for texts in evidence for text in texts)
        found: dict[int, int] = {}
        for owner, texts in enumerate(evidence):
            for text in texts:
                words = self.by_first_word.keys() & set(_WORD.findall(text))
                for pending in [*(self.by_first_word[word] for word in words), self.wordless]:
                    for number in list(pending):
                        _, _, folded, named_owner = self.named[number]
                        if named_owner == owner:
                            continue
                        # Every comparison is paid for: no input makes this quadratic.
                        left -= len(text) + _LOOKUP_COST
                        if left < 0:
                            return found
                        if _has_whole(text, folded) and not _shared(text, evidence[named_owner]):
                            found[number] = owner
                            del pending[number]
        return found


def _shared(text: str, own: list[str]) -> bool:
    """Whether ``text`` is also (part of) the entry's own evidence: a passage about both entries."""
    return any(mine in text or text in mine for mine in own)


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def _has_whole(text: str, name: str) -> bool:
    """Whether ``name`` occurs in ``text`` with no word character just before or after it."""
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        if (at == 0 or not _is_word_character(text[at - 1])) and (
            end == len(text) or not _is_word_character(text[end])
        ):
            return True
        at = text.find(name, at + 1)
    return False


def _ambiguous_names(briefing: Briefing) -> Iterator[Finding]:
    for kind in ENTITY_KINDS:
        entries = getattr(briefing, kind.collection)
        if not entries or not hasattr(entries[0], "mentions"):
            continue
        if not any(getattr(entry, "evidence", None) for entry in entries):
            continue
        names = _Names(kind.collection, entries)
        found = names.found_elsewhere(entries)
        for number in sorted(found):
            path, name, _, _ = names.named[number]
            what = "name" if path[-1] == "name" else "alias"
            yield Finding(
                path,
                f"{what} “{name}” is also found in the evidence of {kind.name} `{entries[found[number]].id}`: "
                "its mentions may be of something else",
                hint=f'scope it with mentions = [{{ name = "{name}", sections = […], not_in = […] }}]',
            )


# -- all of them ----------------------------------------------------------------------------------


def lint(briefing: Briefing) -> list[Finding]:
    """Every warning about a valid briefing, each a Finding with ``severity = "warning"``."""
    found: list[Finding] = []
    for check in (_overstatement, _dates, _sources, _ambiguous_names):
        found.extend(check(briefing))
    return [msgspec.structs.replace(finding, severity="warning") for finding in found]


def lint_problems(briefing: Briefing, text: str, file: str, syntax: Syntax = "toml") -> list[Problem]:
    """The warnings about ``briefing``, located as errors are in ``text``, the document it was read from."""
    findings = lint(briefing)
    return locate(findings, text, file, syntax) if findings else []
