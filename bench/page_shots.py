"""The README's screenshots of the pages: ``python -m bench.page_shots [DIR]`` (default ``docs/``).

Not a benchmark (``make bench`` does not run it). Nests the bundled tee (seed 1, 5 s, one worker)
into ``marker.html``; builds a small night batch from the test orders with the real tee pattern
(2 s per marker; three orders fail on purpose); then opens the pages in headless Chromium
(``tests/browser.py``) and saves ``marker-html.png`` (size L searched, a mirrored sleeve under
the pointer), ``kit-html.png`` and ``index-html.png``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ROOT / "docs"
    sys.path.insert(0, str(ROOT / "tests"))
    import browser as br
    from shapely.geometry import Polygon
    from shapely.ops import polylabel

    from kitcut.formats.reading.read import read_pattern
    from kitcut.formats.writing.html import write_marker_html
    from kitcut.kits.batch import BatchOptions, run_batch
    from kitcut.kits.kit import KitOptions
    from kitcut.kits.marker import nest_pattern
    from kitcut.model import Rules

    reason = br.unavailable()
    if reason:
        print(f"no screenshots: {reason}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    tee = ROOT / "samples" / "tee.dxf"
    marker = nest_pattern(read_pattern(tee), Rules(width=1500, spacing=2), time_limit=5, seed=1, workers=1,
                          name="tee")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        page = write_marker_html(marker, tmp / "marker.html")
        orders = tmp / "orders"
        orders.mkdir()
        for f in (ROOT / "tests" / "data" / "orders").glob("*.toml"):
            shutil.copy(f, orders)
        shutil.copy(tee, orders / "tee.dxf")
        kits = tmp / "KITS"
        run_batch(orders, kits, BatchOptions(kit=KitOptions(time_limit=2, seed=1, workers=1,
                                                            formats=("svg", "html")), isolate=False))
        driver = br.start_chromium((1280, 720))
        try:
            br.open_page(driver, page)
            driver.find_element("css selector", ".kv-search").send_keys("L")
            sleeve = next(i for i, p in enumerate(marker.placements)
                          if p.mirrored and marker.pieces[p.piece].name == "Sleeve"
                          and marker.pieces[p.piece].size == "L")
            pt = polylabel(Polygon(marker.placed_outline(marker.placements[sleeve])), tolerance=0.5)
            br.hover(driver, 0, pt.x, pt.y)
            br.settle(driver)
            driver.save_screenshot(str(out / "marker-html.png"))
            driver.set_window_size(1280, 1000)
            br.open_page(driver, kits / "A-1001" / "kit.html")
            driver.save_screenshot(str(out / "kit-html.png"))
            driver.set_window_size(1280, 900)
            br.open_page(driver, kits / "index.html")
            driver.save_screenshot(str(out / "index-html.png"))
            errors = br.console_errors(driver)
        finally:
            br.quit_chromium(driver)
    if errors:
        print(f"console errors: {errors}", file=sys.stderr)
        return 1
    for name in ("marker-html.png", "kit-html.png", "index-html.png"):
        print(out / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
