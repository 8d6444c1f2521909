"""Grading checked against real CAD exports (../shared/data/dxf, skipped where absent): rules
derived from the sizes the CAD drew, the sample size graded with them, compared with the CAD's."""

from __future__ import annotations

import json

import pytest
from conftest import shared_file
from test_import_errors import nest

from kitcut.formats.reading.grade_check import check_export, compare_reads, write_base_pair
from kitcut.formats.reading.rul import parse_rul

# file: (largest distance of an intermediate cut-line point to the CAD's line, its 95th percentile), mm;
# measured by `python -m bench grading` (README) with a margin
REAL = {"WM_SLIM_TANK.DXF": (3.5, 1.6), "GLX4802S19_ASTM.DXF": (2.2, 0.8), "ORILEGWB_AAMA.DXF": (2.2, 0.8)}


@pytest.mark.parametrize("name", list(REAL))
def test_grading_reproduces_the_cads_sizes(name):
    res = check_export(shared_file("dxf", name))
    assert res.pieces >= 2 and res.sizes == 14 and res.grade_point_count > 300
    assert res.rule_spread < 0.01  # points of a piece sharing a rule move alike in the CAD too
    assert res.grade_points < 0.01  # the aim is 0.5 mm; only the .RUL's decimals are lost
    line_max, line_p95 = REAL[name]
    assert res.between <= line_max and res.between_p95 <= line_p95, (res.between, res.between_p95, res.where)
    assert res.notches < 0.01 and res.internal_ruled < 0.01
    table = parse_rul(res.rul)  # the derived table is a valid .RUL with every rule
    assert len(table.deltas) == res.rules and table.sample == "36"


def test_a_base_size_export_with_its_rul_nests_in_every_size(tmp_path):
    src = shared_file("dxf", "WM_SLIM_TANK.DXF")
    res = check_export(src)
    dxf, rul = write_base_pair(src, tmp_path, res)
    code, out, err = nest("info", str(dxf), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["graded_sizes"] == [s for s in data["sizes"] if s != "36"] and len(data["sizes"]) == 14
    assert data["rules"] == str(rul) and len(data["pieces"]) == 28
    hausdorff, area_pct, _ = compare_reads(src, dxf)
    # the built outlines, unfolded, against the CAD's own sizes (3.56 mm since the CAD's cut lines are
    # read as curves through their curve points, each size through its own)
    assert hausdorff < 3.8 and area_pct < 0.3
    code, out, err = nest(str(dxf), "--sizes", "26,52", "--time", "2", "--iterations", "20", "--workers", "1",
                          "--seed", "1", "--json", "-o", str(tmp_path / "out"))
    assert code == 0, err
    placed = json.loads((tmp_path / "out" / "marker.json").read_text())["solution"]["placements"]
    assert sorted(p["size"] for p in placed) == ["26", "26", "52", "52"]


def test_sizes_the_cad_drew_turned_are_not_compared():
    res = check_export(shared_file("dxf", "DEEP_ARMHOLE_RACER.DXF"))
    turned = [n for n in res.notes if "drawn turned by" in n]
    assert [n.split(":")[0] for n in turned] == [f"DEEP ARMHOLE RACERBK {s}" for s in (48, 50, 52)]
    assert res.grade_points < 0.01


def test_a_size_the_cad_drew_beside_sizes_the_table_grades_keeps_the_sample_s_notches(tmp_path):
    """The legging's base-size pair (sample 36 and its derived table) with the CAD's own size 52
    inserted too: the table grades 26 to 50, and 52 is drawn. Size 52 had no notch and straight
    chords for its curves (the graded sizes, holding the sample's notches and curve points, made
    the sample one donor among many, so none was taken; probe 46). It now reads as in the
    all-size export: the sample's notches carried to its cut line, its curves drawn."""
    import ezdxf
    import numpy as np

    from kitcut.formats.reading.read import read_pattern

    src = shared_file("dxf", "ORILEGWB_AAMA.DXF")
    dxf, _ = write_base_pair(src, tmp_path)
    doc = ezdxf.readfile(dxf)
    for e in ezdxf.readfile(src).modelspace().query("INSERT"):
        if e.dxf.name.endswith("_52"):
            doc.modelspace().add_blockref(e.dxf.name, e.dxf.insert, dxfattribs={
                k: e.dxf.get(k) for k in ("rotation", "xscale", "yscale") if e.dxf.hasattr(k)})
    doc.saveas(dxf)
    mixed = read_pattern(dxf, sizes=["52"])
    assert mixed.rules_file is not None and "52" not in mixed.graded_sizes and "50" in mixed.graded_sizes
    drawn = {p.name: p for p in read_pattern(src, sizes=["52"]).pieces}
    assert len(mixed.pieces) == len(drawn) == 2
    for p in mixed.pieces:
        q = drawn[p.name]
        assert len(p.notches) == len(q.notches) > 0
        assert np.allclose(sorted((n.x, n.y) for n in p.notches), sorted((n.x, n.y) for n in q.notches))
        assert p.area == pytest.approx(q.area, rel=1e-9)
