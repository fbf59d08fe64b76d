"""The reader: the selected section's text, with quotes set apart and attributed.

The section is laid out into lines by the reader itself and drawn with
Textual's line API (a ScrollView): switching sections replaces the lines and
redraws the pane, with no layout of the screen and no widgets to rebuild,
and the line of every block (and of every highlighted passage) is known, so
``n`` / ``N`` scroll exactly to the mention or search match they select.

What is highlighted is one ``HighlightSet`` at a time, a focus's mentions or a
search's matches: drawn, counted and stepped through by the same code.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.content import Span as ContentSpan
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from briefing.analysis.anchors import block_map, make_anchor, section_text
from briefing.analysis.blocks import Block
from briefing.analysis.describe import when_short
from briefing.analysis.index import BriefingIndex, section_title
from briefing.analysis.mentions import Mention, Mentions
from briefing.format.model import LedeSection, Section
from briefing.storage.review import MAX_EXACT_CHARS, Anchor

if TYPE_CHECKING:
    from briefing.analysis.find import HighlightSet

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
    # What is highlighted (``HighlightSet.key``): a focus, a search term.
    highlight: Hashable | None
    current: Mention | None
    mark: str | None


class SectionLayout(NamedTuple):
    """A section laid out at one width: its lines, where each block starts, and what is drawn of it."""

    lines: list[Content]
    # First line of each block, for scrolling to it.
    block_lines: list[int]
    # The line of the current passage (n / N), if any.
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
    # All the spans at once: stylizing one span at a time copies the spans before it each time,
    # quadratic in a block where a search matches hundreds of times.
    length = len(text)
    return Content(
        text, [ContentSpan(start, min(end, length), style) for start, end, style in spans if start < min(end, length)]
    )


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
        # The focus's mentions or the search's matches, and the one n / N last moved to.
        self.highlight_set: HighlightSet | None = None
        self.current: Mention | None = None
        self.mark: str | None = None
        # Layouts by what shapes them: going back and forth between sections
        # reuses their lines and their drawn strips.
        self._layouts: dict[LayoutKey, SectionLayout] = {}

    def on_mount(self) -> None:
        self.show_section(self.index.briefing.sections[0])

    @property
    def section_layout(self) -> SectionLayout:
        """The shown section laid out at the pane's width, as it is now (highlights, current passage, mark)."""
        if self.section is None:
            return EMPTY_LAYOUT
        width = self._width()
        highlight = self.highlight_set.key if self.highlight_set is not None else None
        key = LayoutKey(self.section.id, width, highlight, self.current, self.mark)
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

    def set_highlights(self, highlight_set: HighlightSet | None) -> None:
        """Highlight ``highlight_set``'s passages (None: nothing), none of them current yet."""
        self.highlight_set = highlight_set
        self.current = None
        if self.section is not None:
            self._show_layout()

    def current_anchor(self) -> Anchor | None:
        """The passage ``n`` / ``N`` last moved to (a match, a mention), anchored for a note; None if there is none."""
        current, section = self.current, self.section
        if current is None or section is None or current.section_id != section.id or current.end <= current.start:
            return None
        places = block_map(section, self.blocks)
        text = section_text(section)
        start, end = places.to_text(current.block, current.start), places.to_text(current.block, current.end)
        if end <= start:
            return None
        passage = make_anchor(section.id, text, start, end)
        return Anchor(passage.section, passage.exact[:MAX_EXACT_CHARS], passage.prefix, passage.suffix)

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
        """The styled spans of a block: the marked passage and the highlighted ones (mentions, matches)."""
        spans: list[Span] = []
        assert self.section is not None
        if self.mark:
            spans += [(start, end, MARK_STYLE) for start, end in marked_spans(block.text, self.mark)]
        if self.highlight_set is not None:
            for start, end in self.highlight_set.spans(self.section.id, number):
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
        highlights = self.highlight_set
        if highlights is None:
            if self.border_subtitle:
                self.border_subtitle = ""
            return
        here = highlights.count_in(self.section.id) if self.section else 0
        place = highlights.place(self.current)
        position = f"{place + 1}/" if place is not None else ""
        self.border_subtitle = Content(f"{position}{highlights.counted()} · {here} here · n/N")

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

    def step(self, step: int, *, restart: bool = False) -> Section | None:
        """Move to the next (1) or previous (-1) highlighted passage; the section to show if it changes.

        From the section shown when none is current yet (or ``restart``); past
        either end it wraps round, and says so.
        """
        highlights = self.highlight_set
        if highlights is None or self.section is None:
            return None
        sections = [section.id for section in self.index.briefing.sections]
        moved = highlights.step(None if restart else self.current, sections, self.section.id, step)
        if moved is None:
            self.app.bell()
            return None
        self.current = moved.passage
        if moved.wrapped:
            where = "first" if step > 0 else "last"
            self.notify(f"Back to the {where} {highlights.noun}", timeout=2)
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
