"""The offline map's two costs, in process, against floors of the same work.

These were wall-clock limits inside the test suite (a load "under 0.1 s", a
render "under 0.1 s"); as ratios here they say how far each is from the least
it could cost:

* loading the land mask (``landmask.parse``) against ``zlib.decompress`` of
  the same bytes, which it must do;
* drawing the map pane at 120x40 with the Sparta briefing's places
  (``render_map``, bounds shifted each run so no cache answers) against
  building a Rich ``Text`` of the same 40 lines of 120 braille cells.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable

from benchmarks.common import alternate

WIDTH, HEIGHT = 120, 40


def _timed(work: Callable[[], object]) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        work()
        return time.perf_counter() - start

    return run


def land_mask_load(runs: int) -> dict[str, list[float]]:
    from briefing.geo import landmask

    data = landmask.DATA_PATH.read_bytes()
    return alternate(
        runs,
        {
            "floor": _timed(lambda: zlib.decompress(data[landmask.HEADER.size :])),
            "product": _timed(lambda: landmask.parse(data)),
        },
    )


def map_render(runs: int) -> dict[str, list[float]]:
    from rich.text import Text

    from briefing.geo.landmask import land_mask
    from briefing.geo.mapview import fit_bounds, render_map
    from briefing.storage.briefing_files import load_briefing
    from briefing.storage.paths import default_briefing_path

    briefing = load_briefing(default_briefing_path()).briefing
    assert briefing is not None
    places = [(p.id, p.position) for p in briefing.locations if p.position is not None]
    markers = [(pos.lat, pos.lon, pid, pid) for pid, pos in places]
    land_mask()
    shift = iter(range(10_000))
    line = "⣿" * WIDTH

    def product() -> None:
        offset = next(shift) * 0.01
        bounds = fit_bounds([(lat, lon + offset) for lat, lon, _, _ in markers], WIDTH, HEIGHT)
        render_map(bounds, WIDTH, HEIGHT, markers, selected=markers[0][2])

    def floor() -> None:
        for _ in range(HEIGHT):
            Text(line, style="green")

    return alternate(runs, {"floor": _timed(floor), "product": _timed(product)})
