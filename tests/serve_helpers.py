"""``briefing serve ssh`` as a process, and the real OpenSSH client against it.

A ``Served`` is one server on 127.0.0.1 with directories of its own (config,
data, cache, a library holding the Sparta briefing), keys made with
``ssh-keygen`` for a few users, and its JSON log in a file the tests read.
The client is ``/usr/bin/ssh`` with no configuration of the machine's or
the user's (``-F /dev/null``, a home of its own, no agent unless asked).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pty_helpers import PATIENCE, Terminal

from briefing.storage.paths import default_briefing_path

SSH = shutil.which("ssh") or "/usr/bin/ssh"
SFTP = shutil.which("sftp") or "/usr/bin/sftp"
SSH_KEYGEN = shutil.which("ssh-keygen") or "/usr/bin/ssh-keygen"
SSH_AGENT = shutil.which("ssh-agent") or "/usr/bin/ssh-agent"

HEADLINE = "Russian Soldiers SCHEME As They Get STRANDED"


def free_port() -> int:
    """A port nothing listens on now (the kernel's pick), for the server to take."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status.rpartition(")")[2].split()[0] != "Z"


def wait_until(condition: Callable[[], Any], patience: float = PATIENCE, step: float = 0.1) -> Any:
    """Poll ``condition`` until it is true (returned) or patience runs out (its last value)."""
    deadline = time.monotonic() + patience
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(step)


def environ_of(pid: int) -> dict[str, str]:
    """The environment block of process ``pid`` as /proc shows it."""
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = (entry.decode("utf-8", "replace").partition("=") for entry in raw.split(b"\0") if entry)
    return {name: value for name, _, value in pairs}


class DrainedTerminal(Terminal):
    """A ``Terminal`` read all the time, by a thread of its own, whatever the test is doing.

    A terminal nobody reads fills up, and the ssh writing to it blocks: its
    session stalls, and with it everything else that ssh does (the other
    sessions of a multiplexed connection, a port it forwards, its answers to
    keepalives). Users' terminals are always read; so are these.
    """

    def __init__(self, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        self._changed = threading.Condition()
        self._closed = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        master = self.master
        while not self._stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every writer has closed the slave side
                chunk = b""
            with self._changed:
                self.output += chunk
                self._closed = not chunk
                self._changed.notify_all()
            if not chunk:
                return

    def _read(self, timeout: float) -> bool:
        """Wait up to ``timeout`` for more output; False once the program has closed the terminal."""
        with self._changed:
            before = len(self.output)
            if not self._closed:
                self._changed.wait_for(lambda: self._closed or len(self.output) != before, timeout)
            return not (self._closed and len(self.output) == before)

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()
        super().close()


class Served:
    """One ``briefing serve ssh`` process and what a client needs to reach it."""

    def __init__(
        self,
        root: Path,
        *flags: str,
        users: tuple[str, ...] = ("alice", "bob", "carol"),
        env: dict[str, str] | None = None,
    ) -> None:
        self.root = root
        self.port = free_port()
        self.config = root / "config"
        self.data = root / "data"
        self.cache = root / "cache"
        self.library = root / "library"
        self.home = root / "home"
        self.keys = root / "keys"
        self.log_path = root / "server.log"
        self.known_hosts = root / "known_hosts"
        for directory in (self.config / "briefing", self.data, self.cache, self.library, self.home, self.keys):
            directory.mkdir(parents=True, exist_ok=True)
        shutil.copy(default_briefing_path(), self.library / "sparta.toml")
        self.authorized_keys = self.config / "briefing" / "authorized_keys"
        self.authorized_keys.write_text("")
        for user in users:
            self.authorize(self.make_key(user))
        self.make_key("stranger")
        self.flags = flags
        self.extra_env = env or {}
        self.process: subprocess.Popen[bytes] | None = None
        self.stderr_path = root / "server.stderr"

    # The keys

    def make_key(self, name: str) -> Path:
        """A new ed25519 key pair, its comment ``name`` (the user it names once authorized); the private key's path."""
        key = self.keys / name
        subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
        return key

    def authorize(self, key: Path) -> None:
        with open(self.authorized_keys, "a") as keys:
            keys.write(Path(f"{key}.pub").read_text())

    def unauthorize(self, key: Path) -> None:
        line = Path(f"{key}.pub").read_text()
        self.authorized_keys.write_text(self.authorized_keys.read_text().replace(line, ""))

    # The server

    def start(self) -> Served:
        environment = {
            **{name: value for name, value in os.environ.items() if not name.startswith("XDG_")},
            "XDG_CONFIG_HOME": str(self.config),
            "XDG_DATA_HOME": str(self.data),
            "XDG_CACHE_HOME": str(self.cache),
            "PYTHONDONTWRITEBYTECODE": "1",
            **self.extra_env,
        }
        command = [
            sys.executable,
            "-m",
            "briefing",
            "serve",
            "ssh",
            "--library",
            str(self.library),
            "--listen",
            f"127.0.0.1:{self.port}",
            "--log",
            str(self.log_path),
            *self.flags,
        ]
        with open(self.stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(command, env=environment, stdin=subprocess.DEVNULL, stderr=stderr)
        listening = wait_until(lambda: self.events("listening") or self.process.poll() is not None)
        assert self.events("listening"), f"the server did not start: {self.stderr()}\n{self.log_text()}"
        assert listening
        return self

    def stop(self) -> int | None:
        """SIGTERM, then its exit status (None if it had to be killed)."""
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            return None
        finally:
            self.reap_readers()

    def reap_readers(self) -> None:
        """Whatever reader or warm process the server left behind is killed: no test leaves processes.

        Only processes known by their environment (``processes``): a pid from the log may be another's by now.
        """
        for pid in self.processes():
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    def processes(self) -> list[int]:
        """Every live process of this server's: itself, its warm process, every reader, ready or serving.

        They are known by the environment they were started with, which names this server's
        data directory (a forked reader shows its warm process's in /proc/PID/environ).
        """
        marker = f"XDG_DATA_HOME={self.data}".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                environment = (entry / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if marker in environment and alive(int(entry.name)):
                found.append(int(entry.name))
        return found

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # The log

    def events(self, name: str | None = None, *, after: int = 0) -> list[dict[str, Any]]:
        """The log's events (those named ``name``), from the ``after``-th line on."""
        found = []
        for line in self.log_text().splitlines()[after:]:
            with contextlib.suppress(ValueError):
                event = json.loads(line)
                if name is None or event.get("event") == name:
                    found.append(event)
        return found

    def mark(self) -> int:
        """Where the log is now: ``events(after=mark)`` is what came since."""
        return len(self.log_text().splitlines())

    def wait_event(self, name: str, *, after: int = 0, patience: float = PATIENCE, **fields: Any) -> dict[str, Any]:
        """The first event ``name`` since ``after`` with these fields, waited for."""

        def found() -> dict[str, Any] | None:
            for event in self.events(name, after=after):
                if all(event.get(key) == value for key, value in fields.items()):
                    return event
            return None

        event = wait_until(found, patience)
        assert event is not None, f"no {name} event with {fields} in the log:\n" + "\n".join(
            self.log_text().splitlines()[after:]
        )
        return event

    # The client

    def client_env(self, **extra: str) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.home),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            **extra,
        }

    def ssh_options(self, user: str = "alice", port_flag: str = "-p") -> list[str]:
        return [
            "-F",
            "/dev/null",
            port_flag,
            str(self.port),
            "-i",
            str(self.keys / user),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "IdentityAgent=none",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            f"UserKnownHostsFile={self.known_hosts}",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=30",
        ]

    def ssh(self, *args: str, user: str = "alice", options: list[str] | None = None) -> list[str]:
        """The ssh command line to this server: ``options`` before the host, ``args`` after."""
        return [SSH, *self.ssh_options(user), *(options or []), "127.0.0.1", *args]

    def run(
        self, *args: str, user: str = "alice", options: list[str] | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """ssh without a terminal (stdin from /dev/null), to the end: its status, stdout and stderr."""
        return subprocess.run(
            self.ssh(*args, user=user, options=options),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=env or self.client_env(),
            timeout=PATIENCE * 2,
        )

    def terminal(
        self,
        *args: str,
        user: str = "alice",
        options: list[str] | None = None,
        size: tuple[int, int] = (100, 30),
        env: dict[str, str] | None = None,
        stderr: Path | None = None,
    ) -> Terminal:
        """ssh on a real pseudo-terminal, as a user at a terminal starts it; its stderr to a file if given."""
        command = self.ssh(*args, user=user, options=options)
        environment = env or self.client_env()
        if stderr is None:
            return DrainedTerminal(command[1:], environment, size=size, program=command[:1])
        # The shell becomes ssh (exec: the same process), its standard error in the file.
        wrapper = ["/bin/sh", "-c", 'exec "$@" 2>"$SSH_STDERR"', "sh", command[0]]
        return DrainedTerminal(command[1:], {**environment, "SSH_STDERR": str(stderr)}, size=size, program=wrapper)

    def user_dir(self, user: str) -> Path:
        found = list((self.data / "briefing" / "served-users").glob(f"{user}-*"))
        assert len(found) == 1, found
        return found[0]


@contextlib.contextmanager
def serving(root: Path, *flags: str, **options: Any) -> Iterator[Served]:
    server = Served(root, *flags, **options)
    try:
        yield server.start()
    finally:
        server.stop()


@contextlib.contextmanager
def session(server: Served, *args: str, **options: Any) -> Iterator[Terminal]:
    """A terminal running ssh to ``server``, killed at the end whatever happened."""
    terminal = server.terminal(*args, **options)
    try:
        yield terminal
    finally:
        terminal.kill()
        terminal.close()
