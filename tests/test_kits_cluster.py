"""Batches on a Dask distributed cluster: a LocalCluster of two worker processes on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
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


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    pytest.importorskip("distributed")
    from kitcut.kits.cluster import DaskExecutor

    with pytest.raises(InputError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        DaskExecutor("tcp://127.0.0.1:9", tmp_path, timeout=1)


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


def test_the_kits_folder_a_worker_must_see(tmp_path, monkeypatch):
    from kitcut.kits import worker_view
    from kitcut.kits.worker_view import SAME_PATH, kits_problem, write_probe

    kits = tmp_path / "KITS"
    probe = write_probe(kits).name
    assert kits_problem(str(kits), probe, write_test=True) is None
    assert [p.name for p in kits.iterdir()] == [".locks"]  # the write test left nothing
    assert kits_problem(str(tmp_path / "nope"), probe) == (
        f"cannot see the kits folder {tmp_path / 'nope'}: No such file or directory {SAME_PATH}")
    other = tmp_path / "other"
    (other / ".locks").mkdir(parents=True)  # a kits folder, but not this batch's
    assert kits_problem(str(other), probe) == (
        f"cannot see the kits folder {other}: the folder at that path is another one "
        f"(it lacks the batch's .locks/{probe}) {SAME_PATH}")
    (tmp_path / "file").write_text("")
    assert "it is not a folder" in kits_problem(str(tmp_path / "file"), probe)

    def read_only(**_kw):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(worker_view.tempfile, "mkstemp", read_only)
    assert kits_problem(str(kits), probe, write_test=True) == (
        f"cannot write into the kits folder {kits}: Read-only file system "
        "(every worker must be able to write into it)")


def test_a_job_on_a_worker_that_cannot_see_a_pattern_builds_nothing(orders, tmp_path):
    from kitcut.kits.batch import run_order_job
    from kitcut.kits.cluster import cluster_job
    from kitcut.kits.worker_view import write_probe

    kits = tmp_path / "KITS"
    probe = write_probe(kits).name
    order = str(orders / "A-1001.toml")
    gone = str(orders / "gone" / "tee.dxf")
    opts = KitOptions(time_limit=0.1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg",))
    paths = [("order file", order), ("pattern file", gone)]
    r = cluster_job(run_order_job, order, str(kits), opts, probe, paths)
    assert r["status"] == "failed"
    assert r["message"] == (f"worker pid {os.getpid()} (host {socket.gethostname()}) cannot see the pattern "
                            f"file {gone}: No such file or directory (every worker must see it at the "
                            "same path)")
    assert sorted(p.name for p in kits.iterdir()) == [".locks"]


def test_a_job_run_again_finds_its_kit_complete(orders, tmp_path):
    """What the scheduler does when a worker holding a job's result dies: the job runs again."""
    from kitcut.kits.batch import run_order_job
    from kitcut.kits.cluster import cluster_job
    from kitcut.kits.worker_view import write_probe

    kits = tmp_path / "KITS"
    probe = write_probe(kits).name
    order = str(orders / "A-1001.toml")
    paths = [("order file", order), ("pattern file", str(orders / "tee.dxf"))]
    opts = KitOptions(time_limit=0.1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg",))
    first = cluster_job(run_order_job, order, str(kits), opts, probe, paths)
    assert first["status"] == "done" and first["builder"] and first["metres"] > 0
    manifest = (kits / "A-1001" / "manifest.json").read_bytes()
    again = cluster_job(run_order_job, order, str(kits), opts, probe, paths)
    assert again["status"] == "done" and again["builder"] is None
    assert (again["metres"], again["efficiency"], again["pieces"]) == (
        first["metres"], first["efficiency"], first["pieces"])
    assert again["message"].startswith("built by an earlier run of this task")
    assert (kits / "A-1001" / "manifest.json").read_bytes() == manifest  # not built a second time
    assert verify_manifest(kits / "A-1001") == []
    assert sorted(p.name for p in kits.iterdir()) == [".locks", "A-1001"]


def test_probe_files_of_dead_batches_are_removed(tmp_path):
    from kitcut.kits.kit import _HOST
    from kitcut.kits.worker_view import write_probe

    dead = subprocess.Popen(["true"])
    dead.wait()
    locks = tmp_path / "KITS" / ".locks"
    locks.mkdir(parents=True)
    stale = locks / f"probe-00aa-{dead.pid}@{_HOST}"
    alive = locks / f"probe-00bb-{os.getpid()}@{_HOST}"
    elsewhere = locks / f"probe-00cc-{dead.pid}@another-host"
    for f in (stale, alive, elsewhere):
        f.write_text("")
    mine = write_probe(tmp_path / "KITS")
    assert mine.name.endswith(f"-{os.getpid()}@{_HOST}")
    assert sorted(p.name for p in locks.iterdir()) == sorted([alive.name, elsewhere.name, mine.name])
