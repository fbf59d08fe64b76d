"""The footer: the keys of the focused pane on one line, drawn with the screen, and a click presses a key."""

from __future__ import annotations

from pathlib import Path

from app_helpers import make_app, screen_lines, wait_until
from textual.binding import Binding

from briefing.app.screens.main import MainScreen
from briefing.app.widgets.footer import BriefingFooter, Item, Key, footer_items

SIZE = (120, 40)


def test_a_group_of_keys_is_one_item_and_hidden_keys_are_left_out():
    section = Binding.Group("Section", compact=True)
    bindings = [
        (Binding("left_square_bracket", "step(-1)", "Previous", key_display="[", group=section), True, ""),
        (Binding("right_square_bracket", "step(1)", "Next", key_display="]", group=section), True, ""),
        (Binding("q", "quit", "Quit"), True, "Leave"),
        (Binding("S", "sort(-1)", "Reverse", show=False), True, ""),
        # A second key for an action already shown is not shown again.
        (Binding("ctrl+q", "quit", "Quit"), True, ""),
    ]
    items = footer_items(bindings, {"left_square_bracket": "[", "right_square_bracket": "]", "q": "q"})
    assert [item.label for item in items] == ["Section", ""]
    assert [key.display for key in items[0].keys] == ["[", "]"]
    assert items[1] == Item((Key("q", "q", "Quit", True, "Leave"),), "", grouped=False)


async def test_the_footer_is_on_the_first_frame_of_the_main_screen_and_a_click_presses_its_key(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.is_laid_out)
        await pilot.pause()
        footer_line = screen_lines(app)[-1]
        assert footer_line.startswith(" ⏎ Read  [] Section  c Caveats")
        assert footer_line.rstrip().endswith("▏^p palette")
        x = footer_line.index(" c ") + 1
        await pilot.click(BriefingFooter, offset=(x, 0))
        assert await wait_until(pilot, lambda: type(app.screen).__name__ == "CaveatsScreen")


async def test_the_palette_hint_leaves_a_narrow_footer(tmp_path: Path):
    app = make_app(tmp_path)
    async with app.run_test(size=(70, 24)) as pilot:
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.is_laid_out)
        await pilot.pause()
        footer_line = screen_lines(app)[-1]
        assert "palette" not in footer_line
        assert footer_line.startswith(" ⏎ Read ")
