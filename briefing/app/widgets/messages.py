"""Messages the panes send up to the screen."""

from __future__ import annotations

from textual.message import Message

from briefing.analysis.index import EntityRef


class OpenEntity(Message):
    """Show the detail view of an entity."""

    def __init__(self, ref: EntityRef) -> None:
        super().__init__()
        self.ref = ref


class ShowInReader(Message):
    """Show a section in the reader, with a passage of it marked."""

    def __init__(self, section_id: str, mark: str | None = None) -> None:
        super().__init__()
        self.section_id = section_id
        self.mark = mark


class FocusOn(Message):
    """Make an entity the analyst's focus (None clears it)."""

    def __init__(self, ref: EntityRef | None) -> None:
        super().__init__()
        self.ref = ref
