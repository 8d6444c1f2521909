"""Cut lines with marks drawn from their corners (plain DXF).

A drawing program or a pattern library draws a piece's cut line in segments and the marks on
it (pleat and fold lines, a centre line, a placket's edges) as lines of their own on the same
layer, starting at the very points where two segments of the cut line meet. Three or more
lines then meet at a point, and chaining end to end may take a mark instead of the next piece
of the cut line: the cut line comes out open, and the file was refused ("cut line is open: a
gap of 173.698 mm", a FreeSewing shirt back with its box pleat marked from the yoke seam).

:func:`close_at_junctions` is the fallback for a layer whose open lines would be refused so:
the lines are noded where they meet and the faces they close are found; the outline of each
group of faces is a cut line, and what is left of the lines (the marks) stays as open lines,
drawn on the piece. It runs only on the open lines left once every other rule has closed what it
can (gaps up to 1 mm, outlines drawn on several layers), on a layer with a line that would be
refused, so no drawing read before reads differently.
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


def would_be_refused(ch: Chain) -> bool:
    """An open line the reader takes for a cut line that does not close (its ends close
    together for its length): outside every piece, ``plain_pieces._outside`` refuses it."""
    return len(ch.points) >= 3 and ch.end_gap <= 0.25 * ch.length


def close_at_junctions(rings: list, chains: list[Chain], near: float,
                       report=None) -> tuple[list, list[Chain]]:
    """``(added, chains)`` for the open lines ``chains`` of one layer, whose closed lines are
    ``rings``: the outlines the open lines close where they meet, and the chains cut down to the
    lines that are not on such an outline (see the module docstring). Nothing is added, and the
    chains are as given, when no open line would be refused."""
    if not any(would_be_refused(c) for c in chains):
        return [], chains
    net = shapely.union_all([LineString(c.points) for c in chains if len(c.points) >= 2])
    faces = [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(net))) if f.area > 0]
    if not faces:
        return [], chains
    known = [Polygon(r).buffer(0) for r in rings if len(r) >= 3]
    added = []
    for part in shapely.get_parts(shapely.union_all([f.buffer(0) for f in faces])):
        outline = Polygon(part.exterior)
        if outline.area < _MIN_FACE_MM2 or any(k.contains(outline.representative_point()) for k in known):
            continue
        ring = np.asarray(outline.exterior.coords)[:-1]
        added.append(ring if ring_area(ring) > 0 else ring[::-1])
    if not added:
        return [], chains
    edges = shapely.union_all([Polygon(r).exterior for r in added]).buffer(near)
    rest = shapely.line_merge(shapely.difference(net, edges))
    marks = [Chain(np.asarray(g.coords), False, ["line meeting a cut line at its corner"])
             for g in shapely.get_parts(rest) if g.length > near]
    if report is not None:
        for r in added:
            x, y = r.min(axis=0)
            w, h = np.ptp(r, axis=0)
            report(f"lines meeting at the corners of a cut line (marks drawn from them) chained into an open "
                   f"line; closed as the outline of the faces they make at ({x:.1f}, {y:.1f}), {w:.1f} × "
                   f"{h:.1f} mm, the other lines drawn on it")
    return added, marks
