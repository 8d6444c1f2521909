"""Sew lines on a layer whose name says nothing (``NET``, ``Finished line``, ``净样线``): told
by how they run inside the pieces of another layer.

A sew line runs inside its cut line at the seam allowance: at one distance all along a seam,
a few distances round the piece (1 cm at the sides, 3 cm at the hem), nothing where the piece
has no allowance (a fold). A smaller size of a graded nest drawn on a layer of its own also
lies inside the larger size, but its distance from it changes along every edge (the grade
rules move the corners each by its own amount), and its layer is named for the size or holds
the size's labels. A layer is read as a sew layer when every closed line on it runs inside a
piece of another layer like that; it used to become a piece of its own (a sleeve cut twice:
once with its allowance, nameless, and once without it, with the name).
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LinearRing

from kitcut.formats.reading.plain_rings import SEAM_WIDE_MM, lies_in, spans
from kitcut.formats.reading.size_layers import layer_size

__all__ = ["seam_allowance", "sew_layers"]

#: A seam allowance is at least this wide somewhere round the piece (mm): a copy of the cut line
#: is no sew line.
_SEAM_MIN_MM = 2.0
#: Distances within this much of each other (mm) are one allowance (a curve's offset drawn in
#: chords wanders a little).
_STEP_MM = 0.5
#: The allowances of one piece: this many distances, at most, cover ...
_MAX_ALLOWANCES = 4
#: ... this share of the sew line.
_COVER = 0.85


def _samples(ring: np.ndarray, n: int = 400) -> np.ndarray:
    """``n`` points spread evenly along ``ring`` (by length: a straight seam drawn in two vertices
    weighs what it is long)."""
    lr = LinearRing(ring)
    return np.asarray(shapely.get_coordinates(shapely.line_interpolate_point(
        lr, np.linspace(0.0, lr.length, n, endpoint=False))))


def seam_allowance(inner: np.ndarray, outer: np.ndarray) -> float | None:
    """The widest seam allowance (mm) when ``inner`` runs inside ``outer`` as a sew line does,
    spanning most of it: at most :data:`_MAX_ALLOWANCES` distances, each held along its seam,
    cover :data:`_COVER` of it, none over :data:`~.plain_rings.SEAM_WIDE_MM` (a hem's); None
    when it does not (a pocket's place, a cut-out; a smaller size of a graded nest often does)."""
    if not spans(inner, outer):
        return None
    d = np.asarray(shapely.distance(LinearRing(outer), shapely.points(_samples(inner))))
    if d.max() > SEAM_WIDE_MM or d.max() < _SEAM_MIN_MM:
        return None
    steps = np.round(d / _STEP_MM).astype(np.int64)
    values, counts = np.unique(steps, return_counts=True)
    # a distance and the ones next to it are one allowance: take the fullest runs greedily
    left = dict(zip(values.tolist(), counts.tolist(), strict=True))
    covered = 0
    for _ in range(_MAX_ALLOWANCES):
        if not left:
            break
        v = max(left, key=lambda s: left.get(s - 1, 0) + left[s] + left.get(s + 1, 0))
        covered += sum(left.pop(s, 0) for s in (v - 1, v, v + 1))
    if covered < _COVER * len(d):
        return None
    return float(d.max())


def _holder(rings: list, polys: list, i: int, skip: set[str]) -> int | None:
    """The smallest ring larger than ring ``i``, on a layer not in ``skip``, that holds it."""
    area, ring, _ = rings[i]
    for j in range(i - 1, -1, -1):
        if rings[j][2] not in skip and rings[j][0] > area and lies_in(polys[j], ring, polys[i]):
            return j
    return None


def _nested_run(rings: list, polys: list, i: int, j: int) -> bool:
    """Ring ``i`` (in ring ``j``) is one of three or more outlines of three layers, each inside
    the next at a seam's distance: the sizes of a graded nest, a layer per size, not a cut line
    and its sew line."""
    two = {rings[i][2], rings[j][2]}
    k = _holder(rings, polys, j, two)
    if k is not None and seam_allowance(rings[j][1], rings[k][1]) is not None:
        return True
    for t in range(i + 1, len(rings)):
        if rings[t][2] not in two and lies_in(polys[i], rings[t][1], polys[t]) and \
                seam_allowance(rings[t][1], rings[i][1]) is not None:
            return True
    return False


def sew_layers(rings: list, polys: list, candidate) -> dict[str, float]:
    """The layers (``candidate(layer)`` true: no role given, none named, no label on it) whose
    every closed line runs inside a larger ring of another layer as its sew line
    (:func:`seam_allowance`), each with its widest allowance (mm). Not a layer named for a size,
    nor one in a run of three layers each inside the next (a graded nest's sizes look like
    offsets of each other, one size from the next). ``rings``: ``(area, points, layer)``
    largest first; ``polys``: their prepared polygons."""
    by_layer: dict[str, list[int]] = {}
    for i, (_, _, layer) in enumerate(rings):
        by_layer.setdefault(layer, []).append(i)
    if len(by_layer) < 2:
        return {}
    found: dict[str, float] = {}
    for layer, ids in by_layer.items():
        if (layer != "0" and layer_size(layer) is not None) or not candidate(layer):  # 0: DXF's own layer
            continue
        widest = 0.0
        for i in ids:
            j = _holder(rings, polys, i, {layer})
            allowance = None if j is None else seam_allowance(rings[i][1], rings[j][1])
            if allowance is None or _nested_run(rings, polys, i, j):
                break
            widest = max(widest, allowance)
        else:
            found[layer] = widest
    return found
