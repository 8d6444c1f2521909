"""Building a kit in the open, safely: temporary folders, publishing, stale leftovers.

A kit is built under ``KITS/.<id>.tmp-<pid>@<host>`` and renamed into place when complete
(:func:`publish`), so ``KITS/<id>/`` is either absent or complete. A process that dies leaves
its temporary folder; :func:`clean_stale` removes those of dead processes on this host
(:func:`pid_alive`), whatever process (batch, worker, Dask worker) made them.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
from pathlib import Path

from kitcut.errors import ExportError
from kitcut.kits.manifest import is_complete
from kitcut.kits.order import slug

__all__ = ["HOST", "temp_name", "pid_alive", "clean_stale", "publish"]


HOST = slug(socket.gethostname()).replace("@", "-") or "host"


def temp_name(kit_id: str, kind: str = "tmp", pid: int | None = None) -> str:
    return f".{kit_id}.{kind}-{os.getpid() if pid is None else pid}@{HOST}"


def _parse_temp(name: str) -> tuple[str, int, str] | None:
    if not name.startswith("."):
        return None
    left, at, host = name.rpartition("@")
    prefix, dash, pid = left.rpartition("-")
    if not at or not dash or not pid.isdigit() or not prefix.endswith((".tmp", ".old")):
        return None
    return prefix[1:-4], int(pid), host


def pid_alive(pid: int) -> bool:
    """True when process ``pid`` runs on this machine (zombies count as dead)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def clean_stale(root: str | os.PathLike, kit_id: str | None = None) -> list[str]:
    """Remove temporary kit folders of dead processes on this host; return their names."""
    root = Path(root)
    removed = []
    if not root.is_dir():
        return removed
    for entry in root.iterdir():
        parsed = _parse_temp(entry.name)
        if parsed is None or not entry.is_dir():
            continue
        kid, pid, host = parsed
        if (kit_id is None or kid == kit_id) and host == HOST and not pid_alive(pid):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed


def publish(tmp: Path, final: Path, *, replace: bool) -> bool:
    """Rename the finished ``tmp`` folder to ``final``; returns False if a complete kit was kept.

    An old incomplete (or, with ``replace``, complete) ``final`` is first renamed aside and then
    removed. Another process publishing the same kit at the same moment is tolerated.
    """
    for _ in range(5):
        aside = None
        if final.exists():
            if not replace and is_complete(final):
                shutil.rmtree(tmp, ignore_errors=True)
                return False
            aside = final.parent / temp_name(final.name, "old")
            try:
                os.rename(final, aside)
            except FileNotFoundError:
                continue
        try:
            os.rename(tmp, final)
            return True
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise ExportError(f"cannot publish the kit: {exc.strerror or exc}", file=str(final)) from exc
        finally:
            if aside is not None:
                shutil.rmtree(aside, ignore_errors=True)
    raise ExportError("cannot publish the kit: the folder keeps changing", file=str(final))
