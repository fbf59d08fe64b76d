"""Where briefing keeps things: the bundled briefing, the cache, the settings, the review.

The cache, the settings and the review store follow the platform's
conventions (``platformdirs``): ``$XDG_CACHE_HOME/briefing``,
``$XDG_CONFIG_HOME/briefing`` and ``$XDG_DATA_HOME/briefing`` on Linux
(``~/.cache``, ``~/.config`` and ``~/.local/share`` when those are not set).
The cache can be thrown away; the review store is the user's work and is not
in the cache directory for that reason.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "briefing"


def cache_dir() -> str:
    from platformdirs import user_cache_dir

    return user_cache_dir(APP_NAME, appauthor=False)


def config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def data_dir() -> str:
    """Where the analyst's own things live: the library and the review store."""
    from platformdirs import user_data_dir

    return user_data_dir(APP_NAME, appauthor=False)


def user_library_dir() -> str:
    """The library ``briefing`` opens when given no path (``library`` in the settings overrides it)."""
    return os.path.join(data_dir(), "library")


def bundled_content_dir() -> Path:
    """The directory of the briefings shipped with briefing (always in the user's library)."""
    return default_briefing_path().parent


def default_briefing_path() -> Path:
    """The Sparta briefing shipped inside the package (or the checkout's copy)."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "content" / "sparta.toml"
    if packaged.is_file():
        return packaged
    # Editable installs and source checkouts: content/ lives beside the package.
    return package.parent / "content" / "sparta.toml"


def review_store_path() -> Path:
    """The review store: what the user read, flagged, noted and graded (``storage.review``)."""
    return Path(data_dir()) / "review.sqlite3"
