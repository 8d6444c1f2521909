"""One entry point for every marker output: pick the writer by format or file extension.

>>> sorted(FORMATS)[:4]
['dxf', 'gcode', 'hpgl', 'html']
>>> format_for_path("out/marker.tiled.pdf")
'tiled.pdf'

Every writer renders a whole file (text or bytes) from a marker and a device; this module writes
it atomically (``-`` = standard output). :func:`export_marker` writes its files as one set: all new,
or on any failure all as they were. Output is deterministic: no dates, fixed number format.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kitcut.errors import ExportError, InputError, KitcutError, MediaError
from kitcut.fileio import FileSet, atomic_write
from kitcut.formats.layout.page import MM_PER_UNIT
from kitcut.formats.writing.devices import Device, get_device
from kitcut.limits import LimitError
from kitcut.model import Marker
from kitcut.names import windows_device

__all__ = ["Format", "FORMATS", "DEFAULT_FORMATS", "write_file", "render", "export_marker", "format_for_path",
           "export_names", "too_narrow", "device_for", "CUTTER_FORMAT", "NEEDS_UNIT", "not_written", "is_all",
           "chosen_formats"]


@dataclass(frozen=True)
class Format:
    """An output format: ``writer`` is ``"module:function"`` (the module under
    :mod:`kitcut.formats`, e.g. ``"writing.svg:render_preview"``) taking ``(marker, device)``.

    ``protocol`` is the device protocol the writer speaks (``None``: no device; ``"any"``: the
    given device whatever its protocol, for reports).
    """

    name: str
    writer: str
    protocol: str | None
    description: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("svg", "writing.svg:render_preview", None, "screen preview (pieces, labels, grain, notches)"),
        Format("html", "writing.html:render", None, "interactive marker page (zoom, hover, search, ruler)"),
        Format("overview.svg", "writing.svg:render_overview", None, "reduced-scale overview SVG"),
        Format("plot.svg", "writing.svg:render_full", None, "1:1 SVG of the marker"),
        Format("plt", "writing.hpgl:render", "hpgl", "HP-GL/1 cutter file (device tools per feature)"),
        Format("hpgl", "writing.hpgl:render", "hpgl", "HP-GL/1 cutter file (same as plt)"),
        Format("pen.plt", "writing.hpgl:render_pen_plot", "hpgl", "HP-GL/1 1:1 pen plot with labels"),
        Format("dxf", "writing.dxf_marker:render", None, "AAMA-style marker DXF (blocks + INSERTs)"),
        Format("nc", "writing.gerber_nc:render", "gerber-nc", "Gerber-style cutter NC"),
        Format("gcode", "writing.gcode:render", "gcode", "G-code for CNC knife/laser cutters"),
        Format("pdf", "layout.pdf:render_plot", None, "1:1 plot PDF on one long page"),
        Format("tiled.pdf", "layout.pdf_tiled:render_a4", None, "1:1 tiled PDF on A4 with overlaps"),
        Format("tiled-a3.pdf", "layout.pdf_tiled:render_a3", None, "1:1 tiled PDF on A3 with overlaps"),
        Format("tiled-letter.pdf", "layout.pdf_tiled:render_letter", None,
               "1:1 tiled PDF on US Letter with overlaps"),
        Format("overview.pdf", "layout.pdf:render_overview", None, "reduced-scale overview PDF"),
        Format("print.pdf", "layout.pdf_print:render", None, "textile print file (1:1, filled, marks)"),
        Format("report.json", "writing.report:render_json", "any", "marker report figures (JSON)"),
        Format("report.pdf", "layout.pdf_report:render", "any", "marker report (PDF)"),
    )
}
#: What :func:`export_marker` writes when no formats are given.
DEFAULT_FORMATS = ("plt", "dxf", "pdf", "svg", "html", "report.json", "report.pdf")


def format_for_path(path: str | Path) -> str:
    """The format named by a file's extension (the longest match: ``x.tiled.pdf`` -> ``tiled.pdf``)."""
    name = Path(path).name.lower()
    best = None
    for key in FORMATS:
        if name.endswith("." + key) and (best is None or len(key) > len(best)):
            best = key
    if best is None:
        raise ExportError(
            f"cannot tell the output format from the name; give one of {', '.join(FORMATS)}", file=str(path)
        )
    return best


def _format(fmt: str) -> Format:
    key = fmt.lower().lstrip(".")
    if key not in FORMATS:
        raise ExportError(f"unknown output format {fmt!r}; known: {', '.join(FORMATS)}")
    return FORMATS[key]


#: Formats whose lengths are millimetres (a device's units, a 1:1 page, an AAMA DXF, a report in mm and
#: seconds): not written for a marker without a length unit (a benchmark's ``"units": "unit"``).
NEEDS_UNIT = frozenset(("plt", "hpgl", "pen.plt", "nc", "gcode", "dxf", "pdf", "tiled.pdf", "tiled-a3.pdf",
                        "tiled-letter.pdf",
                        "print.pdf", "plot.svg", "report.json", "report.pdf"))
#: Why, for :data:`NEEDS_UNIT` formats of a marker without a length unit.
NO_UNIT = ('the marker\'s lengths have no unit ("units": "{units}", a benchmark instance\'s own), and '
           'cutter, 1:1 print, DXF and report files would take them as millimetres; set "units" in the '
           'marker.json to the unit its numbers are in (mm, cm, m, in, ft) to write them')

#: The cutter file of each device protocol: the default set's cutter file for a device given.
CUTTER_FORMAT = {"hpgl": "plt", "gerber-nc": "nc", "gcode": "gcode"}
#: Formats drawn for one fixed device, whatever ``device`` says (the pen plot is a plot).
FIXED_DEVICE = {"pen.plt": "pen-plotter"}


def _speaks(protocol: str, device_file=None) -> str:
    from kitcut.formats.writing.devices import load_devices

    return ", ".join(sorted(n for n, d in load_devices(device_file).items() if d.protocol == protocol))


def device_for(fmt: str, device: str | Device | None = None, *, device_file=None) -> Device | None:
    """The device the file of format ``fmt`` is written for: ``device`` when given (it must speak
    the format's protocol: a device of another protocol is an :class:`InputError`, never silently
    replaced), else the format's default; ``None`` for formats without a device. Reports take the
    given device whatever it speaks, else the HP-GL cutter; the pen plot is always for
    ``pen-plotter``."""
    f = _format(fmt)
    if f.protocol is None:
        return None
    if f.protocol == "any":
        return get_device(device if device is not None else "hpgl-cutter", device_file=device_file)
    if f.name in FIXED_DEVICE:
        given = None if device is None else get_device(device, device_file=device_file)
        if given is not None and given.protocol != f.protocol:
            raise InputError(f"device '{given.name}' speaks {given.protocol} and cannot take {f.name} "
                             f"({_a(f.protocol)} file, drawn for {FIXED_DEVICE[f.name]})")
        return get_device(FIXED_DEVICE[f.name], device_file=device_file)
    if device is None:
        return get_device(None, protocol=f.protocol, device_file=device_file)
    dev = get_device(device, device_file=device_file)
    if dev.protocol != f.protocol:
        raise InputError(f"device '{dev.name}' speaks {dev.protocol} and cannot take {f.name} "
                         f"({_a(f.protocol)} file: devices {_speaks(f.protocol, device_file)}); for "
                         f"'{dev.name}' write {CUTTER_FORMAT[dev.protocol]}")
    return dev


def _no_unit(marker: Marker) -> str | None:
    """Why :data:`NEEDS_UNIT` files of ``marker`` are not written (its lengths have no unit), or None."""
    return None if (marker.units or "mm").lower() in MM_PER_UNIT else NO_UNIT.format(units=marker.units)


def _a(protocol: str) -> str:
    return f"{'an' if protocol == 'hpgl' else 'a'} {protocol}"


def _name(device: str | Device) -> str:
    return device.name if isinstance(device, Device) else str(device)


def render(marker: Marker, fmt: str, *, device: str | Device | None = None, device_file=None) -> str | bytes:
    """The content of ``marker`` in format ``fmt`` (text or bytes), for :func:`device_for`."""
    f = _format(fmt)
    if f.name in NEEDS_UNIT and (why := _no_unit(marker)):
        raise InputError(f"cannot write {f.name} of this marker: {why}")
    dev = device_for(f.name, device, device_file=device_file)
    module, func = f.writer.split(":")
    writer = getattr(importlib.import_module(f"kitcut.formats.{module}"), func)
    try:
        return writer(marker, dev)
    except KitcutError:
        raise
    except (ValueError, TypeError, IndexError) as exc:  # malformed marker data
        raise ExportError(f"cannot write {f.name}: {exc}", file=marker.name) from exc


def write_file(
    marker: Marker,
    path: str | Path,
    fmt: str | None = None,
    *,
    device: str | Device | None = None,
    device_file=None,
) -> Path:
    """Write ``marker`` to ``path`` (format from the extension when ``fmt`` is None; ``-`` = stdout)."""
    if fmt is None:
        if str(path) == "-":
            raise ExportError("writing to standard output needs an explicit format")
        fmt = format_for_path(path)
    data = render(marker, fmt, device=device, device_file=device_file)
    atomic_write(path, data)
    return Path(path)


def too_narrow(width: float, formats: Sequence[str] | None = None, *, device=None,
               device_file=None) -> list[str]:
    """Why each of ``formats`` (default :data:`DEFAULT_FORMATS`) cannot be written for a marker on
    fabric ``width`` mm wide (margins included): the fabric does not fit its device's media
    (``device``, else the format's default), by the rule the writers apply
    (:meth:`~kitcut.formats.writing.devices.Device.fabric_misfit`). Empty when every format fits
    (a check before nesting)."""
    out = []
    for name in formats or DEFAULT_FORMATS:
        f = _format(name)
        if not f.protocol or f.protocol == "any":
            continue
        dev = get_device(device, protocol=f.protocol, device_file=device_file)
        if why := dev.fabric_misfit(width):
            out.append(f"{f.name}: {why}")
    return out


def is_all(formats: str | None) -> bool:
    """Whether a ``--formats`` text is ``all``: every format, where a format whose own device's media
    is narrower than the marker is left out with a note (:func:`export_marker` with ``skipped``),
    not an error as for a format named. ``nest export -f all`` and ``nest kit --formats all``."""
    return formats is not None and formats.strip().lower() == "all"


def chosen_formats(formats: str | None) -> list[str] | None:
    """The formats named by a ``--formats`` text: ``None`` for none given (the default set), every
    format for ``all`` (see :func:`is_all`), else the comma-separated names (``[]`` for none)."""
    if formats is None:
        return None
    if is_all(formats):
        return list(FORMATS)
    return [f.strip() for f in formats.split(",") if f.strip()]


def not_written(left_out: Sequence[tuple[str, str]], stem: str = "marker") -> list[str]:
    """``(format, reason)`` pairs as note lines, the formats of one reason on one line.

    >>> not_written([("plt", "no unit"), ("dxf", "no unit")])
    ['marker.plt, marker.dxf not written: no unit']
    """
    by: dict[str, list[str]] = {}
    for fmt, why in left_out:
        by.setdefault(why, []).append(f"{stem}.{fmt}")
    return [f"{', '.join(names)} not written: {why}" for why, names in by.items()]


def export_names(stem: str = "marker") -> list[str]:
    """The file names the exporters write for ``stem`` (every format), in format order."""
    return [f"{stem}.{name}" for name in FORMATS]


def export_marker(
    marker: Marker,
    out_dir: str | Path,
    formats: Sequence[str] | None = None,
    *,
    device: str | Device | None = None,
    stem: str = "marker",
    device_file=None,
    extra: dict[str, str | bytes] | None = None,
    remove: Sequence[str] = (),
    skipped: list | None = None,
    replace_all: bool = False,
    own_devices: bool = False,
    notes: list | None = None,
    unitless: list | None = None,
) -> list[Path]:
    """Write ``marker`` in each of ``formats`` to ``out_dir/<stem>.<format>``; return the paths.

    The files are one set: each is rendered and written under a temporary name, and only when
    all are written are they renamed into place, so a failure leaves every old file as it was
    and none of the new ones. ``extra`` adds files of other content to the set (name -> data,
    first in the returned paths); the files named in ``remove`` are deleted once the set is in place.
    With ``skipped`` (a list), a format whose device's media is narrower than the marker (a device
    other than ``device``, which must fit), or whose file would pass a resource limit (a tiled
    print of more pages than ``max_tiled_pages``), is left out, ``(format, reason)`` added to it,
    instead of failing the set; with ``replace_all`` (the
    set replaces the folder's marker) an old file of a format left out is deleted with the set.

    A ``device`` must speak the protocol of every device format asked for (an :class:`InputError`
    before anything is written); the default set takes the device's own cutter file
    (:data:`CUTTER_FORMAT`: ``nc`` for a Gerber NC device) for ``plt``. With ``own_devices``
    (``-f all``) a format of another protocol is written for its own default device instead,
    said in ``notes``. The reports are for ``device``, else the device of the set's first cutter
    file. ``notes`` (a list) also gets, for each device file, what it does not carry (drill holes,
    pen lines, labels the device has no tool for).

    A marker without a length unit (a benchmark's) has no cutter, 1:1 print, DXF or report file
    (:data:`NEEDS_UNIT`): asked for, they are an :class:`InputError`; with ``unitless`` (a list)
    they are left out instead, ``(format, reason)`` added to it.
    """
    if windows_device(stem):  # a file Windows cannot hold (markers are copied to Windows shares)
        raise InputError(f"file name stem {stem!r} is the Windows device {windows_device(stem)}: give "
                         "another stem (CON, PRN, AUX, NUL, COM0-9, LPT0-9 are refused in any case, with any "
                         "extension)")
    out = Path(out_dir)
    names = list(formats or DEFAULT_FORMATS)
    if formats is None and device is not None:  # the default set: the device's own cutter file
        cutter = CUTTER_FORMAT[get_device(device, device_file=device_file).protocol]
        names = [cutter if n == "plt" else n for n in names]
    chosen = [_format(fmt) for fmt in names]  # every name checked before writing
    if why := _no_unit(marker):
        lacking = [f.name for f in chosen if f.name in NEEDS_UNIT]
        if lacking and unitless is None:
            raise InputError(f"cannot write {', '.join(lacking)} of this marker: {why}")
        unitless = unitless if unitless is not None else []
        unitless += [(name, why) for name in lacking]
        chosen = [f for f in chosen if f.name not in NEEDS_UNIT]
        if replace_all:  # an old file of a format left out is of another marker
            remove = [*remove, *(f"{stem}.{n}" for n in lacking if (Path(out_dir) / f"{stem}.{n}").is_file())]
    devices: dict[str, Device | None] = {}
    said: list[str] = []
    own: dict[str, str] = {}  # formats written for their own default device, not ``device``: the note
    for f in chosen:
        try:
            devices[f.name] = device_for(f.name, device, device_file=device_file)
        except InputError:
            if not own_devices or f.protocol in (None, "any"):
                raise
            devices[f.name] = device_for(f.name, None, device_file=device_file)
            own[f.name] = (f"{stem}.{f.name} written for {devices[f.name].name}, its default device: device "
                           f"'{_name(device)}' speaks {get_device(device, device_file=device_file).protocol}")
    if device is None:  # the reports are for the device of the set's cutter file
        first = next((devices[f.name] for f in chosen if f.protocol not in (None, "any")
                      and f.name not in FIXED_DEVICE), None)
        for f in chosen:
            if f.protocol == "any" and first is not None:
                devices[f.name] = first
    from kitcut.formats.writing.report import not_carried_note

    paths = []
    with FileSet() as files:
        for name, data in (extra or {}).items():
            paths.append(files.add(out / name, data))
        for f in chosen:
            path = out / f"{stem}.{f.name}"
            if path in paths:
                continue
            try:
                data = render(marker, f.name, device=devices[f.name], device_file=device_file)
            except (MediaError, LimitError) as exc:  # a device too narrow; a print of too many pages
                asked = isinstance(exc, MediaError) and device is not None and f.name not in own
                if skipped is None or asked:  # the device asked for by name must fit
                    raise
                skipped.append((f.name, exc.message))
                if replace_all and path.is_file():
                    files.remove(path)
                continue
            paths.append(files.add(path, data))
            if f.name in own:
                said.append(own[f.name])
            dev = devices[f.name]
            if f.protocol not in (None, "any") and (why := not_carried_note(marker, dev, path.name)):
                said.append(why)
        for name in remove:
            files.remove(out / name)
    if notes is not None:
        notes += said
    return paths
