from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kitcut.errors import DXFFormatError, ExportError, GeometryError, KitcutError
from kitcut.fileio import atomic_open, atomic_write
from kitcut.model import Piece, transform_points


def test_error_message_names_file_and_piece():
    e = GeometryError("outline is open", file="tee.dxf", piece="Front")
    assert str(e) == "tee.dxf: piece 'Front': outline is open"
    assert isinstance(e, ValueError) and isinstance(e, KitcutError)
    assert issubclass(DXFFormatError, ValueError)


def test_transform_mirror_then_rotate_then_translate():
    p = np.array([[1.0, 2.0], [3.0, 0.0]])
    out = transform_points(p, 90, True, (10, 0))
    assert np.allclose(out, [[12.0, 1.0], [10.0, 3.0]])


def test_piece_ring_is_ccw_and_area():
    pc = Piece("A", [(0, 0), (0, 10), (20, 10), (20, 0), (0, 0)])
    assert pc.outline.shape == (4, 2)
    assert pc.area == pytest.approx(200.0)
    assert not pc.outline.flags.writeable


def test_pairs_rule():
    asym = Piece("Sleeve", [(0, 0), (10, 0), (8, 6), (0, 4)], quantity=2)
    assert asym.copy_mirrors() == (False, True)
    assert asym.copy_mirrors(pairs=False) == (False, False)
    explicit = Piece("X", [(0, 0), (10, 0), (8, 6), (0, 4)], quantity=2, flipped=1)
    assert explicit.copy_mirrors(pairs=False) == (False, True)


def test_atomic_write_leaves_no_partial(tmp_path):
    target = tmp_path / "sub" / "f.txt"
    atomic_write(target, "abc")
    assert target.read_text() == "abc"
    assert [p.name for p in target.parent.iterdir()] == ["f.txt"]
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_atomic_write_failure_leaves_nothing(tmp_path):
    target = tmp_path / "f.txt"
    with pytest.raises(RuntimeError), atomic_open(target) as fp:
        fp.write("partial")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_readonly_folder_is_export_error(tmp_path):
    if os.geteuid() == 0:
        target = tmp_path / "missing-parent-is-a-file" / "f.txt"
        (tmp_path / "missing-parent-is-a-file").write_text("")
    else:
        tmp_path.chmod(0o500)
        target = tmp_path / "f.txt"
    with pytest.raises(ExportError, match="cannot write"):
        atomic_write(target, "x")


def test_cli_version_runs():
    r = subprocess.run([sys.executable, "-m", "kitcut", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and "nest" in r.stdout


ROOT = Path(__file__).resolve().parents[1]
#: import name of each distribution whose name differs from it
_IMPORT_NAME = {"fpdf2": "fpdf", "charset-normalizer": "charset_normalizer"}


def _requirement_name(req: str) -> str:
    return re.split(r"[<>=!~;\[ ]", req.strip(), maxsplit=1)[0]


def test_declared_dependencies_are_used_and_in_the_readme():
    """Every dependency of pyproject.toml has a row in the README's dependency table, and every
    runtime one is imported by kitcut. Before, pyclipper was declared and described there
    ("robust polygon offsetting for the inflated nesting stand-ins") but never imported: the
    stand-ins are offset with shapely; and tomli (the TOML reader on Python 3.10) had no row."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_requirement_name(r) for r in project["dependencies"]}
    extras = {_requirement_name(r) for reqs in project["optional-dependencies"].values() for r in reqs}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Dependencies and why each is there", 1)[1]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| ")][1:]
    listed = {_requirement_name(name) for row in rows for name in row.split(",")}
    assert runtime | extras <= listed, f"no README row for {sorted((runtime | extras) - listed)}"
    folders = ("cli", "formats", "kitcut", "kits", "model", "nesting", "samples")
    source = "\n".join(p.read_text(encoding="utf-8") for f in folders for p in (ROOT / f).rglob("*.py"))
    imported = set(re.findall(r"^\s*(?:from|import) ([A-Za-z_]\w*)", source, re.M))
    unused = sorted(r for r in runtime if _IMPORT_NAME.get(r, r) not in imported)
    assert not unused, f"declared in pyproject.toml but never imported: {unused}"


@pytest.mark.parametrize("far", [0.0, 8e4, 2.54e7, -1e8])
def test_a_piece_s_area_does_not_depend_on_where_it_is_drawn(far):
    """The area of a piece drawn 10^7 mm or more from the origin keeps its digits: about the
    origin the shoelace sum lost one part in 10^6, and the marker's efficiency no longer matched
    its placed area in the independent checker."""
    from shapely.geometry import Polygon

    from kitcut.model.geometry import ring_area

    t = np.linspace(0.0, 2.0 * np.pi, 400, endpoint=False)
    ring = np.c_[300.0 * np.cos(t) + 40.0 * np.cos(5 * t), 200.0 * np.sin(t)]
    want = Polygon(ring).area
    moved = ring + [far, -0.7 * far]
    assert ring_area(moved) == pytest.approx(want, rel=1e-10)
    assert Piece("P", moved).area == pytest.approx(want, rel=1e-10)
