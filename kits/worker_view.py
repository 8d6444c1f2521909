"""What a cluster worker must see: the batch's kits folder, order files and patterns, at the same paths.

A Dask worker runs in a working folder of its own, often on another machine, so the batch sends
it absolute paths only (:func:`absolute`) and checks that the worker sees what the batch sees:

- the batch writes a *probe* file ``KITS/.locks/probe-<random>-<pid>@<host>``
  (:func:`write_probe`). A worker that finds a kits folder without it sees another folder at
  the same path (say, the local disk of its own machine): kits written there would never reach
  the batch, so it must not build any;
- :func:`check_worker` runs on every worker before anything is sent (``Client.run``): the
  kits folder is there, is the batch's, and takes a file;
- :func:`job_problem` runs with each job on its worker: the kits folder again, and every order
  and pattern file of the job, before the kit is built (:func:`kitcut.kits.cluster.cluster_job`).

A problem is one line naming the worker and the path::

    worker tcp://10.0.0.5:40123 (host cut-2) cannot see the kits folder /data/KITS: No such file
    or directory (every worker must see it at the same path)
"""

from __future__ import annotations

import os
import secrets
import socket
import stat
import tempfile
from pathlib import Path

from kitcut.fileio import atomic_write, read_input

__all__ = ["absolute", "write_probe", "kits_problem", "files_problem", "worker_label", "check_worker",
           "job_problem", "clean_worker_host", "SAME_PATH", "WRITABLE"]

SAME_PATH = "(every worker must see it at the same path)"
WRITABLE = "(every worker must be able to write into it)"


def absolute(path: str | os.PathLike) -> Path:
    """``path`` as the batch process means it, for a process with another working folder.

    A relative path is taken against this process's working folder (symlinks resolved, as
    the kernel would); an absolute path is kept as typed (``/shared/kits`` may be a link that
    every machine has, pointing to its own mount).
    """
    p = Path(path)
    return p if p.is_absolute() else (Path.cwd() / p).resolve()


def write_probe(root: Path) -> Path:
    """Write this batch's probe file into ``root/.locks`` and return its path.

    Its name is ``probe-<random>-<pid>@<host>``; probe files that batches killed on this host
    left behind are removed first.
    """
    from kitcut.kits.staging import HOST as _HOST
    from kitcut.kits.staging import pid_alive

    locks = root / ".locks"
    for old in locks.glob("probe-*"):
        left, _, host = old.name.partition("@")
        pid = left.rpartition("-")[2]
        if host == _HOST and pid.isdigit() and not pid_alive(int(pid)):
            old.unlink(missing_ok=True)
    path = locks / f"probe-{secrets.token_hex(8)}-{os.getpid()}@{_HOST}"
    atomic_write(path, f"kitcut batch {socket.gethostname()}:{os.getpid()}\n")
    return path


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def kits_problem(root: str, probe: str, *, write_test: bool = False) -> str | None:
    """Why this process cannot build kits into the batch's folder ``root``; ``None`` if it can.

    ``probe`` is the name of the batch's probe file in ``root/.locks``; ``write_test`` creates
    and removes a file in ``root`` (else the permission bits are asked).
    """
    try:
        if not stat.S_ISDIR(os.stat(root).st_mode):
            return f"cannot see the kits folder {root}: it is not a folder {SAME_PATH}"
    except OSError as exc:
        return f"cannot see the kits folder {root}: {_why(exc)} {SAME_PATH}"
    try:
        os.stat(os.path.join(root, ".locks", probe))
    except OSError:
        return (f"cannot see the kits folder {root}: the folder at that path is another one "
                f"(it lacks the batch's .locks/{probe}) {SAME_PATH}")
    if write_test:
        try:
            fd, name = tempfile.mkstemp(prefix=".probe-", dir=root)
            os.close(fd)
            os.unlink(name)
        except OSError as exc:
            return f"cannot write into the kits folder {root}: {_why(exc)} {WRITABLE}"
    elif not os.access(root, os.W_OK | os.X_OK):
        return f"cannot write into the kits folder {root}: Permission denied {WRITABLE}"
    return None


def files_problem(paths: list[tuple[str, str]]) -> str | None:
    """Why this process cannot read one of ``paths`` (``(kind, path)``, e.g. a pattern file)."""
    for kind, path in paths:
        try:
            read_input(path, 0)
        except OSError as exc:
            return f"cannot see the {kind} {path}: {_why(exc)} {SAME_PATH}"
    return None


def worker_label(address: str | None = None) -> str:
    """``worker tcp://a.b.c.d:port (host name)``: the Dask worker this runs on."""
    if address is None:
        try:
            from distributed import get_worker

            address = get_worker().address
        except (ImportError, ValueError):  # not in a Dask task
            address = f"pid {os.getpid()}"
    return f"worker {address} (host {socket.gethostname()})"


def check_worker(root: str, probe: str, dask_worker=None) -> str | None:
    """Run on every worker before a batch (``Client.run``): the problem with its view, or None."""
    problem = kits_problem(root, probe, write_test=True)
    address = None if dask_worker is None else dask_worker.address
    return None if problem is None else f"{worker_label(address)} {problem}"


def job_problem(root: str, probe: str, paths: list[tuple[str, str]]) -> str | None:
    """Run with each job on its worker: why it cannot build the kit of ``paths`` into ``root``.

    The batch process saw the kits folder and every path before it sent the job.
    """
    problem = kits_problem(root, probe) or files_problem(paths)
    return None if problem is None else f"{worker_label()} {problem}"


def clean_worker_host(root: str, probe: str, dask_worker=None) -> list[str]:
    """Run on every worker: remove temporary kit folders of dead processes of its host.

    The batch process can only tell whether processes of its own host are alive. Nothing is
    touched unless the worker sees the batch's own kits folder.
    """
    from kitcut.kits.kit import clean_stale

    if kits_problem(root, probe) is not None:
        return []
    return clean_stale(root)
