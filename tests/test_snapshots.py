"""How the reader's screens look, pinned as SVG snapshots (pytest-textual-snapshot).

After a deliberate change of looks: `pytest tests/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from briefing.app.app import BriefingApp
from briefing.app.screens.main import MainScreen
from briefing.storage.briefing_files import load_briefing
from briefing.storage.paths import default_briefing_path

NEXT = "right_square_bracket"


@pytest.fixture
def app(tmp_path, monkeypatch) -> BriefingApp:
    # A section counts as read after two seconds on screen: a snapshot taken on a busy machine
    # later than that would show the lede ticked read. Nothing here is read.
    monkeypatch.setattr(MainScreen, "READ_AFTER", 3600.0)
    briefing = load_briefing(default_briefing_path()).briefing
    return BriefingApp(briefing, config_path=tmp_path / "config.toml")


class TestMainScreen:
    def test_start_80x24(self, snap_compare, app):
        assert snap_compare(app, terminal_size=(80, 24))

    def test_start_120x40(self, snap_compare, app):
        assert snap_compare(app, terminal_size=(120, 40))

    def test_quotes_set_apart_120x40(self, snap_compare, app):
        assert snap_compare(app, press=[NEXT, NEXT, NEXT, "2"], terminal_size=(120, 40))

    def test_smallest_60x20(self, snap_compare, app):
        assert snap_compare(app, press=[NEXT, "5"], terminal_size=(60, 20))

    def test_wide_200x60(self, snap_compare, app):
        assert snap_compare(app, press=[NEXT, NEXT, NEXT], terminal_size=(200, 60))

    def test_actors_tab_80x24(self, snap_compare, app):
        assert snap_compare(app, press=["4", "j", "j"], terminal_size=(80, 24))

    def test_zoomed_reader_80x24(self, snap_compare, app):
        assert snap_compare(app, press=[NEXT, NEXT, "2", "z"], terminal_size=(80, 24))


class TestOtherScreens:
    def test_asset_detail(self, snap_compare, app):
        assert snap_compare(app, press=["3", *"jjjjjj", "enter"], terminal_size=(120, 40))

    def test_actor_detail_80x24(self, snap_compare, app):
        assert snap_compare(app, press=["4", *"jjjjjjjj", "enter"], terminal_size=(80, 24))

    def test_quote_detail(self, snap_compare, app):
        assert snap_compare(app, press=["5", "enter"], terminal_size=(120, 40))

    def test_help(self, snap_compare, app):
        assert snap_compare(app, press=["question_mark"], terminal_size=(120, 40))

    def test_caveats(self, snap_compare, app):
        assert snap_compare(app, press=["c"], terminal_size=(120, 40))

    def test_export_dialog(self, snap_compare, app, monkeypatch):
        # The bundled briefing exports to the working directory: the same file name on every machine.
        monkeypatch.chdir("/tmp")

        async def export(pilot):
            pilot.app.action_export()

        assert snap_compare(app, run_before=export, terminal_size=(120, 40))

    def test_light_theme(self, snap_compare, app):
        async def light(pilot):
            pilot.app.theme = "textual-light"

        assert snap_compare(app, run_before=light, press=[NEXT, NEXT, NEXT], terminal_size=(120, 40))


class TestAnalystViews:
    def test_focus_on_hur(self, snap_compare, app):
        assert snap_compare(app, press=["4", *"jjjjjjjj", "f", "n"], terminal_size=(120, 40))

    def test_search_tartus(self, snap_compare, app):
        # Typed, kept with Enter (the first match, At a Glance), then n: the second, in the next section.
        assert snap_compare(app, press=["slash", *"tartus", "enter", "n"], terminal_size=(120, 40))

    def test_focus_on_hur_80x24(self, snap_compare, app):
        assert snap_compare(app, press=["4", *"jjjjjjjj", "f", "n", "5"], terminal_size=(80, 24))

    def test_timeline(self, snap_compare, app):
        assert snap_compare(app, press=["6"], terminal_size=(120, 40))

    def test_timeline_jump_to_section(self, snap_compare, app):
        assert snap_compare(app, press=["6", "j", "j", "enter"], terminal_size=(120, 40))

    def test_map_portugal(self, snap_compare, app):
        assert snap_compare(app, press=["7", *"jjjj"], terminal_size=(120, 40))

    def test_map_80x24(self, snap_compare, app):
        assert snap_compare(app, press=["7", *"jjjj"], terminal_size=(80, 24))

    def test_map_wide_200x60(self, snap_compare, app):
        assert snap_compare(app, press=["7", *"jjjj", "3"], terminal_size=(200, 60))

    def test_claims(self, snap_compare, app):
        assert snap_compare(app, press=["8"], terminal_size=(120, 40))

    def test_event_detail_with_provenance(self, snap_compare, app):
        assert snap_compare(app, press=["6", "G", "d"], terminal_size=(120, 40))
