"""``nest info``: the table (readable without a terminal) and the ``--json`` object."""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES
from test_import_dxf import RECT, aama_doc, add_piece, rect_chain, save
from test_import_errors import nest

from kitcut.formats.reading.read import read_pattern
from kitcut.formats.reading.summary import pattern_summary

KEYS = {"name", "size", "quantity", "flipped", "area_mm2", "width_mm", "height_mm", "has_grain", "notches",
        "drills", "cutouts", "internal_lines", "folded", "category", "block"}


@pytest.fixture
def style(tmp_path):
    doc = aama_doc(style="TEE 1")
    add_piece(doc, "FR_M", rect_chain(gap=0.05), texts=["Piece Name: Front", "Size: M", "Quantity: 1,1",
                                                         "Category: FRONT"],
              extra=lambda b: (b.add_line((10, 10), (90, 10), dxfattribs={"layer": "7"}),
                               b.add_point((50, 0, -4), dxfattribs={"layer": "4"}),
                               b.add_point((20, 20), dxfattribs={"layer": "13"}),
                               b.add_line((0, 0), (0, 50), dxfattribs={"layer": "6"})))
    add_piece(doc, "PK_M", [[(0, 0), (40, 0), (40, 30), (0, 30)]], closed=True,
              texts=["Piece Name: Pocket", "Size: M", "Quantity: 2"],
              extra=lambda b: b.add_polyline2d([(10, 10), (20, 10), (20, 20), (10, 20)], close=True,
                                               dxfattribs={"layer": "11"}))
    return save(doc, tmp_path, "tee.dxf")


def test_json_is_one_object_with_the_documented_fields(style):
    code, out, err = nest("info", str(style), "--json")
    assert code == 0 and err == ""
    assert out.count("\n") == 1
    data = json.loads(out)
    assert {"units_in", "units_rule", "style", "pieces", "total_area_mm2", "piece_count", "copies",
            "warnings"} <= set(data)
    assert (data["units_in"], data["units_rule"], data["style"]) == ("mm", "Units text", "TEE 1")
    front, pocket = data["pieces"]
    assert KEYS <= set(front)
    assert front == {**front, "name": "Front", "size": "M", "quantity": 2, "flipped": 1, "area_mm2": 10000.0,
                     "width_mm": 200.0, "height_mm": 50.0, "has_grain": True, "notches": 2, "drills": 2,
                     "cutouts": 0, "internal_lines": 0, "folded": True, "category": "FRONT", "block": "FR_M"}
    assert pocket == {**pocket, "name": "Pocket", "quantity": 2, "flipped": None, "cutouts": 1,
                      "area_mm2": 1200.0 - 100.0, "has_grain": False, "folded": False}
    assert data["total_area_mm2"] == pytest.approx(2 * 10000 + 2 * 1100)
    assert (data["piece_count"], data["copies"]) == (2, 4)
    assert any(w.startswith("repair: piece 'Front (M)': closed a gap of 0.050 mm") for w in data["warnings"])
    notes = " ".join(data["warnings"])
    assert "skipped: piece 'Front (M)': zero-length piece of the cut line ignored" in notes


def test_keep_folded_reports_the_full_area_and_the_half_size(style):
    data = json.loads(nest("info", str(style), "--json", "--keep-folded")[1])
    front = data["pieces"][0]
    assert front["folded"] and front["area_mm2"] == 10000.0 and front["width_mm"] == 100.0


def test_table_without_a_terminal(style):
    code, out, err = nest("info", str(style))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"{style}: TEE 1"
    assert lines[1] == "drawn in mm (Units text); shown in mm"  # inches would read "drawn in inches"
    head = lines[2]
    for col in ("piece", "size", "qty", "area mm²", "w × h mm", "grain", "notch", "drill", "cut-out", "fold"):
        assert col in head
    row = [ln for ln in lines if ln.startswith("Front")][0]
    for cell in ("M", "2 (1 flipped)", "10,000", "200.0 × 50.0", "yes", "unfolded"):
        assert cell in row
    assert "2 pieces, 4 copies, total area 22,200 mm² (area × quantity)" in out
    assert "import remark(s): 1 repair(s)" in out
    assert "\x1b[" not in out  # no terminal escapes in a pipe


def test_summary_is_a_pure_function_of_the_pattern(style):
    pat = read_pattern(style)
    assert pattern_summary(pat) == pattern_summary(pat)
    s = pattern_summary(pat)
    assert json.loads(json.dumps(s)) == s


def test_strict_and_tolerance_options(style, tmp_path):
    assert nest("info", str(style), "--strict")[0] == 2
    assert nest("info", str(style), "--strict", "--tolerance", "0.0001")[0] == 2  # gap now too wide
    doc = aama_doc()
    add_piece(doc, "A_M", [RECT], closed=True)
    assert nest("info", str(save(doc, tmp_path, "ok.dxf")), "--strict")[0] == 0


def test_info_table_keeps_its_columns_with_long_names_and_tabs(tmp_path, monkeypatch):
    """Before, 200-character names squeezed the size and qty columns to nothing (and the other
    columns to "…"), two long names were cut to the same text, and a tab in a name broke the
    row. Now every column but the piece keeps its width, a long name is folded onto more lines
    (whole), and a tab shows as a space."""
    from rich.cells import cell_len

    long = ("Vorderteil-" * 20)[:200]
    from encoded_dxf import aama_file

    path = aama_file(tmp_path / "t.dxf", [long, long[:199] + "X", "Sleeve\tTab"], "utf-8",
                     sizes=("M", "L;XL"))
    assert "Sleeve\tTab" in [p["name"] for p in json.loads(nest("info", str(path), "--json")[1])["pieces"]]
    monkeypatch.setenv("COLUMNS", "100")
    code, out, err = nest("info", str(path))
    lines = out.splitlines()
    head = next(ln for ln in lines if "┃" in ln)
    assert [c.strip() for c in head.split("┃")][1:3] == ["size", "qty"]
    rows = [ln for ln in lines if "│" in ln]
    assert all(cell_len(ln) <= 100 and "\t" not in ln for ln in rows)
    cells = [[c.strip() for c in ln.split("│")] for ln in rows]
    assert {cell_len(ln[: ln.index("│")]) for ln in rows} == {cell_len(head[: head.index("┃")])}
    named = []  # a name's folded lines have empty other cells
    for c in cells:
        if c[1]:
            named.append([c[0], c[1], c[2]])
        else:
            named[-1][0] += c[0]
    assert named == [[long, "M", "1"], [long, "L;XL", "1"], [long[:199] + "X", "M", "1"],
                     [long[:199] + "X", "L;XL", "1"], ["Sleeve Tab", "M", "1"], ["Sleeve Tab", "L;XL", "1"]]


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".dxf", ".json")))
def test_every_bundled_sample_reads_as_a_job_would(sample):
    """As `nest` reads it (with what lies beside it: a grade rule table, a match file). The
    bundled trousers.json could not be read: the match file beside it, meant for trousers.dxf,
    named pieces a benchmark instance does not have."""
    from kitcut.kits.quantities import load_pattern

    pattern = load_pattern(SAMPLES / sample)
    assert pattern.copies > 0
