"""Cut lines drawn open at the fold (plain DXF).

A half cut on the fold is often drawn as its cut line without the fold edge, and the fold line
on a layer of its own (``FOLD``, ``Bruch``, ``mirror``) closing it, end to end or running past
its ends. Chained across layers, the fold line was taken into the outline as an edge and was
then no fold line: the half was nested as a piece, and cut as half a front with exit status 0.
Running past the ends, nothing closed, and the file was refused.

:func:`close_at_folds` closes such a cut line along the straight fold line its two ends lie on,
and leaves the fold line where it is: the piece reader then finds it along the new edge and
unfolds the half about it (:mod:`~kitcut.formats.reading.fold_edge`), as it does for a cut line
drawn closed.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import Polygon

from kitcut.formats.reading.fold_edge import FOLD_END_MM, fold_near
from kitcut.formats.reading.marks import is_straight
from kitcut.model.geometry import ring_area

__all__ = ["close_at_folds"]

#: A cut line closed at a fold encloses at least this much (mm²): a speck is no half.
_MIN_HALF_MM2 = 100.0


def _straight(pts: np.ndarray, near: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The ends of ``pts`` when every point lies within ``near`` of the line between them."""
    length = float(np.linalg.norm(pts[-1] - pts[0]))
    return (pts[0], pts[-1]) if length > near and is_straight(pts, near / length) else None


def close_at_folds(rings: list, opens: list, marks: list, is_fold, tol: float,
                   report=None) -> tuple[list, list]:
    """``(rings, opens)`` with each open line of ``opens`` (``(chain, layer)``) whose two ends lie
    on one straight fold line closed along it, as a ring ``(area, points, layer)`` of its layer
    (reported as a repair through ``report``). Fold lines are the lines of ``opens`` and
    ``marks`` on a layer ``is_fold(layer)``; they stay as they are. What stays open:

    * a line inside a piece, or inside another line closed so (a "place on fold" bracket, a dart
      drawn from the fold: they were cut out as holes), and one whose closing edge crosses it;
    * the lines ending on a fold line from both sides of it (two halves drawn either side,
      missing each other by a gap: refused as open, as before; closed, a whole piece and a stray
      half were cut)."""
    near = fold_near(tol)
    folds = [(s, layer) for ch, layer in [*opens, *marks] if is_fold(layer) and len(ch.points) >= 2
             and (s := _straight(np.asarray(ch.points, dtype=np.float64), near)) is not None]
    if not folds:
        return rings, opens
    a = np.array([f[0][0] for f in folds])
    b = np.array([f[0][1] for f in folds])
    span = np.hypot(*(b - a).T)
    d = (b - a) / span[:, None]
    reach = FOLD_END_MM + near

    def on(p: np.ndarray) -> np.ndarray:  # which fold lines the point lies on (or just past an end)
        rel = p - a
        t = np.einsum("ij,ij->i", rel, d)
        off = np.abs(rel[:, 0] * d[:, 1] - rel[:, 1] * d[:, 0])
        return (off <= near) & (t >= -reach) & (t <= span + reach)

    inside: list = []  # the pieces closed so far, as one shape: made once a line ends on a fold line

    def in_a_piece(x: float, y: float) -> bool:
        if not rings:
            return False
        if not inside:
            inside.append(shapely.union_all([Polygon(r).buffer(0) for _, r, _ in rings]))
        return bool(shapely.intersects_xy(inside[0], x, y))

    cands = []  # (index into opens, fold index, polygon, side of the fold)
    for k, (ch, layer) in enumerate(opens):
        pts = np.asarray(ch.points, dtype=np.float64)
        if is_fold(layer) or len(pts) < 3 or float(np.linalg.norm(pts[-1] - pts[0])) <= near:
            continue
        both = np.flatnonzero(on(pts[0]) & on(pts[-1]))
        if not len(both):
            continue
        f = int(both[0])
        poly = Polygon(pts)
        mid = pts[len(pts) // 2]
        if not poly.is_valid or poly.area < _MIN_HALF_MM2 or in_a_piece(mid[0], mid[1]):
            continue
        rel = poly.representative_point().coords[0] - a[f]
        cands.append((k, f, poly, float(np.sign(rel[0] * d[f][1] - rel[1] * d[f][0]))))
    sides: dict[int, set] = {}
    for _, f, _, side in cands:
        sides.setdefault(f, set()).add(side)
    outer = [c for c in cands if len(sides[c[1]]) == 1
             and not any(o is not c and o[2].area > c[2].area and o[2].contains(c[2].representative_point())
                         for o in cands)]
    taken = {k for k, *_ in outer}
    added = []
    for k, f, _, _ in outer:
        ch, layer = opens[k]
        pts = np.asarray(ch.points, dtype=np.float64)
        r = pts[:-1] if np.allclose(pts[0], pts[-1]) else pts
        r = r if ring_area(r) > 0 else r[::-1]
        added.append((abs(ring_area(r)), r, layer))
        if report is not None:
            (x0, y0), (x1, y1) = pts[0], pts[-1]
            report(f"an open line of layer {layer} with its ends on the fold line of layer {folds[f][1]}, at "
                   f"({x0:.1f}, {y0:.1f}) and ({x1:.1f}, {y1:.1f}): closed along the fold line (a half on "
                   "the fold)")
    return rings + added, [o for k, o in enumerate(opens) if k not in taken]
