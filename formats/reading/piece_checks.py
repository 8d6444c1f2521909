"""Checks on the pieces of a pattern file, before and after they are built: vertex caps,
coordinates that are no number, outlines of more vertices than the limit (simplified within the
tolerance, a repair), and halves labelled as cut on the fold but drawn without their fold line."""

from __future__ import annotations

import math

import numpy as np

from kitcut.errors import GeometryError
from kitcut.formats.reading.build import RawPiece
from kitcut.formats.reading.outline import Fixer
from kitcut.formats.reading.texts import ON_FOLD
from kitcut.limits import check as check_limit
from kitcut.limits import current as current_limits
from kitcut.limits import simplify_ring
from kitcut.model import ImportReport

__all__ = ["MAX_COORD_MM", "check_total_vertices", "check_vertices", "check_coordinates", "simplify",
           "check_fold_labels"]


def _label(r: RawPiece) -> str:
    return f"{r.name} ({r.texts['size']})" if r.texts.get("size") else r.name


def check_total_vertices(raws: list[RawPiece], file: str) -> None:
    """The vertex cap on the cut lines of all pieces as drawn (before any work on them)."""
    total = sum(len(p) for r in raws for p, _, _ in r.boundary)
    check_limit("max_vertices", total, file=file, what="cut-line vertices of all pieces")


def check_vertices(r: RawPiece, file: str) -> None:
    """The vertex cap on one piece's cut line as drawn (before any work on it)."""
    n = sum(len(p) for p, _, _ in r.boundary)
    check_limit("max_outline_vertices", n, file=file, piece=_label(r), what="cut-line vertices")


#: Coordinates beyond this (mm) are not a garment: rejected like NaN and infinity.
MAX_COORD_MM = 1e9


def check_coordinates(r: RawPiece, scale: float, file: str) -> None:
    """:class:`GeometryError` naming the piece when a coordinate is NaN, infinite or beyond
    ±1e9 mm (after scaling), before any geometry is built from it."""
    parts = [("cut line", p) for p, _, _ in r.boundary] + [("cut-out", p) for p, _, _ in r.cutouts]
    parts += [("internal line", p) for p, _, _ in r.internal] + [("sew line", p) for p, _, _ in r.sew]
    parts += [("fold line", p) for p, _ in r.fold] + [("grain line", p) for p, _ in r.grain]
    parts += [("notch", [(n.x, n.y)]) for n in r.notches]
    parts += [("notch", n.line) for n in r.notches if n.line is not None]
    parts += [("drill hole", [(d[0], d[1])]) for d in r.drills]
    for what, pts in parts:
        a = np.asarray(pts, dtype=np.float64)
        if a.size == 0:
            continue
        with np.errstate(all="ignore"):
            bad = ~(np.abs(a * scale) <= MAX_COORD_MM)
        if bad.any():
            v = a[bad][0]
            raise GeometryError(f"{what} has a coordinate that is not a usable number ({float(v):g} "
                                f"drawing units; NaN, infinite or beyond ±{MAX_COORD_MM:g} mm)",
                                file=file, piece=_label(r))


def simplify(piece, tolerance: float, fixer: Fixer):
    """An outline over ``max_piece_vertices`` simplified within ``tolerance`` (a repair)."""
    from dataclasses import replace

    cap = current_limits().max_piece_vertices
    got = simplify_ring(piece.outline, tolerance, cap)
    if got is None:
        if cap and len(piece.outline) > cap:
            fixer.report.warn(f"outline has {len(piece.outline):,} vertices (over max_piece_vertices = "
                              f"{cap:,}) and cannot be simplified within {tolerance:g} mm: kept as drawn",
                              piece=piece.label)
        return piece
    pts, dev = got
    fixer.repair(f"outline of {len(piece.outline):,} vertices simplified to {len(pts):,} (largest change "
                 f"{dev:.3f} mm <= tolerance {tolerance:g} mm; limit max_piece_vertices = {cap:,})",
                 piece=piece.label)
    return replace(piece, outline=pts)


def _mirror_symmetric(piece, rel: float = 0.01) -> bool:
    """The outline is its own mirror image (within ``rel`` of its area) about an axis through its
    centroid: across or along its grain, or its drawing's x or y axis."""

    from shapely import affinity
    from shapely.geometry import Polygon

    poly = Polygon(piece.outline)
    if not poly.is_valid or poly.area <= 0:
        return False
    c = poly.centroid
    angles = {0.0, 90.0}
    if piece.grain is not None:
        angles |= {piece.grain.angle_deg % 180.0, (piece.grain.angle_deg + 90.0) % 180.0}
    for a in angles:
        t = math.radians(2.0 * a)  # reflection about the line through c at angle a
        m = [math.cos(t), math.sin(t), math.sin(t), -math.cos(t), 0.0, 0.0]
        img = affinity.translate(affinity.affine_transform(affinity.translate(poly, -c.x, -c.y), m), c.x, c.y)
        if poly.symmetric_difference(img).area <= rel * poly.area:
            return True
    return False


def check_fold_labels(pieces, report: ImportReport) -> None:
    """A piece labelled as cut on the fold (``Cut 1 on fold``, ``PLACE ON FOLD``) that has no
    fold line may be a half: nesting it as drawn would leave half the piece out of the kit."""
    for p in pieces:
        if p.folded or p.unfolded:
            continue
        label = next((a for a in p.annotations if ON_FOLD.search(a)), None)
        if label is not None and not _mirror_symmetric(p):  # a symmetric piece is drawn whole
            report.warn(f"labelled {label!r} but no fold line is drawn: nested as drawn; if it is a half, "
                        "draw its fold line (AAMA layer 6, or a layer named FOLD; --layer NAME=fold names "
                        "the layer it is on) or cut it on a folded spread", piece=p.label)


#: a size whose area is this far off the trend of its piece's sizes is doubted
SIZE_AREA_OFF = 0.25


def check_graded_areas(pieces, order, report: ImportReport) -> None:
    """A size of a piece whose area is far off the trend of the piece's other sizes: a repair
    that kept the wrong part of a self-intersecting outline (a racer back at 38 % of the next
    size down), or another piece's outline under this name. The trend is the median of the
    slopes between every two sizes (robust to a few wrong ones); four sizes at least."""
    rank = {s: k for k, s in enumerate(order)}
    by_name: dict[str, list] = {}
    for p in pieces:
        if p.size in rank:
            by_name.setdefault(p.name, []).append(p)
    for group in by_name.values():
        group.sort(key=lambda p: rank[p.size])
        if len(group) < 4 or len({p.size for p in group}) != len(group):
            continue
        x = np.array([rank[p.size] for p in group], dtype=np.float64)
        a = np.array([p.area for p in group])
        i, j = np.triu_indices(len(group), 1)
        slope = float(np.median((a[j] - a[i]) / (x[j] - x[i])))
        trend = float(np.median(a - slope * x)) + slope * x
        for p, got, want in zip(group, a, trend, strict=True):
            if want > 0 and abs(got / want - 1.0) > SIZE_AREA_OFF:
                report.warn(f"area {got:,.0f} mm² is {got / want:.0%} of the {want:,.0f} mm² that the "
                            f"piece's other sizes give size {p.size}: check this size's outline before "
                            "cutting it", piece=p.label, headline=True)  # a job of the size says it
