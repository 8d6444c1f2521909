"""Where the files an order names are: relative to the order file, inside its folder.

An order written on Windows or macOS finds its files as it would there: backslashes separate
folders, and a name that differs only in case or Unicode normalization (NFC/NFD) finds the one
file it can mean. A path that leaves the order's folder (absolute, ``..``, a symlink out, a
Windows drive) is refused unless the user allows it (:data:`ALLOW_OUTSIDE`). Errors go through
``c.fail(field, message)`` of the order's checker, naming the field.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from kitcut.fileio import os_error_why, special_kind

__all__ = ["ALLOW_OUTSIDE", "inside", "locate"]


def inside(path: Path, folder: Path, allow_outside: bool, c, where: str) -> Path:
    """``path`` (relative to ``folder``) resolved; it must stay inside ``folder``."""
    if "\x00" in str(path) or not str(path).strip():
        c.fail(where, f"{str(path)!r} is not a file name")
    raw = Path(path)
    full = raw if raw.is_absolute() else folder / raw
    if allow_outside:
        return full
    if raw.is_absolute():
        c.fail(where, f"{str(path)!r} is an absolute path: it leaves the order's folder (name the file "
               f"relative to the order file, or give {ALLOW_OUTSIDE})")
    if ".." in raw.parts:
        c.fail(where, f"{str(path)!r} leaves the order's folder (use a path inside it, or give "
               f"{ALLOW_OUTSIDE})")
    real = full.resolve()
    if not real.is_relative_to(folder.resolve()):
        c.fail(where, f"{str(path)!r} leads outside the order's folder (a symlink?; give {ALLOW_OUTSIDE} "
               "to allow it)")
    return full


#: the option of ``nest kit`` and ``nest batch`` that lets orders name files outside their folder
ALLOW_OUTSIDE = "--allow-outside"
#: a Windows path with a drive: ``C:\Users\x\tee.dxf``, ``d:/patterns/tee.dxf``
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def _windows_drive(text: str, allow_outside: bool, c, where: str) -> None:
    """A path such as ``C:\\Users\\x\\tee.dxf`` is absolute where it was written: outside the
    order's folder, and no file this machine can open."""
    if not _WINDOWS_DRIVE.match(text):
        return
    shown = f"'{text}'" if text.isprintable() and "'" not in text else repr(text)  # backslashes as typed
    if allow_outside:
        c.fail(where, f"{shown} is a Windows path on drive {text[:2]}, which this machine cannot open: "
               "name the file relative to the order file")
    c.fail(where, f"{shown} is an absolute (Windows) path: it leaves the order's folder (name the file "
           f"relative to the order file, or give {ALLOW_OUTSIDE})")


def _fold(name: str) -> str:
    """``name`` as Windows and macOS compare file names: without case, and composed characters
    equal to decomposed ones (``ü`` typed as ``u`` + ``◌̈``, as macOS writes names: NFD)."""
    return unicodedata.normalize("NFC", name.casefold())


def _any_case(root: Path, rel: Path) -> tuple[Path | None, list[Path]]:
    """``root / rel`` with each missing part of ``rel`` matched to the one entry of its folder
    that differs only in case or Unicode normalization (NFC/NFD), as Windows and macOS find
    files; ``None`` when none or several do, with the several (an order cannot tell them apart)."""
    cur = root
    for part in rel.parts:
        nxt = cur / part
        if not nxt.exists():
            try:
                hits = sorted(e.name for e in os.scandir(cur) if _fold(e.name) == _fold(part))
            except OSError:
                return None, []
            if len(hits) != 1:
                return None, [cur / h for h in hits]
            nxt = cur / hits[0]
        cur = nxt
    return cur, []


def locate(text: str, folder: Path, allow_outside: bool, c, where: str, what: str) -> Path:
    """The file an order names: ``text`` relative to ``folder`` (and inside it, see
    :func:`inside`). An order written on Windows finds its files as it would there:
    backslashes separate folders, and a name that differs only in case finds the one file it
    can mean. A name the system cannot look up (over 255 bytes) is the field's error, naming it
    (it was "File name too long" without the field, and a traceback to a caller of the API)."""
    try:
        return _locate(text, folder, allow_outside, c, where, what)
    except OSError as exc:
        shown = text if len(text) <= 60 else f"{text[:40]}…{text[-12:]}"
        c.fail(where, f"{what} '{shown}' cannot be looked up: {os_error_why(exc, folder / text)}")


def _locate(text: str, folder: Path, allow_outside: bool, c, where: str, what: str) -> Path:
    _windows_drive(text, allow_outside, c, where)
    path = inside(Path(text), folder, allow_outside, c, where)
    if path.is_file():
        return path
    given = Path(text.replace("\\", "/"))
    full = inside(given, folder, allow_outside, c, where)
    root = Path(given.anchor) if given.is_absolute() else folder
    found, several = (full, []) if full.is_file() else _any_case(root, full.relative_to(root))
    if several:
        c.fail(where, f"{what} '{text}' could be any of {', '.join(str(p) for p in several)}: names that "
                      "differ only in case are one file on Windows and macOS; give the name as it is written")
    if found is None or not found.is_file():
        if full.is_dir():
            c.fail(where, f"{what} '{text}' is a folder ({full}), not a file: name the file in it")
        if full.exists():  # a named pipe, a device: reading it would wait for ever
            c.fail(where, f"{what} '{text}' is {special_kind(full.stat().st_mode)} ({full}), not a file")
        c.fail(where, f"{what} '{text}' not found (looked for {path})")
    return inside(found if given.is_absolute() else found.relative_to(folder), folder, allow_outside, c,
                   where)
