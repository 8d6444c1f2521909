"""The nesting core on patterned fabric: pieces on the repeat, zones kept clear.

Every marker is checked twice: by kitcut's validator and by an independent shapely check
written here (match point on its line of the repeat, zone distances), so that the core, the
validator and this test share no code.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon

from kitcut.errors import InfeasibleError, ValidationError
from kitcut.nesting import Instance, Item, Match, Placed, Solution, Zone, solve, validate

TWO_WAY = ((0.0, False), (180.0, False))
RECT = np.array([[0, 0], [300, 0], [300, 200], [0, 200.0]])
TRI = np.array([[0, 0], [250, 0], [0, 180.0]])
PROPS = settings(max_examples=10, deadline=None, derandomize=True, database=None,
                 suppress_health_check=list(HealthCheck))


def placed(shape, pl: Placed) -> np.ndarray:
    p = np.asarray(shape, dtype=float).reshape(-1, 2)
    if pl.mirrored:
        p = p * [1.0, -1.0]
    a = math.radians(pl.rotation_deg)
    rot = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    return p @ rot + np.asarray(pl.translation)


def off_repeat(v: float, a: float, r: float) -> float:
    k = round((v - a) / r)
    return abs(v - (a + k * r))


def independent_check(inst: Instance, sol: Solution) -> None:
    assert len(sol.placements) == sum(it.demand for it in inst.items)
    for pl in sol.placements:
        item = inst.items[pl.item]
        outline = Polygon(placed(item.shape, pl))
        assert outline.bounds[0] >= -1e-6 and outline.bounds[1] >= inst.margin - 1e-6
        assert outline.bounds[3] <= inst.width - inst.margin + 1e-6
        if item.match is not None:
            for axis, point in ((0, item.match.x_point), (1, item.match.y_point)):
                r = inst.repeat[axis]
                if point is None or r <= 0:
                    continue
                w = placed([point], pl)[0, axis]
                assert off_repeat(w, inst.phase[axis] + item.match.offset[axis], r) < 1e-3, (item.id, axis, w)
        for zone in inst.zones:
            if pl.item in zone.allowed:
                continue
            assert Polygon(zone.shape).distance(outline) >= inst.spacing - 1e-6, (item.id, zone.name)


def check_instance(items, **kw) -> Instance:
    return Instance(tuple(items), width=kw.pop("width", 1000.0), spacing=kw.pop("spacing", 2.0), **kw)


@PROPS
@given(rx=st.sampled_from([0.0, 20.0, 37.5, 100.0]), ry=st.sampled_from([0.0, 25.0, 50.0, 99.0]),
       px=st.floats(-200, 200), py=st.floats(-200, 200), dx=st.floats(-1e4, 1e4), dy=st.floats(-1e4, 1e4))
def test_matched_pieces_sit_on_the_repeat_wherever_they_are_drawn(rx, ry, px, py, dx, dy):
    shift = np.array([dx, dy])
    items = [
        Item("body", RECT + shift, 3, TWO_WAY,
             match=Match(x_point=(40 + dx, 60 + dy), y_point=(40 + dx, 60 + dy))),
        Item("yoke", TRI, 4, ((0.0, False), (0.0, True)),
             match=Match(y_point=(100.0, 20.0), offset=(0.0, 7.5))),
        Item("tab", RECT * 0.3, 5, TWO_WAY),
    ]
    inst = check_instance(items, repeat=(rx, ry), phase=(px, py))
    sol = solve(inst, time_limit=60, seed=1, workers=1, max_iterations=15)
    validate(inst, sol)
    independent_check(inst, sol)


def test_zones_are_kept_clear_except_for_the_pieces_they_allow():
    flaw = Zone(np.array([[0, 0], [400, 0], [400, 1000], [0, 1000.0]]), "first metre")
    spot = Zone(np.array([[500, 400], [560, 400], [560, 460], [500, 460.0]]), "flaw", allowed=frozenset({1}))
    items = [Item("body", RECT, 4, TWO_WAY), Item("trim", RECT * 0.2, 30, TWO_WAY)]
    inst = check_instance(items, zones=(flaw, spot))
    sol = solve(inst, time_limit=60, seed=3, workers=1, max_iterations=30)
    validate(inst, sol)
    independent_check(inst, sol)
    # no piece starts before the end of the first metre's zone (+ spacing)
    xs = [placed(inst.items[pl.item].shape, pl)[:, 0].min() for pl in sol.placements]
    assert min(xs) >= 402.0 - 1e-6


def test_the_validator_catches_a_broken_match_and_a_piece_on_a_zone():
    item = Item("body", RECT, 1, TWO_WAY, match=Match(y_point=(0.0, 0.0)))
    inst = check_instance([item], repeat=(0.0, 50.0), phase=(0.0, 10.0),
                          zones=(Zone(np.array([[600, 0], [700, 0], [700, 100], [600, 100.0]]), "splice"),))
    ok = Solution((Placed(0, 0, 0.0, False, (0.0, 110.0)),), 300.0, RECT_AREA / (300.0 * 1000.0))
    validate(inst, ok)
    shifted = dataclasses.replace(ok, placements=(Placed(0, 0, 0.0, False, (0.0, 110.5)),))
    with pytest.raises(ValidationError, match=r"'body' copy 0: match point at y = 110\.500 is 0\.500 off the "
                                              r"repeat \(50 from 10\)"):
        validate(inst, shifted)
    on_zone = Solution((Placed(0, 0, 0.0, False, (500.0, 10.0)),), 800.0, RECT_AREA / (800.0 * 1000.0))
    with pytest.raises(ValidationError, match="'body' copy 0 lies on splice|'body' copy 0 is 0 from splice"):
        validate(inst, on_zone)


RECT_AREA = 300.0 * 200.0


def test_a_repeat_that_leaves_no_place_across_the_width_is_a_clear_error():
    # the match point must lie on y = 10 + j * 2000: only y = 10, too close to the selvedge for
    # a piece drawn with its point at its top and not allowed to turn
    item = Item("collar", RECT, 1, ((0.0, False),), match=Match(y_point=(150.0, 200.0)))
    with pytest.raises(InfeasibleError, match=r"piece 'collar': its match point cannot fall on the repeat"):
        solve(check_instance([item], repeat=(0.0, 2000.0), phase=(0.0, 10.0)), time_limit=5, workers=1)
    # free rotation cannot be matched
    item = Item("collar", RECT, 1, ((0.0, False),), free_rotation=True, match=Match(y_point=(0.0, 0.0)))
    with pytest.raises(InfeasibleError, match="needs fixed orientations"):
        solve(check_instance([item], repeat=(0.0, 50.0)), time_limit=5, workers=1)


def test_matching_keeps_markers_short():
    items = [Item("a", RECT, 4, TWO_WAY, match=Match(x_point=(0.0, 0.0), y_point=(0.0, 0.0))),
             Item("b", TRI, 6, TWO_WAY, match=Match(y_point=(0.0, 0.0))), Item("c", RECT * 0.5, 5, TWO_WAY)]
    matched = check_instance(items, repeat=(40.0, 40.0))
    free = check_instance([dataclasses.replace(i, match=None) for i in items])
    a = solve(matched, time_limit=60, seed=1, workers=1, max_iterations=200)
    b = solve(free, time_limit=60, seed=1, workers=1, max_iterations=200)
    validate(matched, a)
    assert a.length <= 1.15 * b.length  # a 40 mm check costs little on 1 m fabric
