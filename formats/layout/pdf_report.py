"""The marker report as a one-page A4 PDF: the figures of :func:`marker_report` and an overview."""

from __future__ import annotations

from kitcut.formats.layout.page import PAPER_MM, build_sheet
from kitcut.formats.layout.pdf import draw_folded, new_pdf, pdf_bytes, scale_text
from kitcut.formats.layout.pdf_fonts import draw_text, use_font
from kitcut.formats.layout.pdf_legend import draw_legend, fit_named
from kitcut.formats.writing.devices import Device
from kitcut.formats.writing.report import marker_report
from kitcut.model import Marker

__all__ = ["report_rows", "render"]


def _mm(v: float) -> str:
    return f"{v:,.1f} mm"


def report_rows(rep: dict) -> list[tuple[str, str]]:
    """The report as (label, value) rows, in print order."""
    t = rep["cutting_time_s"]
    rows = [
        ("Marker", rep["name"] or "-"),
        ("Length", _mm(rep["length_mm"])),
        ("Width (usable)", f"{_mm(rep['width_mm'])} ({_mm(rep['usable_width_mm'])})"),
        ("Efficiency", f"{rep['efficiency_pct']:.1f} %"),  # not the 4-digit fraction: rounded twice
        (
            "Fabric per ply",
            f"{_mm(rep['fabric_length_mm'])} incl. 2 x {_mm(rep['end_allowance_mm'])} ends, "
            f"{rep['fabric_area_m2']:.3f} m2",
        ),
        ("Pieces", f"{rep['pieces']} ({rep['pieces_area_m2']:.3f} m2)"),
        ("Pieces per size", ", ".join(f"{k}: {v}" for k, v in rep["pieces_per_size"].items())),
        ("Pieces per category", ", ".join(f"{k}: {v}" for k, v in rep["pieces_per_category"].items())),
        ("Total cut length", _mm(rep["cut_length_mm"])),
        ("Notches / drill holes", f"{rep['notch_count']} / {rep['drill_count']}"),
        ("Pen (marking) length", _mm(rep["pen_length_mm"])),
        (
            "Air moves (ordered / unordered)",
            f"{_mm(rep['air_move_mm'])} / {_mm(rep['air_move_unordered_mm'])}",
        ),
        ("Device", f"{rep['device']}" + (f", {rep['bites']} bites" if rep["bites"] else "")),
        (
            "Estimated cutting time",
            f"{t['total'] / 60:.1f} min (knife {t['knife']:.0f} s, notches {t['notches']:.0f} s, "
            f"drills {t['drills']:.0f} s, pen {t['pen']:.0f} s, air {t['air']:.0f} s)" if t else
            f"- ({rep.get('device_misfit')})",
        ),
    ]
    m = rep.get("matching")
    if m:
        cost = "-"
        if m["cost_pct"] is not None:
            cost = f"{m['cost_pct']:+.1f} % against plain fabric ({_mm(m['plain_length_mm'])})"
        (rx, ry), (px, py) = m["repeat_mm"], m["phase_mm"]
        way = "" if m["symmetric"] else ", one way"
        rows.append(("Repeat (along, across)", f"{rx:g} x {ry:g} mm, phase {px:g}, {py:g}{way}"))
        rows.append(("Matched pieces", ", ".join(m["matched_pieces"]) or "none"))
        rows.append(("Matching cost", cost))
    for z in rep.get("zones", []):
        x0, y0, x1, y1 = z["bounds_mm"]
        allows = f", allows {', '.join(z['allow'])}" if z["allow"] else ""
        rows.append((f"Zone {z['name']}", f"x {x0:g}-{x1:g}, y {y0:g}-{y1:g} mm{allows}"))
    return rows


#: the least height (mm) left for the overview under the figures; less, and it has a page of its own
OVERVIEW_MIN_MM = 60.0


def render(marker: Marker, device: Device | None = None) -> bytes:
    """``marker.report.pdf``."""
    sheet = build_sheet(marker)
    rep = marker_report(marker, device, sheet=sheet)
    w, h = PAPER_MM["a4"]
    pdf = new_pdf(f"Marker report {marker.name or ''}".strip())
    pdf.add_page(format=(w, h))
    draw_text(pdf, 15, 20, f"Marker report: {marker.name or 'marker'}", "B", 14)
    y = 30.0
    for label, value in report_rows(rep):
        draw_text(pdf, 15, y, label, "B", 9)
        text = use_font(pdf, value, "", 9)
        pdf.set_xy(75, y - 3.2)
        pdf.multi_cell(w - 90, 4.2, text)
        y = max(y + 6.0, pdf.get_y() + 5.0)  # the gap under a wrapped value as under one line (1.8 mm)
    top = y + 4
    if h - top - 2 * 15.0 < OVERVIEW_MIN_MM:  # the figures took the page: the overview on the next
        pdf.add_page(format=(w, h))
        draw_text(pdf, 15, 20, f"Marker report: {marker.name or 'marker'} (overview)", "B", 12)
        top = 28.0
    bands, keys, legend = fit_named(pdf, sheet, (w, h), margin=15.0, reserve_top=top)
    draw_folded(pdf, sheet, bands, fill=True, line_mm=0.15, keys=keys)
    draw_text(pdf, 15, h - 8, f"overview at {scale_text(bands[0][0].scale)}", "", 8)  # on its page
    draw_legend(pdf, bands[-1][0], legend)
    return pdf_bytes(pdf)
