"""Where the text mentions an entity, found from the briefing's own names.

An actor, asset or location is mentioned wherever its name or one of its
aliases appears, case-insensitively and on word boundaries ("Russia" is not
found inside "Russian"; "Russian" is found when it is an alias). Results are
computed once per entity and kept, so moving the focus or stepping through
mentions never searches the text again.
"""

from __future__ import annotations

import re

import msgspec

from briefing.analysis.blocks import Block, section_blocks
from briefing.analysis.index import BriefingIndex, EntityRef


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

    def of(self, ref: EntityRef) -> list[Mention]:
        """Every mention of ``ref`` in reading order."""
        if ref not in self._found:
            found: list[Mention] = []
            pattern = self.pattern(ref)
            if pattern is not None:
                for section in self.index.briefing.sections:
                    for number, block in enumerate(self.blocks(section.id)):
                        found.extend(
                            Mention(section.id, number, m.start(), m.end()) for m in pattern.finditer(block.text)
                        )
            self._found[ref] = found
        return self._found[ref]

    def in_text(self, ref: EntityRef, text: str) -> bool:
        """Whether ``text`` (a quote, an event) mentions ``ref``."""
        pattern = self.pattern(ref)
        return bool(pattern and pattern.search(text))

    def spans(self, ref: EntityRef, section_id: str, block: int) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in self.of(ref) if m.section_id == section_id and m.block == block]
