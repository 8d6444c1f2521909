"""The optimiser: shrink the strip, then remove the overlap by guided local search.

Sparrow-like (Gardeyn & Vanden Berghe; after Egeblad 2007 and Imamichi 2009): from a feasible
marker of length L the strip is cut to L * (1 - r) by removing a slice at a random position
(pieces right of it slide left), then the overlap is driven to zero by moving one colliding
piece at a time to the best of sampled positions, the overlap of each pair being weighted by a
guided-local-search weight that grows while the pair keeps overlapping. Zero overlap (exact
test) gives a new best marker; if the overlap resists, the best marker is restored and the
shrink ratio lowered. The last part of the time compresses with small ratios.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from kitcut.nesting.construct import bottom_left, order_by_area
from kitcut.nesting.engine import Engine, Snapshot

__all__ = ["Search"]


class Search:
    """One search run on ``engine``; ``report(phase, length, feasible)`` hears of every best."""

    def __init__(
        self,
        engine: Engine,
        rng: np.random.Generator,
        *,
        deadline: float,
        max_iterations: int | None = None,
        report: Callable[[str, float, bool], None] | None = None,
        explore_share: float = 0.8,
    ):
        self.e = engine
        self.rng = rng
        self.deadline = deadline
        self.start = time.monotonic()
        self.max_iterations = max_iterations
        self.report = report or (lambda phase, length, feasible: None)
        self.explore_share = explore_share
        self.iterations = 0
        self.moves = 0
        self.best: Snapshot | None = None
        self.best_length = np.inf
        self.time_to_first = None

    # ------------------------------------------------------------ budget
    def done(self) -> bool:
        if self.max_iterations is not None and self.iterations >= self.max_iterations:
            return True
        return time.monotonic() >= self.deadline

    def _record(self, phase: str) -> None:
        used = self.e.used_length()
        snap = self.e.snapshot()
        self.best = Snapshot(snap.kinds, snap.pos, used)
        self.best_length = used
        if self.time_to_first is None:
            self.time_to_first = time.monotonic() - self.start
        self.report(phase, used, True)

    # ------------------------------------------------------------ pieces of the search
    def construct(self, initial: Snapshot | None = None) -> None:
        e = self.e
        if initial is not None:
            e.restore(initial)
            if e.total_overlap() == 0.0 or self.separate(strikes=3, patience=30):
                self._record("warm start")
                return
        bottom_left(e, self.rng, order=order_by_area(e))
        self._record("construct")

    def shrink(self, ratio: float) -> None:
        """Restore the best marker and cut a slice of ``ratio`` of its length at a random x."""
        e = self.e
        e.restore(self.best)
        length = self.best_length
        new = length * (1.0 - ratio)
        delta = length - new
        cut = self.rng.random() * length
        obb = e.data.obb
        for i in range(e.n):
            k = e.kinds[i]
            centre = e.pos[i, 0] + 0.5 * (obb[k, 0] + obb[k, 2])
            if centre > cut:
                e.set(i, int(k), max(-obb[k, 0], e.pos[i, 0] - delta), float(e.pos[i, 1]))
        e.shrink_to(new)

    def separate(self, *, strikes: int, patience: int) -> bool:
        """Drive the overlap to zero; True on success (the engine then holds a feasible marker)."""
        e = self.e
        total = e.total_overlap()
        if total == 0.0:
            return True
        e.reset_weights()
        best_total = total
        best_snap = e.snapshot()
        for _ in range(strikes):
            improved = False
            stale = 0
            while stale < patience and not self.done():
                order = e.colliding()
                self.rng.shuffle(order)
                self.moves += e.sweep(order, self.rng)
                self.iterations += 1
                total = e.total_overlap()
                if total == 0.0:
                    return True
                if total < best_total * 0.99:
                    best_total = total
                    best_snap = e.snapshot()
                    stale = 0
                    improved = True
                else:
                    stale += 1
                e.update_weights()
            if self.done() or not improved:
                break
            e.restore(best_snap)
        return False

    # ------------------------------------------------------------ the run
    def run(self, initial: Snapshot | None = None) -> Snapshot:
        self.construct(initial)
        total = self.deadline - self.start
        explore_end = self.start + self.explore_share * total
        ratio = 0.04
        while not self.done() and time.monotonic() < explore_end:
            self.shrink(ratio)
            if self.separate(strikes=3, patience=40):
                self._record("explore")
            else:
                ratio = max(ratio * 0.6, 0.003)
        while not self.done():
            self.shrink(float(self.rng.uniform(0.0005, 0.005)))
            if self.separate(strikes=2, patience=20):
                self._record("compress")
        self.e.restore(self.best)
        return self.best
