"""PDF layouts of a marker with fpdf2: the 1:1 plot and the overview, plus the shared drawing.

Units are millimetres (fpdf2 ``unit="mm"``: 1 mm = 72/25.4 pt exactly). :func:`draw_sheet`
draws any part of a marker on a page through a :class:`~kitcut.formats.layout.page.Page` transform;
the tiled, print and report PDFs reuse it. Output is deterministic: a fixed creation date.

The 1:1 plot is one page as long as the marker. A PDF page is at most 14,400 units on a side
(ISO 32000-1 Annex C; Acrobat: 200 in = 5080 mm at the default unit of 1 pt): a longer page
(:func:`add_page_1to1`) is written with ``/UserUnit`` u (a whole number: a unit of u pt) and its
content scaled by 1/u, so its MediaBox stays within 14,400 units and it still measures the
marker at 1:1 in Acrobat and the RIPs that honour ``/UserUnit`` (ISO 32000-1 §14.11.2).
"""

from __future__ import annotations

import datetime as _dt
import math
from contextlib import contextmanager
from functools import cache

from fpdf import FPDF
from fpdf.output import PDFPage

from kitcut.formats.layout.page import (
    MM_PER_UNIT,
    PAPER_MM,
    PT_PER_MM,
    Page,
    PlacedPiece,
    Sheet,
    build_sheet,
    fill_colour,
)
from kitcut.formats.layout.pdf_fonts import draw_text, font_note, pdf_label
from kitcut.formats.layout.pdf_legend import KEY_MM, MIN_LABEL_MM, draw_legend, fit_named
from kitcut.model import Marker

__all__ = [
    "new_pdf",
    "pdf_bytes",
    "pdf_text",
    "draw_sheet",
    "draw_piece",
    "render_plot",
    "render_overview",
    "FIXED_DATE",
    "scale_bar",
    "scale_text",
    "add_page_1to1",
    "PDF_MAX_UNITS",
]

FIXED_DATE = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)


def pdf_text(text: str) -> str:
    """Text the core PDF fonts can show (Latin-1; anything else becomes ``?``). Writers draw
    names with :func:`kitcut.formats.layout.pdf_fonts.use_font` instead, which keeps every script."""
    return text.encode("latin-1", "replace").decode("latin-1")


def new_pdf(title: str | None = None) -> FPDF:
    pdf = FPDF(unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_creator("kitcut")
    if title:
        pdf.set_title(title)  # PDF metadata is Unicode whatever the fonts
    pdf.set_font("helvetica", size=10)
    return pdf


#: The largest page side in PDF units (ISO 32000-1 Annex C: 14,400 units, 200 in at 1 pt a unit).
PDF_MAX_UNITS = 14400.0


@cache
def _user_unit_page(u: int) -> type:
    """fpdf2's page class with ``/UserUnit u`` in its dictionary (fpdf2 writes every public
    attribute of a page as an entry; it has no setting of its own for this one)."""
    return type(f"PDFPageUserUnit{u}", (PDFPage,), {"__slots__": (), "user_unit": u})


def add_page_1to1(pdf: FPDF, size: tuple[float, float]) -> int:
    """Add a page of ``size`` mm that measures 1:1, and return its user unit (1: plain points).

    A page longer than :data:`PDF_MAX_UNITS` pt gets ``/UserUnit`` u, the smallest whole number
    that brings it within the limit, a MediaBox of ``size`` / u, and its content scaled by 1/u:
    everything is drawn at full size in mm as on any page. :func:`pdf_bytes` closes the scaling."""
    w, h = size
    u = max(1, math.ceil(max(w, h) * PT_PER_MM / PDF_MAX_UNITS - 1e-9))
    if u == 1:
        pdf.add_page(format=size)
        return 1
    pdf.add_page(format=(w / u, h / u))
    pdf.pages[pdf.page].__class__ = _user_unit_page(u)
    # fpdf2 puts y mm at (h/u - y) * k pt; the full page wants (h - y) * k / u
    t = (h - h / u) * pdf.k / u
    pdf._out(f"q {1 / u:.12f} 0 0 {1 / u:.12f} 0 {t:.6f} cm")
    return u


def pdf_bytes(pdf: FPDF) -> bytes:
    """The finished PDF; a note at the top of page 1 when names had to be transliterated."""
    note = font_note(pdf)
    page = pdf.page
    if note and pdf.pages_count:
        pdf.page = 1
        pdf.set_font("helvetica", size=7)
        pdf.set_text_color(200, 0, 0)
        pdf.text(3, 4, note)
        pdf.set_text_color(0)
    for n, p in pdf.pages.items():  # close the scaling of the pages of add_page_1to1
        if getattr(p, "user_unit", 1) != 1:
            pdf.page = n
            pdf._out("Q")
    pdf.page = page
    return bytes(pdf.output())


def _pts(page: Page, points) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in page.to_page(points)]


def _font_pt(height_mm: float) -> float:
    return height_mm * PT_PER_MM


def draw_piece(
    pdf: FPDF,
    p: PlacedPiece,
    page: Page,
    *,
    fill: tuple[int, int, int] | None = None,
    line_mm: float = 0.3,
    labels: bool = True,
    key: str | None = None,
) -> None:
    """One placed piece: outline (and fill), cut-outs, sew/internal lines, notches, drills, grain, label
    (``key``, a number in a legend, in its place when the label is too small to read)."""
    pdf.set_line_width(line_mm)
    pdf.set_draw_color(0)
    if fill is not None:
        pdf.set_fill_color(*fill)
        pdf.polygon(_pts(page, p.outline), style="DF")
        pdf.set_fill_color(255)
        for c in p.cutouts:
            pdf.polygon(_pts(page, c), style="DF")
    else:
        pdf.polygon(_pts(page, p.outline), style="D")
        for c in p.cutouts:
            pdf.polygon(_pts(page, c), style="D")
    pdf.set_draw_color(110)
    pdf.set_line_width(line_mm * 0.6)
    for s in (*p.sew, *p.internal):
        if s.feature == "sew":
            pdf.set_dash_pattern(2.0, 1.5)
        pdf.polyline(_pts(page, s.points), polygon=s.closed)
        pdf.set_dash_pattern()
    pdf.set_draw_color(0)
    pdf.set_line_width(line_mm)
    for s in p.notches:
        pdf.polyline(_pts(page, s.points))
    for h in p.drills:
        r = (h.diameter or 3.0) / 2.0 * page.scale
        ((x, y),) = _pts(page, [(h.x, h.y)])
        pdf.line(x - r * 1.6, y, x + r * 1.6, y)
        pdf.line(x, y - r * 1.6, x, y + r * 1.6)
        pdf.circle(x, y, r, style="D")
    pdf.set_draw_color(26, 79, 156)
    for s in p.grain:
        pdf.polyline(_pts(page, s.points))
    pdf.set_draw_color(0)
    if labels:
        t = pdf_label(p, pdf)  # sized for the text drawn (transliterated without a font)
        h = t.height * page.scale
        ((x, y),) = _pts(page, [(t.x, t.y)])
        if h >= MIN_LABEL_MM:
            with pdf.rotation(t.angle_deg, x, y):
                draw_text(pdf, x, y + h * 0.35, t.text, size=_font_pt(h), centre=True)
        elif key:
            draw_text(pdf, x, y + KEY_MM * 0.35, key, "B", _font_pt(KEY_MM), centre=True)


def draw_design(pdf: FPDF, sheet: Sheet, page: Page, *, line_mm: float = 0.3, marks: bool = False) -> None:
    """The repeat's lines and the zones (under the pieces), or the match points (``marks``, over them)."""
    d = sheet.design
    if marks:
        pdf.set_draw_color(200, 30, 30)
        pdf.set_line_width(line_mm)
        r = max(1.5, 0.004 * max(sheet.length, sheet.width)) * page.scale
        for mx, my in d.marks:
            ((x, y),) = _pts(page, [(mx, my)])
            pdf.line(x - r, y - r, x + r, y + r)
            pdf.line(x - r, y + r, x + r, y - r)
        pdf.set_draw_color(0)
        return
    for ring, _name, allow in d.zones:
        pdf.set_fill_color(*((252, 226, 200) if allow else (246, 200, 200)))
        pdf.set_draw_color(190, 60, 60)
        pdf.set_line_width(line_mm * 0.6)
        pdf.polygon(_pts(page, ring), style="DF")
    pdf.set_draw_color(120, 160, 215)
    pdf.set_line_width(line_mm * 0.4)
    for x in d.xs:
        pdf.polyline(_pts(page, [(x, 0), (x, sheet.width)]))
    for y in d.ys:
        pdf.polyline(_pts(page, [(0, y), (sheet.length, y)]))
    pdf.set_draw_color(0)
    pdf.set_fill_color(255)


def draw_sheet(
    pdf: FPDF,
    sheet: Sheet,
    page: Page,
    *,
    fill: bool = False,
    line_mm: float = 0.3,
    window: tuple[float, float, float, float] | None = None,
    frame: bool = True,
    keys: dict[str, str] | None = None,
) -> None:
    """Draw ``sheet`` through ``page``; with ``window`` (marker mm) only the pieces that touch it;
    ``keys`` numbers the labels too small to read (:func:`~kitcut.formats.layout.pdf_legend.fit_named`)."""
    if frame:
        pdf.set_line_width(line_mm * 1.5)
        pdf.set_draw_color(80)
        pdf.polygon(_pts(page, [(0, 0), (sheet.length, 0), (sheet.length, sheet.width), (0, sheet.width)]))
        if sheet.margin > 0:
            pdf.set_draw_color(170)
            pdf.set_line_width(line_mm * 0.5)
            pdf.set_dash_pattern(3, 2)
            for y in (sheet.margin, sheet.width - sheet.margin):
                pdf.polyline(_pts(page, [(0, y), (sheet.length, y)]))
            pdf.set_dash_pattern()
    draw_design(pdf, sheet, page, line_mm=line_mm)
    for p in sheet.pieces if window is None else sheet.pieces_in(window):
        colour = fill_colour(p.piece.category or p.piece.size or p.piece.name) if fill else None
        draw_piece(pdf, p, page, fill=colour, line_mm=line_mm, key=(keys or {}).get(p.name))
    draw_design(pdf, sheet, page, line_mm=line_mm, marks=True)


@contextmanager
def clipped(pdf: FPDF, x: float, y: float, w: float, h: float):
    """Draw inside the rectangle (page mm) only. fpdf2's ``rect_clip`` saves and restores the
    PDF's graphics state (``q`` ... ``Q``) without telling fpdf2, which then took a font set inside
    for the font in force outside: the map labels of a folded map's later bands came out in the
    size of the last piece label. ``local_context`` keeps the two in step."""
    with pdf.local_context(), pdf.rect_clip(x, y, w, h):
        yield


def each_band(pdf: FPDF, bands, extent=None):
    """``(page, window)`` of each of the ``bands`` of :func:`~kitcut.formats.layout.page.fold`,
    what is drawn meanwhile clipped to the band (cut clean at its ends; a single band, window
    ``None``, to ``extent`` and a millimetre around it)."""
    for page, window in bands:
        w = window or extent
        (ax, ay), (bx, by) = _pts(page, [(w[0], w[3]), (w[2], w[1])])
        pad = 0.0 if window else 1.0
        with clipped(pdf, ax - pad, ay - 1.0, bx - ax + 2 * pad, by - ay + 2.0):
            yield page, window


def draw_folded(pdf: FPDF, sheet: Sheet, bands, **kw) -> None:
    """Draw ``sheet`` in the ``bands`` of :func:`~kitcut.formats.layout.page.fold`: one band whole,
    or each band clipped to its part of the marker, with where along the length it starts."""
    if len(bands) == 1 and bands[0][1] is None:
        draw_sheet(pdf, sheet, bands[0][0], **kw)
        return
    for page, w in each_band(pdf, bands):
        draw_sheet(pdf, sheet, page, window=w, **kw)
    draw_folded_starts(pdf, sheet, bands)


def draw_folded_starts(pdf: FPDF, sheet: Sheet, bands) -> None:
    """Over each band of a folded drawing (more than one), where along the marker it starts."""
    if len(bands) == 1:
        return
    for page, w in bands:
        ax, ay = _pts(page, [(w[0], w[3])])[0]
        at = max(w[0], 0.0)
        start = _length_text(round(at)) if sheet.unit in MM_PER_UNIT else f"{at:g} {sheet.unit}"
        draw_text(pdf, ax, ay - 1.8, f"from {start}", size=6.5)


def _title(pdf: FPDF, x: float, y: float, lines: list[str], size_mm: float) -> None:
    pdf.set_text_color(0)
    for i, line in enumerate(lines):
        draw_text(pdf, x, y + i * size_mm * 1.4, line, size=_font_pt(size_mm))


def _figures(sheet: Sheet) -> list[str]:
    return [
        f"Marker {sheet.name or ''}".rstrip(),
        f"length {sheet.length:,.1f} {sheet.unit}   width {sheet.width:,.1f} {sheet.unit}   "
        f"efficiency {100 * sheet.efficiency:.1f} %   {len(sheet.pieces)} pieces",
    ]


def render_plot(marker: Marker | Sheet, device=None) -> bytes:
    """``marker.pdf``: the marker at 1:1 on one page, with its frame and figures."""
    sheet = marker if isinstance(marker, Sheet) else build_sheet(marker)
    margin, head = 15.0, 20.0
    size = (sheet.length + 2 * margin, sheet.width + 2 * margin + head)
    pdf = new_pdf(sheet.name or "marker")
    add_page_1to1(pdf, size)  # longer than 5080 mm: /UserUnit
    page = Page(size, margin, 1.0, (0.0, 0.0))
    _title(pdf, margin, margin, _figures(sheet), 5.0)
    draw_sheet(pdf, sheet, page)
    return pdf_bytes(pdf)


def render_overview(marker: Marker | Sheet, device=None, *, paper: str = "a4") -> bytes:
    """``marker.overview.pdf``: the marker reduced to fit a landscape page, filled, with figures."""
    sheet = marker if isinstance(marker, Sheet) else build_sheet(marker)
    w, h = PAPER_MM[paper]
    size = (h, w)  # landscape
    pdf = new_pdf(sheet.name or "marker")
    pdf.add_page(format=size)
    bands, keys, legend = fit_named(pdf, sheet, size, margin=12.0, reserve_top=18.0)
    page = bands[0][0]
    # the ratio to three figures, and a bar of a round length to measure by: "1:7.3" was drawn at
    # 1:7.348, 0.65 % off for anyone measuring with it
    _title(pdf, 12.0, 12.0, [*_figures(sheet), f"scale {scale_text(page.scale)}"], 4.0)
    k = MM_PER_UNIT.get(sheet.unit, 1.0)
    bar = _round_length(40.0 / page.scale * k) / k  # about 40 mm on paper, in the marker's unit
    x = size[0] - 12.0 - bar * page.scale
    scale_bar(pdf, page, x, 22.0, bar)
    shown = _length_text(bar * k) if sheet.unit in MM_PER_UNIT else f"{bar:g} {sheet.unit}"
    draw_text(pdf, x, 16.0, shown, size=_font_pt(3.0))
    draw_folded(pdf, sheet, bands, fill=True, line_mm=0.15, keys=keys)
    draw_legend(pdf, bands[-1][0], legend)
    return pdf_bytes(pdf)


def _round_length(mm: float) -> float:
    """The round length (1, 2 or 5 times a power of ten mm) nearest below ``mm``.

    >>> _round_length(294.0), _round_length(1700.0), _round_length(40.0)
    (200.0, 1000.0, 20.0)
    """
    p = 10.0 ** math.floor(math.log10(max(mm, 1e-9)))
    return max(f * p for f in (1.0, 2.0, 5.0) if f * p <= mm)


def _length_text(mm: float) -> str:
    return f"{mm / 1000:g} m" if mm >= 1000 else f"{mm:g} mm"


def scale_text(scale: float) -> str:
    """A drawing's scale (``scale`` drawn mm a real mm) to three figures, never in powers of ten:
    ``1:8.93``, ``1:10.5``, ``1:236``, ``1:1,070`` (``1:1.07e+03`` with ``.3g``).

    >>> [scale_text(1 / v) for v in (8.934, 10.52, 236.4, 1070.2)]
    ['1:8.93', '1:10.5', '1:236', '1:1,070']
    """
    ratio = 1.0 / scale
    digits = 2 - math.floor(math.log10(ratio))  # after the point: negative rounds to tens, hundreds
    return f"1:{round(ratio, digits):,.{max(digits, 0)}f}"


def scale_bar(pdf: FPDF, page: Page, x_mm: float, y_mm: float, length_mm: float) -> None:
    """A bar ``length_mm`` of marker long, drawn at page position (``x_mm``, ``y_mm``)."""
    pdf.set_line_width(0.4)
    pdf.line(x_mm, y_mm, x_mm + length_mm * page.scale, y_mm)
    for x in (x_mm, x_mm + length_mm * page.scale):
        pdf.line(x, y_mm - 1.5, x, y_mm + 1.5)
