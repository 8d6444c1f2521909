"""What the drawings show of a patterned fabric and of the roll: the repeat's lines, the zones
to avoid and where each matched piece meets the repeat.

:func:`design_of` computes it once per marker (marker mm) for every writer that draws under the
pieces: the SVG preview, the PDF plots and the print file draw the lines and zones first and a
small cross on each match point, so a person can check the matching at a glance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from kitcut.model import Marker

__all__ = ["Design", "design_of", "MAX_LINES"]

#: At most this many lines per axis are drawn (a finer repeat is drawn every n-th line).
MAX_LINES = 2000


@dataclass(frozen=True, eq=False)
class Design:
    """Lines of the repeat (x positions across the roll, y positions along it), zones (ring,
    name, allowed categories) and match points (placed, marker mm), all in marker mm."""

    xs: tuple[float, ...] = ()
    ys: tuple[float, ...] = ()
    step: tuple[int, int] = (1, 1)
    zones: tuple[tuple[np.ndarray, str, tuple[str, ...]], ...] = ()
    marks: tuple[tuple[float, float], ...] = field(default_factory=tuple)

    @property
    def empty(self) -> bool:
        return not (self.xs or self.ys or self.zones or self.marks)


def _lines(phase: float, r: float, lo: float, hi: float) -> tuple[tuple[float, ...], int]:
    if r <= 0:
        return (), 1
    first = phase + math.ceil((lo - phase) / r - 1e-9) * r
    n = int(math.floor((hi - first) / r + 1e-9)) + 1
    step = max(1, math.ceil(n / MAX_LINES))
    return tuple(float(first + j * r) for j in range(0, max(n, 0), step)), step


def design_of(marker: Marker, k: float = 1.0) -> Design:
    """The design layer of ``marker``, coordinates scaled by ``k`` (mm per marker unit)."""
    rules = marker.rules
    rep = rules.repeat
    xs, sx = _lines(rep.phase[0], rep.x_mm, 0.0, marker.length) if rep.active else ((), 1)
    ys, sy = _lines(rep.phase[1], rep.y_mm, 0.0, marker.width) if rep.active else ((), 1)
    zones = tuple((np.asarray(z.shape, dtype=float) * k, z.name, tuple(z.allow)) for z in rules.zones)
    marks = []
    if rep.active:
        for pl in marker.placements:
            m = marker.pieces[pl.piece].match
            if m is None:
                continue
            for pt in {m.x_point, m.y_point} - {None}:
                x, y = pl.apply(np.asarray([pt], dtype=float))[0]
                marks.append((float(x) * k, float(y) * k))
    return Design(tuple(v * k for v in xs), tuple(v * k for v in ys), (sx, sy), zones, tuple(marks))
