"""Check a marker read from a file before anything is cut from it.

A ``marker.json`` can be edited by hand or damaged; ``nest export`` must not turn such a file
into cutter files. :func:`check_marker` runs the same independent validator that checks every
marker after nesting (:func:`kitcut.nesting.validate`): every demanded copy placed exactly once,
each orientation allowed by the piece's rules, inside the usable width, no overlap, spacing kept,
the length the pieces reach. It also checks what the file states twice: each placement's stored
``outline`` against its piece under its transform, and the stored efficiency; and that every
piece's marks lie on it (as the importer leaves them): each notch on its cut line, each drill hole
inside it and not in a cut-out, within :data:`MARK_TOL_MM` (a mark off its piece would be cut or
punched into whatever lies there: the next piece).

A problem is an :class:`~kitcut.errors.InputError` (exit status 2) naming the file and each
placement by its index in ``solution.placements``, its piece and copy::

    marker.json: not a valid marker (1 problem): placement 2 (Sleeve (S) copy 0): outside the
    usable width (y 1050..1932.5)
"""

from __future__ import annotations

import math

import numpy as np

from kitcut.errors import InputError, ValidationError
from kitcut.kits.marker import build_instance
from kitcut.limits import LimitError
from kitcut.model import Marker, Pattern
from kitcut.model.geometry import transform_points
from kitcut.nesting import Placed, Solution, validate

__all__ = ["check_marker", "OUTLINE_TOL", "TOL", "ANGLE_TOL_DEG", "MARK_TOL_MM"]

#: How far (marker units) a stored placement outline may lie from its piece under its transform.
OUTLINE_TOL = 1e-3
#: The validator's tolerance for a marker read from a file: its outlines are rounded to 6
#: decimals, so a gap of exactly the spacing may read up to a micron short.
TOL = 1e-4
#: How far (degrees) a rotation may be from an allowed one: the grain lines the allowed angles
#: come from are rounded too (a 10 mm grain line moves its angle by up to ~1e-5 degrees).
ANGLE_TOL_DEG = 1e-3
#: How far (mm) a notch may lie from its piece's cut line, or a drill hole outside its piece (the
#: importer puts notches on the cut line and leaves out drill holes more than 0.5 mm off).
MARK_TOL_MM = 0.5


def check_marker(marker: Marker, *, file: str | None = None, stored: dict | None = None) -> None:
    """Raise :class:`InputError` listing every problem of ``marker`` (none: return).

    ``stored`` is the file's ``solution`` object, for the figures it states twice (each
    placement's ``outline``, ``efficiency``); ``None`` skips those checks.
    """
    pattern = Pattern(pieces=marker.pieces, style=marker.name, source=file, units=marker.units)
    try:
        instance, sources = build_instance(pattern, marker.rules)
    except LimitError as exc:  # a valid marker, written under a raised limit: the limit, not the marker
        raise LimitError(exc.message, file=file, piece=exc.piece) from None
    except InputError as exc:
        raise InputError(f"not a valid marker: {exc.message}", file=file, piece=exc.piece) from None
    where = {(s.piece, c): (i, k) for i, s in enumerate(sources) for k, c in enumerate(s.copies)}
    problems: list[str] = []
    placed: list[Placed] = []
    index: list[int] = []  # file index of each placement given to the validator

    def name(n: int | None, piece: int, copy: int) -> str:
        what = f"{marker.pieces[piece].label} copy {copy}"
        return what if n is None else f"placement {n} ({what})"

    for n, pl in enumerate(marker.placements):
        key = (pl.piece, pl.copy)
        if key not in where:
            q = marker.pieces[pl.piece].quantity
            has = f"has {q} cop{'y' if q == 1 else 'ies'} (0..{q - 1})" if q > 0 else "is not cut"
            problems.append(f"{name(n, *key)}: no such copy, the piece {has}")
            continue
        item, k = where[key]
        placed.append(Placed(item, k, pl.rotation_deg, pl.mirrored, tuple(pl.translation)))
        index.append(n)

    def label(n, item, copy):
        src = sources[item]
        return name(None if n is None else index[n], src.piece, src.copies[copy])

    solution = Solution(tuple(placed), float(marker.length), _density(instance, placed, marker))
    try:
        validate(instance, solution, tol=TOL, angle_tol_deg=ANGLE_TOL_DEG, label=label)
    except ValidationError as exc:
        problems += str(exc).split(": ", 1)[1].removesuffix(" ...").split("; ")
    problems += _stored_problems(marker, stored or {}, name)
    problems += _mark_problems(marker)
    if problems:
        many = len(problems) > 1
        more = len(problems) - 20
        shown = "; ".join(problems[:20]) + (f"; ... ({more} more)" if more > 0 else "")
        raise InputError(f"not a valid marker ({len(problems)} problem{'s' if many else ''}): {shown}",
                         file=file)


def _density(instance, placed, marker: Marker) -> float:
    """The density as the validator measures it (so it checks everything else); the file's own
    figure is checked against the pieces' area in :func:`_stored_problems`."""
    import shapely
    from shapely.geometry import Polygon

    if marker.length <= 0 or instance.width <= 0:
        return 0.0
    area = 0.0
    for p in placed:
        pts = transform_points(instance.items[p.item].shape, p.rotation_deg, p.mirrored, p.translation)
        if np.all(np.isfinite(pts)):
            poly = Polygon(pts)
            area += (poly if poly.is_valid else shapely.make_valid(poly)).area
    return area / (marker.length * instance.width)


def _stored_problems(marker: Marker, stored: dict, name) -> list[str]:
    out: list[str] = []
    rows = stored.get("placements") or []
    for n, (pl, row) in enumerate(zip(marker.placements, rows, strict=False)):
        if not isinstance(row, dict) or row.get("outline") is None:
            continue
        try:
            got = np.asarray(row["outline"], dtype=float).reshape(-1, 2)
        except (TypeError, ValueError):
            out.append(f"{name(n, pl.piece, pl.copy)}: outline is not a list of [x, y] points")
            continue
        want = marker.placed_outline(pl)
        if got.shape != want.shape or not np.all(np.abs(got - want) <= OUTLINE_TOL):
            out.append(f"{name(n, pl.piece, pl.copy)}: the stored outline is not the piece under the "
                       "placement's rotation, mirroring and translation (edit one, not the other)")
    eff = stored.get("efficiency")
    if isinstance(eff, (int, float)) and not isinstance(eff, bool) and marker.placements:
        if not math.isclose(float(eff), marker.efficiency, rel_tol=1e-6, abs_tol=1e-9):
            out.append(f"efficiency {float(eff):g} is not what the pieces give ({marker.efficiency:.6f})")
    return out


def _mark_problems(marker: Marker) -> list[str]:
    """Notches off their piece's cut line and drill holes off their piece, by piece and mark."""
    import shapely
    from shapely.geometry import LinearRing, Point, Polygon

    from kitcut.formats.layout.page import MM_PER_UNIT

    k = MM_PER_UNIT.get((marker.units or "mm").lower(), 1.0)
    unit = "mm" if k == 1.0 else marker.units
    tol = MARK_TOL_MM / k
    placed = {pl.piece for pl in marker.placements}
    out: list[str] = []
    for i, piece in enumerate(marker.pieces):
        if i not in placed or len(piece.outline) < 3 or not (piece.notches or piece.drills or piece.cutouts):
            continue
        edge = LinearRing(piece.outline)
        whole = Polygon(piece.outline)
        if not whole.is_valid:
            whole = whole.buffer(0)
        body = Polygon(piece.outline, [np.asarray(c) for c in piece.cutouts])
        if not body.is_valid:
            body = body.buffer(0)
        for n, cut in enumerate(piece.cutouts):
            hole = np.asarray(cut, dtype=float).reshape(-1, 2)
            off = float(shapely.distance(whole, shapely.points(hole)).max()) if len(hole) else 0.0
            if off > tol:
                out.append(f"{piece.label}: cut-out {n} reaches {off:.1f} {unit} outside the piece (it would "
                           "be cut into what lies there)")
        for n, notch in enumerate(piece.notches):
            off = edge.distance(Point(notch.x, notch.y))
            if off > tol:
                out.append(f"{piece.label}: notch {n} at ({notch.x:g}, {notch.y:g}) lies {off:.1f} {unit} "
                           "off its cut line (it would be cut into what lies there)")
                continue
            depth = notch.depth / k  # mm, as the model holds it, in the marker's unit
            a = math.radians(notch.angle_deg)
            tip = Point(notch.x + depth * math.cos(a), notch.y + depth * math.sin(a))
            beyond = whole.distance(tip)
            if beyond > tol:
                out.append(f"{piece.label}: notch {n} at ({notch.x:g}, {notch.y:g}) cuts {beyond:.1f} {unit} "
                           "out of the piece (pointing out, or deeper than the piece is there: it would be "
                           "cut into what lies there)")
        for n, drill in enumerate(piece.drills):
            p = Point(drill.x, drill.y)
            off = body.distance(p)
            if off > tol:
                where = "inside a cut-out of" if whole.contains(p) else "outside"
                out.append(f"{piece.label}: drill hole {n} at ({drill.x:g}, {drill.y:g}) lies {off:.1f} "
                           f"{unit} {where} the piece (it would be punched into what lies there)")
    return out
