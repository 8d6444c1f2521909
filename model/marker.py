"""A marker: pieces, the rules they were nested under, and where every copy lies.

Marker coordinates: x runs along the roll (the marker length), y across the fabric width,
origin at the start of the marker on one selvedge. Every placed outline lies within
``margin <= y <= width - margin`` and ``x >= 0``; ``length`` is the largest x of any placed
outline. Exports and kits read markers only; they never look into the nesting core.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from kitcut.model.fabric import FabricZone, Repeat
from kitcut.model.geometry import transform_points
from kitcut.model.pattern import Piece

__all__ = ["NAP_MODES", "MAX_WIDTH_MM", "MAX_SPACING_MM", "Rules", "Placement", "Marker"]

#: Widest fabric (mm) a pattern in millimetres is nested on: rolls and cutting tables are a few metres.
MAX_WIDTH_MM = 10000.0
#: Widest gap (mm) between pieces: cutting needs a few millimetres; more is a slip of the unit.
MAX_SPACING_MM = 100.0

#: Fabric nap modes: which rotations of the grain are allowed on the marker.
NAP_MODES = ("one-way", "two-way", "quarter", "free")


@dataclass(frozen=True)
class Rules:
    """The garment rules a marker is nested under (lengths in the marker's unit)."""

    width: float
    spacing: float = 0.0
    margin: float = 0.0
    nap: str = "two-way"
    tilt_deg: float = 0.0
    pairs: bool = True
    #: the fabric's repeat (stripes, checks); matched pieces sit on it
    repeat: Repeat = Repeat()
    #: regions of the roll kept clear of pieces (flaws, splices, roll ends)
    zones: tuple[FabricZone, ...] = ()

    @property
    def usable_width(self) -> float:
        return self.width - 2.0 * self.margin


@dataclass(frozen=True)
class Placement:
    """One placed copy: ``pieces[piece]``, its ``copy`` index, and its transform."""

    piece: int
    copy: int
    rotation_deg: float
    mirrored: bool
    translation: tuple[float, float]

    def apply(self, points: np.ndarray) -> np.ndarray:
        """Map piece coordinates onto the marker."""
        return transform_points(points, self.rotation_deg, self.mirrored, self.translation)


@dataclass(frozen=True)
class Marker:
    """A nested marker (immutable): pieces, rules, placements and figures.

    ``units`` is ``"mm"`` for markers of DXF patterns, else the instance's unit.
    ``stats`` carries run figures (seed, time, iterations, compile time...).
    """

    pieces: tuple[Piece, ...]
    rules: Rules
    placements: tuple[Placement, ...]
    length: float
    units: str = "mm"
    name: str | None = None
    source: str | None = None
    stats: dict = field(default_factory=dict, compare=False)

    @property
    def width(self) -> float:
        return self.rules.width

    @property
    def pieces_area(self) -> float:
        return sum(self.pieces[p.piece].area for p in self.placements)

    @property
    def efficiency(self) -> float:
        """Placed piece area over ``length × width`` (the full fabric width), 0..1."""
        if self.length <= 0 or self.width <= 0:
            return 0.0
        return self.pieces_area / (self.length * self.width)

    def placed_outline(self, placement: Placement) -> np.ndarray:
        return placement.apply(self.pieces[placement.piece].outline)

    def placed_outlines(self) -> list[np.ndarray]:
        return [self.placed_outline(p) for p in self.placements]

    def placed_cutouts(self, placement: Placement) -> list[np.ndarray]:
        """The cut-outs of ``placement``'s piece where it lies on the marker."""
        return [placement.apply(np.asarray(c, dtype=float)) for c in self.pieces[placement.piece].cutouts]
