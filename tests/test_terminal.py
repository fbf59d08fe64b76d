"""The installed ``briefing`` command in a real pseudo-terminal: drawn, used, quit, and the terminal given back.

Each test starts the console script as a user would, reads every byte it
writes, and checks what a terminal would be left with.
"""

from __future__ import annotations

import os
import signal

import pytest
from pty_helpers import (
    BRIEFING,
    Terminal,
    chromatic_colours,
    clipboard_copies,
    modes_changed_at_end,
    modes_set,
    rows_drawn,
    screen_text,
)

from briefing.analysis.describe import citation
from briefing.analysis.index import BriefingIndex
from briefing.storage.briefing_files import load_briefing
from briefing.storage.paths import default_briefing_path

pytestmark = pytest.mark.skipif(not BRIEFING.exists(), reason="the console script is not installed beside python")

HEADLINE = "Russian Soldiers SCHEME As They Get STRANDED"
# The terminals the README names.
TERMS = ["xterm-256color", "screen-256color", "xterm", "linux"]
ALTERNATE_SCREEN = 1049
MOUSE = {1000, 1003, 1006}


@pytest.fixture
def user_env(tmp_path):
    """A user's environment: a home of their own, nothing inherited from the test run."""

    def make(term: str = "xterm-256color", **extra: str) -> dict[str, str]:
        home = tmp_path / "home"
        home.mkdir(exist_ok=True)
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "TERM": term, **extra}

    return make


def start(args, env, **kwargs) -> Terminal:
    terminal = Terminal(args, env, **kwargs)
    return terminal


@pytest.mark.parametrize("term", TERMS)
def test_started_drawn_and_quit_with_the_terminal_restored(user_env, term):
    terminal = start([], user_env(term))
    try:
        assert terminal.wait_for(HEADLINE), screen_text(terminal.output)[-2000:]
        assert terminal.wait_for("Sections")
        terminal.send("q")
        status = terminal.finish()
    finally:
        terminal.kill()
    assert status == 0
    # It did take over the screen and the mouse...
    assert {ALTERNATE_SCREEN, *MOUSE} <= modes_set(terminal.output)
    # ...and gave both back.
    assert modes_changed_at_end(terminal.output) == set()


@pytest.mark.parametrize(("no_color", "term"), [(True, "xterm-256color"), (True, "linux"), (False, "linux")])
def test_no_color_means_greys_only(user_env, no_color, term):
    env = user_env(term, **({"NO_COLOR": "1"} if no_color else {}))
    terminal = start([], env)
    try:
        assert terminal.wait_for(HEADLINE)
        assert terminal.wait_for("Sections")
        terminal.send("q")
        assert terminal.finish() == 0
    finally:
        terminal.kill()
    colours = chromatic_colours(terminal.output)
    if no_color:
        assert colours == []
    else:
        assert colours, "without NO_COLOR the reader is in colour (so the check above can fail)"


def test_copy_sends_the_quote_with_its_attribution_as_osc_52(user_env):
    briefing = load_briefing(default_briefing_path()).briefing
    assert briefing is not None
    index = BriefingIndex.build(briefing)
    terminal = start([], user_env())
    try:
        assert terminal.wait_for(HEADLINE)
        assert terminal.wait_for("Sections")
        mark = terminal.send("5")
        assert terminal.wait_for("Quotes", after=mark)
        mark = terminal.send("y")
        assert terminal.wait_for(b"\x1b]52;", after=mark)
        terminal.send("q")
        assert terminal.finish() == 0
    finally:
        terminal.kill()
    (copied,) = clipboard_copies(terminal.output)
    assert copied == citation(briefing.quotes[0], index)
    assert copied.startswith("“The cargo ship Sparta")
    assert "— Main Intelligence Directorate (HUR)" in copied


@pytest.mark.parametrize(
    ("signal_number", "status"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)]
)
def test_a_signal_closes_the_reader_and_restores_the_terminal(user_env, signal_number, status):
    terminal = start([], user_env())
    try:
        assert terminal.wait_for(HEADLINE)
        assert terminal.wait_for("Sections")
        terminal.process.send_signal(signal_number)
        assert terminal.finish() == status
    finally:
        terminal.kill()
    assert ALTERNATE_SCREEN in modes_set(terminal.output)
    assert modes_changed_at_end(terminal.output) == set()
    assert "Traceback" not in screen_text(terminal.output)


def test_a_resized_terminal_is_redrawn_at_the_new_size(user_env):
    terminal = start([], user_env(), size=(120, 40))
    try:
        assert terminal.wait_for(HEADLINE)
        assert terminal.wait_for("Sections")
        terminal.settle()
        mark = len(terminal.output)
        assert max(rows_drawn(terminal.output)) == 40
        terminal.resize(70, 22)
        assert terminal.wait_for("Sections", after=mark)
        terminal.settle()
        terminal.send("q")
        assert terminal.finish() == 0
    finally:
        terminal.kill()
    # Redrawn on the 22 rows there are now, and only there.
    assert max(rows_drawn(terminal.output[mark:])) == 22
    assert modes_changed_at_end(terminal.output) == set()


def test_a_fifo_is_refused_before_any_screen(user_env, tmp_path):
    fifo = tmp_path / "briefing.toml"
    os.mkfifo(fifo)
    terminal = start([str(fifo)], user_env())
    try:
        status = terminal.finish()
    finally:
        terminal.kill()
    assert status == 1
    assert f"{fifo}:1:1: error: is a FIFO (named pipe), not a regular file" in screen_text(terminal.output)
    assert ALTERNATE_SCREEN not in modes_set(terminal.output)


def test_a_large_file_with_a_deep_header_ends_the_loading_screen_with_its_problem(user_env, tmp_path):
    """A file of 1 MiB or more opens on the loading screen: a breach of the limits must still end it."""
    path = tmp_path / "deep.toml"
    path.write_text(
        'format = 1\n[meta]\nheadline = "Deep"\n[' + ".".join(["a"] * 500) + "]\n" + "# padding\n" * 110_000,
        encoding="utf-8",
    )
    assert path.stat().st_size > 1024 * 1024
    terminal = start([str(path)], user_env())
    try:
        status = terminal.finish()
    finally:
        terminal.kill()
    assert status == 1
    text = screen_text(terminal.output)
    assert f"{path}:4:2: error: a key or table name of more than 32 dotted parts" in text
    assert "Traceback" not in text
    assert modes_changed_at_end(terminal.output) == set()


def test_a_cache_directory_others_can_write_is_named_and_not_used(user_env, tmp_path):
    cache_home = tmp_path / "cache"
    (cache_home / "briefing").mkdir(parents=True)
    (cache_home / "briefing").chmod(0o777)
    terminal = start([], user_env(XDG_CACHE_HOME=str(cache_home)))
    try:
        assert terminal.wait_for(HEADLINE)
        terminal.send("q")
        assert terminal.finish() == 0
    finally:
        terminal.kill()
    warning = f"briefing: warning: cache not used: {cache_home / 'briefing'} can be written by other users (mode 0777)"
    assert warning in screen_text(terminal.output)
    assert list((cache_home / "briefing").iterdir()) == []


def test_keys_typed_while_the_reader_starts_are_not_lost(user_env):
    """Sent the moment the terminal switches to the reader, before its panes exist: they wait for them."""
    terminal = start([], user_env())
    try:
        assert terminal.wait_for(b"\x1b[?1049h")
        terminal.send("3jj\r")
        assert terminal.wait_for("Asset · S-400 air defense unit")
        terminal.send("q")
        assert terminal.finish() == 0
    finally:
        terminal.kill()
