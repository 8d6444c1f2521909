"""Cutter and plotter profiles as data: ``devices.toml`` loaded into frozen dataclasses.

A user file (``--device-file``) with the same layout adds devices or replaces bundled ones by
name. Writers ask a :class:`Device` for the tool of a feature (:meth:`Device.tool_for`) and
map marker mm to device units with :meth:`Device.to_device`.

>>> d = get_device("hpgl-cutter")
>>> d.tool_for("cutout").kind, d.tool_for("notch").kind
('knife', 'notcher')
>>> d.to_device([(1.0, 2.0)]).tolist()
[[40, 80]]
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from kitcut.errors import InputError
from kitcut.fileio import not_utf8, read_user_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Tool", "Device", "PROTOCOLS", "FEATURE_ROLE", "load_devices", "get_device", "default_device"]

PROTOCOLS = ("hpgl", "gerber-nc", "gcode")
TOOL_KINDS = ("knife", "slit", "notcher", "punch", "pen")
#: Which tool role draws each feature of :mod:`kitcut.formats.layout.page`.
FEATURE_ROLE = {
    "cut": "cut",
    "cutout": "cut",
    "notch": "notch",
    "drill": "drill",
    "internal": "pen",
    "sew": "pen",
    "grain": "pen",
    "label": "pen",
}
#: The device each protocol uses when none is given.
DEFAULTS = {"hpgl": "hpgl-cutter", "gerber-nc": "gerber", "gcode": "cnc-knife"}


@dataclass(frozen=True)
class Tool:
    """One tool: ``kind`` (knife/slit/notcher/punch/pen), number, speed mm/s, dwell s per hit."""

    kind: str
    number: int = 1
    speed: float = 100.0
    dwell: float = 0.0
    on: str = ""
    off: str = ""
    force: int | None = None


@dataclass(frozen=True)
class Device:
    """A cutter or plotter profile (see ``devices.toml`` for the meaning of every field)."""

    name: str
    protocol: str
    description: str = ""
    units_per_mm: float = 40.0
    swap_xy: bool = False
    flip_y: bool = False
    origin: tuple[float, float] = (0.0, 0.0)
    media_width: float | None = None
    air_speed: float = 500.0
    end_allowance: float = 0.0
    bite: float = 0.0
    window: float = 0.0
    labels: bool = False
    overcut: float = 0.0
    tools: tuple[tuple[str, Tool], ...] = ()

    def tool_for(self, feature: str) -> Tool | None:
        """The tool that handles ``feature`` (``cut``, ``cutout``, ``notch``...), or ``None``."""
        role = FEATURE_ROLE.get(feature, feature)
        for r, t in self.tools:
            if r == role:
                return t
        return None

    def place(self, points) -> np.ndarray:
        """Marker mm -> device axes in mm (origin shift, flip, swap; no scaling or rounding)."""
        p = np.asarray(points, dtype=float).reshape(-1, 2) + np.asarray(self.origin, dtype=float)
        if self.flip_y:
            p = np.column_stack([p[:, 0], (self.media_width or 0.0) - p[:, 1]])
        if self.swap_xy:
            p = p[:, ::-1]
        return p

    def across(self, points) -> np.ndarray:
        """How far across the media the device puts each marker point (mm, after :meth:`place`)."""
        return self.place(points)[:, 0 if self.swap_xy else 1]

    def fabric_misfit(self, width: float) -> str | None:
        """Why fabric ``width`` mm wide (margins included: it lies from 0 to ``width`` across the
        roll) does not fit this device's media, or ``None`` when it fits (or no media width is set).

        >>> get_device("laser").fabric_misfit(1500.0)
        "device 'laser' takes media 1400 mm wide, but the fabric is 1500 mm wide (margins included)"
        """
        if not self.media_width:
            return None
        if width > self.media_width + 0.01:
            return (f"device '{self.name}' takes media {self.media_width:g} mm wide, but the fabric is "
                    f"{width:g} mm wide (margins included)")
        a = self.across([(0.0, 0.0), (0.0, width)])
        lo, hi = float(a.min()) + 0.0, float(a.max()) + 0.0
        if lo < -0.01 or hi > self.media_width + 0.01:
            return (f"device '{self.name}' takes media {self.media_width:g} mm wide, but its origin puts the "
                    f"fabric ({width:g} mm wide) at {lo:.1f} to {hi:.1f} mm across it")
        return None

    def to_device(self, points) -> np.ndarray:
        """Marker mm -> integer device units (:meth:`place`, then scale and round)."""
        return np.rint(self.place(points) * self.units_per_mm).astype(np.int64)

    def from_device(self, points) -> np.ndarray:
        """Device units -> marker mm (the inverse of :meth:`to_device`, up to rounding)."""
        p = np.asarray(points, dtype=float).reshape(-1, 2) / self.units_per_mm
        if self.swap_xy:
            p = p[:, ::-1]
        if self.flip_y:
            p = np.column_stack([p[:, 0], (self.media_width or 0.0) - p[:, 1]])
        return p - np.asarray(self.origin, dtype=float)


#: What each setting of a device (and of a tool, ``tools.<role>.<setting>``) may hold: a kind of
#: value and the least value (``>`` or ``>=``). A quoted ``swap_xy = "false"`` was read as true,
#: and every piece of the file was written mirrored, exit 0.
_SETTINGS = {
    "description": (str, None), "units_per_mm": (float, ">0"), "swap_xy": (bool, None),
    "flip_y": (bool, None), "media_width": (float, ">0"), "air_speed": (float, ">0"),
    "end_allowance": (float, ">=0"), "bite": (float, ">=0"), "window": (float, ">=0"),
    "labels": (bool, None), "overcut": (float, ">=0"),
}
_TOOL_SETTINGS = {
    "kind": (str, None), "number": (int, ">=0"), "speed": (float, ">0"), "dwell": (float, ">=0"),
    "on": (str, None), "off": (str, None), "force": (int, ">=0"),
}
_KINDS = {str: "text in quotes", bool: "true or false (not in quotes)", float: "a number",
          int: "a whole number"}
#: The largest sane ``units_per_mm`` (device units per mm; HP-GL's is 40).
MAX_UNITS_PER_MM = 1000.0
#: Gerber NC counts in hundredths of an inch.
GERBER_UNITS = 100 / 25.4


def _checked(key: str, value, kind: type, least: str | None, bad):
    """``value`` of setting ``key`` if it is of ``kind`` (an int for a float too) and finite, at
    least ``least``; else :class:`InputError` through ``bad`` naming the setting."""
    ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        ok, value = True, float(value)
    if not ok:
        raise bad(f"{key} must be {_KINDS[kind]}, got {value!r}")
    if kind in (int, float):
        if not math.isfinite(value) or (least == ">0" and value <= 0) or (least == ">=0" and value < 0):
            raise bad(f"{key} must be {'more than 0' if least == '>0' else '0 or more'}, got {value!r}")
    return value


def _device(name: str, d: dict, where: str) -> Device:
    def bad(msg: str) -> InputError:
        return InputError(f"device '{name}': {msg}", file=where)

    if not isinstance(d, dict):
        raise bad("must be a table")
    proto = d.get("protocol")
    if proto not in PROTOCOLS:
        raise bad(f"protocol must be one of {', '.join(PROTOCOLS)}, got {proto!r}")
    roles = d.get("tools") or {}
    if not isinstance(roles, dict):
        raise bad("tools must be a table of tools by role (tools.cut = { kind = \"knife\" })")
    tools = []
    for role, t in sorted(roles.items()):
        if role not in ("cut", "notch", "drill", "pen"):
            raise bad(f"unknown tool role {role!r} (cut, notch, drill, pen)")
        if not isinstance(t, dict) or t.get("kind") not in TOOL_KINDS:
            raise bad(f"tool {role!r} needs kind = one of {', '.join(TOOL_KINDS)}")
        unknown = sorted(set(t) - set(_TOOL_SETTINGS))
        if unknown:
            raise bad(f"tool {role!r}: unknown setting(s) {', '.join(unknown)} (known: "
                      f"{', '.join(_TOOL_SETTINGS)})")
        t = {k: _checked(f"tools.{role}.{k}", v, *_TOOL_SETTINGS[k], bad) for k, v in t.items()}
        tools.append((role, Tool(**t)))
    known = set(Device.__dataclass_fields__) - {"name", "tools"}
    extra = set(d) - known - {"tools"}
    if extra:
        raise bad(f"unknown setting(s): {', '.join(sorted(extra))}")
    kw = {k: (_checked(k, v, *_SETTINGS[k], bad) if k in _SETTINGS else v)
          for k, v in d.items() if k not in ("tools", "protocol", "origin")}
    kw["protocol"] = proto
    if "origin" in d:
        kw["origin"] = d["origin"]
    if proto == "gcode":  # G-code's own unit (G21) unless the file says inches
        kw.setdefault("units_per_mm", 1.0)
    if "origin" in kw:
        kw["origin"] = _origin(kw["origin"], kw.get("media_width"), bad)
    dev = Device(name=name, tools=tuple(tools), **kw)
    if dev.units_per_mm > MAX_UNITS_PER_MM:
        raise bad(f"units_per_mm = {dev.units_per_mm:g} device units per mm is more than any device counts "
                  f"(at most {MAX_UNITS_PER_MM:g}; HP-GL counts 40)")
    if dev.protocol == "gerber-nc":
        _check_gerber(dev, bad)
    if dev.protocol == "gcode" and not any(abs(dev.units_per_mm / u - 1.0) <= 1e-4 for u in (1.0, 1 / 25.4)):
        raise bad(f"units_per_mm = {dev.units_per_mm:g}: G-code has two units, mm (units_per_mm = 1, "
                  "G21) and inches (units_per_mm = 0.03937007874015748, G20)")
    if dev.flip_y and not dev.media_width:
        raise bad("flip_y needs media_width")
    if dev.tool_for("cut") is None:
        raise bad("a device needs a cut tool")
    return dev


def _check_gerber(dev: Device, bad) -> None:
    """What kitcut's Gerber NC writer can say: hundredths of an inch, the knife (``M14``/``M15``)
    and one drill code (``M43``). A notcher or punch notch would be drilled on the cut line, and
    a pen line cut with the knife."""
    if abs(dev.units_per_mm / GERBER_UNITS - 1.0) > 1e-4:
        raise bad(f"units_per_mm = {dev.units_per_mm:g}: Gerber NC counts hundredths of an inch "
                  f"(units_per_mm = {GERBER_UNITS!r}); at {dev.units_per_mm:g} every length would be "
                  f"{dev.units_per_mm / GERBER_UNITS:.3g} times as long")
    notch, pen = dev.tool_for("notch"), dev.tool_for("pen")
    if notch is not None and notch.kind not in ("slit", "knife"):
        raise bad(f"tools.notch: kind {notch.kind!r} cannot be written to Gerber NC, whose only hit is the "
                  "drill code M43 (each notch would be drilled on the cut line): use kind = \"slit\" (the "
                  "knife cuts it)")
    if pen is not None:
        raise bad("tools.pen: Gerber NC as kitcut writes it has no pen (the knife would cut every pen line "
                  "into the piece): leave tools.pen out")


def _origin(value, media_width, bad) -> tuple[float, float]:
    """A device's ``origin`` ``[along, across]`` (mm), checked: the marker lies from 0 along the
    roll and from 0 to its width across it, so a negative origin puts coordinates below the
    device's 0 (a Gerber NC file with negative X), and one across at or past ``media_width`` puts
    all of the fabric off the media."""
    if (not isinstance(value, (list, tuple)) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        raise bad(f"origin must be two numbers [along the roll, across it] in mm, got {value!r}")
    along, across = (float(v) for v in value)
    if not (np.isfinite(along) and np.isfinite(across)):
        raise bad(f"origin must be finite, got {value!r}")
    if along < 0 or across < 0:
        raise bad(f"origin = [{along:g}, {across:g}] puts the marker's start or its near selvedge at a "
                  "negative coordinate, outside the device's range (coordinates run from 0): give an origin "
                  "of 0 or more on both axes")
    if isinstance(media_width, (int, float)) and media_width and across >= media_width:
        raise bad(f"origin = [{along:g}, {across:g}] puts the fabric at {across:g} mm across media only "
                  f"{media_width:g} mm wide, off the media")
    return along + 0.0, across + 0.0


def _load(text: str, where: str) -> dict[str, Device]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not a valid device TOML file: {exc}", file=where) from None
    return {name: _device(name, d, where) for name, d in data.items()}


def load_devices(device_file: str | Path | None = None) -> dict[str, Device]:
    """The bundled devices, updated by the devices of ``device_file`` (same names replace)."""
    text = resources.files("kitcut.formats.writing").joinpath("devices.toml").read_text(encoding="utf-8")
    devices = _load(text, "devices.toml")
    if device_file is not None:
        path = Path(device_file)
        try:
            user = read_user_text(path)
        except OSError as exc:
            raise InputError(f"cannot read device file: {exc.strerror or exc}", file=str(path)) from None
        except UnicodeDecodeError as exc:
            raise InputError(f"cannot read device file: {not_utf8(exc)}", file=str(path)) from None
        devices.update(_load(user, str(path)))
    return devices


def default_device(protocol: str, device_file: str | Path | None = None) -> Device:
    return load_devices(device_file)[DEFAULTS[protocol]]


def get_device(
    device: str | Device | None, *, protocol: str | None = None, device_file: str | Path | None = None
) -> Device:
    """Resolve a device name (or pass a :class:`Device` through).

    With ``protocol``, a device of another protocol is replaced by that protocol's default, so a
    single ``--device`` applies to the formats it speaks.
    """
    if isinstance(device, Device):
        if protocol and device.protocol != protocol:
            return default_device(protocol, device_file)
        return device
    devices = load_devices(device_file)
    if device is None:
        if protocol is None:
            raise InputError("no device given")
        return devices[DEFAULTS[protocol]]
    if device not in devices:
        raise InputError(f"unknown device {device!r}; known: {', '.join(sorted(devices))}")
    dev = devices[device]
    if protocol and dev.protocol != protocol:
        return devices[DEFAULTS[protocol]]
    return dev
