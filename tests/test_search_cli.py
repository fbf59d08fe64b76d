"""`briefing search` and `briefing index rebuild`: grep-style output and exit status, as scripts use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT

from briefing.cli.search import run_index_rebuild, run_search


def briefing(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=120,
    )


def body(*paragraphs: str) -> str:
    listed = ", ".join(json.dumps(paragraph, ensure_ascii=False) for paragraph in paragraphs)
    return MINIMAL.replace('paragraphs = ["The ship drifted.", "Its crew said so."]', f"paragraphs = [{listed}]")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    (root / "2024").mkdir(parents=True)
    (root / "ship.toml").write_text(body("The ship drifted toward Lisbon.", "Lisbon waited."), encoding="utf-8")
    (root / "2024" / "kyiv.toml").write_text(body("Kyiv, not Lisbon."), encoding="utf-8")
    (root / "broken.toml").write_text("format = 1\n[meta\n", encoding="utf-8")
    return root


def test_each_hit_is_a_line_an_editor_can_jump_to(library, capsys):
    assert run_search("lisbon", str(library), "text") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    for line in lines:
        file, line_number, column, rest = line.split(":", 3)
        assert rest.startswith(" What happened · ")
        text = Path(file).read_text(encoding="utf-8").split("\n")[int(line_number) - 1]
        assert text[int(column) - 1 :].startswith("Lisbon")
    assert {line.split(":")[0] for line in lines} == {str(library / "ship.toml"), str(library / "2024" / "kyiv.toml")}


def test_the_file_is_named_as_the_library_was_given(library, capsys, monkeypatch):
    monkeypatch.chdir(library.parent)
    assert run_search("kyiv", "library", "text") == 0
    out = capsys.readouterr().out
    assert out.startswith(os.path.join("library", "2024", "kyiv.toml") + ":")


def test_no_hits_is_status_one_with_nothing_printed(library, capsys):
    assert run_search("zanzibar", str(library), "text") == 1
    assert capsys.readouterr().out == ""


def test_a_bad_query_is_a_usage_error_at_its_column(library, capsys):
    assert run_search('lisbon "unclosed', str(library), "text") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == 'briefing: error: query:8: unterminated quote: close it with another "\n'


def test_no_such_library_is_a_usage_error(tmp_path, capsys):
    assert run_search("lisbon", str(tmp_path / "nowhere"), "text") == 2
    assert "no such directory" in capsys.readouterr().err


def test_json_output_for_tools(library, capsys):
    assert run_search('"toward lisbon"', str(library), "json") == 0
    (hit,) = json.loads(capsys.readouterr().out)
    assert hit["file"] == str(library / "ship.toml")
    assert hit["key"] == "ship" and hit["headline"] == "Ship breaks down"
    assert hit["kind"] == "text" and hit["section"] == "What happened" and hit["section_id"] == "body"
    assert hit["matched"] == "toward Lisbon" and hit["block"] == 0 and (hit["start"], hit["end"]) == (17, 30)
    assert [hit["snippet"][start:end] for start, end in hit["spans"]] == ["toward Lisbon"]
    assert isinstance(hit["line"], int) and isinstance(hit["column"], int) and hit["entity"] is None


def test_filters_alone_list_the_briefings(library, capsys):
    assert run_search("kind:ship", str(library), "json") == 0
    hits = json.loads(capsys.readouterr().out)
    assert sorted(hit["key"] for hit in hits) == ["2024/kyiv", "ship"]
    assert {hit["entity"]["id"] for hit in hits} == {"ship"}


def test_text_that_would_drive_a_terminal_is_made_visible(tmp_path, capsys):
    root = tmp_path / "lib"
    root.mkdir()
    # A TOML escape: the file holds ESC once parsed.
    text = MINIMAL.replace("The ship drifted.", "Red \\u001b[31m alert \\u001b[0m here.")
    (root / "evil\x1b[2J.toml").write_text(text, encoding="utf-8")
    assert run_search("alert", str(root), "text") == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "evil␛[2J.toml" in out and "␛[31m alert" in out


def test_the_rebuild_reports_what_it_indexed(library, capsys):
    assert run_index_rebuild(str(library)) == 0
    assert (
        capsys.readouterr().out
        == "3 briefings indexed; 1 cannot be read (listed in the library with their first problem)\n"
    )


# As a process, through the command line (briefing/cli/__init__.py)


def test_search_as_a_command(library):
    run = briefing("search", "lisbon", "--library", str(library))
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.splitlines()) == 3
    # Not a terminal: no progress on standard error.
    assert run.stderr == ""


def test_search_as_a_command_exit_statuses(library):
    assert briefing("search", "zanzibar", "--library", str(library)).returncode == 1
    bad = briefing("search", "kind:shp", "--library", str(library))
    assert bad.returncode == 2
    assert bad.stderr.startswith("briefing: error: query:6: unknown kind `shp`")


def test_search_as_a_command_in_json(library):
    run = briefing("search", "kyiv", "--library", str(library), "--format", "json")
    assert run.returncode == 0
    assert [hit["key"] for hit in json.loads(run.stdout)] == ["2024/kyiv"]


def test_search_without_a_library_searches_the_bundled_briefings():
    # The tests' own XDG_DATA_HOME (conftest): the user's library does not exist yet.
    run = briefing("search", '"cargo ship"')
    assert run.returncode == 0, run.stderr
    assert all(line.split(":")[0].endswith(os.path.join("content", "sparta.toml")) for line in run.stdout.splitlines())


def test_index_rebuild_as_a_command(library):
    run = briefing("index", "rebuild", "--library", str(library))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("3 briefings indexed")
    assert briefing("search", "lisbon", "--library", str(library)).returncode == 0
