"""Batch throughput: orders per hour at a given time per marker, for 1, 2 and all workers.

``python -m bench batch`` builds N small tee orders (one jersey marker per order, every default
export format) with ``nest batch`` semantics into a temporary folder,
once per worker count, and prints a table. Settings (environment):
``KITCUT_BENCH_ORDERS`` (default 6), ``KITCUT_BENCH_TIME`` (search seconds per marker, default 2).

With one worker the orders run one after another and each search may use every core; with N
workers N orders run at once, each search on one core. The search time per marker is fixed, so
throughput is bounded by ``3600 / time`` orders per hour per worker, less the fixed cost
(reading, exports, labels, report, worker start) that this benchmark also measures. Failed
orders are counted, not hidden.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ORDER = """[order]
id = "{id}"
customer = "Bench"

[[garments]]
pattern = "tee.dxf"
sizes = {{ {sizes} }}

[[fabrics]]
name = "jersey"
width_mm = 1500
spacing_mm = 2
"""

SIZES = ["M = 1", "S = 1, L = 1", "M = 2", "L = 1", "S = 2", "M = 1, L = 1"]


def make_orders(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "samples" / "tee.dxf", folder / "tee.dxf")
    for i in range(n):
        (folder / f"B-{i:03d}.toml").write_text(ORDER.format(id=f"B-{i:03d}", sizes=SIZES[i % len(SIZES)]))


def run(n_orders: int, time_s: float, workers: int, tmp: Path) -> dict:
    from kitcut.kits.batch import BatchOptions, run_batch
    from kitcut.kits.kit import KitOptions

    orders = tmp / f"orders-{workers}"
    make_orders(orders, n_orders)
    kits = tmp / f"kits-{workers}"
    t0 = time.perf_counter()
    s = run_batch(orders, kits, BatchOptions(workers=workers, kit=KitOptions(time_limit=time_s, seed=1)))
    wall = time.perf_counter() - t0
    failed = [o.message for o in s.outcomes if o.status == "failed"]
    done = s.count("done")
    return {"workers": workers, "done": done, "failed": failed, "wall": wall, "per_hour": 3600 * done / wall,
            "metres": s.metres, "eff": s.mean_efficiency or 0.0}


def main() -> int:
    n = int(os.environ.get("KITCUT_BENCH_ORDERS", "6"))
    t = float(os.environ.get("KITCUT_BENCH_TIME", "2"))
    cores = os.cpu_count() or 1
    counts = sorted({1, 2, cores})
    failures: list[str] = []
    print(f"{n} tee orders (1 marker each, default exports), {t:g} s per marker, {cores} cores\n")
    with tempfile.TemporaryDirectory() as tmp:
        run(1, min(t, 0.5), 1, Path(tmp) / "warm")  # imports and JIT warm-up
        print(f"{'workers':>7} {'done':>5} {'failed':>6} {'wall s':>8} {'orders/h':>9} {'s/order':>8} "
              f"{'metres':>8} {'eff %':>6}")
        for w in counts:
            r = run(n, t, w, Path(tmp))
            per = r["wall"] / max(r["done"], 1)
            print(f"{w:>7} {r['done']:>5} {len(r['failed']):>6} {r['wall']:8.1f} {r['per_hour']:9.0f} "
                  f"{per:8.2f} {r['metres']:8.2f} {100 * r['eff']:6.1f}")
            failures += r["failed"]
    print(f"\nsearch-time bound per worker: {3600 / t:.0f} orders/h (1 marker x {t:g} s)")
    for msg in sorted(set(failures)):
        print(f"failed: {msg}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
