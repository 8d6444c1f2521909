"""Write a graded pattern as CAD exchanges it: an AAMA DXF with grade rule labels plus its ``.RUL``.

:func:`write_graded` writes the sample size alone (the usual exchange pair: ``style.dxf`` and
``style.rul``), or with ``all_sizes=True`` every size with the labels in the sample-size blocks
(as AccuMark's all-size exports carry them). The grade points and rules come from
:func:`~kitcut.formats.writing.grade_derive.derive_grading`; read back with the ``.RUL`` beside
it, the base-size file gives every size of the pattern again (within the derivation's tolerance,
0.05 mm by default). Output is deterministic, like :mod:`kitcut.formats.writing.aama_write`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kitcut.errors import KitcutError
from kitcut.formats.writing.aama_write import aama_document, as_written, save_aama_document
from kitcut.formats.writing.grade_derive import GRADE_TOL_MM, GradedPattern, derive_grading
from kitcut.formats.writing.rul_write import write_rul
from kitcut.model import Pattern

__all__ = ["write_graded"]


def write_graded(pattern: Pattern, path, *, sample: str | None = None, units: str = "mm",
                 folded: bool = False, all_sizes: bool = False, rules_path=None,
                 tolerance: float = GRADE_TOL_MM) -> GradedPattern:
    """Write ``pattern`` (every size drawn) as an AAMA DXF at ``path`` with grade rule labels
    and its grade rule table at ``rules_path`` (default: ``path`` with the suffix ``.rul``).

    ``sample`` is the size written with labels (default: the middle size); without
    ``all_sizes`` it is the only size in the DXF. ``folded`` writes fold pieces as halves with
    their fold line (graded as halves). Returns what was derived.
    """
    path = Path(path)
    try:
        written = replace(pattern, pieces=tuple(as_written(p, folded) for p in pattern.pieces))
        graded = derive_grading(written, sample=sample, tolerance=tolerance)
        keep = [i for i, p in enumerate(written.pieces)
                if all_sizes or p.size in (graded.rules.sample, None)]
        out = replace(written, pieces=tuple(written.pieces[i] for i in keep))
        grades = {k: graded.grades[i] for k, i in enumerate(keep) if i in graded.grades}
        doc = aama_document(out, units=units, folded=folded, grades=grades,
                            sample_size=graded.rules.sample, rule_table=graded.rules.table)
    except KitcutError as exc:
        exc.file = exc.file or str(path)
        raise
    save_aama_document(doc, path)
    write_rul(graded.rules, rules_path or path.with_suffix(".rul"), units=units)
    return graded
