"""Device files checked on loading, and honoured: a G-code device's unit (mm or inches) and a
device's origin. Files are re-read by small parsers written here, not by kitcut's readers."""

from __future__ import annotations

import re

import numpy as np
import pytest
from marker_factory import small_marker

from kitcut.errors import InputError
from kitcut.formats.writing.devices import load_devices
from kitcut.formats.writing.export import export_marker

GCODE = '''
[gc-{name}]
protocol = "gcode"
units_per_mm = {upm}
media_width = 1600.0
tools.cut = {{ kind = "knife", number = 1, speed = 120.0, on = "M3", off = "M5" }}
'''


def _gcode(text: str) -> tuple[str, np.ndarray, list[float]]:
    """(the unit word G20/G21, every X Y of a G0/G1 as written, every feed F)."""
    lines = text.splitlines()
    units = [w for w in lines if w in ("G20", "G21")]
    xy = [(float(m[1]), float(m[2])) for w in lines if (m := re.match(r"G[01] X(-?[\d.]+) Y(-?[\d.]+)", w))]
    feeds = [float(m[1]) for w in lines if (m := re.search(r" F([\d.]+)$", w))]
    return "".join(units), np.array(xy), feeds


def test_a_gcode_device_in_inches_gets_g20_and_inch_coordinates(tmp_path):
    """A G-code device of ``units_per_mm = 0.03937`` (inches) got ``G21`` and mm coordinates, its
    unit ignored without a word. Now it gets ``G20`` and the same points in inches (to 0.0001 in),
    feeds in inches per minute; a device of 1 unit per mm keeps ``G21``."""
    f = tmp_path / "dev.toml"
    f.write_text(GCODE.format(name="mm", upm=1.0) + GCODE.format(name="inch", upm=0.03937))
    m = small_marker()
    (mm,) = export_marker(m, tmp_path / "mm", ["gcode"], device="gc-mm", device_file=f)
    (inch,) = export_marker(m, tmp_path / "in", ["gcode"], device="gc-inch", device_file=f)
    u_mm, xy_mm, f_mm = _gcode(mm.read_text())
    u_in, xy_in, f_in = _gcode(inch.read_text())
    assert (u_mm, u_in) == ("G21", "G20")
    assert xy_in.shape == xy_mm.shape and len(xy_mm) > 50
    assert np.abs(xy_in * 25.4 - xy_mm).max() <= 0.0001 * 25.4 / 2 + 0.0005 + 1e-9
    assert xy_in.max() < 1600 / 25.4  # inches, within the 1600 mm media
    assert f_mm and f_in == pytest.approx([v / 25.4 for v in f_mm], abs=1e-3)


@pytest.mark.parametrize("upm", [40.0, 0.5, 25.4])
def test_a_gcode_device_of_no_gcode_unit_is_refused(tmp_path, upm):
    f = tmp_path / "dev.toml"
    f.write_text(GCODE.format(name="odd", upm=upm))
    with pytest.raises(InputError) as ei:
        load_devices(f)
    assert str(ei.value) == (
        f"{f}: device 'gc-odd': units_per_mm = {upm:g}: G-code has two units, mm (units_per_mm = 1, G21) "
        "and inches (units_per_mm = 0.03937007874015748, G20)")


NC = '''
[nc-shift]
protocol = "gerber-nc"
units_per_mm = 3.937007874015748
media_width = 1800.0
origin = {origin}
tools.cut = {{ kind = "knife", number = 1, speed = 250.0 }}
'''


@pytest.mark.parametrize(("origin", "why"), [
    ("[-500.0, 0.0]", "puts the marker's start or its near selvedge at a negative coordinate"),
    ("[0.0, -10.0]", "puts the marker's start or its near selvedge at a negative coordinate"),
    ("[0.0, 1800.0]", "puts the fabric at 1800 mm across media only 1800 mm wide, off the media"),
    ("[5.0]", "origin must be two numbers [along the roll, across it] in mm, got [5.0]"),
    ("5.0", "origin must be two numbers [along the roll, across it] in mm, got 5.0"),
    ("['a', 0]", "origin must be two numbers"),
    ("[nan, 0.0]", "origin must be finite"),
])
def test_a_device_origin_outside_the_device_range_is_refused(tmp_path, origin, why):
    """``origin = [-500, 0]`` gave a Gerber NC file with X down to -5000 (negative X, before the
    device's start of the roll), and ``origin = 5`` a traceback. The origin is checked when the
    device file is read: refused with a message naming the file, the device and why."""
    f = tmp_path / "dev.toml"
    f.write_text(NC.format(origin=origin))
    with pytest.raises(InputError) as ei:
        export_marker(small_marker(), tmp_path / "out", ["nc"], device="nc-shift", device_file=f)
    assert str(ei.value).startswith(f"{f}: device 'nc-shift': ") and why in str(ei.value)
    assert not (tmp_path / "out").exists()


def test_a_device_origin_within_range_moves_the_file(tmp_path):
    f = tmp_path / "dev.toml"
    f.write_text(NC.format(origin="[500.0, 0.0]"))
    (path,) = export_marker(small_marker(), tmp_path / "out", ["nc"], device="nc-shift", device_file=f)
    xy = np.array([(int(a), int(b)) for a, b in re.findall(r"X(-?\d+)Y(-?\d+)", path.read_text())])
    assert xy[:, 0].min() >= round(500 * 3.937007874015748) and xy[:, 1].min() >= 0


def test_the_bundled_laser_burns_no_line_into_the_fabric(tmp_path):
    """The laser profile had a "pen" at low power: every grain, sew and internal line was burnt
    into the face of each piece. It now only cuts, slits the notches and burns the drill holes."""
    m = small_marker(width=1400.0)
    assert any(p.grain is not None or p.internal_lines for p in m.pieces)
    (path,) = export_marker(m, tmp_path, ["gcode"], device="laser")
    words = {w for line in path.read_text().splitlines() for w in [line.split(";")[0].strip()]
             if w.startswith("M3")}
    assert words == {"M3 S1000"}
    assert "pen" not in dict(load_devices()["laser"].tools)


HP = '''
[hp-x]
protocol = "{protocol}"
units_per_mm = {upm}
media_width = 1800.0
{extra}
tools.cut = {{ kind = "knife", number = 1, speed = 250.0 }}
{tools}
'''


@pytest.mark.parametrize(("extra", "tools", "why"), [
    ('swap_xy = "false"', "", "swap_xy must be true or false (not in quotes), got 'false'"),
    ('flip_y = "false"', "", "flip_y must be true or false (not in quotes), got 'false'"),
    ("labels = 3", "", "labels must be true or false (not in quotes), got 3"),
    ("air_speed = 0.0", "", "air_speed must be more than 0, got 0.0"),
    ("overcut = -1.0", "", "overcut must be 0 or more, got -1.0"),
    ('bite = "1300"', "", "bite must be a number, got '1300'"),
    ("description = 3", "", "description must be text in quotes, got 3"),
    ("", 'tools.notch = { kind = "slit", number = -1 }', "tools.notch.number must be 0 or more, got -1"),
    ("", 'tools.notch = { kind = "slit", number = 1.5 }',
     "tools.notch.number must be a whole number, got 1.5"),
    ("", 'tools.notch = { kind = "slit", speed = 0 }', "tools.notch.speed must be more than 0, got 0"),
    ("", 'tools.notch = { kind = "slit", depth = 5 }', "tool 'notch': unknown setting(s) depth (known: kind"),
    ("", "tools = 3", "tools must be a table of tools by role"),
])
def test_a_device_setting_of_the_wrong_kind_is_refused(tmp_path, extra, tools, why):
    """``swap_xy = "false"`` (quoted: a common TOML slip) was read as true, and every piece of
    the cutter file written mirrored across the media, exit 0; ``flip_y`` likewise. A number in
    quotes was an internal error, a negative tool number written as ``SP-1``. Every setting of
    a device and of its tools is checked for its kind and range, naming the file, the device
    and the setting."""
    f = tmp_path / "dev.toml"
    text = HP.format(protocol="hpgl", upm=40.0, extra=extra, tools=tools)
    if tools == "tools = 3":
        text = text.replace('tools.cut = { kind = "knife", number = 1, speed = 250.0 }\n', "")
    f.write_text(text)
    with pytest.raises(InputError) as ei:
        export_marker(small_marker(), tmp_path / "out", ["plt"], device="hp-x", device_file=f)
    assert str(ei.value).startswith(f"{f}: device 'hp-x': ") and why in str(ei.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("upm", "tools", "why"), [
    (40.0, "", "units_per_mm = 40: Gerber NC counts hundredths of an inch (units_per_mm = "
               "3.937007874015748); at 40 every length would be 10.2 times as long"),
    (3.937007874015748, 'tools.notch = { kind = "notcher", number = 2 }',
     "tools.notch: kind 'notcher' cannot be written to Gerber NC, whose only hit is the drill code M43"),
    (3.937007874015748, 'tools.pen = { kind = "pen", number = 2 }',
     "tools.pen: Gerber NC as kitcut writes it has no pen"),
    (1e300, "", "units_per_mm = 1e+300 device units per mm is more than any device counts"),
])
def test_a_gerber_nc_device_kitcut_cannot_write_is_refused(tmp_path, upm, tools, why):
    """A Gerber NC device in HP-GL's 40 units per mm wrote every length 10.2 times too long; a
    notcher's notches were written as the drill code M43 (drilled on the cut line), and a pen's
    lines would be cut with the knife; ``1e300`` units per mm gave coordinates of -2^63."""
    f = tmp_path / "dev.toml"
    f.write_text(HP.format(protocol="gerber-nc", upm=upm, extra="", tools=tools))
    with pytest.raises(InputError) as ei:
        export_marker(small_marker(), tmp_path / "out", ["nc"], device="hp-x", device_file=f)
    assert why in str(ei.value)
    assert not (tmp_path / "out").exists()
