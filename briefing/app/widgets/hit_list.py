"""The hits of a library search, best first: which briefing, where in it, and the words around the match."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content

from briefing.app.widgets.row_table import VIM_KEYS, Cell, RowTable
from briefing.format.safetext import one_line
from briefing.library.search_index import Hit

MATCH_STYLE = "bold $warning"


def snippet_content(hit: Hit) -> Content:
    """The snippet with its matched words in bold, from the spans the index gives (never markup)."""
    text = one_line(hit.snippet)
    content = Content(text)
    for start, end in hit.spans:
        # one_line keeps the length of text without controls; spans past it are dropped.
        if 0 <= start < end <= len(text):
            content = content.stylize(MATCH_STYLE, start, end)
    return content


class HitList(RowTable[Hit]):
    COLUMNS: ClassVar[Sequence[tuple[str, int]]] = (
        ("Briefing", 26),
        ("Where", 16),
        ("Match", 160),
    )

    # Enter opens a briefing: the app holds the keys typed after it for that briefing.
    OPENS_BRIEFING: ClassVar[bool] = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open at match", tooltip="Open the briefing at this passage, marked"),
        *VIM_KEYS,
    ]

    def cells(self, item: Hit) -> Sequence[Cell]:
        return [one_line(item.headline or item.key), one_line(item.where), snippet_content(item)]
