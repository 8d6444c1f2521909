"""Slow, obviously correct references for the nesting kernels (shapely and plain Python)."""

from __future__ import annotations

import math

import numpy as np
from shapely.geometry import LineString, Point, Polygon


def segments_intersect(a, b, c, d) -> bool:
    return LineString([a, b]).intersects(LineString([c, d]))


def point_in_ring(point, ring) -> bool:
    return Polygon(ring).contains(Point(point))


def rings_collide(a, b, offset_a=(0.0, 0.0), offset_b=(0.0, 0.0)) -> bool:
    return Polygon(np.asarray(a) + offset_a).intersects(Polygon(np.asarray(b) + offset_b))


def pole_overlap(poles_a, poles_b, eps: float) -> float:
    tot = 0.0
    for ax, ay, ra in poles_a:
        for bx, by, rb in poles_b:
            d = math.dist((ax, ay), (bx, by))
            if d > 2 * (ra + rb) + 4 * eps:
                continue
            pd = ra + rb - d
            val = pd if pd >= eps else eps * eps / (2 * eps - pd)
            tot += val * min(ra, rb)
    return tot


def random_polygon(rng: np.random.Generator, n: int = 9, radius: float = 1.0, spikiness: float = 0.6):
    """A random star-shaped (often concave) simple polygon, ccw, around the origin."""
    ang = np.sort(rng.uniform(0, 2 * np.pi, n))
    r = radius * (1 - spikiness * rng.random(n))
    return np.column_stack([r * np.cos(ang), r * np.sin(ang)])


def placed(shape, rotation_deg: float, mirrored: bool, translation) -> np.ndarray:
    """The placement transform written out independently of kitcut."""
    p = np.array(shape, dtype=float)
    if mirrored:
        p[:, 1] *= -1
    t = math.radians(rotation_deg)
    rot = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
    return p @ rot.T + np.asarray(translation, dtype=float)
