"""Marker report (JSON and PDF), the print PDF, and export_marker's default set."""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest
from marker_factory import small_marker, tiny_marker

from kitcut.formats.layout.page import build_sheet, ring_length
from kitcut.formats.layout.pdf_print import EDGE, registration_marks
from kitcut.formats.writing.export import DEFAULT_FORMATS, FORMATS, export_marker, render, write_file
from kitcut.formats.writing.gerber_nc import read_nc
from kitcut.formats.writing.report import marker_report

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
PT = 72.0 / 25.4


@pytest.fixture(scope="module")
def marker():
    return small_marker()


def test_report_figures(marker):
    rep = marker_report(marker, "gerber")
    assert rep["length_mm"] == pytest.approx(marker.length, abs=0.05)
    assert rep["efficiency"] == pytest.approx(marker.efficiency, abs=1e-4)
    assert rep["fabric_length_mm"] == pytest.approx(marker.length + 2 * 20.0, abs=0.05)
    assert rep["pieces"] == 7 and rep["pieces_per_size"] == {"M": 6, "S": 1}
    expect_cut = sum(
        ring_length(o) + sum(ring_length(p.apply(c)) for c in marker.pieces[p.piece].cutouts)
        for o, p in zip(marker.placed_outlines(), marker.placements, strict=True)
    )
    assert rep["cut_length_mm"] == pytest.approx(expect_cut, abs=0.1)
    assert rep["notch_count"] == 8 and rep["drill_count"] == 5
    # the NC file knife-down length = outlines + cut-outs + notch slits
    prog = read_nc(render(marker, "nc"))
    assert prog.knife_mm == pytest.approx(rep["knife_length_mm"] + rep["notch_cut_length_mm"], rel=2e-3)
    t = rep["cutting_time_s"]
    assert t["knife"] == pytest.approx(rep["knife_length_mm"] / 300.0, abs=0.1)
    assert t["drills"] == pytest.approx(5 * 0.5, abs=0.05)
    assert t["total"] == pytest.approx(sum(v for k, v in t.items() if k != "total"), abs=0.2)
    assert rep["air_move_mm"] <= rep["air_move_unordered_mm"]


def test_report_json_written_and_deterministic(tmp_path, marker):
    a = write_file(marker, tmp_path / "m.report.json")
    data = json.loads(a.read_text())
    assert data["format"] == "kitcut-marker-report" and data["device"] == "hpgl-cutter"
    assert write_file(marker, tmp_path / "n.report.json").read_bytes() == a.read_bytes()
    g = json.loads(write_file(marker, tmp_path / "g.report.json", device="hpgl-knife").read_text())
    assert g["device"] == "hpgl-knife" and g["cutting_time_s"]["knife"] > data["cutting_time_s"]["knife"]


@needs_poppler
def test_report_and_print_pdf(tmp_path, marker):
    path = write_file(marker, tmp_path / "m.report.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert f"{marker.length:,.1f} mm" in text and "Estimated cutting time" in text
    path = write_file(marker, tmp_path / "m.print.pdf")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    w, h = (float(v) for v in info.split("Page size:")[1].split("pts")[0].split(" x "))
    assert (w / PT, h / PT) == pytest.approx((marker.length + 2 * EDGE, marker.width + 2 * EDGE), abs=0.05)
    marks = registration_marks(build_sheet(marker))
    ys = {y for _, y in marks}
    assert ys == {-EDGE / 2, marker.width + EDGE / 2}
    assert np.diff(sorted({x for x, _ in marks})).max() <= 500.0


def test_export_marker_default_set(tmp_path):
    paths = export_marker(tiny_marker(), tmp_path / "out")
    assert [p.name for p in paths] == [f"marker.{f}" for f in DEFAULT_FORMATS]
    assert all(p.stat().st_size > 0 for p in paths)
    assert not list((tmp_path / "out").glob(".*.tmp"))
    every = export_marker(tiny_marker(), tmp_path / "all", list(FORMATS), stem="t")
    assert len(every) == len(FORMATS)


def test_efficiency_rounded_once_in_every_file(tmp_path):
    """0.488461 is 48.8 %: rounding the report's 4-digit fraction (0.4885) again gave 48.9 % in
    report.pdf while marker.pdf, marker.svg and pen.plt said 48.8 %."""
    import re
    from dataclasses import replace

    from pypdf import PdfReader

    from kitcut.formats.writing.export import export_marker

    m = small_marker()
    m = replace(m, length=m.pieces_area / (0.488461 * m.width))
    assert round(m.efficiency, 4) == 0.4885 and f"{100 * m.efficiency:.1f}" == "48.8"
    export_marker(m, tmp_path, ["report.json", "report.pdf", "pdf", "svg"])
    assert json.loads((tmp_path / "marker.report.json").read_text())["efficiency_pct"] == 48.8
    for name in ("marker.report.pdf", "marker.pdf"):
        text = " ".join(p.extract_text() for p in PdfReader(tmp_path / name).pages)
        assert re.findall(r"(?i)efficiency\s*([\d.]+)\s*%", text) == ["48.8"], name
    assert "48.9" not in (tmp_path / "marker.svg").read_text()


@needs_poppler
def test_a_report_for_a_device_too_narrow_for_the_fabric_gives_no_cutting_time(tmp_path, marker):
    """`nest --export` on fabric wider than the default cutter leaves marker.plt out with a note,
    but report.json and report.pdf gave 88.5 s of cutting on that cutter for a file that was not
    written. The report says why the device cannot cut it, and gives no time."""
    dev = tmp_path / "dev.toml"
    dev.write_text('[narrow]\nprotocol = "hpgl"\nmedia_width = 500.0\n'
                   'tools.cut = { kind = "knife", number = 1, speed = 250.0 }\n')
    written = write_file(marker, tmp_path / "m.report.json", device="narrow", device_file=dev)
    rep = json.loads(written.read_text())
    assert rep["device"] == "narrow" and rep["cutting_time_s"] is None
    assert rep["device_misfit"] == (f"device 'narrow' takes media 500 mm wide, but the fabric is "
                                    f"{marker.width:g} mm wide (margins included)")
    assert marker_report(marker, "hpgl-cutter")["device_misfit"] is None
    path = write_file(marker, tmp_path / "m.report.pdf", device="narrow", device_file=dev)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    assert "Estimated cutting time" in text and "takes media 500 mm wide" in " ".join(text.split())


def test_a_marker_in_inches_draws_drills_and_notches_their_size_in_mm():
    """Drill diameters and notch depths are millimetres in every marker. In a marker whose unit is
    the inch the drawings took a 3 mm drill for 3 inches (a circle 76 mm wide), while the notch
    stayed 5 mm deep; the marker DXF took both for inches."""
    from dataclasses import replace as dc_replace

    from kitcut.formats.writing.dxf_marker import marker_document

    mm = tiny_marker()
    inch = dc_replace(mm, pieces=tuple(dc_replace(p, outline=p.outline / 25.4, drills=tuple(
        dc_replace(d, x=d.x / 25.4, y=d.y / 25.4) for d in p.drills), notches=tuple(
        dc_replace(n, x=n.x / 25.4, y=n.y / 25.4) for n in p.notches)) for p in mm.pieces),
        placements=tuple(dc_replace(pl, translation=(pl.translation[0] / 25.4, pl.translation[1] / 25.4))
                         for pl in mm.placements), length=mm.length / 25.4,
        rules=dc_replace(mm.rules, width=mm.rules.width / 25.4), units="in")
    a, b = build_sheet(mm), build_sheet(inch)
    holes = [[h.diameter for p in s.pieces for h in p.drills] for s in (a, b)]
    assert holes[0] == holes[1] and holes[0]
    for pa, pb in zip(a.pieces, b.pieces, strict=True):
        for na, nb in zip(pa.notches, pb.notches, strict=True):
            assert np.allclose(na.points, nb.points, atol=1e-6)
    za = sorted(e.dxf.location.z for e in marker_document(mm).query("POINT") if e.dxf.layer == "13")
    zb = sorted(e.dxf.location.z for e in marker_document(inch).query("POINT") if e.dxf.layer == "13")
    assert za == pytest.approx(zb)
