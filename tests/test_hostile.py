"""Hostile input and hostile state: each case gets one clear located message, in bounded time and memory.

Every defect found when the project was tried on a fresh machine has a test
here: files shaped to cost minutes or gigabytes, to crash or to hang the
tools, names that forge diagnostics, directories that cannot be read, and
output that cannot be written.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys

import pytest
from conftest import MINIMAL, ROOT

from briefing.cli import check
from briefing.format import limits as tomlsafe
from briefing.format.problems import SUGGESTION_BUDGET
from briefing.format.reading import parse_briefing
from briefing.format.safetext import defuse_tree
from briefing.storage.briefing_files import load_briefing

HEAD = MINIMAL


def briefing(*args: str, memory_mib: int | None = None, **kwargs) -> subprocess.CompletedProcess[str]:
    """``python -m briefing ARGS`` as a user runs it; with ``memory_mib``, under that address-space limit."""

    def limit() -> None:
        if memory_mib is not None:
            size = memory_mib * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        preexec_fn=limit,
        **kwargs,
    )


def no_traceback(run: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in run.stderr + run.stdout, run.stderr[-2000:]


# -- shapes that cost minutes or gigabytes -------------------------------------------------------


def chain(places: int, *, loop: bool = False) -> str:
    """``places`` locations, each within the next (the last within the first with ``loop``)."""
    rows = []
    for n in range(places):
        after = (n + 1) % places if loop else n + 1
        within = f'within = "place-{after}"\n' if after < places and (loop or n + 1 < places) else ""
        rows.append(f'\n[[locations]]\nid = "place-{n}"\nname = "Place {n}"\nkind = "region"\n{within}')
    return HEAD + "".join(rows)


def test_a_chain_of_thirty_thousand_places_is_valid_and_checked_once_each():
    result = parse_briefing(chain(30_000), "chain.toml")
    assert result.ok, result.problems[:3]
    assert len(result.briefing.locations) == 30_001


def test_a_loop_of_thirty_thousand_places_is_one_problem_at_its_first_member():
    text = chain(30_000, loop=True)
    result = parse_briefing(text, "loop.toml")
    (problem,) = result.problems
    assert problem.key == "locations[1].within"
    assert "`within` makes a loop: location `place-0` ends up inside itself" in problem.message
    assert (
        "`place-0` → `place-1` → `place-2` → … 29995 more … → `place-29998` → `place-29999` → `place-0`" in problem.hint
    )
    assert problem.line == text.splitlines().index('within = "place-1"') + 1


def test_only_members_of_a_loop_are_reported_not_what_leads_into_it():
    text = MINIMAL.replace('kind = "sea_area"', 'kind = "sea_area"\nwithin = "bay"')
    text += '\n[[locations]]\nid = "bay"\nname = "Bay"\nkind = "sea_area"\nwithin = "cove"\n'
    text += '\n[[locations]]\nid = "cove"\nname = "Cove"\nkind = "sea_area"\nwithin = "bay"\n'
    (problem,) = parse_briefing(text, "f.toml").problems
    assert problem.key == "locations[1].within"
    assert "`bay` → `cove` → `bay`" in problem.hint


def dangling(count: int) -> str:
    rows = "".join(
        f'\n[[assets]]\nid = "asset-{n}"\nname = "Asset {n}"\nkind = "ship"\nowner = "actor-{n}x"\n'
        f'\n[[actors]]\nid = "actor-{n}"\nname = "Actor {n}"\nkind = "state"\n'
        for n in range(count)
    )
    return HEAD + rows


def test_thousands_of_dangling_references_are_all_reported_hints_while_the_budget_lasts():
    count = 5_000
    result = parse_briefing(dangling(count), "dangling.toml")
    problems = [p for p in result.problems if "refers to unknown actor" in p.message]
    assert len(problems) == count
    hinted = [p for p in problems if p.hint]
    # Each hint compares with every actor id: the budget allows this many, in file order.
    assert len(hinted) == SUGGESTION_BUDGET // (count + 1)
    assert hinted[0].hint == "did you mean `actor-0`?"
    assert problems[: len(hinted)] == hinted


def test_a_key_of_a_hundred_thousand_parts_is_refused_before_parsing_in_little_memory(write):
    path = write(HEAD + "a" + ".a" * 100_000 + " = 1\n")
    run = briefing("check", str(path), memory_mib=1024)
    no_traceback(run)
    assert run.returncode == 1
    line = HEAD.count("\n") + 1
    assert run.stdout.splitlines()[0] == (
        f"{path}:{line}:1: error: a key or table name of more than 32 dotted parts (the limit)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" + ".".join(["a"] * 500) + "]\n", "a key or table name of more than 32 dotted parts"),
        ('x = "' + "a." * 1000 + '"\n', None),  # dots in a string are not parts
        ("x = " + "[" * 40 + "]" * 40 + "\n", "arrays or inline tables nested more than 32 deep"),
        ("x = " + "{a = " * 40 + "1" + "}" * 40 + "\n", "arrays or inline tables nested more than 32 deep"),
        # Deep, but within the limit: parsed, and only the unknown key is a problem.
        ("x = " + "[" * 32 + "]" * 32 + "\n", "unknown key `x`"),
        ("x = [" + "1," * (tomlsafe.MAX_VALUES + 1) + "]\n", "more than 500,000 keys and values"),
    ],
    ids=["header-500-parts", "dots-in-string", "deep-arrays", "deep-inline-tables", "deep-within-limit", "values"],
)
def test_limits_are_checked_before_parsing_and_located(text, message):
    result = parse_briefing(HEAD.replace("[meta]", text + "[meta]", 1), "f.toml")
    if message is None:
        assert all("limit" not in p.message for p in result.problems)
        return
    problem = result.problems[0]
    assert message in problem.message
    assert problem.line == HEAD.count("\n", 0, HEAD.index("[meta]")) + 1


def test_the_limits_are_the_format_s_needs_many_times_over(sparta_path):
    """The bundled briefing nests four levels and uses short keys: far inside every limit."""
    tomlsafe.check_limits(sparta_path.read_text(encoding="utf-8"))
    assert tomlsafe.MAX_NESTING >= 8 and tomlsafe.MAX_KEY_PARTS >= 8


def test_defusing_a_deep_document_needs_no_recursion():
    deep: list = []
    inner = deep
    for _ in range(100_000):
        inner.append([])
        inner = inner[0]
    inner.append("\x1b]52;c;ZXZpbA==\x07")
    value = defuse_tree({"deep": deep})["deep"]
    for _ in range(100_000):
        value = value[0]
    assert value == ["␛]52;c;ZXZpbA==␇"]


@pytest.mark.parametrize("command", [["check"], ["show"], []], ids=["check", "show", "reader"])
def test_a_deep_header_gives_its_problem_in_every_command(write, command):
    path = write(HEAD + "[" + ".".join(["a"] * 500) + "]\n")
    run = briefing(*command, str(path))
    no_traceback(run)
    assert run.returncode == 1
    assert f"{path}:{HEAD.count(chr(10)) + 1}:2: error: a key or table name of more than 32 dotted parts" in (
        run.stdout + run.stderr
    )


# -- what is not a regular file ------------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("command", [["check"], ["show"], []], ids=["check", "show", "reader"])
def test_a_fifo_is_refused_at_once(fifo, command):
    run = briefing(*command, str(fifo))
    assert run.returncode == 1
    assert f"{fifo}:1:1: error: is a FIFO (named pipe), not a regular file" in run.stdout + run.stderr


def test_a_device_is_refused_without_being_read():
    problem = load_briefing("/dev/zero").problems[0]
    assert problem.message == "is a character device, not a regular file"


def test_check_dir_reports_a_fifo_among_its_files(tmp_path, fifo):
    (tmp_path / "good.toml").write_text(MINIMAL, encoding="utf-8")
    run = briefing("check", str(tmp_path))
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        f"{fifo}:1:1: error: is a FIFO (named pipe), not a regular file",
        "2 briefings checked: 1 invalid, 1 problem",
    ]


# -- diagnostics that cannot be forged ------------------------------------------------------------


def test_a_key_with_a_newline_stays_on_its_own_line(write):
    forged = "x\\nother.toml:1:1: error: forged"
    path = write(MINIMAL.replace("[meta]\n", f'[meta]\n"{forged}" = 1\n', 1))
    run = briefing("check", str(path))
    lines = run.stdout.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"{path}:4:1: error: meta.x\\nother.toml:1:1: error: forged: unknown key `x\\nother")
    assert not any(line.startswith("other.toml") for line in lines)


def test_control_characters_in_a_file_name_are_shown_escaped(tmp_path):
    path = tmp_path / "evil\x1b]0;pwned\x07\nname.toml"
    path.write_text("format = 1\n[meta\n", encoding="utf-8")
    run = briefing("check", str(tmp_path))
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    (line, summary) = run.stdout.splitlines()
    assert line.startswith(f"{tmp_path}/evil␛]0;pwned␇\\nname.toml:2:")
    assert summary == "1 briefing checked: 1 invalid, 1 problem"


def test_a_file_name_that_is_not_utf8_gives_valid_json_and_text(tmp_path):
    directory = os.fsencode(tmp_path)
    name = directory + b"/caf\xe9.toml"
    with open(name, "wb") as stream:
        stream.write(b"format = 1\n[meta\n")
    run = subprocess.run(
        [sys.executable, "-m", "briefing", "check", "--format", "json", os.fsdecode(name)],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert report["problems"][0]["file"] == f"{tmp_path}/caf\ufffd.toml"
    # Nothing but ASCII on the terminal: every other character is escaped.
    assert run.stdout.isascii()
    text = subprocess.run(
        [sys.executable, "-m", "briefing", "check", os.fsdecode(name)], capture_output=True, cwd=ROOT, timeout=60
    )
    assert text.stdout.decode("utf-8").startswith(f"{tmp_path}/caf\ufffd.toml:2:")


# -- directories that cannot be read ------------------------------------------------------------


def test_check_reports_a_directory_it_cannot_list(tmp_path, monkeypatch, capsys):
    (tmp_path / "good.toml").write_text(MINIMAL, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(check.os, "scandir", scandir)
    assert check.run_check([str(tmp_path)]) == check.EXIT_INVALID
    assert capsys.readouterr().out.splitlines() == [
        f"{locked}: error: cannot read this directory: permission denied",
        "1 briefing checked: all valid; 1 directory could not be read",
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="permissions do not stop root")
def test_check_reports_a_directory_without_read_permission(tmp_path):
    (tmp_path / "good.toml").write_text(MINIMAL, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        run = briefing("check", str(tmp_path))
    finally:
        locked.chmod(0o700)
    assert run.returncode == 1
    assert f"{locked}: error: cannot read this directory: permission denied" in run.stdout


def test_check_follows_a_link_to_a_directory_once(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "good.toml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "a" / "up").symlink_to(tmp_path)
    (tmp_path / "b").symlink_to(tmp_path / "a")
    run = briefing("check", str(tmp_path))
    assert run.returncode == 0
    assert run.stdout.strip() == "1 briefing checked: all valid"


# -- output that cannot be written ---------------------------------------------------------------


def many_problems(write, count: int = 3000):
    return write(dangling(count))


def test_a_closed_pipe_ends_check_quietly(write):
    path = many_problems(write)
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "check", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # what `| head -1` does
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 141
    assert first.startswith(str(path).encode())
    assert stderr == b""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("command", ["show", "check"])
def test_a_full_disk_ends_with_one_line_and_status_1(command, sparta_path):
    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [sys.executable, "-m", "briefing", command, str(sparta_path)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
    assert run.returncode == 1
    assert run.stderr == "briefing: error: cannot write the output: No space left on device\n"


def test_ctrl_c_during_a_long_check_ends_quietly_with_130(write):
    path = write(chain(30_000, loop=True))
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "check", *[str(path)] * 100],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        # As from an interactive shell: a test run started in the background
        # inherits SIGINT ignored, and Python then never raises KeyboardInterrupt.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert process.stdout is not None
    # Problems are printed file by file: the first line means the check is under way.
    assert process.stdout.readline().startswith(str(path).encode())
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err == b""
    assert b"briefings checked" not in out
