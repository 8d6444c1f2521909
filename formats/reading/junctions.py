"""Cut lines with marks drawn from their corners (plain DXF).

A drawing program or a pattern library draws a piece's cut line in segments and the marks on
it (pleat and fold lines, a centre line, a placket's edges) as lines of their own on the same
layer, starting at the very points where two segments of the cut line meet. Three or more
lines then meet at a point, and chaining end to end may take a mark instead of the next piece
of the cut line: the cut line comes out open, and the file was refused ("cut line is open: a
gap of 173.698 mm", a FreeSewing shirt back with its box pleat marked from the yoke seam).

:func:`close_at_junctions` is the fallback for a layer whose open lines would be refused so:
the lines are noded where they meet and the faces they close are found; the outline of each
group of faces is a cut line, the closed lines the rest of the lines make inside it (a sew line,
a cut-out) are found the same way, and what is left of the lines (the marks) stays as open
lines, as drawn, on the piece. It runs only on the open lines left once every other rule has
closed what it can (gaps up to 1 mm, outlines drawn on several layers), on a layer with a line
that would be refused or with open lines ending on each other (where chaining had to choose).
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

from kitcut.formats.reading.chains import Chain
from kitcut.model.geometry import ring_area

__all__ = ["close_at_junctions", "would_be_refused"]

#: A face of less than this area (mm²) closes no cut line (a speck where lines cross).
_MIN_FACE_MM2 = 100.0
#: Closed lines found one inside the other below a cut line (a sew line, a cut-out in it...).
_LEVELS = 4


def _meet(chains: list[Chain], near: float) -> bool:
    """An open line ends on another one (within ``near`` of one of its points): three lines
    meet there, and chaining end to end had to choose one way on (it may have chosen a mark)."""
    pts = [np.asarray(c.points, dtype=np.float64) for c in chains]
    if len(pts) < 2:
        return False
    owner = np.concatenate([np.full(len(p), k) for k, p in enumerate(pts)])
    tree = shapely.STRtree(shapely.points(np.concatenate(pts)))
    ends = np.array([q for p in pts for q in (p[0], p[-1])])
    which = np.repeat(np.arange(len(pts)), 2)
    e, v = tree.query(shapely.points(ends), predicate="dwithin", distance=near)
    return bool(np.any(owner[v] != which[e]))


def would_be_refused(ch: Chain) -> bool:
    """An open line the reader takes for a cut line that does not close (its ends close
    together for its length): outside every piece, ``plain_pieces._outside`` refuses it."""
    return len(ch.points) >= 3 and ch.end_gap <= 0.25 * ch.length


def close_at_junctions(rings: list, chains: list[Chain], near: float,
                       report=None) -> tuple[list, list[Chain]]:
    """``(added, chains)`` for the open lines ``chains`` of one layer, whose closed lines are
    ``rings``: the outlines the open lines close where they meet, and the chains cut down to the
    lines that are not on such an outline (see the module docstring). Nothing is added, and the
    chains are as given, when no open line would be refused and none ends on another."""
    if not (any(would_be_refused(c) for c in chains) or _meet(chains, near)):
        return [], chains
    known = [Polygon(r).buffer(0) for r in rings if len(r) >= 3]
    added = _outlines(chains, known)
    if not added:
        return [], chains
    marks = _marks(chains, shapely.union_all([Polygon(r).exterior for r in added]), near)
    inner: list[np.ndarray] = []
    for _ in range(_LEVELS):  # a sew line the marks meet, a cut-out inside it: closed by them too
        found = _outlines(marks, known)
        if not found:
            break
        inner += found
        marks = _marks(marks, shapely.union_all([Polygon(r).exterior for r in found]), near)
    if report is not None:
        for r in added:
            x, y = r.min(axis=0)
            w, h = np.ptp(r, axis=0)
            report(f"lines meeting at the corners of a cut line (marks drawn from them) chained into an open "
                   f"line; closed as the outline of the faces they make at ({x:.1f}, {y:.1f}), {w:.1f} × "
                   f"{h:.1f} mm, the other lines drawn on it")
    return added + inner, marks


def _outlines(chains: list[Chain], known: list) -> list[np.ndarray]:
    """The outline of each group of faces the lines ``chains`` close (at least
    :data:`_MIN_FACE_MM2`), counter-clockwise, but for those a ``known`` polygon already draws."""
    net = shapely.union_all([LineString(c.points) for c in chains if len(c.points) >= 2])
    faces = [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(net))) if f.area > 0]
    if not faces:
        return []
    out = []
    for part in shapely.get_parts(shapely.union_all([f.buffer(0) for f in faces])):
        outline = Polygon(part.exterior)
        if outline.area < _MIN_FACE_MM2 or any(_same(k, outline) for k in known):
            continue
        ring = np.asarray(outline.exterior.coords)[:-1]
        out.append(ring if ring_area(ring) > 0 else ring[::-1])
    return out


def _marks(chains: list[Chain], edges, near: float) -> list[Chain]:
    """The pieces of ``chains`` not on the cut lines ``edges``, as drawn: the lines are noded
    with the cut lines, and a piece whose middle is within ``near`` of them is on them. A mark
    drawn from the cut line still starts on it (a notch, a pleat line). (They were cut back by
    ``near`` from the cut line, and a notch drawn from a corner was an internal line.)"""
    lines = [LineString(c.points) for c in chains if len(c.points) >= 2]
    if not lines:
        return []
    parts = shapely.get_parts(shapely.union_all([*lines, edges]))
    mids = shapely.line_interpolate_point(parts, 0.5, normalized=True)
    kept = parts[~shapely.dwithin(edges, mids, near)]
    if not len(kept):
        return []
    rest = shapely.line_merge(shapely.union_all(kept))
    return [Chain(np.asarray(g.coords), False, ["line meeting a cut line at its corner"])
            for g in shapely.get_parts(rest) if g.length > near]


def _same(known, outline) -> bool:
    """``outline`` is ``known`` drawn again (their areas differ by at most 1 % of it)."""
    return known.symmetric_difference(outline).area <= 0.01 * outline.area
