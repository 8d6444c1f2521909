"""Block references in pattern DXF: piece blocks drawn as INSERTs of other blocks, and block
trees too big to explode (counted before anything is exploded). Files are written with ezdxf."""

from __future__ import annotations

import re
import time

import ezdxf
import numpy as np
import pytest
from test_import_dxf import RECT, aama_doc, add_piece, both, save

from kitcut.errors import GeometryError
from kitcut.formats.reading import blocks
from kitcut.formats.reading.dxf_fast import parse_fast
from kitcut.formats.reading.dxf_read import read_dxf
from kitcut.formats.reading.read import read_pattern
from kitcut.limits import LimitError, override


def _corners(piece) -> np.ndarray:
    return np.array(sorted(map(tuple, np.asarray(piece.outline).tolist())))


def _nested_piece(doc, *, at=(10.0, 20.0), rotation=90.0):
    """Piece block A_M: its texts, and an INSERT of CUT_A (the cut line, a notch, an internal
    line) at ``at`` turned by ``rotation``."""
    cut = doc.blocks.new("CUT_A")
    cut.add_polyline2d([tuple(map(float, p)) for p in RECT], close=True, dxfattribs={"layer": "1"})
    cut.add_point((100.0, 25.0), dxfattribs={"layer": "4"})
    cut.add_line((20.0, 25.0), (80.0, 25.0), dxfattribs={"layer": "8"})
    blk = doc.blocks.new("A_M")
    blk.add_text("Piece Name: A", dxfattribs={"layer": "1"})
    blk.add_text("Size: M", dxfattribs={"layer": "1"})
    blk.add_blockref("CUT_A", at, dxfattribs={"rotation": rotation})
    doc.modelspace().add_blockref("A_M", (1000.0, 0.0))


def test_piece_block_drawn_as_an_insert_of_its_cut_line(tmp_path):
    """A piece block that inserts the block holding its cut line (and marks) is one piece, at
    the place the two transforms give, with its notch and internal line; nothing is skipped."""
    doc = aama_doc()
    _nested_piece(doc)
    add_piece(doc, "B_M", [RECT], closed=True, texts=["Piece Name: B", "Size: M"])
    pat = both(save(doc, tmp_path))
    a, b = sorted(pat.pieces, key=lambda p: p.name)
    assert (a.name, b.name) == ("A", "B")
    # RECT turned by 90 degrees about the origin, moved to (10, 20) in A_M, A_M to (1000, 0)
    want = sorted((1010.0 - y, 20.0 + x) for x, y in RECT)
    assert np.allclose(_corners(a), want)
    assert len(a.internal_lines) == 1
    (n,) = a.notches  # on the right edge of RECT, cutting inwards (180 degrees), turned by 90
    assert np.allclose((n.x, n.y, n.angle_deg % 360.0), (1010.0 - 25.0, 120.0, 270.0))
    assert not [e for e in pat.report.entries if "CUT_A" in e.message or "A_M" in e.message]


def test_nested_blocks_two_levels_deep_and_too_deep(tmp_path):
    """Blocks nested down to the fourth level below model space are read; an INSERT deeper than
    that is left out and said so. Its piece, labelled but without a cut line then, cannot be cut:
    an error naming it (it used to be skipped, and the garment cut without it)."""
    for levels, read in ((3, True), (4, False)):
        doc = aama_doc()
        inner = doc.blocks.new("L0")
        inner.add_polyline2d([tuple(map(float, p)) for p in RECT], close=True, dxfattribs={"layer": "1"})
        for k in range(1, levels + 1):
            blk = doc.blocks.new(f"L{k}")
            blk.add_blockref(f"L{k - 1}", (5.0, 0.0))
        top = doc.blocks[f"L{levels}"]
        top.add_text("Piece Name: DEEP", dxfattribs={"layer": "1"})
        doc.modelspace().add_blockref(f"L{levels}", (0.0, 0.0))
        add_piece(doc, "B_M", [RECT], closed=True, texts=["Piece Name: B"])
        path = save(doc, tmp_path, f"deep{levels}.dxf")
        if read:
            pat = both(path)
            deep = next(p for p in pat.pieces if p.name == "DEEP")
            assert np.allclose(_corners(deep), sorted((x + 5.0 * levels, y) for x, y in RECT))
        else:
            for fast in (True, False):
                with pytest.raises(GeometryError, match="piece 'DEEP': no cut line: its block 'L4' holds"):
                    read_dxf(path, fast=fast)


def test_piece_block_inserting_itself_is_read_once(tmp_path):
    doc = aama_doc()
    add_piece(doc, "A_M", [RECT], closed=True, texts=["Piece Name: A"])
    doc.blocks["A_M"].add_blockref("A_M", (300.0, 0.0))
    pat = both(save(doc, tmp_path))
    (a,) = pat.pieces
    assert a.area == pytest.approx(5000.0)
    assert any("'A_M' inserts itself" in e.message for e in pat.report.skipped)


def _fan(doc, width: int, levels: int, leaf):
    """Blocks F0..F{levels}: F0 is ``leaf``'s drawing, each next level inserts the one below
    ``width`` times, side by side (the leaves do not overlap); returns the top block's name."""
    leaf(doc.blocks.new("F0"))
    for k in range(1, levels + 1):
        blk = doc.blocks.new(f"F{k}")
        for j in range(width):
            blk.add_blockref(f"F{k - 1}", (float(j) * 200.0 * width ** (k - 1), 0.0))
    return f"F{levels}"


def _square(layer="0"):
    return lambda b: b.add_polyline2d([(0, 0), (100, 0), (100, 100), (0, 100)], close=True,
                                      dxfattribs={"layer": layer})


def test_counted_before_exploding():
    doc = ezdxf.new("R2010")
    top = _fan(doc, 7, 3, lambda b: (b.add_line((0, 0), (1, 0)), b.add_line((1, 0), (1, 1))))
    doc.modelspace().add_blockref(top, (0, 0))
    doc.modelspace().add_line((0, 0), (5, 5))
    msp, refs = blocks.ezdxf_refs(doc)
    assert blocks.expanded_count(msp, refs) == 1 + 2 * 7**3
    assert blocks.expanded_count(msp, refs, depth=2) == 1 + 7 * 7  # F1 inserts counted as one each
    assert blocks.reaching({"F0"}, refs) == {"F0", "F1", "F2", "F3"}
    assert blocks.reaching({"F0"}, refs, depth=2) == {"F0", "F1"}


@pytest.mark.parametrize("kind", ["plain", "aama"])
def test_block_tree_too_big_to_explode_is_refused_at_once(tmp_path, kind):
    """200 INSERTs per level: 200^4 entities once a plain drawing is exploded, 200^3 once the
    piece block is. Refused at once with the limit named, before anything is exploded."""
    doc = aama_doc() if kind == "aama" else ezdxf.new("R2010")
    top = _fan(doc, 200, 4, _square("1" if kind == "aama" else "0"))
    if kind == "aama":
        add_piece(doc, "P_M", [RECT], closed=True, texts=["Piece Name: P"])
        doc.blocks["P_M"].add_blockref(top, (0.0, 0.0))
    else:
        doc.modelspace().add_blockref(top, (0.0, 0.0))
    path = save(doc, tmp_path)
    t0 = time.monotonic()
    with pytest.raises(LimitError) as err:
        read_pattern(path)
    assert time.monotonic() - t0 < 5.0
    msg = str(err.value)
    assert "once the block references (INSERT) are exploded" in msg and "max_entities" in msg
    count = int(re.search(r"exploded: ([\d,]+) exceeds", msg).group(1).replace(",", ""))
    want = 200**4 if kind == "plain" else 200**3  # plus the few entities drawn as they are
    assert want <= count <= want + 10, msg
    assert str(path) in msg


def test_block_tree_within_the_limit_is_read(tmp_path):
    """A plain drawing of 125 squares as a 5 x 5 x 5 block tree: 125 pieces; with max_entities
    below the count once exploded (but above the file's own), a clear refusal."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    doc.modelspace().add_blockref(_fan(doc, 5, 3, _square()), (0.0, 0.0))
    path = save(doc, tmp_path)
    pat = read_pattern(path)
    assert len(pat.pieces) == 125
    assert len(ezdxf.readfile(path).entitydb) < 124
    with override(max_entities=124), pytest.raises(LimitError, match="exploded: 125 exceeds"):
        read_pattern(path)


def test_fast_reader_leaves_tilted_entities_to_ezdxf(tmp_path):
    """An entity in a tilted coordinate system (extrusion with an x or y part) is mapped to
    the world by ezdxf: the fast reader hands such a file over instead of reading raw numbers."""
    from ezdxf.math import OCS, Vec3

    doc = aama_doc()
    extrusion = (0.6, 0.0, 0.8)
    add_piece(doc, "A_M", [RECT], closed=True, texts=["Piece Name: A"],
              extra=lambda b: b.add_text("# 3", dxfattribs={
                  "insert": OCS(extrusion).from_wcs(Vec3(100.0, 0.0, 0.0)), "extrusion": extrusion}))
    path = save(doc, tmp_path)
    assert parse_fast(path.read_bytes()) is None
    upright = aama_doc()
    add_piece(upright, "A_M", [RECT], closed=True, texts=["Piece Name: A"])
    assert parse_fast(save(upright, tmp_path, "up.dxf").read_bytes()) is not None
    assert [p.name for p in read_dxf(path).pieces] == ["A"]


def test_drawing_only_in_blocks_nested_too_deep_says_so(tmp_path):
    from kitcut.errors import GeometryError

    doc = ezdxf.new("R2010")
    doc.modelspace().add_blockref(_fan(doc, 2, 4, _square()), (0.0, 0.0))
    with pytest.raises(GeometryError, match=r"no lines or curves \(16 block references nested over 4 levels"):
        read_pattern(save(doc, tmp_path))


def test_drawing_of_solids_says_what_it_holds(tmp_path):
    from kitcut.errors import GeometryError

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    for _ in range(3):
        mesh = doc.modelspace().add_mesh()
        mesh.vertices = [(0, 0, 0), (100, 0, 0), (100, 100, 0)]
        mesh.faces = [(0, 1, 2)]
    with pytest.raises(GeometryError, match=r"no lines or curves \(it holds 3 MESH; explode the regions"):
        read_pattern(save(doc, tmp_path))


def _piece_blocks(doc, version: str, pieces: dict) -> None:
    """A block per piece (``name: (ring, texts)``, the texts at the ring's first points), each
    inserted once in model space at the origin."""
    for name, (ring, texts) in pieces.items():
        blk = doc.blocks.new(name)
        if version == "R12":
            blk.add_polyline2d(ring, close=True, dxfattribs={"layer": "1"})
        else:
            blk.add_lwpolyline(ring, close=True, dxfattribs={"layer": "1"})
        for text, at in zip(texts, ring, strict=False):
            blk.add_text(text, dxfattribs={"layer": "1", "insert": at})
        doc.modelspace().add_blockref(name, (0, 0), dxfattribs={"layer": "1"})


@pytest.mark.parametrize("version", ["R12", "R2000"])
def test_one_block_name_defined_for_several_pieces(tmp_path, version):
    """Valentina writes each piece as a block of the piece's name, and names every piece
    ``Detail`` (``Деталь``) until it is renamed: its AAMA/ASTM exports define one block name
    several times, each definition inserted once. The last definition used to stand for all of
    them (R12, the fast reader) or ezdxf merged them into one block whose first loop was the
    piece, the others "a second closed loop on the cut line lies outside the outline; not used"
    (R2000): one piece cut N times, the others lost. Each definition is now its own piece, placed
    by the INSERT of its rank, and the shared name is reported."""
    doc = ezdxf.new(version)
    doc.header["$INSUNITS"] = 4
    shapes = {"Detail": [(0, 0), (100, 0), (100, 50), (0, 50)],
              "DetailB": [(200, 0), (260, 0), (260, 40), (200, 40)],
              "DetailC": [(300, 0), (330, 0), (330, 90), (300, 90)]}
    _piece_blocks(doc, version, {name: (ring, ["Detail"]) for name, ring in shapes.items()})
    p = tmp_path / "valentina.dxf"
    doc.saveas(p)
    p.write_bytes(p.read_bytes().replace(b"DetailB", b"Detail").replace(b"DetailC", b"Detail"))
    assert p.read_bytes().count(b"\nDetail\n") >= 12  # each BLOCK's two names, its text and its INSERT
    for fast in (True, False):
        pat = read_dxf(p, fast=fast, units="mm")  # an R12 header holds no $INSUNITS
        got = sorted((pc.name, round(pc.area), pc.quantity) for pc in pat.pieces)
        assert got == [("Detail", 5000, 1), ("Detail#2", 2400, 1), ("Detail#3", 2700, 1)], (fast, got)
        said = [w.message for w in pat.report.warnings]
        assert ("block 'Detail' is defined 3 times (several pieces of one name: Valentina names every piece "
                "'Detail' until it is renamed): each definition is read as a piece of its own, inserted by "
                "the INSERT of its rank") in said
        assert not [s for s in pat.report.skipped if "second closed loop" in s.message]


@pytest.mark.parametrize("version", ["R12", "R2000"])
@pytest.mark.parametrize("label, other, want", [
    ("Fabric, Cut 2", "Fabric, Cut 2", [("BACK", 5000, 2)]),
    ("Fabric, Cut 4", "Fabric, Cut 4", [("BACK", 5000, 4), ("BACK", 5000, 4)]),
    ("Fabric, Cut 1", "Fabric, Cut 1", [("BACK", 5000, 1), ("BACK", 5000, 1)]),
    ("Fabric, Cut 2", "Lining, Cut 2", [("BACK", 5000, 2), ("BACK", 5000, 2)])])
def test_one_block_name_defined_for_each_laid_copy(tmp_path, version, label, other, want):
    """Valentina's layout export with "Nest quantity" lays a ``Cut 2`` piece twice, each copy a
    definition of the piece's block, turned and placed apart, each with the piece's label: it was
    read as two pieces of two, 16 copies cut for a pattern of 8 (probe 35). The copies of one cut
    line and label are one piece, its label's count standing for them, when each is laid exactly
    as often as it counts; a count of 4 laid twice, copies counted once, and a shell and its
    lining of one outline (probe 37: the lining was not cut) stay pieces of their own."""
    doc = ezdxf.new(version)
    doc.header["$INSUNITS"] = 4
    ring = [(0, 0), (100, 0), (100, 50), (0, 50)]
    turned = [(400 - y, x) for x, y in ring]  # the second copy laid turned 90 degrees, elsewhere
    _piece_blocks(doc, version, {"BACK": (ring, ["BACK", label]), "BACKB": (turned, ["BACK", other])})
    p = tmp_path / "layout.dxf"
    doc.saveas(p)
    p.write_bytes(p.read_bytes().replace(b"BACKB", b"BACK"))
    for fast in (True, False):
        pat = read_dxf(p, fast=fast, units="mm")
        got = sorted((pc.name, round(pc.area), pc.quantity) for pc in pat.pieces)
        assert got == want, (fast, got)
        said = [w.message for w in pat.report.warnings if "is defined 2 times" in w.message]
        assert len(said) == 1 and ("the laid copies of one piece" in said[0]) == (len(want) == 1)


@pytest.mark.parametrize("sep", ["_", "-", " "])
def test_sizes_named_by_the_blocks_when_no_size_text_says_them(tmp_path, sep):
    """Every size of a piece in a block of its own, named FRONT_S ... FRONT_XL, and no Size text:
    each piece takes its block's size and base name, so a job of one size cuts that size (it cut
    all four, named FRONT#2 ...). Blocks PIECE_1 and PIECE_2 holding a front and a cuff are no
    sizes of one piece."""
    from test_import_dxf import aama_doc, add_piece, save

    from kitcut.formats.reading.read import read_pattern

    doc = aama_doc()
    sizes = ("S", "M", "L", "XL")
    for k, size in enumerate(sizes):
        f = 1.0 + 0.04 * k
        add_piece(doc, f"FRONT{sep}{size}", [[(0, 0), (250 * f, 0), (260 * f, 600 * f), (0, 620 * f)]],
                  closed=True, texts=["Piece Name: FRONT", "Quantity: 1"], insert=(700 * k, 0))
        add_piece(doc, f"CUFF{sep}{size}", [[(0, 0), (240 * f, 0), (240 * f, 70), (0, 70)]], closed=True,
                  texts=["Quantity: 2"], insert=(700 * k, 800))
    path = save(doc, tmp_path)
    pat = read_pattern(path)
    assert sorted((p.name, p.size, p.quantity) for p in pat.pieces) == sorted(
        (name, s, q) for s in sizes for name, q in (("FRONT", 1), ("CUFF", 2)))
    assert [w.message for w in pat.report.warnings if "block names end in sizes" in w.message]
    one = read_pattern(path, sizes=["M"])
    assert sorted((p.name, p.size) for p in one.pieces) == [("CUFF", "M"), ("FRONT", "M")]

    doc = aama_doc()
    add_piece(doc, "PIECE_1", [[(0, 0), (250, 0), (260, 600), (0, 620)]], closed=True)
    add_piece(doc, "PIECE_2", [[(0, 0), (240, 0), (240, 70), (0, 70)]], closed=True, insert=(0, 800))
    assert [p.size for p in read_pattern(save(doc, tmp_path, "two.dxf")).pieces] == [None, None]
