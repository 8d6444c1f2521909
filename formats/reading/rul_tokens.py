"""The numbers and RULE lines of a ``.RUL`` grade rule table, as writers spell them.

- **Numbers**: the decimal separator is a point and the comma separates dx from dy
  (``-0.5000, 0.0000``). A table written in a decimal-comma locale (``-10,0000  0,0000`` or
  ``-10,0000; 0,0000``: no point anywhere, the pairs' numbers apart by spaces or ``;``) is read
  with decimal commas when that, and only that, gives every rule one pair per size
  (:func:`decimal_comma`). Where the comma is both (``-10,0000, 0,0000``) nothing tells the
  numbers apart: :func:`comma_problem` says so instead of a wrong pair count.
- **RULE lines**: ``RULE: DELTA 1`` as the standard writes it, and ``RULE:DELTA1``,
  ``RULE: DELTA #1``, ``RULE: 1`` (a DELTA rule), each with one reading (:func:`rule_head`).

>>> rule_head("RULE:DELTA1"), rule_head("RULE: 7 -5,0 0,0")
(('DELTA', '1', '', True), ('DELTA', '7', '-5,0 0,0', True))
>>> numbers("-10,0000; 0,0000", comma=True, fail=print)
[-10.0, 0.0]
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

__all__ = ["rule_head", "numbers", "decimal_comma", "comma_problem"]

_RULE = re.compile(r"^\s*RULE\s*:\s*([A-Za-z]*)\s*(#?)\s*(\S*)\s*(.*)$", re.I)
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_COMMA_NUMBER = re.compile(r"^[-+]?\d+(,\d+)?$")
_DECIMAL_COMMA = re.compile(r"\d,\d")


def rule_head(line: str) -> tuple[str, str, str, bool] | None:
    """``(kind, number, rest, variant)`` of a RULE line (``None`` for another line): ``kind``
    upper case (``DELTA`` when the line gives none), the rule number as written, the text after
    it, and whether it is spelled otherwise than ``RULE: KIND n``."""
    m = _RULE.match(line)
    if not m:
        return None
    kind, sharp, number, rest = m.groups()
    variant = not kind or bool(sharp) or not re.search(rf"{re.escape(kind)}\s+#?\s*\S", line, re.I)
    return (kind.upper() or "DELTA"), number, rest, variant and bool(number)


def numbers(text: str, *, comma: bool, fail: Callable[[str], Exception]) -> list[float]:
    """The numbers of ``text``, with decimal commas when ``comma``; ``fail(message)`` makes the
    error for a token that is no number or overflows."""
    out = []
    for tok in re.split(r"[\s;]+" if comma else r"[\s,;]+", text.strip()):
        if not tok:
            continue
        if not (_COMMA_NUMBER if comma else _NUMBER).match(tok):
            raise fail(f"{tok!r} is not a number (pairs are written dx, dy with a decimal point)")
        value = float(tok.replace(",", "."))
        if not math.isfinite(value):
            raise fail(f"{tok!r} is too large: it overflows to infinity (a grade offset is a few "
                       "inches or millimetres)")
        out.append(value)
    return out


def _texts(raw_rules) -> list[str]:
    return [txt for rule in raw_rules for _, txt in rule[3]]


def _count(texts: list[str], pattern: str) -> int:
    return sum(1 for t in texts for tok in re.split(pattern, t.strip()) if tok)


def decimal_comma(raw_rules, pairs: int) -> bool:
    """Whether the rules (``(number, kind, line, [(line, text)])``) are written with decimal
    commas: no point anywhere, every number ``d,d`` or whole, apart by spaces or ``;``, and so
    read every rule has ``pairs`` pairs, which the point reading does not give them all."""
    texts = _texts(raw_rules)
    if any("." in t for t in texts) or not any(_DECIMAL_COMMA.search(t) for t in texts):
        return False
    for t in texts:
        if not all(_COMMA_NUMBER.match(tok) for tok in re.split(r"[\s;]+", t.strip()) if tok):
            return False
    per_rule = [[txt for _, txt in rule[3]] for rule in raw_rules]
    if any(_count(ts, r"[\s;]+") != 2 * pairs for ts in per_rule):
        return False
    return any(_count(ts, r"[\s,;]+") != 2 * pairs for ts in per_rule)


def comma_problem(chunks, pairs: int) -> str | None:
    """For a rule whose pair count is wrong: the message when its numbers have decimal commas
    and the comma separates dx from dy too (``-10,0000, 0,0000``), else ``None``."""
    texts = [txt for _, txt in chunks]
    if any("." in t for t in texts) or not any(_DECIMAL_COMMA.search(t) for t in texts):
        return None
    if _count(texts, r"[\s,;]+") != 4 * pairs:
        return None
    sample = next(t for t in texts if _DECIMAL_COMMA.search(t)).strip()[:40]
    return (f"the numbers are written with a decimal comma ({sample!r}) and a comma also separates dx from "
            "dy, so which comma is which cannot be told: write decimal points, or keep the decimal commas "
            "and separate dx from dy by a space or ';'")
