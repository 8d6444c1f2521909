"""Fonts for the PDF writers: the core Helvetica for Latin-1 text, a CJK font when a text needs it.

fpdf2's core fonts show Latin-1 only. A text with other characters (前片, 後片, 前身頃, Ünïcode
beyond Latin-1) is drawn in a TrueType/OpenType font with CJK glyphs found on the system
(:data:`FONT_CANDIDATES`; ``KITCUT_CJK_FONT=/path/font.ttf`` or ``/path/fonts.ttc#1`` picks
another), embedded by fpdf2 as a subset of the glyphs used. It is added to a PDF only when a
text needs it, so Latin-1 documents stay as small as before.

Without such a font nothing is dropped: the text is transliterated to ASCII (anyascii:
``前片`` -> ``QianPian``) and :func:`font_note` gives a note the writer prints visibly in the
PDF (and a warning goes to stderr once per process).
"""

from __future__ import annotations

import functools
import os
import warnings
from pathlib import Path

__all__ = ["FONT_CANDIDATES", "CJK_FAMILY", "cjk_font", "use_font", "font_note", "transliterate"]

#: Fonts with CJK glyphs that Debian packages install, in order of preference: (path, face of a
#: TrueType collection). fonts-wqy-microhei is the one `.ci/system-deps` installs.
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
)
CJK_FAMILY = "kitcut-cjk"
ENV = "KITCUT_CJK_FONT"
_MISSING = "_kitcut_font_missing"


def _parse(value: str) -> tuple[str, int]:
    path, _, face = value.partition("#")
    return path, int(face) if face.isdigit() else 0


def cjk_font() -> tuple[str, int] | None:
    """``(path, face)`` of the font used for non-Latin-1 text, ``None`` when none is installed."""
    return _find(os.environ.get(ENV, ""))


@functools.lru_cache(maxsize=8)
def _find(env: str) -> tuple[str, int] | None:
    choices = [_parse(env)] if env else list(FONT_CANDIDATES)
    for path, face in choices:
        if Path(path).is_file() and _loads(path, face):
            return path, face
    return None


def _loads(path: str, face: int) -> bool:
    """True when fpdf2 can use the font (a broken or unsupported file is skipped)."""
    from fpdf import FPDF

    try:
        FPDF().add_font(CJK_FAMILY, "", path, **_face(path, face))
    except Exception:  # noqa: BLE001 - any font fpdf2 cannot read is simply not used
        return False
    return True


def _face(path: str, face: int) -> dict:
    return {"collection_font_number": face} if path.lower().endswith((".ttc", ".otc")) else {}


def transliterate(text: str) -> str:
    """``text`` with every character outside Latin-1 transliterated to ASCII (``?`` when
    anyascii knows none): what a core font can show.

    >>> transliterate("前片 (M) Ärmel")
    'QianPian (M) Ärmel'
    """
    from anyascii import anyascii

    return "".join(c if ord(c) < 256 else (anyascii(c) or "?") for c in text)


def use_font(pdf, text: object, style: str = "", size: float | None = None) -> str:
    """Select on ``pdf`` a font that shows ``text`` (``size`` in points; ``None`` keeps the
    current size) and return the text to draw with it.

    Latin-1 text gets Helvetica (``style`` "", "B", "I"); anything else the CJK font (regular
    only), characters it lacks transliterated; without a CJK font, the transliteration in
    Helvetica, and the PDF is marked for :func:`font_note`.
    """
    text = str(text)
    pt = pdf.font_size_pt if size is None else size
    try:
        text.encode("latin-1")
        pdf.set_font("helvetica", style, pt)
        return text
    except UnicodeEncodeError:
        pass
    font = cjk_font()
    if font is None:
        setattr(pdf, _MISSING, True)
        pdf.set_font("helvetica", style, pt)
        return transliterate(text)
    if CJK_FAMILY not in pdf.fonts:
        pdf.add_font(CJK_FAMILY, "", font[0], **_face(*font))
    pdf.set_font(CJK_FAMILY, "", pt)
    cmap = pdf.fonts[CJK_FAMILY].cmap
    if all(ord(c) in cmap or c.isspace() for c in text):
        return text
    from anyascii import anyascii

    return "".join(c if ord(c) in cmap or c.isspace() else (anyascii(c) or "?") for c in text)


def font_note(pdf) -> str | None:
    """The note a writer must print when texts of ``pdf`` were transliterated for want of a
    CJK font (``None`` when all were shown as they are)."""
    if not getattr(pdf, _MISSING, False):
        return None
    msg = (f"Note: no font with CJK glyphs found (install fonts-wqy-microhei, or set {ENV}); "
           "names outside Latin-1 are transliterated in this PDF.")
    _warn_once(msg)
    return msg


@functools.lru_cache(maxsize=1)
def _warn_once(msg: str) -> None:
    warnings.warn(msg, stacklevel=3)
