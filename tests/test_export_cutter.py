"""Cutter files read back: HP-GL by hp2xx, Gerber NC and G-code by their replaying readers."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import ezdxf
import numpy as np
import pytest
from export_checks import match_rings, max_gap
from marker_factory import big_marker, shelf_marker, small_marker, tee_pieces, tiny_marker

from kitcut.errors import InputError, MediaError
from kitcut.formats.layout.page import build_sheet
from kitcut.formats.writing.cutorder import plan_cuts
from kitcut.formats.writing.devices import get_device, load_devices
from kitcut.formats.writing.export import export_marker, render, write_file
from kitcut.formats.writing.gcode import read_gcode
from kitcut.formats.writing.gerber_nc import MAX_KNIFE_BLOCK_MM, read_nc
from kitcut.model import Piece

GOLDEN = Path(__file__).parent / "golden"
needs_hp2xx = pytest.mark.skipif(shutil.which("hp2xx") is None, reason="hp2xx not installed")


@pytest.fixture(scope="module")
def marker():
    return small_marker()


def _hp2xx(path: Path, tmp: Path) -> tuple[str, Path]:
    out = tmp / (path.name + ".dxf")
    r = subprocess.run(
        ["hp2xx", "-m", "dxf", "-t", "-f", str(out), str(path)],
        capture_output=True,
        text=True,
        errors="replace",
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    return r.stdout + r.stderr, out


def _range(log: str) -> tuple[float, ...]:
    m = re.search(r"Coordinate range: \((-?[\d.]+), (-?[\d.]+)\) \.\.\. \((-?[\d.]+), (-?[\d.]+)\)", log)
    assert m, log
    return tuple(float(v) for v in m.groups())


@needs_hp2xx
def test_hpgl_read_by_hp2xx(tmp_path, marker):
    path = write_file(marker, tmp_path / "marker.plt")
    log, dxf = _hp2xx(path, tmp_path)
    assert "HPGL command(s) ignored: 0" in log and "Unexpected event(s):  0" in log
    outlines = marker.placed_outlines()
    lo = np.min([o.min(axis=0) for o in outlines], axis=0)
    hi = np.max([o.max(axis=0) for o in outlines], axis=0)
    assert _range(log) == pytest.approx((*np.rint(lo * 40), *np.rint(hi * 40)), abs=0.5)
    # hp2xx's own DXF (true size, shifted to its range origin) holds every outline vertex
    lines = ezdxf.readfile(dxf).modelspace().query("LINE")
    ends = np.array(
        [(e.dxf.start.x, e.dxf.start.y) for e in lines] + [(e.dxf.end.x, e.dxf.end.y) for e in lines]
    )
    for o in outlines:
        d = np.hypot(*(ends[None, :, :] - (o - lo)[:, None, :]).transpose(2, 0, 1))
        assert d.min(axis=1).max() <= 0.02


@needs_hp2xx
def test_pen_plot_extent_is_the_marker(tmp_path, marker):
    path = write_file(marker, tmp_path / "marker.pen.plt")
    log, _ = _hp2xx(path, tmp_path)
    assert "HPGL command(s) ignored: 0" in log
    assert _range(log) == pytest.approx((0, 0, 40 * marker.length, 40 * marker.width), abs=0.5)
    text = path.read_text()
    assert text.count("LB") == len(marker.placements) + 1 and text.count("\x03") == text.count("LB")


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("KITCUT_UPDATE_GOLDEN"):
        path.write_text(text, newline="")
    assert path.exists(), f"{path} missing: run with KITCUT_UPDATE_GOLDEN=1"
    assert text == path.read_bytes().decode(), f"{name} differs from the golden file"


def test_golden_tiny_files():
    m = tiny_marker()
    _golden("tiny.plt", render(m, "plt"))
    _golden("tiny.nc", render(m, "nc"))
    assert render(m, "plt") == render(m, "plt")


def test_tiny_hpgl_by_hand():
    """The tiny marker's first piece: pen, punch, notcher, then the knife round the outline."""
    text = render(tiny_marker(), "plt")
    blocks = text.split("\n")
    assert blocks[0] == "IN;" and blocks[-2] == "PU;SP0;"
    knife = [i for i, b in enumerate(blocks) if b == "PU;SP1;"]
    punch = blocks.index("PU;SP3;")
    notcher = blocks.index("PU;SP2;")
    assert punch < knife[0] and notcher < knife[0]
    # piece A (40 x 20 at x=0, y=5): the drill at (30, 15) mm, the notch at (20, 5) mm
    assert blocks[punch + 1 : punch + 3] == ["PU1200,600;", "PD;PU;"]
    assert blocks[notcher + 1 : notcher + 3] == ["PU800,200;", "PD;PU;"]
    assert "PD1600,200,1600,1000,0,1000,0,200;" in blocks or "PD0,1000,0,200,1600,200,1600,1000;" in blocks


def test_hpgl_cuts_no_move_that_rounds_to_nothing():
    """Two outline points 0.0025 mm apart (as in real AccuMark curves) round to one plotter unit:
    the knife went down on the same unit twice, a cut of no length and no direction (probe 44,
    `PD...32285,15766,32285,15766`). Every point now differs from the one before it, and the
    outline is the same."""
    sq = Piece("A", np.array([(0, 0), (40, 0), (40, 0.0025), (40, 20), (0, 20), (0.0025, 20)]), size="S")
    text = render(shelf_marker((sq,), [(0, 0, 0, False)], width=100.0, margin=5.0, name="t"), "plt")
    cuts = [[int(v) for v in b[2:-1].split(",")] for b in text.split("\n")
            if b.startswith("PD") and b != "PD;PU;"]
    assert cuts
    for c in cuts:
        pts = np.array(c).reshape(-1, 2)
        assert (np.diff(pts, axis=0) != 0).any(axis=1).all(), pts
    start = [b for b in text.split("\n") if b.startswith("PU") and "," in b][-1]
    ring = np.vstack([np.array(start[2:-1].split(","), int), np.array(cuts[-1]).reshape(-1, 2)])
    assert sorted(map(tuple, ring[:-1].tolist())) == sorted([(0, 200), (1600, 200), (1600, 1000), (0, 1000)])


def _nc_expected(marker):
    return [marker.placed_outline(p) for p in marker.placements]


def test_nc_replay_matches_outlines(marker):
    text = render(marker, "nc")
    assert text.startswith("H1*N1*") and text.endswith("M15*M0*") and "\n" not in text
    prog = read_nc(text)
    assert [p.number for p in prog.pieces] == list(range(1, len(marker.placements) + 1))
    outlines = _nc_expected(marker)
    # the last knife path of every N block frees a piece: it is a placed outline (0.254 mm grid)
    hits = match_rings([p.cuts[-1] for p in prog.pieces], outlines, 0.254)
    assert sorted(hits) == list(range(len(outlines)))
    for nc_piece, i in zip(prog.pieces, hits, strict=True):
        pl = marker.placements[i]
        piece = marker.pieces[pl.piece]
        assert len(nc_piece.drills) == len(piece.drills)
        assert len(nc_piece.cuts) == 1 + len(piece.notches) + len(piece.cutouts)
        placed_drills = pl.apply(np.array([(d.x, d.y) for d in piece.drills]).reshape(-1, 2))
        for d in nc_piece.drills:
            assert np.hypot(*(placed_drills - d).T).min() <= 0.2
        # notch slits start on the cut line
        for cut in nc_piece.cuts[:-1]:
            if len(cut) == 2:
                assert max_gap(cut[:1], outlines[i]) <= 0.254
    assert prog.max_block_knife_mm <= MAX_KNIFE_BLOCK_MM


def test_nc_long_lines_split_and_bites():
    m = big_marker(60)
    dev = get_device("gerber-conveyor")
    text = render(m, "nc", device=dev)
    prog = read_nc(text)
    plan = plan_cuts(build_sheet(m), dev)
    assert len(prog.bites_mm) == len(plan.bites) > 3
    assert all(0 < b <= dev.bite + 0.254 for b in prog.bites_mm)
    start = np.concatenate([[0.0], np.cumsum(plan.bites)])
    for job in plan.jobs:
        x0, _, x1, _ = job.piece.bounds
        assert start[job.bite] - 1e-6 <= x0 and x1 <= start[job.bite] + dev.window + 1e-6
    assert [p.bite for p in prog.pieces] == [j.bite for j in plan.jobs]
    assert prog.max_block_knife_mm <= MAX_KNIFE_BLOCK_MM



def test_conveyor_bites_do_not_drift_from_the_pieces():
    """Each M69 advance was rounded to 1/100 inch on its own: advances of 1000.14 mm (3937.56
    units) were written as 3938 each, and after 12 bites the conveyor stood 1.3 mm past the start
    of the piece it was to cut (on a real marker, 0.7 mm after 21 bites). The plan's bite starts now
    lie on the device's grid and the writer rounds the running total, so in the file (read here
    with no help from kitcut) every knife point of a piece lies within its bite's window."""
    from kitcut.model import Marker, Placement, Rules

    rect = Piece("Panel", np.array([(0, 0), (900, 0), (900, 100), (0, 100)]), size="M", quantity=13)
    pls = tuple(Placement(0, k, 0.0, False, (k * 1000.14, 10.0)) for k in range(13))
    m = Marker((rect,), Rules(width=300.0, margin=10.0, spacing=8.0), pls, length=12 * 1000.14 + 900)
    dev = get_device("gerber-conveyor")
    fed, piece, knife, bites, xs = 0, None, False, [], {}
    for block in render(m, "nc", device=dev).split("*"):
        w = dict((a, int(v)) for a, v in re.findall(r"([A-Z])(-?\d+)", block))
        if "N" in w:
            piece = w["N"]
        if w.get("M") == 69:
            bites.append(w["Z"])
            fed += w["Z"]
        if w.get("M") in (14, 15):
            knife = w["M"] == 14
        if knife and "X" in w:
            xs.setdefault(piece, []).append((w["X"] - fed) * 0.254)  # mm from the window's start
    assert len(bites) == 12 and max(bites) * 0.254 <= dev.bite
    assert len(xs) == 13
    for k, x in xs.items():
        assert min(x) >= 0 and max(x) <= dev.window + 0.127, k

def test_nc_reader_rejects_damage():
    with pytest.raises(InputError, match="H1"):
        read_nc("N1*M0*")
    with pytest.raises(InputError, match="M0"):
        read_nc("H1*N1*X0Y0*")
    with pytest.raises(InputError, match="unknown code M77"):
        read_nc("H1*N1*M77*M0*")


@pytest.mark.parametrize("device", ["cnc-knife", "laser"])
def test_gcode_replay_matches_outlines(device):
    marker = small_marker(width=get_device(device).media_width)  # the table's width
    text = render(marker, "gcode", device=device)
    assert text.splitlines()[1:3] == ["G21", "G90"] and text.rstrip().endswith("M2")
    prog = read_gcode(text, device)
    assert len(prog.pieces) == len(marker.placements)
    dev = get_device(device)
    knife = dev.tool_for("cut").number
    outlines = _nc_expected(marker)
    last = [[p for p in paths if p.tool == knife][-1].points for paths in prog.pieces]
    hits = match_rings(last, outlines, 0.001)
    assert sorted(hits) == list(range(len(outlines)))
    assert len(prog.hits) == sum(len(marker.pieces[p.piece].drills) for p in marker.placements)
    assert f"F{dev.tool_for('cut').speed * 60:g}" in text


def test_cut_order_inner_first_and_shorter_air():
    m = big_marker(80)
    sheet = build_sheet(m)
    plan = plan_cuts(sheet, get_device("hpgl-cutter"))
    assert sorted(j.piece.index for j in plan.jobs) == list(range(len(m.placements)))
    for job in plan.jobs:
        kinds = [op.feature for op in job.ops]
        assert kinds[-1] == "cut" and "cut" not in kinds[:-1]
        assert np.allclose(job.ops[-1].points[0], job.ops[-1].points[-1])
    assert plan.air_mm < 0.5 * plan.air_unordered_mm


def test_device_file_overrides(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(
        '[shop-cutter]\nprotocol = "hpgl"\nunits_per_mm = 40.0\nflip_y = true\nmedia_width = 1600.0\n'
        'tools.cut = { kind = "knife", number = 5, speed = 100.0, force = 80 }\n'
    )
    devs = load_devices(f)
    assert "hpgl-cutter" in devs and devs["shop-cutter"].tool_for("cut").number == 5
    text = render(tiny_marker(), "plt", device="shop-cutter", device_file=f)
    assert "SP5;" in text and "FS80;" in text and "SP3;" not in text
    # flip_y: y measured from the far edge of the 1600 mm media (piece A spans y 5..25 mm)
    assert "0,63800" in text and "1600,63000" in text and "1600,1000" not in text
    f.write_text('[bad]\nprotocol = "hpgl"\nspeeed = 3\ntools.cut = { kind = "knife" }\n')
    with pytest.raises(InputError, match="unknown setting"):
        load_devices(f)
    with pytest.raises(InputError, match="unknown device 'nope'"):
        render(tiny_marker(), "plt", device="nope")


def test_device_file_from_any_editor(tmp_path):
    """A device file saved with a byte-order mark or as UTF-16 reads as UTF-8 does; one in a
    legacy code page is a clear error, not a traceback."""
    text = ('# Schneidplotter für Halle 2\n[shop-cutter]\nprotocol = "hpgl"\nunits_per_mm = 40.0\n'
            'tools.cut = { kind = "knife", number = 5 }\n')
    f = tmp_path / "mine.toml"
    for data in (b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("utf-16")):
        f.write_bytes(data)
        assert load_devices(f)["shop-cutter"].tool_for("cut").number == 5
    f.write_bytes(text.encode("cp1252"))
    with pytest.raises(InputError, match=r"device file: not UTF-8 text \(byte 0xFC at line 1, column 19: "
                                         r"byte 19 of the file\); save it as UTF-8"):
        load_devices(f)


def test_nc_dense_piece_is_thinned_within_tolerance():
    from marker_factory import shelf_marker

    from kitcut.formats.writing.gerber_nc import MAX_POINTS_PER_PIECE
    from kitcut.model import Piece

    t = np.linspace(0, 2 * np.pi, 4000, endpoint=False)
    disc = Piece("Disc", np.column_stack([300 * np.cos(t), 300 * np.sin(t)]))
    m = shelf_marker((disc,), [(0, 0, 0, False)], width=700.0)
    prog = read_nc(render(m, "nc"))
    cut = prog.pieces[0].cuts[-1]
    assert len(cut) <= MAX_POINTS_PER_PIECE
    assert max_gap(cut, m.placed_outline(m.placements[0])) <= 0.254
    assert max_gap(m.placed_outline(m.placements[0]), cut) <= 0.1 + 0.254


def test_knife_only_hpgl_cuts_notches_as_slits():
    m = tiny_marker()
    text = render(m, "plt", device="hpgl-knife")
    assert "SP1;" in text and "SP2" not in text and "SP3" not in text and "LB" not in text
    # the notch (20, 0) -> (20, 4) of piece A at (0, 5): a knife slit from the cut line inward
    assert "PU800,200;\nPD800,360;" in text


def test_two_opt_improves_nearest_neighbour():
    from kitcut.formats.writing.cutorder import order_points, two_opt

    rng = np.random.default_rng(3)
    pts = rng.uniform(0, 1000, size=(120, 2))

    def tour(order):
        p = np.vstack([[0.0, 0.0], pts[order]])
        return float(np.hypot(*np.diff(p, axis=0).T).sum())

    nn = order_points(pts, (0.0, 0.0))
    better = two_opt(pts, nn, (0.0, 0.0))
    assert sorted(better) == list(range(len(pts)))
    assert tour(better) < 0.97 * tour(nn)


def test_bad_placement_is_an_export_error():
    from kitcut.errors import ExportError
    from kitcut.model import Marker, Placement

    m = tiny_marker()
    bad = Marker(
        m.pieces, m.rules, (*m.placements, Placement(7, 0, 0.0, False, (0.0, 0.0))), m.length, name="bad"
    )
    with pytest.raises(ExportError, match="placement 2 refers to piece 7"):
        render(bad, "nc")


def test_write_to_stdout(capsys):
    write_file(tiny_marker(), "-", "nc")
    assert capsys.readouterr().out == (GOLDEN / "tiny.nc").read_text()


@needs_hp2xx
def test_swapped_axes_device_by_hp2xx(tmp_path, marker):
    f = tmp_path / "dev.toml"
    f.write_text(
        '[swapped]\nprotocol = "hpgl"\nswap_xy = true\nlabels = true\n'
        'tools.cut = { kind = "knife", number = 1 }\ntools.pen = { kind = "pen", number = 2 }\n'
    )
    path = write_file(marker, tmp_path / "m.plt", device="swapped", device_file=f)
    log, _ = _hp2xx(path, tmp_path)
    assert "HPGL command(s) ignored: 0" in log
    outlines = marker.placed_outlines()
    lo = np.min([o.min(axis=0) for o in outlines], axis=0)
    hi = np.max([o.max(axis=0) for o in outlines], axis=0)
    # device x runs across the fabric (marker y), device y along the roll
    assert _range(log) == pytest.approx((lo[1] * 40, lo[0] * 40, hi[1] * 40, hi[0] * 40), abs=0.5)


def test_overcut_runs_past_the_start():
    dev = get_device("cnc-knife")
    assert dev.overcut == 1.0
    prog = read_gcode(render(tiny_marker(), "gcode", device=dev), dev)
    cut = [p for p in prog.pieces[0] if p.tool == dev.tool_for("cut").number][-1].points
    # closed, then 1 mm further along the first edge, still on the outline
    back = int(np.argmin(np.hypot(*(cut[1:] - cut[0]).T))) + 1
    assert np.allclose(cut[back], cut[0]) and back == len(cut) - 2
    assert np.hypot(*(cut[-1] - cut[0])) == pytest.approx(1.0, abs=1e-3)
    assert max_gap(cut[-1:], tiny_marker().placed_outline(tiny_marker().placements[0])) <= 1e-3


def test_grain_lines_are_drawn_on_their_piece():
    """A pen draws the grain where the piece lies. CLO draws a 180 mm grain on a 20 mm strap and
    some exports draw it beside the piece: drawn as it was, the pen crossed the next piece. The
    part on the piece is drawn when it holds half the line; else a grain of the same direction
    through the piece's middle. Its direction (and so its arrow and label angle) is kept."""
    from marker_factory import shelf_marker
    from shapely.geometry import LineString, Polygon

    from kitcut.model import Line, Piece

    strap = Piece("Strap", np.array([(0, 0), (20, 0), (20, 300), (0, 300)]), size="M",
                  grain=Line(np.array([(10, 60), (10, 240)])))  # inside: drawn as it is
    long = Piece("Tab", np.array([(0, 0), (120, 0), (120, 20), (0, 20)]), size="M",
                 grain=Line(np.array([(-30, 10), (150, 10)])))  # 180 mm on a 120 mm tab
    beside = Piece("Yoke", np.array([(0, 0), (200, 0), (200, 100), (0, 100)]), size="M",
                   grain=Line(np.array([(190, -40), (10, -40)])))  # 40 mm below it, pointing -x
    m = shelf_marker((strap, long, beside), [(0, 0, 0, False), (1, 0, 90, False), (2, 0, 0, False)],
                     width=400.0, name="grain")
    sheet = build_sheet(m)
    by = {p.piece.name: p for p in sheet.pieces}
    for name, p in by.items():
        (shaft,) = [s.points for s in p.grain[:1]]
        poly = Polygon(p.outline)
        assert poly.buffer(1e-6).covers(LineString(shaft)), name
        drawn = np.asarray(m.pieces[[q.name for q in m.pieces].index(name)].grain.points)
        ends = p.placement.apply(drawn[[0, -1]])
        want = ends[1] - ends[0]
        got = shaft[-1] - shaft[0]
        cross = abs(float(got[0] * want[1] - got[1] * want[0]))
        assert float(got @ want) > 0 and cross < 1e-6 * float(np.hypot(*got) * np.hypot(*want)), name
    assert np.ptp(by["Strap"].grain[0].points, axis=0).max() == pytest.approx(180.0)
    assert np.ptp(by["Tab"].grain[0].points, axis=0).max() == pytest.approx(120.0)
    assert np.ptp(by["Yoke"].grain[0].points, axis=0).max() == pytest.approx(120.0)  # 0.6 of its 200 mm


NARROW = '''
[my-flip]
protocol = "hpgl"
media_width = 1300.0
flip_y = true
tools.cut = { kind = "knife", number = 1 }

[narrow-conveyor]
protocol = "gerber-nc"
units_per_mm = 3.937007874015748
media_width = 1300.0
bite = 500.0
window = 700.0
tools.cut = { kind = "knife", number = 1 }
'''


@pytest.mark.parametrize("fmt, device", [("gcode", "cnc-knife"), ("plt", "my-flip"),
                                         ("nc", "narrow-conveyor")])
def test_marker_wider_than_the_device_media_is_refused(tmp_path, fmt, device):
    """Before, a 1500 mm marker went to a 1300 mm table silently: G-code with Y up to 1318, or on
    a device measuring y from the far selvedge (flip_y) y from -18; a conveyor bites along the roll
    only, so its width is checked too. Now it is an error naming the device, its media width and
    the fabric's width, before any file is written."""
    f = tmp_path / "dev.toml"
    f.write_text(NARROW)
    m = small_marker()
    with pytest.raises(InputError) as ei:
        export_marker(m, tmp_path / "out", [fmt], device=device, device_file=f)
    assert str(ei.value) == (
        f"device '{device}' takes media 1300 mm wide, but the fabric is 1500 mm wide (margins included); "
        "use a device with wider media or nest on narrower fabric")
    assert not (tmp_path / "out").exists()
    assert export_marker(small_marker(width=1300.0), tmp_path / "ok", [fmt], device=device, device_file=f)


def _gcode_xy(text: str) -> np.ndarray:
    """Every X/Y a G-code file moves to (an independent reading: modal X and Y words)."""
    pos, out = [0.0, 0.0], []
    for line in text.splitlines():
        words = dict(re.findall(r"([XY])(-?[\d.]+)", line.split("(")[0]))
        if words:
            pos = [float(words.get("X", pos[0])), float(words.get("Y", pos[1]))]
            out.append(pos)
    return np.array(out)


SHIFTED = '''
[shifted-laser]
protocol = "gcode"
units_per_mm = 1.0
media_width = 1400.0
origin = [0.0, 100.0]
tools.cut = { kind = "knife", number = 1, on = "M3", off = "M5" }
'''


def test_fabric_wider_than_the_media_is_refused_whatever_the_pieces_span(tmp_path):
    """The check compared how wide the drawing was, not where it lay: pieces from y 60 to 1440 on
    1500 mm fabric (60 mm margins) went to the 1400 mm laser (G-code Y up to 1440), and a device
    whose origin shifts the fabric 100 mm across took 1350 mm fabric (Y up to 1450 on 1400 mm
    media). The fabric lies from 0 to its width: it must fit the media as the device places it,
    and every coordinate of the file lies within 0..media_width."""
    f = tmp_path / "dev.toml"
    f.write_text(SHIFTED)
    m = shelf_marker(tee_pieces(), [(i, 0, 0, False) for i in range(5)] * 2, width=1500.0, margin=60.0)
    ys = np.concatenate([o[:, 1] for o in m.placed_outlines()])
    assert ys.min() >= 60 and np.ptp(ys) < 1400  # the pieces span less than the laser's media
    with pytest.raises(MediaError) as ei:
        export_marker(m, tmp_path / "out", ["gcode"], device="laser")
    assert str(ei.value) == ("device 'laser' takes media 1400 mm wide, but the fabric is 1500 mm wide "
                             "(margins included); use a device with wider media or nest on narrower fabric")
    assert not (tmp_path / "out").exists()
    narrow = shelf_marker(tee_pieces(), [(i, 0, 0, False) for i in range(5)], width=1350.0, margin=10.0)
    with pytest.raises(MediaError) as ei:
        export_marker(narrow, tmp_path / "out", ["gcode"], device="shifted-laser", device_file=f)
    assert str(ei.value) == ("device 'shifted-laser' takes media 1400 mm wide, but its origin puts the "
                             "fabric (1350 mm wide) at 100.0 to 1450.0 mm across it; use a device with wider "
                             "media or nest on narrower fabric")
    assert not (tmp_path / "out").exists()
    for width, device in ((1400.0, "laser"), (1300.0, "shifted-laser")):
        ok = shelf_marker(tee_pieces(), [(i, 0, 0, False) for i in range(5)], width=width, margin=10.0)
        (path,) = export_marker(ok, tmp_path / device, ["gcode"], device=device, device_file=f)
        y = _gcode_xy(path.read_text())[:, 1]
        assert y.min() >= 0 and y.max() <= 1400.0


def _hpgl_strokes(text: str) -> list[tuple[int, np.ndarray]]:
    """An independent HP-GL replay: (pen number, points in mm) of every pen-down stroke; a plunge
    (``PD;`` with no coordinates) is a stroke of one point."""
    out: list[tuple[int, np.ndarray]] = []
    pen, pos, cur = 0, (0.0, 0.0), None
    for cmd in text.replace("\n", "").split(";"):
        op, args = cmd[:2], cmd[2:]
        if op == "LB" or op not in ("SP", "PU", "PD"):
            continue
        if op == "SP":
            pen = int(args or 0)
            continue
        nums = [float(v) for v in args.split(",")] if args else []
        pts = list(zip(nums[0::2], nums[1::2], strict=True))
        if op == "PU":
            if cur is not None:
                out.append((pen, np.array(cur) / 40.0))
            cur = None
        elif cur is None:
            cur = [pos]
        if op == "PD":
            cur += pts
        pos = pts[-1] if pts else pos
    return out


def _notch_marker():
    """Pieces with V, slot and slit notches on slanted and straight edges, rotated and mirrored."""
    from kitcut.model import Notch, Piece

    kite = Piece("Kite", np.array([(0, 0), (200, 0), (260, 120), (40, 160)]), size="M", notches=(
        Notch(100, 0, 90.0, "v", 4.0, 3.0), Notch(230, 60, 153.43, "v", 5.0, 3.0),
        Notch(150, 140, -99.46, "u", 3.0, 2.0), Notch(20, 80, -26.57, "slit", 5.0)))
    return shelf_marker((kite,), [(0, 0, 0, False), (0, 1, 90, True), (0, 2, 30, False), (0, 3, 180, True)],
                        width=800.0, name="notches")


def test_notcher_hits_the_notch_not_a_corner_of_its_v():
    """A notcher plunges at the notch. It was handed the first point of the drawn V (or slot),
    a corner half the notch's width beside the notch along the edge: every hit of a V-notch was
    1.5 mm off on a 3 mm V. Now each hit is on its notch (within 0.05 mm); a knife still cuts the
    V's shape (hpgl-knife: slits)."""
    m = _notch_marker()
    want = np.array([pl.apply(np.array([(n.x, n.y)]))[0] for pl in m.placements
                     for n in m.pieces[pl.piece].notches])
    notcher = get_device("hpgl-cutter").tool_for("notch").number
    hits = np.array([pts[0] for pen, pts in _hpgl_strokes(render(m, "plt")) if pen == notcher])
    assert len(hits) == len(want) == 16
    d = np.hypot(*(hits[None, :, :] - want[:, None, :]).transpose(2, 0, 1))
    assert sorted(d.argmin(axis=1).tolist()) == list(range(16)) and d.min(axis=1).max() <= 0.05
    # the knife-only cutter cuts each notch's drawn shape: a V is its three corners
    sheet = build_sheet(m)
    shapes = [s.points for p in sheet.pieces for s in p.notches]
    cut = [pts for _, pts in _hpgl_strokes(render(m, "plt", device="hpgl-knife")) if len(pts) <= 4]
    assert len(cut) == 16
    for s in shapes:
        assert min(np.abs(c - s).max() for c in cut if len(c) == len(s)) <= 0.05


def test_pen_plot_title_fits_inside_the_frame_of_a_short_marker():
    """The pen plot's title was centred at most at half the marker's length, whatever its length:
    on a 50 mm marker it started at PU-1878 (47 mm before the frame). Now it is smaller, then
    shortened, so that it (each label's whole text, as the plotter lays it out) lies inside the
    frame and no coordinate of the file is negative."""
    from kitcut.model import Marker, Piece, Placement, Rules

    sq = Piece("Lapje", np.array([(0, 0), (40, 0), (40, 30), (0, 30)]), size="M")
    m = Marker((sq,), Rules(width=1500.0, margin=5.0), (Placement(0, 0, 0.0, False, (5.0, 5.0)),),
               length=50.0, name="nctools_lapjes_cutter-splines")
    text = render(m, "pen.plt")
    nums = [float(v) for args in re.findall(r"(?:PU|PD)([-\d,]+);", text) for v in args.split(",")]
    assert min(nums) >= 0
    labels = re.findall(r"PU(-?\d+),(-?\d+);\n?DI([-\d.]+),([-\d.]+);SI([\d.]+),([\d.]+);LB([^\x03]*)\x03",
                        text)
    assert len(labels) == 2
    title = labels[0]
    assert title[6] == "nctools_lapjes_cutter-s..."
    for x, y, dx, dy, w, h, s in labels:
        start = np.array([int(x), int(y)]) / 40.0
        # HP-GL: a character cell is 1.5 x the SI width (cm), the text runs along DI
        end = start + np.array([float(dx), float(dy)]) * 15.0 * float(w) * len(s)
        top = start + np.array([-float(dy), float(dx)]) * 10.0 * float(h)
        for p in (start, end, top, end + top - start):
            assert 0 <= p[0] <= 50.0 and 0 <= p[1] <= 1500.0, (s, p)


def _gcode_paths(text: str) -> list[tuple[str, np.ndarray]]:
    """Each tool-on run of a G-code file (independent reading): its on word and its points."""
    pos, on, out = np.zeros(2), None, []
    for line in text.splitlines():
        if line in ("M3", "M7", "M8"):
            on = (line, [pos.copy()])
        elif line in ("M5", "M9"):
            out.append((on[0], np.array(on[1])))
            on = None
        elif words := dict(re.findall(r"([XY])(-?[\d.]+)", line)):
            pos = np.array([float(words.get("X", pos[0])), float(words.get("Y", pos[1]))])
            if on:
                on[1].append(pos)
    return out


def test_marks_stay_on_their_piece_and_each_notch_is_cut_once():
    """A pen line the CAD ran 0.4 mm past the cut line was drawn as it was (x = -0.4 mm, before the
    marker's start); a V-notch at the selvedge, not square to its edge, had a knife arm reaching
    0.75 mm past the selvedge (y < 0), one at a corner both arms outside the piece; a notch listed
    twice was cut twice. Now pen lines are cut to their piece, a V's corners lie on the cut line
    (its tip where it was) and each place's notch is cut once: every point of the file is on the
    piece."""
    from shapely.geometry import LinearRing, Point, Polygon

    from kitcut.model import Line, Marker, Notch, Piece, Placement, Rules

    v60 = Notch(100, 0, 60.0, "v", 4.0, 3.0)
    panel = Piece("Panel", np.array([(0, 0), (200, 0), (200, 100), (0, 100)]), size="M",
                  notches=(v60, v60, Notch(0, 0, 45.0, "v", 4.0, 3.0)),
                  internal_lines=(Line(np.array([(-0.4, 50), (200.3, 50)])),),
                  sew_lines=(Line(np.array([(-0.3, 10), (190, 10), (190, 100.2)])),))
    m = Marker((panel,), Rules(width=400.0, margin=0.0), (Placement(0, 0, 0.0, False, (0.0, 0.0)),),
               length=200.0, name="marks")
    paths = _gcode_paths(render(m, "gcode", device="cnc-knife"))
    poly, ring = Polygon(panel.outline), LinearRing(panel.outline)
    for _, pts in paths:
        for p in pts:
            assert poly.distance(Point(p)) <= 0.001, p
    assert min(p[1] for _, pts in paths for p in pts) >= 0 and min(p[0] for _, pts in paths for p in pts) >= 0
    notches = [pts for word, pts in paths if word == "M3" and len(pts) == 3]  # a V: corner, tip, corner
    assert len(notches) == 2
    tips = sorted(tuple(np.round(v[1], 3)) for v in notches)
    assert tips == [(2.828, 2.828), (102.0, 3.464)]
    for v in notches:
        assert ring.distance(Point(v[0])) <= 0.001 and ring.distance(Point(v[2])) <= 0.001
    pen = [pts for word, pts in paths if word == "M7"]
    ends = [sorted(map(tuple, pts[[0, -1]].tolist())) for pts in pen]
    assert [(0.0, 50.0), (200.0, 50.0)] in ends and [(0.0, 10.0), (190.0, 100.0)] in ends
