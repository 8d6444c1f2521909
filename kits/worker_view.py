"""What a cluster worker must see: the batch's kits folder, order files and patterns, at the same paths.

A Dask worker runs in a working folder of its own, often on another machine, so the batch sends
it absolute paths only (:func:`absolute`).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["absolute"]


def absolute(path: str | os.PathLike) -> Path:
    """``path`` as the batch process means it, for a process with another working folder.

    A relative path is taken against this process's working folder (symlinks resolved, as
    the kernel would); an absolute path is kept as typed (``/shared/kits`` may be a link that
    every machine has, pointing to its own mount).
    """
    p = Path(path)
    return p if p.is_absolute() else (Path.cwd() / p).resolve()
