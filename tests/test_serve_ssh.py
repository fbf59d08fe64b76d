"""``briefing serve ssh`` against the real OpenSSH client: what a user sees, and what the server's log says.

Each test runs ``/usr/bin/ssh`` (on a real pseudo-terminal when a user would
have one) against a real server process on 127.0.0.1, with directories of
its own. One server is shared by the tests that do not change it; those that
need other limits or timeouts, or that stop the server, have their own.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
from datetime import datetime

import pytest
from pty_helpers import PATIENCE, modes_changed_at_end, modes_set, screen_text
from serve_helpers import (
    HEADLINE,
    SFTP,
    SSH_AGENT,
    Served,
    alive,
    environ_of,
    free_port,
    serving,
    session,
    wait_until,
)

ALTERNATE_SCREEN = 1049
# What the shared server's environment holds as an operator's shell would: none of it may reach a reader.
OPERATOR_ENV = {"SSH_AUTH_SOCK": "/operator/agent.sock", "SSH_CONNECTION": "10.0.0.1 1 10.0.0.2 22", "LANG": "C"}
NOTE = "Written over SSH, kept in the store"
# Failed logins are counted per address, and every test comes from 127.0.0.1.
MANY = "1000"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The shared server: default limits, readers in a pool."""
    with serving(tmp_path_factory.mktemp("shared"), "--auth-failures", MANY, env=OPERATOR_ENV) as served:
        yield served


def shown(terminal) -> str:
    """The end of what a terminal shows, for a failure's message."""
    return screen_text(terminal.output)[-3000:]


def stamp(event) -> float:
    """An event's time, in seconds."""
    return datetime.fromisoformat(event["time"]).timestamp()


def reader_pid(server: Served, mark: int, **fields) -> int:
    pid = server.wait_event("session_start", after=mark, **fields)["pid"]
    assert isinstance(pid, int)
    return pid


def session_end(server: Served, mark: int, **start_fields) -> dict:
    """The end of the session that started since ``mark`` with these fields (not another's, logged late)."""
    start = server.wait_event("session_start", after=mark, **start_fields)
    return server.wait_event("session_end", after=mark, session=start["session"])


def assert_serves(server: Served, user: str = "alice", **options) -> None:
    """A normal session works: the library is shown, Enter opens the briefing, q quits with status 0."""
    with session(server, user=user, **options) as terminal:
        assert terminal.wait_for(HEADLINE), shown(terminal)
        assert_answers(terminal)
        terminal.send("q")
        assert terminal.finish() == 0, shown(terminal)


def assert_answers(terminal) -> None:
    """The session on the library answers a key: Enter opens the briefing at its sections."""
    terminal.settle(0.3)
    mark = terminal.send("\r")
    assert terminal.wait_for("Sections", after=mark), shown(terminal)


def begin_note(terminal, text: str) -> None:
    """On the main screen: ``a`` opens the note editor on the section; ``text`` is typed, not saved."""
    terminal.settle(0.3)
    mark = terminal.send("a")
    assert terminal.wait_for("Your note", after=mark), shown(terminal)
    terminal.settle(0.3)
    terminal.send(text)
    assert terminal.wait_for(text, after=mark), shown(terminal)


def notes_of(server: Served, user: str) -> list[str]:
    """The bodies of the notes in ``user``'s review store on the Sparta briefing."""
    store = server.user_dir(user) / "review.sqlite3"
    with contextlib.closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True)) as db:
        return [row[0] for row in db.execute("SELECT body FROM notes WHERE briefing = 'sparta' ORDER BY rowid")]


# 1. A session


def test_a_session_shows_the_library_and_q_quits_with_the_terminal_given_back(server):
    mark = server.mark()
    with session(server) as terminal:
        assert terminal.wait_for(HEADLINE), shown(terminal)
        pid = reader_pid(server, mark, user="alice")
        terminal.settle(0.3)
        # The library's title names the server, not the directory it serves from.
        drawn = screen_text(terminal.output)
        assert f"served by {socket.gethostname()}" in drawn, shown(terminal)
        assert str(server.library) not in drawn
        terminal.send("q")
        status = terminal.finish()
    assert status == 0, shown(terminal)
    assert ALTERNATE_SCREEN in modes_set(terminal.output)
    assert modes_changed_at_end(terminal.output) == set()
    end = session_end(server, mark, user="alice")
    assert (end["reason"], end["status"]) == ("quit", 0)
    assert wait_until(lambda: not alive(pid)), f"reader {pid} still there after q"


# 2. A resize


def briefings_box_widths(text: str) -> list[int]:
    """The widths of every top border drawn of the library's list of briefings."""
    return [len(match) for match in re.findall(r"╭─ Briefings[^╮\r\n]*╮", text)]


def test_a_resize_is_followed_the_reader_redraws_at_the_new_width(server):
    with session(server, size=(100, 30)) as terminal:
        assert terminal.wait_for(HEADLINE), shown(terminal)
        terminal.settle()
        assert briefings_box_widths(screen_text(terminal.output))[-1:] == [100]
        mark = len(terminal.output)
        terminal.resize(64, 20)
        assert wait_until(
            lambda: terminal.read(0.1) and 64 in briefings_box_widths(screen_text(terminal.output[mark:]))
        )
        terminal.settle()
        assert briefings_box_widths(screen_text(terminal.output[mark:]))[-1] == 64
        terminal.send("q")
        assert terminal.finish() == 0


def test_sessions_multiplexed_on_one_connection_are_each_their_own(server):
    mark = server.mark()
    control = ["-o", f"ControlPath={server.root}/mux-pair-%p"]
    with session(server, options=["-o", "ControlMaster=yes", *control]) as first:
        assert first.wait_for(HEADLINE), shown(first)
        with session(server, "sparta", options=["-t", "-o", "ControlMaster=no", *control]) as second:
            assert second.wait_for("Sections"), shown(second)
            starts = [server.wait_event("session_start", after=mark, briefing=name) for name in (None, "sparta")]
            # One connection, two sessions: each its own reader.
            assert len({start["session"].split(".")[0] for start in starts}) == 1, starts
            assert starts[0]["pid"] != starts[1]["pid"]
            second.settle(0.3)
            second.send("q")
            assert second.finish() == 0, shown(second)
        # The other session of the connection goes on.
        assert_answers(first)
        first.send("q")
        assert first.finish() == 0, shown(first)
    ends = [server.wait_event("session_end", after=mark, session=start["session"]) for start in starts]
    assert [end["reason"] for end in ends] == ["quit", "quit"]


def test_a_long_lived_multiplexed_connection_serves_one_session_after_another(server):
    """Sessions that ended count no more: ControlMaster keeps one connection for a day of sessions."""
    mark = server.mark()
    control = ["-o", f"ControlPath={server.root}/mux-day-%p"]
    with session(server, options=["-o", "ControlMaster=yes", *control]) as master:
        assert master.wait_for(HEADLINE), shown(master)
        for _ in range(4):
            assert_serves(server, options=["-o", "ControlMaster=no", *control])
        master.send("q")
        assert master.finish() == 0, shown(master)
    starts = server.events("session_start", after=mark)
    assert len(starts) == 5
    assert len({start["session"].split(".")[0] for start in starts}) == 1, server.events(after=mark)
    assert len({start["session"] for start in starts}) == 5, starts


# 3. What is refused, the server serving on


def sftp(server: Served) -> subprocess.CompletedProcess[str]:
    options = server.ssh_options(port_flag="-P")
    return subprocess.run(
        [SFTP, *options, "127.0.0.1"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=server.client_env(),
        timeout=PATIENCE * 2,
    )


REFUSED = {
    # case: (how the client is run, its exit status, what its stderr says, the log's event and fields)
    "unknown key": (
        lambda s: s.run(user="stranger"),
        255,
        "Permission denied (publickey)",
        ("auth", {"result": "unknown key"}),
    ),
    "password": (
        lambda s: s.run(options=["-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no"]),
        255,
        "Permission denied (publickey)",
        ("disconnect", {"authenticated": False}),
    ),
    "a command": (
        lambda s: s.run("ls"),
        1,
        "'ls' is not a briefing of this library",
        ("refused", {"what": "ls"}),
    ),
    "a briefing without a terminal": (
        lambda s: s.run("sparta"),
        1,
        "needs a terminal",
        ("refused", {"what": "sparta"}),
    ),
    "sftp": (sftp, None, "the sftp subsystem is not offered", ("refused", {"what": "sftp"})),
    "no terminal (-T)": (
        lambda s: s.run(options=["-T"]),
        1,
        "the reader needs a terminal",
        ("refused", {"what": "shell"}),
    ),
    "no session (-N)": (
        lambda s: s.run(options=["-N"]),
        255,
        "interactive sessions only",
        ("refused", {"what": "no session"}),
    ),
    "remote forwarding (-R)": (
        lambda s: s.run(options=["-o", "ExitOnForwardFailure=yes", "-N", "-R", f"127.0.0.1:{free_port()}:127.0.0.1:9"]),
        255,
        "remote port forwarding failed",
        ("refused", {"what": "remote port forwarding"}),
    ),
    "stdio forwarding (-W)": (
        lambda s: s.run(options=["-W", "127.0.0.1:9"]),
        255,
        "stdio forwarding failed",
        ("refused", {"what": "local port forwarding"}),
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_with_the_reason_and_the_server_serves_on(server, case):
    run, status, reason, (event, fields) = REFUSED[case]
    mark = server.mark()
    result = run(server)
    if status is None:
        assert result.returncode != 0, result
    else:
        assert result.returncode == status, result
    assert reason in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    server.wait_event(event, after=mark, **fields)
    assert_serves(server)


def test_no_terminal_is_refused_in_one_line(server):
    result = server.run(options=["-T"])
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "briefing: the reader needs a terminal: connect with `ssh -t` (or without -T)"
    ], result.stderr
    assert result.stdout == ""


def test_a_briefing_named_on_the_command_line_opens(server):
    mark = server.mark()
    with session(server, "sparta", options=["-t"]) as terminal:
        assert terminal.wait_for("Sections"), shown(terminal)
        assert server.wait_event("session_start", after=mark)["briefing"] == "sparta"
        terminal.settle(0.3)
        terminal.send("q")
        assert terminal.finish() == 0, shown(terminal)
    assert modes_changed_at_end(terminal.output) == set()


@pytest.mark.parametrize("name", ["../library/sparta", "/etc/passwd", "sparta.toml", "nothing-such"])
def test_a_name_that_is_not_a_briefing_of_the_library_is_refused(server, name):
    with session(server, name, options=["-t"]) as terminal:
        status = terminal.finish()
    assert status == 1
    assert "is not a briefing of this library" in screen_text(terminal.output)


def test_local_forwarding_is_refused_and_the_session_goes_on(server):
    mark = server.mark()
    port = free_port()
    with session(server, options=["-L", f"127.0.0.1:{port}:127.0.0.1:9"]) as terminal:
        assert terminal.wait_for(HEADLINE), shown(terminal)

        def connected() -> socket.socket | None:
            try:
                return socket.create_connection(("127.0.0.1", port), timeout=PATIENCE)
            except OSError:
                return None

        through = wait_until(connected)
        assert through is not None, "ssh does not listen on the forwarded port"
        with through:
            assert through.recv(100) == b""  # the far end closed at once: nothing was forwarded
        server.wait_event("refused", after=mark, what="local port forwarding", user="alice")
        assert_answers(terminal)
        terminal.send("q")
        assert terminal.finish() == 0, shown(terminal)


@pytest.fixture
def agent(tmp_path):
    """A real ssh-agent of the client's, holding no key."""
    path = tmp_path / "agent.sock"
    process = subprocess.Popen([SSH_AGENT, "-D", "-a", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_until(path.exists), "ssh-agent did not start"
        yield path
    finally:
        process.terminate()
        process.wait()


def test_agent_forwarding_is_not_given_to_the_reader(server, agent):
    mark = server.mark()
    env = server.client_env(SSH_AUTH_SOCK=str(agent))
    with session(server, options=["-A"], env=env) as terminal:
        assert terminal.wait_for(HEADLINE), shown(terminal)
        pid = reader_pid(server, mark)
        environment = environ_of(pid)
        assert_answers(terminal)
        terminal.send("q")
        assert terminal.finish() == 0, shown(terminal)
    assert "SSH_AUTH_SOCK" not in environment, environment
    assert not any(name.startswith("SSH_") for name in environment), environment


def test_only_the_locale_of_the_clients_environment_reaches_the_reader(server):
    mark = server.mark()
    env = server.client_env(LANG="en_GB.UTF-8", LC_TIME="en_GB.UTF-8")
    options = ["-o", "SendEnv=LANG LC_TIME", "-o", "SetEnv=BRIEFING_PROBE=from-the-client PYTHONPATH=/tmp/evil"]
    with session(server, options=options, env=env) as terminal:
        assert terminal.wait_for(HEADLINE), shown(terminal)
        pid = reader_pid(server, mark)
        environment = environ_of(pid)
        terminal.settle(0.3)
        terminal.send("q")
        assert terminal.finish() == 0, shown(terminal)
    refused = server.wait_event("refused", after=mark, what="environment")
    assert sorted(refused["names"]) == ["BRIEFING_PROBE", "PYTHONPATH"]
    start = server.wait_event("session_start", after=mark)
    assert start["locale"] == {"LANG": "en_GB.UTF-8", "LC_TIME": "en_GB.UTF-8"}
    assert "BRIEFING_PROBE" not in environment
    assert environment.get("PYTHONPATH") != "/tmp/evil"
    # The operator's own locale is not what the reader was started in either.
    assert environment.get("LANG") != OPERATOR_ENV["LANG"]


def test_the_authorized_keys_file_is_read_again_when_it_changes(server):
    key = server.make_key("dave")
    assert server.run(user="dave").returncode == 255
    server.authorize(key)
    assert_serves(server, "dave")
    server.unauthorize(key)
    refused = server.run(user="dave")
    assert refused.returncode == 255
    assert "Permission denied (publickey)" in refused.stderr


def test_an_address_that_failed_too_often_is_refused_for_a_while(tmp_path):
    with serving(tmp_path, "--auth-failures", "2", "--auth-failure-window", "10m", "--max-auth-tries", "2") as served:
        many = [served.make_key(f"unknown-{n}") for n in range(3)]
        offered = served.run(user="stranger", options=[option for key in many for option in ("-i", str(key))])
        assert offered.returncode == 255
        assert "2 keys offered, none of them authorized" in offered.stderr, offered.stderr
        assert served.run(user="stranger").returncode == 255
        # Two failures from 127.0.0.1: even a good key is refused now, and told why.
        blocked = served.run(user="alice")
        assert blocked.returncode == 255
        assert "too many failed logins from 127.0.0.1; try again in" in blocked.stderr, blocked.stderr
        served.wait_event("refused", what="address", address="127.0.0.1")


# 4. Limits


LOGIN_TIMEOUT, KEEPALIVE, KEEPALIVES = 2, 1, 3


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """A server of two sessions at most, one a user; quick to drop a client that does not log in or answer."""
    root = tmp_path_factory.mktemp("limited")
    flags = ("--auth-failures", MANY, "--max-sessions", "2", "--max-sessions-per-user", "1")
    flags += ("--login-timeout", f"{LOGIN_TIMEOUT}s", "--keepalive-interval", f"{KEEPALIVE}s")
    flags += ("--keepalive-count", str(KEEPALIVES))
    with serving(root, *flags) as served:
        yield served


def forced_terminal(server: Served, user: str) -> subprocess.CompletedProcess[str]:
    """A session asked for with a terminal (ssh -tt), its output taken whole: for a refusal's reason."""
    return server.run(user=user, options=["-tt"])


def test_a_users_second_session_is_told_why_and_the_first_keeps_working(limited):
    mark = limited.mark()
    with session(limited, user="alice") as first:
        assert first.wait_for(HEADLINE), shown(first)
        second = forced_terminal(limited, "alice")
        assert second.returncode == 1, second
        assert "alice has 1 sessions open, the most one user may" in second.stderr, second.stderr
        limited.wait_event("refused", after=mark, what="limit", user="alice")
        assert_answers(first)
        first.send("q")
        assert first.finish() == 0, shown(first)
    # Closed, it counts no more.
    assert_serves(limited, "alice")


def test_a_session_past_the_servers_limit_is_told_why_and_the_others_keep_working(limited):
    mark = limited.mark()
    with session(limited, user="alice") as first, session(limited, user="bob") as second:
        assert first.wait_for(HEADLINE), shown(first)
        assert second.wait_for(HEADLINE), shown(second)
        third = forced_terminal(limited, "carol")
        assert third.returncode == 1, third
        assert "the server is full (2 of 2 sessions open)" in third.stderr, third.stderr
        limited.wait_event("refused", after=mark, what="limit", user="carol")
        for terminal in (first, second):
            assert_answers(terminal)
            terminal.send("q")
            assert terminal.finish() == 0, shown(terminal)
    assert_serves(limited, "carol")


def test_a_client_that_never_logs_in_is_dropped_at_the_login_timeout(limited):
    mark = limited.mark()
    with socket.create_connection(("127.0.0.1", limited.port), timeout=PATIENCE) as raw:
        assert raw.recv(100).startswith(b"SSH-2.0-briefing")
        # Nothing more is sent: the server hangs up (or resets) once the login timeout is over.
        with contextlib.suppress(ConnectionResetError):
            while raw.recv(4096):
                pass
    event = limited.wait_event("disconnect", after=mark, authenticated=False)
    assert event["user"] is None
    assert_serves(limited)


def test_a_client_that_stops_answering_is_dropped_and_its_reader_ends(limited):
    mark = limited.mark()
    with session(limited, user="bob") as terminal:
        assert terminal.wait_for(HEADLINE), shown(terminal)
        pid = reader_pid(limited, mark, user="bob")
        # A frozen client (a laptop's lid shut, a cut network): the connection stays, no keepalive is answered.
        terminal.process.send_signal(signal.SIGSTOP)
        try:
            end = session_end(limited, mark, user="bob")
            assert end["reason"] == "client gone"
            assert wait_until(lambda: not alive(pid)), f"reader {pid} outlived its client"
        finally:
            terminal.process.send_signal(signal.SIGCONT)
    connection = int(end["session"].split(".")[0])
    disconnect = limited.wait_event("disconnect", after=mark, connection=connection)
    assert "keepalive" in str(disconnect["reason"]).lower(), disconnect
    assert_serves(limited, "bob")


def test_sighup_reads_the_settings_file_again_and_a_broken_one_changes_nothing(tmp_path):
    with serving(tmp_path, "--auth-failures", MANY) as served:
        settings = served.config / "briefing" / "serve.toml"
        assert served.process is not None
        with session(served) as first:
            assert first.wait_for(HEADLINE), shown(first)
            assert_serves(served)  # a second session of alice's: three a user by default
            mark = served.mark()
            settings.write_text("max-sessions-per-user = 1\n")
            served.process.send_signal(signal.SIGHUP)
            served.wait_event("reloaded", after=mark)
            second = forced_terminal(served, "alice")
            assert second.returncode == 1, second
            assert "alice has 1 sessions open, the most one user may" in second.stderr, second.stderr
            # A file that is not right is said so, and the settings stay as they were.
            mark = served.mark()
            settings.write_text('max-sessions-per-user = "many"\n')
            served.process.send_signal(signal.SIGHUP)
            failed = served.wait_event("reload_failed", after=mark)
            assert "max-sessions-per-user" in failed["reason"]
            assert forced_terminal(served, "alice").returncode == 1
            assert_answers(first)
            first.send("q")
            assert first.finish() == 0, shown(first)
        assert_serves(served)


# 5. Timeouts

IDLE, LIFETIME = 3, 8


@pytest.fixture(scope="module")
def hurried(tmp_path_factory):
    root = tmp_path_factory.mktemp("hurried")
    flags = ("--auth-failures", MANY, "--idle-timeout", f"{IDLE}s", "--session-lifetime", f"{LIFETIME}s")
    with serving(root, *flags) as served:
        yield served


def test_an_idle_session_is_ended_with_the_reason(hurried, tmp_path):
    mark = hurried.mark()
    stderr = tmp_path / "stderr"
    with session(hurried, stderr=stderr) as terminal:
        assert terminal.wait_for(HEADLINE), shown(terminal)
        pid = reader_pid(hurried, mark)
        # Not a quit: a script can tell the server ended it.
        assert terminal.finish() == 1
    # The reason is the channel's standard error: not drawn over the screen, there after it.
    assert stderr.read_text().rstrip() == f"briefing: session ended: no key was typed for {IDLE} s"
    assert "no key was typed" not in screen_text(terminal.output)
    assert modes_changed_at_end(terminal.output) == set()
    end = session_end(hurried, mark)
    assert "no key was typed" in end["reason"]
    assert wait_until(lambda: not alive(pid))


def test_a_busy_session_is_ended_at_its_lifetime_and_the_note_being_typed_is_saved(hurried):
    mark = hurried.mark()
    with session(hurried, "sparta", options=["-t"]) as terminal:
        assert terminal.wait_for("Sections"), shown(terminal)
        begin_note(terminal, NOTE)
        deadline = time.monotonic() + PATIENCE
        # A key every half second, into the note: never idle, until the lifetime ends it.
        while terminal.process.poll() is None and time.monotonic() < deadline:
            try:
                terminal.send("x")
            except OSError:
                break
            terminal.read(0.5)
        terminal.finish()
    text = screen_text(terminal.output)
    assert f"briefing: session ended: it was open {LIFETIME} s, the most a session may be" in text, text[-2000:]
    assert modes_changed_at_end(terminal.output) == set()
    end = session_end(hurried, mark)
    assert "the most a session may be" in end["reason"]
    [note] = notes_of(hurried, "alice")
    assert note.startswith(NOTE + "x"), note


# 6. SIGTERM


def test_sigterm_tells_the_sessions_ends_them_after_the_grace_and_leaves_nothing(tmp_path):
    grace = 3
    flags = ("--auth-failures", MANY, "--shutdown-grace", f"{grace}s")
    with serving(tmp_path, *flags) as served:
        mark = served.mark()
        stderr = tmp_path / "alice.stderr"
        with (
            session(served, user="alice", stderr=stderr) as library,
            session(served, "sparta", user="bob", options=["-t"]) as reading,
        ):
            assert library.wait_for(HEADLINE), shown(library)
            assert reading.wait_for("Sections"), shown(reading)
            begin_note(reading, NOTE)
            served.wait_event("session_start", after=mark, user="alice")
            served.wait_event("session_start", after=mark, user="bob")
            marks = [len(library.output), len(reading.output)]
            assert served.process is not None
            served.process.send_signal(signal.SIGTERM)
            served.wait_event("shutting_down", after=mark, sessions=2)
            for terminal, at in zip((library, reading), marks, strict=True):
                assert terminal.wait_for("going down", after=at), shown(terminal)
            # New connections are no longer taken.
            late = served.run()
            assert late.returncode == 255, late
            for terminal in (library, reading):
                terminal.finish()
                assert modes_changed_at_end(terminal.output) == set()
            assert stderr.read_text().rstrip() == "briefing: the server is going down"
            assert "briefing: the server is going down" in screen_text(reading.output), shown(reading)
        assert served.process.wait(timeout=PATIENCE) == 0, served.stderr()
        ends = served.events("session_end", after=mark)
        assert [end["reason"] for end in ends] == ["the server is going down"] * 2
        # The sessions had their grace (by the server's own clock).
        going = stamp(served.wait_event("shutting_down", after=mark))
        assert all(stamp(end) - going >= grace - 0.1 for end in ends), (going, ends)
        assert served.events("stopped", after=mark)
        # No process of the server's is left: not the warm process, not a reader (ready ones included).
        assert wait_until(lambda: not served.processes()), served.processes()
        assert "Traceback" not in served.stderr(), served.stderr()
        # "Your notes are saved": the one being typed too.
        assert notes_of(served, "bob") == [NOTE]


def test_a_killed_server_leaves_no_reader_behind(tmp_path):
    with serving(tmp_path, "--auth-failures", MANY) as served:
        mark = served.mark()
        with session(served) as terminal:
            assert terminal.wait_for(HEADLINE), shown(terminal)
            serving_reader = reader_pid(served, mark)
            before = served.processes()
            assert len(before) >= 3, before  # the server, its warm process, readers (ready and serving)
            assert served.process is not None
            served.process.kill()
            served.process.wait()
            # Nothing is left to give the terminal back: the client says the connection went.
            assert terminal.finish() == 255
            assert "closed by remote host" in screen_text(terminal.output)
        # The warm process and the ready readers see their sockets close, and go...
        assert wait_until(lambda: set(served.processes()) <= {serving_reader}), served.processes()
        # ...and the reader of the session sees its terminal hung up and its socket closed, and goes, even
        # when Textual's shutdown would wait for good on a write to the hung-up terminal (reader.leave_in).
        assert wait_until(lambda: not alive(serving_reader)), serving_reader


# 7. A reader killed


def test_a_killed_reader_ends_only_its_session(server):
    mark = server.mark()
    with session(server, user="alice") as victim, session(server, user="bob") as other:
        assert victim.wait_for(HEADLINE), shown(victim)
        assert other.wait_for(HEADLINE), shown(other)
        pid = reader_pid(server, mark, user="alice")
        assert pid in server.processes()
        os.kill(pid, signal.SIGKILL)
        status = victim.finish()
        assert status != 0
        assert modes_changed_at_end(victim.output) == set()
        assert "briefing: the session's reader stopped unexpectedly" in screen_text(victim.output), shown(victim)
        end = session_end(server, mark, user="alice")
        assert end["reason"] == "reader failed"
        assert_answers(other)
        other.send("q")
        assert other.finish() == 0, shown(other)
    assert_serves(server)


# 8. A client gone


def test_a_client_that_vanishes_leaves_no_reader(server):
    mark = server.mark()
    with session(server) as terminal:
        assert terminal.wait_for(HEADLINE), shown(terminal)
        pid = reader_pid(server, mark)
        terminal.process.kill()
        terminal.process.wait()
    assert wait_until(lambda: not alive(pid), patience=PATIENCE), f"reader {pid} outlived its client"
    end = session_end(server, mark)
    assert end["reason"] == "client gone"
    assert_serves(server)


def test_a_note_being_typed_when_the_client_vanishes_is_saved(server):
    mark = server.mark()
    with session(server, "sparta", user="carol", options=["-t"]) as terminal:
        assert terminal.wait_for("Sections"), shown(terminal)
        begin_note(terminal, NOTE)
        pid = reader_pid(server, mark, user="carol")
        terminal.process.kill()
        terminal.process.wait()
    assert wait_until(lambda: not alive(pid), patience=PATIENCE), f"reader {pid} outlived its client"
    session_end(server, mark, user="carol")
    assert notes_of(server, "carol") == [NOTE]


def test_a_warm_process_that_dies_is_started_again(server):
    mark = server.mark()
    warm = server.events("warm")[-1]["pid"]
    assert warm in server.processes()  # alive, and ours (never a pid reused by another process)
    os.kill(warm, signal.SIGKILL)
    server.wait_event("warm_process_lost", after=mark, pid=warm)
    # The readers it forked before it died serve, then readers of a new warm process.
    for _ in range(3):
        assert_serves(server)
    assert server.wait_event("warm", after=mark)["pid"] != warm


# 9. Notes


def test_a_note_written_over_ssh_is_in_that_users_store_and_seen_again(server):
    with session(server, "sparta", user="bob", options=["-t"]) as terminal:
        assert terminal.wait_for("Sections"), shown(terminal)
        begin_note(terminal, NOTE)
        mark = terminal.send("\x1b")
        assert terminal.wait_for("Note saved", after=mark), shown(terminal)
        terminal.settle(0.3)
        terminal.send("q")
        assert terminal.finish() == 0, shown(terminal)
    assert notes_of(server, "bob") == [NOTE]
    # Alice's store has none of Bob's notes.
    alice = server.data / "briefing" / "served-users"
    assert not [path for path in alice.glob("alice-*/review.sqlite3") if NOTE.encode() in path.read_bytes()]
    with session(server, "sparta", user="bob", options=["-t"]) as terminal:
        assert terminal.wait_for("Sections"), shown(terminal)
        terminal.settle(0.3)
        mark = terminal.send("A")
        assert terminal.wait_for(NOTE, after=mark), shown(terminal)
        terminal.send("\x1b")
        terminal.settle(0.3)
        terminal.send("q")
        assert terminal.finish() == 0, shown(terminal)


def test_a_briefing_that_does_not_pass_check_is_refused_with_the_reason(server):
    (server.library / "broken.toml").write_text('format = 1\n[meta]\nheadline = "Half a briefing"\n')
    mark = server.mark()
    with session(server, "broken", options=["-t"]) as terminal:
        status = terminal.finish()
    assert status == 1
    assert "briefing: broken cannot be opened: it does not pass `briefing check`" in screen_text(terminal.output)
    assert modes_changed_at_end(terminal.output) == set()
    assert session_end(server, mark, briefing="broken")["status"] == 1
    # The library lists it, with why, and the others still open.
    with session(server) as terminal:
        assert terminal.wait_for("✗ broken: "), shown(terminal)
        assert_answers(terminal)
        terminal.send("q")
        assert terminal.finish() == 0


def test_after_every_session_only_the_warm_process_and_the_ready_readers_are_left(server):
    """Run last on the shared server: no reader of the sessions above outlived its session."""
    pool = 2  # --pool-size's default
    assert wait_until(lambda: len(server.processes()) == 1 + 1 + pool), server.processes()
