"""Pieces of several materials (AccuMark's ``Fabric: 1`` shell, ``2`` rib...): a marker mixing
them says so, ``--material`` nests one material's pieces, and an order's fabrics take pieces by
material (``materials = [2]``)."""

from __future__ import annotations

import json

import pytest
from checker import check_marker
from conftest import SAMPLES, shared_file
from test_import_dxf import aama_doc, add_piece, save
from test_import_errors import nest

from kitcut.errors import OrderError
from kitcut.kits.kit import KitOptions, build_kit
from kitcut.kits.order import load_order

#: (name, fabric text or None, width, height)
PIECES = [("FRONT", "1", 400, 300), ("BACK", "1", 400, 320), ("COLLAR", "2", 380, 40), ("TAB", None, 60, 30)]


def _pattern(folder):
    doc = aama_doc()
    for i, (name, fabric, w, h) in enumerate(PIECES):
        texts = [f"Piece Name: {name}", "Quantity: 1"] + ([f"Fabric: {fabric}"] if fabric else [])
        add_piece(doc, f"{name}_M", [[(0, 0), (w, 0), (w, h), (0, h), (0, 0)]], texts=texts,
                  insert=(i * 500.0, 0.0),
                  extra=lambda b, w=w, h=h: b.add_line((w * 0.2, h / 2), (w * 0.8, h / 2),
                                                       dxfattribs={"layer": "7"}))
    return save(doc, folder, "shirt.dxf")


def _job(path, out, *opts):
    code, stdout, err = nest(str(path), "--time", "1", "--workers", "1", "--seed", "1", "-o", str(out), *opts)
    names = None
    if code == 0:
        marker = json.loads((out / "marker.json").read_text())
        assert check_marker(marker, nap="two-way") == []
        pieces = marker["instance"]["pieces"]
        names = sorted(pieces[pl["piece"]]["name"] for pl in marker["solution"]["placements"])
    return code, names, err


def test_a_marker_mixing_materials_says_so_and_each_material_nests_alone(tmp_path):
    path = _pattern(tmp_path)
    code, names, err = _job(path, tmp_path / "all")
    assert code == 0 and names == ["BACK", "COLLAR", "FRONT", "TAB"]
    assert ("nest: note: pieces of 2 materials on one marker: 1 (2 pieces), 2 (1 piece: COLLAR), and 1 piece "
            "without one (TAB)") in err
    # cut one material at a time, the pieces without one are in no marker unless asked for
    assert "add them to one (--material 1,none) or nest them alone (--material none)" in err
    # the pieces cut are counted, not the pieces drawn: three collars are three pieces of material 2
    code, names, err = _job(path, tmp_path / "q", "--quantity", "COLLAR=3")
    assert code == 0 and names.count("COLLAR") == 3
    assert "pieces of 2 materials on one marker: 2 (3 pieces), 1 (2 pieces: FRONT, BACK), and 1 piece" in err
    parts = {}
    for m in ("1", "2", "none"):
        code, parts[m], err = _job(path, tmp_path / m, "--material", m)
        assert code == 0 and "materials on one marker" not in err
    assert parts == {"1": ["BACK", "FRONT"], "2": ["COLLAR"], "none": ["TAB"]}  # every piece once
    code, names, _ = _job(path, tmp_path / "12", "--material", " 2 , NONE")
    assert names == ["COLLAR", "TAB"]
    code, _, err = _job(path, tmp_path / "5", "--material", "5")
    assert code == 2 and "--material: no piece of material 5 (the pattern's pieces are of 1, 2, none)" in err
    assert str(path) in err


ORDER = """[order]
id = "M-1"
customer = "c"

[[garments]]
pattern = "shirt.dxf"
count = 1

[[fabrics]]
name = "poplin"
width_mm = 1500
{more}
"""


def test_an_order_s_fabrics_take_pieces_by_material(tmp_path):
    _pattern(tmp_path)
    (tmp_path / "o.toml").write_text(ORDER.format(more='[[fabrics]]\nname = "rib"\nwidth_mm = 600\n'
                                                       "materials = [2]\n"))
    opts = KitOptions(time_limit=1, max_iterations=0, formats=())
    result = build_kit(tmp_path / "o.toml", tmp_path / "K", opts)
    report = json.loads((tmp_path / "K" / "M-1" / "kit.json").read_text())
    got = {f["name"]: f["pieces"] for f in report["fabrics"]}
    assert got == {"poplin": 3, "rib": 1}
    rib = json.loads((tmp_path / "K" / "M-1" / "fabrics" / "rib" / "marker.json").read_text())
    assert [p["name"].rsplit("/", 1)[-1] for p in rib["instance"]["pieces"]] == ["COLLAR"]
    assert not [n for n in report["notes"] if "materials on one marker" in n] and result.status == "built"
    # one fabric for all: built, and the kit says which pieces are of another material
    (tmp_path / "o.toml").write_text(ORDER.format(more=""))
    build_kit(tmp_path / "o.toml", tmp_path / "K2", opts)
    notes = json.loads((tmp_path / "K2" / "M-1" / "kit.json").read_text())["notes"]
    (mixed,) = [n for n in notes if "materials on one marker" in n]
    assert mixed.startswith("fabric 'poplin': pieces of 2 materials on one marker: 1 (2 pieces), 2 (1 piece: "
                            "M-1/shirt/COLLAR)") and 'materials = ["2"]' in mixed
    # the pieces cut are counted, not the pieces drawn: three shirts cut six of material 1
    (tmp_path / "o.toml").write_text(ORDER.format(more="").replace("count = 1", "count = 3"))
    build_kit(tmp_path / "o.toml", tmp_path / "K3", opts)
    notes = json.loads((tmp_path / "K3" / "M-1" / "kit.json").read_text())["notes"]
    (mixed,) = [n for n in notes if "materials on one marker" in n]
    assert mixed.startswith("fabric 'poplin': pieces of 2 materials on one marker: 1 (6 pieces), 2 (3 "
                            "pieces: M-1/shirt/COLLAR)")


def test_an_order_s_fabric_takes_the_pieces_without_a_material_as_none(tmp_path):
    """``materials = ["none"]`` in an order, as ``--material none``: the pieces without a material."""
    _pattern(tmp_path)
    two = ORDER.replace('name = "poplin"\nwidth_mm = 1500',
                        'name = "poplin"\nwidth_mm = 1500\nmaterials = [1]')
    (tmp_path / "o.toml").write_text(two.format(more='[[fabrics]]\nname = "rib"\nwidth_mm = 600\n'
                                                     'materials = [2, "None "]\n'))
    opts = KitOptions(time_limit=1, max_iterations=0, formats=())
    build_kit(tmp_path / "o.toml", tmp_path / "K", opts)
    rib = json.loads((tmp_path / "K" / "M-1" / "fabrics" / "rib" / "marker.json").read_text())
    assert sorted(p["name"].rsplit("/", 1)[-1] for p in rib["instance"]["pieces"]) == ["COLLAR", "TAB"]
    poplin = json.loads((tmp_path / "K" / "M-1" / "fabrics" / "poplin" / "marker.json").read_text())
    assert sorted(p["name"].rsplit("/", 1)[-1] for p in poplin["instance"]["pieces"]) == ["BACK", "FRONT"]
    # without it, the piece no fabric takes is an error that says how to take it
    (tmp_path / "o.toml").write_text(two.format(more='[[fabrics]]\nname = "rib"\nwidth_mm = 600\n'
                                                     'materials = [2]\n'))
    with pytest.raises(OrderError, match=r"piece 'TAB' of shirt.dxf has no category and no material, "
                                         r"which no fabric takes "
                                         r"\(fabrics: poplin materials \['1'\], rib materials \['2'\]\) "
                                         r'\(materials = \["none"\] takes the pieces without a material\)'):
        build_kit(tmp_path / "o.toml", tmp_path / "K2", opts)
    # a fabric taking every piece names the pieces without one, and how to cut them apart
    (tmp_path / "o.toml").write_text(ORDER.format(more=""))
    build_kit(tmp_path / "o.toml", tmp_path / "K3", opts)
    notes = json.loads((tmp_path / "K3" / "M-1" / "kit.json").read_text())["notes"]
    (mixed,) = [n for n in notes if "materials on one marker" in n]
    assert mixed.endswith('materials = ["none"] takes the pieces without one')


@pytest.mark.parametrize(("value", "words"), [("[]", "must be a non-empty list"), ("[true]", "must be a"),
                                              ('["  "]', "must be a"), ('"2"', "must be a")])
def test_bad_materials_name_the_field(tmp_path, value, words):
    _pattern(tmp_path)
    (tmp_path / "o.toml").write_text(ORDER.format(more=f"materials = {value}\n"))
    with pytest.raises(OrderError, match=r"fabrics\[0\]\.materials: " + words):
        load_order(tmp_path / "o.toml")


def test_a_real_tee_s_rib_collar_is_its_own_marker(tmp_path):
    """MEN_CLASSIC_TEE's collar is ``Fabric: 2`` (COLLAR RIB): the two materials' markers hold
    every piece of the size once."""
    path = shared_file("dxf", "MEN_CLASSIC_TEE.DXF")
    code, everything, err = _job(path, tmp_path / "all", "--sizes", "42")
    assert code == 0 and "2 materials on one marker" in err and "REGULAR TEECO" in err
    _, shell, _ = _job(path, tmp_path / "1", "--sizes", "42", "--material", "1")
    _, rib, _ = _job(path, tmp_path / "2", "--sizes", "42", "--material", "2")
    assert rib == ["REGULAR TEECO"] and sorted(shell + rib) == everything


def test_info_shows_the_materials_where_the_file_names_any(tmp_path):
    code, out, _ = nest("info", str(_pattern(tmp_path)))
    assert code == 0
    head = next(ln for ln in out.splitlines() if "┃" in ln)
    assert head.split("┃")[-1].strip() == "material"
    rows = {ln.split("│")[0].strip(): ln.split("│")[-1].strip() for ln in out.splitlines() if "│" in ln}
    assert rows == {"FRONT": "1", "BACK": "1", "COLLAR": "2", "TAB": ""}
    code, out, _ = nest("info", str(SAMPLES / "tee.dxf"))  # no material named: no column
    assert code == 0 and "material" not in next(ln for ln in out.splitlines() if "┃" in ln)


def test_no_piece_of_a_material_names_the_pieces_the_file_does_not_cut(tmp_path):
    """``--material none`` said "no piece of material none (the pattern's pieces are of 1, 2)"
    while pieces without a material were drawn, with ``Quantity: 0``: left out before the
    materials were looked at. The error now names them and how to cut them."""
    doc = aama_doc()
    for i, (name, fabric, qty) in enumerate([("FRONT", "1", 1), ("COLLAR", "2", 1), ("FACING", None, 0)]):
        texts = [f"Piece Name: {name}", f"Quantity: {qty}"] + ([f"Fabric: {fabric}"] if fabric else [])
        add_piece(doc, f"{name}_M", [[(0, 0), (300, 0), (300, 200), (0, 200), (0, 0)]], texts=texts,
                  insert=(i * 400.0, 0.0))
    path = save(doc, tmp_path, "shirt.dxf")
    code, _, err = _job(path, tmp_path / "o", "--material", "none", "--sizes", "M")  # one size, as a job is
    assert code == 2 and err.strip().endswith(
        "--material: no piece of material none (the pattern's pieces are of 1, 2); 1 piece(s) the file says "
        "are not cut (Quantity: 0: FACING) are left out before: --quantity '*=1' cuts them")
    code, names, _ = _job(path, tmp_path / "o2", "--material", "none", "--sizes", "M", "--quantity", "*=1")
    assert code == 0 and names == ["FACING"]


def test_a_quantity_for_pieces_the_material_leaves_out_is_said(tmp_path):
    """``--material 1 --quantity COLLAR=2`` (the collar is of material 2) changed nothing, without
    a word."""
    path = _pattern(tmp_path)
    code, names, err = _job(path, tmp_path / "o", "--material", "1", "--quantity", "COLLAR=2")
    assert code == 0 and names == ["BACK", "FRONT"]
    assert ("nest: note: --quantity COLLAR=...: its pieces are of material 2, which --material 1 leaves out: "
            "it changes nothing") in err


@pytest.mark.parametrize("opts", [(), ("--material", "1", "--quantity", "COLLAR=2"),
                                  ("--nap", "free", "--tilt", "5", "--no-pairs")])
def test_json_warnings_hold_every_line_said_on_stderr(tmp_path, opts):
    """``nest --json``'s ``warnings`` are the lines said on stderr (README), but the notes on
    mixed materials, a quantity the material leaves out, a tilt under a free nap and --no-pairs
    were said on stderr only (probe 43): a script got the rib collar on the jersey without a word."""
    path = _pattern(tmp_path)
    job = (str(path), "--time", "1", "--workers", "1", "--seed", "1", *opts)
    code, out, err = nest(*job, "-o", str(tmp_path / "o"), "--json")
    assert code == 0, err
    said = [ln.removeprefix("nest: ") for ln in err.splitlines() if ln.startswith("nest: ")]
    assert json.loads(out)["warnings"] == said
    wanted = {0: "note: pieces of 2 materials on one marker", 5: "note: --tilt 5 changes nothing",
              4: "note: --quantity COLLAR=...: its pieces are of material 2"}[len(opts)]
    assert any(ln.startswith(wanted) for ln in said), said
    plain = nest(*job, "-o", str(tmp_path / "p"))[2]
    assert [ln.removeprefix("nest: ") for ln in plain.splitlines() if ln.startswith("nest: ")] == said


def test_the_cut_count_note_names_only_pieces_of_the_materials_nested(tmp_path):
    """A sleeve of material 1 says ``Quantity: 0`` and ``2XFABRIC``: a rib marker (``--material
    2``) said the sleeve was not cut and ``--quantity 'SLEEVE=2' cuts it``, which then changed
    nothing (probe 43 F4). The shell marker still says it."""
    doc = aama_doc()
    drawn = [("FRONT", "1", 1, []), ("SLEEVE", "1", 0, ["Annotation: 2XFABRIC"]), ("COLLAR", "2", 1, [])]
    for i, (name, fabric, qty, extra) in enumerate(drawn):
        add_piece(doc, f"{name}_M", [[(0, 0), (300, 0), (300, 200), (0, 200), (0, 0)]],
                  texts=[f"Piece Name: {name}", "Size: M", f"Quantity: {qty}", f"Fabric: {fabric}", *extra],
                  insert=(i * 400.0, 0.0))
    path = save(doc, tmp_path, "shirt.dxf")
    note = ("nest: warning: 1 piece of quantity 0 has a cut count in its annotation: SLEEVE (2XFABRIC); not "
            "cut, as its Quantity text says (--quantity 'SLEEVE=2' cuts it)")
    for material, said in (("1", True), ("2", False), ("1,2", True)):
        for sizes in ((), ("--sizes", "M")):
            out = tmp_path / f"o{material}{len(sizes)}"
            code, names, err = _job(path, out, "--material", material, *sizes)
            assert code == 0 and (note in err.splitlines()) == said, (material, sizes, err)
            assert "SLEEVE" not in names
