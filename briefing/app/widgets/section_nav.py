"""The list of sections: lede, At a Glance and each body section, in order."""

from __future__ import annotations

from typing import ClassVar, cast

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.analysis.index import section_title
from briefing.format.model import Section

# Before a section the analyst has read.
READ_MARK = "✓ "


class SectionNav(OptionList):
    """Moving the highlight shows that section in the reader; Enter moves to the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Read", tooltip="Read this section"),
        Binding("j", "cursor_down", "Next", show=False),
        Binding("k", "cursor_up", "Previous", show=False),
        Binding("g", "first", "First section", show=False),
        Binding("G", "last", "Last section", show=False),
    ]

    DEFAULT_CSS = """
    SectionNav {
        height: 1fr;
        max-height: 100%;
    }
    """

    # Not a repaint of the whole list: moving the highlight redraws the two
    # lines it leaves and reaches (_redraw_highlight).
    highlighted: reactive[int | None] = reactive(None, repaint=False)

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
        # Titles are Content, never markup: they come from the (untrusted) briefing.
        self.titles = [Content(section_title(s)) for s in sections]
        self.section_ids = [s.id for s in sections]
        self.read: set[str] = set()
        # (width, first line of each option): where the options are, at the width they were wrapped to.
        self._option_lines: tuple[int, list[int]] = (-1, [])
        super().__init__(*(Option(title, id=s.id) for title, s in zip(self.titles, sections, strict=True)), id=id)
        self.border_title = "Sections"

    def show_read(self, read: set[str]) -> None:
        """Put the read mark before the sections in ``read`` (the analyst's review), and take it off the rest."""
        if read == self.read:
            return
        for number, section_id in enumerate(self.section_ids):
            if (section_id in read) != (section_id in self.read):
                title = self.titles[number]
                title = (
                    Content.assemble((READ_MARK, "$success"), title) if section_id in read else title[len(READ_MARK) :]
                )
                self.titles[number] = title
                self.replace_option_prompt_at_index(number, title)
        self.read = set(read)
        # Titles may wrap to other heights now.
        self._option_lines = (-1, [])

    def on_mount(self) -> None:
        # Told the highlight it leaves and the one it reaches (before mounting, nothing is drawn yet).
        self.watch(self, "highlighted", self._redraw_highlight, init=False)
        self.highlighted = 0
        # Mounted a frame after the headline: take the focus if nothing has it yet.
        if self.screen.focused is None:
            self.focus()

    def _redraw_highlight(self, left: int | None, highlighted: int | None) -> None:
        lines = self.option_lines()
        if lines is None:
            self.refresh()
            return
        for index in (left, highlighted):
            if index is not None and 0 <= index < len(self.titles):
                self.refresh_lines(lines[index], lines[index + 1] - lines[index])

    def option_lines(self) -> list[int] | None:
        """The first line of each option, and the line after the last; None if unknown.

        Each title is wrapped as the list wraps it: to the list's scroll width
        less the options' padding, with the list's text rules. If the lines
        found do not add up to the list's height, the list is redrawn whole.
        """
        width = self.virtual_size.width
        if self._option_lines[0] != width:
            padding = self.get_component_styles("option-list--option").padding.width
            lines = [0]
            for title in self.titles:
                lines.append(lines[-1] + title.get_height(cast(RulesMap, self.styles), width - padding))
            self._option_lines = (width, lines)
        lines = self._option_lines[1]
        return lines if lines[-1] == self.virtual_size.height else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # Said in the section list's own terms: the screen answers these, not every option list's.
        event.stop()
        if event.option.id:
            self.post_message(self.Highlighted(self, event.option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Selected(self, event.option.id))
