"""The analyst's review as a user meets it in the reader: flags, notes, gradings, sections read.

Each test drives the app by keys on a store of its own (``tmp_path``), then
checks what is on the screen and what a second ``ReviewStore`` on the same file
reads back: what is shown is what is saved.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from app_helpers import briefing_from_text, running, screen_lines, screen_text, sparta, text_of, wait_until
from conftest import MINIMAL
from textual.widget import Widget
from textual.widgets import OptionList, TextArea

from briefing.analysis.index import EntityRef
from briefing.app.app import BriefingApp
from briefing.app.screens.detail import EntityScreen
from briefing.app.screens.grade import GradeScreen
from briefing.app.screens.main import MainScreen
from briefing.app.screens.note_editor import NoteEditor
from briefing.app.screens.notes import NotesList, NotesScreen
from briefing.app.widgets.claims import ClaimsPane
from briefing.app.widgets.reader import MARK_STYLE, ReaderPane
from briefing.app.widgets.section_nav import READ_MARK, SectionNav
from briefing.app.widgets.timeline import TimelinePane
from briefing.format.model import Briefing
from briefing.storage.paths import review_store_path
from briefing.storage.review import FLAGS, Anchor, ReviewStore, Target

SIZE = (120, 40)
KEY = "sparta"
SPARTA_ASSET = EntityRef("asset", "an-124")
SPARTA_ASSET_NAME = "Antonov AN-124"


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "review" / "review.sqlite3"


@pytest.fixture
def stores(store_path: Path) -> Iterator[list[ReviewStore]]:
    """Every store a test opens, closed at its end."""
    opened: list[ReviewStore] = []
    yield opened
    for store in opened:
        store.close()


def open_store(stores: list[ReviewStore], path: Path) -> ReviewStore:
    store = ReviewStore.open(path)
    stores.append(store)
    return store


def review_app(
    tmp_path: Path, stores: list[ReviewStore], path: Path, briefing: Briefing | None = None, key: str = KEY
) -> BriefingApp:
    """The reader on its own store (and its config file in ``tmp_path``)."""
    return BriefingApp(
        briefing or sparta(),
        path=f"{key}.toml",
        config_path=tmp_path / "config.toml",
        review=open_store(stores, path),
    )


def saved(path: Path) -> ReviewStore:
    """A second store on the same file: what another reader (or the next run) finds."""
    return ReviewStore.open(path)


async def review_loaded(pilot, app: BriefingApp) -> None:
    """The review is read after the main screen's first complete frame: wait for it."""
    assert await wait_until(pilot, lambda: app.loaded_review_state is not None)
    await pilot.pause()


def lines_of(app: BriefingApp, widget: Widget) -> list[str]:
    """The screen's text inside ``widget``'s border, one string per line."""
    region = widget.content_region
    return [line[region.x : region.right] for line in screen_lines(app)[region.y : region.bottom]]


def line_with(app: BriefingApp, widget: Widget, words: str) -> str:
    """The line of ``widget`` on screen that shows ``words`` (stripped)."""
    found = [line.strip() for line in lines_of(app, widget) if words in line]
    assert found, (words, lines_of(app, widget))
    return found[0]


def pane(app: BriefingApp, pane_id: str) -> Widget:
    return app.main_screen.query_one(f"#{pane_id}")


def reader_of(app: BriefingApp) -> ReaderPane:
    return app.main_screen.query_one(ReaderPane)


def flags_in(path: Path, kind: str, entry_id: str) -> frozenset[str]:
    with saved(path) as store:
        return store.flags(KEY).get((kind, entry_id), frozenset())


# Flags: one key each, in every pane


@pytest.mark.parametrize("flag", FLAGS, ids=lambda flag: flag.name)
async def test_a_flag_key_in_the_assets_pane_marks_the_row_and_saves_it(tmp_path, stores, store_path, flag):
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE) as pilot:
        await review_loaded(pilot, app)
        await pilot.press("3")
        assets = pane(app, "assets")
        assert line_with(app, assets, SPARTA_ASSET_NAME).startswith(SPARTA_ASSET_NAME)
        await pilot.press(flag.key)
        await pilot.pause()
        assert line_with(app, assets, SPARTA_ASSET_NAME).startswith(f"{flag.mark} {SPARTA_ASSET_NAME}")
        assert flags_in(store_path, "asset", SPARTA_ASSET.id) == {flag.name}
        await pilot.press(flag.key)
        await pilot.pause()
        assert line_with(app, assets, SPARTA_ASSET_NAME).startswith(SPARTA_ASSET_NAME)
        assert flags_in(store_path, "asset", SPARTA_ASSET.id) == set()


async def test_flags_combine_in_registry_order(tmp_path, stores, store_path):
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE) as pilot:
        await review_loaded(pilot, app)
        await pilot.press("3", "V", "I")
        await pilot.pause()
        assert line_with(app, pane(app, "assets"), SPARTA_ASSET_NAME).startswith(f"!✓ {SPARTA_ASSET_NAME}")
        assert flags_in(store_path, "asset", SPARTA_ASSET.id) == {"important", "verified"}


async def test_flags_in_the_actors_quotes_timeline_claims_and_map(tmp_path, stores, store_path):
    briefing = sparta()
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE) as pilot:
        await review_loaded(pilot, app)

        # Actors: the first row.
        await pilot.press("4", "I")
        await pilot.pause()
        actor = briefing.actors[0]
        assert line_with(app, pane(app, "actors"), actor.name).startswith(f"! {actor.name}")
        assert flags_in(store_path, "actor", actor.id) == {"important"}

        # Quotes: the option's prompt starts with the mark.
        await pilot.press("5", "D")
        await pilot.pause()
        quote = briefing.quotes[0]
        quotes = pane(app, "quotes")
        assert isinstance(quotes, OptionList)
        assert str(quotes.get_option(quote.id).prompt).startswith("≠ “")
        assert line_with(app, quotes, quote.text[:20]).startswith(f"≠ “{quote.text[:20]}")
        assert flags_in(store_path, "quote", quote.id) == {"disputed"}

        # The timeline: its first row (oldest first) is marked before its date.
        await pilot.press("6", "U")
        await pilot.pause()
        timeline = app.main_screen.query_one(TimelinePane)
        event = timeline.cursor_item
        assert event is not None
        assert flags_in(store_path, "event", event.id) == {"follow-up"}
        first_row = lines_of(app, timeline)[1].strip()  # the header, then the first row
        assert first_row.startswith("→ "), lines_of(app, timeline)

        # The map's place list.
        await pilot.press("7", "V")
        await pilot.pause()
        place = briefing.locations[0]
        places = app.main_screen.query_one("#map-places", OptionList)
        assert str(places.get_option(place.id).prompt).startswith(f"✓ {place.name}")
        assert line_with(app, places, place.name).startswith(f"✓ {place.name}")
        assert flags_in(store_path, "location", place.id) == {"verified"}

        # Claims: the flag is on what the claim is (a quote, an event, an asset).
        await pilot.press("8", "I")
        await pilot.pause()
        claims = app.main_screen.query_one(ClaimsPane)
        claim = claims.cursor_item
        assert claim is not None
        assert flags_in(store_path, claim.ref.kind, claim.ref.id) == {"important"}
        first_claim = lines_of(app, claims)[1].strip()
        assert first_claim.startswith("! "), lines_of(app, claims)


# Notes on an entry


async def test_a_note_on_an_asset_is_saved_marked_listed_and_there_next_time(tmp_path, stores, store_path):
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE) as pilot:
        await review_loaded(pilot, app)
        await pilot.press("3", "a")
        assert await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        assert "Note on Asset: Antonov AN-124" in screen_text(app)
        await pilot.press(*"Two planes", "enter", *"check the count")
        assert app.screen.query_one(TextArea).text == "Two planes\ncheck the count"
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert line_with(app, pane(app, "assets"), SPARTA_ASSET_NAME).startswith(f"✎ {SPARTA_ASSET_NAME}")
        with saved(store_path) as store:
            notes = store.notes(KEY)
        assert [(note.kind, note.target, note.body, note.anchor) for note in notes] == [
            ("asset", SPARTA_ASSET.id, "Two planes\ncheck the count", None)
        ]

        # The detail view lists it under the analyst's review, line by line.
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EntityScreen))
        fields = text_of(app.screen.query_one("#fields-text"))
        review = fields[fields.index("Your review") :]
        assert "    Two planes\n    check the count" in review
        assert "Two planes" in screen_text(app)

    # The next run, on the same store: the mark is there once the review is read.
    again = review_app(tmp_path, stores, store_path)
    async with running(again, size=SIZE) as pilot:
        await review_loaded(pilot, again)
        await pilot.press("3")
        assert line_with(again, pane(again, "assets"), SPARTA_ASSET_NAME).startswith(f"✎ {SPARTA_ASSET_NAME}")


async def test_the_note_editor_discards_with_ctrl_g_and_saves_nothing(tmp_path, stores, store_path):
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE) as pilot:
        await review_loaded(pilot, app)
        await pilot.press("3", "a")
        assert await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press(*"not this", "ctrl+g")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert line_with(app, pane(app, "assets"), SPARTA_ASSET_NAME).startswith(SPARTA_ASSET_NAME)
    with saved(store_path) as store:
        assert store.notes(KEY) == []


# Gradings: the analyst's beside the editor's

GRADED = MINIMAL.replace(
    'section = "body"\n', 'section = "body"\ngrading = { reliability = "C", credibility = 4, note = "One crew." }\n', 1
)


async def test_grading_a_claim_is_shown_beside_the_editors(tmp_path, stores, store_path):
    briefing = briefing_from_text(GRADED)
    app = review_app(tmp_path, stores, store_path, briefing, key="minimal")
    async with running(app, size=SIZE) as pilot:
        await review_loaded(pilot, app)
        await pilot.press("8")
        claims = app.main_screen.query_one(ClaimsPane)
        quote = EntityRef("quote", "crew-says")
        claims.move_cursor(next(row for row, claim in enumerate(claims.items) if claim.ref == quote))
        await pilot.pause()
        await pilot.press("e")
        assert await wait_until(pilot, lambda: isinstance(app.screen, GradeScreen))
        assert "Editor: C4" in screen_text(app)
        await pilot.press("b", "3", "enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        with saved(store_path) as store:
            grading = store.gradings("minimal")[("quote", "crew-says")]
        assert (grading.reliability, grading.credibility) == ("B", 3)

        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EntityScreen))
        fields = text_of(app.screen.query_one("#fields-text"))
        assert "Your grading: B3" in fields
        # The editor's grading stays the briefing's, word for word.
        assert "C4: source" in fields and "(the editor’s grading)" in fields
        assert "B3" not in fields[: fields.index("Your review")]
        assert "Your grading: B3" in screen_text(app)


# Notes on a passage, and the list of notes

PHRASE = "fuel pipe failure"  # once in the briefing, in the logistics section


async def search(pilot, phrase: str) -> None:
    await pilot.press("slash", *phrase, "enter")
    await pilot.pause()


def notes_prompts(app: BriefingApp) -> list[str]:
    assert isinstance(app.screen, NotesScreen)
    notes = app.screen.query_one(NotesList)
    return [str(notes.get_option_at_index(number).prompt) for number in range(notes.option_count)]


async def test_a_note_on_a_search_match_anchors_to_its_words_and_leads_back_to_them(tmp_path, stores, store_path):
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE) as pilot:
        await review_loaded(pilot, app)
        await search(pilot, PHRASE)
        reader = reader_of(app)
        assert reader.section.id == "logistics"
        await pilot.press("2", "a")
        assert await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        # The editor says what the note is on: the passage, quoted.
        assert f"“{PHRASE}”" in screen_text(app)
        assert "Passage in Logistical Challenges and Setbacks" in screen_text(app)
        await pilot.press(*"Which pipe?", "escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        with saved(store_path) as store:
            (note,) = store.notes(KEY)
        assert (note.kind, note.target, note.body) == ("section", "logistics", "Which pipe?")
        assert note.anchor is not None
        assert (note.anchor.section, note.anchor.exact) == ("logistics", PHRASE)
        assert note.anchor.prefix.endswith("due to a ") and note.anchor.suffix.startswith(" in its main engine")

        # Elsewhere in the briefing, the list of notes leads back to the passage, marked.
        await pilot.press("x", "1", "home")
        await pilot.pause()
        assert reader.section.id == "lede"
        await pilot.press("A")
        assert await wait_until(pilot, lambda: isinstance(app.screen, NotesScreen))
        (prompt,) = notes_prompts(app)
        assert prompt.startswith("✎ Passage in Logistical Challenges and Setbacks")
        assert f"“{PHRASE}”" in prompt and "Which pipe?" in prompt
        assert "gone" not in prompt
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert reader.section.id == "logistics"
        assert app.focused is reader
        assert reader.highlighted(MARK_STYLE) == [PHRASE]


async def test_a_note_whose_words_are_gone_is_listed_as_an_orphan(tmp_path, stores, store_path):
    gone = "a sentence the editor has since removed"
    with saved(store_path) as store:
        store.add_note(Target(KEY, "section", "logistics"), "Was this retracted?", Anchor("logistics", gone, "", ""))
        store.add_note(Target(KEY, "asset", SPARTA_ASSET.id), "Still here.")
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE, notifications=True) as pilot:
        await review_loaded(pilot, app)
        await pilot.press("A")
        assert await wait_until(pilot, lambda: isinstance(app.screen, NotesScreen))
        prompts = notes_prompts(app)
        assert len(prompts) == 2, prompts
        orphan = next(prompt for prompt in prompts if "Was this retracted?" in prompt)
        assert "The passage is gone from the briefing; it quoted:" in orphan
        assert f"“{gone}”" in orphan
        assert "The passage is gone" in screen_text(app)
        # Going to it says it is gone, and keeps it.
        app.screen.query_one(NotesList).highlighted = prompts.index(orphan)
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: "The passage this note quoted is gone" in screen_text(app))
        assert reader_of(app).section.id == "lede"
    with saved(store_path) as store:
        assert len(store.notes(KEY)) == 2


# Sections read


def nav_line(app: BriefingApp, title: str) -> str:
    return line_with(app, app.main_screen.query_one(SectionNav), title)


def read_in(path: Path) -> set[str]:
    with saved(path) as store:
        return store.sections_read(KEY)


async def test_r_marks_the_section_shown_read_and_again_unread(tmp_path, stores, store_path):
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE) as pilot:
        await review_loaded(pilot, app)
        await pilot.press("2", "]")
        title = "At a Glance"
        assert nav_line(app, title).startswith(title)
        await pilot.press("R")
        await pilot.pause()
        assert nav_line(app, title).startswith(f"{READ_MARK}{title}")
        assert "at-a-glance" in read_in(store_path)
        # The other sections are not marked.
        assert not nav_line(app, "Logistical").startswith(READ_MARK)
        await pilot.press("R")
        await pilot.pause()
        assert nav_line(app, title).startswith(title)
        assert "at-a-glance" not in read_in(store_path)


async def test_r_in_the_section_list_marks_the_highlighted_section(tmp_path, stores, store_path):
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE) as pilot:
        await review_loaded(pilot, app)
        await pilot.press("1", "end", "R")
        await pilot.pause()
        title = "Geopolitical"  # its title wraps
        assert nav_line(app, title).startswith(f"{READ_MARK}{title}")
        assert read_in(store_path) == {"implications"}


@pytest.fixture
def read_soon(monkeypatch):
    """A section counts as read a moment after its end is on screen (not the two seconds a user waits)."""
    monkeypatch.setattr(MainScreen, "READ_AFTER", 0.05)


@pytest.mark.usefixtures("read_soon")
async def test_a_short_section_shown_to_its_end_is_marked_read(tmp_path, stores, store_path):
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE) as pilot:
        await review_loaded(pilot, app)
        # The lede fits the reader: its end is on screen from the start.
        assert await wait_until(pilot, lambda: "lede" in read_in(store_path))
        assert await wait_until(pilot, lambda: nav_line(app, "Lede").startswith(f"{READ_MARK}Lede"))
        # So does At a Glance, shown by ].
        await pilot.press("]")
        assert reader_of(app).section.id == "at-a-glance"
        assert await wait_until(pilot, lambda: "at-a-glance" in read_in(store_path))
        assert await wait_until(pilot, lambda: nav_line(app, "At a Glance").startswith(READ_MARK))


@pytest.mark.usefixtures("read_soon")
async def test_a_long_section_is_marked_read_once_scrolled_to_its_end(tmp_path, stores, store_path):
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=(80, 24)) as pilot:
        await review_loaded(pilot, app)
        await pilot.press("1", "end", "enter")  # the last section, the reader focused
        reader = reader_of(app)
        assert reader.section.id == "implications"
        assert reader.max_scroll_y > 0, "the section must be longer than the reader at this size"
        await pilot.pause(0.2)
        assert "implications" not in read_in(store_path)
        await pilot.press("G")
        assert await wait_until(pilot, lambda: "implications" in read_in(store_path))


# A store that cannot be written: said, and the reader goes on


@pytest.fixture
def read_only_store() -> Iterator[Path]:
    """The user's own store (the one the app opens itself), in a directory others can write.

    The store's rules read such a store but never write it (another user could
    swap the file): read-only whoever runs the tests, root included.
    """
    path = review_store_path()
    with ReviewStore.open(path) as store:
        store.toggle_flag(Target(KEY, "actor", sparta().actors[0].id), "important")
    path.parent.chmod(0o777)
    yield path
    path.parent.chmod(0o700)


async def test_a_read_only_store_says_why_keeps_what_it_holds_and_the_reader_works(tmp_path, read_only_store):
    before = read_only_store.read_bytes()
    app = BriefingApp(sparta(), path=f"{KEY}.toml", config_path=tmp_path / "config.toml")
    async with running(app, size=SIZE, notifications=True) as pilot:
        await review_loaded(pilot, app)
        assert await wait_until(pilot, lambda: "Review kept read-only" in screen_text(app))
        # What it holds is shown.
        actor = sparta().actors[0]
        await pilot.press("4")
        assert line_with(app, pane(app, "actors"), actor.name).startswith(f"! {actor.name}")

        await pilot.press("3", "I")
        assert await wait_until(pilot, lambda: "Not flagged: not saved:" in screen_text(app))
        assert line_with(app, pane(app, "assets"), SPARTA_ASSET_NAME).startswith(SPARTA_ASSET_NAME)
        assert app.loaded_review_state.flags_of(Target(KEY, "asset", SPARTA_ASSET.id)) == set()

        # A note that cannot be saved here is not lost: its words go to the clipboard, said so.
        await pilot.press("a")
        assert await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press(*"keep me", "escape")
        assert await wait_until(pilot, lambda: "Note not saved (the review is read-only)" in screen_text(app))
        assert app.clipboard == "keep me"
        assert isinstance(app.screen, MainScreen)

        # Reading goes on.
        await pilot.press("R")
        assert await wait_until(pilot, lambda: "Not saved:" in screen_text(app))
        section = reader_of(app).section.id
        await pilot.press("]")
        assert reader_of(app).section.id != section
        assert app.is_running
    assert read_only_store.read_bytes() == before


# Untrusted text: the analyst's notes are shown as typed, never as markup or terminal codes

HOSTILE = "[bold]x[/] \x1b[31mred"


async def test_note_text_is_shown_literally_in_the_detail_view_and_the_notes_list(tmp_path, stores, store_path):
    with saved(store_path) as store:
        store.add_note(Target(KEY, "asset", SPARTA_ASSET.id), HOSTILE)
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE) as pilot:
        await review_loaded(pilot, app)
        await pilot.press("3", "enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EntityScreen))
        fields = text_of(app.screen.query_one("#fields-text"))
        assert "[bold]x[/] ␛[31mred" in fields
        assert "\x1b" not in fields
        assert "[bold]x[/] ␛[31mred" in screen_text(app)
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("A")
        assert await wait_until(pilot, lambda: isinstance(app.screen, NotesScreen))
        (prompt,) = notes_prompts(app)
        assert "[bold]x[/] ␛[31mred" in prompt and "\x1b" not in prompt
        assert "[bold]x[/] ␛[31mred" in screen_text(app)


# Notes are searched with the briefing


async def test_a_search_finds_the_analysts_notes(tmp_path, stores, store_path):
    with saved(store_path) as store:
        store.add_note(Target(KEY, "asset", SPARTA_ASSET.id), "Ask about the zanzibarite tonnage.")
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE, notifications=True) as pilot:
        await review_loaded(pilot, app)
        await search(pilot, "zanzibarite")
        bar = app.main_screen.query_one("#focus-bar")
        assert bar.display
        assert "1 note" in text_of(bar)
        assert "0 in text" in text_of(bar)
        assert await wait_until(pilot, lambda: "in 1 note" in screen_text(app))


# The same keys in the detail view


async def test_flag_note_and_grade_keys_in_the_detail_view(tmp_path, stores, store_path):
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE, notifications=True) as pilot:
        await review_loaded(pilot, app)
        await pilot.press("3", "enter")
        assert await wait_until(pilot, lambda: isinstance(app.screen, EntityScreen))
        detail = app.screen
        await pilot.press("I")
        await pilot.pause()
        fields = text_of(detail.query_one("#fields-text"))
        assert "Your review (not the briefing’s)" in fields
        assert "Flags: ! Important" in fields
        assert flags_in(store_path, "asset", SPARTA_ASSET.id) == {"important"}

        await pilot.press("a")
        assert await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press(*"From the detail view", "escape")
        assert await wait_until(pilot, lambda: app.screen is detail)
        await pilot.pause()
        assert "    From the detail view" in text_of(detail.query_one("#fields-text"))

        # Back on the main screen, the row shows both.
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert line_with(app, pane(app, "assets"), SPARTA_ASSET_NAME).startswith(f"!✎ {SPARTA_ASSET_NAME}")

        # An actor is not a claim: nothing to grade.
        await pilot.press("4", "e")
        assert await wait_until(pilot, lambda: "Only a claim can be graded" in screen_text(app))
        assert isinstance(app.screen, MainScreen)


# More of what a note can be on, and the list's edit and delete


async def test_a_note_in_the_reader_without_a_match_is_on_the_section(tmp_path, stores, store_path):
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE) as pilot:
        await review_loaded(pilot, app)
        await pilot.press("2", "]", "a")
        assert await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        assert "Note on Section: At a Glance" in screen_text(app)
        await pilot.press(*"Summary only", "escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        with saved(store_path) as store:
            (note,) = store.notes(KEY)
        assert (note.kind, note.target, note.anchor) == ("section", "at-a-glance", None)
        await pilot.press("A")
        assert await wait_until(pilot, lambda: isinstance(app.screen, NotesScreen))
        (prompt,) = notes_prompts(app)
        assert prompt.startswith("✎ Section: At a Glance")


async def test_a_note_on_a_mention_of_the_focus_anchors_to_the_mention(tmp_path, stores, store_path):
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE) as pilot:
        await review_loaded(pilot, app)
        # Focus the asset, then n to its first mention in the text.
        await pilot.press("3", "f", "n")
        await pilot.pause()
        reader = reader_of(app)
        current = reader.current
        assert current is not None
        mentioned = reader.blocks[current.block].text[current.start : current.end]
        await pilot.press("2", "a")
        assert await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press(*"Two of them", "escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        with saved(store_path) as store:
            (note,) = store.notes(KEY)
        assert note.anchor is not None
        assert (note.anchor.section, note.anchor.exact) == (reader.section.id, mentioned)
        assert "AN-124" in mentioned


async def test_the_notes_list_edits_and_deletes(tmp_path, stores, store_path):
    with saved(store_path) as store:
        store.add_note(Target(KEY, "asset", SPARTA_ASSET.id), "First thought.")
    app = review_app(tmp_path, stores, store_path)
    async with running(app, size=SIZE) as pilot:
        await review_loaded(pilot, app)
        await pilot.press("3")
        assert line_with(app, pane(app, "assets"), SPARTA_ASSET_NAME).startswith(f"✎ {SPARTA_ASSET_NAME}")
        await pilot.press("A", "e")
        assert await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        assert app.screen.query_one(TextArea).text == "First thought."
        await pilot.press(*" Second.", "escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        with saved(store_path) as store:
            assert [note.body for note in store.notes(KEY)] == ["First thought. Second."]

        await pilot.press("A")
        assert await wait_until(pilot, lambda: isinstance(app.screen, NotesScreen))
        await pilot.press("x")
        assert isinstance(app.screen, NotesScreen), "a first x only asks"
        await pilot.press("x")
        # The list again, now empty.
        assert await wait_until(pilot, lambda: "You have written no notes" in screen_text(app))
        with saved(store_path) as store:
            assert store.notes(KEY) == []
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert line_with(app, pane(app, "assets"), SPARTA_ASSET_NAME).startswith(SPARTA_ASSET_NAME)
