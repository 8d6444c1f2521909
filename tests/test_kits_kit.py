"""One kit: layout, manifest, pick list, labels (QR read back), report, safety of ids."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from test_kits_fakes import FAKE_NESTER, FAKE_READER, read_fake_pattern, write_metre_pattern

from kitcut.errors import KitcutError, OrderError
from kitcut.kits.kit import KitOptions, build_kit, clean_stale, kit_path, temp_name
from kitcut.kits.labels import qr_matrix
from kitcut.kits.manifest import is_complete, verify_manifest
from kitcut.kits.order import load_order
from kitcut.kits.plan import plan_order

ORDERS = Path(__file__).parent / "data" / "orders"
OPTS = KitOptions(time_limit=1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg",))


def test_kit_layout_and_manifest(orders, tmp_path):
    kits = tmp_path / "KITS"
    r = build_kit(orders / "A-1001.toml", kits, OPTS)
    kit = kits / "A-1001"
    assert r.status == "built" and Path(r.path) == kit
    files = sorted(p.relative_to(kit).as_posix() for p in kit.rglob("*") if p.is_file())
    assert files == sorted([
        "manifest.json", "kit.json", "kit.pdf", "kit.html", "picklist.csv", "picklist.txt", "labels.pdf",
        "workshop.txt", "fabrics/jersey/marker.json", "fabrics/jersey/marker.svg",
        "fabrics/rib/marker.json", "fabrics/rib/marker.svg",
    ])
    assert verify_manifest(kit) == [] and is_complete(kit)
    man = json.loads((kit / "manifest.json").read_text())
    assert man["orders"] == ["A-1001"] and len(man["files"]) == len(files) - 1
    assert [p.name for p in kits.iterdir()] == ["A-1001"]  # no temporary folder left
    # tampering is detected: a changed byte, a missing file, an extra file
    (kit / "workshop.txt").write_text((kit / "workshop.txt").read_text() + "x")
    assert any("workshop.txt" in p for p in verify_manifest(kit))
    assert not is_complete(kit)


def test_manifest_detects_missing_and_names_extra(orders, tmp_path):
    from kitcut.kits.manifest import unlisted_files

    kit = Path(build_kit(orders / "A-1001.toml", tmp_path / "K", OPTS).path)
    (kit / "extra.txt").write_text("?")  # a file the kit did not write: named, not a problem
    assert verify_manifest(kit) == [] and unlisted_files(kit) == ["extra.txt"]
    os.unlink(kit / "extra.txt")
    os.unlink(kit / "labels.pdf")
    assert verify_manifest(kit) == ["labels.pdf: missing"]


def test_picklist_matches_the_order(orders, tmp_path):
    kit = Path(build_kit(orders / "A-1001.toml", tmp_path / "K", OPTS).path)
    rows = list(csv.DictReader((kit / "picklist.csv").open(encoding="utf-8-sig")))
    # A-1001: S=1, M=2, L=1 tees; each tee: Front, Back, 2 Sleeves (jersey), Neckband (rib)
    bundles = Counter(r["bundle"] for r in rows)
    assert bundles == {"tee S #1": 5, "tee M #1": 5, "tee M #2": 5, "tee L #1": 5}
    per = Counter((r["bundle"], r["piece"], r["side"]) for r in rows)
    assert per[("tee M #2", "Sleeve", "as drawn")] == 1 and per[("tee M #2", "Sleeve", "mirrored")] == 1
    assert {r["fabric"] for r in rows if r["piece"] == "Neckband"} == {"rib"}
    assert len({r["code"] for r in rows}) == len(rows) == 20
    # every row points at its placement on the marker, and the marker piece is the right one
    for fabric in ("jersey", "rib"):
        m = json.loads((kit / "fabrics" / fabric / "marker.json").read_text())
        placed = m["solution"]["placements"]
        mine = [r for r in rows if r["fabric"] == fabric]
        assert sorted(int(r["placement"]) for r in mine) == list(range(len(placed)))
        for r in mine:
            pl = placed[int(r["placement"])]
            assert pl["name"] == f"A-1001/tee/{r['piece']}" and pl["size"] == r["size"]
            assert pl["mirrored"] == (r["side"] == "mirrored")
            xs = [p[0] for p in pl["outline"]]
            assert min(xs) <= float(r["x_mm"]) <= max(xs)
    text = (kit / "picklist.txt").read_text()
    assert "Bundle A-1001 tee M #2: 5 pieces" in text and text.rstrip().endswith("4 bundles, 20 pieces")


def test_labels_pdf_text_and_qr_codes(orders, tmp_path):
    from pypdf import PdfReader

    kit = Path(build_kit(orders / "A-1001.toml", tmp_path / "K", OPTS).path)
    rows = list(csv.DictReader((kit / "picklist.csv").open(encoding="utf-8-sig")))
    reader = PdfReader(kit / "labels.pdf")
    assert len(reader.pages) == 1  # 20 labels, 24 per sheet
    text = reader.pages[0].extract_text()
    assert text.count("A-1001") == 20 and "tee M #2" in text and "copy 2/2 mirrored" in text
    images = reader.pages[0].images
    assert len(images) == 20
    # the labels are in pick-list order; each QR image is the code of its row, module for module
    for row, img in zip(rows, images, strict=True):
        want = qr_matrix("kitcut:" + row["code"])
        pic = img.image.convert("L")
        assert pic.size == (len(want), len(want))
        n = pic.size[0]
        got = [[1 if pic.getpixel((x, y)) < 128 else 0 for x in range(n)] for y in range(n)]
        assert got == want, row["code"]


MIXED = """[order]
id = "B-2001"
customer = "X"
[[garments]]
name = "Basic Tee ü 基本"
pattern = "tee.dxf"
sizes = { M = 1 }
[[fabrics]]
name = "jersey"
width_mm = 1500
"""


def test_qr_codes_of_names_mixing_scripts_carry_their_encoding(tmp_path):
    """Before, a QR code held UTF-8 without an ECI designator: zbar read a name mixing Latin and
    CJK (`Basic Tee ü 基本`) as Shift JIS, `Basic Tee ﾃｼ 蝓ｺ譛ｬ`, no longer the pick list's code.
    Now a payload beyond ISO 8859-1 (a QR code's default) is UTF-8 with ECI 26; one within it is as
    before. Read back by zbarimg (zbar-tools) from labels.pdf as pdftoppm renders it."""
    import segno
    from test_kits_fakes import write_fake_tee

    d = tmp_path / "orders"
    d.mkdir()
    write_fake_tee(d / "tee.dxf")
    (d / "b.toml").write_text(MIXED, encoding="utf-8")
    kit = Path(build_kit(d / "b.toml", tmp_path / "K", OPTS).path)
    codes = {"kitcut:" + r["code"] for r in csv.DictReader((kit / "picklist.csv").open(encoding="utf-8-sig"))}
    mixed = next(c for c in codes if "Back" in c)
    assert "Basic Tee ü 基本" in mixed
    # the modules are those of UTF-8 with the ECI designator, not of bare UTF-8 bytes
    eci = segno.make(mixed.encode("utf-8"), encoding="utf-8", eci=True, error="m", micro=False)
    bare = segno.make(mixed.encode("utf-8"), encoding="utf-8", eci=False, error="m", micro=False)
    assert qr_matrix(mixed) == [list(r) for r in eci.matrix] != [list(r) for r in bare.matrix]
    # a payload ISO 8859-1 holds is written as before, without a designator (a version 2 code)
    plain = "kitcut:A-1/Jäckchen/M/1/Front/1"
    assert qr_matrix(plain) == [list(r) for r in segno.make(plain, error="m", micro=False).matrix]
    missing = [t for t in ("pdftoppm", "zbarimg") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed (apt-get install poppler-utils zbar-tools; see "
                    ".ci/system-deps): the QR codes are not read back by an independent decoder")
    import subprocess

    subprocess.run(["pdftoppm", "-r", "200", "-png", str(kit / "labels.pdf"), str(tmp_path / "page")],
                   check=True)
    pages = sorted(str(p) for p in tmp_path.glob("page*.png"))
    out = subprocess.run(["zbarimg", "-q", "--raw", *pages], capture_output=True, check=False)
    got = out.stdout.decode("utf-8").splitlines()
    assert len(got) == len(codes) and set(got) == codes


@pytest.mark.parametrize("payload", ["kitcut:A-1/シャツ/M/1/a\\b~c/1", "kitcut:A-1/Перед~2/1",
                                     "kitcut:A-2/Μπροστά\\CON/S/1/x/1"])
def test_qr_codes_that_shift_jis_could_hold_are_utf8_too(tmp_path, payload):
    """Japanese, Cyrillic and Greek fit Shift JIS, which segno chose (ECI 20) when left to: it has
    no backslash nor tilde, and zbar read ``a\\b~c`` as ``a¥b‾c``, no longer the pick list's code."""
    import segno

    want = segno.make(payload, encoding="utf-8", eci=True, error="m", micro=False)
    assert qr_matrix(payload) == [list(r) for r in want.matrix]
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg not installed (apt-get install zbar-tools; see .ci/system-deps)")
    import subprocess

    png = tmp_path / "qr.png"
    want.save(png, scale=4)
    out = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, check=False)
    assert out.stdout.decode("utf-8").strip() == payload


def test_kit_report_agrees_with_markers(orders, tmp_path):
    r = build_kit(orders / "A-1001.toml", tmp_path / "K", OPTS)
    kit = Path(r.path)
    report = json.loads((kit / "kit.json").read_text())
    total = 0.0
    for f in report["fabrics"]:
        m = json.loads((kit / f["folder"] / "marker.json").read_text())
        assert f["metres"] == pytest.approx(m["solution"]["length"] / 1000, abs=1e-4)
        assert f["efficiency"] == pytest.approx(m["solution"]["efficiency"], abs=1e-5)
        assert f["pieces"] == len(m["solution"]["placements"])
        total += f["metres"]
    assert report["totals"]["metres"] == pytest.approx(total, abs=1e-4) == r.metres
    assert report["totals"]["pieces"] == 20 and report["orders"][0]["garment_count"] == 4
    from pypdf import PdfReader

    pdf_text = PdfReader(kit / "kit.pdf").pages[0].extract_text()
    assert "Kit A-1001" in pdf_text and "jersey" in pdf_text
    assert f"{report['fabrics'][0]['length_mm'] / 1000:.3f}" in pdf_text
    work = (kit / "workshop.txt").read_text()
    assert "Order A-1001 for Studio Nord, due 2026-12-05" in work and "4 bundles, 20 cut pieces" in work


def test_kit_total_metres_are_not_a_sum_of_rounded_metres(tmp_path):
    """Before, kit.json's totals.metres added the per-fabric metres already rounded to 0.1 mm
    (two markers of 1000.04 mm: 1.0 + 1.0 = 2.0 m, not 2.0001 m). The total is now rounded once,
    from the markers' lengths."""
    d = tmp_path / "o"
    write_metre_pattern(d)
    (d / "T-1.toml").write_text('[order]\nid = "T-1"\ncustomer = "x"\n[[garments]]\npattern = "p.dxf"\n'
                                'sizes = { M = 1 }\n[[fabrics]]\nname = "jersey"\nwidth_mm = 1500\n'
                                '[[fabrics]]\nname = "rib"\nwidth_mm = 600\ncategories = ["TRIM"]\n')
    r = build_kit(d / "T-1.toml", tmp_path / "K", OPTS)
    report = json.loads((Path(r.path) / "kit.json").read_text())
    assert [f["metres"] for f in report["fabrics"]] == [1.0, 1.0]
    assert report["totals"]["metres"] == r.metres == 2.0001
    # one garment is one bundle: the lists said "1 bundles"
    last = (Path(r.path) / "picklist.txt").read_text(encoding="utf-8").splitlines()[-1]
    assert last.startswith("1 bundle, ") and last.endswith(" pieces"), last
    assert "1 bundle, " in (Path(r.path) / "workshop.txt").read_text(encoding="utf-8")


def test_shrinkage_lengthens_the_pieces_in_the_kit(orders, tmp_path):
    r = build_kit(orders / "A-1001.toml", tmp_path / "K", OPTS)
    m = json.loads((Path(r.path) / "fabrics/jersey/marker.json").read_text())
    front_m = next(p for p in m["instance"]["pieces"] if p["name"].endswith("Front") and p["size"] == "M")
    xs = [p[0] for p in front_m["outline"]]
    ys = [p[1] for p in front_m["outline"]]
    assert max(xs) - min(xs) == pytest.approx(500 / 0.98, abs=1e-3)  # 2 % along the roll
    assert max(ys) - min(ys) == pytest.approx(420 / 0.99, abs=1e-3)  # 1 % across


def test_existing_kit_is_kept_or_replaced(orders, tmp_path):
    kits = tmp_path / "K"
    build_kit(orders / "A-1001.toml", kits, OPTS)
    stamp = (kits / "A-1001" / "manifest.json").stat().st_mtime_ns
    kept = build_kit(orders / "A-1001.toml", kits, OPTS)
    assert kept.status == "exists"
    assert (kits / "A-1001" / "manifest.json").stat().st_mtime_ns == stamp
    # the result describes the kit kept (before: no fabrics, 0 m, 0 pieces)
    report = json.loads((kits / "A-1001" / "kit.json").read_text())
    assert kept.fabrics == report["fabrics"] and len(kept.fabrics) == 2
    assert (kept.metres, kept.efficiency, kept.pieces) == (report["totals"]["metres"],
                                                          report["totals"]["efficiency"], 20)
    assert kept.metres > 0 and kept.orders == ["A-1001"]
    assert build_kit(orders / "A-1001.toml", kits, OPTS, replace=True).status == "built"
    assert is_complete(kits / "A-1001") and sorted(p.name for p in kits.iterdir()) == ["A-1001"]


def test_keep_does_not_keep_a_kit_of_an_edited_order(orders, tmp_path):
    """Before, ``build_kit(replace=False)`` (``nest kit --keep``, and every batch) kept any
    complete kit, also one built from an older version of the order: now only a kit built from
    the order and pattern files as they are is kept."""
    kits = tmp_path / "K"
    build_kit(orders / "A-1001.toml", kits, OPTS)
    order = orders / "A-1001.toml"
    order.write_text(order.read_text().replace("sizes = { S = 1, M = 2, L = 1 }", "sizes = { L = 2 }"))
    r = build_kit(order, kits, OPTS)
    assert r.status == "built"
    report = json.loads((kits / "A-1001" / "kit.json").read_text())
    assert report["orders"][0]["garments"][0]["sizes"] == {"L": 2}
    assert build_kit(order, kits, OPTS).status == "exists"
    assert sorted(p.name for p in kits.iterdir()) == ["A-1001"]
    # what the order says counts, not how it is written: a time stamp comment, CRLF line ends
    # (a web shop's nightly export) keep the kit; before, it was rebuilt every night
    order.write_bytes(("# exported 2026-12-07T02:00\n" + order.read_text()).replace("\n", "\r\n").encode())
    assert build_kit(order, kits, OPTS).status == "exists"
    # what the order means counts, not how it is written: a width with a decimal point, the
    # pattern as ./tee.dxf, a default written out (before: rebuilt, and set aside had that failed)
    text = order.read_text()
    order.write_text(text.replace("width_mm = 1500", "width_mm = 1500.0")
                     .replace('pattern = "tee.dxf"', 'pattern = "./tee.dxf"')
                     .replace('name = "jersey"', 'name = "jersey"\nnap = "two-way"'))
    assert order.read_text() != text and build_kit(order, kits, OPTS).status == "exists"
    # a kit that recorded the order's TOML or its bytes (as kits did before) is compared with them
    from kitcut.kits.inputs import kit_inputs
    from kitcut.kits.manifest import read_manifest, write_manifest

    inputs = kit_inputs(load_order(order), OPTS.formats)
    assert len({inputs["sha256_bytes"], inputs["sha256_toml"], inputs["sha256"]}) == 3
    for legacy in ("sha256_bytes", "sha256_toml"):
        old = read_manifest(kits / "A-1001")
        old["inputs"]["sha256"] = inputs[legacy]
        write_manifest(kits / "A-1001", kit="A-1001", orders=["A-1001"], extra={"inputs": old["inputs"]})
        assert build_kit(order, kits, OPTS).status == "exists"
    order.write_text(order.read_text().replace("sizes = { L = 2 }", "sizes = { L = 3 }"))
    assert build_kit(order, kits, OPTS).status == "built"


def test_failed_build_leaves_nothing(orders, tmp_path):
    kits = tmp_path / "K"
    bad = KitOptions(time_limit=1, nester="test_kits_fakes:no_such_nester", reader=FAKE_READER, formats=())
    with pytest.raises(Exception, match="no_such_nester"):
        build_kit(orders / "A-1001.toml", kits, bad)
    assert list(kits.iterdir()) == []


@pytest.mark.parametrize("bad_id", ["../x", "/abs", "a/b", "..", ".hidden", "a\x00b", ""])
def test_ids_cannot_leave_the_kits_folder(orders, tmp_path, bad_id):
    kits = tmp_path / "deep" / "K"
    with pytest.raises(OrderError):
        kit_path(kits, bad_id)
    text = (orders / "A-1001.toml").read_text().replace('id = "A-1001"', f"id = {json.dumps(bad_id)}")
    (orders / "evil.toml").write_text(text)
    with pytest.raises(OrderError, match="order.id"):
        build_kit(orders / "evil.toml", kits, OPTS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders"]  # nothing written anywhere
    assert sorted(p.name for p in orders.iterdir()) == sorted([f.name for f in ORDERS.glob("*.toml")]
                                                              + ["evil.toml", "tee.dxf"])


def test_clean_stale_removes_only_dead_temp_folders(tmp_path):
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / temp_name("A-1", pid=dead.pid)).mkdir()
    (tmp_path / temp_name("A-2")).mkdir()  # ours: alive
    (tmp_path / "A-3").mkdir()
    assert clean_stale(tmp_path) == [temp_name("A-1", pid=dead.pid)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([temp_name("A-2"), "A-3"])


def test_plan_names_carry_order_and_garment(orders):
    plan = plan_order(load_order(orders / "A-1002.toml"), reader=read_fake_pattern)
    names = {p.name for f in plan.fabrics for p in f.pattern.pieces}
    assert names == {"A-1002/tee/Front", "A-1002/tee/Back", "A-1002/tee/Sleeve", "A-1002/tee/Neckband"}


def test_plan_names_of_different_garments_and_pieces_never_collide(tmp_path):
    """Before, garment ``G`` piece ``a/Front`` and garment ``G/a`` piece ``Front`` both became
    ``C/G/a/Front``: one name for two pieces in marker.json, svg, dxf and plt. A ``/`` or ``%``
    inside a field is now written ``%2F`` / ``%25``, as in the labels' codes."""
    from urllib.parse import unquote

    def pattern(path, name):
        outline = [[0, 0], [300, 0], [300, 200], [0, 200]]
        path.write_text(json.dumps({"pieces": [{"name": name, "size": "M", "outline": outline}]}))

    pattern(tmp_path / "s1.json", "a/Front")
    pattern(tmp_path / "s2.json", "Front")
    pattern(tmp_path / "s3.json", "50% Front")
    (tmp_path / "C.toml").write_text(
        '[order]\nid = "C"\ncustomer = "x"\n'
        '[[garments]]\npattern = "s1.json"\nname = "G"\nsizes = { M = 1 }\n'
        '[[garments]]\npattern = "s2.json"\nname = "G/a"\nsizes = { M = 1 }\n'
        '[[garments]]\npattern = "s3.json"\nname = "G%2Fa"\nsizes = { M = 1 }\n'
        '[[fabrics]]\nname = "jersey"\nwidth_mm = 1500\n')
    plan = plan_order(load_order(tmp_path / "C.toml"), reader=read_fake_pattern)
    names = [p.name for p in plan.fabrics[0].pattern.pieces]
    assert names == ["C/G/a%2FFront", "C/G%2Fa/Front", "C/G%252Fa/50%25 Front"]
    assert [[unquote(f) for f in n.split("/")] for n in names] == [
        ["C", "G", "a/Front"], ["C", "G/a", "Front"], ["C", "G%2Fa", "50% Front"]]
    r = build_kit(tmp_path / "C.toml", tmp_path / "KITS", OPTS)
    marker = json.loads((Path(r.path) / "fabrics" / "jersey" / "marker.json").read_text())
    assert sorted(p["name"] for p in marker["instance"]["pieces"]) == sorted(names)


def _real_available() -> bool:
    try:
        from kitcut.formats.reading.read import read_pattern  # noqa: F401
        from kitcut.kits.marker import nest_pattern  # noqa: F401
    except ImportError:
        return False
    return (Path(__file__).parent.parent / "samples" / "tee.dxf").exists()


@pytest.mark.slow
@pytest.mark.skipif(not _real_available(), reason="the DXF reader or nesting core is not there yet")
def test_real_kit_of_the_tee_sample(tmp_path, capsys):
    """The whole chain on the bundled tee: reader, nesting core, exporters, through the CLI."""
    from kitcut.cli.main import main

    orders = tmp_path / "orders"
    orders.mkdir()
    shutil.copy(ORDERS / "A-1001.toml", orders)
    shutil.copy(Path(__file__).parent.parent / "samples" / "tee.dxf", orders)
    kits = tmp_path / "KITS"
    main(["kit", str(orders / "A-1001.toml"), "-o", str(kits), "--time", "1", "--seed", "3",
          "--workers", "1"])
    out = capsys.readouterr().out
    assert "kit A-1001: 20 pieces" in out
    kit = kits / "A-1001"
    assert verify_manifest(kit) == []
    report = json.loads((kit / "kit.json").read_text())
    by_name = {f["name"]: f for f in report["fabrics"]}
    assert set(by_name) == {"jersey", "rib"}  # the neckbands (category TRIM) go to the rib
    assert by_name["rib"]["pieces"] == 4 and by_name["jersey"]["pieces"] == 16
    for f in report["fabrics"]:
        m = json.loads((kit / f["folder"] / "marker.json").read_text())
        assert f["metres"] == pytest.approx(m["solution"]["length"] / 1000, abs=1e-4)
        assert 0.3 < f["efficiency"] <= 1
        exported = {p.name for p in (kit / f["folder"]).iterdir()}
        assert {"marker.json", "marker.plt", "marker.svg"} <= exported
    rows = list(csv.DictReader((kit / "picklist.csv").open(encoding="utf-8-sig")))
    assert Counter(r["bundle"] for r in rows) == {"tee S #1": 5, "tee M #1": 5, "tee M #2": 5, "tee L #1": 5}
    assert Counter(r["side"] for r in rows if r["piece"] == "Sleeve") == {"as drawn": 4, "mirrored": 4}
    _rows_point_at_their_pieces(kit, rows)


def _kit_on_a_terminal_session(tmp_path, formats: str = "svg"):
    """``nest kit`` of the tee order (two fabrics) with a two-minute search per marker, in a
    session of its own (a terminal's Ctrl-C goes to its process group); the process, its kits
    folder, once the first search has begun."""
    import subprocess
    import sys
    import time

    orders = tmp_path / "orders"
    orders.mkdir()
    shutil.copy(ORDERS / "A-1001.toml", orders)
    shutil.copy(Path(__file__).parent.parent / "samples" / "tee.dxf", orders)
    kits = tmp_path / "KITS"
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    argv = [sys.executable, "-m", "kitcut", "kit", str(orders / "A-1001.toml"), "-o", str(kits),
            "--time", "120", "--workers", "1", "--seed", "3", "--formats", formats]
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True, env=env)
    end = time.monotonic() + 90
    while not any(kits.glob(".A-1001.tmp-*")):  # the kit's temporary folder: the first search begins
        assert p.poll() is None and time.monotonic() < end, p.communicate()
        time.sleep(0.1)
    time.sleep(3.0)
    return p, kits


@pytest.mark.slow
@pytest.mark.skipif(not _real_available(), reason="the DXF reader or nesting core is not there yet")
def test_ctrl_c_stops_the_searches_of_a_kit_and_writes_it(tmp_path):
    """A Ctrl-C during `nest kit`'s two-minute search aborted the kit: nothing was written. As
    `nest` does, the first one now ends the search with the best marker found so far, a search
    begun after it ends at its first marker, and the kit is written, complete, and says so
    (kit.json `fabrics[].stopped` and a note; stderr)."""
    import signal

    from checker import check_marker

    p, kits = _kit_on_a_terminal_session(tmp_path)
    os.killpg(p.pid, signal.SIGINT)
    out, err = p.communicate(timeout=100)
    assert p.returncode == 0, err
    assert "kit A-1001: 20 pieces" in out
    assert "stopped by Ctrl-C: the marker(s) of jersey, rib are the best found by then" in err
    kit = kits / "A-1001"
    assert verify_manifest(kit) == [] and not list(kits.glob(".A-1001.tmp-*"))
    report = json.loads((kit / "kit.json").read_text())
    assert [(f["name"], f["stopped"]) for f in report["fabrics"]] == [("jersey", True), ("rib", True)]
    assert sum("the search was stopped early" in n for n in report["notes"]) == 2
    for f in report["fabrics"]:
        marker = json.loads((kit / f["folder"] / "marker.json").read_text())
        assert check_marker(marker, nap="two-way") == []
        assert marker["stats"]["stopped"] is True and marker["stats"]["search_s"] < 60


@pytest.mark.slow
@pytest.mark.skipif(not _real_available(), reason="the DXF reader or nesting core is not there yet")
def test_a_second_ctrl_c_aborts_the_kit(tmp_path):
    """A second Ctrl-C aborts `nest kit`: no kit, and no temporary folder left. It comes while the
    kit's files are written (every format: seconds of work after the searches stopped; with one
    small file the kit could be complete before it came)."""
    import signal
    import time

    p, kits = _kit_on_a_terminal_session(tmp_path, formats="all")
    os.killpg(p.pid, signal.SIGINT)
    time.sleep(0.3)  # the searches stop, the files take over a second
    os.killpg(p.pid, signal.SIGINT)
    _, err = p.communicate(timeout=100)
    assert p.returncode != 0 and "aborted" in err
    assert not (kits / "A-1001").exists() and not list(kits.glob(".A-1001.tmp-*"))


def _rows_point_at_their_pieces(kit: Path, rows: list[dict]) -> None:
    from shapely.geometry import Point, Polygon

    report = json.loads((kit / "kit.json").read_text())
    for f in report["fabrics"]:
        placed = json.loads((kit / f["folder"] / "marker.json").read_text())["solution"]["placements"]
        for r in (r for r in rows if r["fabric"] == f["name"]):
            outline = Polygon(placed[int(r["placement"])]["outline"])
            assert outline.buffer(0.1).contains(Point(float(r["x_mm"]), float(r["y_mm"]))), r


def test_the_place_a_pick_list_row_gives_is_on_its_piece(tmp_path):
    """The pick list's ``x_mm, y_mm`` (and ``at ... m``) was the mean of the piece's vertices: on a
    curved collar 17.6 mm off the piece, where a picker found another piece or nothing. It is the
    point the drawings centre the piece's label and number on."""
    import ezdxf

    t = np.linspace(0.0, np.pi, 40)
    outer = np.c_[300 * np.cos(t), 300 * np.sin(t)]
    inner = np.c_[240 * np.cos(t[::-1]), 240 * np.sin(t[::-1])]
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    doc.modelspace().add_lwpolyline(np.vstack([outer, inner]).tolist(), close=True)
    doc.modelspace().add_text("Piece Name: Collar", dxfattribs={"insert": (0, 270), "height": 8})
    doc.saveas(tmp_path / "collar.dxf")
    (tmp_path / "o.toml").write_text('[order]\nid = "C-1"\ncustomer = "c"\n[[garments]]\n'
                                     'pattern = "collar.dxf"\ncount = 2\n[[fabrics]]\n'
                                     'name = "jersey"\nwidth_mm = 1500\n')
    kit = Path(build_kit(tmp_path / "o.toml", tmp_path / "K", KitOptions(time_limit=1, max_iterations=0,
                                                                          formats=())).path)
    rows = list(csv.DictReader((kit / "picklist.csv").open(encoding="utf-8-sig")))
    assert len(rows) == 2
    _rows_point_at_their_pieces(kit, rows)


def test_labels_fill_several_sheets(tmp_path):
    from pypdf import PdfReader

    from kitcut.kits.labels import write_labels_pdf
    from kitcut.kits.picklist import Cut

    cuts = [Cut("Ö-1", "tee", "M", g, "Front", 1, 1, False, "jersey", g, 0.0, 0.0) for g in range(1, 31)]
    assert write_labels_pdf(cuts, tmp_path / "l.pdf") == 2
    pages = PdfReader(tmp_path / "l.pdf").pages
    assert [len(p.images) for p in pages] == [24, 6]
    assert "tee M #30" in pages[1].extract_text() and "\u00d6-1" in pages[0].extract_text()


def test_labels_always_show_the_size_and_garment_number(tmp_path):
    """Before, a label cut its texts at the label's edge, character by character, without a
    mark: garment "Poloshirt Classic" in size "L;XL" read "Poloshirt Classic L;" on every
    label, size and garment number lost. A long text is now drawn smaller, then shortened
    with "..." before the size and number, which always show whole."""
    from fpdf import FPDF
    from pypdf import PdfReader

    from kitcut.kits.labels import write_labels_pdf
    from kitcut.kits.picklist import Cut

    long = "Vorderteil-" * 6
    cuts = [Cut("A-lbl", "Poloshirt Classic", "L;XL", 1, "Front", 1, 1, False, "jersey", 0, 0.0, 0.0),
            Cut("A-lbl", long, "L;XL", 2, long, 1, 1, False, long, 1, 0.0, 0.0)]
    write_labels_pdf(cuts, tmp_path / "l.pdf")
    lines = PdfReader(tmp_path / "l.pdf").pages[0].extract_text().splitlines()
    assert lines[:5] == ["A-lbl", "Poloshirt Classic L;XL #1", "Front", "copy 1/1 as drawn", "jersey"]
    garment, piece, fabric = lines[6], lines[7], lines[9]
    assert garment.startswith("Vorderteil-Vord") and garment.endswith("... L;XL #2"), garment
    assert piece.startswith("Vorderteil-Vord") and piece.endswith("...") and fabric.endswith("...")
    from kitcut.kits.labels import LAST_PT, MIN_PT, fit_text

    pdf = FPDF()
    pdf.add_page()
    for size in ("M", "L;XL"):
        text, pt = fit_text(pdf, long, "B", 9, 30.0, f" {size} #12")
        assert pdf.get_string_width(text) <= 30.0 and pdf.font_size_pt == pt == MIN_PT
        assert text.startswith("Vorderteil-Vord") and text.endswith(f"... {size} #12")
    # a size too long for the label even alone: the name gives way, then the font, then the size
    assert fit_text(pdf, long, "B", 9, 30.0, " 3XL/4XL/5XL/6XL #12") == ("Vorde... 3XL/4XL/5XL/6XL #12", 6)
    assert fit_text(pdf, long, "B", 9, 30.0, " 3XL/4XL/5XL/6XL/7XL/8XL #12") == (
        "3XL/4XL/5XL/6XL/7XL/8XL #12", 5.5)
    text, pt = fit_text(pdf, long, "B", 9, 30.0, " XXXL/4XL/5XL" * 4 + " #12")
    assert text.startswith("XXXL/4XL/5XL XXXL") and text.endswith("...") and pt == LAST_PT
    assert pdf.get_string_width(text) <= 30.0
    assert fit_text(pdf, "Front", "B", 9, 30.0, " M #1") == ("Front M #1", 9)
    text, pt = fit_text(pdf, "Poloshirt Classic", "B", 9, 30.0, " L;XL #1")
    assert text == "Poloshirt Classic L;XL #1" and MIN_PT <= pt < 9


def test_a_piece_wider_than_the_fabric_names_order_fabric_and_piece(orders, tmp_path):
    """The nesting's refusal says which order file, which fabric (its width, usable width and
    nap) and which piece; no kit folder is left."""
    text = (orders / "A-1001.toml").read_text().replace("width_mm = 600", "width_mm = 30")
    (orders / "narrow.toml").write_text(text)
    kits = tmp_path / "K"
    real = KitOptions(time_limit=1, reader=FAKE_READER, formats=())
    with pytest.raises(KitcutError) as info:
        build_kit(orders / "narrow.toml", kits, real)
    msg = str(info.value)
    assert msg.startswith(f"{orders / 'narrow.toml'}: piece 'A-1001/tee/"), msg
    assert "fabric 'rib' (30 mm wide, 30 mm usable, nap two-way): does not fit the usable width" in msg
    assert not kits.exists() or list(kits.iterdir()) == []


def test_import_remarks_reach_the_kit_report(tmp_path):
    """An unattended batch's assumptions are in the kit: what reading each pattern repaired,
    assumed or skipped is in kit.json and, repairs and warnings, in kit.pdf."""
    import ezdxf
    from pypdf import PdfReader

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    msp.add_text("Piece Name: Pocket", dxfattribs={"insert": (20, 100), "height": 5})
    msp.add_point((900, 900))  # outside every piece: skipped
    doc.saveas(tmp_path / "pocket.dxf")
    (tmp_path / "o.toml").write_text('[order]\nid = "R-1"\ncustomer = "c"\n[[garments]]\n'
                                     'pattern = "pocket.dxf"\ncount = 1\n[[fabrics]]\n'
                                     'name = "jersey"\nwidth_mm = 1500\n')
    result = build_kit(tmp_path / "o.toml", tmp_path / "K", KitOptions(time_limit=1, formats=()))
    assert result.remarks == 1  # the warning; a skipped entity is not a remark to check
    report = json.loads((tmp_path / "K" / "R-1" / "kit.json").read_text())
    (r,) = report["import_remarks"]
    assert (r["order"], r["garment"], r["warnings"], r["skipped"]) == ("R-1", "pocket", 1, 1)
    assert r["remarks"][0] == "warning: no Quantity text: quantity 1 assumed for Pocket"
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "K" / "R-1" / "kit.pdf").pages)
    assert "Import remarks (check before cutting)" in text
    assert "R-1 / pocket (pocket.dxf): 0 repair(s), 1 warning(s), 1 skipped" in text
    assert "no Quantity text: quantity 1 assumed for Pocket" in text
    page = (tmp_path / "K" / "R-1" / "kit.html").read_text()
    assert '<h2 id="import-remarks">Import remarks</h2>' in page
    assert "<li>warning: no Quantity text: quantity 1 assumed for Pocket</li>" in page


def _nest_kit(order, out) -> None:
    """`nest kit ORDER -o OUT` (one second, one worker, the DXF only), which must succeed."""
    from kitcut.cli.main import main

    try:
        main(["kit", str(order), "-o", str(out), "--time", "1", "--workers", "1", "--formats", "dxf"])
    except SystemExit as exc:
        assert not exc.code


def test_remarks_that_change_the_cut_are_said_first_and_by_nest_kit(tmp_path, capsys):
    """The remarks on what an order cuts (sizes asked for of a pattern that names none, a quantity
    assumed) lead the kit's remarks (kit.pdf shows the first dozen) and are printed by ``nest kit``
    each on a line; a quantity the order's ``quantities`` set is not warned about."""
    import ezdxf

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for x, k, size in ((0, 1.0, "S"), (600, 1.1, "M")):  # sizes under a key kitcut does not read
        msp.add_lwpolyline([(x, 0), (x + 300 * k, 0), (x + 300 * k, 500 * k), (x, 500 * k)], close=True)
        for i, text in enumerate(("Piece Name: Front", f"Measure: {size}", "Quantity: a few")):
            msp.add_text(text, dxfattribs={"insert": (x + 20, 100 - 20 * i), "height": 8})
    for i in range(30):  # points outside every piece: skipped remarks ahead of the warnings
        msp.add_point((2000 + 10 * i, 2000))
    doc.saveas(tmp_path / "graded.dxf")
    order = ('[order]\nid = "H-1"\ncustomer = "c"\n[[garments]]\npattern = "graded.dxf"\nsizes = ["M"]\n{}'
             '[[fabrics]]\nname = "jersey"\nwidth_mm = 1500\n')
    (tmp_path / "o.toml").write_text(order.format(""))
    sizes = ("warning: size(s) M asked for, but the pattern names no sizes: each garment is cut from the one "
             "size drawn, and 1 name(s) are drawn as different pieces (Front): if they are sizes, their size "
             "texts were not read (nest info lists them)")
    quantity = "warning: piece '{}': unreadable Quantity text 'a few': 1 assumed"
    _nest_kit(tmp_path / "o.toml", tmp_path / "K")
    err = capsys.readouterr().err.splitlines()
    said = sorted(line for line in err if "warning:" in line)
    assert said == sorted(f"nest: graded (graded.dxf): {w}" for w in
                          (sizes, quantity.format("Front"), quantity.format("Front#2")))
    (r,) = json.loads((tmp_path / "K" / "H-1" / "kit.json").read_text())["import_remarks"]
    assert sorted(r["headlines"]) == sorted(w[len("nest: graded (graded.dxf): "):] for w in said)
    assert sorted(r["remarks"][:3]) == sorted(r["headlines"])
    (tmp_path / "o.toml").write_text(order.format('quantities = { "*" = 1 }\n'))
    result = build_kit(tmp_path / "o.toml", tmp_path / "K2", KitOptions(time_limit=1, formats=()))
    assert result.warnings == [f"graded (graded.dxf): {sizes}"]


_OPTION = re.compile(r"--(units|layers?|rules|no-rules|tolerance|encoding|repair|quantity|keep-folded|"
                     r"sizes)\b")


def test_a_kit_names_the_order_s_fields_where_the_reader_names_options(tmp_path):
    """A user of ``nest kit`` sets a garment's fields, not options: the remarks and errors of its
    patterns name those (``give garments[0].units = "mm"``, not ``give --units mm``)."""
    import shutil

    import ezdxf
    from conftest import BUNDLED_DXF

    shutil.copy(BUNDLED_DXF / "clo2-pattern.dxf", tmp_path / "clo2.dxf")  # METRIC, read in cm
    order = ('[order]\nid = "W-1"\ncustomer = "c"\n[[garments]]\npattern = "{}"\n{}\n[[fabrics]]\n'
             'name = "jersey"\nwidth_mm = 1500\n')
    (tmp_path / "o.toml").write_text(order.format("clo2.dxf", 'sizes = ["M"]'))
    build_kit(tmp_path / "o.toml", tmp_path / "K", KitOptions(time_limit=1, max_iterations=0, formats=()))
    (r,) = json.loads((tmp_path / "K" / "W-1" / "kit.json").read_text())["import_remarks"]
    units = [m for m in r["remarks"] if "read in cm" in m]
    assert len(units) == 1 and 'give garments[0].units = "mm" if it is in mm' in units[0], units
    assert not [m for m in r["remarks"] if _OPTION.search(m)]
    # an error: a drawing whose cut line closes only with a wider tolerance
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    for a, b in (((0, 0), (200, 0)), ((200, 1.5), (200, 100)), ((198.5, 100), (0, 100)),
                 ((0, 98.5), (0, 1.6))):
        doc.modelspace().add_line(a, b)
    doc.saveas(tmp_path / "gaps.dxf")
    (tmp_path / "o.toml").write_text(order.format("gaps.dxf", "count = 1"))
    with pytest.raises(OrderError) as info:
        build_kit(tmp_path / "o.toml", tmp_path / "K", KitOptions(time_limit=1, formats=()))
    msg = str(info.value)
    assert "give garments[0].tolerance_mm = 1.6 if that gap is meant to close" in msg
    assert not _OPTION.search(msg), msg


def test_a_failed_kit_leaves_no_folder_behind(tmp_path, capsys):
    """An order that fails once read (a size the pattern lacks) left its new output folder behind
    with a claim file in it (``.locks/K1.lock``); a folder that existed keeps what it held."""
    from kitcut.cli.main import main

    shutil.copy(Path(__file__).parents[1] / "samples" / "tee.dxf", tmp_path / "tee.dxf")
    order = tmp_path / "o.toml"
    order.write_text('[order]\nid = "K1"\ncustomer = "Studio"\n[[garments]]\npattern = "tee.dxf"\n'
                     'sizes = { XXL = 1 }\n[[fabrics]]\nname = "jersey"\nwidth_mm = 1500\n')

    def kit(out) -> int:
        with pytest.raises(SystemExit) as exc:
            main(["kit", str(order), "-o", str(out), "--time", "1", "--workers", "1"])
        return exc.value.code

    assert kit(tmp_path / "new") == 2
    assert "tee.dxf has no size 'XXL'" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()
    (tmp_path / "old" / "mine").mkdir(parents=True)
    assert kit(tmp_path / "old") == 2
    assert (tmp_path / "old" / "mine").is_dir()


def test_a_fabric_wider_than_the_cutter_is_said_before_any_search(orders, tmp_path):
    """A 1805 mm fabric with the default formats: its plt is for the 1800 mm HP-GL cutter. The kit
    failed only when writing (after the whole search), with the cutter's message; it is said at
    once, naming the fabric and the file, and the same kit without that file is built. The check
    compared the width between the margins (1795 mm) and let it through; the fabric lies from 0
    to its full width, which the cutter's media must hold (the writers' rule)."""
    order = orders / "A-1001.toml"
    order.write_text(order.read_text().replace("width_mm = 1500", "width_mm = 1805"))
    opts = KitOptions(time_limit=1, nester=FAKE_NESTER, reader=FAKE_READER, formats=None)
    with pytest.raises(OrderError) as err:
        build_kit(order, tmp_path / "K", opts)
    assert str(err.value).endswith(
        "fabric 'jersey' is wider than a cutter's media: plt: device 'hpgl-cutter' takes media 1800 mm "
        "wide, but the fabric is 1805 mm wide (margins included): that file could not cut its marker "
        "(leave the file out with --formats)")
    assert not (tmp_path / "K" / "A-1001").exists()
    r = build_kit(order, tmp_path / "K", KitOptions(time_limit=1, nester=FAKE_NESTER, reader=FAKE_READER,
                                                     formats=("dxf", "svg")))
    assert r.status == "built"


def test_sizes_as_the_pattern_names_them_in_kit_json_and_workshop_note(tmp_path):
    """Before, the size as typed in an order (` medium `, `large`) was kept in kit.json
    (`orders[].garments[].sizes`) and workshop.txt (`1 x  medium `), while the markers, labels and
    pick list say the pattern's `Medium`. Now every file names the pattern's size, in a single kit
    and in a combined one."""
    from test_kits_fakes import tee_pieces

    from kitcut.kits.batch import BatchOptions, run_batch

    d = tmp_path / "orders"
    d.mkdir()
    (d / "tee.dxf").write_text(json.dumps({"style": "tee", "pieces": tee_pieces("Medium", 1.0)
                                           + tee_pieces("Large", 1.1)}))
    for oid, sizes in (("S-1", '{ " medium " = 1, large = 2 }'), ("S-2", '{ "MEDIUM" = 1 }')):
        (d / f"{oid}.toml").write_text(f'[order]\nid = "{oid}"\ncustomer = "X"\n[[garments]]\nname = "tee"\n'
                                       f'pattern = "tee.dxf"\nsizes = {sizes}\n[[fabrics]]\nname = "jersey"\n'
                                       'width_mm = 1500\n')
    kit = Path(build_kit(d / "S-1.toml", tmp_path / "K", OPTS).path)
    report = json.loads((kit / "kit.json").read_text())
    assert report["orders"][0]["garments"][0]["sizes"] == {"Medium": 1, "Large": 2}
    assert "- tee (tee.dxf): 1 x Medium, 2 x Large\n" in (kit / "workshop.txt").read_text()
    rows = csv.DictReader((kit / "picklist.csv").open(encoding="utf-8-sig"))
    assert {r["size"] for r in rows} == {"Medium", "Large"}
    kits = tmp_path / "C"
    s = run_batch(d, kits, BatchOptions(combine=True, kit=OPTS))
    assert s.exit_code == 0, [o.message for o in s.outcomes]
    reports = [json.loads(p.read_text()) for p in kits.glob("*/kit.json")]
    sizes = {o["id"]: o["garments"][0]["sizes"] for r in reports for o in r["orders"]}
    assert sizes == {"S-1": {"Medium": 1, "Large": 2}, "S-2": {"Medium": 1}}
    notes = [p.read_text() for p in kits.glob("**/workshop.txt")]
    assert len(notes) == 2 and all("medium" not in n and "MEDIUM" not in n for n in notes)


def test_kit_report_words_and_pattern_paths(tmp_path, monkeypatch):
    """Before, kit.pdf said "1 garments", and kit.json named a pattern two ways: `garments[].pattern`
    by its file name, `import_remarks[].pattern` relative to the current folder. Now both are the
    pattern as the order names it, relative to the order's folder, wherever the kit is built from."""
    import ezdxf
    from pypdf import PdfReader

    d = tmp_path / "orders"
    (d / "pats").mkdir(parents=True)
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    doc.modelspace().add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    doc.saveas(d / "pats" / "pocket.dxf")
    (d / "o.toml").write_text('[order]\nid = "R-1"\ncustomer = "c"\n[[garments]]\n'
                              'pattern = "pats/pocket.dxf"\ncount = 1\n[[fabrics]]\nname = "jersey"\n'
                              'width_mm = 1500\n')
    monkeypatch.chdir(tmp_path)
    build_kit(Path("orders") / "o.toml", tmp_path / "K", KitOptions(time_limit=1, workers=1, formats=()))
    report = json.loads((tmp_path / "K" / "R-1" / "kit.json").read_text())
    (g,) = report["orders"][0]["garments"]
    (r,) = report["import_remarks"]
    assert g["pattern"] == r["pattern"] == "pats/pocket.dxf"
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "K" / "R-1" / "kit.pdf").pages)
    assert "Order R-1: c; 1 garment, 1 piece" in text


def test_kit_pdf_numbers_each_piece_as_the_pick_list_does(tmp_path):
    """kit.pdf's small marker drawing numbers each piece as the pick list does (``marker #N``),
    deep inside it (where its label goes on the other drawings); before, the drawing had outlines
    only and the cutting room could not tell which piece was which. Checked against marker.json's
    placed outlines: mapped back onto the marker, every number lies inside its own piece, at
    least half the radius of the largest circle inside the piece from its cut line."""
    import numpy as np
    from pypdf import PdfReader
    from shapely import maximum_inscribed_circle
    from shapely.geometry import Point, Polygon

    shutil.copy(Path(__file__).parent.parent / "samples" / "tee.dxf", tmp_path / "tee.dxf")
    (tmp_path / "K-1.toml").write_text('[order]\nid = "K-1"\ncustomer = "x"\n[[garments]]\n'
                                       'pattern = "tee.dxf"\nsizes = { M = 1 }\n[[fabrics]]\n'
                                       'name = "jersey"\nwidth_mm = 1500\nspacing_mm = 2\n')
    kit = Path(build_kit(tmp_path / "K-1.toml", tmp_path / "K", KitOptions(time_limit=1, workers=1,
                                                                           formats=("svg",))).path)
    marker = json.loads((kit / "fabrics" / "jersey" / "marker.json").read_text())
    outlines = [Polygon(p["outline"]) for p in marker["solution"]["placements"]]
    length, width = marker["solution"]["length"], marker["instance"]["rules"]["width"]
    pt = min(180.0 / length, 80.0 / width) * 72.0 / 25.4  # points on paper per mm of marker
    found: dict[int, np.ndarray] = {}

    def seen(text, cm, tm, font, size):
        if size == 5.0 and text.strip().isdigit():
            assert int(text) not in found  # each piece numbered once
            found[int(text)] = np.array([tm[4], tm[5]])

    PdfReader(kit / "kit.pdf").pages[0].extract_text(visitor_text=seen)
    assert set(found) <= set(range(len(outlines))) and len(found) >= len(outlines) - 1
    circles = {k: maximum_inscribed_circle(o, 0.001 * o.length) for k, o in enumerate(outlines)}
    # the drawing's frame on the page, from all the numbers (a number need not sit at its piece's
    # largest circle: a body's can slide along it, and a label takes the centroid when as deep)
    frame = np.median([found[k] - np.array(circles[k].coords[0]) * pt for k in found], axis=0)
    for k, at in found.items():
        x, y = (at - frame) / pt
        radius = circles[k].length
        here = Point(x, y)
        assert outlines[k].contains(here) and outlines[k].exterior.distance(here) >= radius / 2, k


def test_workshop_note_writes_each_entry_on_one_line(orders, tmp_path):
    """A customer or fabric name holding a line break (``"Studio\\nNord"``, as a web shop's export
    may write one) was written raw into workshop.txt, breaking its lines; the batch log already
    wrote it escaped."""
    text = (orders / "A-1001.toml").read_text()
    text = text.replace('customer = "Studio Nord"', 'customer = "Studio\\nNord"')
    text = text.replace('name = "jersey"', 'name = "jer\\nsey"')
    (orders / "A-1001.toml").write_text(text)
    kit = Path(build_kit(orders / "A-1001.toml", tmp_path / "K", OPTS).path)
    note = (kit / "workshop.txt").read_text().splitlines()
    assert note[0] == "Order A-1001 for Studio Nord, due 2026-12-05"
    assert "4 bundles, 20 cut pieces from jer sey, rib." in note


def test_kit_pdf_wraps_a_long_note_onto_the_page(tmp_path):
    """A note of 203 characters (a cutter file left out, and why) was drawn as one line running
    320 pt off the A4 page: its advice was lost on paper (probe 25). Every word now lies on the
    page (``pdftotext -bbox``), the last one too."""
    import re
    import subprocess

    from kitcut.kits.kit_pdf import write_kit_pdf

    note = ("fabric 'jersey': marker.gcode not written: device 'cnc-knife' takes media 1300 mm wide, but the "
            "fabric is 1500 mm wide (margins included); use a device with wider media or nest on narrower "
            "fabric, or leave the file out with --formats")
    order = {"id": "K-1", "customer": "Studio " * 30, "due": None, "garment_count": 1, "pieces": 4}
    report = {"kit": "K-1", "orders": [order],
              "fabrics": [], "totals": {"metres": 1.0, "pieces": 4, "efficiency": 0.8}, "notes": [note],
              "import_remarks": [], "combined": None}
    write_kit_pdf(report, [], tmp_path / "kit.pdf")
    out = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "kit.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    words = re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)<', out)
    assert words and max(float(x) for x, _ in words) <= width - 20  # within the right margin
    assert [w for _, w in words][-1] == "--formats"


def test_a_unit_the_piece_sizes_chose_is_a_kit_headline(tmp_path, capsys):
    """A drawing that declares no unit, its largest piece 457 units long (45.7 cm in mm, 4.57 m in
    cm): the main job says the guess on a line of its own, a kit listed it only among its remarks
    (kit.pdf), so an overnight batch of a centimetre pattern was cut ten times too small with a
    line on page 2 for a sign (probe 39). It is the kit's first headline, printed by `nest kit`."""
    import ezdxf

    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 0
    doc.modelspace().add_lwpolyline([(0, 0), (457.1, 0), (457.1, 200), (0, 200)], close=True)
    doc.saveas(tmp_path / "nounits.dxf")
    (tmp_path / "o.toml").write_text('[order]\nid = "U-1"\ncustomer = "c"\n[[garments]]\n'
                                     'pattern = "nounits.dxf"\ncount = 1\n'
                                     '[[fabrics]]\nname = "jersey"\nwidth_mm = 1500\n')
    guess = ("no units declared: mm guessed from the piece sizes, which fit mm and cm: the largest piece is "
             "45.7 cm long in mm, 4.57 m in cm; give garments[0].units = \"cm\" if the pattern is in "
             "centimetres")
    _nest_kit(tmp_path / "o.toml", tmp_path / "K")
    err = capsys.readouterr().err.splitlines()
    assert f"nest: nounits (nounits.dxf): warning: {guess}" in err
    (r,) = json.loads((tmp_path / "K" / "U-1" / "kit.json").read_text())["import_remarks"]
    assert r["headlines"] == [f"warning: {guess}"]
    (tmp_path / "o.toml").write_text((tmp_path / "o.toml").read_text().replace(
        'count = 1\n', 'count = 1\nunits = "mm"\n'))
    result = build_kit(tmp_path / "o.toml", tmp_path / "K2", KitOptions(time_limit=1, formats=()))
    assert result.warnings == []
