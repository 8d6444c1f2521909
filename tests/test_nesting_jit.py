"""Where numba's cache of the nesting kernels goes (kitcut.nesting.jit.cache_folder): an install
numba cannot cache beside, run by a user without a writable home, failed every command."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from kitcut.nesting.jit import cache_folder


def _nowhere(tmp_path: Path) -> Path:
    """A folder that can never be made, even by root: its parent is a file."""
    f = tmp_path / "a-file"
    f.write_text("x")
    return f / "folder"


def test_numba_caches_where_it_would_when_it_can(tmp_path):
    assert cache_folder({}, sources=tmp_path / "src", user=_nowhere(tmp_path)) is None  # beside the sources
    assert cache_folder({}, sources=_nowhere(tmp_path), user=tmp_path / "home") is None  # the user's cache
    nowhere = _nowhere(tmp_path)
    assert cache_folder({"NUMBA_CACHE_DIR": "/x"}, sources=nowhere, user=nowhere) is None


def test_neither_writable_gives_a_folder_of_kitcuts_own(tmp_path):
    got = cache_folder({}, sources=_nowhere(tmp_path), user=_nowhere(tmp_path))
    assert got is not None and Path(got).parent == Path(tempfile.gettempdir())
    assert Path(got).name.startswith("kitcut-numba-")


def test_a_read_only_install_run_without_a_writable_home_compiles_its_kernels(tmp_path):
    """The kernels' folder mounted read-only (a private mount namespace: root only, skipped
    elsewhere), HOME and XDG_CACHE_HOME where nothing can be written: a kernel compiles and
    caches in kitcut's own folder. Before: "RuntimeError: cannot cache function '_orient'"."""
    import shutil

    import kitcut.nesting

    folder = Path(kitcut.nesting.__file__).resolve().parent
    nowhere = _nowhere(tmp_path)
    code = ("import numba\n"
            "from kitcut.nesting import kernels\n"
            "assert kernels._orient(0.0, 0.0, 1.0, 0.0, 0.0, 1.0) > 0\n"
            "print(numba.config.CACHE_DIR)\n")
    script = (f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && "
              f"exec env -u NUMBA_CACHE_DIR HOME={nowhere} XDG_CACHE_HOME={nowhere} "
              f"{sys.executable} -c '{code}'")
    if shutil.which("unshare") is None:
        pytest.skip("unshare not installed")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode:
        pytest.skip("cannot make a private mount namespace here (not root?)")
    r = subprocess.run(["unshare", "-m", "bash", "-c", script], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert Path(r.stdout.strip()).name.startswith("kitcut-numba-")
