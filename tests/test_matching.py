"""Patterned fabric end to end: match points from AAMA reference lines and match files, the
``nest`` options, orders and kits with repeats and zones, and what the drawings show.

Every marker is checked by the independent checker of ``tests/checker.py`` (which reads the
repeat, the match points and the zones from ``marker.json`` itself).
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from checker import check_marker
from conftest import SAMPLES
from test_import_dxf import aama_doc, add_piece, save

from kitcut.errors import InputError, OrderError
from kitcut.formats.reading.read import read_pattern
from kitcut.kits.kit import KitOptions, build_kit
from kitcut.kits.manifest import verify_manifest
from kitcut.kits.matching import apply_match_file
from kitcut.kits.order import load_order
from kitcut.kits.quantities import load_pattern

TEE = SAMPLES / "tee.dxf"
MATCH = """
[[match]]
piece = "Front"
point = "notch 1"

[[match]]
piece = "Sleeve"
point = "notch 2"
to = { piece = "Back", point = "notch 1" }
axes = "y"
"""


def nest(*args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kitcut", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


@pytest.fixture
def tee(tmp_path):
    """The bundled tee with its match file beside it (found by the pattern's name)."""
    path = tmp_path / "tee.dxf"
    shutil.copy(TEE, path)
    (tmp_path / "tee.match.toml").write_text(MATCH, encoding="utf-8")
    return path


def run(tmp_path, *args: str) -> dict:
    out = tmp_path / "out"
    r = nest(*args, "--time", "3", "--seed", "1", "--workers", "1", "--spacing", "2", "-o", str(out),
             "--json")
    assert r.returncode == 0, r.stderr
    marker = json.loads((out / "marker.json").read_text(encoding="utf-8"))
    rules = marker["instance"]["rules"]
    assert check_marker(marker, nap=rules["nap"], tilt=rules["tilt_deg"]) == []
    return {"result": json.loads(r.stdout), "marker": marker, "out": out}


def test_match_file_points_and_links(tee):
    pat = load_pattern(tee, sizes={"M": 1})
    m = {p.name: p.match for p in pat.pieces}
    front = next(p for p in pat.pieces if p.name == "Front")
    assert m["Front"].axes == "xy" and m["Front"].x_point == (front.notches[0].x, front.notches[0].y)
    back = next(p for p in pat.pieces if p.name == "Back")
    assert m["Back"].axes == "y" and m["Back"].y_point == (back.notches[0].x, back.notches[0].y)
    assert m["Sleeve"].axes == "y" and m["Neckband"] is None
    assert any("tee.match.toml: match points for 3 piece(s)" in e.message for e in pat.report.entries)


def test_match_file_with_a_byte_order_mark(tmp_path):
    f = tmp_path / "bom.match.toml"
    f.write_bytes(b"\xef\xbb\xbf" + b'[[match]]\npiece = "Front"\npoint = "notch 1"\n')
    pat = apply_match_file(read_pattern(TEE, sizes=["M"]), f)
    assert next(p for p in pat.pieces if p.name == "Front").match is not None
    f.write_bytes('# Vorderteil für M\n[[match]]\npiece = "Front"\npoint = "notch 1"\n'.encode("cp1252"))
    with pytest.raises(InputError, match=r"cannot read the match file: not UTF-8 text \(byte 0xFC at line 1, "
                                         r"column 15: byte 15 of the file\); save it as UTF-8"):
        apply_match_file(read_pattern(TEE, sizes=["M"]), f)


@pytest.mark.parametrize(("text", "why"), [
    ('[[match]]\npiece = "Collar"\npoint = "notch 1"\n', r"match\[0\]\.piece: no piece 'Collar'"),
    ('[[match]]\npiece = "Front"\npoint = "notch 99"\n', r"match\[0\]\.point: piece 'Front \(M\)' has 4 "
                                                           r"notch\(es\), no notch 99"),
    ('[[match]]\npiece = "Front"\npoint = "corner"\n', r"is not 'notch N', 'drill N' or \[x, y\]"),
    ('[[match]]\npiece = "Front"\npoint = [1, 2]\naxes = "z"\n', r"match\[0\]\.axes: 'z' is not x, y or xy"),
    ('[[match]]\npiece = "Front"\npoint = [1, 2]\ncolour = 3\n', r"match\[0\]\.colour: unknown field"),
    ('[[match]]\npiece = "Front"\npoint = "notch 1"\n'
     '[[match]]\npiece = "Front"\npoint = "notch 2"\naxes = "y"\n',
     r"contradictory match points for piece 'Front \(M\)' on the y axis: notch 1 \(match\[0\]\) and notch 2"),
    ("[[match]\n", "not valid TOML"),
    ('[[match]]\npiece = "Front"\npoint = [100000, 5]\n',  # 100.000 written with a decimal comma
     r"match\[0\]\.point: \(100000, 5\) is 99,\d{3} mm off piece 'Front \(M\)' \(it spans x "),
    # probe 40: NaN was an internal error (exit 1), 1e300 another, 1e18 a point 8.6 mm off its line
    ('[[match]]\npiece = "Front"\npoint = "notch 1"\noffset_mm = [nan, 0]\n',
     r"match\[0\]\.offset_mm: \[nan, 0\]: each must be a number of mm within 1 km"),
    ('[[match]]\npiece = "Front"\npoint = "notch 1"\noffset_mm = [0, 1e18]\n',
     r"match\[0\]\.offset_mm: \[0, 1e\+18\]: each must be a number of mm within 1 km"),
    ('[[match]]\npiece = "Front"\npoint = "notch 1"\noffset_mm = [-inf, 0]\n', r"match\[0\]\.offset_mm: "),
    # a size the file does not have is no size left out: still an error
    ('[[match]]\npiece = "Front (XXXL)"\npoint = "notch 1"\n',
     r"match\[0\]\.piece: no piece 'Front \(XXXL\)'"),
])
def test_bad_match_files_are_clear_errors(tmp_path, text, why):
    f = tmp_path / "bad.match.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=why):
        apply_match_file(read_pattern(TEE, sizes=["M"]), f)
    r = nest(str(TEE), "--sizes", "M", "--repeat", "40,40", "--match", str(f), "--time", "1")
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.startswith(f"nest: error: {f}")


def test_stripe_and_plaid_reference_lines_are_match_points(tmp_path):
    doc = aama_doc()

    def lines(blk):
        blk.add_line((0, 0), (300, 0), dxfattribs={"layer": "7"})  # grain along x
        blk.add_polyline2d([(20, 150), (280, 150)], dxfattribs={"layer": "9"})  # a stripe: fixes y
        blk.add_polyline2d([(120, 10), (120, 190)], dxfattribs={"layer": "10"})  # a plaid line: fixes x
        blk.add_polyline2d([(10, 10), (60, 60)], dxfattribs={"layer": "10"})  # oblique: not used

    add_piece(doc, "YOKE_M", [[(0, 0), (300, 0), (300, 200), (0, 200)]], closed=True,
              texts=["Piece Name: Yoke", "Size: M"], extra=lines)
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert p.match.y_point == (20.0, 150.0) and p.match.x_point == (120.0, 10.0)
    notes = [str(e) for e in pat.report.entries]
    assert any("neither along nor across the grain" in n for n in notes)
    assert any("plaid reference line(s) read as a match point on the xy axis" in n for n in notes)


def test_a_match_file_without_a_repeat_is_a_usage_error_and_a_repeat_without_points_a_warning(tmp_path, tee):
    r = nest(str(tee), "--sizes", "M", "--match", str(tmp_path / "tee.match.toml"), "--time", "1",
             "-o", str(tmp_path / "o1"))
    assert r.returncode == 2 and "--match places pieces on a repeat: give --repeat RX,RY too" in r.stderr
    assert not (tmp_path / "o1").exists()
    (tmp_path / "tee.match.toml").unlink()  # no match points: plain fabric in all but name
    r = nest(str(tee), "--sizes", "M", "--repeat", "0,30", "--time", "1", "--workers", "1",
             "-o", str(tmp_path / "o2"))
    assert r.returncode == 0 and "nest: warning: --repeat 0,30: no piece has a match point" in r.stderr


X_ONLY = '[[match]]\npiece = "Front"\npoint = "notch 1"\naxes = "x"\n'
IDLE_X = ("the match point(s) on axis x of 'Front' are not used (the repeat 0,25 has no lines across the "
          "roll, RX = 0)")


def test_match_points_on_an_axis_the_repeat_has_no_lines_for_are_said(tmp_path, tee):
    """Probe 24: a match file giving points for x only, on stripes along the roll (``--repeat
    0,25``: no lines across it), matched nothing, and the job said "no piece has a match point:
    give them with --match FILE", the file given. It says which points the repeat cannot use."""
    match = tmp_path / "x.match.toml"
    match.write_text(X_ONLY, encoding="utf-8")
    r = nest(str(tee), "--sizes", "M", "--repeat", "0,25", "--match", str(match), "--time", "1",
             "--workers", "1", "-o", str(tmp_path / "o"))
    assert r.returncode == 0 and f"nest: note: --repeat: {IDLE_X}" in r.stderr
    assert "no piece has a match point" not in r.stderr
    assert "--repeat 0,25: no piece is matched: the repeat has no lines for the axes" in r.stderr
    order = tmp_path / "o.toml"
    order.write_text('[order]\nid = "S-1"\ncustomer = "x"\n[[garments]]\npattern = "tee.dxf"\n'
                     'match = "x.match.toml"\nsizes = { M = 1 }\n[[fabrics]]\nname = "stripe"\n'
                     'width_mm = 1500\nrepeat_mm = [0, 25]\n', encoding="utf-8")
    from kitcut.kits.plan import plan_order

    said = IDLE_X.replace("'Front'", "'S-1/tee/Front'")  # a kit's pieces are named by order and garment
    assert f"fabric 'stripe': {said}" in plan_order(load_order(order)).mixed


def test_stripes_only(tmp_path, tee):
    got = run(tmp_path, str(tee), "--sizes", "M", "--repeat", "0,25", "--phase", "0,7")
    rules = got["marker"]["instance"]["rules"]
    assert rules["repeat"] == {"x_mm": 0.0, "y_mm": 25.0, "phase": [0.0, 7.0], "symmetric": True}
    m = got["result"]["matching"]
    assert m["matched"] == ["Back (M)", "Front (M)", "Sleeve (M)"]
    assert m["cost_pct"] >= 0.0 and m["plain_length"] <= got["marker"]["solution"]["length"]


def test_stripes_on_a_one_way_nap_are_cut_one_way(tmp_path, tee):
    got = run(tmp_path, str(tee), "--sizes", "M", "--nap", "one-way", "--repeat", "0,25")  # checks the nap
    assert got["marker"]["instance"]["rules"]["nap"] == "one-way"
    assert len(got["result"]["matching"]["matched"]) == 3


def test_an_asymmetric_check_forbids_the_half_turn(tmp_path, tee):
    got = run(tmp_path, str(tee), "--sizes", "M=2", "--repeat", "40,40", "--asymmetric")
    pieces = got["marker"]["instance"]["pieces"]
    for pl in got["marker"]["solution"]["placements"]:
        g = np.asarray(pieces[pl["piece"]]["grain"], dtype=float)
        d = g[-1] - g[0]
        if pl["mirrored"]:
            d = d * [1, -1]
        a = math.radians(pl["rotation_deg"])
        world = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]]) @ d
        assert world[0] > 0 and abs(world[1]) < 1e-6 * abs(world[0])  # every grain along +x


@pytest.mark.parametrize("nap", ["one-way", "two-way", "quarter", "free"])
@pytest.mark.parametrize("symmetric", [True, False])
def test_a_matched_piece_keeps_a_nap_narrower_than_the_repeat_allows(tee, nap, symmetric):
    """Matching narrows the turns of a matched piece to the grain along the roll, and to one way
    on an asymmetric design; it never widens them: on a one-way nap a matched back was turned
    by 180° (cut against the nap, exit status 0)."""
    from kitcut.kits.marker import build_instance
    from kitcut.model import Repeat, Rules

    pattern = load_pattern(tee, sizes={"M": 1})
    rules = Rules(width=1500.0, nap=nap, tilt_deg=5.0, repeat=Repeat(y_mm=25.0, symmetric=symmetric))
    instance, sources = build_instance(pattern, rules)
    narrow = nap == "one-way" or not symmetric
    matched = 0
    for item, src in zip(instance.items, sources, strict=True):
        if item.match is None:
            continue
        matched += 1
        drawn = pattern.pieces[src.piece].grain_angle_deg
        assert not item.free_rotation
        for rot, mirrored in item.orientations:
            grain = ((-drawn if mirrored else drawn) + rot + 180.0) % 360.0 - 180.0  # on the marker
            assert min(abs(grain), 180.0 - abs(grain)) < 1e-6, (item.id, rot)  # along the roll
            if narrow:
                assert abs(grain) < 1e-6, (item.id, rot)  # never against the nap
    assert matched == 4  # front, back, and the sleeve drawn and mirrored


def test_zones_from_the_command_line(tmp_path, tee):
    got = run(tmp_path, str(tee), "--sizes", "M", "--zone", "0,0,1000,1500",
              "--zone", "1200,300,1400,600:TRIM")
    xs = [min(p[0] for p in pl["outline"]) for pl in got["marker"]["solution"]["placements"]]
    assert min(xs) >= 1002.0 - 1e-3  # the first metre is kept clear, spacing included
    svg = ET.parse(got["out"] / "marker.svg").getroot()
    zones = [e for e in svg.iter() if e.get("class") == "zone"]
    assert len(zones) == 2


@pytest.mark.parametrize(("zone", "why"), [
    ("0,-500,1000,-100", "--zone 1: x 0 to 1000, y -500 to -100 (marker mm) lies off the fabric"),
    ("-900,0,-100,500", "--zone 1: x -900 to -100, y 0 to 500 (marker mm) lies off the fabric"),
    ("0,0,1000,1500:TRIMM",
     "--zone 1: no piece is of category 'TRIMM' (the pieces' categories: BODY, SLEEVE, TRIM)"),
    # probe 24: NaN and infinity were an internal error (GEOSException, exit 1); 1e9 for 1000 a
    # 1,000 km marker, exit 0
    ("100,nan,200,200", "--zone 1: '100,nan,200,200': a coordinate is not a finite number"),
    ("0,0,inf,1500", "--zone 1: '0,0,inf,1500': a coordinate is not a finite number"),
    ("0,0,1e9,1500", "--zone 1: '0,0,1e9,1500': 1e+09 mm is more than 1 km of roll"),
])
def test_a_zone_that_keeps_nothing_clear_or_lets_a_typo_through_is_an_error(tmp_path, tee, zone, why):
    r = nest(str(tee), "--sizes", "M", "--zone", zone, "--time", "1", "-o", str(tmp_path / "o"))
    assert r.returncode == 2 and why in r.stderr and not (tmp_path / "o").exists()


def test_a_zone_category_typed_decomposed_lets_its_pieces_through(tmp_path, tee):
    """``--zone ...:TRIM`` written decomposed (NFD, as scripts built from macOS file names give
    it) or in another case names the same category; a decomposed one was refused as no piece's."""
    import unicodedata

    from kitcut.model.fabric import FabricZone, rect_ring

    zone = FabricZone(rect_ring(0, 0, 10, 10), "z", (unicodedata.normalize("NFD", "Bündchen"),))
    assert zone.allows("BÜNDCHEN") and zone.allows("bündchen") and not zone.allows("Bund")
    got = run(tmp_path, str(tee), "--sizes", "M", "--zone", "0,0,1000,1500:trim")
    assert got["marker"]["instance"]["rules"]["zones"][0]["allow"] == ["trim"]


def test_a_match_that_cannot_be_met_is_a_clear_error(tmp_path, tee):
    # one stripe line every 5 m across 1.5 m fabric, far from both selvedges: no place for the front
    r = nest(str(tee), "--sizes", "M", "--repeat", "0,5000", "--phase", "0,-2000", "--time", "1")
    assert r.returncode == 2
    assert "piece 'Front (M)': its match point cannot fall on the repeat" in r.stderr
    r = nest(str(tee), "--sizes", "M", "--repeat", "0,0", "--time", "1")
    assert r.returncode == 2 and "--repeat: '0,0': both >= 0 and not both 0" in r.stderr


ORDER = """[order]
id = "PLAID-1"
customer = "mill"

[[garments]]
pattern = "tee.dxf"
sizes = {{ M = 1, L = 1 }}

[[fabrics]]
name = "plaid"
width_mm = 1500
spacing_mm = 2
repeat_mm = [50, 50]
repeat_phase_mm = [10, 10]
zones = [ {{ name = "flaw", rect = [900, 700, 1000, 800], allow = ["TRIM"] }}, {zones} ]
"""


def test_an_order_on_plaid_with_a_flaw_builds_a_matched_kit(tmp_path, tee):
    order = tmp_path / "plaid.toml"
    order.write_text(ORDER.format(zones='{ name = "splice", polygon = [[1800, 0], [1810, 0], [1810, 1500], '
                                        '[1800, 1500]] }'), encoding="utf-8")
    kits = tmp_path / "KITS"
    res = build_kit(order, kits, KitOptions(time_limit=3, seed=1, workers=1, formats=("svg", "report.json")))
    kit = kits / "PLAID-1"
    assert res.status == "built" and verify_manifest(kit) == []
    (marker,) = kit.glob("fabrics/*/marker.json")
    data = json.loads(marker.read_text(encoding="utf-8"))
    assert check_marker(data) == []
    assert [z["name"] for z in data["instance"]["rules"]["zones"]] == ["flaw", "splice"]
    report = json.loads((marker.parent / "marker.report.json").read_text(encoding="utf-8"))
    assert report["matching"]["repeat_mm"] == [50.0, 50.0] and len(report["matching"]["matched_pieces"]) == 6


@pytest.mark.parametrize(("zones", "why"), [
    ('{ rect = [1, 2, 3] }', r"fabrics\[0\]\.zones\[1\]: a rectangle"),
    ('{ rect = [0, 0, 10, 10], polygon = [[0, 0], [1, 0], [1, 1]] }', r"give rect = .* or polygon"),
    ('{ rect = [0, 0, 10, 10], allow = "TRIM" }', r"zones\[1\]\.allow: must be a list"),
    ('{ rect = [0, -500, 1000, -100] }',
     r"zones\[1\]: x 0 to 1000, y -500 to -100 \(marker mm\) lies off the fabric"),
    ('{ rect = [100, nan, 200, 200] }', r"zones\[1\]\.rect: a coordinate is not a finite number"),
    ('{ rect = [0, 0, inf, 1500] }', r"zones\[1\]\.rect: a coordinate is not a finite number"),
    ('{ polygon = [[0, 0], [2e6, 0], [0, 1500]] }', r"zones\[1\]\.polygon: 2e\+06 mm is more than 1 km"),
    # probe 40: the corners of a flaw typed in bow-tie order kept two triangles of it clear, exit 0
    ('{ polygon = [[100, 100], [600, 600], [600, 100], [100, 600]] }',
     r"zones\[1\]\.polygon: its outline crosses itself at \(350, 350\): give the corners in order round"),
])
def test_bad_fabric_zones_name_the_field(tmp_path, tee, zones, why):
    order = tmp_path / "plaid.toml"
    order.write_text(ORDER.format(zones=zones), encoding="utf-8")
    with pytest.raises(OrderError, match=why):
        load_order(order)

def test_a_repeat_beyond_a_roll_names_the_field(tmp_path, tee):
    """``repeat_mm = [1e9, 0]`` in an order, refused on the command line (``--repeat``)."""
    order = tmp_path / "plaid.toml"
    order.write_text(ORDER.format(zones='{ rect = [0, 0, 10, 10] }').replace("[50, 50]", "[1e9, 0]"),
                     encoding="utf-8")
    with pytest.raises(OrderError, match=r"fabrics\[0\]\.repeat_mm: each must be less than 1,000,000 mm"):
        load_order(order)



def test_an_orders_zone_category_no_piece_has_and_a_match_file_on_plain_fabric_are_said(tmp_path, tee):
    """What ``nest`` refuses on the command line, an order built in silence: a zone letting a
    mistyped category through (the pieces meant kept off it), and a garment's match file on a
    fabric without a repeat (its points unused)."""
    from kitcut.kits.plan import plan_order

    order = tmp_path / "o.toml"
    order.write_text('[order]\nid = "Z-1"\ncustomer = "x"\n[[garments]]\npattern = "tee.dxf"\n'
                     'match = "tee.match.toml"\nsizes = { M = 1 }\n[[fabrics]]\nname = "jersey"\n'
                     'width_mm = 1500\n'
                     'zones = [{ name = "flaw", rect = [0, 0, 100, 100], allow = ["TRIMM"] }]\n',
                     encoding="utf-8")
    notes = plan_order(load_order(order)).mixed
    assert ("fabric 'jersey': zone 'flaw' lets category 'TRIMM' through, which no piece cut from it has (its "
            "pieces' categories: BODY, SLEEVE, TRIM)") in notes
    assert ("garments[0].match: tee.match.toml places pieces on a repeat, but fabric(s) 'jersey' have none "
            "(repeat_mm): its match points are not used there") in notes


def test_a_style_s_match_file_of_every_size_serves_a_job_of_one(tmp_path):
    """A style's match file giving each size its point (`Front (S)`, `Front (M)`, `Front (L)`, as
    the README shows) refused every job that did not cut all three: "no piece 'Front (S)'", exit 2
    (probe 40). An entry for a size of the file that the job does not cut is left aside (said in
    the remarks); the size cut takes its own point."""
    shutil.copy(SAMPLES / "shirt.dxf", tmp_path / "shirt.dxf")
    lines = "".join(f'[[match]]\npiece = "Front ({size})"\npoint = [20, {y}]\naxes = "y"\n\n'
                    for size, y in (("S", 310), ("M", 320), ("L", 330)))
    (tmp_path / "shirt.match.toml").write_text('[[match]]\npiece = "Front"\npoint = "notch 3"\naxes = "x"\n\n'
                                               + lines, encoding="utf-8")
    for sizes, y in (({"M": 2}, 320.0), ({"S": 1, "L": 1}, None)):
        pat = load_pattern(tmp_path / "shirt.dxf", sizes=sizes)
        fronts = [p for p in pat.pieces if p.name == "Front"]
        assert sorted(p.size for p in fronts) == sorted(sizes)
        for p in fronts:
            assert p.match.y_point == (20.0, y or {"S": 310.0, "L": 330.0}[p.size]), p.label
            assert p.match.x_point == (p.notches[2].x, p.notches[2].y)
        left = sorted(set("SML") - set(sizes), key="SML".index)
        said = [e.message for e in pat.report.skipped if "does not cut" in e.message]
        assert said == [f"shirt.match.toml: the entries for size(s) {', '.join(left)}, which this job does "
                        "not cut"]
    r = nest(str(tmp_path / "shirt.dxf"), "--sizes", "M", "--repeat", "40,40", "--time", "1", "--workers",
             "1", "-o", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
