"""The nesting core's public data: an immutable instance, placements and solutions.

A placed copy is ``R(rotation_deg) @ M(mirrored) @ shape + translation`` (see
:mod:`kitcut.model.geometry`), always on the ORIGINAL outline of the item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Item", "Instance", "Placed", "Solution", "Progress"]


@dataclass(frozen=True)
class Item:
    """One piece to nest ``demand`` times.

    ``shape`` is the outer ring ``float64[n, 2]`` (not closed). ``orientations`` lists the
    allowed ``(rotation_deg, mirrored)`` pairs; with ``free_rotation`` any angle is allowed
    (the core samples a set of angles). ``holes`` are ignored by the search (nothing is nested
    into a hole) and by the validator (the outer ring bounds the piece).
    """

    id: str
    shape: np.ndarray
    demand: int
    orientations: tuple[tuple[float, bool], ...] = ((0.0, False),)
    free_rotation: bool = False
    holes: tuple[np.ndarray, ...] = ()


@dataclass(frozen=True)
class Instance:
    """Items on a strip of fixed ``width`` (y) and free length (x); ``margin`` on each edge."""

    items: tuple[Item, ...]
    width: float
    margin: float = 0.0
    spacing: float = 0.0
    name: str = ""


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
