"""Arrowheads drawn as small closed shapes at the ends of a line inside a piece (plain DXF).

A pattern made for print draws its grain line, a cut-on-fold line or a dimension with filled
arrowheads: in an SVG they are markers, which a PDF (and so pstoedit or Inkscape's PDF import)
turns into closed paths of their own, a small pointed shape with the end of the line's shaft in
it. Read as rings, each arrowhead became a cut-out: a hole the size of the arrowhead cut into the
garment at each end of the grain line (a FreeSewing bodice through a PDF: two per piece).

:func:`arrowhead_rings` finds them: a closed line at most :data:`ARROWHEAD_MM` across, pointed
(it fills at most :data:`FILL` of its box: a triangle half, a circle or a square more), inside a
piece, holding the end of an open line at least three times its size long. The reader draws it on
the piece as an internal line, never cuts it.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import Polygon

__all__ = ["ARROWHEAD_MM", "FILL", "arrowhead_rings"]

#: An arrowhead is at most this size (mm, its box's longer side).
ARROWHEAD_MM = 12.0
#: An arrowhead fills at most this share of its box (a triangle fills half; a circle 0.785).
FILL = 0.6


def arrowhead_rings(rings: list, role: list[str], parent: list[int], opens: list, near: float,
                    skip: set[int]) -> dict[int, list[int]]:
    """``{piece ring: [arrowhead rings in it]}`` (see the module docstring). ``rings`` are
    ``(area, points, layer)``, ``role`` and ``parent`` as
    :func:`~kitcut.formats.reading.plain_rings.roles` gives them; ``opens`` are the drawing's open
    lines (``(chain, layer)``); ``skip`` rings are not looked at (artwork, notch symbols, the rings
    of a graded nest)."""
    cands = []
    for i, (area, pts, _) in enumerate(rings):
        if i in skip or role[i] != "cut" or parent[i] < 0:
            continue
        w, h = np.ptp(pts, axis=0)
        size = float(max(w, h))
        if 0.0 < size <= ARROWHEAD_MM and area <= FILL * float(w * h):
            cands.append((i, size))
    if not cands:
        return {}
    ends, lengths = [], []
    for ch, _ in opens:
        if len(ch.points) >= 2:
            ends += [ch.points[0], ch.points[-1]]
            lengths += [ch.length, ch.length]
    if not ends:
        return {}
    spots = shapely.points(np.asarray(ends, dtype=float))
    lengths = np.asarray(lengths)
    out: dict[int, list[int]] = {}
    for i, size in cands:
        head = Polygon(rings[i][1]).buffer(near)
        hit = shapely.contains(head, spots) & (lengths >= 3 * size)
        if hit.any():
            out.setdefault(parent[i], []).append(i)
    return out
