"""Cut order: which tool does what, in which order, with short air moves.

Within a piece the inner features come first, tool by tool (pen lines and label, drills,
notches, cut-outs; each group nearest-first), and the outline that frees the piece last,
started at a sharp corner near the tool and run on by the device's ``overcut``. Pieces are
ordered by nearest neighbour from the marker origin and improved by 2-opt; on a conveyor
cutter (``device.bite > 0``) pieces are grouped into bites first, each bite holding the pieces
that lie wholly inside its window, and ordered within the bite.

>>> order_points(np.array([[5.0, 0], [1.0, 0], [3.0, 0]]), (0.0, 0.0))
[1, 2, 0]
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from kitcut.errors import ExportError, MediaError
from kitcut.formats.layout.page import PlacedPiece, Sheet
from kitcut.formats.writing.devices import Device

__all__ = ["Op", "PieceJob", "CutPlan", "plan_cuts", "order_points", "two_opt", "path_air", "with_overcut",
           "check_media_width"]


@dataclass(frozen=True, eq=False)
class Op:
    """One tool action on the marker (mm): a path (closed rings repeat their first point) or,
    for ``drill``/notcher hits, a single point. ``label`` ops carry ``text``."""

    feature: str
    points: np.ndarray
    text: str | None = None
    height: float = 0.0
    angle_deg: float = 0.0

    @property
    def start(self) -> np.ndarray:
        return self.points[0]

    @property
    def end(self) -> np.ndarray:
        return self.points[-1]

    @property
    def length(self) -> float:
        if len(self.points) < 2:
            return 0.0
        return float(np.linalg.norm(np.diff(self.points, axis=0), axis=1).sum())


@dataclass(frozen=True, eq=False)
class PieceJob:
    """The ops of one placed piece, in order, and the bite it is cut in (0 on a static table)."""

    piece: PlacedPiece
    ops: tuple[Op, ...]
    bite: int = 0


@dataclass(frozen=True, eq=False)
class CutPlan:
    """Pieces in cut order, bite advances (mm), and air-move lengths ordered vs placement order."""

    jobs: tuple[PieceJob, ...]
    bites: tuple[float, ...]
    air_mm: float
    air_unordered_mm: float

    def ops(self):
        for job in self.jobs:
            yield from job.ops


def _d(a, b) -> float:
    return float(math.hypot(a[0] - b[0], a[1] - b[1]))


def order_points(points: np.ndarray, start) -> list[int]:
    """Nearest-neighbour order of ``points`` from ``start``."""
    pts = np.asarray(points, dtype=float)
    left = np.ones(len(pts), dtype=bool)
    cur = np.asarray(start, dtype=float)
    out = []
    for _ in range(len(pts)):
        d = np.hypot(pts[:, 0] - cur[0], pts[:, 1] - cur[1])
        d[~left] = np.inf
        i = int(np.argmin(d))
        out.append(i)
        left[i] = False
        cur = pts[i]
    return out


def two_opt(points: np.ndarray, order: list[int], start, max_passes: int = 30) -> list[int]:
    """Improve an open tour (fixed ``start``, free end) by 2-opt segment reversals."""
    pts = np.vstack([np.asarray(start, dtype=float)[None, :], np.asarray(points, dtype=float)[order]])
    idx = np.array([-1, *order])
    n = len(pts)
    if n < 4:
        return list(order)
    for _ in range(max_passes):
        improved = False
        for i in range(0, n - 2):
            a, b = pts[i], pts[i + 1]
            c = pts[i + 2 :]
            d = np.vstack([pts[i + 3 :], pts[-1:]])  # successor of each c (the free end has none)
            old = np.hypot(*(b - a)) + np.hypot(*(c - d).T)
            new = np.hypot(*(c - a).T) + np.hypot(*(d - b).T)
            # the last candidate is the free end: reversing b..end drops the (c, d) edge
            old[-1] = np.hypot(*(b - a))
            new[-1] = np.hypot(*(c[-1] - a))
            gain = old - new
            j = int(np.argmax(gain))
            if gain[j] > 1e-9:
                k = i + 2 + j
                pts[i + 1 : k + 1] = pts[i + 1 : k + 1][::-1].copy()
                idx[i + 1 : k + 1] = idx[i + 1 : k + 1][::-1].copy()
                improved = True
        if not improved:
            break
    return [int(v) for v in idx[1:]]


def _corner_scores(ring: np.ndarray) -> np.ndarray:
    """Turn angle at each vertex (radians, 0 = straight)."""
    a = ring - np.roll(ring, 1, axis=0)
    b = np.roll(ring, -1, axis=0) - ring
    cross = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    dot = (a * b).sum(axis=1)
    return np.abs(np.arctan2(cross, dot))


def _ring_from(ring: np.ndarray, pos, *, corner: bool) -> np.ndarray:
    """``ring`` closed, starting at the vertex nearest ``pos`` (a sharp corner when ``corner``)."""
    d = np.hypot(ring[:, 0] - pos[0], ring[:, 1] - pos[1])
    if corner and len(ring) >= 3:
        sharp = _corner_scores(ring) >= math.radians(30)
        if sharp.any():
            d = np.where(sharp, d, np.inf)
    i = int(np.argmin(d))
    r = np.roll(ring, -i, axis=0)
    return np.vstack([r, r[:1]])


def _nearest_first(items: list, cur, *, optimise: bool, overcut: float = 0.0) -> tuple[list[Op], np.ndarray]:
    """Ops from ``items`` (``("op", Op)``, ``("ring", (feature, ring))``, ``("line", Stroke)``),
    each next one the nearest to the tool, rings started and lines entered at their near end."""
    out: list[Op] = []
    todo = list(items)

    def cost(item) -> float:
        kind, v = item
        if kind == "op":
            return _d(cur, v.start)
        if kind == "ring":
            return float(np.hypot(*(v[1] - cur).T).min())
        return min(_d(cur, v.points[0]), _d(cur, v.points[-1]))

    while todo:
        k = min(range(len(todo)), key=lambda j: cost(todo[j])) if optimise else 0
        kind, v = todo.pop(k)
        if kind == "op":
            op = v
        elif kind == "ring":
            ring = _ring_from(v[1], cur, corner=False) if optimise else np.vstack([v[1], v[1][:1]])
            op = Op(v[0], with_overcut(ring, overcut))
        else:
            pts = v.points
            if optimise and _d(cur, pts[-1]) < _d(cur, pts[0]):
                pts = pts[::-1]
            if v.closed:
                pts = np.vstack([pts, pts[:1]])
            op = Op(v.feature, np.asarray(pts))
        out.append(op)
        cur = op.end
    return out, cur


def with_overcut(ring: np.ndarray, overcut: float) -> np.ndarray:
    """A closed ring (first point repeated last) continued ``overcut`` mm along its start.

    >>> with_overcut(np.array([[0.0, 0], [10, 0], [10, 10], [0, 0]]), 4.0).tolist()[-1]
    [4.0, 0.0]
    """
    if overcut <= 0:
        return ring
    extra = [ring[-1]]
    left = overcut
    for a, b in zip(ring[:-1], ring[1:], strict=True):
        seg = float(np.hypot(*(b - a)))
        if seg >= left:
            extra.append(a + (b - a) * (left / seg) if seg > 0 else b)
            break
        extra.append(b)
        left -= seg
    return np.vstack([ring, np.array(extra[1:])])


def _notch_at(s) -> np.ndarray:
    """Where a notcher hits a notch: its position on the cut line (a V's drawn shape starts at a
    corner of the V, half its width beside the notch)."""
    return np.asarray(s.at if s.at is not None else s.points[0], dtype=float).reshape(1, 2)


def _piece_ops(p: PlacedPiece, device: Device, pos, *, optimise: bool) -> list[Op]:
    """Tool by tool: pen marks, drills, notches, cut-outs; then the outline that frees the piece."""
    cur = np.asarray(pos, dtype=float)
    out: list[Op] = []
    groups: list[list] = []
    if device.tool_for("pen") is not None:
        group = [("line", s) for s in (*p.internal, *p.sew, *p.grain)]
        if device.labels:
            t = p.label
            group.append(
                (
                    "op",
                    Op("label", np.array([[t.x, t.y]]), text=t.text, height=t.height, angle_deg=t.angle_deg),
                )
            )
        groups.append(group)
    if device.tool_for("drill") is not None:
        groups.append(
            [("op", Op("drill", np.array([[h.x, h.y]]), height=h.diameter or 0.0)) for h in p.drills]
        )
    notch_tool = device.tool_for("notch")
    if notch_tool is not None:
        hit = notch_tool.kind in ("notcher", "punch")  # one plunge at the notch; knife and pen draw it
        groups.append([("op", Op("notch", _notch_at(s) if hit else s.points)) for s in p.notches])
    groups.append([("ring", ("cutout", c)) for c in p.cutouts])
    for group in groups:
        ops, cur = _nearest_first(group, cur, optimise=optimise, overcut=device.overcut)
        out += ops
    ring = _ring_from(p.outline, cur, corner=True) if optimise else np.vstack([p.outline, p.outline[:1]])
    out.append(Op("cut", with_overcut(ring, device.overcut)))
    return out


def path_air(ops, start=(0.0, 0.0)) -> float:
    """Total tool-up travel between consecutive ops, from ``start``."""
    cur = np.asarray(start, dtype=float)
    total = 0.0
    for op in ops:
        total += _d(cur, op.start)
        cur = op.end
    return total


def _bites(pieces: list[PlacedPiece], device: Device) -> tuple[list[int], list[float]]:
    """Bite index of each piece and the advance of each bite (variable, at most ``device.bite``)."""
    window = device.window or device.bite
    bounds = [p.bounds for p in pieces]
    for p, b in zip(pieces, bounds, strict=True):
        if b[2] - b[0] > window:
            raise ExportError(
                f"piece is {b[2] - b[0]:.0f} mm long, longer than the cutting window "
                f"({window:.0f} mm) of device '{device.name}'",
                piece=p.name,
            )
    left = sorted(range(len(pieces)), key=lambda i: bounds[i][2])
    bite_of = [0] * len(pieces)
    advances: list[float] = []
    start = 0.0
    k = 0
    while left:
        inside = [i for i in left if bounds[i][2] <= start + window + 1e-9]
        for i in inside:
            bite_of[i] = k
        done = set(inside)
        left = [i for i in left if i not in done]
        if not left:
            break
        nxt = min(start + device.bite, min(bounds[i][0] for i in left))
        # on the device's grid (rounded down: no piece starts before its window) when that still
        # advances, so the file's bites are exact and never longer than ``device.bite``
        grid = math.floor(nxt * device.units_per_mm + 1e-9) / device.units_per_mm
        if grid > start + 1e-9:
            nxt = grid
        advances.append(nxt - start)
        start = nxt
        k += 1
    return bite_of, advances


def _tour(
    pieces: list[PlacedPiece], device: Device, pos, *, optimise: bool
) -> tuple[list[PieceJob], np.ndarray]:
    if optimise and pieces:
        centres = np.array([p.outline.mean(axis=0) for p in pieces])
        order = two_opt(centres, order_points(centres, pos), pos)
    else:
        order = list(range(len(pieces)))
    jobs = []
    cur = np.asarray(pos, dtype=float)
    for i in order:
        ops = _piece_ops(pieces[i], device, cur, optimise=optimise)
        jobs.append(PieceJob(pieces[i], tuple(ops)))
        cur = ops[-1].end
    return jobs, cur


def plan_cuts(sheet: Sheet, device: Device, *, optimise: bool = True) -> CutPlan:
    """The cut plan of ``sheet`` on ``device`` (``optimise=False``: placement order, first vertices).

    Plans are cached per (sheet, device), so the cutter file and the report share one.
    """
    return _cached_plan(sheet, device, optimise)


@functools.lru_cache(maxsize=8)
def _cached_plan(sheet: Sheet, device: Device, optimise: bool) -> CutPlan:
    return _plan(sheet, device, optimise=optimise)


def _plan(sheet: Sheet, device: Device, *, optimise: bool = True) -> CutPlan:
    pieces = list(sheet.pieces)
    origin = np.zeros(2)
    plain, _ = _tour(pieces, device, origin, optimise=False)
    air_plain = path_air((op for j in plain for op in j.ops), origin)
    if not optimise:
        return CutPlan(tuple(plain), (), air_plain, air_plain)
    if device.bite > 0:
        bite_of, advances = _bites(pieces, device)
    else:
        bite_of, advances = [0] * len(pieces), []
    jobs: list[PieceJob] = []
    cur = origin
    for k in range(len(advances) + 1):
        group = [p for p, b in zip(pieces, bite_of, strict=True) if b == k]
        part, cur = _tour(group, device, cur, optimise=True)
        jobs += [PieceJob(j.piece, j.ops, k) for j in part]
    air = path_air((op for j in jobs for op in j.ops), origin)
    return CutPlan(tuple(jobs), tuple(advances), air, air_plain)


def check_media_width(plan: CutPlan, device: Device, sheet: Sheet, extra=None, *,
                      labels: bool = True) -> None:
    """Raise :class:`MediaError` unless a file for ``device`` stays on its media: the fabric (from 0
    to ``sheet.width`` across the roll, margins included) must fit ``media_width``, and every
    coordinate the file holds (every op of ``plan`` the device has a tool for, ``labels`` included
    or not, and ``extra`` points, e.g. a frame) must lie within 0..media_width across the roll as
    the device measures it (after its origin, flip and swap). A conveyor bites along the roll
    only: the width is never tiled. Devices without a media width are not checked.
    """
    if not device.media_width:
        return
    why = device.fabric_misfit(sheet.width)
    if why:
        raise MediaError(f"{why}; use a device with wider media or nest on narrower fabric")
    parts = [op.points for op in plan.ops() if device.tool_for(op.feature) is not None
             and (labels or op.feature != "label")]
    if extra is not None:
        parts.append(np.asarray(extra, dtype=float).reshape(-1, 2))
    if not parts:
        return
    a = device.across(np.concatenate([np.asarray(p, dtype=float).reshape(-1, 2) for p in parts]))
    lo, hi = float(a.min()) + 0.0, float(a.max()) + 0.0  # no "-0.0"
    if lo < -0.01 or hi > device.media_width + 0.01:
        raise MediaError(
            f"device '{device.name}' takes media {device.media_width:g} mm wide, but its file of this marker "
            f"draws from {lo:.1f} to {hi:.1f} mm across it (pieces and every line the device draws), off "
            f"the media{_off_media(plan, device, labels)}")


def _off_media(plan: CutPlan, device: Device, labels: bool) -> str:
    """Which piece, and which of its lines, a file for ``device`` draws off its media, said after
    the media error (``; piece 'Binding' (copy 2): its grain line``). The error named the media
    alone, and the user had nothing to act on."""
    def off(op: Op) -> bool:
        if device.tool_for(op.feature) is None or (op.feature == "label" and not labels):
            return False
        a = device.across(np.asarray(op.points, dtype=float).reshape(-1, 2))
        return float(a.min()) < -0.01 or float(a.max()) > device.media_width + 0.01

    for job in plan.jobs:
        which = [op.feature for op in job.ops if off(op)]
        if which:
            what = "its cut line" if "cut" in which else f"its {which[0]} line"
            return f"; piece {job.piece.piece.name!r} (copy {job.piece.placement.copy + 1}): {what}"
    return ""
