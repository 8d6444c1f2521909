"""Seam allowances drawn as open lines from an outline back to it (plain DXF).

A pattern drawn with its sew line closed and the allowance as a line of its own, only where a
seam has one (none along a fold or a bound edge), leaves that line open: it leaves the sew line
and comes back to it outside. FreeSewing draws every pattern so (its ``sa`` path), and
Inkscape's DXF outputs keep it as it is. The cut line is then the outline of the sew line and the
bands the open lines close off with it: :func:`add_allowances` adds that outline as a ring of the
layer, and the sew line inside it is read as the piece's sew line. Before, such a line was
"outside every piece", left out, and the piece cut on its sew line; or, when it began where the
sew line does, it was chained into it and the file refused as an open cut line.

A line drawn with arrowheads (a grain line as Valentina's flat export writes it: head, shaft,
head in one polyline) is no allowance, nor is a band whose own line, off the outline it holds,
is shorter than a notch's (:data:`_MIN_LINE_MM`): a grain arrow crossing the cut line closed a
3.4 x 4.7 mm "cut line" of its head, nested as a piece.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LinearRing, LineString, Polygon

from kitcut.formats.reading.arrow_lines import headed
from kitcut.formats.reading.plain_rings import SEAM_MAX_MM, sample
from kitcut.model.geometry import ring_area

__all__ = ["add_allowances"]

#: An open line shorter than this (mm) is a mark (a notch), never an allowance; nor is a band
#: whose own line (off the outline it holds) is shorter.
_MIN_LINE_MM = 20.0
#: An allowance stays within this distance (mm) of its sew line (a deep hem: twice a sew line's
#: :data:`~.plain_rings.SEAM_MAX_MM`).
_BAND_MAX_MM = 2 * SEAM_MAX_MM


def add_allowances(rings: list, chains: list, near: float, report=None) -> list:
    """``rings`` of one layer with the outline of each allowance added (see the module
    docstring). ``chains`` are the layer's open lines (:class:`~.chains.Chain`); an end within
    ``near`` (mm) of a line is on it. ``report(message)``, when given, is told of each outline
    added. A line that adds no area outside the rings (a mark inside a piece) adds nothing."""
    cands = [c for c in chains if c.length > _MIN_LINE_MM and c.end_gap > near and not headed(c.points, near)]
    if not cands:
        return rings
    lines = [LineString(c.points) for c in cands]
    ends = shapely.points(np.array([p for c in cands for p in (c.points[0], c.points[-1])]))
    edges = [LinearRing(r) for r in rings if len(r) >= 3]
    touched = [e for e in edges if float(shapely.distance(e, ends).min()) <= near]
    net = lines + touched
    joins = []  # an end near a line but not on it: joined to its nearest point there
    for p in shapely.get_parts(ends):
        others = [g for g in net if 0.0 < g.distance(p) <= near]
        joins += [shapely.shortest_line(p, g) for g in others]
    faces = [Polygon(f.exterior) for f in  # holes filled: a ring inside a face is no band of it
             shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all(net + joins))))]
    if not faces:
        return rings
    whole = shapely.union_all([f.buffer(0) for f in faces])
    known = [_largest(Polygon(e).buffer(0)) for e in touched]  # a ring crossing itself: its largest part
    pieces = [_largest(Polygon(r).buffer(0)) for r in rings if len(r) >= 3]
    out = list(rings)
    for part in shapely.get_parts(whole):
        if any(q.area > part.area and q.buffer(near).contains(part) for q in pieces):
            continue  # lines inside a piece (marks drawn on it): no allowance around it
        grow = part.buffer(near)
        inside = [k for k in known if k.area > 0 and grow.contains(k)]
        outer = [k for k in inside if not any(o.area > k.area and o.contains(k) for o in inside)]
        if len(outer) > 1:
            continue  # lines joining two pieces: not one piece's allowance
        body = outer[0] if outer else max((f for f in faces if f.within(grow)), key=lambda f: f.area)
        if part.area - body.area <= max(1.0, 1e-3 * part.area):
            continue  # no area outside the rings it holds: marks inside a piece
        if not outer and body.area >= part.area - 1e-9:
            continue  # a closed face of open lines only, with nothing inside: not an allowance
        if part.exterior.difference(body.exterior.buffer(max(near, 1e-6))).length <= _MIN_LINE_MM:
            continue  # a mark's few millimetres (an arrowhead's legs): no allowance
        rim = shapely.points(sample(np.asarray(part.exterior.coords), 200))
        if float(shapely.distance(body.exterior, rim).max()) > _BAND_MAX_MM:
            continue  # not a band along the outline
        # where the sew line parts from the cut line it stays within a band of it too: a dart drawn
        # as one line from the hem, its opening closed by the hem line, made the back less the
        # dart's wedge a 'sew line' whose legs run 140 mm in, and only the wedge was cut
        inner = body.exterior.difference(part.exterior.buffer(max(near, 1e-6)))
        if not inner.is_empty:
            deep = shapely.points(shapely.get_coordinates(shapely.segmentize(inner, 5.0)))
            if float(shapely.distance(part.exterior, deep).max()) > _BAND_MAX_MM:
                continue
        ring = np.asarray(part.exterior.coords)[:-1]
        if ring_area(ring) < 0:
            ring = ring[::-1]
        out.append(ring)
        if not outer:  # the sew line was chained into the allowance: its own face is the sew line
            sew = np.asarray(Polygon(body.exterior).exterior.coords)[:-1]
            out.append(sew if ring_area(sew) > 0 else sew[::-1])
        if report is not None:
            x, y = ring.min(axis=0)
            w, h = np.ptp(ring, axis=0)
            report(f"open line(s) leaving an outline and coming back to it outside, at ({x:.1f}, {y:.1f}): "
                   f"read as its seam allowance, the cut line ({w:.1f} × {h:.1f} mm), with the outline "
                   "inside as the sew line")
    return out


def _largest(shape):
    """The largest polygon of ``shape`` (a polygon, or the parts ``buffer(0)`` makes of a ring
    that crosses itself: a straight edge written as a spline whose flattening doubles back)."""
    parts = [g for g in shapely.get_parts(shape) if isinstance(g, Polygon)]
    return max(parts, key=lambda g: g.area) if parts else Polygon()
