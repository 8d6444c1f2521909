"""Checking, repairing and unfolding piece outlines (millimetres, ``float64[n, 2]`` rings).

Every repair goes through :class:`Fixer`, which records it in the import report, or raises
when ``strict`` forbids repairs. Errors name the file, the piece and the problem.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kitcut.errors import GeometryError
from kitcut.model import ImportReport
from kitcut.model.geometry import ring_area, segment_feet
from kitcut.remedies import advise

__all__ = [
    "Fixer", "LoopRule", "check_ring", "reflect", "reflect_angle", "unfold_ring", "inward_angle",
    "remove_spikes", "MIN_AREA_MM2", "point_inside", "nearest_on_ring", "same_ring", "twin_tolerance",
    "clip_lines", "splice_spurs", "splice_all_spurs",
]

#: Outlines smaller than this (mm²) are degenerate.
MIN_AREA_MM2 = 1.0


@dataclass(frozen=True)
class LoopRule:
    """Which loops of a self-intersecting outline are hairlines, removed by default.

    CAD exports hold tiny loops where a cut line overshoots a corner and crosses itself (a
    real AccuMark export: loops of 6.7 to 233 mm² on a 211,000 mm² piece). A loop is a
    hairline when its area is at most ``max_mm2`` AND at most ``max_pct`` percent of the
    piece's area; an outline whose every loop is a hairline is repaired (the loops cut away,
    reported with the area changed). A larger loop stays an error, unless ``--repair``.
    ``nest --max-loop-mm2 / --max-loop-pct`` set them; 0 turns the hairline repair off.
    """

    max_mm2: float = 500.0
    max_pct: float = 0.5

    def is_hairline(self, loop_mm2: float, piece_mm2: float) -> bool:
        return loop_mm2 <= self.max_mm2 and loop_mm2 <= self.max_pct / 100.0 * piece_mm2


@dataclass
class Fixer:
    """Records repairs in ``report``; with ``strict`` every repair is an error instead.

    ``allow_repair`` (``--repair``) repairs every self-intersecting outline; without it only
    hairline loops (``loops``) are.
    """

    file: str
    report: ImportReport
    strict: bool = False
    allow_repair: bool = False
    loops: LoopRule = LoopRule()

    def repair(self, message: str, *, piece: str | None = None, entity=None) -> None:
        if self.strict:
            raise GeometryError(f"{message} (a repair, not allowed with --strict)", file=self.file,
                                piece=piece)
        self.report.repair(message, piece=piece, entity=entity)

    def error(self, message: str, *, piece: str | None = None) -> GeometryError:
        return GeometryError(message, file=self.file, piece=piece)


def _dedupe_ring(ring: np.ndarray, eps: float) -> np.ndarray:
    if len(ring) < 2:
        return ring
    with np.errstate(over="ignore", invalid="ignore"):  # absurd coordinates: named later, not warned
        d = np.linalg.norm(ring - np.roll(ring, 1, axis=0), axis=1)
    keep = d > eps
    if not keep.any():
        return ring[:1]
    return ring[keep]


def check_ring(ring: np.ndarray, fixer: Fixer, *, piece: str, what: str = "outline",
               min_area: float = MIN_AREA_MM2, unit: str = "mm") -> np.ndarray:
    """Return a valid simple ring or raise.

    Degenerate (zero area: below ``min_area``, in ``unit`` squared) rings are errors. A
    self-intersecting ring is made valid and its
    largest part kept (the other parts, and loops folded inside it, are cut away) when every
    such loop is a hairline (:class:`LoopRule`) or ``fixer.allow_repair`` is set; the repair is
    reported with the area changed. Otherwise it is an error naming the place and the loops.
    """
    import shapely
    from shapely.geometry import Polygon
    from shapely.validation import explain_validity

    ring = _dedupe_ring(np.asarray(ring, dtype=np.float64), 1e-6)
    area = abs(ring_area(ring)) if len(ring) >= 3 else 0.0
    poly = Polygon(ring) if len(ring) >= 3 else None
    if poly is not None and poly.is_valid and area >= min_area:
        return ring
    covered = shapely.make_valid(poly).area if poly is not None else 0.0
    if len(ring) < 3 or max(area, covered) < min_area:
        raise fixer.error(f"degenerate {what}: zero area ({len(ring)} distinct points, "
                          f"area {area:.3g} {unit}²)", piece=piece)
    why = _why(explain_validity(poly))
    fixed = shapely.make_valid(poly)
    polys = [g for g in getattr(fixed, "geoms", [fixed]) if g.geom_type == "Polygon" and g.area > 0]
    if not polys:
        raise fixer.error(f"self-intersecting {what} ({why}) cannot be repaired", piece=piece)
    best = max(polys, key=lambda g: g.area)
    kept = Polygon(best.exterior)
    loops = sorted([g.area for g in polys if g is not best] + [Polygon(h).area for h in best.interiors],
                   reverse=True)
    shown = ", ".join(f"{a:.1f}" for a in loops[:5]) + (" ..." if len(loops) > 5 else "")
    if not loops:  # nothing but zero-width spurs sticking out of the outline: nothing to cut there
        fixer.repair(f"self-intersecting {what} repaired ({why}): zero-width spur(s) removed, area "
                     f"{area:.1f} -> {float(kept.area):.1f} {unit}²", piece=piece)
        return np.asarray(kept.exterior.coords, dtype=np.float64)[:-1]
    hairline = all(fixer.loops.is_hairline(a, kept.area) for a in loops)
    if not hairline and not fixer.allow_repair:
        rule = fixer.loops
        raise advise(fixer.error(
            f"self-intersecting {what} ({why}): loop(s) of {shown} {unit}² on a piece of {kept.area:.0f} "
            f"{unit}², "
            f"more than hairlines (at most {rule.max_mm2:g} mm² and {rule.max_pct:g} % of the piece)",
            piece=piece), "repair")
    after = float(kept.area)
    kind = "hairline loop(s)" if hairline else "loop(s)"
    fixer.repair(f"self-intersecting {what} repaired ({why}): {kind} of {shown} {unit}² removed, "
                 f"area {area:.1f} -> {after:.1f} {unit}² ({after - area:+.1f} {unit}²)", piece=piece)
    return np.asarray(kept.exterior.coords, dtype=np.float64)[:-1]


def _why(text: str) -> str:
    """``"Self-intersection[1.5 2.25]"`` -> ``"self-intersection at (1.5, 2.2)"``."""
    import re

    m = re.match(r"\s*([A-Za-z -]+?)\s*\[\s*([-+\d.eE]+)\s+([-+\d.eE]+)\s*\]", text)
    if not m:
        return text
    return f"{m.group(1).lower()} at ({float(m.group(2)):.1f}, {float(m.group(3)):.1f})"


def reflect(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mirror ``points`` about the line through ``a`` and ``b``."""
    d = (b - a) / np.linalg.norm(b - a)
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2) - a
    along = p @ d
    return 2.0 * np.outer(along, d) - p + a


def reflect_angle(angle_deg: float, a: np.ndarray, b: np.ndarray) -> float:
    """Direction ``angle_deg`` mirrored about the direction of ``a -> b``."""
    t = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
    return (2.0 * t - angle_deg) % 360.0


def unfold_ring(ring: np.ndarray, a: np.ndarray, b: np.ndarray, tol: float) -> np.ndarray | None:
    """The full ring of a half drawn on the fold line ``a -> b`` (``None`` when the half does
    not lie along the line: fewer than two vertices on it, or on it in more than one run)."""
    L = float(np.linalg.norm(b - a))
    d = (b - a) / L
    rel = ring - a
    dist = np.abs(rel[:, 0] * d[1] - rel[:, 1] * d[0])
    along = rel @ d
    eps = max(tol, 1e-6)
    on = (dist <= eps) & (along >= -eps) & (along <= L + eps)
    n = len(ring)
    if on.sum() < 2 or on.all():
        return None
    # the vertices off the line must form one cyclic run
    start = int(np.argmax(on & ~np.roll(on, -1)))  # last on-line vertex before an off run
    idx = (start + np.arange(n)) % n
    seq = on[idx]
    off_run = np.flatnonzero(~seq)
    if len(off_run) == 0 or off_run[-1] - off_run[0] + 1 != len(off_run):
        return None
    path = ring[idx[: off_run[-1] + 2]]  # from the on-line vertex A through the off run to B
    # snap the two ends onto the line so the halves meet exactly
    for k in (0, -1):
        path[k] = a + ((path[k] - a) @ d) * d
    mirrored = reflect(path[1:-1], a, b)[::-1]
    return np.concatenate([path, mirrored])


def nearest_on_ring(ring: np.ndarray, x: float, y: float) -> tuple[float, float]:
    """The point of the ring's boundary nearest to ``(x, y)``."""
    _, proj, d = segment_feet(ring, np.roll(ring, -1, axis=0), np.array([x, y]))
    k = int(np.argmin(d))
    return float(proj[k, 0]), float(proj[k, 1])


def inward_angle(ring: np.ndarray, x: float, y: float) -> float:
    """Direction (degrees) from ``(x, y)`` into a CCW ring at the nearest edge: the edge's
    inward normal."""
    b = np.roll(ring, -1, axis=0)
    _, _, d = segment_feet(ring, b, np.array([x, y]))
    near = d <= d.min() + 1e-6  # at a corner: both edges, and the bisector of their normals
    ab = (b - ring)[near]
    e = ab / np.sqrt(np.maximum((ab**2).sum(axis=1), 1e-300))[:, None]
    if ring_area(ring) < 0:
        e = -e
    n = np.c_[-e[:, 1], e[:, 0]].sum(axis=0)  # left normals of CCW edges point inside
    return math.degrees(math.atan2(n[1], n[0]))


def splice_spurs(ring: np.ndarray, extra: list, tol: float) -> tuple[np.ndarray, list]:
    """``ring`` with the zero-width closed loops of ``extra`` that start at one of its corners
    spliced in there, and the rest of ``extra``.

    A slit drawn into the cut line as two lines, out and back, meets the cut line where two other
    lines do: chaining may run through the slit or past it, by the order the file lists its
    lines in. Past it, the slit was a loop of its own, "outside the outline", and the notch was
    lost. Spliced back, :func:`remove_spikes` reads it as drawn into the cut line, whatever the
    order.
    """
    ring = np.asarray(ring, dtype=np.float64)
    rest = []
    for r in extra:
        r = np.asarray(r, dtype=np.float64)
        if len(r) < 2:
            rest.append(r)
            continue
        span = r - r[0]
        far = r[int(np.argmax(np.hypot(span[:, 0], span[:, 1])))]
        ab = far - r[0]
        n = float(np.hypot(*ab))
        wide = np.abs(span[:, 0] * ab[1] - span[:, 1] * ab[0]) / n if n > 0 else np.full(len(r), np.inf)
        d = np.hypot(*(ring[:, None, :] - r[None, :, :]).transpose(2, 0, 1))
        i, j = np.unravel_index(int(np.argmin(d)), d.shape)
        if n <= tol or wide.max() > tol or d[i, j] > tol:
            rest.append(r)
            continue
        loop = np.roll(r, -int(j), axis=0)  # from the corner it starts at, out and back
        ring = np.concatenate([ring[: i + 1], loop[1:], ring[i:]])
    return ring, rest


def splice_all_spurs(rings: list, tol: float) -> list:
    """``rings`` (of one layer, in their order) with each zero-width loop spliced into the ring
    it starts on (:func:`splice_spurs`, the largest such ring); loops that start on none are kept."""
    rings = [np.asarray(r, dtype=np.float64) for r in rings]
    areas = [abs(ring_area(r)) if len(r) >= 3 else 0.0 for r in rings]
    thin = tol * tol  # a zero-width loop's area, up to rounding
    hosts = sorted((k for k, a in enumerate(areas) if a > thin), key=lambda k: -areas[k])
    gone = set()
    for j in (j for j, a in enumerate(areas) if a <= thin):
        for k in hosts:
            spliced, rest = splice_spurs(rings[k], [rings[j]], tol)
            if not rest:
                rings[k] = spliced
                gone.add(j)
                break
    return [r for k, r in enumerate(rings) if k not in gone]


#: Vertices closer than this are one point (float noise of flattened curves), never a repair.
_SAME_POINT_MM = 1e-6


def remove_spikes(ring: np.ndarray, tol: float) -> tuple[np.ndarray, list]:
    """Take out the zero-width spikes and tiny backtracks of a cut line.

    AccuMark and Optitex draw slit notches into the cut line: out to a tip and straight back.
    Exports also hold overshoots: a line run past the corner and back along itself (a hair
    beyond, or a LINE drawn too long and the next one started at the true corner), a zero-width
    excursion. Returns the ring without them and, for each, ``(kind, x, y, angle_deg, size)``:
    ``"slit"`` (base point, direction to the tip, depth) for inward spikes, ``"outward"`` for
    outward ones, and ``"backtrack"`` (the dropped vertex, its overshoot) for a turn back whose
    excursion is no wider than ``tol``, however long.
    """
    a = np.asarray(ring, dtype=np.float64)
    if len(a) > 3:  # a vertex repeated within float noise (an arc flattened back onto the start
        # point, 1e-13 mm off) is no backtrack: its direction is noise; dropped without a word
        step = np.hypot(*(a - np.roll(a, 1, axis=0)).T)
        if (dup := step <= _SAME_POINT_MM).any() and (~dup).sum() >= 3:
            a = a[~dup]
    found = []
    while len(a) > 3:
        prev = np.roll(a, 1, axis=0)
        nxt = np.roll(a, -1, axis=0)
        v1 = a - prev
        v2 = nxt - a
        L1 = np.hypot(v1[:, 0], v1[:, 1])
        L2 = np.hypot(v2[:, 0], v2[:, 1])
        with np.errstate(divide="ignore", invalid="ignore"):
            cos = (v1 * v2).sum(axis=1) / (L1 * L2)
        base = np.hypot(*(nxt - prev).T)
        short = np.minimum(L1, L2)
        with np.errstate(divide="ignore", invalid="ignore"):
            wide = np.abs(v1[:, 0] * v2[:, 1] - v1[:, 1] * v2[:, 0]) / np.maximum(L1, L2)
        rev = cos < -0.995
        spike = rev & (base <= np.maximum(tol, 0.05 * short))
        back = rev & ~spike & ((short <= tol) | (wide <= tol))
        cand = np.flatnonzero(spike | back)
        if len(cand) == 0:
            break
        # the turn that cuts the least area first, so that the outline drawn the other way round
        # loses the same vertices (the first in the file's order did not)
        cut = np.abs(v1[cand, 0] * v2[cand, 1] - v1[cand, 1] * v2[cand, 0])
        i = int(cand[np.lexsort((a[cand, 1], a[cand, 0], cut))[0]])
        n = len(a)
        a = a.copy()
        if back[i]:
            found.append(("backtrack", a[i].copy(), a[i].copy(), float(short[i])))
            a = np.delete(a, i, axis=0)
            continue
        m = (prev[i] + nxt[i]) / 2
        found.append(("slit", m, a[i].copy(), 0.0))
        a[(i - 1) % n] = m
        a = np.delete(a, [i, (i + 1) % n], axis=0)
    out = []
    for kind, m, tip, size in found:
        if kind == "backtrack":
            out.append((kind, float(m[0]), float(m[1]), 0.0, size))
            continue
        d = tip - m
        depth = float(np.hypot(*d))
        inward = point_inside(a, m + 0.5 * d) if depth > 0 else True
        angle = math.degrees(math.atan2(d[1], d[0])) % 360.0
        out.append(("slit" if inward else "outward", float(m[0]), float(m[1]), angle, depth))
    return a, out


def clip_lines(lines: list, outline: np.ndarray, slack: float) -> tuple[list, int, int]:
    """The lines drawn on a piece cut to its outline: ``(lines, outside, clipped)``.

    A pen draws a piece's internal lines where the piece lies: a line drawn past the cut line
    (a dimension or reference line beside the piece, a placement line run long) would be drawn
    over the next piece, or off the fabric. A line within ``slack`` of the outline stays as it
    is; one crossing the cut line keeps its parts inside (``clipped`` counts them); one with
    nothing inside is left out (``outside``)."""
    from kitcut.model import Line
    from kitcut.model.geometry import parts_on

    kept: list = []
    outside = clipped = 0
    for ln in lines:
        parts = parts_on(ln.points, ln.closed, outline, slack)
        if parts is None:
            kept.append(ln)
        elif not parts:
            outside += 1
        else:
            clipped += 1
            kept += [Line(p, False) for p in parts]
    return kept, outside, clipped


def point_inside(ring: np.ndarray, p: np.ndarray) -> bool:
    x, y = ring[:, 0], ring[:, 1]
    xn, yn = np.roll(x, -1), np.roll(y, -1)
    cond = (y > p[1]) != (yn > p[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        xc = x + (p[1] - y) * (xn - x) / (yn - y)
    return bool(np.count_nonzero(cond & (p[0] < xc)) % 2)


def twin_tolerance(tol: float) -> float:
    """How far apart (mm) two closed lines may run and still be one line drawn twice: a line
    redrawn by hand or by another tool wanders by tenths of a millimetre (a second piece would
    be cut), while graded sizes part by millimetres."""
    return max(2.0 * tol, 1.0)


def same_ring(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    """True when rings ``a`` and ``b`` trace the same closed line within ``tol`` (mm), whatever
    their start, direction or vertices: an outline drawn twice (once more on another layer, or
    as a polyline and again as lines)."""
    if len(a) < 3 or len(b) < 3:
        return False
    if np.abs(a.min(axis=0) - b.min(axis=0)).max() > tol or np.abs(a.max(axis=0) - b.max(axis=0)).max() > tol:
        return False
    aa, ab = abs(ring_area(a)), abs(ring_area(b))
    if abs(aa - ab) > 0.01 * max(aa, ab) + 4.0 * tol * tol:
        return False
    import shapely
    from shapely.geometry import LinearRing

    return bool(shapely.hausdorff_distance(LinearRing(a), LinearRing(b), densify=0.25) <= tol)
