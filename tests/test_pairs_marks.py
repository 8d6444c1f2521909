"""A piece cut twice is cut as a left/right pair unless a mirrored copy of it is the piece itself:
its outline and its marks. A sleeve whose outline is symmetric and whose back is told from its
front by a double notch (as most sleeve patterns mark them), written ``Quantity: 2`` with no
mirrored count, was cut as two sleeves as drawn: one of them had its back notch to the front."""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_import_dxf import aama_doc, add_piece, save
from test_import_errors import nest

from kitcut.formats.reading.read import read_pattern
from kitcut.model import Drill, Line, Notch, Piece

#: a sleeve-like outline, symmetric about x = 200: a cap over a straight hem
CAP = [(0.0, 0.0), (400.0, 0.0), (390.0, 150.0)] + [
    (200.0 + 190.0 * np.cos(t), 150.0 + 120.0 * np.sin(t)) for t in np.linspace(0.15, np.pi - 0.15, 21)] + [
    (10.0, 150.0)]


def _on_cap(x: float) -> tuple[float, float]:
    """The point of the cap's arc above ``x``."""
    t = np.arccos((x - 200.0) / 190.0)
    return 200.0 + 190.0 * np.cos(t), 150.0 + 120.0 * np.sin(t)


def _sleeve(notch_xs, *, drills=(), lines=()) -> Piece:
    notches = tuple(Notch(*_on_cap(x), -90.0) for x in notch_xs)
    return Piece("Sleeve", np.array(CAP), quantity=2, grain=Line(np.array([(200.0, 40.0), (200.0, 200.0)])),
                 notches=notches, drills=tuple(Drill(x, y, 4.0) for x, y in drills),
                 internal_lines=tuple(Line(np.asarray(ln, dtype=float)) for ln in lines))


@pytest.mark.parametrize(("notches", "drills", "lines", "pair"), [
    ((), (), (), False),                                      # no marks: two as drawn
    ((120.0, 280.0, 200.0), (), (), False),                   # marks mirrored too: two as drawn
    ((110.0, 118.0, 280.0, 200.0), (), (), True),             # a double back notch, a single front one
    ((120.0, 280.0), ((150.0, 100.0),), (), True),            # a drill hole on one side only
    ((120.0, 280.0), ((150.0, 100.0), (250.0, 100.0)), (), False),
    ((), (), ([(50.0, 60.0), (120.0, 60.0)],), True),         # an internal line on one side only
    ((), (), ([(50.0, 60.0), (120.0, 60.0)], [(280.0, 60.0), (350.0, 60.0)]), False),
])
def test_marks_that_are_not_their_own_mirror_image_make_a_pair(notches, drills, lines, pair):
    piece = _sleeve(notches, drills=drills, lines=lines)
    assert piece.copy_mirrors() == ((False, True) if pair else (False, False))
    assert piece.copy_mirrors(pairs=False) == (False, False)  # face to face: the spread pairs them


def test_a_symmetric_sleeve_with_front_and_back_notches_is_cut_as_a_pair(tmp_path):
    """Read from an AAMA file and nested: one sleeve as drawn, one mirrored, the double notch of
    each at its back."""
    doc = aama_doc()

    def marks(blk):
        for x in (110.0, 118.0, 280.0):
            blk.add_point((*_on_cap(x), 0.0), dxfattribs={"layer": "4", "angle": 270.0})
        blk.add_line((200.0, 40.0), (200.0, 200.0), dxfattribs={"layer": "7"})

    add_piece(doc, "SLEEVE_M", [CAP + CAP[:1]], texts=["Piece Name: Sleeve", "Size: M", "Quantity: 2"],
              extra=marks)
    path = save(doc, tmp_path)
    (piece,) = read_pattern(path).pieces
    assert (piece.quantity, piece.flipped, len(piece.notches)) == (2, None, 3)
    out = tmp_path / "out"
    code, _, err = nest(str(path), "--time", "1", "--workers", "1", "--seed", "1", "-o", str(out))
    assert code == 0, err
    marker = json.loads((out / "marker.json").read_text())
    assert sorted(p["mirrored"] for p in marker["solution"]["placements"]) == [False, True]
