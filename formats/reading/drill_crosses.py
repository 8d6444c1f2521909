"""Drill marks drawn as crosses: two short straight lines crossing at their middles (+ or x).

Pattern CADs and hand-drafted patterns mark a drill hole (a dart point, a pocket corner) with a
cross as often as with a circle or a point. On a drill layer (AAMA's 13, a layer named for
drills, or one the user calls ``drill``) two lines make a cross when each is at most
:data:`CROSS_MAX_MM` long, they are of about one length (within a factor :data:`CROSS_RATIO`),
cross within :data:`CROSS_MID` of their lengths from both middles and meet at
:data:`CROSS_MIN_DEG` or more: the drill is at the crossing point. Before, such a cross was four
pen lines of internal line in plain DXF (no remark), and skipped in AAMA. On layer 0 of a
one-layer drawing, or a layer named for no mark, a smaller and squarer cross
(:data:`LOOSE_CROSS_MM`, :data:`LOOSE_CROSS_DEG`) inside a piece, clear of its cut line, is a
drill too, reported (on another layer named for nothing, ``--layer NAME=drill``).
"""

from __future__ import annotations

import numpy as np
from shapely.geometry import Point

from kitcut.formats.reading.layer_names import DRILL_LAYER
from kitcut.formats.reading.marks import is_straight

__all__ = ["CROSS_MAX_MM", "CROSS_MID", "CROSS_MIN_DEG", "CROSS_RATIO", "CROSS_SOURCE", "LOOSE_CROSS_DEG",
           "LOOSE_CROSS_MM", "crosses"]

#: How the source of a drill read from a cross begins (then the two lines).
CROSS_SOURCE = "drill cross of"
#: Each line of a drill cross is at most this long (mm).
CROSS_MAX_MM = 30.0
#: The lines cross within this share of their lengths from their middles.
CROSS_MID = 0.2
#: ... at this angle (degrees) or more.
CROSS_MIN_DEG = 45.0
#: The longer line is at most this many times as long as the shorter.
CROSS_RATIO = 2.0
#: On layer 0, or the one layer of a one-layer drawing, where the pieces' other lines
#: lie too, a cross is smaller (each line at most this long, mm) and squarer (this angle or more).
LOOSE_CROSS_MM = 25.0
LOOSE_CROSS_DEG = 70.0


def crosses(lines: list, max_len: float = CROSS_MAX_MM,
            min_deg: float = CROSS_MIN_DEG) -> list[tuple[float, float, int, int]]:
    """``(x, y, i, j)`` for each pair of ``lines`` (``(2, 2)`` arrays of their ends) that make a
    drill cross (see the module docstring); each line is in one cross at most, taken in order."""
    if len(lines) < 2:
        return []
    ends = np.asarray([np.asarray(p, dtype=np.float64)[[0, -1]] for p in lines])
    a, d = ends[:, 0], ends[:, 1] - ends[:, 0]
    length = np.hypot(d[:, 0], d[:, 1])
    mid = a + d / 2
    used = np.zeros(len(lines), dtype=bool)
    used[(length <= 0) | (length > max_len)] = True
    sin_min = np.sin(np.radians(min_deg))
    out = []
    for i in range(len(lines)):
        if used[i]:
            continue
        near = np.flatnonzero(~used & (np.arange(len(lines)) > i)
                              & (np.hypot(*(mid - mid[i]).T) <= CROSS_MID * (length + length[i])))
        for j in near:
            den = d[i, 0] * d[j, 1] - d[i, 1] * d[j, 0]  # |di| |dj| sin(angle)
            if abs(den) < sin_min * length[i] * length[j] or \
                    max(length[i], length[j]) > CROSS_RATIO * min(length[i], length[j]):
                continue
            w = a[j] - a[i]
            t = (w[0] * d[j, 1] - w[1] * d[j, 0]) / den  # along line i
            u = (w[0] * d[i, 1] - w[1] * d[i, 0]) / den  # along line j
            if abs(t - 0.5) <= CROSS_MID and abs(u - 0.5) <= CROSS_MID:
                x, y = a[i] + t * d[i]
                out.append((float(x), float(y), i, int(j)))
                used[[i, j]] = True
                break
    return out


class CrossStage:
    """The drill crosses of a plain DXF: a mixin of :class:`~.plain_pieces._Sorter` (which sets
    ``raws``, ``owners``, ``fixer``, ``final`` and ``_marks_layer``)."""

    def _drill_crosses(self, opens: list) -> list:
        """``opens`` (``(chain, layer)``, mm) without the lines of the crosses on drill layers:
        each cross a drill of the piece that holds its crossing point (reported). A cross in no
        piece stays two lines (reported outside every piece, as before)."""
        drop = self._crosses_of(opens, [k for k, (ch, layer) in enumerate(opens)
                                        if self._marks_layer(layer, DRILL_LAYER, "drill")])
        if drop and self.final:
            self.fixer.report.warn(f"{len(drop) // 2} drill mark(s) drawn as a cross of two short lines on a "
                                   "drill layer: a drill at each crossing point")
        # on layer 0, or the one layer of a one-layer drawing: small square crosses inside a
        # piece, clear of its cut line (they were four pen lines, the drill lost); on another
        # layer named for nothing, --layer NAME=drill says so
        loose = self._crosses_of(opens, [k for k, (ch, layer) in enumerate(opens) if k not in drop
                                         and self._unnamed_layer(layer)
                                         and (layer == "0" or layer in self.piece_layers)], loose=True)
        if loose and self.final:
            layers = sorted({opens[k][1] for k in loose})
            self.fixer.report.warn(f"{len(loose) // 2} small cross(es) of two lines on layer "
                                   f"{', '.join(layers)}, a layer named for no mark, inside pieces: drill "
                                   "marks, a drill at each crossing point")
        drop |= loose
        return [o for k, o in enumerate(opens) if k not in drop]

    def _crosses_of(self, opens: list, ks: list[int], loose: bool = False) -> set:
        """The indices of the lines among ``opens[ks]`` that make crosses (:func:`crosses`) whose
        crossing point a piece holds, each a drill of that piece; ``loose`` (a layer named for no
        mark): smaller and squarer crosses (:data:`LOOSE_CROSS_MM`, :data:`LOOSE_CROSS_DEG`)
        whose crossing point lies clear of the cut line."""
        idx = [k for k in ks if len(opens[k][0].points) == 2 or is_straight(opens[k][0].points)]
        drop: set = set()
        size = (LOOSE_CROSS_MM, LOOSE_CROSS_DEG) if loose else (CROSS_MAX_MM, CROSS_MIN_DEG)
        for x, y, i, j in crosses([opens[k][0].points for k in idx], *size):
            (a, layer), (b, _) = opens[idx[i]], opens[idx[j]]
            found = self.owners(np.array([[x, y]]), layer)
            if loose:
                half = max(float(np.ptp(a.points, axis=0).max()), float(np.ptp(b.points, axis=0).max())) / 2
                found = [p for p in found if self.edges[p].distance(Point(x, y)) > half + self.near]
            for p in found:
                src = f"{CROSS_SOURCE} {', '.join(a.sources)} and {', '.join(b.sources)}"
                self.raws[p].drills.append((x, y, 0.0, src))
            if found:
                drop |= {idx[i], idx[j]}
        return drop
