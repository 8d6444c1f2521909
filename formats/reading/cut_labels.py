"""Cut quantities as pattern makers write them: ``Cut 2``, ``Cut 2 (1 pair)``, ``Cut 1 + 1
mirrored``, ``CUT TWO``, ``Кроить 2``, ``Wytnij 2``, ``2枚`` on a piece, and the values of
``Quantity:`` texts (``1 pair``, ``1L 1R``, ``4 (2 pairs)``).

A pair is one piece as drawn and one mirrored, the ``a,b`` of an AAMA ``Quantity: 1,1``: ``Cut 2
mirrored``, ``Cut 2 (L & R)``, ``1L 1R`` and ``1 + 1`` are one pair, ``Cut 2 pairs`` two. A count
with a remark in brackets keeps the count; the remark adds the mirrored copies when it counts
the same pieces (``4 (2 pairs)``), else it is a note. Italian ``Taglia 2`` is no cut label:
*taglia* is the Italian for size (and ``Taglia: 2`` a size); ``Taglia 2 volte`` (twice) is one.

:func:`cut_quantity` reads a whole ``Cut N`` label, :func:`quantity_phrase` the value of a
``Quantity:`` text.
"""

from __future__ import annotations

import re

from kitcut.formats.reading.label_keys import fold_text

__all__ = ["cut_quantity", "quantity_phrase", "bare_quantity", "name_and_quantity", "remark_mirrors",
           "COUNT_WORDS"]


def _words(text: str) -> str:
    """A regex alternative of the words (folded, longest first; spaces match any spaces)."""
    ws = sorted({fold_text(w).replace("_", " ") for w in text.split()}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s*") for w in ws)


#: Number words, one to ten (twelve in English), in the languages of the label keys.
COUNT_WORDS: dict[str, int] = {}
for _n, _ws in enumerate((
        "one eins ein eine un une uno una um een jeden jedna один одна bir",
        "two zwei deux dos due dois duas twee dwa dwie два две iki",
        "three drei trois tres tre três drie trzy три üç",
        "four vier quatre cuatro quattro quatro cztery четыре dört",
        "five fünf cinq cinco cinque vijf",
        "six sechs seis sei zes",
        "seven sieben sept siete sette sete zeven",
        "eight acht huit ocho otto oito",
        "nine neun neuf nueve nove negen",
        "ten zehn dix diez dieci dez tien"), start=1):
    for _w in _ws.split():
        COUNT_WORDS[fold_text(_w)] = _n
COUNT_WORDS["twelve"] = 12

#: The word for cutting on a label, as an imperative or a noun (``Cut``, ``Zuschnitt``).
_CUT_WORDS = """cut zuschneiden zuschnitt schneiden cortar corte couper coupe tagliare taglio knippen knip
    kesim kes kesilecek wytnij wyciąć krój kroić кроить выкроить раскроить крой раскрой вырезать
    cắt 裁剪 裁断 裁 재단"""
#: Units after a count (``2 pcs``, ``2 Stk.``, ``Крой 2 шт.``).
_UNITS = """pcs pc pieces piece pz pzs uds ud stück stk st piezas pieza pièces pezzi pezzo peças peça
    stuks stuk szt sztuk sztuki шт штук штуки дет детали деталей деталь adet chi_tiết cái chiếc"""
_COUNTERS = "片枚张張장件块"  # CJK counters, written right after the count (``2枚``, ``2장``)
#: "pair(s)" after a count: that many pieces as drawn and as many mirrored.
_PAIRS = """pairs pair pr paare paar pares par paires paire paia para pary пара пары пар çift 对 對 双 雙
    组 組 쌍 켤레"""
#: Mirrored copies, or left and right: half of the count mirrored.
_MIRRORS = """mirrored mirror_image mirror reversed flipped l_&_r l_/_r l_+_r l_and_r r_&_l r_/_l lr
    left_&_right left_and_right left_/_right links_/_rechts links_und_rechts gegengleich gespiegelt
    spiegelbildlich en_espejo espejo espejado espejados invertido invertidos speculare speculari
    specchiato specchiati symétrique symétriques gespiegeld зеркально зеркальные зеркальная зеркальных
    зерк зерк. дзеркально дзеркальні дзерк дзерк. lustrzanie
    lustrzane simetrik 左右 좌우"""
_SIDES = "l r left right links rechts"
#: Between two counts: ``1 + 1``, ``1 & 1``, ``1 and 1`` (``1L 1R`` needs none).
_PLUS = "+ & and und et y e en i ve и"
#: Words after a count that begin a note: ``Cut 1 on fold``, ``Cut 2 fabric, 2 fusing``, ``Cortar 2 veces``.
_TAILS = """on_fold on_the_fold self fabric lining interfacing fusing contrast of from in mal fois veces
    volte vezes keer razy раза раз kez kere lần im_bruch im_stoffbruch au_pli sur_le_pli al_doblez
    en_el_doblez sul_piegato na_dobra op_de_vouw"""
#: Words after a count that say it counts times: ``2 fois``, ``2 veces``, ``2 mal`` (a count alone).
_TIMES_WORDS = "times mal fois veces volte vezes keer razy раза раз kez kere lần"
#: Tails that leave a count alone a count: the fold it is cut on (``1x im Bruch``, ``1 au pli``).
_FOLD_TAILS = """on_fold on_the_fold im_bruch im_stoffbruch au_pli sur_le_pli al_doblez en_el_doblez
    sul_piegato na_dobra op_de_vouw"""
#: Left and right symmetric, before a count: ``左右対称 2枚`` (one pair).
_MIRROR_FIRST = "左右対称 左右對稱 左右对称 左右"
#: On the fold, before a count: ``わ 1枚`` (Japanese *wa*, the fold), ``连折 1片``.
_FOLD_FIRST = "わ 輪 连折 連折 对折 對折"

_NOT_LETTER = r"(?![^\W\d_])"  # a word ends here (no letter follows)


def _rx(words: str, end: str = _NOT_LETTER) -> re.Pattern:
    return re.compile(rf"\s*(?:{_words(words)}){end}")


_NUM = re.compile(rf"\s*(?:(\d+)|({'|'.join(sorted(COUNT_WORDS, key=len, reverse=True))}){_NOT_LETTER})")
_A = _rx("a an")
_UNIT = re.compile(rf"\s*(?:(?:{_words(_UNITS)}){_NOT_LETTER}\.?|[{_COUNTERS}])")
_TIMES = re.compile(rf"\s*[x×]{_NOT_LETTER}")
_TIMES_WORD = _rx(_TIMES_WORDS)
_FOLD_TAIL = re.compile(rf"\s+(?:{_words(_FOLD_TAILS)}){_NOT_LETTER}")
_MIRRORED_FIRST = re.compile(rf"\s*(?:{_words(_MIRROR_FIRST)})")
_ON_FOLD_FIRST = re.compile(rf"\s*(?:{_words(_FOLD_FIRST)})")
_PAIR = _rx(_PAIRS)
_MIRROR = _rx(_MIRRORS)
_SIDE = _rx(_SIDES)
_JOIN = re.compile(rf"\s*(?:[+&]|(?:{_words(_PLUS.replace('+ & ', ''))}){_NOT_LETTER})")
_SLASH = re.compile(r"\s*/")
#: "left and right, each": ``左右各1`` (one left, one right), ``좌우 각 1``
_EACH_SIDE = re.compile(r"\s*(?:左右|좌우)\s*(?:各|각)")
_REMARK = re.compile(r"\s*(?:\(([^()]*)\)|\[([^\[\]]*)\])")
_TAIL = re.compile(rf"\s+(?:{_words(_TAILS)}){_NOT_LETTER}")
_CUT = rf"(?:{_words(_CUT_WORDS)}){_NOT_LETTER}"
#: ``Cut`` first, or after a material as Valentina writes it (``Fabric, Cut 2``): the count follows.
_CUT_HEADS = (re.compile(rf"^\s*(?:{_CUT}|taglia(?=\s*\d+\s*volte{_NOT_LETTER}))"),  # Taglia 2 volte: twice
              re.compile(rf"^\s*(?P<material>[^\W\d_][^,:;\n]{{0,40}}?)\s*,\s*{_CUT}"))
#: The count first: ``2 x zuschneiden``, ``2枚``, ``2장``.
_COUNT_FIRST = re.compile(rf"^\s*(\d+)\s*(?:[x×]\s*{_CUT}|[{_COUNTERS}]\s*(?:{_CUT})?|"
                          rf"(?:{_words(_UNITS)}){_NOT_LETTER}\.?\s*{_CUT})\s*$")


class _Reader:
    """A position in a folded text, moved on by each part read; ``marked`` once a part read says
    the number is a count of pieces (times, a pair, mirrored, left and right, a unit)."""

    def __init__(self, s: str, i: int = 0):
        self.s, self.i = s, i
        self.marked = False

    def mark(self, m):
        """``m``, and the count marked when it is a match."""
        self.marked = self.marked or bool(m)
        return m

    def take(self, rx: re.Pattern) -> re.Match | None:
        m = rx.match(self.s, self.i)
        if m:
            self.i = m.end()
        return m

    def count(self) -> int | None:
        m = self.take(_NUM)
        if m is None:
            return None
        return int(m.group(1)) if m.group(1) else COUNT_WORDS[m.group(2)]

    def rest(self) -> str:
        return self.s[self.i:]


def _phrase(r: _Reader, outer: int | None = None) -> tuple[int, int | None] | None:
    """``(quantity, mirrored or None)`` of the count at ``r``: ``2``, ``1 pair``, ``2 mirrored``,
    ``1L 1R``, ``1 + 1 mirrored``; in a remark (``outer`` the count before it) ``pair`` and
    ``L & R`` alone. ``None`` when it is none of these. ``r`` is marked (:meth:`_Reader.mark`)
    when a word or sign says it is a count of pieces (``2`` and ``1 + 1`` say nothing)."""
    r.mark(r.take(_TIMES))  # x2
    r.take(_ON_FOLD_FIRST)  # わ 1枚: the count of a piece cut on the fold
    n = r.count()
    if n is None:
        at = r.i
        if r.take(_MIRRORED_FIRST) and (k := r.count()) is not None:  # 左右対称 2枚: a pair
            r.mark(r.take(_UNIT))
            return (k, k // 2) if k % 2 == 0 else None
        r.i = at
        if r.take(_PAIR) or (r.take(_A) and r.take(_PAIR)):
            r.mark(True)
            return 2, 1
        r.i = at
        if outer is not None and r.take(_MIRROR):
            return (outer, outer // 2) if outer % 2 == 0 else None
        if r.mark(r.take(_EACH_SIDE)) and (k := r.count()) is not None:
            r.take(_UNIT)
            return 2 * k, k
        return None
    side = r.take(_SIDE)
    r.mark(r.take(_UNIT))
    r.mark(r.take(_TIMES) or r.take(_TIMES_WORD))
    at = r.i
    join = r.take(_JOIN) or (side and r.take(_SLASH))
    if join or side:
        m = r.count()
        other = r.take(_SIDE) if m is not None else None
        r.take(_UNIT)
        mirror = r.take(_MIRROR)
        # ``1 + 1``; ``1 and 1`` only with its sides or mirrored (``Cut 2 and 2 fusing`` is a note)
        if m is not None and ((join and join.group(0).strip() in "+&") or other or (join and mirror)):
            r.mark(other or mirror)
            return n + m, m
    r.i = at
    if r.mark(r.take(_PAIR)):
        return 2 * n, n
    if r.mark(r.take(_MIRROR)):
        if r.take(_PAIR):  # 2 mirrored pairs
            return 2 * n, n
        return (n, n // 2) if n % 2 == 0 else None
    return n, None


def _remark(m: re.Match, q: int) -> int | None:
    """The mirrored copies of a count ``q`` that a remark in brackets gives when it counts the
    same pieces (``2 (1 pair)``, ``2 (L/R)``, ``4 (2 pairs)``), else ``None``: a note."""
    inner = _Reader(m.group(1) or m.group(2) or "")
    got = _phrase(inner, q)
    return got[1] if got and got[0] == q and not inner.rest().strip() else None


def _with_remark(r: _Reader, q: int, f: int | None) -> tuple[int, int | None]:
    """The count read, and the remarks in brackets after it (:func:`_remark`)."""
    while m := r.take(_REMARK):
        f = f if f is not None else _remark(m, q)
    return q, f


def quantity_phrase(value: str) -> tuple[int, int | None] | None:
    """``(quantity, mirrored)`` of a whole ``Quantity:`` value in words (mirrored ``None`` when
    it says nothing of mirroring), or ``None``.

    >>> [quantity_phrase(v) for v in ("1 pair", "1L 1R", "1 + 1 mirrored", "two", "4 (2 pairs)")]
    [(2, 1), (2, 1), (2, 1), (2, None), (4, 2)]
    >>> quantity_phrase("2 (see note)"), quantity_phrase("3 mirrored"), quantity_phrase("1/1")
    ((2, None), None, None)
    >>> quantity_phrase("左右各1"), quantity_phrase("左右各2片"), quantity_phrase("좌우 각 1장")
    ((2, 1), (4, 2), (2, 1))
    """
    r = _Reader(fold_text(value))
    got = _phrase(r)
    if got is None:
        return None
    got = _with_remark(r, *got)
    return got if not r.rest().strip() else None


def remark_mirrors(value: str, quantity: int) -> int | None:
    """The mirrored copies that the first remark in brackets of ``value`` able to say gives a
    count of ``quantity`` (:func:`_remark`), or ``None``.

    >>> remark_mirrors("4 (2 pairs)", 4), remark_mirrors("2 (1L 1R)", 2), remark_mirrors("4 (1 pair)", 4)
    (2, 1, None)
    """
    for m in _REMARK.finditer(fold_text(value)):
        if (f := _remark(m, quantity)) is not None:
            return f
    return None


def cut_quantity(text: str) -> tuple[str, bool] | None:
    """``(quantity, after a material)`` of a ``Cut N`` label on a piece, the quantity as a
    ``Quantity:`` value (``2``, or ``1,1`` for one as drawn and one mirrored); ``None`` for any
    other text. A note may follow (``Cut 1 on fold``, ``Cut 2 fabric, 2 fusing``), and a
    material come first, as Valentina's default label line writes it (``Fabric, Cut 2``).

    >>> [cut_quantity(t)[0] for t in ("Cut 2", "CUT 1 PAIR", "Cut 2 (1 pair)", "Cut 1 + 1 mirrored",
    ...                               "CUT TWO", "Cut 2 (L & R)", "Кроить 2", "Крой 2 шт.", "2枚")]
    ['2', '1,1', '1,1', '1,1', '2', '1,1', '2', '2', '2']
    >>> cut_quantity("Fabric, Cut 2"), cut_quantity("KES POCKET"), cut_quantity("Taglia 2")
    (('2', True), None, None)
    """
    s = fold_text(text)
    for material, rx in enumerate(_CUT_HEADS):  # ``Cut 1 on fold, Cut 2 interfacing``: the first
        head = rx.match(s)
        r = _Reader(s, head.end()) if head else None
        got = _phrase(r) if r else None
        if got is not None:
            q, f = _with_remark(r, *got)
            if not r.rest().strip() or r.take(_TAIL):
                return _value(q, f), bool(material)
    m = _COUNT_FIRST.match(s)
    return None if m is None else (m.group(1), False)


def _value(q: int, f: int | None) -> str:
    """A count as a ``Quantity:`` value: ``2``, or ``1,1`` for one as drawn and one mirrored."""
    return f"{q}" if f is None else f"{q - f},{f}"


#: ``2X`` in capitals is the plus size (``2X``, ``3X``), as size charts write it, not twice.
_PLUS_SIZE = re.compile(r"\s*[2-6]X\s*")
#: ``2 PIECE`` alone: what a two-piece collar or sleeve is (``2 PIECE COLLAR``), not a count.
_N_PIECE = re.compile(r"\s*\d+\s*-?\s*piece\s*", re.I)
#: The most pieces a count written alone gives: more is a measure (``x 260``), not a count.
_MOST_ALONE = 99


def bare_quantity(text: str) -> str | None:
    """The quantity (a ``Quantity:`` value) of a text that is a count alone, without a key or the
    word for cutting, when a word or a sign says it counts pieces: ``x2``, ``2x``, ``1 pair``,
    ``1L+1R``, ``2 pcs``, ``2 mirrored``, ``左右各1片``, ``2 (L/R)``. A number alone (a dimension
    ``260``, a size ``38``), ``two``, ``1+1``, ``2L`` (a Japanese size), ``2X`` in capitals (the
    plus size), ``2 PIECE`` (a two-piece collar) and a count over 99 are none.

    >>> [bare_quantity(t) for t in ("x2", "2x", "1 pair", "1L+1R", "左右各1片", "2 pcs", "2 (L/R)")]
    ['2', '2', '1,1', '1,1', '1,1', '2', '1,1']
    >>> [bare_quantity(t) for t in ("260", "two", "1+1", "2L", "2X", "2 x 3", "x 260", "B-12", "2 PIECE")]
    [None, None, None, None, None, None, None, None, None]
    """
    if _PLUS_SIZE.fullmatch(text) or _N_PIECE.fullmatch(text):
        return None
    r = _Reader(fold_text(text))
    got = _phrase(r)
    if got is None:
        return None
    q, f = _with_remark(r, *got)
    said = r.marked or (got[1] is None and f is not None)  # or a remark in brackets: ``2 (L/R)``
    ends = not r.rest().strip() or (r.take(_FOLD_TAIL) and not r.rest().strip())  # ``1x im Bruch``
    return _value(q, f) if said and q <= _MOST_ALONE and ends else None


#: Where a name may end before its count on one line: a dash, a slash or a bar, or a space.
_NAME_END = re.compile(r"\s*[-–—/|]\s*|\s+")
#: A count in brackets at the end of a line: ``FRONT (CUT 2)``.
_LAST_REMARK = re.compile(r"^(.*?)\s*(?:\(([^()]*)\)|\[([^\[\]]*)\])\s*$", re.S)
_NAME_START = re.compile(r"[^\W\d_]")
#: A number, then ``x`` and another: a measure (``4 x 72``, ``3X45``), split nowhere between.
_BY = re.compile(r"\d\s*$")
_BY_REST = re.compile(r"\s*[x×]\s*\d", re.I)


def _count_alone(text: str) -> str | None:
    """The quantity of a ``Cut N`` label (no material before it) or of a count alone."""
    cut = cut_quantity(text)
    if cut is not None:
        return None if cut[1] else cut[0]
    return bare_quantity(text)


def name_and_quantity(line: str) -> tuple[str, str] | None:
    """``(name, quantity)`` of a label of one line that writes a piece's name and then its count
    (:func:`cut_quantity`, :func:`bare_quantity`) after a space, a dash, a slash or in brackets:
    ``FRONT X2``, ``FRONT - CUT 2``, ``SLEEVE (Cut 1 pair)``, ``BACK YOKE 2 pcs``. The name starts
    with a letter; a number alone after it is part of it (``BACK YOKE 2``), and so is ``2X``
    (a plus size); ``None`` when no count ends the line.

    >>> [name_and_quantity(t) for t in ("FRONT X2", "FRONT - CUT 2", "SLEEVE (Cut 1 pair)", "YOKE 2 pcs")]
    [('FRONT', '2'), ('FRONT', '2'), ('SLEEVE', '1,1'), ('YOKE', '2')]
    >>> [name_and_quantity(t) for t in ("BACK YOKE 2", "FRONT 2X", "24-2506-P1-D-FRT X1", "BAND 4 x 72")]
    [None, None, None, None]
    """
    t = line.strip()
    if not _NAME_START.match(t):
        return None
    m = _LAST_REMARK.match(t)
    if m and m.group(1) and (q := _count_alone(m.group(2) or m.group(3) or "")) is not None:
        return m.group(1), q
    for m in _NAME_END.finditer(t):
        name, rest = t[:m.start()], t[m.end():]
        if _BY.search(name) and _BY_REST.match(rest):
            continue  # ``WAISTBAND 4 x 72``: a size, 4 by 72, not 72 pieces
        if name and rest and (q := _count_alone(rest)) is not None:
            return name, q
    return None
