"""Pattern DXF import on small hand-made files: chains, gaps, INSERT transforms, folds,
quantities, units rules, plain CAD drawings. Each file is written with ezdxf in the test."""

from __future__ import annotations

import math
from pathlib import Path

import ezdxf
import numpy as np
import pytest
from shapely.geometry import Polygon

from kitcut.errors import GeometryError, UnitsError
from kitcut.formats.reading.dxf_read import read_dxf
from kitcut.formats.reading.read import read_pattern
from kitcut.model import ImportReport

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
    assert "cut line is open: a gap of 1.500 mm at (0.0, 49.2), more than the 1 mm kitcut closes" in msg
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
    doc = aama_doc("MM")  # a 60 mm piece under METRIC would be read in cm (METRIC may be either)
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


def test_aama_drill_marks_drawn_as_crosses_are_drills_at_the_crossing(tmp_path):
    """Two short LINEs crossing at their middles on layer 13 were skipped as "lines on layers
    kitcut does not use"; they are a drill at the crossing point (placed by the INSERT), reported.
    A lone line on layer 13 is still skipped."""
    def extra(blk):
        for a, b in [((15, 30), (25, 30)), ((20, 25), (20, 35)), ((75, 15), (85, 25)), ((75, 25), (85, 15)),
                     ((50, 5), (50, 12))]:
            blk.add_line(a, b, dxfattribs={"layer": "13"})
        blk.add_point((50, 25, 0.0), dxfattribs={"layer": "13"})

    doc = aama_doc()
    add_piece(doc, "PK_M", [RECT], closed=True, texts=["Piece Name: Pocket", "Size: M"], extra=extra,
              insert=(1000, 500), rotation=90)
    pat = both(save(doc, tmp_path))
    (p,) = pat.pieces
    got = sorted((round(d.x, 6), round(d.y, 6)) for d in p.drills)
    assert got == [(970.0, 520.0), (975.0, 550.0), (980.0, 580.0)]  # (x, y) -> (1000 - y, 500 + x)
    assert ("warning", "2 drill mark(s) drawn as a cross of two short lines on layer 13: a drill at each "
            "crossing point") in {(e.kind, e.message) for e in pat.report.entries if e.piece == "Pocket (M)"}
    skipped = [e.message for e in pat.report.skipped]
    assert any("lines on layers kitcut does not use: 1 LINE on layer 13" in m for m in skipped)


def test_notches_off_the_cut_line_and_drills_off_the_piece_are_left_out(tmp_path):
    """A notch drawn 9 mm inside the cut line, one on the mirror line (inside the unfolded piece), a
    drill hole beside the piece and one in a cut-out: before, all were kept where drawn with no
    remark (the notch floated inside the piece, the drills would have been drilled into the next
    piece); now they are left out and reported with their places. A notch 1 mm off is moved."""
    def extra(blk):
        blk.add_line((0, 0), (0, 50), dxfattribs={"layer": "6"})
        for x, y in ((100, 25), (91, 40), (99, 10), (0, 20)):
            blk.add_point((x, y, -5.0), dxfattribs={"layer": "4"})
        blk.add_polyline2d([(40, 20), (60, 20), (60, 30), (40, 30)], close=True, dxfattribs={"layer": "11"})
        for x, y in ((20, 10), (150, 25), (50, 25)):
            blk.add_point((x, y, 0.0), dxfattribs={"layer": "13"})

    doc = aama_doc()
    add_piece(doc, "BK_M", rect_chain(stub=False), texts=["Piece Name: Back", "Size: M"], extra=extra)
    pat = both(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.unfolded
    assert sorted((round(n.x, 6), round(n.y, 6)) for n in p.notches) == [(-100, 10), (-100, 25), (100, 10),
                                                                          (100, 25)]
    assert sorted((d.x, d.y) for d in p.drills) == [(-20, 10), (20, 10)]
    notes = {(e.kind, e.message) for e in pat.report.entries if e.piece == "Back (M)"}
    assert ("warning", "1 notch(es) moved onto the cut line (up to 1.000 mm; on the drawn half, so their "
            "mirror images too)") in notes
    assert ("skipped", "2 notch(es) more than 2 mm off the cut line left out, 3 in the unfolded piece with "
            "their mirror images (a notch is cut into the cut line, it cannot be cut there): 9.000 mm off at "
            "(91.0, 40.0); 20.000 mm off at (0.0, 20.0)") in notes
    assert ("skipped", "4 drill hole(s) not on the piece left out (a hole there would be drilled into the "
            "next piece): at (150.0, 25.0), 50.0 mm outside the cut line; at (50.0, 25.0), 5.0 mm inside a "
            "cut-out; at (-150.0, 25.0), 50.0 mm outside the cut line; at (-50.0, 25.0), 5.0 mm inside a "
            "cut-out") in notes
    # kept as a half: the notch on the mirror line is on its cut line
    (h,) = read_pattern(save(doc, tmp_path), unfold=False).pieces
    assert sorted((round(n.x, 6), round(n.y, 6)) for n in h.notches) == [(0, 20), (100, 10), (100, 25)]



def test_notches_left_out_opposite_a_cut_line_notch_are_called_its_copies(tmp_path):
    """AccuMark exports with seam allowance list each seam's notch twice: on the cut line and on
    the sew line, 10 mm inside. The sew-line copy is left out (it cannot be cut there), and the
    remark used to read as if a notch were lost; now it says which of those left out lie
    opposite a notch the cut line has (that one is cut), and a lone notch inside is not one."""
    def extra(blk):
        blk.add_polyline2d([(10, 10), (90, 10), (90, 40), (10, 40)], close=True, dxfattribs={"layer": "14"})
        for x, y in ((100, 25), (90, 25), (50, 30)):  # cut line, its sew-line copy, a lone one inside
            blk.add_point((x, y, -5.0), dxfattribs={"layer": "4"})

    doc = aama_doc()
    add_piece(doc, "BK_M", rect_chain(stub=False), texts=["Piece Name: Back", "Size: M"], extra=extra)
    path = save(doc, tmp_path)
    pat = both(path)
    (p,) = pat.pieces
    assert [(n.x, n.y) for n in p.notches] == [(100.0, 25.0)]
    skipped = [e.message for e in pat.report.entries if e.piece == "Back (M)" and "notch" in e.message]
    assert skipped == [
        "2 notch(es) more than 2 mm off the cut line left out (a notch is cut into the cut line, it cannot "
        "be cut there): 10.000 mm off at (90.0, 25.0); 20.000 mm off at (50.0, 30.0); 1 of them lies "
        "opposite a notch of the cut line (its copy on the sew line: that notch is cut)"]


def test_sew_line_copies_a_little_along_the_seam_are_called_copies_too(tmp_path):
    """ET CAD writes a seam's notch on the cut line and on the sew line, the copy square to the
    sew line: on a curved waistband 1.5 mm along the seam from opposite the cut line's notch,
    and some listed twice. The remark counted 3 of 7 as copies, as if 4 notches were lost; a
    copy is now a notch left out that lies as far from a kept notch as from the cut line (give
    or take a quarter), each kept notch one copy; a lone notch is still none."""
    def extra(blk):
        blk.add_polyline2d([(10, 10), (90, 10), (90, 40), (10, 40)], close=True, dxfattribs={"layer": "14"})
        for x, y in ((100, 25), (90, 26.5), (90, 26.5), (50, 0), (50, 10.0), (50, 13), (60, 30)):
            blk.add_point((x, y, -5.0), dxfattribs={"layer": "4"})

    doc = aama_doc()
    add_piece(doc, "BK_M", rect_chain(stub=False), texts=["Piece Name: Back", "Size: M"], extra=extra)
    pat = both(save(doc, tmp_path))
    (p,) = pat.pieces
    assert sorted((n.x, n.y) for n in p.notches) == [(50.0, 0.0), (100.0, 25.0)]
    (said,) = [e.message for e in pat.report.entries if e.piece == "Back (M)" and "left out" in e.message]
    # (90, 26.5) twice: copies of (100, 25); (50, 10): of (50, 0); (50, 13) a second one near it and
    # (60, 30) a lone one: none
    assert said.startswith("5 notch(es) more than 2 mm off the cut line left out")
    assert said.endswith("; 3 of them lie opposite a notch of the cut line (its copy on the sew line: that "
                         "notch is cut)")


def test_a_notch_that_would_cut_through_its_piece_is_cut_as_deep_as_a_notch(tmp_path):
    """A notch POINT with z = -350 on a 100 x 50 piece (a typo, or a unit slip) was read as a 350 mm
    slit, and the knife files cut it through the piece and 300 mm into whatever lay beyond. A
    notch that would come out of its piece is cut 5 mm deep, or half as deep as the piece is
    there (reported); a 25 mm one that stays on the piece (AccuMark grades some that deep) is
    cut as the file says, and a slash deeper than 50 mm as well, but said."""
    def extra(blk):
        for x, y, z in ((50, 0, -350.0), (100, 25, -25.0), (0, 25, -60.0), (20, 50, -4.0)):
            blk.add_point((x, y, z), dxfattribs={"layer": "4"})

    doc = aama_doc()
    add_piece(doc, "BK_M", rect_chain(stub=False), texts=["Piece Name: Back", "Size: M"], extra=extra)
    doc.header["$INSUNITS"] = 4
    pat = both(save(doc, tmp_path), units="mm")
    (p,) = pat.pieces
    got = sorted((n.x, n.y, round(n.angle_deg), round(n.depth, 3)) for n in p.notches)
    assert got == [(0.0, 25.0, 0, 60.0), (20.0, 50.0, 270, 4.0), (50.0, 0.0, 90, 5.0),
                   (100.0, 25.0, 180, 25.0)]
    said = [e.message for e in pat.report.warnings if e.piece == "Back (M)" and "deep" in e.message]
    assert said == [
        "1 notch(es) as deep as the piece is wide there, or deeper (350.0 mm at (50.0, 0.0)): cut 5 mm deep, "
        "or half as deep as the piece is there (they would cut through it, into what lies beyond)",
        "1 notch(es) deeper than 50 mm (60.0 mm at (0.0, 25.0)): cut as deep as the file says, a slash into "
        "the piece"]


@pytest.mark.parametrize("rotation", [0.0, 90.0, 180.0, 270.0, 37.0])
def test_a_corner_notch_along_an_edge_keeps_its_angle_however_the_piece_is_turned(tmp_path, rotation):
    """A notch at a corner whose file angle runs along an edge (annotation.DXF: 180 degrees) was
    kept in one turn of the drawing and set to the corner's bisector in another (222.5 instead of
    270 turned by 90): the probe 0.5 mm along it lies on the edge, and rounding decided whether
    that was inside. Along an edge is not out of the piece: the angle turns with the drawing."""
    def extra(blk):
        blk.add_point((100, 0, 0.0), dxfattribs={"layer": "4", "angle": 180.0})  # corner, along the bottom
        blk.add_point((50, 0, 0.0), dxfattribs={"layer": "4", "angle": 270.0})  # points out: reversed

    doc = aama_doc()
    add_piece(doc, "BK_M", [RECT], closed=True, texts=["Piece Name: Back", "Size: M"], extra=extra,
              rotation=rotation)
    (p,) = both(save(doc, tmp_path)).pieces
    got = sorted((round((n.angle_deg - rotation) % 360.0, 6) % 360.0, round(n.depth, 6)) for n in p.notches)
    assert got == [(90.0, 5.0), (180.0, 5.0)]  # cut as deep as given: along the edge is on the piece


def test_a_notch_drawn_twice_is_kept_once(tmp_path):
    """A notch drawn twice at one place (CAD exports do) was imported twice, so the cutter cut it
    twice; now it is kept once, with a remark."""
    def extra(blk):
        for x, y in ((100, 25), (100, 25), (50, 0)):
            blk.add_point((x, y, -5.0), dxfattribs={"layer": "4"})

    doc = aama_doc()
    add_piece(doc, "BK_M", [RECT], closed=True, texts=["Piece Name: Back", "Size: M"], extra=extra)
    pat = both(save(doc, tmp_path))
    (p,) = pat.pieces
    assert sorted((round(n.x, 6), round(n.y, 6)) for n in p.notches) == [(50, 0), (100, 25)]
    assert ("warning", "1 notch(es) at the place of another left out (one notch listed twice; it is cut "
            "once)") in {(e.kind, e.message) for e in pat.report.entries if e.piece == "Back (M)"}

@pytest.mark.parametrize("unfold", [True, False])
def test_mirror_line_off_the_outline_is_not_used(tmp_path, unfold):
    """A mirror line across the piece names no fold edge: the piece is nested as drawn, and is no
    half (``nest info`` counted it a half, twice its area, while the marker held it once)."""
    from kitcut.formats.reading.summary import piece_summary

    doc = aama_doc()
    add_piece(doc, "BK_M", [RECT], closed=True, texts=["Piece Name: Back"],
              extra=lambda b: b.add_line((50, 0), (50, 50), dxfattribs={"layer": "6"}))
    pat = read_pattern(save(doc, tmp_path), unfold=unfold)
    (p,) = pat.pieces
    assert not p.folded and not p.unfolded and p.fold_line is None and p.area == 5000
    assert piece_summary(p)["area_mm2"] == 5000
    assert any("mirror line does not lie along a straight edge of the outline" in e.message
               for e in pat.report.warnings)


@pytest.mark.parametrize(("ends", "short"), [(((0, 10), (0, 40)), 10.0),  # sew point to sew point
                                             (((0, 48), (0, 3)), 3.0),
                                             (((0, 20), (0, 30)), 20.0),  # covers 10 of 50 mm
                                             (((0, -10), (0, 60)), None),  # past both ends
                                             (((0.3, 5), (-0.2, 50)), 5.0)])  # 0.3 mm off
def test_a_mirror_line_along_part_of_the_fold_edge_unfolds_about_the_whole_edge(tmp_path, ends, short):
    """AAMA layer 6 drawn along the fold edge but not from corner to corner (a CAD drawing the
    mirror line on the net line stops at the sew points): the half was nested, though ``nest info``
    said folded; now the whole straight edge is the mirror line, reported when the line stops short."""
    doc = aama_doc()
    add_piece(doc, "BK_M", [RECT], closed=True, texts=["Piece Name: Back"],
              extra=lambda b: b.add_line(*ends, dxfattribs={"layer": "6"}))
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.folded and p.unfolded and p.area == pytest.approx(10000.0)
    assert p.bounds == pytest.approx((-100.0, 0.0, 100.0, 50.0))
    first, last = (0, 0), (0, 50)
    if ends[0][1] > ends[1][1]:
        first, last = last, first
    assert p.fold_line.points.tolist() == [list(first), list(last)]
    said = [e.message for e in pat.report.warnings if "mirror line drawn" in e.message]
    if short is None:
        assert said == []
    else:
        assert said == [f"mirror line drawn {math.dist(*ends):.1f} mm long, {short:.1f} mm short of an end "
                        "of the 50.0 mm straight edge it lies along: the whole edge is taken as the fold"]


@pytest.mark.parametrize("ends", [((0, 40), (0, 140)),  # 100 mm of a 320 mm edge, far from its ends
                                  ((0, 0), (0, 320)), ((0, 0), (0, 30)), ((0, 290), (0, 320))])
def test_a_mirror_line_along_two_collinear_edges_or_a_little_of_one_is_not_used(tmp_path, ends):
    """A line covering less than half of a long straight edge, not reaching near its ends, names
    no fold edge; nor does one along two edges on one line (which is the fold?)."""
    u_shape = [(0, 0), (100, 0), (100, 320), (0, 320), (0, 200), (50, 200), (50, 120), (0, 120)]
    shape = u_shape if ends[1][1] != 140 else [(0, 0), (100, 0), (100, 320), (0, 320)]
    doc = aama_doc()
    add_piece(doc, "BK_M", [shape], closed=True, texts=["Piece Name: Back"],
              extra=lambda b: b.add_line(*ends, dxfattribs={"layer": "6"}))
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    assert not p.folded and not p.unfolded and p.area == pytest.approx(Polygon(shape).area)


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



#: A rectangle's cut line in pieces, as ASTM exports write it, with a slit drawn in as two
#: lines (out to its tip, back) meeting the cut line where two of its pieces meet.
_SLIT_PARTS = [[(0, 0), (100, 0)], [(100, 0), (100, 25)], [(100, 25), (90, 25)], [(90, 25), (100, 25)],
               [(100, 25), (100, 50)], [(100, 50), (0, 50), (0, 0)]]


@pytest.mark.parametrize("kind", ["aama", "plain"])
@pytest.mark.parametrize("order", [(0, 1, 2, 3, 4, 5), (0, 1, 4, 5, 2, 3), (3, 2, 5, 4, 1, 0),
                                   (4, 0, 3, 5, 1, 2), (2, 4, 1, 3, 0, 5), (5, 3, 1, 4, 2, 0)])
def test_a_slit_drawn_as_two_lines_is_a_notch_in_any_order(tmp_path, order, kind):
    """Where the slit meets the cut line four line ends meet: chaining ran through the slit or
    past it by the order the file lists its lines in. Past it, the slit was "a second closed
    loop on the cut line ... outside the outline" (a plain drawing dropped it unsaid) and the
    notch was lost (a real ASTM export, its entities listed in another order, lost a front's
    slit). In any order: one slit notch."""
    parts = [_SLIT_PARTS[k] for k in order]
    if kind == "aama":
        doc = aama_doc()
        add_piece(doc, "A_M", parts, texts=["Piece Name: A"])
    else:
        doc = ezdxf.new("R2010")
        doc.header["$INSUNITS"] = 4
        for k, part in enumerate(parts):  # LINEs, every other one drawn backwards
            pts = part[::-1] if k % 2 else part
            for a, b in zip(pts, pts[1:], strict=False):
                doc.modelspace().add_line(a, b)
    pat = both(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.area == pytest.approx(5000.0) and Polygon(p.outline).is_valid
    (n,) = p.notches
    assert (n.x, n.y, n.angle_deg, n.depth, n.kind) == pytest.approx((100, 25, 180, 10, "slit"))
    assert not [e for e in pat.report.entries if "second closed loop" in e.message]


@pytest.mark.parametrize("order", [(0, 1, 2, 3, 4, 5), (3, 2, 5, 4, 1, 0), (2, 4, 1, 3, 0, 5)])
def test_a_slit_drawn_as_two_lines_in_a_turned_drawing_far_away(tmp_path, order):
    """The same slit, its drawing turned by 37° and moved 50 m away: coordinates no longer
    exact, the slit's out-and-back loop is still spliced into the cut line."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    m = ezdxf.math.Matrix44.chain(ezdxf.math.Matrix44.z_rotate(math.radians(37)),
                                  ezdxf.math.Matrix44.translate(-5e4, 3e3, 0))
    for k in order:
        pts = _SLIT_PARTS[k]
        for a, b in zip(pts, pts[1:], strict=False):
            doc.modelspace().add_line(a, b).transform(m)
    (p,) = both(save(doc, tmp_path)).pieces
    (n,) = p.notches
    assert (n.kind, n.depth, p.area) == ("slit", pytest.approx(10.0), pytest.approx(5000.0))


#: Ways to draw a piece and its marks: turned by degrees, mirrored (x -> -x first), moved.
TURNS = [(0.0, False, (0.0, 0.0)), (37.0, True, (5e3, -2e3)), (180.0, False, (0.0, 0.0)),
         (90.0, True, (0.0, 0.0))]


def turned(turn):
    """The map of a drawing ``(degrees, mirrored, (dx, dy))`` of :data:`TURNS`: points (``float64[n,
    2]``) and directions (degrees)."""
    deg, mirror, move = turn
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    m = np.array([[c, -s], [s, c]]) @ np.diag([-1.0 if mirror else 1.0, 1.0])

    def points(pts):
        return np.asarray(pts, dtype=np.float64).reshape(-1, 2) @ m.T + np.asarray(move)

    def angle(a):
        d = m @ [math.cos(math.radians(a)), math.sin(math.radians(a))]
        return math.degrees(math.atan2(d[1], d[0])) % 360.0

    return points, angle


def notch_rows(notches, ndigits=3):
    """Notches as sorted ``(x, y, angle, kind, depth, width)`` rounded, angles in [0, 360)."""
    return sorted((round(n.x, ndigits), round(n.y, ndigits), round(n.angle_deg % 360.0, 1) % 360.0, n.kind,
                   round(n.depth, ndigits), round(n.width, ndigits)) for n in notches)


def expected_rows(rows, turn, ndigits=3):
    """``(x, y, angle, kind, depth, width)`` rows drawn unturned, as :func:`notch_rows` reads them
    from the drawing ``turn``."""
    points, angle = turned(turn)
    out = []
    for x, y, a, kind, depth, width in rows:
        (px, py), = points([(x, y)])
        out.append((round(px, ndigits), round(py, ndigits), round(angle(a), 1) % 360.0, kind,
                    round(depth, ndigits), round(width, ndigits)))
    return sorted(out)


#: Seamly2D's AAMA passmarks, each of its lines a LINE on layer 4 (as ``VDxfEngine::ExportAAMANotch``
#: writes them), into the edge y = 0 of a 200 x 100 rectangle, and the notch each is.
PASSMARKS = {
    "one line": ([((20, 0), (20, 8))], [(20, 0, 90, "slit", 8, 0)]),
    "two lines": ([((38.5, 0), (38.5, 8)), ((41.5, 0), (41.5, 8))],
                  [(38.5, 0, 90, "slit", 8, 0), (41.5, 0, 90, "slit", 8, 0)]),
    "V": ([((58, 0), (60, 8)), ((60, 8), (62, 0))], [(60, 0, 90, "v", 8, 4)]),
    "T": ([((80, 0), (80, 8)), ((77, 8), (83, 8))], [(80, 0, 90, "t", 8, 0)]),
    "box": ([((98, 0), (98, 8)), ((98, 8), (102, 8)), ((102, 8), (102, 0))], [(100, 0, 90, "castle", 8, 4)]),
    "check": ([((120, 0), (117, 8)), ((117, 8), (123, 10.4))],
              [(120, 0, math.degrees(math.atan2(8, -3)), "check", math.hypot(3, 8), 0)]),
    "V from the cut line": ([((140, 0), (136, 6)), ((140, 0), (144, 6))], [(140, 0, 90, "v", 6, 8)]),
    "U": ([((158, 0), (158, 5)), ((158, 5), (158.6, 6.4)), ((158.6, 6.4), (160, 7)), ((160, 7), (161.4, 6.4)),
           ((161.4, 6.4), (162, 5)), ((162, 5), (162, 0))], [(160, 0, 90, "u", 7, 4)]),
    "straddling": ([((180, -3), (180, 6))], [(180, 0, 90, "slit", 6, 0)]),
}


@pytest.mark.parametrize("turn", TURNS)
@pytest.mark.parametrize("how", ["as listed", "reversed", "each line backwards"])
def test_passmarks_drawn_as_lines_on_layer_4_are_one_notch_each(tmp_path, turn, how):
    """Seamly2D and Valentina write a passmark of two or three lines (V, T, box, check, U) as that
    many LINEs on layer 4: each line was a slit of its own (a V two slanted slits, a box two) and
    the bars of a T and a box and a check's second stroke were reported lost, 8 mm off the cut
    line; a line drawn from 3 mm outside the cut line in was left out, 3 mm off. Each passmark is
    one notch of its kind now, where it meets the cut line (Seamly2D's "V mark", its tip on the cut
    line, a V there; a double passmark stays two slits, as
    two ticks drawn in plain DXF are), in any order, either way, turned and mirrored."""
    points, _ = turned(turn)
    lines = [line for strokes, _ in PASSMARKS.values() for line in strokes]
    if how == "reversed":
        lines = lines[::-1]
    elif how == "each line backwards":
        lines = [line[::-1] for line in lines]
    doc = aama_doc()

    def extra(blk):
        for a, b in lines:
            blk.add_line(*points([a, b]).tolist(), dxfattribs={"layer": "4"})

    add_piece(doc, "A_M", [points([(0, 0), (200, 0), (200, 100), (0, 100)]).tolist()], closed=True,
              texts=["Piece Name: A"], extra=extra)
    pat = both(save(doc, tmp_path))
    (p,) = pat.pieces
    assert notch_rows(p.notches) == expected_rows([r for _, rows in PASSMARKS.values() for r in rows], turn)
    assert not [e for e in pat.report.entries if "notch" in e.message], pat.report.entries


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


def test_a_layer_84_sparser_than_layer_1_is_not_the_cut_line(tmp_path):
    """CLO writes on layer 84 a coarse polygon (19 points against the 149 of its layer-1 curve,
    12.7 mm off it; its notches lie on layer 1, 0.45 mm off the polygon). Read from layer 84 as
    AccuMark's denser curve is, its pieces were cut as polygons. Layer 84 is the cut line only
    where it is the denser of the two; else layer 1 is, and the skipped layer 84 is said."""
    curve = [(100 + 20 * math.sin(math.pi * k / 20), 50 * k / 20) for k in range(21)]  # a bulging side

    def extra(b):
        b.add_polyline2d([(0, 0), (100, 0), (100, 50), (0, 50)], close=True, dxfattribs={"layer": "84"})
        b.add_point((*curve[10], 0.0), dxfattribs={"layer": "4"})  # on the curve, 20 mm off the polygon

    add_piece(doc := aama_doc(), "A_M", [[(0, 0), *curve, (0, 50)]], closed=True, texts=["Piece Name: A"],
              extra=extra)
    pat = both(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.area == pytest.approx(5000 + 50 * 20 * 2 / math.pi, rel=2e-3)  # the bulge: 2/pi of 20 x 50
    assert [(round(n.x, 6), round(n.y, 6)) for n in p.notches] == [(120.0, 25.0)]
    notes = [str(e) for e in pat.report.entries]
    assert any("ASTM layer 84 not used: sparser than the layer-1 cut line" in m for m in notes)
    assert not any("moved onto the cut line" in m for m in notes)


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


@pytest.mark.parametrize("how", ["same layer", "as lines", "plot layer", "reversed", "0.4 mm off"])
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
    elif how == "0.4 mm off":  # redrawn by hand: it was a second piece, cut as well
        off = [(x + 0.4, y - 0.3) for x, y in TWIN_PIECE]
        msp.add_lwpolyline(off, close=True, dxfattribs={"layer": "CUT"})
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


def test_a_remark_made_again_is_listed_once_with_its_count(tmp_path):
    """An AccuMark export with six zero-length polylines on a piece's cut line listed the same
    remark six times, in each of its eight graded sizes (145 lines for three pieces); the same
    remark is now one line with its count, and different remarks stay apart."""
    def extra(blk):
        for _ in range(3):
            blk.add_polyline2d([(40.0, 0.0), (40.0, 0.0)], dxfattribs={"layer": "1"})

    doc = aama_doc()
    add_piece(doc, "BK_M", [RECT], closed=True, texts=["Piece Name: Back", "Size: M"], extra=extra)
    pat = read_pattern(save(doc, tmp_path))
    zero = [e for e in pat.report.entries if "zero-length" in e.message]
    assert [(e.piece, e.count) for e in zero] == [("Back (M)", 3)]
    assert str(zero[0]).endswith("(3 times)") and "; handles " in zero[0].entity
    report = ImportReport()
    for h in ("2F", "30"):
        report.skip("empty", piece="A", entity=f"POLYLINE #{h} on layer 1 in block A_M")
    report.skip("empty", piece="A", entity="LINE #40 on layer 1 in block A_M")
    assert [str(e) for e in report.entries] == [
        "skipped: piece 'A': empty [POLYLINE on layer 1 in block A_M; handles 2F, 30] (2 times)",
        "skipped: piece 'A': empty [LINE #40 on layer 1 in block A_M]"]
    report = ImportReport()
    for piece in ("A", "B", "A"):
        report.warn("odd", piece=piece)
    assert [str(e) for e in report.entries] == ["warning: piece 'A': odd (2 times)",
                                                "warning: piece 'B': odd"]


@pytest.mark.parametrize("sizes", [("S", "M", "L"), ("S", "M", "L", "XL")])
def test_outlines_drawn_one_inside_the_other_in_a_block_are_no_cut_outs(tmp_path, sizes):
    """Several sizes' cut lines drawn in one AAMA block, each inside the next: the outermost is
    the outline and the others are not used, reported (they were cut-outs overlapping each
    other: an area of -15,400 mm² and a marker efficiency of -25.67 %). The block names one size
    here; one naming every size is refused (``test_import_errors``: its largest outline was cut
    as its first size)."""
    doc = aama_doc()
    rings = [[(-5 * k, -3 * k), (250 + 5 * k, -3 * k), (250 + 5 * k, 70 + 3 * k), (-5 * k, 70 + 3 * k)]
             for k in range(len(sizes))]
    add_piece(doc, "CUFF", rings, closed=True, texts=["Piece Name: CUFF", f"Size: {sizes[0]}", "Quantity: 2"])
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    big = rings[-1]
    assert p.area == pytest.approx((big[1][0] - big[0][0]) * (big[2][1] - big[0][1])) and not p.cutouts
    assert [w.message for w in pat.report.warnings if "one inside the other" in w.message] == [
        f"{len(sizes)} closed loops on the cut line are drawn one inside the other (the sizes of a graded "
        "nest in one block?): the outermost is the outline, the others are not used"]


def test_cut_outs_that_overlap_each_other_are_cut_once(tmp_path):
    """Two cut-outs overlapping each other (on AAMA's layer 11, and a second loop of the cut line):
    the larger is cut, the other is left out and reported; a piece's area is never below its
    outline's less what is cut out once."""
    doc = aama_doc()
    big = [(20, 20), (120, 20), (120, 80), (20, 80)]
    small = [(100, 50), (150, 50), (150, 90), (100, 90)]

    def holes(blk):
        blk.add_polyline2d(big, close=True, dxfattribs={"layer": "11"})
        blk.add_polyline2d(small, close=True, dxfattribs={"layer": "11"})

    add_piece(doc, "PANEL", [[(0, 0), (300, 0), (300, 200), (0, 200)]], closed=True,
              texts=["Piece Name: PANEL"], extra=holes)
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert len(p.cutouts) == 1 and p.area == pytest.approx(300 * 200 - 100 * 60)
    assert [w.message for w in pat.report.warnings if "overlaps" in w.message] == [
        "cut-out overlaps a larger cut-out; not used (cut once, the fabric is gone)"]


@pytest.mark.parametrize("given, doubted", [("mm", True), ("cm", False), ("in", False)])
def test_units_given_against_a_file_that_says_otherwise_are_doubted_when_absurd(tmp_path, given, doubted):
    """An order's ``units = "mm"`` (or ``--units mm``) on an AccuMark file that says ``Units:
    ENGLISH``: the units given win, as asked, but a T-shirt front 28 mm long is said to be so,
    with its size in the file's unit (the kit was cut 25.4 times too small, with one plain
    remark). Units that keep the pieces of garment size are not doubted."""
    doc = aama_doc("ENGLISH")
    add_piece(doc, "FRONT", [[(0, 0), (20, 0), (20, 28), (0, 28)]], closed=True, texts=["Piece Name: FRONT"])
    pat = read_pattern(save(doc, tmp_path), units=given)
    said = [w.message for w in pat.report.warnings if "overrides the file's Units text" in w.message]
    if given == "in":
        assert said == []
        return
    size = {"mm": 28.0, "cm": 280.0}[given]
    doubt = f": the largest piece is {size:.4g} mm long in {given}, 711.2 mm in in; check the units given"
    assert said == [f"--units {given} overrides the file's Units text (in)" + (doubt if doubted else "")]


def test_a_crossing_cut_line_drawn_twice_is_not_cut_out_of_its_repaired_self(tmp_path):
    """WM_LOOSE_SHAPE_TANK's back crosses itself in sizes 48-52; with its cut line drawn twice and
    read with --repair, the outline was repaired to its largest part, its copy no longer matched
    it and was cut out of it as a hole: 21,264 of its 42,527 mm² cut away. The copy is the cut
    line drawn twice, as for any outline: every size reads as without the copy."""
    src = Path(__file__).parent / "data" / "real" / "WM_LOOSE_SHAPE_TANK.DXF"
    doc = ezdxf.readfile(str(src))
    for blk in doc.blocks:
        for e in list(blk):
            if e.dxftype() == "POLYLINE" and e.dxf.layer == "1":
                blk.add_polyline2d([tuple(v.dxf.location)[:2] for v in e.vertices], close=e.is_closed,
                                   dxfattribs={"layer": "1"})
    doc.saveas(tmp_path / "twice.dxf")
    want = {(p.name, p.size): (round(p.area), len(p.cutouts)) for p in read_dxf(src, repair=True).pieces}
    pat = read_dxf(tmp_path / "twice.dxf", repair=True)
    assert {(p.name, p.size): (round(p.area), len(p.cutouts)) for p in pat.pieces} == want
    assert not any("taken as a cut-out" in e.message for e in pat.report.warnings)


@pytest.mark.parametrize("turn", [0.0, 33.0, 45.0, 90.0])
@pytest.mark.parametrize("kind", ["aama", "plain"])
def test_the_unit_does_not_depend_on_how_the_drawing_is_turned(tmp_path, turn, kind):
    """A 95 x 40 piece under `Units: METRIC` (AccuMark's, which CLO writes over mm or cm) is read
    in cm: 95 mm would be no garment piece. Turned by 33 degrees, its box along the drawing's axes
    is 101.5 units long, where METRIC can be mm too: it was read in mm, cut ten times too small
    (probe 41). The piece's length is now the long side of its smallest box in any turn."""
    a = np.radians(turn)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    square = np.array([(0, 0), (95, 0), (95, 40), (0, 40)], dtype=float)
    ring = [tuple(p) for p in square @ rot.T + (500, -300)]
    if kind == "aama":
        doc = aama_doc()
        add_piece(doc, "BACK_M", [ring], closed=True, texts=["Piece Name: Back", "Size: M", "Quantity: 1"])
    else:
        doc = ezdxf.new("R2010")
        msp = doc.modelspace()
        msp.add_lwpolyline(ring, close=True)
        for k, text in enumerate(("Piece Name: Back", "Units: METRIC")):
            msp.add_text(text, dxfattribs={"insert": (ring[0][0] + 20, ring[0][1] + 10 + 5 * k), "height": 2})
    pat = read_pattern(save(doc, tmp_path))
    assert pat.units_in == "cm"
    assert [round(p.area) for p in pat.pieces] == [380000]


def test_a_metric_read_in_mm_that_could_be_cm_is_a_headline(tmp_path):
    """`Units: METRIC` over a piece 120 units long: 120 mm or 1.2 m, both garment sizes. mm
    stands, and the remark saying so was one of the remarks counted: the main job and a kit said
    no line of it, and a legging pattern in cm was cut ten times too small (probe 41)."""
    doc = aama_doc()
    add_piece(doc, "LEG_M", [[(0, 0), (120, 0), (120, 30), (0, 30)]], closed=True,
              texts=["Piece Name: Leg", "Size: M", "Quantity: 1"])
    pat = read_pattern(save(doc, tmp_path))
    assert pat.units_in == "mm" and pat.units_rule == "Units text"
    head = pat.units_headline
    assert head is not None and head.message.startswith("the Units text says METRIC, which names no length: "
                                                        "read in mm")
    assert pat.headlines[0] is head
