"""Two sets of files written into one folder at once (two ``nest export`` runs into a shared
cutter folder) end as one whole set, never half of each: a set is renamed into place under an
exclusive lock on the folder (kitcut.folder_locks). On a slow share, whose renames take 10 to
200 ms, the cutter file of one marker was left beside the report and prints of the other, both
runs with exit 0 (probe 32)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

import kitcut.folder_locks as folder_locks
from kitcut.errors import ExportError
from kitcut.fileio import FileSet

NAMES = [f"marker.{ext}" for ext in ("json", "plt", "dxf", "pdf", "svg", "html")]

#: A process writing NAMES into a folder as one set, each rename slowed down as on a share,
#: ``late`` seconds after a file ``go`` appears (so that two of them start together).
_WRITER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    import kitcut.fileio as fileio
    folder, text, delay, late = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    real = os.replace
    def slow(src, dst):
        time.sleep(delay)
        return real(src, dst)
    fileio.os.replace = slow
    while not (folder.parent / "go").exists():
        time.sleep(0.001)
    time.sleep(late)
    with fileio.FileSet() as fs:
        for name in sys.argv[5:]:
            fs.add(folder / name, text)
    print("done", flush=True)
""")


def _writer(folder, text, delay=0.0, late=0.0):
    return subprocess.Popen([sys.executable, "-c", _WRITER, str(folder), text, str(delay), str(late), *NAMES],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _left(folder):
    return sorted(p.name for p in folder.iterdir())


def test_two_sets_written_at_once_end_as_one_whole_set(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for trial in range(3):
        (tmp_path / "go").unlink(missing_ok=True)
        # B starts later and renames faster: without a lock it overtakes A half way (A's renames at
        # 60, 120, ... 360 ms, B's at 130, 160, ... 280 ms)
        procs = [_writer(out, "A", delay=0.06), _writer(out, "B", delay=0.03, late=0.1)]
        time.sleep(0.5)  # both waiting for the start
        (tmp_path / "go").touch()
        for p in procs:
            _, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
        assert _left(out) == sorted(NAMES)  # no lock file, no temporary or backup file
        contents = {(out / n).read_text() for n in NAMES}
        assert len(contents) == 1, f"trial {trial}: files of both sets: {contents}"


def test_a_set_waits_while_another_process_writes_into_its_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "go").touch()
    with folder_locks.held([out]):
        proc = _writer(out, "second")
        time.sleep(1.5)
        assert proc.poll() is None  # waiting for the lock
        assert not set(NAMES) & set(_left(out))  # its temporary files only
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert _left(out) == sorted(NAMES)
    assert {(out / n).read_text() for n in NAMES} == {"second"}


def test_a_lock_file_a_killed_process_left_is_used_and_removed(tmp_path):
    (tmp_path / folder_locks.LOCK_NAME).write_text("12345\n")  # its process is gone: no lock held
    with FileSet() as fs:
        fs.add(tmp_path / "marker.plt", "IN;")
    assert _left(tmp_path) == ["marker.plt"]


def test_a_writer_that_never_finishes_is_named_after_the_wait(tmp_path, monkeypatch):
    monkeypatch.setattr(folder_locks, "WAIT_S", 0.3)
    (tmp_path / "marker.plt").write_text("old")
    with folder_locks.held([tmp_path]), pytest.raises(ExportError) as got:  # another process
        with FileSet() as fs:
            fs.add(tmp_path / "marker.plt", "new")
            fs.add(tmp_path / "marker.json", "{}")
    assert got.value.file == str(tmp_path)
    assert "another process has been writing into this folder for 0.3 s" in got.value.message
    assert _left(tmp_path) == ["marker.plt"]  # the old file as it was, no temporary file left
    assert (tmp_path / "marker.plt").read_text() == "old"
