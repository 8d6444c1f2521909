"""``nest [FILE]``: the main job. Read a pattern, nest it, write ``marker.json`` and two previews
(``marker.svg``, and ``marker.html`` to explore in a browser).

Lengths (``--width``, ``--spacing``, ``--margin``) are millimetres for DXF patterns and the
instance's own unit for benchmark JSON instances.
"""

from __future__ import annotations

import json
import os
import sys
import time
from importlib import resources
from pathlib import Path

import click

from kitcut.cells import counted, shown_name
from kitcut.cli.options import (
    GAP,
    LENGTH,
    SEED,
    TILT,
    TIME,
    WORKERS,
    check_spacing,
    check_unitless,
    check_width,
    check_zones,
    fabric,
    fabric_options,
    import_options,
    load,
)
from kitcut.cli.stopping import SearchStop
from kitcut.errors import InfeasibleError, InputError, KitcutError
from kitcut.fileio import check_folder
from kitcut.kits.materials import mixed_note
from kitcut.names import windows_safe

__all__ = ["run", "bundled_sample", "DEFAULT_WIDTH_MM"]

#: Fabric width used for a DXF pattern when ``--width`` is not given.
DEFAULT_WIDTH_MM = 1500.0


def bundled_sample() -> Path:
    """The sample nested by ``nest`` with no file."""
    base = resources.files("kitcut.samples")
    for name in ("tee.dxf", "shirts.json"):
        p = Path(str(base / name))
        if p.exists():
            return p
    raise InputError("no bundled sample found (run `make samples`)")


class _Display:
    """Live progress on a terminal (elapsed, phase, best length, efficiency), silent otherwise.

    The core calls it on every improvement; the line itself is redrawn 8 times a second so the
    clock keeps running between improvements.
    """

    def __init__(self, enabled: bool, units: str, time_limit: float):
        self.enabled = enabled
        self.units = units
        self.time_limit = time_limit
        self.live = None
        self.last = None
        self.start = time.monotonic()

    def __rich__(self) -> str:
        elapsed = time.monotonic() - self.start
        head = f"[bold]nesting[/] {elapsed:6.1f} / {self.time_limit:g} s"
        p = self.last
        if p is None:
            return head + "  reading and preparing pieces"
        return (f"{head}  {p.phase:<10} length {p.length:,.1f} {self.units}"
                f"  efficiency {100 * p.density:5.2f} %")

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.live import Live

            self.live = Live(self, console=Console(stderr=True), refresh_per_second=8, transient=True)
            self.live.__enter__()
        return self

    def __call__(self, p) -> None:
        if p.feasible and (self.last is None or p.length <= self.last.length):
            self.last = p

    def __exit__(self, *exc):
        if self.live is not None:
            self.live.__exit__(*exc)
        return False


def _info_command(path: Path, options: dict) -> str:
    """The ``nest info`` command that shows the remarks of reading ``path`` as this job did: every
    import and job option given (``--sizes``, ``--quantity``, ``--match``, ...) that differs from its
    default, taken from the command's own parameters so that none is forgotten."""
    import shlex

    words = ["nest", "info", str(path)]
    for param in click.get_current_context().command.params:
        if not isinstance(param, click.Option) or param.name not in options:
            continue
        value = options[param.name]
        if value is None or value == param.default or (param.multiple and not value) or \
                (param.is_flag and not value):
            continue
        flag = max(param.opts, key=len)  # the long name: --tolerance, not -t
        if param.is_flag:
            words.append(flag)
        else:
            for v in (value if param.multiple else (value,)):
                words += [flag, f"{v:g}" if isinstance(v, float) else str(v)]
    return shlex.join(words)


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("-w", "--width", type=LENGTH,
              help=f"Fabric width: mm, or with a unit (150cm, 60in; default: the file's, else "
                   f"{DEFAULT_WIDTH_MM:g} mm).")
@click.option("-t", "--time", "time_limit", type=TIME, default=10.0, show_default=True,
              help="Search time (s).")
@click.option("--seed", type=SEED, help="Random seed (default: drawn and reported).")
@click.option("--workers", type=WORKERS, help="Parallel searches (default: all cores).")
@click.option("--spacing", type=GAP, default=0.0, show_default=True, help="Minimum gap between pieces.")
@click.option("--margin", type=GAP, default=0.0, show_default=True, help="Edge margin on each selvedge.")
@click.option(
    "--nap",
    type=click.Choice(["one-way", "two-way", "quarter", "free"]),
    default="two-way",
    show_default=True,
    help="Allowed grain directions on the fabric.",
)
@click.option("--tilt", type=TILT, default=0.0, show_default=True, help="Grain tilt tolerance (± degrees).")
@click.option("--no-pairs", is_flag=True, help="Do not mirror left/right pairs (face-to-face spreads).")
@fabric_options
@import_options
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False),
              help="Output folder (default: out/<name>).")
@click.option("--resume", type=click.Path(dir_okay=False, exists=True), help="Warm start from a marker.json.")
@click.option("--export", "export_all", is_flag=True,
              help="Also write the cutting-room files (see `nest export`).")
@click.option("--iterations", type=click.IntRange(min=1),
              help="Stop each worker after N search sweeps: with the same --seed and --workers, the same "
                   "marker every run, where --time is long enough not to end the search first.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("-q", "--quiet", is_flag=True, help="No progress display.")
def run(file, width, time_limit, seed, workers, spacing, margin, nap, tilt, no_pairs, repeat_text, phase_text,
        asymmetric, zone_texts, out_dir, resume, export_all, iterations, as_json, quiet, **options) -> None:
    """Nest the pieces of FILE (pattern DXF or benchmark JSON) onto the fabric width.

    Writes OUT/marker.json, the preview OUT/marker.svg and the interactive page OUT/marker.html
    (open it in a browser), and prints length, width,
    efficiency and piece count. Without FILE, nests a bundled sample.
    """
    from kitcut.formats.marker_json import marker_text, read_marker
    from kitcut.formats.writing.export import DEFAULT_FORMATS, export_marker, export_names
    from kitcut.kits.marker import nest_pattern
    from kitcut.model import Rules

    path = Path(file) if file else bundled_sample()
    cloth = fabric(repeat_text, phase_text, asymmetric, zone_texts)
    if options.get("match_file") and not cloth["repeat"].active:
        raise InputError("--match places pieces on a repeat: give --repeat RX,RY too (without it the fabric "
                         "is plain and the match points are not used)")
    early: list[str] = []  # notes on the options, said before the search (and in --json's warnings)

    def note(line: str) -> None:
        early.append(line)
        if not as_json:
            click.echo(f"nest: {line}", err=True)

    pattern = load(path, pairs=not no_pairs, say=note, **options)
    check_unitless(pattern.units, path, width=width, spacing=spacing, margin=margin)
    kept_flips = sorted({p.name for p in pattern.pieces if no_pairs and p.flipped})
    if kept_flips:
        shown = ", ".join(kept_flips[:5]) + (" ..." if len(kept_flips) > 5 else "")
        note(f"note: --no-pairs mirrors no pair of its own, but {len(kept_flips)} piece(s) whose "
             f"file says how many copies are mirrored (Quantity: a,b) keep them: {shown}")
    if tilt and nap == "free":
        note(f"note: --tilt {tilt:g} changes nothing under --nap free (any angle goes)")
    check_width(width, pattern.units)
    check_spacing(spacing, pattern.units)
    fabric_width = width if width is not None else (pattern.fabric_width or DEFAULT_WIDTH_MM)
    check_zones(cloth["zones"], pattern, float(fabric_width))
    rules = Rules(width=float(fabric_width), spacing=spacing, margin=margin, nap=nap, tilt_deg=tilt,
                  pairs=not no_pairs, **cloth)
    from kitcut.kits.matching import idle_match_points

    if idle := idle_match_points(pattern.pieces, rules.repeat):
        note(f"note: --repeat: {idle}")
    warm = read_marker(resume) if resume else None
    # out/<the pattern's name>, never out/.., and a name a Windows share holds (CON, a:b, "tee ")
    out = Path(out_dir) if out_dir else Path("out") / windows_safe(path.stem)
    check_folder(out)  # a link to a share not mounted: said now, not after the search
    show = not quiet and not as_json and sys.stderr.isatty() and not os.environ.get("CI")
    try:
        with _Display(show, pattern.units, time_limit) as display, SearchStop() as ctrl_c:
            marker = nest_pattern(pattern, rules, time_limit=time_limit, seed=seed, workers=workers,
                                  progress=display, resume=warm, max_iterations=iterations,
                                  name=shown_name(path.stem), stop=ctrl_c, resume_file=resume)
    except KitcutError as exc:
        exc.file = exc.file or str(path)  # a piece wider than the fabric is this file's piece
        if isinstance(exc, InfeasibleError):
            exc.message += _units_hint(pattern, rules.usable_width)
        raise
    formats = ["svg", "html", *(DEFAULT_FORMATS if export_all else ())]
    written = {"marker.json", *(f"marker.{f}" for f in formats)}
    had = [n for n in export_names("marker") if (out / n).is_file()]
    # files an earlier `--export` or `nest export` wrote here are of another marker now
    stale = [n for n in had if n not in written]
    skipped: list = []  # a default device too narrow for this fabric: its file left out, not the run's
    # every other export file is removed as the set is renamed into place (under the folder's lock:
    # one that another nest wrote into this folder meanwhile is of another marker too)
    others = [n for n in export_names("marker") if n not in written]
    files = export_marker(marker, out, formats, extra={"marker.json": marker_text(marker)}, remove=others,
                          skipped=skipped, replace_all=True, unitless=skipped)
    stale += [f"marker.{fmt}" for fmt, _ in skipped if f"marker.{fmt}" in had]
    mixed = None if options.get("material_text") else mixed_note(
        marker.pieces, "nest one material at a time (--material 1, then --material 2 ...)",
        "the pieces without one are of none of them: add them to one (--material 1,none) or nest them "
        "alone (--material none)")
    _report(marker, pattern, path, files, as_json, _info_command(path, options), [out / n for n in stale],
            skipped, resume, stopped_by=ctrl_c.by, early=early, late=[f"note: {mixed}"] if mixed else [])


def _units_hint(pattern, usable: float) -> str:
    """When a piece is over 1.5 times as wide as the fabric in every direction and the units came
    from the drawing's header (often a template's) or a guess, not from the pattern CAD's Units
    text nor the user, those units are the likely fault: say them, and how to change them."""
    if pattern.units_rule not in ("$INSUNITS", "size check") or not pattern.pieces or not pattern.units_in:
        return ""
    if max(min(p.width, p.height) for p in pattern.pieces) <= 1.5 * usable:
        return ""
    return (f"; the file was read in {pattern.units_in} ({pattern.units_rule}): if it is drawn in other "
            "units, give --units")


def _resume_note(warm: dict, resume: str) -> str:
    """What a warm start from ``resume`` kept, moved, added and left out (``stats["resume"]``)."""
    text = f"nest: note: --resume {resume}: {warm['kept'] + warm['moved']} placement(s) taken"
    if warm["moved"]:
        text += (f", {warm['moved']} of them moved into the usable width or turned to an allowed "
                 "orientation")
    if warm["placed"]:
        text += f"; {warm['placed']} piece(s) it lacks placed anew"
    if warm["dropped"]:
        text += (f"; {warm['dropped']} placement(s) left out (of pieces or copies this job does not cut, "
                 "or repeated)")
    if not warm["warm_start"]:
        text += "; its overlap could not be removed, so the search started afresh"
    return text


def _report(marker, pattern, path: Path, files: list[Path], as_json: bool, info: str,
            removed: list[Path], skipped: list, resume: str | None = None,
            stopped_by: str = "Ctrl-C", early: list[str] = (), late: list[str] = ()) -> None:
    """The job's result on stdout, its lines on stderr: ``early`` (notes on the options, said
    before the search but with ``--json``), those of :func:`_said`, then ``late``; with ``--json``
    every one of them is also in the object's ``warnings``."""
    s = marker.stats
    u = marker.units
    result = {
        "file": str(path),
        "units": u,
        "length": round(marker.length, 3),
        "width": marker.width,
        "usable_width": marker.rules.usable_width,
        "efficiency": round(marker.efficiency, 6),
        "pieces": len(marker.placements),
        "seed": s.get("seed"),
        "search_s": s.get("search_s"),
        "compile_s": s.get("compile_s"),
        "time_to_first_s": s.get("time_to_first_s"),
        "import_notes": len(pattern.report.entries),
        "encoding": pattern.encoding.name if pattern.encoding else None,
        "encoding_rule": pattern.encoding.rule if pattern.encoding else None,
        "matching": s.get("matching"),
        "graded_sizes": list(pattern.graded_sizes),
        "rules": pattern.rules_file,
        "stopped": bool(s.get("stopped")),
        "resume": s.get("resume"),
        "files": [str(f) for f in files],
        "removed": [str(f) for f in removed],
        "not_written": {f"marker.{fmt}": why for fmt, why in skipped},
    }
    # stderr: what a user must hear, with --json too (a script learns that a quantity was assumed,
    # a unit guessed, a piece left uncut): there each line is also in "warnings"
    said = [*_said(marker, pattern, info, skipped, resume, stopped_by), *late]
    if as_json:
        said = [*early, *said]
        click.echo(json.dumps({**result, "warnings": said}))
        for line in said:
            click.echo(f"nest: {line}", err=True)
        return
    click.echo(f"{path.name}: {counted(len(marker.placements), 'piece')} on {marker.width:g} {u} fabric")
    cut_graded = [s for s in pattern.size_names if any(p.graded and p.size == s for p in pattern.pieces)]
    if cut_graded:
        click.echo(f"graded from {Path(pattern.rules_file).name}: sizes {', '.join(cut_graded)}")
    click.echo(
        f"length {marker.length:,.1f} {u}   width {marker.width:g} {u}   "
        f"efficiency {100 * marker.efficiency:.1f} %   pieces {len(marker.placements)}"
    )
    click.echo("wrote " + ", ".join(str(f) for f in files))
    if removed:
        n = len(removed)
        what = f"{n} files of an earlier export of this marker that no longer match" if n > 1 else \
            "1 file of an earlier export of this marker that no longer matches"
        click.echo(f"removed {what} it: " + ", ".join(str(f) for f in removed))
    match = s.get("matching")
    if match:
        cost = f", {match['cost_pct']:+.1f} % length against plain fabric" if "cost_pct" in match else ""
        rx, ry = match["repeat_mm"]
        click.echo(f"repeat {rx:g} x {ry:g} {u}: {len(match['matched'])} matched piece(s){cost}")

    def num(key: str) -> str:
        v = s.get(key)
        return "?" if v is None else f"{v:.2f} s"

    click.echo(f"seed {s.get('seed')}   search {num('search_s')}   compile {num('compile_s')}   "
               f"first marker {num('time_to_first_s')}")
    for line in said:
        click.echo(f"nest: {line}", err=True)


def _said(marker, pattern, info: str, skipped: list, resume: str | None, stopped_by: str) -> list[str]:
    """The lines the main job says on stderr (each without its ``nest: ``), in order: files left
    out, a repeat that matches nothing, the warm start, a stop, and the import's remarks that
    change what is cut, then their count."""
    from kitcut.formats.writing.export import not_written

    s = marker.stats
    lines = [f"note: {line}" for line in not_written(skipped)]
    match = s.get("matching")
    if match and not match["matched"]:
        rx, ry = match["repeat_mm"]
        if any(p.match is not None for p in pattern.pieces):
            lines.append(f"warning: --repeat {rx:g},{ry:g}: no piece is matched: the repeat has no lines for "
                         "the axes of the pieces' match points (see the note above)")
        else:
            lines.append(f"warning: --repeat {rx:g},{ry:g}: no piece has a match point, so no piece is "
                         "matched (give them with --match FILE, or PATTERN.match.toml beside the pattern)")
    if s.get("resume"):
        lines.append(_resume_note(s["resume"], resume).removeprefix("nest: "))
    if s.get("stopped"):
        v = s.get("search_s")
        took = "?" if v is None else f"{v:.2f} s"
        lines.append(f"stopped by {stopped_by} after {took} of search: the best marker found is written")
    guess = pattern.units_headline  # first of the remarks worth a line of their own
    if guess is not None:
        lines.append(f"note: {guess.message}")
    lines += [str(entry) for entry in pattern.headlines if entry is not guess]
    if pattern.report.entries:
        n = len(pattern.report.entries)
        remarks = "1 remark" if n == 1 else f"{n} remarks"
        lines.append(f"note: the import made {remarks}; see `{info}`")
    return lines
