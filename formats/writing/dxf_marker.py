"""AAMA-style marker DXF: each piece a BLOCK, each placed copy an INSERT at its placement.

Blocks come from :func:`kitcut.formats.writing.aama_write.add_piece_block` (layers 1/4/7/8/11/13/14,
piece texts), so the marker carries the same pieces a pattern file does. A piece nested as a half
on the fold (``--keep-folded``) keeps its layer-6 mirror line; a fold piece nested whole (the
reader unfolded it) carries its fold as a layer-8 internal line instead, since layer 6 tells a CAD
to unfold the block about it (a second time). An INSERT maps the
block exactly as the placement does: ``yscale = -1`` for a mirrored copy (mirror first; written
with ``xscale = 1`` beside it, which ezdxf leaves out as the default and Inkscape's importer
reads wherever there is a ``yscale``: it stopped on an IndexError and imported nothing),
``rotation`` in degrees counter-clockwise, ``insert`` = the translation. The strip frame and
the marker figures are on layer ``MARKER`` (not an AAMA layer, so pattern readers skip it).
Output is R12 with an empty header: no dates, byte-identical for the same marker.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from kitcut.formats.layout.page import MM_PER_UNIT, fmt_num
from kitcut.formats.writing.aama_write import (
    aama_bytes,
    add_piece_block,
    block_name,
    new_aama_document,
    numbered,
)
from kitcut.model import Drill, Line, Marker, Notch, Piece

__all__ = ["marker_document", "to_dxf", "render", "MARKER_LAYER"]

MARKER_LAYER = "MARKER"


def _scaled(piece: Piece, k: float) -> Piece:
    """``piece`` with every length multiplied by ``k`` (markers of non-mm instances)."""
    if k == 1.0:
        return piece

    def ln(line: Line | None) -> Line | None:
        return None if line is None else Line(line.points * k, line.closed)

    return replace(
        piece,
        outline=piece.outline * k,
        cutouts=tuple(c * k for c in piece.cutouts),
        grain=ln(piece.grain),
        fold_line=ln(piece.fold_line),
        internal_lines=tuple(ln(x) for x in piece.internal_lines),
        sew_lines=tuple(ln(x) for x in piece.sew_lines),
        notches=tuple(  # places in the marker's unit; depths and widths are mm already, as diameters
            Notch(n.x * k, n.y * k, n.angle_deg, n.kind, n.depth, n.width) for n in piece.notches
        ),
        drills=tuple(Drill(d.x * k, d.y * k, d.diameter) for d in piece.drills),
    )


def _as_nested(piece: Piece) -> Piece:
    """``piece`` as the marker cuts it: a half on the fold keeps its mirror line (layer 6); a whole
    piece's fold line becomes an internal line (layer 8, drawn, not cut), never a mirror line."""
    if piece.fold_line is None or (piece.folded and not piece.unfolded):
        return piece
    return replace(piece, fold_line=None, folded=False,
                   internal_lines=(*piece.internal_lines, piece.fold_line))


def marker_document(marker: Marker):
    """The ezdxf drawing of ``marker`` (mm): blocks, INSERTs, frame and figures."""
    k = MM_PER_UNIT.get((marker.units or "mm").lower(), 1.0)
    doc = new_aama_document(marker.name)
    names: list[str] = []
    used: set[str] = set()
    for piece in marker.pieces:
        base = block_name(piece)
        name, n = base, 1
        while name.upper() in used:
            n += 1
            name = numbered(base, n)
        used.add(name.upper())
        names.append(name)
        add_piece_block(doc, _scaled(_as_nested(piece), k), name)
    msp = doc.modelspace()
    doc.layers.add(MARKER_LAYER)
    L, W = marker.length * k, marker.width * k
    msp.add_polyline2d(
        [(0.0, 0.0), (L, 0.0), (L, W), (0.0, W)], close=True, dxfattribs={"layer": MARKER_LAYER}
    )
    figures = [
        f"Marker Name: {marker.name or ''}",
        f"Marker Length: {fmt_num(L, 3)}",
        f"Marker Width: {fmt_num(W, 3)}",
        f"Efficiency: {100 * marker.efficiency:.1f}%",  # as every file shows it (report.json efficiency_pct)
        f"Pieces: {len(marker.placements)}",
    ]
    for i, text in enumerate(figures):
        msp.add_text(
            text, dxfattribs={"layer": MARKER_LAYER, "height": 5.0, "insert": (0.0, -10.0 - 8.0 * i)}
        )
    for pl in marker.placements:
        tx, ty = (float(v) * k for v in pl.translation)
        attribs = {"layer": "1", "rotation": float(np.round(pl.rotation_deg, 9))}
        if pl.mirrored:
            attribs["yscale"] = -1.0
        msp.add_blockref(names[pl.piece], (tx, ty), dxfattribs=attribs)
    return doc


def to_dxf(marker: Marker) -> bytes:
    """The marker DXF as bytes (ASCII, R12)."""
    return _both_scales(aama_bytes(marker_document(marker)))


def _both_scales(data: bytes) -> bytes:
    """Each INSERT with a y scale (group 42) and no x scale (41) given ``41 / 1.0`` before it."""
    lines = data.split(b"\n")
    out: list[bytes] = []
    insert = scaled = False
    for code, value in zip(lines[0:-1:2], lines[1::2], strict=False):
        c = code.strip()
        if c == b"0":
            insert, scaled = value.strip() == b"INSERT", False
        elif insert and c == b"41":
            scaled = True
        elif insert and c == b"42" and not scaled:
            out += [b" 41", b"1.0"]
        out += [code, value]
    if len(lines) % 2:
        out.append(lines[-1])
    return b"\n".join(out)


def render(marker: Marker, device=None) -> bytes:
    """``marker.dxf``."""
    return to_dxf(marker)
