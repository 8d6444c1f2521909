"""Grain lines of a plain DXF drawn with arrowheads whose legs are long for their shaft (a
30 mm grain line with 10 mm legs on a cuff): one polyline through both heads, a shaft with its
legs as LINEs, a shaft with a V at each end; on a grain layer or on layer 0, at any angle. The
grain runs along the shaft and the piece is nested along it; two lines that only look a little
like an arrow stay lines (probe 31, finding 4)."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import ezdxf
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_import_dxf import save, turned

from kitcut.formats.reading.arrow_lines import arrow_parts, arrowed
from kitcut.formats.reading.read import read_pattern
from kitcut.kits.marker import build_instance
from kitcut.model import Rules

FORMS = ("polyline", "lines", "legs first", "V heads", "one head")


def _arrow(tail, head, leg: float, half_deg: float, form: str) -> list[list[tuple[float, float]]]:
    """The polylines of a grain line from ``tail`` to ``head`` with an arrowhead at each end,
    legs ``leg`` mm long at ``half_deg`` degrees off the shaft, drawn as ``form``."""
    a, b = np.asarray(tail, float), np.asarray(head, float)
    u = (b - a) / np.linalg.norm(b - a)
    t = math.radians(half_deg)

    def legs(end, back):
        turn = [np.array([[math.cos(s), -math.sin(s)], [math.sin(s), math.cos(s)]]) for s in (t, -t)]
        return [tuple(end + leg * (m @ back)) for m in turn]

    (l1, r1), (l2, r2) = legs(b, -u), legs(a, u)
    a, b = tuple(a), tuple(b)
    if form == "polyline":  # leg, tip, leg, tip, shaft, tip, leg, tip, leg
        return [[l1, b, r1, b, a, l2, a, r2]]
    if form == "V heads":
        return [[a, b], [l1, b, r1], [l2, a, r2]]
    if form == "one head":  # at the head end only, as one polyline with the shaft
        return [[a, b, l1, b, r1]]
    lines = [[a, b], [b, l1], [b, r1], [a, l2], [a, r2]]
    return lines[1:] + lines[:1] if form == "legs first" else lines


def _cuff(tmp_path, form: str, layer: str, *, turn: float = 0.0, shaft=30.0, leg=10.0, half=16.7,
          name="cuff.dxf"):
    """A 240 mm cuff 60 mm high (more for a longer grain line) turned by ``turn`` degrees about
    the origin, its grain line from (60, 30 - shaft/2) up to (60, 30 + shaft/2) drawn with
    arrowheads on ``layer``."""
    h = max(60.0, shaft + 30.0)
    c, s = math.cos(math.radians(turn)), math.sin(math.radians(turn))

    def tr(p):
        return (c * p[0] - s * p[1], s * p[0] + c * p[1])

    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    lo, hi = 30 - h / 2, 30 + h / 2
    msp.add_lwpolyline([tr(p) for p in [(0, lo), (240, lo), (240, hi), (0, hi)]], close=True,
                       dxfattribs={"layer": "CUT" if layer != "0" else "0"})
    msp.add_text("CUFF", dxfattribs={"height": 5, "insert": tr((150, 25))})
    for pts in _arrow((60, 30 - shaft / 2), (60, 30 + shaft / 2), leg, half, form):
        if len(pts) == 2:
            msp.add_line(tr(pts[0]), tr(pts[1]), dxfattribs={"layer": layer})
        else:
            msp.add_lwpolyline([tr(p) for p in pts], dxfattribs={"layer": layer})
    return save(doc, tmp_path, name), [tr((60, 30 - shaft / 2)), tr((60, 30 + shaft / 2))]


def _along(grain_deg: float, drawn: list) -> bool:
    d = np.subtract(drawn[1], drawn[0])
    diff = (grain_deg - math.degrees(math.atan2(d[1], d[0]))) % 180.0
    return min(diff, 180.0 - diff) < 1e-6


@pytest.mark.parametrize("layer", ["GRAIN", "0"])
@pytest.mark.parametrize("form", FORMS)
def test_a_short_grain_line_with_long_arrowhead_legs_runs_along_its_shaft(tmp_path, form, layer):
    """A cuff's 30 mm grain line with 10 mm legs: as one polyline it was read along the chord
    from its first to its last point (-59 degrees, the cuff cut 31 degrees off grain); as LINEs
    on layer 0 no grain was read and its shaft and legs were 3 internal lines; on a grain layer
    the grain was a line from leg tip to leg tip with two legs called extra grain lines. It is
    the shaft now, the legs no lines at all."""
    path, drawn = _cuff(tmp_path, form, layer)
    pat = read_pattern(path)
    (p,) = pat.pieces
    assert p.grain is not None
    assert sorted(map(tuple, np.round(p.grain.points, 6).tolist())) == [(60.0, 15.0), (60.0, 45.0)]
    assert p.internal_lines == ()
    messages = [e.message for e in pat.report.entries]
    assert not [m for m in messages if "grain line; not used" in m]
    # the legs not drawn in one line with the shaft (chaining joins two LINE legs to it)
    legs = {"polyline": 0, "lines": 2, "legs first": 4, "V heads": 4, "one head": 0}[form]
    if legs:
        assert (f"{legs} arrowhead leg(s) drawn as separate lines at the ends of straight lines; not used"
                in messages)
    instance, _ = build_instance(pat, Rules(width=1500))
    assert {r % 180.0 for r, _ in instance.items[0].orientations} == {90.0}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(turn=st.floats(0.0, 360.0), shaft=st.floats(20.0, 200.0), leg=st.floats(3.0, 15.0),
       half=st.floats(12.0, 45.0), form=st.sampled_from(FORMS), layer=st.sampled_from(["GRAIN", "0"]))
def test_an_arrowed_grain_line_at_any_angle_is_read_and_followed(tmp_path, turn, shaft, leg, half, form,
                                                                 layer):
    """Any angle, shafts of 20 to 200 mm, legs of 3 to 15 mm (at most half the shaft), 12 to
    45 degrees off it: the grain is the shaft, no leg is a line, and every orientation the piece
    may be nested in lays the drawn grain along the fabric."""
    leg = min(leg, shaft / 2)
    path, drawn = _cuff(tmp_path, form, layer, turn=turn, shaft=shaft, leg=leg, half=half)
    pat = read_pattern(path)
    (p,) = pat.pieces
    assert p.grain is not None and p.internal_lines == ()
    assert np.allclose(sorted(map(tuple, p.grain.points.tolist())), sorted(drawn), atol=1e-6)
    instance, _ = build_instance(pat, Rules(width=1500))
    for rotation, mirrored in instance.items[0].orientations:
        assert not mirrored and _along(p.grain_angle_deg + rotation, [(0, 0), (1, 0)])


def test_the_cuff_is_cut_along_its_drawn_grain(tmp_path):
    """The marker places the cuff of probe 31 with its drawn (vertical) grain along the fabric:
    at 90 or 270 degrees, not 59."""
    path, _ = _cuff(tmp_path, "polyline", "GRAIN")
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "kitcut", str(path), "--time", "1", "-o", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    marker = json.loads((out / "marker.json").read_text())
    grain = marker["instance"]["pieces"][0]["grain"]
    assert sorted(map(tuple, grain)) == [(60.0, 15.0), (60.0, 45.0)]
    assert [pl["rotation_deg"] % 180.0 for pl in marker["solution"]["placements"]] == [90.0]


@pytest.mark.parametrize(("shape", "lines"), [
    # one 12 mm leg at the end of a 30 mm line (more than LEG_SHARE, and alone): two lines
    ("one long leg", [[(60, 15), (60, 45)], [(60, 45), (56.5, 33.5)]]),
    # two 12 mm legs, not mirror images (10 and 40 degrees off the line)
    ("legs askew", [[(60, 15), (60, 45)], [(60, 45), (57.9, 33.2)], [(60, 45), (67.7, 35.8)]]),
    # two lines meeting at a right angle (a corner mark) and a fork pointing away (a Y)
    ("corner", [[(60, 15), (60, 45)], [(60, 45), (72, 45)]]),
    ("fork", [[(60, 15), (60, 45)], [(60, 45), (56, 55)], [(60, 45), (64, 55)]]),
    # a V of two equal 12 mm lines (a dart point, a notch drawn inside)
    ("V", [[(60, 30), (63, 42)], [(60, 30), (57, 42)]]),
])
def test_lines_that_only_look_like_an_arrow_stay_lines(tmp_path, shape, lines):
    """None of them is taken for an arrow: every millimetre drawn stays a line of the piece."""
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (240, 0), (240, 60), (0, 60)], close=True)
    for a, b in lines:
        msp.add_line(a, b)
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    kept = [q.points for q in p.internal_lines] + ([p.grain.points] if p.grain is not None else [])
    length = sum(float(np.linalg.norm(np.diff(q, axis=0), axis=1).sum()) for q in kept)
    assert length == pytest.approx(sum(math.dist(a, b) for a, b in lines))
    assert not [e for e in pat.report.entries if "arrowhead" in e.message]


def test_arrow_parts_of_one_piece():
    """The shaft of a polyline with its heads, the legs hanging from a shaft's ends; a leg longer
    than half the shaft is none."""
    shaft = np.array([(0.0, 0.0), (30.0, 0.0)])
    legs = [np.array([(30.0, 0.0), (20.4, 2.9)]), np.array([(30.0, 0.0), (20.4, -2.9)])]
    got, heads = arrow_parts([shaft, *legs], 0.5)
    assert heads == {1, 2} and list(got) == [0] and np.array_equal(got[0], shaft)
    z = np.array([(20.4, 2.9), (30.0, 0.0), (0.0, 0.0), (9.6, 2.9)])
    got, heads = arrow_parts([z, legs[1], np.array([(0.0, 0.0), (9.6, -2.9)])], 0.5)
    assert heads == {1, 2} and np.allclose(sorted(got[0].tolist()), [(0.0, 0.0), (30.0, 0.0)])
    long = [np.array([(30.0, 0.0), (14.0, 4.3)]), np.array([(30.0, 0.0), (14.0, -4.3)])]
    assert arrow_parts([shaft, *long], 0.5) == ({}, set())
    assert arrowed(np.array([(20.4, 2.9), (30.0, 0.0), (20.4, -2.9), (30.0, 0.0), (0.0, 0.0)])) is not None
    assert arrowed(np.array([(20.4, 2.9), (30.0, 0.0), (0.0, 0.0)])) is None  # one 10 mm leg alone


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("others", [1, 3])
def test_the_arrowed_line_among_other_lines_is_the_grain(tmp_path, form, others):
    """A one-layer front: its grain line drawn with arrowheads, and a buttonhole line, a pocket
    placement line... on the same layer 0. Only "the only free straight line" was taken for the
    grain: with any other line the grain was lost, the front nested across it (probe 33). The
    one line drawn with arrowheads is the grain, reported; two arrowed lines leave it open."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 600), (0, 600)], close=True)
    msp.add_text("FRONT", dxfattribs={"height": 8, "insert": (180, 300)})
    for poly in _arrow((100, 120), (100, 460), 12.0, 20.0, form):
        msp.add_lwpolyline(poly)
    for k in range(others):  # buttonholes along the centre front
        msp.add_line((250, 100 + 120 * k), (250, 120 + 120 * k))
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert np.allclose(sorted(p.grain.points.tolist()), [(100, 120), (100, 460)])
    assert len(p.internal_lines) == others
    said = [w.message for w in pat.report.warnings if "arrowheads among" in w.message]
    assert said == ["1 piece(s) without a grain layer: the one straight line drawn with arrowheads among the "
                    "lines inside each was taken for its grain line"]
    # a second arrowed line: which is the grain? none is guessed
    for poly in _arrow((200, 120), (200, 460), 12.0, 20.0, form):
        msp.add_lwpolyline(poly)
    (p,) = read_pattern(save(doc, tmp_path, "two.dxf")).pieces
    assert p.grain is None


def test_a_short_pleat_arrow_beside_a_plain_grain_line_is_no_grain(tmp_path):
    """A one-headed pleat arrow (40 mm) beside a long plain grain line: the arrow was taken for
    the grain, the panel nested 90 degrees off (probe 34). An arrow is the grain among other
    lines only when it is the longest of them."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (500, 0), (500, 600), (0, 600)], close=True)
    msp.add_text("SKIRT", dxfattribs={"height": 8, "insert": (300, 300)})
    msp.add_line((100, 100), (100, 500))  # the grain line, plain
    for poly in _arrow((200, 150), (240, 150), 8.0, 20.0, "one head"):  # a pleat's fold direction
        msp.add_lwpolyline(poly)
    msp.add_line((200, 400), (260, 400))  # a placement line
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    assert p.grain is None or np.allclose(sorted(p.grain.points.tolist()), [(100, 100), (100, 500)])
    assert p.grain is None or abs(p.grain.angle_deg) % 180 == pytest.approx(90.0)


def _valentina_piece(tmp_path, sew: bool, top: float, turn: float = 0.0):
    """A 300 x 600 mm panel on layer 0 as Valentina's flat export draws it: the cut line, with
    ``sew`` the sew line 10 mm inside it, and the grain line as one open polyline (head, shaft,
    head: 3.4 mm wide, 4.7 mm long heads) from y = 290 up to a tip at y = ``top``; all turned
    by ``turn`` degrees about the origin."""
    tr, _ = turned((turn, False, (0.0, 0.0)))
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(tr([(0, 0), (300, 0), (300, 600), (0, 600)]), close=True)
    if sew:
        msp.add_lwpolyline(tr([(10, 10), (290, 10), (290, 590), (10, 590)]), close=True)
    x, lo = 150.0, 290.0
    msp.add_polyline2d(tr([(x, lo), (x - 1.7, lo + 4.7), (x + 1.7, lo + 4.7), (x, lo), (x, top),
                           (x + 1.7, top - 4.7), (x - 1.7, top - 4.7), (x, top)]))
    return read_pattern(save(doc, tmp_path))


@pytest.mark.parametrize("sew", [True, False])
@pytest.mark.parametrize("top", [612.0, 603.0, 600.0])  # the head past, across, its tip on the cut line
@pytest.mark.parametrize("turn", [0.0, 35.0])
def test_a_grain_arrow_running_out_of_the_piece_is_no_piece(tmp_path, sew, top, turn):
    """Valentina's flat export draws a grain line as one open polyline, head, shaft, head; on
    the back panels of a bodice it runs out through the neckline. The head outside the piece was
    read as "open line(s) leaving an outline and coming back to it outside: its seam allowance",
    a 3.4 x 4.7 mm piece nested beside the panel, and the shaft as a line across the cut line,
    not used: the panel had no grain (probe 35). The arrow is a line of the panel, its part on
    the panel the grain, and nothing else comes of it."""
    pat = _valentina_piece(tmp_path, sew, top, turn)
    (p,) = pat.pieces
    assert p.area == pytest.approx(180_000)
    assert (len(p.sew_lines), len(p.cutouts)) == (int(sew), 0)
    c, s = math.cos(math.radians(turn)), math.sin(math.radians(turn))
    back = p.grain.points @ np.array([[c, -s], [s, c]])  # turned back by -turn
    assert sorted(map(tuple, np.round(back, 6).tolist())) == [(150.0, 290.0), (150.0, 600.0)]
    assert not [w for w in pat.report.warnings if "seam allowance" in w.message]
    assert not [s for s in pat.report.skipped if "not a notch" in s.message]


@pytest.mark.parametrize("top", [590.0, 600.0])
def test_a_grain_arrow_inside_the_piece_touching_the_sew_line_is_its_grain(tmp_path, top):
    """The same arrow with its tip on the sew line, inside the cut line, or on the cut line: the
    piece's grain (a line ending on either was an internal line, the piece without grain)."""
    pat = _valentina_piece(tmp_path, True, top)
    (p,) = pat.pieces
    assert (p.area, len(p.sew_lines), p.internal_lines) == (pytest.approx(180_000), 1, ())
    assert sorted(map(tuple, np.round(p.grain.points, 6).tolist())) == [(150.0, 290.0), (150.0, top)]


def test_a_mark_of_a_few_millimetres_outside_a_cut_line_is_no_allowance(tmp_path):
    """A long line from inside a small piece out through its cut line, ending in a 3 x 4 mm
    box outside it (no arrow): the box's own line, 11 mm, is a mark's, not a seam allowance;
    the piece keeps its cut line. Before, the box was added to the cut line as its allowance."""
    doc = ezdxf.new("R2000")
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (40, 0), (40, 40), (0, 40)], close=True)
    msp.add_lwpolyline([(20, 5), (20, 40), (20, 44), (23, 44), (23, 40)])
    pat = read_pattern(save(doc, tmp_path), units="mm")
    (p,) = pat.pieces
    assert (p.area, p.width, p.height) == pytest.approx((1600, 40, 40))
    assert not [w for w in pat.report.warnings if "seam allowance" in w.message]
