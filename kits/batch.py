"""Overnight batches: every order file of a folder becomes its kit.

:func:`run_batch` reads ``ORDERS/*.toml`` (the extension in any case: ``A-7.TOML``) and builds the
missing kits into ``KITS``; a TOML file that is not an order (a pattern's match file) is left out
with a note; a folder without an order file is an error:

- a kit already complete (its manifest verifies) and built from the order and pattern files as
  they are now (:mod:`kitcut.kits.inputs`) is skipped, so a killed batch is simply run again;
  a complete kit whose order or patterns changed is rebuilt, saying so; temporary folders of
  dead processes are removed;
- each order is *claimed* with an exclusive ``fcntl.flock`` on ``KITS/.locks/<id>.lock``
  while it is built: a second batch on the same folder skips it (status ``busy``); the kernel
  drops the lock when its process dies, so a killed batch leaves no stale claim; once claimed,
  the job is looked at again (:func:`~kitcut.kits.jobs.recheck`): an order another batch cut
  meanwhile is skipped, never cut twice;
- a failing order is recorded (``KITS/batch.log``, ``KITS/batch-report.json``) and the others
  go on; :attr:`BatchSummary.exit_code` is 2 when any failed;
- at the end ``KITS/index.html`` is rewritten (atomically): every order of the run with its
  status, failed orders first, metres, efficiency, time and a link to its kit page
  (:mod:`kitcut.kits.pages`);
- ``until``: no new order is started after that time (the rest are ``deferred``);
- ``workers > 1``: that many orders at once in worker processes, each nesting with one
  worker; ``scheduler``: the orders are submitted to a Dask cluster
  (:mod:`kitcut.kits.cluster`); ``combine``: orders sharing a fabric are nested together
  (:mod:`kitcut.kits.combine`).

Kits are built by the workers straight into ``KITS`` (a cluster needs it on a shared disk). With a
scheduler, relative paths are made absolute here, before anything is sent: a Dask worker has a
working folder of its own.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import os
import signal
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from kitcut.cells import escaped
from kitcut.errors import InputError, KitcutError
from kitcut.fileio import atomic_write, make_folder
from kitcut.kits.claims import Claims
from kitcut.kits.executors import PoolExecutor, SerialExecutor
from kitcut.kits.jobs import Job, Outcome, plan_jobs, recheck, settle_busy
from kitcut.kits.kit import KitOptions, build_kit, clean_stale, guarded_job
from kitcut.kits.order import has_order_tables, not_an_order

__all__ = ["BatchOptions", "Outcome", "BatchSummary", "Job", "run_batch", "run_order_job", "Claims",
           "parse_until", "order_files", "REPORT", "LOG"]

REPORT = "batch-report.json"
LOG = "batch.log"


@dataclass(frozen=True)
class BatchOptions:
    workers: int = 1
    until: datetime | None = None
    scheduler: str | None = None
    combine: bool = False
    kit: KitOptions = field(default_factory=KitOptions)
    isolate: bool = True  # build each kit in a worker process (a crash fails one order, not the batch)


@dataclass
class BatchSummary:
    outcomes: list[Outcome]
    seconds: float
    #: ``not an order: NAME (why)`` for each TOML file of the folder left out (not an order)
    notes: list[str] = field(default_factory=list)
    #: how the run was stopped before it finished (``"Ctrl-C"``), or ``None``
    stopped: str | None = None

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def metres(self) -> float:
        return round(sum(o.metres for o in self.outcomes if o.status == "done"), 4)

    @property
    def kits_metres(self) -> float:
        """The metres of every kit this run built or found complete (each kit once): what the
        morning's cutting takes after a batch resumed, where ``metres`` holds this run's alone."""
        return round(sum(o.metres for o in self.outcomes if o.status in ("done", "skipped")), 4)

    @property
    def mean_efficiency(self) -> float | None:
        kits = {o.kit: o.efficiency for o in self.outcomes if o.status == "done" and o.efficiency is not None}
        return sum(kits.values()) / len(kits) if kits else None

    @property
    def exit_code(self) -> int:
        return 2 if self.count("failed") else 0

    def to_dict(self) -> dict:
        return {"done": self.count("done"), "skipped": self.count("skipped"), "failed": self.count("failed"),
                "busy": self.count("busy"), "deferred": self.count("deferred"), "metres": self.metres,
                "kits_metres": self.kits_metres,
                "mean_efficiency": self.mean_efficiency, "seconds": round(self.seconds, 2),
                "notes": list(self.notes), "stopped": self.stopped}

    def text(self) -> str:
        eff = self.mean_efficiency
        eff_s = "-" if eff is None else f"{100 * eff:.1f} %"
        counts = [f"{self.count(k)} {k}" for k in ("done", "skipped", "failed")]
        counts += [f"{self.count(k)} {k}" for k in ("busy", "deferred") if self.count(k)]
        kits = f" (with the kits complete before: {self.kits_metres:.2f} m)" \
            if self.kits_metres > self.metres else ""
        stopped = f"stopped ({self.stopped}) before it finished; " if self.stopped else ""
        return (f"{stopped}orders: {', '.join(counts)}; fabric {self.metres:.2f} m{kits}; mean efficiency "
                f"{eff_s}; {self.seconds:.1f} s")


def parse_until(text: str, now: datetime | None = None) -> datetime:
    """``"HH:MM"`` as the next such clock time (tomorrow if it has passed today)."""
    now = now or datetime.now()
    try:
        hh, mm = text.strip().split(":")
        t = now.replace(hour=int(hh), minute=int(mm), second=0, microsecond=0)
    except ValueError as exc:
        raise InputError(f"--until must be a clock time HH:MM, got {text!r}") from exc
    if t <= now:
        t += timedelta(days=1)
    return t


def order_files(orders_dir: Path, notes: list[str] | None = None) -> list[Path]:
    """The order files of a folder: ``*.toml`` with the extension in any case (Windows editors
    write ``A-7.TOML``), sorted; none is an :class:`~kitcut.errors.InputError`.

    A TOML file that is not an order (a pattern's ``.match.toml`` beside it:
    :func:`~kitcut.kits.order.not_an_order`) is left out, with ``not an order: NAME (why)`` in
    ``notes``; so is a hidden one (``._A-7.toml``, the AppleDouble file macOS writes beside each
    file it copies to a USB stick or a share; an editor's ``.#A-7.toml``), as a shell's ``*.toml``
    leaves it out: read as an order, it failed every night, or took its order's id.
    """
    try:
        entries = sorted(orders_dir.iterdir())
    except OSError as exc:
        raise InputError(f"cannot list the folder of orders: {exc.strerror or exc}",
                         file=str(orders_dir)) from exc
    # ``T-1.toml `` (a blank after the name, which Windows drops) is an order file too
    files = [p for p in entries if p.name.rstrip(" .").lower().endswith(".toml") and not p.is_dir()]
    kept, left_out = [], []
    for p in entries:  # what looks meant as an order but is not read: said, not passed over
        low = p.name.lower()
        if p.name.startswith("."):
            continue
        if p.is_dir():
            inside = _orders_below(p)
            if inside:
                left_out.append(f"not read: {p.name}/ holds {inside} order file(s): orders in subfolders "
                                f"are not read (give {p.name} as the folder of orders, or move them up)")
        elif low.endswith(".toml.txt") and _an_order(p):
            left_out.append(f"not read: {p.name} (a .toml saved as .txt, as Notepad does with extensions "
                            "hidden? rename it to end in .toml)")
    for p in files:
        if p.name.startswith("."):
            left_out.append(f"not an order: {p.name} (a hidden file)")
            continue
        why = not_an_order(p)
        if why:
            left_out.append(f"not an order: {p.name} ({why})")
        else:
            kept.append(p)
    if not kept:
        why = f" ({'; '.join(left_out)})" if left_out else ""
        raise InputError(f"no *.toml order in {orders_dir}{why}")
    if notes is not None:
        notes += left_out
    return kept


def _an_order(path: Path) -> bool:
    """Whether ``path`` holds an order's TOML (:func:`~kitcut.kits.order.has_order_tables`)."""
    from kitcut.errors import OrderError
    from kitcut.kits.order_fields import read_toml

    try:
        return has_order_tables(read_toml(path))
    except (OrderError, OSError):
        return False


def _orders_below(folder: Path) -> int:
    """How many order files lie in ``folder`` and its subfolders (hidden ones and TOML files that
    are no order, such as a pattern's ``.match.toml``, left out)."""
    try:
        found = [p for p in folder.rglob("*.[tT][oO][mM][lL]")
                 if not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    except OSError:
        return 0
    return sum(1 for p in found if p.is_file() and not not_an_order(p))


def run_order_job(order_file: str, root: str, options: KitOptions) -> dict:
    """Build one order's kit (runs in a worker process or on a Dask worker); never raises."""
    return guarded_job(build_kit, order_file, root, options)


class _Log:
    def __init__(self, path: Path):
        self.fp = open(path, "a", encoding="utf-8", errors="backslashreplace")  # any name, written

    def __call__(self, message: str) -> None:
        # one line per entry: a name holding a line break (a fabric 'jer\nsey') is written escaped
        self.fp.write(f"{datetime.now().isoformat(timespec='seconds')} [{os.getpid()}] {escaped(message)}\n")
        self.fp.flush()

    def close(self) -> None:
        self.fp.close()


def _write_report(root: Path, outcomes: list[Outcome], summary: dict | None) -> None:
    """Merge this run's outcomes into ``KITS/batch-report.json`` (under a lock: batches may share it)."""
    lock = root / ".locks" / "batch-report.lock"
    with open(lock, "a+") as fp:
        fcntl.flock(fp, fcntl.LOCK_EX)
        try:
            data = json.loads((root / REPORT).read_text(encoding="utf-8"))
            if not isinstance(data.get("orders"), dict):
                raise ValueError
        except (OSError, ValueError, AttributeError):
            data = {"format": "kitcut-batch-report", "version": 1, "orders": {}}
        now = datetime.now().isoformat(timespec="seconds")
        for o in outcomes:
            data["orders"][o.file] = {**asdict(o), "time": now}
        data["updated"] = now
        if summary is not None:
            data["last_run"] = summary
        atomic_write(root / REPORT, json.dumps(data, indent=1, sort_keys=True) + "\n")


def _outcomes_of(job: Job, result: dict) -> list[Outcome]:
    if result.get("split"):  # combining cost fabric: each order got its own kit
        return [o for r in result["split"] for o in _outcomes_of(
            Job(kit=r["kit"], files=tuple(f for f, oid in zip(job.files, job.orders, strict=True)
                                          if oid == r["kit"]), orders=(r["kit"],)),
            {**r, "status": "done" if r["status"] == "built" else "skipped"})]
    status = result.get("status", "failed")
    if status == "skipped":  # complete when this build ended: what it nested was discarded, the
        # kit's own figures are in its kit.json (shown on the morning page)
        result = {"status": status, "kit": result.get("kit") or job.kit,
                  "seconds": result.get("seconds", 0.0),
                  "message": "kit already complete (built by another process meanwhile: this build was "
                             "discarded)"}
    message = result.get("message", "")
    if status == "done":  # why it was rebuilt, files of the old kit kept aside
        message = "; ".join(m for m in (job.note, message, *result.get("notes", [])) if m)
    out = []
    for file, oid in zip(job.files, job.orders, strict=True):
        first = oid == job.orders[0]  # a combined kit's metres are counted once, on its first order
        out.append(Outcome(file=Path(file).name, order=oid, status=status, message=message,
                           kit=result.get("kit") or job.kit,
                           metres=result.get("metres", 0.0) if first else 0.0,
                           efficiency=result.get("efficiency"), seconds=result.get("seconds", 0.0),
                           saved_metres=result.get("saved_metres"), builder=result.get("builder"),
                           remarks=result.get("remarks", 0), counted_on=None if first else job.orders[0]))
    return out


def _kit_figures(o: Outcome, root: Path, counted: dict[str, str]) -> Outcome:
    """A ``skipped`` order's metres and efficiency as its kit on disk states them (``kit.json``):
    a rerun of a batch reported every kit 0 m, and an order file's entry in ``batch-report.json``
    lost its figures. A kit's metres are counted once, on the first of its orders (``counted``:
    kit -> that order), as for the kits built."""
    if o.status != "skipped" or not o.kit or o.metres:
        return o
    from kitcut.kits.pages import kit_report

    report = kit_report(root, o.kit)
    totals = (report or {}).get("totals")
    if not isinstance(totals, dict):
        return o
    try:
        metres, efficiency = float(totals.get("metres") or 0.0), totals.get("efficiency")
        efficiency = None if efficiency is None else float(efficiency)
    except (TypeError, ValueError):
        return o
    if not (math.isfinite(metres) and metres >= 0) or (efficiency is not None and not 0 <= efficiency <= 1):
        return o  # a kit.json edited by hand: no NaN in batch-report.json (not JSON)
    first = counted.setdefault(o.kit, o.order or o.file)
    if first != (o.order or o.file):
        return replace(o, efficiency=efficiency, counted_on=first)
    return replace(o, metres=metres, efficiency=efficiency)


def not_built(how: str) -> str:
    """What an order the batch did not get to build says when the batch was stopped (``how``)."""
    return f"not built: the batch was stopped ({how}) before it; run the batch again"


def _record_stop(root: Path, files, jobs, outcomes: list[Outcome], seconds: float, not_orders,
                 log, exc: BaseException) -> None:
    """A batch stopped before it finished (``exc``: Ctrl-C, or a signal): ``batch.log`` says so,
    and ``batch-report.json`` and the morning page give this run, every order it did not build
    listed as deferred. Before, they went on showing the run before as the last one, finished."""
    signum = getattr(exc, "signum", None)
    try:
        how = "Ctrl-C" if signum is None else signal.Signals(signum).name
    except ValueError:
        how = f"signal {signum}"
    ids = {Path(f).name: o for j in jobs for f, o in zip(j.files, j.orders, strict=True)}
    seen = {o.file for o in outcomes}
    left = [Outcome(file=Path(f).name, order=ids.get(Path(f).name), status="deferred",
                    message=not_built(how)) for f in files]
    left = [o for o in left if o.file not in seen]
    _close_run(root, BatchSummary([*outcomes, *left], seconds, not_orders, stopped=how), left, log)


def _close_run(root: Path, summary: BatchSummary, new: list[Outcome], log) -> None:
    """The end of a run, finished or stopped: ``batch.log`` says so, ``batch-report.json`` takes
    the outcomes not yet in it (``new``) and the run's summary, and the morning's page
    (``KITS/index.html``) is written for the run's outcomes."""
    log(f"batch {'stopped' if summary.stopped else 'finished'}: " + summary.text())
    _write_report(root, new, summary.to_dict())
    from kitcut.kits.pages import write_batch_index

    write_batch_index(root, summary.outcomes, summary.to_dict())


def _log_cleaned(log, what: str, removed: list[str], put: list[str]) -> None:
    """Log the temporary folders :func:`clean_stale` removed, and apart what became of an old
    kit a stopped build had set aside (put back as the kit, or its files kept aside): the log
    called a kit put back a "stale temporary folder" removed."""
    gone = [n for n in removed if not any(n in p for p in put)]
    if gone:
        log(f"{what}: {', '.join(gone)}")
    for p in put:
        log(p)


def run_batch(
    orders_dir: str | os.PathLike,
    root: str | os.PathLike,
    options: BatchOptions | None = None,
    *,
    on_start: Callable[[int], None] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_begin: Callable[[Job], None] | None = None,
) -> BatchSummary:
    """Build the kit of every order file in ``orders_dir`` into ``root`` (see the module docstring).

    ``on_start(n)`` is called with the number of orders to build, ``on_begin(job)`` when a kit
    is started and ``on_outcome`` after each order.
    """
    t0 = time.monotonic()
    options = options or BatchOptions()
    orders_dir, root = Path(orders_dir), Path(root)
    if options.scheduler:  # workers resolve relative paths in their own working folder
        from kitcut.kits.worker_view import absolute

        orders_dir, root = absolute(orders_dir), absolute(root)
    if not orders_dir.is_dir():
        raise InputError("no such folder of orders", file=str(orders_dir))
    if options.workers < 1:
        raise InputError(f"--workers must be >= 1, got {options.workers}")
    not_orders: list[str] = []
    files = order_files(orders_dir, not_orders)
    make_folder(root)
    kit_opts = options.kit
    if options.workers > 1 or options.scheduler:
        kit_opts = replace(kit_opts, workers=1)
    log = _Log(root / LOG)
    claims = Claims(root)
    outcomes: list[Outcome] = []

    counted: dict[str, str] = {}  # kit -> the order whose line counts its metres

    def record(new: list[Outcome]) -> None:
        new = [_kit_figures(o, root, counted) for o in new]
        outcomes.extend(new)
        for o in new:
            what = o.message if o.status in ("failed", "busy", "deferred", "skipped") else (
                f"kit {o.kit}: " + (f"{o.metres:.3f} m" if o.counted_on is None else
                                    f"its metres counted once, on order {o.counted_on}")
                + f", efficiency {100 * (o.efficiency or 0):.1f} %, "
                f"{o.seconds:.1f} s, " + (f"built by {o.builder}" if o.builder else o.message)
                + (f"; {o.message}" if o.builder and o.message else "")
                + (f"; {o.remarks} import remark(s): see kit.pdf" if o.remarks else ""))
            log(f"{o.file} ({o.order or '?'}): {o.status}: {what}")
            if on_outcome:
                on_outcome(o)
        _write_report(root, new, None)

    executor = None
    jobs: list[Job] = []
    try:
        put: list[str] = []  # what became of old kits that stopped builds had set aside
        removed = clean_stale(root, said=put)
        log(f"batch started: {orders_dir} -> {root} (workers {options.workers}"
            f"{', scheduler ' + options.scheduler if options.scheduler else ''}"
            f"{', combine' if options.combine else ''}"
            f"{', until ' + str(options.until) if options.until else ''})")
        _log_cleaned(log, "removed stale temporary folders", removed, put)
        for note in not_orders:
            log(note)
        jobs, early = plan_jobs(files, root, options.combine, kit_opts)
        record(early)
        if on_start:
            on_start(sum(len(j.orders) for j in jobs))
        if options.scheduler:
            from kitcut.kits.cluster import DaskExecutor

            executor = DaskExecutor(options.scheduler, root)
            parallel = max(options.workers, executor.worker_count())
            problem = executor.check_workers()
            if problem:  # nothing is sent to a cluster whose workers cannot reach the kits
                log(f"not sent to the cluster: {problem}")
                record([Outcome(file=Path(f).name, order=o, status="failed", message=problem)
                        for j in jobs for f, o in zip(j.files, j.orders, strict=True)])
                jobs = []
            else:
                removed = executor.clean_workers()
                if removed:
                    log(f"removed stale temporary folders (by the workers): {', '.join(removed)}")
        elif options.isolate or options.workers > 1:
            executor = PoolExecutor(max(1, min(options.workers, len(jobs))))
            parallel = options.workers
        else:
            executor = SerialExecutor()
            parallel = 1
        from kitcut.kits.combine import regroup, run_group_job

        queue = list(jobs)
        retry: list[Job] = []  # jobs whose worker process died: run again, each alone
        alone = False
        pending: dict = {}
        while queue or pending or retry:
            if not queue and not pending:
                queue, retry, alone, parallel = retry, [], True, 1
            while queue and len(pending) < parallel:
                job = queue.pop(0)
                if options.until and datetime.now() >= options.until:
                    record([Outcome(file=Path(f).name, order=o, status="deferred",
                                    message=f"not started: past --until {options.until:%H:%M}")
                            for j in [job, *queue, *retry] for f, o in zip(j.files, j.orders, strict=True)])
                    queue.clear()
                    retry.clear()
                    break
                try:
                    claimed = claims.claim(job.orders)
                except KitcutError as exc:  # no right to claim it here: this order fails, the others go on
                    record([Outcome(file=Path(f).name, order=o, status="failed", message=str(exc))
                            for f, o in zip(job.files, job.orders, strict=True)])
                    continue
                if not claimed:
                    record([Outcome(file=Path(f).name, order=o, status="busy",
                                    message="claimed by another batch") for f, o in zip(job.files, job.orders,
                                                                                       strict=True)])
                    continue
                again, cut = recheck(job, root, kit_opts)  # cut meanwhile by another batch?
                record(cut)
                if len(again) != 1 or again[0].orders != job.orders:
                    claims.release(job.orders)
                    queue[:0] = again
                    continue
                job = again[0]
                for oid in job.orders:
                    clean_stale(root, oid)
                clean_stale(root, job.kit)
                note = " alone, after a worker crash" if alone else ""
                log(f"start {job.kit} ({', '.join(job.orders)}){note}")
                if on_begin:
                    on_begin(job)
                if len(job.files) == 1 and job.kit == job.orders[0]:
                    fut = executor.submit(run_order_job, job.files[0], str(root), kit_opts)
                else:
                    fut = executor.submit(run_group_job, list(job.files), str(root), kit_opts)
                pending[fut] = job
            if pending:
                for fut in executor.wait_first(pending):
                    job = pending.pop(fut)
                    claims.release(job.orders)
                    try:
                        result = fut.result()
                        if result.get("status") == "failed" and len(job.orders) > 1:
                            again, failed = regroup(job, result, kit_opts, log)  # a bad order fails alone
                            record(failed)
                            queue[:0] = again
                            continue
                    except BrokenProcessPool:
                        if not alone:  # this job or one running beside it crashed its process
                            log(f"{job.kit}: a worker process died; will retry it alone")
                            retry.append(job)
                            continue
                        result = {"status": "failed", "message": "the worker process building it died "
                                  "(a crash, e.g. in the nesting core, or out of memory)"}
                    except Exception as exc:  # a cluster error, a task given up after its workers died
                        result = {"status": "failed", "message": executor.failure(exc)}
                    record(_outcomes_of(job, result))
        put = []
        removed = clean_stale(root, said=put)  # left by crashed workers
        if options.scheduler and jobs:
            removed += executor.clean_workers()  # on the workers' hosts too
        _log_cleaned(log, "removed temporary folders of crashed workers", removed, put)
        settled = settle_busy(outcomes, orders_dir, root, kit_opts)  # kits another batch finished
        settled = [n if n is o else _kit_figures(n, root, counted)
                   for o, n in zip(outcomes, settled, strict=True)]
        changed = [n for o, n in zip(outcomes, settled, strict=True) if n is not o]
        for o in changed:
            log(f"{o.file} ({o.order}): {o.status}: {o.message}")
        outcomes[:] = settled
        summary = BatchSummary(outcomes, time.monotonic() - t0, not_orders)
        _close_run(root, summary, changed, log)
        return summary
    except KeyboardInterrupt as exc:  # Ctrl-C, SIGTERM: the log, the report and the page say so
        with contextlib.suppress(Exception):
            _record_stop(root, files, jobs, outcomes, time.monotonic() - t0, not_orders, log, exc)
        raise
    finally:
        if executor is not None:
            with contextlib.suppress(Exception):
                executor.shutdown()
        claims.release(list(claims.held))
        log.close()
