r"""How plausible a reading of a DXF file's texts is as names a pattern maker typed.

Single-byte code pages decode any bytes, and a short name decodes in most multibyte ones too,
so the choice among readings has to come from the text they give. :func:`misfit` scores a
reading by what typed names never hold, as ``(hard, soft)``:

- hard (the reading is implausible): a word mixing scripts (``Pu駉``, ``Rьckenteil``; Han with
  kana is Japanese, and upper-case ASCII letters before or after Han or Hangul go with them:
  ``T恤``, ``前片L``, but not around them: ``TE觜T``); a
  Latin word whose accented letters no one language writes together (``Ïåðåä``: Ï å ð), or a
  Cyrillic one (Ukrainian ї with Russian ы); a lower-case letter followed by an upper-case one
  where either is not ASCII (``CôÒ``); Greek ``ς`` inside a word or two accents in one word; a
  Thai mark with no letter to sit on; a symbol or control character other than the few names
  carry (``Ty³``, ``Ç°Æ¬``; ``°`` after a digit, ``×``, ``½``, dashes, quotes, ``№``, ``®``...);
  and, per code page, the characters of a multibyte one that its country's texts do not use:
  Hanja and jamo in cp949, kana and Cyrillic rows in GBK and Big5, the Greek and Cyrillic rows
  of Shift-JIS;
- soft (legal but rare): GBK's characters beyond GB2312, Big5's less frequent characters,
  Shift-JIS level-2 kanji, half-width katakana and vendor rows, cp949's syllables beyond
  KS X 1001.

Icelandic and Faroese are not among the Latin languages (their ð þ are what Cyrillic and
Turkish bytes give when read as cp1252).

An MTEXT's formatting codes are not words: ``Перед\PРазмер: 48`` is judged as ``Перед Размер:
48`` (the word ``PРазмер``, Latin P on Cyrillic, made every Cyrillic reading of a label in one
MTEXT implausible, and cp1252 was chosen).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

__all__ = ["MTEXT_CODES", "misfit", "plain_text", "script"]

_BASE = "abcdefghijklmnopqrstuvwxyz"


def _letters(s: str) -> frozenset[str]:
    return frozenset(s) | frozenset(c.upper() for c in s if len(c.upper()) == 1)


def _vietnamese() -> str:
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    return "đ" + "".join(unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in tones)


#: the non-ASCII letters of the Latin-script languages of the candidate code pages
LATIN = {name: _letters(s) for name, s in {
    "de": "äöüßé", "fr": "àâæçéèêëîïôœùûüÿ", "es": "áéíñóúü", "pt": "áâãàçéêíóôõúü",
    "it": "àèéìíîòóùú", "nl": "áéíóúäëïöüè", "ca": "àçéèíïòóúü", "sv": "åäöé", "da-no": "æøåéó",
    "fi": "äöåšž", "pl": "ąćęłńóśźż", "cs": "áčďéěíňóřšťúůýž", "sk": "áäčďéíĺľňóôŕšťúýž",
    "hu": "áéíóöőúüű", "ro": "ăâîşţșț", "sl-hr": "čćđšž", "sq": "çë", "tr": "çğıöşüâîû",
    "lt": "ąčęėįšųūž", "lv": "āčēģīķļņšūž", "et": "äöõüšž", "vi": _vietnamese(),
}.items()}
LATIN["tr"] = LATIN["tr"] | {"İ"}
CYRILLIC = {name: _letters(s) for name, s in {
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя", "bg": "абвгдежзийклмнопрстуфхцчшщъьюя",
    "sr": "абвгдђежзијклљмнњопрстћуфхцчџш", "mk": "абвгдѓежзѕијклљмнњопрстќуфхцчџш",
}.items()}
#: the languages each single-byte code page writes (any other codec: all of them)
CODEC_LANGS = {
    "cp1252": ("de", "fr", "es", "pt", "it", "nl", "ca", "sv", "da-no", "fi"),
    "cp1250": ("pl", "cs", "sk", "hu", "ro", "sl-hr", "sq", "de"),
    "cp1254": ("tr",), "cp1257": ("lt", "lv", "et"), "cp1258": ("vi",),
}
_OK_SYMBOLS = frozenset("×±½¼¾–—‘’‚“”„«»…·•№®™©\u00a0")
_GREEK_TONOS = frozenset("άέήίόύώΆΈΉΊΌΎΏ")
_GREEK_VOWELS = frozenset("αεηιουωάέήίόύώϊϋΐΰ")
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяіїєъ")
#: Thai leading vowels, and letters and marks out of use
_TH_LEAD = frozenset("เแโใไ")
_TH_RARE = frozenset("ฃฅฦฯๅํ๎")
_VI_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_CJK_CODECS = ("gbk", "gb18030", "cp950", "big5", "cp932", "shift_jis", "cp949", "euc_kr")


def script(c: str) -> str:
    """The script of a letter or mark: Latin, Cyrillic, Greek, Han, Kana, Hangul, Thai, one of
    :data:`_UNMODELLED` (Hebrew, Arabic...), Mark (combining) or Other."""
    name = unicodedata.name(c, "")
    if name.startswith(("CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH")):
        return "Han"
    if name.startswith(("HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA")) or c == "ー":
        return "Kana"
    if name.startswith("HANGUL SYLLABLE"):
        return "Hangul"
    if name.startswith("COMBINING"):
        return "Mark"
    for s in ("LATIN", "CYRILLIC", "GREEK", "THAI", *_UNMODELLED):
        if name.startswith(s):
            return s.capitalize()
    return "Other"


#: Scripts no candidate code page but UTF-8 gives (no mojibake reads as them): a word in one of
#: them alone is plausible as it stands (a Hebrew or Arabic name in a UTF-8 file).
_UNMODELLED = ("HEBREW", "ARABIC", "ARMENIAN", "GEORGIAN", "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI",
               "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA", "KHMER", "LAO", "MYANMAR", "ETHIOPIC")


#: MTEXT formatting codes (``{\\fSimSun|b0|i0|c134|p2;``, ``\\P``)
MTEXT_CODES = re.compile(r"\{\\[A-Za-z]|^(?!.*:\\).*\\P")  # a Windows path's \P is no paragraph


def plain_text(text: str) -> str:
    """``text`` without the formatting codes of an MTEXT when it has some (its paragraphs
    joined by a space), else as it is."""
    if not MTEXT_CODES.search(text):
        return text
    from ezdxf.tools.text import plain_mtext

    return " ".join(plain_mtext(text).split())


def _words(text: str):
    """Runs of letters and marks (any other character ends a word)."""
    word: list[str] = []
    for c in text:
        if unicodedata.category(c)[0] in "LM":
            word.append(c)
        elif word:
            yield "".join(word)
            word = []
    if word:
        yield "".join(word)


def _cased_ok(w: str) -> bool:
    """lower, UPPER or Title case (``ß`` and caseless letters go with any)."""
    cased = [c for c in w if c != "ß" and c.lower() != c.upper()]
    return not cased or all(c.islower() for c in cased[1:]) or all(c.isupper() for c in cased)


def _thai_misfit(w: str) -> int:
    for i, c in enumerate(w):
        prev = w[i - 1] if i else ""
        if c in _TH_RARE or (c == "ๆ" and i < len(w) - 1):
            return 1
        if c in _TH_LEAD and not (i + 1 < len(w) and "ก" <= w[i + 1] <= "ฮ"):
            return 1
        if (unicodedata.category(c) == "Mn" or c in "ะาำ") and not (
                "ก" <= prev <= "ฮ" or prev and unicodedata.category(prev) == "Mn" and prev != c):
            return 1
    return 0


def _greek_misfit(w: str) -> int:
    low = w.lower()
    if "ς" in low[:-1] or sum(c in _GREEK_TONOS for c in w) > 1 or "ΐ" in low or "ΰ" in low:
        return 1
    upper = sum(c.isupper() for c in w)
    if upper > 1 and any(c in _GREEK_TONOS and c.isupper() for c in w):
        return 1
    vowels = sum(c in _GREEK_VOWELS for c in low)
    return int(upper < len(w) and vowels >= 2 and not any(c in _GREEK_TONOS for c in w))


def _cyrillic_misfit(w: str) -> int:
    low = w.lower()
    if low[0] in "ьъы" or not any(set(low) <= a for a in CYRILLIC.values()):
        return 1
    vowel = [c in _CYRILLIC_VOWELS for c in low]
    run = longest = 0
    for v in vowel:
        run = 0 if v else run + 1
        longest = max(longest, run)
    soft_after_vowel = any(b in "ьъ" and (a in _CYRILLIC_VOWELS or a in "ьъ")
                           for a, b in zip(low, low[1:], strict=False))
    return int(longest >= 5 or len(low) >= 4 and sum(vowel) < 0.2 * len(low) or soft_after_vowel)


def _word_misfit(w: str, langs) -> int:
    if w.isascii():
        return 0
    if unicodedata.category(w[0]) in ("Mn", "Mc", "Me"):  # a mark with no letter to sit on, in any
        return 1  # script (cp1251's Спинка read as cp1255 starts with the point U+05C1)
    scripts = {script(c) for c in w} - {"Mark"}
    cjk = scripts & {"Han", "Kana", "Hangul"}
    if cjk:
        latin = [c for c in w if script(c) == "Latin"]
        if len(cjk) > 1 and cjk != {"Han", "Kana"} or scripts - cjk - {"Latin"}:
            return 1
        if any(not (c.isascii() and c.isupper()) for c in latin):
            return 1
        kinds = "".join("L" if script(c) == "Latin" else "C" for c in w if script(c) != "Mark")
        return int(re.search("LC+L", kinds) is not None)
    if len(scripts) != 1 or "Other" in scripts:
        return 1
    (s,) = scripts
    if s.upper() in _UNMODELLED:
        return 0
    if s == "Thai":
        return _thai_misfit(w)
    if not _cased_ok(w):
        return 1
    if s == "Greek":
        return _greek_misfit(w)
    if s == "Cyrillic":
        return _cyrillic_misfit(w)
    high = {c for c in w if not c.isascii()}
    if any(unicodedata.category(c) == "Mn" for c in high):
        return 1
    return int(not any(high <= LATIN[a] and (a != "vi" or _tones(w) <= 1) for a in langs))


def _tones(w: str) -> int:
    """Letters with a Vietnamese tone mark (a Vietnamese word is one syllable: one tone)."""
    return sum(any(m in _VI_TONES for m in unicodedata.normalize("NFD", c)) for c in w)


def _languages(words: list[str], langs) -> int:
    """How many of ``langs`` it takes to write every Latin word (greedy): a reading in one
    language is likelier than one that needs several."""
    todo = [{c for c in w if not c.isascii()} for w in words]
    todo = [h for h in todo if h and all(script(c) == "Latin" for c in h)]
    n = 0
    while todo:
        best = max(langs, key=lambda a: sum(h <= LATIN[a] for h in todo))
        left = [h for h in todo if not h <= LATIN[best]]
        if len(left) == len(todo):
            return n + len(todo)
        todo, n = left, n + 1
    return n


def _symbol_misfit(text: str) -> int:
    n = 0
    for i, c in enumerate(text):
        if c.isascii() or unicodedata.category(c)[0] in "LM":
            continue
        if c in _OK_SYMBOLS or (c == "°" and i and text[i - 1].isdigit()):
            continue
        if 0x3000 <= ord(c) <= 0x303F or 0xFF01 <= ord(c) <= 0xFF5E:  # CJK and full-width punctuation
            continue
        n += 1
    return n


def _cjk_rows(c: str, codec: str) -> tuple[int, int]:
    """(hard, soft) of one character by where the multibyte ``codec`` puts it."""
    if c.isascii() or codec in ("utf-8", "utf_8"):
        return 0, 0
    try:
        b = c.encode(codec)
    except UnicodeEncodeError:
        return 1, 0
    if len(b) == 1:
        return (0, 1) if codec in ("cp932", "shift_jis") else (1, 0)
    if len(b) != 2:
        return 1, 0
    lead, trail = b[0], b[1]
    if codec in ("gbk", "gb18030"):
        if 0xA1 <= lead <= 0xA3 or 0xB0 <= lead <= 0xD7 and trail >= 0xA1:
            return 0, 0
        if 0xD8 <= lead <= 0xF7 and trail >= 0xA1:  # GB2312 level 2: rarer characters
            return 0, 1
        return (1, 0) if 0xA4 <= lead <= 0xAF else (0, 1)
    if codec in ("cp950", "big5"):
        code = lead << 8 | trail
        if 0xA140 <= code <= 0xA3FE or 0xA440 <= code <= 0xC67E:
            return 0, 0
        return (0, 1) if 0xC940 <= code <= 0xF9D5 else (1, 0)
    if codec in ("cp932", "shift_jis"):
        code = lead << 8 | trail
        if 0x8140 <= code <= 0x83FF and not 0x839F <= code <= 0x83FF or 0x889F <= code <= 0x9872:
            return 0, 0
        return (1, 0) if 0x839F <= code <= 0x84FF else (0, 1)
    if codec in ("cp949", "euc_kr"):
        if 0xB0 <= lead <= 0xC8 and trail >= 0xA1 or 0xA1 <= lead <= 0xA3:
            return 0, 0
        return (0, 1) if lead <= 0xC6 and trail < 0xA1 or lead < 0xA1 else (1, 0)
    return 0, 0


def misfit(lines: list[str], codec: str) -> tuple[int, int, int]:
    """``(hard, soft, languages)`` of ``lines``, the texts as ``codec`` reads them (see the module
    docstring; ``languages``: how many Latin-script languages its words need).

    >>> misfit(["Piece Name: Перед"], "cp1251"), misfit(["Piece Name: Ïåðåä"], "cp1252")
    ((0, 0, 0), (1, 0, 1))
    """
    hard = soft = 0
    name = codecs.lookup(codec).name
    langs = CODEC_LANGS.get(name, tuple(LATIN))
    words = []
    for raw in lines:
        text = unicodedata.normalize("NFC", plain_text(raw))
        ws = list(_words(text))
        words += ws
        hard += _symbol_misfit(text) + sum(_word_misfit(w, langs) for w in ws)
        if name in _CJK_CODECS:
            for c in set(text):
                h, s = _cjk_rows(c, name)
                hard, soft = hard + h, soft + s
    return hard, soft, _languages(words, langs)
