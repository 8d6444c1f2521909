"""Grading: base size + .RUL pairs written the way other pattern CADs write them (a scaled
INSERT, decimal commas, RULE line spellings, no SAMPLE SIZE, spelled-out letter sizes)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon
from test_grading import _affine, _table, rul_text_of
from test_import_dxf import aama_doc, add_piece, rect_chain, save

from kitcut.formats.reading.dxf_read import read_dxf

BLOCK = np.array([(0, 0), (100, 0), (100, 50), (0, 50)], float)


def _labelled(blk, unit: float = 1.0):
    for r, (x, y) in enumerate(BLOCK / unit, 1):
        blk.add_point((x, y), dxfattribs={"layer": "2"})
        blk.add_text(f"# {r}", dxfattribs={"layer": "2", "insert": (x, y)})


@pytest.mark.parametrize("rotation", [0.0, 90.0])
def test_a_scaled_insert_does_not_scale_the_grade(tmp_path, rotation):
    """Blocks drawn in inches, placed by INSERTs scaled 25.4 in a metric pattern: the .RUL's
    millimetres are millimetres of the drawing (before: multiplied by the INSERT's scale)."""
    doc = aama_doc()
    segs = [[tuple(np.array(p) / 25.4) for p in seg] for seg in rect_chain()]
    add_piece(doc, "BOX_M", segs, texts=["Piece Name: Box", "Size: M"], insert=(500.0, 0.0),
              rotation=rotation, xscale=25.4, yscale=25.4, extra=lambda b: _labelled(b, 25.4))
    path = save(doc, tmp_path, "box.dxf")
    (tmp_path / "box.rul").write_text(rul_text_of(_table()))
    turn = np.array([[1.0, 0.0], [0.0, 1.0]]) if rotation == 0.0 else np.array([[0.0, 1.0], [-1.0, 0.0]])
    for fast in (True, False):
        pat = read_dxf(path, fast=fast)
        big = next(p for p in pat.pieces if p.size == "L")
        grown = BLOCK + np.array([_affine(*p) for p in BLOCK])  # 120 x 60 from (-10, -5)
        want = grown @ turn + (500, 0)
        assert shapely.hausdorff_distance(Polygon(big.outline), Polygon(want)) < 1e-6
