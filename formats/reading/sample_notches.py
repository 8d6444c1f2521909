"""Notches drawn in one size only, carried to the other sizes of a graded nest.

AccuMark draws a piece's notches (layer 4) in the sample-size block only: the blocks of the
other sizes hold their cut line, drill holes and internal lines, but no notch. Cut as drawn,
every size but the sample one would reach the sewing room without a notch, and nothing would say
so. A graded size's cut line is the sample's with every point moved by its grade: the same
lines, each with as many points (the layer-1 lines: ASTM's denser layer 84 is not graded point
for point), listed in any order. A notch on the sample's cut line, at a point or part of the way
along a segment, is carried to the same point or segment of each other size's line, turned as
the segment turns. A size whose lines do not match the sample's point for point keeps no notch
(a curve drawn with other points is no longer a grade of it: where a notch lies along it is a
guess, by share of its length up to 46 mm off in these exports), and the report says so.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import replace

import numpy as np

from kitcut.formats.reading.build import RawNotch, RawPiece
from kitcut.formats.reading.chains import dedupe
from kitcut.formats.reading.point_alignment import align_ring
from kitcut.model import ImportReport
from kitcut.model.geometry import segment_feet

__all__ = ["carry_sample_notches", "cut_lines", "ring_order", "size_twins"]

#: a notch farther than this share of the piece's diagonal from the cut line is not carried
ON_LINE = 1e-3
#: a size whose points lie farther than this share of the diagonal from the sample's (the two
#: centred) is not the same cut line graded
GRADED = 0.3


def cut_lines(r: RawPiece, clean: bool = False) -> list[tuple[np.ndarray, bool]]:
    """The lines of the cut line that a grade moves point by point, and whether each is closed.

    ``clean``: a point drawn twice in a row read once, a spike (out and back along one line)
    and a line of no length or drawn twice left out (damage the reader passes over). Only where
    the lines as drawn do not match: a sample size may draw two points of a curve at one place
    that a bigger size grades apart."""
    drawn = [(p, False) for p in r.grade_lines] if r.grade_lines else [(p, c) for p, c, _src in r.boundary]
    out = []
    seen: list[np.ndarray] = []
    for p, closed in drawn:
        pts = np.asarray(p, dtype=np.float64)
        if pts.ndim != 2 or len(pts) == 0:  # nothing drawn (a damaged entity)
            continue
        pts, closed = pts[:, :2], bool(closed)
        if clean:
            pts = _unspiked(dedupe(pts))
            if len(pts) < 2:
                continue
        if len(pts) > 2 and np.array_equal(pts[0], pts[-1]):
            pts, closed = pts[:-1], True
        if clean:
            if any(len(q) == len(pts) and (np.array_equal(q, pts) or np.array_equal(q, pts[::-1]))
                   for q in seen):
                continue
            seen.append(pts)
        if closed:  # closed: its first point again at its end, to walk every segment
            pts = np.vstack([pts, pts[:1]])
        out.append((pts, closed))
    return _joined(out) if clean else out


def _unspiked(pts: np.ndarray) -> np.ndarray:
    """``pts`` without the points where the line turns straight back (within 2°): a spike's tip,
    out and back along one line (then its foot, drawn twice, once)."""
    while len(pts) >= 3:
        a, b = pts[:-2] - pts[1:-1], pts[2:] - pts[1:-1]
        na, nb = np.hypot(*a.T), np.hypot(*b.T)
        with np.errstate(invalid="ignore", divide="ignore"):
            cos = (a * b).sum(axis=1) / (na * nb)
        back = np.flatnonzero(cos > math.cos(math.radians(2.0)))
        if not len(back):
            break
        pts = dedupe(np.delete(pts, back[0] + 1, axis=0))
    return pts


def _joined(lines: list[tuple[np.ndarray, bool]]) -> list[tuple[np.ndarray, bool]]:
    """``lines`` laid head to tail into one closed ring, when they make one (however a CAD or a
    re-save split the cut line: one size as LINEs, the sample as polylines), else as they are."""
    if len(lines) < 2:
        return lines
    pts = np.concatenate([p for p, _ in lines])
    order = _order(lines, ON_LINE * float(np.hypot(*np.ptp(pts, axis=0))))
    if order is None:
        return lines
    ring = [(lines[i][0][::-1] if rev else lines[i][0])[:-1] for i, rev in order]
    ring = np.concatenate(ring)
    return [(np.vstack([ring, ring[:1]]), True)]


def _order(lines: list[tuple[np.ndarray, bool]], tol: float) -> list[tuple[int, bool]] | None:
    """The open ``lines`` of a cut line in their order around it, each ``(index, reversed)``:
    joined end to end (ends within ``tol``) into one closed ring; ``None`` when they make
    anything else (a closed line, a branch, a gap)."""
    if len(lines) < 2 or any(closed for _, closed in lines):
        return None
    heads = np.array([p[0] for p, _ in lines])
    tails = np.array([p[-1] for p, _ in lines])
    free = np.ones(len(lines), dtype=bool)
    free[0] = False
    order, end = [(0, False)], tails[0]
    for _ in range(len(lines) - 1):
        dh = np.where(free, np.hypot(*(heads - end).T), np.inf)
        dt = np.where(free, np.hypot(*(tails - end).T), np.inf)
        i, j = int(np.argmin(dh)), int(np.argmin(dt))
        if min(dh[i], dt[j]) > tol:
            return None
        rev = dt[j] < dh[i]
        k = j if rev else i
        free[k] = False
        order.append((k, bool(rev)))
        end = heads[k] if rev else tails[k]
    return order if float(np.hypot(*(end - heads[0]))) <= tol else None


def _ring_twins(a: list[tuple[np.ndarray, bool]], oa: list[tuple[int, bool]] | None,
                b: list[tuple[np.ndarray, bool]], tol: float) -> list[np.ndarray] | None:
    """The lines of ``b`` in the order and direction of their twins in ``a``, taken in turn around
    the cut line: ``b``'s ring of lines is ``a``'s from some line on, either way round, each line
    with as many points as its twin and none far from it (the two centred). However a CAD splits
    the cut line (three polylines head to tail, one LINE per segment), the lines follow each
    other alike; paired by nearness alone, short ones were paired with their neighbours and
    notches carried 20 to 135 mm off. ``oa`` is :func:`_order` of ``a`` (the sample's, found once
    for every size). ``None`` when either is no ring of lines."""
    ob = _order(b, tol)
    if oa is None or ob is None or len(oa) != len(ob):
        return None
    pa, pb = np.concatenate([p for p, _ in a]), np.concatenate([q for q, _ in b])
    diag = float(np.hypot(*np.ptp(pa, axis=0)))
    ca, cb = pa.mean(axis=0), pb.mean(axis=0)
    n = len(oa)

    def along(k: int, way: int, shift: int) -> np.ndarray:  # b's line at a's k-th place, as a's runs
        i, rev_a = oa[k]
        j, rev_b = ob[(shift + way * k) % n]
        q = b[j][0][::-1] if rev_b != (way < 0) else b[j][0]
        return q[::-1] if rev_a else q

    first = a[oa[0][0]][0]
    starts = []  # the places of b where a's first line may have gone, nearest first
    for way in (1, -1):
        for shift in range(n):
            q = along(0, way, shift)
            if len(q) == len(first):
                starts.append((float(np.hypot(*((q - cb) - (first - ca)).T).max()), way, shift))
    best = None
    for _, way, shift in sorted(starts, key=lambda t: t[0])[:8]:
        out: list = [None] * len(a)
        far = 0.0
        for k, (i, _) in enumerate(oa):
            q = along(k, way, shift)
            if len(q) != len(a[i][0]):
                far = math.inf
                break
            far = max(far, float(np.hypot(*((q - cb) - (a[i][0] - ca)).T).max()))
            out[i] = q
        if best is None or far < best[0]:
            best = (far, out)
    if best is None or not math.isfinite(best[0]) or best[0] > GRADED * diag:
        return None
    return best[1]


def _twins(a: list[tuple[np.ndarray, bool]], b: list[tuple[np.ndarray, bool]]) -> list[np.ndarray] | None:
    """The lines of ``b`` in the order and direction of their twins in ``a`` when ``b`` is ``a``
    graded: as many lines, each with as many points as its twin, none far from it (the two cut
    lines centred; a CAD lists a block's lines in any order, may draw one backwards, and start a
    closed one anywhere), else None."""
    if not a or len(a) != len(b):
        return None
    pa, pb = np.concatenate([p for p, _ in a]), np.concatenate([q for q, _ in b])
    diag = float(np.hypot(*np.ptp(pa, axis=0)))
    ca, cb = pa.mean(axis=0), pb.mean(axis=0)
    pairs = []
    for i, (p, closed) in enumerate(a):
        for j, (q, q_closed) in enumerate(b):
            if len(p) != len(q) or closed != q_closed:
                continue
            ring = q[:-1] if closed else q
            for line in (ring, ring[::-1]):
                if closed:  # start where the twin of a's first point lies
                    k = int(np.argmin(np.hypot(*((line - cb) - (p[0] - ca)).T)))
                    line = np.roll(line, -k, axis=0)
                    line = np.vstack([line, line[:1]])
                pairs.append((float(np.hypot(*((line - cb) - (p - ca)).T).max()), i, j, line))
    pairs.sort(key=lambda t: t[0])
    out: list = [None] * len(a)
    used = set()
    for far, i, j, line in pairs:
        if out[i] is None and j not in used and far <= GRADED * diag:
            out[i] = line
            used.add(j)
    return None if diag <= 0 or any(line is None for line in out) else out


def ring_order(lines: list[tuple[np.ndarray, bool]], diag: float) -> list[tuple[int, bool]] | None:
    """The sample's lines (:func:`cut_lines`) in their order around the cut line (a piece
    ``diag`` across), found once for every size :func:`size_twins` pairs with them."""
    return _order(lines, ON_LINE * diag)


def size_twins(lines: list[tuple[np.ndarray, bool]], order: list[tuple[int, bool]] | None,
               theirs: list[tuple[np.ndarray, bool]], diag: float) -> list[np.ndarray] | None:
    """The lines of another size (``theirs``, :func:`cut_lines`) in the order and direction of
    their twins in ``lines`` (whose :func:`ring_order` is ``order``) when that size is ``lines``
    graded point for point, else None."""
    return _ring_twins(lines, order, theirs, ON_LINE * diag) or _twins(lines, theirs)


def _heading(n: RawNotch) -> float | None:
    """The direction a notch points (radians): its angle, else its line's; None: it has none."""
    if n.angle is not None:
        return math.radians(n.angle)
    if n.line is not None and len(n.line) >= 2:
        line = np.asarray(n.line, dtype=np.float64)
        d = line[-1, :2] - line[0, :2]
        if np.isfinite(d).all() and d.any():
            return math.atan2(d[1], d[0])
    return None


def _place(chains: list[np.ndarray], n: RawNotch, tol: float):
    """Where notch ``n`` lies on the lines: (line, segment, fraction along it), or None. A notch
    at a corner lies on two segments, whose turns in a graded size may differ: it goes with the
    one it stands most nearly square to, then the one whose middle lies leftmost (then lowest): so
    the order in which the file lists its lines does not turn the notch."""
    near = []
    for c, pts in enumerate(chains):
        if len(pts) < 2:
            continue
        t, _, d = segment_feet(pts[:-1], pts[1:], np.array([n.x, n.y]))
        d = np.where(np.isfinite(d), d, np.inf)
        near += [(float(d[v]), c, int(v), float(t[v])) for v in np.flatnonzero(d <= tol)]
    if not near:
        return None
    least = min(q[0] for q in near)
    tied = [q for q in near if q[0] <= least + 1e-6 * tol]
    heading = _heading(n)

    def key(q):
        _, c, v, _ = q
        a, b = chains[c][v], chains[c][v + 1]
        square = 0.0 if heading is None else -abs(math.sin(heading - math.atan2(b[1] - a[1], b[0] - a[0])))
        mid = (a + b) / 2
        return round(square, 9), round(float(mid[0]), 6), round(float(mid[1]), 6)
    return min(tied, key=key)[1:]


def _on_segment(pts: np.ndarray, v: int, t: float) -> tuple[np.ndarray, float]:
    """The point at fraction t of segment v and the segment's direction (radians)."""
    d = pts[v + 1] - pts[v]
    return pts[v] + t * d, math.atan2(d[1], d[0])


def _carried(n: RawNotch, src: list[np.ndarray], dst: list[np.ndarray], at) -> RawNotch:
    c, v, t = at
    (p0, a0), (p1, a1) = _on_segment(src[c], v, t), _on_segment(dst[c], v, t)
    turn = a1 - a0
    line = None
    if n.line is not None:
        cs, sn = math.cos(turn), math.sin(turn)
        rel = np.asarray(n.line, dtype=np.float64)[:, :2] - p0
        line = rel @ np.array([[cs, sn], [-sn, cs]]) + p1
    angle = None if n.angle is None else (n.angle + math.degrees(turn)) % 360.0
    return replace(n, x=float(p1[0]), y=float(p1[1]), angle=angle, line=line,
                   source=f"{n.source}, carried from the sample size" if n.source else
                   "carried from the sample size")


class _Sample:
    """The sample size's cut lines (as drawn, or ``clean``: :func:`cut_lines`), and where each
    of its notches lies on them (``None`` off the line, ``False`` for a notch listed twice: the
    sample size reports it, and it is carried once)."""

    def __init__(self, donor: RawPiece, clean: bool):
        self.clean = clean
        self.lines = cut_lines(donor, clean)
        self.src = [p for p, _ in self.lines]
        self.diag = float(np.hypot(*np.ptp(np.concatenate(self.src), axis=0)))
        tol = ON_LINE * self.diag
        self.places = [_place(self.src, n, tol) for n in donor.notches]
        for k, n in enumerate(donor.notches):
            if any(self.places[j] and math.hypot(n.x - m.x, n.y - m.y) <= tol
                   for j, m in enumerate(donor.notches[:k])):
                self.places[k] = False
        self.order = ring_order(self.lines, self.diag)


def _turn(donor: RawPiece, r: RawPiece) -> np.ndarray | None:
    """The linear map (row vectors) taking ``r``'s lines into the turn and mirror image of the
    sample's block, when their INSERTs place them otherwise (one size's block inserted at 90°,
    or mirrored); None when they place them alike."""
    a, b = donor.insert_A, r.insert_A
    if a is None or b is None or np.allclose(a, b):
        return None
    try:
        return np.linalg.inv(b) @ a
    except np.linalg.LinAlgError:
        return None


def _aligned(donor: RawPiece, way: _Sample, theirs: list[tuple[np.ndarray, bool]]):
    """``(src, places, dst)`` for a size whose one closed ring matches the sample's one closed
    ring (read clean) once the points that change nothing are set aside in both
    (:func:`~kitcut.formats.reading.point_alignment.align_ring`), else None."""
    if len(way.lines) != 1 or len(theirs) != 1 or not way.lines[0][1] or not theirs[0][1]:
        return None
    got = align_ring(way.lines[0][0], theirs[0][0], GRADED * way.diag, ON_LINE * way.diag)
    if got is None:
        return None
    src, dst = got
    tol = ON_LINE * way.diag
    places = [at and _place([src], n, tol) for n, at in zip(donor.notches, way.places, strict=True)]
    return [src], places, [dst]


def _graded(ways: list[_Sample], theirs, turn: np.ndarray | None = None):
    """``(src, places, dst)`` for a size whose lines (``theirs(clean)``: :func:`cut_lines`),
    taken into the sample block's turn by ``turn`` (row vectors) when given, are the sample's
    graded, as drawn or read clean (``ways``); else None."""
    for way in ways:
        lines = theirs(way.clean) if turn is None else [(q @ turn, c) for q, c in theirs(way.clean)]
        got = size_twins(way.lines, way.order, lines, way.diag)
        if got is not None:
            return way.src, way.places, got if turn is None else [q @ np.linalg.inv(turn) for q in got]
    return None


def _match(donor: RawPiece, ways: list[_Sample], r: RawPiece):
    """``(src, places, dst)``: the sample's lines, where its notches lie on them, and the size
    ``r``'s twins of those lines; None when ``r`` matches in no way (see :func:`cut_lines`,
    :func:`_aligned`, :func:`_turn`)."""
    read: dict[bool, list] = {}

    def theirs(clean: bool) -> list:
        if clean not in read:
            read[clean] = cut_lines(r, clean)
        return read[clean]

    found = _graded(ways, theirs) or _aligned(donor, ways[1], theirs(True))
    if found is None and (turn := _turn(donor, r)) is not None:  # this size's block inserted turned
        found = _graded(ways, theirs, turn)
    return found


def carry_sample_notches(raws: list[RawPiece], report: ImportReport) -> None:
    """Give every size of a piece without notches the notches of the one size that has them."""
    with np.errstate(all="ignore"):  # a damaged file's numbers overflow: no place is found then
        _carry(raws, report)


def _carry(raws: list[RawPiece], report: ImportReport) -> None:
    by_name: dict[str, list[RawPiece]] = defaultdict(list)
    for r in raws:
        if r.texts.get("size") and not r.graded:  # a graded size has the sample's notches, graded
            by_name[r.name].append(r)
    for name, group in by_name.items():
        donors = [r for r in group if r.notches]
        takers = [r for r in group if not r.notches]
        if not donors or not takers:
            continue
        if len(donors) > 1:  # which size's notches the others should have is not clear
            report.warn(f"no notches in size(s) {', '.join(r.texts['size'] for r in takers)}, while size(s) "
                        f"{', '.join(r.texts['size'] for r in donors)} have some: cut without notches, or "
                        "give the grade rule table (--rules)", piece=name)
            continue
        donor = donors[0]
        if not cut_lines(donor) or not cut_lines(donor, True):  # nothing left read clean: a cut line
            continue  # of unusable points (NaN), which the coordinate check names (it crashed here)
        # the lines as drawn first; then read clean (a size's doubled vertex, a line drawn twice)
        ways = [_Sample(donor, clean) for clean in (False, True)]
        places = ways[0].places
        carried, refused = [], []
        for r in takers:
            found = _match(donor, ways, r)
            if found is None:
                refused.append(r.texts["size"])
                continue
            src, at_places, dst = found
            r.notches = [_carried(n, src, dst, at)
                         for n, at in zip(donor.notches, at_places, strict=True) if at]
            carried.append(r.texts["size"])
        base = donor.texts["size"]
        lost = sum(at is None for at in places)
        twice = sum(at is False for at in places)
        if carried:
            off = f"; {lost} lie off the cut line and were not carried" if lost else ""
            report.repair(f"notches drawn in size {base} only (AccuMark draws them in the sample size): "
                          f"{len(donor.notches) - lost - twice} carried to the same places on the cut line "
                          f"of size(s) {', '.join(carried)}, point for point{off}", piece=name)
        for size in refused:  # said on the job's line: a front reaching the sewing room without a notch
            report.warn(f"no notches: the file draws this piece's notches in size {base} only, and the cut "
                        f"line of size {size} does not match size {base}'s point for point; cut without "
                        "notches, or give the grade rule table (--rules)", piece=f"{name} ({size})",
                        headline=True)
