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

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from kitcut.errors import KitcutError, OrderError
from kitcut.formats.reading.encoding import check_encoding
from kitcut.kits.order_fabrics import Fabric, distinct_folders, parse_fabric
from kitcut.kits.order_fields import FieldChecker, read_toml
from kitcut.kits.order_ids import BATCH_FILES, check_due, check_order_id, slug
from kitcut.kits.order_paths import inside, locate

__all__ = ["Order", "Garment", "Fabric", "ONE_SIZE", "load_order", "read_order_id", "check_order_id", "slug",
           "not_an_order", "has_order_tables", "BATCH_FILES"]

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



def read_order_id(path: str | os.PathLike) -> str:
    """The checked ``[order] id`` of an order file, without reading anything else."""
    data = read_toml(Path(path))
    c = FieldChecker(str(path))
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
        data = read_toml(Path(path))
    except OrderError:
        return None
    return None if has_order_tables(data) else "it has no [order] table"


def has_order_tables(data: dict) -> bool:
    """Whether TOML ``data`` holds an order's tables (``[order]``, ``[[garments]]`` or
    ``[[fabrics]]``), or what is meant as them: spelt in another case or in the singular
    (``[Order]``, ``[[Garment]]``); such an order fails naming them, rather than being passed
    over as another kind of file and never cut.

    >>> has_order_tables({"Order": {}}), has_order_tables({"fabric": []}), has_order_tables({"pen": 1})
    (True, True, False)
    """
    meant = ("order", "garment", "fabric")
    return any(str(key).strip().casefold().removesuffix("s") in meant for key in data)


def _parse_garment(g, i: int, folder: Path, c: FieldChecker, allow_outside: bool) -> Garment:
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
        listed: dict = {}  # a list of sizes: a garment per entry (a size listed twice, two garments)
        spelt: dict = {}  # one size typed in two cases (" M", "m") is one size listed twice, not two
        for s in sizes:
            key = spelt.setdefault(str(s).strip().casefold(), str(s).strip() or str(s))
            listed[key] = listed.get(key, 0) + 1
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


def _garment_rules(g: dict, pattern: Path, folder: Path, c: FieldChecker, allow_outside: bool,
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




def load_order(path: str | os.PathLike, *, allow_outside: bool = False) -> Order:
    """Read and check an order file (not yet its patterns: see :func:`plan_order`).

    Pattern paths are relative to the order file and must stay inside its folder (no ``..``,
    no absolute path, no symlink leading out) unless ``allow_outside`` is true.
    """
    path = Path(path)
    data = read_toml(path)
    c = FieldChecker(str(path))
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
    named = {g.name.casefold() for g in garments}  # as given: a name made up must be none of these
    used: set[str] = set()
    for i, g in enumerate(garments):  # make garment names unique: tee, tee-2 (never a name given)
        name, k = g.name, 1
        while name.casefold() in used or (k > 1 and name.casefold() in named):
            k += 1
            name = f"{g.name}-{k}"
        used.add(name.casefold())
        if name != g.name:
            garments[i] = replace(g, name=name)
    fabrics = tuple(parse_fabric(f, i, c) for i, f in enumerate(fabrics_raw))
    distinct_folders(fabrics, c)
    return Order(id=oid, customer=customer, garments=tuple(garments), fabrics=fabrics, due=due,
                 path=path, notes=notes)
