"""Write grade rule tables (``.RUL``, AAMA / ASTM D6673), the companion of a base-size DXF.

The layout is the one :mod:`kitcut.formats.reading.rul` documents: a header, then ``RULE: DELTA
n`` and its ``dx, dy`` pairs (offsets from the sample size, one per size in SIZE LIST order),
four pairs per line, then ``END``. Output is deterministic: no creation date or time (two
writes of the same table are byte-identical), fixed decimals (4 in mm: 0.1 µm; 5 in inches:
0.25 µm), ``\\n`` line ends.

>>> import numpy as np
>>> from kitcut.formats.reading.rul import GradeRules
>>> t = GradeRules(("S", "M", "L"), "M", {1: np.array([[-5.0, 0.0], [0.0, 0.0], [5.0, 2.5]])}, table="T")
>>> print(rul_text(t).splitlines()[-3:])
['RULE: DELTA 1', '   -5.0000,    0.0000     0.0000,    0.0000     5.0000,    2.5000', 'END']
"""

from __future__ import annotations

import numpy as np

from kitcut.errors import UnitsError
from kitcut.fileio import atomic_write
from kitcut.formats.reading.rul import GradeRules
from kitcut.formats.reading.units import MM_PER_UNIT

__all__ = ["rul_text", "write_rul", "RUL_VERSION_LINE"]

#: The first line, as AccuMark's ASTM exports write it in their DXF.
RUL_VERSION_LINE = "ASTM/D13Proposal 1 Version: D 6673-04"
_UNITS_TEXT = {"mm": "METRIC", "in": "ENGLISH"}
_DECIMALS = {"mm": 4, "in": 5}
PAIRS_PER_LINE = 4


def rul_text(rules: GradeRules, *, units: str = "mm", author: str = "kitcut") -> str:
    """The ``.RUL`` text of ``rules`` (millimetres inside) written in ``units`` (``mm`` or ``in``)."""
    if units not in _UNITS_TEXT:
        raise UnitsError(f"cannot write a grade rule table in {units!r}; use 'mm' or 'in'")
    f = 1.0 / MM_PER_UNIT[units]
    dec = _DECIMALS[units]
    lines = [
        RUL_VERSION_LINE,
        f"AUTHOR: {author}",
        "PRODUCT: kitcut",
        "VERSION: 1",
        f"UNITS: {_UNITS_TEXT[units]}",
        f"GRADE RULE TABLE: {rules.table or 'kitcut'}",
        f"NUMBER OF SIZES: {len(rules.sizes)}",
        f"SIZE LIST: {' '.join(rules.sizes)}",
        f"SAMPLE SIZE: {rules.sample}",
    ]
    width = dec + 6
    for number in sorted(rules.deltas):
        lines.append(f"RULE: DELTA {number}")
        table = np.asarray(rules.deltas[number], dtype=np.float64) * f
        pairs = [f"{_num(dx, dec):>{width}},{_num(dy, dec):>{width}}" for dx, dy in table]
        for i in range(0, len(pairs), PAIRS_PER_LINE):
            lines.append(" ".join(pairs[i:i + PAIRS_PER_LINE]))
    lines.append("END")
    return "\n".join(lines) + "\n"


def _num(v: float, dec: int) -> str:
    s = f"{v:.{dec}f}"
    return s[1:] if s.startswith("-") and float(s) == 0.0 else s  # no -0.0000


def write_rul(rules: GradeRules, path, *, units: str = "mm") -> None:
    """Write ``rules`` to ``path`` atomically (see :func:`rul_text`)."""
    atomic_write(path, rul_text(rules, units=units).encode("utf-8"))
