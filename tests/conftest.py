"""Shared fixtures: where the repository's samples and the shared real data live."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser import browser  # noqa: F401  (the session's headless Chromium, for the page tests)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared" / "data"
DXF_DIR = SHARED / "dxf"
ESICUP_DIR = SHARED / "esicup"


#: Real exports kept in the repository (permissively licensed, see its README), so that a fresh
#: checkout without ``../shared`` still runs the real-file tests on some.
BUNDLED_DXF = ROOT / "tests" / "data" / "real"


def shared_file(*parts: str) -> Path:
    """A file of ``../shared/data``, or for ``"dxf", NAME`` one of :data:`BUNDLED_DXF`; the test is
    skipped where it is absent (fresh machine)."""
    p = SHARED.joinpath(*parts)
    if not p.exists() and parts[:1] == ("dxf",) and (BUNDLED_DXF / parts[-1]).exists():
        return BUNDLED_DXF / parts[-1]
    if not p.exists():
        pytest.skip(f"shared data not present: {p}")
    return p


def real_dxf_files() -> dict[str, Path]:
    """``{name: path}`` of every real DXF export at hand: ``../shared/data/dxf`` (when present)
    and :data:`BUNDLED_DXF`."""
    out = {}
    for d in (BUNDLED_DXF, DXF_DIR):
        if d.is_dir():
            out.update({p.name: p for p in d.iterdir() if p.suffix.lower() == ".dxf"})
    return dict(sorted(out.items()))


@pytest.fixture(autouse=True)
def _no_terminal_size(monkeypatch):
    """Every test runs as from a pipe: no ``COLUMNS``/``LINES`` from the shell or from the
    parallel runner's workers (pytest-xdist sets 80 × 24), which would narrow ``nest info``'s
    table; a test about the terminal's width sets them itself."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


@pytest.fixture
def orders(tmp_path):
    """A folder with the test orders of ``tests/data/orders`` and a fake tee pattern beside them."""
    from test_kits_fakes import write_fake_tee

    d = tmp_path / "orders"
    d.mkdir()
    for f in (ROOT / "tests" / "data" / "orders").glob("*.toml"):
        shutil.copy(f, d)
    write_fake_tee(d / "tee.dxf")
    return d
