"""The poles' kernel (``nesting/inscribed.py``) against shapely's maximum inscribed circle.

The kernel finds the largest circle inside a ring and clear of given circles. The slow reference
is shapely's ``maximum_inscribed_circle`` of the ring minus those circles (as fine polygons):
its circle may reach a hair into them (the polygons lie inside the circles), so the kernel's
radius may be below it by the two tolerances and that hair, and never above it by more than
shapely's tolerance.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon

from kitcut.nesting.inscribed import clearest_circle
from tests import naive

#: quad_segs of the reference's circles: they lie at most r * (1 - cos(pi / 256)) inside
_SEGS = 64
_HAIR = 1.0 - math.cos(math.pi / (4 * _SEGS))


def _reference(ring: np.ndarray, disks: np.ndarray, tol: float) -> float:
    rest = Polygon(ring)
    for x, y, r in disks:
        rest = rest.difference(Point(x, y).buffer(r, quad_segs=_SEGS))
    if rest.is_empty or rest.area <= 0:
        return 0.0
    return shapely.maximum_inscribed_circle(rest, tolerance=tol).length


def _check(ring: np.ndarray, disks: np.ndarray, tol: float) -> tuple[float, float, float]:
    cx, cy, r = clearest_circle(ring, disks, tol)
    ref = _reference(ring, disks, tol / 4)
    hair = _HAIR * float(disks[:, 2].max()) if len(disks) else 0.0
    assert r >= ref - tol - tol / 4 - hair, (r, ref)
    assert r <= ref + tol / 4 + 1e-9, (r, ref)
    if r > 0:
        poly = Polygon(ring)
        assert poly.contains(Point(cx, cy))
        assert poly.exterior.distance(Point(cx, cy)) >= r * (1 - 1e-12)
        for x, y, rr in disks:
            assert math.hypot(cx - x, cy - y) >= (r + rr) * (1 - 1e-12)
    return cx, cy, r


def test_the_circle_of_a_square_is_its_inscribed_circle():
    sq = np.array([[0, 0], [10, 0], [10, 10], [0, 10]], dtype=float)
    cx, cy, r = clearest_circle(sq, np.zeros((0, 3)), 1e-6)
    assert (cx, cy, r) == pytest.approx((5, 5, 5), abs=1e-5)
    # clockwise, the same ring
    assert clearest_circle(sq[::-1], np.zeros((0, 3)), 1e-6) == pytest.approx((cx, cy, r), abs=1e-5)


def test_a_circle_taken_leaves_the_other_half():
    """A 20 x 10 rectangle whose left square is taken: the next circle is the right square's."""
    rect = np.array([[0, 0], [20, 0], [20, 10], [0, 10]], dtype=float)
    cx, cy, r = clearest_circle(rect, np.array([[5.0, 5.0, 5.0]]), 1e-6)
    assert (cx, cy, r) == pytest.approx((15, 5, 5), abs=1e-5)


def test_no_room_left_gives_no_positive_radius():
    sq = np.array([[0, 0], [10, 0], [10, 10], [0, 10]], dtype=float)
    assert clearest_circle(sq, np.array([[5.0, 5.0, 8.0]]), 0.01)[2] <= 0


def test_a_u_shape_gets_its_circle_where_an_arm_meets_the_base():
    """The centroid of a U lies outside it: the circle is found all the same, where an arm meets
    the base (wider than the arms' half width, narrower than the base and an arm together)."""
    u = np.array([[0, 0], [30, 0], [30, 30], [20, 30], [20, 10], [10, 10], [10, 30], [0, 30]], dtype=float)
    _, _, r = _check(u, np.zeros((0, 3)), 0.01)
    assert 5.0 < r < 10.0


def test_random_rings_and_circles_match_shapely():
    rng = np.random.default_rng(11)
    for _ in range(40):
        ring = naive.random_polygon(rng, n=int(rng.integers(3, 30)), radius=float(rng.uniform(1, 500)))
        if not Polygon(ring).is_valid:
            continue
        minx, miny, maxx, maxy = Polygon(ring).bounds
        tol = 0.002 * math.hypot(maxx - minx, maxy - miny)
        disks = np.zeros((0, 3))
        for _ in range(5):  # the poles' own use: each circle clear of the ones before
            cx, cy, r = _check(ring, disks, tol)
            if r <= 0:
                break
            disks = np.vstack([disks, [cx, cy, r]])


@settings(max_examples=60, deadline=None)
@given(x0=st.floats(-1e6, 1e6), y0=st.floats(-1e6, 1e6), turn=st.floats(0, 2 * math.pi),
       seed=st.integers(0, 2**32 - 1))
def test_any_origin_and_rotation(x0, y0, turn, seed):
    """A ring drawn anywhere, at any angle, gets the same radius (within the tolerance)."""
    rng = np.random.default_rng(seed)
    ring = naive.random_polygon(rng, n=12, radius=200.0)
    if not Polygon(ring).is_valid:
        return
    c, s = math.cos(turn), math.sin(turn)
    moved = ring @ np.array([[c, s], [-s, c]]) + (x0, y0)
    r0 = clearest_circle(ring, np.zeros((0, 3)), 0.5)[2]
    cx, cy, r1 = _check(moved, np.zeros((0, 3)), 0.5)
    assert r1 == pytest.approx(r0, abs=1.0)


@pytest.mark.parametrize(("ring", "disks", "tol", "words"), [
    (np.zeros((2, 2)), np.zeros((0, 3)), 1.0, "ring"),
    (np.zeros((4, 3)), np.zeros((0, 3)), 1.0, "ring"),
    (np.ones((4, 2)), np.zeros((0, 3)), 0.0, "tolerance"),
    (np.ones((4, 2)), np.zeros((0, 3)), math.nan, "tolerance"),
    (np.array([[0, 0], [1, 0], [math.inf, 1]]), np.zeros((0, 3)), 1.0, "finite"),
    (np.array([[0, 0], [1, 0], [1, 1]]), np.array([[0, 0, math.nan]]), 1.0, "finite"),
])
def test_bad_arguments_are_refused(ring, disks, tol, words):
    with pytest.raises(ValueError, match=words):
        clearest_circle(ring, disks, tol)


@pytest.mark.parametrize("width", [1.0, 1e-3, 1e-6])
@pytest.mark.parametrize("turn", [0.0, 30.0, 90.0])
def test_a_ring_far_narrower_than_the_tolerance_still_gets_its_circles(width, turn):
    """A strip 4 m long and ``width`` wide: the tolerance (0.2 % of the diameter, 8 mm) is wider
    than the strip. Circles about as wide as the strip are found all the same, at once: the
    first cells no longer number length / width (a strip a thousandth of a millimetre wide took
    18 s, one of 1e-5 mm ran out of memory), and the lines across the ring find points inside
    it that cells wider than the strip may never reach. Along the x axis they give the whole
    row of 24 circles; turned, at least one each (8)."""
    from kitcut.nesting.standins import poles

    c, s = math.cos(math.radians(turn)), math.sin(math.radians(turn))
    strip = np.array([[0, 0], [4000.0, 0], [4000.0, width], [0, width]]) @ np.array([[c, s], [-s, c]])
    pl = poles(strip)
    assert len(pl) == 24 if turn == 0.0 else len(pl) >= 8
    poly = Polygon(strip)
    for i, (x, y, r) in enumerate(pl):
        assert r >= 0.3 * width
        slack = 1e-12 * 4000.0  # rounding of coordinates in the thousands
        assert poly.exterior.distance(Point(x, y)) >= r - slack
        for x2, y2, r2 in pl[i + 1:]:
            assert math.hypot(x - x2, y - y2) >= r + r2 - slack


def test_a_thin_bent_band_gets_its_circles():
    """A half ring 0.01 mm wide whose centroid lies outside it."""
    t = np.linspace(0.0, np.pi, 120)
    band = np.vstack([np.column_stack([np.cos(t), np.sin(t)]) * 500.005,
                      np.column_stack([np.cos(t[::-1]), np.sin(t[::-1])]) * 499.995])
    cx, cy, r = clearest_circle(band, np.zeros((0, 3)), 2.0)
    assert 0.003 < r <= 0.005 + 1e-9
    assert Polygon(band).contains(Point(cx, cy))
