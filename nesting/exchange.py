"""Best-marker exchange between the worker processes of one solve (shared memory).

Each worker publishes its every new best marker; at the start of the compression phase a
worker adopts the best marker of all workers if it beats its own, so that every core
compresses the best marker found. Only used for runs stopped by the time limit (a run bounded
by ``max_iterations`` must not depend on the timing of other processes).
"""

from __future__ import annotations

import numpy as np

from kitcut.nesting.engine import Snapshot

__all__ = ["Exchange"]


class Exchange:
    """Shared best length, kinds and translations, created before the workers fork."""

    def __init__(self, ctx, n: int):
        self.n = n
        self._lock = ctx.Lock()
        self._length = ctx.RawValue("d", np.inf)
        self._kinds = ctx.RawArray("q", max(1, n))
        self._pos = ctx.RawArray("d", max(1, 2 * n))

    def publish(self, snap: Snapshot) -> None:
        with self._lock:
            if snap.length < self._length.value:
                self._length.value = float(snap.length)
                np.frombuffer(self._kinds, dtype=np.int64)[: self.n] = snap.kinds
                np.frombuffer(self._pos, dtype=np.float64)[: 2 * self.n] = snap.pos.ravel()

    def fetch(self) -> Snapshot | None:
        with self._lock:
            if not np.isfinite(self._length.value):
                return None
            kinds = np.frombuffer(self._kinds, dtype=np.int64)[: self.n].copy()
            pos = np.frombuffer(self._pos, dtype=np.float64)[: 2 * self.n].reshape(self.n, 2).copy()
            return Snapshot(kinds, pos, float(self._length.value))
