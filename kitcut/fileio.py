"""Atomic file output (write to a temporary name beside the target, then rename), and reading
the small text files people write by hand (orders, match files, device files).

A reader of the folder sees either the old file, the complete new one, or nothing; never a
partial file. ``-`` as a path means standard output.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write(d / "a.txt", "hello")
>>> (d / "a.txt").read_text()
'hello'
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from kitcut.errors import ExportError

__all__ = ["atomic_write", "atomic_open", "read_user_text"]


def read_user_text(path: str | os.PathLike) -> str:
    """The text of a hand-written file: UTF-8 with or without the byte-order mark Windows
    editors write, or UTF-16 with its mark. ``OSError`` as ``open`` raises it;
    ``UnicodeDecodeError`` for any other encoding."""
    data = Path(path).read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8")


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8"):
    """Open a temporary file beside ``path`` and rename it onto ``path`` on success.

    On an exception the temporary file is removed and the error re-raised; an ``OSError``
    (full disk, read-only folder) becomes an :class:`ExportError` naming the file.
    """
    if str(path) == "-":
        if "b" in mode:
            yield sys.stdout.buffer
        else:
            yield sys.stdout
        return
    target = Path(path)
    kw = {} if "b" in mode else {"encoding": encoding, "newline": ""}
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
        with os.fdopen(fd, mode, **kw) as fp:
            yield fp
            fp.flush()
            os.fsync(fp.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise ExportError(f"cannot write: {exc.strerror or exc}", file=str(target)) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` atomically."""
    mode = "wb" if isinstance(data, bytes) else "w"
    with atomic_open(path, mode) as fp:
        fp.write(data)
