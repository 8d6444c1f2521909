"""Write the bundled sample patterns: ``python -m kitcut.samples.generate [FOLDER]``.

The T-shirt, trousers and shirt of :mod:`kitcut.samples.garments` are written as AAMA DXF
(millimetres, ``Units: METRIC``) with :func:`kitcut.formats.writing.aama_write.write_aama`, pieces on
the fold as halves with a layer-6 fold line; and each as the pair CAD exchanges, the middle
size with grade rule labels plus its ``.RUL`` grade rule table
(:func:`kitcut.formats.writing.graded_write.write_graded`). The output is deterministic: running
it again reproduces the committed files byte for byte.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kitcut.formats.writing.aama_write import write_aama
from kitcut.formats.writing.graded_write import write_graded
from kitcut.model import Pattern, Piece
from kitcut.samples.garments import GARMENTS

__all__ = ["pattern", "generate", "main"]


def pattern(garment: str) -> Pattern:
    """The sample ``garment`` (``tee``, ``trousers``, ``shirt``) in all its sizes."""
    build, sizes, style = GARMENTS[garment]
    pieces: list[Piece] = []
    for size in sizes:
        pieces += build(size)
    return Pattern(tuple(pieces), style=style, source=f"{garment}.dxf")


def generate(folder: str | Path) -> list[Path]:
    """Write ``<garment>.dxf`` (every size) for every sample garment into ``folder``, then each
    garment's exchange pair ``<garment>-base.dxf`` (the middle size with grade rule labels) and
    ``<garment>-base.rul`` (its grade rule table); return the paths."""
    out = []
    for garment in GARMENTS:
        path = Path(folder) / f"{garment}.dxf"
        write_aama(pattern(garment), path, units="mm", folded=True)
        out.append(path)
    for garment in GARMENTS:
        base = Path(folder) / f"{garment}-base.dxf"
        write_graded(pattern(garment), base, units="mm", folded=True)
        out += [base, base.with_suffix(".rul")]
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = args[0] if args else str(Path(__file__).resolve().parent)
    for path in generate(folder):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
