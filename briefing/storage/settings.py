"""The reader's settings file.

``$XDG_CONFIG_HOME/briefing/config.toml`` (``~/.config/briefing/config.toml``
by default) holds the theme chosen from the command palette and, set by
hand, ``library``: the directory ``briefing`` opens when given no path
(``~`` is expanded; the default is ``$XDG_DATA_HOME/briefing/library``). A missing file
means defaults; a broken one (not TOML, too large, not a regular file) means
defaults too, and the reader says once why it was ignored. It is read like a
briefing (``storage.files``, ``format.limits``) and written like the cache: into a
directory only the user can write, through a new temporary file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from briefing.storage.files import Missing, Refused, private_directory, read_regular, write_private
from briefing.storage.paths import config_path, user_library_dir

DEFAULT_THEME = "textual-dark"
# A settings file is a line or two; anything larger is not one.
MAX_CONFIG_BYTES = 64 * 1024


class Config(NamedTuple):
    theme: str = DEFAULT_THEME
    # The user's library directory, when not the default one.
    library: str | None = None
    # Why the file on disk was not used, if it was not (never written back).
    problem: str | None = None


def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    try:
        data = read_regular(str(path), MAX_CONFIG_BYTES)
    except Missing:
        return Config()
    except Refused as refused:
        return Config(problem=f"{path} {refused}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Config(problem=f"{path} is not UTF-8 text")
    # Imported only when there is a file: the reader's start-up needs no TOML parser otherwise.
    from briefing.format.limits import TomlError, parse_toml

    try:
        document = parse_toml(text)
    except TomlError as error:
        return Config(problem=f"{path}:{error.line}:{error.column}: {error.message}")
    theme = document.get("theme", DEFAULT_THEME)
    library = document.get("library")
    if not (isinstance(theme, str) and theme):
        return Config(problem=f"{path}: `theme` must be the name of a theme")
    if library is not None and not (isinstance(library, str) and library and "\0" not in library):
        return Config(theme=theme, problem=f"{path}: `library` must be the path of a directory")
    return Config(theme=theme, library=library)


def library_root(config: Config | None = None) -> str:
    """The user's library: ``library`` in the settings (``~`` expanded), else ``$XDG_DATA_HOME/briefing/library``."""
    configured = (config or load_config()).library
    return os.path.expanduser(configured) if configured else user_library_dir()


def save_config(config: Config, path: Path | None = None) -> str | None:
    """Write the settings; None when written, else why not."""
    path = path or config_path()
    text = "# Settings of the briefing reader, written when you change them.\n"
    text += f"theme = {toml_string(config.theme)}\n"
    if config.library is not None:
        text += f"library = {toml_string(config.library)}\n"
    try:
        directory = private_directory(str(path.parent))
        write_private(directory, path.name, text.encode("utf-8"))
    except Refused as refused:
        return f"{path.parent} {refused}"
    except OSError as error:
        return f"{path}: {error.strerror or error}"
    return None


def toml_string(text: str) -> str:
    """A TOML basic string holding ``text`` exactly."""
    escaped = "".join(
        f"\\u{ord(char):04x}" if ord(char) < 0x20 or char == "\x7f" else "\\" + char if char in '"\\' else char
        for char in text
    )
    return f'"{escaped}"'
