"""Matching pieces to a patterned fabric: match files, and what the nesting core is given.

Match points come from the pattern (AAMA stripe and plaid reference lines, layers 9 and 10,
see :func:`kitcut.formats.reading.build.repeat_match`) or from a small side file beside it,
``PATTERN.match.toml``::

    # where the pieces of the tee meet the fabric's repeat
    [[match]]
    piece = "Front"            # a piece name (every size), or "Front (M)" for one size
    point = "notch 3"          # "notch N" / "drill N" (1-based, in the file's order), or [x, y]
    axes = "xy"                # "x" (along the roll and the grain), "y" (across), or "xy" (default)
    offset_mm = [0, 0]         # optional: the point's place from the dominant lines

    [[match]]
    piece = "Sleeve"
    point = "notch 2"
    to = { piece = "Front", point = "notch 3" }   # continues the front: the same phase
    axes = "y"

A piece sits on the repeat at one point per axis. Points matched to each other (``to``) are
both put on the lines of the repeat (the fabric's phase plus the entry's offset), so pieces of
a garment matched to each other share the phase; a piece without a match point is free.

:func:`item_match` and :func:`core_zones` turn the model's match points and fabric zones into
the nesting core's :class:`~kitcut.nesting.Match` and :class:`~kitcut.nesting.Zone`.
"""

from __future__ import annotations

import math
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from kitcut.errors import InputError
from kitcut.fileio import not_utf8, read_user_text
from kitcut.formats.reading.texts import nfc
from kitcut.kits.quantities import name_key
from kitcut.model import MAX_ROLL_MM, MatchPoint, Pattern, Piece, Repeat
from kitcut.model.fabric import FabricZone
from kitcut.nesting import Match, Zone

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["item_match", "core_zones", "read_match_file", "apply_match_file", "find_match_file",
           "MATCH_SUFFIX", "unmatched_notes", "unknown_categories", "idle_match_points"]

MATCH_SUFFIX = ".match.toml"
_KEYS = {"piece", "point", "axes", "offset_mm", "to"}


def item_match(piece: Piece, repeat: Repeat) -> Match | None:
    """The core's match of ``piece`` on ``repeat`` (``None``: free, or a plain fabric)."""
    m = piece.match
    if m is None or not repeat.active:
        return None
    x = m.x_point if repeat.x_mm > 0 else None
    y = m.y_point if repeat.y_mm > 0 else None
    if x is None and y is None:
        return None
    return Match(x_point=x, y_point=y, offset=tuple(float(v) for v in m.offset))


def idle_match_points(pieces, repeat: Repeat) -> str | None:
    """What of the pieces' match points ``repeat`` has no lines for, said in one sentence, else
    ``None``: a point for x (along the roll) on a repeat of stripes along the roll (RX = 0), or one
    for y on stripes across it (RY = 0). Such a point is not used; the job said "no piece has a
    match point" and sent the user back to the match file they had given."""
    if not repeat.active:
        return None
    idle: dict[str, list[str]] = {}
    for p in pieces:
        m = p.match
        if m is None:
            continue
        for axis, point, step in (("x", m.x_point, repeat.x_mm), ("y", m.y_point, repeat.y_mm)):
            if point is not None and step <= 0 and p.name not in idle.setdefault(axis, []):
                idle[axis].append(p.name)
    parts = []
    for axis, names in idle.items():  # (an axis is in it with the first name)
        more = f" and {len(names) - 4} more" if len(names) > 4 else ""
        shown = ", ".join(map(repr, names[:4])) + more
        lines = ("lines across the roll, RX = 0" if axis == "x" else "lines along the roll, RY = 0")
        parts.append(f"the match point(s) on axis {axis} of {shown} are not used (the repeat "
                     f"{repeat.x_mm:g},{repeat.y_mm:g} has no {lines})")
    return "; ".join(parts) or None


def core_zones(zones: tuple[FabricZone, ...], item_pieces: list[Piece]) -> tuple[Zone, ...]:
    """The core's zones: each lets through the items whose piece category it allows."""
    out = []
    for z, zone in enumerate(zones):
        allowed = frozenset(i for i, p in enumerate(item_pieces) if zone.allows(p.category))
        out.append(Zone(zone.shape, zone.name or f"zone {z + 1}", allowed))
    return tuple(out)


def unknown_categories(zone: FabricZone, pieces) -> tuple[list[str], list[str]]:
    """``(categories, known)``: the categories ``zone`` lets through that no piece of ``pieces``
    has (a typo keeps the pieces it meant off the zone), and the pieces' categories, sorted."""
    have = {name_key(p.category): p.category.strip() for p in pieces if name_key(p.category)}
    return [c for c in zone.allow if name_key(c) not in have], sorted(have.values())


def find_match_file(pattern_path) -> Path | None:
    """``PATTERN.match.toml`` beside the pattern file (the stem in any case), if there is one.
    None for a benchmark instance (``.json``): its items are no pattern's pieces, and the bundled
    ``trousers.match.toml``, meant for ``trousers.dxf``, made ``trousers.json`` unreadable."""
    p = Path(pattern_path)
    if p.suffix.lower() == ".json":
        return None
    want = (p.stem + MATCH_SUFFIX).casefold()
    try:
        for q in p.parent.iterdir():
            if q.name.casefold() == want and q.is_file():
                return q
    except OSError:
        return None
    return None


def read_match_file(path) -> list[dict]:
    """The checked entries of a match file (errors name the file and the entry)."""
    file = str(path)
    try:
        data = tomllib.loads(read_user_text(path))
    except FileNotFoundError:
        raise InputError("match file not found", file=file) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read the match file: {not_utf8(exc)}", file=file) from None
    except OSError as exc:
        raise InputError(f"cannot read the match file: {exc}", file=file) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", file=file) from None
    extra = sorted(set(data) - {"match"})
    if extra:
        raise InputError(f"{extra[0]}: unknown table (a match file holds [[match]] entries)", file=file)
    entries = data.get("match", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InputError("match: must be [[match]] tables", file=file)
    out = []
    for i, e in enumerate(entries):
        where = f"match[{i}]"
        bad = sorted(set(e) - _KEYS)
        if bad:
            raise InputError(f"{where}.{bad[0]}: unknown field (allowed: {', '.join(sorted(_KEYS))})",
                             file=file)
        for key in ("piece", "point"):
            if key not in e:
                raise InputError(f"{where}.{key}: missing", file=file)
        axes = str(e.get("axes", "xy")).strip().lower()
        if axes not in ("x", "y", "xy", "yx"):
            raise InputError(f"{where}.axes: {e.get('axes')!r} is not x, y or xy", file=file)
        off = e.get("offset_mm", [0, 0])
        if (not isinstance(off, list) or len(off) != 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in off)):
            raise InputError(f"{where}.offset_mm: must be [x, y] in mm, got {off!r}", file=file)
        if not all(math.isfinite(v) and abs(v) <= MAX_ROLL_MM for v in off):
            # NaN was an internal error; 1e18 put the point 8.6 mm off its line, exit 0
            raise InputError(f"{where}.offset_mm: {off!r}: each must be a number of mm within "
                             f"{MAX_ROLL_MM / 1e6:g} km (a place between the design's lines)", file=file)
        to = e.get("to")
        if to is not None and (not isinstance(to, dict) or set(to) != {"piece", "point"}):
            raise InputError(f"{where}.to: must be {{ piece = \"...\", point = \"...\" }}", file=file)
        out.append({"piece": e["piece"], "point": e["point"], "axes": "".join(sorted(set(axes))),
                    "offset": (float(off[0]), float(off[1])), "to": to, "where": where})
    return out


def _pieces_named(pattern: Pattern, name, file: str, where: str) -> list[int]:
    """The pieces ``name`` names (``Front``: every size; ``Front (M)``: one); none for a size of
    the file that this job does not cut (a style's match file names each size's point)."""
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{where}.piece: a piece name is needed, got {name!r}", file=file)
    key = nfc(name.strip()).casefold()
    hit = [i for i, p in enumerate(pattern.pieces)
           if nfc(p.label).casefold() == key or nfc(p.name).casefold() == key]
    if not hit and _size_not_cut(pattern, key) is not None:
        return []
    if not hit:
        names = sorted({p.name for p in pattern.pieces})
        shown = ", ".join(names[:20]) + (" ..." if len(names) > 20 else "")
        raise InputError(f"{where}.piece: no piece {name!r} in {pattern.source or 'the pattern'} (pieces: "
                         f"{shown})", file=file)
    return hit


def _size_not_cut(pattern: Pattern, key: str) -> str | None:
    """The size a piece name ``key`` (folded) ends in, ``Front (S)``, when the file has that size
    and this job cuts no piece of it; else ``None``."""
    base, _, size = key.rpartition(" (")
    if not base or not size.endswith(")"):
        return None
    size = size[:-1].strip()
    cut = {nfc(p.size).casefold() for p in pattern.pieces if p.size}
    return next((s for s in pattern.size_names if nfc(s).casefold() == size and size not in cut), None)


def _point(piece: Piece, point, file: str, where: str) -> tuple[tuple[float, float], str]:
    if isinstance(point, list) and len(point) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in point):
        x, y = float(point[0]), float(point[1])
        lo, hi = piece.outline.min(axis=0), piece.outline.max(axis=0)
        reach = 0.5 * float((hi - lo).max())  # on the piece, or just beside it (a line's end)
        off = float(np.hypot(*np.maximum(np.maximum(lo - (x, y), (x, y) - hi), 0.0)))
        if not off <= reach:
            raise InputError(f"{where}.point: ({x:g}, {y:g}) is {off:,.0f} mm off piece '{piece.label}' "
                             f"(it spans x {lo[0]:g} to {hi[0]:g}, y {lo[1]:g} to {hi[1]:g}): a match point "
                             "lies on its piece, in the pattern's coordinates (mm)", file=file)
        return (x, y), f"({point[0]:g}, {point[1]:g})"
    text = str(point).strip().lower()
    kind, _, num = text.partition(" ")
    if kind in ("notch", "drill") and num.strip().isdigit():
        k = int(num)
        feats = piece.notches if kind == "notch" else piece.drills
        if not 1 <= k <= len(feats):
            raise InputError(f"{where}.point: piece '{piece.label}' has {len(feats)} {kind}(es), no "
                             f"{kind} {k}", file=file)
        f = feats[k - 1]
        return (float(f.x), float(f.y)), f"{kind} {k}"
    raise InputError(f"{where}.point: {point!r} is not 'notch N', 'drill N' or [x, y]", file=file)


def apply_match_file(pattern: Pattern, path) -> Pattern:
    """``pattern`` with the match points of the match file at ``path`` (reported)."""
    file = str(path)
    entries = read_match_file(path)
    # per piece index and axis: (point, offset, what said it)
    fixed: dict[tuple[int, str], tuple[tuple[float, float], tuple[float, float], str]] = {}

    def put(i: int, axis: str, pt, off, said: str, where: str) -> None:
        old = fixed.get((i, axis))
        same = old is None or (abs(old[0][0] - pt[0]) <= 1e-6 and abs(old[0][1] - pt[1]) <= 1e-6
                               and old[1] == off)
        if not same:
            raise InputError(f"{where}: contradictory match points for piece '{pattern.pieces[i].label}' on "
                             f"the {axis} axis: {old[2]} and {said} (a piece meets the repeat at one point "
                             "per axis)", file=file)
        fixed[(i, axis)] = (pt, off, said)

    idle: list[str] = []  # sizes of the file this job does not cut, named by entries
    for e in entries:
        where = e["where"]
        targets = [(e["piece"], e["point"], where)]
        if e["to"] is not None:
            targets.append((e["to"]["piece"], e["to"]["point"], f"{where}.to"))
        for name, point, w in targets:
            hits = _pieces_named(pattern, name, file, w)
            if not hits and (size := _size_not_cut(pattern, nfc(name.strip()).casefold())) not in idle:
                idle.append(size)  # none only for a size not cut (else an error)
            for i in hits:
                pt, said = _point(pattern.pieces[i], point, file, w)
                for axis in e["axes"]:
                    put(i, axis, pt, e["offset"], f"{said} ({w})", w)
    pieces = list(pattern.pieces)
    for i, piece in enumerate(pieces):
        x, y = fixed.get((i, "x")), fixed.get((i, "y"))
        if x is None and y is None:
            continue
        offsets = {v[1] for v in (x, y) if v is not None}
        off = (x[1][0] if x else 0.0, y[1][1] if y else 0.0) if len(offsets) > 1 else next(iter(offsets))
        pieces[i] = replace(piece, match=MatchPoint(x_point=x[0] if x else None, y_point=y[0] if y else None,
                                                    offset=off, source=Path(file).name))
        if piece.match is not None:
            pattern.report.warn(f"match point of the pattern ({piece.match.source}) replaced by "
                                f"{Path(file).name}", piece=piece.label)
    matched = sum(1 for i in range(len(pieces)) if (i, "x") in fixed or (i, "y") in fixed)
    pattern.report.warn(f"{Path(file).name}: match points for {matched} piece(s)")
    if idle:
        pattern.report.skip(f"{Path(file).name}: the entries for size(s) {', '.join(idle)}, which this job "
                            "does not cut")
    return replace(pattern, pieces=tuple(pieces))


def fabric_design(f: dict, where: str, fail) -> tuple[Repeat, tuple[FabricZone, ...]]:
    """The repeat and the zones of an order's ``[[fabrics]]`` table; ``fail(field, message)``
    raises the order's error. Fields: ``repeat_mm = [rx, ry]``, ``repeat_phase_mm = [px, py]``,
    ``symmetric = true``, ``zones = [{ name, rect = [x0, y0, x1, y1] | polygon = [[x, y], ...],
    allow = [category, ...] }]``."""
    import math

    import numpy as np

    from kitcut.model import rect_ring, zone_trouble

    def pair(key: str, default=None):
        v = f.get(key, default)
        if v is None:
            return None
        numbers = isinstance(v, list) and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in v)
        if not numbers or len(v) != 2:
            fail(f"{where}.{key}", f"must be [x, y] in mm, got {v!r}")
        if not all(abs(x) < MAX_ROLL_MM for x in v):  # as --repeat and --phase
            fail(f"{where}.{key}", f"each must be less than {MAX_ROLL_MM:,.0f} mm, got {v!r}")
        return float(v[0]), float(v[1])

    rep = pair("repeat_mm")
    phase = pair("repeat_phase_mm", [0, 0])
    sym = f.get("symmetric", True)
    if not isinstance(sym, bool):
        fail(f"{where}.symmetric", f"must be true or false, got {sym!r}")
    if rep is None:
        if "repeat_phase_mm" in f or "symmetric" in f:
            fail(f"{where}.repeat_mm", "missing: repeat_phase_mm and symmetric describe a repeat")
        repeat = Repeat()
    else:
        if rep[0] < 0 or rep[1] < 0 or rep == (0.0, 0.0):
            fail(f"{where}.repeat_mm", f"both >= 0 and not both 0 (stripes: one of them 0), got {list(rep)}")
        repeat = Repeat(rep[0], rep[1], phase, sym)
    zones = []
    raw = f.get("zones", [])
    if not isinstance(raw, list):
        fail(f"{where}.zones", "must be a list of { name, rect or polygon, allow } tables")
    for k, z in enumerate(raw):
        zw = f"{where}.zones[{k}]"
        if not isinstance(z, dict):
            fail(zw, "must be a table { name, rect or polygon, allow }")
        extra = sorted(set(z) - {"name", "rect", "polygon", "allow"})
        if extra:
            fail(f"{zw}.{extra[0]}", "unknown field (allowed: allow, name, polygon, rect)")
        if ("rect" in z) == ("polygon" in z):
            fail(zw, "give rect = [x0, y0, x1, y1] or polygon = [[x, y], ...] (marker mm)")
        try:
            if "rect" in z:
                r = [float(v) for v in z["rect"]]
                if len(r) != 4 or r[0] == r[2] or r[1] == r[3]:
                    raise ValueError
                shape = rect_ring(*r)
            else:
                shape = np.asarray(z["polygon"], dtype=float).reshape(-1, 2)
                if len(shape) < 3 or not np.all(np.isfinite(shape)):
                    raise ValueError
        except (TypeError, ValueError):
            fail(zw, "a rectangle [x0, y0, x1, y1] with an area, or a polygon of 3 or more [x, y] points")
        if trouble := zone_trouble(shape):
            fail(f"{zw}.{'rect' if 'rect' in z else 'polygon'}", trouble)
        allow = z.get("allow", [])
        if not isinstance(allow, list) or not all(isinstance(a, str) and a.strip() for a in allow):
            fail(f"{zw}.allow", f"must be a list of category names, got {allow!r}")
        name = z.get("name", f"zone {k + 1}")
        if not isinstance(name, str):
            fail(f"{zw}.name", f"must be a string, got {name!r}")
        zones.append(FabricZone(shape, name, tuple(nfc(a.strip()) for a in allow)))
    return repeat, tuple(zones)


def unmatched_notes(markers) -> list[str]:
    """A note for each ``(fabric name, marker)`` nested on a repeat (stripes, checks) with no
    matched piece: the kit says that nothing of it meets the design, as ``nest`` prints
    ``0 matched piece(s)``."""
    notes = []
    for name, marker in markers:
        info = marker.stats.get("matching")
        if isinstance(info, dict) and not info.get("matched"):
            rx, ry = info.get("repeat_mm") or (0, 0)
            notes.append(f"fabric {name!r}: a {rx:g} x {ry:g} mm repeat, but no piece of its pattern has a "
                         "match point: no piece is matched to the stripes or checks (give the pattern "
                         "match points, or a match file: PATTERN.match.toml or the garment's match)")
    return notes
