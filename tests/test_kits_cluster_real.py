"""``nest batch --scheduler`` on real ``dask scheduler`` and ``dask worker`` processes.

The workers run in working folders of their own, as on a real cluster: relative paths typed by
the user must still reach them; a worker that sees another kits folder (or none) at the batch's
path, or cannot see a pattern file, fails the orders with one line naming the worker and the
path; a worker killed in the middle of an order has the order built again elsewhere, once.

A worker with another view of the file system is started in a mount namespace of its own
(``unshare``) where tmpfs mounts hide folders of the test; where namespaces are not allowed,
the batch is given paths under ``/proc/self/cwd``, which the kernel resolves in each process's
own working folder, so the worker again sees other folders than the batch at the same path.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="needs Dask distributed: pip install 'kitcut[cluster]'")

from dask_procs import DaskProcesses, task_states, worker_env  # noqa: E402
from test_kits_fakes import (  # noqa: E402
    ANNOUNCING_NESTER,
    CRASHING_NESTER,
    FAKE_NESTER,
    FAKE_READER,
    write_fake_tee,
)

from kitcut.kits.batch import BatchOptions, run_batch  # noqa: E402
from kitcut.kits.kit import KitOptions  # noqa: E402
from kitcut.kits.manifest import is_complete, verify_manifest  # noqa: E402

TESTS = Path(__file__).resolve().parent
ORDERS = TESTS / "data" / "orders"
SAME_PATH = "(every worker must see it at the same path)"


def kit_dirs(kits: Path) -> list[str]:
    return sorted(p.name for p in kits.iterdir() if p.is_dir() and not p.name.startswith("."))


def hidden_dirs(kits: Path) -> list[str]:
    return sorted(p.name for p in kits.iterdir()
                  if p.is_dir() and p.name.startswith(".") and p.name != ".locks")


def write_orders(folder: Path, ids: list[str], pattern: str = "tee.dxf") -> None:
    """One-tee orders with these ids (two fabrics each) and the fake tee pattern they name."""
    folder.mkdir(parents=True)
    (folder / pattern).parent.mkdir(exist_ok=True)
    write_fake_tee(folder / pattern)
    text = (ORDERS / "A-1001.toml").read_text().replace('"tee.dxf"', f'"{pattern}"')
    for oid in ids:
        (folder / f"{oid}.toml").write_text(text.replace('id = "A-1001"', f'id = "{oid}"'))


def nest_batch(cwd: Path, scheduler: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """``nest batch ...`` as a user types it, run in ``cwd``."""
    cmd = [sys.executable, "-m", "kitcut", "batch", *args, "--scheduler", scheduler, "--formats", "svg",
           "--reader", FAKE_READER]
    return subprocess.run(cmd, cwd=cwd, env=worker_env(), capture_output=True, text=True, timeout=timeout)


def report_of(kits: Path) -> dict:
    return json.loads((kits / "batch-report.json").read_text())["orders"]


# --- a cluster of two workers -----------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two workers (each a nanny and one worker process with one thread).

    The scheduler gives a task up after its workers died twice (allowed-failures 1, default 3)
    to keep the test of an order that kills every worker short. The workers' fake nester
    announces each start in ``started/``.
    """
    procs = DaskProcesses(tmp_path_factory.mktemp("dask"))
    started = procs.folder / "started"
    started.mkdir()
    client = None
    try:
        procs.start_scheduler(env=worker_env(DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="1"))
        for name in ("a", "b"):
            procs.start_worker(name, env=worker_env(KITCUT_FAKE_STARTED=str(started)))
        client = procs.client()
        procs.wait_for_workers(client, 2)
        yield procs, client, started
    finally:
        if client is not None:
            client.close()
        procs.close()


def test_relative_paths_as_users_type_them(cluster, tmp_path, monkeypatch):
    procs, client, _ = cluster
    procs.wait_for_workers(client, 2)
    site = tmp_path / "site"
    orders = site / "orders"
    orders.mkdir(parents=True)
    for f in ORDERS.glob("*.toml"):
        shutil.copy(f, orders)
    write_fake_tee(orders / "tee.dxf")
    r = nest_batch(site, procs.address, "orders", "-o", "KITS", "--time", "0.1", "--nester", FAKE_NESTER)
    assert r.returncode == 2, r.stderr  # the bad orders of the set fail, with their own messages
    assert "orders: 2 done, 0 skipped, 3 failed" in r.stdout
    assert "no such order file" not in r.stderr and "Traceback" not in r.stderr
    assert "B-2002-unknown-size.toml: garments[0].sizes.XXL: tee.dxf has no size 'XXL'" in r.stderr
    kits = site / "KITS"
    assert kit_dirs(kits) == ["A-1001", "A-1002"] and hidden_dirs(kits) == []
    assert verify_manifest(kits / "A-1001") == [] and verify_manifest(kits / "A-1002") == []
    worker_pids = {str(p) for p in client.run(os.getpid).values()}
    builders = {o["builder"].rpartition(":")[2] for o in report_of(kits).values() if o["status"] == "done"}
    assert builders and builders <= worker_pids  # built on the workers, into the batch's KITS
    for name in ("a", "b"):  # nothing landed in a worker's own working folder
        assert list((procs.folder / f"{name}-cwd").iterdir()) == []
    # the library call, from the same working folder, with combined kits (a list of files per job)
    monkeypatch.chdir(site)
    opts = KitOptions(time_limit=0.1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg",))
    for f in orders.glob("B-*.toml"):
        f.unlink()
    s = run_batch("orders", "KITS2", BatchOptions(scheduler=procs.address, kit=opts, combine=True))
    assert s.count("done") == 2 and s.exit_code == 0
    combined = kit_dirs(site / "KITS2")
    assert len(combined) == 1 and combined[0].startswith("combined-")
    assert verify_manifest(site / "KITS2" / combined[0]) == []


def test_a_worker_killed_mid_order(cluster, tmp_path):
    procs, client, started = cluster
    pids = procs.wait_for_workers(client, 2)
    for f in started.iterdir():
        f.unlink()
    site = tmp_path / "site"
    ids = ["K-1", "K-2", "K-3"]
    write_orders(site / "orders", ids)
    kits = site / "KITS"
    cmd = [sys.executable, "-m", "kitcut", "batch", "orders", "-o", "KITS", "--scheduler", procs.address,
           "--time", "0.8", "--formats", "svg", "--nester", ANNOUNCING_NESTER, "--reader", FAKE_READER]
    batch = subprocess.Popen(cmd, cwd=site, env=worker_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        deadline = time.monotonic() + 60
        while not list(started.iterdir()):  # a worker has begun to nest an order
            assert batch.poll() is None and time.monotonic() < deadline, batch.communicate()
            time.sleep(0.02)
        first = next(started.iterdir()).name  # "<kit> <fabric> <pid>.started"
        kit, fabric, pid = first.removesuffix(".started").split(" ")
        pid_n = int(pid)
        assert pid_n in pids.values()  # a Dask worker process, not the batch
        temp = [p.name for p in kits.iterdir() if p.name.startswith(f".{kit}.tmp-{pid}@")]
        assert len(temp) == 1  # the kit it was building, half done
        os.kill(pid_n, signal.SIGKILL)
        out, err = batch.communicate(timeout=120)
    finally:
        if batch.poll() is None:
            batch.kill()
            batch.wait()
    assert batch.returncode == 0, err
    assert "orders: 3 done, 0 skipped, 0 failed" in out
    # the kit appears once and complete; the dead worker's temporary folder is gone
    assert kit_dirs(kits) == ids and hidden_dirs(kits) == []
    assert all(verify_manifest(kits / i) == [] for i in ids)
    log = (kits / "batch.log").read_text()
    assert f"removed temporary folders of crashed workers: {temp[0]}" in log
    # it was built again by another worker process; every other nesting ran exactly once
    report = report_of(kits)
    assert sorted(report) == [f"{i}.toml" for i in ids]
    assert {r["status"] for r in report.values()} == {"done"}
    assert report[f"{kit}.toml"]["builder"].rpartition(":")[2] != pid
    starts: dict[tuple[str, str], list[str]] = {}
    for f in started.iterdir():
        k, fab, p = f.name.removesuffix(".started").split(" ")
        starts.setdefault((k, fab), []).append(p)
    assert len(starts[(kit, fabric)]) == 2 and pid in starts[(kit, fabric)]
    assert all(len(v) == 1 for key, v in starts.items() if key != (kit, fabric)), starts
    assert sorted(starts) == sorted((i, f) for i in ids for f in ("jersey", "rib"))
    for i in ids:  # one outcome per order in the log
        assert log.count(f"{i}.toml ({i}): done") == 1


def test_a_worker_lost_after_building_a_kit(cluster, tmp_path):
    """The scheduler runs a task again when the worker holding its result dies before the batch
    has fetched it: that run finds the kit complete, and the order is reported done, once."""
    procs, client, started = cluster
    pids = procs.wait_for_workers(client, 2)
    for f in started.iterdir():
        f.unlink()
    site = tmp_path / "site"
    write_orders(site / "orders", ["L-1"])
    kits = site / "KITS"
    cmd = [sys.executable, "-m", "kitcut", "batch", "orders", "-o", "KITS", "--scheduler", procs.address,
           "--time", "0.3", "--formats", "svg", "--nester", ANNOUNCING_NESTER, "--reader", FAKE_READER]
    batch = subprocess.Popen(cmd, cwd=site, env=worker_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        deadline = time.monotonic() + 60
        while not list(started.iterdir()):
            assert batch.poll() is None and time.monotonic() < deadline, batch.communicate()
            time.sleep(0.02)
        os.kill(batch.pid, signal.SIGSTOP)  # the batch cannot fetch the result now
        try:
            holder = None
            while holder is None:  # the kit is published and its result waits on the worker
                assert time.monotonic() < deadline, client.run_on_scheduler(task_states)
                states = client.run_on_scheduler(task_states)
                holder = next((w[0] for k, (st, w) in states.items() if k.startswith("kitcut-L-1-")
                               and st == "memory" and w), None)
                time.sleep(0.02)
            assert is_complete(kits / "L-1")
            os.kill(pids[holder], signal.SIGKILL)
        finally:
            os.kill(batch.pid, signal.SIGCONT)
        out, err = batch.communicate(timeout=120)
    finally:
        if batch.poll() is None:
            batch.kill()
            batch.wait()
    assert batch.returncode == 0, err
    assert "orders: 1 done, 0 skipped, 0 failed" in out
    assert kit_dirs(kits) == ["L-1"] and hidden_dirs(kits) == [] and verify_manifest(kits / "L-1") == []
    order = report_of(kits)["L-1.toml"]
    totals = json.loads((kits / "L-1" / "kit.json").read_text())["totals"]
    assert order["status"] == "done" and order["metres"] == totals["metres"] > 0
    assert order["message"].startswith("built by an earlier run of this task, whose Dask worker was lost")
    assert sorted(f.name.split(" ")[1] for f in started.iterdir()) == ["jersey", "rib"]  # nested once


def test_an_order_that_kills_every_worker_fails_alone(cluster, tmp_path):
    procs, client, _ = cluster
    procs.wait_for_workers(client, 2)
    orders = tmp_path / "orders"
    write_orders(orders, ["A-1001", "CRASH-1"])
    kits = tmp_path / "KITS"
    opts = KitOptions(time_limit=0.1, nester=CRASHING_NESTER, reader=FAKE_READER, formats=("svg",))
    s = run_batch(orders, kits, BatchOptions(scheduler=procs.address, kit=opts))
    assert {o.order: o.status for o in s.outcomes} == {"A-1001": "done", "CRASH-1": "failed"}
    crash = next(o for o in s.outcomes if o.order == "CRASH-1")
    assert crash.message.startswith("the Dask workers building it died 2 times (killed, out of memory, "
                                    "or a crash"), crash.message
    assert "gave it up after 1 retry (distributed.scheduler.allowed-failures)" in crash.message
    assert "\n" not in crash.message and s.exit_code == 2
    assert kit_dirs(kits) == ["A-1001"] and hidden_dirs(kits) == []  # both dead workers' folders removed
    assert report_of(kits)["CRASH-1.toml"]["message"] == crash.message
    assert f"CRASH-1.toml (CRASH-1): failed: {crash.message}" in (kits / "batch.log").read_text()


# --- a worker that sees another file system -----------------------------------------------------


def _namespace_prefix(probe_dir: Path) -> list[str] | None:
    """``unshare`` options that give a process its own mounts (and may mount a tmpfs), if any."""
    if not shutil.which("unshare"):
        return None
    probe_dir.mkdir()
    for opts in (["-Urm"], ["-m"]):
        r = subprocess.run(["unshare", *opts, "mount", "-t", "tmpfs", "kitcut-probe", str(probe_dir)],
                           capture_output=True)
        if r.returncode == 0:
            return ["unshare", *opts]
    return None


class BlindWorker:
    """Paths under ``site`` (the batch's working folder) that the worker sees differently.

    ``missing_kits``: a kits folder the worker does not see at all; ``other_kits``: the worker
    sees another, empty folder there; ``orders``: order files the worker sees, but not the
    pattern file ``pats/tee.dxf`` they name. Paths are as the user types them; ``shown(p)``
    is the absolute path a message names.
    """

    def __init__(self, procs: DaskProcesses, site: Path):
        self.site = site
        (site / "hidden").mkdir(parents=True)
        (site / "other" / "KITS").mkdir(parents=True)
        write_orders(site / "orders", ["A-1001", "A-1002"], pattern="pats/tee.dxf")
        prefix = _namespace_prefix(procs.folder / "probe")
        if prefix is not None:  # the worker's own mounts hide three folders of the site
            self.how, self.base = "mount namespace", ""
            script = ('mount -t tmpfs hidden "$SITE/hidden" && mount -t tmpfs other "$SITE/other" && '
                      'mkdir "$SITE/other/KITS" && mount -t tmpfs pats "$SITE/orders/pats" && exec "$@"')
            procs.start_worker("blind", prefix=[*prefix, "sh", "-c", script, "sh"],
                               env=worker_env(SITE=str(site)))
        else:  # /proc/self/cwd: the site for the batch, the worker's own folder for the worker
            self.how, self.base = "/proc/self/cwd", "/proc/self/cwd/"
            wsite = procs.folder / "blind-cwd"
            (wsite / "other" / "KITS").mkdir(parents=True)
            shutil.copytree(site / "orders", wsite / "orders", ignore=shutil.ignore_patterns("pats"))
            procs.start_worker("blind")
        self.missing_kits = self.base + "hidden/KITS"
        self.other_kits = self.base + "other/KITS"
        self.orders = self.base + "orders"

    def shown(self, path: str) -> str:
        return path if path.startswith("/") else os.path.realpath(self.site / path)


@pytest.fixture(scope="module")
def blind(tmp_path_factory):
    """A scheduler with one worker whose view of the site differs from the batch's."""
    procs = DaskProcesses(tmp_path_factory.mktemp("dask-blind"))
    client = None
    try:
        procs.start_scheduler()
        worker = BlindWorker(procs, tmp_path_factory.mktemp("blind") / "site")
        client = procs.client()
        address = next(iter(procs.wait_for_workers(client, 1)))
        yield procs, client, worker, address
    finally:
        if client is not None:
            client.close()
        procs.close()


def test_a_worker_that_cannot_see_the_kits_folder(blind, monkeypatch):
    procs, client, worker, address = blind
    monkeypatch.chdir(worker.site)
    r = nest_batch(worker.site, procs.address, worker.orders, "-o", worker.missing_kits, "--time", "0.1",
                   "--nester", FAKE_NESTER)
    kits = worker.shown(worker.missing_kits)
    reason = (f"worker {address} (host {socket.gethostname()}) cannot see the kits folder {kits}: "
              f"No such file or directory {SAME_PATH}")
    assert r.returncode == 2, (worker.how, r.stderr)
    assert r.stderr.splitlines() == [f"nest: failed: A-100{i}.toml: {reason}" for i in (1, 2)], worker.how
    assert "orders: 0 done, 0 skipped, 2 failed" in r.stdout
    report = report_of(Path(kits))
    assert {f: (o["status"], o["message"]) for f, o in report.items()} == {
        "A-1001.toml": ("failed", reason), "A-1002.toml": ("failed", reason)}
    assert f"not sent to the cluster: {reason}" in (Path(kits) / "batch.log").read_text()
    assert kit_dirs(Path(kits)) == [] and hidden_dirs(Path(kits)) == []


def test_a_worker_that_sees_another_kits_folder_builds_nothing_there(blind, monkeypatch):
    procs, client, worker, address = blind
    monkeypatch.chdir(worker.site)
    opts = KitOptions(time_limit=0.1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg",))
    s = run_batch(worker.orders, worker.other_kits, BatchOptions(scheduler=procs.address, kit=opts))
    kits = worker.shown(worker.other_kits)
    assert [o.status for o in s.outcomes] == ["failed", "failed"], worker.how
    message = s.outcomes[0].message
    assert message.startswith(f"worker {address} (host {socket.gethostname()}) cannot see the kits folder "
                              f"{kits}: the folder at that path is another one (it lacks the batch's "
                              f".locks/probe-"), message
    assert message.endswith(SAME_PATH)
    assert kit_dirs(Path(kits)) == []
    assert client.run(os.listdir, kits)[address] == []  # the worker wrote nothing into its own folder
    assert not list((Path(kits) / ".locks").glob("probe-*"))  # the batch removed its probe


def test_a_worker_that_cannot_see_a_pattern_file(blind, monkeypatch):
    procs, client, worker, address = blind
    monkeypatch.chdir(worker.site)
    opts = KitOptions(time_limit=0.1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg",))
    s = run_batch(worker.orders, "KITS", BatchOptions(scheduler=procs.address, kit=opts))
    pattern = os.path.join(worker.shown(worker.orders), "pats", "tee.dxf")
    reason = (f"worker {address} (host {socket.gethostname()}) cannot see the pattern file {pattern}: "
              f"No such file or directory {SAME_PATH}")
    assert [(o.status, o.message) for o in s.outcomes] == [("failed", reason)] * 2, worker.how
    assert {o.builder.rpartition(":")[2] for o in s.outcomes} == {str(client.run(os.getpid)[address])}
    assert kit_dirs(worker.site / "KITS") == [] and hidden_dirs(worker.site / "KITS") == []
