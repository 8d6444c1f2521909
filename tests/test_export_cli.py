"""``nest export``: marker.json in, the chosen files out; bad input is one line and exit 2."""

from __future__ import annotations

import json

import pytest
from marker_factory import valid_small_marker

from kitcut.cli.main import main
from kitcut.errors import InputError
from kitcut.formats.marker_json import write_marker
from kitcut.formats.writing.export import DEFAULT_FORMATS, export_marker
from kitcut.formats.writing.gerber_nc import read_nc


@pytest.fixture()
def marker_file(tmp_path):
    return write_marker(valid_small_marker(), tmp_path / "marker.json")


def _run(argv) -> int:
    with pytest.raises(SystemExit) as exc:
        main(argv)
        raise SystemExit(0)
    return exc.value.code or 0


def test_export_default_set(tmp_path, marker_file, capsys):
    assert _run(["export", str(marker_file), "-o", str(tmp_path / "out")]) == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(f"marker.{f}" for f in DEFAULT_FORMATS)
    assert capsys.readouterr().out.count("marker.") == len(DEFAULT_FORMATS)


def test_export_formats_and_device(tmp_path, marker_file):
    out = tmp_path / "o"
    assert _run(["export", str(marker_file), "-o", str(out), "--formats", "nc,report.json", "--device",
                 "gerber-conveyor", "--stem", "cut"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["cut.nc", "cut.report.json"]
    prog = read_nc((out / "cut.nc").read_text())
    assert len(prog.pieces) == 7
    first = (out / "cut.nc").read_bytes()
    assert (
        _run(
            ["export", str(marker_file), "-o", str(out), "-f", "nc", "-d", "gerber-conveyor", "--stem", "cut"]
        )
        == 0
    )
    assert (out / "cut.nc").read_bytes() == first


def _hpgl_tools(text: str) -> set[int]:
    """The tool numbers an HP-GL file selects (a small parse: ``SPn;`` commands)."""
    import re

    return {int(n) for n in re.findall(r"SP(\d+);", text)} - {0}


@pytest.mark.parametrize("formats, device", [("plt,report.json", "gerber"), ("nc,gcode", "hpgl-cutter"),
                                             ("gcode", "gerber"), ("pen.plt", "laser")])
def test_export_refuses_a_device_of_another_protocol(tmp_path, marker_file, capsys, formats, device):
    """`-f plt -d gerber` wrote the default HP-GL cutter's file while report.json named gerber;
    now a device that does not speak a requested format's protocol is an error: exit 2, one
    line naming the device, its protocol and the devices that speak the format; nothing written."""
    out = tmp_path / "o"
    assert _run(["export", str(marker_file), "-o", str(out), "-f", formats, "-d", device]) == 2
    err = capsys.readouterr().err
    assert f"device '{device}' speaks" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_export_device_sets_the_cutter_file_and_the_report(tmp_path, marker_file, capsys):
    """The report names the device its set's cutter file was written for: -d gerber with the
    default set writes marker.nc (not an HP-GL file for another device); `-f nc,report.json`
    without -d reports gerber, the nc file's device (it said hpgl-cutter); `-f all -d laser`
    writes the G-code for the laser and says which files went to their own default devices."""
    out = tmp_path / "d"
    assert _run(["export", str(marker_file), "-o", str(out), "-d", "gerber"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert "marker.nc" in names and "marker.plt" not in names
    assert json.loads((out / "marker.report.json").read_text())["device"] == "gerber"
    assert len(read_nc((out / "marker.nc").read_text()).pieces) == 7
    out = tmp_path / "n"
    assert _run(["export", str(marker_file), "-o", str(out), "-f", "nc,report.json"]) == 0
    assert json.loads((out / "marker.report.json").read_text())["device"] == "gerber"
    capsys.readouterr()
    wide = tmp_path / "wide.toml"
    wide.write_text('[laser]\nprotocol = "gcode"\nmedia_width = 1600.0\n'
                    'tools.cut = { kind = "knife", number = 1, speed = 40.0, on = "M3", off = "M5" }\n')
    out = tmp_path / "a"
    assert _run(["export", str(marker_file), "-o", str(out), "-f", "all", "-d", "laser",
                 "--device-file", str(wide)]) == 0
    err = capsys.readouterr().err
    assert "marker.plt written for hpgl-cutter, its default device: device 'laser' speaks gcode" in err
    assert "marker.nc written for gerber, its default device" in err
    assert json.loads((out / "marker.report.json").read_text())["device"] == "laser"
    assert "laser" in (out / "marker.gcode").read_text().splitlines()[0]


def test_export_says_what_a_knife_only_device_leaves_out(tmp_path, marker_file, capsys):
    """hpgl-knife has no punch and no pen: its marker.plt dropped the drill holes, pen lines and
    labels without a word. Now a note on stderr and ``not_carried`` in report.json count them;
    the file itself (read back) selects only the knife."""
    from kitcut.formats.marker_json import read_marker

    marker = read_marker(marker_file)
    drills = sum(len(marker.pieces[pl.piece].drills) for pl in marker.placements)
    labels = len(marker.placements)
    out = tmp_path / "k"
    assert _run(["export", str(marker_file), "-o", str(out), "-f", "plt,report.json",
                 "-d", "hpgl-knife"]) == 0
    err = capsys.readouterr().err
    assert f"{drills} drill holes, " in err
    assert f"{labels} labels are not in marker.plt: device 'hpgl-knife' has no drill tool, no pen tool" in err
    rep = json.loads((out / "marker.report.json").read_text())
    assert rep["device"] == "hpgl-knife" and rep["not_carried"]["drill holes"] == drills == rep["drill_count"]
    assert rep["not_carried"]["labels"] == labels
    assert _hpgl_tools((out / "marker.plt").read_text()) == {1}
    assert _run(["export", str(marker_file), "-o", str(tmp_path / "c"), "-f", "plt,report.json"]) == 0
    assert "not in" not in capsys.readouterr().err  # the default cutter carries every mark
    assert json.loads((tmp_path / "c" / "marker.report.json").read_text())["not_carried"] == {}


def test_export_errors_are_one_line(tmp_path, marker_file, capsys):
    assert _run(["export", str(marker_file), "-o", str(tmp_path / "x"), "-f", "svg,bmp"]) == 2
    err = capsys.readouterr().err
    assert "unknown output format 'bmp'" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()  # nothing written when one format is bad
    assert _run(["export", str(marker_file), "-d", "nope"]) == 2
    assert "unknown device 'nope'" in capsys.readouterr().err
    assert _run(["export", str(tmp_path / "missing.json")]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert _run(["export", str(bad)]) == 2
    assert "not a kitcut marker file" in capsys.readouterr().err


@pytest.mark.parametrize(("stem", "why"), [
    ("../evil", "holds a path separator (/ or \\)"),
    ("sub/cut", "holds a path separator (/ or \\)"),
    ("..\\evil", "holds a path separator (/ or \\)"),
    ("..", "holds '..'"),
    ("", "is empty"),
    (".cut", "starts with a dot (a hidden file)"),
    ("cut\n", "holds a control character"),
    # Windows cannot hold these: the files could not be copied to a share or the cutter's PC
    ("a:b", "holds ':', which Windows file names cannot hold (a kit copied to a share or a cutter's PC)"),
    ("cut*", "holds '*', which Windows file names cannot hold (a kit copied to a share or a cutter's PC)"),
    ('a"b|c', "holds '\"', which Windows file names cannot hold (a kit copied to a share or a cutter's PC)"),
])
def test_a_stem_that_is_not_a_plain_file_name_is_an_option_error(tmp_path, marker_file, capsys, stem, why):
    """``--stem ../evil`` wrote ``evil.svg`` beside the output folder, and ``--stem ''`` a hidden
    ``.svg`` in it. A stem is now a plain file name: anything else is an option error (exit 2)
    and nothing is written, inside the output folder or out of it."""
    out = tmp_path / "a" / "out"
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert _run(["export", str(marker_file), "-o", str(out), "-f", "svg", "--stem", stem]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"Error: Invalid value for '--stem': {stem!r} {why}: give a file name without folder, such as marker "
        "or order-42")
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("stem", ["con", "CON", "aux.cut", "Nul ", "prn.", "com0", "LPT9", "lpt1 .x"])
def test_a_stem_windows_cannot_hold_is_refused(tmp_path, marker_file, capsys, stem):
    """``--stem con`` wrote ``con.report.json``, a file no Windows share can hold (order ids were
    already refused so). Now a device name as stem, in any case, with any extension or trailing
    dot or space, is an option error (exit 2) and nothing is written; so is it for
    :func:`export_marker` called as a library."""
    out = tmp_path / "out"
    assert _run(["export", str(marker_file), "-o", str(out), "-f", "report.json", "--stem", stem]) == 2
    err = capsys.readouterr().err.splitlines()[-1]
    assert err.startswith(f"Error: Invalid value for '--stem': {stem!r} is the Windows device ")
    assert not out.exists()
    with pytest.raises(InputError, match="is the Windows device"):
        export_marker(valid_small_marker(), out, ["report.json"], stem=stem)
    assert not out.exists()


@pytest.mark.parametrize("stem", ["cut.", "cut "])
def test_a_stem_ending_in_a_dot_or_blank_is_refused(tmp_path, marker_file, capsys, stem):
    out = tmp_path / "out"
    assert _run(["export", str(marker_file), "-o", str(out), "-f", "svg", "--stem", stem]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"Error: Invalid value for '--stem': {stem!r} ends in a blank or a dot, which Windows drops from a "
        "file name: give a file name such as marker or order-42")
    assert not out.exists()


@pytest.mark.parametrize("stem", ["console", "con1", "com10", "aux-cut", "nul_2"])
def test_a_stem_that_only_looks_like_a_device_is_fine(tmp_path, marker_file, stem):
    out = tmp_path / "out"
    assert _run(["export", str(marker_file), "-o", str(out), "-f", "report.json", "--stem", stem]) == 0
    assert json.loads((out / f"{stem}.report.json").read_text())


def test_export_list(capsys):
    assert _run(["export", "--list"]) == 0
    out = capsys.readouterr().out
    assert "tiled.pdf" in out and "gerber-conveyor" in out


def _edited(tmp_path, edit):
    data = json.loads(write_marker(valid_small_marker(), tmp_path / "good.json").read_text())
    edit(data)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))
    return path


def _move(n, dx, dy):
    def edit(d):
        pl = d["solution"]["placements"][n]
        pl["translation"] = [pl["translation"][0] + dx, pl["translation"][1] + dy]
        pl["outline"] = [[x + dx, y + dy] for x, y in pl["outline"]]
    return edit


def _onto(n, m):
    def edit(d):
        a, b = d["solution"]["placements"][n], d["solution"]["placements"][m]
        dx, dy = a["translation"][0] - b["translation"][0], a["translation"][1] - b["translation"][1]
        _move(m, dx, dy)(d)
    return edit


def _set(key, value, n=None):
    def edit(d):
        (d["solution"] if n is None else d["solution"]["placements"][n])[key] = value
    return edit


@pytest.mark.parametrize("edit, problems", [
    (_onto(3, 5), ["placement 2 (Sleeve (M) copy 0) and placement 5 (Cuff (M) copy 1) overlap",
                   "placement 3 (Sleeve (M) copy 1) and placement 5 (Cuff (M) copy 1) overlap"]),
    (_move(2, 0, 3000), ["placement 2 (Sleeve (M) copy 0): outside the usable width (y 3010..3408.37)"]),
    (lambda d: d["solution"]["placements"].append(d["solution"]["placements"][6]),
     ["placement 7 (Pocket (S) copy 0): placed twice",
      "placement 6 (Pocket (S) copy 0) and placement 7 (Pocket (S) copy 0) overlap",
      "efficiency 0.710531 is not what the pieces give (0.733608)"]),
    (lambda d: d["solution"]["placements"].pop(4),
     ["Cuff (M) copy 0: not placed", "efficiency 0.710531 is not what the pieces give (0.696545)"]),
    (_set("copy", 5, 4), ["placement 4 (Cuff (M) copy 5): no such copy, the piece has 2 copies (0..1)",
                          "Cuff (M) copy 0: not placed"]),
    (_set("length", 500), ["length 500 is not the max x of the pieces (858)",
                           "efficiency 0.710531 is not what the pieces give (1.219272)"]),
    (_set("rotation_deg", 45, 6),
     ["placement 6 (Pocket (S) copy 0): orientation (45 deg, mirrored=False) not allowed",
      "placement 1 (Back (M) copy 0) and placement 6 (Pocket (S) copy 0) overlap",
      "placement 6 (Pocket (S) copy 0): the stored outline is not the piece under the placement's rotation, "
      "mirroring and translation (edit one, not the other)"]),
    (lambda d: d["solution"]["placements"][0].update(outline=[[x + 1, y] for x, y in d["solution"][
        "placements"][0]["outline"]]), ["placement 0 (Front (M) copy 0): the stored outline is not the "
                                         "piece under the placement's rotation, mirroring and translation "
                                         "(edit one, not the other)"]),
    (_set("efficiency", 5), ["efficiency 5 is not what the pieces give (0.710531)"]),
])
def test_export_refuses_a_hand_edited_invalid_marker(tmp_path, capsys, edit, problems):
    """Before, `nest export` turned a marker.json edited into overlapping, outside, duplicated,
    missing, out-of-range, wrongly turned or wrongly measured placements into cutter files with
    exit 0 (the report said an efficiency of 411 %). Now the validator that checks every nested
    marker checks it first: exit 2, one line naming the file and each placement, no file written."""
    path = _edited(tmp_path, edit)
    assert _run(["export", str(path), "-o", str(tmp_path / "out"), "-f", "plt,dxf,pdf,report.json"]) == 2
    err = capsys.readouterr().err
    n = len(problems)
    assert err == (f"nest: error: {path}: not a valid marker ({n} problem{'s' if n > 1 else ''}): "
                   + "; ".join(problems) + "\n")
    assert not (tmp_path / "out").exists()


def test_export_accepts_the_marker_a_nest_wrote(tmp_path):
    """A marker as written (rounded to 6 decimals) passes the check that refuses edited ones."""
    path = write_marker(valid_small_marker(), tmp_path / "marker.json")
    assert _run(["export", str(path), "-o", str(tmp_path / "out"), "-f", "plt"]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["marker.plt"]


def test_export_all_leaves_out_a_format_whose_device_is_too_narrow(tmp_path, marker_file, capsys):
    """``-f all`` asks for every format, each on its own default device: the G-code table
    (cnc-knife, 1300 mm) is narrower than this marker's fabric (1500 mm), so its file is left out
    with a note, the rest written; asked for by name, it is an error (nothing written). The laser
    (1400 mm) took it too, as its pieces span 1308 mm: the fabric does not fit its table either;
    a table of a device file as wide as the fabric takes it."""
    from kitcut.formats.writing.export import FORMATS

    out = tmp_path / "all"
    assert _run(["export", str(marker_file), "-o", str(out), "-f", "all"]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"marker.{f}" for f in FORMATS if f != "gcode")
    err = capsys.readouterr().err
    assert "nest: note: marker.gcode not written: device 'cnc-knife' takes media 1300 mm wide" in err
    assert _run(["export", str(marker_file), "-o", str(tmp_path / "g"), "-f", "gcode"]) == 2
    assert not (tmp_path / "g").exists()
    capsys.readouterr()
    assert _run(["export", str(marker_file), "-o", str(tmp_path / "l"), "-f", "gcode", "-d", "laser"]) == 2
    assert capsys.readouterr().err == (
        f"nest: error: {marker_file}: device 'laser' takes media 1400 mm wide, but the fabric is 1500 mm "
        "wide (margins included); use a device with wider media or nest on narrower fabric\n")
    assert not (tmp_path / "l").exists()
    dev = tmp_path / "dev.toml"
    dev.write_text('[wide-laser]\nprotocol = "gcode"\nunits_per_mm = 1.0\nmedia_width = 1500.0\n'
                   'tools.cut = { kind = "knife", number = 1, on = "M3", off = "M5" }\n')
    assert _run(["export", str(marker_file), "-o", str(tmp_path / "w"), "-f", "gcode", "-d", "wide-laser",
                 "--device-file", str(dev)]) == 0
    assert sorted(p.name for p in (tmp_path / "w").iterdir()) == ["marker.gcode"]


def test_export_all_for_a_device_leaves_out_only_other_devices_too_narrow(tmp_path, marker_file, capsys):
    """``-f all -d hpgl-knife`` on 1500 mm fabric was refused whole (exit 2, nothing written) for
    the G-code file's default device (cnc-knife, 1300 mm), a device the user never chose: "every
    file for my cutter" never worked on standard fabric. The files of other protocols are written
    for their own default devices, and one of those too narrow is left out with a note, as under
    ``-f all`` alone (and not said to be written); the device asked for must fit."""
    from kitcut.formats.writing.export import FORMATS

    for device, own in (("hpgl-knife", "nc"), ("gerber", "plt")):
        out = tmp_path / device
        assert _run(["export", str(marker_file), "-o", str(out), "-f", "all", "-d", device]) == 0
        assert sorted(p.name for p in out.iterdir()) == sorted(f"marker.{f}" for f in FORMATS if f != "gcode")
        err = capsys.readouterr().err
        assert "nest: note: marker.gcode not written: device 'cnc-knife' takes media 1300 mm wide" in err
        assert "marker.gcode written for" not in err and f"marker.{own} written for" in err
    assert _run(["export", str(marker_file), "-o", str(tmp_path / "c"), "-f", "all", "-d", "cnc-knife"]) == 2
    assert "device 'cnc-knife' takes media 1300 mm wide" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def _add_mark(kind, x, y, piece=0, angle=90, depth=5):
    def edit(d):
        p = d["instance"]["pieces"][piece]
        if kind == "notch":
            p["notches"].append({"x": x, "y": y, "angle_deg": angle, "kind": "slit", "depth": depth,
                                 "width": 0})
        else:
            p["drills"].append({"x": x, "y": y, "diameter": None})
    return edit


def _move_cutout(dx):
    def edit(d):
        p = d["instance"]["pieces"][0]
        p["cutouts"] = [[[x + dx, y] for x, y in c] for c in p["cutouts"]]
    return edit


@pytest.mark.parametrize("edit, problem", [
    (_add_mark("notch", 250, 0, angle=-90),
     "Front (M): notch 3 at (250, 0) cuts 5.0 mm out of the piece (pointing out, or deeper than the piece is "
     "there: it would be cut into what lies there)"),
    (_add_mark("notch", 500, 100, angle=180, depth=600),
     "Front (M): notch 3 at (500, 100) cuts 100.0 mm out of the piece (pointing out, or deeper than the "
     "piece is there: it would be cut into what lies there)"),
    (_move_cutout(-1000),
     "Front (M): cut-out 0 reaches 780.0 mm outside the piece (it would be cut into what lies there)"),
])
def test_export_refuses_slits_and_cut_outs_off_their_piece(tmp_path, capsys, edit, problem):
    """A notch turned outward, one deeper than its piece (a 500 mm slit through a 300 mm piece),
    and a cut-out moved off its piece passed `nest export` (exit 0): the knife slit 1.7 mm into
    the neighbouring piece, or cut a hole before the marker's start (negative X in the NC file).
    They are refused with the piece and the mark named, nothing written."""
    path = _edited(tmp_path, edit)
    assert _run(["export", str(path), "-o", str(tmp_path / "out"), "-f", "plt,nc"]) == 2
    assert capsys.readouterr().err == f"nest: error: {path}: not a valid marker (1 problem): {problem}\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("edit, problem", [
    (_add_mark("notch", 250, 200),
     "Front (M): notch 3 at (250, 200) lies 200.0 mm off its cut line (it would be cut into what lies "
     "there)"),
    (_add_mark("drill", 650, 200),
     "Front (M): drill hole 2 at (650, 200) lies 150.0 mm outside the piece (it would be punched into what "
     "lies there)"),
    (_add_mark("drill", 250, 400),
     "Front (M): drill hole 2 at (250, 400) lies 20.0 mm inside a cut-out of the piece (it would be punched "
     "into what lies there)"),
])
def test_export_refuses_marks_off_their_piece(tmp_path, capsys, edit, problem):
    """A notch or drill hole edited off its piece passed `nest export` (exit 0) and the cutter
    slit and punched it into the neighbouring piece. The marker check refuses it: exit 2, the
    piece and the mark named, no file written. A notch on the cut line and a drill inside pass."""
    path = _edited(tmp_path, edit)
    assert _run(["export", str(path), "-o", str(tmp_path / "out"), "-f", "plt,nc"]) == 2
    err = capsys.readouterr().err
    assert err == f"nest: error: {path}: not a valid marker (1 problem): {problem}\n"
    assert not (tmp_path / "out").exists()
    ok = _edited(tmp_path, lambda d: (_add_mark("notch", 500, 100.3)(d), _add_mark("drill", 490, 100)(d)))
    assert _run(["export", str(ok), "-o", str(tmp_path / "ok"), "-f", "plt"]) == 0


def test_export_of_a_marker_without_a_length_unit(tmp_path, capsys):
    """A benchmark marker ("units": "unit") went to the cutter as millimetres and report.json said
    "mm". Its cutter, 1:1 print, DXF and report files are refused when asked for (exit 2, nothing
    written), left out with one note from the default set (the SVG and HTML, in its own unit, are
    written); with "units" set in the marker.json they are written at that unit."""
    from dataclasses import replace

    from kitcut.errors import InputError
    from kitcut.formats.writing.export import NEEDS_UNIT, write_file

    marker = replace(valid_small_marker(), units="unit")
    path = write_marker(marker, tmp_path / "bench.json")
    assert _run(["export", str(path), "-o", str(tmp_path / "a"), "-f", "plt,nc,report.json,svg"]) == 2
    err = capsys.readouterr().err
    assert "cannot write plt, nc, report.json of this marker: the marker's lengths have no unit" in err
    assert 'set "units" in the marker.json' in err and not (tmp_path / "a").exists()
    assert _run(["export", str(path), "-o", str(tmp_path / "d")]) == 0
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["marker.html", "marker.svg"]
    err = capsys.readouterr().err
    assert err.count("nest: note:") == 1 and "marker.plt, marker.dxf, marker.pdf" in err
    for fmt in sorted(NEEDS_UNIT):
        with pytest.raises(InputError, match="no unit"):
            write_file(marker, tmp_path / f"x.{fmt}")
    data = json.loads(path.read_text())
    data["units"] = "mm"  # the unit its numbers are in
    path.write_text(json.dumps(data))
    assert _run(["export", str(path), "-o", str(tmp_path / "mm"), "-f", "plt,report.json"]) == 0
    import re

    xs = [int(x) for x in re.findall(r"P[UD](-?\d+),", (tmp_path / "mm" / "marker.plt").read_text())]
    assert max(xs) == pytest.approx(marker.length * 40, abs=40)  # 40 plotter units per mm
    assert json.loads((tmp_path / "mm" / "marker.report.json").read_text())["units"] == "mm"


def test_export_into_a_folder_of_an_earlier_export_names_the_files_it_did_not_write(tmp_path, capsys):
    """`nest export` of a second marker into a folder of another's left that marker's nc and report
    beside the new plt, all named marker.*, without a word: an operator picking marker.nc cut the
    earlier job. The files not written now are named in a note, unless the earlier export's
    report states this very marker (a kit's folder, where the cutting room adds `-f nc`)."""
    def named(name):
        def edit(d):
            d["name"] = name
        return edit

    first = _edited(tmp_path / "a", named("first"))
    second = _edited(tmp_path / "b", named("second"))
    out = tmp_path / "out"
    assert _run(["export", str(first), "-o", str(out), "-f", "plt,nc,report.json"]) == 0
    capsys.readouterr()
    assert _run(["export", str(first), "-o", str(out), "-f", "pdf"]) == 0
    assert "earlier export" not in capsys.readouterr().err
    assert _run(["export", str(second), "-o", str(out), "-f", "plt"]) == 0
    err = capsys.readouterr().err
    assert err == (f"nest: note: {out} also holds marker.nc, marker.pdf, marker.report.json from an earlier "
                   "export, not written now (if that was of another marker, they are not this one's: remove "
                   "them, or export -f all)\n")


@pytest.mark.parametrize("formats", ["svg", None])
def test_a_long_stem_whose_other_names_cannot_exist_exports_cleanly(tmp_path, marker_file, capsys, formats):
    """A `--stem` of 240 characters: every file asked for fits 255 bytes, but the look for an
    earlier export's files (`<stem>.tiled-letter.pdf`, 257 bytes) raised "File name too long"
    after the set was in place, exit 2 (probe 39). A name that cannot exist is no earlier file."""
    stem = "a" * 240
    out = tmp_path / "out"
    argv = ["export", str(marker_file), "-o", str(out), "--stem", stem] + (["-f", formats] if formats else [])
    assert _run(argv) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    names = sorted(p.name for p in out.iterdir())
    expected = [f"{stem}.svg"] if formats else sorted(f"{stem}.{f}" for f in DEFAULT_FORMATS)
    assert names == expected
    assert sorted(captured.out.split()) == [str(out / n) for n in names]
