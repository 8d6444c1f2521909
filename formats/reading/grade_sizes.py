"""Which sizes of a pattern are drawn and which are graded from its sample size.

A pattern DXF read with a grade rule table (:mod:`kitcut.formats.reading.rul`) holds every size
of the table: a size drawn in the file is read as drawn; every other size of the table is
graded from the piece's sample-size block (:mod:`kitcut.formats.reading.grading`). The sizes are
the table's SIZE LIST (then any size drawn in the file that the table lacks). A graded piece is
made only when the reader builds it (:func:`realize`), so a defect of a graded size that a job
does not cut is a warning, as for drawn sizes.

Where the table comes from (:func:`resolve_rules`): ``--rules FILE`` (or an order's ``rules``),
else a ``.rul`` beside the pattern with the same stem (any case), else none.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

from kitcut.errors import GeometryError, GradeRuleError, KitcutError
from kitcut.formats.reading.block_sizes import split_block_name
from kitcut.formats.reading.build import RawPiece
from kitcut.formats.reading.grading import grade_raw, plan_grading, rule_offsets
from kitcut.formats.reading.rul import GradeRules, find_rules, read_rul
from kitcut.formats.reading.rul_units import checked_rule_units
from kitcut.formats.reading.sizes import UnknownSizeError, select_sizes
from kitcut.model import ImportReport

__all__ = ["resolve_rules", "no_table_reason", "expand_sizes", "realize", "report_unused_marks"]


def resolve_rules(pattern_path, rules) -> tuple[Path | None, str | None]:
    """``(path, rule)`` of the grade rule table for ``pattern_path``: ``rules`` a path (given:
    ``"--rules"``), ``None`` (look beside the pattern: ``"beside the pattern"``) or ``False``
    (none)."""
    if rules is False:
        return None, None
    if rules not in (None, True, ""):
        return Path(rules), "--rules"
    found = find_rules(pattern_path)
    return (found, "beside the pattern") if found is not None else (None, None)


def no_table_reason(pattern_path, rules) -> str:
    """Why the grade rule labels of a pattern read without a table grade nothing: none beside it,
    or ``--no-rules`` (``rules`` False) leaving out the one that is."""
    try:
        found = find_rules(pattern_path) if rules is False else None
    except GradeRuleError:  # several beside it: --no-rules left them all out
        found = None
    if found is not None:
        return f"--no-rules leaves out the grade rule table beside the pattern ({found.name})"
    return ("no grade rule table (.RUL) beside the pattern; give one with --rules FILE to grade the other "
            "sizes")


def _beside_hint(exc: GradeRuleError, table, pattern) -> GradeRuleError:
    """``exc`` saying how to do without the table when it is the one beside the pattern."""
    try:
        beside = pattern is not None and table is not None and find_rules(pattern) == Path(table)
    except GradeRuleError:
        beside = False
    if not beside:
        return exc
    # "--no-rules" only: an order's message words it as its own field (it said both, twice over)
    return GradeRuleError(f"{exc.message} (the grade rule table beside the pattern is read by default: "
                          "--no-rules cuts the sizes the DXF draws without it)",
                          file=exc.file, piece=exc.piece)


def load_rules(path: Path, *, style: dict, unit: str, text=None, encoding: str | None = None,
               raws: list[RawPiece] = (), pattern=None, report: ImportReport | None = None) -> GradeRules:
    """Read the table, with the DXF's ``Sample Size:`` text (else the one size ``raws`` draw)
    and units as fallbacks, in the encoding of the pattern's texts (``text``, the reader's
    decoding) or ``encoding`` (``--encoding``) when it is neither UTF-8 nor UTF-16. An error in
    the table beside ``pattern`` says how to do without it. Its ``UNITS`` line is checked
    against how far its rules move a point (:mod:`~kitcut.formats.reading.rul_units`), said in
    ``report``."""
    like = text.codec if text is not None and text.rule != "ascii" else None
    drawn = {_size_of(r) for r in raws} - {None}
    sample = style.get("sample_size") or (next(iter(drawn)) if len(drawn) == 1 else None)
    try:
        table = read_rul(path, sample=sample, units=unit, like=like, encoding=encoding)
    except GradeRuleError as exc:
        raise _beside_hint(exc, path, pattern) from None
    named = style.get("rule_table")
    if named and table.table and _table_key(named) != _table_key(table.table):
        raise _beside_hint(GradeRuleError(
            f"the pattern names its grade rule table {named!r} (its Grade Rule Table text), but this "
            f"table is {table.table!r}: another style's rules would grade its pieces (numbered 1, 2, ... "
            "in every table, they fit); give the pattern's own table with --rules FILE", file=str(path)),
            path, pattern) from None
    if sample and not style.get("sample_size"):
        said = f"the table names no SAMPLE SIZE: {sample} taken from the pattern"
        now = f"the table names no SAMPLE SIZE: {sample}, the one size the DXF draws, taken for it"
        table = replace(table, notes=tuple(n.replace(said, now) for n in table.notes))
    if report is not None:
        table = checked_rule_units(table, unit, report, raws)
        _flat_table(table, path, report)
    return table


def _table_key(name: str) -> str:
    r"""A grade rule table's name as compared: without a folder, a ``.rul`` ending, case or runs of
    blanks (``C:\RULES\Missy.RUL`` and ``MISSY`` are one table).

    >>> _table_key("C:\\RULES\\Missy.RUL") == _table_key(" missy ")
    True
    """
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1].strip()
    if base.lower().endswith(".rul"):
        base = base[:-4]
    return " ".join(base.casefold().split())


def _flat_table(table: GradeRules, path: Path, report: ImportReport) -> None:
    """Say, on the main job's line, a table whose every rule moves no point in any size: each
    size it grades is the sample size again under another name (a PolyPattern table of one rule,
    all 0.00, graded XS to XL as five identical garments without a word)."""
    others = [s for s in table.sizes if s != table.sample]
    if not others or not table.deltas:
        return
    if all(not np.any(d) for d in table.deltas.values()):
        report.warn(f"grade rule table {path.name}: every rule moves every point by 0 in every size, so "
                    f"sizes {', '.join(others)} are graded as the sample size {table.sample} again (is the "
                    "table complete? --no-rules leaves it out)", headline=True)


def _table_spelling(raws: list[RawPiece], table: GradeRules, style: dict, report: ImportReport) -> None:
    """Size texts that name a size of the table another way (``Medium`` for ``M``, as
    ``--sizes`` matches them) take the table's spelling, said."""
    seen: dict[str, str] = {}
    for holder, key in [*((r.texts, "size") for r in raws), (style, "sample_size")]:
        size = holder.get(key)
        if not size or size in table.sizes:
            continue
        same = [t for t in table.sizes if size.strip().casefold() == t.casefold()]
        if same:  # ``m`` for the table's ``M``: the sample's pieces were never cut (selected as "m")
            holder[key] = seen.setdefault(size, same[0])
            continue
        try:
            (hit,) = select_sizes(table.sizes, [size])
        except UnknownSizeError:
            continue
        holder[key] = seen.setdefault(size, hit)
    if seen:
        shown = ", ".join(f"{a} as {b}" for a, b in seen.items())
        report.warn(f"size texts read as the grade rule table's sizes they stand for: {shown}")


def report_unused_marks(raws: list[RawPiece], report: ImportReport, why: str) -> None:
    """One skipped entry for the grade rule labels of ``raws`` that grade nothing."""
    used = [r for r in raws if r.marks]
    if used:
        n = sum(len(r.marks) for r in used)
        blocks = ", ".join(sorted({r.block or r.key for r in used})[:6]) + (" ..." if len(used) > 6 else "")
        report.skip(f"grade rule labels (# n): {n} in {len(used)} block(s) not used: {why}", entity=blocks)


def _size_of(r: RawPiece) -> str | None:
    return r.texts.get("size") or None


def _sizes_from_block_names(raws: list[RawPiece], table: GradeRules, report: ImportReport) -> None:
    """A block with no ``Size:`` text named ``<piece>_<size>`` (AccuMark) or ``<piece>-<size>`` for a
    size of the table is that size; with no ``Piece Name:`` text either, it is that piece."""
    by_size = {s.casefold(): s for s in table.sizes}
    named = []
    for r in raws:
        block = r.block or r.key
        split = split_block_name(block, r"_\-")
        if _size_of(r) is not None or split is None or split[1].casefold() not in by_size:
            continue
        stem, tail = split
        r.texts["size"] = by_size[tail.casefold()]
        if not r.texts.get("name"):
            r.texts["name"] = stem
        named.append(f"{block} → {r.texts['name']} ({r.texts['size']})")
    if named:
        shown = ", ".join(named[:6]) + (f" and {len(named) - 6} more" if len(named) > 6 else "")
        report.warn(f"{len(named)} piece block(s) without a Size text: the size taken from the block name, "
                    f"<piece>_<size> as AccuMark names its blocks, the piece name too where no Piece Name "
                    f"text gives it: {shown}")


def expand_sizes(raws: list[RawPiece], table: GradeRules, *, scale: float, chain_tol: float,
                 report: ImportReport, style: dict, file: str) -> tuple[list[RawPiece], tuple, tuple]:
    """The pieces of every size: ``(raws, sizes, graded_sizes)``. Graded sizes are placeholders
    that :func:`realize` turns into graded pieces."""
    sample = table.sample
    _table_spelling(raws, table, style, report)
    said = style.get("sample_size")
    if said and said.strip().casefold() != sample.casefold():
        report.warn(f"the pattern says Sample Size: {said.strip()}, the grade rule table {sample}: the "
                    f"table's sample size {sample} is graded from", headline=True)
    for note in table.notes:
        report.warn(f"grade rule table {Path(table.file).name if table.file else ''}: {note}")
    _sizes_from_block_names(raws, table, report)
    groups: dict[str, list[RawPiece]] = defaultdict(list)
    for r in raws:
        groups[r.name].append(r)
    drawn_sizes = [s for s in dict.fromkeys(_size_of(r) for r in raws) if s]
    extra = [s for s in drawn_sizes if s not in table.sizes and
             not any(s.casefold() == t.casefold() for t in table.sizes)]
    sizes = (*table.sizes, *extra)
    rank = {s.casefold(): i for i, s in enumerate(sizes)}
    if extra:
        report.warn(f"size(s) {', '.join(extra)} drawn in the file are not in the grade rule table (it has "
                    f"{' '.join(table.sizes)}): read as drawn, not graded")
    out: list[RawPiece] = []
    graded: set[str] = set()
    unused: list[RawPiece] = []
    bases = 0
    for name, group in groups.items():
        base = next((r for r in group if (_size_of(r) or "").casefold() == sample.casefold()), None)
        if base is None:
            unsized = [r for r in group if _size_of(r) is None]
            if len(unsized) == 1 and (unsized[0].marks or len(group) == 1):
                base = unsized[0]
                base.texts["size"] = sample
                report.warn(f"no Size text: its block {base.block or base.key} is taken for the grade rule "
                            f"table's sample size {sample}", piece=name)
        if base is None:
            if any(_size_of(r) for r in group):
                have = ", ".join(s for s in dict.fromkeys(_size_of(r) for r in group) if s)
                report.warn(f"no block of the sample size {sample} (drawn: {have}): the other sizes are not "
                            "graded", piece=name, headline=True)
            unused += [r for r in group if r.marks]
            out += sorted(group, key=lambda r: rank.get((_size_of(r) or "").casefold(), -1))
            continue
        bases += 1
        unused += [r for r in group if r is not base and r.marks]
        have = {(_size_of(r) or "").casefold() for r in group}
        if not base.marks and any(size.casefold() not in have for size in table.sizes):  # one is graded
            report.warn(f"no grade rule labels (# n) in its sample size {sample}: the same in every size",
                        piece=name, headline=True)
        cache: dict = {}
        for size in table.sizes:
            if size.casefold() in have:
                continue
            texts = dict(base.texts)
            texts["size"] = size
            texts.setdefault("name", base.name)  # a block without a name text: named like its sample
            out.append(replace(base, key=f"{base.key}@{size}", texts=texts, graded=True,
                               pending=(base, table, scale, chain_tol, cache)))
            graded.add(size)
        out += group
    if not bases:
        have = ", ".join(drawn_sizes) or "no size texts"
        raise _beside_hint(GradeRuleError(f"the grade rule table's sample size {sample} is not a size of the "
                                          f"pattern ({have}): nothing to grade from", file=table.file),
                           table.file, file)
    report_unused_marks(unused, report, "only the sample size's labels grade (these sizes are drawn)")
    order = {name: i for i, name in enumerate(groups)}
    out.sort(key=lambda r: (order.get(r.name, len(order)), rank.get((_size_of(r) or "").casefold(), -1)))
    return out, sizes, tuple(s for s in sizes if s in graded)


def realize(r: RawPiece, report: ImportReport, file: str) -> RawPiece:
    """The graded raw piece of a placeholder made by :func:`expand_sizes` (others as they are)."""
    if r.pending is None:
        return r
    base, table, scale, chain_tol, cache = r.pending
    size = r.texts["size"]
    label = f"{r.name} ({size})"
    try:
        if "plan" not in cache:
            cache["plan"] = plan_grading(base, chain_tol=chain_tol)
            turned = cache["plan"].turned_deg
            if abs((turned + 180.0) % 360.0 - 180.0) > 1e-6:
                report.warn(f"grade rules applied along the grade reference line (layer 5), turned by "
                            f"{turned:.1f}° from the drawing's x axis", piece=r.name)
        D = rule_offsets(cache["plan"], table, size, scale)
        graded = grade_raw(base, cache["plan"], D, size)
    except KitcutError as exc:
        raise GradeRuleError(exc.message, file=file, piece=label) from None
    except (ValueError, ArithmeticError, IndexError) as exc:  # geometry no grade can be made of
        raise GeometryError(f"cannot be graded: {type(exc).__name__}: {exc}", file=file,
                            piece=label) from None
    graded.quantity, graded.flipped, graded.quantity_rule = r.quantity, r.flipped, r.quantity_rule
    return graded
