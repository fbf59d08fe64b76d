"""What the review keys do, wherever they are pressed: flag, note, grade.

The main screen and the detail view bind the same keys (``REVIEW_BINDINGS``)
and call these with what they have selected. Each change is saved before it
is shown; a change the store refuses (read-only, a full disk) is one message
and nothing else happens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingType

from briefing.app.navigation import navigator
from briefing.app.review_state import ReviewState
from briefing.format.kinds import ENTITY_KINDS
from briefing.format.safetext import one_line
from briefing.storage.review import FLAG_BY_NAME, FLAGS, Anchor, StoreError, Target

if TYPE_CHECKING:
    from textual.screen import Screen

    from briefing.format.model import Grading

# What an analyst can grade: the kinds of entry the editor grades too (claims: quotes, events, assets).
GRADED_KINDS = frozenset(kind.name for kind in ENTITY_KINDS if "grading" in kind.model.__struct_fields__)

# One key per flag (the registry says which), then a note and a grading.
REVIEW_BINDINGS: list[BindingType] = [
    *(Binding(flag.key, f"toggle_flag('{flag.name}')", f"Flag {flag.label.lower()}", show=False) for flag in FLAGS),
    Binding("a", "note", "Note", show=False, tooltip="Write a note on the selection (a passage, if one is marked)"),
    Binding("e", "grade", "Grade", show=False, tooltip="Grade this claim yourself (A–F, 1–6), beside the editor"),
]


def review_state(screen: Screen[Any]) -> ReviewState:
    return navigator(screen.app).review_state


def toggle_flag(screen: Screen[Any], target: Target | None, flag: str, what: str) -> None:
    if target is None:
        screen.app.bell()
        return
    try:
        now = review_state(screen).toggle_flag(target, flag)
    except StoreError as error:
        screen.notify(f"Not flagged: {one_line(str(error))}", severity="error", markup=False)
        return
    label = FLAG_BY_NAME[flag].label
    screen.notify(f"{label}: {one_line(what)}" if now else f"No longer {label.lower()}: {one_line(what)}", markup=False)


def write_note(
    screen: Screen[Any],
    target: Target | None,
    what: str,
    *,
    anchor: Anchor | None = None,
    note_id: str | None = None,
    after: Callable[[], None] | None = None,
) -> None:
    """Open the editor on a new note (or the note ``note_id``) and save what it returns."""
    from briefing.app.screens.note_editor import NoteEditor

    if target is None:
        screen.app.bell()
        return
    state = review_state(screen)
    existing = state.note(note_id) if note_id else None
    passage = anchor.exact if anchor is not None else existing.anchor.exact if existing and existing.anchor else None

    def save(body: str | None) -> None:
        if body is None:  # discarded
            return
        try:
            if existing is not None and not body:
                state.delete_note(existing.id)
                screen.notify("Note deleted", markup=False)
            elif existing is not None:
                if body != existing.body:
                    state.update_note(existing.id, body)
                    screen.notify("Note saved", markup=False)
            elif body:
                state.add_note(target, body, anchor)
                screen.notify(f"Note saved on {one_line(what)}", markup=False)
        except StoreError as error:
            if body and state.store.read_only:
                # It will never be saved here: the words go to the clipboard rather than nowhere.
                screen.app.copy_to_clipboard(body)
                screen.notify(
                    f"Note not saved (the review is read-only): {one_line(str(error))}. Its text is on the clipboard.",
                    severity="error",
                    markup=False,
                )
                return
            screen.notify(f"Note not saved: {one_line(str(error))}", severity="error", markup=False)
            if body:
                # A full disk, a busy store: the editor opens again with the words (Ctrl+G gives them up).
                screen.app.push_screen(NoteEditor(what, body, passage=passage), save)
            return
        if after is not None:
            after()

    screen.app.push_screen(NoteEditor(what, existing.body if existing else "", passage=passage), save)


def grade(
    screen: Screen[Any],
    target: Target | None,
    what: str,
    editor: Grading | None,
    after: Callable[[], None] | None = None,
) -> None:
    from briefing.app.screens.grade import GradeScreen

    if target is None or target.kind not in GRADED_KINDS:
        screen.notify("Only a claim can be graded: a quote, an event or an asset", severity="warning")
        return
    state = review_state(screen)
    mine = state.grading_of(target)

    def save(result: tuple[str | None, int | None] | None) -> None:
        if result is None:
            return
        reliability, credibility = result
        try:
            state.set_grading(target, reliability, credibility)
        except StoreError as error:
            screen.notify(f"Grading not saved: {one_line(str(error))}", severity="error", markup=False)
            return
        shown = f"{reliability or '–'}{credibility or '–'}" if reliability or credibility else "cleared"
        screen.notify(f"Your grading of {one_line(what)}: {shown}", markup=False)
        if after is not None:
            after()

    screen.app.push_screen(
        GradeScreen(what, editor, mine.reliability if mine else None, mine.credibility if mine else None), save
    )
