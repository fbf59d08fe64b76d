"""Messages the panes send up to the screen."""

from __future__ import annotations

from textual.message import Message

from briefing.index import EntityRef


class OpenEntity(Message):
    """Show the detail view of an entity."""

    def __init__(self, ref: EntityRef) -> None:
        super().__init__()
        self.ref = ref


class EntityHighlighted(Message):
    """The selection moved to an entity (the analyst's views follow it)."""

    def __init__(self, ref: EntityRef | None) -> None:
        super().__init__()
        self.ref = ref
