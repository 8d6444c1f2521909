"""Fonts for the PDF writers: the core Helvetica for Latin-1 text, Unicode fonts when a text needs them.

fpdf2's core fonts show Latin-1 only. A text with other characters (前片, 後片, 前身頃, Ünïcode
beyond Latin-1) is drawn in a TrueType/OpenType font with CJK glyphs found on the system
(:data:`FONT_CANDIDATES`; ``KITCUT_CJK_FONT=/path/font.ttf`` or ``/path/fonts.ttc#1`` picks
another), embedded by fpdf2 as a subset of the glyphs used. A character that font lacks
(Arabic, Hebrew, emoji, rare CJK such as 㐀 and 𠮷) is drawn, run by run, in the first of
:data:`FALLBACK_CANDIDATES` that has it (fpdf2's fallback fonts). Fonts are added to a PDF only
when a text needs them, so Latin-1 documents stay as small as before. Texts are drawn in
Unicode normal form C (a decomposed ``Vừa`` has no glyph for its combining marks).

Nothing is dropped: a character no font on the system has, and a right-to-left or shaped script
(:data:`SHAPED_SCRIPTS`), is transliterated (anyascii:
``前片`` -> ``QianPian``, ``?`` when there is none), and :func:`font_note` gives a note naming
each text so drawn, which the writer prints visibly in the PDF; the same note goes to stderr
once per process.
"""

from __future__ import annotations

import functools
import os
import unicodedata
import warnings
from pathlib import Path

from kitcut.cells import escaped

__all__ = ["note_text", "FONT_CANDIDATES", "FALLBACK_CANDIDATES", "SHAPED_SCRIPTS", "CJK_FAMILY", "cjk_font",
           "use_font", "draw_text", "font_note", "transliterate", "transliterated", "shown_text", "pdf_label"]

#: Fonts with CJK glyphs that Debian packages install, in order of preference: (path, face of a
#: TrueType collection). fonts-wqy-microhei is the one `.ci/system-deps` installs.
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
)
#: Fonts for the characters the CJK font lacks, tried in order (Debian packages; the first three
#: are installed by `.ci/system-deps`): DejaVu Sans (Arabic, Hebrew, Greek, Cyrillic, Vietnamese
#: and much more), Symbola (emoji), Hanazono (CJK extensions A and B), Noto Sans Arabic / Hebrew.
FALLBACK_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
    ("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf", 0),
    ("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf", 0),
    ("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", 0),
    ("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf", 0),
    ("/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf", 0),
)
CJK_FAMILY = "kitcut-cjk"
ENV = "KITCUT_CJK_FONT"
_MISSING = "_kitcut_font_missing"  # the texts of a PDF drawn transliterated: [(text, as drawn)]


def _parse(value: str) -> tuple[str, int]:
    path, _, face = value.partition("#")
    return path, int(face) if face.isdigit() else 0


def cjk_font() -> tuple[str, int] | None:
    """``(path, face)`` of the font used for non-Latin-1 text, ``None`` when none is installed.
    A ``KITCUT_CJK_FONT`` that names no font fpdf2 can read stands (no font then), and is said
    once: it was passed over without a word."""
    env = os.environ.get(ENV, "")
    found = _find(env)
    if env and found is None:
        _warn_once(f"{ENV}={env}: no font fpdf2 can read there (a missing file, or not a TrueType/OpenType "
                   "font): texts it would draw are transliterated; unset it to use the installed fonts")
    return found


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


@functools.lru_cache(maxsize=16)
def _cmap(path: str, face: int) -> frozenset:
    """The characters a font file has glyphs for (empty when it cannot be read)."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, fontNumber=face, lazy=True) as font:
            return frozenset(font.getBestCmap() or ())
    except Exception:  # noqa: BLE001 - a font that cannot be read is not used
        return frozenset()


def _fonts() -> list[tuple[str, int]]:
    """The Unicode fonts on this system, in order: the CJK font, then the fallbacks."""
    out = [cjk_font()] if cjk_font() else []
    return out + [(p, f) for p, f in FALLBACK_CANDIDATES if (p, f) not in out and Path(p).is_file()]


def _silent(c: str) -> bool:
    """A character that draws nothing (a variation selector, a zero-width joiner, a bidi mark):
    left out, as a font that has it would show nothing either."""
    return unicodedata.category(c) == "Cf" or 0xFE00 <= ord(c) <= 0xFE0F or 0xE0100 <= ord(c) <= 0xE01EF


def _rtl(c: str) -> bool:
    """A right-to-left letter (Hebrew, Arabic), which the writers cannot draw (see :func:`use_font`)."""
    return unicodedata.bidirectional(c) in ("R", "AL")


#: Scripts whose letters and marks only read right when shaped (marks stacked and placed, vowel
#: signs reordered, conjuncts formed): the writers draw a character at a time, unshaped
SHAPED_SCRIPTS = frozenset({"THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN", "DEVANAGARI", "BENGALI", "GURMUKHI",
                            "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA"})


def _unshaped(c: str) -> bool:
    """A letter the writers cannot draw as it reads (see :func:`use_font`): right to left, or of a
    script that needs shaping (:data:`SHAPED_SCRIPTS`; a Thai ``ตัวหน้า`` drawn a character at a
    time lost its marks, and came out half Thai, half Latin: ``ตaวหน?า``)."""
    return _rtl(c) or unicodedata.name(c, "").split(" ", 1)[0] in SHAPED_SCRIPTS


def _family(pdf, font: tuple[str, int], k: int) -> str:
    family = CJK_FAMILY if k == 0 else f"{CJK_FAMILY}-{k}"
    if family not in pdf.fonts:
        pdf.add_font(family, "", font[0], **_face(*font))
    return family


def shown_text(text: object) -> str:
    """``text`` as the PDFs draw it (:func:`use_font`): as it is where the fonts on this system
    have its characters, else with those transliterated (``后袖片`` as ``HouXiuPian`` without a CJK
    font). A label is sized for the text drawn."""
    return _shown(unicodedata.normalize("NFC", str(text)))[0]


def _shown(text: str) -> tuple[str, list[int], bool]:
    """``(text as drawn, the fallback fonts it needs (indices into the fonts found), whether any
    character was transliterated)`` for NFC ``text`` that is not Latin-1 (see :func:`use_font`)."""
    try:
        text.encode("latin-1")
        return text, [], False
    except UnicodeEncodeError:
        pass
    fonts = _fonts()
    if not fonts:
        shown = transliterate(text)
        return shown, [], shown != text
    used: list[int] = []
    out = []
    lost = False
    run: list[str] = []  # letters drawn unshaped would not read: a word at a time transliterated

    def flush() -> None:
        if run:
            from anyascii import anyascii

            out.append(anyascii("".join(run)) or "?")
            run.clear()

    for c in text:
        cat = unicodedata.category(c)
        if _silent(c):  # draws nothing (a bidi mark, a joiner, a selector): a right-to-left mark
            continue  # after a name copied from Hebrew was drawn as ``?`` and said transliterated
        if _unshaped(c) or (run and cat in ("Mn", "Mc", "Me")):
            # right-to-left (Hebrew, Arabic) or needing shaping (Thai, Devanagari...): the writers
            # draw left to right a character at a time, so the letters would stand reversed and
            # unjoined, their marks misplaced: transliterated (a word at a time), said
            run.append(c)
            lost = True
            continue
        flush()
        if cat in ("Cc", "Zl", "Zp"):  # a control character is no text: shown as ``?``; a line or
            out.append(" " if c.isspace() else "?")  # paragraph separator as a space, as a line break
            continue
        if 0xFDD0 <= ord(c) <= 0xFDEF or ord(c) & 0xFFFE == 0xFFFE:  # a noncharacter (U+FFFF): no
            out.append("?")  # font has one, and none to install would
            continue
        k = next((k for k, f in enumerate(fonts) if ord(c) in _cmap(*f) or (k == 0 and c.isspace())), None)
        if k is None:
            from anyascii import anyascii

            out.append(anyascii(c) or "?")
            lost = True
            continue
        if k and k not in used:
            used.append(k)
        out.append(c)
    flush()
    return "".join(out), used, lost


def use_font(pdf, text: object, style: str = "", size: float | None = None) -> str:
    """Select on ``pdf`` a font that shows ``text`` (``size`` in points; ``None`` keeps the
    current size) and return the text to draw with it (in normal form C).

    Latin-1 text gets Helvetica (``style`` "", "B", "I"); anything else the first Unicode font
    (regular only), with the fonts that have the characters it lacks as fpdf2 fallback fonts.
    Characters no font has, and right-to-left letters (drawn left to right, unshaped, they would
    read reversed), are transliterated and the PDF is marked for :func:`font_note`.
    """
    text = unicodedata.normalize("NFC", str(text))
    pt = pdf.font_size_pt if size is None else size
    try:
        text.encode("latin-1")
        pdf.set_font("helvetica", style, pt)
        return text
    except UnicodeEncodeError:
        pass
    shown, used, lost = _shown(text)
    fonts = _fonts()
    if not fonts:
        pdf.set_font("helvetica", style, pt)
    else:
        families = [_family(pdf, fonts[k], k) for k in used]
        pdf.set_font(_family(pdf, fonts[0], 0), "", pt)
        pdf.set_fallback_fonts(list(dict.fromkeys(families)), exact_match=False)
    if lost:
        _mark(pdf, text, shown)
    return shown


def draw_text(pdf, x: float, y: float, text: object, style: str = "", size: float | None = None, *,
              centre: bool = False) -> float:
    """Draw ``text`` with its baseline at ``y`` from ``x`` (centred on ``x`` with ``centre``) as
    ``pdf.text`` does, each run of characters in the font :func:`use_font` found for it (fpdf2's
    ``text`` does not use fallback fonts; ``cell`` and ``multi_cell`` do). Returns its width."""
    shown = use_font(pdf, text, style, size)
    runs = _runs(pdf, shown)
    primary, kept = pdf.font_family, pdf.font_style
    widths = []
    for family, run in runs:
        pdf.set_font(family, kept if family == primary else "")
        widths.append(pdf.get_string_width(run))
    x0 = x - sum(widths) / 2 if centre else x
    for (family, run), w in zip(runs, widths, strict=True):
        pdf.set_font(family, kept if family == primary else "")
        pdf.text(x0, y, run)
        x0 += w
    pdf.set_font(primary, kept)
    return sum(widths)


def _runs(pdf, shown: str) -> list[tuple[str, str]]:
    """``shown`` cut into runs, each ``(font family, text)``: the current font's characters, and
    those of each fallback font set by :func:`use_font`."""
    primary = pdf.font_family
    fallbacks = [f for f in getattr(pdf, "_fallback_font_ids", ()) if f in pdf.fonts]
    if not fallbacks or not pdf.is_ttf_font:
        return [(primary, shown)]
    cmap = pdf.current_font.cmap
    runs: list[tuple[str, str]] = []
    for c in shown:
        family = primary
        if ord(c) not in cmap and not c.isspace():
            family = next((f for f in fallbacks if ord(c) in pdf.fonts[f].cmap), primary)
        if runs and runs[-1][0] == family:
            runs[-1] = (family, runs[-1][1] + c)
        else:
            runs.append((family, c))
    return runs or [(primary, "")]


def pdf_label(placed, pdf=None):
    """The label of ``placed`` (a :class:`~kitcut.formats.layout.page.PlacedPiece`) as the PDFs
    draw it: laid out for the text drawn (:func:`shown_text`; a name transliterated for want of a
    font is longer and was sized for the name as written), and noted on ``pdf`` for
    :func:`font_note` when transliterated (drawn in ASCII, it needs no other font to note)."""
    label = placed.label_as(shown_text)
    written = unicodedata.normalize("NFC", placed.label.text)
    if pdf is not None and _shown(written)[2]:  # a character transliterated (a control one is no text)
        _mark(pdf, written, label.text)
    return label


def _mark(pdf, text: str, shown: str) -> None:
    marked = getattr(pdf, _MISSING, None)
    if marked is None:
        marked = []
        setattr(pdf, _MISSING, marked)
    if (text, shown) not in marked:
        marked.append((text, shown))


def transliterated(pdf) -> list[tuple[str, str]]:
    """The texts of ``pdf`` drawn transliterated, each ``(text, as drawn)``."""
    return list(getattr(pdf, _MISSING, None) or ())


def font_note(pdf) -> str | None:
    """The note a writer must print when texts of ``pdf`` were transliterated for want of a
    font with their glyphs (``None`` when all were shown as they are). It names each text as
    drawn (Latin-1, so any font can print it); the warning on stderr shows them as written."""
    marked = transliterated(pdf)
    if not marked:
        return None
    unshaped = any(_unshaped(c) for t, _ in marked for c in t)
    said = "kitcut's PDFs do not draw right-to-left text (Hebrew, Arabic) nor scripts that need shaping " \
           "(Thai, Devanagari...)"
    if unshaped and all(any(_unshaped(c) for c in t) for t, _ in marked):  # no font would help
        what = said
    else:
        what = (f"no font with CJK glyphs found (install fonts-wqy-microhei, or set {ENV})"
                if cjk_font() is None else
                "no font on this system has glyphs for some characters (install fonts-dejavu-core, "
                "fonts-symbola, fonts-hanazono)")
        what += f"; {said}" if unshaped else ""
    more = " ..." if len(marked) > 10 else ""
    # quoted as they are: repr wrote a remark holding both quotes as e.g. \'Piece Name: hzyt\'
    shown = "; ".join(f"'{transliterate(s)}'" for _, s in marked[:10]) + more
    written = "; ".join(f"'{escaped(t)}' as '{s}'" for t, s in marked[:10]) + more
    _warn_once(f"Note: {what}; {len(marked)} text(s) transliterated in a PDF: {written}")
    return f"Note: {what}; {len(marked)} text(s) transliterated in this PDF: {shown}"


def note_text(message) -> str:
    """A note warned here (``Note: ...``) as a command or a batch shows it: its text after
    ``Note:``."""
    text = str(message)
    return text[len("Note: "):] if text.startswith("Note: ") else text


@functools.lru_cache(maxsize=64)
def _warn_once(msg: str) -> None:
    warnings.warn(msg, stacklevel=3)
