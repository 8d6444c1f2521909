"""Drawing units of pattern files: names, scales to millimetres, and the rules that decide them.

The rules, in order (the first that decides wins; ``Pattern.units_rule`` names it):

1. ``--units`` (the user's ``units=`` option) overrides everything; a contradiction with the
   file is reported as a warning;
2. ``$INSUNITS`` in the DXF header (0 = unitless decides nothing);
3. the AAMA ``Units:`` text (``ENGLISH`` = inch, ``METRIC`` = mm, or cm when only centimetres
   make the pieces of garment size: :func:`metric_unit`);
4. an Optitex ``Area: 0.3392 sq.m`` text compared with the drawn area of its piece;
5. a plausibility check on piece sizes (``size check``).
"""

from __future__ import annotations

import numpy as np

from kitcut.errors import UnitsError

__all__ = ["MM_PER_UNIT", "UNIT_WORDS", "PLAUSIBLE_MM", "plausible", "long_side", "normalize_units",
           "insunits_name", "units_text_name", "metric_unit", "size_check", "size_guess"]

#: Each length unit of a guess, in words.
UNIT_WORDS = {"mm": "millimetres", "cm": "centimetres", "in": "inches"}

#: Millimetres per drawing unit (``px``: the CSS pixel, 1/96 in, of SVG and of Inkscape's DXF output
#: of a page sized in pixels).
MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "m": 1000.0, "in": 25.4, "ft": 304.8, "px": 25.4 / 96}

_ALIASES = {
    "mm": "mm", "millimetre": "mm", "millimeter": "mm", "millimetres": "mm", "millimeters": "mm",
    "metric": "mm",
    "cm": "cm", "centimetre": "cm", "centimeter": "cm", "centimetres": "cm", "centimeters": "cm",
    "m": "m", "metre": "m", "meter": "m", "metres": "m", "meters": "m",
    "in": "in", "inch": "in", "inches": "in", '"': "in", "english": "in", "imperial": "in",
    "ft": "ft", "foot": "ft", "feet": "ft",
    "px": "px", "pixel": "px", "pixels": "px",
}

#: ``$INSUNITS`` codes kitcut understands (0 = unitless: no decision).
_INSUNITS = {1: "in", 2: "ft", 4: "mm", 5: "cm", 6: "m"}


def normalize_units(name: str, *, file: str | None = None) -> str:
    """``"METRIC"`` -> ``"mm"``, ``"inch"`` -> ``"in"``...; :class:`UnitsError` when unknown.

    >>> normalize_units("English"), normalize_units(" cm ")
    ('in', 'cm')
    """
    key = str(name).strip().lower()
    if key not in _ALIASES:
        known = ", ".join(sorted(set(MM_PER_UNIT) | {"metric", "english"}))
        raise UnitsError(f"unknown units '{name}' (use one of {known})", file=file)
    return _ALIASES[key]


def insunits_name(code, *, file: str | None = None) -> str | None:
    """The unit of a ``$INSUNITS`` code, ``None`` for 0/absent (unitless)."""
    if code in (None, 0):
        return None
    try:
        return _INSUNITS[int(code)]
    except (KeyError, ValueError, TypeError):
        raise UnitsError(f"unsupported $INSUNITS value {code} (kitcut reads in, ft, mm, cm, m; "
                         "give --units to override)", file=file) from None


def units_text_name(value: str, *, file: str | None = None) -> str:
    """The unit of an AAMA ``Units:`` text value (``ENGLISH``, ``METRIC``, ``MM``...)."""
    try:
        return normalize_units(value.split()[0] if value.split() else value, file=file)
    except UnitsError:
        raise UnitsError(f"unknown units text 'Units: {value}' (give --units)", file=file) from None


#: Largest piece extent (mm) that garment and cutter pieces plausibly have.
PLAUSIBLE_MM = (100.0, 5000.0)


def long_side(points) -> float:
    """The long side of the smallest rectangle round ``points`` in any turn: a piece's length
    however the drawing is turned (the box along the drawing's axes made a 89-unit piece 109
    units long turned by 33 degrees, past the 100 units where METRIC is read as mm, not cm, and
    the pattern was cut ten times too small)."""
    from kitcut.model.geometry import turned_box_sides

    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(pts) and (not np.isfinite(pts).all() or np.abs(pts).max() > 1e100):  # left to the coordinate
        return float(np.ptp(pts, axis=0).max())  # check, which names the piece (GEOS cannot take them)
    return turned_box_sides(pts)[1]


def plausible(largest_extent: float, unit: str) -> bool:
    """The largest piece, ``largest_extent`` drawing units long, is of garment size in ``unit``
    (:data:`PLAUSIBLE_MM`)."""
    lo, hi = PLAUSIBLE_MM
    return lo <= largest_extent * MM_PER_UNIT[unit] <= hi


def metric_unit(units_text: str | None, largest_extent: float | None, warn) -> str | None:
    """``"cm"`` for an AAMA ``Units: METRIC`` drawn in centimetres, else ``None`` (the reader's
    millimetres stand). The text names no length, and CLO writes it over millimetres or
    centimetres as its export is set: cm when the largest piece, ``largest_extent`` drawing
    units, is of garment size in cm but not in mm. ``warn(message)`` is told when cm is chosen,
    and when mm stands though the largest piece is of garment size in cm too (100 to 500 drawing
    units: a 12 cm child's front or a 1.2 m trouser leg; only the user knows).

    >>> said = []
    >>> metric_unit("METRIC", 72.9, said.append), metric_unit("METRIC", 729.0, said.append)
    ('cm', None)
    >>> metric_unit("MM", 72.9, said.append), metric_unit("METRIC", 120.0, said.append), len(said)
    (None, None, 2)
    """
    words = str(units_text or "").split()
    if not (words and words[0].lower() == "metric" and largest_extent is not None):
        return None
    in_mm, in_cm = plausible(largest_extent, "mm"), plausible(largest_extent, "cm")
    if in_cm and not in_mm:
        warn(f"the Units text says METRIC, which would make the largest piece {largest_extent:.4g} mm long: "
             "read in cm (size check; a METRIC export may be in mm or cm); give --units mm if it is in mm")
        return "cm"
    if in_cm:
        warn(f"the Units text says METRIC, which names no length: read in mm, the largest piece "
             f"{largest_extent:.4g} mm long (in cm it would be {largest_extent / 100:.3g} m); give "
             "--units cm if the pattern is in centimetres")
    return None


def size_guess(largest_extent: float, *, file: str | None = None, imperial: bool = False) -> tuple[str, str]:
    """:func:`size_check`'s unit and the note that tells the user how it was guessed, naming
    the other unit under which the pieces would be of garment size too."""
    unit = size_check(largest_extent, file=file, imperial=imperial)
    why = "the piece sizes"
    if unit == "in" and imperial and plausible(largest_extent, "cm"):
        why = "the piece sizes, which fit cm and inches, and $MEASUREMENT 0 (imperial)"
    other = next((u for u in ("mm", "cm", "in") if u != unit and plausible(largest_extent, u)), None)
    if other is not None:  # cm and inches too: a US pattern read in cm is cut at 39 % of its length
        why += (f", which fit {unit} and {other}: the largest piece is {_metres(largest_extent, unit)} long "
                f"in {unit}, {_metres(largest_extent, other)} in {other}")
        return unit, (f"no units declared: {unit} guessed from {why}; give --units {other} if the pattern "
                      f"is in {UNIT_WORDS[other]}")
    return unit, (f"no units declared: {unit} guessed from {why} (largest piece {largest_extent:.4g} drawing "
                  "units); give --units if this is wrong")


def _metres(extent: float, unit: str) -> str:
    mm = extent * MM_PER_UNIT[unit]
    return f"{mm / 1000:.3g} m" if mm >= 1000 else f"{mm / 10:.3g} cm"


def size_check(largest_extent: float, *, file: str | None = None, imperial: bool = False) -> str:
    """The first of mm, cm, in under which the largest piece is of plausible size; between
    centimetres and inches (a piece of 30 units is 30 cm or 30 in), inches for a drawing that
    says it is ``imperial`` (``$MEASUREMENT`` 0: not reliable enough to decide alone).

    Between millimetres and centimetres (100 to 500 units) millimetres stand, and
    :func:`size_guess`'s note names both readings. Taking the one nearer the usual largest piece
    (cm below 180 units) read a cm trouser front right, but a bootie, a mitten, a doll's dress
    or a face mask drawn in mm ten times too large, its 5 mm notches as internal lines: their
    notches, sew lines and text heights fit mm alone, which the size check does not see.

    >>> size_check(650.0), size_check(65.0), size_check(5.0), size_check(30.0, imperial=True)
    ('mm', 'cm', 'in', 'in')
    >>> size_check(102.6), size_check(457.0)
    ('mm', 'mm')
    """
    fits = [u for u in ("mm", "cm", "in") if plausible(largest_extent, u)]
    if fits[:1] == ["cm"] and "in" in fits and imperial:
        return "in"
    if fits:
        return fits[0]
    raise UnitsError(
        f"unknown units: the file declares none and its largest piece ({largest_extent:.4g} drawing "
        "units) is implausible in mm, cm and inches; give --units", file=file)
