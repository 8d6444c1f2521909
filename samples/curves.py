"""Drawing tools for the sample garments: Bézier curves and an outline builder with notches.

Outlines are built counter-clockwise as a chain of segments (straight lines and flattened
cubic Bézier curves). Notches are placed by arc length along a segment and inserted as
outline vertices, so they lie exactly on the cut line; the notch points into the piece (the
left normal of a counter-clockwise outline). Every coordinate is rounded to 1 µm so the DXF
files hold short, exact numbers.
"""

from __future__ import annotations

import math

import numpy as np

from kitcut.model import Line, Notch

__all__ = ["ROUND", "bezier", "rnd", "OutlineBuilder", "line", "grain"]

#: Decimals kept in every sample coordinate (mm): 1 µm.
ROUND = 3


def rnd(points) -> np.ndarray:
    """Round points to :data:`ROUND` decimals (and make ``-0.0`` plain ``0.0``)."""
    return np.round(np.asarray(points, dtype=np.float64), ROUND) + 0.0


def bezier(p0, c0, c1, p1, n: int) -> np.ndarray:
    """``n + 1`` points of the cubic Bézier curve ``p0 c0 c1 p1`` (end points included)."""
    t = np.linspace(0.0, 1.0, n + 1)[:, None]
    p0, c0, c1, p1 = (np.asarray(p, dtype=np.float64) for p in (p0, c0, c1, p1))
    return (1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * c0 + 3 * (1 - t) * t**2 * c1 + t**3 * p1


def line(*points) -> Line:
    return Line(rnd(points))


def grain(p0, p1) -> Line:
    """A grain line from ``p0`` to ``p1`` (the arrow points to ``p1``)."""
    return Line(rnd([p0, p1]))


class OutlineBuilder:
    """Collect outline segments head to tail, then :meth:`build` the ring and its notches."""

    def __init__(self, start) -> None:
        self.segments: list[np.ndarray] = []
        self._last = np.asarray(start, dtype=np.float64)
        self._notches: list[tuple[int, float, bool, str]] = []

    def to(self, p) -> int:
        """A straight segment to ``p``; returns its index."""
        seg = np.array([self._last, np.asarray(p, dtype=np.float64)])
        return self._add(seg)

    def curve(self, c0, c1, p, n: int = 24) -> int:
        """A cubic Bézier segment to ``p`` with controls ``c0 c1``, flattened to ``n`` edges."""
        return self._add(bezier(self._last, c0, c1, p, n))

    def _add(self, seg: np.ndarray) -> int:
        self.segments.append(seg)
        self._last = seg[-1]
        return len(self.segments) - 1

    def notch(self, seg: int, dist: float, *, from_end: bool = False, double: float = 0.0) -> None:
        """A notch ``dist`` mm along segment ``seg`` (from its end when ``from_end``).

        ``double`` > 0 adds a second notch that far further along (a back double notch).
        """
        self._notches.append((seg, dist, from_end, "slit"))
        if double:
            self._notches.append((seg, dist + double, from_end, "slit"))

    @staticmethod
    def _point_at(seg: np.ndarray, dist: float) -> tuple[int, np.ndarray, np.ndarray]:
        """Index to insert at, the point and the unit tangent ``dist`` along ``seg``."""
        lengths = np.hypot(*np.diff(seg, axis=0).T)
        acc = 0.0
        for i, ln in enumerate(lengths):
            if acc + ln >= dist and ln > 0:
                t = (dist - acc) / ln
                tangent = (seg[i + 1] - seg[i]) / ln
                return i + 1, seg[i] + t * (seg[i + 1] - seg[i]), tangent
            acc += ln
        raise ValueError(f"notch at {dist:.1f} mm is beyond the segment ({acc:.1f} mm)")

    def build(self) -> tuple[np.ndarray, tuple[Notch, ...]]:
        """The closed outline (not repeated at the end) and its notches."""
        segs = [s.copy() for s in self.segments]
        if np.hypot(*(segs[-1][-1] - segs[0][0])) > 1e-9:
            raise ValueError("outline does not close")
        notches = []
        # insert the farthest notches first so earlier insert indices stay valid
        wanted = []
        for seg_i, dist, from_end, kind in self._notches:
            seg = segs[seg_i]
            total = float(np.hypot(*np.diff(seg, axis=0).T).sum())
            wanted.append((seg_i, total - dist if from_end else dist, kind))
        for seg_i, dist, kind in sorted(wanted, key=lambda w: (w[0], -w[1])):
            idx, p, tangent = self._point_at(segs[seg_i], dist)
            p = rnd(p)
            segs[seg_i] = np.insert(segs[seg_i], idx, p, axis=0)
            inward = math.degrees(math.atan2(tangent[0], -tangent[1]))  # left normal (-ty, tx)
            notches.append(Notch(float(p[0]), float(p[1]), round(inward % 360.0, 3), kind, 5.0, 0.0))
        ring = np.concatenate([s[:-1] for s in segs])
        ring = rnd(ring)
        keep = np.ones(len(ring), dtype=bool)
        keep[1:] = np.any(ring[1:] != ring[:-1], axis=1)
        if np.array_equal(ring[0], ring[-1]):
            keep[-1] = False
        ring = ring[keep]
        notches.sort(key=lambda n: (n.x, n.y))
        return ring, tuple(notches)
