"""The reader's settings file: read like untrusted input, written like the cache."""

from __future__ import annotations

import os

import pytest
from app_helpers import make_app, running

from briefing.storage.settings import DEFAULT_THEME, MAX_CONFIG_BYTES, Config, load_config, save_config


def test_a_saved_theme_is_read_back(tmp_path):
    path = tmp_path / "briefing" / "config.toml"
    assert save_config(Config(theme="textual-light"), path) is None
    assert load_config(path) == Config(theme="textual-light")
    # Made for the user alone.
    assert os.stat(path.parent).st_mode & 0o777 == 0o700
    assert os.stat(path).st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"theme = " + b"[" * 1000 + b"]" * 1000 + b"\n", ":1:41: arrays or inline tables nested more than 32 deep"),
        (b"a" + b".a" * 1000 + b" = 1\n", ":1:1: a key or table name of more than 32 dotted parts"),
        (b"# " + b"x" * MAX_CONFIG_BYTES, " is 64 KiB, over the 64 KiB limit"),
    ],
    ids=["nested-1000-deep", "long-dotted-key", "too-large"],
)
def test_a_hostile_settings_file_means_defaults_and_a_located_reason(tmp_path, content, problem):
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    config = load_config(path)
    assert config.theme == DEFAULT_THEME
    assert config.problem is not None and problem in config.problem, config.problem


def test_a_fifo_as_the_settings_file_is_not_waited_for(tmp_path):
    path = tmp_path / "config.toml"
    os.mkfifo(path)
    assert load_config(path) == Config(problem=f"{path} is a FIFO (named pipe), not a regular file")


async def test_the_reader_says_why_its_settings_were_ignored(tmp_path):
    (tmp_path / "config.toml").write_bytes(b"theme = " + b"[" * 1000 + b"]" * 1000 + b"\n")
    app = make_app(tmp_path)
    notices: list[tuple[str, str]] = []
    notify = app.notify

    def record(message: str, **options) -> None:
        notices.append((message, options.get("severity", "information")))
        notify(message, **options)

    app.notify = record  # type: ignore[method-assign]
    async with running(app, size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
    ((message, severity),) = notices
    assert message.startswith(f"Settings ignored: {tmp_path / 'config.toml'}:1:41: arrays or inline tables")
    assert severity == "warning"


def test_a_link_planted_at_the_settings_file_is_replaced_not_written_through(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file")
    directory = tmp_path / "briefing"
    directory.mkdir(mode=0o700)
    (directory / "config.toml").symlink_to(victim)
    assert save_config(Config(theme="textual-light"), directory / "config.toml") is None
    assert victim.read_text() == "the user's own file"
    assert not (directory / "config.toml").is_symlink()
    assert load_config(directory / "config.toml").theme == "textual-light"


def test_a_settings_directory_others_can_write_is_not_written(tmp_path):
    directory = tmp_path / "briefing"
    directory.mkdir()
    directory.chmod(0o777)
    why = save_config(Config(theme="textual-light"), directory / "config.toml")
    assert why == f"{directory} can be written by other users (mode 0777)"
    assert list(directory.iterdir()) == []
