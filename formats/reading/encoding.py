"""Which text encoding a pattern DXF uses, decided once from all its texts.

DXF R12-R2004 files store texts in the code page that the header variable ``$DWGCODEPAGE``
names (``ANSI_1252``, ``ANSI_936`` ...); R2007 and later are UTF-8. Many garment CAD write
neither: ET CAD, the most used garment CAD in China, writes GBK names with no header at all.
:func:`decide_encoding` looks at the file's bytes once and chooses, in this order:

1. ``forced``: the user's ``--encoding`` (or an order's ``encoding``), checked by
   :func:`check_encoding`;
2. ``ascii``: no text has a byte above 127 (then no choice is needed);
3. ``declared``: UTF-8 for R2007 and later, else ``$DWGCODEPAGE``, unless a text does not
   decode with it, or its reading is no plausible text while another reading is (then 4,
   reported);
4. ``detected``: every candidate of :data:`CANDIDATES` that decodes all the non-ASCII text lines
   is judged by :func:`~kitcut.formats.reading.plausible.misfit` (then charset-normalizer's
   mess, then the order; see :func:`_detect`);
5. ``fallback``: nothing decodes them, or no reading is plausible: cp1252, undecodable bytes
   shown as U+FFFD (reported, with the likeliest readings).

Both readers use the decision: the fast reader decodes each text value with
:meth:`TextDecision.decode_value`, ezdxf gets :attr:`TextDecision.codec` (or, for its
recovering reader, which takes no encoding, :func:`transcode` output).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, replace

from kitcut.errors import InputError
from kitcut.formats.reading.plausible import misfit, plain_text
from kitcut.model import ImportReport, TextEncoding

__all__ = ["CANDIDATES", "TextDecision", "check_encoding", "codepage_codec", "decide_encoding", "narrow_name",
           "transcode"]

#: Encodings the detector chooses from: UTF-8, Japanese (Shift-JIS/cp932), Chinese (simplified:
#: GBK/GB18030; traditional: Big5/cp950), Korean (cp949/EUC-KR) and the Windows code pages of
#: Western and Central Europe, Cyrillic, Turkish, Baltic, Greek, Vietnamese, Thai, Hebrew and
#: Arabic, in the order that breaks a tie between equally plausible readings (see :func:`_detect`).
CANDIDATES = ("utf_8", "cp932", "gb18030", "cp950", "cp949", "cp1252", "cp1250", "cp1251", "cp1254", "cp1257",
              "cp1253", "cp1258", "cp874", "cp1255", "cp1256")
#: Each candidate is reported by the narrowest common name that reads the texts the same.
_NARROW = {"gb18030": ("gbk",), "cp950": ("big5",), "cp932": ("shift_jis",), "cp949": ("euc_kr",)}
_SINGLE_BYTE = {"cp1252", "cp1250", "cp1251", "cp1254", "cp1257", "cp1253", "cp1258", "cp874", "cp1255",
                "cp1256"}
#: Readings whose mess (charset-normalizer's chaos ratio) is within this of the best one are
#: equally plausible: the choice among them is reported as unsure.
_TIE = 0.1
#: From this many Hangul/Han characters on, texts that read as both Korean (cp949) and Chinese
#: (GBK) are Korean: GBK text uses lead bytes beyond Hangul's (C9-F7) in almost every name.
_KOREAN_CHARS = 6
#: Fewer non-ASCII bytes than this (one or two accented letters) never make a sure detection.
MIN_SURE_BYTES = 3
#: At most this much text is given to the detector (all of it is still checked to decode).
_SAMPLE_BYTES = 256 * 1024

#: At most this much distinct text is judged for plausibility (a few thousand names).
_JUDGED_BYTES = 32 * 1024

_HIGH = bytes(range(128, 256))
_VALUE = re.compile(rb"[ \t]*(?:\r\n|\r|\n)[ \t]*(\d+)[ \t]*(?:\r\n|\r|\n)([^\r\n]*)")  # any line ends
_EXTRA_CODEPAGES = {"UTF8": "utf-8", "UTF-8": "utf-8", "ANSI_65001": "utf-8", "GB2312": "gbk",
                    "BIG5": "cp950", "KSC5601": "cp949", "JOHAB": "johab", "DOS932": "cp932",
                    "ISO8859-1": "latin-1"}


def check_encoding(name: str, *, what: str = "--encoding") -> str:
    """The Python codec name of ``name`` when it can decode DXF text, else :class:`InputError`
    naming ``what``. DXF keeps its structure in ASCII, so only ASCII-compatible encodings fit.

    >>> check_encoding("GBK"), check_encoding("Shift-JIS"), check_encoding("utf8")
    ('gbk', 'shift_jis', 'utf-8')
    """
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{what}: must name a text encoding (e.g. gbk, big5, cp932, utf-8, cp1252)")
    try:
        info = codecs.lookup(name.strip())
    except LookupError:
        raise InputError(f"{what}: unknown text encoding {name!r} (e.g. gbk, big5, cp932, utf-8, "
                         "cp1252)") from None
    probe = bytes(range(32, 127)) + b"\r\n"
    try:
        text = probe.decode("ascii")
        fits = probe.decode(info.name) == text and text.encode(info.name) == probe
    except (LookupError, UnicodeError, TypeError):
        fits = False
    if not fits:
        raise InputError(f"{what}: {name!r} cannot be the encoding of a DXF file (its structure is "
                         "ASCII; use e.g. gbk, big5, cp932, utf-8, cp1252)")
    return info.name


def codepage_codec(value: str) -> str | None:
    """The codec of a ``$DWGCODEPAGE`` value, ``None`` when unknown.

    >>> codepage_codec("ANSI_936"), codepage_codec("ansi_950"), codepage_codec("ANSI_1252")
    ('gbk', 'cp950', 'cp1252')
    """
    from ezdxf.tools.codepage import codepage_to_encoding

    v = value.strip().upper()
    if v.startswith("ANSI_") and v[5:] in codepage_to_encoding:
        return codepage_to_encoding[v[5:]]
    return _EXTRA_CODEPAGES.get(v)


def _bad_lines(lines: list[bytes], codec: str) -> int:
    n = 0
    for line in lines:
        try:
            line.decode(codec)
        except UnicodeDecodeError:
            n += 1
    return n


def narrow_name(codec: str, lines: list[bytes]) -> str:
    """The narrowest common name for ``codec`` that reads ``lines`` the same (gb18030 -> gbk), as
    kitcut's remarks name an encoding; the codec's own name where a line does not decode."""
    for name in _NARROW.get(codec, ()):
        try:
            if all(ln.decode(name) == ln.decode(codec) for ln in lines):
                return name
        except UnicodeDecodeError:
            pass
    return codecs.lookup(codec).name


def _shown(line: bytes, codec: str, limit: int = 24) -> str:
    """A short, printable sample of ``line`` read as ``codec`` (for remarks), an MTEXT's plain
    text (its font code filled the sample, cut before the first name it would have shown)."""
    text = plain_text(line.decode(codec, "replace").strip())  # an MTEXT's font code filled the sample
    text = "".join(c if c.isprintable() else "?" for c in text)
    return repr(text[:limit] + ("..." if len(text) > limit else ""))


@dataclass(frozen=True)
class TextDecision:
    """The encoding chosen for a file's texts (see the module docstring)."""

    codec: str
    name: str
    rule: str
    confidence: float | None = None
    declared: str | None = None
    lines: int = 0
    nonascii_bytes: int = 0
    undecodable: int = 0
    alternatives: tuple[str, ...] = ()

    @property
    def encoding(self) -> TextEncoding:
        return TextEncoding(self.name, self.rule, self.confidence, self.declared)

    def decode_value(self, s: str) -> str:
        """A text value read as Latin-1 (byte for byte) decoded with :attr:`codec`."""
        if s.isascii():
            return s
        return s.encode("latin-1").decode(self.codec, "replace")

    def decode(self, raw: bytes) -> str:
        return raw.decode(self.codec, "replace")


def _text_lines(data: bytes) -> list[bytes]:
    if data.isascii():
        return []
    return [ln for ln in data.splitlines() if not ln.isascii()]


def _header(data: bytes, name: bytes, code: bytes) -> bytes | None:
    """The value of header variable ``name`` (group ``code``), ``None`` when absent."""
    at = data.find(name)
    if at < 0:
        return None
    m = _VALUE.match(data, at + len(name))
    return m.group(2).strip() if m and m.group(1) == code else None


def _declared(data: bytes) -> tuple[str | None, str | None]:
    """``(what the file declares, its codec)``: UTF-8 for R2007+, else ``$DWGCODEPAGE``."""
    ver = _header(data, b"$ACADVER", b"1")
    if ver and ver.upper() >= b"AC1021":
        return f"UTF-8 (DXF {ver.decode('ascii', 'replace')})", "utf-8"
    cp = _header(data, b"$DWGCODEPAGE", b"3")
    if not cp:
        return None, None
    value = cp.decode("latin-1")
    return value, codepage_codec(value)


def _rate(sample: bytes, codec: str):
    from charset_normalizer import from_bytes

    return from_bytes(sample, cp_isolation=[codec]).best()


def _sample(lines: list[bytes], limit: int = 0) -> bytes:
    """What the detector reads: the distinct non-ASCII text lines (a name repeated in every
    size adds nothing), up to ``limit`` bytes (:data:`_SAMPLE_BYTES`)."""
    limit = limit or _SAMPLE_BYTES
    seen: dict[bytes, None] = {}
    size = 0
    for ln in lines:
        if ln not in seen:
            seen[ln] = None
            size += len(ln) + 1
            if size >= limit:
                break
    return b"\n".join(seen)


@dataclass(frozen=True)
class _Reading:
    codec: str
    order: float
    hard: int
    soft: int
    langs: int
    text: str


def _readings(lines: list[bytes]) -> list[_Reading]:
    """Every candidate that decodes every line, with how plausible its reading of the distinct
    lines is (:func:`~kitcut.formats.reading.plausible.misfit`)."""
    sample = _sample(lines, _JUDGED_BYTES).split(b"\n")
    out = []
    for order, codec in enumerate(CANDIDATES):
        if _bad_lines(lines, codec):
            continue
        texts = [ln.decode(codec) for ln in sample]
        hard, soft, langs = misfit(texts, codec)
        out.append(_Reading(codec, order, hard, soft, langs, unicodedata.normalize("NFC", "\n".join(texts))))
    korean = next((r for r in out if r.codec == "cp949" and not r.hard), None)
    if korean and any(r.codec == "gb18030" and not r.hard for r in out) and sum(
            not c.isascii() for c in korean.text) >= _KOREAN_CHARS:
        out = [replace(r, order=1.5) if r is korean else r for r in out]
    return out


def _detect(lines: list[bytes]) -> tuple[str, float, tuple[str, ...]] | None:
    """``(codec, confidence, other plausible readings)`` or ``None`` when no candidate reads as
    plausible text.

    A reading is plausible when it has no hard misfit (:mod:`~kitcut.formats.reading.plausible`:
    mixed scripts in a word, letters no one language writes together, stray symbols...). Among
    the plausible ones, those with at most one rare character more than the fewest are equally
    plausible unless charset-normalizer finds one clearly messier (by more than :data:`_TIE`);
    the choice among them goes to the fewest rare characters, then to the reading that needs
    the fewest languages, then a multibyte reading before a single-byte one, then the order of
    :data:`CANDIDATES` (Korean before Chinese from :data:`_KOREAN_CHARS` characters on).
    Confidence is one minus the winner's mess, divided by the number of different texts the
    equally plausible readings give.
    """
    plausible = [r for r in _readings(lines) if not r.hard]
    if not plausible:
        return None
    low = min(r.soft for r in plausible)
    contenders = [r for r in plausible if r.soft <= low + 1]
    chaos = {r.codec: 0.1 for r in contenders}
    if len({r.text for r in contenders}) > 1:
        sample = _sample(lines)
        for r in contenders:
            best = _rate(sample, r.codec)
            chaos[r.codec] = best.chaos if best is not None else 1.0
        least = min(chaos.values())
        contenders = [r for r in contenders if chaos[r.codec] <= least + _TIE]
    contenders.sort(key=lambda r: (r.soft, r.langs, r.codec in _SINGLE_BYTE, r.order))
    chosen = contenders[0]
    readings = {chosen.codec: chosen.text}
    for r in contenders[1:]:
        if r.text not in readings.values():
            readings[r.codec] = r.text
    confidence = round((1.0 - min(chaos[chosen.codec], 1.0)) / len(readings), 2)
    return chosen.codec, confidence, tuple(c for c in readings if c != chosen.codec)


def _tolerant(lines: list[bytes]) -> tuple[str, int, bytes] | None:
    """``(codec, faults, first faulty line)`` when no reading of every text is plausible but one
    reads nearly all of them as plausible text: its faults (distinct non-ASCII lines it does not
    decode, or reads as no plausible text) are at most a tenth of them (one at least), and its
    plausible lines at least twice as many. An ET CAD field cut in the middle of a GBK
    character, or one name with a character GBK lacks (``前片•左`` in GB18030), made every name
    cp1252 mojibake (``Ç°Æ¬``).
    The fewest faults win, then as :func:`_detect` orders the plausible readings."""
    distinct = [ln for ln in _sample(lines, _JUDGED_BYTES).split(b"\n") if not ln.isascii()]
    allowed = max(1, len(distinct) // 10)
    best = None
    for order, codec in enumerate(CANDIDATES):
        odd, texts = [], []
        for ln in distinct:
            try:
                text = ln.decode(codec)
            except UnicodeDecodeError:
                text = None
            if text is None or misfit([text], codec)[0]:
                odd.append(ln)
            else:
                texts.append(text)
            if len(odd) > allowed:
                break
        if len(odd) > allowed or len(texts) < 2 * len(odd):
            continue
        _hard, soft, langs = misfit(texts, codec)
        key = (len(odd), soft, langs, codec in _SINGLE_BYTE, order)
        if best is None or key < best[0]:
            best = (key, codec, odd[0] if odd else distinct[0])
    return None if best is None else (best[1], best[0][0], best[2])


def _likeliest(lines: list[bytes], n: int = 3) -> list[str]:
    """The ``n`` least implausible readings, as ``codec 'sample' (--encoding codec)``: the fewest
    texts each does not decode or reads as no plain text first. Only the readings of every text
    were ranked, so half a GBK character in one text left gbk out, and the remark named cp874,
    cp1251 and cp1253."""
    sample = [ln for ln in _sample(lines, _JUDGED_BYTES).split(b"\n") if not ln.isascii()] or lines[:1]
    ranked = []
    for order, codec in enumerate(CANDIDATES):
        texts, bad = [], 0
        for ln in sample:
            try:
                texts.append(ln.decode(codec))
            except UnicodeDecodeError:
                bad += 1
        hard, soft, langs = misfit(texts, codec)
        text = "\n".join(ln.decode(codec, "replace") for ln in sample)
        ranked.append(((bad + hard, bad, soft, langs, order), codec, text))
    ranked.sort(key=lambda r: r[0])
    # a reading that leaves texts undecoded is named where it is the better one: fewer faults
    # than every reading of all the texts has misfits
    whole = min((key[0] for key, *_ in ranked if key[1] == 0), default=None)
    out, seen = [], set()
    for key, codec, text in ranked:
        if text in seen or (key[1] and whole is not None and key[0] >= whole):
            continue
        seen.add(text)
        name = narrow_name(codec, lines)
        out.append(f"{name} {_shown(_first_nonascii(lines), codec)} (--encoding {name})")
        if len(out) == n:
            break
    return out


def _first_nonascii(lines: list[bytes]) -> bytes:
    return next((ln for ln in lines if not ln.isascii()), lines[0])


def decide_encoding(data: bytes, forced: str | None = None, *,
                    report: ImportReport | None = None) -> TextDecision | None:
    """The encoding of a DXF file's texts (``None`` for binary DXF, whose reader decides).

    Remarks go to ``report``: always when detection was needed, and when a declaration or a
    forced encoding does not fit the bytes.
    """
    if data.startswith(b"AutoCAD Binary DXF"):
        if forced and report is not None:
            report.warn(f"--encoding {forced} ignored: a binary DXF is decoded by its own rules")
        return None
    report = report if report is not None else ImportReport()
    lines = _text_lines(data)
    nbytes = sum(len(ln) - len(ln.translate(None, _HIGH)) for ln in lines)
    declared, declared_codec = _declared(data)
    base = {"declared": declared, "lines": len(lines), "nonascii_bytes": nbytes}
    if forced:
        codec = check_encoding(forced)
        bad = _bad_lines(lines, codec)
        if bad:
            report.warn(f"--encoding {codec}: {bad} of {len(lines)} text line(s) have bytes that are not "
                        f"{codec}, shown as U+FFFD (first: {_shown(_first_bad(lines, codec), codec)})")
        if declared_codec and lines and declared_codec != codec:
            report.warn(f"--encoding {codec} overrides the file's declared {declared} ({declared_codec})")
        if lines and not bad:
            _doubt_forced(lines, codec, report)
        return TextDecision(codec, codec, "forced", undecodable=bad, **base)
    if not lines:
        return TextDecision("ascii", "ascii", "ascii", **base)
    why = "the file declares no code page"
    if data.startswith(codecs.BOM_UTF8) and not _bad_lines(lines, "utf_8"):
        # a UTF-8 byte-order mark declares UTF-8 (its own bytes would make any reading implausible)
        return TextDecision("utf_8", "utf-8", "declared", **{**base, "declared": "UTF-8 byte-order mark"})
    found = None  # the detection, once made (an implausible declaration is judged against it)
    if declared_codec:
        bad = _bad_lines(lines, declared_codec)
        if not bad:
            decision = TextDecision(declared_codec, narrow_name(declared_codec, lines), "declared", **base)
            if codecs.lookup(declared_codec).name == "utf-8":
                return decision  # UTF-8 as declared (R2007 and later) that decodes: never overruled
            sample = _sample(lines, _JUDGED_BYTES).split(b"\n")
            hard = misfit([ln.decode(declared_codec) for ln in sample], declared_codec)[0]
            if not hard:
                return decision
            found = _detect(lines)
            if found is None and (hard < 2 or 2 * hard < sum(not ln.isascii() for ln in sample)):
                # one odd name (a Greek capital with its accent, ΜΠΡΟΣΤΆ), or most of the texts
                # read as plain text: the declaration stands unsaid
                return decision
            if found is None:  # kept, but said: no code page kitcut knows reads the texts better
                shown = _shown(_first_nonascii(lines), declared_codec)
                report.warn(f"text encoding: the declared {declared} ({declared_codec}) reads as no "
                            f"plausible text (e.g. {shown}), nor does any other code page kitcut detects: "
                            "read as declared; give --encoding NAME if names look wrong")
                return decision
            if all(ln.decode(found[0]) == ln.decode(declared_codec) for ln in sample):
                return decision
            first = _differing(lines, declared_codec, found[0])
            why = (f"the declared {declared} ({declared_codec}) reads as no plausible text (e.g. "
                   f"{_shown(first, declared_codec)}; --encoding {decision.name} keeps it)")
        else:
            why = (f"the declared {declared} ({declared_codec}) does not decode {bad} of {len(lines)} text "
                   f"line(s) (first: {_shown(_first_bad(lines, declared_codec), declared_codec)})")
    elif declared:
        why = f"the declared code page {declared!r} is not one kitcut knows"
    if found is None:
        found = _detect(lines)
    if found is None and (near := _tolerant(lines)) is not None:
        codec, faults, odd = near
        name = narrow_name(codec, lines)
        bad = _bad_lines(lines, codec)
        lost = f"; {bad} text line(s) with bytes that are not {name}, shown as U+FFFD" if bad else ""
        first = _shown(_first_nonascii(lines), codec)
        report.warn(f"text encoding: {why}; {name} reads all but {faults} of the texts as plain text, "
                    f"no other code page does: {name} used{lost}, e.g. {first}; the odd one: "
                    f"{_shown(odd, codec)}; give --encoding NAME if names look wrong")
        return TextDecision(codec, name, "detected", 0.5, undecodable=bad, **base)
    if found is None:
        bad = _bad_lines(lines, "cp1252")
        report.warn(_fallback_remark(why, lines, bad))
        return TextDecision("cp1252", "cp1252", "fallback", 0.0, undecodable=bad, **base)
    codec, confidence, others = found
    name = narrow_name(codec, lines)
    sure = not others and nbytes >= MIN_SURE_BYTES
    first = _differing(lines, codec, others[0]) if others else _first_nonascii(lines)
    msg = (f"text encoding: {why}; {name} detected (confidence {confidence:.2f}) from {nbytes} non-ASCII "
           f"byte(s) in {len(lines)} text line(s), e.g. {_shown(first, codec)}")
    if not sure:
        alts = ", ".join(f"{narrow_name(c, lines)} {_shown(_differing(lines, codec, c), c)} (--encoding "
                         f"{narrow_name(c, lines)})" for c in others)
        msg += ("; unsure: " + (f"the texts also read as {alts} ({name} goes first in kitcut's order)"
                                if alts else "too little text to be sure"))
    report.warn(msg + ("; give --encoding NAME if names look wrong" if sure else
                       "; give --encoding NAME to choose"))
    return TextDecision(codec, name, "detected", confidence, alternatives=others, **base)


def _doubt_forced(lines: list[bytes], codec: str, report: ImportReport) -> None:
    """Say a forced encoding whose reading is no plain text where another reading is (``--encoding
    cp1252`` on a GBK file gave ``Ç°Æ¬`` in every output without a word). The forced one stays:
    the option is the user's."""
    sample = _sample(lines, _JUDGED_BYTES).split(b"\n")
    if not misfit([ln.decode(codec) for ln in sample], codec)[0]:
        return
    found = _detect(lines)
    if found is None or codecs.lookup(found[0]).name == codecs.lookup(codec).name:
        return
    other = narrow_name(found[0], lines)
    first = _differing(lines, codec, found[0])
    report.warn(f"--encoding {codec} reads the texts as no plain text (e.g. {_shown(first, codec)}); they "
                f"read as {other} {_shown(first, found[0])} (--encoding {other}, or no --encoding: detected)",
                headline=True)


def _fallback_remark(why: str, lines: list[bytes], bad: int) -> str:
    """The remark of the fallback: no candidate decodes every text, or every reading of those
    that do is implausible (mixed scripts, stray symbols...); it names the likeliest readings."""
    decoding = [c for c in CANDIDATES if not _bad_lines(lines, c)]
    if not decoding:
        return (f"text encoding: {why}, and none of {', '.join(CANDIDATES)} decodes all its texts: cp1252 "
                f"used, {bad} of {len(lines)} text line(s) with bytes shown as U+FFFD; the likeliest: "
                f"{', '.join(_likeliest(lines))}; give --encoding NAME if names look wrong")
    lost = f", {bad} of {len(lines)} text line(s) with bytes shown as U+FFFD" if bad else ""
    return (f"text encoding: {why}, and no reading by {', '.join(decoding)} looks like plain text: cp1252 "
            f"used{lost}, e.g. {_shown(_first_nonascii(lines), 'cp1252')}; the likeliest: "
            f"{', '.join(_likeliest(lines))}; give --encoding NAME if names look wrong")


def _differing(lines: list[bytes], a: str, b: str) -> bytes:
    """The first line that ``a`` and ``b`` read differently (the sample a remark shows)."""
    return next((ln for ln in lines if ln.decode(a, "replace") != ln.decode(b, "replace")), lines[0])


def _first_bad(lines: list[bytes], codec: str) -> bytes:
    for ln in lines:
        try:
            ln.decode(codec)
        except UnicodeDecodeError:
            return ln
    return b""


def transcode(data: bytes, decision: TextDecision | None) -> bytes:
    """``data`` with every non-ASCII text line decoded by ``decision`` and written back as
    ASCII with ``\\U+XXXX`` escapes: readable by a reader that takes no encoding (ezdxf's
    recovering reader decodes the escapes whatever code page the header names)."""
    if decision is None or data.isascii():
        return data
    from kitcut.formats.reading.texts import escape

    out = []
    for line in data.splitlines(keepends=True):
        out.append(line if line.isascii() else escape(decision.decode(line)).encode("ascii"))
    return b"".join(out)
