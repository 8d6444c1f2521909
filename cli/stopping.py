"""Ctrl-C during a search: the first one stops it and keeps the best marker found, a second one
aborts (``nest`` and ``nest kit``)."""

from __future__ import annotations

import os
import signal
import threading

__all__ = ["SearchStop"]


class SearchStop:
    """While the search runs, a first Ctrl-C (or SIGTERM, SIGHUP: ``timeout``, a closed terminal,
    a service stopped) stops it and keeps the best marker found (written as usual); a second one
    aborts. Worker processes inherit the handler, so the terminal's signal to the whole process
    group stops nobody but the search; a worker told to end (SIGTERM) ends."""

    SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")

    def __init__(self):
        self.hit = False
        self.by = "Ctrl-C"  # what stopped the search
        self.old: dict = {}
        self.pid = None  # the process that entered: its second Ctrl-C aborts, a worker's never

    def __enter__(self):
        self.pid = os.getpid()
        if threading.current_thread() is threading.main_thread():
            for name in self.SIGNALS:
                if (sig := getattr(signal, name, None)) is not None:
                    self.old[sig] = signal.signal(sig, self._on_signal)
        return self

    def _on_signal(self, signum, frame) -> None:
        if os.getpid() != self.pid:
            if signum != signal.SIGINT:  # a worker ended by the search: as by default
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)
            return
        if self.hit:
            raise KeyboardInterrupt
        self.hit = True
        self.by = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name

    def __call__(self) -> bool:
        return self.hit

    def __exit__(self, *exc):
        for sig, handler in self.old.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)
        return False
