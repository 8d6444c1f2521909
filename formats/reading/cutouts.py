"""The cut-outs of one piece: closed lines on its cut-out layer, and second loops of its cut line
that lie inside the outline (AAMA draws a hole on layer 1 as well as on 11).

A second loop of the cut line that runs along the whole outline at a seam allowance is the
piece's sew line drawn on the cut layer (FreeSewing's export puts every line of a piece on
layer 1): taken as a cut-out, it left a frame of the allowance's width, and the cutter would
have cut the piece apart. It is kept as a sew line, unless the cut-out layer holds it too.

A cut-out must lie inside the outline and clear of every other cut-out: one inside another, or
two overlapping, would take the fabric twice (a piece whose several sizes were drawn in one
AAMA block, each inside the next, came out with a negative area and a negative efficiency).
"""

from __future__ import annotations

import numpy as np
from shapely.geometry import Polygon

from kitcut.errors import GeometryError
from kitcut.formats.reading.outline import Fixer, check_ring, same_ring, twin_tolerance
from kitcut.formats.reading.seam_band import parallel
from kitcut.model.geometry import ring_area

__all__ = ["nested_loops", "piece_cutouts"]


def nested_loops(loops: list) -> set[int]:
    """The loops of ``loops`` (second loops of a cut line) that hold another of them or lie in
    one: outlines drawn one inside the other, not cut-outs."""
    polys = [Polygon(r).buffer(0) if len(r) >= 3 else None for r in loops]
    out: set[int] = set()
    for a, pa in enumerate(polys):
        for b, pb in enumerate(polys):
            if a != b and pa is not None and pb is not None and not pb.is_empty and \
                    pa.area > pb.area and pa.contains(pb.representative_point()):
                out |= {a, b}
    return out


def piece_cutouts(cut_rings: list, cut_open: list, extra: list, outline: np.ndarray, tol: float, fixer: Fixer,
                  label: str, drawn: np.ndarray | None = None,
                  sizes: list[str] | None = None) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The cut-outs of a piece (``outline``) and the sew lines found on its cut line:
    ``cut_rings`` (closed) and ``cut_open`` (reported) from its cut-out lines, and ``extra``, the
    cut line's other loops; what is not used is reported on ``fixer``. ``drawn`` is the cut line
    as drawn, before a repair: a copy of it is the cut line drawn twice (a self-intersecting
    outline repaired to its largest part left its copy to be cut out of it, half the piece)."""
    outer = Polygon(outline)
    sew: list[np.ndarray] = []
    twin = twin_tolerance(tol)
    cut_rings = list(cut_rings)

    def copy(r) -> bool:
        return same_ring(r, outline, twin) or (drawn is not None and same_ring(r, drawn, twin))

    for _ in (r for r in extra if copy(r)):
        fixer.report.warn("the cut line is drawn twice: the second copy is not used", piece=label)
    extra = [r for r in extra if not copy(r)]
    nested = nested_loops(extra)
    if nested and sizes:  # the block names several sizes: the outermost would be cut as the first
        raise GeometryError(f"{len(nested) + 1} cut lines drawn one inside the other in one block that "
                            f"names the sizes {', '.join(sizes)}: a graded nest in one block, which kitcut "
                            f"does not take apart (its largest outline would be cut as size {sizes[0]}); "
                            "export one block per size", piece=label)
    if nested:
        fixer.report.warn(f"{len(nested) + 1} closed loops on the cut line are drawn one inside the other "
                          "(the sizes of a graded nest in one block?): the outermost is the outline, the "
                          "others are not used", piece=label)
    for r in (r for k, r in enumerate(extra) if k not in nested):
        area = abs(ring_area(r)) if len(r) >= 3 else 0.0
        if len(r) < 3 or area <= tol * float(np.ptp(r, axis=0).max()):
            fixer.report.skip("a closed loop on the cut line encloses no area (a line drawn as a loop); "
                              "not used", piece=label)
            continue
        inner = Polygon(r)
        if not outer.contains(inner.representative_point()):
            fixer.report.skip("a second closed loop on the cut line lies outside the outline; not used",
                              piece=label)
        elif not any(same_ring(r, c, twin) for c in cut_rings) and parallel(r, outline, area / outer.area):
            near = outer.exterior.distance(inner.exterior)
            far = outer.exterior.hausdorff_distance(inner.exterior)
            fixer.report.warn(f"a second closed loop on the cut line runs along the outline, {near:.1f} to "
                              f"{far:.1f} mm inside it: taken as the sew line, not cut (a sew line belongs "
                              "on layer 14, a cut-out on layer 11)", piece=label)
            sew.append(r)
        else:
            fixer.report.warn("a second closed loop on the cut line lies inside the outline: taken as a "
                              "cut-out", piece=label)
            cut_rings.append(r)
    for ch in cut_open:
        if ch.end_gap > 0.5 * ch.length:  # an open line, not a loop left open (TUKAcad's slits)
            fixer.report.warn(f"open line on the cut-out layer, {ch.length:.1f} mm long (a slit?): a cut-out "
                              "is a closed line, so it is not cut nor drawn; draw it closed to cut it, or on "
                              "the internal-line layer (8) to draw it", piece=label,
                              entity=", ".join(ch.sources))
        else:
            fixer.report.warn(f"cut-out is open (gap {ch.end_gap:.3f} mm > tolerance {tol:g} mm); not used",
                              piece=label, entity=", ".join(ch.sources))
    cutouts: list[np.ndarray] = []
    for r in sorted(cut_rings, key=lambda r: -abs(ring_area(r)) if len(r) >= 3 else 0.0):
        if same_ring(r, outline, twin) or any(same_ring(r, c, twin) for c in cutouts):
            fixer.report.warn("a cut-out traces the outline or another cut-out again: not used", piece=label)
            continue
        r = check_ring(r, fixer, piece=label, what="cut-out")
        if not outer.contains(Polygon(r)):
            fixer.report.warn("cut-out is not inside the outline; not used", piece=label)
            continue
        if any(Polygon(r).intersection(Polygon(c)).area > 0.0 for c in cutouts):
            fixer.report.warn("cut-out overlaps a larger cut-out; not used (cut once, the fabric is gone)",
                              piece=label)
            continue
        cutouts.append(r)
    return cutouts, sew
