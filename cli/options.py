"""Options shared by the commands that read a pattern (``nest``, ``nest info``).

:func:`import_options` adds the import options (units, tolerance, strict, repair and the
hairline-loop rule, fold pieces, text encoding, grade rules) and the job options (``--sizes``, ``--quantity``)
to a click command; :func:`load` reads the pattern with them. The click types of the search
options every nesting command takes (``SEED``, ``TIME``, ``WORKERS``), of ``--tilt`` (``TILT``)
and of lengths (``LENGTH``), and the checks of a fabric width (:func:`check_width`) and of a file
name stem (:func:`stem_option`) are here too, so a bad value is the same usage error (exit 2)
wherever it is given.
"""

from __future__ import annotations

import math
from pathlib import Path

import click

from kitcut.model.marker import MAX_SPACING_MM, MAX_WIDTH_MM
from kitcut.names import windows_device

__all__ = ["import_options", "load", "encoding_option", "stem_option", "check_width", "check_spacing",
           "check_unitless", "check_zones", "Length",
           "LENGTH", "GAP", "SEED", "TILT", "TIME", "WORKERS", "MAX_TIME_S", "MAX_WIDTH_MM", "MAX_SPACING_MM",
           "MAX_WORKERS"]

#: Longest search time an option accepts (s): a day; Ctrl-C ends any search early.
MAX_TIME_S = 86400.0
#: Most parallel searches (or orders built at once) an option accepts.
MAX_WORKERS = 1024


class _Finite(click.FloatRange):
    """A :class:`click.FloatRange` that refuses NaN (which passes its comparisons) and infinity."""

    def convert(self, value, param, ctx):
        rv = super().convert(value, param, ctx)
        if not math.isfinite(rv):
            lo, hi = ("<" if self.min_open else "<="), ("<" if self.max_open else "<=")
            self.fail(f"{value!r} is not a number in the range {self.min}{lo}x{hi}{self.max}.", param, ctx)
        return rv


#: Click type of ``--seed``: any whole number from 0 (numpy seeds are non-negative).
SEED = click.IntRange(min=0)
#: Click type of ``--time``: seconds, more than 0 and at most :data:`MAX_TIME_S`.
TIME = _Finite(min=0.0, max=MAX_TIME_S, min_open=True)
#: Click type of ``--workers``: 1 to :data:`MAX_WORKERS`.
WORKERS = click.IntRange(min=1, max=MAX_WORKERS)
#: Click type of ``--tilt``: degrees, 0 to 45 (as ``tilt_deg`` of an order's fabric).
TILT = _Finite(min=0.0, max=45.0)


class Length(float):
    """A length option's value in millimetres, knowing the unit it was given in (``None``: a plain
    number)."""

    unit: str | None = None

    def __new__(cls, value: float, unit: str | None = None):
        obj = super().__new__(cls, value)
        obj.unit = unit
        return obj


class _Length(click.ParamType):
    """A length: a number (millimetres for a pattern), or a number with its unit, converted to
    millimetres: ``1500``, ``150cm``, ``1.5 m``, ``60in``, ``60"``, ``5ft``."""

    name = "length"

    def __init__(self, least: str | None = None):
        #: ``"positive"``, ``"non-negative"`` or ``None``: what the length must be
        self.least = least

    def convert(self, value, param, ctx):
        import re

        from kitcut.errors import KitcutError
        from kitcut.formats.reading.units import MM_PER_UNIT, normalize_units

        if isinstance(value, (int, float)):
            return float(value)
        m = re.fullmatch(r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z\"]*)", str(value).strip())
        try:
            unit = normalize_units(m.group(2)) if m and m.group(2) else None
        except KitcutError:
            m = None
        if not m:
            self.fail(f"{value!r} is not a length (a number in mm, or with a unit: 150cm, 1.5m, 60in)", param,
                      ctx)
        mm = float(m.group(1)) * (MM_PER_UNIT[unit] if unit else 1.0)
        if unit and math.isfinite(mm):  # 23in is 584.2 mm, not 584.1999999999999 (in marker.json too)
            mm = round(mm, 9)
        if not math.isfinite(mm):
            self.fail(f"{value!r} is not a finite length", param, ctx)
        if (self.least == "positive" and mm <= 0) or (self.least == "non-negative" and mm < 0):
            self.fail(f"{value!r}: must be {'more than 0' if self.least == 'positive' else '0 or more'}",
                      param, ctx)
        return Length(mm, unit)


#: Click type of a length option (``--width``): more than 0.
LENGTH = _Length("positive")
#: Click type of a gap (``--spacing``, ``--margin``): 0 or more.
GAP = _Length("non-negative")


def encoding_option(ctx, param, value: str | None) -> str | None:
    """Click callback of ``--encoding``: the codec name, or a usage error naming the option."""
    if value is None:
        return None
    from kitcut.errors import InputError
    from kitcut.formats.reading.encoding import check_encoding

    try:
        return check_encoding(value)
    except InputError as exc:
        raise click.BadParameter(exc.message.split(": ", 1)[-1], ctx=ctx, param=param) from None


def check_width(width: float | None, units: str) -> None:
    """A usage error naming ``--width`` when it is wider than :data:`MAX_WIDTH_MM` for a pattern in
    millimetres (a benchmark instance's width is in its own unit: any finite width goes)."""
    if width is not None and units == "mm" and width > MAX_WIDTH_MM:
        raise click.BadParameter(
            f"{width:g} mm is wider than any fabric roll or cutting table: at most {MAX_WIDTH_MM:g} mm "
            f"({MAX_WIDTH_MM / 1000:g} m)", param_hint="'-w' / '--width'")


def check_unitless(units: str, file, **lengths) -> None:
    """A usage error naming the option of a length given with a unit (``--width 60in``) for a
    pattern without a length unit (a benchmark instance, ``units == "unit"``): converted to mm,
    it was a 1524-unit strip for a 40-unit instance."""
    if units == "mm":
        return
    for name, value in lengths.items():
        unit = getattr(value, "unit", None)
        if unit is not None:
            raise click.BadParameter(
                f"a length with a unit ({unit}), but {Path(file).name} has no length unit (its lengths are "
                f"in its own {units}s): give a plain number", param_hint=f"'--{name}'")


def check_zones(zones, pattern, width: float) -> None:
    """An error naming ``--zone K`` for a zone off the fabric, or one letting through a category
    that no piece of ``pattern`` has (a typo: the pieces it meant are kept off it)."""
    from kitcut.errors import InputError
    from kitcut.kits.matching import unknown_categories

    for k, zone in enumerate(zones, 1):
        if (off := zone.off_fabric(width)) is not None:
            raise InputError(f"--zone {k}: {off}: it keeps nothing clear")
        missing, known = unknown_categories(zone, pattern.pieces)
        if missing:
            shown = ", ".join(known) or "none: the pattern names no category"
            raise InputError(f"--zone {k}: no piece is of category {missing[0]!r} (the pieces' categories: "
                             f"{shown})", file=pattern.source)


def check_spacing(spacing: float, units: str) -> None:
    """A usage error naming ``--spacing`` when it is wider than :data:`MAX_SPACING_MM` for a
    pattern in millimetres (a benchmark instance's spacing is in its own unit)."""
    if units == "mm" and spacing > MAX_SPACING_MM:
        raise click.BadParameter(
            f"{spacing:g} mm between pieces: at most {MAX_SPACING_MM:g} mm (cutting needs a few; is the unit "
            "right?)", param_hint="'--spacing'")


#: characters a Windows file name cannot hold (besides / and \\, and control characters)
_NOT_ON_WINDOWS = frozenset(':*?"<>|')


def stem_option(ctx, param, value: str) -> str:
    """Click callback of ``--stem``: a plain file name stem, or a usage error naming the option.

    The files are written as ``<out>/<stem>.<format>``: a stem with a path separator or ``..``
    would write outside the output folder, an empty or dotted one a hidden file.
    """
    bad = ("is empty" if not value else
           "holds a path separator (/ or \\)" if "/" in value or "\\" in value else
           "holds '..'" if ".." in value else
           "starts with a dot (a hidden file)" if value.startswith(".") else
           "holds a control character" if any(ord(c) < 32 or ord(c) == 127 for c in value) else
           f"holds {next(c for c in value if c in _NOT_ON_WINDOWS)!r}, which Windows file names cannot hold "
           "(a kit copied to a share or a cutter's PC)" if any(c in _NOT_ON_WINDOWS for c in value) else None)
    if bad:
        raise click.BadParameter(f"{value!r} {bad}: give a file name without folder, such as marker or "
                                 "order-42", ctx=ctx, param=param)
    if windows_device(value):
        raise click.BadParameter(
            f"{value!r} is the Windows device {windows_device(value)}, not a file name Windows can hold "
            "(CON, PRN, AUX, NUL, COM0-9, LPT0-9, in any case, with any extension): give another name, "
            "such as marker or order-42", ctx=ctx, param=param)
    if value[-1] in " .":
        raise click.BadParameter(f"{value!r} ends in a blank or a dot, which Windows drops from a file name: "
                                 "give a file name such as marker or order-42", ctx=ctx, param=param)
    return value


def layer_option(ctx, param, value: tuple[str, ...]) -> tuple[str, ...]:
    """Click callback of ``--layer``: the NAME=ROLE texts, checked (a usage error naming them)."""
    from kitcut.errors import InputError
    from kitcut.formats.reading.layer_roles import LayerRoles

    try:
        LayerRoles.parse(value)
    except InputError as exc:
        message = exc.message.removeprefix("--layer").lstrip(": ")
        raise click.BadParameter(message, ctx=ctx, param=param) from None
    return value


_OPTIONS = [
    click.option("--units", help="Units of a DXF that does not say (mm, cm, m, in, ft, px, metric, "
                                  "english)."),
    click.option("--tolerance", type=click.FloatRange(max=10.0), default=0.1,
                 show_default=True, help="Curve chord tolerance and largest cut-line gap closed (mm)."),
    click.option("--strict", is_flag=True, help="Treat every import repair as an error."),
    click.option("--repair", is_flag=True,
                 help="Repair every self-intersecting outline (keep its largest part)."),
    click.option("--max-loop-mm2", type=click.FloatRange(min=0), default=500.0, show_default=True,
                 help="Largest self-intersection loop (mm²) removed without --repair (0: none)."),
    click.option("--max-loop-pct", type=click.FloatRange(min=0, max=100), default=0.5, show_default=True,
                 help="... and at most this share of the piece's area (%)."),
    click.option("--keep-folded", is_flag=True, help="Keep fold pieces as halves: nest info lists them; "
                 "nesting refuses them (kitcut places no half on a folded spread's fold)."),
    click.option("--encoding", callback=encoding_option, metavar="NAME",
                 help="Text encoding of the DXF's names (gbk, big5, cp932, utf-8, cp1252...; "
                      "default: declared, else detected)."),
    click.option("--rules", "rules_file", type=click.Path(dir_okay=False), metavar="FILE",
                 help="Grade rule table (.RUL) of an AAMA/ASTM pattern: the sizes it lists that the DXF "
                      "does not draw are graded from the sample size. Default: a .rul beside the pattern "
                      "with the same name, if any."),
    click.option("--no-rules", is_flag=True, help="Do not look for a .rul beside the pattern."),
    click.option("--sizes", "sizes_text", metavar="M,L|S=2,M=3",
                 help="Sizes to cut: one garment each (M,L) or garments per size (S=2,M=3). "
                      "Default: every size once."),
    click.option("--material", "material_text", metavar="1,2|none",
                 help="Nest only the pieces of these materials (the Fabric:/Material: texts; none: pieces "
                      "without one). Default: every piece, with a note when they are of several."),
    click.option("--match", "match_file", type=click.Path(dir_okay=False, exists=True),
                 help="Match points of the pieces on a patterned fabric (default: PATTERN.match.toml "
                      "beside the pattern, if there is one)."),
    click.option("--layer", "layer_texts", multiple=True, metavar="NAME=ROLE", callback=layer_option,
                 help="What a layer of a plain DXF holds, before kitcut's guess from its name: cut, "
                      "internal, sew, grain, fold, notch, drill, frame or ignore. NAME may hold wildcards "
                      "(DIM*). "
                      "Repeatable."),
    click.option("--quantity", "quantity_texts", multiple=True, metavar="NAME=N",
                 help="Pieces per garment: NAME is a piece name or category (whatever the file says), "
                      "or * for pieces whose file says 0 or nothing; N or a,b (a as drawn, b mirrored). "
                      "Repeatable."),
]


def import_options(fn):
    """Decorate a click command with the import and job options (see the module docstring)."""
    for opt in reversed(_OPTIONS):
        fn = opt(fn)
    return fn


def load(file, *, units, tolerance, strict, repair, max_loop_mm2, max_loop_pct, keep_folded, encoding,
         sizes_text, quantity_texts, match_file=None, rules_file=None, no_rules=False,
         layer_texts=(), pairs: bool = True, material_text=None, say=None):
    """The pattern of ``file`` as the import and job options ask; ``say`` takes each note on the
    options (a line without its ``nest: ``; on stderr when not given)."""
    from kitcut.errors import InputError
    from kitcut.formats.reading.layer_roles import LayerRoles
    from kitcut.formats.reading.outline import LoopRule
    from kitcut.kits.quantities import load_pattern, parse_quantities, parse_sizes

    if rules_file and no_rules:
        raise InputError("--rules and --no-rules contradict each other: give one")
    pattern = load_pattern(
        file, sizes=parse_sizes(sizes_text), quantities=parse_quantities(quantity_texts), pairs=pairs,
        match=match_file, materials=material_text,
        units=units, tolerance=tolerance, strict=strict, unfold=not keep_folded, repair=repair,
        loops=LoopRule(max_loop_mm2, max_loop_pct), encoding=encoding,
        rules=False if no_rules else (rules_file or None), layers=LayerRoles.parse(layer_texts),
    )
    if material_text is None:
        return pattern
    from dataclasses import replace

    from kitcut.kits.materials import select_materials

    try:
        kept = replace(pattern, pieces=tuple(select_materials(pattern.pieces, material_text)))
        _quantities_left_out(quantity_texts, pattern.pieces, kept.pieces, material_text,
                             say or (lambda line: click.echo(f"nest: {line}", err=True)))
        return kept
    except InputError as exc:
        exc.file = str(file)
        uncut = list(dict.fromkeys(e.piece for e in pattern.report.entries
                                   if e.message.startswith("Quantity 0:")))
        if uncut:  # they are no piece of the job: their material is not among those listed
            shown = ", ".join(uncut[:5]) + (" ..." if len(uncut) > 5 else "")
            exc.message += (f"; {len(uncut)} piece(s) the file says are not cut (Quantity: 0: {shown}) are "
                            "left out before: --quantity '*=1' cuts them")
        raise


def _quantities_left_out(quantity_texts, before, after, material_text, say) -> None:
    """A note for each ``--quantity NAME=N`` whose pieces ``--material`` leaves out: it changed
    nothing, without a word."""
    from kitcut.kits.quantities import DEFAULT_KEY, name_key, parse_quantities

    for name in parse_quantities(quantity_texts or ()):
        if name.strip() == DEFAULT_KEY:
            continue
        k = name_key(name)
        hit = [p for p in before if k in (name_key(p.name), name_key(p.category))]
        if hit and not any(k in (name_key(p.name), name_key(p.category)) for p in after):
            of = ", ".join(sorted({(p.material or "none").strip() for p in hit}))
            say(f"note: --quantity {name}=...: its pieces are of material {of}, which "
                f"--material {material_text} leaves out: it changes nothing")


def _pair(text: str | None, what: str) -> tuple[float, float] | None:
    from kitcut.errors import InputError
    from kitcut.model import MAX_ROLL_MM

    if text is None:
        return None
    parts = [p.strip() for p in str(text).split(",")]
    try:
        a, b = (float(p) for p in parts)
    except ValueError:
        raise InputError(f"{what}: write two numbers in mm, X,Y (e.g. 40,40 or 0,25), got {text!r}") from None
    if not (abs(a) < MAX_ROLL_MM and abs(b) < MAX_ROLL_MM):
        raise InputError(f"{what}: {text!r} is out of range (each less than {MAX_ROLL_MM:,.0f} mm)")
    return a, b


def _zone(text: str, k: int):
    from kitcut.errors import InputError
    from kitcut.formats.reading.texts import nfc
    from kitcut.model import FabricZone, rect_ring, zone_trouble

    box, _, cats = str(text).partition(":")
    parts = [p.strip() for p in box.split(",")]
    try:
        x0, y0, x1, y1 = (float(p) for p in parts)
    except ValueError:
        raise InputError(f"--zone: write X0,Y0,X1,Y1 in marker mm, optionally :CATEGORY,... (the "
                         f"categories that may lie on it), got {text!r}") from None
    if trouble := zone_trouble((x0, y0, x1, y1)):
        raise InputError(f"--zone {k}: {text!r}: {trouble}")
    if x0 == x1 or y0 == y1:
        raise InputError(f"--zone: {text!r} has no area")
    allow = tuple(nfc(c.strip()) for c in cats.split(",") if c.strip())  # as typed: composed, as orders
    return FabricZone(rect_ring(x0, y0, x1, y1), f"zone {k}", allow)


_FABRIC_OPTIONS = [
    click.option("--repeat", "repeat_text", metavar="RX,RY",
                 help="Fabric repeat in mm: along the roll, across it (stripes: one of them 0). "
                      "Matched pieces sit on it."),
    click.option("--phase", "phase_text", metavar="PX,PY",
                 help="Where the repeat's first dominant line lies: from the marker's start, from the "
                      "selvedge (mm, default 0,0)."),
    click.option("--asymmetric", is_flag=True,
                 help="The design looks different turned by 180°: every piece goes one way."),
    click.option("--zone", "zone_texts", multiple=True, metavar="X0,Y0,X1,Y1[:CAT,...]",
                 help="A region of the roll no piece may lie on (marker mm), but the categories listed. "
                      "Repeatable."),
]


def fabric_options(fn):
    """Decorate a click command with the patterned-fabric and roll options."""
    for opt in reversed(_FABRIC_OPTIONS):
        fn = opt(fn)
    return fn


def fabric(repeat_text, phase_text, asymmetric, zone_texts) -> dict:
    """The ``repeat`` and ``zones`` keywords of :class:`~kitcut.model.Rules` from the options."""
    from kitcut.errors import InputError
    from kitcut.model import Repeat

    rep = _pair(repeat_text, "--repeat")
    phase = _pair(phase_text, "--phase") or (0.0, 0.0)
    if rep is not None and (rep[0] < 0 or rep[1] < 0 or rep == (0.0, 0.0)):
        raise InputError(f"--repeat: {repeat_text!r}: both >= 0 and not both 0 (stripes: one of them 0)")
    if rep is None and (phase_text is not None or asymmetric):
        raise InputError("--phase and --asymmetric describe a repeat: give --repeat RX,RY too")
    repeat = Repeat() if rep is None else Repeat(rep[0], rep[1], phase, not asymmetric)
    zones = tuple(_zone(t, k + 1) for k, t in enumerate(zone_texts))
    return {"repeat": repeat, "zones": zones}
