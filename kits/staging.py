"""Building a kit in the open, safely: temporary folders, publishing, stale leftovers.

A kit is built under ``KITS/.<id>.tmp-<pid>@<host>`` and renamed into place when complete
(:func:`publish`), so ``KITS/<id>/`` is either absent or complete. A process that dies leaves
its temporary folder; :func:`clean_stale` removes those of dead processes on this host
(:func:`pid_alive`), whatever process (batch, worker, Dask worker) made them.

Replacing a kit never deletes a file the kit did not write (one its manifest does not list: a
cutter file the cutting room exported into it, a note, or a plain file of the kit's name): such
files are moved to ``KITS/<id>+kept-<YYYYMMDD-HHMMSS>/`` (a ``+`` is never in an order id) and
:func:`publish` says so.

A kit whose order (or pattern) changed since it was built, and whose rebuild then fails, is
moved to ``KITS/<id>+outdated-<YYYYMMDD-HHMMSS>/`` (:func:`set_aside_outdated`): complete, it
would still be cut the next morning as the order was before, while the batch said the order
failed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path

from kitcut.errors import ExportError
from kitcut.kits.manifest import is_complete, unlisted_files
from kitcut.kits.order import slug
from kitcut.processes import pid_alive

__all__ = ["HOST", "temp_name", "pid_alive", "clean_stale", "publish", "keep_aside", "set_aside_outdated"]


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


def clean_stale(root: str | os.PathLike, kit_id: str | None = None,
                said: list[str] | None = None) -> list[str]:
    """Remove temporary kit folders (and files: an old plain file set aside) of dead processes
    on this host; return their names.

    An old kit set aside by a process that died before it renamed the new one into place is not
    lost with it: it is put back where no kit stands now, else the files it holds that the kit
    did not write (a cutter file the cutting room exported into it, a note) are kept aside
    (:func:`keep_aside`) before it goes. Before, the cleanup removed it whole. What became of
    such a kit is told in ``said`` (the log said "removed stale temporary folders" of a kit put
    back)."""
    root = Path(root)
    removed = []
    if not root.is_dir():
        return removed
    for entry in root.iterdir():
        parsed = _parse_temp(entry.name)
        if parsed is None or entry.is_symlink() or not (entry.is_dir() or entry.is_file()):
            continue
        kid, pid, host = parsed
        if (kit_id is None or kid == kit_id) and host == HOST and not pid_alive(pid):
            if entry.name.rpartition("-")[0].endswith(".old"):
                back, kept = _put_back(entry, root, kid)
                if said is not None and (back or kept):
                    said.append(f"{kid}: the kit a stopped build had set aside ({entry.name}) " + (
                        "put back as the kit (none stood there)" if back else kept))
                if back:
                    removed.append(entry.name)
                    continue
            _remove(entry)
            removed.append(entry.name)
    return removed


def _put_back(old: Path, root: Path, kit_id: str) -> tuple[bool, str]:
    """An old kit ``old`` that a dead process set aside: renamed back to ``root/kit_id`` if
    nothing stands there (``(True, "")``), else its files the kit did not write (or the plain
    file it is) kept aside (``(False, what keep_aside says)``: what is left of it is then
    removed)."""
    final = root / kit_id
    if old.is_dir() and not (final.exists() or final.is_symlink()):
        try:
            os.rename(old, final)
            return True, ""
        except OSError:
            pass
    try:
        return False, keep_aside(old, root, kit_id)
    except OSError:
        return False, ""


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def keep_aside(old: Path, root: Path, kit_id: str) -> str:
    """Move what ``old`` (a replaced kit set aside, or a plain file) holds that the kit did not
    write to ``root/<kit_id>+kept-<time>/``; return a sentence saying so ("" when nothing)."""
    if old.is_dir() and not old.is_symlink():
        rels = unlisted_files(old)
    else:
        rels = [""]  # a plain file (or a link) of the kit's name: keep it as it is
    if not rels:
        return ""
    dest = _free_name(root, f"{kit_id}+kept-{time.strftime('%Y%m%d-%H%M%S')}")
    dest.mkdir()
    for rel in rels:
        target = dest / (rel or kit_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(old / rel if rel else old, target)
    names = ", ".join(rel or f"the file {kit_id}" for rel in rels[:5]) + (", ..." if len(rels) > 5 else "")
    return (f"{len(rels)} file(s) the kit did not write ({names}) kept aside in {dest.name}/ "
            "(the kit was replaced)")


def _free_name(root: Path, stem: str) -> Path:
    dest = root / stem
    n = 1
    while dest.exists() or dest.is_symlink():
        n += 1
        dest = root / f"{stem}-{n}"
    return dest


def set_aside_outdated(final: Path) -> str:
    """Rename the kit ``final`` (complete, built from an order as it was before) to
    ``<id>+outdated-<time>/`` beside it; a sentence saying so, or why it stayed (``""`` when
    there is no such folder)."""
    if not final.is_dir() or final.is_symlink():
        return ""
    dest = _free_name(final.parent, f"{final.name}+outdated-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        os.rename(final, dest)
    except OSError as exc:
        return (f"the kit {final.name}/ built from the order as it was before could not be moved aside "
                f"({exc.strerror or exc}): do not cut it")
    return (f"the kit built from the order as it was before is moved to {dest.name}/ so that it is not cut "
            "(it is not what the order says now)")


def publish(tmp: Path, final: Path, *, replace: bool, kept: Callable[[str], None] | None = None) -> bool:
    """Rename the finished ``tmp`` folder to ``final``; returns False if a complete kit was kept.

    An old incomplete (or, with ``replace``, complete) ``final`` is first renamed aside and then
    removed, but the files it holds that the kit did not write (and a plain file named
    ``final``) are moved to ``<id>+kept-<time>/`` (:func:`keep_aside`), told to ``kept``.
    Another process publishing the same kit at the same moment is tolerated.
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
                try:
                    said = keep_aside(aside, final.parent, final.name)
                except OSError as exc:  # keep the old kit whole rather than lose a file
                    whole = final.parent / f"{final.name}+kept-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
                    with contextlib.suppress(OSError):
                        os.rename(aside, whole)
                        aside = None
                    said = (f"the replaced kit could not be sorted ({exc.strerror or exc}): "
                            f"kept whole in {whole.name}/")
                if said and kept is not None:
                    kept(said)
                if aside is not None:
                    _remove(aside)
                    if aside.exists():  # write-protected (a cut kit locked): kept in sight, and said
                        stamp = time.strftime("%Y%m%d-%H%M%S")
                        whole = _free_name(final.parent, f"{final.name}+kept-{stamp}")
                        with contextlib.suppress(OSError):
                            os.rename(aside, whole)
                        if kept is not None:
                            kept(f"the replaced kit could not be removed (write-protected?): kept in "
                                 f"{whole.name if not aside.exists() else aside.name}/")
    raise ExportError("cannot publish the kit: the folder keeps changing", file=str(final))
