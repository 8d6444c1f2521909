"""Claims on orders: which process builds an order's kit right now.

An order is claimed with an exclusive ``fcntl.flock`` on ``KITS/.locks/<id>.lock`` while its kit
is built, so several batches (and ``nest kit``) can run on one kits folder; the kernel drops a
lock when its process dies, so a killed batch leaves no stale claim.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from kitcut.errors import ExportError

__all__ = ["Claims", "ClaimError"]


class ClaimError(ExportError):
    """An order cannot be claimed for want of the right to make its lock file."""


class Claims:
    """Exclusive claims on order ids (``fcntl.flock``; released by the kernel if we die)."""

    def __init__(self, root: Path):
        self.dir = root / ".locks"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.held: dict[str, int] = {}

    def _open(self, oid: str) -> tuple[int, bool]:
        """``(fd, writable)`` of the order's lock file. Made with the mode the umask leaves (a kits
        folder shared by a group of operators, umask 002: group-writable); one another user made
        that this one cannot write is locked read-only (``flock`` needs no write access)."""
        path = self.dir / f"{oid}.lock"
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666), True
        except PermissionError:
            try:
                return os.open(path, os.O_RDONLY | os.O_CLOEXEC), False
            except OSError as exc:
                raise ClaimError(
                    f"cannot claim order {oid}: {self.dir} does not let this user make its lock file "
                    f"({exc.strerror or exc}); a kits folder that several users share needs group write "
                    "(chmod -R g+w on it, and umask 002 for those who run batches)", file=str(path)) from None

    def _one(self, oid: str) -> bool:
        fd, writable = self._open(oid)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        if writable:  # who holds it, for a person looking
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        self.held[oid] = fd
        return True

    def claim(self, ids) -> bool:
        """Claim every id or none."""
        got = []
        try:
            for oid in sorted(ids):
                if not self._one(oid):
                    self.release(got)
                    return False
                got.append(oid)
        except BaseException:
            self.release(got)
            raise
        return True

    def release(self, ids) -> None:
        for oid in ids:
            fd = self.held.pop(oid, None)
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
