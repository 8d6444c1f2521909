"""The bundled samples: reproducible byte for byte, geometrically valid, realistic, complete."""

from __future__ import annotations

import json
import math

import ezdxf
import numpy as np
import pytest
from conftest import SAMPLES, shared_file
from shapely.geometry import LineString, Point, Polygon

from kitcut.formats.writing.aama_write import unfold_piece
from kitcut.samples.garments import GARMENTS
from kitcut.samples.generate import generate, pattern

PIECES_PER_SIZE = {
    "tee": ["Front", "Back", "Sleeve", "Neckband"],
    "trousers": ["Front", "Back", "Waistband", "Pocket Bag"],
    "shirt": ["Front", "Back", "Yoke", "Sleeve", "Cuff", "Collar", "Collar Stand"],
}
ALL_PIECES = [(g, p) for g in GARMENTS for p in pattern(g).pieces]


def test_committed_samples_regenerate_byte_identically(tmp_path):
    paths = generate(tmp_path)
    assert [p.name for p in paths] == ["tee.dxf", "trousers.dxf", "shirt.dxf", "tee-base.dxf", "tee-base.rul",
                                       "trousers-base.dxf", "trousers-base.rul", "shirt-base.dxf",
                                       "shirt-base.rul"]
    for p in paths:
        committed = SAMPLES / p.name
        assert committed.exists(), f"{committed} missing: run `make samples`"
        assert p.read_bytes() == committed.read_bytes(), f"{p.name} differs: run `make samples` and commit"


@pytest.mark.parametrize("garment", list(GARMENTS))
def test_pieces_per_size(garment):
    _, sizes, style = GARMENTS[garment]
    pat = pattern(garment)
    assert pat.style == style
    for size in sizes:
        assert [p.name for p in pat.pieces if p.size == size] == PIECES_PER_SIZE[garment]
    assert len(pat.pieces) == len(sizes) * len(PIECES_PER_SIZE[garment])


@pytest.mark.parametrize("garment,piece", ALL_PIECES, ids=[f"{g}-{p.name}-{p.size}" for g, p in ALL_PIECES])
def test_piece_geometry(garment, piece):
    poly = Polygon(piece.outline)
    assert poly.is_valid and poly.exterior.is_simple
    assert 5_000 < piece.area < 400_000
    assert piece.grain is not None and piece.grain.length > 30
    assert poly.contains(LineString(piece.grain.points))
    assert piece.notches, "every sample piece has notches"
    ring = piece.outline
    for n in piece.notches:
        # on the outline: a vertex of it, exactly
        assert np.any(np.all(ring == (n.x, n.y), axis=1)), f"notch {n} is not an outline vertex"
        a = math.radians(n.angle_deg)
        assert poly.contains(Point(n.x + 2 * math.cos(a), n.y + 2 * math.sin(a))), f"notch {n} points out"
    for d in piece.drills:
        assert poly.buffer(-1).contains(Point(d.x, d.y)), f"drill {d} not inside"
    for ln in piece.internal_lines:
        assert poly.buffer(1e-3).contains(LineString(ln.points))  # ends on the cut line, 1 µm rounding
    if piece.folded:
        fold = LineString(piece.fold_line.points)
        assert fold.length > 20 and poly.exterior.buffer(1e-9).contains(fold), "fold line is an edge"
        full = unfold_piece(piece)
        assert Polygon(full.outline).is_valid
        assert full.area == pytest.approx(2 * piece.area, rel=1e-9)


def _piece(garment, name, size):
    (p,) = [p for p in pattern(garment).pieces if p.name == name and p.size == size]
    return p


def test_realistic_dimensions():
    front = _piece("tee", "Front", "M")
    assert 240 <= front.width <= 280 and 680 <= front.height <= 740
    sleeve = _piece("tee", "Sleeve", "M")
    assert 440 <= sleeve.width <= 520 and 400 <= sleeve.height <= 500
    assert 1000 <= _piece("trousers", "Front", "40").height <= 1100
    assert 700 <= _piece("trousers", "Waistband", "40").width <= 850
    assert 750 <= _piece("shirt", "Front", "M").height <= 850
    assert 550 <= _piece("shirt", "Sleeve", "M").height <= 650


@pytest.mark.parametrize("garment", list(GARMENTS))
def test_sizes_grade_up(garment):
    _, sizes, _ = GARMENTS[garment]
    for name in PIECES_PER_SIZE[garment]:
        areas = [_piece(garment, name, s).area for s in sizes]
        assert areas == sorted(areas) and len(set(areas)) == len(areas), (name, areas)


def test_quantities_and_folds():
    tee = {p.name: p for p in pattern("tee").pieces if p.size == "M"}
    assert tee["Front"].folded and tee["Back"].folded and tee["Front"].quantity == 1
    assert (tee["Sleeve"].quantity, tee["Sleeve"].flipped) == (2, 1)
    assert not tee["Sleeve"].is_mirror_symmetric(), "the sleeve head is asymmetric"
    assert tee["Neckband"].quantity == 1 and not tee["Neckband"].folded
    assert len(tee["Front"].outline) > 40 and len(tee["Sleeve"].outline) > 40
    trs = {p.name: p for p in pattern("trousers").pieces if p.size == "40"}
    assert (trs["Front"].quantity, trs["Front"].flipped) == (2, 1)
    assert len(trs["Back"].drills) >= 3 and trs["Back"].internal_lines
    shirt = {p.name: p for p in pattern("shirt").pieces if p.size == "M"}
    assert {n for n, p in shirt.items() if p.folded} == {"Back", "Yoke", "Collar", "Collar Stand"}
    assert (shirt["Front"].quantity, shirt["Front"].flipped) == (2, 1)


def test_sleeve_head_front_and_back_differ():
    sleeve = _piece("tee", "Sleeve", "M")
    x_crown = sleeve.outline[np.argmax(sleeve.outline[:, 1]), 0]
    assert abs(x_crown - sleeve.width / 2) > 1
    notches = sorted(sleeve.notches, key=lambda n: n.x)
    ys = [n.y for n in notches]
    # back (left): a double notch; front (right): a single notch; one at the crown
    assert len(notches) == 4 and abs(ys[0] - ys[1]) < 15 and max(ys) == sleeve.bounds[3]


@pytest.mark.parametrize("garment", list(GARMENTS))
def test_committed_files_read_with_ezdxf(garment):
    doc = ezdxf.readfile(SAMPLES / f"{garment}.dxf")
    pat = pattern(garment)
    blocks = [b for b in doc.blocks if not b.name.startswith("*")]
    assert len(blocks) == len(pat.pieces) == len(doc.modelspace().query("INSERT"))
    for blk, piece in zip(blocks, pat.pieces, strict=True):
        texts = {e.dxf.text for e in blk if e.dxftype() == "TEXT"}
        assert f"Piece Name: {piece.name}" in texts and f"Size: {piece.size}" in texts
        q = piece.quantity if piece.flipped is None else f"{piece.quantity - piece.flipped},{piece.flipped}"
        assert f"Quantity: {q}" in texts
        assert bool(blk.query('*[layer=="6"]')) == piece.folded
        (cut,) = blk.query('POLYLINE[layer=="1"]')
        pts = np.array([(v.dxf.location.x, v.dxf.location.y) for v in cut.vertices])
        np.testing.assert_array_equal(pts, piece.outline)


@pytest.mark.parametrize("name", ["shirts", "trousers", "swim"])
def test_esicup_copies(name):
    ours = SAMPLES / f"{name}.json"
    data = json.loads(ours.read_text())
    assert data["strip_height"] > 0 and data["items"]
    assert "ESICUP" in (SAMPLES / "NOTICE.md").read_text()
    assert ours.read_bytes() == shared_file("esicup", f"{name}.json").read_bytes()


@pytest.mark.parametrize("garment", list(GARMENTS))
def test_round_trip_through_the_reader(garment):
    read = pytest.importorskip("kitcut.formats.reading.read")
    pat = read.read_pattern(SAMPLES / f"{garment}.dxf")
    ours = pattern(garment).pieces
    assert pat.units == "mm" and pat.style == GARMENTS[garment][2]
    assert len(pat.pieces) == len(ours)
    for got, want in zip(pat.pieces, ours, strict=True):
        assert (got.name, got.size, got.quantity, got.flipped) == (
            want.name, want.size, want.quantity, want.flipped
        )
        assert got.grain is not None
        np.testing.assert_allclose(got.grain.points, want.grain.points, atol=1e-6)
        if want.folded:  # unfolded by the reader: twice the half, notches mirrored
            assert got.area == pytest.approx(2 * want.area, rel=0.005)
            assert len(want.notches) <= len(got.notches) <= 2 * len(want.notches)
            continue
        diff = Polygon(got.outline).symmetric_difference(Polygon(want.outline)).area
        assert diff < 1e-6 * want.area
        for a, b in ((got.notches, want.notches), (got.drills, want.drills)):
            xy = [sorted((x.x, x.y) for x in items) for items in (a, b)]
            np.testing.assert_allclose(*xy, atol=1e-6)
