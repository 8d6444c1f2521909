"""Is a grade rule table's ``UNITS`` line right? Checked against how far its rules move a point.

A ``.RUL`` says its unit in one line (``UNITS: ENGLISH`` or ``METRIC``), and a table edited by
hand, converted by a script or exported with a template of the other system can say the wrong
one. Read as inches, a metric table moves every point 25.4 times too far: a front graded one size
up grows by a quarter of a metre, and each graded size is cut wrong without a word.

Grading moves a point by millimetres a size, not by decimetres nor tenths of a millimetre: over
the real all-size exports in ``../shared/data/dxf`` (their tables derived by
:mod:`kitcut.formats.reading.grade_check`) the median over a table's rules of a rule's largest
step between two neighbouring sizes is 4.9 to 22.7 mm. Read in the wrong unit, the same tables
give 124 to 576 mm, or 0.19 to 0.9 mm. :func:`checked_rule_units` takes the pattern's unit
instead of the table's where only the pattern's makes the steps plausible, and says so.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from kitcut.formats.reading.rul import GradeRules
from kitcut.formats.reading.units import MM_PER_UNIT
from kitcut.model import ImportReport

__all__ = ["PLAUSIBLE_STEP_MM", "median_step", "checked_rule_units"]

#: the median rule step (mm a size) of a grade rule table read in its right unit lies in here
PLAUSIBLE_STEP_MM = (1.0, 60.0)

_WORD = {"mm": "millimetres", "in": "inches"}
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


def _plausible(step: float) -> bool:
    lo, hi = PLAUSIBLE_STEP_MM
    return lo <= step <= hi


def checked_rule_units(table: GradeRules, unit: str, report: ImportReport) -> GradeRules:
    """``table`` read in the pattern's ``unit`` instead of its own when its own makes the rules'
    steps implausible and the pattern's does not (a headline warning); a warning only when
    neither unit helps. Tables that say no unit took the pattern's already."""
    step = median_step(table)
    if step is None or _plausible(step) or table.units not in MM_PER_UNIT:
        return table
    where = f"grade rule table {Path(table.file).name}" if table.file else "the grade rule table"
    said = f"UNITS: {_SAID.get(table.units, table.units)}"
    ratio = MM_PER_UNIT[unit] / MM_PER_UNIT[table.units]
    if unit != table.units and _plausible(step * ratio):
        report.warn(f"{where} says {said}, which moves its points by {step:.4g} mm a size (median over "
                    f"its rules), no grading; read in the pattern's unit ({unit}): {step * ratio:.3g} mm a "
                    f"size. If the table is right, check the pattern's units", headline=True)
        deltas = {n: np.asarray(d, dtype=np.float64) * ratio for n, d in table.deltas.items()}
        return replace(table, deltas=deltas, units=unit)
    hint = "check its UNITS line and its values"
    for other in ("mm", "in"):
        alt = step * MM_PER_UNIT[other] / MM_PER_UNIT[table.units]
        if other != table.units and _plausible(alt):
            hint = f"in {_WORD[other]} it would be {alt:.3g} mm a size: check its UNITS line"
    report.warn(f"{where} says {said}, which moves its points by {step:.4g} mm a size (median over its "
                f"rules), {'more' if step > PLAUSIBLE_STEP_MM[1] else 'less'} than grading does; {hint}",
                headline=True)
    return table
