"""Sizes and quantities of a job: ``--sizes``, ``--quantity`` and order ``quantities``.

Checked on the bundled tee (sizes S, M, L; a front and a back cut on the fold, a pair of
sleeves ``Quantity: 1,1``, a neckband) and on an AAMA file written here whose pieces say
``Quantity: 0,0`` or nothing, as real AccuMark exports do.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import SAMPLES

from kitcut.errors import InputError, OrderError
from kitcut.formats.reading.read import read_pattern
from kitcut.formats.writing.aama_write import write_aama
from kitcut.kits.order import load_order
from kitcut.kits.plan import plan_order
from kitcut.kits.quantities import apply_quantities, for_garments, load_pattern, parse_quantities, parse_sizes
from kitcut.model import Pattern, Piece

TEE = SAMPLES / "tee.dxf"


def nest(*args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kitcut", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def test_parse_sizes():
    assert parse_sizes("M") == {"M": 1}
    assert parse_sizes("S=2, M=3,L") == {"S": 2, "M": 3, "L": 1}
    assert parse_sizes(None) is None
    for bad, why in [("", "no size given"), ("M=0", "at least 1"), ("M=x", "whole number"),
                     ("=2", "no size name"), ("M,M", "given twice"), ("M=-1", "at least 1")]:
        with pytest.raises(InputError, match=why):
            parse_sizes(bad)


def test_parse_quantities():
    assert parse_quantities(["Front=2", "TRIM=1,1", "*=1"]) == {"Front": (2, None), "TRIM": (2, 1),
                                                                "*": (1, None)}
    assert parse_quantities({"Collar": 1, "Sleeve": "1,1"}) == {"Collar": (1, None), "Sleeve": (2, 1)}
    assert parse_quantities(["Back piece=1"]) == {"Back piece": (1, None)}  # spaces in names
    for bad, why in [(["Front"], "write NAME=N"), (["Front=-1"], "not a quantity"), (["=1"], "a piece name"),
                     (["Front=1", "front=2"], "given twice"), (["Front=1,2,3"], "not a quantity")]:
        with pytest.raises(InputError, match=why):
            parse_quantities(bad)
    with pytest.raises(InputError, match="whole number or 'a,b'"):
        parse_quantities({"Front": 1.5})


def test_sizes_select_and_multiply_keeping_pairs():
    pat = load_pattern(TEE, sizes={"m": 2, "L": 1})  # size names match ignoring case
    got = sorted((p.name, p.size, p.quantity, p.flipped) for p in pat.pieces)
    assert got == [("Back", "L", 1, 0), ("Back", "M", 2, 0), ("Front", "L", 1, 0), ("Front", "M", 2, 0),
                   ("Neckband", "L", 1, 0), ("Neckband", "M", 2, 0), ("Sleeve", "L", 2, 1),
                   ("Sleeve", "M", 4, 2)]
    assert pat.sizes == ("S", "M", "L")  # every size of the file is still known
    with pytest.raises(InputError, match=r"--sizes: no size 'XL' in this pattern \(it has S, M, L\)"):
        load_pattern(TEE, sizes={"XL": 1})


def test_one_piece_per_garment_stays_unmirrored_in_several_garments():
    # a single collar in two garments is two collars as drawn, never a left/right pair
    collar = Piece("Collar", [(0, 0), (300, 0), (250, 80), (0, 60)], size="M", quantity=1)
    pat = for_garments(Pattern((collar,), sizes=("M",)), {"M": 2})
    assert pat.pieces[0].copy_mirrors() == (False, False)
    pair = Piece("Pocket", [(0, 0), (100, 0), (90, 120), (0, 100)], size="M", quantity=2)
    got = for_garments(Pattern((pair,), sizes=("M",)), {"M": 3}, pairs=True).pieces[0]
    assert (got.quantity, got.flipped) == (6, 3)
    got = for_garments(Pattern((pair,), sizes=("M",)), {"M": 3}, pairs=False).pieces[0]
    assert (got.quantity, got.flipped) == (6, 0)


@pytest.fixture
def zero_file(tmp_path):
    """An AAMA file whose pieces say Quantity 0 (front), nothing (back) or 1,1 (sleeve)."""
    pieces = []
    for size, k in (("S", 0.9), ("M", 1.0)):
        pieces += [
            Piece("Front", [(0, 0), (500 * k, 0), (500 * k, 700 * k), (0, 700 * k)], size=size, quantity=0,
                  category="BODY"),
            Piece("Back", [(0, 0), (520 * k, 0), (520 * k, 700 * k), (0, 700 * k)], size=size, quantity=1,
                  category="BODY"),
            Piece("Sleeve", [(0, 0), (450 * k, 0), (400 * k, 300 * k), (40 * k, 320 * k)], size=size,
                  quantity=2, flipped=1),
        ]
    path = tmp_path / "zero.dxf"
    write_aama(Pattern(tuple(pieces), style="Z"), path)
    lines = path.read_text(encoding="ascii").split("\n")
    assert "Quantity: 1" in lines and "Quantity: 0" in lines
    # the back: no Quantity text at all (the text becomes a comment); the front: AccuMark's 0,0
    lines = ["Comment: back" if ln == "Quantity: 1" else "Quantity: 0,0" if ln == "Quantity: 0" else ln
             for ln in lines]
    path.write_text("\n".join(lines), encoding="ascii")
    return path


def test_quantity_rules_on_a_file_that_says_0_or_nothing(zero_file):
    pat = read_pattern(zero_file)
    rules = {(p.name, p.size): (p.quantity, p.quantity_rule) for p in pat.pieces}
    assert rules[("Front", "M")] == (0, "file") and rules[("Back", "M")] == (1, "assumed")
    assert rules[("Sleeve", "M")] == (2, "file")
    zero = "warning: piece 'Front': Quantity 0: the file says this piece is not cut; kept with quantity 0"
    assert zero in [str(e) for e in pat.report.entries]
    # '*' fills in 0 and nothing, never a quantity the file gives
    got = apply_quantities(pat, {"*": (2, None)})
    # the front is cut after all: "kept with quantity 0" is withdrawn, "quantity set to 2" says so
    assert zero not in [str(e) for e in got.report.entries]
    q = {(p.name, p.size): (p.quantity, p.flipped, p.quantity_rule) for p in got.pieces}
    assert q[("Front", "M")] == (2, None, "option") and q[("Back", "S")] == (2, None, "option")
    assert q[("Sleeve", "M")] == (2, 1, "file")
    notes = [str(e) for e in got.report.entries if "quantity set to" in e.message]
    said = "warning: piece '{}': quantity set to 2 by --quantity *=2 (the file says {}) (sizes S, M)"
    assert said.format("Front", "0") in notes and said.format("Back", "nothing") in notes
    # a name or a category sets whatever the file says; the name wins over the category
    got = apply_quantities(pat, {"body": (1, None), "Back": (3, None), "SLEEVE": (2, 1)})
    q = {(p.name, p.size): (p.quantity, p.flipped) for p in got.pieces}
    assert q[("Front", "S")] == (1, None) and q[("Back", "S")] == (3, None) and q[("Sleeve", "S")] == (2, 1)
    # each remark names the option as the user wrote it (before: "by --quantity named")
    notes = {str(e) for e in got.report.entries if "quantity set to" in e.message}
    assert {"warning: piece 'Front': quantity set to 1 by --quantity body=1 (category BODY) (sizes S, M)",
            "warning: piece 'Back': quantity set to 3 by --quantity Back=3 (sizes S, M)"} <= notes
    with pytest.raises(InputError, match=r"'Collar' is no piece name or category of this pattern \(pieces: "
                                         r"Back, Front, Sleeve; categories: BODY\)"):
        apply_quantities(pat, {"Collar": (1, None)})


def test_a_default_quantity_no_piece_takes_is_said(zero_file):
    """``--quantity '*=1000'`` on a file that gives every piece its quantity changed nothing, in
    silence: a user reading it as "1000 of everything" got one marker of the file's quantities."""
    pat = read_pattern(zero_file)
    given = apply_quantities(pat, {"Front": (1, None), "Back": (1, None)})  # now every piece has one
    got = apply_quantities(given, {"*": (1000, None)}, what="quantities")
    assert [(p.quantity, p.flipped) for p in got.pieces] == [(p.quantity, p.flipped) for p in given.pieces]
    notes = [str(e) for e in got.report.entries if "changed nothing" in e.message]
    assert notes == ["warning: quantities *=1000 changed nothing: every piece's file gives its quantity "
                     "(* is for pieces whose file says 0 or nothing; a piece name or category sets a "
                     "quantity whatever the file says)"]
    got = apply_quantities(read_pattern(zero_file), {"*": (1, 1)})  # the front and back take it: no note
    assert not [e for e in got.report.entries if "changed nothing" in e.message]


def test_quantities_on_the_command_line(zero_file, tmp_path):
    r = nest("info", str(zero_file), "--sizes", "M", "--quantity", "*=1", "--quantity", "Sleeve=1,1",
             "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert sorted((p["name"], p["quantity"], p["flipped"]) for p in data["pieces"]) == [
        ("Back", 1, 0), ("Front", 1, 0), ("Sleeve", 2, 1)]
    r = nest(str(zero_file), "--sizes", "S=2", "--quantity", "*=1", "--time", "1", "--workers", "1",
             "--seed", "1", "-o", str(tmp_path / "out"), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["pieces"] == 2 * 4
    r = nest("info", str(zero_file), "--quantity", "Front")
    assert r.returncode == 2 and "--quantity: 'Front': write NAME=N" in r.stderr
    # nothing left to cut: says whether the file or the quantities given made it so
    cases = ((["--quantity", "Back=0", "--quantity", "Sleeve=0"], "4 by the quantities given, 2 by the file"),
             (["--quantity", "*=0", "--quantity", "Sleeve=0"], "as the quantities given say"))
    for args, why in cases:
        r = nest(str(zero_file), *args, "--time", "1", "--workers", "1", "-o", str(tmp_path / "none"))
        assert r.returncode == 2 and r.stderr.strip() == (
            f"nest: error: {zero_file}: no piece to nest: every piece has quantity 0 ({why}); give "
            "quantities with --quantity NAME=N, or --quantity '*=1' for one of each")
        assert not (tmp_path / "none").exists()
    write_aama(Pattern((Piece("Lining", [(0, 0), (300, 0), (300, 200), (0, 200)], quantity=0),), style="Z"),
               tmp_path / "lining.dxf")
    r = nest(str(tmp_path / "lining.dxf"), "--time", "1", "--workers", "1", "-o", str(tmp_path / "none"))
    assert r.returncode == 2 and "every piece has quantity 0 (the file says it is not cut)" in r.stderr


ORDER = """[order]
id = "Q-1"
customer = "walk-in"

[[garments]]
pattern = "zero.dxf"
sizes = {{ M = 2 }}
{quantities}

[[fabrics]]
name = "main"
width_mm = 1500
"""


def test_quantities_in_an_order(zero_file):
    folder = zero_file.parent
    path = folder / "q.toml"
    path.write_text(ORDER.format(quantities='quantities = { "*" = 1, SLEEVE = "1,1" }'))
    order = load_order(path)
    assert order.garments[0].quantities == {"*": (1, None), "SLEEVE": (2, 1)}
    plan = plan_order(order)
    got = sorted((p.name.rpartition("/")[2], p.quantity, p.flipped) for p in plan.fabrics[0].pattern.pieces)
    assert got == [("Back", 2, 0), ("Front", 2, 0), ("Sleeve", 4, 2)]
    path.write_text(ORDER.format(quantities="quantities = { Front = -1 }"))
    with pytest.raises(OrderError, match=r"garments\[0\]\.quantities\.Front: -1 is not a quantity"):
        load_order(path)
    # without quantities the front (Quantity 0,0) is not cut, the back (no text: 1 assumed) is
    path.write_text(ORDER.format(quantities=""))
    names = {p.name.rpartition("/")[2] for p in plan_order(load_order(path)).fabrics[0].pattern.pieces}
    assert names == {"Back", "Sleeve"}
    path.write_text(ORDER.format(quantities='quantities = { Back = 0, Sleeve = 0 }'))
    with pytest.raises(OrderError, match=r"garments\[0\]: no piece of .* to cut for .*: every piece has "
                                         r"quantity 0 .*garments\[0\]\.quantities = \{ \"\*\" = 1 \}"):
        plan_order(load_order(path))


def test_a_garment_with_nothing_to_cut_is_an_error_not_left_out(zero_file):
    """A second garment whose pattern says Quantity 0 on every piece (as two real AccuMark
    exports do) vanished from the kit, exit 0, while workshop.txt listed it; an order of that
    garment alone was refused. Both are the same error now, naming the garment."""
    folder = zero_file.parent
    (folder / "tee.dxf").write_bytes((SAMPLES / "tee.dxf").read_bytes())
    path = folder / "two.toml"
    two = ORDER.replace('pattern = "zero.dxf"', 'pattern = "tee.dxf"')
    polo = '[[garments]]\npattern = "zero.dxf"\nname = "polo"\nsizes = {{ M = 1 }}\n{quantities}\n\n'
    two = two.replace("[[fabrics]]", polo + "[[fabrics]]").replace("{quantities}", "", 1)
    path.write_text(two.format(quantities='quantities = { Back = 0, Sleeve = 0 }'))
    with pytest.raises(OrderError, match=r"garments\[1\]: no piece of zero\.dxf to cut for 'polo': every "
                                         r"piece has quantity 0 .*garments\[1\]\.quantities = \{ \"\*\" "
                                         r"= 1 \}"):
        plan_order(load_order(path))
    path.write_text(two.format(quantities='quantities = { "*" = 1 }'))
    plan = plan_order(load_order(path))
    assert {k.garment for k in plan.fabrics[0].kit_pieces} == {"tee", "polo"}


def test_two_names_of_one_size_are_an_error_not_added_up(tmp_path):
    """Before, sizes differing only in case were added up in silence: ``sizes = { m = 1, M = 2 }``
    cut 3 x M while workshop.txt said "1 x m, 2 x M", and ``--sizes m,M`` cut 2 x M (where
    ``--sizes M,M`` was an error). Two names that the reader matches to one size of the
    pattern are now an error naming both, in orders as on the command line."""
    with pytest.raises(InputError) as err:
        load_pattern(TEE, sizes={"m": 1, "M": 2})
    assert str(err.value) == "--sizes: sizes m and M are the same size M of tee.dxf: give it once"
    r = nest("info", str(TEE), "--sizes", "M,l,L")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == "nest: error: --sizes: sizes l and L are the same size L of tee.dxf: give it once\n"
    (tmp_path / "tee.dxf").write_bytes(TEE.read_bytes())
    order = tmp_path / "t25.toml"
    order.write_text('[order]\nid = "T25"\ncustomer = "c"\n[[garments]]\npattern = "tee.dxf"\n'
                     'sizes = { S = 1, m = 1, M = 2 }\n[[fabrics]]\nname = "jersey"\nwidth_mm = 1500\n')
    with pytest.raises(OrderError) as err:
        plan_order(load_order(order))
    assert str(err.value) == (f"{order}: garments[0].sizes: sizes m and M are the same size M of tee.dxf: "
                              "give it once")
    order.write_text(order.read_text().replace("m = 1, ", ""))  # one name each: as before
    (jersey,) = plan_order(load_order(order)).fabrics
    assert {(k.size, k.garments) for k in jersey.kit_pieces} == {("S", 1), ("M", 2)}


def test_an_order_error_in_quantities_or_the_match_file_does_not_blame_the_pattern(tmp_path):
    """Before, an unknown piece in an order's ``quantities`` (or a bad match file beside the
    pattern) read ``garments[0].pattern: cannot read tee.dxf: tee.dxf: garments[0].quantities:
    'Colar' is no piece ... of this pattern``, as if the pattern file could not be read. The
    message now names the order's field and the pattern by name."""
    (tmp_path / "tee.dxf").write_bytes(TEE.read_bytes())
    order = tmp_path / "t08.toml"
    order.write_text('[order]\nid = "T08"\ncustomer = "c"\n[[garments]]\npattern = "tee.dxf"\n'
                     'sizes = { M = 1 }\nquantities = { Colar = 2 }\n[[fabrics]]\nname = "jersey"\n'
                     'width_mm = 1500\n')
    with pytest.raises(OrderError) as err:
        plan_order(load_order(order))
    assert str(err.value) == (f"{order}: garments[0].quantities: 'Colar' is no piece name or category "
                              "of tee.dxf (pieces: Back, Front, Neckband, Sleeve; categories: BODY, SLEEVE, "
                              "TRIM)")
    order.write_text(order.read_text().replace("Colar", "Neckband"))
    (tmp_path / "tee.match.toml").write_text('[[match]]\npiece = "Collar"\npoint = "notch 1"\n')
    with pytest.raises(OrderError) as err:
        plan_order(load_order(order))
    assert str(err.value).startswith(f"{order}: garments[0].match: {tmp_path / 'tee.match.toml'}: "
                                     "match[0].piece: no piece 'Collar'")


def test_an_order_names_sizes_pieces_and_categories_of_a_decomposed_file(tmp_path):
    """An order typed in NFC (as editors write) against a cp1258 pattern that stores tone marks
    as combining characters. Before, ``sizes = { "Vừa" = 1 }`` was "no size 'Vừa'" (the file's
    ``Vừa`` differs in bytes), and so were the quantities' piece name and the fabric's category."""
    from encoded_dxf import as_cp1258, raw_bytes

    from kitcut.formats.writing.aama_write import aama_bytes, aama_document

    pieces = tuple(Piece(as_cp1258(n), [(0, 0), (w, 0), (w, 200), (0, 200)], size=as_cp1258(size),
                         category=as_cp1258(cat), quantity=1)
                   for size in ("Vừa", "Lớn") for n, w, cat in (("Thân trước", 300, "Thân"),
                                                                  ("Tay áo", 150, "Phụ liệu")))
    assert as_cp1258("Vừa") != "Vừa"
    data = aama_bytes(aama_document(Pattern(pieces, style="VI"))).decode("ascii")
    (tmp_path / "vi.dxf").write_bytes(raw_bytes(data, "cp1258", "ANSI_1258"))
    order = tmp_path / "vi.toml"
    order.write_text('[order]\nid = "VI"\ncustomer = "c"\n[[garments]]\npattern = "vi.dxf"\n'
                     'sizes = { "Vừa" = 1 }\nquantities = { "Thân trước" = 2 }\n'
                     '[[fabrics]]\nname = "main"\nwidth_mm = 1500\ncategories = ["Thân"]\n'
                     '[[fabrics]]\nname = "other"\nwidth_mm = 1500\n', encoding="utf-8")
    main, other = plan_order(load_order(order)).fabrics
    assert [(k.piece, k.size, k.per_garment) for k in main.kit_pieces] == [("Thân trước", "Vừa", 2)]
    assert [(k.piece, k.size, k.per_garment) for k in other.kit_pieces] == [("Tay áo", "Vừa", 1)]



def test_quantity_0_everywhere_with_cut_counts_in_the_annotations_names_the_options(tmp_path):
    """AccuMark writes ``Quantity: 0`` on every piece of some styles and the cut count in an
    annotation of the sample size only (``1XFABRIC``, ``2XFABRIC``). ``--quantity '*=1'`` alone
    cut one sleeve of a pair; the error names the options the annotations give."""
    from test_import_dxf import aama_doc, add_piece, save

    doc = aama_doc()
    for size, x in (("M", 0.0), ("L", 2000.0)):
        for k, (name, count) in enumerate((("FRONT", 1), ("SLEEVE", 2))):
            texts = [f"Piece Name: {name}", f"Size: {size}", "Quantity: 0"]
            if size == "M":
                texts.append(f"ANNOTATION: {count}XFABRIC")
            add_piece(doc, f"{name}_{size}", [[(0, 0), (300, 0), (300, 200 + 50 * k), (0, 200), (0, 0)]],
                      texts=texts, insert=(x + 500.0 * k, 0.0))
    path = save(doc, tmp_path)
    r = nest(str(path), "--sizes", "L", "--time", "1", "--workers", "1", "-o", str(tmp_path / "none"))
    hint = "--quantity '*=1' --quantity 'SLEEVE=2'"
    assert r.returncode == 2 and f"the pieces' annotations give their counts (1X, 2X...): {hint}" in r.stderr
    assert not (tmp_path / "none").exists()
    r = nest(str(path), "--sizes", "L", "--quantity", "*=1", "--quantity", "SLEEVE=2", "--time", "1",
             "--workers", "1", "--seed", "1", "-o", str(tmp_path / "out"), "--json")
    assert r.returncode == 0, r.stderr
    marker = json.loads((tmp_path / "out" / "marker.json").read_text())
    names = sorted(marker["instance"]["pieces"][p["piece"]]["name"] for p in marker["solution"]["placements"])
    assert names == ["FRONT", "SLEEVE", "SLEEVE"]


def _annotated_style(tmp_path, pieces):
    """An AccuMark-like style in sizes M and L: ``pieces`` are (name, Quantity text, annotation of
    the sample size M or None)."""
    from test_import_dxf import aama_doc, add_piece, save

    doc = aama_doc()
    for size, x in (("M", 0.0), ("L", 3000.0)):
        for k, (name, quantity, note) in enumerate(pieces):
            texts = [f"Piece Name: {name}", f"Size: {size}", f"Quantity: {quantity}"]
            if size == "M" and note:
                texts.append(f"ANNOTATION: {note}")
            add_piece(doc, f"{name}_{size}", [[(0, 0), (300, 0), (300, 200 + 50 * k), (0, 200), (0, 0)]],
                      texts=texts, insert=(x + 500.0 * k, 0.0))
    return save(doc, tmp_path, "pattern.dxf")


def test_quantity_0_beside_pieces_cut_says_what_the_annotations_give(tmp_path):
    """A cuff of ``Quantity: 0`` whose annotation says ``2XRIB`` (AccuMark's GMX1016S18 ASTM export),
    in a style whose other pieces are cut: it stays uncut, as its file says, and the job says so,
    naming how to cut it; once given a quantity, the note is gone."""
    path = _annotated_style(tmp_path, [("FRONT", "1", "1XFABRIC"), ("CUFF", "0", "2XRIB"),
                                       ("FACING", "0", None)])
    out = tmp_path / "out"
    r = nest(str(path), "--sizes", "L", "--time", "1", "--workers", "1", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert ("1 piece of quantity 0 has a cut count in its annotation: CUFF (2XRIB); not cut, as its Quantity "
            "text says (--quantity 'CUFF=2' cuts it)") in r.stderr
    marker = json.loads((out / "marker.json").read_text())
    pieces = marker["instance"]["pieces"]
    assert [pieces[p["piece"]]["name"] for p in marker["solution"]["placements"]] == ["FRONT"]
    r = nest(str(path), "--sizes", "L", "--quantity", "CUFF=2", "--time", "1", "--workers", "1",
             "-o", str(tmp_path / "two"), "--json")
    assert r.returncode == 0 and "cut count in its annotation" not in r.stderr
    marker = json.loads((tmp_path / "two" / "marker.json").read_text())
    names = sorted(marker["instance"]["pieces"][p["piece"]]["name"] for p in marker["solution"]["placements"])
    assert names == ["CUFF", "CUFF", "FRONT"]


def test_an_order_says_what_the_annotations_give(tmp_path):
    """The same in an order: the kit's notes name the garment's ``quantities`` field; a garment whose
    every piece says 0 is an error naming the quantities the annotations give."""
    from kitcut.kits.kit import KitOptions, build_kit

    _annotated_style(tmp_path, [("FRONT", "1", "1XFABRIC"), ("CUFF", "0", "2XRIB")])
    order = ('[order]\nid = "A-1"\ncustomer = "c"\n[[garments]]\npattern = "pattern.dxf"\nsizes = { L = 1 }\n'
             '{more}[[fabrics]]\nname = "main"\nwidth_mm = 1500\n')
    (tmp_path / "o.toml").write_text(order.replace("{more}", ""))
    opts = KitOptions(time_limit=1, max_iterations=0, formats=())
    build_kit(tmp_path / "o.toml", tmp_path / "K", opts)
    notes = json.loads((tmp_path / "K" / "A-1" / "kit.json").read_text())["notes"]
    said = ("garments[0] (pattern.dxf): 1 piece of quantity 0 has a cut count in its annotation: CUFF "
            '(2XRIB); not cut, as its Quantity text says (garments[0].quantities = { "CUFF" = 2 } '
            'cuts it)')
    assert said in notes
    (tmp_path / "o.toml").write_text(order.replace("{more}", 'quantities = { "CUFF" = 2 }\n'))
    build_kit(tmp_path / "o.toml", tmp_path / "K2", opts)
    notes = json.loads((tmp_path / "K2" / "A-1" / "kit.json").read_text())["notes"]
    assert not [n for n in notes if "cut count" in n]
    _annotated_style(tmp_path, [("FRONT", "0", "1XFABRIC"), ("CUFF", "0", "2XRIB")])
    (tmp_path / "o.toml").write_text(order.replace("{more}", ""))
    with pytest.raises(OrderError, match=r'give its quantities, e.g. garments\[0\]\.quantities = '
                                         r'\{ "\*" = 1, "CUFF" = 2 \} \(the counts the pieces'):
        build_kit(tmp_path / "o.toml", tmp_path / "K3", opts)
