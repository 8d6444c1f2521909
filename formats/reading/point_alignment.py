"""The points of a graded size's cut line that match the sample's, when either line holds points
that change nothing: points on a straight side (a converter resampling the line), a hairline
twist the reader removes, a vertex drawn twice.

AccuMark draws notches in the sample size only; they are carried to each other size point for
point (:mod:`~kitcut.formats.reading.sample_notches`). A size whose line had one such point more
matched nothing and was cut without notches, every one of them. Here the line with more points
is read without as many of them as it has more, the least deviating from the line through their
neighbours first, each within ``tol`` of it; the two match when each point is then within
``tol_far`` of its twin (the lines laid on each other by their centroids). A curve drawn with
other points stays no grade of the sample's: where a notch lies along it would be a guess.
"""

from __future__ import annotations

import numpy as np
from shapely.geometry import Polygon

from kitcut.model.geometry import segment_feet

__all__ = ["essential", "align_ring"]

#: rings of more points than this are not looked at (the search is quadratic)
MAX_POINTS = 4000


def _off(ring: np.ndarray, keep: np.ndarray, k: int) -> float:
    """How far point ``keep[k]`` lies from the line between its kept neighbours."""
    n = len(keep)
    p, x, q = ring[keep[(k - 1) % n]], ring[keep[k]], ring[keep[(k + 1) % n]]
    return float(segment_feet(p[None], q[None], x)[2][0])


def essential(ring: np.ndarray, tol: float, down_to: int = 3) -> np.ndarray | None:
    """``ring`` (closed: its first point again at its end) with ``down_to`` points left, its
    points taken out the least deviating first (from the line between their neighbours), each
    within ``tol`` of it; a closed ring again, or None when a point more than ``tol`` off would
    have to go."""
    keep = np.arange(len(ring) - 1)
    offs = np.array([_off(ring, keep, k) for k in range(len(keep))])
    while len(keep) > max(down_to, 3):
        k = int(np.argmin(offs))
        if offs[k] > tol:
            return None
        keep = np.delete(keep, k)
        offs = np.delete(offs, k)
        n = len(keep)
        for j in ((k - 1) % n, k % n):
            offs[j] = _off(ring, keep, j)
    out = ring[keep]
    return np.vstack([out, out[:1]])


def _centroid(ring: np.ndarray) -> np.ndarray:
    c = Polygon(ring).centroid
    return np.array([c.x, c.y]) if not c.is_empty else ring.mean(axis=0)


def align_ring(src: np.ndarray, dst: np.ndarray, tol_far: float,
               tol: float) -> tuple[np.ndarray, np.ndarray] | None:
    """``(src, dst)``, the one with more points read without as many of them as it has more
    (:func:`essential`), ``dst`` in ``src``'s order, direction and start, when they then match
    point for point (see the module docstring); else None. Both rings closed."""
    if max(len(src), len(dst)) > MAX_POINTS or min(len(src), len(dst)) < 4 or len(src) == len(dst):
        return None
    if len(src) > len(dst):
        src = essential(src, tol, len(dst) - 1)
    else:
        dst = essential(dst, tol, len(src) - 1)
    if src is None or dst is None or len(src) != len(dst):
        return None
    s, t = src[:-1], dst[:-1]
    s0, t0 = s - _centroid(s), t - _centroid(t)
    best = None
    for way in (1, -1):
        ring = t0[::way]
        k = int(np.argmin(np.hypot(*(ring - s0[0]).T)))  # where the sample's first point went
        far = float(np.hypot(*(np.roll(ring, -k, axis=0) - s0).T).max())
        if best is None or far < best[0]:
            best = (far, np.roll(t[::way], -k, axis=0))
    if best[0] > tol_far:
        return None
    return src, np.vstack([best[1], best[1][:1]])
