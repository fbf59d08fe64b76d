"""A section as blocks to read: paragraphs, bullets, and the quotes set apart.

Pure functions over the model, shared by the reader and anything else that
lays a section out. Every character of the section's text ends up in exactly
one block, so setting quotes apart never drops or repeats the article's words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import msgspec

from briefing.format.model import GlanceSection, Quote, Section

BlockKind = Literal["paragraph", "bullet", "quote"]


class Block(msgspec.Struct, frozen=True):
    kind: BlockKind
    text: str
    # For a quote block: the quote it shows.
    quote: Quote | None = None
    # Which paragraph or bullet of the section the block comes from.
    item: int = 0


def section_blocks(section: Section, quotes: Iterable[Quote] = ()) -> list[Block]:
    """The section's text as blocks, with each known quote in a block of its own."""
    if isinstance(section, GlanceSection):
        return [Block("bullet", bullet, item=number) for number, bullet in enumerate(section.bullets)]
    own = [quote for quote in quotes if quote.section == section.id]
    blocks: list[Block] = []
    for number, paragraph in enumerate(section.paragraphs):
        blocks.extend(split_quotes(paragraph, own, number))
    return blocks


def split_quotes(paragraph: str, quotes: Iterable[Quote], item: int = 0) -> list[Block]:
    """Split a paragraph around the quotes it contains, keeping the quotation marks."""
    spans: list[tuple[int, int, Quote]] = []
    for quote in quotes:
        for marked in (f"“{quote.text}”", f'"{quote.text}"', quote.text):
            start = paragraph.find(marked)
            if start != -1:
                spans.append((start, start + len(marked), quote))
                break
    spans.sort(key=lambda span: span[0])

    blocks: list[Block] = []
    cursor = 0
    for start, end, quote in spans:
        if start < cursor:
            continue  # overlapping quotes: the first one wins
        prose = paragraph[cursor:start].strip()
        if prose:
            blocks.append(Block("paragraph", prose, item=item))
        blocks.append(Block("quote", paragraph[start:end], quote=quote, item=item))
        cursor = end
    rest = paragraph[cursor:].strip()
    if rest:
        blocks.append(Block("paragraph", rest, item=item))
    return blocks
