"""Notches drawn as lines: where each mark meets the cut line, and what kind of notch it is.

A notch drawn as lines is read from its shape against the finished cut line (mm), whatever
order the lines are listed in, whichever way each is drawn and however the drawing is turned:

- the lines of one mark touch end to end, or a short bar's middle meets a slit's inner end
  (Seamly2D's and Valentina's AAMA export writes every line of a passmark as a LINE of its own
  on layer 4); lines that do not touch are marks of their own (a double notch is two slits);
- a straight mark is a slit, at the point where it meets the cut line: its end on it, or where
  it crosses it (a tick drawn from a little outside), cutting into the piece as deep as the
  part inside; a slit with a bar across its inner end is a T notch;
- a mark whose two ends lie on the cut line (or cross it) is a V (two strokes), a castle (three
  strokes at right angles: a box) or a U (more, a curve), at the middle of its mouth, as deep
  and as wide as drawn; two strokes from one point of the cut line into the piece (Seamly2D's
  "V mark") are a V at that point, as deep and as wide as their open ends;
- a bent mark with one end on the cut line is a check notch, along its first stroke;
- a mark drawn outward from the cut line (printed and home-sewing patterns draw ticks and
  triangles so) is the same notch cut into the piece, as deep as drawn.

A mark that does not reach the cut line stays at its end nearest to it, for
:func:`~kitcut.formats.reading.mark_place.place_notch` to move onto the cut line or leave out.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from shapely.geometry import LinearRing, LineString, Point, Polygon

from kitcut.formats.reading.build import RawNotch
from kitcut.formats.reading.marks import is_straight, v_notch
from kitcut.groups import groups

__all__ = ["drawn_mark", "drawn_notches", "notches_in_mm", "ON_CUT_MM"]

#: A mark's end this close (mm) to the cut line lies on it (as a notch point is moved onto it).
ON_CUT_MM = 2.0
#: The corners of a box (castle) notch are right angles within this (degrees).
_BOX_DEG = 20.0


def notches_in_mm(notches: list[RawNotch], s: float, outline: np.ndarray, join: float, report,
                  label: str) -> list[RawNotch]:
    """The raw ``notches`` (``s`` mm per drawing unit) in mm, those drawn as lines read as marks
    (:func:`drawn_notches`); the ones drawn outward from the cut line are reported."""
    mm = [replace(n, x=n.x * s, y=n.y * s, z=n.z * s, width=n.width * s,
                  line=None if n.line is None else np.asarray(n.line, dtype=np.float64) * s) for n in notches]
    out, outward = drawn_notches(mm, outline, join)
    if outward:
        report.warn(f"{outward} notch(es) drawn outward from the cut line (as printed patterns mark "
                    "them): cut into the piece, as deep as drawn", piece=label)
    return out


def drawn_notches(notches: list[RawNotch], outline: np.ndarray, join: float) -> tuple[list[RawNotch], int]:
    """``notches`` (mm) with those drawn as lines (``line`` set) read as marks (see the module
    docstring): the lines of one mark (ends within ``join`` mm) become one notch. Returns the
    notches and how many of them were drawn outward from the cut line."""
    lines = [k for k, n in enumerate(notches) if n.line is not None and len(n.line) >= 2]
    if not lines:
        return list(notches), 0
    body = Polygon(outline)
    edge = LinearRing(outline)
    out = [n for n in notches if n.line is None or len(n.line) < 2]
    outward = 0
    for group in _marks([np.asarray(notches[k].line, dtype=np.float64) for k in lines], join):
        raws = [notches[lines[j]] for j in group]
        strokes = [np.asarray(r.line, dtype=np.float64) for r in raws]
        made = _mark(strokes, body, edge, join, " + ".join(r.source for r in raws))
        if made is None:  # no shape kitcut knows: each line a slit, as drawn
            out.extend(raws)
            continue
        notch, drawn_out = made
        layer_kind = next((r.kind for r in raws if r.kind != "slit"), None)
        if layer_kind is not None:  # an ASTM notch layer (80-83) says the kind
            notch = replace(notch, kind=layer_kind)
        out.append(notch)
        outward += drawn_out
    return out, outward


def drawn_mark(strokes: list[np.ndarray], outline: np.ndarray, join: float):
    """``(notch, drawn outward)`` of the strokes of one mark against the cut line ``outline``
    (mm), or ``None`` when they make no notch's shape."""
    return _mark([np.asarray(s, dtype=np.float64) for s in strokes], Polygon(outline), LinearRing(outline),
                 join, "")


def _marks(strokes: list[np.ndarray], join: float) -> list[list[int]]:
    """The strokes grouped into marks: strokes touch end to end, or an end meets the middle of
    another (a T's bar). Groups are listed by their first stroke."""
    n = len(strokes)
    ends = [(s[0], s[-1], 0.5 * (s[0] + s[-1])) for s in strokes]
    touching = []
    for i in range(n):
        for j in range(i + 1, n):
            a0, a1, am = ends[i]
            b0, b1, bm = ends[j]
            near = min(np.linalg.norm(p - q) for p in (a0, a1) for q in (b0, b1))
            tee = min(np.linalg.norm(p - q) for p, q in ((a0, bm), (a1, bm), (b0, am), (b1, am)))
            if min(near, tee) <= join:
                touching.append((i, j))
    return groups(n, touching)


def _chain(strokes: list[np.ndarray], join: float) -> np.ndarray | None:
    """The strokes joined end to end into one polyline, or ``None`` when they do not make one.

    Each step joins the stroke whose end is nearest an end of the polyline: a Seamly2D U notch
    draws its half circle in chords of 0.3 mm, shorter than ``join``, and taking the first end
    within reach joined a chord by its far end, so the U fell apart into 8 slits."""
    pts = strokes[0]
    rest = list(strokes[1:])
    while rest:
        best = None  # (distance, index, how)
        for k, s in enumerate(rest):
            for how, d in enumerate((np.linalg.norm(s[0] - pts[-1]), np.linalg.norm(s[-1] - pts[-1]),
                                     np.linalg.norm(s[-1] - pts[0]), np.linalg.norm(s[0] - pts[0]))):
                if d <= join and (best is None or d < best[0]):
                    best = (d, k, how)
        if best is None:
            return None
        _, k, how = best
        s = rest.pop(k)
        if how == 0:
            pts = np.vstack([pts, s[1:]])
        elif how == 1:
            pts = np.vstack([pts, s[::-1][1:]])
        elif how == 2:
            pts = np.vstack([s[:-1], pts])
        else:
            pts = np.vstack([s[::-1][:-1], pts])
    return pts


def _mark(strokes: list[np.ndarray], body: Polygon, edge: LinearRing, join: float, src: str):
    """``(notch, drawn outward)`` of one mark's strokes, or ``None`` for a shape of no notch."""
    if len(strokes) == 2:
        for stem, bar in (strokes, strokes[::-1]):
            mid = 0.5 * (bar[0] + bar[-1])
            meets = min(np.linalg.norm(stem[0] - mid), np.linalg.norm(stem[-1] - mid))
            if is_straight(bar) and meets <= join:
                made = _slit(stem, body, edge, src)  # a T: the slit with its bar
                return None if made is None else (replace(made[0], kind="t"), made[1])
    pts = _chain(strokes, join)
    if pts is None:
        return None
    pts = _corners(pts)
    if len(pts) == 2 or is_straight(pts):
        return _slit(pts[[0, -1]], body, edge, src)
    off = [edge.distance(Point(p)) for p in pts]
    if len(pts) == 3 and off[1] <= ON_CUT_MM < min(off[0], off[2]):
        return _tip_v(pts, body, src)  # a V from a point of the cut line into the piece
    mouth = [_foot(pts, end, edge) for end in (0, -1)]
    if mouth[0] is not None and mouth[1] is not None:
        return _shaped(pts, mouth[0], mouth[1], body, src)
    if (mouth[0] is None) == (mouth[1] is None) or len(pts) != 3:
        return None  # a check has two strokes and one end on the cut line
    if mouth[0] is None:
        pts = pts[::-1]
    return _slit(pts[:2], body, edge, src, kind="check")


def _corners(pts: np.ndarray) -> np.ndarray:
    """The polyline without repeated points and points where it runs straight on."""
    keep = [pts[0]]
    for p in pts[1:]:
        if np.linalg.norm(p - keep[-1]) > 1e-9:
            keep.append(p)
    out = [keep[0]]
    for k in range(1, len(keep) - 1):
        if not is_straight(np.array([out[-1], keep[k], keep[k + 1]])):
            out.append(keep[k])
    out.append(keep[-1])
    return np.array(out)


def _foot(pts: np.ndarray, end: int, edge: LinearRing) -> np.ndarray | None:
    """Where the end stroke of ``pts`` at ``end`` (0 or -1) meets the cut line: the end itself
    when on it, else where the stroke crosses it; ``None`` when it does neither."""
    p, q = (pts[0], pts[1]) if end == 0 else (pts[-1], pts[-2])
    if edge.distance(Point(p)) <= ON_CUT_MM:
        return p
    return _crossing(p, q, edge)


def _crossing(p: np.ndarray, q: np.ndarray, edge: LinearRing) -> np.ndarray | None:
    """The point where segment ``p``-``q`` crosses the cut line nearest to ``p``, or ``None``."""
    cut = LineString([p, q]).intersection(edge)
    if cut.is_empty:
        return None
    pts = np.array([c for g in getattr(cut, "geoms", [cut]) for c in g.coords], dtype=np.float64)
    return pts[int(np.argmin(np.linalg.norm(pts - p, axis=1)))]


def _slit(line: np.ndarray, body: Polygon, edge: LinearRing, src: str, kind: str = "slit"):
    """A straight stroke as a slit (or the stem of a T, the first stroke of a check): from where
    it meets the cut line into the piece. Drawn outward, it is turned inward, as deep as drawn."""
    a, b = line[0], line[-1]
    da, db = edge.distance(Point(a)), edge.distance(Point(b))
    if da > db:
        a, b, da, db = b, a, db, da
    hit = _crossing(a, b, edge) if da > 1e-9 else None
    if hit is not None and min(np.linalg.norm(hit - a), np.linalg.norm(hit - b)) > 1e-9:
        inside_b = body.contains(Point(b))
        inner, outer = (b, a) if inside_b else (a, b)
        if np.linalg.norm(inner - hit) >= np.linalg.norm(outer - hit):  # drawn across, from outside
            return RawNotch(*map(float, hit), line=np.array([hit, inner]), kind=kind, source=src), 0
        return _inward(hit, outer, kind, src), 1  # mostly outside: an outward mark drawn across
    if body.contains(Point(b)) or db <= ON_CUT_MM or da > ON_CUT_MM:
        return RawNotch(*map(float, a), line=np.array([a, b]), kind=kind, source=src), 0
    return _inward(a, b, kind, src), 1


def _inward(foot: np.ndarray, tip: np.ndarray, kind: str, src: str) -> RawNotch:
    """A slit drawn outward from ``foot`` to ``tip``: turned round into the piece."""
    return RawNotch(*map(float, foot), line=np.array([foot, 2 * foot - tip]), kind=kind, source=src)


def _shaped(pts: np.ndarray, a: np.ndarray, b: np.ndarray, body: Polygon, src: str):
    """A mark with its mouth ``a``-``b`` on the cut line: a V, a castle (box) or a U."""
    inner = np.vstack([a, pts[1:-1], b])
    if len(inner) == 3:
        notch = v_notch(inner, src)
    else:
        kind = "castle" if len(inner) == 4 and _square(inner) else "u"
        mid = 0.5 * (a + b)
        d = (b - a) / max(float(np.linalg.norm(b - a)), 1e-12)
        n = np.array([-d[1], d[0]])
        if float(np.sum((inner - mid) @ n)) < 0:
            n = -n
        depth = float(((inner - mid) @ n).max())
        notch = RawNotch(float(mid[0]), float(mid[1]), z=depth, width=float(np.linalg.norm(b - a)),
                         angle=math.degrees(math.atan2(n[1], n[0])), kind=kind, source=src)
    a_rad = math.radians(notch.angle)
    probe = Point(notch.x + 0.5 * math.cos(a_rad), notch.y + 0.5 * math.sin(a_rad))
    if body.contains(probe):
        return notch, 0
    return replace(notch, angle=(notch.angle + 180.0) % 360.0), 1  # drawn outward: cut inward


def _tip_v(pts: np.ndarray, body: Polygon, src: str):
    """A V drawn from its tip on the cut line into the piece (Seamly2D's "V mark"): a V notch at
    the tip, cutting towards the middle of its open ends, as deep and as wide as they are."""
    tip, mid = pts[1], 0.5 * (pts[0] + pts[-1])
    d = mid - tip
    notch = RawNotch(float(tip[0]), float(tip[1]), z=float(np.linalg.norm(d)),
                     width=float(np.linalg.norm(pts[-1] - pts[0])),
                     angle=math.degrees(math.atan2(d[1], d[0])), kind="v", source=src)
    if body.contains(Point(*(tip + 0.5 * d / max(float(np.linalg.norm(d)), 1e-12)))):
        return notch, 0
    return replace(notch, angle=(notch.angle + 180.0) % 360.0), 1  # drawn outward: cut inward


def _square(pts: np.ndarray) -> bool:
    """Every corner of the polyline a right angle (within :data:`_BOX_DEG`)."""
    d = np.diff(pts, axis=0)
    d = d / np.linalg.norm(d, axis=1)[:, None]
    cos = np.abs(np.sum(d[1:] * d[:-1], axis=1))
    return bool((cos <= math.sin(math.radians(_BOX_DEG))).all())
