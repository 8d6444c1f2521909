"""Marks drawn as lines inside a piece: notches (a slit, a V, a T).

Plain DXF has no layers that say what a line is, so the shape decides: a short straight line
from the cut line is a slit; a short line from the cut line to a tip and back is a V notch; a
short bar across a slit's inner end makes it a T notch. Lines drawn with arrowheads (a grain
line) are read by :mod:`~kitcut.formats.reading.arrow_lines`.
"""

from __future__ import annotations

import math

import numpy as np

from kitcut.formats.reading.build import RawNotch

__all__ = ["is_straight", "v_notch", "t_notch"]


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
