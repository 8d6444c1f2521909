"""The long fuzz run: ``python -m tests.fuzz.long --minutes 10``.

Mutates every corpus file (samples, real DXF files, order files) with every mutator and random
seeds, and runs ``nest info`` (DXF), ``nest FILE`` with a short search (every 8th DXF input)
or order loading and planning (``load_order`` + ``plan_order``; every 10th input), and
benchmark JSON instances (every 10th input). Each run
happens in a child process that is replaced when it hangs or dies (:mod:`tests.fuzz.pool`),
so a segfault or a hang inside C code is recorded, not fatal; outcomes are classified by
:func:`tests.fuzz.runner.classify`. Failing inputs are saved to ``tests/fuzz/findings/`` with
the command line; a summary (inputs per mutator, ok / clear error / crash / hang) is printed
and written as JSON with ``--json``. Exit status 1 when any crash or hang was found.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from .corpus import ROOT, dxf_corpus, json_corpus, order_corpus
from .mutate import DXF_MUTATORS, JSON_MUTATORS, ORDER_MUTATORS, mutate
from .pool import SafeRunner
from .runner import classify

FINDINGS = Path(__file__).parent / "findings"


def dxf_argv(path: Path, out: Path, nest: bool) -> list[str]:
    if nest:
        return ["run", str(path), "-q", "-t", "1", "--workers", "1", "--seed", "1", "--iterations", "200",
                "-o", str(out)]
    return ["info", str(path), "--json"]


def one_dxf(runner: SafeRunner, src: Path, name: str, seed: int, work: Path, nest: bool, timeout: float):
    data = mutate(src.read_bytes(), name, seed)
    path = work / f"{src.stem}.{name}.{seed}{src.suffix}"
    path.write_bytes(data)
    o = runner.cli(dxf_argv(path, work / "out", nest), timeout=timeout)
    return o, path


def order_folder(work: Path) -> Path:
    """A folder with the bundled samples, where mutated orders are written and planned."""
    folder = work / "orders"
    if not folder.is_dir():
        folder.mkdir()
        for p in sorted((ROOT / "samples").glob("*.dxf")):
            shutil.copy(p, folder / p.name)
    return folder


def one_order(runner: SafeRunner, src: Path, name: str, seed: int, work: Path, timeout: float):
    data = mutate(src.read_bytes(), name, seed, ORDER_MUTATORS)
    path = order_folder(work) / f"fuzz-{name}-{seed}.toml"
    path.write_bytes(data)
    try:
        o = runner.order(path, timeout=timeout)
    finally:
        path.unlink()
    return o, data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--nest-every", type=int, default=8, help="every Nth DXF input is also nested")
    ap.add_argument("--timeout", type=float, default=60.0, help="time bound of one run (s)")
    ap.add_argument("--json", help="write the summary here")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    dxfs, orders, jsons = dxf_corpus(), order_corpus(), json_corpus()
    counts: dict[str, Counter] = defaultdict(Counter)
    bad = []
    end = time.monotonic() + 60 * args.minutes
    n = 0
    with tempfile.TemporaryDirectory(prefix="kitcut-fuzz-") as tmp, SafeRunner() as runner:
        work = Path(tmp)
        while time.monotonic() < end:
            n += 1
            seed = rng.randrange(2**31)
            if jsons and n % 10 == 5:
                src = rng.choice(jsons)
                name = rng.choice(sorted(JSON_MUTATORS))
                path = work / f"{src.stem}.{name}.{seed}.json"
                data = mutate(src.read_bytes(), name, seed, JSON_MUTATORS)
                path.write_bytes(data)
                nest = n % 20 == 5
                o = runner.cli(["run", str(path), "-q", "-t", "1", "--workers", "1", "--seed", "1",
                                "--iterations", "100", "-o", str(work / "out")] if nest else
                               ["info", str(path), "--json"], timeout=args.timeout)
                path.unlink()
                key = f"json-{'nest' if nest else 'info'}:{name}"
            elif orders and n % 10 == 0:
                src = rng.choice(orders)
                name = rng.choice(sorted(ORDER_MUTATORS))
                o, data = one_order(runner, src, name, seed, work, args.timeout)
                key = f"order:{name}"
            else:
                src = rng.choice(dxfs)
                name = rng.choice(sorted(DXF_MUTATORS))
                nest = n % args.nest_every == 0
                o, path = one_dxf(runner, src, name, seed, work, nest, args.timeout)
                key = f"{'nest' if nest else 'info'}:{name}"
                data = path.read_bytes()
                path.unlink()
            kind = classify(o)
            counts[key][kind] += 1
            if kind in ("crash", "hang"):
                FINDINGS.mkdir(exist_ok=True)
                stem = f"{src.stem}.{name}.{seed}"
                (FINDINGS / (stem + src.suffix)).write_bytes(data)
                (FINDINGS / (stem + ".txt")).write_text(
                    f"source {src}\nmutator {name} seed {seed}\nargv {o.argv}\nkind {kind} exit {o.code} "
                    f"{o.seconds:.1f}s\n{o.stderr[-3000:]}\n{o.crash[-5000:]}\n", errors="replace")
                bad.append(stem)
                print(f"FOUND {kind}: {stem}: {o.stderr.strip()[-300:]} {o.crash[-300:]}", flush=True)
    total = Counter()
    for c in counts.values():
        total.update(c)
    summary = {"seed": args.seed, "minutes": args.minutes, "inputs": sum(total.values()),
               "outcomes": dict(total), "by_mutator": {k: dict(v) for k, v in sorted(counts.items())},
               "findings": bad}
    print(json.dumps(summary, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=1) + "\n", errors="replace")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
