"""The analyst's review of the open briefing: read once from the store, kept in step with every change.

Panes ask it for a row's marks on every draw, so it answers from memory; a
change goes to the store first (one transaction) and only then into memory,
so what is shown is always what is saved. A store that cannot be written
(read-only, a full disk) raises ``StoreError``, which the caller shows: the
reader goes on, the change is not shown as made.
"""

from __future__ import annotations

from briefing.analysis.index import EntityRef
from briefing.storage.review import (
    FLAG_BY_NAME,
    FLAGS,
    Anchor,
    ReviewNote,
    ReviewStore,
    Target,
    TargetKind,
    UserGrading,
)

NOTE_MARK = "✎"


def target_of(key: str, ref: EntityRef | None = None, *, section: str | None = None) -> Target:
    """The store's name for an entry, a section or (with neither) the briefing itself."""
    if ref is not None:
        kind: TargetKind = ref.kind
        return Target(key, kind, ref.id)
    if section is not None:
        return Target(key, "section", section)
    return Target(key, "briefing", "")


class ReviewState:
    def __init__(self, store: ReviewStore, key: str) -> None:
        self.store = store
        self.key = key
        self.reload()

    def reload(self) -> None:
        """Everything again from the store (another reader may have saved meanwhile)."""
        self.flags: dict[tuple[str, str], frozenset[str]] = self.store.flags(self.key)
        self.notes: list[ReviewNote] = self.store.notes(self.key)
        self.gradings: dict[tuple[str, str], UserGrading] = self.store.gradings(self.key)
        self.read: set[str] = self.store.sections_read(self.key)
        self._noted = {(note.kind, note.target) for note in self.notes}

    # What is shown

    def flags_of(self, target: Target) -> frozenset[str]:
        return self.flags.get((target.kind, target.id), frozenset())

    def notes_of(self, target: Target) -> list[ReviewNote]:
        return [note for note in self.notes if (note.kind, note.target) == (target.kind, target.id)]

    def marks(self, kind: str, entry_id: str) -> str:
        """The cells shown beside a row: one per flag set, in registry order, then ✎ if it has notes."""
        names = self.flags.get((kind, entry_id), frozenset())
        marks = "".join(flag.mark for flag in FLAGS if flag.name in names)
        return marks + (NOTE_MARK if (kind, entry_id) in self._noted else "")

    def grading_of(self, target: Target) -> UserGrading | None:
        return self.gradings.get((target.kind, target.id))

    # Changes: the store first

    def toggle_flag(self, target: Target, flag: str) -> bool:
        assert flag in FLAG_BY_NAME
        now = self.store.toggle_flag(target, flag)
        names = set(self.flags_of(target))
        if now:
            names.add(flag)
        else:
            names.discard(flag)
        self.flags[(target.kind, target.id)] = frozenset(names)
        return now

    def set_read(self, section: str, read: bool = True) -> None:
        self.store.set_read(self.key, section, read)
        if read:
            self.read.add(section)
        else:
            self.read.discard(section)

    def add_note(self, target: Target, body: str, anchor: Anchor | None = None) -> ReviewNote:
        note = self.store.add_note(target, body, anchor)
        self.notes.append(note)
        self._noted.add((note.kind, note.target))
        return note

    def update_note(self, note_id: str, body: str) -> None:
        self.store.update_note(note_id, body)
        self.reload()

    def delete_note(self, note_id: str) -> None:
        self.store.delete_note(note_id)
        self.reload()

    def set_grading(self, target: Target, reliability: str | None, credibility: int | None) -> None:
        self.store.set_grading(target, reliability, credibility)
        self.gradings = self.store.gradings(self.key)

    def note(self, note_id: str) -> ReviewNote | None:
        return next((note for note in self.notes if note.id == note_id), None)
