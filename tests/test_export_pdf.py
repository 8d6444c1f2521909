"""PDF layouts read back by pdfinfo / pdftoppm: page sizes at 1:1 and a 100 mm test square."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pytest
from marker_factory import big_marker, small_marker

from kitcut.formats.layout.page import build_sheet
from kitcut.formats.layout.pdf_tiled import inked, tile_grid
from kitcut.formats.writing.export import write_file

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdfinfo") is None, reason="poppler-utils not installed"
)
PT = 72.0 / 25.4


@pytest.fixture(scope="module")
def marker():
    return small_marker()


def _info(path) -> tuple[int, list[tuple[float, float]]]:
    out = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(path)], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    sizes = [(float(a), float(b)) for a, b in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)]
    return pages, sizes


def _gray(path, page: int, dpi: int, tmp_path) -> np.ndarray:
    stem = tmp_path / f"p{page}"
    subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path), str(stem)],
        check=True,
        capture_output=True,
    )
    pgm = next(tmp_path.glob(f"p{page}*.pgm"))
    data = pgm.read_bytes()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    return np.frombuffer(data[m.end() :], dtype=np.uint8)[: w * h].reshape(h, w)


def _longest_run(mask: np.ndarray) -> tuple[int, int]:
    """``(start, stop)`` of the longest run of True in ``mask``."""
    best, start = (0, 0), None
    for i, v in enumerate([*mask, False]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    return best


def test_plot_pdf_is_one_page_at_full_size(tmp_path, marker):
    path = write_file(marker, tmp_path / "marker.pdf")
    pages, sizes = _info(path)
    assert pages == 1
    w, h = sizes[0]
    assert w / PT == pytest.approx(marker.length + 30.0, abs=0.05)
    assert h / PT == pytest.approx(marker.width + 50.0, abs=0.05)
    # the strip frame is drawn at 1:1: dark pixels span the marker length at 10 dpi
    img = _gray(path, 1, 10, tmp_path)
    cols = np.where((img < 160).any(axis=0))[0]
    assert (cols[-1] - cols[0]) / 10 * 25.4 == pytest.approx(marker.length, abs=2 * 25.4 / 10 + 1)
    assert write_file(marker, tmp_path / "again.pdf").read_bytes() == path.read_bytes()


@pytest.mark.parametrize("fmt,paper,name", [("tiled.pdf", (210, 297), "a4"),
                                            ("tiled-a3.pdf", (297, 420), "a3"),
                                            ("tiled-letter.pdf", (215.9, 279.4), "letter")])
def test_tiled_pdf_pages_and_test_square(tmp_path, marker, fmt, paper, name):
    path = write_file(marker, tmp_path / f"marker.{fmt}")
    tiles, _, grid = tile_grid(build_sheet(marker), name)
    pages, sizes = _info(path)
    assert len(tiles) == grid[0] * grid[1]
    assert pages == 1 + sum(inked(build_sheet(marker), tiles))
    for w, h in sizes:
        assert (w / PT, h / PT) == pytest.approx(paper, abs=0.05)
    # the 100 mm square on page 1, rendered at 100 dpi, measures 100 mm (393.7 px)
    dpi = 100
    img = _gray(path, 1, dpi, tmp_path)
    dark = img < 64
    rows = _longest_run(dark.sum(axis=1) > 300)
    cols = _longest_run(dark[rows[0] : rows[1]].mean(axis=0) > 0.9)
    assert (rows[1] - rows[0]) / dpi * 25.4 == pytest.approx(100.0, abs=0.6)
    assert (cols[1] - cols[0]) / dpi * 25.4 == pytest.approx(100.0, abs=0.6)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "row 1, col 1" in text and f"row {grid[0]}, col {grid[1]}" in text


def test_overview_fits_a4_landscape(tmp_path, marker):
    path = write_file(marker, tmp_path / "marker.overview.pdf")
    pages, sizes = _info(path)
    assert pages == 1 and (sizes[0][0] / PT, sizes[0][1] / PT) == pytest.approx((297, 210), abs=0.05)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert f"length {marker.length:,.1f} mm" in text and f"efficiency {100 * marker.efficiency:.1f} %" in text


def test_overview_states_its_scale_and_draws_a_bar_to_measure_by(tmp_path, marker):
    """The overview said "scale 1:7.3" and was drawn at 1:7.348 (0.65 % off for anyone measuring
    with it), with no scale bar. It states the ratio to three figures and draws a bar of a round
    length, measured here on the rendered page: the bar is that length at the stated scale."""
    path = write_file(marker, tmp_path / "marker.overview.pdf")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    text = " ".join(out.split())
    ratio = float(re.search(r"scale 1:([\d.]+)", text).group(1))
    label = re.search(r"(\d+(?:\.\d+)?) (mm|m)\b", text[text.index("scale"):])
    length = float(label.group(1)) * (1000.0 if label.group(2) == "m" else 1.0)
    g = _gray(path, 1, 254, tmp_path) < 128  # 10 pixels a millimetre
    row = g[int(22.0 * 10)]
    right = row[int(297 * 10 / 2):]
    a, b = _longest_run(right)
    assert (b - a) / 10.0 - 0.4 == pytest.approx(length / ratio, abs=0.25)  # less the 0.4 mm line's ends
    assert 15.0 <= (b - a) / 10.0 <= 45.0


def test_tile_shows_the_marker_at_1to1_in_place(tmp_path, marker):
    """The bottom-left tile: the strip's corner (0, 0) lies where the tile window says, at 1:1."""
    from kitcut.formats.layout.pdf_tiled import MARGIN

    path = write_file(marker, tmp_path / "marker.tiled.pdf")
    tiles, (win_w, win_h), (rows, cols) = tile_grid(build_sheet(marker), "a4")
    index = next(i for i, (r, c, _) in enumerate(tiles) if r == rows and c == 1)
    printed = inked(build_sheet(marker), tiles)
    assert printed[index]
    w = tiles[index][2]
    x_mm = MARGIN + (0.0 - w[0])  # page position of the marker origin (from the top-left corner)
    y_mm = MARGIN + win_h - (0.0 - w[1])
    dpi = 100
    img = _gray(path, 1 + sum(printed[: index + 1]), dpi, tmp_path)  # page 1 is the assembly map
    px = lambda mm: int(round(mm / 25.4 * dpi))  # noqa: E731
    # the selvedge (y = 0) is a horizontal frame line running right from the corner ...
    band = img[px(y_mm) - 6 : px(y_mm) + 7, px(x_mm) + 20 : px(x_mm) + 120]
    row = int(np.argmin(band.mean(axis=1))) + px(y_mm) - 6
    assert abs(row - px(y_mm)) <= 1 and band.min() < 160
    # ... and the marker start (x = 0) a vertical one running up from it
    band = img[px(y_mm) - 120 : px(y_mm) - 20, px(x_mm) - 6 : px(x_mm) + 7]
    col = int(np.argmin(band.mean(axis=0))) + px(x_mm) - 6
    assert abs(col - px(x_mm)) <= 1 and band.min() < 160


def _drawn_points(page):
    """Every path point of ``page`` in its default user space (a small content-stream parse:
    q/Q/cm tracked; m, l, c, re operands transformed)."""
    from pypdf.generic import ContentStream

    ctm, stack, pts = np.eye(3), [], []
    for operands, op in ContentStream(page.get_contents(), page.pdf).operations:
        if op == b"q":
            stack.append(ctm.copy())
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            ctm = np.array([[a, b, 0], [c, d, 0], [e, f, 1]]) @ ctm
        elif op in (b"m", b"l", b"c", b"re"):
            v = [float(x) for x in operands]
            pairs = list(zip(v[::2], v[1::2], strict=True))
            xy = [(v[0], v[1]), (v[0] + v[2], v[1] + v[3])] if op == b"re" else pairs
            pts += [tuple((np.array([x, y, 1.0]) @ ctm)[:2]) for x, y in xy]
    assert not stack, "unbalanced q/Q"
    return np.array(pts)


@pytest.mark.parametrize("fmt", ["pdf", "print.pdf"])
def test_long_marker_pdf_pages_within_the_page_limit(tmp_path, fmt):
    """A marker longer than 5080 mm gave a page over 14,400 pt (marker.pdf 21,760 pt for a 7.6 m
    marker), the page limit of ISO 32000 Annex C / Acrobat. Now the page has /UserUnit 2 and a
    MediaBox within 14,400 units; read back with pypdf, it still measures the marker at 1:1
    (MediaBox x UserUnit) and everything drawn lies on it, spanning the page."""
    from pypdf import PdfReader

    marker = big_marker(60)
    assert 5200 < marker.length < 10000
    path = write_file(marker, tmp_path / f"marker.{fmt}")
    for page in PdfReader(path).pages:
        box = page.mediabox
        assert max(float(box.width), float(box.height)) <= 14400
        u = float(page.user_unit)
        assert u == 2
        edge = 15.0 if fmt == "pdf" else 20.0
        assert float(box.width) * u == pytest.approx((marker.length + 2 * edge) * PT, abs=0.05)
        pts = _drawn_points(page)
        assert pts[:, 0].min() >= -0.01 and pts[:, 0].max() <= float(box.width) + 0.01
        assert pts[:, 1].min() >= -0.01 and pts[:, 1].max() <= float(box.height) + 0.01
        # drawn at 1:1 in units of u pt: the strip reaches (edge + length) mm (registration marks
        # of print.pdf a little past it), not half of it
        assert pts[:, 0].max() >= (edge + marker.length) * PT / u - 0.5


def _names(path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


@pytest.mark.parametrize("fmt", ["overview.pdf", "report.pdf"])
def test_reduced_drawings_name_every_piece(tmp_path, fmt):
    """The label of a small piece (a 30 mm neckband) drawn under 0.8 mm on the reduced page was
    left out, so the overview did not name every piece. It now carries a number in its label's
    place and a legend under the drawing names it (``1 = Neckband (M)``); the legible labels are
    drawn as before and not in the legend."""
    from marker_factory import shelf_marker, tee_pieces

    from kitcut.model import Piece

    band = Piece("Neckband", np.array([(0, 0), (480, 0), (480, 30), (0, 30)]), size="M", category="trim")
    pieces = (*tee_pieces(), band)
    m = shelf_marker(pieces, [(i, 0, 0, False) for i in range(len(pieces))] * 2, width=1500.0)
    sheet = build_sheet(m)
    small = {p.label.text for p in sheet.pieces if p.label.height < 6}
    assert small == {"Neckband (M)"}
    text = _names(write_file(m, tmp_path / f"marker.{fmt}"))
    assert re.search(r"Pieces: (\d = \w+ \(\w\) )*\d = Neckband \(M\)", text) and text.count("Neckband") == 1
    for p in sheet.pieces:
        assert p.label.text in text
    assert not re.search(r"\d = (Front|Back|Sleeve)", text)


@pytest.mark.parametrize("fmt", ["overview.pdf", "report.pdf"])
def test_the_legend_names_pieces_whose_labels_are_shortened_whole(tmp_path, fmt):
    """A label too long for its piece is shortened to fit it: the tabs of two kit orders both read
    ``Sommerk.../Tab (M)``. The legend, keyed by the label drawn, gave them one number and that
    name; it now numbers each piece and names it whole."""
    from marker_factory import shelf_marker, tee_pieces

    from kitcut.model import Piece

    tab = np.array([(0, 0), (14, 0), (14, 6), (0, 6)])
    tabs = tuple(Piece(f"Sommerkollektion A-104{i}/Basic tee/Tab", tab, size="M") for i in (2, 3))
    pieces = (*tee_pieces(), *tabs)
    m = shelf_marker(pieces, [(i, 0, 0, False) for i in range(len(pieces))], width=1500.0)
    shown = {p.name: p.label.text for p in build_sheet(m).pieces if p.piece in tabs}
    assert len(shown) == 2 and len(set(shown.values())) == 1 and "..." in next(iter(shown.values()))
    text = _names(write_file(m, tmp_path / f"marker.{fmt}"))
    for name in shown:
        assert re.search(rf"\d = {re.escape(name)}", text), (name, text)


def test_report_states_its_overviews_scale_to_three_figures(tmp_path, marker):
    """report.pdf said "overview at 1:11" for a drawing at 1:10.52 (probe 25: 4.6 % off for anyone
    measuring with a scale rule); overview.pdf already gave three figures. The marker's frame is
    measured on the rendered page: its length at the stated scale."""
    path = write_file(marker, tmp_path / "marker.report.pdf")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    text = " ".join(out.split())
    ratio = float(re.search(r"overview at 1:([\d.,]+)", text).group(1).replace(",", ""))
    g = _gray(path, 1, 254, tmp_path) < 128  # 10 pixels a millimetre
    drawn = max(b - a for a, b in (_longest_run(row) for row in g)) / 10.0 - 0.15  # less the line's ends
    assert drawn * ratio == pytest.approx(marker.length, rel=0.002)


def test_scale_text_never_writes_powers_of_ten():
    from kitcut.formats.layout.pdf import scale_text

    assert [scale_text(1 / v) for v in (1.0, 7.348, 10.52, 236.4, 1070.2, 12345.0)] == \
        ["1:1.00", "1:7.35", "1:10.5", "1:236", "1:1,070", "1:12,300"]


def test_report_rows_after_a_wrapped_value_keep_their_gap(tmp_path):
    """A value wrapped over two lines (many long categories) had the next row 11.9 pt under it
    instead of 17 (probe 25): its first line touched the wrapped one. Read back with
    ``pdftotext -bbox``: the lines of the values' column never crowd each other."""
    from marker_factory import shelf_marker

    from kitcut.model import Piece

    cats = ("OUTER SHELL FRONT AND BACK PANELS", "SMALL TRIMS AND TABS FOR HANGING", "BELT LOOPS REINFORCED",
            "BIAS BINDING STRIPS CUT AT 45", "EMBROIDERED PATCHES AND BADGES", "FACINGS AND INTERLINING")
    pieces = tuple(Piece(f"P{i}", np.array([(0, 0), (200, 0), (200, 100), (0, 100)]), size="M", category=c)
                   for i, c in enumerate(cats))
    m = shelf_marker(pieces, [(i, 0, 0, False) for i in range(len(pieces))], width=1500.0)
    path = write_file(m, tmp_path / "marker.report.pdf")
    out = subprocess.run(["pdftotext", "-bbox", "-l", "1", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    lines: dict[float, float] = {}  # the values' column (from 75 mm): top of each line -> its bottom
    for x, y0, y1 in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', out):
        if float(x) >= 75 * 72 / 25.4 - 1 and float(y0) < 400:
            lines[round(float(y0), 1)] = max(lines.get(round(float(y0), 1), 0.0), float(y1))
    tops = sorted(lines)
    assert len(tops) > 12  # the rows, one of them wrapped
    gaps = [b - lines[a] for a, b in zip(tops, tops[1:], strict=False)]
    assert min(gaps) >= 2.0, gaps  # 2.8 pt between the lines of one value, more between rows


def _far_apart(length: float = 2000.0, every: float | None = None):
    """100 mm squares at the two ends of a 300 mm wide strip, nothing between them (or one each
    ``every`` mm along it)."""
    from kitcut.model import Marker, Piece, Placement, Rules

    sq = Piece("Patch", np.array([(0, 0), (100, 0), (100, 100), (0, 100)], dtype=float), size="M")
    xs = np.arange(0.0, length - 100.0, every) if every else [0.0]
    places = [Placement(0, i, 0.0, False, (float(x), 0.0)) for i, x in enumerate(xs)]
    places.append(Placement(0, len(places), 0.0, False, (length - 100.0, 200.0)))
    return Marker((sq,), Rules(width=300.0), tuple(places), length=length, name="apart")


def test_tiled_pdf_leaves_out_the_tiles_no_piece_reaches(tmp_path):
    """A long marker's tiled print had a page for every tile of its strip, blank ones too (a 64 m
    marker: 2,148 A4 pages). A tile no piece reaches is not printed; page 1 says how many were
    left out, and every part of every piece is on a printed tile."""
    from shapely.geometry import Polygon as P
    from shapely.ops import unary_union

    marker = _far_apart()
    path = write_file(marker, tmp_path / "marker.tiled.pdf")
    sheet = build_sheet(marker)
    tiles, _, (rows, cols) = tile_grid(sheet, "a4")
    printed = inked(sheet, tiles)
    assert cols >= 10 and 2 <= sum(printed) <= 6
    pages, _ = _info(path)
    assert pages == 1 + sum(printed)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    said = " ".join(text.split())
    assert f"{sum(printed)} pages of tiles ({len(tiles) - sum(printed)} blank, not printed" in said
    footers = set(re.findall(r"row (\d+), col (\d+)", text))
    assert footers == {(str(r), str(c)) for (r, c, _), ok in zip(tiles, printed, strict=True) if ok}
    shown = unary_union([P([(w[0], w[1]), (w[2], w[1]), (w[2], w[3]), (w[0], w[3])])
                         for (_r, _c, w), ok in zip(tiles, printed, strict=True) if ok])
    assert all(shown.covers(P(p.outline)) for p in sheet.pieces)


def test_tiled_pdf_map_labels_do_not_overlap_on_a_long_marker(tmp_path):
    """The map labelled each of a 64 m marker's 2,142 cells, 0.56 mm wide, with a 5 mm label: one
    red band. The map is folded into bands down the page, and the labels skip columns (and rows)
    where they lack room: none overlaps another."""
    marker = _far_apart(30000.0, every=150.0)
    path = write_file(marker, tmp_path / "marker.tiled.pdf")
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
             re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', out)]
    cells = [(x0, y0, x1, y1) for x0, y0, x1, y1, w in words if re.fullmatch(r"r\d+", w)]
    cols = [(x0, y0, x1, y1) for x0, y0, x1, y1, w in words if re.fullmatch(r"c\d+", w)]
    labels = [(a[0], a[1], b[2], b[3]) for a, b in zip(cells, cols, strict=True)]
    assert len(labels) >= 40
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert sum(w == "from" for *_, w in words) >= 3  # the bands, each saying where it starts


def test_fold_keeps_an_ordinary_marker_in_one_band():
    """A marker of a few metres is drawn as before: one band, the page Page.fit gives."""
    from kitcut.formats.layout.page import Page, fold

    for extent in [(0, 0, 2400, 1500), (-10, -10, 6010, 1510), (0, 0, 500, 1500)]:
        assert fold(extent, (297, 210), margin=12.0, reserve_top=18.0) == [
            (Page.fit(extent, (297, 210), margin=12.0, reserve_top=18.0), None)]


@pytest.mark.parametrize("length,width", [(30000.0, 300.0), (64000.0, 1500.0), (12000.0, 1500.0)])
def test_fold_cuts_a_long_marker_into_bands_that_show_all_of_it(length, width):
    """A long marker's overview was one band a few millimetres high (64 m: 6 mm on A4). Folded,
    its bands show the whole length once, in order, at one scale larger than one band's, each
    inside the page and below the one before."""
    from kitcut.formats.layout.page import FOLD_GAP_MM, Page, fold

    extent, size = (0.0, 0.0, length, width), (297.0, 210.0)
    one = Page.fit(extent, size, margin=12.0, reserve_top=18.0)
    bands = fold(extent, size, margin=12.0, reserve_top=18.0)
    assert len(bands) > 1 and bands[0][0].scale >= 1.25 * one.scale
    assert {p.scale for p, _ in bands} == {bands[0][0].scale}
    windows = [w for _, w in bands]
    assert windows[0][0] == 0.0 and windows[-1][2] == length
    assert all(a[2] == pytest.approx(b[0]) for a, b in zip(windows, windows[1:], strict=False))
    bottom = 12.0 + 18.0
    for page, w in bands:
        (ax, ay), (bx, by) = page.to_page(np.array([(w[0], w[3]), (w[2], w[1])]))
        assert ax == pytest.approx(12.0) and bx <= size[0] - 12.0 + 1e-9
        assert ay >= bottom - 1e-9 and by <= size[1] - 12.0 + 1e-9
        bottom = by + FOLD_GAP_MM


def test_overview_and_report_of_a_long_marker_are_folded(tmp_path):
    """overview.pdf and report.pdf draw a 30 m marker in bands, each saying where it starts (0,
    then evenly along the length), at a scale larger than one band across the page."""
    marker = _far_apart(30000.0, every=150.0)
    for fmt in ("overview.pdf", "report.pdf"):
        path = write_file(marker, tmp_path / f"marker.{fmt}")
        text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                       text=True).stdout.split())
        starts = re.findall(r"from ([\d.]+) (m|mm)\b", text)
        assert len(starts) >= 3 and starts[0] == ("0", "mm")
        at = [float(v) * (1000 if u == "m" else 1) for v, u in starts]
        assert at == sorted(at) and at[1] == pytest.approx(at[2] - at[1])
        ratio = float(re.search(r"(?:scale|overview at) 1:([\d.,]+)", text).group(1).replace(",", ""))
        assert ratio < 0.8 * 30000.0 / 273.0  # larger than one band across the page


def test_a_marker_of_many_named_pieces_gets_its_report_and_overview(tmp_path):
    """A 2,040-piece real marker (annotation.DXF x8: 255 names, each numbered in the legend) left
    its report's overview less than no room under the figures and the legend: "cannot write
    report.pdf: math domain error", and a kit of the order was not written. The legend takes at
    most part of the page and goes on, on pages of its own; every number is named."""
    from marker_factory import rect_piece_marker

    names = [f"GMG1016S19-PIECE-{i:03d}" for i in range(300)]
    marker = rect_piece_marker(names, name="many")
    for fmt in ("report.pdf", "overview.pdf"):
        path = write_file(marker, tmp_path / f"m.{fmt}")
        pages, _ = _info(path)
        text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                       text=True).stdout.split())
        keys = set(re.findall(r"(\d+) = GMG1016S19-PIECE-\d{3} \(M\)", text))
        assert keys == {str(k) for k in range(1, 301)}, (fmt, len(keys))
        assert pages >= 2 and "Pieces (continued):" in text
        assert re.search(r"(?:scale|overview at) 1:[\d,.]+", text)
