"""Drill marks drawn as small circles inside a piece (plain DXF).

A pattern made for print marks a dart's point, a pocket's corner or a button's place with a
small circle, drawn on the layer and in the colour of the cut lines (FreeSewing's dart tips, a
hand-drawn PostScript pattern's "drill circle"). Read as rings, each became a cut-out: a 5 mm
hole cut into the garment where the cutting room drills a mark, or a button is sewn on.

:func:`drill_rings` finds them once notch symbols, artwork, letters and slots are known: a
round closed line (a circle, not a square) at most :data:`DRILL_SYMBOL_MM` across, a cut-out
of a piece, is a drill mark at its centre. A round shape of that size cut out of a garment is
punched, never cut by the knife; a larger one stays a cut-out. On a layer the user names as a cut layer
(``--layer NAME=cut``) it stays a cut-out. AAMA files say what they mean (drill holes on layer
13, cut-outs on layer 11): this is for plain DXF only.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["DRILL_SYMBOL_MM", "drill_rings", "round_size"]

#: A drill symbol is at most this size across (mm), as a notch symbol is.
DRILL_SYMBOL_MM = 12.0


def round_size(pts: np.ndarray, area: float, *, circle: bool = False) -> float | None:
    """The diameter (mm) of a closed line that is round: about as wide as high, and filling most
    of the circle of that size (a circle, a circle written as curve segments, a square on a
    drill layer); with ``circle``, also no larger than that circle (a circle or a polygon of
    eight or more sides, not a square). ``None`` when it is not round."""
    w, h = np.ptp(pts, axis=0)
    d = float(max(w, h))
    disc = math.pi * d * d / 4
    if d <= 0.0 or min(w, h) < 0.8 * d or area < (0.85 if circle else 0.7) * disc:
        return None
    return None if circle and area > 1.1 * disc else d


def drill_rings(rings: list, role: list[str], parent: list[int],
                cut_layer) -> dict[int, tuple[float, float, float]]:
    """``{ring: (x, y, diameter)}`` (mm): the cut-outs of a piece that are drill symbols (see
    the module docstring). ``rings`` are ``(area, points, layer)``; ``role`` and ``parent`` as
    :func:`~kitcut.formats.reading.plain_rings.roles` gives them, with notch symbols, artwork and
    slots already given their roles; ``cut_layer(layer)`` is true for a layer the user named as
    a cut layer."""
    out: dict[int, tuple[float, float, float]] = {}
    for i, (area, pts, layer) in enumerate(rings):
        if role[i] != "cut" or parent[i] < 0 or role[parent[i]] != "piece" or cut_layer(layer):
            continue
        d = round_size(pts, area, circle=True)
        if d is None or d > DRILL_SYMBOL_MM:
            continue
        c = 0.5 * (pts.min(axis=0) + pts.max(axis=0))
        out[i] = (float(c[0]), float(c[1]), d)
    return out
