"""One entry point for every pattern format kitcut reads.

>>> from kitcut.formats.reading.read import read_pattern  # doctest: +SKIP
>>> pattern = read_pattern("tee.dxf", units="cm")  # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path

from kitcut.errors import GeometryError, InputError
from kitcut.fileio import read_input
from kitcut.formats.reading.encoding import check_encoding
from kitcut.formats.reading.layer_roles import LayerRoles
from kitcut.limits import check as check_limit
from kitcut.model import Pattern

__all__ = ["read_pattern", "sniff", "check_quantities", "check_coordinates"]


def sniff(path) -> str:
    """``"json"`` or ``"dxf"`` from the file's first bytes; a file named ``.dxf`` is a DXF whatever
    it starts with."""
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", file=os.fspath(path))
    if p.is_dir():
        raise InputError("is a folder, not a pattern file", file=os.fspath(path))
    try:
        head = read_input(p, 64).lstrip(b"\xef\xbb\xbf").lstrip()
    except OSError as exc:  # a named pipe would wait for a writer for ever
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=os.fspath(path)) from None
    if head.startswith((b"{", b"[")) and p.suffix.lower() != ".dxf":  # a damaged .dxf starting with
        return "json"  # '{' was "not a valid JSON instance ('utf-8' codec can't decode byte 0xa9...)"
    if not head and p.suffix.lower() == ".json":
        return "json"
    return "dxf"


def read_pattern(path, *, units: str | None = None, tolerance: float = 0.1, strict: bool = False,
                 unfold: bool = True, repair: bool = False, sizes=None, loops=None,
                 encoding: str | None = None, rules=None, layers=None) -> Pattern:
    """Read a pattern file: AAMA / ASTM D6673 DXF, plain DXF, or a jagua-rs JSON instance.

    ``units`` overrides the drawing units of a DXF ("mm", "cm", "m", "in", "ft", "px", "metric",
    "english"); ``tolerance`` (mm) is the chord tolerance for curves and the largest gap closed
    in a cut line; ``strict`` makes every repair an error; ``unfold=False`` keeps fold pieces as
    halves (``folded=True``); ``repair`` fixes every self-intersecting outline, ``loops`` (a
    :class:`~kitcut.formats.reading.outline.LoopRule`) says which tiny loops are repaired without it.
    ``sizes`` (names) reads only those sizes (and pieces without a size): a piece of another
    size that cannot be used is a warning, not an error; ``pattern.sizes`` still lists every
    size of the file. ``encoding`` forces the text encoding of a DXF ("gbk", "big5", "cp932",
    "utf-8", "cp1252"...; default: declared or detected, see :mod:`kitcut.formats.reading.encoding`).
    ``rules`` is the grade rule table (``.RUL``) of an AAMA/ASTM pattern: a path, ``None`` (a
    ``.rul`` beside the pattern with the same stem, any case, if there is one) or ``False``
    (none); the sizes of the table that the file does not draw are graded from its sample size
    (``pattern.sizes`` is the table's size list, ``pattern.graded_sizes`` the graded ones, each
    graded piece ``graded=True``; see :mod:`kitcut.formats.reading.grading`).
    ``layers`` (a :class:`~kitcut.formats.reading.layer_roles.LayerRoles`, or a mapping of layer
    name patterns to roles, ``{"L23": "grain"}``) says what layers of a plain DXF hold (cut
    lines, marks, grain, fold, sew, notches, drills, a frame, or nothing to read),
    before the reader's guess from their names.
    Every repair, skipped entity and doubt is in ``pattern.report``; ``pattern.encoding``
    says how the texts were decoded.
    """
    if layers is not None and not isinstance(layers, LayerRoles):
        layers = LayerRoles(layers, where="layers")
    kind = sniff(path)
    check_limit("max_file_mb", Path(path).stat().st_size / 2**20, file=os.fspath(path), what="file size")
    if kind == "json":
        from kitcut.formats.reading.jagua import read_jagua

        pattern = read_jagua(path, tolerance=tolerance, strict=strict, repair=repair)
        if sizes is not None:
            pattern.report.warn("--sizes ignored: a benchmark instance has no sizes")
        if units not in (None, "unit"):
            pattern.report.warn(f"--units {units} ignored: a benchmark instance keeps its own unit")
        if encoding:
            check_encoding(encoding)
            pattern.report.warn(f"--encoding {encoding} ignored: a benchmark instance is JSON, always UTF-8")
        if rules not in (None, False):
            pattern.report.warn(f"--rules {rules} ignored: a benchmark instance has no grade points")
        if layers:
            pattern.report.warn(f"{layers.where} ignored: a benchmark instance has no layers")
    else:
        from kitcut.formats.reading.dxf_read import read_dxf

        pattern = read_dxf(path, units=units, tolerance=tolerance, strict=strict, unfold=unfold,
                           repair=repair, sizes=sizes, loops=loops, encoding=encoding, rules=rules,
                           layers=layers)
    check_quantities(pattern)
    check_coordinates(pattern)
    return pattern


def check_coordinates(pattern: Pattern, limit: float = 1e9) -> None:
    """:class:`~kitcut.errors.GeometryError` naming the piece when an outline or cut-out has a
    coordinate that is NaN, infinite or beyond ``±limit`` (whatever the format)."""
    import numpy as np

    for p in pattern.pieces:
        for ring in (p.outline, *p.cutouts):
            if not (np.abs(ring) <= limit).all():
                raise GeometryError(f"outline has a coordinate that is not a usable number (NaN, infinite or "
                                    f"beyond ±{limit:g})", file=pattern.source, piece=p.label)


def check_quantities(pattern: Pattern) -> None:
    """:class:`~kitcut.limits.LimitError` when a piece's quantity, or the copies of the whole
    pattern, exceed ``max_pieces`` (no marker could hold them)."""
    for p in pattern.pieces:
        check_limit("max_pieces", p.quantity, file=pattern.source, piece=p.label,
                    what="quantity")
    check_limit("max_pieces", sum(p.quantity for p in pattern.pieces), file=pattern.source,
                what="copies of all pieces")
