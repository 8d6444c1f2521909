"""Where a piece's notches and drill holes may sit: notches on its cut line, drill holes inside it.

A notch is a cut into the cut line: a notch point within :data:`SNAP_NOTCH_MM` of the cut line
is moved onto it (reported with the largest move); one farther off cannot be cut where it is
drawn (or graded to) and is left out, reported with its place and distance. So is a notch
that ends up inside a piece unfolded from its half (one on the mirror line). A drill hole
outside the outline, or inside a cut-out, would be drilled into the next piece or into nothing:
it is left out and reported with its place. Nothing is kept floating off the piece silently.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from kitcut.formats.reading.outline import inward_angle, nearest_on_ring, point_inside, reflect, reflect_angle
from kitcut.model import Drill, Line, Notch
from kitcut.model.geometry import apart

__all__ = ["SNAP_NOTCH_MM", "DEFAULT_NOTCH_DEPTH", "LONG_NOTCH_MM", "fit_depths", "place_notch",
           "far_notches", "report_notches",
           "inside_drills", "nm_lines", "mirror_marks", "once_each", "SAME_NOTCH_MM"]

#: Notch depth (mm) when the file gives none.
DEFAULT_NOTCH_DEPTH = 5.0
#: A notch deeper than this (mm) is said (a POINT's z of -150, a 150 mm line on the notch layer):
#: cut as the file gives it, a slash into the piece. AccuMark's real ones reach 25 mm (a slit
#: graded 10, 17.5, 25 mm deep in GMH1006F18).
LONG_NOTCH_MM = 50.0
#: Notch points this close to the cut line (mm) are moved onto it; farther ones are left out.
SNAP_NOTCH_MM = 2.0
#: Places listed in one remark; the rest are counted.
SHOWN = 6


def _ring_distance(ring: np.ndarray, x: float, y: float) -> float:
    q = nearest_on_ring(ring, x, y)
    return math.hypot(q[0] - x, q[1] - y)


def place_notch(n, s: float, outline: np.ndarray, reversed_angles: list, moved: list,
                far: list) -> Notch | None:
    """The :class:`Notch` of the raw notch ``n`` (``s`` mm per drawing unit) on ``outline``; a
    point within :data:`SNAP_NOTCH_MM` is moved onto it (the distance goes to ``moved``), one
    farther off gives ``None`` (``(x, y, distance)`` goes to ``far``)."""
    if n.line is not None:
        pts = n.line * s
        # the end on the cut line is the notch position; it cuts towards the other end
        d0 = _ring_distance(outline, *pts[0])
        d1 = _ring_distance(outline, *pts[-1])
        a, b = (pts[0], pts[-1]) if d0 <= d1 else (pts[-1], pts[0])
        if min(d0, d1) > SNAP_NOTCH_MM:
            far.append((float(a[0]), float(a[1]), min(d0, d1)))
            return None
        if min(d0, d1) > 1e-3:  # its end moved onto the cut line, as a point's (it was kept 1 mm inside,
            moved.append(min(d0, d1))  # and the marker then refused by nest export as off its cut line)
            a = np.asarray(nearest_on_ring(outline, float(a[0]), float(a[1])), dtype=np.float64)
        depth = float(np.linalg.norm(b - a))
        angle = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
        if depth > 0 and _points_out(outline, float(a[0]), float(a[1]), angle, step=min(0.5, 0.5 * depth)):
            # a tick drawn outside the cut line: the notch it marks cuts into the piece, as drawn long
            # (cut outward, it went into whatever lay beside the piece on the marker)
            angle = inward_angle(outline, float(a[0]), float(a[1]))
            depth = float(np.linalg.norm(pts[-1] - pts[0]))
            reversed_angles.append((float(a[0]), float(a[1])))
        return Notch(float(a[0]), float(a[1]), angle % 360.0, n.kind, depth or DEFAULT_NOTCH_DEPTH, 0.0)
    x, y = n.x * s, n.y * s
    q = nearest_on_ring(outline, x, y)
    off = math.hypot(q[0] - x, q[1] - y)
    if off > SNAP_NOTCH_MM:
        far.append((float(x), float(y), off))
        return None
    if off > 1e-3:
        moved.append(off)
        x, y = q
    inward = inward_angle(outline, x, y)
    angle = inward if n.angle is None else n.angle
    if n.angle is not None and _points_out(outline, x, y, angle):  # CLO gives some pointing out
        angle = angle + 180.0 if not _points_out(outline, x, y, angle + 180.0) else inward
        reversed_angles.append((x, y))
    depth = abs(n.z) * s or DEFAULT_NOTCH_DEPTH
    width = abs(n.width) * s
    kind = n.kind if n.kind != "slit" or width == 0 else "v"
    return Notch(float(x), float(y), float(angle) % 360.0, kind, float(depth), float(width))


def fit_depths(notches: list, outline: np.ndarray, report, label: str) -> list:
    """``notches`` each cut no deeper than the piece lets it: one that would come out of the
    piece's other side (a slit of 350 mm in a 300 mm piece went 50 mm into whatever lay beyond)
    is cut :data:`DEFAULT_NOTCH_DEPTH` deep, or half as deep as the piece is there if that is
    less; and one deeper than :data:`LONG_NOTCH_MM` that stays on the piece is cut as given:
    both reported."""
    if not notches:
        return notches
    import shapely
    from shapely.geometry import LineString, Polygon

    body = Polygon(outline)
    if not body.is_valid:
        body = body.buffer(0)
    eps = 1e-6 * max(1.0, float(np.abs(outline).max()))
    grown = body.buffer(eps)  # on its cut line is on the piece: a notch along an edge stays in
    long, through, out = [], [], []
    for n in notches:
        depth = n.depth
        d = np.array([math.cos(math.radians(n.angle_deg)), math.sin(math.radians(n.angle_deg))])
        p = np.array([n.x, n.y])
        ray = LineString([p, p + d * depth])
        if depth > 0 and ray.difference(grown).length > 1e3 * eps:
            on = ray.intersection(grown)  # the run from the notch's point up to where it leaves the piece
            t = max((g.length for g in getattr(on, "geoms", [on]) if g.geom_type == "LineString"
                     and g.distance(shapely.Point(p)) <= 10 * eps), default=0.0)
            through.append((n.x, n.y, depth))
            depth = max(min(DEFAULT_NOTCH_DEPTH, 0.5 * t), 0.01)
        elif depth > LONG_NOTCH_MM:
            long.append((n.x, n.y, depth))
        out.append(n if depth == n.depth else replace(n, depth=float(depth)))
    if through:
        shown = _places(through, lambda x, y, dep: f"{dep:.1f} mm at ({x:.1f}, {y:.1f})")
        report.warn(f"{len(through)} notch(es) as deep as the piece is wide there, or deeper ({shown}): cut "
                    f"{DEFAULT_NOTCH_DEPTH:g} mm deep, or half as deep as the piece is there (they would cut "
                    "through it, into what lies beyond)", piece=label)
    if long:
        shown = _places(long, lambda x, y, dep: f"{dep:.1f} mm at ({x:.1f}, {y:.1f})")
        report.warn(f"{len(long)} notch(es) deeper than {LONG_NOTCH_MM:g} mm ({shown}): cut as deep as the "
                    "file says, a slash into the piece", piece=label)
    return out


def _points_out(outline: np.ndarray, x: float, y: float, angle: float, step: float = 0.5) -> bool:
    """True when a notch at ``(x, y)`` cutting along ``angle`` does not enter the piece. A notch
    cutting along an edge of the piece (at a corner, as a file's angle may say) does not point
    out: its probe lies on the edge, and whether that counted as inside was decided by rounding,
    so the same notch was kept or turned to the corner's bisector as the drawing was turned."""
    d = np.array([math.cos(math.radians(angle)), math.sin(math.radians(angle))]) * step
    q = np.array([x, y]) + d
    if point_inside(outline, q):
        return False
    scale = max(1.0, float(np.abs(outline).max()))
    return _ring_distance(outline, float(q[0]), float(q[1])) > 1e-9 * scale + 1e-6 * step


def far_notches(notches: list, outline: np.ndarray, far: list) -> list:
    """``notches`` without those more than :data:`SNAP_NOTCH_MM` off ``outline`` (the unfolded
    cut line: a notch on the mirror line of the half lies inside it), which go to ``far``."""
    kept = []
    for n in notches:
        off = _ring_distance(outline, n.x, n.y)
        if off > SNAP_NOTCH_MM:
            far.append((n.x, n.y, off))
        else:
            kept.append(n)
    return kept


#: Notches closer than this (mm) are one notch listed twice.
SAME_NOTCH_MM = 0.05


def once_each(notches: list, report, label: str) -> list:
    """``notches`` with a notch listed twice at one place (drawn twice, or both halves' copies of
    a notch moved onto the same point) kept once: a cutter would cut it twice."""
    kept = apart(notches, SAME_NOTCH_MM)
    if len(kept) < len(notches):
        report.warn(f"{len(notches) - len(kept)} notch(es) at the place of another left out (one notch "
                    "listed twice; it is cut once)", piece=label)
    return kept


def _copies(opposite: int, total: int) -> str:
    if not opposite:
        return ""
    verb = "lies" if opposite == 1 else "lie"
    which = "all of them lie" if opposite == total else f"{opposite} of them {verb}"
    return f"; {which} opposite a notch of the cut line (its copy on the sew line: that notch is cut)"


def _places(items: list, fmt) -> str:
    shown = "; ".join(fmt(*it) for it in items[:SHOWN])
    return shown + (f"; and {len(items) - SHOWN} more" if len(items) > SHOWN else "")


#: A notch left out is the copy on the sew line of a notch kept on the cut line (AccuMark and ET
#: exports with seam allowance list both) when that notch lies as far from it as the cut line
#: does, give or take this much (mm) or a quarter of that distance: on a curve the copy sits
#: square to the sew line, not to the cut line.
OPPOSITE_MM = 1.0


def _opposite(far: list, outline, kept: list) -> int:
    """How many of the ``far`` notches (``(x, y, distance to the cut line)``) lie opposite a notch
    of ``kept`` on the cut line ``outline``: each kept notch counts for one, the nearest first,
    and for a far notch listed twice at that place."""
    if outline is None or not kept:
        return 0
    pairs = []
    for i, (x, y, off) in enumerate(far):
        for j, n in enumerate(kept):
            d = math.hypot(n.x - x, n.y - y)
            if d <= off + max(OPPOSITE_MM, 0.25 * off):
                pairs.append((d - off, i, j))
    used_far, used_kept = set(), set()
    for _, i, j in sorted(pairs):
        if i not in used_far and j not in used_kept:
            used_far.add(i)
            used_kept.add(j)
    twice = {i for i, (x, y, _) in enumerate(far) if i not in used_far and any(
        math.hypot(far[k][0] - x, far[k][1] - y) <= SAME_NOTCH_MM for k in used_far)}
    return len(used_far) + len(twice)


def report_notches(report, label: str, moved: list, far: list, flips: list, unfolded: bool,
                   mirrored: int = 0, outline=None, kept: list = ()) -> None:
    """The remarks on a piece's notches: moved onto the cut line, left out, turned round. On a
    piece unfolded from its half, ``moved`` and the first ``mirrored`` of ``far`` are notches of
    the drawn half (each stood for two in the unfolded piece). Notches left out that lie opposite
    a notch ``kept`` on the cut line ``outline`` are counted as its copies (nothing lost)."""
    if moved:
        half = "; on the drawn half, so their mirror images too" if unfolded else ""
        report.warn(f"{len(moved)} notch(es) moved onto the cut line (up to {max(moved):.3f} mm{half})",
                    piece=label)
    if far:
        both = f", {len(far) + mirrored} in the unfolded piece with their mirror images" if mirrored else ""
        report.skip(f"{len(far)} notch(es) more than {SNAP_NOTCH_MM:g} mm off the cut line left out{both} (a "
                    "notch is cut into the cut line, it cannot be cut there): "
                    + _places(far, lambda x, y, d: f"{d:.3f} mm off at ({x:.1f}, {y:.1f})")
                    + _copies(_opposite(far, outline, kept), len(far)), piece=label)
    if flips:
        report.warn(f"{len(flips)} notch direction(s) pointed out of the piece; reversed (or, at a "
                    "corner, set to the inward bisector)", piece=label)


def inside_drills(drills: list, outline: np.ndarray, cutouts: list, slack: float, report, label: str) -> list:
    """``drills`` without those outside ``outline`` or inside one of ``cutouts`` by more than
    ``slack`` mm (a hole there would be drilled into the next piece, or into nothing), which
    are reported as left out with their places."""
    if not drills:
        return drills
    from shapely.geometry import Point, Polygon

    body = Polygon(outline, [np.asarray(c) for c in cutouts])
    if not body.is_valid:
        body = body.buffer(0)
    kept, out = [], []
    for d in drills:
        p = Point(d.x, d.y)
        off = body.distance(p)
        if off <= slack:
            kept.append(d)
            continue
        inner = Polygon(outline).contains(p)
        out.append((d.x, d.y, off, "inside a cut-out" if inner else "outside the cut line"))
    if out:
        places = _places(out, lambda x, y, d, where: f"at ({x:.1f}, {y:.1f}), {d:.1f} mm {where}")
        report.skip(f"{len(out)} drill hole(s) not on the piece left out (a hole there would be drilled into "
                    f"the next piece): {places}", piece=label)
    return kept


def nm_lines(internal: list, nm_points: list) -> tuple[int, ...]:
    """Indices into ``internal`` (``(points, closed, source)``) of the lines ``NM`` ("not
    mirrored") marks belong to: for each mark the nearest line of two points or more. Decided
    in the sample size, where the marks are drawn on their lines, and kept for graded sizes
    (a mark graded on its own can end up nearer another line). AccuMark writes the mark at the
    first point of its line, so a mark where lines meet (as near to two of them, within
    :data:`_NM_TIE_MM`) belongs to the one that starts there, else to the one whose middle is
    nearest, and two marks at one point to two lines: the choice among equals was left to
    rounding, a drawing turned or mirrored as a whole mirrored another line, and two marks where
    two lines start kept one of them.
    Every one of the 135 marks of the real AccuMark exports lies at the first point of a line."""
    from shapely.geometry import LineString, Point

    idx = [k for k, (p, _, _) in enumerate(internal) if len(p) >= 2]
    if not idx or not nm_points:
        return ()
    geoms = [LineString(np.asarray(internal[k][0], dtype=np.float64)) for k in idx]
    mids = [g.interpolate(0.5, normalized=True) for g in geoms]
    starts = [np.asarray(internal[k][0], dtype=np.float64)[0] for k in idx]
    out = set()
    for p in nm_points:
        pt = Point(p)
        d = np.array([g.distance(pt) for g in geoms])
        tied = sorted(np.flatnonzero(d <= d.min() + _NM_TIE_MM).tolist(),
                      key=lambda j: (math.dist(starts[j], p) > _NM_TIE_MM, mids[j].distance(pt), j))
        out.add(next((idx[j] for j in tied if idx[j] not in out), idx[tied[0]]))
    return tuple(sorted(out))


#: An NM mark this close (mm) to two lines lies where they meet.
_NM_TIE_MM = 0.01


def _dist_to_line(p, a, b) -> float:
    d = (b - a) / np.linalg.norm(b - a)
    r = np.asarray(p) - a
    return abs(r[0] * d[1] - r[1] * d[0])


def mirror_marks(a, b, tol: float, notches, drills, internal, sew, cutouts, keep: set, report, label: str):
    """Notches, drills, internal and sew lines and cut-outs of both halves of a piece unfolded
    about the line ``a``-``b``. Features on it are not doubled; the internal lines whose indices
    are in ``keep`` (marked ``NM``, see :func:`nm_lines`) are not mirrored."""
    on = max(tol, 0.5)
    from dataclasses import replace

    out_n = list(notches)
    for n in notches:
        if _dist_to_line((n.x, n.y), a, b) > on:
            (x, y), = reflect(np.array([[n.x, n.y]]), a, b)
            out_n.append(replace(n, x=float(x), y=float(y), angle_deg=reflect_angle(n.angle_deg, a, b)))
    out_d = list(drills)
    for d in drills:
        if _dist_to_line((d.x, d.y), a, b) > on:
            (x, y), = reflect(np.array([[d.x, d.y]]), a, b)
            out_d.append(Drill(float(x), float(y), d.diameter))
    out_i = list(internal)
    for k, ln in enumerate(internal):
        if k in keep:
            continue
        if max(_dist_to_line(p, a, b) for p in ln.points) <= on:
            continue  # lies on the fold line
        out_i.append(Line(reflect(ln.points, a, b)[::-1], ln.closed))
    out_s = list(sew) + [Line(reflect(ln.points, a, b)[::-1], ln.closed) for ln in sew]
    out_c = list(cutouts)
    for c in cutouts:
        if min(_dist_to_line(p, a, b) for p in c) <= on:
            report.warn("a cut-out touches the mirror line; not mirrored", piece=label)
            continue
        out_c.append(reflect(c, a, b))
    if keep:
        report.warn(f"{len(keep)} internal line(s) marked NM kept on one half only", piece=label)
    return out_n, out_d, out_i, out_s, out_c
