"""A table of entities, one row per entity, with the keys every entity pane shares."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType

from briefing.analysis.index import BriefingIndex, Entity, EntityKind, EntityRef
from briefing.app.widgets.entity_pane import ENTITY_PANE_BINDINGS, EntityPaneActions, narrowed_title
from briefing.app.widgets.row_table import Cell, RowTable

__all__ = ["Cell", "EntityTable"]


class EntityTable(EntityPaneActions, RowTable[Entity]):
    """Subclasses say which entities and which cells; a focus narrows the rows to what is linked to it.

    Cells are ``Content`` or plain strings, never markup: the content is untrusted.
    """

    KIND: ClassVar[EntityKind]
    PANE_TITLE: ClassVar[str]

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

    def on_mount(self) -> None:
        self.show_entities(self.entities())

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
