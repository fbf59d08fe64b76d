"""The help screen, generated from the bindings the widgets really have."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

# (title, the classes whose bindings it lists), in the order a reader meets them.
HelpGroups = list[tuple[str, list[type[DOMNode]]]]


def binding_rows(app: App[object], classes: Iterable[type[DOMNode]]) -> list[tuple[str, str]]:
    """(keys, description) rows, keys that do the same thing joined: ``j, ↓``."""
    rows: dict[str, tuple[str, list[str]]] = {}
    for cls in classes:
        for binding in class_bindings(cls):
            if binding.system:
                continue
            description = binding.description or binding.action.replace("_", " ")
            if binding.tooltip:
                # The footer shows the short description; help has room for the long one.
                description = (
                    f"{description}: {binding.tooltip}" if binding.tooltip[:4] != description[:4] else binding.tooltip
                )
            _, keys = rows.setdefault(binding.action, (description, []))
            display = app.get_key_display(binding)
            if display not in keys:
                keys.append(display)
    return [(", ".join(keys), description) for description, keys in rows.values()]


def class_bindings(cls: type[DOMNode]) -> list[Binding]:
    """Every binding ``cls`` has, as Textual merges them, briefing's own first.

    Textual merges the ``BINDINGS`` of every class up the MRO, a subclass's
    binding replacing a base's for the same key; ``Static`` inherits none
    (``inherit_bindings=False``). Briefing's keys come first, the most
    specific class's in the order it declares them: where a pane and a base
    both bind one action (``j`` and ``down``), the row takes the pane's wording.
    """
    keys: dict[str, list[Binding]] = {}
    for base in reversed(cls.__mro__):
        if not issubclass(base, DOMNode):
            continue
        if base is Static:
            keys.clear()
        for key, key_bindings in BindingsMap(base.__dict__.get("BINDINGS", [])).key_to_bindings.items():
            keys[key] = key_bindings
    rank: dict[str, int] = {}
    for base in cls.__mro__:
        if base.__module__.startswith("briefing."):
            for key, _ in BindingsMap(base.__dict__.get("BINDINGS", [])):
                rank.setdefault(key, len(rank))
    ordered = sorted(keys, key=lambda key: rank.get(key, len(rank)))
    return [binding for key in ordered for binding in keys[key]]


def help_content(app: App[object], groups: HelpGroups) -> Content:
    parts: list[str | tuple[str, str]] = []
    for title, classes in groups:
        rows = binding_rows(app, classes)
        if title == "Anywhere" and app.ENABLE_COMMAND_PALETTE:
            rows.append((app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, "")), "Command palette"))
        if not rows:
            continue
        parts += [(title, "bold $accent"), "\n"]
        width = max(len(keys) for keys, _ in rows)
        for keys, description in rows:
            parts += ["  ", (keys.ljust(width), "bold"), "  ", description, "\n"]
        parts.append("\n")
    parts.append(("The mouse works too: click a tab, a row or a section. Nothing needs it.", "$text-muted"))
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 90;
        max-width: 100%;
        height: 90%;
        border: round $accent;
        padding: 0 1;
        background: $surface;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("q,question_mark,backspace", "close", "Close", show=False),
        Binding("j", "scroll('down')", "Scroll down", show=False),
        Binding("k", "scroll('up')", "Scroll up", show=False),
    ]

    def __init__(self, groups: HelpGroups) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            yield Static(help_content(self.app, self.groups), id="help-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss()

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_relative(y=1 if direction == "down" else -1, animate=False)
