"""Marks drawn as lines inside a piece: notches (a slit, a V, a T) and arrowed lines.

Plain DXF has no layers that say what a line is, so the shape decides: a short straight line
from the cut line is a slit; a short line from the cut line to a tip and back is a V notch; a
short bar across a slit's inner end makes it a T notch. A grain line is often drawn with
arrowheads, as one polyline or as separate short legs at its ends; its direction is its shaft,
the longest straight run, never the chord from the first to the last point.
"""

from __future__ import annotations

import math

import numpy as np

from kitcut.formats.reading.build import RawNotch

__all__ = ["is_straight", "v_notch", "t_notch", "shaft", "arrowed", "is_arrowhead"]


def is_straight(pts: np.ndarray, rel: float = 1e-3) -> bool:
    """Every point of the polyline lies within ``rel`` of its chord's length from the chord."""
    a, b = pts[0], pts[-1]
    L = float(np.linalg.norm(b - a))
    if L == 0:
        return False
    d = (b - a) / L
    r = pts - a
    return float(np.abs(r[:, 0] * d[1] - r[:, 1] * d[0]).max()) <= rel * L


def v_notch(pts: np.ndarray, src: str) -> RawNotch:
    """The V notch drawn as a short open line from the cut line in and back out to it: at the
    middle of its mouth, cutting towards its tip, as deep and wide as drawn."""
    a, b = pts[0], pts[-1]
    mid = 0.5 * (a + b)
    tip = pts[int(np.argmax(np.linalg.norm(pts - mid, axis=1)))]
    depth = float(np.linalg.norm(tip - mid))
    angle = math.degrees(math.atan2(tip[1] - mid[1], tip[0] - mid[0]))
    return RawNotch(float(mid[0]), float(mid[1]), z=depth, width=float(np.linalg.norm(b - a)), angle=angle,
                    kind="v", source=src)


def t_notch(notches: list, ring: np.ndarray, bar_mid: np.ndarray, near: float) -> RawNotch | None:
    """The slit notch whose inner end the middle of a short bar meets (a T notch), or None."""
    from shapely.geometry import LinearRing, Point

    edge = LinearRing(ring)
    for n in notches:
        if n.line is None or n.kind != "slit":
            continue
        inner = max(n.line, key=lambda q: edge.distance(Point(q)))
        if float(np.linalg.norm(inner - bar_mid)) <= near:
            return n
    return None


def shaft(pts: np.ndarray, deg: float = 0.5) -> np.ndarray:
    """The longest straight run of a polyline (consecutive segments within ``deg`` degrees of
    one direction) as its two end points ``float64[2, 2]``."""
    pts = np.asarray(pts, dtype=np.float64)
    keep = np.r_[True, np.linalg.norm(np.diff(pts, axis=0), axis=1) > 0]
    pts = pts[keep]
    if len(pts) < 2:
        return pts[[0, 0]]
    d = np.diff(pts, axis=0)
    ang = np.arctan2(d[:, 1], d[:, 0])
    best, best_len = (0, 1), -1.0
    start = 0
    tol = math.radians(deg)
    for k in range(1, len(d) + 1):
        along = k < len(d) and abs((ang[k] - ang[start] + math.pi) % (2 * math.pi) - math.pi) <= tol
        if not along:
            length = float(np.linalg.norm(pts[k] - pts[start]))
            if length > best_len:
                best, best_len = (start, k), length
            start = k
    return pts[list(best)]


def arrowed(pts: np.ndarray) -> np.ndarray | None:
    """The shaft of a line drawn with arrowheads, else ``None``: every point off the shaft lies
    within 30 % of its length from one of its ends, back along it at 10 to 60 degrees."""
    pts = np.asarray(pts, dtype=np.float64)
    a, b = shaft(pts)
    L = float(np.linalg.norm(b - a))
    if L == 0 or len(pts) < 3:
        return None
    u = (b - a) / L
    r = pts - a
    off = np.abs(r[:, 0] * u[1] - r[:, 1] * u[0]) > 1e-3 * L
    for p in pts[off]:
        end, back = (a, u) if np.linalg.norm(p - a) <= np.linalg.norm(p - b) else (b, -u)
        d = float(np.linalg.norm(p - end))
        if d > 0.3 * L or not _ARROW_COS[0] <= float(np.dot(p - end, back)) / d <= _ARROW_COS[1]:
            return None
    return np.array([a, b])


#: An arrowhead's legs point back along the line at 10 to 60 degrees: their cosines.
_ARROW_COS = (math.cos(math.radians(60)), math.cos(math.radians(10)))


def is_arrowhead(pts: np.ndarray, shafts: np.ndarray, near: float) -> bool:
    """A short straight leg from an end of a straight line (``shafts``: rows of an end, the
    other end and the length, ``float64[k, 5]``), pointing back along that line at 10 to 60
    degrees from it and no longer than a quarter of it: half of an arrowhead."""
    L = float(np.linalg.norm(pts[-1] - pts[0]))
    if not len(shafts) or L == 0:
        return False
    for p, q in ((pts[0], pts[-1]), (pts[-1], pts[0])):
        for ex, ey, ox, oy, length in shafts[np.linalg.norm(shafts[:, :2] - p, axis=1) <= near]:
            back = np.array([ox - ex, oy - ey]) / length
            cos = float(np.dot(back, (q - p) / L))
            if L <= 0.25 * length and _ARROW_COS[0] <= cos <= _ARROW_COS[1]:
                return True
    return False
