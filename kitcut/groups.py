"""Connected groups of items linked in pairs (union-find), for every layer: letters linked by
their distance (``formats``), orders linked by a shared fabric (``kits``).

>>> groups(5, [(0, 2), (3, 4), (2, 0)])
[[0, 2], [1], [3, 4]]
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["groups"]


def groups(n: int, pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The items ``0 .. n-1`` in the groups the ``pairs`` link, each in ascending order, the
    groups in the order of their first items."""
    parent = list(range(n))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for p, q in pairs:
        parent[root(p)] = root(q)
    out: dict[int, list[int]] = {}
    for k in range(n):
        out.setdefault(root(k), []).append(k)
    return list(out.values())
