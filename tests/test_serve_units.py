"""The pure parts of ``briefing serve ssh``, in process: settings, keys, limits, the log, names and sizes.

No network and no reader: what a client or an operator can hand the server
(a settings file, an authorized keys file, a briefing's name, a user's name,
an environment, a terminal size) is checked here against hostile input, with
Hypothesis where the code is a parser or a store.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import stat
import tracemalloc
import unicodedata
from collections import Counter, defaultdict
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path

import asyncssh
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from briefing.format.safetext import one_line
from briefing.serve.events import EventLog
from briefing.serve.keys import (
    MAX_USER_NAME,
    AuthorizedKeys,
    HostKeyError,
    load_host_key,
    parse_authorized_keys,
)
from briefing.serve.limits import FailedLogins, SessionCaps, SessionCounts
from briefing.serve.server import BriefingServer
from briefing.serve.session import MAX_COLUMNS, MAX_ROWS, clamp_size, forwarded_environment, term_name
from briefing.serve.settings import (
    BY_KEY,
    MAX_SETTINGS_BYTES,
    SETTINGS,
    ServeSettings,
    SettingsError,
    _seconds,
    read_settings_file,
    reloaded,
    resolve,
    split_listen,
)
from briefing.storage.paths import data_dir

# A test that writes a file per example uses the same tmp_path for each: fine, each example rewrites it.
PER_FILE = settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])


def public_line(key: asyncssh.SSHKey, comment: str = "") -> str:
    """The authorized keys line of ``key``, as ``ssh-keygen`` writes a .pub file."""
    line = key.export_public_key().decode().strip()
    return f"{line} {comment}".rstrip() + "\n"


def new_key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")


# Settings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1:2222", ("127.0.0.1", 2222)),
        ("0.0.0.0:22", ("0.0.0.0", 22)),
        ("[::1]:2222", ("::1", 2222)),
        ("[::]:65535", ("::", 65535)),
        ("example.org:1", ("example.org", 1)),
    ],
)
def test_a_listening_address_is_host_and_port(text, expected):
    assert split_listen(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("127.0.0.1", "not HOST:PORT"),
        ("2222", "not HOST:PORT"),
        (":2222", "not HOST:PORT"),
        ("[]:2222", "not HOST:PORT"),  # an empty host would listen on every address
        ("host:", "not a whole number"),
        ("host:ssh", "not a whole number"),
        ("host:0", "not between 1 and 65535"),
        ("host:65536", "not between 1 and 65535"),
        ("host:-1", "not between 1 and 65535"),
        ("[::1]", "not a whole number"),
    ],
)
def test_a_bad_listening_address_says_why(text, why):
    with pytest.raises(ValueError, match=why):
        split_listen(text)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90.0), ("90s", 90.0), ("15m", 900.0), ("8h", 28800.0), ("0.5", 0.5), ("2M", 120.0), ("168h", 604800.0)],
)
def test_a_time_is_seconds_or_has_a_unit(text, seconds):
    assert _seconds(text) == seconds


@pytest.mark.parametrize(
    "text", ["", "s", "m", "ten", "15 minutes", "1d", "-5", "0", "0s", "nan", "inf", "169h", "1e9"]
)
def test_a_bad_time_is_refused(text):
    with pytest.raises(ValueError, match=r"not a time|7 days"):
        _seconds(text)


def test_every_setting_is_a_flag_and_a_key_spelt_the_same():
    assert {setting.name for setting in SETTINGS} == {field.name for field in fields(ServeSettings)}
    for setting in SETTINGS:
        assert setting.flag == "--" + setting.key
        assert BY_KEY[setting.key] is setting
        assert "_" not in setting.key


def write_settings(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "serve.toml"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_a_good_settings_file_gives_its_values_parsed(tmp_path):
    path = write_settings(
        tmp_path,
        'listen = "[::1]:2200"\nmax-sessions = 40\nidle-timeout = "15m"\nlogin-timeout = 20\n'
        'truecolor = true\nlibrary = "~/briefings"\nshutdown-grace = 2.5\n',
    )
    values = read_settings_file(path, required=True)
    assert values == {
        "listen": "[::1]:2200",
        "max_sessions": 40,
        "idle_timeout": 900.0,
        "login_timeout": 20.0,
        "truecolor": True,
        "library": os.path.expanduser("~/briefings"),
        "shutdown_grace": 2.5,
    }


def test_a_missing_settings_file_is_the_defaults_unless_it_was_named(tmp_path):
    assert read_settings_file(tmp_path / "absent.toml", required=False) == {}
    with pytest.raises(SettingsError, match=r"absent\.toml: no such file"):
        read_settings_file(tmp_path / "absent.toml", required=True)


def test_an_unknown_key_is_named_with_the_file(tmp_path):
    path = write_settings(tmp_path, "max-sessions = 2\nmax_sessions = 3\n")
    with pytest.raises(SettingsError) as raised:
        read_settings_file(path, required=False)
    assert str(raised.value) == f"{path}: max_sessions: not a setting (the settings are those of --help)"


def test_an_unknown_key_with_controls_is_named_without_them(tmp_path):
    path = write_settings(tmp_path, '"\\u001b]0;owned\\u0007" = 1\n')
    with pytest.raises(SettingsError) as raised:
        read_settings_file(path, required=False)
    assert "\x1b" not in str(raised.value) and "\x07" not in str(raised.value)
    assert one_line("\x1b]0;owned\x07") in str(raised.value)


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("max-sessions = 0", r"max-sessions: 0 is not between 1 and 100000"),
        ("max-sessions = 2.5", r"max-sessions: '2\.5' is not a whole number"),
        ('max-sessions = "many"', r"max-sessions: 'many' is not a whole number"),
        ("max-sessions = true", r"max-sessions: expected a number or a string, found a boolean"),
        ("idle-timeout = -1", r"idle-timeout: '-1' .*7 days"),
        ('idle-timeout = "a while"', r"idle-timeout: 'a while' is not a time"),
        ('listen = "localhost"', r"listen: 'localhost' is not HOST:PORT"),
        ("listen = 2222", r"listen: '2222' is not HOST:PORT"),
        ('truecolor = "sometimes"', r"truecolor: 'sometimes' is not true or false"),
        ('library = ""', r"library: not a path"),
        # Not scalars: their str() would have passed for a path or a number.
        ("library = []", r"library: expected a number or a string, found an array"),
        ("log = { file = 'x' }", r"log: expected a number or a string, found a table"),
        ("host-key = 1979-05-27T07:32:00Z", r"host-key: expected a number or a string, found a date or time"),
        ("max-sessions = [20]", r"max-sessions: expected a number or a string, found an array"),
        ("truecolor = [true]", r"truecolor: expected true or false, found an array"),
        ("[max-sessions]\nx = 1", r"max-sessions: expected a number or a string, found a table"),
        ("pool-size = 65", r"pool-size: 65 is not between 0 and 64"),
    ],
)
def test_a_wrong_value_is_named_with_the_file_and_key(tmp_path, content, why):
    path = write_settings(tmp_path, content + "\n")
    with pytest.raises(SettingsError, match=re.escape(str(path)) + ": " + why):
        read_settings_file(path, required=False)


def test_a_pool_of_none_is_allowed(tmp_path):
    assert read_settings_file(write_settings(tmp_path, "pool-size = 0\n"), required=True) == {"pool_size": 0}


def test_a_settings_file_that_is_not_utf8_is_refused(tmp_path):
    path = write_settings(tmp_path, b"max-sessions = 2 # \xff\xfe\n")
    with pytest.raises(SettingsError, match=re.escape(f"{path}: not UTF-8 text")):
        read_settings_file(path, required=False)


def test_a_toml_syntax_error_is_located(tmp_path):
    path = write_settings(tmp_path, "max-sessions = 2\nlisten = \n")
    with pytest.raises(SettingsError, match=re.escape(str(path)) + r":2:\d+: "):
        read_settings_file(path, required=False)


def test_an_integer_too_long_for_python_is_a_settings_error(tmp_path):
    # tomllib lets Python's ValueError through for an integer of over 4300 digits: the parser locates it.
    path = write_settings(tmp_path, "max-sessions = " + "1" * 5000 + "\n")
    with pytest.raises(SettingsError, match=re.escape(f"{path}:1:16: TOML: a number of more than 4,300 digits")):
        read_settings_file(path, required=False)


def test_a_directory_is_not_a_settings_file(tmp_path):
    with pytest.raises(SettingsError, match=re.escape(f"{tmp_path} is a directory, not a regular file")):
        read_settings_file(tmp_path, required=False)


def test_a_fifo_is_not_a_settings_file_and_does_not_block(tmp_path):
    fifo = tmp_path / "serve.toml"
    os.mkfifo(fifo)
    with pytest.raises(SettingsError, match=re.escape(f"{fifo} is a FIFO (named pipe), not a regular file")):
        read_settings_file(fifo, required=False)


def test_a_settings_file_over_the_limit_is_refused(tmp_path):
    path = write_settings(tmp_path, "# " + "x" * MAX_SETTINGS_BYTES + "\n")
    with pytest.raises(SettingsError, match=re.escape(str(path)) + r" is .*over the 64 KiB limit"):
        read_settings_file(path, required=False)


VALUES = st.one_of(
    st.sampled_from(["1", "0", "-3", "2.5", "1e400", "nan", "true", '"15m"', '"[::1]:22"', '""', "[1]", "{a = 1}"]),
    st.sampled_from(["1979-05-27", "07:32:00", "1979-05-27T07:32:00Z", '"\\u0000"', "'~'", "1" * 4400]),
    st.text(max_size=20).map(json.dumps),
)
SETTINGS_TEXT = st.lists(
    st.tuples(st.sampled_from([*BY_KEY, "x", "max_sessions", '"listen"']), VALUES).map(" = ".join), max_size=6
).map("\n".join)


@PER_FILE
@given(st.one_of(st.binary(max_size=400), SETTINGS_TEXT.map(str.encode)))
def test_any_settings_file_is_values_or_a_settings_error(tmp_path, content):
    path = write_settings(tmp_path, content)
    try:
        values = read_settings_file(path, required=True)
    except SettingsError as error:
        assert str(error).startswith(str(path))
        assert str(error).isprintable()  # the operator's terminal gets no control from the file
        return
    settings = resolve(values, {})  # whatever is read can be used
    split_listen(settings.listen)


def test_flags_beat_the_file_which_beats_the_defaults():
    file_values = {"max_sessions": 50, "idle_timeout": 60.0}
    flag_values = {"max_sessions": 5}
    settings = resolve(file_values, flag_values)
    assert settings.max_sessions == 5
    assert settings.idle_timeout == 60.0
    assert settings.session_lifetime == ServeSettings().session_lifetime
    assert resolve({}, {}) == ServeSettings()


# Two values of each kind of setting, as a settings file would give them.
BEFORE_AND_AFTER = {
    "_listen": ("127.0.0.1:2200", "0.0.0.0:2300"),
    "_path": ("/before", "/after"),
    "_boolean": (False, True),
    "_count": (4, 9),
    "_seconds": (60.0, 120.0),
    "_pool": (1, 3),
}


def test_reloading_keeps_the_address_host_key_and_log_and_changes_the_rest():
    before = {setting.name: BEFORE_AND_AFTER[setting.parse.__name__][0] for setting in SETTINGS}
    after = {setting.name: BEFORE_AND_AFTER[setting.parse.__name__][1] for setting in SETTINGS}
    current = resolve(before, {})
    fresh = reloaded(current, after, {})
    for setting in SETTINGS:
        expected = before[setting.name] if not setting.reloadable else after[setting.name]
        assert getattr(fresh, setting.name) == expected, setting.name
    kept = {setting.name for setting in SETTINGS if not setting.reloadable}
    assert {"listen", "host_key", "log"} <= kept
    assert {"authorized_keys", "max_sessions", "idle_timeout", "truecolor"}.isdisjoint(kept)


def test_a_flag_given_at_start_still_wins_after_a_reload():
    current = resolve({"idle_timeout": 60.0}, {"idle_timeout": 120.0})
    fresh = reloaded(current, {"idle_timeout": 30.0, "max_sessions": 9}, {"idle_timeout": 120.0})
    assert (fresh.idle_timeout, fresh.max_sessions) == (120.0, 9)


def test_the_default_paths_are_in_the_config_and_data_directories(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    settings = ServeSettings()
    assert settings.authorized_keys_path() == str(tmp_path / "config" / "briefing" / "authorized_keys")
    assert settings.host_key_path() == str(tmp_path / "data" / "briefing" / "ssh_host_ed25519_key")
    assert (settings.host, settings.port) == ("127.0.0.1", 2222)


# Authorized keys


def test_the_comment_names_the_user():
    key = new_key()
    found = parse_authorized_keys(public_line(key, "alice"), "keys")
    assert found.skipped == ()
    (entry,) = found.keys.values()
    assert entry.user == "alice"
    assert entry.fingerprint == key.get_fingerprint("sha256")
    assert entry.line == 1
    assert list(found.keys) == [key.public_data]


def test_a_key_without_a_comment_is_named_by_its_fingerprint():
    key = new_key()
    (entry,) = parse_authorized_keys(public_line(key), "keys").keys.values()
    assert entry.user == key.get_fingerprint("sha256")
    assert entry.user.startswith("SHA256:")


def test_two_keys_with_one_comment_are_one_user():
    laptop, desktop, other = new_key(), new_key(), new_key()
    text = public_line(laptop, "alice") + public_line(desktop, "alice") + public_line(other, "bob")
    found = parse_authorized_keys(text, "keys")
    assert found.keys[laptop.public_data].user == found.keys[desktop.public_data].user == "alice"
    assert found.keys[other.public_data].user == "bob"


def test_a_comment_of_several_words_is_the_user_whole():
    key = new_key()
    (entry,) = parse_authorized_keys(public_line(key, "Alice Smith (laptop)"), "keys").keys.values()
    assert entry.user == "Alice Smith (laptop)"


def test_lines_that_are_not_keys_are_skipped_and_named_by_file_and_line():
    good = new_key()
    lines = [
        "# a comment line",
        "",
        f'command="/bin/sh",no-pty {public_line(new_key(), "options").strip()}',
        "garbage",
        "ssh-ed25519 !!!not-base64!!! mallory",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== truncated",
        "ssh-ed25519",
        public_line(good, "carol").strip(),
        "@cert-authority *.example.org " + public_line(new_key()).strip(),
    ]
    found = parse_authorized_keys("\n".join(lines) + "\n", "/etc/briefing/authorized_keys")
    assert [entry.user for entry in found.keys.values()] == ["carol"]
    assert found.keys[good.public_data].line == 8
    numbers = [int(skip.split(":")[1]) for skip in found.skipped]
    assert numbers == [3, 4, 5, 6, 7, 9]
    assert all(skip.startswith("/etc/briefing/authorized_keys:") for skip in found.skipped)
    assert "options before a key are not supported" in found.skipped[0]
    assert "not a public key" in found.skipped[2]


def test_line_numbers_count_newlines_only():
    # \f, \x1c and U+2028 end a line for str.splitlines(), not for an editor or OpenSSH.
    key = new_key()
    text = "# form\x0cfeed\n# sep\x1carator\n# line\u2028separator\ngarbage\n" + public_line(key, "dave")
    found = parse_authorized_keys(text, "keys")
    assert found.skipped == ("keys:4: not TYPE BASE64 [COMMENT] (options before a key are not supported)",)
    assert found.keys[key.public_data].line == 5


def test_crlf_line_endings_are_read():
    key = new_key()
    found = parse_authorized_keys(public_line(key, "erin").replace("\n", "\r\n"), "keys")
    assert found.keys[key.public_data].user == "erin"


def test_an_rsa_key_of_negative_numbers_is_skipped_not_a_crash():
    # e = -1: asyncssh's RSA import raises OverflowError, not KeyImportError.
    blob = b"".join(len(part).to_bytes(4, "big") + part for part in (b"ssh-rsa", b"\xff", b"\x00\xc5"))
    found = parse_authorized_keys(f"ssh-rsa {base64.b64encode(blob).decode()} x\n", "keys")
    assert found.keys == {}
    assert found.skipped and found.skipped[0].startswith("keys:1: not a public key")


@pytest.mark.parametrize("comment", ["\x1b[31mred\x1b[0m", "bell\x07", "tab\there", "del\x7f", "c1\x9bc", "cr\rx"])
def test_control_characters_in_a_comment_never_reach_the_user_name(comment):
    key = new_key()
    (entry,) = parse_authorized_keys(public_line(key, comment), "keys").keys.values()
    assert entry.user == one_line(comment)
    assert not any(unicodedata.category(character) == "Cc" for character in entry.user)


def test_a_long_comment_is_cut_to_a_line():
    key = new_key()
    (entry,) = parse_authorized_keys(public_line(key, "x" * 500), "keys").keys.values()
    assert entry.user == "x" * MAX_USER_NAME


REAL_LINE = public_line(new_key(), "real").strip()
KEYISH = st.one_of(
    st.text(max_size=200),
    st.tuples(
        st.sampled_from(["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "sk-ssh-ed25519@openssh.com", "ssh-dss"]),
        st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", max_size=120),
        st.text(max_size=40),
    ).map(" ".join),
    st.tuples(st.integers(0, len(REAL_LINE)), st.text(max_size=5)).map(
        lambda cut: REAL_LINE[: cut[0]] + cut[1] + REAL_LINE[cut[0] + 1 :]
    ),
)


@settings(max_examples=300)
@given(st.lists(KEYISH, max_size=8).map("\n".join))
def test_any_text_is_keys_and_skipped_lines_never_an_exception(text):
    found = parse_authorized_keys(text, "keys")
    for entry in found.keys.values():
        assert entry.user and len(entry.user) <= max(MAX_USER_NAME, len(entry.fingerprint))
        assert not any(unicodedata.category(character) == "Cc" for character in entry.user)
    for skip in found.skipped:
        assert skip.startswith("keys:")
        assert "\n" not in skip and "\x1b" not in skip


def test_the_keys_file_is_read_again_when_it_changes(tmp_path):
    path = tmp_path / "authorized_keys"
    first, second = new_key(), new_key()
    path.write_text(public_line(first, "alice"))
    keys = AuthorizedKeys(str(path))
    assert keys.find(first).user == "alice"
    assert keys.find(second) is None
    assert keys.reload() is None  # unchanged: not read again
    path.write_text(public_line(second, "bob"))
    assert keys.find(second).user == "bob"
    assert keys.find(first) is None  # a key removed from the file is out at once


def test_the_keys_file_replaced_by_rename_is_read_again(tmp_path):
    path = tmp_path / "authorized_keys"
    first, second = new_key(), new_key()
    path.write_text(public_line(first, "alice"))
    keys = AuthorizedKeys(str(path))
    assert keys.find(first) is not None
    fresh = tmp_path / "authorized_keys.new"
    fresh.write_text(public_line(second, "alice"))
    fresh.replace(path)
    assert keys.find(second) is not None
    assert keys.find(first) is None


def test_a_forced_reload_reads_an_unchanged_file(tmp_path):
    path = tmp_path / "authorized_keys"
    path.write_text(public_line(new_key(), "alice"))
    keys = AuthorizedKeys(str(path))
    assert keys.reload() is None
    again = keys.reload(force=True)
    assert again is not None and [entry.user for entry in again.keys.values()] == ["alice"]


def test_a_missing_keys_file_lets_no_one_in_and_says_so(tmp_path):
    path = tmp_path / "authorized_keys"
    keys = AuthorizedKeys(str(path))
    assert keys.current.keys == {}
    assert keys.current.problem == f"{path}: no such file: no one can log in"
    key = new_key()
    path.write_text(public_line(key, "alice"))
    assert keys.find(key).user == "alice"  # made later: read at the next login
    path.unlink()
    assert keys.find(key) is None
    assert "no such file" in keys.current.problem


def test_a_directory_as_the_keys_file_lets_no_one_in_and_says_so(tmp_path):
    keys = AuthorizedKeys(str(tmp_path))
    assert keys.current.keys == {}
    assert keys.current.problem == f"{tmp_path} is a directory, not a regular file: no one can log in"


def test_the_host_key_is_made_once_private_and_read_back(tmp_path):
    path = tmp_path / "data" / "ssh_host_ed25519_key"
    key, made = load_host_key(str(path))
    assert made
    assert key.algorithm == b"ssh-ed25519"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, made_again = load_host_key(str(path))
    assert not made_again
    assert again.public_data == key.public_data
    assert again.get_fingerprint() == key.get_fingerprint()


def test_a_host_key_others_can_read_is_refused(tmp_path):
    path = tmp_path / "ssh_host_ed25519_key"
    load_host_key(str(path))
    path.chmod(0o644)
    with pytest.raises(HostKeyError, match=r"can be read by others \(mode 644\): chmod 600 it"):
        load_host_key(str(path))


def test_a_host_key_that_is_not_a_key_is_refused(tmp_path):
    path = tmp_path / "ssh_host_ed25519_key"
    path.write_text("not a key\n")
    path.chmod(0o600)
    with pytest.raises(HostKeyError, match="is not a private key"):
        load_host_key(str(path))


def test_a_public_key_is_not_a_host_key(tmp_path):
    path = tmp_path / "ssh_host_ed25519_key"
    path.write_text(public_line(new_key(), "x"))
    path.chmod(0o600)
    with pytest.raises(HostKeyError, match="is not a private key"):
        load_host_key(str(path))


def test_a_directory_is_not_a_host_key(tmp_path):
    with pytest.raises(HostKeyError, match="is a directory"):
        load_host_key(str(tmp_path))


def test_a_host_key_that_cannot_be_made_is_a_host_key_error(tmp_path, monkeypatch):
    # (As root a read-only directory does not stop the write, so the open is made to fail.)
    def refuse(*args, **options):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(HostKeyError, match="cannot be made: Permission denied"):
        load_host_key(str(tmp_path / "ssh_host_ed25519_key"))


def test_a_host_key_not_written_whole_is_not_left_behind(tmp_path, monkeypatch):
    path = tmp_path / "ssh_host_ed25519_key"

    class FullDisk(io.RawIOBase):
        def __init__(self, descriptor):
            os.close(descriptor)

        def writable(self):
            return True

        def write(self, data):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda descriptor, mode: FullDisk(descriptor))
    with pytest.raises(HostKeyError, match="No space left on device"):
        load_host_key(str(path))
    assert not path.exists()


# Limits

CAPS = SessionCaps(total=3, per_user=2, per_address=2)


def test_the_server_full_is_refused_naming_the_cap():
    counts = SessionCounts()
    for number in range(3):
        assert counts.refusal(CAPS, f"user{number}", f"10.0.0.{number}") is None
        counts.opened(f"user{number}", f"10.0.0.{number}")
    assert counts.refusal(CAPS, "dave", "10.0.0.9") == "the server is full (3 of 3 sessions open); try again later"


def test_a_user_at_their_cap_is_refused_naming_it():
    counts = SessionCounts()
    counts.opened("alice", "10.0.0.1")
    counts.opened("alice", "10.0.0.2")
    refusal = counts.refusal(CAPS, "alice", "10.0.0.3")
    assert refusal == "alice has 2 sessions open, the most one user may; close one first"
    assert counts.refusal(CAPS, "bob", "10.0.0.3") is None


def test_an_address_at_its_cap_is_refused_naming_it():
    counts = SessionCounts()
    counts.opened("alice", "192.0.2.7")
    counts.opened("bob", "192.0.2.7")
    assert counts.refusal(CAPS, "carol", "192.0.2.7") == "2 sessions are open from 192.0.2.7, the most one address may"
    assert counts.refusal(CAPS, "carol", "192.0.2.8") is None


def test_a_closed_session_makes_room_again():
    counts = SessionCounts()
    counts.opened("alice", "10.0.0.1")
    counts.opened("alice", "10.0.0.1")
    assert counts.refusal(CAPS, "alice", "10.0.0.1") is not None
    counts.closed("alice", "10.0.0.1")
    assert counts.refusal(CAPS, "alice", "10.0.0.1") is None
    counts.closed("alice", "10.0.0.1")
    assert (counts.total, dict(counts.by_user), dict(counts.by_address)) == (0, {}, {})


class SessionCountsMachine(RuleBasedStateMachine):
    """Sessions opened when admitted and closed in any order: the counts are always the open sessions'."""

    def __init__(self) -> None:
        super().__init__()
        self.counts = SessionCounts()
        self.open: list[tuple[str, str]] = []
        self.caps = SessionCaps(total=6, per_user=3, per_address=4)

    @rule(user=st.sampled_from(["alice", "bob", "carol", "SHA256:abc"]), address=st.sampled_from(["10.0.0.1", "::1"]))
    def open_one(self, user, address):
        users = Counter(user for user, _ in self.open)
        addresses = Counter(address for _, address in self.open)
        expected_full = (
            len(self.open) >= self.caps.total
            or users[user] >= self.caps.per_user
            or addresses[address] >= self.caps.per_address
        )
        refusal = self.counts.refusal(self.caps, user, address)
        assert (refusal is not None) == expected_full
        if refusal is None:
            self.counts.opened(user, address)
            self.open.append((user, address))

    @precondition(lambda self: self.open)
    @rule(index=st.integers(0, 100))
    def close_one(self, index):
        user, address = self.open.pop(index % len(self.open))
        self.counts.closed(user, address)

    @invariant()
    def counts_are_the_open_sessions(self):
        assert self.counts.total == len(self.open) >= 0
        assert dict(self.counts.by_user) == dict(Counter(user for user, _ in self.open))
        assert dict(self.counts.by_address) == dict(Counter(address for _, address in self.open))
        assert all(count > 0 for count in (*self.counts.by_user.values(), *self.counts.by_address.values()))

    def teardown(self):
        while self.open:
            self.counts.closed(*self.open.pop())
        assert (self.counts.total, dict(self.counts.by_user), dict(self.counts.by_address)) == (0, {}, {})


TestSessionCounts = SessionCountsMachine.TestCase
TestSessionCounts.settings = settings(max_examples=100, stateful_step_count=40)


def test_an_address_is_blocked_after_the_limit_of_failures_in_the_window():
    failures = FailedLogins()
    for second in range(4):
        failures.failed("203.0.113.5", float(second), limit=5)
        assert failures.blocked_for("203.0.113.5", float(second), limit=5, window=60.0) == 0.0
    failures.failed("203.0.113.5", 4.0, limit=5)
    assert failures.blocked_for("203.0.113.5", 4.5, limit=5, window=60.0) == pytest.approx(55.5)
    assert failures.blocked_for("203.0.113.6", 4.5, limit=5, window=60.0) == 0.0  # only that address


def test_an_address_is_free_again_once_the_window_has_passed():
    failures = FailedLogins()
    for second in range(5):
        failures.failed("203.0.113.5", float(second), limit=5)
    assert failures.blocked_for("203.0.113.5", 59.0, limit=5, window=60.0) == pytest.approx(1.0)
    assert failures.blocked_for("203.0.113.5", 60.0, limit=5, window=60.0) == 0.0
    assert failures.blocked_for("203.0.113.5", 1000.0, limit=5, window=60.0) == 0.0


def test_failures_spread_wider_than_the_window_never_block():
    failures = FailedLogins()
    for n in range(50):
        failures.failed("203.0.113.5", n * 20.0, limit=5)
        assert failures.blocked_for("203.0.113.5", n * 20.0, limit=5, window=60.0) == 0.0


def test_an_address_that_keeps_trying_stays_blocked():
    # Each refused attempt is a failure too: the block lasts until the address stops for the window.
    failures = FailedLogins()
    for second in range(5):
        failures.failed("203.0.113.5", float(second), limit=5)
    for second in range(5, 200, 10):
        assert failures.blocked_for("203.0.113.5", float(second), limit=5, window=60.0) > 0
        failures.failed("203.0.113.5", float(second), limit=5)
    assert failures.blocked_for("203.0.113.5", 195.0 + 60.0, limit=5, window=60.0) == 0.0


def test_a_lower_limit_after_a_reload_applies_to_the_failures_kept():
    failures = FailedLogins()
    for second in range(3):
        failures.failed("203.0.113.5", float(second), limit=5)
    assert failures.blocked_for("203.0.113.5", 3.0, limit=5, window=60.0) == 0.0
    failures.failed("203.0.113.5", 3.0, limit=2)
    assert failures.blocked_for("203.0.113.5", 3.0, limit=2, window=60.0) == pytest.approx(59.0)


def test_addresses_whose_failures_aged_out_are_forgotten():
    failures = FailedLogins()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(20_000):
            failures.failed(f"2001:db8::{n:x}", n / 1000, limit=5)
        grown = tracemalloc.get_traced_memory()[0] - before
        # One look after the window: every one of them has aged out.
        assert failures.blocked_for("2001:db8::1", 100.0, limit=5, window=60.0) == 0.0
        left = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown > 1_000_000
    assert left < grown / 20


def test_an_address_still_in_the_window_is_remembered_while_older_ones_go():
    failures = FailedLogins()
    for second in range(5):
        failures.failed("198.51.100.1", float(second), limit=5)
    failures.failed("198.51.100.2", 10.0, limit=5)
    for second in range(20, 25):
        failures.failed("198.51.100.3", float(second), limit=5)
    failures.failed("198.51.100.1", 30.0, limit=5)  # tried again later: kept past the others
    assert failures.blocked_for("198.51.100.3", 70.0, limit=5, window=60.0) == pytest.approx(10.0)
    assert failures.blocked_for("198.51.100.1", 70.0, limit=5, window=60.0) == 0.0
    failures.failed("198.51.100.1", 71.0, limit=5)
    failures.failed("198.51.100.1", 72.0, limit=5)
    failures.failed("198.51.100.1", 73.0, limit=5)
    # Its last five failures are at 4, 30, 71, 72 and 73: the oldest of them left the window at 64.
    assert failures.blocked_for("198.51.100.1", 73.0, limit=5, window=60.0) == 0.0
    failures.failed("198.51.100.1", 74.0, limit=5)
    assert failures.blocked_for("198.51.100.1", 74.0, limit=5, window=60.0) == pytest.approx(16.0)


@settings(max_examples=300)
@given(
    limit=st.integers(1, 6),
    window=st.floats(1.0, 100.0),
    steps=st.lists(st.tuples(st.booleans(), st.sampled_from(["a", "b", "c", "d"]), st.floats(0.0, 40.0)), max_size=80),
)
def test_forgetting_never_changes_what_is_blocked(limit, window, steps):
    """Against a model that forgets nothing: blocked until the oldest of the last ``limit`` failures ages out."""
    failures = FailedLogins()
    model: dict[str, list[float]] = defaultdict(list)
    now = 0.0
    for is_failure, address, step in steps:
        now += step
        if is_failure:
            failures.failed(address, now, limit)
            model[address].append(now)
        for each in "abcd":
            times = model[each]
            expected = max(0.0, times[-limit] + window - now) if len(times) >= limit else 0.0
            assert failures.blocked_for(each, now, limit, window) == expected


# The log


def test_each_event_is_one_json_object_a_line_with_time_and_event():
    stream = io.StringIO()
    log = EventLog(stream)
    log.write("connect", connection=1, address="10.0.0.1", port=50022)
    log.write("stopped")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["event"] == "connect"
    assert (first["connection"], first["address"], first["port"]) == (1, "10.0.0.1", 50022)
    assert second == {"time": second["time"], "event": "stopped"}
    moment = datetime.fromisoformat(first["time"])
    assert moment.utcoffset() == UTC.utcoffset(None)
    assert abs((datetime.now(UTC) - moment).total_seconds()) < 60


def test_a_clients_control_characters_are_escaped_in_the_log():
    stream = io.StringIO()
    hostile = "\x1b]0;owned\x07\x1b[2J\r\nfake line\u202e\x9b"
    EventLog(stream).write("refused", what=hostile, user=hostile)
    text = stream.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert text.isascii()
    assert not any(character < " " for character in text[:-1])
    assert json.loads(text)["what"] == hostile  # escaped, not lost


def test_values_json_cannot_hold_are_written_as_text():
    stream = io.StringIO()
    EventLog(stream).write("keys", path=Path("/etc/briefing/authorized_keys"), skipped=("a", "b"))
    record = json.loads(stream.getvalue())
    assert record["path"] == "/etc/briefing/authorized_keys"
    assert record["skipped"] == ["a", "b"]


def test_a_log_that_cannot_be_written_does_not_stop_the_server():
    class FullDisk(io.StringIO):
        def write(self, text):
            raise OSError(28, "No space left on device")

    EventLog(FullDisk()).write("connect", address="10.0.0.1")
    closed = io.StringIO()
    closed.close()
    EventLog(closed).write("connect", address="10.0.0.1")


def test_a_log_file_is_appended_to(tmp_path):
    path = tmp_path / "serve.log"
    path.write_text('{"event": "earlier"}\n')
    log = EventLog.open(str(path))
    log.write("listening", address="127.0.0.1:2222")
    log.stream.close()
    events = [json.loads(line)["event"] for line in path.read_text().splitlines()]
    assert events == ["earlier", "listening"]


# A session's environment, terminal and size


def test_the_locale_is_forwarded_and_nothing_else():
    kept, refused = forwarded_environment(
        {
            "LANG": "en_GB.UTF-8",
            "LC_ALL": "C",
            "LC_CTYPE": "de_DE.UTF-8@euro",
            "TERM": "vt100",
            "PATH": "/tmp/evil",
            "LD_PRELOAD": "/tmp/evil.so",
            "BRIEFING_USER": "root",
            "LANGUAGE": "fr",
        }
    )
    assert kept == {"LANG": "en_GB.UTF-8", "LC_ALL": "C", "LC_CTYPE": "de_DE.UTF-8@euro"}
    assert sorted(refused) == ["BRIEFING_USER", "LANGUAGE", "LD_PRELOAD", "PATH"]


@pytest.mark.parametrize("value", ["en US", "C\x1b[31m", "", "x" * 65, "C;rm -rf /", "C\n", "é"])
def test_a_locale_value_that_is_not_a_locale_name_is_refused(value):
    kept, refused = forwarded_environment({"LC_TIME": value})
    assert kept == {}
    assert refused == ["LC_TIME"]


def test_a_refused_name_is_cut_for_the_log():
    _kept, refused = forwarded_environment({"X" * 1000: "1", "LC_" + "Y" * 40: "C"})
    assert refused == ["X" * 64, ("LC_" + "Y" * 40)[:64]]


@given(st.dictionaries(st.text(max_size=80), st.text(max_size=80), max_size=8))
def test_every_variable_but_term_is_kept_or_refused(requested):
    kept, refused = forwarded_environment(requested)
    assert "TERM" not in kept and "TERM" not in refused
    assert len(kept) + len(refused) == len(requested) - ("TERM" in requested)
    for name, value in kept.items():
        assert name == "LANG" or name.startswith("LC_")
        assert re.fullmatch(r"[A-Za-z0-9._@-]{1,64}", value)


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        ("xterm-256color", "xterm-256color"),
        ("screen.xterm-256color", "screen.xterm-256color"),
        ("linux", "linux"),
        ("rxvt-unicode+x", "rxvt-unicode+x"),
        (None, "xterm-256color"),
        ("", "xterm-256color"),
        ("-xterm", "xterm-256color"),
        ("xterm\x1b[31m", "xterm-256color"),
        ("xterm; rm -rf /", "xterm-256color"),
        ("../../etc/terminfo", "xterm-256color"),
        ("x" * 65, "xterm-256color"),
        ("x" * 64, "x" * 64),
    ],
)
def test_a_weird_term_is_xterm_256color(requested, expected):
    assert term_name(requested) == expected


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((120, 40), (120, 40)),
        ((0, 0), (80, 24)),
        ((1, 1), (1, 1)),
        ((-5, -7), (1, 1)),
        ((10**9, 10**9), (MAX_COLUMNS, MAX_ROWS)),
        ((MAX_COLUMNS, MAX_ROWS), (MAX_COLUMNS, MAX_ROWS)),
    ],
)
def test_a_terminal_size_is_clamped(size, expected):
    assert clamp_size(*size) == expected


@given(st.integers(-(2**40), 2**40), st.integers(-(2**40), 2**40))
def test_any_claimed_size_fits_a_window_size_struct(columns, rows):
    width, height = clamp_size(columns, rows)
    assert 1 <= width <= MAX_COLUMNS and 1 <= height <= MAX_ROWS


# The server's names for briefings and users


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    library = tmp_path / "library"
    (library / "sub").mkdir(parents=True)
    (library / "sub" / "x.toml").write_text("")
    (library / "own.toml").write_text("")
    (library / ".hidden.toml").write_text("")
    (library / "notes.txt").write_text("")
    return make_server(library, include_bundled=True)


def make_server(library: Path, *, include_bundled: bool) -> BriefingServer:
    return BriefingServer(
        ServeSettings(library=str(library)),
        settings_file=library.parent / "serve.toml",
        file_required=False,
        flag_values={},
        library=str(library),
        include_bundled=include_bundled,
        log=EventLog(io.StringIO()),
    )


def test_a_briefing_of_the_library_opens_by_name(server, tmp_path):
    assert server.find_briefing("own") == {"path": str(tmp_path / "library" / "own.toml"), "key": "own"}
    assert server.find_briefing("sub/x") == {"path": str(tmp_path / "library" / "sub" / "x.toml"), "key": "sub/x"}


def test_a_bundled_briefing_opens_by_name_when_bundled(server, tmp_path):
    found = server.find_briefing("sparta")
    assert found is not None and found["key"] == "sparta" and Path(found["path"]).is_file()
    assert make_server(tmp_path / "library", include_bundled=False).find_briefing("sparta") is None


@pytest.mark.parametrize(
    "name",
    [
        "../etc/passwd",
        "/etc/passwd",
        "..",
        ".",
        "sub/../own",
        "sub/./x",
        ".hidden",
        "a//b",
        "sub/",
        "/sub/x",
        "own.toml",
        "notes.txt",
        "notes",
        "sub/x.toml",
        "own\0",
        "own\n",
        "own\x1b",
        "~/own",
        "$HOME/own",
        "sub\\x",
        "sub/x/",
        "o" * 101,
        "/".join(["sub"] * 17),
        "",
        " ",
        "sub/ ",
        "sub/...",
        "missing",
    ],
)
def test_a_name_that_is_not_a_briefing_is_none(server, name):
    assert server.find_briefing(name) is None


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("ownsubx./\\ ~-_\0\n.toml")), max_size=30) | st.text(max_size=30))
def test_any_name_finds_a_toml_file_inside_a_root_or_nothing(server, tmp_path, name):
    found = server.find_briefing(name)
    if found is None:
        return
    path = Path(found["path"]).resolve()
    roots = [(tmp_path / "library").resolve(), Path(server.find_briefing("sparta")["path"]).resolve().parent]
    assert any(path.is_relative_to(root) for root in roots)
    assert path.suffix == ".toml" and path.is_file()
    assert not any(part.startswith(".") for part in found["key"].split("/"))


def test_names_that_slug_the_same_get_their_own_directories(server, tmp_path):
    first, second = server.user_dir("a b"), server.user_dir("a-b")
    assert first != second
    assert first.name.startswith("a-b-") and second.name.startswith("a-b-")
    assert first.is_dir() and second.is_dir()
    assert stat.S_IMODE(first.stat().st_mode) == 0o700
    assert server.user_dir("a b") == first  # the same user, the same directory


@pytest.mark.parametrize(
    "user", ["../../x", "..", "/etc", "a/../../b", ".", "\x1b[31m", "", "x" * 500, "SHA256:ab/c+d="]
)
def test_a_users_directory_never_escapes_the_data_directory(server, tmp_path, user):
    served = (Path(data_dir()) / "served-users").resolve()
    assert served.is_relative_to((tmp_path / "data").resolve())
    path = server.user_dir(user).resolve()
    assert path.parent == served
    assert not path.name.startswith(".")
    assert len(path.name) <= 40 + 1 + 12


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=20), min_size=2, max_size=5, unique=True))
def test_distinct_users_never_share_a_directory(server, users):
    served = (Path(data_dir()) / "served-users").resolve()
    paths = [server.user_dir(user).resolve() for user in users]
    assert len(set(paths)) == len(users)
    assert all(path.parent == served for path in paths)


# The warm process's rehearsal, and a reader started from its parsed style sheet


async def test_a_reader_started_from_the_rehearsals_style_sheet_draws_exactly_what_a_fresh_reader_draws(
    tmp_path, monkeypatch
):
    from briefing.app.app import BriefingApp
    from briefing.app.screens.main import MainScreen
    from briefing.serve import zygote
    from briefing.serve.reader import ServedReader
    from briefing.storage.briefing_files import open_briefing
    from briefing.storage.paths import default_briefing_path

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(ServedReader, "warm_stylesheet", None)
    await zygote.rehearse(None, include_bundled=True)
    warm = ServedReader.warm_stylesheet
    assert warm is not None

    async def screen_of(stylesheet: object) -> str:
        opened = open_briefing(default_briefing_path())
        app = BriefingApp(opened.briefing, path=opened.file, config_path=tmp_path / "config.toml")
        if stylesheet is not None:
            app.stylesheet = stylesheet
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(500):
                if isinstance(app.screen, MainScreen) and app.screen.is_laid_out:
                    break
                await pilot.pause(0.01)
            await pilot.pause()
            return app.export_screenshot()

    assert await screen_of(warm) == await screen_of(None)


def test_the_help_gives_each_settings_default_from_the_settings_themselves():
    from briefing.serve.settings import shown_default

    described = {setting.name: setting.described for setting in SETTINGS}
    assert described["max_sessions"].endswith("(default: 20)")
    assert described["idle_timeout"].endswith("(default: 30m)")
    assert described["session_lifetime"].endswith("(default: 8h)")
    assert described["auth_failure_window"].endswith("(default: 60s)")
    assert described["listen"].endswith("(default: 127.0.0.1:2222)")
    for setting in SETTINGS:
        default = getattr(ServeSettings(), setting.name)
        if not setting.is_switch and "(default:" not in setting.help:
            assert f"(default: {shown_default(default, setting.parse)})" in described[setting.name]
