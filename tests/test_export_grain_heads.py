"""Grain arrow heads lie on their piece: the pen of a cutter file (``plt``) and of a pen plot
(``pen.plt``) never draws over the next piece nor past the selvedge.

A head was 4 % of the grain line, 4 to 15 mm long, 25 degrees off it, whatever the piece's
width: a 1200 x 10 mm binding's heads were 12.7 mm across, 1.3 mm past both cut lines (probe 25:
with no spacing the pen marked the next strip; a strip on the selvedge had no cutter file, its
pen off the media, and a kit of it was refused). The files are read back by the tests' own HP-GL
reader: every pen-down stroke must lie on a single piece."""

from __future__ import annotations

import numpy as np
import pytest
from export_checks import _hpgl_commands
from shapely.geometry import LineString, Polygon

from kitcut.formats.layout.marks import arrow_heads
from kitcut.formats.writing.export import render
from kitcut.model import Line, Marker, Piece, Placement, Rules

#: HP-GL's step (1/40 mm), and then some: a stroke this close to its piece is on it
STEP = 0.03


def _strip(name: str, length: float, width: float) -> Piece:
    ring = np.array([(0, 0), (length, 0), (length, width), (0, width)], dtype=float)
    grain = Line(np.array([(0.1 * length, width / 2), (0.9 * length, width / 2)]))
    return Piece(name, ring, size="M", grain=grain)


def _strokes(text: str, units_per_mm: float = 40.0) -> list[np.ndarray]:
    """Every pen-down stroke of an HP-GL file (mm), read without kitcut."""
    out, pos, down = [], None, False
    for op, args in _hpgl_commands(text):
        if op in ("PU", "PD"):
            down = op == "PD"
            nums = [float(v) / units_per_mm for v in args.split(",")] if args else []
            for p in np.array(nums).reshape(-1, 2):
                if down and pos is not None:
                    out.append(np.array([pos, p]))
                pos = p
    return out


def _marker() -> Marker:
    """Strips 4, 10 and 14 mm wide and a 300 mm body, one against the other (no spacing), the
    first on the selvedge (y = 0)."""
    pieces = (_strip("Binding", 1200, 10), _strip("Piping", 900, 4), _strip("Facing", 1000, 14),
              _strip("Body", 600, 300))
    places, y = [], 0.0
    for i, p in enumerate(pieces):
        places.append(Placement(i, 0, 0.0, False, (0.0, y)))
        y += p.height
    return Marker(pieces, Rules(width=y), tuple(places), length=1200.0, name="strips")


@pytest.mark.parametrize("fmt", ["plt", "pen.plt"])
def test_every_pen_stroke_lies_on_a_single_piece(fmt):
    marker = _marker()
    outlines = [Polygon(pl.apply(marker.pieces[pl.piece].outline)).buffer(STEP) for pl in marker.placements]
    frame = Polygon([(0, 0), (marker.length, 0), (marker.length, marker.width), (0, marker.width)])
    strokes = [s for s in _strokes(render(marker, fmt))  # the marker's frame is no piece's
               if not frame.exterior.buffer(STEP).covers(LineString(s))]
    off = [s.round(2).tolist() for s in strokes if not any(o.covers(LineString(s)) for o in outlines)]
    assert off == []
    # the heads are drawn, smaller where the strip is narrow: 25 degrees off the grain (within
    # the 1/40 mm steps of a 3 mm barb)
    sine = [abs(s[1, 1] - s[0, 1]) / np.hypot(*(s[1] - s[0])) for s in strokes]
    assert sum(abs(v - np.sin(np.radians(25))) < 0.01 for v in sine) == 16  # 4 grain lines, 2 ends, 2 barbs


def test_heads_keep_their_size_where_the_piece_has_room_and_shrink_where_it_has_not():
    wide = np.array([(0, 0), (1000, 0), (1000, 300), (0, 300)], dtype=float)
    grain = np.array([(100, 150), (900, 150)], dtype=float)
    heads = arrow_heads(grain, 15.0, wide)
    assert len(heads) == 4 and all(np.hypot(*(h[1] - h[0])) == pytest.approx(15.0) for h in heads)
    strip = np.array([(0, 0), (1000, 0), (1000, 10), (0, 10)], dtype=float)
    heads = arrow_heads(np.array([(100, 5), (900, 5)], dtype=float), 15.0, strip)
    assert len(heads) == 4 and all(Polygon(strip).covers(LineString(h)) for h in heads)
    assert max(np.hypot(*(h[1] - h[0])) for h in heads) <= 5 / np.sin(np.radians(25)) + 1e-9
    # a thread too thin for any head: the grain line alone
    assert arrow_heads(np.array([(100, 0.25), (900, 0.25)], dtype=float), 15.0,
                       np.array([(0, 0), (1000, 0), (1000, 0.5), (0, 0.5)], dtype=float)) == []


@pytest.mark.parametrize("length", [1.0, 3.0, 5.0, 7.9, 12.0])
def test_the_heads_of_a_short_grain_line_do_not_cross(length):
    """Heads of at least 4 mm (4 % of the line, 4 to 15 mm) met and crossed into an X on a grain
    line under 8 mm: each head now reaches at most 0.45 of the line's length back from its end."""
    wide = np.array([(0, 0), (100, 0), (100, 100), (0, 100)], dtype=float)
    grain = np.array([(50 - length / 2, 50), (50 + length / 2, 50)], dtype=float)
    heads = arrow_heads(grain, min(max(0.04 * length, 4.0), 15.0), wide)
    assert len(heads) == 4
    right = [h for h in heads if h[1, 0] > 50]
    left = [h for h in heads if h[1, 0] < 50]
    assert len(right) == len(left) == 2
    assert min(h[0, 0] for h in right) > max(h[0, 0] for h in left)  # no barb past another's
    assert all(h[0, 0] >= 50 + 0.05 * length - 1e-9 for h in right)


def test_a_file_off_its_media_names_the_piece_and_its_line(tmp_path):
    """The media error said how far the file reached, not which piece took it there."""
    from kitcut.errors import MediaError
    from kitcut.formats.writing.export import export_marker

    binding, body = _strip("Binding", 500, 10), _strip("Body", 500, 300)
    marker = Marker((body, binding), Rules(width=320), (
        Placement(0, 0, 0.0, False, (0.0, 0.0)), Placement(1, 0, 0.0, False, (0.0, 300.0)),
        Placement(1, 1, 0.0, False, (0.0, 1795.0))), length=500.0, name="off")  # past the 1800 mm media
    with pytest.raises(MediaError, match=r"off the media; piece 'Binding' \(copy 2\): its cut line$"):
        export_marker(marker, tmp_path / "out", ["plt"])
    assert not (tmp_path / "out").exists()
