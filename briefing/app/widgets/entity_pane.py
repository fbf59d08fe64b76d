"""What every entity pane (a table or a list) shares: its keys and its actions."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from briefing.analysis.describe import citation
from briefing.analysis.focus import focus_target
from briefing.analysis.index import BriefingIndex, EntityKind, EntityRef
from briefing.app.navigation import navigator
from briefing.app.widgets.messages import FocusOn, OpenEntity
from briefing.app.widgets.row_table import MARKS_STYLE

# Declared by each pane class (bindings belong to the widget that owns them);
# the list is shared so every pane answers the same keys.
ENTITY_PANE_BINDINGS: list[BindingType] = [
    Binding("enter", "open", "Details", tooltip="Show every field and link of this entry"),
    Binding("d", "details", "Details", show=False, tooltip="Show every field and link of this entry"),
    Binding("f", "focus_entity", "Focus", tooltip="Highlight its mentions and narrow the other panes to it"),
    Binding("y", "copy", "Copy", tooltip="Copy this entry with its attribution"),
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("ctrl+d", "page_down", "Page down", show=False),
    Binding("ctrl+u", "page_up", "Page up", show=False),
]


def open_entity(pane: Widget, ref: EntityRef | None) -> None:
    if ref is not None:
        pane.post_message(OpenEntity(ref))


def focus_entity(pane: Widget, index: BriefingIndex, ref: EntityRef | None) -> None:
    target = focus_target(index, ref)
    if target is None:
        pane.app.bell()
        return
    pane.post_message(FocusOn(target))


def narrowed_title(title: str, shown: int, total: int, focus_name: str | None) -> Content:
    """``Assets · 2 of 10 linked to HUR`` while a focus narrows the pane."""
    if focus_name is None:
        return Content(title)
    return Content.assemble(title, (f" · {shown} of {total} linked to ", "$text-muted"), (focus_name, "bold"))


def copy_entity(pane: Widget, index: BriefingIndex, ref: EntityRef | None) -> None:
    """Copy through OSC 52 (works over SSH and in tmux) and say what was copied."""
    entity = index.get(ref) if ref else None
    if ref is None or entity is None:
        pane.notify("Nothing selected to copy", severity="warning")
        return
    pane.app.copy_to_clipboard(citation(entity, index))
    pane.notify(f"Copied {ref.kind}: {index.name_of(ref)}", title="Clipboard", markup=False)


class EntityPaneActions:
    """The actions of a pane listing entities; the pane says what is ``selected``.

    Mixed into a DataTable or an OptionList, before it in the bases.
    """

    index: BriefingIndex

    @property
    def selected(self) -> EntityRef | None:
        raise NotImplementedError

    def _widget(self) -> Widget:
        assert isinstance(self, Widget)
        return self

    def action_open(self) -> None:
        open_entity(self._widget(), self.selected)

    def action_details(self) -> None:
        open_entity(self._widget(), self.selected)

    def action_focus_entity(self) -> None:
        focus_entity(self._widget(), self.index, self.selected)

    def action_copy(self) -> None:
        copy_entity(self._widget(), self.index, self.selected)


class EntityOptionList(EntityPaneActions, OptionList):
    """An option list of entities of one kind, each option's id the entity's."""

    KIND: ClassVar[EntityKind]

    def __init__(self, *options: Option, id: str | None = None) -> None:
        super().__init__(*options, id=id)
        # Each option's words without the analyst's marks.
        self._plain_prompts: dict[str, Content] = {}

    @property
    def selected(self) -> EntityRef | None:
        if self.highlighted is None or not self.option_count:
            return None
        option_id = self.get_option_at_index(self.highlighted).id
        return EntityRef(self.KIND, option_id) if option_id else None

    def select(self, entity_id: str) -> bool:
        """Highlight an entity's option; False if it is not listed."""
        try:
            self.highlighted = self.get_option_index(entity_id)
        except OptionDoesNotExist:
            return False
        return True

    def refresh_marks(self) -> None:
        """Put the analyst's flags and notes before each option's words (and take off those gone)."""
        state = navigator(self.app).loaded_review_state
        if state is None:
            return
        for number in range(self.option_count):
            option = self.get_option_at_index(number)
            if option.id is None:
                continue
            shown = option.prompt if isinstance(option.prompt, Content) else Content(str(option.prompt))
            # The first prompt seen is the plain one: marks are only ever added here.
            plain = self._plain_prompts.setdefault(option.id, shown)
            marks = state.marks(self.KIND, option.id)
            wanted = Content.assemble((marks, MARKS_STYLE), " ", plain) if marks else plain
            if wanted.markup != shown.markup:
                self.replace_option_prompt_at_index(number, wanted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # A mouse click on an option opens it, like Enter.
        event.stop()
        self.action_open()
