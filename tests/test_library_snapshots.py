"""How the library screen looks, pinned as SVG snapshots (pytest-textual-snapshot).

A fixed small library (fixed dates, an empty review store, a broken file),
opened by a relative path from its parent directory, so that the title shows
the same name on every run. After a deliberate change of looks:
`pytest tests/test_library_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_helpers import wait_until
from test_app_library import BROKEN, SHIP, TOWED, TOWED_PASSAGE, minimal
from textual.pilot import Pilot

from briefing.app.app import BriefingApp
from briefing.app.screens.library import LibraryScreen
from briefing.app.widgets.library_table import LibraryTable
from briefing.storage.paths import default_briefing_path
from briefing.storage.review import ReviewStore


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[BriefingApp]:
    root = tmp_path / "library"
    root.mkdir()
    (root / "ship.toml").write_text(minimal(SHIP, published="2024-12-23", tags=("navy", "sea")), encoding="utf-8")
    (root / "towed.toml").write_text(
        minimal(TOWED, published="2024-12-10", tags=("port",), body=TOWED_PASSAGE), encoding="utf-8"
    )
    shutil.copy(default_briefing_path(), root / "sparta.toml")
    (root / "broken.toml").write_text(BROKEN, encoding="utf-8")
    # `briefing library` from its parent: the title names "library", not the temporary directory.
    monkeypatch.chdir(tmp_path)
    store = ReviewStore.open(tmp_path / "review.sqlite3")
    yield BriefingApp(None, library_root="library", config_path=tmp_path / "config.toml", review=store)
    store.close()


async def listed(pilot: Pilot[None]) -> None:
    """The library is indexed in a thread after the first frame: wait for its rows."""

    def ready() -> bool:
        screen = pilot.app.screen
        return (
            isinstance(screen, LibraryScreen)
            and screen.library is not None
            and screen.query_one("#briefings", LibraryTable).row_count == 4
        )

    assert await wait_until(pilot, ready)
    await pilot.pause()


class TestLibraryScreen:
    def test_library_80x24(self, snap_compare, app):
        assert snap_compare(app, run_before=listed, terminal_size=(80, 24))

    def test_library_120x40(self, snap_compare, app):
        assert snap_compare(app, run_before=listed, terminal_size=(120, 40))

    def test_matches_80x24(self, snap_compare, app):
        # Typed, then Enter: the matches focused (no text cursor to blink in the query).
        assert snap_compare(app, run_before=listed, press=["slash", *"ship", "enter"], terminal_size=(80, 24))

    def test_filtered_by_tag_120x40(self, snap_compare, app):
        assert snap_compare(app, run_before=listed, press=["slash", *"tag:port", "enter"], terminal_size=(120, 40))
