"""Naming every piece of a reduced drawing (the overview and report PDFs).

A piece's label is drawn at the height that fits on the piece; reduced to fit a page, the label
of a small piece (a tee's neckband) is too small to read (under :data:`MIN_LABEL_MM` on paper),
and was left out, so the overview did not name every piece. Such a piece now gets a number in
its label's place, and a legend under the drawing names it: ``1 = Neckband (M)``.
:func:`fit_named` fits the drawing and makes room for the legend; :func:`draw_legend` draws it.
"""

from __future__ import annotations

from kitcut.formats.layout.page import PT_PER_MM, Page, Sheet, fold
from kitcut.formats.layout.pdf_fonts import draw_text, pdf_label, use_font

__all__ = ["MIN_LABEL_MM", "KEY_MM", "label_keys", "fit_named", "draw_legend"]

#: A label drawn smaller than this (mm on paper) is not legible: the piece is numbered instead.
MIN_LABEL_MM = 0.8
#: The height (mm on paper) of the number drawn on such a piece.
KEY_MM = 1.6
_LEGEND_PT = 7.0
_GAP_MM = 4.0


def label_keys(sheet: Sheet, page: Page) -> dict[str, str]:
    """``{name: number}`` of the pieces whose labels are too small to read on ``page``, numbered
    from 1 in the order of the sheet's pieces (copies of one piece share the number). Keyed and
    named by the piece's whole name and size: a label shortened to fit its piece
    (``A-.../Tab (M)``) may be the label of a piece of another order too."""
    keys: dict[str, str] = {}
    for p in sheet.pieces:
        if pdf_label(p).height * page.scale < MIN_LABEL_MM and p.name not in keys:
            keys[p.name] = str(len(keys) + 1)
    return keys


def _rows(pdf, keys: dict[str, str], width: float) -> list[list[str]]:
    """The legend's entries (``"1 = Neckband (M)"``) flowed into rows ``width`` mm wide."""
    rows: list[list[str]] = []
    used = width
    for text, key in keys.items():
        entry = f"{key} = {text}"
        w = pdf.get_string_width(use_font(pdf, entry, "", _LEGEND_PT)) + _GAP_MM
        if used + w > width and (used > 0 or not rows):
            rows.append([])
            used = 0.0
        rows[-1].append(entry)
        used += w
    return rows


def _row_mm() -> float:
    return _LEGEND_PT / PT_PER_MM * 1.5


#: the most of a page's room (below its header) a legend takes; the rest of it goes on to a page
#: of its own (:func:`draw_legend`)
LEGEND_SHARE = 0.4


def fit_named(pdf, sheet: Sheet, size: tuple[float, float], *, margin: float,
              reserve_top: float = 0.0) -> tuple[list, dict[str, str], list[list[str]]]:
    """``(bands, keys, legend rows)``: the drawing of ``sheet`` as large as fits in ``size`` less
    ``reserve_top`` and the legend's rows under it (one band, or a long marker folded into
    several: :func:`~kitcut.formats.layout.page.fold`), the labels numbered on it and the legend.
    The legend takes at most :data:`LEGEND_SHARE` of the room; :func:`draw_legend` goes on with
    it on pages of its own (a 2,040-piece marker's 255 names left the drawing less than no room:
    its report.pdf could not be written)."""
    room = max(size[1] - reserve_top - 2 * margin, 1.0)
    legend = 0.0
    for _ in range(4):  # a legend shrinks the drawing, which may number more labels
        bands = fold(sheet.extent, (size[0], size[1] - legend), margin=margin, reserve_top=reserve_top)
        keys = label_keys(sheet, bands[0][0])
        rows = _rows(pdf, keys, size[0] - 2 * margin - 20.0)
        need = min(len(rows) * _row_mm() + (1.0 if rows else 0.0), LEGEND_SHARE * room)
        if need <= legend:
            break
        legend = need
    return bands, keys, rows


def draw_legend(pdf, page: Page, rows: list[list[str]]) -> None:
    """The legend's ``rows`` in the strip under ``page``'s drawing (``fit_named`` left it), going
    on at the top of pages of their own (the size of this one) where they are more than fit."""
    y = page.size[1] - page.margin + 1.0
    bottom = pdf.h - page.margin
    for i, row in enumerate(rows):
        y += _row_mm()
        if y > bottom:
            pdf.add_page(format=(pdf.w, pdf.h))
            y = page.margin + _row_mm()
            draw_text(pdf, page.margin, y, "Pieces (continued):", "B", _LEGEND_PT)
            y += _row_mm()
        x = page.margin
        if i == 0:
            x += draw_text(pdf, x, y, "Pieces:", "B", _LEGEND_PT) + 2.0
        else:
            x += 20.0
        for entry in row:
            x += draw_text(pdf, x, y, entry, "", _LEGEND_PT) + _GAP_MM
