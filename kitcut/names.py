"""File and folder names every system can hold, shared by the layers that make them (the export
stem, order ids, fabric folders).

Windows cannot create a file or folder named after a device (``CON``, ``PRN``, ``AUX``, ``NUL``,
``COM0``-``COM9``, ``LPT0``-``LPT9``) in any case, with any extension, or with dots or spaces
after the name (Windows drops them): ``con``, ``aux.txt``, ``NUL .json``, ``lpt1.`` are all the
device. Kits and markers are copied to Windows shares and USB sticks, so kitcut refuses them.

>>> windows_device("aux.txt"), windows_device("Con "), windows_device("console")
('AUX', 'CON', None)
"""

from __future__ import annotations

__all__ = ["RESERVED", "windows_device", "windows_safe"]

#: names Windows cannot give a file or folder, with any extension (``aux.txt``), in any case
RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                      *(f"LPT{i}" for i in range(10))})


def windows_device(name: str) -> str | None:
    """The Windows device ``name`` stands for (``"CON"``), or ``None`` for a name Windows can hold."""
    base = name.split(".")[0].rstrip(" .").upper()
    return base if base in RESERVED else None


#: characters a Windows file name cannot hold
NOT_ON_WINDOWS = frozenset(':*?"<>|\\/')


def windows_safe(name: str, default: str = "pattern") -> str:
    """``name`` as a file or folder name Windows can hold too: its forbidden characters as ``-``,
    no dots or spaces at either end, ``_`` before a device's name; ``default`` for nothing left.

    >>> windows_safe("CON"), windows_safe("a:b"), windows_safe("tee "), windows_safe("..")
    ('_CON', 'a-b', 'tee', 'pattern')
    >>> windows_safe("前片 v2")
    '前片 v2'
    """
    s = "".join("-" if c in NOT_ON_WINDOWS or ord(c) < 32 else c for c in name).strip(" .")
    if windows_device(s):
        s = "_" + s
    return s or default
