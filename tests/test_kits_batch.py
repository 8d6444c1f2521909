"""Batches: good and bad orders, reruns, kill -9 in the middle, two batches at once, --until."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from test_kits_fakes import (
    CRASHING_NESTER,
    FAKE_NESTER,
    FAKE_READER,
    SLEEPY_NESTER,
    STOPPED_NESTER,
    write_fake_tee,
)

from kitcut.cli.main import main
from kitcut.kits.batch import BatchOptions, parse_until, run_batch
from kitcut.kits.kit import KitOptions
from kitcut.kits.manifest import is_complete, verify_manifest

TESTS = Path(__file__).parent
ORDERS = TESTS / "data" / "orders"
OPTS = KitOptions(time_limit=1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg",))


def many_orders(folder: Path, n: int) -> list[str]:
    folder.mkdir()
    write_fake_tee(folder / "tee.dxf")
    text = (ORDERS / "A-1001.toml").read_text()
    ids = [f"C-{i:03d}" for i in range(n)]
    for oid in ids:
        (folder / f"{oid}.toml").write_text(text.replace('id = "A-1001"', f'id = "{oid}"'))
    return ids


def kit_dirs(kits: Path) -> list[str]:
    return sorted(p.name for p in kits.iterdir() if p.is_dir() and not p.name.startswith("."))


def hidden_dirs(kits: Path) -> list[str]:
    return sorted(p.name for p in kits.iterdir()
                  if p.is_dir() and p.name.startswith(".") and p.name != ".locks")


def nest_cli(args, capsys) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_batch_with_good_and_bad_orders(orders, tmp_path, capsys):
    kits = tmp_path / "KITS"
    args = ["batch", str(orders), "-o", str(kits), "--time", "1", "--formats", "svg", "--nester", FAKE_NESTER,
            "--reader", FAKE_READER]
    code, out, err = nest_cli(args, capsys)
    assert code == 2
    assert "orders: 2 done, 0 skipped, 3 failed" in out
    assert "B-2002-unknown-size.toml: garments[0].sizes.XXL: tee.dxf has no size 'XXL' (it has S, M, L)" \
        in err
    assert "B-2001-missing-pattern.toml: garments[0].pattern: pattern file 'no-such-pattern.dxf' " \
        "not found" in err
    assert "B-2003-bad-values.toml: fabrics[0].width_mm: must be > 0, got -1500" in err
    assert kit_dirs(kits) == ["A-1001", "A-1002"] and hidden_dirs(kits) == []
    assert all(verify_manifest(kits / k) == [] for k in kit_dirs(kits))
    report = json.loads((kits / "batch-report.json").read_text())
    status = {f: r["status"] for f, r in report["orders"].items()}
    assert status == {"A-1001.toml": "done", "A-1002.toml": "done", "B-2001-missing-pattern.toml": "failed",
                      "B-2002-unknown-size.toml": "failed", "B-2003-bad-values.toml": "failed"}
    assert report["last_run"]["done"] == 2 and report["last_run"]["failed"] == 3
    done_metres = sum(r["metres"] for r in report["orders"].values())
    assert report["last_run"]["metres"] == pytest.approx(done_metres, abs=1e-3) and done_metres > 1
    log = (kits / "batch.log").read_text()
    assert "B-2003-bad-values.toml (B-2003): failed: " in log
    assert "A-1002.toml (A-1002): done: kit A-1002" in log
    # a rerun skips the complete kits, and still reports the bad orders
    code, out, _ = nest_cli(args, capsys)
    assert code == 2 and "orders: 0 done, 2 skipped, 3 failed" in out
    # without the bad orders the batch succeeds
    for f in orders.glob("B-*.toml"):
        f.unlink()
    code, out, _ = nest_cli(args, capsys)
    assert code == 0 and "orders: 0 done, 2 skipped, 0 failed" in out


def test_damaged_kit_is_rebuilt(orders, tmp_path):
    kits = tmp_path / "KITS"
    for f in orders.glob("B-*.toml"):
        f.unlink()
    run_batch(orders, kits, BatchOptions(kit=OPTS))
    (kits / "A-1002" / "labels.pdf").write_bytes(b"damaged")
    s = run_batch(orders, kits, BatchOptions(kit=OPTS))
    assert {o.order: o.status for o in s.outcomes} == {"A-1001": "skipped", "A-1002": "done"}
    assert is_complete(kits / "A-1002") and hidden_dirs(kits) == []


def test_a_kit_whose_order_or_pattern_changed_is_rebuilt(orders, tmp_path, capsys):
    """Before, a rerun skipped every complete kit ("kit already complete"), also when its order
    had been edited since: the kit of the old order stayed, to be cut. A kit now records what it
    was built from; a changed order or pattern file (or other --formats) rebuilds it, saying so."""
    for f in orders.glob("B-*.toml"):
        f.unlink()
    kits = tmp_path / "KITS"
    args = ["batch", str(orders), "-o", str(kits), "--time", "1", "--formats", "svg", "--nester", FAKE_NESTER,
            "--reader", FAKE_READER]
    assert nest_cli(args, capsys)[0] == 0
    order = orders / "A-1001.toml"
    order.write_text(order.read_text().replace("sizes = { S = 1, M = 2, L = 1 }", "sizes = { S = 3 }"))
    code, out, err = nest_cli(args, capsys)
    assert code == 0 and "orders: 1 done, 1 skipped, 0 failed" in out
    assert err == "nest: note: A-1001.toml (A-1001): rebuilt: the order or its pattern changed since the " \
        "kit was built\n"
    report = json.loads((kits / "A-1001" / "kit.json").read_text())
    assert report["orders"][0]["garments"][0]["sizes"] == {"S": 3}
    log = (kits / "batch.log").read_text()
    assert "A-1001.toml (A-1001): done: kit A-1001: " in log
    assert "; rebuilt: the order or its pattern changed since the kit was built" in log
    code, out, err = nest_cli(args, capsys)  # unchanged: skipped
    assert code == 0 and "orders: 0 done, 2 skipped, 0 failed" in out and err == ""
    write_fake_tee(orders / "tee.dxf")  # the same pattern written again: still the same bytes
    assert nest_cli(args, capsys)[1].startswith("orders: 0 done, 2 skipped")
    tee = orders / "tee.dxf"
    tee.write_text(tee.read_text().replace('"quantity": 2', '"quantity": 1'))
    code, out, err = nest_cli(args, capsys)  # the pattern changed: both kits
    assert code == 0 and "orders: 2 done, 0 skipped, 0 failed" in out
    assert err.count("rebuilt: the order or its pattern changed since the kit was built") == 2
    code, out, err = nest_cli([a if a != "svg" else "svg,dxf" for a in args], capsys)  # other formats
    assert code == 0 and "orders: 2 done, 0 skipped" in out
    assert "A-1002.toml (A-1002): rebuilt: it was built with svg, now dxf,svg (--formats)" in err
    assert kit_dirs(kits) == ["A-1001", "A-1002"] and hidden_dirs(kits) == []
    assert all(is_complete(kits / k) for k in kit_dirs(kits))


def test_a_kit_whose_search_was_stopped_is_built_again(orders, tmp_path, capsys):
    """``nest kit`` stopped by Ctrl-C writes the best markers found by then and says to build the
    kit again; the night's batch skipped such a kit as "kit already complete", in silence, and
    its markers were never searched in full. It is rebuilt now, saying why."""
    for f in orders.glob("B-*.toml"):
        f.unlink()
    kits = tmp_path / "KITS"
    args = ["batch", str(orders), "-o", str(kits), "--time", "1", "--formats", "svg", "--reader", FAKE_READER]
    assert nest_cli([*args, "--nester", STOPPED_NESTER], capsys)[0] == 0
    assert all(f["stopped"] for f in json.loads((kits / "A-1001" / "kit.json").read_text())["fabrics"])
    code, out, err = nest_cli([*args, "--nester", FAKE_NESTER], capsys)
    assert code == 0 and "orders: 2 done, 0 skipped, 0 failed" in out
    assert ("nest: note: A-1001.toml (A-1001): rebuilt: its search was stopped early (Ctrl-C) for fabric(s) "
            "'jersey'") in err
    assert not any(f["stopped"] for f in json.loads((kits / "A-1001" / "kit.json").read_text())["fabrics"])
    code, out, err = nest_cli([*args, "--nester", FAKE_NESTER], capsys)  # searched in full: skipped
    assert code == 0 and "orders: 0 done, 2 skipped, 0 failed" in out and err == ""


def test_a_batch_stopped_before_it_finished_says_so(tmp_path):
    """A batch stopped by Ctrl-C (or SIGTERM) left ``batch.log`` ending at the last kit started,
    and ``batch-report.json`` and the morning page showing the run before as the last one,
    finished, nothing failed. They now say the run was stopped, and list every order it did not
    build as deferred; the next run builds them."""
    ids = many_orders(tmp_path / "orders", 3)
    kits = tmp_path / "KITS"
    run_batch(tmp_path / "orders", kits, BatchOptions(kit=OPTS))  # the night before: all built
    for oid in ids:
        (tmp_path / "orders" / f"{oid}.toml").unlink()
    new = many_orders(tmp_path / "more", 3)
    for oid in new:
        (tmp_path / "more" / f"{oid}.toml").rename(tmp_path / "orders" / f"N{oid}.toml")
    text = {f: f.read_text().replace('id = "C-', 'id = "N-') for f in (tmp_path / "orders").glob("NC-*.toml")}
    for f, t in text.items():
        f.write_text(t)

    def stop(outcome):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(tmp_path / "orders", kits, BatchOptions(kit=OPTS), on_outcome=stop)
    log = (kits / "batch.log").read_text().splitlines()
    assert "batch stopped: stopped (Ctrl-C) before it finished; orders: 1 done, 0 skipped, 0 failed, " \
           "2 deferred" in log[-1]
    report = json.loads((kits / "batch-report.json").read_text())
    assert report["last_run"]["stopped"] == "Ctrl-C" and report["last_run"]["deferred"] == 2
    left = {f: o for f, o in report["orders"].items() if o["status"] == "deferred"}
    assert len(left) == 2 and {o["message"] for o in left.values()} == {
        "not built: the batch was stopped (Ctrl-C) before it; run the batch again"}
    assert {o["order"] for o in left.values()} <= {"N-000", "N-001", "N-002"}
    page = (kits / "index.html").read_text()
    assert "Batch run stopped (Ctrl-C)" in page and "Batch run finished" not in page
    s = run_batch(tmp_path / "orders", kits, BatchOptions(kit=OPTS))  # run again: the rest is built
    assert s.stopped is None and s.count("done") == 2 and s.count("skipped") == 1
    assert "Batch run finished" in (kits / "index.html").read_text()

    class Terminated(KeyboardInterrupt):  # as the CLI raises on SIGTERM
        signum = 15

    def term(outcome):
        raise Terminated

    with pytest.raises(Terminated):
        run_batch(tmp_path / "orders", kits, BatchOptions(kit=OPTS), on_outcome=term)
    assert "batch stopped: stopped (SIGTERM) before it finished; orders: 0 done, 3 skipped, 0 failed;" \
        in (kits / "batch.log").read_text().splitlines()[-1]


def test_a_kit_that_records_no_inputs_is_kept(orders, tmp_path):
    """A kit written before kits recorded their inputs is kept by a rerun, and says why it was
    not compared (it is not known to differ)."""
    from kitcut.kits.manifest import read_manifest, write_manifest

    for f in orders.glob("B-*.toml"):
        f.unlink()
    kits = tmp_path / "KITS"
    run_batch(orders, kits, BatchOptions(kit=OPTS))
    old = read_manifest(kits / "A-1001")
    assert set(old["inputs"]) == {"sha256", "order_sha256", "order_file", "formats"}
    assert old["inputs"]["formats"] == ["svg"] and old["inputs"]["order_file"] == "A-1001.toml"
    write_manifest(kits / "A-1001", kit="A-1001", orders=["A-1001"])  # as an older kitcut wrote it
    s = run_batch(orders, kits, BatchOptions(kit=OPTS))
    assert {o.order: (o.status, o.message) for o in s.outcomes} == {
        "A-1001": ("skipped",
                   "kit already complete (it does not record what it was built from: not compared)"),
        "A-1002": ("skipped", "kit already complete")}


def test_order_files_in_capitals_and_a_folder_without_orders(orders, tmp_path, capsys):
    """Before, ``ORDER-7.TOML`` (as Windows editors write it) was passed over without a word
    ("0 done ... 0 failed", exit 0) while ``nest kit`` built it, and a folder without any order
    also exited 0 in silence. Now the extension is matched in any case, and a folder without an
    order is an error (exit 2) that leaves no kits folder behind."""
    for f in orders.glob("*.toml"):
        f.unlink()
    (orders / "ORDER-7.TOML").write_text((ORDERS / "A-1001.toml").read_text())
    (orders / "notes.toml.txt").write_text("not an order")
    kits = tmp_path / "KITS"
    args = ["--time", "1", "--formats", "svg", "--nester", FAKE_NESTER, "--reader", FAKE_READER]
    code, out, err = nest_cli(["batch", str(orders), "-o", str(kits), *args], capsys)
    assert code == 0 and "orders: 1 done, 0 skipped, 0 failed" in out and err == ""
    assert kit_dirs(kits) == ["A-1001"]
    assert list(json.loads((kits / "batch-report.json").read_text())["orders"]) == ["ORDER-7.TOML"]
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = nest_cli(["batch", str(empty), "-o", str(tmp_path / "K2"), *args], capsys)
    assert (code, out) == (2, "") and err == f"nest: error: no *.toml order in {empty}\n"
    assert not (tmp_path / "K2").exists()


def test_toml_files_that_are_not_orders_are_left_out(orders, tmp_path, capsys):
    """Before, a pattern's side file ``shirt.match.toml`` beside the orders was taken for an order:
    a failed order every night ("missing [order] table"), exit 2. A TOML file without an order's
    tables is now left out, noted once (stderr, batch.log, index.html); a file that looks like an
    order (``[[garments]]`` without ``[order]``) or is not valid TOML still fails."""
    for f in orders.glob("B-*.toml"):
        f.unlink()
    match = (TESTS.parent / "samples" / "shirt.match.toml").read_text()
    (orders / "shirt.match.toml").write_text(match)  # the match file of a pattern (not used here)
    kits = tmp_path / "KITS"
    args = ["batch", str(orders), "-o", str(kits), "--time", "1", "--formats", "svg", "--nester", FAKE_NESTER,
            "--reader", FAKE_READER, "-q"]
    code, out, err = nest_cli(args, capsys)
    assert code == 0 and "orders: 2 done, 0 skipped, 0 failed" in out
    assert err == "nest: note: not an order: shirt.match.toml (it has no [order] table)\n"
    note = "not an order: shirt.match.toml (it has no [order] table)"
    assert (kits / "batch.log").read_text().count(note) == 1 and note in (kits / "index.html").read_text()
    assert sorted(json.loads((kits / "batch-report.json").read_text())["orders"]) == ["A-1001.toml",
                                                                                     "A-1002.toml"]
    # hidden files, as a shell's *.toml leaves them out: macOS's AppleDouble file beside a copied
    # order (not TOML: it failed every night) and an editor's copy (it took its order's id)
    (orders / "._A-1001.toml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02")
    (orders / ".#A-1002.toml").write_text((orders / "A-1002.toml").read_text())
    code, out, err = nest_cli([*args[:3], str(tmp_path / "KH"), *args[4:]], capsys)
    assert code == 0 and "orders: 2 done, 0 skipped, 0 failed" in out
    assert sorted(err.splitlines()) == [
        "nest: note: not an order: .#A-1002.toml (a hidden file)",
        "nest: note: not an order: ._A-1001.toml (a hidden file)",
        "nest: note: not an order: shirt.match.toml (it has no [order] table)"]
    for f in orders.glob(".*.toml"):
        f.unlink()
    (orders / "X-1.toml").write_text('[[garments]]\npattern = "tee.dxf"\nsizes = { M = 1 }\n')
    (orders / "X-2.toml").write_text('[order]\nid = "X-2"\ncustomer = "y\n')
    # an order's tables spelt in capitals or in the singular are an order that fails, not another
    # kind of file passed over (the night ended "0 failed" and the order was never cut)
    (orders / "X-3.toml").write_text((orders / "A-1001.toml").read_text().replace("[order]", "[Order]"))
    (orders / "X-4.toml").write_text('[[fabric]]\nname = "jersey"\nwidth_mm = 1500\n')
    code, out, err = nest_cli(args, capsys)
    assert code == 2 and "orders: 0 done, 2 skipped, 4 failed" in out
    assert f"nest: failed: {orders / 'X-1.toml'}: order: missing [order] table\n" in err
    assert f"nest: failed: {orders / 'X-2.toml'}: not valid TOML: " in err
    assert (f"nest: failed: {orders / 'X-3.toml'}: (top level).Order: unknown field (allowed: fabrics, "
            "garments, order); field names are lower case: order\n") in err
    assert f"nest: failed: {orders / 'X-4.toml'}: (top level).fabric: unknown field" in err
    for f in orders.glob("X-*.toml"):
        f.unlink()
    only = tmp_path / "only"
    only.mkdir()
    (only / "shirt.match.toml").write_text(match)
    code, out, err = nest_cli(["batch", str(only), "-o", str(tmp_path / "K2")], capsys)
    assert (code, out) == (2, "") and err == (f"nest: error: no *.toml order in {only} (not an order: "
                                              "shirt.match.toml (it has no [order] table))\n")


def test_ids_and_paths_cannot_escape(orders, tmp_path):
    kits = tmp_path / "area" / "KITS"
    base = (orders / "A-1001.toml").read_text()
    (orders / "evil1.toml").write_text(base.replace('id = "A-1001"', 'id = "../escaped"'))
    (orders / "evil2.toml").write_text(base.replace('id = "A-1001"', 'id = "/tmp/escaped"'))
    base = base.replace('id = "A-1001"', 'id = "{id}"')
    (orders / "evil3.toml").write_text(base.replace("{id}", "E-3").replace('"tee.dxf"', '"../x.dxf"'))
    os.symlink("/etc/hostname", orders / "link.dxf")
    (orders / "evil4.toml").write_text(base.replace("{id}", "E-4").replace('"tee.dxf"', '"link.dxf"'))
    s = run_batch(orders, kits, BatchOptions(kit=OPTS))
    failed = {o.file: o.message for o in s.outcomes if o.status == "failed"}
    assert "order.id: '../escaped' is not allowed" in failed["evil1.toml"]
    assert "order.id: '/tmp/escaped' is not allowed" in failed["evil2.toml"]
    assert "leaves the order's folder" in failed["evil3.toml"]
    assert "leads outside the order's folder" in failed["evil4.toml"]
    assert kit_dirs(kits) == ["A-1001", "A-1002"]
    assert sorted(p.name for p in (tmp_path / "area").iterdir()) == ["KITS"]
    assert not Path("/tmp/escaped").exists() and not (tmp_path / "area" / "escaped").exists()


def test_until_defers_new_orders(orders, tmp_path, capsys):
    kits = tmp_path / "KITS"
    s = run_batch(orders, kits, BatchOptions(kit=OPTS, until=datetime.now() - timedelta(seconds=1)))
    # bad values and missing files are found before any start; an unknown size only when built
    assert s.count("deferred") == 3 and s.count("done") == 0 and s.count("failed") == 2 and s.exit_code == 2
    assert kit_dirs(kits) == []
    now = datetime(2026, 11, 29, 22, 30)
    assert parse_until("06:00", now) == datetime(2026, 11, 30, 6, 0)
    assert parse_until("23:15", now) == datetime(2026, 11, 29, 23, 15)
    for bad in ("", "06:00am"):  # an empty --until was taken for no limit at all
        code, out, err = nest_cli(["batch", str(orders), "-o", str(tmp_path / "K2"), "--until", bad], capsys)
        assert (code, out) == (2, "")
        assert err == f"nest: error: --until must be a clock time HH:MM, got {bad!r}\n"


def test_worker_processes(tmp_path):
    ids = many_orders(tmp_path / "orders", 4)
    kits = tmp_path / "KITS"
    s = run_batch(tmp_path / "orders", kits, BatchOptions(workers=2, kit=OPTS))
    assert s.count("done") == 4 and s.exit_code == 0
    assert kit_dirs(kits) == ids and all(is_complete(kits / i) for i in ids) and hidden_dirs(kits) == []


@pytest.fixture
def batch_tmp():
    """TMPDIR of the batches a test starts. A batch killed with -9 cannot remove its
    forkserver's socket folder (pymp-*): it is removed here, not left in the machine's /tmp.
    Short, as a socket's path must be (under 108 bytes): tmp_path is too deep."""
    d = Path(tempfile.mkdtemp(prefix="kcb-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


def _batch_proc(orders: Path, kits: Path, time_s: float, tmp: Path, workers: int = 1) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(TESTS) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "TMPDIR": str(tmp)}
    cmd = [sys.executable, "-m", "kitcut", "batch", str(orders), "-o", str(kits), "--time", str(time_s),
           "--formats", "svg", "--nester", SLEEPY_NESTER, "--reader", FAKE_READER, "--workers", str(workers)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_kill_9_in_the_middle_then_rerun(tmp_path, batch_tmp):
    ids = many_orders(tmp_path / "orders", 6)
    kits = tmp_path / "KITS"
    proc = _batch_proc(tmp_path / "orders", kits, 0.25, batch_tmp)
    deadline = time.monotonic() + 30
    # wait until one kit is complete and the next is being built (a temporary folder exists)
    while time.monotonic() < deadline:
        if kits.is_dir() and kit_dirs(kits) and hidden_dirs(kits):
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    built = kit_dirs(kits)
    assert 1 <= len(built) < 6
    assert all(is_complete(kits / k) for k in built)  # no half kit is ever visible
    left_behind = hidden_dirs(kits)  # almost always the kit being built when killed
    # the worker process that built it stops on its own once it finds its batch gone (see the
    # next test); until then its folder is not stale. Rerun once it has stopped, not before
    from kitcut.kits.kit import pid_alive

    builders = [int(name.rpartition("@")[0].rpartition("-")[2]) for name in left_behind]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(pid_alive(b) for b in builders):
        time.sleep(0.05)
    built = kit_dirs(kits)  # a worker may have finished its kit meanwhile
    left_behind = hidden_dirs(kits)
    proc = _batch_proc(tmp_path / "orders", kits, 0.05, batch_tmp)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert f"{6 - len(built)} done, {len(built)} skipped, 0 failed" in out
    assert kit_dirs(kits) == ids and hidden_dirs(kits) == []
    assert all(verify_manifest(kits / i) == [] for i in ids)
    if left_behind:
        log = (kits / "batch.log").read_text()
        assert f"removed stale temporary folders: {', '.join(left_behind)}" in log


def test_kill_9_with_worker_processes_leaves_no_orphans(tmp_path, batch_tmp):
    ids = many_orders(tmp_path / "orders", 4)
    kits = tmp_path / "KITS"
    proc = _batch_proc(tmp_path / "orders", kits, 1.5, batch_tmp, workers=2)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (kits.is_dir() and len(hidden_dirs(kits)) == 2):
        time.sleep(0.02)
    builders = [int(name.rpartition("@")[0].rpartition("-")[2]) for name in hidden_dirs(kits)]
    assert len(builders) == 2 and proc.pid not in builders  # two worker processes were building
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    from kitcut.kits.kit import pid_alive

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(pid_alive(b) for b in builders):
        time.sleep(0.05)
    assert not any(pid_alive(b) for b in builders), "orphaned workers kept running"
    assert kit_dirs(kits) == []
    proc = _batch_proc(tmp_path / "orders", kits, 0.05, batch_tmp, workers=2)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert kit_dirs(kits) == ids and hidden_dirs(kits) == []
    assert all(verify_manifest(kits / i) == [] for i in ids)


def test_two_batches_on_one_folder(tmp_path, batch_tmp):
    ids = many_orders(tmp_path / "orders", 6)
    kits = tmp_path / "KITS"
    procs = [_batch_proc(tmp_path / "orders", kits, 0.15, batch_tmp) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    done = 0
    for out, _ in outs:
        line = next(x for x in out.splitlines() if x.startswith("orders: "))
        done += int(line.split()[1])
    assert done == 6  # every kit built exactly once
    assert kit_dirs(kits) == ids and hidden_dirs(kits) == []
    assert all(verify_manifest(kits / i) == [] for i in ids)


def test_claimed_order_is_busy_for_kit_and_batch(orders, tmp_path, capsys):
    from kitcut.kits.batch import Claims

    kits = tmp_path / "KITS"
    kits.mkdir()
    holder = Claims(kits)  # another batch is building A-1001
    assert holder.claim(["A-1001"])
    try:
        code, _, err = nest_cli(["kit", str(orders / "A-1001.toml"), "-o", str(kits), "--formats", "svg",
                                 "--nester", FAKE_NESTER, "--reader", FAKE_READER], capsys)
        assert code == 2 and "order A-1001 is being built by another process" in err
        s = run_batch(orders, kits, BatchOptions(kit=OPTS))
        status = {o.order: o.status for o in s.outcomes if o.order in ("A-1001", "A-1002")}
        assert status == {"A-1001": "busy", "A-1002": "done"}
    finally:
        holder.release(["A-1001"])
    assert kit_dirs(kits) == ["A-1002"]
    code, _, err = nest_cli(["kit", str(orders / "A-1001.toml"), "-o", str(kits), "--formats", "nope"],
                            capsys)
    assert code == 2 and "--formats: unknown format 'nope'" in err


def test_an_order_another_batch_finishes_meanwhile_is_reported_with_its_kit(orders, tmp_path):
    """Two batches on one folder: an order the other batch held when this one came to it, and
    finished before this one ended, is reported as skipped with its kit (the morning page and the
    report showed it busy, with no figures, though its kit was complete on disk)."""
    from kitcut.kits.batch import Claims
    from kitcut.kits.kit import build_kit

    kits = tmp_path / "KITS"
    kits.mkdir()
    holder = Claims(kits)  # the other batch is building A-1001
    assert holder.claim(["A-1001"])

    def other_batch_finishes(job):
        if "A-1001" in holder.held:
            holder.release(["A-1001"])
            build_kit(orders / "A-1001.toml", kits, OPTS)

    s = run_batch(orders, kits, BatchOptions(kit=OPTS), on_begin=other_batch_finishes)
    a = next(o for o in s.outcomes if o.order == "A-1001")
    assert (a.status, a.kit) == ("skipped", "A-1001")
    assert a.message.startswith("built by another batch meanwhile")
    report = json.loads((kits / "batch-report.json").read_text())
    assert report["orders"]["A-1001.toml"]["status"] == "skipped"
    assert "claimed by another batch" not in (kits / "index.html").read_text()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_crashing_order_fails_alone(orders, tmp_path, workers):
    for f in orders.glob("B-*.toml"):
        f.unlink()
    text = (orders / "A-1001.toml").read_text().replace('id = "A-1001"', 'id = "CRASH-1"')
    (orders / "CRASH-1.toml").write_text(text)
    kits = tmp_path / "KITS"
    opts = KitOptions(time_limit=1, nester=CRASHING_NESTER, reader=FAKE_READER, formats=("svg",))
    s = run_batch(orders, kits, BatchOptions(workers=workers, kit=opts))
    status = {o.order: o.status for o in s.outcomes}
    assert status == {"A-1001": "done", "A-1002": "done", "CRASH-1": "failed"}
    crash = next(o for o in s.outcomes if o.order == "CRASH-1")
    assert "the worker process building it died" in crash.message and s.exit_code == 2
    assert kit_dirs(kits) == ["A-1001", "A-1002"] and hidden_dirs(kits) == []


def test_batch_log_and_report_count_the_import_remarks(tmp_path):
    """The morning's log says which kits were built on assumptions (a quantity assumed...), and
    the batch report counts them: the details are in each kit's report."""
    import ezdxf

    from kitcut.kits.batch import BatchOptions, run_batch
    from kitcut.kits.kit import KitOptions

    orders = tmp_path / "orders"
    orders.mkdir()
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    doc.modelspace().add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    doc.saveas(orders / "pocket.dxf")
    (orders / "R-1.toml").write_text('[order]\nid = "R-1"\ncustomer = "c"\n[[garments]]\n'
                                     'pattern = "pocket.dxf"\ncount = 1\n[[fabrics]]\n'
                                     'name = "jersey"\nwidth_mm = 1500\n')
    kits = tmp_path / "KITS"
    run_batch(orders, kits, BatchOptions(isolate=False, kit=KitOptions(time_limit=1, formats=())))
    log = (kits / "batch.log").read_text()
    assert "R-1.toml (R-1): done: kit R-1" in log and "; 1 import remark(s): see kit.pdf" in log
    report = json.loads((kits / "batch-report.json").read_text())
    assert report["orders"]["R-1.toml"]["remarks"] == 1
    assert "1 import remark(s): see kit.pdf" in (kits / "index.html").read_text()  # the morning's page


def test_a_batchs_kitcut_notes_are_notes_not_python_warnings(tmp_path):
    """Probe 25: a kit whose PDFs transliterate Hebrew names made ``nest kit`` say ``nest: note:
    ...``, but ``nest batch`` let Python print its raw ``.../pdf.py:104: UserWarning: Note: ...``
    with a line of kitcut's source (in an overnight log, a crash to the eye), and ``batch.log``
    had none of it. The note is the order's, on its outcome line and in the log."""
    orders = tmp_path / "orders"
    orders.mkdir()
    pieces = [{"name": name, "size": "M", "outline": [[0, 0], [400, 0], [400, 300], [0, 300]]}
              for name in ("חזית", "גב")]
    (orders / "p.dxf").write_text(json.dumps({"style": "p", "pieces": pieces}), encoding="utf-8")
    (orders / "R-1.toml").write_text('[order]\nid = "R-1"\ncustomer = "x"\n[[garments]]\npattern = "p.dxf"\n'
                                     'sizes = ["M"]\n[[fabrics]]\nname = "jersey"\nwidth_mm = 1500\n',
                                     encoding="utf-8")
    kits = tmp_path / "kits"
    env = {**os.environ, "PYTHONPATH": str(TESTS) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    cmd = [sys.executable, "-m", "kitcut", "batch", str(orders), "-o", str(kits), "--time", "1",
           "--workers", "1", "--formats", "pdf", "--nester", FAKE_NESTER, "--reader", FAKE_READER]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr
    assert "UserWarning" not in r.stderr and ".py:" not in r.stderr
    note = "kitcut's PDFs do not draw right-to-left text"
    lines = r.stderr.splitlines()
    assert any(line.startswith("nest: note: R-1.toml (R-1): ") and note in line for line in lines)
    assert note in (kits / "batch.log").read_text(encoding="utf-8")
