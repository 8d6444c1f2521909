"""A crash-safe runner: each input runs in a long-lived child process that is replaced when it
hangs (no answer within the time bound, even inside C code) or dies (a segfault).

>>> with SafeRunner() as r:          # doctest: +SKIP
...     outcome = r.cli(["info", "tee.dxf"], timeout=30)
"""

from __future__ import annotations

import multiprocessing as mp

from .runner import Outcome

__all__ = ["SafeRunner"]


def _serve(conn) -> None:
    from .runner import run_cli, run_order

    while True:
        job = conn.recv()
        if job is None:
            return
        kind, arg, timeout = job
        o = run_cli(arg, timeout=timeout) if kind == "cli" else run_order(arg, timeout=timeout)
        conn.send(o)


class SafeRunner:
    """Runs CLI calls / order plans in a child; ``hang`` or ``crash`` outcomes when it fails."""

    def __init__(self):
        self._ctx = mp.get_context("fork")
        self._proc = None
        self._conn = None

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        self._proc = self._ctx.Process(target=_serve, args=(child,), daemon=True)
        self._proc.start()
        self._conn = parent

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        self._proc = self._conn = None

    def _run(self, kind: str, arg, timeout: float) -> Outcome:
        if self._proc is None or not self._proc.is_alive():
            self._start()
        argv = list(arg) if kind == "cli" else ["plan_order", str(arg)]
        self._conn.send((kind, arg, timeout))
        if self._conn.poll(timeout + 15):  # the child's own alarm fires first for Python code
            try:
                return self._conn.recv()
            except EOFError:
                pass
            code = self._proc.exitcode
            self._stop()
            return Outcome(argv, None, "", "", 0.0, crash=f"child died (exit {code})")
        self._stop()
        return Outcome(argv, None, "", "", timeout + 15, hang=True)

    def cli(self, argv: list[str], timeout: float = 30.0) -> Outcome:
        return self._run("cli", argv, timeout)

    def order(self, path, timeout: float = 30.0) -> Outcome:
        return self._run("order", path, timeout)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._conn is not None:
            try:
                self._conn.send(None)
            except OSError:
                pass
        self._stop()
        return False
