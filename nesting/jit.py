"""The JIT policy of the nesting core, in one place.

Every kernel is compiled with :data:`njit` (``cache=True``, no fastmath, no parallel): the
geometric predicates must be exact IEEE arithmetic. The cache lives next to the sources; numba
checks only the defining file of each function, which is why every kernel and everything it
calls stay in one file: the search's in ``kernels.py``, the poles' in ``inscribed.py``.

Where the cache can be written (:func:`cache_folder`): numba writes it beside the sources, else in
the user's cache folder (``~/.cache/numba``), and fails every command when it can do neither (an
install in a read-only site-packages run by a service account whose home is not writable: even
``nest info`` ended in "internal error: RuntimeError: cannot cache function"). kitcut then points
``NUMBA_CACHE_DIR`` at a folder of its own in the system's temporary folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["njit", "cache_folder"]

_OPTIONS = {"cache": True, "nogil": True, "fastmath": False, "error_model": "numpy"}


def _writable(folder: Path) -> bool:
    """Whether a file can be written in ``folder``, or it can be made: asked of the file system
    (a read-only mount, the user's rights), not tried with a file at every start."""
    while not folder.exists():
        if folder.parent == folder:
            return False
        folder = folder.parent
    return folder.is_dir() and os.access(folder, os.W_OK)


def _user_cache() -> Path | None:
    """numba's user-wide cache folder (``$XDG_CACHE_HOME/numba``, else ``~/.cache/numba``)."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no home folder known
            return None
    return Path(base) / "numba"


def cache_folder(environ=os.environ, sources: Path | None = None, user: Path | None = None) -> str | None:
    """The folder to give numba as ``NUMBA_CACHE_DIR``, or ``None`` when numba can cache where it
    would (``NUMBA_CACHE_DIR`` already set, the sources' ``__pycache__`` writable, or the user's
    cache folder)."""
    if environ.get("NUMBA_CACHE_DIR"):
        return None
    sources = sources if sources is not None else Path(__file__).resolve().parent
    if _writable(sources / "__pycache__"):
        return None
    user = user if user is not None else _user_cache()
    if user is not None and _writable(user):
        return None
    uid = getattr(os, "getuid", lambda: "user")()
    return str(Path(tempfile.gettempdir()) / f"kitcut-numba-{uid}")


_FOLDER = cache_folder()
if _FOLDER is not None:
    os.environ["NUMBA_CACHE_DIR"] = _FOLDER

import numba  # noqa: E402 - after NUMBA_CACHE_DIR is settled

if _FOLDER is not None:
    numba.config.CACHE_DIR = _FOLDER  # numba read its environment when some module imported it first


def njit(fn):
    """Compile ``fn`` with the core's options."""
    return numba.njit(**_OPTIONS)(fn)
