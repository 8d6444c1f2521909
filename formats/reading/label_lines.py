"""The lines of a piece's label written as separate texts, one under another (plain DXF).

A CAD that writes a label as one TEXT a line stacks them: Valentina's flat export writes the
piece's letter code, its name and its material with the cut count (``A2``, ``FrontPanel2``,
``Fabric, Cut 2``), and beside them the pattern's own texts (``Stinde Design``, ``Customer``);
other CADs write a code, a name and ``CUT 2``. Several bare texts in one piece name nothing by
themselves, but the name is the line written right above the count: :func:`line_above` finds
it, by the texts' insertion points, heights and directions (no font is measured: a character is
taken at most :data:`_CHAR_WIDTH` of its height wide).

>>> cut = TextLine(0.0, 0.0, 5.0, 0.0, 5)                       # "Cut 2"
>>> code, name = TextLine(0.0, 14.0, 5.0, 0.0, 2), TextLine(-3.0, 7.0, 5.0, 0.0, 11)
>>> line_above([code, name, TextLine(0.0, -7.0, 5.0, 0.0, 8)], cut)   # and a line under it
1
>>> line_above([TextLine(200.0, 7.0, 5.0, 0.0, 5)], cut) is None  # beside it, not above
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["TextLine", "text_line", "line_above"]

#: A line stands above the next by more than half and at most this many times the taller text's
#: height, baseline to baseline (a line and a blank one at a spacing of 1.5)...
_SPACING = 3.0
#: ... written in one direction, within this many degrees ...
_ANGLE_DEG = 2.0
#: ... and over it: their extents along the baseline overlap, a character taken this share of
#: the text height wide at most.
_CHAR_WIDTH = 0.8


@dataclass(frozen=True)
class TextLine:
    """A text's insertion point (mm), height (mm), direction (degrees) and its characters' count
    (of its longest line)."""

    x: float
    y: float
    height: float
    angle: float
    chars: int


def text_line(e, spot, text: str, scale: float) -> TextLine:
    """The :class:`TextLine` of the TEXT, MTEXT or ATTRIB ``e`` standing at ``spot`` (mm), reading
    ``text``; ``scale`` turns drawing units into mm. Anything else standing for a text (a block
    named for its piece) has no height: no line stands above or below it."""
    if e.dxftype() == "MTEXT":
        height, angle = float(e.dxf.get("char_height", 2.5) or 2.5), float(e.get_rotation())
    elif e.dxftype() in ("TEXT", "ATTRIB", "ATTDEF"):
        height, angle = float(e.dxf.get("height", 2.5) or 2.5), float(e.dxf.get("rotation", 0.0) or 0.0)
    else:
        height, angle = 0.0, 0.0
    chars = max((len(t.strip()) for t in text.splitlines()), default=0)
    return TextLine(float(spot[0]), float(spot[1]), abs(height) * scale, angle, chars)


def line_above(lines: list[TextLine], under: TextLine) -> int | None:
    """Which of ``lines`` is written right above ``under`` as the line before it in one label:
    in its direction, over it, the nearest above (see the module docstring); ``None`` if none."""
    t = math.radians(under.angle)
    along, up = (math.cos(t), math.sin(t)), (-math.sin(t), math.cos(t))
    best, best_d = None, math.inf
    for k, ln in enumerate(lines):
        turn = (ln.angle - under.angle + 180.0) % 360.0 - 180.0
        if abs(turn) > _ANGLE_DEG:
            continue
        dx, dy = ln.x - under.x, ln.y - under.y
        d = dx * up[0] + dy * up[1]
        a = dx * along[0] + dy * along[1]
        tall = max(ln.height, under.height)
        if not 0.5 * under.height < d <= _SPACING * tall:
            continue
        if a >= _CHAR_WIDTH * under.height * under.chars or a + _CHAR_WIDTH * ln.height * ln.chars <= 0:
            continue  # beside it, not over it
        if d < best_d:
            best, best_d = k, d
    return best
