"""The ``KEY: value`` system texts of AAMA / ASTM pattern files.

Keys match case-insensitively with spaces optional: ``Piece Name: X`` (AccuMark),
``PIECE NAME: X`` (CLO), ``Piece Name:X`` and ``Size Name:`` (Seamline) all mean the same, and
so do the keys of a plain DXF's labels in other languages (``Teil:``, ``Größe:``, ``数量：``;
:mod:`~kitcut.formats.reading.label_keys`).

Text values arrive with DXF's own escapes, the same in every reader (see :func:`dxf_text`):
``\\U+XXXX`` Unicode characters (how R12 files and ezdxf's writer store anything beyond the
code page), ``\\M+cXXXX`` multibyte characters, and the ``%%`` codes of TEXT entities.
"""

from __future__ import annotations

import math
import re
import unicodedata

from kitcut.formats.reading.cut_labels import (
    bare_quantity,
    cut_quantity,
    name_and_quantity,
    quantity_phrase,
    remark_mirrors,
)
from kitcut.formats.reading.label_keys import KEYS, field_of_key, normal_key

__all__ = [
    "KEYS", "parse_text", "parse_texts", "parse_label", "parse_quantity", "parse_quantity_text",
    "entity_text", "entity_layer", "text_insert", "dxf_text", "unescape", "escape", "tagged", "nfc",
]

#: ``KEY: value``: a key of letters (any script), spaces, dots and hyphens, a colon (or a
#: full-width one, as CJK labels write it).
_KEY_VALUE = re.compile(r"^\s*([^\W\d_][^\W\d]*(?:[ \t.\-'’·]+[^\W\d]+)*\.?)\s*[:：]\s*(.*?)\s*$", re.S)


def parse_text(text: str) -> tuple[str, str] | None:
    """``(field, value)`` of a system text, ``None`` for other texts.

    >>> parse_text("PIECE NAME:Front"), parse_text("Size Name: 42"), parse_text("# 12")
    (('name', 'Front'), ('size', '42'), None)
    >>> parse_text("Größe: 38"), parse_text("纸样名称：前片"), parse_text("Qté. : 2")
    (('size', '38'), ('name', '前片'), ('quantity', '2'))
    >>> parse_text("PIECE  NAME:X"), parse_text("Piece\tName : X")
    (('name', 'X'), ('name', 'X'))
    >>> parse_text("SIZE M"), parse_text("x2"), parse_text("Size label"), parse_text("260")
    (('size', 'M'), ('quantity', '2'), None, None)
    """
    m = _KEY_VALUE.match(text or "")
    field = field_of_key(m.group(1)) if m else None
    if field is None:
        return _cut_text(text or "") or _spaced_field(text or "") or _fold_label(text or "")
    return field, m.group(2)


_LETTER_SIZE = r"(?:X{0,4}[SL]|M|\d?X{1,4}[SL]|[2-6]X)"
#: A size as a label writes it after its key: ``M``, ``XXL``, ``3XL``, ``S/M``, ``38``, ``10-12``,
#: ``170/92A``.
_SIZE_VALUE = re.compile(rf"{_LETTER_SIZE}(?:/{_LETTER_SIZE})?|\d{{1,3}}(?:[./-]\d{{1,3}})?[A-Z]?", re.I)


def _spaced_field(text: str) -> tuple[str, str] | None:
    """A size or a quantity written after its key without a colon, when the value is one
    (:data:`_SIZE_VALUE`; a count :func:`parse_quantity_text` reads): ``SIZE M``, ``Size 38``,
    ``Gr. 38``, ``号型 170/92A``, ``QTY 2``, ``Anzahl 2``. ``Size label`` (where the size label is
    sewn) is neither, nor is ``Taglia 2``: *taglia* is also Italian for "cut!"; ``Taglia 44`` is
    a size.

    >>> [_spaced_field(t) for t in ("Size 38", "SZ XL", "QTY 1 pair", "Taglia 2", "Taglia 44")]
    [('size', '38'), ('size', 'XL'), ('quantity', '1 pair'), None, ('size', '44')]
    """
    words = text.split()
    for k in (1, 2):
        key, value = " ".join(words[:k]), " ".join(words[k:])
        field = field_of_key(key) if value else None
        if field == "size" and _SIZE_VALUE.fullmatch(value):
            if normal_key(key) == "taglia" and value.isdigit() and int(value) < 20:
                return None
            return field, value
        if field == "quantity":
            try:
                parse_quantity_text(value)
            except ValueError:
                return None
            return field, value
    return None


#: The fold in Chinese and Japanese labels; Japanese ``わ`` / ``輪`` (the fold) only as a word of
#: its own (``わ 1枚``, ``後身頃 わ``), not inside ``まわり``.
_CJK_FOLD_WORDS = r"对折|對折|连折|連折|連裁|わ裁|(?<![^\W\d_])(?:わ|輪)(?![^\W\d_])"
_CJK_FOLD = re.compile(_CJK_FOLD_WORDS)
#: A label saying the piece is cut on the fold (drawn as a half, or full with the fold marked).
ON_FOLD = re.compile(r"\bon\s+(?:the\s+)?fold\b|\bfold\s*line\b|\bim\s+(?:stoff)?bruch\b|\bau\s+pli\b|"
                     r"\bal\s+doblez\b|\bsul\s+piego\b|\bop\s+de\s+vouw\b|" + _CJK_FOLD_WORDS, re.I)


def _fold_label(text: str) -> tuple[str, str] | None:
    """A short label such as ``PLACE ON FOLD`` or ``Cut on fold``: an annotation of the piece
    (read, printed on its label, and checked against the piece: see ``ON_FOLD``)."""
    t = text.strip()
    return ("annotation", t) if len(t) <= 40 and ON_FOLD.search(t) else None


def _cut_text(text: str) -> tuple[str, str] | None:
    """The quantity of a ``Cut N`` label as pattern makers write it on the piece
    (:func:`~kitcut.formats.reading.cut_labels.cut_quantity`): ``Cut 2``, ``CUT 1 PAIR`` (one as
    drawn, one mirrored), ``Cut 2 (L & R)``, ``Fabric, Cut 2``, ``Zuschneiden 2x``, ``Кроить 2``, ``2枚``.

    A count written alone says so too when a word or a sign says it counts pieces
    (:func:`~kitcut.formats.reading.cut_labels.bare_quantity`: ``x2``, ``1 pair``, ``左右各1``), not a
    number alone.

    >>> _cut_text("Cut 2"), _cut_text("cut 2 pairs"), _cut_text("Cut here"), _cut_text("Front, 2 cut")
    (('quantity', '2'), ('quantity', '2,2'), None, None)
    >>> _cut_text("1 pair"), _cut_text("左右各1片"), _cut_text("38")
    (('quantity', '1,1'), ('quantity', '1,1'), None)
    """
    got = cut_quantity(text)
    if got is None:
        alone = bare_quantity(text)  # ``x2``, ``1 pair``, ``左右各1片``: a count written alone
        return None if alone is None else ("quantity", alone)
    return "quantity", got[0]


def tagged(text: str, tag: str) -> str:
    """The text of a block attribute as a ``KEY: value`` text: its tag is the key unless the
    value carries its own (``PIECE_NAME`` = ``Front`` is ``PIECE NAME: Front``).

    >>> tagged("Front", "PIECE_NAME"), tagged("Size: M", "LABEL"), tagged("Front", "")
    ('PIECE NAME: Front', 'Size: M', 'Front')
    """
    if not tag or ":" in text:
        return text
    return f"{tag.replace('_', ' ')}: {text}"


def parse_texts(text: str) -> list[tuple[str, str]]:
    """Every ``(field, value)`` of a text that may hold several lines (an MTEXT label such as
    ``Piece Name: Front\\PSize: M\\PQuantity: 2``): each line that starts with a known key
    begins a field. A line without a key continues a name (a long name wrapped: joined by a
    space) or an annotation; after a one-word field (a size, a quantity...) it is a note of its
    own, kept as an annotation. Lines before the first field are left out (see
    :func:`parse_label`).

    >>> parse_texts("Piece Name: Front\\nSize: M\\nQuantity: 2")
    [('name', 'Front'), ('size', 'M'), ('quantity', '2')]
    >>> parse_texts("Annotation: cut on fold\\nkeep nap"), parse_texts("# 3\\nfront")
    ([('annotation', 'cut on fold\\nkeep nap')], [])
    >>> parse_texts("Piece Name: Front\\nLeft side\\nSize: M\\ninterlining")
    [('name', 'Front Left side'), ('size', 'M'), ('annotation', 'interlining')]
    """
    return parse_label(text)[1]


def parse_label(text: str) -> tuple[str, list[tuple[str, str]]]:
    """``(lines before the first field, fields)`` of a text (:func:`parse_texts`): the lines
    without a key that open a label, joined by a space, are the bare name an MTEXT label
    begins with (``CUFF\\PCut 2``), as a TEXT of its own beside the others would be; a line that
    opens a label with a name and ends with its count (``FRONT X2``, ``FRONT - CUT 2``:
    :func:`~kitcut.formats.reading.cut_labels.name_and_quantity`) gives both.

    >>> parse_label("CUFF\\nCut 2"), parse_label("Back\\nyoke\\nSize: M"), parse_label("FRONT")
    (('CUFF', [('quantity', '2')]), ('Back yoke', [('size', 'M')]), ('FRONT', []))
    >>> parse_label("FRONT - CUT 2"), parse_label("SLEEVE (1 pair)\\nSIZE M")
    (('FRONT', [('quantity', '2')]), ('SLEEVE', [('quantity', '1,1'), ('size', 'M')]))
    """
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lead: list[str] = []
    out: list[list[str]] = []
    for line in lines:
        kv = parse_text(line)
        if kv and kv[0] == "annotation" and ON_FOLD.search(line) and _named_fold(line, lead, out):
            continue
        if kv:
            out.append([kv[0], kv[1]])
            cut = cut_quantity(line)
            fold = kv[0] == "quantity" and ON_FOLD.search(line) and not ON_FOLD.search(kv[1])
            if fold or (cut and cut[1]):
                # ``Cut 1 on fold``, ``わ 1枚``, ``Lining, Cut 2``: its count, and the fold or the material
                # noted (``Quantity: 1 on fold`` keeps the fold in its value: see labels.assign_quantities)
                out.append(["annotation", line.strip()])
        elif out and line.strip():
            key, value = out[-1]
            if key not in _CONTINUED:
                out.append(["annotation", line.strip()])
            else:
                join = " " if key == "name" else "\n"
                out[-1][1] = f"{value}{join}{line.strip()}" if value else line.strip()
        elif (split := name_and_quantity(line)) is not None:  # ``FRONT X2``, ``FRONT - CUT 2``
            lead.append(split[0])
            out.append(["quantity", split[1]])
        elif line.strip():
            lead.append(line.strip())
    return " ".join(lead), [(k, v) for k, v in out]


def _named_fold(line: str, lead: list, out: list) -> bool:
    """Read a label line holding a name and the fold words (``袖口 輪 2枚``, ``FRONT cut 1 on
    fold``, ``後身頃 わ``) into ``lead`` (the name) and ``out`` (its count, the fold kept as a
    note); False when it holds no name (``PLACE ON FOLD``, ``わ 1枚``). The whole line was a note,
    and the piece lost its name and its count."""
    if (split := name_and_quantity(line)) is not None:
        lead.append(split[0])
        out += [["quantity", split[1]], ["annotation", line.strip()]]
        return True
    rest = _CJK_FOLD.sub(" ", line).strip() if _CJK_FOLD.search(line) else ""
    if rest and not parse_text(rest) and not any(ch.isdigit() for ch in rest):
        lead.append(rest)
        out.append(["annotation", line.strip()])
        return True
    return False


#: Fields whose value may run over several lines of a label.
_CONTINUED = ("name", "annotation", "material", "category")


def parse_quantity(value: str) -> tuple[int, int | None]:
    """``(quantity, flipped)`` of a ``Quantity:`` value; ``ValueError`` when unreadable.

    ``a,b`` is a copies as drawn plus b mirrored; a plain number says nothing of mirroring.

    >>> parse_quantity("1,1"), parse_quantity("2"), parse_quantity(" 0 , 0 ")
    ((2, 1), (2, None), (0, 0))
    """
    parts = [p.strip() for p in value.replace(";", ",").split(",")]
    whole = [float(p) for p in parts if p]
    if not all(math.isfinite(n) and n.is_integer() for n in whole):
        raise ValueError(value)  # 2.5 pieces: not a count
    nums = [int(n) for n in whole]
    if not nums or len(nums) > 2 or any(n < 0 for n in nums):
        raise ValueError(value)
    if len(nums) == 1:
        return nums[0], None
    return nums[0] + nums[1], nums[1]


_QTY_REMARK = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_QTY_UNIT = re.compile(r"(?<=\d)\s*(?:pcs|pc|pieces|piece|stk|st|pz|pzs|uds?)\b\.?", re.I)
_QTY_TIMES = re.compile(r"^\s*[x\u00d7]\s*(?=\d)|(?<=\d)\s*[x\u00d7]\s*$", re.I)


def parse_quantity_text(value: str) -> tuple[int, int | None]:
    """:func:`parse_quantity` of a ``Quantity:`` text as pattern makers write it: a count with
    a unit (``2 pcs``, ``2 Stk.``), times (``x2``, ``2X``), ``a+b`` for ``a,b``, a remark in
    brackets (a note, unless it counts the pairs: ``4 (2 pairs)`` is 2 as drawn and 2 mirrored),
    in words (``1 pair``, ``1L 1R``, ``two``: :mod:`~kitcut.formats.reading.cut_labels`);
    ``ValueError`` when still unreadable.

    >>> [parse_quantity_text(v) for v in ("2 pcs", "x2", "2X", "1+1", "4 (2 pairs)", "1 pair", "1L 1R")]
    [(2, None), (2, None), (2, None), (2, 1), (4, 2), (2, 1), (2, 1)]
    """
    v = _QTY_TIMES.sub("", _QTY_UNIT.sub("", _QTY_REMARK.sub(" ", value)))
    try:
        q, f = parse_quantity(v.replace("+", ","))
    except ValueError:
        got = quantity_phrase(value)
        if got is None:
            raise
        return got
    return q, (f if f is not None else remark_mirrors(value, q))


_UNICODE = re.compile(r"\\U\+(00(?:0[1-9A-Fa-f]|10)[0-9A-Fa-f]{4}|[0-9A-Fa-f]{4})")
_PERCENT = re.compile(r"%%([cdpCDP%]|[kouKOU]|\d{3})")
_PERCENT_CHARS = {"c": "\u00d8", "d": "\u00b0", "p": "\u00b1", "%": "%"}


def _surrogates(s: str) -> str:
    """Pairs of UTF-16 surrogates joined into one character; a lone surrogate becomes U+FFFD."""
    if not any("\ud800" <= c <= "\udfff" for c in s):
        return s
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def escape(s: str) -> str:
    """``s`` in plain ASCII: every other character as a ``\\U+XXXX`` escape (beyond the BMP
    as a UTF-16 surrogate pair), the way DXF R12 carries any character whatever its code page.

    >>> escape("Ärmel 前")
    '\\\\U+00c4rmel \\\\U+524d'
    """
    if s.isascii():
        return s
    out = []
    for c in s:
        if c.isascii():
            out.append(c)
            continue
        units = c.encode("utf-16-be", "surrogatepass")
        out += [f"\\U+{int.from_bytes(units[i:i + 2], 'big'):04x}" for i in range(0, len(units), 2)]
    return "".join(out)


def nfc(s: str) -> str:
    """``s`` in Unicode normal form C: one way to write each character, so that a name read
    from a file and a name typed match however each was written (cp1258 and macOS write
    Vietnamese tone marks and umlauts as combining characters, keyboards mostly precomposed).

    >>> nfc("Vu\\u031b\\u0300a") == "V\\u1eeba", nfc("Front")
    (True, 'Front')
    """
    return s if s.isascii() or unicodedata.is_normalized("NFC", s) else unicodedata.normalize("NFC", s)


def unescape(s: str) -> str:
    """``\\U+XXXX`` (and ezdxf's 8-digit ``\\U+0001XXXX`` beyond the BMP) and ``\\M+cXXXX``
    escapes replaced by their characters, as ezdxf's recovering reader does for every text,
    in normal form C (:func:`nfc`): every text and name a reader takes from a file comes
    through here.

    >>> unescape("Piece Name: \\\\U+524d\\\\U+7247")
    'Piece Name: 前片'
    >>> unescape("Piece Name: \\\\M+5C7B0\\\\M+5C6AC")  # the GBK bytes of 前片 (code page 5: cp936)
    'Piece Name: 前片'
    """
    if "\\" not in s:
        return nfc(s)
    out = _UNICODE.sub(lambda m: chr(int(m.group(1), 16)), s)
    if "\\M+" in out:  # ezdxf keeps it in its low-level package (not exported at its top)
        from ezdxf.lldxf.encoding import decode_mif_to_unicode

        out = decode_mif_to_unicode(out)
    return nfc(_surrogates(out))


def dxf_text(s: str) -> str:
    """The text a TEXT, ATTRIB or ATTDEF value shows: :func:`unescape`, then the ``%%`` codes
    as ezdxf's ``plain_text`` reads them (``%%c`` Ø, ``%%d`` °, ``%%p`` ±, ``%%%`` %, ``%%nnn`` the
    character of decimal code nnn; the underline/overline/strike toggles ``%%u``, ``%%o``,
    ``%%k`` dropped).

    >>> dxf_text("Hem %%c50 %%uTop%%u 100%%% 45%%176")
    'Hem Ø50 Top 100% 45°'
    """
    s = unescape(s)
    if "%%" not in s:
        return s
    return _PERCENT.sub(_percent, s)


def _percent(m: re.Match) -> str:
    code = m.group(1)
    if code.isdigit():  # %%nnn: the character of that decimal code (AutoCAD's ANSI code page)
        n = int(code)
        return bytes([n]).decode("cp1252", errors="replace") if 0 < n < 256 else m.group(0)
    return _PERCENT_CHARS.get(code.lower(), "")


def entity_layer(e) -> str:
    """The layer name of ezdxf entity ``e``, its ``\\U+XXXX`` escapes decoded (:func:`unescape`):
    R12 and R2000 files carry a layer named outside their code page so."""
    return unescape(e.dxf.get("layer", "0"))


def entity_text(e) -> str | None:
    """The plain text of a TEXT, MTEXT, ATTRIB or ATTDEF entity (ATTRIB ``tag`` used as key
    when the value has no key of its own), escapes resolved (:func:`dxf_text`)."""
    t = e.dxftype()
    if t == "MTEXT":
        try:  # the full parser reads every formatting code (``\\~`` a non-breaking space...)
            return unescape(e.plain_text(fast=False))
        except Exception:  # noqa: BLE001 - a malformed MTEXT: the fast reading of it
            return unescape(e.plain_text())
    if t in ("TEXT", "ATTRIB", "ATTDEF"):
        text = dxf_text(e.dxf.get("text", "") or "")
        if t != "TEXT" and ":" not in text:
            tag = unescape(e.dxf.get("tag", "") or "")
            return f"{tag.replace('_', ' ')}: {text}" if tag else text
        return text
    return None


def text_insert(e) -> tuple[float, float, float] | None:
    """Where a TEXT, MTEXT, ATTRIB or ATTDEF entity stands, in world coordinates.

    A centred or right-aligned TEXT stands at its alignment point (an aligned or fitted one
    midway between its two points). TEXT, ATTRIB and ATTDEF store their points in the entity's
    own coordinate system: a text whose extrusion is not +Z (a drawing mirrored by turning it over, as some
    CADs do) has its x, or more, turned round. MTEXT stores world coordinates.
    """
    ins = e.dxf.get("insert", None)
    if ins is None:
        return None
    if e.dxftype() != "MTEXT" and hasattr(e, "get_placement"):
        # a centred or right-aligned text stands at its alignment point; many writers leave the
        # insertion point at the origin then (AutoCAD recomputes it, others do not)
        try:
            align, p1, p2 = e.get_placement()
            ins = p1 if p2 is None else (p1 + p2) / 2
        except (ValueError, TypeError, AttributeError):
            pass
    if e.dxftype() != "MTEXT":
        ext = e.dxf.get("extrusion", None)
        if ext is not None and (abs(ext[0]) > 1e-12 or abs(ext[1]) > 1e-12 or ext[2] <= 0):
            ins = e.ocs().to_wcs(ins)
    return float(ins[0]), float(ins[1]), float(ins[2])
