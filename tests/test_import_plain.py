"""What the lines of a plain DXF mean: frames and title blocks, sew lines on their own layer,
drill circles, V and T notches, arrowed grain lines, fold lines, sub-millimetre gaps, graded
nests on one layer, spline-fit polylines, periodic and degree-1 splines. Files are written with ezdxf."""

from __future__ import annotations

import math
from pathlib import Path

import ezdxf
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon
from test_import_dxf import RECT, TURNS, aama_doc, add_piece, both, expected_rows, notch_rows, save, turned

from kitcut.errors import GeometryError
from kitcut.formats.reading.read import read_pattern
from kitcut.model.geometry import ring_area


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


@pytest.mark.parametrize("sew_layer", ["SEW", "Stitch line", "Nahtlinie", "14", "NET", "Finished line",
                                       "净样线", "Линия шва", "완성선", "出来上がり線", "Linia szycia"])
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


_SEW = [(0, 0), (300, 0), (320, 200), (160, 260), (0, 220)]


def _cut_and_lines(cut, lines, line_layer="L2", label_layer="CUT", size=None):
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(cut, close=True, dxfattribs={"layer": "CUT"})
    for ring in lines:
        msp.add_lwpolyline(ring, close=True, dxfattribs={"layer": line_layer})
    msp.add_text("Piece Name: FRONT", dxfattribs={"insert": (50, 100), "layer": label_layer})
    if size:
        msp.add_text(f"Size: {size}", dxfattribs={"insert": (50, 80), "layer": line_layer})
    return doc


@pytest.mark.parametrize("allowance", ["10 mm", "10 mm, 30 mm hem", "rounded 15 mm", "turned 37 degrees"])
def test_sew_line_on_a_layer_named_for_nothing_is_told_by_its_course(tmp_path, allowance):
    """A sew line on a layer whose name says nothing (``L2``) runs inside the cut line at its
    seam allowance, one distance along each seam: it is the piece's sew line (it was a second
    piece, nested without its allowance, and the cut line lost the piece's name), and the
    reader says so."""
    from shapely import affinity
    from shapely.geometry import Polygon as P

    sew = P(_SEW)
    if allowance == "10 mm, 30 mm hem":  # 30 mm below the hem (y = 0), 10 mm elsewhere
        cut = sew.buffer(10, join_style="mitre").union(P([(0, -30), (300, -30), (300, 0), (0, 0)]))
    elif allowance == "rounded 15 mm":
        cut = sew.buffer(15, quad_segs=16)
    else:
        cut = sew.buffer(10, join_style="mitre")
    if allowance == "turned 37 degrees":
        sew, cut = (affinity.translate(affinity.rotate(g, 37, origin=(0, 0)), 5e4, -2e4) for g in (sew, cut))
    c = list(cut.exterior.coords)[:-1]
    doc = _cut_and_lines(c, [list(sew.exterior.coords)[:-1]])
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.name == "FRONT" and p.area == pytest.approx(cut.area) and len(p.sew_lines) == 1
    assert P(p.sew_lines[0].points).area == pytest.approx(sew.area)
    widest = 30.0 if "30" in allowance else 15.0 if "15" in allowance else 10.0
    assert [w.message for w in pat.report.warnings if "seam allowance" in w.message] == [
        f"the closed lines of layer L2 run inside the pieces of another layer at a seam allowance (up to "
        f"{widest:.1f} mm): read as their sew lines; give --layer L2=cut if they are pieces"]
    assert pat.report.layers["L2"]["role"] == "sew" and pat.report.layers["L2"]["by"] == "drawing"
    (q,) = read_pattern(save(doc, tmp_path, "given.dxf"), layers={"L2": "sew"}).pieces
    assert len(q.sew_lines) == 1 and q.area == pytest.approx(cut.area)
    assert len(read_pattern(save(doc, tmp_path, "cut.dxf"), layers={"L2": "cut"}).pieces) == 2


@pytest.mark.parametrize("case", ["graded nest of three sizes", "size label on the layer",
                                  "layer named for a size", "a pocket's place", "one ring off the seam"])
def test_a_ring_inside_a_piece_that_is_no_sew_line_stays_what_it_was(tmp_path, case):
    """What lies inside a piece on a layer named for nothing but is no sew line: the sizes of a
    graded nest, a layer per size (one size runs inside the next much as a sew line does, so
    three layers each inside the next tell a nest), a layer holding a size label or named for
    a size, a pocket's place (a cut-out, as before)."""
    from shapely.geometry import Polygon as P

    cut = P(_SEW).buffer(10, join_style="mitre")
    c = list(cut.exterior.coords)[:-1]
    ten = list(P(_SEW).exterior.coords)[:-1]
    graded = [(10 + 0.93 * x, 8 + 0.95 * y) for x, y in c]  # graded about a point: no one allowance
    layer, lines, size = "L2", [ten], None
    if case == "graded nest of three sizes":
        lines = [graded]
        smallest = [(10 + 0.93 * x, 8 + 0.95 * y) for x, y in graded]
    elif case == "size label on the layer":
        size = "S"
    elif case == "layer named for a size":
        layer = "XS"
    elif case == "a pocket's place":
        lines = [[(100, 60), (180, 60), (180, 150), (100, 150)]]
    else:  # a pocket's place in a second piece: the layer is no sew layer
        lines = [ten, [(1100, 60), (1180, 60), (1180, 150), (1100, 150)]]
        c2 = [(x + 1000, y) for x, y in c]
    doc = _cut_and_lines(c, lines, layer, size=size)
    if case == "one ring off the seam":
        doc.modelspace().add_lwpolyline(c2, close=True, dxfattribs={"layer": "CUT"})
    if case == "graded nest of three sizes":
        doc.modelspace().add_lwpolyline(smallest, close=True, dxfattribs={"layer": "L3"})
    pat = read_pattern(save(doc, tmp_path))
    assert not [w for w in pat.report.warnings if "seam allowance" in w.message]
    assert not any(p.sew_lines for p in pat.pieces)
    if case == "a pocket's place":
        (p,) = pat.pieces
        assert len(p.cutouts) == 1
    else:
        assert len(pat.pieces) >= 2


@pytest.mark.parametrize("layer", ["NOTCH", "Knipse", "刀口"])
def test_points_on_a_layer_named_for_notches_are_notches(tmp_path, layer):
    """Notch points (with the angle of the cut line) on a layer named for notches: notches on
    the cut line; they were left out as points kitcut does not use."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (250, 0), (250, 80), (0, 80)], close=True, dxfattribs={"layer": "CUT"})
    msp.add_point((125, 0), dxfattribs={"layer": layer, "angle": 90})
    msp.add_point((0, 40), dxfattribs={"layer": layer, "angle": 0})
    msp.add_text("Piece Name: CUFF", dxfattribs={"insert": (20, 40), "layer": "CUT"})
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    assert sorted((n.x, n.y) for n in p.notches) == [(0.0, 40.0), (125.0, 0.0)]


@pytest.mark.parametrize("names", [("S", "M", "L"), ("38", "40", "42"), ("SIZE_S", "SIZE_M", "SIZE_L")])
def test_a_graded_nest_drawn_a_layer_per_size_takes_its_sizes_from_the_layers(tmp_path, names):
    """A graded nest drawn a layer per size, the layers named for the sizes, no Size text, the
    base size alone labelled: each piece takes its layer's size and the base size's name and
    quantity, and a job of one size cuts that size (it cut all three, two of them nameless).
    Pieces on layers M and L side by side (a main fabric and a lining) are no sizes."""
    from shapely.geometry import Polygon as P

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    front = [(0, 0), (260, 0), (280, 300), (140, 360), (0, 330)]
    cuff = [(400, 0), (650, 0), (650, 70), (400, 70)]
    for k, layer in enumerate(names):
        f = 1.0 + 0.04 * (k - 1)  # graded about the origin
        for ring in (front, cuff):
            msp.add_lwpolyline([(x * f, y * f) for x, y in ring], close=True, dxfattribs={"layer": layer})
        if k == 1:
            msp.add_text("Piece Name: FRONT", dxfattribs={"insert": (60, 150), "layer": layer})
            msp.add_text("Cut 1", dxfattribs={"insert": (60, 130), "layer": layer})
            msp.add_text("Piece Name: CUFF", dxfattribs={"insert": (450, 30), "layer": layer})
            msp.add_text("Cut 2", dxfattribs={"insert": (450, 15), "layer": layer})
    path = save(doc, tmp_path)
    size = {n: n.removeprefix("SIZE_") for n in names}
    pat = read_pattern(path)
    got = sorted((p.name, p.size, p.quantity, round(p.area)) for p in pat.pieces)
    kinds = (("FRONT", 1, front), ("CUFF", 2, cuff))
    want = sorted((name, size[layer], q, round(P(ring).area * (1.0 + 0.04 * (k - 1)) ** 2))
                  for k, layer in enumerate(names) for name, q, ring in kinds)
    assert got == want
    assert [w.message for w in pat.report.warnings if "named for sizes" in w.message]
    one = read_pattern(path, sizes=[size[names[1]]])
    base = size[names[1]]
    assert sorted((p.name, p.size) for p in one.pieces) == [("CUFF", base), ("FRONT", base)]

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(front, close=True, dxfattribs={"layer": "M"})
    msp.add_lwpolyline(cuff, close=True, dxfattribs={"layer": "L"})
    side = read_pattern(save(doc, tmp_path, "side.dxf"))
    assert [p.size for p in side.pieces] == [None, None]


def test_layer_names_escaped_in_an_r2000_file_are_read_as_named(tmp_path):
    """R12 and R2000 files carry a layer named outside their code page as ``\\U+XXXX`` escapes:
    the layers are read by their names (sew, fold, grain in Chinese), and ``--layer`` names
    them as written (it found no such layer, and the sew line was a second piece)."""
    from shapely.geometry import Polygon as P

    half = [(0, 0), (150, 0), (170, 300), (0, 320)]
    cut = P(half).buffer(10, join_style="mitre").intersection(P([(0, -50), (500, -50), (500, 500), (0, 500)]))
    for version in ("R2000", "R2010"):
        doc = ezdxf.new(version)
        doc.header["$INSUNITS"] = 4
        msp = doc.modelspace()
        msp.add_lwpolyline(list(cut.exterior.coords)[:-1], close=True, dxfattribs={"layer": "CUT"})
        msp.add_lwpolyline(half[1:] + [(0, 0)], dxfattribs={"layer": "缝线"})
        msp.add_line((0, -10), (0, 330), dxfattribs={"layer": "对折线"})
        msp.add_line((60, 60), (60, 250), dxfattribs={"layer": "布纹线"})
        msp.add_line((100, 60), (100, 250), dxfattribs={"layer": "Линия шва"})
        msp.add_text("Piece Name: BACK", dxfattribs={"insert": (20, 100), "layer": "CUT"})
        path = save(doc, tmp_path, f"{version}.dxf")
        if version == "R2000":
            assert b"\\U+7f1d" in path.read_bytes()  # the writer escaped the names
        pat = read_pattern(path, layers={"Линия шва": "internal"})
        (p,) = pat.pieces
        assert p.name == "BACK" and p.unfolded and p.area == pytest.approx(2 * cut.area)
        assert p.grain is not None and len(p.internal_lines) == 4  # the open sew line and the line, mirrored
        assert {"缝线", "对折线", "布纹线", "Линия шва"} <= set(pat.report.layers)
        assert not [w for w in pat.report.warnings if "no layer" in w.message]


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


_CROSSES = [((115, 150), (125, 150)), ((120, 145), (120, 155)),  # a + at (120, 150)
            ((35, 145), (45, 155)), ((35, 155), (45, 145)),  # an x at (40, 150)
            ((200, 40), (212, 40)), ((206, 37), (206, 45))]  # a + of unequal arms at (206, 40)


@pytest.mark.parametrize("layer", ["DRILL", "Bohrung", "13", "L5"])
def test_drill_marks_drawn_as_crosses_are_drills_at_the_crossing(tmp_path, layer):
    """A drill mark drawn as a cross of two short lines (+ or x) on a drill layer was two
    internal pen lines, with no remark; it is a drill at the crossing point, reported. Lines that
    do not cross at their middles (an L, a T, a line and a long one) stay lines; on a layer of
    no drill role, a cross stays two lines."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    for a, b in _CROSSES:
        msp.add_line(a, b, dxfattribs={"layer": layer})
    for a, b in [((250, 100), (260, 100)), ((250, 100), (250, 110)),  # an L
                 ((250, 150), (260, 150)), ((255, 150), (255, 140)),  # a T
                 ((60, 40), (70, 40)), ((65, 10), (65, 90))]:  # a short line across a long one
        msp.add_line(a, b, dxfattribs={"layer": layer})
    msp.add_text("Piece Name: POCKET", dxfattribs={"insert": (20, 80)})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    if layer == "L5":
        assert not p.drills and len(p.internal_lines) == 11  # the L chains into one line
        return
    assert sorted((d.x, d.y, d.diameter) for d in p.drills) == [(40.0, 150.0, None), (120.0, 150.0, None),
                                                                  (206.0, 40.0, None)]
    assert len(p.internal_lines) == 5
    assert ("warning", "3 drill mark(s) drawn as a cross of two short lines on a drill layer: a drill at "
            "each crossing point") in {(e.kind, e.message) for e in pat.report.entries}


@pytest.mark.parametrize("layer", ["13", "Perforation", "Perforación"])
def test_circles_on_aama_drill_layer_13_and_perforation_layers_are_drills(tmp_path, layer):
    """``nest info --layers`` said layer 13 (AAMA's drill holes, in a drawing whose blocks were
    exploded) holds drills, but its circles were cut out of the piece. A numbered layer that
    holds outlines is a size layer: its circles stay cut-outs."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    msp.add_circle((150, 60), 2, dxfattribs={"layer": layer})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert [(d.x, d.y, d.diameter) for d in p.drills] == [(150.0, 60.0, 4.0)] and not p.cutouts
    assert pat.report.layers[layer]["role"] == "drill"
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    doc.modelspace().add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True,
                                    dxfattribs={"layer": "13"})
    doc.modelspace().add_circle((150, 60), 20, dxfattribs={"layer": "13"})
    (p,) = read_pattern(save(doc, tmp_path, "sizes.dxf")).pieces
    assert not p.drills and len(p.cutouts) == 1


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


#: Notches drawn across or outside the cut line of a piece with a blunt corner at (140, 0), as
#: printed patterns and sloppy drawings have them (polylines), and the notch each is.
_EDGE_OUTLINE = [(0, 0), (140, 0), (200, 10), (200, 100), (0, 100)]
_CORNER_T = np.array([60.0, 10.0]) / math.hypot(60, 10)  # along the edge after the corner
_CORNER_N = np.array([-_CORNER_T[1], _CORNER_T[0]])  # into the piece there
EDGE_NOTCHES = {
    "tick 0.2 mm outside": ([(20, -0.2), (20, 6)], [(20, 0, 90, "slit", 6, 0)]),
    "tick 1 mm outside": ([(40, -1), (40, 6)], [(40, 0, 90, "slit", 6, 0)]),
    "tick 3 mm outside": ([(60, -3), (60, 6)], [(60, 0, 90, "slit", 6, 0)]),
    "tick outward": ([(80, 0), (80, -6)], [(80, 0, 90, "slit", 6, 0)]),
    "V outward": ([(98, 0), (100, -6), (102, 0)], [(100, 0, 90, "v", 6, 4)]),
    "V, a mouth end 0.2 mm outside": ([(118, -0.2), (120, 6), (122, 0)],
                                      [(120, 0, 90, "v", 6.1, math.hypot(4, 0.2))]),
    "V across a corner": ([tuple(np.array([140.0, 0.0]) + p)
                           for p in (-2 * _CORNER_T, 6 * _CORNER_N, 2 * _CORNER_T)],
                          [(140, 0, math.degrees(math.atan2(_CORNER_N[1], _CORNER_N[0])), "v", 6, 4)]),
}


@pytest.mark.parametrize("turn", TURNS)
@pytest.mark.parametrize("how", ["as listed", "reversed", "each line backwards"])
def test_notches_drawn_across_or_outside_the_cut_line(tmp_path, turn, how):
    """A tick drawn from a little outside the cut line in, a tick or a V drawn outward from it (as
    printed and home-sewing patterns mark notches), a V whose mouth end lies 0.2 mm outside and
    a V drawn across a corner of the cut line were each "open line outside every piece; not
    used": lost. Each is a notch of the kind drawn where it meets the cut line, cutting into the
    piece (one drawn outward as deep as drawn, reported), in any order, either way, turned and
    mirrored."""
    points, _ = turned(turn)
    marks = [pts for pts, _ in EDGE_NOTCHES.values()]
    if how == "reversed":
        marks = marks[::-1]
    elif how == "each line backwards":
        marks = [pts[::-1] for pts in marks]
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(points(_EDGE_OUTLINE).tolist(), close=True)
    for pts in marks:
        msp.add_lwpolyline(points(pts).tolist())
    msp.add_text("Piece Name: Cuff", dxfattribs={"insert": tuple(points([(100, 50)])[0])})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    want = [r for _, rows in EDGE_NOTCHES.values() for r in rows]
    assert notch_rows(p.notches) == expected_rows(want, turn)
    assert not [e for e in pat.report.entries if "outside every piece" in e.message]
    assert ("warning", "2 notch(es) drawn outward from the cut line (as printed patterns mark them): cut "
            "into the piece, as deep as drawn") in [(e.kind, e.message) for e in pat.report.entries]


def test_a_line_across_the_cut_line_is_not_called_outside_every_piece(tmp_path):
    """A line half on a piece, too long for a notch, is not used; the remark said it lay
    "outside every piece". It says where it lies now."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(_EDGE_OUTLINE, close=True)
    msp.add_line((50, -20), (50, 20))
    pat = read_pattern(save(doc, tmp_path))
    assert not pat.pieces[0].notches
    assert [e.message for e in pat.report.entries if "open line" in e.message] == [
        "open line across or against the cut line of a piece (50 % of its length on the piece), not a notch; "
        "not used"]


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


@pytest.mark.parametrize("gap", [0.05, 0.5, 0.9])
@pytest.mark.parametrize("open_size", ["S", "M", "L"])
def test_graded_nest_on_size_layers_with_a_gap_under_a_millimetre(tmp_path, gap, open_size):
    """Sizes drawn one over the other on layers of their own (Optitex's plain export): one size's
    cut line left open by 0.5 mm was refused ("a gap of 0.500 mm ..., more than the 1 mm kitcut
    closes", probe 36), where 0.05 mm was closed. It is closed and reported, as a gap in a line
    clear of every piece is; a pocket mark on the front with the same gap stays open lines."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    front = np.array([(0, 0), (260, 0), (270, 380), (190, 540), (120, 560), (0, 480)], float)
    back = np.array([(0, 0), (265, 0), (275, 380), (200, 545), (0, 545)], float) + (400, 0)
    for k, size in enumerate(["S", "M", "L"]):
        f = 1.0 + 0.05 * k
        layer = {"layer": str(k + 1)}
        for name, outline in (("FRONT", front), ("BACK", back)):
            pts = [tuple(v) for v in outline * f]
            if size == open_size and name == "BACK":  # the last side stops short of the first point
                (x0, y0), (x1, y1) = pts[0], pts[-1]
                d = math.hypot(x1 - x0, y1 - y0)
                end = (x0 + (x1 - x0) * gap / d, y0 + (y1 - y0) * gap / d)
                msp.add_lwpolyline([*pts, end], dxfattribs=layer)
            else:
                msp.add_lwpolyline(pts, close=True, dxfattribs=layer)
            x, y = outline.mean(axis=0) * f
            msp.add_mtext(f"Piece Name: {name}\\PSize: {size}", dxfattribs={**layer, "char_height": 5,
                                                                           "insert": (x - 40, y + 30 * k)})
    pocket = [(60, 300), (160, 300), (160, 400), (60, 400), (60, 300 + 0.5)]  # on the front, open by 0.5 mm
    msp.add_lwpolyline(pocket, dxfattribs={"layer": "1"})
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((p.name, p.size) for p in pat.pieces)
    assert got == sorted((n, s) for n in ("FRONT", "BACK") for s in ("S", "M", "L"))
    for p in pat.pieces:
        f = 1.0 + 0.05 * "SML".index(p.size)
        want = Polygon((front if p.name == "FRONT" else back) * f).area
        assert p.area == pytest.approx(want, rel=2e-3)
        assert not p.cutouts
    said = [r.message for r in pat.report.repairs if "closed a gap" in r.message]
    assert len(said) == 1 and f"closed a gap of {gap:.3f} mm" in said[0]
    (small_front,) = [p for p in pat.pieces if (p.name, p.size) == ("FRONT", "S")]
    assert any(len(line.points) >= 4 for line in small_front.internal_lines)  # the pocket mark


@pytest.mark.parametrize("depth", [40, 80, 170])
@pytest.mark.parametrize("darts", [1, 2])
def test_sew_line_with_darts_is_no_cut_out(tmp_path, depth, darts):
    """Valentina's flat export: the cut line and the sew line 10 mm inside it on one layer, the
    sew line going into waist darts (20 mm wide) that the cut line bridges. With a dart deeper
    than 50 mm the sew line was read as a cut-out, and the panel cut as a 10 mm frame (probe 35:
    a shirt's back 25,067 mm² instead of 232,256). A hole as big with no part along the cut line
    (a circular flounce's) stays a cut-out."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 600), (0, 600)], close=True)
    bottom = [(10, 10)]
    for x in ([150] if darts == 1 else [100, 200]):
        bottom += [(x - 10, 10), (x, 10 + depth), (x + 10, 10)]
    msp.add_lwpolyline([*bottom, (290, 10), (290, 590), (10, 590)], close=True)
    msp.add_lwpolyline([(400, 0), (700, 0), (700, 600), (400, 600)], close=True)
    msp.add_lwpolyline([(460, 60), (640, 60), (640, 540), (460, 540)], close=True)  # 60 mm in: a hole
    pat = read_pattern(save(doc, tmp_path))
    panel, framed = sorted(pat.pieces, key=lambda p: p.bounds[0])
    assert panel.area == pytest.approx(180000.0) and not panel.cutouts and len(panel.sew_lines) == 1
    assert len(panel.sew_lines[0].points) == 4 + 3 * darts
    assert framed.area == pytest.approx(180000.0 - 180 * 480) and len(framed.cutouts) == 1


@pytest.mark.parametrize("sew", [False, True])
@pytest.mark.parametrize("turn", [0.0, 33.0])
def test_fish_eye_darts_are_drawn_not_cut(tmp_path, sew, turn):
    """Closed darts pointed at both ends (fish-eye darts, as a diamond or a lens) inside a piece
    are sewn, not cut: they were cut-outs, a bodice back cut with two holes of 4,300 mm²
    (Valentina's flat export; probe 35). An oval, a rectangle and a teardrop (one point) inside
    the piece stay cut-outs."""
    at, _ = turned((turn, False, (0.0, 0.0)))
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(at([(0, 0), (400, 0), (400, 700), (0, 700)]), close=True)
    if sew:
        msp.add_lwpolyline(at([(10, 10), (390, 10), (390, 690), (10, 690)]), close=True)
    diamond = [(100, 150), (115, 300), (100, 450), (85, 300)]
    lens = [(300, 150)] + [(300 + 16 * math.sin(math.pi * k / 10), 150 + 30 * k) for k in range(1, 10)] + \
        [(300, 450)] + [(300 - 16 * math.sin(math.pi * k / 10), 450 - 30 * k) for k in range(1, 10)]
    oval = [(200 + 20 * math.cos(a), 560 + 60 * math.sin(a)) for a in np.linspace(0, 2 * math.pi, 40)[:-1]]
    box = [(60, 560), (90, 560), (90, 640), (60, 640)]
    tear = [(300, 520)] + [(300 + 20 * math.cos(a), 600 + 20 * math.sin(a))
                           for a in np.linspace(-1.2, 4.34, 20)]
    for ring in (diamond, lens, oval, box, tear):
        msp.add_lwpolyline(at(ring), close=True)
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    holes = sorted(round(abs(ring_area(h))) for h in p.cutouts)
    want = sorted(round(abs(Polygon(r).area)) for r in (oval, box, tear))
    assert holes == want
    assert len(p.internal_lines) == 2  # the two darts, drawn
    said = "2 closed dart(s) inside a piece, pointed at both ends"
    assert any(said in w.message for w in pat.report.warnings)
    assert bool(p.sew_lines) == sew


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


def _spline_exact(ctrl, degree, knots):
    """The outline of a spline evaluated densely over its defined span (knot ``degree`` to
    knot ``len(ctrl)``): the reference the reader is checked against."""
    from ezdxf.math import BSpline

    s = BSpline(ctrl, order=degree + 1, knots=knots)
    t = np.linspace(knots[degree], knots[len(ctrl)], 4001)
    return Polygon([(v.x, v.y) for v in s.points(t)])


def test_periodic_spline_is_read_over_its_defined_span(tmp_path):
    """A closed spline as LibreCAD writes it: its first ``degree`` control points repeated at
    the end and a uniform unclamped knot vector. The curve is defined from knot ``degree`` on;
    flattened over the whole knot vector it ran off into a self-intersecting outline twice its
    area and was refused. An open unclamped spline closed by a LINE was an open line outside
    every piece, and its piece was lost."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    ring = [(0, 0), (200, -50), (350, 50), (300, 250), (100, 300), (-50, 150)]
    wrapped = ring + ring[:3]
    knots = list(range(len(wrapped) + 4))
    sp = msp.add_spline(degree=3, dxfattribs={"flags": 1 | 2 | 8})
    sp.control_points, sp.knots = wrapped, knots
    msp.add_text("Piece Name: LOOP", dxfattribs={"insert": (100, 100)})
    arc = [(1000, 0), (1100, 120), (1300, 150), (1500, 40), (1600, 0)]
    kn = [0, 1, 2, 3, 4, 5, 6, 7, 8]
    sp = msp.add_spline(degree=3)
    sp.control_points, sp.knots = arc, kn
    s = sp.construction_tool()
    a, b = s.point(kn[3]), s.point(kn[5])
    msp.add_line((b.x, b.y), (a.x, a.y))
    msp.add_text("Piece Name: ARCH", dxfattribs={"insert": (1300, 60)})
    pat = read_pattern(save(doc, tmp_path))
    got = {p.name: p for p in pat.pieces}
    assert sorted(got) == ["ARCH", "LOOP"]
    loop = _spline_exact(wrapped, 3, knots)
    arch = Polygon(list(_spline_exact(arc, 3, kn).exterior.coords))
    for name, want in (("LOOP", loop), ("ARCH", arch)):
        have = Polygon(got[name].outline)
        assert have.area == pytest.approx(want.area, rel=2e-3)
        assert have.symmetric_difference(want).area < 3e-3 * want.area
    assert not pat.report.skipped


def test_degree_one_spline_keeps_its_corners(tmp_path):
    """A spline of degree 1 (a polyline stored as a SPLINE) is its control polygon: a 200 x 100
    rectangle came out 205.7 x 102.7 mm, rounded through its corners."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    sp = doc.modelspace().add_spline(degree=1, dxfattribs={"flags": 1})
    sp.control_points = [(0, 0), (200, 0), (200, 100), (0, 100), (0, 0)]
    sp.knots = [0, 0, 1, 2, 3, 4, 4]
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    assert p.area == pytest.approx(20000.0, rel=1e-9)
    assert np.ptp(p.outline, axis=0) == pytest.approx([200.0, 100.0], abs=1e-9)


_HALF_BACK = [(0, 0), (150, 0), (170, 300), (0, 320)]


@pytest.mark.parametrize("layer", ["FOLD", "Mirror line", "Stoffbruch", "pliure", "6", "连折线", "わ", "골선",
                                   "Линия сгиба", "Linia zgięcia"])
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


@pytest.mark.parametrize(("ends", "past"), [(((0, -10), (0, 330)), False), (((0, 10), (0, 310)), False),
                                            (((0, -400), (0, 330)), True), (((0, 10), (0, 700)), True)])
def test_a_plain_fold_line_along_part_of_or_past_the_fold_edge_unfolds_about_the_whole_edge(tmp_path, ends,
                                                                                            past):
    """A fold line on a fold layer drawn 10 mm past each end of the fold edge, or from sew point to
    sew point: the first was dropped as "open line outside every piece", the other unfolded about
    nothing (the half was cut); both now unfold about the whole straight edge. A line running far
    past the edge (over half of it outside the piece) stays outside every piece."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(_HALF_BACK, close=True)
    msp.add_line(*ends, dxfattribs={"layer": "FOLD"})
    msp.add_text("Piece Name: BACK", dxfattribs={"insert": (40, 100)})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    if past:
        assert not p.folded and p.area == pytest.approx(Polygon(_HALF_BACK).area)
        lo, hi = ends[0][1], ends[1][1]
        on = round(100 * (min(320, hi) - max(0, lo)) / (hi - lo))  # the share along the fold edge
        assert any(f"open line across or against the cut line of a piece ({on} % of its length on the piece)"
                   in e.message for e in pat.report.entries)
        return
    assert p.folded and p.unfolded and p.area == pytest.approx(2 * Polygon(_HALF_BACK).area)
    assert p.fold_line.points.tolist() == [[0, 0], [0, 320]]
    assert p.bounds == pytest.approx((-170.0, 0.0, 170.0, 320.0))
    said = [(e.piece, e.message) for e in pat.report.warnings if "fold" in e.message]
    if ends[0][1] < 0:
        assert said == [("BACK", "fold line on layer FOLD (340.0 mm) runs past the ends of the piece's "
                         "straight edge: that edge is its fold")]
    else:
        assert said == [("BACK", "mirror line drawn 300.0 mm long, 10.0 mm short of an end of the 320.0 mm "
                         "straight edge it lies along: the whole edge is taken as the fold")]


_OPEN_HALF = [(0, -10), (160, -10), (180, 300), (0, 330)]  # a half back's cut line without its fold edge


@pytest.mark.parametrize(("fold", "role"), [
    (((0, -10), (0, 330)), None),  # end to end: it was chained into the outline, and the half cut
    (((0, 330), (0, -10)), "fold"),  # the user said the layer holds folds: it was refused
    (((0, -40), (0, 400)), None),  # past both ends: it was refused (the ends met nothing)
    (((0, 5), (0, 315)), None),  # from sew point to sew point, 15 mm short of each end
])
def test_a_cut_line_open_at_its_fold_line_is_closed_along_it_and_unfolded(tmp_path, fold, role):
    """A half drawn as its cut line without the fold edge, the fold line on a fold layer closing
    it: the fold line was taken into the outline as an edge, and half a back was cut with exit
    status 0 (only "an outline drawn on layers 0 and FOLD read as one" said); drawn past the
    ends, or given the fold role, nothing closed and the file was refused. The cut line is now
    closed along the fold line and the half unfolded about it, said as a repair."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(_OPEN_HALF)
    msp.add_line(*fold, dxfattribs={"layer": "FOLD"})
    msp.add_text("Piece Name: BACK", dxfattribs={"insert": (40, 100)})
    pat = read_pattern(save(doc, tmp_path), layers={"FOLD": role} if role else None)
    (p,) = pat.pieces
    half = Polygon(_OPEN_HALF).area
    assert p.name == "BACK" and p.folded and p.unfolded and p.area == pytest.approx(2 * half)
    assert p.bounds == pytest.approx((-180.0, -10.0, 180.0, 330.0))
    assert np.allclose(sorted(map(tuple, p.fold_line.points.tolist())), [(0, -10), (0, 330)])
    assert ["an open line of layer 0 with its ends on the fold line of layer FOLD, at (0.0, -10.0) and "
            "(0.0, 330.0): closed along the fold line (a half on the fold)"] == [
        e.message for e in pat.report.repairs if "fold" in e.message]
    (q,) = read_pattern(save(doc, tmp_path), unfold=False, layers={"FOLD": role} if role else None).pieces
    assert q.folded and not q.unfolded and q.area == pytest.approx(half)


def test_lines_ending_on_a_fold_line_that_close_no_half_stay_as_they_were(tmp_path):
    """What the fold closes is a cut line outside every piece: a mark inside a closed half that
    ends on its fold line stays a line; a cut line whose ends lie 5 mm off the fold line is
    still refused as open, and one closed by a line of a layer that is no fold layer (``CF``)
    is read as an outline drawn on two layers, as before, not unfolded."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(_HALF_BACK, close=True)
    msp.add_line((0, 0), (0, 320), dxfattribs={"layer": "FOLD"})
    msp.add_lwpolyline([(0, 100), (60, 100), (60, 200), (0, 200)])  # a pocket mark from the fold
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    assert p.unfolded and p.area == pytest.approx(2 * Polygon(_HALF_BACK).area)
    assert len(p.internal_lines) == 2 and not p.cutouts
    for layer, x in (("FOLD", 5), ("CF", 0)):
        doc = ezdxf.new("R2010")
        doc.header["$INSUNITS"] = 4
        doc.modelspace().add_lwpolyline(_OPEN_HALF)
        doc.modelspace().add_line((x, -10), (x, 330), dxfattribs={"layer": layer})
        if layer == "FOLD":
            with pytest.raises(GeometryError, match="no closed outline"):
                read_pattern(save(doc, tmp_path))
            continue
        pat = read_pattern(save(doc, tmp_path))
        (p,) = pat.pieces
        assert not p.folded and p.area == pytest.approx(Polygon(_OPEN_HALF).area)
        assert any("an outline drawn on layers 0 and CF read as one" in e.message for e in pat.report.repairs)


@pytest.mark.parametrize("how", ["DASHED", "layer HIDDEN", "CENTER past the ends", "solid", "two dashed",
                                 "DASHED on layer 0"])
def test_a_dashed_line_along_the_fold_edge_on_the_cut_layer_is_the_fold(tmp_path, how):
    """A fold drawn as a dashed (or dash-dot) line on the cut lines' own layer along the straight
    fold edge was an internal line, and the half was cut; it is the fold line, reported. So it is
    on layer 0, DXF's own (it was said to be no fold line drawn at all). A solid line there, or
    dashed lines along two edges (which is the fold?), stay lines."""
    doc = ezdxf.new("R2010", setup=True)
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    layer = "CUT"
    doc.layers.add(layer, linetype="HIDDEN" if how == "layer HIDDEN" else "Continuous")
    msp.add_lwpolyline(_HALF_BACK, close=True, dxfattribs={"layer": layer, "linetype": "Continuous"})
    lt = {"DASHED": "DASHED", "CENTER past the ends": "CENTER", "two dashed": "DASHED", "solid": "Continuous",
          "layer HIDDEN": "BYLAYER", "DASHED on layer 0": "DASHED"}[how]
    ends = ((0, -5), (0, 325)) if how == "CENTER past the ends" else ((0, 0), (0, 320))
    msp.add_line(*ends, dxfattribs={"layer": "0" if how == "DASHED on layer 0" else layer, "linetype": lt})
    if how == "two dashed":
        msp.add_line((20, 0), (130, 0), dxfattribs={"layer": layer, "linetype": lt})
    msp.add_text("Piece Name: BACK", dxfattribs={"insert": (40, 100)})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    said = [(e.piece, e.message) for e in pat.report.warnings if "broken" in e.message]
    if how in ("solid", "two dashed"):
        assert not p.folded and p.area == pytest.approx(Polygon(_HALF_BACK).area) and not said
        assert len(p.internal_lines) == (1 if how == "solid" else 2)
        return
    assert p.folded and p.unfolded and p.area == pytest.approx(2 * Polygon(_HALF_BACK).area)
    assert p.fold_line.points.tolist() == [[0, 0], [0, 320]] and not p.internal_lines
    where = "layer 0" if how == "DASHED on layer 0" else "its layer"
    assert said == [("BACK", f"a broken (dashed) line along a straight edge of the cut line, on {where}, is "
                     "taken for the fold line")]


@pytest.mark.parametrize("style", ["line", "arrowed"])
def test_a_grain_line_across_the_cut_line_keeps_its_part_on_the_piece(tmp_path, style):
    """A grain line drawn down the centre front past the neckline was dropped whole as "open line
    outside every piece", and the piece had no grain; now its part on the piece is the grain
    line, reported (as an internal line across the cut line keeps its part)."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(_HALF_BACK, close=True)
    if style == "line":
        msp.add_line((50, 20), (50, 400), dxfattribs={"layer": "GRAIN"})
    else:
        arrows = [(46, 30), (50, 20), (54, 30), (50, 20), (50, 400), (46, 390), (50, 400), (54, 390)]
        msp.add_lwpolyline(arrows, dxfattribs={"layer": "GRAIN"})
    msp.add_text("Piece Name: BACK", dxfattribs={"insert": (80, 100)})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    top = 320 - 20 * 50 / 170  # where x = 50 meets the top edge (0, 320) - (170, 300)
    assert p.grain is not None
    assert np.allclose(p.grain.points, [(50, 20), (50, top)])
    said = [(e.piece, e.message) for e in pat.report.warnings if "grain" in e.message]
    assert said == [("BACK", f"grain line on layer GRAIN crosses the cut line: its part on the piece "
                     f"({top - 20:.1f} of 380.0 mm) is the grain line")]


_HALF = [(0, 0), (150, 0), (170, 300), (0, 320)]  # a back drawn as the half right of its fold, x = 0
_BRACKETS = {
    "inside": [(0, 50), (15, 50), (15, 270), (0, 270)],  # FreeSewing's: 15 mm inside
    "outside": [(0, 270), (-20, 270), (-20, 50), (0, 50)],
    "with arrowheads": [(4, 48), (0, 50), (4, 52), (0, 50), (15, 50), (15, 270), (0, 270), (4, 268), (0, 270),
                        (4, 272)],
    "with arrowhead lines": [(0, 50), (15, 50), (15, 270), (0, 270)],  # and the legs as LINEs
}


def _bracket_doc(bracket, other=None, other_piece=None, heads=False):
    """BACK (``_HALF``) with the open line ``bracket`` on the cut lines' layer; FRONT beside it (a
    half, or ``other_piece``) with the open line ``other``; ``heads``: the bracket's arrowhead legs
    as lines of their own."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(_HALF, close=True)
    msp.add_lwpolyline(bracket)
    if heads:
        for y, dy in ((50, 2), (50, -2), (270, 2), (270, -2)):
            msp.add_line((0, y), (4, y + dy))
    msp.add_text("Piece Name: BACK", dxfattribs={"insert": (60, 100)})
    if other is not None:
        msp.add_lwpolyline([(x + 500, y) for x, y in other_piece], close=True)
        msp.add_lwpolyline([(x + 500, y) for x, y in other])
        msp.add_text("Piece Name: FRONT", dxfattribs={"insert": (560, 100)})
    return doc


@pytest.mark.parametrize("where", sorted(_BRACKETS))
def test_a_cut_on_fold_bracket_makes_its_edge_the_fold_line(tmp_path, where):
    """A half cut on the fold marked, as FreeSewing and printed patterns mark it, by a "cut on
    fold" bracket (an open line on the cut lines' layer leaving the straight edge at a right
    angle, running along it and coming back; its text dropped by Inkscape's DXF outputs) was
    nested as the half: a garment cut from it half as wide, the bracket drawn on it. The edge is
    its fold line now, as on a fold layer: unfolded, reported; --keep-folded keeps the half."""
    path = save(_bracket_doc(_BRACKETS[where], heads=where == "with arrowhead lines"), tmp_path)
    pat = read_pattern(path)
    (p,) = pat.pieces
    assert p.notches == ()  # no arrowhead leg is a notch cut into the fold
    assert p.folded and p.unfolded and p.area == pytest.approx(2 * Polygon(_HALF).area)
    assert (p.width, p.height) == pytest.approx((340, 320))
    assert np.allclose(sorted(map(tuple, p.fold_line.points.tolist())), [(0, 0), (0, 320)])
    assert p.internal_lines == ()  # the bracket is no line drawn on the garment
    (w,) = [w for w in pat.report.warnings if "bracket" in w.message]
    assert w.piece == "BACK"
    if where == "with arrowhead lines":  # two are chained into the bracket's line, two stand apart
        assert [e.message for e in pat.report.skipped] == [
            '2 arrowhead leg(s) of a "cut on fold" bracket drawn as separate lines from the fold; not used '
            '(no notches)']
    assert w.message == ("an open line leaving the straight edge from (0.0, 320.0) to (0.0, 0.0) at a right "
                         "angle, running along it and coming back is a \"cut on fold\" bracket: that edge is "
                         "the piece's fold line, the piece a half")
    (q,) = read_pattern(path, unfold=False).pieces
    assert q.folded and not q.unfolded and q.area == pytest.approx(Polygon(_HALF).area)
    assert (q.width, q.height) == pytest.approx((170, 320))


def test_a_fold_bracket_on_an_edge_with_a_vertex_just_off_it_unfolds_about_the_edge(tmp_path):
    """FreeSewing's seam allowance leaves the fold edge 0.06 mm off at its end (Brian's back):
    the fold line is the edge beside the bracket, not tilted to that vertex (the unfolded piece
    was 37 mm² larger than twice the half)."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (150, 0), (170, 300), (-0.06, 320), (0, 310)], close=True)
    msp.add_lwpolyline(_BRACKETS["inside"])
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    assert np.allclose(sorted(map(tuple, p.fold_line.points.tolist())), [(0, 0), (0, 320)])
    assert p.unfolded and p.area == pytest.approx(2 * Polygon(_HALF).area, rel=1e-12)


_STEPPED = [(0, 0), (150, 0), (170, 300), (-5, 320), (-5, 160), (0, 160)]  # its edge steps at y = 160


@pytest.mark.parametrize("other, piece", [
    ([(0, 50), (15, 60), (15, 260), (0, 270)], _HALF),  # legs not at a right angle
    ([(0, 50), (15, 50), (15, 270), (-5, 270)], _STEPPED),  # ends on two edges, not one straight one
    ([(0, 50), (15, 50), (15, 90), (0, 90)], _HALF),  # a box notch's shape: as long as deep
    ([(0, 50), (15, 50), (15, 270), (0, 270)], [(0, 0), (150, 0), (170, 300), (0, 320), (0, 160), (8, 150),
                                                (0, 140)]),  # the edge is not straight between its ends
], ids=["slanted legs", "two edges", "short run", "kinked edge"])
def test_a_line_that_is_not_clearly_a_fold_bracket_changes_nothing(tmp_path, other, piece):
    """Beside a bracketed BACK (unfolded, which old code did not do), FRONT's open line is not
    clearly a "cut on fold" bracket: FRONT stays as drawn (as without the line), the line on it."""
    before = read_pattern(save(_bracket_doc(_BRACKETS["inside"], [], piece), tmp_path, "a.dxf"))
    pat = read_pattern(save(_bracket_doc(_BRACKETS["inside"], other, piece), tmp_path))
    back, front = sorted(pat.pieces, key=lambda p: p.name)
    assert back.unfolded and back.area == pytest.approx(2 * Polygon(_HALF).area)
    assert not front.folded and front.fold_line is None
    (was,) = [p for p in before.pieces if p.name == "FRONT"]
    assert front.area == pytest.approx(was.area) and front.width == pytest.approx(was.width)
    assert len(front.internal_lines) == len(was.internal_lines) + 1
    assert [w.piece for w in pat.report.warnings if "bracket" in w.message] == ["BACK"]


@pytest.mark.parametrize("layer, is_grain", [("GRAIN", True), ("Fadenlauf", True), ("droit-fil", True),
                                             ("linea de hilo", True), ("Linha do fio", True), ("纱向", True),
                                             ("Drittofilo", True), ("Долевая нить", True), ("丝缕线", True),
                                             ("식서", True), ("profile", False)])
def test_grain_layer_names_in_the_languages_of_pattern_cad(layer, is_grain):
    from kitcut.formats.reading.layer_names import GRAIN_LAYER

    assert bool(GRAIN_LAYER.search(layer)) == is_grain


@pytest.mark.parametrize("layer, role", [("NOTCH", "notch"), ("Knipse", "notch"), ("刀口", "notch"),
                                         ("合印", "notch"), ("合わせ", None), ("折线", None), ("わ", "fold"),
                                         ("Perçage", "drill"), ("钻孔", "drill"), ("NET", "sew"),
                                         ("Network", None), ("Internet", None), ("CUT", None)])
def test_mark_layer_names_in_the_languages_of_pattern_cad(layer, role):
    """Notch, fold, drill and sew layers named in other languages; a Japanese matching mark
    (合わせ) is no fold, and a Chinese polyline (折线) is no fold line."""
    from kitcut.formats.reading.layer_names import name_role

    assert name_role(layer, ()) == role


def test_aama_drawing_with_its_blocks_exploded(tmp_path):
    """An AAMA pattern whose blocks were exploded in a CAD is a plain drawing on the AAMA layers:
    the grain line on layer 7, a notch as a POINT on layer 4 (its angle kept), a drill as a POINT
    on layer 13 are read as such (they were an internal line and two points not used)."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True, dxfattribs={"layer": "1"})
    msp.add_text("Piece Name: FRONT", dxfattribs={"insert": (50, 100), "layer": "1"})
    msp.add_line((150, 30), (150, 170), dxfattribs={"layer": "7"})
    msp.add_line((40, 30), (40, 170), dxfattribs={"layer": "8"})
    msp.add_point((100, 0, -6.0), dxfattribs={"layer": "4", "angle": 90.0})
    msp.add_point((200, 100, 0), dxfattribs={"layer": "13"})
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    assert np.allclose(sorted(map(tuple, p.grain.points.tolist())), [(150, 30), (150, 170)])
    assert len(p.internal_lines) == 1
    (n,) = p.notches
    assert (n.x, n.y, n.angle_deg, n.depth) == (100.0, 0.0, 90.0, 6.0)
    assert [(d.x, d.y) for d in p.drills] == [(200.0, 100.0)]


@pytest.mark.parametrize("sizes", [1, 3])
def test_closed_lines_on_aama_layer_8_of_an_exploded_export_are_drawn(tmp_path, sizes):
    """AccuMark's label boxes (23 x 35 mm rectangles) on layer 8, its internal lines, in an
    export whose blocks were exploded, were cut out of the front (probe 36: two 805 mm² holes),
    one size alone or a graded nest. They are drawn on the piece; a closed line on layer 11 (or
    the piece's own layer) is still a cut-out, and Optitex's size layer 8 still holds pieces."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for k in range(sizes):
        f = 1.0 + 0.04 * k
        msp.add_lwpolyline([(0, 0), (300 * f, 0), (300 * f, 200 * f), (0, 200 * f)], close=True,
                           dxfattribs={"layer": "1"})
        msp.add_text(f"Size: {38 + 2 * k}", dxfattribs={"insert": (50, 100 + 10 * k), "layer": "1"})
    msp.add_text("Piece Name: FRONT", dxfattribs={"insert": (50, 60), "layer": "1"})
    msp.add_lwpolyline([(200, 40), (223, 40), (223, 75), (200, 75)], close=True, dxfattribs={"layer": "8"})
    hole = [(120, 140), (140, 140), (140, 160), (120, 160)]
    msp.add_lwpolyline(hole, close=True, dxfattribs={"layer": "11"})
    pat = read_pattern(save(doc, tmp_path))
    assert len(pat.pieces) == sizes
    for p in pat.pieces:
        holes = [round(abs(ring_area(c))) for c in p.cutouts]  # the layer-11 hole only (a graded
        assert holes == [400] if sizes == 1 else set(holes) <= {400}  # nest's: on its largest size)
        boxes = [line for line in p.internal_lines if np.allclose(line.points.min(axis=0), (200, 40))]
        assert len(boxes) == 1 and np.allclose(np.ptp(boxes[0].points, axis=0), (23, 35))
    assert any("on layer 8 (AAMA's internal lines" in w.message for w in pat.report.warnings)


def test_numbered_size_layers_are_not_aama_mark_layers(tmp_path):
    """Optitex numbers its size layers (1..8): a line on layer 7 beside a piece of layer 7 is that
    size's internal line, not a grain line; a point on layer 4 beside a piece of layer 4 is no
    notch. The AAMA meanings hold only on numbered layers without pieces."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for k, layer in enumerate(("4", "7")):
        x = 400 * k
        at = {"layer": layer}
        msp.add_lwpolyline([(x, 0), (x + 300, 0), (x + 300, 200), (x, 200)], close=True, dxfattribs=at)
        msp.add_line((x + 150, 30), (x + 150, 170), dxfattribs={"layer": layer})
        msp.add_line((x + 40, 30), (x + 40, 170), dxfattribs={"layer": layer})
        msp.add_point((x + 100, 0, 0), dxfattribs={"layer": layer})
    pat = read_pattern(save(doc, tmp_path))
    assert all(p.grain is None and len(p.internal_lines) == 2 and not p.notches for p in pat.pieces)


def test_outline_drawn_on_two_layers_is_one_outline(tmp_path):
    """A cut line whose lines were drawn partly on another layer was "no closed outline"; it is
    one outline, on the layer most of it is on, and reported."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    pts = [(0, 0), (300, 0), (300, 200), (0, 200)]
    for k, (p, q) in enumerate(zip(pts, pts[1:] + pts[:1], strict=True)):
        msp.add_line(p, q, dxfattribs={"layer": "CUT" if k != 2 else "0"})
    msp.add_text("Piece Name: FRONT", dxfattribs={"insert": (50, 100), "layer": "CUT"})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.name == "FRONT" and p.area == pytest.approx(60000.0)
    assert any("drawn on layers 0 and CUT read as one" in r.message for r in pat.report.repairs)


def test_cut_out_touching_the_cut_line_and_pieces_drawn_across_each_other(tmp_path):
    """A cut-out with a corner on the cut line is the piece's cut-out (it was a second piece
    drawn over the first, for its corner is not strictly inside); a piece drawn against another
    (one edge in common) stays a piece of its own. A ring drawn across the cut line is read as
    a piece of its own and reported, as it may be a cut-out misdrawn; sizes drawn over each
    other on one layer are not."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    msp.add_lwpolyline([(150, 0), (200, 50), (100, 50)], close=True)  # a corner on the cut line
    msp.add_lwpolyline([(300, 0), (400, 0), (400, 200), (300, 200)], close=True)  # against it
    msp.add_lwpolyline([(0, 300), (300, 300), (300, 500), (0, 500)], close=True)
    msp.add_lwpolyline([(250, 350), (350, 350), (350, 400), (250, 400)], close=True)  # across it
    # two sizes drawn over each other
    for y, w, size, at in ((700, 100, "S", (5, 705)), (720, 120, "M", (110, 760))):
        msp.add_lwpolyline([(0, y), (w, y), (w, y + 50), (0, y + 50)], close=True)
        msp.add_text(f"Size: {size}", dxfattribs={"insert": at, "height": 3})
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((round(p.area), len(p.cutouts), p.size or "") for p in pat.pieces)
    assert got == [(5000, 0, ""), (5000, 0, "S"), (6000, 0, "M"), (20000, 0, ""), (57500, 1, ""),
                   (60000, 0, "")]
    over = [str(w) for w in pat.report.warnings if "drawn over each other" in str(w)]
    assert len(over) == 1 and "(2,500 mm² in common)" in over[0], over


def test_entities_invisible_in_the_drawing_are_not_read(tmp_path):
    """An outline or a line flagged invisible (construction geometry the CAD does not show) is
    not a piece nor a mark: skipped and reported, as the pattern maker never saw it."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    msp.add_lwpolyline([(400, 0), (700, 0), (700, 200), (400, 200)], close=True, dxfattribs={"invisible": 1})
    msp.add_line((0, 100), (300, 100), dxfattribs={"invisible": 1})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert (round(p.area), len(p.internal_lines)) == (60000, 0)
    skipped = sorted(e.message for e in pat.report.skipped)
    why = "entities invisible in the drawing (the CAD does not show them); not read"
    assert skipped == [f"{why}: 1 LINE on layer 0", f"{why}: 1 LWPOLYLINE on layer 0"]


def test_a_drawing_of_unreadable_curves_says_so(tmp_path):
    """A drawing whose only curve is a SPLINE with a broken knot vector (5 control points of
    degree 3 need 9 knots; it has 7) was said to have "no lines or curves"."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    sp = doc.modelspace().add_spline(degree=3, dxfattribs={"flags": 1})
    sp.control_points = [(0, 0), (200, 0), (200, 100), (0, 100), (0, 0)]
    sp.knots = [0, 0, 1, 2, 3, 4, 4]
    with pytest.raises(GeometryError, match=r"1 curve\(s\) cannot be read .*SPLINE #\w+ on layer 0"):
        read_pattern(save(doc, tmp_path))


@pytest.mark.parametrize("fast", [True, False])
def test_a_drawing_of_a_polyface_mesh_says_what_it_is(tmp_path, fast):
    """A piece exported as a polyface mesh (a POLYLINE of faces) was "a damaged definition",
    though ezdxf reads it well (probe 33): it is a mesh, to be exploded into polylines."""
    from kitcut.formats.reading.dxf_read import read_dxf

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    mesh = doc.modelspace().add_polyface()
    mesh.append_face([(0, 0, 0), (200, 0, 0), (200, 100, 0), (0, 100, 0)])
    with pytest.raises(GeometryError, match=r"1 POLYLINE\(s\) are meshes \(faces, not lines; e\.g\. POLYLINE "
                                            r"#\w+ on layer 0\): explode them into polylines"):
        read_dxf(save(doc, tmp_path), fast=fast)


def test_mtext_labels_wrapped_names_notes_and_hard_spaces(tmp_path):
    """An MTEXT label's line without a key: a wrapped name went into the name with a line break
    (``Front⏎Left side``, and the marker DXF showed ``FrontLeft side``); a note after the size
    became part of the size (``M⏎interlining``: ``--sizes M`` found no size M). A wrapped name is
    joined by a space, a note after a one-word field is an annotation, and ``\\~`` (MTEXT's
    non-breaking space) is a space, not the two characters."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    labels = [r"Piece Name: Front\PLeft side", r"Piece Name: Cuff\~Left",
              r"Piece Name: Yoke\PSize: M\Pinterlining"]
    for i, label in enumerate(labels):
        x = i * 300
        msp.add_lwpolyline([(x, 0), (x + 250, 0), (x + 250, 150), (x, 150)], close=True)
        msp.add_mtext(label, dxfattribs={"char_height": 5}).set_location((x + 20, 100))
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((p.name, p.size, p.annotations) for p in pat.pieces)
    assert got == [("Cuff Left", None, ()), ("Front Left side", None, ()), ("Yoke", "M", ("interlining",))]


def _inkscape_r14(tmp_path, insunits: int, k: float, width: float = 500.0, name: str = "ink.dxf",
                  inkscape: bool = True):
    """A piece as Inkscape's "Desktop Cutting Plotter (AutoCAD DXF R14)" output writes it
    (``dxf_outlines.py``): its header template (R14, an ``*ACTIVE`` viewport on an A4 page), the
    straight runs of the outline as open LWPOLYLINEs and its Bézier segment as a SPLINE of its
    own, coordinates ``k`` drawing units per mm. The piece is ``width`` × 412.5 mm."""
    import io

    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = insunits
    if inkscape:
        for v in doc.viewports:
            if v.dxf.name.upper() == "*ACTIVE":
                v.dxf.center, v.dxf.height = (210.0, 148.5), 341.0
    msp = doc.modelspace()
    w = width
    msp.add_lwpolyline([(0, 300 * k), (0, 0), (w * k, 0), (w * k, 300 * k)])
    msp.add_open_spline([(w * k, 300 * k), (w * k, 450 * k), (0, 450 * k), (0, 300 * k)], degree=3,
                        knots=[0, 0, 0, 0, 1, 1, 1, 1])
    out = io.StringIO()
    doc.write(out)
    text = out.getvalue()
    assert text.count("AC1015") == 1
    (tmp_path / name).write_text(text.replace("AC1015", "AC1014"))
    return tmp_path / name


def test_inkscape_r14_in_pixels_reads_with_units_px(tmp_path):
    """Inkscape's DXF R14 output of a page sized in pixels writes px coordinates with no unit
    ($INSUNITS 0): read 3.78 times too large as mm, and ``--units px`` was refused (unknown
    units), so a user could not read the file at its size at all. px is a unit now (1/96 in),
    and the unit guess names it for a file of Inkscape's."""
    path = _inkscape_r14(tmp_path, 0, 96 / 25.4)
    pat = read_pattern(path)
    assert (pat.units_in, pat.units_rule) == ("mm", "size check")
    (note,) = [w.message for w in pat.report.warnings if "no units declared" in w.message]
    assert note.endswith("; the file was written by Inkscape's DXF R14 output, whose coordinates are in the "
                         "unit of the SVG's page size: give --units px for a page sized in pixels (pieces "
                         "3.78 times too large in mm), --units in for one in inches")
    pat = read_pattern(path, units="px")
    (p,) = pat.pieces
    assert (pat.units_in, pat.units_rule) == ("px", "--units")
    w, h = np.ptp(p.outline, axis=0)
    assert (w, h) == (pytest.approx(500.0, abs=1e-6), pytest.approx(412.5, abs=0.01))


def test_inkscape_r14_header_in_the_display_unit(tmp_path):
    """Inkscape's DXF R14 output writes the document's display unit as $INSUNITS (cm here) and
    the coordinates in the page's unit (mm): the pieces were read ten times too large (a 5.6 m
    bodice), the header trusted because the outline, open curves chained, was never measured.
    In a file of Inkscape's the header must make the largest piece of garment size; in any
    other drawing it is trusted as before."""
    pat = read_pattern(_inkscape_r14(tmp_path, 5, 1.0, width=560.0))
    (p,) = pat.pieces
    assert (pat.units_in, pat.units_rule) == ("mm", "size check")
    assert np.ptp(p.outline, axis=0)[0] == pytest.approx(560.0)
    assert any(w.message.startswith("$INSUNITS says cm, which makes the largest outline 5.6 m long "
                                    "(Inkscape's DXF R14 output writes its display unit there")
               for w in pat.report.warnings)
    other = read_pattern(_inkscape_r14(tmp_path, 5, 1.0, width=560.0, name="other.dxf", inkscape=False))
    assert (other.units_in, other.units_rule) == ("cm", "$INSUNITS")


@pytest.mark.parametrize("layer", ["text", "Labels", "Beschriftung"])
def test_letters_turned_into_outlines_on_a_text_layer_are_drawn_not_cut(tmp_path, layer):
    """Inkscape's DXF outputs drop texts, so a label is converted to paths: its letters are
    closed outlines. On a layer named for texts they were cut out of the piece (an 'O' a hole,
    its counter a piece of its own) and letters beside a piece were pieces; they are internal
    lines of the piece they lie in now, and outside every piece reported, not cut."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True, dxfattribs={"layer": "cut"})
    at = {"layer": layer}
    msp.add_lwpolyline([(100, 100), (110, 100), (110, 115), (100, 115)], close=True, dxfattribs=at)  # an O
    msp.add_lwpolyline([(102, 102), (108, 102), (108, 113), (102, 113)], close=True, dxfattribs=at)
    msp.add_lwpolyline([(400, 100), (410, 100), (410, 115), (400, 115)], close=True, dxfattribs=at)
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert not p.cutouts and len(p.internal_lines) == 2 and p.area == pytest.approx(60000.0)
    assert pat.report.layers[layer]["role"] == "internal"
    assert [s.message for s in pat.report.skipped if layer in s.message] == [
        f"line on layer {layer} (internal, by its name) outside every piece; not used"]


def test_a_closed_speck_is_left_out_not_the_whole_file_refused(tmp_path):
    """Inkscape's R12 output leaves a marker's arrowhead as a tiny closed triangle at the origin:
    in a drawing in px (0.56 mm²) the whole file was refused ("degenerate outline: zero area").
    A closed line under 1 mm² is no piece: left out and reported; one of 2 mm² is still read."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    msp.add_lwpolyline([(500, 500), (501, 500), (500.5, 501)], close=True)  # 0.5 mm²
    msp.add_lwpolyline([(600, 500), (602, 500), (601, 502)], close=True)  # 2 mm²
    path = tmp_path / "speck.dxf"
    doc.saveas(path)
    pat = read_pattern(path)
    assert sorted(round(p.area, 3) for p in pat.pieces) == [2.0, 60000.0]
    assert [e.message for e in pat.report.skipped if "too small" in e.message] == [
        "closed line of 0.5 mm² on layer 0 at (500.0, 500.0): too small to be a piece (under 1 mm²); "
        "not used"]


def test_a_drill_drawn_as_a_round_loop_of_curves_is_a_drill_mark(tmp_path):
    """Inkscape's R14 output writes a circle as four curve segments: on a `drill` layer that loop
    was cut out of the piece as a 3 mm hole, where a CIRCLE there is a drill mark. A small round
    closed line on a drill layer is now a drill mark too; a loop outside every piece is reported."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True, dxfattribs={"layer": "cut"})
    for x in (100, 500):  # in the piece, and beside it
        for a in (0, 90, 180, 270):
            msp.add_arc((x, 80), 1.5, a, a + 90, dxfattribs={"layer": "drill"})
    msp.add_circle((200, 80), 1.5, dxfattribs={"layer": "drill"})
    msp.add_lwpolyline([(50, 150), (80, 150), (80, 170), (50, 170)], close=True,
                       dxfattribs={"layer": "drill"})
    path = tmp_path / "drill.dxf"
    doc.saveas(path)
    pat = read_pattern(path)
    (p,) = pat.pieces
    drills = sorted((d.x, d.y, round(d.diameter, 6)) for d in p.drills)
    assert drills == [(100.0, 80.0, 3.0), (200.0, 80.0, 3.0)]
    assert len(p.cutouts) == 1  # a 30 x 20 rectangle is no drill: still a cut-out
    assert [e.message for e in pat.report.skipped if "drill mark" in e.message] == [
        "drill mark (a round line of 3.0 mm) on layer drill at (500.0, 80.0) in no piece; not used"]


@pytest.mark.parametrize("layer", ["holes", "Hole", "PUNCH"])
def test_a_small_circle_on_a_hole_layer_is_a_drill_mark_a_large_one_a_cut_out(tmp_path, layer):
    """``nest info --layers`` named a ``holes`` layer a drill layer (by its name), yet its circles
    were cut out of the piece: a 3 mm drill mark became a 3 mm hole cut by the knife. A round
    closed line on it up to a drill's size (20 mm) is now a drill mark at its centre, with its
    diameter; a larger one is still a cut-out (a hole cut in the piece)."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 400), (0, 400)], close=True, dxfattribs={"layer": "cut"})
    msp.add_circle((150, 200), 3, dxfattribs={"layer": layer})
    msp.add_circle((100, 100), 20, dxfattribs={"layer": layer})
    path = tmp_path / "holes.dxf"
    doc.saveas(path)
    pat = read_pattern(path)
    (p,) = pat.pieces
    assert [(d.x, d.y, round(d.diameter, 3)) for d in p.drills] == [(150.0, 200.0, 6.0)]
    (hole,) = p.cutouts
    assert Polygon(hole).centroid.distance(Point(100, 100)) < 0.01 and Polygon(hole).area > 1200
    assert pat.report.layers[layer]["role"] == "drill"


def _allowance_doc(fold: bool):
    """A 200 x 300 mm piece as FreeSewing draws it and Inkscape's DXF output keeps it: the sew
    line closed, the seam allowance an open line of its own (10 mm, 30 at the hem) leaving the
    sew line and coming back to it. On a fold piece none runs along the fold (x = 0): the
    allowance starts where the sew line does, and a 'cut on fold' bracket ends on the fold."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    if fold:  # the sew line's first point is where the allowance starts (FreeSewing's order)
        msp.add_lwpolyline([(0, 0), (200, 0), (200, 300), (0, 300), (0, 0)])
        msp.add_lwpolyline([(0, 0), (0, -30), (210, -30), (210, 310), (0, 310), (0, 300)])
        msp.add_lwpolyline([(0, 50), (15, 50), (15, 250), (0, 250)])  # the fold bracket
    else:  # no allowance at the top (a bound neckline): the line ends on the sew line's corners
        msp.add_lwpolyline([(0, 0), (200, 0), (200, 300), (0, 300)], close=True)
        msp.add_lwpolyline([(0, 300), (-10, 300), (-10, -30), (210, -30), (210, 300), (200, 300)])
    return doc


@pytest.mark.parametrize("fold", [False, True])
def test_a_seam_allowance_drawn_as_an_open_line_is_the_cut_line(tmp_path, fold):
    """A seam allowance drawn as an open line from the sew line back to it (FreeSewing's `sa`
    path, only along seams that have one) was "an open line outside every piece" left out, and
    the piece cut on its sew line, without allowance; on a fold piece, where the allowance
    starts at the sew line's first point, the two were chained into one open line and the file
    refused ("cut line is open"). The outline of the sew line and the allowance is the cut
    line now, the sew line inside it the piece's sew line, and it is reported."""
    pat = read_pattern(save(_allowance_doc(fold), tmp_path))
    (p,) = pat.pieces
    if fold:  # the bracket makes x = 0 the fold: unfolded (see test_a_cut_on_fold_bracket_...)
        assert p.unfolded and p.area == pytest.approx(2 * 210 * 340)
        assert (p.width, p.height) == pytest.approx((420, 340))
    else:
        assert p.area == pytest.approx(220 * 330)
        assert (p.width, p.height) == pytest.approx((220, 330))
        assert len(p.sew_lines) == 1
    (w,) = [w.message for w in pat.report.warnings if "seam allowance" in w.message]
    assert w == ("open line(s) leaving an outline and coming back to it outside, at "
                 f"({0.0 if fold else -10.0}, -30.0): read as its seam allowance, the cut line "
                 f"({'210.0 × 340.0' if fold else '220.0 × 330.0'} mm), with the outline inside as the "
                 "sew line")


def test_lines_outside_two_pieces_do_not_join_them(tmp_path):
    """Two open lines from one piece to another close a band between them: that is no seam
    allowance (it would make one piece of the two); the pieces stay apart, the lines unused."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (200, 0), (200, 300), (0, 300)], close=True)
    msp.add_lwpolyline([(220, 0), (420, 0), (420, 300), (220, 300)], close=True)
    msp.add_line((200, 100), (220, 100))
    msp.add_line((200, 200), (220, 200))
    pat = read_pattern(save(doc, tmp_path))
    assert sorted(p.area for p in pat.pieces) == pytest.approx([60000, 60000])
    assert not [w for w in pat.report.warnings if "seam allowance" in w.message]


def test_lines_around_a_ring_inside_a_piece_are_no_allowance(tmp_path):
    """An open line that leaves a ring and comes back to it outside, all inside a bigger piece
    (marks drawn on the piece, as Valentina's flat export puts every line on layer 0), is no
    seam allowance: nothing is added (the first version of the allowance rule cut 3.4 x 4.7 mm
    holes into a Valentina piece there)."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 400), (0, 400)], close=True)
    msp.add_lwpolyline([(100, 100), (160, 100), (160, 140), (100, 140)], close=True)  # a cut-out
    msp.add_lwpolyline([(100, 140), (100, 150), (170, 150), (170, 100), (160, 100)])  # around it
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert [Polygon(c).area for c in p.cutouts] == pytest.approx([2400.0])
    assert not [w for w in pat.report.warnings if "seam allowance" in w.message]


def test_letters_a_logo_and_a_scale_box_drawn_in_a_piece_are_not_cut(tmp_path):
    """Labels turned into outlines on the cut layer (Inkscape's DXF outputs drop texts), a logo
    and a scale box drawn as two nested rectangles (FreeSewing draws both into its pieces) were
    cut out of the piece, and the closed lines inside them (the counter of an ``O``, the box's
    inner rectangle) nested as pieces of their own: a 6-piece Inkscape export gave 27 pieces, a
    FreeSewing tank top 27. A closed line inside a cut-out makes the cut-out drawn artwork, with
    the cut-outs standing beside it as letters do; all are drawn on the piece, never cut. A real
    cut-out (a slot) and a round hole away from the label are still cut out; a drill-sized
    circle is a drill mark (``test_a_small_circle_inside_a_piece_is_a_drill_mark``)."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()

    def box(x, y, w, h):
        msp.add_lwpolyline([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], close=True)

    box(0, 0, 400, 600)  # the piece
    box(50, 500, 8, 10)  # "O": outline and counter
    box(52, 502, 4, 6)
    msp.add_lwpolyline([(62, 500), (64, 500), (64, 504), (67, 504), (67, 506), (64, 506), (64, 508),
                        (68, 508), (68, 510), (62, 510)], close=True)  # "F", no counter
    box(71, 500, 1.5, 7)  # "i" and its dot
    box(71, 508.5, 1.5, 1.5)
    box(50, 486, 9, 9)  # the next line of the label: a letter without a counter
    box(100, 100, 101, 51)  # a scale box: two rectangles
    box(100.5, 100.5, 100, 50)
    box(250, 300, 40, 10)  # a slot: cut out
    msp.add_circle((300, 500), 10)  # a round hole away from the label: cut out
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    holes = sorted(Polygon(c).area for c in p.cutouts)
    assert holes == pytest.approx([math.pi * 100, 400.0], rel=1e-2)
    assert len(p.internal_lines) == 8 and all(ln.points.shape[0] >= 5 for ln in p.internal_lines)
    assert p.area == pytest.approx(400 * 600 - sum(holes))
    # the letters in a row are found as such (formats/reading/lettering.py), the scale box by its
    # inner rectangle (formats/reading/artwork.py)
    assert [w.message for w in pat.report.warnings if "not cut" in w.message] == [
        "6 small closed line(s) on layer 0 lie in rows as the letters of a text turned into outlines do (a "
        "PDF's fonts through pstoedit): drawn as internal lines of the pieces they lie in, not cut; give "
        "--layer 0=cut if they are pieces",
        "2 closed line(s) on layer 0 at (100.0, 100.0) inside a piece are drawn artwork, not cut-outs "
        "(letters turned into outlines, a logo, a scale box: closed lines drawn inside them, or beside such "
        "letters): drawn on the piece as internal lines"]


def _pstoedit_r12(tmp_path, extmax: float, k: float, name: str = "ps.dxf"):
    """A drawing as pstoedit's DXF R12 driver (``pstoedit -f dxf``, 3.78) writes a pattern page:
    its header (no units: R12 has no ``$INSUNITS``; ``$EXTMAX`` (``extmax``, ``extmax``)) and a
    762 x 508 mm piece as a closed POLYLINE, ``k`` drawing units per mm."""
    head = ("0\nSECTION\n2\nHEADER\n9\n$ACADVER\n1\nAC1009\n9\n$FILLMODE\n70\n0\n9\n$SPLFRAME\n70\n1\n"
            f"9\n$EXTMIN\n10\n0\n20\n0\n30\n0.0\n9\n$EXTMAX\n10\n{extmax}\n20\n{extmax}\n30\n0.0\n0\nENDSEC\n"
            "0\nSECTION\n2\nTABLES\n0\nTABLE\n2\nLAYER\n70\n1\n0\nLAYER\n2\n0\n70\n0\n62\n7\n6\nCONTINUOUS\n"
            "0\nENDTAB\n0\nENDSEC\n0\nSECTION\n2\nENTITIES\n0\nPOLYLINE\n8\n0\n62\n7\n66\n1\n10\n0\n20\n0\n"
            "30\n0.0\n70\n1\n")
    pts = [(100, 100), (862, 100), (862, 608), (100, 608)]
    verts = "".join(f"0\nVERTEX\n8\n0\n10\n{x * k:g}\n20\n{y * k:g}\n30\n0.0\n" for x, y in pts)
    (tmp_path / name).write_text(head + verts + "0\nSEQEND\n8\n0\n0\nENDSEC\n0\nEOF\n")
    return tmp_path / name


@pytest.mark.parametrize("extmax, k, unit", [(41.6667, 1 / 25.4, "in"), (1058.33, 1.0, "mm")])
def test_pstoedit_r12_drawing_is_read_in_its_unit(tmp_path, extmax, k, unit):
    """pstoedit's R12 DXF of a PDF or PostScript pattern is in inches (points / 72) unless given
    ``-mm``, and R12 cannot say so: a 30 x 20 in piece (30 drawing units) was guessed to be in
    centimetres, 2.54 times too small. Its header's ``$EXTMAX`` (3000 pt in the unit of the
    coordinates) tells the unit now; another R12 drawing is still measured (size check)."""
    pat = read_pattern(_pstoedit_r12(tmp_path, extmax, k))
    (p,) = pat.pieces
    assert (pat.units_in, pat.units_rule) == (unit, "pstoedit $EXTMAX")
    assert np.ptp(p.outline, axis=0) == pytest.approx([762.0, 508.0], abs=0.01)
    assert not [w for w in pat.report.warnings if "units" in w.message]
    other = read_pattern(_pstoedit_r12(tmp_path, 1000.0, 1 / 25.4, name="other.dxf"))
    assert (other.units_in, other.units_rule) == ("cm", "size check")


def test_letters_turned_into_outlines_on_the_cut_layer_are_drawn_not_cut(tmp_path):
    """A PDF pattern's labels are set in embedded fonts, which pstoedit (and Illustrator's
    "create outlines") turn into the letters' outlines, on the layer of the cut lines: a
    Valentina bodice of 4 pieces read as 114 pieces with 229 cut-outs (the letters inside a
    piece cut out, their counters and the letters beside it pieces). Small closed lines in a
    row are letters now: internal lines of their piece, reported, and not used outside every
    piece. A lone small ring is still a cut-out, and copies of one small shape still pieces."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()

    def ring(pts, dx=0.0, dy=0.0):
        msp.add_lwpolyline([(x + dx, y + dy) for x, y in pts], close=True)

    ring([(0, 0), (300, 0), (300, 200), (0, 200)])
    letters = [[(0, 0), (6, 0), (6, 10), (0, 10)], [(1, 1), (5, 1), (5, 9), (1, 9)],  # an O and its counter
               [(8, 0), (13, 0), (13, 1.5), (9.5, 1.5), (9.5, 10), (8, 10)],  # an L
               [(15, 8.5), (17.3, 8.5), (17.3, 0), (18.7, 0), (18.7, 8.5), (21, 8.5), (21, 10), (15, 10)],
               [(22, 0), (22.8, 0), (22.8, 0.8), (22, 0.8)]]  # a T, a full stop
    for pts in letters:
        ring(pts, 100, 100)
    for pts in letters[2:]:  # "LT." beside the piece
        ring(pts, 400, 100)
    ring([(0, 0), (6, 0), (6, 6), (0, 6)], 250, 30)  # a lone small hole
    for x in (500, 524, 548):  # three small tabs side by side
        ring([(0, 0), (20, 0), (20, 20), (0, 20)], x, 0)
    pat = read_pattern(save(doc, tmp_path))
    big = max(pat.pieces, key=lambda p: p.area)
    assert len(pat.pieces) == 4 and sorted(round(p.area) for p in pat.pieces)[:3] == [400, 400, 400]
    assert len(big.cutouts) == 1 and len(big.internal_lines) == 5 and big.area == pytest.approx(59964.0)
    assert [w.message for w in pat.report.warnings if "letters" in w.message] == [
        "8 small closed line(s) on layer 0 lie in rows as the letters of a text turned into outlines do (a "
        "PDF's fonts through pstoedit): drawn as internal lines of the pieces they lie in, not cut; give "
        "--layer 0=cut if they are pieces"]
    assert [s.message for s in pat.report.skipped if "letter" in s.message] == [
        "3 letter outline(s) outside every piece (a title, a legend); not used"]
    assert not [s for s in pat.report.skipped if "too small" in s.message]


def test_pstoedit_outputs_of_postscript_patterns():
    """Two PostScript patterns written by hand, turned into DXF by pstoedit 3.78
    (``tests/data/pstoedit/README.md``): the R12 output in inches read 2.54 times too small (as
    cm), and the labels drawn as letter outlines were cut-outs and pieces. Both read piece for
    piece now: the page frame, crop marks and page number left out, texts naming the pieces."""
    data = Path(__file__).parent / "data" / "pstoedit"
    pat = read_pattern(data / "pattern-mm.dxf")
    assert (pat.units_in, pat.units_rule) == ("in", "pstoedit $EXTMAX")
    got = {p.name: (p.quantity, len(p.notches), len(p.cutouts), p.grain is not None) for p in pat.pieces}
    # the Front's drill circle (6 mm, on the cut lines' layer) is a drill mark, not a hole
    assert got == {"Front": (2, 2, 0, True), "Sleeve": (2, 2, 0, False), "Pocket": (2, 0, 0, False),
                   "Collar": (1, 0, 0, False)}
    areas = {p.name: p.area for p in pat.pieces}
    (drill,) = next(p for p in pat.pieces if p.name == "Front").drills
    assert drill.diameter == pytest.approx(6.0, abs=0.05)
    assert areas == pytest.approx({"Front": 160849.0, "Sleeve": 164095.0, "Pocket": 28193.0,
                                   "Collar": 16996.9}, rel=1e-4)
    pat = read_pattern(data / "pattern-in-outlined.dxf")
    assert (pat.units_in, pat.units_rule) == ("mm", "$INSUNITS")
    back, facing = sorted(pat.pieces, key=lambda p: -p.area)
    # the filled drill disc (4.1 mm) is a drill mark; the keyhole is cut out
    assert (len(back.internal_lines), len(back.cutouts), len(back.notches), len(back.drills)) == (11, 1, 1, 1)
    assert (len(facing.internal_lines), len(facing.cutouts), len(facing.sew_lines)) == (7, 0, 1)
    assert (back.area, facing.area) == (pytest.approx(239080.8, rel=1e-5), pytest.approx(42576.8, rel=1e-4))


def test_a_large_letter_beside_a_run_of_letters_is_not_cut(tmp_path):
    """Labels of a drawing in pixels (Inkscape, 3.78 times larger in mm) have letters of 20 to
    30 mm: the runs of small ones were found as letters, but a larger letter of the same label
    (no counter of its own) stayed a cut-out, cut into the piece. A cut-out standing beside the
    letters found is a letter too."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()

    def box(x, y, w, h):
        msp.add_lwpolyline([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], close=True)

    box(0, 0, 1000, 1000)
    for k, (w, h) in enumerate([(20, 24), (16, 22), (18, 24)]):  # a run of letters under 25 mm
        box(100 + 25 * k, 500, w, h)
    box(175, 500, 22, 28)  # "W", 28 mm: beside them
    box(700, 200, 22, 28)  # the same shape alone, far from any letter: a cut-out
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert [c.min(axis=0).tolist() for c in p.cutouts] == [[700.0, 200.0]]
    assert len(p.internal_lines) == 4


def test_marks_drawn_from_the_corners_of_a_cut_line_do_not_open_it(tmp_path):
    """A cut line drawn in segments with marks starting at its corners (a shirt back's box pleat
    marked from the yoke seam, as FreeSewing draws it): three lines meet at a corner, chaining
    took a mark for the next piece of the cut line, and the file was refused ("cut line is open:
    a gap of 173.698 mm"). The outline of the faces the lines close is the cut line, the marks
    are drawn on it."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for x in (250, 200, 150):  # pleat marks from the corners of the top edge, drawn first
        msp.add_lwpolyline([(x, 600), (x, 500)])
    corners = [(0, 0), (400, 0), (400, 600), (250, 600), (200, 600), (150, 600), (0, 600)]
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        msp.add_lwpolyline([a, b])
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.area == pytest.approx(400 * 600)
    assert sorted(tuple(ln.points[:, 0].round(3)) for ln in p.internal_lines) == [
        (150.0, 150.0), (200.0, 200.0), (250.0, 250.0)]
    assert [w.message for w in pat.report.warnings if "corners" in w.message] == [
        "lines meeting at the corners of a cut line (marks drawn from them) chained into an open line; "
        "closed as the outline of the faces they make at (0.0, 0.0), 400.0 × 600.0 mm, the other lines "
        "drawn on it"]


def test_notches_drawn_as_small_circles_on_the_cut_or_sew_line_are_notches(tmp_path):
    """A pattern made for print marks a notch with a small circle or triangle centred on the
    seam (FreeSewing's notch symbols, on the layer of the cut lines). One straddling the cut line
    was a 5.6 mm piece nested beside the garment, one on the sew line a hole cut into it, and the
    notch was lost. Each is a notch now, at the nearest point of the cut line, cutting inward;
    a larger circle near the edge (a 20 mm hole) is still a cut-out."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 400), (0, 400)], close=True)
    msp.add_lwpolyline([(10, 10), (290, 10), (290, 390), (10, 390)], close=True)  # the sew line
    msp.add_circle((100, 0), 2.8)  # on the cut line
    msp.add_circle((100, 0), 1.4)  # its dot (a double notch symbol)
    msp.add_lwpolyline([(297, 250), (303, 250), (300, 255)], close=True)  # a triangle on the cut line
    msp.add_circle((10, 200), 2.8)  # on the sew line
    msp.add_circle((150, 200), 10)  # a hole, away from both lines
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    got = sorted((round(n.x, 3), round(n.y, 3), round(n.angle_deg % 360, 1)) for n in p.notches)
    assert got == [(0.0, 200.0, 0.0), (100.0, 0.0, 90.0), (300.0, 252.5, 180.0)]
    assert [Polygon(c).area for c in p.cutouts] == pytest.approx([math.pi * 100], rel=0.01)
    assert p.area == pytest.approx(300 * 400 - Polygon(p.cutouts[0]).area)
    assert [w.message for w in pat.report.warnings if "notch symbols" in w.message] == [
        "3 small closed line(s) on a cut line (1 on a sew line) are notch symbols (a circle, a "
        "triangle): notches at the nearest point of the cut line, not cut"]


def test_many_specks_on_a_layer_are_one_remark(tmp_path):
    """Each closed line too small for a piece was a remark of its own: the dots of a logo's
    letters made 84 lines of the import report. The specks of a layer are one remark, with their
    number, their range of areas and the first places."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    for k in range(6):
        x = 400 + 10 * k
        msp.add_lwpolyline([(x, 500), (x + 1, 500), (x + 0.5, 500 + 0.2 * (k + 1))], close=True)
    pat = read_pattern(save(doc, tmp_path))
    assert len(pat.pieces) == 1
    assert [e.message for e in pat.report.skipped if "too small" in e.message] == [
        "6 closed lines of 0.1 to 0.6 mm² on layer 0 at (400.0, 500.0), (410.0, 500.0), (420.0, 500.0), "
        "(430.0, 500.0) and 2 more: too small to be pieces (under 1 mm²); not used"]


def test_a_small_piece_laid_against_a_large_one_is_no_notch_symbol(tmp_path):
    """A 10 mm piece drawn against a larger piece's edge (a marker cut with no spacing) is a
    piece, not a notch symbol: a symbol is centred on the line, this one's centre lies half its
    size off it."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    msp.add_lwpolyline([(300, 50), (310, 50), (310, 60), (300, 60)], close=True)
    pat = read_pattern(save(doc, tmp_path))
    assert sorted(round(p.area) for p in pat.pieces) == [100, 60000]
    assert all(not p.notches for p in pat.pieces)


@pytest.mark.parametrize("fold", [False, True])
def test_a_double_notch_on_the_sew_line_is_a_notch(tmp_path, fold):
    """A double notch symbol (a circle with a dot, FreeSewing's ``bnotch``) on the sew line was
    taken for artwork (a closed line inside a cut-out), drawn, and the notch lost; on a fold
    piece whose sew line is chained into its seam allowance there was no sew line to stand on,
    and the circle was cut out of the piece. Both are notches at the cut line now."""
    doc = _allowance_doc(fold)
    msp = doc.modelspace()
    msp.add_circle((200, 150), 2.8)  # on the sew line's right edge
    msp.add_circle((200, 150), 1.4)
    pat = read_pattern(save(doc, tmp_path), unfold=False)
    (p,) = pat.pieces
    assert [(round(n.x, 3), round(n.y, 3)) for n in p.notches] == [(210.0, 150.0)]
    assert not p.cutouts and len(p.sew_lines) == 1


def test_arrowheads_drawn_as_closed_shapes_at_a_line_s_ends_are_not_cut(tmp_path):
    """A grain line printed with filled arrowheads (an SVG's markers: a PDF, and so pstoedit or
    Inkscape's PDF import, makes each a closed path of its own) had each arrowhead cut out of the
    piece as a hole (a FreeSewing bodice through a PDF: two per piece). An arrowhead, a small
    pointed closed line holding the end of a longer line inside a piece, is drawn on the piece as
    an internal line now; a triangle at no line's end is still a cut-out, and a small circle at
    a line's end a drill mark, as it is anywhere in the piece."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 500), (0, 500)], close=True)
    msp.add_line((150, 100), (150, 400))  # the grain line's shaft
    msp.add_lwpolyline([(150, 400), (146, 388), (150, 390), (154, 388)], close=True)  # its heads
    msp.add_lwpolyline([(150, 100), (146, 112), (150, 110), (154, 112)], close=True)
    msp.add_line((50, 100), (50, 300))  # a line ending in a round hole: no arrowhead
    msp.add_circle((50, 303), 3)
    msp.add_lwpolyline([(250, 250), (258, 250), (254, 262)], close=True)  # a triangle at no line's end
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert sorted(tuple(np.round(np.ptp(c, axis=0), 1)) for c in p.cutouts) == [(8.0, 12.0)]
    assert [(d.x, d.y, d.diameter) for d in p.drills] == [(50.0, 303.0, 6.0)]
    assert sorted(tuple(np.round(np.ptp(ln.points, axis=0), 1)) for ln in p.internal_lines) == [
        (0.0, 200.0), (0.0, 300.0), (8.0, 12.0), (8.0, 12.0)]
    assert [w.message for w in pat.report.warnings if "arrowheads" in w.message] == [
        "2 small pointed closed line(s) at the ends of lines inside a piece are arrowheads (of a grain line, "
        "a fold line): drawn on the piece as internal lines, not cut"]


def test_buttonholes_drawn_as_thin_slots_are_not_cut(tmp_path):
    """Buttonholes drawn as 2 x 10 mm rectangles inside a shirt front (FreeSewing's Simon) were
    ten holes cut into it: a buttonhole is sewn, then slit, never cut by the cutter, and no
    knife cuts a 2 mm wide hole. A closed line at most 3 mm wide and three times as long is
    drawn on the piece; a 10 x 20 mm window and a 16 mm circle are still cut out."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 600), (0, 600)], close=True)
    for y in (100, 200, 300):  # buttonholes, one turned
        msp.add_lwpolyline([(50, y), (52, y), (52, y + 10), (50, y + 10)], close=True)
    msp.add_lwpolyline([(100, 400), (110, 400.5), (109.9, 402.5), (99.9, 402)], close=True)
    msp.add_lwpolyline([(200, 100), (210, 100), (210, 120), (200, 120)], close=True)  # a window
    msp.add_circle((250, 500), 8)
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert sorted(round(Polygon(c).area, -1) for c in p.cutouts) == [200, 200]
    assert len(p.internal_lines) == 4
    assert [w.message for w in pat.report.warnings if "slots" in w.message] == [
        "4 thin closed line(s) inside a piece, at most 3 mm wide (buttonholes or slits drawn as slots): "
        "drawn on the piece as internal lines, not cut"]


@pytest.mark.parametrize("how", ["circle", "arcs", "polygon", "nested layer"])
@pytest.mark.parametrize("at", [(0.0, 0.0), (-250.0, -300.0), (1e5, 2e4)])
def test_a_small_circle_inside_a_piece_is_a_drill_mark(tmp_path, how, at):
    """A pattern made for print marks a dart's point or a button's place with a small circle on
    the cut lines' layer (FreeSewing's dart tips, a PostScript pattern's drill circle): it was a
    5.6 mm hole cut into the garment. A round closed line at most 12 mm across inside a piece is a
    drill mark at its centre, wherever the piece is drawn and however the circle is written; a
    16 mm circle and a 6 mm square stay cut-outs; ``--layer 0=cut`` cuts the small circle out."""
    ox, oy = at
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(ox, oy), (ox + 300, oy), (ox + 300, oy + 500), (ox, oy + 500)], close=True)
    cx, cy, r = ox + 120, oy + 340, 2.8
    layer = "Dart" if how == "nested layer" else "0"
    if how in ("circle", "nested layer"):
        msp.add_circle((cx, cy), r, dxfattribs={"layer": layer})
    elif how == "arcs":  # Inkscape's R14 output: a circle as four curve segments
        for a in range(0, 360, 90):
            msp.add_arc((cx, cy), r, a, a + 90)
    else:
        msp.add_lwpolyline([(cx + r * math.cos(t), cy + r * math.sin(t))
                            for t in np.linspace(0, 2 * math.pi, 16, endpoint=False)], close=True)
    msp.add_circle((ox + 200, oy + 100), 8)  # 16 mm: a round cut-out
    msp.add_lwpolyline([(ox + 50, oy + 50), (ox + 56, oy + 50), (ox + 56, oy + 56), (ox + 50, oy + 56)],
                       close=True)  # a 6 mm square: a cut-out
    path = save(doc, tmp_path)
    pat = read_pattern(path)
    (p,) = pat.pieces
    (d,) = p.drills
    assert (d.x, d.y, d.diameter) == (pytest.approx(cx, abs=1e-6), pytest.approx(cy, abs=1e-6),
                                      pytest.approx(2 * r, abs=0.05))
    assert sorted(round(float(np.ptp(c, axis=0).max())) for c in p.cutouts) == [6, 16]
    assert p.area == pytest.approx(150000 - 36 - math.pi * 64, rel=1e-3)
    assert [w.message for w in pat.report.warnings if "drill" in w.message] == [
        f"1 small round closed line(s) inside a piece, at most 12 mm across, are drill marks (a dart's "
        f"point, a button's place): marked at their centre, not cut out; give --layer {layer}=cut to cut "
        "them out"]
    (cut,) = read_pattern(path, layers={layer: "cut"}).pieces
    assert len(cut.cutouts) == 3 and not cut.drills


#: A binding drawn in LINEs: its cut line with notches drawn from two of its corners, its sew
#: line with marks drawn from two of its corners, and a grain line (lines of a layer).
_BINDING = {
    "cut": [((0, 0), (100, 0)), ((100, 0), (400, 0)), ((400, 0), (500, 0)), ((500, 0), (500, 40)),
            ((500, 40), (0, 40)), ((0, 40), (0, 0))],
    "notch": [((100, 0), (100, 5)), ((400, 0), (400, 5))],
    "sew": [((10, 10), (100, 10)), ((100, 10), (400, 10)), ((400, 10), (490, 10)), ((490, 10), (490, 30)),
            ((490, 30), (10, 30)), ((10, 30), (10, 10))],
    "mark": [((100, 10), (100, 20)), ((400, 10), (400, 20))],
    "grain": [((200, 22), (300, 22))],
}


@pytest.mark.parametrize("seed", range(8))
def test_a_piece_drawn_in_lines_with_marks_from_its_corners_reads_whole_in_any_order(tmp_path, seed):
    """A polyline export exploded into LINEs (a cutting-room CAD, Optitex's plain DXF saved by
    another program) has marks drawn from the corners of the cut line and of the sew line. In
    some orders chaining took a mark for the cut line and the faces the lines close gave the
    outline, but the marks came back cut 0.5 mm short of it (notches drawn as internal lines)
    and the sew line was split among the marks (no sew line, so no grain guessed). In any
    order: the outline, two notches, the sew line, two marks and the grain."""
    import random

    rnd = random.Random(seed)
    lines = [ab for part in _BINDING.values() for ab in part]
    rnd.shuffle(lines)
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    for a, b in lines:
        doc.modelspace().add_line(*((b, a) if rnd.random() < 0.5 else (a, b)))
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    assert p.area == pytest.approx(500 * 40)
    assert sorted((n.x, n.y) for n in p.notches) == [(100.0, 0.0), (400.0, 0.0)]
    assert len(p.sew_lines) == 1 and Polygon(p.sew_lines[0].points).area == pytest.approx(480 * 20)
    assert sorted(ln.points[:, 0].min() for ln in p.internal_lines) == [100.0, 400.0]
    assert p.grain is not None and sorted(p.grain.points[:, 0]) == [200.0, 300.0]


@pytest.mark.parametrize("inner, role", [(250.0, "cut-out"), (300.0, "sew line"), ("hem", "sew line")])
def test_a_large_hole_far_inside_the_cut_line_is_cut_out(tmp_path, inner, role):
    """A circular flounce (outer radius 330 mm, hole 250 mm) drawn on one layer: the hole covers
    over half the piece but lies 80 mm inside the cut line, no seam allowance: it is cut out (it
    was taken for the sew line, never cut, and the piece's area counted it). A ring 30 mm inside,
    and a sew line with a 45 mm hem, stay sew lines."""
    from shapely.geometry import Point
    from shapely.geometry import Polygon as P

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    if inner == "hem":
        outer = P([(0, 0), (300, 0), (300, 400), (0, 400)])
        ring = P([(10, 45), (290, 45), (290, 390), (10, 390)])
    else:
        outer, ring = Point(0, 0).buffer(330, quad_segs=32), Point(0, 0).buffer(inner, quad_segs=32)
    msp.add_lwpolyline(list(outer.exterior.coords)[:-1], close=True, dxfattribs={"layer": "CUT"})
    msp.add_lwpolyline(list(ring.exterior.coords)[:-1], close=True, dxfattribs={"layer": "CUT"})
    msp.add_text("Piece Name: FLOUNCE", dxfattribs={"insert": (outer.bounds[0] + 5, 0), "layer": "CUT"})
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    if role == "cut-out":
        assert len(p.cutouts) == 1 and not p.sew_lines and p.area == pytest.approx(outer.area - ring.area)
    else:
        assert len(p.sew_lines) == 1 and not p.cutouts and p.area == pytest.approx(outer.area)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(w=st.floats(150, 500), h=st.floats(100, 400), ox=st.floats(-1000, 1000), oy=st.floats(-1000, 1000),
       bulge=st.floats(0.05, 0.4), sign=st.sampled_from([-1, 1]), cw=st.booleans())
def test_a_clean_polyline_closed_by_an_arc_needs_no_repair(tmp_path_factory, w, h, ox, oy, bulge, sign, cw):
    """A closed LWPOLYLINE whose closing segment is an arc: flattened, the arc's last point lands
    1e-13 mm from the first, and that was taken for a backtrack, "removed", and refused under
    ``--strict`` (3 of 25 such rectangles). A point repeated within float noise is one point."""
    pts = [(ox, oy), (ox, oy + h), (ox + w, oy + h), (ox + w, oy)]
    if cw:
        pts = pts[::-1]
    rows = [(x, y, 0, 0, 0) for x, y in pts]
    rows[-1] = (*pts[-1], 0, 0, sign * bulge)
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    poly = doc.modelspace().add_lwpolyline(rows, format="xyseb", close=True)
    pat = read_pattern(save(doc, tmp_path_factory.mktemp("bulge")), strict=True)
    (p,) = pat.pieces
    assert not pat.report.repairs
    from ezdxf import path as dxf_path

    want = Polygon(list(dxf_path.make_path(poly).flattening(0.01))).area  # ezdxf's own reading
    assert p.area == pytest.approx(want, rel=1e-3)


@pytest.mark.parametrize("how", ["DASHED", "layer HIDDEN", "circle DASHDOT", "solid", "--layer 0=cut",
                                 "alone"])
def test_a_dashed_loop_inside_a_piece_is_a_placement_not_a_cut_out(tmp_path, how):
    """A pocket's placement drawn as a dashed rectangle (or a dash-dot circle) inside a front, on
    the front's layer, was cut out of it as a hole, with no word. A closed line in a broken
    linetype inside a piece is drawn on it, an internal line, reported; a solid one stays a
    cut-out, as a layer the user calls a cut layer keeps it; a dashed outline in no piece is a
    piece."""
    doc = ezdxf.new("R2010", setup=True)
    doc.header["$INSUNITS"] = 4
    doc.layers.add("0H", linetype="HIDDEN")
    msp = doc.modelspace()
    front = [(0, 0), (400, 0), (400, 600), (0, 600)]
    layer = "0H" if how == "layer HIDDEN" else "0"
    if how != "alone":
        msp.add_lwpolyline(front, close=True, dxfattribs={"layer": layer, "linetype": "Continuous"})
        msp.add_text("Piece Name: FRONT", dxfattribs={"insert": (20, 500), "layer": layer})
    lt = {"layer HIDDEN": "BYLAYER", "solid": "Continuous", "circle DASHDOT": "DASHDOT"}.get(how, "DASHED")
    if how == "circle DASHDOT":
        msp.add_circle((200, 300), 60, dxfattribs={"layer": layer, "linetype": lt})
    else:
        msp.add_lwpolyline([(100, 200), (220, 200), (220, 340), (100, 340)], close=True,
                           dxfattribs={"layer": layer, "linetype": lt})
    opts = {"layers": {"0": "cut"}} if how == "--layer 0=cut" else {}
    pat = read_pattern(save(doc, tmp_path), **opts)
    said = [e.message for e in pat.report.warnings if "broken linetype inside a piece" in e.message]
    (p,) = pat.pieces
    if how == "alone":
        assert p.area == pytest.approx(120 * 140) and not said
        return
    hole = math.pi * 60**2 if how == "circle DASHDOT" else 120 * 140
    if how in ("solid", "--layer 0=cut"):
        assert len(p.cutouts) == 1 and p.area == pytest.approx(400 * 600 - hole, rel=3e-3) and not said
        return
    assert not p.cutouts and p.area == pytest.approx(400 * 600)
    (line,) = p.internal_lines
    assert Polygon(line.points).area == pytest.approx(hole, rel=3e-3)  # the circle flattened
    assert said == [f"1 closed line(s) on layer {layer} drawn in a broken linetype inside a piece: placement "
                    f"or stitch lines, drawn on the piece, not cut; give --layer {layer}=cut if they are "
                    "cut-outs"]


@pytest.mark.parametrize("how", ["keyed", "own layer", "facing", "same name", "unnamed", "bare, same layer"])
def test_a_piece_traced_on_a_piece_is_a_piece_of_its_own(tmp_path, how):
    """A pocket traced off the front and left lying on it, with its own label, was cut out of the
    front as a hole and never cut; a facing drawn on the front along its edges was taken for the
    front's sew line. A closed line inside a piece that holds a name other than the piece's
    (a key's, or a bare word on a layer of its own) is a piece; an unnamed one stays a
    cut-out, and so does one named as the piece around it or by a bare word on the piece's
    layer (a word on a piece is no name for a line)."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (400, 0), (400, 600), (0, 600)], close=True)
    msp.add_text("Piece Name: Front", dxfattribs={"insert": (250, 500), "height": 8})
    pocket = [(100, 200), (220, 200), (220, 340), (100, 340)]
    inner = [(0, 0), (80, 0), (80, 600), (0, 600)] if how == "facing" else pocket
    layer = "POCKET" if how == "own layer" else "0"
    msp.add_lwpolyline(inner, close=True, dxfattribs={"layer": layer})
    label = {"keyed": "Piece Name: Pocket", "own layer": "POCKET", "facing": "Piece Name: Facing",
             "same name": "Piece Name: Front", "unnamed": None, "bare, same layer": "POCKET"}[how]
    if label:
        msp.add_text(label, dxfattribs={"insert": (30 if how == "facing" else 120, 260), "height": 8,
                                        "layer": layer})
    pat = read_pattern(save(doc, tmp_path))
    got = {p.name: p for p in pat.pieces}
    said = [e.message for e in pat.report.warnings if "named for a piece of its own" in e.message]
    area = Polygon(inner).area
    if how in ("keyed", "own layer", "facing"):
        own = {"keyed": "Pocket", "own layer": "POCKET", "facing": "Facing"}[how]
        assert sorted(got) == sorted(["Front", own]) and len(said) == 1
        assert got[own].area == pytest.approx(area) and not got["Front"].cutouts
        assert got["Front"].area == pytest.approx(400 * 600) and not got["Front"].sew_lines
        return
    assert list(got) == ["Front"] and not said
    front = got["Front"]
    assert len(front.cutouts) == 1 and front.area == pytest.approx(400 * 600 - area)


@pytest.mark.parametrize("how", ["layer TITLE", "block TITLEBLOCK", "named", "alone"])
def test_a_title_block_beside_the_pieces_is_no_piece(tmp_path, how):
    """A title block drawn beside the pieces without a frame around the drawing (a rectangle on
    a layer TITLE, or the INSERT of a block TITLEBLOCK, holding the style's texts) was nested
    and cut as a piece named by its title. With no piece name in it, it is taken for a title
    block, reported; one holding a piece name is a piece, and so is the drawing's only piece."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    if how != "alone":
        msp.add_lwpolyline([(0, 0), (400, 0), (400, 600), (0, 600)], close=True)
        msp.add_text("Piece Name: Front", dxfattribs={"insert": (50, 300), "height": 8})
    box = [(0, 0), (180, 0), (180, 60), (0, 60)]
    texts = ["Piece Name: Label" if how == "named" else "Blouse 2231", "Drawn: M.K.  Scale 1:1"]
    if how == "block TITLEBLOCK":
        tb = doc.blocks.new("TITLEBLOCK")
        tb.add_lwpolyline(box, close=True)
        for k, t in enumerate(texts):
            tb.add_text(t, dxfattribs={"insert": (5, 40 - 30 * k), "height": 5})
        msp.add_blockref("TITLEBLOCK", (800, -100))
    else:
        msp.add_lwpolyline([(x + 800, y - 100) for x, y in box], close=True, dxfattribs={"layer": "TITLE"})
        for k, t in enumerate(texts):
            msp.add_text(t, dxfattribs={"insert": (805, -60 - 30 * k), "height": 5, "layer": "TITLE"})
    pat = read_pattern(save(doc, tmp_path))
    said = [e.message for e in pat.report.warnings if "taken for a title block" in e.message]
    names = sorted(p.name for p in pat.pieces)
    if how == "named":
        assert names == ["Front", "Label"] and not said
    elif how == "alone":
        assert len(names) == 1 and not said
    else:
        where = "layer TITLE" if how == "layer TITLE" else "block TITLEBLOCK"
        assert names == ["Front"] and said == [
            f"closed outline of {where} at (800.0, -100.0) with no piece name: taken for a title block, not "
            f"cut; give --layer {'TITLE' if how == 'layer TITLE' else '0'}=cut if it is a piece"]


def test_two_names_in_one_outline_are_said_by_the_main_job(tmp_path):
    """A back and its yoke drawn sharing the seam line between them, each face labelled, close
    into one outline: one piece, the second name not used. That loses a piece, so the main job
    says it on a line of its own (it was only counted among the remarks)."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 160), (0, 160)], close=True)
    msp.add_line((0, 110), (300, 110))  # the yoke seam, drawn once for both pieces
    msp.add_text("Piece Name: Back", dxfattribs={"insert": (40, 40), "height": 8})
    msp.add_text("Piece Name: Yoke", dxfattribs={"insert": (40, 130), "height": 8})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert [str(e) for e in pat.headlines] == [
        "warning: piece 'Back': a second 'name' text for one piece (inside it): 'Back' kept, 'Yoke' not used "
        "[TEXT #32 on layer 0]"]


@pytest.mark.parametrize("length, unit", [(102.6, "mm"), (179.0, "mm"), (457.1, "mm"), (650.0, "mm"),
                                          (72.9, "cm"), (27.24, "cm")])
def test_a_unitless_drawing_between_mm_and_cm_names_both_readings(tmp_path, length, unit):
    """No units declared (R12 LINEs, as JBlockCreator writes its blocks): between 100 and 500
    units both mm and cm give garment sizes. Millimetres stand (a bootie or a mitten drawn in mm
    would otherwise be cut ten times too large), and the note names both readings and the
    --units of the other: a cm trouser front of 102.6 units was read as 10 cm with a bare "give
    --units if this is wrong"."""
    ring = [(0, 0), (length, 0), (length, 30.1), (0, 30.1)]
    doc = ezdxf.new("R12")
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        doc.modelspace().add_line(a, b, dxfattribs={"layer": "1"})
    p = tmp_path / "block.dxf"
    doc.saveas(p)
    pat = read_pattern(p)
    assert pat.units_in == unit and pat.units_rule == "size check"
    scale = {"mm": 1.0, "cm": 10.0}[unit]
    assert pat.pieces[0].area == pytest.approx(length * 30.1 * scale * scale, rel=1e-9)
    said = [w.message for w in pat.report.warnings if "no units declared" in w.message]
    assert len(said) == 1 and said[0].startswith(f"no units declared: {unit} guessed from the piece sizes")
    if 100 <= length <= 500:
        assert said[0] == (f"no units declared: mm guessed from the piece sizes, which fit mm and cm: the "
                           f"largest piece is {length / 10:.3g} cm long in mm, {length / 100:.3g} m in cm; "
                           "give --units cm if the pattern is in centimetres")
    if unit == "cm":  # a US front of 27.24 in read as 27.2 cm said only "cm guessed" (probe 45)
        big = max(length, 30.1)
        assert said[0] == (f"no units declared: cm guessed from the piece sizes, which fit cm and in: the "
                           f"largest piece is {big:.3g} cm long in cm, {_in_metres(big)} in in; give --units "
                           "in if the pattern is in inches")


def _in_metres(units: float) -> str:
    mm = units * 25.4
    return f"{mm / 1000:.3g} m" if mm >= 1000 else f"{mm / 10:.3g} cm"


#: Two U-shaped strips of a cutter drawing (nctools `MMV-1.dxf`, its bottom), on one layer: each
#: is drawn open where the other's line runs (strip 1's top end lies on strip 2's line, strip 2's
#: bottom on strip 1's), those ends 2e-12 mm off the line, and strip 2's left edge runs 3.1 mm on
#: into strip 1. The coordinates are the file's.
_Y, _Y2 = 239.1477042431254, 239.1477042431277
_STRIPS = [
    ("ARC", (205.9999999999999, 131.9999999999982), 96.0, 180.0, 270.0),
    ("LINE", (110.0, 131.9999999999982), (110.0, _Y)),
    ("LINE", (0.0, 0.0), (0.0, _Y)),
    ("LINE", (0.0, 0.0), (716.9999999999995, 0.0)),
    ("LINE", (205.9999999999999, 36.0), (716.9999999999995, 36.0)),
    ("LINE", (846.9999999999997, 129.9999999999982), (846.9999999999997, _Y)),
    ("LINE", (811.0, 129.9999999999982), (811.0, _Y)),
    ("ARC", (716.9999999999995, 129.9999999999982), 130.0, 270.0, 0.0),
    ("ARC", (716.9999999999995, 129.9999999999982), 94.0, 270.0, 0.0),
    ("LINE", (0.0, _Y2), (110.0, _Y2)),
    ("LINE", (315.9999999999999, 35.9999999999966), (315.9999999999999, 143.1477042431277)),
    ("LINE", (205.9999999999999, 32.89937811002869), (205.9999999999999, 275.1477042431277)),
    ("ARC", (412.0, 143.1477042431277), 96.0, 90.0, 180.0),
    ("LINE", (205.9999999999999, 275.1477042431277), (922.9999999999995, 275.1477042431277)),
    ("LINE", (1052.999999999999, 35.9999999999966), (1052.999999999999, 145.1477042431277)),
    ("LINE", (1017.0, 35.9999999999966), (1017.0, 145.1477042431277)),
    ("ARC", (922.9999999999995, 145.1477042431277), 130.0, 0.0, 90.0),
    ("ARC", (922.9999999999995, 145.1477042431277), 94.0, 0.0, 90.0),
    ("LINE", (1017.0, 35.9999999999966), (1052.999999999999, 35.99999999999818)),
    ("LINE", (922.9999999999995, _Y2), (412.0, _Y2)),
]


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_two_pieces_drawn_against_each_other_are_two_pieces(tmp_path, seed):
    """The second strip (847 x 239 mm, a fifth of the drawing's material) was dropped with exit
    status 0: the ends 2e-12 mm off the other's line made no node, so only one strip closed, and
    had both closed, the group of faces would have been one piece holding the space between them.
    Each is now a piece of its own, and the space between them none; in any drawing order."""
    entities = list(_STRIPS)
    if seed is not None:
        import random

        random.Random(seed).shuffle(entities)
    doc = ezdxf.new("R12")
    msp = doc.modelspace()
    for e in entities:
        if e[0] == "LINE":
            msp.add_line(e[1], e[2])
        else:
            msp.add_arc(*e[1:])
    p = tmp_path / "strips.dxf"
    doc.saveas(p)
    pat = read_pattern(p, units="mm")
    got = sorted((round(pc.area / 100), *np.round(np.ptp(pc.outline, axis=0), 1)) for pc in pat.pieces)
    assert got == [(604, 847.0, 239.1), (604, 847.0, 239.1)], got
    lows = sorted(tuple(np.round(pc.outline.min(axis=0), 1)) for pc in pat.pieces)
    assert lows == [(0.0, 0.0), (206.0, 36.0)]


@pytest.mark.parametrize("neighbour_top", [200, 350])
def test_an_edge_two_pieces_share_drawn_once_on_the_other_layer(tmp_path, neighbour_top):
    """Pieces on layers of their own (`deel 3`, `deel 4`, as a cutter drawing names them), the edge
    they share drawn once, on `deel 4` (as long as the edge, or longer): the whole file was refused
    ("cut line is open: a gap of 200.000 mm"). The open piece is closed along that line, a repair."""
    doc = ezdxf.new("R12")
    msp = doc.modelspace()
    for a, b in (((300, 0), (0, 0)), ((0, 0), (0, 200)), ((0, 200), (300, 200))):
        msp.add_line(a, b, dxfattribs={"layer": "deel 3"})
    h = neighbour_top
    for a, b in (((300, 0), (700, 0)), ((700, 0), (700, h)), ((700, h), (300, h)), ((300, h), (300, 0))):
        msp.add_line(a, b, dxfattribs={"layer": "deel 4"})
    p = tmp_path / "parts.dxf"
    doc.saveas(p)
    pat = read_pattern(p, units="mm")
    assert sorted((pc.name, round(pc.area)) for pc in pat.pieces) == [("deel 3", 60000), ("deel 4", 400 * h)]
    (said,) = [e for e in pat.report.entries if "an edge two pieces share" in e.message]
    assert said.kind == "repair" and "layer deel 3 open by 200.0 mm" in said.message
    assert "along a line of layer deel 4" in said.message
    with pytest.raises(GeometryError):
        read_pattern(p, units="mm", strict=True)


def test_a_mark_open_along_another_layers_line_inside_a_piece_stays_a_mark(tmp_path):
    """The same closing never makes a piece, or a hole, of a line inside a piece: a pocket mark
    drawn open at its top, along an internal line of another layer, stays an internal line."""
    doc = ezdxf.new("R12")
    msp = doc.modelspace()
    msp.add_polyline2d([(0, 0), (500, 0), (500, 400), (0, 400)], close=True, dxfattribs={"layer": "CUT"})
    msp.add_polyline2d([(100, 300), (100, 100), (300, 100), (300, 300)], dxfattribs={"layer": "MARKS"})
    msp.add_line((50, 300), (450, 300), dxfattribs={"layer": "LINES"})
    p = tmp_path / "pocket.dxf"
    doc.saveas(p)
    pat = read_pattern(p, units="mm")
    assert [(pc.name, round(pc.area), len(pc.cutouts)) for pc in pat.pieces] == [("CUT", 200000, 0)]
    assert not [e for e in pat.report.entries if "an edge two pieces share" in e.message]


def _segments(msp, corners):
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        msp.add_lwpolyline([a, b])


@pytest.mark.parametrize("off", [0.1, 0.3, 0.45])
def test_a_mark_stopping_short_of_a_line_in_a_piece_of_segments_stays_a_mark(tmp_path, off):
    """A back drawn in segments with pleat marks from its yoke corners (the faces path), a
    'lengthen/shorten' line across it and a pocket mark (a U) whose ends stop `off` mm below that
    line: one piece, both lines marks. Carrying the U's ends across the line cut a 100 x 150 mm
    pocket-shaped hole (regression probe); ends are carried only for cut lines."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for x in (250, 200, 150):
        msp.add_lwpolyline([(x, 600), (x, 500)])
    _segments(msp, [(0, 0), (400, 0), (400, 600), (250, 600), (200, 600), (150, 600), (0, 600)])
    msp.add_lwpolyline([(20, 300), (380, 300)])
    msp.add_lwpolyline([(100, 300 - off), (100, 150), (200, 150), (200, 300 - off)])
    p = tmp_path / "back.dxf"
    doc.saveas(p)
    pat = read_pattern(p)
    assert [(round(pc.area), len(pc.cutouts)) for pc in pat.pieces] == [(240000, 0)]


def test_a_dart_drawn_as_one_line_from_the_hem_keeps_the_back_in_any_order(tmp_path):
    """A FreeSewing-like back in segments, a 16 mm waist dart drawn as one polyline whose legs end
    on hem vertices, in 30 drawing orders: in 15 the dart's wedge, closed by the hem between its
    legs, was read as the sew line of a 'seam allowance' running off it for 16 mm, and the back
    was cut as the wedge's 1,120 mm² (exit status 0). An allowance runs off its sew line for at
    least 5 % of its length."""
    import random

    got = []
    for seed in range(30):
        rnd = random.Random(seed)
        doc = ezdxf.new("R2010")
        doc.header["$INSUNITS"] = 4
        ents = [[(x, 600), (x, 500)] for x in (250, 200, 150)] + [[(292, 0), (300, 140), (308, 0)]]
        corners = [(0, 0), (292, 0), (308, 0), (400, 0), (400, 600), (250, 600), (200, 600), (150, 600),
                   (0, 600)]
        ents += [[a, b] for a, b in zip(corners, corners[1:] + corners[:1], strict=True)]
        if seed:
            rnd.shuffle(ents)
            ents = [e[::-1] if rnd.random() < 0.5 else e for e in ents]
        for e in ents:
            doc.modelspace().add_lwpolyline(e)
        p = tmp_path / f"dart{seed}.dxf"
        doc.saveas(p)
        try:
            got.append(tuple(round(pc.area) for pc in read_pattern(p).pieces))
        except GeometryError:
            got.append("refused")
    assert not [g for g in got if g != "refused" and (len(g) != 1 or g[0] < 238880)], got
    assert got.count((240000,)) >= 27, got


@pytest.mark.parametrize("layer", ["CL", "CF", "MITTE"])
def test_a_half_open_along_a_centre_line_is_not_closed_as_a_piece(tmp_path, layer):
    """A half piece whose cut line is open along a centre line on a layer of its own: only another
    piece's cut line closes an open one (an edge two pieces share); closed along the centre line,
    the half was cut as a half, exit status 0 (regression probe). It is refused, as before."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (600, 0), (600, 300), (0, 300)], dxfattribs={"layer": "CUT"})
    msp.add_line((0, -20), (0, 320), dxfattribs={"layer": layer})
    p = tmp_path / "half.dxf"
    doc.saveas(p)
    with pytest.raises(GeometryError, match="cut line is open"):
        read_pattern(p)


@pytest.mark.parametrize("allowance", [15.0, 3.0])
def test_a_seam_allowance_on_a_short_end_of_a_long_piece_is_kept(tmp_path, allowance):
    """A waistband's sew line closed, and its end's allowance drawn as an open line from it: an
    allowance whose cut line ran off the sew line for under 5 % of the outline was dropped (the
    band cut 15 mm short, regression probe). What tells a band from a dart's wedge is how deep
    the sew line runs from the cut line where they part, not how long they part."""
    doc = ezdxf.new("R2000", units=4)
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (1000, 0), (1000, 40), (0, 40)], close=True)
    a = 1000 + allowance
    msp.add_lwpolyline([(1000, 0), (a, 0), (a, 40), (1000, 40)], close=False)
    msp.add_text("WAISTBAND", dxfattribs={"insert": (400, 20)})
    p = tmp_path / "waistband.dxf"
    doc.saveas(p)
    (pc,) = read_pattern(p).pieces
    assert round(pc.area, 6) == a * 40 and len(pc.sew_lines) == 1


@pytest.mark.parametrize("denser", ["1", "84"])
def test_an_exploded_astm_export_reads_each_piece_once(tmp_path, denser):
    """An AAMA/ASTM export whose blocks were exploded into model space draws each cut line on
    layer 1 and again on ASTM's layer 84. Read as a plain drawing, each piece came out twice
    (18 pieces for 9: a marker cutting every piece twice, the copies without their notches).
    The sparser of the two layers is left out, said; the denser is read, as in an AAMA file."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for x in (0, 400):
        coarse = [(x, 0), (x + 300, 0), (x + 300, 200), (x, 200)]
        fine = [(x + 300 * k / 30, 0) for k in range(31)] + [(x + 300, 200), (x, 200)]
        msp.add_lwpolyline(fine if denser == "1" else coarse, close=True, dxfattribs={"layer": "1"})
        msp.add_lwpolyline(coarse if denser == "1" else fine, close=True, dxfattribs={"layer": "84"})
        msp.add_text("Piece Name: BACK" if x else "Piece Name: FRONT", dxfattribs={"insert": (x + 50, 100),
                                                                                "layer": "1"})
    pat = read_pattern(save(doc, tmp_path))
    assert sorted((p.name, round(p.area), len(p.outline) > 10) for p in pat.pieces) == [
        ("BACK", 60000, True), ("FRONT", 60000, True)]
    sparse = "84" if denser == "1" else "1"
    assert [e.message for e in pat.report.skipped if "draw the same lines" in e.message] == [
        f"2 line(s) of layer {sparse} not read: layers {sparse} and {denser} draw the same lines "
        f"(ASTM's copy of an AAMA layer; its blocks exploded), and layer {denser} is the denser"]


@settings(max_examples=200, deadline=None)
@given(st.tuples(st.floats(-500, 500), st.floats(-500, 500)),
       st.tuples(st.floats(-500, 500), st.floats(-500, 500)),
       st.floats(-3.0, 3.0).filter(lambda b: abs(b) > 1e-3), st.sampled_from([0.01, 0.1, 1.0]))
def test_a_bulge_is_flattened_onto_its_arc(a, b, bulge, tol):
    """A polyline's bulge (the tangent of a quarter of its arc's angle) flattened on the arc: every
    point on the circle through both ends, every chord within the tolerance of it, the arc on
    the side DXF puts it (a positive bulge turns counter-clockwise from a to b)."""
    from kitcut.formats.reading.chains import bulge_points

    a, b = np.array(a), np.array(b)
    chord = float(np.hypot(*(b - a)))
    if chord < 1.0:
        return
    pts = bulge_points([tuple(a), tuple(b)], [bulge, 0.0], False, tol)
    theta = 4 * math.atan(bulge)
    r = chord / (2 * math.sin(abs(theta) / 2))
    if abs(bulge) * chord / 2 <= 0.01 * tol:  # flatter than a hundredth of the tolerance: the chord
        assert pts.tolist() == [list(a), list(b)]
        return
    normal = np.array([-(b - a)[1], (b - a)[0]]) / chord
    centre = (a + b) / 2 + normal * math.copysign(1.0, bulge) * r * math.cos(abs(theta) / 2)
    assert np.abs(np.hypot(*(pts - centre).T) - r).max() <= 1e-6 * max(r, 1.0)
    assert (r - np.hypot(*((pts[1:] + pts[:-1]) / 2 - centre).T)).max() <= tol * (1 + 1e-6)
    mid = pts[len(pts) // 2] - (a + b) / 2
    assert math.copysign(1, float(mid @ normal)) == -math.copysign(1, bulge)


def test_a_straight_edge_written_with_a_huge_radius_reads_straight(tmp_path):
    """An edge written as an arc of radius 1e6 (bulge -2.9e-6, rising 0.0004 mm off its chord) was
    flattened by ezdxf from its start to its end and back: the closed cut line was refused for a
    "gap of 297.782 mm" that is not there. It reads as the straight edge it is."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    pts = [(0, 0, 0, 0, 0), (300, 0, 0, 0, -2.93e-6), (300, 200, 0, 0, 0), (0, 200, 0, 0, 0)]
    doc.modelspace().add_lwpolyline(pts, format="xyseb", close=True)
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    assert p.area == pytest.approx(60000.0, abs=0.5) and len(p.outline) == 4


def _half_doc(extra_lines=(), facing=False):
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for layer in ("CUT", "FOLD", "FACING"):
        doc.layers.add(layer)
    msp.add_lwpolyline(_OPEN_HALF, dxfattribs={"layer": "CUT"})
    msp.add_line((0, -10), (0, 330), dxfattribs={"layer": "FOLD"})
    for pts in extra_lines:
        msp.add_lwpolyline(pts, dxfattribs={"layer": "FACING" if facing else "CUT"})
    return doc


@pytest.mark.parametrize("mark", ["bracket", "dart"])
def test_a_mark_ending_on_the_fold_line_of_a_half_is_no_cut_out(tmp_path, mark):
    """A "place on fold" bracket, or a dart drawn from the fold, ends on the fold line inside the
    half: closed along the fold line like the half's own cut line, it was cut out as a hole
    (40 x 220 mm). Only the outermost line closed at a fold line is a cut line."""
    inner = [(0, 50), (40, 50), (40, 270), (0, 270)] if mark == "bracket" else [(0, 140), (60, 160), (0, 180)]
    (p,) = read_pattern(save(_half_doc([inner]), tmp_path)).pieces
    assert p.unfolded and not p.cutouts and p.area == pytest.approx(2 * Polygon(_OPEN_HALF).area)


def test_a_front_and_its_grown_on_facing_drawn_on_two_layers_stay_one_piece(tmp_path):
    """A front drawn on CUT and its grown-on facing on FACING, the fold line between them: the
    fold closing ran first and cut them apart (a front less its facing, and the facing as a piece
    of its own, doubled). Outlines drawn on several layers are joined first."""
    facing = [(0, 330), (-60, 330), (-60, -10), (0, -10)]
    (p,) = read_pattern(save(_half_doc([facing], facing=True), tmp_path)).pieces
    assert not p.folded and p.area == pytest.approx(Polygon(_OPEN_HALF).area + 60 * 340)


def test_two_halves_drawn_either_side_of_a_fold_line_are_not_closed_at_it(tmp_path):
    """Both halves drawn either side of a fold line, missing each other by 1.5 mm at the ends:
    refused as open, as before the fold closing (closed at it, a whole piece and a stray half
    were cut)."""
    doc = _half_doc([[(-x, y + 1.5) for x, y in _OPEN_HALF]])
    with pytest.raises(GeometryError, match="no closed outline"):
        read_pattern(save(doc, tmp_path))


def test_layers_named_1_and_84_holding_pieces_apart_are_both_read(tmp_path):
    """A drawing with a layer per piece, numbered 1 to 90: layers 84 to 87 were taken for ASTM's
    copies of layers 1, 8, 11 and 14 and their pieces left out (exit 0). A layer is such a copy
    only when it covers what its layer covers."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for k in range(1, 91):
        x = 400 * (k % 10)
        y = 300 * (k // 10)
        msp.add_lwpolyline([(x, y), (x + 300, y), (x + 300, y + 200), (x, y + 200)], close=True,
                           dxfattribs={"layer": str(k)})
    pat = read_pattern(save(doc, tmp_path))
    assert len(pat.pieces) == 90
    assert not [e for e in pat.report.skipped if "draw the same lines" in e.message]


@pytest.mark.parametrize("layer", ["NOTCH", "剪口", "CUT"])
def test_notch_triangles_standing_on_the_cut_line_are_notches(tmp_path, layer):
    """Notches drawn as printed patterns draw them, small closed triangles on their base on the cut
    line (6 mm wide, 5 mm deep, pointing in or out), became 15 mm² pieces nested beside the
    garment, or triangular holes cut into it: every notch lost. Each is a notch, nothing else is
    cut."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (380, 0), (380, 400), (0, 400)], close=True, dxfattribs={"layer": "CUT"})
    for x, depth in ((100, 5), (200, -5), (300, 5)):  # in, out, in
        msp.add_lwpolyline([(x - 3, 0), (x + 3, 0), (x, depth)], close=True, dxfattribs={"layer": layer})
    msp.add_text("SLEEVE", dxfattribs={"insert": (150, 200), "height": 10, "layer": "TEXT"})
    path = tmp_path / "tri.dxf"
    doc.saveas(path)
    pat = read_pattern(path)
    assert [p.name for p in pat.pieces] == ["SLEEVE"]
    sleeve = pat.pieces[0]
    assert sleeve.cutouts == () and Polygon(sleeve.outline).area == pytest.approx(380 * 400)
    assert sorted(round(n.x, 3) for n in sleeve.notches) == [100.0, 200.0, 300.0]
    assert all(abs(n.y) < 1e-6 for n in sleeve.notches)


@pytest.mark.parametrize("layer", ["Passzeichen", "Passmarks", "Balance marks"])
def test_a_layer_named_for_notches_in_the_trade_words_holds_notches(tmp_path, layer):
    """POINTs on the cut line on a layer named with the trade's word for notches (German
    Passzeichen, UK pass marks, balance marks) were "points kitcut does not use": lost."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (380, 0), (380, 400), (0, 400)], close=True, dxfattribs={"layer": "CUT"})
    for x in (100, 250):
        msp.add_point((x, 0), dxfattribs={"layer": layer})
    path = tmp_path / "pz.dxf"
    doc.saveas(path)
    (piece,) = read_pattern(path).pieces
    assert sorted(round(n.x, 3) for n in piece.notches) == [100.0, 250.0]


@pytest.mark.parametrize("cut_layer", ["CUT", "SA", "OUTLINE"])
def test_a_sew_line_on_layer_0_inside_cut_lines_on_their_own_layer(tmp_path, cut_layer):
    """The net line drawn on layer 0 (with the labels, as everything a drawing puts nowhere else)
    and the cut line 10 mm around it on a layer of its own: each piece was read twice, once on
    each line, and cut twice (layer 0 was taken for a size layer named "0", and its labels for a
    size's). Layer 0 holds the sew lines: one piece each, with its sew line and its labels."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(-10, -10), (390, -10), (390, 410), (-10, 410)], close=True,
                       dxfattribs={"layer": cut_layer})
    msp.add_lwpolyline([(0, 0), (380, 0), (380, 400), (0, 400)], close=True, dxfattribs={"layer": "0"})
    msp.add_text("SLEEVE", dxfattribs={"insert": (150, 220), "height": 10, "layer": "0"})
    msp.add_text("CUT 2", dxfattribs={"insert": (150, 180), "height": 10, "layer": "0"})
    path = tmp_path / "sa.dxf"
    doc.saveas(path)
    pat = read_pattern(path)
    assert [(p.name, p.quantity) for p in pat.pieces] == [("SLEEVE", 2)]
    (sleeve,) = pat.pieces
    assert Polygon(sleeve.outline).area == pytest.approx(400 * 420)
    assert len(sleeve.sew_lines) == 1
    assert any("the closed lines of layer 0 run inside the pieces of another layer" in e.message
               for e in pat.report.warnings)


@pytest.mark.parametrize("curved", [True, False])
@pytest.mark.parametrize("label", ["FRONT", "Piece Name: FRONT"])
def test_a_graded_nest_grown_from_a_corner_is_one_piece_per_size(tmp_path, curved, label):
    """A front drawn in S, M and L on one layer, graded from the corner: the sizes share the hem
    and centre-front lines, and each is labelled ``Size: X`` in its band, ``FRONT`` / ``CUT 2``
    in the middle. With a curved armhole and neck, M was taken for L's sew line and S for its
    cut-out: two L fronts with an S-sized hole, labelled S (probe 33). And a bare name was not
    used: the sizes were ``0#1``..``0#3``, each said not drawn in the others."""
    front = [(0, 0, 0), (260, 0, 0), (270, 380, -0.25 * curved), (190, 540, 0), (120, 560, -0.35 * curved),
             (0, 480, 0)]
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for k in (0.94, 1.0, 1.06):
        msp.add_lwpolyline([(x * k, y * k, 0, 0, b) for x, y, b in front], format="xyseb", close=True)
    for size, at in zip("SML", [(118.7, 175), (264.2, 360.5), (281, 398.5)], strict=True):
        msp.add_text(f"Size: {size}", dxfattribs={"height": 4, "insert": at})
    msp.add_text(label, dxfattribs={"height": 12, "insert": (60, 300)})
    msp.add_text("CUT 2", dxfattribs={"height": 12, "insert": (60, 280)})
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((p.name, p.size, p.quantity, len(p.cutouts), len(p.sew_lines)) for p in pat.pieces)
    assert got == [("FRONT", "L", 2, 0, 0), ("FRONT", "M", 2, 0, 0), ("FRONT", "S", 2, 0, 0)]
    areas = {p.size: p.area for p in pat.pieces}
    assert areas["S"] == pytest.approx(areas["M"] * 0.94**2, rel=1e-3)
    assert areas["L"] == pytest.approx(areas["M"] * 1.06**2, rel=1e-3)
    assert not [w for w in pat.report.warnings if "not drawn in size" in w.message]


@pytest.mark.parametrize("layer", ["INTERNAL", "Internal Lines", "MARK", "DRAW", "PLACEMENT",
                                   "Pocket placement", "8"])
def test_a_closed_line_on_a_layer_named_for_marks_is_drawn_on_the_piece_not_cut_out(tmp_path, layer):
    """A pocket's placement (150 x 100 mm) on a layer of its own named for internal lines or
    marks, inside a front on layer CUT: it was cut out of the front, a 15,000 mm² hole, without a
    word (probe 45); AAMA's layer 8 was already read so. A drawing keeping its pieces on a layer
    named DRAWING still has them as pieces."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (500, 0), (500, 600), (0, 600)], close=True, dxfattribs={"layer": "CUT"})
    for ring, on in (([(200, 300), (350, 300), (350, 400), (200, 400)], layer),
                     ([(700, 0), (900, 0), (900, 300), (700, 300)], "DRAWING")):
        msp.add_lwpolyline(ring, close=True, dxfattribs={"layer": on})
    doc.saveas(tmp_path / "p.dxf")
    pieces = sorted(read_pattern(tmp_path / "p.dxf").pieces, key=lambda p: p.area)
    assert [round(p.area) for p in pieces] == [60_000, 300_000]
    front = pieces[1]
    assert front.cutouts == () and len(front.internal_lines) == 1
    assert Polygon(front.internal_lines[0].points).area == pytest.approx(15_000)
