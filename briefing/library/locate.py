"""Where each string of a briefing is written in its TOML text, character by character.

A search hit is printed as ``file:line:col`` of the matched word, so the index
keeps, for every string it holds, where the string's characters are in the
file. ``format.positions.locate_keys`` knows where every key path is, but it
walks the whole document in Python (about as long as ``tomllib`` takes to parse
it), which would more than double the cost of indexing a library. Briefings
are almost always written one table per header (``[[assets]]`` then its keys),
so this module goes straight to each string: the table's header (found by one
regular expression over the text), the key in the lines under it, the element
of an array. What it finds is checked: the string written there must decode to
exactly the value the parser gave. Anything unusual (inline tables, a header
inside a multi-line string, a count of headers that differs from the model's)
fails the check, and the file is then located by ``locate_keys`` after all.

A string's position is a list of *anchors*, flat triples ``(offset in the
value, line, column)``: from each anchor on, characters of the value follow
each other on the line until the next anchor. A string written as it reads (no
escape, on one line) is one anchor; each escape (``\\"``, ``\\u00e9``) or line
break of a multi-line string adds one. Lines and columns are 1-based, columns
in code points, as ``briefing check`` gives them.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Mapping

from briefing.format.positions import Located, Path, find, locate_keys
from briefing.format.safetext import defuse

__all__ = ["Field", "StringLocator", "piece_anchors", "position_at"]

# A string of a table: its key, its index when the key holds an array of strings, its value.
Field = tuple[str, int | None, str]

# A table header line: its name (spaces aside) and whether it is an array of tables.
# From a line break: a search for a literal character runs in C, where "^" would try every position.
_HEADER = re.compile(r"\n[ \t]*\[(\[)?([^\[\]\n]*)\]")
# Blank space, line breaks and comments between the elements of an array.
_GAP = re.compile(r"(?:[ \t\r\n]+|#[^\n]*+)*+")
# Each kind of string to its end (possessive: nothing backtracks, whatever the text).
_STRING_END = {
    '"""': re.compile(r'"""(?:[^"\\]++|\\.|"(?!""))*+"{3,5}', re.DOTALL),
    "'''": re.compile(r"'''(?:[^']++|'(?!''))*+'{3,5}"),
    '"': re.compile(r'"(?:[^"\\\n]++|\\.)*+"'),
    "'": re.compile(r"'[^'\n]*+'"),
}
# Pieces of a basic string's body: a run of plain characters, an escape, a line break.
_RUN = re.compile(r'[^"\\\r\n]+')
_LITERAL_RUN = re.compile(r"[^'\r\n]+")
_ESCAPE = re.compile(r'\\(?:([btnfr"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))')
_LINE_BREAK = re.compile(r"\r?\n")
# A backslash at the end of a line of a multi-line basic string: it and all the space after go.
_LINE_END_ESCAPE = re.compile(r"\\[ \t]*\r?\n[ \t\r\n]*")
_ESCAPED = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class StringLocator:
    """Positions of the strings of one document, given how many entries each collection has.

    ``counts`` maps a top-level array of tables (``sections``) to the number
    of elements the parser found: the headers of a collection are trusted
    only when there are exactly that many.
    """

    def __init__(self, text: str, counts: Mapping[str, int]) -> None:
        self.text = text
        self.counts = counts
        # Where each line starts, at C speed: lengths, plus one for each "\n", summed.
        lengths = map((1).__add__, map(len, text.split("\n")))
        self.line_starts = [0, *itertools.accumulate(lengths)]
        self._spans: dict[str, list[tuple[int, int]] | None] | None = None
        self._slow: dict[Path, Located] | None = None
        self._keys: dict[str, re.Pattern[str]] = {}

    def strings(self, table: str, index: int | None, fields: list[Field]) -> list[list[int]]:
        """Anchors of strings of one table (``index``: its element, for an array of tables).

        Each field is a key, the element of the array it names (None for a
        plain string) and the string's value. Never fails: a string that
        cannot be followed character by character is placed where its value
        starts (or, failing that, its table).
        """
        spans = (self._spans if self._spans is not None else self._tables()).get(table)
        body = None
        if spans is not None:
            if index is None:
                body = spans[0]
            elif index < len(spans):
                body = spans[index]
        out: list[list[int]] = []
        arrays: dict[str, list[int] | None] = {}
        text = self.text
        starts = self.line_starts
        keys = self._keys
        for key, element, expected in fields:
            start = -1
            if body is not None:
                if element is None:
                    pattern = keys.get(key) or self._key_pattern(key)
                    match = pattern.search(text, body[0], body[1])
                    if match:
                        start = match.end()
                else:
                    items = arrays[key] if key in arrays else arrays.setdefault(key, self._array(body, key))
                    if items is not None and element < len(items):
                        start = items[element]
            if start >= 0:
                # Written as it reads, the common case: one comparison in C. A basic
                # string's backslash would be an escape, so such a string has none.
                quote = text[start : start + 1]
                first = start + 1
                if (
                    (quote == '"' or quote == "'")
                    and text.startswith(expected, first)
                    and text.startswith(quote, first + len(expected))
                    and not text.startswith(quote * 3, start)
                    and "\n" not in expected
                    and (quote == "'" or "\\" not in expected)
                ):
                    line = bisect.bisect_right(starts, first)
                    out.append([0, line, first - starts[line - 1] + 1])
                    continue
                anchors = _Decoder(self, start).decode(expected)
                if anchors is not None:
                    out.append(anchors)
                    continue
            path: Path = (table, key) if index is None else (table, index, key)
            out.append(self.slow(path if element is None else (*path, element), expected))
        return out

    def slow(self, path: Path, expected: str) -> list[int]:
        """``locate`` by the positions of every key (``locate_keys``, once per document)."""
        located = self._slow_positions()
        span = find(located, path, prefer="value")
        if path in located:
            anchors = self._decode(self._offset(span.line, span.column), expected)
            if anchors is not None:
                return anchors
        return [0, span.line, span.column]

    # Lines

    def line_col(self, offset: int) -> tuple[int, int]:
        starts = self.line_starts
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def _offset(self, line: int, column: int) -> int:
        return self.line_starts[line - 1] + column - 1

    # Straight to the value

    def _tables(self) -> dict[str, list[tuple[int, int]] | None]:
        """Each table's body (after its header line, to the next header), by its name; arrays by element."""
        if self._spans is not None:
            return self._spans
        # A line break is put before the text so that a header on the first line is found too.
        headers = [
            (match.start(), match.end() - 1, match.group(2), match.group(1))
            for match in _HEADER.finditer("\n" + self.text)
        ]
        spans: dict[str, list[tuple[int, int]] | None] = {}
        for number, (_, end, written, is_array) in enumerate(headers):
            name = written.replace(" ", "").replace("\t", "") if " " in written or "\t" in written else written
            body_end = headers[number + 1][0] if number + 1 < len(headers) else len(self.text)
            if is_array:
                spans.setdefault(name, []).append((end, body_end))  # type: ignore[union-attr]
            elif name not in spans:
                spans[name] = [(end, body_end)]
            else:
                spans[name] = None  # a table defined twice is no TOML tomllib accepted: trust nothing
        for name, count in self.counts.items():
            found = spans.get(name)
            if found is not None and len(found) != count:
                spans[name] = None
        self._spans = spans
        return spans

    def _key_pattern(self, key: str) -> re.Pattern[str]:
        pattern = self._keys.get(key)
        if pattern is None:
            name = re.escape(key)
            pattern = re.compile(rf"""^[ \t]*(?:{name}|"{name}"|'{name}')[ \t]*=[ \t]*""", re.MULTILINE)
            self._keys[key] = pattern
        return pattern

    def _array(self, body: tuple[int, int], key: str) -> list[int] | None:
        match = self._key_pattern(key).search(self.text, body[0], body[1])
        return self._items(match.end()) if match else None

    def _items(self, start: int) -> list[int] | None:
        """Where each element of the array of strings opening at ``start`` begins."""
        text = self.text
        if not text.startswith("[", start):
            return None
        starts: list[int] = []
        pos = _GAP.match(text, start + 1).end()  # type: ignore[union-attr]
        while not text.startswith("]", pos):
            end = self._string_end(pos)
            if end is None:
                return None
            starts.append(pos)
            pos = _GAP.match(text, end).end()  # type: ignore[union-attr]
            if text.startswith(",", pos):
                pos = _GAP.match(text, pos + 1).end()  # type: ignore[union-attr]
            elif not text.startswith("]", pos):
                return None
        return starts

    def _string_end(self, pos: int) -> int | None:
        text = self.text
        opener = text[pos : pos + 3] if text.startswith(('"""', "'''"), pos) else text[pos : pos + 1]
        pattern = _STRING_END.get(opener)
        match = pattern.match(text, pos) if pattern else None
        return match.end() if match else None

    # The characters of one string

    def _decode(self, start: int, expected: str) -> list[int] | None:
        """Anchors of the string literal at ``start`` if it decodes to ``expected``, else None."""
        return _Decoder(self, start).decode(expected) if self.text[start : start + 1] in ('"', "'") else None

    def _slow_positions(self) -> dict[Path, Located]:
        if self._slow is None:
            self._slow = locate_keys(self.text)
        return self._slow


class _Decoder:
    """Decodes one string literal as tomllib does, noting where each piece of the value comes from."""

    def __init__(self, locator: StringLocator, start: int) -> None:
        self.locator = locator
        self.text = locator.text
        self.start = start
        self.pieces: list[str] = []
        self.anchors: list[int] = []
        self.length = 0

    def add(self, piece: str, at: int, *, raw_width: int | None = None) -> None:
        """``piece`` of the value comes from ``at``; each of its characters from the next, unless an escape."""
        if piece.isprintable():
            self.anchors.extend((self.length, *self.locator.line_col(at)))
            self.pieces.append(piece)
            self.length += len(piece)
            return
        # The parser made control characters visible (safetext.defuse): one
        # character of the file may be several of the value.
        for number, character in enumerate(piece):
            shown = defuse(character)
            self.anchors.extend((self.length, *self.locator.line_col(at if raw_width else at + number)))
            self.pieces.append(shown)
            self.length += len(shown)

    def decode(self, expected: str) -> list[int] | None:
        text = self.text
        quote = text[self.start]
        multiline = text.startswith(quote * 3, self.start)
        pos = self.start + (3 if multiline else 1)
        if multiline:
            # A line break right after the opening quotes is not part of the string.
            newline = _LINE_BREAK.match(text, pos)
            pos = newline.end() if newline else pos
        run = _RUN if quote == '"' else _LITERAL_RUN
        while pos < len(text):
            if text.startswith(quote, pos):
                if not multiline:
                    return self.finish(expected)
                if text.startswith(quote * 3, pos):
                    # Up to two more quotes before the closing three are the string's.
                    extra = 0
                    while extra < 2 and text.startswith(quote, pos + 3 + extra):
                        extra += 1
                    if extra:
                        self.add(quote * extra, pos)
                    return self.finish(expected)
                self.add(quote, pos)
                pos += 1
                continue
            match = run.match(text, pos)
            if match:
                self.add(match.group(), pos)
                pos = match.end()
                continue
            if multiline:
                line_break = _LINE_BREAK.match(text, pos)
                if line_break:
                    self.add("\n", pos)
                    pos = line_break.end()
                    continue
            if quote == "'":
                return None
            pos = self.escape(pos, multiline)
            if pos < 0:
                return None
        return None

    def escape(self, pos: int, multiline: bool) -> int:
        """Decode the escape at ``pos``; the position after it, or -1 for anything else."""
        if multiline:
            skipped = _LINE_END_ESCAPE.match(self.text, pos)
            if skipped:
                return skipped.end()
        match = _ESCAPE.match(self.text, pos)
        if match is None:
            return -1
        simple, short, long = match.groups()
        if simple:
            character = _ESCAPED[simple]
        else:
            code = int(short or long, 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                return -1
            character = chr(code)
        self.add(character, pos, raw_width=match.end() - pos)
        return match.end()

    def finish(self, expected: str) -> list[int] | None:
        return self.anchors if "".join(self.pieces) == expected else None


def position_at(anchors: list[int], offset: int) -> tuple[int, int]:
    """Line and column of character ``offset`` of a value, from its anchors."""
    best = 0
    for index in range(0, len(anchors) - 2, 3):
        if anchors[index] <= offset:
            best = index
        else:
            break
    value_offset, line, column = anchors[best : best + 3]
    return line, column + max(0, offset - value_offset)


def piece_anchors(anchors: list[int], start: int, end: int, at: int) -> list[int]:
    """Anchors of ``value[start:end]`` when it is placed at offset ``at`` of a longer text."""
    if len(anchors) == 3:
        # Written as it reads: the common case.
        return [at, anchors[1], anchors[2] + start - anchors[0]]
    line, column = position_at(anchors, start)
    out = [at, line, column]
    for index in range(0, len(anchors) - 2, 3):
        offset = anchors[index]
        if start < offset < end:
            out.extend((at + offset - start, anchors[index + 1], anchors[index + 2]))
    return out
