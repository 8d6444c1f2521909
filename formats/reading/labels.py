"""What the labels of a pattern file give its raw pieces: a name of their own in each size, and
the quantity to cut.

:func:`distinct_names` tells apart different pieces of one size that share a name;
:func:`assign_quantities` parses the Quantity texts (and AccuMark's habit of writing them in
the sample size only) into each piece's quantity and mirrored copies.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from kitcut.formats.reading.build import RawPiece
from kitcut.formats.reading.texts import ON_FOLD, parse_quantity_text
from kitcut.model import ImportReport

__all__ = ["distinct_names", "no_sizes_named", "assign_quantities", "QUANTITY_ZERO"]

#: the remark on a piece whose file says it is not cut (withdrawn when a job gives it a quantity)
QUANTITY_ZERO = "Quantity 0: the file says this piece is not cut; kept with quantity 0"


def no_sizes_named(wanted, told_apart: list[str]) -> str:
    """The warning on sizes asked for of a pattern that names none; when names were told apart
    (:func:`distinct_names`), it says that these may be the sizes of a graded nest whose size texts
    were not read, for every size drawn is then cut.

    >>> no_sizes_named(["M"], ["Front", "Back"])[-87:]
    '(Front, Back): if they are sizes, their size texts were not read (nest info lists them)'
    """
    out = f"size(s) {', '.join(wanted)} asked for, but the pattern names no sizes: each garment is cut " \
          "from the one size drawn"
    if told_apart:
        names = ", ".join(told_apart[:4]) + (", ..." if len(told_apart) > 4 else "")
        out += f", and {len(told_apart)} name(s) are drawn as different pieces ({names}): if they are " \
               "sizes, their size texts were not read (nest info lists them)"
    return out


def distinct_names(raws: list[RawPiece], report: ImportReport) -> list[str]:
    """Different pieces of one size sharing a name are told apart, from left to right as drawn,
    as ``NAME``, ``NAME#2``, ... (reported).

    The pieces of a size are what the cutting room sorts by name, and the other sizes of a name
    take its Quantity text (:func:`assign_quantities`): two different pockets both labelled
    ``Pocket`` would be one piece to both. Copies of one outline (a block inserted twice, a
    piece drawn again turned or mirrored) are the same piece and keep the name. Returns the names
    so told apart."""
    groups: dict[tuple[str, str], list[RawPiece]] = defaultdict(list)
    for r in raws:
        groups[(r.name, r.texts.get("size") or "")].append(r)
    taken = defaultdict(set)  # size -> names in use
    for name, size in groups:
        taken[size].add(name)
    told: list[str] = []
    for (name, size), group in list(groups.items()):
        if len(group) < 2:
            continue
        kinds: list[tuple[tuple[float, float], list[RawPiece]]] = []
        for r in sorted(group, key=_leftmost):
            sig = _shape(r)
            same = next((k for k in kinds if _alike(k[0], sig)), None)
            if same is None:
                kinds.append((sig, [r]))
            else:
                same[1].append(r)
        if len(kinds) < 2:
            continue
        given = [name]
        k = 1
        for _, rs in kinds[1:]:
            k += 1
            while f"{name}#{k}" in taken[size]:
                k += 1
            for r in rs:
                r.texts["name"] = f"{name}#{k}"
            taken[size].add(f"{name}#{k}")
            given.append(f"{name}#{k}")
        where = f" of size {size}" if size else ""
        report.warn(f"{len(kinds)} different pieces{where} have this name: told apart as "
                    f"{', '.join(given)} (name them apart in the CAD)", piece=name)
        told.append(name)
    return told


def _parts(r: RawPiece) -> list[tuple[np.ndarray, bool]]:
    """The parts of a raw cut line: (points, closed)."""
    return [(np.asarray(pts, dtype=float)[:, :2], closed) for pts, closed, _ in r.boundary if len(pts)]


def _leftmost(r: RawPiece) -> tuple[float, float]:
    parts = _parts(r)
    if not parts:
        return (math.inf, math.inf)
    lo = np.concatenate([arr for arr, _ in parts]).min(axis=0)
    return (float(lo[0]), float(lo[1]))


def _shape(r: RawPiece) -> tuple[float, float]:
    """(convex hull area, length of the cut line) of a raw outline: the same for its copies
    moved, turned or mirrored, whatever order its parts are drawn in."""
    from shapely.geometry import MultiPoint

    parts = _parts(r)
    if not parts:
        return (0.0, 0.0)
    hull = MultiPoint(np.concatenate([arr for arr, _ in parts])).convex_hull.area
    length = 0.0
    for arr, closed in parts:
        ring = np.vstack([arr, arr[:1]]) if closed else arr
        length += float(np.hypot(*np.diff(ring, axis=0).T).sum())
    return (hull, length)


def _alike(a: tuple[float, float], b: tuple[float, float], rel: float = 0.01) -> bool:
    return all(abs(x - y) <= rel * max(abs(x), abs(y), 1e-9) for x, y in zip(a, b, strict=True))


def assign_quantities(raws: list[RawPiece], report: ImportReport) -> None:
    """Quantity, Category and Fabric texts: parsed, and shared between the sizes of a piece.

    AccuMark writes them in the sample-size block only; the other sizes of the same piece name
    take them (reported), and its annotations (``2XFABRIC``: the cut count of a style whose
    pieces all say ``Quantity: 0``). ``a,b`` is ``a`` as drawn plus ``b`` mirrored."""
    by_name: dict[str, list[RawPiece]] = defaultdict(list)
    for r in raws:
        by_name[r.name].append(r)
    missing = []
    for name, group in by_name.items():
        for key in ("quantity", "category", "material"):
            donors = [r for r in group if r.texts.get(key)]
            takers = [r for r in group if not r.texts.get(key)]
            if donors and takers:
                for r in takers:
                    r.texts[key] = donors[0].texts[key]
                if key == "quantity":
                    report.warn(f"Quantity text only in {len(donors)} of {len(group)} sizes "
                                f"(size {donors[0].texts.get('size', '?')}): used for the other sizes",
                                piece=name)
        having = [r for r in group if r.annotations]
        for r in group if having else ():
            if not r.annotations:
                r.annotations.extend(having[0].annotations)
        zero = False
        for r in group:
            q = r.texts.get("quantity")
            if q:
                fold = ON_FOLD.search(q)
                if fold:  # "Quantity: 1 on fold": the count, and the fold words kept as a label
                    if not any(ON_FOLD.search(a) for a in r.annotations):
                        r.annotations.append(fold.group(0))
                try:
                    r.quantity, r.flipped = parse_quantity_text(ON_FOLD.sub(" ", q) if fold else q)
                except ValueError:
                    size = r.texts.get("size")  # each size's own: those a job does not cut are folded
                    report.warn(f"unreadable Quantity text {q!r}: 1 assumed",
                                piece=f"{name} ({size})" if size else name, headline=True, quantity_of=name)
                    r.quantity, r.flipped = 1, None
                    r.quantity_rule = "assumed"
            elif r.inserts:
                r.quantity = r.inserts[0]
                r.flipped = r.inserts[1] or None
                r.quantity_rule = "blocks"
            else:
                r.quantity, r.flipped = 1, None
                r.quantity_rule = "assumed"
                if name not in missing:
                    missing.append(name)
            zero = zero or r.quantity == 0
        if zero:
            report.warn(QUANTITY_ZERO, piece=name)
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        report.warn(f"no Quantity text: quantity 1 assumed for {shown}")
