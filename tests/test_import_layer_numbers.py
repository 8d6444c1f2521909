"""AAMA layer numbers written with leading zeros (01, 04, 13) are read as the numbers."""

from __future__ import annotations

import ezdxf
import pytest
from test_import_dxf import aama_doc, save

from kitcut.formats.reading.dxf_read import read_dxf

RECT = [(0, 0), (100, 0), (100, 50), (0, 50)]


def _padded(tmp_path, cut: str = "01", notch: str = "04", drill: str = "013", name="p.dxf"):
    doc = aama_doc()
    for k, piece in enumerate(("FRONT", "BACK", "CUFF")):
        blk = doc.blocks.new(piece)
        w = 100 + 20 * k
        blk.add_polyline2d([(0, 0), (w, 0), (w, 50), (0, 50)], close=True, dxfattribs={"layer": cut})
        blk.add_line((w / 2, 0), (w / 2, 5), dxfattribs={"layer": notch})
        blk.add_point((w / 2, 25), dxfattribs={"layer": drill})
        blk.add_text(f"Piece Name: {piece}", dxfattribs={"layer": cut})
        blk.add_text("Size: M", dxfattribs={"layer": cut})
        doc.modelspace().add_blockref(piece, (0, 0))  # stacked at 0,0 as AccuMark places them
    return save(doc, tmp_path, name)


@pytest.mark.parametrize("fast", [True, False])
def test_zero_padded_aama_layers_are_read_as_their_numbers(tmp_path, fast):
    pat = read_dxf(_padded(tmp_path), fast=fast)
    assert [p.name for p in pat.pieces] == ["FRONT", "BACK", "CUFF"]
    assert [round(p.area) for p in pat.pieces] == [5000, 6000, 7000]
    assert [len(p.notches) for p in pat.pieces] == [1, 1, 1]
    assert [len(p.drills) for p in pat.pieces] == [1, 1, 1]
    said = [e for e in pat.report.entries if "leading zeros" in e.message]
    assert len(said) == 1 and "01 as 1, 04 as 4, 013 as 13" in said[0].message


def test_a_plain_drawing_keeps_its_layer_named_01(tmp_path):
    doc = ezdxf.new("R2000")
    doc.modelspace().add_lwpolyline(RECT, close=True, dxfattribs={"layer": "01"})
    path = save(doc, tmp_path, "plain.dxf")
    pat = read_dxf(path, units="mm")
    assert len(pat.pieces) == 1 and round(pat.pieces[0].area) == 5000
    assert not any("leading zeros" in e.message for e in pat.report.entries)


@pytest.mark.parametrize("fast", [True, False])
def test_padded_layers_beside_an_astm_layer_84_are_read_as_their_numbers(tmp_path, fast):
    """An ASTM file's pieces also have their cut line on layer 84, so the file is AAMA as written,
    and its layers 01, 04, 07 were not read as 1, 4, 7: every name, size, notch and grain line
    was left out without a word (28 pieces named by their blocks, 0 of 126 notches). Padded
    names whose numbers no layer has as written are now read as those numbers there too."""
    doc = aama_doc()
    for k, piece in enumerate(("FRONT", "BACK")):
        blk = doc.blocks.new(piece)
        w = 100 + 20 * k
        for layer in ("01", "84"):
            blk.add_polyline2d([(0, 0), (w, 0), (w, 50), (0, 50)], close=True, dxfattribs={"layer": layer})
        blk.add_line((w / 2, 0), (w / 2, 5), dxfattribs={"layer": "04"})
        blk.add_line((10, 25), (w - 10, 25), dxfattribs={"layer": "07"})
        blk.add_text(f"Piece Name: {piece}", dxfattribs={"layer": "01"})
        blk.add_text("Size: M", dxfattribs={"layer": "01"})
        doc.modelspace().add_blockref(piece, (0, 0))
    pat = read_dxf(save(doc, tmp_path, "astm.dxf"), fast=fast)
    assert [(p.name, len(p.notches), p.grain is not None) for p in pat.pieces] == [
        ("FRONT", 1, True), ("BACK", 1, True)]
    said = [e.message for e in pat.report.entries if "leading zeros" in e.message]
    assert said == ["layer names with leading zeros read as the AAMA layer numbers they write: 01 as 1, "
                    "04 as 4, 07 as 7"]
