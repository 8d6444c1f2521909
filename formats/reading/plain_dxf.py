"""Plain pattern DXF from general CAD: no piece blocks, outlines drawn in model space.

Optitex's plain export (one layer per size, closed POLYLINE cut and sew lines, a grain LINE,
``KEY: value`` texts inside each piece, centimetres undeclared) and cutter drawings (nctools:
LINE/ARC/SPLINE/CIRCLE) are read the same way, layer by layer:

* closed LWPOLYLINE/POLYLINE/SPLINE/CIRCLE/ELLIPSE are rings; open LINE/ARC/SPLINE/polyline
  segments are chained end to end within the tolerance into rings;
* rings are nested: an outermost ring is a piece; a ring inside it is its sew line when it is
  on the same layer and covers at least half of it, else a cut-out; a ring inside a cut-out is
  a piece again;
* open lines inside a piece: short ones starting on the cut line are notches (a slit; a V when
  the line goes in and back out to the cut line; a T when a short bar crosses a slit's inner
  end), lines on a layer
  named like grain are the grain, others internal lines (a piece without a grain layer whose
  only free straight line is that line takes it for its grain, reported);
* texts inside a piece are its ``Piece Name:``/``Size:``/``Quantity:``... texts.
"""

from __future__ import annotations

import re

import numpy as np

from kitcut.formats.reading.blocks import MAX_DEPTH
from kitcut.formats.reading.build import (
    RawNotch,
    RawPiece,
    chain_rings,
    gap_error,
    point_notch,
)
from kitcut.formats.reading.chains import CURVE_TYPES, Chain, describe, entity_points, flatten_path
from kitcut.formats.reading.dxf_fast import insert_copies
from kitcut.formats.reading.frames import FRAME_LAYER, find_frames, frame_parts
from kitcut.formats.reading.layer_names import (
    DRILL_LAYER,
    DRILL_MARK,
    FOLD_LAYER,
    GRAIN_LAYER,
    NOTCH_LAYER,
    named,
    record_layers,
)
from kitcut.formats.reading.layer_roles import LayerRoles
from kitcut.formats.reading.marks import arrowed, is_arrowhead, is_straight, t_notch, v_notch
from kitcut.formats.reading.nests import Nest, find_nests, share_ties, undivided
from kitcut.formats.reading.outline import Fixer, same_ring, twin_tolerance
from kitcut.formats.reading.plain_rings import SEW_LAYER, close_outline_gaps, lies_in, roles, sample
from kitcut.formats.reading.plain_units import sane_header_unit, units_from_area
from kitcut.formats.reading.texts import entity_text, parse_texts, tagged, text_insert
from kitcut.formats.reading.units import MM_PER_UNIT, size_check
from kitcut.model import ImportReport
from kitcut.model.geometry import ring_area

__all__ = ["collect_plain"]

_TOO_DEEP = "INSERT nested too deep; not used"
#: A text alone inside a piece that can be its name: letters first, no more than 40 characters.
_BARE_NAME = re.compile(r"^[^\W\d_][\w .\-/()&+#']{0,39}$")
#: A notch drawn as a line is at most this long (mm).
NOTCH_MAX_MM = 20.0


def _entities(doc, skips, report) -> list[tuple]:
    """Model-space entities with INSERTs exploded (nested up to :data:`MAX_DEPTH` levels; the
    caller has checked how many entities that makes, see :func:`blocks.expanded_count`), each
    as ``(entity, block)``: ``block`` is ``(name, copy number)`` of the block reference that
    drew it (the innermost), or ``None`` for an entity of model space."""
    out: list[tuple] = []
    copies = 0

    def walk(ents, depth, block):
        nonlocal copies
        for e in ents:
            if e.dxftype() == "INSERT":
                if depth >= MAX_DEPTH:
                    skips.add(_TOO_DEEP, e, None)
                    continue
                try:
                    for one in insert_copies(e):  # each copy of a MINSERT grid
                        copies += 1
                        here = (one.dxf.get("name", ""), copies)
                        walk(list(one.virtual_entities()), depth + 1, here)
                        out.extend((a, here) for a in one.attribs)  # its attribute values (a name...)
                except Exception as exc:  # noqa: BLE001 - a broken block reference
                    report.skip(f"INSERT could not be exploded ({exc})", entity=describe(e))
                continue
            out.append((e, block))

    walk(list(doc.modelspace()), 0, None)
    return out


def _block_names(closed: dict, texts: list) -> list:
    """Texts ``Block: NAME`` naming the piece a block reference draws, when the block draws one
    piece (one outermost closed outline; anonymous blocks ``*U..`` have no name to give): a
    piece without a name text of its own takes it (:attr:`RawPiece.name`)."""
    from shapely.geometry import Polygon

    out = []
    for (name, _), curves in closed.items():
        if not name or name.startswith("*"):
            continue
        polys = [(Polygon(pts).buffer(0), layer, e) for pts, layer, e in curves if len(pts) >= 3]
        polys = [t for t in polys if not t[0].is_empty]
        outer = [t for t in polys if not any(o is not t and o[0].area > t[0].area and o[0].covers(t[0])
                                             for o in polys)]
        if len(outer) == 1:
            poly, layer, e = outer[0]
            p = poly.representative_point()
            out.append(((p.x, p.y), f"Block: {name}", layer, e))
    return texts + out


#: Roles of a layer whose closed lines are marks on a piece, never pieces or cut-outs.
_MARK_ROLES = ("internal", "grain", "fold", "notch")


def _pieces(curves, texts, points, scale: float, tol: float, fixer: Fixer, skips, final: bool,
            layer_roles: LayerRoles):
    """Classify curves (drawing units) into raw pieces in mm (see the module docstring); the
    roles the user gave layers (:mod:`~kitcut.formats.reading.layer_roles`) go before their
    names."""
    import shapely
    from shapely.geometry import LinearRing, Point, Polygon

    layers: dict[str, list] = {}
    for pts, closed, layer, src in curves:
        if not (np.abs(pts * scale) <= 1e9).all():
            raise fixer.error(f"{src} has a coordinate that is not a usable number (NaN, infinite or beyond "
                              "±1e9 mm)")
        layers.setdefault(layer, []).append((pts * scale, closed, src))
    rings = []  # (area, ring, layer)
    opens = []  # (chain, layer)
    marks = []  # the lines of layers the user said hold marks: never joined to a cut line
    for layer, parts in layers.items():
        rs, ch = chain_rings(parts, tol, fixer, None, f"lines of layer {layer}")
        if layer_roles.role(layer) in _MARK_ROLES:
            marks += [(Chain(np.vstack([r, r[:1]]), False, [f"closed line on layer {layer}"]), layer)
                      for r in rs if len(r) >= 2]
            marks += [(c, layer) for c in ch]
            continue
        rings += [(abs(ring_area(r)), r, layer) for r in rs if len(r) >= 3]
        opens += [(c, layer) for c in ch]
    rings, opens = close_outline_gaps(rings, opens, tol, fixer)
    opens += marks
    rings.sort(key=lambda t: -t[0])
    polys = []
    for _, r, _ in rings:
        p = Polygon(r)
        if not p.is_valid:
            p = p.buffer(0)
        shapely.prepare(p)
        polys.append(p)
    def is_sew(layer: str) -> bool:
        return layer_roles.means(layer, "sew", bool(SEW_LAYER.search(layer)))

    def is_frame(layer: str) -> bool:
        return layer_roles.means(layer, "frame", bool(FRAME_LAYER.search(layer)))

    role, parent = roles(rings, polys, set(), is_sew)
    fields = [parse_texts(txt) for _, txt, _, _ in texts]  # the KEY: value fields of each text
    spots = np.array([(x * scale, y * scale) for (x, y), *_ in texts], dtype=float).reshape(-1, 2)
    names = spots[[any(k == "name" for k, _ in f) for f in fields]]
    frames: set[int] = set()
    while found := find_frames(rings, polys, role, parent, names, spots, is_frame) - frames:
        frames |= found  # the rings inside a frame are pieces: nest them again without it
        role, parent = roles(rings, polys, frames, is_sew)
    if parts := frame_parts(rings, polys, role, frames, names, spots, max(2 * tol, 0.5)):
        role, parent = roles(rings, polys, frames | parts, is_sew)
    if final:
        for i in sorted(parts):
            fixer.report.warn(f"closed outline on layer {rings[i][2]} along the drawing frame, with no name: "
                              "taken for part of the frame (a title block), not cut")
        for i in sorted(frames):
            n = sum(1 for j, r in enumerate(role) if r == "piece" and rings[j][0] < rings[i][0]
                    and lies_in(polys[i], sample(rings[j][1], 8), polys[j]))
            fixer.report.warn(f"closed outline on layer {rings[i][2]} drawn around {n} piece(s), with no "
                              "name of its own: taken for a drawing frame, not cut")
    sizes_at = [(tuple(p), v) for p, f in zip(spots, fields, strict=True) for k, v in f if k == "size" and v]
    nest_of: dict[int, Nest] = {}
    for nest in find_nests(rings, polys, role, parent, sizes_at):
        for k in nest.rings:
            role[k], parent[k] = "piece", -1
            nest_of[k] = nest
        if final:
            layer = rings[nest.rings[0]][2]
            fixer.report.warn(f"{len(nest.rings)} outlines on layer {layer} drawn one inside the other, with "
                              f"the sizes {', '.join(reversed(nest.sizes))}: read as a graded nest, one "
                              "piece per size (the largest outline the largest size)")
    raws: dict[int, RawPiece] = {}
    per_layer: dict[str, int] = {}
    for i, (_, _, layer) in enumerate(rings):
        if role[i] == "piece":
            per_layer[layer] = per_layer.get(layer, 0) + 1
    seen: dict[str, int] = {}
    for i, (_, r, layer) in enumerate(rings):
        if role[i] != "piece":
            continue
        seen[layer] = seen.get(layer, 0) + 1
        key = layer if per_layer[layer] == 1 else f"{layer}#{seen[layer]}"
        raws[i] = RawPiece(key=key, layer=layer, boundary=[(r, True, f"layer {layer}")])
    for i, (_, r, layer) in enumerate(rings):
        if role[i] == "sew":
            raws[parent[i]].sew.append((r, True, f"layer {layer}"))
        elif role[i] == "cut":
            raws[parent[i]].cutouts.append((r, True, f"layer {layer}"))
    piece_ids = sorted(raws)

    grown: dict = {}
    edges = {i: LinearRing(rings[i][1]) for i in piece_ids}  # the cut line of each piece
    piece_layers = {rings[i][2] for i in piece_ids}

    def owners(pts: np.ndarray, layer: str) -> list[int]:
        """The piece a mark belongs to (:func:`owner`), or in a graded nest the sizes that may
        own it (:meth:`Nest.nearest`)."""
        i = owner(pts, layer)
        if i in nest_of:
            return nest_of[i].nearest(pts[0], edges, max(tol, 0.01))
        return [] if i is None else [i]

    pad = max(tol, 0.01)
    ids_arr = np.array(piece_ids, dtype=np.int64)
    boxes = np.array([np.r_[rings[i][1].min(axis=0) - pad, rings[i][1].max(axis=0) + pad] for i in piece_ids])

    def owner(pts: np.ndarray, layer: str) -> int | None:
        """The smallest piece holding ``pts``, on ``layer`` if one does."""
        best = None
        if len(pts) > 1:  # lines drawn from edge to edge: test the middles of their segments too
            pts = np.concatenate([pts, (pts[1:] + pts[:-1]) / 2])
        smp = sample(pts, 60)
        if not len(ids_arr):
            return None
        # only pieces whose box holds 90 % of the samples can hold them
        inb = ((smp[None, :, 0] >= boxes[:, None, 0]) & (smp[None, :, 1] >= boxes[:, None, 1])
               & (smp[None, :, 0] <= boxes[:, None, 2]) & (smp[None, :, 1] <= boxes[:, None, 3])).mean(axis=1)
        for i in reversed(ids_arr[inb >= 0.9].tolist()):  # smallest first
            if i not in grown:
                grown[i] = polys[i].buffer(pad)
                shapely.prepare(grown[i])
            if shapely.intersects_xy(grown[i], smp[:, 0], smp[:, 1]).mean() >= 0.9:
                if rings[i][2] == layer:
                    return i
                best = best if best is not None else i
        return best

    def nearest(p: np.ndarray, layer: str) -> int | None:
        """The piece a label outside every piece belongs to: the nearest on its layer; on a
        layer of texts only, the nearest piece if the label is close to it (a quarter of the
        piece's length, at least 25 mm: a label written beside the piece, not a legend)."""
        same = [i for i in piece_ids if rings[i][2] == layer]
        if same:
            return min(same, key=lambda i: polys[i].distance(Point(p)))
        if not piece_ids:
            return None
        i = min(piece_ids, key=lambda i: polys[i].distance(Point(p)))
        side = float(np.ptp(rings[i][1], axis=0).max())
        return i if polys[i].distance(Point(p)) <= max(25.0, 0.25 * side) else None

    def marks_layer(layer: str, names, role: str) -> bool:
        return layer_roles.means(layer, role, named(layer, names, piece_layers))

    free_lines: dict[int, list] = {}
    bars = []  # short free straight lines: the bar of a T notch, or an internal line
    near = max(2 * tol, 0.5)

    def internal(i: int, pts: np.ndarray, src: str, free: bool) -> None:
        raw = raws[i]
        raw.internal.append((pts, False, src))
        ends = pts[[0, -1]]
        on_sew = any(LinearRing(p).distance(Point(q)) <= near for p, _, _ in raw.sew for q in ends)
        if free and not on_sew:  # straight and clear of the cut line: maybe the grain line
            free_lines.setdefault(i, []).append(len(raw.internal) - 1)

    lines = []  # (piece, chain points, source, layer, straight, ends on the cut line)
    owned = share_ties([owners(ch.points, layer) for ch, layer in opens], [ch.points[0] for ch, _ in opens],
                       nest_of, rings)
    if final and (n := undivided(owned)):
        fixer.report.warn(f"{n} line(s) of a graded nest could belong to several sizes and do not divide "
                          "among them: each such size has them")
    for (ch, layer), found in zip(opens, owned, strict=True):
        pts = ch.points
        src = ", ".join(ch.sources)
        if not found:
            L = ch.length
            if layer_roles.role(layer) in _MARK_ROLES:  # the user said these are marks, not cut lines
                if final:
                    fixer.report.skip(f"line on layer {layer} ({layer_roles.role(layer)}, "
                                      f"{layer_roles.where}) outside every piece; not used", entity=src)
                continue
            if final and len(pts) >= 3 and ch.end_gap <= 0.25 * L:
                raise gap_error([ch], fixer, f"outline on layer {layer}", tol, "cut line")
            if final:
                fixer.report.skip("open line outside every piece; not used", entity=src)
            continue
        drawn_straight = len(pts) == 2 or is_straight(pts)
        for i in found:
            d_ends = [edges[i].distance(Point(pts[0])), edges[i].distance(Point(pts[-1]))]
            line, straight = pts, drawn_straight
            if not straight and min(d_ends) > near and (sh := arrowed(pts)) is not None:
                line, straight = sh, True  # a line drawn with its arrowheads: its shaft
            lines.append((i, line, src, layer, straight, d_ends))
    # the ends of long straight lines, where the legs of separately drawn arrowheads start
    shafts: dict[int, list] = {}
    for i, pts, _, _, straight, d_ends in lines:
        length = float(np.linalg.norm(pts[-1] - pts[0]))
        if straight and min(d_ends) > near and length > 0:
            shafts.setdefault(i, []).extend([[*pts[0], *pts[-1], length], [*pts[-1], *pts[0], length]])
    heads = 0
    for i, pts, src, layer, straight, d_ends in lines:
        raw = raws[i]
        length = float(np.sum(np.linalg.norm(np.diff(pts, axis=0), axis=1)))
        if straight and min(d_ends) <= near and length <= NOTCH_MAX_MM:
            raw.notches.append(RawNotch(float(pts[0][0]), float(pts[0][1]), line=pts[[0, -1]], source=src))
        elif not straight and max(d_ends) <= near and np.ptp(pts, axis=0).max() <= NOTCH_MAX_MM:
            raw.notches.append(v_notch(pts, src))
        elif straight and min(d_ends) > near and is_arrowhead(pts, np.array(shafts.get(i, [])), near):
            heads += 1  # an arrowhead's leg: the line it ends is what counts
        elif marks_layer(layer, GRAIN_LAYER, "grain"):
            raw.grain.append((pts, src))
        elif straight and marks_layer(layer, FOLD_LAYER, "fold") and max(d_ends) <= near and \
                edges[i].distance(Point(0.5 * (pts[0] + pts[-1]))) <= near:
            raw.fold.append((pts, src))  # a fold (mirror) line along the cut line: a half piece
        elif straight and min(d_ends) > near and length <= NOTCH_MAX_MM:
            bars.append((i, pts, src, layer))
        else:  # a free straight line may be the grain, unless the user said what its layer holds
            internal(i, pts, src, straight and min(d_ends) > near and layer_roles.role(layer) is None)
    if heads and final:
        fixer.report.skip(f"{heads} arrowhead leg(s) drawn as separate lines at the ends of straight lines; "
                          "not used")
    for i, pts, src, layer in bars:
        t = t_notch(raws[i].notches, rings[i][1], 0.5 * (pts[0] + pts[-1]), near)
        if t is not None:
            t.kind = "t"
            t.source += f", {src}"
        else:
            internal(i, pts, src, layer_roles.role(layer) is None)
    guessed = 0
    for i, idx in free_lines.items():
        raw = raws[i]
        if not raw.grain and len(idx) == 1:
            pts, _, src = raw.internal.pop(idx[0])
            raw.grain.append((pts, src))
            guessed += 1
    if guessed and final:
        fixer.report.warn(f"{guessed} piece(s) without a grain layer: the only free straight line inside "
                          "each was taken for its grain line")
    style: dict = {}
    placed = []  # (piece or None, inside, key-value, entity): texts inside a piece before loose ones
    bare: dict[int, list] = {}  # piece -> (text, entity) of the texts inside it with no key
    for (_, txt, layer, e), f, p in zip(texts, fields, spots[:, None, :], strict=True):
        kvs = [(k, v) for k, v in f if v]  # an MTEXT label may hold several fields
        i = owner(p, layer)
        inside = i is not None
        if inside and not kvs and i not in nest_of and _BARE_NAME.match(txt.strip()):
            bare.setdefault(i, []).append((txt.strip(), e))
            continue
        if i is None and any(k not in ("style", "units") for k, _ in kvs):
            i = nearest(p[0], layer)
        for k, v in kvs:
            if i not in nest_of:
                at = [i]
            elif k == "size":  # in a graded nest a size text names its outline...
                at = [nest_of[i].ring_of.get(v, i)]
            else:  # ... and the other texts go to every size
                at = nest_of[i].rings
            placed += [(j, inside, (k, v), e) for j in at]
        if not kvs:
            placed.append((i, inside, None, e))
    placed.sort(key=lambda t: not t[1])
    for i, inside, kv, e in placed:
        if i is not None and kv and kv[0] == "annotation":
            if kv[1]:
                raws[i].annotations.append(kv[1])
        elif i is not None and kv and kv[0] not in ("style", "units"):
            have = raws[i].texts.setdefault(kv[0], kv[1])
            if have != kv[1] and final:
                where = "inside it" if inside else "outside every piece, nearest to it"
                fixer.report.warn(f"a second '{kv[0]}' text for one piece ({where}): '{have}' kept, "
                                  f"'{kv[1]}' not used", piece=raws[i].texts.get("name") or raws[i].key,
                                  entity=describe(e))
        elif kv and kv[0] in ("style", "units"):
            style.setdefault(kv[0], kv[1])
        elif final:
            skips.add("texts kitcut does not use", e, None)
    for i, found in bare.items():
        if len(found) == 1 and "name" not in raws[i].texts and "block" not in raws[i].texts:
            raws[i].texts["name"] = found[0][0]  # a piece labelled by its name alone
        elif final:
            for _, e in found:
                skips.add("texts kitcut does not use", e, None)
    spots_mm = [np.array([[x * scale, y * scale]]) for (x, y, _), _, _ in points]
    owned = share_ties([owners(p, layer) for p, (_, layer, _) in zip(spots_mm, points, strict=True)],
                       [p[0] for p in spots_mm], nest_of, rings)
    if final and (n := undivided(owned)):
        fixer.report.warn(f"{n} point(s) of a graded nest could belong to several sizes and do not divide "
                          "among them: each such size has them")
    for ((_, _, z), layer, e), p, found in zip(points, spots_mm, owned, strict=True):
        if final and found and marks_layer(layer, DRILL_LAYER, "drill"):
            for i in found:
                raws[i].drills.append((float(p[0, 0]), float(p[0, 1]), abs(z) * scale, describe(e)))
        elif final and found and marks_layer(layer, NOTCH_LAYER, "notch"):
            # a notch as a POINT on the AAMA notch layers (an AAMA drawing whose blocks were
            # exploded): its depth in z, its width in the thickness, its direction in the angle
            angle = e.dxf.get("angle", None)
            angle = None if angle is None else float(angle)
            width = float(e.dxf.get("thickness", 0.0) or 0.0) * scale
            for i in found:
                raws[i].notches.append(point_notch(float(p[0, 0]), float(p[0, 1]), z * scale, width, angle,
                                                   layer, describe(e)))
        elif final:
            skips.add("points kitcut does not use", e, None)
    kept = _merge_twins(raws, piece_ids, rings, tol, fixer.report if final else None)
    return [raws[i] for i in kept], style


_TWIN_FIELDS = ("annotations", "cutouts", "internal", "sew", "fold", "grain", "notches", "drills")


def _merge_twins(raws: dict, ids: list, rings: list, tol: float, report) -> list:
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


def _fill_boundaries(fills: list, flat: float) -> list:
    """Closed boundary paths of HATCH entities, as curves (drawing units, world coordinates)."""
    from ezdxf import path

    curves = []
    for e in fills:
        try:
            paths = list(path.from_hatch(e))
        except Exception:  # noqa: BLE001 - a damaged fill: no outline from it
            continue
        for p in paths:
            pts = flatten_path(p, flat)
            if pts is not None and len(pts) >= 3:
                curves.append((pts, True, e.dxf.get("layer", "0"), describe(e)))
    return curves


def collect_plain(doc, *, unit: str | None, rule: str | None, tolerance: float, fixer: Fixer, skips,
                  file: str, layers: LayerRoles | None = None):
    """``(raw pieces in mm, style texts, unit, rule)`` of a plain DXF; ``layers``: the roles the
    user gave layers (:mod:`~kitcut.formats.reading.layer_roles`)."""
    report = fixer.report
    layers = layers if layers is not None else LayerRoles()
    dropped: dict[tuple[str, str], int] = {}  # (layer, role) -> entities not read
    held: dict[str, dict[str, int]] = {}  # layer -> entity type -> count
    curves, texts, points, fills = [], [], [], []
    flat = tolerance / (MM_PER_UNIT[unit] if unit else 25.4)
    closed_in: dict = {}  # block reference -> its closed curves (points, layer, entity)
    for e, block in _entities(doc, skips, report):
        t = e.dxftype()
        if not e.dxf.is_supported("layer"):  # a type ezdxf does not know (e.g. a damaged name)
            handle = e.dxf.get("handle", None) if e.dxf.is_supported("handle") else None
            report.skip(f"entity of a type kitcut does not know ({t!r}); not used",
                        entity=f"{t}{' #' + handle if handle else ''}")
            continue
        if e.dxf.get("invisible", 0):  # construction lines the CAD itself does not show
            skips.add("entities invisible in the drawing (the CAD does not show them); not read", e, None)
            continue
        layer = e.dxf.get("layer", "0")
        kinds = held.setdefault(layer, {})
        kinds[t] = kinds.get(t, 0) + 1
        given = layers.role(layer)
        if given == "ignore" or (given == "frame" and t not in ("TEXT", "MTEXT", "ATTRIB")):
            dropped[layer, given] = dropped.get((layer, given), 0) + 1
            continue
        if t in ("TEXT", "MTEXT", "ATTRIB"):
            ins = text_insert(e)
            if ins is None:
                skips.add("texts kitcut does not use", e, None)
                continue
            txt = entity_text(e) or ""
            texts.append((ins[:2], tagged(txt, e.dxf.get("tag", "")) if t == "ATTRIB" else txt, layer, e))
        elif t == "POINT":
            loc = e.dxf.location
            points.append(((loc.x, loc.y, loc.z), layer, e))
        elif t == "CIRCLE" and layers.means(layer, "drill", bool(DRILL_MARK.search(layer))):
            c = e.ocs().to_wcs(e.dxf.center)  # a drill mark drawn as its hole: its centre and diameter
            points.append(((c.x, c.y, 2.0 * float(e.dxf.radius)), layer, e))
        elif t in CURVE_TYPES:
            got = entity_points(e, flat)
            if got is None or len(got[0]) == 0:
                report.skip("curve kitcut cannot read; not used", entity=describe(e))
                continue
            curves.append((got[0], got[1], layer, describe(e)))
            if block is not None and got[1]:
                closed_in.setdefault(block, []).append((got[0], layer, e))
        elif t == "HATCH":
            fills.append(e)
        else:
            skips.add("entity types kitcut does not use", e, None)
    for (layer, given), n in sorted(dropped.items()):
        what = "a drawing frame, not cut" if given == "frame" else "ignored"
        report.warn(f"{n} entit{'y' if n == 1 else 'ies'} of layer {layer} not read: {what} "
                    f"({layers.where})")
    for name in layers.unmatched():
        report.warn(f"{layers.where} {name}: no layer of the drawing is named so; not used")
    texts = _block_names(closed_in, texts)
    if not curves and fills:
        curves = _fill_boundaries(fills, flat)
        if curves:
            report.warn(f"the drawing has no lines, only fills: the boundaries of {len(fills)} HATCH "
                        "entities are read as the outlines")
    else:
        for e in fills:
            skips.add("entity types kitcut does not use", e, None)
    if not curves:
        raise fixer.error("no closed outline: the drawing has no lines or curves" + _why_no_curves(skips))
    if rule == "$INSUNITS":
        unit, rule = sane_header_unit(curves, unit, report, file)
    if unit is None:
        scratch = Fixer(file, ImportReport(), strict=False, allow_repair=False)
        raws, style = _pieces(curves, texts, points, 25.4, tolerance, scratch, skips, final=False,
                              layer_roles=layers)
        unit = units_from_area(raws, 25.4)
        rule = "Area text" if unit else None
        if unit is None and style.get("units"):
            from kitcut.formats.reading.units import units_text_name

            unit, rule = units_text_name(style["units"], file=file), "Units text"
        if unit is None:
            if not raws:
                raise fixer.error("no closed outline found (and no units declared)")
            ext = max(float(np.ptp(r.boundary[0][0], axis=0).max()) for r in raws)
            imperial = doc.header.get("$MEASUREMENT", None) == 0
            unit, rule = size_check(ext / 25.4, file=file, imperial=imperial), "size check"
            report.warn(f"no units declared: {unit} guessed from the piece sizes (largest piece "
                        f"{ext / 25.4:.4g} drawing units); give --units if this is wrong")
    raws, style = _pieces(curves, texts, points, MM_PER_UNIT[unit], tolerance, fixer, skips, final=True,
                          layer_roles=layers)
    if not raws:
        raise fixer.error(f"no closed outline: {len(curves)} line(s) but none closes into a piece")
    _report_hidden(doc, raws, report)
    _report_overlaps(raws, report)
    record_layers(held, raws, layers, report)
    return raws, style, unit, rule


def _report_overlaps(raws: list, report) -> None:
    """Say which pieces of one layer and size are drawn over each other (more than 1 % of the
    smaller in common, neither inside the other): a cut-out drawn across the cut line, or a
    piece drawn twice apart, each read as a piece of its own and nested apart. Sizes drawn
    over each other (a graded nest, a layer per size) differ in size and are not reported."""
    import shapely
    from shapely.geometry import Polygon

    polys = [Polygon(r.boundary[0][0]) for r in raws]
    polys = [p if p.is_valid else p.buffer(0) for p in polys]
    tree = shapely.STRtree(polys)
    found = []
    for i, j in zip(*tree.query(polys, predicate="intersects"), strict=True):
        a, b = raws[i], raws[j]
        if i >= j or a.layer != b.layer or (a.texts.get("size") or "") != (b.texts.get("size") or ""):
            continue
        common = polys[i].intersection(polys[j]).area
        small = min(polys[i].area, polys[j].area)
        if common > 0.01 * small and common < 0.99 * small:
            found.append((a.texts.get("name") or a.key, b.texts.get("name") or b.key, common, a.layer))
    for na, nb, common, layer in found[:10]:
        report.warn(f"pieces {na} and {nb} are drawn over each other on layer {layer} ({common:,.0f} mm² in "
                    "common): each is read as a piece and nested apart; if one is a cut-out or a mark drawn "
                    "across the cut line, fix the drawing")
    if len(found) > 10:
        report.warn(f"{len(found) - 10} more pairs of pieces drawn over each other")


#: Entity types that hold outlines kitcut cannot read, and what to do about them.
_SOLIDS = {"REGION": "explode", "3DSOLID": "explode", "BODY": "explode", "SURFACE": "explode",
           "MESH": "explode", "POLYFACE": "explode", "ACAD_PROXY_ENTITY": "explode", "IMAGE": "trace",
           "OLE2FRAME": "trace", "WIPEOUT": "explode"}


def _why_no_curves(skips) -> str:
    """What a drawing without lines holds instead, as a hint for the error."""
    deep = sum(len(h) for (reason, _, _), h in skips.groups.items() if reason == _TOO_DEEP)
    found: dict[str, int] = {}
    for (reason, typ, _), handles in skips.groups.items():
        if reason == "entity types kitcut does not use":
            found[typ] = found.get(typ, 0) + len(handles)
    parts = [f"{n:,} {t}" for t, n in sorted(found.items(), key=lambda kv: -kv[1])[:5]]
    hints = []
    if parts:
        hints.append("it holds " + ", ".join(parts))
    if any(t in _SOLIDS and _SOLIDS[t] == "explode" for t in found):
        hints.append("explode the regions or solids into polylines in the CAD and export again")
    elif any(t in _SOLIDS for t in found):
        hints.append("a picture is not a pattern: trace it into polylines")
    if deep:
        hints.append(f"{deep:,} block references nested over {MAX_DEPTH} levels deep were not read")
    return f" ({'; '.join(hints)})" if hints else ""


def _report_hidden(doc, raws: list, report) -> None:
    """Say which pieces lie on layers the drawing has turned off or frozen: they are read (the
    file holds them), but whoever hid the layer may not want them cut."""
    hidden = set()
    for layer in doc.layers:
        try:
            if layer.is_off() or layer.is_frozen():
                hidden.add(layer.dxf.name.casefold())
        except Exception:  # noqa: BLE001 - a damaged layer entry: take it as shown
            continue
    hid = [r for r in raws if (r.layer or "").casefold() in hidden]
    names = [r.texts.get("name") or r.key for r in hid]
    if names:
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        layers = ", ".join(sorted({r.layer for r in hid}))
        report.warn(f"{len(names)} piece(s) lie on layers turned off or frozen in the drawing ({layers}): "
                    f"read all the same: {shown}; check they belong to the job")
