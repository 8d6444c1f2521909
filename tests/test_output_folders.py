"""An output folder that is a symbolic link to nothing (a share not mounted, a folder moved):
every command says so, naming the link and where it points, before any search; it said "File
exists", ``nest`` only after its whole search (probe 32)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLES


def _nest(*args, cwd):
    return subprocess.run([sys.executable, "-m", "kitcut", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


@pytest.mark.parametrize("deep", [False, True])
def test_a_link_to_nothing_as_output_folder_is_named(tmp_path, deep):
    (tmp_path / "out").symlink_to("/nonexistent-share/jobs")
    out = "out/night/1" if deep else "out"
    order = ROOT / "tests" / "data" / "orders" / "A-1001.toml"
    (tmp_path / "A-1001.toml").write_bytes(order.read_bytes())
    (tmp_path / "tee.dxf").write_bytes((SAMPLES / "tee.dxf").read_bytes())
    said = ("cannot write: out is a symbolic link to /nonexistent-share/jobs, which does not exist (a share "
            "not mounted? a folder moved?)")
    # a search of 600 s would time the test out: the folder is refused before it
    for args in (["tee.dxf", "--time", "600", "-o", out],
                 ["kit", "A-1001.toml", "--time", "600", "-o", out],
                 ["batch", ".", "--time", "600", "-o", out]):
        r = _nest(*args, cwd=tmp_path)
        assert r.returncode == 2, (args, r.stderr)
        assert said in r.stderr.replace(f"{tmp_path}/", ""), (args, r.stderr)
        assert "Traceback" not in r.stderr and "File exists" not in r.stderr


@pytest.mark.parametrize("stem, folder", [("CON", "_CON"), ("a:b", "a-b"), ("tee ", "tee"), ("前片", "前片")])
def test_the_default_output_folder_is_one_windows_holds(tmp_path, stem, folder):
    """``nest CON.dxf`` wrote to ``out/CON``, ``a:b.dxf`` to ``out/a:b``, ``"tee .dxf"`` to
    ``out/tee `` (probe 32): folders a Windows share or USB stick cannot hold, while ``--stem``,
    order ids and fabric folders refuse or rename such names."""
    (tmp_path / f"{stem}.dxf").write_bytes((SAMPLES / "tee.dxf").read_bytes())
    r = _nest(f"{stem}.dxf", "--sizes", "M", "--time", "1", "--workers", "1", "-q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == [folder]
    assert (tmp_path / "out" / folder / "marker.json").is_file()


def test_a_path_too_long_says_which_and_by_how_much(tmp_path, monkeypatch):
    """In a folder 4,400 bytes deep, every write was refused "File name too long", naming a
    short relative path (``out/marker.json``): the operator could not see why (probe 32)."""
    from kitcut.errors import ExportError
    from kitcut.fileio import atomic_write

    monkeypatch.chdir(tmp_path)
    for _ in range(18):
        os.mkdir("d" * 250)  # relative: the absolute path is past the limit
        monkeypatch.chdir("d" * 250)
    deep = (r"out/marker\.json: cannot write: File name too long \(the whole path from / is [\d,]+ bytes; "
            r"at most 4,095: write to a shallower folder\)")
    with pytest.raises(ExportError, match=deep):
        atomic_write("out/marker.json", "{}")
    monkeypatch.chdir(tmp_path)
    shutil.rmtree("d" * 250)  # by file descriptors, so the deep tree goes (pytest's cleanup would not)
    long_name = r"cannot write: File name too long \(its name is 300 bytes; at most 255\)"
    with pytest.raises(ExportError, match=long_name):
        atomic_write("x" * 295 + ".json", "{}")


@pytest.mark.parametrize("deep", [False, True])
def test_nest_export_into_a_link_to_nothing_says_it_once(tmp_path, deep):
    """`nest export -o LINK` said "LINK/marker.plt: cannot write: LINK: cannot write: LINK is a
    symbolic link to ..." (probe 39): the folder's error wrapped again as the file's. It is said
    once, naming the folder, as `nest PATTERN -o LINK` says it."""
    from marker_factory import valid_small_marker

    from kitcut.formats.marker_json import write_marker

    write_marker(valid_small_marker(), tmp_path / "marker.json")
    (tmp_path / "out").symlink_to("/nonexistent-share/jobs")
    out = "out/night" if deep else "out"
    r = _nest("export", "marker.json", "-o", out, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr == (f"nest: error: {out}: cannot write: out is a symbolic link to "
                        "/nonexistent-share/jobs, which does not exist (a share not mounted? a folder "
                        "moved?)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["marker.json", "out"]
