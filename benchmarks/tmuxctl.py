"""Launch apps in a real terminal (tmux) and watch what they draw.

One private tmux server (its own socket, no user config, no status line) is
started per benchmark run and driven through a control-mode client
(``tmux -C``): every ``capture-pane`` is a line written to a pipe and costs
about 0.1 ms, where a ``tmux capture-pane`` subprocess costs 2–9 ms of fork
and exec on the same two cores as the app being measured. Polling every
2 ms therefore resolves the moment text appears to about 2 ms without
stealing much CPU from the app.

Each app is started by a tiny ``sh`` script (``exec env TERM=… python …``),
so the pane's process *is* the app's Python process: its pid is the pane pid,
and /proc/<pid>/status gives its memory.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


class TmuxError(RuntimeError):
    pass


class AppExited(TmuxError):
    """The app's process ended while it was being measured; ``screen`` is its last screen."""

    def __init__(self, message: str, screen: str) -> None:
        super().__init__(message)
        self.screen = screen


@dataclass
class Paint:
    """What one launch measured."""

    first_paint: float  # seconds from new-session to the needle on screen
    settled: float  # seconds from new-session to the last change before the screen held still
    hwm_kib: int  # VmHWM (peak RSS) when the needle appeared
    rss_kib: int  # VmRSS when the needle appeared
    settled_hwm_kib: int
    settled_rss_kib: int
    # Seconds from new-session until every one of the launch's ``complete`` needles is on screen.
    complete: float = 0.0
    screen: str = field(repr=False, default="")


def proc_memory(pid: int) -> tuple[int, int]:
    """(VmHWM, VmRSS) in KiB; (0, 0) when the process is gone."""
    hwm = rss = 0
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
                elif line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return hwm, rss


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            # A zombie (state Z) has exited; it only waits for tmux to reap it.
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Tmux:
    """A private tmux server with a control-mode client attached to an idle session."""

    def __init__(self, width: int = 120, height: int = 40, workdir: Path | None = None) -> None:
        self.width = width
        self.height = height
        self.socket = f"briefing-bench-{os.getpid()}"
        self.workdir = workdir or Path("/tmp")
        self.env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
        self._scripts: dict[tuple[str, ...], Path] = {}
        self._counter = 0
        self._run("-f", "/dev/null", "new-session", "-d", "-s", "keeper", "-x", str(width), "-y", str(height), "cat")
        self._run("set-option", "-g", "status", "off")
        self._run("set-option", "-g", "default-shell", "/bin/sh")
        # A pane whose app exits stays, with its last screen (a traceback), until killed.
        self._run("set-option", "-g", "remain-on-exit", "on")
        self.client = subprocess.Popen(
            ["tmux", "-L", self.socket, "-C", "attach-session", "-t", "keeper"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=self.env,
            bufsize=0,
        )
        assert self.client.stdout is not None
        self._out = self.client.stdout
        self._sync()

    # Plumbing

    def _run(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, env=self.env)
        if done.returncode:
            raise TmuxError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def _read_block(self) -> tuple[bool, str]:
        """The output block of the next command this client sent: (ok, text).

        Notifications in between are skipped, and so are blocks whose flags are
        not 1 (not sent by this client: the attach itself reports a block late).
        """
        lines: list[bytes] = []
        inside = ours = False
        while True:
            line = self._out.readline()
            if not line:
                raise TmuxError("tmux control client exited")
            if not inside:
                if line.startswith(b"%begin"):
                    inside, lines = True, []
                    ours = line.split()[-1] == b"1"
                continue
            if line.startswith(b"%end") or line.startswith(b"%error"):
                inside = False
                if ours:
                    return line.startswith(b"%end"), b"".join(lines).decode("utf-8", "replace")
                continue
            lines.append(line)

    def _sync(self) -> None:
        marker = f"bench-sync-{time.monotonic_ns()}"
        self._send(f"display-message -p {marker}")
        while marker not in self._read_block()[1]:
            pass

    def _send(self, command: str) -> None:
        assert self.client.stdin is not None
        self.client.stdin.write(command.encode() + b"\n")

    def command(self, command: str) -> str:
        """Run a tmux command through the control client; its output."""
        self._send(command)
        ok, text = self._read_block()
        if not ok:
            raise TmuxError(f"{command}: {text.strip()}")
        return text

    # Sessions

    def script(self, argv: list[str], env: dict[str, str | None]) -> Path:
        """A launcher: ``exec env [-u K] K=V … argv`` (no quoting games with tmux's parser).

        ``env`` values of None unset the variable.
        """
        key = (*argv, *sorted(f"{k}={v}" for k, v in env.items()))
        if key not in self._scripts:
            path = self.workdir / f"launch-{len(self._scripts)}.sh"
            unset = [f"-u {shlex.quote(k)}" for k, v in env.items() if v is None]
            assigns = [shlex.quote(f"{k}={v}") for k, v in env.items() if v is not None]
            path.write_text(f"#!/bin/sh\nexec env {' '.join([*unset, *assigns])} {shlex.join(argv)}\n")
            self._scripts[key] = path
        return self._scripts[key]

    def start(self, script: Path) -> tuple[str, int, float]:
        """Start ``script`` in a new detached session: (name, pid, start time)."""
        self._counter += 1
        name = f"s{self._counter}"
        command = (
            f"new-session -d -s {name} -x {self.width} -y {self.height} -P -F '#{{pane_pid}}' 'exec /bin/sh {script}'"
        )
        started = time.perf_counter()
        pid = int(self.command(command).strip())
        return name, pid, started

    def start_many(self, script: Path, count: int) -> list[tuple[str, int]]:
        """Start ``count`` sessions of ``script``, the commands in one write: (name, pid) per session."""
        names = []
        for _ in range(count):
            self._counter += 1
            names.append(f"s{self._counter}")
        answers = self.command_many(
            f"new-session -d -s {name} -x {self.width} -y {self.height} -P -F '#{{pane_pid}}' 'exec /bin/sh {script}'"
            for name in names
        )
        sessions = [(name, int(text.strip())) for name, (ok, text, _) in zip(names, answers, strict=True) if ok]
        if len(sessions) < count:
            for name, pid in sessions:
                self.kill(name, pid)
            raise TmuxError("; ".join(text.strip() for ok, text, _ in answers if not ok))
        return sessions

    def dead(self, name: str) -> bool:
        return self.command(f"display-message -p -t {name} '#{{pane_dead}}'").strip() == "1"

    def check_alive(self, name: str, what: str) -> None:
        if self.dead(name):
            raise AppExited(f"the app in {name} exited {what}", self.capture(name))

    def capture(self, name: str, styles: bool = False) -> str:
        """The pane's text; with ``styles``, its colours and attributes too (``-e``)."""
        return self.command(f"capture-pane -p {'-e ' if styles else ''}-t {name}")

    def command_many(self, commands: Iterable[str]) -> list[tuple[bool, str, float]]:
        """Run commands written at once, in one write: (ok, output, the moment it was read) per command.

        tmux answers in order, so many panes cost one round trip, not one per pane.
        """
        lines = list(commands)
        self._send("\n".join(lines))
        # Every answer is read, whatever happened, so the next command gets its own.
        return [(*self._read_block(), time.perf_counter()) for _ in lines]

    def capture_many(self, names: Sequence[str], styles: bool = False) -> list[tuple[str, float]]:
        """Each pane's text ("" for a pane that is gone) and the moment it was read."""
        flag = "-e " if styles else ""
        answers = self.command_many(f"capture-pane -p {flag}-t {name}" for name in names)
        return [(text if ok else "", seen) for ok, text, seen in answers]

    def server_pid(self) -> int:
        return int(self.command("display-message -p '#{pid}'").strip())

    def send_keys(self, name: str, *keys: str) -> None:
        self.command(f"send-keys -t {name} {' '.join(keys)}")

    def kill(self, name: str, pid: int) -> None:
        """End the session and wait until its app is gone (SIGKILL after 3 s)."""
        with contextlib.suppress(TmuxError):
            self.command(f"kill-session -t {name}")
        deadline = time.monotonic() + 3
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.005)
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.05)

    def wait_for(
        self, name: str, needle: str | Sequence[str], started: float, timeout: float = 30.0, poll: float = 0.002
    ) -> float:
        """Seconds from ``started`` until ``needle`` (or every one of several) is on screen."""
        needles = [needle] if isinstance(needle, str) else list(needle)
        deadline = started + timeout
        tick = time.perf_counter()
        polls = 0
        while True:
            now = time.perf_counter()
            screen = self.capture(name)
            if all(text in screen for text in needles):
                return now - started
            polls += 1
            if polls % 50 == 0:
                self.check_alive(name, f"before {needle!r} was on screen")
            if now > deadline:
                raise TmuxError(f"{needle!r} not on screen after {timeout} s:\n{self.capture(name)}")
            tick += poll
            delay = tick - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            else:
                tick = time.perf_counter()

    def wait_until_still(
        self, name: str, started: float, hold: float = 0.3, timeout: float = 10.0, styles: bool = True
    ) -> tuple[float, str]:
        """Seconds from ``started`` to the last change (text or style) before ``hold`` s of stillness."""
        last_text = self.capture(name, styles)
        last_change = time.perf_counter()
        deadline = last_change + timeout
        polls = 0
        while time.perf_counter() < deadline:
            time.sleep(0.002)
            polls += 1
            if polls % 50 == 0:
                self.check_alive(name, "while its screen was watched")
            text = self.capture(name, styles)
            now = time.perf_counter()
            if text != last_text:
                last_text, last_change = text, now
            elif now - last_change >= hold:
                break
        return last_change - started, last_text

    def paint(self, script: Path, needle: str, hold: float = 0.3, complete: Sequence[str] = ()) -> Paint:
        """Launch, time the needle's appearance (and the complete screen's), read memory, let it settle, kill."""
        name, pid, started = self.start(script)
        try:
            first = self.wait_for(name, needle, started)
            hwm, rss = proc_memory(pid)
            whole = self.wait_for(name, complete, started) if complete else first
            settled, screen = self.wait_until_still(name, started, hold=hold)
            settled_hwm, settled_rss = proc_memory(pid)
        finally:
            self.kill(name, pid)
        return Paint(first, max(first, settled), hwm, rss, settled_hwm, settled_rss, whole, screen)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            assert self.client.stdin is not None
            self.client.stdin.close()
            self.client.wait(timeout=2)
        with contextlib.suppress(TmuxError):
            self._run("kill-server")

    def __enter__(self) -> Tmux:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
