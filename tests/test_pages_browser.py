"""The pages in a real browser (headless Chromium through Selenium, see ``browser.py``):
``marker.html``, ``kit.html`` and ``KITS/index.html`` render without console errors or network,
hovering and tapping a piece shows its facts, search highlights, layers hide, the drawing has
the marker's proportions, the ruler measures millimetres."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from browser import (
    client_point,
    colour_pixels,
    console_errors,
    hover,
    info_fields,
    mouse_away,
    open_page,
    settle,
    tap,
    viewer_png,
)
from marker_factory import big_marker, small_marker
from shapely.geometry import Polygon
from shapely.ops import polylabel
from test_kits_fakes import FAKE_NESTER, FAKE_READER

from kitcut.formats.writing.html import write_marker_html
from kitcut.kits.batch import BatchOptions, run_batch
from kitcut.kits.kit import KitOptions

BG = (217, 222, 229)  # the viewer's background (viewer.js BG)
HIGHLIGHT = (209, 15, 91)  # search matches
GRAIN = (26, 79, 156)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    d = tmp_path_factory.mktemp("pages")
    small, big = small_marker(), big_marker(60)
    return {"small": (small, write_marker_html(small, d / "small.html")),
            "big": (big, write_marker_html(big, d / "big.html"))}


@pytest.fixture()
def page(browser):
    """Clean state for each test: a desktop window, no old console messages."""
    browser.set_window_size(1280, 860)
    yield browser
    console_errors(browser)


def inner_point(marker, i: int) -> tuple[float, float]:
    """A point well inside placement ``i`` (the pole of inaccessibility of the placed piece)."""
    piece = marker.pieces[marker.placements[i].piece]
    pl = marker.placements[i]
    poly = Polygon(marker.placed_outline(pl), [pl.apply(c) for c in piece.cutouts])
    p = polylabel(poly, tolerance=0.5)
    return p.x, p.y


def dark_blue(img: np.ndarray) -> int:
    r, g, b = (img[..., k].astype(int) for k in range(3))
    return int(((b > 120) & (r < 90) & (g < 140) & (b - r > 60)).sum())


def test_marker_page_renders_without_errors_or_network(page, pages):
    marker, path = pages["small"]
    open_page(page, path)
    assert console_errors(page) == []
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert page.execute_script("return window.kitcut.viewers.length") == 1
    stats = page.execute_script("return document.querySelector('.kv-stats').textContent")
    assert f"length {marker.length / 1000:.3f} m" in stats and "width 1,500 mm" in stats
    assert f"efficiency {100 * marker.efficiency:.1f} %" in stats and "7 pieces" in stats


@pytest.mark.parametrize("i", [0, 3, 5, 6])  # front; the mirrored sleeve; the mirrored cuff; the pocket
def test_hover_shows_the_piece(page, pages, i):
    marker, path = pages["small"]
    open_page(page, path)
    pl = marker.placements[i]
    piece = marker.pieces[pl.piece]
    hover(page, 0, *inner_point(marker, i))
    info = info_fields(page)
    assert info["piece_index"] == str(i)
    assert (info["name"], info["size"]) == (piece.name, piece.size)
    assert info["mirrored"] == ("yes" if pl.mirrored else "no")
    assert info["rotation"] == f"{pl.rotation_deg % 360:.1f}°"
    assert info["area"] == f"{piece.area / 100:,.1f} cm²"
    # the mouse leaves: the box goes
    mouse_away(page)
    assert info_fields(page) == {}
    assert console_errors(page) == []


def test_search_a_size_highlights_its_pieces(page, pages):
    marker, path = pages["big"]
    open_page(page, path)
    mouse_away(page)
    before = viewer_png(page)
    assert colour_pixels(before, HIGHLIGHT) == 0
    box = page.find_element("css selector", ".kv-search")
    box.send_keys("S")
    settle(page)
    want = sum(marker.pieces[p.piece].size == "S" for p in marker.placements)
    assert want == 12
    count = page.find_element("css selector", ".kv-count")
    assert count.text == f"{want} pieces" and count.get_attribute("data-count") == str(want)
    assert colour_pixels(viewer_png(page), HIGHLIGHT) > 50 * want  # the matches are outlined
    box.send_keys("\ue00c")  # Escape clears the search
    settle(page)
    assert count.text == "" and colour_pixels(viewer_png(page), HIGHLIGHT) == 0
    box.send_keys("Sleeve")  # a piece name
    assert count.text == f"{sum(marker.pieces[p.piece].name == 'Sleeve' for p in marker.placements)} pieces"
    assert console_errors(page) == []


def test_search_compares_composed_and_without_case(page, tmp_path):
    """The search compared what is typed as it came: ``Tay áo`` typed decomposed (NFD, as macOS
    and some keyboards give it) found nothing, nor did Turkish ``KOL AĞZI`` for ``kol ağzı``."""
    import dataclasses

    marker = small_marker()
    names = {0: "Tay áo dài", 1: "Kol ağzı şerit"}
    pieces = tuple(dataclasses.replace(p, name=names.get(i, p.name)) for i, p in enumerate(marker.pieces))
    marker = dataclasses.replace(marker, pieces=pieces)
    open_page(page, write_marker_html(marker, tmp_path / "names.html"))
    count = {i: sum(pl.piece == i for pl in marker.placements) for i in names}
    assert all(count.values())
    find = "return window.kitcut.viewers[0].find(arguments[0])"
    for typed, piece in [("tay a\u0301o", 0), ("TAY ÁO DÀI", 0), ("KOL AĞZI", 1), ("kol ağzı şerit", 1),
                         ("Kol Ağzi", 1)]:
        assert page.execute_script(find, typed) == count[piece], typed
    assert console_errors(page) == []


def test_grain_layer_toggles(page, pages):
    _, path = pages["small"]
    open_page(page, path)
    mouse_away(page)
    assert dark_blue(viewer_png(page)) > 30  # grain arrows are drawn
    page.find_element("css selector", "input[data-layer=grain]").click()
    settle(page)
    assert dark_blue(viewer_png(page)) == 0
    page.find_element("css selector", "input[data-layer=grain]").click()
    settle(page)
    assert dark_blue(viewer_png(page)) > 30


@pytest.mark.parametrize("which", ["small", "big"])  # a portrait and a long landscape marker
def test_drawn_extent_has_the_marker_proportions(page, pages, which):
    marker, path = pages[which]
    open_page(page, path)
    mouse_away(page)
    img = viewer_png(page)
    drawn = np.argwhere(np.abs(img.astype(int) - np.array(BG)).max(axis=2) > 8)
    (y0, x0), (y1, x1) = drawn.min(axis=0), drawn.max(axis=0)
    w, h = x1 - x0 + 1, y1 - y0 + 1
    assert w / h == pytest.approx(marker.length / marker.width, rel=0.02, abs=2 / h)
    # fitted: the marker fills the canvas along its limiting side, less a small padding
    assert max(w / img.shape[1], h / img.shape[0]) > 0.9


def test_wheel_zooms_about_the_pointer_and_fit_restores(page, pages):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin

    marker, path = pages["small"]
    open_page(page, path)
    k0 = page.execute_script("return window.kitcut.viewers[0].k")
    x, y = inner_point(marker, 0)
    px, py = client_point(page, 0, x, y)
    canvas = page.find_element("css selector", ".kv-over")
    rect = canvas.rect
    origin = ScrollOrigin.from_element(canvas, int(px - rect["x"] - rect["width"] / 2),
                                       int(py - rect["y"] - rect["height"] / 2))
    ActionChains(page).scroll_from_origin(origin, 0, -300).perform()
    settle(page)
    k1 = page.execute_script("return window.kitcut.viewers[0].k")
    assert k1 > 1.3 * k0
    assert client_point(page, 0, x, y) == pytest.approx((px, py), abs=2)  # the point stays put
    page.find_element("css selector", ".kv-fit").click()
    assert page.execute_script("return window.kitcut.viewers[0].k") == pytest.approx(k0)


def test_ruler_measures_millimetres(page, pages):
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    _, path = pages["small"]
    open_page(page, path)
    page.find_element("css selector", ".kv-ruler-btn").click()
    a, b = client_point(page, 0, 100, 300), client_point(page, 0, 700, 1100)
    actions = ActionBuilder(page)
    actions.pointer_action.move_to_location(*a).pointer_down().move_to_location(*b).pointer_up()
    actions.perform()
    k = page.execute_script("return window.kitcut.viewers[0].k")
    shown = float(page.find_element("css selector", ".kv-ruler").get_attribute("data-mm"))
    assert shown == pytest.approx(1000.0, abs=2 / k)  # a 600-800-1000 triangle, to a pixel or so
    text = page.find_element("css selector", ".kv-ruler").text
    assert text == f"ruler {shown:,.1f} mm (Δx {abs(b[0] - a[0]) / k:,.1f}, Δy {abs(b[1] - a[1]) / k:,.1f})"
    assert info_fields(page) == {}  # measuring does not select pieces


def test_phone_layout_and_tap(page, pages):
    marker, path = pages["small"]
    page.set_window_size(390, 844)
    open_page(page, path)
    width = page.execute_script("return window.innerWidth")
    assert width <= 500  # a phone's width (headless Chromium may keep a window at least 500 px wide)
    assert page.execute_script("return document.documentElement.scrollWidth") <= width  # no sideways scroll
    canvas = page.find_element("css selector", ".kv-canvas").rect
    assert canvas["width"] >= width - 12 and canvas["height"] > 350
    tap(page, 0, *inner_point(marker, 1))
    info = info_fields(page)
    assert (info["name"], info["piece_index"]) == ("Back", "1")
    box = page.find_element("css selector", ".kv-info").rect
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # the facts fit on the screen
    tap(page, 0, *inner_point(marker, 1))  # a second tap lets go
    assert info_fields(page) == {}
    assert console_errors(page) == []


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    from conftest import ROOT
    from test_kits_fakes import write_fake_tee

    d = tmp_path_factory.mktemp("batch")
    orders = d / "orders"
    orders.mkdir()
    for f in (ROOT / "tests" / "data" / "orders").glob("*.toml"):
        (orders / f.name).write_bytes(f.read_bytes())
    write_fake_tee(orders / "tee.dxf")
    opts = KitOptions(time_limit=1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg", "html"))
    summary = run_batch(orders, d / "KITS", BatchOptions(kit=opts, isolate=False))
    return d / "KITS", summary


def test_kit_page_in_the_browser(page, batch):
    kits, _ = batch
    open_page(page, kits / "A-1001" / "kit.html")
    assert console_errors(page) == []
    assert page.execute_script("return window.kitcut.viewers.length") == 2
    data = page.execute_script("return window.kitcut.viewers[0].d")
    j = max(range(len(data["pieces"])), key=lambda n: data["pieces"][n]["a"])  # a big piece
    b = data["pieces"][j]["b"]
    page.execute_script("window.kitcut.viewers[0].root.scrollIntoView()")
    hover(page, 0, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
    info = info_fields(page)
    p = data["pieces"][j]
    assert (info["name"], info["size"], info["order"], info["garment"]) == (p["n"], p["s"], "A-1001", p["bu"])
    assert info["garment"].startswith("tee ")
    # a pick list row shows its piece on its marker
    row = page.find_elements("css selector", "tr[data-kv-piece]")[-1]
    viewer, piece = int(row.get_attribute("data-kv-viewer")), row.get_attribute("data-kv-piece")
    page.execute_script("arguments[0].scrollIntoView()", row)
    row.click()
    mouse_away(page)
    info = info_fields(page, viewer)
    bundle, name = (td.text for td in row.find_elements("css selector", "td")[:2])
    assert (info["piece_index"], info["garment"], info["name"]) == (piece, bundle, name)
    # the marker's own page opens from the kit page
    page.find_element("link text", "open on its own page").click()
    open_page(page, page.current_url)
    assert page.current_url.endswith("/fabrics/jersey/marker.html")
    assert page.execute_script("return window.kitcut.viewers[0].d.pieces[0].o") == "A-1001"
    assert console_errors(page) == []


def test_batch_index_in_the_browser(page, batch):
    kits, summary = batch
    open_page(page, kits / "index.html")
    assert console_errors(page) == []
    statuses = [e.text for e in page.find_elements("css selector", "table.orders .status")]
    assert statuses == ["failed"] * 3 + ["done"] * 2
    failed = page.find_elements("css selector", "table.orders tr.failed .reason")
    assert [e.text for e in failed] == [o.message for o in sorted(summary.outcomes, key=lambda o: o.file)
                                        if o.status == "failed"]
    page.find_element("link text", "A-1002").click()
    open_page(page, page.current_url)
    assert Path(page.current_url).name == "kit.html" and page.title == "Kit A-1002"
    assert console_errors(page) == []


@pytest.mark.parametrize("scale", ["screen", "1:1"])
def test_the_svg_title_lies_inside_the_drawing(page, tmp_path, scale):
    """The title of a short marker (one garment, 0.7 m on 1.5 m fabric) was set by the fabric's
    width and ran out of the drawing: Chromium showed it cut after "width 1,500." (probe 25). Its
    box, measured by the browser in its own font, now lies inside the view box."""
    from kitcut.formats.writing.svg import to_svg

    path = tmp_path / "marker.svg"
    path.write_text(to_svg(small_marker(), scale=scale), encoding="utf-8")
    page.get(path.as_uri())
    box = page.execute_script("const b = document.getElementById('title').getBBox(); "
                              "const v = document.documentElement.viewBox.baseVal; "
                              "return [b.x, b.width, v.x, v.width];")
    x, w, vx, vw = box
    assert w > 0 and vx <= x and x + w <= vx + vw, box


def test_batch_index_on_a_phone_keeps_the_reason_readable(page, batch):
    """At 390 px the failed orders' reasons got an 80 px column and broke mid-word over about 11
    lines (probe 25). The table scrolls sideways, and the reason keeps 16 em."""
    kits, _ = batch
    page.set_window_size(390, 844)
    open_page(page, kits / "index.html")
    cells = page.find_elements("css selector", "table.orders tr.failed td:last-child")
    widths = [e.size["width"] for e in cells]
    size = page.execute_script("return parseFloat(getComputedStyle(document.body).fontSize);")
    assert widths and min(widths) >= 14 * size, (widths, size)  # 16 em of the table's 0.93 em


def test_legend_entry_without_a_value_finds_its_pieces(page, pages):
    """Coloured by order, a plain marker's pieces have none: the legend's "—" entry cleared the
    search instead of outlining them (probe 30). It finds every piece of its colour key."""
    marker, path = pages["small"]
    open_page(page, path)
    mouse_away(page)
    from selenium.webdriver.support.ui import Select

    Select(page.find_element("css selector", ".kv-mode")).select_by_value("order")
    settle(page)
    (key,) = page.find_elements("css selector", ".kv-key")
    assert key.text == f"— {len(marker.placements)}"
    key.click()
    settle(page)
    count = page.find_element("css selector", ".kv-count")
    n = len(marker.placements)
    assert count.text == f"{n} pieces" and count.get_attribute("data-count") == str(n)
    assert colour_pixels(viewer_png(page), HIGHLIGHT) > 0
    assert console_errors(page) == []


def test_facts_of_a_long_name_stay_inside_the_drawing(page, batch):
    """A piece named by a 270-character CAD description: the facts box was taller than the kit
    page's drawing and its heading hidden above it. It is held inside the drawing and scrolls."""
    kits, _ = batch
    open_page(page, kits / "A-1001" / "kit.html")
    page.execute_script("var v = window.kitcut.viewers[0];"
                        "v.d.pieces[0].n = Array(28).join('Sleeve lining ');"
                        "v.root.scrollIntoView(); v.pinned = 0; v.show();")
    top, bottom, canvas_top, canvas_bottom, head = page.execute_script(
        "var v = window.kitcut.viewers[0], a = v.info.getBoundingClientRect(),"
        " c = v.info.parentNode.getBoundingClientRect();"
        "return [a.top, a.bottom, c.top, c.bottom, v.info.querySelector('.kv-info-head').textContent];")
    assert head.startswith("Sleeve lining") and len(head) > 270
    assert canvas_top <= top < bottom <= canvas_bottom


def test_pick_list_rows_work_from_the_keyboard(page, batch):
    """The pick list was mouse-only: its rows were no Tab stops and Enter did nothing. Each row
    is a Tab stop, and Enter (or Space) shows its piece on its marker, as a click does."""
    from selenium.webdriver.common.keys import Keys

    kits, _ = batch
    open_page(page, kits / "A-1001" / "kit.html")
    rows = page.find_elements("css selector", "tr[data-kv-piece]")
    assert rows and all(r.get_attribute("tabindex") == "0" for r in rows)
    for row, key in ((rows[-1], Keys.ENTER), (rows[0], Keys.SPACE)):
        page.execute_script("arguments[0].focus()", row)
        row.send_keys(key)
        info = info_fields(page, int(row.get_attribute("data-kv-viewer")))
        assert info["piece_index"] == row.get_attribute("data-kv-piece")
    assert console_errors(page) == []
