"""Order plans: the pieces each fabric of an order cuts, and where every cut copy belongs.

:func:`plan_order` reads an order's patterns and builds, per fabric, a :class:`FabricPlan`: a
pattern of the pieces to nest (quantities for the whole order, shrinkage applied, names
``<order>/<garment>/<piece>``, a ``/`` or ``%`` in a field written ``%2F`` / ``%25`` as in the
labels' codes: :func:`code_path`) and, for each of them, a :class:`KitPiece` saying which garment,
size and garment number each copy is sewn into.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from kitcut.errors import KitcutError, OrderError
from kitcut.formats.reading.sizes import UnknownSizeError, garments_per_size, size_key
from kitcut.kits.matching import apply_match_file, find_match_file, idle_match_points, unknown_categories
from kitcut.kits.materials import mixed_note
from kitcut.kits.order import Fabric, Order
from kitcut.kits.quantities import annotated_hint, annotated_note, apply_quantities
from kitcut.limits import check as check_limit
from kitcut.model import Pattern, Piece, Rules
from kitcut.model.affine import affine_piece
from kitcut.remedies import in_order_words, reword

__all__ = ["KitPiece", "FabricPlan", "OrderPlan", "code_path", "plan_order", "shrink_piece", "size_key"]


def code_path(*fields) -> str:
    """``fields`` joined by ``/``, a ``/`` or ``%`` inside a field written ``%2F`` / ``%25``, so
    that different fields never give one text (garment ``G`` piece ``a/Front`` and garment
    ``G/a`` piece ``Front``).

    >>> code_path("A-1", "G/a", "Front"), code_path("A-1", "G", "a/Front"), code_path("x", "50%")
    ('A-1/G%2Fa/Front', 'A-1/G/a%2FFront', 'x/50%25')
    """
    return "/".join(str(f).replace("%", "%25").replace("/", "%2F") for f in fields)


@dataclass(frozen=True)
class KitPiece:
    """Where the copies of one nested piece belong.

    The nested piece (``FabricPlan.pattern.pieces[i]``) cuts ``per_garment`` copies for each
    of ``garments`` garments: its first ``garments * unmirrored`` copies as drawn, then
    ``garments * mirrored`` mirrored copies.
    """

    order: str
    garment: str
    size: str
    piece: str
    garments: int
    unmirrored: int
    mirrored: int
    category: str | None = None
    graded: bool = False  # the piece's size was graded from the sample size (a .RUL)

    @property
    def per_garment(self) -> int:
        return self.unmirrored + self.mirrored

    def copy_owner(self, copy: int) -> tuple[int, int, bool]:
        """``(garment number from 1, copy within the garment from 1, mirrored)`` of a copy."""
        u, m = self.unmirrored, self.mirrored
        if copy < u * self.garments:
            return copy // u + 1, copy % u + 1, False
        k = copy - u * self.garments
        return k // m + 1, u + k % m + 1, True


@dataclass(frozen=True)
class FabricPlan:
    """The pieces one fabric cuts for one order (or several, when combined)."""

    fabric: Fabric
    pattern: Pattern
    kit_pieces: tuple[KitPiece, ...]

    @property
    def rules(self) -> Rules:
        return self.fabric.rules


@dataclass(frozen=True)
class OrderPlan:
    #: the order as planned: each garment's sizes under the pattern's own size names (``Medium``
    #: for an order's `` medium `` or ``m``), as the markers, labels and pick list name them
    order: Order
    fabrics: tuple[FabricPlan, ...]
    patterns: dict[str, Pattern] = field(default_factory=dict)
    unused_fabrics: tuple[str, ...] = ()  # fabrics of the order that no piece goes to
    #: what the plan says: a fabric taking pieces of several materials (a rib collar on the
    #: jersey's marker), pieces of quantity 0 whose annotations give a cut count, designs unused
    mixed: tuple[str, ...] = ()


def _affine(piece: Piece, fx: float, fy: float) -> Piece:
    """``piece`` scaled by ``fx`` along its grain and ``fy`` across it."""
    if fx == 1.0 and fy == 1.0:
        return piece
    g = math.radians(piece.grain_angle_deg or 0.0)
    c, s = math.cos(g), math.sin(g)
    rot = np.array([[c, -s], [s, c]])
    return affine_piece(piece, rot @ np.diag([fx, fy]) @ rot.T)


def shrink_piece(piece: Piece, shrinkage_pct: tuple[float, float]) -> Piece:
    """Enlarge ``piece`` for a fabric that shrinks by ``(x, y)`` percent.

    x is along the grain (laid along the roll), y across it; the factor is ``1 / (1 - pct/100)``
    so that the piece is true to size after the fabric has shrunk.

    >>> p = shrink_piece(Piece("A", [(0, 0), (100, 0), (100, 50), (0, 50)]), (20, 0))
    >>> p.width, p.height
    (125.0, 50.0)
    """
    fx = 1.0 / (1.0 - shrinkage_pct[0] / 100.0)
    fy = 1.0 / (1.0 - shrinkage_pct[1] / 100.0)
    return _affine(piece, fx, fy)


def _default_reader(path: Path, units: str | None, sizes=None, *, encoding: str | None = None,
                    rules=False, layers=None, repair: bool = False, keep_folded: bool = False,
                    tolerance_mm: float | None = None) -> Pattern:
    from kitcut.formats.reading.read import read_pattern

    extra = {} if tolerance_mm is None else {"tolerance": tolerance_mm}
    return read_pattern(path, units=units, sizes=sizes, encoding=encoding, rules=rules, layers=layers,
                        repair=repair, unfold=not keep_folded, **extra)


def _read_garment(g, reader, gi: int, file: str | None) -> tuple[Pattern, dict[str, int]]:
    """The pattern of garment ``g`` (only its sizes, when the reader can say) and its garments
    per size under the file's own size names (``m`` for a file's ``M``, ``M`` for its
    ``Medium``: see :func:`~kitcut.formats.reading.sizes.select_sizes`); two names of one size are
    an error."""
    def no_size(exc: UnknownSizeError) -> OrderError:
        return OrderError(f"garments[{gi}].sizes.{exc.size}: {g.pattern.name} has no size {exc.size!r} "
                          f"(it has {', '.join(exc.available)})", file=file)

    if reader is None:
        from kitcut.formats.reading.layer_roles import LayerRoles

        layers = LayerRoles(g.layers, where=f"garments[{gi}].layers") if g.layers else None
        try:
            pattern = _default_reader(g.pattern, g.units, sizes=None if g.one_size else list(g.sizes),
                                      encoding=g.encoding, rules=g.rules or False, layers=layers,
                                      repair=g.repair, keep_folded=g.keep_folded, tolerance_mm=g.tolerance_mm)
        except UnknownSizeError as exc:
            raise no_size(exc) from None
    else:
        extra = {**({"encoding": g.encoding} if g.encoding else {}),
                 **({"rules": g.rules} if g.rules else {}),
                 **({"layers": g.layers} if g.layers else {}),
                 **{k: v for k, v in (("repair", g.repair), ("keep_folded", g.keep_folded)) if v},
                 **({"tolerance_mm": g.tolerance_mm} if g.tolerance_mm is not None else {})}
        pattern = reader(g.pattern, g.units, **extra)
    have = pattern.size_names
    if g.one_size and have:
        n = sum(g.sizes.values())
        raise OrderError(f"garments[{gi}].count: {g.pattern.name} has sizes ({', '.join(have)}): give the "
                         f"garments per size instead (e.g. sizes = {{ {have[0]} = {n} }})", file=file)
    try:  # m and M, or M and Medium, naming one size: an error, not added up
        wanted = garments_per_size(have, g.sizes, pattern=g.pattern.name, what=f"garments[{gi}].sizes")
    except UnknownSizeError as exc:
        raise no_size(exc) from None
    except KitcutError as exc:
        raise OrderError(exc.message, file=file) from None
    return pattern, wanted


def _garment_options(pattern: Pattern, g, gi: int, file: str | None) -> Pattern:
    """``pattern`` (read) with the garment's ``quantities`` and match file applied; an error is
    the order's, named by its field (the pattern file itself was read)."""
    try:
        pattern = apply_quantities(pattern, g.quantities, what=f"garments[{gi}].quantities",
                                   of=g.pattern.name)
    except KitcutError as exc:
        raise OrderError(exc.message, file=file, piece=exc.piece) from exc
    try:
        match_file = g.match or find_match_file(g.pattern)
        return pattern if match_file is None else apply_match_file(pattern, match_file)
    except KitcutError as exc:
        raise OrderError(f"garments[{gi}].match: {exc}", file=file) from exc


def _design_notes(order: Order, plans: list[FabricPlan]) -> list[str]:
    """What an order asks of a fabric's design that no piece takes up, said (as ``nest`` refuses
    it): a zone letting through a category no piece cut from the fabric has (a typo kept the
    pieces it meant off the zone), a garment's match file on fabrics without a repeat (its
    points unused)."""
    notes = []
    for plan in plans:
        for zone in plan.fabric.zones:
            missing, known = unknown_categories(zone, plan.pattern.pieces)
            notes += [f"fabric {plan.fabric.name!r}: zone {zone.name!r} lets category {cat!r} through, which "
                      f"no piece cut from it has (its pieces' categories: {', '.join(known) or 'none named'})"
                      for cat in missing]
        if idle := idle_match_points(plan.pattern.pieces, plan.fabric.repeat):
            notes.append(f"fabric {plan.fabric.name!r}: {idle}")
    for gi, g in enumerate(order.garments):
        if g.match is None:
            continue
        plain = [p.fabric.name for p in plans if not p.fabric.repeat.active
                 and any(k.garment == g.name for k in p.kit_pieces)]
        if plain:
            notes.append(f"garments[{gi}].match: {Path(g.match).name} places pieces on a repeat, but "
                         f"fabric(s) {', '.join(map(repr, plain))} have none (repeat_mm): its match points "
                         "are not used there")
    return notes


def _named(f) -> str:
    """A fabric and the lists it takes pieces by: ``rib categories ['TRIM']``."""
    lists = (("categories", f.categories), ("materials", f.materials))
    return f.name + "".join(f" {k} {list(v)}" for k, v in lists if v)


def _fabric_for(order: Order, piece: Piece) -> int | None:
    """The first fabric naming the piece's category or material, else the first naming neither."""
    for i, f in enumerate(order.fabrics):
        if f.lists(piece.category, piece.material):
            return i
    for i, f in enumerate(order.fabrics):
        if f.takes_the_rest:
            return i
    return None


def plan_order(
    order: Order, *, reader: Callable[[Path, str | None], Pattern] | None = None
) -> OrderPlan:
    """Read the order's patterns and build the pieces each fabric cuts.

    A piece with a category goes to the first fabric listing that category, else to the first
    fabric without a ``categories`` list (which takes everything); a piece without a category
    goes to the first fabric without a list. Quantity per size = piece quantity × garments of
    that size. Pieces without a size in a sized pattern are cut for every size.

    ``reader(path, units)`` reads a pattern; a garment's ``encoding`` and grade rule table are
    passed to it as the keywords ``encoding`` and ``rules`` (only when the order has them, so
    plugged-in readers without those keywords still serve orders that do not).
    """
    file = str(order.path) if order.path else None
    per_fabric: list[list[tuple[Piece, KitPiece]]] = [[] for _ in order.fabrics]
    patterns: dict[str, Pattern] = {}
    garments = []
    notes: list[str] = []
    for gi, g in enumerate(order.garments):
        try:
            pattern, wanted = _read_garment(g, reader, gi, file)
        except OrderError:
            raise
        except KitcutError as exc:  # its remedies named as this garment's fields, not as options
            reword(exc, f"garments[{gi}]")
            raise OrderError(f"garments[{gi}].pattern: cannot read {g.pattern.name}: "
                             f"{in_order_words(str(exc), f'garments[{gi}]')}", file=file) from exc
        pattern = _garment_options(pattern, g, gi, file)
        if note := annotated_note(pattern.pieces, how=f"garments[{gi}].quantities"):
            notes.append(f"garments[{gi}] ({g.pattern.name}): {note}")
        patterns[g.name] = pattern
        garments.append(replace(g, sizes=dict(wanted)))
        sizes = pattern.size_names
        cut = 0
        for size, n in wanted.items():
            pieces = [p for p in pattern.pieces if not sizes or p.size in (size, None)]
            for p in pieces:
                if p.quantity <= 0:
                    continue
                cut += 1
                fi = _fabric_for(order, p)
                if fi is None:
                    what = (f"category {p.category!r}" if p.category else "no category") + \
                        (f" and material {p.material!r}" if p.material else " and no material")
                    takes = ", ".join(_named(f) for f in order.fabrics)
                    how = "" if p.material else ' (materials = ["none"] takes the pieces without a material)'
                    raise OrderError(f"garments[{gi}]: piece {p.name!r} of {g.pattern.name} has {what}, "
                                     f"which no fabric takes (fabrics: {takes}){how}", file=file)
                fabric = order.fabrics[fi]
                check_limit("max_pieces", p.quantity * n, file=file, piece=p.name,
                            what=f"garments[{gi}].sizes.{size}: {n} garments x quantity {p.quantity}")
                mirrors = p.copy_mirrors(pairs=fabric.pairs)
                m = sum(mirrors)
                u = len(mirrors) - m
                kp = KitPiece(order=order.id, garment=g.name, size=size, piece=p.name, garments=n,
                              unmirrored=u, mirrored=m, category=p.category, graded=p.graded)
                scaled = shrink_piece(p, fabric.shrinkage_pct)
                nested = replace(scaled, name=code_path(order.id, g.name, p.name), size=size,
                                 quantity=(u + m) * n, flipped=m * n)
                per_fabric[fi].append((nested, kp))
        if not cut:  # the garment would vanish from the kit while workshop.txt lists it
            hint = annotated_hint(pattern.pieces, how=f"garments[{gi}].quantities")
            raise OrderError(f"garments[{gi}]: no piece of {g.pattern.name} to cut for {g.name!r}: every "
                             "piece has quantity 0 (the file says it is not cut); give its quantities, e.g. "
                             + (f"{hint} (the counts the pieces' annotations give: 1X, 2X...)" if hint else
                                f"garments[{gi}].quantities = {{ \"*\" = 1 }}"), file=file)
    plans = []
    unused = []
    for fabric, items in zip(order.fabrics, per_fabric, strict=True):
        if not items:
            unused.append(fabric.name)  # a fabric no piece goes to: nothing to cut (reported)
            continue
        pattern = Pattern(pieces=tuple(p for p, _ in items), style=f"{order.id} {fabric.name}",
                          source=file, units="mm")
        plans.append(FabricPlan(fabric=fabric, pattern=pattern, kit_pieces=tuple(k for _, k in items)))
    for plan in plans:
        note = mixed_note(plan.pattern.pieces, "give each its own [[fabrics]] with materials = [...] (e.g. "
                                               "materials = [\"2\"] for a rib)",
                          'materials = ["none"] takes the pieces without one')
        if note:
            notes.append(f"fabric {plan.fabric.name!r}: {note}")
    notes += _design_notes(replace(order, garments=tuple(garments)), plans)
    return OrderPlan(order=replace(order, garments=tuple(garments)), fabrics=tuple(plans), patterns=patterns,
                     unused_fabrics=tuple(unused), mixed=tuple(notes))
