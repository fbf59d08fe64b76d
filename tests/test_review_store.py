"""The review store: what the analyst saves is there next time, and nothing saved is ever lost."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest

from briefing.storage import review
from briefing.storage.paths import review_store_path
from briefing.storage.review import (
    FLAG_BY_NAME,
    FLAGS,
    MAX_EXACT_CHARS,
    MAX_NOTE_CHARS,
    Anchor,
    BriefingReview,
    ReviewStore,
    StoreError,
    Target,
    UserGrading,
)

SECTION = Target("sparta", "section", "body")
QUOTE = Target("sparta", "quote", "hur-says")
WHOLE = Target("sparta", "briefing", "")
ISO_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "briefing" / "review.sqlite3"


@pytest.fixture
def store(path: Path):
    with ReviewStore.open(path) as opened:
        assert not opened.read_only, opened.problem
        yield opened


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def saved_store(path: Path, body: str = "saved before") -> None:
    with ReviewStore.open(path) as store:
        store.add_note(SECTION, body)
        store.toggle_flag(QUOTE, "important")


# Saved, and there next time


def test_everything_saved_is_there_when_the_store_is_opened_again(path):
    with ReviewStore.open(path) as store:
        store.set_read("sparta", "lede")
        assert store.toggle_flag(QUOTE, "disputed") is True
        note = store.add_note(
            SECTION, "Check the\nsecond source.", Anchor("body", "the exact words", "before ", " after")
        )
        store.set_grading(QUOTE, "B", 2)
    with ReviewStore.open(path) as store:
        assert store.sections_read("sparta") == {"lede"}
        assert store.flags("sparta") == {("quote", "hur-says"): frozenset({"disputed"})}
        assert store.notes("sparta") == [note]
        assert store.gradings("sparta") == {("quote", "hur-says"): UserGrading("B", 2, note.created)}
        assert store.summary() == {"sparta": BriefingReview(sections_read=1, flags=1, notes=1)}
        assert store.problem is None and not store.read_only


def test_the_default_store_lives_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert review_store_path() == tmp_path / "data" / "briefing" / "review.sqlite3"
    with ReviewStore.open() as store:
        store.set_read("sparta", "lede")
        assert store.path == review_store_path()
    # Made for the user alone.
    assert os.stat(tmp_path / "data" / "briefing").st_mode & 0o777 == 0o700


def test_the_file_is_a_versioned_wal_database_that_says_what_it_is(store, path):
    store.set_read("sparta", "lede")
    assert store.journal_mode == "wal"
    other = sqlite3.connect(path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert other.execute("PRAGMA application_id").fetchone() == (review.APPLICATION_ID,)
        assert other.execute("PRAGMA user_version").fetchone() == (review.SCHEMA_VERSION,)
    finally:
        other.close()


def test_a_note_has_a_stable_id_and_times_to_the_second(store):
    note = store.add_note(QUOTE, "a note")
    assert re.fullmatch(r"[0-9a-f]{32}", note.id)
    assert ISO_SECOND.match(note.created) and note.updated == note.created
    assert note.on == QUOTE and (note.kind, note.target) == ("quote", "hur-says")


def test_notes_come_oldest_first_and_can_be_edited_and_deleted(store):
    first = store.add_note(SECTION, "first")
    second = store.add_note(QUOTE, "second")
    third = store.add_note(WHOLE, "third")
    assert [note.id for note in store.notes("sparta")] == [first.id, second.id, third.id]
    store.update_note(second.id, "second, edited")
    edited = store.notes("sparta")[1]
    assert (edited.id, edited.body, edited.created) == (second.id, "second, edited", second.created)
    assert edited.updated >= second.updated
    store.delete_note(first.id)
    store.delete_note(first.id)  # already gone (another reader deleted it): no error
    assert [note.body for note in store.notes("sparta")] == ["second, edited", "third"]
    with pytest.raises(StoreError, match="no longer in the store"):
        store.update_note(first.id, "too late")


def test_a_flag_toggles_and_only_flags_of_the_registry_exist(store):
    assert store.toggle_flag(QUOTE, "verified") is True
    assert store.toggle_flag(QUOTE, "follow-up") is True
    assert store.toggle_flag(QUOTE, "verified") is False
    assert store.flags("sparta") == {("quote", "hur-says"): frozenset({"follow-up"})}
    with pytest.raises(StoreError, match="'urgent' is not a flag"):
        store.toggle_flag(QUOTE, "urgent")
    assert store.keys_with("flagged") == {"sparta"} and store.keys_with("noted") == set()


def test_the_flag_registry_has_one_key_and_one_cell_each():
    assert [flag.name for flag in FLAGS] == ["important", "disputed", "follow-up", "verified"]
    assert len({flag.key for flag in FLAGS}) == len(FLAGS)
    assert all(len(flag.mark) == 1 and len(flag.key) == 1 for flag in FLAGS)
    assert FLAG_BY_NAME["follow-up"].label == "Follow up"


def test_a_grading_is_set_changed_and_cleared(store):
    store.set_grading(QUOTE, "E", None)
    store.set_grading(QUOTE, None, 5)
    grading = store.gradings("sparta")[("quote", "hur-says")]
    assert (grading.reliability, grading.credibility) == (None, 5)
    store.set_grading(QUOTE, None, None)
    assert store.gradings("sparta") == {}
    for reliability, credibility in (("G", 1), ("A", 7), ("A", 0), ("a", 1)):
        with pytest.raises(StoreError):
            store.set_grading(QUOTE, reliability, credibility)


def test_sections_read_are_marked_and_unmarked(store):
    store.set_read("sparta", "lede")
    store.set_read("sparta", "lede")
    store.set_read("sparta", "body")
    store.set_read("sparta", "body", read=False)
    store.set_read("kyiv", "lede")
    assert store.sections_read("sparta") == {"lede"}
    assert store.summary() == {"sparta": BriefingReview(1, 0, 0), "kyiv": BriefingReview(1, 0, 0)}


# Only review state, of bounded size


def test_any_text_a_user_can_type_is_kept_exactly(store, path):
    body = "controls \x00 NUL \x1b[31m ESC \u202e bidi \r\n\t tab — émoji 🛰️ \U0010ffff"
    anchor = Anchor("body", "quoted \x00 words", "\x07", "\u2028")
    note = store.add_note(SECTION, body, anchor)
    with ReviewStore.open(path) as again:
        assert again.notes("sparta") == [note]


@pytest.mark.parametrize(
    ("body", "anchor", "words"),
    [
        ("x" * (MAX_NOTE_CHARS + 1), None, "a note is at most 65,536 characters"),
        ("fine", Anchor("body", "x" * (MAX_EXACT_CHARS + 1), "", ""), "quoted text is at most 4,096"),
        ("fine", Anchor("body", "", "", ""), "quoted text must not be empty"),
        ("lone \ud800 surrogate", None, "not Unicode text"),
    ],
    ids=["huge-note", "huge-anchor", "empty-anchor", "surrogate"],
)
def test_what_the_store_cannot_hold_is_refused_and_nothing_else_changes(store, path, body, anchor, words):
    kept = store.add_note(SECTION, "kept")
    with pytest.raises(StoreError) as refused:
        store.add_note(SECTION, body, anchor)
    assert words in str(refused.value) and str(path) in str(refused.value)
    assert store.notes("sparta") == [kept]
    # Refused before the store was touched: it is still writable.
    assert not store.read_only
    store.add_note(SECTION, "still saving")


def test_a_note_at_the_limit_is_saved(store):
    note = store.add_note(SECTION, "x" * MAX_NOTE_CHARS, Anchor("body", "y" * MAX_EXACT_CHARS, "p", "s"))
    assert store.notes("sparta") == [note]


@pytest.mark.parametrize(
    "target",
    [
        Target("sparta", "briefing", "an-id"),
        Target("sparta", "section", ""),
        Target("", "section", "body"),
        Target("sparta", "planet", "mars"),  # type: ignore[arg-type]
        Target("k" * 2000, "section", "body"),
    ],
    ids=["briefing-with-id", "section-without-id", "no-key", "unknown-kind", "huge-key"],
)
def test_a_target_that_names_nothing_is_refused(store, target):
    with pytest.raises(StoreError, match="not saved"):
        store.toggle_flag(target, "important")
    assert store.summary() == {}


# Two readers (threads or processes) at once


def test_changes_saved_by_another_reader_are_noticed(store, path):
    assert store.changed_elsewhere() is False
    with ReviewStore.open(path) as other:
        other.add_note(QUOTE, "from the other terminal")
    assert store.changed_elsewhere() is True
    assert store.changed_elsewhere() is False
    assert [note.body for note in store.notes("sparta")] == ["from the other terminal"]


def test_threads_saving_through_one_store_lose_nothing(store):
    errors: list[BaseException] = []

    def save(worker: int) -> None:
        try:
            for number in range(25):
                store.add_note(Target("sparta", "section", f"s{worker}"), f"{worker}-{number}")
                store.toggle_flag(Target("sparta", "section", f"s{worker}"), "important")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=save, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.notes("sparta")) == 100
    # 25 toggles each: an odd number, so every flag ends up set.
    assert len(store.flags("sparta")) == 4


# Never losing what is saved: files that are not ours, or not writable


def test_a_foreign_sqlite_file_is_left_as_it_is(path):
    path.parent.mkdir(mode=0o700)
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE bookmarks (url TEXT)")
    other.execute("INSERT INTO bookmarks VALUES ('https://example.org')")
    other.commit()
    other.close()
    before = digest(path)
    with ReviewStore.open(path) as store:
        assert store.read_only and not store.readable
        assert store.problem == f"{path} is not a briefing review store (left as it is)"
        assert store.notes("sparta") == []
        with pytest.raises(StoreError, match=r"not saved: .* is not a briefing review store"):
            store.add_note(SECTION, "lost?")
    assert digest(path) == before
    assert not os.path.exists(f"{path}-wal")


@pytest.mark.parametrize("content", [b"not a database at all\n" * 200, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_file_that_is_not_a_database_is_left_as_it_is(path, content):
    path.parent.mkdir(mode=0o700)
    path.write_bytes(content)
    with ReviewStore.open(path) as store:
        assert store.read_only and not store.readable
        assert str(path) in (store.problem or "") and "left as it is" in (store.problem or "")
        with pytest.raises(StoreError):
            store.toggle_flag(QUOTE, "important")
    assert path.read_bytes() == content


def test_a_store_of_a_newer_briefing_is_read_but_not_written(path):
    saved_store(path)
    upgrade = sqlite3.connect(path)
    upgrade.execute(f"PRAGMA user_version = {review.SCHEMA_VERSION + 1}")
    upgrade.commit()
    upgrade.close()
    before = digest(path)
    with ReviewStore.open(path) as store:
        assert store.read_only and store.readable
        assert "written by a newer briefing" in (store.problem or "")
        assert [note.body for note in store.notes("sparta")] == ["saved before"]
        with pytest.raises(StoreError, match="newer briefing"):
            store.set_read("sparta", "lede")
    assert digest(path) == before


def test_a_damaged_store_is_not_written_and_what_it_held_is_not_overwritten(path):
    with ReviewStore.open(path) as store:
        for number in range(200):
            store.add_note(SECTION, f"note {number} " + "x" * 200)
    data = path.read_bytes()
    damaged = data[:8192] + b"\xa5" * (len(data) - 8192)
    path.write_bytes(damaged)
    with ReviewStore.open(path) as store:
        assert store.notes("sparta") == []
        assert store.read_only and "is damaged" in (store.problem or "")
        with pytest.raises(StoreError, match=r"not saved: .* is damaged"):
            store.add_note(SECTION, "on top of it?")
        with pytest.raises(StoreError, match="cannot be read"):
            store.contents()
    assert path.read_bytes() == damaged


def test_a_link_at_the_store_is_read_but_never_written_through(tmp_path, path):
    real = tmp_path / "elsewhere" / "review.sqlite3"
    saved_store(real)
    before = digest(real)
    path.parent.mkdir(mode=0o700)
    path.symlink_to(real)
    with ReviewStore.open(path) as store:
        assert store.read_only and store.readable
        assert store.problem == f"{path} is a symbolic link (never written through)"
        assert [note.body for note in store.notes("sparta")] == ["saved before"]
        with pytest.raises(StoreError, match="symbolic link"):
            store.add_note(SECTION, "through the link?")
    assert digest(real) == before and path.is_symlink()


def test_a_directory_others_can_write_is_read_but_never_written(path):
    saved_store(path)
    path.parent.chmod(0o777)
    before = digest(path)
    with ReviewStore.open(path) as store:
        assert store.read_only and store.readable
        assert store.problem == f"{path.parent} can be written by other users (mode 0777)"
        assert store.flags("sparta") == {("quote", "hur-says"): frozenset({"important"})}
        with pytest.raises(StoreError, match="can be written by other users"):
            store.toggle_flag(QUOTE, "important")
    assert digest(path) == before


def test_a_fifo_at_the_store_is_not_waited_for(path):
    path.parent.mkdir(mode=0o700)
    os.mkfifo(path)
    with ReviewStore.open(path) as store:
        assert store.read_only and not store.readable
        assert store.problem == f"{path} is a FIFO (named pipe), not a review store"


def test_a_store_that_cannot_be_written_is_read_only_with_its_notes(path, read_only):
    saved_store(path)
    read_only(path)
    with ReviewStore.open(path) as store:
        assert store.read_only and store.readable
        assert store.problem == f"{path} cannot be written (read-only)"
        assert [note.body for note in store.notes("sparta")] == ["saved before"]
        with pytest.raises(StoreError, match=r"not saved: .* cannot be written \(read-only\)"):
            store.add_note(SECTION, "new")


def test_a_directory_that_cannot_be_written_gives_an_empty_read_only_store(path, read_only):
    path.parent.mkdir(mode=0o700)
    read_only(path.parent)
    with ReviewStore.open(path) as store:
        assert store.read_only and store.readable
        assert store.problem == f"{path.parent} cannot be written"
        assert store.summary() == {}
    assert not path.exists()


def test_an_export_of_a_store_that_is_not_there_makes_no_file(path):
    with ReviewStore.open(path, create=False) as store:
        assert store.problem is None and store.readable
        assert store.contents() == ([], [], [], [])
    assert not path.parent.exists()


@pytest.fixture
def read_only():
    """Make a file or directory read-only for this process: by its mode, or (as root) immutable."""
    undo: list[list[str]] = []

    def make(target: Path) -> None:
        targets = [target] if target.is_dir() else [target, target.parent]
        if os.geteuid() != 0:
            for item in targets:
                item.chmod(0o500 if item.is_dir() else 0o400)
            return
        # Root writes whatever the mode says; an immutable file it cannot.
        for item in targets:
            done = subprocess.run(["chattr", "+i", str(item)], capture_output=True, check=False)
            if done.returncode != 0:
                pytest.skip(f"cannot make {item} read-only for root here (chattr +i: {done.stderr.decode().strip()})")
            undo.append(["chattr", "-i", str(item)])

    yield make
    for command in reversed(undo):
        subprocess.run(command, check=False)
