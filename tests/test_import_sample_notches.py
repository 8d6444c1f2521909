"""Notches drawn in the sample size only (AccuMark's way) are carried to every other size of a
graded nest, point for point; a size drawn with other points keeps none, and says so."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import LinearRing, Point
from test_import_dxf import aama_doc, add_piece, save

from kitcut.formats.reading.read import read_pattern

DXF = Path(__file__).resolve().parents[2] / "shared" / "data" / "dxf"

# the cut line as AccuMark draws it: open lines from corner to corner
SAMPLE = [[(0, 0), (200, 0)], [(200, 0), (220, 150), (200, 300)], [(200, 300), (0, 300), (0, 0)]]


def _graded(dx: float, dy: float):
    """SAMPLE with every point moved by a grade: the right side out by dx, the top up by dy."""
    return [[(x + dx * (x > 100), y + dy * (y > 100)) for x, y in line] for line in SAMPLE]


def _notches(blk):
    blk.add_point((220, 150), dxfattribs={"layer": "4"})  # at a point of the curve
    blk.add_point((100, 0), dxfattribs={"layer": "4"})  # half way along the bottom
    blk.add_point((0, 150), dxfattribs={"layer": "4"})  # half way along the left side


def _pattern(tmp_path, m_lines):
    doc = aama_doc()
    add_piece(doc, "FRONT_S", SAMPLE, texts=["Piece Name: FRONT", "Size: S", "Quantity: 1"], extra=_notches)
    add_piece(doc, "FRONT_M", m_lines, texts=["Piece Name: FRONT", "Size: M"], insert=(400, 0))
    return read_pattern(save(doc, tmp_path))


def test_notches_of_the_sample_size_reach_the_graded_size_at_its_points(tmp_path):
    pat = _pattern(tmp_path, _graded(10.0, 20.0))
    m = next(p for p in pat.pieces if p.size == "M")
    # the curve's point moves by the grade of its point, the half-way notches stay half way along
    # their segment of the graded line: (230, 170), (105, 0) on the bottom (200 -> 210 long), and
    # (0, 160) on the left side (300 -> 320 high); all in the INSERT's frame (x + 400)
    got = sorted((round(n.x - 400, 6), round(n.y, 6)) for n in m.notches)
    assert got == [(0.0, 160.0), (105.0, 0.0), (230.0, 170.0)]
    ring = LinearRing(m.outline)
    assert all(ring.distance(Point(n.x, n.y)) < 1e-9 for n in m.notches)
    # each cuts into the piece, across the line there
    for n in m.notches:
        inward = np.array([math.cos(math.radians(n.angle_deg)), math.sin(math.radians(n.angle_deg))])
        assert ring.convex_hull.contains(Point(np.array([n.x, n.y]) + 2.0 * inward))
    repairs = [e.message for e in pat.report.repairs if "notches drawn in size S only" in e.message]
    assert len(repairs) == 1 and "3 carried" in repairs[0] and "size(s) M" in repairs[0]
    s = next(p for p in pat.pieces if p.size == "S")
    assert len(s.notches) == 3


def test_a_size_drawn_with_other_points_keeps_no_notch_and_the_report_says_so(tmp_path):
    lines = _graded(10.0, 20.0)
    lines[1].insert(1, (215.0, 75.0))  # one more point on the curve: not the sample's, graded
    pat = _pattern(tmp_path, lines)
    m = next(p for p in pat.pieces if p.size == "M")
    assert m.notches == ()
    warned = [e for e in pat.report.warnings if e.message.startswith("no notches:")]
    assert len(warned) == 1
    assert "cut line of size M does not match size S's point for point" in warned[0].message
    assert warned[0].piece == "FRONT (M)" and warned[0].headline  # a line of its own on the job's stderr


@pytest.mark.parametrize("damage", ["doubled vertex", "every vertex doubled", "zero-length line",
                                    "drawn twice", "sample's vertex doubled", "split into LINEs",
                                    "points on its sides", "hairline twist", "sample's side resampled",
                                    "spike"])
def test_a_size_with_a_damaged_line_the_reader_repairs_keeps_its_notches(tmp_path, damage):
    """Damage that the reader repairs or passes over in one size's cut line (a vertex drawn
    twice, a line of no length, the cut line drawn twice, split into LINEs, points more on its
    straight sides, a hairline twist, a spike), or in the sample's, cost that size every notch: its line
    no longer matched the sample's point for point (probe 36: the tank's front, 3 notches to
    none). The notches land where they do on the undamaged line."""
    clean = _pattern(tmp_path, _graded(10.0, 20.0))
    m = next(p for p in clean.pieces if p.size == "M")
    want = sorted((round(n.x, 6), round(n.y, 6)) for n in m.notches)
    assert len(want) == 3
    lines = _graded(10.0, 20.0)
    if damage == "doubled vertex":
        lines[1].insert(1, lines[1][1])
    elif damage == "every vertex doubled":
        lines = [[p for p in line for _ in (0, 1)] for line in lines]
    elif damage == "zero-length line":
        lines.append([(0.0, 0.0), (0.0, 0.0)])
    elif damage == "drawn twice":
        lines.append(list(lines[1]))
    elif damage == "points on its sides":  # a converter resampling straight sides
        lines = [[q for a, b in zip(line, line[1:], strict=False)
                  for q in (a, *((a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f) for f in (0.3, 0.6)))]
                 + [line[-1]] for line in lines]
    elif damage == "hairline twist":  # 0.2 mm out and back on the bottom, as a CAD's slip leaves
        lines[0] = [lines[0][0], (60.0, 0.0), (60.2, 0.15), (60.1, -0.1), (60.3, 0.0), lines[0][1]]
    elif damage == "spike":  # out and back 12 mm along one line, from a point of the bottom
        lines[0] = [lines[0][0], (60.0, 0.0), (60.0, -12.0), (60.0, 0.0), lines[0][1]]
    elif damage == "split into LINEs":  # a re-save: one LINE per segment, listed in any order, some reversed
        segs = [[a, b] for line in lines for a, b in zip(line, line[1:], strict=False)]
        lines = [seg[::-1] if k % 2 else seg for k, seg in enumerate(segs[3:] + segs[:3])]
    if damage.startswith("sample's"):
        doc = aama_doc()
        sample = [list(line) for line in SAMPLE]
        if damage == "sample's vertex doubled":
            sample[2].insert(1, sample[2][1])
        else:
            sample[2].insert(1, (120.0, 300.0))  # a point more on the top side
        add_piece(doc, "FRONT_S", sample, texts=["Piece Name: FRONT", "Size: S", "Quantity: 1"],
                  extra=_notches)
        add_piece(doc, "FRONT_M", lines, texts=["Piece Name: FRONT", "Size: M"], insert=(400, 0))
        pat = read_pattern(save(doc, tmp_path, "damaged.dxf"))
    else:
        (tmp_path / "clean").mkdir()
        pat = _pattern(tmp_path / "clean", lines)
    m = next(p for p in pat.pieces if p.size == "M")
    assert sorted((round(n.x, 6), round(n.y, 6)) for n in m.notches) == want
    assert not [e for e in pat.report.warnings if e.message.startswith("no notches")]


@pytest.mark.parametrize("rotation, xscale", [(90.0, 1.0), (180.0, 1.0), (0.0, -1.0), (37.0, -1.0)])
def test_a_size_whose_block_is_inserted_turned_keeps_its_notches(tmp_path, rotation, xscale):
    """One size's block inserted turned or mirrored (moved in a CAD after the export): its cut
    line no longer lay on the sample's, and the size was cut without notches (probe 36). The
    lines are compared in the sample block's turn; the notches land where the clean size has
    them, turned with the block."""
    clean = _pattern(tmp_path, _graded(10.0, 20.0))
    want = [(n.x - 400.0, n.y) for n in next(p for p in clean.pieces if p.size == "M").notches]
    a = math.radians(rotation)
    turned = sorted((round(400.0 + xscale * x * math.cos(a) - y * math.sin(a), 6),
                     round(xscale * x * math.sin(a) + y * math.cos(a), 6)) for x, y in want)
    doc = aama_doc()
    add_piece(doc, "FRONT_S", SAMPLE, texts=["Piece Name: FRONT", "Size: S", "Quantity: 1"], extra=_notches)
    add_piece(doc, "FRONT_M", _graded(10.0, 20.0), texts=["Piece Name: FRONT", "Size: M"], insert=(400, 0),
              rotation=rotation, xscale=xscale)
    (tmp_path / "turned").mkdir()
    pat = read_pattern(save(doc, tmp_path / "turned"))
    m = next(p for p in pat.pieces if p.size == "M")
    got = sorted((round(n.x, 6), round(n.y, 6)) for n in m.notches)
    assert np.allclose(got, turned, atol=1e-5), (got, turned)


def test_a_size_with_notches_of_its_own_keeps_them(tmp_path):
    doc = aama_doc()
    add_piece(doc, "FRONT_S", SAMPLE, texts=["Piece Name: FRONT", "Size: S"], extra=_notches)
    add_piece(doc, "FRONT_M", _graded(10.0, 20.0), texts=["Piece Name: FRONT", "Size: M"], insert=(400, 0),
              extra=lambda b: b.add_point((0, 100), dxfattribs={"layer": "4"}))
    pat = read_pattern(save(doc, tmp_path))
    m = next(p for p in pat.pieces if p.size == "M")
    assert [(round(n.x - 400, 6), round(n.y, 6)) for n in m.notches] == [(0.0, 100.0)]
    assert not [e for e in pat.report.entries if "notches drawn in size" in e.message]


@pytest.mark.skipif(not DXF.is_dir(), reason="the real exports of ../shared/data/dxf are not here")
@pytest.mark.parametrize("name", ["MEN_CLASSIC_TEE.DXF", "GLX4802S19_ASTM.DXF"])
def test_every_size_of_a_real_accumark_export_has_the_sample_sizes_notches(name):
    """AccuMark draws the notches of these exports in the sample size only (ASTM: its denser
    layer-84 cut line is not graded point for point; its layer-1 line is)."""
    pat = read_pattern(DXF / name)
    counts: dict[str, dict[str, int]] = {}
    for p in pat.pieces:
        counts.setdefault(p.name, {})[p.size] = len(p.notches)
        ring = LinearRing(p.outline)
        assert all(ring.distance(Point(n.x, n.y)) < 0.01 for n in p.notches), (p.name, p.size)
    with_notches = {name: c for name, c in counts.items() if any(c.values())}
    assert with_notches
    for c in with_notches.values():
        assert len(set(c.values())) == 1, c  # as many in every size
    assert not [e for e in pat.report.warnings if "no notches in size" in e.message]


def test_lines_listed_in_another_order_backwards_or_starting_elsewhere_are_still_the_grade(tmp_path):
    """A CAD lists a block's lines in any order and may draw one backwards; a closed cut line
    may start at any of its points. The grade is the same."""
    lines = _graded(10.0, 20.0)
    shuffled = [lines[2][::-1], lines[0], lines[1][::-1]]
    assert sorted((round(n.x - 400, 6), round(n.y, 6))
                  for n in next(p for p in _pattern(tmp_path, shuffled).pieces if p.size == "M").notches) \
        == [(0.0, 160.0), (105.0, 0.0), (230.0, 170.0)]

    ring = [(0, 0), (200, 0), (220, 150), (200, 300), (0, 300)]
    graded = [(x + 10.0 * (x > 100), y + 20.0 * (y > 100)) for x, y in ring]
    doc = aama_doc()
    add_piece(doc, "BACK_S", [ring], closed=True, texts=["Piece Name: BACK", "Size: S"], extra=_notches)
    add_piece(doc, "BACK_M", [(graded[2:] + graded[:2])[::-1]], closed=True,
              texts=["Piece Name: BACK", "Size: M"], insert=(400, 0))
    m = next(p for p in read_pattern(save(doc, tmp_path, "closed.dxf")).pieces if p.size == "M")
    assert sorted((round(n.x - 400, 6), round(n.y, 6)) for n in m.notches) \
        == [(0.0, 160.0), (105.0, 0.0), (230.0, 170.0)]


def test_sizes_without_notches_beside_two_sizes_with_their_own_are_named(tmp_path):
    """Notches in two sizes (each its own) and none in a third: which size's the third should
    have is not clear, so it keeps none, and the report names it."""
    doc = aama_doc()
    add_piece(doc, "FRONT_S", SAMPLE, texts=["Piece Name: FRONT", "Size: S"], extra=_notches)
    add_piece(doc, "FRONT_M", _graded(10.0, 20.0), texts=["Piece Name: FRONT", "Size: M"], insert=(400, 0),
              extra=lambda b: b.add_point((0, 100), dxfattribs={"layer": "4"}))
    add_piece(doc, "FRONT_L", _graded(20.0, 40.0), texts=["Piece Name: FRONT", "Size: L"], insert=(800, 0))
    pat = read_pattern(save(doc, tmp_path))
    assert next(p for p in pat.pieces if p.size == "L").notches == ()
    (warned,) = [e.message for e in pat.report.warnings if "no notches in size(s) L" in e.message]
    assert "size(s) S, M have some" in warned


@pytest.mark.parametrize("split", ["segments", "thirds", "thirds reversed"])
def test_notches_follow_a_cut_line_drawn_in_many_short_lines(tmp_path, split):
    """AccuMark writes a cut line as polylines laid head to tail, and a re-save as one LINE per
    segment. Graded sizes were paired with the sample line by line by nearness alone, and short
    lines with their neighbours: notches were carried 20 to 135 mm off their place, and the
    report said "point for point". Lines are now taken in turn around the cut line: a size 1.3
    times the sample's (every point moved by its grade) has each notch where the grade puts it."""
    angles = np.radians(np.arange(40) * 9.0)
    ring = [(round(150 * math.cos(a), 6), round(100 * math.sin(a), 6)) for a in angles]

    def lines(scale: float) -> list:
        pts = [(x * scale, y * scale) for x, y in ring] + [(ring[0][0] * scale, ring[0][1] * scale)]
        if split == "segments":
            return [pts[k:k + 2] for k in range(40)]
        parts = [pts[0:14], pts[13:27], pts[26:41]]
        return [parts[1][::-1], parts[0], parts[2][::-1]] if split == "thirds reversed" else parts

    def notches(blk):
        for k in (0, 7, 13, 26, 33):
            blk.add_point((*ring[k], 0.0), dxfattribs={"layer": "4"})
        mid = ((ring[20][0] + ring[21][0]) / 2, (ring[20][1] + ring[21][1]) / 2)
        blk.add_point((*mid, 0.0), dxfattribs={"layer": "4"})

    doc = aama_doc()
    add_piece(doc, "OVAL_S", lines(1.0), texts=["Piece Name: OVAL", "Size: S"], extra=notches)
    add_piece(doc, "OVAL_XL", lines(1.3), texts=["Piece Name: OVAL", "Size: XL"])
    pat = read_pattern(save(doc, tmp_path))
    s, xl = (next(p for p in pat.pieces if p.size == z) for z in ("S", "XL"))
    assert len(s.notches) == len(xl.notches) == 6
    want = sorted((round(1.3 * n.x, 3), round(1.3 * n.y, 3)) for n in s.notches)
    assert sorted((round(n.x, 3), round(n.y, 3)) for n in xl.notches) == want
    assert any("6 carried to the same places on the cut line of size(s) XL" in e.message
               for e in pat.report.repairs)


@pytest.mark.parametrize("order", [(0, 1, 2), (1, 0, 2), (2, 1, 0)])
def test_a_corner_notch_turns_with_the_side_it_is_square_to_whatever_order_the_lines_come_in(tmp_path, order):
    """A notch at the corner (200, 0) cutting square to the bottom (90 degrees): in size M the
    bottom stays level and the side above the corner turns by 4.2 degrees. The notch stays square
    to the bottom whichever line the file lists first (it followed the first line listed: 94.2
    degrees when the side came first, probe 41 F4)."""
    def notch(blk):
        blk.add_point((200, 0), dxfattribs={"layer": "4", "angle": 90.0})

    m_lines = [[(0, 0), (210, 0)], [(210, 0), (220, 170), (200, 320)], [(200, 320), (0, 320), (0, 0)]]
    doc = aama_doc()
    add_piece(doc, "FRONT_S", [SAMPLE[k] for k in order],
              texts=["Piece Name: FRONT", "Size: S", "Quantity: 1"], extra=notch)
    add_piece(doc, "FRONT_M", [m_lines[k] for k in order], texts=["Piece Name: FRONT", "Size: M"],
              insert=(400, 0))
    m = next(p for p in read_pattern(save(doc, tmp_path)).pieces if p.size == "M")
    got = [(round(n.x - 400, 6), round(n.y, 6), round(n.angle_deg, 6)) for n in m.notches]
    assert got == [(210.0, 0.0, 90.0)]
