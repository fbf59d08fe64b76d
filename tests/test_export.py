"""`briefing export` as a user runs it, and what the Markdown and HTML say.

The Sparta exports are pinned by golden files (tests/golden/); after a change
meant to alter them, regenerate with ``BRIEFING_REGENERATE_GOLDEN=1 pytest
tests/test_export.py`` and read the diff before committing it.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT

from briefing.analysis.blocks import section_blocks
from briefing.analysis.claims import claims
from briefing.analysis.index import BriefingIndex
from briefing.export import FORMATS, ExportSubject, render
from briefing.export.document import Footnotes, Heading, Quotation, build_document
from briefing.storage.briefing_files import load_briefing
from briefing.storage.review import ReviewStore, Target
from briefing.storage.review_exchange import review_of

GOLDEN = ROOT / "tests" / "golden"
HANG = 120


def briefing(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        cwd=cwd,
        timeout=HANG,
    )


def sparta_subject(review=None) -> ExportSubject:
    result = load_briefing(ROOT / "content" / "sparta.toml")
    assert result.briefing is not None
    return ExportSubject(result.briefing, "sparta", review)


def unescaped(markdown: str) -> str:
    """The Markdown's text as a reader sees it: the backslash escapes gone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@pytest.mark.parametrize("name", ["md", "html", "json"])
def test_the_sparta_exports_are_pinned(name):
    export = next(f for f in FORMATS if f.name == name)
    data = render(sparta_subject(), name)
    golden = GOLDEN / f"sparta{export.suffix}"
    if os.environ.get("BRIEFING_REGENERATE_GOLDEN"):
        golden.write_bytes(data)
    assert data == golden.read_bytes(), f"{golden.name} differs: regenerate it if the change is meant"


def test_every_word_of_the_article_is_in_the_markdown_and_every_quote_is_set_apart():
    subject = sparta_subject()
    text = unescaped(render(subject, "md").decode())
    quoted = {line[2:] for line in text.splitlines() if line.startswith("> ")}
    for section in subject.briefing.sections:
        for block in section_blocks(section, subject.briefing.quotes):
            if block.kind == "quote":
                assert block.text in quoted, block.text
            else:
                assert block.text in text, block.text


def test_every_claim_has_a_footnote_that_says_where_it_comes_from():
    subject = sparta_subject()
    found = claims(BriefingIndex(subject.briefing))
    document = build_document(subject.briefing)
    footnotes = next(block for block in document.blocks if isinstance(block, Footnotes))
    assert [number for number, _ in footnotes.items] == list(range(1, len(found) + 1))
    markdown = render(subject, "md").decode()
    for number in range(1, len(found) + 1):
        assert f"[^{number}]: " in markdown
        assert markdown.count(f"[^{number}]") >= 2  # referred to and defined
    # The Sparta's breakdown rests on HUR alone, and says so.
    assert "Rests on: *Main Intelligence Directorate alone*" in markdown


def test_what_is_not_the_article_s_is_marked_as_in_the_reader():
    markdown = render(sparta_subject(), "md").decode()
    # An inferred owner, an outside date, the editor's placement: each with its mark and the legend.
    assert "Russia *‡ (inferred by the editor)*" in markdown
    assert "2024-12-23 (inferred) *†*" in markdown
    assert "‡ the editor’s inference or placement, not the article’s" in markdown
    outside = "*\\[outside reporting: Kyiv Independent, 2024-12-23\\] The Kyiv Independent could not verify HUR’s claim"
    assert outside in markdown
    # The editor's role of an actor is in the editor's italics, never plain like the article's words.
    assert "| Maxar | company | *Source of the satellite images of Hmeimim air base.* |" in markdown


def test_the_markdown_and_the_html_have_the_same_headings():
    subject = sparta_subject()
    headings = [block.text for block in build_document(subject.briefing).blocks if isinstance(block, Heading)]
    markdown = render(subject, "md").decode()
    html = render(subject, "html").decode()
    assert [line.split(" ", 1)[1] for line in markdown.splitlines() if re.match(r"#{1,6} ", line)] == headings
    from html import unescape

    assert [unescape(text) for text in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html)] == headings


@pytest.mark.parametrize("export", FORMATS, ids=lambda export: export.name)
def test_each_format_goes_to_standard_output_or_to_a_private_file(tmp_path, export):
    printed = briefing("export", "--to", export.name)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout and not printed.stderr
    target = tmp_path / f"out{export.suffix}"
    written = briefing("export", "content/sparta.toml", "--to", export.name, "-o", str(target))
    assert written.returncode == 0, written.stderr
    assert written.stdout.decode().startswith("Exported “Russian Soldiers SCHEME")
    assert target.read_bytes() == printed.stdout
    # The analyst's review may be in it: for the user alone.
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_re_export_is_byte_for_byte_the_same():
    first = briefing("export", "--to", "html").stdout
    assert first == briefing("export", "--to", "html").stdout


def test_an_invalid_briefing_is_reported_like_check_and_nothing_is_written(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(MINIMAL.replace('kind = "ship"', 'kind = "boat"'))
    target = tmp_path / "out.md"
    run = briefing("export", str(broken), "--to", "md", "-o", str(target))
    assert run.returncode == 1
    lines = run.stderr.decode().splitlines()
    assert len(lines) == 1 and re.match(rf"{re.escape(str(broken))}:\d+:\d+: error: ", lines[0]), lines
    assert not target.exists()


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (["--to", "pdf"], 2, "invalid choice: 'pdf'"),
        (["--to", "md", "-o", "/nonexistent-dir/x.md"], 1, "briefing: error: cannot write /nonexistent-dir/x.md"),
        (["/nonexistent.toml", "--to", "md"], 1, "/nonexistent.toml"),
    ],
)
def test_usage_and_write_errors_are_one_line_and_no_traceback(args, status, words):
    run = briefing("export", *args)
    assert run.returncode == status
    error = run.stderr.decode()
    assert words in error
    assert "Traceback" not in error


def test_a_file_already_there_is_replaced_whole_and_a_link_there_is_not_written_through(tmp_path):
    kept = tmp_path / "kept.txt"
    kept.write_text("not to be touched")
    target = tmp_path / "out.md"
    target.symlink_to(kept)
    run = briefing("export", "--to", "md", "-o", str(target))
    assert run.returncode == 0, run.stderr
    assert kept.read_text() == "not to be touched"
    assert not target.is_symlink()
    assert target.read_text().startswith("# Russian Soldiers")


def test_with_review_the_analyst_s_marks_come_from_their_store_marked_as_theirs(tmp_path):
    data_home = tmp_path / "data"
    store_file = data_home / "briefing" / "review.sqlite3"
    with ReviewStore.open(store_file) as store:
        store.toggle_flag(Target("sparta", "asset", "sparta"), "disputed")
        store.set_grading(Target("sparta", "quote", "hur-sparta-breakdown"), "C", 3)
        store.add_note(Target("sparta", "actor", "hur"), "Check HUR's record <b>first</b>\n# not a heading")
    env = {"XDG_DATA_HOME": str(data_home)}
    without = briefing("export", "--to", "md", env=env).stdout.decode()
    assert "Your review" not in without
    markdown = briefing("export", "--to", "md", "--review", env=env).stdout.decode()
    mine = markdown[markdown.index("## Your review") :]
    assert "*Disputed*: asset “Sparta”" in mine
    assert "*C3* on quote “Main Intelligence Directorate: “The cargo ship Sparta" in mine
    # The note is the analyst's text, shown as text: no HTML, no heading of its own.
    assert "*Check HUR's record \\<b\\>first\\</b\\> \\# not a heading*" in mine
    html = briefing("export", "--to", "html", "--review", env=env).stdout.decode()
    assert '<section class="review">' in html
    assert "Check HUR&#x27;s record &lt;b&gt;first&lt;/b&gt;" in html
    # Nothing of the review in the store was changed by exporting it.
    with ReviewStore.open(store_file) as store:
        assert len(review_of(store, "sparta").notes) == 1


def test_with_review_and_no_store_nothing_is_made(tmp_path):
    data_home = tmp_path / "data"
    run = briefing("export", "--to", "md", "--review", env={"XDG_DATA_HOME": str(data_home)})
    assert run.returncode == 0, run.stderr
    assert "Nothing read, flagged, graded or noted yet." in run.stdout.decode()
    assert not (data_home / "briefing" / "review.sqlite3").exists()


def test_a_store_that_cannot_be_read_is_one_line(tmp_path):
    data_home = tmp_path / "data"
    store_file = data_home / "briefing" / "review.sqlite3"
    store_file.parent.mkdir(parents=True)
    store_file.write_bytes(b"not a database at all" * 100)
    run = briefing("export", "--to", "md", "--review", env={"XDG_DATA_HOME": str(data_home)})
    assert run.returncode == 1
    assert run.stderr.decode().startswith("briefing: error: the review store cannot be read")
    assert run.stderr.decode().count("\n") == 1


def test_a_quote_in_the_text_refers_to_its_claim_s_footnote():
    document = build_document(sparta_subject().briefing)
    quotations = [block for block in document.blocks if isinstance(block, Quotation)]
    assert quotations and all(block.footnote for block in quotations)


def test_the_store_sqlite_file_is_a_real_one(tmp_path):
    """The review test above used a real SQLite file: the store writes one, not an in-memory stand-in."""
    store_file = tmp_path / "review.sqlite3"
    with ReviewStore.open(store_file) as store:
        store.add_note(Target("sparta", "briefing", ""), "hello")
    with sqlite3.connect(store_file) as connection:
        assert connection.execute("SELECT body FROM notes").fetchall() == [("hello",)]
