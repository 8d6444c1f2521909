"""Check kitcut's grading against a CAD's own sizes: an all-size AAMA/ASTM export graded back.

Real all-size exports (AccuMark's, in ``../shared/data/dxf``) draw every size and carry the rule
number at each grade point of the sample size. :func:`check_export`:

1. reads the pieces as kitcut does (:func:`~kitcut.formats.reading.aama.collect_aama`);
2. derives the offset of every rule in every size from the drawn sizes: a grade point's vertex
   in size S minus the same vertex in the sample size (AccuMark writes every size of a piece
   with the same number of vertices per layer-1 polyline, so vertices correspond one to one);
   points of a piece sharing a rule must agree (their largest disagreement is reported). In
   these exports a rule number can mean other offsets in another piece: such a rule becomes
   a rule of its own number in the derived table (counted in ``renumbered``);
3. writes these offsets as a ``.RUL`` (:func:`~kitcut.formats.writing.rul_write.rul_text`, in the
   file's units) and reads it back (:func:`~kitcut.formats.reading.rul.parse_rul`);
4. grades the sample size to every size (:mod:`kitcut.formats.reading.grading`) and compares
   with what the CAD drew: at grade points (to the same vertex), at the other cut-line vertices
   (the distance to the CAD's cut line, which is what a cut differs by; on layer 1 also to the
   same vertex: the denser ASTM layer 84 changes its point count from size to size), at
   internal-line points with and without a rule of their own, and at notches and drill holes.

Distances are in mm. ``python -m bench grading`` prints the table for every real file.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from kitcut.fileio import read_input
from kitcut.formats.reading import aama
from kitcut.formats.reading.build import largest_extent
from kitcut.formats.reading.dxf_fast import DxfData, parse_fast
from kitcut.formats.reading.dxf_read import resolve_units
from kitcut.formats.reading.grading import grade_raw, mark_vertices, plan_grading, rule_offsets
from kitcut.formats.reading.rul import GradeRules, parse_rul
from kitcut.formats.reading.sizes import size_key
from kitcut.formats.reading.units import MM_PER_UNIT
from kitcut.formats.writing.rul_write import rul_text
from kitcut.model import ImportReport
from kitcut.model.geometry import segment_feet

__all__ = ["GradeCheck", "check_export", "write_base_pair"]

_LABEL = re.compile(r"^\s*#\s*\d+\s*$")


@dataclass
class GradeCheck:
    """What :func:`check_export` found for one file (distances in mm)."""

    file: str
    units: str
    pieces: int = 0
    sizes: int = 0
    rules: int = 0
    rule_spread: float = 0.0  # largest disagreement between points of one piece sharing a rule
    renumbered: int = 0  # rule numbers that mean other offsets in another piece
    shared_rules: float = 0.0  # ... by up to this much
    grade_points: float = 0.0  # largest deviation at cut-line grade points
    grade_point_count: int = 0
    between: float = 0.0  # largest distance of an intermediate cut-line vertex to the CAD's cut line
    between_median: float = 0.0
    between_p95: float = 0.0
    between_count: int = 0
    between_vertex: float | None = None  # ... to the same vertex of the CAD (layer 1 only)
    internal_ruled: float = 0.0  # internal-line points with a rule of their own
    internal_free: float = 0.0  # internal-line points without one (interpolated from the cut line)
    notches: float = 0.0
    drills: float = 0.0
    where: dict = field(default_factory=dict)  # measure -> where its largest deviation is
    numbering: dict = field(default_factory=dict)  # (piece, rule in the file) -> rule in the .RUL
    bases: dict = field(default_factory=dict)  # sample-size block -> piece name
    sample: str = ""
    notes: list = field(default_factory=list)
    rul: str = ""


def _data(path: Path) -> DxfData:
    data = parse_fast(read_input(path))
    if data is None:  # not the fast subset: the full reader
        import ezdxf

        from kitcut.formats.reading.dxf_fast import from_ezdxf_doc

        data = from_ezdxf_doc(ezdxf.readfile(str(path)), 0.01)
    return data


def _layer1(data: DxfData, block: str) -> list[np.ndarray]:
    """The block's layer-1 polylines (AccuMark inserts at 0,0 without a transform)."""
    return [np.asarray(e.points, dtype=float) for e in data.blocks[block] if e.is_curve and e.layer == "1"]


def _where(parts: list[np.ndarray], x: float, y: float) -> list[tuple[int, int]]:
    out = []
    for i, p in enumerate(parts):
        d = np.abs(p[:, 0] - x) + np.abs(p[:, 1] - y)
        out += [(i, int(j)) for j in np.flatnonzero(d <= 2 * aama.MARK_TOL)]
    return out


def _same_shape(a: list, b: list) -> bool:
    return len(a) == len(b) and all(len(x) == len(y) for x, y in zip(a, b, strict=True))


def _dist_to_lines(points: np.ndarray, lines: list[np.ndarray]) -> np.ndarray:
    """Distance of each point to the nearest segment of ``lines``."""
    segs = [(p[:-1], p[1:]) for p in lines if len(p) >= 2]
    a = np.concatenate([s[0] for s in segs])
    b = np.concatenate([s[1] for s in segs])
    return np.array([segment_feet(a, b, q)[2].min() for q in points]).reshape(len(points))


def _turn(a: np.ndarray, b: np.ndarray) -> float:
    """The rotation (degrees) that best maps the points ``a`` onto ``b`` (least squares)."""
    a = a - a.mean(axis=0)
    b = b - b.mean(axis=0)
    return float(np.degrees(np.arctan2((a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]).sum(), (a * b).sum())))


def check_export(path, *, tolerance: float = 0.1) -> GradeCheck:
    """Derive a ``.RUL`` from the all-size export ``path``, grade its sample size with it and
    compare with the sizes the CAD drew (see the module docstring)."""
    path = Path(path)
    data = _data(path)
    report = ImportReport()
    skips = aama.SkipLog()
    style = aama.style_texts(data, report, skips)
    raws = aama.collect_aama(data, report=report, skips=skips)
    unit, _ = resolve_units(None, data.insunits, style.get("units"), file=os.fspath(path), report=report,
                            extent=lambda: largest_extent(raws))
    scale = MM_PER_UNIT[unit or "mm"]
    res = GradeCheck(file=path.name, units=unit or "mm")
    by_name: dict[str, dict[str, object]] = defaultdict(dict)
    for r in raws:
        by_name[r.name][r.texts.get("size", "")] = r
    bases = {name: next(r for r in group.values() if r.marks) for name, group in by_name.items()
             if any(r.marks for r in group.values())}
    if not bases:
        res.notes.append("no grade rule labels")
        return res
    sample = next(iter(bases.values())).texts.get("size", "")
    sizes = sorted({s for g in by_name.values() for s in g}, key=size_key)
    # 2. the offset of every rule in every size, from the drawn sizes
    seen: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for name, base in bases.items():
        b1 = _layer1(data, base.block)
        for size, other in list(by_name[name].items()):
            o1 = _layer1(data, other.block)
            if not _same_shape(b1, o1):
                res.notes.append(f"{name} {size}: the cut line has another point count; not compared")
                del by_name[name][size]
                continue
            turn = _turn(np.concatenate(b1), np.concatenate(o1))
            if abs(turn) > 45.0:  # not a grade: the CAD drew this size turned (a real export: 176°)
                res.notes.append(f"{name} {size}: drawn turned by {turn:.0f}° against the sample size; not "
                                 "compared")
                del by_name[name][size]
                continue
            for m in base.marks:
                if m.kind == "boundary":
                    for i, j in _where(b1, m.x, m.y)[:1]:
                        seen[(name, m.rule)][size].append(o1[i][j] - b1[i][j])
            for kind in ("internal", "grain"):
                for k, (item_b, item_o) in enumerate(zip(getattr(base, kind), getattr(other, kind),
                                                         strict=False)):
                    pb, po = np.asarray(item_b[0]), np.asarray(item_o[0])
                    if len(pb) != len(po):
                        continue
                    marks = [m for m in base.marks if m.kind == kind and m.index == k]
                    for j, m in mark_vertices(pb, marks).items():
                        seen[(name, m.rule)][size].append(po[j] - pb[j])
    deltas: dict[int, np.ndarray] = {}
    number: dict[tuple, int] = {}
    free = max(r for _, r in seen) + 1 if seen else 1
    for (name, rule), per in seen.items():
        table = np.zeros((len(sizes), 2))
        for k, size in enumerate(sizes):
            got = np.array(per.get(size, [np.zeros(2)]))
            table[k] = got.mean(axis=0)
            res.rule_spread = max(res.rule_spread, float(np.hypot(*(got - table[k]).T).max()) * scale)
        table *= scale
        if rule not in deltas or np.allclose(deltas[rule], table, atol=1e-3):
            deltas.setdefault(rule, table)
            number[(name, rule)] = rule
        else:  # the same number means another offset in another piece: a rule of its own
            res.shared_rules = max(res.shared_rules, float(np.hypot(*(deltas[rule] - table).T).max()))
            res.renumbered += 1
            deltas[free] = table
            number[(name, rule)] = free
            free += 1
    for name, b in bases.items():  # a rule no drawn size shows (its line differs): it does not move
        for m in b.marks:
            if (name, m.rule) not in number:
                res.notes.append(f"{name}: rule {m.rule} at ({m.x:g}, {m.y:g}) not seen in the other sizes: "
                                 "offsets 0")
                number[(name, m.rule)] = m.rule if m.rule not in deltas else free
                deltas.setdefault(number[(name, m.rule)], np.zeros((len(sizes), 2)))
                free += number[(name, m.rule)] == free
    res.numbering, res.sample = dict(number), sample
    res.bases = {b.block: name for name, b in bases.items()}
    bases = {name: replace(b, marks=[replace(m, rule=number[(name, m.rule)]) for m in b.marks])
             for name, b in bases.items()}
    # 3. written as a .RUL and read back
    derived = GradeRules(tuple(sizes), sample, deltas, table=style.get("style"))
    res.rul = rul_text(derived, units="in" if unit == "in" else "mm")
    table = parse_rul(res.rul, file=f"{path.stem}.rul")
    res.pieces, res.sizes, res.rules = len(bases), len(sizes), len(table.deltas)
    # 4. grade and compare
    between: list[float] = []
    for name, base in bases.items():
        plan = plan_grading(base, chain_tol=tolerance / scale)
        b1 = _layer1(data, base.block)
        for size, other in by_name[name].items():
            if size == sample:
                continue
            g = grade_raw(base, plan, rule_offsets(plan, table, size, scale), size)
            _compare(res, data, name, size, base, g, other, b1, _layer1(data, other.block), scale, between)
    res.between_count = len(between)
    if between:
        res.between_median = float(np.median(between))
        res.between_p95 = float(np.percentile(between, 95))
    return res


def _compare(res: GradeCheck, data, name, size, base, g, cad, b1, o1, scale, between) -> None:
    def worst(attr: str, d: float, what: str) -> None:
        if d > (getattr(res, attr) or 0.0):
            setattr(res, attr, d)
            res.where[attr] = f"{what} of {name} in size {size}"

    gparts = [np.asarray(p) for p, _, _ in g.boundary]
    bparts = [np.asarray(p) for p, _, _ in base.boundary]
    marked = {(i, j) for m in base.marks if m.kind == "boundary" for i, j in _where(bparts, m.x, m.y)}
    if _same_shape(b1, o1):  # grade points on layer 1: the graded vertex at the same place
        for m in base.marks:
            if m.kind != "boundary":
                continue
            for (i, j), (k, q) in zip(_where(bparts, m.x, m.y)[:1], _where(b1, m.x, m.y)[:1], strict=False):
                d = float(np.hypot(*(gparts[i][j] - o1[k][q]))) * scale
                res.grade_point_count += 1
                worst("grade_points", d, f"grade point of rule {m.rule}")
    cparts = [np.asarray(p) for p, _, _ in cad.boundary]
    dense = aama.denser_84(data.blocks[base.block])
    free = [(i, j) for i, gp in enumerate(gparts) for j in range(len(gp)) if (i, j) not in marked]
    if free:
        d = _dist_to_lines(np.array([gparts[i][j] for i, j in free]), cparts) * scale
        between += d.tolist()
        worst("between", float(d.max()), "intermediate cut-line point")
    if not dense and _same_shape(bparts, cparts):  # layer 1: vertices correspond
        for i, j in free:
            d = float(np.hypot(*(gparts[i][j] - cparts[i][j]))) * scale
            worst("between_vertex", d, "intermediate cut-line vertex")
    for k, ((gp, *_), (cp, *_)) in enumerate(zip(g.internal, cad.internal, strict=False)):
        gp, cp, bp = np.asarray(gp), np.asarray(cp), np.asarray(base.internal[k][0])
        if len(gp) != len(cp):
            continue
        own = set(mark_vertices(bp, [m for m in base.marks if m.kind == "internal" and m.index == k]))
        for j in range(len(gp)):
            d = float(np.hypot(*(gp[j] - cp[j]))) * scale
            worst("internal_ruled" if j in own else "internal_free", d, f"point {j} of internal line {k}")
    if len(g.notches) == len(cad.notches):
        for a, b in zip(g.notches, cad.notches, strict=True):
            worst("notches", float(np.hypot(a.x - b.x, a.y - b.y)) * scale, "notch")
    if len(g.drills) == len(cad.drills):
        for a, b in zip(g.drills, cad.drills, strict=True):
            worst("drills", float(np.hypot(a[0] - b[0], a[1] - b[1])) * scale, "drill")


def write_base_pair(path, folder, check: GradeCheck | None = None) -> tuple[Path, Path]:
    """Write the sample size of the all-size export ``path`` as a base-size pattern: a copy of the
    file inserting only the sample-size blocks, their labels renumbered as in the derived table,
    and that table beside it (``<stem>-base.dxf`` and ``<stem>-base.rul`` in ``folder``): the
    pair a CAD exports for exchange. Returns their paths."""
    import ezdxf

    path = Path(path)
    check = check or check_export(path)
    doc = ezdxf.readfile(str(path))
    msp = doc.modelspace()
    for e in list(msp.query("INSERT")):
        if e.dxf.name not in check.bases:
            msp.delete_entity(e)
    for block, name in check.bases.items():
        for e in doc.blocks.get(block):
            if e.dxftype() in ("TEXT", "ATTRIB", "ATTDEF") and _LABEL.match(e.dxf.get("text", "") or ""):
                rule = int(e.dxf.text.strip().lstrip("#"))
                e.dxf.text = f"# {check.numbering.get((name, rule), rule)}"
    folder = Path(folder)
    dxf, rul = folder / f"{path.stem}-base.dxf", folder / f"{path.stem}-base.rul"
    doc.saveas(dxf)
    rul.write_text(check.rul, encoding="utf-8")
    return dxf, rul


def compare_reads(original, base_dxf, *, skip: set | None = None) -> tuple[float, float, str]:
    """Read the all-size export and the base-size pair (:func:`write_base_pair`) with kitcut's
    reader and compare the outlines of every graded piece with the drawn one: ``(largest
    Hausdorff distance mm, largest area difference %, where)``. ``skip``: ``(piece, size)``
    pairs not to compare (sizes the CAD drew turned)."""
    import shapely
    from shapely.geometry import Polygon

    from kitcut.formats.reading.read import read_pattern

    drawn = read_pattern(original, rules=False, repair=True)
    graded = read_pattern(base_dxf)
    have = {(p.name, p.size): p for p in drawn.pieces}
    worst_h, worst_a, where = 0.0, 0.0, ""
    for p in graded.pieces:
        q = have.get((p.name, p.size))
        if not p.graded or q is None or (p.name, p.size) in (skip or set()):
            continue
        h = float(shapely.hausdorff_distance(Polygon(p.outline), Polygon(q.outline)))
        a = abs(p.area - q.area) / q.area * 100.0
        if h > worst_h:
            worst_h, where = h, f"{p.name} in size {p.size}"
        worst_a = max(worst_a, a)
    return worst_h, worst_a, where
