"""`briefing check`: compiler-style output and exit status, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import MINIMAL, ROOT


def briefing(*args: str, cwd=None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=60,
    )


def test_content_directory_is_valid():
    run = briefing("check", "content/")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip() == "1 briefing checked: all valid"


def test_each_problem_is_one_compiler_style_line(write):
    bad = write(MINIMAL.replace('kind = "military"', 'kind = "goverment"').replace('kind = "ship"', 'kind = "shp"'))
    run = briefing("check", str(bad))
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert lines[0].startswith(f"{bad}:") and ": error: assets[0].kind: " in lines[0]
    assert ": error: actors[0].kind: " in lines[1]
    assert lines[-1] == "1 briefing checked: 1 invalid, 2 problems"
    for line in lines[:-1]:
        _path, line_no, column, rest = line.split(":", 3)
        assert line_no.isdigit() and column.isdigit() and rest.startswith(" error: ")


def test_directories_are_searched_recursively(write):
    write(MINIMAL, "a/good.toml")
    bad = write("format = 1\n[meta\n", "a/b/bad.toml")
    write("not a briefing", "a/notes.txt")
    run = briefing("check", str(bad.parent.parent))
    assert run.returncode == 1
    assert run.stdout.splitlines()[0].startswith(f"{bad}:2:")
    assert "2 briefings checked: 1 invalid" in run.stdout


def test_json_output_for_tools(write):
    bad = write(MINIMAL.replace('kind = "military"', 'kind = "goverment"'))
    run = briefing("check", "--format", "json", str(bad))
    assert run.returncode == 1
    report = json.loads(run.stdout)
    assert report["checked"] == 1 and report["invalid"] == 1
    (problem,) = report["problems"]
    assert problem["file"] == str(bad)
    assert problem["key"] == "actors[0].kind"
    assert problem["hint"] == "did you mean `government`?"
    assert isinstance(problem["line"], int) and isinstance(problem["column"], int)


def test_json_output_when_valid():
    report = json.loads(briefing("check", "--format", "json", "content").stdout)
    assert report == {
        "checked": 1,
        "valid": 1,
        "invalid": 0,
        "unreadable_directories": 0,
        "problems": [],
        "usage_errors": [],
    }


@pytest.mark.parametrize(
    "args",
    [("check",), ("check", "--frobnicate", "content"), ("check", "--format", "xml", "content")],
)
def test_usage_errors_exit_2(args):
    run = briefing(*args)
    assert run.returncode == 2
    assert "usage:" in run.stderr


def test_nonexistent_path_is_a_usage_error(tmp_path):
    run = briefing("check", str(tmp_path / "missing.toml"))
    assert run.returncode == 2
    assert "no such file or directory" in run.stderr


def test_check_does_not_import_rich_or_textual():
    code = (
        "import sys; from briefing.cli import main; main(['check', 'content']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'textual')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_reader_on_a_broken_file_fails_before_drawing(write):
    bad = write("format = 1\n[meta\n")
    run = briefing(str(bad))
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr.startswith(f"{bad}:2:")
    assert "\x1b" not in run.stderr
