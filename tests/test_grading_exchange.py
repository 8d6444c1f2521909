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


HEAD = "UNITS: METRIC\nSIZE LIST: S M L\nSAMPLE SIZE: M\n"


@pytest.mark.parametrize("sep", ["  ", "; ", ";", " \t"])
def test_decimal_commas_apart_by_spaces_or_semicolons_are_read(sep):
    from kitcut.formats.reading.rul import parse_rul

    rows = [("-10,5", "0,25"), ("0,0000", "0,0000"), ("10,5", "-0,25")]
    text = HEAD + "RULE: DELTA 1\n" + "\n".join(f"{x}{sep}{y}" for x, y in rows) + "\nEND\n"
    t = parse_rul(text)
    assert t.deltas[1].tolist() == [[-10.5, 0.25], [0.0, 0.0], [10.5, -0.25]]
    assert any("decimal comma" in n for n in t.notes)


def test_decimal_commas_that_also_separate_dx_from_dy_are_named():
    from kitcut.errors import GradeRuleError
    from kitcut.formats.reading.rul import parse_rul

    text = HEAD + "RULE: DELTA 1\n-10,5000, 0,0000\n0,0000, 0,0000\n10,5000, 0,0000\nEND\n"
    with pytest.raises(GradeRuleError, match="decimal comma .* a comma also separates dx from dy"):
        parse_rul(text)


def test_whole_numbers_written_dx_comma_dy_stay_pairs():
    """``-5,0 0,0 5,2`` with three sizes: three pairs of whole numbers, not three decimals."""
    from kitcut.formats.reading.rul import parse_rul

    t = parse_rul(HEAD + "RULE: DELTA 1 -5,0 0,0 5,2\nEND\n")
    assert t.deltas[1].tolist() == [[-5.0, 0.0], [0.0, 0.0], [5.0, 2.0]]
    assert not any("decimal comma" in n for n in t.notes)


@pytest.mark.parametrize("head", ["RULE:DELTA1", "RULE: DELTA1", "RULE: 1", "RULE: DELTA #1", "RULE:#1"])
def test_rule_line_spellings(head):
    from kitcut.formats.reading.rul import parse_rul

    t = parse_rul(HEAD + f"{head}\n-5, 1.5 0, 0 5, -1.5\n{head.replace('1', '2')} -1,0 0,0 1,0\nEND\n")
    assert sorted(t.deltas) == [1, 2] and t.deltas[1].tolist() == [[-5.0, 1.5], [0.0, 0.0], [5.0, -1.5]]
    assert t.deltas[2].tolist() == [[-1.0, 0.0], [0.0, 0.0], [1.0, 0.0]]
    assert any("read as RULE: DELTA 1" in n for n in t.notes)


@pytest.mark.parametrize("head, msg", [
    ("RULE: DELTA", "has no rule number"), ("RULE: DELTA x1", "not a whole number"),
    ("RULE: DELTA 1.5", "not a whole number"), ("RULE: FOO 1", "unknown rule type")])
def test_rule_lines_still_refused(head, msg):
    from kitcut.errors import GradeRuleError
    from kitcut.formats.reading.rul import parse_rul

    with pytest.raises(GradeRuleError, match=msg):
        parse_rul(HEAD + f"{head}\n-5, 1.5 0, 0 5, -1.5\nEND\n")
