"""G-code for small CNC knife and laser cutters: writer and a reader that replays the tool path.

``G21`` (mm) for a device of ``units_per_mm = 1``, ``G20`` (inches, coordinates to 0.0001 in)
for one of ``units_per_mm = 1/25.4`` (:func:`gcode_unit`; the device loader refuses any other),
``G90`` (absolute), ``G0`` air moves, ``G1`` cuts at the tool's feed (``speed`` × 60 mm/min, in
inches/min under ``G20``), tool on/off words and tool numbers from the device profile, ``G4``
dwell for drills, ``M2`` at the end. Each piece starts with a comment ``(piece k: name)``.

>>> gnum(1.0), gnum(-0.0004), gnum(12.3456)
('1', '0', '12.346')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from kitcut.errors import InputError
from kitcut.formats.layout.page import Sheet, build_sheet, fmt_num
from kitcut.formats.writing.cutorder import CutPlan, check_media_width, plan_cuts
from kitcut.formats.writing.devices import Device, get_device
from kitcut.model import Marker

__all__ = ["to_gcode", "render", "read_gcode", "GPath", "GProgram", "gnum", "gcode_unit", "GCODE_UNITS"]

#: The units G-code has: ``units_per_mm`` -> (the G word, its name, decimals written).
GCODE_UNITS = {1.0: ("G21", "mm", 3), 1.0 / 25.4: ("G20", "inch", 4)}


def gcode_unit(units_per_mm: float) -> float | None:
    """The G-code unit (device units per mm: ``1.0`` or ``1/25.4``) ``units_per_mm`` stands for
    (within 0.01 %: ``0.03937`` is inches), or ``None`` when G-code has no such unit.

    >>> gcode_unit(1.0), gcode_unit(0.03937) == 1 / 25.4, gcode_unit(40.0)
    (1.0, True, None)
    """
    for unit in GCODE_UNITS:
        if abs(units_per_mm / unit - 1.0) <= 1e-4:
            return unit
    return None


def gnum(v: float, decimals: int = 3) -> str:
    return fmt_num(v, decimals)


def _comment(text: str) -> str:
    """``text`` safe inside a ``( )`` comment: printable ASCII without parentheses (other
    scripts transliterated first, ``前片`` -> ``QianPian``; ``;`` too, which some controllers
    read as the start of a comment).

    >>> _comment("前片 (M); X1")
    'QianPian _M__ X1'
    """
    from anyascii import anyascii

    return "".join(c if 32 <= ord(c) < 127 and c not in "();" else "_" for c in anyascii(text))


def to_gcode(
    marker: Marker | Sheet, device: Device | str | None = None, *, plan: CutPlan | None = None
) -> str:
    """The G-code of ``marker`` for ``device`` (default ``cnc-knife``)."""
    dev = get_device(device, protocol="gcode")
    sheet = marker if isinstance(marker, Sheet) else build_sheet(marker)
    plan = plan or plan_cuts(sheet, dev)
    check_media_width(plan, dev, sheet, labels=False)
    unit = gcode_unit(dev.units_per_mm)
    if unit is None:  # a Device made in code, not loaded (the loader refuses it)
        raise InputError(f"device '{dev.name}': units_per_mm {dev.units_per_mm:g} is no G-code unit: use 1 "
                         "(mm, G21) or 0.03937007874015748 (1/25.4: inches, G20)")
    word, _, dec = GCODE_UNITS[unit]
    out = [f"(kitcut marker: {_comment(sheet.name or 'marker')}, device {dev.name})", word, "G90"]
    tool_no = None
    pos = None

    def xy(p) -> str:
        return f"X{gnum(p[0], dec)} Y{gnum(p[1], dec)}"

    def goto(p) -> None:
        nonlocal pos
        q = tuple(float(v) for v in np.round(p, dec))
        if q != pos:
            out.append(f"G0 {xy(q)}")
            pos = q

    for k, job in enumerate(plan.jobs, start=1):
        out.append(f"(piece {k}: {_comment(job.piece.name)})")
        for op in job.ops:
            tool = dev.tool_for(op.feature)
            if tool is None or op.feature == "label":
                continue
            if tool.number != tool_no:
                out.append(f"T{tool.number}")
                tool_no = tool.number
            pts = dev.place(op.points) * unit
            goto(pts[0])
            if op.feature == "drill" or len(pts) == 1 or tool.kind in ("punch", "notcher"):
                out += [tool.on, f"G4 P{gnum(tool.dwell)}", tool.off]
                continue
            out.append(tool.on)
            feed = f" F{gnum(tool.speed * 60.0 * unit)}"
            for p in pts[1:]:
                q = tuple(float(v) for v in np.round(p, dec))
                out.append(f"G1 {xy(q)}{feed}")
                feed = ""
                pos = q
            out.append(tool.off)
    out.append("M2")
    return "\n".join(line for line in out if line) + "\n"


def render(marker: Marker, device: Device | None = None) -> str:
    """``marker.gcode`` for ``device`` (default ``cnc-knife``)."""
    return to_gcode(marker, device)


@dataclass
class GPath:
    tool: int
    points: np.ndarray


@dataclass
class GProgram:
    """The replayed program: tool-on paths grouped by piece comment, drill hits, travel."""

    pieces: list[list[GPath]]
    hits: list[tuple[int, float, float]] = field(default_factory=list)
    air_mm: float = 0.0


_WORD = re.compile(r"([A-Z])(-?\d+(?:\.\d+)?)")


def read_gcode(text: str, device: Device | str | None = None, *, file: str | None = None) -> GProgram:
    """Replay G-code written for ``device``: which paths were cut with the tool on, in mm on the
    device's axes (``G20`` inch coordinates are turned into mm)."""
    dev = get_device(device, protocol="gcode")
    on_words = {t.on for _, t in dev.tools}
    off_words = {t.off for _, t in dev.tools}
    pieces: list[list[GPath]] = []
    hits: list[tuple[int, float, float]] = []
    pos = np.zeros(2)
    on = False
    tool = 0
    path: list[np.ndarray] = []
    mm_per: float | None = None  # mm per coordinate unit: 1 after G21, 25.4 after G20
    absolute = ended = False
    air = 0.0
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if ended:
            raise InputError(f"line {n} after M2: {line!r}", file=file)
        if line.startswith("("):
            if line.startswith("(piece "):
                pieces.append([])
            continue
        if line in on_words:
            on, path = True, [pos.copy()]
            continue
        if line in off_words:
            if on and len(path) > 1:
                if not pieces:
                    raise InputError(f"line {n}: cut before the first piece", file=file)
                pieces[-1].append(GPath(tool, np.array(path)))
            on = False
            continue
        words = _WORD.findall(line.replace(" ", ""))
        if "".join(a + b for a, b in words) != line.replace(" ", ""):
            raise InputError(f"line {n} is not valid G-code: {line!r}", file=file)
        d = {a: float(b) for a, b in words}
        if d.get("G") in (20, 21):
            mm_per = 25.4 if d["G"] == 20 else 1.0
        elif d.get("G") == 90:
            absolute = True
        elif d.get("G") in (0, 1):
            if not (mm_per and absolute):
                raise InputError(f"line {n}: move before G21 (or G20) and G90", file=file)
            new = np.array([d["X"] * mm_per if "X" in d else pos[0], d["Y"] * mm_per if "Y" in d else pos[1]])
            if d["G"] == 0:
                if on:
                    raise InputError(f"line {n}: rapid move with the tool on", file=file)
                air += float(np.hypot(*(new - pos)))
            elif on:
                path.append(new)
            else:
                raise InputError(f"line {n}: G1 with the tool off", file=file)
            pos = new
        elif d.get("G") == 4:
            if not on:
                raise InputError(f"line {n}: dwell with the tool off", file=file)
            hits.append((len(pieces) - 1, float(pos[0]), float(pos[1])))
        elif "T" in d and len(d) == 1:
            tool = int(d["T"])
        elif d.get("M") == 2:
            ended = True
        else:
            raise InputError(f"line {n}: unknown command {line!r}", file=file)
    if not ended:
        raise InputError("G-code has no M2 end", file=file)
    return GProgram(pieces, hits, air)
