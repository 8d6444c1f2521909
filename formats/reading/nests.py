"""Graded nests drawn on one layer in plain DXF: every size of a piece, one inside the other.

A stacked nest puts each size on its own layer in the exports seen so far, and those read as
separate pieces. Drawn on one layer, the smaller sizes lie inside the largest one along its
cut line, so ring nesting alone takes them for its sew lines, and every ``Size:`` text for
the one piece: the job would cut the largest size under the first size name it read.

A piece is a nest when the texts inside it give as many different sizes as it has outlines
(its own and the inner ones running along it). The outlines are then pieces of their own: by
area, the largest outline is the largest size (sizes ordered as :func:`sorted_sizes` orders
them). Every other text (name, quantity, category) is shared by the sizes. A notch belongs to
the size whose outline runs nearest to it; marks that several sizes could own (on edges the
sizes share, or inside, away from every outline: drills, lines) are shared out by their place
on the rays from the point the sizes grow from (:func:`share_ties`).
"""

from __future__ import annotations

import numpy as np

from kitcut.formats.reading.sizes import sorted_sizes

__all__ = ["Nest", "find_nests", "share_ties", "undivided"]


class Nest:
    """The outlines of one graded nest (ring indices, largest first) and the size of each."""

    def __init__(self, rings: list[int], sizes: list[str], *, by_layer: bool = False):
        self.rings = rings
        self.sizes = sizes
        self.ring_of = dict(zip(sizes, rings, strict=True))
        self.by_layer = by_layer  # the sizes come from the layers' names (size_layers), not texts
        self._centre = None

    def nearest(self, point, boundaries: dict, tol: float) -> list[int]:
        """The rings of this nest a mark at ``point`` may belong to: the one whose outline runs
        nearest, or every one within ``tol`` of it (sizes graded from a common point share
        edges); every ring for a mark inside, away from all outlines (a drill, a line)."""
        from shapely.geometry import Point

        p = Point(point)
        d = {i: boundaries[i].distance(p) for i in self.rings}
        best = min(d.values())
        if best > 4 * tol:
            return list(self.rings)
        return [i for i in self.rings if d[i] <= best + tol]

    def centre(self, rings: list) -> np.ndarray:
        """The point the sizes grow from: the centre of the scaling that takes the smallest
        outline's centroid and area to the largest one's."""
        if self._centre is None:
            from shapely.geometry import Polygon

            big, small = Polygon(rings[self.rings[0]][1]), Polygon(rings[self.rings[-1]][1])
            r = float(np.sqrt(big.area / small.area))
            gb, gs = np.array(big.centroid.coords[0]), np.array(small.centroid.coords[0])
            self._centre = gs if abs(r - 1.0) < 1e-9 else (gb - r * gs) / (1.0 - r)
        return self._centre


def share_ties(found: list[list[int]], where: list, nest_of: dict, rings: list) -> list[list[int]]:
    """Marks that could belong to several sizes (``found``: the rings of each mark, ``where``:
    its point) shared out. A size grows from a reference point, so the same mark of each size
    lies on one ray from it, further out the larger the size: the tied marks, taken in order
    round that point in groups of as many as there are sizes, go smallest size first (nearest
    the point). Marks that do not divide evenly stay with every size they could belong to."""
    ties: dict[frozenset, list[int]] = {}
    for k, rs in enumerate(found):
        if len(rs) > 1:
            ties.setdefault(frozenset(rs), []).append(k)
    for rs, ks in ties.items():
        if len(ks) % len(rs):
            continue
        nest = nest_of[next(iter(rs))]
        ref = nest.centre(rings)
        rel = {k: np.asarray(where[k], dtype=float).reshape(2) - ref for k in ks}
        ang = {k: float(np.arctan2(rel[k][1], rel[k][0])) for k in ks}
        by_angle = sorted(ks, key=ang.get)
        steps = np.diff([ang[k] for k in by_angle] + [ang[by_angle[0]] + 2 * np.pi])
        start = (int(np.argmax(steps)) + 1) % len(by_angle)  # begin after the widest empty sector
        by_angle = by_angle[start:] + by_angle[:start]
        small_first = [i for i in reversed(nest.rings) if i in rs]
        n = len(rs)
        for g in range(0, len(by_angle), n):
            group = sorted(by_angle[g:g + n], key=lambda k: float(np.hypot(*rel[k])))
            for size_rank, k in enumerate(group):
                found[k] = [small_first[size_rank]]
    return found


def undivided(found: list[list[int]]) -> int:
    """How many marks :func:`share_ties` left with several sizes."""
    return sum(1 for rs in found if len(rs) > 1)


def find_nests(rings: list, polys: list, role: list, parent: list, sizes_at: list) -> list[Nest]:
    """The graded nests among the rings (see the module docstring): outlines on one layer, each
    lying within the next larger one (touching it, as sizes graded from a common point do, or
    taken for its sew line) and covering half of it or more, whose ``Size:`` texts
    (``sizes_at``: ``(point mm, size)``) name one size per outline."""
    import shapely

    if not sizes_at:
        return []
    pts = np.array([p for p, _ in sizes_at], dtype=float).reshape(-1, 2)
    live = [k for k, r in enumerate(role)  # a size's outline may have been taken for a sew line or a
            if r == "piece" or (r in ("sew", "cut") and rings[k][2] == rings[parent[k]][2])]  # cut-out
    group = {k: k for k in live}

    def root(k: int) -> int:
        while group[k] != k:
            k = group[k]
        return k

    order = sorted(live, key=lambda k: -rings[k][0])
    box = {k: polys[k].bounds for k in live}
    for a_pos, a in enumerate(order):
        ba = box[a]
        for b in order[a_pos + 1:]:
            if rings[b][0] < 0.5 * rings[a][0]:
                break
            bb = box[b]
            if bb[0] < ba[0] - 1 or bb[1] < ba[1] - 1 or bb[2] > ba[2] + 1 or bb[3] > ba[3] + 1:
                continue  # not within the larger outline's box
            if rings[b][2] != rings[a][2] or root(a) == root(b):
                continue
            if shapely.intersection(polys[a], polys[b]).area >= 0.98 * rings[b][0]:
                group[root(b)] = root(a)
    members: dict[int, list[int]] = {}
    for k in live:
        members.setdefault(root(k), []).append(k)
    out = []
    for top, ks in members.items():
        if len(ks) < 2:
            continue
        hit = shapely.contains_xy(polys[top], pts[:, 0], pts[:, 1])
        named = sorted_sizes(s for (_, s), h in zip(sizes_at, hit, strict=True) if h)
        if len(named) != len(ks):
            continue
        out.append(Nest(sorted(ks, key=lambda k: -rings[k][0]), list(reversed(named))))
    return out
