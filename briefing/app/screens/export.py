"""Export…: the open briefing written as Markdown, HTML, JSON or STIX 2.1, where the analyst says.

The dialog only asks: which format, which file, with the analyst's review or
not. The app writes the file (``BriefingApp.export_briefing``) and says where.
A file that is already there is replaced only when asked a second time.
"""

from __future__ import annotations

import os
from typing import ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, Input, RadioButton, RadioSet, Static

from briefing.app.screens.note_editor import visible
from briefing.export import FORMATS, ExportFormat


class ExportRequest(NamedTuple):
    format: ExportFormat
    path: str
    review: bool


def default_export_path(briefing_path: str | None, export_format: ExportFormat, bundled_directory: str) -> str:
    """Beside the briefing, with the format's suffix; in the working directory for the bundled briefing."""
    if briefing_path is None or os.path.dirname(os.path.abspath(briefing_path)) == bundled_directory:
        stem = os.path.splitext(os.path.basename(briefing_path or "sparta.toml"))[0]
        return os.path.join(os.getcwd(), stem + export_format.suffix)
    return os.path.splitext(briefing_path)[0] + export_format.suffix


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Returns what to export and where; None when cancelled."""

    CSS_PATH = "export.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter exports from anywhere in the dialog: Space chooses a format and ticks the box.
        Binding("enter", "export", "Export", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, headline: str, briefing_path: str | None, bundled_directory: str) -> None:
        super().__init__()
        self.headline = headline
        self.briefing_path = briefing_path
        self.bundled_directory = bundled_directory
        self.format = FORMATS[0]
        # The path the Enter before asked to replace: a second Enter on the same path replaces it.
        self.confirmed: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog") as dialog:
            dialog.border_title = "Export"
            yield Static(Content(visible(self.headline)), id="export-headline")
            with RadioSet(id="export-format"):
                for number, export_format in enumerate(FORMATS):
                    yield RadioButton(
                        Content(f"{export_format.title} — {export_format.description}"),
                        value=number == 0,
                        name=export_format.name,
                    )
            yield Static(Content("File"), classes="export-label")
            yield Input(self.path_for(self.format), id="export-path", select_on_focus=False)
            yield Checkbox("With my review: my flags, gradings and notes, marked as mine", id="export-review")
            yield Static(id="export-status")
            yield Static(
                Content("Tab next · ↑↓ Space choose a format · Space tick · Enter export · Esc cancel"),
                id="export-hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def path_for(self, export_format: ExportFormat) -> str:
        return default_export_path(self.briefing_path, export_format, self.bundled_directory)

    @on(RadioSet.Changed, "#export-format")
    def format_chosen(self, event: RadioSet.Changed) -> None:
        chosen = next(f for f in FORMATS if f.name == event.pressed.name)
        path = self.query_one("#export-path", Input)
        # The file name follows the format while it is the one proposed; a name the user typed stays.
        if path.value == self.path_for(self.format):
            path.value = self.path_for(chosen)
        self.format = chosen
        self.say("")

    @on(Input.Changed, "#export-path")
    def path_changed(self) -> None:
        self.confirmed = None
        self.say("")

    def action_export(self) -> None:
        path = os.path.expanduser(self.query_one("#export-path", Input).value.strip())
        if not path:
            self.say("Name the file to write.")
            return
        if os.path.isdir(path):
            self.say(f"{visible(path)} is a directory: name a file in it.")
            return
        if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            self.say(f"There is no directory {visible(os.path.dirname(os.path.abspath(path)))}.")
            return
        if os.path.lexists(path) and self.confirmed != path:
            self.confirmed = path
            self.say(f"{visible(path)} is already there: Enter again replaces it.")
            return
        review = self.query_one("#export-review", Checkbox).value
        self.dismiss(ExportRequest(self.format, os.path.abspath(path), review))

    def say(self, text: str) -> None:
        self.query_one("#export-status", Static).update(Content(text))

    def action_cancel(self) -> None:
        self.dismiss(None)
