"""Text in fixed-width columns (plain-text lists, terminal tables) measured in character cells:
a CJK character takes two cells, so padding by ``len`` misaligns the columns of names written
in Chinese or Japanese.

>>> ljust("前片", 6) + "|", ljust("Front", 6) + "|"
('前片  |', 'Front |')

A name may hold a tab or a line break (a DXF text can): :func:`one_line` shows it on one
line, as spaces, so that it takes the cells it is measured by.

A text too long for its room is shortened with :data:`ELLIPSIS` by :func:`shorten`, whatever
measures it (a PDF font's widths on a label sheet, a plotter's character cells on a piece).
"""

from __future__ import annotations

import codecs
import unicodedata

from rich.cells import cell_len

__all__ = ["ljust", "one_line", "no_controls", "escaped", "counted", "shorten", "shown_name", "ELLIPSIS"]

#: What stands for the characters :func:`shorten` leaves out (ASCII: plotters and PDF core
#: fonts have no ``…``).
ELLIPSIS = "..."


def one_line(text: str) -> str:
    """``text`` with tabs, line breaks and other control characters as spaces.

    >>> one_line("Sleeve\\tTab\\nx")
    'Sleeve Tab x'
    """
    if text.isprintable():
        return text
    return "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


#: the control characters (Unicode's Cc: C0, DEL, C1) but tab and line feed, as spaces
_CONTROLS = {c: " " for c in [*range(0, 9), *range(11, 32), *range(127, 160)]}


def no_controls(text: str) -> str:
    """``text`` with its control characters but line breaks and tabs as spaces: a note of several
    lines keeps them, a NUL or an ESC (which repaints the terminal that shows the file) goes.

    >>> no_controls("Hem 2 cm\\nno label\\x00\\x1b[31m")
    'Hem 2 cm\\nno label  [31m'
    """
    return text if text.isprintable() else text.translate(_CONTROLS)


def _cp1252_bytes(err: UnicodeDecodeError):
    bad = err.object[err.start:err.end]
    return bad.decode("cp1252", errors="backslashreplace"), err.end


codecs.register_error("kitcut.cp1252", _cp1252_bytes)


def shown_name(text: str) -> str:
    """A file name as it can be written anywhere (a log, a page, a PDF): a name whose bytes are
    not UTF-8 (a Windows share's or a Latin-1 ZIP's ``Best\\xfcllung.toml``, which Python keeps as
    lone surrogates that no UTF-8 file can hold) with those bytes read as Windows-1252.

    >>> shown_name("Best\\udcfcllung.toml"), shown_name("前片.toml")
    ('Bestüllung.toml', '前片.toml')
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "kitcut.cp1252")


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


def shorten(text: str, fits, keep: str = "") -> str | None:
    """``text + keep`` when ``fits`` it (a function of the text to show), else the longest start
    of ``text`` followed by :data:`ELLIPSIS` and ``keep`` whole that fits (``keep`` is what must
    show: a size, a piece's name); ``None`` when not even ``ELLIPSIS + keep`` fits.

    >>> shorten("Poloshirt Classic", lambda t: len(t) <= 16, " L #1")
    'Poloshir... L #1'
    >>> shorten("order/garment", lambda t: len(t) <= 12, "/Back (M)"), shorten("x", lambda t: False)
    ('.../Back (M)', None)
    """
    if fits(text + keep):
        return text + keep
    head = text.rstrip()

    def shown(k: int) -> str:
        return head[:k].rstrip() + ELLIPSIS + keep

    if not fits(shown(0)):
        return None
    return shown(_longest(len(head), lambda k: fits(shown(k))))


def _longest(n: int, ok) -> int:
    """The largest ``k`` in 0..n with ``ok(k)``, for an ``ok`` true up to some ``k`` and false
    after it (a text's start that still fits); 0 when only the empty start does."""
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo
