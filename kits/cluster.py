"""Running batch jobs on a Dask distributed cluster (``nest batch --scheduler ADDRESS``).

Dask is an optional extra (``pip install 'kitcut[cluster]'``), imported only here and only
when a scheduler is given. Each order (or combined group) is one task running
:func:`kitcut.kits.batch.run_order_job` on a worker; the batch process keeps the claims, the
log and the report. Workers write the kits straight into the kits folder, so it must be on a
disk every worker sees at the same path (the same machine, or a shared file system), and so
must the order and pattern files. Workers need kitcut installed (the same version).

The batch sends absolute paths only, and checks what the workers see
(:mod:`kitcut.kits.worker_view`): every worker before the first order, each job on its worker.

A worker that dies while building a kit (killed, out of memory, a crash) loses its task; the
scheduler runs it again on another worker, up to its ``distributed.scheduler.allowed-failures``
setting (3 by default), then gives the task up with ``KilledWorker``: that order fails. The
scheduler also runs a task again when the worker holding its result dies before the batch has
fetched it: that run finds the kit complete and reports it built (:func:`cluster_job`), so a
kit is never built twice. Tasks are never retried for an exception (``retries=0``): a job
reports its own errors as a result, so an exception means a worker that cannot run kitcut.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import json
import os
import socket
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from kitcut.errors import InputError, KitcutError
from kitcut.kits.order import load_order
from kitcut.kits.worker_view import check_worker, clean_worker_host, job_problem, write_probe

__all__ = ["DaskExecutor", "import_distributed", "cluster_job"]


def import_distributed():
    """The ``distributed`` module, or a clear error saying how to install it."""
    try:
        import distributed
    except ImportError as exc:
        raise InputError(
            "--scheduler needs Dask distributed, which is not installed: "
            "pip install 'kitcut[cluster]' (or: pip install 'dask[distributed]')"
        ) from exc
    return distributed


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())


def _built_before(root: str, result: dict) -> dict:
    """The result of a task that found its kit complete: an earlier run of the same task built it.

    The batch sends only kits that are not complete, and holds their claims, so nothing else
    built it: the worker of the earlier run died before the batch had its result.
    """
    try:
        report = json.loads((Path(root) / result["kit"] / "kit.json").read_text(encoding="utf-8"))
        totals = report["totals"]
        done = {"status": "done", "metres": float(totals["metres"]),
                "efficiency": float(totals["efficiency"]), "pieces": int(totals["pieces"]),
                "saved_metres": (report.get("combined") or {}).get("saved_metres"), "builder": None}
    except (OSError, ValueError, KeyError, TypeError):
        return {**result, "message": "kit already complete"}
    return {**result, **done, "message": "built by an earlier run of this task, whose Dask worker was lost "
            "before it returned (this run found the kit complete)"}


def cluster_job(job: Callable, files, root: str, options, probe: str, paths: list[tuple[str, str]]) -> dict:
    """The task run on a worker: ``job(files, root, options)`` if the worker sees the kits folder
    (``probe`` in it) and ``paths``; else a failed result naming the worker and the path."""
    problem = job_problem(root, probe, paths)
    if problem is not None:
        return {"status": "failed", "message": problem, "builder": f"{socket.gethostname()}:{os.getpid()}"}
    result = job(files, root, options)
    return _built_before(root, result) if result.get("status") == "skipped" else result


class DaskExecutor:
    """A small submit/wait interface over a ``distributed.Client`` connected to ``address``.

    ``root`` is the batch's kits folder, an absolute path; the executor writes the batch's
    probe file into it (removed by :meth:`shutdown`).
    """

    def __init__(self, address: str, root: Path, *, timeout: float = 20.0):
        distributed = import_distributed()
        self._distributed = distributed
        self.root = str(root)
        try:
            self.client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        try:
            self.probe = write_probe(root)
        except BaseException:
            self.client.close()
            raise

    def worker_count(self) -> int:
        try:
            return max(1, len(self.client.scheduler_info().get("workers", {})))
        except Exception:  # the count only sizes the queue
            return 1

    def check_workers(self) -> str | None:
        """The first problem of a worker with the kits folder (one line), or ``None``.

        Every connected worker must see the batch's kits folder at its path and write into
        it; a worker that cannot even run the check (no kitcut there) is named too.
        """
        try:
            results = self.client.run(check_worker, self.root, self.probe.name, on_error="return")
        except Exception as exc:  # the scheduler went away, a comm broke
            return f"cannot ask the Dask workers what they see: {type(exc).__name__}: {exc}"
        problems = []
        for address, r in sorted(results.items()):
            if isinstance(r, BaseException):
                problems.append(f"worker {address} cannot run kitcut: {_one_line(r)} "
                                "(every worker needs the same kitcut installed)")
            elif r:
                problems.append(str(r))
        if not problems:
            return None
        more = len(problems) - 1
        return problems[0] + (f" (and {more} other worker{'s' if more > 1 else ''})" if more else "")

    def clean_workers(self) -> list[str]:
        """Temporary kit folders of dead processes removed by the workers, each on its own host."""
        try:
            results = self.client.run(clean_worker_host, self.root, self.probe.name, on_error="return")
        except Exception:  # tidying only: the next batch tries again
            return []
        return sorted({name for r in results.values() if isinstance(r, list) for name in r})

    @staticmethod
    def _paths(files: list[str], allow_outside: bool) -> list[tuple[str, str]]:
        """The order files and their patterns, as the batch process sees them."""
        paths = []
        for f in files:
            paths.append(("order file", f))
            with contextlib.suppress(KitcutError):  # a bad order fails on the worker with its message
                for g in load_order(f, allow_outside=allow_outside).garments:
                    paths.append(("pattern file", str(g.pattern)))
                    if g.rules is not None:
                        paths.append(("grade rule file", str(g.rules)))
        return paths

    def submit(self, fn, files, root: str, options):
        """Run ``fn(files, root, options)`` on a worker (:func:`cluster_job`); ``files`` is one
        order file or a list of them (a combined group)."""
        listed = [files] if isinstance(files, str) else list(files)
        key = f"kitcut-{Path(listed[0]).stem}-{uuid.uuid4().hex[:12]}"
        return self.client.submit(cluster_job, fn, files, root, options, self.probe.name,
                                  self._paths(listed, options.allow_outside), key=key, pure=False, retries=0)

    @staticmethod
    def wait_first(futures, poll_s: float = 0.05):
        """The finished futures, once at least one is (``distributed.wait`` needs a default client)."""
        while True:
            done = [f for f in futures if f.done()]
            if done:
                return done
            time.sleep(poll_s)

    def failure(self, exc: BaseException) -> str:
        """One line saying why a job's task failed (the job itself never raises)."""
        if isinstance(exc, self._distributed.KilledWorker):
            n = exc.allowed_failures
            last = getattr(exc.last_worker, "address", exc.last_worker)
            times = "once" if n == 0 else f"{n + 1} times"
            return (f"the Dask workers building it died {times} (killed, out of memory, or a crash, "
                    f"e.g. in the nesting core); the scheduler gave it up after {n} "
                    f"{'retry' if n == 1 else 'retries'} (distributed.scheduler.allowed-failures); "
                    f"the last worker was {last}")
        if isinstance(exc, cf.CancelledError):
            return "the Dask scheduler cancelled it (was the scheduler restarted or lost?)"
        return f"worker failed: {_one_line(exc)}"

    def shutdown(self) -> None:
        try:
            self.client.close()
        finally:
            with contextlib.suppress(OSError):
                self.probe.unlink()
