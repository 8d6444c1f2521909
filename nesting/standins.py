"""Conservative stand-ins of the pieces: inflated (never shrunk) outlines and their poles.

The search nests stand-ins, the writers use the originals. A stand-in contains the original
outline offset by ``spacing / 2 + eps`` (mitred offset, optionally simplified after a further
offset, always checked to contain the offset original), so two stand-ins that do not overlap
keep their originals ``spacing`` apart. Poles are disjoint inscribed circles of the stand-in,
largest first: the overlap proxy of the search measures how deep they penetrate each other.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import Polygon

from kitcut.errors import GeometryError
from kitcut.model.geometry import as_ring
from kitcut.nesting.inscribed import clearest_circle

__all__ = ["MAX_VERTICES", "standin", "poles"]

MAX_VERTICES = 64


def _polygon(ring: np.ndarray, name: str) -> Polygon:
    poly = Polygon(ring)
    if not poly.is_valid:
        # a self-touching or self-crossing outline: cover every part of it
        fixed = shapely.make_valid(poly)
        parts = [g for g in getattr(fixed, "geoms", [fixed]) if g.geom_type in ("Polygon", "MultiPolygon")]
        if not parts:
            raise GeometryError("outline has no area", piece=name)
        poly = shapely.unary_union(parts)
    if poly.area <= 0:
        raise GeometryError("outline has no area", piece=name)
    return poly


def _exterior(geom) -> Polygon:
    """The outer ring of ``geom`` as a polygon; several parts are covered by their convex hull."""
    if geom.geom_type == "MultiPolygon":
        geom = geom.convex_hull
    return Polygon(geom.exterior)


def standin(ring: np.ndarray, offset: float, *, name: str = "") -> np.ndarray:
    """The ccw stand-in ring of ``ring`` inflated by ``offset`` (> 0), at most ~MAX_VERTICES."""
    if offset <= 0:
        raise ValueError("a stand-in must be inflated by a positive offset")
    poly = _polygon(np.asarray(ring, dtype=np.float64), name)
    target = _exterior(poly.buffer(offset, join_style="mitre", mitre_limit=2.0))
    best = target
    if len(target.exterior.coords) - 1 > MAX_VERTICES:
        minx, miny, maxx, maxy = poly.bounds
        diam = float(np.hypot(maxx - minx, maxy - miny))
        for rel in (0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.004, 0.008):
            tol = rel * diam
            cand = _exterior(target.buffer(tol, join_style="mitre", mitre_limit=2.0)).simplify(tol)
            if cand.is_valid and cand.contains(target):
                best = cand
                if len(cand.exterior.coords) - 1 <= MAX_VERTICES:
                    break
    out = as_ring(np.asarray(best.exterior.coords), ccw=True)
    return np.ascontiguousarray(out)


def poles(ring: np.ndarray, *, max_poles: int = 10, coverage: float = 0.93, most: int = 24,
          enough: float = 0.8) -> np.ndarray:
    """Disjoint inscribed circles ``float64[m, 3]`` (cx, cy, r) of ``ring``, largest first.

    Each circle is the largest inside the ring and clear of the circles before it (found within
    0.2 % of the ring's diameter, :func:`~kitcut.nesting.inscribed.clearest_circle`). Circles
    are added until they cover ``coverage`` of the area, or there are ``max_poles`` of them
    covering ``enough`` of it, or ``most`` of them. A circle smaller than 2 % of the diameter of
    the ring (or, for a long narrow piece, than half its first circle) is too small to steer the
    search and ends the list: a binding or waistband 30 times as long as it is wide gets a row
    of equal circles along its length.
    """
    poly = Polygon(ring)
    outline = np.asarray(poly.exterior.coords, dtype=np.float64)[:-1]
    area = poly.area
    minx, miny, maxx, maxy = poly.bounds
    diam = float(np.hypot(maxx - minx, maxy - miny))
    out = np.zeros((most, 3))
    m = 0
    covered = 0.0
    smallest = 0.0
    while m < most and not (m >= max_poles and covered >= enough * area):
        cx, cy, r = clearest_circle(outline, out[:m], diam * 0.002)
        if not r > 0 or r < smallest:  # (a NaN ends the list too)
            break
        if m == 0:
            smallest = min(0.02 * diam, 0.5 * r)
        out[m] = cx, cy, r
        m += 1
        covered += math.pi * r * r
        if covered >= coverage * area:
            break
    return np.ascontiguousarray(out[:m])
