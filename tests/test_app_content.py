"""Briefing content is untrusted: the reader shows it literally and safely.

A briefing can carry Rich/Textual markup (``[bold]``, ``[link=…]``,
``[@click=app.quit]``) and, through TOML escapes, terminal control and bidi
characters. None of it may style the screen, add links or click actions, or
reach the terminal raw.
"""

from __future__ import annotations

import re

from app_helpers import (
    briefing_from_text,
    drawn_segments,
    make_app,
    open_palette,
    palette_prompts,
    running,
    screen_lines,
    screen_text,
    text_of,
    wait_until,
)
from conftest import MINIMAL
from rich.cells import cell_len
from textual.command import CommandInput

from briefing.analysis.index import EntityRef
from briefing.app.screens.caveats import CaveatsScreen
from briefing.app.screens.detail import EntityScreen
from briefing.app.screens.main import MainScreen

WIDE = (200, 60)

BOLD = "[bold]x[/bold]"
LINK = "[link=https://evil.example]click[/link]"
CLICK = "[@click=app.quit]boom[/]"
# As TOML escapes in the file, and as the loader's visible stand-ins on screen.
ESC, ESC_SHOWN = r"\u001b[2J", "␛[2J"
C1, C1_SHOWN = r"\u009b31m", "<U+009B>31m"
BIDI, BIDI_SHOWN = r"\u202e", "<U+202E>"
CONTROLS = f"esc{ESC} c1{C1} bidi{BIDI}rev"
CONTROLS_SHOWN = f"esc{ESC_SHOWN} c1{C1_SHOWN} bidi{BIDI_SHOWN}rev"

HEADLINE = f"H {BOLD} {CLICK} {CONTROLS_SHOWN}"
TITLE = f"T {BOLD}"
PARAGRAPHS = [f"P {BOLD} {LINK}", f"Q {CLICK} {CONTROLS_SHOWN}", f"We are {BOLD} drifting."]
ASSET = f"S {BOLD}"
ACTOR = f"N {CLICK}"
ROLE = f"R {BOLD} {CONTROLS_SHOWN}"
QUOTE = f"We are {BOLD} drifting."
CAVEAT = f"C {LINK} {CLICK} {CONTROLS_SHOWN}"
PLACE = f"L {BOLD}"
EVENT = f"E {CLICK}"


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def hostile_briefing_text() -> str:
    text = MINIMAL
    text = replace_once(
        text,
        'headline = "Ship breaks down"',
        f'headline = "H {BOLD} {CLICK} {CONTROLS}"\n'
        f'caveats = [{{ text = "C {LINK} {CLICK} {CONTROLS}", basis = "editor" }}]',
    )
    text = replace_once(text, 'title = "What happened"', f'title = "{TITLE}"')
    text = replace_once(
        text,
        'paragraphs = ["The ship drifted.", "Its crew said so."]',
        f'paragraphs = ["P {BOLD} {LINK}", "Q {CLICK} {CONTROLS}", "We are {BOLD} drifting."]',
    )
    text = replace_once(text, 'name = "The ship"', f'name = "{ASSET}"\nstatus = "{LINK}"')
    text = replace_once(text, 'name = "The navy"', f'name = "{ACTOR}"\nrole = "R {BOLD} {CONTROLS}"')
    text = replace_once(text, 'text = "We are drifting."', f'text = "{QUOTE}"')
    text = replace_once(text, 'name = "The sea"', f'name = "{PLACE}"')
    text = replace_once(text, 'what = "A ship broke down."', f'what = "{EVENT}"')
    return text


def hostile_app(tmp_path):
    return make_app(tmp_path, briefing_from_text(hostile_briefing_text()))


# C0 controls but the newline that joins lines, DEL, C1 controls, and the bidi formatting characters.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def assert_screen_is_safe(app) -> str:
    """No raw control characters, no hyperlinks and no click actions on screen; returns its text."""
    text = screen_text(app)
    assert not UNSAFE.findall(text), UNSAFE.findall(text)
    for segment in drawn_segments(app):
        style = segment.style
        if style is None:
            continue
        assert not style.link, f"link {style.link!r} on {segment.text!r}"
        assert "@click" not in style.meta, f"click action {style.meta['@click']!r} on {segment.text!r}"
    return text


def positions_of(app, word: str) -> list[tuple[int, int]]:
    """Screen (x, y) of each occurrence of ``word``."""
    found = []
    for y, line in enumerate(screen_lines(app)):
        for match in re.finditer(re.escape(word), line):
            found.append((cell_len(line[: match.start()]), y))
    return found


def test_the_hostile_briefing_loads_with_its_markup_and_defused_controls():
    briefing = briefing_from_text(hostile_briefing_text())
    assert briefing.meta.headline == HEADLINE
    assert briefing.sections[1].paragraphs == PARAGRAPHS
    assert briefing.actors[0].role == ROLE


async def test_main_screen_shows_markup_literally(tmp_path):
    app = hostile_app(tmp_path)
    async with running(app, size=WIDE) as pilot:
        await pilot.press("]")
        text = assert_screen_is_safe(app)
        # Header, section list, reader (with the quote set apart and attributed) and the assets table.
        for literal in [HEADLINE, TITLE, f"{TITLE} · 2/2", *PARAGRAPHS, f"— {ACTOR}", ASSET]:
            assert literal in text, literal
        # The status column is narrower than the status: its start, cut with an ellipsis.
        assert LINK[:28] in text
        await pilot.press("4")
        text = assert_screen_is_safe(app)
        assert ACTOR in text
        assert ROLE[:20] in text
        await pilot.press("5")
        text = assert_screen_is_safe(app)
        assert f"“{QUOTE}”" in text
        assert f"— {ACTOR}" in text
        # The analyst's views: timeline, map, claims.
        for pane_key, literals in [("6", [EVENT, PLACE]), ("7", [PLACE]), ("8", [QUOTE])]:
            await pilot.press(pane_key)
            text = assert_screen_is_safe(app)
            for literal in literals:
                assert literal in text, (pane_key, literal)
        # Focus on the actor: the focus bar names it.
        await pilot.press("4", "f")
        assert f"Focus: {ACTOR}" in assert_screen_is_safe(app)


async def test_detail_screens_show_markup_literally(tmp_path):
    app = hostile_app(tmp_path)
    async with running(app, size=WIDE) as pilot:
        expected = {
            EntityRef("asset", "ship"): [f"Asset · {ASSET}", f"Status: {LINK}", f"Owner: {ACTOR}"],
            EntityRef("actor", "navy"): [f"Actor · {ACTOR}", f"Role (editor): {ROLE}", f"Owns: {ASSET}"],
            EntityRef("quote", "crew-says"): [f"“{QUOTE}”", f"Speaker: {ACTOR}", f"Appears in section: {TITLE}"],
        }
        for ref, literals in expected.items():
            await app.open_entity(ref)
            await pilot.pause()
            assert isinstance(app.screen, EntityScreen)
            text = assert_screen_is_safe(app)
            for literal in literals:
                assert literal in text, literal
            await pilot.press("escape")
            assert isinstance(app.screen, MainScreen)


async def test_caveats_show_markup_literally(tmp_path):
    app = hostile_app(tmp_path)
    async with running(app, size=WIDE) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, CaveatsScreen)
        assert_screen_is_safe(app)
        # The caveat is longer than the screen is wide: read it from its widget, wrapped lines joined.
        assert [text_of(widget) for widget in app.screen.query(".caveat")] == [f"• [editor] {CAVEAT}"]
        assert "[editor] C [link=https://evil.example]click[/link]" in screen_text(app)


async def test_clicking_and_pressing_around_runs_no_action_from_the_content(tmp_path):
    app = hostile_app(tmp_path)
    async with running(app, size=WIDE) as pilot:
        await pilot.press("]")
        # Headline and reader (paragraph and attribution), then the actors table, then the quotes list.
        for pane_key, count in [("2", 3), ("4", 1), ("5", 1)]:
            await pilot.press(pane_key)
            targets = positions_of(app, "boom")
            assert len(targets) >= count, targets
            for x, y in targets:
                await pilot.click(offset=(x, y))
                await pilot.pause()
                assert app.is_running, f"a click at {(x, y)} quit the app"
                if not isinstance(app.screen, MainScreen):
                    assert_screen_is_safe(app)
                    await pilot.press("escape")
        await pilot.press("2", "y", "3", "y", "enter", "tab", "enter")
        assert app.is_running
        assert_screen_is_safe(app)


async def test_copy_and_its_notification_keep_the_text_literal(tmp_path):
    app = hostile_app(tmp_path)
    async with running(app, size=WIDE, notifications=True) as pilot:
        await pilot.press("3", "y")
        assert app.clipboard.startswith(ASSET)
        assert f"Status: {LINK}" in app.clipboard
        assert f"Source: {HEADLINE}" in app.clipboard
        assert not UNSAFE.findall(app.clipboard)
        await pilot.pause()
        assert f"Copied asset: {ASSET}" in assert_screen_is_safe(app)
        await pilot.press("5", "y")
        assert f"“{QUOTE}”" in app.clipboard
        assert f"— {ACTOR}" in app.clipboard


async def test_command_palette_shows_markup_literally(tmp_path):
    app = hostile_app(tmp_path)
    async with running(app, size=WIDE) as pilot:
        palette = await open_palette(pilot)
        assert await wait_until(pilot, lambda: any(p.startswith("Go to actor:") for p in palette_prompts(palette)))
        prompts = palette_prompts(palette)
        for literal in [f"Go to asset: {ASSET}", f"Go to actor: {ACTOR}", f"Go to section: {TITLE}"]:
            assert literal in prompts, (literal, prompts)
        assert_screen_is_safe(app)


async def test_clicking_a_palette_entry_with_click_markup_does_not_quit(tmp_path):
    app = hostile_app(tmp_path)
    async with running(app, size=WIDE) as pilot:
        palette = await open_palette(pilot)
        assert await wait_until(pilot, lambda: any(p.startswith("Go to actor:") for p in palette_prompts(palette)))
        line = next(y for y, text in enumerate(screen_lines(app)) if "Go to actor:" in text)
        x, y = next((x, y) for x, y in positions_of(app, "boom") if y == line)
        await pilot.click(offset=(x, y))
        await pilot.pause()
        assert app.is_running, "clicking an actor's name in the palette ran the name's [@click=app.quit]"


UNBALANCED = "x [/bold] y [/] z [link="


async def test_unbalanced_markup_in_names_does_not_crash_the_palette(tmp_path):
    text = hostile_briefing_text()
    text = replace_once(text, f'name = "{ACTOR}"', f'name = "{UNBALANCED}"')
    text = replace_once(text, f'title = "{TITLE}"', 'title = "[/]"')
    app = make_app(tmp_path, briefing_from_text(text))
    async with running(app, size=WIDE) as pilot:
        await pilot.press("4")
        assert UNBALANCED in assert_screen_is_safe(app)
        palette = await open_palette(pilot)
        assert await wait_until(pilot, lambda: any(p.startswith("Go to actor:") for p in palette_prompts(palette)))
        assert app.is_running
        assert f"Go to actor: {UNBALANCED}" in palette_prompts(palette)
        assert "Go to section: [/]" in palette_prompts(palette)
        # Searching highlights the matches: that must not parse the names either.
        palette.query_one(CommandInput).value = "Go to actor"
        assert await wait_until(pilot, lambda: any(p.startswith("Go to actor:") for p in palette_prompts(palette)))
        assert app.is_running
        assert f"Go to actor: {UNBALANCED}" in palette_prompts(palette)
