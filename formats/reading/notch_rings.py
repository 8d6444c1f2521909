"""Notches drawn as small closed shapes on the cut line or the sew line (plain DXF).

A pattern made for print marks its notches with a symbol: a small circle (FreeSewing's
``notch`` and ``bnotch``), a triangle or a diamond centred on the seam line, on the layer and in
the colour of the cut lines. Read as rings, a symbol straddling the cut line became a piece of
its own (a 5.6 mm "piece" nested beside the garment), and one on the sew line, inside the
piece, a cut-out (a hole cut into the garment); the notch itself was lost.

:func:`notch_rings` finds them: a closed line at most :data:`NOTCH_SYMBOL_MM` across whose centre
lies on a piece's cut line or sew line (within a quarter of its size: a small piece laid against
a larger one has its centre half its size off the line), or a triangle that stands on the cut
line with its base (as printed patterns draw a notch). Each becomes a notch of that
piece at the nearest point of its cut line, cutting inward (the reader places it as a notch
POINT), and is not cut.
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["NOTCH_SYMBOL_MM", "notch_rings"]

#: A notch symbol is at most this size (mm, its box's longer side).
NOTCH_SYMBOL_MM = 12.0


def notch_rings(rings: list, role: list[str], parent: list[int], near: float,
                skip: set[int]) -> dict[int, tuple[int, float, float, bool]]:
    """``{symbol ring: (piece ring, x, y, on_sew)}``: the rings that are notch symbols, the piece
    each marks and the point of its cut line the notch is at (mm); ``on_sew`` when the symbol
    stands on the sew line. ``rings`` are ``(area, points, layer)``, ``role`` and ``parent`` as
    :func:`~kitcut.formats.reading.plain_rings.roles` gives them; ``skip`` rings are not looked at
    (the rings of a graded nest, artwork)."""
    pieces = [j for j, r in enumerate(role) if r == "piece" and j not in skip]
    sew_of: dict[int, list[int]] = {}
    for k, r in enumerate(role):
        if r == "sew" and parent[k] >= 0:
            sew_of.setdefault(parent[k], []).append(k)
    lines: dict[int, shapely.LinearRing] = {}

    def line(j: int) -> shapely.LinearRing:  # each ring's line made once, when first asked for
        if j not in lines:
            lines[j] = shapely.LinearRing(rings[j][1])
        return lines[j]

    out: dict[int, tuple[int, float, float, bool]] = {}
    for i, (area, pts, _) in enumerate(rings):
        if i in skip or parent[i] in out:
            continue  # (the dot of a double notch is part of its symbol)
        if not (role[i] == "piece" and parent[i] < 0 or role[i] == "cut" and role[parent[i]] == "piece"):
            continue  # a piece of its own straddling a cut line, or a cut-out of a piece
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        size = float(np.max(hi - lo))
        if size > NOTCH_SYMBOL_MM:
            continue
        c = shapely.Point(*(0.5 * (lo + hi)))
        reach = 0.25 * size + near  # centred on the line: a piece laid against another is not
        triangle = len({_key(p) for p in pts}) == 3
        hosts = [parent[i]] if role[i] == "cut" else [j for j in pieces if j != i and rings[j][0] > 20 * area]
        for j in hosts:
            box_lo, box_hi = rings[j][1].min(axis=0) - size, rings[j][1].max(axis=0) + size
            if not ((box_lo <= (c.x, c.y)) & ((c.x, c.y) <= box_hi)).all():
                continue  # too far from this piece's lines (its sew lines lie inside it)
            edge = line(j)
            if edge.distance(c) <= reach:
                q = edge.interpolate(edge.project(c))
                out[i] = (j, q.x, q.y, False)
                break
            # a triangle standing on the line with its base, as printed patterns draw a notch:
            # two of its three corners on the line, its centre a third of its size off it (each
            # became a 15 mm2 piece, or a triangular hole in the piece); a small square laid
            # against a piece is a piece
            base = [p for p in pts if triangle and edge.distance(shapely.Point(*p)) <= near]
            if len({_key(p) for p in base}) == 2:
                mid = np.mean(base, axis=0)
                q = edge.interpolate(edge.project(shapely.Point(*mid)))
                out[i] = (j, q.x, q.y, False)
                break
            if any(line(k).distance(c) <= reach for k in sew_of.get(j, ())):
                q = edge.interpolate(edge.project(c))
                out[i] = (j, q.x, q.y, True)
                break
    return out


def _key(p) -> tuple[float, float]:
    """A corner of a ring as compared (its closing point is its first)."""
    return round(float(p[0]), 6), round(float(p[1]), 6)
