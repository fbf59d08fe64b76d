"""The reader: the selected section's text, with quotes set apart and attributed."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from briefing.describe import when_short
from briefing.index import BriefingIndex, section_title
from briefing.model import LedeSection, Section
from briefing.reading import Block, section_blocks


class ReaderPane(VerticalScroll, can_focus=True):
    """Scrolls with the keyboard; shows one section at a time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
        Binding("ctrl+d", "half_page_down", "Half page down", show=False),
        Binding("ctrl+u", "half_page_up", "Half page up", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("y", "copy_section", "Copy", tooltip="Copy this section's text with its source"),
    ]

    def __init__(self, index: BriefingIndex, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index = index
        self.section: Section | None = None
        self.blocks: list[Block] = []

    def show_section(self, section: Section) -> None:
        """Replace the text with ``section``'s, scrolled to its top."""
        self.section = section
        self.blocks = section_blocks(section, self.index.briefing.quotes)
        number = self.index.briefing.sections.index(section) + 1
        total = len(self.index.briefing.sections)
        self.border_title = Content(f"{section_title(section)} · {number}/{total}")
        self.remove_children()
        widgets: list[Static] = []
        if not isinstance(section, LedeSection):
            widgets.append(Static(Content(section_title(section)), classes="heading"))
        widgets.extend(self._block_widget(block) for block in self.blocks)
        self.mount_all(widgets)
        self.scroll_home(animate=False)

    def _block_widget(self, block: Block) -> Static:
        if block.kind == "bullet":
            return Static(Content.assemble(("• ", "$accent"), block.text), classes="bullet")
        if block.kind == "quote" and block.quote is not None:
            quote = block.quote
            speaker = self.index.actors.get(quote.speaker)
            who = speaker.name if speaker else quote.speaker
            if speaker and speaker.aliases:
                who += f" ({speaker.aliases[0]})"
            attribution = f"— {who}"
            if quote.when:
                attribution += f", {when_short(quote.when)}"
            content = Content.assemble((block.text, "italic"), "\n", (attribution, "$text-muted"))
            return Static(content, classes="quote")
        return Static(Content(block.text), classes="paragraph")

    def action_half_page_down(self) -> None:
        self.scroll_relative(y=max(1, self.scrollable_content_region.height // 2), animate=False)

    def action_half_page_up(self) -> None:
        self.scroll_relative(y=-max(1, self.scrollable_content_region.height // 2), animate=False)

    def action_copy_section(self) -> None:
        if self.section is None:
            return
        text = "\n\n".join(block.text for block in self.blocks)
        title = section_title(self.section)
        headline = self.index.briefing.meta.headline
        self.app.copy_to_clipboard(f"{title}\n\n{text}\n\nSource: {headline}")
        self.notify(f"Copied section “{title}”", title="Clipboard", markup=False)
