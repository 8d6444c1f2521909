"""Which vertex a grade rule label (``# n``) names, and what to say when it sits beside one.

Every label in the real AccuMark exports at hand sits exactly on its vertex (within
:data:`MARK_TOL`). Other writers round a label's insert point to fewer decimals than the
vertices (0.01 mm), or set it a little beside its turn point to keep it readable. A label that
is not on a vertex takes the nearest grade point within :data:`SNAP_MM`: first the layer-2/3
turn and curve point markers (a label belongs to the one it was written for), else any vertex of
the piece's lines and marks. When a second, different point is not clearly farther (less than
twice the distance of the nearest) the label is ambiguous and not used. Each label moved, and
each one left out, is reported with its piece and rule (:func:`report_labels`).
"""

from __future__ import annotations

import numpy as np

from kitcut.formats.reading.build import GradeMark, RawPiece
from kitcut.model import ImportReport

__all__ = ["MARK_TOL", "SNAP_MM", "resolve_marks", "report_labels"]

#: A label within this (drawing units) of a vertex is on it.
MARK_TOL = 1e-3
#: A label at most this far (mm) from its grade point is taken there.
SNAP_MM = 2.0

#: The line each layer's label grades (ASTM puts the label on the line's own layer).
_MARK_LAYER_KIND = {"1": "boundary", "84": "boundary", "8": "internal", "85": "internal", "11": "cutouts",
                    "86": "cutouts", "14": "sew", "87": "sew", "6": "fold", "7": "grain", "5": "grain",
                    "4": "notch", "80": "notch", "81": "notch", "82": "notch", "83": "notch", "13": "drill"}


def _near(pts, x: float, y: float) -> bool:
    p = np.asarray(pts, dtype=float).reshape(-1, 2)
    return bool(len(p)) and float(np.min(np.abs(p[:, 0] - x) + np.abs(p[:, 1] - y))) <= 2 * MARK_TOL


def _nearest(points: np.ndarray, x: float, y: float, snap: float):
    """``(point, d1, d2)``: the nearest of the distinct ``points`` to ``(x, y)`` and the
    distance of the next distinct one (``inf`` when none); ``None`` when none is within
    ``snap``."""
    if not len(points):
        return None
    d = np.hypot(points[:, 0] - x, points[:, 1] - y)
    order = np.argsort(d, kind="stable")
    if d[order[0]] > snap:
        return None
    best = points[order[0]]
    other = next((float(d[k]) for k in order[1:] if float(np.abs(points[k] - best).sum()) > 2 * MARK_TOL),
                 float("inf"))
    return best, float(d[order[0]]), other


def _snap(x: float, y: float, markers: np.ndarray, vertices: np.ndarray, snap: float):
    """Where the label at ``(x, y)`` belongs: ``("at", x, y, d)`` moved by ``d``, ``("none",
    d)`` with the nearest vertex ``d`` away, or ``("ambiguous", d1, d2)``."""
    for pool in (markers, vertices):
        hit = _nearest(pool, x, y, snap)
        if hit is None:
            continue
        best, d1, d2 = hit
        if d2 < 2 * d1:
            return ("ambiguous", d1, d2)
        return ("at", float(best[0]), float(best[1]), d1)
    if not len(vertices):
        return ("none", float("inf"))
    return ("none", float(np.min(np.hypot(vertices[:, 0] - x, vertices[:, 1] - y))))


def resolve_marks(raw: RawPiece, elements: list, labels: list, markers: list, skips, bname: str,
                  snap: float) -> None:
    """Turn the labels of a block into :class:`GradeMark` (see :mod:`kitcut.formats.reading.aama`):
    ``elements`` are ``(kind, index, points)`` of its lines and marks in drawing order,
    ``labels`` ``(x, y, rule, layer, elements drawn before it, entity)``, ``markers`` the
    layer-2/3 POINTs, ``snap`` :data:`SNAP_MM` in drawing units. Labels moved or left out are
    kept in ``raw.label_notes`` for :func:`report_labels`."""
    vertices = np.concatenate([np.asarray(p, dtype=float).reshape(-1, 2) for _, _, p in elements]) \
        if elements else np.zeros((0, 2))
    marker_pts = np.asarray(markers, dtype=float).reshape(-1, 2)
    for x, y, rule, layer, before, e in labels:
        if not any(_near(p, x, y) for _, _, p in elements):
            where = _snap(x, y, marker_pts, vertices, snap)
            if where[0] != "at" or not any(_near(p, where[1], where[2]) for _, _, p in elements):
                if where[0] == "at":  # a marker POINT at no vertex
                    where = ("none", where[3])
                raw.label_notes.append((where[0], rule, *where[1:]))
                continue
            raw.label_notes.append(("moved", rule, where[3]))
            x, y = where[1], where[2]
        kind = _MARK_LAYER_KIND.get(layer)
        if kind is None or not any(k == kind and _near(p, x, y) for k, _, p in elements):
            order = [*reversed(elements[:before]), *elements[before:]]
            order.sort(key=lambda el: el[0] in ("notch", "drill"))  # lines first, then points
            kind = next(k for k, _, p in order if _near(p, x, y))
        src = e.describe(bname)
        if kind == "boundary":
            if not any(m.kind == "boundary" and m.rule == rule and _near([(m.x, m.y)], x, y)
                       for m in raw.marks):
                raw.marks.append(GradeMark("boundary", None, x, y, rule, src))
            continue
        # the line it follows (or, failing that, the next one) among those through the label
        order = [*reversed(elements[:before]), *elements[before:]]
        hit = next((i for k, i, p in order if k == kind and i is not None and _near(p, x, y)), None)
        if hit is None:  # e.g. a label on the grade reference line where no grain line lies
            skips.add(f"grade rule labels (# n) on a {kind} line kitcut does not keep", e, bname)
        else:
            raw.marks.append(GradeMark(kind, hit, x, y, rule, src))


def _rules(notes: list) -> str:
    rules = sorted({n[1] for n in notes})
    return ", ".join(f"# {r}" for r in rules[:8]) + (f" and {len(rules) - 8} more" if len(rules) > 8 else "")


def report_labels(raw: RawPiece, report: ImportReport, mm_per_unit: float | None) -> None:
    """Say which labels of ``raw`` were moved onto their vertex and which were left out."""
    if not raw.label_notes:
        return
    k = mm_per_unit or 1.0
    unit = "mm" if mm_per_unit else "drawing units"
    lim = f"{SNAP_MM:g} mm"
    piece = f"{raw.name} ({raw.texts['size']})" if raw.texts.get("size") else raw.name
    notes = raw.label_notes
    if moved := [n for n in notes if n[0] == "moved"]:
        far = max(n[2] for n in moved) * k
        report.repair(f"{len(moved)} grade rule label(s) ({_rules(moved)}) set beside their grade point "
                      f"(up to {far:.3g} {unit} off): each taken at the nearest vertex within {lim}",
                      piece=piece)
    for n in notes:
        if n[0] == "none":
            d = "no vertex" if n[2] == float("inf") else f"the nearest {n[2] * k:.3g} {unit} away"
            report.warn(f"grade rule label # {n[1]} is at no vertex of the piece's lines ({d}, more than "
                        f"{lim}): not used; the point there grades between its neighbours", piece=piece)
        elif n[0] == "ambiguous":
            report.warn(f"grade rule label # {n[1]} lies between two grade points ({n[2] * k:.3g} and "
                        f"{n[3] * k:.3g} {unit} away): not used, as it could name either; the point "
                        "grades between its neighbours", piece=piece)
