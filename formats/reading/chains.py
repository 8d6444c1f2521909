"""Curve entities to point arrays, and chaining open pieces of a cut line into closed rings.

Real AAMA exports lay the cut line as several open POLYLINEs head to tail (with zero-length
stubs at the joints); general CAD writes LINE/ARC/SPLINE segments in any order and direction.
:func:`chain_segments` joins them end to end within a gap tolerance and says where it had to
close a gap; it never takes just the first polyline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["CURVE_TYPES", "entity_points", "flatten_path", "Segment", "Chain", "chain_segments", "dedupe",
           "describe"]

#: Entity types that carry a curve kitcut can read.
CURVE_TYPES = frozenset({"LINE", "POLYLINE", "LWPOLYLINE", "ARC", "CIRCLE", "ELLIPSE", "SPLINE"})

#: Points closer than this (drawing units, relative to the tolerance) count as the same point.
EXACT = 1e-6


def describe(e, block: str | None = None) -> str:
    """``"LINE #1F2 on layer 8 in block FRONT_M"``: how reports name an entity."""
    handle = e.dxf.get("handle", None)
    s = f"{e.dxftype()}{' #' + handle if handle else ''} on layer {e.dxf.get('layer', '0')}"
    return s + (f" in block {block}" if block else "")


def flatten_path(p, flat_tol: float) -> np.ndarray | None:
    """The points of an ezdxf path flattened to the chord tolerance ``flat_tol``; ``None`` when
    a control point is NaN, infinite or absurd (beyond ±1e9), where flattening would never end."""
    ctrl = np.array([(v.x, v.y) for v in p.control_vertices()], dtype=np.float64).reshape(-1, 2)
    if not (np.abs(ctrl) <= 1e9).all():
        return None
    pts = [(v.x, v.y) for v in p.flattening(distance=max(flat_tol, 1e-9), segments=8)]
    return np.array(pts, dtype=np.float64).reshape(-1, 2)


def bulge_points(xy: list, bulges: list, closed: bool, flat_tol: float) -> np.ndarray:
    """The points of a polyline whose segments bulge into arcs (DXF's bulge: the tangent of a
    quarter of the arc's angle, positive counter-clockwise), each arc flattened to the chord
    tolerance ``flat_tol``; an arc that rises less than a hundredth of it off its chord is
    the straight segment (a straight edge written with a radius of 1e6: flattened by ezdxf, it
    ran to its end and back, and a closed cut line was refused for a 297 mm gap that is not
    there; a slit so drawn became 8 notches)."""
    pts = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    n = len(pts)
    out = [pts[0]] if n else []
    for k in range(n if closed else n - 1):
        a, b, bulge = pts[k], pts[(k + 1) % n], float(bulges[k] or 0.0)
        chord = float(np.hypot(*(b - a)))
        if chord > 0 and math.isfinite(bulge) and abs(bulge) * chord / 2 > 0.01 * flat_tol:
            theta = 4.0 * math.atan(bulge)  # signed angle of the arc
            r = chord / (2.0 * math.sin(abs(theta) / 2.0))
            step = 2.0 * math.acos(max(-1.0, 1.0 - flat_tol / r)) if r > flat_tol else math.pi / 2
            m = max(2, math.ceil(abs(theta) / max(step, 1e-6)))
            m = min(m, 4096)
            mid = (a + b) / 2.0
            normal = np.array([-(b - a)[1], (b - a)[0]]) / chord  # left of the chord
            d = r * math.cos(abs(theta) / 2.0)  # centre's distance from the chord's middle
            centre = mid + normal * (d if bulge > 0 else -d)  # d < 0: an arc of more than half a turn
            start = math.atan2(a[1] - centre[1], a[0] - centre[0])
            for j in range(1, m):
                t = start + theta * j / m
                out.append(centre + r * np.array([math.cos(t), math.sin(t)]))
        out.append(b)
    if closed and len(out) > 1:
        out.pop()  # the first point again
    return np.array(out, dtype=np.float64).reshape(-1, 2)


def _path_points(e, flat_tol: float) -> np.ndarray:
    from ezdxf import path

    p = path.make_path(e)
    pts = flatten_path(p, flat_tol)
    if pts is None:
        # returned as they are, the absurd control points make the reader reject the curve
        # with the piece's name
        return np.array([(v.x, v.y) for v in p.control_vertices()], dtype=np.float64).reshape(-1, 2)
    return pts


def _spline_points(e, flat_tol: float) -> np.ndarray:
    """A SPLINE flattened to the chord tolerance over the span where it is defined.

    A spline is defined from knot ``degree`` to knot ``count`` (its control points' count);
    on a clamped knot vector that is the whole of it, but a periodic spline (unclamped knots,
    its control points wrapped, as LibreCAD writes a closed one) runs past both ends of that
    span into curves that are not drawn, and ezdxf flattens the whole knot vector. A spline
    of degree 1 is its control polygon: flattened at its knots, its corners stay corners."""
    s = e.construction_tool()
    ctrl = np.array([(v.x, v.y) for v in s.control_points], dtype=np.float64).reshape(-1, 2)
    if not (np.abs(ctrl) <= 1e9).all():
        return ctrl  # absurd: the reader rejects the curve with the piece's name
    knots = np.asarray(s.knots(), dtype=np.float64)
    lo, hi = knots[s.order - 1], knots[s.count]
    ts = np.unique(np.r_[lo, knots[(knots > lo) & (knots < hi)], hi])
    point = s.evaluator.point
    tol = max(flat_tol, 1e-9)

    def at(t: float) -> np.ndarray:
        v = point(t)
        return np.array((v.x, v.y))

    def off_chord(m, a, b) -> float:
        d = b - a
        n = math.hypot(d[0], d[1])
        return math.hypot(*(m - a)) if n == 0.0 else abs(d[0] * (m[1] - a[1]) - d[1] * (m[0] - a[0])) / n

    out = [at(ts[0])]

    def subdivide(a, b, t0: float, t1: float, depth: int) -> None:
        tm = 0.5 * (t0 + t1)
        m = at(tm)
        if depth < 16 and off_chord(m, a, b) > tol:
            subdivide(a, m, t0, tm, depth + 1)
            subdivide(m, b, tm, t1, depth + 1)
        else:
            out.append(b)

    for t0, t1 in zip(ts[:-1], ts[1:], strict=True):
        steps = np.linspace(t0, t1, 5 if s.degree > 1 else 2)  # 4 chords a span at least (of a curve)
        a = out[-1]
        for u0, u1 in zip(steps[:-1], steps[1:], strict=True):
            b = at(u1)
            subdivide(a, b, u0, u1, 0)
            a = b
    return np.array(out, dtype=np.float64).reshape(-1, 2)


def entity_points(e, flat_tol: float) -> tuple[np.ndarray, bool] | None:
    """``(points float64[n, 2], closed)`` of a curve entity in its block's coordinates.

    Curves (arcs, bulges, splines, ellipses) are flattened to the chord tolerance
    ``flat_tol`` (drawing units). ``None`` for entities that are not 2D curves.
    """
    t = e.dxftype()
    try:
        if t == "LINE":
            s, f = e.dxf.start, e.dxf.end
            return np.array([[s.x, s.y], [f.x, f.y]]), False
        if t == "POLYLINE":
            if not (e.is_2d_polyline or e.is_3d_polyline):
                return None
            verts = list(e.vertices)
            ext = e.dxf.get("extrusion", None)
            if any(v.dxf.get("flags", 0) & 16 for v in verts):
                # a spline-fit polyline: its fit points are the curve, its control frame is not
                fit = [v.dxf.location for v in verts if not v.dxf.get("flags", 0) & 16]
                if ext is not None and e.is_2d_polyline:
                    fit = list(e.ocs().points_to_wcs(fit))
                pts = np.array([(p.x, p.y) for p in fit]).reshape(-1, 2)
            elif ext is not None and ext.z < 0:
                pts = _path_points(e, flat_tol)
            elif any(v.dxf.get("bulge", 0.0) for v in verts):
                pts = bulge_points([(v.dxf.location.x, v.dxf.location.y) for v in verts],
                                   [v.dxf.get("bulge", 0.0) for v in verts], bool(e.is_closed), flat_tol)
            else:
                pts = np.array([(v.dxf.location.x, v.dxf.location.y) for v in verts]).reshape(-1, 2)
            return pts, bool(e.is_closed)
        if t == "LWPOLYLINE":
            raw = e.get_points("xyb")
            ext = e.dxf.get("extrusion", None)
            if ext is not None and ext.z < 0:
                pts = _path_points(e, flat_tol)
            elif any(b for _, _, b in raw):
                pts = bulge_points([(x, y) for x, y, _ in raw], [b for _, _, b in raw], bool(e.closed),
                                   flat_tol)
            else:
                pts = np.array([(x, y) for x, y, _ in raw]).reshape(-1, 2)
            return pts, bool(e.closed)
        if t in ("ARC", "CIRCLE", "ELLIPSE", "SPLINE"):
            pts = _spline_points(e, flat_tol) if t == "SPLINE" else _path_points(e, flat_tol)
            closed = t == "CIRCLE" or (len(pts) > 2 and bool(np.allclose(pts[0], pts[-1])))
            if t == "SPLINE" and e.closed:
                closed = True
            return pts, closed
    except (ValueError, ZeroDivisionError, TypeError, AttributeError):
        return np.zeros((0, 2)), False
    return None


def dedupe(pts: np.ndarray, eps: float = 0.0) -> np.ndarray:
    """Drop consecutive repeated points (within ``eps``)."""
    if len(pts) < 2:
        return pts
    d = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    keep = np.concatenate(([True], d > eps))
    return pts[keep]


@dataclass
class Segment:
    """An open piece of a line: its points and the entity it came from."""

    points: np.ndarray
    source: str = ""


@dataclass
class Chain:
    """Segments joined end to end. ``joins`` are ``(gap, x, y)`` of every joint (and of the
    closing joint when ``closed``)."""

    points: np.ndarray
    closed: bool
    sources: list[str] = field(default_factory=list)
    joins: list[tuple[float, float, float]] = field(default_factory=list)

    @property
    def end_gap(self) -> float:
        return float(np.linalg.norm(self.points[-1] - self.points[0]))

    @property
    def length(self) -> float:
        return float(np.linalg.norm(np.diff(self.points, axis=0), axis=1).sum())


def _nearest(ends: np.ndarray, used: np.ndarray, p: np.ndarray) -> tuple[int, float]:
    d = np.hypot(ends[:, 0] - p[0], ends[:, 1] - p[1])
    d[np.repeat(used, 2)] = np.inf
    k = int(np.argmin(d))
    return k, float(d[k])


def chain_segments(segments: list[Segment], tol: float) -> list[Chain]:
    """Join open segments end to end (either direction) where ends lie within ``tol``.

    A chain closes when its ends meet within ``tol`` and no unused segment starts nearer.
    Returns closed and open chains; the caller decides what an open chain means.
    """
    segs = [s for s in segments if len(s.points) >= 2]
    if not segs:
        return []
    ends = np.array([[s.points[0], s.points[-1]] for s in segs]).reshape(-1, 2)
    used = np.zeros(len(segs), dtype=bool)
    chains: list[Chain] = []
    for first in range(len(segs)):
        if used[first]:
            continue
        used[first] = True
        parts = [segs[first].points]
        sources = [segs[first].source]
        joins: list[tuple[float, float, float]] = []
        head, tail = segs[first].points[0], segs[first].points[-1]
        closed = False
        for side in ("tail", "head"):
            while True:
                here = tail if side == "tail" else head
                other = head if side == "tail" else tail
                gap_close = float(np.hypot(*(here - other)))
                npts = sum(len(p) for p in parts)
                k, d = _nearest(ends, used, here) if not used.all() else (-1, math.inf)
                if npts >= 3 and gap_close <= tol and gap_close <= d:
                    joins.append((gap_close, *((here + other) / 2)))
                    closed = True
                    break
                if d > tol:
                    break
                i, at_start = divmod(k, 2)
                pts = segs[i].points
                used[i] = True
                sources.append(segs[i].source)
                joins.append((d, *((here + ends[k]) / 2)))
                if side == "tail":
                    pts = pts if at_start == 0 else pts[::-1]
                    parts.append(pts[1:] if d <= EXACT * max(tol, 1.0) else pts)
                    tail = pts[-1]
                else:
                    pts = pts[::-1] if at_start == 0 else pts
                    parts.insert(0, pts[:-1] if d <= EXACT * max(tol, 1.0) else pts)
                    head = pts[0]
            if closed:
                break
        pts = np.concatenate(parts)
        if closed and len(pts) > 1 and np.hypot(*(pts[0] - pts[-1])) <= EXACT * max(tol, 1.0):
            pts = pts[:-1]
        chains.append(Chain(pts, closed, sources, joins))
    return chains
