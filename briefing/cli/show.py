"""``briefing show``: print a whole briefing with Rich, for pipes and plain terminals.

It prints the same document the Markdown and HTML exports write
(``briefing.export.document``): the header facts, the caveats, every section
with its quotes set apart, the tables with their marks and notes, the claims
with their footnotes.

Content is untrusted: everything from the file goes into ``Text`` objects
(never parsed as markup) and the console itself has markup and emoji codes
turned off, so ``[bold]`` or ``:warning:`` in a briefing prints as written.
Control characters were already made visible by the loader.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table as RichTable
from rich.text import Text

from briefing.cli.check import report_load_failure
from briefing.export.document import (
    Bullets,
    Facts,
    Footnotes,
    Heading,
    Line,
    NoteList,
    Paragraph,
    Quotation,
    Style,
    Table,
    build_document,
)
from briefing.format.model import Briefing
from briefing.storage.briefing_files import load_briefing
from briefing.storage.paths import default_briefing_path

# How each kind of words looks: the article's plain, the editor's set apart as in the reader.
STYLES: dict[Style, str] = {
    "article": "",
    "editor": "italic yellow",
    "label": "dim",
    "review": "cyan",
    "footnote": "dim",
}
HEADING = "bold"


def run_show(path: str | None, *, width: int | None = None, file: TextIO | None = None) -> int:
    result = load_briefing(path or os.fspath(default_briefing_path()))
    if not result.ok:
        return report_load_failure(result)
    assert result.briefing is not None
    console = Console(file=file or sys.stdout, width=width, markup=False, emoji=False, highlight=False)
    console.print(render_briefing(result.briefing))
    return 0


def render_briefing(briefing: Briefing) -> RenderableType:
    return Group(*_parts(briefing))


def _parts(briefing: Briefing) -> Iterator[RenderableType]:
    for number, block in enumerate(build_document(briefing).blocks):
        if number:
            yield Text()
        if isinstance(block, Heading):
            if block.level == 1:
                yield Text(block.text, style="bold reverse")
            elif block.level == 2:
                yield Rule(Text(block.text, style=HEADING), align="left")
            else:
                yield Text(block.text, style=HEADING)
        elif isinstance(block, Facts):
            yield Group(*(Text.assemble((f"{name}: ", STYLES["label"]), _text(value)) for name, value in block.rows))
        elif isinstance(block, Paragraph):
            yield _text(block.line)
        elif isinstance(block, Bullets | NoteList):
            yield Group(*(Padding(Text.assemble("• ", _text(item)), (0, 0, 0, 2)) for item in block.items))
        elif isinstance(block, Quotation):
            attribution = _text(block.attribution)
            if block.footnote is not None:
                attribution.append(f" [{block.footnote}]", STYLES["footnote"])
            yield Padding(Group(Text(block.text), attribution), (0, 0, 0, 4))
        elif isinstance(block, Table):
            yield _table(block)
        elif isinstance(block, Footnotes):
            yield Group(
                *(Text.assemble((f"[{number}] ", STYLES["label"]), _text(text)) for number, text in block.items)
            )


def _text(line: Line) -> Text:
    text = Text()
    for span in line:
        if span.style == "footnote":
            text.append(f" [{span.text}]", STYLES["footnote"])
        else:
            text.append(span.text, STYLES[span.style])
    return text


def _table(table: Table) -> RichTable:
    printed = RichTable(box=box.SIMPLE_HEAD, expand=True, show_lines=False, pad_edge=False)
    for column in table.columns:
        printed.add_column(column, overflow="fold")
    for row in table.rows:
        printed.add_row(*(_text(cell) for cell in row))
    return printed
