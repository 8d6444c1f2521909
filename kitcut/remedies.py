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
"""

from __future__ import annotations

from collections.abc import Sequence

from kitcut.errors import KitcutError

__all__ = ["advise", "reword"]


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
