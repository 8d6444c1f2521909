"""Opening a DXF: its bytes checked to be a whole drawing (padding, a missing ``EOF``, text
after it, blank-padded lines and off-standard binary DXF mended and said; a truncated file
refused), then ezdxf's strict reader, falling back to its recovering one for damaged files such as
CLO's. What ezdxf logs on the way goes to the import report."""

from __future__ import annotations

import re
from pathlib import Path

from kitcut.errors import DXFFormatError, InputError
from kitcut.fileio import read_input
from kitcut.formats.reading.binary_dxf import mend_binary
from kitcut.formats.reading.encoding import TextDecision, transcode
from kitcut.formats.reading.library_log import LibraryLog
from kitcut.formats.reading.other_files import describe_other
from kitcut.model import ImportReport

__all__ = ["has_header_section", "looks_like_dxf", "open_dxf", "read_bytes"]


def looks_like_dxf(head: bytes) -> bool:
    """True when ``head`` (the first bytes of a file) starts like an ASCII or binary DXF."""
    if head.startswith(b"AutoCAD Binary DXF"):
        return True
    text = head.lstrip(b"\xef\xbb\xbf").decode("latin-1")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return len(lines) >= 2 and lines[0] in ("0", "999") and (lines[0] == "999" or lines[1] == "SECTION")


#: A file whose lines end in blanks: the first section's name padded.
_PADDED = re.compile(rb"(?:\A|[\r\n])[ \t]*0[ \t]*(?:\r\n|\r|\n)[ \t]*SECTION[ \t]+(?:\r\n|\r|\n)")
_TRAILING = re.compile(rb"[ \t]+(\r\n|\r|\n)")
#: The start of the HEADER section (group code 2, then HEADER).
_HEADER = re.compile(rb"(?:\A|[\r\n])[ \t]*2[ \t]*(?:\r\n|\r|\n)[ \t]*HEADER[ \t]*(?:[\r\n]|\Z)")
#: The end of a DXF: group code 0, then EOF (anything after it is not part of the drawing).
_EOF_LINE = re.compile(rb"(?:\A|[\r\n])[ \t]*0[ \t]*(?:\r\n|\r|\n)[ \t]*EOF[ \t]*(?=[\r\n]|\Z)")
#: bytes some systems leave after the last line: NUL padding, the DOS end-of-file mark (Ctrl-Z)
_PADDING = b"\x00\x1a \t\r\n"


def has_header_section(data: bytes) -> bool:
    """True when the DXF ``data`` has a HEADER section (a binary DXF is taken to have one): a file
    of entities alone declares no units, whatever ezdxf's defaults say."""
    return data.startswith(b"AutoCAD Binary DXF") or _HEADER.search(data) is not None


def read_bytes(path, file: str, report: ImportReport) -> tuple[bytes, bool]:
    """``(data, mended)``: the file's bytes, checked to be a whole DXF.

    A file padded after its ``EOF`` (NUL bytes, Ctrl-Z) is read without the padding, and one
    that ends right after a complete section but lacks the ``EOF`` line is read as if it were
    there; text after the EOF marker is left out; a file whose every line ends in blanks is read
    without them. Each is reported, and ``mended`` says the bytes differ from the file's. A file
    that stops inside a section is refused as truncated."""
    p = Path(path)
    try:
        data = read_input(p)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=file) from None
    if not data:
        raise DXFFormatError("empty file (0 bytes), not a DXF", file=file)
    if not looks_like_dxf(data[:512]):
        other = describe_other(data[:512])
        raise DXFFormatError(other or "not a DXF file (it does not start with a DXF section)", file=file)
    if data.startswith(b"AutoCAD Binary DXF"):
        if not data.rstrip(b"\x00\x1a").endswith(b"EOF"):
            raise DXFFormatError("truncated binary DXF: the file ends without the EOF marker (cut short in "
                                 "copying or saving?)", file=file)
        mended = mend_binary(data)
        if mended is None:
            return data, False
        report.warn(f"binary DXF written with {mended[1]}, off the standard (libdxfrw's writer, as in "
                    "Valentina and LibreCAD): read as the text DXF it stands for")
        return mended[0], True
    padded = _PADDED.search(data[:4096]) is not None
    if padded:  # ``SECTION  ``: ezdxf knows no such name, and read nothing
        data = _TRAILING.sub(rb"\1", data)
        report.warn("the file's lines end in blanks (the names of its sections and entities padded): read "
                    "without them")
    data, mended = _whole(data, file, report)
    return data, mended or padded


def _whole(data: bytes, file: str, report: ImportReport) -> tuple[bytes, bool]:
    """``(data, mended)``: a text DXF's bytes ending at its EOF marker (see :func:`read_bytes`)."""
    body = data.rstrip(_PADDING)
    if (m := _EOF_LINE.search(body)) is not None and body[m.end():].strip(_PADDING):
        rest = body[m.end():].strip(_PADDING)  # a note, or a second drawing, after the first EOF
        shown = " ".join(rest[:80].decode("latin-1").split())[:40]
        report.warn(f"{len(data) - m.end()} byte(s) after the EOF marker (starting {shown!r}): ignored; the "
                    "drawing ends at EOF")
        return body[:m.end()] + b"\n", True
    lines = [ln.strip() for ln in body[-256:].decode("latin-1").splitlines() if ln.strip()]
    last = lines[-1].upper() if lines else ""
    if last == "EOF":
        if len(body) == len(data.rstrip(b" \t\r\n")):
            return data, False
        report.warn(f"{len(data) - len(body)} byte(s) of padding after the EOF marker (NUL or Ctrl-Z): "
                    "ignored")
        return body + b"\n", True
    if last == "ENDSEC" and len(lines) >= 2 and lines[-2] == "0":
        report.warn("the file ends after a complete section but without the EOF marker: read as if it "
                    "were there; check that every piece is listed")
        return body + b"\n0\nEOF\n", True
    tail = lines[-1][:40] if lines else ""
    raise DXFFormatError(f"truncated DXF: the file ends without the EOF marker (last line {tail!r})",
                         file=file)


def _has_modelspace(doc) -> bool:
    try:
        doc.modelspace()
    except Exception:  # noqa: BLE001 - a damaged layout table (e.g. a renamed *MODEL_SPACE)
        return False
    return True


def open_dxf(path, report: ImportReport, *, file: str, text: TextDecision | None = None,
             data: bytes | None = None, mended: bool = False):
    """The ezdxf document of ``path`` (strict reader first, then the recovering one);
    :class:`DXFFormatError` when the file cannot be read.

    ``text`` is the encoding decided for the file's texts (:mod:`kitcut.formats.reading.encoding`):
    the strict reader decodes with it; the recovering reader, which takes no encoding, reads
    ``data`` with its texts rewritten as ``\\U+XXXX`` escapes. ``mended``: ``data`` differs
    from the file (see :func:`read_bytes`) and is what both readers read. What ezdxf logs on
    the way is reported (:class:`~kitcut.formats.reading.library_log.LibraryLog`), not printed."""
    with LibraryLog(report):
        return _open_dxf(path, report, file=file, text=text, data=data, mended=mended)


def _open_dxf(path, report: ImportReport, *, file: str, text: TextDecision | None, data: bytes | None,
              mended: bool):
    import io
    import tempfile

    import ezdxf
    from ezdxf import recover

    codec = text.codec if text is not None and text.rule != "ascii" else None
    if data is None and not mended:
        data = read_input(path)
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark (its texts were decided as UTF-8 by it):
        data, mended = data[3:], True  # ezdxf's strict reader stumbled on it ("damaged DXF, 0 fixes")
    try:
        if mended:
            with tempfile.TemporaryDirectory(prefix="kitcut-") as tmp:
                copy = Path(tmp) / "mended.dxf"
                copy.write_bytes(data)
                doc = ezdxf.readfile(str(copy), encoding=codec, errors="replace")
        else:
            doc = ezdxf.readfile(str(path), encoding=codec, errors="replace")
        if _has_modelspace(doc):
            return doc
    except Exception:  # noqa: BLE001 - any strict-reader failure: try the recovering reader
        pass
    try:
        if codec is not None:
            raw = data if data is not None else read_input(path)
            doc, auditor = recover.read(io.BytesIO(transcode(raw, text)), errors="replace")
        elif mended:
            doc, auditor = recover.read(io.BytesIO(data), errors="replace")
        else:
            doc, auditor = recover.readfile(str(path), errors="replace")
    except Exception as exc:  # noqa: BLE001
        raise DXFFormatError(f"not a readable DXF ({type(exc).__name__}: {exc})", file=file) from None
    if not _has_modelspace(doc):
        raise DXFFormatError("not a readable DXF (no model space layout)", file=file)
    report.warn(f"damaged DXF read by the recovering reader ({len(auditor.fixes)} fix(es), "
                f"{len(auditor.errors)} error(s))")
    for fix in auditor.fixes[:20]:
        report.warn(f"recovered: {fix.message}")
    return doc
