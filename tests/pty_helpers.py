"""The installed ``briefing`` command in a real pseudo-terminal, as a user starts it.

A ``Terminal`` runs the console script on the slave side of a pty and keeps
every byte it writes, so tests can read the screen's text, the escape
sequences (the OSC 52 copy, the modes set and reset) and the exit status.
"""

from __future__ import annotations

import base64
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
from pathlib import Path

BRIEFING = Path(sys.executable).with_name("briefing")
# Patience, not a performance bar: how long to wait for the screen before failing.
PATIENCE = 30.0

_SEQUENCE = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)
_PRIVATE_MODE = re.compile(rb"\x1b\[\?([0-9;]+)([hl])")
_OSC52 = re.compile(rb"\x1b\]52;[a-z]*;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)")


class Terminal:
    def __init__(
        self,
        args: list[str],
        env: dict[str, str],
        *,
        size: tuple[int, int] = (100, 30),
        program: list[str] | None = None,
    ) -> None:
        """``program`` is the command ``args`` follow: the console script by default."""
        self.master, slave = os.openpty()
        self.resize(*size, fd=slave)
        self.output = b""
        self.process = subprocess.Popen(
            [*(program or [str(BRIEFING)]), *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)

    def resize(self, columns: int, rows: int, *, fd: int | None = None) -> None:
        fcntl.ioctl(self.master if fd is None else fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        if fd is None:
            self.process.send_signal(signal.SIGWINCH)

    def _read(self, timeout: float) -> bool:
        """Take what the program wrote; False when it has closed the terminal."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: every writer has closed the slave side
            return False
        self.output += chunk
        return bool(chunk)

    def read(self, timeout: float = 0.05) -> bool:
        """Take what the program wrote within ``timeout``; False once it has closed the terminal."""
        return self._read(timeout)

    def wait_for(self, needle: str | bytes, *, after: int = 0) -> bool:
        """Read until ``needle`` is in the text (a str) or the bytes (bytes) written after ``after``."""
        deadline = _now() + PATIENCE
        while _now() < deadline:
            if self._found(needle, after):
                return True
            if not self._read(0.05):
                break
        return self._found(needle, after)

    def settle(self, quiet: float = 0.5) -> None:
        """Read until the program has written nothing for ``quiet`` seconds: the screen is complete."""
        deadline = _now() + PATIENCE
        while _now() < deadline:
            before = len(self.output)
            if not self._read(quiet) or len(self.output) == before:
                return

    def _found(self, needle: str | bytes, after: int) -> bool:
        if isinstance(needle, bytes):
            return needle in self.output[after:]
        return needle in screen_text(self.output[after:])

    def send(self, keys: str) -> int:
        """Type ``keys``; returns how much output there was before, for ``wait_for(after=…)``."""
        mark = len(self.output)
        os.write(self.master, keys.encode())
        return mark

    def finish(self) -> int:
        """Read to the end and return the exit status (128 + N for signal N, as a shell says)."""
        deadline = _now() + PATIENCE
        while _now() < deadline and self._read(0.05):
            if self.process.poll() is not None:
                # Drain what is left in the pty.
                while self._read(0.05) and _now() < deadline:
                    pass
                break
        try:
            code = self.process.wait(timeout=max(deadline - _now(), 1))
        finally:
            self.close()
        return 128 - code if code < 0 else code

    def close(self) -> None:
        """Close our side of the terminal, once (a descriptor number is never closed twice)."""
        master, self.master = self.master, -1
        if master >= 0:
            os.close(master)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _now() -> float:
    import time

    return time.monotonic()


def screen_text(output: bytes) -> str:
    """What was written, without escape sequences: enough to find a headline in."""
    return _SEQUENCE.sub(b"", output).decode("utf-8", "replace")


# DEC private modes a terminal starts with on: auto-wrap (7) and the cursor (25).
_ON_BY_DEFAULT = {7, 25}


def modes_changed_at_end(output: bytes) -> set[int]:
    """DEC private modes (alternate screen 1049, mouse 1000-1015, paste 2004, …) not as a terminal starts."""
    state: dict[int, bool] = {}
    for numbers, action in _PRIVATE_MODE.findall(output):
        for number in numbers.split(b";"):
            if number:
                state[int(number)] = action == b"h"
    return {mode for mode, on in state.items() if on != (mode in _ON_BY_DEFAULT)}


def modes_set(output: bytes) -> set[int]:
    """Every DEC private mode the program turned on at some point."""
    return {int(n) for numbers, action in _PRIVATE_MODE.findall(output) if action == b"h" for n in numbers.split(b";")}


def rows_drawn(output: bytes) -> list[int]:
    """The rows the cursor was sent to (``CSI row;col H``), 1-based."""
    return [int(row) for row in re.findall(rb"\x1b\[(\d+);\d+H", output)]


def clipboard_copies(output: bytes) -> list[str]:
    """The text of every OSC 52 clipboard write."""
    return [base64.b64decode(payload).decode("utf-8") for payload in _OSC52.findall(output)]


_BASIC_GREYS = {0, 7, 8, 15}


def chromatic_colours(output: bytes) -> list[str]:
    """Every colour an SGR sequence sets that is not a grey (black and white included)."""
    found = []
    for match in re.finditer(rb"\x1b\[([0-9;]*)m", output):
        params = [int(p) if p else 0 for p in match.group(1).split(b";")]
        i = 0
        while i < len(params):
            p = params[i]
            if p in (38, 48) and i + 1 < len(params) and params[i + 1] == 5 and i + 2 < len(params):
                if not _grey_256(params[i + 2]):
                    found.append(f"256:{params[i + 2]}")
                i += 3
            elif p in (38, 48) and i + 1 < len(params) and params[i + 1] == 2 and i + 4 < len(params):
                r, g, b = params[i + 2 : i + 5]
                if not r == g == b:
                    found.append(f"rgb:{r},{g},{b}")
                i += 5
            else:
                base = p - 30 if 30 <= p <= 37 else p - 40 if 40 <= p <= 47 else None
                bright = p - 90 + 8 if 90 <= p <= 97 else p - 100 + 8 if 100 <= p <= 107 else None
                index = base if base is not None else bright
                if index is not None and index not in _BASIC_GREYS:
                    found.append(f"16:{index}")
                i += 1
    return found


def _grey_256(index: int) -> bool:
    if index < 16:
        return index in _BASIC_GREYS
    if index >= 232:
        return True
    r, g, b = (index - 16) // 36, (index - 16) // 6 % 6, (index - 16) % 6
    return r == g == b
