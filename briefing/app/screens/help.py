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

HelpGroups = list[tuple[str, list[type[DOMNode]]]]


def help_groups() -> HelpGroups:
    """Where each binding lives, in the order a reader meets them."""
    from briefing.app.app import BriefingApp
    from briefing.app.screens.caveats import CaveatsScreen
    from briefing.app.screens.detail import EntityScreen, FieldsView, LinksList
    from briefing.app.screens.main import MainScreen
    from briefing.app.widgets.actors import ActorsPane
    from briefing.app.widgets.assets import AssetsPane
    from briefing.app.widgets.claims import ClaimsPane
    from briefing.app.widgets.map import PlacesList
    from briefing.app.widgets.quotes import QuotesPane
    from briefing.app.widgets.reader import ReaderPane
    from briefing.app.widgets.section_nav import SectionNav
    from briefing.app.widgets.timeline import TimelinePane

    return [
        ("Anywhere", [BriefingApp]),
        ("Main screen", [MainScreen]),
        ("Sections list", [SectionNav]),
        ("Reader", [ReaderPane]),
        ("Assets and actors tables", [AssetsPane, ActorsPane]),
        ("Quoted analysis", [QuotesPane]),
        ("Timeline", [TimelinePane]),
        ("Map: the list of places", [PlacesList]),
        ("Claims", [ClaimsPane]),
        ("Detail view", [EntityScreen, FieldsView, LinksList]),
        ("Help and caveats", [HelpScreen, CaveatsScreen]),
    ]


def binding_rows(app: App[object], classes: Iterable[type[DOMNode]]) -> list[tuple[str, str]]:
    """(keys, description) rows, keys that do the same thing joined: ``j, ↓``."""
    rows: dict[str, tuple[str, list[str]]] = {}
    for cls in classes:
        for binding in _app_first(cls):
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


def _app_first(cls: type[DOMNode]) -> list[Binding]:
    """The class's bindings, those briefing declares before those inherited from Textual.

    Where both bind one action (``j`` and Textual's ``down``), the row then
    takes briefing's wording.
    """
    own: dict[str, int] = {}
    for base in cls.__mro__:
        if base.__module__.startswith("briefing."):
            for key, _ in BindingsMap(base.__dict__.get("BINDINGS", [])):
                own.setdefault(key, len(own))
    merged = list(cls._merge_bindings())
    # Briefing's own in the order it declares them (a widget that rebinds
    # Textual's ``up`` would otherwise list it where Textual put it).
    return [binding for key, binding in sorted(merged, key=lambda pair: own.get(pair[0], len(own)))]


def help_content(app: App[object]) -> Content:
    parts: list[str | tuple[str, str]] = []
    for title, classes in help_groups():
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

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            yield Static(help_content(self.app), id="help-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss()

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_relative(y=1 if direction == "down" else -1, animate=False)
