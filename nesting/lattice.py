"""The fabric's repeat as the core sees it: lattice rows of the kinds and snapping in Python.

A matched item (:class:`~kitcut.nesting.types.Match`) has a point whose placed x (y) must fall
on ``phase + offset + j * repeat``. For a kind (item and orientation, shape in its own frame)
the point sits at ``m`` from the kind's origin, so the kind's position must be on the lattice
``a + j * r`` with ``a = phase + offset - m``. :func:`kind_lattice` gives each kind its row
``(x0, y0, y1, ax, rx, ay, ry)``: the lowest x (the first lattice point right of x = 0), the
y range within the usable width (on the lattice), and the lattice of each axis (``r = 0``:
free). The kernels snap every candidate position to it; the search snaps its own moves
(cutting the strip, shrinking it) with :func:`snap_down` and :func:`snap_near`.
"""

from __future__ import annotations

import math

import numpy as np

from kitcut.model.geometry import transform_points

__all__ = ["kind_lattice", "snap_down", "snap_near", "on_lattice", "LAT_FREE"]

#: Relative slack when a position is compared with a lattice point.
_EPS = 1e-9


def LAT_FREE(obb, ymin: float, ymax: float) -> list[float]:  # noqa: N802 - a row constructor
    """The row of a kind free on both axes."""
    return [-obb[0], ymin - obb[1], ymax - obb[3], 0.0, 0.0, 0.0, 0.0]


def kind_lattice(obb, ymin: float, ymax: float, repeat, phase, match, ref, rot: float, mirrored: bool):
    """The lattice row of a kind (see the module docstring), or ``None`` when no position on the
    repeat keeps the kind inside the usable width."""
    row = LAT_FREE(obb, ymin, ymax)
    if match is None:
        return row
    rx, ry = float(repeat[0]), float(repeat[1])
    ox, oy = (float(v) for v in match.offset)
    if match.x_point is not None and rx > 0:
        m = transform_points(np.asarray(match.x_point, dtype=np.float64) - ref, rot, mirrored)[0, 0]
        ax = float(phase[0]) + ox - m
        row[0] = ax + math.ceil((row[0] - ax) / rx - _EPS) * rx
        row[3], row[4] = ax, rx
    if match.y_point is not None and ry > 0:
        m = transform_points(np.asarray(match.y_point, dtype=np.float64) - ref, rot, mirrored)[0, 1]
        ay = float(phase[1]) + oy - m
        lo, hi = row[1], row[2]
        y0 = ay + math.ceil((lo - ay) / ry - _EPS) * ry
        y1 = ay + math.floor((hi - ay) / ry + _EPS) * ry
        if y0 > y1 + _EPS * ry:
            return None
        row[1], row[2] = y0, max(y0, y1)
        row[5], row[6] = ay, ry
    return row


def snap_down(v: float, lo: float, a: float, r: float) -> float:
    """The highest lattice point <= v, not below lo (``max(v, lo)`` when r = 0)."""
    if r <= 0:
        return max(v, lo)
    return max(lo, a + math.floor((v - a) / r + _EPS) * r)


def snap_near(v: float, lo: float, hi: float, a: float, r: float) -> float:
    """The lattice point nearest to v within [lo, hi] (lo wins on an empty range)."""
    v = min(max(v, lo), max(lo, hi))
    if r <= 0:
        return v
    s = a + math.floor((v - a) / r + 0.5) * r
    if s > hi:
        s -= r
    return max(s, lo)


def on_lattice(v: float, a: float, r: float, tol: float = 1e-6) -> bool:
    """``v`` lies on ``a + j * r`` (within ``tol``, absolute)."""
    if r <= 0:
        return True
    d = (v - a) / r
    return abs(d - round(d)) * r <= tol
