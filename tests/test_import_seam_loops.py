"""A piece's sew line drawn as a second loop of its cut line (on the cut layer), as FreeSewing's
DXF export draws every line of a piece on layer 1, is its sew line: before, it was taken as a
cut-out, the piece came out as a frame as wide as the seam allowance, and the cutter file cut
the piece apart. A hole on the cut line (AAMA draws it on layers 1 and 11) stays a cut-out."""

from __future__ import annotations

import json

import ezdxf
import numpy as np
import pytest
from checker import check_marker
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon
from test_import_dxf import aama_doc, add_piece, both, save
from test_main_job import nest

from kitcut.formats.reading.dxf_read import read_dxf
from kitcut.formats.reading.read import read_pattern


def _ring(poly) -> list[tuple[float, float]]:
    return [tuple(map(float, p)) for p in list(poly.exterior.coords)[:-1]]


def _cut_line(seam, allowance: float):
    return _ring(Polygon(seam).buffer(allowance, join_style="mitre"))


def _freesewing_like(path, parts) -> None:
    """A DXF laid out as FreeSewing's plugin-export-dxf writes one (written here, line by line):
    comment lines (999) first, a TABLES section whose layer names a misspelt line type, no
    HEADER, one BLOCK per part holding every path of the part as a POLYLINE flagged closed (70 =
    1, no 66 flag), the seam line, the cut line and the grain line (two points, flagged closed)
    alike, all on layer 1, each block inserted at (0, 0), and no text at all."""
    out = ["999", "plugin-export-dxf | v2.0", "999", "Pattern: tee | v2.0",
           "  0", "SECTION", "  2", "TABLES", "  0", "TABLE", "  2", "LTYPE", "  0", "LTYPE", "  2",
           "CONTINUOUS", "  3", "SOLIDLINE", " 72", "65", " 73", "0", " 40", "0.00", "  0", "ENDTAB",
           "  0", "TABLE", "  2", "LAYER", "  0", "LAYER", "  2", "1", " 62", "7", "  6", "CONTINIOUS",
           "  0", "ENDTAB", "  0", "ENDSEC", "  0", "SECTION", "  2", "BLOCKS"]

    def polyline(pts):
        out.extend(["  0", "POLYLINE", "  8", "1", " 70", "1"])
        for x, y in [*pts, pts[0]]:
            out.extend(["  0", "VERTEX", "  8", "1", " 10", f"{round(x, 2)}", " 20", f"{round(y, 2)}"])
        out.extend(["  0", "SEQEND"])

    for name, seam, allowance, grain in parts:
        out.extend(["  0", "BLOCK", "  8", "1", "  2", name, " 70", "0", " 10", "0.00", " 20", "0.00"])
        polyline(seam)
        polyline(_cut_line(seam, allowance))
        polyline(grain)
        out.extend(["  0", "ENDBLK"])
    out.extend(["  0", "ENDSEC", "  0", "SECTION", "  2", "ENTITIES"])
    for name, *_ in parts:
        out.extend(["  0", "INSERT", "  8", "1", "  2", name, " 10", "0.00", " 20", "0.00"])
    out.extend(["  0", "ENDSEC", "  0", "EOF", ""])
    path.write_text("\n".join(out))


FRONT = [(0, 0), (180, 0), (215, 35), (260, 60), (260, 700), (0, 700)]
BACK = [(300, 0), (480, 0), (520, 30), (560, 40), (560, 700), (300, 700)]
SLEEVE = [(600, 150), (700, 60), (900, 60), (1000, 150), (960, 450), (640, 450)]
TEE = [("front", FRONT, 10.0, [(100, 100), (100, 600)]),
       ("back", BACK, 10.0, [(400, 100), (400, 600)]),
       ("sleeve", SLEEVE, 15.0, [(800, 150), (800, 400)])]


def test_a_freesewing_like_export_reads_whole_pieces_with_their_sew_lines(tmp_path):
    path = tmp_path / "tee.dxf"
    _freesewing_like(path, TEE)
    pat = both(path)
    got = {p.name: p for p in pat.pieces}
    assert sorted(got) == ["back", "front", "sleeve"]
    for name, seam, allowance, _ in TEE:
        p = got[name]
        cut = Polygon(_cut_line(seam, allowance))
        assert p.area == pytest.approx(cut.area, rel=1e-4)  # the whole piece, not a frame
        assert not p.cutouts
        (sew,) = p.sew_lines
        assert Polygon(sew.points).symmetric_difference(Polygon(seam)).area < 1e-3 * Polygon(seam).area
    said = [e.message for e in pat.report.entries]
    assert said.count("a second closed loop on the cut line runs along the outline, 10.0 to 14.1 mm inside "
                      "it: taken as the sew line, not cut (a sew line belongs on layer 14, a cut-out on "
                      "layer 11)") == 2
    assert said.count("a closed loop on the cut line encloses no area (a line drawn as a loop); "
                      "not used") == 3
    assert not [m for m in said if "cut-out" in m and "taken as a cut-out" in m]


def test_the_smallest_job_on_a_freesewing_like_export(tmp_path):
    """One garment of it, nested and exported: a valid marker of the whole pieces, and a marker
    DXF (re-read with ezdxf) whose cut layer holds each piece's cut line alone, its sew line on
    the sew layer."""
    path = tmp_path / "tee.dxf"
    _freesewing_like(path, TEE)
    out = tmp_path / "out"
    r = nest(str(path), "--time", "1", "--workers", "1", "--seed", "1", "-o", str(out), "--export")
    assert r.returncode == 0, r.stderr
    data = json.loads((out / "marker.json").read_text())
    assert check_marker(data) == []
    want = {name: Polygon(_cut_line(seam, a)).area for name, seam, a, _ in TEE}
    got = {p["name"]: Polygon(p["outline"]).area for p in data["instance"]["pieces"]}
    assert got == pytest.approx(want, rel=1e-4)  # (the export rounds to 0.01 mm)
    doc = ezdxf.readfile(out / "marker.dxf")
    for name in want:
        on = {"1": [], "11": [], "14": []}
        for e in doc.blocks[name].query("POLYLINE LWPOLYLINE"):
            on.setdefault(e.dxf.layer, []).append(Polygon([tuple(v)[:2] for v in e.points()]).area)
        assert on["1"] == [pytest.approx(want[name], rel=1e-4)] and on["11"] == [] and len(on["14"]) == 1


@pytest.mark.parametrize("twice", [False, True])
def test_a_hole_on_the_cut_line_stays_a_cut_out(tmp_path, twice):
    """A small hole, and a neck facing's hole 60 mm in from its outer edge (a ring piece), are
    cut-outs; so is a loop along the outline that the cut-out layer (11) holds too."""
    doc = aama_doc()
    outer = [(0, 0), (300, 0), (300, 200), (0, 200)]
    hole = [(100, 80), (140, 80), (140, 120), (100, 120)]
    add_piece(doc, "A_M", [outer, hole], closed=True, texts=["Piece Name: A", "Size: M"])
    ring = [(0, 0), (320, 0), (320, 340), (0, 340)]
    neck = [(60, 60), (260, 60), (260, 280), (60, 280)]
    add_piece(doc, "B_M", [ring, neck], closed=True, texts=["Piece Name: B", "Size: M"])
    band = [(10, 10), (290, 10), (290, 190), (10, 190)]

    def on_eleven(blk):
        if twice:
            blk.add_polyline2d(band, close=True, dxfattribs={"layer": "11"})
    add_piece(doc, "C_M", [outer, band], closed=True, texts=["Piece Name: C", "Size: M"], extra=on_eleven)
    pat = both(save(doc, tmp_path))
    got = {p.name: p for p in pat.pieces}
    assert got["A"].area == pytest.approx(300 * 200 - 40 * 40) and len(got["A"].cutouts) == 1
    assert got["B"].area == pytest.approx(320 * 340 - 200 * 220) and len(got["B"].cutouts) == 1
    if twice:
        assert got["C"].area == pytest.approx(300 * 200 - 280 * 180) and len(got["C"].cutouts) == 1
        assert not got["C"].sew_lines
    else:
        assert got["C"].area == pytest.approx(300 * 200) and not got["C"].cutouts
        assert len(got["C"].sew_lines) == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(allowance=st.floats(5.0, 25.0), ox=st.floats(-5e4, 5e4), oy=st.floats(-5e4, 5e4),
       turn=st.sampled_from([0.0, 90.0, 180.0, 33.0]), w=st.floats(150.0, 600.0), h=st.floats(60.0, 900.0))
def test_any_seam_allowance_origin_and_turn(tmp_path_factory, allowance, ox, oy, turn, w, h):
    """A piece drawn anywhere, turned, with its sew line at any common allowance on the cut layer:
    one piece of the cut line's area, its sew line kept, nothing cut out."""
    t = np.radians(turn)
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    seam = np.array([(0, 0), (w, 0), (w, h), (0.5 * w, 1.1 * h), (0, h)]) @ rot.T + (ox, oy)
    seam = [tuple(map(float, p)) for p in seam]
    cut = _cut_line(seam, allowance)
    doc = aama_doc()
    add_piece(doc, "P_M", [cut, seam], closed=True, texts=["Piece Name: P", "Size: M"])
    pat = read_pattern(save(doc, tmp_path_factory.mktemp("seam")))
    (p,) = pat.pieces
    assert p.area == pytest.approx(Polygon(cut).area, rel=1e-6) and not p.cutouts
    assert len(p.sew_lines) == 1


def test_a_file_without_header_declares_no_units_to_either_reader(tmp_path):
    """ezdxf gives a file without a HEADER section its default ``$INSUNITS`` (6, metres): the
    full reader took the export's millimetres for metres (pieces 700 m long) where the fast
    reader guessed mm from the sizes. Both now say no units are declared and guess mm."""
    path = tmp_path / "tee.dxf"
    _freesewing_like(path, TEE)
    for fast in (True, False):
        pat = read_dxf(path, fast=fast)
        assert max(p.area for p in pat.pieces) < 3e5, fast
        assert any(e.message.startswith("no units declared: mm guessed from the piece sizes")
                   for e in pat.report.entries), fast


def test_nest_info_counts_the_sew_lines(tmp_path):
    """`nest info` shows what became of the loops: no cut-out, one sew line a piece (a column and
    a JSON field of their own)."""
    path = tmp_path / "tee.dxf"
    _freesewing_like(path, TEE)
    r = nest("info", str(path), "--json")
    assert r.returncode == 0, r.stderr
    got = {p["name"]: (p["cutouts"], p["sew_lines"]) for p in json.loads(r.stdout)["pieces"]}
    assert got == {"front": (0, 1), "back": (0, 1), "sleeve": (0, 1)}
    r = nest("info", str(path))
    lines = r.stdout.splitlines()
    head = [c.strip() for c in next(ln for ln in lines if "┃" in ln).split("┃")]
    sew = head.index("sew")
    assert head[sew - 2: sew + 2] == ["cut-out", "int.", "sew", "fold"]
    rows = [[c.strip() for c in ln.split("│")] for ln in lines if ln.startswith(("front", "back", "sleeve"))]
    assert [(r[0], r[sew - 2], r[sew]) for r in rows] == [("front", "0", "1"), ("back", "0", "1"),
                                                         ("sleeve", "0", "1")]
