"""Grade rules from a pattern drawn in every size: the base size and its ``.RUL`` for writing.

A pattern that holds every size (kitcut's parametric samples, or any reader's result whose
sizes share their topology) is turned into what CAD exchanges: the sample-size pieces with a
rule number at each grade point, and the rule table. :func:`derive_grading` picks the grade
points so that kitcut's own grading (:mod:`kitcut.formats.reading.grading`) gives the drawn
sizes back within ``tolerance`` (mm):

- on the cut line: every corner (a turn of 30° or more) and every vertex with a notch, then,
  one at a time, the vertex where arc-length interpolation between the grade points chosen so
  far misses the drawn sizes most, until it misses none by more than ``tolerance``;
- internal lines, cut-outs and sew lines the same way along themselves (open lines: both ends
  first); grain and fold lines at both ends; every drill hole; a notch off the cut line's
  vertices;
- each grade point's offsets in every size (from the sample size) make a rule; points that
  move alike share one rule number, numbered from 1 in the order met.

Every size of a piece must have the same number of points in each of its lines (as the
samples do, and AccuMark's exports); otherwise :class:`~kitcut.errors.GeometryError` names the
piece and the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from kitcut.errors import GeometryError, InputError
from kitcut.formats.reading.grading import arc_weights
from kitcut.formats.reading.rul import GradeRules
from kitcut.model import Pattern, Piece

__all__ = ["PieceGrades", "GradedPattern", "derive_grading", "turn_points", "CORNER_DEG", "GRADE_TOL_MM"]

#: A turn of the cut line at least this sharp (degrees) is a grade point.
CORNER_DEG = 30.0
#: Grade points are added until kitcut's grading gives every drawn size back within this (mm):
#: half the reader's default chord tolerance; about 20 grade points on a T-shirt piece.
GRADE_TOL_MM = 0.05


@dataclass
class PieceGrades:
    """The rule number at the graded points of one piece as written: point index -> rule."""

    outline: dict = field(default_factory=dict)
    internal: list = field(default_factory=list)
    cutouts: list = field(default_factory=list)
    sew: list = field(default_factory=list)
    grain: dict = field(default_factory=dict)
    fold: dict = field(default_factory=dict)
    notches: list = field(default_factory=list)  # rule or None (graded with the cut line)
    drills: list = field(default_factory=list)


@dataclass
class GradedPattern:
    """``pieces[i]`` (as written, every size) graded by ``grades[i]`` when it is of the sample size."""

    pieces: tuple[Piece, ...]
    grades: dict[int, PieceGrades]
    rules: GradeRules


def _corners(ring: np.ndarray) -> set[int]:
    prev = ring - np.roll(ring, 1, axis=0)
    nxt = np.roll(ring, -1, axis=0) - ring
    a = np.degrees(np.arctan2(prev[:, 0] * nxt[:, 1] - prev[:, 1] * nxt[:, 0], (prev * nxt).sum(axis=1)))
    return {int(i) for i in np.flatnonzero(np.abs(a) >= CORNER_DEG)}


def _choose(points: np.ndarray, deltas: np.ndarray, seed: set[int], closed: bool, tol: float) -> list[int]:
    """Grade points of a line: ``seed``, then the worst-interpolated vertex until all are
    within ``tol``. ``deltas`` is ``float[n, sizes, 2]``."""
    n = len(points)
    flat = deltas.reshape(n, -1)
    chosen = set(seed) or {0}
    while True:
        pred = arc_weights(points, {i: flat[i] for i in chosen}, closed)
        err = np.abs(pred - flat).reshape(n, -1, 2)
        err = np.hypot(err[..., 0], err[..., 1]).max(axis=1)
        err[list(chosen)] = 0.0
        worst = int(np.argmax(err))
        if err[worst] <= tol or len(chosen) == n:
            return sorted(chosen)
        chosen.add(worst)


class _Rules:
    """Rule numbers for offset tables, shared by tables that agree to the .RUL's precision."""

    def __init__(self):
        self.tables: dict[int, np.ndarray] = {}
        self.keys: dict[tuple, int] = {}

    def number(self, table: np.ndarray) -> int:
        key = tuple(np.round(table, 4).ravel().tolist())
        key = tuple(0.0 if v == 0 else v for v in key)
        if key not in self.keys:
            n = len(self.tables) + 1
            self.keys[key] = n
            self.tables[n] = np.array(key).reshape(-1, 2)
        return self.keys[key]


def _stack(group: list[Piece], get, what: str, label: str) -> np.ndarray:
    arrays = [np.asarray(get(p), dtype=np.float64).reshape(-1, 2) for p in group]
    counts = {len(a) for a in arrays}
    if len(counts) != 1:
        shown = ", ".join(f"{len(a)} in size {p.size}" for a, p in zip(arrays, group, strict=True))
        raise GeometryError(f"cannot derive grade rules: the {what} has another number of points in another "
                            f"size ({shown})", piece=label)
    return np.stack(arrays, axis=1)  # [n, sizes, 2]


def derive_grading(pattern: Pattern, *, sample: str | None = None, tolerance: float = GRADE_TOL_MM,
                   table: str | None = None) -> GradedPattern:
    """Grade points and rules of ``pattern`` (pieces as they will be written, every size).

    ``sample`` is the size written in full (default: the middle one of the pattern's sizes).
    """
    sizes = tuple(pattern.size_names)
    if len(sizes) < 2:
        raise InputError("cannot write grade rules: the pattern has fewer than two sizes",
                         file=pattern.source)
    if sample is None:
        sample = sizes[len(sizes) // 2]
    if sample not in sizes:
        raise InputError(f"sample size {sample!r} is not a size of the pattern ({', '.join(sizes)})",
                         file=pattern.source)
    s = sizes.index(sample)
    rules = _Rules()
    grades: dict[int, PieceGrades] = {}
    names = list(dict.fromkeys(p.name for p in pattern.pieces if p.size is not None))
    for name in names:
        by_size = {p.size: p for p in pattern.pieces if p.name == name}
        missing = [z for z in sizes if z not in by_size]
        if missing:
            raise GeometryError(f"cannot derive grade rules: no piece of size(s) {', '.join(missing)}",
                                piece=name)
        group = [by_size[z] for z in sizes]
        base = by_size[sample]
        index = next(i for i, p in enumerate(pattern.pieces) if p is base)
        grades[index] = _piece_grades(group, s, rules, tolerance)
    return GradedPattern(pattern.pieces, grades,
                         GradeRules(sizes, sample, rules.tables, table=table or pattern.style))


def _offsets(stack: np.ndarray, s: int) -> np.ndarray:
    return stack - stack[:, s:s + 1, :]


def _line_grades(stack, s, rules, tol, closed: bool, seed: set[int]) -> dict:
    pts = stack[:, s, :]
    d = _offsets(stack, s)
    chosen = _choose(pts, d, seed if seed or closed else {0, len(pts) - 1}, closed, tol)
    return {i: rules.number(d[i]) for i in chosen}


def _piece_grades(group: list[Piece], s: int, rules: _Rules, tol: float) -> PieceGrades:
    base = group[s]
    label = base.name
    g = PieceGrades()
    ring = _stack(group, lambda p: p.outline, "cut line", label)
    at_notch = set()
    notch_xy = None
    if base.notches:
        notch_xy = _stack(group, lambda p: [(n.x, n.y) for n in p.notches], "notches", label)
    for n in base.notches:
        hit = np.flatnonzero(np.hypot(*(base.outline - (n.x, n.y)).T) <= 1e-9)
        if len(hit):
            at_notch.add(int(hit[0]))
    g.outline = _line_grades(ring, s, rules, tol, True, _corners(base.outline) | at_notch)
    for k, n in enumerate(base.notches):
        hit = np.flatnonzero(np.hypot(*(base.outline - (n.x, n.y)).T) <= 1e-9)
        same = len(hit) and np.allclose(notch_xy[k], ring[int(hit[0])], atol=1e-9)
        g.notches.append(None if same else rules.number(_offsets(notch_xy[k:k + 1], s)[0]))
    for attr, closed_default in (("internal_lines", False), ("sew_lines", False)):
        out = []
        for k, line in enumerate(base.internal_lines if attr == "internal_lines" else base.sew_lines):
            st = _stack(group, lambda p, k=k, attr=attr: getattr(p, attr)[k].points, f"line {k + 1}",
                        label)
            closed = bool(line.closed) or closed_default
            out.append(_line_grades(st, s, rules, tol, closed, set() if not closed else {0}))
        setattr(g, "internal" if attr == "internal_lines" else "sew", out)
    for k in range(len(base.cutouts)):
        st = _stack(group, lambda p, k=k: p.cutouts[k], f"cut-out {k + 1}", label)
        g.cutouts.append(_line_grades(st, s, rules, tol, True, _corners(base.cutouts[k]) or {0}))
    for attr in ("grain", "fold_line"):
        if getattr(base, attr) is not None:
            if any(getattr(p, attr) is None for p in group):
                raise GeometryError(f"cannot derive grade rules: the {attr.replace('_', ' ')} is missing "
                                    "in a size", piece=label)
            st = _stack(group, lambda p, attr=attr: getattr(p, attr).points, attr.replace("_", " "),
                        label)
            d = _offsets(st, s)
            marks = {i: rules.number(d[i]) for i in range(len(st))}
            setattr(g, "grain" if attr == "grain" else "fold", marks)
    if base.drills:
        st = _stack(group, lambda p: [(dr.x, dr.y) for dr in p.drills], "drill holes", label)
        d = _offsets(st, s)
        g.drills = [rules.number(d[k]) for k in range(len(base.drills))]
    return g


def turn_points(ring: np.ndarray, closed: bool = True) -> set[int]:
    """Vertices where the line turns by :data:`CORNER_DEG` or more (and the ends of an open line):
    written as turn points (layer 2), the other grade points as curve points (layer 3)."""
    pts = np.asarray(ring, dtype=np.float64).reshape(-1, 2)
    if len(pts) < 3:
        return set(range(len(pts)))
    out = _corners(pts)
    if not closed:
        out = {i for i in out if 0 < i < len(pts) - 1} | {0, len(pts) - 1}
    return out
