"""All the analyst's notes on one briefing, in the briefing's order: open, edit or delete one.

Like the editor's caveats, the notes are read in one place; unlike them they
are the analyst's own words, so the screen says whose they are. A note on a
passage the briefing no longer holds is listed as an orphan with the words it
quoted: it is never dropped. The screen returns what was asked for and
changes nothing itself; deleting asks for the key a second time first.
"""

from __future__ import annotations

import re
from typing import ClassVar, Literal, NamedTuple

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from briefing.app.screens.note_editor import shortened, visible
from briefing.format.safetext import one_line

# Of a long note, the list shows the start: Enter or e shows all of it.
BODY_SHOWN = 400
BODY_LINES_SHOWN = 6
PASSAGE_SHOWN = 200

DELETE_KEYS = ("x", "delete")
HINT = "Enter: go to it · e: edit · x or Delete: delete · Esc: close"

_ISO_MINUTE = re.compile(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)")


class NotesItem(NamedTuple):
    note_id: str
    # What the note is on, in words: "Asset: Sparta", "Section: Logistics", "Passage in Logistics".
    on: str
    # The words a note on a passage quotes; None for a note on an entry or a section.
    passage: str | None
    body: str
    # ISO 8601 UTC, as the store keeps it.
    updated: str
    # A note on a passage whose words are gone from the briefing.
    orphan: bool = False


class NoteAction(NamedTuple):
    action: Literal["open", "edit", "delete"]
    note_id: str


def when_text(updated: str) -> str:
    """``2024-12-24 10:05 UTC`` from the store's timestamp; anything else shown as it is, on one line."""
    match = _ISO_MINUTE.match(updated)
    if match:
        return f"{match.group(1)} {match.group(2)} UTC"
    return shortened(one_line(updated), 32)


def body_shown(body: str) -> str:
    lines = visible(body).splitlines() or [""]
    shown = "\n".join(lines[:BODY_LINES_SHOWN])
    if len(lines) > BODY_LINES_SHOWN:
        shown += "\n…"
    return shortened(shown, BODY_SHOWN)


def item_prompt(item: NotesItem) -> Content:
    parts: list[str | tuple[str, str]] = [
        ("✎ ", "$accent"),
        (one_line(item.on), "bold"),
        (f"  {when_text(item.updated)}", "$text-muted"),
    ]
    if item.orphan:
        quoted = shortened(one_line(item.passage or ""), PASSAGE_SHOWN)
        parts += ["\n  ", ("⚠ The passage is gone from the briefing; it quoted: ", "bold $warning")]
        parts += [(f"“{quoted}”", "italic $warning")]
    elif item.passage:
        parts += ["\n  ", (f"“{shortened(one_line(item.passage), PASSAGE_SHOWN)}”", "italic $text-muted")]
    body = body_shown(item.body)
    parts += ["\n  ", body.replace("\n", "\n  ") if body.strip() else ("(empty)", "$text-muted")]
    return Content.assemble(*parts)


class NotesList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]


class NotesScreen(ModalScreen[NoteAction | None]):
    """Returns what to do with which note (open, edit, delete), or None when closed."""

    DEFAULT_CSS = """
    NotesScreen {
        align: center middle;
    }
    NotesScreen > Vertical {
        width: 100;
        max-width: 100%;
        height: auto;
        max-height: 90%;
        border: round $accent;
        padding: 0 1;
        background: $surface;
    }
    NotesScreen NotesList {
        height: auto;
        max-height: 1fr;
    }
    NotesScreen #notes-hint {
        color: $text-muted;
    }
    NotesScreen #notes-hint.confirm {
        color: $error;
        text-style: bold;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Go to it"),
        Binding("e", "edit", "Edit"),
        Binding(",".join(DELETE_KEYS), "delete", "Delete", key_display="x"),
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, items: list[NotesItem], *, title: str = "Your notes on this briefing") -> None:
        """``items`` in the briefing's order: the caller knows where each note's target stands."""
        super().__init__()
        self.items = items
        self.title_text = title
        # The note a first delete key asked about; the second one deletes it.
        self.confirming: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="notes-dialog") as dialog:
            dialog.border_title = Content(f"{visible(self.title_text)} ({len(self.items)})")
            if not self.items:
                yield Static(
                    Content("You have written no notes on this briefing yet."),
                    id="notes-empty",
                )
            else:
                options: list[Option | None] = []
                for number, item in enumerate(self.items):
                    if number:
                        options.append(None)  # a rule between notes
                    options.append(Option(item_prompt(item)))
                yield NotesList(*options, id="notes-list")
            yield Static(Content(HINT if self.items else "Esc: close"), id="notes-hint")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # With no note there is nothing to open, edit or delete: the footer says only how to close.
        return bool(self.items) or action not in ("open", "edit", "delete")

    def on_mount(self) -> None:
        if self.items:
            notes = self.query_one(NotesList)
            notes.highlighted = 0
            notes.focus()

    def current(self) -> NotesItem | None:
        if not self.items:
            return None
        # A rule between notes is not an option: option i is note i.
        highlighted = self.query_one(NotesList).highlighted
        return self.items[highlighted] if highlighted is not None else None

    def on_key(self, event: events.Key) -> None:
        # Any other key than a delete key takes the question back.
        if self.confirming is not None and event.key not in DELETE_KEYS:
            self.cancel_delete()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.confirming is not None:
            self.cancel_delete()

    def action_open(self) -> None:
        item = self.current()
        if item is not None:
            self.dismiss(NoteAction("open", item.note_id))

    def action_edit(self) -> None:
        item = self.current()
        if item is not None:
            self.dismiss(NoteAction("edit", item.note_id))

    def action_delete(self) -> None:
        item = self.current()
        if item is None:
            return
        if self.confirming == item.note_id:
            self.dismiss(NoteAction("delete", item.note_id))
            return
        self.confirming = item.note_id
        hint = self.query_one("#notes-hint", Static)
        hint.update(
            Content.assemble(
                "Delete the note on ",
                one_line(item.on),
                "? Press x (or Delete) again to delete it; any other key keeps it",
            )
        )
        hint.add_class("confirm")

    def cancel_delete(self) -> None:
        self.confirming = None
        hint = self.query_one("#notes-hint", Static)
        hint.update(Content(HINT))
        hint.remove_class("confirm")

    def action_close(self) -> None:
        self.dismiss(None)
