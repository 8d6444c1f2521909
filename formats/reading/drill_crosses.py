"""Drill marks drawn as crosses: two short straight lines crossing at their middles (+ or x).

Pattern CADs and hand-drafted patterns mark a drill hole (a dart point, a pocket corner) with a
cross as often as with a circle or a point. On a drill layer (AAMA's 13, a layer named for
drills, or one the user calls ``drill``) two lines make a cross when each is at most
:data:`CROSS_MAX_MM` long, they are of about one length (within a factor :data:`CROSS_RATIO`),
cross within :data:`CROSS_MID` of their lengths from both middles and meet at
:data:`CROSS_MIN_DEG` or more: the drill is at the crossing point. Before, such a cross was four
pen lines of internal line in plain DXF (no remark), and skipped in AAMA.
"""

from __future__ import annotations

import numpy as np

from kitcut.formats.reading.layer_names import DRILL_LAYER
from kitcut.formats.reading.marks import is_straight

__all__ = ["CROSS_MAX_MM", "CROSS_MID", "CROSS_MIN_DEG", "CROSS_RATIO", "CROSS_SOURCE", "crosses"]

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


def crosses(lines: list, max_len: float = CROSS_MAX_MM) -> list[tuple[float, float, int, int]]:
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
    sin_min = np.sin(np.radians(CROSS_MIN_DEG))
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
        idx = [k for k, (ch, layer) in enumerate(opens) if self._marks_layer(layer, DRILL_LAYER, "drill")
               and (len(ch.points) == 2 or is_straight(ch.points))]
        drop: set = set()
        for x, y, i, j in crosses([opens[k][0].points for k in idx]):
            (a, layer), (b, _) = opens[idx[i]], opens[idx[j]]
            found = self.owners(np.array([[x, y]]), layer)
            for p in found:
                src = f"{CROSS_SOURCE} {', '.join(a.sources)} and {', '.join(b.sources)}"
                self.raws[p].drills.append((x, y, 0.0, src))
            if found:
                drop |= {idx[i], idx[j]}
        if drop and self.final:
            self.fixer.report.warn(f"{len(drop) // 2} drill mark(s) drawn as a cross of two short lines on a "
                                   "drill layer: a drill at each crossing point")
        return [o for k, o in enumerate(opens) if k not in drop]
