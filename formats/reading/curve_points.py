"""AAMA curve points: a cut line runs as a curve through its curve points, not as their chords.

An AAMA / ASTM D6673 cut line (layer 1) lists only its grade points: turn points, where the line
may turn (a corner), marked by a layer-2 POINT, and curve points, which the line passes through
smoothly, marked by a layer-3 POINT. The CAD cuts the curve: AccuMark's ASTM export of the same
style draws it on layer 84, up to 3.2 mm off the chords of layer 1 on a hood facing
(GMH2446F17, exported both ways). Read as chords, an armhole or a neckline of an AAMA export was
cut inside the curve its CAD means.

Where the markers say which vertex is which, the cut line between two turn points is drawn as a
centripetal Catmull-Rom curve through its curve points (a turn point gives its neighbour
segment the direction of its chord: the corner stays a corner). On the AccuMark exports that
draw layer 84 too, it lies 0.07 to 0.5 mm from it (the median of each file), the chords up to
1.9 mm. AccuMark marks the
points in the sample size only; a size whose cut line is the sample's point for point takes the
sample's marks by vertex (as its notches: :mod:`kitcut.formats.reading.sample_notches`). A
size whose points differ keeps its chords, and the report says so. Each curved segment keeps the
points its chords need within the read tolerance (a median of 94 to 125 points a piece on the
AccuMark AAMA exports, whose ASTM twins draw 66 to 78 on layer 84).

Every vertex as drawn stays on the curve, so grade labels, notches and drills keep their
places; the drawn lines are kept as the lines a grade moves point by point (``grade_lines``).
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

from kitcut.formats.reading.build import RawPiece
from kitcut.formats.reading.grade_labels import MARK_TOL
from kitcut.formats.reading.sample_notches import ON_LINE, cut_lines, ring_order, size_twins
from kitcut.model import ImportReport
from kitcut.model.geometry import segment_feet

__all__ = ["draw_curves", "catmull_rom"]

#: points per curved segment, before those its chords do not need within the read tolerance are left out
STEPS = 16
#: a curved segment that would bulge more than this share of its chord is drawn straight (a
#: spline through badly spaced points can loop; AccuMark's curves bulge far less)
MAX_BULGE = 0.15
#: a segment this many times as long as the segment beyond a curve point at its end is drawn
#: straight: a straight edge running into a tight curve, whose points lie close together (a
#: 300 mm edge into a 20 mm round corner bowed 3.1 mm; no real AccuMark segment comes near it)
LONGER = 5.0


def catmull_rom(pts: np.ndarray, closed: bool, corner: np.ndarray, straight: np.ndarray | None = None,
                steps: int = STEPS, tol: float = 0.0) -> np.ndarray:
    """The centripetal Catmull-Rom curve through ``pts`` (``closed``: without the first point
    repeated); a ``corner`` point is a turn point: the curve leaves it along its chord, and a
    segment between two corners stays straight, as does segment i (from point i) where
    ``straight[i]``. Every point of ``pts`` is on the result, in order; a closed result does
    not repeat its first point. ``tol`` > 0: each curved segment keeps only the points of its
    ``steps`` that its chords need to stay within ``tol`` of the curve (as an arc is flattened to
    the read tolerance: 16 points on every segment made a sleeve of 40 points one of 600)."""
    P = np.asarray(pts, dtype=np.float64)
    m = len(P)
    segs = m if closed else m - 1
    out = []
    for i in range(segs):
        j = (i + 1) % m
        p1, p2 = P[i], P[j]
        out.append(p1)
        if (corner[i] and corner[j]) or (straight is not None and straight[i]):
            continue
        before = not corner[i] and (closed or i > 0)  # a curve point with a segment before it
        after = not corner[j] and (closed or i + 2 < m)
        p0 = P[(i - 1) % m] if before else 2 * p1 - p2
        p3 = P[(i + 2) % m] if after else 2 * p2 - p1
        chord = float(np.hypot(*(p2 - p1)))
        beyond = [float(np.hypot(*(a - b))) for a, b, ok in ((p1, p0, before), (p3, p2, after)) if ok]
        if chord == 0.0 or (beyond and chord > LONGER * max(beyond)):
            continue
        curve = _segment(p0, p1, p2, p3, steps)
        if curve is None or _bulge(curve, p1, p2) > MAX_BULGE * chord:
            continue
        if tol > 0.0:
            curve = _fewer(np.vstack([p1, curve, p2]), tol)
        out.extend(curve)
    if not closed:
        out.append(P[-1])
    return np.array(out)


def _segment(p0, p1, p2, p3, steps: int) -> np.ndarray | None:
    """The inner points (``steps - 1`` of them) of the centripetal Catmull-Rom span p1 -> p2."""
    d01, d12, d23 = (math.sqrt(float(np.hypot(*(b - a)))) for a, b in ((p0, p1), (p1, p2), (p2, p3)))
    if min(d01, d12, d23) <= 0.0:
        return None
    t0, t1 = 0.0, d01
    t2, t3 = t1 + d12, t1 + d12 + d23
    t = np.linspace(t1, t2, steps + 1)[1:-1, None]
    a1 = ((t1 - t) * p0 + (t - t0) * p1) / (t1 - t0)
    a2 = ((t2 - t) * p1 + (t - t1) * p2) / (t2 - t1)
    a3 = ((t3 - t) * p2 + (t - t2) * p3) / (t3 - t2)
    b1 = ((t2 - t) * a1 + (t - t0) * a2) / (t2 - t0)
    b2 = ((t3 - t) * a2 + (t - t1) * a3) / (t3 - t1)
    c = ((t2 - t) * b1 + (t - t1) * b2) / (t2 - t1)
    return c if np.isfinite(c).all() else None


def _fewer(span: np.ndarray, tol: float) -> np.ndarray:
    """The inner points of ``span`` (a segment's ends and the evenly spaced points between) that
    its chords need: every 2nd, 4th... of them (a power of two of the steps), the fewest whose
    chords stay within ``tol`` of every point. Evenly spaced, not chosen one by one (as
    Douglas-Peucker does): a line drawn the other way round, moved or turned keeps the same points
    (Douglas-Peucker's choice between two points about as far flipped with the rounding)."""
    steps = len(span) - 1
    every = steps
    while every > 1 and steps % every == 0:
        kept = np.arange(0, steps + 1, every)
        a = span[kept[:-1]].repeat(every, axis=0)
        b = span[kept[1:]].repeat(every, axis=0)
        if float(segment_feet(a, b, span[:-1])[2].max()) <= tol:
            break
        every //= 2
    return span[every:-1:every]


def _bulge(curve: np.ndarray, p1: np.ndarray, p2: np.ndarray) -> float:
    d = p2 - p1
    n = float(np.hypot(*d))
    return float(np.abs((curve - p1) @ np.array([-d[1], d[0]])).max() / n)


def _flags(line: np.ndarray, turns: np.ndarray, curves: np.ndarray, tol: float) -> np.ndarray | None:
    """Which points of ``line`` are corners: marked as turn points only. A point marked both ways
    is a curve point: AccuMark marks a point of a curve where an internal line ends as a turn
    point too, and its layer 84 runs smoothly through it (GLX4802S19 within 0.26 mm of it taken
    so, 1.09 mm taken as a corner). ``None`` when no point is a curve point, or when a point is
    not marked at all: AccuMark marks every point of its cut lines; a writer that marks its grade
    points only (kitcut's own) draws its curves in full between them, and a straight edge ending
    on a curve point would bulge."""
    def marked(marks: np.ndarray) -> np.ndarray:
        if len(marks) == 0:
            return np.zeros(len(line), dtype=bool)
        d = np.hypot(*(line[:, None, :] - marks[None, :, :]).transpose(2, 0, 1))
        return d.min(axis=1) <= tol

    turn, curve = marked(turns), marked(curves)
    return None if not curve.any() or not (turn | curve).all() else ~curve


def _along_fold(line: np.ndarray, r: RawPiece, tol: float) -> np.ndarray:
    """Which segments of ``line`` (segment i from point i) run along a fold line of ``r``: both
    ends on it, or an end of the fold line on the segment (it may end part of the way along
    one). They stay straight, as the edge the piece is unfolded about."""
    out = np.zeros(max(len(line) - 1, 0), dtype=bool)
    for pts, _src in r.fold:
        f = np.asarray(pts, dtype=np.float64).reshape(-1, 2)
        if len(f) < 2:
            continue
        for p in f:
            out |= segment_feet(line[:-1], line[1:], p)[2] <= tol
        on = np.array([float(segment_feet(f[:-1], f[1:], p)[2].min()) <= tol for p in line])
        out |= on[:-1] & on[1:]
    return out


def _drawn(line: np.ndarray, closed: bool, corner: np.ndarray, straight: np.ndarray,
           tol: float) -> np.ndarray:
    if closed:  # cut_lines repeats a closed line's first point at its end
        out = catmull_rom(line[:-1], True, corner[:-1], straight, tol=tol)
        return np.vstack([out, out[:1]])
    return catmull_rom(line, False, corner, straight, tol=tol)


def _valid(lines: list[tuple[np.ndarray, bool]]) -> bool:
    """A closed line drawn as a curve must still be a simple ring."""
    return all(not closed or Polygon(p).is_valid for p, closed in lines)


def draw_curves(raws: list[RawPiece], report: ImportReport, tol: float) -> None:
    """Draw the cut line of every AAMA piece whose turn and curve points are marked through its
    curve points (see the module docstring), and of the sizes drawn point for point as its.
    A cut line whose curve stays within ``tol`` (drawing units: the read tolerance) of its
    points as drawn is kept as drawn (CLO's layer 1 is dense: 0.005 mm off)."""
    groups: dict[str, list[RawPiece]] = defaultdict(list)
    for r in raws:
        groups[r.name].append(r)
    with np.errstate(all="ignore"):  # a damaged file's numbers overflow: its lines stay as drawn
        for name, group in groups.items():
            _draw_group(name, group, report, tol)


def _off(new: list[tuple[np.ndarray, bool]], old: list[tuple[np.ndarray, bool]]) -> float:
    """How far the lines drawn as curves lie from the lines as drawn, at most."""
    return max((float(shapely.distance(LineString(o), shapely.points(n)).max()) if len(o) >= 2 else 0.0)
               for (n, _), (o, _) in zip(new, old, strict=True))


def _xy(points) -> np.ndarray:
    return np.asarray(points, dtype=np.float64).reshape(len(points), -1)[:, :2]


def _draw_internal(r: RawPiece) -> None:
    """An internal line of ``r`` drawn along its cut line, every point a point of the cut line as
    drawn and each segment from one such point to the next, takes the cut line's curve (drawn as
    chords, it fell outside the curved cut line and was cut away: 145 mm of a back's line in
    each size of an AccuMark export). Other internal lines stay as drawn: drawn as curves of
    their own, lines running partly along the cut line crossed its curve to and fro (a sleeve's
    line along its cap came out as 97 pieces of 1 mm)."""
    old = np.concatenate(r.grade_lines)
    new = [_xy(p) for p, _c, _s in r.boundary]
    out = list(r.internal)
    for k, (pts, closed, src) in enumerate(r.internal):
        q = _xy(pts)
        if len(q) < 2 or any(not len(_at(old, p)) for p in q):
            continue
        spans = [_span(new, old, q[i], q[(i + 1) % len(q)]) for i in range(len(q) if closed else len(q) - 1)]
        if any(s is None for s in spans):
            continue
        parts = [part for i, s in enumerate(spans) for part in (q[i:i + 1], s)]
        out[k] = (np.concatenate(parts + ([] if closed else [q[-1:]])), closed, src)
    r.internal = out


def _at(line: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The indices of the points of ``line`` on ``p`` (within the grade labels' tolerance)."""
    return np.flatnonzero(np.hypot(*(line - p).T) <= 2 * MARK_TOL)


def _span(new: list[np.ndarray], old: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """The points of the curved cut line (``new``) strictly between its drawn points ``a`` and
    ``b`` where they are next to each other on it (no point as drawn, ``old``, between), in the
    order a to b; None when they are not."""
    for line in new:
        for s in _at(line, a):
            for t in _at(line, b):
                lo, hi = min(s, t), max(s, t)
                inner = line[lo + 1:hi]
                if hi > lo and not any(len(_at(old, p)) for p in inner):
                    return inner if s < t else inner[::-1]
    return None


def _draw_group(name: str, group: list[RawPiece], report: ImportReport, tol: float) -> None:
    donors = [r for r in group if r.point_marks is not None and not r.grade_lines]
    if not donors:
        return
    # a size graded from the sample (a table beside the pattern) has the sample's marks: the
    # sample is still the one size drawn with them, whose curves the drawn sizes take
    one = sum(not r.graded for r in donors) == 1
    drawn, kept = [], []
    for donor in donors:
        lines = cut_lines(donor)
        if not lines:
            continue
        every = np.concatenate([p for p, _ in lines])
        diag = float(np.hypot(*np.ptp(every, axis=0)))
        turns, curves = donor.point_marks
        flags = [_flags(p, turns, curves, 2 * MARK_TOL) for p, _ in lines]  # a marker is on its point
        if all(f is None for f in flags):
            continue
        flags = [np.ones(len(p), dtype=bool) if f is None else f
                 for (p, _), f in zip(lines, flags, strict=True)]
        takers = [donor] + [r for r in group if r.point_marks is None and not r.grade_lines and r.boundary
                            and one and not donor.graded]
        order = ring_order(lines, diag)
        for r in takers:
            own = lines if r is donor else cut_lines(r)
            twins = [p for p, _ in lines] if r is donor else size_twins(lines, order, own, diag)
            if twins is None:
                kept.append(r)
                continue
            theirs = [(q, closed) for q, (_, closed) in zip(twins, lines, strict=True)]
            new = [(_drawn(p, closed, f, _along_fold(p, r, ON_LINE * diag), tol), closed)
                   for (p, closed), f in zip(theirs, flags, strict=True)]
            if r is donor and not _off(new, theirs) > tol:
                break  # as drawn within the tolerance: every size stays as drawn
            if not _valid(new):
                kept.append(r)
                continue
            src = r.boundary[0][2] if r.boundary else ""
            r.grade_lines = [p for p, _ in own]  # as drawn; a closed one ends on its first point
            r.boundary = [(p, closed, src) for p, closed in new]
            _draw_internal(r)
            drawn.append(r)
    sizes = [r.texts.get("size") for r in drawn if r.texts.get("size")]
    if drawn:
        in_sizes = f" in size(s) {', '.join(sizes)}" if sizes else ""
        report.repair(f"cut line drawn through its curve points (AAMA layer 3) as a curve{in_sizes}, as the "
                      "CAD cuts it (its points as drawn join turn points, layer 2, and curve points)",
                      piece=name)
    if kept:
        sizes = [r.texts.get("size") or "?" for r in kept]
        report.warn(f"cut line of size(s) {', '.join(sizes)} cut as straight lines between its points: they "
                    "do not match the sample size's, whose turn and curve points (AAMA layers 2 and 3) say "
                    "where the line is a curve", piece=name)
