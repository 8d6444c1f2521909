"""kitcut.nesting: strip packing of irregular pieces (numba kernels, sparrow-like search).

>>> from kitcut.nesting import Instance, Item, solve, validate   # doctest: +SKIP
"""

from __future__ import annotations

from kitcut.nesting.solve import solve, warmup
from kitcut.nesting.types import Instance, Item, Placed, Progress, Solution
from kitcut.nesting.validate import validate

__all__ = ["Item", "Instance", "Placed", "Solution", "Progress", "solve", "validate", "warmup"]
