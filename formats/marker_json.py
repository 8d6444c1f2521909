"""``marker.json``: the versioned external form of a marker (instance plus solution).

Kept apart from the internal classes so the file format can stay stable while the code
changes. A marker file can be re-read, exported again and used as the warm start of a longer
run. Layout (version 1)::

    {
      "format": "kitcut-marker", "version": 1,
      "name": str | null, "source": str | null, "units": "mm" | "<instance unit>",
      "instance": {
        "rules": {"width", "spacing", "margin", "nap", "tilt_deg", "pairs",
                  "repeat": {"x_mm", "y_mm", "phase": [x, y], "symmetric"}   (patterned fabric only),
                  "zones": [{"name", "shape": [[x, y], ...], "allow": [category, ...]}] (if any)},
        "pieces": [{"name", "size", "quantity", "flipped", "category", "material",
                    "outline": [[x, y], ...], "cutouts": [[[x, y], ...]],
                    "grain": [[x, y], [x, y]] | null, "fold_line": ... | null,
                    "folded", "unfolded", "notches": [{"x", "y", "angle_deg", "kind", "depth",
                    "width"}], "drills": [{"x", "y", "diameter"}], "internal_lines": [...],
                    "sew_lines": [...], "annotations": [...], "allowed_rotations", "nap",
                    "source": {"file", "block", "layer"},
                    "match": {"x_point", "y_point", "offset", "source"} (matched pieces only)}]
      },
      "solution": {
        "width", "usable_width", "length", "efficiency", "pieces_area",
        "placements": [{"piece": index, "name", "size", "copy", "rotation_deg", "mirrored",
                        "translation": [x, y], "outline": [[x, y], ...]}]
      },
      "stats": {...}
    }

Piece coordinates are the pieces' own; ``outline`` of a placement is the placed outline in
marker coordinates (x along the roll, y across the width). The optional keys (repeat, zones,
match) are written only when used, so a plain marker's file is as it always was.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np

from kitcut.errors import InputError
from kitcut.fileio import atomic_write, read_input
from kitcut.formats.reading.units import MM_PER_UNIT
from kitcut.model import (
    Drill,
    FabricZone,
    Line,
    Marker,
    MatchPoint,
    Notch,
    Piece,
    Placement,
    Repeat,
    Rules,
    Source,
)

__all__ = ["FORMAT", "VERSION", "UNITS", "marker_to_dict", "marker_from_dict", "marker_text", "write_marker",
           "read_marker", "read_marker_data"]

FORMAT = "kitcut-marker"
VERSION = 1
#: The values of ``units``: lengths in a length unit, or a benchmark instance's own ``"unit"``.
#: (``px`` is a drawing unit of the pattern files read, never a marker's: those are in mm)
UNITS = (*(u for u in MM_PER_UNIT if u != "px"), "unit")


def _pts(a) -> list[list[float]]:
    return [[round(float(x), 6), round(float(y), 6)] for x, y in np.asarray(a).reshape(-1, 2)]


def _line(line: Line | None):
    return None if line is None else _pts(line.points)


def _piece_dict(p: Piece) -> dict:
    return {
        "name": p.name,
        "size": p.size,
        "quantity": p.quantity,
        "flipped": p.flipped,
        "category": p.category,
        "material": p.material,
        "outline": _pts(p.outline),
        "cutouts": [_pts(c) for c in p.cutouts],
        "grain": _line(p.grain),
        "fold_line": _line(p.fold_line),
        "folded": p.folded,
        "unfolded": p.unfolded,
        "notches": [
            {"x": n.x, "y": n.y, "angle_deg": n.angle_deg, "kind": n.kind, "depth": n.depth, "width": n.width}
            for n in p.notches
        ],
        "drills": [{"x": d.x, "y": d.y, "diameter": d.diameter} for d in p.drills],
        "internal_lines": [_pts(ln.points) for ln in p.internal_lines],
        "sew_lines": [_pts(ln.points) for ln in p.sew_lines],
        "annotations": list(p.annotations),
        "allowed_rotations": None if p.allowed_rotations is None else list(p.allowed_rotations),
        "nap": p.nap,
        "source": {"file": p.source.file, "block": p.source.block, "layer": p.source.layer},
        **({} if p.match is None else {"match": {
            "x_point": None if p.match.x_point is None else list(p.match.x_point),
            "y_point": None if p.match.y_point is None else list(p.match.y_point),
            "offset": list(p.match.offset), "source": p.match.source}}),
    }


def _clean(value):
    """JSON-safe stats: floats stay finite, unknown objects become strings."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return str(value)


def marker_to_dict(marker: Marker) -> dict:
    """The version-1 JSON object of ``marker``."""
    r = marker.rules
    placements = []
    for pl in marker.placements:
        piece = marker.pieces[pl.piece]
        placements.append(
            {
                "piece": pl.piece,
                "name": piece.name,
                "size": piece.size,
                "copy": pl.copy,
                "rotation_deg": pl.rotation_deg,
                "mirrored": pl.mirrored,
                "translation": [float(pl.translation[0]), float(pl.translation[1])],
                "outline": _pts(marker.placed_outline(pl)),
            }
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": marker.name,
        "source": marker.source,
        "units": marker.units,
        "instance": {
            "rules": {
                "width": r.width,
                "spacing": r.spacing,
                "margin": r.margin,
                "nap": r.nap,
                "tilt_deg": r.tilt_deg,
                "pairs": r.pairs,
                **_fabric_dict(r),
            },
            "pieces": [_piece_dict(p) for p in marker.pieces],
        },
        "solution": {
            "width": r.width,
            "usable_width": r.usable_width,
            "length": marker.length,
            "efficiency": marker.efficiency,
            "pieces_area": marker.pieces_area,
            "placements": placements,
        },
        "stats": _clean(marker.stats),
    }


def _fabric_dict(r: Rules) -> dict:
    out: dict = {}
    if r.repeat.active:
        out["repeat"] = {"x_mm": r.repeat.x_mm, "y_mm": r.repeat.y_mm, "phase": list(r.repeat.phase),
                         "symmetric": r.repeat.symmetric}
    if r.zones:
        out["zones"] = [{"name": z.name, "shape": _pts(z.shape), "allow": list(z.allow)} for z in r.zones]
    return out


#: the rules' fields a marker file gives (others, from a newer writer, are passed over)
_RULE_KEYS = ("width", "spacing", "margin", "nap", "tilt_deg", "pairs", "repeat", "zones")
_NAPS = ("one-way", "two-way", "quarter", "free")


def _rules_from(d: dict) -> Rules:
    if not isinstance(d, dict):
        raise ValueError(f"not an object: {d!r}")
    d = {k: v for k, v in d.items() if k in _RULE_KEYS}
    for key in ("width", "spacing", "margin", "tilt_deg"):
        if key in d:
            _num(d[key], key)
    if not isinstance(d.get("pairs", True), bool):
        raise ValueError(f"pairs must be true or false, got {d['pairs']!r}")
    if d.get("nap", "two-way") not in _NAPS:
        raise ValueError(f"nap {d['nap']!r} is not one of {', '.join(_NAPS)}")
    width, spacing, margin = float(d["width"]), float(d.get("spacing", 0)), float(d.get("margin", 0))
    if not (width > 0 and spacing >= 0 and margin >= 0 and 2 * margin < width):
        raise ValueError(f"width {width:g}, spacing {spacing:g} and margin {margin:g} leave no fabric (the "
                         "width must be above 0 and above both margins)")
    rep = d.pop("repeat", None)
    zones = d.pop("zones", None) or []
    repeat = Repeat() if rep is None else Repeat(float(rep["x_mm"]), float(rep["y_mm"]),
                                                  tuple(float(v) for v in rep.get("phase", (0, 0))),
                                                  bool(rep.get("symmetric", True)))
    fz = tuple(FabricZone(np.asarray(z["shape"], dtype=float), str(z.get("name", "")),
                          tuple(str(a) for a in z.get("allow", []))) for z in zones)
    return Rules(**d, repeat=repeat, zones=fz)


def _match_from(d) -> MatchPoint | None:
    if not d:
        return None

    def pt(v):
        return None if v is None else tuple(_points([v], "match point")[0])

    offset = tuple(_points([d.get("offset", (0.0, 0.0))], "match offset")[0])
    return MatchPoint(pt(d.get("x_point")), pt(d.get("y_point")), offset, str(d.get("source", "")))


def marker_text(marker: Marker) -> str:
    """The text of ``marker``'s file."""
    return json.dumps(marker_to_dict(marker), indent=1) + "\n"


def write_marker(marker: Marker, path) -> Path:
    """Write ``marker`` as JSON to ``path`` atomically."""
    atomic_write(path, marker_text(marker))
    return Path(path)


def _line_from(points, what: str) -> Line | None:
    return None if points is None else Line(_points(points, what, least=2))


#: The largest coordinate a marker file may hold (marker units): beyond it, geometry overflows.
_MAX_COORD = 1e9


def _points(points, what: str, least: int = 1) -> np.ndarray:
    """``points`` as a ``float[n, 2]`` array of finite coordinates (``ValueError`` naming ``what``)."""
    try:  # numbers only: "12" in quotes, true or null is a damaged file, not a coordinate
        a = np.asarray(points)
    except (TypeError, ValueError):
        a = np.empty(0)
    a = a.astype(float) if a.dtype.kind in "iuf" else np.empty(0)
    if a.ndim != 2 or a.shape[1] != 2 or len(a) < least:
        raise ValueError(f"{what} is not a list of at least {least} points [x, y]")
    if not np.all(np.abs(a) <= _MAX_COORD):
        raise ValueError(f"{what}: a coordinate is not a number within ±{_MAX_COORD:g}")
    return a


def _ring_from(points, what: str) -> np.ndarray:
    a = _points(points, what, least=3)
    x, y = a[:, 0] - a[0, 0], a[:, 1] - a[0, 1]
    if not abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) > 0:
        raise ValueError(f"{what} encloses no area")
    return a


def _num(value, what: str) -> float:
    """``value`` as a finite number (not a string or a boolean), else a ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not abs(value) <= _MAX_COORD:
        raise ValueError(f"{what} is not a number: {value!r}")
    return float(value)


def _flag(value, what: str) -> bool:
    """``value`` as true or false: ``"false"`` in quotes was true (a non-empty string), and a
    mirrored copy of a hand-edited marker was cut mirrored without a word."""
    if not isinstance(value, bool):
        raise ValueError(f"{what} must be true or false, got {value!r}")
    return value


def _count(value, what: str, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValueError(f"{what} is not a whole number ≥ {least}: {value!r}")
    return value


def _record(cls, d, what: str, numbers: tuple[str, ...]):
    """A :class:`Notch` or :class:`Drill` from its dict, every number checked."""
    if not isinstance(d, dict):
        raise ValueError(f"{what} is not an object: {d!r}")
    known = {f.name: f for f in dataclasses.fields(cls)}
    lacking = [k for k, f in known.items() if f.default is dataclasses.MISSING
               and f.default_factory is dataclasses.MISSING and k not in d]
    if lacking:
        raise ValueError(f"{what} has no {', '.join(lacking)}")
    values = {k: (v if k not in numbers or (v is None and k == "diameter") else _num(v, f"{what}.{k}"))
              for k, v in d.items() if k in known}
    return cls(**values)


def _piece_from(d: dict) -> Piece:
    src = d.get("source") or {}
    quantity = _count(d.get("quantity", 1), "quantity", 0)  # 0: drawn, not cut (AccuMark's Quantity: 0)
    flipped = d.get("flipped")
    if flipped is not None and _count(flipped, "flipped", 0) > quantity:
        raise ValueError(f"flipped {flipped} is more than the quantity {quantity}")
    rotations = d.get("allowed_rotations")
    return Piece(
        name=str(d["name"]),
        outline=_ring_from(d["outline"], "outline"),
        size=None if d.get("size") is None else str(d["size"]),
        quantity=quantity,
        flipped=flipped,
        grain=_line_from(d.get("grain"), "grain"),
        notches=tuple(_record(Notch, n, f"notches[{i}]", ("x", "y", "angle_deg", "depth", "width"))
                      for i, n in enumerate(d.get("notches", []))),
        drills=tuple(_record(Drill, x, f"drills[{i}]", ("x", "y", "diameter"))
                     for i, x in enumerate(d.get("drills", []))),
        internal_lines=tuple(Line(_points(p, f"internal_lines[{i}]"))
                             for i, p in enumerate(d.get("internal_lines", []))),
        cutouts=tuple(_ring_from(c, f"cutouts[{i}]") for i, c in enumerate(d.get("cutouts", []))),
        sew_lines=tuple(Line(_points(p, f"sew_lines[{i}]")) for i, p in enumerate(d.get("sew_lines", []))),
        fold_line=_line_from(d.get("fold_line"), "fold_line"),
        folded=_flag(d.get("folded", False), "folded"),
        unfolded=_flag(d.get("unfolded", False), "unfolded"),
        category=None if d.get("category") is None else str(d["category"]),
        material=None if d.get("material") is None else str(d["material"]),
        annotations=tuple(str(a) for a in d.get("annotations", [])),
        allowed_rotations=None if rotations is None else tuple(
            _num(r, f"allowed_rotations[{i}]") for i, r in enumerate(rotations)),
        nap=d.get("nap"),
        source=Source(src.get("file"), src.get("block"), src.get("layer")),
        match=_match_from(d.get("match")),
    )


def marker_from_dict(data: dict, *, file: str | None = None) -> Marker:
    """Rebuild a :class:`Marker` from its JSON object (raises :class:`InputError`)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError("not a kitcut marker file (no \"format\": \"kitcut-marker\")", file=file)
    if data.get("version") != VERSION:
        raise InputError(f"marker file version {data.get('version')!r} is not supported (this kitcut reads "
                         f"version {VERSION})", file=file)
    units = data.get("units", "mm")
    if units not in UNITS:
        raise InputError(f"\"units\": unknown unit {units!r}; one of {', '.join(UNITS)}", file=file)
    for key in ("instance", "solution"):
        bad = _non_finite(data.get(key), key)
        if bad:
            raise InputError(f"{bad[0]}: not a finite number ({bad[1]!r})", file=file)
    where = ""  # the part being read, named in the error of a damaged file
    try:
        inst = data["instance"]
        where = "instance"
        if not isinstance(inst, dict):
            raise ValueError(f"not an object: {inst!r}")
        where = "instance.rules"
        rules = _rules_from(inst["rules"])
        where = "instance"
        pieces = []
        for n, p in enumerate(inst["pieces"]):
            where = f"instance.pieces[{n}]"
            pieces.append(_piece_from(p))
        pieces = tuple(pieces)
        where = ""
        sol = data["solution"]
        where = "solution"
        if not isinstance(sol, dict):
            raise ValueError(f"not an object: {sol!r}")
        for key, want in (("width", rules.width), ("usable_width", rules.usable_width)):
            if key in sol and not _same(sol[key], want):
                raise InputError(f"solution.{key} {sol[key]!r} is not the {key.replace('_', ' ')} of "
                                 f"instance.rules ({want:g})", file=file)
        placements = []
        for n, pl in enumerate(sol["placements"]):
            where = f"solution.placements[{n}]"
            if not isinstance(pl, dict):
                raise ValueError(f"not an object: {pl!r}")
            index = _count(pl["piece"], "piece", 0)
            if not 0 <= index < len(pieces):
                raise InputError(f"placement refers to piece {index}, the file has {len(pieces)}", file=file)
            if not isinstance(pl["translation"], list) or len(pl["translation"]) != 2:
                raise ValueError(f"translation {pl['translation']!r} is not a pair x, y")
            tx, ty = (_finite(v, f"{where}.translation", file) for v in pl["translation"])
            rotation = _finite(pl["rotation_deg"], f"{where}.rotation_deg", file)
            placements.append(Placement(index, _count(pl["copy"], "copy", 0), rotation,
                                        _flag(pl["mirrored"], "mirrored"), (tx, ty)))
        where = "stats"
        stats = data.get("stats") or {}
        if not isinstance(stats, dict):
            raise ValueError(f"not an object: {stats!r}")
        where = "solution"
        return Marker(
            pieces=pieces,
            rules=rules,
            placements=tuple(placements),
            length=_finite(sol["length"], "solution.length", file),
            units=units,
            name=data.get("name"),
            source=data.get("source"),
            stats=dict(stats),
        )
    except InputError:
        raise
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        what = f"no {exc.args[0]!r}" if isinstance(exc, KeyError) and exc.args else str(exc)
        raise InputError(f"damaged marker file: {where + ': ' if where else ''}{what}", file=file) from exc


def _finite(value, field: str, file: str | None) -> float:
    """``value`` as a finite float, else an :class:`InputError` naming ``field`` (a number in
    quotes too: it is no number in JSON, and ``["12", 5]`` was read as x = 12)."""
    v = math.nan if isinstance(value, bool) or not isinstance(value, (int, float)) else float(value)
    if not abs(v) <= _MAX_COORD:
        raise InputError(f"{field}: {value!r} is not a number within ±{_MAX_COORD:g} (a damaged marker file)",
                         file=file)
    return v


def _non_finite(value, path: str):
    """``(path, value)`` of the first number in ``value`` that is NaN or infinite, else ``None``."""
    if isinstance(value, float):
        return None if math.isfinite(value) else (path, value)
    if isinstance(value, dict):
        items = ((f"{path}.{k}", v) for k, v in value.items())
    elif isinstance(value, list):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for where, v in items:
        bad = _non_finite(v, where)
        if bad:
            return bad
    return None


def _same(value, want: float) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isclose(
        float(value), float(want), rel_tol=1e-9, abs_tol=1e-9)


def read_marker_data(path) -> tuple[Marker, dict]:
    """Read a ``marker.json``: the marker and the file's JSON object (for checks of what the
    file states twice, see :func:`kitcut.kits.marker_check.check_marker`)."""
    p = Path(path)
    try:
        data = json.loads(read_input(p).decode("utf-8-sig"))  # a Windows editor's byte-order mark too
    except FileNotFoundError as exc:
        raise InputError("no such file", file=str(p)) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"cannot read marker JSON: {exc}", file=str(p)) from exc
    return marker_from_dict(data, file=str(p)), data


def read_marker(path) -> Marker:
    """Read a ``marker.json`` written by :func:`write_marker`."""
    return read_marker_data(path)[0]
