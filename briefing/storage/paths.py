"""Where briefing keeps things: the bundled briefing, the cache, the settings.

The cache and the settings follow the platform's conventions
(``platformdirs``): ``$XDG_CACHE_HOME/briefing`` and
``$XDG_CONFIG_HOME/briefing`` on Linux, ``~/.cache`` and ``~/.config`` when
those are not set.
"""

from __future__ import annotations

from pathlib import Path

APP_NAME = "briefing"


def cache_dir() -> str:
    from platformdirs import user_cache_dir

    return user_cache_dir(APP_NAME, appauthor=False)


def config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_briefing_path() -> Path:
    """The Sparta briefing shipped inside the package (or the checkout's copy)."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "content" / "sparta.toml"
    if packaged.is_file():
        return packaged
    # Editable installs and source checkouts: content/ lives beside the package.
    return package.parent / "content" / "sparta.toml"
