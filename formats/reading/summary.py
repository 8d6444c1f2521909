"""What a pattern holds, as plain data: the rows of ``nest info`` and its ``--json`` object.

:func:`pattern_summary` is a pure function (Pattern -> dict of JSON types) that kits reuse.
Areas and sizes are in mm (mm² for areas) for DXF patterns, in the instance's unit for
benchmark instances (``units``). ``area_mm2`` is the area of the full piece: a fold piece kept
as a half (``--keep-folded``) counts twice.
"""

from __future__ import annotations

from kitcut.model import Pattern, Piece

__all__ = ["piece_summary", "pattern_summary"]


def _full_area(p: Piece) -> float:
    return p.area * (2.0 if p.folded and not p.unfolded else 1.0)


def piece_summary(p: Piece) -> dict:
    """One piece as a JSON-ready dict (see :func:`pattern_summary`)."""
    return {
        "name": p.name,
        "size": p.size,
        "quantity": p.quantity,
        "flipped": p.flipped,
        "quantity_rule": p.quantity_rule,
        "area_mm2": round(_full_area(p), 3),
        "width_mm": round(p.width, 3),
        "height_mm": round(p.height, 3),
        "has_grain": p.grain is not None,
        "grain_angle_deg": None if p.grain is None else round(p.grain.angle_deg, 3),
        "notches": len(p.notches),
        "drills": len(p.drills),
        "cutouts": len(p.cutouts),
        "internal_lines": len(p.internal_lines),
        "sew_lines": len(p.sew_lines),
        "folded": p.folded,
        "unfolded": p.unfolded,
        "category": p.category,
        "material": p.material,
        "block": p.source.block,
        "layer": p.source.layer,
        "allowed_rotations": None if p.allowed_rotations is None else list(p.allowed_rotations),
        "match": None if p.match is None else p.match.axes,
        "graded": p.graded,
    }


def pattern_summary(pattern: Pattern) -> dict:
    """The ``nest info --json`` object of ``pattern``.

    >>> from kitcut.model import Pattern, Piece
    >>> s = pattern_summary(Pattern((Piece("Cuff", [(0, 0), (100, 0), (100, 50), (0, 50)], quantity=2),)))
    >>> s["total_area_mm2"], s["piece_count"], s["copies"]
    (10000.0, 1, 2)
    """
    pieces = [piece_summary(p) for p in pattern.pieces]
    total = sum(_full_area(p) * p.quantity for p in pattern.pieces)
    enc = pattern.encoding
    return {
        "file": pattern.source,
        "units": pattern.units,
        "units_in": pattern.units_in,
        "units_rule": pattern.units_rule,
        "encoding": enc.name if enc else None,
        "encoding_rule": enc.rule if enc else None,
        "encoding_confidence": enc.confidence if enc else None,
        "encoding_declared": enc.declared if enc else None,
        "style": pattern.style,
        "sizes": list(pattern.size_names),
        "graded_sizes": list(pattern.graded_sizes),
        "rules": pattern.rules_file,
        "rules_rule": pattern.rules_rule,
        "fabric_width": pattern.fabric_width,
        "pieces": pieces,
        "total_area_mm2": round(total, 3),
        "piece_count": len(pieces),
        "copies": pattern.copies,
        "repairs": len(pattern.report.repairs),
        "skipped": len(pattern.report.skipped),
        "warnings": [str(e) for e in pattern.report.entries],
        "layers": [{"name": k, **v} for k, v in pattern.report.layers.items()],
    }
