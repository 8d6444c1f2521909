"""The "cut on fold" bracket of a printed pattern (plain DXF).

A pattern drawn for print marks a piece cut on the fold with a bracket beside its straight fold
edge: an open line on the cut lines' layer that leaves the edge at a right angle, runs along it
and comes back to it (with arrowheads at its ends, and a text "Cut on fold" that Inkscape's DXF
outputs drop). FreeSewing draws it 15 mm inside the piece; commercial patterns use the same
symbol, inside or outside. Without a fold layer the piece was read as the half that is drawn:
a garment cut from it would be half as wide (FreeSewing's Teagan, Aaron, Brian, Bella...).

:func:`fold_bracket` tells such a line by its shape alone and gives the straight edge it marks,
which the reader then takes as the piece's fold line (as a line on a fold layer). It is
conservative: both ends within ``near`` of one straight run of the cut line, both legs at a
right angle to it (within :data:`ANGLE_DEG`), of about one length, the run parallel to the edge
at that distance, at least :data:`RUN_PER_LEG` legs long and clear of the cut line, and the cut
line straight for the whole span between the ends. Anything else is no bracket.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import LinearRing, LineString, Point, Polygon

__all__ = ["ANGLE_DEG", "ARROW_MM", "RUN_PER_LEG", "BracketStage", "fold_bracket", "outside_brackets"]

#: A bracket's legs and run meet within this many degrees of a right angle.
ANGLE_DEG = 8.0
#: The run along the edge is at least this many times as long as the longer leg.
RUN_PER_LEG = 3.0
#: What a polyline holds beyond the bracket's ends (an arrowhead drawn with it) stays this close
#: (mm) to the end it is drawn at.
ARROW_MM = 10.0
#: A line no larger than this (mm) is a notch (``plain_pieces.NOTCH_MAX_MM``), never a bracket.
_NOTCH_MAX_MM = 20.0


class BracketStage:
    """The brackets of one pass over a drawing (a mixin of :class:`~.plain_pieces._Sorter`, whose
    ring stage sets ``rings``, ``polys``, ``edges``, ``boxes``, ``piece_ids``, ``nest_of``, ``raws``;
    ``_lines`` sets ``brackets`` before calling :meth:`_bracket`)."""

    def _bracket(self, pts: np.ndarray, src: str, layer: str, found: list[int]) -> bool:
        """Whether the open line ``pts`` is a "cut on fold" bracket
        (:func:`~kitcut.formats.reading.fold_brackets.fold_bracket`) on the cut line of the piece
        that holds it, or of the one piece on its layer whose cut line its ends touch (a bracket
        drawn outside); kept for :meth:`_fold_brackets`. Never in a graded nest, never smaller
        than a notch."""
        if len(pts) < 4 or np.ptp(pts, axis=0).max() <= _NOTCH_MAX_MM:
            return False
        if found:
            hosts = found if len(found) == 1 else []
        else:
            ends = pts[[0, -1]]
            lo, hi = ends.min(axis=0), ends.max(axis=0)
            hosts = [i for i, box in zip(self.piece_ids, self.boxes, strict=True)
                     if (lo >= box[:2] - self.near).all() and (hi <= box[2:] + self.near).all()
                     and all(self.edges[i].distance(Point(q)) <= self.near for q in ends)]
        hits = []
        for i in hosts:
            if i in self.nest_of or self.rings[i][2] != layer:
                continue
            edge = fold_bracket(pts, self.rings[i][1], self.polys[i], self.near, max(self.tol, 0.05))
            if edge is not None:
                hits.append((i, edge))
        if len(hits) != 1:
            return False
        i, edge = hits[0]
        self.brackets.setdefault(i, []).append((edge, pts, src))
        return True

    def _fold_brackets(self) -> None:
        """Each piece's "cut on fold" brackets (:meth:`_bracket`) make the straight edge they mark
        its fold line, as a line on a fold layer does (reported); brackets on a piece that has a
        fold line already, or on two different edges, are drawn on it as internal lines."""
        for i, found in self.brackets.items():
            raw = self.raws[i]
            label = raw.texts.get("name") or raw.key
            edges = [e for e, _, _ in found]
            one = all(np.allclose(np.sort(e, axis=0), np.sort(edges[0], axis=0)) for e in edges)
            if raw.fold or not one:
                for _, pts, src in found:
                    raw.internal.append((pts, False, src))
                if self.final:
                    why = "it has a fold line" if raw.fold else "they mark different edges"
                    self.fixer.report.warn(f"{len(found)} \"cut on fold\" bracket(s) not used as its fold "
                                           f"line ({why}): drawn on the piece", piece=label)
                continue
            (x0, y0), (x1, y1) = edges[0]
            raw.fold.append((edges[0], ", ".join(src for _, _, src in found)))
            barbs = _barbs(raw.notches, edges[0], [pts for _, pts, _ in found], self.near)
            raw.notches = [n for k, n in enumerate(raw.notches) if k not in barbs]
            if barbs and self.final:
                self.fixer.report.skip(f"{len(barbs)} arrowhead leg(s) of a \"cut on fold\" bracket drawn as "
                                       "separate lines from the fold; not used (no notches)", piece=label)
            if self.final:
                self.fixer.report.warn(f"an open line leaving the straight edge from ({x0:.1f}, {y0:.1f}) "
                                       f"to ({x1:.1f}, {y1:.1f}) at a right angle, running along it and "
                                       "coming back is a \"cut on fold\" bracket: that edge is the piece's "
                                       "fold line, the piece a half", piece=label)


def _barbs(notches: list, edge: np.ndarray, lines: list, near: float) -> set[int]:
    """The indices of the short lines read as notches that are the arrowhead legs of brackets
    ``lines`` drawn as lines of their own: from a bracket's end on the fold ``edge``, at most
    :data:`ARROW_MM` long, slanting (not along the bracket's leg: a notch there stays one)."""
    p, q = edge
    t = (q - p) / np.linalg.norm(q - p)
    tips = [v for pts in lines for v in pts if abs(float((v - p)[0] * t[1] - (v - p)[1] * t[0])) <= near]
    out = set()
    for k, n in enumerate(notches):
        if n.line is None or n.kind != "slit" or not tips:
            continue
        a, b = np.asarray(n.line[0], dtype=float), np.asarray(n.line[-1], dtype=float)
        length = float(np.linalg.norm(b - a))
        at_tip = min(min(np.linalg.norm(a - v), np.linalg.norm(b - v)) for v in tips) <= near
        slant = length > 0 and 0.2 < abs(float((b - a) @ t)) / length < 0.98
        if at_tip and length <= ARROW_MM and slant:
            out.add(k)
    return out


def outside_brackets(rings: list, chains: list, near: float, eps: float) -> set[int]:
    """The ``id`` of each open line of a layer (:class:`~.chains.Chain`) that is a bracket outside
    one of its ``rings`` (mm): one such line has the shape of a seam allowance along one edge
    and was read as one (:func:`~.allowance.add_allowances`); a bracket's ends lie within the
    edge, never at its corners, as an allowance's do."""
    held: set[int] = set()
    cands = [c for c in chains if len(c.points) >= 4 and np.ptp(c.points, axis=0).max() > _NOTCH_MAX_MM]
    if not cands:
        return held
    shapes = [(r, r.min(axis=0) - near, r.max(axis=0) + near) for r in rings if len(r) >= 3]
    for c in cands:
        ends = c.points[[0, -1]]
        for r, lo, hi in shapes:
            if not ((ends >= lo).all() and (ends <= hi).all()):
                continue
            poly = Polygon(r)
            if not poly.is_valid:
                continue
            edge = fold_bracket(c.points, r, poly, near, eps)
            if edge is not None and not poly.contains(Point(*c.points[len(c.points) // 2])):
                held.add(id(c))
                break
    return held


def fold_bracket(pts: np.ndarray, ring: np.ndarray, poly: Polygon, near: float,
                 eps: float) -> np.ndarray | None:
    """The straight edge of the cut line ``ring`` (mm, not closed) that the open line ``pts``
    marks as a "cut on fold" bracket, as its two ends ``float64[2, 2]`` (its end vertices, put
    on the line of the cut line beside the bracket), or ``None`` when ``pts`` is not clearly
    such a bracket. ``poly`` is the piece's polygon, ``near`` how close an end must be to the
    cut line, ``eps`` how far a vertex of the straight edge may be off it (the unfolding's
    tolerance)."""
    line = LineString(pts)
    simple = np.asarray(line.simplify(0.25 * near).coords)
    simple = simple[np.r_[True, np.linalg.norm(np.diff(simple, axis=0), axis=1) > 1e-9]]
    edge = LinearRing(ring)
    found = None
    for k in range(len(simple) - 3):
        core = simple[k:k + 4]
        if not _trimmings(simple[:k], core[0]) or not _trimmings(simple[k + 4:], core[3]):
            continue
        got = _bracket(core, ring, edge, poly, near, eps)
        if got is not None:
            if found is not None:
                return None  # two ways to read it: not clearly a bracket
            found = got
    return found


def _trimmings(extra: np.ndarray, end: np.ndarray) -> bool:
    """The vertices a polyline holds beyond a bracket's end (an arrowhead) stay near that end."""
    return not len(extra) or bool((np.linalg.norm(extra - end, axis=1) <= ARROW_MM).all())


def _bracket(core: np.ndarray, ring: np.ndarray, edge: LinearRing, poly: Polygon, near: float,
             eps: float) -> np.ndarray | None:
    a, b, c, d = core
    if edge.distance(Point(a)) > near or edge.distance(Point(d)) > near:
        return None
    leg1, run, leg2 = b - a, c - b, d - c
    l1, lr, l2 = (float(np.linalg.norm(v)) for v in (leg1, run, leg2))
    leg = max(l1, l2)
    if min(l1, l2) <= 2 * near or abs(l1 - l2) > 0.25 * leg + near or lr < RUN_PER_LEG * leg:
        return None
    u = run / lr
    sin_max = math.sin(math.radians(ANGLE_DEG))
    # right angles at both corners, both ends on one side of the run
    if abs(float(leg1 @ u)) > sin_max * l1 or abs(float(leg2 @ u)) > sin_max * l2:
        return None
    n = np.array([-u[1], u[0]])
    if float(leg1 @ n) * float(leg2 @ n) >= 0:  # out from the edge, back to it: opposite ways
        return None
    # the run clear of the cut line, wholly inside or wholly outside the piece
    if LineString([b, c]).distance(edge) < 0.5 * min(l1, l2):
        return None
    if bool(poly.contains(Point(b))) != bool(poly.contains(Point(c))):
        return None
    # the legs meet the cut line only at their ends
    lift = min(2 * near, 0.5 * min(l1, l2))
    body = LineString([a + leg1 / l1 * lift, b, c, d - leg2 / l2 * lift])
    if body.distance(edge) < 0.5 * lift:
        return None
    return _straight_edge(ring, a, d, u, near, eps)


def _straight_edge(ring: np.ndarray, a: np.ndarray, d: np.ndarray, u: np.ndarray, near: float,
                   eps: float) -> np.ndarray | None:
    """The run of ``ring``'s vertices along one straight line, parallel to ``u``, that holds the
    points of the cut line next to ``a`` and ``d`` and everything between them: its ends (on the
    line of the ring's segment beside the bracket), or ``None``."""
    n = len(ring)
    seg_a = ring
    seg_b = np.roll(ring, -1, axis=0)
    mid = 0.5 * (a + d)
    dist = shapely.distance(shapely.linestrings(np.stack([seg_a, seg_b], axis=1)), Point(mid))
    k = int(np.argmin(dist))
    if dist[k] > near:
        return None
    p, q = seg_a[k], seg_b[k]
    L = float(np.linalg.norm(q - p))
    t = (q - p) / max(L, 1e-300)
    if L == 0 or abs(float(t[0] * u[1] - t[1] * u[0])) > math.sin(math.radians(ANGLE_DEG)):
        return None

    def off(v: np.ndarray) -> float:
        r = v - p
        return abs(float(r[0] * t[1] - r[1] * t[0]))

    lo, hi = k, (k + 1) % n
    steps = 0
    while off(ring[(lo - 1) % n]) <= eps and steps < n:
        lo, steps = (lo - 1) % n, steps + 1
    while off(ring[(hi + 1) % n]) <= eps and steps < n:
        hi, steps = (hi + 1) % n, steps + 1
    if steps >= n - 2:
        return None  # the whole ring on one line
    s, e = ring[lo], ring[hi]
    along = sorted(((s - p) @ t, (e - p) @ t))
    ends = [(a - p) @ t, (d - p) @ t]
    if off(a) > near or off(d) > near or min(ends) < along[0] + 2 * near or max(ends) > along[1] - 2 * near:
        return None  # the ends off the edge, or at its corners (where a seam allowance would end)
    # every vertex from lo to hi lies on the line between its ends, in order
    idx = [(lo + j) % n for j in range(((hi - lo) % n) + 1)]
    step = np.diff([(ring[j] - p) @ t for j in idx])  # a vertex drawn twice moves by 0
    if any(off(ring[j]) > eps for j in idx) or not (np.all(step >= -eps) or np.all(step <= eps)):
        return None
    # the ends on the line of the segment beside the bracket (a vertex near the line tilts no fold)
    return np.array([p + ((s - p) @ t) * t, p + ((e - p) @ t) * t], dtype=float)
