"""The reader's settings file: the only file the app ever writes.

``$XDG_CONFIG_HOME/briefing/config.toml`` (``~/.config/briefing/config.toml``
by default) holds the theme chosen from the command palette. A missing or
broken file means defaults, never a crash.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_THEME = "textual-dark"


@dataclass(frozen=True, slots=True)
class Config:
    theme: str = DEFAULT_THEME


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "briefing" / "config.toml"


def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Config()
    theme = data.get("theme")
    return Config(theme=theme if isinstance(theme, str) and theme else DEFAULT_THEME)


def save_config(config: Config, path: Path | None = None) -> Path | None:
    """Write the settings; returns the path, or None when it cannot be written."""
    path = path or config_path()
    # A JSON string literal is a valid TOML basic string for any theme name.
    text = "# Settings of the briefing reader, written when you change them.\n"
    text += f"theme = {json.dumps(config.theme, ensure_ascii=True)}\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        return None
    return path
