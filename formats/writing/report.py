"""The marker report: figures for the cutting room as a dict (written as JSON).

Lengths in mm, areas in m², times in seconds. Cut and pen lengths, hit counts and air moves are
measured on the cut plan the device would run (:mod:`kitcut.formats.writing.cutorder`), so the report
and the cutter file agree; the time is that plan at the device's speeds.
"""

from __future__ import annotations

import json
from collections import Counter

from kitcut.formats.layout.page import MM_PER_UNIT, Sheet, build_sheet
from kitcut.formats.writing.cutorder import plan_cuts
from kitcut.formats.writing.devices import Device, get_device
from kitcut.model import Marker

__all__ = ["marker_report", "render_json", "REPORT_FORMAT", "BITE_SECONDS", "not_carried", "not_carried_note"]

REPORT_FORMAT = "kitcut-marker-report"
#: Time a conveyor takes for one bite (advance and settle).
BITE_SECONDS = 6.0


def _r(v: float, nd: int = 1) -> float:
    return round(float(v), nd)


def not_carried(sheet: Sheet, device: Device) -> dict[str, int]:
    """What of ``sheet`` the file for ``device`` leaves out, as counts by kind (none: empty): the
    features it has no tool for (:data:`~kitcut.formats.writing.devices.FEATURE_ROLE`), and the
    labels of a device without ``labels``. Names and order as a cutting room reads them."""
    has = {role: device.tool_for(role) is not None for role in ("notch", "drill", "pen")}
    ps = sheet.pieces
    counts = {
        "notches": 0 if has["notch"] else sum(len(p.notches) for p in ps),
        "drill holes": 0 if has["drill"] else sum(len(p.drills) for p in ps),
        "internal lines": 0 if has["pen"] else sum(len(p.piece.internal_lines) for p in ps),
        "sew lines": 0 if has["pen"] else sum(len(p.piece.sew_lines) for p in ps),
        "grain lines": 0 if has["pen"] else sum(1 for p in ps if p.grain),  # (drawn as arrow strokes)
        "labels": 0 if has["pen"] and device.labels else sum(1 for p in ps if p.label.text),
    }
    return {k: v for k, v in counts.items() if v}


def not_carried_note(marker: Marker | Sheet, device: Device, file: str) -> str | None:
    """One line saying what ``file`` (written for ``device``) does not carry, or ``None``.

    e.g. ``2 drill holes, 8 labels are not in marker.plt: device 'hpgl-knife' has no drill tool,
    no pen tool``"""
    sheet = marker if isinstance(marker, Sheet) else build_sheet(marker)
    counts = not_carried(sheet, device)
    if not counts:
        return None
    lacks = [f"no {role} tool" for role in ("notch", "drill", "pen") if device.tool_for(role) is None]
    if device.tool_for("pen") is not None and not device.labels:
        lacks.append("labels = false")
    what = ", ".join(f"{n} {k[:-1] if n == 1 else k}" for k, n in counts.items())
    verb = "is" if sum(counts.values()) == 1 else "are"
    return f"{what} {verb} not in {file}: device '{device.name}' has {', '.join(lacks)}"


def marker_report(
    marker: Marker,
    device: Device | str | None = None,
    *,
    end_allowance: float | None = None,
    sheet: Sheet | None = None,
) -> dict:
    """Figures of ``marker`` cut on ``device`` (default ``hpgl-cutter``)."""
    dev = device if isinstance(device, Device) else get_device(device or "hpgl-cutter")
    sheet = sheet or build_sheet(marker)
    allowance = dev.end_allowance if end_allowance is None else float(end_allowance)
    plan = plan_cuts(sheet, dev)
    lengths: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    for op in plan.ops():
        tool = dev.tool_for(op.feature)
        role = "knife" if op.feature in ("cut", "cutout") else op.feature
        if op.feature == "label":
            hits["label"] += 1
        elif op.feature == "drill" or len(op.points) == 1 or (tool and tool.kind in ("notcher", "punch")):
            hits[role] += 1
        else:
            lengths["pen" if tool and tool.kind == "pen" else role] += op.length
    time: dict[str, float] = {}

    def speed(feature: str) -> float:
        t = dev.tool_for(feature)
        return t.speed if t and t.speed > 0 else 100.0

    def dwell(feature: str) -> float:
        t = dev.tool_for(feature)
        return t.dwell if t else 0.0

    time["knife"] = lengths["knife"] / speed("cut")
    time["notches"] = lengths["notch"] / speed("notch") + hits["notch"] * dwell("notch")
    time["drills"] = hits["drill"] * dwell("drill")
    time["pen"] = lengths["pen"] / speed("pen")
    time["air"] = plan.air_mm / dev.air_speed
    time["bites"] = len(plan.bites) * BITE_SECONDS
    total = sum(time.values())
    pieces = [p.piece for p in sheet.pieces]
    fabric_len = sheet.length + 2 * allowance
    k = MM_PER_UNIT.get(sheet.units, 1.0)
    misfit = dev.fabric_misfit(sheet.width * k)
    return {
        "format": REPORT_FORMAT,
        "version": 1,
        "name": marker.name,
        "units": "mm",
        "length_mm": _r(sheet.length),
        "width_mm": _r(sheet.width),
        "usable_width_mm": _r(sheet.width - 2 * sheet.margin),
        "efficiency": round(sheet.efficiency, 4),
        "efficiency_pct": round(100 * sheet.efficiency, 1),  # rounded once: as every file shows it
        "end_allowance_mm": _r(allowance),
        "fabric_length_mm": _r(fabric_len),
        "fabric_area_m2": round(fabric_len * sheet.width / 1e6, 3),
        "pieces_area_m2": round(sum(p.area for p in pieces) * k * k / 1e6, 3),
        "pieces": len(pieces),
        "pieces_per_size": dict(sorted(Counter(p.size or "-" for p in pieces).items())),
        "pieces_per_category": dict(sorted(Counter(p.category or "-" for p in pieces).items())),
        "cut_length_mm": _r(sum(p.cut_length for p in sheet.pieces)),
        "notch_count": sum(len(p.notches) for p in sheet.pieces),
        "drill_count": sum(len(p.drills) for p in sheet.pieces),
        "device": dev.name,
        # a device whose media is narrower than the fabric cuts nothing of it: no cutting time (its
        # cutter file is left out, or refused), where the report gave one for a file not written
        "device_misfit": misfit,
        "not_carried": not_carried(sheet, dev),  # what the device's file leaves out (no tool for it)
        "knife_length_mm": _r(lengths["knife"]),
        "notch_cut_length_mm": _r(lengths["notch"]),
        "pen_length_mm": _r(lengths["pen"]),
        "air_move_mm": _r(plan.air_mm),
        "air_move_unordered_mm": _r(plan.air_unordered_mm),
        "bites": len(plan.bites),
        "cutting_time_s": None if misfit else {k: _r(v) for k, v in time.items()} | {"total": _r(total)},
        **_fabric_report(marker),
    }


def _fabric_report(marker: Marker) -> dict:
    """Matching and zones, only on a patterned fabric or a roll with zones."""
    out: dict = {}
    rep = marker.rules.repeat
    if rep.active:
        info = marker.stats.get("matching") or {}
        matched = sorted({marker.pieces[pl.piece].label for pl in marker.placements
                          if marker.pieces[pl.piece].match is not None})
        out["matching"] = {
            "repeat_mm": [rep.x_mm, rep.y_mm], "phase_mm": list(rep.phase), "symmetric": rep.symmetric,
            "matched_pieces": matched,
            "plain_length_mm": None if info.get("plain_length") is None else _r(info["plain_length"]),
            "cost_pct": None if info.get("cost_pct") is None else round(float(info["cost_pct"]), 2),
        }
    if marker.rules.zones:
        out["zones"] = [{"name": z.name, "allow": list(z.allow),
                         "bounds_mm": [_r(float(v)) for v in (*z.shape.min(axis=0), *z.shape.max(axis=0))]}
                        for z in marker.rules.zones]
    return out


def render_json(marker: Marker, device: Device | None = None) -> str:
    """``marker.report.json``."""
    return json.dumps(marker_report(marker, device), indent=1, ensure_ascii=False) + "\n"
