"""A large briefing opens on its headline at once and fills in when parsed.

The reader shows a loading screen with the headline (read from the
``[meta]`` table alone) while the whole file parses in the background, then
the main screen; a file that turns out to be broken ends the reader with
the same problems ``briefing check`` reports. Start-up runs with the
garbage collector paused, and the reader turns it back on.
"""

from __future__ import annotations

import pytest
from app_helpers import screen_text, wait_until
from conftest import MINIMAL, large_briefing

from briefing.app.app import BriefingApp
from briefing.app.screens.help import HelpScreen
from briefing.app.screens.loading import LoadingScreen
from briefing.app.screens.main import MainScreen
from briefing.app.widgets.assets import AssetsPane
from briefing.format.reading import LoadResult, PendingLoad, peek_meta
from briefing.storage import parsed_cache as cache
from briefing.storage.briefing_files import load_briefing, open_briefing


def pending(path, *, cache_it: bool = False) -> PendingLoad:
    opened = open_briefing(path, cache=cache_it, defer_from=0)
    assert isinstance(opened, PendingLoad)
    return opened


# The loader side


def test_only_files_from_the_threshold_on_are_left_to_parse_later(write):
    path = write(MINIMAL)
    size = path.stat().st_size
    assert isinstance(open_briefing(path, defer_from=size + 1), LoadResult)
    later = open_briefing(path, defer_from=size)
    assert isinstance(later, PendingLoad)
    assert later.finish().briefing == load_briefing(path).briefing


def test_a_file_that_cannot_be_read_fails_at_once_even_when_deferred(tmp_path):
    opened = open_briefing(tmp_path / "missing.toml", defer_from=0)
    assert isinstance(opened, LoadResult)
    assert not opened.ok
    assert "no such file" in opened.problems[0].message


def test_a_cached_briefing_is_never_left_to_parse(write):
    path = write(large_briefing())
    assert load_briefing(path, cache=True).ok
    assert isinstance(open_briefing(path, cache=True, defer_from=0), LoadResult)


def test_meta_is_read_with_its_caveats_and_nothing_else(sparta_path):
    sparta = load_briefing(sparta_path).briefing
    assert sparta is not None and sparta.meta.caveats
    assert peek_meta(sparta_path.read_bytes()) == sparta.meta


def test_the_headline_is_read_from_the_meta_table_alone():
    data = (MINIMAL + '\n[[assets]]\nid = "broken" = "not toml at all\n').encode()
    meta = peek_meta(data)
    assert meta is not None and meta.headline == "Ship breaks down"


@pytest.mark.parametrize(
    "text",
    [
        'format = 1\nmeta.headline = "Dotted keys"\n',
        'format = 1\n[meta]\nheadline = ""\n',
        'format = 1\n[meta]\nheadline = "Unterminated\n',
        "format = 1\n",
        "",
    ],
    ids=["dotted", "empty-headline", "broken", "no-meta", "empty"],
)
def test_no_headline_is_guessed_from_an_unusual_or_broken_meta_table(text):
    assert peek_meta(text.encode()) is None


def test_the_early_headline_is_defused_like_the_rest():
    data = MINIMAL.replace('"Ship breaks down"', '"Ship \\u001b[2J breaks [bold]down[/bold]"').encode()
    meta = peek_meta(data)
    assert meta is not None
    assert "\x1b" not in meta.headline and "[bold]" in meta.headline


# The reader side


async def test_the_headline_shows_first_then_the_whole_briefing(write, tmp_path):
    path = write(large_briefing())
    app = BriefingApp(pending(path, cache_it=True), path=str(path), config_path=tmp_path / "config.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, LoadingScreen)
        assert "Ship breaks down" in screen_text(app)
        assert "Reading and checking briefing.toml" in screen_text(app)
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and app.main_screen.is_complete)
        await pilot.pause()
        assert app.loaded and app.load_failure is None
        assert app.screen.query_one(AssetsPane).row_count == 1701
        await pilot.press("3", "G")
        assert "Asset number 1699 " in screen_text(app)
        # Parsed once: the next open comes from the cache.
    assert cache.lookup(str(path), path.read_bytes()) is not None


async def test_a_broken_large_file_ends_the_reader_with_its_problems(write, tmp_path):
    text = large_briefing() + '\n[[assets]]\nid = "ghost"\nname = "Ghost"\nkind = "ship"\nowner = "nobody"\n'
    path = write(text)
    app = BriefingApp(pending(path), path=str(path), config_path=tmp_path / "config.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        assert await wait_until(pilot, lambda: not app.is_running)
    assert app.return_code == 1
    failure = app.load_failure
    assert failure is not None and not failure.ok
    (problem,) = failure.problems
    assert "unknown actor `nobody`" in problem.message
    assert problem.line == text.count("\n")


async def test_help_opened_while_loading_is_back_over_the_main_screen(write, tmp_path):
    path = write(large_briefing())
    app = BriefingApp(pending(path), path=str(path), config_path=tmp_path / "config.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert await wait_until(pilot, lambda: app.loaded and app.main_screen.is_complete)
        assert await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_quitting_while_loading_quits_cleanly(write, tmp_path):
    # Half a second of parsing, which may end while the reader closes.
    path = write(large_briefing(assets=12000))
    app = BriefingApp(pending(path), path=str(path), config_path=tmp_path / "config.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        assert await wait_until(pilot, lambda: not app.is_running)
    assert app.return_code == 0 and app.load_failure is None


async def test_a_bug_while_loading_ends_the_reader_with_a_message(write, tmp_path, monkeypatch):
    """Whatever goes wrong in the background, the reader never stays on its loading screen."""
    path = write(large_briefing())

    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(PendingLoad, "finish", broken)
    app = BriefingApp(pending(path), path=str(path), config_path=tmp_path / "config.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        assert await wait_until(pilot, lambda: not app.is_running)
    assert app.return_code == 1
    (problem,) = app.load_failure.problems
    assert str(problem) == (
        f"{path}:1:1: error: internal error while reading: RuntimeError: boom; "
        "this is a bug in briefing; please report it with the file"
    )
