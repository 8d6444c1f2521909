"""The collision engine: the mutable state of a marker and every query the search needs.

It owns the placements (kind and translation of each piece), the stand-in bounding boxes, the
pairwise overlap matrix and the guided-local-search weights, and hides the kernels behind a
small API: place / move / remove, query the best position of a piece, shrink the strip,
snapshot and restore. The search (:mod:`kitcut.nesting.search`) uses only this API.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kitcut.nesting import kernels as km
from kitcut.nesting.instance import Compiled
from kitcut.nesting.lattice import snap_down, snap_near

__all__ = ["Engine", "Snapshot"]

_EMPTY = np.array([np.inf, np.inf, -np.inf, -np.inf])


@dataclass(frozen=True)
class Snapshot:
    kinds: np.ndarray
    pos: np.ndarray
    length: float


class Engine:
    """Placements of the pieces of ``data`` on a strip of current length ``length``."""

    def __init__(self, data: Compiled, *, n_global: int = 48, n_local: int = 24, min_rel: float = 5e-4):
        self.data = data
        n = data.n
        self.n = n
        #: the movable pieces are 0..m-1; m..n-1 are the zones, fixed where they lie
        self.m = data.m
        self.kinds = data.pk0.copy()
        self.pos = np.zeros((n, 2))
        self.wb = np.tile(_EMPTY, (n, 1))
        #: the x index: slots of the pieces sorted by the left end of their box (row 0) and the
        #: slot of each piece (row 1); rebuilt lazily after moves made from Python
        self.xi = np.zeros((2, n), dtype=np.int64)
        self.xi[0] = self.xi[1] = np.arange(n)
        self._dirty = True
        #: no two boxes can touch unless their left ends are within the widest box
        self.maxw = float((data.sbb[:, 2] - data.sbb[:, 0]).max()) if len(data.sbb) else 0.0
        for z in range(n - self.m):
            i = self.m + z
            self.set(i, int(data.pk0[i]), float(data.zone_pos[z, 0]), float(data.zone_pos[z, 1]))
        self.W = np.ones((n, n))
        self.O = np.zeros((n, n))
        self.rs = np.zeros(n)  # overlap row sums
        self.rc = np.zeros(n, dtype=np.int64)  # overlapping pairs per piece
        self.wh = np.zeros(n, dtype=np.int64)  # weights above 1 per piece
        self.length = 0.0
        self.n_global = n_global
        self.n_local = n_local
        self.min_rel = min_rel
        self._shapes = data.shapes()

    # -------------------------------------------------------------- placement
    def place_bottom_left(self, i: int, rng: np.random.Generator, samples: int, limit: float) -> float:
        """Put piece i at a free place, leftmost of ``samples`` tries; return its right end."""
        d = self.data
        V, voff, P, poff, sbb, obb, lat, diam, pen, zm = self._shapes
        U = rng.random((samples, 3))
        self._sync()
        return km.place_bottom_left(
            i, U, limit, d.ymin, d.ymax, d.pk0[i], d.pk1[i], self.min_rel,
            self.kinds, self.pos, self.wb, self.xi, self.maxw, self.W, V, voff, P, poff, sbb, obb, lat, diam,
            pen, zm,
        )

    def _sync(self) -> None:
        """Rebuild the x index if pieces were moved from Python since the last kernel call."""
        if self._dirty:
            km.index_build(self.wb, self.xi)
            self._dirty = False

    def set(self, i: int, kind: int, x: float, y: float) -> None:
        sbb = self.data.sbb
        self.kinds[i] = kind
        self.pos[i] = (x, y)
        self.wb[i] = (x + sbb[kind, 0], y + sbb[kind, 1], x + sbb[kind, 2], y + sbb[kind, 3])
        self._dirty = True

    def remove(self, i: int) -> None:
        self.wb[i] = _EMPTY
        self._dirty = True

    def right_ends(self) -> np.ndarray:
        """Right end (max x of the original outline) of every movable piece."""
        m = self.m
        return self.pos[:m, 0] + self.data.obb[self.kinds[:m], 2]

    def used_length(self) -> float:
        return float(self.right_ends().max()) if self.m else 0.0

    # -------------------------------------------------------------- overlap
    def refresh(self) -> float:
        """Recompute every pair's overlap; return the total."""
        V, voff, P, poff, sbb, obb, lat, diam, pen, zm = self._shapes
        self._sync()
        return km.all_overlaps(self.O, self.rs, self.rc, self.kinds, self.pos, self.wb, self.xi, V, voff, P,
                               poff, sbb, diam, pen, zm)

    def total_overlap(self) -> float:
        """The sum of every pair's overlap: exactly 0.0 when no pair overlaps."""
        if not self.rc.any():
            return 0.0
        return float(self.rs.sum()) / 2.0

    def colliding(self) -> np.ndarray:
        """The movable pieces that overlap something (a zone never moves)."""
        return np.flatnonzero(self.rc[: self.m] > 0)

    def reset_weights(self) -> None:
        km.reset_weights(self.W, self.wh)

    def update_weights(self, m_low: float = 1.2, m_high: float = 2.0, decay: float = 0.95) -> None:
        km.update_weights(self.O, self.W, self.rc, self.wh, m_low, m_high, decay)

    def sweep(self, order: np.ndarray, rng: np.random.Generator) -> int:
        """Move each still-colliding piece of ``order`` to its best sampled position."""
        d = self.data
        V, voff, P, poff, sbb, obb, lat, diam, pen, zm = self._shapes
        U = rng.random((len(order), self.n_global + self.n_local, 3))
        self._sync()
        return km.sweep(
            np.ascontiguousarray(order, dtype=np.int64), U, self.n_global, self.length, d.ymin, d.ymax,
            d.pk0, d.pk1, self.min_rel,
            self.kinds, self.pos, self.wb, self.xi, self.maxw, self.W, self.O, self.rs, self.rc, V, voff, P,
            poff, sbb, obb, lat, diam, pen, zm,
        )

    # -------------------------------------------------------------- strip
    def fits(self, kind: int, length: float | None = None) -> bool:
        """A piece of ``kind`` fits a strip of ``length`` (default: the current one): placed at
        its lowest x (on the repeat for a matched piece), it ends within the strip."""
        d = self.data
        L = self.length if length is None else length
        return bool(d.lat[kind, 0] + d.obb[kind, 2] <= L)

    def closest_kind(self, i: int, like: int, length: float | None = None) -> int:
        """The kind of piece i closest to kind ``like`` (rotation, then mirroring) that fits
        the strip; the shortest kind when none fits."""
        d = self.data
        k0, k1 = int(d.pk0[i]), int(d.pk1[i])
        rot = (d.kind_rot[k0:k1] - d.kind_rot[like] + 180.0) % 360.0 - 180.0
        cost = np.abs(rot) + 1000.0 * (d.kind_mir[k0:k1] != d.kind_mir[like])
        ext = d.lat[k0:k1, 0] + d.obb[k0:k1, 2]
        L = self.length if length is None else length
        cost = np.where(ext <= L, cost, 1e9 + ext)
        return k0 + int(np.argmin(cost))

    def shrink_to(self, length: float) -> None:
        """Set the strip length; pieces sticking out slide left inside it (may overlap).

        A piece longer than the new strip in its orientation turns to the closest orientation
        that fits (the search never cuts the strip below :attr:`Compiled.min_length`).
        """
        self.length = float(length)
        obb = self.data.obb
        for i in range(self.m):
            k = int(self.kinds[i])
            changed = not self.fits(k)
            if changed:
                k = self.closest_kind(i, k)
            x, y = self.pos[i]
            if changed or x + obb[k, 2] > self.length:
                x = self.inside(k, min(x, self.length - obb[k, 2]), y)[0]
            if changed:
                y = self.inside(k, x, y)[1]
            self.set(i, k, x, y)
        self.refresh()

    def inside(self, kind: int, x: float, y: float, *, down: bool = True) -> tuple[float, float]:
        """``(x, y)`` moved into the strip for ``kind``, on the repeat for a matched kind: x to
        the lattice point at or left of it (``down``) or the nearest one, y to the nearest."""
        lat, obb = self.data.lat[kind], self.data.obb[kind]
        hi = self.length - obb[2]
        if down:
            x = snap_down(min(x, hi), lat[0], lat[3], lat[4])
        else:
            x = snap_near(x, lat[0], hi, lat[3], lat[4])
        return x, snap_near(y, lat[1], lat[2], lat[5], lat[6])

    # -------------------------------------------------------------- snapshots
    def snapshot(self) -> Snapshot:
        return Snapshot(self.kinds.copy(), self.pos.copy(), self.length)

    def restore(self, snap: Snapshot) -> None:
        self.length = snap.length
        for i in range(self.n):
            self.set(i, int(snap.kinds[i]), float(snap.pos[i, 0]), float(snap.pos[i, 1]))
        self.refresh()
