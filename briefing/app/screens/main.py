"""The main screen: header, sections, reader, and the entity panes."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, OptionList

from briefing.app.widgets.actors import ActorsPane
from briefing.app.widgets.assets import AssetsPane
from briefing.app.widgets.entity_panes import EntityPanes
from briefing.app.widgets.entity_table import EntityTable
from briefing.app.widgets.header import BriefingHeader
from briefing.app.widgets.messages import OpenEntity
from briefing.app.widgets.quotes import QuotesPane
from briefing.app.widgets.reader import ReaderPane
from briefing.app.widgets.section_nav import SectionNav
from briefing.index import BriefingIndex, EntityRef

# Below these sizes the layout tightens; at or above WIDE it spreads out.
NARROW_WIDTH, NARROW_HEIGHT = 100, 30
WIDE_WIDTH, WIDE_HEIGHT = 160, 45

# "[ ] Section" in the footer.
SECTION_KEYS = Binding.Group("Section", compact=True)

# Pane ids in focus order (Tab / Shift+Tab) with their number keys.
PANES: dict[str, str] = {"sections": "1", "reader": "2", "assets": "3", "actors": "4", "quotes": "5"}
PANE_NAMES: dict[str, str] = {
    "sections": "Sections",
    "reader": "Reader",
    "assets": "Assets",
    "actors": "Actors",
    "quotes": "Quoted analysis",
}


class MainScreen(Screen[None]):
    CSS_PATH = "main.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "cycle_pane(1)", "Next pane", show=False),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False),
        Binding("left_square_bracket", "step_section(-1)", "Previous section", key_display="[", group=SECTION_KEYS),
        Binding("right_square_bracket", "step_section(1)", "Next section", key_display="]", group=SECTION_KEYS),
        *(
            Binding(key, f"focus_pane('{pane}')", f"Go to {PANE_NAMES[pane]}", show=False)
            for pane, key in PANES.items()
        ),
        Binding("c", "app.caveats", "Caveats", tooltip="The editor’s caveats about this article"),
        Binding("z", "zoom", "Zoom", tooltip="Fill the screen with the focused pane (again to restore)"),
    ]

    def __init__(self, index: BriefingIndex) -> None:
        super().__init__()
        self.index = index

    def compose(self) -> ComposeResult:
        yield BriefingHeader(self.index.briefing.meta, id="header")
        with Horizontal(id="top"):
            yield SectionNav(self.index.briefing.sections, id="sections")
            yield ReaderPane(self.index, id="reader")
        yield EntityPanes(
            [
                ("Assets", AssetsPane(self.index, id="assets")),
                ("Actors", ActorsPane(self.index, id="actors")),
                ("Quoted analysis", QuotesPane(self.index, id="quotes")),
            ],
            keys=PANES,
            id="panes",
        )
        yield Footer()

    def on_mount(self) -> None:
        nav = self.query_one(SectionNav)
        nav.highlighted = 0
        self.query_one(ReaderPane).show_section(self.index.briefing.sections[0])
        nav.focus()

    def on_resize(self, event: events.Resize) -> None:
        width, height = event.size
        self.set_class(width < NARROW_WIDTH or height < NARROW_HEIGHT, "-narrow")
        # Below 80 columns the palette hint would push key hints off the footer;
        # Ctrl+P still works and help lists it.
        self.query_one(Footer).show_command_palette = width >= 80
        self.set_class(width >= WIDE_WIDTH and height >= WIDE_HEIGHT, "-wide")

    # Sections

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if isinstance(event.option_list, SectionNav) and event.option.id:
            section = self.index.sections[event.option.id]
            reader = self.query_one(ReaderPane)
            if reader.section is not section:
                reader.show_section(section)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, SectionNav):
            self.query_one(ReaderPane).focus()

    def show_section(self, section_id: str) -> None:
        nav = self.query_one(SectionNav)
        nav.highlighted = nav.get_option_index(section_id)

    def action_step_section(self, step: int) -> None:
        nav = self.query_one(SectionNav)
        current = nav.highlighted or 0
        target = min(max(current + step, 0), nav.option_count - 1)
        if target == current:
            self.app.bell()
            return
        nav.highlighted = target

    # Panes

    def pane(self, pane_id: str) -> Widget:
        return self.query_one(f"#{pane_id}")

    def current_pane(self) -> str | None:
        node = self.focused
        while node is not None:
            if node.id in PANES:
                return node.id
            node = node.parent if isinstance(node.parent, Widget) else None
        return None

    def action_focus_pane(self, pane_id: str) -> None:
        if self.maximized is not None:
            self.minimize()
        panes = self.query_one(EntityPanes)
        if pane_id in panes.pane_ids:
            panes.show(pane_id)
        self.pane(pane_id).focus()

    def action_cycle_pane(self, step: int) -> None:
        order = list(PANES)
        current = self.current_pane()
        position = order.index(current) if current in order else -step
        self.action_focus_pane(order[(position + step) % len(order)])

    def action_zoom(self) -> None:
        if self.maximized is not None:
            self.minimize()
        elif self.focused is not None:
            pane_id = self.current_pane()
            self.maximize(self.pane(pane_id) if pane_id else self.focused, container=False)

    # Entities

    def on_open_entity(self, message: OpenEntity) -> None:
        message.stop()
        self.app.open_entity(message.ref)  # type: ignore[attr-defined]

    def select_entity(self, ref: EntityRef) -> None:
        """Show the pane that lists ``ref`` with its row selected."""
        pane_id = {"asset": "assets", "actor": "actors", "quote": "quotes"}.get(ref.kind)
        if pane_id is None:
            return
        self.action_focus_pane(pane_id)
        pane = self.pane(pane_id)
        if isinstance(pane, (EntityTable, QuotesPane)):
            pane.select(ref.id)
