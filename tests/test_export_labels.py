"""Piece labels lie on their pieces in the pen and print files: the text box a plotter draws
(0.75 h a character long, h high, centred on the label point along the grain) inside the
piece's outline, so the pen never writes across a cut line, over the next piece or before the
start of the marker (real exports: a label of ``simple.DXF`` size 36 started at x = -28 mm)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import DXF_DIR, SAMPLES
from shapely.geometry import Polygon

from kitcut.formats.layout.page import build_sheet
from kitcut.kits.marker import nest_pattern
from kitcut.kits.quantities import load_pattern
from kitcut.model import Rules

JOBS = [("simple.DXF", "36"), ("annotation.DXF", "50"), ("mirrored.DXF", "50"), ("GMX1016S18_AAMA.DXF", "42"),
        ("optitex25_basic-tee_plain-dxf_cm.dxf", "XS")]


def _boxes_outside(marker) -> list[str]:
    bad = []
    for pp in build_sheet(marker).pieces:
        t = pp.label
        a = math.radians(t.angle_deg)
        d, n = np.array([math.cos(a), math.sin(a)]), np.array([-math.sin(a), math.cos(a)])
        c = np.array([t.x, t.y])
        w, h = 0.5 * 0.75 * t.height * max(len(t.text), 1), 0.5 * t.height
        box = Polygon([c - d * w - n * h, c + d * w - n * h, c + d * w + n * h, c - d * w + n * h])
        piece = Polygon(pp.outline).buffer(0)
        if not piece.buffer(1e-6).contains(box) and t.height > 1.0:
            bad.append(f"{t.text}: label {t.height:.1f} mm high runs off its piece")
        if box.bounds[0] < -1e-6:
            bad.append(f"{t.text}: label starts before the marker (x = {box.bounds[0]:.1f})")
    return bad


@pytest.mark.parametrize(("name", "size"), JOBS)
def test_labels_lie_on_their_pieces_in_real_markers(name, size):
    if not (DXF_DIR / name).is_file():
        pytest.skip(f"shared data not present: {DXF_DIR / name}")
    pattern = load_pattern(DXF_DIR / name, sizes={size: 1}, quantities={"*": (1, None)}, repair=True)
    marker = nest_pattern(pattern, Rules(width=1500.0, spacing=2.0), time_limit=60.0, seed=1, workers=1,
                          max_iterations=0)
    assert _boxes_outside(marker) == []


def test_labels_lie_on_their_pieces_in_the_sample():
    pattern = load_pattern(SAMPLES / "tee.dxf", sizes={"S": 1})
    marker = nest_pattern(pattern, Rules(width=1500.0, spacing=2.0), time_limit=60.0, seed=1, workers=1,
                          max_iterations=0)
    assert _boxes_outside(marker) == []
