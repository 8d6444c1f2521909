"""Blocks of one name defined once per laid copy: a layout (marker) exported with each piece laid
as often as it is cut, every copy a block of its own that keeps the piece's label.

Valentina's layout export with "Nest quantity" lays a ``Cut 2`` piece twice: two definitions of
the block ``BACKPANEL1``, each with the label ``Fabric, Cut 2``, turned and placed apart. Read as
two pieces of two each, the pattern's 8 copies were cut 16 times, and the warning blamed
Valentina's default ``Detail`` names; its flat layout export draws each copy, labelled. Definitions
of one name, or pieces of a plain drawing of one name and size, with the same cut line (the same
lengths of its segments, in any turn or mirror image) and the same label are the copies of one
piece: it is read once, its label's count standing for them, when the drawing is laid as a whole
(every piece counted two or more laid exactly that often). A shell and its lining
(``Fabric, Cut 2``, ``Lining, Cut 2``), different pieces under one name (``Detail``), pieces
traced on a piece (two pockets' places on a bag panel, each labelled ``Cut 2``), and any
drawing with a piece counted twice but drawn once stay pieces of their own.
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


def _congruent(lengths: np.ndarray, ref: np.ndarray) -> bool:
    """Two cut lines' sorted segment lengths (:func:`_lengths`) are the same."""
    scale = float(ref.sum()) or 1.0
    return len(lengths) == len(ref) and bool(np.allclose(lengths, ref, rtol=0.0, atol=1e-6 * scale))


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

    outline = {id(r): _outline(r) for r in raws}
    polys = [p for p in outline.values() if p is not None]
    tree = shapely.STRtree(polys)
    out = set()
    for r in some:
        a = outline[id(r)]
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


def _label(r: RawPiece, name) -> tuple:
    """What a copy must share with the others of its piece: name, size, texts and notes (the
    material: ``Fabric, Cut 2`` and ``Lining, Cut 2`` are a shell and its lining)."""
    return name, tuple(sorted((k, str(v)) for k, v in r.texts.items())), tuple(map(str, r.annotations))


def one_per_piece(raws: list[RawPiece], name_of: Callable[[RawPiece], object], report: ImportReport,
                  what: Callable[[object, int], str]) -> tuple[list, set]:
    """``raws`` with the laid copies of each piece (see the module docstring) read once, and the
    names so read. ``name_of(raw)`` is a piece's name (None: no candidate); ``what(name, n)``
    says what the ``n`` copies are in the remark (``block 'BACK' is defined 2 times``).

    Only a drawing laid as a whole: every labelled piece counted two or more is laid exactly as
    often as its label counts, each with one cut line; a pattern that draws one such piece once
    is no layout, and two pieces of one name and label there are two pieces."""
    groups: dict = {}
    for k, r in enumerate(raws):
        if (name := name_of(r)) is not None:
            groups.setdefault(_label(r, name), []).append(k)
    if not any(len(ks) > 1 for ks in groups.values()):
        return raws, set()
    for ks in groups.values():
        first = raws[ks[0]]
        count = _count(first)
        if count is None or (count >= 2 and len(ks) != count) or len(ks) > max(count, 1):
            return raws, set()  # not laid as a whole
        ref = _lengths(first)
        if not len(ref) or not all(_congruent(_lengths(raws[k]), ref) for k in ks[1:]):
            return raws, set()
    drop: set[int] = set()
    laid: set = set()
    for label, ks in groups.items():
        if len(ks) < 2:
            continue
        first = raws[ks[0]]
        size = first.texts.get("size")
        drop.update(ks[1:])
        laid.add(label[0])
        report.warn(f"{what(label[0], len(ks))} with the same cut line and label: the laid copies of one "
                    "piece (a layout exported with each piece laid as often as it is cut, as Valentina's "
                    f"'Nest quantity' does), read once, {_count(first)} copies from its label",
                    piece=f"{first.name} ({size})" if size else first.name)
    return [r for k, r in enumerate(raws) if k not in drop], laid


def blocks_once(raws: list[RawPiece], repeated: dict[str, int], report: ImportReport) -> tuple[list, set]:
    """:func:`one_per_piece` of the pieces of blocks defined more than once (AAMA, ASTM)."""
    if not repeated:
        return raws, set()
    return one_per_piece(raws, lambda r: block_name(r.block) if r.block else None, report,
                         lambda name, n: f"block '{name}' is defined {n} times")


def labels_once(raws: list[RawPiece], report: ImportReport) -> list[RawPiece]:
    """:func:`one_per_piece` of the pieces of a plain drawing named by their texts; a piece
    traced on a piece (a pocket's place) is no laid copy."""
    named = [r for r in raws if r.texts.get("name")]
    if len({(r.texts["name"], r.texts.get("size")) for r in named}) == len(named):
        return raws  # no two pieces of one name
    on_piece = _on_pieces(named, raws)
    kept, _ = one_per_piece(raws, lambda r: r.texts.get("name") if id(r) not in on_piece else None, report,
                            lambda name, n: f"{n} pieces named '{name}'")
    return kept
