"""The offline map: the shipped land mask, fitting a view and braille rendering."""

from __future__ import annotations

import math
import struct
import zlib

import pytest
from conftest import PER_EXAMPLE_DEADLINE_MS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.geo import landmask
from briefing.geo.landmask import LandMaskError, is_land, land_mask, parse, sample_grid
from briefing.geo.mapview import (
    BRAILLE_BASE,
    MARKER_CHAR,
    SELECTED_CHAR,
    WORLD,
    Bounds,
    Marker,
    clean_label,
    fit_bounds,
    lon_extent,
    project,
    render_map,
)

# The located places of the bundled Sparta briefing.
SPARTA = [
    Marker(35.0, 38.5, "syria", "Syria"),
    Marker(35.41, 35.95, "hmeimim", "Hmeimim"),
    Marker(34.91, 35.87, "tartus", "Tartus"),
    Marker(39.0, -10.5, "off-portugal", "off Portugal"),
    Marker(39.6, -8.0, "portugal", "Portugal"),
    Marker(27.0, 17.0, "libya", "Libya"),
    Marker(15.5, 30.0, "sudan", "Sudan"),
    Marker(35.0, 18.0, "med", "Mediterranean"),
]


# --- the land mask ---------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "land", "where"),
    [
        (33.51, 36.29, True, "Damascus"),
        (38.72, -9.14, True, "Lisbon"),
        (23.0, 13.0, True, "Sahara (southern Libya)"),
        (35.41, 35.95, True, "Hmeimim air base"),
        (-25.0, 135.0, True, "central Australia"),
        (-85.0, 0.0, True, "Antarctic plateau, near the pole"),
        (-17.8, 178.0, True, "Viti Levu, Fiji, by the antimeridian"),
        (35.0, 18.0, False, "central Mediterranean"),
        (39.0, -10.5, False, "Atlantic off Portugal"),
        (30.0, -40.0, False, "mid-Atlantic"),
        (0.0, -150.0, False, "central Pacific"),
        (42.0, 51.0, False, "Caspian Sea, a hole in the land polygons"),
        (89.9, 0.0, False, "North Pole, sea ice is not land"),
    ],
)
def test_known_points(lat, lon, land, where):
    assert is_land(lat, lon) is land, where


def test_longitude_wraps_and_poles_clamp():
    assert is_land(33.51, 36.29 + 360) and is_land(33.51, 36.29 - 720)
    assert is_land(-90.0, 0.0)  # The last row is Antarctica, not an index error.
    assert not is_land(90.0001, 0.0) and not is_land(-90.0001, 0.0)


def test_sample_grid_agrees_with_is_land():
    lats = [60.0 - 2.5 * i for i in range(40)]
    lons = [-30.0 + 3.1 * j for j in range(50)] + [179.99, -180.0, 200.0]
    grid = sample_grid(lats, lons)
    assert len(grid) == len(lats) and all(len(row) == len(lons) for row in grid)
    for lat, row in zip(lats, grid, strict=True):
        assert row == [int(is_land(lat, lon)) for lon in lons]


def test_sample_grid_beyond_the_poles_is_sea():
    assert sample_grid([95.0, -95.0], [0.0, 10.0]) == [[0, 0], [0, 0]]


def test_shipped_mask_header_and_size():
    mask = land_mask()
    assert mask is land_mask()  # Loaded once.
    assert (mask.width, mask.height) == (360 * mask.cells_per_degree, 180 * mask.cells_per_degree)
    assert mask.cells_per_degree >= 8
    assert landmask.DATA_PATH.stat().st_size < 300_000
    # About 29% of the Earth's surface is land; weighting rows by cos(lat)
    # turns the raster's cell count into an area fraction.
    step = mask.cells_per_degree
    lats = [90.0 - (r + 0.5) / step for r in range(0, mask.height, step)]
    lons = [-180.0 + (c + 0.5) / step for c in range(0, mask.width, step)]
    grid = sample_grid(lats, lons)
    weights = [math.cos(math.radians(lat)) for lat in lats]
    share = sum(w * sum(row) for w, row in zip(weights, grid, strict=True)) / (sum(weights) * len(lons))
    assert 0.27 < share < 0.31


def header(magic=b"LMSK", version=1, cpd=8, width=2880, height=1440):
    return struct.pack("<4sBxHII", magic, version, cpd, width, height)


@pytest.mark.parametrize(
    "data",
    [
        b"LMSK",
        header(magic=b"NOPE") + zlib.compress(bytes(2880 * 1440 // 8)),
        header(version=2) + zlib.compress(bytes(2880 * 1440 // 8)),
        header(width=2000) + zlib.compress(bytes(2000 * 1440 // 8)),
        header() + b"not zlib",
        header() + zlib.compress(bytes(10)),
    ],
)
def test_bad_files_are_refused(data):
    with pytest.raises(LandMaskError):
        parse(data)


def test_parse_round_trip():
    bits = bytearray(2880 * 1440 // 8)
    # One land cell: row 0 (the northernmost), column 0 (from 180°W).
    bits[0] = 0x80
    mask = parse(header() + zlib.compress(bytes(bits)))
    assert mask.is_land(89.99, -179.99)
    assert not mask.is_land(89.99, -179.8)
    assert not mask.is_land(89.8, -179.99)


# --- fitting a view ------------------------------------------------------------


def aspect_error(bounds: Bounds, width: int, height: int) -> float:
    """How far the dots' ground width and height differ, as a ratio (0 = square)."""
    mid = math.radians((bounds.south + bounds.north) / 2)
    dot_across = bounds.lon_span * math.cos(mid) / (2 * width)
    dot_down = bounds.lat_span / (4 * height)
    return abs(dot_across / dot_down - 1)


def test_fit_contains_every_point_with_margin():
    points = [(m.lat, m.lon) for m in SPARTA]
    bounds = fit_bounds(points, 120, 40)
    for lat, lon in points:
        assert bounds.contains(lat, lon)
    assert bounds.south < 15.5 - 1 and bounds.north > 39.6 + 1
    assert bounds.west < -10.5 - 1 and bounds.east > 38.5 + 1
    assert aspect_error(bounds, 120, 40) < 1e-9


def test_single_point_shows_its_surroundings():
    bounds = fit_bounds([(33.51, 36.29)], 80, 24)
    assert bounds.lat_span >= 10 and bounds.lon_span >= 10
    assert bounds.centre == pytest.approx((33.51, 36.29))
    assert aspect_error(bounds, 80, 24) < 1e-9


def test_aspect_follows_the_terminal_shape():
    tall = fit_bounds([(35.0, 35.0)], 20, 40)
    wide = fit_bounds([(35.0, 35.0)], 200, 20)
    assert tall.lat_span > tall.lon_span
    assert wide.lon_span > 2 * wide.lat_span
    for bounds, (w, h) in [(tall, (20, 40)), (wide, (200, 20))]:
        assert aspect_error(bounds, w, h) < 1e-9


def test_high_latitude_boxes_are_wider_in_longitude():
    equator = fit_bounds([(0.0, 20.0)], 80, 40)
    north = fit_bounds([(60.0, 20.0)], 80, 40)
    assert north.lon_span / north.lat_span == pytest.approx(2 * equator.lon_span / equator.lat_span, rel=1e-6)


def test_no_points_shows_the_world():
    assert fit_bounds([], 120, 40) == WORLD


def test_antimeridian_points_get_a_small_box_across_it():
    bounds = fit_bounds([(-17.0, 179.0), (-16.0, -179.0)], 60, 20)
    assert bounds.lon_span < 40
    assert bounds.west < 179 and bounds.east > 181
    assert bounds.contains(-17.0, 179.0) and bounds.contains(-16.0, -179.0)
    assert not bounds.contains(-16.5, 0.0)


def test_lon_extent_takes_the_shorter_way_round():
    assert lon_extent([170.0, -170.0]) == (170.0, 20.0)
    assert lon_extent([-10.0, 10.0]) == (-10.0, 20.0)
    assert lon_extent([5.0]) == (5.0, 0.0)


def test_polar_and_global_points_stay_in_range():
    bounds = fit_bounds([(89.0, 0.0), (-89.0, 90.0), (0.0, -90.0), (0.0, 179.0)], 40, 20)
    assert bounds.south >= -90 and bounds.north <= 90
    assert bounds.lon_span <= 360
    assert fit_bounds([(90.0, 0.0)], 40, 20).north == 90.0


# --- rendering -----------------------------------------------------------------


def test_projection_puts_the_centre_in_the_middle_cell():
    bounds = Bounds(south=30.0, west=30.0, north=40.0, east=40.0)
    assert project(bounds, 21, 11, 35.0, 35.0) == (5, 10)
    assert project(bounds, 21, 11, 39.99, 30.01) == (0, 0)
    # The south-east corner belongs to the last cell, not one past it.
    assert project(bounds, 21, 11, 30.0, 40.0) == (10, 20)
    assert project(bounds, 21, 11, 29.9, 35.0) is None
    image = render_map(bounds, 21, 11, [(35.0, 35.0, "middle")])
    assert image.marker_cells == {"middle": (5, 10)}
    assert image.chars[5][10] == MARKER_CHAR
    assert image.cell(5, 10).style == "marker"


def test_projection_maths_for_each_sparta_marker():
    width, height = 120, 40
    bounds = fit_bounds([(m.lat, m.lon) for m in SPARTA], width, height)
    image = render_map(bounds, width, height, SPARTA)
    for m in SPARTA:
        row = math.floor((bounds.north - m.lat) / bounds.lat_span * height)
        col = math.floor((m.lon - bounds.west) / bounds.lon_span * width)
        assert image.marker_cells[m.id] == (row, col), m.id
        assert m.id in image.markers_at(row, col)
    assert image.outside == ()


def test_map_shows_land_and_sea():
    width, height = 120, 40
    bounds = fit_bounds([(m.lat, m.lon) for m in SPARTA], width, height)
    image = render_map(bounds, width, height, [])
    styles = [style for row in image.styles for style in row]
    assert styles.count("land") > 0.2 * len(styles)
    assert styles.count("sea") > 0.1 * len(styles)
    # Land is braille, sea is blank, so the two differ without colour.
    for row, col, style in [
        (*project(bounds, width, height, 30.0, 40.0), "land"),  # Arabian desert
        (*project(bounds, width, height, 40.0, -3.0), "land"),  # central Spain
        (*project(bounds, width, height, 34.0, 20.0), "sea"),  # Ionian Sea
        (*project(bounds, width, height, 36.0, -15.0), "sea"),  # Atlantic
    ]:
        char, got = image.cell(row, col)
        assert got == style
        if style == "land":
            assert 0x2800 < ord(char) <= 0x28FF
        else:
            assert char == " "


# Unicode numbers braille dots 1-2-3-7 down the left column and 4-5-6-8 down
# the right; dot n is bit n - 1 of the offset from U+2800.
DOT_NUMBER = {(0, 0): 1, (0, 1): 2, (0, 2): 3, (0, 3): 7, (1, 0): 4, (1, 1): 5, (1, 2): 6, (1, 3): 8}


def test_braille_dots_follow_the_mask():
    # The Portuguese coast near Peniche: open sea in the west, the coastline
    # through the middle, land in the east.
    bounds = Bounds(south=39.0, west=-10.0, north=40.0, east=-8.6)
    width, height = 6, 3
    image = render_map(bounds, width, height)
    dot_w, dot_h = bounds.lon_span / (2 * width), bounds.lat_span / (4 * height)
    for row in range(height):
        for col in range(width):
            expected = 0
            for (x, y), number in DOT_NUMBER.items():
                lat = bounds.north - (4 * row + y + 0.5) * dot_h
                lon = bounds.west + (2 * col + x + 0.5) * dot_w
                if is_land(lat, lon):
                    expected |= 1 << (number - 1)
            assert image.chars[row][col] == (chr(BRAILLE_BASE + expected) if expected else " ")
    assert image.chars[0][0] == " "  # Open Atlantic.
    assert image.chars[2][5] == chr(BRAILLE_BASE + 0xFF)  # Inland: all eight dots.
    assert any(0 < ord(ch) - BRAILLE_BASE < 0xFF for line in image.chars for ch in line)  # A coast.


def test_selected_marker_is_drawn_differently():
    bounds = fit_bounds([(m.lat, m.lon) for m in SPARTA], 120, 40)
    image = render_map(bounds, 120, 40, SPARTA, selected="libya")
    row, col = image.marker_cells["libya"]
    assert image.cell(row, col) == (SELECTED_CHAR, "marker-selected")
    other = image.marker_cells["sudan"]
    assert image.cell(*other) == (MARKER_CHAR, "marker")
    label = next(label for label in image.labels if "libya" in label.markers)
    assert {image.styles[label.row][c] for c in range(label.col, label.col + len(label.text))} == {"label-selected"}


def test_markers_in_one_cell_show_their_count():
    bounds = fit_bounds([(m.lat, m.lon) for m in SPARTA], 40, 14)
    image = render_map(bounds, 40, 14, SPARTA, selected="tartus")
    cell = image.marker_cells["tartus"]
    assert image.marker_cells["hmeimim"] == cell
    assert image.markers_at(*cell) == ("hmeimim", "tartus")
    assert image.cell(*cell) == ("2", "marker-selected")
    label = next(label for label in image.labels if "tartus" in label.markers)
    # The selected marker names the shared cell, and a click on its name means it.
    assert label.text.strip() == "Tartus +1"
    assert label.markers == ("tartus", "hmeimim")
    assert image.hit(label.row, label.col + 1) == "tartus"


def test_labels_sit_beside_their_markers_without_overlapping():
    for width, height in [(120, 40), (80, 24), (40, 14), (200, 60)]:
        bounds = fit_bounds([(m.lat, m.lon) for m in SPARTA], width, height)
        image = render_map(bounds, width, height, SPARTA)
        spans = []
        for label in image.labels:
            marker_row, marker_col = image.marker_cells[label.markers[0]]
            assert abs(label.row - marker_row) <= 1
            assert label.col - 1 <= marker_col <= label.col + len(label.text)
            cells = {(label.row, c) for c in range(label.col, label.col + len(label.text))}
            assert not cells & set(image.cell_markers), label
            assert image.chars[label.row][label.col : label.col + len(label.text)] == label.text
            spans.append((label.row, label.col - 1, label.col + len(label.text)))
        for i, (row, start, end) in enumerate(spans):
            for other_row, other_start, other_end in spans[i + 1 :]:
                # At least one clear cell between labels on a row.
                assert row != other_row or end <= other_start + 1 or other_end <= start + 1
        if width >= 120:
            assert len(image.labels) == len(image.cell_markers)


def test_hit_finds_markers_and_their_labels():
    bounds = fit_bounds([(m.lat, m.lon) for m in SPARTA], 120, 40)
    image = render_map(bounds, 120, 40, SPARTA)
    assert image.hit(*image.marker_cells["sudan"]) == "sudan"
    label = next(label for label in image.labels if label.markers == ("sudan",))
    assert image.hit(label.row, label.col + len(label.text) - 1) == "sudan"
    assert image.hit(0, 0) is None


def test_markers_outside_the_bounds_are_reported():
    bounds = Bounds(south=30.0, west=30.0, north=40.0, east=40.0)
    image = render_map(bounds, 40, 20, [(35.0, 35.0, "in"), (0.0, 0.0, "out"), (35.0, -150.0, "far")])
    assert image.outside == ("out", "far")
    assert set(image.marker_cells) == {"in"}


def test_markers_across_the_antimeridian():
    points = [Marker(-17.8, 178.0, "fiji"), Marker(-13.8, -171.8, "samoa")]
    bounds = fit_bounds([(m.lat, m.lon) for m in points], 60, 20)
    image = render_map(bounds, 60, 20, points)
    (_, fiji), (_, samoa) = image.marker_cells["fiji"], image.marker_cells["samoa"]
    assert fiji < samoa  # Samoa is east of Fiji, across 180°.
    assert any(style == "land" for row in image.styles for style in row)


def test_label_cleaning():
    assert clean_label("Tartus\n\tport") == "Tartus port"
    assert clean_label("東京") == "??"
    assert clean_label("e\u0301") == "e?"
    assert clean_label("x" * 40, 10) == "x" * 9 + "…"


@pytest.mark.parametrize(("width", "height"), [(1, 1), (2, 1), (10, 4), (400, 150)])
@pytest.mark.parametrize("markers", [[], SPARTA, SPARTA[:1]])
def test_small_and_large_sizes(width, height, markers):
    bounds = fit_bounds([(m.lat, m.lon) for m in markers], width, height)
    image = render_map(bounds, width, height, markers, selected="syria")
    assert len(image.chars) == len(image.styles) == height
    assert all(len(row) == width for row in image.chars)
    assert all(len(row) == width for row in image.styles)
    for row in range(height):
        assert "".join(text for text, _ in image.runs(row)) == image.chars[row]
    assert image.text().count("\n") == height - 1


def test_size_must_be_positive():
    with pytest.raises(ValueError):
        render_map(WORLD, 0, 10)


def test_bad_bounds_are_refused():
    with pytest.raises(ValueError):
        Bounds(south=10.0, west=0.0, north=10.0, east=5.0)
    with pytest.raises(ValueError):
        Bounds(south=0.0, west=0.0, north=10.0, east=400.0)


# --- properties -------------------------------------------------------------------

lats = st.floats(min_value=-90, max_value=90, allow_nan=False)
lons = st.floats(min_value=-180, max_value=180, allow_nan=False)
marker_lists = st.lists(st.tuples(lats, lons), max_size=12).map(
    lambda points: [Marker(lat, lon, f"m{i}") for i, (lat, lon) in enumerate(points)]
)
widths = st.integers(min_value=10, max_value=300)
heights = st.integers(min_value=4, max_value=100)


@settings(max_examples=40, deadline=PER_EXAMPLE_DEADLINE_MS, suppress_health_check=[HealthCheck.too_slow])
@given(
    markers=marker_lists,
    width=widths,
    height=heights,
    selected=st.sampled_from([None, "m0", "m3"]),
    # Margin 0 puts points on the box's very edge.
    margin=st.sampled_from([0.0, 0.15, 0.5]),
    min_span=st.sampled_from([0.0, 10.0]),
)
def test_fitted_maps_render_every_marker(markers, width, height, selected, margin, min_span):
    bounds = fit_bounds([(m.lat, m.lon) for m in markers], width, height, margin, min_span=min_span)
    image = render_map(bounds, width, height, markers, selected=selected)
    assert image.outside == ()
    assert set(image.marker_cells) == {m.id for m in markers}
    for row, col in image.marker_cells.values():
        assert 0 <= row < height and 0 <= col < width
        assert image.styles[row][col] in ("marker", "marker-selected")
    assert all(len(line) == width for line in image.chars)


@st.composite
def boxes(draw):
    south = draw(st.floats(min_value=-90, max_value=89))
    north = draw(st.floats(min_value=south + 0.5, max_value=90))
    west = draw(st.floats(min_value=-180, max_value=180))
    span = draw(st.floats(min_value=0.5, max_value=360))
    return Bounds(south=south, west=west, north=north, east=west + span)


@settings(max_examples=40, deadline=PER_EXAMPLE_DEADLINE_MS, suppress_health_check=[HealthCheck.too_slow])
@given(bounds=boxes(), markers=marker_lists, width=widths, height=heights)
def test_any_bounds_place_inside_markers_in_range(bounds, markers, width, height):
    image = render_map(bounds, width, height, markers)
    for m in markers:
        if bounds.contains(m.lat, m.lon):
            row, col = image.marker_cells[m.id]
            assert 0 <= row < height and 0 <= col < width
        else:
            assert m.id in image.outside
