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

from kitcut.formats.reading.build import RawPiece, boundary_extent
from kitcut.formats.reading.size_layers import layer_size

__all__ = ["sizes_from_block_names", "split_block_name"]

#: The blocks of one base name in two sizes are one piece graded when each side of their extents
#: is within this factor.
_GRADED = 1.4


def split_block_name(block: str, seps: str = r"_\-\s@") -> tuple[str, str] | None:
    """``(piece, size)`` of a block name parted at its last run of the separators ``seps`` (a
    regex character class body: by default ``_``, ``-``, white space and ``@``), or None: the
    size is not checked here. The grade rule reader, knowing its table's sizes, parts at ``_``
    and ``-`` only (:func:`~.grade_sizes.expand_sizes`).

    >>> split_block_name("FRONT_S"), split_block_name("BACK  38"), split_block_name("FRONT")
    (('FRONT', 'S'), ('BACK', '38'), None)
    """
    m = re.match(rf"^(?P<base>.*?[^{seps}])[{seps}]+(?P<size>[^{seps}]+)$", block)
    return (m["base"], m["size"]) if m and m["base"].strip() else None


def sizes_from_block_names(raws: list[RawPiece], report) -> None:
    """Give each piece of ``raws`` the size its block's name ends in (see the module docstring);
    reported. Nothing changes unless every block's name ends in a size and the sizes grade."""
    if len(raws) < 2 or any(r.texts.get("size") for r in raws):
        return
    parts = []
    for r in raws:
        split = split_block_name((r.block or "").strip())
        size = layer_size(split[1]) if split else None
        if size is None:
            return
        parts.append((split[0], size))
    by_base: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for k, (base, size) in enumerate(parts):
        by_base[base.casefold()][size].append(k)
    graded = [b for b, sizes in by_base.items() if len(sizes) >= 2]
    if not graded or len({s for _, s in parts}) < 2:
        return
    for b in graded:  # one piece in several sizes: extents alike, not a front and a sleeve
        ext = [e for ks in by_base[b].values() for k in ks if (e := boundary_extent(raws[k])) is not None]
        lo, hi = np.min(ext, axis=0), np.max(ext, axis=0)
        if np.any(hi > _GRADED * np.maximum(lo, 1e-9)):
            return
    for r, (base, size) in zip(raws, parts, strict=True):
        r.texts["size"] = size
        r.texts.setdefault("name", base)
    sizes = list(dict.fromkeys(s for _, s in parts))
    report.warn(f"no Size text: the block names end in sizes ({', '.join(sizes)}), {len(graded)} piece(s) "
                "drawn in several of them: each piece takes the size its block names")
