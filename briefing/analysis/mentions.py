"""Where the text mentions an entity, found from the briefing's own names.

An actor, asset or location is mentioned wherever its name or one of its
aliases appears, case-insensitively and on word boundaries ("Russia" is not
found inside "Russian"; "Russian" is found when it is an alias), except where
the entry's ``mentions`` rules keep a name to some sections or out of some
passages ("troops" means the 7,500 in Syria, not the ones the lede puts on
the ship). Results are computed once per entity and kept, so moving the focus
or stepping through mentions never searches the text again.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

import msgspec

from briefing.analysis.blocks import Block, section_blocks
from briefing.analysis.index import BriefingIndex, EntityRef
from briefing.format.model import MentionRule


class Mention(msgspec.Struct, frozen=True):
    section_id: str
    # Index of the block in ``Mentions.blocks(section_id)``.
    block: int
    start: int
    end: int


def names_of(index: BriefingIndex, ref: EntityRef) -> list[str]:
    entity = index.get(ref)
    if entity is None or not hasattr(entity, "aliases"):
        return []
    return [entity.name, *entity.aliases]  # type: ignore[union-attr]


def rules_of(index: BriefingIndex, ref: EntityRef) -> dict[str, MentionRule]:
    """The entry's mention rules by the name they scope, case-folded as matching is."""
    entity = index.get(ref)
    rules: list[MentionRule] = getattr(entity, "mentions", None) or []
    return {rule.name.casefold(): rule for rule in rules}


class Passages:
    """Where some passages occur in a text, to ask whether a match lies inside one (in log time)."""

    def __init__(self, text: str, passages: list[str]) -> None:
        spans: list[tuple[int, int]] = []
        for passage in passages:
            # Occurrences that do not overlap: a match inside an overlapping one lies inside these too.
            at = text.find(passage)
            while at >= 0:
                spans.append((at, at + len(passage)))
                at = text.find(passage, at + len(passage))
        spans.sort()
        self.starts = [a for a, _ in spans]
        # The furthest end of the spans starting at or before each one.
        self.reach: list[int] = []
        for _, b in spans:
            self.reach.append(max(b, self.reach[-1]) if self.reach else b)

    def cover(self, start: int, end: int) -> bool:
        at = bisect.bisect_right(self.starts, start) - 1
        return at >= 0 and self.reach[at] >= end


def allowed(rule: MentionRule | None, section_id: str | None, passages: Passages | None, start: int, end: int) -> bool:
    """Whether a match at ``start``–``end`` counts under its name's rule (``passages``: the rule's ``not_in``)."""
    if rule is None:
        return True
    if rule.sections and section_id is not None and section_id not in rule.sections:
        return False
    return passages is None or not passages.cover(start, end)


def name_pattern(names: list[str]) -> re.Pattern[str] | None:
    """One pattern for all the names, longest first so "HUR" never shadows a longer name."""
    names = sorted({n for n in names if n.strip()}, key=len, reverse=True)
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


class Mentions:
    def __init__(self, index: BriefingIndex) -> None:
        self.index = index
        self._blocks: dict[str, list[Block]] = {}
        self._found: dict[EntityRef, list[Mention]] = {}
        self._patterns: dict[EntityRef, re.Pattern[str] | None] = {}
        self._rules: dict[EntityRef, dict[str, MentionRule]] = {}

    def blocks(self, section_id: str) -> list[Block]:
        """The section as the reader lays it out (quotes set apart)."""
        if section_id not in self._blocks:
            section = self.index.sections[section_id]
            self._blocks[section_id] = section_blocks(section, self.index.briefing.quotes)
        return self._blocks[section_id]

    def pattern(self, ref: EntityRef) -> re.Pattern[str] | None:
        if ref not in self._patterns:
            self._patterns[ref] = name_pattern(names_of(self.index, ref))
        return self._patterns[ref]

    def rules(self, ref: EntityRef) -> dict[str, MentionRule]:
        if ref not in self._rules:
            self._rules[ref] = rules_of(self.index, ref)
        return self._rules[ref]

    def of(self, ref: EntityRef) -> list[Mention]:
        """Every mention of ``ref`` in reading order."""
        if ref not in self._found:
            found: list[Mention] = []
            pattern = self.pattern(ref)
            if pattern is not None:
                for section in self.index.briefing.sections:
                    for number, block in enumerate(self.blocks(section.id)):
                        found.extend(
                            Mention(section.id, number, start, end)
                            for start, end in self._matches(ref, pattern, section.id, block.text)
                        )
            self._found[ref] = found
        return self._found[ref]

    def in_text(self, ref: EntityRef, text: str) -> bool:
        """Whether ``text`` (a quote, an event) mentions ``ref``: its sections unknown, only passages rule it out."""
        pattern = self.pattern(ref)
        if pattern is None:
            return False
        return any(True for _ in self._matches(ref, pattern, None, text))

    def _matches(
        self, ref: EntityRef, pattern: re.Pattern[str], section_id: str | None, text: str
    ) -> Iterator[tuple[int, int]]:
        rules = self.rules(ref)
        passages: dict[str, Passages] = {}
        for match in pattern.finditer(text):
            name = match.group().casefold()
            rule = rules.get(name)
            if rule is not None and rule.not_in and name not in passages:
                passages[name] = Passages(text, rule.not_in)
            if allowed(rule, section_id, passages.get(name), match.start(), match.end()):
                yield match.start(), match.end()
