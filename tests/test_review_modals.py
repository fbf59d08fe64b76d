"""The review dialogs as a user drives them: what each returns for the keys pressed.

Each dialog is pushed on a bare app; the tests read what the dialog gives
back (the caller saves it) and what it shows.
"""

from __future__ import annotations

from typing import Any

import pytest
from app_helpers import screen_text, text_of
from textual.app import App
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static, TextArea

from briefing.app.screens.grade import GradeScreen
from briefing.app.screens.note_editor import MAX_NOTE_BYTES, NoteEditor, visible
from briefing.app.screens.notes import NoteAction, NotesItem, NotesScreen
from briefing.format.model import Grading

NOT_YET = object()
HOSTILE = "[bold]x[/] \x1b[31mred\x1b]0;title\x07 \u202e"


class DialogApp(App[None]):
    """Pushes one dialog and keeps what it returns."""

    def __init__(self, dialog: ModalScreen[Any]) -> None:
        super().__init__()
        self.dialog = dialog
        self.result: Any = NOT_YET

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.keep)

    def keep(self, result: Any) -> None:
        self.result = result


async def run(dialog: ModalScreen[Any], *keys: str, size: tuple[int, int] = (80, 24)) -> DialogApp:
    app = DialogApp(dialog)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
    return app


def notes_items() -> list[NotesItem]:
    return [
        NotesItem("n1", "Asset: Sparta", None, "Check the tonnage.", "2024-12-24T10:05:00Z"),
        NotesItem("n2", "Passage in Logistics", "the ship left Tartus", "Which day?", "2024-12-25T09:00:00Z"),
        NotesItem("n3", "Passage in Lede", "words now gone", "Was this retracted?", "2024-12-26T08:00:00Z", True),
    ]


def test_untrusted_text_made_visible_keeps_its_lines():
    assert visible("a\ud800b\x1b[0m\nnext\u202e") == "a\ufffdb␛[0m\nnext<U+202E>"


class TestNoteEditor:
    async def test_escape_saves_a_multi_line_note(self):
        app = await run(NoteEditor("Asset: Sparta"), *"First", "enter", *"second line", "escape")
        assert app.result == "First\nsecond line"

    async def test_ctrl_s_saves(self):
        app = await run(NoteEditor("Asset: Sparta"), *"Noted", "ctrl+s")
        assert app.result == "Noted"

    async def test_ctrl_g_discards_the_changes(self):
        app = await run(NoteEditor("Asset: Sparta", "Old body"), *" more", "ctrl+g")
        assert app.result is None

    async def test_ctrl_k_edits_the_text_as_the_text_area_does(self):
        # Ctrl+K is the TextArea's "delete to the end of the line", not a way out.
        app = await run(NoteEditor("Asset: Sparta", "keep"), "home", "right", "ctrl+k", "escape")
        assert app.result == "k"

    async def test_editing_an_existing_note(self):
        app = await run(NoteEditor("Section: Logistics", "Line one"), *" and more", "escape")
        assert app.result == "Line one and more"

    async def test_an_emptied_note_returns_an_empty_body(self):
        app = await run(NoteEditor("Asset: Sparta", "abc"), "backspace", "backspace", "backspace", "enter", "escape")
        assert app.result == ""

    async def test_closed_untouched_returns_the_body_as_it_was(self):
        app = await run(NoteEditor("Asset: Sparta", "odd \x1b body"), "escape")
        assert app.result == "odd \x1b body"

    async def test_keys_of_the_reader_are_typed_not_obeyed(self):
        app = await run(NoteEditor("Asset: Sparta"), *"q?jk", "escape")
        assert app.result == "q?jk"

    async def test_a_note_too_long_is_refused_and_kept_open(self):
        app = DialogApp(NoteEditor("Asset: Sparta"))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            area = app.screen.query_one(TextArea)
            area.load_text("x" * (MAX_NOTE_BYTES + 1))
            area.move_cursor(area.document.end)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, NoteEditor)
            assert app.result is NOT_YET
            assert "Too long to save" in text_of(app.screen.query_one("#note-hint", Static))
            await pilot.press("backspace", "escape")
            await pilot.pause()
        assert app.result == "x" * MAX_NOTE_BYTES

    async def test_shows_what_it_is_on_the_passage_and_the_keys(self):
        app = DialogApp(NoteEditor("Passage in Logistics", passage="the ship left Tartus"))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            shown = screen_text(app)
            assert "Note on Passage in Logistics" in shown
            assert "“the ship left Tartus”" in shown
            assert "Esc: save and close" in shown
            assert "Ctrl+G: discard" in shown

    async def test_untrusted_text_is_shown_literally_and_defused(self):
        app = DialogApp(NoteEditor(HOSTILE, passage=HOSTILE))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            on = text_of(app.screen.query_one("#note-on", Static))
            passage = text_of(app.screen.query_one("#note-passage", Static))
            for text in (on, passage):
                assert "[bold]x[/]" in text
                assert "\x1b" not in text and "\u202e" not in text
                assert "␛[31m" in text


class TestGradeScreen:
    async def test_letter_and_digit_keys_grade(self):
        app = await run(GradeScreen("Claim: the Sparta left"), "b", "3", "enter")
        assert app.result == ("B", 3)

    async def test_capital_letters_grade_too_and_the_last_key_wins(self):
        app = await run(GradeScreen("Claim: x"), "A", "6", "D", "2", "enter")
        assert app.result == ("D", 2)

    async def test_one_half_alone(self):
        app = await run(GradeScreen("Claim: x"), "5", "enter")
        assert app.result == (None, 5)

    async def test_backspace_clears_both(self):
        app = await run(GradeScreen("Claim: x", reliability="C", credibility=4), "backspace", "enter")
        assert app.result == (None, None)

    async def test_escape_cancels(self):
        app = await run(GradeScreen("Claim: x", reliability="C", credibility=4), "a", "1", "escape")
        assert app.result is None

    async def test_starts_from_the_analysts_grading(self):
        app = await run(GradeScreen("Claim: x", reliability="C", credibility=4), "2", "enter")
        assert app.result == ("C", 2)

    async def test_a_value_off_the_scale_starts_unset(self):
        app = await run(GradeScreen("Claim: x", reliability="Z", credibility=9), "enter")
        assert app.result == (None, None)

    async def test_the_editors_grading_beside_the_analysts(self):
        editor = Grading(reliability="B", credibility=2, note="two sources agree")
        app = DialogApp(GradeScreen("Claim: the Sparta left", editor))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("e", "5")
            await pilot.pause()
            editor_text = text_of(app.screen.query_one("#grade-editor", Static))
            own_text = text_of(app.screen.query_one("#grade-own", Static))
            assert editor_text.startswith("Editor: B2 — two sources agree")
            assert "source usually reliable" in editor_text
            assert own_text.startswith("Yours: E5")
            assert "information improbable" in own_text
            shown = screen_text(app)
            for words in ("A completely reliable", "F reliability cannot be judged", "1 confirmed by other sources"):
                assert words in shown
            assert "6 truth cannot be judged" in shown
            await pilot.press("enter")
        # The editor's grading is not the dialog's to change.
        assert app.result == ("E", 5)
        assert editor == Grading(reliability="B", credibility=2, note="two sources agree")

    async def test_untrusted_text_is_shown_literally_and_defused(self):
        editor = Grading(reliability="B", credibility=2, note=HOSTILE)
        app = DialogApp(GradeScreen(HOSTILE, editor))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            for widget_id in ("#grade-on", "#grade-editor"):
                text = text_of(app.screen.query_one(widget_id, Static))
                assert "[bold]x[/]" in text
                assert "\x1b" not in text and "\u202e" not in text


class TestNotesScreen:
    async def test_enter_goes_to_the_highlighted_note(self):
        app = await run(NotesScreen(notes_items()), "j", "enter")
        assert app.result == NoteAction("open", "n2")

    async def test_e_edits(self):
        app = await run(NotesScreen(notes_items()), "j", "j", "e")
        assert app.result == NoteAction("edit", "n3")

    async def test_delete_asks_first(self):
        app = await run(NotesScreen(notes_items()), "x", "x")
        assert app.result == NoteAction("delete", "n1")
        app = await run(NotesScreen(notes_items()), "j", "delete", "delete")
        assert app.result == NoteAction("delete", "n2")

    async def test_another_key_takes_the_delete_back(self):
        app = DialogApp(NotesScreen(notes_items()))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("x")
            await pilot.pause()
            assert "Press x (or Delete) again" in text_of(app.screen.query_one("#notes-hint", Static))
            await pilot.press("j", "x")
            await pilot.pause()
            assert app.result is NOT_YET, "the first x on another note only asks"
            await pilot.press("k", "x", "x")
            await pilot.pause()
        assert app.result == NoteAction("delete", "n1")

    @pytest.mark.parametrize("key", ["escape", "q"])
    async def test_escape_closes(self, key):
        app = await run(NotesScreen(notes_items()), key)
        assert app.result is None

    async def test_lists_every_note_with_what_it_is_on(self):
        app = DialogApp(NotesScreen(notes_items()))
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            shown = screen_text(app)
            assert "Your notes on this briefing (3)" in shown
            for words in ("Asset: Sparta", "2024-12-24 10:05 UTC", "Check the tonnage.", "“the ship left Tartus”"):
                assert words in shown
            assert "The passage is gone from the briefing; it quoted: “words now gone”" in shown
            assert app.screen.query_one(OptionList).option_count == 3

    async def test_the_empty_state_says_so(self):
        app = DialogApp(NotesScreen([]))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "You have written no notes on this briefing yet." in screen_text(app)
            await pilot.press("enter", "e", "x", "x", "escape")
            await pilot.pause()
        assert app.result is None

    async def test_untrusted_text_is_shown_literally_and_defused(self):
        items = [NotesItem("n1", HOSTILE, HOSTILE, HOSTILE, HOSTILE, True)]
        app = DialogApp(NotesScreen(items))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            prompt = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
            assert prompt.count("[bold]x[/]") == 4
            assert "\x1b" not in prompt and "\u202e" not in prompt and "\x07" not in prompt
