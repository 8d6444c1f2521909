"""``kit.html`` in every kit and ``KITS/index.html`` after every batch: what they say is what the
kit and the batch hold. (What the pages do in a browser: ``test_pages_browser.py``.)"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from html_tables import tables
from test_export_html import embedded
from test_kits_fakes import FAKE_NESTER, FAKE_READER

from kitcut.formats.marker_json import read_marker
from kitcut.kits.batch import BatchOptions, run_batch
from kitcut.kits.kit import KitOptions, build_kit
from kitcut.kits.manifest import read_manifest, verify_manifest

OPTS = KitOptions(time_limit=1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg", "html"))


def test_kit_page_shows_markers_pick_list_and_manifest(orders, tmp_path):
    kit = Path(build_kit(orders / "A-1001.toml", tmp_path / "K", OPTS).path)
    text = (kit / "kit.html").read_text(encoding="utf-8")
    assert verify_manifest(kit) == []
    manifest = read_manifest(kit)["files"]
    assert "kit.html" in [e["path"] for e in manifest]  # the page is verified like every other file
    # the files table is the manifest but the page itself: path, size and hash of each file
    rows = tables(text)["files"][1:]
    assert [r.cells[0] for r in rows] == [e["path"] for e in manifest if e["path"] != "kit.html"]
    assert [r.cells[2] for r in rows] == [e["sha256"] for e in manifest if e["path"] != "kit.html"]
    sizes = {e["path"]: e["size"] for e in manifest}
    assert all((kit / r.links[0]).is_file() for r in rows)
    small = [r for r in rows if sizes[r.cells[0]] < 1024]
    assert all(r.cells[1] == f"{sizes[r.cells[0]]} B" for r in small) and small
    # a viewer per fabric; each piece knows its order, garment and bundle as the pick list says
    report = json.loads((kit / "kit.json").read_text())
    views = embedded(text)
    assert list(views) == [f"marker-data-{i}" for i in range(len(report["fabrics"]))]
    picklist = list(csv.DictReader((kit / "picklist.csv").open(encoding="utf-8-sig")))
    for i, f in enumerate(report["fabrics"]):
        marker = read_marker(kit / f["folder"] / "marker.json")
        data = views[f"marker-data-{i}"]
        assert len(data["pieces"]) == len(marker.placements) == f["pieces"]
        want = {int(r["placement"]): r for r in picklist if r["fabric"] == f["name"]}
        for j, p in enumerate(data["pieces"]):
            assert (p["o"], p["g"], p["bu"], p["n"]) == ("A-1001", "tee", want[j]["bundle"], want[j]["piece"])
        # its own page (format html) carries the same facts
        own = embedded((kit / f["folder"] / "marker.html").read_text())["marker-data"]
        assert own == data
    # the pick list: one row per cut piece, pointing at its marker and placement
    rows = tables(text)["picklist"][1:]
    assert len(rows) == len(picklist) == 20
    assert sorted((int(r.attrs["data-kv-viewer"]), int(r.attrs["data-kv-piece"])) for r in rows) == sorted(
        (next(i for i, f in enumerate(report["fabrics"]) if f["name"] == r["fabric"]), int(r["placement"]))
        for r in picklist)
    assert [r.cells[0] for r in rows] == [r["bundle"] for r in picklist]  # bundle order, as picklist.csv
    assert "open on its own page" in text


def test_kit_page_without_html_format(orders, tmp_path):
    opts = KitOptions(time_limit=1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg",))
    kit = Path(build_kit(orders / "A-1001.toml", tmp_path / "K", opts).path)
    assert not list(kit.rglob("marker.html"))
    text = (kit / "kit.html").read_text()
    assert len(embedded(text)) == 2 and "open on its own page" not in text  # still viewable in the page
    assert verify_manifest(kit) == []


def test_kit_page_of_a_combined_kit(orders, tmp_path):
    kits = tmp_path / "KITS"
    s = run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS, isolate=False))
    kit = kits / next(o.kit for o in s.outcomes if o.status == "done")
    text = (kit / "kit.html").read_text()
    assert verify_manifest(kit) == []
    files = [r.cells[0] for r in tables(text)["files"][1:]]
    assert "orders/A-1001/labels.pdf" in files and "orders/A-1002/picklist.csv" in files
    orders_on = {p["o"] for d in embedded(text).values() for p in d["pieces"]}
    assert orders_on == {"A-1001", "A-1002"}
    assert "Combining the orders saved" in text


def test_batch_index_failed_first_with_reasons_links_and_totals(orders, tmp_path):
    kits = tmp_path / "KITS"
    s = run_batch(orders, kits, BatchOptions(kit=OPTS, isolate=False))
    text = (kits / "index.html").read_text(encoding="utf-8")
    rows = tables(text)["orders"][1:]
    statuses = [r.attrs["class"] for r in rows]
    assert statuses == ["failed"] * 3 + ["done"] * 2
    by_file = {o.file: o for o in s.outcomes}
    for r in rows:
        o = by_file[r.cells[2]]
        assert r.cells[0] == o.status and r.cells[1] == o.order
        if o.status == "failed":
            assert r.cells[8] == o.message and "\n" not in o.message and not r.links
        else:
            assert r.links == [f"{o.order}/kit.html"] and (kits / r.links[0]).is_file()
            report = json.loads((kits / o.kit / "kit.json").read_text())
            assert r.cells[4].split("\n") == [f"{f['name']} {f['metres']:.2f} m" for f in report["fabrics"]]
            assert r.cells[5] == f"{o.metres:.2f}" and r.cells[6] == f"{100 * o.efficiency:.1f} %"
    assert "done2" in _cards(text) and "failed3" in _cards(text)
    assert f"fabric cut{s.metres:.2f} m" in _cards(text)
    jersey = sum(f["metres"] for k in ("A-1001", "A-1002")
                 for f in json.loads((kits / k / "kit.json").read_text())["fabrics"] if f["name"] == "jersey")
    assert f"jersey {jersey:.2f} m" in text.replace("<b>", "").replace("</b>", "")
    assert not [p for p in kits.iterdir() if p.name.endswith(".tmp")]  # written atomically
    # the next run: the kits are there (skipped), the failures still failed; the page is rewritten
    run_batch(orders, kits, BatchOptions(kit=OPTS, isolate=False))
    rows = tables((kits / "index.html").read_text())["orders"][1:]
    assert [r.attrs["class"] for r in rows] == ["failed"] * 3 + ["skipped"] * 2
    assert [r.links for r in rows[3:]] == [["A-1001/kit.html"], ["A-1002/kit.html"]]
    again = (kits / "index.html").read_text()
    assert "fabric cut0.00 m" in _cards(again)  # this run's
    # the kits on disk keep their figures (a rerun reported each 0 m, and the report lost them)
    assert f"fabric, all kits{s.metres:.2f} m" in _cards(again)
    for r in tables(again)["orders"][1:][3:]:
        o = by_file[r.cells[2]]
        assert r.cells[5] == f"{o.metres:.2f}" and r.cells[6] == f"{100 * o.efficiency:.1f} %"
    entries = json.loads((kits / "batch-report.json").read_text())["orders"]
    for f in ("A-1001.toml", "A-1002.toml"):
        assert entries[f]["status"] == "skipped" and entries[f]["metres"] == pytest.approx(by_file[f].metres)


def _cards(text: str) -> str:
    """The totals cards as plain text (label and value run together)."""
    import re

    part = text.split('<div class="cards totals">', 1)[1].split("</div></div>", 1)[0] + "</div>"
    return re.sub(r"<[^>]+>", "", part)


@pytest.mark.parametrize("status", ["deferred", "busy"])
def test_batch_index_shows_orders_not_built(orders, tmp_path, status):
    from datetime import datetime

    from kitcut.kits.batch import Outcome
    from kitcut.kits.pages import write_batch_index

    o = Outcome(file="A-1001.toml", order="A-1001", status=status, message="not started: past --until 06:00")
    done = Outcome(file="A-1002.toml", order="A-1002", status="done", kit="A-1002", metres=1.5,
                   efficiency=0.8, seconds=2.0)
    write_batch_index(tmp_path, [done, o], {"done": 1, status: 1, "metres": 1.5, "seconds": 3.0},
                      finished=datetime(2026, 12, 5, 6, 0))
    text = (tmp_path / "index.html").read_text()
    rows = tables(text)["orders"][1:]
    assert [r.cells[0] for r in rows] == [status, "done"]  # not built goes before built
    assert rows[0].cells[8] == "not started: past --until 06:00" and not rows[0].links
    assert rows[1].links == [] and rows[1].cells[3] == ""  # no kit.json there: no kit to link to
    assert "Batch run finished 2026-12-05 06:00" in text


def test_combined_kit_page_pick_list_names_the_order_and_counts_bundles_as_picklist_txt(orders, tmp_path):
    """Before, the pick list of a combined kit's kit.html had no order column (the rows of
    ``tee M #1`` of A-1001 and of A-1002 looked alike) and counted bundles by that name alone
    ("5 bundles" where picklist.txt says 7). Now each row names its order, in a first column, and
    the count is picklist.txt's; a single kit's pick list is unchanged (no order column)."""
    for f in orders.glob("B-*.toml"):
        f.unlink()
    kits = tmp_path / "KITS"
    s = run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS, isolate=False))
    kit = kits / next(o.kit for o in s.outcomes if o.status == "done")
    text = (kit / "kit.html").read_text()
    table = tables(text)["picklist"]
    assert table[0].cells[:3] == ["order", "bundle", "piece"]
    picklist = list(csv.DictReader((kit / "picklist.csv").open(encoding="utf-8-sig")))
    assert [r.cells[:3] for r in table[1:]] == [[r["order"], r["bundle"], r["piece"]] for r in picklist]
    assert (kit / "picklist.txt").read_text().splitlines()[-1] == "7 bundles, 35 pieces"
    assert '<p class="muted">7 bundles, 35 pieces; a row shows its piece on its marker.' in text
    single = Path(build_kit(orders / "A-1001.toml", tmp_path / "K", OPTS).path)
    head = tables((single / "kit.html").read_text())["picklist"][0].cells
    assert head[:2] == ["bundle", "piece"] and "order" not in head


def test_a_kit_json_edited_by_hand_gives_no_nan_to_the_batch_report(tmp_path):
    """A skipped kit's figures come from its kit.json: one edited by hand (`"metres": NaN`, its
    manifest signed again) put NaN, which is no JSON, into batch-report.json."""
    from kitcut.kits.batch import _kit_figures
    from kitcut.kits.jobs import Outcome

    kit = tmp_path / "A-1"
    kit.mkdir()
    o = Outcome(file="a.toml", order="A-1", status="skipped", kit="A-1")
    for metres, eff in (("NaN", 0.8), (-1.0, 0.8), (1.5, float("nan")), (1.5, 7.0)):
        totals = {"metres": metres, "efficiency": eff}
        (kit / "kit.json").write_text(json.dumps({"fabrics": [], "totals": totals}))
        assert _kit_figures(o, tmp_path, {}) is o
    (kit / "kit.json").write_text(json.dumps({"fabrics": [], "totals": {"metres": 1.5, "efficiency": 0.8}}))
    got = _kit_figures(o, tmp_path, {})
    assert (got.metres, got.efficiency, got.counted_on) == (1.5, 0.8, None)
