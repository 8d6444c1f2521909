"""Marks on a placed piece as a pen or a knife draws them: notch shapes, grain lines and their
arrow heads kept on their piece, and where a piece's label goes.

>>> notch_points(0.0, 0.0, 0.0, "v", 4.0, 2.0).tolist()
[[0.0, -1.0], [4.0, 0.0], [0.0, 1.0]]
"""

from __future__ import annotations

import math

import numpy as np

from kitcut.cells import shorten
from kitcut.model.geometry import apart, parts_on

__all__ = ["notch_points", "lines_on_piece", "unique_notches", "arrow_heads", "label_height", "fit_label",
           "label_point", "grain_on_piece", "beside_line", "CHAR_CELL"]

#: A character's cell along a plotter's stroke-font text, in text heights (1.5 times the 0.5 h
#: character width): what every label and title is measured by.
CHAR_CELL = 0.75


def notch_points(x: float, y: float, angle_deg: float, kind: str, depth: float, width: float,
                 outline: np.ndarray | None = None) -> np.ndarray:
    """The drawn shape of a notch (piece coordinates): a slit, a V or a three-sided slot.

    A slit starts at the notch, on the cut line, and goes ``depth`` into the piece along
    ``angle_deg``; a V and a slot open ``width`` wide across that direction. With the piece's
    ``outline``, their corners lie on the cut line: a notch not square to its edge (or at a corner
    of the piece, or on a curve) had a corner off it, outside the piece (the knife cut into the
    next piece or past the selvedge) or inside it (a flap left uncut). Each corner moves along the
    notch's direction onto the cut line (a slot's inner corners with it, so its depth stays).

    >>> square = np.array([(0, 0), (9, 0), (9, 9), (0, 9)])
    >>> notch_points(0.0, 0.0, 45.0, "v", 3.0, 2.0, square).round(3).tolist()  # at a corner
    [[1.414, 0.0], [2.121, 2.121], [0.0, 1.414]]
    """
    a = math.radians(angle_deg)
    d = np.array([math.cos(a), math.sin(a)])
    n = np.array([-d[1], d[0]])
    p = np.array([x, y], dtype=float)
    depth = depth if depth and depth > 0 else 5.0
    if kind not in ("v", "u", "castle") or not width > 0:
        return np.array([p, p + d * depth])
    left, right = p - n * width / 2, p + n * width / 2
    if outline is not None:
        ring = np.asarray(outline, dtype=float)
        left, right = (c + d * _to_cut_line(c, d, ring, width + depth) for c in (left, right))
    if kind == "v":
        return np.array([left, p + d * depth, right])
    return np.array([left, left + d * depth, right + d * depth, right])


def _to_cut_line(c: np.ndarray, d: np.ndarray, ring: np.ndarray, reach: float) -> float:
    """How far along ``d`` (either way, at most ``reach``) the point ``c`` meets the ring nearest;
    0 when it does not."""
    a = ring
    e = np.roll(ring, -1, axis=0) - a
    den = d[0] * e[:, 1] - d[1] * e[:, 0]
    ok = np.abs(den) > 1e-12
    den = np.where(ok, den, 1.0)
    w = a - c
    t = (w[:, 0] * e[:, 1] - w[:, 1] * e[:, 0]) / den  # along d
    s = (w[:, 0] * d[1] - w[:, 1] * d[0]) / den  # along the edge
    hit = ok & (s >= -1e-9) & (s <= 1 + 1e-9) & (np.abs(t) <= reach)
    if not hit.any():
        return 0.0
    return float(t[hit][np.argmin(np.abs(t[hit]))])


def lines_on_piece(points: np.ndarray, closed: bool, outline: np.ndarray) -> list[tuple[np.ndarray, bool]]:
    """An internal or sew line as a pen draws it: its parts on the piece. A line the CAD ran a
    little past the cut line (the import keeps what is within 0.5 mm as drawn) drew off the piece,
    before the marker's start or past the selvedge. A line with nothing on the piece is kept as it
    is (the import has already left out, with a remark, lines drawn beside a piece).

    >>> square = np.array([(0, 0), (10, 0), (10, 9), (0, 9)])
    >>> [(p.tolist(), c) for p, c in lines_on_piece(np.array([(-0.4, 5.0), (20.0, 5.0)]), False, square)]
    [([[0.0, 5.0], [10.0, 5.0]], False)]
    """
    from shapely.geometry import Polygon

    pts = np.asarray(points, dtype=float)
    if not Polygon(outline).is_valid:
        return [(pts, closed)]
    parts = parts_on(pts, closed, outline, 1e-6)
    if not parts:  # on the piece, or nothing on it
        return [(pts, closed)]
    return [(p, False) for p in parts]


def unique_notches(notches: list, near: float) -> tuple[list, int]:
    """``notches`` without any at the place of an earlier one (within ``near``: one notch listed
    twice, which a cutter would cut twice), and how many were left out."""
    kept = apart(notches, near)
    return kept, len(notches) - len(kept)


def _head(tip: np.ndarray, base: np.ndarray, size: float) -> list[np.ndarray]:
    """The two barbs (``size`` long, 25 degrees off the line) of an arrow head at ``tip``, coming
    from ``base``."""
    d = tip - base
    n = float(np.hypot(*d))
    if n <= 0:
        return []
    d = d / n
    out = []
    for s in (1, -1):
        a = math.radians(25 * s)
        r = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
        out.append(np.array([tip - size * (r @ d), tip]))
    return out


def arrow_heads(line: np.ndarray, size: float, outline: np.ndarray,
                tolerance: float = 0.005) -> list[np.ndarray]:
    """Head strokes of a double-headed arrow along ``line`` (first to last point), ``size`` long
    where the piece ``outline`` has room: each head is made smaller (by tenths, down to a fifth of
    ``size``) until it lies on the piece within ``tolerance``, and an end with no room for one has
    none. A 10 mm binding's 15 mm heads (12.7 mm across) reached 1.3 mm past both cut lines, the
    cutter's pen marking the next piece, and a strip on the selvedge had no cutter file (its pen
    off the media). A head is at most 0.45 of the line long, so that the two heads of a line under
    8 mm do not cross into an X."""
    from shapely.geometry import MultiLineString

    size = min(size, 0.45 * float(np.hypot(*np.diff(line, axis=0).T).sum()))
    room = _label_poly(outline).buffer(tolerance)
    heads = []
    for tip, base in ((line[-1], line[-2]), (line[0], line[1])):
        for k in range(10, 1, -1):
            barbs = _head(tip, base, size * k / 10)
            if barbs and room.covers(MultiLineString([b.tolist() for b in barbs])):
                heads += barbs
                break
    return heads


def label_point(outline: np.ndarray, holes=()) -> tuple[float, float]:
    """Where a piece's label goes: the point of the piece farthest from its cut line and its
    cut-outs ``holes`` (within a tolerance), and its centroid when that is as far (within the same
    tolerance). On a strip, every point of the middle line is as far, and the farthest point found
    lay at one end of it: a label centred there had room for a small part of the strip's length
    (10 mm of a 45 x 10 mm binding). A label put over a cut-out was cut away with it.

    >>> label_point(np.array([(0, 0), (45, 0), (45, 10), (0, 10)]))
    (22.5, 5.0)
    """
    from shapely.geometry import Point
    from shapely.ops import polylabel

    poly = _label_poly(outline, holes)
    if poly.is_empty:
        c = outline.mean(axis=0)
        return float(c[0]), float(c[1])
    if poly.geom_type != "Polygon":
        poly = max(poly.geoms, key=lambda g: g.area)
    size = max(poly.bounds[2] - poly.bounds[0], poly.bounds[3] - poly.bounds[1])
    tol = max(size / 50.0, 0.5)
    pt = polylabel(poly, tolerance=tol)
    mid = poly.centroid
    if poly.contains(mid) and poly.boundary.distance(mid) >= poly.boundary.distance(Point(pt.x, pt.y)) - tol:
        pt = mid
    return float(pt.x), float(pt.y)


def _label_poly(outline: np.ndarray, holes=()):
    """The piece a label must lie on: its outline less its cut-outs ``holes``."""
    from shapely.geometry import Polygon

    poly = Polygon(outline)
    poly = poly if poly.is_valid else poly.buffer(0)
    for h in holes:
        if len(h) >= 3:
            hole = Polygon(h)
            poly = poly.difference(hole if hole.is_valid else hole.buffer(0))
    return poly


def _label_box(at: tuple[float, float], angle_deg: float, chars: int, h: float):
    """The box of a label of ``chars`` characters, ``h`` high, centred at ``at`` along
    ``angle_deg`` (:data:`CHAR_CELL` h a character long)."""
    from shapely.geometry import Polygon

    t = math.radians(angle_deg)
    d = np.array([math.cos(t), math.sin(t)])
    n = np.array([-d[1], d[0]])
    c = np.asarray(at, dtype=float)
    half_w, half_h = 0.5 * CHAR_CELL * h * max(chars, 1), 0.5 * h
    return Polygon([c - d * half_w - n * half_h, c + d * half_w - n * half_h, c + d * half_w + n * half_h,
                    c - d * half_w + n * half_h])


def _label_fits(poly, at: tuple[float, float], angle_deg: float, chars: int, h: float) -> bool:
    """Whether the box of a label (:func:`_label_box`) lies inside ``poly``."""
    return poly.contains(_label_box(at, angle_deg, chars, h))


def beside_line(outline: np.ndarray, at: tuple[float, float], angle_deg: float, chars: int, h: float,
                line: np.ndarray, holes=()) -> tuple[float, float]:
    """Where a label centred at ``at`` goes so that ``line`` (the grain line) does not strike it
    through: ``at`` when its box misses the line; else moved square to the text until its box
    clears the line by a third of its height (at least 0.5 mm), to the nearer side where the box
    lies on the piece, off its cut-outs, and misses the line; ``at`` when neither side has room.
    Both are drawn through the piece's middle: every label of a real AccuMark marker was struck
    through by its grain line, on every print."""
    from shapely.geometry import LineString

    stroke = LineString(np.asarray(line, dtype=float))
    if not _label_box(at, angle_deg, chars, h).intersects(stroke):
        return at
    t = math.radians(angle_deg)
    n = np.array([-math.sin(t), math.cos(t)])
    c = np.asarray(at, dtype=float)
    across = (np.asarray(line, dtype=float) - c) @ n  # where the line lies, square to the text
    gap = max(h / 3.0, 0.5)
    poly = _label_poly(outline, holes)
    up, down = float(across.max()) + gap + h / 2.0, float(across.min()) - gap - h / 2.0
    # the nearer side; a tie (a line through the middle) goes up, whatever rounding a copy of the
    # marker read back from marker.json brings (its labels moved 50 mm from one side to the other)
    sides = (down, up) if abs(down) < abs(up) - 1e-6 * max(h, 1.0) else (up, down)
    for off in sides:
        moved = c + off * n
        box = _label_box(moved, angle_deg, chars, h)
        if poly.contains(box) and not box.intersects(stroke):
            return float(moved[0]), float(moved[1])
    return at


def label_height(outline: np.ndarray, at: tuple[float, float], angle_deg: float, chars: int,
                 height: float, floor: float = 1.0, holes=()) -> float:
    """The height (mm, at most ``height``, not below ``floor``) at which a label of ``chars``
    characters centred at ``at`` along ``angle_deg`` lies inside ``outline``: its box is
    :data:`CHAR_CELL` h a character long and h high. Sized by the piece's extent
    alone, a label off the middle of a narrow or curved piece ran across its cut line, and past
    the start of the marker. ``floor`` when not even that fits (:func:`fit_label` then shortens
    the text); ``holes``: the piece's cut-outs, where no label goes."""
    poly = _label_poly(outline, holes)
    if poly.is_empty:
        return height
    h = height
    while True:
        if h <= floor or _label_fits(poly, at, angle_deg, chars, h):
            return h
        h = max(0.85 * h, floor)


def fit_label(outline: np.ndarray, at: tuple[float, float], angle_deg: float, parts: tuple[str, str, str],
              height: float, floor: float = 1.0, holes=()) -> tuple[str, float]:
    """``(text, height)`` of a label centred at ``at`` along ``angle_deg`` whose whole box
    (:data:`CHAR_CELL` h a character long, h high) lies inside ``outline``. ``parts`` are the
    text as written, in three: a qualification ending in its separator (a kit's ``order/garment/``,
    or ``""``), the piece's name and its size (``" (M)"``, or ``""``).

    The height is the largest up to ``height`` at which the whole text fits (:func:`label_height`);
    when not even ``floor`` does, the text is shortened (:func:`kitcut.cells.shorten`) to what fits
    at ``floor``: the qualification first (``A-1042/t.../Back (M)``, ``.../Back (M)``, then
    ``Back (M)`` alone), then the name (``Ba... (M)``), the size always whole; when not even that
    fits, no text (``""``): a label left off is better than one across the cut line, over the
    next piece or before the marker. Drawn at the floor whole, a kit's ``order/garment/piece
    (size)`` (up to 80 characters) lay up to half off its piece and started before the marker.

    >>> strip = np.array([(0, 0), (40, 0), (40, 10), (0, 10)])
    >>> text, h = fit_label(strip, (20, 5), 0.0, ("A-1042/Basic tee/", "Back", " (M)"), 8.0)
    >>> text, round(h, 2)
    ('A-1042/Basic tee/Back (M)', 1.85)
    >>> fit_label(strip, (20, 5), 0, ("A-1042/Basic tee (organic cotton)/", "Neckband binding", " (M)"), 8.0)
    ('A-1042/Basic tee (organic cot.../Neckband binding (M)', 1.0)
    >>> tab = np.array([(0, 0), (9, 0), (9, 3), (0, 3)])
    >>> [fit_label(tab, (4.5, 1.5), 0.0, ("A-1042/", name, " (M)"), 8.0)[0]
    ...  for name in ("Tab", "Neckband", "Neckband binding")]
    ['A.../Tab (M)', 'Neckband (M)', 'Neckb... (M)']
    >>> fit_label(tab / 2, (2.25, 0.75), 0.0, ("A-1042/", "Neckband", " (M)"), 8.0)
    ('', 1.0)
    """
    text = "".join(parts)
    poly = _label_poly(outline, holes)
    h = label_height(outline, at, angle_deg, len(text), height, floor, holes)
    if poly.is_empty or _label_fits(poly, at, angle_deg, len(text), h):
        return text, h
    h = floor

    def fits(t: str) -> bool:
        return _label_fits(poly, at, angle_deg, len(t), h)

    prefix, name, size = parts
    short = shorten(prefix[:-1], fits, prefix[-1:] + name + size) if prefix else None
    if short is None:
        short = shorten(name, fits, size)
    return short or "", h


def grain_on_piece(g: np.ndarray, outline: np.ndarray) -> np.ndarray:
    """The grain line as a pen draws it: on the piece. CAD draws it past a small piece (CLO: a
    180 mm grain on a 20 mm strap) or beside one; drawn as it is, the pen crosses the next piece.
    Its longest part on the piece is kept when that holds half of it (or of the piece's extent
    that way); else it is drawn, in its own direction, through the piece's middle (its centroid,
    or where its label goes when the centroid is off the piece)."""
    from shapely.geometry import LineString, Polygon

    poly = Polygon(outline)
    if not poly.is_valid:
        poly = poly.buffer(0)
    line = LineString(g)
    if poly.is_empty or poly.buffer(0.5).covers(line):
        return g
    d = (g[-1] - g[0]) / float(np.hypot(*(g[-1] - g[0])))
    extent = float(np.ptp(outline @ d))

    def longest(geom):
        parts = [p for p in getattr(geom, "geoms", [geom]) if p.geom_type == "LineString" and p.length > 0]
        return max(parts, key=lambda p: p.length) if parts else None

    def along(part) -> np.ndarray:  # in the grain's own direction (its arrow says which way)
        a = np.asarray(part.coords, dtype=float)
        return a if float((a[-1] - a[0]) @ d) >= 0 else a[::-1]

    best = longest(line.intersection(poly))
    if best is not None and best.length >= 0.5 * min(line.length, extent):
        return along(best)
    mid = poly.centroid
    c = np.array((mid.x, mid.y)) if poly.contains(mid) else np.array(label_point(outline))
    half = 0.5 * min(line.length, 0.6 * extent)
    best = longest(LineString([c - half * d, c + half * d]).intersection(poly))
    return g if best is None else along(best)
