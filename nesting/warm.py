"""The warm start: an earlier solution fitted to this instance as the search's first marker.

An earlier marker may have been nested under other rules (a narrower fabric, wider margins,
another nap) or for other copies. :func:`warm_snapshot` keeps each placement that still fits,
moves the others into the strip (the usable width, x >= 0, on the repeat) and turns them to the
closest allowed orientation, places the copies the solution lacks bottom-left beside them, and
leaves out the placements of copies this instance does not demand. What it did is returned as
counts, so the caller can say it; the search then removes any overlap this leaves (or starts
afresh when it cannot).
"""

from __future__ import annotations

import math

import numpy as np

from kitcut.nesting.engine import Engine, Snapshot
from kitcut.nesting.instance import Compiled
from kitcut.nesting.types import Solution

__all__ = ["warm_snapshot"]

#: Relative slack when a position is compared with the one it was moved to.
_EPS = 1e-9


def _closest_kind(data: Compiled, p: int, rotation_deg: float, mirrored: bool) -> tuple[int, bool]:
    """The kind of piece ``p`` closest to the orientation given (mirroring first, then the angle),
    and whether it is that orientation."""
    k0, k1 = int(data.pk0[p]), int(data.pk1[p])
    diff = np.abs((data.kind_rot[k0:k1] - rotation_deg + 180.0) % 360.0 - 180.0)
    cost = diff + 1000.0 * (data.kind_mir[k0:k1] != bool(mirrored))
    j = int(np.argmin(cost))
    return k0 + j, bool(cost[j] < 1e-6)


def warm_snapshot(data: Compiled, initial: Solution,
                  rng: np.random.Generator) -> tuple[Snapshot | None, dict]:
    """The first marker of a search warm-started from ``initial``, and what was done to it.

    The counts: ``kept`` (placements used as they were), ``moved`` (moved into the strip or
    turned to an allowed orientation), ``placed`` (demanded copies the solution lacks, placed
    anew), ``dropped`` (placements of copies the instance does not demand, repeated ones, or
    with coordinates that are not finite). The snapshot is ``None`` when no placement is usable.
    """
    pairs = zip(data.piece_item[: data.m], data.piece_copy[: data.m], strict=True)
    where = {(int(i), int(c)): p for p, (i, c) in enumerate(pairs)}
    eng = Engine(data)  # every movable piece starts out of play (an empty box)
    eng.length = math.inf  # the strip's end does not bound a warm start
    seen: set[int] = set()
    counts = {"kept": 0, "moved": 0, "placed": 0, "dropped": 0}
    for pl in initial.placements:
        p = where.get((int(pl.item), int(pl.copy)))
        numbers = (float(pl.rotation_deg), float(pl.translation[0]), float(pl.translation[1]))
        if p is None or p in seen or not all(math.isfinite(v) for v in numbers):
            counts["dropped"] += 1
            continue
        k, same = _closest_kind(data, p, numbers[0], bool(pl.mirrored))
        x, y = data.position(k, numbers[1:])
        nx, ny = eng.inside(k, x, y, down=False)
        tol = _EPS * (1.0 + abs(x) + abs(y) + float(data.ymax))
        counts["kept" if same and abs(nx - x) <= tol and abs(ny - y) <= tol else "moved"] += 1
        eng.set(p, k, nx, ny)
        seen.add(p)
    if not seen:
        return None, counts
    missing = [p for p in range(data.m) if p not in seen]
    if missing:
        area = data.item_area[data.piece_item[missing]]
        order = [missing[j] for j in np.lexsort((np.arange(len(missing)), -area))]
        first = data.pk0[missing]
        limit = eng.used_length() + 2.0 * float(np.sum(data.lat[first, 0] + data.obb[first, 2]))
        limit += float(np.max(data.lat[first, 4], initial=0.0)) + 1.0
        for p in order:
            eng.place_bottom_left(int(p), rng, 200, limit)
        counts["placed"] = len(missing)
    return Snapshot(eng.kinds.copy(), eng.pos.copy(), eng.used_length()), counts
