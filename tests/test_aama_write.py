"""The AAMA DXF writer, checked by re-reading its files with ezdxf directly (not kitcut's reader)."""

from __future__ import annotations

import math

import ezdxf
import numpy as np
import pytest
from ezdxf import recover
from shapely.geometry import Point, Polygon

from kitcut.errors import GeometryError, UnitsError
from kitcut.formats.writing.aama_write import (
    aama_bytes,
    add_piece_block,
    halve_piece,
    new_aama_document,
    unfold_piece,
    write_aama,
)
from kitcut.model import Drill, Line, Notch, Pattern, Piece

OUTLINE = [(0.0, 0.0), (300.125, 0.0), (310.5, 150.25), (280.0, 420.0), (12.345678, 400.0)]


def _body() -> Piece:
    return Piece(
        "Front",
        OUTLINE,
        size="M",
        quantity=2,
        flipped=1,
        grain=Line([(150, 50), (150, 350)]),
        notches=(Notch(300.125, 0.0, 90.0, depth=4.0, width=0.0), Notch(150.0, 0.0, 90.0, "v", 5.5, 3.0)),
        drills=(Drill(100.0, 200.0), Drill(200.0, 250.0, 3.5)),
        internal_lines=(Line([(50, 380), (60, 300), (70, 380)]), Line([(40, 100), (200, 100)])),
        cutouts=([(220, 200), (240, 200), (240, 220), (220, 220)],),
        sew_lines=(Line([(10, 10), (290, 10), (290, 390), (20, 390)], closed=True),),
        category="BODY",
        annotations=("NM",),
    )


def _half() -> Piece:
    return Piece(
        "Back",
        [(0, 0), (250, 0), (250, 600), (0, 650)],
        size="M",
        grain=Line([(125, 100), (125, 500)]),
        notches=(Notch(250.0, 300.0, 180.0),),
        drills=(Drill(60.0, 500.0),),
        fold_line=Line([(0, 650), (0, 0)]),
        folded=True,
    )


@pytest.fixture
def written(tmp_path):
    path = tmp_path / "p.dxf"
    write_aama(Pattern((_body(), _half()), style="STYLE-1"), path, folded=True)
    return path


def _by_layer(entities, layer, kind=None):
    return [e for e in entities if e.dxf.layer == layer and (kind is None or e.dxftype() == kind)]


def _pts(polyline) -> list[tuple[float, float]]:
    return [(v.dxf.location.x, v.dxf.location.y) for v in polyline.vertices]


def _texts(entities):
    return sorted(e.dxf.text for e in entities if e.dxftype() == "TEXT")


def test_blocks_inserts_and_style_texts(written):
    doc = ezdxf.readfile(written)
    names = [b.name for b in doc.blocks if not b.name.startswith("*")]
    assert names == ["Front_M", "Back_M"]
    msp = doc.modelspace()
    inserts = msp.query("INSERT")
    assert [i.dxf.name for i in inserts] == ["Front_M", "Back_M"]
    for i in inserts:
        assert tuple(i.dxf.insert) == (0, 0, 0)
        assert i.dxf.get("xscale", 1) == 1 and i.dxf.get("rotation", 0) == 0
    assert sorted(t.dxf.text for t in msp.query("TEXT")) == ["Product: kitcut", "Style Name: STYLE-1",
                                                               "Units: METRIC"]


def test_outline_texts_and_layers_exact(written):
    doc = ezdxf.readfile(written)
    ents = list(doc.blocks["Front_M"])
    (cut,) = _by_layer(ents, "1", "POLYLINE")
    assert cut.is_closed
    pts = np.array(_pts(cut))
    np.testing.assert_allclose(pts, _body().outline, atol=1e-6, rtol=0)
    assert _texts(ents) == [
        "Annotation: NM", "Category: BODY", "Piece Name: Front", "Quantity: 1,1", "Size: M",
    ]
    for t in (e for e in ents if e.dxftype() == "TEXT"):
        assert t.dxf.layer == "1"
        assert Polygon(_body().outline).contains(Point(t.dxf.insert.x, t.dxf.insert.y))
    (grain,) = _by_layer(ents, "7", "LINE")
    assert tuple(grain.dxf.start)[:2] == (150, 50) and tuple(grain.dxf.end)[:2] == (150, 350)
    internal = _by_layer(ents, "8")
    assert sorted(e.dxftype() for e in internal) == ["LINE", "POLYLINE"]
    (cut_out,) = _by_layer(ents, "11", "POLYLINE")
    assert cut_out.is_closed and len(list(cut_out.vertices)) == 4
    (sew,) = _by_layer(ents, "14", "POLYLINE")
    assert sew.is_closed
    assert not _by_layer(ents, "6"), "a whole piece carries no fold line"


def test_notches_and_drills(written):
    ents = list(ezdxf.readfile(written).blocks["Front_M"])
    notches = sorted(_by_layer(ents, "4", "POINT"), key=lambda e: e.dxf.location.x)
    assert len(notches) == 2
    slit, v = notches[1], notches[0]
    assert tuple(slit.dxf.location) == (300.125, 0.0, -4.0)
    assert slit.dxf.get("thickness", 0.0) == 0.0 and slit.dxf.angle == 90.0
    assert tuple(v.dxf.location) == (150.0, 0.0, -5.5)
    assert v.dxf.thickness == 3.0
    drills = sorted(tuple(e.dxf.location) for e in _by_layer(ents, "13", "POINT"))
    assert drills == [(100.0, 200.0, 0.0), (200.0, 250.0, 3.5)]


def test_fold_piece_written_as_half_with_layer6(written):
    ents = list(ezdxf.readfile(written).blocks["Back_M"])
    (fold,) = _by_layer(ents, "6")
    assert fold.dxftype() == "LINE"
    assert tuple(fold.dxf.start)[:2] == (0, 650) and tuple(fold.dxf.end)[:2] == (0, 0)
    (cut,) = _by_layer(ents, "1", "POLYLINE")
    assert Polygon(_pts(cut)).area == pytest.approx(_half().area)
    assert "Quantity: 1" in _texts(ents)


def test_recover_audit_clean_and_accumark_shape(written):
    doc, auditor = recover.readfile(written)
    assert not auditor.errors and not auditor.fixes
    raw = written.read_bytes()
    assert raw.startswith(b"  0\nSECTION\n  2\nHEADER\n  0\nENDSEC\n")  # empty header: no $INSUNITS, no dates
    assert b"$MODEL_SPACE" not in raw.upper() and b"$PAPER_SPACE" not in raw.upper()
    assert raw.endswith(b"EOF\n")


def test_deterministic(tmp_path):
    pat = Pattern((_body(), _half()), style="S")
    write_aama(pat, tmp_path / "a.dxf", folded=True)
    write_aama(pat, tmp_path / "b.dxf", folded=True)
    assert (tmp_path / "a.dxf").read_bytes() == (tmp_path / "b.dxf").read_bytes()


def test_inches(tmp_path):
    path = tmp_path / "in.dxf"
    write_aama(Pattern((_body(),), style="S"), path, units="in")
    doc = ezdxf.readfile(path)
    assert "Units: ENGLISH" in [t.dxf.text for t in doc.modelspace().query("TEXT")]
    ents = list(doc.blocks["Front_M"])
    (cut,) = _by_layer(ents, "1", "POLYLINE")
    pts = np.array(_pts(cut))
    np.testing.assert_allclose(pts * 25.4, _body().outline, atol=1e-9, rtol=0)
    z = sorted(e.dxf.location.z for e in _by_layer(ents, "4", "POINT"))
    assert z == pytest.approx([-5.5 / 25.4, -4.0 / 25.4], abs=1e-12)
    assert max(e.dxf.get("thickness", 0.0) for e in _by_layer(ents, "4")) == pytest.approx(3.0 / 25.4)


def test_unknown_units_raise():
    with pytest.raises(UnitsError):
        new_aama_document("S", units="cm")


def test_plain_quantity_and_reused_document():
    doc = new_aama_document(None, units="mm")
    piece = Piece("Cuff", [(0, 0), (250, 0), (250, 60), (0, 60)], quantity=4)
    blk = add_piece_block(doc, piece, "CUFF")
    assert _texts(blk) == ["Piece Name: Cuff", "Quantity: 4"]
    assert [t.dxf.text for t in doc.modelspace().query("TEXT")] == ["Product: kitcut", "Units: METRIC"]
    assert b"BLOCK\n  8\n0\n  2\nCUFF\n" in aama_bytes(doc)


def test_duplicate_block_names_get_suffix(tmp_path):
    p = Piece("A b", [(0, 0), (10, 0), (10, 10)], size="M")
    write_aama(Pattern((p, p)), tmp_path / "d.dxf")
    names = [b.name for b in ezdxf.readfile(tmp_path / "d.dxf").blocks if not b.name.startswith("*")]
    assert names == ["A_b_M", "A_b_M_2"]


def test_halve_and_unfold_are_inverse():
    full = Piece(
        "Back",
        [(-250, 0), (250, 0), (250, 600), (0, 650), (-250, 600)],
        grain=Line([(-125, 100), (-125, 500)]),
        notches=(Notch(250.0, 300.0, 180.0), Notch(-250.0, 300.0, 0.0)),
        drills=(Drill(-60.0, 500.0), Drill(60.0, 500.0)),
        fold_line=Line([(0, 650), (0, 0)]),
    )
    half = halve_piece(full)
    assert half.folded and half.area == pytest.approx(full.area / 2)
    assert half.bounds == (0.0, 0.0, 250.0, 650.0)
    assert [(n.x, n.y) for n in half.notches] == [(250.0, 300.0)]
    assert [(d.x, d.y) for d in half.drills] == [(60.0, 500.0)]
    assert half.grain.points[:, 0].tolist() == [125.0, 125.0]  # mirrored onto the kept half
    back = unfold_piece(half)
    assert back.unfolded and not back.folded
    assert Polygon(back.outline).symmetric_difference(Polygon(full.outline)).area < 1e-6
    angles = sorted(round(n.angle_deg % 360, 6) for n in back.notches)
    assert angles == [0.0, 180.0]
    assert sorted((d.x, d.y) for d in back.drills) == [(-60.0, 500.0), (60.0, 500.0)]


def test_fold_line_off_the_piece_is_an_error(tmp_path):
    p = Piece("X", [(0, 0), (10, 0), (10, 10)], fold_line=Line([(20, 0), (20, 10)]))
    with pytest.raises(GeometryError, match=r"w\.dxf: piece 'X': the fold line does not touch"):
        write_aama(Pattern((p,)), tmp_path / "w.dxf", folded=True)
    assert not (tmp_path / "w.dxf").exists()


def test_whole_written_when_not_folded(tmp_path):
    path = tmp_path / "w.dxf"
    write_aama(Pattern((_half(),)), path, folded=False)
    ents = list(ezdxf.readfile(path).blocks["Back_M"])
    assert not _by_layer(ents, "6")
    (cut,) = _by_layer(ents, "1", "POLYLINE")
    poly = Polygon(_pts(cut))
    assert poly.area == pytest.approx(2 * _half().area)
    assert poly.bounds == (-250.0, 0.0, 250.0, 650.0)
    notch_angles = sorted(round(e.dxf.angle % 360, 6) for e in _by_layer(ents, "4"))
    assert notch_angles == [0.0, 180.0]
    assert math.isclose(sum(1 for _ in _by_layer(ents, "13")), 2)


GOLDEN_TAB = (
    "  0|SECTION|  2|HEADER|  0|ENDSEC|  0|SECTION|  2|BLOCKS|"
    "  0|BLOCK|  8|0|  2|Tab_M| 70|0| 10|0.0| 20|0.0| 30|0.0|  3|Tab_M|  1||"
    "  0|POLYLINE|  8|1| 66|1| 10|0.0| 20|0.0| 30|0.0| 70|1|"
    "  0|VERTEX|  8|1| 10|0.0| 20|0.0| 30|0.0| 70|0|"
    "  0|VERTEX|  8|1| 10|40.0| 20|0.0| 30|0.0| 70|0|"
    "  0|VERTEX|  8|1| 10|0.0| 20|30.0| 30|0.0| 70|0|  0|SEQEND|  8|1|"
    "  0|TEXT|  8|1| 10|10.0| 20|22.5| 30|0.0| 40|5.0|  1|Piece Name: Tab|"
    "  0|TEXT|  8|1| 10|10.0| 20|15.0| 30|0.0| 40|5.0|  1|Size: M|"
    "  0|TEXT|  8|1| 10|10.0| 20|7.5| 30|0.0| 40|5.0|  1|Quantity: 1|"
    "  0|POINT|  8|4| 10|20.0| 20|0.0| 30|-5.0| 50|90.0|"
    "  0|ENDBLK|  8|0|  0|ENDSEC|  0|SECTION|  2|ENTITIES|"
    "  0|TEXT|  8|1| 10|0.0| 20|0.0| 30|0.0| 40|5.0|  1|Product: kitcut|"
    "  0|TEXT|  8|1| 10|0.0| 20|-7.5| 30|0.0| 40|5.0|  1|Style Name: S|"
    "  0|TEXT|  8|1| 10|0.0| 20|-15.0| 30|0.0| 40|5.0|  1|Units: METRIC|"
    "  0|INSERT|  8|1|  2|Tab_M| 10|0.0| 20|0.0| 30|0.0|  0|ENDSEC|  0|EOF|"
)


def test_golden_small_file(tmp_path):
    """The whole file of a one-triangle pattern, tag by tag (a change here is a format change)."""
    tab = Piece("Tab", [(0, 0), (40, 0), (0, 30)], size="M", notches=(Notch(20.0, 0.0, 90.0),))
    write_aama(Pattern((tab,), style="S"), tmp_path / "tab.dxf")
    assert (tmp_path / "tab.dxf").read_bytes().decode("ascii").replace("\n", "|") == GOLDEN_TAB


def test_a_file_kitcut_wrote_reads_back_in_mm_whatever_its_pieces_size(tmp_path):
    """``Units: METRIC`` names no length, and CLO writes it over centimetres too: a METRIC file
    whose largest piece is under 100 units is read in cm. kitcut's own files said METRIC over
    millimetres, so a pattern (or a marker.dxf) of 90 x 60 mm patches read back 900 x 600 mm and
    nested a marker twenty times too long. They now say ``Product: kitcut`` too, by which their
    METRIC is millimetres, with nothing reported; another METRIC file of small pieces is still
    read in cm, said so."""
    from kitcut.formats.reading.read import read_pattern

    patch = Piece("Patch", [(0, 0), (90, 0), (90, 60), (0, 60)], size="M", quantity=4)
    write_aama(Pattern((patch,)), tmp_path / "patch.dxf")
    back = read_pattern(tmp_path / "patch.dxf")
    assert back.units == "mm" and len(back.pieces) == 1
    assert np.ptp(back.pieces[0].outline, axis=0).tolist() == pytest.approx([90.0, 60.0])
    assert not any("Product" in str(r) for r in back.report.entries)
    data = (tmp_path / "patch.dxf").read_bytes().replace(b"Product: kitcut", b"Product: other")
    (tmp_path / "other.dxf").write_bytes(data)
    other = read_pattern(tmp_path / "other.dxf")
    assert np.ptp(other.pieces[0].outline, axis=0).tolist() == pytest.approx([900.0, 600.0])


def test_every_notch_kind_reads_back_as_written(tmp_path):
    """Every notch went to layer 4, where a notch with a width reads as a V: a T, box (castle),
    check or U notch came back a V from kitcut's own pattern or marker DXF, and the cutter file of
    the marker read back cut a box notch's three strokes as a V's two. Each kind now goes to its
    ASTM D6673 layer (80 to 83), read by ezdxf here, and reads back as that kind, in place."""
    from kitcut.formats.reading.read import read_pattern

    kinds = ["slit", "v", "t", "castle", "check", "u"]
    notches = tuple(Notch(40.0 + 50.0 * i, 0.0, 90.0, kind, 4.0, 0.0 if kind == "slit" else 3.0)
                    for i, kind in enumerate(kinds))
    body = Piece("Body", [(0, 0), (400, 0), (400, 200), (0, 200)], size="M", notches=notches)
    write_aama(Pattern((body,)), tmp_path / "body.dxf")
    doc = ezdxf.readfile(tmp_path / "body.dxf")
    layers = {round(p.dxf.location.x): p.dxf.layer for p in doc.blocks.get("Body_M").query("POINT")}
    assert layers == {40: "4", 90: "4", 140: "80", 190: "81", 240: "82", 290: "83"}
    back = read_pattern(tmp_path / "body.dxf").pieces[0]
    assert [(n.kind, n.x, n.depth, n.width) for n in sorted(back.notches, key=lambda n: n.x)] == [
        (n.kind, n.x, n.depth, n.width) for n in notches]
