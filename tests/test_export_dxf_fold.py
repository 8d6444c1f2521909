"""Fold pieces in the marker DXF: a whole (unfolded) piece carries no AAMA layer-6 mirror line,
so neither a CAD nor kitcut unfolds it a second time; a half nested on the fold keeps it.

Read back two ways: ezdxf (a layer-6 line in a block means "unfold about it") and kitcut's own
reader; the areas must be the nested pieces' areas.
"""

from __future__ import annotations

import ezdxf
import pytest
from conftest import SAMPLES
from marker_factory import shelf_marker
from shapely.geometry import Polygon

from kitcut.formats.reading.read import read_pattern
from kitcut.formats.writing.export import write_file


def _marker(unfold: bool):
    pattern = read_pattern(SAMPLES / "tee.dxf", sizes=["M"], unfold=unfold)
    pieces = tuple(pattern.pieces)
    assert any(p.fold_line is not None for p in pieces)
    return shelf_marker(pieces, [(i, 0, 0, False) for i in range(len(pieces))], width=3000.0)


def _blocks(path):
    """{block name: (layer-1 outline area, has a layer-6 line)} as ezdxf reads them."""
    doc = ezdxf.readfile(path)
    out = {}
    for ins in doc.modelspace().query("INSERT"):
        blk = doc.blocks[ins.dxf.name]
        rings = [Polygon([(p.x, p.y) for p in e.points()]) for e in blk if e.dxftype() == "POLYLINE"
                 and e.dxf.layer == "1"]
        mirror = any(e.dxf.layer == "6" for e in blk if e.dxftype() in ("LINE", "POLYLINE"))
        out[ins.dxf.name] = (rings[0].area, mirror)
    return out


@pytest.mark.parametrize("unfold", [True, False], ids=["whole", "keep-folded"])
def test_marker_dxf_fold_pieces_read_back_at_their_area(tmp_path, unfold):
    marker = _marker(unfold)
    path = write_file(marker, tmp_path / "marker.dxf")
    blocks = _blocks(path)
    for piece in marker.pieces:
        name = next(n for n in blocks if n.startswith(piece.name))
        area, mirror = blocks[name]
        assert area == pytest.approx(Polygon(piece.outline).area, rel=1e-6)
        half = piece.fold_line is not None and piece.folded and not piece.unfolded
        assert mirror == half, piece.label  # a mirror line only on a half
    # kitcut re-reading its own marker DXF: the nested pieces, at their areas (halves unfolded)
    again = read_pattern(path, unfold=unfold)
    want = sorted((p.name, round(Polygon(p.outline).area)) for p in marker.pieces)
    got = sorted((p.name, round(Polygon(p.outline).area)) for p in again.pieces)
    assert got == want
    if unfold:  # the whole piece's fold stays visible as a drawn (not cut) line
        doc = ezdxf.readfile(path)
        front = next(doc.blocks[n] for n in blocks if n.startswith("Front"))
        assert any(e.dxf.layer == "8" for e in front if e.dxftype() in ("LINE", "POLYLINE"))
