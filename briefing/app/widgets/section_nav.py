"""The list of sections: lede, At a Glance and each body section, in order."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.analysis.index import section_title
from briefing.format.model import Section


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
        super().__init__(*(Option(Content(section_title(s)), id=s.id) for s in sections), id=id)
        self.border_title = "Sections"

    def on_mount(self) -> None:
        self.highlighted = 0
        # Mounted a frame after the headline: take the focus if nothing has it yet.
        if self.screen.focused is None:
            self.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # Said in the section list's own terms: the screen answers these, not every option list's.
        event.stop()
        if event.option.id:
            self.post_message(self.Highlighted(self, event.option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Selected(self, event.option.id))
