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
