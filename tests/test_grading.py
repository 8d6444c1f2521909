"""Grading: interpolation against hand-computed cases, round trips through the writer (base
size + .RUL read back to the drawn sizes), nest info / nest with graded sizes, orders and kits."""

from __future__ import annotations

import csv
import json
import shutil

import numpy as np
import pytest
import shapely
from conftest import SAMPLES
from shapely.geometry import Polygon
from test_import_errors import nest
from test_kits_fakes import FAKE_NESTER

from kitcut.errors import GradeRuleError, OrderError
from kitcut.formats.reading.build import GradeMark, RawNotch, RawPiece
from kitcut.formats.reading.grading import (
    arc_weights,
    grade_frame,
    grade_raw,
    mean_value_weights,
    plan_grading,
    rule_offsets,
)
from kitcut.formats.reading.read import read_pattern
from kitcut.formats.reading.rul import GradeRules
from kitcut.formats.writing.graded_write import write_graded
from kitcut.kits.kit import KitOptions, build_kit
from kitcut.kits.order import load_order
from kitcut.kits.plan import plan_order
from kitcut.samples.generate import pattern

# offsets of size L: those of the affine grade d(x, y) = (0.2 x - 10, 0.2 y - 5) at the corners
CORNERS = {1: (0, 0), 2: (100, 0), 3: (100, 50), 4: (0, 50)}


def _affine(x, y):
    return np.array([0.2 * x - 10, 0.2 * y - 5])


def _table(extra: dict | None = None) -> GradeRules:
    deltas = {r: np.array([-_affine(*p), [0, 0], _affine(*p)]) for r, p in CORNERS.items()}
    return GradeRules(("S", "M", "L"), "M", {**deltas, **(extra or {})})


def _raw() -> RawPiece:
    ring = [(0, 0), (30, 0), (100, 0), (100, 50), (25, 50), (0, 50), (0, 20)]
    line = np.array([(20, 10), (25, 20), (30, 30)], float)
    raw = RawPiece(key="Box", texts={"name": "Box", "size": "M"}, drills=[(40.0, 20.0, 0.0, "d")],
                   boundary=[(np.array(ring, float), True, "b")], internal=[(line, False, "i")])
    raw.marks = [GradeMark("boundary", None, *p, r) for r, p in CORNERS.items()]
    raw.marks.append(GradeMark("internal", 0, 20, 10, 5))
    return raw


def test_hand_computed_grade():
    raw = _raw()
    table = _table({5: np.array([[-3, -3], [0, 0], [3, 3]], float)})
    plan = plan_grading(raw, chain_tol=0.1)
    g = grade_raw(raw, plan, rule_offsets(plan, table, "L", 1.0), "L")
    ring = g.boundary[0][0] - raw.boundary[0][0]
    # grade points move by their rule
    np.testing.assert_allclose(ring[[0, 2, 3, 5]], [_affine(*CORNERS[r]) for r in (1, 2, 3, 4)], atol=1e-12)
    # (30, 0): 30 of the 100 mm from rule 1 to rule 2 -> 0.7 * (-10, -5) + 0.3 * (10, -5)
    np.testing.assert_allclose(ring[1], [-4.0, -5.0], atol=1e-12)
    # (25, 50): 75 of 100 mm from rule 3 (100, 50) to rule 4 (0, 50) -> 0.25 * (10, 5) + 0.75 * (-10, 5)
    np.testing.assert_allclose(ring[4], [-5.0, 5.0], atol=1e-12)
    # (0, 20), across the closing edge: 30 of 50 mm from rule 4 to rule 1 -> 0.4 * (-10, 5) + 0.6 * (-10, -5)
    np.testing.assert_allclose(ring[6], [-10.0, -1.0], atol=1e-12)
    # a drill without a rule: mean value interpolation of the cut line, exact for this affine grade
    assert g.drills[0][:2] == pytest.approx((40 - 2.0, 20 - 1.0), abs=1e-9)
    # internal line: its own rule at (20, 10), the free end (30, 30) inside: (0.2*30-10, 0.2*30-5) = (-4, 1),
    # the middle point halfway along the line between them: ((3, 3) + (-4, 1)) / 2
    np.testing.assert_allclose(g.internal[0][0] - raw.internal[0][0], [[3, 3], [-0.5, 2], [-4, 1]], atol=1e-9)
    assert g.graded and g.texts["size"] == "L" and g.texts["name"] == "Box"
    # the sample size does not move; S moves the other way
    s = grade_raw(raw, plan, rule_offsets(plan, table, "S", 1.0), "S")
    np.testing.assert_allclose(s.boundary[0][0] - raw.boundary[0][0], -ring, atol=1e-12)


def test_notch_and_drill_at_a_sew_line_grade_point_follow_it():
    """AccuMark labels a notch's copy on the sew line (a layer-4 POINT 7 mm inside) for the sew
    line only (``# n`` on layer 14). Before, such a notch and a drill there had no rule of their
    own and followed the cut line's interpolation, drifting off their sew-line point (a real
    AccuMark 12 export: 7.0 mm inside in the sample, 5.9 to 10.1 mm in the graded sizes, so the
    copy was no longer recognised as one); now they move with the sew line's grade point."""
    raw = _raw()
    raw.sew = [(np.array([(7, 7), (93, 7), (93, 43), (7, 43)], float), True, "s")]
    raw.marks.append(GradeMark("sew", 0, 93, 43, 9))
    raw.notches = [RawNotch(93.0, 43.0)]
    raw.drills = [(93.0, 43.0, 0.0, "d")]
    table = _table({5: np.zeros((3, 2)), 9: np.array([[2, 1], [0, 0], [-2, -1]], float)})
    plan = plan_grading(raw, chain_tol=0.1)
    g = grade_raw(raw, plan, rule_offsets(plan, table, "L", 1.0), "L")
    assert g.sew[0][0][2].tolist() == [91.0, 42.0]
    assert (g.notches[0].x, g.notches[0].y) == (91.0, 42.0)
    assert g.drills[0][:2] == (91.0, 42.0)


def test_interpolation_is_by_arc_length_not_by_the_chord():
    # A (0, 0) -> V (0, 30) -> B (40, 30): V is 30 of the 70 mm from A to B along the line
    # (the chord projection would say 0.36)
    pts = np.array([(0, 0), (0, 30), (40, 30), (40, 0)], float)
    w = arc_weights(pts, {0: np.array([0.0, 0.0]), 2: np.array([7.0, 0.0]), 3: np.array([0.0, 0.0])}, True)
    assert w[1] == pytest.approx([3.0, 0.0])
    # open line: before the first / after the last grade point the nearest one's offset
    w = arc_weights(pts, {1: np.array([1.0]), 2: np.array([5.0])}, False)
    assert w[:, 0].tolist() == [1.0, 1.0, 5.0, 5.0]


def test_mean_value_weights_reproduce_affine_maps():
    ring = np.array([(0, 0), (100, 0), (120, 60), (50, 30), (0, 70)], float)  # not convex
    rng = np.random.default_rng(3)
    A, t = rng.normal(size=(2, 2)), rng.normal(size=2)
    for p in [(20, 20), (60, 10), (10, 50), (100, 30)]:
        w = mean_value_weights(ring, p)
        assert w.sum() == pytest.approx(1.0)
        np.testing.assert_allclose(w @ (ring @ A + t), np.asarray(p) @ A + t, atol=1e-9)
    assert mean_value_weights(ring, (50, 0)).tolist() == pytest.approx([0.5, 0.5, 0, 0, 0])  # on an edge


def test_grade_reference_line_turns_the_rules():
    raw = _raw()
    raw.grade_ref = np.array([(0, 0), (0, 10)], float)  # the grade x axis points along +y
    M, turned = grade_frame(raw)
    assert turned == pytest.approx(90.0)
    np.testing.assert_allclose(np.array([5.0, 0.0]) @ M, [0.0, 5.0], atol=1e-12)
    raw.insert_A = np.array([[-1.0, 0.0], [0.0, 1.0]])  # an INSERT mirrored in x
    M, _ = grade_frame(raw)
    np.testing.assert_allclose(np.array([5.0, 0.0]) @ M, [0.0, 5.0], atol=1e-12)
    np.testing.assert_allclose(np.array([0.0, 5.0]) @ M, [5.0, 0.0], atol=1e-12)


def test_a_rule_the_table_lacks_is_named():
    raw = _raw()
    plan = plan_grading(raw, chain_tol=0.1)
    with pytest.raises(GradeRuleError, match=r"grade rule\(s\) 5 of this piece are not in the grade rule"):
        rule_offsets(plan, _table(), "L", 1.0)


def _same_pieces(got, want, tol: float = 0.05) -> int:
    """Every piece of ``got`` against the piece of the same name and size of ``want``."""
    have = {(p.name, p.size): p for p in want.pieces}
    graded = 0
    for p in got.pieces:
        q = have[(p.name, p.size)]
        graded += p.graded
        assert shapely.hausdorff_distance(Polygon(p.outline), Polygon(q.outline)) <= tol, p.label
        assert (p.folded, p.unfolded, p.quantity, p.flipped) == (q.folded, q.unfolded, q.quantity, q.flipped)
        for a, b in ((p.notches, q.notches), (p.drills, q.drills)):
            xy = [np.array(sorted((n.x, n.y) for n in items)).reshape(-1, 2) for items in (a, b)]
            np.testing.assert_allclose(*xy, atol=tol, err_msg=p.label)
        assert len(p.internal_lines) == len(q.internal_lines), p.label
        for a, b in zip(p.internal_lines, q.internal_lines, strict=True):
            np.testing.assert_allclose(a.points, b.points, atol=tol, err_msg=p.label)
        np.testing.assert_allclose(p.grain.points, q.grain.points, atol=tol, err_msg=p.label)
    return graded


@pytest.mark.parametrize("garment", ["tee", "trousers", "shirt"])
def test_bundled_base_size_and_rul_read_back_to_the_drawn_sizes(garment):
    got = read_pattern(SAMPLES / f"{garment}-base.dxf")  # the .rul beside it is found
    want = read_pattern(SAMPLES / f"{garment}.dxf")
    assert got.sizes == want.sizes and got.rules_rule == "beside the pattern"
    assert got.graded_sizes == tuple(s for s in want.sizes if s != want.sizes[1])
    assert len(got.pieces) == len(want.pieces)
    assert _same_pieces(got, want) == 2 * len(want.pieces) // 3
    assert not [e for e in got.report.entries if "grade rule labels" in e.message]  # every label used


def test_inch_round_trip_and_all_sizes_file(tmp_path):
    pat = pattern("trousers")
    graded = write_graded(pat, tmp_path / "trs.dxf", units="in", folded=True, sample="42")
    assert graded.rules.sample == "42" and (tmp_path / "trs.rul").read_text().count("UNITS: ENGLISH") == 1
    got = read_pattern(tmp_path / "trs.dxf")
    assert got.units_in == "in" and got.graded_sizes == ("38", "40")
    _same_pieces(got, read_pattern(SAMPLES / "trousers.dxf"))
    # every size drawn, the labels in the sample-size blocks: nothing to grade, every label used
    write_graded(pat, tmp_path / "all.dxf", folded=True, all_sizes=True)
    every = read_pattern(tmp_path / "all.dxf")
    assert every.graded_sizes == () and every.rules_file.endswith("all.rul") and len(every.pieces) == 12
    assert not [e for e in every.report.entries if "grade rule labels" in e.message]
    plain = read_pattern(tmp_path / "all.dxf", rules=False)
    assert plain.rules_file is None and any("grade rule labels (# n)" in e.message and "not used" in e.message
                                            for e in plain.report.entries)


def test_nest_info_lists_graded_sizes(tmp_path):
    code, out, err = nest("info", str(SAMPLES / "tee-base.dxf"), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["sizes"] == ["S", "M", "L"] and data["graded_sizes"] == ["S", "L"]
    assert data["rules"].endswith("tee-base.rul") and data["rules_rule"] == "beside the pattern"
    assert {(p["size"], p["graded"]) for p in data["pieces"]} == {("S", True), ("M", False), ("L", True)}
    code, out, _ = nest("info", str(SAMPLES / "tee-base.dxf"), "--sizes", "L")
    assert code == 0 and "graded sizes S, L" in out and "graded" in out.splitlines()[3]
    assert [ln.split()[2] for ln in out.splitlines() if ln.startswith("Front")] == ["L"]
    # a table given with --rules, with other sizes: the pattern has the table's sizes
    shutil.copy(SAMPLES / "tee-base.dxf", tmp_path / "tee.dxf")
    text = (SAMPLES / "tee-base.rul").read_text().replace("SIZE LIST: S M L", "SIZE LIST: XS M XXL")
    (tmp_path / "other.rul").write_text(text)
    code, out, err = nest("info", str(tmp_path / "tee.dxf"), "--rules", str(tmp_path / "other.rul"), "--json")
    data = json.loads(out)
    assert data["sizes"] == ["XS", "M", "XXL"] and data["rules_rule"] == "--rules"


def test_nest_cuts_graded_sizes(tmp_path):
    code, out, err = nest(str(SAMPLES / "tee-base.dxf"), "--sizes", "S,L", "--time", "2", "--iterations",
                          "20", "--workers", "1", "--seed", "1", "--json", "-o", str(tmp_path))
    assert code == 0, err
    assert json.loads(out)["graded_sizes"] == ["S", "L"]
    placed = json.loads((tmp_path / "marker.json").read_text())["solution"]["placements"]
    sizes = sorted(p["size"] for p in placed)
    assert sizes == ["L"] * 5 + ["S"] * 5  # Front, Back, two sleeves, neckband each


ORDER = """[order]
id = "G-1"
customer = "Grading test"

[[garments]]
pattern = "tee-base.dxf"
sizes = {{ S = 1, L = 2 }}
{extra}

[[fabrics]]
name = "jersey"
width_mm = 1500
"""


def _order(tmp_path, extra: str = "", sizes=None):
    d = tmp_path / "orders"
    d.mkdir(exist_ok=True)
    shutil.copy(SAMPLES / "tee-base.dxf", d / "tee-base.dxf")
    text = ORDER.format(extra=extra)
    if sizes:
        text = text.replace("{ S = 1, L = 2 }", sizes)
    (d / "G-1.toml").write_text(text)
    return d / "G-1.toml"


def test_an_order_of_graded_sizes_builds_a_kit(tmp_path):
    order_file = _order(tmp_path)
    shutil.copy(SAMPLES / "tee-base.rul", order_file.parent / "tee-base.rul")  # found beside the pattern
    assert load_order(order_file).garments[0].rules.name == "tee-base.rul"
    kits = tmp_path / "kits"
    build_kit(order_file, kits, KitOptions(time_limit=1, nester=FAKE_NESTER, formats=("svg",)))
    report = json.loads((kits / "G-1" / "kit.json").read_text())
    g = report["orders"][0]["garments"][0]
    assert g["rules"] == "tee-base.rul" and g["graded_sizes"] == ["S", "L"]
    rows = list(csv.DictReader((kits / "G-1" / "picklist.csv").open(encoding="utf-8-sig")))
    assert sorted({r["bundle"] for r in rows}) == ["tee-base L #1", "tee-base L #2", "tee-base S #1"]
    assert len(rows) == 15


def test_order_rules_field(tmp_path):
    order_file = _order(tmp_path, 'rules = "grading/tee.rul"')
    (order_file.parent / "grading").mkdir()
    shutil.copy(SAMPLES / "tee-base.rul", order_file.parent / "grading" / "tee.rul")
    plan = plan_order(load_order(order_file))
    assert plan.patterns["tee-base"].graded_sizes == ("S", "L")
    assert {k.size for f in plan.fabrics for k in f.kit_pieces if k.graded} == {"S", "L"}
    with pytest.raises(OrderError, match=r"garments\[0\]\.rules: '\.\./x\.rul' leaves the order's folder"):
        load_order(_order(tmp_path, 'rules = "../x.rul"'))
    with pytest.raises(OrderError, match=r"garments\[0\]\.rules: grade rule file 'nope\.rul' not found"):
        load_order(_order(tmp_path, 'rules = "nope.rul"'))
    with pytest.raises(OrderError, match=r"garments\[0\]\.sizes\.XL: tee-base\.dxf has no size 'XL' "
                                         r"\(it has S, M, L\)"):
        plan_order(load_order(_order(tmp_path, 'rules = "grading/tee.rul"', sizes="{ XL = 1 }")))
    # no table: the file has its sample size only
    with pytest.raises(OrderError, match=r"sizes\.S: tee-base\.dxf has no size 'S' \(it has M\)"):
        plan_order(load_order(_order(tmp_path)))


def test_label_forms_insert_transform_and_stray_labels(tmp_path):
    """Labels as TEXT on layers 2/3 after the line, ASTM-style on the cut line's layer, an ATTDEF
    grade rule attribute and a ``Grade Rule: n`` text; the piece placed by a turned INSERT; a
    label at no vertex is reported, not dropped."""
    from test_import_dxf import aama_doc, add_piece, rect_chain, save

    from kitcut.formats.reading.dxf_read import read_dxf

    def labels(blk):
        blk.add_point((0, 0), dxfattribs={"layer": "2"})
        blk.add_text("# 1", dxfattribs={"layer": "2", "insert": (0, 0)})
        blk.add_attdef("GRADE_RULE", (100, 0), "2", dxfattribs={"layer": "2"})
        blk.add_text("Grade Rule: 3", dxfattribs={"layer": "3", "insert": (100, 50)})
        blk.add_text("# 4", dxfattribs={"layer": "1", "insert": (0, 50)})
        blk.add_text("# 9", dxfattribs={"layer": "2", "insert": (50, 25)})

    doc = aama_doc()
    add_piece(doc, "BOX_M", rect_chain(), texts=["Piece Name: Box", "Size: M"], extra=labels,
              insert=(500.0, 0.0), rotation=90.0)
    path = save(doc, tmp_path, "box.dxf")
    (tmp_path / "box.rul").write_text(rul_text_of(_table()))
    for fast in (True, False):
        pat = read_dxf(path, fast=fast)
        assert pat.sizes == ("S", "M", "L") and pat.graded_sizes == ("S", "L")
        big = next(p for p in pat.pieces if p.size == "L")
        block = np.array([(0, 0), (100, 0), (100, 50), (0, 50)], float)
        grown = block + np.array([_affine(*p) for p in block])  # 120 x 60 from (-10, -5)
        want = grown @ np.array([[0.0, 1.0], [-1.0, 0.0]]) + (500, 0)  # turned by the INSERT
        assert shapely.hausdorff_distance(Polygon(big.outline), Polygon(want)) < 1e-9
        stray = [e for e in pat.report.entries if "at no vertex" in e.message]
        assert len(stray) == 1 and stray[0].kind == "warning" and stray[0].piece == "Box (M)"
        assert "grade rule label # 9 is at no vertex" in stray[0].message
        # no table grades by the labels: where they lie says nothing (a Lectra export's 64 labels
        # on annotation texts were 64 warnings beside the one line that they are not used)
        plain = read_dxf(path, fast=fast, rules=False)
        assert not [e for e in plain.report.entries if "grade rule label #" in e.message]
        unused = "grade rule labels (# n): 4 in 1 block"
        assert [e for e in plain.report.entries if e.message.startswith(unused)]


def test_graded_notch_off_the_cut_line_and_drill_off_the_piece_are_left_out(tmp_path):
    """A notch whose own rule does not follow the cut line ends 10 mm inside the graded pieces, and
    a drill hole's rule takes it 50 mm beyond the top of size L: before, both were kept there with
    no remark (the drill would have been drilled into the next piece); now they are left out of
    those sizes and reported per piece, size and place. A notch 1 mm off is moved as before."""
    from test_import_dxf import aama_doc, add_piece, rect_chain, save

    def marks(blk):
        for x, y, rule in ((100, 25, 5), (100, 10, 6)):
            blk.add_point((x, y, -5.0), dxfattribs={"layer": "4"})
            blk.add_text(f"# {rule}", dxfattribs={"layer": "4", "insert": (x, y)})
        blk.add_point((50, 25, 0.0), dxfattribs={"layer": "13"})
        blk.add_text("# 7", dxfattribs={"layer": "13", "insert": (50, 25)})
        for r, (x, y) in CORNERS.items():
            blk.add_text(f"# {r}", dxfattribs={"layer": "1", "insert": (x, y)})

    doc = aama_doc()
    add_piece(doc, "BOX_M", rect_chain(), texts=["Piece Name: Box", "Size: M"], extra=marks)
    path = save(doc, tmp_path, "box.dxf")
    stay = np.zeros((3, 2))  # the right edge moves by -10 (S) and +10 mm (L)
    table = _table({5: stay, 6: np.array([[-9, 0], [0, 0], [9, 0]], float),
                    7: np.array([[0, 0], [0, 0], [0, 80]], float)})
    (tmp_path / "box.rul").write_text(rul_text_of(table))
    pat = read_pattern(path)
    counts = {p.size: (len(p.notches), len(p.drills)) for p in pat.pieces}
    assert counts == {"S": (1, 1), "M": (2, 1), "L": (1, 0)}
    big = next(p for p in pat.pieces if p.size == "L")
    assert [(n.x, n.y) for n in big.notches] == [(110.0, 10.0)]  # moved 1 mm from (109, 10)
    notes = {(e.piece, e.kind, e.message) for e in pat.report.entries
             if "notch" in e.message or "drill" in e.message}
    off = ("skipped", "1 notch(es) more than 2 mm off the cut line left out (a notch is cut into the cut "
           "line, it cannot be cut there): 10.000 mm off at (100.0, 25.0)")
    moved = ("warning", "1 notch(es) moved onto the cut line (up to 1.000 mm)")
    assert notes == {("Box (S)", *off), ("Box (L)", *off), ("Box (S)", *moved), ("Box (L)", *moved), (
        "Box (L)", "skipped", "1 drill hole(s) not on the piece left out (a hole there would be drilled into "
        "the next piece): at (50.0, 105.0), 50.0 mm outside the cut line")}


def test_nm_marks_keep_their_line_in_every_graded_size(tmp_path):
    """An NM ("not mirrored") mark at the end of a line graded by its own rule: the mark itself
    follows the cut line, so in size L it ends nearer another line. Before, each size gave the
    mark to the line nearest it there, so L mirrored the marked line and kept the other on one
    half; now the line it marks in the sample size stays unmirrored in every size."""
    from test_import_dxf import aama_doc, add_piece, rect_chain, save

    def marks(blk):
        blk.add_line((0, 0), (0, 50), dxfattribs={"layer": "6"})  # a fold piece: unfolded about x = 0
        blk.add_line((20, 10), (40, 10), dxfattribs={"layer": "8"})  # graded by rule 8: up 30 mm in L
        blk.add_line((20, 30), (40, 30), dxfattribs={"layer": "8"})  # follows the cut line
        for x in (20, 40):
            blk.add_text("# 8", dxfattribs={"layer": "8", "insert": (x, 10)})
        blk.add_text("NM", dxfattribs={"layer": "8", "insert": (40, 10)})
        for r, (x, y) in CORNERS.items():
            blk.add_text(f"# {r}", dxfattribs={"layer": "1", "insert": (x, y)})

    doc = aama_doc()
    add_piece(doc, "BK_M", rect_chain(), texts=["Piece Name: Back", "Size: M"], extra=marks)
    path = save(doc, tmp_path, "bk.dxf")
    (tmp_path / "bk.rul").write_text(rul_text_of(_table({8: np.array([[0, 0], [0, 0], [0, 30]], float)})))
    pat = read_pattern(path)
    heights = {"S": (10, 29), "M": (10, 30), "L": (40, 31)}  # the marked line's y, the other's
    for p in pat.pieces:
        fold_x = p.fold_line.points[0][0]
        drawn = sorted(round(float(ln.points[:, 1].mean()), 6) for ln in p.internal_lines
                       if ln.points[:, 0].min() > fold_x)
        mirrored = [round(float(ln.points[:, 1].mean()), 6) for ln in p.internal_lines
                    if ln.points[:, 0].max() < fold_x]
        marked, other = heights[p.size]
        assert (p.size, drawn, mirrored) == (p.size, sorted([marked, other]), [other])
    notes = [e.message for e in pat.report.entries if "marked NM" in e.message]
    assert notes == ["1 internal line(s) marked NM kept on one half only"] * 3


def rul_text_of(table: GradeRules) -> str:
    from kitcut.formats.writing.rul_write import rul_text

    return rul_text(table)


def test_a_sample_size_spelt_in_another_case_than_the_table_is_cut(tmp_path):
    """The table's sizes ``s m l`` and the pattern's ``Size: M``: the sample's pieces kept their
    ``M`` while the pattern's sizes were the table's, so ``--sizes m=2,l=1`` cut the graded ``l``
    alone (exit 0) and ``--sizes m`` found no piece. A size text naming a size of the table in
    another case takes the table's spelling."""
    shutil.copy(SAMPLES / "tee-base.dxf", tmp_path / "tee.dxf")
    text = (SAMPLES / "tee-base.rul").read_text().replace("SIZE LIST: S M L", "SIZE LIST: s m l")
    (tmp_path / "tee.rul").write_text(text.replace("SAMPLE SIZE: M", "SAMPLE SIZE: m"))
    code, out, err = nest(str(tmp_path / "tee.dxf"), "--sizes", "m=2,l=1", "--time", "1", "--iterations", "5",
                          "--workers", "1", "--seed", "1", "-o", str(tmp_path / "out"))
    assert code == 0, err
    placed = json.loads((tmp_path / "out" / "marker.json").read_text())["solution"]["placements"]
    assert sorted(p["size"] for p in placed) == ["l"] * 5 + ["m"] * 10


def test_a_piece_drawn_in_another_size_than_the_sample_is_said_by_the_job(tmp_path):
    """A piece drawn in another size than the table's sample size is not graded: a job of a
    graded size is cut without it. That was said by ``nest info`` only; the job says it on a line
    of its own."""
    shutil.copy(SAMPLES / "tee-base.rul", tmp_path / "tee.rul")
    text = (SAMPLES / "tee-base.dxf").read_text()
    at = text.index("Piece Name: Back")
    text = text[:at] + text[at:].replace("Size: M", "Size: S", 1)  # the back drawn in S
    (tmp_path / "tee.dxf").write_text(text)
    code, out, err = nest(str(tmp_path / "tee.dxf"), "--sizes", "L", "--time", "1", "--iterations", "5",
                          "--workers", "1", "--seed", "1", "-o", str(tmp_path / "out"))
    assert code == 0, err
    placed = json.loads((tmp_path / "out" / "marker.json").read_text())["solution"]["placements"]
    assert "Back" not in {p["name"] for p in placed}
    assert ("nest: warning: piece 'Back': no block of the sample size M (drawn: S): the other sizes are not "
            "graded") in err.splitlines()


def test_a_size_only_grade_rules_give_points_to_rules(tmp_path):
    """A base-size export (labels `# n`, no table beside it) asked for another size said only
    `no size 'L' in this pattern (it has M)`: the error now says a grade rule table would grade it.
    A pattern without labels does not say so."""
    from kitcut.formats.reading.read import read_pattern
    from kitcut.formats.reading.sizes import UnknownSizeError

    base = shutil.copy(SAMPLES / "tee-base.dxf", tmp_path / "tee-base.dxf")  # no .rul beside it
    with pytest.raises(UnknownSizeError) as exc:
        read_pattern(base, sizes=["L"])
    assert str(exc.value).endswith(
        "no size 'L' in this pattern (it has M); the pattern has grade rule labels (# n): give its grade "
        "rule table with --rules FILE.RUL to grade the sizes it lists")
    with pytest.raises(UnknownSizeError) as exc:
        read_pattern(SAMPLES / "tee.dxf", sizes=["XL"])
    assert "grade rule" not in str(exc.value)


def test_a_table_whose_every_rule_is_zero_is_said(tmp_path):
    """A PolyPattern table of sizes XS to XL whose one rule is all 0.00 graded four sizes identical
    to the sample, without a word: five M garments labelled XS to XL. It is a warning on the main
    job's line; a table that moves any point is not."""
    from test_import_dxf import aama_doc, add_piece, rect_chain, save

    from kitcut.formats.reading.dxf_read import read_dxf

    doc = aama_doc()
    add_piece(doc, "BOX_M", rect_chain(), texts=["Piece Name: Box", "Size: M"],
              extra=lambda blk: blk.add_text("# 1", dxfattribs={"layer": "2", "insert": (0, 0)}))
    path = save(doc, tmp_path, "box.dxf")
    flat = GradeRules(("S", "M", "L"), "M", {r: np.zeros((3, 2)) for r in CORNERS})
    for table, said in ((flat, True), (_table(), False)):
        (tmp_path / "box.rul").write_text(rul_text_of(table))
        pat = read_dxf(path)
        warned = [e for e in pat.report.entries if "moves every point by 0" in e.message]
        assert bool(warned) == said
        if said:
            assert warned[0].message == (
                "grade rule table box.rul: every rule moves every point by 0 in every size, so sizes S, L "
                "are graded as the sample size M again (is the table complete? --no-rules leaves it out)")
            assert warned[0].headline


def test_another_styles_rule_table_is_refused(tmp_path):
    """The shirt's base pattern names its table KC-SHT-01; given the tee's (KC-TEE-01, rules
    numbered 1, 2, ... as in every table, so they fit), kitcut graded by it with exit 0: a size S
    sleeve larger than the L one, notches and drills dropped. AccuMark and Modaris tie a pattern
    to its table by name; so does kitcut, before anything is written. The same table under another
    spelling of its name (a folder, a .RUL ending, case) is taken."""
    code, out, err = nest("info", str(SAMPLES / "shirt-base.dxf"), "--rules", str(SAMPLES / "tee-base.rul"))
    assert code == 2 and out == ""
    assert err == (f"nest: error: {SAMPLES / 'tee-base.rul'}: the pattern names its grade rule table "
                   "'KC-SHT-01' (its Grade Rule Table text), but this table is 'KC-TEE-01': another style's "
                   "rules would grade its pieces (numbered 1, 2, ... in every table, they fit); give the "
                   "pattern's own table with --rules FILE\n")
    code, _, err = nest(str(SAMPLES / "shirt-base.dxf"), "--rules", str(SAMPLES / "tee-base.rul"),
                        "--time", "1", "-o", str(tmp_path / "out"), "-q")
    assert code == 2 and "but this table is 'KC-TEE-01'" in err and not (tmp_path / "out").exists()
    own = tmp_path / "own.rul"
    own.write_text((SAMPLES / "shirt-base.rul").read_text().replace(
        "GRADE RULE TABLE: KC-SHT-01", "GRADE RULE TABLE: C:\\RULES\\kc-sht-01.RUL"))
    code, out, err = nest("info", str(SAMPLES / "shirt-base.dxf"), "--rules", str(own))
    assert code == 0 and "graded sizes" in out


def test_a_piece_missing_in_a_size_names_the_sizes_drawn_and_graded(tmp_path):
    """A base pattern draws M, its table grades S and L, and one piece is drawn in XL too: the
    others, missing in XL, were said to be "drawn in size(s) L, M, S", the graded sizes called
    drawn. Drawn and graded sizes are told apart."""
    import ezdxf

    doc = ezdxf.readfile(SAMPLES / "tee-base.dxf")
    xl = doc.blocks.new("Neckband_XL")
    for e in doc.blocks.get("Neckband_M"):
        c = e.copy()
        if c.dxftype() == "TEXT" and c.dxf.text.startswith("Size:"):
            c.dxf.text = "Size: XL"
        if c.dxftype() == "TEXT" and c.dxf.text.startswith("#"):
            continue
        xl.add_entity(c)
    doc.modelspace().add_blockref("Neckband_XL", (0, 0))
    doc.saveas(tmp_path / "tee-base.dxf")
    shutil.copy(SAMPLES / "tee-base.rul", tmp_path / "tee-base.rul")
    code, _out, err = nest("info", str(tmp_path / "tee-base.dxf"), "--sizes", "XL")
    assert code == 0, err
    said = [ln.strip() for ln in err.splitlines() + _out.splitlines() if "not drawn in size(s) XL" in ln]
    assert "warning: piece 'Front': not drawn in size(s) XL: cut without it there (drawn in size(s) M; " \
           "graded in size(s) S, L)" in said
