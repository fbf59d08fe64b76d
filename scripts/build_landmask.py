"""Build ``briefing/geo/land.bin``, the global land mask, from Natural Earth TopoJSON.

Usage::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_landmask.py package/land-50m.json

The output is a raster of the whole globe in equirectangular cells, one bit per
cell (1 = land), rows north to south, columns west to east from 180°W, each row
bit-packed most significant bit first and the whole grid zlib-compressed. A
cell is land when its centre is inside a land polygon (even-odd rule, so the
holes Natural Earth cuts for the Caspian Sea and the like stay sea).

Standard library only: this runs by hand when the data is updated, never at
install or run time. ``briefing/geo/LAND_DATA.md`` records how the shipped file
was made; ``briefing/geo/landmask.py`` reads it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import struct
import sys
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

# The file layout, shared with briefing/geo/landmask.py (which cannot import
# this script): magic, format version, cells per degree, width, height, then
# the zlib stream of height * width / 8 bytes.
MAGIC = b"LMSK"
VERSION = 1
HEADER = struct.Struct("<4sBxHII")

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "briefing" / "geo" / "land.bin"

Point = tuple[float, float]
Ring = list[Point]


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute (lon, lat) points of every arc, undoing quantisation and delta coding."""
    transform = topology.get("transform")
    if transform is None:
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in topology["arcs"]]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(arc_indexes: Sequence[int], arcs: Sequence[list[Point]]) -> Ring:
    """Join a ring's arcs; a negative index ``~i`` means arc ``i`` reversed."""
    ring: Ring = []
    for index in arc_indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point.
        ring.extend(points[1:] if ring else points)
    return ring


def polygon_rings(geometry: dict, arcs: Sequence[list[Point]]) -> Iterable[Ring]:
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        for child in geometry["geometries"]:
            yield from polygon_rings(child, arcs)
    elif kind == "Polygon":
        for ring in geometry["arcs"]:
            yield ring_points(ring, arcs)
    elif kind == "MultiPolygon":
        for polygon in geometry["arcs"]:
            for ring in polygon:
                yield ring_points(ring, arcs)


def unwrap(ring: Ring) -> Ring:
    """The ring with continuous longitudes.

    world-atlas keeps rings whole across the antimeridian (a step from 179.9°
    to -180° is a short eastward edge on the sphere), which a planar fill would
    read as an edge across the whole map.
    """
    out = [ring[0]]
    offset = 0.0
    for (x0, _), (x1, y1) in itertools.pairwise(ring):
        if x1 - x0 > 180.0:
            offset -= 360.0
        elif x1 - x0 < -180.0:
            offset += 360.0
        out.append((x1 + offset, y1))
    return out


def close_around_pole(ring: Ring) -> Ring:
    """Close a ring that circles a pole (Antarctica) along that pole.

    After unwrapping, such a ring ends 360° from where it starts; going down
    to the pole and back makes it a planar polygon whose inside is the land.
    """
    (x_start, _), (x_end, _) = ring[0], ring[-1]
    if abs(x_end - x_start) < 180.0:
        return ring
    pole = -90.0 if sum(y for _, y in ring) < 0 else 90.0
    return [*ring, (x_end, pole), (x_start, pole)]


def planar_rings(rings: Iterable[Ring]) -> Iterable[Ring]:
    """Each ring as planar polygons that together cover longitudes -180..180.

    A ring reaching past ±180 after unwrapping is repeated 360° over so its
    far part lands on the other side of the map; parts outside the map are
    clipped by the fill.
    """
    for ring in rings:
        if not ring:
            continue
        planar = close_around_pole(unwrap(ring))
        xs = [x for x, _ in planar]
        west, east = min(xs), max(xs)
        for shift in (-720.0, -360.0, 0.0, 360.0, 720.0):
            if west + shift < 180.0 and east + shift > -180.0:
                yield [(x + shift, y) for x, y in planar] if shift else planar


def row_crossings(rings: Iterable[Ring], cells_per_degree: int, height: int) -> list[list[float]]:
    """For each row, the longitudes where ring edges cross the row's centre line.

    Each edge is visited once and only for the rows it spans, which keeps the
    pure-Python build to seconds instead of testing every edge on every row.
    """
    crossings: list[list[float]] = [[] for _ in range(height)]
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            if y0 == y1:
                continue
            # Row r's centre line is at latitude 90 - (r + 0.5) / cpd. Half-open
            # [low, high) spans count a shared vertex once, not twice.
            low, high = (y0, y1) if y0 < y1 else (y1, y0)
            first = max(0, math.ceil((90.0 - high) * cells_per_degree - 0.5))
            last = min(height - 1, math.floor((90.0 - low) * cells_per_degree - 0.5))
            slope = (x1 - x0) / (y1 - y0)
            for row in range(first, last + 1):
                lat = 90.0 - (row + 0.5) / cells_per_degree
                if low <= lat < high:
                    crossings[row].append(x0 + (lat - y0) * slope)
    return crossings


def fill_row(xs: list[float], cells_per_degree: int, width: int) -> int:
    """The row as an integer bitmask (column 0 is the top bit), filled even-odd."""
    xs.sort()
    bits = 0
    for start, end in zip(xs[0::2], xs[1::2], strict=False):
        # Column c's centre is at longitude -180 + (c + 0.5) / cpd.
        first = max(0, math.ceil((start + 180.0) * cells_per_degree - 0.5))
        stop = min(width, math.ceil((end + 180.0) * cells_per_degree - 0.5))
        if stop > first:
            bits |= ((1 << (stop - first)) - 1) << (width - stop)
    return bits


def rasterise(topology: dict, cells_per_degree: int) -> bytes:
    width, height = 360 * cells_per_degree, 180 * cells_per_degree
    arcs = decode_arcs(topology)
    rings = list(polygon_rings(topology["objects"]["land"], arcs))
    rows = row_crossings(planar_rings(rings), cells_per_degree, height)
    return b"".join(fill_row(xs, cells_per_degree, width).to_bytes(width // 8, "big") for xs in rows)


def encode(grid: bytes, cells_per_degree: int) -> bytes:
    width, height = 360 * cells_per_degree, 180 * cells_per_degree
    header = HEADER.pack(MAGIC, VERSION, cells_per_degree, width, height)
    return header + zlib.compress(grid, 9)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("topojson", type=Path, help="world-atlas land-50m.json (or another land TopoJSON)")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help=f"default: {DEFAULT_OUT}")
    parser.add_argument(
        "--cells-per-degree",
        type=int,
        default=16,
        help="raster resolution; 16 gives 1/16° cells (about 7 km at the equator)",
    )
    args = parser.parse_args(argv)
    if args.cells_per_degree < 1 or (360 * args.cells_per_degree) % 8:
        parser.error("--cells-per-degree must make each row a whole number of bytes (360 * cpd divisible by 8)")

    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    grid = rasterise(topology, args.cells_per_degree)
    data = encode(grid, args.cells_per_degree)
    args.output.write_bytes(data)
    land = sum(bin(byte).count("1") for byte in grid)
    print(
        f"{args.output}: {len(data):,} bytes, {360 * args.cells_per_degree}x{180 * args.cells_per_degree} cells, "
        f"{land / (len(grid) * 8):.1%} land",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
