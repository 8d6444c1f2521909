"""Graded nests drawn a layer per size in plain DXF, the layers named for the sizes (``S``,
``M``, ``L``; ``38``, ``40``; ``SIZE_M``) and no ``Size:`` text anywhere.

The sizes are stacked over each other: each piece of one size lies over the same piece of the
next. When every layer holding pieces is named like a size and pieces of different layers are
stacked so, each stack is a :class:`~.nests.Nest` whose outlines take their layers' sizes: the
texts of any size (graded-nest plots often label the base size only) go to every size, and the
marks drawn on shared layers (grain, fold) are shared out among the sizes as in a nest drawn
on one layer. Before, a job of one size cut every size drawn, the unlabelled sizes nameless.
"""

from __future__ import annotations

import re

import shapely

from kitcut.formats.reading.nests import Nest
from kitcut.groups import groups

__all__ = ["SIZE_NAME", "layer_size", "find_layer_nests"]

_SIZE_WORD = (r"SIZE|GR(?:Ö|OE)(?:SS|ß)E|TAILLE|TALLA|TAGLIA|MAAT|ROZMIAR|BEDEN|РАЗМЕР|尺码|号型|尺寸|"
              r"サイズ|사이즈")
#: Layer names that name a size.
SIZE_NAME = re.compile(r"^(?:\d+(?:[./-]\d+)?[A-Z]?|X{0,4}[SML]|\d?X{1,2}[SL]|OS|.*(?:" + _SIZE_WORD
                       + r").*)$", re.I)
#: Two pieces of two layers overlapping by this share of the smaller one are one piece stacked
#: in two sizes.
_STACKED = 0.8


def layer_size(layer: str) -> str | None:
    """The size a layer's name names (``SIZE_M`` -> ``M``, ``Größe 38`` -> ``38``, ``L`` -> ``L``),
    or None."""
    name = layer.strip()
    if not SIZE_NAME.fullmatch(name):
        return None
    m = re.match(r"^.*?(?:" + _SIZE_WORD + r")[\s_:=-]*(.+)$", name, re.I)
    return (m.group(1) if m else name).strip() or None


def find_layer_nests(rings: list, polys: list, role: list) -> list[Nest]:
    """The stacks of piece rings (``role`` "piece"), one ring per layer, when every layer holding
    pieces names a size (:func:`layer_size`); none when no two pieces of two layers are stacked
    (pieces side by side on layers ``M`` and ``L``: a main fabric and a lining, say)."""
    pieces = [k for k, r in enumerate(role) if r == "piece"]
    layers = {rings[k][2] for k in pieces}
    if len(layers) < 2 or any(layer_size(la) is None for la in layers):
        return []
    stacked = []  # positions in ``pieces`` of the pairs of pieces of two layers stacked
    for u, a in enumerate(pieces):
        for v in range(u + 1, len(pieces)):
            b = pieces[v]
            if rings[a][2] == rings[b][2] or not polys[a].intersects(polys[b]):
                continue
            small = min(rings[a][0], rings[b][0])
            if shapely.intersection(polys[a], polys[b]).area >= _STACKED * small:
                stacked.append((u, v))
    out = []
    for group in groups(len(pieces), stacked):
        ks = [pieces[u] for u in group]
        if len(ks) < 2 or len({rings[k][2] for k in ks}) < len(ks):
            continue  # alone, or two pieces of one layer in the stack: no nest of sizes
        ks = sorted(ks, key=lambda k: -rings[k][0])
        out.append(Nest(ks, [layer_size(rings[k][2]) for k in ks], by_layer=True))
    return out
