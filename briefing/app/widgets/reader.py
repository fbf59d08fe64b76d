"""The reader: the selected section's text, with quotes set apart and attributed.

The section is laid out into lines by the reader itself and drawn with
Textual's line API (a ScrollView): switching sections replaces the lines and
redraws the pane, with no layout of the screen and no widgets to rebuild,
and the line of every block (and of every mention) is known, so ``n`` / ``N``
scroll exactly to the mention they select.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from briefing.analysis.blocks import Block
from briefing.analysis.describe import when_short
from briefing.analysis.index import BriefingIndex, EntityRef, section_title
from briefing.analysis.mentions import Mention, Mentions
from briefing.format.model import LedeSection, Section

MENTION_STYLE = "bold underline $warning"
CURRENT_STYLE = "bold reverse $warning"
MARK_STYLE = "reverse $accent"
HEADING_STYLE = "bold $accent"
QUOTE_BAR = ("  ▌ ", "$accent")
BULLET = ("• ", "$accent")

Span = tuple[int, int, str]


class LayoutKey(NamedTuple):
    """What a section's layout depends on."""

    section_id: str
    width: int
    focus: EntityRef | None
    mention: Mention | None
    mark: str | None


class SectionLayout(NamedTuple):
    """A section laid out at one width: its lines, where each block starts, and what is drawn of it."""

    lines: list[Content]
    # First line of each block, for scrolling to it.
    block_lines: list[int]
    # The line of the current mention (n / N), if any.
    current_line: int | None
    # Drawn lines by number, filled as they are drawn.
    strips: dict[int, Strip]


EMPTY_LAYOUT = SectionLayout([], [], None, {})


def marked_spans(block_text: str, mark: str) -> list[tuple[int, int]]:
    """Where a passage (an event's words) lies in a block, which may hold only part of it."""
    if mark in block_text:
        start = block_text.index(mark)
        return [(start, start + len(mark))]
    if block_text in mark:
        return [(0, len(block_text))]
    return []


def styled_text(text: str, spans: list[Span]) -> Content:
    content = Content(text)
    for start, end, style in spans:
        content = content.stylize(style, start, end)
    return content


def indented(content: Content, width: int, first: Content, rest: Content) -> list[Content]:
    """``content`` wrapped to ``width`` with ``first`` before its first line and ``rest`` before the others."""
    lines = content.wrap(max(1, width - first.cell_length))
    return [(first if number == 0 else rest) + line for number, line in enumerate(lines)]


def line_of_offset(lines: list[Content], text: str, offset: int) -> int:
    """Which wrapped line shows character ``offset`` of ``text`` (wrapping drops the spaces it breaks at)."""
    position = 0
    for number, line in enumerate(lines):
        # The bar or bullet before a line is the layout's, not the text's.
        words = line.plain.strip().lstrip("▌• ")
        found = text.find(words, position) if words else -1
        if found != -1:
            position = found + len(words)
        if offset < position:
            return number
    return max(0, len(lines) - 1)


class ReaderPane(ScrollView, can_focus=True):
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
        # Layouts by what shapes them: going back and forth between sections
        # reuses their lines and their drawn strips.
        self._layouts: dict[LayoutKey, SectionLayout] = {}

    def on_mount(self) -> None:
        self.show_section(self.index.briefing.sections[0])

    @property
    def section_layout(self) -> SectionLayout:
        """The shown section laid out at the pane's width, as it is now (focus, mention, mark)."""
        if self.section is None:
            return EMPTY_LAYOUT
        width = self._width()
        key = LayoutKey(self.section.id, width, self.focus_ref, self.current, self.mark)
        layout = self._layouts.get(key)
        if layout is None:
            if len(self._layouts) >= 32:
                self._layouts.clear()
            layout = self._layouts[key] = self._lay_out(width)
        return layout

    @property
    def lines(self) -> list[Content]:
        return self.section_layout.lines

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
        self._show_layout()
        self._scroll_to_target()

    def set_focus_ref(self, ref: EntityRef | None) -> None:
        self.focus_ref = ref
        self.current = None
        if self.section is not None:
            self._show_layout()

    def on_resize(self, event: events.Resize) -> None:
        self._show_layout()

    def _width(self) -> int:
        return max(self.scrollable_content_region.width, 0)

    def _show_layout(self) -> None:
        """Draw the current layout, its length as the scroll size."""
        self._update_subtitle()
        if self._width() <= 0 or self.section is None:
            return
        self._set_scroll_height(len(self.section_layout.lines))
        self.refresh()

    def _set_scroll_height(self, height: int) -> None:
        """The scroll size for ``height`` lines, with a layout only when the scrollbar comes or goes.

        Assigning ``virtual_size`` lays the whole screen out (it is a layout
        reactive), which costs a section switch more than drawing the section.
        When the scrollbar stays as it is, the screen's layout does not change:
        the size is set without its watcher and the scrollbar told its new
        extent, which redraws the scrollbar alone.
        """
        size = Size(self._width(), height)
        if size == self.virtual_size:
            return
        scrollbar_shown = self.show_vertical_scrollbar
        overflow = self.styles.overflow_y
        shows = overflow == "scroll" or (overflow == "auto" and height > self.scrollable_content_region.height)
        if scrollbar_shown != shows:
            self.virtual_size = size
            return
        self.set_reactive(ReaderPane.virtual_size, size)
        if scrollbar_shown:
            self.vertical_scrollbar.window_virtual_size = height
        if self.scroll_y > self.max_scroll_y:
            self.scroll_to(y=self.max_scroll_y, animate=False)

    def _lay_out(self, width: int) -> SectionLayout:
        assert self.section is not None
        lines: list[Content] = []
        block_lines: list[int] = []
        current_line: int | None = None
        if not isinstance(self.section, LedeSection):
            lines += [Content.styled(section_title(self.section), HEADING_STYLE), Content()]
        for number, block in enumerate(self.blocks):
            block_lines.append(len(lines))
            wrapped = self._block_lines(block, self.highlights(number, block), width)
            if self.current is not None and self.current.block == number:
                current_line = len(lines) + line_of_offset(wrapped, block.text, self.current.start)
            lines += wrapped
            lines.append(Content())
        lines.pop()  # the blank after the last block
        return SectionLayout(lines, block_lines, current_line, {})

    def render_line(self, y: int) -> Strip:
        # The layout for the width drawn at: the first frame at a new width
        # comes before the Resize event that sets the scroll size for it.
        layout = self.section_layout
        number = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        style = self.visual_style
        if not 0 <= number < len(layout.lines):
            return Strip.blank(width, style.rich_style)
        strip = layout.strips.get(number)
        if strip is None:
            rendered = Visual.to_strips(self, layout.lines[number], width, 1, style)
            strip = (rendered[0] if rendered else Strip.blank(0)).extend_cell_length(width, style.rich_style)
            layout.strips[number] = strip
        return strip

    def notify_style_update(self) -> None:
        # A new theme: the drawn lines carry the old colours.
        super().notify_style_update()
        for layout in self._layouts.values():
            layout.strips.clear()

    def _block_lines(self, block: Block, spans: list[Span], width: int) -> list[Content]:
        text = styled_text(block.text, spans)
        if block.kind == "bullet":
            return indented(text, width, Content.styled(*BULLET), Content("  "))
        if block.kind == "quote" and block.quote is not None:
            bar = Content.styled(*QUOTE_BAR)
            return indented(text.stylize_before("italic"), width, bar, bar) + indented(
                Content.styled(self.attribution(block), "$text-muted"), width, bar, bar
            )
        return text.wrap(width)

    def attribution(self, block: Block) -> str:
        assert block.quote is not None
        quote = block.quote
        who = self.index.actor_name(quote.speaker) or quote.speaker
        short = self.index.actor_short_name(quote.speaker)
        if short and short != who:
            who += f" ({short})"
        return f"— {who}" + (f", {when_short(quote.when)}" if quote.when else "")

    def highlights(self, number: int, block: Block) -> list[Span]:
        """The styled spans of a block: the marked passage and the focus's mentions."""
        spans: list[Span] = []
        assert self.section is not None
        if self.mark:
            spans += [(start, end, MARK_STYLE) for start, end in marked_spans(block.text, self.mark)]
        if self.focus_ref is not None:
            for start, end in self.mentions.spans(self.focus_ref, self.section.id, number):
                current = self.current == Mention(self.section.id, number, start, end)
                spans.append((start, end, CURRENT_STYLE if current else MENTION_STYLE))
        return spans

    def highlighted(self, style: str) -> list[str]:
        """The words shown in ``style`` in this section, in reading order."""
        return [
            block.text[start:end]
            for number, block in enumerate(self.blocks)
            for start, end, span_style in self.highlights(number, block)
            if span_style == style
        ]

    def _update_subtitle(self) -> None:
        if self.focus_ref is None:
            if self.border_subtitle:
                self.border_subtitle = ""
            return
        found = self.mentions.of(self.focus_ref)
        here = sum(1 for m in found if self.section and m.section_id == self.section.id)
        position = f"{found.index(self.current) + 1}/" if self.current in found else ""
        self.border_subtitle = Content(f"{position}{len(found)} mentions · {here} here · n/N")

    def _target_line(self) -> int | None:
        if self.current is not None:
            return self.section_layout.current_line
        if self.mark:
            for number, block in enumerate(self.blocks):
                block_lines = self.section_layout.block_lines
                if marked_spans(block.text, self.mark) and number < len(block_lines):
                    return block_lines[number]
        return None

    def _scroll_to_target(self) -> None:
        line = self._target_line()
        if line is None:
            self.scroll_home(animate=False)
            return
        # A third of the way down: the line with some of what leads to it above.
        self.call_after_refresh(
            self.scroll_to, y=max(0, line - self.scrollable_content_region.height // 3), animate=False
        )

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
            # From the section shown: the first mention at or after it.
            here = order[self.section.id]
            after = [i for i, m in enumerate(found) if order[m.section_id] >= here]
            before = [i for i, m in enumerate(found) if order[m.section_id] < here]
            position = (after[0] if after else 0) if step > 0 else (before[-1] if before else len(found) - 1)
        self.current = found[position % len(found)]
        section = self.index.sections[self.current.section_id]
        if section is self.section:
            self._show_layout()
            self._scroll_to_target()
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
