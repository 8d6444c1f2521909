"""``nest info FILE``: what a pattern file holds: pieces, totals, and every import remark."""

from __future__ import annotations

import json
import os
import sys

import click

from kitcut.cells import one_line
from kitcut.cli.options import import_options, load

__all__ = ["info"]


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option("--layers", "show_layers", is_flag=True,
              help="Also list the layers of a plain DXF: what each holds and the role it was read with "
                   "(the names to give --layer).")
@import_options
def info(file: str, as_json: bool, show_layers: bool, **options) -> None:
    """List the pieces of a pattern FILE (DXF or benchmark JSON) and every import remark."""
    from kitcut.formats.reading.summary import pattern_summary

    pattern = load(file, **options)
    data = pattern_summary(pattern)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    _table(data)
    if show_layers:
        _layers(data)


def _console():
    """A console as wide as the terminal (``COLUMNS`` when set), else 250 cells (a file, a pipe)."""
    from rich.console import Console

    wide = sys.stdout.isatty() or os.environ.get("COLUMNS", "").strip().isdigit()
    return Console(file=sys.stdout, width=None if wide else 250, highlight=False, soft_wrap=False)


def _layers(data: dict) -> None:
    """The layers table of ``nest info --layers``."""
    from rich.table import Table

    console = _console()
    if not data["layers"]:
        console.print("\nlayers: none listed (an AAMA/ASTM file's layers are the standard's; a benchmark "
                      "instance has none)", markup=False)
        return
    t = Table(show_edge=False, pad_edge=False, header_style="bold", title_justify="left")
    for col, just in (("layer", "left"), ("pieces", "right"), ("read as", "left"), ("entities", "left")):
        t.add_column(col, justify=just, no_wrap=True)
    for row in data["layers"]:
        role = row["role"] or "by shape"
        if row["by"]:
            role += f" ({'its name' if row['by'] == 'name' else row['by']})"
        kinds = ", ".join(f"{n} {k}" for k, n in row["entities"].items())
        t.add_row(row["name"], str(row["pieces"] or ""), role, kinds)
    console.print()
    console.print(t)


_UNIT_NAMES = {"in": "inches", "ft": "feet", "mm": "mm", "cm": "cm", "m": "metres"}


def _encoding_line(data: dict) -> str:
    how = {"declared": "declared", "detected": "detected", "forced": "--encoding", "ascii": "plain ASCII",
           "fallback": "no encoding fits: fallback"}.get(data["encoding_rule"], data["encoding_rule"])
    if data["encoding_rule"] == "declared" and data["encoding_declared"]:
        how += f" {data['encoding_declared']}"
    if data["encoding_confidence"] is not None:
        how += f", confidence {data['encoding_confidence']:.2f}"
    if data["encoding_declared"] and data["encoding_rule"] not in ("declared", "ascii"):
        how += f"; the file declares {data['encoding_declared']}"
    return f"{data['encoding']} ({how})"


def _fmt_qty(p: dict) -> str:
    q = str(p["quantity"])
    return f"{q} ({p['flipped']} flipped)" if p["flipped"] else q


#: The piece column is never narrower than this (a terminal too narrow for the table scrolls).
PIECE_MIN_CELLS = 12


def _table(data: dict) -> None:
    from rich.cells import cell_len
    from rich.table import Table

    unit = "mm" if data["units"] == "mm" else data["units"]
    console = _console()
    title = f"{data['file']}: {data['style'] or 'no style name'}"
    console.print(title, markup=False)
    rule = f" ({data['units_rule']})" if data["units_rule"] else ""
    console.print(f"drawn in {_UNIT_NAMES.get(data['units_in'], data['units_in'])}{rule}; shown in {unit}"
                  + (f"; fabric width {data['fabric_width']:g} {unit}" if data["fabric_width"] else ""),
                  markup=False)
    if data["rules"]:
        graded = ", ".join(data["graded_sizes"]) or "none (every size is drawn)"
        console.print(f"grade rules {data['rules']} ({data['rules_rule']}): graded sizes {graded}",
                      markup=False)
    graded_col = bool(data["graded_sizes"])
    # the pieces' materials, for --material, where the file names any (AccuMark's Fabric: 1, 2...)
    material_col = any(p.get("material") for p in data["pieces"])
    # the sew lines, where any piece has one (the table stays narrow for the many files without)
    sew_col = any(p.get("sew_lines") for p in data["pieces"])
    heads = (("piece", "left"), ("size", "left"), ("qty", "right"), (f"area {unit}²", "right"),
             (f"w × h {unit}", "right"), ("grain", "center"), ("notch", "right"), ("drill", "right"),
             ("cut-out", "right"), ("int.", "right"), *((("sew", "right"),) if sew_col else ()),
             ("fold", "left"),
             *((("graded", "center"),) if graded_col else ()),
             *((("material", "left"),) if material_col else ()))
    rows = []
    for p in data["pieces"]:
        fold = ("unfolded" if p["unfolded"] else "half") if p["folded"] else ""
        rows.append((one_line(p["name"]), one_line(p["size"] or ""), _fmt_qty(p), f"{p['area_mm2']:,.0f}",
                     f"{p['width_mm']:.1f} × {p['height_mm']:.1f}", "yes" if p["has_grain"] else "no",
                     str(p["notches"]), str(p["drills"]), str(p["cutouts"]), str(p["internal_lines"]),
                     *((str(p["sew_lines"]),) if sew_col else ()), fold,
                     *(("yes" if p["graded"] else "",) if graded_col else ()),
                     *((one_line(p.get("material") or ""),) if material_col else ())))
    # every column but the piece name keeps the width of its longest cell; a name longer than the
    # room left is folded onto more lines (two long names cut to one text would look the same)
    widths = [max([cell_len(h)] + [cell_len(r[i]) for r in rows]) for i, (h, _) in enumerate(heads)]
    room = max(PIECE_MIN_CELLS, console.width - sum(widths[1:]) - 3 * (len(heads) - 1))
    t = Table(show_edge=False, pad_edge=False, header_style="bold")
    for i, (col, just) in enumerate(heads):
        if i == 0:
            t.add_column(col, justify=just, overflow="fold", max_width=room)
        else:
            t.add_column(col, justify=just, no_wrap=True, min_width=widths[i])
    for row in rows:
        t.add_row(*row)
    console.print(t)
    console.print(f"{data['piece_count']} pieces, {data['copies']} copies, total area "
                  f"{data['total_area_mm2']:,.0f} {unit}² (area × quantity)", markup=False)
    if data["encoding"]:
        console.print(f"texts decoded as {_encoding_line(data)}", markup=False)
    notes = data["warnings"]
    if notes:
        click.echo(f"\n{len(notes)} import remark(s): {data['repairs']} repair(s), {data['skipped']} "
                   f"skipped, {len(notes) - data['repairs'] - data['skipped']} warning(s)")
        for w in notes:
            click.echo(f"  {w}")
