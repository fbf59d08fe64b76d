"""A terminal map drawn with braille dots: pure layout, no UI.

``fit_bounds`` picks the latitude/longitude box to show, ``render_map`` turns
it into a ``MapImage``: a grid of cells, each a character and a style tag that
a UI maps to colours. Land is drawn with braille dots (each cell is 2 × 4 dots,
U+2800 block) and sea is left blank, so coastlines read even without colour.

The projection is equirectangular: the box is stretched linearly onto the
cells. ``fit_bounds`` shapes the box so that one dot covers the same distance
on the ground across and down (a longitude degree is cos(latitude) of a
latitude degree, and a terminal cell is about twice as tall as it is wide), so
coastlines keep their shape.

Longitudes of a box run from ``west`` eastward to ``east``; ``east`` may pass
180 when the box crosses the antimeridian (a box over Fiji runs 170 to 190),
and points are placed by wrapping their longitude into the box.
"""

from __future__ import annotations

import functools
import itertools
import math
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from briefing.geo.landmask import sample_grid

Style = Literal["sea", "land", "marker", "marker-selected", "label", "label-selected"]

BRAILLE_BASE = 0x2800
# Braille dot bits by dot row within a cell, for the left and right columns
# (dots 1-2-3-7 and 4-5-6-8 in Unicode's numbering).
LEFT_DOTS = (0x01, 0x02, 0x04, 0x40)
RIGHT_DOTS = (0x08, 0x10, 0x20, 0x80)

SEA_CHAR = " "
MARKER_CHAR = "●"
SELECTED_CHAR = "◉"
# Several markers in one cell show their count; more than nine show this.
MANY_CHAR = "+"

# Terminal cells are about twice as tall as wide; with 2 × 4 dots per cell
# that makes braille dots square.
CELL_ASPECT = 2.0
DEFAULT_MARGIN = 0.15
MIN_SPAN_DEG = 10.0
MAX_LABEL = 24
# Degrees (about 0.1 mm) added around a fitted box; see fit_bounds.
EDGE_PAD = 1e-9


class Marker(NamedTuple):
    """A point to show. A plain ``(lat, lon, id)`` tuple works too; ids should be unique."""

    lat: float
    lon: float
    id: str
    # Shown beside the marker; the id when None.
    label: str | None = None


MarkerLike = Marker | tuple[float, float, str] | tuple[float, float, str, str | None]


@dataclass(frozen=True, slots=True)
class Bounds:
    """A latitude/longitude box in degrees; ``east`` may exceed 180 (see the module doc)."""

    south: float
    west: float
    north: float
    east: float

    def __post_init__(self) -> None:
        if not -90.0 <= self.south < self.north <= 90.0:
            raise ValueError(f"need -90 <= south < north <= 90, got {self.south}, {self.north}")
        # The tolerance lets west + 360 - west round a hair over a full turn.
        if not 0.0 < self.east - self.west <= 360.0 + 1e-9:
            raise ValueError(f"need 0 < east - west <= 360, got {self.west}, {self.east}")

    @property
    def lat_span(self) -> float:
        return self.north - self.south

    @property
    def lon_span(self) -> float:
        return self.east - self.west

    @property
    def centre(self) -> tuple[float, float]:
        """(lat, lon) of the middle of the box, longitude in [-180, 180)."""
        return (self.south + self.north) / 2, normalise_lon((self.west + self.east) / 2)

    def unwrap(self, lon: float) -> float:
        """``lon`` moved by whole turns into [west, west + 360)."""
        turned = (lon - self.west) % 360.0
        # Float modulo can round a tiny negative remainder up to a full turn.
        return self.west + (0.0 if turned >= 360.0 else turned)

    def contains(self, lat: float, lon: float) -> bool:
        """Whether the point is in the box, edges included."""
        return self.south <= lat <= self.north and self.unwrap(lon) <= self.east


WORLD = Bounds(south=-58.0, west=-180.0, north=84.0, east=180.0)
"""Shown when there is nothing to fit: every continent but Antarctica."""


def normalise_lon(lon: float) -> float:
    """``lon`` in [-180, 180)."""
    return (lon + 180.0) % 360.0 - 180.0


def lon_extent(lons: Sequence[float]) -> tuple[float, float]:
    """(west, span) of the shortest eastward arc holding every longitude.

    The arc leaves out the widest gap between neighbouring longitudes around
    the globe, so points on both sides of the antimeridian get a box across it
    rather than one across the whole world.
    """
    ordered = sorted(normalise_lon(lon) for lon in lons)
    # Start with the gap across the antimeridian, so ties keep a box that does
    # not cross it.
    west, widest = ordered[0], ordered[0] + 360.0 - ordered[-1]
    for before, after in itertools.pairwise(ordered):
        if after - before > widest:
            west, widest = after, after - before
    return west, 360.0 - widest


def fit_bounds(
    points: Sequence[tuple[float, float]],
    width_cells: int,
    height_cells: int,
    margin: float = DEFAULT_MARGIN,
    *,
    min_span: float = MIN_SPAN_DEG,
    cell_aspect: float = CELL_ASPECT,
) -> Bounds:
    """The box to show ``points`` (lat, lon) on a ``width_cells`` × ``height_cells`` map.

    The points' extent grows by ``margin`` (a fraction of the extent) on each
    side and to at least ``min_span`` degrees each way, so a single point still
    shows its surroundings; then the shorter side grows until shapes look
    right (see the module doc). ``cell_aspect`` is a cell's height over its
    width. No points gives ``WORLD``. Latitude stops at the poles and
    longitude at one full turn, where shapes stretch instead.
    """
    if not points:
        return WORLD
    lats = [max(-90.0, min(90.0, lat)) for lat, _ in points]
    west, lon_span = lon_extent([lon for _, lon in points])
    south, north = min(lats), max(lats)
    mid_lat, mid_lon = (south + north) / 2, west + lon_span / 2

    # A zero span would make an empty box.
    min_span = max(min_span, 1e-6)
    lat_span = max((north - south) * (1 + 2 * margin), min_span)
    lon_span = max(lon_span * (1 + 2 * margin), min_span)
    # Degrees of latitude per degree of longitude that give square dots on the ground.
    ratio = max(math.cos(math.radians(mid_lat)), 1e-6) * max(height_cells, 1) * cell_aspect / max(width_cells, 1)
    if lat_span < lon_span * ratio:
        lat_span = lon_span * ratio
    else:
        lon_span = lat_span / ratio

    # The pad keeps float rounding in the centring below from leaving a point
    # that sits on an edge (margin 0) just outside.
    lat_span = min(lat_span + 2 * EDGE_PAD, 180.0)
    lon_span = min(lon_span + 2 * EDGE_PAD, 360.0)
    # Keep the box's span but slide it back inside the poles.
    south = min(max(mid_lat - lat_span / 2, -90.0), 90.0 - lat_span)
    west = normalise_lon(mid_lon - lon_span / 2)
    # min(): (90 - span) + span can round past the pole.
    return Bounds(south=south, west=west, north=min(south + lat_span, 90.0), east=west + lon_span)


class Cell(NamedTuple):
    char: str
    style: Style


class PlacedLabel(NamedTuple):
    """A label on the map: ``text`` fills cells ``col`` to ``col + len(text) - 1`` of ``row``.

    ``text`` is as drawn, with the space that separates it from its marker
    when it sits beside it.
    """

    row: int
    col: int
    text: str
    # The markers in the cell the label belongs to, the one it names first.
    markers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MapImage:
    """A rendered map: ``height`` rows of ``width`` cells.

    ``chars[row]`` is the row's text, exactly ``width`` characters, one per
    cell; ``styles[row][col]`` says what each cell shows.
    """

    bounds: Bounds
    width: int
    height: int
    chars: tuple[str, ...]
    styles: tuple[tuple[Style, ...], ...]
    # Marker id -> (row, col) of the cell it is drawn in.
    marker_cells: Mapping[str, tuple[int, int]]
    # (row, col) -> ids of the markers drawn there, in the order given.
    cell_markers: Mapping[tuple[int, int], tuple[str, ...]]
    labels: tuple[PlacedLabel, ...]
    # Ids of markers outside the bounds, which are not drawn.
    outside: tuple[str, ...]

    def cell(self, row: int, col: int) -> Cell:
        return Cell(self.chars[row][col], self.styles[row][col])

    def markers_at(self, row: int, col: int) -> tuple[str, ...]:
        """Ids of the markers drawn in the cell; empty for none."""
        return self.cell_markers.get((row, col), ())

    def hit(self, row: int, col: int) -> str | None:
        """The marker a click on the cell means: the first drawn there, or the one a label there names."""
        here = self.markers_at(row, col)
        if here:
            return here[0]
        for label in self.labels:
            if label.row == row and label.col <= col < label.col + len(label.text):
                return label.markers[0]
        return None

    def runs(self, row: int) -> list[tuple[str, Style]]:
        """The row as (text, style) runs of equal style, for building styled text cheaply."""
        text, styles = self.chars[row], self.styles[row]
        out: list[tuple[str, Style]] = []
        start = 0
        for col in range(1, self.width + 1):
            if col == self.width or styles[col] != styles[start]:
                out.append((text[start:col], styles[start]))
                start = col
        return out

    def text(self) -> str:
        """The map as plain text, rows joined by newlines."""
        return "\n".join(self.chars)


def project(bounds: Bounds, width: int, height: int, lat: float, lon: float) -> tuple[int, int] | None:
    """(row, col) of the cell showing (lat, lon), or None outside the bounds."""
    if not bounds.contains(lat, lon):
        return None
    x = (bounds.unwrap(lon) - bounds.west) / bounds.lon_span * width
    y = (bounds.north - lat) / bounds.lat_span * height
    # Points on the east or south edge belong to the last cell, not one past it.
    return min(int(y), height - 1), min(int(x), width - 1)


def land_cells(bounds: Bounds, width: int, height: int) -> list[list[int]]:
    """Braille dot bits (0 for none) of every cell, from the land mask sampled at dot centres."""
    dot_w, dot_h = bounds.lon_span / (2 * width), bounds.lat_span / (4 * height)
    lons = [bounds.west + (i + 0.5) * dot_w for i in range(2 * width)]
    lats = [bounds.north - (j + 0.5) * dot_h for j in range(4 * height)]
    dots = sample_grid(lats, lons)
    cells: list[list[int]] = []
    for row in range(height):
        codes = [0] * width
        for sub in range(4):
            line = dots[4 * row + sub]
            left, right = LEFT_DOTS[sub], RIGHT_DOTS[sub]
            codes = [
                code + (left if a else 0) + (right if b else 0)
                for code, a, b in zip(codes, line[0::2], line[1::2], strict=True)
            ]
        cells.append(codes)
    return cells


@functools.lru_cache(maxsize=16)
def land_layer(bounds: Bounds, width: int, height: int) -> tuple[tuple[str, ...], tuple[tuple[Style, ...], ...]]:
    """Characters and styles of the land and sea alone, one row each.

    Cached: moving the selection or changing markers redraws the same land,
    and that is nearly all of the cost of a render.
    """
    chars: list[str] = []
    styles: list[tuple[Style, ...]] = []
    for codes in land_cells(bounds, width, height):
        chars.append("".join([chr(BRAILLE_BASE + code) if code else SEA_CHAR for code in codes]))
        styles.append(tuple(["land" if code else "sea" for code in codes]))
    return tuple(chars), tuple(styles)


def clean_label(text: str, limit: int = MAX_LABEL) -> str:
    """``text`` on one line with one cell per character, cut to ``limit`` with an ellipsis.

    Wide, combining and control characters would break the one character =
    one cell layout, so they become "?" (line breaks and tabs become spaces).
    """
    chars = []
    for ch in " ".join(text.split()):
        single = (
            unicodedata.east_asian_width(ch) not in "WF"
            and not unicodedata.combining(ch)
            and unicodedata.category(ch)[0] != "C"
        )
        chars.append(ch if single else "?")
    out = "".join(chars)
    return out if len(out) <= limit else out[: max(limit - 1, 0)] + "…"


def label_spots(row: int, col: int, text: str) -> Iterator[tuple[int, int, str]]:
    """Where a label may go, best first, as (row, col, text as drawn).

    Right of the marker, then left, then above or below it. Beside the marker
    a space keeps the name apart from the glyph, which matters when the
    glyph is a count ("Tartus 2", not "Tartus2").
    """
    yield row, col + 1, " " + text
    yield row, col - len(text) - 1, text + " "
    for beside in (row - 1, row + 1):
        yield beside, col, text
        yield beside, col - len(text) + 1, text


def place_labels(
    groups: Iterable[tuple[tuple[int, int], str, tuple[str, ...]]],
    width: int,
    height: int,
    blocked: set[tuple[int, int]],
) -> list[PlacedLabel]:
    """Put each group's label in the first spot that fits, in the order given.

    A label covers no marker and keeps one clear cell from other labels and
    other markers on its row, so neighbouring names never run together and
    each name is read with its own marker. Labels that fit nowhere are left
    out.
    """
    taken: set[tuple[int, int]] = set()
    placed: list[PlacedLabel] = []
    for (row, col), text, ids in groups:
        if not text:
            continue
        for r, c, drawn in label_spots(row, col, text):
            end = c + len(drawn)
            if not (0 <= r < height and c >= 0 and end <= width):
                continue
            span = [(r, x) for x in range(c, end)]
            # Nor may it touch another marker, or it reads as that one's name.
            if any((r, x) in blocked and (r, x) != (row, col) for x in range(c - 1, end + 1)):
                continue
            if any((r, x) in taken for x in range(c - 1, end + 1)):
                continue
            taken.update(span)
            placed.append(PlacedLabel(r, c, drawn, ids))
            break
    return placed


def marker_glyph(count: int, selected: bool) -> str:
    if count > 1:
        return str(count) if count <= 9 else MANY_CHAR
    return SELECTED_CHAR if selected else MARKER_CHAR


def render_map(
    bounds: Bounds,
    width_cells: int,
    height_cells: int,
    markers: Iterable[MarkerLike] = (),
    *,
    selected: str | None = None,
    labels: bool = True,
    label_limit: int = MAX_LABEL,
) -> MapImage:
    """Draw land, markers and their labels inside ``bounds`` on a ``width_cells`` × ``height_cells`` grid.

    Markers share a cell when they project to the same one; the cell then
    shows their count. The ``selected`` marker (by id) is drawn with its own
    glyph and style and gets the first pick of label spots.
    """
    width, height = width_cells, height_cells
    if width < 1 or height < 1:
        raise ValueError(f"map size must be at least 1x1, got {width}x{height}")

    land_chars, land_styles = land_layer(bounds, width, height)
    rows = [list(line) for line in land_chars]
    styles = [list(line) for line in land_styles]

    by_cell: dict[tuple[int, int], list[Marker]] = {}
    outside: list[str] = []
    for item in markers:
        marker = Marker(*item)
        cell = project(bounds, width, height, marker.lat, marker.lon)
        if cell is None:
            outside.append(marker.id)
        else:
            by_cell.setdefault(cell, []).append(marker)

    groups: list[tuple[tuple[int, int], str, tuple[str, ...]]] = []
    for (row, col), members in by_cell.items():
        is_selected = any(m.id == selected for m in members)
        rows[row][col] = marker_glyph(len(members), is_selected)
        styles[row][col] = "marker-selected" if is_selected else "marker"
        # The selected marker names the cell it shares.
        named = next((m for m in members if m.id == selected), members[0])
        suffix = f" +{len(members) - 1}" if len(members) > 1 else ""
        text = clean_label(named.label or named.id, max(label_limit - len(suffix), 1)) + suffix
        others = tuple(m.id for m in members if m is not named)
        groups.append(((row, col), text, (named.id, *others)))

    placed: list[PlacedLabel] = []
    if labels:
        # Sorting is stable: the selected marker first, the rest as given.
        groups.sort(key=lambda group: selected not in group[2])
        placed = place_labels(groups, width, height, set(by_cell))
        for label in placed:
            style: Style = "label-selected" if selected in label.markers else "label"
            for offset, ch in enumerate(label.text):
                rows[label.row][label.col + offset] = ch
                styles[label.row][label.col + offset] = style

    return MapImage(
        bounds=bounds,
        width=width,
        height=height,
        chars=tuple("".join(row) for row in rows),
        styles=tuple(tuple(row) for row in styles),
        marker_cells={m.id: cell for cell, members in by_cell.items() for m in members},
        cell_markers={cell: tuple(m.id for m in members) for cell, members in by_cell.items()},
        labels=tuple(placed),
        outside=tuple(outside),
    )
