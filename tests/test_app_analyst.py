"""The analyst's views driven by keyboard: focus, mentions, timeline, map, claims, provenance."""

from __future__ import annotations

import pytest
from app_helpers import running
from textual.widgets import Static

from briefing.analysis.index import EntityRef
from briefing.app.app import BriefingApp
from briefing.app.screens.detail import EntityScreen
from briefing.app.screens.main import MainScreen
from briefing.app.widgets.claims import ClaimsPane
from briefing.app.widgets.map import MapCanvas, PlacesList
from briefing.app.widgets.quotes import QuotesPane
from briefing.app.widgets.reader import CURRENT_STYLE, MARK_STYLE, MENTION_STYLE, ReaderPane
from briefing.app.widgets.timeline import TimelinePane
from briefing.storage.briefing_files import load_briefing
from briefing.storage.paths import default_briefing_path

SIZES = [(120, 40), (80, 24)]


@pytest.fixture
def app(tmp_path) -> BriefingApp:
    return BriefingApp(load_briefing(default_briefing_path()).briefing, config_path=tmp_path / "config.toml")


def main(app) -> MainScreen:
    return app.main_screen


def rows(table) -> list[str]:
    """The ids of the entities a table shows, in order."""
    return [entity.id for entity in table.items]


def styled(reader: ReaderPane, style: str) -> list[str]:
    """The words the reader shows in ``style``, checked against what is on screen."""
    words = reader.highlighted(style)
    on_screen = "".join(
        line.plain[s.start : s.end] for line in reader.lines for s in line.spans if str(s.style) == style
    )
    for word in words:
        # Wrapping may split a highlighted phrase across lines, never drop it.
        assert "".join(word.split()) in "".join(on_screen.split()), word
    return words


async def focus_actor(pilot, name_rows_down: int) -> None:
    await pilot.press("4", *["j"] * name_rows_down, "f")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
async def test_focus_on_hur_shows_its_quote_claim_and_mentions(app, size):
    async with running(app, size=size) as pilot:
        await focus_actor(pilot, 8)  # the ninth actor: HUR
        screen = main(app)
        assert screen.focus_ref == EntityRef("actor", "hur")
        bar = screen.query_one("#focus-bar", Static)
        assert bar.display and "HUR" in str(bar.visual)
        # The other panes narrow to what is linked to HUR.
        quotes = screen.query_one(QuotesPane)
        assert [o.id for o in quotes.options if o.id] == ["hur-sparta-breakdown", "hur-crew-drifting"]
        assert rows(screen.query_one("#assets")) == ["sparta", "sparta-cargo"]
        assert rows(screen.query_one(TimelinePane)) == ["sparta-breakdown", "hur-report"]
        claims = screen.query_one(ClaimsPane)
        assert {c.ref.id for c in claims.items} >= {"hur-sparta-breakdown", "sparta"}
        assert "of" in str(claims.border_title) and "linked to" in str(claims.border_title)
        # The actors pane, the focus's own, is not narrowed.
        assert len(rows(screen.query_one("#actors"))) == len(app.briefing.actors)
        # n jumps to the first mention, in the logistics section, and highlights it.
        await pilot.press("n")
        await pilot.pause()
        reader = screen.query_one(ReaderPane)
        assert reader.section.id == "logistics"
        assert styled(reader, CURRENT_STYLE) == ["Ukraine’s Main Intelligence Directorate"]
        assert styled(reader, MENTION_STYLE) == ["HUR"]
        await pilot.press("n")
        assert styled(reader, CURRENT_STYLE) == ["HUR"]
        await pilot.press("N")
        assert styled(reader, CURRENT_STYLE) == ["Ukraine’s Main Intelligence Directorate"]
        assert "1/2 mentions" in str(reader.border_subtitle)


async def test_x_clears_the_focus(app):
    async with running(app, size=(120, 40)) as pilot:
        await focus_actor(pilot, 8)
        screen = main(app)
        await pilot.press("x")
        await pilot.pause()
        assert screen.focus_ref is None
        assert not screen.query_one("#focus-bar").display
        assert len(rows(screen.query_one("#assets"))) == len(app.briefing.assets)
        assert len([o for o in screen.query_one(QuotesPane).options if o.id]) == len(app.briefing.quotes)
        assert styled(screen.query_one(ReaderPane), MENTION_STYLE) == []


async def test_mention_keys_do_nothing_without_a_focus(app):
    async with running(app, size=(120, 40)) as pilot:
        await pilot.press("n", "N", "x")
        assert main(app).query_one(ReaderPane).section.id == "lede"
        footer_keys = {b.key for _, b, enabled, _ in main(app).active_bindings.values() if enabled}
        assert "n" not in footer_keys and "x" not in footer_keys


async def test_mentions_move_across_sections(app):
    async with running(app, size=(120, 40)) as pilot:
        await pilot.press("7")
        places = main(app).query_one(PlacesList)
        places.select("portugal")
        await pilot.press("f")
        await pilot.pause()
        reader = main(app).query_one(ReaderPane)
        seen = []
        for _ in range(4):
            await pilot.press("n")
            await pilot.pause()
            seen.append(reader.section.id)
        # Three mentions of Portugal, then back to the first.
        assert seen == ["at-a-glance", "logistics", "logistics", "at-a-glance"]


async def test_portugal_on_the_map_with_the_sparta_there(app):
    async with running(app, size=(120, 40)) as pilot:
        await pilot.press("7")
        screen = main(app)
        places = screen.query_one(PlacesList)
        assert app.screen.focused is places
        for _ in range(len(app.briefing.locations)):
            if places.selected == EntityRef("location", "portugal"):
                break
            await pilot.press("j")
        assert places.selected == EntityRef("location", "portugal")
        await pilot.pause()
        canvas = screen.query_one(MapCanvas)
        assert canvas.selected == "portugal"
        image = canvas.image
        assert image is not None and "portugal" in image.marker_cells
        row, col = image.marker_cells["portugal"]
        assert image.cell(row, col).style == "marker-selected"
        # The Sparta is drawn there: the marker of the sea near Portugal is labelled with it.
        assert any("Sparta" in label.text for label in image.labels)
        info = str(screen.query_one("#map-info", Static).visual)
        assert "Here: Sparta, weapons and equipment" in info
        # Land and sea both appear.
        styles = {s for line in image.styles for s in line}
        assert {"land", "sea"} <= styles


async def test_clicking_a_marker_selects_its_place(app):
    async with running(app, size=(120, 40)) as pilot:
        await pilot.press("7")
        await pilot.pause()
        canvas = main(app).query_one(MapCanvas)
        row, col = canvas.image.marker_cells["libya"]
        await pilot.click(MapCanvas, offset=(col, row))
        await pilot.pause()
        assert main(app).query_one(PlacesList).selected == EntityRef("location", "libya")
        assert canvas.selected == "libya"


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (200, 60)])
async def test_map_redraws_to_the_pane_size(app, size):
    async with running(app, size=size) as pilot:
        await pilot.press("7")
        await pilot.pause()
        canvas = main(app).query_one(MapCanvas)
        width, height = canvas.content_size
        assert canvas.image is not None
        assert (canvas.image.width, canvas.image.height) == (width, height)
        assert canvas.image.outside == ()


async def test_timeline_walk_from_the_overthrow_to_the_hur_report(app):
    async with running(app, size=(120, 40)) as pilot:
        await pilot.press("6")
        screen = main(app)
        timeline = screen.query_one(TimelinePane)
        assert rows(timeline) == [
            "assad-overthrown",
            "isw-assessment",
            "maxar-imagery",
            "dbeibeh-statement",
            "sparta-breakdown",
            "hur-report",
        ]
        # Precision reads differently: glyph and word.
        precision = [timeline.cell_text(i, 1) for i in range(timeline.row_count)]
        assert precision[0] == "● exact" and precision[1] == "○ approx." and precision[5] == "◐ inferred"
        expected = {
            0: ("withdrawal", "December 8"),
            2: ("withdrawal", "Recent satellite images"),
            5: ("logistics", "HUR) reported on Monday"),
        }
        for row, (section_id, words) in expected.items():
            await pilot.press("6")
            timeline.move_cursor(row)
            await pilot.press("enter")
            await pilot.pause()
            reader = screen.query_one(ReaderPane)
            assert reader.section.id == section_id
            assert app.screen.focused is reader
            assert any(words in text for text in styled(reader, MARK_STYLE))


async def test_timeline_d_opens_the_event_details_with_provenance(app):
    async with running(app, size=(120, 40)) as pilot:
        await pilot.press("6", "G", "d")
        await pilot.pause()
        assert isinstance(app.screen, EntityScreen)
        assert app.screen.ref == EntityRef("event", "hur-report")
        fields = str(app.screen.query_one("#fields-text", Static).visual)
        assert "Provenance" in fields
        assert "Reported by: Main Intelligence Directorate" in fields
        assert "the article says “on Monday”" in fields
        assert "Rests on: Main Intelligence Directorate alone" in fields


async def test_claims_flag_single_source_and_focus_on_the_source(app):
    async with running(app, size=(120, 40)) as pilot:
        await pilot.press("8")
        claims = main(app).query_one(ClaimsPane)
        assert claims.row_count == len(claims.all_claims)
        assert "rest on one source" in str(claims.border_subtitle)
        assert claims.cell_text(0, 3) == "one source"
        await pilot.press("f")
        await pilot.pause()
        assert main(app).focus_ref == EntityRef("actor", claims.all_claims[0].sources[0])


async def test_f_in_the_quotes_pane_focuses_the_speaker(app):
    async with running(app, size=(120, 40)) as pilot:
        await pilot.press("5", "f")
        await pilot.pause()
        assert main(app).focus_ref == EntityRef("actor", "hur")


async def test_f_in_a_detail_view_returns_with_the_focus(app):
    async with running(app, size=(120, 40)) as pilot:
        await pilot.press("3", *"jjjjjj", "enter")
        await pilot.pause()
        assert isinstance(app.screen, EntityScreen)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert main(app).focus_ref == EntityRef("asset", "sparta")


async def test_palette_focus_and_clear(app):
    async with running(app, size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Focus on location: Portugal")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert main(app).focus_ref == EntityRef("location", "portugal")
        await pilot.press("ctrl+p")
        await pilot.press(*"Clear focus")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert main(app).focus_ref is None


async def test_help_lists_the_analyst_keys(app):
    async with running(app, size=(120, 60)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = str(app.screen.query_one("#help-text", Static).visual)
        for words in (
            "Next mention",
            "Previous mention",
            "Clear focus",
            "Focus",
            "Go to Timeline",
            "Go to Map",
            "Go to Claims",
            "Read it",
            "Timeline",
            "Claims",
        ):
            assert words in text, words
