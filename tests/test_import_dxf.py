"""Pattern DXF import on small hand-made files: chains, gaps, INSERT transforms, folds,
quantities, units rules, plain CAD drawings. Each file is written with ezdxf in the test."""

from __future__ import annotations

import math

import ezdxf
import numpy as np
import pytest
from shapely.geometry import Polygon

from kitcut.errors import GeometryError, UnitsError
from kitcut.formats.reading.dxf_read import read_dxf
from kitcut.formats.reading.read import read_pattern

RECT = [(0, 0), (100, 0), (100, 50), (0, 50)]


def aama_doc(units: str | None = "METRIC", style: str = "TEST"):
    """A new R12 drawing with the AAMA style texts in model space."""
    doc = ezdxf.new("R12")
    msp = doc.modelspace()
    msp.add_text(f"Style Name: {style}", dxfattribs={"layer": "1"})
    if units:
        msp.add_text(f"Units: {units}", dxfattribs={"layer": "1"})
    return doc


def add_piece(doc, name: str, segments, *, closed: bool = False, texts=(), insert=(0.0, 0.0), rotation=0.0,
              xscale=1.0, yscale=1.0, extra=None, inserts: int = 1):
    """A piece block (layer-1 polylines ``segments`` and piece texts) inserted in model space."""
    blk = doc.blocks.new(name)
    for seg in segments:
        blk.add_polyline2d([tuple(map(float, p)) for p in seg], close=closed, dxfattribs={"layer": "1"})
    for t in texts:
        blk.add_text(t, dxfattribs={"layer": "1"})
    if extra:
        extra(blk)
    for _ in range(inserts):
        doc.modelspace().add_blockref(name, insert, dxfattribs={"rotation": rotation, "xscale": xscale,
                                                                "yscale": yscale})
    return blk


def save(doc, tmp_path, name="p.dxf"):
    path = tmp_path / name
    doc.saveas(path)
    return path


def rect_chain(gap=0.0, stub=True):
    """RECT as four open polylines, shuffled and partly reversed, with a zero-length stub."""
    segs = [[(100, 0), (100, 50)], [(0, 0), (100, 0)], [(0, 50 - gap), (0, 0)][::-1], [(100, 50), (0, 50)]]
    segs[2] = [(0, 0), (0, 50 - gap)][::-1]
    if stub:
        segs.insert(1, [(100, 0), (100, 0)])
    return segs


def both(path, **kw):
    """Read with the fast reader and with ezdxf: the results must agree."""
    a = read_dxf(path, **kw)
    b = read_dxf(path, fast=False, **kw)
    assert [p.area for p in a.pieces] == pytest.approx([p.area for p in b.pieces])
    assert [len(p.notches) for p in a.pieces] == [len(p.notches) for p in b.pieces]
    return a


# -- chains and gaps ------------------------------------------------------------------------------

def test_chain_with_stub_joins_into_one_ring(tmp_path):
    doc = aama_doc()
    add_piece(doc, "CUFF_M", rect_chain(), texts=["Piece Name: Cuff", "Size: M", "Quantity: 2"])
    pat = both(save(doc, tmp_path))
    (p,) = pat.pieces
    assert (p.name, p.size, p.quantity, p.flipped) == ("Cuff", "M", 2, None)
    assert p.area == pytest.approx(5000.0)
    assert sorted(map(tuple, p.outline.tolist())) == sorted(map(tuple, np.array(RECT, float).tolist()))
    assert any("zero-length piece of the cut line" in str(e) for e in pat.report.skipped)
    assert not pat.report.repairs


def test_gap_below_tolerance_is_closed_and_reported(tmp_path):
    doc = aama_doc()
    add_piece(doc, "CUFF_M", rect_chain(gap=0.05, stub=False), texts=["Piece Name: Cuff"])
    path = save(doc, tmp_path)
    pat = read_pattern(path)
    assert pat.pieces[0].area == pytest.approx(5000.0)  # the gap is bridged along the edge
    (rep,) = pat.report.repairs
    assert "closed a gap of 0.050 mm in the cut line at (0.0, 50.0)" in rep.message
    with pytest.raises(GeometryError, match=r"closed a gap of 0\.050 mm .*not allowed with --strict"):
        read_pattern(path, strict=True)


def test_gap_above_tolerance_is_closed_up_to_a_millimetre(tmp_path):
    """Exports leave a few tenths of a millimetre between the parts of a cut line: a 0.5 mm gap
    (over the 0.1 mm tolerance) is closed and reported (an error with --strict)."""
    doc = aama_doc()
    add_piece(doc, "CUFF_M", rect_chain(gap=0.5, stub=False), texts=["Piece Name: Cuff", "Size: M"])
    path = save(doc, tmp_path)
    pat = read_pattern(path)
    assert pat.pieces[0].area == pytest.approx(5000.0, abs=0.02)
    (rep,) = pat.report.repairs
    assert "closed a gap of 0.500 mm in the cut line at (0.0, 49.8): over the tolerance 0.1 mm" in rep.message
    with pytest.raises(GeometryError, match="not allowed with --strict"):
        read_pattern(path, strict=True)


def test_gap_above_a_millimetre_is_an_error_naming_size_and_place(tmp_path):
    doc = aama_doc()
    add_piece(doc, "CUFF_M", rect_chain(gap=1.5, stub=False), texts=["Piece Name: Cuff", "Size: M"])
    path = save(doc, tmp_path)
    with pytest.raises(GeometryError) as exc:
        read_pattern(path)
    msg = str(exc.value)
    assert str(path) in msg and "piece 'Cuff (M)'" in msg
    assert "cut line is open: a gap of 1.500 mm at (0.0, 49.2) is larger than the tolerance 0.1 mm" in msg
    assert "close this one in the pattern CAD" in msg
    assert read_pattern(path, tolerance=2.0).pieces[0].area == pytest.approx(5000.0)


# -- INSERT transforms ------------------------------------------------------------------------------

L_SHAPE = [(0, 0), (60, 0), (60, 20), (20, 20), (20, 40), (0, 40)]


def _l_extra(blk):
    blk.add_line((5, 5), (5, 35), dxfattribs={"layer": "7"})
    blk.add_line((0, 0), (60, 0), dxfattribs={"layer": "5"})  # grade reference: never the grain
    blk.add_point((30, 0, -4.0), dxfattribs={"layer": "4", "thickness": 0.0, "angle": 90.0})
    blk.add_point((10, 10, 0.0), dxfattribs={"layer": "13"})


@pytest.mark.parametrize("rotation,xs,ys", [(0, 1, 1), (90, 1, 1), (30, 2, 2), (0, -1, 1), (45, -1, 1.5)])
def test_insert_transform_applies_to_outline_notches_grain_drills(tmp_path, rotation, xs, ys):
    doc = aama_doc()
    ins = (250.0, -40.0)
    add_piece(doc, "L_M", [L_SHAPE], closed=True, texts=["Piece Name: L"], insert=ins, rotation=rotation,
              xscale=xs, yscale=ys, extra=_l_extra)
    (p,) = both(save(doc, tmp_path)).pieces
    t = math.radians(rotation)
    R = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])

    def tr(pts):
        return (np.asarray(pts, float) * [xs, ys]) @ R.T + ins

    expect = tr(L_SHAPE)
    assert Polygon(p.outline).symmetric_difference(Polygon(expect)).area < 1e-6
    assert p.area == pytest.approx(Polygon(L_SHAPE).area * abs(xs * ys))
    (n,) = p.notches
    assert (n.x, n.y) == pytest.approx(tuple(tr([(30, 0)])[0]))
    d = tr([(0, 1)])[0] - tr([(0, 0)])[0]
    assert n.angle_deg == pytest.approx(math.degrees(math.atan2(d[1], d[0])) % 360)
    assert n.depth == pytest.approx(4.0 * math.sqrt(abs(xs * ys)))
    assert np.allclose(p.grain.points, tr([(5, 5), (5, 35)]))
    (dr,) = p.drills
    assert (dr.x, dr.y) == pytest.approx(tuple(tr([(10, 10)])[0]))


def test_block_inserted_twice_is_one_piece_counted_twice(tmp_path):
    doc = aama_doc()
    add_piece(doc, "CUFF_M", [RECT], closed=True, texts=["Piece Name: Cuff"], inserts=2)
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.quantity == 2 and p.flipped is None
    assert any("inserted 2 times" in e.message for e in pat.report.warnings)


# -- quantities ---------------------------------------------------------------------------------------

def test_quantity_texts_pairs_plain_zero_and_sizes(tmp_path):
    doc = aama_doc()
    add_piece(doc, "SL_36", [RECT], closed=True, texts=["PIECE NAME:Sleeve", "SIZE: 36", "QUANTITY: 1,1",
                                                         "CATEGORY: SLEEVE", "Fabric: 1"])
    add_piece(doc, "SL_38", [[(0, 0), (110, 0), (110, 50), (0, 50)]], closed=True,
              texts=["Piece Name: Sleeve", "Size Name: 38"])
    add_piece(doc, "PK_36", [RECT], closed=True, texts=["Piece Name:Pocket", "Size: 36", "Quantity: 2"])
    add_piece(doc, "LB_36", [RECT], closed=True, texts=["Piece Name: Label", "Size: 36", "Quantity: 0,0"])
    pat = read_pattern(save(doc, tmp_path))
    got = {(p.name, p.size): (p.quantity, p.flipped, p.category, p.material) for p in pat.pieces}
    assert got == {("Sleeve", "36"): (2, 1, "SLEEVE", "1"), ("Sleeve", "38"): (2, 1, "SLEEVE", "1"),
                   ("Pocket", "36"): (2, None, None, None), ("Label", "36"): (0, 0, None, None)}
    msgs = [str(e) for e in pat.report.warnings]
    assert ("warning: piece 'Label': Quantity 0: the file says this piece is not cut; kept with quantity 0"
            in msgs)
    assert any("piece 'Sleeve': Quantity text only in 1 of 2 sizes (size 36)" in m for m in msgs)
    assert pat.pieces[0].copy_mirrors() == (False, True)


# -- folds -------------------------------------------------------------------------------------------

def _fold_extra(blk):
    blk.add_line((0, 0), (0, 50), dxfattribs={"layer": "6"})
    blk.add_point((100, 25, -5.0), dxfattribs={"layer": "4"})
    blk.add_point((0, 50, -5.0), dxfattribs={"layer": "4"})  # on the fold line: not doubled
    blk.add_point((50, 25, 0.0), dxfattribs={"layer": "13"})
    blk.add_line((20, 10), (40, 10), dxfattribs={"layer": "8"})
    blk.add_line((70, 0), (70, 50), dxfattribs={"layer": "7"})


def test_fold_piece_is_unfolded_with_its_features(tmp_path):
    doc = aama_doc()
    add_piece(doc, "BK_M", rect_chain(stub=False), texts=["Piece Name: Back"], extra=_fold_extra)
    path = save(doc, tmp_path)
    (p,) = both(path).pieces
    assert p.folded and p.unfolded
    assert p.area == pytest.approx(10000.0)
    assert p.bounds == pytest.approx((-100.0, 0.0, 100.0, 50.0))
    assert sorted((round(n.x, 6), round(n.y, 6)) for n in p.notches) == [(-100, 25), (0, 50), (100, 25)]
    mirrored = [n for n in p.notches if n.x < 0][0]
    assert mirrored.angle_deg == pytest.approx(0.0)  # the inward normal, mirrored: now points +x
    assert sorted((d.x, d.y) for d in p.drills) == [(-50, 25), (50, 25)]
    assert len(p.internal_lines) == 2 and p.grain is not None
    (h,) = read_pattern(path, unfold=False).pieces
    assert h.folded and not h.unfolded and h.area == pytest.approx(5000.0)
    assert len(h.notches) == 2 and len(h.drills) == 1


def test_mirror_line_off_the_outline_keeps_the_half(tmp_path):
    doc = aama_doc()
    add_piece(doc, "BK_M", [RECT], closed=True, texts=["Piece Name: Back"],
              extra=lambda b: b.add_line((50, 0), (50, 50), dxfattribs={"layer": "6"}))
    pat = read_pattern(save(doc, tmp_path))
    assert pat.pieces[0].folded and not pat.pieces[0].unfolded and pat.pieces[0].area == 5000
    assert any("mirror line does not lie along the outline" in e.message for e in pat.report.warnings)


def test_slit_drawn_into_the_cut_line_becomes_a_notch(tmp_path):
    doc = aama_doc()
    ring = [(0, 0), (100, 0), (100, 25), (90, 25), (100, 25), (100, 50), (0, 50)]
    add_piece(doc, "A_M", [ring], closed=True, texts=["Piece Name: A"])
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.area == pytest.approx(5000.0) and Polygon(p.outline).is_valid
    assert [90.0, 25.0] not in p.outline.tolist()
    (n,) = p.notches
    assert (n.x, n.y, n.angle_deg, n.depth, n.kind) == pytest.approx((100, 25, 180, 10, "slit"))


# -- units -------------------------------------------------------------------------------------------

def test_units_text_english_is_inches(tmp_path):
    doc = aama_doc("ENGLISH")
    add_piece(doc, "A_M", [[(0, 0), (10, 0), (10, 5), (0, 5)]], closed=True, texts=["Piece Name: A"])
    pat = read_pattern(save(doc, tmp_path))
    assert (pat.units_in, pat.units_rule) == ("in", "Units text")
    assert pat.pieces[0].area == pytest.approx(50 * 25.4**2)


def test_insunits_header_decides_and_user_option_overrides(tmp_path):
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 5  # cm
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (30, 0), (30, 20), (0, 20)], close=True, dxfattribs={"layer": "front"})
    path = save(doc, tmp_path)
    pat = read_pattern(path)
    assert (pat.units_in, pat.units_rule) == ("cm", "$INSUNITS")
    assert pat.pieces[0].area == pytest.approx(600 * 100)
    over = read_pattern(path, units="mm")
    assert (over.units_in, over.units_rule) == ("mm", "--units")
    assert over.pieces[0].area == pytest.approx(600)
    assert any("--units mm overrides the file's $INSUNITS (cm)" in e.message for e in over.report.warnings)


@pytest.mark.parametrize("size,unit", [(500.0, "mm"), (50.0, "cm"), (5.0, "in")])
def test_size_check_decides_when_nothing_is_declared(tmp_path, size, unit):
    doc = aama_doc(units=None)
    add_piece(doc, "A_M", [[(0, 0), (size, 0), (size, size / 2), (0, size / 2)]], closed=True)
    pat = read_pattern(save(doc, tmp_path))
    assert (pat.units_in, pat.units_rule) == (unit, "size check")
    assert any(f"no units declared: {unit} guessed" in e.message for e in pat.report.warnings)


def test_no_rule_decides_is_an_error(tmp_path):
    doc = aama_doc(units=None)
    add_piece(doc, "A_M", [[(0, 0), (0.5, 0), (0.5, 0.2), (0, 0.2)]], closed=True)
    with pytest.raises(UnitsError, match="unknown units: the file declares none"):
        read_pattern(save(doc, tmp_path))


def test_bad_units_texts_and_options(tmp_path):
    doc = aama_doc(units="FURLONGS")
    add_piece(doc, "A_M", [RECT], closed=True)
    path = save(doc, tmp_path)
    with pytest.raises(UnitsError, match=r"unknown units text 'Units: FURLONGS'"):
        read_pattern(path)
    assert read_pattern(path, units="metric").units_in == "mm"
    with pytest.raises(UnitsError, match=r"unknown units 'parsec'"):
        read_pattern(path, units="parsec")


# -- plain CAD drawings -------------------------------------------------------------------------------

def test_plain_lines_and_arcs_chain_into_a_piece_with_a_hole_grain_and_notch(tmp_path):
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    a = {"layer": "deel 1"}
    # a 200 x 100 rectangle with rounded right end (a half circle of radius 50), drawn shuffled
    msp.add_arc((200, 50), 50, -90, 90, dxfattribs=a)
    msp.add_line((0, 100), (0, 0), dxfattribs=a)
    msp.add_line((200, 100), (0, 100), dxfattribs=a)
    msp.add_line((0, 0), (200, 0), dxfattribs=a)
    msp.add_circle((60, 50), 15, dxfattribs=a)
    msp.add_line((100, 20), (100, 80), dxfattribs={"layer": "GRAIN"})
    msp.add_line((0, 50), (6, 50), dxfattribs=a)  # a notch cut in from the edge
    msp.add_text("Piece Name: Tab", dxfattribs={"layer": "deel 1", "insert": (150, 50)})
    pat = read_pattern(save(doc, tmp_path), tolerance=0.01)
    (p,) = pat.pieces
    assert p.name == "Tab" and pat.units_in == "mm" and pat.units_rule == "$INSUNITS"
    expect = 200 * 100 + math.pi * 50**2 / 2 - math.pi * 15**2
    assert p.area == pytest.approx(expect, rel=2e-4)
    assert len(p.cutouts) == 1 and p.grain is not None and p.grain.angle_deg == pytest.approx(90)
    (n,) = p.notches
    assert (n.x, n.y, n.angle_deg, n.depth) == pytest.approx((0, 50, 0, 6))


def test_plain_self_intersecting_outline_needs_repair(tmp_path):
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    doc.modelspace().add_lwpolyline([(0, 0), (100, 50), (100, 0), (0, 50)], close=True)
    path = save(doc, tmp_path)
    with pytest.raises(GeometryError, match=r"self-intersecting outline \(self-intersection at "
                       r"\(50\.0, 25\.0\)\): loop\(s\) of 1250\.0 mm² on a piece of 1250 mm², more than "
                       r"hairlines .*rerun with --repair to keep its largest part"):
        read_pattern(path)
    pat = read_pattern(path, repair=True)
    assert pat.pieces[0].area == pytest.approx(1250.0)
    assert "self-intersecting outline repaired" in pat.report.repairs[0].message
    with pytest.raises(GeometryError, match="not allowed with --strict"):
        read_pattern(path, repair=True, strict=True)


# -- layers, notch kinds and text forms ----------------------------------------------------------------

def test_astm_layer_84_is_preferred_and_notch_layers_give_kinds(tmp_path):
    doc = aama_doc()

    def extra(b):
        # the denser ASTM copy of the cut line: a bump on the top edge that layer 1 lacks
        b.add_polyline2d([(0, 0), (100, 0), (100, 50), (60, 50), (50, 55), (40, 50), (0, 50)], close=True,
                         dxfattribs={"layer": "84"})
        for layer, x in (("80", 10), ("81", 30), ("82", 50), ("83", 70)):
            b.add_point((x, 0, -3.0), dxfattribs={"layer": layer, "thickness": 2.0})
        b.add_line((100, 20), (94, 20), dxfattribs={"layer": "4"})  # a Seamly2D notch: a short LINE
        b.add_point((0, 25, 0.0), dxfattribs={"layer": "4", "angle": 180.0})  # points out: reversed
        b.add_line((10, 40), (90, 40), dxfattribs={"layer": "14"})
        b.add_polyline2d([(20, 20), (30, 20), (30, 30), (20, 30)], close=True, dxfattribs={"layer": "11"})

    add_piece(doc, "A_M", [RECT], closed=True, texts=["Piece Name: A"], extra=extra)
    pat = both(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.area == pytest.approx(5000 + 50 - 100)  # the bump of layer 84, less the cut-out
    kinds = sorted((n.kind, round(n.x), round(n.y), round(n.angle_deg), n.depth, n.width) for n in p.notches)
    assert kinds == [("castle", 30, 0, 90, 3.0, 2.0), ("check", 50, 0, 90, 3.0, 2.0),
                     ("slit", 0, 25, 0, 5.0, 0.0), ("slit", 100, 20, 180, 6.0, 0.0),
                     ("t", 10, 0, 90, 3.0, 2.0), ("u", 70, 0, 90, 3.0, 2.0)]
    assert len(p.sew_lines) == 1 and len(p.cutouts) == 1
    notes = [str(e) for e in pat.report.entries]
    assert any("layer-1 cut line superseded by the denser ASTM layer 84: 1 POLYLINE" in m for m in notes)
    assert any("1 notch direction(s) pointed out of the piece; reversed" in m for m in notes)


def test_attrib_and_mtext_texts(tmp_path):
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 0  # unitless: the Units text decides
    doc.modelspace().add_mtext("UNITS: METRIC", dxfattribs={"layer": "1"})
    blk = doc.blocks.new("B1")
    blk.add_lwpolyline(RECT, close=True, dxfattribs={"layer": "1"})
    blk.add_attdef("PIECE_NAME", (0, 0), dxfattribs={"layer": "1"})
    ref = doc.modelspace().add_blockref("B1", (0, 0))
    ref.add_attrib("PIECE_NAME", "Yoke", (0, 0))
    ref.add_attrib("QUANTITY", "1,1", (0, 0))
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert (p.name, p.quantity, p.flipped, pat.units_rule) == ("Yoke", 2, 1, "Units text")


# -- where texts stand ----------------------------------------------------------------------------
SQUARES = {"LEFT": (0.0, 0.0), "RIGHT": (500.0, 0.0), "TOP": (0.0, 500.0)}


@pytest.mark.parametrize("extrusion", [(0, 0, 1), (0, 0, -1), (0.6, 0.0, 0.8), (0.0, -0.28, -0.96)])
def test_texts_in_any_extrusion_name_the_piece_they_stand_in(tmp_path, extrusion):
    """TEXT and ATTRIB keep their insertion point in the entity's own (OCS) coordinates; a text
    turned over (extrusion -Z, as some CADs mirror) stands where its OCS point maps in the world,
    not at the raw numbers. MTEXT is in world coordinates whatever its extrusion."""
    from ezdxf.math import OCS, Vec3

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    ocs = OCS(extrusion)
    for k, (name, (x0, y0)) in enumerate(SQUARES.items()):
        msp.add_lwpolyline([(x0, y0), (x0 + 300, y0), (x0 + 300, y0 + 300), (x0, y0 + 300)], close=True)
        mid = Vec3(x0 + 150, y0 + 150, 0)
        if k == 2:  # MTEXT: world coordinates
            msp.add_mtext(f"Piece Name: {name}", dxfattribs={"insert": mid, "extrusion": extrusion})
        else:
            attribs = {"insert": ocs.from_wcs(mid), "extrusion": extrusion, "height": 10}
            msp.add_text(f"Piece Name: {name}", dxfattribs=attribs)
    pat = read_pattern(save(doc, tmp_path))
    got = {p.name: tuple(np.round(np.asarray(p.outline).min(axis=0))) for p in pat.pieces}
    assert got == {n: xy for n, xy in SQUARES.items()}
    assert not [w for w in pat.report.warnings if "second" in w.message]


def test_text_point_of_a_turned_over_text_in_the_aama_reader():
    """The AAMA reader places grade-rule labels by their text points: a turned-over TEXT, ATTRIB
    or ATTDEF gives its world point, the same as an upright one."""
    from ezdxf.math import OCS, Vec3

    from kitcut.formats.reading.dxf_fast import from_ezdxf_entity

    doc = ezdxf.new("R2010")
    blk = doc.blocks.new("B")
    ocs = OCS((0, 0, -1))
    p = Vec3(120.0, 35.0, 0.0)
    t = blk.add_text("# 7", dxfattribs={"insert": ocs.from_wcs(p), "extrusion": (0, 0, -1)})
    a = blk.add_attdef("PIECE_NAME", ocs.from_wcs(p), dxfattribs={"extrusion": (0, 0, -1)})
    up = blk.add_text("# 8", dxfattribs={"insert": p})
    for e in (t, a, up):
        ent = from_ezdxf_entity(e, 0.1)
        assert (ent.x, ent.y) == pytest.approx((120.0, 35.0))


def test_second_name_text_keeps_the_one_inside_and_says_so(tmp_path):
    """A name text outside every piece goes to the nearest piece, but never displaces the name
    written inside it; the one not used is reported, naming the piece and both texts."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_text("Piece Name: OUTER", dxfattribs={"insert": (-80, 20), "height": 10})  # first in the file
    msp.add_lwpolyline(RECT, close=True)
    msp.add_text("Piece Name: INNER", dxfattribs={"insert": (40, 20), "height": 10})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.name == "INNER"
    (w,) = [w for w in pat.report.warnings if "second 'name' text" in w.message]
    assert "'INNER' kept" in w.message and "'OUTER' not used" in w.message
    assert w.piece == "INNER" and "TEXT" in (w.entity or "")


def test_minsert_grid_places_every_copy(tmp_path):
    """A MINSERT (a block placed as a grid of rows x columns) is every copy of the grid: a plain
    drawing gets a piece per cell, an AAMA piece block counts each cell as an INSERT."""
    plain = ezdxf.new("R2010")
    plain.header["$INSUNITS"] = 4
    blk = plain.blocks.new("SQ")
    blk.add_lwpolyline([(0, 0), (100, 0), (100, 100), (0, 100)], close=True)
    blk.add_text("Piece Name: SQ", dxfattribs={"insert": (50, 50)})
    plain.modelspace().add_blockref("SQ", (0, 0)).grid(size=(2, 3), spacing=(200, 250))
    pat = read_pattern(save(plain, tmp_path, "plain.dxf"))
    corners = sorted(tuple(np.round(np.asarray(p.outline).min(axis=0))) for p in pat.pieces)
    assert [p.name for p in pat.pieces] == ["SQ"] * 6
    assert corners == sorted((c * 250.0, r * 200.0) for r in range(2) for c in range(3))

    doc = aama_doc()
    add_piece(doc, "A_M", [RECT], closed=True, texts=["Piece Name: A", "Size: M"], inserts=0)
    add_piece(doc, "B_M", [RECT], closed=True, texts=["Piece Name: B", "Size: M"])
    doc.modelspace().add_blockref("A_M", (0, 0)).grid(size=(1, 3), spacing=(0, 200))
    pat = both(save(doc, tmp_path, "aama.dxf"))
    assert sorted((p.name, p.quantity) for p in pat.pieces) == [("A", 3), ("B", 1)]


# -- an outline drawn twice -------------------------------------------------------------------------
TWIN_PIECE = [(0, 0), (300, 0), (300, 200), (150, 260), (0, 200)]


def test_same_ring_ignores_start_direction_and_vertices_only():
    from kitcut.formats.reading.outline import same_ring

    a = np.array(TWIN_PIECE, float)
    b = np.roll(a, 2, axis=0)[::-1]  # another start, the other way round
    ends = zip(a, np.roll(a, -1, axis=0), strict=True)
    dense = np.concatenate([np.linspace(p, q, 5, endpoint=False) for p, q in ends])
    assert same_ring(a, b, 0.2) and same_ring(a, dense, 0.2)
    assert not same_ring(a, a + (0.5, 0.0), 0.2)  # half a millimetre off: two lines
    graded = (a - a.mean(axis=0)) * 1.01 + a.mean(axis=0)  # the next size up
    assert not same_ring(a, graded, 0.2)


@pytest.mark.parametrize("how", ["same layer", "as lines", "plot layer", "reversed"])
def test_plain_outline_drawn_twice_is_one_piece(tmp_path, how):
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(TWIN_PIECE, close=True, dxfattribs={"layer": "CUT"})
    if how == "same layer":
        msp.add_lwpolyline(TWIN_PIECE, close=True, dxfattribs={"layer": "CUT"})
    elif how == "as lines":
        for p, q in zip(TWIN_PIECE, TWIN_PIECE[1:] + TWIN_PIECE[:1], strict=True):
            msp.add_line(p, q, dxfattribs={"layer": "CUT"})
    elif how == "plot layer":
        msp.add_lwpolyline(TWIN_PIECE, close=True, dxfattribs={"layer": "PLOT"})
    else:
        msp.add_lwpolyline((TWIN_PIECE[2:] + TWIN_PIECE[:2])[::-1], close=True, dxfattribs={"layer": "CUT"})
    msp.add_text("Piece Name: FRONT", dxfattribs={"insert": (100, 100), "layer": "CUT"})
    msp.add_line((150, 0), (150, 6), dxfattribs={"layer": "CUT"})  # a notch
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.name == "FRONT" and p.area == pytest.approx(Polygon(TWIN_PIECE).area)
    assert len(p.notches) == 1
    (w,) = [w for w in pat.report.warnings if "read as one piece" in w.message]
    assert w.piece == "FRONT"


@pytest.mark.parametrize("texts", [True, False])
def test_plain_stacked_sizes_drawn_alike_stay_apart(tmp_path, texts):
    """A stacked graded nest draws an ungraded piece once per size at the same place, on the
    layers that also hold the graded pieces, with or without its own Size text: those are
    pieces of their own, not one outline drawn twice."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for k, size in enumerate(("S", "M", "L")):
        msp.add_lwpolyline(TWIN_PIECE, close=True, dxfattribs={"layer": size})
        w = 400 + 20 * k  # a graded front
        front = [(0, 400), (w, 400), (w, 400 + w), (0, 400 + w)]
        msp.add_lwpolyline(front, close=True, dxfattribs={"layer": size})
        if texts:
            msp.add_text("Piece Name: POCKET", dxfattribs={"insert": (100, 100), "layer": size})
            msp.add_text(f"Size: {size}", dxfattribs={"insert": (100, 60), "layer": size})
    pat = read_pattern(save(doc, tmp_path))
    assert len(pat.pieces) == 6
    if texts:
        assert sorted(p.size for p in pat.pieces if p.name == "POCKET") == ["L", "M", "S"]
    assert not [w for w in pat.report.warnings if "read as one piece" in w.message]


def test_aama_cut_line_and_cut_out_drawn_twice(tmp_path):
    hole = [(40, 20), (60, 20), (60, 30), (40, 30)]

    def holes(blk):
        for _ in range(2):
            blk.add_polyline2d(hole, close=True, dxfattribs={"layer": "1"})

    doc = aama_doc()
    add_piece(doc, "A_M", [RECT, RECT[1:] + RECT[:1]], closed=True, texts=["Piece Name: A", "Size: M"],
              extra=holes)
    pat = both(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.area == pytest.approx(100 * 50 - 20 * 10)
    said = [w.message for w in pat.report.warnings]
    assert "the cut line is drawn twice: the second copy is not used" in said
    assert "a cut-out traces the outline or another cut-out again: not used" in said


def test_fills_only_drawing_reads_the_fill_boundaries(tmp_path):
    """Some drawing programs export pieces as filled shapes (HATCH) with no outline: when a
    drawing has no lines at all, the fill boundaries are the outlines (reported); a hole in a
    fill is a cut-out. With lines present, fills are skipped as before."""
    import math

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    front = msp.add_hatch(dxfattribs={"layer": "FRONT"})
    front.paths.add_polyline_path([(0, 0), (300, 0), (300, 200), (0, 200)], is_closed=True)
    front.paths.add_polyline_path([(100, 50), (150, 50), (150, 100), (100, 100)], is_closed=True)
    back = msp.add_hatch(dxfattribs={"layer": "BACK"})
    edges = back.paths.add_edge_path()
    edges.add_line((500, 0), (800, 0))
    edges.add_arc((650, 0), 150, 0, 180)
    msp.add_text("Piece Name: Front", dxfattribs={"insert": (30, 30), "layer": "FRONT"})
    pat = read_pattern(save(doc, tmp_path, "fills.dxf"))
    got = {p.name: p for p in pat.pieces}
    assert set(got) == {"Front", "BACK"}
    assert got["Front"].area == pytest.approx(300 * 200 - 50 * 50) and len(got["Front"].cutouts) == 1
    assert got["BACK"].area == pytest.approx(math.pi * 150**2 / 2, rel=2e-3)
    assert any("only fills" in w.message for w in pat.report.warnings)

    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True, dxfattribs={"layer": "FRONT"})
    pat = read_pattern(save(doc, tmp_path, "lines.dxf"))
    assert [p.name for p in pat.pieces] == ["Front"] and len(pat.pieces[0].cutouts) == 0
    assert not any("only fills" in w.message for w in pat.report.warnings)


def test_plot_layer_copying_several_outlines_is_read_once(tmp_path):
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    back = [(600 + x, y) for x, y in TWIN_PIECE[::-1]]
    for layer in ("CUT", "PLOT"):
        msp.add_lwpolyline(TWIN_PIECE, close=True, dxfattribs={"layer": layer})
        msp.add_lwpolyline(back, close=True, dxfattribs={"layer": layer})
    msp.add_text("Piece Name: FRONT", dxfattribs={"insert": (100, 100), "layer": "CUT"})
    msp.add_text("Piece Name: BACK", dxfattribs={"insert": (700, 100), "layer": "CUT"})
    pat = read_pattern(save(doc, tmp_path))
    assert sorted(p.name for p in pat.pieces) == ["BACK", "FRONT"]
    assert len([w for w in pat.report.warnings if "again on layer" in w.message]) == 2


def test_pieces_on_hidden_layers_are_read_and_reported(tmp_path):
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    doc.layers.add("Old").off()
    doc.layers.add("FROZ").freeze()
    msp = doc.modelspace()
    for k, layer in enumerate(("CUT", "OLD", "FROZ")):  # entity layer names in any case
        x = 500.0 * k
        msp.add_lwpolyline([(x, 0), (x + 300, 0), (x + 300, 200), (x, 200)], close=True,
                           dxfattribs={"layer": layer})
    pat = read_pattern(save(doc, tmp_path))
    assert sorted(p.name for p in pat.pieces) == ["CUT", "FROZ", "OLD"]
    (w,) = [w for w in pat.report.warnings if "turned off or frozen" in w.message]
    assert w.message.startswith("2 piece(s) lie on layers turned off or frozen in the drawing (FROZ, OLD)")


def test_label_of_several_lines_gives_every_field(tmp_path):
    """One MTEXT holding the whole label (``Piece Name``, ``Size``, ``Quantity``... one per
    paragraph, with formatting codes) sets each field, in a plain drawing and in an AAMA block;
    a line without a key continues the field before it."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(RECT, close=True)
    msp.add_lwpolyline([(x + 200, y) for x, y in RECT], close=True)
    msp.add_mtext("Piece Name: FRONT\\PSize: M\\PQuantity: 1,1\\PAnnotation: cut on fold\\Pkeep nap",
                  dxfattribs={"insert": (10, 40), "char_height": 5})
    msp.add_mtext("{\\fArial|b1;PIECE NAME: BACK}\\PSIZE: M\\PQUANTITY: 2",
                  dxfattribs={"insert": (210, 40), "char_height": 5})
    pat = read_pattern(save(doc, tmp_path, "plain.dxf"))
    got = sorted((p.name, p.size, p.quantity, p.flipped, p.annotations) for p in pat.pieces)
    assert got == [("BACK", "M", 2, None, ()), ("FRONT", "M", 2, 1, ("cut on fold\nkeep nap",))]
    assert not pat.report.warnings

    doc = ezdxf.new("R2010")
    doc.modelspace().add_text("Units: METRIC", dxfattribs={"layer": "1"})
    blk = doc.blocks.new("CUFF_M")
    blk.add_lwpolyline(RECT, close=True, dxfattribs={"layer": "1"})
    blk.add_mtext("Piece Name: Cuff\\PSize: M\\PQuantity: 4", dxfattribs={"layer": "1", "insert": (10, 40)})
    doc.modelspace().add_blockref("CUFF_M", (0, 0))
    (p,) = read_dxf(save(doc, tmp_path, "aama.dxf")).pieces
    assert (p.name, p.size, p.quantity) == ("Cuff", "M", 4)


@pytest.mark.parametrize("text, want", [
    ("2", (2, None)), ("1,1", (2, 1)), ("2 pcs", (2, None)), ("2 Stk.", (2, None)), ("x2", (2, None)),
    ("2X", (2, None)), ("1+1", (2, 1)), ("4 (2 pairs)", (4, None)), ("2.0", (2, None)),
    ("2.5", None), ("1/1", None), ("two", None),
])
def test_quantity_texts_as_pattern_makers_write_them(tmp_path, text, want):
    """A count with a unit, times, a remark in brackets or ``a+b`` is read; anything else (a
    fraction of a piece included) is reported and 1 assumed, never truncated silently."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(RECT, close=True)
    msp.add_text("Piece Name: Cuff", dxfattribs={"insert": (10, 30)})
    msp.add_text(f"Quantity: {text}", dxfattribs={"insert": (10, 10)})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    if want is None:
        assert (p.quantity, p.flipped) == (1, None)
        assert [w.message for w in pat.report.warnings] == [f"unreadable Quantity text {text!r}: 1 assumed"]
    else:
        assert (p.quantity, p.flipped) == want
        assert not pat.report.warnings


def test_plain_pieces_labelled_by_block_attributes(tmp_path):
    """Pieces drawn as one block, each INSERT labelled by its attribute values (PIECE_NAME,
    QUANTITY, SIZE): every piece takes its own; an attribute left empty is no value."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    blk = doc.blocks.new("PIECE")
    blk.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    for k, tag in enumerate(("PIECE_NAME", "QUANTITY", "SIZE")):
        blk.add_attdef(tag, (50, 150 - 40 * k), dxfattribs={"height": 10})
    msp = doc.modelspace()
    for i, (name, qty) in enumerate([("FRONT", "2"), ("BACK", ""), ("YOKE", "1,1")]):
        ref = msp.add_blockref("PIECE", (i * 400, 0), dxfattribs={"rotation": 90 * i})
        ref.add_auto_attribs({"PIECE_NAME": name, "QUANTITY": qty, "SIZE": "M"})
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((p.name, p.size, p.quantity, p.flipped) for p in pat.pieces)
    assert got == [("BACK", "M", 1, None), ("FRONT", "M", 2, None), ("YOKE", "M", 2, 1)]
    assert [w.message for w in pat.report.warnings] == ["no Quantity text: quantity 1 assumed for BACK"]


def _frame_doc(frame_layer="0", names=True, frame=((-50, -50), (1500, -50), (1500, 800), (-50, 800))):
    """A plain drawing: FRONT (with a 40 mm hole) and BACK inside a closed frame."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(frame, close=True, dxfattribs={"layer": frame_layer})
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    msp.add_lwpolyline([(200, 50), (240, 50), (240, 90), (200, 90)], close=True)
    msp.add_lwpolyline([(400, 0), (700, 0), (700, 500), (400, 500)], close=True)
    if names:
        msp.add_text("Piece Name: FRONT", dxfattribs={"insert": (50, 100)})
        msp.add_text("Piece Name: BACK", dxfattribs={"insert": (450, 100)})
    msp.add_text("Style 42, sheet 1/1", dxfattribs={"insert": (1000, 700)})
    return doc


@pytest.mark.parametrize("how", ["rectangle", "frame layer", "named pieces"])
def test_drawing_frame_around_the_pieces_is_not_a_piece(tmp_path, how):
    """A border or fabric rectangle drawn around the pieces was one huge piece with every real
    piece a cut-out. It is a frame when the rings in it carry names of their own, when its layer
    is named like a frame, or when it is a rectangle around pieces covering a quarter of it or
    more; the pieces in it keep their own cut-outs, and the frame is reported."""
    if how == "rectangle":  # no names at all, as in a cutter drawing
        doc = _frame_doc(names=False, frame=((-50, -50), (900, -50), (900, 600), (-50, 600)))
    elif how == "frame layer":
        doc = _frame_doc("Rahmen", frame=((-50, -50), (1500, -50), (1500, 900), (800, 800), (-50, 900)))
    else:
        doc = _frame_doc(frame=((-50, -50), (1500, -50), (1500, 900), (800, 800), (-50, 900)))
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((round(p.area), len(p.cutouts)) for p in pat.pieces)
    assert got == [(60000 - 1600, 1), (150000, 0)]
    if how != "rectangle":
        assert sorted(p.name for p in pat.pieces) == ["BACK", "FRONT"]
    (w,) = [w.message for w in pat.report.warnings if "frame" in w.message]
    assert "drawn around 2 piece(s)" in w and "taken for a drawing frame, not cut" in w


def test_panel_with_holes_is_not_a_frame(tmp_path):
    """A rectangular panel with two small slots (and no texts), and a named rectangle holding
    named-less holes, stay pieces with their cut-outs."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (400, 0), (400, 300), (0, 300)], close=True)
    for x in (60, 260):
        msp.add_lwpolyline([(x, 220), (x + 80, 220), (x + 80, 250), (x, 250)], close=True)
    msp.add_lwpolyline([(500, 0), (900, 0), (900, 300), (500, 300)], close=True)
    msp.add_text("Piece Name: BAG", dxfattribs={"insert": (520, 20)})
    for x in (520, 720):
        msp.add_lwpolyline([(x, 60), (x + 160, 60), (x + 160, 200), (x, 200)], close=True)
    pat = read_pattern(save(doc, tmp_path))
    assert sorted((round(p.area), len(p.cutouts)) for p in pat.pieces) == [
        (120000 - 2 * 22400, 2), (120000 - 2 * 2400, 2)]
    assert not [w for w in pat.report.warnings if "frame" in w.message]


@pytest.mark.parametrize("sew_layer", ["SEW", "Stitch line", "Nahtlinie", "14"])
def test_sew_line_on_its_own_layer_is_not_a_second_piece(tmp_path, sew_layer):
    """Cut line on one layer, sew line 10 mm inside on a layer named for it: one piece with its
    sew line (it was a second piece, cut as well). A graded smaller size on a size layer, and a
    large ring on a sew layer that does not run along the cut line, stay pieces."""
    from shapely.geometry import Polygon as P

    outer = [(0, 0), (300, 0), (320, 200), (0, 220)]
    inner = list(P(outer).buffer(-10, join_style="mitre").exterior.coords)[:-1]
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(outer, close=True, dxfattribs={"layer": "CUT"})
    msp.add_lwpolyline(inner, close=True, dxfattribs={"layer": sew_layer})
    msp.add_text("Piece Name: FRONT", dxfattribs={"insert": (50, 100), "layer": "CUT"})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.name == "FRONT" and p.area == pytest.approx(P(outer).area) and len(p.sew_lines) == 1

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(outer, close=True, dxfattribs={"layer": "M"})
    msp.add_lwpolyline([(x * 0.95, y * 0.95) for x, y in outer], close=True, dxfattribs={"layer": "S"})
    off = [(10, 10), (230, 10), (230, 190), (10, 190)]  # 61 % of the piece, 70 mm off its right edge
    msp.add_lwpolyline(off, close=True, dxfattribs={"layer": sew_layer})
    pat = read_pattern(save(doc, tmp_path, "graded.dxf"))
    assert len(pat.pieces) == 3 and not any(p.sew_lines for p in pat.pieces)


@pytest.mark.parametrize("name_key, qty_key", [
    ("Piece Name", "Quantity"), ("Piece", "Qty"), ("Part", "Copies"), ("PART_NAME", "Cut Quantity"),
    ("Pattern piece", "Pcs")])
def test_label_keys_other_cads_write(tmp_path, name_key, qty_key):
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(RECT, close=True)
    msp.add_mtext(f"{name_key}: Cuff\\P{qty_key}: 3", dxfattribs={"insert": (10, 40)})
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    assert (p.name, p.quantity) == ("Cuff", 3)


def test_circles_on_a_drill_layer_are_drill_marks(tmp_path):
    """A drill mark drawn as a small circle on a drill layer is a drill hole at its centre
    (its diameter kept), not a cut-out; a circle on another layer is still cut out."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    msp.add_circle((150, 60), 3, dxfattribs={"layer": "DRILL"})
    msp.add_circle((-150, 40), 2, dxfattribs={"layer": "Bohrung", "extrusion": (0, 0, -1)})  # turned over
    msp.add_circle((60, 150), 20)
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    assert sorted((d.x, d.y, d.diameter) for d in p.drills) == [(150.0, 40.0, 4.0), (150.0, 60.0, 6.0)]
    assert len(p.cutouts) == 1


def test_v_and_t_notches_drawn_as_lines(tmp_path):
    """A V notch drawn as two short lines (or one polyline) from the cut line to a tip is one V
    notch at the middle of its mouth, cutting to the tip; a slit with a short bar across its
    inner end is a T notch. Neither becomes an internal line or the grain line."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    msp.add_line((100, 0), (100, 6))  # a slit
    msp.add_line((197, 0), (200, 6))  # a V of two lines
    msp.add_line((203, 0), (200, 6))
    msp.add_lwpolyline([(300, 97), (294, 100), (300, 103)])  # a V as one polyline
    msp.add_line((0, 100), (6, 100))  # a T: slit and bar
    msp.add_line((6, 97), (6, 103))
    msp.add_line((150, 50), (150, 150))  # the grain line
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    got = sorted((round(n.x, 6), round(n.y, 6), round(n.angle_deg, 6) % 360, n.kind, round(n.depth, 6),
                  round(n.width, 6)) for n in p.notches)
    assert got == [(0.0, 100.0, 0.0, "t", 6.0, 0.0), (100.0, 0.0, 90.0, "slit", 6.0, 0.0),
                   (200.0, 0.0, 90.0, "v", 6.0, 6.0), (300.0, 100.0, 180.0, "v", 6.0, 6.0)]
    assert not p.internal_lines
    assert p.grain is not None
    assert np.allclose(sorted(map(tuple, p.grain.points.tolist())), [(150, 50), (150, 150)])


@pytest.mark.parametrize("layer", ["0", "GRAIN"])
@pytest.mark.parametrize("style", ["legs", "polyline"])
def test_grain_line_drawn_with_arrowheads(tmp_path, layer, style):
    """A grain line with arrowheads (four short legs, or one polyline through them) runs along
    its shaft: it was the chord from the first to the last point (4.4 degrees off here), or
    no grain at all with the legs read as internal lines. A corner mark (an L) is no arrow."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 400), (0, 400)], close=True)
    at = {"layer": layer}
    if style == "legs":
        msp.add_line((150, 50), (150, 350), dxfattribs=at)
        for a, b in [((150, 350), (140, 330)), ((150, 350), (160, 330)), ((150, 50), (140, 70)),
                     ((150, 50), (160, 70))]:
            msp.add_line(a, b, dxfattribs=at)
    else:
        msp.add_lwpolyline([(140, 70), (150, 50), (160, 70), (150, 50), (150, 350), (140, 330), (150, 350),
                            (160, 330)], dxfattribs=at)
    msp.add_line((30, 300), (30, 380), dxfattribs={"layer": "MARKS"})  # an L: not an arrow
    msp.add_line((30, 380), (45, 380), dxfattribs={"layer": "MARKS"})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.grain is not None
    assert np.allclose(sorted(map(tuple, p.grain.points.tolist())), [(150, 50), (150, 350)])
    assert len(p.internal_lines) == 1 and len(p.internal_lines[0].points) == 3  # the L, whole


def test_aama_grain_polyline_with_arrowheads(tmp_path):
    doc = aama_doc()
    arrow = [(40, 15), (50, 10), (40, 5), (50, 10), (10, 10), (20, 15), (10, 10), (20, 5)]
    add_piece(doc, "A_M", [RECT], closed=True, texts=["Piece Name: A"],
              extra=lambda b: b.add_polyline2d(arrow, dxfattribs={"layer": "7"}))
    (p,) = both(save(doc, tmp_path)).pieces
    assert p.grain is not None and abs(p.grain.angle_deg) % 180 == pytest.approx(0.0)
    assert np.allclose(sorted(map(tuple, p.grain.points.tolist())), [(10, 10), (50, 10)])


def test_title_block_in_the_frame_is_not_a_piece(tmp_path):
    """A title block (a rectangle with texts, in the frame's corner) goes with the frame; an
    unnamed piece without texts laid against the frame (a cutter drawing's selvedge) stays."""
    doc = _frame_doc()
    msp = doc.modelspace()
    msp.add_lwpolyline([(1100, -50), (1500, -50), (1500, 100), (1100, 100)], close=True)
    msp.add_line((1100, 25), (1500, 25))
    msp.add_text("Title: STYLE 42", dxfattribs={"insert": (1120, 60)})
    pat = read_pattern(save(doc, tmp_path))
    assert sorted(p.name for p in pat.pieces) == ["BACK", "FRONT"]
    assert any("a title block" in w.message for w in pat.report.warnings)

    doc = _frame_doc(names=False, frame=((-50, -50), (900, -50), (900, 600), (-50, 600)))
    doc.modelspace().add_lwpolyline([(750, -50), (900, -50), (900, 300), (750, 300)], close=True)
    pat = read_pattern(save(doc, tmp_path, "selvedge.dxf"))
    assert sorted(round(p.area) for p in pat.pieces) == [52500, 60000 - 1600, 150000]


@pytest.mark.parametrize("insunits, text, side, want", [
    (6, "METRIC", 100, "mm"),  # ezdxf's default $INSUNITS (metres) under an AAMA mm pattern
    (4, "ENGLISH", 10, "in"),  # a template's mm under an inch pattern: the inches are plausible
    (1, "METRIC", 150, "mm"),  # both plausible (150 mm, 3.8 m): the Units text, which the CAD wrote
])
def test_insunits_and_units_text_disagree(tmp_path, insunits, text, side, want):
    """When $INSUNITS and the Units text disagree, the unit under which the pieces are of
    garment size wins, else the Units text; the warning says which and why."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = insunits
    doc.modelspace().add_text(f"Units: {text}", dxfattribs={"layer": "1"})
    blk = doc.blocks.new("A_M")
    rect = [(0, 0), (side, 0), (side, side / 2), (0, side / 2)]
    blk.add_lwpolyline(rect, close=True, dxfattribs={"layer": "1"})
    blk.add_text("Piece Name: A", dxfattribs={"layer": "1"})
    doc.modelspace().add_blockref("A_M", (0, 0))
    pat = read_dxf(save(doc, tmp_path))
    assert pat.units_in == want
    mm = {"mm": 1.0, "in": 25.4}[want]
    assert pat.pieces[0].area == pytest.approx(side * side / 2 * mm * mm)
    (w,) = [w.message for w in pat.report.warnings if "$INSUNITS says" in w.message]
    assert f"{want} used" in w


@pytest.mark.parametrize("insunits, want", [(6, "mm"), (1, "mm"), (4, "mm"), (5, "cm")])
def test_header_unit_that_makes_pieces_absurd_is_not_believed(tmp_path, insunits, want):
    """A plain drawing of a 300 x 200 piece whose $INSUNITS says metres (ezdxf's default) or
    inches (a template's) would be 300 m or 7.6 m long: the size check decides, and says so;
    --units still overrides. A header that gives a plausible size is kept (cm: 3 m)."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = insunits
    doc.modelspace().add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    path = save(doc, tmp_path)
    pat = read_pattern(path)
    assert pat.units_in == want
    assert pat.units_rule == ("size check" if insunits in (6, 1) else "$INSUNITS")
    assert any("give --units" in w.message for w in pat.report.warnings) == (insunits in (6, 1))
    assert read_pattern(path, units="m").units_in == "m"


def test_plain_outline_with_sub_millimetre_gaps(tmp_path):
    """A plain outline whose lines leave 0.4 mm gaps closes (reported); a pocket mark inside a
    piece with the same gaps stays open lines, never a cut-out."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    def gappy_rect(x0, y0, x1, y1):
        for a, b in [((x0, y0), (x1, y0)), ((x1, y0 + 0.4), (x1, y1)), ((x1, y1), (x0, y1)),
                     ((x0, y1), (x0, y0 + 0.4))]:
            msp.add_line(a, b)

    gappy_rect(0, 0, 300, 200)
    gappy_rect(50, 50, 150, 150)
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.area == pytest.approx(60000.0, abs=0.2) and not p.cutouts
    assert len(p.internal_lines) >= 1
    assert sum("over the tolerance 0.1 mm" in r.message for r in pat.report.repairs) == 2


NEST_BASE = np.array([(0, 0), (300, 0), (320, 200), (150, 260), (0, 220)], float)


@pytest.mark.parametrize("origin", ["corner", "centre"])
def test_graded_nest_on_one_layer_is_one_piece_per_size(tmp_path, origin):
    """Sizes S, M, L drawn one inside the other on one layer (graded from a common corner, so
    they share two edges, or from the centre, so the smaller ones run inside the larger) with
    one Size text each: three pieces, the largest outline the largest size, the name and
    quantity shared, each size with its own notch, drill and grain line."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    c = NEST_BASE.mean(axis=0) if origin == "centre" else np.zeros(2)
    for k, size in enumerate(["M", "S", "L"]):  # drawn in any order
        f = {"S": 1.0, "M": 1.04, "L": 1.08}[size]
        msp.add_lwpolyline(((NEST_BASE - c) * f + c).tolist(), close=True)
        x0 = (100 - c[0]) * f + c[0]
        y0 = (0 - c[1]) * f + c[1]
        msp.add_line((x0, y0), (x0, y0 + 5))
        msp.add_point((x0, y0 + 40), dxfattribs={"layer": "DRILL"})
        msp.add_line(*(((np.array(q) - c) * f + c).tolist() for q in ((200, 60), (200, 180))),
                     dxfattribs={"layer": "GRAIN"})
        msp.add_text(f"Size: {size}", dxfattribs={"insert": (140, 100 + 12 * k)})
    msp.add_text("Piece Name: FRONT", dxfattribs={"insert": (140, 150)})
    msp.add_text("Quantity: 2", dxfattribs={"insert": (140, 170)})
    pat = read_pattern(save(doc, tmp_path))
    got = {p.size: p for p in pat.pieces}
    assert sorted(got) == ["L", "M", "S"] and all(p.name == "FRONT" and p.quantity == 2 for p in pat.pieces)
    base = Polygon(NEST_BASE).area
    for size, f in (("S", 1.0), ("M", 1.04), ("L", 1.08)):
        p = got[size]
        assert p.area == pytest.approx(base * f * f)
        x0, y0 = (np.array([100, 0]) - c) * f + c
        assert [(round(n.x, 6), round(n.y, 6)) for n in p.notches] == [(round(x0, 6), round(y0, 6))]
        assert len(p.drills) == 1 and p.drills[0].x == pytest.approx(x0)
        want = sorted(map(tuple, ((np.array([(200, 60), (200, 180)]) - c) * f + c).tolist()))
        assert np.allclose(sorted(map(tuple, p.grain.points.tolist())), want)
    assert any("read as a graded nest" in w.message for w in pat.report.warnings)
    assert not any("second 'size'" in w.message for w in pat.report.warnings)


def test_piece_with_its_sew_line_and_one_size_is_no_nest(tmp_path):
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(NEST_BASE.tolist(), close=True)
    sew = list(Polygon(NEST_BASE).buffer(-10, join_style="mitre").exterior.coords)[:-1]
    msp.add_lwpolyline(sew, close=True)
    msp.add_text("Size: M", dxfattribs={"insert": (140, 100)})
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    assert p.size == "M" and len(p.sew_lines) == 1


def test_graded_nest_mark_that_does_not_divide_is_reported(tmp_path):
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    c = NEST_BASE.mean(axis=0)
    for k, (size, f) in enumerate((("S", 1.0), ("M", 1.05))):
        msp.add_lwpolyline(((NEST_BASE - c) * f + c).tolist(), close=True)
        msp.add_text(f"Size: {size}", dxfattribs={"insert": (140, 100 + 12 * k)})
    msp.add_point((150, 60), dxfattribs={"layer": "DRILL"})  # one drill for two sizes
    pat = read_pattern(save(doc, tmp_path))
    assert sorted((p.size, len(p.drills)) for p in pat.pieces) == [("M", 1), ("S", 1)]
    assert any("1 point(s) of a graded nest could belong to several sizes" in w.message
               for w in pat.report.warnings)


def test_label_in_the_hole_of_a_ring_shaped_piece_is_the_piece_s(tmp_path):
    """A circle skirt labelled at its centroid, which lies in its waist hole: the skirt with its
    waist cut out, named by that label; no frame."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_circle((0, 0), 600)
    msp.add_circle((0, 0), 110)
    msp.add_text("Piece Name: SKIRT", dxfattribs={"insert": (-40, 0)})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.name == "SKIRT" and len(p.cutouts) == 1
    assert p.area == pytest.approx(math.pi * (600**2 - 110**2), rel=1e-3)
    assert not [w for w in pat.report.warnings if "frame" in w.message]


def test_spline_fit_polyline_reads_its_fit_points_not_its_control_frame(tmp_path):
    """A POLYLINE smoothed into a spline (PEDIT) keeps its control frame as vertices flagged 16:
    they are not on the curve. The outline is the fit points, in both readers and in plain DXF
    (the frame made a self-intersecting outline of five times the area)."""
    def spline_fit(layout, layer):
        pl = layout.add_polyline2d(RECT, close=True, dxfattribs={"layer": layer, "flags": 1 | 4})
        for v in pl.vertices:
            v.dxf.flags = 8  # fitted
        for xy in [(-50, -50), (150, -50), (150, 100), (-50, 100)]:
            pl.append_vertex(xy, dxfattribs={"flags": 16})  # the control frame

    doc = aama_doc()
    add_piece(doc, "A_M", [], texts=["Piece Name: A"], extra=lambda b: spline_fit(b, "1"))
    (p,) = both(save(doc, tmp_path, "aama.dxf")).pieces
    assert p.area == pytest.approx(5000.0)
    doc = ezdxf.new("R12")
    spline_fit(doc.modelspace(), "0")
    (p,) = read_pattern(save(doc, tmp_path, "plain.dxf"), units="mm").pieces
    assert p.area == pytest.approx(5000.0)


def test_centred_text_stands_at_its_alignment_point(tmp_path):
    """A centred TEXT whose writer left the insertion point at the origin names the piece its
    alignment point is in (it named the piece nearest the origin, and the other was unnamed);
    the AAMA readers place grade-rule labels the same way."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    msp.add_lwpolyline([(400, 0), (700, 0), (700, 200), (400, 200)], close=True)
    for x, name in ((150, "LEFT"), (550, "RIGHT")):
        t = msp.add_text(f"Piece Name: {name}")
        t.dxf.halign, t.dxf.valign, t.dxf.align_point, t.dxf.insert = 1, 2, (x, 100), (0, 0)
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((p.name, float(p.outline[:, 0].min())) for p in pat.pieces)
    assert got == [("LEFT", 0.0), ("RIGHT", 400.0)]

    from kitcut.formats.reading.dxf_fast import from_ezdxf_entity, parse_fast

    doc = aama_doc()
    blk = add_piece(doc, "A_M", [RECT], closed=True, texts=["Piece Name: A"])
    t = blk.add_text("# 5", dxfattribs={"layer": "1"})
    t.dxf.halign, t.dxf.align_point, t.dxf.insert = 2, (100, 50), (0, 0)
    fast = parse_fast(save(doc, tmp_path, "aama.dxf").read_bytes())
    label = next(e for e in fast.blocks["A_M"] if e.text == "# 5")
    slow = from_ezdxf_entity(t, 0.1)
    assert (label.x, label.y) == (100.0, 50.0) == (slow.x, slow.y)


def test_plain_piece_drawn_as_a_block_takes_the_block_name(tmp_path):
    """A piece drawn as a block reference with no name text takes the block's name (it was
    '0#1'); a name text wins; a block drawing two pieces, or an anonymous one, names neither."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    square = [(0, 0), (300, 0), (300, 200), (0, 200)]
    for i, name in enumerate(["FRONT", "BACK"]):
        blk = doc.blocks.new(name)
        blk.add_lwpolyline(square, close=True)
        blk.add_lwpolyline([(100, 50), (140, 50), (140, 90), (100, 90)], close=True)  # a hole
        msp.add_blockref(name, (i * 400, 0))
    named = doc.blocks.new("B3")
    named.add_lwpolyline(square, close=True)
    named.add_text("Piece Name: YOKE", dxfattribs={"insert": (20, 20)})
    msp.add_blockref("B3", (800, 0))
    pair = doc.blocks.new("PAIR")
    pair.add_lwpolyline(square, close=True)
    pair.add_lwpolyline([(x + 350, y) for x, y in square], close=True)
    msp.add_blockref("PAIR", (0, 400))
    pat = read_pattern(save(doc, tmp_path))
    names = sorted(p.name for p in pat.pieces)
    assert names == ["0#4", "0#5", "BACK", "FRONT", "YOKE"]  # the pair's pieces keep their keys
    assert all(len(p.cutouts) == 1 for p in pat.pieces if p.name in ("FRONT", "BACK"))


@pytest.mark.parametrize("layer", ["FOLD", "Mirror line", "Stoffbruch", "pliure", "6"])
def test_plain_half_piece_on_a_fold_layer_is_unfolded(tmp_path, layer):
    """A back drawn as a half with its fold line on a fold layer along the cut line: unfolded
    into the whole back (it was nested as the half, and half the back was missing from the kit);
    --keep-folded keeps the half. A line on such a layer inside the piece stays a line."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    half = [(0, 0), (150, 0), (170, 300), (0, 320)]
    msp.add_lwpolyline(half, close=True)
    msp.add_line((0, 0), (0, 320), dxfattribs={"layer": layer})
    msp.add_line((80, 40), (80, 280), dxfattribs={"layer": layer})  # not along the cut line
    msp.add_text("Piece Name: BACK", dxfattribs={"insert": (40, 100)})
    path = save(doc, tmp_path)
    (p,) = read_pattern(path).pieces
    assert p.folded and p.unfolded and p.area == pytest.approx(2 * Polygon(half).area)
    assert np.allclose(sorted(map(tuple, p.fold_line.points.tolist())), [(0, 0), (0, 320)])
    (q,) = read_pattern(path, unfold=False).pieces
    assert q.folded and not q.unfolded and q.area == pytest.approx(Polygon(half).area)


@pytest.mark.parametrize("label, want", [
    ("Cut 2", (2, None)), ("CUT 1 PAIR", (2, 1)), ("cut 2 pairs", (4, 2)), ("Cut 1 on fold", (1, None)),
    ("Cut here", (1, None))])
def test_cut_n_labels_give_the_quantity(tmp_path, label, want):
    """``Cut 2``, ``CUT 1 PAIR`` (one as drawn and one mirrored) on a piece give its quantity
    when it has no Quantity text; other texts starting with Cut say nothing."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(RECT, close=True)
    msp.add_mtext(f"Piece Name: Cuff\\P{label}", dxfattribs={"insert": (10, 40)})
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    assert (p.quantity, p.flipped) == want


@pytest.mark.parametrize("layer, is_grain", [("GRAIN", True), ("Fadenlauf", True), ("droit-fil", True),
                                             ("linea de hilo", True), ("Linha do fio", True), ("纱向", True),
                                             ("profile", False)])
def test_grain_layer_names_in_the_languages_of_pattern_cad(layer, is_grain):
    from kitcut.formats.reading.plain_dxf import GRAIN_LAYER

    assert bool(GRAIN_LAYER.search(layer)) == is_grain
