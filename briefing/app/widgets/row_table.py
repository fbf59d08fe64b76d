"""A table of rows in columns of set widths, drawn with Textual's line API.

Every pane that lists things one per line (assets, actors, the timeline, the
claims) is a ``RowTable``: a header, then one line per row, a row cursor,
zebra stripes. Textual's DataTable measures every cell of every row it is
given (two seconds for a 5,000-asset briefing, to size columns whose width
is already set); here a row costs nothing until it is drawn, drawn lines are
kept, and moving the cursor redraws the two lines it leaves and reaches.

Subclasses declare ``COLUMNS`` (label, width) and say what the cells of an
item are (``cells``); the items are given with ``set_rows``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, TypeVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

Item = TypeVar("Item")
Cell = Content | str
# j / k / g / G as in the other lists of the reader, for the tables that take them.
VIM_KEYS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("g", "scroll_top", "First", show=False),
    Binding("G", "scroll_bottom", "Last", show=False),
]

# The analyst's marks before a row (``item_marks``).
MARKS_STYLE = "bold $accent"
# Blank cells either side of a column's text, as DataTable draws them.
CELL_PADDING = 1


class RowTable(ScrollView, Generic[Item], can_focus=True):
    COLUMNS: ClassVar[Sequence[tuple[str, int]]] = ()

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"row-table--header", "row-table--cursor", "row-table--even-row"}

    # The theme's variables, as DataTable uses them: the panes look as they did.
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .row-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .row-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .row-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .row-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .row-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .row-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .row-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    cursor_row: reactive[int] = reactive(0, repaint=False, init=False)

    class Selected(Message):
        """Enter on a row, or a click on the row the cursor is on."""

        def __init__(self, table: RowTable[Any], row: int) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> RowTable[Any]:
            """The table, for handlers that pick the table they answer (``@on(RowTable.Selected, "#id")``)."""
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[Item] = []
        # Drawn lines by (row, style): a row is laid out once, however often it is passed.
        self._strips: dict[tuple[int, str], Strip] = {}
        self._width = sum(width + 2 * CELL_PADDING for _, width in self.COLUMNS)

    # What subclasses say

    def cells(self, item: Item) -> Sequence[Cell]:
        raise NotImplementedError

    def item_marks(self, item: Item) -> str:
        """Marks drawn before a row's first cell (the analyst's flags and notes); none by default."""
        return ""

    # Rows

    @property
    def row_count(self) -> int:
        return len(self.items)

    @property
    def cursor_item(self) -> Item | None:
        return self.items[self.cursor_row] if self.items else None

    def set_rows(self, items: Sequence[Item], *, cursor: int = 0) -> None:
        """Show ``items``, one per row, with the cursor on row ``cursor``."""
        self.items = list(items)
        self._strips.clear()
        # Only the scroll size changes: the pane's own size is set by its CSS.
        self.virtual_size = Size(self._width, len(self.items) + 1)
        self.set_reactive(RowTable.cursor_row, self.validate_cursor_row(cursor))
        self.refresh()
        self._scroll_to_cursor()

    def redraw_rows(self) -> None:
        """Draw every row again: what its cells show changed (a flag set, a note added), not the rows."""
        self._strips.clear()
        self.refresh()

    def cell_text(self, row: int, column: int) -> str:
        """The plain text of one cell (what a reader sees, without its styles)."""
        cell = self.cells(self.items[row])[column]
        return cell.plain if isinstance(cell, Content) else cell

    def validate_cursor_row(self, row: int) -> int:
        return min(max(row, 0), max(len(self.items) - 1, 0))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_to_cursor()

    def move_cursor(self, row: int) -> None:
        self.cursor_row = row

    # Drawing

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        # Lines are drawn as wide as the table, or the pane if wider, then cut to the view.
        full = max(width, self._width)
        left = self.scroll_offset.x
        if y == 0:
            return self._strip(-1, "row-table--header", self.header_content(), full).crop(left, left + width)
        row = self.scroll_offset.y + y - 1
        if not 0 <= row < len(self.items):
            return Strip.blank(width, self.visual_style.rich_style)
        # Zebra stripes as DataTable draws them: rows 0, 2, 4… lighter.
        look = "row-table--cursor" if row == self.cursor_row else "" if row % 2 else "row-table--even-row"
        return self._strip(row, look, None, full).crop(left, left + width)

    def header_content(self) -> Content:
        return self._line([label for label, _ in self.COLUMNS])

    def _line(self, cells: Sequence[Cell]) -> Content:
        parts = []
        for (_, width), cell in zip(self.COLUMNS, cells, strict=False):
            content = cell if isinstance(cell, Content) else Content(cell)
            parts.append(content.truncate(width, ellipsis=True, pad=True).pad(CELL_PADDING, CELL_PADDING))
        return Content("").join(parts)

    def _strip(self, row: int, look: str, content: Content | None, width: int) -> Strip:
        key = (row, look)
        strip = self._strips.get(key)
        if strip is None or strip.cell_length != width:
            style = self.get_visual_style(look) if look else self.visual_style
            line = content if content is not None else self._line(self._row_cells(self.items[row]))
            if look == "row-table--cursor":
                # The cursor's look over the cells' own, as DataTable draws it: what
                # the cursor sets (its colours; bold when focused) wins, the rest stays.
                line = line.stylize(style)
            drawn = Visual.to_strips(self, line, width, 1, style)
            strip = (drawn[0] if drawn else Strip.blank(0)).extend_cell_length(width, style.rich_style).crop(0, width)
            self._strips[key] = strip
        return strip

    def _row_cells(self, item: Item) -> Sequence[Cell]:
        cells = self.cells(item)
        marks = self.item_marks(item)
        if not marks or not cells:
            return cells
        first = cells[0] if isinstance(cells[0], Content) else Content(cells[0])
        return [Content.assemble((marks, MARKS_STYLE), " ", first), *cells[1:]]

    def notify_style_update(self) -> None:
        # A new theme, or focus gained or lost: the drawn lines carry the old look.
        super().notify_style_update()
        self._strips.clear()

    def _refresh_row(self, row: int) -> None:
        # A line of the scrolled content (the header is line 0): refresh_line takes off the scroll itself.
        self.refresh_line(row + 1)

    def _scroll_to_cursor(self) -> None:
        rows_shown = max(self.scrollable_content_region.height - 1, 1)
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + rows_shown:
            self.scroll_to(y=self.cursor_row - rows_shown + 1, animate=False)

    # Keys and the mouse

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= max(self.scrollable_content_region.height - 1, 1)

    def action_page_down(self) -> None:
        self.cursor_row += max(self.scrollable_content_region.height - 1, 1)

    def action_scroll_top(self) -> None:
        self.cursor_row = 0

    def action_scroll_bottom(self) -> None:
        self.cursor_row = len(self.items) - 1

    def action_select_cursor(self) -> None:
        if self.items:
            self.post_message(self.Selected(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        row = self.scroll_offset.y + offset.y - 1
        if not 0 <= row < len(self.items):
            return
        if row == self.cursor_row:
            self.action_select_cursor()
        else:
            self.cursor_row = row
