"""A/B of two revisions of kitcut, side by side: ``python -m bench.ab REV_A REV_B [NAMES...]``.

How a lever of the nesting core is judged (the README's "Tried and not kept" list): commit the
variant on a branch, then run it against the code before it. Each revision is checked out in a
temporary worktree and imported from there (a package tree of links laid out as the
revision's ``pyproject.toml`` maps it); the two run at the same time, one search process each,
on the same instances and seeds, so the machine's load falls on both alike. The instances are
those of ``bench.bench_nesting.load`` (ESICUP names such as ``swim``, the real exports such as
``annotation.DXF``, the bundled samples), built by each revision's own code. Every marker is
validated. Printed: each run's lengths, the ratio B/A, and their geometric mean.

``--iterations N`` bounds each search by sweeps instead of time: the runs are then reproducible,
and two revisions whose search is the same give the same lengths (a ratio of exactly 1).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
#: what a default run covers: the apparel instances of goal 1
APPAREL = ("shirts", "trousers", "swim", "albano", "dagli", "mao", "marques")

_RUN = """
import json, sys
from bench.bench_nesting import load
from kitcut.nesting import solve, validate, warmup
names, seeds, secs, iters, out = json.loads(sys.argv[1])
warmup()
res = {}
for name in names:
    inst = load(name)
    for s in seeds:
        sol = solve(inst, time_limit=secs, seed=s, workers=1, max_iterations=iters)
        validate(inst, sol)
        res[f"{name}#{s}"] = [sol.length, sol.stats.get("iterations")]
        with open(out, "w") as f:
            json.dump(res, f)
"""


def _git(*args: str) -> str:
    r = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"bench.ab: git {' '.join(args[:2])} failed in {ROOT} (a git checkout is needed, "
                         f"and revisions it knows): {r.stderr.strip()}")
    return r.stdout.strip()


def link_tree(tree: Path, into: Path) -> Path:
    """A folder under ``into`` from which ``import kitcut`` takes the revision checked out in
    ``tree``: a ``kitcut`` package of links to the folders its ``pyproject.toml`` maps."""
    mapping = tomllib.loads((tree / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    pkg = into / "kitcut"
    pkg.mkdir(parents=True)
    for entry in (tree / mapping["kitcut"]).iterdir():
        if entry.name != "__pycache__":
            (pkg / entry.name).symlink_to(entry)
    for name, folder in mapping.items():
        parts = name.split(".")[1:]
        if len(parts) == 1:  # kitcut.nesting -> nesting/ (deeper names live inside those)
            (pkg / parts[0]).symlink_to(tree / folder)
    return into


def run_pair(rev_a: str, rev_b: str, names: list[str], seeds: list[int], seconds: float,
             iterations: int | None) -> dict[str, dict]:
    """The results ``{"A": {run: [length, iterations]}, "B": {...}}`` of both revisions."""
    shas = {"A": _git("rev-parse", "--verify", rev_a + "^{commit}"),
            "B": _git("rev-parse", "--verify", rev_b + "^{commit}")}
    with tempfile.TemporaryDirectory(prefix="kitcut-ab-") as tmp:
        base = Path(tmp)
        procs, outs, trees = {}, {}, []
        try:
            for side, sha in shas.items():
                tree = base / f"tree-{side}"
                _git("worktree", "add", "--detach", "--quiet", str(tree), sha)
                trees.append(tree)
                pkg = link_tree(tree, base / f"pkg-{side}")
                outs[side] = base / f"{side}.json"
                env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(pkg), str(ROOT)])}
                arg = json.dumps([names, seeds, seconds, iterations, str(outs[side])])
                procs[side] = subprocess.Popen([sys.executable, "-c", _RUN, arg], cwd=pkg, env=env)
            failed = [side for side, p in procs.items() if p.wait() != 0]
            if failed:
                raise SystemExit(f"bench.ab: revision {', '.join(failed)} failed (see above)")
            return {side: json.loads(out.read_text()) for side, out in outs.items()}
        finally:
            for p in procs.values():
                if p.poll() is None:
                    p.kill()
            for tree in trees:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                               capture_output=True)


def table(results: dict[str, dict]) -> tuple[list[str], float]:
    """The printed lines and the geometric mean of B/A over the runs both made."""
    a, b = results["A"], results["B"]
    lines = ["| run | A length | B length | B/A | A iterations | B iterations |", "|---|---|---|---|---|---|"]
    logs = []
    for key in a:
        if key in b:
            r = b[key][0] / a[key][0]
            logs.append(math.log(r))
            lines.append(f"| {key} | {a[key][0]:.3f} | {b[key][0]:.3f} | {r:.4f} | {a[key][1]} | "
                         f"{b[key][1]} |")
    mean = math.exp(sum(logs) / len(logs)) if logs else float("nan")
    lines.append(f"\nGeometric mean B/A over {len(logs)} runs: {mean:.4f}")
    return lines, mean


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__.split("\n\n")[0])
    ap.add_argument("rev_a", help="the revision to compare against (e.g. main)")
    ap.add_argument("rev_b", help="the variant (e.g. a branch)")
    ap.add_argument("names", nargs="*", help=f"instances (default: {' '.join(APPAREL)})")
    ap.add_argument("--time", type=float, default=60.0, help="seconds per search (default 60)")
    ap.add_argument("--seeds", default="1,2", help="comma-separated seeds (default 1,2)")
    ap.add_argument("--iterations", type=int, default=None,
                    help="sweeps per search instead of a time limit (reproducible)")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    seconds = args.time if args.iterations is None else 1e9
    results = run_pair(args.rev_a, args.rev_b, args.names or list(APPAREL), seeds, seconds, args.iterations)
    lines, _ = table(results)
    print(f"A = {args.rev_a}, B = {args.rev_b}")
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
