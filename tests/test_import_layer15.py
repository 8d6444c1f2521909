"""Piece texts on the ASTM annotation layer 15 (the probe's min_text15.dxf, text_layer15.dxf):
before, ``Piece Name:``, ``Size:`` and ``Quantity: 1,1`` there were kept as annotations only, the
piece named after its block with no size and quantity 1 (a left/right sleeve pair cut as one)."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import Polygon
from test_grading import CORNERS, _affine, _table, rul_text_of
from test_import_dxf import aama_doc, add_piece, rect_chain, save

from kitcut.formats.reading.dxf_read import read_dxf


def _on15(blk, texts):
    for i, t in enumerate(texts):
        blk.add_text(t, dxfattribs={"layer": "15", "insert": (10, 10 + 5 * i)})


def test_keyed_texts_on_layer_15_are_piece_texts_and_plain_ones_stay_annotations(tmp_path):
    doc = aama_doc()
    add_piece(doc, "SLEEVE_M", rect_chain(), extra=lambda b: _on15(
        b, ["Piece Name: Sleeve", "Size: M", "Quantity: 1,1", "Category: SHELL", "stitch here", "Cut 2"]))
    path = save(doc, tmp_path)
    for fast in (True, False):
        pat = read_dxf(path, fast=fast)
        (p,) = pat.pieces
        assert (p.name, p.size, p.quantity, p.flipped, p.quantity_rule) == ("Sleeve", "M", 2, 1, "file")
        assert p.annotations == ("stitch here", "Cut 2")


def test_layer_15_texts_name_the_sample_size_of_a_graded_pattern(tmp_path):
    def extra(b):
        _on15(b, ["Piece Name: Box", "Size: M", "Quantity: 2"])
        for r, q in CORNERS.items():
            b.add_text(f"# {r}", dxfattribs={"layer": "2", "insert": q})

    doc = aama_doc()
    add_piece(doc, "BOX_M", rect_chain(), extra=extra)
    path = save(doc, tmp_path, "box.dxf")
    (tmp_path / "box.rul").write_text(rul_text_of(_table()))
    pat = read_dxf(path)
    got = [(p.name, p.size, p.quantity) for p in pat.pieces]
    assert got == [("Box", "S", 2), ("Box", "M", 2), ("Box", "L", 2)]
    block = np.array([(0, 0), (100, 0), (100, 50), (0, 50)], float)
    want = Polygon(block + np.array([_affine(*q) for q in block]))
    assert shapely.hausdorff_distance(Polygon(pat.pieces[2].outline), want) < 1e-9
