"""Shared helpers for the Pilot tests of the reader (tests/test_app_*.py)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path

from rich.cells import cell_len
from rich.segment import Segment
from textual.command import CommandInput, CommandList, CommandPalette
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from briefing.app.app import BriefingApp
from briefing.app.panes import PANE_KEYS as PANES
from briefing.format.model import Briefing
from briefing.format.reading import parse_briefing
from briefing.storage.briefing_files import load_briefing
from briefing.storage.paths import default_briefing_path

# Pane ids with their number keys, in Tab order (the app's own table).
PANE_KEYS: dict[str, str] = dict(PANES)


@cache
def sparta() -> Briefing:
    """The bundled briefing, loaded once per test session (the app never mutates it)."""
    result = load_briefing(default_briefing_path())
    assert result.briefing is not None, result
    return result.briefing


def briefing_from_text(text: str) -> Briefing:
    result = parse_briefing(text)
    assert result.briefing is not None, result
    return result.briefing


def make_app(tmp_path: Path, briefing: Briefing | None = None) -> BriefingApp:
    """The reader with its config file in ``tmp_path``: tests never touch ~/.config."""
    return BriefingApp(briefing or sparta(), path="test.toml", config_path=tmp_path / "config.toml")


def record_bells(app: BriefingApp) -> list[None]:
    """Count the app's bells: each ``app.bell()`` appends to the returned list."""
    bells: list[None] = []
    app.bell = lambda: bells.append(None)  # type: ignore[method-assign]
    return bells


async def wait_until(pilot: Pilot[object], predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Pause until ``predicate()`` holds (True) or ``timeout`` seconds pass (False)."""
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return True
        await pilot.pause(0.02)
    return predicate()


def focused_id(app: BriefingApp) -> str | None:
    return app.focused.id if app.focused is not None else None


def focused_pane(app: BriefingApp) -> str | None:
    """The pane (by id) that has the focus or holds the focused widget."""
    node = app.focused
    while node is not None and node is not app.screen:
        if node.id in PANE_KEYS:
            return node.id
        node = node.parent  # type: ignore[assignment]
    return None


def shown(widget: Widget) -> bool:
    """On screen: displayed with a non-empty region."""
    return widget.display and widget.region.area > 0


# One run of text in Textual's SVG screenshot: where it starts (x, in pixels),
# how wide it is (textLength, len(text) character widths) and its line (the
# line's clip path). Spaces are not drawn as text: they are the gaps.
_SVG_TEXT = re.compile(
    r'<text [^>]*?x="([\d.]+)"[^>]*?textLength="([\d.]+)"[^>]*?clip-path="url\(#[\w-]+-line-(\d+)\)"[^>]*>(.*?)</text>',
    re.S,
)


def screen_lines(app: BriefingApp) -> list[str]:
    """The current screen's text, one string per terminal line, styles stripped.

    Read from the screenshot the app exports (``App.export_screenshot``, the
    screen as the compositor draws it, overlays included): public API, where
    the compositor itself is not.
    """
    width, height = app.size
    runs: list[list[tuple[int, str]]] = [[] for _ in range(height)]
    for x, length, line, escaped in _SVG_TEXT.findall(app.export_screenshot()):
        text = html.unescape(escaped).replace("\xa0", " ")
        if text == "\n":
            continue  # the line's end, drawn as a run of its own
        character_width = float(length) / len(text)
        runs[int(line)].append((round(float(x) / character_width), text))
    lines = []
    for row in runs:
        line, cells = "", 0
        for column, text in sorted(row):
            line += " " * (column - cells) + text
            cells = column + cell_len(text)
        lines.append(line + " " * (width - cells))
    return lines


def drawn_segments(app: BriefingApp) -> Iterator[Segment]:
    """Every segment the widgets on screen draw, as the compositor asks them (``Widget.render_lines``)."""
    for widget in app.screen.walk_children(Widget, with_self=True):
        if widget.display and widget.region.area:
            for strip in widget.render_lines(Region(0, 0, *widget.outer_size)):
                yield from strip


def lines_in_style(widget: Widget, component: str) -> list[int]:
    """The lines of ``widget`` drawn with the background of its ``component`` class (a cursor, a highlight)."""
    background = widget.get_component_rich_style(component).bgcolor
    return [
        y
        for y, strip in enumerate(widget.render_lines(Region(0, 0, *widget.outer_size)))
        if any(segment.style is not None and segment.style.bgcolor == background for segment in strip)
    ]


def screen_text(app: BriefingApp) -> str:
    return "\n".join(screen_lines(app))


def text_of(widget: Widget) -> str:
    """The plain text a Static (or any widget rendering Content) shows."""
    return str(widget.render())


def outside_screen(app: BriefingApp) -> list[str]:
    """Displayed widgets whose region is not inside the screen.

    Widgets inside a scrolling container are skipped: text below the fold
    legitimately lies outside the screen until it is scrolled to.
    """
    screen = app.screen
    bad: list[str] = []
    for widget in screen.walk_children(Widget):
        if not widget.display or widget.region.area == 0:
            continue
        if any(isinstance(ancestor, ScrollableContainer) for ancestor in widget.ancestors):
            continue
        if not screen.region.contains_region(widget.region):
            bad.append(f"{widget!r} at {widget.region}")
    return bad


def palette_prompts(palette: CommandPalette) -> list[str]:
    """The first line (the command) of each entry the palette lists."""
    commands = palette.query_one(CommandList)
    return [str(commands.get_option_at_index(i).prompt).split("\n")[0] for i in range(commands.option_count)]


async def open_palette(pilot: Pilot[object]) -> CommandPalette:
    await pilot.press("ctrl+p")
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette), palette
    return palette


async def choose_in_palette(pilot: Pilot[object], palette: CommandPalette, query: str, expected: str) -> None:
    """Enter ``query`` in the palette's search box, check ``expected`` is the top hit, press Enter."""
    # Setting the value is what typing does, without a round trip per character.
    palette.query_one(CommandInput).value = query
    commands = palette.query_one(CommandList)

    def top_hit() -> str | None:
        if commands.highlighted is None or not commands.option_count:
            return None
        return str(commands.get_option_at_index(commands.highlighted).prompt).split("\n")[0]

    assert await wait_until(pilot, lambda: top_hit() == expected), f"top hit for {query!r}: {top_hit()!r}"
    await pilot.press("enter")
    await pilot.pause()


async def run_palette_command(pilot: Pilot[object], query: str, expected: str) -> None:
    """Ctrl+P, then choose ``expected`` by searching for ``query``."""
    await choose_in_palette(pilot, await open_palette(pilot), query, expected)


@asynccontextmanager
async def running(app, **kwargs):
    """The app as a user meets it: the headline, then (a frame later) the whole main screen.

    Tests that look before pressing a key wait for the lazily mounted panes;
    keys pressed earlier would wait for them too (BriefingApp.on_event holds them).
    """
    async with app.run_test(**kwargs) as pilot:
        assert await wait_until(pilot, lambda: app.main_screen.is_complete)
        await pilot.pause()
        yield pilot
