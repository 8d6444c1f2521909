"""``nest kit ORDER.toml`` and ``nest batch ORDERS_DIR``: cutting kits from customer orders."""

from __future__ import annotations

import json
import os
import sys

import click

from kitcut.cells import counted, escaped, ljust
from kitcut.cli.options import SEED, TIME, WORKERS
from kitcut.cli.stopping import SearchStop
from kitcut.errors import InputError, KitcutError
from kitcut.fileio import make_folder

__all__ = ["kit", "batch"]


def _formats(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if value.strip() in ("", "none"):
        return ()
    try:
        from kitcut.formats.writing.export import FORMATS, chosen_formats
    except ImportError:
        return tuple(x.strip() for x in value.split(",") if x.strip())
    names = tuple(chosen_formats(value))  # `all`: as `nest export -f all`
    bad = [n for n in names if n not in FORMATS]
    if bad:
        raise InputError(f"--formats: unknown format {bad[0]!r}; use some of {', '.join(sorted(FORMATS))}")
    return names


def _kit_options(time_limit, seed, workers, formats, allow_outside, nester, reader):
    from kitcut.kits.kit import KitOptions

    kw = {}
    if nester:
        kw["nester"] = nester
    if reader:
        kw["reader"] = reader
    from kitcut.formats.writing.export import is_all

    return KitOptions(time_limit=time_limit, seed=seed, workers=workers, formats=_formats(formats),
                      every_format=is_all(formats), allow_outside=allow_outside, **kw)


def _common(f):
    f = click.option("--reader", hidden=True, help="Pattern reader as module:function (testing).")(f)
    f = click.option("--nester", hidden=True, help="Nesting function as module:function (testing).")(f)
    f = click.option("--allow-outside", is_flag=True,
                     help="Let order files name pattern files outside their own folder.")(f)
    f = click.option("--formats", help="Cutter/print formats per marker, comma-separated "
                     "(default: the exporter's; 'all' for every format, 'none' for none).")(f)
    f = click.option("--seed", type=SEED, help="Random seed of every nesting.")(f)
    f = click.option("-t", "--time", "time_limit", type=TIME, default=10.0, show_default=True,
                     help="Search time per marker (s).")(f)
    f = click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), default="kits",
                     show_default=True, help="Kits folder.")(f)
    return f


@click.command()
@click.argument("order_file", type=click.Path(dir_okay=False))
@_common
@click.option("--workers", type=WORKERS, help="Parallel searches per marker (default: all cores).")
@click.option("--keep", is_flag=True, help="Keep an existing complete kit instead of rebuilding it.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("-q", "--quiet", is_flag=True, help="Print no summary (notes and errors still go to stderr).")
def kit(order_file, out_dir, time_limit, seed, formats, allow_outside, nester, reader, workers, keep,
        as_json, quiet) -> None:
    """Build the cutting kit of ORDER_FILE into OUT/<order id>/.

    Per fabric a marker and its cutter files, a kit report (JSON + PDF), a bundle list per
    garment and size, QR piece labels, a note for the sewing workshop and manifest.json.
    """
    from pathlib import Path

    from kitcut.kits.claims import Claims
    from kitcut.kits.kit import build_kit, kit_path, set_aside_if_edited
    from kitcut.kits.order import load_order

    opts = _kit_options(time_limit, seed, workers, formats, allow_outside, nester, reader)
    try:
        order = load_order(order_file, allow_outside=allow_outside)
        oid = order.id
        kit_path(out_dir, oid)
    except KitcutError as exc:  # edited into an order that no longer reads: its kit is not to be cut
        set_aside_if_edited(order_file, out_dir, exc)  # (as a batch does)
        raise
    made = not Path(out_dir).exists()
    make_folder(out_dir)
    claims = Claims(Path(out_dir))
    if not claims.claim([oid]):
        raise InputError(f"order {oid} is being built by another process (a batch?) in {out_dir}")
    try:
        from kitcut.kits.staging import clean_stale

        put: list[str] = []
        clean_stale(out_dir, oid, said=put)  # what a killed build of this order left, as a batch cleans
        for p in put:
            click.echo(f"nest: note: {p}", err=True)
        from kitcut.kits.combine import combined_orders

        other = combined_orders(out_dir).get(oid)
        if other:  # a kit of its own would cut it twice (it was a note, and both kits were cut)
            from kitcut.kits.jobs import cut_in_combined

            state = cut_in_combined(Path(order_file), order, Path(out_dir) / other, opts.formats)
            if state.status == "failed":  # changed since: the combined kit cuts it as it was
                raise InputError(state.message)
            raise InputError(f"order {oid} is cut in the combined kit {other}: a kit of its own would cut it "
                             f"twice; to cut it alone, remove the folder {other} from {out_dir} first (its "
                             "other orders are then built again by the next batch)", file=str(order_file))
        with SearchStop() as ctrl_c:  # a first Ctrl-C ends the searches, the kit is written; a second aborts
            result = build_kit(order_file, out_dir, opts, replace=not keep, stop=ctrl_c)
    except BaseException:
        claims.release([oid])
        if made:  # a failed kit leaves no folder of claims behind it
            _remove_if_claims_only(Path(out_dir))
        raise
    finally:
        claims.release([oid])
    stopped = [f["name"] for f in result.fabrics if f.get("stopped")]
    if stopped and not as_json:
        names = ", ".join(map(escaped, stopped))
        click.echo(f"nest: note: stopped by {ctrl_c.by}: the marker(s) of {names} are the best found by then "
                   "(kit.json says so); build the kit again for the full search", err=True)
    if as_json:
        click.echo(json.dumps(result.to_dict()))
        return
    if quiet:
        for text in result.notes:
            click.echo(f"nest: note: {escaped(text)}", err=True)
        return
    figures = (f"{counted(result.pieces, 'piece')}, {result.metres:.3f} m of fabric, "
               f"efficiency {100 * result.efficiency:.1f} %")
    if result.status == "exists":
        click.echo(f"kit {result.kit} is already complete in {result.path} (kept): {figures}")
        return
    click.echo(f"kit {result.kit}: {figures}")
    for f in result.fabrics:
        click.echo(f"  {ljust(escaped(f['name']), 16)} {f['width_mm']:g} mm wide: {f['metres']:.3f} m, "
                   f"{100 * f['efficiency']:.1f} %, {counted(f['pieces'], 'piece')}")
    click.echo(f"wrote {result.path}")
    for text in result.notes:  # files of the replaced kit kept aside
        click.echo(f"nest: note: {escaped(text)}", err=True)
    for text in result.warnings:  # import remarks that change what is cut
        click.echo(f"nest: {escaped(text)}", err=True)
    if result.remarks:
        click.echo(f"nest: note: reading the patterns made {result.remarks} remark(s) (repairs, warnings): "
                   f"see {Path(result.path) / 'kit.pdf'}", err=True)


def _remove_if_claims_only(folder) -> None:
    """Remove ``folder`` when it holds nothing but the claim files of ``.locks``."""
    import shutil

    locks = folder / ".locks"
    if {p.name for p in folder.iterdir()} <= {".locks"} and \
            (not locks.is_dir() or all(p.suffix == ".lock" and p.is_file() for p in locks.iterdir())):
        shutil.rmtree(folder, ignore_errors=True)


@click.command()
@click.argument("orders_dir", type=click.Path(file_okay=False))
@_common
@click.option("--workers", type=WORKERS, default=1, show_default=True,
              help="Orders built at once (processes); each nesting then uses one core (with one order at a "
                   "time, every core).")
@click.option("--until", help="Start no new order after this clock time (HH:MM).")
@click.option("--scheduler", help="Run the orders on this Dask scheduler (e.g. tcp://host:8786).")
@click.option("--combine", is_flag=True, help="Nest orders that share a fabric on one marker.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def batch(orders_dir, out_dir, time_limit, seed, formats, allow_outside, nester, reader, workers, until,
          scheduler, combine, quiet) -> None:
    """Build the kit of every *.toml order in ORDERS_DIR (.TOML too) into OUT.

    Complete kits of unchanged orders are skipped (run a killed batch again to finish it);
    failed orders are reported in OUT/batch.log and OUT/batch-report.json and the exit status
    is 2, as for a folder without orders.
    """
    from kitcut.kits.batch import BatchOptions, parse_until, run_batch

    opts = _kit_options(time_limit, seed, None, formats, allow_outside, nester, reader)
    stop = None if until is None else parse_until(until)  # --until "" is a mistake, not "no limit"
    bopts = BatchOptions(workers=workers, until=stop, scheduler=scheduler, combine=combine, kit=opts)
    show = not quiet and sys.stderr.isatty() and not os.environ.get("CI")
    failures = []
    rebuilt = []

    def note(o):
        if o.status == "failed":
            failures.append(o)
        elif o.status == "done" and o.message:  # rebuilt (saying why), files kept aside
            rebuilt.append(o)

    if show:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        progress = Progress(TextColumn("[bold]kits"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            TextColumn("{task.description}"), console=Console(stderr=True), transient=True)
        task = None

        def on_start(n):
            nonlocal task
            task = progress.add_task("", total=n)

        running: dict[str, str] = {}

        def describe(last: str) -> str:
            now = ", ".join(running.values())
            return f"{last}{'  building ' + now if now else ''}"

        def on_begin(job):
            running[job.kit] = job.kit if len(job.orders) == 1 else f"{job.kit} ({', '.join(job.orders)})"
            if task is not None:
                progress.update(task, description=describe(""))

        def on_outcome(o):
            note(o)
            running.pop(o.kit or "", None)
            if task is not None and o.order is not None and o.status != "deferred":
                progress.update(task, advance=1, description=describe(f"{o.order}: {o.status}"))

        with progress:
            summary = run_batch(orders_dir, out_dir, bopts, on_start=on_start, on_outcome=on_outcome,
                                on_begin=on_begin)
    else:
        summary = run_batch(orders_dir, out_dir, bopts, on_outcome=note)
    for text in summary.notes:  # TOML files of the folder that are not orders
        click.echo(f"nest: note: {text}", err=True)
    for o in rebuilt:
        click.echo(f"nest: note: {o.file} ({o.order}): {escaped(o.message)}", err=True)
    for o in failures:
        msg = o.message if o.file in o.message else f"{o.file}: {o.message}"
        click.echo(f"nest: failed: {escaped(msg)}", err=True)
    click.echo(summary.text())
    saved = {o.kit: o.saved_metres for o in summary.outcomes if o.saved_metres is not None}
    if saved:
        click.echo(f"combining saved {sum(saved.values()):.2f} m of fabric")
    log, report = os.path.join(out_dir, "batch.log"), os.path.join(out_dir, "batch-report.json")
    click.echo(f"log: {log}, report: {report}")
    if summary.exit_code:
        sys.exit(summary.exit_code)
