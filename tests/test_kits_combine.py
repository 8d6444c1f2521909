"""Combined kits: orders sharing a fabric on one marker, each order's pieces kept apart."""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from shapely.geometry import Polygon
from test_kits_fakes import FAKE_NESTER, FAKE_READER, NO_COMBINED_NESTER, STOPPED_NESTER, write_metre_pattern

from kitcut.kits.batch import BatchOptions, run_batch
from kitcut.kits.combine import combined_id
from kitcut.kits.kit import KitOptions, build_kit
from kitcut.kits.manifest import is_complete, read_manifest

TESTS = Path(__file__).parent
ORDERS = TESTS / "data" / "orders"
SAMPLES = TESTS.parent / "samples"
OPTS = KitOptions(time_limit=1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg",))


def test_combined_kit_layout_and_savings(orders, tmp_path):
    kits = tmp_path / "KITS"
    s = run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS))
    status = {o.file: o.status for o in s.outcomes}
    assert status["A-1001.toml"] == status["A-1002.toml"] == "done"
    assert [status[f] for f in sorted(status) if f.startswith("B-")] == ["failed"] * 3  # they fail alone
    kid = combined_id(["A-1002", "A-1001"])
    kit = kits / kid
    assert sorted(p.name for p in kits.iterdir() if not p.name.startswith(".")) == [
        "batch-report.json", "batch.log", kid, "index.html"]
    assert is_complete(kit) and read_manifest(kit)["orders"] == ["A-1001", "A-1002"]
    for oid in ("A-1001", "A-1002"):
        assert sorted(p.name for p in (kit / "orders" / oid).iterdir()) == [
            "labels.pdf", "picklist.csv", "picklist.txt", "workshop.txt"]
    report = json.loads((kit / "kit.json").read_text())
    assert report["layout"] == "combined"
    comb = report["combined"]
    assert [f["folder"] for f in comb["fabrics"]] == ["fabrics/jersey", "fabrics/rib"]
    # the separate figures are what each order's own kit takes
    for oid in ("A-1001", "A-1002"):
        alone = build_kit(orders / f"{oid}.toml", tmp_path / "alone", OPTS)
        for f in comb["fabrics"]:
            own = next(x for x in alone.fabrics if x["name"] == f["name"])
            assert f["separate"][oid] == pytest.approx(own["metres"], abs=1e-4)
    for f in comb["fabrics"]:
        m = json.loads((kit / f["folder"] / "marker.json").read_text())
        assert f["combined_metres"] == pytest.approx(m["solution"]["length"] / 1000, abs=1e-4)
        assert f["saved_metres"] == pytest.approx(f["separate_metres"] - f["combined_metres"], abs=1e-3)
        # piece names on the shared marker carry the order id
        assert {p["name"].split("/")[0] for p in m["instance"]["pieces"]} == {"A-1001", "A-1002"}
    assert comb["saved_metres"] > 0.1  # the shelf layout shares the last column
    # each order's pick list and labels hold only its own pieces, all of them
    rows = {oid: list(csv.DictReader((kit / "orders" / oid / "picklist.csv").open(encoding="utf-8-sig")))
            for oid in ("A-1001", "A-1002")}
    assert {r["order"] for r in rows["A-1001"]} == {"A-1001"} and len(rows["A-1001"]) == 20
    assert {r["order"] for r in rows["A-1002"]} == {"A-1002"} and len(rows["A-1002"]) == 15
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(kit / "orders" / "A-1002" / "labels.pdf").pages)
    assert text.count("A-1002") == 15 and "A-1001" not in text
    all_rows = list(csv.DictReader((kit / "picklist.csv").open(encoding="utf-8-sig")))
    assert len(all_rows) == 35
    # a rerun skips both orders: they are in a complete combined kit (with or without --combine)
    for combine in (True, False):
        again = run_batch(orders, kits, BatchOptions(combine=combine, kit=OPTS))
        assert {o.file: o.status for o in again.outcomes if o.file.startswith("A-")} == {
            "A-1001.toml": "skipped", "A-1002.toml": "skipped"}
    assert not (kits / "A-1001").exists()


def test_nest_kit_of_an_order_in_a_complete_combined_kit_is_refused(orders, tmp_path, capsys):
    """`nest kit` of an order already cut in a complete combined kit wrote a second complete kit
    (a note said "do not cut it twice"): both pick lists held its pieces, and the next batch
    said only "skipped: cut in kit combined-...". It is refused, naming the folder to remove."""
    from kitcut.cli.main import main

    kits = tmp_path / "KITS"
    run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS))
    kid = combined_id(["A-1002", "A-1001"])
    assert is_complete(kits / kid)
    before = sorted(p.name for p in kits.iterdir())
    with pytest.raises(SystemExit) as exc:
        main(["kit", str(orders / "A-1002.toml"), "-o", str(kits), "--time", "1", "--formats", "svg",
              "--nester", FAKE_NESTER, "--reader", FAKE_READER, "-q"])
    assert exc.value.code == 2
    assert sorted(p.name for p in kits.iterdir()) == before and not (kits / "A-1002").exists()
    err = capsys.readouterr().err
    assert f"order A-1002 is cut in the combined kit {kid}" in err and f"remove the folder {kid}" in err
    # edited since: the combined kit cuts it as it was, and the error says so (as a batch does)
    order = orders / "A-1002.toml"
    order.write_text(order.read_text().replace("L = 2", "L = 3"))
    with pytest.raises(SystemExit):
        main(["kit", str(order), "-o", str(kits), "--time", "1", "--formats", "svg",
              "--nester", FAKE_NESTER, "--reader", FAKE_READER, "-q"])
    err = capsys.readouterr().err
    assert f"changed since it was cut in kit {kid}, which still cuts it as it was" in err


def test_orders_on_different_fabrics_are_not_combined(orders, tmp_path):
    text = (orders / "A-1002.toml").read_text().replace("width_mm = 1500", "width_mm = 1800")
    text = text.replace('name = "rib"', 'name = "rib2"')
    (orders / "A-1002.toml").write_text(text)
    kits = tmp_path / "KITS"
    run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS))
    assert sorted(p.name for p in kits.iterdir() if p.is_dir() and not p.name.startswith(".")) == [
        "A-1001", "A-1002"]


def test_orders_whose_fabric_shrinks_differently_are_not_combined(orders, tmp_path):
    """One fabric name, width and nap, but another shrinkage: the two orders' pieces were nested on
    one marker, one order's enlarged for 5 % shrinkage and the other's not, and the kit reported
    one shrinkage for both. A fabric that shrinks otherwise is another fabric."""
    for oid, shrink in (("A-1001", "[5, 5]"), ("A-1002", "[0, 0]")):
        text = (orders / f"{oid}.toml").read_text()
        assert "shrinkage_pct = [2, 1]" in text  # both as the combined kit's test has them
        text = text.replace('name = "rib"', f'name = "rib-{oid}"')
        text = text.replace("shrinkage_pct = [2, 1]", f"shrinkage_pct = {shrink}")
        (orders / f"{oid}.toml").write_text(text)
    kits = tmp_path / "KITS"
    run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS))
    assert sorted(p.name for p in kits.iterdir() if p.is_dir() and not p.name.startswith(".")) == [
        "A-1001", "A-1002"]


def _real_available() -> bool:
    try:
        from kitcut.formats.reading.read import read_pattern  # noqa: F401
        from kitcut.kits.marker import nest_pattern  # noqa: F401
    except ImportError:
        return False
    return (SAMPLES / "tee.dxf").exists()


@pytest.mark.slow
@pytest.mark.skipif(not _real_available(), reason="the DXF reader or nesting core is not there yet")
def test_combining_two_small_tee_orders_saves_fabric(tmp_path):
    """End to end with the real reader, nesting core and exporters on the bundled tee."""
    orders = tmp_path / "orders"
    orders.mkdir()
    shutil.copy(SAMPLES / "tee.dxf", orders)
    for oid, size in (("T-1", "M"), ("T-2", "S")):
        (orders / f"{oid}.toml").write_text(
            f'[order]\nid = "{oid}"\ncustomer = "Shop"\n[[garments]]\npattern = "tee.dxf"\n'
            f'sizes = {{ {size} = 1 }}\n[[fabrics]]\nname = "jersey"\nwidth_mm = 1500\nspacing_mm = 2\n')
    kits = tmp_path / "KITS"
    opts = KitOptions(time_limit=1, seed=1, workers=1, formats=("svg", "plt"))
    s = run_batch(orders, kits, BatchOptions(combine=True, kit=opts))
    assert s.count("done") == 2 and s.exit_code == 0, [o.message for o in s.outcomes]
    kit = kits / combined_id(["T-1", "T-2"])
    assert is_complete(kit)
    report = json.loads((kit / "kit.json").read_text())
    saved = report["combined"]["saved_metres"]
    assert saved > 0, report["combined"]
    m = json.loads((kit / "fabrics" / "jersey" / "marker.json").read_text())
    polys = [Polygon(p["outline"]) for p in m["solution"]["placements"]]
    assert len(polys) == 10  # 2 tees: front, back, 2 sleeves, neckband
    for i, a in enumerate(polys):  # an independent check of the combined marker
        assert a.bounds[1] >= -1e-6 and a.bounds[3] <= 1500 + 1e-6
        for b in polys[i + 1:]:
            assert a.distance(b) >= 2 - 1e-3
    assert (kit / "fabrics" / "jersey" / "marker.plt").read_text().startswith("IN")


def test_a_fabric_only_one_order_uses_gets_its_own_marker(orders, tmp_path):
    text = (orders / "A-1002.toml").read_text()
    text += '\n[[fabrics]]\nname = "lining"\nwidth_mm = 1400\ncategories = ["sleeve"]\n'
    (orders / "A-1002.toml").write_text(text)
    kits = tmp_path / "KITS"
    run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS))
    kit = kits / combined_id(["A-1001", "A-1002"])
    report = json.loads((kit / "kit.json").read_text())
    folders = {f["folder"]: f for f in report["fabrics"]}
    assert sorted(folders) == ["fabrics/jersey", "fabrics/lining-A-1002", "fabrics/rib"]
    assert folders["fabrics/lining-A-1002"]["orders"] == ["A-1002"]
    assert folders["fabrics/lining-A-1002"]["pieces"] == 6  # A-1002: 3 tees x 2 sleeves
    assert folders["fabrics/jersey"]["pieces"] == 16 + 6  # A-1001: 4 tees x 4; A-1002: fronts, backs
    assert [f["name"] for f in report["combined"]["fabrics"]] == ["jersey", "rib"]  # what was shared
    rows = list(csv.DictReader((kit / "orders" / "A-1002" / "picklist.csv").open(encoding="utf-8-sig")))
    assert {r["fabric"] for r in rows if r["piece"] == "Sleeve"} == {"lining"}


def _only(orders: Path, *keep: str) -> None:
    for f in orders.glob("*.toml"):
        if f.stem not in keep:
            f.unlink()


def test_two_fabrics_of_one_name_in_a_combined_kit_are_told_apart(orders, tmp_path):
    """Two orders whose `rib` differs in width share the jersey marker, and each has a rib marker
    of its own in the combined kit: the pick list, labels and kit.pdf called both `rib`, each with
    a `marker #0`. Each now goes by its width."""
    _only(orders, "A-1001", "A-1002")
    order = orders / "A-1002.toml"
    order.write_text(order.read_text().replace("width_mm = 600", "width_mm = 650"))
    kits = tmp_path / "KITS"
    s = run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS))
    kid = combined_id(["A-1001", "A-1002"])
    assert {o.status for o in s.outcomes} == {"done"} and {o.kit for o in s.outcomes} == {kid}
    report = json.loads((kits / kid / "kit.json").read_text())
    assert sorted(f["name"] for f in report["fabrics"]) == ["jersey", "rib 600 mm", "rib 650 mm"]
    rows = list(csv.DictReader((kits / kid / "picklist.csv").open(encoding="utf-8-sig")))
    by_order = {oid: {r["fabric"] for r in rows if r["order"] == oid} for oid in ("A-1001", "A-1002")}
    assert by_order == {"A-1001": {"jersey", "rib 600 mm"}, "A-1002": {"jersey", "rib 650 mm"}}
    # the markers' own files name them so too: both were "<kit> rib" inside (probe 42)
    for f in report["fabrics"]:
        marker = json.loads((kits / kid / f["folder"] / "marker.json").read_text())
        assert marker["name"] == f"{kid} {f['name']}"
        shown = [p for p in (kits / kid / f["folder"]).iterdir() if p.suffix in (".svg", ".html")]
        assert shown and all(f"{kid} {f['name']}" in p.read_text() for p in shown)


def test_an_edited_order_with_its_own_kit_is_rebuilt_under_combine(orders, tmp_path):
    """Before, ``--combine`` made the job of an order without a partner with no reason to
    rebuild, so the batch's "kit already complete" shortcut kept the kit of the old order
    (without --combine it was rebuilt). An order with a kit of its own is now rebuilt in that
    kit, saying so, with or without --combine, and is not moved into a combined kit."""
    from kitcut.kits.inputs import CHANGED

    _only(orders, "A-1001")
    kits = tmp_path / "KITS"
    assert run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS)).count("done") == 1
    order = orders / "A-1001.toml"
    order.write_text(order.read_text().replace("sizes = { S = 1, M = 2, L = 1 }", "sizes = { S = 3 }"))
    s = run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS))
    assert [(o.order, o.status, o.message) for o in s.outcomes] == [("A-1001", "done", CHANGED)]
    assert json.loads((kits / "A-1001" / "kit.json").read_text())["orders"][0]["garments"][0]["sizes"] == {
        "S": 3}
    # with a partner on the same fabrics: the edited order stays in its own kit, the new one alone
    shutil.copy(TESTS / "data" / "orders" / "A-1002.toml", orders)
    order.write_text(order.read_text().replace("sizes = { S = 3 }", "sizes = { S = 2 }"))
    s = run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS))
    assert sorted((o.order, o.status, o.kit, o.message) for o in s.outcomes) == [
        ("A-1001", "done", "A-1001", CHANGED), ("A-1002", "done", "A-1002", "")]
    assert sorted(p.name for p in kits.iterdir() if p.is_dir() and not p.name.startswith(".")) == [
        "A-1001", "A-1002"]


def test_an_order_that_cannot_be_cut_fails_alone_in_its_group(orders, tmp_path):
    """Before, one order of a --combine group that could not be nested (a piece wider than the
    fabric) failed every order of the group, each with that order's reason and no file name.
    Now it fails alone, naming its own file, and the group is nested again without it; a
    combined kit that fails as a whole leaves each order to be built alone."""
    _only(orders, "A-1001", "A-1002")
    big = [{"name": "Big", "size": "M", "outline": [[0, 0], [3000, 0], [3000, 3002], [0, 3002]]}]
    (orders / "box.dxf").write_text(json.dumps({"style": "box", "pieces": big}))
    text = (orders / "A-1002.toml").read_text().replace('"A-1002"', '"E-2"').replace("tee.dxf", "box.dxf")
    (orders / "E-2.toml").write_text(text.replace("sizes = { M = 1, L = 2 }", "sizes = { M = 1 }"))
    kits = tmp_path / "KITS"
    s = run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS))
    kid = combined_id(["A-1001", "A-1002"])
    assert sorted((o.file, o.status, o.kit, o.message) for o in s.outcomes) == [
        ("A-1001.toml", "done", kid, ""), ("A-1002.toml", "done", kid, ""),
        ("E-2.toml", "failed", None, f"{orders / 'E-2.toml'}: piece 'E-2/box/Big (M)': fabric 'jersey' "
         "(1500 mm wide, 1490 mm usable, nap two-way): piece wider than the fabric")]
    assert s.exit_code == 2 and is_complete(kits / kid)
    assert read_manifest(kits / kid)["orders"] == ["A-1001", "A-1002"]
    log = (kits / "batch.log").read_text()
    assert f"{combined_id(['A-1001', 'A-1002', 'E-2'])}: E-2 cannot be cut: the other orders are grouped " \
        "again" in log
    # the combined marker itself fails: each order gets its own kit
    (orders / "E-2.toml").unlink()
    kits2 = tmp_path / "KITS2"
    s = run_batch(orders, kits2, BatchOptions(combine=True, kit=replace(OPTS, nester=NO_COMBINED_NESTER)))
    assert sorted((o.order, o.status, o.kit) for o in s.outcomes) == [
        ("A-1001", "done", "A-1001"), ("A-1002", "done", "A-1002")]
    assert f"{kid}: the combined kit failed (fabric 'jersey' (1500 mm wide, 1490 mm usable, nap two-way): " \
        "the search gave up); each order is built alone" in (kits2 / "batch.log").read_text()


def _a1003(orders: Path) -> None:
    text = (orders / "A-1002.toml").read_text().replace('"A-1002"', '"A-1003"')
    (orders / "A-1003.toml").write_text(text)


def test_orders_cut_by_another_batch_meanwhile_are_not_cut_again(orders, tmp_path):
    """Before, a batch read which orders were cut in a combined kit only when it started: a plain
    batch running beside a --combine batch cut the same orders again in kits of their own (and a
    --combine batch grouped orders another batch had just cut). Now a batch looks again once it
    has claimed an order. (Here the other batch runs, in full, after this one has made its plan.)"""
    _only(orders, "A-1001", "A-1002")
    _a1003(orders)
    kits = tmp_path / "KITS"
    kid = combined_id(["A-1001", "A-1002", "A-1003"])

    def combine_meanwhile(n):
        assert run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS)).count("done") == 3

    s = run_batch(orders, kits, BatchOptions(kit=OPTS), on_start=combine_meanwhile)
    assert [(o.order, o.status, o.kit, o.message) for o in s.outcomes] == [
        (oid, "skipped", kid, f"cut in kit {kid}") for oid in ("A-1001", "A-1002", "A-1003")]
    assert sorted(p.name for p in kits.iterdir() if p.is_dir() and not p.name.startswith(".")) == [kid]
    # the other way round: a plain batch cuts A-1001 after a --combine batch planned the group
    kits = tmp_path / "KITS2"
    two = combined_id(["A-1002", "A-1003"])

    def plain_meanwhile(n):
        (orders / "A-1002.toml").rename(tmp_path / "A-1002.toml")
        (orders / "A-1003.toml").rename(tmp_path / "A-1003.toml")
        assert run_batch(orders, kits, BatchOptions(kit=OPTS)).count("done") == 1
        for oid in ("A-1002", "A-1003"):
            (tmp_path / f"{oid}.toml").rename(orders / f"{oid}.toml")

    s = run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS), on_start=plain_meanwhile)
    assert [(o.order, o.status, o.kit, o.message) for o in s.outcomes] == [
        ("A-1001", "skipped", "A-1001", "kit already complete"), ("A-1002", "done", two, ""),
        ("A-1003", "done", two, "")]
    assert read_manifest(kits / two)["orders"] == ["A-1002", "A-1003"]


def test_a_group_completed_by_another_batch_meanwhile_is_skipped(orders, tmp_path):
    """Before, of two --combine batches at once the second nested a group the first had just
    finished, then logged "skipped: " without a reason, and batch-report.json and index.html
    showed the figures of the build it threw away, not those of the kit on disk. Now the group
    is skipped before it is built, saying why; the page shows the kit's own figures."""
    from html_tables import tables

    _only(orders, "A-1001", "A-1002")
    kits = tmp_path / "KITS"
    kid = combined_id(["A-1001", "A-1002"])

    def combine_meanwhile(n):
        assert run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS)).count("done") == 2

    s = run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS), on_start=combine_meanwhile)
    report = json.loads((kits / kid / "kit.json").read_text())
    metres, eff = report["totals"]["metres"], report["totals"]["efficiency"]
    # the kit's own figures, its metres counted once (on its first order)
    got = [(o.order, o.status, o.kit, o.message, o.metres, o.efficiency, o.counted_on) for o in s.outcomes]
    assert got == [
        ("A-1001", "skipped", kid, "kit already complete", metres, eff, None),
        ("A-1002", "skipped", kid, "kit already complete", 0.0, eff, "A-1001")]
    log = (kits / "batch.log").read_text()
    assert "A-1001.toml (A-1001): skipped: kit already complete\n" in log and "skipped: \n" not in log
    assert log.count(f"start {kid}") == 1
    rows = tables((kits / "index.html").read_text())["orders"][1:]
    # the second order's row says where its metres are, and its fabrics that they are shared (it
    # showed an empty cell, and the shared metres again, which added up counted them twice)
    assert [(r.cells[0], r.cells[1], r.cells[5]) for r in rows] == [
        ("skipped", "A-1001", f"{metres:.2f}"), ("skipped", "A-1002", "on A-1001")]
    assert rows[0].cells[4].split("\n") == [f"{f['name']} {f['metres']:.2f} m" for f in report["fabrics"]]
    assert rows[1].cells[4].split("\n") == [f"{f['name']} shared, {f['metres']:.2f} m on A-1001"
                                             for f in report["fabrics"]]
    entries = json.loads((kits / "batch-report.json").read_text())["orders"]
    assert {k: (v["status"], v["metres"]) for k, v in entries.items()} == {
        "A-1001.toml": ("skipped", metres), "A-1002.toml": ("skipped", 0.0)}
    # a build that finds its kit complete when it is done (built meanwhile elsewhere) keeps none
    # of its own figures either
    from kitcut.kits.batch import Job, _outcomes_of

    job = Job(kit=kid, files=("A-1001.toml", "A-1002.toml"), orders=("A-1001", "A-1002"))
    out = _outcomes_of(job, {"status": "skipped", "kit": kid, "metres": 2.41, "efficiency": 0.7})
    assert {(o.status, o.metres, o.efficiency, o.message) for o in out} == {
        ("skipped", 0.0, None, "kit already complete (built by another process meanwhile: this build was "
                               "discarded)")}


def test_workshop_note_of_an_order_in_a_combined_kit(orders, tmp_path):
    """Before, each order's workshop.txt in a combined kit said "Fabric cut for this kit" with the
    whole length of every shared marker it is on (A-1001 7.93 m, A-1002 7.93 m, for a kit cutting
    8.42 m in all). Now it names the combined kit and its total, and per fabric the marker's
    length, with whom it is shared and what this order's pieces would take alone."""
    _only(orders, "A-1001", "A-1002")
    text = (orders / "A-1002.toml").read_text()
    (orders / "A-1002.toml").write_text(text + '\n[[fabrics]]\nname = "lining"\nwidth_mm = 1400\n'
                                        'categories = ["sleeve"]\n')
    kits = tmp_path / "KITS"
    run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS))
    kid = combined_id(["A-1001", "A-1002"])
    report = json.loads((kits / kid / "kit.json").read_text())
    m = {f["folder"]: f["metres"] for f in report["fabrics"]}
    alone = {f["folder"]: f["separate"] for f in report["combined"]["fabrics"]}
    note = (kits / kid / "orders" / "A-1002" / "workshop.txt").read_text().splitlines()
    assert "Fabric cut for this kit" not in "\n".join(note)
    assert note[-4:] == [
        f"Fabric: this order is cut in the combined kit {kid} together with A-1001; that kit cuts "
        f"{report['totals']['metres']:.2f} m in total, for all its orders. This order's fabrics:",
        f"- jersey: {m['fabrics/jersey']:.2f} m shared with A-1001 (this order's pieces alone would take "
        f"{alone['fabrics/jersey']['A-1002']:.2f} m)",
        f"- rib: {m['fabrics/rib']:.2f} m shared with A-1001 (this order's pieces alone would take "
        f"{alone['fabrics/rib']['A-1002']:.2f} m)",
        f"- lining: {m['fabrics/lining-A-1002']:.2f} m, for this order only"]
    first = (kits / kid / "orders" / "A-1001" / "workshop.txt").read_text().splitlines()
    assert first[-3].startswith(f"Fabric: this order is cut in the combined kit {kid} together with A-1002;")
    assert len([x for x in first if x.startswith("- ")]) == 1 + 2  # its garment, then jersey and rib
    # a single kit's note is as before
    single = (Path(build_kit(orders / "A-1001.toml", tmp_path / "K", OPTS).path) / "workshop.txt").read_text()
    assert single.splitlines()[-1].startswith("Fabric cut for this kit: ")
    # the marker's length: the cutting room adds its spreading ends (the report counts them)
    assert single.splitlines()[-1].endswith(" m of marker, plus the spreading ends.")


def test_an_order_failing_under_combine_keeps_its_id(orders, tmp_path):
    """Before, under --combine an order whose patterns did not fit it (a size the pattern lacks)
    failed without its id: ``B-2002-unknown-size.toml (?)`` in batch.log, ``data-order=""`` on
    the morning page; without --combine it showed ``(B-2002)``. Now both show the id."""
    kits = tmp_path / "KITS"
    s = run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS))
    failed = {o.file: o.order for o in s.outcomes if o.status == "failed"}
    assert failed == {"B-2001-missing-pattern.toml": "B-2001", "B-2002-unknown-size.toml": "B-2002",
                      "B-2003-bad-values.toml": "B-2003"}
    log = (kits / "batch.log").read_text()
    assert "B-2002-unknown-size.toml (B-2002): failed: " in log and "(?)" not in log
    index = (kits / "index.html").read_text()
    assert 'data-order=""' not in index and 'data-order="B-2002"' in index


def test_combined_totals_are_rounded_once(tmp_path):
    """Before, the totals of a combined kit (kit.json ``totals.metres``, ``combined.separate_metres``
    and ``saved_metres``) added figures already rounded to 0.1 mm. Each is now rounded once."""
    d = tmp_path / "o"
    write_metre_pattern(d)
    for oid in ("T-1", "T-2"):
        (d / f"{oid}.toml").write_text(
            f'[order]\nid = "{oid}"\ncustomer = "x"\n[[garments]]\npattern = "p.dxf"\nsizes = {{ M = 1 }}\n'
            '[[fabrics]]\nname = "jersey"\nwidth_mm = 1500\n[[fabrics]]\nname = "rib"\nwidth_mm = 600\n'
            'categories = ["TRIM"]\n')
    kits = tmp_path / "KITS"
    run_batch(d, kits, BatchOptions(combine=True, kit=OPTS))
    report = json.loads((kits / combined_id(["T-1", "T-2"]) / "kit.json").read_text())
    assert [f["metres"] for f in report["fabrics"]] == [1.0, 1.0]  # one column of two pieces each
    assert report["totals"]["metres"] == 2.0001
    comb = report["combined"]
    assert [f["separate_metres"] for f in comb["fabrics"]] == [2.0001, 2.0001]
    assert (comb["separate_metres"], comb["saved_metres"]) == (4.0002, 2.0001)


def test_a_combined_kit_whose_search_was_stopped_says_so_on_the_next_night(orders, tmp_path):
    """An order's own kit stopped by Ctrl-C is built again by the next batch; a combined kit so
    stopped was skipped as "cut in kit ..." in silence, its markers never searched in full. Its
    orders stay skipped (the kit is shared, and cuts them), and say so, with how to rebuild it."""
    kits = tmp_path / "KITS"
    first = run_batch(orders, kits, BatchOptions(combine=True, kit=replace(OPTS, nester=STOPPED_NESTER)))
    assert {o.status for o in first.outcomes if o.file.startswith("A-")} == {"done"}
    kid = combined_id(["A-1002", "A-1001"])
    again = run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS))
    said = {o.file: o for o in again.outcomes if o.file.startswith("A-")}
    assert {o.status for o in said.values()} == {"skipped"}
    for o in said.values():
        assert o.message == (f"cut in kit {kid}; its search was stopped early (Ctrl-C) for fabric(s) "
                             f"'jersey', 'rib': to search it in full, remove the folder {kid} from the kits "
                             "folder (its orders are then built again by the next batch)")
    assert f"cut in kit {kid}; its search was stopped early" in (kits / "batch.log").read_text()
    shutil.rmtree(kits / kid)  # as it says: the next batch builds them again, in full
    third = run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS))
    assert {o.status for o in third.outcomes if o.file.startswith("A-")} == {"done"}
    assert not any(f.get("stopped") for f in json.loads((kits / kid / "kit.json").read_text())["fabrics"])
