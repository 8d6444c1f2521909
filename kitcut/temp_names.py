"""The names of the temporary files written beside a target and renamed onto it
(:mod:`kitcut.fileio`), and the sweep of those a killed process left behind.

A name is ``.<target name>.<pid>-<8 random characters>.tmp`` (``.old`` for the backup of the
file replaced), the target's name shortened where the whole would pass the file system's 255
bytes: a name that fits fitted no more once 14 bytes were added (a ``--stem`` of 240 characters
was refused, "File name too long"). The process id says whose it is: a process killed with
SIGKILL cannot remove its own, and they piled up in an output folder (23 files after four
kills); the next write into the folder removes those of processes that are gone, left more than
:data:`STALE_S` ago (a process of another machine writing to a shared folder is not looked up,
hence the age as well).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

from kitcut.processes import pid_alive

__all__ = ["temp_file", "sweep", "STALE_S"]

#: A temporary file of a process that is gone is removed once it is this old (seconds).
STALE_S = 3600.0

#: The bytes a file name may hold (NAME_MAX of Linux, macOS and Windows file systems).
_NAME_MAX = 255

_OURS = re.compile(r"^\..+\.(\d+)-[a-z0-9_]{8}\.(?:tmp|old)$")

_swept: set[Path] = set()


def _short(name: str, room: int) -> str:
    """``name`` cut to at most ``room`` bytes of UTF-8, whole characters."""
    data = name.encode("utf-8", "surrogateescape")
    if len(data) <= room:
        return name
    return data[:room].decode("utf-8", "ignore")


def temp_file(target: Path, suffix: str = ".tmp") -> tuple[int, str]:
    """``(fd, name)`` of a new file beside ``target`` (``tempfile.mkstemp``, mode 0600), named
    for it and for this process (see the module docstring)."""
    pid = os.getpid()
    room = _NAME_MAX - len(f"..{pid}-xxxxxxxx{suffix}")
    return tempfile.mkstemp(prefix=f".{_short(target.name, room)}.{pid}-", suffix=suffix, dir=target.parent)


def sweep(folder: Path) -> int:
    """Remove the temporary files of processes that are gone from ``folder`` (once per process
    and folder); returns how many."""
    folder = Path(folder)
    key = folder.resolve() if folder.exists() else folder
    if key in _swept:
        return 0
    _swept.add(key)
    gone = 0
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for e in entries:
        m = _OURS.match(e.name)
        if m is None or int(m.group(1)) == os.getpid():
            continue
        try:
            if not e.is_file(follow_symlinks=False) or now - e.stat(follow_symlinks=False).st_mtime < STALE_S:
                continue
            if not pid_alive(int(m.group(1))):
                os.unlink(e.path)
                gone += 1
        except OSError:
            continue
    return gone
