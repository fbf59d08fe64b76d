"""``briefing show``: print a whole briefing with Rich, for pipes and plain terminals.

Content is untrusted: everything from the file goes into ``Text`` objects
(never parsed as markup) and the console itself has markup and emoji codes
turned off, so ``[bold]`` or ``:warning:`` in a briefing prints as written.
Control characters were already made visible by the loader.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from briefing.analysis.describe import (
    MARKS_LONG,
    count_text,
    date_mark,
    label,
    link_basis,
    link_mark,
    link_qualifier,
    marks_legend,
    meta_fields,
    note_text,
    position_long,
    position_mark,
    when_long,
    when_short,
)
from briefing.analysis.index import BriefingIndex, Entity, EntityRef, display_name, section_title
from briefing.cli.check import report_load_failure
from briefing.format.kinds import ACTOR, ASSET, EVENT, LOCATION, QUOTE, kind_of, link_of, referenced_ids
from briefing.format.model import Briefing, GlanceSection, Link, Note
from briefing.storage.briefing_files import load_briefing
from briefing.storage.paths import default_briefing_path

HEADING = "bold"
LABEL = "dim"
EDITOR = "italic yellow"


def run_show(path: str | None, *, width: int | None = None, file: TextIO | None = None) -> int:
    result = load_briefing(path or default_briefing_path())
    if not result.ok:
        return report_load_failure(result)
    assert result.briefing is not None
    console = Console(file=file or sys.stdout, width=width, markup=False, emoji=False, highlight=False)
    console.print(render_briefing(result.briefing))
    return 0


def render_briefing(briefing: Briefing) -> RenderableType:
    index = BriefingIndex.build(briefing)
    return Group(*_parts(briefing, index))


def _parts(briefing: Briefing, index: BriefingIndex) -> Iterator[RenderableType]:
    meta = briefing.meta
    yield Text(meta.headline, style="bold reverse")
    for name, value in meta_fields(meta):
        if value:
            yield Text.assemble((f"{name}: ", LABEL), value)
    if meta.caveats:
        yield Text()
        yield Text("Editor’s caveats", style=f"{HEADING} yellow")
        yield from _notes(meta.caveats)

    for section in briefing.sections:
        yield Text()
        yield Rule(Text(section_title(section), style=HEADING), align="left")
        if isinstance(section, GlanceSection):
            for bullet in section.bullets:
                yield Padding(Text.assemble("• ", bullet), (0, 0, 0, 2))
        else:
            for number, paragraph in enumerate(section.paragraphs):
                if number:
                    yield Text()
                yield Text(paragraph)

    yield from _entity_tables(briefing, index)


def _notes(notes: list[Note], owner: str | None = None) -> Iterator[RenderableType]:
    for note in notes:
        prefix = f"{owner}: " if owner else ""
        yield _footnote(prefix, Text(note_text(note), style=EDITOR))


def _footnote(prefix: str, text: Text) -> RenderableType:
    """``• <the row it belongs to>: <what it says>``."""
    return Padding(Text.assemble("• ", (prefix, HEADING), text), (0, 0, 0, 2))


def _table(title: str, *columns: str) -> Table:
    table = Table(
        title=Text(title, style=HEADING),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        expand=True,
        show_lines=False,
        pad_edge=False,
    )
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


class _Marks:
    """The marks a table prints, for the legend under it."""

    def __init__(self) -> None:
        self.used: list[str] = []

    def add(self, mark: str) -> str:
        if mark:
            self.used.append(mark)
        return mark

    def legend(self) -> Iterator[RenderableType]:
        legend = marks_legend(self.used, MARKS_LONG)
        if legend:
            yield Text.assemble(("Marks: ", LABEL), (legend, EDITOR))


def _linked(name: str, link: Link | None, marks: _Marks) -> Text:
    """A linked entry's name, with its mark and how it is known when the article does not state it."""
    basis = link_basis(link)
    if not name or not basis:
        return Text(name)
    return Text.assemble(name, " ", (f"{marks.add(link_mark(link))} ({basis})", EDITOR))


def _link_notes(entity: Entity, row: str, index: BriefingIndex) -> Iterator[RenderableType]:
    """The editor's reason or the outside source of a link, where the cell has no room for it."""
    for reference in kind_of(entity).references:
        link = link_of(entity, reference.field)
        ids = referenced_ids(entity, reference)
        target = reference.target
        if target == "section" or not ids or link_qualifier(link) == link_basis(link):
            continue
        names = ", ".join(index.name_of(EntityRef(target, i)) for i in ids)
        yield _footnote(
            f"{row}, {reference.outgoing.lower()} {names} {link_mark(link)}: ",
            Text(link_qualifier(link), style=EDITOR),
        )


def _dated(when_text: str, mark: str, marks: _Marks) -> Text:
    return Text.assemble(when_text, (f" {marks.add(mark)}" if mark else "", EDITOR))


def _entity_tables(briefing: Briefing, index: BriefingIndex) -> Iterator[RenderableType]:
    if briefing.assets:
        marks = _Marks()
        table = _table(ASSET.title, "Name", "Kind", "Count", "Status", "Location", "Owner", "Source")
        for asset in briefing.assets:
            table.add_row(
                Text(asset.name),
                Text(label(asset.kind)),
                Text(count_text(asset.count)),
                Text(asset.status or ""),
                _linked(index.location_name(asset.location), link_of(asset, "location"), marks),
                _linked(index.actor_name(asset.owner), link_of(asset, "owner"), marks),
                _linked(
                    ", ".join(index.actor_name(a) for a in asset.reported_by), link_of(asset, "reported_by"), marks
                ),
            )
        yield Text()
        yield table
        yield from marks.legend()
        for asset in briefing.assets:
            yield from _link_notes(asset, asset.name, index)
            yield from _notes(asset.notes, asset.name)

    if briefing.actors:
        marks = _Marks()
        table = _table(ACTOR.title, "Name", "Kind", "Role (editor)", "Affiliation")
        for actor in briefing.actors:
            table.add_row(
                Text(actor.name),
                Text(label(actor.kind)),
                Text(actor.role or "", style=EDITOR),
                _linked(index.actor_name(actor.affiliation), link_of(actor, "affiliation"), marks),
            )
        yield Text()
        yield table
        yield from marks.legend()
        for actor in briefing.actors:
            yield from _link_notes(actor, actor.name, index)
            yield from _notes(actor.notes, actor.name)

    if briefing.quotes:
        marks = _Marks()
        table = _table(QUOTE.title, "Speaker", "Quote", "Context", "Date")
        for quote in briefing.quotes:
            table.add_row(
                Text(index.actor_name(quote.speaker)),
                Text(f"“{quote.text}”"),
                Text(quote.context or ""),
                _dated(when_short(quote.when), date_mark(quote.when), marks),
            )
        yield Text()
        yield table
        yield from marks.legend()
        for quote in briefing.quotes:
            # Named by speaker and first words: two quotes of one speaker must not read the same.
            row = display_name(quote, index)
            if quote.when is not None:
                yield _footnote(f"{row}, date: ", Text(when_long(quote.when)))
            yield from _notes(quote.notes, row)

    if briefing.locations:
        marks = _Marks()
        table = _table(LOCATION.title, "Name", "Kind", "Within or near", "Position")
        for location in briefing.locations:
            places = []
            if location.within:
                places.append(_linked(index.location_name(location.within), link_of(location, "within"), marks))
            if location.near:
                near = _linked(index.location_name(location.near), link_of(location, "near"), marks)
                places.append(Text.assemble("near ", near))
            place = Text("; ").join(places)
            marks.add(position_mark(location.position))
            table.add_row(
                Text(location.name),
                Text(label(location.kind)),
                place,
                Text(position_long(location.position) if location.position else "no position"),
            )
        yield Text()
        yield table
        yield from marks.legend()
        for location in briefing.locations:
            yield from _link_notes(location, location.name, index)
            yield from _notes(location.notes, location.name)

    if briefing.events:
        marks = _Marks()
        table = _table(EVENT.title, "Date", "What", "Where", "Reported by")
        for event in sorted(briefing.events, key=lambda e: e.when.date):
            table.add_row(
                _dated(when_short(event.when), date_mark(event.when), marks),
                Text(event.what),
                _linked(index.location_name(event.where), link_of(event, "where"), marks),
                _linked(
                    ", ".join(index.actor_name(a) for a in event.reported_by), link_of(event, "reported_by"), marks
                ),
            )
        yield Text()
        yield table
        yield from marks.legend()
        for event in briefing.events:
            # Named by the article's words for it, never by its id.
            row = f"“{display_name(event, index)}”"
            yield _footnote(f"{row}, date: ", Text(when_long(event.when)))
            yield from _link_notes(event, row, index)
            yield from _notes(event.notes, row)
