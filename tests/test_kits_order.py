"""Order files: parsing, validation messages, fabric routing, quantities, shrinkage, path safety."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from test_kits_fakes import read_fake_pattern, write_fake_tee

from kitcut.errors import OrderError
from kitcut.kits.order import check_order_id, load_order, read_order_id
from kitcut.kits.plan import plan_order, shrink_piece
from kitcut.model import Drill, Line, Notch, Piece

GOOD = """
[order]
id = "A-1"
customer = "Studio"
due = "2026-12-05"

[[garments]]
pattern = "tee.dxf"
sizes = { S = 2, M = 3, L = 1 }

[[fabrics]]
name = "jersey"
width_mm = 1500
spacing_mm = 2
margin_mm = 5

[[fabrics]]
name = "rib"
width_mm = 600
categories = ["trim"]
"""


@pytest.fixture
def folder(tmp_path):
    write_fake_tee(tmp_path / "tee.dxf")
    return tmp_path


def write(folder: Path, text: str, name: str = "order.toml") -> Path:
    p = folder / name
    p.write_text(text)
    return p


def test_good_order_and_plan(folder):
    order = load_order(write(folder, GOOD))
    assert order.id == "A-1" and order.customer == "Studio" and order.due == "2026-12-05"
    assert order.garment_count == 6
    assert [f.name for f in order.fabrics] == ["jersey", "rib"]
    assert order.fabrics[0].rules.usable_width == 1490
    plan = plan_order(order, reader=read_fake_pattern)
    jersey, rib = plan.fabrics
    # jersey: Front, Back, Sleeve per size; rib (category, case-insensitive): Neckband per size
    assert {k.piece for k in jersey.kit_pieces} == {"Front", "Back", "Sleeve"}
    assert {k.piece for k in rib.kit_pieces} == {"Neckband"}
    qty = {(p.size, p.name): p.quantity for p in jersey.pattern.pieces}
    assert qty[("S", "A-1/tee/Front")] == 2 and qty[("M", "A-1/tee/Sleeve")] == 6
    assert qty[("L", "A-1/tee/Back")] == 1
    # the sleeve pair: half of the copies mirrored, one left and one right per garment
    sleeve_m = next(p for p in jersey.pattern.pieces if p.size == "M" and p.name.endswith("Sleeve"))
    assert sleeve_m.copy_mirrors() == (False,) * 3 + (True,) * 3
    kp = next(k for k in jersey.kit_pieces if k.size == "M" and k.piece == "Sleeve")
    owners = [kp.copy_owner(c) for c in range(6)]
    assert owners == [(1, 1, False), (2, 1, False), (3, 1, False), (1, 2, True), (2, 2, True), (3, 2, True)]
    assert sum(p.quantity for p in rib.pattern.pieces) == 6


def test_single_asymmetric_piece_is_not_paired_across_garments(folder):
    # one asymmetric piece per garment, two garments: both as drawn (not a left/right pair)
    text = GOOD.replace("sizes = { S = 2, M = 3, L = 1 }", "sizes = { M = 2 }")
    plan = plan_order(load_order(write(folder, text)), reader=read_fake_pattern)
    front = next(p for p in plan.fabrics[0].pattern.pieces if p.name.endswith("Front"))
    assert front.copy_mirrors() == (False, False)


@pytest.mark.parametrize(
    "change, field, words",
    [
        (('id = "A-1"', ""), "order.id", "missing"),
        (('id = "A-1"', "id = 5"), "order.id", "string"),
        (('id = "A-1"', 'id = "../x"'), "order.id", "not allowed"),
        (('id = "A-1"', 'id = "/abs"'), "order.id", "not allowed"),
        (('id = "A-1"', 'id = "a/b"'), "order.id", "not allowed"),
        (('id = "A-1"', 'id = ""'), "order.id", "non-empty"),
        (('id = "A-1"', 'id = "a\\u0000b"'), "order.id", "not allowed"),
        (('customer = "Studio"', ""), "order.customer", "missing"),
        (('due = "2026-12-05"', 'due = "soon"'), "order.due", "date"),
        (("width_mm = 1500", "width_mm = -1500"), "fabrics[0].width_mm", "> 0"),
        (("width_mm = 1500", "width_mm = 0"), "fabrics[0].width_mm", "> 0"),
        (("width_mm = 1500", 'width_mm = "wide"'), "fabrics[0].width_mm", "number"),
        (("width_mm = 1500", ""), "fabrics[0].width_mm", "missing"),
        (("spacing_mm = 2", "spacing_mm = -2"), "fabrics[0].spacing_mm", ">= 0"),
        (("spacing_mm = 2", "spacing_mm = 1e9"), "fabrics[0].spacing_mm", "<= 100"),
        (("width_mm = 1500", "width_mm = 1e9"), "fabrics[0].width_mm", "<= 10000"),
        (("margin_mm = 5", "margin_mm = 800"), "fabrics[0].margin_mm", "no usable width"),
        (("spacing_mm = 2", 'nap = "sideways"'), "fabrics[0].nap", "unknown nap"),
        (("spacing_mm = 2", "shrinkage_pct = [1]"), "fabrics[0].shrinkage_pct", "[x, y]"),
        (("spacing_mm = 2", "shrinkage_pct = [80, 0]"), "fabrics[0].shrinkage_pct.x", "<= 40"),
        (("spacing_mm = 2", 'shrinkage_pct = [10, 0]\nnap = "quarter"'), "fabrics[0].shrinkage_pct",
         "differs along and across the roll, and nap 'quarter' lets pieces lie across it"),
        (("spacing_mm = 2", 'shrinkage_pct = [3, 1]\nnap = "free"'), "fabrics[0].shrinkage_pct",
         "give one shrinkage for both, or nap 'one-way' or 'two-way'"),
        (("spacing_mm = 2", "widht_mm = 3"), "fabrics[0].widht_mm", "unknown field"),
        (('categories = ["trim"]', "categories = []"), "fabrics[1].categories", "non-empty list"),
        (("sizes = { S = 2, M = 3, L = 1 }", "sizes = { S = 0 }"), "garments[0].sizes.S", "> 0"),
        (("sizes = { S = 2, M = 3, L = 1 }", "sizes = { S = 1.5 }"), "garments[0].sizes.S", "whole number"),
        (("sizes = { S = 2, M = 3, L = 1 }", "sizes = {}"), "garments[0].sizes", "non-empty"),
        (("sizes = { S = 2, M = 3, L = 1 }", "sizes = []"), "garments[0].sizes", "non-empty"),
        (("sizes = { S = 2, M = 3, L = 1 }", 'sizes = ["S", 2.5]'), "garments[0].sizes", "a list of sizes"),
        (("sizes = { S = 2, M = 3, L = 1 }", 'sizes = "M"'), "garments[0].sizes", "a list of sizes"),
        (("sizes = { S = 2, M = 3, L = 1 }", ""), "garments[0].sizes", "missing"),
        (("sizes = { S = 2, M = 3, L = 1 }", "sizes = { S = 2 }\ncount = 2"), "garments[0].count",
         "not both"),
        (("sizes = { S = 2, M = 3, L = 1 }", "count = 0"), "garments[0].count", "> 0"),
        (("sizes = { S = 2, M = 3, L = 1 }", "count = true"), "garments[0].count", "whole number"),
        (('pattern = "tee.dxf"', 'pattern = "nope.dxf"'), "garments[0].pattern", "not found"),
        (('pattern = "tee.dxf"', 'pattern = "../tee.dxf"'), "garments[0].pattern", "leaves the order"),
        (('pattern = "tee.dxf"', 'pattern = "/etc/passwd"'), "garments[0].pattern", "leaves the order"),
    ],
)
def test_bad_orders_name_file_and_field(folder, change, field, words):
    old, new = change
    assert old in GOOD
    path = write(folder, GOOD.replace(old, new, 1))
    with pytest.raises(OrderError) as info:
        load_order(path)
    msg = str(info.value)
    assert msg.startswith(str(path) + ": "), msg
    assert field + ":" in msg and words in msg, msg


@pytest.mark.parametrize("given", ["patterns", "patterns/", "patterns\\\\"])
def test_a_folder_named_as_a_pattern_says_it_is_a_folder(folder, given):
    """``pattern = 'patterns/'`` was "not found (looked for patterns)", where a folder of that
    name is: it says it is a folder."""
    (folder / "patterns").mkdir()
    path = write(folder, GOOD.replace('pattern = "tee.dxf"', f'pattern = "{given}"'))
    with pytest.raises(OrderError, match=r"garments\[0\]\.pattern: pattern file '.*' is a folder \(.*"
                                         r"patterns\), not a file: name the file in it"):
        load_order(path)


def test_not_toml_and_missing_tables(folder):
    with pytest.raises(OrderError, match="not valid TOML"):
        load_order(write(folder, "[order\nid="))
    with pytest.raises(OrderError, match="garments: missing"):
        load_order(write(folder, '[order]\nid = "x"\ncustomer = "c"\n[[fabrics]]\nname="a"\nwidth_mm=1\n'))
    with pytest.raises(OrderError, match=r"fabrics: must be one or more \[\[fabrics\]\] tables \(double"):
        load_order(write(folder, GOOD.replace("[[fabrics]]", "[fabrics]", 1).split("[[fabrics]]")[0]))
    with pytest.raises(OrderError, match="no such order file"):
        load_order(folder / "absent.toml")


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8"),
    lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),  # UTF-8 with a byte-order mark (Windows editors)
    lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    lambda t: t.encode("utf-16"),  # "Unicode" in Notepad: UTF-16 with its mark
], ids=["utf-8", "utf-8-bom", "crlf", "utf-16"])
def test_order_saved_by_any_editor_reads_the_same(folder, encode):
    text = GOOD.replace('customer = "Studio"', 'customer = "Atelier Ünal 工房"')
    p = folder / "order.toml"
    p.write_bytes(encode(text))
    order = load_order(p)
    assert (order.id, order.customer, order.garment_count) == ("A-1", "Atelier Ünal 工房", 6)
    assert read_order_id(p) == "A-1"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("customer", ["Studio", "Atelier Ünal 工房"])
def test_order_in_utf16_without_its_mark_is_said_to_be_utf16(folder, codec, customer):
    """UTF-16 without a byte-order mark was refused as "not UTF-8 text (byte 0xF6 ...)", and an
    all-ASCII one as TOML "Invalid initial character for a key part": neither said UTF-16."""
    p = folder / "order.toml"
    p.write_bytes(GOOD.replace('customer = "Studio"', f'customer = "{customer}"').encode(codec))
    with pytest.raises(OrderError, match=r"not valid TOML: UTF-16 text without a byte-order mark \(one byte "
                                         r"of each pair 0\); save it as UTF-8, or as UTF-16 with its mark"):
        load_order(p)


def test_order_in_a_legacy_code_page_is_refused_clearly(folder):
    p = folder / "order.toml"
    p.write_bytes(GOOD.replace('customer = "Studio"', 'customer = "Atelier Ünal"').encode("cp1252"))
    at = p.read_bytes().index("Ü".encode("cp1252")) + 1  # counted from 1 (it read like a byte value)
    data = p.read_bytes()
    line = data[:at].count(b"\n") + 1
    column = at - data[:at].rfind(b"\n") - 1
    with pytest.raises(OrderError, match=rf"not valid TOML: not UTF-8 text \(byte 0xDC at line {line}, "
                                         rf"column {column}: byte {at} of the file\); save it as UTF-8"):
        load_order(p)


def test_a_list_of_sizes_is_one_garment_of_each(folder):
    """``sizes = ["M"]``, the everyday one-garment order, as ``sizes = { M = 1 }``; a size listed
    twice is two garments, and sizes may be numbers as in the pattern (``[38, 40]``)."""
    order = load_order(write(folder, GOOD.replace("sizes = { S = 2, M = 3, L = 1 }", 'sizes = ["M"]')))
    assert order.garments[0].sizes == {"M": 1} and order.garment_count == 1
    plan = plan_order(order, reader=read_fake_pattern)
    assert {(p.size, p.name, p.quantity) for p in plan.fabrics[0].pattern.pieces} == {
        ("M", "A-1/tee/Front", 1), ("M", "A-1/tee/Back", 1), ("M", "A-1/tee/Sleeve", 2)}
    listed = 'sizes = ["S", "L", "S"]'
    order = load_order(write(folder, GOOD.replace("sizes = { S = 2, M = 3, L = 1 }", listed)))
    assert order.garments[0].sizes == {"S": 2, "L": 1}
    # one size typed in two cases is that size listed twice (it was an error, while ["M", "M"] was two)
    listed = 'sizes = ["M", "m", " M "]'
    order = load_order(write(folder, GOOD.replace("sizes = { S = 2, M = 3, L = 1 }", listed)))
    assert order.garments[0].sizes == {"M": 3}
    assert sum(p.quantity for p in plan_order(order, reader=read_fake_pattern).fabrics[0].pattern.pieces
               if p.name.endswith("/Sleeve")) == 6
    order = load_order(write(folder, GOOD.replace("sizes = { S = 2, M = 3, L = 1 }", "sizes = [38, 40]")))
    assert order.garments[0].sizes == {"38": 1, "40": 1}


@pytest.mark.parametrize("names, want", [
    ((None, None, None), ["tee", "tee-2", "tee-3"]),
    (("tee-2", None, None), ["tee-2", "tee", "tee-3"]),  # a name made up is never one given
    (("Polo", "Polo", "Polo-2"), ["Polo", "Polo-3", "Polo-2"]),
    (("Tee", None, "TEE-2"), ["Tee", "tee-3", "TEE-2"]),  # names are compared without case
])
def test_garment_names_are_made_distinct_without_taking_a_name_given(folder, names, want):
    """Garments of one name are told apart as tee, tee-2...: a name made up so was once the
    name another garment was given (name = "tee-2"), and the two garments became one bundle on
    the pick list, their labels' codes twice."""
    one = '[[garments]]\npattern = "tee.dxf"\nsizes = ["M"]\n'
    garments = "".join(one + (f'name = "{n}"\n' if n else "") for n in names)
    text = GOOD.replace('[[garments]]\npattern = "tee.dxf"\nsizes = { S = 2, M = 3, L = 1 }\n', garments)
    got = [g.name for g in load_order(write(folder, text)).garments]
    assert got == want
    assert len({n.casefold() for n in got}) == 3


def test_unknown_size_lists_the_sizes_it_has(folder):
    order = load_order(write(folder, GOOD.replace("S = 2,", "XXL = 2,")))
    want = r"garments\[0\]\.sizes\.XXL: tee\.dxf has no size 'XXL' \(it has S, M, L\)"
    with pytest.raises(OrderError, match=want):
        plan_order(order, reader=read_fake_pattern)


def test_a_garment_with_layers_keeps_its_name(folder):
    """A garment's ``layers`` table left its name alone. Before, the check of the table reused
    the variable of the garment's name, so the README's order with ``layers = { L23 = "grain",
    "DIM*" = "ignore" }`` made a garment named ``DIM*`` (in kit.json, pick lists, labels and the
    markers' piece names) instead of ``tee``."""
    layers = 'layers = { L23 = "grain", "DIM*" = "ignore" }\n'
    order = load_order(write(folder, GOOD.replace("sizes = { S = 2, M = 3, L = 1 }\n",
                                                  "sizes = { S = 2, M = 3, L = 1 }\n" + layers)))
    (g,) = order.garments
    assert g.name == "tee" and g.layers == (("L23", "grain"), ("DIM*", "ignore"))
    named = GOOD.replace('pattern = "tee.dxf"\n', 'pattern = "tee.dxf"\nname = "shirt"\n' + layers)
    assert load_order(write(folder, named)).garments[0].name == "shirt"


def test_count_orders_a_pattern_without_sizes(folder):
    """``count = N`` orders N garments of a pattern without sizes (a cutter drawing, a one-size
    accessory): every piece N times its quantity; on a pattern with sizes it is an error saying
    to give the garments per size."""
    import ezdxf

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for x, (name, qty) in enumerate((("Bag body", 2), ("Strap", 1))):
        x0 = 400 * x
        msp.add_lwpolyline([(x0, 0), (x0 + 300, 0), (x0 + 300, 200), (x0, 200)], close=True)
        msp.add_text(f"Piece Name: {name}", dxfattribs={"insert": (400 * x + 10, 100), "height": 5})
        msp.add_text(f"Quantity: {qty}", dxfattribs={"insert": (400 * x + 10, 50), "height": 5})
    doc.saveas(folder / "tote.dxf")
    text = GOOD.replace('pattern = "tee.dxf"', 'pattern = "tote.dxf"').replace(
        "sizes = { S = 2, M = 3, L = 1 }", "count = 3")
    order = load_order(write(folder, text))
    assert order.garment_count == 3
    plan = plan_order(order)
    got = sorted((p.name, p.size, p.quantity) for p in plan.fabrics[0].pattern.pieces)
    assert got == [("A-1/tote/Bag body", "one size", 6), ("A-1/tote/Strap", "one size", 3)]
    order = load_order(write(folder, GOOD.replace("sizes = { S = 2, M = 3, L = 1 }", "count = 2")))
    with pytest.raises(OrderError, match=r"garments\[0\]\.count: tee\.dxf has sizes \(S, M, L\): give the "
                                         r"garments per size instead \(e\.g\. sizes = \{ S = 2 \}\)"):
        plan_order(order, reader=read_fake_pattern)


def test_category_no_fabric_takes(folder):
    text = GOOD.replace('categories = ["trim"]', 'categories = ["lining"]')
    text = text.replace('name = "jersey"\n', 'name = "jersey"\ncategories = ["body"]\n')
    order = load_order(write(folder, text))
    with pytest.raises(OrderError,
                       match="piece 'Front' of tee.dxf has no category and no material, which no fabric"):
        plan_order(order, reader=read_fake_pattern)


def test_symlink_leading_out_is_rejected_unless_allowed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    write_fake_tee(outside / "tee.dxf")
    inner = tmp_path / "orders"
    inner.mkdir()
    os.symlink(outside / "tee.dxf", inner / "tee.dxf")
    path = write(inner, GOOD)
    with pytest.raises(OrderError, match="leads outside the order's folder"):
        load_order(path)
    assert load_order(path, allow_outside=True).garments[0].pattern == inner / "tee.dxf"
    path2 = write(inner, GOOD.replace('"tee.dxf"', '"../outside/tee.dxf"'), "o2.toml")
    got = load_order(path2, allow_outside=True).garments[0].pattern
    assert got.resolve() == (outside / "tee.dxf").resolve()


def test_order_written_on_windows_finds_its_files(tmp_path):
    """Backslashes separate folders and a name that differs only in case finds its file, as on
    Windows; a backslash path may not leave the folder either, and two files that differ only
    in case are not guessed between."""
    sub = tmp_path / "Patterns"
    sub.mkdir()
    write_fake_tee(sub / "Tee.dxf")
    for given in ["'Patterns\\Tee.dxf'", '"Patterns\\\\Tee.dxf"', '"patterns/TEE.DXF"',
                  "'PATTERNS\\tee.Dxf'"]:
        order = load_order(write(tmp_path, GOOD.replace('"tee.dxf"', given)))
        assert order.garments[0].pattern == sub / "Tee.dxf", given
    with pytest.raises(OrderError, match="leaves the order's folder"):
        load_order(write(tmp_path, GOOD.replace('"tee.dxf"', "'..\\Patterns\\Tee.dxf'")))
    write_fake_tee(sub / "TEE.dxf")  # the two are named (probe 39: "not found" beside both)
    with pytest.raises(OrderError) as err:
        load_order(write(tmp_path, GOOD.replace('"tee.dxf"', '"patterns/tee.DXF"')))
    assert str(err.value).endswith(
        f"garments[0].pattern: pattern file 'patterns/tee.DXF' could be any of {sub / 'TEE.dxf'}, "
        f"{sub / 'Tee.dxf'}: names that differ only in case are one file on Windows and macOS; give the name "
        "as it is written")
    # the path as typed, its backslash not doubled by Python's quoting
    with pytest.raises(OrderError, match=r"pattern file 'Patterns\\Nope\.dxf' not found"):
        load_order(write(tmp_path, GOOD.replace('"tee.dxf"', "'Patterns\\Nope.dxf'")))


def test_a_path_typed_decomposed_finds_its_composed_folder(tmp_path):
    """Before, ``sub dir/Muster ü/tee.dxf`` typed in decomposed Unicode (NFD, as macOS writes
    names) was "not found" beside the folder written composed (NFC), and the other way round:
    names now match under Unicode normalization, as they already did ignoring case."""
    import unicodedata

    for written, typed in (("NFC", "NFD"), ("NFD", "NFC")):
        base = tmp_path / written
        sub = base / "sub dir" / unicodedata.normalize(written, "Muster ü")
        sub.mkdir(parents=True)
        write_fake_tee(sub / "tee.dxf")
        given = unicodedata.normalize(typed, '"sub dir/Muster Ü/TEE.dxf"')
        order = load_order(write(base, GOOD.replace('"tee.dxf"', given)))
        assert order.garments[0].pattern == sub / "tee.dxf", written


def test_fabrics_giving_one_folder_are_named_as_typed(folder):
    """Before, two fabrics whose names give one marker folder were refused with the folder names
    ("two fabrics have the same name (Jersey-weiss, Jersey-weiss)"), not the names typed; names
    giving folders that differ only in case (one folder on Windows) were let through."""
    text = GOOD.replace('name = "jersey"', 'name = "Jersey weiß"')
    text = text.replace('name = "rib"', 'name = "jersey-weiss"')
    path = write(folder, text)
    with pytest.raises(OrderError) as err:
        load_order(path)
    assert str(err.value) == (
        f"{path}: fabrics[1].name: 'Jersey weiß' (fabrics[0]) and 'jersey-weiss' (fabrics[1]) give the same "
        "folder fabrics/Jersey-weiss (folder names are compared without case, as Windows and macOS do): give "
        "the fabrics names that differ in more than case, accents or punctuation")
    path = write(folder, GOOD.replace('name = "rib"', 'name = "jersey"'))
    with pytest.raises(OrderError) as err:
        load_order(path)
    assert str(err.value) == (f"{path}: fabrics[1].name: 'jersey' is the name of fabrics[0] and fabrics[1]: "
                              "give each fabric a name of its own")


@pytest.mark.parametrize("given, allowed, message", [
    ("'C:\\Users\\x\\tee.dxf'", False, "'C:\\Users\\x\\tee.dxf' is an absolute (Windows) path: it leaves the "
     "order's folder (name the file relative to the order file, or give --allow-outside)"),
    ('"d:/patterns/tee.dxf"', False, "'d:/patterns/tee.dxf' is an absolute (Windows) path: it leaves the "
     "order's folder (name the file relative to the order file, or give --allow-outside)"),
    ("'C:\\Users\\x\\tee.dxf'", True, "'C:\\Users\\x\\tee.dxf' is a Windows path on drive C:, which this "
     "machine cannot open: name the file relative to the order file"),
    ('"/srv/patterns/tee.dxf"', False, "'/srv/patterns/tee.dxf' is an absolute path: it leaves the order's "
     "folder (name the file relative to the order file, or give --allow-outside)"),
    ('"../tee.dxf"', False, "'../tee.dxf' leaves the order's folder (use a path inside it, or give "
     "--allow-outside)"),
])
def test_absolute_and_outside_paths_name_the_option(folder, given, allowed, message):
    """Before, ``'C:\\Users\\x\\tee.dxf'`` was "not found (looked for ...)", as if a relative name,
    and a path leaving the folder said "or allow outside files" without naming the option."""
    path = write(folder, GOOD.replace('"tee.dxf"', given))
    with pytest.raises(OrderError) as err:
        load_order(path, allow_outside=allowed)
    assert str(err.value) == f"{path}: garments[0].pattern: {message}"


def test_read_order_id_and_check(folder):
    assert read_order_id(write(folder, GOOD)) == "A-1"
    for bad in ["..", ".", ".hidden", "a/b", "a\\b", "", "x" * 101, "a\x00b", "a b", "a..b"]:
        with pytest.raises(OrderError):
            check_order_id(bad)
    assert check_order_id("A_1.2-b") == "A_1.2-b"
    for taken in ["index.html", "INDEX.HTML", "batch.log", "batch-report.json"]:  # a batch writes these
        with pytest.raises(OrderError, match="is the name of a file every batch writes"):
            check_order_id(taken)


def test_shrinkage_scales_along_and_across_the_grain():
    # grain along y of the piece: x shrinkage (along the roll) stretches the piece's y
    p = Piece("P", [(0, 0), (100, 0), (100, 200), (0, 200)], grain=Line(np.array([[50.0, 0], [50, 100]])),
              notches=(Notch(100, 100, 180.0),), drills=(Drill(50, 100),))
    s = shrink_piece(p, (20.0, 0.0))  # factor 1/(1-0.2) = 1.25 along the grain
    assert s.width == pytest.approx(100) and s.height == pytest.approx(250)
    assert (s.drills[0].x, s.drills[0].y) == pytest.approx((50, 125))
    assert (s.notches[0].x, s.notches[0].y, s.notches[0].angle_deg) == pytest.approx((100, 125, 180))
    assert s.grain.points[-1].tolist() == pytest.approx([50, 125])
    s2 = shrink_piece(p, (0.0, 50.0 / 3))  # across the grain: x of the piece, factor 1.2
    assert s2.width == pytest.approx(120) and s2.height == pytest.approx(200)
    assert shrink_piece(p, (0.0, 0.0)) is p


def test_one_shrinkage_for_both_directions_takes_any_nap(folder):
    """Shrinkage the same along and across the roll fits a piece turned either way: any nap."""
    quarter = 'spacing_mm = 2\nshrinkage_pct = 3\nnap = "quarter"'
    path = write(folder, GOOD.replace("spacing_mm = 2", quarter, 1))
    fab = load_order(path).fabrics[0]
    assert fab.shrinkage_pct == (3.0, 3.0) and fab.nap == "quarter"


def test_shrinkage_applies_in_the_plan(folder):
    text = GOOD.replace("margin_mm = 5", "margin_mm = 5\nshrinkage_pct = [20, 0]")
    plan = plan_order(load_order(write(folder, text)), reader=read_fake_pattern)
    front = next(p for p in plan.fabrics[0].pattern.pieces if p.name.endswith("Front") and p.size == "M")
    assert front.width == pytest.approx(625) and front.height == pytest.approx(420)  # grain along x
    neck = next(p for p in plan.fabrics[1].pattern.pieces if p.size == "M")
    assert neck.width == pytest.approx(420)  # the rib has no shrinkage


def test_fabrics_named_in_any_script_get_folders_of_their_own(folder):
    """Fabric names in Chinese, German or Russian give their folders in ASCII as they sound:
    ``面布`` and ``里布`` (face fabric and lining) were both ``fabric``, and the order was refused
    as naming two fabrics alike. The bundle list keeps its columns under names two cells wide."""
    from rich.cells import cell_len

    from kitcut.kits.order import slug
    from kitcut.kits.picklist import Cut, picklist_text

    assert [slug(n) for n in ("面布", "里布", "Jersey weiß", "Хлопок", "Coton écru", "★")] == [
        "MianBu", "LiBu", "Jersey-weiss", "Khlopok", "Coton-ecru", "fabric"]
    text = GOOD.replace('name = "jersey"', 'name = "面布"').replace('name = "rib"', 'name = "里布"')
    order = load_order(write(folder, text))
    assert [slug(f.name) for f in order.fabrics] == ["MianBu", "LiBu"]
    cuts = [Cut("A-1", "tee", "M", 1, piece, 1, 1, False, fabric, 0, 10.0, 0.0)
            for piece, fabric in (("前片", "面布"), ("Front", "jersey"), ("领子 Collar", "里布"))]
    rows = [ln for ln in picklist_text(cuts, title="t").splitlines() if ln.startswith("  [ ]")]
    assert len({cell_len(ln.split(" marker")[0]) for ln in rows}) == 1, rows


def test_picklist_text_columns_hold_with_tabs_and_long_names():
    """Before, a tab in a piece name went into picklist.txt as it was, and a piece name longer
    than 24 cells or a fabric longer than 14 pushed the rest of its row out of line. Names are
    now on one line (a tab as a space) and the columns as wide as the longest name."""
    from rich.cells import cell_len

    from kitcut.kits.picklist import Cut, picklist_text

    cuts = [Cut("A-1", "tee", "M", 1, piece, 1, 1, False, fabric, k, 10.0, 0.0)
            for k, (piece, fabric) in enumerate((("Sleeve\tTab %s", "Baumwoll-Jersey Melange"),
                                                 ("Front", "rib"), ("Vorderteil-" * 4, "里布")))]
    text = picklist_text(cuts, title="t")
    rows = [ln for ln in text.splitlines() if ln.startswith("  [ ]")]
    assert "\t" not in text and "  [ ] Sleeve Tab %s " in text
    for mark in (" 1/1 ", " marker #"):
        assert len({cell_len(ln[: ln.index(mark)]) for ln in rows}) == 1, rows


def test_label_code_splits_into_its_six_fields_whatever_the_names():
    """The label's code joins order, garment, size, number, piece and copy by ``/``; a size
    ``S/M`` or a piece ``Front/Back`` is written with ``%2F`` (``%`` as ``%25``), so splitting
    on ``/`` and decoding gives every field back."""
    from urllib.parse import unquote

    from kitcut.kits.picklist import Cut

    for size, piece in (("M", "Front"), ("S/M", "Front/Back"), ("38/40", "50% Pocket"), ("M", "a%2Fb")):
        code = Cut("A-1", "tee", size, 2, piece, 1, 2, False, "jersey", 0, 0.0, 0.0).code
        assert [unquote(f) for f in code.split("/")] == ["A-1", "tee", size, "2", piece, "1"], code
    assert Cut("A-1", "tee", "M", 2, "Front", 1, 2, False, "j", 0, 0.0, 0.0).code == "A-1/tee/M/2/Front/1"
