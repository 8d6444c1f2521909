"""Text in fixed-width columns (plain-text lists, terminal tables) measured in character cells:
a CJK character takes two cells, so padding by ``len`` misaligns the columns of names written
in Chinese or Japanese.

>>> ljust("前片", 6) + "|", ljust("Front", 6) + "|"
('前片  |', 'Front |')

A name may hold a tab or a line break (a DXF text can): :func:`one_line` shows it on one
line, as spaces, so that it takes the cells it is measured by.
"""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len

__all__ = ["ljust", "one_line", "escaped", "counted"]


def one_line(text: str) -> str:
    """``text`` with tabs, line breaks and other control characters as spaces.

    >>> one_line("Sleeve\\tTab\\nx")
    'Sleeve Tab x'
    """
    if text.isprintable():
        return text
    return "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


def escaped(text: str) -> str:
    """``text`` with its control characters written as escapes (``\\n``, ``\\t``, ``\\x1b``), for a
    name inside a one-line message or log line: the line stays one line and the name can be told.

    >>> escaped("jer\\nsey")
    'jer\\\\nsey'
    """
    if text.isprintable():
        return text
    return "".join(repr(c)[1:-1] if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


def ljust(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` cells (as ``str.ljust`` pads to characters)."""
    return text + " " * max(0, width - cell_len(text))


def counted(n: int, word: str) -> str:
    """``n`` and ``word``, plural unless ``n`` is 1 (the words of kit pages and lists).

    >>> counted(1, "bundle"), counted(4, "bundle")
    ('1 bundle', '4 bundles')
    """
    return f"{n} {word}" + ("" if n == 1 else "s")
