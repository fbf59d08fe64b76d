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
    *lines, summary = run.stdout.splitlines()
    # Warnings, if any, leave it valid (whether it has none is test_fidelity's question).
    assert all(": warning: " in line for line in lines), lines
    assert summary.startswith("1 briefing checked: all valid")


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
    assert problem["severity"] == "error"
    assert isinstance(problem["line"], int) and isinstance(problem["column"], int)


def test_json_output_when_valid(write):
    report = json.loads(briefing("check", "--format", "json", str(write(MINIMAL))).stdout)
    assert report == {
        "checked": 1,
        "valid": 1,
        "invalid": 0,
        "unreadable_directories": 0,
        "problems": [],
        "usage_errors": [],
    }
    content = json.loads(briefing("check", "--format", "json", "content").stdout)
    assert (content["checked"], content["valid"], content["invalid"]) == (1, 1, 0)
    assert all(problem["severity"] == "warning" for problem in content["problems"])


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
    # Nor the SSH server's machinery (asyncio, asyncssh), nor the exports: the command line builds their
    # flags only for `serve` and `export`.
    code = (
        "import sys; from briefing.cli import main; main(['check', 'content']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'textual', 'asyncio', 'asyncssh') "
        "or m.startswith('briefing.export')))"
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


# -- warnings and --strict ------------------------------------------------------------------------

# MINIMAL with an asset whose status drops its evidence's hedge: one warning.
OVERSTATED = MINIMAL + (
    '\n[[assets]]\nid = "cargo"\nname = "Cargo"\nkind = "equipment"\n'
    'status = "aboard"\nevidence = ["The cargo is reportedly aboard"]\n'
)
OVERSTATED_AT = (OVERSTATED.splitlines().index('status = "aboard"') + 1, len("status = ") + 1)


def test_a_warning_is_one_compiler_style_line_and_leaves_the_file_valid(write):
    path = write(OVERSTATED)
    run = briefing("check", str(path))
    assert run.returncode == 0, run.stdout + run.stderr
    line, summary = run.stdout.splitlines()
    assert line == (
        f"{path}:{OVERSTATED_AT[0]}:{OVERSTATED_AT[1]}: warning: assets[1].status: "
        "`status` drops “reportedly” of its evidence; "
        "keep the article's hedge: what it says with a hedge, the briefing must not state as fact"
    )
    assert summary == "1 briefing checked: all valid, 1 warning"


def test_strict_makes_warnings_fail(write):
    path = write(OVERSTATED)
    run = briefing("check", "--strict", str(path))
    assert run.returncode == 1
    assert run.stdout.splitlines()[-1] == "1 briefing checked: all valid, 1 warning (failing with --strict)"
    clean = briefing("check", "--strict", str(write(MINIMAL, "clean.toml")))
    assert clean.returncode == 0, clean.stdout
    assert clean.stdout.strip() == "1 briefing checked: all valid"


def test_strict_in_json_and_warnings_carry_their_severity(write):
    path = write(OVERSTATED)
    for args, status in ((("check",), 0), (("check", "--strict"), 1)):
        run = briefing(*args, "--format", "json", str(path))
        assert run.returncode == status, args
        report = json.loads(run.stdout)
        assert (report["valid"], report["invalid"]) == (1, 0)
        (problem,) = report["problems"]
        assert problem["severity"] == "warning"
        assert problem["key"] == "assets[1].status"
        assert (problem["line"], problem["column"]) == OVERSTATED_AT


def test_errors_and_warnings_are_counted_apart(write):
    write(OVERSTATED, "d/a.toml")
    bad = write(MINIMAL.replace('kind = "military"', 'kind = "goverment"'), "d/b.toml")
    run = briefing("check", str(bad.parent))
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert [line.split(": ")[1] for line in lines[:-1]] == ["warning", "error"]
    assert lines[-1] == "2 briefings checked: 1 invalid, 1 problem, 1 warning"


def test_an_invalid_file_is_not_linted(write):
    # The status would be a warning; the unknown kind makes the file invalid, and only that is said.
    path = write(OVERSTATED.replace('kind = "military"', 'kind = "goverment"'))
    run = briefing("check", str(path))
    assert run.returncode == 1
    assert ": warning: " not in run.stdout
    assert run.stdout.splitlines()[-1] == "1 briefing checked: 1 invalid, 1 problem"


def test_help_describes_strict():
    run = briefing("check", "--help")
    assert run.returncode == 0
    assert "--strict" in run.stdout
    assert "treat warnings as errors" in run.stdout
