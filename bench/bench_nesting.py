"""Nesting benchmark: kitcut against sparrow (spyrrow) on the ESICUP apparel instances.

    .venv/bin/python -m bench.bench_nesting [--time 60] [--seeds 1] [--instances shirts swim ...]
        [--workers N] [--no-scaling]

Instances are the ESICUP apparel sets and the bundled samples (``tee``, ``trousers``, ``shirt``:
the DXF patterns on 1500 mm fabric, two-way nap, pairs mirrored; spyrrow gets the mirrored
copies as pre-mirrored shapes, which is the same placement transform).

Both solvers get the same wall time and core count, one after the other. Prints a markdown
table (length, density, ratio kitcut/spyrrow, time to first feasible marker, validity checked
by ``kitcut.nesting.validate``), the geometric-mean ratio, and a scaling table of the time per
move against the number of pieces; also written to ``bench/results/nesting.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

from kitcut.errors import ValidationError
from kitcut.fileio import atomic_write
from kitcut.nesting import Instance, Item, Placed, Solution, solve, validate, warmup

ESICUP = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "esicup"
APPAREL = ("shirts", "trousers", "swim", "albano", "dagli", "mao", "marques")
SAMPLES = ("tee", "trousers.dxf", "shirt")
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "samples"
RESULTS = Path(__file__).resolve().parent / "results" / "nesting.md"


def load(name: str, demand_factor: float = 1.0) -> Instance:
    if name in SAMPLES:
        return load_sample(name)
    d = json.loads((ESICUP / f"{name}.json").read_text())
    items = tuple(
        Item(
            str(it["id"]),
            np.array(it["shape"]["data"][:-1], dtype=float),
            max(1, int(round(it["demand"] * demand_factor))),
            tuple((float(r), False) for r in it["allowed_orientations"]),
        )
        for it in d["items"]
    )
    return Instance(items, float(d["strip_height"]), name=name)


def load_sample(name: str) -> Instance:
    """A bundled DXF sample as the core sees it (1500 mm, no spacing, two-way nap, pairs)."""
    from kitcut.formats.reading.read import read_pattern
    from kitcut.kits.marker import build_instance
    from kitcut.model import Rules

    stem = name.removesuffix(".dxf")
    inst, _ = build_instance(read_pattern(SAMPLE_DIR / f"{stem}.dxf"), Rules(width=1500.0))
    return Instance(inst.items, inst.width, name=f"{stem}.dxf")


def run_spyrrow(inst: Instance, seconds: float, workers: int, seed: int) -> tuple[Solution, float]:
    import spyrrow

    mirrored = [bool(it.orientations) and it.orientations[0][1] for it in inst.items]
    items = [
        spyrrow.Item(it.id, [(float(x), -float(y) if m else float(y)) for x, y in it.shape], demand=it.demand,
                     allowed_orientations=[r for r, _ in it.orientations])
        for it, m in zip(inst.items, mirrored, strict=True)
    ]
    sp = spyrrow.StripPackingInstance(inst.name, inst.width, items)
    cfg = spyrrow.StripPackingConfig(total_computation_time=int(round(seconds)), num_workers=workers,
                                     seed=seed, early_termination=False)
    t = time.monotonic()
    sol = sp.solve(cfg)
    elapsed = time.monotonic() - t
    index = {it.id: i for i, it in enumerate(inst.items)}
    copies: dict[int, int] = {}
    placed = []
    for p in sol.placed_items:
        i = index[p.id]
        c = copies.get(i, 0)
        copies[i] = c + 1
        placed.append(Placed(i, c, float(p.rotation) % 360.0, mirrored[i], tuple(map(float, p.translation))))
    return Solution(tuple(placed), float(sol.width), float(sol.density), {"elapsed_s": elapsed}), elapsed


def is_valid(inst: Instance, sol: Solution, tol: float = 1e-6) -> str:
    try:
        validate(inst, sol, tol=tol)
    except ValidationError as exc:
        return "NO: " + str(exc)[:60]
    return "yes"


def spyrrow_tol(inst: Instance) -> float:
    """spyrrow computes in float32: its markers are checked with a tolerance of 1e-4 of the width."""
    return 1e-4 * inst.width


def comparison(names, seconds: float, seeds: int, workers: int, first_seed: int = 1) -> list[str]:
    lines = [
        f"### kitcut vs spyrrow, {seconds:g} s wall, {workers} cores, "
        f"seeds {first_seed}..{first_seed + seeds - 1}",
        "",
        "| instance | kitcut length | kitcut density | spyrrow length | spyrrow density | ratio | "
        "first feasible (s) | kitcut valid | spyrrow valid |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    ratios = []
    for name in names:
        inst = load(name)
        for s in range(first_seed, first_seed + seeds):
            k = solve(inst, time_limit=seconds, seed=s, workers=workers)
            sp, _ = run_spyrrow(inst, seconds, workers, s)
            ratio = k.length / sp.length
            ratios.append((name, ratio))
            row = (f"| {name}{'' if seeds == 1 else f' #{s}'} | {k.length:.2f} | {k.density:.3f} | "
                   f"{sp.length:.2f} | {sp.density:.3f} | {ratio:.4f} | {k.stats['time_to_first_s']:.2f} | "
                   f"{is_valid(inst, k)} | {is_valid(inst, sp, spyrrow_tol(inst))} |")
            print(row, file=sys.stderr, flush=True)
            lines.append(row)
    def gmean(rs: list[float]) -> float:
        return math.exp(sum(math.log(r) for r in rs) / len(rs)) if rs else float("nan")

    apparel = [r for n, r in ratios if n in APPAREL]
    lines += [
        "",
        f"Geometric-mean length ratio kitcut/spyrrow: **{gmean(apparel):.4f}** on the ESICUP apparel "
        f"instances ({len(apparel)} runs), {gmean([r for _, r in ratios]):.4f} on all {len(ratios)} runs",
        "",
        "Valid: `kitcut.nesting.validate` (shapely) at tol 1e-6 for kitcut, 1e-4 x width for spyrrow "
        "(float32). First feasible: kitcut's time to its first complete marker.",
        "",
    ]
    return lines


def scaling(sizes=(50, 100, 200, 400, 800), seconds: float = 4.0) -> list[str]:
    lines = [
        "### Scaling (shirts items replicated, 1 worker, "
        f"{seconds:g} s each)",
        "",
        "| pieces | first feasible (s) | iterations | moves | ms / iteration | us / move |",
        "|---|---|---|---|---|---|",
    ]
    base = load("shirts")
    total = sum(it.demand for it in base.items)
    for n in sizes:
        inst = load("shirts", demand_factor=n / total)
        sol = solve(inst, time_limit=seconds, seed=1, workers=1)
        st = sol.stats
        search = max(1e-9, st["search_s"] - st["time_to_first_s"])
        lines.append(
            f"| {len(sol.placements)} | {st['time_to_first_s']:.2f} | {st['iterations']} | {st['moves']} | "
            f"{1e3 * search / max(1, st['iterations']):.2f} | {1e6 * search / max(1, st['moves']):.0f} |"
        )
        print(lines[-1], file=sys.stderr, flush=True)
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_nesting", description=__doc__.splitlines()[0])
    ap.add_argument("--time", type=float, default=60.0, help="wall seconds per solver and run")
    ap.add_argument("--seeds", type=int, default=1, help="runs per instance")
    ap.add_argument("--first-seed", type=int, default=1, help="seeds used: first-seed, first-seed + 1, ...")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--instances", nargs="*", default=list(APPAREL + SAMPLES))
    ap.add_argument("--no-scaling", action="store_true")
    args, _ = ap.parse_known_args(sys.argv[1:] if argv is None else argv)
    if not ESICUP.exists():
        print(f"ESICUP data not found at {ESICUP}: skipped")
        return 0
    out = ["# Nesting benchmark", "", f"warm-up (compile or load kernels): {warmup():.2f} s", ""]
    out += comparison(args.instances, args.time, args.seeds, args.workers, args.first_seed)
    if not args.no_scaling:
        out += scaling()
    out += ["", f"Command: `.venv/bin/python -m bench.bench_nesting {' '.join(sys.argv[1:])}`".rstrip(), ""]
    text = "\n".join(out)
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(RESULTS, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
