"""Which sizes of a pattern a job cuts, and what a defect in a size that is not cut means.

A graded pattern file holds every size; an order of one garment cuts one. A piece that cannot
be used (self-intersecting, a coordinate that is no number, too many vertices...) must stop a
job only when the job cuts it: a defect in a size that is not cut becomes a warning in the
import report. Readers build every piece, collect the defects with their size, and call
:func:`keep_sizes` with the sizes the job asked for (:func:`select_sizes`).

Size names are matched as written in the file; a name that matches no size exactly but one
size ignoring case (``m`` for ``M``) is taken as that size.
"""

from __future__ import annotations

from collections.abc import Iterable

from kitcut.errors import InputError, KitcutError
from kitcut.model import ImportReport, Piece

__all__ = ["select_sizes", "keep_sizes", "size_key", "sorted_sizes", "UnknownSizeError"]

_SIZE_ORDER = ["XXXS", "XXS", "XS", "S", "M", "L", "XL", "XXL", "2XL", "XXXL", "3XL", "4XL", "5XL"]


class UnknownSizeError(InputError):
    """A size the pattern does not have; ``size`` and ``available`` say which and what it has."""

    def __init__(self, size: str, available: tuple[str, ...], *, what: str = "--sizes", file=None):
        super().__init__(f"{what}: no size {size!r} in this pattern (it has {', '.join(available)})",
                         file=file)
        self.size = size
        self.available = available


def size_key(s: str):
    """Sort key of size names: XS < S < M < L < XL ..., then numbers, then the rest.

    >>> sorted(["L", "38", "S", "XL", "M", "36"], key=size_key)
    ['S', 'M', 'L', 'XL', '36', '38']
    """
    u = s.upper()
    if u in _SIZE_ORDER:
        return (0, _SIZE_ORDER.index(u), "")
    try:
        return (1, float(s), "")
    except ValueError:
        return (2, 0, s)


def sorted_sizes(sizes: Iterable[str]) -> list[str]:
    return sorted(set(sizes), key=size_key)


def select_sizes(available: Iterable[str], wanted: Iterable[str] | None, *, file: str | None = None,
                 what: str = "--sizes") -> tuple[str, ...] | None:
    """The sizes of ``available`` named by ``wanted`` (``None``: every size).

    An unknown size is an :class:`~kitcut.errors.InputError` listing the sizes the file has;
    a file without sizes takes any size name (the whole pattern is one size).

    >>> select_sizes(["S", "M", "L"], ["m", "L"])
    ('M', 'L')
    """
    if wanted is None:
        return None
    have = list(available)
    out: list[str] = []
    for w in wanted:
        w = str(w).strip()
        if not have:
            out.append(w)
            continue
        if w in have:
            hit = w
        else:
            folded = [s for s in have if s.casefold() == w.casefold()]
            if len(folded) != 1:
                raise UnknownSizeError(w, tuple(sorted_sizes(have)), what=what, file=file)
            hit = folded[0]
        if hit not in out:
            out.append(hit)
    return tuple(out)


def keep_sizes(pieces: list[Piece], defects: list[tuple[str | None, KitcutError]],
               wanted: tuple[str, ...] | None, available: tuple[str, ...],
               report: ImportReport) -> list[Piece]:
    """The pieces a job cuts (``wanted`` sizes and pieces without a size), checking defects.

    A defect of a piece that is cut raises (the first one, naming piece, size and problem,
    and how to go on); a defect of a piece of a size that is not cut is a warning.
    """
    def cut(size: str | None) -> bool:
        return wanted is None or size is None or not available or size in wanted

    fatal = [(s, e) for s, e in defects if cut(s)]
    for size, exc in defects:
        if not cut(size):
            report.warn(f"not usable, but size {size} is not cut in this job: {exc.message}", piece=exc.piece)
    if fatal:
        size, exc = fatal[0]
        others = len(fatal) - 1
        hint = ""
        bad = {s for s, _ in fatal}
        if size is not None and len(available) > 1:
            rest = [s for s in (wanted or available) if s not in bad]
            if rest:
                out = ", ".join(sorted_sizes(s for s in bad if s is not None))
                hint = f" (to cut the other sizes, leave size(s) {out} out: --sizes {','.join(rest)})"
        if others:
            names = ", ".join(f"'{e.piece}'" for _, e in fatal[1:6]) + (" ..." if others > 5 else "")
            hint += f"; {others} more piece(s) cannot be used either: {names}"
        exc.message = exc.message + hint
        exc.args = (exc.message,)
        raise exc
    return [p for p in pieces if cut(p.size)]
