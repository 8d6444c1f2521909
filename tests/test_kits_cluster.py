"""Batches on a Dask distributed cluster: a LocalCluster of two worker processes on loopback."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_kits_fakes import FAKE_NESTER, FAKE_READER, write_fake_tee

from kitcut.errors import InputError
from kitcut.kits.batch import BatchOptions, run_batch
from kitcut.kits.kit import KitOptions
from kitcut.kits.manifest import verify_manifest

TESTS = Path(__file__).parent
ORDERS = TESTS / "data" / "orders"


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(TESTS) + (os.pathsep + old if old else "")  # workers import the fakes
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None) as c:
            yield c
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old


def test_batch_on_a_local_cluster(cluster, tmp_path):
    orders = tmp_path / "orders"
    orders.mkdir()
    for f in ORDERS.glob("*.toml"):
        shutil.copy(f, orders)
    write_fake_tee(orders / "tee.dxf")
    kits = tmp_path / "KITS"
    opts = KitOptions(time_limit=1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg",))
    s = run_batch(orders, kits, BatchOptions(scheduler=cluster.scheduler_address, kit=opts))
    status = {o.file: o.status for o in s.outcomes}
    assert status == {"A-1001.toml": "done", "A-1002.toml": "done", "B-2001-missing-pattern.toml": "failed",
                      "B-2002-unknown-size.toml": "failed", "B-2003-bad-values.toml": "failed"}
    assert s.exit_code == 2
    unknown = next(o for o in s.outcomes if o.file == "B-2002-unknown-size.toml")
    assert "has no size 'XXL'" in unknown.message  # found on a worker, reported by the batch
    assert verify_manifest(kits / "A-1001") == [] and verify_manifest(kits / "A-1002") == []
    # the kits were built by the cluster's worker processes, not by this one
    import distributed

    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        worker_pids = {str(pid) for pid in client.run(os.getpid).values()}
    builders = {o.builder.rpartition(":")[2] for o in s.outcomes if o.status == "done"}
    assert len(worker_pids) == 2 and str(os.getpid()) not in worker_pids
    assert builders and builders <= worker_pids
    log = (kits / "batch.log").read_text()
    assert all(f"built by {o.builder}" in log for o in s.outcomes if o.status == "done")
    again = run_batch(orders, kits, BatchOptions(scheduler=cluster.scheduler_address, kit=opts))
    assert again.count("skipped") == 2 and again.count("done") == 0


def test_unreachable_scheduler_is_a_clear_error():
    pytest.importorskip("distributed")
    from kitcut.kits.cluster import DaskExecutor

    with pytest.raises(InputError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        DaskExecutor("tcp://127.0.0.1:9", timeout=1)


def test_missing_dask_is_a_clear_error(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    orders = tmp_path / "orders"
    orders.mkdir()
    shutil.copy(ORDERS / "A-1001.toml", orders)
    write_fake_tee(orders / "tee.dxf")
    opts = KitOptions(nester=FAKE_NESTER, reader=FAKE_READER)
    with pytest.raises(InputError, match=r"pip install 'kitcut\[cluster\]'"):
        run_batch(orders, tmp_path / "KITS", BatchOptions(scheduler="tcp://127.0.0.1:9", kit=opts))


# --- what a worker must see, checked without a cluster ------------------------------------------


def test_relative_paths_are_made_absolute_for_the_workers(tmp_path, monkeypatch):
    from kitcut.kits.worker_view import absolute

    real = tmp_path.resolve() / "real"
    (real / "sub").mkdir(parents=True)
    os.symlink(real, tmp_path / "link")
    monkeypatch.chdir(tmp_path / "link" / "sub")  # the working folder, as the kernel has it: real/sub
    assert absolute("KITS") == real / "sub" / "KITS"
    assert absolute("../orders") == real / "orders"
    assert absolute("/proc/self/cwd/KITS") == Path("/proc/self/cwd/KITS")  # absolute: kept as typed
