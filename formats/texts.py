"""The ``KEY: value`` system texts of AAMA / ASTM pattern files.

Keys match case-insensitively with spaces optional: ``Piece Name: X`` (AccuMark),
``PIECE NAME: X`` (CLO), ``Piece Name:X`` and ``Size Name:`` (Seamline) all mean the same.
"""

from __future__ import annotations

import re

__all__ = ["KEYS", "parse_text", "parse_quantity", "entity_text"]

#: Normalised key (lower case, no spaces) -> field name.
KEYS = {
    "piecename": "name",
    "name": "name",
    "size": "size",
    "sizename": "size",
    "quantity": "quantity",
    "qty": "quantity",
    "category": "category",
    "material": "material",
    "fabric": "material",
    "stylename": "style",
    "units": "units",
    "annotation": "annotation",
    "area": "area",
    "samplesize": "sample_size",
}

_KEY_VALUE = re.compile(r"^\s*([A-Za-z][A-Za-z _]*?)\s*:\s*(.*?)\s*$", re.S)


def parse_text(text: str) -> tuple[str, str] | None:
    """``(field, value)`` of a system text, ``None`` for other texts.

    >>> parse_text("PIECE NAME:Front"), parse_text("Size Name: 42"), parse_text("# 12")
    (('name', 'Front'), ('size', '42'), None)
    """
    m = _KEY_VALUE.match(text or "")
    if not m:
        return None
    key = re.sub(r"[\s_]+", "", m.group(1)).lower()
    field = KEYS.get(key)
    return None if field is None else (field, m.group(2))


def parse_quantity(value: str) -> tuple[int, int | None]:
    """``(quantity, flipped)`` of a ``Quantity:`` value; ``ValueError`` when unreadable.

    ``a,b`` is a copies as drawn plus b mirrored; a plain number says nothing of mirroring.

    >>> parse_quantity("1,1"), parse_quantity("2"), parse_quantity(" 0 , 0 ")
    ((2, 1), (2, None), (0, 0))
    """
    parts = [p.strip() for p in value.replace(";", ",").split(",")]
    nums = [int(float(p)) for p in parts if p]
    if not nums or len(nums) > 2 or any(n < 0 for n in nums):
        raise ValueError(value)
    if len(nums) == 1:
        return nums[0], None
    return nums[0] + nums[1], nums[1]


def entity_text(e) -> str | None:
    """The plain text of a TEXT, MTEXT, ATTRIB or ATTDEF entity (ATTRIB ``tag`` used as key
    when the value has no key of its own)."""
    t = e.dxftype()
    if t == "MTEXT":
        return e.plain_text()
    if t in ("TEXT", "ATTRIB", "ATTDEF"):
        text = e.dxf.get("text", "") or ""
        if t != "TEXT" and ":" not in text:
            tag = e.dxf.get("tag", "") or ""
            return f"{tag.replace('_', ' ')}: {text}" if tag else text
        return text
    return None
