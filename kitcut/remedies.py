"""What the user can do about an error, in the words of the entry point they used.

A pattern piece that needs a repair, or a size that cannot be cut, is the same error to ``nest``
and to ``nest kit``, but what to do about it is named differently: an option on the command line
(``--repair``, ``--sizes 46``), a field of the order (``garments[0].repair = true``, the garment's
``sizes``). A reader states the problem and attaches each remedy with :func:`advise`, which words
the message for the command line; an order's reader rewords it for its garment with :func:`reword`.

>>> from kitcut.errors import GeometryError
>>> exc = advise(GeometryError("a loop of 9117.4 mm²", piece="Back"), "repair")
>>> exc.message
'a loop of 9117.4 mm²; fix it in the CAD, or rerun with --repair to keep its largest part'
>>> reword(exc, "garments[0]").message[22:]
'fix it in the CAD, or set garments[0].repair = true in the order to keep its largest part'

The readers' other remarks name options in passing (``give --units cm if the pattern is in cm``,
``give --layer 0=cut to cut them out``); :func:`in_order_words` names the garment's fields there
instead, for what an order's kit reports:

>>> in_order_words("give --layer 0=cut to cut them out", "garments[1]")
'give garments[1].layers = { "0" = "cut" } to cut them out'
>>> in_order_words("read in cm; give --units mm if it is in mm", "garments[0]")
'read in cm; give garments[0].units = "mm" if it is in mm'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kitcut.errors import KitcutError

__all__ = ["advise", "reword", "in_order_words"]


def _repair(garment: str | None) -> str:
    how = "rerun with --repair" if garment is None else f"set {garment}.repair = true in the order"
    return f"; fix it in the CAD, or {how} to keep its largest part"


def _sizes(garment: str | None, out: Sequence[str], rest: Sequence[str]) -> str:
    how = f": --sizes {','.join(rest)}" if garment is None else f" of {garment}.sizes"
    return f" (to cut the other sizes, leave size(s) {', '.join(out)} out{how})"


def _usable(garment: str | None, out: Sequence[str], usable: Sequence[str]) -> str:
    return f" (size(s) {', '.join(out)} cannot be cut as drawn; the pattern's size(s) {', '.join(usable)} " \
           "can)"


def _more(garment: str | None, text: str) -> str:
    return text


_WORDS = {"repair": _repair, "sizes": _sizes, "usable": _usable, "more": _more}


def _compose(exc: KitcutError, garment: str | None) -> KitcutError:
    exc.message = exc.problem + "".join(_WORDS[kind](garment, *args) for kind, args in exc.remedies)
    exc.args = (exc.message,)
    return exc


def advise(exc: KitcutError, kind: str, *args) -> KitcutError:
    """``exc`` with the remedy ``kind`` added to its message, in the command line's words:
    ``"repair"`` (a self-intersecting outline kept as its largest part), ``"sizes", out, rest``
    (leave sizes ``out`` out, cut ``rest``), ``"usable", out, usable`` (the sizes of the pattern
    that can be cut instead), ``"more", text`` (said as is, after the remedies before it)."""
    if not hasattr(exc, "remedies"):
        exc.problem = exc.message
        exc.remedies = []
    exc.remedies.append((kind, args))
    return _compose(exc, None)


def reword(exc: KitcutError, garment: str) -> KitcutError:
    """``exc`` with its remedies worded for ``garment`` of an order (``"garments[0]"``), the fields
    a user of ``nest kit`` sets instead of the command line's options."""
    if getattr(exc, "remedies", None):
        _compose(exc, garment)
    return exc


#: A command-line option named in a reader's remark, and the garment field an order sets instead
#: (``{g}``: the garment, ``garments[0]``), its value kept (a placeholder too: ``--rules FILE`` as
#: ``rules = "FILE"``). Another command's option (``nest info without --sizes``) stays as it is.
_OPTIONS = [
    (r"--no-rules\b", "{g}.rules = false"),
    (r"--rules (\S+\.rul|FILE)\b", '{g}.rules = "\\1"'),
    (r"--rules\b", "{g}.rules"),
    (r"--units (mm|cm|in|inch|m|ft|px|pt)\b", '{g}.units = "\\1"'),
    (r"--units\b", "{g}.units"),
    (r"--tolerance (\d+(?:\.\d+)?)\b", "{g}.tolerance_mm = \\1"),
    (r"--tolerance\b", "{g}.tolerance_mm"),
    (r"--layers? NAME=(\w+)", '{g}.layers = { NAME = "\\1" }'),
    (r"--layers? ([^\s=]+)=(\w+)", '{g}.layers = { "\\1" = "\\2" }'),
    (r"--layers?\b", "{g}.layers"),
    (r"--encoding (NAME|[A-Za-z][\w-]*)(?<!codec)\b", '{g}.encoding = "\\1"'),
    (r"--encoding\b", "{g}.encoding"),
    (r"--keep-folded\b", "{g}.keep_folded = true"),
    (r"--repair\b", "{g}.repair = true"),
    (r"--quantity '\*=1'", '{g}.quantities = { "*" = 1 }'),
    (r"--quantity NAME=N\b", "{g}.quantities = { NAME = N }"),
    (r"--quantity\b", "{g}.quantities"),
    (r"(?<!without )--sizes\b(?: [^\s;)]+)?", "{g}.sizes"),
]


def in_order_words(text: str, garment: str) -> str:
    """``text`` (a reader's remark or error) with the command-line options it names worded as the
    fields of ``garment`` (``"garments[0]"``) that a user of ``nest kit`` sets instead."""
    for pattern, field in _OPTIONS:
        text = re.sub(pattern, field.replace("{g}", garment), text)
    return text
