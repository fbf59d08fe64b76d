"""`briefing show`: the whole briefing on standard output, safe for any terminal."""

from __future__ import annotations

import io
import re
import subprocess
import sys

from conftest import MINIMAL, ROOT

from briefing.analysis.blocks import section_blocks
from briefing.cli.show import run_show
from briefing.format.reading import parse_briefing
from briefing.storage.briefing_files import load_briefing

HOSTILE_STRINGS = [
    "[bold red]not bold[/bold red]",
    "[link=https://evil.example]click[/link]",
    ":warning: literal",
    "esc \x1b[2J clear",
    "osc \x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "osc52 \x1b]52;c;ZXZpbA==\x07",
    "c1 \x9b31m csi",
    "bell \x07 and backspace \x08 and cr \r",
    "bidi \u202ereversed\u202c text",
]


def toml_string(text: str) -> str:
    """A TOML basic string that carries control characters as escapes."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F or char in "\u202e\u202c":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def hostile_briefing() -> str:
    text = MINIMAL
    text = text.replace('headline = "Ship breaks down"', f"headline = {toml_string(HOSTILE_STRINGS[0])}")
    paragraphs = ", ".join(toml_string(s) for s in HOSTILE_STRINGS)
    text = text.replace('paragraphs = ["The ship drifted.", "Its crew said so."]', f"paragraphs = [{paragraphs}]")
    text = text.replace('name = "The navy"', f"name = {toml_string(HOSTILE_STRINGS[1])}")
    text = text.replace('text = "We are drifting."', f"text = {toml_string(HOSTILE_STRINGS[4])}")
    return text


def show(path, width=100, env=None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", "show", "--width", str(width), str(path)],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        env=env,
    )


def test_show_prints_the_whole_sparta_briefing(sparta_path):
    run = show(sparta_path)
    assert run.returncode == 0
    out = run.stdout.decode()
    briefing = load_briefing(sparta_path).briefing
    flat = " ".join(out.split())
    assert briefing.meta.headline in flat
    for caveat in briefing.meta.caveats:
        assert " ".join(caveat.text.split()) in flat
    # Every word of every section, the quotes set apart from the prose around them.
    for section in briefing.sections:
        for block in section_blocks(section, briefing.quotes):
            assert " ".join(block.text.split()) in flat, block.text[:60]
    for heading in ("Assets", "Actors", "Quotes", "Locations", "Timeline"):
        assert heading in out
    assert "not stated in the article" in out


def test_show_is_plain_text_when_piped(sparta_path):
    run = show(sparta_path)
    assert b"\x1b" not in run.stdout


def test_show_respects_width(sparta_path):
    for width in (60, 140):
        lines = show(sparta_path, width=width).stdout.decode().splitlines()
        assert max(len(line) for line in lines) <= width
        assert max(len(line) for line in lines) > width - 10


def test_show_is_styled_on_a_terminal(sparta_path):
    out = io.StringIO()
    from rich.console import Console

    from briefing.cli.show import render_briefing

    console = Console(file=out, force_terminal=True, color_system="standard", width=100)
    console.print(render_briefing(load_briefing(sparta_path).briefing))
    assert "\x1b[1m" in out.getvalue()


def test_hostile_content_is_shown_literally(write):
    path = write(hostile_briefing())
    run = show(path)
    assert run.returncode == 0, run.stderr
    out = run.stdout.decode()
    # Markup and emoji codes print as written.
    assert "[bold red]not bold[/bold red]" in out
    assert "[link=https://evil.example]click[/link]" in out
    assert ":warning: literal" in out
    # No control character reaches the terminal: only newlines.
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out)
    # ...and what they were is still visible.
    assert "␛[2J" in out and "<U+009B>" in out and "<U+202E>" in out


def test_hostile_content_on_a_terminal_emits_no_foreign_sequences(write):
    path = write(hostile_briefing())
    out = io.StringIO()
    from rich.console import Console

    from briefing.cli.show import render_briefing

    console = Console(file=out, force_terminal=True, color_system="truecolor", width=100)
    console.print(render_briefing(load_briefing(path).briefing))
    text = out.getvalue()
    # Only SGR colour sequences of our own: no OSC (hyperlinks, clipboard), no clear screen.
    assert "\x1b]" not in text
    assert "\x1b[2J" not in text
    assert set(re.findall(r"\x1b\[[0-9;]*([A-Za-z])", text)) <= {"m"}


def test_model_text_has_no_control_characters(write):
    briefing = parse_briefing(hostile_briefing(), "f.toml").briefing
    assert briefing is not None

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from strings(item)
        elif hasattr(value, "__struct_fields__"):
            for name in value.__struct_fields__:
                yield from strings(getattr(value, name))

    found = list(strings(briefing))
    assert any("␛" in s for s in found)
    for text in found:
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]", text), text


def test_show_on_a_broken_file_reports_like_check(write):
    path = write("format = 1\n[meta]\nheadline = 3\n")
    out = io.StringIO()
    assert run_show(str(path), file=out) == 1
    run = show(path)
    assert run.returncode == 1
    assert run.stderr.decode().startswith(f"{path}:")


def test_show_does_not_import_textual(sparta_path):
    code = (
        "import sys, io; from briefing.cli.show import run_show; run_show(None, file=io.StringIO()); "
        "print([m for m in sys.modules if m.startswith('textual')])"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.stdout.strip() == "[]"
