"""Atomic file output (write to a temporary name beside the target, then rename), and reading
input files: only regular files (:func:`read_input`), and the small text files people write by
hand (orders, match files, device files).

A reader of the folder sees either the old file, the complete new one, or nothing; never a
partial file. ``-`` as a path means standard output. :class:`FileSet` does the same for a set of
files: all of them new, or (on any failure) all of them as they were.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write(d / "a.txt", "hello")
>>> (d / "a.txt").read_text()
'hello'
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import sys
import threading
from pathlib import Path

from kitcut import folder_locks
from kitcut.errors import ExportError
from kitcut.temp_names import sweep, temp_file

__all__ = ["atomic_write", "atomic_open", "read_input", "read_user_text", "not_utf8", "special_kind",
           "NotAFile", "FileSet", "check_folder", "make_folder", "os_error_why"]


_SPECIAL = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


class NotAFile(OSError):
    """An input that is not a regular file: a named pipe would wait for a writer forever (a
    batch hung all night), a device such as ``/dev/zero`` never ends."""

    def __init__(self, what: str):
        super().__init__(f"not a file but {what}")
        self.strerror = f"not a file but {what}"
        self.what = what


def special_kind(mode: int) -> str | None:
    """What a file of ``st_mode`` ``mode`` is when it is no regular file (``"a named pipe"``,
    ``"a folder"``...), else ``None``."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _SPECIAL if test(mode)), "a special file")


def read_input(path: str | os.PathLike, limit: int | None = None) -> bytes:
    """The bytes of the input file ``path`` (the first ``limit`` bytes when given).

    The file is opened without waiting and looked at before it is read: anything but a regular
    file (a named pipe, a device, a socket, a folder) is :class:`NotAFile`, an ``OSError``
    whose ``strerror`` says what it is. Other failures are ``OSError`` as ``open`` raises it.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        what = special_kind(os.fstat(fd).st_mode)
        if what:
            raise NotAFile(what)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as fp:
        return fp.read() if limit is None else fp.read(limit)


def read_user_text(path: str | os.PathLike) -> str:
    """The text of a hand-written file: UTF-8 with or without the byte-order mark Windows
    editors write, or UTF-16 with its mark. ``OSError`` as ``open`` raises it (:class:`NotAFile`
    for a named pipe or a device); ``UnicodeDecodeError`` for any other encoding."""
    data = read_input(path)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:512] and _utf16_unmarked(data[:512]):
        raise UnicodeDecodeError("utf-8", data, 0, 1, _UTF16_UNMARKED)
    return data.decode("utf-8")


_UTF16_UNMARKED = "UTF-16 without a byte-order mark"


def _utf16_unmarked(head: bytes) -> bool:
    """Whether ``head`` looks like UTF-16 text without its mark: one byte of each pair 0 (the
    ASCII of an order in UTF-16), the other not. Taken for UTF-8 it was refused at its first
    letter outside ASCII, or, all ASCII, read as a key starting with a NUL ("Invalid initial
    character for a key part")."""
    pairs = len(head) // 2
    if pairs < 2:
        return False
    zeros = max(head[0::2].count(0), head[1::2].count(0))
    return zeros >= 0.5 * pairs and min(head[0::2].count(0), head[1::2].count(0)) <= 0.05 * pairs


def not_utf8(exc: UnicodeDecodeError) -> str:
    """What :func:`read_user_text` refused, for a message: the first byte that is not UTF-8, its
    line and column, and its place in the file.

    >>> try:
    ...     b'[order]\\nid = "M\\xfcller"\\n'.decode("utf-8")
    ... except UnicodeDecodeError as exc:
    ...     print(not_utf8(exc))
    not UTF-8 text (byte 0xFC at line 2, column 8: byte 16 of the file); save it as UTF-8
    """
    if exc.reason == _UTF16_UNMARKED:
        return ("UTF-16 text without a byte-order mark (one byte of each pair 0); save it as UTF-8, or as "
                "UTF-16 with its mark (Notepad's \"Unicode\")")
    data = exc.object if isinstance(exc.object, bytes | bytearray) else b""
    before = bytes(data[:exc.start])
    line = before.count(b"\n") + 1
    column = exc.start - (before.rfind(b"\n") + 1) + 1
    byte = f"byte 0x{data[exc.start]:02X} at " if exc.start < len(data) else ""
    return (f"not UTF-8 text ({byte}line {line}, column {column}: byte {exc.start + 1} of the file); "
            "save it as UTF-8")


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
        make_folder(target.parent)
        tmp, fp = _temp_beside(target, mode, **kw)
        with fp:
            yield fp
            fp.flush()
            os.fsync(fp.fileno())
        os.replace(tmp, target)
        tmp = None
    except ExportError:  # already said (a folder that is a link to nothing), naming what it is about
        raise
    except OSError as exc:
        raise ExportError(f"cannot write: {os_error_why(exc, target)}", file=str(target)) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def os_error_why(exc: OSError, target) -> str:
    """What the system said, and for a name or path too long, which and by how much (a path over
    4096 bytes from ``/`` was "File name too long" naming a short relative path)."""
    said = exc.strerror or str(exc)
    if exc.errno != errno.ENAMETOOLONG or target is None:
        return said
    name = len(os.fsencode(Path(target).name))
    if name > 255:
        return f"{said} (its name is {name} bytes; at most 255)"
    try:
        whole = len(os.fsencode(os.path.abspath(target)))
    except OSError:  # the working folder itself is past the limit
        return said
    if whole >= 4096:
        return f"{said} (the whole path from / is {whole:,} bytes; at most 4,095: write to a shallower " \
               "folder)"
    return said


def check_folder(folder: str | os.PathLike) -> None:
    """Refuse, naming it, a folder to write in that is (or lies under) a symbolic link to
    nothing: a share not mounted, a moved folder. Made with ``mkdir``, it failed with "File
    exists", and ``nest`` said so only after its whole search."""
    folder = Path(folder)
    for p in (folder, *folder.parents):
        if p.is_symlink() and not p.exists():
            raise ExportError(f"cannot write: {p} is a symbolic link to {os.readlink(p)}, which does not "
                              "exist (a share not mounted? a folder moved?)", file=str(folder))


def make_folder(folder: str | os.PathLike) -> None:
    """``mkdir -p folder``, refusing a symbolic link to nothing first (:func:`check_folder`)."""
    check_folder(folder)
    Path(folder).mkdir(parents=True, exist_ok=True)


def _temp_beside(target: Path, mode: str, **kw):
    """``(name, open file)`` of a new temporary file beside ``target``, with the mode the umask
    leaves (mkstemp makes 0600). A signal while it is made waits until its name is known: a
    SIGTERM between the file's making and its name's return left it behind."""
    tmp = fp = None
    sweep(target.parent)  # what a killed process left here
    try:
        with _held_signals():
            fd, tmp = temp_file(target)
            fp = os.fdopen(fd, mode, **kw)
        os.fchmod(fd, 0o666 & ~_umask())
    except BaseException:  # the held signal, delivered here, or a failure: nothing left behind
        if fp is not None:
            fp.close()
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    return tmp, fp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` atomically."""
    mode = "wb" if isinstance(data, bytes) else "w"
    with atomic_open(path, mode) as fp:
        fp.write(data)


class FileSet:
    """Write several files as one: each goes to a temporary name beside its target, and only
    when every one is written are they renamed into place (old files kept as hard links until
    then, and put back if a rename fails). Used as a context manager: leaving the block normally
    commits, an exception discards the temporary files and leaves every old file as it was.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with FileSet() as fs:
    ...     _ = fs.add(d / "a.txt", "A")
    ...     _ = fs.add(d / "b.txt", b"B")
    >>> sorted(p.name for p in d.iterdir())
    ['a.txt', 'b.txt']

    ``remove(path)`` deletes a file once the new set is in place (a file that no longer
    belongs with it; nothing when there is none, or a folder of that name). A folder created
    for the set is removed again if the set is discarded. The set is renamed into place under a
    lock on each folder it writes into (:mod:`kitcut.folder_locks`).
    """

    def __init__(self):
        self._temps: list[tuple[str, Path]] = []
        self._remove: list[Path] = []
        self._made: list[Path] = []

    def __enter__(self):
        return self

    def add(self, path: str | os.PathLike, data: str | bytes) -> Path:
        """Write ``data`` (text as UTF-8, or bytes) to a temporary file beside ``path``."""
        target = Path(path)
        if target.is_dir():
            raise ExportError("cannot write: a folder has this name", file=str(target))
        tmp = None
        try:
            self._mkdir(target.parent)
            tmp, fp = _temp_beside(target, "wb")
            with fp:
                fp.write(data.encode("utf-8") if isinstance(data, str) else data)
                fp.flush()
                os.fsync(fp.fileno())
            self._temps.append((tmp, target))
            tmp = None
        except ExportError:  # already said (a folder that is a link to nothing), naming what it is about
            raise
        except OSError as exc:
            raise ExportError(f"cannot write: {os_error_why(exc, target)}", file=str(target)) from exc
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        return target

    def remove(self, path: str | os.PathLike) -> None:
        """Delete ``path`` when the set is committed."""
        self._remove.append(Path(path))

    def _mkdir(self, folder: Path) -> None:
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        make_folder(folder)
        self._made += [p for p in missing if p not in self._made]

    def discard(self) -> None:
        """Remove the temporary files (and the folders made for them, if empty)."""
        for tmp, _ in self._temps:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self._temps = []
        for folder in self._made:  # deepest first
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._made = []

    def commit(self) -> None:
        """Rename every temporary file onto its target; on a failure put the old files back. A
        Ctrl-C, SIGTERM or SIGHUP meanwhile waits until the set is in place, its backups dropped
        and the files that no longer belong with it removed (:func:`_held_signals`): one in the
        middle left new files beside old ones, and hidden backups; one just after the renames
        left the backups, and an earlier export's cutter files beside the new marker."""
        backups: list[tuple[Path, str | None]] = []
        target = None
        folders = [t.parent for _, t in self._temps] + [p.parent for p in self._remove]
        with folder_locks.held(folders), _held_signals():
            try:
                for _, target in self._temps:
                    backups.append((target, _backup(target)))
                for n, (tmp, target) in enumerate(self._temps):
                    try:
                        os.replace(tmp, target)
                    except BaseException:
                        _restore(backups[:n])
                        raise
            except OSError as exc:
                _drop(backups)
                self.discard()
                raise ExportError(f"cannot write: {os_error_why(exc, target)}", file=str(target)) from exc
            except BaseException:
                _drop(backups)
                self.discard()
                raise
            _drop(backups)
            self._temps = []
            self._made = []
            for path in self._remove:
                if path.is_dir() and not path.is_symlink():
                    continue  # a folder of the name is no file of another set
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    raise ExportError(f"cannot remove: {exc.strerror or exc}", file=str(path)) from exc

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            try:
                self.commit()
            except BaseException:  # waiting for another writer's folder lock: timed out, or Ctrl-C
                self.discard()
                raise
        else:
            self.discard()
        return False


@contextlib.contextmanager
def _held_signals():
    """Hold SIGINT, SIGTERM and SIGHUP (in the main thread) until the block ends, then deliver
    them to the handlers that were in place: a set of files is renamed whole or not at all."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    got: list[int] = []
    old = {}
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            with contextlib.suppress(ValueError, OSError):
                old[sig] = signal.signal(sig, lambda n, _f: got.append(n))
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)
        for n in dict.fromkeys(got):
            signal.raise_signal(n)


def _restore(backups) -> None:
    """Put the old files of ``backups`` back (a target that had none is removed)."""
    for target, old in backups:
        with contextlib.suppress(OSError):
            if old is None:
                os.unlink(target)
            else:
                os.replace(old, target)


def _drop(backups) -> None:
    for _, old in backups:
        if old is not None:
            with contextlib.suppress(OSError):
                os.unlink(old)


def _backup(target: Path) -> str | None:
    """A hard link to ``target`` under a temporary name (``None`` when there is no old file)."""
    if not target.exists():
        return None
    fd, name = temp_file(target, ".old")
    os.close(fd)
    os.unlink(name)
    try:
        os.link(target, name)
    except OSError:  # a file system without hard links: a copy
        shutil.copy2(target, name)
    return name
