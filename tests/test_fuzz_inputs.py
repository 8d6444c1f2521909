"""Fuzzing (CI part): mutated DXF files, samples and order files end in a result or a clear
error (exit 0 or 2, no traceback, no "internal error"), within a time bound; hostile DXF
structures (INSERT cycles, deep nesting, fan-out, external references, huge texts) lose
nothing silently. The long run is ``python -m tests.fuzz.long --minutes 10`` (``make fuzz``).

Runs go through :class:`fuzz.pool.SafeRunner` (a child process), so even a segfault or a hang
in C code fails one example instead of the suite.
"""

from __future__ import annotations

import json
import random
import shutil

import pytest
from conftest import SAMPLES
from fuzz.corpus import dxf_corpus, json_corpus, order_corpus
from fuzz.mutate import DXF_MUTATORS, JSON_MUTATORS, ORDER_MUTATORS, mutate
from fuzz.pool import SafeRunner
from fuzz.runner import check_outcome
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CI = settings(max_examples=int(__import__("os").environ.get("KITCUT_FUZZ_EXAMPLES", "40")), deadline=None,
              derandomize=True, suppress_health_check=list(HealthCheck), database=None)
SMALL = [p for p in dxf_corpus() if p.stat().st_size <= 400_000]
TEE = SAMPLES / "tee.dxf"


@pytest.fixture(scope="module")
def runner():
    with SafeRunner() as r:
        yield r


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    d = tmp_path_factory.mktemp("fuzz")
    for p in SAMPLES.glob("*.dxf"):
        shutil.copy(p, d / p.name)
    return d


@CI
@given(src=st.sampled_from(SMALL), name=st.sampled_from(sorted(DXF_MUTATORS)), seed=st.integers(0, 2**31))
def test_mutated_dxf_info(runner, work, src, name, seed):
    p = work / f"m{src.suffix}"
    p.write_bytes(mutate(src.read_bytes(), name, seed))
    o = runner.cli(["info", str(p), "--json"], timeout=30)
    if check_outcome(o) == "ok":
        data = json.loads(o.stdout)
        assert data["pieces"], "a result without pieces"


@pytest.fixture(scope="module")
def compiled():
    """The nesting kernels compiled and cached before the timed runs: in a fresh clone the first
    run compiled them inside its 60 s (19 s alone; it timed out beside a second CI run)."""
    from kitcut.nesting import warmup

    warmup()


@settings(CI, max_examples=8)
@given(name=st.sampled_from(sorted(DXF_MUTATORS)), seed=st.integers(0, 2**31))
def test_mutated_sample_nest(runner, work, compiled, name, seed):
    p = work / "n.dxf"
    p.write_bytes(mutate(TEE.read_bytes(), name, seed))
    o = runner.cli(["run", str(p), "-q", "-t", "1", "--workers", "1", "--seed", "1", "--iterations", "60",
                    "-o", str(work / "out"), "--json"], timeout=60)
    if check_outcome(o) == "ok":
        res = json.loads(o.stdout)
        assert res["pieces"] >= 1 and res["length"] > 0


@settings(CI, max_examples=15)
@given(src=st.sampled_from(order_corpus()), name=st.sampled_from(sorted(ORDER_MUTATORS)),
       seed=st.integers(0, 2**31))
def test_mutated_order(runner, work, src, name, seed):
    p = work / "order.toml"
    p.write_bytes(mutate(src.read_bytes(), name, seed, ORDER_MUTATORS))
    check_outcome(runner.order(p, timeout=30))


@pytest.mark.parametrize("name, seed, block", [
    ("insert_cycle", 0, "CYCLE0"), ("insert_cycle", 2, "CYCLE0"), ("deep_nesting", 7, "DEEP0"),
    ("fan_out", 1, "FAN"), ("xref_block", 3, "XREF1"), ("xref_block", 11, "XREF1"),
])
def test_hostile_structures_lose_nothing(runner, work, name, seed, block):
    data = mutate(TEE.read_bytes(), name, seed)
    assert block.encode() in data
    p = work / f"{name}-{seed}.dxf"
    p.write_bytes(data)
    o = runner.cli(["info", str(p), "--json"], timeout=60)
    assert check_outcome(o) == "ok", o.stderr
    info = json.loads(o.stdout)
    names = [q["name"] for q in info["pieces"]]
    for piece in ("Front", "Back", "Sleeve", "Neckband"):  # the real pieces are all there
        assert names.count(piece) + sum(n.startswith(piece + "_") for n in names) >= 3
    # the injected block is a piece (the cycle's own outline) or is named in a remark
    notes = info["warnings"]
    assert any(n.startswith(block) for n in names) or any(block in w for w in notes), notes


@pytest.mark.parametrize("seed", range(6))
def test_piece_blocks_drawn_as_nested_blocks_read_the_same(runner, work, seed):
    """Piece blocks whose drawing is moved into inner blocks (moved and moved back, or turned
    twice by 180 degrees) read as the same pieces, with the same marks, and nothing skipped."""
    data = mutate(TEE.read_bytes(), "nest_block", seed)
    assert b"INNER0" in data
    p = work / f"nested-{seed}.dxf"
    p.write_bytes(data)
    got, want = ({q["block"]: q for q in json.loads(runner.cli(["info", str(f), "--json"]).stdout)["pieces"]}
                 for f in (p, TEE))
    assert sorted(got) == sorted(want)
    for block, q in want.items():
        g = got[block]
        assert g["area_mm2"] == pytest.approx(q["area_mm2"], rel=1e-9), block
        assert [g[k] for k in ("name", "size", "quantity", "notches", "drills", "width_mm", "height_mm")] == \
            [q[k] for k in ("name", "size", "quantity", "notches", "drills", "width_mm", "height_mm")], block


def test_deepest_nesting_and_widest_fan_are_quick(runner, work):
    for name, rng in (("deep_nesting", random.Random(0)), ("fan_out", random.Random(0))):
        data = DXF_MUTATORS[name](TEE.read_bytes(), rng)
        p = work / f"{name}.dxf"
        p.write_bytes(data)
        o = runner.cli(["info", str(p)], timeout=60)
        check_outcome(o)
        assert o.seconds < 30


def test_huge_texts(runner, work):
    for seed in range(3):
        p = work / f"huge{seed}.dxf"
        p.write_bytes(mutate(TEE.read_bytes(), "huge_text", seed))
        check_outcome(runner.cli(["info", str(p)], timeout=60))


JSONS = json_corpus()


@pytest.mark.skipif(not JSONS, reason="shared benchmark instances not present")
@settings(CI, max_examples=15)
@given(src=st.sampled_from(JSONS or [TEE]), name=st.sampled_from(sorted(JSON_MUTATORS)),
       seed=st.integers(0, 2**31))
def test_mutated_benchmark_instance(runner, work, src, name, seed):
    p = work / "inst.json"
    p.write_bytes(mutate(src.read_bytes(), name, seed, JSON_MUTATORS))
    check_outcome(runner.cli(["info", str(p), "--json"], timeout=30))
