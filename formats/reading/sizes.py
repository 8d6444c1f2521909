"""Which sizes of a pattern a job cuts, and what a defect in a size that is not cut means.

A graded pattern file holds every size; an order of one garment cuts one. A piece that cannot
be used (self-intersecting, a coordinate that is no number, too many vertices...) must stop a
job only when the job cuts it: a defect in a size that is not cut becomes a warning in the
import report. Readers build every piece, collect the defects with their size, and call
:func:`keep_sizes` with the sizes the job asked for (:func:`select_sizes`).

Size names are matched as written in the file (both in Unicode normal form C: ``Vừa`` typed
precomposed is the ``Vừa`` a cp1258 file writes with a combining tone mark); a name that
matches no size exactly but one size ignoring case (``m`` for ``M``), or one size that stands
for the same letter size (``M`` for ``Medium``, ``XXL`` for ``2XL``), is taken as that size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from kitcut.errors import InputError, KitcutError
from kitcut.formats.reading.texts import nfc
from kitcut.model import ImportReport, Piece
from kitcut.remedies import advise

__all__ = ["select_sizes", "garments_per_size", "keep_sizes", "missing_in_sizes", "size_key", "sorted_sizes",
           "UnknownSizeError"]

#: words CADs write for letter sizes, as the letters they stand for
_WORDS = (("EXTRA", "X"), ("SMALL", "S"), ("MEDIUM", "M"), ("LARGE", "L"))
#: Brazilian and Portuguese letter sizes (pequeno, médio, grande), as the letters they stand for
_BRAZIL = {"PP": "XS", "P": "S", "G": "L", "GG": "XL", "XG": "XXL", "EG": "XXL", "XGG": "XXXL", "EGG": "XXXL"}
_LETTER = re.compile(r"(?:(\d+)X|(X*))(XS|S|M|L|XL)")


def _letter_rank(s: str) -> float | None:
    """M = 0, L = 1, XL = 2, ... S = -1, XS = -2, ...; a range (S/M) the mean of its ends.

    Words count as their letters (``Small``, ``X-Large``, ``Extra Large``), ``2XL`` as
    ``XXL``, and a bare ``2X`` / ``3X`` (plus sizes) as ``2XL`` / ``3XL``; None for any other
    name.
    """
    u = re.sub(r"^SIZE\s*", "", s.strip().upper())
    parts = [q for q in re.split(r"\s*[/|]\s*|\s+-\s+|(?<=[SML])-(?=[0-9XSML])", u) if q]
    if not parts or len(parts) > 2:
        return None
    ranks = []
    for q in parts:
        for word, letter in _WORDS:
            q = q.replace(word, letter)
        q = re.sub(r"[\s\-_.]", "", q)
        q = _BRAZIL.get(q, q)
        plus = re.fullmatch(r"(\d+)X", q)  # 1X, 2X, 3X: plus sizes, as XL, 2XL, 3XL
        if plus:
            q = plus.group(1) + "XL"
        m = _LETTER.fullmatch(q)
        if not m:
            return None
        n = int(m.group(1)) if m.group(1) else len(m.group(2))
        tail = m.group(3)
        if tail == "XS":
            n, tail = n + 1, "S"
        elif tail == "XL":
            n, tail = n + 1, "L"
        if n and tail == "M":
            return None
        ranks.append(0.0 if tail == "M" else (n + 1.0) * (1 if tail == "L" else -1))
    return sum(ranks) / len(ranks)


class UnknownSizeError(InputError):
    """A size the pattern does not have; ``size`` and ``available`` say which and what it has."""

    def __init__(self, size: str, available: tuple[str, ...], *, what: str = "--sizes", file=None):
        super().__init__(f"{what}: no size {size!r} in this pattern (it has {', '.join(available)})",
                         file=file)
        self.size = size
        self.available = available


#: children's sizes by age: ``3M``, ``6-12 mos``, ``2T``, ``4Y``, ``6 yrs``, ``8 ans``, ``10 J``
_AGE = re.compile(r"^(\d+(?:[.,]5)?)(?:\s*-\s*(\d+(?:[.,]5)?))?\s*(M|MO|MOS|MONTHS?|T|Y|YRS?|YEARS?|J|ANS)$")
#: the largest number a suffix can mean as an age (a suit's 40L is no age)
_AGE_MAX = {"M": 36, "T": 6, "Y": 18, "J": 18, "A": 18}


def _age_years(s: str) -> float | None:
    """The age in years a children's size stands for (``NB`` / ``Newborn`` 0, ``6M`` 0.5,
    ``12-18M`` 1.25, ``2T`` 2, ``10Y`` 10); None for any other name."""
    u = s.strip().upper()
    if u in ("NB", "NEWBORN", "PREEMIE"):
        return 0.0
    m = _AGE.fullmatch(u)
    if not m:
        return None
    unit = m.group(3)[0]
    ends = [float(v.replace(",", ".")) for v in m.group(1, 2) if v is not None]
    if max(ends) > _AGE_MAX[unit]:
        return None
    years = sum(ends) / len(ends)
    return years / 12.0 if unit == "M" else years


def size_key(s: str):
    """Sort key of size names: XS < S < M < L < XL ..., then numbers, then the rest.

    Letter sizes sort by what they stand for, however written (``Small``, ``X-Large``,
    ``2XL``, ``S/M``); numeric sizes by their numbers (``34R`` < ``36S``, ``30x32`` <
    ``32x30``); children's sizes by the age they stand for among the numbers (``6M`` < ``18M`` <
    ``2T`` < ``3`` < ``4Y``); anything else by name, after both.

    >>> sorted(["L", "38", "S", "XL", "M", "36"], key=size_key)
    ['S', 'M', 'L', 'XL', '36', '38']
    >>> sorted(["XL", "Large", "Small", "XS", "Medium", "2XL", "S/M"], key=size_key)
    ['XS', 'Small', 'S/M', 'Medium', 'Large', 'XL', '2XL']
    >>> sorted(["G", "GG", "M", "P", "XG", "PP"], key=size_key)
    ['PP', 'P', 'M', 'G', 'GG', 'XG']
    """
    rank = _letter_rank(s)
    if rank is not None:
        return (0, (rank,), s)
    age = _age_years(s)
    if age is not None:
        return (1, (age,), s)
    nums = re.findall(r"\d+(?:[.,]\d+)?", s)
    if nums and re.match(r"^\D{0,4}\d", s.strip()):
        return (1, tuple(float(n.replace(",", ".")) for n in nums), s)
    return (2, (), s)


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
        w = nfc(str(w).strip())
        if not have:
            out.append(w)
            continue
        exact = [s for s in have if nfc(s) == w]
        if exact:
            hit = exact[0]
        else:
            folded = [s for s in have if nfc(s).casefold() == w.casefold()]
            rank = _letter_rank(w)
            if not folded and rank is not None:  # M for Medium, XL for X-Large
                folded = [s for s in have if _letter_rank(s) == rank]
            if len(folded) != 1:
                raise UnknownSizeError(w, tuple(sorted_sizes(have)), what=what, file=file)
            hit = folded[0]
        if hit not in out:
            out.append(hit)
    return tuple(out)


def garments_per_size(available: Iterable[str], wanted: Mapping[str, int], *, pattern: str | None,
                      file: str | None = None, what: str = "--sizes") -> dict[str, int]:
    """``{size of the pattern: garments}`` of ``wanted`` (``{size as given: garments}``), each
    name matched as :func:`select_sizes` matches it. Two names of one size (``m`` and ``M``,
    ``M`` and ``Medium``) are an :class:`~kitcut.errors.InputError` naming both, not added up.

    >>> garments_per_size(["S", "M"], {"m": 2, "S": 1}, pattern="tee.dxf")
    {'M': 2, 'S': 1}
    """
    have = list(available)
    named: dict[str, str] = {}
    out: dict[str, int] = {}
    for name, n in wanted.items():
        (size,) = select_sizes(have, [name], file=file, what=what)
        if size in named:
            of = f" of {Path(pattern).name}" if pattern else ""
            raise InputError(f"{what}: sizes {named[size]} and {name} are the same size {size}{of}: "
                             "give it once", file=file)
        named[size] = nfc(str(name).strip())
        out[size] = n
    return out


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
    _fold_other_sizes(pieces, cut, report)
    for size, exc in defects:
        if not cut(size):
            report.warn(f"not usable, but size {size} is not cut in this job: {exc.message}", piece=exc.piece)
    if fatal:
        size, exc = fatal[0]
        others = len(fatal) - 1
        bad = {s for s, _ in fatal}
        if size is not None and len(available) > 1:
            out = sorted_sizes(s for s in bad if s is not None)
            rest = [s for s in (wanted or available) if s not in bad]
            usable = [s for s in available if s not in {s for s, _ in defects}]
            if rest:
                advise(exc, "sizes", out, rest)
            elif usable:  # every size asked for is bad: name those that are not
                advise(exc, "usable", out, usable)
        if others:
            names = ", ".join(f"'{e.piece}'" for _, e in fatal[1:6]) + (" ..." if others > 5 else "")
            advise(exc, "more", f"; {others} more piece(s) cannot be used either: {names}")
        raise exc
    return [p for p in pieces if cut(p.size)]


def missing_in_sizes(pieces: list[Piece], cut: Iterable[str], report: ImportReport) -> None:
    """Say on the main job's line (a headline) each piece that the other sizes have and a size
    cut lacks: a garment of that size is cut without it (a piece the CAD did not export in
    every size, a block lost). Pieces without a size are in every size."""
    names: dict[str, set[str]] = {}
    graded: set[tuple[str, str]] = set()  # (name, size) made by grading, not drawn
    for p in pieces:
        if p.size:
            names.setdefault(p.size, set()).add(p.name)
            if p.graded:
                graded.add((p.name, p.size))
    if len(names) < 2:
        return
    every = set().union(*names.values())
    lacking: dict[str, list[str]] = {}
    for size in sorted_sizes(s for s in cut if s in names):
        for name in sorted(every - names[size]):
            lacking.setdefault(name, []).append(size)
    for name, sizes in lacking.items():
        have = sorted_sizes(s for s in names if name in names[s])
        drawn = [s for s in have if (name, s) not in graded]
        made = [s for s in have if (name, s) in graded]  # it said "drawn in" graded sizes too
        shown = "; ".join(f"{how} in size(s) " + ", ".join(v[:4]) + (" ..." if len(v) > 4 else "")
                          for how, v in (("drawn", drawn), ("graded", made)) if v)
        report.warn(f"not drawn in size(s) {', '.join(sizes)}: cut without it there ({shown})",
                    piece=name, headline=True)


def _fold_other_sizes(pieces: list[Piece], cut, report: ImportReport) -> None:
    """The remarks on pieces of sizes the job does not cut, as one line: a one-size job of a
    graded pattern listed (and counted in its note) every other size's remarks too."""
    kept = {p.label for p in pieces if cut(p.size)}
    other = {p.label: p.size for p in pieces if not cut(p.size)}
    other = {label: size for label, size in other.items() if label not in kept}
    folded = [e for e in report.entries if e.piece in other]
    if not folded:
        return
    report.entries[:] = [e for e in report.entries if e.piece not in other]
    sizes = ", ".join(sorted_sizes({other[e.piece] for e in folded}))
    n = sum(e.count for e in folded)
    report.add("skipped", f"{n} remark(s) on pieces of size(s) {sizes}, which this job does not cut, "
                          "not listed (nest info without --sizes lists them)")
