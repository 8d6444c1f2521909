"""kitcut.nesting: strip packing of irregular pieces (numba kernels, sparrow-like search).

Pieces are nested on a strip of fixed ``width`` (y in [margin, width - margin]) and free
length (x >= 0), minimising the length. The search works on stand-ins inflated by half the
spacing; results are checked on the original outlines by :func:`validate` (shapely only)::

    from kitcut.nesting import Instance, Item, solve, validate
    inst = Instance((Item("front", ring, demand=2, orientations=((0.0, False), (180.0, False))),),
                    width=1500.0, spacing=2.0)
    sol = solve(inst, time_limit=30, seed=1)      # workers: all cores (forked processes)
    validate(inst, sol)                            # raises ValidationError on any violation

Layout: ``types`` (public data), ``instance`` (arrays per item orientation), ``standins``
(inflated outlines and poles), ``kernels`` (numba), ``engine``
(collision engine), ``construct`` (bottom-left fill), ``warm`` (an earlier solution fitted as the
first marker), ``search`` (optimiser), ``exchange``
(workers' shared best), ``solve``, ``validate``, ``rules`` (garment orientation rules).
"""

from __future__ import annotations

from kitcut.nesting.solve import solve, warmup
from kitcut.nesting.types import Instance, Item, Match, Placed, Progress, Solution, Zone
from kitcut.nesting.validate import validate

__all__ = ["Item", "Instance", "Match", "Zone", "Placed", "Solution", "Progress", "solve", "validate",
           "warmup"]
