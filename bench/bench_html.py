"""Marker page speed in headless Chromium: ``python -m bench html``.

Writes ``marker.html`` for markers of 100, 300 and 1,000 pieces (the test kit on shelves, as in
``bench export``) and opens each in Debian's headless Chromium through Selenium (``tests/browser.py``),
three times, printing the median of: the page's size, the time from asking the browser for the
page to the marker being drawn, the browser's first contentful paint and load event, the
viewer's own first draw (from navigation start) and a full redraw, and a hover: in the page (the
pointer event to the piece's facts shown) and as the test driver sees it (a WebDriver mouse move
to the facts read back). Aim: a 1,000-piece page opens and answers a hover in under a second.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (100, 300, 1000)
RUNS = 3


def _tests():
    sys.path.insert(0, str(ROOT / "tests"))
    import browser
    import marker_factory

    return browser, marker_factory


def _one(driver, br, url: str, index: int, point: tuple[float, float]) -> dict:
    t0 = time.perf_counter()
    br.open_page(driver, url)
    opened = time.perf_counter() - t0
    nav = driver.execute_script(
        "var n = performance.getEntriesByType('navigation')[0], p = performance.getEntriesByName("
        "'first-contentful-paint')[0], v = window.kitcut.viewers[0];"
        "return {load: n.loadEventEnd, fcp: p ? p.startTime : null, first: v.timings.firstDraw};")
    # a full redraw of every piece at the fitted view
    redraw = driver.execute_script(
        "var v = window.kitcut.viewers[0], t = performance.now(); v.drawBase();"
        "return performance.now() - t;")
    # zoom onto the piece so that the pointer lands on it, then hover it with the mouse
    driver.execute_script(
        "var v = window.kitcut.viewers[0]; v.focusPiece(arguments[0]); v.pinned = -1; v.show();"
        "v.zoom(40, v.cssW / 2, v.cssH / 2);", index)
    br.settle(driver)
    br.mouse_away(driver)
    t0 = time.perf_counter()
    br.hover(driver, 0, *point)
    while br.info_fields(driver).get("piece_index") != str(index):
        if time.perf_counter() - t0 > 5:
            raise RuntimeError("the page did not answer the hover")
    round_trip = time.perf_counter() - t0
    in_page = driver.execute_script("return window.kitcut.viewers[0].timings.hover")
    errors = br.console_errors(driver)
    if errors:
        raise RuntimeError(f"console errors: {errors}")
    return {"open": opened * 1000, "fcp": nav["fcp"], "load": nav["load"], "first": nav["first"],
            "redraw": redraw, "hover": in_page, "trip": round_trip * 1000}


def main() -> int:
    br, mf = _tests()
    reason = br.unavailable()
    if reason:
        print(f"skipped: {reason}")
        return 0
    from shapely.geometry import Polygon
    from shapely.ops import polylabel

    from kitcut.formats.writing.html import write_marker_html

    driver = br.start_chromium((1280, 860))
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            warm = write_marker_html(mf.tiny_marker(), Path(tmp) / "warm.html")
            br.open_page(driver, warm)  # the browser's own start-up is not the page's
            for n in SIZES:
                marker = mf.big_marker(n)
                path = write_marker_html(marker, Path(tmp) / f"m{n}.html")
                index = n // 2
                pl = marker.placements[index]
                p = polylabel(Polygon(marker.placed_outline(pl)), tolerance=0.5)
                runs = [_one(driver, br, path.as_uri(), index, (p.x, p.y)) for _ in range(RUNS)]
                med = {k: statistics.median(r[k] for r in runs if r[k] is not None) for k in runs[0]}
                rows.append((n, path.stat().st_size, med))
    finally:
        br.quit_chromium(driver)
    print(f"Chromium headless, window 1280 x 860, median of {RUNS} opens; times in ms\n")
    head = ("pieces", "size kB", "open", "first paint", "load", "first draw", "redraw", "hover", "hover trip")
    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    for n, size, m in rows:
        print(f"{n:,} | {size / 1024:,.0f} | {m['open']:.0f} | {m['fcp']:.0f} | {m['load']:.0f} | "
              f"{m['first']:.0f} | {m['redraw']:.1f} | {m['hover']:.2f} | {m['trip']:.0f}")
    n, _, m = rows[-1]
    total = m["open"] + m["trip"]
    print(f"\n{n:,} pieces: open + hover answered in {total:.0f} ms (aim < 1,000 ms): "
          f"{'ok' if total < 1000 else 'TOO SLOW'}")
    print("open: driver.get until the marker is drawn; first paint, load, first draw: from navigation "
          "start;\n"
          "redraw: every piece at the fitted view; hover: pointer event to facts shown, in the page;\n"
          "hover trip: WebDriver mouse move until the facts are read back.")
    return 0 if total < 1000 else 1
