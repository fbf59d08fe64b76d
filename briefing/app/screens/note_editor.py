"""The analyst's note on an entry, a section or a passage: written in a TextArea, never lost by a key.

Escape saves, as Ctrl+S does: an analyst who types a note and presses the key
that closes every other screen keeps what was typed. Only Ctrl+G, the key that
says "give up" in Emacs and nano's neighbours, throws changes away. The screen
returns the body and knows nothing of the store: the caller saves it.
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from briefing.format.safetext import defuse

# A note is a note, not a document: beyond this (UTF-8 bytes) saving is
# refused with a message, and the editor stays open with the text in it.
MAX_NOTE_BYTES = 64 * 1024
# A long passage is shown cut to this many characters: the note is the point.
PASSAGE_SHOWN = 200

_SURROGATE = re.compile("[\ud800-\udfff]")

SAVE_HINT = "Ctrl+S or Esc: save and close (nothing typed is lost) · Ctrl+G: discard"


def visible(text: str) -> str:
    """Untrusted text as it may go to a terminal: controls and bidi shown as stand-ins, newlines kept.

    A lone surrogate (from a store or a file that is not clean UTF-8) cannot be
    written to the terminal at all, so it becomes U+FFFD.
    """
    if text.isprintable():
        return text
    return _SURROGATE.sub("\ufffd", defuse(text))


def shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def note_size(body: str) -> int:
    """The body's size as stored: its UTF-8 bytes."""
    return len(body.encode("utf-8", "surrogatepass"))


class NoteEditor(ModalScreen[str | None]):
    """Returns the body to save ("" to delete the note), or None when the changes are discarded.

    Editing an existing note that is closed untouched returns its body as it
    was, even if it held characters shown here as stand-ins.
    """

    DEFAULT_CSS = """
    NoteEditor {
        align: center middle;
    }
    NoteEditor > Vertical {
        width: 100;
        max-width: 100%;
        height: 24;
        max-height: 90%;
        border: round $accent;
        padding: 0 1;
        background: $surface;
    }
    NoteEditor #note-on {
        text-style: bold;
    }
    NoteEditor #note-passage {
        color: $text-muted;
        text-style: italic;
        max-height: 3;
        margin-bottom: 1;
    }
    /* The text takes what the title, passage and hint leave, so the hint stays in view. */
    NoteEditor TextArea {
        height: 1fr;
        min-height: 3;
    }
    NoteEditor #note-hint {
        color: $text-muted;
    }
    NoteEditor #note-hint.refused {
        color: $error;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "save", "Save and close"),
        # Not Ctrl+K: the TextArea deletes to the end of the line with it.
        Binding("ctrl+g", "discard", "Discard changes"),
    ]

    def __init__(self, on: str, body: str = "", *, passage: str | None = None) -> None:
        """``on`` says what the note is on ("Asset: Sparta"); ``body`` is the note being edited, if any."""
        super().__init__()
        self.on = on
        self.body = body
        self.passage = passage
        # What the TextArea starts with; the body itself is returned if it is left so.
        self.initial = visible(body)

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog") as dialog:
            dialog.border_title = "Your note" if not self.body else "Edit your note"
            yield Static(Content.assemble("Note on ", visible(self.on)), id="note-on", markup=False)
            if self.passage:
                quoted = Content(f"“{shortened(visible(self.passage), PASSAGE_SHOWN)}”")
                yield Static(quoted, id="note-passage", markup=False)
            yield TextArea(self.initial, soft_wrap=True, tab_behavior="focus", id="note-body")
            yield Static(Content(SAVE_HINT), id="note-hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        hint = self.query_one("#note-hint", Static)
        size = note_size(event.text_area.text)
        if size > MAX_NOTE_BYTES:
            hint.update(Content(self.too_long(size)))
            hint.add_class("refused")
        elif hint.has_class("refused"):
            hint.update(Content(SAVE_HINT))
            hint.remove_class("refused")

    @staticmethod
    def too_long(size: int) -> str:
        return (
            f"Too long to save: {size:,} bytes, a note holds at most {MAX_NOTE_BYTES:,}. "
            "Shorten it, or Ctrl+G to discard"
        )

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        if text == self.initial:
            self.dismiss(self.body)
            return
        size = note_size(text)
        if size > MAX_NOTE_BYTES:
            self.notify(self.too_long(size), title="Note not saved", severity="error", markup=False)
            return
        self.dismiss(text.rstrip() if text.strip() else "")

    def action_discard(self) -> None:
        self.dismiss(None)
