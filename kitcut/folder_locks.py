"""A lock on the folders a set of files is renamed into (:class:`kitcut.fileio.FileSet`).

Two ``nest export`` (or ``nest --export``) runs writing into one folder at once interleaved their
renames on a slow share (10 to 200 ms a rename): the cutter file of one marker was left beside
the report and the prints of the other, both with exit 0. While a set is renamed into place,
each folder it writes into is held by an exclusive ``fcntl.flock`` on ``.kitcut-writing.lock``
there, so the second set waits and then replaces the first whole.

The lock file is removed when the set is in place, so a finished folder holds only what was
written (a cutting room copies the folder to the cutter). A process that waited on a file that
was removed meanwhile sees that it holds a lock on a name no longer there, and tries again. The
kernel drops a lock when its process dies; the file a killed process left is used and removed
by the next writer. Where the file system takes no locks (``ENOLCK``, ``EOPNOTSUPP``), or the
lock file cannot be made, the set is written without one, as before.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from pathlib import Path

from kitcut.errors import ExportError

__all__ = ["LOCK_NAME", "WAIT_S", "held"]

LOCK_NAME = ".kitcut-writing.lock"

#: How long a set waits for another process writing into the same folder (seconds).
WAIT_S = 120.0

_BUSY = (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK)


def _take(folder: Path, wait_s: float) -> tuple[int, Path] | None:
    """``(fd, path)`` of the locked lock file of ``folder``; ``None`` where no lock can be had."""
    path = folder / LOCK_NAME
    until = time.monotonic() + wait_s
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError:
            return None  # no lock file can be made here: the set is written without a lock
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in _BUSY:
                        os.close(fd)
                        return None
                    if time.monotonic() >= until:
                        raise ExportError(f"cannot write: another process has been writing into this folder "
                                          f"for {wait_s:g} s (it holds {LOCK_NAME}); try again when it is "
                                          "done", file=str(folder)) from None
                    time.sleep(0.05)
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                same = False
            if same:
                return fd, path
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the writer before removed the file this one waited on: take the new one


@contextlib.contextmanager
def held(folders, wait_s: float | None = None):
    """Hold the lock of every folder in ``folders`` (in a fixed order: two sets writing into the
    same two folders cannot wait on each other) until the block ends; wait at most ``wait_s``
    (default :data:`WAIT_S`) for each."""
    wait_s = WAIT_S if wait_s is None else wait_s
    taken: list[tuple[int, Path]] = []
    try:
        for folder in sorted({Path(f) for f in folders}, key=str):
            got = _take(folder, wait_s)
            if got is not None:
                taken.append(got)
        yield
    finally:
        for fd, path in reversed(taken):
            with contextlib.suppress(OSError):
                os.unlink(path)  # while still held: a waiting process finds its file gone
            os.close(fd)
