"""Grading: every size of a piece from its sample size and a grade rule table (``.RUL``).

The sample-size piece carries a rule number at each grade point (:class:`~kitcut.formats.
reading.build.GradeMark`, read from the ``# n`` labels); the table says how far the point of
rule ``n`` moves in each size (:mod:`kitcut.formats.reading.rul`). A graded piece is the sample
piece with every point moved, in drawing units, before the piece is built, so a graded size
goes through the same chaining, checks, repairs and unfolding as a drawn one:

- **grade points** move by their rule's offset, turned into the piece's grade frame (x along
  the layer-5 grade reference line when there is one, then the INSERT's transform);
- **cut-line vertices between two grade points** (intermediate points) move by the two
  offsets interpolated by arc length along the sample's cut line: a vertex a third of the way
  from grade point A to grade point B moves by 2/3 of A's offset plus 1/3 of B's, so curves
  stay smooth and keep their point spacing;
- **internal lines, cut-outs, sew, grain and fold lines** grade the same way along
  themselves between their own grade points; their ends without a rule, and every point of a
  line without any, follow the cut line: a point on it takes the cut line's interpolated offset
  there, a point inside the piece the mean value coordinates interpolation of the cut line's
  vertex offsets (Floater 2003: smooth, exact for any affine grade such as a plain scaling);
- **notches and drills** use their own rule when labelled, else the rule of another line's grade
  point at their place (a notch's copy on the sew line), else follow the cut line likewise;
- **fold (mirror-line) pieces** are graded as the half that is drawn and unfolded afterwards;
  the internal lines kept on one half (``NM`` marks) are those the marks sit on in the sample
  size, in every size.

``plan_grading`` prepares a piece once (weights of every point over the rules it uses);
``grade_raw`` then makes any size with one matrix product.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from kitcut.errors import GradeRuleError
from kitcut.formats.reading.build import RawNotch, RawPiece
from kitcut.formats.reading.chains import Segment, chain_segments
from kitcut.formats.reading.mark_place import nm_lines
from kitcut.formats.reading.rul import GradeRules
from kitcut.model.geometry import segment_feet

__all__ = ["GradePlan", "plan_grading", "grade_raw", "rule_offsets", "arc_weights", "mean_value_weights",
           "grade_frame", "mark_vertices"]

#: Points this close (drawing units) to the cut line are on it.
ON_LINE = 1e-3
#: Lines other than the cut line whose grade points a notch or drill at their place follows.
_LINE_KINDS = ("internal", "cutouts", "sew", "fold", "grain")


@dataclass
class GradePlan:
    """How each point of a sample piece moves: rows of weights over :attr:`rules`.

    A point's offset in a size is ``weights @ D`` where ``D[k]`` is the offset of rule
    ``rules[k]`` in that size (drawing units, grade frame applied)."""

    rules: tuple[int, ...]
    boundary: list
    internal: list
    cutouts: list
    sew: list
    fold: list
    grain: list
    notches: list
    drills: np.ndarray
    nm_points: np.ndarray
    frame: np.ndarray  # 2x2: rule (dx, dy) row vector -> drawing units, before the mm scale
    turned_deg: float = 0.0


def arc_weights(points: np.ndarray, anchors: dict[int, np.ndarray], closed: bool) -> np.ndarray:
    """Weights of every point of a polyline, interpolated by arc length between ``anchors``
    (point index -> weight row); before the first / after the last anchor of an open line the
    nearest anchor's row. Without anchors, zeros (caller decides).

    >>> pts = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0]])
    >>> arc_weights(pts, {0: np.array([1.0, 0.0]), 2: np.array([0.0, 1.0])}, False)[1].tolist()
    [0.6666666666666667, 0.3333333333333333]
    """
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    n = len(pts)
    keys = sorted(anchors)
    if not keys:
        return np.zeros((n, 0))
    width = len(anchors[keys[0]])
    seg = np.hypot(*np.diff(pts, axis=0).T) if n > 1 else np.zeros(0)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    total = s[-1] + (float(np.hypot(*(pts[0] - pts[-1]))) if closed else 0.0)
    A = np.array(keys)
    rows = np.array([anchors[k] for k in keys]).reshape(len(keys), width)
    out = np.empty((n, width))
    pos = np.searchsorted(A, np.arange(n), side="right") - 1  # last anchor at or before i
    for i in range(n):
        j = pos[i]
        if j >= 0 and A[j] == i:
            out[i] = rows[j]
            continue
        if closed:
            a, b = (j % len(A)), ((j + 1) % len(A))
            sa, sb, si = s[A[a]], s[A[b]], s[i]
            span = (sb - sa) % total if total > 0 else 0.0
            if len(A) == 1 or span <= 0:
                out[i] = rows[a]
                continue
            t = ((si - sa) % total) / span
        else:
            if j < 0:
                out[i] = rows[0]
                continue
            if j == len(A) - 1:
                out[i] = rows[-1]
                continue
            a, b = j, j + 1
            span = s[A[b]] - s[A[a]]
            t = (s[i] - s[A[a]]) / span if span > 0 else 0.0
        out[i] = (1.0 - t) * rows[a] + t * rows[b]
    return out


def mean_value_weights(ring: np.ndarray, p) -> np.ndarray:
    """Mean value coordinates of point ``p`` over the vertices of ``ring`` (sum 1; on the ring:
    linear along its edge). Affine functions of the vertices are reproduced exactly.

    >>> sq = np.array([[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]])
    >>> mean_value_weights(sq, (1.0, 1.0)).round(6).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    v = np.asarray(ring, dtype=np.float64).reshape(-1, 2)
    d = v - np.asarray(p, dtype=np.float64)
    r = np.hypot(d[:, 0], d[:, 1])
    m = len(v)
    scale = max(float(np.ptp(v, axis=0).max()), 1e-12)
    k = int(np.argmin(r))
    if r[k] <= 1e-12 * scale:
        w = np.zeros(m)
        w[k] = 1.0
        return w
    dn = np.roll(d, -1, axis=0)
    rn = np.roll(r, -1)
    cross = d[:, 0] * dn[:, 1] - d[:, 1] * dn[:, 0]
    dot = (d * dn).sum(axis=1)
    on_edge = (np.abs(cross) <= 1e-12 * scale * scale) & (dot < 0)
    if on_edge.any():
        i = int(np.argmax(on_edge))
        w = np.zeros(m)
        t = r[i] / (r[i] + rn[i])
        w[i], w[(i + 1) % m] = 1.0 - t, t
        return w
    tan_half = cross / (r * rn + dot)  # tan(angle_i / 2), signed
    w = (np.roll(tan_half, 1) + tan_half) / r
    total = w.sum()
    if not math.isfinite(total) or abs(total) < 1e-300:
        w = 1.0 / r
        total = w.sum()
    return w / total


def _orthogonal(A) -> np.ndarray:
    """The turn and mirror of a linear map without its scale (its polar factor)."""
    u, _, vt = np.linalg.svd(np.asarray(A, dtype=np.float64))
    return u @ vt


def grade_frame(raw: RawPiece) -> tuple[np.ndarray, float]:
    """``(M, turned_deg)``: a rule's ``(dx, dy)`` (row vector) times ``M`` is the offset in the
    piece's drawing coordinates (per unit): x along the grade reference line when the piece has
    one, then the INSERT's turn and mirror. Not its scale: the offsets are in the table's
    units, turned into the drawing's by the caller, as the INSERT's scale turns the block's."""
    A = np.eye(2) if raw.insert_A is None else _orthogonal(raw.insert_A)
    if raw.grade_ref is None:
        return A, 0.0
    d = np.asarray(raw.grade_ref[-1], dtype=np.float64) - np.asarray(raw.grade_ref[0], dtype=np.float64)
    n = float(np.hypot(*d))
    if n == 0.0:
        return A, 0.0
    u = d / n
    F = np.array([[u[0], u[1]], [-u[1], u[0]]])
    return F @ A, math.degrees(math.atan2(u[1], u[0]))


def mark_vertices(points, marks: list) -> dict:
    """Vertex index -> the mark at it (within :data:`ON_LINE`). Points drawn on top of each
    other take the marks there in drawing order (a real export: one internal-line point drawn
    three times with three rules, apart in the other sizes)."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if not marks or not len(pts):
        return {}
    mp = np.array([(m.x, m.y) for m in marks])
    out = {}
    taken: dict[tuple, int] = {}
    for i, p in enumerate(pts):
        near = np.flatnonzero(np.abs(mp[:, 0] - p[0]) + np.abs(mp[:, 1] - p[1]) <= 2 * ON_LINE)
        if len(near):
            key = (round(float(p[0]) / ON_LINE), round(float(p[1]) / ON_LINE))
            k = taken.get(key, 0)
            taken[key] = k + 1
            out[i] = marks[int(near[min(k, len(near) - 1)])]
    return out


class _Planner:
    def __init__(self, raw: RawPiece, chain_tol: float):
        self.raw = raw
        self.rules = tuple(sorted({m.rule for m in raw.marks}))
        self.col = {r: k for k, r in enumerate(self.rules)}
        self.chain_tol = chain_tol
        self.ring = None
        self.ring_w = None

    def onehot(self, rule: int) -> np.ndarray:
        w = np.zeros(len(self.rules))
        w[self.col[rule]] = 1.0
        return w

    def own(self, kind: str, index: int | None, pts: np.ndarray) -> dict[int, np.ndarray]:
        """Anchors of a line from its own marks: point index -> one-hot row."""
        marks = [m for m in self.raw.marks if m.kind == kind and (index is None or m.index == index)]
        out: dict[int, np.ndarray] = {}
        if not marks or len(pts) == 0:
            return out
        for i, m in mark_vertices(pts, marks).items():
            out[i] = self.onehot(m.rule)
        return out

    def boundary(self) -> list:
        parts = self.raw.boundary
        segs = [Segment(np.asarray(p, dtype=np.float64), str(i)) for i, (p, closed, _) in enumerate(parts)
                if not closed and len(p) >= 2]
        chains = [(np.asarray(p, dtype=np.float64), True) for p, closed, _ in parts if closed and len(p)]
        chains += [(c.points, c.closed) for c in chain_segments(segs, self.chain_tol)]
        lookup: dict[tuple[float, float], np.ndarray] = {}
        all_pts, all_w = [], []
        best = -1.0
        for pts, closed in chains:
            w = arc_weights(pts, self.own("boundary", None, pts), closed)
            if w.shape[1] == 0:
                w = np.zeros((len(pts), len(self.rules)))
            for p, row in zip(pts, w, strict=True):
                lookup.setdefault((float(p[0]), float(p[1])), row)
            all_pts.append(pts)
            all_w.append(w)
            if closed and len(pts) >= 3:
                x, y = pts[:, 0], pts[:, 1]
                area = abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))
                if area > best:
                    best, self.ring, self.ring_w = area, pts, w
        every = np.concatenate(all_pts) if all_pts else np.zeros((0, 2))
        every_w = np.concatenate(all_w) if all_w else np.zeros((0, len(self.rules)))
        out = []
        for p, _, _ in parts:
            p = np.asarray(p, dtype=np.float64).reshape(-1, 2)
            rows = []
            for q in p:
                row = lookup.get((float(q[0]), float(q[1])))
                if row is None and len(every):  # a joint point the chain dropped: the nearest one
                    row = every_w[int(np.argmin(np.hypot(*(every - q).T)))]
                rows.append(np.zeros(len(self.rules)) if row is None else row)
            out.append(np.array(rows).reshape(len(p), len(self.rules)))
        return out

    def at(self, p) -> np.ndarray:
        """Weights of a point without a rule: on the cut line its interpolation there, inside
        (or outside) the mean value interpolation of the cut line's vertices."""
        if self.ring is None or not len(self.rules):
            return np.zeros(len(self.rules))
        ring, w = self.ring, self.ring_w
        q = np.asarray(p, dtype=np.float64)
        t, _, dist = segment_feet(ring, np.roll(ring, -1, axis=0), q)
        k = int(np.argmin(dist))
        if dist[k] <= ON_LINE:
            return (1.0 - t[k]) * w[k] + t[k] * w[(k + 1) % len(w)]
        return mean_value_weights(ring, q) @ w

    def line(self, kind: str, index: int, pts, closed: bool) -> np.ndarray:
        pts = np.asarray(pts, dtype=np.float64).reshape(-1, 2)
        anchors = self.own(kind, index, pts)
        if not anchors:
            return np.array([self.at(p) for p in pts]).reshape(len(pts), len(self.rules))
        if not closed:
            for i in (0, len(pts) - 1):
                anchors.setdefault(i, self.at(pts[i]))
        return arc_weights(pts, anchors, closed)

    def point(self, kind: str, index: int, p) -> np.ndarray:
        """A notch or drill: its own rule, else the rule of a grade point of another line at its
        place (AccuMark labels a notch's copy on the sew line for the sew line only), else
        :meth:`at`."""
        hit = [m for m in self.raw.marks if m.kind == kind and m.index == index]
        if not hit:
            hit = [m for m in self.raw.marks if m.kind in _LINE_KINDS
                   and abs(m.x - p[0]) + abs(m.y - p[1]) <= 2 * ON_LINE]
        return self.onehot(hit[0].rule) if hit else self.at(p)


def plan_grading(raw: RawPiece, *, chain_tol: float) -> GradePlan:
    """Prepare ``raw`` (a sample-size piece with its grade marks) for :func:`grade_raw`;
    ``chain_tol`` (drawing units) joins the parts of its cut line as the reader does."""
    pl = _Planner(raw, chain_tol)
    boundary = pl.boundary()
    frame, turned = grade_frame(raw)
    lines = {kind: [pl.line(kind, i, item[0], bool(item[1]) if len(item) == 3 else False)
                    for i, item in enumerate(getattr(raw, kind))]
             for kind in ("internal", "cutouts", "sew", "fold", "grain")}
    notches = []
    for i, n in enumerate(raw.notches):
        if n.line is not None:
            notches.append(pl.line("notch", i, n.line, False))
        else:
            notches.append(pl.point("notch", i, (n.x, n.y)).reshape(1, -1))
    drills = np.array([pl.point("drill", i, (d[0], d[1])) for i, d in enumerate(raw.drills)])
    nm = np.array([pl.at(p) for p in raw.nm_points])
    width = len(pl.rules)
    return GradePlan(
        rules=pl.rules, boundary=boundary, notches=notches, frame=frame, turned_deg=turned,
        drills=drills.reshape(len(raw.drills), width), nm_points=nm.reshape(len(raw.nm_points), width),
        **lines,
    )


def rule_offsets(plan: GradePlan, table: GradeRules, size: str, scale: float) -> np.ndarray:
    """``D``: the offset of each rule of ``plan`` in ``size``, drawing units (``scale`` is mm per
    drawing unit), turned into the piece's grade frame. :class:`GradeRuleError` names a rule
    the table lacks."""
    k = table.index(size)
    missing = [r for r in plan.rules if r not in table.deltas]
    if missing:
        shown = ", ".join(map(str, missing[:8])) + (" ..." if len(missing) > 8 else "")
        raise GradeRuleError(f"grade rule(s) {shown} of this piece are not in the grade rule table "
                             f"{table.file or ''} ({table.rule_range()})".replace("  ", " "))
    if not plan.rules:
        return np.zeros((0, 2))
    D = np.array([table.deltas[r][k] for r in plan.rules]) / scale
    return D @ plan.frame


def grade_raw(raw: RawPiece, plan: GradePlan, D: np.ndarray, size: str) -> RawPiece:
    """``raw`` (the sample piece ``plan`` was made from) moved by the rule offsets ``D`` (see
    :func:`rule_offsets`): the raw piece of ``size``, marked ``graded``."""
    def move(pts, W):
        pts = np.asarray(pts, dtype=np.float64).reshape(-1, 2)
        return pts + (W @ D if len(D) else 0.0)

    def lines(items, Ws):
        return [(move(it[0], W), *it[1:]) for it, W in zip(items, Ws, strict=True)]

    notches = []
    for n, W in zip(raw.notches, plan.notches, strict=True):
        if n.line is not None:
            notches.append(replace(n, line=move(n.line, W), x=float(move(n.line, W)[0, 0]),
                                   y=float(move(n.line, W)[0, 1])))
        else:
            (x, y), = move([(n.x, n.y)], W)
            notches.append(RawNotch(float(x), float(y), n.z, n.width, n.angle, n.kind, None, n.source))
    drills = []
    for d, W in zip(raw.drills, plan.drills, strict=True):
        (x, y), = move([(d[0], d[1])], W.reshape(1, -1))
        drills.append((float(x), float(y), *d[2:]))
    nm = [tuple(map(float, q)) for q in move(raw.nm_points, plan.nm_points)] if raw.nm_points else []
    # the lines the NM marks belong to, as drawn in the sample size (the marks move on their own)
    nm_at = raw.nm_lines if raw.nm_lines is not None else nm_lines(raw.internal, raw.nm_points)
    texts = dict(raw.texts)
    texts["size"] = size
    texts.setdefault("name", raw.name)  # a block without a name text: named like the sample size
    return replace(
        raw, key=f"{raw.key}@{size}", texts=texts, annotations=list(raw.annotations),
        boundary=lines(raw.boundary, plan.boundary), internal=lines(raw.internal, plan.internal),
        cutouts=lines(raw.cutouts, plan.cutouts), sew=lines(raw.sew, plan.sew),
        fold=lines(raw.fold, plan.fold), grain=lines(raw.grain, plan.grain), notches=notches,
        drills=drills, nm_points=nm, nm_lines=nm_at, marks=[], graded=True,
    )
