"""Run the ``nest`` CLI in-process and classify the outcome.

:func:`run_cli` calls :func:`kitcut.cli.main.main` with captured stdout/stderr, catches
``SystemExit`` and stops a run that exceeds ``timeout`` seconds (``SIGALRM``, main thread only)
with :class:`Hang` (a ``BaseException``, so kitcut's catch-all ``except Exception`` in the CLI
cannot swallow it). :func:`check_outcome` is the property every fuzz input must satisfy: exit
status 0 or 2, no traceback, no "internal error".
"""

from __future__ import annotations

import contextlib
import io
import signal
import sys
import time
from dataclasses import dataclass

__all__ = ["Hang", "Outcome", "run_cli", "run_call", "run_order", "check_outcome", "classify"]


class Hang(BaseException):
    """A run exceeded its time bound."""


@dataclass
class Outcome:
    """What one CLI run did."""

    argv: list[str]
    code: int | None
    stdout: str
    stderr: str
    seconds: float
    hang: bool = False
    crash: str = ""  # an exception that escaped main() (a bug in the CLI wrapper itself)


def _alarm(signum, frame):  # pragma: no cover - only on a hang
    raise Hang()


def run_cli(argv: list[str], *, timeout: float = 30.0) -> Outcome:
    """Run ``nest ARGV`` in-process; never raises for what the CLI does."""
    from kitcut.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    code: int | None = 0
    crash = ""
    hang = False
    t0 = time.monotonic()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(argv))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Hang:
        hang = True
        code = None
    except Exception as exc:  # noqa: BLE001 - escaped the CLI: record it
        import traceback

        crash = "".join(traceback.format_exception(exc))
        code = None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    return Outcome(list(argv), code, out.getvalue(), err.getvalue(), time.monotonic() - t0, hang, crash)


def classify(o: Outcome) -> str:
    """``"ok"``, ``"error"`` (a clear error, exit 2), ``"hang"`` or ``"crash"``."""
    if o.hang:
        return "hang"
    if o.crash or o.code not in (0, 2):
        return "crash"
    if "Traceback" in o.stderr or "internal error" in o.stderr:
        return "crash"
    if o.code == 2 and not o.stderr.strip():
        return "crash"  # an error without a message
    return "ok" if o.code == 0 else "error"


def check_outcome(o: Outcome) -> str:
    """Assert the fuzz property on ``o``; returns its class (``"ok"`` or ``"error"``)."""
    kind = classify(o)
    assert kind in ("ok", "error"), (
        f"nest {' '.join(o.argv)}: {kind} (exit {o.code}, {o.seconds:.1f} s)\n"
        f"stderr: {o.stderr[-2000:]}\n{o.crash[-3000:]}"
    )
    return kind


def run_call(fn, *args, timeout: float = 30.0, **kwargs) -> Outcome:
    """Call ``fn`` like the CLI would: a :class:`KitcutError` is a clear error (code 2), any
    other exception a crash, a run over ``timeout`` a hang."""
    from kitcut.errors import KitcutError

    code: int | None = 0
    err = crash = ""
    hang = False
    t0 = time.monotonic()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        try:
            fn(*args, **kwargs)
        except KitcutError as exc:
            code, err = exc.exit_code, f"error: {exc}"
    except Hang:
        hang, code = True, None
    except Exception as exc:  # noqa: BLE001
        import traceback

        crash, code = "".join(traceback.format_exception(exc)), None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    name = getattr(fn, "__name__", str(fn))
    return Outcome([name, *map(str, args)], code, "", err, time.monotonic() - t0, hang, crash)


def _load_and_plan(path, allow_outside: bool = False):
    from kitcut.kits.order import load_order
    from kitcut.kits.plan import plan_order

    return plan_order(load_order(path, allow_outside=allow_outside))


def run_order(path, *, timeout: float = 30.0, allow_outside: bool = False) -> Outcome:
    """Load an order file and plan it (reads its patterns), in-process, with a time bound."""
    return run_call(_load_and_plan, path, allow_outside, timeout=timeout)


if __name__ == "__main__":  # pragma: no cover
    res = run_cli(sys.argv[1:])
    print(classify(res), res.code, f"{res.seconds:.2f}s", res.stderr[-500:])
