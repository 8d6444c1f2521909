"""Shrinkage a pattern's annotations give, which kitcut does not apply (said, not silent).

ET CAD writes a piece's shrinkage into its ``Annotation:`` text (``横:7.0%，直:13.0%``: 7 %
across the grain, 13 % along it); other CADs write ``Shrinkage: 3%``. A pattern exported
unshrunk for denim that shrinks 13 % along the leg is cut 13 % short, and nothing said so:
the text was kept on the piece and shown nowhere. kitcut applies shrinkage only where the
order says (a fabric's ``shrinkage_pct``), since an export may already be enlarged for it.
"""

from __future__ import annotations

import re

__all__ = ["report_shrinkage", "gives_shrinkage"]

#: A percentage after a shrinkage word: ``横:7.0%`` (across), ``直:13%`` (along), ``经``/``纬``
#: (warp, weft), ``shrink``, ``Schrumpf``, ``krimp``, ``retrait``, ``encogimiento``, ``усадка``.
_SHRINK = re.compile(r"(横|直|经|纬|經|緯|shrink\w*|schrumpf\w*|krimp\w*|retrait|encog\w*|усадк\w*)"
                     r"[^%\d]{0,12}?(-?\d+(?:[.,]\d+)?)\s*%", re.I)
#: What a piece's annotation names along the grain and across it.
_ALONG = {"直", "经", "經"}
_ACROSS = {"横", "纬", "緯"}


def _percents(text: str) -> list[tuple[str, float]]:
    out = []
    for word, value in _SHRINK.findall(text):
        try:
            out.append((word, float(value.replace(",", "."))))
        except ValueError:
            continue
    return out


def gives_shrinkage(text: str) -> bool:
    """``text`` gives a shrinkage other than 0 % (``横:7.0%，直:13.0%``, ``Shrinkage 3 %``): a plain
    drawing's bare text of it inside a piece is that piece's annotation."""
    return any(v != 0 for _, v in _percents(text))


def report_shrinkage(pieces, report) -> None:
    """One headline warning when the annotations of ``pieces`` give shrinkage other than 0 %,
    naming up to three pieces with their texts, and the order setting that applies it
    (``shrinkage_pct = [along, across]`` where the text says which is which)."""
    found = []
    for p in pieces:
        for text in p.annotations:
            values = _percents(text)
            if any(v != 0 for _, v in values):
                found.append((p.label, text.strip(), values))
                break
    if not found:
        return
    shown = "; ".join(f"'{label}': {text}" for label, text, _ in found[:3])
    more = f"; and {len(found) - 3} more piece(s)" if len(found) > 3 else ""
    pairs = {(_first(values, _ALONG), _first(values, _ACROSS)) for _, _, values in found}
    (along, across), = pairs if len(pairs) == 1 else ((None, None),)
    if along is not None and across is not None:
        setting = f"shrinkage_pct = [{along:g}, {across:g}]"
    else:
        setting = "shrinkage_pct" + ("; the pieces differ: a marker per shrinkage" if len(pairs) > 1 else "")
    report.warn(f"{len(found)} piece(s) give a shrinkage in their annotations ({shown}{more}): kitcut does "
                "not apply it and cuts the pieces as drawn; if the pattern is not already enlarged for it, "
                f"cut it through an order whose fabric says so ({setting})", headline=True)


def _first(values: list[tuple[str, float]], words: set[str]) -> float | None:
    return next((v for w, v in values if w in words), None)
