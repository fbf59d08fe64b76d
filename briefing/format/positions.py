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

``locate_json_keys`` does the same for the JSON form (json_form.py): a
member's ``key`` is at its key's opening quote and its ``value`` at the
value's first character; an array element is recorded by its int index, key
and value alike at its first character. It keeps its own stack, not
Python's, so no nesting can make it recurse; ``repeated_json_key`` finds
where a key is written twice in one object, which ``json`` does not say.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = ["Located", "Path", "Repeated", "Span", "find", "locate_json_keys", "locate_keys", "repeated_json_key"]

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


# -- JSON -----------------------------------------------------------------------------------------

# Each character of any text is in exactly one token, so one ``finditer`` walks the whole text and
# never retries a position (no gap for it to search across). A string ends at its closing quote
# or, unclosed, at the end of its line; a scalar is any run of what is neither space, quote nor
# structure. Possessive throughout: nothing backtracks.
_JSON_TOKEN = re.compile(
    r'([ \t\r\n]++)|("(?:[^"\\\n]++|\\[^\n])*+"?)|([{}\[\]:,])|([^ \t\r\n{}\[\]:,"]++)',
)
_JSON_SPACE, _JSON_STRING, _JSON_STRUCTURE = 1, 2, 3


@dataclass(frozen=True, slots=True)
class Repeated:
    """A key written twice in one JSON object: its path, where it is first written and where again."""

    path: Path
    first: Span
    again: Span


def locate_json_keys(source: str, wanted: Iterable[Path] | None = None) -> dict[Path, Located]:
    """Map every key path written in JSON ``source`` to where its key and value start.

    A path is recorded at its first writing. With ``wanted``, only those
    paths and their ancestors are recorded (all that ``find`` can answer for
    them, so memory stays with what is asked), and the scan stops once each
    of them has been found. Any text gives an answer; only valid JSON a
    complete one.
    """
    scanner = _JsonScanner(source, wanted)
    scanner.scan()
    return scanner.found


def repeated_json_key(source: str) -> Repeated | None:
    """The first key of ``source`` written twice in one object, or None.

    ``json`` keeps the last writing without a word; the format, like TOML,
    does not allow a second one. Only the keys of the objects still open are
    held while scanning.
    """
    scanner = _JsonScanner(source, None, repeats=True)
    scanner.scan()
    return scanner.repeated


@dataclass(slots=True)
class _Container:
    """An array or object being scanned, and what it expects next."""

    # None: where it stands could not be told (text that is not JSON); nothing in it is recorded.
    path: Path | None
    is_object: bool
    # Arrays: after `[` or `,`. Objects: after a key and its colon.
    wants_value: bool
    # Objects: after `{` or `,`.
    wants_key: bool
    key: str | None = None
    key_start: int = 0
    index: int = 0
    # Looking for repeats: this object's keys, each with where it is first written.
    keys: dict[str, int] | None = None


class _JsonScanner:
    def __init__(self, source: str, wanted: Iterable[Path] | None, *, repeats: bool = False) -> None:
        self.text = source
        self.line_starts = [0] + [match.end() for match in _NEWLINE.finditer(source)]
        self.found: dict[Path, Located] = {}
        self.missing: set[Path] | None = None if wanted is None else set(wanted)
        self.recorded: set[Path] | None = None
        if self.missing is not None:
            self.recorded = {path[:end] for path in self.missing for end in range(1, len(path) + 1)}
        self.repeats = repeats
        self.repeated: Repeated | None = None
        self.finished = self.missing is not None and not self.missing
        self.stack: list[_Container] = []
        # Containers opened past _MAX_DEPTH: counted to match their brackets, not recorded.
        self.unrecorded_depth = 0
        self.root_seen = False

    def span(self, pos: int) -> Span:
        line = bisect.bisect_right(self.line_starts, pos)
        return Span(line, pos - self.line_starts[line - 1] + 1)

    def scan(self) -> None:
        for match in _JSON_TOKEN.finditer(self.text):
            if self.finished:
                return
            kind = match.lastindex
            if kind == _JSON_SPACE:
                continue
            if kind == _JSON_STRUCTURE:
                self.structure(match.group(), match.start())
            elif self.unrecorded_depth:
                continue
            elif kind == _JSON_STRING:
                self.string(match.group(), match.start())
            else:
                self.begin_value(match.start())

    def string(self, token: str, start: int) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and top.is_object and top.wants_key:
            top.key = _json_key(token)
            top.key_start = start
            top.wants_key = False
        else:
            self.begin_value(start)

    def structure(self, character: str, start: int) -> None:
        if character in "{[":
            if self.unrecorded_depth or len(self.stack) >= _MAX_DEPTH:
                self.unrecorded_depth += 1
                return
            path = self.begin_value(start)
            is_object = character == "{"
            keys: dict[str, int] | None = {} if self.repeats and is_object else None
            self.stack.append(_Container(path, is_object, wants_value=not is_object, wants_key=is_object, keys=keys))
        elif character in "}]":
            if self.unrecorded_depth:
                self.unrecorded_depth -= 1
            elif self.stack:
                self.stack.pop()
        elif self.stack and not self.unrecorded_depth:
            top = self.stack[-1]
            if character == ":":
                top.wants_value = top.is_object and top.key is not None
            elif top.is_object:
                top.wants_key, top.key, top.wants_value = True, None, False
            else:
                top.index += 1
                top.wants_value = True

    def begin_value(self, start: int) -> Path | None:
        """A value starts at ``start``: record it under its key or index; its path, if it has one."""
        if not self.stack:
            if self.root_seen:
                return None
            self.root_seen = True
            return ()
        top = self.stack[-1]
        if not top.wants_value:
            return None
        top.wants_value = False
        name: str | int
        if top.is_object:
            if top.key is None:
                return None
            name, key_start, top.key = top.key, top.key_start, None
        else:
            name, key_start = top.index, start
        if top.path is None:
            return None
        path = (*top.path, name)
        if top.keys is not None and isinstance(name, str):
            self.check_repeat(top.keys, path, name, key_start)
        elif not self.repeats:
            self.note(path, key_start, start)
        return path

    def check_repeat(self, keys: dict[str, int], path: Path, name: str, key_start: int) -> None:
        first = keys.setdefault(name, key_start)
        if first != key_start:
            self.repeated = Repeated(path, self.span(first), self.span(key_start))
            self.finished = True

    def note(self, path: Path, key: int, value: int) -> None:
        if path in self.found or (self.recorded is not None and path not in self.recorded):
            return
        self.found[path] = Located(self.span(key), self.span(value))
        if self.missing is not None:
            self.missing.discard(path)
            self.finished = not self.missing


def _json_key(token: str) -> str:
    """A key's name as ``json`` reads it (escapes decoded), or its raw text when it is not a string."""
    closed = len(token) >= 2 and token.endswith('"')
    body = token[1:-1] if closed else token[1:]
    if "\\" not in body:
        return body
    try:
        name = json.loads(token)
    except ValueError:
        return body
    return name if isinstance(name, str) else body
