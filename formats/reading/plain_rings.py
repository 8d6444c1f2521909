"""Which closed rings of a plain drawing are pieces, sew lines, cut-outs or neither.

Rings are nested by containment: an outermost ring is a piece; a ring inside it is its sew
line when it runs along the cut line (on the same layer, or on a layer named for sew lines),
else a cut-out; a ring inside a cut-out is a piece again. On another layer, a ring covering
half of a piece is not its cut-out: graded sizes drawn on their own layers overlap. Open lines
outside every ring that close with sub-millimetre gaps are outlines too. An outline drawn twice
is read once (:func:`merge_twins`).
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from kitcut.formats.reading.build import GAP_CLOSE_MM, close_gaps, report_gaps
from kitcut.formats.reading.chains import Chain, Segment, chain_segments
from kitcut.formats.reading.outline import Fixer, same_ring, twin_tolerance
from kitcut.formats.reading.seam_band import SEAM_MAX_MM, SEAM_WIDE_MM, parallel, sample, spans
from kitcut.model.geometry import ring_area

__all__ = ["SEW_LAYER", "SEAM_MAX_MM", "SEAM_WIDE_MM", "close_outline_gaps", "roles", "parallel", "spans",
           "lies_in", "sample", "merge_twins"]

#: Layer names taken for sew lines (a ring on such a layer inside a piece is its sew line).
SEW_LAYER = re.compile(r"sew|seam|stitch|\bnet\b|netto|finish|naht|näh|couture|piq[uû]re|costura|"
                       r"cucitura|naad|stiklijn|szw|szyc|dikiş|dikis|шов|шва|строч|缝|縫|净|淨|完成|出来上|"
                       r"완성|봉제|박음|^14$", re.I)


def lies_in(poly_prepared, pts: np.ndarray, inner) -> bool:
    """A ring (its points ``pts``, its polygon ``inner``) lies in ``poly_prepared``: nine in ten of
    its points inside or on its boundary (a cut-out may touch the cut line at a corner), and a
    point inside the ring inside it too (a piece drawn against another shares an edge only)."""
    import shapely

    if shapely.intersects_xy(poly_prepared, pts[:, 0], pts[:, 1]).mean() < 0.9:
        return False
    if inner.is_empty:
        return True
    p = inner.representative_point()
    return bool(shapely.contains_xy(poly_prepared, p.x, p.y))


def close_outline_gaps(rings: list, opens: list, tol: float, fixer: Fixer) -> tuple[list, list]:
    """Open lines outside every ring that close into an outline are outlines (reported): with
    gaps up to :data:`~kitcut.formats.reading.build.GAP_CLOSE_MM`, and across layers when its
    parts were drawn on several. Lines inside a ring stay open (a pocket mark must never become
    a cut-out), and so does a closing ring that lies inside another."""
    import shapely
    from shapely.geometry import Polygon

    if not opens:
        return rings, opens

    def union(rs):
        return shapely.union_all([Polygon(r).buffer(0) for r in rs]) if rs else None

    outer = union([r for _, r, _ in rings])
    kept, candidates, rest = [], [], []
    sizes: set[int] = set()  # candidates that are a size of a graded nest, lying in a bigger one
    by_layer: dict[str, list] = {}
    for ch, layer in opens:
        pts = sample(ch.points, 20)
        if outer is not None and shapely.intersects_xy(outer, pts[:, 0], pts[:, 1]).any():
            closed = _size_in_nest(ch, layer, rings, tol)
            if closed is not None:
                sizes.add(id(closed))
                candidates.append((closed, layer, None))
            else:
                kept.append((ch, layer))
        else:
            by_layer.setdefault(layer, []).append(ch)
    for layer, chains in by_layer.items():
        for ch in close_gaps(chains, tol):
            (candidates if ch.closed else rest).append((ch, layer, None))
    if len({layer for _, layer, _ in rest}) > 1:  # one outline drawn on several layers
        layer_of = {", ".join(ch.sources): layer for ch, layer, _ in rest}
        segs = [Segment(ch.points, ", ".join(ch.sources)) for ch, _, _ in rest]
        rest = []
        for ch in chain_segments(segs, max(tol, GAP_CLOSE_MM)):
            layers = [layer_of[src] for src in ch.sources]
            main = Counter(layers).most_common(1)[0][0]
            if ch.closed and len(ch.points) >= 3 and len(set(layers)) > 1:
                candidates.append((ch, main, sorted(set(layers))))
            else:
                rest.append((Chain(ch.points, False, ch.sources, ch.joins), main, None))
    kept += [(ch, layer) for ch, layer, _ in rest]
    candidates.sort(key=lambda t: -abs(ring_area(t[0].points)))
    taken: list = []
    for ch, layer, layers in candidates:
        inside = union([r for _, r, _ in rings] + [c.points for c, _, _ in taken])
        pts = sample(ch.points, 20)
        if (id(ch) not in sizes and inside is not None
                and shapely.intersects_xy(inside, pts[:, 0], pts[:, 1]).mean() >= 0.9):
            kept.append((Chain(ch.points, False, ch.sources, ch.joins[:-1]), layer))  # inside a piece
        else:
            taken.append((ch, layer, layers))
    for ch, layer, layers in taken:
        report_gaps(ch, tol, fixer, None, f"lines of layer {layer}")
        if layers:
            fixer.repair(f"an outline drawn on layers {' and '.join(layers)} read as one (on layer {layer})")
    return rings + [(abs(ring_area(c.points)), c.points, layer) for c, layer, _ in taken], kept


def _size_in_nest(ch: Chain, layer: str, rings: list, tol: float) -> Chain | None:
    """``ch`` closed, when it is a cut line left open by a gap up to
    :data:`~kitcut.formats.reading.build.GAP_CLOSE_MM` that lies mostly on rings of other layers
    as big as it is (half to twice its area): a size of a graded nest whose sizes are drawn on
    layers of their own (Optitex, where the front and back of a size lie on each other too). It
    was refused as a cut line that does not close ("more than the 1 mm kitcut closes"), where a
    gap under the tolerance was closed. A line lying on rings of its own layer only, or on a ring
    over twice its area (a pocket mark on a piece), stays open. Once closed, the ring's role is
    told as any other's (:func:`roles`)."""
    from shapely.geometry import Polygon

    from kitcut.formats.reading.junctions import would_be_refused

    if not would_be_refused(ch) or ch.end_gap > GAP_CLOSE_MM:
        return None
    (closed,) = close_gaps([ch], tol) or (None,)
    if closed is None or not closed.closed or len(closed.points) < 3:
        return None
    inner = Polygon(closed.points).buffer(0)
    area = inner.area
    if area <= 0:
        return None
    under = [(a, other) for a, r, other in rings
             if Polygon(r).buffer(0).intersection(inner).area >= 0.5 * area]
    alike = all(0.5 * area <= a <= 2 * area for a, _ in under)
    if not alike or not any(other != layer for _, other in under):
        return None
    return closed


def roles(rings: list, polys: list, frames: set[int], is_sew) -> tuple[list[str], list[int]]:
    """The role of each ring ("piece", "sew", "cut", or "frame" for those in ``frames``) and
    the ring it lies in (-1 for none): the smallest containing ring, on the same layer first.
    A ring in a piece is its sew line when it runs along the cut line on the same layer, or on
    a sew layer (:data:`SEW_LAYER`); else a cut-out. A ring in a cut-out is a piece again. On
    another layer, a ring covering half of a piece is not its cut-out: graded sizes drawn on
    their own layers overlap. ``is_sew(layer)`` tells a sew layer (by its name,
    :data:`SEW_LAYER`, unless the user gave the layer a role)."""
    role: list[str] = []
    parent: list[int] = []
    for i, (area, r, layer) in enumerate(rings):
        if i in frames:
            role.append("frame")
            parent.append(-1)
            continue
        smp = sample(r)
        sew_layer = is_sew(layer)
        par = -1
        for same in (True, False):
            for j in range(i - 1, -1, -1):
                if role[j] in ("sew", "frame") or rings[j][0] <= area or (rings[j][2] == layer) != same:
                    continue
                if not same and area >= 0.5 * rings[j][0] and not (
                        sew_layer and parallel(r, rings[j][1], 0.0)):
                    continue
                if lies_in(polys[j], smp, polys[i]):
                    par = j
                    break
            if par >= 0:
                break
        parent.append(par)
        if par < 0 or role[par] == "cut":
            role.append("piece")
        elif rings[par][2] == layer and parallel(r, rings[par][1], area / rings[par][0]):
            role.append("sew")
        elif sew_layer and parallel(r, rings[par][1], 0.0):
            role.append("sew")  # all along the cut line, not merely half its area
        else:
            role.append("cut")
    return role, parent


_TWIN_FIELDS = ("annotations", "cutouts", "internal", "sew", "fold", "grain", "notches", "drills")


def merge_twins(raws: dict, ids: list, rings: list, tol: float, report) -> list:
    """The pieces of ``ids`` with every outline drawn twice read once.

    Two pieces whose outlines coincide are one piece drawn twice when their texts agree and
    they lie on one layer (a polyline drawn again, or again as lines), or when one of their
    layers is a mere copy (every piece on it coincides with one on another layer: a plot or
    pen layer). A stacked graded nest draws an ungraded piece once per size, on layers that
    also hold the graded pieces, often with its own ``Size:``: those stay apart. The copy's
    texts, lines, notches and drills join the piece; ``report`` (when given) says so."""
    close = twin_tolerance(tol)
    # the coinciding outlines of each piece, found once: ``ids`` run by area, largest first,
    # and only a piece within 1 % of another's area can coincide with it
    twins: dict = {i: [] for i in ids}
    boxes = {i: np.r_[rings[i][1].min(axis=0), rings[i][1].max(axis=0)] for i in ids}
    for t, i in enumerate(ids):
        for u in range(t + 1, len(ids)):
            j = ids[u]
            if rings[i][0] - rings[j][0] > 0.01 * rings[i][0] + 1e-9:
                break
            if np.abs(boxes[i] - boxes[j]).max() > 2 * close:  # coinciding outlines have one box
                continue
            if same_ring(rings[i][1], rings[j][1], close):
                twins[i].append(j)
                twins[j].append(i)
    # the layers made only of copies of outlines on other layers
    copy_layer: dict = {}
    for i in ids:
        elsewhere = any(raws[j].layer != raws[i].layer for j in twins[i])
        copy_layer[raws[i].layer] = copy_layer.get(raws[i].layer, True) and elsewhere

    def merges(i: int, k: int) -> bool:
        if raws[k].layer != raws[i].layer and not (copy_layer[raws[k].layer] or copy_layer[raws[i].layer]):
            return False
        a, b = raws[k].texts, raws[i].texts
        return all(a[key] == b[key] for key in a.keys() & b.keys())

    kept: list = []
    for i in ids:  # a copy joins the nearest earlier piece it merges with
        twin = next((k for k in sorted(twins[i], reverse=True) if k < i and k in kept and merges(i, k)), None)
        if twin is None:
            kept.append(i)
            continue
        into, copy = raws[twin], raws[i]
        for key, value in copy.texts.items():
            into.texts.setdefault(key, value)
        for name in _TWIN_FIELDS:
            getattr(into, name).extend(getattr(copy, name))
        if report is not None:
            where = (f"again on layer {copy.layer}" if copy.layer != into.layer
                     else f"twice on layer {into.layer}")
            report.warn(f"outline drawn {where}: read as one piece", piece=into.texts.get("name") or into.key)
    return kept
