"""Helpers of the export tests: compare replayed paths with placed outlines, read HP-GL labels."""

from __future__ import annotations

import re

import numpy as np
import shapely
from shapely.geometry import LinearRing, LineString, Polygon

#: A plotter's character cell along the text, in text heights (what kitcut lays labels out by).
CELL = 0.75


def max_gap(points: np.ndarray, ring: np.ndarray, closed: bool = True) -> float:
    """Largest distance from ``points`` to the polyline/ring ``ring``."""
    geom = LinearRing(ring) if closed else LineString(ring)
    return float(shapely.distance(shapely.points(np.asarray(points, dtype=float)), geom).max())


def same_ring(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    """True when every vertex of each ring lies within ``tol`` of the other ring."""
    return max_gap(a, b) <= tol and max_gap(b, a) <= tol


def match_rings(found: list[np.ndarray], expected: list[np.ndarray], tol: float) -> list[int]:
    """For each found ring the index of the expected ring it equals; each expected ring once."""
    used = set()
    out = []
    centres = np.array([e.mean(axis=0) for e in expected])
    for ring in found:
        c = ring[:-1].mean(axis=0) if np.allclose(ring[0], ring[-1]) else ring.mean(axis=0)
        order = np.argsort(np.hypot(*(centres - c).T))
        hit = next(
            (int(j) for j in order[:8] if int(j) not in used and same_ring(ring, expected[j], tol)), None
        )
        assert hit is not None, f"a replayed ring near {c} matches no placed outline within {tol} mm"
        used.add(hit)
        out.append(hit)
    return out


def _hpgl_commands(text: str) -> list[tuple[str, str]]:
    """``(mnemonic, arguments)`` of every HP-GL command: a label runs to its ETX, the rest to ``;``."""
    out = []
    for part in re.split(r"(LB[^\x03]*\x03)", text):
        if part.startswith("LB"):
            out.append(("LB", part[2:-1]))
            continue
        for cmd in part.replace("\n", "").split(";"):
            if cmd.strip():
                out.append((cmd.strip()[:2], cmd.strip()[2:]))
    return out


def hpgl_coordinates(text: str, units_per_mm: float = 40.0) -> np.ndarray:
    """Every ``PU``/``PD`` point of an HP-GL file, in mm."""
    nums = [float(v) / units_per_mm for op, args in _hpgl_commands(text) if op in ("PU", "PD") and args
            for v in args.split(",")]
    return np.array(nums).reshape(-1, 2)


def hpgl_labels(text: str, units_per_mm: float = 40.0) -> list[tuple[str, Polygon]]:
    """Every label of an HP-GL file as ``(text, box)``, read without kitcut: the box (mm, device
    axes) starts at the pen's position before ``LB`` (the text's lower-left corner) and runs along
    ``DI`` :data:`CELL` h a character, h (``SI``'s height, in cm) across it."""
    pos, run, h = np.zeros(2), np.array([1.0, 0.0]), 0.0
    out = []
    for op, args in _hpgl_commands(text):
        if op in ("PU", "PD") and args:
            pos = np.array([float(v) for v in args.split(",")][-2:]) / units_per_mm
        elif op == "DI":
            d = np.array([float(v) for v in args.split(",")])
            run = d / np.hypot(*d)
        elif op == "SI":
            h = 10.0 * float(args.split(",")[1])
        elif op == "LB":
            along, up = run * CELL * h * len(args), np.array([-run[1], run[0]]) * h
            out.append((args, Polygon([pos, pos + along, pos + along + up, pos + up])))
    return out
