"""The global land mask: is a point on land or at sea?

``land.bin`` (made by ``scripts/build_landmask.py``, see ``LAND_DATA.md``) is an
equirectangular raster of the whole globe, one bit per cell, rows from north
to south and columns from 180°W eastward, bit-packed and zlib-compressed. It is
read once, on first use, and kept decompressed (about 3 MB) for fast lookups.
"""

from __future__ import annotations

import functools
import math
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Must match scripts/build_landmask.py.
MAGIC = b"LMSK"
VERSION = 1
HEADER = struct.Struct("<4sBxHII")

DATA_PATH = Path(__file__).with_name("land.bin")


class LandMaskError(ValueError):
    """The land mask file is missing its header or does not match it."""


@dataclass(frozen=True, slots=True)
class LandMask:
    """A global land raster at ``1 / cells_per_degree`` degrees per cell."""

    cells_per_degree: int
    width: int
    height: int
    # Bit-packed rows, most significant bit first; each row is width / 8 bytes.
    bits: bytes

    def row(self, lat: float) -> int | None:
        """The raster row holding ``lat``, or None beyond the poles."""
        if not -90.0 <= lat <= 90.0:
            return None
        # lat == -90 would fall one past the last row.
        return min(int((90.0 - lat) * self.cells_per_degree), self.height - 1)

    def column(self, lon: float) -> int:
        """The raster column holding ``lon``; any longitude wraps around."""
        return math.floor((lon + 180.0) * self.cells_per_degree) % self.width

    def is_land(self, lat: float, lon: float) -> bool:
        row = self.row(lat)
        if row is None:
            return False
        index = row * self.width + self.column(lon)
        return bool(self.bits[index >> 3] & (0x80 >> (index & 7)))

    def sample(self, lats: Sequence[float], lons: Sequence[float]) -> list[list[int]]:
        """Land (1) or sea (0) at every (lat, lon) of a grid: one list per latitude.

        The column offsets are worked out once for the whole grid, so each
        point costs one byte lookup; this is what keeps map rendering fast.
        """
        row_bytes = self.width // 8
        columns = [self.column(lon) for lon in lons]
        offsets = [col >> 3 for col in columns]
        masks = [0x80 >> (col & 7) for col in columns]
        pairs = list(zip(offsets, masks, strict=True))
        bits = self.bits
        sea = [0] * len(columns)
        # Zoomed-in maps sample the same raster row for several latitudes.
        cache: dict[int, list[int]] = {}
        grid: list[list[int]] = []
        for lat in lats:
            row = self.row(lat)
            if row is None:
                grid.append(sea)
                continue
            values = cache.get(row)
            if values is None:
                base = row * row_bytes
                values = [1 if bits[base + offset] & mask else 0 for offset, mask in pairs]
                cache[row] = values
            grid.append(values)
        return grid


def parse(data: bytes) -> LandMask:
    """Decode the contents of a land mask file."""
    if len(data) < HEADER.size:
        raise LandMaskError("land mask file is too short for its header")
    magic, version, cells_per_degree, width, height = HEADER.unpack_from(data)
    if magic != MAGIC or version != VERSION:
        raise LandMaskError(f"not a version {VERSION} land mask (magic {magic!r}, version {version})")
    if cells_per_degree < 1 or width != 360 * cells_per_degree or height != 180 * cells_per_degree or width % 8:
        raise LandMaskError(f"inconsistent land mask size {width}x{height} at {cells_per_degree} cells per degree")
    try:
        bits = zlib.decompress(data[HEADER.size :])
    except zlib.error as error:
        raise LandMaskError(f"corrupt land mask data: {error}") from error
    if len(bits) != width * height // 8:
        raise LandMaskError(f"land mask has {len(bits)} bytes, expected {width * height // 8}")
    return LandMask(cells_per_degree, width, height, bits)


@functools.cache
def land_mask() -> LandMask:
    """The shipped land mask, loaded on first call and cached."""
    # A plain path rather than importlib.resources: that import alone costs more
    # than reading the file, and the package is always installed unpacked.
    return parse(DATA_PATH.read_bytes())


def is_land(lat: float, lon: float) -> bool:
    """Whether (lat, lon) in degrees is on land; beyond ±90° latitude is never land."""
    return land_mask().is_land(lat, lon)


def sample_grid(lats: Sequence[float], lons: Sequence[float]) -> list[list[int]]:
    """Land (1) or sea (0) for every latitude × longitude: ``grid[i][j]`` is at ``(lats[i], lons[j])``."""
    return land_mask().sample(lats, lons)
