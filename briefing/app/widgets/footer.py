"""The footer: the keys of the focused pane, and the palette's key where there is room for it.

One widget drawing one line, not Textual's ``Footer``: that one mounts a
widget per key, and mounts them all again whenever the keys change (each
focus change), one frame after the screen it belongs to is drawn, which
made the footer the last thing of a first screen to appear. This one is
drawn with the screen's first frame and repainted, not rebuilt, when the
keys change. It looks the same (the same theme variables), and a click on a
key presses it, as on Textual's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import ClassVar, NamedTuple

from rich.console import RenderableType
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

# Below this width the palette hint would push key hints off the footer;
# Ctrl+P still works and help lists it.
PALETTE_HINT_FROM = 80


class Key(NamedTuple):
    """A key as the footer shows it."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str


class Item(NamedTuple):
    """What the footer shows for one binding, or for a group of them ("[] Section")."""

    keys: tuple[Key, ...]
    label: str  # a group's description; "" for a single key
    grouped: bool


def footer_items(bindings: Iterable[tuple[Binding, bool, str]], key_display: dict[str, str]) -> list[Item]:
    """The items of the footer, in the order of the bindings: one per action, a group's keys together."""
    by_action: dict[str, list[tuple[Binding, bool, str]]] = {}
    for binding, enabled, tooltip in bindings:
        if binding.show:
            by_action.setdefault(binding.action, []).append((binding, enabled, tooltip))
    items: list[Item] = []
    for group, members in groupby(by_action.values(), lambda found: found[0][0].group):
        chosen = [found[0] for found in members]
        keys = tuple(
            Key(
                binding.key,
                key_display.get(binding.key, binding.key),
                binding.description,
                enabled,
                tooltip or binding.tooltip or binding.description,
            )
            for binding, enabled, tooltip in chosen
        )
        if group is not None and len(keys) > 1:
            items.append(Item(keys, group.description, grouped=True))
        else:
            items.extend(Item((key,), "", grouped=False) for key in keys)
    return items


class BriefingFooter(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"footer-key--key", "footer-key--description", "footer--palette-border"}
    DEFAULT_CSS = """
    BriefingFooter {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        & > .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .footer--palette-border {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        # Where each key is on the line (start, end, key), as last drawn: what a click presses.
        self._spans: list[tuple[int, int, Key]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def _items(self) -> list[Item]:
        active = self.screen.active_bindings
        bindings = [(binding, enabled, tooltip) for (_, binding, enabled, tooltip) in active.values()]
        displays = {binding.key: self.app.get_key_display(binding) for binding, _, _ in bindings}
        return footer_items(bindings, displays)

    def render(self) -> RenderableType:
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, Key]] = []
        for part, key in self._parts(self._items(), key_style, description_style):
            start = len(line)
            line.append_text(part)
            if key is not None:
                spans.append((start, len(line), key))
        palette = self._palette_hint(key_style, description_style)
        width = self.size.width
        if palette is not None and width >= PALETTE_HINT_FROM:
            room = max(0, width - palette[0].cell_len)
            line.truncate(room, pad=True)
            spans = [span for span in spans if span[1] <= room]
            start = len(line)
            line.append_text(palette[0])
            spans.append((start, len(line), palette[1]))
        self._spans = spans
        return line

    @staticmethod
    def _parts(items: list[Item], key_style: Style, description_style: Style) -> Iterator[tuple[Text, Key | None]]:
        dim = Style(dim=True)
        for item in items:
            if item.grouped:
                yield Text(" "), None
                for key in item.keys:
                    yield Text(key.display, key_style + (dim if not key.enabled else Style())), key
                yield Text(" " + item.label + " ", description_style), None
                continue
            [key] = item.keys
            style = dim if not key.enabled else Style()
            text = Text.assemble((f" {key.display} ", key_style + style))
            if key.description:
                text.append(f"{key.description} ", description_style + style)
            yield text, key

    def _palette_hint(self, key_style: Style, description_style: Style) -> tuple[Text, Key] | None:
        app = self.app
        if not app.ENABLE_COMMAND_PALETTE:
            return None
        found = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        if found is None:
            return None
        _, binding, enabled, tooltip = found
        display = app.get_key_display(binding)
        border = self.get_component_rich_style("footer--palette-border")
        text = Text.assemble(("▏", border), (display, key_style), (f" {binding.description} ", description_style))
        return text, Key(binding.key, display, binding.description, enabled, tooltip or binding.description)

    def _key_at(self, x: int) -> Key | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_click(self, event: events.Click) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        event.stop()
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        self.tooltip = key.tooltip if key is not None else None
