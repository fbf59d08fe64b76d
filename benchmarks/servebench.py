"""`briefing serve ssh` from the client's side: the real OpenSSH client in tmux, on loopback.

One server is started per benchmark run (not measured), with session limits
high enough never to refuse a benchmark session, and its JSON log is followed
(``ServerLog``): ``session_start`` names each session's reader process, and
``session_end`` says it has gone. Every SSH pane is ended (the pane's ``ssh``
gone *and* the session's ``session_end`` logged) before the next launch, so
sessions never pile up.

* ``first_paints``: each contender launched in a new tmux session at 120x40,
  timed from ``new-session`` to its complete screen, interleaved (ABAB…), as
  the other first paints (paint.py); once the screen has held still for 1 s
  the memory of the process behind it is read: the pane's own process for a
  local ``briefing``, the session's reader (forked from the server's warm
  process) for ``ssh``.
* ``burst``: ``count`` sessions started at one moment: their panes are created
  first, each held at a gate (``read``) in front of its ``ssh``, then every
  pane is sent Enter in one write through the tmux control client, and every
  pane polled with one pipelined round of ``capture-pane`` commands; each
  session is timed from that write to its complete screen. A burst of one is
  the single-session baseline, measured by the same code.
* ``idle_sessions``: ``count`` sessions open at once and idle; each reader's
  memory.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import BRIEFING, PYTHON, SPARTA, alternate, child_env
from benchmarks.tmuxctl import AppExited, Tmux, TmuxError, proc_memory

# Limits high enough that no benchmark session is ever refused (all of them come from one user at one address).
LIMITS = (
    "--max-sessions",
    "200",
    "--max-sessions-per-user",
    "200",
    "--max-sessions-per-address",
    "200",
    "--max-logins-per-address",
    "200",
)
# How long a screen must hold still before its memory is read: the session is idle.
IDLE = 1.0
# Between polling rounds: this long for each pane still waiting, at most POLL_CAP. One pane is polled
# every 2 ms, as in paint.py; 50 every 100 ms (a round of 50 captures costs about 6 ms).
POLL_PER_PANE = 0.002
POLL_CAP = 0.1
# An ended session's session_end must be in the log within this long.
END_TIMEOUT = 15.0


@dataclass(frozen=True)
class Memory:
    """KiB, from /proc/<pid>/smaps_rollup; USS = Private_Clean + Private_Dirty."""

    rss: int
    pss: int
    uss: int


def smaps_memory(pid: int) -> Memory:
    fields: dict[str, int] = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            parts = line.split()
            if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                fields[parts[0][:-1]] = int(parts[1])
    return Memory(fields["Rss"], fields["Pss"], fields["Private_Clean"] + fields["Private_Dirty"])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat") as stat:
        parts = stat.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy (all cores, not idle or waiting on I/O), from /proc/stat."""
    with open("/proc/stat") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def _cpu_or_zero(pid: int) -> float:
    try:
        return cpu_seconds(pid)
    except OSError:
        return 0.0


def children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listed:
                found += [int(child) for child in listed.read().split()]
    return found


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


class ServerLog:
    """The server's JSON log, read as it grows."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.events: list[dict[str, Any]] = []
        self._offset = 0
        self._partial = b""

    def poll(self) -> None:
        with contextlib.suppress(FileNotFoundError), open(self.path, "rb") as stream:
            stream.seek(self._offset)
            data = stream.read()
            self._offset += len(data)
            lines = (self._partial + data).split(b"\n")
            self._partial = lines.pop()
            for line in lines:
                with contextlib.suppress(ValueError):
                    self.events.append(json.loads(line))

    def mark(self) -> int:
        """A place in the log: the events after it are the ones still to come."""
        self.poll()
        return len(self.events)

    def since(self, mark: int, event: str) -> list[dict[str, Any]]:
        self.poll()
        return [e for e in self.events[mark:] if e.get("event") == event]

    def wait(self, event: str, after: int, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The first ``count`` events named ``event`` after ``after``, waiting for them."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.since(after, event)
            if len(found) >= count:
                return found[:count]
            if time.monotonic() > deadline:
                raise TmuxError(f"{count} {event} event(s) not in {self.path} after {timeout} s (found {len(found)})")
            time.sleep(0.005)

    def wait_ended(self, after: int, timeout: float = END_TIMEOUT) -> float:
        """Wait until every session started after ``after`` has its session_end, and its reader is gone."""
        started = time.perf_counter()
        deadline = time.monotonic() + timeout
        while True:
            begun = {e["session"]: e.get("pid") for e in self.since(after, "session_start")}
            ended = {e["session"] for e in self.since(after, "session_end")}
            if begun.keys() <= ended and all(pid is None or _gone(pid) for pid in begun.values()):
                return time.perf_counter() - started
            if time.monotonic() > deadline:
                raise TmuxError(f"sessions {sorted(begun.keys() - ended)} still open {timeout} s after their end")
            time.sleep(0.005)


class Server:
    """``briefing serve ssh`` on a free loopback port, its own config and data directories, one user key."""

    def __init__(self, workdir: Path, library: Path) -> None:
        self.dir = workdir / "serve"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.library = library
        self.key = self.dir / "alice"
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", str(self.key)],
            check=True,
            capture_output=True,
        )
        self.authorized = self.dir / "authorized_keys"
        self.authorized.write_bytes(Path(f"{self.key}.pub").read_bytes())
        self.known_hosts = self.dir / "known_hosts"
        self.log = ServerLog(self.dir / "server.log")
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.pid = 0
        self.warm_pid = 0
        self.warm_seconds = 0.0
        self.started_in = 0.0

    def start(self) -> None:
        for _ in range(5):
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                self.port = probe.getsockname()[1]
            argv = [
                PYTHON,
                BRIEFING,
                "serve",
                "ssh",
                "--library",
                str(self.library),
                "--listen",
                f"127.0.0.1:{self.port}",
                "--log",
                str(self.log.path),
                "--authorized-keys",
                str(self.authorized),
                "--host-key",
                str(self.dir / "host_key"),
                "--shutdown-grace",
                "1s",
                *LIMITS,
            ]
            env = child_env({"XDG_CONFIG_HOME": str(self.dir / "config"), "XDG_DATA_HOME": str(self.dir / "data")})
            begun = time.perf_counter()
            mark = self.log.mark()
            stderr = open(self.dir / "server.stderr", "ab")  # noqa: SIM115 (kept open for the server's life)
            self.process = subprocess.Popen(
                argv, env=env, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr, start_new_session=True
            )
            stderr.close()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and self.process.poll() is None:
                listening = self.log.since(mark, "listening")
                if listening:
                    self.started_in = time.perf_counter() - begun
                    self.pid = int(listening[0]["pid"])
                    warm = self.log.since(mark, "warm")
                    if warm:
                        self.warm_pid = int(warm[0]["pid"])
                        self.warm_seconds = float(warm[0].get("seconds") or 0)
                    return
                time.sleep(0.01)
            if self.process.poll() is None:
                self.stop()
                raise RuntimeError(f"briefing serve ssh did not listen within 60 s: see {self.dir / 'server.stderr'}")
            if "address already in use" not in (self.dir / "server.stderr").read_text(errors="replace"):
                raise RuntimeError(
                    f"briefing serve ssh exited {self.process.returncode}:\n"
                    + (self.dir / "server.stderr").read_text(errors="replace")[-2000:]
                )
        raise RuntimeError("no free port for briefing serve ssh after 5 tries")

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def ssh(self, command: str | None = None) -> list[str]:
        """The OpenSSH client's command line for a session: the library, or (``-t``) one briefing by name."""
        argv = [
            "ssh",
            "-F",
            "none",
            "-p",
            str(self.port),
            "-i",
            str(self.key),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            f"UserKnownHostsFile={self.known_hosts}",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ControlPath=none",
        ]
        if command is None:
            return [*argv, "localhost"]
        return [*argv, "-t", "localhost", command]


@dataclass(frozen=True)
class Launch:
    argv: Sequence[str]
    needle: str  # the first paint
    complete: Sequence[str]  # every one on screen: the complete screen
    served: bool  # an ssh session: its memory is its reader's


@dataclass
class SessionPaint:
    first_paint: float  # seconds from new-session to the needle
    complete: float  # to the complete screen
    settled: float  # to the last change before the screen held still for IDLE
    memory: Memory  # the process behind the screen, once idle
    vm_rss: int  # its VmRSS (KiB), from /proc/<pid>/status
    children: int  # processes of its own (a local reader's workers), not counted in its memory
    ended: float = 0.0  # seconds from killing the pane until the session's end is logged (ssh only)
    screen: str = field(repr=False, default="")


def session_paint(tmux: Tmux, server: Server, launch: Launch, script: Path) -> SessionPaint:
    mark = server.log.mark()
    name, pid, started = tmux.start(script)
    try:
        first = tmux.wait_for(name, launch.needle, started)
        whole = tmux.wait_for(name, launch.complete, started)
        settled, screen = tmux.wait_until_still(name, started, hold=IDLE, styles=True)
        process = server.log.wait("session_start", after=mark)[0]["pid"] if launch.served else pid
        memory = smaps_memory(process)
        rss = proc_memory(process)[1]
        kids = len(children(process))
    finally:
        killed = time.perf_counter()
        tmux.kill(name, pid)
        server.log.wait_ended(mark)
        ended = time.perf_counter() - killed
    return SessionPaint(first, whole, max(whole, settled), memory, rss, kids, ended, screen)


def first_paints(
    tmux: Tmux, server: Server, launches: dict[str, Launch], runs: int, env: dict[str, str | None]
) -> dict[str, list[SessionPaint]]:
    """Each launch ``runs`` times, interleaved, after one unrecorded warm-up launch each."""
    contenders: dict[str, Callable[[], object]] = {
        name: functools.partial(session_paint, tmux, server, launch, tmux.script(list(launch.argv), env))
        for name, launch in launches.items()
    }
    return alternate(runs, contenders)


@dataclass
class Burst:
    count: int
    times: list[float]  # seconds from the start (the gates opened) to each complete screen, the served ones
    failures: list[tuple[str, str]]  # (why, last screen) of the sessions never complete
    released_in: float  # seconds from the start until tmux had sent every pane its Enter
    rounds: int  # polling rounds (one capture of every pane still waiting each)
    round_seconds: float  # the mean round
    # CPU seconds, from the start to the last complete screen, by who used them: the readers, the ssh
    # clients, the SSH server, its warm process (forking), tmux, this process (the polling), and the rest
    # of the machine's busy time (the kernel, other processes; the exits of readers forked and ended).
    cpu: dict[str, float]
    wall: float  # from the start to the last complete screen
    ended: float  # from killing the panes until every session's end was logged


# Shown by a pane held at its gate.
GATE = "held at the gate"


def gated(script: Path) -> Path:
    """``script`` held at a gate: it goes on when its pane gets a line (Enter), so many can start at one moment."""
    path = script.with_name(f"{script.stem}-gated.sh")
    body = script.read_text().split("\n", 1)[1]  # what follows the shebang: exec env … argv
    path.write_text(f"#!/bin/sh\necho '{GATE}'\nread go\n{body}")
    return path


def _open_gates(tmux: Tmux, names: Sequence[str], timeout: float = 30.0) -> tuple[float, float]:
    """Wait until every pane is held at its gate, then send them all Enter in one write: (start, released in)."""
    deadline = time.perf_counter() + timeout
    while not all(GATE in screen for screen, _seen in tmux.capture_many(names)):
        if time.perf_counter() > deadline:
            raise TmuxError(f"the panes were not all at their gates after {timeout} s")
        time.sleep(0.01)
    started = time.perf_counter()
    answers = tmux.command_many(f"send-keys -t {name} Enter" for name in names)
    return started, max(seen for _ok, _text, seen in answers) - started


def _poll(
    tmux: Tmux, names: Sequence[str], started: float, needles: Sequence[str], timeout: float
) -> tuple[dict[str, float], dict[str, str], int, float]:
    """Poll every pane until its complete screen: (times, failures with screens, rounds, seconds polling)."""
    pending = list(names)
    done: dict[str, float] = {}
    failed: dict[str, str] = {}
    rounds = 0
    polling = 0.0
    deadline = time.perf_counter() + timeout
    while pending:
        begun = time.perf_counter()
        for name, (screen, seen) in zip(list(pending), tmux.capture_many(pending), strict=True):
            if all(text in screen for text in needles):
                done[name] = seen - started
                pending.remove(name)
        polling += time.perf_counter() - begun
        rounds += 1
        if rounds % 25 == 0 or time.perf_counter() > deadline:
            for name in list(pending):
                try:
                    tmux.check_alive(name, "before its complete screen")
                except AppExited as exited:
                    failed[name] = f"{exited}\n{exited.screen}"
                    pending.remove(name)
            if time.perf_counter() > deadline:
                for name in pending:
                    failed[name] = f"not complete after {timeout} s\n{tmux.capture(name)}"
                break
        # 2 ms a pane: the polling's own CPU (this process's and tmux's) stays a small share of the burst's.
        time.sleep(min(POLL_CAP, POLL_PER_PANE * len(pending)))
    return done, failed, rounds, polling


def _kill_all(tmux: Tmux, sessions: Sequence[tuple[str, int]]) -> None:
    for name, _pid in sessions:
        with contextlib.suppress(TmuxError):
            tmux.command(f"kill-session -t {name}")
    for name, pid in sessions:
        tmux.kill(name, pid)  # waits for the pane's process to go (SIGKILL after 3 s)


def burst(tmux: Tmux, server: Server, script: Path, needles: Sequence[str], count: int) -> Burst:
    """``count`` sessions started at one moment, each timed to its complete screen; then all ended."""
    sessions = tmux.start_many(gated(script), count)
    names = [name for name, _pid in sessions]
    mark = server.log.mark()
    try:
        steady = {"SSH server": server.pid, "warm process": server.warm_pid, "tmux": tmux.server_pid()}
        cpu_before = {who: cpu_seconds(pid) for who, pid in steady.items()}
        own_before = time.process_time()
        busy_before = machine_busy()
        started, released_in = _open_gates(tmux, names)
        done, failed, rounds, polling = _poll(tmux, names, started, needles, timeout=60.0 + count)
        wall = time.perf_counter() - started
        # Readers and clients are new processes: all their CPU time is this burst's.
        readers = [int(event["pid"]) for event in server.log.since(mark, "session_start")]
        cpu = {
            "readers": sum(_cpu_or_zero(pid) for pid in readers),
            "ssh clients": sum(_cpu_or_zero(pid) for _name, pid in sessions),
            **{who: cpu_seconds(pid) - cpu_before[who] for who, pid in steady.items()},
            "runner": time.process_time() - own_before,
        }
        cpu["everything else"] = machine_busy() - busy_before - sum(cpu.values())
    finally:
        killed = time.perf_counter()
        _kill_all(tmux, sessions)
        server.log.wait_ended(mark, timeout=END_TIMEOUT + count)
        ended = time.perf_counter() - killed
    return Burst(
        count,
        [done[name] for name in names if name in done],
        [(why.split("\n", 1)[0], why.split("\n", 1)[-1]) for why in failed.values()],
        released_in,
        rounds,
        polling / rounds if rounds else 0.0,
        cpu,
        wall,
        ended,
    )


def bursts(
    tmux: Tmux,
    server: Server,
    argv: Sequence[str],
    needles: Sequence[str],
    env: dict[str, str | None],
    count: int,
    singles: int,
) -> tuple[list[Burst], Burst, list[Burst]]:
    """Single sessions before, the burst of ``count``, single sessions after; one warm-up session first."""
    script = tmux.script(list(argv), env)
    burst(tmux, server, script, needles, 1)
    before = [burst(tmux, server, script, needles, 1) for _ in range(singles)]
    many = burst(tmux, server, script, needles, count)
    after = [burst(tmux, server, script, needles, 1) for _ in range(singles)]
    return before, many, after


@dataclass
class Idle:
    count: int
    readers: list[Memory]  # each session's reader, all open and idle
    warm: Memory  # the server's warm process, at the same moment
    server: Memory  # the SSH server process itself


def idle_sessions(
    tmux: Tmux, server: Server, argv: Sequence[str], needles: Sequence[str], env: dict[str, str | None], count: int
) -> Idle:
    """``count`` sessions open at once, each on its complete screen and idle; the memory of each reader."""
    sessions = tmux.start_many(gated(tmux.script(list(argv), env)), count)
    names = [name for name, _pid in sessions]
    mark = server.log.mark()
    try:
        started, _released_in = _open_gates(tmux, names)
        _done, failed, _rounds, _polling = _poll(tmux, names, started, needles, timeout=60.0)
        if failed:
            raise TmuxError(f"{len(failed)} of {count} idle sessions never complete: {next(iter(failed.values()))}")
        _wait_all_still(tmux, names, IDLE)
        pids = [int(event["pid"]) for event in server.log.wait("session_start", after=mark, count=count)]
        readers = [smaps_memory(pid) for pid in pids]
        warm = smaps_memory(server.warm_pid)
        own = smaps_memory(server.pid)
    finally:
        _kill_all(tmux, sessions)
        server.log.wait_ended(mark, timeout=END_TIMEOUT + count)
    return Idle(count, readers, warm, own)


def _wait_all_still(tmux: Tmux, names: Sequence[str], hold: float, timeout: float = 30.0) -> None:
    last = [screen for screen, _ in tmux.capture_many(names, styles=True)]
    changed = time.perf_counter()
    deadline = changed + timeout
    while time.perf_counter() < deadline:
        time.sleep(0.01)
        now = [screen for screen, _ in tmux.capture_many(names, styles=True)]
        if now != last:
            last, changed = now, time.perf_counter()
        elif time.perf_counter() - changed >= hold:
            return


def library(workdir: Path) -> Path:
    """A library directory of its own holding the Sparta briefing: the one both sides open."""
    directory = workdir / "serve-library"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sparta.toml").write_bytes(Path(SPARTA).read_bytes())
    return directory
