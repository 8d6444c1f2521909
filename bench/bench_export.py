"""Export speed and cut-order quality: ``python -m bench export``.

Writes every format for a 300-piece marker (the test kit laid on shelves, placements shuffled)
into a temporary folder and prints the time per format (aim: all formats < 5 s), then the air
moves (tool-up travel) of the cut plan ordered (tool groups, nearest neighbour + 2-opt) vs the
placement order, for the shuffled marker and for one in shelf (nesting-like) order.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _factory():
    sys.path.insert(0, str(ROOT / "tests"))
    import marker_factory

    return marker_factory


def main() -> int:
    from kitcut.formats.layout.page import build_sheet
    from kitcut.formats.writing import cutorder
    from kitcut.formats.writing.cutorder import plan_cuts
    from kitcut.formats.writing.devices import get_device
    from kitcut.formats.writing.export import DEFAULT_FORMATS, FORMATS, write_file
    from kitcut.model import Marker

    mf = _factory()
    marker = mf.big_marker(300)
    print(
        f"marker: {len(marker.placements)} pieces, length {marker.length:,.0f} mm, "
        f"width {marker.width:,.0f} mm, efficiency {100 * marker.efficiency:.1f} %\n"
    )
    print(f"{'format':<14} {'time s':>8} {'size kB':>9}")
    total = 0.0
    default = 0.0
    # the bundled G-code table takes 1300 mm; this marker is 1500 mm wide
    wide_cnc = dataclasses.replace(get_device("cnc-knife"), media_width=marker.width)
    with tempfile.TemporaryDirectory() as tmp:
        write_file(mf.tiny_marker(), Path(tmp) / "warm.svg")  # imports and shapely warm-up
        for name in FORMATS:
            t0 = time.perf_counter()
            dev = wide_cnc if name == "gcode" else None
            p = write_file(marker, Path(tmp) / f"marker.{name}", name, device=dev)
            dt = time.perf_counter() - t0
            total += dt
            default += dt if name in DEFAULT_FORMATS else 0.0
            print(f"{name:<14} {dt:8.3f} {p.stat().st_size / 1024:9.1f}")
    print(f"{'default set':<14} {default:8.3f}   ({', '.join(DEFAULT_FORMATS)})")
    print(f"{'all formats':<14} {total:8.3f}   (aim < 5 s; the tiled PDFs hold 1,530 A4 / 688 A3 pages)\n")
    shelf = Marker(
        marker.pieces,
        marker.rules,
        tuple(sorted(marker.placements, key=lambda p: p.translation)),
        marker.length,
        name="shelf order",
    )
    print(
        f"{'marker order':<18} {'device':<16} {'air unordered m':>16} {'air ordered m':>14} "
        f"{'ratio':>6} {'plan s':>7}"
    )
    for label, m in (("shuffled", marker), ("shelf (x, y)", shelf)):
        sheet = build_sheet(m)
        for dev in ("hpgl-cutter", "gerber", "gerber-conveyor"):
            cutorder._cached_plan.cache_clear()  # time the planning, not the cache
            t0 = time.perf_counter()
            plan = plan_cuts(sheet, get_device(dev))
            dt = time.perf_counter() - t0
            print(
                f"{label:<18} {dev:<16} {plan.air_unordered_mm / 1000:16.1f} {plan.air_mm / 1000:14.1f} "
                f"{plan.air_mm / plan.air_unordered_mm:6.2f} {dt:7.3f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
