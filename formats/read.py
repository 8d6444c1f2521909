"""One entry point for every pattern format kitcut reads.

>>> from kitcut.formats.read import read_pattern  # doctest: +SKIP
>>> pattern = read_pattern("tee.dxf", units="cm")  # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path

from kitcut.errors import InputError
from kitcut.model import Pattern

__all__ = ["read_pattern", "sniff"]


def sniff(path) -> str:
    """``"json"`` or ``"dxf"`` from the file's first bytes (the extension only breaks ties)."""
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", file=os.fspath(path))
    if p.is_dir():
        raise InputError("is a folder, not a pattern file", file=os.fspath(path))
    with open(p, "rb") as fp:
        head = fp.read(64).lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith((b"{", b"[")):
        return "json"
    if not head and p.suffix.lower() == ".json":
        return "json"
    return "dxf"


def read_pattern(path, *, units: str | None = None, tolerance: float = 0.1, strict: bool = False,
                 unfold: bool = True, repair: bool = False) -> Pattern:
    """Read a pattern file: AAMA / ASTM D6673 DXF, plain DXF, or a jagua-rs JSON instance.

    ``units`` overrides the drawing units of a DXF ("mm", "cm", "m", "in", "ft", "metric",
    "english"); ``tolerance`` (mm) is the chord tolerance for curves and the largest gap closed
    in a cut line; ``strict`` makes every repair an error; ``unfold=False`` keeps fold pieces as
    halves (``folded=True``); ``repair`` fixes self-intersecting outlines (else an error).
    Every repair, skipped entity and doubt is in ``pattern.report``.
    """
    kind = sniff(path)
    if kind == "json":
        from kitcut.formats.jagua import read_jagua

        if units not in (None, "unit"):
            pattern = read_jagua(path, tolerance=tolerance, strict=strict, repair=repair)
            pattern.report.warn(f"--units {units} ignored: a benchmark instance keeps its own unit")
            return pattern
        return read_jagua(path, tolerance=tolerance, strict=strict, repair=repair)
    from kitcut.formats.dxf_read import read_dxf

    return read_dxf(path, units=units, tolerance=tolerance, strict=strict, unfold=unfold, repair=repair)
