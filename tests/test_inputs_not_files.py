"""Inputs that are not files: a named pipe, a device. Opening a named pipe for reading waits for a
writer for ever, so `nest info` of one hung, and an order folder holding one (`mkfifo`, a left-over
of a sync tool) hung the night's batch at that order; `/dev/zero` never ends. Each is now refused
at once, naming the file and what it is (exit status 2); a batch fails that order and goes on.

Every case runs in-process under an alarm (:func:`fuzz.runner.run_cli`): on code that waits,
the run is cut off and the test fails instead of hanging.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fuzz.runner import run_cli
from marker_factory import valid_small_marker

from kitcut.fileio import NotAFile, read_input
from kitcut.formats.marker_json import write_marker

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _refused(argv, *words):
    out = run_cli([str(a) for a in argv], timeout=20)
    assert not out.hang, f"nest {' '.join(map(str, argv))} waited on a named pipe"
    assert not out.crash, out.crash
    assert out.code == 2, (out.code, out.stderr)
    for word in words:
        assert word in out.stderr, out.stderr
    return out


def test_read_input_refuses_what_is_not_a_file(tmp_path):
    pipe = _fifo(tmp_path / "p.dxf")
    with pytest.raises(NotAFile, match="not a file but a named pipe"):
        read_input(pipe)
    with pytest.raises(NotAFile, match="a character device"):
        read_input("/dev/null")
    with pytest.raises(NotAFile, match="a folder"):
        read_input(tmp_path)
    (tmp_path / "a.txt").write_bytes(b"abcdef")
    assert read_input(tmp_path / "a.txt") == b"abcdef"
    assert read_input(tmp_path / "a.txt", 2) == b"ab"
    with pytest.raises(FileNotFoundError):
        read_input(tmp_path / "none.txt")


def test_a_pattern_that_is_a_named_pipe_or_a_device(tmp_path):
    pipe = _fifo(tmp_path / "tee.dxf")
    _refused(["info", pipe], "tee.dxf", "named pipe")
    _refused(["run", pipe, "-o", tmp_path / "o", "--time", "1", "-q"], "tee.dxf", "named pipe")
    _refused(["info", _fifo(tmp_path / "shirts.json")], "shirts.json", "named pipe")
    _refused(["info", "/dev/zero"], "/dev/zero", "character device")


@pytest.mark.parametrize("option", [["--rules"], ["--repeat", "50,50", "--match"], ["--resume"]])
def test_a_side_file_that_is_a_named_pipe(tmp_path, option):
    tee = shutil.copy(SAMPLES / "tee.dxf", tmp_path / "tee.dxf")
    pipe = _fifo(tmp_path / "side")
    _refused(["run", tee, *option, pipe, "--sizes", "M", "--time", "1", "--workers", "1", "-q",
              "-o", tmp_path / "o"], str(pipe), "named pipe")
    assert not (tmp_path / "o" / "marker.json").exists()


def test_export_of_a_named_pipe_and_a_device_file_that_is_one(tmp_path):
    _refused(["export", _fifo(tmp_path / "marker.json"), "-o", tmp_path / "e"], "marker.json", "named pipe")
    marker = tmp_path / "m" / "marker.json"
    write_marker(valid_small_marker(), marker)
    device_file = _fifo(tmp_path / "dev.toml")
    _refused(["export", marker, "-o", tmp_path / "e", "-f", "plt", "--device-file", device_file],
             "dev.toml", "named pipe")
    assert not (tmp_path / "e" / "marker.plt").exists()


ORDER = """[order]
id = "{id}"
customer = "x"
[[garments]]
pattern = "{pattern}"
sizes = {{ M = 1 }}
[[fabrics]]
name = "jersey"
width_mm = 1500
"""


def test_an_order_or_its_pattern_that_is_a_named_pipe(tmp_path):
    orders = tmp_path / "orders"
    orders.mkdir()
    _refused(["kit", _fifo(orders / "a.toml"), "-o", tmp_path / "k1"], "a.toml", "named pipe")
    (orders / "b.toml").write_text(ORDER.format(id="B-2", pattern="pipe.dxf"), encoding="utf-8")
    _fifo(orders / "pipe.dxf")
    _refused(["kit", orders / "b.toml", "-o", tmp_path / "k1"], "pipe.dxf", "is a named pipe")
    # the night's batch: both orders fail, each said, and the batch ends
    out = _refused(["batch", orders, "-o", tmp_path / "k2", "--workers", "1", "--time", "1", "-q"])
    log = (tmp_path / "k2" / "batch.log").read_text(encoding="utf-8")
    assert "a.toml (?): failed:" in log and "cannot read order file: not a file but a named pipe" in log
    assert "b.toml (B-2): failed:" in log and "pattern file 'pipe.dxf' is a named pipe" in log
    assert "0 done" in out.stderr + out.stdout
