"""`briefing show` and the wording it shares with the reader tell a stated fact from the rest.

A position, a date or a link the article does not state itself says so where
it is printed: its basis, its source, the editor's note. Footnotes name the
row they belong to in the article's words, never by an id.
"""

from __future__ import annotations

import datetime
import re

import pytest
from basis_briefing import BASIS
from test_show import show

from briefing.analysis.describe import (
    link_basis,
    link_mark,
    link_qualifier,
    linked,
    marks_legend,
    position_long,
    when_glyph,
    when_long,
    when_short,
)
from briefing.format.model import Link, Position, When


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("basis") / "basis.toml"
    path.write_text(BASIS, encoding="utf-8")
    # Wide enough that no cell wraps: a cell's words stay together in the flattened text.
    run = show(path, width=250)
    assert run.returncode == 0, run.stderr
    return run.stdout.decode()


@pytest.fixture(scope="module")
def sparta_out(tmp_path_factory) -> str:
    from briefing.storage.paths import default_briefing_path

    run = show(default_briefing_path(), width=250)
    assert run.returncode == 0, run.stderr
    return run.stdout.decode()


def flat(text: str) -> str:
    """The output with its table wrapping undone: one space between words."""
    return " ".join(text.split())


def table(out: str, title: str) -> str:
    """One printed table, its legend and its footnotes: from its title to the next table's."""
    titles = ["Assets", "Actors", "Quotes", "Locations", "Timeline"]
    start = out.index(f"\n{title} ")
    ends = [out.find(f"\n{t} ", start + 1) for t in titles if t != title]
    return out[start : min([e for e in ends if e > start], default=len(out))]


# -- the wording -------------------------------------------------------------------------------------


def test_a_link_says_how_it_is_known():
    assert link_qualifier(None) == link_basis(None) == link_mark(None) == ""
    assert link_qualifier(Link(basis="stated")) == ""
    assert link_qualifier(Link(basis="hedged", hedge="reportedly")) == "hedged: “reportedly”"
    intended = Link(basis="intended", hedge="reportedly attempting to transfer")
    assert link_qualifier(intended) == "intended: “reportedly attempting to transfer”"
    inferred = Link(basis="inferred", note="From the adjective “Russian”.")
    assert link_basis(inferred) == "inferred by the editor"
    assert link_qualifier(inferred) == "inferred by the editor: From the adjective “Russian”."
    external = Link(basis="external", source="Reuters, 2024-12-08")
    assert link_qualifier(external) == "outside reporting: Reuters, 2024-12-08"
    assert [link_mark(link) for link in (intended, inferred, Link(basis="hedged", hedge="x"))] == ["»", "‡", "?"]
    assert linked("Africa", intended) == "Africa » (intended: “reportedly attempting to transfer”)"
    assert linked("Africa", None) == "Africa"
    assert linked("", intended) == ""


def test_a_date_says_when_only_its_upper_bound_is_known_and_where_it_comes_from():
    bound = When(
        date=datetime.date(2024, 12, 23),
        precision="exact",
        basis="external",
        on_or_before=True,
        source="Kyiv Independent, 2024-12-23",
    )
    assert when_short(bound) == "on or before 2024-12-23"
    assert when_glyph(bound) == "● ≤2024-12-23†"
    assert when_long(bound).startswith("on or before 2024-12-23 †; only an upper bound is known; ")
    assert "from outside reporting: Kyiv Independent, 2024-12-23" in when_long(bound)
    guess = When(date=datetime.date(2024, 12, 23), precision="approximate", basis="editor")
    assert when_glyph(guess) == "○ 2024-12-23‡"
    stated = When(date=datetime.date(2024, 12, 23), precision="exact", basis="article")
    assert when_glyph(stated) == "● 2024-12-23"
    assert marks_legend(["‡", "", "†", "‡"]) == "† outside reporting · ‡ the editor’s"


def test_a_position_keeps_its_basis_source_and_the_editors_note():
    guess = Position(
        lat=39.0, lon=-10.5, precision="approximate", basis="editor", uncertainty_km=500, note="A placeholder."
    )
    assert position_long(guess) == (
        "39.00°N 10.50°W ±500 km (approximate) ‡; placed by the editor, not a reported position. Editor: A placeholder."
    )
    cited = Position(lat=35.41, lon=35.95, precision="approximate", basis="external", source="GeoNames")
    assert position_long(cited) == "35.41°N 35.95°E (approximate) †; from outside reporting: GeoNames"


# -- briefing show -----------------------------------------------------------------------------------


def test_the_editors_placeholder_position_never_reads_as_a_reported_one(out):
    locations = flat(table(out, "Locations"))
    assert (
        "45.00°N 20.00°W ±400 km (approximate) ‡; placed by the editor, not a reported position. "
        "Editor: A placeholder: no position is reported."
    ) in locations
    assert "44.50°N 1.50°W ±5 km (approximate) †; from outside reporting: Harbour Atlas, 2023 edition" in locations


def test_an_intended_link_prints_with_its_hedge(out):
    assert "the port » (intended: “reportedly being moved to”)" in flat(table(out, "Assets"))


def test_an_inferred_owner_prints_as_the_editors_with_the_reason(out):
    assets = flat(table(out, "Assets"))
    assert "Blue Line ‡ (inferred by the editor)" in assets
    assert "• Orion, owner Blue Line ‡: inferred by the editor: Its funnel bears the line's colours." in assets


def test_every_kind_of_link_prints_its_qualifier(out):
    assert "The harbour master † (outside reporting)" in flat(table(out, "Assets"))
    assert "reported by The harbour master †: outside reporting: Coastal Gazette, 2024-03-02" in flat(out)
    assert "Blue Line ? (hedged: “reportedly”)" in flat(table(out, "Actors"))
    timeline = flat(table(out, "Timeline"))
    assert "the open sea ‡ (inferred by the editor)" in timeline
    assert "where the open sea ‡: inferred by the editor: The article says the open sea, not where." in timeline


def test_an_on_or_before_date_prints_as_an_upper_bound_with_its_mark(out):
    timeline = flat(table(out, "Timeline"))
    assert "on or before 2024-03-01 † The Orion stalled on Friday." in timeline
    assert "date: on or before 2024-03-01 †; only an upper bound is known; from outside reporting" in timeline
    # The editor's own date carries the other mark.
    assert "2024-03-02 (approximate) ‡ The harbour master said" in timeline


def test_marks_are_explained_under_each_table_that_uses_them(out):
    legend = "Marks: † from outside reporting, not the article (the source is named)"
    for title in ("Assets", "Quotes", "Locations", "Timeline"):
        assert legend in flat(table(out, title)), title
    assert "Marks: ? the article hedges it (its words are quoted)" in flat(table(out, "Actors"))
    assert "» the article says it is intended or attempted, not done" in flat(table(out, "Assets"))


def test_quote_date_footnotes_name_their_quote(out):
    quotes = flat(table(out, "Quotes"))
    first = "• The harbour master: “The engine has stopped and the ship is adrift.”, date: 2024-03-01 †"
    second = "• The harbour master: “A tug is on its way from the port.”, date: 2024-03-01 †"
    assert first in quotes and second in quotes


def test_timeline_footnotes_name_events_by_their_words_not_their_ids(out):
    timeline = table(out, "Timeline")
    assert "• “The Orion stalled on Friday.”, date:" in flat(timeline)
    assert "• “The harbour master said so twice.”, date:" in flat(timeline)
    for event_id in ("orion-stall", "master-speaks"):
        assert event_id not in out


def test_the_quotes_table_is_headed_quotes(out):
    assert re.search(r"^Quotes[ ─]*$", out, re.M)
    assert "Quoted analysis" not in out


# -- the Sparta briefing, as the issue found it --------------------------------------------------------


def test_sparta_hur_quote_dates_are_told_apart(sparta_out):
    quotes = flat(table(sparta_out, "Quotes"))
    footnotes = re.findall(r"• Main Intelligence Directorate: “([^”]*)”, date:", quotes)
    assert len(footnotes) == 2 and len(set(footnotes)) == 2, footnotes
    assert footnotes[0].startswith("The cargo ship Sparta") and footnotes[1].startswith("The Russian crew")


def test_sparta_timeline_footnotes_show_no_ids(sparta_out):
    from briefing.storage.briefing_files import load_briefing
    from briefing.storage.paths import default_briefing_path

    briefing = load_briefing(default_briefing_path()).briefing
    assert briefing is not None
    timeline = table(sparta_out, "Timeline")
    for event in briefing.events:
        assert not re.search(rf"\b{re.escape(event.id)}\b", timeline), event.id


def test_sparta_placeholder_off_portugal_shows_its_basis(sparta_out):
    locations = flat(table(sparta_out, "Locations"))
    row = locations[locations.index("the open sea near Portugal sea area") :]
    assert row.split("Portugal country")[0].count("placed by the editor, not a reported position") == 1
    assert "placeholder" in row.split("Portugal country")[0]
