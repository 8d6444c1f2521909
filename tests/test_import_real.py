"""``nest info`` on the real pattern files of ../shared/data (skipped where absent), checked
against values computed independently here: raw entities read with ezdxf, outlines
polygonized with shapely; benchmark instances by the shoelace formula. Plus the import time
of a generated 500-piece AAMA file."""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict

import ezdxf
import numpy as np
import pytest
import shapely
from conftest import DXF_DIR, shared_file
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import polygonize
from test_import_errors import nest

from kitcut.formats.reading.dxf_read import read_dxf

AAMA_FILES = [
    "DEEP_ARMHOLE_RACER.DXF", "GLX4802S19_AAMA.DXF", "GLX4802S19_ASTM.DXF", "GMH1004F15-2.DXF",
    "GMH1006F18_AAMA.DXF", "GMH1006F18_ASTM.DXF", "GMX1016S18_AAMA.DXF", "MEN_CLASSIC_TEE.DXF",
    "ORILEGWB_AAMA.DXF", "WM_SLIM_TANK.DXF", "annotation.DXF", "clo-box.dxf", "clo-pattern.dxf",
    "drill-holes.DXF", "mirrored.DXF", "simple.DXF",
    # bundled in tests/data/real: a CLO 2025 export in ASTM form, an AccuMark ASTM export, and
    # a tank whose back crosses itself in three sizes
    "A232F4ORU001.dxf", "ORILEGWB_ASTM.DXF", "WM_LOOSE_SHAPE_TANK.DXF",
]
#: Files whose outlines cross themselves somewhere: they need --repair.
NEEDS_REPAIR = {"DEEP_ARMHOLE_RACER.DXF", "WM_LOOSE_SHAPE_TANK.DXF"}


def info_json(path, *opts) -> dict:
    code, out, err = nest("info", str(path), "--json", *opts)
    assert code == 0, err
    return json.loads(out)


def _independent_aama(path):
    """Per block: (area mm² of the full piece, size text, quantity text) from the raw file."""
    doc = ezdxf.readfile(str(path))
    msp = doc.modelspace()
    texts = [e.dxf.text for e in msp.query("TEXT")]
    units = [t.split(":", 1)[1].strip().upper() for t in texts if t.upper().startswith("UNITS:")]
    scale = 25.4 if units and units[0] == "ENGLISH" else 1.0
    out = {}
    for ins in msp.query("INSERT"):
        blk = doc.blocks[ins.dxf.name]
        count = {la: sum(len(e.vertices) for e in blk.query("POLYLINE") if e.dxf.layer == la)
                 for la in ("1", "84")}
        lay = "84" if count["84"] > count["1"] else "1"  # AccuMark's 84: the denser curve; CLO's: a polygon
        lines = []
        for e in blk.query("POLYLINE"):
            pts = [tuple(v.dxf.location)[:2] for v in e.vertices]
            if e.dxf.layer == lay and len(pts) > 1:
                lines.append(LineString(pts + pts[:1] if e.is_closed else pts))
        faces = list(polygonize(shapely.unary_union(lines)))
        poly = max(faces, key=lambda f: f.area)
        area = poly.area
        folds = [e for e in blk.query("LINE") if e.dxf.layer == "6"]
        if folds:
            a, b = folds[0].dxf.start, folds[0].dxf.end
            if all(poly.exterior.distance(Point(p.x, p.y)) < 0.01 for p in (a, b)):
                area *= 2
        size = [t.dxf.text.split(":", 1)[1].strip() for t in blk.query("TEXT")
                if t.dxf.text.upper().replace(" ", "").startswith("SIZE:")]
        out[ins.dxf.name] = (area * scale**2, size[0] if size else None)
    return out, ("in" if scale != 1 else "mm")


@pytest.mark.parametrize("name", AAMA_FILES)
def test_aama_files_match_an_independent_reading(name):
    path = shared_file("dxf", name)
    opts = ("--repair",) if name in NEEDS_REPAIR else ()
    data = info_json(path, *opts)
    expect, unit = _independent_aama(path)
    assert data["units_in"] == unit
    assert data["units_rule"] == "Units text"
    assert data["piece_count"] == len(expect) == len(data["pieces"])
    repaired = {w.split("'")[1] for w in data["warnings"] if w.startswith("repair: piece '")
                and "self-intersecting outline repaired" in w}
    assert bool(repaired) == (name in NEEDS_REPAIR)
    for p in data["pieces"]:
        area, size = expect[p["block"]]
        label = f"{p['name']} ({p['size']})" if p["size"] else p["name"]
        # a repaired outline keeps its largest part only; this reading takes the chords between
        # the curve points, kitcut the curve through them (up to 0.6 % apart on GMH1006F18, 0.73 % on
        # DEEP_ARMHOLE_RACER's back, whose armhole chords lie 4.3 mm inside the curve; how near the
        # curve is to AccuMark's own: tests/test_import_curve_points.py)
        if label not in repaired:
            assert p["area_mm2"] == pytest.approx(area, rel=1e-2), p["block"]
        assert p["size"] == size
        assert p["has_grain"]
    total = sum(p["area_mm2"] * p["quantity"] for p in data["pieces"])
    assert data["total_area_mm2"] == pytest.approx(total)
    assert data["copies"] == sum(p["quantity"] for p in data["pieces"])


def test_a_self_intersecting_real_piece_is_an_error_without_repair():
    # the back of sizes 48, 50 and 52 is drawn away from its own grain and internal lines and its
    # half crosses its mirror line: loops of thousands of mm², no hairline
    path = shared_file("dxf", "DEEP_ARMHOLE_RACER.DXF")
    code, out, err = nest("info", str(path))
    assert code == 2 and out == ""
    assert err.startswith(f"nest: error: {path}: piece 'DEEP ARMHOLE RACERBK (48)': self-intersecting "
                          "outline (self-intersection at (968.7, 579.1)): loop(s) of 9117.4, 3789.5, "
                          "266.7 mm² on a piece of 48840 mm², more than hairlines")
    assert err.rstrip().endswith(
        "rerun with --repair to keep its largest part (to cut the other sizes, leave size(s) 48, 50, 52 out: "
        "--sizes 26,28,30,32,34,36,38,40,42,44,46); 2 more piece(s) cannot be used either: "
        "'DEEP ARMHOLE RACERBK (50)', 'DEEP ARMHOLE RACERBK (52)'")


def test_hairline_loops_of_a_real_piece_are_repairs_and_other_sizes_are_cut():
    # only the sizes cut are checked: the broken backs of 48-52 are remarks of a job cutting 26 and 44
    path = shared_file("dxf", "DEEP_ARMHOLE_RACER.DXF")
    data = info_json(path, "--sizes", "26,44=2")
    got = sorted((p["name"], p["size"], p["quantity"]) for p in data["pieces"])
    assert got == [("DEEP ARMHOLE RACE FR", "26", 1), ("DEEP ARMHOLE RACE FR", "44", 2),
                   ("DEEP ARMHOLE RACERBK", "26", 1), ("DEEP ARMHOLE RACERBK", "44", 2)]
    assert data["sizes"] == [str(s) for s in range(26, 54, 2)]
    broken = [w for w in data["warnings"] if "not usable, but size" in w]
    assert [w.split("'")[1] for w in broken] == [f"DEEP ARMHOLE RACERBK ({s})" for s in (48, 50, 52)]
    # the remarks on the pieces of the sizes not cut are one line, not one per remark
    assert not any("RACE FR (50)" in w for w in data["warnings"])
    (folded,) = [w for w in data["warnings"] if "which this job does not cut" in w]
    assert folded == ("skipped: 47 remark(s) on pieces of size(s) 28, 30, 32, 34, 36, 38, 40, 42, 46, 48, "
                      "50, 52, which this job does not cut, not listed (nest info without --sizes lists "
                      "them)")
    # the front of size 50 crosses itself in a loop of 1.1 mm²: a hairline, removed and reported
    data = info_json(path, "--sizes", "26,50", "--repair")
    hair = [w for w in data["warnings"] if w.startswith("repair: piece 'DEEP ARMHOLE RACE FR (50)'")]
    assert len(hair) == 1 and "hairline loop(s) of 1.1 mm² removed, area 122341.2 -> 122342.3 mm²" in hair[0]
    # a job that cuts a broken size stops, naming it; --strict refuses the hairline repair too
    code, _, err = nest("info", str(path), "--sizes", "52")
    assert code == 2 and "piece 'DEEP ARMHOLE RACERBK (52)': self-intersecting outline" in err
    code, _, err = nest("info", str(path), "--sizes", "26,50", "--strict")
    assert code == 2 and "hairline loop(s) of 1.1 mm² removed" in err and "not allowed with --strict" in err


def test_astm_quantities_folds_and_drills():
    glx = {(p["name"], p["size"]): p for p in info_json(shared_file("dxf", "GLX4802S19_ASTM.DXF"))["pieces"]}
    assert (glx[("GLX4802SLS", "36")]["quantity"], glx[("GLX4802SLS", "36")]["flipped"]) == (2, 1)
    assert (glx[("GLX4802SLS", "26")]["quantity"], glx[("GLX4802SLS", "26")]["flipped"]) == (2, 1)
    aama = {(p["name"], p["size"]): p for p in info_json(shared_file("dxf", "GLX4802S19_AAMA.DXF"))["pieces"]}
    assert (aama[("GLX4802SLS", "36")]["quantity"], aama[("GLX4802SLS", "36")]["flipped"]) == (2, None)
    ann = info_json(shared_file("dxf", "annotation.DXF"))
    assert {p["quantity"] for p in ann["pieces"]} == {0} and ann["total_area_mm2"] == 0
    assert any("Quantity 0: the file says this piece is not cut" in w for w in ann["warnings"])
    tank = info_json(shared_file("dxf", "WM_SLIM_TANK.DXF"))
    assert all(p["folded"] for p in tank["pieces"])
    half = info_json(shared_file("dxf", "WM_SLIM_TANK.DXF"), "--keep-folded")
    for full, h in zip(tank["pieces"], half["pieces"], strict=True):
        assert h["area_mm2"] == pytest.approx(full["area_mm2"], rel=1e-6)  # area of the full piece
        assert full["height_mm"] == pytest.approx(2 * h["height_mm"], rel=1e-4)
    drills = info_json(shared_file("dxf", "GMX1016S18_AAMA.DXF"))
    raw = ezdxf.readfile(str(shared_file("dxf", "GMX1016S18_AAMA.DXF")))
    n13 = sum(1 for b in raw.blocks for e in b if e.dxftype() == "POINT" and e.dxf.layer == "13")
    assert n13 == 15
    # drills of fold pieces are mirrored too (unless on the fold line), so at least as many
    assert sum(p["drills"] for p in drills["pieces"]) >= n13


def test_fast_reader_agrees_with_ezdxf_on_a_real_file():
    path = shared_file("dxf", "GMH1006F18_ASTM.DXF")
    a, b = read_dxf(path), read_dxf(path, fast=False)
    assert [(p.label, round(p.area, 6), len(p.notches)) for p in a.pieces] == \
        [(p.label, round(p.area, 6), len(p.notches)) for p in b.pieces]
    # (ezdxf invents handles for the ATTDEFs AccuMark writes without one: compare the messages)
    assert [(e.kind, e.message) for e in a.report.entries] == [(e.kind, e.message) for e in b.report.entries]


def test_optitex_plain_export_is_cm_confirmed_by_area_texts():
    path = shared_file("dxf", "optitex25_basic-tee_plain-dxf_cm.dxf")
    data = info_json(path)
    assert (data["units_in"], data["units_rule"]) == ("cm", "Area text")
    assert data["piece_count"] == 32
    assert Counter(p["name"] for p in data["pieces"]) == {"Back": 8, "Front": 8, "Right Sleeve": 8,
                                                          "Neck Binding": 8}
    assert len({p["size"] for p in data["pieces"]}) == 8
    assert all(p["has_grain"] for p in data["pieces"])
    # independent: per layer, the union of the closed polylines is the union of the cut lines
    doc = ezdxf.readfile(str(path))
    by_layer = defaultdict(list)
    for e in doc.modelspace().query("POLYLINE"):
        by_layer[e.dxf.layer].append(Polygon([tuple(v.dxf.location)[:2] for v in e.vertices]).buffer(0))
    expect = sum(shapely.unary_union(ps).area for ps in by_layer.values()) * 100
    assert sum(p["area_mm2"] for p in data["pieces"]) == pytest.approx(expect, rel=1e-3)
    small_front = [p for p in data["pieces"] if (p["name"], p["size"]) == ("Front", "Small")][0]
    assert small_front["quantity"] == 1


def _flat_faces(path, tol=0.01):
    from ezdxf import path as ezpath

    doc = ezdxf.readfile(str(path))
    by_layer = defaultdict(list)
    for e in doc.modelspace():
        if e.dxftype() in ("LINE", "ARC", "CIRCLE", "SPLINE", "LWPOLYLINE"):
            pts = [(v.x, v.y) for v in ezpath.make_path(e).flattening(tol)]
            by_layer[e.dxf.layer].append(LineString(pts))
    return {k: shapely.unary_union(list(polygonize(shapely.set_precision(shapely.unary_union(v), 1e-4))))
            for k, v in by_layer.items()}


def test_nctools_cutter_drawings():
    sirex = shared_file("dxf", "nctools_snijtest-sirex_cutter.dxf")
    data = info_json(sirex)
    assert (data["units_in"], data["units_rule"]) == ("mm", "size check")
    (p,) = data["pieces"]
    faces = _flat_faces(sirex)
    hole = faces["deel 2"].area
    assert hole == pytest.approx(math.pi * 15**2, rel=1e-3)
    assert p["cutouts"] == 1
    assert p["area_mm2"] == pytest.approx(faces["deel 1"].area - hole, rel=1e-3)
    lapjes = shared_file("dxf", "nctools_lapjes_cutter-splines.dxf")
    data = info_json(lapjes)
    assert (data["units_in"], data["units_rule"]) == ("mm", "$INSUNITS")
    faces = _flat_faces(lapjes)
    expect = sum(g.area for k, g in faces.items() if k.startswith("deel"))
    assert data["piece_count"] == sum(len(getattr(g, "geoms", [g])) for k, g in faces.items()
                                      if k.startswith("deel"))
    assert data["total_area_mm2"] == pytest.approx(expect, rel=1e-3)


@pytest.mark.parametrize("name", ["shirts", "trousers", "swim"])
def test_esicup_instances(name):
    path = shared_file("esicup", f"{name}.json")
    raw = json.loads(path.read_text())
    data = info_json(path)
    assert data["units"] == "unit" and data["fabric_width"] == raw["strip_height"]
    assert data["piece_count"] == len(raw["items"])
    assert data["copies"] == sum(i["demand"] for i in raw["items"])

    def shoelace(pts):
        a = np.asarray(pts, float)
        x, y = a[:, 0], a[:, 1]
        return abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2

    expect = sum(shoelace(i["shape"]["data"]) * i["demand"] for i in raw["items"])
    assert data["total_area_mm2"] == pytest.approx(expect, rel=1e-9)
    for p, item in zip(data["pieces"], raw["items"], strict=True):
        assert p["quantity"] == item["demand"]
        assert p["allowed_rotations"] == item.get("allowed_orientations")


def test_free_rotation_instance():
    from kitcut.formats.reading.read import read_pattern

    pat = read_pattern(shared_file("esicup", "swim_c.json"))
    assert all(p.nap == "free" and p.allowed_rotations is None for p in pat.pieces)


# -- performance ----------------------------------------------------------------------------------

def write_aama_text(path, n=500, verts=100, chain=10):
    """An AccuMark-like R12 file written as text: n piece blocks, each a chain of ``chain``
    polylines (``verts`` vertices in all), grain and grade lines, notches, an internal line."""
    t = np.linspace(0, 2 * math.pi, verts, endpoint=False)
    out = ["0\nSECTION\n2\nHEADER\n0\nENDSEC\n0\nSECTION\n2\nBLOCKS\n"]
    handle = 0x100

    def h():
        nonlocal handle
        handle += 1
        return f"{handle:X}"

    for k in range(n):
        r = 100 + k % 50
        ring = np.c_[2 * r * np.cos(t), r * np.sin(t) + 0.1 * r * np.sin(5 * t)]
        out.append(f"0\nBLOCK\n8\n1\n2\nP{k}_M\n70\n0\n10\n0.0\n20\n0.0\n30\n0.0\n3\nP{k}_M\n")
        for idx in np.array_split(np.arange(verts), chain):
            out.append(f"0\nPOLYLINE\n5\n{h()}\n8\n1\n66\n1\n10\n0.0\n20\n0.0\n30\n0.0\n")
            for j in [*idx, (idx[-1] + 1) % verts]:
                x, y = ring[j]
                out.append(f"0\nVERTEX\n5\n{h()}\n8\n1\n10\n{x:.4f}\n20\n{y:.4f}\n30\n0.0\n")
            out.append(f"0\nSEQEND\n5\n{h()}\n8\n1\n")
        for text in (f"Piece Name: P{k}", "Size: M", "Quantity: 1,1"):
            out.append(f"0\nTEXT\n5\n{h()}\n8\n1\n10\n0.0\n20\n0.0\n30\n0.0\n40\n1.0\n1\n{text}\n")
        for layer in ("7", "5"):
            out.append(f"0\nLINE\n5\n{h()}\n8\n{layer}\n10\n{-r}\n20\n0.0\n30\n0.0\n11\n{r}\n21\n0.0\n31\n0.0\n")
        for q in range(4):
            x, y = ring[q * verts // 4]
            out.append(f"0\nPOINT\n5\n{h()}\n8\n4\n10\n{x:.4f}\n20\n{y:.4f}\n30\n-4.0\n")
        out.append(f"0\nENDBLK\n5\n{h()}\n8\n1\n")
    out.append("0\nENDSEC\n0\nSECTION\n2\nENTITIES\n")
    out.append(f"0\nTEXT\n5\n{h()}\n8\n1\n10\n0.0\n20\n0.0\n30\n0.0\n40\n1.0\n1\nUnits: METRIC\n")
    for k in range(n):
        out.append(f"0\nINSERT\n5\n{h()}\n8\n1\n2\nP{k}_M\n10\n0.0\n20\n0.0\n30\n0.0\n")
    out.append("0\nENDSEC\n0\nEOF\n")
    path.write_text("".join(out))
    return path


def test_500_piece_file_imports_whole(tmp_path):
    # its import time is measured by `python -m bench import`, not asserted here
    path = write_aama_text(tmp_path / "p500.dxf")
    pat = read_dxf(path)
    assert len(pat.pieces) == 500 and pat.copies == 1000
    assert all(len(p.notches) == 4 and p.grain is not None for p in pat.pieces)
    r = 100
    ring = Polygon(np.c_[2 * r * np.cos(np.linspace(0, 2 * math.pi, 100, endpoint=False)),
                         r * np.sin(np.linspace(0, 2 * math.pi, 100, endpoint=False))
                         + 0.1 * r * np.sin(5 * np.linspace(0, 2 * math.pi, 100, endpoint=False))])
    assert pat.pieces[0].area == pytest.approx(ring.area, rel=1e-6)


def test_every_shared_dxf_is_covered():
    if not DXF_DIR.exists():
        pytest.skip("shared data not present")
    covered = set(AAMA_FILES) | {"optitex25_basic-tee_plain-dxf_cm.dxf", "nctools_lapjes_cutter-splines.dxf",
                                 "nctools_snijtest-sirex_cutter.dxf"}
    assert {p.name for p in DXF_DIR.iterdir() if p.suffix.lower() == ".dxf"} <= covered


@pytest.mark.parametrize("name", ["clo-pattern.dxf", "GMH1006F18_ASTM.DXF", "WM_SLIM_TANK.DXF",
                                  "optitex25_basic-tee_plain-dxf_cm.dxf"])
def test_real_notches_sit_on_the_cut_line_and_cut_inwards(name):
    from kitcut.formats.reading.read import read_pattern

    pat = read_pattern(shared_file("dxf", name))
    count = 0
    for p in pat.pieces:
        poly = Polygon(p.outline)
        for n in p.notches:
            count += 1
            assert poly.exterior.distance(Point(n.x, n.y)) < 0.5, (p.label, n)
            a = math.radians(n.angle_deg)
            assert poly.contains(Point(n.x + math.cos(a), n.y + math.sin(a))), (p.label, n)
    assert count > 0


@pytest.mark.parametrize("name", sorted(set(AAMA_FILES) | {"optitex25_basic-tee_plain-dxf_cm.dxf",
                                                           "nctools_lapjes_cutter-splines.dxf"}))
def test_every_mark_of_a_real_piece_lies_on_it(name):
    """What a pen or a drill marks on a piece lies on the piece: internal and sew lines within
    half a millimetre of the outline, drills inside it. Real AAMA exports draw reference and
    dimension lines beside a piece on its internal-line layer (MEN_CLASSIC_TEE: 155 lines wholly
    beside a piece), which a plotter drew over the next piece and off the fabric; they are left
    out, and a line crossing the cut line keeps its part on the piece. (207 before NM marks kept
    the lines that start at them: two lines a mark should have kept on one half were mirrored off
    the piece; 205 before the sample size's NM marks reached the other sizes: in those, 50 of
    the mirrored copies of one-sided lines lay wholly off the piece.)"""
    from kitcut.formats.reading.read import read_pattern

    pat = read_pattern(shared_file("dxf", name), repair=name in NEEDS_REPAIR)
    lines = 0
    for p in pat.pieces:
        grown = Polygon(p.outline).buffer(0.5 + 1e-6)
        for ln in (*p.internal_lines, *p.sew_lines):
            lines += 1
            assert grown.covers(LineString(ln.points)), (p.label, ln.points[:3])
        for d in p.drills:
            assert Polygon(p.outline).contains(Point(d.x, d.y)), (p.label, d)
    left_out = sum(int(e.message.split()[0]) for e in pat.report.entries
                   if "drawn outside the piece" in e.message)
    if name == "MEN_CLASSIC_TEE.DXF":
        assert lines > 750 and left_out == 155


def _reading(path) -> list:
    from kitcut.formats.reading.read import read_pattern

    pieces = read_pattern(path, repair=True).pieces
    return sorted(((p.name, p.size, p.quantity, p.flipped, len(p.notches), len(p.drills), len(p.cutouts),
                    len(p.internal_lines), sum(len(ln.points) for ln in p.internal_lines),
                    p.grain is not None, p.folded, p.unfolded), p.area) for p in pieces)


#: A drawing moved and turned as a whole, and one mirrored and turned at an odd angle.
_WHOLE = {"turned far away": ezdxf.math.Matrix44.chain(ezdxf.math.Matrix44.z_rotate(math.pi),
                                                       ezdxf.math.Matrix44.translate(-7.3e4, 3.1e4, 0)),
          "mirrored at 37°": ezdxf.math.Matrix44.chain(ezdxf.math.Matrix44.scale(-1, 1, 1),
                                                       ezdxf.math.Matrix44.z_rotate(math.radians(37)))}


@pytest.mark.parametrize("how", sorted(_WHOLE))
@pytest.mark.parametrize("name", sorted(AAMA_FILES + ["optitex25_basic-tee_plain-dxf_cm.dxf",
                                                      "nctools_lapjes_cutter-splines.dxf"]))
def test_a_real_file_moved_turned_or_mirrored_as_a_whole_reads_the_same(tmp_path, name, how):
    """Every piece of a real export reads the same wherever and however the whole drawing lies:
    names, sizes, quantities, marks and areas. An NM ("not mirrored") mark where two internal
    lines meet was given to either by rounding: turned, `annotation.DXF` and `mirrored.DXF`
    mirrored another line of the GMG fronts. AccuMark writes the mark at its line's first
    point, and every mark is now given to the line that starts there."""
    path = shared_file("dxf", name)
    doc = ezdxf.readfile(str(path))
    for e in doc.modelspace():
        e.transform(_WHOLE[how])
    doc.saveas(tmp_path / name)
    want, got = _reading(path), _reading(tmp_path / name)
    assert [k for k, _ in got] == [k for k, _ in want]
    assert [a for _, a in got] == pytest.approx([a for _, a in want], rel=1e-6)  # µm at 7e4 mm


def test_every_nm_mark_of_a_real_file_keeps_its_own_line_on_one_half(monkeypatch):
    """AccuMark writes an NM mark at the first point of the internal line it keeps on one half
    of a fold piece. Two lines meet at some marks; each of the 135 marks of the real files now
    keeps a line of its own (before, 124 lines: a mark was given to a line another mark had)."""
    from kitcut.formats.reading import build, mark_place
    from kitcut.formats.reading.read import read_pattern

    seen = []

    def spy(internal, pts):
        got = mark_place.nm_lines(internal, pts)
        seen.append((len(pts), len(got)))
        for p in pts:  # at the first point of a line
            assert any(len(q[0]) >= 2 and math.dist(q[0][0], p) < 0.01 for q in internal)
        return got

    monkeypatch.setattr(build, "nm_lines", spy)
    for name in ("DEEP_ARMHOLE_RACER.DXF", "GMH1004F15-2.DXF", "GMX1016S18_AAMA.DXF",
                 "MEN_CLASSIC_TEE.DXF", "WM_SLIM_TANK.DXF", "annotation.DXF", "drill-holes.DXF",
                 "mirrored.DXF"):
        read_pattern(shared_file("dxf", name), repair=True)
    marks, kept = map(sum, zip(*seen, strict=True))
    assert (marks, kept) == (135, 135)


_SHUFFLED = ["GMH1006F18_ASTM.DXF", "clo-pattern.dxf", "optitex25_basic-tee_plain-dxf_cm.dxf",
             "nctools_lapjes_cutter-splines.dxf"]


@pytest.mark.parametrize("seed", [7, 11])
@pytest.mark.parametrize("name", _SHUFFLED)
def test_a_real_file_with_its_entities_in_another_order_reads_the_same(tmp_path, name, seed):
    """A CAD may list a drawing's entities in any order. Listed in another, GMH1006F18_ASTM lost
    the slit notch of a front: its slit, drawn as two lines where two pieces of the cut line
    meet, was chained past (see ``test_a_slit_drawn_as_two_lines_is_a_notch_in_any_order``)."""
    import random

    path = shared_file("dxf", name)
    doc = ezdxf.readfile(str(path))
    rnd = random.Random(seed)
    for layout in [doc.modelspace(), *(b for b in doc.blocks if not b.name.startswith("*"))]:
        ents = list(layout)
        rnd.shuffle(ents)
        for e in ents:
            layout.unlink_entity(e)
        for e in ents:
            layout.add_entity(e)
    doc.saveas(tmp_path / name)
    want, got = _reading(path), _reading(tmp_path / name)
    assert [k for k, _ in got] == [k for k, _ in want]
    assert [a for _, a in got] == pytest.approx([a for _, a in want], rel=1e-9)


@pytest.mark.parametrize("name", ["GMH1004F15-2.DXF", "GMH1006F18_ASTM.DXF", "DEEP_ARMHOLE_RACER.DXF"])
def test_a_real_file_with_its_cut_lines_drawn_the_other_way_reads_the_same(tmp_path, name):
    """A cut line drawn the other way round reads the same. GMH1004F15-2's back in size 52 has a
    0.099 mm backtrack at a corner: the repair dropped the first turning vertex in the file's
    order, so drawn the other way it dropped the other one, and the area moved by 0.8 mm²."""
    path = shared_file("dxf", name)
    doc = ezdxf.readfile(str(path))
    for blk in doc.blocks:
        for e in list(blk.query("POLYLINE")):
            if e.dxf.layer in ("1", "84") and not any(v.dxf.get("bulge", 0) for v in e.vertices):
                pts = [tuple(v.dxf.location)[:2] for v in e.vertices][::-1]
                closed, layer = e.is_closed, e.dxf.layer
                blk.delete_entity(e)
                blk.add_polyline2d(pts, close=closed, dxfattribs={"layer": layer})
    doc.saveas(tmp_path / name)
    want, got = _reading(path), _reading(tmp_path / name)
    assert [k for k, _ in got] == [k for k, _ in want]
    assert [a for _, a in got] == pytest.approx([a for _, a in want], rel=1e-9)


@pytest.mark.parametrize(("name", "prefix", "repair"), [("GMX1016S18_AAMA.DXF", "GMX1016S18BK_", False),
                                                        ("DEEP_ARMHOLE_RACER.DXF", "", True)])
def test_a_real_file_with_its_blocks_exploded_reads_without_a_traceback(tmp_path, name, prefix, repair):
    """Every size of a piece exploded into model space (stacked at 0,0) crashed the plain reader
    with a bare KeyError: a notch symbol was found on a line later taken for no piece. It now
    reads (the symbol on no piece is reported)."""
    from kitcut.formats.reading.read import read_pattern

    doc = ezdxf.readfile(str(shared_file("dxf", name)))
    msp = doc.modelspace()
    for ins in list(msp.query("INSERT")):
        if ins.dxf.name.startswith(prefix):
            ins.explode()
        else:
            msp.delete_entity(ins)
    doc.saveas(tmp_path / name)
    pat = read_pattern(tmp_path / name, repair=repair)
    assert len(pat.pieces) > 10


def test_straight_edges_written_as_splines_read_without_a_traceback(tmp_path):
    """The Optitex export with every straight segment written as a cubic SPLINE on its chord (the
    same geometry) crashed with AttributeError ('MultiPolygon' has no 'exterior') where a seam
    allowance was looked for. It reads as the polylines do: the same 32 pieces and areas."""
    from kitcut.formats.reading.read import read_pattern

    path = shared_file("dxf", "optitex25_basic-tee_plain-dxf_cm.dxf")
    doc = ezdxf.readfile(str(path))
    doc.dxfversion = "AC1032"
    msp = doc.modelspace()
    for e in list(msp.query("LWPOLYLINE POLYLINE")):
        pts = [tuple(p)[:2] for p in (e.get_points("xy") if e.dxftype() == "LWPOLYLINE" else
                                       (v.dxf.location for v in e.vertices))]
        if e.is_closed if e.dxftype() == "POLYLINE" else e.closed:
            pts.append(pts[0])
        layer = e.dxf.layer
        msp.delete_entity(e)
        for a, b in zip(pts, pts[1:], strict=False):
            cps = [(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, 0.0) for t in (0, 1 / 3, 2 / 3, 1)]
            msp.add_open_spline(cps, degree=3, dxfattribs={"layer": layer})
    doc.saveas(tmp_path / "splines.dxf")
    want, got = read_pattern(path), read_pattern(tmp_path / "splines.dxf")
    assert len(got.pieces) == len(want.pieces) == 32
    areas = sorted(p.area for p in want.pieces)
    assert sorted(p.area for p in got.pieces) == pytest.approx(areas, rel=1e-3)
