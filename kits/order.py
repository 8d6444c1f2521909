"""Customer orders: the TOML order file, its validation, and the pieces each fabric cuts.

An order names garments (a pattern file and the number of garments per size) and the fabrics
they are cut from::

    [order]
    id = "A-1042"
    customer = "Studio Nord"
    due = "2026-12-05"                 # optional

    [[garments]]
    pattern = "tee.dxf"                # relative to the order file
    sizes = { S = 2, M = 3, L = 1 }    # garments per size
    # name = "tee"                     # optional, default: the pattern file's stem
    # quantities = { Collar = 1, "*" = 1 }   # optional: pieces per garment (see kits.quantities)
    # encoding = "gbk"                 # optional: text encoding of the pattern's names
    # rules = "tee.rul"                # optional: grade rule table (default: the .rul beside it; false: none)
    # layers = { L23 = "grain", "DIM*" = "ignore" }   # optional: what layers of a plain DXF hold
    # repair = true                    # optional: as --repair, --keep-folded, --tolerance
    # keep_folded = true
    # tolerance_mm = 0.2

    [[fabrics]]
    name = "jersey"
    width_mm = 1500
    spacing_mm = 2                     # optional: margin_mm, nap, tilt_deg, pairs,
    shrinkage_pct = [3, 1]             #   shrinkage_pct = [x, y], categories = [...]

:func:`load_order` checks the file (types, ranges, unknown fields, paths) and raises
:class:`~kitcut.errors.OrderError` naming the file and the field;
:func:`kitcut.kits.plan.plan_order` then reads the patterns and builds what each fabric cuts.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from kitcut.errors import KitcutError, OrderError
from kitcut.fileio import read_user_text
from kitcut.formats.reading.encoding import check_encoding
from kitcut.formats.reading.texts import nfc
from kitcut.kits.materials import material_key
from kitcut.kits.order_ids import BATCH_FILES, check_due, check_order_id, slug
from kitcut.kits.order_paths import inside, locate
from kitcut.model import FabricZone, Repeat, Rules
from kitcut.model.marker import MAX_SPACING_MM, MAX_WIDTH_MM
from kitcut.nesting.rules import NAP_MODES, check_nap

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Order", "Garment", "Fabric", "ONE_SIZE", "load_order", "read_order_id", "check_order_id", "slug",
           "not_an_order", "BATCH_FILES"]

#: The size name of the garments of a pattern without sizes (``count = N``).
ONE_SIZE = "one size"


@dataclass(frozen=True)
class Garment:
    """One ``[[garments]]`` line: a pattern and the number of garments per size."""

    name: str
    pattern: Path
    sizes: dict[str, int]
    units: str | None = None
    #: quantity overrides (see :mod:`kitcut.kits.quantities`): name, category or ``*`` ->
    #: ``(quantity, flipped)``
    quantities: dict = field(default_factory=dict)
    encoding: str | None = None
    #: the match file of the pattern (``match = "x.match.toml"``; default: PATTERN.match.toml beside it)
    match: Path | None = None
    #: the grade rule table (``.RUL``) of the pattern: the order's ``rules``, else the ``.rul``
    #: beside the pattern (same stem, any case), else ``None``
    rules: Path | None = None
    #: what layers of a plain DXF hold, ``(name pattern, role)`` in the file's order (see
    #: :mod:`kitcut.formats.reading.layer_roles`)
    layers: tuple[tuple[str, str], ...] = ()
    #: import options as on the command line: ``--repair``, ``--keep-folded``, ``--tolerance``
    #: (``None``: not given, the reader's default)
    repair: bool = False
    keep_folded: bool = False
    tolerance_mm: float | None = None
    #: ``count = N`` instead of ``sizes``: N garments of a pattern without sizes (``sizes`` is
    #: then ``{ONE_SIZE: N}``)
    one_size: bool = False


@dataclass(frozen=True)
class Fabric:
    """One ``[[fabrics]]`` line (lengths in mm).

    ``shrinkage_pct = (x, y)``: the fabric shrinks by x % along the roll (marker length) and
    y % across the width; pieces are enlarged by ``1 / (1 - pct/100)`` in their grain frame
    (along the grain = along the roll) so that they are true to size after shrinking.
    ``categories``: the piece categories cut from this fabric; ``materials``: the piece materials
    (the ``Fabric:``/``Material:`` texts: AccuMark's fabric codes 1, 2, 3...); a fabric with
    neither takes every piece no other fabric lists.
    """

    name: str
    width_mm: float
    spacing_mm: float = 0.0
    margin_mm: float = 0.0
    nap: str = "two-way"
    tilt_deg: float = 0.0
    pairs: bool = True
    shrinkage_pct: tuple[float, float] = (0.0, 0.0)
    categories: tuple[str, ...] | None = None
    materials: tuple[str, ...] | None = None
    #: the design's repeat (stripes, checks) and the zones of the roll (see kitcut.model.fabric)
    repeat: Repeat = Repeat()
    zones: tuple[FabricZone, ...] = ()

    @property
    def rules(self) -> Rules:
        return Rules(width=self.width_mm, spacing=self.spacing_mm, margin=self.margin_mm, nap=self.nap,
                     tilt_deg=self.tilt_deg, pairs=self.pairs, repeat=self.repeat, zones=self.zones)

    @property
    def key(self) -> tuple:
        """Orders whose fabrics share this key can be nested on one marker (``--combine``)."""
        zones = tuple((z.shape.tobytes(), z.allow) for z in self.zones)
        return (self.name.strip().lower(), self.width_mm, self.spacing_mm, self.margin_mm, self.nap,
                self.tilt_deg, self.pairs, self.repeat, zones)

    def lists(self, category: str | None, material: str | None) -> bool:
        """Whether this fabric names the piece: its category in ``categories`` (without case), or
        its material in ``materials`` (as ``--material`` compares them: :func:`~kitcut.kits.
        materials.material_key`)."""
        if self.categories is not None and category and category.strip() and \
                nfc(category.strip()).lower() in {c.lower() for c in self.categories}:
            return True
        key = material_key(material)
        return self.materials is not None and bool(key) and key in {material_key(m) for m in self.materials}

    @property
    def takes_the_rest(self) -> bool:
        """A fabric without ``categories`` and ``materials``: the pieces no other fabric names."""
        return self.categories is None and self.materials is None


@dataclass(frozen=True)
class Order:
    """A validated order file."""

    id: str
    customer: str
    garments: tuple[Garment, ...]
    fabrics: tuple[Fabric, ...]
    due: str | None = None
    path: Path | None = None
    notes: str | None = None

    @property
    def garment_count(self) -> int:
        return sum(sum(g.sizes.values()) for g in self.garments)


# -- parsing -------------------------------------------------------------------------------------

_ORDER_KEYS = {"id", "customer", "due", "notes"}
_GARMENT_KEYS = {"pattern", "sizes", "count", "name", "units", "quantities", "encoding", "match", "rules",
                 "layers", "repair", "keep_folded", "tolerance_mm"}
_FABRIC_KEYS = {"name", "width_mm", "spacing_mm", "margin_mm", "nap", "tilt_deg", "pairs",
                "shrinkage_pct", "categories", "materials", "repeat_mm", "repeat_phase_mm", "symmetric",
                "zones"}


class _Checker:
    def __init__(self, file: str):
        self.file = file

    def fail(self, field_name: str, message: str):
        raise OrderError(f"{field_name}: {message}", file=self.file)

    def table(self, data, name: str) -> dict:
        if not isinstance(data, dict):
            self.fail(name, f"must be a table, got {type(data).__name__}")
        return data

    def unknown(self, data: dict, allowed: set[str], where: str) -> None:
        extra = sorted(set(data) - allowed)
        if extra:
            self.fail(f"{where}.{extra[0]}", f"unknown field (allowed: {', '.join(sorted(allowed))})")

    def string(self, data: dict, key: str, where: str, *, required: bool = True) -> str | None:
        if key not in data:
            if required:
                self.fail(f"{where}.{key}", "missing")
            return None
        v = data[key]
        if not isinstance(v, str) or not v.strip():
            self.fail(f"{where}.{key}", f"must be a non-empty string, got {v!r}")
        return v

    def number(self, data: dict, key: str, where: str, *, default=None, positive=False, lo=None, hi=None):
        if key not in data:
            if default is None:
                self.fail(f"{where}.{key}", "missing")
            return float(default)
        v = data[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            self.fail(f"{where}.{key}", f"must be a number, got {v!r}")
        if positive and v <= 0:
            self.fail(f"{where}.{key}", f"must be > 0, got {v!r}")
        if lo is not None and v < lo:
            self.fail(f"{where}.{key}", f"must be >= {lo:g}, got {v!r}")
        if hi is not None and v > hi:
            self.fail(f"{where}.{key}", f"must be <= {hi:g}, got {v!r}")
        return float(v)


def _read_toml(path: Path) -> dict:
    """The TOML of an order file (UTF-8 or UTF-16 with its mark: :func:`read_user_text`)."""
    try:
        text = read_user_text(path)
        if not text.strip():  # a truncated upload or copy: an order that failed, not "not an order"
            raise OrderError("the order file is empty (0 bytes or only blanks): was it copied whole?",
                             file=str(path))
        return tomllib.loads(text)
    except FileNotFoundError as exc:
        raise OrderError("no such order file", file=str(path)) from exc
    except OSError as exc:
        raise OrderError(f"cannot read order file: {exc.strerror or exc}", file=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise OrderError(f"not valid TOML: {exc}", file=str(path)) from exc
    except UnicodeDecodeError as exc:  # neither UTF-8 nor UTF-16 with its mark
        raise OrderError(f"not valid TOML: not UTF-8 text (at byte {exc.start + 1} of the file)",
                         file=str(path)) from None


def read_order_id(path: str | os.PathLike) -> str:
    """The checked ``[order] id`` of an order file, without reading anything else."""
    data = _read_toml(Path(path))
    c = _Checker(str(path))
    if "order" not in data:
        c.fail("order", "missing [order] table")
    order = c.table(data["order"], "order")
    return check_order_id(c.string(order, "id", "order"), file=str(path))


def not_an_order(path: str | os.PathLike) -> str | None:
    """Why a ``*.toml`` file in a folder of orders is not an order (a pattern's match file, a
    device file: valid TOML without ``[order]``, ``[[garments]]`` or ``[[fabrics]]``), or ``None``
    when it is one, or may be: a file that cannot be read or is not valid TOML is taken for a
    broken order, so that it fails naming its problem."""
    try:
        data = _read_toml(Path(path))
    except OrderError:
        return None
    if any(key in data for key in ("order", "garments", "fabrics")):
        return None
    return "it has no [order] table"


def _parse_garment(g, i: int, folder: Path, c: _Checker, allow_outside: bool) -> Garment:
    where = f"garments[{i}]"
    g = c.table(g, where)
    c.unknown(g, _GARMENT_KEYS, where)
    pattern = c.string(g, "pattern", where)
    path = locate(pattern, folder, allow_outside, c, f"{where}.pattern", "pattern file")
    if "sizes" in g and "count" in g:
        c.fail(f"{where}.count", "give sizes (garments per size) or count (garments of a pattern "
                                 "without sizes), not both")
    if "count" in g:
        n = g["count"]
        if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
            c.fail(f"{where}.count", f"must be a whole number of garments > 0, got {n!r}")
        sizes = {ONE_SIZE: n}
    elif "sizes" not in g:
        c.fail(f"{where}.sizes", "missing (e.g. sizes = { M = 2 }; count = 2 for a pattern without sizes)")
    else:
        sizes = g["sizes"]
    if isinstance(sizes, list) and sizes and all(isinstance(s, str | int) and not isinstance(s, bool)
                                                 for s in sizes):
        listed: dict = {}  # a list of sizes: one garment of each (a size listed twice, two)
        for s in sizes:
            listed[str(s)] = listed.get(str(s), 0) + 1
        sizes = listed
    if not isinstance(sizes, dict) or not sizes:
        c.fail(f"{where}.sizes", "must be a non-empty table of size = count (or a list of sizes, one "
                                 f"garment of each), got {sizes!r}")
    out: dict[str, int] = {}
    for size, n in sizes.items():
        if isinstance(n, bool) or not isinstance(n, int):
            c.fail(f"{where}.sizes.{size}", f"must be a whole number of garments, got {n!r}")
        if n <= 0:
            c.fail(f"{where}.sizes.{size}", f"must be > 0, got {n}")
        out[str(size)] = n
    name = c.string(g, "name", where, required=False) or path.stem
    units = c.string(g, "units", where, required=False)
    quantities = {}
    if "quantities" in g:
        from kitcut.kits.quantities import parse_quantities

        q = c.table(g["quantities"], f"{where}.quantities")
        try:
            quantities = parse_quantities(q, what=f"{where}.quantities")
        except KitcutError as exc:
            c.fail(exc.message.split(": ", 1)[0], exc.message.split(": ", 1)[1])
    encoding = c.string(g, "encoding", where, required=False)
    if encoding is not None:
        try:
            encoding = check_encoding(encoding, what=f"{where}.encoding")
        except KitcutError as exc:
            raise OrderError(exc.message, file=c.file) from None
    match = None
    if "match" in g:
        text = c.string(g, "match", where)
        match = locate(text, folder, allow_outside, c, f"{where}.match", "match file")
    rules = _garment_rules(g, path, folder, c, allow_outside, where)
    layers: tuple[tuple[str, str], ...] = ()
    if "layers" in g:
        from kitcut.formats.reading.layer_roles import LayerRoles

        table = c.table(g["layers"], f"{where}.layers")
        for layer, role in table.items():
            if not isinstance(role, str):
                c.fail(f"{where}.layers.{layer}", f"must be a role name (e.g. \"grain\"), got {role!r}")
        try:
            LayerRoles(table, where=f"{where}.layers")
        except KitcutError as exc:
            raise OrderError(exc.message, file=c.file) from None
        layers = tuple((str(k), str(v)) for k, v in table.items())
    flags = {}
    for key in ("repair", "keep_folded"):
        flags[key] = g.get(key, False)
        if not isinstance(flags[key], bool):
            c.fail(f"{where}.{key}", f"must be true or false, got {flags[key]!r}")
    tolerance = c.number(g, "tolerance_mm", where, positive=True, hi=10.0) if "tolerance_mm" in g else None
    return Garment(name=name, pattern=path, sizes=out, units=units, quantities=quantities, encoding=encoding,
                   match=match, rules=rules, layers=layers, tolerance_mm=tolerance, one_size="count" in g,
                   **flags)


def _garment_rules(g: dict, pattern: Path, folder: Path, c: _Checker, allow_outside: bool,
                   where: str) -> Path | None:
    """The garment's grade rule table: ``rules`` (inside the order's folder, like ``pattern``),
    else the ``.rul`` beside the pattern, which must stay inside the folder too; ``rules =
    false``: none."""
    from kitcut.errors import GradeRuleError
    from kitcut.formats.reading.rul import find_rules

    if g.get("rules") is False:  # rules = false: as --no-rules
        return None
    given = c.string(g, "rules", where, required=False)
    if given is not None:
        return locate(given, folder, allow_outside, c, f"{where}.rules", "grade rule file")
    try:
        found = find_rules(pattern)
    except GradeRuleError as exc:
        c.fail(f"{where}.rules", exc.message + " (name one with rules = \"...\")")
    if found is None:
        return None
    rel = found.relative_to(folder) if found.is_relative_to(folder) else found
    return inside(rel, folder, allow_outside, c, f"{where}.rules (found beside the pattern)")


def _parse_fabric(f, i: int, c: _Checker) -> Fabric:
    where = f"fabrics[{i}]"
    f = c.table(f, where)
    c.unknown(f, _FABRIC_KEYS, where)
    name = c.string(f, "name", where)
    width = c.number(f, "width_mm", where, positive=True, hi=MAX_WIDTH_MM)
    spacing = c.number(f, "spacing_mm", where, default=0.0, lo=0.0, hi=MAX_SPACING_MM)
    margin = c.number(f, "margin_mm", where, default=0.0, lo=0.0)
    if width - 2 * margin <= 0:
        c.fail(f"{where}.margin_mm", f"margins of {margin:g} mm leave no usable width on {width:g} mm")
    nap = f.get("nap", "two-way")
    if not isinstance(nap, str):
        c.fail(f"{where}.nap", f"must be a string, got {nap!r}")
    try:
        nap = check_nap(nap)
    except KitcutError:
        c.fail(f"{where}.nap", f"unknown nap {nap!r}; use one of {', '.join(NAP_MODES)}")
    tilt = c.number(f, "tilt_deg", where, default=0.0, lo=0.0, hi=45.0)
    pairs = f.get("pairs", True)
    if not isinstance(pairs, bool):
        c.fail(f"{where}.pairs", f"must be true or false, got {pairs!r}")
    shrink = f.get("shrinkage_pct", [0.0, 0.0])
    if isinstance(shrink, (int, float)) and not isinstance(shrink, bool):
        shrink = [shrink, shrink]
    if not isinstance(shrink, list) or len(shrink) != 2:
        c.fail(f"{where}.shrinkage_pct", f"must be [x, y] (percent along, across), got {shrink!r}")
    sx = c.number({"x": shrink[0]}, "x", f"{where}.shrinkage_pct", lo=-20.0, hi=40.0)
    sy = c.number({"y": shrink[1]}, "y", f"{where}.shrinkage_pct", lo=-20.0, hi=40.0)
    if sx != sy and nap in ("quarter", "free"):  # a piece turned across the roll shrinks the other way
        c.fail(f"{where}.shrinkage_pct", f"[{sx:g}, {sy:g}] differs along and across the roll, and nap "
               f"{nap!r} lets pieces lie across it, where they would shrink the other way: give one "
               "shrinkage for both, or nap 'one-way' or 'two-way'")
    cats = f.get("categories")
    if cats is not None:
        if not isinstance(cats, list) or not cats or not all(isinstance(x, str) and x.strip() for x in cats):
            c.fail(f"{where}.categories", f"must be a non-empty list of category names, got {cats!r}")
        cats = tuple(nfc(x.strip()) for x in cats)
    mats = f.get("materials")
    if mats is not None:  # AccuMark's fabric codes are numbers: materials = [2] as ["2"]
        if not isinstance(mats, list) or not mats or not all(
                (isinstance(x, str) and x.strip()) or (isinstance(x, int) and not isinstance(x, bool))
                for x in mats):
            c.fail(f"{where}.materials", "must be a non-empty list of material names (the pieces' Fabric: "
                                         f"or Material: texts), got {mats!r}")
        mats = tuple(nfc(str(x).strip()) for x in mats)
    from kitcut.kits.matching import fabric_design

    repeat, zones = fabric_design(f, where, c.fail)
    return Fabric(name=name.strip(), width_mm=width, spacing_mm=spacing, margin_mm=margin, nap=nap,
                  tilt_deg=tilt, pairs=pairs, shrinkage_pct=(sx, sy), categories=cats, materials=mats,
                  repeat=repeat, zones=zones)


def _distinct_folders(fabrics: tuple[Fabric, ...], c: _Checker) -> None:
    """Each fabric's marker folder (``fabrics/<slug of its name>``) must be its own, also on a
    file system that ignores case (a kit copied to a Windows share)."""
    groups: dict[str, list[int]] = {}
    for i, f in enumerate(fabrics):
        groups.setdefault(slug(f.name).casefold(), []).append(i)
    same = next((g for g in groups.values() if len(g) > 1), None)
    if same is None:
        return
    names = {fabrics[i].name for i in same}
    where = f"fabrics[{same[1]}].name"
    if len(names) == 1:
        each = " and ".join(f"fabrics[{i}]" for i in same)
        c.fail(where, f"{fabrics[same[0]].name!r} is the name of {each}: give each fabric a name of its own")
    typed = [f"{fabrics[i].name!r} (fabrics[{i}])" for i in same]
    folders = {slug(fabrics[i].name) for i in same}
    folder = slug(fabrics[same[0]].name)
    case = "" if len(folders) == 1 else " (folder names are compared without case, as Windows and macOS do)"
    c.fail(where, f"{', '.join(typed[:-1])} and {typed[-1]} give the same folder fabrics/{folder}{case}: "
           "give the fabrics names that differ in more than case, accents or punctuation")


def load_order(path: str | os.PathLike, *, allow_outside: bool = False) -> Order:
    """Read and check an order file (not yet its patterns: see :func:`plan_order`).

    Pattern paths are relative to the order file and must stay inside its folder (no ``..``,
    no absolute path, no symlink leading out) unless ``allow_outside`` is true.
    """
    path = Path(path)
    data = _read_toml(path)
    c = _Checker(str(path))
    c.unknown(data, {"order", "garments", "fabrics"}, "(top level)")
    if "order" not in data:
        c.fail("order", "missing [order] table")
    head = c.table(data["order"], "order")
    c.unknown(head, _ORDER_KEYS, "order")
    oid = check_order_id(c.string(head, "id", "order"), file=str(path))
    customer = c.string(head, "customer", "order")
    due = None if head.get("due") is None else check_due(head["due"], c.fail)
    notes = c.string(head, "notes", "order", required=False)
    for key in ("garments", "fabrics"):
        if key not in data:
            c.fail(key, f"missing: add at least one [[{key}]] table")
        if not isinstance(data[key], list) or not data[key]:
            got = type(data[key]).__name__
            c.fail(key, f"must be one or more [[{key}]] tables (double brackets), got {got}")
    garments_raw, fabrics_raw = data["garments"], data["fabrics"]
    folder = path.parent
    garments = [_parse_garment(g, i, folder, c, allow_outside) for i, g in enumerate(garments_raw)]
    seen: dict[str, int] = {}
    for i, g in enumerate(garments):  # make garment names unique: tee, tee-2
        k = seen.get(g.name, 0) + 1
        seen[g.name] = k
        if k > 1:
            garments[i] = replace(g, name=f"{g.name}-{k}")
    fabrics = tuple(_parse_fabric(f, i, c) for i, f in enumerate(fabrics_raw))
    _distinct_folders(fabrics, c)
    return Order(id=oid, customer=customer, garments=tuple(garments), fabrics=fabrics, due=due,
                 path=path, notes=notes)
