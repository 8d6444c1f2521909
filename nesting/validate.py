"""The independent check of a marker, in shapely only (it shares no code with the kernels).

Checked on the ORIGINAL outlines under the placement transform: every demanded copy placed
exactly once, each orientation allowed, inside the usable width and right of x = 0, no overlap
(penetration deeper than ``tol``) or, with spacing, distance >= spacing - tol, and the reported
length and density. On a fabric with a repeat, every match point on its line of the repeat
(within :data:`MATCH_TOL_MM`); every zone clear of the pieces it does not allow (spacing kept).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import shapely
from shapely.geometry import Polygon

from kitcut.errors import ValidationError
from kitcut.nesting.types import Instance, Solution

__all__ = ["validate", "MATCH_TOL_MM"]

#: How far a placed match point may lie from its line of the repeat.
MATCH_TOL_MM = 0.01


def _placed(shape: np.ndarray, rot: float, mirrored: bool, t) -> np.ndarray:
    p = np.asarray(shape, dtype=np.float64).reshape(-1, 2).copy()
    if mirrored:
        p[:, 1] = -p[:, 1]
    a = math.radians(rot)
    c, s = math.cos(a), math.sin(a)
    x = c * p[:, 0] - s * p[:, 1] + float(t[0])
    y = s * p[:, 0] + c * p[:, 1] + float(t[1])
    return np.column_stack([x, y])


def _allowed(item, rot: float, mirrored: bool, angle_tol: float) -> bool:
    if item.free_rotation:
        flags = {bool(m) for _, m in item.orientations}
        return not flags or bool(mirrored) in flags
    for r, m in item.orientations:
        d = abs((float(r) - float(rot) + 180.0) % 360.0 - 180.0)
        if d <= angle_tol and bool(m) == bool(mirrored):
            return True
    return False


def validate(instance: Instance, solution: Solution, *, tol: float = 1e-6, angle_tol_deg: float = 1e-6,
             label: Callable[[int | None, int, int], str] | None = None) -> None:
    """Raise :class:`~kitcut.errors.ValidationError` listing every violation of ``solution``.

    ``angle_tol_deg``: how far a rotation may be from an allowed one (a marker read from a file
    has its grain lines rounded, so the allowed angles move a little).

    ``label(n, item, copy)`` names a copy in the messages (``n``: its index in
    ``solution.placements``, ``None`` for a copy not placed); default ``'<item id>' copy <copy>``.
    """
    if label is None:
        def label(n, i, c):
            return f"{instance.items[i].id!r} copy {c}"
    problems: list[str] = []
    items = instance.items
    seen: dict[tuple[int, int], int] = {}
    polys: list[Polygon] = []
    names: list[str] = []
    ymin = instance.margin - tol
    ymax = instance.width - instance.margin + tol
    max_x = -math.inf
    for n, pl in enumerate(solution.placements):
        if not 0 <= pl.item < len(items):
            problems.append(f"placement {n}: unknown item {pl.item}")
            continue
        item = items[pl.item]
        name = label(n, pl.item, pl.copy)
        if not 0 <= pl.copy < item.demand:
            problems.append(f"{name}: copy index out of 0..{item.demand - 1}")
        key = (pl.item, pl.copy)
        if key in seen:
            problems.append(f"{name}: placed twice")
        seen[key] = n
        if not _allowed(item, pl.rotation_deg, pl.mirrored, angle_tol_deg):
            problems.append(
                f"{name}: orientation ({pl.rotation_deg:g} deg, mirrored={pl.mirrored}) not allowed"
            )
        pts = _placed(item.shape, pl.rotation_deg, pl.mirrored, pl.translation)
        if not np.all(np.isfinite(pts)):
            problems.append(f"{name}: non-finite coordinates")
            continue
        lo = pts.min(axis=0)
        hi = pts.max(axis=0)
        if lo[1] < ymin or hi[1] > ymax:
            problems.append(f"{name}: outside the usable width (y {lo[1]:.6g}..{hi[1]:.6g})")
        if lo[0] < -tol:
            problems.append(f"{name}: left of x = 0 (x {lo[0]:.6g})")
        max_x = max(max_x, float(hi[0]))
        poly = Polygon(pts)
        if not poly.is_valid:
            poly = shapely.make_valid(poly)
        polys.append(poly)
        names.append(name)
    for i, item in enumerate(items):
        for c in range(item.demand):
            if (i, c) not in seen:
                problems.append(f"{label(None, i, c)}: not placed")
    if polys:
        if abs(max_x - solution.length) > tol * max(1.0, abs(max_x)):
            problems.append(f"length {solution.length:.9g} is not the max x of the pieces ({max_x:.9g})")
        area = sum(p.area for p in polys)
        if solution.length > 0:
            dens = area / (solution.length * instance.width)
            if abs(dens - solution.density) > 1e-6:
                problems.append(f"density {solution.density:.6f} should be {dens:.6f}")
    problems.extend(_pair_problems(polys, names, float(instance.spacing), tol))
    problems.extend(_match_problems(instance, solution, label))
    problems.extend(_zone_problems(instance, solution, polys, names, tol))
    if problems:
        head = f"marker fails validation ({len(problems)} problem{'s' if len(problems) > 1 else ''}): "
        raise ValidationError(head + "; ".join(problems[:50]) + (" ..." if len(problems) > 50 else ""))


def _pair_problems(polys: list[Polygon], names: list[str], spacing: float, tol: float) -> list[str]:
    out: list[str] = []
    if len(polys) < 2:
        return out
    tree = shapely.STRtree(polys)
    reach = max(spacing, 0.0)
    shrunk = [p.buffer(-tol) if spacing <= 0 else None for p in polys]
    for i, p in enumerate(polys):
        for j in tree.query(p.buffer(reach) if reach > 0 else p):
            j = int(j)
            if j <= i:
                continue
            if spacing > 0:
                d = p.distance(polys[j])
                if d <= 0 and p.intersection(polys[j]).area > tol * tol:
                    out.append(f"{names[i]} and {names[j]} overlap")
                elif d < spacing - tol:
                    out.append(f"{names[i]} and {names[j]} are {d:.6g} apart (spacing {spacing:g})")
            elif shrunk[i].intersects(polys[j]) and shrunk[i].intersection(polys[j]).area > tol * tol:
                out.append(f"{names[i]} and {names[j]} overlap")
    return out


def _off_line(v: float, a: float, r: float) -> float:
    """Distance from v to the nearest of the lines a + j * r."""
    d = (v - a) / r
    return abs(d - math.floor(d + 0.5)) * r


def _match_problems(instance: Instance, solution: Solution, label) -> list[str]:
    out: list[str] = []
    rx, ry = (float(v) for v in instance.repeat)
    px, py = (float(v) for v in instance.phase)
    for n, pl in enumerate(solution.placements):
        if not 0 <= pl.item < len(instance.items):
            continue
        item = instance.items[pl.item]
        m = item.match
        if m is None:
            continue
        ox, oy = (float(v) for v in m.offset)
        for axis, point, r, a in ((0, m.x_point, rx, px + ox), (1, m.y_point, ry, py + oy)):
            if point is None or r <= 0:
                continue
            pt = np.asarray([point], dtype=np.float64)
            where = _placed(pt, pl.rotation_deg, pl.mirrored, pl.translation)
            w = float(where[0, axis])
            off = _off_line(w, a, r)
            if off > MATCH_TOL_MM:
                out.append(f"{label(n, pl.item, pl.copy)}: match point at {'xy'[axis]} = {w:.3f} is "
                           f"{off:.3f} off the repeat ({r:g} from {a:g})")
    return out


def _zone_problems(instance: Instance, solution: Solution, polys, names, tol: float) -> list[str]:
    out: list[str] = []
    if not instance.zones or not polys:
        return out
    items = [pl.item for pl in solution.placements if 0 <= pl.item < len(instance.items)]
    spacing = float(instance.spacing)
    for z, zone in enumerate(instance.zones):
        area = Polygon(np.asarray(zone.shape, dtype=np.float64))
        if not area.is_valid:
            area = shapely.make_valid(area)
        label = zone.name or f"zone {z + 1}"
        for poly, name, item in zip(polys, names, items, strict=False):
            if item in zone.allowed:
                continue
            if spacing > 0:
                d = area.distance(poly)
                if d < spacing - tol:
                    out.append(f"{name} is {d:.6g} from {label} (spacing {spacing:g})")
            elif area.intersects(poly) and area.intersection(poly).area > tol * tol:
                out.append(f"{name} lies on {label}")
    return out
