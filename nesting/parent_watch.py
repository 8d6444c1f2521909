"""Search processes that end with the process that forked them.

A process forked for a search (``daemon=True``) is ended by its parent when the parent exits,
but not when the parent is killed (``kill -9``, the kernel's out-of-memory killer, systemd after
its stop timeout): orphaned, it searched on at full CPU until its time was up, sharing the cores
with the run that replaced it. :func:`end_with_parent` watches the parent from a thread and ends
the process once it is gone (reparented: its parent id changes).
"""

from __future__ import annotations

import os
import threading
import time

__all__ = ["end_with_parent"]


def end_with_parent(poll_s: float = 0.25) -> None:
    """Start a daemon thread that ends this process (exit status 1) once its parent is gone."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_s)
        os._exit(1)

    threading.Thread(target=watch, name="kitcut-search-parent-watch", daemon=True).start()
