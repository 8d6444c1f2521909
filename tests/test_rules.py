"""Nap rules: allowed orientations bring the grain onto the roll direction."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kitcut.errors import RulesError
from kitcut.model.geometry import transform_points
from kitcut.nesting.rules import allowed_orientations


def grain_direction_after(grain_deg: float, rotation: float, mirrored: bool) -> float:
    g = math.radians(grain_deg)
    v = transform_points(np.array([[0.0, 0.0], [math.cos(g), math.sin(g)]]), rotation, mirrored)
    d = v[1] - v[0]
    return math.degrees(math.atan2(d[1], d[0])) % 360.0


@pytest.mark.parametrize("grain", [0.0, 90.0, 37.5, -120.0])
@pytest.mark.parametrize("mirrored", [False, True])
@pytest.mark.parametrize(
    "nap, directions",
    [("one-way", {0.0}), ("two-way", {0.0, 180.0}), ("quarter", {0.0, 90.0, 180.0, 270.0})],
)
def test_grain_lands_on_the_allowed_directions(grain, mirrored, nap, directions):
    orients = allowed_orientations(grain, nap, mirrored=mirrored)
    got = {round(grain_direction_after(grain, r, m), 6) % 360.0 for r, m in orients}
    assert got == directions
    assert all(m == mirrored for _, m in orients)


def test_tilt_adds_small_rotations_each_side():
    orients = allowed_orientations(90.0, "two-way", tilt_deg=2.0)
    assert sorted(r for r, _ in orients) == [88.0, 90.0, 92.0, 268.0, 270.0, 272.0]


def test_free_and_override():
    assert allowed_orientations(10.0, "free") is None
    assert allowed_orientations(None, "two-way", override=(0.0, 90.0)) == ((0.0, False), (90.0, False))
    # a mirrored copy keeps the grain in the same directions as the override allows
    rots = allowed_orientations(30.0, "one-way", mirrored=True, override=(330.0,))
    d = grain_direction_after(30.0, rots[0][0], True)
    assert min(d, 360.0 - d) == pytest.approx(0.0, abs=1e-9)


def test_unknown_nap_is_a_clear_error():
    with pytest.raises(RulesError, match="unknown nap mode 'sideways'"):
        allowed_orientations(0.0, "sideways")
