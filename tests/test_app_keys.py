"""Every key binding of the reader, pressed through a Pilot, checked by what a user would notice.

Focus changes and screen switches cost a few hundred milliseconds each, so
related bindings share one app run; setup that is not under test (opening a
detail screen, choosing a section) is sometimes done by calling the app.
"""

from __future__ import annotations

import itertools
import re

import pytest
from app_helpers import (
    PANE_KEYS,
    choose_in_palette,
    focused_pane,
    lines_in_style,
    make_app,
    open_palette,
    outside_screen,
    palette_prompts,
    record_bells,
    run_palette_command,
    running,
    screen_lines,
    shown,
    sparta,
    text_of,
    wait_until,
)
from textual.binding import BindingsMap
from textual.command import CommandPalette
from textual.geometry import Region
from textual.widgets import Tabs

from briefing.analysis.describe import note_text
from briefing.analysis.index import EntityRef, display_name, ref_of, section_title
from briefing.app.commands import BriefingCommands
from briefing.app.panes import PANE_NAMES
from briefing.app.screens.caveats import CaveatsScreen
from briefing.app.screens.detail import EntityScreen, FieldsView, LinksList
from briefing.app.screens.help import HelpScreen
from briefing.app.screens.main import MainScreen
from briefing.app.widgets.entity_table import EntityTable
from briefing.app.widgets.quotes import QuotesPane
from briefing.app.widgets.reader import ReaderPane
from briefing.app.widgets.section_nav import SectionNav
from briefing.storage.settings import DEFAULT_THEME, Config, load_config

SMALL = (80, 24)
MEDIUM = (120, 40)
SECTION_IDS = [section.id for section in sparta().sections]
ENTITY_PANES = ["assets", "actors", "quotes"]
# The panes under the tab row.
TABBED_PANES = [pane_id for pane_id in PANE_KEYS if pane_id not in ("sections", "reader")]
SPARTA = EntityRef("asset", "sparta")


async def assert_each_key_closes(pilot, screen_type: type, open_key: str, keys: list[str]) -> None:
    """Each of ``keys`` closes the ``screen_type`` that ``open_key`` opens, back to the main screen;
    none of them quits (``q`` there closes the overlay, not the app)."""
    app = pilot.app
    for key in keys:
        if not isinstance(app.screen, screen_type):
            await pilot.press(open_key)
        assert isinstance(app.screen, screen_type), key
        await pilot.press(key)
        assert isinstance(app.screen, MainScreen), key
    assert app.is_running


def reader_of(app) -> ReaderPane:
    return app.main_screen.query_one(ReaderPane)


def section_shown(app) -> str:
    """The id of the section the reader shows, after checking its border title names it."""
    reader = reader_of(app)
    assert reader.section is not None
    number = SECTION_IDS.index(reader.section.id) + 1
    assert str(reader.border_title) == f"{section_title(reader.section)} · {number}/{len(SECTION_IDS)}"
    return reader.section.id


def pane_entities(pane_id: str) -> list[EntityRef]:
    briefing = sparta()
    entities = {"assets": briefing.assets, "actors": briefing.actors, "quotes": briefing.quotes}[pane_id]
    return [ref_of(entity) for entity in entities]


def selected(app, pane_id: str) -> EntityRef | None:
    pane = app.main_screen.query_one(f"#{pane_id}")
    assert isinstance(pane, (EntityTable, QuotesPane))
    return pane.selected


async def open_detail(pilot, ref: EntityRef) -> EntityScreen:
    """Setup: the detail screen of ``ref`` (opening one by keys is tested elsewhere)."""
    await pilot.app.open_entity(ref)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, EntityScreen)
    assert screen.ref == ref
    return screen


# Focus: Tab and Shift+Tab (number keys: see the responsive tests)


async def test_tab_and_shift_tab_cycle_focus_through_the_panes_and_tabs_click(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=MEDIUM) as pilot:
        order = list(PANE_KEYS)
        # The order first; later panes (the analyst's views) follow.
        assert order[:5] == ["sections", "reader", "assets", "actors", "quotes"]
        assert focused_pane(app) == "sections"
        for expected in [*order[1:], order[0]]:
            await pilot.press("tab")
            assert focused_pane(app) == expected, "tab"
            assert shown(app.focused)
        # Backwards from the quotes through the five, wrapping round to the last pane.
        await pilot.press(PANE_KEYS["quotes"])
        for expected in ["actors", "assets", "reader", "sections", order[-1]]:
            await pilot.press("shift+tab")
            assert focused_pane(app) == expected, "shift+tab"
            assert shown(app.focused)
        # The mouse: a click on a tab shows its pane.
        assert await pilot.click("#tab-actors")
        await pilot.pause()
        assert shown(app.screen.query_one("#actors"))
        assert not shown(app.screen.query_one("#assets"))


# Sections: [ and ], and the section list


async def test_brackets_step_through_sections_from_any_pane(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=MEDIUM) as pilot:
        assert section_shown(app) == SECTION_IDS[0]
        await pilot.press("]")
        assert section_shown(app) == SECTION_IDS[1]
        await pilot.press("4", "]")
        assert section_shown(app) == SECTION_IDS[2]
        assert focused_pane(app) == "actors", "[ and ] must not move the focus"
        await pilot.press("]")
        await pilot.press("2", "[")
        assert section_shown(app) == SECTION_IDS[2]
        assert focused_pane(app) == "reader"
        # The section list follows.
        assert app.screen.query_one(SectionNav).highlighted == 2


async def test_brackets_stop_at_the_first_and_last_section_with_a_bell(tmp_path):
    app = make_app(tmp_path)
    bells = record_bells(app)
    async with running(app, size=MEDIUM) as pilot:
        await pilot.press("[")
        assert section_shown(app) == SECTION_IDS[0]
        assert len(bells) == 1
        await pilot.press("G")
        assert section_shown(app) == SECTION_IDS[-1]
        assert len(bells) == 1
        await pilot.press("]")
        assert section_shown(app) == SECTION_IDS[-1]
        assert len(bells) == 2
        assert app.is_running


async def test_section_list_keys_click_and_enter(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=MEDIUM) as pilot:
        nav = app.screen.query_one(SectionNav)
        steps = [("j", 1), ("down", 2), ("k", 1), ("up", 0), ("G", len(SECTION_IDS) - 1), ("g", 0)]
        for key, position in steps:
            await pilot.press(key)
            assert nav.highlighted == position, key
            assert section_shown(app) == SECTION_IDS[position], key
            assert focused_pane(app) == "sections"
        await pilot.press("j", "enter")
        assert focused_pane(app) == "reader"
        assert section_shown(app) == SECTION_IDS[1]
        # A click on the third line inside the border: the third section, to read.
        assert await pilot.click("#sections", offset=(3, 3))
        await pilot.pause()
        assert section_shown(app) == SECTION_IDS[2]


def highlighted_text(widget, component: str) -> str:
    """The words on the lines ``widget`` draws in ``component``'s look, borders left out."""
    drawn = widget.render_lines(Region(0, 0, *widget.outer_size))
    lines = ["".join(segment.text for segment in drawn[y]) for y in lines_in_style(widget, component)]
    return " ".join(" ".join(line.strip(" │").split()) for line in lines)


async def test_section_list_draws_the_highlight_on_the_highlighted_section_only(tmp_path):
    """Moving the highlight redraws only the lines it leaves and reaches: what is drawn must follow it,
    titles wrapped over several lines included, and at a new width."""
    app = make_app(tmp_path)
    titles = [section_title(section) for section in sparta().sections]
    async with running(app, size=MEDIUM) as pilot:
        nav = app.screen.query_one(SectionNav)
        assert any(nav.titles[i].get_height({}, 24) > 1 for i in range(len(titles))), "a title that wraps"
        for key in ["]", "]", "]", "[", "G", "k", "g", "j"]:
            await pilot.press(key)
            await pilot.pause()
            assert highlighted_text(nav, "option-list--option-highlighted") == titles[nav.highlighted], key
        await pilot.resize_terminal(100, 30)
        await pilot.pause(0.2)
        for key in ["]", "]", "["]:
            await pilot.press(key)
            await pilot.pause()
            assert highlighted_text(nav, "option-list--option-highlighted") == titles[nav.highlighted], key


async def test_a_table_scrolled_down_draws_its_cursor_where_it_moves(tmp_path):
    """Up and Down inside a scrolled table redraw the lines the cursor leaves and reaches, not others."""
    app = make_app(tmp_path)
    async with running(app, size=SMALL) as pilot:
        await pilot.press("3")
        table = app.main_screen.query_one("#assets", EntityTable)
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert table.scroll_offset.y > 0, "the table must be scrolled for this test"
        for key in ["up", "up", "down", "up"]:
            await pilot.press(key)
            await pilot.pause()
            # Below the border and the header line.
            drawn_at = table.content_region.y - table.region.y + 1 + table.cursor_row - table.scroll_offset.y
            assert lines_in_style(table, "row-table--cursor") == [drawn_at], key


# The reader


async def test_every_section_scrolls_to_its_own_end_after_a_switch(tmp_path):
    """The scroll size follows the section shown, short (it all fits) or long."""
    app = make_app(tmp_path)
    async with running(app, size=SMALL) as pilot:
        await pilot.press("2")
        reader = reader_of(app)
        order = [*range(len(SECTION_IDS)), *reversed(range(len(SECTION_IDS) - 1))]
        for number in order:
            app.main_screen.show_section(SECTION_IDS[number])
            await pilot.press("G")
            await pilot.pause()
            lines = reader.lines
            assert reader.virtual_size.height == len(lines), SECTION_IDS[number]
            assert reader.max_scroll_y == max(len(lines) - reader.scrollable_content_region.height, 0)
            assert reader.scroll_y == reader.max_scroll_y
            # The scrollbar is always there (the text keeps its width), its thumb this section's.
            assert reader.show_vertical_scrollbar, SECTION_IDS[number]
            assert reader.vertical_scrollbar.window_virtual_size == len(lines)
            last = lines[-1].plain.strip()
            assert any(last in line for line in screen_lines(app)), (SECTION_IDS[number], last)


async def test_reader_scroll_and_copy_keys(tmp_path):
    app = make_app(tmp_path)
    longest = max(sparta().sections, key=lambda s: sum(map(len, getattr(s, "paragraphs", None) or [])))
    async with running(app, size=SMALL) as pilot:
        app.main_screen.show_section(longest.id)
        await pilot.press("2")
        assert section_shown(app) == longest.id
        reader = reader_of(app)
        page = reader.scrollable_content_region.height
        half = page // 2
        assert reader.max_scroll_y > 2 * page, "the test needs a section several pages long"
        assert reader.scroll_y == 0
        steps = [
            ("j", 1),
            ("down", 2),
            ("k", 1),
            ("up", 0),
            ("ctrl+d", half),
            ("ctrl+u", 0),
            ("space", page),
            ("G", reader.max_scroll_y),
            ("g", 0),
        ]
        for key, scroll_y in steps:
            await pilot.press(key)
            assert reader.scroll_y == scroll_y, key
        await pilot.press("y")
        assert app.clipboard.startswith(section_title(longest))
        assert longest.paragraphs[-1] in app.clipboard
        assert app.clipboard.endswith(f"Source: {sparta().meta.headline}")


# The entity panes: assets and actors tables, the quotes list


def copied_entity_ok(app, ref: EntityRef) -> bool:
    clipboard = app.clipboard
    headline = sparta().meta.headline
    entity = app.index.get(ref)
    if ref.kind == "quote":
        return entity.text in clipboard and app.index.actors[entity.speaker].name in clipboard and headline in clipboard
    return clipboard.startswith(app.index.name_of(ref)) and f"Source: {headline}" in clipboard


@pytest.mark.parametrize("pane_id", ENTITY_PANES)
async def test_entity_pane_cursor_copy_and_enter_keys(tmp_path, pane_id):
    app = make_app(tmp_path)
    refs = pane_entities(pane_id)
    async with running(app, size=SMALL) as pilot:
        await pilot.press(PANE_KEYS[pane_id])
        assert selected(app, pane_id) == refs[0]
        for key, row in [("j", 1), ("down", 2), ("k", 1), ("up", 0), ("G", len(refs) - 1), ("g", 0)]:
            await pilot.press(key)
            assert selected(app, pane_id) == refs[row], key
        await pilot.press("ctrl+d")
        paged = selected(app, pane_id)
        assert paged is not None
        assert refs.index(paged) > 1, "ctrl+d moves a page, not a row"
        await pilot.press("ctrl+u")
        assert selected(app, pane_id) == refs[0]
        await pilot.press("j", "y")
        assert copied_entity_ok(app, refs[1]), app.clipboard
        assert focused_pane(app) == pane_id
        await pilot.press("enter")
        assert isinstance(app.screen, EntityScreen)
        assert app.screen.ref == refs[1]
        if pane_id == "actors":
            return  # the same table class as the assets: no need to pay for the rest twice
        await pilot.press("escape")
        assert focused_pane(app) == pane_id
        assert selected(app, pane_id) == refs[1]
        # d opens the details too.
        await pilot.press("d")
        assert isinstance(app.screen, EntityScreen)
        assert app.screen.ref == refs[1]


async def test_clicking_a_table_row_opens_it(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=MEDIUM) as pilot:
        await pilot.press("3")
        # Inside the border and below the header row: the third row (assets and actors share the code).
        # The first click selects the row, a click on the selected row opens it.
        assert await pilot.click("#assets", offset=(4, 4))
        await pilot.pause()
        assert app.main_screen.query_one("#assets", EntityTable).cursor_row == 2
        assert not isinstance(app.screen, EntityScreen)
        assert await pilot.click("#assets", offset=(4, 4))
        await pilot.pause()
        assert isinstance(app.screen, EntityScreen), "a click on the selected row should open it, as Enter does"
        assert app.screen.ref == pane_entities("assets")[2]


async def test_clicking_a_quote_opens_it(tmp_path):
    app = make_app(tmp_path)
    quote = sparta().quotes[1]
    async with running(app, size=MEDIUM) as pilot:
        await pilot.press("5")
        assert selected(app, "quotes") == pane_entities("quotes")[0]
        pane = app.screen.query_one("#quotes")
        start = f"“{quote.text[:20]}"
        y = next(
            y
            for y, line in enumerate(screen_lines(app))
            if y in range(pane.region.y, pane.region.bottom) and start in line
        )
        assert await pilot.click(offset=(pane.region.x + 4, y))
        await pilot.pause()
        assert isinstance(app.screen, EntityScreen)
        assert app.screen.ref == ref_of(quote)


# The detail screen


async def test_detail_links_keys_copy_and_enter_opens_the_linked_entity(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=MEDIUM) as pilot:
        detail = await open_detail(pilot, SPARTA)
        links = detail.query_one(LinksList)
        assert app.focused is links
        assert links.option_count >= 3
        for key, position in [("j", 1), ("k", 0), ("G", links.option_count - 1), ("g", 0), ("down", 1)]:
            await pilot.press(key)
            assert links.highlighted == position, key
        await pilot.press("y")
        assert copied_entity_ok(app, SPARTA), app.clipboard
        target = detail.targets[1]
        depth = len(app.screen_stack)
        await pilot.press("enter")
        assert isinstance(app.screen, EntityScreen)
        assert app.screen.ref == target
        assert len(app.screen_stack) == depth + 1


async def test_escape_backspace_and_b_all_go_back(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=MEDIUM) as pilot:
        # Escape goes back one screen at a time.
        detail = await open_detail(pilot, SPARTA)
        await pilot.press("enter")
        assert isinstance(app.screen, EntityScreen)
        assert app.screen is not detail
        await pilot.press("escape")
        assert app.screen is detail
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        # Backspace and b too, from the links and from the fields view.
        for key, where in [("backspace", LinksList), ("b", FieldsView)]:
            await open_detail(pilot, SPARTA)
            if where is FieldsView:
                await pilot.press("tab")
            assert isinstance(app.focused, where)
            await pilot.press(key)
            assert isinstance(app.screen, MainScreen), key


async def test_section_link_of_a_quote_returns_to_the_main_screen_at_that_section(tmp_path):
    app = make_app(tmp_path)
    quote = sparta().quotes[-1]
    assert quote.section is not None
    async with running(app, size=MEDIUM) as pilot:
        detail = await open_detail(pilot, ref_of(quote))
        links = detail.query_one(LinksList)
        assert len(detail.targets) == links.option_count
        assert quote.section in detail.targets
        assert "Appears in section:" in str(links.get_option_at_index(detail.targets.index(quote.section)).prompt)
        await pilot.press(*["j"] * detail.targets.index(quote.section))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert section_shown(app) == quote.section
        assert focused_pane(app) == "reader"


async def test_detail_tab_moves_focus_and_fields_view_scrolls(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=SMALL) as pilot:
        detail = await open_detail(pilot, SPARTA)
        fields = detail.query_one(FieldsView)
        links = detail.query_one(LinksList)
        assert app.focused is links
        await pilot.press("tab")
        assert app.focused is fields
        assert fields.max_scroll_y > 2, "the test needs a fields view that scrolls at 80x24"
        for key, scroll_y in [("j", 1), ("k", 0), ("G", fields.max_scroll_y), ("g", 0)]:
            await pilot.press(key)
            assert fields.scroll_y == scroll_y, key
        await pilot.press("tab")
        assert app.focused is links
        await pilot.press("shift+tab")
        assert app.focused is fields


# Help


def help_rows(text: str) -> dict[str, list[tuple[list[str], str]]]:
    """Help text -> {group title: [(keys, description)]}."""
    groups: dict[str, list[tuple[list[str], str]]] = {}
    for block in text.split("\n\n"):
        title, *lines = block.split("\n")
        rows = []
        for line in lines:
            keys, _, description = re.split(r"(\s{2,})", line.strip(), maxsplit=1)
            rows.append((keys.split(", "), description))
        groups[title] = rows
    return groups


async def help_text(pilot) -> str:
    await pilot.press("question_mark")
    assert isinstance(pilot.app.screen, HelpScreen)
    return text_of(pilot.app.screen.query_one("#help-text"))


async def test_help_opens_scrolls_closes_and_lists_every_key(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=SMALL) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one("#help-body")
        await pilot.press("j", "j", "k")
        assert body.scroll_y == 1
        await assert_each_key_closes(pilot, HelpScreen, "question_mark", ["escape", "q", "question_mark", "backspace"])

        # It lists every key a user can press, wherever they are (App.active_bindings).
        text = await help_text(pilot)
        groups = help_rows(text)
        await pilot.press("escape")
        missing = []
        async for title, active in active_bindings_by_group(pilot):
            listed = {key for keys, _ in groups[title] for key in keys}
            for binding in (b.binding for b in active):
                if not binding.system and app.get_key_display(binding) not in listed:
                    missing.append(f"{title}: {binding.key} ({binding.action})")
        assert not missing, "bindings missing from help:\n" + "\n".join(missing)
        assert (["^p"], "Command palette") in groups["Anywhere"]


# Where each help group's keys are live: the keys to press to get there, the widget then focused.
HELP_CONTEXTS: dict[str, list[str]] = {
    "Sections list": ["1"],
    "Reader": ["2"],
    "Assets and actors tables": ["3"],
    "Quotes": ["5"],
    "Timeline": ["6"],
    "Map: the list of places": ["7"],
    "Claims": ["8"],
}


async def active_bindings_by_group(pilot):
    """(help group, the active bindings of the focused widget there), as the running app reports them."""
    app = pilot.app
    for title, keys in HELP_CONTEXTS.items():
        await pilot.press(*keys)
        await pilot.pause()
        yield title, [b for b in app.active_bindings.values() if b.node not in (app, app.screen)]
    yield "Anywhere", [b for b in app.active_bindings.values() if b.node is app]
    yield "Main screen", [b for b in app.active_bindings.values() if b.node is app.screen]
    await pilot.press("3", "enter")
    assert isinstance(app.screen, EntityScreen)
    for _ in range(2):
        yield "Detail view", [b for b in app.active_bindings.values() if b.node is not app]
        await pilot.press("tab")
    await pilot.press("escape", "question_mark")
    yield "Help and caveats", [b for b in app.active_bindings.values() if b.node is not app]
    await pilot.press("escape", "c")
    yield "Help and caveats", [b for b in app.active_bindings.values() if b.node is not app]
    await pilot.press("escape")


def declared_by_the_project(active) -> bool:
    """Whether a class of briefing's own, of the node, declares the binding (not a Textual widget it builds on)."""
    return any(
        active.binding == declared
        for cls in type(active.node).__mro__
        if cls.__module__.startswith("briefing.")
        for _, declared in BindingsMap(cls.__dict__.get("BINDINGS", []))
    )


async def test_help_shows_each_bindings_own_description(tmp_path):
    """Each of the project's bindings is on a help row that says what *that* binding does.

    The row must contain the binding's description or its tooltip (case aside):
    the footer shows the description, so help must not word it differently.
    """
    app = make_app(tmp_path)
    async with running(app, size=MEDIUM) as pilot:
        groups = help_rows(await help_text(pilot))
        await pilot.press("escape")
        wrong = []
        async for title, active in active_bindings_by_group(pilot):
            for entry in active:
                if not declared_by_the_project(entry):
                    continue
                binding = entry.binding
                key = app.get_key_display(binding)
                wanted = [w.lower() for w in (binding.description, binding.tooltip) if w]
                rows = [description.lower() for keys, description in groups[title] if key in keys]
                if not any(w in row for w in wanted for row in rows):
                    wrong.append(f"{title}: {key!r} says {binding.description!r}, help says {rows}")
        assert not wrong, "help rows that do not describe their binding:\n" + "\n".join(wrong)


# Caveats


async def test_caveats_screen_lists_every_caveat_and_closes_with_each_close_key(tmp_path):
    app = make_app(tmp_path)
    caveats = sparta().meta.caveats
    assert caveats
    async with running(app, size=SMALL) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, CaveatsScreen)
        shown_caveats = [text_of(widget) for widget in app.screen.query(".caveat")]
        assert shown_caveats == [f"• {note_text(caveat)}" for caveat in caveats]
        body = app.screen.query_one("#caveats-body")
        assert body.max_scroll_y > 0
        await pilot.press("j", "j", "k")
        assert body.scroll_y == 1
        await assert_each_key_closes(pilot, CaveatsScreen, "c", ["escape", "c", "q", "backspace"])


# Zoom


# The entity tables zoom the same way: the actors stand for all; the map is a container.
@pytest.mark.parametrize("pane_id", ["sections", "reader", "actors", "map"])
async def test_z_maximizes_the_focused_pane_and_restores_it(tmp_path, pane_id):
    app = make_app(tmp_path)
    async with running(app, size=SMALL) as pilot:
        screen = app.screen
        pane = screen.query_one(f"#{pane_id}")
        others = [screen.query_one(f"#{other}") for other in ("sections", "reader", "panes") if other != pane_id]
        await pilot.press(PANE_KEYS[pane_id], "z")
        assert screen.maximized is pane, f"z did not maximize {pane_id}"
        assert pane.region.height >= SMALL[1] - 1
        assert pane.region.width == SMALL[0], f"zoomed {pane_id} is {pane.region.width} wide"
        assert focused_pane(app) == pane_id
        await pilot.press("z")
        assert screen.maximized is None
        assert all(shown(widget) for widget in others)
        assert pane.region.height < SMALL[1] - 1
        assert focused_pane(app) == pane_id


# Quitting


@pytest.mark.parametrize(("key", "where"), [("q", "main"), ("ctrl+q", "main"), ("q", "detail")])
async def test_quit_keys_exit_the_app(tmp_path, key, where):
    app = make_app(tmp_path)
    async with running(app, size=MEDIUM) as pilot:
        if where == "detail":
            await open_detail(pilot, SPARTA)
        assert app.is_running
        await pilot.press(key)
        assert not app.is_running
    assert app.return_code == 0


# The command palette


def expected_commands(app) -> set[str]:
    index = app.index
    commands = {f"Go to section: {section_title(section)}" for section in index.briefing.sections}
    commands |= {f"Go to pane: {name}" for name in PANE_NAMES.values()}
    commands |= {f"Go to {ref_of(e).kind}: {display_name(e, index)}" for e in index.all_entities()}
    return commands


async def test_palette_lists_every_section_pane_and_entity_and_runs_go_to_commands(tmp_path):
    app = make_app(tmp_path)
    section = app.index.sections["logistics"]
    async with running(app, size=MEDIUM) as pilot:
        expected = expected_commands(app)
        assert len(expected) == len(SECTION_IDS) + len(PANE_KEYS) + len(app.index.all_entities())
        provided = [text for text, _, _ in BriefingCommands(app.screen).commands()]
        assert expected <= set(provided)
        assert len(provided) == len(set(provided)), "two commands with the same text"
        palette = await open_palette(pilot)
        assert await wait_until(pilot, lambda: expected <= set(palette_prompts(palette))), sorted(
            expected - set(palette_prompts(palette))
        )
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)

        await run_palette_command(pilot, "Go to pane: Actors", "Go to pane: Actors")
        assert isinstance(app.screen, MainScreen)
        assert focused_pane(app) == "actors"
        assert shown(app.screen.query_one("#actors"))

        await run_palette_command(pilot, "Go to section: Logistical", f"Go to section: {section_title(section)}")
        assert isinstance(app.screen, MainScreen)
        assert section_shown(app) == "logistics"
        assert app.screen.query_one(SectionNav).highlighted == SECTION_IDS.index("logistics")
        assert focused_pane(app) == "reader"

        await run_palette_command(pilot, "Go to asset: Sparta", "Go to asset: Sparta")
        assert isinstance(app.screen, EntityScreen)
        assert app.screen.ref == SPARTA
        await pilot.press("escape")
        # Back on the main screen, the entity is selected in its pane.
        assert focused_pane(app) == "assets"
        assert selected(app, "assets") == SPARTA


# The theme and the config file


async def test_theme_choice_is_saved_and_applied_on_next_start(tmp_path):
    config = tmp_path / "config.toml"
    app = make_app(tmp_path)
    async with running(app, size=MEDIUM) as pilot:
        assert app.theme == DEFAULT_THEME
        app.theme = "textual-light"
        await pilot.pause()
    assert 'theme = "textual-light"' in config.read_text(encoding="utf-8").splitlines()
    saved = config.read_text(encoding="utf-8")
    again = make_app(tmp_path)
    async with running(again, size=MEDIUM) as pilot:
        await pilot.pause()
        assert again.theme == "textual-light"
    assert config.read_text(encoding="utf-8") == saved


async def test_theme_command_in_the_palette_saves_the_choice(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=MEDIUM) as pilot:
        await run_palette_command(pilot, "Theme", "Theme")
        themes = app.screen
        assert isinstance(themes, CommandPalette)
        await choose_in_palette(pilot, themes, "textual-light", "textual-light")
        assert app.theme == "textual-light"
    assert 'theme = "textual-light"' in (tmp_path / "config.toml").read_text(encoding="utf-8")


BROKEN_CONFIGS = {
    "bad-toml": b"theme = [unclosed",
    "bad-utf8": b"\xff\xfe not utf-8",
    "not-a-string": b"theme = 42\n",
    "empty-string": b'theme = ""\n',
    "directory": None,
}


@pytest.mark.parametrize("name", list(BROKEN_CONFIGS))
def test_load_config_falls_back_to_defaults(tmp_path, name):
    path = tmp_path / "config.toml"
    content = BROKEN_CONFIGS[name]
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    config = load_config(path)
    assert config.theme == DEFAULT_THEME
    # Said once by the reader, never written back.
    assert config.problem is not None and str(path) in config.problem
    assert config._replace(problem=None) == Config()


@pytest.mark.parametrize(
    "content", [b"theme = [unclosed", b'theme = "no-such-theme"\n'], ids=["bad-toml", "unknown-theme"]
)
async def test_broken_config_falls_back_to_the_default_theme(tmp_path, content):
    config = tmp_path / "config.toml"
    config.write_bytes(content)
    app = make_app(tmp_path)
    async with running(app, size=SMALL) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        assert isinstance(app.screen, MainScreen)
    # Left alone: the theme was never changed.
    assert config.read_bytes() == content
    assert [path.name for path in tmp_path.iterdir()] == ["config.toml"]


async def test_missing_config_means_default_theme_and_nothing_is_written(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=MEDIUM) as pilot:
        assert app.theme == DEFAULT_THEME
        await pilot.press("j", "5", "enter", "escape")
        assert app.theme == DEFAULT_THEME
        await pilot.press("q")
    assert not list(tmp_path.iterdir())


# Responsive layout

SIZES = [(80, 24), (60, 20), (120, 40), (200, 60)]


def side_by_side(app, pane_ids: list[str]) -> bool:
    """The panes are all shown, in one row, none overlapping."""
    panes = sorted((app.screen.query_one(f"#{pane_id}") for pane_id in pane_ids), key=lambda pane: pane.region.x)
    return (
        all(shown(pane) for pane in panes)
        and len({pane.region.y for pane in panes}) == 1
        and all(left.region.right <= right.region.x for left, right in itertools.pairwise(panes))
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_number_keys_reach_every_pane_at_size(tmp_path, size):
    app = make_app(tmp_path)
    wide = size == (200, 60)
    async with running(app, size=size) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.pause()
        assert not outside_screen(app), outside_screen(app)
        tabs = screen.query_one(Tabs)
        for pane_id in [*PANE_KEYS, "sections"][1:]:
            await pilot.press(PANE_KEYS[pane_id])
            pane = screen.query_one(f"#{pane_id}")
            assert focused_pane(app) == pane_id
            assert shown(pane), f"{pane_id} not visible at {size}"
            assert screen.region.contains_region(pane.region), f"{pane_id} at {pane.region} outside {size}"
            assert not outside_screen(app), outside_screen(app)
            if pane_id in TABBED_PANES:
                assert tabs.active == f"tab-{pane_id}"
                # Under the tab row one pane at a time; on a wide screen the map stays beside it.
                beside = ["map"] if wide else []
                others = [other for other in TABBED_PANES if other not in (pane_id, *beside)]
                assert not any(shown(screen.query_one(f"#{other}")) for other in others)
                if wide and pane_id != "map":
                    assert side_by_side(app, [pane_id, "map"])


async def test_a_running_reader_follows_a_resize(tmp_path):
    """Wide, the map stays beside the open pane; shrunk, the panes stack; widened again, side by side."""
    app = make_app(tmp_path)
    async with running(app, size=(200, 60)) as pilot:
        await pilot.press(PANE_KEYS["assets"])
        assert side_by_side(app, ["assets", "map"])
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen.size == (80, 24)
        assert not side_by_side(app, ["assets", "map"])
        assert not outside_screen(app), outside_screen(app)
        assert shown(app.screen.query_one("#assets"))
        await pilot.press(PANE_KEYS["reader"])
        assert focused_pane(app) == "reader"
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        await pilot.press(PANE_KEYS["assets"])
        assert side_by_side(app, ["assets", "map"])
        assert not outside_screen(app), outside_screen(app)
