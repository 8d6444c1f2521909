"""The optimiser: shrink the strip, then remove the overlap by guided local search.

Sparrow-like (Gardeyn & Vanden Berghe 2025; after Egeblad 2007 and Imamichi 2009). From a
feasible marker the strip is cut by a slice at a random position (pieces right of it slide
left); the overlap is then driven to zero by moving one colliding piece at a time to the best
of sampled positions, each pair's overlap weighted by a guided-local-search weight that grows
while the pair keeps overlapping.

*Exploration* (most of the time) shrinks from the current feasible marker; when separation
fails it keeps the strip and restarts from one of the least infeasible markers of a pool,
disrupted by swapping two large pieces. *Compression* (the rest) shrinks the best marker by
ratios decaying with time and restores it on failure.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from kitcut.nesting.construct import bottom_left, order_by_area
from kitcut.nesting.engine import Engine, Snapshot
from kitcut.nesting.lattice import snap_down

__all__ = ["Search", "SearchConfig"]


class SearchConfig:
    """Tuning knobs (plain attributes, defaults tuned on the ESICUP apparel sets)."""

    explore_share = 0.8
    first_ratio = 0.01  # exploration shrink while every separation succeeds
    explore_ratio = 0.002  # exploration shrink after the first failure
    explore_patience = 60
    explore_strikes = 3
    compress_ratios = (0.001, 0.00005)  # linear decay over the compression phase
    compress_patience = 30
    compress_strikes = 3
    pool_size = 8
    restart_every = 4  # failed separations at one length before the best marker is cut afresh


class Search:
    """One search run on ``engine``; ``report(phase, length, feasible)`` hears of every best, and
    ``stop()`` returning true ends the run early (with the best marker found)."""

    def __init__(
        self,
        engine: Engine,
        rng: np.random.Generator,
        *,
        deadline: float,
        max_iterations: int | None = None,
        report: Callable[[str, float, bool], None] | None = None,
        config: SearchConfig | None = None,
        exchange=None,
        stop: Callable[[], bool] | None = None,
    ):
        self.e = engine
        self.stop = stop
        self.rng = rng
        self.deadline = deadline
        self.start = time.monotonic()
        self.max_iterations = max_iterations
        self.report = report or (lambda phase, length, feasible: None)
        self.cfg = config or SearchConfig()
        self.exchange = exchange
        self.iterations = 0
        self.moves = 0
        self.best: Snapshot | None = None
        self.best_length = np.inf
        self.time_to_first = None
        self.warm_started = False  # the first marker is the warm start given to run()
        d = engine.data
        #: no marker is shorter than its longest piece, nor than its area over the usable width
        usable = d.ymax - d.ymin
        self.lower_bound = max(float(d.min_length), float(d.total_area) / usable if usable > 0 else 0.0)
        hull = d.pen[d.pk0[: d.m]] ** 2
        cut = np.sort(hull)[::-1]
        acc = np.cumsum(cut)
        self._large = np.flatnonzero(hull >= cut[min(np.searchsorted(acc, 0.75 * acc[-1]), len(cut) - 1)])

    # ------------------------------------------------------------ budget
    def optimal(self) -> bool:
        """The best marker is as short as a marker can be (its longest piece's length)."""
        return self.best_length <= self.lower_bound * (1.0 + 1e-12)

    def done(self) -> bool:
        if self.optimal():
            return True
        if self.stop is not None and self.stop():
            return True
        if self.max_iterations is not None and self.iterations >= self.max_iterations:
            return True
        return time.monotonic() >= self.deadline

    def _record(self, phase: str) -> bool:
        used = self.e.used_length()
        if used >= self.best_length:
            return False
        snap = self.e.snapshot()
        self.best = Snapshot(snap.kinds, snap.pos, used)
        self.best_length = used
        if self.time_to_first is None:
            self.time_to_first = time.monotonic() - self.start
        self.report(phase, used, True)
        if self.exchange is not None:
            self.exchange.publish(self.best)
        return True

    # ------------------------------------------------------------ pieces of the search
    def construct(self, initial: Snapshot | None = None) -> None:
        e = self.e
        if initial is not None:
            e.restore(initial)
            if e.total_overlap() == 0.0 or self.separate(strikes=3, patience=30):
                self._record("warm start")
                self.warm_started = True
                return
        bottom_left(e, self.rng, order=order_by_area(e))
        self._record("construct")

    def cut(self, length: float) -> None:
        """Cut the strip at a random x down to ``length``: pieces right of the cut slide left."""
        e = self.e
        length = max(float(length), self.lower_bound)
        delta = e.length - length
        at = self.rng.random() * e.length
        obb = e.data.obb
        for i in range(e.m):
            k = int(e.kinds[i])
            if e.pos[i, 0] + 0.5 * (obb[k, 0] + obb[k, 2]) > at:
                x = snap_down(e.pos[i, 0] - delta, *e.data.lat[k, [0, 3, 4]])
                e.set(i, k, x, float(e.pos[i, 1]))
        e.shrink_to(length)
        e.reset_weights()

    def disrupt(self) -> None:
        """Swap two large pieces (of different items if possible)."""
        e = self.e
        d = e.data
        a = int(self.rng.choice(self._large))
        others = self._large[d.piece_item[self._large] != d.piece_item[a]]
        if len(others) == 0:
            others = np.delete(np.arange(e.m), a)
        if len(others) == 0:
            return
        b = int(self.rng.choice(others))
        for p, q in ((a, b), (b, a)):
            k = e.closest_kind(p, int(e.kinds[q]))
            e.set(p, k, *e.inside(k, float(e.pos[q, 0]), float(e.pos[q, 1]), down=False))
        e.refresh()

    def separate(self, *, strikes: int, patience: int) -> bool:
        """Drive the overlap to zero; True on success, else the engine holds the least overlap."""
        e = self.e
        total = e.total_overlap()
        if total == 0.0:
            return True
        best_total = total
        best_snap = e.snapshot()
        n_strikes = 0
        while n_strikes < strikes and not self.done():
            start_total = e.total_overlap()
            stale = 0
            while stale < patience and not self.done():
                order = e.colliding()
                self.rng.shuffle(order)
                self.moves += e.sweep(order, self.rng)
                self.iterations += 1
                total = e.total_overlap()
                if total == 0.0:
                    return True
                if total < best_total:
                    if total < 0.98 * best_total:
                        stale = 0
                    best_total = total
                    best_snap = e.snapshot()
                else:
                    stale += 1
                e.update_weights()
            n_strikes = n_strikes + 1 if best_total >= 0.98 * start_total else 0
            e.restore(best_snap)
        return False

    # ------------------------------------------------------------ the run
    def explore(self, until: float) -> None:
        cfg = self.cfg
        e = self.e
        e.restore(self.best)
        e.length = self.best_length
        ratio = cfg.first_ratio
        pool: list[tuple[float, Snapshot]] = []
        failures = 0
        self.cut(self.best_length * (1.0 - ratio))
        while not self.done() and time.monotonic() < until:
            if self.separate(strikes=cfg.explore_strikes, patience=cfg.explore_patience):
                self._record("explore")
                pool.clear()
                failures = 0
                self.cut(min(e.length, e.used_length()) * (1.0 - ratio))
                continue
            if ratio > cfg.explore_ratio:
                # the big first steps overshot: retry from the best marker with the small step
                ratio = cfg.explore_ratio
                e.restore(self.best)
                e.length = self.best_length
                self.cut(self.best_length * (1.0 - ratio))
                continue
            pool.append((e.total_overlap(), e.snapshot()))
            pool.sort(key=lambda t: t[0])
            del pool[cfg.pool_size :]
            failures += 1
            if cfg.restart_every and failures % cfg.restart_every == 0:
                # stuck at this length: cut the best marker again, elsewhere
                target = e.length
                e.restore(self.best)
                e.length = self.best_length
                self.cut(target)
                continue
            pick = min(int(abs(self.rng.normal(0.0, 0.25)) * len(pool)), len(pool) - 1)
            e.restore(pool[pick][1])
            self.disrupt()

    def compress(self) -> None:
        cfg = self.cfg
        e = self.e
        other = self.exchange.fetch() if self.exchange is not None else None
        if other is not None and other.length < self.best_length:
            self.best = other
            self.best_length = other.length
        t0 = time.monotonic()
        span = max(1e-9, self.deadline - t0)
        hi, lo = cfg.compress_ratios
        while not self.done():
            frac = min(1.0, (time.monotonic() - t0) / span)
            ratio = hi + (lo - hi) * frac
            e.restore(self.best)
            e.length = self.best_length
            self.cut(self.best_length * (1.0 - ratio))
            if self.separate(strikes=cfg.compress_strikes, patience=cfg.compress_patience):
                self._record("compress")

    def run(self, initial: Snapshot | None = None) -> Snapshot:
        self.construct(initial)
        span = self.deadline - self.start
        self.explore(self.start + self.cfg.explore_share * span)
        self.compress()
        self.e.restore(self.best)
        return self.best
