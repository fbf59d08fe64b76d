"""A table of entities, one row per entity, with the keys every entity pane shares."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content

from briefing.analysis.describe import link_mark, marks_legend
from briefing.analysis.index import BriefingIndex, Entity, EntityKind, EntityRef
from briefing.app.navigation import navigator
from briefing.app.widgets.entity_pane import ENTITY_PANE_BINDINGS, EntityPaneActions, narrowed_title
from briefing.app.widgets.row_table import Cell, RowTable
from briefing.format.kinds import link_of

__all__ = ["MARK_STYLE", "Cell", "EntityTable", "column_width", "marked"]

# A mark of what the article does not state itself (``describe.MARKS``), as the panes draw it.
MARK_STYLE = "bold ansi_yellow"


def column_width(columns: Sequence[tuple[str, int]], label: str) -> int:
    return next(width for name, width in columns if name == label)


def marked(text: str, mark: str, width: int) -> Cell:
    """``text`` with ``mark`` after it, the text cut short rather than the mark, in a column ``width`` wide."""
    if not text or not mark:
        return text
    room = max(width - len(mark) - 1, 1)
    return Content.assemble(Content(text).truncate(room, ellipsis=True), " ", (mark, MARK_STYLE))


class EntityTable(EntityPaneActions, RowTable[Entity]):
    """Subclasses say which entities and which cells; a focus narrows the rows to what is linked to it.

    Cells are ``Content`` or plain strings, never markup: the content is untrusted.
    """

    KIND: ClassVar[EntityKind]
    PANE_TITLE: ClassVar[str]
    # The reference fields shown in the table, each in a cell of its own (``linked``): their marks
    # are the rows' marks (``row_marks``), listed under the pane.
    LINKS: ClassVar[tuple[str, ...]] = ()

    BINDINGS: ClassVar[list[BindingType]] = [
        *ENTITY_PANE_BINDINGS,
        Binding("g", "scroll_top", "First", show=False),
        Binding("G", "scroll_bottom", "Last", show=False),
    ]

    def __init__(self, index: BriefingIndex, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index = index
        self.border_title = self.PANE_TITLE
        self._row_of: dict[str, int] = {}

    def entities(self) -> Sequence[Entity]:
        raise NotImplementedError

    def linked(self, entity: Entity, field: str, text: str, column: str) -> Cell:
        """The cell naming what ``entity``'s ``field`` refers to, marked with how the article knows it."""
        return marked(text, link_mark(link_of(entity, field)), column_width(self.COLUMNS, column))

    def item_marks(self, item: Entity) -> str:
        """The analyst's flags and notes on the row's entry, once the review has been read."""
        state = navigator(self.app).loaded_review_state
        return state.marks(self.KIND, item.id) if state is not None else ""

    def row_marks(self, entity: Entity) -> Iterable[str]:
        """The marks a row shows (``describe.MARKS``), for the legend under the pane."""
        for field in self.LINKS:
            if getattr(entity, field):
                yield link_mark(link_of(entity, field))

    def on_mount(self) -> None:
        entities = self.entities()
        # The legend lists only the marks the pane shows: none, no legend.
        legend = marks_legend(mark for entity in entities for mark in self.row_marks(entity))
        if legend:
            self.border_subtitle = legend
        self.show_entities(entities)

    def show_entities(self, entities: Sequence[Entity], *, keep: EntityRef | None = None) -> None:
        self._row_of = {entity.id: row for row, entity in enumerate(entities)}
        self.set_rows(entities, cursor=self._row_of.get(keep.id, 0) if keep is not None else 0)

    def narrow(self, refs: set[EntityRef] | None, focus_name: str | None = None) -> None:
        """Show only the rows in ``refs`` (all rows when None), keeping the cursor's row if it stays."""
        everything = self.entities()
        shown = [e for e in everything if refs is None or EntityRef(self.KIND, e.id) in refs]
        self.show_entities(shown, keep=self.selected)
        self.border_title = narrowed_title(
            self.PANE_TITLE, len(shown), len(everything), focus_name if refs is not None else None
        )

    @property
    def selected(self) -> EntityRef | None:
        entity = self.cursor_item
        return EntityRef(self.KIND, entity.id) if entity is not None else None

    def select(self, entity_id: str) -> bool:
        """Move the cursor to an entity's row; False if it is not in the table."""
        row = self._row_of.get(entity_id)
        if row is None:
            return False
        self.move_cursor(row)
        return True

    def on_row_table_selected(self, event: RowTable.Selected) -> None:
        # A click on the cursor's row (the first click moves the cursor there) does what Enter does.
        event.stop()
        self.action_open()
