"""Running batch jobs on a Dask distributed cluster (``nest batch --scheduler ADDRESS``).

Dask is an optional extra (``pip install 'kitcut[cluster]'``), imported only here and only
when a scheduler is given. Each order (or combined group) is one task running
:func:`kitcut.kits.batch.run_order_job` on a worker; the batch process keeps the claims, the
log and the report. Workers write the kits straight into the kits folder, so it must be on a
disk every worker sees at the same path (the same machine, or a shared file system). Workers
need kitcut installed (the same version).
"""

from __future__ import annotations

import time

from kitcut.errors import InputError

__all__ = ["DaskExecutor", "import_distributed"]


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


class DaskExecutor:
    """A small submit/wait interface over a ``distributed.Client`` connected to ``address``."""

    def __init__(self, address: str, *, timeout: float = 20.0):
        distributed = import_distributed()
        self._distributed = distributed
        try:
            self.client = distributed.Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc

    def worker_count(self) -> int:
        try:
            return max(1, len(self.client.scheduler_info().get("workers", {})))
        except Exception:  # the count only sizes the queue
            return 1

    def submit(self, fn, *args):
        return self.client.submit(fn, *args, pure=False)

    @staticmethod
    def wait_first(futures, poll_s: float = 0.05):
        """The finished futures, once at least one is (``distributed.wait`` needs a default client)."""
        while True:
            done = [f for f in futures if f.done()]
            if done:
                return done
            time.sleep(poll_s)

    def shutdown(self) -> None:
        self.client.close()
