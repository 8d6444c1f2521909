"""Grade rule tables (``.RUL``, AAMA / ASTM D6673): the offsets that make every size of a piece.

A pattern exported for exchange is a *pair*: the DXF holds the sample (base) size with a rule
number at each grade point (``# n`` texts, see :mod:`kitcut.formats.reading.aama`), and the
``.RUL`` text file says how far the point of rule ``n`` lies from its sample-size place in every
other size. What the files look like (facts from public writers and readers of the format; the
real exports in ``../shared/data/dxf`` carry the ``# n`` labels; the README's "Grading" section
has what they hold and how kitcut's grading compares with their own sizes)::

    ASTM/D13Proposal 1 Version: D 6673-04        <- a version line; also "ANSI/AAMA VERSION:
    AUTHOR: GERBER TECHNOLOGY                       1.0.0" (OptiTex), "version ANSI/AAMA-292-B"
    PRODUCT: ACCUMARK                               (PolyPattern), "ASTM/D6673/RUL"; a blank
    VERSION: 12.0                                   first line occurs (OptiTex)
    CREATION DATE: 04-12-2017
    UNITS: ENGLISH                               <- ENGLISH = inches, METRIC = millimetres
    GRADE RULE TABLE: MISSY                      <- also written "GRADE RULE TABLE:MISSY"
    NUMBER OF SIZES: 8
    SIZE LIST: XS S M L XL XXL XXXL XXXXL
    SAMPLE SIZE: M
    RULE: DELTA 1
       -0.5000, 0.0000   -0.2500, 0.0000    0.0000, 0.0000    0.2500, 0.0000
        0.5000, 0.0000    0.7500, 0.0000    1.0000, 0.0000    1.2500, 0.0000
    RULE: DELTA 2
    ...
    END

- ``RULE: DELTA n`` is followed by one ``dx, dy`` pair per size, in SIZE LIST order: the
  offset of a point graded by rule ``n`` in that size from its place in the sample size, in the
  file's units (the sample's own pair is ``0, 0``). Writers lay the pairs out differently: all
  on the RULE line (PolyPattern), one per line, two per line (OptiTex) or four per line
  (``%10.2f,%9.2f``, Gerber-style); with or without a space after the comma. The decimal
  separator is a point (the comma separates dx from dy; decimal commas: ``rul_tokens``), so
  the reader takes numbers token by token and never by line.
- x and y are in the frame of the piece's grade reference line (layer 5; D6673: "the
  application of a grade rule will be oriented to the grade reference line"), which in every
  real export at hand runs along the drawing's x axis.

Variants built from the standard's terms (not seen in a real file; the reader accepts them
and says what it did):

- **per-step tables**: a header ``GRADE TYPE: INCREMENTAL`` (also ``RULE TYPE``, ``GRADING``;
  values ``INCREMENTAL``, ``INCREMENT``, ``STEP``, ``PER STEP``; ``DELTA``, ``CUMULATIVE``,
  ``RELATIVE`` mean the usual table), or a rule written ``RULE: STEP n``: each pair is the change
  from the next size towards the sample size (working away from the sample, as FlexPLM's
  "incremental" grading describes it); the reader adds them up into offsets from the sample;
- **break sizes**: a header ``BREAK SIZES: XS M XXXXL``: each rule gives one pair per break
  size; the sizes between two breaks are spread evenly (for per-step tables: the pair of a break
  applies to every size step up to it, away from the sample). The first and last sizes must be
  breaks; the sample size, when not listed, is a break at ``0, 0``;
- a sample pair that is not ``0, 0`` (a table relative to another size): every pair of that
  rule is taken relative to the sample's (a remark says so);
- ``NUMBER OF RULES: n`` is checked when present.

Units: ``ENGLISH`` inches, ``METRIC`` millimetres (as the DXF's ``Units:`` text); ``MM``, ``CM``,
``INCH`` are accepted too. Everything kitcut holds is in millimetres.

Errors name the file, the rule and the line (:class:`~kitcut.errors.GradeRuleError`, exit
status 2): a pair count that is not the number of sizes, a token that is no number, a rule
given twice, an unknown sample size, NUMBER OF SIZES or NUMBER OF RULES that disagree with
the table, no rules at all.

>>> t = parse_rul("UNITS: METRIC\\nSIZE LIST: S M L\\nSAMPLE SIZE: M\\nRULE: DELTA 1 -5,0 0,0 5,2.5\\nEND")
>>> t.sizes, t.sample, t.delta(1, "L").tolist()
(('S', 'M', 'L'), 'M', [5.0, 2.5])
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from kitcut.errors import GradeRuleError, UnitsError
from kitcut.fileio import read_input
from kitcut.formats.reading.rul_encoding import decode_rul
from kitcut.formats.reading.rul_tokens import comma_problem, decimal_comma, numbers, rule_head
from kitcut.formats.reading.units import MM_PER_UNIT, normalize_units

__all__ = ["GradeRules", "parse_rul", "read_rul", "find_rules", "RUL_SUFFIX"]

RUL_SUFFIX = ".rul"

_KEY = re.compile(r"^\s*([A-Za-z][A-Za-z _]*?)\s*:\s*(.*?)\s*$")
_CUMULATIVE = {"DELTA", "CUMULATIVE", "RELATIVE", "SAMPLE"}
_STEP = {"INCREMENTAL", "INCREMENT", "INCREMENTS", "STEP", "STEPS", "PERSTEP"}
_TYPE_KEYS = {"GRADETYPE", "RULETYPE", "GRADING", "DELTATYPE", "TABLETYPE"}
_KNOWN_KEYS = {"AUTHOR", "PRODUCT", "VERSION", "CREATIONDATE", "CREATIONTIME", "UNITS", "GRADERULETABLE",
               "NUMBEROFSIZES", "SIZELIST", "SAMPLESIZE", "BREAKSIZES", "BREAKS", "NUMBEROFRULES",
               *_TYPE_KEYS}


@dataclass(frozen=True, eq=False)
class GradeRules:
    """A grade rule table, in millimetres.

    ``deltas[n]`` is ``float64[len(sizes), 2]``: the offset of a point of rule ``n`` in each size
    of ``sizes`` from its sample-size place, in the rule's own frame (x along the piece's grade
    reference line). ``units`` is the unit the file was written in; ``notes`` what the reader did
    beyond the plain table (for the import report).
    """

    sizes: tuple[str, ...]
    sample: str
    deltas: dict[int, np.ndarray]
    units: str = "mm"
    table: str | None = None
    file: str | None = None
    header: dict = field(default_factory=dict)
    kind: str = "delta"  # "delta" (offsets from the sample) or "step" (as the file gave them)
    breaks: tuple[str, ...] | None = None
    notes: tuple[str, ...] = ()

    def index(self, size: str) -> int:
        """Position of ``size`` in :attr:`sizes` (exact name, else ignoring case)."""
        if size in self.sizes:
            return self.sizes.index(size)
        folded = [i for i, s in enumerate(self.sizes) if s.casefold() == str(size).casefold()]
        if len(folded) != 1:
            raise GradeRuleError(f"no size {size!r} in the grade rule table (it has {', '.join(self.sizes)})",
                                 file=self.file)
        return folded[0]

    def delta(self, rule: int, size: str) -> np.ndarray:
        """``(dx, dy)`` in mm of ``rule`` in ``size``; :class:`GradeRuleError` for an unknown rule."""
        if rule not in self.deltas:
            raise GradeRuleError(f"rule {rule} is not in the grade rule table ({self.rule_range()})",
                                 file=self.file)
        return self.deltas[rule][self.index(size)]

    def rule_range(self) -> str:
        """``"rules 1-80, 84"``: the rule numbers the table has, for messages."""
        nums = sorted(self.deltas)
        parts: list[str] = []
        i = 0
        while i < len(nums):
            j = i
            while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
                j += 1
            parts.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
            i = j + 1
        return "rules " + ", ".join(parts) if parts else "no rules"


def _norm_key(key: str) -> str:
    return re.sub(r"[\s_]+", "", key).upper()


class _Parser:
    def __init__(self, file: str | None):
        self.file = file
        self.notes: list[str] = []

    def fail(self, message: str, line: int | None = None, rule: int | None = None) -> GradeRuleError:
        where = " ".join(x for x in (f"rule {rule}" if rule is not None else "",
                                     f"line {line}" if line is not None else "") if x)
        return GradeRuleError(f"{where}: {message}" if where else message, file=self.file)


def _int_or(text, default: int) -> int:
    try:
        return int(str(text).strip())
    except ValueError:
        return default


def _split_sizes(text: str) -> list[str]:
    return [s for s in text.replace(",", " ").split() if s]


def parse_rul(text: str, *, file: str | None = None, sample: str | None = None,
              units: str | None = None) -> GradeRules:
    """Read the text of a ``.RUL`` file (see the module docstring).

    ``sample`` and ``units`` are used when the file does not say (e.g. the DXF's ``Sample
    Size:`` and ``Units:`` texts); a remark in :attr:`GradeRules.notes` says so.
    """
    p = _Parser(file)
    header: dict[str, str] = {}
    lines_of: dict[str, int] = {}
    raw_rules: list[tuple[int, str, int, list]] = []  # (rule, type, line, [(line, text)])
    size_list: list[str] | None = None
    ended = False
    current = None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for no, line in enumerate(lines, 1):
        s = line.strip().lstrip("\ufeff")
        if not s:
            continue
        if ended:
            p.notes.append(f"text after END not read (line {no}: {s[:40]!r})")
            break
        if s.upper() == "END":
            ended = True
            current = None
            continue
        head = rule_head(s)
        if head:
            kind, num, rest, variant = head
            if not num:
                raise p.fail(f"RULE: {kind} has no rule number", no)
            if not num.isdigit():
                raise p.fail(f"rule number {num!r} is not a whole number", no)
            number = int(num)
            if variant and not any("RULE:" in n for n in p.notes):
                p.notes.append(f"RULE lines written as {s[:24]!r} (line {no}): read as RULE: {kind} {number}")
            if any(r[0] == number for r in raw_rules):
                first = next(r[2] for r in raw_rules if r[0] == number)
                raise p.fail(f"rule {number} is given twice (first on line {first})", no)
            if kind not in _CUMULATIVE and kind not in _STEP:
                raise p.fail(f"unknown rule type {kind!r} (kitcut reads DELTA rules, and STEP / INCREMENTAL "
                             "per-step rules)", no, number)
            current = (number, kind, no, [(no, rest)])
            raw_rules.append(current)
            continue
        km = _KEY.match(s)
        known = bool(km) and _norm_key(km.group(1)) in _KNOWN_KEYS
        if current is not None and not known:
            current[3].append((no, s))
            continue
        current = None
        if known:
            key = _norm_key(km.group(1))
            header[key] = km.group(2)
            lines_of[key] = no
            if key == "SIZELIST":
                size_list = _split_sizes(km.group(2))
            continue
        if (size_list is not None and ":" not in s and not raw_rules
                and len(size_list) < _int_or(header.get("NUMBEROFSIZES"), 0)):
            size_list += _split_sizes(s)  # a long size list continued on the next line
            continue
        if not raw_rules and ("AAMA" in s.upper() or "ASTM" in s.upper() or s.upper().startswith("VERSION")):
            header["FORMAT"] = s  # the version line
            continue
        if km:
            header[_norm_key(km.group(1))] = km.group(2)
            p.notes.append(f"header line {no} not used by kitcut: {s[:60]!r}")
            continue
        raise p.fail(f"cannot read {s[:60]!r} (not a header line, a RULE line or END)", no)
    return _assemble(p, header, lines_of, size_list, raw_rules, sample, units, ended)


def _assemble(p: _Parser, header, lines_of, size_list, raw_rules, sample, units, ended) -> GradeRules:
    if size_list is None:
        raise p.fail("no SIZE LIST: the table does not say which sizes its pairs are for")
    if not size_list:
        raise p.fail("the SIZE LIST is empty", lines_of.get("SIZELIST"))
    # the list is split at blanks: a name holding one ("10 1/2", "Tres petit") reads as two, and
    # was said as "size '1/2' appears twice", the count that gives it away unsaid
    blanks = "; the SIZE LIST is split at blanks, so a size name holding one (10 1/2) reads as two"
    if "NUMBEROFSIZES" in header:
        try:
            n = int(header["NUMBEROFSIZES"].strip())
        except ValueError:
            raise p.fail(f"NUMBER OF SIZES {header['NUMBEROFSIZES']!r} is not a whole number",
                         lines_of["NUMBEROFSIZES"]) from None
        if n != len(size_list):
            raise p.fail(f"NUMBER OF SIZES says {n}, but the SIZE LIST names {len(size_list)} "
                         f"({' '.join(size_list)}){blanks if n < len(size_list) else ''}",
                         lines_of["NUMBEROFSIZES"])
    dup = sorted({s for s in size_list if size_list.count(s) > 1})
    if dup:
        raise p.fail(f"size {dup[0]!r} appears twice in the SIZE LIST{blanks}", lines_of.get("SIZELIST"))
    name = header.get("SAMPLESIZE", "").strip()
    if not name:
        if not sample:
            raise p.fail("no SAMPLE SIZE (the size the DXF holds and the pairs are relative to)")
        name = str(sample).strip()
        p.notes.append(f"the table names no SAMPLE SIZE: {name} taken from the pattern")
    folded = [s for s in size_list if s.casefold() == name.casefold()]
    if name not in size_list and len(folded) != 1:
        raise p.fail(f"SAMPLE SIZE {name!r} is not in the SIZE LIST ({' '.join(size_list)})",
                     lines_of.get("SAMPLESIZE"))
    sample_name = name if name in size_list else folded[0]
    unit_text = header.get("UNITS", "").strip()
    if unit_text:
        try:
            unit = normalize_units(unit_text.split()[0], file=p.file)
        except UnitsError:
            raise p.fail(f"unknown UNITS {unit_text!r} (ENGLISH, METRIC, MM, CM or INCH)",
                         lines_of.get("UNITS")) from None
    elif units:
        unit = normalize_units(units, file=p.file)
        p.notes.append(f"the table gives no UNITS: {unit} taken from the pattern")
    else:
        raise p.fail("no UNITS (ENGLISH or METRIC)")
    kind = "delta"
    for key in _TYPE_KEYS & set(header):
        v = _norm_key(header[key])
        if v in _STEP:
            kind = "step"
        elif v not in _CUMULATIVE:
            raise p.fail(f"unknown grade type {header[key]!r} (DELTA / CUMULATIVE, or INCREMENTAL / STEP)",
                         lines_of.get(key))
    breaks = None
    bkey = "BREAKSIZES" if "BREAKSIZES" in header else "BREAKS" if "BREAKS" in header else None
    if bkey:
        breaks = _breaks(p, _split_sizes(header[bkey]), size_list, sample_name, lines_of.get(bkey))
    if not raw_rules:
        raise p.fail("no rules: the table has no RULE: DELTA lines")
    if not ended:
        p.notes.append("the table has no END line (read to the end of the file)")
    if "NUMBEROFRULES" in header:
        try:
            nr = int(header["NUMBEROFRULES"].strip())
        except ValueError:
            raise p.fail(f"NUMBER OF RULES {header['NUMBEROFRULES']!r} is not a whole number",
                         lines_of["NUMBEROFRULES"]) from None
        if nr != len(raw_rules):
            raise p.fail(f"NUMBER OF RULES says {nr}, but the table has {len(raw_rules)} rules",
                         lines_of["NUMBEROFRULES"])
    scale = MM_PER_UNIT[unit]
    s_idx = size_list.index(sample_name)
    given = breaks if breaks is not None else size_list
    deltas: dict[int, np.ndarray] = {}
    shifted = []
    comma = decimal_comma(raw_rules, len(given))
    if comma:
        p.notes.append("numbers written with a decimal comma (no point in the table): read as decimals")
    for number, rkind, line, chunks in raw_rules:
        values = [v for no, txt in chunks
                  for v in numbers(txt, comma=comma, fail=lambda m, no=no, r=number: p.fail(m, no, r))]
        last = chunks[-1][0]
        if len(values) % 2:
            raise p.fail(f"{len(values)} numbers: an odd count, a dx without its dy", last, number)
        pairs = np.array(values, dtype=np.float64).reshape(-1, 2)
        if len(pairs) != len(given):
            what = "break sizes" if breaks is not None else "sizes"
            where = line if len(chunks) == 1 else f"{line}-{last}"
            if comma_problem(chunks, len(given)):
                raise p.fail(comma_problem(chunks, len(given)), where, number)
            raise p.fail(f"{len(pairs)} dx, dy pairs for {len(given)} {what} ({' '.join(given)}): one pair "
                         f"per size is needed", where, number)
        step = kind == "step" or rkind in _STEP
        table = _expand(pairs, given, size_list, sample_name, step)
        if not step and np.any(table[s_idx] != 0.0):
            shifted.append(number)
            table = table - table[s_idx]
        deltas[number] = table * scale
    if shifted:
        shown = ", ".join(map(str, shifted[:10])) + (" ..." if len(shifted) > 10 else "")
        p.notes.append(f"rule(s) {shown} give the sample size {sample_name} an offset: their pairs are taken "
                       "relative to it")
    if kind == "step" or any(r[1] in _STEP for r in raw_rules):
        p.notes.append("per-step rules: each pair is the change from the size before it, counted away from "
                       f"the sample size {sample_name}; added up into offsets from the sample")
    if breaks is not None:
        p.notes.append(f"break sizes {' '.join(breaks)}: the sizes between them spread evenly")
    return GradeRules(
        sizes=tuple(size_list), sample=sample_name, deltas=deltas, units=unit,
        table=header.get("GRADERULETABLE") or None, file=p.file, header=dict(header),
        kind="step" if kind == "step" else "delta", breaks=None if breaks is None else tuple(breaks),
        notes=tuple(p.notes),
    )


def _breaks(p: _Parser, names: list[str], sizes: list[str], sample: str, line) -> list[str]:
    out = []
    for b in names:
        hit = b if b in sizes else next((s for s in sizes if s.casefold() == b.casefold()), None)
        if hit is None:
            raise p.fail(f"break size {b!r} is not in the SIZE LIST ({' '.join(sizes)})", line)
        out.append(hit)
    idx = [sizes.index(b) for b in out]
    if idx != sorted(set(idx)):
        raise p.fail("BREAK SIZES must follow the SIZE LIST order, each once", line)
    if not idx or idx[0] != 0 or idx[-1] != len(sizes) - 1:
        raise p.fail(f"BREAK SIZES must begin with the first size ({sizes[0]}) and end with the last "
                     f"({sizes[-1]})", line)
    return out


def _expand(pairs: np.ndarray, given: list[str], sizes: list[str], sample: str, step: bool) -> np.ndarray:
    """Offsets from the sample for every size, from the pairs of ``given`` (all sizes or breaks)."""
    n, s = len(sizes), sizes.index(sample)
    at = {sizes.index(g): pairs[k] for k, g in enumerate(given)}
    if step:
        steps = np.zeros((n, 2))
        for k in range(n):
            if k == s:
                continue
            if k > s:  # the pair of the first break at or above k
                j = min(i for i in at if i >= k)
            else:  # the pair of the last break at or below k
                j = max(i for i in at if i <= k)
            steps[k] = at[j]
        out = np.zeros((n, 2))
        for k in range(s + 1, n):
            out[k] = out[k - 1] + steps[k]
        for k in range(s - 1, -1, -1):
            out[k] = out[k + 1] + steps[k]
        return out
    if len(at) == n:
        return np.array([at[k] for k in range(n)])
    at.setdefault(s, np.zeros(2))
    known = sorted(at)
    xs = np.array(known, dtype=np.float64)
    vals = np.array([at[k] for k in known])
    grid = np.arange(n, dtype=np.float64)
    return np.column_stack([np.interp(grid, xs, vals[:, 0]), np.interp(grid, xs, vals[:, 1])])


def read_rul(path, *, sample: str | None = None, units: str | None = None, like: str | None = None,
             encoding: str | None = None) -> GradeRules:
    """Read a ``.RUL`` file: UTF-16 with its byte-order mark as Notepad saves "Unicode", UTF-8,
    else ``encoding`` (the user's ``--encoding``), ``like`` (the pattern's), detected or cp1252
    (:func:`~kitcut.formats.reading.rul_encoding.decode_rul`); see :func:`parse_rul`."""
    file = os.fspath(path)
    try:
        data = read_input(path)
    except FileNotFoundError:
        raise GradeRuleError("grade rule file not found", file=file) from None
    except OSError as exc:
        raise GradeRuleError(f"cannot read the grade rule file: {exc.strerror or exc}", file=file) from None
    text, note = decode_rul(data, file=file, like=like, forced=encoding)
    table = parse_rul(text, file=file, sample=sample, units=units)
    return replace(table, notes=(note, *table.notes)) if note else table


def find_rules(pattern_path) -> Path | None:
    """The ``.RUL`` beside ``pattern_path``: same stem, ``.rul`` in any case (``tee.dxf`` ->
    ``tee.rul``, ``TEE.RUL``); the stem as written wins over another spelling of it.
    ``None`` when there is none; :class:`GradeRuleError` when several fit equally."""
    p = Path(pattern_path)
    same = _same_stem(p)
    exact = [f for f in same if f.stem == p.stem]
    pick = exact if exact else same
    if len(pick) > 1:
        shown = ", ".join(sorted(f.name for f in pick))
        raise GradeRuleError(f"several grade rule files beside the pattern ({shown}); name one with --rules",
                             file=os.fspath(pattern_path))
    return pick[0] if pick else None


def _same_stem(pattern: Path) -> list[Path]:
    """The ``.RUL`` files beside ``pattern`` whose stem is its stem in any case."""
    try:
        return [f for f in pattern.parent.iterdir() if f.suffix.lower() == RUL_SUFFIX
                and f.stem.casefold() == pattern.stem.casefold() and f.is_file()]
    except OSError:
        return []


def other_spellings(pattern_path, found: Path) -> list[str]:
    """The names of the other ``.RUL`` files beside ``pattern_path`` whose stem is its stem in
    another case (``TEE.RUL`` beside ``tee.rul``, which :func:`find_rules` takes for ``tee.dxf``)."""
    return sorted(f.name for f in _same_stem(Path(pattern_path)) if f.name != found.name)
