"""The list of sections: lede, At a Glance and each body section, in order."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.index import section_title
from briefing.model import Section


class SectionNav(OptionList):
    """Moving the highlight shows that section in the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Next", show=False),
        Binding("k", "cursor_up", "Previous", show=False),
        Binding("g", "first", "First section", show=False),
        Binding("G", "last", "Last section", show=False),
        Binding("enter", "select", "Read", tooltip="Read this section"),
    ]

    def __init__(self, sections: list[Section], *, id: str | None = None) -> None:
        options = [Option(Content(section_title(section)), id=section.id) for section in sections]
        super().__init__(*options, id=id)
        self.border_title = "Sections"
