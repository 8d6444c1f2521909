"""Whether a process of this machine still runs: the temporary files and kit folders a process
left are removed once it is gone (:mod:`kitcut.temp_names`, :mod:`kitcut.kits.staging`)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["pid_alive"]


def pid_alive(pid: int) -> bool:
    """True when process ``pid`` runs on this machine (zombies count as dead; another user's, or
    one that cannot be asked about, as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True
