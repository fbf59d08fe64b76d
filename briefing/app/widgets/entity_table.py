"""A table of entities, one row per entity, with the keys every entity pane shares."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from briefing.analysis.index import BriefingIndex, Entity, EntityKind, EntityRef
from briefing.app.widgets.entity_pane import ENTITY_PANE_BINDINGS, EntityPaneActions, narrowed_title
from briefing.app.widgets.fixed_table import FixedWidthTable
from briefing.app.widgets.messages import EntityHighlighted

Cell = str | Text


class EntityTable(EntityPaneActions, FixedWidthTable):
    """Subclasses say which entities and which columns; rows are keyed by entity id.

    Cells are Rich ``Text`` objects: DataTable parses plain strings as markup,
    and the content is untrusted.
    """

    KIND: ClassVar[EntityKind]
    COLUMNS: ClassVar[Sequence[tuple[str, int | None]]]
    PANE_TITLE: ClassVar[str]

    BINDINGS: ClassVar[list[BindingType]] = [
        *ENTITY_PANE_BINDINGS,
        Binding("g", "scroll_top", "First", show=False),
        Binding("G", "scroll_bottom", "Last", show=False),
    ]

    def __init__(self, index: BriefingIndex, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.index = index
        self.border_title = self.PANE_TITLE

    def entities(self) -> Sequence[Entity]:
        raise NotImplementedError

    def row(self, entity: Entity) -> Sequence[Cell]:
        raise NotImplementedError

    def on_mount(self) -> None:
        for label, width in self.COLUMNS:
            self.add_column(Text(label), width=width)
        self.add_rows_for(self.entities())

    def add_rows_for(self, entities: Sequence[Entity]) -> None:
        for entity in entities:
            cells = (
                cell if isinstance(cell, Text) else Text(cell, no_wrap=True, overflow="ellipsis")
                for cell in self.row(entity)
            )
            self.add_row(*cells, key=entity.id)

    def narrow(self, refs: set[EntityRef] | None, focus_name: str | None = None) -> None:
        """Show only the rows in ``refs`` (all rows when None), keeping the cursor's row if it stays."""
        everything = self.entities()
        shown = [e for e in everything if refs is None or EntityRef(self.KIND, e.id) in refs]
        keep = self.selected
        self.clear()
        self.add_rows_for(shown)
        if keep is not None:
            self.select(keep.id)
        self.border_title = narrowed_title(
            self.PANE_TITLE, len(shown), len(everything), focus_name if refs is not None else None
        )

    @property
    def selected(self) -> EntityRef | None:
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return EntityRef(self.KIND, str(row_key.value))

    def select(self, entity_id: str) -> bool:
        """Move the cursor to an entity's row; False if it is not in the table."""
        try:
            row = self.get_row_index(entity_id)
        except Exception:
            return False
        self.move_cursor(row=row)
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        # A click on the highlighted row (the first click highlights it) does what Enter does.
        event.stop()
        self.action_open()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(EntityHighlighted(self.selected))
