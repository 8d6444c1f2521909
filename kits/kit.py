"""Build one cutting kit: an order's markers, cutter files, report, pick list, labels, manifest.

Layout of ``KITS/<order id>/`` (a *single* kit)::

    manifest.json            every other file with its SHA-256 and size (written last)
    kit.json, kit.pdf        the kit report: metres, efficiency and pieces per fabric
    picklist.csv, picklist.txt   the bundle list: every piece per garment, size and number
    labels.pdf               one QR label per cut piece
    workshop.txt             a short note for the partner sewing workshop
    kit.html                 the kit's page: its markers to look at, the pick list, its files
    fabrics/<fabric>/marker.json + the cutter and print files of that fabric's marker
                             (``marker.html`` there shows each piece's order, garment and bundle)

A *combined* kit (``nest batch --combine``, see :mod:`kitcut.kits.combine`) has the same
top-level files for the whole group, and the pick list, labels and workshop note of each order
under ``orders/<order id>/``.

The kit is built under ``KITS/.<id>.tmp-<pid>@<host>`` and renamed into place when complete,
so ``KITS/<id>/`` is either absent or complete. Nothing is written outside ``KITS``: ids are
checked by :func:`~kitcut.kits.order.check_order_id`.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import socket
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kitcut import __version__
from kitcut.cells import escaped
from kitcut.errors import ExportError, KitcutError, OrderError
from kitcut.fileio import atomic_write, make_folder, read_input
from kitcut.formats.layout.pdf_fonts import note_text
from kitcut.formats.marker_json import write_marker
from kitcut.kits.inputs import CHANGED, edited_since, kit_inputs, kit_state, recorded
from kitcut.kits.kit_pdf import write_kit_pdf
from kitcut.kits.manifest import is_complete, write_manifest
from kitcut.kits.matching import unmatched_notes
from kitcut.kits.order import Order, check_order_id, load_order, slug
from kitcut.kits.order_docs import fabric_summary, order_summary, pattern_name, write_order_docs
from kitcut.kits.pages import cut_info, kit_report, write_kit_page
from kitcut.kits.picklist import Cut, cuts_of, picklist_text, write_picklist_csv
from kitcut.kits.plan import FabricPlan, plan_order
from kitcut.kits.staging import HOST as _HOST  # noqa: F401 - kept for the modules that use it
from kitcut.kits.staging import clean_stale, pid_alive, publish, set_aside_outdated, temp_name
from kitcut.model import Marker
from kitcut.remedies import in_order_words

__all__ = ["KitOptions", "KitResult", "build_kit", "assemble_kit", "kit_path", "temp_name",
           "clean_stale", "pid_alive", "resolve"]


_EXPORTER = "kitcut.formats.writing.export:export_marker"


@dataclass(frozen=True)
class KitOptions:
    """How kits are nested and exported (picklable: sent to worker processes and Dask).

    ``nester``, ``reader`` and ``exporter`` are ``"module:function"`` names, so another
    nesting engine or reader can be plugged in (tests use a fast shelf layout).
    """

    time_limit: float = 10.0
    seed: int | None = None
    workers: int | None = None
    formats: tuple[str, ...] | None = None
    #: ``formats`` is ``--formats all``: a format whose device's media is narrower than a fabric is
    #: left out of that fabric's files with a note, as by ``nest export -f all``, not an error
    every_format: bool = False
    allow_outside: bool = False
    nester: str = "kitcut.kits.marker:nest_pattern"
    reader: str | None = None
    exporter: str | None = _EXPORTER
    max_iterations: int | None = None  # stop each search after this many iterations (reproducible runs)


@dataclass
class KitResult:
    """What :func:`build_kit` did (plain data: JSON- and pickle-friendly)."""

    kit: str
    path: str
    orders: list[str]
    status: str  # "built", "exists" (a complete kit was already there)
    fabrics: list[dict] = field(default_factory=list)
    metres: float = 0.0
    efficiency: float = 0.0
    pieces: int = 0
    seconds: float = 0.0
    saved_metres: float | None = None
    builder: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    #: repairs and warnings made reading the patterns (listed in kit.json and kit.pdf)
    remarks: int = 0
    #: what the operator should know (files of a replaced kit kept aside; a combined kit split)
    notes: list[str] = field(default_factory=list)
    #: the import remarks that change what is cut (a quantity assumed...), each as
    #: ``"garment (pattern): warning: ..."``
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def resolve(spec: str) -> Callable:
    """The function named by ``"package.module:function"``."""
    module, _, name = spec.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise KitcutError(f"cannot load {spec!r}: {exc}") from exc


def kit_path(root: str | os.PathLike, kit_id: str) -> Path:
    """``root/kit_id`` after checking that the id is a plain, safe folder name."""
    check_order_id(kit_id)
    root = Path(root)
    path = root / kit_id
    if path.resolve().parent != root.resolve():
        raise OrderError(f"kit id {kit_id!r} leads outside {root}")
    return path


def import_remarks(plan) -> list[dict]:
    """What reading each garment's pattern repaired, skipped or doubted (an :class:`~kitcut.kits.plan.
    OrderPlan`), for the kit report: an unattended batch's assumptions (a quantity assumed...) are seen."""
    out = []
    files = {g.name: g.pattern for g in plan.order.garments}
    index = {g.name: i for i, g in enumerate(plan.order.garments)}
    for garment, pattern in plan.patterns.items():
        report = pattern.report
        if not report.entries:
            continue
        where = pattern_name(plan.order, files[garment]) if garment in files else pattern.source
        field = f"garments[{index.get(garment, 0)}]"  # the remedies as the order's fields, not options
        heads = pattern.headlines  # what changes the cut, first: kit.pdf shows the first dozen
        out.append({"order": plan.order.id, "garment": garment, "pattern": where,
                    "repairs": len(report.repairs), "warnings": len(report.warnings),
                    "skipped": len(report.skipped),
                    "headlines": [in_order_words(str(e), field) for e in heads],
                    "remarks": [in_order_words(str(e), field) for e in
                                [*heads, *(e for e in report.entries if e not in heads)]]})
    return out


def _nest(plan: FabricPlan, options: KitOptions, name: str, stop: Callable[[], bool] | None = None) -> Marker:
    """The marker of ``plan``; an error says which fabric it is about (a piece wider than it).
    ``stop()`` true ends the search early with the best marker found (a nester takes ``stop``)."""
    nester = resolve(options.nester)
    extra = {} if options.max_iterations is None else {"max_iterations": options.max_iterations}
    if stop is not None:
        extra["stop"] = stop
    try:
        return nester(plan.pattern, plan.rules, time_limit=options.time_limit, seed=options.seed,
                      workers=options.workers, name=name, **extra)
    except KitcutError as exc:
        rules = plan.rules
        exc.message = (f"fabric {plan.fabric.name!r} ({rules.width:g} mm wide, {rules.usable_width:g} mm "
                       f"usable, nap {rules.nap}): {exc.message}")
        raise


def stopped_notes(markers) -> list[str]:
    """A note for each ``(fabric name, marker)`` whose search was stopped early (Ctrl-C): a
    marker that a full search would likely make shorter."""
    return [f"fabric {name!r}: the search was stopped early (after {float(m.stats.get('search_s') or 0):.1f} "
            "s); its marker is the best found by then: build the kit again for the full search"
            for name, m in markers if m.stats.get("stopped")]


def _export(marker: Marker, folder: Path, options: KitOptions, cuts: list[Cut]) -> list[str]:
    """Write the files of ``marker`` into ``folder``; the notes on the files left out (``--formats
    all``: those whose device is too narrow for the fabric, by :func:`~kitcut.formats.writing.
    export.export_marker`'s rule for ``nest export -f all``)."""
    if options.exporter is None or options.formats == ():
        return []
    formats = None if options.formats is None else list(options.formats)
    extra = {}
    if options.exporter == _EXPORTER:  # the kit's marker.html also shows each piece's order and bundle
        from kitcut.formats.writing.export import DEFAULT_FORMATS
        from kitcut.formats.writing.html import write_marker_html

        formats = list(DEFAULT_FORMATS) if formats is None else formats
        if "html" in formats:
            write_marker_html(marker, folder / "marker.html", cut_info(cuts))
            formats = [f for f in formats if f != "html"]
        if not formats:
            return []
        if options.every_format:
            extra["skipped"] = []
    exporter = resolve(options.exporter)
    exporter(marker, folder, formats, stem="marker", **extra)
    if not extra.get("skipped"):
        return []
    from kitcut.formats.writing.export import not_written

    return not_written(extra["skipped"])


def _in_kit(exc: KitcutError, tmp: Path, final: Path) -> KitcutError:
    """``exc`` naming the kit's folder where it named its temporary one (``KITS/.<id>.tmp-...``),
    which is gone when the user reads the message: a full disk said
    ``kits/.N-2.tmp-14544@vm/kit.html: cannot write: No space left on device``."""
    def moved(text: str | None) -> str | None:
        return None if text is None else text.replace(str(tmp), str(final))

    exc.file, exc.message = moved(exc.file), moved(exc.message)
    exc.args = (exc.message, *exc.args[1:])
    return exc


def assemble_kit(
    root: str | os.PathLike,
    kit_id: str,
    orders: list[Order],
    plans: list[FabricPlan],
    options: KitOptions,
    *,
    replace: bool = False,
    combined: dict | None = None,
    notes: list[str] | None = None,
    markers: dict[int, Marker] | None = None,
    folders: list[str] | None = None,
    log: Callable[[str], None] | None = None,
    remarks: list[dict] | None = None,
    inputs: dict | None = None,
    extra_notes: list[str] | None = None,
    stop: Callable[[], bool] | None = None,
) -> KitResult:
    """Nest ``plans`` and write the kit folder ``root/kit_id`` (see the module docstring).

    ``markers`` gives markers already nested (by plan index); ``folders`` the folder of each
    plan's marker (default ``fabrics/<fabric>``); ``combined`` the savings of a combined kit;
    ``remarks`` the import remarks of the patterns (:func:`import_remarks`); ``inputs`` what the
    kit is built from (:func:`~kitcut.kits.inputs.kit_inputs`), recorded in its manifest;
    ``extra_notes`` what the result's :attr:`KitResult.notes` tell the operator first.
    ``stop()`` true (a user's Ctrl-C) ends each search early with the best marker found so far,
    and a search begun after it with its first marker; the kit is written as usual, and its
    ``kit.json`` says which markers were stopped (``fabrics[].stopped``, a note).
    """
    t0 = time.monotonic()
    if options.exporter == _EXPORTER and not options.every_format:  # a cutter narrower than a fabric:
        # said before any search (`all` leaves that cutter's file out instead, see _export)
        from kitcut.formats.writing.export import too_narrow

        for plan in plans:
            if why := too_narrow(plan.fabric.rules.width, options.formats):
                raise OrderError(f"fabric '{escaped(plan.fabric.name)}' is wider than a cutter's media: "
                                 f"{'; '.join(why)}: that file could not cut its marker (leave the file "
                                 "out with --formats)")
    root = Path(root)
    final = kit_path(root, kit_id)
    make_folder(root)
    tmp = root / temp_name(kit_id)
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        tmp.mkdir()
        nested: list[tuple[str, Marker]] = []
        fabrics: list[dict] = []
        cuts: list[Cut] = []
        views: list[tuple[dict, Marker, list[Cut]]] = []
        left_out: list[str] = []  # `--formats all`: the files of a device too narrow for a fabric
        for i, plan in enumerate(plans):
            folder = folders[i] if folders else f"fabrics/{slug(plan.fabric.name)}"
            if log:
                log(f"{kit_id}: nesting {len(plan.pattern.pieces)} pieces on {plan.fabric.name}")
            marker = (markers or {}).get(i) or _nest(plan, options, f"{kit_id} {plan.fabric.name}", stop)
            write_marker(marker, tmp / folder / "marker.json")
            mine = cuts_of(plan, marker)
            try:
                left_out += [f"fabric {plan.fabric.name!r}: {line}"
                             for line in _export(marker, tmp / folder, options, mine)]
            except KitcutError:
                raise
            except OSError as exc:
                raise ExportError(f"cannot export the {plan.fabric.name} marker: {exc}",
                                  file=str(folder)) from exc
            nested.append((plan.fabric.name, marker))
            fabrics.append(fabric_summary(plan, marker, folder))
            views.append((fabrics[-1], marker, mine))
            cuts += mine
        length_area = sum(m.length * m.width for _, m in nested)
        graded = {(k.order, k.garment, k.size) for plan in plans for k in plan.kit_pieces if k.graded}
        report = {
            "format": "kitcut-kit-report", "version": 1, "kit": kit_id, "kitcut": __version__,
            "layout": "combined" if combined else "single",
            "orders": [order_summary(o, cuts, graded) for o in orders],
            "fabrics": fabrics,
            "totals": {
                "metres": round(sum(m.length for _, m in nested) / 1000.0, 4),  # not a sum of rounded
                "pieces": len(cuts),
                "efficiency": (round(sum(m.pieces_area for _, m in nested) / length_area, 5)
                               if length_area else 0.0),
            },
            "combined": combined,
            "notes": [*(notes or []), *left_out, *unmatched_notes(nested), *stopped_notes(nested)],
            "import_remarks": list(remarks or []),
            "options": {"time_limit": options.time_limit, "seed": options.seed},
        }
        atomic_write(tmp / "kit.json", json.dumps(report, indent=1) + "\n")
        write_kit_pdf(report, nested, tmp / "kit.pdf")
        if combined:
            for o in orders:
                write_order_docs(tmp / "orders" / o.id, o, cuts, fabrics, report)
            write_picklist_csv(cuts, tmp / "picklist.csv")
            atomic_write(tmp / "picklist.txt", picklist_text(cuts, title=f"Bundle list of kit {kit_id}"))
        else:
            write_order_docs(tmp, orders[0], cuts, fabrics, report)
        write_kit_page(tmp, report, views)  # shows the manifest entries of every file written so far
        write_manifest(tmp, kit=kit_id, orders=[o.id for o in orders],
                       extra=None if inputs is None else {"inputs": recorded(inputs)})
        said: list[str] = [*(extra_notes or []), *left_out]
        built = publish(tmp, final, replace=replace, kept=said.append)
        for note in said:
            if log:
                log(f"{kit_id}: {note}")
    except KitcutError as exc:
        _in_kit(exc, tmp, final)
        raise
    except OSError as exc:  # the temporary folder itself could not be made or filled
        raise _in_kit(ExportError(f"cannot write: {exc.strerror or exc}", file=exc.filename or str(tmp)),
                      tmp, final) from exc
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return KitResult(kit=kit_id, path=str(final), orders=[o.id for o in orders],
                     status="built" if built else "exists", fabrics=fabrics,
                     metres=report["totals"]["metres"], efficiency=report["totals"]["efficiency"],
                     pieces=len(cuts), seconds=round(time.monotonic() - t0, 2),
                     saved_metres=combined["saved_metres"] if combined else None,
                     remarks=sum(r["repairs"] + r["warnings"] for r in remarks or []), notes=said,
                     warnings=[f"{r['garment']} ({r['pattern']}): {h}" for r in remarks or []
                               for h in r.get("headlines", [])])


def build_kit(
    order_file: str | os.PathLike,
    root: str | os.PathLike,
    options: KitOptions | None = None,
    *,
    replace: bool = False,
    log: Callable[[str], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> KitResult:
    """Read, plan, nest and write the kit of one order file into ``root/<order id>/``.

    With ``replace=False`` an existing complete kit built from the same order, pattern files and
    formats is kept (status ``"exists"``); one whose inputs changed is rebuilt (see
    :mod:`kitcut.kits.inputs`). ``stop`` ends the searches early (see :func:`assemble_kit`).
    """
    options = options or KitOptions()
    try:
        order = load_order(order_file, allow_outside=options.allow_outside)
        final = kit_path(root, order.id)
        inputs = kit_inputs(order, options.formats)
    except KitcutError as exc:  # an order edited into one that no longer reads: its kit is outdated
        set_aside_if_edited(order_file, root, exc)
        raise
    if not replace:
        current, _ = kit_state(final, inputs)
        if current:
            return kept_result(final, order.id)
        replace = is_complete(final)  # a complete kit of other inputs: replace it
    try:
        reader = resolve(options.reader) if options.reader else None
        plan = plan_order(order, reader=reader)
        notes = [f"fabric {name!r}: no piece of this order is cut from it" for name in plan.unused_fabrics]
        notes += plan.mixed
        return assemble_kit(root, order.id, [plan.order], list(plan.fabrics), options, replace=replace,
                            notes=notes, log=log, remarks=import_remarks(plan), inputs=inputs, stop=stop)
    except KitcutError as exc:
        if exc.file is None:  # an error of the nesting or the writers: it is this order's
            exc.file = os.fspath(order_file)
        if kit_state(final, inputs)[1] == CHANGED:  # complete, of the order as it was: not to be cut
            exc.message = f"{exc.message}; {set_aside_outdated(final)}"  # the next morning
        raise


def set_aside_if_edited(order_file, root, exc: KitcutError) -> None:
    """The complete kit of an order file that no longer reads, moved aside (said in ``exc``) when
    the file says something else than when the kit was built: it would be cut the next morning
    as the order was (:func:`~kitcut.kits.inputs.edited_since`)."""
    import re

    from kitcut.kits.order import read_order_id

    try:
        oid = read_order_id(order_file)
    except (KitcutError, OSError):  # no TOML now: its id as written (the [order] table's id = "...")
        try:
            text = read_input(order_file).decode("utf-8", errors="replace")
        except OSError:
            return
        m = re.search(r"^\s*\[order\]\s*$(?:(?!^\s*\[).)*?^\s*id\s*=\s*[\"']([^\"'\n]+)[\"']", text,
                      re.MULTILINE | re.DOTALL)
        if m is None:
            return
        oid = m.group(1)
    try:
        final = kit_path(root, oid)
    except KitcutError:
        return
    if is_complete(final) and edited_since(final, order_file):
        exc.message = f"{exc.message}; {set_aside_outdated(final)}"


def kept_result(final: Path, kit_id: str) -> KitResult:
    """The :class:`KitResult` of the complete kit kept in ``final`` (status ``"exists"``): its
    fabrics, metres, efficiency, pieces and remarks as its ``kit.json`` states them, so that
    ``nest kit --keep --json`` describes the kit it kept, not an empty one."""
    report = kit_report(final.parent, final.name) or {}
    totals = report.get("totals") if isinstance(report.get("totals"), dict) else {}
    fabrics = [f for f in report.get("fabrics") or [] if isinstance(f, dict)]
    orders = [o.get("id") for o in report.get("orders") or [] if isinstance(o, dict) and o.get("id")]
    remarks = [r for r in report.get("import_remarks") or [] if isinstance(r, dict)]
    combined = report.get("combined") if isinstance(report.get("combined"), dict) else {}
    return KitResult(kit=kit_id, path=str(final), orders=orders or [kit_id], status="exists",
                     fabrics=fabrics, metres=float(totals.get("metres") or 0.0),
                     efficiency=float(totals.get("efficiency") or 0.0), pieces=int(totals.get("pieces") or 0),
                     saved_metres=combined.get("saved_metres"),
                     remarks=sum(int(r.get("repairs", 0)) + int(r.get("warnings", 0)) for r in remarks))


def guarded_job(build: Callable, *args) -> dict:
    """Run ``build(*args)`` (a kit builder) for a batch: its result as a dict, never an exception.

    A kitcut error fails the job with its message; any other exception is a bug, reported as
    an internal error, and the batch goes on.
    """
    t0 = time.monotonic()
    try:
        with warnings.catch_warnings(record=True) as said:  # a worker process: no CLI to show them
            r = build(*args)
        out = {**r.to_dict(), "status": "done" if r.status == "built" else "skipped"}
        notes = [note_text(w.message) for w in said if issubclass(w.category, UserWarning)]
        if notes:  # kitcut's notes (a PDF's transliterated names): Python printed them with its source
            out["notes"] = [*out.get("notes", []), *dict.fromkeys(notes)]
        return out
    except KitcutError as exc:
        return {"status": "failed", "message": str(exc), "seconds": round(time.monotonic() - t0, 2)}
    except Exception as exc:  # a bug in kitcut: keep the batch going, say what it was
        return {"status": "failed", "message": f"internal error: {type(exc).__name__}: {exc}",
                "seconds": round(time.monotonic() - t0, 2)}
