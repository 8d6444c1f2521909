"""The text of a ``.RUL`` grade rule table from its bytes.

UTF-16 with its byte-order mark (Notepad's "Unicode"), or without it (every other byte of its
keys zero), and UTF-8 are recognised by their bytes.
Anything else is in the code page of the CAD that wrote it, which wrote the pattern too: the
encoding decided for the pattern DXF's texts (declared, detected or ``--encoding``) is used when
it decodes the table, else the table's own texts are detected as a DXF's are
(:mod:`kitcut.formats.reading.encoding`), else cp1252. ``--encoding`` applies to the table as to
the DXF. A table of GBK size names (``小 中 大``) read as cp1252 was refused: its sample size
matched no size of the pattern.
"""

from __future__ import annotations

from kitcut.errors import GradeRuleError
from kitcut.formats.reading.encoding import decide_encoding, narrow_name
from kitcut.model import ImportReport

__all__ = ["decode_rul"]


def _clean(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _utf16_unmarked(data: bytes) -> str | None:
    """The text of UTF-16 written without its byte-order mark (as a script may save it): every
    other byte of the head zero, as the ASCII of a table's keys leaves it; else ``None``."""
    head = data[:512]
    if len(data) % 2 or len(head) < 8:
        return None
    for codec, zeros in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        if zeros.count(0) >= 0.9 * len(zeros):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return None
            return None if "\x00" in text else text
    return None


def decode_rul(data: bytes, *, file: str, like: str | None = None, forced: str | None = None
               ) -> tuple[str, str | None]:
    """``(text, note)``: the table's text, and how it was decoded when that needed a choice.
    ``like``: the codec of the pattern's texts; ``forced``: the user's ``--encoding``."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise GradeRuleError(f"starts with a UTF-16 byte-order mark but is not UTF-16 text (at byte "
                                 f"{exc.start + 1} of the file): save it as UTF-8 or UTF-16",
                                 file=file) from None
        if "\x00" in text:
            raise GradeRuleError("not a grade rule table (a binary file)", file=file)
        return text, None
    if b"\x00" in data[:4096]:
        if (text := _utf16_unmarked(data)) is not None:
            order = "LE" if data[1] == 0 else "BE"
            return text, f"decoded as UTF-16 {order} (no byte-order mark)"
        raise GradeRuleError("not a grade rule table (a binary file)", file=file)
    if data.isascii():
        return data.decode("ascii"), None
    if data.startswith(b"\xef\xbb\xbf") and _clean(data, "utf-8-sig"):
        return data.decode("utf-8-sig"), None
    if forced:
        bad = "" if _clean(data, forced) else " (bytes that are not " + forced + " shown as U+FFFD)"
        return data.decode(forced, "replace"), f"decoded as {forced} (--encoding){bad}"
    if _clean(data, "utf-8-sig"):
        return data.decode("utf-8-sig"), None
    if like and _clean(data, like):
        # named as the pattern's remark names it (gbk, not the gb18030 that reads it)
        name = narrow_name(like, data.splitlines())
        return data.decode(like), f"decoded as {name}, the encoding of the pattern's texts"
    decision = decide_encoding(data, report=ImportReport())
    if decision is not None and decision.rule == "detected":
        return data.decode(decision.codec, "replace"), \
            f"decoded as {decision.name}, detected (confidence {decision.confidence:.2f})"
    return data.decode("cp1252", "replace"), "decoded as cp1252: neither UTF-8 nor any encoding detected"
