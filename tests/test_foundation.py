from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from kitcut.errors import DXFFormatError, GeometryError, KitcutError
from kitcut.fileio import atomic_write
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


def test_cli_version_runs():
    r = subprocess.run([sys.executable, "-m", "kitcut", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and "nest" in r.stdout
