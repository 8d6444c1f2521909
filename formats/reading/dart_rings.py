"""Closed darts drawn inside a piece (plain DXF): fish-eye darts, never cut out.

A fish-eye (double-pointed) dart is drawn as a closed line, two legs meeting in a point at each
end: a lens or a diamond, long and narrow. It is sewn, not cut: the fabric inside it is folded
into the seam. Read as a ring inside a piece it was a cut-out, and a bodice back cut with two
holes of 4,300 mm² each (Valentina's flat export, once its sew line was read; probe 35). A ring
inside a piece that is pointed at both ends of its length (at most :data:`TIP_DEG` there), at
least :data:`ASPECT` times as long as it is wide and fills a third to three quarters of its box
(a diamond half, a lens two thirds; a rectangle or an oval is no dart) is a dart: drawn on the
piece as an internal line, reported. A thin slot is the slot rule's
(:func:`~kitcut.formats.reading.artwork.slot_rings`).
"""

from __future__ import annotations

import math

import numpy as np

from kitcut.formats.reading.artwork import cutouts_where
from kitcut.formats.reading.chains import dedupe

__all__ = ["ASPECT", "TIP_DEG", "is_dart", "dart_rings"]

#: A dart is at least this many times as long as it is wide ...
ASPECT = 2.5
#: ... and its legs meet at each end at an angle of at most this (degrees).
TIP_DEG = 60.0


def _angle(ring: np.ndarray, k: int) -> float:
    """The angle (degrees) between the two sides of ``ring`` (its points, not closed) at point ``k``."""
    n = len(ring)
    a, b = ring[(k - 1) % n] - ring[k], ring[(k + 1) % n] - ring[k]
    na, nb = float(np.hypot(*a)), float(np.hypot(*b))
    if na == 0.0 or nb == 0.0:
        return 180.0
    return math.degrees(math.acos(max(-1.0, min(1.0, float(a @ b) / (na * nb)))))


def is_dart(pts: np.ndarray, area: float) -> bool:
    """Whether the ring ``pts`` (of ``area``) is drawn as a fish-eye dart (module docstring)."""
    ring = np.asarray(pts, dtype=np.float64)
    if len(ring) > 1 and np.array_equal(ring[0], ring[-1]):
        ring = ring[:-1]
    ring = dedupe(ring)
    if len(ring) < 4:
        return False
    d = np.hypot(ring[:, None, 0] - ring[None, :, 0], ring[:, None, 1] - ring[None, :, 1])
    i, j = np.unravel_index(int(np.argmax(d)), d.shape)
    length = float(d[i, j])
    if length <= 0.0:
        return False
    axis = (ring[j] - ring[i]) / length
    across = (ring - ring[i]) @ np.array([-axis[1], axis[0]])
    width = float(np.ptp(across))
    if width <= 0.0 or length < ASPECT * width or not 0.33 <= area / (length * width) <= 0.75:
        return False
    return _angle(ring, int(i)) <= TIP_DEG and _angle(ring, int(j)) <= TIP_DEG


def dart_rings(rings: list, role: list[str], parent: list[int]) -> dict[int, list[int]]:
    """``{piece ring: [dart rings in it]}``: the cut-outs of each piece drawn as fish-eye darts
    (:func:`is_dart`). ``rings`` are ``(area, points, layer)``."""
    return cutouts_where(rings, role, parent, lambda k: is_dart(rings[k][1], rings[k][0]))
