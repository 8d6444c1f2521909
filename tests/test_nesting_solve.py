"""End-to-end nesting: real ESICUP markers checked by validate() AND an independent check here."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import subprocess
import sys

import naive
import numpy as np
import pytest
from conftest import SAMPLES, shared_file
from shapely.geometry import Polygon

from kitcut.errors import InfeasibleError, ValidationError
from kitcut.nesting import Instance, Item, Placed, Progress, Solution, solve, validate, warmup


@pytest.fixture(autouse=True, scope="module")
def _kernels_loaded():
    """Compile (cold cache) or load the kernels once, outside the short time limits below."""
    warmup()


def esicup(name: str, **kw) -> Instance:
    d = json.loads(shared_file("esicup", f"{name}.json").read_text())
    items = tuple(
        Item(
            str(it["id"]),
            np.array(it["shape"]["data"][:-1], dtype=float),
            int(it["demand"]),
            tuple((float(r), False) for r in it["allowed_orientations"]),
        )
        for it in d["items"]
    )
    return Instance(items, float(d["strip_height"]), name=name, **kw)


def independent_check(inst: Instance, sol: Solution, tol: float = 1e-6) -> None:
    """No overlap / spacing kept, inside the usable width, every copy once, allowed orientation."""
    copies = sorted((p.item, p.copy) for p in sol.placements)
    assert copies == [(i, c) for i, it in enumerate(inst.items) for c in range(it.demand)]
    polys = []
    for p in sol.placements:
        it = inst.items[p.item]
        if not it.free_rotation:
            ok = [
                (r, m) for r, m in it.orientations
                if math.isclose(r % 360, p.rotation_deg % 360, abs_tol=1e-9) and m == p.mirrored
            ]
            assert ok, (it.id, p.rotation_deg, p.mirrored)
        pts = naive.placed(it.shape, p.rotation_deg, p.mirrored, p.translation)
        assert pts[:, 1].min() >= inst.margin - tol
        assert pts[:, 1].max() <= inst.width - inst.margin + tol
        assert pts[:, 0].min() >= -tol
        polys.append(Polygon(pts))
    assert max(p.bounds[2] for p in polys) == pytest.approx(sol.length, abs=1e-9)
    assert sum(p.area for p in polys) / (sol.length * inst.width) == pytest.approx(sol.density)
    for i in range(len(polys)):
        for j in range(i + 1, len(polys)):
            if inst.spacing > 0:
                assert polys[i].distance(polys[j]) >= inst.spacing - tol
            else:
                assert polys[i].intersection(polys[j]).area <= 1e-9 * polys[i].area


@pytest.mark.parametrize(("name", "floor"), [("shirts", 0.78), ("trousers", 0.82), ("swim", 0.62)])
def test_esicup_markers_are_valid_and_dense(name, floor):
    inst = esicup(name)
    seen: list[Progress] = []
    sol = solve(inst, time_limit=4.0, seed=1, workers=1, progress=seen.append)
    validate(inst, sol)
    independent_check(inst, sol)
    assert sol.density > floor
    assert seen and seen[-1].phase == "done" and all(p.feasible for p in seen)
    assert [p.length for p in seen[:-1]] == sorted([p.length for p in seen[:-1]], reverse=True)
    for key in ("seed", "iterations", "time_to_first_s", "compile_s", "search_s", "workers"):
        assert key in sol.stats
    assert sol.stats["time_to_first_s"] < 1.0


def test_spacing_margin_and_two_workers():
    inst = esicup("shirts", margin=1.5, spacing=0.4)
    sol = solve(inst, time_limit=3.0, seed=3, workers=2)
    validate(inst, sol)
    independent_check(inst, sol)
    assert sol.stats["workers"] == 2
    gaps = []
    polys = [Polygon(naive.placed(inst.items[p.item].shape, p.rotation_deg, p.mirrored, p.translation))
             for p in sol.placements]
    for i in range(len(polys)):
        gaps.extend(polys[i].distance(q) for q in polys[i + 1 :] if polys[i].distance(q) < 1.0)
    assert min(gaps) >= 0.4 - 1e-6 and min(gaps) < 0.6  # pieces are packed, yet kept apart


def test_mirrored_orientations_only():
    shape = np.array([[0, 0], [4, 0], [4, 1], [1, 1], [1, 3], [0, 3]], dtype=float)  # an L: chiral
    square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)
    inst = Instance((Item("L", shape, 6, ((90.0, True),)), Item("sq", square, 3)), width=9.0)
    sol = solve(inst, time_limit=2.0, seed=2, workers=1)
    validate(inst, sol)
    independent_check(inst, sol)
    assert all(p.mirrored and p.rotation_deg == 90.0 for p in sol.placements if p.item == 0)


def test_free_rotation():
    rng = np.random.default_rng(8)
    items = tuple(
        Item(f"r{i}", naive.random_polygon(rng, radius=2.0), 2, (), free_rotation=True) for i in range(4)
    )
    inst = Instance(items, width=8.0, spacing=0.1)
    sol = solve(inst, time_limit=2.0, seed=5, workers=1)
    validate(inst, sol)
    independent_check(inst, sol)


def test_too_wide_piece_is_infeasible_and_named():
    wide = np.array([[0, 0], [10, 0], [10, 6], [0, 6]], dtype=float)
    ok = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)
    inst = Instance((Item("ok", ok, 1), Item("Back panel", wide, 1, ((0.0, False), (90.0, False)))),
                    width=7.0, margin=0.6)
    with pytest.raises(InfeasibleError, match="usable width") as err:
        solve(inst, time_limit=1.0, seed=1, workers=1)
    assert err.value.piece == "Back panel" and "needs 6" in str(err.value) and "has 5.8" in str(err.value)
    # turned a quarter it fits the width (its length is free): no error
    solve(dataclasses.replace(inst, width=12.0), time_limit=0.5, seed=1, workers=1)


def test_every_piece_too_wide_is_named_the_widest_first():
    """A marker of every size on too narrow a fabric named the first piece that does not fit: a
    user asked for its width, then the next size's, one size at a time (mirrored.DXF, one-way)."""
    def rect(h):
        return np.array([[0, 0], [20, 0], [20, h], [0, h]], dtype=float)

    fixed = ((0.0, False),)
    items = (Item("S", rect(8), 1, fixed), Item("ok", rect(2), 1, fixed), Item("L", rect(11), 2, fixed),
             Item("M", rect(9.5), 1, fixed))
    inst = Instance(items, width=7.0)
    with pytest.raises(InfeasibleError) as err:
        solve(inst, time_limit=1.0, seed=1, workers=1)
    assert err.value.piece == "L"
    assert err.value.message == ("does not fit the usable width in any allowed orientation (needs 11, has "
                                 "7); 2 more do not fit either: 'M' (needs 9.5), 'S' (needs 8)")


def test_fixed_seed_and_iterations_are_deterministic():
    inst = esicup("trousers")
    runs = [solve(inst, time_limit=120.0, seed=11, workers=1, max_iterations=40) for _ in range(2)]
    assert runs[0].placements == runs[1].placements
    assert runs[0].length == runs[1].length
    other = solve(inst, time_limit=120.0, seed=12, workers=1, max_iterations=40)
    assert other.placements != runs[0].placements
    two = [solve(inst, time_limit=120.0, seed=11, workers=2, max_iterations=25) for _ in range(2)]
    assert two[0].placements == two[1].placements and two[0].stats["workers"] == 2


def test_warm_start_never_gets_worse():
    inst = esicup("dagli")
    first = solve(inst, time_limit=1.0, seed=1, workers=1)
    again = solve(inst, time_limit=1.0, seed=2, workers=1, initial=first)
    validate(inst, again)
    assert again.length <= first.length + 1e-9


def _rects() -> Instance:
    a = np.array([[0.0, 0.0], [40.0, 0.0], [40.0, 20.0], [0.0, 20.0]])
    b = np.array([[0.0, 0.0], [30.0, 0.0], [30.0, 10.0], [0.0, 10.0]])
    turns = ((0.0, False), (180.0, False))
    return Instance((Item("A", a, 2, turns), Item("B", b, 2, turns)), width=100.0, margin=5.0)


def test_a_warm_start_outside_the_usable_width_is_moved_into_it():
    """A marker nested on a wider fabric (or with smaller margins) used as the warm start: its
    placements lie partly outside the usable width but overlap nothing, so the search took
    them as its first marker and the validator rejected the result (``ValidationError``,
    exit 3 from ``nest --resume``). They are now moved into the strip and counted."""
    inst = _rects()
    wide = (Placed(0, 0, 0.0, False, (0.0, 0.0)), Placed(0, 1, 0.0, False, (50.0, 5.0)),
            Placed(1, 0, 180.0, False, (130.0, 104.0)), Placed(1, 1, 0.0, False, (200.0, 40.0)))
    sol = solve(inst, time_limit=60.0, seed=1, workers=1, max_iterations=5,
                initial=Solution(wide, 230.0, 0.0))
    validate(inst, sol)
    independent_check(inst, sol)
    assert sol.stats["resume"] == {"kept": 2, "moved": 2, "placed": 0, "dropped": 0, "warm_start": True}


def test_a_warm_start_of_other_copies_and_orientations_is_fitted():
    """A warm start that lacked a copy, held copies the instance does not demand, a repeated or
    damaged placement or an orientation no longer allowed was thrown away whole (the search
    started afresh, silently). Now what can be used is used, the rest is placed anew or left
    out, and ``stats["resume"]`` counts each."""
    inst = _rects()
    given = (Placed(0, 0, 0.0, False, (5.0, 5.0)),  # kept
             Placed(0, 0, 0.0, False, (60.0, 5.0)),  # the same copy again: left out
             Placed(0, 1, 0.0, False, (math.nan, 5.0)),  # damaged: left out, placed anew
             Placed(1, 0, 45.0, False, (80.0, 30.0)),  # 45° is not allowed: turned
             Placed(1, 1, 0.0, True, (120.0, 30.0)),  # mirrored is not allowed: turned
             Placed(1, 2, 0.0, False, (150.0, 30.0)),  # a third copy of B: left out
             Placed(7, 0, 0.0, False, (0.0, 60.0)))  # no such item: left out
    sol = solve(inst, time_limit=60.0, seed=1, workers=1, max_iterations=5,
                initial=Solution(given, 180.0, 0.0))
    validate(inst, sol)
    independent_check(inst, sol)
    assert sol.stats["resume"] == {"kept": 1, "moved": 2, "placed": 1, "dropped": 4, "warm_start": True}
    nothing = solve(inst, time_limit=60.0, seed=1, workers=1, max_iterations=5,
                    initial=Solution(given[-1:], 10.0, 0.0))
    validate(inst, nothing)
    assert nothing.stats["resume"] == {"kept": 0, "moved": 0, "placed": 0, "dropped": 1, "warm_start": False}


def test_validate_catches_broken_markers():
    inst = esicup("shirts")
    sol = solve(inst, time_limit=1.0, seed=1, workers=1)
    validate(inst, sol)
    pl = list(sol.placements)

    def broken(new):
        return dataclasses.replace(sol, placements=tuple(new))

    dup = dataclasses.replace(pl[1], copy=pl[0].copy, item=pl[0].item)  # pl[0]'s copy on pl[1]
    with pytest.raises(ValidationError, match="overlap"):
        validate(inst, broken([dataclasses.replace(dup, item=pl[1].item, copy=pl[1].copy)] + pl[1:]))
    with pytest.raises(ValidationError, match="not placed"):
        validate(inst, broken(pl[1:]))
    with pytest.raises(ValidationError, match="not allowed"):
        validate(inst, broken([dataclasses.replace(pl[0], rotation_deg=pl[0].rotation_deg + 90)] + pl[1:]))
    x, y = pl[0].translation
    with pytest.raises(ValidationError, match="usable width"):
        validate(inst, broken([dataclasses.replace(pl[0], translation=(x, y + inst.width))] + pl[1:]))
    with pytest.raises(ValidationError, match="length"):
        validate(inst, dataclasses.replace(sol, length=sol.length * 1.1))
    spaced = dataclasses.replace(inst, spacing=50.0)
    with pytest.raises(ValidationError, match="apart"):
        validate(spaced, sol)
    assert isinstance(pl[0], Placed)


def test_narrow_band_long_separation_stays_sane():
    """Regression: a piece that can never leave the overlap made the GLS weights overflow to inf,
    the candidate list kept an uninitialised kind and the kernel wrote out of bounds (segfault)."""
    big = np.array([[0, 0], [300, 0], [300, 300], [0, 300]], dtype=float)
    small = big * (40 / 300)
    inst = Instance((Item("Big", big, 1), Item("Small", small, 6)), width=320.0)
    for seed in (1, 3):
        sol = solve(inst, time_limit=1.5, seed=seed, workers=1)
        validate(inst, sol)
        independent_check(inst, sol)
        assert sol.length == pytest.approx(340.0, abs=0.05)


def test_gls_weights_are_capped():
    from kitcut.nesting import kernels as km

    O = np.array([[0.0, 1.0], [1.0, 0.0]])
    W = np.full((2, 2), 1e300)
    rc = np.array([1, 1], dtype=np.int64)
    wh = np.array([1, 1], dtype=np.int64)
    for _ in range(5):
        km.update_weights(O, W, rc, wh, 1.2, 2.0, 0.95)
    assert np.isfinite(W).all() and W[0, 1] <= 1e9


def test_warmup_compiles_every_kernel_the_search_uses(tmp_path):
    """On a fresh install the first search must not compile inside its time budget.

    A fresh numba cache (``NUMBA_CACHE_DIR``): ``warmup()`` compiles and caches; a search that
    follows (in forked workers, as ``nest`` runs it) must find every kernel in the cache.
    """
    code = (
        "import glob, sys\n"
        "from kitcut.nesting import solve, warmup\n"
        "from kitcut.formats.reading.read import read_pattern\n"
        "from kitcut.kits.marker import build_instance\n"
        "from kitcut.model import Rules\n"
        "def cached(): return sorted(glob.glob(sys.argv[1] + '/**/*.nbi', recursive=True))\n"
        "warmup()\n"
        "before = cached()\n"
        "inst, _ = build_instance(read_pattern(sys.argv[2]), Rules(width=1500.0, spacing=2.0))\n"
        "solve(inst, time_limit=2.0, seed=1, workers=2)\n"
        "print(len(before), sorted(set(cached()) - set(before)))\n"
    )
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path), str(SAMPLES / "tee.dxf")],
                       capture_output=True, text=True, timeout=600, env=env)
    assert r.returncode == 0, r.stderr
    n_before, new = r.stdout.split(" ", 1)
    assert int(n_before) > 10
    assert new.strip() == "[]", f"compiled during the search: {new}"
