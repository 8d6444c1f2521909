"""Names an order turns into folders and text: its id (the kit's folder), fabric folder names,
and its due date.

Kits are mailed and copied to USB sticks and Windows shares, so an order id must be a folder
name every system can hold: ASCII letters, digits, ``-``, ``_`` and ``.``, no ``..``, not ending
with ``.`` (Windows drops it), and not a Windows device name (``CON``, ``NUL``, ``aux.txt``).
Fabric and garment folders are made safe instead (:func:`slug`: ``CON`` -> ``_CON``), as they
are not typed by anyone looking for them.
"""

from __future__ import annotations

import datetime as dt
import re

from kitcut.errors import OrderError
from kitcut.names import RESERVED, windows_device

__all__ = ["check_order_id", "slug", "check_due", "BATCH_FILES", "RESERVED"]

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

#: files a batch writes beside the kits: no kit folder may take their name
BATCH_FILES = frozenset({"index.html", "batch.log", "batch-report.json"})


def check_order_id(value, *, file: str | None = None) -> str:
    """Return ``value`` if it is a safe order id (a folder name), else raise :class:`OrderError`.

    Allowed: ASCII letters, digits, ``-``, ``_`` and ``.``, at most 100, starting with a letter
    or digit (so never ``.``, ``..``, a hidden name, a path or an empty string), without ``..``,
    not ending with ``.``, and not a Windows device name.

    >>> check_order_id("A-1042")
    'A-1042'
    """
    if not isinstance(value, str):
        raise OrderError(f"order.id: must be a string, got {type(value).__name__}", file=file)
    if not _ID_RE.match(value):
        raise OrderError(
            f"order.id: {value!r} is not allowed: use 1-100 ASCII letters, digits, '-', '_' or '.', "
            "starting with a letter or digit", file=file)
    if ".." in value or value.endswith("."):
        raise OrderError(f"order.id: {value!r} is not allowed: no '..' and no '.' at the end (Windows "
                         "drops it from a folder name)", file=file)
    if windows_device(value):
        raise OrderError(f"order.id: {value!r} is not allowed: {windows_device(value)} is a device "
                         "name, not a folder Windows can hold (CON, PRN, AUX, NUL, COM0-9, LPT0-9, also "
                         "with an extension), and kits are copied to Windows machines: choose another id",
                         file=file)
    if value.casefold() in BATCH_FILES:
        raise OrderError(f"order.id: {value!r} is the name of a file every batch writes into the kits "
                         f"folder ({', '.join(sorted(BATCH_FILES))}): choose another id", file=file)
    return value


def slug(name: str) -> str:
    """A safe folder name for a fabric or garment name, in ASCII letters as it sounds:
    ``"Rib knit"`` -> ``"Rib-knit"``, ``"Jersey weiß"`` -> ``"Jersey-weiss"``, ``"里布"`` ->
    ``"LiBu"`` (two fabrics named in Chinese were both ``fabric``)."""
    from anyascii import anyascii

    s = re.sub(r"[^A-Za-z0-9._-]+", "-", anyascii(name)).strip("-.")[:60].rstrip("-.")
    if windows_device(s):  # names Windows cannot hold (a kit copied to a share)
        s = "_" + s
    return s or "fabric"


def check_due(value, fail) -> str:
    """``order.due`` as ``YYYY-MM-DD``: a TOML date, or a string holding a real date; else
    ``fail(field, message)``."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError as exc:
            fail("order.due", f"{value!r} is not a real date ({exc})")
    fail("order.due", f"must be a date YYYY-MM-DD, got {value!r}")
    raise AssertionError  # fail raises
