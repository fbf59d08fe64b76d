"""How the review dialogs look at 80x24, pinned as SVG snapshots (pytest-textual-snapshot).

After a deliberate change of looks: `pytest tests/test_review_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import ModalScreen
from textual.widgets import TextArea

from briefing.app.screens.grade import GradeScreen
from briefing.app.screens.note_editor import NoteEditor
from briefing.format.model import Grading


class DialogApp(App[None]):
    def __init__(self, dialog: ModalScreen[Any]) -> None:
        super().__init__()
        self.dialog = dialog

    def on_mount(self) -> None:
        self.push_screen(self.dialog)


def test_note_editor_80x24(snap_compare):
    editor = NoteEditor(
        "Passage in Logistics",
        "Tonnage differs from the port records.",
        passage="the Sparta IV left Tartus on 12 December carrying vehicles",
    )

    async def steady_cursor(pilot):
        # A blinking cursor would be drawn or not depending on the machine's speed.
        pilot.app.screen.query_one(TextArea).cursor_blink = False

    assert snap_compare(
        DialogApp(editor), run_before=steady_cursor, press=["enter", *"Ask HUR."], terminal_size=(80, 24)
    )


def test_grade_screen_80x24(snap_compare):
    editor = Grading(reliability="B", credibility=2, note="two independent sources")
    grade = GradeScreen("Claim: the Sparta IV left Tartus", editor, reliability="C")
    assert snap_compare(DialogApp(grade), press=["4"], terminal_size=(80, 24))
