"""Order checks an overnight batch relies on: real due dates, ids every system can hold as a
folder, one order per id, empty order files, and a pick list a spreadsheet cannot run."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from test_kits_fakes import FAKE_NESTER, FAKE_READER, tee_pieces, write_fake_tee

from kitcut.errors import OrderError
from kitcut.kits.batch import BatchOptions, run_batch
from kitcut.kits.kit import KitOptions, build_kit
from kitcut.kits.order import check_order_id, load_order

OPTS = KitOptions(time_limit=1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg",))
ORDER = """[order]
id = "{id}"
customer = "{customer}"
{due}
[[garments]]
pattern = "tee.dxf"
sizes = {{ M = 1 }}
{garment}
[[fabrics]]
name = "jersey"
width_mm = 1500
"""


def order_text(oid="V-1", customer="Studio", due="", garment="") -> str:
    return ORDER.format(id=oid, customer=customer, due=due, garment=garment)


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "orders"
    d.mkdir()
    write_fake_tee(d / "tee.dxf")
    return d


@pytest.mark.parametrize("due", ['"2026-13-45"', '"2026-02-30"', '"2026-12-05xyz"', '"05.12.2026"', "5"])
def test_a_due_date_must_be_a_real_date(folder, due):
    """Before, ``due = "2026-13-45"`` (anything starting with digits in that shape) was accepted and
    printed on the workshop note."""
    f = folder / "v.toml"
    f.write_text(order_text(due=f"due = {due}"))
    with pytest.raises(OrderError, match=r"order\.due: ") as err:
        load_order(f)
    assert str(f) in str(err.value)


def test_a_due_date_as_toml_date_or_string(folder):
    f = folder / "v.toml"
    for due in ('"2026-12-05"', "2026-12-05", '"2028-02-29"'):
        f.write_text(order_text(due=f"due = {due}"))
        assert load_order(f).due in ("2026-12-05", "2028-02-29")


@pytest.mark.parametrize("oid", ["CON", "nul", "aux.txt", "COM1", "Lpt9.x", "A.", "a..b", "x" * 99 + "."])
def test_ids_windows_cannot_hold_as_folders_are_refused(oid):
    """Before, ``CON``, ``NUL``, ``aux.txt`` and ``A.`` became kit folders Windows cannot hold, and
    ``a..b`` was refused with a message (letters, digits, '-', '_' or '.') it satisfies."""
    with pytest.raises(OrderError, match="order.id") as err:
        check_order_id(oid)
    msg = str(err.value)
    if ".." in oid or oid.endswith("."):
        assert "no '..' and no '.' at the end" in msg
    else:
        assert "is a device name" in msg and "Windows" in msg


@pytest.mark.parametrize("oid", ["CONSOLE", "con1", "A-1.b", "NULL-2"])
def test_ids_that_only_look_like_device_names_are_fine(oid):
    assert check_order_id(oid) == oid


def test_two_orders_with_one_id_both_fail(folder, tmp_path):
    """Before, the first file name won and was cut, the other failed ("also used by"): which
    customer's order is meant is not known. Now neither is built, and both say why."""
    (folder / "dup-a.toml").write_text(order_text(oid="W-1", customer="Anna"))
    (folder / "dup-b.toml").write_text(order_text(oid="w-1", customer="Bert"))  # one folder on Windows
    (folder / "ok.toml").write_text(order_text(oid="W-2"))
    kits = tmp_path / "KITS"
    s = run_batch(folder, kits, BatchOptions(kit=OPTS))
    out = {o.file: o for o in s.outcomes}
    assert s.exit_code == 2 and out["ok.toml"].status == "done"
    for mine, other in (("dup-a.toml", "dup-b.toml"), ("dup-b.toml", "dup-a.toml")):
        assert out[mine].status == "failed"
        assert f"is also used by {other} (ids are compared without case): none of these orders is built" \
            in out[mine].message
    assert not (kits / "W-1").exists() and not (kits / "w-1").exists()


def test_an_empty_order_file_fails(folder, tmp_path):
    """Before, a 0-byte order file (a truncated upload) was only a note, "not an order"."""
    (folder / "empty.toml").write_bytes(b"")
    (folder / "ok.toml").write_text(order_text())
    s = run_batch(folder, tmp_path / "KITS", BatchOptions(kit=OPTS))
    out = {o.file: o for o in s.outcomes}
    assert s.exit_code == 2 and s.notes == []
    assert out["empty.toml"].status == "failed" and "the order file is empty" in out["empty.toml"].message


def test_picklist_csv_cells_cannot_run_as_formulas(folder, tmp_path):
    """Before, a piece named ``=HYPERLINK(...)`` went into picklist.csv as it is: a spreadsheet runs
    it. Now every cell starting like a formula (= + - @, tab, CR) starts with a ``'`` (OWASP), which
    spreadsheets do not show: the cell reads as the name."""
    names = ['=HYPERLINK("http://x","a")', "+1", "-2", "@SUM(A1)", "\tTab", "Front"]
    pieces = [dict(p, name=n) for p, n in zip(tee_pieces("M", 1.0)[:2] * 3, names, strict=True)]
    (folder / "tee.dxf").write_text(json.dumps({"style": "tee", "pieces": pieces}))
    (folder / "n.toml").write_text(order_text(oid="N-1", garment='name = "=cmd|calc"'))
    kit = Path(build_kit(folder / "n.toml", tmp_path / "KITS", OPTS).path)
    rows = list(csv.DictReader((kit / "picklist.csv").open(encoding="utf-8-sig", newline="")))
    cells = [v for r in rows for v in r.values()]
    assert not [v for v in cells if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # a tab, as every control character, is a space in a cell (no formula start then)
    assert sorted(r["piece"] for r in rows) == sorted(
        n if n == "Front" else " Tab" if n == "\tTab" else "'" + n for n in names)
    assert {r["garment"] for r in rows} == {"'=cmd|calc"}
    assert all(r["bundle"].startswith("'=cmd") for r in rows)
    assert {r["order"] for r in rows} == {"N-1"} and {r["x_mm"][:1] for r in rows} != {"'"}


def _looped_yoke(folder: Path) -> Path:
    """A pattern whose size M has a 1,800 mm² loop (an error without a repair) and size L none."""
    from test_import_dxf import aama_doc, add_piece, save
    from test_import_errors import _corner_loop

    doc = aama_doc()
    for size, w, over in (("M", 200, 60.0), ("L", 220, 2.0)):
        add_piece(doc, f"YOKE_{size}", [_corner_loop(w, 200, over)], closed=True,
                  texts=["Piece Name: Yoke", f"Size: {size}"])
    return save(doc, folder, "yoke.dxf")


@pytest.mark.parametrize("sizes, hint", [
    ("{ M = 1, L = 2 }", "(to cut the other sizes, leave size(s) M out of garments[0].sizes)"),
    ("{ m = 1 }", "(size(s) M cannot be cut as drawn; the pattern's size(s) L can)"),
])
def test_a_size_needing_a_repair_is_advised_in_the_orders_words(tmp_path, sizes, hint):
    """Before, an order's pattern needing a repair was advised "rerun with --repair" and "leave
    size(s) M out: --sizes L": options `nest kit` does not have; an order says `repair = true` and
    lists its sizes. An order of the bad size only was given no hint at all."""
    d = tmp_path / "orders"
    d.mkdir()
    _looped_yoke(d)
    (d / "y.toml").write_text(f'[order]\nid = "Y-1"\ncustomer = "X"\n[[garments]]\npattern = "yoke.dxf"\n'
                              f'sizes = {sizes}\n[[fabrics]]\nname = "jersey"\nwidth_mm = 1500\n')
    with pytest.raises(OrderError) as err:
        build_kit(d / "y.toml", tmp_path / "KITS", KitOptions(time_limit=1, nester=FAKE_NESTER, formats=()))
    msg = str(err.value)
    assert "more than hairlines" in msg and "--repair" not in msg and "--sizes" not in msg
    assert msg.endswith("; fix it in the CAD, or set garments[0].repair = true in the order to keep its "
                        f"largest part {hint}")
    (d / "y.toml").write_text((d / "y.toml").read_text().replace("sizes =", "repair = true\nsizes ="))
    assert build_kit(d / "y.toml", tmp_path / "KITS", KitOptions(time_limit=1, nester=FAKE_NESTER,
                                                                  formats=())).status == "built"


def test_picklist_csv_opens_in_excel_with_its_names(folder, tmp_path):
    """picklist.csv was UTF-8 without a byte-order mark: Excel opens such a CSV in the system's
    code page, and `前片` or `Rücken` came out as mojibake in the sheet the cutting room reads
    (probe 38). It starts with the mark now; read as UTF-8 with the mark, the names are whole."""
    names = ["前片", "Rücken"]
    pieces = [dict(p, name=n) for p, n in zip(tee_pieces("M", 1.0)[:2], names, strict=True)]
    (folder / "tee.dxf").write_text(json.dumps({"style": "tee", "pieces": pieces}))
    (folder / "n.toml").write_text(order_text(oid="N-2"))
    kit = Path(build_kit(folder / "n.toml", tmp_path / "KITS", OPTS).path)
    data = (kit / "picklist.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.DictReader((kit / "picklist.csv").open(encoding="utf-8-sig", newline="")))
    assert list(rows[0])[0] == "order" and sorted({r["piece"] for r in rows}) == sorted(names)
