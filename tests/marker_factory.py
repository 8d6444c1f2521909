"""Hand-built markers for the export tests and the export benchmark (no nesting core needed).

:func:`small_marker` is a tee-like kit: curved pieces with notches, drills, a cut-out, internal and
sew lines, grain lines, rotations of 0/90/180 and mirrored copies. :func:`shelf_marker` lays any
list of (piece, rotation, mirrored) on shelves across the width so nothing overlaps.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from kitcut.model import Drill, Line, Marker, Notch, Piece, Placement, Rules
from kitcut.model.geometry import transform_points

__all__ = ["tee_pieces", "small_marker", "shelf_marker", "big_marker", "tiny_marker", "rect_piece_marker",
           "valid_small_marker"]


def _arc(cx, cy, r, a0, a1, n):
    t = np.linspace(math.radians(a0), math.radians(a1), n)
    return np.column_stack([cx + r * np.cos(t), cy + r * np.sin(t)])


def tee_pieces() -> tuple[Piece, ...]:
    """Front, back, sleeve, cuff, pocket: realistic outlines with every feature kind."""
    front = np.vstack(
        [
            [(0, 0), (500, 0), (500, 520)],
            _arc(430, 520, 70, 0, 90, 9)[1:],  # shoulder curve
            [(300, 640)],
            _arc(250, 640, 50, 0, -180, 13)[1:-1],  # neckline
            [(200, 640)],
            _arc(70, 520, 70, 90, 180, 9),
        ]
    )
    front_p = Piece(
        "Front",
        front,
        size="M",
        quantity=1,
        category="body",
        grain=Line(np.array([(250, 80), (250, 480)])),
        notches=(
            Notch(500, 260, 180.0, "slit", 6.0),
            Notch(0, 260, 0.0, "v", 6.0, 4.0),
            Notch(250, 0, 90.0, "slit", 5.0),
        ),
        drills=(Drill(150, 300, 4.0), Drill(350, 300, None)),
        internal_lines=(Line(np.array([(100, 150), (400, 150)])),),
        sew_lines=(Line(np.array([(10, 10), (490, 10), (490, 510)])),),
        cutouts=(np.array([(220, 380), (280, 380), (280, 420), (220, 420)]),),
    )
    back = Piece(
        "Back",
        np.vstack(
            [
                [(0, 0), (500, 0), (500, 560), (330, 660)],
                _arc(250, 660, 80, 0, -180, 9)[1:-1],
                [(170, 660), (0, 560)],
            ]
        ),
        size="M",
        category="body",
        grain=Line(np.array([(250, 60), (250, 500)])),
        notches=(Notch(250, 0, 90.0),),
        drills=(Drill(250, 400, 3.0),),
    )
    sleeve = Piece(
        "Sleeve",
        np.vstack([[(0, 0), (380, 0)], _arc(190, 120, 230, 30, 150, 15)]),
        size="M",
        quantity=2,
        category="sleeve",
        grain=Line(np.array([(190, 30), (190, 200)])),
        notches=(Notch(190, 0, 90.0, "slit", 5.0), Notch(100, 0, 90.0, "t", 5.0)),
    )
    cuff = Piece(
        "Cuff",
        np.array([(0, 0), (300, 0), (300, 60), (0, 60)]),
        size="M",
        quantity=2,
        category="trim",
        grain=Line(np.array([(20, 30), (280, 30)])),
    )
    pocket = Piece(
        "Pocket",
        np.array([(0, 30), (30, 0), (150, 0), (180, 30), (180, 170), (0, 170)]),
        size="S",
        category="trim",
        drills=(Drill(20, 150, 3.0), Drill(160, 150, 3.0)),
        grain=Line(np.array([(90, 20), (90, 150)])),
    )
    return front_p, back, sleeve, cuff, pocket


def shelf_marker(
    pieces,
    items,
    *,
    width: float = 1500.0,
    margin: float = 10.0,
    gap: float = 8.0,
    name: str | None = "test marker",
) -> Marker:
    """Lay ``items`` = [(piece index, copy, rotation, mirrored)] on shelves: no overlaps."""
    placements = []
    x = 0.0
    y = margin
    shelf_w = 0.0
    for idx, copy, rot, mir in items:
        pts = transform_points(pieces[idx].outline, rot, mir, (0.0, 0.0))
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        w, h = hi - lo
        if y + h > width - margin:
            x += shelf_w + gap
            y = margin
            shelf_w = 0.0
        t = (round(x - lo[0], 6), round(y - lo[1], 6))
        placements.append(Placement(idx, copy, float(rot), bool(mir), t))
        y += h + gap
        shelf_w = max(shelf_w, w)
    m = Marker(
        tuple(pieces),
        Rules(width=width, margin=margin, spacing=gap),
        tuple(placements),
        length=0.0,
        name=name,
    )
    length = max(float(o[:, 0].max()) for o in m.placed_outlines())
    return Marker(m.pieces, m.rules, m.placements, length=length, name=name)


def small_marker(width: float = 1500.0) -> Marker:
    """Seven placed copies of the tee kit (rotations 0/90/180, mirrored sleeve and cuff)."""
    pcs = tee_pieces()
    items = [
        (0, 0, 0, False),
        (1, 0, 180, False),
        (2, 0, 90, False),
        (2, 1, 90, True),
        (3, 0, 0, False),
        (3, 1, 0, True),
        (4, 0, 270, False),
    ]
    return shelf_marker(pcs, items, width=width)


def valid_small_marker() -> Marker:
    """:func:`small_marker` as ``nest export`` accepts it: its pieces allow the rotations it uses
    (their grain lines alone would not) and say which copy is mirrored, so the marker passes the
    validator."""
    m = small_marker()
    mirrored = {pl.piece for pl in m.placements if pl.mirrored}
    pieces = tuple(replace(p, allowed_rotations=(0.0, 90.0, 180.0, 270.0),
                           flipped=1 if i in mirrored else None) for i, p in enumerate(m.pieces))
    return replace(m, pieces=pieces)


def big_marker(n: int = 300, seed: int = 1) -> Marker:
    """About ``n`` placed copies of the tee kit, shuffled so placement order is not spatial order."""
    pcs = tee_pieces()
    rng = np.random.default_rng(seed)
    items = []
    k = 0
    while len(items) < n:
        idx = k % len(pcs)
        items.append((idx, k // len(pcs), float(rng.choice([0.0, 180.0])), bool(rng.integers(0, 2))))
        k += 1
    m = shelf_marker(pcs, items, name="bench marker")
    order = rng.permutation(len(m.placements))
    return Marker(m.pieces, m.rules, tuple(m.placements[i] for i in order), m.length, name=m.name)


def tiny_marker() -> Marker:
    """Two small pieces, one notch and one drill: for golden files."""
    sq = Piece(
        "A",
        np.array([(0, 0), (40, 0), (40, 20), (0, 20)]),
        size="S",
        grain=Line(np.array([(5, 10), (35, 10)])),
        notches=(Notch(20, 0, 90.0, "slit", 4.0),),
        drills=(Drill(30, 10, 3.0),),
    )
    tri = Piece("B", np.array([(0, 0), (30, 0), (0, 25)]), size="S")
    return shelf_marker((sq, tri), [(0, 0, 0, False), (1, 0, 90, True)], width=100.0, margin=5.0, name="tiny")


def rect_piece_marker(names, *, name: str | None = "test marker", size: str = "M") -> Marker:
    """One 300 x 160 mm piece with a grain line per name, side by side: for text tests."""
    pieces = tuple(
        Piece(n, np.array([(0, 0), (300, 0), (300, 160), (0, 160)]), size=size,
              grain=Line(np.array([(20, 80), (280, 80)])))
        for n in names
    )
    return shelf_marker(pieces, [(i, 0, 0, False) for i in range(len(pieces))], name=name)
