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
from kitcut.model.geometry import ring_area

__all__ = ["close_at_folds"]

#: A cut line closed at a fold encloses at least this much (mm²): a speck is no half.
_MIN_HALF_MM2 = 100.0


def _straight(pts: np.ndarray, near: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The ends of ``pts`` when every point lies within ``near`` of the line between them."""
    a, b = pts[0], pts[-1]
    length = float(np.linalg.norm(b - a))
    if length <= near:
        return None
    d = (b - a) / length
    rel = pts - a
    if np.abs(rel[:, 0] * d[1] - rel[:, 1] * d[0]).max() > near:
        return None
    return a, b


def _on(p: np.ndarray, a: np.ndarray, b: np.ndarray, near: float) -> bool:
    """``p`` lies on the fold line ``a b``: within ``near`` of its line, and on it or up to
    :data:`~kitcut.formats.reading.fold_edge.FOLD_END_MM` past an end (a fold line drawn from
    sew point to sew point stops short of the cut line by the seam allowances)."""
    length = float(np.linalg.norm(b - a))
    d = (b - a) / length
    rel = p - a
    t, off = float(rel @ d), abs(float(rel[0] * d[1] - rel[1] * d[0]))
    reach = FOLD_END_MM + near
    return off <= near and -reach <= t <= length + reach


def close_at_folds(rings: list, opens: list, marks: list, is_fold, tol: float,
                   report=None) -> tuple[list, list]:
    """``(rings, opens)`` with each open line of ``opens`` (``(chain, layer)``) whose two ends lie
    on one straight fold line closed along it, as a ring ``(area, points, layer)`` of its layer
    (reported as a repair through ``report``). Fold lines are the lines of ``opens`` and
    ``marks`` on a layer ``is_fold(layer)``; they stay as they are. A line inside a piece (a mark
    ending on a fold line) stays open, and so does one whose closing edge would cross it."""
    near = fold_near(tol)
    lines = [(s, layer) for ch, layer in [*opens, *marks] if is_fold(layer) and len(ch.points) >= 2
             and (s := _straight(np.asarray(ch.points, dtype=np.float64), near)) is not None]
    if not lines:
        return rings, opens
    inside = shapely.union_all([Polygon(r).buffer(0) for _, r, _ in rings]) if rings else None
    added, kept = [], []
    for ch, layer in opens:
        pts = np.asarray(ch.points, dtype=np.float64)
        via = None  # the layer of the fold line the line's ends lie on
        if not is_fold(layer) and len(pts) >= 3 and float(np.linalg.norm(pts[-1] - pts[0])) > near:
            for (a, b), fold_layer in lines:
                if _on(pts[0], a, b, near) and _on(pts[-1], a, b, near):
                    via = fold_layer
                    break
        if via is None:
            kept.append((ch, layer))
            continue
        poly = Polygon(pts)
        mid = pts[len(pts) // 2]
        if (not poly.is_valid or poly.area < _MIN_HALF_MM2
                or (inside is not None and shapely.intersects_xy(inside, mid[0], mid[1]))):
            kept.append((ch, layer))
            continue
        r = pts[:-1] if np.allclose(pts[0], pts[-1]) else pts
        r = r if ring_area(r) > 0 else r[::-1]
        added.append((abs(ring_area(r)), r, layer))
        if report is not None:
            (x0, y0), (x1, y1) = pts[0], pts[-1]
            report(f"an open line of layer {layer} with its ends on the fold line of layer {via}, at "
                   f"({x0:.1f}, {y0:.1f}) and ({x1:.1f}, {y1:.1f}): closed along the fold line (a half on "
                   "the fold)")
    return rings + added, kept

