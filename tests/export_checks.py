"""Helpers of the export tests: compare replayed paths with placed outlines."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LinearRing, LineString


def max_gap(points: np.ndarray, ring: np.ndarray, closed: bool = True) -> float:
    """Largest distance from ``points`` to the polyline/ring ``ring``."""
    geom = LinearRing(ring) if closed else LineString(ring)
    return float(shapely.distance(shapely.points(np.asarray(points, dtype=float)), geom).max())


def same_ring(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    """True when every vertex of each ring lies within ``tol`` of the other ring."""
    return max_gap(a, b) <= tol and max_gap(b, a) <= tol


def match_rings(found: list[np.ndarray], expected: list[np.ndarray], tol: float) -> list[int]:
    """For each found ring the index of the expected ring it equals; each expected ring once."""
    used = set()
    out = []
    centres = np.array([e.mean(axis=0) for e in expected])
    for ring in found:
        c = ring[:-1].mean(axis=0) if np.allclose(ring[0], ring[-1]) else ring.mean(axis=0)
        order = np.argsort(np.hypot(*(centres - c).T))
        hit = next(
            (int(j) for j in order[:8] if int(j) not in used and same_ring(ring, expected[j], tol)), None
        )
        assert hit is not None, f"a replayed ring near {c} matches no placed outline within {tol} mm"
        used.add(hit)
        out.append(hit)
    return out
