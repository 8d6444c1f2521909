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
import shapely.ops
from shapely.geometry import LineString, Point, Polygon

from kitcut.formats.reading.chains import Chain
from kitcut.model.geometry import ring_area

__all__ = ["close_at_junctions", "close_along_other_layers", "would_be_refused"]

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
    added = _outlines(chains, known, near)
    if not added:
        return [], chains
    marks = _marks(chains, shapely.union_all([Polygon(r).exterior for r in added]), near)
    inner: list[np.ndarray] = []
    for _ in range(_LEVELS):  # a sew line the marks meet, a cut-out inside it: closed by them too
        found = _outlines(marks, known)  # as drawn: a pocket mark stopping short of a line stays open
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


def _outlines(chains: list[Chain], known: list, near: float = 0.0) -> list[np.ndarray]:
    """The outline of each group of faces the lines ``chains`` close (at least
    :data:`_MIN_FACE_MM2`), counter-clockwise, but for those a ``known`` polygon already draws.

    A face that one line draws nearly alone (:func:`_own_faces`) is a piece of its own, not one
    of a group, when every face is such a piece or the space between them (bounded by them
    alone): two pieces drawn against each other, each open where the other's line runs, were
    one group, and the space between them part of it. Where any other face remains, the faces
    are one group as before: a dart drawn as one line from the cut line draws its wedge alone,
    and the wedge is part of the back.

    ``near``: open ends that close within it on another line are carried across it first (an
    end 2e-12 mm off a line made no node); only for cut lines, not for the marks inside (a
    pocket mark stopping 0.3 mm short of a line stays a mark, not a hole)."""
    lines = [LineString(c.points) for c in chains if len(c.points) >= 2]
    net = shapely.union_all(_reaching(lines, near))
    faces = [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(net))) if f.area > 0]
    if not faces:
        return []
    own = _own_faces(faces, lines, near)
    rest = [f for k, f in enumerate(faces) if k not in own]
    if own:
        edges = shapely.union_all([faces[k].exterior for k in own]).buffer(max(near, 1e-9))
        rest = [f for f in rest if not edges.covers(f.exterior)]
        if rest:  # a face drawn alone beside another of the piece (a dart's wedge): one group, as before
            own, rest = set(), faces
    parts = [faces[k] for k in sorted(own)]
    if rest:
        parts += list(shapely.get_parts(shapely.union_all([f.buffer(0) for f in rest])))
    out = []
    for part in parts:
        outline = Polygon(part.exterior)
        if outline.area < _MIN_FACE_MM2 or any(_same(k, outline) for k in known):
            continue
        ring = np.asarray(outline.exterior.coords)[:-1]
        out.append(ring if ring_area(ring) > 0 else ring[::-1])
    return out


#: A face is a piece of its own when one line draws this share of its outline, and lies on it
#: for this share of its own length.
_OWN = 0.9


def _own_faces(faces: list, lines: list, near: float) -> set[int]:
    """The faces (indices) one line draws nearly alone: it runs along at least :data:`_OWN` of
    the face's outline and lies on it for :data:`_OWN` of its length (the rest of the outline
    borrowed from a line drawn against it). A line that took a mark at a corner runs into the
    piece, off every face's outline."""
    own: set[int] = set()
    if len(faces) < 2:
        return own
    tol = max(near, 1e-6)
    rims = [face.exterior.buffer(tol) for face in faces]  # each face's outline, within tol
    tree = shapely.STRtree(rims)
    for line in lines:
        if line.length <= 0:
            continue
        for k in sorted(int(k) for k in tree.query(line, predicate="intersects")):
            if k in own:
                continue
            on = line.intersection(rims[k]).length
            if on >= _OWN * line.length and on >= _OWN * faces[k].exterior.length:
                own.add(k)
    return own


def _reaching(lines: list, near: float) -> list:
    """``lines`` with each open end that lies within ``near`` of another line (or of its own
    far part) carried just across it: an end on a line up to rounding (2e-12 mm off) is no
    node to the overlay, and the face it closes was not found. The lines within reach of an end
    are found in a tree (a union of all the others for each line cost the square of their
    number)."""
    if near <= 0 or len(lines) < 1:
        return lines
    tree = shapely.STRtree(lines)
    out = []
    for i, line in enumerate(lines):
        coords = np.asarray(line.coords, dtype=np.float64)
        if len(coords) < 2 or line.is_ring:
            out.append(line)
            continue
        ends = []
        for p in (coords[0], coords[-1]):
            end = Point(p)
            best = None  # (distance, nearest point) over the lines within reach
            for j in tree.query(end, predicate="dwithin", distance=near):
                g = lines[j] if j != i else _far_part(line, near)
                if g.is_empty:
                    continue
                q = np.asarray(shapely.get_coordinates(shapely.shortest_line(end, g)))[-1]
                d = float(np.hypot(*(q - p)))
                if best is None or d < best[0]:
                    best = (d, q)
            ends.append(best[1] + (best[1] - p) / best[0] * 1e-6 if best and 0.0 < best[0] <= near else None)
        coords = np.vstack([c for c in ([ends[0]] if ends[0] is not None else []) + [coords]
                            + ([ends[1]] if ends[1] is not None else [])])
        out.append(LineString(coords))
    return out


def _far_part(line, near: float):
    """``line`` less the ``3 near`` at each end (an end is always near its own line)."""
    if line.length <= 6 * near:
        return LineString()
    return shapely.ops.substring(line, 3 * near, line.length - 3 * near)


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


def close_along_other_layers(rings: list, opens: list, near: float, report=None) -> tuple[list, list]:
    """``(rings, opens)`` with each open line that would be refused as a cut line closed where
    the straight edge between its ends lies along the cut line (a closed line) of another layer
    (within ``near``), outside every piece: two pieces drawn on layers of their own (`deel 3`,
    `deel 4`) whose shared edge is drawn once, on one of them. ``rings``: ``(area, ring,
    layer)``; ``opens``: ``(chain, layer)``. A cutter drawing was refused ("cut line is open: a
    gap of 719.921 mm") though its neighbour's line ran along the gap. ``report(message)`` hears
    of each line so closed."""
    candidates = [k for k, (ch, _) in enumerate(opens) if would_be_refused(ch) and ch.end_gap > near]
    if not candidates:
        return rings, opens
    # only another piece's cut line (a closed line): a centre-front or fold line on a layer of its
    # own closed a half piece, cut as a half
    lines = [(LineString(np.vstack([r, r[:1]])), lay) for _, r, lay in rings if len(r) >= 2]
    pieces = [Polygon(r).buffer(0) for _, r, _ in rings if len(r) >= 3]
    closed: set[int] = set()
    reach: dict[str, object] = {}  # layer -> the other layers' cut lines, within near
    for k in candidates:
        ch, layer = opens[k]
        if layer not in reach:
            others = [g for g, lay in lines if lay != layer]
            reach[layer] = shapely.union_all(others).buffer(near) if others else None
        if reach[layer] is None:
            continue
        gap = LineString([ch.points[-1], ch.points[0]])
        if gap.difference(reach[layer]).length > near:
            continue
        mid = gap.interpolate(0.5, normalized=True)
        donors = sorted({lay for g, lay in lines if lay != layer and g.distance(mid) <= near})
        ring = np.asarray(ch.points[:-1] if ch.end_gap == 0 else ch.points, dtype=np.float64)
        if len(ring) < 3 or abs(ring_area(ring)) < _MIN_FACE_MM2:
            continue
        shape = Polygon(ring).buffer(0)
        inner = shape.representative_point()
        if any(p.contains(inner) for p in pieces):
            continue  # a line inside a piece (a mark open on one side) is no piece's cut line
        pieces.append(shape)
        rings = rings + [(abs(ring_area(ring)), ring if ring_area(ring) > 0 else ring[::-1], layer)]
        closed.add(k)
        if report is not None:
            x, y = 0.5 * (ch.points[0] + ch.points[-1])
            report(f"cut line on layer {layer} open by {ch.end_gap:.1f} mm at ({x:.1f}, {y:.1f}), along a "
                   f"line of layer {', '.join(donors) or '?'}: closed there (an edge two pieces share, drawn "
                   "once)")
    return rings, [o for k, o in enumerate(opens) if k not in closed]
