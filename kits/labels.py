"""Printable piece labels with QR codes (PDF, A4 sheets of 3 × 8 labels of 70 × 37 mm).

Every cut piece gets one label: order, garment, size and garment number (the bundle), piece,
copy, side and fabric, and a QR code holding :func:`qr_payload` (``kitcut:`` followed by the
cut's code ``order/garment/size/garment_no/piece/copy``). The QR code is embedded as a
one-pixel-per-module image, drawn 26 mm wide inside a white quiet zone.

A text too long for its label is drawn smaller, down to :data:`MIN_PT`, then shortened with
``...`` (:func:`fit_text`; the shortening is :func:`kitcut.cells.shorten`, which the labels on
the pieces use too); the size and garment number are never cut: ``Poloshirt Classic L;XL #1``
in 6 pt, a longer garment name as ``Poloshirt Clas... L;XL #1``.
"""

from __future__ import annotations

import io
import os

from kitcut.cells import ELLIPSIS, one_line, shorten
from kitcut.fileio import atomic_write
from kitcut.formats.layout.pdf_fonts import font_note, use_font
from kitcut.kits.picklist import Cut, sort_cuts

__all__ = ["qr_payload", "qr_matrix", "write_labels_pdf", "fit_text", "pdf_text", "LABEL_W_MM", "LABEL_H_MM",
           "COLUMNS", "ROWS"]

LABEL_W_MM = 70.0
LABEL_H_MM = 297.0 / 8
COLUMNS = 3
ROWS = 8
QR_MM = 26.0
#: The smallest font (points) a label text is shrunk to before it is shortened.
MIN_PT = 6.0
#: A size and garment number longer than a label at :data:`MIN_PT` shrink down to this.
LAST_PT = 4.0


def qr_payload(cut: Cut) -> str:
    """The text a label's QR code holds: ``kitcut:A-1042/tee/M/2/Front/1``."""
    return "kitcut:" + cut.code


def _qr(payload: str):
    """The QR code of ``payload``: ISO 8859-1, a QR code's default, when it fits (no ECI needed),
    else UTF-8 with its ECI designator (26), so that readers do not guess the encoding: without
    it, zbar read ``Basic Tee ü 基本`` as Shift JIS (``Basic Tee ﾃｼ 蝓ｺ譛ｬ``). UTF-8 is asked for by
    name: left to choose, segno takes Shift JIS (ECI 20) for a payload that fits it (Japanese,
    Cyrillic, Greek), and Shift JIS has no backslash nor tilde (``a\\b~c`` read ``a¥b‾c``)."""
    import segno

    try:
        payload.encode("latin-1")
    except UnicodeEncodeError:
        return segno.make(payload, error="m", micro=False, eci=True, encoding="utf-8")
    return segno.make(payload, error="m", micro=False, eci=True)


def qr_matrix(payload: str) -> list[list[int]]:
    """The QR code of ``payload`` as rows of 0/1 modules (1 = dark), without quiet zone."""
    return [list(row) for row in _qr(payload).matrix]


def pdf_text(s: object) -> str:
    """Text the PDF core fonts can show (Latin-1; other characters become ``?``). Labels draw
    their texts with :func:`kitcut.formats.layout.pdf_fonts.use_font`, which keeps every script."""
    return str(s).encode("latin-1", "replace").decode("latin-1")


def _png(payload: str) -> io.BytesIO:
    buf = io.BytesIO()
    _qr(payload).save(buf, kind="png", scale=1, border=0)
    buf.seek(0)
    return buf


def fit_text(pdf, text: str, style: str, size: float, width: float, keep: str = "") -> tuple[str, float]:
    """``(text to draw, points)``: ``text + keep`` in at most ``width`` mm, the font of ``pdf``
    set for it. Drawn at ``size`` when it fits, else smaller (down to :data:`MIN_PT`), else
    ``text`` shortened with :data:`ELLIPSIS` so that ``keep`` shows whole; a ``keep`` that
    does not fit alone shrinks further (down to :data:`LAST_PT`) before it too is shortened
    (the QR code holds every field whole).
    """
    def fits(t: str, pt: float) -> str | None:
        shown = use_font(pdf, t, style, pt)
        return shown if pdf.get_string_width(shown) <= width else None

    def ok(t: str) -> bool:
        return fits(t, pt) is not None

    pt = size
    while True:
        shown = fits(text + keep, pt)
        if shown is not None:
            return shown, pt
        if pt <= MIN_PT:
            break
        pt = max(MIN_PT, pt - 0.5)
    short = shorten(text, ok, keep)
    if short is not None:
        return fits(short, pt), pt
    tail = keep.strip()
    while pt > LAST_PT:
        pt = max(LAST_PT, pt - 0.5)
        shown = fits(tail, pt)
        if shown is not None:
            return shown, pt
    return use_font(pdf, shorten(tail, ok) or ELLIPSIS, style, pt), pt


def write_labels_pdf(cuts: list[Cut], path: str | os.PathLike, *, title: str = "") -> int:
    """Write one label per cut (in bundle order) to ``path``; returns the number of pages."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creator("kitcut")
    pdf.set_title(title or "kitcut labels")  # PDF metadata is Unicode whatever the fonts
    ordered = sort_cuts(cuts)
    for i, cut in enumerate(ordered):
        slot = i % (COLUMNS * ROWS)
        if slot == 0:
            pdf.add_page()
        col, row = slot % COLUMNS, slot // COLUMNS
        x0, y0 = col * LABEL_W_MM, row * LABEL_H_MM
        pdf.set_draw_color(200, 200, 200)
        pdf.rect(x0 + 1, y0 + 1, LABEL_W_MM - 2, LABEL_H_MM - 2)
        pad = (LABEL_H_MM - QR_MM) / 2
        pdf.image(_png(qr_payload(cut)), x=x0 + pad, y=y0 + pad, w=QR_MM, h=QR_MM)
        tx = x0 + QR_MM + 2 * pad
        tw = LABEL_W_MM - (tx - x0) - 2
        lines = [
            ("B", 9, str(cut.order), ""),
            ("B", 9, str(cut.garment), f" {cut.size} #{cut.garment_no}"),
            ("", 8, str(cut.piece), ""),
            ("", 7, f"copy {cut.copy}/{cut.of} {cut.side}", ""),
            ("", 7, str(cut.fabric), ""),
        ]
        y = y0 + pad
        for style, size, text, keep in lines:
            s, _ = fit_text(pdf, one_line(text), style, size, tw, one_line(keep))
            pdf.set_xy(tx, y)
            pdf.cell(tw, size * 0.45, s)
            y += size * 0.45 + 1.0
    if not ordered:
        pdf.add_page()
    note = font_note(pdf)
    if note:  # on a page of its own: the label sheets are full to their edges
        pdf.add_page()
        pdf.set_font("Helvetica", "", 11)
        pdf.set_text_color(200, 0, 0)
        pdf.set_xy(15, 20)
        pdf.multi_cell(180, 6, note)
    atomic_write(path, bytes(pdf.output()))
    return pdf.pages_count
