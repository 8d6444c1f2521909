"""What a file that is not a DXF is, from its first bytes, and what to do instead.

A pattern maker who gives ``nest`` the CAD's own drawing (DWG), the archive a pattern came in
(ZIP), a Valentina/Seamly2D pattern (XML), a cutter file (HPGL), a PDF or a scan learns which
of these it is and how to get the DXF, not merely that it is not one.
"""

from __future__ import annotations

import re

__all__ = ["describe_other"]

#: DWG version strings and the AutoCAD release that introduced them.
_DWG_RELEASES = {"AC1.40": "1.40", "AC1.50": "2.05", "AC1009": "R11/R12", "AC1012": "R13", "AC1014": "R14",
                 "AC1015": "2000", "AC1018": "2004", "AC1021": "2007", "AC1024": "2010", "AC1027": "2013",
                 "AC1032": "2018"}

_EXPORT = "export the pattern as DXF (AAMA/ASTM, or plain) from the pattern CAD"
#: HPGL's first command: IN; or DF; or a pen command with its number
_HPGL = re.compile(rb"^(?:(?:IN|DF)\s*;|(?:PU|PD|PA|SP|SC|IP)\s*-?\d)", re.I)
#: an HP device-control escape before it (``ESC.(``, ``ESC.I81;;17:``)
_ESCAPE = re.compile(rb"\x1b\.[A-Za-z()@]?[\d;]*:?")


def describe_other(head: bytes) -> str | None:
    """A sentence saying what the file starting with ``head`` is and what to do, or None when
    it is nothing kitcut recognises (the reader then says it is not a DXF)."""
    if len(head) >= 6 and head[:6].decode("latin-1") in _DWG_RELEASES:
        release = _DWG_RELEASES[head[:6].decode("latin-1")]
        return (f"a DWG drawing (AutoCAD {release} format), not a DXF: save it as DXF in the CAD, or "
                "convert it (e.g. with the ODA File Converter)")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return ("a ZIP archive (a pattern export, a CLO .zprj?), not a DXF: unpack it and give the DXF "
                "inside, or " + _EXPORT)
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return "a compressed archive, not a DXF: unpack it and give the DXF inside"
    if head.startswith(b"%PDF"):
        return "a PDF document, not a DXF: kitcut needs the pattern's vectors; " + _EXPORT
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")):
        return ("an image, not a DXF: kitcut needs the pattern as vectors (a scan must be digitised "
                "first); " + _EXPORT)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[2:].decode("utf-16-le" if head[:2] == b"\xff\xfe" else "utf-16-be", errors="replace")
        if text.lstrip().startswith(("0", "999")):
            return ("a DXF saved as UTF-16 text (by a text editor?): kitcut reads DXF as the CAD writes it; "
                    "save it again from the CAD, or as UTF-8 or ANSI")
        return None
    stripped = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith(b"<"):
        low = stripped[:400].lower()
        if b"<pattern" in low or b"<vit" in low or b"<vst" in low or b"seamly" in low or b"valentina" in low:
            return ("a Valentina/Seamly2D file (XML), not a DXF: export the pattern's layout as DXF (AAMA) "
                    "from Valentina or Seamly2D")
        if b"<svg" in low:
            return "an SVG drawing, not a DXF: " + _EXPORT
        return "an XML or HTML file, not a DXF: " + _EXPORT
    if _HPGL.match(_ESCAPE.sub(b"", stripped[:80]).lstrip(b" ;:\r\n")):
        return ("an HPGL plot file (a plotter or cutter file, a marker already made), not a pattern DXF: "
                + _EXPORT)
    return None
