"""How kitcut reads garment names in each language's code page: a table, language x case.

Each case writes pattern DXF files (AAMA with sizes and a style, or a plain drawing with a
``Piece Name:`` text per piece) whose names are drawn from ``garment_names.LANGUAGES``, in the
language's code page, with no ``$DWGCODEPAGE``, with the right one, or with a wrong one
(``ANSI_1252``; ``ANSI_1251`` for the cp1252 languages), reads them with ``read_pattern`` and
sorts the outcome: ``right`` (every name exact), ``remark`` (wrong, but a remark names the
right encoding, as the ``--encoding`` to give or as another reading it shows) or ``garbled``
(wrong without saying how to fix it); a cell counts them as ``R``, ``H`` (a hint) and ``G``.
Run ``python tests/encoding_table.py [SAMPLES]`` for the README's table.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

from encoded_dxf import aama_file, as_cp1258, plain_file
from garment_names import LANGUAGES, Language

from kitcut.formats.reading.read import read_pattern

__all__ = ["CASES", "make_case", "outcome", "table"]

#: (format, code page declared): "none", "right" (the language's own) or "wrong"
CASES = [(fmt, decl) for fmt in ("aama", "plain") for decl in ("none", "right", "wrong")]


def _written(lang: Language, s: str) -> str:
    return as_cp1258(s) if lang.codec == "cp1258" else s


def pick(lang: Language, rnd: random.Random) -> tuple[list[str], list[str], str]:
    """A few piece names, one or two sizes and a style of ``lang``."""
    pieces = rnd.sample(lang.pieces, rnd.randint(2, 4))
    sizes = rnd.sample(lang.sizes, rnd.randint(1, 2))
    return pieces, sizes, rnd.choice(lang.styles)


def make_case(path: Path, lang: Language, fmt: str, decl: str, pieces, sizes, style) -> Path:
    """The file of one case; ``decl`` is "none", "right" or "wrong"."""
    codepage = {"none": None, "right": lang.codepage,
                "wrong": "ANSI_1251" if lang.codec == "cp1252" else "ANSI_1252"}[decl]
    w = [_written(lang, n) for n in pieces]
    if fmt == "plain":
        return plain_file(path, w, lang.codec, codepage=codepage, version="R2000")
    return aama_file(path, w, lang.codec, sizes=tuple(_written(lang, s) for s in sizes), codepage=codepage,
                     style=_written(lang, style))


def outcome(path: Path, lang: Language, fmt: str, pieces, sizes, style) -> tuple[str, list[str]]:
    """``("right" | "remark" | "garbled", the text encoding remarks)``."""
    pattern = read_pattern(path)
    notes = [e.message for e in pattern.report.entries if "encoding" in e.message]
    if fmt == "plain":
        right = sorted(p.name for p in pattern.pieces) == sorted(pieces)
    else:
        right = ([(p.name, p.size) for p in pattern.pieces] == [(n, s) for n in pieces for s in sizes]
                 and pattern.style == style)
    if right:
        return "right", notes
    import codecs

    names = {lang.codec, codecs.lookup(lang.codec).name} | ({"euc_kr"} if lang.codec == "cp949" else set())
    told = any(f"--encoding {n}" in note or f"{n} '" in note for note in notes for n in names)
    return ("remark" if told else "garbled"), notes


def table(samples: int = 6, seed: int = 1, out=sys.stdout) -> dict:
    """Measure every language x case on ``samples`` random garments; print a markdown table."""
    rnd = random.Random(seed)
    counts: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for lang in LANGUAGES.values():
            for fmt, decl in CASES:
                c = counts.setdefault((lang.code, fmt, decl), {"right": 0, "remark": 0, "garbled": 0})
                for i in range(samples):
                    pieces, sizes, style = pick(lang, rnd)
                    path = make_case(Path(tmp) / f"{lang.code}-{fmt}-{decl}-{i}.dxf", lang, fmt, decl,
                                     pieces, sizes, style)
                    got, notes = outcome(path, lang, fmt, pieces, sizes, style)
                    c[got] += 1
                    if got != "right" and "-v" in sys.argv:
                        print(lang.code, fmt, decl, got, pieces, notes, file=sys.stderr)
    heads = [f"{fmt} {decl}" for fmt, decl in CASES]
    print("| language (code page) | " + " | ".join(heads) + " |", file=out)
    print("|---" * (len(heads) + 1) + "|", file=out)
    for lang in LANGUAGES.values():
        cells = []
        for fmt, decl in CASES:
            c = counts[(lang.code, fmt, decl)]
            cells.append(" ".join(f"{c[k]}{a}" for k, a in (("right", "R"), ("remark", "H"), ("garbled", "G"))
                                  if c[k]))
        print(f"| {lang.code} ({lang.codec}) | " + " | ".join(cells) + " |", file=out)
    return counts


if __name__ == "__main__":
    table(int(next((a for a in sys.argv[1:] if a.isdigit()), 6)))
