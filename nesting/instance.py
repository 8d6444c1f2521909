"""An :class:`~kitcut.nesting.types.Instance` compiled into flat arrays for the kernels.

Each (item, orientation) pair is a *kind*: its stand-in vertices and poles already rotated and
mirrored, the bounding box of its stand-in and of its original outline. Pieces (one per
demanded copy) refer to the range of kinds of their item.

**Where a piece is drawn does not matter.** Every item is moved into a frame of its own
before anything is computed: its outline less a reference point ``item_ref`` (the lower left
corner of its bounding box), snapped to a fine grid (:func:`frame_grid`, about 2e-11 of the
instance's scale: 3e-8 mm on 1500 mm fabric). The kernels only ever see these normalised
shapes, so a piece drawn about x = 0, at 10^5 mm or anywhere else compiles to the same arrays
(bit for bit, but for a coordinate that a translation's rounding pushes across a grid line),
and the search makes the same moves. The snapping moves no point by more than half a grid
step, far below the validator's tolerance and the stand-ins' inflation.
:meth:`Compiled.translation` and :meth:`Compiled.position` convert between the kernels'
positions and the placement translations of the drawn outlines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from shapely.geometry import Polygon

from kitcut.errors import InfeasibleError
from kitcut.model.geometry import ring_area, transform_points
from kitcut.nesting.lattice import kind_lattice
from kitcut.nesting.standin_cache import prefill, standin_and_poles
from kitcut.nesting.types import Instance

__all__ = ["Compiled", "compile_instance", "FREE_ROTATION_STEP"]

FREE_ROTATION_STEP = 5.0
MAX_POLES = 10


@dataclass
class Compiled:
    """Arrays of an instance (see :mod:`kitcut.nesting.kernels` for their layout)."""

    instance: Instance
    ymin: float
    ymax: float
    piece_item: np.ndarray
    piece_copy: np.ndarray
    pk0: np.ndarray
    pk1: np.ndarray
    kind_item: np.ndarray
    kind_rot: np.ndarray
    kind_mir: np.ndarray
    V: np.ndarray
    voff: np.ndarray
    P: np.ndarray
    poff: np.ndarray
    sbb: np.ndarray
    obb: np.ndarray
    diam: np.ndarray
    pen: np.ndarray
    item_area: np.ndarray
    total_area: float
    item_ref: np.ndarray
    kind_ref: np.ndarray
    min_length: float
    lat: np.ndarray
    zm: np.ndarray
    m: int
    zone_pos: np.ndarray

    @property
    def n(self) -> int:
        """Pieces of the engine: the ``m`` demanded copies, then one fixed piece per zone."""
        return len(self.piece_item)

    def translation(self, kind: int, pos) -> tuple[float, float]:
        """The placement translation of the drawn outline of a piece of ``kind`` at ``pos``."""
        r = self.kind_ref[kind]
        return float(pos[0]) - float(r[0]), float(pos[1]) - float(r[1])

    def position(self, kind: int, translation) -> tuple[float, float]:
        """The kernels' position of a piece of ``kind`` placed with ``translation``."""
        r = self.kind_ref[kind]
        return float(translation[0]) + float(r[0]), float(translation[1]) + float(r[1])

    def shapes(self):
        """The shape arrays in kernel argument order (V, voff, P, poff, sbb, obb, lat, diam, pen, zm)."""
        return (self.V, self.voff, self.P, self.poff, self.sbb, self.obb, self.lat, self.diam, self.pen,
                self.zm)


def frame_grid(scale: float) -> float:
    """The snapping step of normalised shapes: a power of two, 2^-36 to 2^-35 of ``scale``."""
    return math.ldexp(1.0, math.frexp(max(float(scale), 1e-300))[1] - 36)


def _normalised(shape: np.ndarray, grid: float) -> tuple[np.ndarray, np.ndarray]:
    """``shape`` in its own frame (less its bbox's lower left corner, snapped) and that corner."""
    ref = shape.min(axis=0)
    local = np.round((shape - ref) / grid) * grid
    return np.ascontiguousarray(local), ref


def _orientations(item) -> list[tuple[float, bool]]:
    if item.free_rotation:
        flags = sorted({bool(m) for _, m in item.orientations}) or [False]
        steps = int(round(360.0 / FREE_ROTATION_STEP))
        return [(i * FREE_ROTATION_STEP, f) for f in flags for i in range(steps)]
    out: list[tuple[float, bool]] = []
    for r, m in item.orientations:
        o = (float(r), bool(m))
        if o not in out:
            out.append(o)
    return out


def _too_wide(too_wide: list[tuple[float, str]], usable: float) -> None:
    """Name the widest of the pieces that fit the usable width in no allowed orientation, and the
    others (a marker of every size asked for a wider fabric one size at a time)."""
    too_wide.sort(key=lambda t: -t[0])
    need, name = too_wide[0]
    needs, has = f"{need:g}", f"{usable:g}"
    if needs == has:  # 1500 against 1499.997: the digits that differ
        needs, has = f"{need:.4f}", f"{usable:.4f}"
    more = ""
    if len(too_wide) > 1:
        others = ", ".join(f"{n!r} (needs {w:g})" for w, n in too_wide[1:6])
        more = f"; {len(too_wide) - 1} more do not fit either: {others}{', ...' if len(too_wide) > 6 else ''}"
    raise InfeasibleError(f"does not fit the usable width in any allowed orientation (needs {needs}, has "
                          f"{has}){more}", piece=name)


def compile_instance(instance: Instance, workers: int = 1) -> Compiled:
    """Stand-ins, poles and bboxes of every allowed orientation; raises InfeasibleError. The
    stand-ins not yet made are made on ``workers`` processes (:func:`~kitcut.nesting.
    standin_cache.prefill`): the same arrays, sooner."""
    width = float(instance.width)
    margin = float(instance.margin)
    spacing = float(instance.spacing)
    ymin, ymax = margin, width - margin
    usable = ymax - ymin
    if usable <= 0:
        raise InfeasibleError(f"the margins leave no usable width (width {width:g}, margin {margin:g})")
    scale = width
    for it in instance.items:
        s = np.asarray(it.shape, dtype=np.float64).reshape(-1, 2)
        if len(s) == 0 or not np.all(np.isfinite(s)):
            raise InfeasibleError("outline has no finite coordinates", piece=it.id)
        scale = max(scale, float(np.ptp(s[:, 0])), float(np.ptp(s[:, 1])))
    eps = 2e-7 * scale
    grid = frame_grid(scale)
    kind_item, kind_rot, kind_mir = [], [], []
    verts, pls, sbb, obb, diam, pen, kref, lat = [], [], [], [], [], [], [], []
    zone_bit, avoid = _zone_bits(instance)
    offset = spacing / 2.0 + eps
    frames = []  # each item's outline in its own frame, and the frame's corner
    for it in instance.items:
        drawn = np.asarray(it.shape, dtype=np.float64).reshape(-1, 2)
        if len(drawn) > 1 and np.array_equal(drawn[0], drawn[-1]):
            drawn = drawn[:-1]
        frames.append(_normalised(drawn, grid))
    keys = [(shape.tobytes(), len(shape), offset, MAX_POLES, it.id)
            for (shape, _), it in zip(frames, instance.items, strict=True)]
    prefill(keys, workers)
    item_k = []
    too_wide: list[tuple[float, str]] = []  # (width needed, piece) of the pieces that fit no way
    item_area = []
    item_ref = []
    min_length = 0.0
    for idx, (it, (shape, ref), key) in enumerate(zip(instance.items, frames, keys, strict=True)):
        item_ref.append(ref)
        item_area.append(abs(ring_area(shape)))
        orients = _orientations(it)
        if not orients:
            raise InfeasibleError("no allowed orientation", piece=it.id)
        si, pi = standin_and_poles(*key)
        k_start = len(kind_item)
        need = np.inf
        shortest = np.inf
        off_repeat = False
        if it.match is not None and it.free_rotation:
            raise InfeasibleError("a piece matched to the repeat needs fixed orientations (not free "
                                  "rotation)", piece=it.id)
        for rot, mir in orients:
            o = transform_points(shape, rot, mir)
            lo = o.min(axis=0)
            hi = o.max(axis=0)
            need = min(need, float(hi[1] - lo[1]))
            if hi[1] - lo[1] > usable + 1e-9 * scale:
                continue
            row = kind_lattice([*lo, *hi], ymin, ymax, instance.repeat, instance.phase, it.match, ref,
                               rot, mir)
            if row is None:
                off_repeat = True
                continue
            shortest = min(shortest, float(row[0] + hi[0]))
            s = np.ascontiguousarray(transform_points(si, rot, mir))
            if mir:
                s = np.ascontiguousarray(s[::-1])  # keep ccw
            c = transform_points(pi[:, :2], rot, mir)
            kind_item.append(idx)
            kind_rot.append(rot)
            kind_mir.append(mir)
            verts.append(s)
            pls.append(np.column_stack([c, pi[:, 2]]))
            sbb.append([*s.min(axis=0), *s.max(axis=0)])
            obb.append([*lo, *hi])
            ext = s.max(axis=0) - s.min(axis=0)
            diam.append(float(np.hypot(*ext)))
            pen.append(float(np.sqrt(Polygon(s).convex_hull.area)))
            kref.append(transform_points(ref, rot, mir)[0])
            lat.append(row)
        if len(kind_item) == k_start and off_repeat:
            raise InfeasibleError(
                f"its match point cannot fall on the repeat ({instance.repeat[1]:g} mm across) with the "
                f"piece inside the usable width ({usable:g}) in any allowed orientation", piece=it.id)
        if len(kind_item) == k_start:  # named with every other piece too wide, after the loop
            too_wide.append((need, it.id))
        elif it.demand > 0:
            min_length = max(min_length, shortest)
        item_k.append((k_start, len(kind_item)))
    if too_wide:
        _too_wide(too_wide, usable)
    zm = [[0, avoid.get(i, 0)] for i in kind_item]
    piece_item, piece_copy = [], []
    for idx, it in enumerate(instance.items):
        for c in range(int(it.demand)):
            piece_item.append(idx)
            piece_copy.append(c)
    m = len(piece_item)
    zone_k, zone_pos = [], []
    for z, zone in enumerate(instance.zones):  # fixed pieces after the demanded copies
        ring = np.asarray(zone.shape, dtype=np.float64).reshape(-1, 2)
        shape, ref = _normalised(ring, grid)
        si, pi = standin_and_poles(shape.tobytes(), len(shape), offset, MAX_POLES,
                                   zone.name or f"zone {z + 1}")
        zone_k.append(len(kind_item))
        kind_item.append(-1 - z)
        kind_rot.append(0.0)
        kind_mir.append(False)
        verts.append(np.ascontiguousarray(si))
        pls.append(np.ascontiguousarray(pi))
        sbb.append([*si.min(axis=0), *si.max(axis=0)])
        obb.append([*shape.min(axis=0), *shape.max(axis=0)])
        ext = si.max(axis=0) - si.min(axis=0)
        diam.append(float(np.hypot(*ext)))
        pen.append(float(np.sqrt(Polygon(si).convex_hull.area)))
        kref.append(np.zeros(2))
        zone_pos.append(ref)  # the zone lies where it is drawn: its frame's corner
        lat.append([float(ref[0]), float(ref[1]), float(ref[1]), 0.0, 0.0, 0.0, 0.0])
        zm.append([zone_bit[z], 0])
        piece_item.append(-1 - z)
        piece_copy.append(0)
    piece_item_a = np.array(piece_item, dtype=np.int64)
    ik = np.array(item_k, dtype=np.int64).reshape(-1, 2)
    pk0 = [int(ik[i, 0]) for i in piece_item_a[:m]] + zone_k
    pk1 = [int(ik[i, 1]) for i in piece_item_a[:m]] + [k + 1 for k in zone_k]
    voff = np.zeros(len(verts) + 1, dtype=np.int64)
    voff[1:] = np.cumsum([len(v) for v in verts])
    poff = np.zeros(len(pls) + 1, dtype=np.int64)
    poff[1:] = np.cumsum([len(p) for p in pls])
    area = np.array(item_area)
    return Compiled(
        instance=instance,
        ymin=ymin,
        ymax=ymax,
        piece_item=piece_item_a,
        piece_copy=np.array(piece_copy, dtype=np.int64),
        pk0=np.array(pk0, dtype=np.int64),
        pk1=np.array(pk1, dtype=np.int64),
        kind_item=np.array(kind_item, dtype=np.int64),
        kind_rot=np.array(kind_rot, dtype=np.float64),
        kind_mir=np.array(kind_mir, dtype=np.bool_),
        V=np.ascontiguousarray(np.vstack(verts)),
        voff=voff,
        P=np.ascontiguousarray(np.vstack(pls)),
        poff=poff,
        sbb=np.ascontiguousarray(np.array(sbb, dtype=np.float64)),
        obb=np.ascontiguousarray(np.array(obb, dtype=np.float64)),
        diam=np.array(diam, dtype=np.float64),
        pen=np.array(pen, dtype=np.float64),
        item_area=area,
        total_area=float(area[piece_item_a[:m]].sum()) if m else 0.0,
        item_ref=np.array(item_ref, dtype=np.float64).reshape(-1, 2),
        kind_ref=np.array(kref, dtype=np.float64).reshape(-1, 2),
        min_length=float(min_length),
        lat=np.ascontiguousarray(np.array(lat, dtype=np.float64).reshape(-1, 7)),
        zm=np.ascontiguousarray(np.array(zm, dtype=np.int64).reshape(-1, 2)),
        m=m,
        zone_pos=np.array(zone_pos, dtype=np.float64).reshape(-1, 2),
    )


def _zone_bits(instance: Instance) -> tuple[list[int], dict[int, int]]:
    """A bit per zone (zones that let the same items through share one) and, per item, the
    bits of the zones it must avoid."""
    classes: dict[frozenset, int] = {}
    bits = []
    for zone in instance.zones:
        key = frozenset(int(i) for i in zone.allowed)
        if key not in classes:
            if len(classes) >= 62:
                raise InfeasibleError("more than 62 kinds of zones (zones that let different pieces through)")
            classes[key] = 1 << len(classes)
        bits.append(classes[key])
    avoid: dict[int, int] = {}
    for idx in range(len(instance.items)):
        avoid[idx] = sum(bit for key, bit in classes.items() if idx not in key)
    return bits, avoid
