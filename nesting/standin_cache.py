"""The stand-ins and poles of the shapes of an instance, memoised, and made on every core.

Making a stand-in and its poles takes about 2 ms for a real pattern piece (shapely's offset and
simplification, then the poles' kernel, :func:`~kitcut.nesting.standins.poles`). A real marker
holds many different shapes (every size of every piece): the 255 of ``annotation.DXF`` take
about 0.6 s. :func:`prefill` makes the missing ones in forked processes, one per core the
search will use (0.4 to 0.5 s for those with two); the results are the same as made one by one,
and a shape a process fails on is made again here, where its error is raised as usual.
Re-solving a pattern (a resume, a kit's second marker) finds them made.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
from collections import OrderedDict

import numpy as np

from kitcut.nesting.parent_watch import end_with_parent
from kitcut.nesting.standins import poles, standin

__all__ = ["standin_and_poles", "prefill"]

#: shapes remembered (a night's markers hold a few thousand)
_MOST = 4096
#: fewer shapes than this to make are made here: forking costs more than it saves
_PARALLEL_FROM = 16
_MEMO: OrderedDict = OrderedDict()


def _make(key: tuple) -> tuple[np.ndarray, np.ndarray]:
    ring, n, offset, max_poles, name = key
    shape = np.frombuffer(ring, dtype=np.float64).reshape(n, 2)
    si = standin(shape, offset, name=name)
    pi = poles(si, max_poles=max_poles)
    return si, pi


def _keep(key: tuple, made: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    for a in made:
        a.setflags(write=False)
    _MEMO[key] = made
    while len(_MEMO) > _MOST:
        _MEMO.popitem(last=False)
    return made


def standin_and_poles(ring: bytes, n: int, offset: float, max_poles: int, name: str):
    """Stand-in and poles of the ring ``ring`` (``n`` float64 points), memoised."""
    key = (ring, n, offset, max_poles, name)
    made = _MEMO.get(key)
    if made is not None:
        _MEMO.move_to_end(key)
        return made
    return _keep(key, _make(key))


def _try(key: tuple):
    try:
        return _make(key)
    except Exception:  # made again in the parent, which raises it with its piece's name
        return None


def _ends_when_told() -> None:
    """A forked pool process ends on SIGTERM and SIGHUP, whatever handler it inherited: the pool
    ends its processes so, and one whose inherited handler did not end it (a handler of the
    process that forked, as a test suite's earlier tests leave them) hung the pool's close for
    good, waiting on its queue."""
    for name in ("SIGTERM", "SIGHUP"):
        if (sig := getattr(signal, name, None)) is not None:
            signal.signal(sig, signal.SIG_DFL)
    end_with_parent()  # and when the process that forked it is killed


def prefill(keys: list[tuple], workers: int) -> None:
    """Make the stand-ins and poles of ``keys`` (``standin_and_poles``'s arguments) not yet made,
    on ``workers`` forked processes when there are enough of them and processes can fork here."""
    todo = list(dict.fromkeys(k for k in keys if k not in _MEMO))
    if workers < 2 or len(todo) < _PARALLEL_FROM or "fork" not in mp.get_all_start_methods() \
            or mp.current_process().daemon:
        return
    todo.sort(key=lambda k: -k[1])  # the largest first: the processes finish together
    try:
        with mp.get_context("fork").Pool(min(workers, len(todo)), initializer=_ends_when_told) as pool:
            made = pool.map(_try, todo, chunksize=1)
    except (OSError, RuntimeError):  # no process could be started: they are made one by one
        return
    for key, m in zip(todo, made, strict=True):
        if m is not None:
            _keep(key, m)
