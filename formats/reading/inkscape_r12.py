"""The marker copies of Inkscape's "Desktop Cutting Plotter (AutoCAD DXF R12)" output.

Inkscape's R12 output (``org.inkscape.output.dxf_twelve``, ``dxf12_outlines.py``) writes every
``<path>`` of the SVG as LINEs in mm, the paths in document order, each on the layer named by its
parent's label (``Layer 1`` when the parent has none). A marker (the arrowhead of a grain line:
Inkscape's stock ``Arrow1``/``Arrow2``, ``TriangleStart``, or a marker of the user's own with a
``viewBox``) is a ``<path>`` inside a ``<marker>`` in ``<defs>``: it is written too, once per
marker however many lines use it, in the marker's own coordinates, so at the SVG's origin (the
page's top left corner, ``x = 0``), on layer ``Layer 1`` (a ``<marker>`` has no label), and
before every path of the drawing (``<defs>`` opens the SVG; after them when it closes it). Its
size is the marker's in the document's user unit: 7.7 x 5.6 mm for ``Arrow2`` in a document in
mm, 2 x 1.5 mm in px, 196 x 142 mm in one in inches (a Letter page from Inkscape's template).
Read as a ring it was a piece named ``Layer 1``, nested and cut.

:func:`marker_copies` finds them: in a drawing of that writer (:func:`inkscape_r12`, its fixed
header), the closed lines of layer ``Layer 1`` written first (or last), one after the other,
whose boxes reach ``x = 0`` and share one height at or above the drawing's top (the page's),
pointed as an arrowhead is (filling at most :data:`~.arrowheads.FILL` of the box) or centred on
``x = 0`` (``Dot``, ``Square``), alone (no text, point or line in or by it) and of a shape no
other outline of the drawing has (a bunting's flags are pieces). A tab in the page's corner, a
piece away from it or written among the others, and one with its name or count stay pieces; so
do the copies of a drawing that reaches above its page.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import Polygon

from kitcut.formats.reading.arrowheads import FILL
from kitcut.model.geometry import ring_area

__all__ = ["MARKER_LAYER", "inkscape_r12", "marker_copies", "without_marker_copies"]

#: The layer Inkscape's R12 output writes a path on when its parent has no label (a marker's).
MARKER_LAYER = "Layer 1"
#: Two ends of consecutive LINEs this close (drawing units) are one point: the writer prints
#: both from one number.
_SAME = 1e-6


def inkscape_r12(doc) -> bool:
    """``doc`` was written by Inkscape's R12 output: an R12 file whose header is the writer's
    fixed template, ``$EXTMIN`` at the origin and ``$EXTMAX`` at (8.5, 11), a Letter page in
    inches, whatever it draws."""
    if getattr(doc, "loaded_dxfversion", None) != "AC1009":
        return False
    try:
        lo, hi = doc.header.get("$EXTMIN", None), doc.header.get("$EXTMAX", None)
        if lo is None or hi is None:
            return False
        return tuple(float(v) for v in tuple(lo)[:2]) == (0.0, 0.0) and \
            tuple(float(v) for v in tuple(hi)[:2]) == (8.5, 11.0)
    except (TypeError, ValueError, IndexError):  # a damaged header: not Inkscape's
        return False


def _same(a, b) -> bool:
    return abs(a[0] - b[0]) <= _SAME and abs(a[1] - b[1]) <= _SAME


def _paths(curves: list) -> list[tuple[int, int, bool]]:
    """``(first, end, closed)`` curve index ranges of the paths the writer drew: runs of
    consecutive LINEs (open curves of two points) on one layer, each starting where the one
    before ends, up to where the run comes back to its start (and the LINE of no length that
    closes it there). Any other curve is a path alone."""
    out = []
    k, n = 0, len(curves)

    def line(j: int, layer: str) -> bool:  # curve j is a LINE of ``layer``
        return j < n and not curves[j][1] and len(curves[j][0]) == 2 and curves[j][2] == layer

    while k < n:
        pts, closed, layer, _ = curves[k]
        j = k + 1
        if line(k, layer):
            start, end = pts[0], pts[1]
            while not _same(end, start) and line(j, layer) and _same(curves[j][0][0], end):
                end = curves[j][0][1]
                j += 1
            closed = j - k >= 3 and _same(end, start)
            while closed and line(j, layer) and _same(curves[j][0][0], start) and _same(curves[j][0][1], end):
                j += 1  # the closing ``z`` of a path back at its start: a LINE of no length
        out.append((k, j, bool(closed)))
        k = j
    return out


def _ring(curves: list, first: int, end: int) -> np.ndarray:
    """The points of the closed path drawn by ``curves[first:end]``."""
    if end - first == 1:
        return curves[first][0]
    return np.array([curves[k][0][0] for k in range(first, end)], dtype=float)


def _marker_shape(ring: np.ndarray) -> bool:
    """``ring`` has a marker's shape where it lies: pointed as an arrowhead or a triangle is (it
    fills at most :data:`~.arrowheads.FILL` of its box), or centred on ``x = 0`` as Inkscape's
    round and square markers (``Dot``, ``Square``) are, never a tab laid in the page's corner."""
    lo, hi = ring.min(axis=0), ring.max(axis=0)
    w, h = hi - lo
    area = abs(ring_area(ring))
    return area > 0.0 and (area <= FILL * float(w * h) or abs(lo[0] + hi[0]) <= 0.1 * w)


def _at_origin(paths, curves: list, given) -> tuple[list, list, float]:
    """``(closed paths of a marker's shape, all paths, top)`` of the run of ``paths`` (from
    one end of the drawing) drawn at the SVG's origin as marker copies are: on layer
    :data:`MARKER_LAYER`, their boxes reaching ``x = 0`` (within a quarter of their size: a
    marker's path drawn inside its viewBox's margin) and all holding one height (the page's
    top, below ``top``). Open paths (Inkscape's open chevron ``Arrow1``) and other closed ones
    there go on with the run."""
    band = (-np.inf, np.inf)
    found, run = [], []
    for p in paths:
        first, end, closed = p
        if curves[first][2] != MARKER_LAYER or given(MARKER_LAYER):
            break
        pts = (_ring(curves, first, end) if closed
               else np.concatenate([curves[k][0] for k in range(first, end)]))
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        grow = 0.25 * float((hi - lo).max())
        at = (max(band[0], lo[1] - grow), min(band[1], hi[1] + grow))
        if not lo[0] - grow <= 0.0 <= hi[0] + grow or at[0] > at[1]:
            break
        band = at
        run.append(p)
        if closed and _marker_shape(pts):
            found.append(p)
    return found, run, band[1]


def _shape_of(ring: np.ndarray, rings: list[np.ndarray], dims: np.ndarray) -> bool:
    """``ring`` is the shape of one of ``rings`` (their boxes' sides, sorted, in ``dims``) by
    area and box, either way round, within 1 %."""
    mine = np.sort(np.ptp(ring, axis=0))
    area = abs(ring_area(ring))
    for k in np.flatnonzero((np.abs(dims - mine) <= 0.01 * mine).all(axis=1)):
        other = abs(ring_area(rings[k]))
        if abs(other - area) <= 0.01 * max(other, area):
            return True
    return False


def marker_copies(curves: list, texts: list, points: list, given=lambda layer: False) -> list[list[int]]:
    """The curve indexes of each marker copy among ``curves`` (``(points, closed, layer, source)``
    in the order the drawing holds them, drawing units) of a drawing of Inkscape's R12 output
    (see the module docstring). ``texts`` and ``points`` as the plain reader collects them;
    ``given(layer)``: the user gave the layer a role (``--layer "Layer 1=cut"``: no copies there)."""
    paths = _paths(curves)
    lead, run, lead_top = _at_origin(paths, curves, given)
    if len(run) == len(paths):
        return []  # nothing but such lines: that is the drawing, not Inkscape's copies
    tail, end_run, tail_top = _at_origin(reversed(paths[len(run):]), curves, given)
    if not lead and not tail:
        return []
    drawn = paths[len(run):len(paths) - len(end_run)]  # what the SVG draws, between the runs
    others = [k for p in drawn for k in range(p[0], p[1])]
    hi_o = np.array([curves[k][0].max(axis=0) for k in others]).reshape(-1, 2)
    # the page's top: the drawing lies below it (a line above it leaves the copies pieces, as a
    # piece drawn at the page's side, below its top, is one)
    top = float(hi_o[:, 1].max()) if len(hi_o) else -np.inf
    found = (lead if lead_top >= top else []) + (tail[::-1] if tail_top >= top else [])  # in the order drawn
    shapes = [_ring(curves, p[0], p[1]) for p in drawn if p[2]]
    dims = np.sort(np.array([np.ptp(r, axis=0) for r in shapes]).reshape(-1, 2), axis=1)
    spots = np.asarray([xy[:2] for xy, *_ in texts] + [xyz[:2] for xyz, *_ in points],
                       dtype=float).reshape(-1, 2)
    lo_o = np.array([curves[k][0].min(axis=0) for k in others]).reshape(-1, 2)
    out = []
    for p in found:
        ring = _ring(curves, p[0], p[1])
        lo, hi = ring.min(axis=0), ring.max(axis=0)
        pad = float((hi - lo).max())
        if ((spots >= lo - pad) & (spots <= hi + pad)).all(axis=1).any():
            continue  # a label in it or by it: a piece with its name or count
        if _shape_of(ring, shapes, dims):
            continue  # a copy of another outline: pieces of one shape (a bunting's flags)
        poly = Polygon(ring).buffer(0)
        shapely.prepare(poly)
        inside = np.flatnonzero(((lo_o >= lo) & (hi_o <= hi)).all(axis=1))
        if any(shapely.contains_xy(poly, *curves[others[i]][0].T).all() for i in inside):
            continue  # holds a line of its own: a piece
        out.append(list(range(p[0], p[1])))
    return out


def without_marker_copies(curves: list, texts: list, points: list, layers, report) -> list:
    """``curves`` without the marker copies (:func:`marker_copies`) of a drawing of Inkscape's R12
    output, said as a headline remark: they were nested and cut as pieces named ``Layer 1``."""
    found = marker_copies(curves, texts, points, lambda layer: layers.role(layer) is not None)
    if not found:
        return curves
    drop = {k for ks in found for k in ks}
    boxes = [np.concatenate([curves[k][0] for k in ks]) for ks in found]
    sizes = ", ".join(f"{w:.1f} x {h:.1f}" for w, h in (np.ptp(b, axis=0) for b in boxes))
    x, y = np.concatenate(boxes).min(axis=0)
    one = len(found) == 1
    report.warn(f"{len(found)} closed line{'' if one else 's'} on layer {MARKER_LAYER} at ({x:.1f}, {y:.1f}) "
                f"({sizes} mm), alone at the page's top left corner: "
                + ("the copy of an SVG marker (a grain line's arrowhead)" if one else
                   "copies of SVG markers (grain lines' arrowheads)")
                + " that Inkscape's DXF R12 output writes there once; not "
                + ("a piece, not cut; give --layer \"Layer 1=cut\" if it is one" if one else
                   "pieces, not cut; give --layer \"Layer 1=cut\" if they are"), headline=True)
    return [c for k, c in enumerate(curves) if k not in drop]
