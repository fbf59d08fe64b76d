"""What the reader shows while a large briefing is still being parsed."""

from __future__ import annotations

import os

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static

from briefing.app.widgets.header import BriefingHeader
from briefing.format.model import Meta
from briefing.format.safetext import defuse


class LoadingScreen(Screen[None]):
    """The headline at once, the rest of the briefing when it has been read and checked.

    Styles: app.tcss (this is the app's default screen, whose own CSS Textual does not load).
    """

    def __init__(self, file: str, byte_count: int, preview: Meta | None) -> None:
        super().__init__()
        self.file = file
        self.byte_count = byte_count
        self.preview = preview

    def compose(self) -> ComposeResult:
        if self.preview is not None:
            # The headline alone: [meta] can go on later in the file (another
            # [[meta.caveats]]), so a count of caveats could be short.
            yield BriefingHeader(self.preview, headline_only=True)
        yield Static(loading_message(self.file, self.byte_count), id="loading-status")
        yield LoadingIndicator()


def loading_message(file: str, byte_count: int) -> Content:
    """Built from parts, never parsed as markup: a file name is untrusted text too."""
    return Content.assemble(
        "Reading and checking ",
        (defuse(os.path.basename(file) or file), "bold"),
        f" ({byte_count / (1024 * 1024):.1f} MiB)… q quits, ? shows the keys.",
    )
