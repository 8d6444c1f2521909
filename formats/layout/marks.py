"""Marks on a placed piece as a pen or a knife draws them: notch shapes, grain lines and their
arrow heads kept on their piece, and where a piece's label goes.

>>> notch_points(0.0, 0.0, 0.0, "v", 4.0, 2.0).tolist()
[[0.0, -1.0], [4.0, 0.0], [0.0, 1.0]]
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["notch_points", "arrow_heads", "label_point", "grain_on_piece"]


def notch_points(x: float, y: float, angle_deg: float, kind: str, depth: float, width: float) -> np.ndarray:
    """The drawn shape of a notch (piece coordinates): a slit, a V or a three-sided slot.

    The first point lies on the cut line; a slit goes ``depth`` into the piece along ``angle_deg``.
    """
    a = math.radians(angle_deg)
    d = np.array([math.cos(a), math.sin(a)])
    n = np.array([-d[1], d[0]])
    p = np.array([x, y], dtype=float)
    depth = depth if depth and depth > 0 else 5.0
    if kind == "v" and width > 0:
        return np.array([p - n * width / 2, p + d * depth, p + n * width / 2])
    if kind in ("u", "castle") and width > 0:
        return np.array(
            [
                p - n * width / 2,
                p - n * width / 2 + d * depth,
                p + n * width / 2 + d * depth,
                p + n * width / 2,
            ]
        )
    return np.array([p, p + d * depth])


def arrow_heads(line: np.ndarray, size: float) -> list[np.ndarray]:
    """Head strokes of a double-headed arrow along ``line`` (first to last point)."""
    heads = []
    for tip, base in ((line[-1], line[-2]), (line[0], line[1])):
        d = tip - base
        n = float(np.hypot(*d))
        if n <= 0:
            continue
        d = d / n
        for s in (1, -1):
            a = math.radians(25 * s)
            r = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
            heads.append(np.array([tip - size * (r @ d), tip]))
    return heads


def label_point(outline: np.ndarray) -> tuple[float, float]:
    from shapely.geometry import Polygon
    from shapely.ops import polylabel

    poly = Polygon(outline)
    if not poly.is_valid:
        poly = poly.buffer(0)
    if poly.is_empty:
        c = outline.mean(axis=0)
        return float(c[0]), float(c[1])
    if poly.geom_type != "Polygon":
        poly = max(poly.geoms, key=lambda g: g.area)
    size = max(poly.bounds[2] - poly.bounds[0], poly.bounds[3] - poly.bounds[1])
    pt = polylabel(poly, tolerance=max(size / 50.0, 0.5))
    return float(pt.x), float(pt.y)


def grain_on_piece(g: np.ndarray, outline: np.ndarray) -> np.ndarray:
    """The grain line as a pen draws it: on the piece. CAD draws it past a small piece (CLO: a
    180 mm grain on a 20 mm strap) or beside one; drawn as it is, the pen crosses the next piece.
    Its longest part on the piece is kept when that holds half of it (or of the piece's extent
    that way); else it is drawn, in its own direction, through the piece's middle (its centroid,
    or where its label goes when the centroid is off the piece)."""
    from shapely.geometry import LineString, Polygon

    poly = Polygon(outline)
    if not poly.is_valid:
        poly = poly.buffer(0)
    line = LineString(g)
    if poly.is_empty or poly.buffer(0.5).covers(line):
        return g
    d = (g[-1] - g[0]) / float(np.hypot(*(g[-1] - g[0])))
    extent = float(np.ptp(outline @ d))

    def longest(geom):
        parts = [p for p in getattr(geom, "geoms", [geom]) if p.geom_type == "LineString" and p.length > 0]
        return max(parts, key=lambda p: p.length) if parts else None

    def along(part) -> np.ndarray:  # in the grain's own direction (its arrow says which way)
        a = np.asarray(part.coords, dtype=float)
        return a if float((a[-1] - a[0]) @ d) >= 0 else a[::-1]

    best = longest(line.intersection(poly))
    if best is not None and best.length >= 0.5 * min(line.length, extent):
        return along(best)
    mid = poly.centroid
    c = np.array((mid.x, mid.y)) if poly.contains(mid) else np.array(label_point(outline))
    half = 0.5 * min(line.length, 0.6 * extent)
    best = longest(LineString([c - half * d, c + half * d]).intersection(poly))
    return g if best is None else along(best)
