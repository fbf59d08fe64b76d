"""Tests for briefing.format.positions: where key paths are written in TOML text.

Expected positions were counted by hand; a comment over a tricky line shows
the count. Columns are 1-based and count characters, not bytes.
"""

from __future__ import annotations

import datetime
import string
import tomllib
from collections.abc import Iterator
from typing import Any

from conftest import PER_EXAMPLE_DEADLINE_MS
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.format.positions import Located, Path, Span, find, locate_keys


def text_at(source: str, span: Span) -> str:
    """The source from span to the end of the document."""
    lines = source.split("\n")
    offset = sum(len(line) + 1 for line in lines[: span.line - 1]) + span.column - 1
    return source[offset:]


def all_paths(node: Any, prefix: Path = ()) -> Iterator[Path]:
    """Every path below the root of a parsed document, containers included."""
    items: Any = node.items() if isinstance(node, dict) else enumerate(node)
    for key, child in items:
        path = (*prefix, key)
        yield path
        if isinstance(child, dict | list):
            yield from all_paths(child, path)


def assert_matches_tomllib(source: str) -> dict[Path, Located]:
    """Every path found exists in the parsed document, and every path of it is found."""
    positions = locate_keys(source)
    assert set(positions) == set(all_paths(tomllib.loads(source)))
    return positions


def at(line: int, column: int) -> Located:
    """A Located whose key and value start at the same place."""
    return Located(Span(line, column), Span(line, column))


def kv(key: tuple[int, int], value: tuple[int, int]) -> Located:
    return Located(Span(*key), Span(*value))


# --- comments, blank lines, whitespace, CRLF --------------------------------

SIMPLE = (
    "# A briefing, format 1\n"
    "\n"
    "format = 1  # the version\n"
    "   \t\n"
    "\tlanguage\t=\t'en'\n"
    "  # indented comment = 2\n"
    'headline="x"#tight\n'
)


def test_comments_blank_lines_and_whitespace() -> None:
    positions = assert_matches_tomllib(SIMPLE)
    assert positions == {
        ("format",): kv((3, 1), (3, 10)),
        # "\tlanguage\t=\t'en'": the key after one tab, the value after "\t=\t".
        ("language",): kv((5, 2), (5, 13)),
        ("headline",): kv((7, 1), (7, 10)),
    }


def test_crlf_line_endings_give_the_same_positions() -> None:
    crlf = SIMPLE.replace("\n", "\r\n")
    assert assert_matches_tomllib(crlf) == locate_keys(SIMPLE)


def test_columns_count_characters_not_bytes() -> None:
    source = 'q = { text = "“No” — none", by = "hur" }\n'
    positions = assert_matches_tomllib(source)
    assert positions[("q", "text")] == kv((1, 7), (1, 14))
    # The string is 13 characters (but 19 bytes in UTF-8), so "by" is at 29.
    assert positions[("q", "by")] == kv((1, 29), (1, 34))


# --- keys ---------------------------------------------------------------------

QUOTED_KEYS = (
    '"a.b" = 1\n\'C:\\dir\' = 2\n"say \\"hi\\"" = 3\n"\\u00e9t\\u00E9" = 4\n"" = 5\nsite. "google.com" .\'x.y\' = 6\n'
)


def test_quoted_keys_are_single_keys_with_escapes_decoded() -> None:
    positions = assert_matches_tomllib(QUOTED_KEYS)
    assert positions[("a.b",)] == kv((1, 1), (1, 9))
    assert positions[("C:\\dir",)] == kv((2, 1), (2, 12))
    assert positions[('say "hi"',)] == kv((3, 1), (3, 16))
    assert positions[("été",)] == kv((4, 1), (4, 19))
    assert positions[("",)] == kv((5, 1), (5, 6))
    # site. "google.com" .'x.y' = 6
    assert positions[("site",)] == at(6, 1)
    assert positions[("site", "google.com")] == at(6, 7)
    assert positions[("site", "google.com", "x.y")] == kv((6, 21), (6, 29))
    assert ("a",) not in positions


DOTTED = '[position]\nlat.value = 35.41\nlon . value . deg = 35.95\nlat.basis = "external"\n'


def test_dotted_keys_point_at_their_last_part_and_record_each_prefix() -> None:
    positions = assert_matches_tomllib(DOTTED)
    assert positions[("position", "lat")] == at(2, 1)  # first mention wins
    assert positions[("position", "lat", "value")] == kv((2, 5), (2, 13))
    assert positions[("position", "lon")] == at(3, 1)
    assert positions[("position", "lon", "value")] == at(3, 7)
    assert positions[("position", "lon", "value", "deg")] == kv((3, 15), (3, 21))
    assert positions[("position", "lat", "basis")] == kv((4, 5), (4, 13))


# --- tables and arrays of tables ----------------------------------------------

TABLES = '[meta]\nheadline = "x"\n[ "quoted key" . sub ]\nx = 1\n[a.b.c]\ny = 2\n[a]\nz = 3\n'


def test_table_headers() -> None:
    positions = assert_matches_tomllib(TABLES)
    assert positions[("meta",)] == at(1, 1)
    assert positions[("meta", "headline")] == kv((2, 1), (2, 12))
    assert positions[("quoted key",)] == at(3, 3)  # only named as a prefix
    assert positions[("quoted key", "sub")] == at(3, 1)
    assert positions[("quoted key", "sub", "x")] == kv((4, 1), (4, 5))
    assert positions[("a", "b")] == at(5, 4)
    assert positions[("a", "b", "c")] == at(5, 1)
    assert positions[("a",)] == at(7, 1)  # its own header beats the earlier prefix
    assert positions[("a", "z")] == kv((8, 1), (8, 5))


ARRAY_OF_TABLES = (
    "[[actors]]\n"
    'id = "hur"\n'
    "[[actors]]\n"
    'id = "isw"\n'
    "[[actors.notes]]\n"
    'text = "first"\n'
    "[[actors.notes]]\n"
    'text = "second"\n'
    "[actors.position]\n"
    "lat = 1.0\n"
    "[[actors]]\n"
    'id = "maxar"\n'
    "[[actors.notes]]\n"
    'text = "third"\n'
    "[[events]]\n"
    'what = "drift"\n'
)


def test_arrays_of_tables_are_indexed_and_sub_headers_use_the_last_element() -> None:
    positions = assert_matches_tomllib(ARRAY_OF_TABLES)
    assert positions[("actors",)] == at(1, 1)
    assert positions[("actors", 0)] == at(1, 1)
    assert positions[("actors", 0, "id")] == kv((2, 1), (2, 6))
    assert positions[("actors", 1)] == at(3, 1)
    assert positions[("actors", 1, "id")] == kv((4, 1), (4, 6))
    assert positions[("actors", 1, "notes")] == at(5, 1)
    assert positions[("actors", 1, "notes", 0)] == at(5, 1)
    assert positions[("actors", 1, "notes", 0, "text")] == kv((6, 1), (6, 8))
    assert positions[("actors", 1, "notes", 1)] == at(7, 1)
    assert positions[("actors", 1, "notes", 1, "text")] == kv((8, 1), (8, 8))
    assert positions[("actors", 1, "position")] == at(9, 1)
    assert positions[("actors", 1, "position", "lat")] == kv((10, 1), (10, 7))
    assert positions[("actors", 2)] == at(11, 1)
    assert positions[("actors", 2, "id")] == kv((12, 1), (12, 6))
    assert positions[("actors", 2, "notes", 0)] == at(13, 1)
    assert positions[("actors", 2, "notes", 0, "text")] == kv((14, 1), (14, 8))
    assert positions[("events", 0, "what")] == kv((16, 1), (16, 8))
    assert ("actors", 0, "notes") not in positions


# --- values ---------------------------------------------------------------------

STRINGS = (
    "[quote]\n"
    'text = "He said \\"no\\", # not a comment [x]"\n'
    "by = 'C:\\path\\'\n"
    'q = { a = "\\\\", b = \'x\', c = "\\"", d = 1 }\n'
    'long = """\n'
    'He said \\"""no\\""" and ""twice"".\n'
    'key = "not a key" """""\n'
    "after = 1\n"
    "raw = '''\n"
    "[not.a.table]\n"
    "'a' ''b'' '''''\n"
    "inline = { s = \"\"\"x\"\"\"\"\", t = '''y''''', u = 1 }\n"
)


def test_strings_of_every_kind_are_skipped_whole() -> None:
    positions = assert_matches_tomllib(STRINGS)
    assert positions[("quote", "text")] == kv((2, 1), (2, 8))
    assert positions[("quote", "by")] == kv((3, 1), (3, 6))
    # q = { a = "\\", b = 'x', c = "\"", d = 1 }
    assert positions[("quote", "q", "a")] == kv((4, 7), (4, 11))
    assert positions[("quote", "q", "b")] == kv((4, 17), (4, 21))
    assert positions[("quote", "q", "c")] == kv((4, 26), (4, 30))
    assert positions[("quote", "q", "d")] == kv((4, 36), (4, 40))
    assert positions[("quote", "long")] == kv((5, 1), (5, 8))
    assert positions[("quote", "after")] == kv((8, 1), (8, 9))
    assert positions[("quote", "raw")] == kv((9, 1), (9, 7))
    # inline = { s = """x""""", t = '''y''''', u = 1 }: two extra quotes each.
    assert positions[("quote", "inline", "s")] == kv((12, 12), (12, 16))
    assert positions[("quote", "inline", "t")] == kv((12, 27), (12, 31))
    assert positions[("quote", "inline", "u")] == kv((12, 42), (12, 46))
    assert ("quote", "key") not in positions
    assert ("not",) not in positions


SCALARS = (
    "[when]\n"
    "count = -1_000\n"
    "ratio = +6.626e-34\n"
    "big = inf\n"
    "mask = 0xDEAD_beef\n"
    "ok = true\n"
    "at = 1979-05-27 07:32:00Z\n"
    "local = { date = 2024-12-13, time = 07:32:00.5, "
    'dt = 2024-12-23 10:00:00, basis = "external" }\n'
    "mixed = [1979-05-27 07:32:00, false, -0.5, nan]\n"
)


def test_numbers_booleans_and_dates() -> None:
    positions = assert_matches_tomllib(SCALARS)
    assert positions[("when", "count")] == kv((2, 1), (2, 9))
    assert positions[("when", "ratio")] == kv((3, 1), (3, 9))
    assert positions[("when", "big")] == kv((4, 1), (4, 7))
    assert positions[("when", "mask")] == kv((5, 1), (5, 8))
    assert positions[("when", "ok")] == kv((6, 1), (6, 6))
    assert positions[("when", "at")] == kv((7, 1), (7, 6))
    assert positions[("when", "local", "date")] == kv((8, 11), (8, 18))
    assert positions[("when", "local", "time")] == kv((8, 30), (8, 37))
    # A date-time written with a space is one value: "basis" comes after it.
    assert positions[("when", "local", "dt")] == kv((8, 49), (8, 54))
    assert positions[("when", "local", "basis")] == kv((8, 75), (8, 83))
    assert positions[("when", "mixed", 0)] == at(9, 10)
    assert positions[("when", "mixed", 1)] == at(9, 31)
    assert positions[("when", "mixed", 2)] == at(9, 38)
    assert positions[("when", "mixed", 3)] == at(9, 44)
    assert ("when", "mixed", 4) not in positions


ARRAYS = (
    "tags = [\n"
    '  "navy",   # first, with a [bracket]\n'
    '  # a whole comment line: "x", [y] = 1\n'
    "  [ 1, [2, 3], ],\n"
    "  'last',\n"
    "]\n"
    "empty = [ ]\n"
    "flat = [[], [[]]]\n"
)


def test_arrays_nested_multiline_with_comments_and_trailing_commas() -> None:
    positions = assert_matches_tomllib(ARRAYS)
    assert positions[("tags",)] == kv((1, 1), (1, 8))
    assert positions[("tags", 0)] == at(2, 3)
    assert positions[("tags", 1)] == at(4, 3)
    assert positions[("tags", 1, 0)] == at(4, 5)
    assert positions[("tags", 1, 1)] == at(4, 8)
    assert positions[("tags", 1, 1, 0)] == at(4, 9)
    assert positions[("tags", 1, 1, 1)] == at(4, 12)
    assert positions[("tags", 2)] == at(5, 3)
    assert positions[("empty",)] == kv((7, 1), (7, 9))
    assert positions[("flat", 0)] == at(8, 9)
    assert positions[("flat", 1)] == at(8, 13)
    assert positions[("flat", 1, 0)] == at(8, 14)


INLINE_TABLES = 'pos = { lat = 35.41, src.name = "Maxar", src.url = "", deep = { x = { y = true } } }\n'


def test_inline_tables_nested_and_with_dotted_keys() -> None:
    positions = assert_matches_tomllib(INLINE_TABLES)
    assert positions[("pos",)] == kv((1, 1), (1, 7))
    assert positions[("pos", "lat")] == kv((1, 9), (1, 15))
    assert positions[("pos", "src")] == at(1, 22)
    assert positions[("pos", "src", "name")] == kv((1, 26), (1, 33))
    assert positions[("pos", "src", "url")] == kv((1, 46), (1, 52))
    assert positions[("pos", "deep")] == kv((1, 56), (1, 63))
    assert positions[("pos", "deep", "x")] == kv((1, 65), (1, 69))
    assert positions[("pos", "deep", "x", "y")] == kv((1, 71), (1, 75))


INLINE_ARRAY_OF_TABLES = (
    "actors = [\n"
    '  { id = "hur", notes = [{ text = "a" }, { text = "b", basis = "external" }] },\n'
    '  { id = "isw" },\n'
    "]\n"
)


def test_inline_tables_inside_arrays() -> None:
    positions = assert_matches_tomllib(INLINE_ARRAY_OF_TABLES)
    assert positions[("actors", 0)] == at(2, 3)
    assert positions[("actors", 0, "id")] == kv((2, 5), (2, 10))
    assert positions[("actors", 0, "notes")] == kv((2, 17), (2, 25))
    assert positions[("actors", 0, "notes", 0)] == at(2, 26)
    assert positions[("actors", 0, "notes", 0, "text")] == kv((2, 28), (2, 35))
    assert positions[("actors", 0, "notes", 1)] == at(2, 42)
    assert positions[("actors", 0, "notes", 1, "text")] == kv((2, 44), (2, 51))
    assert positions[("actors", 0, "notes", 1, "basis")] == kv((2, 56), (2, 64))
    assert positions[("actors", 1)] == at(3, 3)
    assert positions[("actors", 1, "id")] == kv((3, 5), (3, 10))


BRIEFING = r'''format = 1

[meta]
headline = "Russia’s “Sparta IV” — stranded off Portugal"
published = 2024-12-23
tags = ["russia", "syria", "navy"]
caveats = [
  { text = "The year is not stated.", basis = "editor" },
]

[[sections]]
kind = "lede"
id = "lede"
paragraphs = ["""\
  A Russian cargo ship is “drifting” — says HUR.""", 'plain']

[[actors]]
id = "hur"
name = "HUR"
kind = "intelligence_agency"
notes = [{ text = "Ukraine’s military intelligence.", basis = "external", source = "x" }]

[[actors]]
id = "isw"
name = "ISW"

[[locations]]
id = "tartus"
name = "Tartus"
kind = "port"
position = { lat = 34.91, lon = 35.87, precision = "approximate", basis = "external" }

[[events]]
id = "report"
what = "reported"
when.date = 2024-12-23
when.precision = "inferred"
when.basis = "external"
'''


def test_realistic_briefing() -> None:
    positions = assert_matches_tomllib(BRIEFING)
    assert positions[("meta", "headline")] == kv((4, 1), (4, 12))
    assert positions[("meta", "tags", 2)] == at(6, 28)
    assert positions[("meta", "caveats", 0, "basis")] == kv((8, 39), (8, 47))
    assert positions[("sections", 0, "paragraphs", 1)] == at(15, 54)
    assert positions[("actors", 0, "notes", 0, "source")] == kv((21, 75), (21, 84))
    assert positions[("actors", 1, "name")] == kv((25, 1), (25, 8))
    assert positions[("locations", 0, "position", "basis")] == kv((31, 67), (31, 75))
    assert positions[("events", 0, "when")] == at(36, 1)
    assert positions[("events", 0, "when", "basis")] == kv((38, 6), (38, 14))


def test_other_documents_match_tomllib() -> None:
    for source in (QUOTED_KEYS, DOTTED, TABLES, ARRAY_OF_TABLES, STRINGS, ARRAYS):
        assert_matches_tomllib(source)


# --- find -----------------------------------------------------------------------


def test_find_exact_entry_key_or_value() -> None:
    positions = locate_keys(ARRAY_OF_TABLES)
    assert find(positions, ("actors", 1, "notes", 1, "text")) == Span(8, 1)
    assert find(positions, ("actors", 1, "notes", 1, "text"), prefer="value") == Span(8, 8)


def test_find_falls_back_to_the_nearest_ancestor() -> None:
    positions = locate_keys(ARRAY_OF_TABLES)
    # A missing "kind" in the second actor points at that actor's header.
    assert find(positions, ("actors", 1, "kind")) == Span(3, 1)
    assert find(positions, ("actors", 2, "notes", 0, "basis")) == Span(13, 1)
    assert find(positions, ("actors", 9, "id")) == Span(1, 1)
    inline = locate_keys(INLINE_TABLES)
    assert find(inline, ("pos", "src", "kind"), prefer="value") == Span(1, 22)
    assert find(inline, ("pos", "deep", "x", "z"), prefer="value") == Span(1, 69)


def test_find_without_any_ancestor_is_the_start_of_the_file() -> None:
    positions = locate_keys(ARRAY_OF_TABLES)
    assert find(positions, ("quotes", 0, "text")) == Span(1, 1)
    assert find(positions, ()) == Span(1, 1)
    assert find({}, ("a",), prefer="value") == Span(1, 1)


# --- never raises -----------------------------------------------------------------

TOML_CHARS = "[]{}\"'=.,#\n\r\t \\abc019-_:+eé“—"


def assert_spans_inside(source: str, positions: dict[Path, Located]) -> None:
    lines = source.split("\n")
    for located in positions.values():
        for span in (located.key, located.value):
            assert 1 <= span.line <= len(lines)
            assert 1 <= span.column <= len(lines[span.line - 1]) + 1


@given(st.text())
def test_any_text_is_scanned_without_error(source: str) -> None:
    assert_spans_inside(source, locate_keys(source))


@given(st.text(alphabet=TOML_CHARS, max_size=200))
def test_toml_like_text_is_scanned_without_error(source: str) -> None:
    assert_spans_inside(source, locate_keys(source))


@given(
    st.sampled_from([SIMPLE, QUOTED_KEYS, TABLES, ARRAY_OF_TABLES, STRINGS, SCALARS, BRIEFING]),
    st.data(),
)
def test_damaged_documents_are_scanned_without_error(source: str, data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(source)))
    insert = data.draw(st.text(alphabet=TOML_CHARS, max_size=5))
    damaged = source[:cut] + insert + source[cut + data.draw(st.integers(0, 5)) :]
    assert_spans_inside(damaged, locate_keys(damaged))


def test_deep_nesting_does_not_recurse_without_bound() -> None:
    source = "a = " + "[" * 5000 + "]" * 5000 + "\nb = 1\n"
    positions = locate_keys(source)
    assert positions[("b",)] == kv((2, 1), (2, 5))


# --- generated documents ------------------------------------------------------------

BARE = frozenset(string.ascii_letters + string.digits + "_-")
Value = Any


def is_plain(text: str) -> bool:
    """No control characters but tab: what literal strings may hold."""
    return all(ch == "\t" or (ch >= " " and ch != "\x7f") for ch in text)


def escape_basic(text: str, *, multiline: bool) -> str:
    out: list[str] = []
    quotes = 0  # unescaped quotes just written: a third would close a """ string
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"' and (not multiline or quotes == 2):
            out.append('\\"')
        elif (ch == "\n" and multiline) or is_plain(ch):
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}")
        quotes = quotes + 1 if out[-1] == '"' else 0
    return "".join(out)


class TomlWriter:
    """Writes a dict as TOML, letting hypothesis pick every form a value can take.

    Records, for each path, the text its key and its value should start with.
    """

    def __init__(self, data: st.DataObject) -> None:
        self.data = data
        self.newline = self.pick("\n", "\r\n")
        self.lines: list[str] = []
        self.keys: dict[Path, str] = {}
        self.values: dict[Path, str] = {}

    def pick(self, *options: Any) -> Any:
        return self.data.draw(st.sampled_from(options))

    def document(self, document: dict[str, Value]) -> str:
        self.table((), (), document)
        return self.newline.join(self.lines) + self.newline

    def table(self, path: Path, header: tuple[str, ...], table: dict[str, Value]) -> None:
        later = []
        for key, value in table.items():
            array_of_tables = isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
            if (isinstance(value, dict) or array_of_tables) and self.pick(False, True):
                later.append((key, value))
                continue
            for entry in self.entries(path, key, value):
                indent = self.pick("", "  ", "\t")
                comment = self.pick("", "  # “note”: [x] = 'y'", "#")
                self.lines.append(indent + entry + comment)
                if self.pick(False, True):
                    self.lines.append(self.pick("", "# comment", "  "))
        for key, value in later:
            here = (*path, key)
            names = (*header, self.key(key))
            inside = self.pick("", " ") + self.pick(".", " . ").join(names) + self.pick("", " ")
            if isinstance(value, dict):
                self.lines.append(f"[{inside}]")
                self.keys.setdefault(here, "[")
                self.values[here] = "["
                self.table(here, names, value)
                continue
            self.keys.setdefault(here, "[[")
            for index, element in enumerate(value):
                self.lines.append(f"[[{inside}]]")
                self.values[(*here, index)] = "[["
                self.table((*here, index), names, element)

    def entries(self, path: Path, key: str, value: Value) -> list[str]:
        """`key = value`, or one dotted `key.sub = value` per entry of a table."""
        here = (*path, key)
        name = self.key(key)
        self.keys.setdefault(here, name)
        if isinstance(value, dict) and value and self.pick(False, True):
            dot = self.pick(".", " . ")
            return [
                name + dot + entry
                for sub_key, sub_value in value.items()
                for entry in self.entries(here, sub_key, sub_value)
            ]
        return [name + self.pick(" = ", "=", "\t=  ") + self.inline(here, value)]

    def inline(self, path: Path, value: Value) -> str:
        if isinstance(value, dict):
            entries = [e for key, v in value.items() for e in self.entries(path, key, v)]
            text = "{ " + ", ".join(entries) + " }" if entries else "{}"
        elif isinstance(value, list):
            items = [self.inline((*path, i), item) for i, item in enumerate(value)]
            if self.pick(False, True):
                text = "[" + ", ".join(items) + self.pick("", ",") * bool(items) + "]"
            else:
                nl = self.newline
                body = "".join(f"  {item},{self.pick('', '  # [x], {y}')}{nl}" for item in items)
                text = f"[{nl}  # items{nl}{body}]"
        else:
            text = self.scalar(value)
        self.values[path] = text
        return text

    def key(self, key: str) -> str:
        forms = ["basic"]
        if key and set(key) <= BARE:
            forms.append("bare")
        if is_plain(key) and "'" not in key:
            forms.append("literal")
        form = self.pick(*forms)
        if form == "bare":
            return key
        if form == "literal":
            return f"'{key}'"
        return '"' + escape_basic(key, multiline=False) + '"'

    def scalar(self, value: Value) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return self.pick(str(value), hex(value)) if value >= 0 else str(value)
        if isinstance(value, float):
            return repr(value)
        if isinstance(value, datetime.datetime):
            return value.isoformat().replace("T", self.pick("T", " "))
        if isinstance(value, datetime.date | datetime.time):
            return value.isoformat()
        return self.string(value)

    def string(self, text: str) -> str:
        forms = ["basic", "multiline-basic"]
        if is_plain(text) and "'" not in text:
            forms.append("literal")
        if is_plain(text.replace("\n", "")) and "'''" not in text:
            forms.append("multiline-literal")
        form = self.pick(*forms)
        nl = self.newline  # right after the opening quotes, so TOML drops it
        if form == "literal":
            return f"'{text}'"
        if form == "multiline-literal":
            return f"'''{nl}{text}'''"
        if form == "multiline-basic":
            return f'"""{nl}{escape_basic(text, multiline=True)}"""'
        return '"' + escape_basic(text, multiline=False) + '"'


keys = st.one_of(st.sampled_from(["id", "kind", "a-b", "x_1", "9", "a.b"]), st.text(max_size=4))
timezones = st.sampled_from([None, datetime.UTC, datetime.timezone(datetime.timedelta(hours=-8, minutes=-30))])
scalars = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
    st.text(max_size=12),
    st.dates(),
    st.times(),
    st.datetimes(timezones=timezones),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(keys, children, max_size=3),
        st.lists(st.dictionaries(keys, children, max_size=3), min_size=1, max_size=3),
    ),
    max_leaves=12,
)
documents = st.dictionaries(keys, values, max_size=5)


@settings(max_examples=300, deadline=PER_EXAMPLE_DEADLINE_MS)
@given(documents, st.data())
def test_generated_documents(document: dict[str, Value], data: st.DataObject) -> None:
    writer = TomlWriter(data)
    source = writer.document(document)
    assert tomllib.loads(source) == document  # the writer itself is right

    positions = assert_matches_tomllib(source)

    assert set(positions) == set(writer.keys) | set(writer.values)
    for path, text in writer.keys.items():
        assert text_at(source, positions[path].key).startswith(text), path
    for path, text in writer.values.items():
        assert text_at(source, positions[path].value).startswith(text), path


@settings(max_examples=200, deadline=PER_EXAMPLE_DEADLINE_MS)
@given(documents, st.data())
def test_a_scan_that_stops_once_the_wanted_paths_are_found_agrees_with_a_full_scan(
    document: dict[str, Value], data: st.DataObject
) -> None:
    source = TomlWriter(data).document(document)
    full = locate_keys(source)
    wanted = data.draw(st.lists(st.sampled_from(sorted(full, key=repr)), max_size=3)) if full else []
    early = locate_keys(source, wanted=wanted)
    assert {path: early[path] for path in wanted} == {path: full[path] for path in wanted}
    # Nothing wanted: nothing need be read.
    assert locate_keys(source, wanted=[]) == {}
