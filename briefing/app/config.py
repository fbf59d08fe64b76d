"""The reader's settings file: the only file the app ever writes.

``$XDG_CONFIG_HOME/briefing/config.toml`` (``~/.config/briefing/config.toml``
by default) holds the theme chosen from the command palette. A missing or
broken file means defaults, never a crash.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

DEFAULT_THEME = "textual-dark"


class Config(NamedTuple):
    theme: str = DEFAULT_THEME


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "briefing" / "config.toml"


def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return Config()
    # Imported only when there is a file: the reader's start-up needs no TOML parser otherwise.
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return Config()
    theme = data.get("theme")
    return Config(theme=theme if isinstance(theme, str) and theme else DEFAULT_THEME)


def save_config(config: Config, path: Path | None = None) -> Path | None:
    """Write the settings; returns the path, or None when it cannot be written."""
    path = path or config_path()
    text = "# Settings of the briefing reader, written when you change them.\n"
    text += f"theme = {toml_string(config.theme)}\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        return None
    return path


def toml_string(text: str) -> str:
    """A TOML basic string holding ``text`` exactly."""
    escaped = "".join(
        f"\\u{ord(char):04x}" if ord(char) < 0x20 or char == "\x7f" else "\\" + char if char in '"\\' else char
        for char in text
    )
    return f'"{escaped}"'
