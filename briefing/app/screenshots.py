"""SVG screenshots of the reader, made by the app itself.

``briefing screenshots [DIR]`` regenerates the files in screenshots/; a test
fails when they no longer match what the app draws.
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass
from pathlib import Path

from briefing.storage.briefing_files import load_briefing
from briefing.storage.paths import default_briefing_path


@dataclass(frozen=True, slots=True)
class Shot:
    filename: str
    size: tuple[int, int]
    # Keys pressed after start-up to reach the screen shown.
    keys: tuple[str, ...] = ()


SHOTS: tuple[Shot, ...] = (
    # The logistics section has quotes set apart; the Sparta row is selected.
    Shot("main-120x40.svg", (120, 40), ("right_square_bracket",) * 3 + ("3",) + ("j",) * 6),
    Shot("main-80x24.svg", (80, 24), ("right_square_bracket",) * 3 + ("2",)),
    Shot("detail-120x40.svg", (120, 40), ("3",) + ("j",) * 6 + ("enter",)),
    Shot("help-120x40.svg", (120, 40), ("question_mark",)),
    # HUR in focus: its mentions highlighted, the panes narrowed to what it reported.
    Shot("focus-hur-120x40.svg", (120, 40), ("4",) + ("j",) * 8 + ("f", "n", "5")),
    # Portugal picked on the map, the Sparta beside it.
    Shot("map-120x40.svg", (120, 40), ("7",) + ("j",) * 4),
    Shot("map-80x24.svg", (80, 24), ("7",) + ("j",) * 4),
    Shot("timeline-120x40.svg", (120, 40), ("6",)),
    Shot("claims-120x40.svg", (120, 40), ("8",)),
)


async def capture(shot: Shot) -> str:
    """The SVG of one shot, on the bundled briefing with default settings."""
    from briefing.app.app import BriefingApp

    result = load_briefing(default_briefing_path())
    assert result.briefing is not None, result.problems
    from briefing.storage.review import ReviewStore

    with tempfile.TemporaryDirectory() as config_dir:
        # A fresh config and an empty review: the user's theme, flags and notes must not leak into screenshots.
        review = ReviewStore.open(Path(config_dir) / "review" / "review.sqlite3")
        app = BriefingApp(result.briefing, config_path=Path(config_dir) / "config.toml", review=review)
        async with app.run_test(size=shot.size) as pilot:
            # The panes are mounted a frame after the headline (Lazy).
            for _ in range(100):
                if app.main_screen.is_complete:
                    break
                await pilot.pause()
            await pilot.pause()
            for key in shot.keys:
                await pilot.press(key)
            await pilot.pause()
            shot_svg = app.export_screenshot(title=f"briefing {shot.size[0]}x{shot.size[1]}")
        review.close()
        return shot_svg


def save_screenshots(directory: str | Path) -> list[Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for shot in SHOTS:
        path = directory / shot.filename
        path.write_text(asyncio.run(capture(shot)), encoding="utf-8")
        written.append(path)
    return written
