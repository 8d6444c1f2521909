"""What the user tells the reader: what the layers of a plain DXF hold (``--layer NAME=ROLE``,
``layers`` in orders) against what the reader guesses from names it knows, and the import
options of an order's garment (``repair``, ``keep_folded``, ``tolerance_mm``) as on the command
line. Files are written with ezdxf."""

from __future__ import annotations

import json

import ezdxf
import numpy as np
import pytest
from test_import_dxf import RECT, aama_doc, add_piece, save
from test_import_errors import nest

from kitcut.errors import InputError, KitcutError, OrderError
from kitcut.formats.reading.layer_roles import LayerRoles
from kitcut.formats.reading.read import read_pattern
from kitcut.kits.order import load_order
from kitcut.kits.plan import plan_order

POCKET = [(100, 200), (250, 200), (250, 350), (100, 350)]


def _odd_doc():
    """FRONT 400 x 600 on layer L1 from a CAD with numbered layers: a pocket placement
    rectangle on L5, a vertical grain line on L23, a diagonal construction line on L24, two
    drill circles on L13, a notch POINT on N, and a dimension line outside on DIM_1."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    m = doc.modelspace()
    m.add_lwpolyline([(0, 0), (400, 0), (400, 600), (0, 600)], close=True, dxfattribs={"layer": "L1"})
    m.add_lwpolyline(POCKET, close=True, dxfattribs={"layer": "L5"})
    m.add_line((300, 100), (300, 500), dxfattribs={"layer": "L23"})
    m.add_line((50, 450), (150, 550), dxfattribs={"layer": "L24"})
    for x in (80, 320):
        m.add_circle((x, 100), 3, dxfattribs={"layer": "L13"})
    m.add_point((0, 300), dxfattribs={"layer": "N"})
    m.add_line((-50, -50), (500, -50), dxfattribs={"layer": "DIM_1"})
    m.add_text("Piece Name: FRONT", dxfattribs={"layer": "L1", "insert": (150, 450), "height": 10})
    return doc


MAPPED = {"l5": "internal", "L23": "grain", "L13": "drill", "n": "notch", "DIM*": "ignore"}


def test_layer_roles_say_what_numbered_layers_hold(tmp_path):
    """Read by shape alone, the pocket placement is cut out (the small drill circles are drill
    marks by their shape, and the point on the cut line a notch by its place), the grain line
    lost among two free lines; with the roles given, each is what the user said, and the ignored
    layer is reported once, not as a skipped line."""
    path = save(_odd_doc(), tmp_path)
    (before,) = read_pattern(path).pieces
    assert len(before.cutouts) == 1 and before.grain is None
    assert [(n.x, n.y) for n in before.notches] == [(0.0, 300.0)]
    assert sorted((d.x, d.y) for d in before.drills) == [(80.0, 100.0), (320.0, 100.0)]
    assert round(before.area) == 240000 - 150 * 150

    pat = read_pattern(path, layers=LayerRoles(MAPPED))
    (p,) = pat.pieces
    assert p.name == "FRONT" and p.cutouts == () and round(p.area) == 240000
    assert p.grain is not None and abs(abs(p.grain.angle_deg) - 90.0) < 1e-9
    assert sorted((d.x, d.y) for d in p.drills) == [(80.0, 100.0), (320.0, 100.0)]
    assert [(n.x, n.y) for n in p.notches] == [(0.0, 300.0)]
    # the pocket placement is drawn: a closed internal line through its four corners
    lines = sorted(p.internal_lines, key=lambda ln: len(ln.points))
    assert len(lines) == 2
    ring = lines[1].points
    assert {tuple(q) for q in ring} == {tuple(map(float, q)) for q in POCKET}
    assert np.allclose(ring[0], ring[-1])
    messages = [str(r) for r in pat.report.skipped + pat.report.warnings]
    assert not any("DIM_1" in m and "outside every piece" in m for m in messages)
    assert any("1 entity of layer DIM_1 not read: ignored (--layer)" in m for m in messages)


def test_a_role_beats_the_name_the_reader_knows(tmp_path):
    """A cut layer named like a frame (``BORDER``) is cut when the user says so; a layer named
    like grain holding internal lines is not the grain; a frame layer given by the user is not
    cut, whatever its shape."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    m = doc.modelspace()
    for x0, y0, x1, y1 in ((0, 0, 800, 600), (100, 100, 300, 300), (400, 100, 700, 300)):
        m.add_lwpolyline([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], close=True, dxfattribs={"layer": "BORDER"})
    m.add_line((450, 400), (750, 500), dxfattribs={"layer": "GRAIN"})
    guessed = read_pattern(save(doc, tmp_path, "a.dxf"))  # BORDER: a frame by its name
    assert sorted(round(p.area) for p in guessed.pieces) == [40000, 60000]
    m.add_lwpolyline([(-100, -100), (900, -100), (900, 700), (-100, 700)], close=True,
                     dxfattribs={"layer": "TB"})
    path = save(doc, tmp_path, "b.dxf")

    pat = read_pattern(path, layers=LayerRoles({"border": "cut", "grain": "internal", "TB": "frame"}))
    (p,) = pat.pieces
    assert round(p.area) == 480000 - 40000 - 60000 and len(p.cutouts) == 2
    assert p.grain is None
    assert any(len(ln.points) == 2 and np.allclose(ln.points, [(450, 400), (750, 500)])
               for ln in p.internal_lines)
    assert any("1 entity of layer TB not read: a drawing frame, not cut (--layer)" in str(w)
               for w in pat.report.warnings)


def test_unknown_roles_and_unmatched_names_are_told():
    with pytest.raises(InputError, match=r"--layer L5: unknown layer role 'pockets'; the roles are cut, "):
        LayerRoles.parse(["L5=pockets"])
    with pytest.raises(InputError, match=r"--layer: write NAME=ROLE .* got 'L5'"):
        LayerRoles.parse(["L5"])
    with pytest.raises(InputError, match="a layer name is empty"):
        LayerRoles.parse(["=grain"])
    roles = LayerRoles.parse(["A=B=grain", "x*=Grain Line", "y=skip"])
    assert roles.role("a=b") == "grain" and roles.role("X7") == "grain" and roles.role("Y") == "ignore"
    assert roles.role("z") is None and roles.means("z", "grain", True) and not roles.means("y", "grain", True)
    assert LayerRoles.parse(["q=cut"]).unmatched() == ["q"]


def test_command_line_layer_option(tmp_path):
    path = save(_odd_doc(), tmp_path)
    args = [a for k, v in MAPPED.items() for a in ("--layer", f"{k}={v}")]
    code, out, err = nest("info", str(path), *args, "--layer", "NOPE=sew")
    assert code == 0, (out, err)
    row = next(ln for ln in out.splitlines() if ln.startswith("FRONT"))
    assert "240,000" in row
    assert "--layer NOPE: no layer of the drawing is named so; not used" in out + err
    code, out, err = nest("info", str(path), "--layer", "L5=pocket")
    assert code == 2 and out == "" and "Traceback" not in err
    assert "Invalid value for '--layer': L5: unknown layer role 'pocket'; the roles are cut, internal" in err


def test_layer_roles_on_an_aama_file_are_reported_unused(tmp_path):
    doc = aama_doc()
    add_piece(doc, "FRONT", [RECT], closed=True, texts=["Piece Name: FRONT"])
    pat = read_pattern(save(doc, tmp_path), layers=LayerRoles({"1": "ignore"}))
    assert pat.pieces
    assert any("--layer not used: an AAMA/ASTM pattern's layers are the standard's" in str(w)
               for w in pat.report.warnings)


ORDER = """
[order]
id = "L-1"
customer = "Studio"

[[garments]]
pattern = "front.dxf"
sizes = { ONE = 1 }
LAYERS

[[fabrics]]
name = "jersey"
width_mm = 1500
"""


def test_order_layers(tmp_path):
    save(_odd_doc(), tmp_path, "front.dxf")
    table = "layers = { " + ", ".join(f'"{k}" = "{v}"' for k, v in MAPPED.items()) + " }"
    (tmp_path / "o.toml").write_text(ORDER.replace("LAYERS", table))
    order = load_order(tmp_path / "o.toml")
    assert order.garments[0].layers[0] == ("l5", "internal")
    (fab,) = plan_order(order).fabrics
    (p,) = fab.pattern.pieces
    assert round(p.area) == 240000 and p.cutouts == () and len(p.drills) == 2

    _refused(tmp_path, ('layers = { L5 = "pocket" }', "garments[0].layers L5: unknown layer role 'pocket'"),
             ("layers = { L5 = 3 }", "garments[0].layers.L5: must be a role name"),
             ('layers = "L5=internal"', "garments[0].layers: must be a table"))


def _refused(tmp_path, *cases) -> None:
    """Each ``(garment line, words)``: the order with that line is refused, naming the field."""
    for bad, words in cases:
        (tmp_path / "o.toml").write_text(ORDER.replace("LAYERS", bad))
        with pytest.raises(OrderError) as info:
            load_order(tmp_path / "o.toml")
        assert words in str(info.value), str(info.value)


def test_main_job_hint_repeats_the_import_options(tmp_path):
    """``nest FILE --layer ...`` points to the ``nest info`` command that shows its remarks with
    the same import options (without them the remarks would be another reading's)."""
    path = save(_odd_doc(), tmp_path)
    code, out, err = nest(str(path), "--layer", "L5=internal", "--layer", "DIM*=ignore", "--units", "mm",
                          "--time", "5", "--iterations", "3", "--workers", "1", "-o", str(tmp_path / "out"))
    assert code == 0, (out, err)
    assert f"see `nest info {path} --units mm --layer L5=internal --layer 'DIM*=ignore'`" in err
    assert "length 400.0 mm" in out


def test_info_lists_the_layers_and_how_each_was_read(tmp_path):
    """``nest info --layers`` shows the names to give ``--layer``: each layer's entities, its
    pieces and the role it was read with (given, from its name, or by shape)."""
    doc = _odd_doc()
    doc.modelspace().add_line((320, 150), (320, 450), dxfattribs={"layer": "Grainline"})
    path = save(doc, tmp_path)
    code, out, err = nest("info", str(path), "--layers", "--layer", "L5=internal", "--json")
    assert code == 0, err
    rows = {r["name"]: r for r in json.loads(out)["layers"]}
    assert sorted(rows) == ["DIM_1", "Grainline", "L1", "L13", "L23", "L24", "L5", "N"]
    assert rows["L1"] == {"name": "L1", "entities": {"LWPOLYLINE": 1, "TEXT": 1}, "pieces": 1, "role": None,
                          "by": None}
    assert (rows["L5"]["role"], rows["L5"]["by"]) == ("internal", "--layer")
    assert (rows["Grainline"]["role"], rows["Grainline"]["by"]) == ("grain", "name")
    assert rows["L13"]["entities"] == {"CIRCLE": 2} and rows["L13"]["role"] is None
    code, out, err = nest("info", str(path), "--layers", "--layer", "L5=internal")
    assert code == 0, err
    table = out[out.index("layer "):]
    assert any(ln.startswith("L5 ") and "internal (--layer)" in ln and "1 LWPOLYLINE" in ln
               for ln in table.splitlines())
    assert any(ln.startswith("Grainline ") and "grain (its name)" in ln for ln in table.splitlines())


def test_order_import_options_as_on_the_command_line(tmp_path):
    """A garment of an order takes the import options of the command line a nightly batch
    cannot be given: ``repair`` (a bow-tie outline: refused without it), ``keep_folded`` (a fold
    piece stays a half) and ``tolerance_mm``."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    doc.modelspace().add_lwpolyline([(0, 0), (100, 50), (100, 0), (0, 50)], close=True)
    save(doc, tmp_path, "front.dxf")
    (tmp_path / "o.toml").write_text(ORDER.replace("LAYERS", ""))
    with pytest.raises(KitcutError, match=r"set garments\[0\]\.repair = true in the order"):
        plan_order(load_order(tmp_path / "o.toml"))
    (tmp_path / "o.toml").write_text(ORDER.replace("LAYERS", "repair = true\ntolerance_mm = 0.25"))
    order = load_order(tmp_path / "o.toml")
    assert (order.garments[0].repair, order.garments[0].tolerance_mm) == (True, 0.25)
    (fab,) = plan_order(order).fabrics
    assert round(fab.pattern.pieces[0].area) == 1250

    half = aama_doc()
    add_piece(half, "BK_M", [[(0, 0), (100, 0), (100, 50), (0, 50), (0, 0)]], texts=["Piece Name: Back"],
              extra=lambda b: b.add_line((0, 0), (0, 50), dxfattribs={"layer": "6"}))
    save(half, tmp_path, "front.dxf")
    for keep, area in ((False, 10000), (True, 5000)):
        (tmp_path / "o.toml").write_text(ORDER.replace("LAYERS", f"keep_folded = {str(keep).lower()}"))
        (fab,) = plan_order(load_order(tmp_path / "o.toml")).fabrics
        (p,) = fab.pattern.pieces
        assert (round(p.area), p.folded, p.unfolded) == (area, True, not keep)

    _refused(tmp_path, ("repair = 1", "garments[0].repair: must be true or false"),
             ('keep_folded = "yes"', "garments[0].keep_folded: must be true or false"),
             ("tolerance_mm = 0", "garments[0].tolerance_mm: must be > 0"))


def test_a_mark_layer_outside_every_piece_is_skipped_not_an_open_cut_line(tmp_path):
    """Lines of a layer given a mark role that lie outside every piece are reported unused; a
    closed one is not taken for a cut line left open (it used to be 'a gap of 0.000 mm')."""
    path = save(_odd_doc(), tmp_path)
    pat = read_pattern(path, layers=LayerRoles({"L1": "internal"}))
    assert sorted(p.name for p in pat.pieces) == ["L13#1", "L13#2", "L5"]  # what is left to cut
    assert any("line on layer L1 (internal, --layer) outside every piece; not used" in str(e)
               for e in pat.report.skipped)


def test_sizes_asked_of_a_pattern_without_sizes_are_said(tmp_path):
    """``--sizes S,M`` on a pattern that names no sizes (Valentina writes none): two garments of
    the one size drawn, as before, and now said (it was silent, and a graded nest read without
    its sizes was cut whole for every garment)."""
    doc = aama_doc()
    add_piece(doc, "CUFF", [RECT], closed=True, texts=["Piece Name: CUFF", "Quantity: 2"])
    path = save(doc, tmp_path)
    pat = read_pattern(path, sizes=["S", "M"])
    assert [(p.name, p.size, p.quantity) for p in pat.pieces] == [("CUFF", None, 2)]
    assert [w.message for w in pat.report.warnings if "names no sizes" in w.message] == [
        "size(s) S, M asked for, but the pattern names no sizes: each garment is cut from the one size drawn"]
    assert not [w for w in read_pattern(path).report.warnings if "names no sizes" in w.message]
