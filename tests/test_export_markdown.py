"""``briefing export --to md``: every content string is text on a forge, and the export says what the document says.

The Markdown is read back with a real CommonMark implementation (markdown-it-py,
which Rich and Textual already depend on, with the footnotes plugin Textual
brings), both as plain CommonMark with GFM tables and as a forge reads it (the
"gfm-like" preset: tables, strikethrough and bare URLs made links).
The hostile briefing (tests/hostile_briefing.py) holds HTML, Markdown links,
images, code, block starts at the start of lines and control characters in
every string an export shows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_briefing import HEDGES, LINE_STARTS, MARKUP, export_with_cli, run_cli, write_hostile_briefing
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from briefing.export.document import (
    Bullets,
    Document,
    Facts,
    Footnotes,
    Heading,
    Line,
    NoteList,
    Paragraph,
    Quotation,
    Table,
    build_document,
)
from briefing.storage.briefing_files import load_briefing
from briefing.storage.paths import default_briefing_path

# -- what the exports are compared with -----------------------------------------------------------


def flat(text: str) -> str:
    """Text as a reader sees it: runs of white space, line breaks included, are one space."""
    return " ".join(text.split())


def line_text(line: Line) -> str:
    """The words of a line, without its footnote references (each format marks those its own way)."""
    return flat("".join(span.text for span in line if span.style != "footnote"))


def document_blocks(document: Document) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """What every format must show, in order: (kind, text) of each block and table cell; the footnotes by number."""
    blocks: list[tuple[str, str]] = []
    notes: dict[str, str] = {}
    for block in document.blocks:
        if isinstance(block, Heading):
            blocks.append((f"h{block.level}", flat(block.text)))
        elif isinstance(block, Facts):
            blocks.extend(("item", flat(f"{name}: {line_text(value)}")) for name, value in block.rows)
        elif isinstance(block, Paragraph):
            blocks.append(("p", line_text(block.line)))
        elif isinstance(block, Bullets | NoteList):
            blocks.extend(("item", line_text(item)) for item in block.items)
        elif isinstance(block, Quotation):
            blocks += [("quote", flat(block.text)), ("attribution", line_text(block.attribution))]
        elif isinstance(block, Table):
            blocks.extend(("th", flat(column)) for column in block.columns)
            blocks.extend(("td", line_text(cell)) for row in block.rows for cell in row)
        elif isinstance(block, Footnotes):
            notes.update((str(number), line_text(text)) for number, text in block.items)
    return blocks, notes


def document_of(path: Path) -> Document:
    result = load_briefing(path)
    assert result.ok and result.briefing is not None, result.problems[:3]
    return build_document(result.briefing)


# -- reading the Markdown back ---------------------------------------------------------------------


def commonmark() -> MarkdownIt:
    """CommonMark with the two GitHub extensions the export uses: tables and footnotes."""
    return MarkdownIt("commonmark").enable("table").use(footnote_plugin)


def forge() -> MarkdownIt:
    """As a forge reads Markdown: GitHub's tables and strikethrough, and bare URLs made links (linkify)."""
    return MarkdownIt("gfm-like").use(footnote_plugin)


def walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from walk(token.children)


def inline_text(token: Token) -> str:
    """The text of an inline token as rendered: escapes resolved, emphasis dropped, footnote references left out."""
    parts = []
    for child in token.children or ():
        if child.type in ("text", "text_special"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type in ("code_inline", "html_inline"):
            parts.append(child.content)
    return flat("".join(parts))


def markdown_blocks(tokens: list[Token]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The (kind, text) blocks of parsed Markdown, as ``document_blocks`` gives them; the footnotes by label."""
    blocks: list[tuple[str, str]] = []
    notes: dict[str, str] = {}
    context: list[str] = []  # the open containers
    paragraphs_in_quote = 0
    footnote = ""
    for number, token in enumerate(tokens):
        if token.type == "footnote_open":
            footnote = str(token.meta["label"])
        if token.nesting == 1:
            context.append(token.type)
            if token.type == "blockquote_open":
                paragraphs_in_quote = 0
        elif token.nesting == -1:
            context.pop()
        if token.type != "inline":
            continue
        text = inline_text(token)
        opener = tokens[number - 1].type
        if "footnote_open" in context:
            notes[footnote] = text
        elif opener == "heading_open":
            blocks.append((tokens[number - 1].tag, text))
        elif opener in ("th_open", "td_open"):
            blocks.append((opener[:2], text))
        elif "list_item_open" in context:
            blocks.append(("item", text))
        elif "blockquote_open" in context:
            blocks.append(("quote" if paragraphs_in_quote == 0 else "attribution", text))
            paragraphs_in_quote += 1
        else:
            blocks.append(("p", text))
    return blocks, notes


# -- the exports, made by the command a user runs -------------------------------------------------


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def hostile_path(tmp_path_factory) -> Path:
    return write_hostile_briefing(tmp_path_factory.mktemp("hostile") / "hostile.toml")


@pytest.fixture(scope="module")
def hostile_md(hostile_path, home) -> str:
    return export_with_cli(hostile_path, "md", home).decode("utf-8")


@pytest.fixture(scope="module")
def sparta_md(home) -> str:
    return export_with_cli(default_briefing_path(), "md", home).decode("utf-8")


def test_the_hostile_briefing_is_valid_and_reaches_the_exports_whole(hostile_path, home):
    run = run_cli(home, "check", str(hostile_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1].startswith("1 briefing checked: all valid")
    briefing = load_briefing(hostile_path).briefing
    assert briefing is not None
    assert all((briefing.assets, briefing.actors, briefing.quotes, briefing.locations, briefing.events))
    headline = briefing.meta.headline
    # As written, but for the control characters the loader shows as stand-ins.
    assert all(attack in headline for attack in MARKUP)
    assert "\n- item headline\n+ item headline\n1. item headline" in headline
    assert "␛]0;pwned␇ ␀ ␡ <U+009B> <U+202E>␍" in headline
    assert "\x1b" not in headline and "\u202e" not in headline
    # Both quotes are found in their paragraph, so the exports set them apart.
    document = build_document(briefing)
    assert sum(isinstance(block, Quotation) for block in document.blocks) == 2


# What our own Markdown makes (headings, paragraphs, lists, quotes, tables,
# emphasis for the editor's words, bold for the header labels, footnotes):
# any other token came from the content.
OUR_TOKENS = {
    "heading_open",
    "heading_close",
    "paragraph_open",
    "paragraph_close",
    "inline",
    "text",
    "text_special",
    "bullet_list_open",
    "bullet_list_close",
    "list_item_open",
    "list_item_close",
    "blockquote_open",
    "blockquote_close",
    "table_open",
    "table_close",
    "thead_open",
    "thead_close",
    "tbody_open",
    "tbody_close",
    "tr_open",
    "tr_close",
    "th_open",
    "th_close",
    "td_open",
    "td_close",
    "em_open",
    "em_close",
    "strong_open",
    "strong_close",
    "footnote_ref",
    "footnote_block_open",
    "footnote_block_close",
    "footnote_open",
    "footnote_close",
    "footnote_anchor",
}


def test_hostile_markdown_holds_no_html_link_image_or_code(hostile_md):
    types = Counter(token.type for token in walk(commonmark().parse(hostile_md)))
    assert set(types) <= OUR_TOKENS, {kind: types[kind] for kind in set(types) - OUR_TOKENS}
    # Nothing from the content breaks a line, starts a block of its own or runs as HTML.
    for kind in ("html_block", "html_inline", "link_open", "image", "code_inline", "fence", "code_block", "hr"):
        assert types[kind] == 0


def test_hostile_markdown_on_a_forge_makes_no_link_of_a_bare_url(hostile_md):
    links = [token.attrs.get("href") for token in walk(forge().parse(hostile_md)) if token.type == "link_open"]
    assert links == []


def test_hostile_markdown_on_a_forge_has_no_strikethrough_or_html(hostile_md):
    types = Counter(token.type for token in walk(forge().parse(hostile_md)))
    assert set(types) - {"link_open", "link_close"} <= OUR_TOKENS


def structure(document: Document) -> Counter[str]:
    """How many of each token the document's own Markdown must make."""
    count: Counter[str] = Counter()
    for block in document.blocks:
        lines: list[Line] = []
        if isinstance(block, Heading):
            count[f"h{block.level}"] += 1
        elif isinstance(block, Facts):
            count["list_item_open"] += len(block.rows)
            count["strong_open"] += len(block.rows)
            lines += [value for _, value in block.rows]
        elif isinstance(block, Paragraph):
            lines.append(block.line)
        elif isinstance(block, Bullets | NoteList):
            count["list_item_open"] += len(block.items)
            lines += block.items
        elif isinstance(block, Quotation):
            count["blockquote_open"] += 1
            count["footnote_ref"] += block.footnote is not None
            lines.append(block.attribution)
        elif isinstance(block, Table):
            count["table_open"] += 1
            count["th_open"] += len(block.columns)
            count["td_open"] += sum(len(row) for row in block.rows)
            lines += [cell for row in block.rows for cell in row]
        elif isinstance(block, Footnotes):
            count["footnote_open"] += len(block.items)
            lines += [text for _, text in block.items]
        for line in lines:
            count["footnote_ref"] += sum(span.style == "footnote" for span in line)
            count["em_open"] += sum(span.style in ("editor", "review") and bool(span.text.strip()) for span in line)
    return count


# What the export makes of each kind of block and span.
STRUCTURAL = (
    "list_item_open",
    "strong_open",
    "em_open",
    "blockquote_open",
    "table_open",
    "th_open",
    "td_open",
    "footnote_ref",
    "footnote_open",
)


def parsed_structure(tokens: list[Token]) -> Counter[str]:
    count: Counter[str] = Counter()
    for token in walk(tokens):
        count[token.tag if token.type == "heading_open" else token.type] += 1
    return count


@pytest.mark.parametrize("which", ["sparta", "hostile"])
def test_markdown_has_the_document_s_structure_and_no_more(which, sparta_md, hostile_md, hostile_path):
    """Every heading, list item, quote, table cell, footnote and editor's emphasis is ours, and all of ours is there."""
    path, text = (default_briefing_path(), sparta_md) if which == "sparta" else (hostile_path, hostile_md)
    expected = structure(document_of(path))
    found = parsed_structure(commonmark().parse(text))
    kinds = {*(f"h{level}" for level in range(1, 7)), *STRUCTURAL}
    assert {kind: found[kind] for kind in kinds} == {kind: expected[kind] for kind in kinds}


@pytest.mark.parametrize("which", ["sparta", "hostile"])
def test_markdown_reads_as_the_document_block_by_block(which, sparta_md, hostile_md, hostile_path):
    path, text = (default_briefing_path(), sparta_md) if which == "sparta" else (hostile_path, hostile_md)
    blocks, notes = document_blocks(document_of(path))
    found_blocks, found_notes = markdown_blocks(commonmark().parse(text))
    assert found_blocks == blocks
    assert found_notes == notes


def test_hostile_strings_read_as_their_characters(hostile_md):
    """The attacks are there to read, character for character: the export escaped them, it did not drop them."""
    tokens = commonmark().parse(hostile_md)
    shown = "\n".join(inline_text(token) for token in walk(tokens) if token.type == "inline")
    for attack in (*MARKUP, *HEDGES):
        assert attack in shown
    # A line start of the content is on the line of the text before it, as written.
    assert flat(" ".join(f"{line} headline" for line in LINE_STARTS)) in shown
    assert "␛]0;pwned␇ ␀ ␡ <U+009B> <U+202E>␍end of headline" in shown


def test_the_markdown_file_is_plain_text(hostile_md):
    """No control character reaches the file, and nothing from the content starts a line of it."""
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", hostile_md)
    own = re.compile(r"(#{1,6} |- |> |>$|\| |\|---|\[\^\d+\]: |$)")
    starts_a_block = re.compile(r"\s|[-+=#>|`~_]|\*[\s*]|\d+[.)]")
    for line in hostile_md.splitlines():
        assert own.match(line) or not starts_a_block.match(line), line


def test_sparta_markdown_has_its_tables_and_footnotes(sparta_md):
    document = document_of(default_briefing_path())
    tables = [block for block in document.blocks if isinstance(block, Table)]
    (footnotes,) = [block for block in document.blocks if isinstance(block, Footnotes)]
    tokens = commonmark().parse(sparta_md)
    types = Counter(token.type for token in walk(tokens))
    assert types["table_open"] == len(tables) >= 4
    headers = [inline_text(tokens[n + 1]) for n, token in enumerate(tokens) if token.type == "th_open"]
    assert headers == [column for table in tables for column in table.columns]
    # Each reference is written [^n] and points at a definition that is there.
    numbers = {str(number) for number, _ in footnotes.items}
    refs = {str(token.meta["label"]) for token in walk(tokens) if token.type == "footnote_ref"}
    defined = {str(token.meta["label"]) for token in tokens if token.type == "footnote_open"}
    assert refs == defined == numbers
    assert all(f"[^{number}]" in sparta_md and f"\n[^{number}]: " in sparta_md for number in numbers)
