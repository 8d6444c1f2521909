"""Where and how a piece is drawn must not matter: property tests on the everyday job.

One garment of the bundled tee (and, where present, of real AccuMark exports) is redrawn —
every piece moved by its own vector up to ±10^5 mm, turned by quarter turns with its grain,
mirrored, centred on the origin, drawn as a half with its fold on x = 0 on either side — and
nested with a fixed seed and iteration budget. Every marker is checked by the independent
checker of ``tests/checker.py`` (shapely: inside the fabric, spacing, every copy once, grain
along the roll); a pure translation must give the same length.

The failure these guard against: the core placed fold pieces and pieces drawn about x = 0
left of the marker when the strip was cut shorter than a piece (one-garment markers are as
short as their longest piece).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from checker import check_marker
from conftest import SAMPLES, shared_file
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kitcut.formats.marker_json import marker_to_dict
from kitcut.formats.reading.read import read_pattern
from kitcut.formats.writing.aama_write import aama_bytes, aama_document
from kitcut.kits.marker import nest_pattern
from kitcut.kits.quantities import load_pattern
from kitcut.model import Line, Pattern, Rules
from kitcut.model.affine import affine_piece, move_piece

RULES = Rules(width=1500.0, spacing=2.0)
PROPS = settings(max_examples=12, deadline=None, derandomize=True, database=None,
                 suppress_health_check=list(HealthCheck))
OFFSET = st.floats(-1e5, 1e5, allow_nan=False, allow_infinity=False)


def one_tee(size: str = "M") -> Pattern:
    return read_pattern(SAMPLES / "tee.dxf", sizes=[size])


TEE = one_tee()


def nest(pattern: Pattern, *, iterations: int = 12, rules: Rules = RULES, seed: int = 1):
    marker = nest_pattern(pattern, rules, time_limit=120.0, seed=seed, workers=1, max_iterations=iterations)
    problems = check_marker(marker_to_dict(marker), nap=rules.nap)
    assert problems == [], problems
    assert len(marker.placements) == pattern.copies
    return marker


BASE_LENGTH = None


def base_length() -> float:
    global BASE_LENGTH
    if BASE_LENGTH is None:
        BASE_LENGTH = nest(TEE).length
    return BASE_LENGTH


def moved(pattern: Pattern, offsets) -> Pattern:
    pieces = tuple(move_piece(p, translation=t) for p, t in zip(pattern.pieces, offsets, strict=False))
    return dataclasses.replace(pattern, pieces=pieces + pattern.pieces[len(pieces):])


@PROPS
@given(offsets=st.lists(st.tuples(OFFSET, OFFSET), min_size=len(TEE.pieces), max_size=len(TEE.pieces)))
@example(offsets=[(1e5, -1e5)] * len(TEE.pieces))
@example(offsets=[(-1e5, 1e5), (0.0, 0.0), (-12345.678, 0.001), (1e-9, -1e-9)])
def test_a_translated_drawing_gives_the_same_marker_length(offsets):
    marker = nest(moved(TEE, offsets))
    assert marker.length == pytest.approx(base_length(), abs=1e-6)


def test_pieces_centred_on_the_origin_nest_like_the_drawing():
    centred = [(-(p.bounds[0] + p.bounds[2]) / 2, -(p.bounds[1] + p.bounds[3]) / 2) for p in TEE.pieces]
    pattern = moved(TEE, centred)
    assert all(abs(p.bounds[0] + p.bounds[2]) < 1e-9 for p in pattern.pieces)
    assert nest(pattern).length == pytest.approx(base_length(), abs=1e-6)


@PROPS
@given(turns=st.lists(st.integers(0, 3), min_size=len(TEE.pieces), max_size=len(TEE.pieces)),
       mirrors=st.lists(st.booleans(), min_size=len(TEE.pieces), max_size=len(TEE.pieces)),
       offsets=st.lists(st.tuples(OFFSET, OFFSET), min_size=len(TEE.pieces), max_size=len(TEE.pieces)))
def test_turned_and_mirrored_drawings_nest_into_valid_markers(turns, mirrors, offsets):
    pieces = tuple(move_piece(p, rotation_deg=90.0 * k, mirrored=m, translation=t)
                   for p, k, m, t in zip(TEE.pieces, turns, mirrors, offsets, strict=True))
    pattern = dataclasses.replace(TEE, pieces=pieces)
    marker = nest(pattern)
    # the same pieces in other frames: the length stays that of a one-garment marker
    assert max(p.width for p in TEE.pieces) - 1e-6 <= marker.length <= 2.5 * base_length()


@settings(max_examples=6, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(angles=st.lists(st.floats(0.0, 360.0, allow_nan=False), min_size=len(TEE.pieces),
                       max_size=len(TEE.pieces)),
       offsets=st.lists(st.tuples(OFFSET, OFFSET), min_size=len(TEE.pieces), max_size=len(TEE.pieces)))
def test_pieces_drawn_at_any_angle_nest_with_their_grain_along_the_roll(angles, offsets):
    """A CAD may draw each piece turned by any angle (its grain line with it): the marker
    lays every grain along the roll (the checker's test) and is as short as a one-garment
    marker of the pieces drawn straight, give or take the search."""
    pieces = tuple(move_piece(p, rotation_deg=a, translation=t)
                   for p, a, t in zip(TEE.pieces, angles, offsets, strict=True))
    marker = nest(dataclasses.replace(TEE, pieces=pieces))
    assert max(p.width for p in TEE.pieces) - 1e-6 <= marker.length <= 1.1 * base_length()


def _fold_on_y_axis(piece, side: str, dy: float):
    """The full piece moved so that its fold line is x = 0; ``side`` keeps the left or the right
    half when written folded (the writer keeps the half on the left of the fold's direction)."""
    (x0, y0), (x1, y1) = piece.fold_line.points[0], piece.fold_line.points[-1]
    ang = math.degrees(math.atan2(y1 - y0, x1 - x0))
    p = move_piece(piece, translation=(-x0, -y0))
    p = move_piece(p, rotation_deg=90.0 - ang)  # fold along +y through the origin
    p = move_piece(p, translation=(0.0, dy))
    fy0, fy1 = p.fold_line.points[0][1], p.fold_line.points[-1][1]
    up = Line(np.array([[0.0, min(fy0, fy1)], [0.0, max(fy0, fy1)]]))
    fold = up if side == "left" else Line(up.points[::-1])
    return dataclasses.replace(p, fold_line=fold)


@PROPS
@given(side=st.sampled_from(["left", "right"]), dy=OFFSET, turn=st.sampled_from([0.0, 180.0]))
@example(side="left", dy=0.0, turn=0.0)
@example(side="right", dy=0.0, turn=0.0)
def test_fold_pieces_with_the_fold_on_x0_on_either_side(tmp_path_factory, side, dy, turn):
    pieces = []
    for p in TEE.pieces:
        if p.fold_line is not None:
            p = _fold_on_y_axis(p, side, dy)
            if turn:
                p = move_piece(p, rotation_deg=turn)
        pieces.append(p)
    pattern = dataclasses.replace(TEE, pieces=tuple(pieces))
    path = tmp_path_factory.mktemp("fold") / "folded.dxf"
    path.write_bytes(aama_bytes(aama_document(pattern, folded=True)))
    back = read_pattern(path)
    halves = [p for p in back.pieces if p.folded]
    assert len(halves) == 2 and all(p.unfolded for p in halves)
    for p in halves:  # the unfolded piece straddles its fold line at x = 0
        lo, _, hi, _ = move_piece(p, rotation_deg=-turn).bounds
        assert lo < -1.0 and hi > 1.0
    assert sorted(round(p.area) for p in back.pieces) == sorted(round(p.area) for p in TEE.pieces)
    nest(back)


@PROPS
@given(counts=st.dictionaries(st.sampled_from(["S", "M", "L"]), st.integers(1, 3), min_size=1, max_size=3),
       pairs=st.booleans())
def test_any_size_subset_and_garment_count(counts, pairs):
    pattern = load_pattern(SAMPLES / "tee.dxf", sizes=counts, pairs=pairs)
    # per garment: front, back, two sleeves (a pair), neckband
    assert pattern.copies == 5 * sum(counts.values())
    sleeves = [p for p in pattern.pieces if p.name == "Sleeve"]
    for s in sleeves:
        assert s.quantity == 2 * counts[s.size] and s.flipped == counts[s.size]
    marker = nest(dataclasses.replace(pattern), rules=dataclasses.replace(RULES, pairs=pairs), iterations=4)
    mirrored = sum(pl.mirrored for pl in marker.placements)
    assert mirrored == sum(counts.values())


def test_the_strip_is_never_cut_below_the_longest_piece():
    # one garment whose longest piece is longer than the rest side by side: the marker is that
    # piece's length, found and kept (the search stops there: nothing shorter exists)
    front = TEE.pieces[0]
    g = math.radians(front.grain_angle_deg)
    rot = np.array([[math.cos(g), -math.sin(g)], [math.sin(g), math.cos(g)]])
    long = affine_piece(front, rot @ np.diag([2.2, 0.5]) @ rot.T)  # longer along its grain
    along = move_piece(long, rotation_deg=-long.grain_angle_deg).width
    pattern = dataclasses.replace(TEE, pieces=(long, *TEE.pieces[1:]))
    marker = nest(pattern, iterations=200)
    assert along > 1.4 * max(move_piece(p, rotation_deg=-p.grain_angle_deg).width for p in TEE.pieces)
    assert marker.length == pytest.approx(along, abs=1e-6)


REAL = ["ORILEGWB_AAMA.DXF", "GMH1006F18_AAMA.DXF", "simple.DXF", "drill-holes.DXF"]


@pytest.mark.parametrize("name", REAL)
def test_real_one_garment_anywhere(name):
    # real pieces drawn about x = 0 (fold pieces, centred blocks) moved far away and back
    path = shared_file("dxf", name)
    pattern = read_pattern(path, repair=True)
    size = pattern.size_names[len(pattern.size_names) // 2]
    one = load_pattern(path, sizes={size: 1}, quantities={"*": (1, None)}, repair=True)
    a = nest(one, iterations=8)
    far = moved(one, [(7.25e4 * (-1) ** k, -3.5e4) for k in range(len(one.pieces))])
    b = nest(far, iterations=8)
    assert b.length == pytest.approx(a.length, abs=1e-6)


def test_resume_from_a_marker_of_a_translated_drawing(tmp_path):
    from kitcut.formats.marker_json import read_marker, write_marker

    far = moved(TEE, [(-5.5e4, 8.25e4)] * len(TEE.pieces))
    first = nest(far, iterations=6)
    write_marker(first, tmp_path / "marker.json")
    warm = read_marker(tmp_path / "marker.json")
    phases = []
    again = nest_pattern(far, RULES, time_limit=60.0, seed=2, workers=1, max_iterations=6, resume=warm,
                         progress=lambda p: phases.append(p.phase))
    assert phases[0] == "warm start"  # the marker's placements were taken, not thrown away
    assert check_marker(marker_to_dict(again), nap="two-way") == []
    assert again.length <= first.length + 1e-6
    assert again.stats.get("iterations", 0) <= 6
