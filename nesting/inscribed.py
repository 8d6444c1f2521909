"""The largest circle inside a ring and clear of circles already taken: the poles' kernel.

:func:`~kitcut.nesting.standins.poles` covers a stand-in with disjoint inscribed circles,
largest first. Each new circle is the point farthest from both the ring's boundary and the
circles before it: the maximum of the clearance

    f(p) = min(signed distance from p to the ring (> 0 inside), min_i |p - c_i| - r_i)

and f(p) is its radius. f is 1-Lipschitz, so a square cell of half-size h centred at c holds no
value above f(c) + h * sqrt(2): a best-first search over cells (the "pole of inaccessibility"
search, as GEOS's maximum inscribed circle does it on a polygon) finds the maximum within
``tol``. Taking the circles as exact circles, not as the polygons a shapely difference would
cut out of the ring, keeps every search on the ring's few vertices: a piece's poles take about
a millisecond instead of the ten of the shapely search on a remainder that grows by a polygon
per circle.

The search starts from the best of a few first guesses: the ring's centroid and the middles of
the stretches of a few lines across the ring, between its crossings and the circles' (a
point inside even where the ring is narrower than ``tol``, which cells may never find), and
from a row of cells at most 256 along the ring's longer side (a ring a thousandth of a
millimetre wide would otherwise start from millions).

numba caches a kernel against its own file only, so everything the kernel calls is here.
"""

from __future__ import annotations

import math

import numpy as np

from kitcut.nesting.jit import njit

__all__ = ["clearest_circle"]

_SQRT2 = math.sqrt(2.0)
#: most first cells along a ring's longer side
_ROW = 256
#: lines across the ring whose points are first guesses
_SCANS = 8


@njit
def _clearance(px, py, ring, disks, k):
    """f(p) above: the signed distance from (px, py) to ``ring`` (even-odd inside), at most the
    clearance of each of the first ``k`` circles of ``disks``."""
    n = ring.shape[0]
    inside = False
    d2 = math.inf
    j = n - 1
    for i in range(n):
        ax, ay = ring[j, 0], ring[j, 1]
        bx, by = ring[i, 0], ring[i, 1]
        if (ay > py) != (by > py):
            if px < (bx - ax) * (py - ay) / (by - ay) + ax:
                inside = not inside
        ex, ey = bx - ax, by - ay
        ll = ex * ex + ey * ey
        t = 0.0
        if ll > 0.0:
            t = ((px - ax) * ex + (py - ay) * ey) / ll
            t = min(1.0, max(0.0, t))
        dx, dy = ax + t * ex - px, ay + t * ey - py
        d2 = min(d2, dx * dx + dy * dy)
        j = i
    d = math.sqrt(d2)
    if not inside:
        d = -d
    for q in range(k):
        c = math.hypot(px - disks[q, 0], py - disks[q, 1]) - disks[q, 2]
        if c < d:
            d = c
    return d


@njit
def _push(heap, keys, size, cell, key):
    """Add ``cell`` with priority ``key`` to the max-heap ``heap[:size]``; the new size."""
    i = size
    heap[i] = cell
    keys[i] = key
    while i > 0:
        up = (i - 1) // 2
        if keys[up] >= keys[i]:
            break
        heap[up], heap[i] = heap[i], heap[up]
        keys[up], keys[i] = keys[i], keys[up]
        i = up
    return size + 1


@njit
def _pop(heap, keys, size):
    """The cell of highest priority of ``heap[:size]``, removed; the heap is then ``size - 1``."""
    top = heap[0]
    size -= 1
    heap[0] = heap[size]
    keys[0] = keys[size]
    i = 0
    while True:
        lo, hi, best = 2 * i + 1, 2 * i + 2, i
        if lo < size and keys[lo] > keys[best]:
            best = lo
        if hi < size and keys[hi] > keys[best]:
            best = hi
        if best == i:
            break
        heap[best], heap[i] = heap[i], heap[best]
        keys[best], keys[i] = keys[i], keys[best]
        i = best
    return top


@njit
def _grown(cells, heap, keys, used):
    """The cell and heap arrays, twice as long when there is no room for cell number ``used``."""
    if used < len(heap):
        return cells, heap, keys
    n = 2 * len(heap)
    c2, h2, k2 = np.empty((n, 4)), np.empty(n, dtype=np.int64), np.empty(n)
    for i in range(used):
        for j in range(4):
            c2[i, j] = cells[i, j]
        h2[i] = heap[i]
        k2[i] = keys[i]
    return c2, h2, k2


@njit
def _scan_best(ring, disks, k, y, cuts):
    """(x, f) of the best of a few points of the line at height ``y`` inside the ring: the middle
    of each stretch between two crossings of the ring or of a circle. ``cuts`` is scratch room
    for ``len(ring) + 2 * k`` numbers. (A point well inside even where the ring is far narrower
    than the tolerance of the cell search, which may then never find one.)"""
    n = ring.shape[0]
    m = 0
    j = n - 1
    for i in range(n):
        ax, ay = ring[j, 0], ring[j, 1]
        bx, by = ring[i, 0], ring[i, 1]
        if (ay > y) != (by > y):
            cuts[m] = ax + (y - ay) * (bx - ax) / (by - ay)
            m += 1
        j = i
    for q in range(k):
        dy = y - disks[q, 1]
        if abs(dy) < disks[q, 2]:
            half = math.sqrt(disks[q, 2] * disks[q, 2] - dy * dy)
            cuts[m] = disks[q, 0] - half
            cuts[m + 1] = disks[q, 0] + half
            m += 2
    s = np.sort(cuts[:m])
    bx, bd = math.nan, -math.inf
    for i in range(m - 1):
        x = 0.5 * (s[i] + s[i + 1])
        d = _clearance(x, y, ring, disks, k)
        if d > bd:
            bx, bd = x, d
    return bx, bd


@njit
def _clearest_circle(ring, disks, k, tol):
    """(cx, cy, r): the point of largest clearance f within ``tol`` and its clearance."""
    minx, miny, maxx, maxy = math.inf, math.inf, -math.inf, -math.inf
    # the first guess: the ring's area centroid (or its first vertex, when it has no area)
    n = ring.shape[0]
    a = 0.0
    gx = 0.0
    gy = 0.0
    j = n - 1
    for i in range(n):
        minx, maxx = min(minx, ring[i, 0]), max(maxx, ring[i, 0])
        miny, maxy = min(miny, ring[i, 1]), max(maxy, ring[i, 1])
        cr = ring[j, 0] * ring[i, 1] - ring[i, 0] * ring[j, 1]
        a += cr
        gx += (ring[j, 0] + ring[i, 0]) * cr
        gy += (ring[j, 1] + ring[i, 1]) * cr
        j = i
    if a != 0.0:
        gx, gy = gx / (3.0 * a), gy / (3.0 * a)
    else:
        gx, gy = ring[0, 0], ring[0, 1]
    bx, by = gx, gy
    bd = _clearance(gx, gy, ring, disks, k)
    cuts = np.empty(n + 2 * k)
    for q in range(_SCANS):  # more first guesses, along lines across the ring
        y = miny + (q + 0.5) * (maxy - miny) / _SCANS
        x, d = _scan_best(ring, disks, k, y, cuts)
        if d > bd:
            bx, by, bd = x, y, d
    # squares of the bounding box's smaller side, at most _ROW of them along its longer one: a
    # ring a thousandth of a millimetre wide would otherwise start from millions of cells
    side = max(min(maxx - minx, maxy - miny), max(maxx - minx, maxy - miny) / _ROW)
    if not side > 0.0:
        return bx, by, bd
    cells = np.empty((1024, 4))  # cx, cy, half-size, clearance at the centre
    heap = np.empty(1024, dtype=np.int64)
    keys = np.empty(1024)  # the most clearance a cell may hold: its priority
    used = 0
    size = 0
    # the first cells
    h = side / 2.0
    x = minx
    while x < maxx:
        y = miny
        while y < maxy:
            cells, heap, keys = _grown(cells, heap, keys, used)
            d = _clearance(x + h, y + h, ring, disks, k)
            cells[used, 0], cells[used, 1], cells[used, 2], cells[used, 3] = x + h, y + h, h, d
            size = _push(heap, keys, size, used, d + h * _SQRT2)
            used += 1
            y += side
        x += side
    # best first: split the cell that may hold the most, until none may beat the best by tol
    while size > 0:
        c = _pop(heap, keys, size)
        size -= 1
        cx, cy, ch, d = cells[c, 0], cells[c, 1], cells[c, 2], cells[c, 3]
        if d > bd:
            bx, by, bd = cx, cy, d
        if d + ch * _SQRT2 - bd <= tol:
            break  # the heap's best bound: no cell left can do better by more than tol
        h = ch / 2.0
        for q in range(4):  # the four quarters
            nx = cx - h if q < 2 else cx + h
            ny = cy - h if q % 2 == 0 else cy + h
            nd = _clearance(nx, ny, ring, disks, k)
            if nd > bd:
                bx, by, bd = nx, ny, nd
            if nd + h * _SQRT2 - bd > tol:  # only a cell that may do better is kept
                cells, heap, keys = _grown(cells, heap, keys, used)
                cells[used, 0], cells[used, 1], cells[used, 2], cells[used, 3] = nx, ny, h, nd
                size = _push(heap, keys, size, used, nd + h * _SQRT2)
                used += 1
    return bx, by, bd


def clearest_circle(ring: np.ndarray, disks: np.ndarray, tol: float) -> tuple[float, float, float]:
    """The largest circle ``(cx, cy, r)`` inside ``ring`` (``float64[n, 2]``, n >= 3) and clear
    of every circle of ``disks`` (``float64[k, 3]`` as ``(cx, cy, r)``), found within ``tol``
    (> 0) of the largest radius. ``r <= 0`` when no room is left."""
    ring = np.ascontiguousarray(ring, dtype=np.float64)
    disks = np.ascontiguousarray(disks, dtype=np.float64).reshape(-1, 3)
    if ring.ndim != 2 or ring.shape[1] != 2 or len(ring) < 3:
        raise ValueError(f"a ring is float64[n >= 3, 2], not an array of shape {ring.shape}")
    if not (tol > 0 and math.isfinite(tol)):
        raise ValueError(f"the tolerance must be a positive number, not {tol!r}")
    if not (np.isfinite(ring).all() and np.isfinite(disks).all()):
        raise ValueError("the ring and the circles must have finite coordinates")
    cx, cy, r = _clearest_circle(ring, disks, len(disks), float(tol))
    return float(cx), float(cy), float(r)
