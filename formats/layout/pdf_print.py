"""Digital textile print file: the roll at 1:1, pieces filled with bleed, registration marks.

Each piece is filled with the colour of its category (else size) and a ``BLEED`` mm bleed
beyond the cut line, so a slightly off cut still shows colour to the edge; the cut line itself
is drawn hair-thin in magenta (the "CutContour" convention; fpdf2 writes it as an RGB colour,
not a named spot colour). Registration marks (circle and cross) run along both selvedges every
``MARK_STEP`` mm, at the same place in the matching cut files' frame. ``scale`` applies a
per-fabric shrinkage factor (1.0 = none) along both axes.
"""

from __future__ import annotations

import numpy as np
from shapely.geometry import Polygon

from kitcut.formats.layout.page import Page, Sheet, build_sheet, fill_colour
from kitcut.formats.layout.pdf import _pts, add_page_1to1, draw_design, new_pdf, pdf_bytes
from kitcut.formats.layout.pdf_fonts import draw_text, pdf_label
from kitcut.model import Marker

__all__ = ["BLEED", "MARK_STEP", "EDGE", "registration_marks", "to_print_pdf", "render"]

BLEED = 3.0
MARK_STEP = 500.0
EDGE = 20.0


def registration_marks(sheet: Sheet) -> list[tuple[float, float]]:
    """Mark centres (marker mm): every ``MARK_STEP`` along both edges, outside the fabric width."""
    xs = list(np.arange(0.0, sheet.length + 1e-9, MARK_STEP))
    if sheet.length - xs[-1] > 1e-6:
        xs.append(sheet.length)
    return [(float(x), y) for x in xs for y in (-EDGE / 2, sheet.width + EDGE / 2)]


def to_print_pdf(marker: Marker | Sheet, *, bleed: float = BLEED, scale: float = 1.0) -> bytes:
    sheet = marker if isinstance(marker, Sheet) else build_sheet(marker)
    size = ((sheet.length + 2 * EDGE) * scale, (sheet.width + 2 * EDGE) * scale)
    pdf = new_pdf(f"{sheet.name or 'marker'} print")
    add_page_1to1(pdf, size)  # longer than 5080 mm: /UserUnit
    page = Page(size, EDGE * scale, scale, (0.0, 0.0))
    draw_design(pdf, sheet, page, line_mm=0.2)
    for p in sheet.pieces:
        colour = fill_colour(p.piece.category or p.piece.size or p.piece.name)
        poly = Polygon(p.outline).buffer(bleed, join_style="mitre", mitre_limit=2.0)
        rings = [poly] if poly.geom_type == "Polygon" else list(poly.geoms)
        pdf.set_fill_color(*colour)
        for g in rings:
            pdf.polygon(_pts(page, np.asarray(g.exterior.coords)[:-1]), style="F")
        pdf.set_fill_color(255)
        for c in p.cutouts:
            inner = Polygon(c).buffer(-bleed, join_style="mitre")
            if not inner.is_empty and inner.geom_type == "Polygon":
                pdf.polygon(_pts(page, np.asarray(inner.exterior.coords)[:-1]), style="F")
        pdf.set_draw_color(236, 0, 140)
        pdf.set_line_width(0.1)
        pdf.polygon(_pts(page, p.outline), style="D")
        for c in p.cutouts:
            pdf.polygon(_pts(page, c), style="D")
        t = pdf_label(p, pdf)  # sized for the text drawn (transliterated without a font)
        ((x, y),) = _pts(page, [(t.x, t.y)])
        pdf.set_text_color(60)
        with pdf.rotation(t.angle_deg, x, y):
            draw_text(pdf, x, y, t.text, size=t.height * scale * 72 / 25.4 * 0.6, centre=True)
    draw_design(pdf, sheet, page, line_mm=0.2, marks=True)
    pdf.set_draw_color(0)
    pdf.set_line_width(0.3)
    r = 4.0 * scale
    for mx, my in registration_marks(sheet):
        ((x, y),) = _pts(page, [(mx, my)])
        pdf.circle(x, y, r, style="D")
        pdf.line(x - 1.6 * r, y, x + 1.6 * r, y)
        pdf.line(x, y - 1.6 * r, x, y + 1.6 * r)
    pdf.set_text_color(0)
    draw_text(pdf, EDGE * scale + 10, size[1] - 3,
              f"{sheet.title} - print 1:1, scale {scale:g}, bleed {bleed:g} mm", size=8)
    return pdf_bytes(pdf)


def render(marker: Marker, device=None) -> bytes:
    """``marker.print.pdf``."""
    return to_print_pdf(marker)
