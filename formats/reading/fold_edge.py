"""The fold edge a fold (mirror) line names: the straight run of the cut line it lies along.

Pattern CADs draw the mirror line of a half in more than one way: exactly along the fold edge
(AccuMark, Optitex), from sew point to sew point (short of each end by the seam allowances of the
seams that meet the fold: a CAD that draws the mirror line on the net line), or past the ends of
the edge. Each names the same edge, and a half is always mirrored about the whole straight edge
of its cut line. So a fold line

* whose two ends lie within :func:`fold_near` (twice the tolerance, at least 0.5 mm) of the line
  of a straight run of the cut line,
* that covers at least :data:`FOLD_COVER` of that run, or all of it but up to
  :data:`FOLD_END_MM` at each end (the seam allowances of a short fold edge),

makes that whole run the mirror line (reported when it stops short of an end). It may run past
the edge as far as it likes (a real AccuMark size has a 697 mm mirror line along a 362 mm
edge), but a line along two collinear runs names neither. A fold line that names no run is not
used: the piece is nested as drawn, not as a half, and the report says so (before, ``nest
info`` counted it as a half, twice its area, while the marker held one half).
"""

from __future__ import annotations

import numpy as np

from kitcut.formats.reading.outline import unfold_ring
from kitcut.model import Line

__all__ = ["FOLD_COVER", "FOLD_END_MM", "fold_near", "fold_run", "mirror_edge"]

#: A fold line covers at least this share of the straight run it names...
FOLD_COVER = 0.5
#: ... or it covers the whole run but up to this much (mm) at each end: the seam allowances of the
#: seams that meet the fold, where a CAD drawing the mirror line on the net line stops.
FOLD_END_MM = 25.0


def fold_near(tol: float) -> float:
    """How far (mm) a fold line's ends may lie off the line of the edge it names: twice the
    tolerance, at least 0.5 mm (as for a "cut on fold" bracket)."""
    return max(2.0 * tol, 0.5)


def _runs(on: np.ndarray) -> list[np.ndarray]:
    """The cyclic runs of consecutive ``True`` in ``on`` (indices in order; at least two)."""
    n = len(on)
    if on.all():
        return [np.arange(n)]
    start = int(np.argmin(on))  # an off vertex: runs start after it
    idx = (start + 1 + np.arange(n)) % n
    runs, cur = [], []
    for k in idx:
        if on[k]:
            cur.append(k)
        else:
            if len(cur) >= 2:
                runs.append(np.array(cur))
            cur = []
    if len(cur) >= 2:
        runs.append(np.array(cur))
    return runs


def fold_run(ring: np.ndarray, a: np.ndarray, b: np.ndarray, near: float,
             exact: float = 0.05) -> tuple | None:
    """``(start, end)``: the ends of the straight run of ``ring`` that the fold line ``a -> b``
    names (see the module docstring), in its direction; ``None`` when it names none. When every
    vertex of the run lies within ``exact`` of the line, the ends are on the line (never tilted
    to a vertex just off it); else they are the run's end vertices (the edge as the cut line
    draws it)."""
    ring = np.asarray(ring, dtype=np.float64)
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    length = float(np.linalg.norm(b - a))
    if length <= 0 or len(ring) < 3:
        return None
    d = (b - a) / length
    rel = ring - a
    dist = np.abs(rel[:, 0] * d[1] - rel[:, 1] * d[0])
    on = dist <= near
    t = rel @ d
    found = []
    for run in _runs(on):
        s, e = float(t[run].min()), float(t[run].max())
        cover = min(e, length) - max(s, 0.0)  # the part of the run the line lies along
        short_ends = max(0.0, -s) <= FOLD_END_MM and max(0.0, e - length) <= FOLD_END_MM
        if e - s > 0 and cover > 0 and (cover >= FOLD_COVER * (e - s) or short_ends):
            if dist[run].max() <= exact:
                found.append((a + s * d, a + e * d))
            else:
                found.append((ring[run[np.argmin(t[run])]].copy(), ring[run[np.argmax(t[run])]].copy()))
    return found[0] if len(found) == 1 else None  # two collinear edges: which one is the fold?


def mirror_edge(fold: Line | None, outline: np.ndarray, tol: float, report, label: str):
    """``(fold line, unfolded ring)`` of a piece drawn as a half on ``fold``: the line taken as the
    whole straight edge it names (:func:`fold_run`, reported when drawn otherwise) and the full
    outline about it; ``(None, None)`` when there is no fold line, or it names no edge the half
    can be unfolded about (reported: the piece is nested as drawn)."""
    if fold is None:
        return None, None
    a, b = fold.points[0], fold.points[-1]
    run = fold_run(outline, a, b, fold_near(tol), max(tol, 0.05))
    full = None if run is None else unfold_ring(outline, run[0], run[1], max(tol, 0.05))
    if full is None:
        report.warn("mirror line does not lie along a straight edge of the outline: not used, the piece "
                    "is nested as drawn, not as a half on the fold", piece=label)
        return None, None
    eps = max(tol, 0.05)
    d = (b - a) / float(np.linalg.norm(b - a))
    short = max(float((a - run[0]) @ d), float((run[1] - b) @ d))  # how far the line stops short
    if short > eps:  # a line past the ends of the edge always unfolded about it: not reported
        drawn, edge = float(np.linalg.norm(b - a)), float(np.linalg.norm(run[1] - run[0]))
        report.warn(f"mirror line drawn {drawn:.1f} mm long, {short:.1f} mm short of an end of the "
                    f"{edge:.1f} mm straight edge it lies along: the whole edge is taken as the fold",
                    piece=label)
    return Line(np.array([run[0], run[1]])), full
