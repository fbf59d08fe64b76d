"""The reader tells a stated link, date or position from the rest.

The panes mark what the article does not state itself (one glyph in the cell,
explained in the pane's legend); the detail view says it in words: the hedge,
the editor's reason, the outside source.
"""

from __future__ import annotations

from app_helpers import briefing_from_text, make_app, running, screen_text, text_of
from basis_briefing import BASIS
from textual.widgets import OptionList

from briefing.analysis.index import EntityRef
from briefing.app.screens.detail import EntityScreen
from briefing.app.widgets.actors import ActorsPane
from briefing.app.widgets.assets import AssetsPane
from briefing.app.widgets.claims import ClaimsPane
from briefing.app.widgets.map import what_is_here
from briefing.app.widgets.quotes import QuotesPane
from briefing.app.widgets.timeline import TimelinePane

SIZE = (120, 40)


def app_for(tmp_path):
    return make_app(tmp_path, briefing_from_text(BASIS))


async def open_details(app, pilot, ref: EntityRef) -> tuple[str, list[str]]:
    """The detail view of ``ref``: its fields' text and its links' prompts."""
    await app.open_entity(ref)
    await pilot.pause()
    assert isinstance(app.screen, EntityScreen)
    fields = text_of(app.screen.query_one("#fields-text"))
    links = app.screen.query_one("#links", OptionList)
    prompts = [str(links.get_option_at_index(i).prompt) for i in range(links.option_count)]
    return fields, prompts


async def test_detail_view_gives_an_intended_link_with_its_hedge_and_explains_the_mark(tmp_path):
    app = app_for(tmp_path)
    async with running(app, size=SIZE) as pilot:
        fields, links = await open_details(app, pilot, EntityRef("asset", "crates"))
        assert "Location: the port » (intended: “reportedly being moved to”)" in fields
        assert "Marks in the tables" in fields
        assert "» the article says it is intended or attempted, not done" in fields
        assert any("Location: the port » intended: “reportedly being moved to”" in p for p in links), links
        # The place's own view says so from the other end.
        await pilot.press("escape")
        _, links = await open_details(app, pilot, EntityRef("location", "port"))
        assert any("Located here: crates » intended: “reportedly being moved to”" in p for p in links), links


async def test_detail_view_gives_the_editors_reason_and_the_outside_source(tmp_path):
    app = app_for(tmp_path)
    async with running(app, size=SIZE) as pilot:
        fields, links = await open_details(app, pilot, EntityRef("asset", "orion"))
        assert "Owner: Blue Line ‡ (inferred by the editor: Its funnel bears the line's colours.)" in fields
        assert "Reported by: The harbour master † (outside reporting: Coastal Gazette, 2024-03-02)" in fields
        assert any("Owner: Blue Line ‡ inferred by the editor" in p for p in links), links
        # A stated link carries nothing.
        assert any(p.startswith("→ Location: the open sea  (") for p in links), links


async def test_detail_view_gives_the_full_date_and_position_basis(tmp_path):
    app = app_for(tmp_path)
    async with running(app, size=SIZE) as pilot:
        fields, _ = await open_details(app, pilot, EntityRef("event", "orion-stall"))
        flat = " ".join(fields.split())
        assert "When: on or before 2024-03-01 †; only an upper bound is known; from outside reporting: Coastal" in flat
        assert "Where: the open sea ‡ (inferred by the editor: The article says the open sea, not where.)" in flat
        await pilot.press("escape")
        fields, _ = await open_details(app, pilot, EntityRef("location", "open-sea"))
        flat = " ".join(fields.split())
        assert (
            "Position: 45.00°N 20.00°W ±400 km (approximate) ‡; placed by the editor, not a reported position. "
            "Editor: A placeholder: no position is reported."
        ) in flat
        assert "‡ the editor’s inference or placement, not the article’s" in flat


async def test_panes_mark_what_the_article_does_not_state_and_say_what_the_marks_mean(tmp_path):
    app = app_for(tmp_path)
    async with running(app, size=SIZE) as pilot:
        assets = app.query_one(AssetsPane)
        rows = {assets.cell_text(row, 0): row for row in range(assets.row_count)}
        assert assets.cell_text(rows["crates"], 4) == "the port »"
        assert assets.cell_text(rows["Orion"], 4) == "the open sea"
        # The name is cut short to fit the column, never the mark.
        assert assets.cell_text(rows["Orion"], 5) == "The harbour m… †"
        assert str(assets.border_subtitle) == "† outside reporting · » intended, not done"

        actors = app.query_one(ActorsPane)
        assert actors.cell_text(1, 3) == "Blue Line ?"
        assert str(actors.border_subtitle) == "? hedged"

        await pilot.press("6")
        timeline = app.query_one(TimelinePane)
        assert [timeline.cell_text(row, 0) for row in range(timeline.row_count)] == ["≤2024-03-01†", "2024-03-02‡"]
        assert timeline.cell_text(0, 3) == "the open sea ‡"
        assert str(timeline.border_subtitle) == "† outside reporting · ‡ the editor’s"
        text = screen_text(app)
        assert "≤2024-03-01†" in text and "the open sea ‡" in text

        await pilot.press("8")
        claims = app.query_one(ClaimsPane)
        dates = [claims.cell_text(row, 0) for row in range(claims.row_count)]
        assert "● ≤2024-03-01†" in dates and "○ 2024-03-02‡" in dates
        orion = next(row for row in range(claims.row_count) if claims.items[row].ref == EntityRef("asset", "orion"))
        source = claims.cell_text(orion, 2)
        assert source.endswith(" †") and len(source) <= 10, source
        assert "† outside reporting" in str(claims.border_subtitle)


async def test_quotes_pane_is_called_quotes_and_marks_outside_dates(tmp_path):
    app = app_for(tmp_path)
    async with running(app, size=SIZE) as pilot:
        await pilot.press("5")
        quotes = app.query_one(QuotesPane)
        assert str(quotes.border_title) == "Quotes"
        assert "2024-03-01 †" in str(quotes.get_option_at_index(0).prompt)
        assert str(quotes.border_subtitle) == "dates: † outside reporting"


async def test_map_says_whose_position_it_is(tmp_path):
    app = app_for(tmp_path)
    async with running(app, size=SIZE):
        index = app.index
        sea = str(what_is_here(index, index.locations["open-sea"]))
        assert "45.00°N 20.00°W ±400 km (approximate) ‡ placed by the editor" in sea
        port = str(what_is_here(index, index.locations["port"]))
        assert "(approximate) † from outside reporting" in port
        assert "Here: crates »" in port
        assert "» intended, not done" in port
