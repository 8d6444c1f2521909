"""Where the jobs of a local batch run: in this process, or in a pool of worker processes.

Both executors (and :class:`kitcut.kits.cluster.DaskExecutor` for a cluster) offer the same
small interface to :func:`kitcut.kits.batch.run_batch`: ``submit(fn, *args)`` returns a future,
``wait_first(futures)`` the finished ones, ``failure(exc)`` a one-line reason for a job that
raised, ``shutdown()``. Pool workers watch the batch process and end when it is gone.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import time
from concurrent.futures.process import BrokenProcessPool

__all__ = ["SerialExecutor", "PoolExecutor"]


class SerialExecutor:
    """Runs each job at once in this process (one worker); same interface as the pool."""

    def submit(self, fn, *args):
        f: cf.Future = cf.Future()
        try:
            f.set_result(fn(*args))
        except BaseException as exc:  # noqa: B036 - handed to the caller through the future
            f.set_exception(exc)
        return f

    @staticmethod
    def wait_first(futures):
        return list(futures)

    @staticmethod
    def failure(exc: BaseException) -> str:
        return f"worker failed: {type(exc).__name__}: {exc}"

    def shutdown(self):
        pass


def _watch_parent(parent: int, poll_s: float = 0.5) -> None:
    """Pool worker initializer: end this worker when the batch process is gone (``kill -9``).

    Orphaned pool workers would otherwise wait for work forever; one killed in the middle of a
    kit leaves a temporary folder that the next batch removes.
    """
    import threading

    from kitcut.kits.staging import pid_alive

    def watch():
        while pid_alive(parent):
            time.sleep(poll_s)
        os._exit(1)

    threading.Thread(target=watch, name="kitcut-parent-watch", daemon=True).start()


class PoolExecutor:
    """Worker processes (forkserver: they inherit no open claim); a broken pool is replaced."""

    def __init__(self, workers: int):
        self.workers = workers
        self.pool = self._new()

    def _new(self) -> cf.ProcessPoolExecutor:
        ctx = multiprocessing.get_context("forkserver")
        return cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx, initializer=_watch_parent,
                                      initargs=(os.getpid(),))

    def submit(self, fn, *args):
        try:
            return self.pool.submit(fn, *args)
        except BrokenProcessPool:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._new()
            return self.pool.submit(fn, *args)

    @staticmethod
    def wait_first(futures):
        done, _ = cf.wait(list(futures), return_when=cf.FIRST_COMPLETED)
        return list(done)

    failure = SerialExecutor.failure

    def shutdown(self):
        self.pool.shutdown(wait=True, cancel_futures=True)
