"""Claims on orders: which process builds an order's kit right now.

An order is claimed with an exclusive ``fcntl.flock`` on ``KITS/.locks/<id>.lock`` while its kit
is built, so several batches (and ``nest kit``) can run on one kits folder; the kernel drops a
lock when its process dies, so a killed batch leaves no stale claim.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

__all__ = ["Claims"]


class Claims:
    """Exclusive claims on order ids (``fcntl.flock``; released by the kernel if we die)."""

    def __init__(self, root: Path):
        self.dir = root / ".locks"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.held: dict[str, int] = {}

    def _one(self, oid: str) -> bool:
        fd = os.open(self.dir / f"{oid}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.held[oid] = fd
        return True

    def claim(self, ids) -> bool:
        """Claim every id or none."""
        got = []
        for oid in sorted(ids):
            if not self._one(oid):
                self.release(got)
                return False
            got.append(oid)
        return True

    def release(self, ids) -> None:
        for oid in ids:
            fd = self.held.pop(oid, None)
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
