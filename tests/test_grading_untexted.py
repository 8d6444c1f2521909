"""AAMA piece blocks without ``Piece Name:`` / ``Size:`` texts, with a grade rule table beside the
pattern (the probe's min_noname_rul.dxf): before, ``ValueError: 'CUFF_M@S' is not in list``
(exit 1); now the piece is named from its block and graded."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon
from test_grading import CORNERS, _affine, _table, rul_text_of
from test_import_dxf import aama_doc, add_piece, rect_chain, save
from test_import_errors import nest

from kitcut.formats.reading.dxf_read import read_dxf

BLOCK = np.array([(0, 0), (100, 0), (100, 50), (0, 50)], float)


def _labels(blk):
    for r, p in CORNERS.items():
        blk.add_point(p, dxfattribs={"layer": "2"})
        blk.add_text(f"# {r}", dxfattribs={"layer": "2", "insert": p})


def _untexted(tmp_path, block: str):
    doc = aama_doc()
    add_piece(doc, block, rect_chain(), extra=_labels)
    path = save(doc, tmp_path, "cuff.dxf")
    (tmp_path / "cuff.rul").write_text(rul_text_of(_table()))
    return path


@pytest.mark.parametrize("block, said", [("CUFF_M", "CUFF_M → CUFF (M)"), ("CUFF-M", "CUFF-M → CUFF (M)"),
                                         ("CUFF", "its block CUFF is taken for the grade rule table's")])
def test_untexted_block_is_named_from_its_block_and_graded(tmp_path, block, said):
    path = _untexted(tmp_path, block)
    for fast in (True, False):
        pat = read_dxf(path, fast=fast)
        assert [(p.name, p.size, p.graded) for p in pat.pieces] == \
            [("CUFF", "S", True), ("CUFF", "M", False), ("CUFF", "L", True)]
        for p, sign in zip(pat.pieces, (-1, 0, 1), strict=True):
            want = Polygon([q + sign * _affine(*q) for q in BLOCK])
            assert shapely.hausdorff_distance(Polygon(p.outline), want) < 1e-9
        assert any(said in e.message for e in pat.report.warnings)


def test_untexted_block_of_another_size_is_not_taken_for_the_sample(tmp_path):
    """``CUFF_S`` is size S: the table's sample M is not drawn, so nothing is graded (said)."""
    path = _untexted(tmp_path, "CUFF_S")
    code, out, err = nest("info", str(path))
    assert code == 2, err
    assert "sample size M is not a size of the pattern (S)" in err
    assert "Traceback" not in err


def test_untexted_block_cli_reads_without_an_internal_error(tmp_path):
    path = _untexted(tmp_path, "CUFF_M")
    code, out, err = nest("info", str(path))
    assert code == 0, err
    assert "graded sizes S, L" in out
