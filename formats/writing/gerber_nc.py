"""Gerber-style cutter NC ("ISO"): writer, and a reader that replays the knife path.

Blocks end with ``*`` (no line breaks); ``H1*`` first, ``N<k>*`` before each piece in cut
order, ``M14``/``M15`` knife down/up, ``M43`` drill at the current point, ``M69Z<n>`` a conveyor
bite of ``n`` hundredths of an inch (each the step of the rounded running total, so the bites
never drift from the pieces' coordinates), ``M15*M0*`` at the end. Coordinates are absolute, in
hundredths of an inch (``X123456`` = 1234.56 in), sign only when negative, one move per block;
no block moves the knife more than 60 inches (longer lines are split); a piece denser than
:data:`MAX_POINTS_PER_PIECE` points is simplified within at most 0.1 mm.

Coordinates stay in marker terms across bites (the controller subtracts the conveyor advance);
this is the kitcut convention, stated here because controllers differ.

>>> nc_number(-1.0), nc_number(12.7)
('-4', '50')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from kitcut.errors import InputError
from kitcut.formats.layout.page import Sheet, build_sheet
from kitcut.formats.writing.cutorder import CutPlan, check_media_width, plan_cuts
from kitcut.formats.writing.devices import Device, get_device
from kitcut.model import Marker

__all__ = ["MAX_KNIFE_BLOCK_MM", "to_nc", "render", "read_nc", "NCProgram", "NCPiece", "nc_number"]

MM_PER_UNIT = 0.254
#: Longest knife-down motion of one block (60 inches).
MAX_KNIFE_BLOCK_MM = 60 * 25.4
#: Most points a controller takes per piece; denser pieces are simplified within ``SIMPLIFY_MM``.
MAX_POINTS_PER_PIECE = 1500
SIMPLIFY_MM = (0.02, 0.05, 0.1)


def _thin(paths: list[np.ndarray], limit: int) -> list[np.ndarray]:
    """Douglas-Peucker the paths (ends kept) with the smallest tolerance that meets ``limit``."""
    from shapely import simplify
    from shapely.geometry import LineString

    if sum(len(p) for p in paths) <= limit:
        return paths
    out = paths
    for tol in SIMPLIFY_MM:
        out = [
            np.asarray(simplify(LineString(p), tol, preserve_topology=False).coords) if len(p) > 2 else p
            for p in paths
        ]
        if sum(len(p) for p in out) <= limit:
            break
    return out


def nc_number(mm: float) -> str:
    """Millimetres as NC hundredths of an inch (integer text)."""
    return str(int(round(mm / MM_PER_UNIT)))


class _Writer:
    def __init__(self, device: Device):
        self.dev = device
        self.blocks: list[str] = ["H1"]
        self.pos: tuple[int, int] | None = None
        self.knife = False

    def _goto(self, q) -> None:
        q = (int(q[0]), int(q[1]))
        if q != self.pos:
            self.blocks.append(f"X{q[0]}Y{q[1]}")
            self.pos = q

    def up(self) -> None:
        if self.knife:
            self.blocks.append("M15")
            self.knife = False

    def cut(self, pts_mm: np.ndarray) -> None:
        pts = np.asarray(pts_mm, dtype=float)
        self.up()
        self._goto(self.dev.to_device(pts[:1])[0])
        self.blocks.append("M14")
        self.knife = True
        step = MAX_KNIFE_BLOCK_MM - 1.0  # rounding to 0.254 mm must not cross the limit
        dense = [pts[0]]
        for a, b in zip(pts[:-1], pts[1:], strict=True):
            n = max(1, math.ceil(float(np.hypot(*(b - a))) / step))
            dense += [a + (b - a) * (k / n) for k in range(1, n + 1)]
        for q in self.dev.to_device(np.array(dense))[1:]:
            self._goto(q)
        self.up()

    def drill(self, p_mm) -> None:
        self.up()
        self._goto(self.dev.to_device([p_mm])[0])
        self.blocks.append("M43")

    def text(self) -> str:
        self.up()
        if not self.blocks or self.blocks[-1] != "M15":
            self.blocks.append("M15")
        self.blocks.append("M0")
        return "".join(b + "*" for b in self.blocks)


def to_nc(marker: Marker | Sheet, device: Device | str | None = None, *, plan: CutPlan | None = None) -> str:
    """The NC text of ``marker`` for ``device`` (default ``gerber``)."""
    dev = get_device(device, protocol="gerber-nc")
    sheet = marker if isinstance(marker, Sheet) else build_sheet(marker)
    plan = plan or plan_cuts(sheet, dev)
    check_media_width(plan, dev, sheet, labels=False)
    w = _Writer(dev)
    bite = 0
    fed_mm, fed = 0.0, 0  # where the conveyor is: exact (mm) and as written (NC units)
    for k, job in enumerate(plan.jobs, start=1):
        while bite < job.bite:
            w.up()
            # the running total is rounded, not each advance: rounded one by one, 21 bites drifted
            # 0.7 mm past a piece's start; this way the conveyor is never more than half a unit off
            fed_mm += plan.bites[bite]
            step = int(nc_number(fed_mm)) - fed
            w.blocks.append(f"M69Z{step}")
            fed += step
            bite += 1
        w.up()
        w.blocks.append(f"N{k}")
        actions = []
        for op in job.ops:
            tool = dev.tool_for(op.feature)
            if tool is None or op.feature == "label":
                continue
            hit = op.feature == "drill" or len(op.points) == 1 or tool.kind in ("punch", "notcher")
            actions.append((hit, op.points))
        paths = _thin([p for hit, p in actions if not hit], MAX_POINTS_PER_PIECE)
        it = iter(paths)
        for hit, pts in actions:
            if hit:
                w.drill(pts[0])
            else:
                w.cut(next(it))
    return w.text()


def render(marker: Marker, device: Device | None = None) -> str:
    """``marker.nc`` for ``device`` (default ``gerber``)."""
    return to_nc(marker, device)


@dataclass
class NCPiece:
    """What the knife did for one ``N`` block: cut paths and drill hits, in mm."""

    number: int
    cuts: list[np.ndarray] = field(default_factory=list)
    drills: list[tuple[float, float]] = field(default_factory=list)
    bite: int = 0


@dataclass
class NCProgram:
    pieces: list[NCPiece]
    bites_mm: list[float]
    knife_mm: float
    air_mm: float
    max_block_knife_mm: float


_WORD = re.compile(r"([A-Z])(-?\d+)")


def read_nc(text: str, *, file: str | None = None) -> NCProgram:
    """Replay an NC program: the knife paths of every piece (raises :class:`InputError`)."""
    blocks = [b.strip() for b in text.replace("\n", "").replace("\r", "").split("*")]
    if blocks and blocks[-1] == "":
        blocks.pop()
    if not blocks or blocks[0] != "H1":
        raise InputError("NC program does not start with H1*", file=file)
    pieces: list[NCPiece] = []
    bites: list[float] = []
    pos = (0.0, 0.0)
    knife = False
    path: list[tuple[float, float]] = []
    ended = False
    knife_mm = air_mm = max_block = 0.0
    for i, block in enumerate(blocks[1:], start=2):
        if ended:
            raise InputError(f"block {i} after M0: {block!r}", file=file)
        words = _WORD.findall(block)
        if "".join(a + b for a, b in words) != block:
            raise InputError(f"block {i} is not valid NC: {block!r}", file=file)
        d = {a: int(b) for a, b in words}
        if "N" in d:
            pieces.append(NCPiece(d["N"], bite=len(bites)))
            continue
        m = d.get("M")
        if "X" in d or "Y" in d:
            new = (
                d.get("X", round(pos[0] / MM_PER_UNIT)) * MM_PER_UNIT,
                d.get("Y", round(pos[1] / MM_PER_UNIT)) * MM_PER_UNIT,
            )
            step = math.hypot(new[0] - pos[0], new[1] - pos[1])
            if knife:
                path.append(new)
                knife_mm += step
                max_block = max(max_block, step)
            else:
                air_mm += step
            pos = new
        if m is None:
            continue
        if m == 14:
            knife, path = True, [pos]
        elif m == 15:
            if knife and pieces and len(path) > 1:
                pieces[-1].cuts.append(np.array(path))
            elif knife and len(path) > 1:
                raise InputError(f"block {i}: knife path before the first N block", file=file)
            knife, path = False, []
        elif m == 43:
            if not pieces:
                raise InputError(f"block {i}: drill before the first N block", file=file)
            pieces[-1].drills.append(pos)
        elif m == 69:
            bites.append(d.get("Z", 0) * MM_PER_UNIT)
        elif m == 0:
            ended = True
        else:
            raise InputError(f"block {i}: unknown code M{m}", file=file)
    if not ended:
        raise InputError("NC program has no M0 end block", file=file)
    return NCProgram(pieces, bites, knife_mm, air_mm, max_block)
