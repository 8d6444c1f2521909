"""``nest export MARKER.json -o DIR``: write the cutting-room files of a nested marker.

Formats are named as file endings (``plt``, ``nc``, ``gcode``, ``dxf``, ``pdf``, ``tiled.pdf``,
``svg``, ``report.json``...); ``nest export --list`` shows them and the known devices. The marker
is checked first by the validator that checks every nested marker (a hand-edited file may not
be a valid marker). Output is deterministic and written atomically, all files as one set.
"""

from __future__ import annotations

from pathlib import Path

import click

from kitcut.cli.options import stem_option

__all__ = ["export"]


def _list(device_file) -> None:
    from kitcut.formats.writing.devices import load_devices
    from kitcut.formats.writing.export import DEFAULT_FORMATS, FORMATS

    click.echo("formats (* = default set):")
    wide = max(map(len, FORMATS))
    for name, f in FORMATS.items():
        mark = "*" if name in DEFAULT_FORMATS else " "
        click.echo(f" {mark} {name:<{wide}} {f.description}")
    click.echo("devices:")
    for name, d in sorted(load_devices(device_file).items()):
        click.echo(f"   {name:<16} {d.protocol:<10} {d.description}")


@click.command()
@click.argument("marker_file", required=False, type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Output folder (default: the marker file's folder).",
)
@click.option(
    "-f",
    "--formats",
    "formats",
    help="Comma-separated formats (default: plt,dxf,pdf,svg,html,report.json,report.pdf; `all` for every "
    "format).",
)
@click.option("-d", "--device", help="Cutter/plotter profile for the formats it speaks (see --list).")
@click.option(
    "--device-file",
    type=click.Path(dir_okay=False, exists=True),
    help="TOML file with more devices (same layout as the bundled devices.toml).",
)
@click.option("--stem", default="marker", show_default=True, callback=stem_option,
              help="Output file name stem (a plain name: no folder, not hidden).")
@click.option("--list", "list_only", is_flag=True, help="List formats and devices, then exit.")
def export(marker_file, out_dir, formats, device, device_file, stem, list_only) -> None:
    """Write the cutter, plotter and print files of MARKER_FILE (a marker.json)."""
    from kitcut.errors import InputError, KitcutError

    if list_only:
        _list(device_file)
        return
    if not marker_file:
        raise InputError("give a marker.json to export (or --list)")
    from kitcut.formats.marker_json import read_marker_data
    from kitcut.formats.writing.export import chosen_formats, export_marker, export_names, is_all, not_written
    from kitcut.kits.marker_check import check_marker

    marker, data = read_marker_data(marker_file)
    check_marker(marker, file=marker_file, stored=data.get("solution"))  # a hand edit is checked as a nest
    chosen = chosen_formats(formats)
    if chosen == []:
        raise InputError("--formats is empty")
    if device is not None:
        from kitcut.formats.writing.devices import get_device

        get_device(device, device_file=device_file)  # unknown names fail before anything is written
    out = Path(out_dir) if out_dir else Path(marker_file).resolve().parent
    # "all": the formats whose own default device is too narrow for this marker are left out
    # (said so); a format or a device asked for by name must fit
    every = is_all(formats)
    skipped: list | None = [] if every else None
    notes: list[str] = []
    unitless: list | None = [] if formats is None or every else None  # named formats must be written
    try:
        paths = export_marker(marker, out, chosen, device=device, stem=stem, device_file=device_file,
                              skipped=skipped, own_devices=every, notes=notes, unitless=unitless)
    except KitcutError as exc:
        exc.file = exc.file or marker_file  # a device too narrow for this marker, a page limit...
        raise
    for p in paths:
        click.echo(str(p))
    for line in not_written([*(skipped or ()), *(unitless or ())], stem):
        click.echo(f"nest: note: {line}", err=True)
    for note in notes:  # files written for another device than -d, marks a device's file leaves out
        click.echo(f"nest: note: {note}", err=True)
    written = {p.name for p in paths}
    older = [n for n in export_names(stem) if n not in written and _is_file(out / n)]
    if older and not _same_report(out / f"{stem}.report.json", marker, written):
        # an operator picking marker.nc beside a new marker.plt cut the earlier job
        shown = ", ".join(older[:6]) + (f" and {len(older) - 6} more" if len(older) > 6 else "")
        click.echo(f"nest: note: {out} also holds {shown} from an earlier export, not written now (if that "
                   "was of another marker, they are not this one's: remove them, or export -f all)", err=True)


def _is_file(path: Path) -> bool:
    """``path`` is a file; a name the file system cannot hold (over 255 bytes: a long ``--stem``
    with a long format's suffix) is none, not an error after the files are written."""
    try:
        return path.is_file()
    except OSError:
        return False


def _same_report(path: Path, marker, written: set[str]) -> bool:
    """The earlier export's ``report.json`` (not written now) states this marker: its name and
    length (a kit's folder, where the cutting room adds ``-f nc``)."""
    import json

    if path.name in written or not _is_file(path):
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data.get("name") == marker.name and abs(float(data.get("length_mm")) - marker.length) <= 0.06
    except (OSError, ValueError, TypeError, AttributeError):
        return False
