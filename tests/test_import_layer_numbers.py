"""AAMA layer numbers written with leading zeros (01, 04, 13) are read as the numbers."""

from __future__ import annotations

import ezdxf
import pytest
from test_import_dxf import aama_doc, save

from kitcut.formats.reading.dxf_read import read_dxf
from kitcut.formats.reading.read import read_pattern

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


def _stacked_blocks(tmp_path, layers: dict[str, str], *, apart: bool = False):
    """One block per piece (cut line, grain line, an internal line and a label MTEXT), on layers
    named ``layers[role]``, all inserted at the origin (AccuMark's way), or side by side."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    for i, (name, w, h, qty) in enumerate([("FRONT", 500, 660, "1"), ("BACK", 500, 690, "1"),
                                           ("SLEEVE", 480, 508, "1,1"), ("POCKET", 160, 180, "1")]):
        blk = doc.blocks.new(f"{name}-M")
        blk.add_lwpolyline([(0, 0), (w, 0), (w, h), (0, h)], close=True, dxfattribs={"layer": layers["cut"]})
        blk.add_line((w / 2, 20), (w / 2, h - 20), dxfattribs={"layer": layers["grain"]})
        blk.add_line((20, h / 3), (w - 20, h / 3), dxfattribs={"layer": layers["internal"]})
        blk.add_mtext(f"Piece Name: {name}\\PSize: M\\PQuantity: {qty}",
                      dxfattribs={"insert": (30, h / 2), "char_height": 6, "layer": layers["text"]})
        doc.modelspace().add_blockref(f"{name}-M", (700.0 * i if apart else 0.0, 0.0))
    doc.saveas(tmp_path / "p.dxf")
    return read_pattern(tmp_path / "p.dxf")


@pytest.mark.parametrize("layers", [
    {"cut": "Boundary", "grain": "Grain", "internal": "Internal", "text": "Text"},
    {"cut": "L1", "grain": "L7", "internal": "L8", "text": "L1"},
    {"cut": "CUT LINE", "grain": "GRAINLINE", "internal": "INTERNAL LINES", "text": "LABELS"}])
def test_piece_blocks_stacked_at_one_place_on_named_layers_are_read_one_piece_per_block(tmp_path, layers):
    """A Richpeace- or StyleCAD-like export: AAMA's piece blocks, inserted at the origin, on layers
    with names (``Boundary``, ``Grain``, ``L1``...) instead of numbers. Read as a plain drawing the
    pieces lay on each other: a front cut in the sleeve's shape with the pocket as a hole, the back
    unnamed, three pieces lost, exit 0 (probe 45). Laid side by side, they read as they did."""
    want = {"FRONT": (330_000, 1, None), "BACK": (345_000, 1, None), "SLEEVE": (243_840, 2, 1),
            "POCKET": (28_800, 1, None)}
    for apart in (False, True):
        pat = _stacked_blocks(tmp_path, layers, apart=apart)
        got = {p.name: (round(p.area), p.quantity, p.flipped) for p in pat.pieces}
        assert got == want, (apart, got)
        assert all(p.size == "M" and not p.cutouts for p in pat.pieces)
        if not apart:  # read as AAMA blocks: grain (layer 7) and internal line (8) as such
            assert all(p.grain is not None and len(p.internal_lines) == 1 for p in pat.pieces)
        said = [e.message for e in pat.report.warnings if "inserted at one place" in e.message]
        assert len(said) == (0 if apart else 1)
