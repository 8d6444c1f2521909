"""The units of a plain DXF told from what it draws: the ``Area:`` texts of its pieces against
their drawn areas, and a ``$INSUNITS`` header that makes the largest outline absurd (a
template's default).

Inkscape's "Desktop Cutting Plotter (AutoCAD DXF R14)" output (:func:`inkscape_r14`) writes the
coordinates in the unit of the SVG's page size (``width="210mm"``: mm; a page in pixels: px,
1/96 in) but ``$INSUNITS`` from another setting: the document's display unit, or the base unit
chosen in its dialog (``px (unitless)``: 0). Its header is trusted only while it makes the
pieces of garment size, and an undeclared unit may be px.

pstoedit's DXF driver (:func:`pstoedit_r12_unit`, ``-f dxf``: a PDF or PostScript pattern
turned into DXF) writes R12, which has no ``$INSUNITS``: its coordinates are PostScript points
over 72 (inches), or millimetres with ``-mm``, and only its ``$EXTMAX``, 3000 pt in that unit,
tells which."""

from __future__ import annotations

import math
import re

from kitcut.errors import UnitsError
from kitcut.formats.reading.build import RawPiece
from kitcut.formats.reading.units import (
    MM_PER_UNIT,
    PLAUSIBLE_MM,
    UNIT_WORDS,
    long_side,
    plausible,
    size_check,
)
from kitcut.model.geometry import ring_area

__all__ = ["ABSURD_MM", "area_text_mm2", "units_from_area", "sane_header_unit", "checked_header_unit",
           "inkscape_r14", "INKSCAPE_PX_NOTE", "pstoedit_r12_unit"]


_AREA = re.compile(r"([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)\s*(sq\.?\s*m|m2|m²|sq\.?\s*cm|cm2|sq\.?\s*mm|mm2|"
                   r"sq\.?\s*in|in2|sq\.?\s*ft|ft2)", re.I)
_AREA_MM2 = {"m": 1e6, "cm": 100.0, "mm": 1.0, "in": 645.16, "ft": 92903.04}


def area_text_mm2(value: str) -> float | None:
    m = _AREA.search(value or "")
    if not m:
        return None
    unit = re.sub(r"[^a-z]", "", m.group(2).lower()).replace("sq", "").rstrip("2")
    return float(m.group(1)) * _AREA_MM2.get(unit, math.nan)


def units_from_area(raws: list[RawPiece], scale: float) -> str | None:
    """The unit under which the pieces' ``Area:`` texts match their drawn areas (within 3 %)."""
    votes = []
    for r in raws:
        mm2 = area_text_mm2(r.texts.get("area", ""))
        if not mm2 or not r.boundary:
            continue
        rings = [r.boundary[0][0]] + [p for p, _, _ in r.sew]
        for ring in rings:  # the area may be the cut or the net (sewn) area
            drawn = abs(ring_area(ring)) / scale**2  # in drawing units²
            if drawn <= 0:
                continue
            s = math.sqrt(mm2 / drawn)
            hit = [unit for unit, f in MM_PER_UNIT.items() if abs(s / f - 1.0) <= 0.03]
            if hit:
                votes += hit
                break
    if votes and all(v == votes[0] for v in votes):
        return votes[0]
    return None


#: A drawing whose largest closed outline is outside this size (mm) under its ``$INSUNITS`` has
#: a wrong header (a template's or a library's default), not such pieces.
ABSURD_MM = (5.0, 6_000.0)


#: What the unit guess adds for a drawing of Inkscape's R14 output that declares no unit.
INKSCAPE_PX_NOTE = ("; the file was written by Inkscape's DXF R14 output, whose coordinates are in the unit "
                    "of the SVG's page size: give --units px for a page sized in pixels (pieces 3.78 times "
                    "too large in mm), --units in for one in inches")


def inkscape_r14(doc) -> bool:
    """``doc`` was written by Inkscape's "Desktop Cutting Plotter (AutoCAD DXF R14)" output
    (``dxf_outlines.py``): its fixed header template, an R14 file whose ``*ACTIVE`` viewport
    looks at an A4 page (centre (210, 148.5), height 341)."""
    if getattr(doc, "loaded_dxfversion", None) != "AC1014":
        return False
    try:
        return any(v.dxf.name.upper() == "*ACTIVE" and tuple(v.dxf.center)[:2] == (210.0, 148.5)
                   and float(v.dxf.height) == 341.0 for v in doc.viewports)
    except Exception:  # noqa: BLE001 - a damaged viewport table: not Inkscape's template
        return False


#: pstoedit's R12 header: ``$EXTMAX`` is 3000 PostScript points in the unit of the coordinates.
_PSTOEDIT_EXTMAX = {"in": 3000 / 72, "mm": 3000 / 72 * 25.4}


def pstoedit_r12_unit(doc) -> str | None:
    """The unit of a drawing of pstoedit's DXF R12 driver (``pstoedit -f dxf``, 3.7x), else
    ``None``: R12 cannot say it, so a pattern drawn in inches (pstoedit's default, points / 72)
    was guessed to be in centimetres, 2.54 times too small. Its fixed header (``$FILLMODE`` 0,
    ``$SPLFRAME`` 1, ``$EXTMIN`` at the origin and a square ``$EXTMAX`` of 3000 pt: 41.6667 in,
    or 1058.33 mm with ``-mm``) tells it."""
    if getattr(doc, "loaded_dxfversion", None) != "AC1009":
        return None
    hdr = doc.header
    try:
        lo, hi = hdr.get("$EXTMIN", None), hdr.get("$EXTMAX", None)
        if lo is None or hi is None or hdr.get("$FILLMODE", None) != 0 or hdr.get("$SPLFRAME", None) != 1:
            return None
        if any(float(v) != 0.0 for v in tuple(lo)[:2]) or float(hi[0]) != float(hi[1]):
            return None
        return next((u for u, v in _PSTOEDIT_EXTMAX.items() if abs(float(hi[0]) / v - 1.0) < 1e-4), None)
    except (TypeError, ValueError, IndexError):  # a damaged header: not pstoedit's
        return None


def sane_header_unit(curves: list, unit: str, report, file: str, *, inkscape: bool = False,
                     pieces_extent=None) -> tuple[str, str]:
    """``$INSUNITS``'s unit, unless it makes the largest closed outline absurd
    (:data:`ABSURD_MM`) and the size check finds a unit under which it is of garment size.

    A drawing whose pieces are chained from open lines and arcs, as cutting-room CAD writes
    them (no closed curve, or an open one longer than every closed one: those are drills or
    marks), is measured by ``pieces_extent()``, the largest piece's extent in drawing units.
    In Inkscape's R14 output (``inkscape``) the header names the display unit, not always the
    coordinates': there the largest piece (its outlines are open curves chained into pieces)
    must be of garment size (:data:`PLAUSIBLE_MM`)."""
    closed_ext = max((_extent(pts) for pts, closed, _, _ in curves if closed and len(pts) > 1), default=None)
    open_ext = max((_extent(pts) for pts, closed, _, _ in curves if not closed and len(pts) > 1), default=0.0)
    if inkscape and pieces_extent is not None:
        ext, bounds = pieces_extent(), PLAUSIBLE_MM
    elif pieces_extent is not None and (closed_ext is None or open_ext > closed_ext):
        # the pieces are chained from open lines (the closed curves, if any, are drills or marks)
        ext, bounds = pieces_extent(), ABSURD_MM
        ext = closed_ext if ext is None else ext
    else:
        ext, bounds = closed_ext, ABSURD_MM
    why = (" (Inkscape's DXF R14 output writes its display unit there, and the coordinates in the unit of "
           "the SVG's page size)") if inkscape and pieces_extent is not None else ""
    return checked_header_unit(ext, unit, report, file, bounds=bounds, why=why)


def _extent(pts) -> float:
    return long_side(pts)  # however the drawing is turned


def checked_header_unit(ext: float | None, unit: str, report, file: str, *, bounds=ABSURD_MM,
                        why: str = "") -> tuple[str, str]:
    """``$INSUNITS``'s ``unit`` for a drawing whose largest piece is ``ext`` drawing units long,
    unless that makes it absurd (outside ``bounds``, mm) and the size check finds a unit under
    which it is of garment size (reported); kept but doubted in a warning when only implausible.
    For plain drawings (:func:`sane_header_unit`) and AAMA/ASTM files without a Units text."""
    lo, hi = bounds
    if ext is None or lo <= ext * MM_PER_UNIT[unit] <= hi:
        if ext is not None and not plausible(ext, unit):
            _doubt_header(ext, unit, report, file)
        return unit, "$INSUNITS"
    try:
        guess = size_check(ext, file=file)
    except UnitsError:  # no plausible unit either: keep the header's
        return unit, "$INSUNITS"
    size = ext * MM_PER_UNIT[unit] / 1000
    report.guess_units(f"$INSUNITS says {unit}, which makes the largest outline {size:.4g} m long{why}: "
                       f"{guess} used (size check); give --units {unit} if the header is right")
    return guess, "size check"





def _doubt_header(ext: float, unit: str, report, file: str) -> None:
    """``$INSUNITS`` kept, but it makes the largest outline (``ext`` drawing units) no garment
    piece's size while another unit would: said, with the unit to give (a shirt drawn in cm under
    a header saying mm was nested ten times too small, without a word)."""
    try:
        other = size_check(ext, file=file)
    except UnitsError:
        return
    if other == unit:
        return
    size = ext * MM_PER_UNIT[unit]
    report.warn(f"$INSUNITS says {unit}, which makes the largest outline {size:.4g} mm long, "
                f"{'small' if size < PLAUSIBLE_MM[0] else 'large'} for a garment piece: read in {unit}; "
                f"give --units {other} if the pattern is in {UNIT_WORDS.get(other, other)} (it would be "
                f"{ext * MM_PER_UNIT[other]:.4g} mm)")
