"""The texts of a plain DXF to their pieces (a stage of :mod:`.plain_pieces`): each text's
``KEY: value`` fields to the piece that holds it (or, outside every piece, the nearest); in a
graded nest a size text to its outline and the other texts to every size; a lone name inside
a piece, or the name an MTEXT label opens with, names it; among several, the one written right
above the piece's cut count (:mod:`.label_lines`)."""

from __future__ import annotations

import re

from shapely.geometry import Point

from kitcut.formats.reading.chains import describe
from kitcut.formats.reading.label_lines import line_above, text_line
from kitcut.formats.reading.shrinkage_texts import gives_shrinkage

__all__ = ["TextStage", "may_name"]

#: A text alone inside a piece that can be its name: letters first, no more than 40 characters...
_BARE_NAME = re.compile(r"^[^\W\d_][\w .\-/()&+#']{0,39}$")
#: ... or a style and piece code starting with digits, with three letters at least
#: (``24-2506-P1-D-FRT X1``, a Gerber marker's piece), not a number with its unit (``12 cm``)
_CODE_NAME = re.compile(r"^(?=\d[\w .\-/()&+#']{5,39}$)(?=(?:.*[^\W\d_]){3})")
#: A text alone that is a letter size (``M``, ``XL``, ``XXXL``, ``3XL``, ``2X``): written inside each
#: piece of a marker or of a pattern drawn in several sizes, beside the piece's name.
_SIZE_WORD = re.compile(r"^(?:X{0,4}[SL]|M|[2-6]X[SL]?)$")


def _bare(text: str) -> bool:
    """A text with no key that may name or size a piece (:data:`_BARE_NAME`, :data:`_CODE_NAME`,
    :data:`_SIZE_WORD`: ``2XL`` starts with a digit)."""
    t = text.strip()
    return bool(_BARE_NAME.match(t) or _CODE_NAME.match(t) or _SIZE_WORD.match(t))


#: The words a pattern maker writes beside a mark, never a piece's name: the grain line's
#: (``GRAIN``, ``Fadenlauf``, ``DF``), the fold's and the centre lines' (``CF``, ``CB``, ``VM``).
_MARK_WORD = re.compile(
    r"(?:straight\s+)?grain(?:\s*line)?|grainline|fadenlauf(?:linie)?|fdl|droit[\s-]?fil|df|grano|hilo|"
    r"drit+o\s?filo|draadrichting|纱向|布纹(?:线)?|丝缕|經紗|经纱|地の目|布目|식서|"
    r"(?:place\s+|cut\s+)?on\s+(?:the\s+)?fold|fold(?:\s*line)?|stoffbruch|bruch|pliure|doblez|"
    r"c\.?\s?[fb]\.?|cent(?:er|re)\s+(?:front|back)|v\.?\s?m\.?|h\.?\s?m\.?|vordere\s+mitte|"
    r"hintere\s+mitte|milieu\s+(?:devant|dos)", re.I)


def may_name(text: str) -> bool:
    """Whether a text without a key may be a piece's name: a word or a few (:data:`_BARE_NAME`),
    not a mark's word (:data:`_MARK_WORD`).

    >>> may_name("POCKET"), may_name("GRAIN"), may_name("Cut 2"), may_name("2")
    (True, False, True, False)
    """
    t = text.strip()
    return bool(_BARE_NAME.match(t)) and not _MARK_WORD.fullmatch(t)


def _bare_name(texts: list[str]) -> int | None:
    """Which of the texts without a key inside a piece is its name: the only one, or the only
    one without a number beside others that have one (``SLEEVE`` beside ``Leikkaa 2``, a cut
    label kitcut cannot read); ``None`` when that is not clear (``SLEEVE`` and ``M``). The words
    written beside a mark (``GRAIN``, ``CF``: :data:`_MARK_WORD`) are no names and leave the
    choice to the others: a front labelled ``FRONT`` with ``GRAIN`` along its grain line was
    left unnamed.

    >>> _bare_name(["FRONT"]), _bare_name(["SLEEVE", "Taglia 2"]), _bare_name(["SLEEVE", "M"])
    (0, 0, None)
    >>> _bare_name(["GRAIN", "FRONT"]), _bare_name(["C.F.", "Fadenlauf", "Vorderteil"]), _bare_name(["CB"])
    (1, 2, None)
    """
    names = [k for k, t in enumerate(texts) if not _MARK_WORD.fullmatch(t.strip())]
    if len(names) == 1:
        return names[0]
    words = [k for k in names if not any(c.isdigit() for c in texts[k])]
    return words[0] if len(words) == 1 else None


def _bare_size(texts: list[str], letters: bool = True) -> int | None:
    """Which of the texts without a key inside a piece is its size: the only letter size
    (:data:`_SIZE_WORD`) among them, when another text is left to name the piece; a lone ``S``,
    ``M`` or ``L`` only with ``letters`` (the drawing sizes other pieces ``XS``, ``XL``...:
    alone, an ``L`` may be a left side, an ``S`` a lining's fabric code).

    >>> _bare_size(["SLEEVE", "M"]), _bare_size(["FRT X1", "XXXL", "H"]), _bare_size(["FRONT", "L"], False)
    (1, 1, None)
    >>> _bare_size(["L"]), _bare_size(["S", "M"]), _bare_size(["FRONT", "3XL"], False)
    (None, None, 1)
    """
    sizes = [k for k, t in enumerate(texts) if _SIZE_WORD.match(t.strip())
             and (letters or len(t.strip()) > 1)]
    return sizes[0] if len(sizes) == 1 and len(texts) > 1 else None


def _letter_sizes(labels: list[list[str]]) -> bool:
    """Whether a lone ``S``, ``M`` or ``L`` sizes its piece (:func:`_bare_size`), given the texts
    without a key inside each piece: where other pieces are sized by ``XS``, ``XL``, ``2XL``..., or
    where one letter stands beside a name in every piece so labelled, two at least (a drawing of
    one size, each piece marked with it: an ``L`` for a left side would come with an ``R``), or
    one of several letters does, a name standing beside two of them (the sizes of a graded
    drawing, side by side).

    >>> _letter_sizes([["FRONT", "M"], ["BACK", "M"]]), _letter_sizes([["FRONT", "L"], ["BACK", "R"]])
    (True, False)
    >>> _letter_sizes([["FRONT", "L"], ["BACK"]]), _letter_sizes([["FRONT", "S"], ["BACK", "XL"]])
    (False, True)
    >>> _letter_sizes([["FRONT", "S"], ["FRONT", "M"], ["BACK", "S"]])
    True
    >>> _letter_sizes([["FRONT", "L"], ["BACK", "S"]])
    False
    """
    if any(len(t) > 1 and _SIZE_WORD.match(t) for texts in labels for t in texts):
        return True
    lone = [{t for t in texts if t in ("S", "M", "L")} for texts in labels]
    if len(lone) < 2 or not all(len(texts) > 1 for texts in labels) or not all(len(one) == 1 for one in lone):
        return False
    if all(one == lone[0] for one in lone):
        return True
    # several letters: the sizes of a graded drawing when a name stands beside two of them
    # (``FRONT`` with ``S`` and ``FRONT`` with ``M``), not a left side's ``L`` among names
    beside: dict[str, set] = {}
    for texts, one in zip(labels, lone, strict=True):
        for t in texts:
            if t not in one:
                beside.setdefault(t, set()).update(one)
    return any(len(v) >= 2 for v in beside.values())


def _size_lines(bare: dict[int, list]) -> dict[int, list]:
    """``bare`` with the name an MTEXT label opens with split from a size on the line after it
    (``FRONT\\PM\\PCut 2`` opens with ``FRONT M``) where every piece so labelled ends its name so
    and the letters size the drawing (:func:`_letter_sizes`); else as it is. The size was glued
    into the name: ``FRONT M``, ``FRONT S``, and no size read."""
    split: dict[int, list] = {}
    for i, found in bare.items():
        split[i] = []
        for t, e, used in found:
            head, _, last = t.rpartition(" ")
            if used and head.strip() and _SIZE_WORD.match(last):
                split[i] += [(head.strip(), e, True), (last, e, True)]
            else:
                split[i].append((t, e, used))
    if split == bare or not _letter_sizes([[t for t, _, _ in f] for f in split.values()]):
        return bare
    return split


class TextStage:
    """The text stage of one pass over a drawing (a mixin of :class:`~.plain_pieces._Sorter`,
    which sets ``fixer``, ``final``, ``raws``, ``nest_of``, ``labels``, ``spots``, ``skips`` and
    gives ``owner``, ``nearest`` and ``close_piece``)."""

    def _texts(self, texts: list) -> dict:
        """Each text's ``KEY: value`` fields to the piece that holds it (or, outside every
        piece, the nearest); a lone name inside a piece names it. Returns the style texts."""
        fixer, final, raws, nest_of = self.fixer, self.final, self.raws, self.nest_of
        style: dict = {}
        placed = []  # (piece or None, inside, key-value, entity): texts inside a piece before loose ones
        bare: dict[int, list] = {}  # piece -> (text, entity, used): the texts inside it with no key
        beside: dict[int, list] = {}  # piece -> (text, entity, used): the names written just outside it
        split = []  # the labels of one line read as a name and a quantity (``FRONT X2``)
        far = []  # (size, entity): the size texts far from every piece
        holed: set[int] = set()  # the bare texts (ids) in a cut-out of their piece: ``HANDLE`` in its slot
        lines: dict[int, object] = {}  # id of a text inside a piece -> its TextLine (label_lines)
        counts: dict[int, list] = {}  # piece -> the TextLines of the quantity texts inside it
        for (_, txt, layer, e), (lead, f), p in zip(texts, self.labels, self.spots[:, None, :], strict=True):
            kvs = [(k, v) for k, v in f if v]  # an MTEXT label may hold several fields
            i = self.owner(p, layer)
            inside = i is not None
            if inside and not kvs and gives_shrinkage(txt):  # ET CAD's ``横:7.0%，直:13.0%`` written bare
                if final:
                    for j in nest_of[i].rings if i in nest_of else [i]:
                        raws[j].annotations.append(txt.strip())
                continue
            if inside and not kvs and i in nest_of and may_name(txt) and not _SIZE_WORD.match(txt.strip()):
                for j in nest_of[i].rings:  # a graded nest's name names every size (it was not used)
                    bare.setdefault(j, []).append((txt.strip(), e, False))
                continue
            if inside and i not in nest_of:
                lines[id(e)] = text_line(e, p[0], txt, self.scale)
                if any(k == "quantity" for k, _ in kvs):
                    counts.setdefault(i, []).append(lines[id(e)])
            if inside and not kvs and i not in nest_of and _bare(txt):
                bare.setdefault(i, []).append((txt.strip(), e, False))
                if self._in_cutout(i, p[0]):
                    holed.add(id(e))
                continue
            if not inside and not kvs and may_name(txt) and (j := self._beside(p[0])) is not None:
                beside.setdefault(j, []).append((txt.strip(), e, False))
                continue
            if kvs and lead and "\n" not in txt.strip():
                split.append(f"'{txt.strip()}': {lead}")
            if inside and kvs and i not in nest_of and _BARE_NAME.match(lead):
                bare.setdefault(i, []).append((lead, e, True))  # ``CUFF\PCut 2``: as two texts
            elif not inside and kvs and may_name(lead) and (j := self._beside(p[0])) is not None:
                beside.setdefault(j, []).append((lead, e, True))  # ``FRONT X2`` under the piece
            if i is None and any(k == "size" for k, _ in kvs) and self.close_piece(p[0]) is None:
                far.append(([v for k, v in kvs if k == "size"][0], e))  # a title block's ``SIZE 38``
                kvs = [(k, v) for k, v in kvs if k != "size"]
                if not kvs:
                    continue
            if i is None and any(k not in ("style", "units") for k, _ in kvs):
                i = self.nearest(p[0], layer)
            for k, v in kvs:
                if i not in nest_of:
                    at = [i]
                elif k == "size":  # in a graded nest a size text names its outline...
                    at = [nest_of[i].ring_of.get(v, i)]
                else:  # ... and the other texts go to every size
                    at = nest_of[i].rings
                placed += [(j, inside, (k, v), e) for j in at]
            if not kvs:
                placed.append((i, inside, None, e))
        placed.sort(key=lambda t: not t[1])
        for i, inside, kv, e in placed:
            if i is not None and kv and kv[0] == "annotation":
                if kv[1]:
                    raws[i].annotations.append(kv[1])
            elif i is not None and kv and kv[0] not in ("style", "units"):
                have = raws[i].texts.setdefault(kv[0], kv[1])
                if have != kv[1] and final:
                    where = "inside it" if inside else "outside every piece, nearest to it"
                    # a second name, size or quantity inside one outline changes what is cut (two
                    # pieces drawn sharing a seam line are read as one): said by the main job too
                    fixer.report.warn(f"a second '{kv[0]}' text for one piece ({where}): '{have}' kept, "
                                      f"'{kv[1]}' not used", piece=raws[i].texts.get("name") or raws[i].key,
                                      entity=describe(e),
                                      headline=inside and kv[0] in ("name", "size", "quantity"))
            elif kv and kv[0] in ("style", "units"):
                style.setdefault(kv[0], kv[1])
            elif final:
                self.skips.add("texts kitcut does not use", e, None)
        bare = _size_lines(bare)
        letters = _letter_sizes([[t for t, _, _ in found] for found in bare.values()])
        for i, found in bare.items():
            texts = [t for t, _, _ in found]
            z = _bare_size(texts, letters) if "size" not in raws[i].texts else None
            rest = [j for j in range(len(found)) if j != z]
            if z is not None:  # a marker's piece: its name, its size and the size's code letter (Gerber)
                rest = [j for j in rest if len(texts[j]) > 1] or rest
                raws[i].texts["size"] = texts[z]
            rest = [j for j in rest if not _SIZE_WORD.match(texts[j])] or rest  # ``FRONT`` beside ``L``
            k = _bare_name([texts[j] for j in rest])
            if k is None and 0 < len(solid := [j for j in rest if id(found[j][1]) not in holed]) < len(rest):
                rest = solid  # ``BAG`` on the bag, ``HANDLE`` in its slot: the bag's name is the one on it
                k = _bare_name([texts[j] for j in rest])
            k = None if k is None else rest[k]
            if k is None and len(counts.get(i, ())) == 1:  # ``FrontPanel2`` over ``Fabric, Cut 2``
                names = [j for j in rest if not (_MARK_WORD.fullmatch(t := texts[j]) or _SIZE_WORD.match(t))]
                over = line_above([lines[id(found[j][1])] for j in names], counts[i][0])
                k = None if over is None else names[over]
            if k is not None and "name" not in raws[i].texts:
                raws[i].texts["name"] = found[k][0]  # a piece labelled by its name alone (not its block's)
            else:
                k = None
            if final:
                for j, (_, e, used) in enumerate(found):
                    if j not in (k, z) and not used:  # the fields of a label that opens with a name are used
                        self.skips.add("texts kitcut does not use", e, None)
        for i, found in beside.items():  # a name written under or beside a piece, as a layout does
            if len(found) == 1 and not {"name", "block"} & set(raws[i].texts):
                raws[i].texts["name"] = found[0][0]
            elif final:
                for _, e, used in found:
                    if not used:
                        self.skips.add("texts kitcut does not use", e, None)
        self._drawing_size(far)
        if split and final:
            shown = "; ".join(split[:3]) + ("; ..." if len(split) > 3 else "")
            fixer.report.warn(f"{len(split)} label(s) of one line read as a piece's name and its quantity "
                              f"({shown}): a name that ends in a count (MODEL X2) needs a Piece Name: text",
                              headline=True)
        return style

    def _in_cutout(self, i: int, p) -> bool:
        """Whether the point ``p`` (mm) lies in a cut-out of piece ``i``."""
        if getattr(self, "_cutouts", None) is None:
            self._cutouts: dict[int, list] = {}
            for k, (r, par) in enumerate(zip(self.role, self.parent, strict=True)):
                if r == "cut" and par >= 0:
                    self._cutouts.setdefault(par, []).append(self.polys[k])
        return any(poly.contains(Point(p)) for poly in self._cutouts.get(i, ()))

    def _drawing_size(self, far: list) -> None:
        """A size written outside every piece and far from each (``SIZE 38`` in a title block)
        is the size of every piece when it is the only one and no piece has a size of its own
        (reported); else it is not used. It went to the nearest piece: one piece of the drawing
        sized, the others not."""
        sizes = {v for v, _ in far}
        if not sizes:
            return
        raws = self.raws.values()
        if len(sizes) == 1 and not self.nest_of and not any(r.texts.get("size") for r in raws):
            (size,) = sizes
            for r in raws:
                r.texts["size"] = size
            if self.final:
                self.fixer.report.warn(f"size {size} written outside every piece (as in a title block): "
                                       "the size of every piece", entity=describe(far[0][1]))
        elif self.final:
            for _, e in far:
                self.skips.add("size texts far from every piece, the pieces sized otherwise", e, None)

    def _beside(self, p) -> int | None:
        """The piece a name written outside every piece is written beside (``close_piece``, as
        :meth:`nearest` takes a label on a layer of texts only), none of a graded nest."""
        i = self.close_piece(p)
        return None if i is None or i in self.nest_of else i
