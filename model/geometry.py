"""Small geometry helpers on ``float64[n, 2]`` arrays, shared by readers, writers and kits.

A *ring* is an ``(n, 2)`` array of distinct points, not closed (the first point is not
repeated). The placement transform of a piece is::

    placed = R(rotation_deg) @ M(mirrored) @ p + translation

where ``M`` mirrors across the x axis (``y -> -y``) and ``R`` rotates counter-clockwise about
the piece's origin. It is the only transform kitcut uses, from the nesting core to the writers.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["as_ring", "ring_area", "transform_points", "rotation_matrix", "readonly", "parts_on",
           "segment_feet",
           "apart", "turned_box_sides"]


def readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def as_ring(points, *, ccw: bool | None = True) -> np.ndarray:
    """Return ``points`` as a read-only ``float64[n, 2]`` ring.

    A repeated closing point is dropped. With ``ccw=True`` (``False``) the ring is returned
    counter-clockwise (clockwise); ``None`` keeps the given order.

    >>> as_ring([(0, 0), (0, 1), (1, 1), (1, 0), (0, 0)]).tolist()
    [[1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    """
    a = np.array(points, dtype=np.float64).reshape(-1, 2)
    if len(a) > 1 and np.array_equal(a[0], a[-1]):
        a = a[:-1]
    if ccw is not None and len(a) >= 3 and (ring_area(a) > 0) != ccw:
        a = a[::-1].copy()
    return readonly(np.ascontiguousarray(a))


def ring_area(ring: np.ndarray) -> float:
    """Signed area (shoelace), positive for counter-clockwise rings; taken about the ring's first
    vertex, so that a ring drawn far from the origin (10^7 mm) keeps its digits (about the
    origin its area lost one part in 10^6, and a marker's efficiency with it)."""
    if len(ring) == 0:
        return 0.0
    x = ring[:, 0] - ring[0, 0]
    y = ring[:, 1] - ring[0, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def segment_feet(a: np.ndarray, b: np.ndarray, p) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each segment ``a[i]`` → ``b[i]``: how far along it (0 to 1) its point nearest to ``p``
    lies, that point, and its distance from ``p`` (a segment of no length: its start).

    >>> t, foot, d = segment_feet(np.array([[0.0, 0.0], [4.0, 0.0]]), np.array([[4.0, 0.0], [4.0, 4.0]]),
    ...                           np.array([1.0, 3.0]))
    >>> t.tolist(), foot.tolist(), d.tolist()
    ([0.25, 0.75], [[1.0, 0.0], [4.0, 3.0]], [3.0, 3.0])
    """
    ab = b - a
    L2 = (ab * ab).sum(axis=1)
    t = np.clip(((p - a) * ab).sum(axis=1) / np.where(L2 > 0, L2, 1.0), 0.0, 1.0)
    foot = a + t[:, None] * ab
    return t, foot, np.hypot(*(foot - p).T)


def rotation_matrix(rotation_deg: float) -> np.ndarray:
    t = math.radians(rotation_deg)
    c, s = math.cos(t), math.sin(t)
    return np.array([[c, -s], [s, c]])


def transform_points(
    points: np.ndarray, rotation_deg: float = 0.0, mirrored: bool = False, translation=(0.0, 0.0)
) -> np.ndarray:
    """Apply the placement transform (see the module docstring) to ``points``.

    >>> transform_points(np.array([[1.0, 2.0]]), 90, True, (10, 0)).round(9).tolist()
    [[12.0, 1.0]]
    """
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if mirrored:
        p = p * np.array([1.0, -1.0])
    return p @ rotation_matrix(rotation_deg).T + np.asarray(translation, dtype=np.float64)


def parts_on(points: np.ndarray, closed: bool, outline: np.ndarray, slack: float) -> list[np.ndarray] | None:
    """The parts of a line (a polyline, closed or not) on the polygon ``outline``, each longer than
    ``slack``: ``None`` when the line lies within ``slack`` of the polygon (nothing to cut off), an
    empty list when no part of it is on it.

    >>> square = np.array([(0, 0), (10, 0), (10, 9), (0, 9)])
    >>> [p.tolist() for p in parts_on(np.array([(-0.4, 5.0), (20.0, 5.0)]), False, square, 1e-6)]
    [[[0.0, 5.0], [10.0, 5.0]]]
    """
    from shapely.geometry import LineString, Polygon

    pts = np.asarray(points, dtype=np.float64)
    poly = Polygon(outline)
    if len(pts) < 2:
        return None
    line = LineString(np.vstack([pts, pts[:1]]) if closed else pts)
    if line.length == 0 or poly.buffer(slack).covers(line):
        return None
    inside = line.intersection(poly)
    return [np.asarray(g.coords, dtype=np.float64) for g in getattr(inside, "geoms", [inside])
            if g.geom_type == "LineString" and g.length > slack]


def apart(items: list, near: float) -> list:
    """``items`` (with ``x`` and ``y``) without any within ``near`` of an earlier one kept."""
    kept: list = []
    for it in items:
        if all(math.hypot(it.x - o.x, it.y - o.y) > near for o in kept):
            kept.append(it)
    return kept


def turned_box_sides(points) -> tuple[float, float]:
    """``(short, long)``: the sides of the smallest rectangle round ``points`` in any turn (shapely's
    oriented envelope); ``(0, length)`` for points on one line, ``(0, 0)`` for fewer than two."""
    import shapely

    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(pts) < 2:
        return 0.0, 0.0
    box = shapely.minimum_rotated_rectangle(shapely.multipoints(pts))
    if box.geom_type != "Polygon":  # on one line (or one point)
        return 0.0, float(box.length)
    sides = np.hypot(*np.diff(np.asarray(box.exterior.coords), axis=0).T)
    return float(sides.min()), float(sides.max())
