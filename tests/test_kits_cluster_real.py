"""``nest batch --scheduler`` on real ``dask scheduler`` and ``dask worker`` processes.

The workers run in working folders of their own, as on a real cluster: relative paths typed by
the user must still reach them.
"""

from __future__ import annotations

import json
import os
import shutil
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
