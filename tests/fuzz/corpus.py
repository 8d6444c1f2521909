"""The fuzz corpus: bundled samples and real exports, the shared real DXF files (when present), order
files."""

from __future__ import annotations

from pathlib import Path

__all__ = ["ROOT", "dxf_corpus", "order_corpus", "json_corpus"]

ROOT = Path(__file__).resolve().parents[2]
_SHARED_DXF = ROOT.parent / "shared" / "data" / "dxf"
_MAX_BYTES = 800_000  # keep single runs short


def dxf_corpus(shared: bool = True) -> list[Path]:
    """Sample DXF files, the real exports bundled in ``tests/data/real``, then the real ones of
    ``../shared/data/dxf`` (skipped when absent)."""
    files = sorted((ROOT / "samples").glob("*.dxf"))
    files += sorted(p for p in (ROOT / "tests" / "data" / "real").iterdir() if p.suffix.lower() == ".dxf")
    if shared and _SHARED_DXF.is_dir():
        files += sorted(p for p in _SHARED_DXF.iterdir()
                        if p.suffix.lower() == ".dxf" and p.stat().st_size <= _MAX_BYTES)
    return files


def order_corpus() -> list[Path]:
    """The good order files of tests/data/orders (their patterns are found beside them)."""
    d = ROOT / "tests" / "data" / "orders"
    return sorted(p for p in d.glob("A-*.toml"))


def json_corpus() -> list[Path]:
    """Small benchmark instances of ``../shared/data/esicup`` (empty when absent)."""
    d = ROOT.parent / "shared" / "data" / "esicup"
    if not d.is_dir():
        return []
    return sorted(p for p in d.glob("*.json") if p.stat().st_size <= 60_000)
