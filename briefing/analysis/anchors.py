"""Anchors for notes on a passage, found again after the briefing is edited.

As web annotators do, a passage is remembered by its exact words with a few
characters before (prefix) and after (suffix), not by its position: an edit
elsewhere moves every position, but rarely the words. Finding it again looks
for the words, and where they occur more than once, takes the occurrence whose
surroundings best match what they were. When the words are gone, nothing is
found: the caller shows the note as an orphan with what it quoted.

A section's text, the string anchors are taken from, is its paragraphs (or a
glance section's bullets) joined by a blank line: the article's own words, so
that setting a quote apart, which splits paragraphs into blocks and trims the
spaces around the quote, moves no anchor. ``BlockMap`` translates between an
offset in that text and an offset in one of the blocks the reader shows.

Pure functions over strings and the model; everything here is bounded, so
text from a hostile store or file costs at most linear time in its size.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import NamedTuple

from briefing.analysis.blocks import Block
from briefing.format.model import GlanceSection, Section

# Between two paragraphs of a section's text, as the reader lays them out.
PARAGRAPH_BREAK = "\n\n"
# Characters of context kept on each side, as the web annotators' selectors do.
DEFAULT_CONTEXT = 32
# At most this much of a stored prefix or suffix is compared: a hostile store
# may hold a context of any length, and a few hundred characters decide.
CONTEXT_COMPARED = 256
# Occurrences of the exact words weighed against each other, at most: a note
# on a word that occurs everywhere is found among the first ones.
MAX_OCCURRENCES = 1000


class PassageAnchor(NamedTuple):
    """A passage of a section: the fields of ``briefing.storage.review.Anchor``, in its order."""

    section: str
    exact: str
    prefix: str
    suffix: str


class Resolved(NamedTuple):
    """Where an anchored passage is now: ``text[start:end]`` of the section's text is its exact words."""

    section_id: str
    start: int
    end: int
    # The words and both of their surroundings are found as they were; False
    # when only the words are (the text around them was edited).
    exact_match: bool


def section_items(section: Section) -> list[str]:
    """The section's paragraphs, or its bullets: the article's words, in order."""
    if isinstance(section, GlanceSection):
        return list(section.bullets)
    return list(section.paragraphs)


def section_text(section: Section) -> str:
    """The text anchors in this section are taken from and found in."""
    return PARAGRAPH_BREAK.join(section_items(section))


class BlockMap(NamedTuple):
    """Where each block the reader shows lies in the section's text: ``text[starts[i]:ends[i]] == blocks[i].text``."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_text(self, block: int, offset: int) -> int:
        """The offset in the section's text of ``offset`` in block ``block`` (both clamped into range)."""
        if not self.starts:
            return 0
        block = min(max(block, 0), len(self.starts) - 1)
        start, end = self.starts[block], self.ends[block]
        return min(max(start + offset, start), end)

    def to_block(self, offset: int) -> tuple[int, int] | None:
        """The block holding the offset of the section's text, and the offset in it.

        An offset between two blocks (on the blank line, on spaces trimmed
        around a quote) belongs to the start of the next block; past the last
        block, to its end. None for a section with no blocks.
        """
        if not self.starts:
            return None
        block = min(bisect_right(self.ends, offset), len(self.ends) - 1)
        start, end = self.starts[block], self.ends[block]
        return block, min(max(offset - start, 0), end - start)

    def spans(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """The parts of ``text[start:end]`` each block shows: (block, start, end in the block).

        What the reader marks for a passage; the blank lines between blocks
        are not drawn, so a passage over two paragraphs is two spans.
        """
        found: list[tuple[int, int, int]] = []
        for block, (block_start, block_end) in enumerate(zip(self.starts, self.ends, strict=True)):
            low, high = max(start, block_start), min(end, block_end)
            if low < high:
                found.append((block, low - block_start, high - block_start))
        return found


def block_map(section: Section, blocks: Sequence[Block]) -> BlockMap:
    """Where each of ``blocks`` (``section_blocks`` of the section) lies in ``section_text(section)``.

    A block is part of the paragraph its ``item`` names, found from where
    the previous block of that paragraph ended. A block that is not found
    (never from ``section_blocks``) is placed, empty, where the search was.
    """
    items = section_items(section)
    item_starts: list[int] = []
    offset = 0
    for item in items:
        item_starts.append(offset)
        offset += len(item) + len(PARAGRAPH_BREAK)
    starts: list[int] = []
    ends: list[int] = []
    cursor_item, cursor = -1, 0
    for block in blocks:
        if not 0 <= block.item < len(items):
            starts.append(offset)
            ends.append(offset)
            continue
        if block.item != cursor_item:
            cursor_item, cursor = block.item, 0
        paragraph = items[block.item]
        found = paragraph.find(block.text, cursor)
        if found == -1:
            starts.append(item_starts[block.item] + cursor)
            ends.append(item_starts[block.item] + cursor)
            continue
        cursor = found + len(block.text)
        starts.append(item_starts[block.item] + found)
        ends.append(item_starts[block.item] + cursor)
    return BlockMap(tuple(starts), tuple(ends))


def make_anchor(section_id: str, text: str, start: int, end: int, context: int = DEFAULT_CONTEXT) -> PassageAnchor:
    """The anchor of ``text[start:end]`` in the section's text, with ``context`` characters on each side.

    The offsets are clamped into the text and put in order. Raises
    ``ValueError`` for an empty passage: a note is on some words.
    """
    start, end = sorted((min(max(start, 0), len(text)), min(max(end, 0), len(text))))
    if start == end:
        raise ValueError("a passage needs at least one character")
    context = max(context, 0)
    return PassageAnchor(
        section=section_id,
        exact=text[start:end],
        prefix=text[max(start - context, 0) : start],
        suffix=text[end : end + context],
    )


def resolve(
    exact: str,
    prefix: str,
    suffix: str,
    section_hint: str | None,
    sections: Sequence[tuple[str, str]],
) -> Resolved | None:
    """Where the passage is now among ``sections`` (id, section text), or None when its words are gone.

    In order of preference: the words with both surroundings as they were,
    in the hinted section (where the note was made) and then in any; then
    the words alone, in the hinted section and then in any, the occurrence
    whose surroundings match the longest run of the remembered ones winning.
    Among equals, the first in the sections' order. Never raises.
    """
    if not exact:
        return None
    prefix, suffix = prefix[-CONTEXT_COMPARED:], suffix[:CONTEXT_COMPARED]
    hinted = [(sid, text) for sid, text in sections if sid == section_hint]
    others = [(sid, text) for sid, text in sections if sid != section_hint]

    whole = prefix + exact + suffix
    for group in (hinted, others):
        for section_id, text in group:
            found = text.find(whole)
            if found != -1:
                start = found + len(prefix)
                return Resolved(section_id, start, start + len(exact), exact_match=True)

    budget = MAX_OCCURRENCES
    for group in (hinted, others):
        best: tuple[int, str, int] | None = None
        for section_id, text in group:
            found = text.find(exact)
            while found != -1 and budget > 0:
                budget -= 1
                score = _common_suffix(prefix, text, found) + _common_prefix(suffix, text, found + len(exact))
                if best is None or score > best[0]:
                    best = (score, section_id, found)
                found = text.find(exact, found + 1)
        if best is not None:
            _, section_id, start = best
            return Resolved(section_id, start, start + len(exact), exact_match=False)
    return None


def _common_suffix(prefix: str, text: str, end: int) -> int:
    """How many of the last characters of ``prefix`` are the characters of ``text`` just before ``end``."""
    # A binary search over the length, each step one comparison in C: a
    # match of k characters implies a match of fewer.
    low, high = 0, min(len(prefix), end)
    while low < high:
        middle = (low + high + 1) // 2
        if text.endswith(prefix[len(prefix) - middle :], 0, end):
            low = middle
        else:
            high = middle - 1
    return low


def _common_prefix(suffix: str, text: str, start: int) -> int:
    """How many of the first characters of ``suffix`` are the characters of ``text`` from ``start``."""
    low, high = 0, min(len(suffix), max(len(text) - start, 0))
    while low < high:
        middle = (low + high + 1) // 2
        if text.startswith(suffix[:middle], start):
            low = middle
        else:
            high = middle - 1
    return low
