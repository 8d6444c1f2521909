"""Geometry kernels on plain arrays: segments, point in polygon, polygon collision, pole overlap.

Shapes are stored flat: vertices ``float64[N, 2]`` of every ring back to back, ring ``k`` being
rows ``off[k]:off[k+1]`` (not closed); poles (inscribed circles) ``float64[M, 3]`` as
``(cx, cy, r)`` with their own offsets. A shape placed at ``(x, y)`` is its vertices plus
``(x, y)``. All predicates are exact float64 tests on CLOSED sets: touching counts as a
collision (the stand-ins are inflated by a small epsilon, so originals may still touch).
The private ``_`` kernels do no checks; the public wrappers validate their input.
"""

from __future__ import annotations

import math

import numpy as np

from kitcut.nesting.jit import njit

__all__ = ["segments_intersect", "point_in_ring", "rings_collide", "pole_overlap"]


@njit
def _orient(ax, ay, bx, by, cx, cy):
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)


@njit
def _within(ax, ay, bx, by, px, py):
    return min(ax, bx) <= px <= max(ax, bx) and min(ay, by) <= py <= max(ay, by)


@njit
def _seg_seg(ax, ay, bx, by, cx, cy, dx, dy):
    """Closed segments ab and cd share a point."""
    d1 = _orient(cx, cy, dx, dy, ax, ay)
    d2 = _orient(cx, cy, dx, dy, bx, by)
    d3 = _orient(ax, ay, bx, by, cx, cy)
    d4 = _orient(ax, ay, bx, by, dx, dy)
    if ((d1 > 0.0 and d2 < 0.0) or (d1 < 0.0 and d2 > 0.0)) and (
        (d3 > 0.0 and d4 < 0.0) or (d3 < 0.0 and d4 > 0.0)
    ):
        return True
    if d1 == 0.0 and _within(cx, cy, dx, dy, ax, ay):
        return True
    if d2 == 0.0 and _within(cx, cy, dx, dy, bx, by):
        return True
    if d3 == 0.0 and _within(ax, ay, bx, by, cx, cy):
        return True
    if d4 == 0.0 and _within(ax, ay, bx, by, dx, dy):
        return True
    return False


@njit
def _point_in(px, py, v, s, e, ox, oy):
    """Even-odd test of (px, py) in ring v[s:e] shifted by (ox, oy) (boundary: undefined)."""
    inside = False
    n = e - s
    j = e - 1
    for i in range(s, e):
        xi = v[i, 0] + ox
        yi = v[i, 1] + oy
        xj = v[j, 0] + ox
        yj = v[j, 1] + oy
        if (yi > py) != (yj > py):
            xc = xi + (py - yi) * (xj - xi) / (yj - yi)
            if px < xc:
                inside = not inside
        j = i
    return inside and n >= 3


@njit
def _collide(v, sa, ea, xa, ya, sb, eb, xb, yb, lox, loy, hix, hiy):
    """Closed rings A (v[sa:ea] + (xa, ya)) and B intersect; (lo, hi) = overlap of their bboxes."""
    if lox > hix or loy > hiy:
        return False
    ja = ea - 1
    for ia in range(sa, ea):
        ax = v[ja, 0] + xa
        ay = v[ja, 1] + ya
        bx = v[ia, 0] + xa
        by = v[ia, 1] + ya
        ja = ia
        if (ax < lox and bx < lox) or (ax > hix and bx > hix) or (ay < loy and by < loy) or (
            ay > hiy and by > hiy
        ):
            continue
        exl = min(ax, bx)
        exh = max(ax, bx)
        eyl = min(ay, by)
        eyh = max(ay, by)
        jb = eb - 1
        for ib in range(sb, eb):
            cx = v[jb, 0] + xb
            cy = v[jb, 1] + yb
            dx = v[ib, 0] + xb
            dy = v[ib, 1] + yb
            jb = ib
            if (cx < exl and dx < exl) or (cx > exh and dx > exh) or (cy < eyl and dy < eyl) or (
                cy > eyh and dy > eyh
            ):
                continue
            if _seg_seg(ax, ay, bx, by, cx, cy, dx, dy):
                return True
    # boundaries apart: one ring inside the other, or disjoint
    if _point_in(v[sa, 0] + xa, v[sa, 1] + ya, v, sb, eb, xb, yb):
        return True
    if _point_in(v[sb, 0] + xb, v[sb, 1] + yb, v, sa, ea, xa, ya):
        return True
    return False


@njit
def _proxy_deep(p, sa, ea, xa, ya, sb, eb, xb, yb, eps):
    """Overlap proxy of two sets of poles and whether two poles overlap (the shapes then do).

    The proxy sums the penetration depth of every pair of poles (times the smaller radius),
    decaying smoothly when they are apart; pairs further apart than twice their radii (plus
    4 eps) are skipped.
    """
    tot = 0.0
    deep = False
    for i in range(sa, ea):
        cx = p[i, 0] + xa
        cy = p[i, 1] + ya
        ra = p[i, 2]
        for j in range(sb, eb):
            rb = p[j, 2]
            dx = p[j, 0] + xb - cx
            dy = p[j, 1] + yb - cy
            d2 = dx * dx + dy * dy
            reach = 2.0 * (ra + rb) + 4.0 * eps
            if d2 > reach * reach:
                continue
            d = math.sqrt(d2)
            pd = ra + rb - d
            if pd > 0.0:
                deep = True
            if pd >= eps:
                val = pd
            else:
                val = eps * eps / (2.0 * eps - pd)
            tot += val * min(ra, rb)
    return tot, deep


@njit
def _proxy(p, sa, ea, xa, ya, sb, eb, xb, yb, eps):
    """The overlap proxy alone (see :func:`_proxy_deep`)."""
    return _proxy_deep(p, sa, ea, xa, ya, sb, eb, xb, yb, eps)[0]


# ---------------------------------------------------------------- public checked wrappers


def _ring(name: str, a) -> np.ndarray:
    a = np.asarray(a)
    if a.dtype != np.float64 or a.ndim != 2 or a.shape[1] != 2 or len(a) < 3:
        raise ValueError(f"{name}: expected a float64 array of shape (n >= 3, 2), got {a.dtype} {a.shape}")
    return np.ascontiguousarray(a)


def segments_intersect(a, b, c, d) -> bool:
    """Closed segments ``ab`` and ``cd`` share a point (touching and collinear overlap count)."""
    vals = [float(t) for p in (a, b, c, d) for t in p]
    return bool(_seg_seg(*vals))


def point_in_ring(point, ring) -> bool:
    """``point`` strictly inside ``ring`` (points on the boundary: either answer)."""
    r = _ring("ring", ring)
    return bool(_point_in(float(point[0]), float(point[1]), r, 0, len(r), 0.0, 0.0))


def rings_collide(a, b, offset_a=(0.0, 0.0), offset_b=(0.0, 0.0)) -> bool:
    """The closed polygons ``a + offset_a`` and ``b + offset_b`` share a point."""
    a = _ring("a", a)
    b = _ring("b", b)
    v = np.ascontiguousarray(np.vstack([a, b]))
    xa, ya = map(float, offset_a)
    xb, yb = map(float, offset_b)
    lo_x = max(a[:, 0].min() + xa, b[:, 0].min() + xb)
    lo_y = max(a[:, 1].min() + ya, b[:, 1].min() + yb)
    hi_x = min(a[:, 0].max() + xa, b[:, 0].max() + xb)
    hi_y = min(a[:, 1].max() + ya, b[:, 1].max() + yb)
    n = len(a)
    return bool(_collide(v, 0, n, xa, ya, n, n + len(b), xb, yb, lo_x, lo_y, hi_x, hi_y))


def pole_overlap(poles_a, poles_b, eps: float) -> float:
    """The overlap proxy of two pole sets ``float64[m, 3]`` (cx, cy, r)."""
    pa = np.asarray(poles_a, dtype=np.float64).reshape(-1, 3)
    pb = np.asarray(poles_b, dtype=np.float64).reshape(-1, 3)
    if eps <= 0:
        raise ValueError(f"eps must be > 0, got {eps}")
    p = np.ascontiguousarray(np.vstack([pa, pb]))
    return float(_proxy(p, 0, len(pa), 0.0, 0.0, len(pa), len(p), 0.0, 0.0, float(eps)))
