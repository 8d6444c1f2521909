"""Temporary files beside a target (kitcut.temp_names): a name that fits the file system's 255
bytes is written whatever the temporary name adds, and the temporary files a killed process left
in a folder are removed by the next write into it; those of a process alive, or fresh, stay."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

import kitcut.temp_names as temp_names
from kitcut.fileio import FileSet, atomic_write


@pytest.mark.parametrize("stem", ["s" * 240, "é" * 125, "前" * 83])
def test_a_name_that_fits_is_written(tmp_path, stem):
    """A ``--stem`` of 240 characters: marker.plt is 244 bytes, under 255, but its temporary
    name added 14 bytes: "File name too long" (probe 32)."""
    target = tmp_path / f"{stem}.plt"
    assert len(target.name.encode()) <= 255
    with FileSet() as fs:
        fs.add(target, "IN;")
    atomic_write(tmp_path / f"{stem}.dxf", "0\nEOF\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, f"{stem}.dxf"])


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_temporary_files_of_killed_processes_are_swept(tmp_path, monkeypatch):
    """SIGKILL leaves hidden full-size temporary files that no later run removed (23 after four
    kills, probe 32): the next write into the folder removes those of processes that are gone,
    once old enough; a live process's, a fresh one and files not ours stay."""
    monkeypatch.setattr(temp_names, "_swept", set())
    dead, alive = _dead_pid(), os.getppid()
    old = time.time() - 2 * temp_names.STALE_S
    names = {f".marker.plt.{dead}-abcd1234.tmp": old, f".marker.json.{dead}-x_y9zz00.old": old,
             f".marker.pdf.{dead}-qqqqqqqq.tmp": time.time(),  # fresh: maybe another machine's
             f".marker.pdf.{alive}-rrrrrrrr.tmp": old, ".notes.txt": old, "marker.tmp": old}
    for name, t in names.items():
        (tmp_path / name).write_text("x")
        os.utime(tmp_path / name, (t, t))
    with FileSet() as fs:
        fs.add(tmp_path / "marker.plt", "IN;")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f".marker.pdf.{dead}-qqqqqqqq.tmp", f".marker.pdf.{alive}-rrrrrrrr.tmp", ".notes.txt",
         "marker.tmp", "marker.plt"])
