"""Is a grade rule table's ``UNITS`` line right? Checked against what its rules do to the pieces.

A ``.RUL`` says its unit in one line (``UNITS: ENGLISH`` or ``METRIC``), and a table edited by
hand, converted by a script or exported with a template of the other system can say the wrong
one. Read as inches, a metric table moves every point 25.4 times too far: a front graded one size
down loses half a metre of width, and each graded size is cut wrong without a word.

How far a table moves a point says little on its own: a glove graded in half sizes moves under a
millimetre a size, bedding or length grading (Short, Regular, Long) more than 60 mm, and a
children's table misread as inches 124 mm. What a wrong unit does that no right table does is
turn pieces inside out: two grade points of the cut line at least half the piece apart change
sides (their distance vector points the other way) in some size. :func:`checked_rule_units`
looks for that:

- the table turns pieces inside out in its own unit and in none in the pattern's (the pattern
  says another unit): read in the pattern's unit, said on a line of its own;
- it turns them inside out either way: graded as written, said;
- otherwise the table is graded as written; one whose rules move a point less than
  :data:`TINY_STEP_MM` a size (an inch table saying METRIC moves 0.2 to 0.9 mm) is said, with
  what the other units would make of it, as a doubt, not a correction.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from kitcut.errors import GradeRuleError, KitcutError
from kitcut.formats.reading.build import RawPiece, largest_extent
from kitcut.formats.reading.grading import plan_grading, rule_offsets
from kitcut.formats.reading.rul import GradeRules
from kitcut.formats.reading.units import MM_PER_UNIT, UNIT_WORDS
from kitcut.model import ImportReport

__all__ = ["TINY_STEP_MM", "median_step", "inside_out", "checked_rule_units"]

#: A table whose median rule step is under this (mm a size) is doubted in a remark
TINY_STEP_MM = 0.5

_SAID = {"mm": "METRIC", "cm": "METRIC (cm)", "in": "ENGLISH"}



def median_step(table: GradeRules) -> float | None:
    """The median over the rules that move of a rule's largest step (mm) between two
    neighbouring sizes of the table; ``None`` when no rule moves."""
    steps = []
    for d in table.deltas.values():
        d = np.asarray(d, dtype=np.float64)
        if len(d) < 2:
            continue
        step = float(np.hypot(*np.diff(d, axis=0).T).max())
        if step > 1e-9:
            steps.append(step)
    return float(np.median(steps)) if steps else None


def _turns_over(raw: RawPiece, table: GradeRules, scale: float) -> bool:
    """Whether grading ``raw`` (a sample-size piece, drawing units of ``scale`` mm) with ``table``
    turns it inside out in some size: two grade points of its cut line at least half its largest
    extent apart whose distance vector points the other way."""
    marks = [m for m in raw.marks if m.kind == "boundary"]
    if len(marks) < 2:
        return False
    pos = np.array([(m.x, m.y) for m in marks])
    v = pos[None, :, :] - pos[:, None, :]
    far = np.hypot(v[..., 0], v[..., 1]) >= 0.5 * (largest_extent([raw]) or 0.0)
    if not far.any():
        return False
    try:
        plan = plan_grading(raw, chain_tol=0.1 / scale)
        index = {r: k for k, r in enumerate(plan.rules)}
        at = np.array([index[m.rule] for m in marks])
        for size in table.sizes:
            if size.casefold() == table.sample.casefold():
                continue
            D = rule_offsets(plan, table, size, scale)[at]
            w = v + D[None, :, :] - D[:, None, :]
            if ((w * v).sum(axis=-1)[far] <= 0.0).any():
                return True
    except (KitcutError, KeyError, ValueError):  # a rule the table lacks: the grading says it
        return False
    return False


def inside_out(raws: list[RawPiece], table: GradeRules, scale: float) -> list[str]:
    """The names of the sample-size pieces of ``raws`` that ``table`` turns inside out."""
    sample = table.sample.casefold()
    return [r.name for r in raws if r.marks and (r.texts.get("size") or sample).casefold() == sample
            and _turns_over(r, table, scale)]


def _in_unit(table: GradeRules, unit: str) -> GradeRules:
    ratio = MM_PER_UNIT[unit] / MM_PER_UNIT[table.units]
    deltas = {n: np.asarray(d, dtype=np.float64) * ratio for n, d in table.deltas.items()}
    return replace(table, deltas=deltas, units=unit)


def _shown(names: list[str]) -> str:
    return ", ".join(names[:4]) + (" ..." if len(names) > 4 else "")


def checked_rule_units(table: GradeRules, unit: str, report: ImportReport,
                       raws: list[RawPiece] = ()) -> GradeRules:
    """``table`` as the pattern's pieces ``raws`` (drawing units of ``unit``) are graded with:
    read in the pattern's unit instead of its own where only that keeps every piece the right
    way out; said where it turns pieces inside out either way, or moves points implausibly
    little (see the module docstring). Tables that say no unit took the pattern's already."""
    if table.units not in MM_PER_UNIT or unit not in MM_PER_UNIT:
        return table
    scale = MM_PER_UNIT[unit]
    where = f"grade rule table {Path(table.file).name}" if table.file else "the grade rule table"
    if "UNITS" in (table.header or {}):
        said = f"says UNITS: {_SAID.get(table.units, table.units)}, which"
        fix = "check its UNITS line"
    else:  # the pattern's unit was taken: no line to quote (it quoted "UNITS: METRIC", not there)
        said = f"has no UNITS line; read in the pattern's unit ({table.units}), it"
        fix = "give it a UNITS line"
    step = median_step(table)
    try:
        over = inside_out(raws, table, scale)
    except GradeRuleError:
        over = []
    if over:
        if unit != table.units and not inside_out(raws, theirs := _in_unit(table, unit), scale):
            report.warn(f"{where} {said} turns {len(over)} piece(s) inside out in some size "
                        f"({_shown(over)}: grade points of their cut line change sides); read in the "
                        f"pattern's unit ({unit}), every piece keeps its shape. If the table is right, check "
                        "the pattern's units", headline=True)
            return theirs
        report.warn(f"{where} {said} turns {len(over)} piece(s) inside out in some size "
                    f"({_shown(over)}: grade points of their cut line change sides): {fix} "
                    "and its values", headline=True)
        return table
    if step is not None and step < TINY_STEP_MM:
        others = [f"{UNIT_WORDS[u]} {step * MM_PER_UNIT[u] / MM_PER_UNIT[table.units]:.3g} mm"
                  for u in ("cm", "in") if MM_PER_UNIT[u] > MM_PER_UNIT[table.units]]
        hint = f" (read in {' or '.join(others)})" if others else ""
        report.warn(f"{where} {said} moves its points by {step:.2g} mm a size (median over "
                    f"its rules), hardly grading at all{hint}: if the sizes come out alike, {fix}",
                    headline=True)
    return table
