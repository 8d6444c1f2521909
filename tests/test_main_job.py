"""The main job end to end: ``nest PATTERN`` writes a marker that an independent checker accepts
under every garment rule, and the CLI reports what it wrote."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import numpy as np
import pytest
from checker import check_marker
from conftest import SAMPLES
from test_kits_fakes import FAKE_NESTER, FAKE_READER

from kitcut.formats.reading.read import read_pattern
from kitcut.kits.marker import build_instance
from kitcut.model import Pattern, Piece, Rules


def nest(*args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kitcut", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def run_json(tmp_path, *args: str) -> tuple[dict, dict]:
    out = tmp_path / "out"
    r = nest(*args, "-o", str(out), "--json", "--seed", "1", "--workers", "1")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    marker = json.loads((out / "marker.json").read_text())
    return result, marker


@pytest.mark.parametrize("sample", ["tee.dxf", "trousers.dxf", "shirt.dxf"])
def test_samples_nest_into_valid_markers(tmp_path, sample):
    result, marker = run_json(tmp_path, str(SAMPLES / sample), "--time", "2", "--spacing", "2")
    assert check_marker(marker, nap="two-way") == []
    pattern = read_pattern(SAMPLES / sample)
    assert result["pieces"] == pattern.copies == len(marker["solution"]["placements"])
    assert result["length"] == pytest.approx(marker["solution"]["length"], abs=1e-3)
    assert 0.6 < result["efficiency"] < 1.0
    assert (tmp_path / "out" / "marker.svg").stat().st_size > 1000
    assert str(tmp_path / "out" / "marker.html") in result["files"]  # the interactive page beside it
    assert '"format":"kitcut-marker-view"' in (tmp_path / "out" / "marker.html").read_text()


def test_rules_are_kept_on_the_output(tmp_path):
    result, marker = run_json(
        tmp_path, str(SAMPLES / "tee.dxf"), "--time", "2", "--nap", "one-way", "--tilt", "2",
        "--spacing", "3", "--margin", "10", "--width", "1400",
    )
    rules = marker["instance"]["rules"]
    assert (rules["width"], rules["spacing"], rules["margin"], rules["nap"]) == (1400, 3, 10, "one-way")
    assert check_marker(marker, nap="one-way", tilt=2.0) == []
    assert result["usable_width"] == 1380


def test_lengths_may_carry_their_unit(tmp_path):
    """``--width 60in`` is 1524 mm (fabric widths are sold in inches too), ``--spacing 0.3cm``
    3 mm; an unknown unit is a usage error naming the option."""
    _, marker = run_json(tmp_path, str(SAMPLES / "tee.dxf"), "--sizes", "M", "--time", "1", "--width", "60in",
                         "--spacing", "0.3cm", "--margin", "1 cm")
    rules = marker["instance"]["rules"]
    assert (rules["width"], rules["spacing"], rules["margin"]) == (1524, 3, 10)
    assert check_marker(marker) == []
    r = nest(str(SAMPLES / "tee.dxf"), "--width", "60 furlong", "-o", str(tmp_path / "x"))
    assert r.returncode == 2 and "'--width': '60 furlong' is not a length" in r.stderr
    from kitcut.cli.options import LENGTH

    # converted at the edge and rounded there: 23in was 584.1999999999999 mm in marker.json
    assert [LENGTH.convert(v, None, None) for v in ("23in", "0.1in", "1.7cm")] == [584.2, 2.54, 17.0]


def test_a_tilt_under_a_free_nap_is_said_to_change_nothing(tmp_path):
    r = nest(str(SAMPLES / "tee.dxf"), "--sizes", "M", "--nap", "free", "--tilt", "5", "--time", "1",
             "--workers", "1", "-o", str(tmp_path / "o"))
    assert r.returncode == 0 and "nest: note: --tilt 5 changes nothing under --nap free" in r.stderr


@pytest.mark.parametrize("option", [("--width", "60in"), ("--spacing", "1cm"), ("--margin", "2mm")])
def test_a_length_unit_for_an_instance_without_one_is_refused(tmp_path, option):
    """A benchmark instance's lengths are in its own unit: ``--width 60in`` nested shirts.json
    (40 units wide) on a strip 1524 units wide, exit status 0; a plain number still goes."""
    r = nest(str(SAMPLES / "shirts.json"), *option, "--time", "1", "-o", str(tmp_path / "x"))
    assert r.returncode == 2 and not (tmp_path / "x").exists()
    assert f"'{option[0]}': a length with a unit" in r.stderr and "shirts.json has no length unit" in r.stderr
    plain = {"--width": "45", "--spacing": "0.5", "--margin": "1"}[option[0]]
    _, marker = run_json(tmp_path, str(SAMPLES / "shirts.json"), option[0], plain, "--time", "1")
    assert marker["instance"]["rules"][option[0].strip("-")] == float(plain) and check_marker(marker) == []


def test_left_right_pairs_are_mirrored_unless_face_to_face(tmp_path):
    _, marker = run_json(tmp_path, str(SAMPLES / "tee.dxf"), "--time", "1")
    pieces = marker["instance"]["pieces"]
    sleeves = [p for p in marker["solution"]["placements"] if pieces[p["piece"]]["name"] == "Sleeve"]
    assert len(sleeves) == 6 and sum(p["mirrored"] for p in sleeves) == 3
    _, marker = run_json(tmp_path, str(SAMPLES / "tee.dxf"), "--time", "1", "--no-pairs")
    # the file says `Quantity: 1,1`: an explicit flip is kept even face to face, and said
    assert sum(p["mirrored"] for p in marker["solution"]["placements"]) == 3
    r = nest(str(SAMPLES / "tee.dxf"), "--time", "1", "--workers", "1", "--no-pairs",
             "-o", str(tmp_path / "np"))
    assert ("nest: note: --no-pairs mirrors no pair of its own, but 1 piece(s) whose file says how many "
            "copies are mirrored (Quantity: a,b) keep them: Sleeve") in r.stderr


def test_fold_pieces_are_nested_whole_and_halves_are_refused(tmp_path):
    """Fold pieces are nested whole. Halves kept on the fold (--keep-folded) are refused for
    nesting, each named: on a folded spread a half must lie on the fabric's fold, which the
    nesting does not place, and anywhere else it was cut as two mirrored halves; ``nest info
    --keep-folded`` still lists the halves."""
    _, whole = run_json(tmp_path, str(SAMPLES / "tee.dxf"), "--time", "1")
    area = {p["name"] + p["size"]: Piece("x", p["outline"]).area for p in whole["instance"]["pieces"]}
    assert area["FrontM"] == pytest.approx(335268, rel=1e-5)  # the whole front, as `nest info` gives it
    r = nest(str(SAMPLES / "tee.dxf"), "--time", "1", "--keep-folded", "-o", str(tmp_path / "half"))
    assert r.returncode == 2 and "piece(s) kept as halves on the fold (" in r.stderr
    assert "Nest the whole pieces (without --keep-folded or keep_folded)" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "half").exists()
    info = nest("info", str(SAMPLES / "tee.dxf"), "--keep-folded")
    assert info.returncode == 0


def test_fixed_seed_and_iterations_are_reproducible(tmp_path):
    args = (str(SAMPLES / "shirts.json"), "--time", "60", "--iterations", "30")
    _, a = run_json(tmp_path / "a", *args)
    _, b = run_json(tmp_path / "b", *args)
    assert a["solution"]["placements"] == b["solution"]["placements"]


def test_too_wide_piece_is_a_clear_error(tmp_path):
    r = nest(str(SAMPLES / "tee.dxf"), "--width", "300", "--time", "1", "-o", str(tmp_path / "o"))
    assert r.returncode == 2
    assert "does not fit the usable width" in r.stderr and "piece '" in r.stderr
    assert r.stderr.startswith(f"nest: error: {SAMPLES / 'tee.dxf'}: piece '")  # the file too
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "o" / "marker.json").exists()
    assert "read in" not in r.stderr  # a plausible piece on narrow fabric: no word of units


def test_piece_far_wider_than_the_fabric_names_the_units_read(tmp_path):
    """A drawing in mm under a template's ``$INSUNITS`` of cm is ten times too large: a piece
    wider than the fabric by far makes the error say which units the file was read in, and how
    to give others; with --units mm it nests."""
    import ezdxf

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 5  # cm
    doc.modelspace().add_lwpolyline([(0, 0), (300, 0), (300, 500), (0, 500)], close=True)
    doc.saveas(tmp_path / "p.dxf")
    r = nest(str(tmp_path / "p.dxf"), "--width", "1500", "--time", "1", "-o", str(tmp_path / "o"))
    assert r.returncode == 2
    assert r.stderr.strip().endswith("(needs 5000, has 1500); the file was read in cm ($INSUNITS): if it is "
                                     "drawn in other units, give --units")
    r = nest(str(tmp_path / "p.dxf"), "--width", "1500", "--time", "1", "--units", "mm",
             "-o", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr


def test_resume_never_gets_worse(tmp_path):
    _, first = run_json(tmp_path / "a", str(SAMPLES / "shirts.json"), "--time", "1")
    marker = tmp_path / "a" / "out" / "marker.json"
    _, again = run_json(tmp_path / "b", str(SAMPLES / "shirts.json"), "--time", "1", "--resume", str(marker))
    assert again["solution"]["length"] <= first["solution"]["length"] + 1e-9
    assert check_marker(again) == []


def _outside(marker: dict, width: float, margin: float) -> int:
    """Placements of ``marker`` (a marker.json object) that leave ``margin..width - margin``."""
    ys = [np.asarray(pl["outline"])[:, 1] for pl in marker["solution"]["placements"]]
    return sum(bool(y.min() < margin - 1e-6 or y.max() > width - margin + 1e-6) for y in ys)


def test_resume_after_a_change_of_width_or_margin_is_a_valid_marker(tmp_path):
    """``nest --resume`` of a marker nested on wider fabric (``--width 1200`` or ``--margin 10``
    after 1500 mm) ended in "marker fails validation ... outside the usable width", exit 3 and
    nothing written: the placements outside the new width were taken as they were. They are now
    moved into it, the run ends in a valid marker, and a note says how many were moved."""
    tee = str(SAMPLES / "tee.dxf")
    _, first = run_json(tmp_path / "a", tee, "--time", "60", "--iterations", "5")
    marker = tmp_path / "a" / "out" / "marker.json"
    assert _outside(first, 1200, 0) > 0 and _outside(first, 1500, 10) > 0
    short = ("--time", "60", "--iterations", "5")
    result, again = run_json(tmp_path / "b", tee, *short, "--resume", str(marker), "--width", "1200")
    assert check_marker(again, nap="two-way") == []
    assert (again["solution"]["width"], len(again["solution"]["placements"])) == (1200, 15)
    assert {k: v for k, v in result["resume"].items() if k != "warm_start"} == {
        "kept": 15 - _outside(first, 1200, 0), "moved": _outside(first, 1200, 0), "placed": 0, "dropped": 0}
    out = tmp_path / "c"
    r = nest(tee, *short, "--seed", "1", "--workers", "1", "--resume", str(marker), "--margin", "10",
             "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert check_marker(json.loads((out / "marker.json").read_text()), nap="two-way") == []
    moved = _outside(first, 1500, 10)
    notes = [line for line in r.stderr.splitlines() if line.startswith("nest: note: --resume")]
    assert len(notes) == 1 and notes[0].startswith(
        f"nest: note: --resume {marker}: 15 placement(s) taken, {moved} of them moved into the usable width "
        "or turned to an allowed orientation"), r.stderr


def test_resume_from_a_marker_of_another_pattern_is_a_clear_error(tmp_path):
    """A marker of another pattern given to ``--resume`` was silently ignored (the search started
    afresh); a damaged one (a NaN coordinate) ended in exit 3. Both are now one line naming the
    marker file and what is wrong, exit 2, and nothing is written."""
    _, _ = run_json(tmp_path / "a", str(SAMPLES / "shirts.json"), "--time", "60", "--iterations", "2")
    marker = tmp_path / "a" / "out" / "marker.json"
    r = nest(str(SAMPLES / "tee.dxf"), "--time", "1", "--workers", "1", "--resume", str(marker),
             "-o", str(tmp_path / "b"))
    assert r.returncode == 2
    n = len(json.loads(marker.read_text())["solution"]["placements"])
    assert r.stderr.startswith(f"nest: error: {marker}: --resume: none of the marker's {n} placements is "
                               "of a piece of this job (the same name, size and outline): a marker of "
                               "another pattern? Its pieces: ")
    assert len(r.stderr.splitlines()) == 1 and not (tmp_path / "b").exists()
    data = json.loads(marker.read_text())
    data["solution"]["placements"][2]["translation"][1] = float("nan")
    marker.write_text(json.dumps(data))
    r = nest(str(SAMPLES / "shirts.json"), "--time", "1", "--workers", "1", "--resume", str(marker),
             "-o", str(tmp_path / "b"))
    assert (r.returncode, r.stderr) == (2, f"nest: error: {marker}: solution.placements[2].translation[1]: "
                                           "not a finite number (nan)\n")
    assert not (tmp_path / "b").exists()


def test_resume_from_a_marker_in_another_unit_is_a_clear_error(tmp_path):
    """A marker.json whose "units" were edited to "in" was resumed as if in mm."""
    _, _ = run_json(tmp_path / "a", str(SAMPLES / "tee.dxf"), "--sizes", "M", "--time", "1")
    marker = tmp_path / "a" / "out" / "marker.json"
    data = json.loads(marker.read_text())
    data["units"] = "in"
    marker.write_text(json.dumps(data))
    r = nest(str(SAMPLES / "tee.dxf"), "--sizes", "M", "--time", "1", "--workers", "1",
             "--resume", str(marker), "-o", str(tmp_path / "b"))
    want = f"nest: error: {marker}: --resume: the marker is in in, this job in mm: its placements would be "
    assert (r.returncode, r.stderr) == (2, want + "read in the wrong unit\n")
    assert not (tmp_path / "b").exists()


def _in_process(argv: list[str]) -> int:
    """``nest ARGV`` in this process (for errors found before anything is nested): its exit status."""
    from kitcut.cli.main import main

    with pytest.raises(SystemExit) as exc:
        main(argv)
        raise SystemExit(0)
    return exc.value.code or 0


@pytest.mark.parametrize("command", ["run", "kit", "batch"])
def test_a_negative_seed_is_an_option_error(tmp_path, capsys, orders, command):
    """``--seed -1`` ended in "internal error: ValueError: expected non-negative integer" (exit 1)
    in ``nest``, ``nest kit`` and every order of ``nest batch``: numpy seeds are non-negative.
    Now the option says so before anything runs (exit 2, nothing written)."""
    for bad in orders.glob("B-*.toml"):
        bad.unlink()
    target = {"run": SAMPLES / "tee.dxf", "kit": orders / "A-1001.toml", "batch": orders}[command]
    argv = [command, str(target), "--seed", "-1", "-o", str(tmp_path / "out"), "--time", "1"]
    if command != "run":  # the kit's patterns read by the fake reader, nested by kitcut
        argv += ["--formats", "none", "--reader", FAKE_READER]
    assert _in_process(argv) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "Error: Invalid value for '--seed': -1 is not in the range x>=0."
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["run", "kit", "batch"])
@pytest.mark.parametrize(("option", "value", "error"), [
    ("--time", "nan", "'-t' / '--time': 'nan' is not a number in the range 0.0<x<=86400.0."),
    ("--time", "inf", "'-t' / '--time': inf is not in the range 0.0<x<=86400.0."),
    ("--time", "0", "'-t' / '--time': 0.0 is not in the range 0.0<x<=86400.0."),
    ("--workers", "0", "'--workers': 0 is not in the range 1<=x<=1024."),
    ("--workers", "-3", "'--workers': -3 is not in the range 1<=x<=1024."),
])
def test_time_and_workers_out_of_range_are_option_errors(tmp_path, capsys, orders, command, option, value,
                                                         error):
    """``--time nan`` was taken (a search of 0 s), ``--time inf`` searched until killed, and
    ``--workers 0`` or ``-3`` were taken by ``nest`` and ``nest kit`` (``nest batch`` refused 0
    only later, as an input error). Each is now an option error naming the option and its range,
    exit 2, before anything is read or written."""
    target = {"run": SAMPLES / "tee.dxf", "kit": orders / "A-1001.toml", "batch": orders}[command]
    argv = [command, str(target), option, value, "-o", str(tmp_path / "out")]
    if command != "run":
        argv += ["--formats", "none", "--reader", FAKE_READER, "--nester", FAKE_NESTER]
    assert _in_process(argv) == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"Error: Invalid value for {error}"
    assert not (tmp_path / "out").exists()


_TOO_WIDE = "mm is wider than any fabric roll or cutting table: at most 10000 mm (10 m)"
_TOO_FAR = "mm between pieces: at most 100 mm (cutting needs a few; is the unit right?)"


@pytest.mark.parametrize(("args", "error"), [
    (("--width", "1e9"), f"'-w' / '--width': 1e+09 {_TOO_WIDE}"),
    (("--width", "10.5m"), f"'-w' / '--width': 10500 {_TOO_WIDE}"),
    (("--width", "1e400"), "'-w' / '--width': '1e400' is not a finite length"),
    (("--margin", "1e999"), "'--margin': '1e999' is not a finite length"),
    (("--tilt", "nan"), "'--tilt': 'nan' is not a number in the range 0.0<=x<=45.0."),
    (("--tilt", "1e9"), "'--tilt': 1000000000.0 is not in the range 0.0<=x<=45.0."),
    (("--spacing", "1e9"), f"'--spacing': 1e+09 {_TOO_FAR}"),
    (("--spacing", "15cm"), f"'--spacing': 150 {_TOO_FAR}"),
    # probe 24: a negative gap was said against the pattern file, naming neither option nor value
    (("--margin", "-5"), "'--margin': '-5': must be 0 or more"),
    (("--spacing", "-1mm"), "'--spacing': '-1mm': must be 0 or more"),
    (("--width", "-1500"), "'-w' / '--width': '-1500': must be more than 0"),
    (("--width", "0in"), "'-w' / '--width': '0in': must be more than 0"),
])
def test_a_width_or_tilt_no_fabric_has_is_an_option_error(tmp_path, capsys, args, error):
    """``--width 1e9`` nested the tee on a kilometre-wide fabric (efficiency 0.00 %), a length
    beyond a float (``1e400``) became infinity, and ``--tilt nan`` or ``1e9`` were taken. A width
    in mm is now at most 10 m, the spacing at most 100 mm (``1e9`` nested pieces a thousand
    kilometres apart), every length finite and the tilt 0 to 45 degrees (as in orders):
    an option error naming the option and the bound, exit 2, nothing written."""
    assert _in_process(["run", str(SAMPLES / "tee.dxf"), *args, "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"Error: Invalid value for {error}"
    assert not (tmp_path / "out").exists()


def test_a_benchmark_instance_takes_any_width_in_its_own_unit(tmp_path):
    """The 10 m bound is for patterns in mm: a benchmark instance's width is in its own unit."""
    result, marker = run_json(tmp_path, str(SAMPLES / "swim.json"), "--width", "12000", "--time", "60",
                              "--iterations", "1")
    assert (result["width"], result["units"]) == (12000, "unit")
    assert check_marker(marker) == []


def test_free_nap_keeps_mirrored_copies_mirrored():
    sleeve = Piece("Sleeve", [(0, 0), (100, 0), (80, 60), (0, 40)], quantity=2)
    inst, sources = build_instance(Pattern((sleeve,)), Rules(width=500, nap="free"))
    assert [s.mirrored for s in sources] == [False, True]
    assert all(it.free_rotation for it in inst.items)
    assert inst.items[1].orientations == ((0.0, True),)
    assert np.allclose(inst.items[0].shape, sleeve.outline)


def test_no_file_nests_the_bundled_sample(tmp_path):
    r = subprocess.run([sys.executable, "-m", "kitcut", "--time", "1", "--json", "-o", str(tmp_path)],
                       capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["file"].endswith("tee.dxf")


def test_progress_line_shows_clock_phase_length_and_efficiency():
    from kitcut.cli.run import _Display
    from kitcut.nesting import Progress

    d = _Display(False, "mm", 30)
    assert "reading and preparing pieces" in d.__rich__()
    d(Progress(1.0, 2500.0, 0.81, "explore", True))
    d(Progress(1.5, 2600.0, 0.78, "explore", True))  # not better: ignored
    line = d.__rich__()
    assert "/ 30 s" in line and "explore" in line and "2,500.0 mm" in line and "81.00 %" in line


def test_the_import_remarks_are_counted_in_words(tmp_path):
    # the tee's one remark: the match file found beside it
    r = nest(str(SAMPLES / "tee.dxf"), "--sizes", "M", "--time", "0.5", "--workers", "1", "--seed", "1",
             "-o", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    assert "nest: note: the import made 1 remark; see `nest info" in r.stderr


def test_the_info_command_named_shows_the_job_s_remarks(tmp_path):
    """The note named ``nest info FILE`` without the job's ``--sizes`` and ``--quantity``: the
    command it suggested showed another count of remarks, without the quantity ones."""
    job = ["--sizes", "M,L", "--quantity", "*=2", "--quantity", "Sleeve=2,2", "--tolerance", "0.2",
           "--repair"]
    r = nest(str(SAMPLES / "tee.dxf"), *job, "--time", "0.5", "--workers", "1", "--seed", "1",
             "-o", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    note = [ln for ln in r.stderr.splitlines() if ln.startswith("nest: note: the import made")]
    assert note == [f"nest: note: the import made 3 remarks; see `nest info {SAMPLES / 'tee.dxf'} "
                    "--tolerance 0.2 --repair --sizes M,L --quantity '*=2' --quantity Sleeve=2,2`"]
    info = shlex.split(note[0].split("`")[1])[2:]
    r = nest("info", *info)
    assert r.returncode == 0, r.stderr
    assert "3 import remark(s)" in r.stdout and "quantity set to 2,2 by --quantity Sleeve=2,2" in r.stdout


def _on_a_terminal(args: list[str]):
    """``nest ARGS`` with its standard error on a pseudo-terminal (its live progress shown, as a
    pattern maker sees it), in a process group of its own; returns (process, terminal fd)."""
    import pty

    env = {k: v for k, v in os.environ.items() if k != "CI"}
    main, side = pty.openpty()
    p = subprocess.Popen([sys.executable, "-m", "kitcut", *args], stdout=subprocess.PIPE, stderr=side,
                         text=True, start_new_session=True, env=env)
    os.close(side)
    return p, main


def _wait_for(fd: int, word: bytes, timeout: float = 90.0) -> bytes:
    """Read the terminal until ``word`` shows; what it showed."""
    import select
    import time

    seen, end = b"", time.monotonic() + timeout
    while word not in seen:
        assert time.monotonic() < end, seen[-500:]
        if select.select([fd], [], [], 1.0)[0]:
            try:
                seen += os.read(fd, 4096)
            except OSError:  # the terminal closed: the process ended
                raise AssertionError(seen[-500:]) from None
    return seen


@pytest.mark.parametrize(("workers", "how"), [("1", "SIGINT"), ("2", "SIGINT"), ("2", "SIGTERM")])
def test_ctrl_c_stops_the_search_and_writes_the_best_marker(tmp_path, workers, how):
    """A pattern maker who stops a long search with Ctrl-C gets the best marker found so far,
    written and valid (one search, or two worker processes that get the terminal's signal too).
    SIGTERM (``timeout``, a service stopped), sent to the process alone, does the same: it lost
    the search, without a word."""
    import signal

    args = [str(SAMPLES / "shirt.dxf"), "--time", "120", "--workers", workers, "--seed", "1"]
    p, fd = _on_a_terminal([*args, "-o", str(tmp_path / "out")])
    _wait_for(fd, b"efficiency")  # the live line shows a marker found
    if how == "SIGINT":
        os.killpg(p.pid, signal.SIGINT)  # as a terminal does: to the whole process group
    else:
        os.kill(p.pid, signal.SIGTERM)
    said = _wait_for(fd, b"the best marker found is written")
    out, _ = p.communicate(timeout=100)
    os.close(fd)
    by = b"Ctrl-C" if how == "SIGINT" else how.encode()
    assert p.returncode == 0 and b"stopped by " + by + b" after" in said
    assert "marker.json" in out
    marker = json.loads((tmp_path / "out" / "marker.json").read_text())
    assert check_marker(marker, nap="two-way") == []
    assert len(marker["solution"]["placements"]) == read_pattern(SAMPLES / "shirt.dxf").copies


def test_a_second_ctrl_c_aborts():
    """The first Ctrl-C only asks the search to stop; a second one (a stop that takes too long,
    e.g. while the kernels compile) aborts as Ctrl-C always did; the handler is put back after."""
    import signal

    from kitcut.cli.stopping import SearchStop

    before = signal.getsignal(signal.SIGINT)
    with SearchStop() as stop:
        assert not stop()
        os.kill(os.getpid(), signal.SIGINT)
        assert stop()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before


def test_rerun_removes_the_cutter_files_of_the_earlier_marker(tmp_path):
    """Before, `nest ... -o DIR` without --export after a run with --export rewrote marker.json, svg
    and html but left marker.plt, dxf, pdf and the reports of the earlier 15-piece marker beside the
    new 5-piece one, without a word. Now the export files of the stem that this run does not write
    are removed, and said; other files (and a folder with an export's name) stay."""
    out = tmp_path / "twice"
    base = (str(SAMPLES / "tee.dxf"), "-o", str(out), "--time", "1", "--workers", "1", "--iterations", "20")
    assert nest(*base, "--export", "--seed", "1").returncode == 0
    (out / "notes.txt").write_text("mine")
    (out / "other.plt").write_text("mine")
    (out / "marker.nc").mkdir()
    r = nest(*base, "--sizes", "S", "--seed", "2")
    assert r.returncode == 0, r.stderr
    gone = ["marker.plt", "marker.dxf", "marker.pdf", "marker.report.json", "marker.report.pdf"]
    line = ("removed 5 files of an earlier export of this marker that no longer match it: "
            + ", ".join(str(out / n) for n in gone))
    assert line in r.stdout.splitlines()
    assert sorted(p.name for p in out.iterdir()) == ["marker.html", "marker.json", "marker.nc", "marker.svg",
                                                     "notes.txt", "other.plt"]
    result = json.loads(nest(*base, "--sizes", "S", "--seed", "2", "--json").stdout)
    assert result["removed"] == []


def test_export_on_fabric_wider_than_the_default_cutter_writes_the_rest(tmp_path):
    """`nest PATTERN --width 2000 --export`: the default HP-GL cutter takes 1800 mm media. The
    export refused the whole set, and the run's marker (the search the pattern maker waited for)
    was lost with it: nothing was written. The cutter file is left out with a note naming the
    device, an old one of an earlier marker removed; every other file is written."""
    out = tmp_path / "wide"
    base = (str(SAMPLES / "tee.dxf"), "-o", str(out), "--time", "1", "--workers", "1", "--iterations", "20",
            "--seed", "1", "--quantity", "*=6", "--export")
    assert nest(*base, "--width", "1500").returncode == 0
    assert (out / "marker.plt").is_file()
    r = nest(*base, "--width", "2000", "--json")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["width"] == 2000.0
    assert sorted(p.name for p in out.iterdir()) == ["marker.dxf", "marker.html", "marker.json", "marker.pdf",
                                                     "marker.report.json", "marker.report.pdf", "marker.svg"]
    assert result["removed"] == [str(out / "marker.plt")]
    assert list(result["not_written"]) == ["marker.plt"]
    assert "device 'hpgl-cutter' takes media 1800 mm wide" in result["not_written"]["marker.plt"]
    r = nest(*base, "--width", "2000")
    assert r.returncode == 0 and "nest: note: marker.plt not written: device 'hpgl-cutter'" in r.stderr


def test_a_transliterated_name_is_one_note_line(tmp_path):
    """A PDF's transliterated names reached the terminal as Python's warning: the source file and
    line, ``UserWarning: Note: ...``, and the source line under it. One ``nest: note:`` line now."""
    import ezdxf

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    msp.add_text("Piece Name: חזית", dxfattribs={"insert": (50, 100)})
    doc.saveas(tmp_path / "he.dxf")
    r = nest(str(tmp_path / "he.dxf"), "--export", "--time", "1", "--workers", "1", "--seed", "1",
             "-o", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    notes = [ln for ln in r.stderr.splitlines() if "transliterated in a PDF" in ln]
    said = "nest: note: kitcut's PDFs do not draw right-to-left text"
    assert notes and all(ln.startswith(said) for ln in notes), r.stderr
    assert "UserWarning" not in r.stderr and ".py:" not in r.stderr


def test_benchmark_instance_items_are_never_mirrored(tmp_path):
    """The left/right pair rule mirrored every second copy of an asymmetric item with an even
    demand in a jagua-rs instance (swim, shirts, trousers, gardeyn...): jagua-rs and sparrow only
    turn items, so the marker was no solution of the instance. Items are now placed as drawn,
    also after ``--quantity NAME=N``; ``--quantity NAME=1,1`` still asks for a mirrored copy."""
    ell = [[0, 0], [40, 0], [40, 10], [10, 10], [10, 30], [0, 30], [0, 0]]
    inst = {"name": "ells", "strip_height": 100.0, "items": [
        {"id": 0, "demand": 4, "allowed_orientations": [0.0, 180.0],
         "shape": {"type": "simple_polygon", "data": ell}}]}
    path = tmp_path / "ells.json"
    path.write_text(json.dumps(inst))
    for opts, mirrored in (((), 0), (("--quantity", "item 0=6"), 0), (("--quantity", "item 0=1,1"), 1)):
        result, marker = run_json(tmp_path, str(path), "--time", "1", *opts)
        placements = marker["solution"]["placements"]
        assert sum(p["mirrored"] for p in placements) == mirrored, opts
        assert all(p["rotation_deg"] % 360 in (0.0, 180.0) for p in placements)
        assert check_marker(marker) == []


def test_a_unit_guessed_from_the_piece_sizes_is_said_on_its_own_line(tmp_path):
    """Before, a unit guessed from the piece sizes (no units declared) was only counted in
    "the import made N remarks"; it is one line now (the other remarks stay counted). The
    efficiency is shown as every file shows it (one decimal, report.json `efficiency_pct`), not
    `13.04 %`, and one piece is `1 piece`."""
    import ezdxf

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 0  # unitless, and no Units text
    doc.modelspace().add_lwpolyline([(0, 0), (457.1, 0), (457.1, 200), (0, 200)], close=True)
    doc.saveas(tmp_path / "nounits.dxf")
    r = nest(str(tmp_path / "nounits.dxf"), "--time", "1", "--workers", "1", "--seed", "1",
             "-o", str(tmp_path / "out"), "--export")
    assert r.returncode == 0, r.stderr
    notes = r.stderr.splitlines()
    assert notes[0] == ("nest: note: no units declared: mm guessed from the piece sizes, which fit mm and "
                        "cm: the largest piece is 45.7 cm long in mm, 4.57 m in cm; give --units cm if the "
                        "pattern is in centimetres")
    assert notes[1].startswith("nest: note: the import made ") and len(notes) == 2
    pct = json.loads((tmp_path / "out" / "marker.report.json").read_text())["efficiency_pct"]
    assert f"efficiency {pct:.1f} %   pieces 1" in r.stdout and "nounits.dxf: 1 piece on 1500 mm" in r.stdout


def test_remarks_on_what_the_job_cuts_are_said_on_their_own_lines(tmp_path):
    """A size asked for of a pattern that names none (its size texts in a key kitcut does not
    read), and a quantity assumed for want of a readable one, change what is cut: the main job
    said only "the import made N remarks", and a one-size job cut every size drawn, exit 0.
    Each is a warning line now; a quantity given by an option is not warned about."""
    import ezdxf

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for x, k, size in ((0, 1.0, "S"), (600, 1.1, "M")):  # two sizes under a key no CAD here writes
        msp.add_lwpolyline([(x, 0), (x + 300 * k, 0), (x + 300 * k, 500 * k), (x, 500 * k)], close=True)
        for i, text in enumerate(("Piece Name: Front", f"Measure: {size}", "Quantity: one or two")):
            msp.add_text(text, dxfattribs={"insert": (x + 20, 100 - 20 * i), "height": 8})
    doc.saveas(tmp_path / "graded.dxf")
    args = (str(tmp_path / "graded.dxf"), "--time", "1", "--workers", "1", "--seed", "1")
    r = nest(*args, "--sizes", "M", "-o", str(tmp_path / "a"))
    assert r.returncode == 0, r.stderr
    warned = [line for line in r.stderr.splitlines() if line.startswith("nest: warning: ")]
    assert sorted(warned) == [
        "nest: warning: piece 'Front#2': unreadable Quantity text 'one or two': 1 assumed",
        "nest: warning: piece 'Front': unreadable Quantity text 'one or two': 1 assumed",
        "nest: warning: size(s) M asked for, but the pattern names no sizes: each garment is cut from the "
        "one size drawn, and 1 name(s) are drawn as different pieces (Front): if they are sizes, their size "
        "texts were not read (nest info lists them)"]
    r = nest(*args, "--quantity", "*=1", "-o", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    assert "nest: warning:" not in r.stderr and "nest: note: the import made" in r.stderr


def test_an_unreadable_quantity_is_said_for_the_sizes_cut(tmp_path):
    """`Quantity: 2.5` on the tee's sleeve in every size, a job of size M: the warning said
    `piece 'Sleeve': ... (3 times)`, counting sizes S and L, which the job does not cut. It names
    the size now, and the other sizes' remarks are folded into the line on sizes not cut."""
    tee = tmp_path / "tee.dxf"
    tee.write_bytes((SAMPLES / "tee.dxf").read_bytes().replace(b"Quantity: 1,1\n", b"Quantity: 2.5\n"))
    assert (SAMPLES / "tee.dxf").read_bytes().count(b"Quantity: 1,1\n") == 3  # one per size
    r = nest(str(tee), "--sizes", "M", "--time", "1", "--workers", "1", "--seed", "1",
             "-o", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
    warned = [line for line in r.stderr.splitlines() if "unreadable Quantity" in line]
    assert warned == ["nest: warning: piece 'Sleeve (M)': unreadable Quantity text '2.5': 1 assumed"]


def test_json_output_keeps_the_lines_on_what_is_cut(tmp_path):
    """`nest --json` said nothing on stderr and carried only a count of remarks: a script driving
    it never learnt that a quantity was assumed for `2.5` (probe 39). The lines stay on stderr,
    and the JSON object holds them, each without its `nest: `, in `warnings`."""
    tee = tmp_path / "tee.dxf"
    tee.write_bytes((SAMPLES / "tee.dxf").read_bytes().replace(b"Quantity: 1,1\n", b"Quantity: 2.5\n"))
    args = (str(tee), "--sizes", "M", "--time", "1", "--workers", "1", "--seed", "1")
    plain = nest(*args, "-o", str(tmp_path / "a"))
    r = nest(*args, "-o", str(tmp_path / "b"), "--json")
    assert plain.returncode == 0 and r.returncode == 0, r.stderr
    said = [line for line in plain.stderr.splitlines() if line.startswith("nest: ")]
    assert "nest: warning: piece 'Sleeve (M)': unreadable Quantity text '2.5': 1 assumed" in said
    assert said[-1].startswith("nest: note: the import made ")
    result = json.loads(r.stdout)
    assert result["warnings"] == [line.removeprefix("nest: ") for line in said]
    assert [line for line in r.stderr.splitlines() if line.startswith("nest: ")] == said
