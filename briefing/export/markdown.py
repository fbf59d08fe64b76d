"""The briefing as Markdown: readable as plain text, and rendered on a forge (GitHub-flavoured tables, footnotes).

Everything from the briefing is text, never Markdown: the characters that
would start markup are escaped, a line break inside a value becomes a space
(so a value cannot start a block of its own), and a value at the start of a
block that would read as a list item, a heading or a rule is escaped there.
The editor's words are in italics, as the reader sets them apart; the
analyst's own are under "Your review".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.export import ExportSubject
from briefing.export.document import (
    Block,
    Bullets,
    Document,
    Facts,
    Footnotes,
    Heading,
    Line,
    NoteList,
    Paragraph,
    Quotation,
    Span,
    Table,
    build_document,
)

__all__ = ["render", "render_document"]


def render(subject: ExportSubject) -> bytes:
    return render_document(build_document(subject.briefing, subject.review)).encode("utf-8")


def render_document(document: Document) -> str:
    return "\n\n".join(_blocks(document.blocks)) + "\n"


def _blocks(blocks: tuple[Block, ...]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Heading):
            yield f"{'#' * block.level} {_escape(block.text)}"
        elif isinstance(block, Facts):
            yield "\n".join(f"- **{_escape(name)}:** {_line(value)}" for name, value in block.rows)
        elif isinstance(block, Paragraph):
            yield _at_start(_line(block.line))
        elif isinstance(block, Bullets | NoteList):
            yield "\n".join(f"- {_at_start(_line(item))}" for item in block.items)
        elif isinstance(block, Quotation):
            attribution = _line(block.attribution)
            if block.footnote is not None:
                attribution += f"[^{block.footnote}]"
            yield f"> {_at_start(_escape(block.text))}\n>\n> {attribution}"
        elif isinstance(block, Table):
            yield _table(block)
        elif isinstance(block, Footnotes):
            yield "\n".join(f"[^{number}]: {_line(text)}" for number, text in block.items)


def _table(table: Table) -> str:
    head = "| " + " | ".join(_escape(column) for column in table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    rows = ["| " + " | ".join(_line(cell) for cell in row) + " |" for row in table.rows]
    return "\n".join([head, rule, *rows])


def _line(line: Line) -> str:
    return "".join(_span(span) for span in line)


def _span(span: Span) -> str:
    if span.style == "footnote":
        return f"[^{span.text}]"
    text = _escape(span.text)
    if span.style in ("editor", "review") and text.strip():
        # Emphasis must hug its text: `* x*` is not emphasis, so the spaces stay outside.
        stripped = text.strip()
        before = text[: len(text) - len(text.lstrip())]
        after = text[len(text.rstrip()) :]
        return f"{before}*{stripped}*{after}"
    return text


# What starts markup anywhere in a line (CommonMark's ASCII punctuation that
# means something), and line breaks of any kind.
_SPECIALS = str.maketrans({char: "\\" + char for char in "\\`*_[]<>|&~#!"})
_BREAKS = re.compile(r"\s*[\n\r\v\f\u2028\u2029\x85]\s*")
# What starts a block at the start of a line: a list item, an ordered item, a setext or thematic rule, a table row.
_BLOCK_START = re.compile(r"^(\s*)([-+=]|\d{1,9}(?=[.)]))")


# What a forge makes a link of without any markup (GitHub's autolinks: `https://…`, `www.…`, `a@b.c`).
_AUTOLINK = re.compile(r"(?<=[A-Za-z0-9])://|(?i:\bwww)\.|@")


def _escape(text: str) -> str:
    """Text, inert as Markdown, on one line: no markup, and no bare URL a forge would link."""
    escaped = _BREAKS.sub(" ", text).translate(_SPECIALS)
    # A backslash before punctuation shows the character alone, and breaks the autolink.
    return _AUTOLINK.sub(_escape_autolink, escaped)


def _escape_autolink(match: re.Match[str]) -> str:
    return "".join("\\" + char if char in ":.@" else char for char in match.group())


def _at_start(text: str) -> str:
    """Text that begins a block, with what would make it a list item or a rule escaped."""
    match = _BLOCK_START.match(text)
    if match is None:
        return text.lstrip()
    marker = match.group(2)
    # `1.` is escaped as `1\.`; `-`, `+` and `=` by a backslash before them.
    rest = text[match.end() :]
    return f"{marker}\\{rest}" if marker[0].isdigit() else f"\\{marker}{rest}"
