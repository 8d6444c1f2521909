"""Combined kits that must not stay as they are: an order edited after it was cut in one, and a
combined marker that takes more fabric than the orders' own markers."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from test_kits_fakes import FAKE_NESTER, FAKE_READER, WASTEFUL_COMBINED_NESTER

from kitcut.kits.batch import BatchOptions, run_batch
from kitcut.kits.combine import combined_id
from kitcut.kits.kit import KitOptions
from kitcut.kits.manifest import is_complete

OPTS = KitOptions(time_limit=1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg",))


def _only(orders: Path, *keep: str) -> None:
    for f in orders.glob("*.toml"):
        if f.stem not in keep:
            f.unlink()


def test_an_order_edited_after_it_was_cut_in_a_combined_kit_fails_loudly(orders, tmp_path):
    """Before, an order edited after a ``--combine`` batch (1 tee -> 3 tees) was skipped by every
    later batch ("cut in kit combined-..."), exit 0: the changed quantity was never cut. Now the
    batch sees that the order changed and fails it, saying how to cut it anew."""
    _only(orders, "A-1001", "A-1002")
    kits = tmp_path / "KITS"
    kid = combined_id(["A-1001", "A-1002"])
    assert run_batch(orders, kits, BatchOptions(combine=True, kit=OPTS)).count("done") == 2
    for combine in (True, False):  # unchanged: skipped
        s = run_batch(orders, kits, BatchOptions(combine=combine, kit=OPTS))
        assert {(o.order, o.status, o.message) for o in s.outcomes} == {
            ("A-1001", "skipped", f"cut in kit {kid}"), ("A-1002", "skipped", f"cut in kit {kid}")}
    order = orders / "A-1001.toml"
    order.write_text(order.read_text().replace("sizes = { S = 1, M = 2, L = 1 }", "sizes = { S = 3 }"))
    for combine in (True, False):
        s = run_batch(orders, kits, BatchOptions(combine=combine, kit=OPTS))
        out = {o.order: o for o in s.outcomes}
        assert s.exit_code == 2 and out["A-1002"].status == "skipped"
        assert out["A-1001"].status == "failed" and out["A-1001"].kit == kid
        assert (f"A-1001.toml: the order or its pattern changed since it was cut in kit {kid}, which still "
                f"cuts it as it was: to cut it anew, remove the folder {kid}") in out["A-1001"].message
    assert "A-1001.toml (A-1001): failed: " in (kits / "batch.log").read_text()
    assert is_complete(kits / kid) and not (kits / "A-1001").exists()  # nothing cut twice


def test_combining_that_costs_fabric_gives_each_order_its_own_kit(orders, tmp_path):
    """Before, ``--combine`` kept a combined kit whose shared marker was longer than the orders'
    own markers together (``combining saved -0.06 m``). Now each order gets its own kit, from the
    markers nested alone to compute the saving, with a note saying why."""
    _only(orders, "A-1001", "A-1002")
    kits = tmp_path / "KITS"
    opts = replace(OPTS, nester=WASTEFUL_COMBINED_NESTER)
    s = run_batch(orders, kits, BatchOptions(combine=True, kit=opts))
    out = {o.order: o for o in s.outcomes}
    assert {oid: (o.status, o.kit) for oid, o in out.items()} == {
        "A-1001": ("done", "A-1001"), "A-1002": ("done", "A-1002")}
    assert not (kits / combined_id(["A-1001", "A-1002"])).exists()
    for oid, other in (("A-1001", "A-1002"), ("A-1002", "A-1001")):
        said = out[oid].message
        assert said.startswith(f"not combined with {other}: one marker per shared fabric would take ")
        assert said.endswith("so the order is cut in its own kit")
        assert out[oid].saved_metres is None and out[oid].metres > 0
        report = json.loads((kits / oid / "kit.json").read_text())
        assert report["layout"] == "single" and report["notes"][0] == out[oid].message
        assert report["totals"]["metres"] == out[oid].metres
        assert is_complete(kits / oid)
    # the kits are current: a rerun skips them, with or without --combine
    for combine in (True, False):
        again = run_batch(orders, kits, BatchOptions(combine=combine, kit=opts))
        assert {(o.order, o.status) for o in again.outcomes} == {("A-1001", "skipped"), ("A-1002", "skipped")}


def test_batch_lines_of_a_combined_kit_say_where_its_metres_are_and_its_build_time(orders, tmp_path):
    """``batch.log`` and ``batch-report.json`` gave the second order of a combined kit a bare
    ``0.000 m`` (the kit's metres are counted once, on its first order), and a ``seconds`` of the
    writing alone (0.7 s for a kit whose markers took seconds to nest: they came nested to the
    writer). The second order's line now says where its metres are counted (``counted_on`` in
    the report), and ``seconds`` is the kit's build time, every nest included."""
    _only(orders, "A-1001", "A-1002")
    kits = tmp_path / "KITS"
    nap = 0.3  # each fake search sleeps its whole time limit
    opts = replace(OPTS, nester="test_kits_fakes:sleepy_shelf_nest", time_limit=nap)
    s = run_batch(orders, kits, BatchOptions(combine=True, kit=opts))
    kid = combined_id(["A-1001", "A-1002"])
    out = {o.order: o for o in s.outcomes}
    assert {oid: (o.status, o.kit) for oid, o in out.items()} == {"A-1001": ("done", kid),
                                                                  "A-1002": ("done", kid)}
    report = json.loads((kits / kid / "kit.json").read_text())
    nests = 3 * len(report["combined"]["fabrics"])  # each order's share alone, then both together
    assert nests >= 3
    log = (kits / "batch.log").read_text()
    seen = json.loads((kits / "batch-report.json").read_text())["orders"]
    for oid in ("A-1001", "A-1002"):
        assert out[oid].seconds >= nests * nap and seen[f"{oid}.toml"]["seconds"] == out[oid].seconds
    assert seen["A-1001.toml"]["metres"] == report["totals"]["metres"] > 0
    assert seen["A-1001.toml"]["counted_on"] is None
    assert (seen["A-1002.toml"]["metres"], seen["A-1002.toml"]["counted_on"]) == (0.0, "A-1001")
    line = next(x for x in log.splitlines() if "A-1002.toml (A-1002): done:" in x)
    assert f"kit {kid}: its metres counted once, on order A-1001, efficiency " in line
    assert " 0.000 m" not in line
    assert f"kit {kid}: {report['totals']['metres']:.3f} m, efficiency" in log
