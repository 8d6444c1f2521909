"""What matching costs: marker length with and without matching, per sample and repeat.

    .venv/bin/python -m bench.bench_matching [--time 20] [--seeds 1] [--samples tee shirt ...]

Each bundled sample (every size once, 1500 mm, 2 mm spacing, two-way nap, pairs; its match
points from ``samples/<name>.match.toml``) is nested on plain fabric and on stripes and checks
of 20, 50 and 100 mm, with the same seed and the same time, one after the other. Prints a table
(length, efficiency, cost = length matched / plain - 1, validity by the independent validator)
and writes it to ``bench/results/matching.md``. Settings: ``KITCUT_BENCH_MATCH_TIME``.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace
from pathlib import Path

from kitcut.fileio import atomic_write

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results" / "matching.md"
SAMPLES = ("tee", "trousers", "shirt")
#: (label, along the roll, across): stripes across the roll (horizontal in the garment) and checks
REPEATS = [("stripes 20", 20.0, 0.0), ("stripes 50", 50.0, 0.0), ("stripes 100", 100.0, 0.0),
           ("checks 20", 20.0, 20.0), ("checks 50", 50.0, 50.0), ("checks 100", 100.0, 100.0)]


def _nest(pattern, rules, seconds: float, seed: int):
    from kitcut.kits.marker import nest_pattern

    t = time.monotonic()
    m = nest_pattern(pattern, rules, time_limit=seconds, seed=seed, workers=1, matching_reference=0.0)
    return m, time.monotonic() - t


def main(argv: list[str] | None = None) -> int:
    from kitcut.kits.quantities import load_pattern
    from kitcut.model import Repeat, Rules
    from kitcut.nesting import warmup

    ap = argparse.ArgumentParser(prog="python -m bench.bench_matching")
    ap.add_argument("--time", type=float, default=float(os.environ.get("KITCUT_BENCH_MATCH_TIME", 20)))
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--samples", nargs="*", default=list(SAMPLES))
    args = ap.parse_args([] if argv is None else argv)
    warmup()
    rows = ["| sample | fabric | seed | matched pieces | length mm | efficiency | cost | valid |",
            "|---|---|---|---|---|---|---|---|"]
    costs = []
    for name in args.samples:
        path = ROOT / "samples" / f"{name}.dxf"
        pattern = load_pattern(path)
        base = Rules(width=1500.0, spacing=2.0)
        for seed in range(1, args.seeds + 1):
            plain, _ = _nest(pattern, base, args.time, seed)
            rows.append(f"| {name} | plain | {seed} | 0 | {plain.length:,.1f} | {plain.efficiency:.1%} | - "
                        "| yes |")
            for label, rx, ry in REPEATS:
                rules = replace(base, repeat=Repeat(rx, ry))
                try:
                    m, _ = _nest(pattern, rules, args.time, seed)
                except Exception as exc:  # a failure is a row, not a crash
                    rows.append(f"| {name} | {label} | {seed} | - | - | - | - | no: {exc} |")
                    continue
                matched = len(m.stats.get("matching", {}).get("matched", []))
                cost = m.length / plain.length - 1.0
                costs.append(cost)
                rows.append(f"| {name} | {label} | {seed} | {matched} | {m.length:,.1f} | "
                            f"{m.efficiency:.1%} | {cost:+.1%} | yes |")
            print("\n".join(rows[-len(REPEATS) - 1:]), flush=True)
    mean = sum(costs) / len(costs) if costs else float("nan")
    text = "\n".join(rows) + f"\n\nMean cost of matching over {len(costs)} runs: {mean:+.2%} " \
                             f"({args.time:g} s per marker, one worker).\n"
    print("\n" + text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(RESULTS, text)
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
