"""`briefing review export` and `import`, and the store under real processes: as a user runs them.

Two readers saving at once, a reader killed right after saving, a disk that
fills: every note that was said to be saved is there afterwards.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT

from briefing.storage.review import ReviewStore, Target

# A hang guard for the child processes, far above what any takes.
HANG = 120


@pytest.fixture
def data_home(tmp_path: Path) -> Path:
    return tmp_path / "data"


def environment(data_home: Path) -> dict[str, str]:
    return {**os.environ, "XDG_DATA_HOME": str(data_home), "PYTHONPATH": str(ROOT)}


def briefing(data_home: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        input=stdin,
        env=environment(data_home),
        cwd=ROOT,
        timeout=HANG,
    )


def python(data_home: Path, code: str, **options) -> subprocess.Popen[str]:
    """A child process running ``code`` against the store under ``data_home``."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=environment(data_home),
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **options,
    )


def store_path(data_home: Path) -> Path:
    return data_home / "briefing" / "review.sqlite3"


def fill(data_home: Path) -> None:
    """A review with a bit of everything, saved through the store as the reader saves it."""
    with ReviewStore.open(store_path(data_home)) as store:
        store.set_read("sparta", "lede")
        store.toggle_flag(Target("sparta", "quote", "hur-says"), "disputed")
        store.toggle_flag(Target("sparta", "briefing", ""), "important")
        store.add_note(Target("sparta", "section", "body"), "Ask who else saw it.\n\nSecond paragraph \x1b[31m.")
        store.set_grading(Target("sparta", "quote", "hur-says"), "C", 3)
        store.add_note(Target("2024/kyiv", "actor", "hur"), "Same HUR as in Sparta?")


def document(output: bytes) -> dict:
    exported = json.loads(output)
    exported.pop("exported")
    return exported


def one_error_line(run: subprocess.CompletedProcess[bytes]) -> str:
    lines = run.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("briefing: error: ")
    assert "Traceback" not in run.stderr.decode()
    return lines[0]


# Export and import


def test_an_export_imported_on_a_fresh_store_loses_nothing(tmp_path, data_home):
    fill(data_home)
    exported = briefing(data_home, "review", "export", "-o", str(tmp_path / "review.json"))
    assert exported.returncode == 0 and exported.stderr == b"", exported.stderr
    fresh = tmp_path / "fresh"
    imported = briefing(fresh, "review", "import", str(tmp_path / "review.json"))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.decode().startswith(f"Imported {tmp_path / 'review.json'} into {store_path(fresh)}: ")
    assert "2 notes added, 2 flags set, 1 section marked read, 1 grading added" in imported.stdout.decode()
    again = briefing(fresh, "review", "export")
    assert document(again.stdout) == document((tmp_path / "review.json").read_bytes())
    # Importing it once more adds nothing.
    twice = briefing(fresh, "review", "import", str(tmp_path / "review.json"))
    assert "nothing new (6 already in the store)" in twice.stdout.decode()
    assert document(briefing(fresh, "review", "export").stdout) == document(again.stdout)


def test_an_export_to_a_file_is_whole_private_and_replaces_the_old_one(tmp_path, data_home):
    fill(data_home)
    target = tmp_path / "out" / "review.json"
    target.parent.mkdir()
    target.write_text("an older export")
    run = briefing(data_home, "review", "export", "-o", str(target))
    assert run.returncode == 0 and run.stdout == b""
    assert document(target.read_bytes())["briefings"]["sparta"]["read"] == ["lede"]
    assert os.stat(target).st_mode & 0o777 == 0o600
    # No temporary file left beside it.
    assert os.listdir(target.parent) == ["review.json"]


def test_an_export_over_a_link_replaces_the_link_not_what_it_points_to(tmp_path, data_home):
    fill(data_home)
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file")
    link = tmp_path / "review.json"
    link.symlink_to(victim)
    assert briefing(data_home, "review", "export", "-o", str(link)).returncode == 0
    assert victim.read_text() == "the user's own file"
    assert not link.is_symlink() and document(link.read_bytes())["format"] == "briefing-review"


@pytest.mark.parametrize("where", ["missing-directory", "a-directory"])
def test_an_export_that_cannot_be_written_is_one_line_and_status_1(tmp_path, data_home, where):
    fill(data_home)
    target = tmp_path / "no" / "such" / "dir.json" if where == "missing-directory" else tmp_path
    run = briefing(data_home, "review", "export", "-o", str(target))
    assert run.returncode == 1
    assert one_error_line(run).startswith(f"briefing: error: cannot write {target}: ")


def test_an_empty_review_exports_an_empty_document_and_makes_no_store(data_home):
    run = briefing(data_home, "review", "export")
    assert run.returncode == 0, run.stderr
    assert document(run.stdout) == {"format": "briefing-review", "version": 1, "briefings": {}}
    assert not store_path(data_home).exists()


def test_the_markdown_digest_lists_flags_notes_and_gradings_safely(data_home):
    fill(data_home)
    run = briefing(data_home, "review", "export", "--format", "md")
    assert run.returncode == 0, run.stderr
    text = run.stdout.decode()
    assert text.startswith("# Review of 2 briefings\n")
    # The bundled briefing is in the user's library: named by its headline; a key the library lacks, by the key.
    assert "## Russian Soldiers SCHEME As They Get STRANDED In International Waters (`sparta`)" in text
    assert "## `2024/kyiv`" in text
    assert "- **Disputed**: quote `hur-says`" in text and "- **Important**: the briefing" in text
    assert "#### On section `body`, " in text and "Ask who else saw it.\n\nSecond paragraph" in text
    assert "- quote `hur-says`: **C3**" in text
    # What came from the store cannot drive the terminal of whoever reads the digest.
    assert "\x1b" not in text and "␛[31m" in text


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{not json", "not a review document: JSON is malformed"),
        (b'{"format": "other", "version": 1}', "not a review document (its format is 'other', not 'briefing-review')"),
        (
            b'{"format": "briefing-review", "version": 9}',
            "a review document of version 9; this briefing reads version 1",
        ),
        (
            b'{"format": "briefing-review", "version": 1, "exported": "2024-12-23T10:00:00Z",'
            b' "briefings": {"sparta": {"flags": [{"on": {"kind": "quote", "id": "q"}, "flags": ["urgent"]}]}}}',
            "Invalid enum value 'urgent' - at `$.briefings[...].flags[0].flags[0]`",
        ),
        (
            b'{"format": "briefing-review", "version": 1, "exported": "2024-12-23T10:00:00Z",'
            b' "briefings": {"sparta": {"gradings": [{"on": {"kind": "quote", "id": "q"}, "credibility": 9,'
            b' "updated": "2024-12-23T10:00:00Z"}]}}}',
            "Invalid enum value 9 - at `$.briefings[...].gradings[0].credibility`",
        ),
        (
            b'{"format": "briefing-review", "version": 1, "exported": "2024-12-23T10:00:00Z", "extra\\u001b": 1}',
            "Object contains unknown field `extra␛`",
        ),
    ],
    ids=["not-json", "other-format", "newer-version", "unknown-flag", "bad-credibility", "unknown-field"],
)
def test_a_file_that_is_not_a_review_export_is_refused_in_one_located_line(tmp_path, data_home, content, words):
    fill(data_home)
    before = store_path(data_home).read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    run = briefing(data_home, "review", "import", str(bad))
    assert run.returncode == 1
    line = one_error_line(run)
    assert line.startswith(f"briefing: error: {bad}: ") and words in line, line
    assert store_path(data_home).read_bytes() == before


def test_importing_what_is_not_there_or_not_a_file_is_refused(tmp_path, data_home):
    missing = briefing(data_home, "review", "import", str(tmp_path / "nothing.json"))
    assert missing.returncode == 2
    assert one_error_line(missing) == f"briefing: error: no such file: {tmp_path / 'nothing.json'}"
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    # Refused at once, never waited on.
    run = briefing(data_home, "review", "import", str(fifo))
    assert run.returncode == 1
    assert one_error_line(run) == f"briefing: error: {fifo} is a FIFO (named pipe), not a regular file"


def test_an_export_can_be_imported_from_standard_input(data_home, tmp_path):
    fill(data_home)
    exported = briefing(data_home, "review", "export").stdout
    run = briefing(tmp_path / "other", "review", "import", "-", stdin=exported)
    assert run.returncode == 0, run.stderr
    assert document(briefing(tmp_path / "other", "review", "export").stdout) == document(exported)


def test_nothing_is_imported_into_a_store_that_is_not_ours(tmp_path, data_home):
    fill(tmp_path / "mine")
    exported = tmp_path / "review.json"
    exported.write_bytes(briefing(tmp_path / "mine", "review", "export").stdout)
    store = store_path(data_home)
    store.parent.mkdir(parents=True, mode=0o700)
    foreign = sqlite3.connect(store)
    foreign.execute("CREATE TABLE other_program (x)")
    foreign.commit()
    foreign.close()
    before = store.read_bytes()
    run = briefing(data_home, "review", "import", str(exported))
    assert run.returncode == 1
    assert one_error_line(run) == (
        f"briefing: error: nothing imported: the review store is read-only: {store} is not a briefing review store"
        " (left as it is)"
    )
    export = briefing(data_home, "review", "export")
    assert export.returncode == 1 and "the review store cannot be read" in one_error_line(export)
    assert store.read_bytes() == before


def test_an_unknown_export_format_is_a_usage_error(data_home):
    run = briefing(data_home, "review", "export", "--format", "xml")
    assert run.returncode == 2 and "Traceback" not in run.stderr.decode()


# The store under real processes


WRITER = """
    import sys
    from briefing.storage.review import ReviewStore, Target
    name, count = sys.argv[1], int(sys.argv[2])
    store = ReviewStore.open()
    assert not store.read_only, store.problem
    print("ready", flush=True)
    sys.stdin.readline()
    for number in range(count):
        store.add_note(Target("sparta", "section", name), f"{name} {number}")
        store.toggle_flag(Target("sparta", "quote", f"{name}-{number % 7}"), "important")
        store.set_read("sparta", f"{name}-{number}")
    print("done", flush=True)
"""


def test_two_processes_saving_at_once_lose_nothing_and_never_report_a_lock(data_home):
    count = 150
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(WRITER), name, str(count)],
            env=environment(data_home),
            cwd=ROOT,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in ("left", "right")
    ]
    for writer in writers:
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
    # Both are open on the store; let them go together.
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    for writer in writers:
        out, err = writer.communicate(timeout=HANG)
        assert writer.returncode == 0, err
        assert out == "done\n" and err == ""
    with ReviewStore.open(store_path(data_home)) as store:
        bodies = {note.body for note in store.notes("sparta")}
        assert bodies == {f"{name} {number}" for name in ("left", "right") for number in range(count)}
        assert len(store.sections_read("sparta")) == 2 * count
        # A flag toggled an odd number of times is set: no toggle was lost or done twice.
        toggles = [sum(1 for number in range(count) if number % 7 == slot) for slot in range(7)]
        expected = {("quote", f"{name}-{slot}") for name in ("left", "right") for slot in range(7) if toggles[slot] % 2}
        assert set(store.flags("sparta")) == expected


def test_a_note_saved_just_before_the_process_is_killed_is_kept(data_home):
    child = python(
        data_home,
        """
        import time
        from briefing.storage.review import ReviewStore, Target
        store = ReviewStore.open()
        note = store.add_note(Target("sparta", "section", "body"), "written, then killed")
        print(note.id, flush=True)
        time.sleep(600)
        """,
    )
    assert child.stdout is not None
    note_id = child.stdout.readline().strip()
    # SIGKILL: no handler, no exit code of Python's runs; the store is left mid-session.
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=HANG)
    assert child.returncode == -signal.SIGKILL
    with ReviewStore.open(store_path(data_home)) as store:
        assert not store.read_only, store.problem
        assert [(note.id, note.body) for note in store.notes("sparta")] == [(note_id, "written, then killed")]


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="file size limits are a POSIX feature")
def test_a_full_disk_refuses_the_change_in_words_and_keeps_everything_saved(data_home):
    fill(data_home)
    # A file size limit stands in for a full disk: writes past it fail as they would with no space left.
    child = python(
        data_home,
        """
        import os, resource
        from briefing.storage.review import ReviewStore, StoreError, Target
        store = ReviewStore.open()
        path = store.path
        saved = 0
        limit = os.path.getsize(path) + os.path.getsize(f"{path}-wal") + 200_000
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        try:
            for number in range(10_000):
                store.add_note(Target("sparta", "section", "full"), f"{number} " + "x" * 20_000)
                saved += 1
        except StoreError as error:
            print("refused:", error, flush=True)
        print("saved:", saved, flush=True)
        print("still read:", len(store.notes("sparta")), "read-only:", store.read_only, flush=True)
        """,
    )
    out, err = child.communicate(timeout=HANG)
    assert child.returncode == 0, err
    refused, saved, still = out.splitlines()
    assert refused.startswith(f"refused: {store_path(data_home)}: not saved: the disk ")
    saved_count = int(saved.removeprefix("saved: "))
    assert saved_count > 0
    # Reading goes on, and the store is not given up for a disk that may have room again.
    assert still == f"still read: {saved_count + 1} read-only: False"
    with ReviewStore.open(store_path(data_home)) as store:
        notes = store.notes("sparta")
        assert len(notes) == saved_count + 1 and notes[0].body.startswith("Ask who else saw it.")
        assert store.flags("sparta") and store.gradings("sparta")
    check = sqlite3.connect(store_path(data_home))
    try:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        check.close()


OPENER = """
    from briefing.storage.review import ReviewStore
    store = ReviewStore.open()
    print("read-only" if store.read_only else "writable", store.problem or "")
"""


def test_readers_opening_a_new_store_at_once_all_get_it_writable(tmp_path):
    # The first open makes the schema: a reader looking at that moment must not take the
    # half-made file for another program's (it once did, one time in seven).
    for attempt in range(12):
        home = tmp_path / str(attempt)
        openers = [
            subprocess.Popen(
                [sys.executable, "-c", textwrap.dedent(OPENER)],
                env=environment(home),
                cwd=ROOT,
                text=True,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for _ in range(4)
        ]
        said = [opener.communicate(timeout=HANG) for opener in openers]
        assert [out for out, _ in said] == ["writable \n"] * 4, said
