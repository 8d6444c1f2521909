"""The nesting core's public data: an immutable instance, placements and solutions.

A placed copy is ``R(rotation_deg) @ M(mirrored) @ shape + translation`` (see
:mod:`kitcut.model.geometry`), always on the ORIGINAL outline of the item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Item", "Instance", "Match", "Zone", "Placed", "Solution", "Progress"]


@dataclass(frozen=True)
class Match:
    """Where a piece must meet the fabric's repeat (stripes, checks).

    ``x_point`` is a point of the piece (its own coordinates) whose placed x must fall on a
    line of the repeat across the roll: ``x = phase_x + offset_x + k * repeat_x``;
    ``y_point`` likewise for y and the lines along the roll. ``None``: that axis is free.
    """

    x_point: tuple[float, float] | None = None
    y_point: tuple[float, float] | None = None
    offset: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class Zone:
    """A region of the strip (a ring in marker coordinates) no piece may overlap, except the
    items listed in ``allowed`` (indices into ``Instance.items``): a flaw, a splice, a roll end."""

    shape: np.ndarray
    name: str = ""
    allowed: frozenset = frozenset()


@dataclass(frozen=True)
class Item:
    """One piece to nest ``demand`` times.

    ``shape`` is the outer ring ``float64[n, 2]`` (not closed). ``orientations`` lists the
    allowed ``(rotation_deg, mirrored)`` pairs; with ``free_rotation`` any angle is allowed
    (the core samples a set of angles). ``holes`` are ignored by the search (nothing is nested
    into a hole) and by the validator (the outer ring bounds the piece). ``match`` puts the
    item on the fabric's repeat (see :class:`Match`; matched items need fixed orientations).
    """

    id: str
    shape: np.ndarray
    demand: int
    orientations: tuple[tuple[float, bool], ...] = ((0.0, False),)
    free_rotation: bool = False
    holes: tuple[np.ndarray, ...] = ()
    match: Match | None = None


@dataclass(frozen=True)
class Instance:
    """Items on a strip of fixed ``width`` (y) and free length (x); ``margin`` on each edge.

    ``repeat`` ``(rx, ry)`` is the fabric's repeat (0: none along that axis) and ``phase``
    where its first lines lie (x from the marker's start, y from the selvedge); items with a
    :class:`Match` sit on it. ``zones`` are kept clear of pieces (spacing applies to them too).
    """

    items: tuple[Item, ...]
    width: float
    margin: float = 0.0
    spacing: float = 0.0
    name: str = ""
    repeat: tuple[float, float] = (0.0, 0.0)
    phase: tuple[float, float] = (0.0, 0.0)
    zones: tuple[Zone, ...] = ()


@dataclass(frozen=True)
class Placed:
    """Copy ``copy`` of item ``item`` under the placement transform."""

    item: int
    copy: int
    rotation_deg: float
    mirrored: bool
    translation: tuple[float, float]


@dataclass(frozen=True)
class Solution:
    """A complete marker: every copy placed; ``length`` = max x of the placed outlines."""

    placements: tuple[Placed, ...]
    length: float
    density: float
    stats: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Progress:
    """A report sent to the ``progress`` callback of :func:`~kitcut.nesting.solve`."""

    elapsed_s: float
    length: float
    density: float
    phase: str
    feasible: bool
