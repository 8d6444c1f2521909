"""NM ("not mirrored") marks drawn in the sample size only (AccuMark's way) reach every other
size of a graded nest: a one-sided line (a pocket) stays on one half when the piece unfolds about
its mirror line, in every size, not only the sample one."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_file
from test_import_dxf import aama_doc, add_piece, save

from kitcut.formats.reading.read import read_pattern

# the half of a front, its mirror line (the centre front) on the left edge at x = 0
HALF = [[(0, 0), (200, 0)], [(200, 0), (220, 150), (200, 300)], [(200, 300), (0, 300), (0, 0)]]
POCKET = [(120, 200), (160, 200)]  # on the left half only: marked NM
DART = [(50, 50), (150, 50)]  # on both halves


def _graded(points, dx=10.0, dy=20.0):
    """``points`` moved by a grade: the right side out by dx, the top up by dy."""
    return [(x + dx * (x > 100), y + dy * (y > 100)) for x, y in points]


def _marks(lines, fold_top, nm=True, more=()):
    def draw(blk):
        for line in (*lines, *more):
            blk.add_polyline2d([tuple(map(float, p)) for p in line], dxfattribs={"layer": "8"})
        blk.add_line((0, 0), (0, fold_top), dxfattribs={"layer": "6"})
        if nm:
            blk.add_text("NM", dxfattribs={"layer": "8", "insert": lines[0][0]})
    return draw


def _pattern(tmp_path, more=()):
    doc = aama_doc()
    add_piece(doc, "FRONT_S", HALF, texts=["Piece Name: FRONT", "Size: S", "Quantity: 1"],
              extra=_marks([POCKET, DART], 300))
    add_piece(doc, "FRONT_M", [_graded(s) for s in HALF], texts=["Piece Name: FRONT", "Size: M"],
              insert=(600, 0), extra=_marks([_graded(POCKET), _graded(DART)], 320, nm=False, more=more))
    return read_pattern(save(doc, tmp_path))


def _lines(piece, dx=0.0):
    return sorted(tuple((round(x - dx, 6), round(y, 6)) for x, y in sorted(map(tuple, ln.points)))
                  for ln in piece.internal_lines)


def test_the_sample_size_s_nm_lines_stay_on_one_half_in_every_size(tmp_path):
    pat = _pattern(tmp_path)
    s, m = (next(p for p in pat.pieces if p.size == k) for k in ("S", "M"))
    assert s.unfolded and m.unfolded
    # the pocket once, the dart on both halves: in the sample size as drawn...
    assert _lines(s) == [((-150.0, 50.0), (-50.0, 50.0)), ((50.0, 50.0), (150.0, 50.0)),
                         ((120.0, 200.0), (160.0, 200.0))]
    # ...and in the graded size, which has no NM mark of its own (its INSERT at x = 600)
    assert _lines(m, 600.0) == [((-160.0, 50.0), (-50.0, 50.0)), ((50.0, 50.0), (160.0, 50.0)),
                                ((130.0, 220.0), (170.0, 220.0))]
    said = [e.message for e in pat.report.repairs if "NM marks" in e.message]
    assert len(said) == 1 and "drawn in size S only" in said[0] and "size(s) M" in said[0]


def test_a_size_whose_lines_differ_mirrors_every_line_and_says_so(tmp_path):
    pat = _pattern(tmp_path, more=[[(60, 100), (90, 120)]])  # one more line than the sample's
    m = next(p for p in pat.pieces if p.size == "M")
    assert len(m.internal_lines) == 6  # three lines, each on both halves
    said = [e.message for e in pat.report.warnings if "NM marks" in e.message]
    assert len(said) == 1 and "size(s) M do not match size S's line for line" in said[0]


@pytest.mark.parametrize(("name", "piece", "sample"), [
    ("WM_LOOSE_SHAPE_TANK.DXF", "RELAXED TANK FR V2", "36"), ("WM_SLIM_TANK.DXF", "TANK_SR_FR", "36"),
    ("MEN_CLASSIC_TEE.DXF", "REGULAR TEEFR", "50")])
def test_every_size_of_a_real_front_keeps_its_nm_lines_on_one_half(monkeypatch, name, piece, sample):
    """Read with and without the NM marks carried: every size but the sample one now has fewer
    internal lines (the mirrored copies of its NM lines are gone), the sample size as many. The
    loose tank's front draws the same lines in every size: 6 in each (10 before in all but 36)."""
    import kitcut.formats.reading.dxf_read as dxf_read

    path = shared_file("dxf", name)

    def counts():
        pat = read_pattern(path, repair=True)
        assert all(p.unfolded for p in pat.pieces if p.name == piece)
        return {p.size: len(p.internal_lines) for p in pat.pieces if p.name == piece}

    now = counts()
    monkeypatch.setattr(dxf_read, "carry_sample_nm", lambda raws, report: None)
    before = counts()
    assert len(now) >= 13 and now.keys() == before.keys()
    assert now[sample] == before[sample]
    assert all(now[k] < before[k] for k in now if k != sample), (now, before)
    if name == "WM_LOOSE_SHAPE_TANK.DXF":
        assert set(now.values()) == {6}


def test_a_size_listing_its_lines_in_another_order_keeps_the_marked_line_one_sided(tmp_path):
    """The graded size lists the dart before the pocket (a program that sorted the entities): two
    lines of two points each, so their places could swap unseen. The pocket found by its shape
    stays on one half; by place the dart would have stayed one-sided and the pocket doubled."""
    doc = aama_doc()
    add_piece(doc, "FRONT_S", HALF, texts=["Piece Name: FRONT", "Size: S", "Quantity: 1"],
              extra=_marks([POCKET, DART], 300))
    add_piece(doc, "FRONT_M", [_graded(s) for s in HALF], texts=["Piece Name: FRONT", "Size: M"],
              insert=(600, 0), extra=_marks([_graded(DART), _graded(POCKET)], 320, nm=False))
    pat = read_pattern(save(doc, tmp_path))
    m = next(p for p in pat.pieces if p.size == "M")
    assert _lines(m, 600.0) == [((-160.0, 50.0), (-50.0, 50.0)), ((50.0, 50.0), (160.0, 50.0)),
                                ((130.0, 220.0), (170.0, 220.0))]
    said = [e.message for e in pat.report.repairs if "NM marks" in e.message]
    assert len(said) == 1 and "size(s) M (the same lines by shape, listed in another order)" in said[0]


def test_lines_side_by_side_that_shape_cannot_tell_apart_are_paired_by_place(tmp_path):
    """Two lines 1 mm apart, the marked one first: graded 10 mm to the right, each lies nearer
    the other's twin, so shape cannot say which is marked; the lists match line for line and
    their places do, as AccuMark writes them."""
    a, b = [(120, 200), (160, 200)], [(120, 201), (160, 201)]
    doc = aama_doc()
    add_piece(doc, "FRONT_S", HALF, texts=["Piece Name: FRONT", "Size: S", "Quantity: 1"],
              extra=_marks([a, b], 300))
    moved = [[(x + 10 - 2 * (k == 0) * (x > 130), y + (1 - 2 * k)) for x, y in ln]
             for k, ln in enumerate((a, b))]
    add_piece(doc, "FRONT_M", [_graded(s) for s in HALF], texts=["Piece Name: FRONT", "Size: M"],
              insert=(600, 0), extra=_marks(moved, 320, nm=False))
    pat = read_pattern(save(doc, tmp_path))
    m = next(p for p in pat.pieces if p.size == "M")
    assert sorted(tuple(map(tuple, ln.points.round(6) - (600, 0))) for ln in m.internal_lines) == sorted(
        [tuple(map(tuple, np.array(ln, float))) for ln in moved]
        + [tuple(map(tuple, np.array([(-x, y) for x, y in moved[1]][::-1], float)))])


@pytest.mark.parametrize("name", ["WM_LOOSE_SHAPE_TANK.DXF", "WM_SLIM_TANK.DXF", "MEN_CLASSIC_TEE.DXF",
                                  "drill-holes.DXF"])
def test_a_real_export_whose_graded_sizes_list_their_lines_reversed_reads_the_same(tmp_path, name):
    """Every block without NM marks of a real AccuMark export lists its internal lines (layer 8)
    in reverse order: every size of every piece gets the same internal lines as read from the
    file itself (before, those sizes had every line mirrored, the tank's front 7 lines to 12)."""
    import ezdxf

    path = shared_file("dxf", name)
    doc = ezdxf.readfile(path)
    for blk in doc.blocks:
        if blk.name.startswith("*"):
            continue
        es = list(blk)
        if any(e.dxftype() == "TEXT" and e.dxf.text.strip().upper() == "NM" for e in es):
            continue
        lines = [e for e in es if e.dxf.layer == "8" and e.dxftype() in ("POLYLINE", "LWPOLYLINE", "LINE")]
        for e in lines:
            blk.unlink_entity(e)
        for e in reversed(lines):
            blk.add_entity(e)
    doc.saveas(tmp_path / name)

    def lines_of(p):
        return {(q.name, q.size): sorted(tuple(map(tuple, ln.points.round(3))) for ln in q.internal_lines)
                for q in read_pattern(p, repair=True).pieces}

    before, after = lines_of(path), lines_of(tmp_path / name)
    assert after == before
    assert sum(len(v) for v in before.values()) > 0
