"""Pattern DXF files with names in a given encoding, made the way Chinese CAD makes them.

kitcut's AAMA writer (and ezdxf) write R12 texts in ASCII with ``\\U+XXXX`` escapes. These
helpers turn the escapes back into raw bytes of the wanted encoding and take out or put in the
``$DWGCODEPAGE`` header: :func:`aama_file` with ``header=False`` is like an ET CAD export (R12,
GBK, no HEADER section at all); :func:`plain_file` is a plain R2000 drawing (LWPOLYLINE cut
lines with a TEXT inside each).
"""

from __future__ import annotations

import io
import re
import unicodedata

import ezdxf
import numpy as np

from kitcut.formats.writing.aama_write import aama_bytes, aama_document
from kitcut.model import Pattern, Piece

__all__ = ["rect", "aama_file", "plain_file", "raw_bytes", "as_cp1258"]

_ESC = re.compile(r"\\U\+([0-9a-fA-F]{4})")
_CODEPAGE = re.compile(r"  9\r?\n\$DWGCODEPAGE\r?\n  3\r?\n[^\r\n]*\r?\n")


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def as_cp1258(s: str) -> str:
    """Vietnamese ``s`` as cp1258 writes it: precomposed letters, tone marks as combining
    characters (so not in Unicode normal form C)."""
    out = []
    for c in unicodedata.normalize("NFC", s):
        try:
            c.encode("cp1258")
            out.append(c)
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", c)
            out.append(unicodedata.normalize("NFC", "".join(x for x in d if x not in _TONES))
                       + "".join(x for x in d if x in _TONES))
    return "".join(out)


def rect(w: float, h: float) -> np.ndarray:
    return np.array([(0, 0), (w, 0), (w, h), (0, h)], dtype=float)


def raw_bytes(ascii_dxf: str, codec: str, codepage: str | None = None, *, header: bool = True) -> bytes:
    """``ascii_dxf`` (escaped texts) with its texts as raw ``codec`` bytes; ``$DWGCODEPAGE``
    removed, or set to ``codepage``; ``header=False`` drops the whole HEADER section."""
    text = _ESC.sub(lambda m: chr(int(m.group(1), 16)), ascii_dxf)
    text = _CODEPAGE.sub("", text)
    if not header:
        text = re.sub(r"  0\r?\nSECTION\r?\n  2\r?\nHEADER\r?\n.*?  0\r?\nENDSEC\r?\n", "", text, count=1,
                      flags=re.S)
    elif codepage:
        text = re.sub(r"(  2\r?\nHEADER\r?\n)", lambda m: f"{m.group(1)}  9\n$DWGCODEPAGE\n  3\n{codepage}\n",
                      text, count=1)
    return text.encode(codec)


def aama_file(path, names, codec: str, *, sizes=("M",), codepage: str | None = None, header: bool = True,
              style: str = "T1"):
    """An AAMA file of one rectangle per name and size, texts in ``codec``."""
    pieces = tuple(Piece(n, rect(100 + 10 * i, 50), size=s) for i, n in enumerate(names) for s in sizes)
    data = aama_bytes(aama_document(Pattern(pieces, style=style))).decode("ascii")
    path.write_bytes(raw_bytes(data, codec, codepage, header=header))
    return path


def plain_file(path, names, codec: str, *, codepage: str | None = None, version: str = "R2000",
               mtext: bool = False):
    """A plain drawing: one closed LWPOLYLINE per name with a ``Piece Name:`` TEXT inside; with
    ``mtext``, each of ``names`` is a whole label, one MTEXT (``Деталь: Рукав\\PРазмер: 48``)."""
    doc = ezdxf.new(version)
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for i, name in enumerate(names):
        x = 300.0 * i
        msp.add_lwpolyline([(x, 0), (x + 200, 0), (x + 200, 100), (x, 100)], close=True,
                           dxfattribs={"layer": "CUT"})
        if mtext:
            msp.add_mtext(name, dxfattribs={"insert": (x + 20, 80), "char_height": 5, "layer": "TEXT"})
        else:
            msp.add_text(f"Piece Name: {name}", dxfattribs={"insert": (x + 20, 50), "height": 5})
    stream = io.StringIO()
    doc.write(stream)
    path.write_bytes(raw_bytes(stream.getvalue(), codec, codepage))
    return path
