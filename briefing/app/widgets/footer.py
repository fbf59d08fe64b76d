"""The footer: the keys of the focused pane, and the palette's key where there is room for it."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

# Below this width the palette hint would push key hints off the footer;
# Ctrl+P still works and help lists it.
PALETTE_HINT_FROM = 80


class BriefingFooter(Footer):
    def on_resize(self, event: events.Resize) -> None:
        self.show_command_palette = event.size.width >= PALETTE_HINT_FROM
