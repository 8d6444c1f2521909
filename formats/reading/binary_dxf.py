"""Binary DXF files written off the standard, read as their text equivalent.

A binary DXF is a stream of tags: a group code (one byte in R12, two bytes from R13 on), then
a value whose size the group code fixes (strings end in NUL; booleans, codes 290-299, are one
byte). libdxfrw, the DXF library of Valentina and LibreCAD, writes two-byte group codes in R12
files too and two-byte booleans in every version; a reader that follows the standard loses its
place after the first such tag (and it writes the dates of the header, doubles, as text).
:func:`mend_binary` finds the layout a file was written in and, when it is not the standard
one, turns the file into the text DXF it stands for, its strings kept byte for byte (their
encoding is decided afterwards, as for any text DXF).

>>> mend_binary(b"AutoCAD Binary DXF\\r\\n\\x1a\\x00\\x00EOF\\x00") is None  # a standard R12 file
True
"""

from __future__ import annotations

import re
import struct

__all__ = ["SENTINEL", "mend_binary"]

#: The first bytes of every binary DXF.
SENTINEL = b"AutoCAD Binary DXF\r\n\x1a\x00"
_NAME = re.compile(rb"[A-Za-z_$][A-Za-z0-9_$]*\Z")
#: A number written as a string where a double belongs (libdxfrw writes dates so).
_NUMBER = re.compile(rb"([-+]?[0-9]{4,}(?:\.[0-9]*)?)\x00")
_HEADER_TAGS = 4000  # tags read to tell the layout: the HEADER section and a little more


def _types():
    from ezdxf.lldxf.types import BINARY_DATA, BYTES, DOUBLE, INT16, INT32, INT64

    return BINARY_DATA, BYTES, DOUBLE, INT16, INT32, INT64


def _tags(data: bytes, wide_codes: bool, wide_bools: bool, limit: int | None = None):
    """``(code, value)`` of each tag (strings as bytes), read with the given layout; raises
    ``ValueError`` where the layout stops making sense (an unknown group code, an entity type
    that is no name, the data ending inside a tag)."""
    binary, bools, double, int16, int32, int64 = _types()
    unpack = struct.unpack_from
    i, n, count = len(SENTINEL), len(data), 0
    while i < n:
        if limit is not None and count >= limit:
            return
        count += 1
        if wide_codes:
            code = data[i] | (data[i + 1] << 8) if i + 1 < n else -1
            i += 2
        elif data[i] == 255:
            code = data[i + 1] | (data[i + 2] << 8) if i + 2 < n else -1
            i += 3
        else:
            code = data[i]
            i += 1
        if not 0 <= code <= 1071 or i > n:
            raise ValueError(f"group code {code} at byte {i}")
        if code in binary:
            size = data[i] if i < n else 0
            value: object = data[i + 1:i + 1 + size]
            i += 1 + size
        elif code in bools:
            value, i = data[i] if i < n else 0, i + (2 if wide_bools else 1)
        elif code in int16:
            value, i = unpack("<h", data, i)[0], i + 2
        elif code in double:
            if wide_bools and (m := _NUMBER.match(data, i)) is not None:
                value, i = float(m.group(1)), m.end()  # a date written as text ($TDCREATE)
            else:
                value, i = unpack("<d", data, i)[0], i + 8
        elif code in int32:
            value, i = unpack("<i", data, i)[0], i + 4
        elif code in int64:
            value, i = unpack("<q", data, i)[0], i + 8
        else:
            end = data.find(b"\x00", i)
            if end < 0:
                raise ValueError(f"string without its end at byte {i}")
            value, i = data[i:end], end + 1
            if code == 0 and not _NAME.match(value):
                raise ValueError(f"entity type {value[:20]!r} at byte {i}")
        if i > n:
            raise ValueError("the data ends inside a tag")
        yield code, value


def _readable(data: bytes, wide_codes: bool, wide_bools: bool) -> bool:
    """The first tags (the HEADER section) read sensibly in this layout."""
    try:
        for _ in _tags(data, wide_codes, wide_bools, _HEADER_TAGS):
            pass
    except (ValueError, struct.error, IndexError):
        return False
    return True


def _text(data: bytes, wide_codes: bool, wide_bools: bool) -> bytes:
    out = []
    for code, value in _tags(data, wide_codes, wide_bools):
        if isinstance(value, bytes):
            if code in _types()[0]:
                value = value.hex().upper().encode()
            else:
                value = value.replace(b"\r", b" ").replace(b"\n", b" ")
        elif isinstance(value, float):
            value = repr(value).encode()
        else:
            value = str(value).encode()
        out.append(b"%3d\n%s" % (code, value))
    return b"\n".join(out) + b"\n"


def mend_binary(data: bytes) -> tuple[bytes, str] | None:
    """``None`` for a binary DXF in the standard layout (or one no layout reads: the DXF reader
    then says what is wrong); else ``(text, what)``: the file as a text DXF and what was off
    the standard, for the report."""
    r12 = b"AC1009" in data[:1024] or b"$ACADVER" not in data[:1024]
    if _readable(data, not r12, False):
        return None
    for wide_codes, wide_bools in ((True, True), (True, False), (False, True)):
        if (wide_codes, wide_bools) == (not r12, False) or not _readable(data, wide_codes, wide_bools):
            continue
        try:
            text = _text(data, wide_codes, wide_bools)
        except (ValueError, struct.error, IndexError):
            continue
        what = [w for w, on in (("two-byte group codes in an R12 file", wide_codes and r12),
                                ("two-byte boolean values (group codes 290-299)", wide_bools)) if on]
        return text, " and ".join(what)
    return None
