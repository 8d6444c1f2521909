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

import math

import numpy as np

from kitcut.errors import KitcutError
from kitcut.formats.reading.blocks import MAX_DEPTH
from kitcut.formats.reading.build import GAP_CLOSE_MM, largest_extent
from kitcut.formats.reading.chains import CURVE_TYPES, describe, entity_points, flatten_path
from kitcut.formats.reading.dxf_fast import insert_copies
from kitcut.formats.reading.edge_lines import broken
from kitcut.formats.reading.inkscape_r12 import inkscape_r12, without_marker_copies
from kitcut.formats.reading.laid_copies import labels_once
from kitcut.formats.reading.layer_names import DRILL_MARK, record_layers
from kitcut.formats.reading.layer_roles import LayerRoles
from kitcut.formats.reading.outline import Fixer
from kitcut.formats.reading.plain_pieces import sort_pieces
from kitcut.formats.reading.plain_units import (
    INKSCAPE_PX_NOTE,
    inkscape_r14,
    pstoedit_r12_unit,
    sane_header_unit,
    units_from_area,
)
from kitcut.formats.reading.texts import entity_layer, entity_text, tagged, text_insert
from kitcut.formats.reading.units import MM_PER_UNIT, size_guess
from kitcut.model import ImportReport

__all__ = ["collect_plain"]

_TOO_DEEP = "INSERT nested too deep; not used"


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
                curves.append((pts, True, entity_layer(e), describe(e)))
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
    unreadable: list[str] = []  # curves kitcut cannot read
    meshes: list[str] = []  # POLYLINEs of faces (polyface and polygon meshes): no lines
    numbered: list = []  # circles on a numbered drill layer: drills, unless the layer holds pieces
    dashed: set = set()  # the lines drawn in a broken linetype, by their description...
    solid: set = set()  # ... and the others (a description two entities share tells neither)

    def drill(e, layer: str) -> None:
        c = e.ocs().to_wcs(e.dxf.center)  # a drill mark drawn as its hole: its centre and diameter
        points.append(((c.x, c.y, 2.0 * float(e.dxf.radius)), layer, e))

    def curve(e, block, layer: str) -> None:
        if e.dxftype() == "POLYLINE" and (e.is_poly_face_mesh or e.is_polygon_mesh):
            report.skip("mesh (a POLYLINE of faces, not a line) kitcut does not read; not used",
                        entity=describe(e))
            meshes.append(describe(e))
            return
        got = entity_points(e, flat)
        if got is None or len(got[0]) == 0:
            report.skip("curve kitcut cannot read; not used", entity=describe(e))
            unreadable.append(describe(e))
            return
        curves.append((got[0], got[1], layer, describe(e)))
        # drawn dashed (an open line: a fold on the cut layer; a loop in a piece: a placement), or solid?
        (dashed if broken(e, doc) else solid).add(describe(e))
        if block is not None and got[1]:
            closed_in.setdefault(block, []).append((got[0], layer, e))

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
        layer = entity_layer(e)
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
            if layer.isdigit() and layers.role(layer) is None:
                numbered.append((e, block, layer))  # AAMA's drill layer 13, unless it holds pieces
                continue
            drill(e, layer)
        elif t in CURVE_TYPES:
            curve(e, block, layer)
        elif t == "HATCH":
            fills.append(e)
        else:
            skips.add("entity types kitcut does not use", e, None)
    for e, block, layer in numbered:
        if any(t in CURVE_TYPES and t != "CIRCLE" for t in held[layer]):
            curve(e, block, layer)  # a numbered layer that holds outlines: a size layer
        else:
            drill(e, layer)
    for (layer, given), n in sorted(dropped.items()):
        what = "a drawing frame, not cut" if given == "frame" else "ignored"
        report.warn(f"{n} entit{'y' if n == 1 else 'ies'} of layer {layer} not read: {what} "
                    f"({layers.where})")
    for name in layers.unmatched():
        report.warn(f"{layers.where} {name}: no layer of the drawing is named so; not used")
    texts = _block_names(closed_in, texts)
    curves = _astm_copies(curves, layers, report)
    if inkscape_r12(doc):  # its copies of the SVG's markers, at the page's corner, are no pieces
        curves = without_marker_copies(curves, texts, points, layers, report)
    if not curves and fills:
        curves = _fill_boundaries(fills, flat)
        if curves:
            report.warn(f"the drawing has no lines, only fills: the boundaries of {len(fills)} HATCH "
                        "entities are read as the outlines")
    else:
        for e in fills:
            skips.add("entity types kitcut does not use", e, None)
    if not curves and meshes:  # it said "a damaged definition" of a mesh ezdxf reads well
        raise fixer.error(f"no closed outline: the drawing's {len(meshes)} POLYLINE(s) are meshes (faces, "
                          f"not lines; e.g. {meshes[0]}): explode them into polylines in the CAD and export "
                          "again")
    if not curves and unreadable:
        raise fixer.error(f"no closed outline: the drawing's {len(unreadable)} curve(s) cannot be read (a "
                          f"damaged definition, e.g. {unreadable[0]})")
    if not curves:
        raise fixer.error("no closed outline: the drawing has no lines or curves" + _why_no_curves(skips))
    trial: list = []

    def trial_run():  # the pieces read in inches, reporting nothing: to find the units
        if not trial:
            scratch = Fixer(file, ImportReport(), strict=False, allow_repair=False)
            trial.extend(sort_pieces(curves, texts, points, 25.4, tolerance, scratch, skips, final=False,
                                     layer_roles=layers))
        return trial

    def largest() -> float | None:  # the largest piece's extent, drawing units (None: not found)
        try:
            raws = trial_run()[0]
        except KitcutError:  # the final reading will say what is wrong
            return None
        return largest_extent(raws) / 25.4 if raws else None

    inkscape = inkscape_r14(doc)
    if rule == "$INSUNITS":
        unit, rule = sane_header_unit(curves, unit, report, file, inkscape=inkscape, pieces_extent=largest)
    if unit is None and (ps_unit := pstoedit_r12_unit(doc)):
        unit, rule = ps_unit, "pstoedit $EXTMAX"  # pstoedit's R12 output: points / 72, or mm with -mm
    if unit is None:
        raws, style = trial_run()
        ext = largest_extent(raws) / 25.4 if raws else None  # drawing units (the trial read inches)
        unit = units_from_area(raws, 25.4)
        rule = "Area text" if unit else None
        if unit is None and style.get("units"):
            from kitcut.formats.reading.units import metric_unit, units_text_name

            unit, rule = units_text_name(style["units"], file=file), "Units text"
            if metric_unit(style["units"], ext, report.guess_units):
                unit, rule = "cm", "size check"
        if unit is None:
            if ext is None:
                raise fixer.error("no closed outline found (and no units declared)")
            imperial = doc.header.get("$MEASUREMENT", None) == 0
            unit, note = size_guess(ext, file=file, imperial=imperial)
            rule = "size check"
            report.guess_units(note + (INKSCAPE_PX_NOTE if inkscape else ""))
    raws, style = sort_pieces(curves, texts, points, MM_PER_UNIT[unit], tolerance, fixer, skips, final=True,
                          layer_roles=layers, broken_lines=frozenset(dashed - solid))
    if not raws:
        raise fixer.error(f"no closed outline: {len(curves)} line(s) but none closes into a piece"
                          + _loose_ends(curves, MM_PER_UNIT[unit], tolerance))
    raws = labels_once(raws, report)  # a layout's laid copies of one labelled piece
    _report_hidden(doc, raws, report)
    _report_overlaps(raws, report)
    record_layers(held, raws, layers, report)
    return raws, style, unit, rule


#: ASTM D6673's "quality validation" layers, each a copy of an AAMA layer: 84 of the cut lines (1),
#: 85 of the internal lines (8), 86 of the cut-outs (11), 87 of the sew lines (14).
_ASTM_COPIES = {"84": "1", "85": "8", "86": "11", "87": "14"}


def _astm_copies(curves: list, layers, report) -> list:
    """``curves`` without the sparser of each ASTM layer and its copy (84 and 1...) where a drawing
    holds both over the same extent: an AAMA/ASTM export whose blocks were exploded into model
    space. Read as a plain
    drawing, each piece came out twice, once from each layer (18 pieces for 9, a marker cutting
    every piece twice). The denser is kept, as the AAMA reader keeps it; the layers the user gave
    a role are read as given."""
    count: dict[str, int] = {}
    lo: dict[str, np.ndarray] = {}
    hi: dict[str, np.ndarray] = {}
    for pts, _, layer, _ in curves:
        if len(pts):
            count[layer] = count.get(layer, 0) + len(pts)
            lo[layer] = np.minimum(lo.get(layer, pts.min(axis=0)), pts.min(axis=0))
            hi[layer] = np.maximum(hi.get(layer, pts.max(axis=0)), pts.max(axis=0))
    drop = set()
    for copy, main in _ASTM_COPIES.items():
        if not (count.get(copy) and count.get(main)) or layers.role(copy) or layers.role(main):
            continue
        # a copy covers what its layer covers (CLO's coarse polygon lies within 13 mm of the curve);
        # layers numbered 1 to 90 for sizes or pieces lie apart: each is read
        size = float(np.hypot(*(hi[main] - lo[main])))
        if max(np.abs(lo[copy] - lo[main]).max(), np.abs(hi[copy] - hi[main]).max()) <= 0.05 * size:
            drop.add(copy if count[copy] <= count[main] else main)
    if not drop:
        return curves
    kept = [c for c in curves if c[2] not in drop]
    for layer in sorted(drop, key=int):
        other = _ASTM_COPIES.get(layer) or next(k for k, v in _ASTM_COPIES.items() if v == layer)
        n = sum(1 for c in curves if c[2] == layer)
        report.skip(f"{n} line(s) of layer {layer} not read: layers {layer} and {other} draw the same lines "
                    f"(ASTM's copy of an AAMA layer; its blocks exploded), and layer {other} is the denser")
    return kept


def _loose_ends(curves: list, scale: float, tol: float) -> str:
    """Where the lines of a drawing that closes nowhere come nearest to closing: the two
    nearest ends of different lines that meet no other end, as a hint for the error."""
    ends, owner = [], []
    for k, (pts, closed, _, _) in enumerate(curves):
        if not closed and len(pts) >= 2:
            ends += [pts[0] * scale, pts[-1] * scale]
            owner += [k, k]
    if not 2 <= len(ends) <= 20000:
        return ""
    e = np.asarray(ends, dtype=np.float64)
    own = np.asarray(owner)
    best = None
    for i in range(len(e)):
        d = np.hypot(*(e - e[i]).T)
        d[own == own[i]] = np.inf
        if d.min() <= tol:  # this end meets another: not loose
            continue
        d[d <= tol] = np.inf
        j = int(np.argmin(d))
        if np.isfinite(d[j]) and (best is None or d[j] < best[0]):
            best = (float(d[j]), e[i], e[j])
    if best is None:
        return ""
    gap, a, b = best
    wider = math.ceil(gap * 10 + 1e-9) / 10
    return (f" (the nearest loose ends, at ({a[0]:.1f}, {a[1]:.1f}) and ({b[0]:.1f}, {b[1]:.1f}), are "
            f"{gap:.2f} mm apart, and cut lines close gaps up to {max(tol, GAP_CLOSE_MM):g} mm: join them in "
            f"the CAD, or give --tolerance {wider:g} if that gap is meant to close)")


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
