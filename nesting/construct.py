"""The first feasible marker: bottom-left fill of the pieces, largest first."""

from __future__ import annotations

import numpy as np

from kitcut.nesting.engine import Engine

__all__ = ["bottom_left", "order_by_area"]


def order_by_area(engine: Engine, rng: np.random.Generator | None = None, jitter: float = 0.0) -> np.ndarray:
    """Pieces by decreasing area (ties: item order), optionally with a random jitter of the keys."""
    d = engine.data
    area = d.item_area[d.piece_item[: d.m]].astype(float)
    if rng is not None and jitter > 0:
        area = area * (1.0 + jitter * rng.random(len(area)))
    return np.lexsort((np.arange(d.m), -area))


def bottom_left(engine: Engine, rng: np.random.Generator, *, samples: int = 200,
                order: np.ndarray | None = None) -> float:
    """Place every piece (feasibly: no stand-ins overlap) and return the used length."""
    d = engine.data
    for i in range(d.m):  # the zones stay where they lie
        engine.remove(i)
    first = d.pk0[: d.m]
    # room for every piece in a row, whatever the repeat and the zones
    limit = float(np.sum(d.lat[first, 0] + d.obb[first, 2])) * 2.0 + float(np.max(d.lat[first, 4], initial=0))
    limit += float(d.zone_pos[:, 0].max(initial=0.0) + d.obb[d.pk0[d.m:], 2].max(initial=0.0)) + 1.0
    for i in (order_by_area(engine) if order is None else order):
        engine.place_bottom_left(int(i), rng, samples, limit)
    used = engine.used_length()
    engine.length = used
    engine.refresh()
    return used
