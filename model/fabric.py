"""Patterned fabric and the roll: the repeat of stripes and checks, match points on pieces,
and zones of the roll a piece must avoid.

Marker coordinates as everywhere: x along the roll from the marker's start, y across the width
from one selvedge, millimetres.

- :class:`Repeat`: the fabric's design repeats every ``x_mm`` along the roll and ``y_mm``
  across it (stripes: one of them 0; checks: both). ``phase`` is where the first dominant line
  lies (x from the marker's start, y from the selvedge). An asymmetric design
  (``symmetric=False``) looks different turned by 180°: every piece then goes one way.
- :class:`MatchPoint`: where a piece meets the repeat: a point of the piece (its own drawing
  coordinates) whose placed x (``x_point``) and/or y (``y_point``) must fall on a line of the
  repeat, ``offset`` from the dominant lines (e.g. half a check to centre the check on the
  centre front). In the piece's terms x is along its grain, y across it.
- :class:`FabricZone`: a region of the roll (a ring in marker coordinates: a flaw, a splice,
  the roll's first metre) no piece may lie on, except those of the categories it ``allow``\\ s.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from kitcut.model.geometry import as_ring

__all__ = ["Repeat", "MatchPoint", "FabricZone", "rect_ring", "zone_trouble", "MAX_ROLL_MM"]

#: Farthest a zone or a repeat reaches from the marker's start (mm): 1 km, more than any roll
MAX_ROLL_MM = 1e6


@dataclass(frozen=True)
class Repeat:
    """A fabric's repeat (see the module docstring); all zero: a plain fabric."""

    x_mm: float = 0.0
    y_mm: float = 0.0
    phase: tuple[float, float] = (0.0, 0.0)
    symmetric: bool = True

    @property
    def active(self) -> bool:
        return self.x_mm > 0 or self.y_mm > 0

    @property
    def kind(self) -> str:
        """``"plain"``, ``"stripes"`` (across the roll: lines along x repeating in y, or along
        the roll) or ``"checks"``."""
        if self.x_mm > 0 and self.y_mm > 0:
            return "checks"
        return "stripes" if self.active else "plain"


@dataclass(frozen=True)
class MatchPoint:
    """Where a piece meets the repeat (see the module docstring)."""

    x_point: tuple[float, float] | None = None
    y_point: tuple[float, float] | None = None
    offset: tuple[float, float] = (0.0, 0.0)
    source: str = ""

    @property
    def axes(self) -> str:
        return ("x" if self.x_point is not None else "") + ("y" if self.y_point is not None else "")


@dataclass(frozen=True, eq=False)
class FabricZone:
    """A region of the roll kept clear of pieces, but for the categories in ``allow``."""

    shape: np.ndarray
    name: str = ""
    allow: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "shape", as_ring(self.shape, ccw=True))

    def off_fabric(self, width: float) -> str | None:
        """Why the zone covers no part of a roll ``width`` wide (it lies beside the roll, or before
        the marker's start: a sign or a unit slipped), else ``None``."""
        (x0, y0), (x1, y1) = self.shape.min(axis=0), self.shape.max(axis=0)
        if y1 <= 0.0 or y0 >= width or x1 <= 0.0:
            return (f"x {x0:g} to {x1:g}, y {y0:g} to {y1:g} (marker mm) lies off the fabric, which runs "
                    f"from x 0 along the roll and y 0 to {width:g} across it")
        return None

    def allows(self, category: str | None) -> bool:
        """Whether pieces of ``category`` may lie on the zone: any case, composed or not."""
        c = unicodedata.normalize("NFC", (category or "").strip()).casefold()
        return bool(c) and c in {unicodedata.normalize("NFC", a.strip()).casefold() for a in self.allow}


def zone_trouble(points) -> str | None:
    """Why the zone through ``points`` (marker mm) cannot be one, else ``None``: a coordinate that
    is not a finite number (NaN or infinity: TOML writes both) or that lies more than
    :data:`MAX_ROLL_MM` from the marker's start (``1e9`` for ``1000``: a 1,000 km marker, said
    nothing of)."""
    a = np.asarray(points, dtype=float)
    if not np.all(np.isfinite(a)):
        return "a coordinate is not a finite number"
    if np.any(np.abs(a) > MAX_ROLL_MM):
        return (f"{float(np.max(np.abs(a))):g} mm is more than {MAX_ROLL_MM / 1e6:g} km of roll from the "
                "marker's start (marker mm: is the unit right?)")
    if a.ndim == 2 and len(a) >= 3:
        return _crossing(a)
    return None


def _crossing(ring: np.ndarray) -> str | None:
    """Where a polygon zone's outline crosses itself: four corners typed in "bow-tie" order kept
    clear only two triangles of the flaw they mark, and a piece lay on the rest without a word.
    A zone of no area is left to the check that it keeps something clear."""
    import re

    from shapely import is_valid_reason
    from shapely.geometry import Polygon

    shape = Polygon(ring)
    if shape.convex_hull.area == 0.0:  # points on one line
        return None
    reason = is_valid_reason(shape)
    if reason == "Valid Geometry":
        return None
    at = re.search(r"\[(-?[\d.e+-]+) (-?[\d.e+-]+)", reason)
    where = f" at ({float(at[1]):g}, {float(at[2]):g})" if at else ""
    return f"its outline crosses itself{where}: give the corners in order round the zone (marker mm)"


def rect_ring(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    """The ring of the rectangle between two corners."""
    xa, xb = sorted((float(x0), float(x1)))
    ya, yb = sorted((float(y0), float(y1)))
    return np.array([[xa, ya], [xb, ya], [xb, yb], [xa, yb]])
