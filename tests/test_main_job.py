"""The main job end to end: ``nest PATTERN`` writes a marker that an independent checker accepts
under every garment rule, and the CLI reports what it wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from checker import check_marker
from conftest import SAMPLES

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


def test_left_right_pairs_are_mirrored_unless_face_to_face(tmp_path):
    _, marker = run_json(tmp_path, str(SAMPLES / "tee.dxf"), "--time", "1")
    pieces = marker["instance"]["pieces"]
    sleeves = [p for p in marker["solution"]["placements"] if pieces[p["piece"]]["name"] == "Sleeve"]
    assert len(sleeves) == 6 and sum(p["mirrored"] for p in sleeves) == 3
    _, marker = run_json(tmp_path, str(SAMPLES / "tee.dxf"), "--time", "1", "--no-pairs")
    # the file says `Quantity: 1,1`: an explicit flip is kept even face to face
    assert sum(p["mirrored"] for p in marker["solution"]["placements"]) == 3


def test_fold_pieces_are_nested_whole_unless_kept_folded(tmp_path):
    _, whole = run_json(tmp_path, str(SAMPLES / "tee.dxf"), "--time", "1")
    _, half = run_json(tmp_path, str(SAMPLES / "tee.dxf"), "--time", "1", "--keep-folded")
    area = {p["name"] + p["size"]: Piece("x", p["outline"]).area for p in whole["instance"]["pieces"]}
    area_half = {p["name"] + p["size"]: Piece("x", p["outline"]).area for p in half["instance"]["pieces"]}
    assert area["FrontM"] == pytest.approx(2 * area_half["FrontM"], rel=1e-6)
    assert area["SleeveM"] == pytest.approx(area_half["SleeveM"], rel=1e-9)


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
    assert "note: the import made 1 remark; see `nest info" in r.stderr


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


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_stops_the_search_and_writes_the_best_marker(tmp_path, workers):
    """A pattern maker who stops a long search with Ctrl-C gets the best marker found so far,
    written and valid (one search, or two worker processes that get the terminal's signal too)."""
    import signal

    args = [str(SAMPLES / "shirt.dxf"), "--time", "120", "--workers", workers, "--seed", "1"]
    p, fd = _on_a_terminal([*args, "-o", str(tmp_path / "out")])
    _wait_for(fd, b"efficiency")  # the live line shows a marker found
    os.killpg(p.pid, signal.SIGINT)  # as a terminal does: to the whole process group
    said = _wait_for(fd, b"the best marker found is written")
    out, _ = p.communicate(timeout=100)
    os.close(fd)
    assert p.returncode == 0 and b"stopped by Ctrl-C after" in said
    assert "marker.json" in out
    marker = json.loads((tmp_path / "out" / "marker.json").read_text())
    assert check_marker(marker, nap="two-way") == []
    assert len(marker["solution"]["placements"]) == read_pattern(SAMPLES / "shirt.dxf").copies


def test_a_second_ctrl_c_aborts():
    """The first Ctrl-C only asks the search to stop; a second one (a stop that takes too long,
    e.g. while the kernels compile) aborts as Ctrl-C always did; the handler is put back after."""
    import signal

    from kitcut.cli.run import _CtrlC

    before = signal.getsignal(signal.SIGINT)
    with _CtrlC() as stop:
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
