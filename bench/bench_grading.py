"""Grading against the CAD's own sizes: ``python -m bench grading``.

For every real all-size AAMA/ASTM export in ``../shared/data/dxf`` that carries grade rule
labels: derive each rule's offset in every size from the drawn sizes, write them as a ``.RUL``,
grade the sample size with kitcut and compare with the sizes the CAD drew
(:func:`kitcut.formats.reading.grade_check.check_export`); then write the sample size alone with
that ``.RUL`` (the pair a CAD exports for exchange), read it with ``nest``'s reader and compare
the built outlines with the drawn ones (Hausdorff distance). Prints a Markdown table; distances
in mm. Set ``KITCUT_SHARED_DXF`` to read another folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from kitcut.formats.reading.grade_check import check_export, compare_reads, write_base_pair

__all__ = ["main", "FOLDER"]

FOLDER = Path(os.environ.get("KITCUT_SHARED_DXF",
                            Path(__file__).resolve().parents[2] / "shared" / "data" / "dxf"))

HEAD = ("| file | units | pieces × sizes | rules (renumbered) | grade points: max (count) | intermediate "
        "cut-line points to the CAD's line: median / 95 % / max | ... to the same vertex: max | internal "
        "points with a rule | without a rule | notches | drills | built outlines: Hausdorff max / area | s |")


def _fmt(v) -> str:
    return "–" if v is None else f"{v:.2f}"


def main(argv: list[str] | None = None) -> int:
    files = sorted(p for p in FOLDER.glob("*") if p.suffix.lower() == ".dxf") if FOLDER.is_dir() else []
    if not files:
        print(f"no DXF files in {FOLDER}: nothing to check (set KITCUT_SHARED_DXF to a folder of real "
              "all-size exports)", file=sys.stderr)
        return 0
    print(HEAD)
    print("|" + "|".join("---" for _ in HEAD.split("|")[1:-1]) + "|")
    notes = []
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            t0 = time.perf_counter()
            res = check_export(f)
            if not res.pieces:
                continue
            skip = {tuple(n.split(": ")[0].rsplit(" ", 1)) for n in res.notes if "not compared" in n}
            dxf, _ = write_base_pair(f, tmp, res)
            hd, area, _ = compare_reads(f, dxf, skip=skip)
            print(f"| {f.name} | {res.units} | {res.pieces} × {res.sizes} | {res.rules} ({res.renumbered}) | "
                  f"{res.grade_points:.3f} ({res.grade_point_count}) | {res.between_median:.2f} / "
                  f"{res.between_p95:.2f} / {res.between:.2f} | {_fmt(res.between_vertex)} | "
                  f"{res.internal_ruled:.2f} | {res.internal_free:.1f} | {res.notches:.2f} | "
                  f"{res.drills:.1f} | "
                  f"{hd:.2f} / {area:.2f} % | {time.perf_counter() - t0:.1f} |", flush=True)
            notes += [f"{f.name}: {n}" for n in res.notes if "not compared" in n or "offsets 0" in n]
    for n in notes:
        print(f"- {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
