"""``solve``: the nesting core's entry point, with a portfolio of worker processes.

Each worker (a forked process) runs an independent :class:`~kitcut.nesting.search.Search`
seeded from ``SeedSequence(seed).spawn(workers)``; the calling process relays every new best
length to ``progress`` and returns the shortest marker (ties: lowest worker). In a run bounded
by time only, the workers share their best markers (:mod:`kitcut.nesting.exchange`) and all
compress the best one. With a fixed
``seed``, ``workers`` and ``max_iterations`` (and a time limit that is not reached first) the
result is identical run to run; a run stopped by the time limit depends on the machine's speed.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import time
from collections.abc import Callable

import numpy as np

from kitcut.errors import NestingError
from kitcut.model.geometry import transform_points
from kitcut.nesting.engine import Engine, Snapshot
from kitcut.nesting.exchange import Exchange
from kitcut.nesting.instance import Compiled, compile_instance
from kitcut.nesting.parent_watch import end_with_parent
from kitcut.nesting.search import Search
from kitcut.nesting.types import Instance, Item, Placed, Progress, Solution
from kitcut.nesting.warm import warm_snapshot

__all__ = ["solve", "warmup"]

_WARM = False


def warmup() -> float:
    """Compile (or load from the cache) every kernel on a tiny instance; return the seconds."""
    global _WARM
    t = time.monotonic()
    sq = np.array([[0.0, 0.0], [2.0, 0.0], [2.0, 1.0], [0.0, 1.0]])
    tri = np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 1.5]])
    inst = Instance(
        items=(
            Item("sq", sq, 3, ((0.0, False), (90.0, False))),
            Item("tri", tri, 2, ((0.0, False), (0.0, True))),
        ),
        width=3.0,
        name="warmup",
    )
    data = compile_instance(inst)
    eng = Engine(data)
    rng = np.random.default_rng(0)
    Search(eng, rng, deadline=time.monotonic() + 5.0, max_iterations=3).run()
    # the moves that remove overlap, called directly: with nothing cached, compiling the
    # construction alone outlasts the deadline above, and the search never reached them
    k = int(eng.kinds[1])
    eng.set(1, k, *eng.inside(k, float(eng.pos[0, 0]), float(eng.pos[0, 1]), down=False))
    eng.refresh()
    eng.sweep(np.arange(data.m), rng)
    eng.update_weights()
    _WARM = True
    return time.monotonic() - t


def _run_search(data: Compiled, seed_seq, deadline: float, max_iterations, initial, report, exchange=None,
                stop=None):
    rng = np.random.default_rng(seed_seq)
    eng = Engine(data)
    search = Search(eng, rng, deadline=deadline, max_iterations=max_iterations, report=report,
                    exchange=exchange, stop=stop)
    best = search.run(initial)
    return best, (search.iterations, search.moves, search.warm_started), search.time_to_first


def _worker(wid, data, seed_seq, deadline, max_iterations, initial, q, exchange, halt):
    end_with_parent()  # killed (kill -9), the parent cannot end it: it searched on, orphaned
    try:
        def report(phase, length, feasible):
            q.put(("progress", wid, phase, length))

        best, iters, ttf = _run_search(data, seed_seq, deadline, max_iterations, initial, report, exchange,
                                       halt.is_set)
        q.put(("result", wid, best.kinds, best.pos, best.length, iters, ttf))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent
        q.put(("error", wid, repr(exc)))


def _solution(data: Compiled, best: Snapshot, stats: dict) -> Solution:
    inst = data.instance
    placements = []
    length = 0.0
    for p in range(data.m):
        item = int(data.piece_item[p])
        k = int(best.kinds[p])
        rot, mir = float(data.kind_rot[k]), bool(data.kind_mir[k])
        t = data.translation(k, best.pos[p])
        placements.append(Placed(item, int(data.piece_copy[p]), rot, mir, t))
        shape = np.asarray(inst.items[item].shape, dtype=np.float64)
        length = max(length, float(transform_points(shape, rot, mir, t)[:, 0].max()))
    density = data.total_area / (length * inst.width) if length > 0 else 0.0
    return Solution(placements=tuple(placements), length=length, density=density, stats=stats)


def solve(
    instance: Instance,
    *,
    time_limit: float = 10.0,
    seed: int | None = None,
    workers: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    initial: Solution | None = None,
    max_iterations: int | None = None,
    stop: Callable[[], bool] | None = None,
) -> Solution:
    """Nest every demanded copy of the items of ``instance`` on the shortest strip found.

    Raises :class:`~kitcut.errors.InfeasibleError` naming an item that fits the usable width
    in no allowed orientation. ``time_limit`` is wall time, not counting a first compilation
    of the kernels (reported apart as ``compile_s``; later runs load them from the cache);
    ``max_iterations`` bounds the separation sweeps of each worker. ``initial`` (a solution,
    possibly under other rules or of other copies) warm-starts every worker: what had to be
    changed for it to fit is counted in ``stats["resume"]`` (see
    :func:`~kitcut.nesting.warm.warm_snapshot`; ``warm_start``: the best marker grew from it,
    false when its overlap could not be removed and the search started afresh). ``stats`` holds
    seed, workers, best_worker, iterations, moves, time_to_first_s (after loading the kernels),
    compile_s (first call in a process only) and search_s.

    Reproducible: same ``seed``, ``workers`` and ``max_iterations`` (reached before the time
    limit) give the same placements; a run stopped by the time limit is not.

    ``stop()``, asked a few times a second, ends the search early when it returns true (a user's
    Ctrl-C): the best marker found so far is returned, with ``stats["stopped"]`` true.
    """
    t0 = time.monotonic()
    compile_s = 0.0 if _WARM else warmup()
    workers = max(1, int(workers or os.cpu_count() or 1))
    if "fork" not in mp.get_all_start_methods() or mp.current_process().daemon:
        workers = 1  # processes cannot fork here (e.g. inside a daemon): one search in this process
    data = compile_instance(instance, workers)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))
    seeds = np.random.SeedSequence(int(seed)).spawn(workers)
    deadline = t0 + compile_s + max(0.05, float(time_limit) - 0.05)
    snap, warm = warm_snapshot(data, initial, np.random.default_rng(int(seed))) if initial is not None \
        else (None, None)
    best_len = [np.inf]

    def relay(phase, length, feasible=True):
        if progress is not None and length < best_len[0]:
            best_len[0] = length
            dens = data.total_area / (length * instance.width) if length > 0 else 0.0
            progress(Progress(time.monotonic() - t0, float(length), float(dens), phase, True))

    t_search = time.monotonic()
    if data.m == 0:
        return Solution((), 0.0, 0.0, {"seed": seed, "workers": workers, "iterations": 0, "moves": 0})
    results = {}
    stopped = [False]

    def asked() -> bool:
        stopped[0] = stopped[0] or bool(stop is not None and stop())
        return stopped[0]

    if workers == 1:
        best, iters, ttf = _run_search(data, seeds[0], deadline, max_iterations, snap, relay,
                                       stop=asked if stop is not None else None)
        results[0] = (best, iters, ttf)
    else:
        ctx = mp.get_context("fork")
        q = ctx.Queue()
        exchange = Exchange(ctx, data.n) if max_iterations is None else None
        halt = ctx.Event()
        procs = [
            ctx.Process(target=_worker, daemon=True,
                        args=(w, data, seeds[w], deadline, max_iterations, snap, q, exchange, halt))
            for w in range(workers)
        ]
        for p in procs:
            p.start()
        errors = []
        try:
            while len(results) + len(errors) < workers:
                if not halt.is_set() and asked():
                    halt.set()
                try:
                    msg = q.get(timeout=0.2)
                except queue.Empty:
                    if not any(p.is_alive() for p in procs) and q.empty():
                        break
                    continue
                if msg[0] == "progress":
                    relay(msg[2], msg[3])
                elif msg[0] == "result":
                    _, w, kinds, pos, length, iters, ttf = msg
                    results[w] = (Snapshot(kinds, pos, length), iters, ttf)
                else:
                    errors.append(msg[2])
        finally:
            for p in procs:
                p.join(timeout=2.0)
                if p.is_alive():
                    p.terminate()
        if not results:
            raise NestingError(f"every nesting worker failed: {'; '.join(errors) or 'no result'}")
    w_best = min(results, key=lambda w: (results[w][0].length, w))
    best = results[w_best][0]
    first = min(float(r[2] or 0.0) for r in results.values())
    stats = {
        "seed": int(seed),
        "workers": workers,
        "best_worker": int(w_best),
        "iterations": int(sum(r[1][0] for r in results.values())),
        "moves": int(sum(r[1][1] for r in results.values())),
        "time_to_first_s": float(t_search - t0 - compile_s) + first,
        "compile_s": float(compile_s),
        "search_s": float(time.monotonic() - t_search),
        "stopped": bool(stopped[0]),
    }
    if warm is not None:
        stats["resume"] = {**warm, "warm_start": bool(results[w_best][1][2])}
    sol = _solution(data, best, stats)
    if progress is not None:
        progress(Progress(time.monotonic() - t0, sol.length, sol.density, "done", True))
    return sol
