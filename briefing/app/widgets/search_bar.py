"""The one-line search input that ``/`` opens at the bottom of the main screen.

It only edits the phrase and says what happened to it (Changed, Submitted,
Cancelled); the screen does the searching. Keys typed in one burst ("/troops",
Enter, n — a fast typist, a batch over SSH) are each handled in the order they
were typed: the input's editing keys, Enter and Escape are taken in turn with
the characters around them, and a key that arrives after the bar has closed
goes to where the focus went back to.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from briefing.analysis.find import MAX_TERM
from briefing.app.widgets.ordered_input import OrderedInput


class SearchInput(OrderedInput):
    """The phrase being typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "keep", "Go to match", tooltip="Close the search, keep the matches, go to the first one"),
        Binding("escape", "cancel", "Cancel", tooltip="Close the search and highlight what was highlighted before"),
    ]

    def __init__(self) -> None:
        super().__init__(
            placeholder="Search this briefing (any case, words as typed)",
            max_length=MAX_TERM,
            compact=True,
            id="search-input",
        )

    @property
    def bar(self) -> SearchBar:
        parent = self.parent
        assert isinstance(parent, SearchBar)
        return parent

    def takes_keys(self) -> bool:
        return self.bar.is_open

    def on_blur(self, event: events.Blur) -> None:
        # Tab or a click elsewhere leaves the search as it is; the terminal losing focus does not.
        if self.bar.is_open and self.app.app_focus:
            self.bar.close(self.value, go=False, refocus=False)

    def action_keep(self) -> None:
        self.bar.close(self.value, go=True)

    def action_cancel(self) -> None:
        self.bar.close(None)


class SearchBar(Horizontal):
    """``Search: [phrase]`` above the footer, shown while a phrase is typed."""

    class Changed(Message):
        """The phrase changed (each key typed)."""

        def __init__(self, term: str) -> None:
            super().__init__()
            self.term = term

    class Submitted(Message):
        """The bar closed keeping the phrase: Enter (``go``: move to the first match) or the focus left it."""

        def __init__(self, term: str, *, go: bool) -> None:
            super().__init__()
            self.term = term
            self.go = go

    class Cancelled(Message):
        """Escape: the phrase is dropped."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.is_open = False
        self.return_to: Widget | None = None

    def compose(self) -> ComposeResult:
        yield Static("Search:", id="search-prompt")
        yield SearchInput()

    @property
    def input(self) -> SearchInput:
        return self.query_one(SearchInput)

    def open(self, term: str, return_to: Widget | None) -> None:
        """Show the bar with ``term`` in it (all selected: typing replaces it), focused now.

        ``return_to`` gets the focus back when Enter or Escape closes the bar.
        """
        self.return_to = return_to
        self.is_open = True
        self.display = True
        search = self.input
        with search.prevent(Input.Changed):
            search.value = term
        # Focused at once (not on the next idle): the keys already typed after "/" come here.
        self.screen.set_focus(search)

    def close(self, term: str | None, *, go: bool = False, refocus: bool = True) -> None:
        """Hide the bar and say so: ``term`` kept (Submitted), or None (Cancelled)."""
        if not self.is_open:
            return
        self.is_open = False
        back = self.return_to
        self.return_to = None
        if refocus:
            # Before the bar hides, so the focus moves where it was and not to the first pane.
            self.screen.set_focus(back if back is not None and back.is_attached and back.display else None)
        self.display = False
        self.post_message(self.Cancelled() if term is None else self.Submitted(term, go=go))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        # A change behind the latest value (keys typed faster than searched) or after the bar
        # closed is already out of date: only the phrase as it is now is searched.
        if self.is_open and event.value == self.input.value:
            self.post_message(self.Changed(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter is handled by SearchInput; Input's own message would say it twice.
        event.stop()
