"""The server's settings, declared once: each is a flag of ``briefing serve ssh`` and a key of ``serve.toml``.

``$XDG_CONFIG_HOME/briefing/serve.toml`` (or ``--config FILE``) holds keys
spelt as the flags are, without the dashes in front: ``max-sessions = 20``.
A flag given on the command line wins over the file; SIGHUP reads the file
again (the listening address and the host key stay as they were).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from briefing.format.safetext import one_line
from briefing.storage.files import Missing, Refused, read_regular
from briefing.storage.paths import config_path, data_dir

MAX_SETTINGS_BYTES = 64 * 1024


class SettingsError(Exception):
    """A setting that cannot be used, in words for the operator (``file:key: why``)."""


@dataclass(frozen=True)
class ServeSettings:
    listen: str = "127.0.0.1:2222"
    library: str | None = None  # None: the user's library, with the bundled briefings
    authorized_keys: str = ""  # "": authorized_keys in the config directory
    host_key: str = ""  # "": ssh_host_ed25519_key in the data directory, made once
    log: str = "-"  # "-": standard error
    truecolor: bool = False
    max_sessions: int = 20
    max_sessions_per_user: int = 3
    max_sessions_per_address: int = 6
    login_timeout: float = 30.0
    idle_timeout: float = 1800.0
    session_lifetime: float = 8 * 3600.0
    auth_failures: int = 5
    auth_failure_window: float = 60.0
    max_auth_tries: int = 6
    max_logins_per_address: int = 30
    keepalive_interval: float = 15.0
    keepalive_count: int = 3
    shutdown_grace: float = 10.0
    pool_size: int = 2

    @property
    def host(self) -> str:
        return split_listen(self.listen)[0]

    @property
    def port(self) -> int:
        return split_listen(self.listen)[1]

    def authorized_keys_path(self) -> str:
        return self.authorized_keys or str(config_path().parent / "authorized_keys")

    def host_key_path(self) -> str:
        return self.host_key or os.path.join(data_dir(), "ssh_host_ed25519_key")


@dataclass(frozen=True)
class Setting:
    """One setting: its field of ``ServeSettings``, how its text is read, and its help."""

    name: str  # the field; the flag is --name with dashes, the key the same without them
    parse: Callable[[str], Any]
    help: str
    metavar: str = ""
    reloadable: bool = True

    @property
    def flag(self) -> str:
        return "--" + self.key

    @property
    def is_switch(self) -> bool:
        """A flag that takes no value (``--truecolor``); in the file, true or false."""
        return self.parse is _boolean

    @property
    def described(self) -> str:
        """The help, with the default read from ``ServeSettings`` (a help that words its own default keeps it)."""
        if "(default:" in self.help or self.is_switch:
            return self.help
        return f"{self.help} (default: {shown_default(getattr(ServeSettings(), self.name), self.parse)})"

    @property
    def key(self) -> str:
        return self.name.replace("_", "-")


def split_listen(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:2222`` for IPv6) as (host, port)."""
    host, sep, port = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not host:  # "[]:22" too: an empty host would listen on every address
        raise ValueError(f"{text!r} is not HOST:PORT")
    number = _integer(port)
    if not 0 < number < 65536:
        raise ValueError(f"port {number} is not between 1 and 65535")
    return host, number


def _listen(text: str) -> str:
    split_listen(text)
    return text


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None


def _count(text: str) -> int:
    number = _integer(text)
    if not 0 < number <= 100_000:
        raise ValueError(f"{number} is not between 1 and 100000")
    return number


def _pool(text: str) -> int:
    number = _integer(text)
    if not 0 <= number <= 64:
        raise ValueError(f"{number} is not between 0 and 64")
    return number


def _seconds(text: str) -> float:
    """Seconds, or with a unit: ``90``, ``90s``, ``15m``, ``8h``."""
    units = {"s": 1.0, "m": 60.0, "h": 3600.0}
    scale = units.get(text[-1:].lower(), 0.0)
    number = text[:-1] if scale else text
    try:
        value = float(number) * (scale or 1.0)
    except ValueError:
        raise ValueError(f"{text!r} is not a time (seconds, or 15m, 8h)") from None
    if not 0 < value <= 7 * 24 * 3600:
        raise ValueError(f"{text!r} must be more than 0 s and at most 7 days")
    return value


def shown_default(value: Any, parse: Callable[[str], Any]) -> str:
    """A default as one would write it: 20, 30s, 30m, 8h."""
    if parse is not _seconds:
        return str(value)
    seconds = float(value)
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g}h"
    if seconds >= 120 and seconds % 60 == 0:
        return f"{seconds / 60:g}m"
    return f"{seconds:g}s"


def _path(text: str) -> str:
    if not text or "\0" in text:
        raise ValueError("not a path")
    return os.path.expanduser(text)


def _boolean(text: str) -> bool:
    if text.lower() in ("true", "yes", "1", "on"):
        return True
    if text.lower() in ("false", "no", "0", "off"):
        return False
    raise ValueError(f"{text!r} is not true or false")


SETTINGS: tuple[Setting, ...] = (
    Setting("listen", _listen, "address to listen on", "HOST:PORT", reloadable=False),
    Setting(
        "library",
        _path,
        "the library served (default: your library, with the bundled briefings)",
        "DIR",
        reloadable=False,
    ),
    Setting(
        "authorized_keys",
        _path,
        "public keys allowed in, one per line; the comment names the user (default: authorized_keys "
        "in the config directory); re-read when it changes",
        "FILE",
    ),
    Setting(
        "host_key",
        _path,
        "the server's private key (default: made once, ed25519, mode 0600, in the data directory)",
        "FILE",
        reloadable=False,
    ),
    Setting("log", _path, "where the JSON log lines go (default: standard error)", "FILE", reloadable=False),
    Setting("truecolor", _boolean, "draw in 24-bit colour whatever TERM says (SSH does not forward COLORTERM)"),
    Setting("max_sessions", _count, "sessions open at once, in all", "N"),
    Setting("max_sessions_per_user", _count, "sessions open at once for one user", "N"),
    Setting("max_sessions_per_address", _count, "sessions open at once from one address", "N"),
    Setting("login_timeout", _seconds, "time to authenticate", "TIME", reloadable=False),
    Setting("idle_timeout", _seconds, "a session with no key typed for this long ends", "TIME"),
    Setting("session_lifetime", _seconds, "a session ends after this long, however busy", "TIME"),
    Setting(
        "auth_failures",
        _count,
        "failed logins from one address within --auth-failure-window before it is refused",
        "N",
    ),
    Setting("auth_failure_window", _seconds, "the window failed logins are counted in", "TIME"),
    Setting("max_auth_tries", _count, "keys one connection may offer before it is closed", "N"),
    Setting(
        "max_logins_per_address",
        _count,
        "connections from one address still logging in at once; more are turned away at once",
        "N",
    ),
    Setting("keepalive_interval", _seconds, "time between keepalives to a silent client", "TIME"),
    Setting("keepalive_count", _count, "keepalives unanswered before the client is dropped", "N"),
    Setting("shutdown_grace", _seconds, "on SIGTERM, how long open sessions have to finish", "TIME"),
    Setting("pool_size", _pool, "readers kept forked and ready for the next sessions", "N"),
)

BY_KEY: Mapping[str, Setting] = {setting.key: setting for setting in SETTINGS}
assert {setting.name for setting in SETTINGS} == {field.name for field in fields(ServeSettings)}


def default_settings_path() -> Path:
    return config_path().parent / "serve.toml"


def read_settings_file(path: Path, *, required: bool) -> dict[str, Any]:
    """The values a settings file sets, checked; ``SettingsError`` with ``file:key: why`` when one is wrong."""
    try:
        data = read_regular(str(path), MAX_SETTINGS_BYTES)
    except Missing:
        if required:
            raise SettingsError(f"{path}: no such file") from None
        return {}
    except Refused as refused:
        raise SettingsError(f"{path} {refused}") from None
    from briefing.format.limits import TomlError, parse_toml

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: not UTF-8 text") from None
    try:
        document = parse_toml(text)
    except TomlError as error:
        raise SettingsError(f"{path}:{error.line}:{error.column}: {error.message}") from None
    values: dict[str, Any] = {}
    for key, raw in document.items():
        setting = BY_KEY.get(key)
        if setting is None:
            raise SettingsError(f"{path}: {one_line(key)}: not a setting (the settings are those of --help)")
        boolean = setting.is_switch
        # A list, a table or a date is no setting's value (its str() could pass for a path); true is only truecolor's.
        if not isinstance(raw, (int, float, str)) or (isinstance(raw, bool) and not boolean):
            expected = "true or false" if boolean else "a number or a string"
            raise SettingsError(f"{path}: {key}: expected {expected}, found {_toml_type(raw)}")
        text = str(raw).lower() if isinstance(raw, bool) else str(raw)
        try:
            values[setting.name] = setting.parse(text)
        except ValueError as error:
            raise SettingsError(f"{path}: {key}: {error}") from None
    return values


def _toml_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return "a date or time"


def resolve(file_values: Mapping[str, Any], flag_values: Mapping[str, Any]) -> ServeSettings:
    """Defaults, then the file, then the flags given."""
    return replace(ServeSettings(), **{**file_values, **flag_values})


def reloaded(current: ServeSettings, file_values: Mapping[str, Any], flag_values: Mapping[str, Any]) -> ServeSettings:
    """The settings after SIGHUP: what may change at run time changes; the address and host key stay."""
    fresh = resolve(file_values, flag_values)
    kept = {setting.name: getattr(current, setting.name) for setting in SETTINGS if not setting.reloadable}
    return replace(fresh, **kept)
