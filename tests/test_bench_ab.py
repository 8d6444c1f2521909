"""``python -m bench.ab``: two revisions side by side, each imported from its own worktree."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    """A clone of this repository with one commit more: the search's first shrink step doubled."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "kitcut"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    search = clone / "nesting" / "search.py"
    search.write_text(search.read_text() + "\nSearchConfig.first_ratio = 2.0 * SearchConfig.first_ratio\n")
    _git(clone, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-am", "variant")
    return clone


def _ab(repo: Path, *args: str) -> str:
    r = subprocess.run([sys.executable, "-m", "bench.ab", *args, "tee", "--iterations", "15", "--seeds", "1"],
                       cwd=repo, capture_output=True, text=True, timeout=600,
                       env={**os.environ, "PYTHONPATH": ""})
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_each_revision_runs_its_own_code_and_leaves_no_worktree(repo):
    same = _ab(repo, "HEAD", "HEAD")
    assert "Geometric mean B/A over 1 runs: 1.0000" in same  # reproducible: the same search, twice
    row = next(ln for ln in _ab(repo, "HEAD~1", "HEAD").splitlines() if ln.startswith("| tee#1 "))
    a, b = (float(x) for x in re.split(r"\s*\|\s*", row)[2:4])
    assert b != a  # the variant's first steps are twice as big: another marker after as many sweeps
    assert _git(repo, "worktree", "list").count("\n") == 1  # the temporary worktrees are gone


def test_the_link_tree_imports_the_revision_checked_out(tmp_path):
    from bench.ab import link_tree

    pkg = link_tree(ROOT, tmp_path / "pkg")
    code = ("import kitcut.nesting.search as s, kitcut.formats.reading.read as r; "
            "print(s.__file__, r.__file__)")
    r = subprocess.run([sys.executable, "-c", code], cwd=pkg, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(pkg)})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [str(pkg / "kitcut" / "nesting" / "search.py"),
                                str(pkg / "kitcut" / "formats" / "reading" / "read.py")]
