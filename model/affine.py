"""Affine maps of whole pieces: every part of a piece (outline, cut-outs, grain, fold, internal
and sew lines, notches with their direction, drills) moved by one map ``p -> M @ p + t``.

Used for shrinkage (a scale in the grain frame) and to redraw a piece anywhere (tests draw the
same garment about any origin, turned or mirrored, and expect the same marker).

>>> from kitcut.model import Piece
>>> p = move_piece(Piece("A", [(0, 0), (10, 0), (10, 5), (0, 5)]), translation=(100, -50))
>>> p.bounds
(100.0, -50.0, 110.0, -45.0)
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from kitcut.model.pattern import Drill, Line, Notch, Piece

__all__ = ["affine_piece", "move_piece"]


def affine_piece(piece: Piece, matrix, translation=(0.0, 0.0)) -> Piece:
    """``piece`` with every part mapped by ``p -> matrix @ p + translation``.

    Notch directions follow the linear part; a mirroring map (negative determinant) keeps
    the outline counter-clockwise (the model does) and the cut-outs clockwise.
    """
    m = np.asarray(matrix, dtype=np.float64).reshape(2, 2)
    t = np.asarray(translation, dtype=np.float64).reshape(2)

    def pts(a):
        return np.asarray(a, dtype=np.float64).reshape(-1, 2) @ m.T + t

    def line(ln: Line | None):
        return None if ln is None else Line(pts(ln.points), ln.closed)

    def notch(n: Notch) -> Notch:
        x, y = pts([[n.x, n.y]])[0]
        a = math.radians(n.angle_deg)
        d = m @ np.array([math.cos(a), math.sin(a)])
        return replace(n, x=float(x), y=float(y), angle_deg=math.degrees(math.atan2(d[1], d[0])) % 360.0)

    def point(p):
        return None if p is None else tuple(float(v) for v in pts([p])[0])

    def drill(d: Drill) -> Drill:
        x, y = pts([[d.x, d.y]])[0]
        return replace(d, x=float(x), y=float(y))

    return replace(
        piece,
        outline=pts(piece.outline),
        cutouts=tuple(pts(h) for h in piece.cutouts),
        grain=line(piece.grain),
        fold_line=line(piece.fold_line),
        internal_lines=tuple(line(x) for x in piece.internal_lines),
        sew_lines=tuple(line(x) for x in piece.sew_lines),
        notches=tuple(notch(n) for n in piece.notches),
        drills=tuple(drill(d) for d in piece.drills),
        match=None if piece.match is None else replace(
            piece.match,
            x_point=point(piece.match.x_point),
            y_point=point(piece.match.y_point),
        ),
    )


def move_piece(piece: Piece, *, rotation_deg: float = 0.0, mirrored: bool = False,
               translation=(0.0, 0.0)) -> Piece:
    """``piece`` redrawn under the placement transform (mirror y -> -y, rotate about the
    origin, translate): the same piece, drawn elsewhere."""
    a = math.radians(rotation_deg)
    c, s = math.cos(a), math.sin(a)
    if rotation_deg % 90 == 0:  # exact quarter turns: no rounding in the redrawn piece
        c, s = float(round(c)), float(round(s))
    m = np.array([[c, -s], [s, c]]) @ np.diag([1.0, -1.0 if mirrored else 1.0])
    return affine_piece(piece, m, translation)
