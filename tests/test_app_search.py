"""Search inside the open briefing, by keyboard: `/`, typing, Enter, n / N, Escape, x.

"Tartus" is in four sections of the Sparta briefing (one match each, At a
Glance to the last section) and in five entries; "troops" in the lede and the
withdrawal section.
"""

from __future__ import annotations

import pytest
from app_helpers import make_app, outside_screen, record_bells, running, screen_text, text_of, wait_until
from textual import events

from briefing.analysis.find import find_text
from briefing.analysis.index import EntityRef
from briefing.analysis.mentions import Mentions
from briefing.app.widgets.quotes import QuotesPane
from briefing.app.widgets.reader import CURRENT_STYLE, MENTION_STYLE, ReaderPane
from briefing.app.widgets.search_bar import SearchBar, SearchInput

SIZES = [(120, 40), (80, 24)]
TARTUS_SECTIONS = ["at-a-glance", "withdrawal", "logistics", "implications"]
HUR = EntityRef("actor", "hur")


def reader_of(app) -> ReaderPane:
    return app.main_screen.query_one(ReaderPane)


def focus_bar(app) -> str:
    bar = app.main_screen.query_one("#focus-bar")
    return text_of(bar) if bar.display else ""


def rows(app, pane_id: str) -> list[str]:
    pane = app.main_screen.query_one(f"#{pane_id}")
    if isinstance(pane, QuotesPane):
        return [option.id for option in pane.options if option.id]
    return [entity.id for entity in pane.items]


def bar_open(app) -> bool:
    bar = app.main_screen.search_bar
    return bar is not None and bar.display and isinstance(app.focused, SearchInput)


def words(app, style: str) -> list[str]:
    return [w.casefold() for w in reader_of(app).highlighted(style)]


async def search_for(pilot, term: str) -> None:
    await pilot.press("slash", *term)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_slash_type_enter_then_n_and_n_across_sections(tmp_path, size):
    app = make_app(tmp_path)
    async with running(app, size=size) as pilot:
        await pilot.press("3")  # from a pane that is not the reader: "/" works anywhere on the screen
        await search_for(pilot, "TARTUS")
        assert bar_open(app)
        # Each key searched as typed: matches in the text highlighted, counted, the panes narrowed.
        assert focus_bar(app).startswith("Search: “TARTUS” · 4 in text · 5 entries")
        assert rows(app, "assets") == ["hmeimim-air-base", "tartus-naval-base"]
        assert rows(app, "actors") == ["isw"]
        assert rows(app, "timeline") == ["isw-assessment"]
        assert rows(app, "quotes") == []
        assert "4 matches · 0 here · n/N" in str(reader_of(app).border_subtitle)
        # Still in the lede: nothing moves before Enter.
        assert reader_of(app).section.id == "lede"

        await pilot.press("enter")
        await pilot.pause()
        assert not bar_open(app)
        assert app.focused.id == "assets", "the focus goes back where it was"
        assert reader_of(app).section.id == "at-a-glance"
        assert words(app, CURRENT_STYLE) == ["tartus"]
        assert "1/4 matches · 1 here · n/N" in str(reader_of(app).border_subtitle)
        assert "x clears" in focus_bar(app)
        text = screen_text(app)
        assert "Search: “TARTUS” · 4 in text · 5 entries · x clears" in text
        assert "1/4 matches" in text
        assert not outside_screen(app)

        seen = []
        for key in ["n", "n", "n", "N", "N"]:
            await pilot.press(key)
            await pilot.pause()
            seen.append(reader_of(app).section.id)
            assert words(app, CURRENT_STYLE) == ["tartus"], key
        assert seen == ["withdrawal", "logistics", "implications", "logistics", "withdrawal"]
        # The section list follows the reader.
        nav = app.main_screen.nav
        assert nav.highlighted == [s.id for s in app.briefing.sections].index("withdrawal")


async def test_stepping_wraps_round_with_a_notice(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=(120, 40)) as pilot:
        notices: list[str] = []
        app.main_screen.reader.notify = lambda message, **_: notices.append(message)
        await search_for(pilot, "tartus")
        await pilot.press("enter", "n", "n", "n")
        await pilot.pause()
        assert reader_of(app).section.id == "implications"
        assert notices == []
        await pilot.press("n")
        await pilot.pause()
        assert reader_of(app).section.id == "at-a-glance"
        assert notices == ["Back to the first match"]
        await pilot.press("N")
        await pilot.pause()
        assert reader_of(app).section.id == "implications"
        assert notices[-1] == "Back to the last match"


async def test_enter_goes_to_the_first_match_at_or_after_the_section_shown(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=(120, 40)) as pilot:
        await pilot.press("]", "]", "]")
        assert reader_of(app).section.id == "logistics"
        await search_for(pilot, "tartus")
        await pilot.press("enter")
        await pilot.pause()
        assert reader_of(app).section.id == "logistics"
        assert "3/4 matches" in str(reader_of(app).border_subtitle)
        # Reopened, the search is there to edit; Enter starts again from the section shown.
        await pilot.press("n", "slash")
        assert bar_open(app)
        assert app.main_screen.search_bar.input.value == "tartus"
        await pilot.press("enter")
        await pilot.pause()
        assert reader_of(app).section.id == "implications"
        assert "4/4 matches" in str(reader_of(app).border_subtitle)


async def test_escape_cancels_and_x_clears(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=(120, 40)) as pilot:
        assets = rows(app, "assets")
        await search_for(pilot, "tartus")
        assert rows(app, "assets") != assets
        await pilot.press("escape")
        await pilot.pause()
        assert not bar_open(app)
        assert app.main_screen.search is None
        assert focus_bar(app) == ""
        assert rows(app, "assets") == assets
        assert words(app, MENTION_STYLE) == []
        assert str(reader_of(app).border_subtitle) == ""
        assert app.is_running, "Escape in the search closes the search, nothing else"

        await search_for(pilot, "troops")
        await pilot.press("enter")
        await pilot.pause()
        assert app.main_screen.search is not None
        footer = {b.key: b.description for _, b, enabled, _ in app.main_screen.active_bindings.values() if enabled}
        assert footer["n"] == "Next match"
        assert footer["x"] == "Clear search"
        await pilot.press("x")
        await pilot.pause()
        assert app.main_screen.search is None
        assert focus_bar(app) == ""
        assert rows(app, "assets") == assets
        assert words(app, MENTION_STYLE) == words(app, CURRENT_STYLE) == []
        assert str(reader_of(app).border_subtitle) == ""
        footer_keys = {b.key for _, b, enabled, _ in app.main_screen.active_bindings.values() if enabled}
        assert "n" not in footer_keys and "x" not in footer_keys


async def test_not_found_changes_nothing_and_says_so(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=(120, 40), notifications=True) as pilot:
        await search_for(pilot, "zzz-nowhere")
        assert focus_bar(app).startswith("Search: “zzz-nowhere” · not found")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: "Not found: “zzz-nowhere”" in screen_text(app))
        assert app.main_screen.search is None
        assert focus_bar(app) == ""
        assert reader_of(app).section.id == "lede"


async def test_a_search_found_only_in_entries_narrows_the_panes_and_does_not_move(tmp_path):
    app = make_app(tmp_path)
    bells = record_bells(app)
    # HUR's role: the editor's words, not the article's.
    phrase = "the only source for"
    found = find_text(app.index, Mentions(app.index).blocks, phrase)
    assert found.text == [] and HUR in found.entries
    async with running(app, size=(120, 40)) as pilot:
        await search_for(pilot, phrase)
        await pilot.press("enter")
        await pilot.pause()
        assert app.main_screen.search is not None
        assert rows(app, "actors") == ["hur"]
        assert reader_of(app).section.id == "lede"
        assert focus_bar(app).startswith(f"Search: “{phrase}” · 0 in text · 1 entry")
        await pilot.press("n")
        assert len(bells) == 1, "no match in the text to go to"


async def test_search_then_focus_and_focus_then_search(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=(120, 40)) as pilot:
        screen = app.main_screen
        # A search, then a focus: the focus replaces it.
        await search_for(pilot, "hur")
        await pilot.press("enter")
        await pilot.pause()
        assert rows(app, "actors") == ["ukraine", "hur"]
        await pilot.press("4", "G", "f")
        await pilot.pause()
        assert screen.focus_ref == HUR
        assert screen.search is None
        assert focus_bar(app).startswith("Focus: HUR")
        assert rows(app, "quotes") == ["hur-sparta-breakdown", "hur-crew-drifting"]
        await pilot.press("n")
        await pilot.pause()
        assert words(app, CURRENT_STYLE) == ["ukraine’s main intelligence directorate"]
        assert "1/2 mentions" in str(reader_of(app).border_subtitle)
        # "/" then Escape, nothing typed: the focus stays as it was, its current mention too.
        await pilot.press("slash")
        assert bar_open(app)
        assert focus_bar(app).startswith("Focus: HUR")
        await pilot.press("escape")
        await pilot.pause()
        assert screen.focus_ref == HUR
        assert "1/2 mentions" in str(reader_of(app).border_subtitle)

        # A focus, then a search: the search replaces it while it is typed...
        await search_for(pilot, "troops")
        assert screen.focus_ref is None
        assert focus_bar(app).startswith("Search: “troops”")
        assert rows(app, "actors") == []
        # ...and Escape brings the focus back.
        await pilot.press("escape")
        await pilot.pause()
        assert screen.focus_ref == HUR
        assert focus_bar(app).startswith("Focus: HUR")
        assert rows(app, "quotes") == ["hur-sparta-breakdown", "hur-crew-drifting"]
        # Kept with Enter, the search is what n steps through; x clears it.
        await search_for(pilot, "troops")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.focus_ref is None
        assert words(app, CURRENT_STYLE) == ["troops"]
        assert "matches" in str(reader_of(app).border_subtitle)
        await pilot.press("x")
        await pilot.pause()
        assert screen.focus_ref is None and screen.search is None


async def test_keys_typed_at_once_each_go_where_they_were_meant(tmp_path):
    """ "/tartus", Enter, n in one burst (a fast typist, a batch over SSH): the phrase as typed, then the move."""
    app = make_app(tmp_path)
    async with running(app, size=(120, 40)) as pilot:
        # The input's editing keys too, each in its turn: "tartuz", Backspace, "s" is "tartus".
        typed = [*((c, c) for c in "tartuz"), ("backspace", "\x08"), ("s", "s")]
        burst = [("slash", "/"), *typed, ("enter", "\r"), ("n", "n")]
        for key, character in burst:
            app.post_message(events.Key(key, character))
        assert await wait_until(pilot, lambda: reader_of(app).section.id == "withdrawal")
        await pilot.pause()
        assert app.main_screen.search is not None
        assert app.main_screen.search.term == "tartus"
        assert "2/4 matches" in str(reader_of(app).border_subtitle)
        assert app.main_screen.search_bar.input.value == "tartus", "n went to the reader, not into the phrase"
        # Escape and x the same way: the search typed is dropped, the one before kept, then cleared.
        for key, character in [("slash", "/"), ("h", "h"), ("escape", "\x1b"), ("x", "x")]:
            app.post_message(events.Key(key, character))
        assert await wait_until(pilot, lambda: app.main_screen.search is None and not bar_open(app))
        assert app.is_running


async def test_keys_typed_in_the_bar_are_the_phrase(tmp_path):
    """Letters that are keys elsewhere (n, x, q, digits, /) are typed into the phrase; Tab leaves it."""
    app = make_app(tmp_path)
    async with running(app, size=(120, 40)) as pilot:
        await search_for(pilot, "nxq3/")
        assert app.is_running
        assert bar_open(app)
        assert app.main_screen.search_bar.input.value == "nxq3/"
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", *"crew")
        await pilot.pause()
        assert focus_bar(app).startswith("Search: “crew” · 1 in text · 2 entries")
        # Tab leaves the bar, the search kept as it is, nothing moved.
        await pilot.press("tab")
        await pilot.pause()
        assert not app.main_screen.search_bar.display
        assert app.main_screen.search is not None
        assert reader_of(app).section.id == "lede"
        assert "x clears" in focus_bar(app)
        await pilot.press("n")
        await pilot.pause()
        assert reader_of(app).section.id == "logistics"
        assert words(app, CURRENT_STYLE) == ["crew"]


async def test_the_search_bar_sits_above_the_footer_at_80x24(tmp_path):
    app = make_app(tmp_path)
    async with running(app, size=(80, 24)) as pilot:
        await pilot.press("2", "z")
        # "/" from a zoomed pane shows the screen again, with the bar.
        await search_for(pilot, "sparta")
        assert app.main_screen.maximized is None
        bar = app.main_screen.query_one(SearchBar)
        lines = screen_text(app).splitlines()
        assert bar.region.y == 22, "one line above the footer"
        assert lines[22].strip().startswith("Search: sparta")
        assert not outside_screen(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is reader_of(app)
        assert not bar.display
        assert "1/3 matches" in screen_text(app)
