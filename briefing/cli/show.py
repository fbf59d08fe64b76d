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
    count_text,
    label,
    meta_fields,
    note_text,
    position_text,
    when_long,
    when_short,
)
from briefing.analysis.index import BriefingIndex, section_title
from briefing.cli.check import report_load_failure
from briefing.format.kinds import ACTOR, ASSET, EVENT, LOCATION, QUOTE
from briefing.format.model import Briefing, GlanceSection, Note
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
        yield Padding(Text.assemble("• ", (prefix, HEADING), (note_text(note), EDITOR)), (0, 0, 0, 2))


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


def _entity_tables(briefing: Briefing, index: BriefingIndex) -> Iterator[RenderableType]:
    if briefing.assets:
        table = _table(ASSET.title, "Name", "Kind", "Count", "Status", "Location", "Owner", "Source")
        for asset in briefing.assets:
            table.add_row(
                Text(asset.name),
                Text(label(asset.kind)),
                Text(count_text(asset.count)),
                Text(asset.status or ""),
                Text(index.location_name(asset.location)),
                Text(index.actor_name(asset.owner)),
                Text(", ".join(index.actor_name(a) for a in asset.reported_by)),
            )
        yield Text()
        yield table
        for asset in briefing.assets:
            yield from _notes(asset.notes, asset.name)

    if briefing.actors:
        table = _table(ACTOR.title, "Name", "Kind", "Role (editor)", "Affiliation")
        for actor in briefing.actors:
            table.add_row(
                Text(actor.name),
                Text(label(actor.kind)),
                Text(actor.role or "", style=EDITOR),
                Text(index.actor_name(actor.affiliation)),
            )
        yield Text()
        yield table
        for actor in briefing.actors:
            yield from _notes(actor.notes, actor.name)

    if briefing.quotes:
        table = _table(QUOTE.title, "Speaker", "Quote", "Context", "Date")
        for quote in briefing.quotes:
            table.add_row(
                Text(index.actor_name(quote.speaker)),
                Text(f"“{quote.text}”"),
                Text(quote.context or ""),
                Text(when_short(quote.when)),
            )
        yield Text()
        yield table
        for quote in briefing.quotes:
            if quote.when is not None:
                yield Padding(
                    Text.assemble("• ", (f"{index.actor_name(quote.speaker)}, date: ", HEADING), when_long(quote.when)),
                    (0, 0, 0, 2),
                )
            yield from _notes(quote.notes, index.actor_name(quote.speaker))

    if briefing.locations:
        table = _table(LOCATION.title, "Name", "Kind", "Within", "Approx. position")
        for location in briefing.locations:
            table.add_row(
                Text(location.name),
                Text(label(location.kind)),
                Text(index.location_name(location.within)),
                Text(position_text(location.position)),
            )
        yield Text()
        yield table
        for location in briefing.locations:
            yield from _notes(location.notes, location.name)

    if briefing.events:
        table = _table(EVENT.title, "Date", "What", "Where", "Reported by")
        for event in sorted(briefing.events, key=lambda e: e.when.date):
            table.add_row(
                Text(when_short(event.when)),
                Text(event.what),
                Text(index.location_name(event.where)),
                Text(", ".join(index.actor_name(a) for a in event.reported_by)),
            )
        yield Text()
        yield table
        for event in briefing.events:
            yield Padding(
                Text.assemble("• ", (f"{event.id}, date: ", HEADING), when_long(event.when)),
                (0, 0, 0, 2),
            )
            yield from _notes(event.notes, event.id)
