"""The list of sections: lede, At a Glance and each body section, in order.

Drawn with Textual's line API: moving the highlight redraws the two
sections whose look changes, not the whole list, which keeps `[` and `]`
(and j/k here) as cheap as a key in a bare table.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from briefing.analysis.index import section_title
from briefing.format.model import Section


class SectionNav(ScrollView, can_focus=True):
    """Moving the highlight shows that section in the reader; Enter moves to the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Read", tooltip="Read this section"),
        Binding("j,down", "move(1)", "Next", show=False),
        Binding("k,up", "move(-1)", "Previous", show=False),
        Binding("g,home", "first", "First section", show=False),
        Binding("G,end", "last", "Last section", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"section-nav--highlighted"}

    DEFAULT_CSS = """
    SectionNav {
        padding: 0 1;
        background: $surface;
    }
    SectionNav > .section-nav--highlighted {
        background: $block-cursor-blurred-background;
    }
    SectionNav:focus > .section-nav--highlighted {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    """

    # The watcher redraws the two sections that change, not the whole list.
    highlighted: reactive[int | None] = reactive(None, init=False, repaint=False)

    class Highlighted(Message):
        def __init__(self, nav: SectionNav, section_id: str) -> None:
            super().__init__()
            self.nav = nav
            self.section_id = section_id

    class Selected(Message):
        def __init__(self, nav: SectionNav, section_id: str) -> None:
            super().__init__()
            self.nav = nav
            self.section_id = section_id

    def __init__(self, sections: list[Section], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sections = sections
        self.border_title = "Sections"
        # One row per wrapped line of a title: (section number, line).
        self._rows: list[tuple[int, Content]] = []
        self._first_row: list[int] = []
        self._laid_out_width = -1
        # Drawn lines by (row, highlighted, focused, width): moving back and forth redraws nothing new.
        self._strips: dict[tuple[int, bool, bool, int], Strip] = {}

    @property
    def option_count(self) -> int:
        return len(self.sections)

    def get_option_index(self, section_id: str) -> int:
        return next(n for n, s in enumerate(self.sections) if s.id == section_id)

    def on_resize(self, event: events.Resize) -> None:
        self._lay_out()

    def _lay_out(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._laid_out_width:
            return
        self._laid_out_width = width
        self._strips.clear()
        self._rows = []
        self._first_row = []
        for number, section in enumerate(self.sections):
            self._first_row.append(len(self._rows))
            self._rows += [(number, line) for line in Content(section_title(section)).wrap(width)]
        self.virtual_size = Size(width, len(self._rows))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        if y == 0:
            # Drawn at a new width before the Resize event arrives (the list's
            # first frame): lay out now rather than show an empty list.
            self._lay_out()
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if not 0 <= row < len(self._rows):
            return Strip.blank(width, self.visual_style.rich_style)
        number, line = self._rows[row]
        highlighted = number == self.highlighted
        key = (row, highlighted, self.has_focus, width)
        strip = self._strips.get(key)
        if strip is None:
            style = self.get_visual_style("section-nav--highlighted") if highlighted else self.visual_style
            strips = Visual.to_strips(self, line, width, 1, style)
            strip = (strips[0] if strips else Strip.blank(0)).extend_cell_length(width, style.rich_style)
            self._strips[key] = strip
        return strip

    def notify_style_update(self) -> None:
        # A new theme, or focus gained or lost: the drawn lines carry the old look.
        super().notify_style_update()
        self._strips.clear()

    def _rows_of(self, number: int) -> tuple[int, int]:
        """The first row of section ``number`` and the row after its last."""
        first = self._first_row[number]
        last = self._first_row[number + 1] if number + 1 < len(self._first_row) else len(self._rows)
        return first, last

    def _refresh_section(self, number: int | None) -> None:
        if number is None or not self._first_row:
            return
        first, last = self._rows_of(number)
        self.refresh_lines(first - self.scroll_offset.y, last - first)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        self._refresh_section(old)
        self._refresh_section(new)
        if new is None:
            return
        if self._first_row:
            self.scroll_to_region_lines(*self._rows_of(new))
        self.post_message(self.Highlighted(self, self.sections[new].id))

    def scroll_to_region_lines(self, first: int, last: int) -> None:
        """Keep the highlighted section's lines in view."""
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if first < top:
            self.scroll_to(y=first, animate=False)
        elif last > top + height:
            self.scroll_to(y=last - height, animate=False)

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not self.sections:
            return None
        return min(max(value, 0), len(self.sections) - 1)

    def action_move(self, step: int) -> None:
        self.highlighted = 0 if self.highlighted is None else self.highlighted + step

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = len(self.sections) - 1

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Selected(self, self.sections[self.highlighted].id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + self.scroll_offset.y
        if 0 <= row < len(self._rows):
            self.highlighted = self._rows[row][0]
            self.action_select()
