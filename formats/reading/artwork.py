"""Drawn artwork inside a piece: closed lines that are no cut-outs (plain DXF).

A drawing program or a pattern library puts more than cut lines on the cut layer: labels turned
into outlines (Inkscape's DXF outputs drop texts, so they are converted to paths), a logo, a
scale box drawn as two nested rectangles. Read as rings, each becomes a cut-out of the piece it
lies in, and the closed lines inside that cut-out (a letter's counter, the logo's inner parts, the
box's inner rectangle) become pieces of their own: holes cut into the garment and scraps nested
beside it.

The evidence is geometric: a real cut-out is a hole, and nothing is drawn inside a hole; a
closed line inside a cut-out (an *island*) makes that cut-out artwork. Other cut-outs of the same
piece that stand beside it as letters do (about as large, at most their size away, in its line
or the next: the letters of a label without a counter, ``F``, ``N``, ``T``; or a dot or an
accent) join it. Every ring of the artwork is
drawn on the piece as an internal line, never cut. No real pattern export at hand has an island
in a cut-out; Inkscape exports of labels turned into paths and FreeSewing's patterns do.
"""

from __future__ import annotations

import numpy as np

from kitcut.model.geometry import turned_box_sides

__all__ = ["SLOT_ASPECT", "SLOT_LENGTH_MM", "SLOT_WIDTH_MM", "artwork_rings", "cutouts_where", "slot_rings"]

#: A cut-out joins the artwork beside it when its size (its box's longer side) is within this
#: factor of an artwork ring's size and it lies at most that size away from it (letters of a label).
_LETTER_HEIGHT_RATIO = 2.0
#: A cut-out at most this share of a letter's size, beside it: a dot or an accent.
_DOT = 0.25


def artwork_rings(rings: list, role: list[str], parent: list[int],
                  letters: list[np.ndarray] = ()) -> dict[int, list[int]]:
    """``{piece ring: [artwork rings in it]}``: the cut-outs holding a closed line (and what
    they hold), with the cut-outs in line with them or with one of ``letters`` (the letter
    outlines :func:`~kitcut.formats.reading.lettering.lettering` found), of each piece (see the
    module docstring). ``rings`` are ``(area, points, layer)``; ``role`` and ``parent`` as
    :func:`~kitcut.formats.reading.plain_rings.roles` gives them."""
    n = len(rings)
    children: dict[int, list[int]] = {}
    for i in range(n):
        if parent[i] >= 0:
            children.setdefault(parent[i], []).append(i)
    art: dict[int, set[int]] = {}
    for h in range(n):
        if role[h] == "cut" and any(role[k] == "piece" for k in children.get(h, ())):
            art.setdefault(parent[h], set()).add(h)
    if letters:
        for i in range(n):
            if any(role[k] == "cut" for k in children.get(i, ())):
                art.setdefault(i, set())
    for piece, found in art.items():
        others = [k for k in children.get(piece, ()) if role[k] == "cut" and k not in found]
        grew = True
        while grew and others:
            grew = False
            for k in list(others):
                if any(_in_line(rings[k][1], rings[a][1]) for a in found) or \
                        any(_in_line(rings[k][1], g) for g in letters):
                    found.add(k)
                    others.remove(k)
                    grew = True
    art = {piece: found for piece, found in art.items() if found}
    out: dict[int, list[int]] = {}
    for piece, found in art.items():
        todo, every = list(found), set(found)
        while todo:  # and everything drawn inside them
            for k in children.get(todo.pop(), ()):
                if k not in every:
                    every.add(k)
                    todo.append(k)
        out[piece] = sorted(every)
    return out


def _in_line(a: np.ndarray, b: np.ndarray) -> bool:
    """``a`` stands beside ``b`` as a letter beside another (about as large, at most its size
    away, in its line or the next, whichever way the label runs), or as the dot of an ``i`` or
    an accent beside a letter (at most a quarter of its size)."""
    lo_a, hi_a = a.min(axis=0), a.max(axis=0)
    lo_b, hi_b = b.min(axis=0), b.max(axis=0)
    ha, hb = float(np.max(hi_a - lo_a)), float(np.max(hi_b - lo_b))  # sizes: labels may run any way
    if ha <= 0 or hb <= 0:
        return False
    gap = np.maximum(0.0, np.maximum(lo_a - hi_b, lo_b - hi_a))
    near = float(gap.max()) <= hb
    if ha <= _DOT * hb:
        return near
    return near and 1 / _LETTER_HEIGHT_RATIO <= ha / hb <= _LETTER_HEIGHT_RATIO


#: A buttonhole or a slit drawn as a slot is at most this wide (mm) ...
SLOT_WIDTH_MM = 3.0
#: ... and at least this many times as long as it is wide, at most :data:`SLOT_LENGTH_MM` long.
SLOT_ASPECT = 3.0
SLOT_LENGTH_MM = 60.0


def cutouts_where(rings: list, role: list[str], parent: list[int], test) -> dict[int, list[int]]:
    """``{piece ring: [its cut-outs k for which test(k) holds]}``: the cut-outs of pieces that a
    shape or a layer tells for marks drawn on the piece (a slot, a dart, AAMA's layer 8).
    ``rings``, ``role`` and ``parent`` as :func:`~kitcut.formats.reading.plain_rings.roles`
    gives them."""
    out: dict[int, list[int]] = {}
    for k in range(len(rings)):
        p = parent[k]
        if role[k] == "cut" and p >= 0 and role[p] == "piece" and test(k):
            out.setdefault(p, []).append(k)
    return out


def _slot(area: float, pts: np.ndarray) -> bool:
    if len(pts) < 3:
        return False
    width, length = turned_box_sides(pts)
    return 0 < width <= SLOT_WIDTH_MM and SLOT_ASPECT * width <= length <= SLOT_LENGTH_MM \
        and area >= 0.6 * width * length


def slot_rings(rings: list, role: list[str], parent: list[int]) -> dict[int, list[int]]:
    """``{piece ring: [slot rings in it]}``: the cut-outs that are buttonholes or slits drawn as
    thin slots (at most :data:`SLOT_WIDTH_MM` wide, :data:`SLOT_ASPECT` times as long, filling most
    of their box): a cutter cuts no buttonhole (it is sewn, then slit), and a knife cuts no 2 mm
    wide hole; drawn on the piece, they mark where it goes. A FreeSewing shirt front had ten
    2 x 10 mm holes cut."""
    return cutouts_where(rings, role, parent, lambda k: _slot(rings[k][0], rings[k][1]))
