"""How many of each piece a job cuts: garments per size and quantity overrides.

The everyday job of an on-demand workshop is one garment of one size; a pattern file holds
every size and says how many of each piece one garment needs (its ``Quantity:`` texts). This
module turns a file and a request into the pieces to nest:

- :func:`parse_sizes` reads ``--sizes M,L`` (one garment each) or ``--sizes S=2,M=3,L=1``
  (garments per size);
- :func:`parse_quantities` reads ``--quantity NAME=N`` options (``N`` or ``a,b``: ``a`` as
  drawn plus ``b`` mirrored), and :func:`apply_quantities` applies them: a piece name or
  a category sets the quantity of those pieces whatever the file says; ``*`` gives a
  quantity to every other piece whose file says 0 or nothing (real exports such as AccuMark's
  ``Quantity: 0,0`` on every piece). Every change is a remark in the import report;
- :func:`for_garments` multiplies each piece by the garments of its size, keeping each
  garment's left/right pairs (a ``Quantity: 1`` collar in two garments is two collars as
  drawn, never a mirrored pair).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import replace

from kitcut.cells import counted
from kitcut.errors import InputError, RulesError
from kitcut.formats.reading.labels import QUANTITY_ZERO
from kitcut.formats.reading.texts import nfc, parse_quantity
from kitcut.limits import check as check_limit
from kitcut.model import Pattern

__all__ = ["parse_sizes", "parse_quantities", "apply_quantities", "for_garments", "load_pattern",
           "annotated_counts", "annotated_hint", "annotated_note", "nothing_to_nest", "DEFAULT_KEY",
           "name_key"]

#: The key of the default quantity (pieces whose file says 0 or nothing).
DEFAULT_KEY = "*"


def parse_sizes(text: str | None, *, what: str = "--sizes") -> dict[str, int] | None:
    """``{size: garments}`` of ``"M,L"`` or ``"S=2,M=3"``; ``None`` for ``None``.

    >>> parse_sizes("S=2, M=3,L")
    {'S': 2, 'M': 3, 'L': 1}
    """
    if text is None:
        return None
    out: dict[str, int] = {}
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        name, eq, n = part.partition("=")
        name = nfc(name.strip())
        if not name:
            raise InputError(f"{what}: {part!r} has no size name (write e.g. M,L or S=2,M=3)")
        count = 1
        if eq:
            try:
                count = int(n.strip())
            except ValueError:
                raise InputError(f"{what}: {part!r}: the number of garments must be a whole number") from None
            if count <= 0:
                raise InputError(f"{what}: {part!r}: the number of garments must be at least 1")
        if name in out:
            raise InputError(f"{what}: size {name!r} is given twice")
        out[name] = count
    if not out:
        raise InputError(f"{what}: no size given (write e.g. M,L or S=2,M=3)")
    return out


def parse_quantities(values: Iterable[str] | Mapping, *,
                     what: str = "--quantity") -> dict[str, tuple[int, int | None]]:
    """``{name: (quantity, flipped)}`` of ``["Front=2", "TRIM=1,1", "*=1"]`` (or of a mapping
    ``{"Front": 2, "TRIM": "1,1"}`` from an order file).

    >>> parse_quantities(["Sleeve=1,1", "*=1"])
    {'Sleeve': (2, 1), '*': (1, None)}
    """
    items = values.items() if isinstance(values, Mapping) else (_split(v, what) for v in values)
    out: dict[str, tuple[int, int | None]] = {}
    for key, value in items:
        key = nfc(str(key).strip())
        if not key:
            raise InputError(f"{what}: a piece name, category or * is needed before '='")
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise InputError(f"{what}.{key}: a whole number or 'a,b' is needed, got {value!r}")
        try:
            q = parse_quantity(str(value))
        except ValueError:
            raise InputError(f"{what}.{key}: {value!r} is not a quantity (a whole number >= 0, or a,b: "
                             "a as drawn plus b mirrored)") from None
        if key.casefold() in (k.casefold() for k in out):
            raise InputError(f"{what}: {key!r} is given twice")
        out[key] = q
    return out


def _split(text: str, what: str) -> tuple[str, str]:
    key, eq, value = str(text).rpartition("=")
    if not eq:
        raise InputError(f"{what}: {text!r}: write NAME=N, CATEGORY=N or *=N (a,b for a as drawn and b "
                         "mirrored)")
    return key, value


def apply_quantities(pattern: Pattern, spec: Mapping[str, tuple[int, int | None]] | None, *,
                     what: str = "--quantity", of: str = "this pattern") -> Pattern:
    """``pattern`` with the quantities of ``spec`` (see the module docstring), each change reported.

    A key that names no piece and no category is an error listing the names and categories
    (``of``: how the message names the pattern). Names compare ignoring case, in Unicode normal
    form C (:func:`~kitcut.formats.reading.texts.nfc`).
    """
    if not spec:
        return pattern
    names = {name_key(p.name): p.name for p in pattern.pieces}
    cats = {name_key(p.category): p.category.strip() for p in pattern.pieces if name_key(p.category)}
    default = None
    by_name: dict[str, tuple[int, int | None]] = {}
    by_cat: dict[str, tuple[int, int | None]] = {}
    not_cut = {name_key(n): n for n in pattern.names_not_cut}
    for key, q in spec.items():
        k = name_key(key)
        if key.strip() == DEFAULT_KEY:
            default = q
        elif k in names:
            by_name[k] = (q, key.strip())
        elif k in cats:
            by_cat[k] = (q, key.strip())
        elif k in not_cut:  # the piece is the pattern's, not in the sizes this job cuts
            pattern.report.warn(f"{what} {key.strip()}={_quantity_text(q)} changed nothing: the pattern "
                                "draws this piece only in sizes this job does not cut", piece=not_cut[k])
        else:
            known = sorted(names.values())
            shown = ", ".join(known[:20]) + (" ..." if len(known) > 20 else "")
            cat_text = f"; categories: {', '.join(sorted(cats.values()))}" if cats else ""
            raise InputError(f"{what}: {key!r} is no piece name or category of {of} (pieces: "
                             f"{shown}{cat_text})", file=pattern.source)
    report = pattern.report
    pieces = []
    changed: dict[tuple[str, str], list[str]] = {}
    default_taken = False
    for p in pattern.pieces:
        q, how = by_name.get(name_key(p.name), (None, ""))
        if q is not None:
            how = f"{how}={_quantity_text(q)}"
        elif p.category and name_key(p.category) in by_cat:
            q, given = by_cat[name_key(p.category)]
            how = f"{given}={_quantity_text(q)} (category {p.category.strip()})"
        if q is None and default is not None and (p.quantity == 0 or p.quantity_rule == "assumed"):
            q = default
            says = "0" if p.quantity == 0 else "nothing"
            how = f"{DEFAULT_KEY}={_quantity_text(q)} (the file says {says})"
            default_taken = True
        if q is None:
            pieces.append(p)
            continue
        quantity, flipped = q
        if flipped is None and pattern.units == "unit":
            flipped = 0  # a benchmark instance's items are never mirrored unless the option says so
        check_limit("max_pieces", quantity, file=pattern.source, piece=p.label, what=f"{what} quantity")
        if (quantity, flipped) != (p.quantity, p.flipped):
            text = _quantity_text(q)
            changed.setdefault((p.name, f"{text} by {what} {how}"), []).append(p.size or "")
        pieces.append(replace(p, quantity=quantity, flipped=flipped, quantity_rule="option"))
    if default is not None and not default_taken:
        # '*' fills in only what the file leaves open: say so, or '*=2' reads as "two of everything"
        report.warn(f"{what} {DEFAULT_KEY}={_quantity_text(default)} changed nothing: every piece's file "
                    f"gives its quantity ({DEFAULT_KEY} is for pieces whose file says 0 or nothing; a piece "
                    "name or category sets a quantity whatever the file says)")
    for (name, text), sizes in changed.items():
        in_sizes = f" (sizes {', '.join(s for s in sizes if s)})" if any(sizes) else ""
        report.warn(f"quantity set to {text}{in_sizes}", piece=name)
    still_zero = {p.name for p in pieces if p.quantity == 0}
    for name in {p.name for p in pattern.pieces if p.quantity == 0} - still_zero:
        report.withdraw("warning", QUANTITY_ZERO, piece=name)  # cut after all: "quantity set to" says so
    return replace(pattern, pieces=tuple(pieces))


def _quantity_text(q: tuple[int, int | None]) -> str:
    """``2`` or ``1,1`` (as drawn, mirrored), as a quantity is written."""
    quantity, flipped = q
    return f"{quantity}" if flipped is None else f"{quantity - flipped},{flipped}"


def name_key(name: str | None) -> str:
    """How names and categories compare: stripped, in normal form C, ignoring case (``""`` for
    none)."""
    return nfc(name.strip()).casefold() if name else ""


def for_garments(pattern: Pattern, garments: Mapping[str, int] | None, *, pairs: bool = True) -> Pattern:
    """``pattern`` cut for ``{size: garments}``: each piece of a size that many times its
    quantity (a piece without a size: for every garment), mirrored copies per garment kept.

    ``None`` leaves the pattern as it is (every piece once its quantity).
    """
    if garments is None:
        return pattern
    total = sum(garments.values())
    pieces = []
    for p in pattern.pieces:
        n = total if p.size is None or not pattern.size_names else garments.get(p.size, 0)
        if n <= 0 or p.quantity <= 0:
            continue
        mirrors = p.copy_mirrors(pairs=pairs)
        m = sum(mirrors)
        check_limit("max_pieces", len(mirrors) * n, file=pattern.source, piece=p.label,
                    what=f"{n} garments x quantity {len(mirrors)}")
        pieces.append(replace(p, quantity=len(mirrors) * n, flipped=m * n))
    return replace(pattern, pieces=tuple(pieces))


def load_pattern(path, *, sizes: Mapping[str, int] | None = None,
                 quantities: Mapping[str, tuple[int, int | None]] | None = None, pairs: bool = True,
                 quantity_what: str = "--quantity", match=None, materials: str | None = None,
                 **read_options) -> Pattern:
    """Read ``path`` for a job: only the ``sizes`` it cuts (``{size: garments}``, ``None``: every
    size once), with the ``quantities`` overrides applied, each piece multiplied by its garments.

    ``match`` is a match file (see :mod:`kitcut.kits.matching`); ``None`` takes
    ``PATTERN.match.toml`` beside the pattern if there is one, ``False`` none. ``materials``
    (``--material``'s text) limits the note on pieces of quantity 0 with a cut count to the
    pieces of those materials: a rib marker named the shell's sleeves, and the ``--quantity``
    that cut them changed nothing.
    ``read_options`` go to :func:`~kitcut.formats.reading.read.read_pattern` (units, tolerance,
    strict, unfold, repair, loops, encoding).
    """
    from kitcut.formats.reading.read import read_pattern
    from kitcut.formats.reading.sizes import UnknownSizeError, garments_per_size
    from kitcut.kits.matching import apply_match_file, find_match_file
    from kitcut.kits.materials import of_materials

    pattern = read_pattern(path, sizes=None if sizes is None else list(sizes), **read_options)
    pattern = apply_quantities(pattern, quantities, what=quantity_what)
    match_file = find_match_file(path) if match is None else (match or None)
    if match_file is not None:
        pattern = apply_match_file(pattern, match_file)
    hint = annotated_hint(pattern.pieces) if not any(p.quantity > 0 for p in pattern.pieces) else ""
    if hint:  # a job drops the pieces of quantity 0: what their annotations say is said now
        pattern.report.warn(f"every piece has quantity 0; {ANNOTATED}{hint}", headline=True)
    elif note := annotated_note(of_materials(pattern.pieces, materials) if materials else pattern.pieces):
        pattern.report.warn(note, headline=True)
    if sizes is None:
        return pattern
    try:
        garments = garments_per_size(pattern.size_names, sizes, pattern=pattern.source)
    except UnknownSizeError as exc:
        exc.file = pattern.source
        raise
    return for_garments(pattern, garments, pairs=pairs)


#: how the counts that the annotations give are said (:func:`nothing_to_nest` repeats them)
ANNOTATED = "the pieces' annotations give their counts (1X, 2X...): "


def nothing_to_nest(pattern: Pattern) -> RulesError:
    """The error of a job whose every piece has quantity 0: whether the file or the quantities
    given made it so, and the ``--quantity`` options the annotations give (:func:`annotated_hint`,
    said in the report when the job dropped those pieces)."""
    pieces = pattern.pieces
    given = sum(p.quantity_rule == "option" for p in pieces)
    why = "the file says it is not cut" if not given else (
        "as the quantities given say" if given == len(pieces) else
        f"{given} by the quantities given, {len(pieces) - given} by the file")
    hint = annotated_hint(pieces) or next(
        (e.message.split(ANNOTATED, 1)[1] for e in pattern.report.warnings if ANNOTATED in e.message), "")
    said = f"; {ANNOTATED}{hint}" if hint else ""
    return RulesError(f"no piece to nest: every piece has quantity 0 ({why}); give quantities with "
                      f"--quantity NAME=N, or --quantity '*=1' for one of each{said}", file=pattern.source)


#: an AccuMark cut count at the start of an annotation: ``2XFABRIC``, ``1X RIB``, ``2 x``
_COUNT = re.compile(r"^\s*(\d{1,2})\s*[xX×]")


def annotated_counts(pieces) -> dict[str, tuple[int, str]]:
    """``{name: (count, annotation)}`` of the pieces whose file says 0 and whose annotation begins
    with a cut count (``2XRIB``): AccuMark's cut count of the piece (quantities given as options
    are not the file's 0)."""
    counts: dict[str, tuple[int, str]] = {}
    for p in pieces:
        if p.quantity != 0 or p.quantity_rule == "option" or p.name in counts:
            continue
        for a in p.annotations:
            m = _COUNT.match(a)
            if m and int(m.group(1)) > 0:
                counts[p.name] = (int(m.group(1)), a.strip())
                break
    return counts


def annotated_hint(pieces, *, how: str = "--quantity") -> str:
    """The ``--quantity`` options the pieces' annotations give where their file says 0 (AccuMark
    writes ``Quantity: 0`` on every piece of some styles and the cut count in an annotation:
    ``1XFABRIC``, ``2XRIB``); ``""`` when no annotation gives one. ``*=1`` cuts one of each:
    a sleeve whose annotation says ``2X`` would be cut once. ``how``: the quantities field of
    an order's garment instead (``garments[0].quantities``).

    >>> from kitcut.model import Piece
    >>> sq = [(0, 0), (1, 0), (1, 1)]
    >>> pieces = [Piece("FR", sq, quantity=0, annotations=("1XFABRIC",)),
    ...           Piece("SL", sq, quantity=0, annotations=("2XFABRIC",))]
    >>> annotated_hint(pieces)
    "--quantity '*=1' --quantity 'SL=2'"
    >>> annotated_hint(pieces, how="garments[0].quantities")
    'garments[0].quantities = { "*" = 1, "SL" = 2 }'
    """
    counts = annotated_counts(pieces)
    if not counts:
        return ""
    more = sorted(n for n, (c, _) in counts.items() if c != 1)
    return _quantities(how, [(DEFAULT_KEY, 1)] + [(n, counts[n][0]) for n in more])


def _quantities(how: str, counts: list[tuple[str, int]]) -> str:
    """``counts`` (piece name, count) as ``--quantity 'NAME=N'`` options a shell takes (quoted by
    :func:`shlex.quote` for a name with a quote), or, ``how`` an order's field, as its table
    (``garments[0].quantities = { "SL" = 2 }``)."""
    if how != "--quantity":
        return f"{how} = {{ " + ", ".join(f"{_toml(n)} = {c}" for n, c in counts) + " }"
    texts = (f"{n}={c}" for n, c in counts)
    return " ".join(f"--quantity '{t}'" if "'" not in t else f"--quantity {shlex.quote(t)}" for t in texts)


def _toml(name: str) -> str:
    """A piece name as a TOML key: quoted, its quotes and backslashes escaped."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def annotated_note(pieces, *, how: str = "--quantity") -> str | None:
    """The note on pieces whose file says 0 while their annotation gives a cut count (AccuMark's
    ``2XRIB`` on a cuff of ``Quantity: 0``), when other pieces are cut: they are not cut, as the
    file says, and this names them and how to cut them; ``None`` when there are none.

    >>> from kitcut.model import Piece
    >>> sq = [(0, 0), (1, 0), (1, 1)]
    >>> print(annotated_note([Piece("FR", sq), Piece("CUFF", sq, quantity=0, annotations=("2XRIB",))]))
    1 piece of quantity 0 has a cut count in its annotation: CUFF (2XRIB); not cut, as its Quantity text \
says (--quantity 'CUFF=2' cuts it)
    """
    if not any(p.quantity > 0 for p in pieces):
        return None
    counts = annotated_counts(pieces)
    if not counts:
        return None
    names = list(counts)
    shown = ", ".join(f"{n} ({counts[n][1]})" for n in names[:6]) + (
        f" and {len(names) - 6} more" if len(names) > 6 else "")
    one = len(names) == 1
    opts = _quantities(how, [(n, counts[n][0]) for n in names])
    return (f"{counted(len(names), 'piece')} of quantity 0 {'has' if one else 'have'} a cut count in "
            f"{'its annotation' if one else 'their annotations'}: {shown}; not cut, as "
            f"{'its' if one else 'their'} Quantity text says ({opts} {'cuts it' if one else 'cuts them'})")
