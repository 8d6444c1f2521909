"""Sizes named by the blocks of an AAMA/ASTM pattern that writes no ``Size:`` text: every size
of a piece drawn in a block of its own, named ``PIECE_SIZE`` (``FRONT_S``, ``FRONT-M``,
``BACK 38``), as AccuMark and other CADs name them.

When no piece carries a size text, every block's name ends in a size (after ``_``, ``-``, a
space or ``@``), and the blocks of one base name in several sizes are one piece graded (their
extents within 40 % of each other), each block's piece takes that size, and its base name when
it has no name text. Before, a job of one size cut every size drawn, under names told apart as
``FRONT#2``.
"""

from __future__ import annotations

import re
from collections import defaultdict

import numpy as np

from kitcut.formats.reading.build import RawPiece
from kitcut.formats.reading.size_layers import layer_size

__all__ = ["sizes_from_block_names"]

_SPLIT = re.compile(r"^(?P<base>.*?[^_\-\s@])[_\-\s@]+(?P<size>[^_\-\s@]+)$")
#: The blocks of one base name in two sizes are one piece graded when each side of their extents
#: is within this factor.
_GRADED = 1.4


def _extent(raw: RawPiece) -> np.ndarray | None:
    pts = [np.asarray(p, dtype=float).reshape(-1, 2) for p, _, _ in raw.boundary if len(p)]
    if not pts:
        return None
    allp = np.vstack(pts)
    return np.ptp(allp, axis=0)


def sizes_from_block_names(raws: list[RawPiece], report) -> None:
    """Give each piece of ``raws`` the size its block's name ends in (see the module docstring);
    reported. Nothing changes unless every block's name ends in a size and the sizes grade."""
    if len(raws) < 2 or any(r.texts.get("size") for r in raws):
        return
    parts = []
    for r in raws:
        m = _SPLIT.match((r.block or "").strip())
        size = layer_size(m["size"]) if m else None
        if size is None:
            return
        parts.append((m["base"], size))
    by_base: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for k, (base, size) in enumerate(parts):
        by_base[base.casefold()][size].append(k)
    graded = [b for b, sizes in by_base.items() if len(sizes) >= 2]
    if not graded or len({s for _, s in parts}) < 2:
        return
    for b in graded:  # one piece in several sizes: extents alike, not a front and a sleeve
        ext = [e for ks in by_base[b].values() for k in ks if (e := _extent(raws[k])) is not None]
        lo, hi = np.min(ext, axis=0), np.max(ext, axis=0)
        if np.any(hi > _GRADED * np.maximum(lo, 1e-9)):
            return
    for r, (base, size) in zip(raws, parts, strict=True):
        r.texts["size"] = size
        r.texts.setdefault("name", base)
    sizes = sorted({s for _, s in parts}, key=[s for _, s in parts].index)
    report.warn(f"no Size text: the block names end in sizes ({', '.join(sizes)}), {len(graded)} piece(s) "
                "drawn in several of them: each piece takes the size its block names")
