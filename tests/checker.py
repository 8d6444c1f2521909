"""An independent placement checker for ``marker.json`` files (shapely only).

It reads the file as plain JSON, rebuilds each placed outline from the piece outline and the
placement transform written in the file, compares that with the ``outline`` the file carries,
and checks the garment rules. It shares no code with kitcut's nesting core or validator.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from shapely import STRtree
from shapely.geometry import Polygon

NAP_DIRECTIONS = {"one-way": [0.0], "two-way": [0.0, 180.0], "quarter": [0.0, 90.0, 180.0, 270.0]}


def placed(outline, rotation_deg: float, mirrored: bool, translation) -> np.ndarray:
    p = np.asarray(outline, dtype=float)
    if mirrored:
        p = p * [1.0, -1.0]
    t = math.radians(rotation_deg)
    rot = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
    return p @ rot.T + np.asarray(translation, dtype=float)


def check_marker(data: dict, *, tol: float = 1e-3, nap: str | None = None, tilt: float = 0.0) -> list[str]:
    """Return every violation found in a marker.json object (empty list: valid)."""
    problems: list[str] = []
    rules = data["instance"]["rules"]
    pieces = data["instance"]["pieces"]
    sol = data["solution"]
    width, margin, spacing = rules["width"], rules["margin"], rules["spacing"]
    polys = []
    for k, pl in enumerate(sol["placements"]):
        piece = pieces[pl["piece"]]
        pts = placed(piece["outline"], pl["rotation_deg"], pl["mirrored"], pl["translation"])
        if not np.allclose(pts, pl["outline"], atol=1e-3):
            problems.append(f"placement {k}: outline in file differs from the transformed piece")
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        if lo[1] < margin - tol or hi[1] > width - margin + tol:
            problems.append(
                f"placement {k} ({piece['name']}): outside the usable width y={lo[1]:.3f}..{hi[1]:.3f}"
            )
        if lo[0] < -tol:
            problems.append(f"placement {k} ({piece['name']}): starts before the marker, x={lo[0]:.3f}")
        if hi[0] > sol["length"] + tol:
            problems.append(f"placement {k} ({piece['name']}): beyond the marker length")
        if nap is not None and piece.get("grain"):
            g = np.asarray(piece["grain"], dtype=float)
            gp = placed(g, pl["rotation_deg"], pl["mirrored"], (0, 0))
            d = gp[-1] - gp[0]
            ang = math.degrees(math.atan2(d[1], d[0])) % 360.0
            allowed = NAP_DIRECTIONS.get(nap)
            if allowed is not None:
                off = min(min(abs(ang - a), 360 - abs(ang - a)) for a in allowed)
                if off > tilt + 1e-4:  # marker.json rounds coordinates: a short grain line turns a hair
                    problems.append(f"placement {k} ({piece['name']}): grain at {ang:.2f} deg, nap {nap}")
        polys.append(Polygon(pts))
    # every demanded copy exactly once
    seen = Counter((pl["piece"], pl["copy"]) for pl in sol["placements"])
    for i, piece in enumerate(pieces):
        for c in range(piece["quantity"]):
            if seen[(i, c)] != 1:
                problems.append(f"piece {piece['name']} copy {c}: placed {seen[(i, c)]} times")
    extra = [key for key in seen if key[1] >= pieces[key[0]]["quantity"]]
    if extra:
        problems.append(f"copies placed that were not demanded: {extra}")
    # pairwise: no overlap, spacing kept
    tree = STRtree(polys)
    for i, a in enumerate(polys):
        for j in tree.query(a.buffer(spacing + tol)):
            if j <= i:
                continue
            b = polys[j]
            if spacing > 0:
                d = a.distance(b)
                if d < spacing - tol:
                    problems.append(f"placements {i} and {j}: {d:.4f} apart, spacing is {spacing}")
            elif a.intersection(b).area > 1e-6 * min(a.area, b.area):
                problems.append(f"placements {i} and {j} overlap by {a.intersection(b).area:.6f}")
    problems += _design_problems(data, polys, tol)
    holes = sum(Polygon(c).area for pl in sol["placements"] for c in pieces[pl["piece"]]["cutouts"])
    area = sum(p.area for p in polys) - holes
    expected = area / (sol["length"] * width) if sol["length"] > 0 else 0.0
    if abs(expected - sol["efficiency"]) > 1e-6:
        problems.append("efficiency does not match the placed area")
    return problems


def _design_problems(data: dict, polys: list, tol: float) -> list[str]:
    """Match points on the repeat's lines (0.01 mm) and zones kept clear (spacing), from the file."""
    out: list[str] = []
    rules = data["instance"]["rules"]
    pieces = data["instance"]["pieces"]
    placements = data["solution"]["placements"]
    rep = rules.get("repeat")
    if rep:
        r = (rep["x_mm"], rep["y_mm"])
        for k, pl in enumerate(placements):
            match = pieces[pl["piece"]].get("match")
            if not match:
                continue
            for axis, key in ((0, "x_point"), (1, "y_point")):
                if match.get(key) is None or r[axis] <= 0:
                    continue
                w = placed([match[key]], pl["rotation_deg"], pl["mirrored"], pl["translation"])[0, axis]
                a = rep["phase"][axis] + match.get("offset", [0, 0])[axis]
                j = round((w - a) / r[axis])
                if abs(w - (a + j * r[axis])) > 0.01:
                    out.append(f"placement {k}: match point {'xy'[axis]} = {w:.3f} is off the repeat")
    for z in rules.get("zones", []):
        area = Polygon(z["shape"])
        allow = {a.casefold() for a in z.get("allow", [])}
        for k, (pl, poly) in enumerate(zip(placements, polys, strict=True)):
            cat = (pieces[pl["piece"]].get("category") or "").casefold()
            if cat and cat in allow:
                continue
            if area.distance(poly) < rules["spacing"] - tol or (
                    rules["spacing"] <= 0 and area.intersection(poly).area > 1e-6):
                out.append(f"placement {k} lies on zone {z['name']!r}")
    return out
