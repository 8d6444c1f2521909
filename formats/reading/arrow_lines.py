"""Grain lines drawn with arrowheads as open lines: their shafts and the legs of their heads.

A grain line is often drawn with an arrowhead at each end: as one polyline through both heads,
as a shaft with a short leg or two at each end (LINEs, which chaining may join into a shaft with
a leg at each end and lone legs), or with each head a V (leg, tip, leg). Its direction is its
shaft, the longest straight run, never the chord from the first to the last point.

A head is what lies at an end of the shaft pointing back along it at 10 to 60 degrees: every
point of it within :data:`LEG_SHARE` of the shaft's length from that end, or within
:data:`PAIR_SHARE` when the head is two legs, one each side of the shaft and mirror images about
it (a 30 mm shaft with 10 mm legs: a short grain line on a cuff). One leg alone longer than
``LEG_SHARE`` of the line it ends, or two lines meeting at another angle, is no arrow (a corner
mark, a short line meeting an internal line): they stay lines.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["LEG_SHARE", "PAIR_SHARE", "shaft", "arrowed", "headed", "arrow_parts"]

#: A leg of an arrowhead is at most this share of its shaft's length ...
LEG_SHARE = 0.3
#: ... or this share when the head is two legs, mirror images about the shaft.
PAIR_SHARE = 0.5
#: An arrowhead's legs point back along the shaft at 10 to 60 degrees: their cosines.
_ARROW_COS = (math.cos(math.radians(60)), math.cos(math.radians(10)))
#: Two legs are mirror images when each tip lies this close (a share of the leg's length, at
#: least the drawing's ``near``) to the other's mirror image about the shaft.
_MIRROR = 0.15
#: A line with more points than this is no arrowhead (a curve, a letter).
_HEAD_POINTS = 6


def shaft(pts: np.ndarray, deg: float = 0.5) -> np.ndarray:
    """The longest straight run of a polyline (consecutive segments within ``deg`` degrees of
    one direction) as its two end points ``float64[2, 2]``."""
    pts = np.asarray(pts, dtype=np.float64)
    keep = np.r_[True, np.linalg.norm(np.diff(pts, axis=0), axis=1) > 0]
    pts = pts[keep]
    if len(pts) < 2:
        return pts[[0, 0]]
    d = np.diff(pts, axis=0)
    ang = np.arctan2(d[:, 1], d[:, 0])
    best, best_len = (0, 1), -1.0
    start = 0
    tol = math.radians(deg)
    for k in range(1, len(d) + 1):
        along = k < len(d) and abs((ang[k] - ang[start] + math.pi) % (2 * math.pi) - math.pi) <= tol
        if not along:
            length = float(np.linalg.norm(pts[k] - pts[start]))
            if length > best_len:
                best, best_len = (start, k), length
            start = k
    return pts[list(best)]


def _off(pts: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points of ``pts`` off the line through the shaft ``a``-``b``, split by the nearer end."""
    L = float(np.linalg.norm(b - a))
    u = (b - a) / L
    r = pts - a
    off = pts[np.abs(r[:, 0] * u[1] - r[:, 1] * u[0]) > 1e-3 * L]
    at_a = np.linalg.norm(off - a, axis=1) <= np.linalg.norm(off - b, axis=1)
    return off[at_a], off[~at_a]


def _head(tips: np.ndarray, end: np.ndarray, back: np.ndarray, length: float, near: float) -> bool:
    """Whether the points ``tips`` make an arrowhead at ``end`` of a shaft ``length`` long
    running on along ``back`` (see the module docstring)."""
    v = tips - end
    d = np.linalg.norm(v, axis=1)
    v, d = v[d > 0], d[d > 0]
    if not len(v):
        return False
    cos = (v @ back) / d
    if (cos < _ARROW_COS[0]).any() or (cos > _ARROW_COS[1]).any():
        return False
    if d.max() <= LEG_SHARE * length:
        return True
    if d.max() > PAIR_SHARE * length * (1 + 1e-9):
        return False
    mirror = 2 * (v @ back)[:, None] * back - v  # each tip reflected about the shaft
    gap = np.linalg.norm(mirror[:, None, :] - v[None, :, :], axis=2)
    return bool((gap.min(axis=1) <= np.maximum(near, _MIRROR * d)).all())


def arrowed(pts: np.ndarray, near: float = 0.5) -> np.ndarray | None:
    """The shaft of one polyline drawn with its arrowheads, else ``None``: every point off the
    shaft makes a head at one of its ends (see the module docstring)."""
    pts = np.asarray(pts, dtype=np.float64)
    if len(pts) < 3:
        return None
    a, b = shaft(pts)
    L = float(np.linalg.norm(b - a))
    if L == 0:
        return None
    u = (b - a) / L
    at_a, at_b = _off(pts, a, b)
    for tips, end, back in ((at_a, a, u), (at_b, b, -u)):
        if len(tips) and not _head(tips, end, back, L, near):
            return None
    return np.array([a, b])


def headed(pts: np.ndarray, near: float = 0.5) -> bool:
    """Whether one polyline is drawn with an arrowhead at one end or both (:func:`arrowed`, and
    not merely straight)."""
    sh = arrowed(pts, near)
    return sh is not None and any(len(t) for t in _off(np.asarray(pts, dtype=np.float64), *sh))


def arrow_parts(lines: list[np.ndarray], near: float) -> tuple[dict[int, np.ndarray], set[int]]:
    """``({line: its shaft}, {lines that are arrowhead legs})`` among the open lines of one
    piece that stay clear of its cut line: a line drawn with (some of) its heads, or with legs of
    their own at its ends, gives its shaft (the line from end to end);
    a short line or V at an end of a shaft, with the legs the shaft holds there making a head,
    is a leg of it (see the module docstring). The longest lines are looked at first."""
    lines = [np.asarray(p, dtype=np.float64) for p in lines]
    shafts = [shaft(p) for p in lines]
    lengths = np.array([float(np.linalg.norm(b - a)) for a, b in shafts])
    small = [k for k, p in enumerate(lines) if len(p) <= _HEAD_POINTS]
    verts = np.concatenate([lines[k] for k in small]) if small else np.zeros((0, 2))
    owner = np.repeat(np.array(small, dtype=np.int64), [len(lines[k]) for k in small])
    found: dict[int, np.ndarray] = {}
    legs: set[int] = set()
    for k in sorted(range(len(lines)), key=lambda k: -lengths[k]):
        L = lengths[k]
        if k in legs or L == 0:
            continue
        a, b = shafts[k]
        u = (b - a) / L
        own = _off(lines[k], a, b)
        hung: list[int] = []
        heads = 0
        for tips, end, back in ((own[0], a, u), (own[1], b, -u)):
            close = set(owner[np.linalg.norm(verts - end, axis=1) <= near].tolist()) - legs - found.keys()
            mine = [m for m in sorted(close - {k}) if _hangs(lines[m], end, back, L, near)]
            both = np.concatenate([tips, *(lines[m] for m in mine)])
            both = both[np.linalg.norm(both - end, axis=1) > near]
            if len(both) and _head(both, end, back, L, near):
                hung += mine
                heads += 1
            elif len(tips) and not _head(tips, end, back, L, near):
                break  # a line bent at its end some other way: no arrow
            else:
                heads += bool(len(tips))
        else:
            if heads:
                legs.update(hung)
                found[k] = np.array([a, b])
    return found, legs


def _hangs(pts: np.ndarray, end: np.ndarray, back: np.ndarray, length: float, near: float) -> bool:
    """Whether the short line ``pts`` meets ``end`` and lies back along ``back`` from it, at
    most :data:`PAIR_SHARE` of ``length`` away: a leg (or a V of two) of a head there."""
    d = np.linalg.norm(pts - end, axis=1)
    if d.min() > near or d.max() > PAIR_SHARE * length * (1 + 1e-9) or d.max() <= near:
        return False
    v = pts[d > near] - end
    cos = (v @ back) / np.linalg.norm(v, axis=1)
    return bool(((cos >= _ARROW_COS[0]) & (cos <= _ARROW_COS[1])).all())
