"""``marker.html``: one self-contained file whose embedded data is the marker, deterministic, inert
against hostile names. What the page does in a browser is tested in ``test_pages_browser.py``."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from marker_factory import rect_piece_marker, shelf_marker, small_marker, tee_pieces, valid_small_marker

from kitcut.cli.main import main
from kitcut.formats.layout.page import build_sheet
from kitcut.formats.marker_json import read_marker, write_marker
from kitcut.formats.writing.export import DEFAULT_FORMATS, FORMATS, write_file
from kitcut.formats.writing.html import end_waste, marker_html, viewer_data
from kitcut.model import Marker, Piece, Placement, Rules

DATA = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)


def embedded(text: str) -> dict:
    """The marker data a page carries (the viewer's own input), by element id."""
    return {m.group(1): json.loads(m.group(2)) for m in DATA.finditer(text)}


@pytest.fixture(scope="module")
def marker():
    return small_marker()


def test_page_is_one_file_without_network(tmp_path, marker):
    path = write_file(marker, tmp_path / "marker.html")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    # nothing is loaded from anywhere: no src= / href= to a file or URL, no @import or url()
    assert not re.search(r"(?<![\w-])(src|href)\s*=\s*[\"'](?!data:|#)", text)
    assert "http://" not in text and "https://" not in text and "@import" not in text
    assert "url(" not in text
    assert "window.kitcut" in text and ".kv-canvas" in text  # the viewer's script and style are inline
    assert list(embedded(text)) == ["marker-data"]


def test_embedded_data_is_the_marker(marker):
    data = embedded(marker_html(marker))["marker-data"]
    assert data == json.loads(json.dumps(viewer_data(marker)))
    assert (data["length"], data["width"], data["unit"]) == (pytest.approx(marker.length, abs=0.05),
                                                           marker.width, "mm")
    assert data["efficiency"] == pytest.approx(marker.efficiency, abs=1e-5)
    assert len(data["pieces"]) == len(marker.placements)
    for d, pl in zip(data["pieces"], marker.placements, strict=True):
        piece = marker.pieces[pl.piece]
        placed = marker.placed_outline(pl)
        assert np.allclose(np.array(d["p"]).reshape(-1, 2), placed, atol=0.051)
        assert d["b"] == pytest.approx([*placed.min(axis=0), *placed.max(axis=0)], abs=0.051)
        assert (d["n"], d["s"], d["cat"]) == (piece.name, piece.size, piece.category)
        assert d["m"] == int(pl.mirrored)
        assert d["a"] == pytest.approx(piece.area, abs=0.05) and d["r"] == pl.rotation_deg % 360
        assert d["c"] == f"{pl.copy + 1} of {sum(q.piece == pl.piece for q in marker.placements)}"
        assert data["keys"]["size"][d["k"][0]] == piece.size
        assert data["keys"]["category"][d["k"][2]] == piece.category
        assert len(d.get("nt", [])) == len(piece.notches) and len(d.get("dr", [])) == len(piece.drills)
        assert len(d.get("h", [])) == len(piece.cutouts)
    assert data["keys"]["size"] == ["S", "M"]  # in size order, not alphabetical
    assert data["keys"]["order"] == ["\u2014"]  # a marker outside a kit has no orders


def test_extra_facts_of_kit_markers(marker):
    info = [{"order": "A-1", "garment": "tee", "bundle": f"tee M #{i}", "piece": "Front", "copy": "1 of 1"}
            for i in range(len(marker.placements))]
    data = viewer_data(marker, info)
    assert {(p["o"], p["g"], p["n"], p["c"]) for p in data["pieces"]} == {("A-1", "tee", "Front", "1 of 1")}
    assert [p["bu"] for p in data["pieces"]] == [f"tee M #{i}" for i in range(len(marker.placements))]
    assert data["keys"]["order"] == ["A-1"]
    with pytest.raises(ValueError, match="info has 1 entries"):
        viewer_data(marker, info[:1])


def test_deterministic_and_the_same_after_marker_json(tmp_path, marker):
    a = marker_html(marker)
    assert a == marker_html(marker)
    again = read_marker(write_marker(marker, tmp_path / "m.json"))
    assert marker_html(again) == a
    assert not re.search(r"20\d\d-\d\d-\d\d", a)  # no dates


def test_hostile_names_stay_data():
    evil = "</script><script>alert(1)</script><!-- & \u2028 \x1b\ud800"
    m = rect_piece_marker([evil, "ok"], name="</title><b>")
    text = marker_html(m)
    # only the page's own two scripts (data and viewer) end
    assert text.count("</script>") == 2 and "<script>alert" not in text
    assert "<title>&lt;/title&gt;&lt;b&gt;: " in text
    names = [p["n"] for p in embedded(text)["marker-data"]["pieces"]]
    assert names == [evil, "ok"]


def test_end_waste_is_the_free_fabric_after_the_pieces():
    sq = Piece("A", np.array([(0, 0), (300, 0), (300, 100), (0, 100)]))
    tri = Piece("T", np.array([(0, 0), (200, 0), (0, 200)]))
    # a 300 x 100 block on the lower selvedge, a triangle above it; 10 mm margins; 400 mm fabric
    m = Marker((sq, tri), Rules(width=400, margin=10),
               (Placement(0, 0, 0, False, (0, 10)), Placement(1, 0, 0, False, (0, 110))), length=300)
    area, poly = end_waste(build_sheet(m), bins=380)
    # beside the block nothing; beside the triangle (y 110..310) 300 - (200 - (y - 110)); above it
    # (310..390, no piece) from the deepest point of the edge (x = 0): 300 x 80
    exact = 0 + (300 * 200 - 200 * 200 / 2) + 300 * 80
    assert area == pytest.approx(exact, rel=0.01) and area <= exact + 1e-6  # never more than is free
    xy = np.array(poly)
    assert tuple(xy[0]) == (300, 10) and tuple(xy[-1]) == (300, 390)
    assert xy[:, 0].min() == pytest.approx(0, abs=1.01)  # the apex, within a band
    # a full marker leaves nothing
    block = Marker((sq,), Rules(width=100), (Placement(0, 0, 0, False, (0, 0)),), length=300)
    assert end_waste(build_sheet(block))[0] == pytest.approx(0.0, abs=1e-9)


def test_a_marker_of_1000_pieces_stays_small():
    pcs = tee_pieces()
    m = shelf_marker(pcs, [(i % 5, i // 5, 0.0, False) for i in range(1000)])
    text = marker_html(m)
    assert len(embedded(text)["marker-data"]["pieces"]) == 1000
    assert len(text.encode()) < 1_500_000


def test_html_is_an_export_format(tmp_path, marker, capsys):
    assert "html" in FORMATS and "html" in DEFAULT_FORMATS
    src = write_marker(valid_small_marker(), tmp_path / "marker.json")
    main(["export", str(src), "-f", "html", "-o", str(tmp_path / "o")])
    assert embedded((tmp_path / "o" / "marker.html").read_text())["marker-data"]["pieces"]
    main(["export", "--list"])
    assert re.search(r"\* html +interactive marker page", capsys.readouterr().out)


@pytest.mark.parametrize("length,shown,title", [(1562.47, "1.562", "1.562 m × 1,500 mm"),
                                                (167518.6, "167.519", "167.519 m × 1,500 mm")])
def test_the_viewer_length_is_rounded_once(length, shown, title):
    """The viewer's length was rounded to 0.1 mm, then to 1 mm on the page: a 1,562.47 mm marker
    showed as 1.563 m where nest, kit.json and the kit's own cards say 1.562; the page title wrote
    a 167,518.6 mm marker as "167519 mm". The page's figure (the viewer shows length / 1000 to
    three places) and title agree with the rest."""
    a = Piece("Front", np.array([(0, 0), (length, 0), (length, 500), (0, 500)]), size="M")
    m = Marker((a,), Rules(width=1500), (Placement(0, 0, 0, False, (0, 0)),), length=length, name="r1")
    data = viewer_data(m)
    assert f"{data['length'] / 1000:.3f}" == shown == f"{length / 1000:.3f}"
    assert f"<title>r1: {title}</title>" in marker_html(m)
