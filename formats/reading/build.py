"""From the raw parts of one piece (as read from a file) to a checked :class:`Piece` in mm.

Readers fill a :class:`RawPiece` (coordinates in drawing units, already placed by the INSERT
transform); :func:`build_piece` scales to millimetres, chains the cut line, checks and repairs
it, reads the notches, drills, grain, internal and sew lines, cut-outs, and unfolds a piece
drawn on a fold line. Every repair and doubt goes to the report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from kitcut.formats.reading.chains import Chain, Segment, chain_segments, dedupe
from kitcut.formats.reading.cutouts import piece_cutouts
from kitcut.formats.reading.fold_edge import mirror_edge
from kitcut.formats.reading.mark_place import (
    DEFAULT_NOTCH_DEPTH,
    far_notches,
    fit_depths,
    inside_drills,
    mirror_marks,
    nm_lines,
    once_each,
    place_notch,
    report_notches,
)
from kitcut.formats.reading.outline import (
    Fixer,
    check_ring,
    clip_lines,
    remove_spikes,
    splice_spurs,
)
from kitcut.model import Drill, Line, Notch, Piece, Source
from kitcut.model.geometry import ring_area

__all__ = [
    "RawPiece", "RawNotch", "point_notch", "GradeMark", "build_piece", "chain_rings", "gap_error",
    "boundary_extent", "largest_extent", "NOTCH_LAYER_KINDS", "DEFAULT_NOTCH_DEPTH",
]

#: ASTM D6673 notch layers and their kinds (layer 4 is a slit, or a V when it has a width).
NOTCH_LAYER_KINDS = {"80": "t", "81": "castle", "82": "check", "83": "u"}
#: Gaps in a cut line up to this (mm) are closed even over the tolerance (reported): exports of
#: many CADs leave a few tenths of a millimetre between the parts of an outline.
GAP_CLOSE_MM = 1.0
#: Exactly joined: gaps below this (mm) are not repairs.
EXACT_MM = 1e-3


@dataclass
class RawNotch:
    """A notch as read: a POINT (``z`` depth, ``width``, ``angle`` or ``None``) or a short LINE."""

    x: float
    y: float
    z: float = 0.0
    width: float = 0.0
    angle: float | None = None
    kind: str = "slit"
    line: np.ndarray | None = None
    source: str = ""


def point_notch(x: float, y: float, z: float, thickness: float, angle: float | None, layer: str,
                source: str) -> RawNotch:
    """The notch an AAMA POINT stands for on notch layer ``layer`` (4, or 80–83 for the shaped
    kinds): its depth in ``z``, its width in the ``thickness``, its direction in the angle."""
    return RawNotch(x, y, z=abs(z), width=abs(thickness), angle=angle,
                    kind=NOTCH_LAYER_KINDS.get(layer, "slit"), source=source)


@dataclass
class GradeMark:
    """A grade rule number at a point of one of a piece's lines (drawing units, placed).

    ``kind`` names the line: ``boundary`` (the cut line, every part of it), ``internal``,
    ``cutouts``, ``sew`` (``index`` says which), ``grain``, ``fold``, ``notch``, ``drill``."""

    kind: str
    index: int | None
    x: float
    y: float
    rule: int
    source: str = ""


@dataclass
class RawPiece:
    """The parts of one piece in drawing units (placed), before checks."""

    key: str
    block: str | None = None
    layer: str | None = None
    texts: dict = field(default_factory=dict)
    annotations: list = field(default_factory=list)
    boundary: list = field(default_factory=list)  # (points, closed, source)
    #: the layer-1 cut line when ASTM's denser layer 84 gives the boundary: the lines a grade
    #: moves point by point (see :mod:`kitcut.formats.reading.sample_notches`)
    grade_lines: list = field(default_factory=list)  # points
    #: the layer-2 turn points and layer-3 curve points ``(turns, curves)``, arrays of (x, y),
    #: when the layer-1 cut line is the boundary (see :mod:`kitcut.formats.reading.curve_points`)
    point_marks: tuple | None = None
    cutouts: list = field(default_factory=list)  # (points, closed, source)
    internal: list = field(default_factory=list)  # (points, closed, source)
    sew: list = field(default_factory=list)  # (points, closed, source)
    fold: list = field(default_factory=list)  # (points, source)
    grain: list = field(default_factory=list)  # (points, source)
    notches: list = field(default_factory=list)  # RawNotch
    drills: list = field(default_factory=list)  # (x, y, z, source)
    nm_points: list = field(default_factory=list)  # (x, y) of NM ("not mirrored") marks
    #: indices into ``internal`` of the lines marked NM, decided in the sample size and carried
    #: through grading (``None``: decided from ``nm_points`` when the piece is built)
    nm_lines: tuple | None = None
    repeat_lines: list = field(default_factory=list)  # (points, layer "9"/"10", source): match points
    mirrored_insert: bool = False
    inserts: tuple | None = None  # (count, mirrored) when the block is inserted more than once
    quantity: int | None = None
    flipped: int | None = None
    #: the ``Size:`` texts after the first that name another size (a graded nest drawn in one block)
    more_sizes: list = field(default_factory=list)
    quantity_rule: str = "file"
    #: grade rule numbers at grade points (``# n`` labels), see :mod:`kitcut.formats.reading.grading`
    marks: list = field(default_factory=list)  # GradeMark
    #: labels moved onto their grade point or left out (see :mod:`kitcut.formats.reading.grade_labels`)
    label_notes: list = field(default_factory=list)
    grade_ref: np.ndarray | None = None  # the layer-5 grade reference line, block coordinates
    insert_A: np.ndarray | None = None  # the INSERT's linear part (row vectors: p @ A)
    graded: bool = False  # made by grading the sample size (not drawn in the file)
    pending: tuple | None = None  # a graded size not yet made (see grade_sizes.realize)

    @property
    def name(self) -> str:
        """The name text, else the name of the block that draws the piece, else its key."""
        return self.texts.get("name") or self.texts.get("block") or self.key


def boundary_extent(raw: RawPiece) -> np.ndarray | None:
    """The sides ``(w, h)`` of the box of ``raw``'s cut line, in its drawing units (None: none)."""
    pts = [np.asarray(p, dtype=float).reshape(-1, 2) for p, _, _ in raw.boundary if len(p)]
    return np.ptp(np.concatenate(pts), axis=0) if pts else None


def largest_extent(raws: list[RawPiece]) -> float:
    """The length of the longest cut line among ``raws`` (the long side of its smallest box in
    any turn, :func:`~kitcut.formats.reading.units.long_side`), in their drawing units (0 for
    none): what the unit checks compare with garment sizes, the same however the drawing is turned."""
    from kitcut.formats.reading.units import long_side

    lengths = [long_side(np.concatenate(pts)) for r in raws
               if (pts := [np.asarray(p, dtype=float).reshape(-1, 2) for p, _, _ in r.boundary if len(p)])]
    return max(lengths, default=0.0)


def chain_rings(parts: list, tol: float, fixer: Fixer, piece: str, what: str) -> tuple[list, list[Chain]]:
    """Closed rings (mm) of ``parts`` (``(points, closed, source)`` in mm): closed entities as
    they are, open ones chained within ``tol``. Returns ``(rings, open_chains)``; every gap
    closed above :data:`EXACT_MM` is reported as a repair."""
    rings = []
    segs = []
    for pts, closed, src in parts:
        pts = dedupe(np.asarray(pts, dtype=np.float64), 0.0)
        if closed:
            if len(pts) > 1 and np.array_equal(pts[0], pts[-1]):
                pts = pts[:-1]
            rings.append(pts)
        elif len(pts) < 2 or np.linalg.norm(np.diff(pts, axis=0), axis=1).sum() <= EXACT_MM:
            fixer.report.skip(f"zero-length piece of the {what} ignored", piece=piece, entity=src)
        else:
            segs.append(Segment(pts, src))
    open_chains = []
    for ch in chain_segments(segs, tol):
        if ch.closed:
            for gap, x, y in ch.joins:
                if gap > EXACT_MM:
                    fixer.repair(f"closed a gap of {gap:.3f} mm in the {what} at ({x:.1f}, {y:.1f}) "
                                 f"(tolerance {tol:g} mm)", piece=piece)
            rings.append(ch.points)
        else:
            open_chains.append(ch)
    return rings, open_chains


def close_gaps(chains: list[Chain], tol: float) -> list[Chain]:
    """Chains of a cut line left open by ``tol`` chained again with gaps up to
    :data:`GAP_CLOSE_MM` (sloppy exports). Use it only on lines known to be cut lines, and
    report each closed one with :func:`report_gaps`."""
    if not chains or tol >= GAP_CLOSE_MM:
        return chains
    out = chain_segments([Segment(c.points, ", ".join(c.sources)) for c in chains], GAP_CLOSE_MM)
    return [c if len(c.points) >= 3 else Chain(c.points, False, c.sources, c.joins) for c in out]


def report_gaps(ch: Chain, tol: float, fixer: Fixer, piece: str | None, what: str) -> None:
    """Report every gap closed in ``ch`` (its closing one included) as a repair."""
    for gap, x, y in ch.joins:
        if gap > EXACT_MM:
            over = (f": over the tolerance {tol:g} mm, but a cut line's gaps up to {GAP_CLOSE_MM:g} "
                    "mm are closed") if gap > tol else f" (tolerance {tol:g} mm)"
            fixer.repair(f"closed a gap of {gap:.3f} mm in the {what} at ({x:.1f}, {y:.1f}){over}",
                         piece=piece)


def gap_error(chains: list[Chain], fixer: Fixer, piece: str, tol: float, what: str):
    """The error for a cut line that does not close: the largest gap and where it is."""
    if len(chains) == 1:
        p, q = chains[0].points[0], chains[0].points[-1]
        gap = float(np.linalg.norm(p - q))
        where = (p + q) / 2
    else:
        joined = chain_segments([Segment(c.points) for c in chains], math.inf)
        joins = [j for c in joined for j in c.joins]
        gap, x, y = max(joins) if joins else (math.inf, 0.0, 0.0)
        where = np.array([x, y])
    lines = f"{sum(len(c.sources) for c in chains)} piece(s) of line do not close"
    if tol < gap <= GAP_CLOSE_MM:  # a line lying on other lines: closed within the tolerance only
        return fixer.error(
            f"{what} is open: a gap of {gap:.3f} mm at ({where[0]:.1f}, {where[1]:.1f}), more than the "
            f"tolerance {tol:g} mm ({lines}; lying on other lines, it is closed within the tolerance "
            f"only, lest a mark become a cut-out): close it in the pattern CAD, or rerun with "
            f"--tolerance {math.ceil(gap * 10 + 1e-9) / 10:g}", piece=piece)
    return fixer.error(
        f"{what} is open: a gap of {gap:.3f} mm at ({where[0]:.1f}, {where[1]:.1f}), more than the "
        f"{max(tol, GAP_CLOSE_MM):g} mm kitcut closes ({lines}): close this one in the pattern CAD",
        piece=piece)


def _line(pts, closed: bool = False) -> Line:
    return Line(dedupe(np.asarray(pts, dtype=np.float64), 0.0), closed)


def _first_line(entries, scale: float, what: str, fixer, label: str) -> Line | None:
    """The first non-empty line of ``entries`` as a straight line (the shaft of one drawn with
    arrowheads); the others are reported."""
    from kitcut.formats.reading.arrow_lines import arrowed

    line = None
    for k, (pts, src) in enumerate(entries):
        pts = np.asarray(pts) * scale
        if k == 0 and len(pts) >= 2 and np.linalg.norm(pts[-1] - pts[0]) > 0:
            sh = arrowed(pts) if len(pts) > 2 else None
            line = Line(sh if sh is not None else np.array([pts[0], pts[-1]]))
        else:
            fixer.report.skip(f"extra or empty {what} line; not used", piece=label, entity=src)
    return line

def build_piece(raw: RawPiece, scale: float, *, tol: float, unfold: bool, fixer: Fixer, file: str) -> Piece:
    """Check and assemble one piece (see the module docstring); ``scale`` is mm per drawing unit."""
    name = raw.name
    label = f"{name} ({raw.texts['size']})" if raw.texts.get("size") else name
    s = scale
    boundary = [(np.asarray(p) * s, c, src) for p, c, src in raw.boundary]
    rings, open_chains = chain_rings(boundary, tol, fixer, label, "cut line")
    if not rings:
        closed = [c for c in close_gaps(open_chains, tol) if c.closed]
        for c in closed:
            report_gaps(c, tol, fixer, label, "cut line")
        rings = [c.points for c in closed]
    if not rings:
        if open_chains:
            raise gap_error(open_chains, fixer, label, tol, "cut line")
        if not raw.boundary and raw.block:  # a labelled piece block without its cut line
            raise fixer.error(f"no cut line: its block '{raw.block}' holds the piece's texts but draws "
                              "nothing on the cut line's layer (AAMA layer 1, or ASTM's 84)", piece=label)
        raise fixer.error("no closed outline (the cut line is empty)", piece=label)
    rings.sort(key=lambda r: -abs(ring_area(r)) if len(r) >= 3 else 0.0)
    ring0, extra = splice_spurs(rings[0], rings[1:], max(tol, 0.05))
    ring0, spikes = remove_spikes(ring0, max(tol, 0.05))
    slits = []
    for kind, x, y, ang, size in spikes:
        if kind == "outward":
            fixer.repair(f"removed an outward spike ({size:.2f} mm) from the cut line at ({x:.1f}, {y:.1f})",
                         piece=label)
        elif kind == "backtrack" and size <= max(tol, 0.05):
            fixer.repair(f"removed a {size:.3f} mm backtrack from the cut line at ({x:.1f}, {y:.1f}) "
                         f"(tolerance {tol:g} mm)", piece=label)
        elif kind == "backtrack":
            fixer.repair(f"the cut line runs {size:.2f} mm past a corner and back along itself at ({x:.1f}, "
                         f"{y:.1f}): the zero-width overshoot is removed", piece=label)
        else:
            slits.append(Notch(x, y, ang, "slit", size, 0.0))
    if slits:
        fixer.report.warn(f"{len(slits)} slit(s) drawn into the cut line read as slit notches", piece=label)
    outline = check_ring(ring0, fixer, piece=label)
    for ch in open_chains:
        fixer.report.warn(f"open piece of the cut line ({ch.length:.1f} mm) not part of the outline; "
                          "not used", piece=label, entity=", ".join(ch.sources))
    cut_parts = [(np.asarray(p) * s, c, src) for p, c, src in raw.cutouts]
    cut_rings, cut_open = chain_rings(cut_parts, tol, fixer, label, "cut-out")
    sizes = [raw.texts["size"], *raw.more_sizes] if raw.more_sizes else None  # more: after a first
    cutouts, sew_loops = piece_cutouts(cut_rings, cut_open, extra, outline, tol, fixer, label, drawn=ring0,
                                       sizes=sizes)

    grain = _first_line(raw.grain, s, "grain", fixer, label)
    fold = _first_line(raw.fold, s, "mirror", fixer, label)
    drawn = [k for k, (p, _, _) in enumerate(raw.internal) if len(p) >= 2]
    internal = [_line(np.asarray(raw.internal[k][0]) * s, raw.internal[k][1]) for k in drawn]
    sew = [_line(np.asarray(p) * s, c) for p, c, _ in raw.sew if len(p) >= 2]
    sew += [_line(r, True) for r in sew_loops]
    flips: list = []
    moved: list = []
    far: list = []
    from kitcut.formats.reading.notch_marks import notches_in_mm

    in_mm = notches_in_mm(raw.notches, s, outline, max(2 * tol, 0.5), fixer.report, label)
    notches = [place_notch(n, 1.0, outline, flips, moved, far) for n in in_mm]
    notches = [n for n in notches if n is not None]
    near = max(tol, 1.0)
    notches += [n for n in slits if all(math.hypot(n.x - o.x, n.y - o.y) > near for o in notches)]
    drills = [Drill(float(x * s), float(y * s), (abs(z) * s) or None) for x, y, z, _ in raw.drills]

    fold, full = mirror_edge(fold, outline, tol, fixer.report, label)  # the whole fold edge, or None
    folded = fold is not None
    unfolded = False
    if folded and unfold:
        a, b = fold.points[0], fold.points[-1]
        outline = check_ring(full, fixer, piece=label, what="unfolded outline")
        unfolded = True
        nm = set(raw.nm_lines if raw.nm_lines is not None else nm_lines(raw.internal, raw.nm_points))
        notches, drills, internal, sew, cutouts = mirror_marks(
            a, b, tol, notches, drills, internal, sew, cutouts,
            {i for i, k in enumerate(drawn) if k in nm}, fixer.report, label)
    mirrored = len(far) if unfolded else 0
    if unfolded:
        notches = far_notches(notches, outline, far)
    report_notches(fixer.report, label, moved, far, flips, unfolded, mirrored, outline, notches)
    notches = once_each(notches, fixer.report, label)
    notches = fit_depths(notches, outline, fixer.report, label)
    drills = inside_drills(drills, outline, cutouts, max(tol, 0.5), fixer.report, label)
    internal, outside, clipped = clip_lines(internal, outline, max(tol, 0.5))
    if outside:
        fixer.report.skip(f"{outside} internal line(s) drawn outside the piece (beside it, not on it); not "
                          "drawn", piece=label)
    if clipped:
        fixer.report.warn(f"{clipped} internal line(s) drawn across the cut line: only their part on the "
                          "piece is drawn", piece=label)
    match = repeat_match(raw.repeat_lines, s, grain, fixer, label)
    return Piece(
        name=name,
        match=match,
        outline=outline,
        size=raw.texts.get("size") or None,
        quantity=raw.quantity if raw.quantity is not None else 1,
        quantity_rule=raw.quantity_rule if raw.quantity is not None else "assumed",
        flipped=raw.flipped,
        grain=grain,
        notches=tuple(notches),
        drills=tuple(drills),
        internal_lines=tuple(internal),
        cutouts=tuple(cutouts),
        sew_lines=tuple(sew),
        fold_line=fold,
        folded=folded,
        unfolded=unfolded,
        category=raw.texts.get("category") or None,
        material=raw.texts.get("material") or None,
        annotations=tuple(raw.annotations),
        source=Source(file=file, block=raw.block, layer=raw.layer),
        graded=raw.graded,
    )


#: A reference line within this angle (degrees) of the grain, or of its normal, says which axis it fixes.
REPEAT_LINE_SLACK_DEG = 10.0


def repeat_match(lines, scale: float, grain, fixer, label: str):
    """The match point of a piece from its stripe (AAMA layer 9) and plaid (layer 10) reference
    lines: a line along the grain lies on a line of the repeat across the piece (its first point
    fixes y), a line across the grain fixes x. One line per axis; the others are reported."""
    from kitcut.model import MatchPoint

    if not lines:
        return None
    g = math.radians(grain.angle_deg if grain is not None else 0.0)
    points: dict[str, tuple[float, float]] = {}
    for pts, layer, src in lines:
        p = np.asarray(pts, dtype=np.float64) * scale
        d = p[-1] - p[0]
        if float(np.hypot(*d)) <= 0:
            fixer.report.skip(f"zero-length reference line (layer {layer}); not used", piece=label,
                              entity=src)
            continue
        a = math.atan2(d[1], d[0]) - g
        along, across = abs(math.sin(a)), abs(math.cos(a))
        slack = math.sin(math.radians(REPEAT_LINE_SLACK_DEG))
        axis = "y" if along <= slack else "x" if across <= slack else None
        if axis is None:
            fixer.report.skip(f"reference line (layer {layer}) neither along nor across the grain; not used",
                              piece=label, entity=src)
        elif axis in points:
            fixer.report.skip(f"a second reference line for the {axis} axis (layer {layer}); the first is "
                              "used", piece=label, entity=src)
        else:
            points[axis] = (float(p[0, 0]), float(p[0, 1]))
    if not points:
        return None
    kinds = "stripe" if all(layer == "9" for _, layer, _ in lines) else "plaid"
    fixer.report.warn(f"{kinds} reference line(s) read as a match point on the {''.join(sorted(points))} "
                      "axis (used on fabric with a repeat)", piece=label)
    return MatchPoint(x_point=points.get("x"), y_point=points.get("y"), source=f"layer {lines[0][1]}")
