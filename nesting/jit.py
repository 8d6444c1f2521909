"""The JIT policy of the nesting core, in one place.

Every kernel is compiled with :data:`njit` (``cache=True``, no fastmath, no parallel): the
geometric predicates must be exact IEEE arithmetic. The cache lives next to the sources; numba
checks only the defining file of each function, which is why every kernel and everything it
calls stay in one file: the search's in ``kernels.py``, the poles' in ``inscribed.py``.
"""

from __future__ import annotations

import numba

__all__ = ["njit"]

_OPTIONS = {"cache": True, "nogil": True, "fastmath": False, "error_model": "numpy"}


def njit(fn):
    """Compile ``fn`` with the core's options."""
    return numba.njit(**_OPTIONS)(fn)
