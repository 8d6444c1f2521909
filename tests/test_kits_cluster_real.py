"""``nest batch --scheduler`` on real ``dask scheduler`` and ``dask worker`` processes.

The workers run in working folders of their own, as on a real cluster: relative paths typed by
the user must still reach them; a worker that sees another kits folder (or none) at the batch's
path, or cannot see a pattern file, fails the orders with one line naming the worker and the
path.

A worker with another view of the file system is started in a mount namespace of its own
(``unshare``) where tmpfs mounts hide folders of the test; where namespaces are not allowed,
the batch is given paths under ``/proc/self/cwd``, which the kernel resolves in each process's
own working folder, so the worker again sees other folders than the batch at the same path.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="needs Dask distributed: pip install 'kitcut[cluster]'")

from dask_procs import DaskProcesses, worker_env  # noqa: E402
from test_kits_fakes import FAKE_NESTER, FAKE_READER, write_fake_tee  # noqa: E402

from kitcut.kits.batch import BatchOptions, run_batch  # noqa: E402
from kitcut.kits.kit import KitOptions  # noqa: E402
from kitcut.kits.manifest import verify_manifest  # noqa: E402

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
