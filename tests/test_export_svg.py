"""SVG preview: re-read with xml.etree; viewBox, pieces, labels and geometry are right."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from marker_factory import small_marker

from kitcut.errors import ExportError
from kitcut.formats.writing.export import format_for_path, write_file

NS = {"s": "http://www.w3.org/2000/svg"}


def _path_points(d: str) -> list[np.ndarray]:
    rings = []
    for part in d.split("M")[1:]:
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", part)]
        rings.append(np.array(nums).reshape(-1, 2))
    return rings


@pytest.fixture(scope="module")
def marker():
    return small_marker()


def test_svg_preview_reads_back(tmp_path, marker):
    path = write_file(marker, tmp_path / "marker.svg")
    root = ET.parse(path).getroot()
    vb = [float(v) for v in re.split(r"[ ,]+", root.get("viewBox"))]
    # the viewBox (mm) holds the whole strip and is not much larger than it
    assert vb[0] < 0 and vb[0] + vb[2] > marker.length
    assert vb[2] < marker.length * 1.1 + 20
    assert vb[1] + vb[3] > marker.width and vb[3] < marker.width * 1.2 + 40
    # scaled to fit a 1600 x 900 screen with the viewBox aspect
    w, h = float(root.get("width")), float(root.get("height"))
    assert max(w / 1600, h / 900) == pytest.approx(1.0, abs=1e-3)
    assert w / h == pytest.approx(vb[2] / vb[3], rel=1e-3)
    strip = root.find(".//s:rect[@id='strip']", NS)
    assert float(strip.get("width")) == pytest.approx(marker.length)
    assert float(strip.get("height")) == pytest.approx(marker.width)
    groups = root.findall(".//s:g[@class='piece']", NS)
    assert len(groups) == len(marker.placements)
    for pl, g in zip(marker.placements, groups, strict=True):
        cut = g.find("s:path[@class='cut']", NS)
        rings = _path_points(cut.get("d"))
        expect = marker.placed_outline(pl)
        got = rings[0].copy()
        got[:, 1] = marker.width - got[:, 1]  # SVG y points down
        assert np.abs(got - expect).max() <= 0.006
        assert len(rings) == 1 + len(marker.pieces[pl.piece].cutouts)
        piece = marker.pieces[pl.piece]
        assert g.find("s:text[@class='label']", NS).text == piece.label
        assert len(g.findall("s:path[@class='notch']", NS)) == len(piece.notches)
        assert len(g.findall("s:circle[@class='drill']", NS)) == len(piece.drills)
        assert len(g.findall("s:path[@class='grain']", NS)) == (5 if piece.grain is not None else 0)
    title = root.find(".//s:text[@id='title']", NS).text
    assert f"length {marker.length:,.1f} mm" in title and f"{100 * marker.efficiency:.1f} %" in title


def test_svg_is_deterministic_and_1to1(tmp_path, marker):
    a = write_file(marker, tmp_path / "a.svg").read_bytes()
    b = write_file(marker, tmp_path / "b.svg").read_bytes()
    assert a == b
    root = ET.parse(write_file(marker, tmp_path / "m.plot.svg")).getroot()
    vb = [float(v) for v in re.split(r"[ ,]+", root.get("viewBox"))]
    assert root.get("width") == f"{vb[2]:g}mm" and root.get("height") == f"{vb[3]:g}mm"


def test_unknown_format_is_a_clear_error(tmp_path, marker):
    with pytest.raises(ExportError, match="unknown output format 'bmp'"):
        write_file(marker, tmp_path / "m.svg", "bmp")
    with pytest.raises(ExportError, match="cannot tell the output format"):
        write_file(marker, tmp_path / "m.xyz")
    assert format_for_path("x/marker.tiled.pdf") == "tiled.pdf"
    assert format_for_path("M.PLT") == "plt"
