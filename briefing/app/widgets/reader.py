"""The reader: the selected section's text, with quotes set apart and attributed.

When an entity is in focus its mentions are highlighted, and ``n`` / ``N``
step through them across sections.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from briefing.describe import when_short
from briefing.index import BriefingIndex, EntityRef, section_title
from briefing.mentions import Mention, Mentions
from briefing.model import LedeSection, Section
from briefing.reading import Block

MENTION_STYLE = "bold underline $warning"
CURRENT_STYLE = "bold reverse $warning"
MARK_STYLE = "reverse $accent"


def marked_spans(block_text: str, mark: str) -> list[tuple[int, int]]:
    """Where a passage (an event's words) lies in a block, which may hold only part of it."""
    if mark in block_text:
        start = block_text.index(mark)
        return [(start, start + len(mark))]
    if block_text in mark:
        return [(0, len(block_text))]
    return []


class ReaderPane(VerticalScroll, can_focus=True):
    """Scrolls with the keyboard; shows one section at a time."""

    # Scroll containers are not maximized by default; the reader is a pane.
    ALLOW_MAXIMIZE = True

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

    def __init__(self, index: BriefingIndex, mentions: Mentions, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index = index
        self.mentions = mentions
        self.section: Section | None = None
        self.focus_ref: EntityRef | None = None
        self.current: Mention | None = None
        self.mark: str | None = None

    @property
    def blocks(self) -> list[Block]:
        return self.mentions.blocks(self.section.id) if self.section else []

    def show_section(self, section: Section, *, mark: str | None = None) -> None:
        """Replace the text with ``section``'s, scrolled to its top (or to the marked passage)."""
        if self.current is not None and self.current.section_id != section.id:
            self.current = None
        self.section = section
        self.mark = mark
        number = self.index.briefing.sections.index(section) + 1
        total = len(self.index.briefing.sections)
        self.border_title = Content(f"{section_title(section)} · {number}/{total}")
        self._render_blocks()
        target = self._first_marked_block()
        if target is None:
            self.scroll_home(animate=False)
        else:
            self.call_after_refresh(self._scroll_to_block, target)

    def set_focus_ref(self, ref: EntityRef | None) -> None:
        self.focus_ref = ref
        self.current = None
        if self.section is not None:
            self._render_blocks()
        self._update_subtitle()

    def _update_subtitle(self) -> None:
        if self.focus_ref is None:
            self.border_subtitle = ""
            return
        found = self.mentions.of(self.focus_ref)
        here = sum(1 for m in found if self.section and m.section_id == self.section.id)
        position = f"{found.index(self.current) + 1}/" if self.current in found else ""
        self.border_subtitle = Content(f"{position}{len(found)} mentions · {here} here · n/N")

    def _render_blocks(self) -> None:
        section = self.section
        assert section is not None
        self.remove_children()
        widgets: list[Static] = []
        if not isinstance(section, LedeSection):
            widgets.append(Static(Content(section_title(section)), classes="heading"))
        for number, block in enumerate(self.blocks):
            widget = self._block_widget(block, self._highlight(number, block))
            widget.add_class(f"block-{number}")
            widgets.append(widget)
        self.mount_all(widgets)
        self._update_subtitle()

    def _highlight(self, number: int, block: Block) -> list[tuple[int, int, str]]:
        spans: list[tuple[int, int, str]] = []
        assert self.section is not None
        if self.mark:
            spans += [(start, end, MARK_STYLE) for start, end in marked_spans(block.text, self.mark)]
        if self.focus_ref is not None:
            for start, end in self.mentions.spans(self.focus_ref, self.section.id, number):
                current = self.current == Mention(self.section.id, number, start, end)
                spans.append((start, end, CURRENT_STYLE if current else MENTION_STYLE))
        return spans

    def _block_widget(self, block: Block, spans: list[tuple[int, int, str]]) -> Static:
        text = Content(block.text)
        for start, end, style in spans:
            text = text.stylize(style, start, end)
        if block.kind == "bullet":
            return Static(Content.assemble(("• ", "$accent"), text), classes="bullet")
        if block.kind == "quote" and block.quote is not None:
            quote = block.quote
            speaker = self.index.actors.get(quote.speaker)
            who = speaker.name if speaker else quote.speaker
            short = self.index.actor_short_name(quote.speaker)
            if short != who:
                who += f" ({short})"
            attribution = f"— {who}"
            if quote.when:
                attribution += f", {when_short(quote.when)}"
            content = Content.assemble(text.stylize_before("italic"), "\n", (attribution, "$text-muted"))
            return Static(content, classes="quote")
        return Static(text, classes="paragraph")

    def _first_marked_block(self) -> int | None:
        if self.current is not None:
            return self.current.block
        if self.mark:
            for number, block in enumerate(self.blocks):
                if marked_spans(block.text, self.mark):
                    return number
        return None

    def _scroll_to_block(self, number: int) -> None:
        for widget in self.query(f".block-{number}"):
            self.scroll_to_center(widget, animate=False)

    def step_mention(self, step: int) -> Section | None:
        """Move to the next (1) or previous (-1) mention; the section to show if it changes."""
        if self.focus_ref is None or self.section is None:
            return None
        found = self.mentions.of(self.focus_ref)
        if not found:
            self.app.bell()
            return None
        order = {s.id: n for n, s in enumerate(self.index.briefing.sections)}
        if self.current in found:
            position = found.index(self.current) + step
        else:
            # From the top of the section shown: the first mention at or after it.
            here = order[self.section.id]
            after = [i for i, m in enumerate(found) if order[m.section_id] >= here]
            before = [i for i, m in enumerate(found) if order[m.section_id] < here]
            position = (after[0] if after else 0) if step > 0 else (before[-1] if before else len(found) - 1)
        self.current = found[position % len(found)]
        section = self.index.sections[self.current.section_id]
        if section is self.section:
            self._render_blocks()
            self.call_after_refresh(self._scroll_to_block, self.current.block)
            return None
        return section

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
