"""The lower part of the main screen: one pane per kind of entity.

On most terminals the panes are tabs (one shown at a time); on a wide one
they sit side by side. Switching is a CSS class, so no widget is rebuilt and
every pane keeps its cursor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget

from briefing.analysis.index import BriefingIndex
from briefing.app.panes import PANE_KEYS

if TYPE_CHECKING:
    from textual.widgets import Tabs


def entity_panes(index: BriefingIndex) -> list[tuple[str, Widget]]:
    """The panes, (tab label, widget): their modules are imported when the panes are mounted."""
    from briefing.app.widgets.actors import ActorsPane
    from briefing.app.widgets.assets import AssetsPane
    from briefing.app.widgets.claims import ClaimsPane
    from briefing.app.widgets.map import MapPane
    from briefing.app.widgets.quotes import QuotesPane
    from briefing.app.widgets.timeline import TimelinePane

    return [
        ("Assets", AssetsPane(index, id="assets")),
        ("Actors", ActorsPane(index, id="actors")),
        ("Quotes", QuotesPane(index, id="quotes")),
        ("Timeline", TimelinePane(index, id="timeline")),
        ("Map", MapPane(index, id="map")),
        ("Claims", ClaimsPane(index, id="claims")),
    ]


class EntityPanes(Vertical):
    """The panes of ``entity_panes``, under a row of tabs with their number keys."""

    def __init__(self, index: BriefingIndex, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index = index
        self.keys = PANE_KEYS
        self.panes: list[tuple[str, Widget]] = []

    def compose(self) -> ComposeResult:
        # Composed a frame after the headline (the screen mounts this lazily):
        # the panes' modules (the map's, the tables') load then, not before it.
        from textual.widgets import Tab, Tabs

        self.panes = entity_panes(self.index)
        tabs = Tabs(
            *(
                Tab(Content.assemble((f"{self.keys.get(pane.id or '', '')} ", "bold"), label), id=f"tab-{pane.id}")
                for label, pane in self.panes
            )
        )
        # Panes are reached by number keys and Tab; the tab row is for the eye and the mouse.
        tabs.can_focus = False
        self.tabs = tabs
        yield tabs
        with Horizontal(id="pane-row"):
            for number, (_, pane) in enumerate(self.panes):
                pane.add_class("entity-pane")
                pane.set_class(number == 0, "-active")
                yield pane

    @property
    def pane_ids(self) -> list[str]:
        return [pane.id or "" for _, pane in self.panes]

    def show(self, pane_id: str) -> None:
        """Make ``pane_id`` the visible tab (a no-op for the eye when side by side)."""
        for _, pane in self.panes:
            pane.set_class(pane.id == pane_id, "-active")
        self._activate_tab(f"tab-{pane_id}")

    def _activate_tab(self, tab_id: str) -> None:
        if self.tabs.active == tab_id:
            return
        if self.tabs.query(f"#{tab_id}"):
            self.tabs.active = tab_id
        else:
            # Right after start-up the tab row may still be composing its tabs.
            self.call_after_refresh(self._activate_tab, tab_id)

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        if event.tab.id:
            pane_id = event.tab.id.removeprefix("tab-")
            self.show(pane_id)
            if self.screen.focused is not None and self.screen.focused in [p for _, p in self.panes]:
                self.query_one(f"#{pane_id}").focus()
