"""The materials of a pattern's pieces: which fabric each is cut from.

AAMA/ASTM exports name a piece's fabric in a ``Fabric:`` or ``Material:`` text: AccuMark writes
its fabric codes (``1`` the shell, ``2`` a rib or an interlining, ``3`` a contrast collar...).
Of the 13 real AccuMark exports at hand, six mix two or three of them in one style; nested as
one marker, a tee's rib collar was laid out on its jersey. A job nests the pieces of the
materials it is given (``--material 1``; ``none`` for pieces without a material), and a marker
mixing materials says so, naming them, rather than leaving a piece out unasked.

>>> from kitcut.model import Piece
>>> import numpy as np
>>> sq = np.array([(0, 0), (1, 0), (1, 1), (0, 1)])
>>> pieces = [Piece("Front", sq, material="1"), Piece("Collar", sq, material="2"), Piece("Cuff", sq)]
>>> print(mixed_note(pieces, "give --material"))
pieces of 2 materials on one marker: 1 (1 piece), 2 (1 piece: Collar), and 1 piece without one (Cuff); \
a cutting room cuts each from its own fabric: give --material
>>> [p.name for p in select_materials(pieces, "2,none")]
['Collar', 'Cuff']
"""

from __future__ import annotations

from collections.abc import Sequence

from kitcut.cells import counted
from kitcut.errors import InputError
from kitcut.formats.reading.texts import nfc

__all__ = ["NONE", "material_key", "mixed_note", "of_materials", "select_materials"]

#: what names the pieces without a material in a list of materials
NONE = "none"


def material_key(material: str | None) -> str:
    """The material as compared: stripped, NFC, without case; ``""`` for none."""
    return nfc(material.strip()).casefold() if material and material.strip() else ""


def _groups(pieces: Sequence) -> dict[str, list]:
    out: dict[str, list] = {}
    for p in pieces:
        if getattr(p, "quantity", 1) > 0:
            out.setdefault(material_key(p.material), []).append(p)
    return out


def _names(pieces: list) -> str:
    names = list(dict.fromkeys(p.name for p in pieces))
    return ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")


def mixed_note(pieces: Sequence, how: str, none_how: str = "") -> str | None:
    """A note when ``pieces`` (those cut) are of two materials or more, naming each with the number
    of pieces cut of it, and the pieces of all but the largest; ``how`` says how to cut them apart,
    ``none_how`` how to cut the pieces without a material, where there are any (cut one material at
    a time as ``how`` says, they were in no marker). ``None`` when they are of one (pieces without a
    material beside one material are taken to be of it)."""
    groups = _groups(pieces)

    def cut(k: str) -> int:  # the pieces cut (a sleeve cut twice counts twice), not the pieces drawn
        return sum(max(int(getattr(p, "quantity", 1)), 0) for p in groups[k])

    named = sorted((k for k in groups if k), key=lambda k: (-cut(k), k))
    if len(named) < 2:
        return None
    parts = [f"{groups[k][0].material.strip()} ({counted(cut(k), 'piece')}"
             + (f": {_names(groups[k])})" if i else ")") for i, k in enumerate(named)]
    text = ", ".join(parts)
    if "" in groups:
        text += f", and {counted(cut(''), 'piece')} without one ({_names(groups[''])})"
    if "" in groups and none_how:
        how += f"; {none_how}"
    return f"pieces of {len(named)} materials on one marker: {text}; a cutting room cuts each from its " \
           f"own fabric: {how}"


def select_materials(pieces: Sequence, text: str, *, what: str = "--material") -> list:
    """The pieces of the materials listed in ``text`` (``1,2``; :data:`NONE` for the pieces
    without a material), in their order; an error naming the materials there are when the list
    names one no piece has."""
    wanted = _wanted(text)
    if not wanted:
        raise InputError(f"{what}: give one material or more (e.g. 1 or 1,2; {NONE}: pieces without one)")
    have = {material_key(p.material): (p.material or "").strip() for p in pieces}
    missing = [w for w in wanted if (w if w != NONE else "") not in have]
    if missing:
        there = ", ".join(sorted(v or NONE for v in have.values()))
        raise InputError(f"{what}: no piece of material {', '.join(missing)} (the pattern's pieces are of "
                         f"{there})")
    return of_materials(pieces, text)


def of_materials(pieces: Sequence, text: str) -> list:
    """The pieces of the materials listed in ``text`` (as :func:`select_materials`, with no
    check that each material has a piece)."""
    keep = {w if w != NONE else "" for w in _wanted(text)}
    return [p for p in pieces if material_key(p.material) in keep]


def _wanted(text: str) -> list[str]:
    """The materials a ``--material`` text lists (``1,2``), as :func:`material_key` gives them."""
    return [material_key(t) for t in str(text).split(",") if t.strip()]
