"""Grade rule labels (``# n``) that are not exactly on their vertex: rounded by the writer, set
a little beside their turn point, or at no grade point at all (see
``formats/reading/grade_labels.py``)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon
from test_grading import CORNERS, _affine, _table, rul_text_of
from test_import_dxf import aama_doc, add_piece, save

from kitcut.formats.reading.dxf_read import read_dxf

K = 1.00037  # a writer's non-round vertices (the probe's lbl_rounded_2dp.dxf)


def _box(tmp_path, place, *, k=1.0, extra_labels=(), name="box.dxf", units="METRIC", mm=1.0):
    """A 100 x 50 mm box (scaled by ``k``; ``mm`` per drawing unit) with the corner rules
    1-4 of :data:`CORNERS`, a layer-2 POINT on each corner and its label where
    ``place(x, y)`` says; ``extra_labels``: ``(text, x, y)`` more."""
    ring = [(0, 0), (50, 0), (51, 0), (100, 0), (100, 50), (0, 50)]
    pts = [(x * k / mm, y * k / mm) for x, y in ring]

    def labels(blk):
        for r, (x, y) in CORNERS.items():
            x, y = x * k / mm, y * k / mm
            blk.add_point((x, y), dxfattribs={"layer": "2"})
            blk.add_text(f"# {r}", dxfattribs={"layer": "2", "insert": place(x, y)})
        for text, x, y in extra_labels:
            blk.add_text(text, dxfattribs={"layer": "2", "insert": (x / mm, y / mm)})

    doc = aama_doc(units)
    add_piece(doc, "BOX_M", [pts + [pts[0]]], texts=["Piece Name: Box", "Size: M"], extra=labels)
    path = save(doc, tmp_path, name)
    (tmp_path / name.replace(".dxf", ".rul")).write_text(rul_text_of(_table()))
    return path, np.array(ring, float) * k


def _want_L(ring: np.ndarray, k: float) -> Polygon:
    """Size L by the rules: the affine grade of the corners, straight edges stay straight."""
    return Polygon([p + _affine(*(p / k)) for p in ring])


@pytest.mark.parametrize("place", [
    lambda x, y: (round(x, 2), round(y, 2)),  # printed with fewer decimals than the vertices
    lambda x, y: (x + 0.005, y + 0.005),
    lambda x, y: (x + 1.0, y + 1.0),  # 1.41 mm beside its turn point, to be readable
], ids=["rounded-0.01", "off-0.005", "beside-1mm"])
def test_labels_beside_their_vertex_grade_exactly_and_are_reported(tmp_path, place):
    """Before, a label more than 0.002 drawing units from its vertex graded nothing: the sizes
    came out distorted or as the sample size, exit 0."""
    path, ring = _box(tmp_path, place, k=K)
    for fast in (True, False):
        pat = read_dxf(path, fast=fast)
        big = next(p for p in pat.pieces if p.size == "L")
        assert shapely.hausdorff_distance(Polygon(big.outline), _want_L(ring, K)) < 1e-6
        moved = [e for e in pat.report.entries if "set beside their grade point" in e.message]
        assert all(e.piece == "Box (M)" for e in moved)
        assert not [e for e in pat.report.entries if "at no vertex" in e.message]


def test_labels_of_an_inch_drawing_snap_within_2_mm(tmp_path):
    """The tolerance is in mm: a label 1 mm (0.039 in) beside its point in an inch drawing."""
    path, ring = _box(tmp_path, lambda x, y: (x + 1.0 / 25.4, y + 1.0 / 25.4), units="ENGLISH", mm=25.4)
    pat = read_dxf(path)
    big = next(p for p in pat.pieces if p.size == "L")
    assert pat.units_in == "in"
    assert shapely.hausdorff_distance(Polygon(big.outline), _want_L(ring, 1.0)) < 1e-6


def test_label_far_from_every_vertex_or_between_two_is_a_warning(tmp_path):
    """A label with no vertex within 2 mm, or as near one vertex as another, grades nothing and
    is a warning naming the piece and the rule (before: grouped among the skipped entities, or
    taken by neither)."""
    extra = [("# 9", 50, 25), ("# 8", 50.5, 0.3)]
    path, ring = _box(tmp_path, lambda x, y: (x, y), extra_labels=extra)
    (tmp_path / "box.rul").write_text(rul_text_of(_table({r: np.zeros((3, 2)) for r in (8, 9)})))
    pat = read_dxf(path)
    big = next(p for p in pat.pieces if p.size == "L")
    assert shapely.hausdorff_distance(Polygon(big.outline), _want_L(ring, 1.0)) < 1e-6
    warns = {e.message.split(" is ")[0].split(" lies ")[0]: e for e in pat.report.warnings
             if "grade rule label #" in e.message}
    assert set(warns) == {"grade rule label # 9", "grade rule label # 8"}
    far = warns["grade rule label # 9"].message
    assert "at no vertex of the piece's lines (the nearest 25 mm away" in far
    assert "between two grade points (0.583 and 0.583 mm away)" in warns["grade rule label # 8"].message
    assert all(e.piece == "Box (M)" for e in warns.values())
