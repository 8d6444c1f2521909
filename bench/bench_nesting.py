"""Nesting benchmark: kitcut against sparrow (spyrrow) on the ESICUP apparel instances.

    .venv/bin/python -m bench.bench_nesting [--time 60] [--seeds 1] [--instances shirts swim ...]
        [--workers N] [--no-scaling] [--no-esicup] [--real 60 10] [--long 600] [--big 120]

``--real`` adds the real garment markers (``bench/garments.py``) at the given times, ``--long``
the long runs against the best-known lengths (spyrrow beside them), ``--big`` markers of
2,000 pieces against spyrrow; the scaling table comes last.

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
from dataclasses import replace
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
    if name.lower().endswith(".dxf"):
        from bench.garments import load_real

        return load_real(name)
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
                                     seed=seed, early_termination=False,
                                     min_items_separation=float(inst.spacing) or None)
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
    # the density as kitcut states its own (the pieces' area over the strip's), not spyrrow's float32
    # figure: the validator checks a solution's density to 1e-6, and a marker's geometry is what counts
    from shapely.geometry import Polygon

    area = sum(Polygon(it.shape).area * it.demand for it in inst.items)
    density = area / (float(sol.width) * inst.width) if sol.width > 0 else 0.0
    return Solution(tuple(placed), float(sol.width), density, {"elapsed_s": elapsed}), elapsed


def is_valid(inst: Instance, sol: Solution, tol: float = 1e-6) -> str:
    try:
        validate(inst, sol, tol=tol)
    except ValidationError as exc:
        return "NO: " + str(exc)[:60]
    return "yes"


def both_valid(inst: Instance, kitcut: Solution, spyrrow: Solution) -> str:
    ok = is_valid(inst, kitcut) == "yes" and is_valid(inst, spyrrow, spyrrow_tol(inst)) == "yes"
    return "yes" if ok else "NO"


def spyrrow_tol(inst: Instance) -> float:
    """spyrrow computes in float32: its markers are checked with a tolerance of 1e-4 of the width."""
    return 1e-4 * inst.width


def comparison(names, seconds: float, seeds: int, workers: int, first_seed: int = 1,
               title: str = "kitcut vs spyrrow") -> list[str]:
    lines = [
        f"### {title}, {seconds:g} s wall, {workers} cores, "
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
    per = {}
    for n, r in ratios:
        per.setdefault(n, []).append(r)
    worst = max(((gmean(v), n) for n, v in per.items()), default=(float("nan"), "-"))
    on_apparel = (f"**{gmean(apparel):.4f}** on the ESICUP apparel instances ({len(apparel)} runs), "
                  if apparel else "")  # none in a run of the real markers alone
    lines += [
        "",
        f"Geometric-mean length ratio kitcut/spyrrow: {on_apparel}{gmean([r for _, r in ratios]):.4f} on all "
        f"{len(ratios)} runs; worst instance mean {worst[0]:.4f} ({worst[1]})",
        "",
        "Valid: `kitcut.nesting.validate` (shapely) at tol 1e-6 for kitcut, 1e-4 x width for spyrrow "
        "(float32). First feasible: kitcut's time to its first complete marker.",
        "",
    ]
    return lines


def long_runs(names=("shirts", "trousers", "swim"), seconds: float = 600.0, workers: int = 2) -> list[str]:
    """One long run per instance, kitcut and spyrrow side by side, against the best-known lengths."""
    records = json.loads((ESICUP / "records.json").read_text())["instances"]
    lines = [f"### Long runs: {seconds:g} s, seed 1, {workers} cores, against the best-known lengths", "",
             "| instance | kitcut length | spyrrow length | ratio | best known | kitcut gap | spyrrow gap | "
             "sparrow 1200 s mean (published) | both valid |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name in names:
        inst = load(name)
        k = solve(inst, time_limit=seconds, seed=1, workers=workers)
        sp, _ = run_spyrrow(inst, seconds, workers, 1)
        best = records[name]["best_known_length"]
        valid = both_valid(inst, k, sp)
        lines.append(f"| {name} | {k.length:.3f} | {sp.length:.3f} | {k.length / sp.length:.4f} | "
                     f"{best:.3f} | {k.length / best - 1.0:+.2%} | {sp.length / best - 1.0:+.2%} | "
                     f"{records[name].get('sparrow_1200s_mean_length', float('nan')):.3f} | {valid} |")
        print(lines[-1], file=sys.stderr, flush=True)
    return lines


def big_markers(seconds: float = 120.0, workers: int = 2, pieces: int = 2000) -> list[str]:
    """Markers of about ``pieces`` pieces (a night's combined orders), kitcut and spyrrow side by
    side: the shirts items replicated, and the largest real garment marker repeated."""
    from bench.garments import DXF, load_real

    cases = [("shirts", load("shirts"))]
    if (DXF / "annotation.DXF").is_file():
        cases.append(("annotation.DXF", load_real("annotation.DXF")))
    lines = [f"### Big markers: about {pieces} pieces, {seconds:g} s, seed 1, {workers} cores", "",
             "| marker | pieces | kitcut length | kitcut density | spyrrow length | spyrrow density | "
             "ratio | kitcut first feasible (s) | both valid |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, base in cases:
        factor = pieces / sum(it.demand for it in base.items)
        inst = replace(base, items=tuple(replace(it, demand=max(1, round(it.demand * factor)))
                                         for it in base.items), name=f"{base.name} x{factor:.0f}")
        k = solve(inst, time_limit=seconds, seed=1, workers=workers)
        sp, _ = run_spyrrow(inst, seconds, workers, 1)
        valid = both_valid(inst, k, sp)
        lines.append(f"| {name} x{factor:.0f} | {len(k.placements)} | {k.length:.2f} | {k.density:.3f} | "
                     f"{sp.length:.2f} | {sp.density:.3f} | {k.length / sp.length:.4f} | "
                     f"{k.stats['time_to_first_s']:.2f} | {valid} |")
        print(lines[-1], file=sys.stderr, flush=True)
    return lines


def scaling(sizes=(50, 100, 200, 400, 800, 1200, 2000), seconds: float = 8.0) -> list[str]:
    lines = [
        "### Scaling (shirts items replicated, 1 worker, "
        f"{seconds:g} s each)",
        "",
        "| pieces | first feasible (s) | density then | iterations | moves | ms / iteration | us / move "
        "| density |",
        "|---|---|---|---|---|---|---|---|",
    ]
    base = load("shirts")
    total = sum(it.demand for it in base.items)
    for n in sizes:
        inst = load("shirts", demand_factor=n / total)
        first: list[float] = []

        def heard(p, first=first):
            if not first:
                first.append(p.density)

        sol = solve(inst, time_limit=seconds, seed=1, workers=1, progress=heard)
        st = sol.stats
        search = max(1e-9, st["search_s"] - st["time_to_first_s"])
        lines.append(
            f"| {len(sol.placements)} | {st['time_to_first_s']:.2f} | {(first or [float('nan')])[0]:.3f} | "
            f"{st['iterations']} | {st['moves']} | "
            f"{1e3 * search / max(1, st['iterations']):.2f} | {1e6 * search / max(1, st['moves']):.0f} | "
            f"{sol.density:.3f} |"
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
    ap.add_argument("--no-esicup", action="store_true", help="skip the ESICUP/sample comparison")
    ap.add_argument("--real", nargs="*", type=float, metavar="SECONDS",
                    help="also the real garment markers (every size, one garment each) at these times")
    ap.add_argument("--long", type=float, metavar="SECONDS", help="also long runs on shirts, trousers, swim")
    ap.add_argument("--big", type=float, metavar="SECONDS",
                    help="also markers of 2,000 pieces against spyrrow")
    args, _ = ap.parse_known_args(sys.argv[1:] if argv is None else argv)
    if not ESICUP.exists():
        print(f"ESICUP data not found at {ESICUP}: skipped")
        return 0
    out = ["# Nesting benchmark", "", f"warm-up (compile or load kernels): {warmup():.2f} s", ""]
    if not args.no_esicup:
        out += comparison(args.instances, args.time, args.seeds, args.workers, args.first_seed)
    if args.real is not None:
        from bench.garments import real_names

        for t in args.real or [args.time]:
            out += [""] + comparison(real_names(), t, args.seeds, args.workers, args.first_seed,
                                     title="Real garment markers (every size, 1500 mm, 2 mm spacing), "
                                           "kitcut vs spyrrow")
    if args.long:
        out += [""] + long_runs(seconds=args.long, workers=args.workers)
    if args.big:
        out += [""] + big_markers(seconds=args.big, workers=args.workers)
    if not args.no_scaling:
        out += [""] + scaling()
    out += ["", f"Command: `.venv/bin/python -m bench.bench_nesting {' '.join(sys.argv[1:])}`".rstrip(), ""]
    text = "\n".join(out)
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(RESULTS, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
