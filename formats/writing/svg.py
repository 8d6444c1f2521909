"""SVG views of a marker: the screen preview (``marker.svg``) and a 1:1 drawing.

The viewBox is in marker millimetres; the marker's y axis points up the picture (selvedge
``y = 0`` at the bottom edge of the strip), so the drawing looks as it does in pattern CAD.
Pieces are filled lightly by category/size and carry their label, grain arrow, notches and drill
marks; the strip frame carries width, length and efficiency.

>>> from kitcut.formats.writing.svg import svg_y
>>> svg_y(0.0, width=1500.0)
1500.0
"""

from __future__ import annotations

import re

import numpy as np
import svgwrite

from kitcut.formats.layout.page import Sheet, build_sheet, fill_colour, fmt_num
from kitcut.model import Marker

__all__ = ["to_svg", "svg_y", "SCREEN_PX", "render_preview", "render_overview", "render_full"]

#: The box the preview is scaled to fit (pixels).
SCREEN_PX = (1600.0, 900.0)


def svg_y(y: float, *, width: float) -> float:
    """Marker y (up) -> SVG y (down) inside a strip of ``width``."""
    return width - y


#: Characters XML 1.0 cannot hold (control characters but tab and line ends, lone surrogates,
#: U+FFFE/U+FFFF): a name carrying one would make the whole file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` as XML can hold it (any script is fine; forbidden characters become U+FFFD).

    >>> xml_text("前片\x1b") == "前片\ufffd"
    True
    """
    return _NOT_XML.sub("\ufffd", text)


def _pts(points: np.ndarray, width: float) -> str:
    """Path data of an open polyline."""
    p = np.asarray(points, dtype=float)
    return "M" + " L".join(f"{fmt_num(x)},{fmt_num(width - y)}" for x, y in p)


def _path_d(rings, width: float) -> str:
    parts = []
    for r in rings:
        p = np.asarray(r, dtype=float)
        parts.append("M" + " L".join(f"{fmt_num(x)},{fmt_num(width - y)}" for x, y in p) + " Z")
    return " ".join(parts)


#: A character's width in a sans-serif font, in ems, a little over the widest fonts' average
#: (Helvetica's digits 0.556); a CJK character takes two of these (its two terminal cells)
CHAR_EM = 0.6


def title_size(text: str, size: float, room: float) -> float:
    """The font size of the title ``text``: ``size``, or smaller so that it fits ``room`` (drawing
    units from its start). A one-garment marker, 0.7 m long, showed its title cut after
    "width 1,500." (the efficiency and piece count lost) at a size set by the fabric's width."""
    from rich.cells import cell_len

    return min(size, room / (CHAR_EM * max(cell_len(text), 1)))


def to_svg(marker: Marker | Sheet, *, scale: str = "screen", title: bool = True, fill: bool = True) -> str:
    """The SVG text of ``marker``.

    ``scale="screen"`` fits the picture into :data:`SCREEN_PX` (the preview);
    ``scale="1:1"`` gives the document a size in mm so it prints at full size.
    """
    sheet = marker if isinstance(marker, Sheet) else build_sheet(marker)
    W, L = sheet.width, sheet.length
    x0, y0, x1, y1 = sheet.extent
    pad = max(0.01 * max(L, W), 5.0)
    head = max(0.04 * W, 12.0) if title else 0.0
    vb_x, vb_y = x0 - pad, (W - y1) - pad - head
    vb_w, vb_h = (x1 - x0) + 2 * pad, (y1 - y0) + 2 * pad + head
    if scale == "1:1":
        size = (f"{fmt_num(vb_w, 3)}mm", f"{fmt_num(vb_h, 3)}mm")
    else:
        k = min(SCREEN_PX[0] / vb_w, SCREEN_PX[1] / vb_h)
        size = (fmt_num(vb_w * k, 1), fmt_num(vb_h * k, 1))
    dwg = svgwrite.Drawing(size=size, debug=False)
    dwg.viewbox(
        float(fmt_num(vb_x, 3)), float(fmt_num(vb_y, 3)), float(fmt_num(vb_w, 3)), float(fmt_num(vb_h, 3))
    )
    dwg.set_desc(title=xml_text(sheet.name or "marker"), desc=xml_text(sheet.title))
    line = max(0.0008 * max(L, W), 0.3)
    # strip frame (fabric), usable band and the marker length
    dwg.add(
        dwg.rect(
            (0, 0),
            (fmt_num(L), fmt_num(W)),
            id="strip",
            fill="#f4f4f4",
            stroke="#555",
            stroke_width=fmt_num(line * 1.5, 3),
        )
    )
    if sheet.margin > 0:
        dwg.add(
            dwg.rect(
                (0, fmt_num(sheet.margin)),
                (fmt_num(L), fmt_num(W - 2 * sheet.margin)),
                id="usable",
                fill="none",
                stroke="#aaa",
                stroke_width=fmt_num(line, 3),
                stroke_dasharray=f"{fmt_num(8 * line)},{fmt_num(6 * line)}",
            )
        )
    if title:
        dwg.add(
            dwg.text(
                xml_text(sheet.title),
                insert=(0, fmt_num(-head * 0.3)),
                id="title",
                font_size=fmt_num(title_size(sheet.title, head * 0.5, x1 + pad), 3),
                font_family="sans-serif",
                fill="#222",
            )
        )
    _design(dwg, sheet, line)
    pieces = dwg.g(id="pieces", stroke="#000", stroke_width=fmt_num(line, 3), stroke_linejoin="round")
    for p in sheet.pieces:
        g = dwg.g(id=f"piece-{p.index}", **{"class": "piece"})
        side = " mirrored" if p.placement.mirrored else ""
        g.set_desc(title=xml_text(f"{p.name} copy {p.placement.copy}{side}"))
        colour = fill_colour(p.piece.category or p.piece.size or p.piece.name) if fill else None
        paint = svgwrite.rgb(*colour) if colour else "none"
        d = _path_d((p.outline, *p.cutouts), W)
        g.add(dwg.path(d=d, fill=paint, fill_rule="evenodd", **{"class": "cut"}))
        for s in p.internal + p.sew:
            g.add(
                dwg.path(
                    d=_pts(s.points, W),
                    fill="none",
                    stroke="#666",
                    stroke_dasharray=f"{fmt_num(4 * line)},{fmt_num(3 * line)}",
                    **{"class": s.feature},
                )
            )
        for s in p.notches:
            g.add(dwg.path(d=_pts(s.points, W), fill="none", **{"class": "notch"}))
        for s in p.grain:
            g.add(dwg.path(d=_pts(s.points, W), fill="none", stroke="#1a4f9c", **{"class": "grain"}))
        for h in p.drills:
            r = (h.diameter or 3.0) / 2.0
            g.add(dwg.circle((fmt_num(h.x), fmt_num(W - h.y)), fmt_num(r), fill="none", **{"class": "drill"}))
            cross = (
                f"M{fmt_num(h.x - r)},{fmt_num(W - h.y)} h{fmt_num(2 * r)} "
                f"M{fmt_num(h.x)},{fmt_num(W - h.y - r)} v{fmt_num(2 * r)}"
            )
            g.add(dwg.path(d=cross, **{"class": "drill"}))
        t = p.label
        text = dwg.text(
            xml_text(t.text),
            insert=(fmt_num(t.x), fmt_num(W - t.y)),
            font_size=fmt_num(t.height),
            font_family="sans-serif",
            text_anchor="middle",
            dominant_baseline="middle",
            stroke="none",
            fill="#000",
            **{"class": "label"},
        )
        if t.angle_deg:
            text.rotate(-t.angle_deg, center=(float(fmt_num(t.x)), float(fmt_num(W - t.y))))
        g.add(text)
        pieces.add(g)
    dwg.add(pieces)
    _marks(dwg, sheet, line)
    # marker end line with its length
    dwg.add(
        dwg.line(
            (fmt_num(L), fmt_num(-pad * 0.5)),
            (fmt_num(L), fmt_num(W + pad * 0.5)),
            id="end",
            stroke="#c00",
            stroke_width=fmt_num(line * 1.5, 3),
        )
    )
    return dwg.tostring() + "\n"


def _design(dwg, sheet: Sheet, line: float) -> None:
    """Zones and the repeat's lines, under the pieces (nothing on a plain fabric)."""
    d, W, L = sheet.design, sheet.width, sheet.length
    if d.zones:
        g = dwg.g(id="zones", stroke="#be3c3c", stroke_width=fmt_num(line, 3))
        for ring, name, allow in d.zones:
            z = dwg.path(d=_path_d((ring,), W), fill="#fce2c8" if allow else "#f6c8c8", **{"class": "zone"})
            z.set_desc(title=xml_text(name + (f" (allows {', '.join(allow)})" if allow else "")))
            g.add(z)
        dwg.add(g)
    if d.xs or d.ys:
        g = dwg.g(id="repeat", stroke="#78a0d7", stroke_width=fmt_num(line * 0.5, 3), fill="none")
        path = " ".join(f"M{fmt_num(x)},0 V{fmt_num(W)}" for x in d.xs)
        path += " " + " ".join(f"M0,{fmt_num(W - y)} H{fmt_num(L)}" for y in d.ys)
        g.add(dwg.path(d=path.strip(), **{"class": "repeat"}))
        dwg.add(g)


def _marks(dwg, sheet: Sheet, line: float) -> None:
    """A small cross on every match point, over the pieces."""
    d, W = sheet.design, sheet.width
    if not d.marks:
        return
    r = max(1.5, 0.004 * max(sheet.length, W))
    a, b = fmt_num(2 * r), fmt_num(-2 * r)
    path = " ".join(f"M{fmt_num(x - r)},{fmt_num(W - y - r)} l{a},{a} "
                    f"M{fmt_num(x - r)},{fmt_num(W - y + r)} l{a},{b}" for x, y in d.marks)
    dwg.add(dwg.path(d=path, id="match", stroke="#c81e1e", stroke_width=fmt_num(line * 1.2, 3), fill="none"))


def render_preview(marker: Marker, device=None) -> str:
    """``marker.svg``: the filled, labelled preview scaled to a screen."""
    return to_svg(marker)


def render_overview(marker: Marker, device=None) -> str:
    """A reduced-scale outline overview (no fills) with length, width and efficiency."""
    return to_svg(marker, fill=False)


def render_full(marker: Marker, device=None) -> str:
    """A 1:1 SVG (document size in mm)."""
    return to_svg(marker, scale="1:1")
