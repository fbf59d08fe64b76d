"""The editor's caveats: what a careful reader must know about this article."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from briefing.analysis.describe import note_text
from briefing.format.model import Note


class CaveatsScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    CaveatsScreen {
        align: center middle;
    }
    CaveatsScreen > VerticalScroll {
        width: 100;
        max-width: 100%;
        height: auto;
        max-height: 90%;
        border: round $warning;
        padding: 0 1;
        background: $surface;
    }
    CaveatsScreen .caveat {
        margin-bottom: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("c,q,backspace", "close", "Close", show=False),
        Binding("j", "scroll('down')", "Scroll down", show=False),
        Binding("k", "scroll('up')", "Scroll up", show=False),
    ]

    def __init__(self, caveats: list[Note]) -> None:
        super().__init__()
        self.caveats = caveats

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="caveats-body") as body:
            body.border_title = "Editor’s caveats (not the article’s words)"
            if not self.caveats:
                yield Static(Content("The editor recorded no caveats for this briefing."))
            for caveat in self.caveats:
                yield Static(Content.assemble(("• ", "$warning"), note_text(caveat)), classes="caveat")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#caveats-body").focus()

    def action_close(self) -> None:
        self.dismiss()

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#caveats-body", VerticalScroll)
        body.scroll_relative(y=1 if direction == "down" else -1, animate=False)
