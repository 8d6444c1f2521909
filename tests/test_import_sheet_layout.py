"""A one-layer workshop drawing (everything on layer 0, bare labels ``FRONT`` / ``Cut 2``): the
sheet border drawn around the pieces and the title block beside them are no pieces, while a
piece holding labelled shapes or a rectangle labelled like a piece stays one. Files are written
with ezdxf at any origin."""

from __future__ import annotations

import ezdxf
import pytest
from test_import_dxf import save

from kitcut.formats.reading.read import read_pattern

SHAPES = {"FRONT": [(0, 0), (260, 0), (270, 380), (190, 540), (120, 560), (0, 480)],
          "BACK": [(0, 0), (270, 0), (280, 390), (200, 560), (110, 575), (0, 570)],
          "SLEEVE": [(0, 0), (300, 0), (340, 330), (150, 415), (-40, 330)],
          "POCKET": [(0, 0), (150, 0), (150, 170), (0, 170)]}
AREAS = {"FRONT": 135800, "BACK": 150100, "SLEEVE": 128350, "POCKET": 25500}


def _sheet(ox, oy, cut_texts=True, dimension=True, label_beside=True, border=True):
    """The four pieces side by side, each labelled inside (the pocket, small, just above it
    when ``label_beside``), a dimension's value between them, inside a sheet border."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for k, (name, pts) in enumerate(SHAPES.items()):
        dx = ox + 450 * k
        msp.add_lwpolyline([(x + dx, y + oy) for x, y in pts], close=True)
        at_y = 200 if name != "POCKET" or label_beside else 100
        msp.add_text(name, dxfattribs={"height": 6, "insert": (dx + 50, oy + at_y)})
        if cut_texts:
            msp.add_text("Cut 2", dxfattribs={"height": 6, "insert": (dx + 50, oy + at_y - 15)})
    if dimension:
        msp.add_line((ox, oy - 30), (ox + 260, oy - 30))
        msp.add_text("260", dxfattribs={"height": 5, "insert": (ox + 120, oy - 27)})
    if border:
        msp.add_lwpolyline([(ox - 50, oy - 100), (ox + 2100, oy - 100), (ox + 2100, oy + 700),
                            (ox - 50, oy + 700)], close=True)
    return doc


@pytest.mark.parametrize("cut_texts, dimension, label_beside",
                         [(True, True, True), (False, False, True), (True, False, False),
                          (False, True, False)])
@pytest.mark.parametrize("origin", [(0, 0), (-1075, -300), (5e4, -2e4)])
def test_sheet_border_around_bare_labelled_pieces_is_a_frame(tmp_path, origin, cut_texts, dimension,
                                                             label_beside):
    """The border was one 2.15 m piece with the garment cut out of it (two of them with ``Cut 2``)
    once a dimension's value lay between the pieces or a small piece's label just outside it:
    those are no labels of the border's. Each piece is cut, named, with its quantity."""
    pat = read_pattern(save(_sheet(*origin, cut_texts, dimension, label_beside), tmp_path))
    got = sorted((p.name, p.quantity, round(p.area), len(p.cutouts)) for p in pat.pieces)
    q = 2 if cut_texts else 1
    assert got == sorted((name, q, AREAS[name], 0) for name in SHAPES)
    (w,) = [w.message for w in pat.report.warnings if "frame" in w.message]
    assert "drawn around 4 piece(s)" in w and "taken for a drawing frame, not cut" in w


@pytest.mark.parametrize("layer", ["0", "TEXT"])
def test_a_piece_holding_labelled_pieces_with_its_own_label_stays_a_piece(tmp_path, layer):
    """A rectangular bag panel labelled in its middle, with two pockets traced on it, each
    labelled ``POCKET`` / ``Cut 2`` (texts on the outlines' layer or their own): no frame, as
    the panel has a label of its own far from them; and the pockets, with a quantity of their
    own, are pieces lying on it (they were holes cut out of the panel)."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (600, 0), (600, 500), (0, 500)], close=True)
    msp.add_text("BODY", dxfattribs={"height": 8, "insert": (280, 250), "layer": layer})
    for x in (40, 440):
        msp.add_lwpolyline([(x, 20), (x + 120, 20), (x + 120, 120), (x, 120)], close=True)
        msp.add_text("POCKET", dxfattribs={"height": 6, "insert": (x + 10, 60), "layer": layer})
        msp.add_text("Cut 2", dxfattribs={"height": 6, "insert": (x + 10, 45), "layer": layer})
    pat = read_pattern(save(doc, tmp_path))
    assert not [w for w in pat.report.warnings if "drawing frame" in w.message]
    assert sorted((p.name, p.quantity, round(p.area), len(p.cutouts)) for p in pat.pieces) == [
        ("BODY", 1, 300000, 0), ("POCKET", 2, 12000, 0), ("POCKET", 2, 12000, 0)]
    assert not [w for w in pat.report.warnings if "cut-outs" in w.message]


def test_a_hole_labelled_without_a_quantity_stays_a_hole(tmp_path):
    """A handle slot labelled ``HANDLE`` on the panel's layer, with no quantity of its own, is
    the panel's cut-out, as before, and said; the panel is named by the word on it, not the one
    in its slot (two bare names left it unnamed)."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (400, 0), (400, 300), (0, 300)], close=True)
    msp.add_text("BAG", dxfattribs={"height": 8, "insert": (150, 100)})
    msp.add_text("Cut 2", dxfattribs={"height": 8, "insert": (150, 80)})
    msp.add_lwpolyline([(140, 220), (260, 220), (260, 260), (140, 260)], close=True)
    msp.add_text("HANDLE", dxfattribs={"height": 5, "insert": (170, 235)})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert (p.name, p.quantity, round(p.area), len(p.cutouts)) == ("BAG", 2, 120000 - 4800, 1)
    # a hole told by its shape alone is cut: said (a Gerber marker's label boxes were cut in silence)
    assert [w.message for w in pat.report.warnings if "cut-outs" in w.message] == [
        "1 closed line(s) inside pieces on their own layer 0 read as cut-outs, cut out of the pieces (a "
        "slot, a window); a mark's outline (a label's or a pocket's placement) is drawn dashed or on a "
        "layer of its own (--layer NAME=internal)"]


@pytest.mark.parametrize("title", ["1:1", "Scale 1:5", "Date: 2026-12-07", "比例 1:1", "Drawn by M.K.", ""])
@pytest.mark.parametrize("origin", [(0, 0), (-900, -40)])
def test_title_block_beside_pieces_on_layer_0_is_not_cut(tmp_path, origin, title):
    """A title block drawn beside the pieces of a one-layer drawing (a rectangle divided by lines,
    holding the style, the size and a scale or a field's name, or only the style and the size
    while every piece has a count) was nested and cut as a piece. It is left out, said with the
    text that made it one."""
    ox, oy = origin
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for dx, name in [(0, "FRONT"), (450, "BACK")]:
        msp.add_lwpolyline([(x + dx + ox, y + oy) for x, y in SHAPES["FRONT"]], close=True)
        msp.add_text(name, dxfattribs={"height": 6, "insert": (ox + dx + 100, oy + 200)})
        msp.add_text("Cut 2", dxfattribs={"height": 6, "insert": (ox + dx + 100, oy + 185)})
    tx = ox + 900
    msp.add_lwpolyline([(tx, oy), (tx + 180, oy), (tx + 180, oy + 60), (tx, oy + 60)], close=True)
    msp.add_line((tx, oy + 30), (tx + 180, oy + 30))
    msp.add_line((tx + 90, oy), (tx + 90, oy + 30))
    for t, (x, y) in [("BLOUSE B-12", (5, 40)), ("SIZE 38", (5, 10)), (title, (95, 10))]:
        if t:
            msp.add_text(t, dxfattribs={"height": 6, "insert": (tx + x, oy + y)})
    pat = read_pattern(save(doc, tmp_path))
    assert sorted((p.name, p.quantity, round(p.area)) for p in pat.pieces) == [
        ("BACK", 2, 135800), ("FRONT", 2, 135800)]
    said = [w.message for w in pat.report.warnings if "taken for a title block" in w.message]
    holding = (f"a title block's texts ({title!r})" if title else
               "the drawing's size ('38') and no quantity, where every other piece has one")
    assert said == [f"closed outline of layer 0 at ({tx:.1f}, {oy:.1f}) with no piece name, holding "
                    f"{holding}: taken for a title block, not cut; give --layer 0=cut if it is a piece"]
    if not title:  # the title block's size is the drawing's: every piece's
        assert {p.size for p in pat.pieces} == {"38"}


@pytest.mark.parametrize("texts", [["WAISTBAND", "Cut 1", "Scale 1:1"], ["LABEL", "SIZE 38"],
                                   ["Piece Name: Tag", "Date 2026"]])
def test_a_rectangle_labelled_as_a_piece_stays_one(tmp_path, texts):
    """A rectangle with a quantity or a piece name, or with no title block's text, is a piece,
    whatever else it holds."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(SHAPES["FRONT"], close=True)
    msp.add_text("FRONT", dxfattribs={"height": 6, "insert": (100, 200)})
    msp.add_lwpolyline([(900, 0), (1600, 0), (1600, 60), (900, 60)], close=True)
    for k, t in enumerate(texts):
        msp.add_text(t, dxfattribs={"height": 6, "insert": (920 + 200 * k, 20)})
    pat = read_pattern(save(doc, tmp_path))
    assert sorted(round(p.area) for p in pat.pieces) == [42000, 135800]
    assert not [w for w in pat.report.warnings if "title block" in w.message]


@pytest.mark.parametrize("cut, marks", [("0", "0"), ("CUT", "Marks"), ("CUT", "0"), ("PATTERN", "PATTERN")])
@pytest.mark.parametrize("origin", [(0, 0), (-170, 3e4)])
def test_points_on_a_layer_named_for_no_mark_are_notches_and_drills(tmp_path, cut, marks, origin):
    """POINTs on layer 0, on a layer named for nothing (``Marks``), or on the one layer of a
    one-layer drawing (``PATTERN``) were "points kitcut does not use": the notches and drill
    holes of a one-layer drawing were lost. On the cut line they are
    notches, inside the piece drill holes, at their places; reported. A POINT outside every piece
    is still left out."""
    ox, oy = origin
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for layer in {cut, marks} - {"0"}:
        doc.layers.add(layer)
    msp.add_lwpolyline([(x + ox, y + oy) for x, y in SHAPES["SLEEVE"]], close=True, dxfattribs={"layer": cut})
    msp.add_text("SLEEVE", dxfattribs={"height": 6, "insert": (ox + 100, oy + 200), "layer": cut})
    for x, y in [(150, 0), (-20, 165), (150, 120), (2000, 2000)]:
        msp.add_point((x + ox, y + oy), dxfattribs={"layer": marks})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert sorted((round(n.x - ox, 6), round(n.y - oy, 6)) for n in p.notches) == [(-20, 165), (150, 0)]
    assert [(round(d.x - ox, 6), round(d.y - oy, 6)) for d in p.drills] == [(150, 120)]
    said = [w.message for w in pat.report.warnings if "POINT" in w.message]
    hint = "" if marks == cut else f"; give --layer {marks}=ignore if they mark nothing"
    assert said == [f"POINTs on layer {marks}, a layer named for no mark: 2 on a cut line read as notches "
                    f"and 1 inside a piece as drill holes (a drawing's points mark those){hint}"]
    assert any("points kitcut does not use" in s.message for s in pat.report.skipped)


@pytest.mark.parametrize("origin", [(0, 0), (-170, 3e4)])
def test_small_crosses_on_layer_0_are_drills(tmp_path, origin):
    """A one-layer drawing marks its drill holes with small crosses (``+`` or ``x``, 10 mm arms):
    they were four pen lines, the drills lost (probe 33). A small square cross inside a piece,
    clear of its cut line, is a drill at its crossing point, reported; long crossing lines (a
    grain line across a placement line) and a cross on the cut line stay lines."""
    ox, oy = origin
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(x + ox, y + oy) for x, y in SHAPES["FRONT"]], close=True)
    msp.add_text("FRONT", dxfattribs={"height": 6, "insert": (ox + 100, oy + 250)})
    d = 10 / 2 ** 0.5  # arms of 10 mm: lines of 20
    for a, b in [((90, 150), (110, 150)), ((100, 140), (100, 160)),  # +
                 ((180 - d, 300 - d), (180 + d, 300 + d)), ((180 - d, 300 + d), (180 + d, 300 - d)),  # x
                 ((60, 200), (60, 420)), ((20, 380), (160, 380)),  # long lines crossing: no drill
                 ((125, -5), (125, 5)), ((120, 0.5), (130, 0.5))]:  # a cross on the cut line: no drill
        msp.add_line((a[0] + ox, a[1] + oy), (b[0] + ox, b[1] + oy))
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert sorted((round(dr.x - ox, 6), round(dr.y - oy, 6)) for dr in p.drills) == [(100, 150), (180, 300)]
    said = [w.message for w in pat.report.warnings if "small cross" in w.message]
    assert said == ["2 small cross(es) of two lines on layer 0, a layer named for no mark, inside pieces: "
                    "drill marks, a drill at each crossing point"]


@pytest.mark.parametrize("texts", [["WAISTBAND", "SIZE 38"], ["FACING", "Date 2024-05-01"],
                                   ["POCKET", "check 1:1"], ["FLAT SHEET", "Size: 38"]])
def test_pieces_that_hold_a_title_word_or_a_size_are_no_title_blocks(tmp_path, texts):
    """A rectangular piece beside pieces labelled with counts, holding its name and a size, a
    date or a scale, was dropped as a title block (probe 34): a title block is divided into cells
    by lines, or holds two title block's texts."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for dx, name in [(0, "FRONT"), (450, "BACK")]:
        msp.add_lwpolyline([(x + dx, y) for x, y in SHAPES["FRONT"]], close=True)
        msp.add_text(name, dxfattribs={"height": 6, "insert": (dx + 100, 200)})
        msp.add_text("Cut 2", dxfattribs={"height": 6, "insert": (dx + 100, 185)})
    msp.add_lwpolyline([(900, 0), (1620, 0), (1620, 80), (900, 80)], close=True)
    msp.add_line((900, 40), (1620, 40))  # a fold line along it: one way only, no cells
    for k, t in enumerate(texts):
        msp.add_text(t, dxfattribs={"height": 6, "insert": (920 + 200 * k, 50)})
    pat = read_pattern(save(doc, tmp_path))
    assert sorted(round(p.area) for p in pat.pieces) == [57600, 135800, 135800]
    assert not [w for w in pat.report.warnings if "title block" in w.message]


def test_a_bag_panel_labelled_near_its_labelled_pockets_is_no_frame(tmp_path):
    """A bag panel whose own label lies within 40 mm of its traced, labelled pockets was dropped
    as a drawing frame, only the pockets cut (probe 34): a label beside a ring is a small
    piece's only when that ring holds none of its own."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (600, 0), (600, 500), (0, 500)], close=True)
    msp.add_text("BAG", dxfattribs={"height": 8, "insert": (60, 160)})  # 40 mm above a pocket
    for x in (40, 440):
        msp.add_lwpolyline([(x, 20), (x + 120, 20), (x + 120, 120), (x, 120)], close=True)
        msp.add_text("POCKET", dxfattribs={"height": 6, "insert": (x + 10, 60)})
        msp.add_text("Cut 2", dxfattribs={"height": 6, "insert": (x + 10, 45)})
    pat = read_pattern(save(doc, tmp_path))
    assert not [w for w in pat.report.warnings if "drawing frame" in w.message]
    assert sorted((p.name, round(p.area)) for p in pat.pieces) == [
        ("BAG", 300000), ("POCKET", 12000), ("POCKET", 12000)]


@pytest.mark.parametrize("layer", ["0", "2"])
def test_points_at_the_corners_of_a_cut_line_are_no_notches(tmp_path, layer):
    """A CAD marks every corner of a cut line with a POINT (turn points; AAMA's layer 2 after
    its blocks were exploded): each became a 5 mm slit notch (probe 34). A point at a corner
    stays unused; one on an edge is still a notch."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(SHAPES["FRONT"], close=True)
    msp.add_text("FRONT", dxfattribs={"height": 6, "insert": (100, 200)})
    for p in [*SHAPES["FRONT"], (130, 0)]:
        msp.add_point(p, dxfattribs={"layer": layer})
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    assert [(n.x, n.y) for n in p.notches] == ([(130.0, 0.0)] if layer == "0" else [])


def test_outlines_not_cut_and_counts_read_off_names_are_said_by_the_main_job(tmp_path):
    """What changes what is cut gets a line of its own on ``nest``'s stderr: a border taken for a
    frame, a title block, a count read off the end of a name (``STRAP X2``). They were only
    counted among "the import made N remarks" (probe 34)."""
    import subprocess
    import sys

    doc = _sheet(0, 0)
    msp = doc.modelspace()
    msp.add_lwpolyline([(1700, 300), (1880, 300), (1880, 360), (1700, 360)], close=True)
    msp.add_line((1700, 330), (1880, 330))
    msp.add_line((1790, 300), (1790, 330))
    for t, (x, y) in [("BLOUSE B-12", (1705, 340)), ("SIZE 38", (1705, 310)), ("1:1", (1795, 310))]:
        msp.add_text(t, dxfattribs={"height": 6, "insert": (x, y)})
    msp.add_lwpolyline([(1400, 400), (1700, 400), (1700, 440), (1400, 440)], close=True)
    msp.add_text("STRAP X2", dxfattribs={"height": 6, "insert": (1450, 415)})
    path = save(doc, tmp_path)
    r = subprocess.run([sys.executable, "-m", "kitcut", str(path), "--time", "1", "--workers", "1", "-q",
                        "-o", str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    said = "\n".join(ln for ln in r.stderr.splitlines() if ln.startswith("nest: warning:"))
    assert "with no name of its own: taken for a drawing frame, not cut" in said
    assert "holding a title block's texts ('1:1'): taken for a title block, not cut" in said
    assert "1 label(s) of one line read as a piece's name and its quantity ('STRAP X2': STRAP)" in said
