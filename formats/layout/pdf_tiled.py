"""Tiled 1:1 PDF: the marker cut into A4, A3 or US Letter pages that are taped together.

Page 1 is the assembly map (the marker reduced, with the page grid labelled "row r, col c") and
a 100 mm test square ("print at 100 %, no fit-to-page"). Each tile page shows its part of the
marker at exactly 1:1 inside a printable window; neighbouring tiles overlap by ``overlap`` mm,
marked by dashed lines, with alignment crosses at the corners of the overlap. Rows run across
the fabric width (row 1 at the far selvedge, as drawn), columns along the length. A tile that
no piece reaches is not printed (grey on the map, said on page 1): a long marker's blank tiles
were a third of its pages. The map labels every cell where the labels have room, else every
second, third ... row and column.
"""

from __future__ import annotations

import math

from fpdf import FPDF

from kitcut.formats.layout.page import PAPER_MM, Page, Sheet, build_sheet, fold
from kitcut.formats.layout.pdf import (
    _pts,
    clipped,
    draw_folded_starts,
    draw_sheet,
    each_band,
    new_pdf,
    pdf_bytes,
)
from kitcut.formats.layout.pdf_fonts import draw_text
from kitcut.limits import check as check_limit
from kitcut.model import Marker

__all__ = ["tile_grid", "inked", "to_tiled_pdf", "render_a4", "render_a3", "render_letter", "TEST_SQUARE_MM"]

TEST_SQUARE_MM = 100.0
MARGIN = 10.0  # unprintable border every printer leaves
FOOT = 8.0  # room for the page label


def tile_grid(sheet: Sheet, paper: str = "a4", overlap: float = 10.0, pad: float = 10.0):
    """Tiles as ``(row, col, window)``, window = (x0, y0, x1, y1) in marker mm, and the step.

    More pages than the limit ``max_tiled_pages`` (with the map) is a
    :class:`~kitcut.limits.LimitError`, raised before any tile is made."""
    pw, ph = PAPER_MM[paper]
    win_w, win_h = pw - 2 * MARGIN, ph - 2 * MARGIN - FOOT
    step_x, step_y = win_w - overlap, win_h - overlap
    x0, y0, x1, y1 = sheet.extent
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    cols = max(1, math.ceil((x1 - x0 - overlap) / step_x))
    rows = max(1, math.ceil((y1 - y0 - overlap) / step_y))
    what = f"pages of the tiled {paper.upper()} print ({rows:,} rows x {cols:,} columns and the map)"
    check_limit("max_tiled_pages", 1 + rows * cols, what=what)
    tiles = []
    for r in range(rows):
        for c in range(cols):
            top = y1 - r * step_y  # row 1 at the top of the drawing (largest y)
            tiles.append((r + 1, c + 1, (x0 + c * step_x, top - win_h, x0 + c * step_x + win_w, top)))
    return tiles, (win_w, win_h), (rows, cols)


def inked(sheet: Sheet, tiles, reach: float = 2.0) -> list[bool]:
    """For each tile of :func:`tile_grid`, whether a piece (its outline and ``reach`` mm around it,
    where notches and line widths go) lies in its window: the tiles worth printing."""
    from shapely import box, intersects
    from shapely.geometry import Polygon

    shapes = {}
    out = []
    for _r, _c, w in tiles:
        window = box(*w)
        hit = False
        for p in sheet.pieces_in((w[0] - reach, w[1] - reach, w[2] + reach, w[3] + reach)):
            if p.index not in shapes:
                shapes[p.index] = Polygon(p.outline).buffer(reach)
            if intersects(shapes[p.index], window):
                hit = True
                break
        out.append(hit)
    return out


def _cross(pdf: FPDF, x: float, y: float, s: float = 4.0) -> None:
    pdf.line(x - s, y, x + s, y)
    pdf.line(x, y - s, x, y + s)
    pdf.circle(x, y, s * 0.5, style="D")


def _cover(pdf: FPDF, sheet: Sheet, tiles, printed, grid, win, paper: str, overlap: float) -> None:
    pw, ph = PAPER_MM[paper]
    pdf.add_page(format=(pw, ph))
    blank = len(tiles) - sum(printed)
    pages = f"{sum(printed):,} pages of tiles"
    if blank:
        pages += f" ({blank:,} blank, not printed: grey on the map)"
    lines = [
        f"Tiled marker {sheet.name or ''} on {paper.upper()}: {grid[0]:,} rows x {grid[1]:,} columns, "
        f"{pages}",
        f"length {sheet.length:,.1f} {sheet.unit}, width {sheet.width:,.1f} {sheet.unit}, "
        f"overlap {overlap:g} mm",
        "Print at 100 % (no fit-to-page); the square must measure 100 mm.",
    ]
    for i, line in enumerate(lines):
        draw_text(pdf, MARGIN, MARGIN + 5 + 5 * i, line, size=11)
    # the test square, filled so it can be measured
    sq_x, sq_y = MARGIN, ph - MARGIN - TEST_SQUARE_MM
    pdf.set_fill_color(0)
    pdf.rect(sq_x, sq_y, TEST_SQUARE_MM, TEST_SQUARE_MM, style="F")
    pdf.set_font("helvetica", size=9)
    pdf.text(sq_x + TEST_SQUARE_MM + 4, sq_y + 5, "100 mm test square")
    # assembly map above the square: a long marker's folded into bands, each clipped to its part
    xs = [t[2][0] for t in tiles] + [t[2][2] for t in tiles]
    ys = [t[2][1] for t in tiles] + [t[2][3] for t in tiles]
    extent = (min(xs), min(ys), max(xs), max(ys))
    step_x, step_y = win[0] - overlap, win[1] - overlap  # from one tile to the next (tile_grid)
    bands = fold(extent, (pw, ph - TEST_SQUARE_MM - MARGIN - 8), margin=MARGIN, reserve_top=20.0, unit=step_x)
    scale = bands[0][0].scale
    pdf.set_font("helvetica", size=6)
    every_c, every_r = _label_steps(pdf, grid, step_x * scale, step_y * scale)
    for page, window in each_band(pdf, bands, extent):
        _map_band(pdf, sheet, page, window, tiles, printed, every_c, every_r)
    draw_folded_starts(pdf, sheet, bands)


def _map_band(pdf: FPDF, sheet: Sheet, page: Page, window, tiles, printed,
              every_c: int, every_r: int) -> None:
    """One band of the assembly map: the blank tiles grey under the drawing, the printed ones
    framed in red over it, labelled every ``every_c`` columns and ``every_r`` rows."""
    cells = [_pts(page, [(w[0], w[3]), (w[2], w[1])]) for _r, _c, w in tiles]
    pdf.set_fill_color(220)
    for ok, ((ax, ay), (bx, by)) in zip(printed, cells, strict=True):
        if not ok:  # under the drawing: a blank tile's overlap with a printed one stays visible
            pdf.rect(ax, ay, bx - ax, by - ay, style="F")
    pdf.set_fill_color(0)
    draw_sheet(pdf, sheet, page, line_mm=0.1, window=window)
    pdf.set_draw_color(200, 0, 0)
    pdf.set_line_width(0.2)
    pdf.set_font("helvetica", size=6)
    pdf.set_text_color(200, 0, 0)
    for ok, ((ax, ay), (bx, by)) in zip(printed, cells, strict=True):
        if ok:
            pdf.rect(ax, ay, bx - ax, by - ay)
    for (r, c, w), ok, ((ax, ay), _b) in zip(tiles, printed, cells, strict=True):
        mine = window is None or window[0] <= w[0] < window[2]  # a cell is labelled in the band it starts in
        if ok and mine and (r - 1) % every_r == 0 and (c - 1) % every_c == 0:
            pdf.text(ax + 1, ay + 3, f"r{r} c{c}")
    pdf.set_text_color(0)
    pdf.set_draw_color(0)


def _label_steps(pdf: FPDF, grid, step_w: float, step_h: float) -> tuple[int, int]:
    """Label every how many columns and rows of the map, so that no two cells' labels (6 pt, at
    the cells' top left corners ``step_w`` x ``step_h`` mm apart) overlap: a 64 m marker's 2,142
    cells of 0.56 mm each carried a 5 mm label, a solid red band over the drawing."""
    wide = pdf.get_string_width(f"r{grid[0]} c{grid[1]}") + 1.5
    high = 6 / 72 * 25.4 + 1.0
    return max(1, math.ceil(wide / max(step_w, 1e-9))), max(1, math.ceil(high / max(step_h, 1e-9)))


def to_tiled_pdf(marker: Marker | Sheet, paper: str = "a4", overlap: float = 10.0) -> bytes:
    """The tiled PDF of ``marker`` on ``paper`` (``a4``, ``a3``, ``letter``, ``tabloid``)."""
    sheet = marker if isinstance(marker, Sheet) else build_sheet(marker)
    tiles, (win_w, win_h), grid = tile_grid(sheet, paper, overlap)
    pw, ph = PAPER_MM[paper]
    pdf = new_pdf(f"{sheet.name or 'marker'} tiled {paper.upper()}")
    printed = inked(sheet, tiles)
    if not any(printed):  # no piece at all: the strip's frame is what there is to print
        printed = [True] * len(tiles)
    _cover(pdf, sheet, tiles, printed, grid, (win_w, win_h), paper, overlap)
    for (r, c, w), ok in zip(tiles, printed, strict=True):
        if not ok:
            continue
        pdf.add_page(format=(pw, ph))
        # window (marker mm) -> page: lower-left of the window at (MARGIN, MARGIN + win_h) on the page
        page = Page((pw, ph - FOOT), MARGIN, 1.0, (w[0], w[1]))
        with clipped(pdf, MARGIN, MARGIN, win_w, win_h):
            draw_sheet(pdf, sheet, page, window=w)
        pdf.set_line_width(0.1)
        pdf.set_draw_color(150)
        pdf.rect(MARGIN, MARGIN, win_w, win_h)
        pdf.set_dash_pattern(1.5, 1.5)
        if c < grid[1]:
            pdf.line(MARGIN + win_w - overlap, MARGIN, MARGIN + win_w - overlap, MARGIN + win_h)
        if r < grid[0]:
            pdf.line(MARGIN, MARGIN + win_h - overlap, MARGIN + win_w, MARGIN + win_h - overlap)
        pdf.set_dash_pattern()
        pdf.set_draw_color(0)
        # alignment crosses at the corners of the overlap bands (they coincide on neighbours)
        for x in (MARGIN + overlap / 2, MARGIN + win_w - overlap / 2):
            for y in (MARGIN + overlap / 2, MARGIN + win_h - overlap / 2):
                _cross(pdf, x, y, 3.0)
        label = (f"row {r}, col {c}   ({grid[0]} x {grid[1]}; {sheet.name or 'marker'}; 1:1, "
                 f"overlap {overlap:g} mm)")
        draw_text(pdf, MARGIN, ph - MARGIN - 2, label, size=9)
    return pdf_bytes(pdf)


def render_a4(marker: Marker, device=None) -> bytes:
    """``marker.tiled.pdf``: A4 tiles."""
    return to_tiled_pdf(marker, "a4")


def render_a3(marker: Marker, device=None) -> bytes:
    """``marker.tiled-a3.pdf``: A3 tiles."""
    return to_tiled_pdf(marker, "a3")


def render_letter(marker: Marker, device=None) -> bytes:
    """``marker.tiled-letter.pdf``: US Letter tiles (8.5 x 11 in), for printers that hold no A4."""
    return to_tiled_pdf(marker, "letter")
