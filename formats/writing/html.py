"""``marker.html``: an interactive view of a marker in one self-contained file.

The page holds the marker as JSON (:func:`viewer_data`) and a small hand-written viewer
(``viewer/viewer.js`` and ``viewer/viewer.css``, package data read when a page is written), all
inline: it needs no network and opens from a USB stick. The viewer draws on a ``<canvas>``:
zoom and pan (wheel, drag, pinch, "fit"), pieces coloured by size, order or fabric category,
layers (notches, drills, grain, internal and sew lines, labels), a piece's facts on hover or tap
(found through a grid of bounding boxes, then a point-in-polygon test), a search box, a ruler
and the waste at the end of the marker.

Output is deterministic (no dates; numbers rounded to 0.1 mm) and, as for every writer, written
atomically by :mod:`kitcut.formats.writing.export`. Kit pages embed the same viewer
(:mod:`kitcut.formats.writing.html_pages`).

>>> html_text("a <b> & \\x1b")
'a &lt;b&gt; &amp; \\ufffd'
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from kitcut.fileio import atomic_write
from kitcut.formats.layout.page import Sheet, build_sheet
from kitcut.formats.reading.sizes import size_key
from kitcut.formats.writing.svg import xml_text
from kitcut.model import Marker

__all__ = ["VIEW_FORMAT", "viewer_data", "end_waste", "html_text", "json_script", "viewer_block", "page",
           "marker_html", "render", "write_marker_html", "asset"]

VIEW_FORMAT = "kitcut-marker-view"
NO_KEY = "\u2014"  # the legend entry of pieces without a size, order or category


@functools.lru_cache(maxsize=8)
def asset(name: str) -> str:
    """The text of a viewer file (``viewer.js``, ``viewer.css``) shipped with kitcut."""
    return resources.files("kitcut.formats.writing").joinpath("viewer", name).read_text(encoding="utf-8")


def html_text(value) -> str:
    """``value`` as HTML text: escaped, characters a document cannot hold shown as U+FFFD."""
    return html.escape(xml_text(str(value)), quote=True)


def _n(v: float) -> float | int:
    """A coordinate as written: 0.1 mm, integers without a decimal point, never ``-0``."""
    r = round(float(v), 1)
    return int(r) if r == int(r) else r


def _flat(points) -> list:
    return [_n(v) for v in np.asarray(points, dtype=float).reshape(-1)]


def end_waste(sheet: Sheet, bins: int | None = None) -> tuple[float, list[tuple[float, float]]]:
    """The fabric left free at the end of the marker: ``(area, step outline)``.

    The usable width is cut into ``bins`` bands (about 2.5 mm each by default); in each band
    the rightmost point of any piece (at the band's edges or at a vertex inside it) is found
    exactly, so everything between it and the end line is free fabric: the area is a lower
    bound of the free fabric at the end, short of it by at most a band around each piece's
    top and bottom. A band that no piece reaches counts from the deepest point of that edge
    (a strip along the whole marker is not waste at its end). Area in mm²; the outline runs
    from ``(length, margin)`` along the pieces' ragged right edge to ``(length, width - margin)``.

    >>> import numpy as np
    >>> from kitcut.model import Marker, Piece, Placement, Rules
    >>> a = Piece("A", np.array([(0, 0), (200, 0), (200, 50), (0, 50)]))
    >>> b = Piece("B", np.array([(0, 0), (100, 0), (100, 50), (0, 50)]))
    >>> m = Marker((a, b), Rules(width=100), (Placement(0, 0, 0, False, (0, 0)),
    ...            Placement(1, 0, 0, False, (0, 50))), length=200)
    >>> end_waste(build_sheet(m))[0]  # 100 x 50 mm beside B
    5000.0
    >>> round(end_waste(build_sheet(m), bins=3)[0], 2)  # the band 33-67 holds the end of A
    3333.33
    """
    lo, hi, length = sheet.margin, sheet.width - sheet.margin, sheet.length
    if length <= 0 or hi <= lo:
        return 0.0, []
    n = bins or int(min(max((hi - lo) / 2.5, 16), 600))
    ys = np.linspace(lo, hi, n + 1)
    right = np.full(n, -np.inf)
    for p in sheet.pieces:
        b = p.bounds
        j0 = max(int(np.searchsorted(ys, b[1], side="right")) - 1, 0)
        j1 = min(int(np.searchsorted(ys, b[3], side="left")), n)
        if j1 <= j0:
            continue
        edge_y = ys[j0:j1 + 1]
        a = np.asarray(p.outline, dtype=float)  # the outline bounds every cut-out
        c = np.roll(a, -1, axis=0)
        y0, y1, x0, x1 = a[:, 1], c[:, 1], a[:, 0], c[:, 0]
        yy = edge_y[:, None]
        cross = (np.minimum(y0, y1) <= yy) & (yy <= np.maximum(y0, y1))
        flat = y1 == y0
        t = np.where(flat, 0.0, (yy - y0) / np.where(flat, 1.0, y1 - y0))
        xs = np.where(cross, np.where(flat, np.maximum(x0, x1), x0 + t * (x1 - x0)), -np.inf).max(axis=1)
        band = np.maximum(xs[:-1], xs[1:])  # at a band's edges
        k = np.clip(np.searchsorted(ys, a[:, 1], side="right") - 1, j0, j1 - 1)  # vertices inside
        inner = (a[:, 1] > ys[k]) & (a[:, 1] < ys[k + 1])
        np.maximum.at(band, k[inner] - j0, a[inner, 0])
        right[j0:j1] = np.maximum(right[j0:j1], band)
    seen = np.isfinite(right)  # a band no piece reaches is free from where the pieces' edge is deepest
    right = np.clip(np.where(seen, right, right[seen].min() if seen.any() else 0.0), 0.0, length)
    area = float(((length - right) * np.diff(ys)).sum())
    poly = [(length, lo)]
    for j in range(n):
        if j and right[j] == right[j - 1]:
            poly[-1] = (right[j], ys[j + 1])
            continue
        poly += [(right[j], ys[j]), (right[j], ys[j + 1])]
    poly.append((length, hi))
    return area, poly


def _keys(values: list[str | None], key=None) -> tuple[list[str], dict]:
    names = sorted({v for v in values if v}, key=key or str.casefold)
    if any(not v for v in values):
        names.append(NO_KEY)
    return names, {v: i for i, v in enumerate(names)}


def viewer_data(marker: Marker, info: Sequence[dict] | None = None) -> dict:
    """The JSON object the viewer draws (marker mm, y up, numbers at 0.1 mm).

    ``info`` gives, per placement, what the marker itself does not know: ``order``,
    ``garment``, ``bundle`` (``tee M #2``), ``piece`` (the name to show) and ``copy`` (text).
    """
    sheet = build_sheet(marker)
    k = sheet.width / marker.width if marker.width else 1.0  # marker units -> mm
    if info is not None and len(info) != len(sheet.pieces):
        raise ValueError(f"info has {len(info)} entries for {len(sheet.pieces)} placements")
    info = list(info) if info is not None else [{} for _ in sheet.pieces]
    copies: dict[int, int] = {}
    for p in sheet.pieces:
        copies[p.placement.piece] = copies.get(p.placement.piece, 0) + 1
    sizes, size_ix = _keys([p.piece.size for p in sheet.pieces], size_key)
    orders, order_ix = _keys([i.get("order") for i in info])
    cats, cat_ix = _keys([p.piece.category for p in sheet.pieces])
    pieces = []
    for p, extra in zip(sheet.pieces, info, strict=True):
        pc, pl = p.piece, p.placement
        d = {
            "n": str(extra.get("piece") or pc.name), "s": pc.size or "",
            "c": str(extra.get("copy") or f"{pl.copy + 1} of {copies[pl.piece]}"),
            "o": extra.get("order") or "", "g": extra.get("garment") or "", "bu": extra.get("bundle") or "",
            "cat": pc.category or "", "r": round(float(pl.rotation_deg) % 360.0, 3),
            "m": int(bool(pl.mirrored)),
            "a": round(pc.area * k * k, 1), "b": [_n(v) for v in p.bounds],
            "k": [size_ix[pc.size or NO_KEY], order_ix[extra.get("order") or NO_KEY],
                  cat_ix[pc.category or NO_KEY]],
            "p": _flat(p.outline),
        }
        feats = {"h": list(p.cutouts), "nt": [s.points for s in p.notches], "gr": [s.points for s in p.grain],
                 "il": [s.points for s in p.internal], "sw": [s.points for s in p.sew]}
        for key, rings in feats.items():
            if rings:
                d[key] = [_flat(r) for r in rings]
        if p.drills:
            d["dr"] = [[_n(h.x), _n(h.y), _n(h.diameter or 0.0)] for h in p.drills]
        t = p.label
        label = f"{extra['piece']} ({pc.size})" if extra.get("piece") and pc.size else t.text
        d["lb"] = [_n(t.x), _n(t.y), round(t.height, 2), round(t.angle_deg, 2), label]
        pieces.append(d)
    area, poly = end_waste(sheet)
    fabric = sheet.length * sheet.width
    return {
        "format": VIEW_FORMAT, "version": 1, "name": sheet.name or "", "unit": sheet.unit,
        # the length to the micrometre: rounded to 0.1 mm here and to 1 mm on the page, 1,562.47 mm
        # showed as 1.563 m, where every other file and page says 1.562
        "length": round(float(sheet.length), 3), "width": _n(sheet.width), "margin": _n(sheet.margin),
        "efficiency": round(sheet.efficiency, 5), "pieces_area": round(marker.pieces_area * k * k, 1),
        "waste": {"area": round(area, 1), "share": round(area / fabric, 5) if fabric else 0.0,
                  "poly": [_n(v) for xy in poly for v in xy]},
        "keys": {"size": sizes, "order": orders, "category": cats},
        "pieces": pieces,
    }


def json_script(element_id: str, data) -> str:
    """``data`` as an inert JSON ``<script>`` (``<``, ``>`` and ``&`` escaped: no text ends it early)."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{html_text(element_id)}">{text}</script>'


def viewer_block(element_id: str, data: dict, *, full: bool = False) -> str:
    """A viewer of ``data`` (mounted by the page's script) and its embedded JSON."""
    cls = "kv kv-full" if full else "kv"
    return f'<div class="{cls}" data-src="{html_text(element_id)}"></div>\n{json_script(element_id, data)}'


def page(title: str, body: str, *, viewer: bool = True) -> str:
    """A whole HTML document: inline CSS, ``body``, and the viewer script when ``viewer``."""
    script = f"<script>\n{asset('viewer.js')}</script>\n" if viewer else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"kitcut\">\n"
        "<link rel=\"icon\" href=\"data:,\">\n"
        f"<title>{html_text(title)}</title>\n<style>\n{asset('viewer.css')}</style>\n</head>\n"
        f"<body>\n{body}\n{script}</body>\n</html>\n"
    )


def marker_html(marker: Marker, info: Sequence[dict] | None = None) -> str:
    """The text of ``marker.html``: one full-window viewer of ``marker``."""
    data = viewer_data(marker, info)
    u = data["unit"]
    # as the page shows them (``:g`` wrote a 167,518.6 mm marker as "167519 mm")
    length = f"{data['length'] / 1000:,.3f} m" if u == "mm" else f"{data['length']:,.1f} {u}"
    width = f"{data['width']:,.0f} mm" if u == "mm" else f"{data['width']:,.1f} {u}"
    title = f"{marker.name or 'marker'}: {length} × {width}"
    return page(title, viewer_block("marker-data", data, full=True))


def render(marker: Marker, device=None) -> str:
    """Export-format entry point (``nest export -f html``)."""
    return marker_html(marker)


def write_marker_html(marker: Marker, path: str | Path, info: Sequence[dict] | None = None) -> Path:
    """Write ``marker.html`` atomically (``info``: see :func:`viewer_data`)."""
    atomic_write(path, marker_html(marker, info))
    return Path(path)
