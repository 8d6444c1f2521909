"""What a batch builds: its jobs (one order, or a group of orders to combine) and what became of
each order file (:class:`Outcome`).

:func:`plan_jobs` turns the order files into jobs at the start of a run; :func:`recheck` looks at
a job again once its orders are claimed, as another batch (or ``nest kit``) may have cut them
in the meantime: an order now in a complete combined kit, or with a complete kit of its own
built from the order as it is now, is skipped, and a group is formed again from the orders left.
An order is never built into a second kit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from kitcut.cells import shown_name
from kitcut.errors import KitcutError
from kitcut.kits.inputs import changed_in_combined, kit_inputs, kit_state, stopped_fabrics
from kitcut.kits.kit import KitOptions, kit_path, set_aside_if_edited
from kitcut.kits.order import Order, load_order, read_order_id

__all__ = ["Outcome", "Job", "plan_jobs", "recheck", "failed_outcome", "cut_in_combined"]


@dataclass
class Outcome:
    """What happened to one order file: ``done``, ``skipped``, ``failed``, ``busy`` or ``deferred``."""

    file: str
    order: str | None
    status: str
    message: str = ""
    kit: str | None = None
    metres: float = 0.0
    efficiency: float | None = None
    seconds: float = 0.0
    saved_metres: float | None = None
    builder: str | None = None  # host:pid of the process that built the kit
    remarks: int = 0  # repairs and warnings reading the patterns (in the kit's report)
    #: the order of a combined kit whose line counts the kit's metres (this order's are 0.0)
    counted_on: str | None = None

    def __post_init__(self):
        # a file name that is not UTF-8 (a Latin-1 ZIP's), in the name and in messages that quote
        # its path: the log, the report and the morning page could not hold it, and the batch died
        self.file, self.message = shown_name(self.file), shown_name(self.message)


@dataclass(frozen=True)
class Job:
    """One unit of work: a single order, or a group of orders to combine."""

    kit: str
    files: tuple[str, ...]
    orders: tuple[str, ...]
    #: why a complete kit of the order is built again (its order or pattern changed), else empty
    note: str = ""


def failed_outcome(file: Path, exc: KitcutError) -> Outcome:
    """The outcome of an order file that cannot be read or checked: its id when it has a
    readable one (``A-7.toml (A-7)``, not ``(?)``)."""
    try:
        known = read_order_id(file)
    except KitcutError:
        known = None
    return Outcome(file=file.name, order=known, status="failed", message=str(exc))


def _check(f: Path, order: Order, root: Path, formats, cut_in: dict[str, str]) -> Outcome | str:
    """The outcome of an order not to be built now (it is cut in a complete combined kit, or its
    own kit is complete and built from the order as it is now, or its files cannot be read);
    else why its kit is built again (``""``: there is none yet)."""
    oid = order.id
    if oid in cut_in:
        return cut_in_combined(f, order, root / cut_in[oid], formats)
    if not ((root / oid).exists() or (root / oid).is_symlink()):
        return ""
    try:
        current, why = kit_state(root / oid, kit_inputs(order, formats))
    except KitcutError as exc:
        return Outcome(file=f.name, order=oid, status="failed", message=str(exc))
    if current:
        return Outcome(file=f.name, order=oid, status="skipped", kit=oid, message=why)
    return why


def cut_in_combined(f: Path, order: Order, kit: Path, formats) -> Outcome:
    """An order in the complete combined kit ``kit``: skipped when the kit cut the order as it is
    now (or does not record it); failed when the order or its pattern changed since, as the kit
    (shared with other orders) still cuts the old order."""
    try:
        changed = changed_in_combined(kit, order, kit_inputs(order, formats))
    except KitcutError as exc:
        return Outcome(file=f.name, order=order.id, status="failed", message=str(exc))
    if changed:
        return Outcome(file=f.name, order=order.id, status="failed", kit=kit.name, message=(
            f"{f}: the order or its pattern changed since it was cut in kit {kit.name}, which still "
            f"cuts it as it was: to cut it anew, {_rebuild(kit)}"))
    why = "" if changed is False else " (it does not record what it was built from: not compared)"
    if stopped := stopped_fabrics(kit):  # an order's own kit is rebuilt; a shared one is the user's call
        why += (f"; its search was stopped early (Ctrl-C) for fabric(s) {', '.join(map(repr, stopped))}: "
                f"to search it in full, {_rebuild(kit)}")
    return Outcome(file=f.name, order=order.id, status="skipped", kit=kit.name,
                   message=f"cut in kit {kit.name}{why}")


def _rebuild(kit: Path) -> str:
    """How a combined kit is built again: the user removes it (it is shared by its orders)."""
    return (f"remove the folder {kit.name} from the kits folder (its orders are then built again by the "
            "next batch)")


def _jobs_of(todo: list[tuple[Path, str, str]], combine: bool, options: KitOptions):
    """Jobs of ``todo`` = (order file, id, why its kit is rebuilt): an order with a kit of its own
    (``why``) is rebuilt in it, also under ``combine`` (moved into a combined kit it would be in
    two kits); under ``combine`` the others are grouped by shared fabrics."""
    jobs = [Job(kit=oid, files=(str(f),), orders=(oid,), note=why) for f, oid, why in todo
            if why or not combine]
    failed: list[Outcome] = []
    if combine and len(jobs) < len(todo):
        from kitcut.kits.combine import group_orders

        groups, failed = group_orders([f for f, _, why in todo if not why], options)
        jobs += groups
    return jobs, failed


def plan_jobs(files: list[Path], root: Path, combine: bool, options: KitOptions
              ) -> tuple[list[Job], list[Outcome]]:
    """The jobs of a run over ``files``, and the outcomes of the orders not to build (failed:
    unreadable, a bad id, an id used twice; skipped: already cut)."""
    from kitcut.kits.combine import combined_orders

    outcomes: list[Outcome] = []
    loaded: list[tuple[Path, Order]] = []
    for f in files:
        try:
            order = load_order(f, allow_outside=options.allow_outside)  # cheap: no pattern read
            kit_path(root, order.id)
        except KitcutError as exc:
            set_aside_if_edited(f, root, exc)  # edited into an order that no longer reads
            outcomes.append(failed_outcome(f, exc))
            continue
        loaded.append((f, order))
    users: dict[str, list[str]] = {}
    for f, order in loaded:
        users.setdefault(order.id.casefold(), []).append(f.name)  # A-1, a-1: one folder on Windows
    ready: list[tuple[Path, Order]] = []
    for f, order in loaded:  # one id, several order files: which is meant is not known, none is cut
        others = [name for name in users[order.id.casefold()] if name != f.name]
        if others:
            outcomes.append(Outcome(file=f.name, order=order.id, status="failed", message=(
                f"{f}: order id {order.id!r} is also used by {', '.join(others)} (ids are compared without "
                "case): none of these orders is built (give each order an id of its own)")))
        else:
            ready.append((f, order))
    cut_in = combined_orders(root)  # orders cut in a combined kit: never cut them again
    todo: list[tuple[Path, str, str]] = []
    for f, order in ready:
        state = _check(f, order, root, options.formats, cut_in)
        if isinstance(state, Outcome):
            outcomes.append(state)
        else:
            todo.append((f, order.id, state))
    jobs, failed = _jobs_of(todo, combine, options)
    return jobs, outcomes + failed


def recheck(job: Job, root: Path, options: KitOptions) -> tuple[list[Job], list[Outcome]]:
    """``job`` looked at again once its orders are claimed: ``([job], [])`` (its note brought up
    to date) when it is still to be built as it is; else the outcomes of its orders cut
    meanwhile (in a combined kit, or in a complete kit of their own) and the jobs of the others."""
    from kitcut.kits.combine import combined_orders

    cut_in = combined_orders(root, only=job.orders)
    outcomes: list[Outcome] = []
    todo: list[tuple[Path, str, str]] = []
    for file, oid in zip(job.files, job.orders, strict=True):
        f = Path(file)
        if cut_in.get(oid) == job.kit:  # this very group, completed by another batch
            outcomes.append(Outcome(file=f.name, order=oid, status="skipped", kit=job.kit,
                                    message="kit already complete"))
            continue
        try:
            order = load_order(f, allow_outside=options.allow_outside)
        except KitcutError as exc:
            outcomes.append(failed_outcome(f, exc))
            continue
        state = _check(f, order, root, options.formats, cut_in)
        if isinstance(state, Outcome):
            outcomes.append(state)
        else:
            todo.append((f, oid, state))
    if len(job.orders) == 1 and todo:
        return [replace(job, note=todo[0][2])], []
    if not outcomes and not any(why for _, _, why in todo):
        return [job], []
    jobs, failed = _jobs_of(todo, True, options)
    return jobs, outcomes + failed


def settle_busy(outcomes: list[Outcome], orders_dir: Path, root: Path, options: KitOptions) -> list[Outcome]:
    """``outcomes`` with each ``busy`` order (claimed by another batch when this one came to it)
    looked at again once this batch is done: an order whose kit the other batch has completed
    meanwhile is ``skipped`` with that kit (the morning page shows its figures), not ``busy`` with
    none; the others stay busy."""
    from kitcut.kits.combine import combined_orders

    if not any(o.status == "busy" for o in outcomes):
        return outcomes
    cut_in = combined_orders(root)
    out = []
    for o in outcomes:
        if o.status == "busy":
            f = orders_dir / o.file
            try:
                state = _check(f, load_order(f, allow_outside=options.allow_outside), root, options.formats,
                               cut_in)
            except KitcutError:
                state = ""
            if isinstance(state, Outcome) and state.status == "skipped":
                o = replace(state, message=f"built by another batch meanwhile: {state.message}")
        out.append(o)
    return out
