"""Write patterns as AAMA / ASTM D6673 pattern DXF (the layout pattern CAD exchanges).

One BLOCK per piece and size, inserted at 0,0 in model space, layers as AAMA numbers them::

    1 cut line (closed POLYLINE) and the piece texts   4 notches (POINT)   6 fold line
    7 grain LINE   8 internal lines   11 cut-outs   13 drill holes (POINT)   14 sew line
    80 / 81 / 82 / 83 T / castle (box) / check / U notches (POINT, ASTM D6673)

Notch POINTs carry the depth as ``z = -depth``, the width as thickness (0 for a slit) and the
direction into the piece as the angle (group 50), as AccuMark writes them. Drill POINTs carry
the diameter in z when the piece knows one (the Valentina convention), else z = 0.

Files are DXF R12 in the shape Gerber AccuMark accepts: an empty HEADER (no ``$INSUNITS``, no
dates, so two writes of the same pattern are byte-identical), no layout blocks, no handles;
the units are said by a model-space ``Units: METRIC`` / ``Units: ENGLISH`` text.

>>> from kitcut.model import Pattern, Piece
>>> pat = Pattern((Piece("Cuff", [(0, 0), (250, 0), (250, 60), (0, 60)], size="M"),), style="S1")
>>> data = aama_bytes(aama_document(pat))
>>> b"Piece Name: Cuff" in data and b"Units: METRIC" in data
True
"""

from __future__ import annotations

import io
import math
import os
import re
from dataclasses import replace

import ezdxf
import numpy as np
from ezdxf.addons import gerber_D6673
from ezdxf.document import Drawing
from ezdxf.layouts import BlockLayout

from kitcut.cells import no_controls
from kitcut.errors import GeometryError, KitcutError, UnitsError
from kitcut.fileio import atomic_write
from kitcut.formats.reading.aama import KITCUT_PRODUCT
from kitcut.formats.reading.build import NOTCH_LAYER_KINDS
from kitcut.formats.reading.texts import escape
from kitcut.model import Drill, Line, Pattern, Piece

__all__ = [
    "UNIT_SCALE",
    "add_piece_block",
    "new_aama_document",
    "aama_document",
    "aama_bytes",
    "save_aama_document",
    "write_aama",
    "block_name",
    "halve_piece",
    "unfold_piece",
    "as_written",
]

#: Factor from millimetres to each unit the writer supports.
UNIT_SCALE = {"mm": 1.0, "in": 1.0 / 25.4}
_UNITS_TEXT = {"mm": "METRIC", "in": "ENGLISH"}
#: the layer of each notch kind but a slit and a V (layer 4): ASTM D6673's T, castle (box), check
#: and U notch layers, as kitcut reads them. On layer 4 they read back as V notches, and a cutter
#: file of the marker read back cut a box notch's three strokes as a V's two.
_NOTCH_LAYER = {kind: layer for layer, kind in NOTCH_LAYER_KINDS.items()}
TEXT_HEIGHT_MM = 5.0
LABEL_HEIGHT_MM = 2.0
_FOLD_TOL = 1e-6


def _scale(units: str) -> float:
    try:
        return UNIT_SCALE[units]
    except KeyError:
        raise UnitsError(f"cannot write units {units!r}; use 'mm' or 'in'") from None


def new_aama_document(style: str | None, units: str = "mm", *, sample_size: str | None = None,
                      rule_table: str | None = None) -> Drawing:
    """A new R12 drawing with the model-space style texts (``Product: kitcut``, by which kitcut
    reads its own ``Units: METRIC`` as mm, ``Style Name``, ``Units``, and for a graded pattern
    ``Sample Size`` and ``Grade Rule Table``)."""
    _scale(units)
    # ezdxf.new("R12") without its $INSUNITS setter (R12 cannot carry it; ezdxf warns)
    doc = Drawing.new(ezdxf.const.DXF12)
    msp = doc.modelspace()
    h = TEXT_HEIGHT_MM * UNIT_SCALE[units]
    lines = [KITCUT_PRODUCT] + ([f"Style Name: {style}"] if style else []) + [f"Units: {_UNITS_TEXT[units]}"]
    lines += [f"Sample Size: {sample_size}"] if sample_size else []
    lines += [f"Grade Rule Table: {rule_table}"] if rule_table else []
    for i, text in enumerate(lines):
        msp.add_text(text, dxfattribs={"layer": "1", "height": h, "insert": (0.0, 0.0 - 1.5 * h * i + 0.0)})
    return doc


def _xy(points, s: float) -> list[tuple[float, float]]:
    return [(float(x) * s, float(y) * s) for x, y in np.asarray(points, dtype=np.float64).reshape(-1, 2)]


def _add_line(blk: BlockLayout, line: Line, layer: str, s: float) -> None:
    pts = _xy(line.points, s)
    if len(pts) == 2 and not line.closed:
        blk.add_line(pts[0], pts[1], dxfattribs={"layer": layer})
    else:
        blk.add_polyline2d(pts, close=line.closed, dxfattribs={"layer": layer})


def _quantity_text(piece: Piece) -> str:
    if piece.flipped is None:
        return str(piece.quantity)
    flipped = min(piece.flipped, piece.quantity)
    return f"{piece.quantity - flipped},{flipped}"


def _text_anchor(piece: Piece) -> tuple[float, float]:
    from shapely.geometry import Polygon

    poly = Polygon(piece.outline)
    if not poly.is_valid:
        poly = poly.buffer(0)
    p = poly.representative_point()
    return float(p.x), float(p.y)


def _labels(blk: BlockLayout, points, marks: dict | None, s: float, closed: bool) -> None:
    """Grade rule labels as AccuMark's AAMA files carry them: at each graded point a POINT on
    layer 2 (turn point) or 3 (curve point) and a ``# n`` TEXT on the same layer, right after
    the line they grade."""
    if not marks:
        return
    from kitcut.formats.writing.grade_derive import turn_points

    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    turns = turn_points(pts, closed)
    h = LABEL_HEIGHT_MM * s
    for i in sorted(marks):
        x, y = _xy(pts[i], s)[0]
        layer = "2" if i in turns else "3"
        blk.add_point((x, y), dxfattribs={"layer": layer})
        blk.add_text(f"# {marks[i]}", dxfattribs={"layer": layer, "height": h, "insert": (x, y)})


def _label_at(blk: BlockLayout, x: float, y: float, rule: int | None, layer: str, s: float) -> None:
    if rule is not None:  # a notch or drill's own rule: on its own layer (ASTM style)
        blk.add_text(f"# {rule}", dxfattribs={"layer": layer, "height": LABEL_HEIGHT_MM * s,
                                                "insert": (x * s, y * s)})


def add_piece_block(doc: Drawing, piece: Piece, name: str, *, units: str = "mm", grades=None) -> BlockLayout:
    """Add one BLOCK ``name`` holding ``piece`` (in mm) drawn in ``units``; return the block.

    The block is not inserted; :func:`write_aama` inserts each at 0,0. The layer-6 fold line is
    written only for a half piece (``folded`` and not ``unfolded``; see :func:`halve_piece`), so
    that a reader does not unfold a whole piece a second time. ``grades`` (a
    :class:`~kitcut.formats.writing.grade_derive.PieceGrades`) adds the grade rule labels of a
    sample-size piece.
    """
    s = _scale(units)
    if len(piece.outline) < 3:
        raise GeometryError("outline has fewer than 3 points", piece=piece.label)
    blk = doc.blocks.new(name=name)
    blk.add_polyline2d(_xy(piece.outline, s), close=True, dxfattribs={"layer": "1"})
    g = grades
    _labels(blk, piece.outline, g and g.outline, s, True)
    texts = [f"Piece Name: {piece.name}"]
    if piece.size is not None:
        texts.append(f"Size: {piece.size}")
    texts.append(f"Quantity: {_quantity_text(piece)}")
    if piece.category:
        texts.append(f"Category: {piece.category}")
    if piece.material:
        texts.append(f"Material: {piece.material}")
    texts += [f"Annotation: {a}" for a in piece.annotations]
    ax, ay = _text_anchor(piece)
    h = TEXT_HEIGHT_MM * s
    top = ay * s + 0.75 * h * (len(texts) - 1)  # the stack of texts centred on the anchor
    for i, text in enumerate(texts):
        blk.add_text(text, dxfattribs={"layer": "1", "height": h, "insert": (ax * s, top - 1.5 * h * i)})
    for k, n in enumerate(piece.notches):
        layer = _NOTCH_LAYER.get(n.kind, "4")  # a T, box, check or U notch on its ASTM layer
        blk.add_point(
            (n.x * s, n.y * s, -n.depth * s),
            dxfattribs={"layer": layer, "thickness": n.width * s, "angle": float(n.angle_deg)},
        )
        _label_at(blk, n.x, n.y, g.notches[k] if g else None, layer, s)
    if piece.fold_line is not None and piece.folded and not piece.unfolded:
        _add_line(blk, piece.fold_line, "6", s)
        _labels(blk, piece.fold_line.points, g and g.fold, s, False)
    if piece.grain is not None:
        gp = piece.grain.points
        blk.add_line(_xy(gp[0], s)[0], _xy(gp[-1], s)[0], dxfattribs={"layer": "7"})
        _labels(blk, gp[[0, -1]], g and g.grain, s, False)
    for k, line in enumerate(piece.internal_lines):
        _add_line(blk, line, "8", s)
        _labels(blk, line.points, g and g.internal[k], s, line.closed)
    for k, ring in enumerate(piece.cutouts):
        blk.add_polyline2d(_xy(ring, s), close=True, dxfattribs={"layer": "11"})
        _labels(blk, ring, g and g.cutouts[k], s, True)
    for k, d in enumerate(piece.drills):
        z = 0.0 if d.diameter is None else d.diameter * s
        blk.add_point((d.x * s, d.y * s, z), dxfattribs={"layer": "13"})
        _label_at(blk, d.x, d.y, g.drills[k] if g else None, "13", s)
    for k, line in enumerate(piece.sew_lines):
        _add_line(blk, line, "14", s)
        _labels(blk, line.points, g and g.sew[k], s, line.closed)
    return blk


#: The longest block name R12 allows (AutoCAD R12's limit; later ones take 255): a 334-character
#: name of a long piece name was written, which a strict reader refuses
MAX_BLOCK_NAME = 31


def _safe(text: str) -> str:
    from anyascii import anyascii

    return re.sub(r"[^A-Za-z0-9_\-$]", "_", anyascii(text))


def block_name(piece: Piece) -> str:
    """The AccuMark-style block name ``<piece>_<size>``, restricted to R12-safe characters
    (other scripts transliterated: ``前片_M`` -> ``QianPian_M``) and to
    :data:`MAX_BLOCK_NAME` characters (the piece's name shortened, its size kept while it fits;
    the piece's name is written whole in its ``Piece Name:`` text)."""
    name = _safe(piece.name) or "PIECE"
    if piece.size is None:
        return name[:MAX_BLOCK_NAME]
    size = _safe(str(piece.size))[:MAX_BLOCK_NAME // 2]
    return f"{name[:MAX_BLOCK_NAME - len(size) - 1]}_{size}"


def numbered(base: str, n: int) -> str:
    """``base`` with the suffix ``_n`` that makes it unique, within :data:`MAX_BLOCK_NAME`."""
    tail = f"_{n}"
    return base[:MAX_BLOCK_NAME - len(tail)] + tail


# -- fold lines -----------------------------------------------------------------------------
def _fold_frame(fold: Line) -> tuple[np.ndarray, np.ndarray]:
    a = fold.points[0]
    d = fold.points[-1] - a
    norm = float(np.hypot(*d))
    if norm <= 0:
        raise GeometryError("fold line has zero length")
    return a, d / norm


def _side(points: np.ndarray, a: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Signed distance of ``points`` from the fold line, positive on its left."""
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2) - a
    return d[0] * p[:, 1] - d[1] * p[:, 0]


def _reflect(points: np.ndarray, a: np.ndarray, d: np.ndarray) -> np.ndarray:
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2) - a
    along = p @ d
    return 2.0 * np.outer(along, d) - p + a


def _reflect_angle(angle_deg: float, d: np.ndarray) -> float:
    t = math.radians(angle_deg)
    v = _reflect(np.array([[math.cos(t), math.sin(t)]]), np.zeros(2), d)[0]
    return math.degrees(math.atan2(v[1], v[0])) % 360.0


def unfold_piece(piece: Piece) -> Piece:
    """Mirror a half piece (``folded``, with a ``fold_line``) into the full piece."""
    if piece.fold_line is None or piece.unfolded:
        return piece
    from shapely.geometry import Polygon

    a, d = _fold_frame(piece.fold_line)
    full = Polygon(piece.outline).union(Polygon(_reflect(piece.outline, a, d)))
    if full.geom_type != "Polygon":
        raise GeometryError("the half and its mirror image do not join on the fold line", piece=piece.label)
    off = lambda pts: np.abs(_side(pts, a, d)) > 1e-3  # noqa: E731
    notches = list(piece.notches)
    for n in piece.notches:
        if off([(n.x, n.y)])[0]:
            (x, y), = _reflect([(n.x, n.y)], a, d)
            notches.append(replace(n, x=float(x), y=float(y), angle_deg=_reflect_angle(n.angle_deg, d)))
    drills = list(piece.drills)
    for dr in piece.drills:
        if off([(dr.x, dr.y)])[0]:
            (x, y), = _reflect([(dr.x, dr.y)], a, d)
            drills.append(Drill(float(x), float(y), dr.diameter))
    mirror_lines = lambda lines: tuple(lines) + tuple(  # noqa: E731
        Line(_reflect(ln.points, a, d), ln.closed) for ln in lines if off(ln.points).any()
    )
    return replace(
        piece,
        outline=np.asarray(full.exterior.coords),
        notches=tuple(notches),
        drills=tuple(drills),
        internal_lines=mirror_lines(piece.internal_lines),
        sew_lines=mirror_lines(piece.sew_lines),
        cutouts=tuple(piece.cutouts) + tuple(_reflect(c, a, d) for c in piece.cutouts),
        folded=False,
        unfolded=True,
    )


def halve_piece(piece: Piece) -> Piece:
    """Cut a full, mirror-symmetric piece along its ``fold_line``; keep the half on its left.

    A full piece is one drawn whole or one a reader unfolded (``unfolded``)."""
    if piece.fold_line is None or (piece.folded and not piece.unfolded):
        return piece
    from shapely.geometry import LineString, Polygon

    a, d = _fold_frame(piece.fold_line)
    big = 10.0 * (float(np.ptp(piece.outline, axis=0).max()) + float(np.abs(piece.outline - a).max()) + 1.0)
    n = np.array([-d[1], d[0]])
    plane = Polygon([a - d * big, a + d * big, a + d * big + n * big, a - d * big + n * big])
    whole = Polygon(piece.outline)
    if whole.distance(LineString(piece.fold_line.points)) > 1e-6:
        raise GeometryError("the fold line does not touch the piece", piece=piece.label)
    half = whole.intersection(plane)
    if half.geom_type != "Polygon" or half.is_empty:
        raise GeometryError("the fold line does not split the piece into one half", piece=piece.label)
    keep = lambda pts: bool((_side(pts, a, d) >= -1e-3).all())  # noqa: E731

    def clip(lines):
        out = []
        for ln in lines:
            if keep(ln.points):
                out.append(ln)
            elif (_side(ln.points, a, d) > 1e-3).any():
                part = LineString(ln.points).intersection(plane)
                for g in getattr(part, "geoms", [part]):
                    if g.geom_type == "LineString" and g.length > 0:
                        out.append(Line(np.asarray(g.coords)))
        return tuple(out)

    grain = piece.grain
    if grain is not None and _side(grain.points, a, d).mean() < 0:
        grain = Line(_reflect(grain.points, a, d)[::-1])
    return replace(
        piece,
        outline=np.asarray(half.exterior.coords),
        notches=tuple(x for x in piece.notches if keep([(x.x, x.y)])),
        drills=tuple(x for x in piece.drills if keep([(x.x, x.y)])),
        internal_lines=clip(piece.internal_lines),
        sew_lines=clip(piece.sew_lines),
        cutouts=tuple(c for c in piece.cutouts if keep(c)),
        grain=grain,
        folded=True,
        unfolded=False,
    )


# -- documents and files --------------------------------------------------------------------
def as_written(piece: Piece, folded: bool = False) -> Piece:
    """``piece`` as :func:`aama_document` draws it: a fold piece as its half with the fold line
    (``folded``) or whole without it."""
    if piece.fold_line is not None:
        piece = halve_piece(piece) if folded else unfold_piece(piece) if piece.folded else piece
    if not (folded and piece.folded):
        piece = replace(piece, fold_line=None)
    return piece


def aama_document(pattern: Pattern, *, units: str = "mm", folded: bool = False, grades: dict | None = None,
                  sample_size: str | None = None, rule_table: str | None = None) -> Drawing:
    """Build the drawing :func:`write_aama` writes (one block per piece, inserted at 0,0).

    ``grades`` maps the index of a piece in ``pattern.pieces`` to its grade rule labels
    (:class:`~kitcut.formats.writing.grade_derive.PieceGrades`, for pieces as :func:`as_written`
    draws them); ``sample_size`` and ``rule_table`` add those style texts."""
    doc = new_aama_document(pattern.style, units, sample_size=sample_size, rule_table=rule_table)
    msp = doc.modelspace()
    used: set[str] = set()
    for i, piece in enumerate(pattern.pieces):
        piece = as_written(piece, folded)
        name, k = block_name(piece), 2
        while name.upper() in used:
            name, k = numbered(block_name(piece), k), k + 1
        used.add(name.upper())
        add_piece_block(doc, piece, name, units=units, grades=(grades or {}).get(i))
        msp.add_blockref(name, (0.0, 0.0), dxfattribs={"layer": "1"})
    return doc


def aama_bytes(doc: Drawing) -> bytes:
    """Serialise an R12 drawing as AccuMark reads it: empty header, no layout blocks; a text's
    control characters are spaces (a name with a NUL, an ESC went into the file raw)."""
    stream = io.StringIO()
    gerber_D6673.export_stream(doc, stream)
    # no control character but its line ends (a NUL in a name ends the string in a C reader of the
    # file, an ESC repaints the terminal that shows it); non-ASCII texts as \U+XXXX, as R12 has them
    return escape(no_controls(stream.getvalue())).encode("ascii")


def save_aama_document(doc: Drawing, path: str | os.PathLike) -> None:
    """Write ``doc`` (from :func:`new_aama_document`) to ``path`` atomically."""
    atomic_write(path, aama_bytes(doc))


def write_aama(pattern: Pattern, path, *, units: str = "mm", folded: bool = False) -> None:
    """Write ``pattern`` as an AAMA DXF file at ``path`` (atomically; ``-`` for stdout).

    With ``folded=True`` pieces that have a ``fold_line`` are written as their half plus the
    layer-6 line (full pieces are cut along it); otherwise every piece is written whole.
    """
    try:
        doc = aama_document(pattern, units=units, folded=folded)
    except KitcutError as exc:
        exc.file = exc.file or str(path)
        raise
    save_aama_document(doc, path)

