"""Finding a phrase in one briefing, and the passages the reader highlights and steps through.

A search is a phrase as typed, matched case-insensitively by Unicode case
folding (so "STRASSE" finds "Straße"), never a pattern: whatever the analyst
types is looked for literally. It looks in the section text (the reader's
blocks: paragraphs, bullets, quotes), in the entries (names, aliases,
evidence, a quote's words, an event's, a status, a role) and in whatever
else the caller gives it to search (the analyst's notes), and it is bounded:
a term of at most ``MAX_TERM`` characters, at most ``MAX_MATCHES`` results of
each kind, each text read once.

``HighlightSet`` is what the reader shows of either a search or a focus: the
passages in reading order, drawn highlighted, counted and stepped through
with ``n`` / ``N`` the same way whichever it holds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Generic, NamedTuple, TypeVar

from briefing.analysis.blocks import Block
from briefing.analysis.index import BriefingIndex, Entity, EntityRef, ref_of
from briefing.analysis.mentions import Mention

# A phrase longer than any a reader types; a longer one is cut here, so one search costs at most
# a few hundred character comparisons per character of the text.
MAX_TERM = 200
# Results kept of each kind (text matches, entries, extra items): the count shown says "or more" past it.
MAX_MATCHES = 10_000

# The fields of an entry a search reads: the article's words about it, and the editor's role and status.
SEARCHED_FIELDS = ("name", "aliases", "text", "what", "context", "evidence", "status", "role")

T = TypeVar("T")


def search_term(typed: str) -> str | None:
    """The term a search looks for (cut to ``MAX_TERM``), None when there is nothing to look for.

    Spaces are kept as typed ("sparta " is a phrase); a term of spaces alone is nothing.
    """
    term = typed[:MAX_TERM]
    return term if term.strip() else None


def fold(text: str) -> str:
    return text.casefold()


def occurrences(text: str, folded_term: str) -> Iterator[tuple[int, int]]:
    """Where ``folded_term`` (already case-folded) occurs in ``text``: (start, end) offsets into ``text``.

    Occurrences do not overlap, so nothing is found twice. Case folding can
    lengthen a character ('ß' folds to 'ss', 'İ' to 'i' and a combining dot),
    so the offsets are mapped back to the text's own, and a match must start
    and end on whole characters of the text: "s" is not found inside "ß",
    "ss" is found as it.
    """
    if not folded_term:
        return
    folded = fold(text)
    step = len(folded_term)
    if len(folded) == len(text):
        # No character folds to nothing, so equal lengths mean every character folded to
        # exactly one: the offsets are the text's own (the common case, at the cost of one find).
        at = folded.find(folded_term)
        while at != -1:
            yield at, at + step
            at = folded.find(folded_term, at + step)
        return
    # For each character of the folded text, the character of ``text`` it comes from.
    origin: list[int] = []
    for number, character in enumerate(text):
        origin.extend([number] * len(fold(character)))
    origin.append(len(text))

    def whole(position: int) -> bool:
        return position == 0 or origin[position] != origin[position - 1]

    at = folded.find(folded_term)
    while at != -1:
        end = at + step
        if whole(at) and whole(end):
            yield origin[at], origin[end]
            at = folded.find(folded_term, end)
        else:
            at = folded.find(folded_term, at + 1)


def contains(text: str, folded_term: str) -> bool:
    return next(occurrences(text, folded_term), None) is not None


def entry_texts(entity: Entity) -> Iterator[str]:
    """The words of ``entity`` a search reads (``SEARCHED_FIELDS``, those it has)."""
    for field in SEARCHED_FIELDS:
        value = getattr(entity, field, None)
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            yield from (item for item in value if isinstance(item, str))


class Found(Generic[T]):
    """What a search found, each kind in reading (or file) order."""

    def __init__(
        self, term: str, text: list[Mention], entries: list[EntityRef], extra: list[T], *, complete: bool
    ) -> None:
        self.term = term
        # Matches in the section text, as passages of the reader's blocks.
        self.text = text
        # Entries whose own words match, each once.
        self.entries = entries
        # The extra items given to search (notes) whose text matches, each once.
        self.extra = extra
        # False when a kind reached MAX_MATCHES and the search stopped there.
        self.complete = complete

    @property
    def key(self) -> tuple[str, str]:
        """What the text matches depend on: the same for "Troops" and "troops"."""
        return ("match", fold(self.term))

    @property
    def nothing(self) -> bool:
        return not (self.text or self.entries or self.extra)


def find_text(
    index: BriefingIndex,
    blocks: Callable[[str], Sequence[Block]],
    typed: str,
    extra: Iterable[tuple[T, str]] = (),
) -> Found[T]:
    """Search the briefing for the phrase ``typed``, case-insensitively.

    ``blocks`` gives a section's blocks as the reader lays them out
    (``Mentions.blocks``), so a match is a passage the reader can draw.
    ``extra`` is more to search, (item, its text) — the analyst's notes —
    each item reported once if its text matches.
    """
    term = search_term(typed)
    if term is None:
        return Found("", [], [], [], complete=True)
    folded_term = fold(term)
    text = first(text_matches(index, blocks, folded_term))
    entries = first(ref_of(e) for e in index.all_entities() if any(contains(w, folded_term) for w in entry_texts(e)))
    found_extra = first(item for item, words in extra if contains(words, folded_term))
    complete = all(len(found) <= MAX_MATCHES for found in (text, entries, found_extra))
    return Found(term, text[:MAX_MATCHES], entries[:MAX_MATCHES], found_extra[:MAX_MATCHES], complete=complete)


def text_matches(index: BriefingIndex, blocks: Callable[[str], Sequence[Block]], folded_term: str) -> Iterator[Mention]:
    for section in index.briefing.sections:
        for number, block in enumerate(blocks(section.id)):
            for start, end in occurrences(block.text, folded_term):
                yield Mention(section.id, number, start, end)


def first(found: Iterable[T]) -> list[T]:
    """Up to one more than ``MAX_MATCHES`` of ``found``: enough to tell that there were more."""
    return list(islice(found, MAX_MATCHES + 1))


class Step(NamedTuple):
    passage: Mention
    # The step went past the last passage back to the first (or before the first to the last).
    wrapped: bool


class HighlightSet:
    """Passages of the section text the reader highlights: a focus's mentions or a search's matches.

    Built once when the focus or the search is set; drawing a block, counting
    a section's passages and finding a passage's place are lookups, so
    neither showing a section nor ``n`` / ``N`` walks the whole set.
    """

    def __init__(
        self, key: Hashable, nouns: tuple[str, str], passages: Sequence[Mention], *, complete: bool = True
    ) -> None:
        # What the passages are of (a focus, a search term): equal keys, equal passages,
        # so a section laid out for one is reused for the other.
        self.key = key
        # What one passage is called, and many: ("mention", "mentions"), ("match", "matches").
        self.noun, self.nouns = nouns
        self.passages = list(passages)
        # False when there were more than the set holds (MAX_MATCHES).
        self.complete = complete
        self._place = {passage: number for number, passage in enumerate(self.passages)}
        self._spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
        for passage in self.passages:
            self._spans.setdefault((passage.section_id, passage.block), []).append((passage.start, passage.end))
        self._per_section = Counter(passage.section_id for passage in self.passages)

    def __len__(self) -> int:
        return len(self.passages)

    def spans(self, section_id: str, block: int) -> list[tuple[int, int]]:
        return self._spans.get((section_id, block), [])

    def count_in(self, section_id: str) -> int:
        return self._per_section[section_id]

    def place(self, passage: Mention | None) -> int | None:
        """Where ``passage`` is in reading order (0 for the first), None if it is not one of these."""
        return self._place.get(passage) if passage is not None else None

    def counted(self) -> str:
        """ "7 matches", "1 mention", "10000+ matches"."""
        total = len(self.passages)
        return f"{total}{'' if self.complete else '+'} {self.noun if total == 1 else self.nouns}"

    def step(self, current: Mention | None, sections: Sequence[str], shown: str, step: int) -> Step | None:
        """The passage ``step`` (1 or -1) from ``current``, or, with no current one, the first at or after
        the section ``shown`` (the last before it, going back); None when there are none.

        ``sections`` are the section ids in reading order. It wraps round at either end.
        """
        if not self.passages:
            return None
        total = len(self.passages)
        place = self.place(current)
        if place is not None:
            target = place + step
            return Step(self.passages[target % total], not 0 <= target < total)
        order = {section_id: number for number, section_id in enumerate(sections)}
        here = order.get(shown, 0)
        if step > 0:
            after = next((n for n, p in enumerate(self.passages) if order.get(p.section_id, 0) >= here), None)
            return Step(self.passages[after or 0], after is None)
        before = next((n for n in range(total - 1, -1, -1) if order.get(self.passages[n].section_id, 0) < here), None)
        return Step(self.passages[total - 1 if before is None else before], before is None)
