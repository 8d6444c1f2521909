"""Grading: base size + .RUL pairs written the way other pattern CADs write them (a scaled
INSERT, decimal commas, RULE line spellings, no SAMPLE SIZE, spelled-out letter sizes)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from conftest import SAMPLES
from shapely.geometry import Polygon
from test_grading import _affine, _table, rul_text_of
from test_import_dxf import aama_doc, add_piece, rect_chain, save

from kitcut.errors import KitcutError
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


def _box(tmp_path, size_text: str, rul: str, sample_text: str | None = None):
    doc = aama_doc()
    if sample_text:
        doc.modelspace().add_text(f"Sample Size: {sample_text}", dxfattribs={"layer": "1"})
    add_piece(doc, "BOX", rect_chain(), texts=["Piece Name: Box", f"Size: {size_text}"], extra=_labelled)
    path = save(doc, tmp_path, "box.dxf")
    (tmp_path / "box.rul").write_text(rul)
    return path


def _grown_l(pat):
    big = next(p for p in pat.pieces if p.size == "L")
    want = BLOCK + np.array([_affine(*p) for p in BLOCK])
    return shapely.hausdorff_distance(Polygon(big.outline), Polygon(want))


def test_no_sample_size_in_the_table_takes_the_one_size_drawn(tmp_path):
    rul = "\n".join(x for x in rul_text_of(_table()).splitlines() if not x.startswith("SAMPLE SIZE"))
    path = _box(tmp_path, "M", rul)
    pat = read_dxf(path)
    assert pat.graded_sizes == ("S", "L") and _grown_l(pat) < 1e-9
    assert any("no SAMPLE SIZE: M, the one size the DXF draws" in e.message for e in pat.report.entries)


def test_no_sample_size_and_two_sizes_drawn_is_still_refused(tmp_path):
    from kitcut.errors import GradeRuleError

    rul = "\n".join(x for x in rul_text_of(_table()).splitlines() if not x.startswith("SAMPLE SIZE"))
    path = _box(tmp_path, "M", rul)
    doc = aama_doc()
    add_piece(doc, "BOX", rect_chain(), texts=["Piece Name: Box", "Size: M"], extra=_labelled)
    add_piece(doc, "BOX_L", rect_chain(), texts=["Piece Name: Box", "Size: L"])
    doc.saveas(path)
    with pytest.raises(GradeRuleError, match="no SAMPLE SIZE"):
        read_dxf(path)


@pytest.mark.parametrize("sample", [None, "Medium"])
def test_a_size_spelled_out_is_the_tables_letter_size(tmp_path, sample):
    path = _box(tmp_path, "Medium", rul_text_of(_table()), sample)
    pat = read_dxf(path)
    assert pat.sizes == ("S", "M", "L") and pat.graded_sizes == ("S", "L") and _grown_l(pat) < 1e-9
    assert any("Medium as M" in e.message for e in pat.report.entries)
    assert not any("the pattern says Sample Size" in e.message for e in pat.report.entries)


def test_a_broken_table_beside_the_pattern_names_no_rules(tmp_path):
    from kitcut.errors import GradeRuleError

    rul = rul_text_of(_table()).replace("RULE: DELTA 2", "RULE: DELTA 2\n1.0")
    path = _box(tmp_path, "M", rul)
    with pytest.raises(GradeRuleError, match=r"read by default: --no-rules cuts the sizes the DXF") as err:
        read_dxf(path, sizes=["M"])
    assert "rule 2" in str(err.value)
    assert [p.size for p in read_dxf(path, rules=False).pieces] == ["M"]
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "box.rul").write_text(rul)
    with pytest.raises(GradeRuleError) as err:  # another table named with --rules: no such advice
        read_dxf(path, rules=tmp_path / "other" / "box.rul")
    assert "--no-rules" not in str(err.value)


def test_an_order_with_rules_false_leaves_out_the_table_beside_the_pattern(tmp_path):
    from test_grading import _order

    from kitcut.kits.order import load_order

    order_file = _order(tmp_path, "rules = false", sizes="{ M = 1 }")
    (order_file.parent / "tee-base.rul").write_text("broken")
    assert load_order(order_file).garments[0].rules is None


def test_an_orders_broken_table_beside_the_pattern_names_its_own_field_once(tmp_path):
    """An order's error for a broken table beside the pattern read "garments[0].rules = false,
    or rules = false in an order, cuts the sizes ...": the option worded as the order's field,
    and the order's field said again. The field is said once."""
    from test_grading import _order

    from kitcut.kits.kit import KitOptions, build_kit

    order_file = _order(tmp_path, sizes="{ M = 1 }")
    (order_file.parent / "tee-base.rul").write_text((SAMPLES / "tee-base.rul").read_text().replace(
        "RULE: DELTA 2", "RULE: DELTA 2\n1.0"))
    with pytest.raises(KitcutError) as err:
        build_kit(order_file, tmp_path / "kits", KitOptions(time_limit=1, formats=()))
    text = str(err.value)
    assert "read by default: garments[0].rules = false cuts the sizes the DXF draws without it" in text
    assert text.count("rules = false") == 1
