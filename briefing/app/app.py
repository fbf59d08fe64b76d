"""The reader application."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from briefing.app.config import Config, load_config, save_config
from briefing.app.screens.main import MainScreen
from briefing.index import BriefingIndex, EntityRef
from briefing.model import Briefing


class BriefingApp(App[None]):
    # The main screen is the default screen, whose own CSS_PATH Textual does
    # not load: its sheet is the app's second one.
    CSS_PATH: ClassVar = ["app.tcss", "screens/main.tcss"]
    TITLE = "briefing"
    COMMANDS: ClassVar = App.COMMANDS | {lambda: _briefing_commands()}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(self, briefing: Briefing, *, path: str | None = None, config_path: Path | None = None) -> None:
        super().__init__()
        self.briefing = briefing
        self.path = path
        self.index = BriefingIndex.build(briefing)
        self.config_path = config_path
        self.config: Config = load_config(config_path)

    def on_mount(self) -> None:
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        # Subscribe after applying the saved theme: only the user's own
        # choices are written back.
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.index)

    async def on_ready(self) -> None:
        # The first frame (headline and lede) is on the terminal: build the rest.
        await self.main_screen.ensure_built(startup=True)

    def _remember_theme(self, theme: object) -> None:
        if self.theme != self.config.theme:
            self.config = Config(theme=self.theme)
            if save_config(self.config, self.config_path) is None:
                self.notify("Could not save the theme choice", severity="warning")

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Everything but "Screenshot", which writes a file the user did not ask for by name.
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":
                yield command

    @property
    def main_screen(self) -> MainScreen:
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def _back_to_main(self) -> MainScreen:
        main = self.main_screen
        while self.screen is not main:
            self.pop_screen()
        return main

    async def _main_built(self) -> MainScreen:
        main = self._back_to_main()
        await main.ensure_built()
        return main

    async def show_section(self, section_id: str) -> None:
        main = await self._main_built()
        main.show_section(section_id)
        await main.action_focus_pane("reader")

    async def focus_pane(self, pane_id: str) -> None:
        await (await self._main_built()).action_focus_pane(pane_id)

    async def open_entity(self, ref: EntityRef) -> None:
        from briefing.app.screens.detail import EntityScreen

        if self.index.get(ref) is None:
            self.bell()
            return
        if self.screen is self.main_screen:
            # From the main screen (a pane, the palette) the pane follows; from a
            # detail view it stays where the reader left it, to come back to.
            await self.main_screen.ensure_built()
            await self.main_screen.select_entity(ref)
        self.push_screen(EntityScreen(self.index, ref))

    async def focus_on(self, ref: EntityRef | None) -> None:
        """Back to the main screen with ``ref`` in focus (None clears the focus)."""
        (await self._main_built()).set_entity_focus(ref)

    def action_help(self) -> None:
        from briefing.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_caveats(self) -> None:
        from briefing.app.screens.caveats import CaveatsScreen

        if not isinstance(self.screen, CaveatsScreen):
            self.push_screen(CaveatsScreen(self.briefing.meta.caveats))


def _briefing_commands() -> type:
    # Imported when the palette first opens, not at start-up.
    from briefing.app.commands import BriefingCommands

    return BriefingCommands
