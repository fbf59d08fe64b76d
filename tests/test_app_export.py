"""Export… in the palette: the open briefing written where the analyst says, as they would use it."""

from __future__ import annotations

from pathlib import Path

from app_helpers import open_palette, palette_prompts, run_palette_command, running, screen_text, sparta, wait_until
from textual.command import CommandInput
from textual.widgets import Checkbox, Input, RadioSet, Static

from briefing.app.app import BriefingApp
from briefing.app.screens.export import ExportScreen, default_export_path
from briefing.export import FORMAT_BY_NAME, ExportSubject, render
from briefing.storage.review import ReviewStore, Target

SIZE = (120, 40)


def exporting_app(tmp_path: Path, store: ReviewStore | None = None, **options) -> BriefingApp:
    return BriefingApp(
        sparta(),
        path=str(tmp_path / "sparta.toml"),
        config_path=tmp_path / "config.toml",
        review=store or ReviewStore.open(tmp_path / "review.sqlite3"),
        **options,
    )


async def open_export(pilot) -> ExportScreen:
    await run_palette_command(pilot, "export", "Export…")
    assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen))
    screen = pilot.app.screen
    assert isinstance(screen, ExportScreen)
    return screen


def status_of(screen: ExportScreen) -> str:
    return str(screen.query_one("#export-status", Static).render())


async def test_export_writes_markdown_beside_the_briefing_and_says_where(tmp_path):
    app = exporting_app(tmp_path)
    async with running(app, size=SIZE, notifications=True) as pilot:
        screen = await open_export(pilot)
        assert screen.query_one("#export-path", Input).value == str(tmp_path / "sparta.md")
        await pilot.press("enter")
        target = tmp_path / "sparta.md"
        assert await wait_until(pilot, target.exists)
        assert await wait_until(pilot, lambda: "Exported as Markdown to" in screen_text(app))
        assert not isinstance(app.screen, ExportScreen)
    assert target.read_bytes() == render(ExportSubject(sparta(), app.briefing_key), "md")


async def test_choosing_a_format_follows_with_the_file_name_and_the_review_goes_in_when_ticked(tmp_path):
    store = ReviewStore.open(tmp_path / "review.sqlite3")
    app = exporting_app(tmp_path, store)
    async with running(app, size=SIZE) as pilot:
        store.add_note(Target(app.briefing_key, "briefing", ""), "my own <i>note</i>")
        screen = await open_export(pilot)
        screen.query_one(RadioSet).focus()
        await pilot.press("down", "space")
        assert screen.format == FORMAT_BY_NAME["html"]
        assert screen.query_one("#export-path", Input).value == str(tmp_path / "sparta.html")
        screen.query_one(Checkbox).focus()
        await pilot.press("space")
        assert screen.query_one(Checkbox).value
        await pilot.press("enter")
        target = tmp_path / "sparta.html"
        assert await wait_until(pilot, target.exists)
    page = target.read_text()
    assert '<section class="review">' in page
    assert "my own &lt;i&gt;note&lt;/i&gt;" in page


async def test_a_file_already_there_is_replaced_only_on_a_second_enter(tmp_path):
    target = tmp_path / "sparta.md"
    target.write_text("the analyst's own file")
    app = exporting_app(tmp_path)
    async with running(app, size=SIZE) as pilot:
        screen = await open_export(pilot)
        await pilot.press("enter")
        assert "is already there: Enter again replaces it" in status_of(screen)
        assert app.screen is screen
        assert target.read_text() == "the analyst's own file"
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: target.read_text().startswith("# Russian Soldiers"))


async def test_a_file_name_in_no_directory_is_said_and_the_dialog_stays(tmp_path):
    app = exporting_app(tmp_path)
    async with running(app, size=SIZE) as pilot:
        screen = await open_export(pilot)
        screen.query_one("#export-path", Input).value = str(tmp_path / "missing" / "out.md")
        await pilot.press("enter")
        assert "There is no directory" in status_of(screen)
        assert app.screen is screen
        screen.query_one("#export-path", Input).value = str(tmp_path)
        await pilot.press("enter")
        assert "is a directory" in status_of(screen)


async def test_escape_cancels_and_writes_nothing(tmp_path):
    app = exporting_app(tmp_path)
    async with running(app, size=SIZE) as pilot:
        await open_export(pilot)
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportScreen)
        await pilot.pause()
    assert sorted(path.name for path in tmp_path.iterdir() if path.suffix == ".md") == []


async def test_a_reader_served_over_ssh_offers_no_export(tmp_path):
    app = exporting_app(tmp_path, can_export=False)
    async with running(app, size=SIZE) as pilot:
        palette = await open_palette(pilot)
        palette.query_one(CommandInput).value = "export"
        await pilot.pause(0.3)
        assert "Export…" not in palette_prompts(palette)
        await pilot.press("escape")
        app.action_export()
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)


def test_the_bundled_briefing_exports_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bundled = str(tmp_path / "site-packages" / "briefing" / "content")
    assert default_export_path(bundled + "/sparta.toml", FORMAT_BY_NAME["stix"], bundled) == str(
        tmp_path / "sparta.stix.json"
    )
    assert default_export_path("/data/lib/kyiv.toml", FORMAT_BY_NAME["json"], bundled) == "/data/lib/kyiv.json"


async def test_export_is_found_in_the_palette_of_a_briefing_of_very_long_hostile_names(tmp_path):
    """Section titles and names of 800 characters: the palette still answers, and Export… is on top."""
    from hostile_briefing import write_hostile_briefing

    from briefing.storage.briefing_files import load_briefing

    hostile = load_briefing(write_hostile_briefing(tmp_path / "hostile.toml")).briefing
    assert hostile is not None
    app = BriefingApp(
        hostile,
        path=str(tmp_path / "hostile.toml"),
        config_path=tmp_path / "config.toml",
        review=ReviewStore.open(tmp_path / "review.sqlite3"),
    )
    async with running(app, size=SIZE) as pilot:
        await run_palette_command(pilot, "export", "Export…")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
