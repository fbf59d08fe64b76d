"""The map pane: the briefing's places on an offline terminal map, and what is at each.

The land comes from the Natural Earth mask shipped in ``briefing/geo``;
nothing is fetched. The map is redrawn to whatever size the pane has.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.analysis.describe import date_mark, label, link_mark, marks_legend, position_brief, when_marked
from briefing.analysis.focus import places_in
from briefing.analysis.index import BriefingIndex, EntityRef
from briefing.app.widgets.entity_pane import ENTITY_PANE_BINDINGS, EntityOptionList
from briefing.format.kinds import link_of
from briefing.format.model import Asset, Location
from briefing.geo.mapview import Bounds, MapImage, Marker, fit_bounds, render_map

# Map cell styles by what the cell shows. Land and sea differ by glyph too
# (braille dots against blank), so the map reads without colour.
CELL_STYLES: dict[str, str] = {
    "sea": "",
    "land": "$success",
    "marker": "bold $warning",
    "marker-selected": "bold reverse $accent",
    "label": "$text",
    "label-selected": "bold $accent",
}


def marker_label(index: BriefingIndex, location: Location) -> str:
    """The shortest name of the place, and the first asset there: ``near Portugal: Sparta``."""
    name = min([location.name, *location.aliases], key=len)
    here = [link.source for link in index.incoming(EntityRef("location", location.id)) if link.source.kind == "asset"]
    if not here:
        return name
    first = index.get(here[0])
    assert isinstance(first, Asset)
    return f"{name}: {_located(first)}" + (f" +{len(here) - 1}" if len(here) > 1 else "")


def _located(asset: Asset) -> str:
    """The asset's name, with its mark when the article does not place it there outright (``»`` intended)."""
    mark = link_mark(link_of(asset, "location"))
    return f"{asset.name} {mark}" if mark else asset.name


def what_is_here(index: BriefingIndex, location: Location) -> Content:
    """The selected place: where it is, and the assets and events at it or at places within or near it."""
    parts: list[str | tuple[str, str]] = [(location.name, "bold"), (f"  {label(location.kind)}", "$text-muted")]
    if location.position:
        parts += ["\n", (position_brief(location.position), "$text-muted")]
    else:
        parts += ["\n", ("no position: not on the map", "$text-muted")]
    places = places_in(index, location.id)
    assets = [a for a in index.briefing.assets if a.location in places]
    happened = [e for e in index.briefing.events if e.where in places]
    if assets:
        parts += ["\n", ("Here: ", "bold"), ", ".join(_located(a) for a in assets)]
    if happened:
        for event in happened:
            parts += ["\n", (f"{when_marked(event.when)} ", "bold"), event.what]
    if not assets and not happened:
        parts += ["\n", ("Nothing in the briefing is placed here.", "$text-muted")]
    legend = marks_legend([link_mark(link_of(a, "location")) for a in assets] + [date_mark(e.when) for e in happened])
    if legend:
        parts += ["\n", (legend, "$text-muted")]
    return Content.assemble(*parts)


class MapCanvas(Widget):
    """Draws the map at the widget's size; a click on a marker picks its place."""

    selected: reactive[str | None] = reactive(None)

    class Picked(Message):
        def __init__(self, location_id: str) -> None:
            super().__init__()
            self.location_id = location_id

    def __init__(self, index: BriefingIndex, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index = index
        self.markers = [
            Marker(loc.position.lat, loc.position.lon, loc.id, marker_label(index, loc))
            for loc in index.briefing.locations
            if loc.position is not None
        ]
        self.image: MapImage | None = None

    def bounds(self, width: int, height: int) -> Bounds:
        # Fit the places the briefing is about; a region's centre (the
        # Mediterranean) would only widen the view.
        points = [(m.lat, m.lon) for m in self.markers]
        return fit_bounds(points, width, height)

    def render(self) -> Content:
        width, height = self.content_size
        if width < 4 or height < 2:
            return Content("")
        self.image = render_map(self.bounds(width, height), width, height, self.markers, selected=self.selected)
        lines = [
            Content.assemble(*((text, CELL_STYLES.get(style, "")) for text, style in self.image.runs(row)))
            for row in range(self.image.height)
        ]
        return Content("\n").join(lines)

    def on_click(self, event: events.Click) -> None:
        if self.image is None:
            return
        picked = self.image.hit(event.y, event.x)
        if picked is not None:
            self.post_message(self.Picked(picked))


class PlacesList(EntityOptionList):
    """The briefing's places; the highlighted one is marked on the map."""

    KIND = "location"

    BINDINGS: ClassVar[list[BindingType]] = [
        *ENTITY_PANE_BINDINGS,
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    def __init__(self, index: BriefingIndex, *, id: str | None = None) -> None:
        self.index = index
        options = [
            Option(
                Content.assemble(loc.name, ("" if loc.position else "  (no position)", "$text-muted")),
                id=loc.id,
            )
            for loc in index.briefing.locations
        ]
        super().__init__(*options, id=id)

    def on_mount(self) -> None:
        if self.option_count and self.highlighted is None:
            self.highlighted = 0


class MapPane(Horizontal):
    """The places list and what is there, beside the map."""

    # Zoom (z) maximizes the whole pane, not just the list that has the focus.
    ALLOW_MAXIMIZE = True

    def __init__(self, index: BriefingIndex, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index = index
        self.border_title = "Map"
        self.border_subtitle = "Natural Earth land · positions approximate"

    def compose(self) -> ComposeResult:
        with Vertical(id="map-side"):
            yield PlacesList(self.index, id="map-places")
            yield Static(id="map-info")
        yield MapCanvas(self.index, id="map-canvas")

    def select(self, location_id: str) -> bool:
        return self.query_one(PlacesList).select(location_id)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        location = self.index.locations.get(event.option.id or "")
        if location is None:
            return
        self.query_one(MapCanvas).selected = location.id
        self.query_one("#map-info", Static).update(what_is_here(self.index, location))

    def on_map_canvas_picked(self, message: MapCanvas.Picked) -> None:
        places = self.query_one(PlacesList)
        places.select(message.location_id)
        self.screen.set_focus(places)
