"""The library as a user meets it: `briefing DIR`, the list, sorting, filtering, searching, opening and coming back.

Each test makes a small library of its own in ``tmp_path`` (MINIMAL under
other headlines, dates and tags, a copy of the Sparta briefing, a broken
file), opens the reader on it with a review store of its own, and checks what
is on the screen.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from app_helpers import screen_text, sparta, text_of, wait_until
from conftest import MINIMAL
from pty_helpers import Terminal, modes_changed_at_end
from pty_helpers import screen_text as screen_text_of
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from briefing.analysis.index import EntityRef
from briefing.app.app import BriefingApp
from briefing.app.screens.detail import EntityScreen, LinksList
from briefing.app.screens.library import LibraryScreen
from briefing.app.screens.main import MainScreen
from briefing.app.widgets.hit_list import HitList
from briefing.app.widgets.library_table import LibraryTable
from briefing.app.widgets.reader import MARK_STYLE, ReaderPane
from briefing.cli import _library_to_open
from briefing.storage.paths import default_briefing_path
from briefing.storage.review import ReviewStore

SIZE = (120, 40)
SHIP = "Ship breaks down"
TOWED = "Another ship is towed"
SPARTA = "Russian Soldiers SCHEME As They Get STRANDED In International Waters"
TOWED_PASSAGE = "A tug towed the ship into the port of Tobruk."
NAVY = EntityRef("actor", "navy")
HEADLINE_COLUMN = 4
READ_COLUMN = 1
# How long to wait for the directory watcher (debounced 300 ms) to see a change: patience, not a bar.
WATCH_PATIENCE = 15.0


def minimal(headline: str, *, published: str | None = None, tags: tuple[str, ...] = (), body: str = "") -> str:
    """MINIMAL under another headline, with a date and tags, and its body's first paragraph replaced."""
    meta = f'headline = "{headline}"\n'
    unstated = ["publication", "author", "url"]
    if published is not None:
        meta += f"published = {published}\n"
    else:
        unstated.append("published")
    if tags:
        meta += "tags = [" + ", ".join(f'"{tag}"' for tag in tags) + "]\n"
    text = MINIMAL.replace('headline = "Ship breaks down"\n', meta).replace(
        'unstated = ["publication", "author", "published", "url"]',
        "unstated = [" + ", ".join(f'"{name}"' for name in unstated) + "]",
    )
    if body:
        text = text.replace('paragraphs = ["The ship drifted.", ', f'paragraphs = ["{body}", ')
    return text


BROKEN = 'format = 1\n[meta\nheadline = "never read"\n'


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """Three briefings and a broken file: ship (newest, tags navy and sea), towed (older, tag port),
    sparta (a copy of the bundled one, no date) and broken.toml."""
    root = tmp_path / "library"
    root.mkdir()
    (root / "ship.toml").write_text(minimal(SHIP, published="2024-12-23", tags=("navy", "sea")), encoding="utf-8")
    (root / "towed.toml").write_text(
        minimal(TOWED, published="2024-12-10", tags=("port",), body=TOWED_PASSAGE), encoding="utf-8"
    )
    shutil.copy(default_briefing_path(), root / "sparta.toml")
    (root / "broken.toml").write_text(BROKEN, encoding="utf-8")
    return root


@pytest.fixture
def stores() -> Iterator[list[ReviewStore]]:
    opened: list[ReviewStore] = []
    yield opened
    for store in opened:
        store.close()


def library_app(tmp_path: Path, root: Path, stores: list[ReviewStore]) -> BriefingApp:
    """The reader on the library at ``root``, with its own config file and review store."""
    store = ReviewStore.open(tmp_path / "review" / "review.sqlite3")
    stores.append(store)
    return BriefingApp(None, library_root=str(root), config_path=tmp_path / "config.toml", review=store)


def library_screen(app: BriefingApp) -> LibraryScreen:
    return next(screen for screen in app.screen_stack if isinstance(screen, LibraryScreen))


def table(app: BriefingApp) -> LibraryTable:
    return library_screen(app).query_one("#briefings", LibraryTable)


def hit_list(app: BriefingApp) -> HitList:
    return library_screen(app).query_one("#hits", HitList)


def headlines(app: BriefingApp) -> list[str]:
    """The headline cell of each row, top to bottom (a broken file's is its ✗ line)."""
    rows = table(app)
    return [rows.cell_text(row, HEADLINE_COLUMN) for row in range(rows.row_count)]


def status(app: BriefingApp) -> str:
    return text_of(library_screen(app).query_one("#library-status"))


def query_input(app: BriefingApp) -> Input:
    return library_screen(app).query_one("#library-query", Input)


def reader_of(screen: MainScreen) -> ReaderPane:
    return screen.query_one(ReaderPane)


@asynccontextmanager
async def opened(app: BriefingApp, size: tuple[int, int] = SIZE, **kwargs: object) -> AsyncIterator[Pilot[None]]:
    """The app with its library listed (it is indexed in a thread after the first frame)."""
    async with app.run_test(size=size, **kwargs) as pilot:  # type: ignore[arg-type]
        assert await wait_until(pilot, lambda: library_screen(app).library is not None and table(app).row_count > 0)
        await pilot.pause()
        yield pilot


async def search(pilot: Pilot[None], text: str) -> None:
    """`/`, then ``text`` as typed."""
    await pilot.press("slash", *text)
    await pilot.pause()


async def main_screen_shown(pilot: Pilot[None], headline: str) -> MainScreen:
    """Wait for the main screen of the briefing with ``headline``, complete."""
    app = pilot.app

    def shown() -> bool:
        screen = app.screen
        return isinstance(screen, MainScreen) and screen.index.briefing.meta.headline == headline and screen.is_complete

    assert await wait_until(pilot, shown), f"{headline!r} not opened: {app.screen!r}"
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


# The list


async def test_one_row_per_briefing_and_the_broken_file_listed_last(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    async with opened(app, notifications=True) as pilot:
        assert isinstance(app.screen, LibraryScreen)
        rows = table(app)
        # Newest first by default; the briefing without a date after the dated ones; broken last.
        assert headlines(app)[:3] == [
            f"{SHIP} · navy, sea",
            f"{TOWED} · port",
            f"{SPARTA} · "
            + ", ".join(["Russia", "Syria", "military withdrawal", "logistics", "shipping", "Libya", "Mediterranean"]),
        ]
        assert [rows.cell_text(row, 0) for row in range(3)] == ["2024-12-23", "2024-12-10", ""]
        assert [rows.cell_text(row, READ_COLUMN) for row in range(3)] == ["0/2", "0/2", f"0/{len(sparta().sections)}"]
        broken = headlines(app)[3]
        assert broken.startswith("✗ broken: 2:6: "), broken
        assert len(headlines(app)) == 4
        # On the screen, as drawn.
        text = screen_text(app)
        assert "Briefings · 4 · by date" in text
        assert f"{SHIP} · navy, sea" in text
        assert "✗ broken: 2:6:" in text
        assert status(app) == "4 briefings · 1 cannot be opened (listed last)"

        # Enter on the broken row says why and stays.
        await pilot.press("G")
        assert rows.cursor_item is not None and not rows.cursor_item.entry.ok
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: "broken cannot be opened: 2:6:" in screen_text(app))
        assert isinstance(app.screen, LibraryScreen)
        assert app.is_running


async def test_the_broken_file_stays_last_whatever_the_order(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        for keys in [["s"], ["S"], ["s"], ["S"], ["s"], ["s"], ["s"]]:
            await pilot.press(*keys)
            assert headlines(app)[-1].startswith("✗ broken"), keys


async def test_s_cycles_the_sort_and_capital_s_reverses_it(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:

        def title() -> str:
            return str(table(app).border_title)

        def order() -> list[str]:
            return [headline.split(" · ")[0] for headline in headlines(app)[:3]]

        assert title() == "Briefings · 4 · by date ↓"
        assert order() == [SHIP, TOWED, SPARTA]
        await pilot.press("s")
        assert title() == "Briefings · 4 · by headline ↑"
        assert order() == [TOWED, SPARTA, SHIP]
        assert "by headline ↑" in screen_text(app)
        await pilot.press("S")
        assert title() == "Briefings · 4 · by headline ↓"
        assert order() == [SHIP, SPARTA, TOWED]
        await pilot.press("S")
        assert order() == [TOWED, SPARTA, SHIP]
        # On through every order, back to the first.
        names = []
        for _ in range(4):
            await pilot.press("s")
            names.append(title().split(" by ")[1])
        assert names == ["read ↓", "flags ↓", "notes ↓", "date ↓"]
        assert order() == [SHIP, TOWED, SPARTA]


async def test_the_cursor_stays_on_its_briefing_when_the_order_changes(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        await pilot.press("j")
        assert table(app).cursor_item.entry.key == "towed"
        await pilot.press("s", "S", "s")
        assert table(app).cursor_item.entry.key == "towed"


# Filtering and searching


@pytest.mark.parametrize(
    ("query", "keys"),
    [("tag:port", ["towed"]), ("before:2024-12-20", ["towed"]), ("tag:sea", ["ship"])],
)
async def test_a_query_of_filters_narrows_the_list_and_escape_lists_every_briefing(
    tmp_path, library, stores, query, keys
):
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        await search(pilot, query)
        assert query_input(app).value == query, "every key went into the query"
        assert await wait_until(pilot, lambda: [row.entry.key for row in table(app).items] == keys)
        assert str(table(app).border_title).startswith("Briefings · 1 of 4 ·")
        assert "Briefings · 1 of 4" in screen_text(app)
        assert SPARTA not in screen_text(app)
        # Escape: the query gone, every briefing listed, the list focused.
        await pilot.press("escape")
        assert query_input(app).value == ""
        assert len(table(app).items) == 4
        assert str(table(app).border_title).startswith("Briefings · 4 ·")
        assert app.focused is table(app)
        assert isinstance(app.screen, LibraryScreen)


async def test_unread_narrows_to_the_briefings_not_read_through(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    # Both sections of the ship briefing read: it is no longer unread.
    stores[0].set_read("ship", "lede", True)
    stores[0].set_read("ship", "body", True)
    async with opened(app) as pilot:
        assert "2/2" in [table(app).cell_text(row, READ_COLUMN) for row in range(table(app).row_count)]
        await search(pilot, "unread")
        assert await wait_until(pilot, lambda: "ship" not in [row.entry.key for row in table(app).items])
        assert sorted(row.entry.key for row in table(app).items) == ["sparta", "towed"]
        assert "Briefings · 2 of 4" in screen_text(app)


async def test_a_query_with_words_lists_the_matches(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        await search(pilot, "drifted")
        hits = hit_list(app)
        assert await wait_until(pilot, lambda: hits.display and hits.row_count == 1)
        # MINIMAL's "The ship drifted." is in the ship briefing; towed's was replaced.
        assert str(hits.border_title) == "Matches · 1 in 1 briefing"
        assert hits.cell_text(0, 0) == SHIP
        assert hits.cell_text(0, 1) == "What happened"
        assert "The ship drifted." in hits.cell_text(0, 2)
        assert "Matches · 1 in 1 briefing" in screen_text(app)
        assert status(app) == "1 match"
        # A word in all three.
        await pilot.press(*["backspace"] * len("drifted"), *"ship")
        assert await wait_until(pilot, lambda: str(hits.border_title).endswith(" in 3 briefings"))
        assert {hits.cell_text(row, 0) for row in range(hits.row_count)} == {SHIP, TOWED, SPARTA}
        assert not table(app).display
        # Escape: back to the list of every briefing.
        await pilot.press("escape")
        assert table(app).display and not hits.display
        assert len(table(app).items) == 4
        assert query_input(app).value == ""


async def test_escape_in_an_empty_query_goes_back_to_the_list(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        await pilot.press("slash")
        assert app.focused is query_input(app)
        await pilot.press("escape")
        assert app.focused is table(app)
        await pilot.press("j")
        assert table(app).cursor_row == 1


async def test_a_bad_query_is_said_where_it_is_wrong_and_nothing_breaks(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        await search(pilot, "before:nonsense")
        assert await wait_until(pilot, lambda: status(app).startswith("Search: column 8:"))
        assert "YYYY-MM-DD" in status(app)
        assert "Search: column 8:" in screen_text(app)
        assert app.is_running
        # The list as it was; fixed, the query works.
        assert len(table(app).items) == 4
        await pilot.press(*["backspace"] * len("nonsense"), *"2024-12-20")
        assert await wait_until(pilot, lambda: [row.entry.key for row in table(app).items] == ["towed"])
        assert not status(app).startswith("Search:")


async def test_slash_and_a_query_typed_at_once_all_go_into_the_query(tmp_path, library, stores):
    """ "/tag:port" in one burst (a fast typist, keys sent in a batch over SSH, tmux send-keys)."""
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        for character in "/tag:port":
            app.post_message(events.Key("slash" if character == "/" else character, character))
        assert await wait_until(pilot, lambda: query_input(app).value == "tag:port")
        assert await wait_until(pilot, lambda: [row.entry.key for row in table(app).items] == ["towed"])
        # And "/" typed in the query is part of it.
        await pilot.press("slash")
        assert query_input(app).value == "tag:port/"


# Opening and coming back


async def test_enter_on_a_hit_opens_the_briefing_at_the_passage_marked(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        await search(pilot, "tug")
        hits = hit_list(app)
        assert await wait_until(pilot, lambda: hits.row_count == 1)
        assert hits.cell_text(0, 0) == TOWED
        await pilot.press("enter")  # from the query to the matches
        assert app.focused is hits
        await pilot.press("enter")  # opens the hit
        main = await main_screen_shown(pilot, TOWED)
        reader = reader_of(main)
        assert await wait_until(pilot, lambda: reader.section is not None and reader.section.id == "body")
        await pilot.pause()
        assert reader.mark == TOWED_PASSAGE
        assert reader.highlighted(MARK_STYLE) == [TOWED_PASSAGE]
        assert str(reader.border_title).startswith("What happened")
        assert TOWED_PASSAGE in screen_text(app)
        assert TOWED in text_of(main.query_one("#header"))


async def test_enter_on_a_match_in_an_entry_opens_its_detail_there(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        await search(pilot, "navy")
        hits = hit_list(app)
        assert await wait_until(pilot, lambda: hits.row_count == 2)
        assert [hits.cell_text(row, 1) for row in range(2)] == ["Actor The navy", "Actor The navy"]
        headline = hits.cell_text(1, 0)
        await pilot.press("enter", "j", "enter")
        assert await wait_until(
            pilot,
            lambda: isinstance(app.screen, EntityScreen) and app.screen.index.briefing.meta.headline == headline,
        )
        assert app.screen.ref == NAVY
        # Back: its briefing's main screen, then the matches.
        await pilot.press("escape")
        await main_screen_shown(pilot, headline)
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert hits.cursor_row == 1


async def test_escape_from_the_reader_comes_back_to_the_same_row_with_what_was_read(
    tmp_path, library, stores, monkeypatch
):
    # Only R marks a section read here: no section counts as read by staying on screen.
    monkeypatch.setattr(MainScreen, "READ_AFTER", 3600.0)
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        await pilot.press("s", "g")  # by headline: towed, sparta, ship; the first row
        await pilot.press("j", "j")
        assert table(app).cursor_item.entry.key == "ship"
        await pilot.press("enter")
        main = await main_screen_shown(pilot, SHIP)
        assert reader_of(main).section.id == "lede"
        await pilot.press("2", "R")
        assert await wait_until(pilot, lambda: stores[0].summary().get("ship") is not None)
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        await pilot.pause()
        rows = table(app)
        assert rows.cursor_item.entry.key == "ship"
        assert rows.cell_text(rows.cursor_row, READ_COLUMN) == "1/2"
        assert str(rows.border_title) == "Briefings · 4 · by headline ↑", "the order kept"
        assert app.focused is rows
        # Again, to another briefing: Escape comes back to that one's row.
        await pilot.press("k")
        await pilot.press("enter")
        await main_screen_shown(pilot, SPARTA)
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert table(app).cursor_item.entry.key == "sparta"


async def test_escape_from_a_hit_comes_back_to_the_same_hit(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        await search(pilot, "ship")
        hits = hit_list(app)
        assert await wait_until(pilot, lambda: hits.row_count >= 6)
        await pilot.press("enter", "j", "j", "j", "j")
        chosen = hits.cursor_item
        assert chosen is not None and hits.cursor_row == 4
        await pilot.press("enter")
        await main_screen_shown(pilot, chosen.headline or "")
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        await pilot.pause()
        assert query_input(app).value == "ship"
        assert hits.display and app.focused is hits
        assert hits.cursor_row == 4 and hits.cursor_item == chosen
        # The matches are best first: s does not sort them (nor says it would).
        assert "Sort" not in screen_text(app).splitlines()[-1]
        await pilot.press("s")
        assert hits.items[4] == chosen


# The directory is watched


async def test_new_changed_and_deleted_files_show_while_the_library_is_open(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:

        def keys() -> list[str]:
            return sorted(row.entry.key for row in table(app).items)

        assert keys() == ["broken", "ship", "sparta", "towed"]
        # A new file: a new row.
        (library / "fresh.toml").write_text(minimal("A fresh report", published="2024-12-30"), encoding="utf-8")
        assert await wait_until(pilot, lambda: "fresh" in keys(), timeout=WATCH_PATIENCE), keys()
        assert await wait_until(pilot, lambda: "A fresh report" in screen_text(app))
        assert status(app).startswith("5 briefings")
        # A file deleted: its row gone.
        (library / "towed.toml").unlink()
        assert await wait_until(pilot, lambda: "towed" not in keys(), timeout=WATCH_PATIENCE), keys()
        assert await wait_until(pilot, lambda: TOWED not in screen_text(app))
        # A headline changed: the row shows the new one.
        (library / "ship.toml").write_text(minimal("The ship is repaired", published="2024-12-23"), encoding="utf-8")
        assert await wait_until(pilot, lambda: "The ship is repaired" in " ".join(headlines(app)), WATCH_PATIENCE)
        assert SHIP not in " ".join(headlines(app))
        # A broken file fixed: listed as a briefing now.
        (library / "broken.toml").write_text(minimal("Mended"), encoding="utf-8")
        assert await wait_until(pilot, lambda: "Mended" in " ".join(headlines(app)), WATCH_PATIENCE)
        assert status(app) == "4 briefings"


# Entities across briefings


async def detail_shown(pilot: Pilot[None], headline: str, ref: EntityRef | None = None) -> EntityScreen:
    """Wait for the detail view (of ``ref``) in the briefing with ``headline``, its links listed."""
    app = pilot.app

    def shown() -> bool:
        screen = app.screen
        return (
            isinstance(screen, EntityScreen)
            and screen.index.briefing.meta.headline == headline
            and (ref is None or screen.ref == ref)
            and bool(screen.query(LinksList))
        )

    assert await wait_until(pilot, shown), f"no detail in {headline!r}: {app.screen!r}"
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, EntityScreen)
    return screen


def link_prompts(screen: EntityScreen) -> list[str]:
    links = screen.query_one(LinksList)
    return [str(links.get_option_at_index(n).prompt) for n in range(links.option_count)]


async def choose_link(pilot: Pilot[None], screen: EntityScreen, words: str) -> None:
    """Enter on the first link whose prompt holds ``words``."""
    links = screen.query_one(LinksList)
    links.highlighted = next(n for n, prompt in enumerate(link_prompts(screen)) if words in prompt)
    links.focus()
    await pilot.press("enter")


SAME_NAME = "Different ids, the same navy"


async def test_an_actor_in_another_briefing_is_listed_and_opened_there(tmp_path, library, stores):
    # A third with the navy under another id and its name in other capitals.
    third = minimal(SAME_NAME, published="2024-12-01").replace('id = "navy"', 'id = "fleet"')
    third = third.replace('owner = "navy"', 'owner = "fleet"').replace('speaker = "navy"', 'speaker = "fleet"')
    (library / "third.toml").write_text(third.replace('name = "The navy"', 'name = "The Navy"'), encoding="utf-8")
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        assert table(app).cursor_item.entry.key == "ship"
        await pilot.press("enter")
        await main_screen_shown(pilot, SHIP)
        await app.open_entity(NAVY)  # setup: the detail view by keys is tested elsewhere
        detail = await detail_shown(pilot, SHIP, NAVY)
        also = [prompt for prompt in link_prompts(detail) if "Also in:" in prompt]
        assert sorted(also) == [f"⧉ Also in: {TOWED}  (2024-12-10)", f"⧉ Also in: {SAME_NAME}  (2024-12-01)"]
        assert f"Also in: {TOWED}" in screen_text(app)
        # Enter on one: that briefing, at its navy.
        await choose_link(pilot, detail, f"Also in: {SAME_NAME}")
        there = await detail_shown(pilot, SAME_NAME, EntityRef("actor", "fleet"))
        assert "The Navy" in screen_text(app)
        below = app.screen_stack[-2]
        assert isinstance(below, MainScreen)
        assert SAME_NAME in text_of(below.query_one("#header"))
        # Its own "Also in" lists the other two, not itself.
        assert sorted(prompt for prompt in link_prompts(there) if "Also in:" in prompt) == [
            f"⧉ Also in: {TOWED}  (2024-12-10)",
            f"⧉ Also in: {SHIP}  (2024-12-23)",
        ]
        # Back: the detail closes onto that briefing's main screen; Escape again, the library at its row.
        await pilot.press("escape")
        await main_screen_shown(pilot, SAME_NAME)
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        assert table(app).cursor_item.entry.key == "third"


async def test_links_in_the_briefing_opened_from_also_in_lead_within_it(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        await pilot.press("enter")
        await main_screen_shown(pilot, SHIP)
        await app.open_entity(NAVY)
        await choose_link(pilot, await detail_shown(pilot, SHIP, NAVY), f"Also in: {TOWED}")
        # The navy's quote, then its section: the towed briefing's reader shows it, not the ship's.
        await choose_link(pilot, await detail_shown(pilot, TOWED, NAVY), "We are drifting")
        await choose_link(pilot, await detail_shown(pilot, TOWED), "Appears in section")
        main = await main_screen_shown(pilot, TOWED)
        assert await wait_until(pilot, lambda: reader_of(main).section.id == "body")
        assert TOWED_PASSAGE in screen_text(app)
        assert SHIP not in screen_text(app)


# The user's library


def test_the_users_library_opens_when_it_holds_a_briefing(tmp_path):
    root = Path(os.environ["XDG_DATA_HOME"]) / "briefing" / "library"
    assert _library_to_open(None) is None, "missing: the bundled briefing alone"
    root.mkdir(parents=True)
    assert _library_to_open(None) is None, "empty: the bundled briefing alone"
    (root / "notes.txt").write_text("not a briefing", encoding="utf-8")
    (root / ".hidden.toml").write_text(MINIMAL, encoding="utf-8")
    assert _library_to_open(None) is None, "nothing but a text file and a hidden one"
    (root / "2024").mkdir()
    (root / "2024" / "ship.toml").write_text(MINIMAL, encoding="utf-8")
    assert _library_to_open(None) == str(root)


def test_a_directory_named_opens_as_a_library_and_a_file_does_not(tmp_path, library):
    assert _library_to_open(str(library)) == str(library)
    assert _library_to_open(str(library / "ship.toml")) is None


def test_the_library_setting_is_honoured_with_the_home_expanded(tmp_path, monkeypatch):
    home = tmp_path / "home"
    mine = home / "briefings"
    mine.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "briefing" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('library = "~/briefings"\n', encoding="utf-8")
    assert _library_to_open(None) is None, "set, but empty"
    (mine / "ship.toml").write_text(MINIMAL, encoding="utf-8")
    assert _library_to_open(None) == str(mine)
    # The default library is not looked at while the setting names another.
    default = Path(os.environ["XDG_DATA_HOME"]) / "briefing" / "library"
    default.mkdir(parents=True)
    (default / "other.toml").write_text(MINIMAL, encoding="utf-8")
    assert _library_to_open(None) == str(mine)


async def test_the_users_library_lists_the_bundled_briefing_too(tmp_path, stores):
    root = tmp_path / "mine"
    root.mkdir()
    (root / "ship.toml").write_text(minimal(SHIP, published="2024-12-23"), encoding="utf-8")
    store = ReviewStore.open(tmp_path / "review.sqlite3")
    stores.append(store)
    app = BriefingApp(
        None, library_root=str(root), include_bundled=True, config_path=tmp_path / "config.toml", review=store
    )
    async with opened(app):
        assert sorted(row.entry.key for row in table(app).items) == ["ship", "sparta"]
        assert SPARTA in screen_text(app)


# Small terminals


async def test_the_library_fits_80x24(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    async with opened(app, size=(80, 24)) as pilot:
        lines = screen_text(app).splitlines()
        assert lines[0].strip().startswith("Library")
        assert any(SHIP in line for line in lines)
        assert any("✗ broken" in line for line in lines)
        assert "4 briefings" in lines[-2]
        assert "Sort" in lines[-1] and "Quit" in lines[-1]
        await search(pilot, "ship")
        assert await wait_until(pilot, lambda: "Matches · " in screen_text(app))
        assert isinstance(app.screen, LibraryScreen)
        # A hit's row at 80 columns still names its briefing and shows a match.
        line = next(line for line in screen_text(app).splitlines() if SHIP[:10] in line)
        assert "ship" in line.casefold()


# A real terminal


def test_python_m_briefing_dir_shows_the_library_and_q_quits(tmp_path, library):
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TERM": "xterm-256color",
        **{name: os.environ[name] for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")},
    }
    terminal = Terminal([str(library)], env, size=(100, 30), program=[sys.executable, "-m", "briefing"])
    try:
        assert terminal.wait_for("Briefings · 4"), screen_text_of(terminal.output)[-2000:]
        for words in (SHIP, TOWED, "✗ broken", "4 briefings · 1 cannot be opened"):
            assert terminal.wait_for(words), words
        terminal.settle()
        terminal.send("q")
        status = terminal.finish()
    finally:
        terminal.kill()
    assert status == 0
    assert modes_changed_at_end(terminal.output) == set(), "the terminal given back as it was"


async def test_keys_typed_at_once_after_enter_in_the_query_go_to_the_matches(tmp_path, library, stores):
    """A burst: "/", a query, Enter, j, Enter: the second match opened, nothing typed into the query."""
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        burst = [("slash", "/"), *((c, c) for c in "ship"), ("enter", "\r"), ("j", "j"), ("enter", "\r")]
        for key, character in burst:
            app.post_message(events.Key(key, character))
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        hits = hit_list(app)
        assert query_input(app).value == "ship", "j went to the matches, not into the query"
        assert hits.cursor_row == 1
        await main_screen_shown(pilot, hits.items[1].headline or "")
        # Escape typed in the query in a burst clears it, and the keys after it move in the list.
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, LibraryScreen))
        for key, character in [("slash", "/"), ("t", "t"), ("escape", "\x1b"), ("j", "j")]:
            app.post_message(events.Key(key, character))
        assert await wait_until(pilot, lambda: app.focused is table(app) and table(app).cursor_row == 1)
        assert query_input(app).value == ""


async def test_enter_on_a_row_opens_that_row_whatever_keys_follow(tmp_path, library, stores):
    """j j Enter j in one burst opens the third row, not the one the last j reaches."""
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        for key in ["j", "j", "enter", "j"]:
            app.post_message(events.Key(key, "\r" if key == "enter" else key))
        await main_screen_shown(pilot, SPARTA)


async def test_keys_typed_right_after_enter_on_a_row_reach_the_briefing_opened(tmp_path, library, stores, monkeypatch):
    monkeypatch.setattr(MainScreen, "READ_AFTER", 3600.0)
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        # Enter on the ship briefing, then "]" (its second section) and R (marked read), all at once.
        for key, character in [("enter", "\r"), ("right_square_bracket", "]"), ("R", "R")]:
            app.post_message(events.Key(key, character))
        main = await main_screen_shown(pilot, SHIP)
        assert await wait_until(pilot, lambda: reader_of(main).section.id == "body", timeout=2)
        assert await wait_until(pilot, lambda: stores[0].summary().get("ship") is not None, timeout=2)


async def test_keys_typed_right_after_enter_on_a_broken_row_still_reach_the_library(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        await pilot.press("G")
        last = table(app).row_count - 1
        assert table(app).cursor_row == last and headlines(app)[last].startswith("✗")
        # Enter opens nothing here: the k typed with it must not wait for a briefing for ever.
        for key, character in [("enter", "\r"), ("k", "k")]:
            app.post_message(events.Key(key, character))
        assert await wait_until(pilot, lambda: table(app).cursor_row == last - 1, timeout=5)
        assert isinstance(app.screen, LibraryScreen)


# Flags on a whole briefing, from its row


async def test_a_flag_key_on_a_row_flags_the_whole_briefing_and_the_flags_column_counts_it(tmp_path, library, stores):
    app = library_app(tmp_path, library, stores)
    async with opened(app) as pilot:
        assert headlines(app)[0].startswith(SHIP)
        await pilot.press("I")
        assert await wait_until(pilot, lambda: table(app).cell_text(0, 2) == "1")
        store = stores[0]
        assert store.flags("ship") == {("briefing", ""): frozenset({"important"})}
        # The filter sees it; the key again takes it off.
        await search(pilot, "flagged")
        assert await wait_until(pilot, lambda: [h.split(" · ")[0] for h in headlines(app)] == [SHIP])
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("I")
        assert await wait_until(pilot, lambda: table(app).cell_text(0, 2) == "")
        assert store.flags("ship") == {}
