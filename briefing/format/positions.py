"""Where each key path of a TOML document is written, for ``file:line:col`` errors.

``tomllib`` keeps no positions and msgspec reports errors as key paths
(``$.actors[3].kind``), so this module scans the text once more, in a single
pass, and notes where every path starts. It only has to agree with
``tomllib`` on documents ``tomllib`` accepts; on anything else it returns
whatever it found and never raises.

What gets recorded, and where:

* ``a.b.c = 1`` records ``("a", "b", "c")`` with its ``key`` at ``c`` (the
  part an "unknown field" error is about) and its ``value`` at ``1``. The
  prefixes ``("a",)`` and ``("a", "b")`` are recorded at their own parts, key
  and value alike, the first time they are written.
* ``[a.b]`` records ``("a", "b")`` at its opening bracket, key and value
  alike. ``[[a.b]]`` does the same for the array ``("a", "b")`` (at its first
  header) and for the new element ``("a", "b", n)``. A header's parts that
  name an array of tables step into its last element, as TOML specifies.
  A table named both implicitly and by its own header (``[a.b]`` then
  ``[a]``) is recorded at its header.
* Each element of an inline array gets its int index, key and value alike at
  the element's first character; inline tables inside are walked the same way.

Lines are split at ``\\n`` only, as in TOML (so CRLF files work); columns count
code points, which is what ``str`` indexes, so curly quotes and dashes are
one column each.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = ["Located", "Path", "Span", "find", "locate_keys"]

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Span:
    line: int  # 1-based
    column: int  # 1-based, in characters


@dataclass(frozen=True, slots=True)
class Located:
    key: Span
    value: Span


def locate_keys(source: str, wanted: Iterable[Path] | None = None) -> dict[Path, Located]:
    """Map every key path written in ``source`` to where its key and value start.

    With ``wanted``, the scan may stop as soon as each of those paths has been
    found at its own key or header (where nothing later can move it): one
    problem near the top of a large file is located without reading the rest.
    """
    scanner = _Scanner(source, wanted)
    scanner.document()
    return scanner.found


def find(
    positions: dict[Path, Located],
    path: Path,
    *,
    prefer: Literal["key", "value"] = "key",
) -> Span:
    """Best position for path: the exact entry if present, else the closest existing ancestor
    (so a missing required field points at the table that lacks it), else line 1 column 1."""
    for end in range(len(path), 0, -1):
        located = positions.get(path[:end])
        if located is not None:
            return located.key if prefer == "key" else located.value
    return Span(1, 1)


# Runs matched in C: the scanner steps over a character at a time only where TOML's structure is.
_NEWLINE = re.compile("\n")
_SPACES = re.compile("[ \t\r]*")
_BARE_KEY_RUN = re.compile("[A-Za-z0-9_-]*")
_SCALAR_RUN = re.compile("[^ \t\r\n,\\]}#]*")
# A one-line string's body up to (not including) its closing quote or the line's end; a
# backslash escapes the next character, as the scanner always read it (even a newline).
_BASIC_BODY = re.compile(r'(?:[^"\\\n]++|\\.?)*+', re.S)
_LITERAL_BODY = re.compile("[^'\n]*+")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
# Deeper nesting than this is left unrecorded rather than risking RecursionError;
# real documents nest a handful of levels.
_MAX_DEPTH = 100


class _Scanner:
    def __init__(self, source: str, wanted: Iterable[Path] | None = None) -> None:
        self.text = source
        self.pos = 0
        # Paths still to be found explicitly before the scan can stop (None: scan it all).
        self.missing: set[Path] | None = None if wanted is None else set(wanted)
        self.line_starts = [0] + [match.end() for match in _NEWLINE.finditer(source)]
        self.found: dict[Path, Located] = {}
        # Paths found at their own header or key/value, which beats (and is
        # not beaten by) a mention as the prefix of a longer key.
        self.explicit: set[Path] = set()
        # Array-of-tables path -> number of elements seen so far.
        self.arrays: dict[Path, int] = {}

    def span(self, pos: int) -> Span:
        line = bisect.bisect_right(self.line_starts, pos)
        return Span(line, pos - self.line_starts[line - 1] + 1)

    def note(self, path: Path, key: int, value: int, *, explicit: bool) -> None:
        if path in self.explicit or (path in self.found and not explicit):
            return
        if explicit:
            self.explicit.add(path)
            if self.missing is not None:
                self.missing.discard(path)
        self.found[path] = Located(self.span(key), self.span(value))

    def peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def skip_ws(self) -> None:
        # "\r" only ever precedes "\n" in valid TOML; treating it as a space
        # makes CRLF behave like LF everywhere.
        self.pos = _SPACES.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def skip_ws_newlines_comments(self) -> None:
        while True:
            self.skip_ws()
            if self.peek() == "\n":
                self.pos += 1
            elif self.peek() == "#":
                self.next_line()
            else:
                return

    def next_line(self) -> None:
        # Also the error recovery: whatever is left on the line is dropped.
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end + 1

    def document(self) -> None:
        table: Path = ()
        while self.pos < len(self.text) and self.missing != set():
            self.skip_ws()
            if self.peek() == "[":
                table = self.header()
            elif self.peek() not in ("", "\n", "#"):
                self.keyval(table, 0)
            self.next_line()

    def header(self) -> Path:
        start = self.pos
        is_array = self.text.startswith("[[", start)
        self.pos += 2 if is_array else 1
        parts = self.key()
        if not parts:
            return ()
        path: Path = ()
        for name, pos in parts[:-1]:
            path += (name,)
            self.note(path, pos, pos, explicit=False)
            if path in self.arrays:
                path += (self.arrays[path] - 1,)
        path += (parts[-1][0],)
        self.note(path, start, start, explicit=True)
        if is_array:
            index = self.arrays.get(path, 0)
            self.arrays[path] = index + 1
            path += (index,)
            self.note(path, start, start, explicit=True)
        return path

    def keyval(self, table: Path, depth: int) -> None:
        parts = self.key()
        if not parts:
            return
        path = table
        for name, pos in parts[:-1]:
            path += (name,)
            self.note(path, pos, pos, explicit=False)
        path += (parts[-1][0],)
        self.skip_ws()
        if self.peek() != "=":
            return
        self.pos += 1
        self.skip_ws()
        self.note(path, parts[-1][1], self.pos, explicit=True)
        self.value(path, depth)

    def key(self) -> list[tuple[str, int]]:
        """Consume a possibly dotted key; return its parts, each with where it starts."""
        parts: list[tuple[str, int]] = []
        while True:
            self.skip_ws()
            start = self.pos
            if self.peek() == '"':
                name = _unescape(self.one_line_string('"'))
            elif self.peek() == "'":
                name = self.one_line_string("'")
            else:
                self.pos = _BARE_KEY_RUN.match(self.text, start).end()  # type: ignore[union-attr]
                if self.pos == start:
                    return parts
                name = self.text[start : self.pos]
            parts.append((name, start))
            self.skip_ws()
            if self.peek() != ".":
                return parts
            self.pos += 1

    def value(self, path: Path, depth: int) -> None:
        ch = self.peek()
        if self.text.startswith(('"""', "'''"), self.pos):
            self.multiline_string(ch)
        elif ch in ('"', "'"):
            self.one_line_string(ch)
        elif ch == "[":
            self.array(path, depth + 1)
        elif ch == "{":
            self.inline_table(path, depth + 1)
        else:
            self.scalar()

    def one_line_string(self, quote: str) -> str:
        """Consume a string from its opening quote; return its body, escapes untouched."""
        text = self.text
        start = self.pos + 1
        body = (_BASIC_BODY if quote == '"' else _LITERAL_BODY).match(text, start)
        end = min(body.end(), len(text))  # type: ignore[union-attr]
        self.pos = end + 1 if text[end : end + 1] == quote else end
        return text[start:end]

    def multiline_string(self, quote: str) -> None:
        text = self.text
        i = self.pos + 3
        while i < len(text):
            if quote == '"' and text[i] == "\\":
                i += 2
            elif text.startswith(quote * 3, i):
                # Up to two more quotes still belong to the string: """a"""""
                end = i + 3
                while end < i + 5 and text[end : end + 1] == quote:
                    end += 1
                self.pos = end
                return
            else:
                i += 1
        self.pos = len(text)

    def array(self, path: Path, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        self.pos += 1
        index = 0
        while True:
            self.skip_ws_newlines_comments()
            if self.peek() in ("]", ""):
                break
            element = (*path, index)
            self.note(element, self.pos, self.pos, explicit=True)
            start = self.pos
            self.value(element, depth)
            if self.pos == start:
                return
            self.skip_ws_newlines_comments()
            if self.peek() != ",":
                break
            self.pos += 1
            index += 1
        if self.peek() == "]":
            self.pos += 1

    def inline_table(self, path: Path, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        self.pos += 1
        while True:
            # TOML 1.0 keeps inline tables on one line; accepting newlines
            # and comments here as well costs nothing and suits TOML 1.1.
            self.skip_ws_newlines_comments()
            if self.peek() in ("}", ""):
                break
            start = self.pos
            self.keyval(path, depth)
            if self.pos == start:
                return
            self.skip_ws_newlines_comments()
            if self.peek() != ",":
                break
            self.pos += 1
        if self.peek() == "}":
            self.pos += 1

    def scalar(self) -> None:
        start = self.pos
        self.pos = self.token_end(start)
        # Only a date-time may contain a space: 1979-05-27 07:32:00
        token = self.text[start : self.pos]
        after = self.text[self.pos + 1 : self.pos + 2]
        is_date = len(token) == 10 and token[4] == "-" and token[7] == "-"
        if is_date and self.peek() == " " and after.isascii() and after.isdigit():
            self.pos = self.token_end(self.pos + 1)

    def token_end(self, pos: int) -> int:
        return _SCALAR_RUN.match(self.text, pos).end()  # type: ignore[union-attr]


def _unescape(raw: str) -> str:
    """Decode a basic string's escapes, so quoted keys match tomllib's dict keys."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        code = raw[i + 1 : i + 2] if raw[i] == "\\" else ""
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
            i += 2
            continue
        width = {"u": 4, "U": 8}.get(code, 0)
        digits = raw[i + 2 : i + 2 + width]
        if width and len(digits) == width:
            try:
                out.append(chr(int(digits, 16)))
                i += 2 + width
                continue
            except (ValueError, OverflowError):
                pass
        out.append(raw[i])
        i += 1
    return "".join(out)
