"""Combined kits (``nest batch --combine``): orders that share a fabric are nested on one marker.

Two fabrics are the same when their :attr:`~kitcut.kits.order_fabrics.Fabric.key` matches: name
(case ignored), width, spacing, margin, nap, tilt, pair rule, shrinkage, repeat and zones. Orders
linked by shared fabrics (directly or through another order) form a *group*; each group of two or
more orders becomes one combined kit ``KITS/combined-<hash>/`` (the hash is of the sorted order ids)::

    manifest.json, kit.json, kit.pdf      the group's report, incl. what combining saved
    picklist.csv, picklist.txt            every piece of every order of the group
    fabrics/<fabric>/                     a shared fabric: one marker for all its orders
    fabrics/<fabric>-<order id>/          a fabric only one order of the group uses
    orders/<order id>/                    that order's picklist, labels.pdf, workshop.txt

Piece names on combined markers carry the order id (``A-1042/tee/Front``), so cutter files
and labels keep each order's pieces apart. To say what combining saved, each order's share of
a shared fabric is also nested on its own with the same options; ``kit.json`` reports
``combined.saved_metres`` = sum of the separate lengths - the combined length. An order in a
complete combined kit is skipped by later batches, like an order with a complete single kit.
An order of a group that cannot be cut fails alone (:class:`MemberFailures`); the others are
grouped again without it (:func:`regroup`). When the combined markers take more fabric than
the orders' own markers (``saved_metres`` < 0), each order gets its own kit from its own markers,
with a note saying why (:class:`SplitResult`).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from kitcut.errors import KitcutError, OrderError
from kitcut.groups import groups
from kitcut.kits.inputs import combined_inputs, kit_inputs
from kitcut.kits.jobs import Job, Outcome, failed_outcome
from kitcut.kits.kit import KitOptions, KitResult, _nest, assemble_kit, guarded_job, import_remarks, resolve
from kitcut.kits.manifest import is_complete, read_manifest
from kitcut.kits.order import Order, load_order, slug
from kitcut.kits.plan import FabricPlan, plan_order
from kitcut.model import Marker, Pattern

__all__ = ["combined_id", "combined_orders", "group_orders", "regroup", "merge_plans", "run_group_job",
           "build_combined", "MemberFailures"]

PREFIX = "combined-"


def combined_id(order_ids) -> str:
    """``combined-<10 hex>``: the kit id of a group of orders (independent of their order)."""
    return PREFIX + hashlib.sha1(",".join(sorted(order_ids)).encode()).hexdigest()[:10]


def combined_orders(root, only=None) -> dict[str, str]:
    """``{order id: combined kit id}`` of the complete combined kits under ``root`` (``only``:
    of the kits that hold one of these order ids; the others are not verified)."""
    out: dict[str, str] = {}
    root = Path(root)
    if not root.is_dir():
        return out
    for d in sorted(root.glob(PREFIX + "*")):
        if not d.is_dir():
            continue
        ids = [str(oid) for oid in (read_manifest(d) or {}).get("orders", [])]
        if (only is None or set(ids) & set(only)) and is_complete(d):
            out.update(dict.fromkeys(ids, d.name))
    return out


def group_orders(files: list[Path], options: KitOptions):
    """Split order files into jobs: groups sharing a fabric, and single orders.

    Orders are read and planned here so that one bad order fails alone, not its group.
    Returns ``(jobs, failed outcomes)``.
    """
    reader = resolve(options.reader) if options.reader else None
    good: list[tuple[Path, Order, list]] = []
    failed = []
    for f in files:
        try:
            order = load_order(f, allow_outside=options.allow_outside)
            used = [plan.fabric.key for plan in plan_order(order, reader=reader).fabrics]
        except KitcutError as exc:
            failed.append(failed_outcome(f, exc))  # with its id: "D-7.toml (D-7)", not "(?)"
            continue
        good.append((f, order, used))
    first_with: dict[tuple, int] = {}
    links = [(i, first_with.setdefault(key, i))  # only fabrics that pieces go to link orders
             for i, (_, _, used) in enumerate(good) for key in used]
    jobs = []
    for members in groups(len(good), links):
        ids = tuple(good[i][1].id for i in members)
        files_ = tuple(str(good[i][0]) for i in members)
        kit = ids[0] if len(ids) == 1 else combined_id(ids)
        jobs.append(Job(kit=kit, files=files_, orders=ids))
    return jobs, failed


def regroup(job, result: dict, options: KitOptions, log=None):
    """After the combined kit of ``job`` failed (``result``): the orders that failed on their own
    (``result["failed_orders"]``) fail, each with its own message naming its order file, and the
    others are grouped again without them; when no order failed on its own, each order is built
    alone (its own kit, or its own error). Returns ``(jobs, failed outcomes)``."""
    bad = result.get("failed_orders") or {}
    members = list(zip(job.files, job.orders, strict=True))
    if not bad:
        if log:
            log(f"{job.kit}: the combined kit failed ({result.get('message', '')}); "
                "each order is built alone")
        return [Job(kit=oid, files=(f,), orders=(oid,)) for f, oid in members], []
    if log:
        log(f"{job.kit}: {', '.join(sorted(bad))} cannot be cut: the other orders are grouped again")
    failed = [Outcome(file=Path(f).name, order=oid, status="failed", message=bad[oid],
                      seconds=result.get("seconds", 0.0)) for f, oid in members if oid in bad]
    rest = [Path(f) for f, oid in members if oid not in bad]
    jobs, more = group_orders(rest, options) if rest else ([], [])
    return jobs, failed + more


def _shown_names(groups: list[list[FabricPlan]]) -> dict[int, str]:
    """The name each fabric (a group of plans, by the ``id`` of its first) goes by in a combined
    kit. Two fabrics of one name that are not one fabric (orders with a 1400 mm and a 1500 mm
    `lining`) get their widths, or else their orders, in their names: the kit's pick list,
    labels and kit.pdf called both markers `lining`, each with its `marker #0`..."""
    out = {id(g[0]): g[0].fabric.name for g in groups}
    by_name: dict[str, list[list[FabricPlan]]] = {}
    for g in groups:
        by_name.setdefault(g[0].fabric.name.strip().casefold(), []).append(g)
    for same in by_name.values():
        if len(same) < 2:
            continue
        widths = [g[0].fabric.width_mm for g in same]
        for g in same:
            fabric = g[0].fabric
            if len(set(widths)) == len(widths):
                out[id(g[0])] = f"{fabric.name} {fabric.width_mm:g} mm"
            else:
                out[id(g[0])] = f"{fabric.name} ({', '.join(sorted({p.kit_pieces[0].order for p in g}))})"
    return out


def merge_plans(plans: list[FabricPlan]) -> FabricPlan:
    """One plan cutting the pieces of every plan (all of one fabric key)."""
    pieces = tuple(p for plan in plans for p in plan.pattern.pieces)
    kps = tuple(k for plan in plans for k in plan.kit_pieces)
    pattern = Pattern(pieces=pieces, style=f"combined {plans[0].fabric.name}", units="mm")
    return FabricPlan(fabric=plans[0].fabric, pattern=pattern, kit_pieces=kps)


class MemberFailures(OrderError):
    """Orders of a group that cannot be cut (a piece wider than its fabric, a pattern that cannot
    be read): ``failed`` maps each order id to its own error, which names its order file. The
    group is nested again without them."""

    def __init__(self, failed: dict[str, str]):
        super().__init__("; ".join(failed.values()))
        self.failed = failed


def _own(order: Order, what):
    """``what()``; a kitcut error names ``order``'s file when it names none."""
    try:
        return what()
    except KitcutError as exc:
        if exc.file is None and order.path is not None:
            exc.file = str(order.path)
        raise


def build_combined(files: list[str], root, options: KitOptions, *, log=None):
    """Nest and write the combined kit of ``files`` (see the module docstring).

    Each order's own share is nested first (alone on a shared fabric, for the saving; on a
    fabric only it uses, for the kit): an order that fails there is a :class:`MemberFailures`,
    so that it fails alone and the others are grouped again without it.
    """
    t0 = time.monotonic()  # the kit's build time: reading, every nest and writing
    reader = resolve(options.reader) if options.reader else None
    orders = [load_order(f, allow_outside=options.allow_outside) for f in files]
    kit_id = combined_id([o.id for o in orders])
    by_key: dict[tuple, list[FabricPlan]] = {}
    notes = []
    remarks: list[dict] = []
    failed: dict[str, str] = {}
    own_plans = {}
    for order in orders:
        try:
            order_plan = _own(order, partial(plan_order, order, reader=reader))
        except KitcutError as exc:
            failed[order.id] = str(exc)
            continue
        own_plans[order.id] = order_plan
        remarks += import_remarks(order_plan)
        notes += [f"order {order.id}, fabric {n!r}: no piece is cut from it"
                  for n in order_plan.unused_fabrics]
        notes += [f"order {order.id}, {n}" for n in order_plan.mixed]
        for plan in order_plan.fabrics:
            by_key.setdefault(plan.fabric.key, []).append(plan)
    by_id = {o.id: o for o in orders}
    plans: list[FabricPlan] = []
    folders: list[str] = []
    markers: dict[int, Marker] = {}
    shared = []
    alone: dict[str, list[tuple[FabricPlan, Marker]]] = {o.id: [] for o in orders}
    spent: dict[str, float] = {}  # the time each order's own markers took to nest
    shown = _shown_names(list(by_key.values()))
    for group in by_key.values():
        name = slug(group[0].fabric.name)
        folder = f"fabrics/{name}" if len(group) > 1 else f"fabrics/{name}-{group[0].kit_pieces[0].order}"
        while folder in folders:
            folder += "-2"
        folders.append(folder)
        separate = {}
        for plan in group:  # what each order's share takes on its own
            oid = plan.kit_pieces[0].order
            fabric = plan.fabric.name
            # a fabric alone in its group is this kit's marker: named as the kit names it (two
            # "lining" markers of two orders were both "combined-... lining" inside their files)
            label = f"{kit_id} {shown[id(group[0])]}" if len(group) == 1 else f"{oid} {fabric} (separate)"
            t1 = time.monotonic()
            try:
                m = _own(by_id[oid], partial(_nest, plan, options, label))
            except KitcutError as exc:
                failed.setdefault(oid, str(exc))
                continue
            spent[oid] = spent.get(oid, 0.0) + time.monotonic() - t1
            separate[oid] = m
            alone[oid].append((plan, m))
        if shown[id(group[0])] != group[0].fabric.name:  # two fabrics of one name in this kit
            group = [replace(p, fabric=replace(p.fabric, name=shown[id(group[0])])) for p in group]
        if len(group) == 1:
            plans.append(group[0])
            if separate:
                markers[len(plans) - 1] = separate[group[0].kit_pieces[0].order]
            continue
        plans.append(merge_plans(group))
        shared.append((len(plans) - 1, group[0].fabric.name,
                       {oid: m.length / 1000.0 for oid, m in separate.items()}))
    if failed:
        raise MemberFailures(failed)
    orders = [own_plans[o.id].order for o in orders]  # their sizes as the patterns name them
    for i, name, _ in shared:
        markers[i] = _nest(plans[i], options, f"{kit_id} {name}")
    fabrics_info = []
    all_sep = all_comb = 0.0
    for i, name, separate in shared:  # every figure rounded once, from the markers' lengths
        comb, sep = markers[i].length / 1000.0, sum(separate.values())
        all_sep, all_comb = all_sep + sep, all_comb + comb
        fabrics_info.append({"name": name, "folder": folders[i], "combined_metres": round(comb, 4),
                             "separate_metres": round(sep, 4), "saved_metres": round(sep - comb, 4),
                             "separate": {oid: round(v, 4) for oid, v in separate.items()}})
    combined = {
        "orders": [o.id for o in orders],
        "fabrics": fabrics_info,
        "separate_metres": round(all_sep, 4),
        "saved_metres": round(all_sep - all_comb, 4),
    }
    if combined["saved_metres"] < 0:  # combining costs fabric: each order its own kit, as nested
        kits = [_own_kit(root, o, own_plans[o.id], alone[o.id], options, log,
                         not_combined_note(o.id, [x.id for x in orders], all_comb, all_sep)) for o in orders]
        for o, kit in zip(orders, kits, strict=True):  # its own nests, then writing its kit
            kit.seconds = round(kit.seconds + spent.get(o.id, 0.0), 2)
        return SplitResult(kits)
    result = assemble_kit(root, kit_id, orders, plans, options, combined=combined, markers=markers,
                          folders=folders, notes=notes, log=log, remarks=remarks,
                          inputs=combined_inputs(orders, options.formats))
    result.seconds = round(time.monotonic() - t0, 2)  # not only the writing: markers came nested
    return result


def not_combined_note(oid: str, ids: list[str], combined: float, separate: float) -> str:
    """Why order ``oid`` of the group ``ids`` is cut in its own kit: the shared markers would take
    ``combined`` metres, its orders' own ``separate``. Up to four other orders are named, else
    three and a count (30 orders gave 30 notes of 29 ids each, in the log and every kit).

    >>> not_combined_note("A", ["A", "B", "C", "D", "E", "F"], 2.0, 1.9)[:50]
    'not combined with B, C, D and 2 other orders: one '
    """
    others = [x for x in ids if x != oid]
    named = ", ".join(others) if len(others) <= 4 else \
        f"{', '.join(others[:3])} and {len(others) - 3} other orders"
    return (f"not combined with {named}: one marker per shared fabric would take {combined:.3f} m "
            f"against {separate:.3f} m separately ({separate - combined:+.3f} m saved), so the order is cut "
            "in its own kit")


@dataclass
class SplitResult:
    """A group whose combined markers took more fabric than its orders' own: the orders were
    given their own kits (from the markers nested alone to compute the saving)."""

    results: list[KitResult]
    status: str = "built"

    def to_dict(self) -> dict:
        return {"status": self.status, "split": [r.to_dict() for r in self.results],
                "seconds": round(sum(r.seconds for r in self.results), 2)}


def _own_kit(root, order: Order, plan, nested: list[tuple[FabricPlan, Marker]], options: KitOptions,
             log, why: str) -> KitResult:
    """The single kit of ``order`` from its fabrics' markers nested alone (``nested``)."""
    notes = [f"fabric {n!r}: no piece of this order is cut from it" for n in plan.unused_fabrics]
    notes += plan.mixed
    return assemble_kit(root, order.id, [order], [p for p, _ in nested], options,
                        markers={i: m for i, (_, m) in enumerate(nested)}, notes=[why, *notes], log=log,
                        remarks=import_remarks(plan), inputs=kit_inputs(order, options.formats),
                        extra_notes=[why])


def run_group_job(files: list[str], root: str, options: KitOptions) -> dict:
    """Build a combined kit (in a worker process or on a Dask worker); never raises.

    A failed result lists in ``failed_orders`` the orders that failed on their own
    (:class:`MemberFailures`): ``{order id: message}``.
    """
    failed: dict[str, str] = {}

    def build(*args):
        try:
            return build_combined(*args)
        except MemberFailures as exc:
            failed.update(exc.failed)
            raise

    result = guarded_job(build, files, root, options)
    if failed:
        result["failed_orders"] = failed
    return result
