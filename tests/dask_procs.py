"""Real ``dask scheduler`` and ``dask worker`` processes for the cluster tests.

:class:`DaskProcesses` starts them on 127.0.0.1 as child processes, each in a session of its
own (so that a worker's nanny and the worker process it spawns are one process group), and
ends every one of them in :meth:`DaskProcesses.close` (SIGKILL to each group). Workers run in
a working folder of their own, not the test's.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def dask_command() -> list[str]:
    """The ``dask`` command of this Python (the console script beside it, else ``python -m dask``)."""
    script = Path(sys.executable).with_name("dask")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dask"]


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker: it imports the fakes of ``tests/`` by name."""
    old = os.environ.get("PYTHONPATH")
    env = {**os.environ, "PYTHONPATH": str(TESTS) + (os.pathsep + old if old else "")}
    env.update(extra)
    return env


class DaskProcesses:
    """A scheduler and workers started as processes; ``close()`` ends them all."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.procs: list[subprocess.Popen] = []
        self.scheduler_file = folder / "scheduler.json"
        self.address: str | None = None

    def _start(self, cmd: list[str], cwd: Path, env: dict[str, str], log: str) -> subprocess.Popen:
        cwd.mkdir(parents=True, exist_ok=True)
        with open(self.folder / log, "ab") as out:
            p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, start_new_session=True)
        self.procs.append(p)
        return p

    def start_scheduler(self, env: dict[str, str] | None = None, timeout: float = 60.0) -> str:
        cmd = [*dask_command(), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
               "--scheduler-file", str(self.scheduler_file)]
        p = self._start(cmd, self.folder / "scheduler-cwd", env or worker_env(), "scheduler.log")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if p.poll() is not None:
                raise RuntimeError(f"dask scheduler ended ({p.returncode}): {self.log('scheduler.log')}")
            try:
                self.address = json.loads(self.scheduler_file.read_text())["address"]
                return self.address
            except (OSError, ValueError, KeyError):
                time.sleep(0.05)
        raise RuntimeError(f"dask scheduler did not start: {self.log('scheduler.log')}")

    def start_worker(self, name: str, *, prefix: list[str] | None = None,
                     env: dict[str, str] | None = None) -> subprocess.Popen:
        """A ``dask worker`` (one worker process under a nanny, one thread) in ``folder/<name>``."""
        cmd = [*(prefix or []), *dask_command(), "worker", "--scheduler-file", str(self.scheduler_file),
               "--nworkers", "1", "--nthreads", "1", "--no-dashboard", "--name", name,
               "--local-directory", str(self.folder / f"{name}-space")]
        return self._start(cmd, self.folder / f"{name}-cwd", env or worker_env(), f"{name}.log")

    def client(self):
        import distributed

        return distributed.Client(self.address, timeout=30, set_as_default=False)

    def wait_for_workers(self, client, n: int, timeout: float = 90.0) -> dict[str, int]:
        """``{worker address: pid}`` once ``n`` workers are up and answer."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(client.scheduler_info()["workers"]) >= n:
                try:
                    pids = client.run(os.getpid)
                except Exception:  # a worker that is just leaving or joining
                    pids = {}
                if len(pids) >= n:
                    return pids
            for p in self.procs:
                if p.poll() is not None:
                    raise RuntimeError(f"a dask process ended ({p.args}): {self.logs()}")
            time.sleep(0.1)
        raise RuntimeError(f"fewer than {n} dask workers after {timeout:g} s: {self.logs()}")

    def log(self, name: str) -> str:
        try:
            return (self.folder / name).read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{self.log(p.name)}" for p in sorted(self.folder.glob("*.log")))

    def close(self) -> None:
        """SIGKILL to every process group started here (they hold nothing worth a clean exit)."""
        for p in self.procs:
            _signal_group(p, signal.SIGKILL)  # the group: also the worker process a nanny spawned
        for p in self.procs:
            p.wait()


def _signal_group(p: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(p.pid, sig)  # its own session: the group id is its pid
    except ProcessLookupError:
        pass


def task_states(dask_scheduler) -> dict[str, tuple[str, list[str]]]:
    """Run on the scheduler (``Client.run_on_scheduler``): ``{key: (state, workers holding it)}``."""
    return {str(k): (ts.state, sorted(ws.address for ws in (ts.who_has or ())))
            for k, ts in dask_scheduler.tasks.items()}
