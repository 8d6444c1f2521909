"""Read a pattern DXF (AAMA / ASTM D6673 or plain CAD) into a :class:`~kitcut.model.Pattern`.

:func:`read_dxf` opens the file (``ezdxf.readfile``, falling back to ``ezdxf.recover`` for
damaged files such as CLO's), tells AAMA block files from plain drawings, decides the units
(see :mod:`kitcut.formats.reading.units`), and builds every piece in millimetres.
"""

from __future__ import annotations

import os
import re

from kitcut.errors import DXFFormatError, GeometryError, GradeRuleError, InputError, KitcutError, UnitsError
from kitcut.formats.reading import aama, blocks, layer_numbers, plain_dxf
from kitcut.formats.reading.block_sizes import sizes_from_block_names
from kitcut.formats.reading.build import RawPiece, build_piece, largest_extent
from kitcut.formats.reading.curve_points import draw_curves
from kitcut.formats.reading.dxf_fast import (
    DxfData,
    from_ezdxf_doc,
    from_ezdxf_entity,
    parse_fast,
    repeated_blocks,
)
from kitcut.formats.reading.dxf_open import has_header_section, looks_like_dxf, open_dxf, read_bytes
from kitcut.formats.reading.encoding import decide_encoding
from kitcut.formats.reading.grade_labels import report_labels
from kitcut.formats.reading.grade_sizes import (
    expand_sizes,
    load_rules,
    no_table_reason,
    realize,
    report_unused_marks,
    resolve_rules,
)
from kitcut.formats.reading.labels import assign_quantities, distinct_names, no_sizes_named
from kitcut.formats.reading.outline import Fixer, LoopRule
from kitcut.formats.reading.piece_checks import (
    check_coordinates,
    check_fold_labels,
    check_graded_areas,
    check_total_vertices,
    check_vertices,
    simplify,
)
from kitcut.formats.reading.plain_units import checked_header_unit
from kitcut.formats.reading.rul import other_spellings
from kitcut.formats.reading.sample_nm import carry_sample_nm
from kitcut.formats.reading.sample_notches import carry_sample_notches
from kitcut.formats.reading.shrinkage_texts import report_shrinkage
from kitcut.formats.reading.sizes import (
    UnknownSizeError,
    keep_sizes,
    missing_in_sizes,
    select_sizes,
    sorted_sizes,
)
from kitcut.formats.reading.units import (
    MM_PER_UNIT,
    insunits_name,
    metric_unit,
    normalize_units,
    plausible,
    size_guess,
    units_text_name,
)
from kitcut.limits import LimitError
from kitcut.limits import check as check_limit
from kitcut.model import ImportReport, Pattern

__all__ = ["read_dxf", "open_dxf", "looks_like_dxf", "resolve_units"]


def _insunits(doc, has_header: bool):
    """``$INSUNITS`` as the file declares it: ``None`` for a file without a HEADER section."""
    return doc.header.get("$INSUNITS", None) if has_header else None


def _ezdxf_is_aama(doc) -> bool:
    """Model space inserts a block with a cut line (layer 1 or 84) of its own or in a block it
    inserts."""
    from kitcut.formats.reading.chains import CURVE_TYPES

    direct = {blk.name for blk in doc.blocks  # the type first: a damaged entity has no layer
              if any(e.dxftype() in CURVE_TYPES and e.dxf.get("layer", "") in ("1", "84") for e in blk)}
    if not direct:
        return False
    cut = blocks.reaching(direct, blocks.ezdxf_refs(doc)[1])
    return any(ins.dxf.get("name", "") in cut for ins in doc.modelspace().query("INSERT"))


_EXPLODED = "DXF entities once the block references (INSERT) are exploded"


def _check_entities(data: DxfData | None, doc, file: str) -> None:
    """The ``max_entities`` limit on the entities of the file, read by the fast reader (``data``,
    every polyline vertex counted) or by ezdxf (``doc``)."""
    if data is not None:
        ents = [*data.msp, *(e for b in data.blocks.values() for e in b)]
        count = len(ents) + sum(len(e.points) for e in ents if e.points is not None)
    else:
        count = len(doc.entitydb)
    check_limit("max_entities", count, file=file, what="DXF entities")


def _check_nested(data: DxfData, file: str) -> None:
    """The ``max_entities`` limit on the copies the AAMA reader makes of blocks nested in blocks
    (checked before :func:`blocks.explode_nested` makes them)."""
    check_limit("max_entities", blocks.nested_count(data), file=file, what=_EXPLODED)


def _check_exploded(doc, file: str) -> None:
    """The ``max_entities`` limit on the entities of a plain drawing once every INSERT is exploded."""
    top, refs = blocks.ezdxf_refs(doc)
    check_limit("max_entities", blocks.expanded_count(top, refs), file=file, what=_EXPLODED)


def resolve_units(user: str | None, header_code, units_text: str | None, *, file: str,
                  report: ImportReport, extent=None) -> tuple[str | None, str | None]:
    """``(unit, rule)`` from the user option, ``$INSUNITS`` and the ``Units:`` text, or
    ``(None, None)`` when none of them decides (then the size check runs).

    When ``$INSUNITS`` and the ``Units:`` text disagree, the one under which the largest piece
    (``extent()``, drawing units) is of plausible size wins; else the ``Units:`` text, which
    the pattern CAD writes on purpose (many writers leave ``$INSUNITS`` at a default, ezdxf's
    is metres)."""
    declared = []
    try:
        hdr = insunits_name(header_code, file=file) if header_code not in (None, 0) else None
        if hdr:
            declared.append((hdr, "$INSUNITS"))
        if units_text:
            declared.append((units_text_name(units_text, file=file), "Units text"))
    except UnitsError:
        if not user:
            raise
    if user:
        unit = normalize_units(user, file=file)
        size = extent() if extent is not None and any(u != unit for u, _ in declared) else None
        for u, rule in declared:
            if u != unit:
                doubt = ""
                if size is not None and not plausible(size, unit) and plausible(size, u):
                    doubt = (f": the largest piece is {size * MM_PER_UNIT[unit]:.4g} mm long in {unit}, "
                             f"{size * MM_PER_UNIT[u]:.4g} mm in {u}; check the units given")
                report.warn(f"--units {unit} overrides the file's {rule} ({u}){doubt}")
        return unit, "--units"
    if len(declared) == 2 and declared[0][0] != declared[1][0]:
        (hdr, _), (txt, _) = declared
        size = extent() if extent is not None else None
        fits = [u for u in (txt, hdr) if size is not None and plausible(size, u)]
        # METRIC drawn in cm, as without the header (ezdxf writes metres when it re-saves a file)
        if not fits and metric_unit(units_text, size, report.guess_units):
            report.warn(f"$INSUNITS says {hdr} but the Units text says {txt}: cm used (neither makes the "
                        f"pieces of garment size; the Units text {units_text} in cm does)")
            return "cm", "size check"
        pick = fits[0] if fits else txt
        why = f"the largest piece ({size:.4g} drawing units) is of plausible size in {pick}" if fits else \
            "the Units text is written by the pattern CAD"
        report.warn(f"$INSUNITS says {hdr} but the Units text says {txt}: {pick} used ({why})")
        return pick, ("$INSUNITS" if pick == hdr else "Units text")
    if declared == [("mm", "Units text")] and extent is not None:
        if metric_unit(units_text, extent(), report.guess_units):
            return "cm", "size check"
    return declared[0] if declared else (None, None)


def _declared_scale(user, header_code, style: dict, file: str) -> float | None:
    """mm per drawing unit as declared (option, ``$INSUNITS``, ``Units:`` text) before the
    pieces are read, else ``None``; a bad declaration is left for :func:`resolve_units` to name."""
    try:
        unit, _ = resolve_units(user, header_code, style.get("units"), file=file, report=ImportReport())
    except KitcutError:
        return None
    return MM_PER_UNIT[unit] if unit else None


def _unused_blocks(data: DxfData) -> str:
    n = sum(1 for name, ents in data.blocks.items()
            if not name.startswith(("*", "$")) and any(e.is_curve and e.layer in ("1", "84") for e in ents))
    return f" ({n} piece block(s) are defined but never inserted)" if n else ""


def _empty_writer(raw: bytes) -> str:
    """Why an empty drawing is empty, when its writer says who it is in its first comment:
    pstoedit under Ghostscript 10's PDF interpreter writes nothing from a PDF."""
    head = raw[:400].decode("latin-1", "replace")
    if re.search(r"^\s*999\s*[\r\n]+[^\r\n]*pstoedit", head, re.M | re.I):
        return ("; it was written by pstoedit, which writes no entity from a PDF under Ghostscript 10's "
                "interpreter: convert again with -psarg -dNEWPDF=false, or make a PostScript file with "
                "pdftops first")
    return ""


def _paper_space(doc) -> str:
    """A hint naming the paper space layouts that hold the drawing, if any."""
    held = [(lay.name, len(lay)) for lay in doc.layouts if not lay.is_modelspace and len(lay)]
    if not held:
        return ""
    where = ", ".join(f"'{name}' ({n} entities)" for name, n in held[:3])
    return f" (the drawing is in paper space: {where}; kitcut reads model space, move it there in the CAD)"


def _sizes_of(raws: list[RawPiece]) -> tuple[str, ...]:
    out: list[str] = []
    for r in raws:
        s = r.texts.get("size") or None
        if s and s not in out:
            out.append(s)
    return tuple(out)


def read_dxf(path, *, units: str | None = None, tolerance: float = 0.1, strict: bool = False,
             unfold: bool = True, repair: bool = False, fast: bool = True, sizes=None,
             loops: LoopRule | None = None, encoding: str | None = None, rules=None, layers=None) -> Pattern:
    """Read a pattern DXF; see :func:`kitcut.formats.reading.read.read_pattern` for the options;
    ``fast=False`` reads AAMA files with ezdxf instead of the fast reader (for comparisons)."""
    file = os.fspath(path)
    rules_path, rules_rule = resolve_rules(path, rules)
    all_sizes, graded_sizes = None, ()
    if not tolerance > 0:
        raise InputError(f"--tolerance must be positive, got {tolerance:g}", file=file)
    report = ImportReport()
    if rules_rule == "beside the pattern" and (others := other_spellings(path, rules_path)):
        report.warn(f"grade rule table {rules_path.name} read, its name spelt as the pattern's; "
                    f"{', '.join(others)} beside it, another spelling of the name, is not: give the "
                    "table you mean with --rules", headline=True)
    raw_bytes, mended = read_bytes(path, file, report)
    # a file of entities alone (no HEADER section) declares no units; ezdxf gives it default ones
    has_header = has_header_section(raw_bytes)
    try:
        text = decide_encoding(raw_bytes, encoding, report=report)
    except KitcutError as exc:
        exc.file = exc.file or file
        raise
    data = None
    if fast:
        try:
            data = parse_fast(raw_bytes, text.decode_value if text else None)
        except Exception:  # noqa: BLE001 - anything odd: the full reader decides
            data = None
    nested = aama.SkipLog()  # what exploding nested blocks left out: reported if the file is AAMA
    if data is not None:
        _check_entities(data, None, file)
        _check_nested(data, file)
        data.nested = blocks.explode_nested(data, nested)
        layer_numbers.unpad_layers(data, report)  # AAMA layers 01, 04... read as 1, 4
    doc = None
    if data is None or not aama.is_aama(data):
        if data is not None and not data.msp:
            hint = _unused_blocks(data) or _empty_writer(raw_bytes)
            raise DXFFormatError("empty drawing: model space has no entities" + hint, file=file)
        doc = open_dxf(path, report, file=file, text=text, data=raw_bytes, mended=mended)
        layer_numbers.unpad_doc_layers(doc, report)
        if len(doc.modelspace()) == 0:
            hint = _paper_space(doc)
            if not hint and len(doc.blocks) > 2:
                hint = _unused_blocks(from_ezdxf_doc(doc, 1.0))
            hint = hint or _empty_writer(raw_bytes)
            raise DXFFormatError("empty drawing: model space has no entities" + hint, file=file)
        data = None
    if data is None:
        _check_entities(None, doc, file)
    aama_doc = data is None and _ezdxf_is_aama(doc)
    # the block definitions of each name, told apart (ezdxf merges a name's definitions); only the
    # AAMA reader uses them
    repeats = repeated_blocks(raw_bytes, text.decode_value if text else None) if aama_doc else {}
    del raw_bytes
    fixer = Fixer(file, report, strict=strict, allow_repair=repair, loops=loops or LoopRule())
    skips = nested if data is not None else aama.SkipLog()
    told_apart: list[str] = []  # names that different pieces share (told apart as NAME#2...)
    try:
        if aama_doc:
            msp = DxfData([from_ezdxf_entity(e, 1.0) for e in doc.modelspace().query("TEXT MTEXT")], {})
            pre = aama.style_texts(msp, ImportReport(), aama.SkipLog())
            unit, _ = resolve_units(units, _insunits(doc, has_header), pre.get("units"), file=file,
                                    report=ImportReport())
            data = from_ezdxf_doc(doc, tolerance / (MM_PER_UNIT[unit] if unit else 25.4), repeats)
            data.insunits = _insunits(doc, has_header)  # not ezdxf's default (m) for a file without HEADER
            data.measurement = doc.header.get("$MEASUREMENT", None) if has_header else None
            _check_nested(data, file)
            data.nested = blocks.explode_nested(data, skips)
        if data is not None:
            style = aama.style_texts(data, report, skips)
            if layers:
                report.warn(f"{layers.where} not used: an AAMA/ASTM pattern's layers are the standard's")
            raws = aama.collect_aama(data, report=report, skips=skips,
                                     mm_per_unit=_declared_scale(units, data.insunits, style, file))
            if not raws:
                raise DXFFormatError("no piece blocks found", file=file)
            sizes_from_block_names(raws, report)
            # before grading, which takes a name's pieces for its sizes
            told_apart = distinct_names(raws, report)
            unit, rule = resolve_units(units, data.insunits, style.get("units"), file=file, report=report,
                                       extent=lambda: largest_extent(raws))
            if rule == "$INSUNITS":  # the header alone: absurd piece sizes make it doubtful, as in plain DXF
                unit, rule = checked_header_unit(largest_extent(raws), unit, report, file)
            if unit is None:
                ext = largest_extent(raws)
                unit, note = size_guess(ext, file=file, imperial=data.measurement == 0)
                rule = "size check"
                report.guess_units(note)
            scale = MM_PER_UNIT[unit]
            if rules_path is not None:
                for r in raws:  # where its labels were taken, when a table grades by them
                    report_labels(r, report, scale)
                table = load_rules(rules_path, style=style, unit=unit, encoding=encoding, text=text,
                                   raws=raws, pattern=path, report=report)
                raws, all_sizes, graded_sizes = expand_sizes(
                    raws, table, scale=scale, chain_tol=tolerance / scale, report=report, style=style,
                    file=file)
            else:
                report_unused_marks(raws, report, no_table_reason(path, rules))
        else:
            if rules_path is not None:
                report.warn(f"grade rule table {rules_path} not used: a plain DXF has no grade points")
                rules_path = rules_rule = None
            _check_exploded(doc, file)
            hdr = _insunits(doc, has_header)
            unit, rule = resolve_units(units, hdr, None, file=file, report=report)
            raws, style, unit, rule = plain_dxf.collect_plain(
                doc, unit=unit, rule=rule, tolerance=tolerance, fixer=fixer, skips=skips, file=file,
                layers=layers)
            told_apart = distinct_names(raws, report)
            scale = 1.0  # plain pieces are already in mm
        check_total_vertices(raws, file)
        draw_curves(raws, report, tolerance / scale)
        assign_quantities(raws, report)
        carry_sample_notches(raws, report)
        carry_sample_nm(raws, report)
        if all_sizes is None:
            all_sizes = _sizes_of(raws)
        try:
            wanted = select_sizes(all_sizes, sizes, file=file)
        except UnknownSizeError as exc:
            if rules_path is None and any(r.marks for r in raws):  # a table would grade the size
                exc.message += ("; the pattern has grade rule labels (# n): give its grade rule table with "
                                "--rules FILE.RUL to grade the sizes it lists")
            raise
        if wanted and not all_sizes:
            report.warn(no_sizes_named(wanted, told_apart), headline=True)
        pieces = []
        defects = []
        for r in raws:
            size = r.texts.get("size") or None
            try:
                r = realize(r, report, file)
                check_vertices(r, file)
                check_coordinates(r, scale, file)
                piece = build_piece(r, scale, tol=tolerance, unfold=unfold, fixer=fixer, file=file)
                piece = simplify(piece, tolerance, fixer)
            except (GeometryError, LimitError, GradeRuleError) as exc:
                defects.append((size, exc))
                continue
            pieces.append(piece)
        check_graded_areas(pieces, sorted_sizes(all_sizes or ()), report)
        missing_in_sizes(pieces, wanted or all_sizes or (), report)
        drawn = {p.name for p in pieces}
        pieces = keep_sizes(pieces, defects, wanted, all_sizes, report)
        not_cut = tuple(sorted(drawn - {p.name for p in pieces}))
        check_fold_labels(pieces, report)
        report_shrinkage(pieces, report)
    except KitcutError as exc:
        if exc.file is None:
            exc.file = file
        raise
    finally:
        skips.flush(report)
    if not pieces:
        raise DXFFormatError("no pieces found", file=file)
    return Pattern(
        sizes=all_sizes,
        names_not_cut=not_cut,
        pieces=tuple(pieces),
        style=style.get("style") or None,
        source=file,
        units="mm",
        units_in=unit,
        units_rule=rule,
        report=report,
        encoding=text.encoding if text else None,
        graded_sizes=graded_sizes,
        rules_file=None if rules_path is None else os.fspath(rules_path),
        rules_rule=rules_rule,
    )
