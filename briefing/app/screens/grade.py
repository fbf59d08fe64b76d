"""The analyst's own grading of an entry, on the Admiralty scale, beside the editor's.

The editor's grading is part of the briefing and is only shown here; the
analyst's is a second opinion kept apart from it, so a reader can always tell
whose judgement a grade is. One key per grade, as the scale is written: a
letter for the source, a digit for the information.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from briefing.analysis.describe import CREDIBILITY, RELIABILITY
from briefing.app.screens.note_editor import visible
from briefing.format.model import Grading

RELIABILITY_KEYS = "ABCDEF"
CREDIBILITY_KEYS = "123456"

UserChoice = tuple[str | None, int | None]


def grade_label(reliability: str | None, credibility: int | None) -> str:
    """``B2``, ``B-`` or ``-2`` for a grade with one half unset; empty when neither is set."""
    if reliability is None and credibility is None:
        return ""
    return f"{reliability or '-'}{credibility if credibility is not None else '-'}"


def grade_words(reliability: str | None, credibility: int | None) -> list[str]:
    words = []
    if reliability is not None:
        words.append(f"source {RELIABILITY[reliability]}")
    if credibility is not None:
        words.append(f"information {CREDIBILITY[credibility]}")
    return words


class GradeScreen(ModalScreen[UserChoice | None]):
    """Returns the analyst's (reliability, credibility), either or both None when cleared; None when cancelled."""

    DEFAULT_CSS = """
    GradeScreen {
        align: center middle;
    }
    GradeScreen > Vertical {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        padding: 0 1;
        background: $surface;
    }
    GradeScreen #grade-on {
        text-style: bold;
        margin-bottom: 1;
    }
    GradeScreen Horizontal {
        height: auto;
    }
    GradeScreen .grade-column {
        width: 1fr;
        height: auto;
    }
    GradeScreen .grade-column:first-of-type {
        margin-right: 2;
    }
    GradeScreen #grade-scales {
        margin-top: 1;
    }
    GradeScreen #grade-hint {
        color: $text-muted;
        margin-top: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(f"{key.lower()},{key}", f"reliability('{key}')", key, show=False) for key in RELIABILITY_KEYS],
        *[Binding(key, f"credibility({key})", key, show=False) for key in CREDIBILITY_KEYS],
        Binding("enter", "save", "Save"),
        Binding("backspace,delete", "clear", "Clear yours"),
        Binding("escape", "cancel", "Cancel"),
        # As on the other dialogs: q closes it, it does not quit the reader from here.
        Binding("q", "cancel", "Cancel", show=False),
    ]

    def __init__(
        self,
        on: str,
        editor: Grading | None = None,
        reliability: str | None = None,
        credibility: int | None = None,
    ) -> None:
        """``on`` says what is graded; ``editor`` is the briefing's grading of it; the rest the analyst's so far."""
        super().__init__()
        self.on = on
        self.editor = editor
        # A value the scale does not have (from a hostile store) starts unset.
        self.reliability = reliability if reliability in RELIABILITY else None
        self.credibility = credibility if credibility in CREDIBILITY else None

    def compose(self) -> ComposeResult:
        with Vertical(id="grade-dialog") as dialog:
            dialog.border_title = "Grade (Admiralty scale, STANAG 2511)"
            yield Static(Content(visible(self.on)), id="grade-on")
            with Horizontal():
                yield Static(self.editor_content(), id="grade-editor", classes="grade-column")
                yield Static(self.own_content(), id="grade-own", classes="grade-column")
            with Horizontal(id="grade-scales"):
                yield Static(self.reliability_scale(), id="grade-reliability", classes="grade-column")
                yield Static(self.credibility_scale(), id="grade-credibility", classes="grade-column")
            yield Static(
                Content("a–f source · 1–6 information · Backspace clear · Enter save · Esc cancel"),
                id="grade-hint",
            )
        yield Footer()

    def editor_content(self) -> Content:
        grading = self.editor
        if grading is None:
            return Content.assemble(("Editor: ", "bold $warning"), ("not graded in the briefing", "$text-muted"))
        parts: list[str | tuple[str, str]] = [
            ("Editor: ", "bold $warning"),
            (grade_label(grading.reliability, grading.credibility), "bold"),
        ]
        if grading.note:
            parts += [" — ", (visible(grading.note), "italic")]
        for words in grade_words(grading.reliability, grading.credibility):
            parts += ["\n  ", (words, "$text-muted")]
        return Content.assemble(*parts)

    def own_content(self) -> Content:
        label = grade_label(self.reliability, self.credibility)
        if not label:
            return Content.assemble(("Yours: ", "bold $accent"), ("not graded", "$text-muted"))
        parts: list[str | tuple[str, str]] = [("Yours: ", "bold $accent"), (label, "bold")]
        for words in grade_words(self.reliability, self.credibility):
            parts += ["\n  ", (words, "$text-muted")]
        return Content.assemble(*parts)

    def reliability_scale(self) -> Content:
        editor = self.editor.reliability if self.editor else None
        return self.scale("Source reliability (a–f)", list(RELIABILITY.items()), self.reliability, editor)

    def credibility_scale(self) -> Content:
        editor = self.editor.credibility if self.editor else None
        return self.scale("Information credibility (1–6)", list(CREDIBILITY.items()), self.credibility, editor)

    @staticmethod
    def scale(
        title: str,
        grades: list[tuple[str, str]] | list[tuple[int, str]],
        own: str | int | None,
        editor: str | int | None,
    ) -> Content:
        """The scale's grades in words, the analyst's choice marked ▶ and the editor's named."""
        parts: list[str | tuple[str, str]] = [(title, "bold")]
        for grade, words in grades:
            chosen = grade == own
            parts += [
                "\n",
                ("▶ " if chosen else "  ", "$accent"),
                (f"{grade} {words}", "bold $accent" if chosen else ""),
            ]
            if grade == editor:
                parts.append(("  ← editor", "italic $warning"))
        return Content.assemble(*parts)

    def refresh_choice(self) -> None:
        self.query_one("#grade-own", Static).update(self.own_content())
        self.query_one("#grade-reliability", Static).update(self.reliability_scale())
        self.query_one("#grade-credibility", Static).update(self.credibility_scale())

    def action_reliability(self, grade: str) -> None:
        self.reliability = grade
        self.refresh_choice()

    def action_credibility(self, grade: int) -> None:
        self.credibility = grade
        self.refresh_choice()

    def action_clear(self) -> None:
        self.reliability = None
        self.credibility = None
        self.refresh_choice()

    def action_save(self) -> None:
        self.dismiss((self.reliability, self.credibility))

    def action_cancel(self) -> None:
        self.dismiss(None)
