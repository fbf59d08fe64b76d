"""Command palette (Ctrl+P): a command for every section, pane and entity."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.style import Style

from briefing.analysis.focus import FOCUSABLE
from briefing.analysis.index import EntityRef, ref_of, section_title
from briefing.app.navigation import navigator
from briefing.app.panes import PANE_NAMES

Command = tuple[str, Callable[[], object], str]

# Textual's fuzzy matcher tries the ways a query's letters fit a candidate, and
# their number explodes with its length: a section title of 800 characters from
# a hostile file took it two seconds per keypress, one of 200 a fraction of a
# millisecond. Only this much of a command is matched (a palette line shows no more).
MATCHED_CHARS = 200


class BriefingCommands(Provider):
    def commands(self) -> Iterator[Command]:
        app = navigator(self.app)
        if not app.loaded:
            return
        index = app.index
        for section in index.briefing.sections:
            yield (
                f"Go to section: {section_title(section)}",
                partial(app.show_section, section.id),
                "Read this section",
            )
        for pane_id, name in PANE_NAMES.items():
            yield (f"Go to pane: {name}", partial(app.focus_pane, pane_id), "Move the focus to this pane")
        for entity in index.all_entities():
            ref: EntityRef = ref_of(entity)
            yield (
                f"Go to {ref.kind}: {index.name_of(ref)}",
                partial(app.open_entity, ref),
                "Show its details and links",
            )
        for entity in index.all_entities():
            ref = ref_of(entity)
            if ref.kind in FOCUSABLE:
                title = f"Focus on {ref.kind}: {index.name_of(ref)}"
                yield (title, partial(app.focus_on, ref), "Highlight its mentions, narrow the panes to it")
        yield ("Clear focus", partial(app.focus_on, None), "Show every row again")
        yield ("Show caveats", app.action_caveats, "The editor’s caveats about this article")
        if app.can_export:
            yield ("Export…", app.action_export, "Write this briefing as Markdown, HTML, JSON or STIX 2.1")
        yield ("Show keys", app.action_help, "Every key binding, generated from the app")

    async def discover(self) -> Hits:
        for text, callback, help_text in self.commands():
            # Content, not a string: the palette would parse a string as markup,
            # and names and titles come from the (untrusted) briefing.
            yield DiscoveryHit(Content(text), callback, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in self.commands():
            score, offsets = matcher.fuzzy_search.match(matcher.query, text[:MATCHED_CHARS])
            if score > 0:
                yield Hit(score, highlighted(text, offsets, matcher.match_style), callback, text=text, help=help_text)


def highlighted(text: str, offsets: Iterable[int], style: Style) -> Content:
    """``text`` taken literally, with the matched characters styled.

    Textual's ``Matcher.highlight`` parses its candidate as markup, which
    content must never be.
    """
    content = Content(text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content
