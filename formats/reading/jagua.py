"""jagua-rs / sparrow strip-packing instances (JSON): the ESICUP benchmark sets.

An instance has ``strip_height`` (the fabric width) and ``items``, each with a ``demand``, a
``shape`` (``simple_polygon``: one ring, first point repeated last; ``polygon`` with an
``outer`` ring and ``inner`` holes; ``rectangle``) and ``allowed_orientations`` in degrees
(absent = free rotation, empty = as drawn only). Items are never mirrored (jagua-rs only turns
them). Coordinates stay in the instance's own unit (``Pattern.units = "unit"``). The format of
2024 is read too; bin packing instances, solutions and configurations are errors saying so
(:mod:`kitcut.formats.reading.jagua_kinds`).
"""

from __future__ import annotations

import json
import math
import os

import numpy as np

from kitcut.errors import GeometryError, InputError, KitcutError
from kitcut.fileio import read_input
from kitcut.formats.reading.jagua_kinds import strip_instance
from kitcut.formats.reading.outline import Fixer, check_ring
from kitcut.model import ImportReport, Pattern, Piece, Source

__all__ = ["read_jagua"]


def _ring(obj, where: str, file: str, piece: str) -> np.ndarray:
    try:
        a = np.asarray(obj, dtype=np.float64)
    except (TypeError, ValueError):
        raise GeometryError(f"{where}: points are not numbers", file=file, piece=piece) from None
    if a.ndim != 2 or a.shape[1] != 2 or not np.isfinite(a).all():
        raise GeometryError(f"{where}: expected a list of [x, y] pairs", file=file, piece=piece)
    return a


#: An item whose area is below this share of its bounding box diagonal squared has zero area (the
#: instances have no unit: an absolute limit in mm² refused gardeyn9's items of 0.74 unit²).
_ZERO = 1e-9


def _zero_area(ring: np.ndarray) -> float:
    """The area below which ``ring`` has zero area (0 for absurd coordinates, named later)."""
    if len(ring) == 0:
        return 0.0
    dx, dy = (float(v) for v in np.ptp(ring, axis=0))
    least = _ZERO * (dx * dx + dy * dy)
    return least if math.isfinite(least) else 0.0


def _rectangle(obj, file: str, piece: str) -> np.ndarray:
    """The ring of a ``rectangle`` shape: ``{x_min, y_min, width, height}``."""
    try:
        x, y, w, h = (float(obj[k]) for k in ("x_min", "y_min", "width", "height"))
    except (TypeError, KeyError, ValueError):
        raise GeometryError("rectangle: expected numbers x_min, y_min, width and height", file=file,
                            piece=piece) from None
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], dtype=np.float64)


def read_jagua(path, *, tolerance: float = 0.1, strict: bool = False, repair: bool = False) -> Pattern:
    """Read a jagua-rs JSON instance into a :class:`Pattern` (``units="unit"``).

    Each item becomes a piece named ``item <id>`` with ``quantity = demand``; items without
    ``allowed_orientations`` rotate freely (``nap="free"``, ``allowed_rotations=None``).
    """
    file = os.fspath(path)
    try:
        data = json.loads(read_input(path).decode("utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=file) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"not a valid JSON instance ({exc})", file=file) from None
    except RecursionError:
        raise InputError("not a valid JSON instance (nested too deeply)", file=file) from None
    data = strip_instance(data, file)
    if not data["items"]:
        raise InputError("the instance has no items", file=file)
    report = ImportReport()
    if "solution" in data:
        report.warn("the file is a jagua-rs/sparrow output: its instance is nested anew, the solution it "
                    "holds is not used")
    fixer = Fixer(file, report, strict=strict, allow_repair=repair)
    width = data.get("strip_height")
    if width is not None and not (isinstance(width, (int, float)) and width > 0):
        raise InputError(f"strip_height must be a positive number, got {width!r}", file=file)
    pieces = []
    for k, item in enumerate(data["items"]):
        ident = item.get("id", k) if isinstance(item, dict) else k
        name = f"item {ident}"
        if not isinstance(item, dict) or "shape" not in item:
            dxf = item.get("dxf") if isinstance(item, dict) else None
            where = f" (only a reference to '{dxf}', which kitcut does not read)" if isinstance(dxf, str) \
                else ""
            raise GeometryError(f"item has no shape{where}", file=file, piece=name)
        try:
            demand = item.get("demand", 1)
            if not isinstance(demand, int) or demand < 0:
                raise InputError(f"demand must be a non-negative integer, got {demand!r}", file=file)
            shape = item["shape"]
            kind = shape.get("type")
            holes = []
            if kind == "simple_polygon":
                outer = _ring(shape.get("data"), "shape", file, name)
            elif kind == "polygon":
                d = shape.get("data") or {}
                outer = _ring(d.get("outer"), "outer ring", file, name)
                holes = [_ring(h, "inner ring", file, name) for h in d.get("inner") or []]
            elif kind == "rectangle":
                outer = _rectangle(shape.get("data"), file, name)
            elif kind == "multi_polygon":
                raise GeometryError("a multi_polygon shape (several separate parts in one item) is not "
                                    "supported: give each part as an item of its own", file=file, piece=name)
            else:
                raise GeometryError(f"unsupported shape type {kind!r} (simple_polygon, polygon or rectangle)",
                                    file=file, piece=name)
            # no unit: "zero area" is measured against the item's own size, never in mm²
            least = _zero_area(outer)
            outer = check_ring(outer, fixer, piece=name, min_area=least, unit="unit")
            holes = [check_ring(h, fixer, piece=name, what="hole", min_area=least, unit="unit")
                     for h in holes]
            rot = item.get("allowed_orientations")
            if rot is None:
                allowed, nap = None, "free"
            else:
                if not isinstance(rot, list):
                    raise InputError(f"allowed_orientations must be a list of degrees, got {rot!r:.60}",
                                     file=file)
                # [] allows the item as drawn only, as jagua-rs reads it
                allowed = tuple(float(r) % 360.0 for r in rot) or (0.0,)
                if not all(math.isfinite(r) for r in allowed):
                    raise InputError("allowed_orientations must be a list of degrees", file=file)
                nap = None
            if demand == 0:
                report.warn("demand 0: the item is not placed; kept with quantity 0", piece=name)
            pieces.append(Piece(
                name=name, outline=outer, cutouts=tuple(holes), quantity=demand, flipped=0,
                allowed_rotations=allowed, nap=nap, source=Source(file=file, block=None, layer=None)))
        except KitcutError:
            raise
        except (TypeError, ValueError, OverflowError, AttributeError) as exc:  # odd JSON types / values
            raise GeometryError(f"malformed item ({type(exc).__name__}: {exc})", file=file,
                                piece=name) from None
    return Pattern(
        pieces=tuple(pieces), style=data.get("name"), source=file, units="unit", units_in="unit",
        units_rule="instance", fabric_width=None if width is None else float(width), report=report)
