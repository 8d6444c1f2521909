"""Run every ``bench/bench_*.py`` module's ``main()`` in turn (``python -m bench``).

``python -m bench import`` runs only the modules whose name contains ``import``.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    wanted = sys.argv[1:] if argv is None else argv
    names = sorted(p.stem for p in Path(__file__).resolve().parent.glob("bench_*.py"))
    names = [n for n in names if not wanted or any(w in n for w in wanted)]
    failed = []
    for name in names:
        print(f"## {name}\n", flush=True)
        t0 = time.perf_counter()
        try:
            rc = importlib.import_module(f"bench.{name}").main()
        except Exception:  # one broken benchmark must not hide the others
            traceback.print_exc()
            rc = 1
        if rc:
            failed.append(name)
        print(f"\n({name}: {time.perf_counter() - t0:.1f} s)\n", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
