"""The real exports bundled in ``tests/data/real`` (see its README), read as a fresh checkout
without ``../shared`` reads them: a CLO 2025 export in ASTM form, a CLO export whose METRIC
means centimetres. (The everyday job on each of them, every size, is in
``test_one_garment_sweep.py``; their areas, sizes and marks in ``test_import_real.py``.)"""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import BUNDLED_DXF, DXF_DIR
from ezdxf import recover

from kitcut.formats.reading.read import read_pattern


def _raw_counts(path) -> dict[str, Counter]:
    """Per piece name, the entities of its block by (type, layer), read with ezdxf alone."""
    doc, _ = recover.readfile(str(path))
    out = {}
    for block in doc.blocks:
        names = [e.dxf.text.split(":", 1)[1].strip() for e in block.query("TEXT")
                 if e.dxf.text.upper().startswith("PIECE NAME:")]
        if names:
            out[names[0]] = Counter((e.dxftype(), e.dxf.layer) for e in block)
    return out


def test_a_clo_2025_export_in_astm_form():
    """CLO Standalone 2025 writes AAMA/ASTM blocks with upper-case keys (``PIECE NAME:``,
    ``SIZE: A36``, ``QUANTITY: 1``), the cut line twice (layer 1 and ASTM's layer 84), layer 85
    copies of the internal lines, integers written as ``0.000000``, and a sample-size header."""
    path = BUNDLED_DXF / "A232F4ORU001.dxf"
    pat = read_pattern(path)
    raw = _raw_counts(path)
    assert pat.units == "mm" and list(pat.size_names) == ["A36"]
    assert sorted(p.name for p in pat.pieces) == sorted(raw) and len(raw) == 6
    for p in pat.pieces:
        r = raw[p.name]
        assert (p.size, p.quantity, p.flipped) == ("A36", 1, None)  # no flipped count written
        assert len(p.notches) == r[("POINT", "4")], p.name  # notches: layer-4 points
        assert len(p.internal_lines) == r[("POLYLINE", "8")], p.name  # internal lines: layer 8 (85: copies)
        assert p.grain is not None and r[("LINE", "7")] == 1
    collar = next(p for p in pat.pieces if p.name == "AMX1CO-COF22_selffabri")
    w, h = collar.outline.max(axis=0) - collar.outline.min(axis=0)
    # its layer-84 rectangle: x -201.009308 .. 201.009888, y 1541.073486 .. 1581.072876
    assert (w, h) == pytest.approx((402.019196, 39.99939), abs=1e-5)
    remarks = [str(e) for e in pat.report.entries]
    assert not any(e.kind in ("error", "repair") for e in pat.report.entries), remarks


def test_a_clo_export_whose_metric_means_centimetres():
    """``clo2-pattern.dxf`` is ``clo-pattern.dxf`` (CLO's sample) drawn in centimetres under the
    same ``UNITS: METRIC``: the piece sizes decide, with a warning, and it reads as the mm file."""
    pat = read_pattern(BUNDLED_DXF / "clo2-pattern.dxf")
    warn = [e.message for e in pat.report.entries if "read in cm" in e.message]
    assert len(warn) == 1 and "METRIC" in warn[0] and "--units mm" in warn[0]
    assert max(float(max(p.outline.max(axis=0) - p.outline.min(axis=0))) for p in pat.pieces) == \
        pytest.approx(729.0, abs=0.05)
    mm = DXF_DIR / "clo-pattern.dxf"
    if not mm.exists():
        pytest.skip(f"shared data not present: {mm}")
    other = read_pattern(mm)
    key = sorted((p.name, p.size, len(p.notches), len(p.internal_lines)) for p in pat.pieces)
    assert key == sorted((p.name, p.size, len(p.notches), len(p.internal_lines)) for p in other.pieces)
    areas = {p.name: p.area for p in other.pieces}
    for p in pat.pieces:
        assert p.area == pytest.approx(areas[p.name], rel=1e-5), p.name  # cm: 6 decimals
