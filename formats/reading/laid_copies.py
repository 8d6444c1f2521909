"""Blocks of one name defined once per laid copy: a layout (marker) exported with each piece laid
as often as it is cut, every copy a block of its own that keeps the piece's label.

Valentina's layout export with "Nest quantity" lays a ``Cut 2`` piece twice: two definitions of
the block ``BACKPANEL1``, each with the label ``Fabric, Cut 2``, turned and placed apart. Read as
two pieces of two each, the pattern's 8 copies were cut 16 times, and the warning blamed
Valentina's default ``Detail`` names; its flat layout export draws each copy, labelled. Definitions
of one name, or pieces of a plain drawing of one name and size, with the same cut line (the same
lengths of its segments, in any turn or mirror image) and the same label are the copies of one
piece: it is read once, its label's count standing for them, when that count is at least the
number of copies. Different pieces under one name (``Detail``) stay pieces of their own, and so
do pieces traced on a piece (two pockets' places on a bag panel, each labelled ``Cut 2``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kitcut.formats.reading.build import RawPiece
from kitcut.formats.reading.dxf_fast import block_name
from kitcut.formats.reading.texts import parse_quantity_text
from kitcut.model import ImportReport

__all__ = ["one_per_piece", "blocks_once", "labels_once"]


def _lengths(r: RawPiece) -> np.ndarray:
    """The sorted lengths of the segments of ``r``'s cut line (the same in any turn or mirror)."""
    parts = []
    for pts, closed, _src in r.boundary:
        p = np.asarray(pts, dtype=np.float64)[:, :2]
        if closed and len(p) > 1:
            p = np.vstack([p, p[:1]])
        parts.append(np.hypot(*np.diff(p, axis=0).T))
    return np.sort(np.concatenate(parts)) if parts else np.zeros(0)


def _outline(r: RawPiece):
    """The polygon of ``r``'s first closed cut line (None without one)."""
    from shapely.geometry import Polygon

    ring = next((p for p, closed, _ in r.boundary if closed and len(p) >= 3), None)
    if ring is None:
        return None
    poly = Polygon(np.asarray(ring, dtype=np.float64)[:, :2])
    return poly if poly.is_valid else poly.buffer(0)


def _on_pieces(some: list[RawPiece], raws: list[RawPiece]) -> set[int]:
    """The ids of the pieces of ``some`` lying on a bigger piece of ``raws``."""
    import shapely

    polys = [p for p in (_outline(r) for r in raws) if p is not None]
    tree = shapely.STRtree(polys)
    out = set()
    for r in some:
        a = _outline(r)
        if a is None:
            continue
        at = a.representative_point()
        if any(polys[k].area > a.area and polys[k].contains(at) for k in tree.query(at)):
            out.add(id(r))
    return out


def _count(r: RawPiece) -> int | None:
    try:
        return parse_quantity_text(r.texts["quantity"])[0] if r.texts.get("quantity") else None
    except ValueError:
        return None


def one_per_piece(raws: list[RawPiece], key: Callable[[RawPiece], object], report: ImportReport,
                  what: Callable[[object, int], str]) -> tuple[list, set]:
    """``raws`` with the laid copies of each piece (see the module docstring) read once, and the
    keys so read. ``key(raw)`` groups the candidates (None: not one); ``what(key, n)`` says what
    the ``n`` copies are in the remark (``block 'BACK' is defined 2 times``)."""
    by_key: dict = {}
    for k, r in enumerate(raws):
        if (g := key(r)) is not None:
            by_key.setdefault(g, []).append(k)
    drop: set[int] = set()
    laid: set = set()
    for g, ks in by_key.items():
        first = raws[ks[0]]
        count, size = _count(first), first.texts.get("size")
        if len(ks) < 2 or count is None or count < len(ks):
            continue
        ref = _lengths(first)
        scale = float(ref.sum()) or 1.0
        if not len(ref) or not all(
                raws[k].texts == first.texts and len(_lengths(raws[k])) == len(ref)
                and np.allclose(_lengths(raws[k]), ref, rtol=0.0, atol=1e-6 * scale) for k in ks[1:]):
            continue
        drop.update(ks[1:])
        laid.add(g)
        report.warn(f"{what(g, len(ks))} with the same cut line and label: the laid copies of one piece (a "
                    "layout exported with each piece laid as often as it is cut, as Valentina's 'Nest "
                    f"quantity' does), read once, {count} copies from its label",
                    piece=f"{first.name} ({size})" if size else first.name)
    return [r for k, r in enumerate(raws) if k not in drop], laid


def blocks_once(raws: list[RawPiece], repeated: dict[str, int], report: ImportReport) -> tuple[list, set]:
    """:func:`one_per_piece` of the pieces of blocks defined more than once (AAMA, ASTM)."""
    return one_per_piece(raws, lambda r: block_name(r.block) if block_name(r.block) in repeated else None,
                         report, lambda name, n: f"block '{name}' is defined {n} times")


def labels_once(raws: list[RawPiece], report: ImportReport) -> list[RawPiece]:
    """:func:`one_per_piece` of the pieces of a plain drawing named and counted by their texts."""

    def label(r: RawPiece):
        named = r.texts.get("name") and r.texts.get("quantity")
        return (r.texts["name"], r.texts.get("size")) if named else None

    seen: dict = {}
    for r in raws:
        if (g := label(r)) is not None:
            seen[g] = seen.get(g, 0) + 1
    twins = [r for r in raws if seen.get(label(r), 0) > 1]
    if not twins:
        return raws
    on_piece = _on_pieces(twins, raws)

    def key(r: RawPiece):  # a piece traced on a piece (a pocket's place) is no laid copy
        return label(r) if seen.get(label(r), 0) > 1 and id(r) not in on_piece else None

    kept, _ = one_per_piece(raws, key, report, lambda g, n: f"{n} pieces named '{g[0]}'")
    return kept
