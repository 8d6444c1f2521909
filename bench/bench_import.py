"""Import speed of AAMA pattern DXF: ``python -m bench import``.

Writes AAMA files of 50, 100, 200 and 500 pieces (the bundled tee, trousers and shirt
repeated in more and more graded sizes, fold pieces as halves) into a temporary folder and
times :func:`kitcut.formats.reading.read.read_pattern` on each, best of three. The aim is < 3 s for
500 pieces.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from kitcut.formats.writing.aama_write import write_aama
from kitcut.model import Drill, Line, Notch, Pattern, Piece
from kitcut.samples.generate import pattern

__all__ = ["COUNTS", "graded_pattern", "main"]

COUNTS = (50, 100, 200, 500)
AIM_SECONDS = 3.0


def _scale_line(line: Line | None, f: float) -> Line | None:
    return None if line is None else Line(line.points * f, line.closed)


def _scaled(piece: Piece, f: float, size: str) -> Piece:
    """``piece`` scaled by ``f`` about the origin (a crude grade), named size ``size``."""
    return replace(
        piece,
        size=size,
        outline=piece.outline * f,
        grain=_scale_line(piece.grain, f),
        fold_line=_scale_line(piece.fold_line, f),
        notches=tuple(Notch(n.x * f, n.y * f, n.angle_deg, n.kind, n.depth, n.width) for n in piece.notches),
        drills=tuple(Drill(d.x * f, d.y * f, d.diameter) for d in piece.drills),
        internal_lines=tuple(_scale_line(ln, f) for ln in piece.internal_lines),
        cutouts=tuple(c * f for c in piece.cutouts),
    )


def graded_pattern(n: int) -> Pattern:
    """A pattern of exactly ``n`` pieces: the sample pieces in as many sizes as it takes."""
    base = [p for g in ("tee", "trousers", "shirt") for p in pattern(g).pieces if p.size in ("M", "40")]
    pieces: list[Piece] = []
    k = 0
    while len(pieces) < n:
        f = 0.9 + 0.01 * k
        pieces += [_scaled(p, f, f"G{k:02d}") for p in base]
        k += 1
    return Pattern(tuple(pieces[:n]), style=f"BENCH-{n}")


def main() -> int:
    try:
        read = importlib.import_module("kitcut.formats.reading.read")
    except ImportError as exc:
        print(f"skipped: the pattern reader is not available yet ({exc})")
        return 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="kitcut-bench-import-") as tmp:
        for n in COUNTS:
            pat = graded_pattern(n)
            path = Path(tmp) / f"bench_{n}.dxf"
            write_aama(pat, path, folded=True)
            vertices = sum(len(p.outline) for p in pat.pieces)
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                got = read.read_pattern(path)
                best = min(best, time.perf_counter() - t0)
            if len(got.pieces) != n:
                print(f"warning: read {len(got.pieces)} pieces from {path.name}, wrote {n}", file=sys.stderr)
            rows.append((n, vertices, path.stat().st_size, best))
    print("| pieces | vertices | file KiB | seconds (best of 3) | pieces/s |")
    print("|---:|---:|---:|---:|---:|")
    for n, v, size, s in rows:
        print(f"| {n} | {v} | {size / 1024:.0f} | {s:.3f} | {n / s:.0f} |")
    n, _, _, s = rows[-1]
    verdict = "meets" if s < AIM_SECONDS else "MISSES"
    print(f"\n{n} pieces in {s:.2f} s: {verdict} the aim of < {AIM_SECONDS:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
