"""``kit.pdf``: the kit report on paper. Its orders, metres and efficiency per fabric, the
import remarks to check before cutting, and a small drawing of each marker, each piece numbered
as the pick list numbers it (``marker #N``) where its label would go, if there is room."""

from __future__ import annotations

from pathlib import Path

from kitcut.cells import counted
from kitcut.fileio import atomic_write
from kitcut.formats.layout.marks import label_point
from kitcut.formats.layout.pdf_fonts import font_note, use_font
from kitcut.model import Marker

__all__ = ["write_kit_pdf"]


def _remarks(remarks: list[dict], pdf, most: int = 12) -> None:
    """The import remarks in the kit report: per pattern its counts, then its repairs and
    warnings (the first ``most``; every one is in kit.json)."""
    if not remarks:
        return
    pdf.ln(2)
    pdf.cell(0, 6, use_font(pdf, "Import remarks (check before cutting)", "B", 10), new_x="LMARGIN",
             new_y="NEXT")
    for r in remarks:
        head = (f"{r['order']} / {r['garment']} ({Path(r['pattern'] or '').name}): {r['repairs']} repair(s), "
                f"{r['warnings']} warning(s), {r['skipped']} skipped")
        pdf.multi_cell(0, 4.5, use_font(pdf, head, "B", 8), new_x="LMARGIN", new_y="NEXT")
        shown = [m for m in r["remarks"] if not m.startswith("skipped:")]
        for m in shown[:most]:
            pdf.multi_cell(0, 4, use_font(pdf, f"  {m[:300]}", "", 7.5), new_x="LMARGIN", new_y="NEXT")
        if len(shown) > most:
            pdf.multi_cell(0, 4, use_font(pdf, f"  ... and {len(shown) - most} more: see kit.json", "", 7.5),
                           new_x="LMARGIN", new_y="NEXT")


#: the numbers' size (pt), and the least room (mm on paper) a piece must leave around its number
_NUMBER_PT = 5.0
_NUMBER_ROOM_MM = 0.6


def _numbers(pdf, outlines: list, x0: float, base: float, scale: float, holes: list | None = None) -> None:
    """Each piece's placement number (the pick list's ``marker #N``) where its label would go
    (:func:`~kitcut.formats.layout.marks.label_point`), when the piece leaves room for it there;
    ``outlines`` are the marker's placed outlines (``holes`` their cut-outs), the drawing's origin
    is ``(x0, base)`` on paper (y up on the marker, down on the page)."""
    from shapely.geometry import Point, Polygon

    kept = pdf.font_family, pdf.font_style, pdf.font_size_pt
    pdf.set_font("helvetica", "", _NUMBER_PT)
    pdf.set_text_color(90, 90, 90)
    tall = _NUMBER_PT * 25.4 / 72.0 * 0.7  # the digits' height (mm)
    for index, outline in enumerate(outlines):
        text = str(index)
        w = pdf.get_string_width(text)
        need = max(w, tall) / 2.0 + _NUMBER_ROOM_MM  # room from the number's centre to the cut line (mm)
        poly = Polygon(outline)
        minx, miny, maxx, maxy = poly.bounds
        if min(maxx - minx, maxy - miny) * scale < 2.0 * need:
            continue  # (a piece too small on paper for its number, whatever its shape)
        cx, cy = label_point(outline, holes[index] if holes else ())
        if poly.boundary.distance(Point(cx, cy)) * scale < need:
            continue
        pdf.text(x0 + cx * scale - w / 2.0, base - cy * scale + tall / 2.0, text)
    pdf.set_text_color(0)
    pdf.set_font(*kept)


def write_kit_pdf(report: dict, markers: list[tuple[str, Marker]], path: Path) -> None:
    """``kit.pdf`` from the kit report ``report`` (``kit.json``'s dict) and its ``markers``
    (``(fabric name, marker)``), written atomically to ``path``."""
    from fpdf import FPDF

    def line(text: str, style: str = "", size: float = 9, h: float = 5) -> None:
        # wrapped: a note of 203 characters ran 320 pt off the A4 page, its advice lost on paper
        pdf.multi_cell(0, h, use_font(pdf, text, style, size), new_x="LMARGIN", new_y="NEXT")

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(True, 15)
    pdf.add_page()
    line(f"Kit {report['kit']}", "B", 14, 8)
    for o in report["orders"]:
        due = f", due {o['due']}" if o["due"] else ""
        line(f"Order {o['id']}: {o['customer']}{due}; {counted(o['garment_count'], 'garment')}, "
             f"{counted(o['pieces'], 'piece')}")
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 9)
    cols = [("fabric", 45), ("width mm", 22), ("metres", 22), ("efficiency", 25), ("pieces", 20),
            ("orders", 56)]
    for name, w in cols:
        pdf.cell(w, 6, name, border=1)
    pdf.ln()
    for f in report["fabrics"]:
        metres = f"{f['length_mm'] / 1000:.3f}"
        vals = [f["name"], f"{f['width_mm']:g}", metres, f"{100 * f['efficiency']:.1f} %",
                str(f["pieces"]), ", ".join(f["orders"])]
        for (_, w), v in zip(cols, vals, strict=True):
            pdf.cell(w, 6, use_font(pdf, v[:40], "", 9), border=1)
        pdf.ln()
    t = report["totals"]
    pdf.ln(2)
    line(f"Total {t['metres']:.3f} m of fabric, {t['pieces']} pieces, "
         f"efficiency {100 * t['efficiency']:.1f} %")
    for note in report.get("notes", []):
        line(f"Note: {note}")
    _remarks(report.get("import_remarks") or [], pdf)
    if report.get("combined"):
        c = report["combined"]
        line(f"Combining saved {c['saved_metres']:.3f} m against separate markers "
             f"({c['separate_metres']:.3f} m)")
    for name, marker in markers:  # a small drawing of each marker
        if marker.length <= 0:
            continue
        scale = min(180.0 / marker.length, 80.0 / marker.width)
        h = marker.width * scale
        if pdf.get_y() + h + 12 > 280:
            pdf.add_page()
        pdf.ln(3)
        line(f"{name}: {marker.length / 1000:.3f} m")
        x0, y0 = 15.0, pdf.get_y()
        pdf.set_draw_color(120, 120, 120)
        pdf.rect(x0, y0, marker.length * scale, h)
        pdf.set_draw_color(0, 0, 0)
        outlines = marker.placed_outlines()
        for outline in outlines:
            pts = [(x0 + float(x) * scale, y0 + h - float(y) * scale) for x, y in outline]
            pdf.polygon(pts, style="D")
        _numbers(pdf, outlines, x0, y0 + h, scale, [marker.placed_cutouts(pl) for pl in marker.placements])
        pdf.set_y(y0 + h + 2)
    font = font_note(pdf)
    if font:
        pdf.set_text_color(200, 0, 0)
        pdf.multi_cell(0, 4, font, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    atomic_write(path, bytes(pdf.output()))
