"""The briefing as one self-contained HTML page: what the Markdown says, for a browser, mail and print.

Nothing on the page reaches outside it. The style sheet is inline (``html.css``
beside this module) and named by its hash in a Content-Security-Policy that
allows nothing else: no script, no image, no font, no frame, no form, no
base URL. There is no link but to the page's own footnotes; a URL the
briefing states is printed as text. Every string from the briefing is escaped
(``html.escape``), attributes included: a briefing full of ``<script>`` reads
as the characters it holds.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Iterator
from html import escape
from importlib import resources

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

__all__ = ["content_security_policy", "render", "render_document"]


def render(subject: ExportSubject) -> bytes:
    return render_document(build_document(subject.briefing, subject.review)).encode("utf-8")


@functools.cache
def _style_sheet() -> str:
    return resources.files("briefing.export").joinpath("html.css").read_text(encoding="utf-8")


def content_security_policy(style: str) -> str:
    """Nothing allowed but the page's own style sheet, named by its hash."""
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; font-src 'none'; "
        "connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


# A language tag as BCP 47 writes one; anything else in the file's `language` is "und" (undetermined).
_LANGUAGE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,8}$")


def render_document(document: Document) -> str:
    style = _style_sheet()
    language = document.language if _LANGUAGE.fullmatch(document.language) else "und"
    head = "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{language}">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(style)}">',
            '<meta name="referrer" content="no-referrer">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="color-scheme" content="light dark">',
            '<meta name="generator" content="briefing">',
            f"<title>{_text(document.title)}</title>",
            f"<style>{style}</style>",
            "</head>",
            "<body>",
            "<main>",
        ]
    )
    return head + "\n" + "\n".join(_blocks(document.blocks)) + "\n</main>\n</body>\n</html>\n"


def _blocks(blocks: tuple[Block, ...]) -> Iterator[str]:
    in_review = False
    for block in blocks:
        if isinstance(block, Heading):
            if block.level == 2 and in_review:
                yield "</section>"
                in_review = False
            if block.level == 2 and block.style == "review":
                # The analyst's part of the page, set apart as a whole.
                yield '<section class="review">'
                in_review = True
            tag = f"h{min(block.level, 6)}"
            yield f'<{tag} id="{block.anchor}"{_class(block.style)}>{_text(block.text)}</{tag}>'
        elif isinstance(block, Facts):
            rows = "".join(f"<dt>{_text(name)}</dt><dd>{_line(value)}</dd>" for name, value in block.rows)
            yield f'<dl class="facts">{rows}</dl>'
        elif isinstance(block, Paragraph):
            yield f"<p>{_line(block.line)}</p>"
        elif isinstance(block, Bullets | NoteList):
            items = "".join(f"<li>{_line(item)}</li>" for item in block.items)
            yield f"<ul>{items}</ul>"
        elif isinstance(block, Quotation):
            footnote = _footnote_mark(str(block.footnote), first=False) if block.footnote is not None else ""
            yield (
                f"<blockquote><p>{_text(block.text)}</p>"
                f"<footer>{_line(block.attribution)}{footnote}</footer></blockquote>"
            )
        elif isinstance(block, Table):
            yield _table(block)
        elif isinstance(block, Footnotes):
            items = "".join(
                f'<li id="note-{number}">{_line(text)} <a href="#ref-{number}" aria-label="back">↩</a></li>'
                for number, text in block.items
            )
            yield f'<ol class="footnotes">{items}</ol>'
    if in_review:
        yield "</section>"


def _table(table: Table) -> str:
    head = "".join(f'<th scope="col">{_text(column)}</th>' for column in table.columns)
    rows = "".join("<tr>" + "".join(f"<td>{_line(cell)}</td>" for cell in row) + "</tr>" for row in table.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _line(line: Line) -> str:
    return "".join(_span(span) for span in line)


def _span(span: Span) -> str:
    if span.style == "footnote":
        return _footnote_mark(span.text, first=True)
    text = _text(span.text)
    return f'<span class="{span.style}">{text}</span>' if span.style != "article" else text


def _footnote_mark(number: str, *, first: bool) -> str:
    # A footnote is referred to once, by its claim (the quote in the text links to the same note).
    anchor = f' id="ref-{_text(number)}"' if first else ""
    return f'<sup><a href="#note-{_text(number)}"{anchor}>{_text(number)}</a></sup>'


def _class(style: str) -> str:
    return f' class="{style}"' if style != "article" else ""


def _text(text: str) -> str:
    return escape(text, quote=True)
