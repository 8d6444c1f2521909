"""Nest a pattern into a marker: the bridge between the pattern model and the nesting core.

:func:`build_instance` turns pieces and garment rules into the core's :class:`Instance`
(one item per piece and mirror side, with its allowed orientations), :func:`nest_pattern` runs
the search, checks the result with the independent validator and returns a
:class:`~kitcut.model.Marker` in the pieces' original geometry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from kitcut.errors import InputError, RulesError
from kitcut.kits.matching import core_zones, item_match
from kitcut.kits.quantities import nothing_to_nest
from kitcut.limits import check as check_limit
from kitcut.model import Marker, Pattern, Piece, Placement, Repeat, Rules
from kitcut.nesting import Instance, Item, Placed, Progress, Solution, solve, validate
from kitcut.nesting.rules import allowed_orientations, check_nap

__all__ = ["ItemSource", "build_instance", "nest_pattern", "marker_from_solution", "solution_from_marker"]


@dataclass(frozen=True)
class ItemSource:
    """Which piece and copies a nesting item stands for."""

    piece: int
    mirrored: bool
    copies: tuple[int, ...]


def build_instance(pattern: Pattern, rules: Rules) -> tuple[Instance, tuple[ItemSource, ...]]:
    """The nesting instance of ``pattern`` under ``rules``, and the source of each item.

    Every copy of every piece is demanded: copies that the pair rule (or the file's
    ``Quantity: a,b``) mirrors go to a second item with mirrored orientations.
    """
    nap = check_nap(rules.nap)
    if rules.width <= 0:
        raise RulesError(f"fabric width must be positive, got {rules.width:g}")
    if rules.spacing < 0 or rules.margin < 0:
        raise RulesError("spacing and margin must be >= 0")
    if rules.usable_width <= 0:
        raise RulesError(
            f"the edge margins ({rules.margin:g} on each selvedge) leave no usable width "
            f"on a fabric of {rules.width:g}"
        )
    check_limit("max_pieces", sum(max(p.quantity, 0) for p in pattern.pieces), file=pattern.source,
                what="pieces in one marker", other=", or cut them as several markers: fewer sizes or "
                "garments at a time (--sizes; an order split into several orders)")
    repeat = rules.repeat
    if repeat.active and not repeat.symmetric:
        nap = "one-way"  # an asymmetric design turned by 180° is another design
    items: list[Item] = []
    sources: list[ItemSource] = []
    for index, piece in enumerate(pattern.pieces):
        mirrors = piece.copy_mirrors(pairs=rules.pairs)
        mode = check_nap(piece.nap, piece=piece.label) if piece.nap else nap
        match = item_match(piece, repeat)
        if match is not None:  # the grain along the roll, no tilt: the lines of the design run on;
            # a narrower nap stays (a one-way nap on stripes still allows no half turn)
            mode = "one-way" if mode == "one-way" or not repeat.symmetric else "two-way"
        for flag in (False, True):
            copies = tuple(k for k, m in enumerate(mirrors) if m == flag)
            if not copies:
                continue
            orients = allowed_orientations(
                piece.grain_angle_deg,
                mode,
                tilt_deg=0.0 if match is not None else rules.tilt_deg,
                mirrored=flag,
                override=None if match is not None else piece.allowed_rotations,
            )
            items.append(
                Item(
                    id=piece.label + (" [mirrored]" if flag else ""),
                    shape=piece.outline,
                    demand=len(copies),
                    # free rotation: any angle, but a mirrored copy stays mirrored
                    orientations=((0.0, flag),) if orients is None else orients,
                    free_rotation=orients is None,
                    holes=piece.cutouts,
                    match=match,
                )
            )
            sources.append(ItemSource(index, flag, copies))
    if not items:
        raise nothing_to_nest(pattern)
    instance = Instance(
        items=tuple(items),
        width=float(rules.width),
        margin=float(rules.margin),
        spacing=float(rules.spacing),
        name=pattern.style or "",
        repeat=(float(repeat.x_mm), float(repeat.y_mm)),
        phase=(float(repeat.phase[0]), float(repeat.phase[1])),
        zones=core_zones(rules.zones, [pattern.pieces[s.piece] for s in sources]),
    )
    return instance, tuple(sources)


def marker_from_solution(
    pattern: Pattern, rules: Rules, sources: tuple[ItemSource, ...], solution: Solution, name: str | None
) -> Marker:
    placements = tuple(
        Placement(
            piece=sources[p.item].piece,
            copy=sources[p.item].copies[p.copy],
            rotation_deg=float(p.rotation_deg),
            mirrored=bool(p.mirrored),
            translation=(float(p.translation[0]), float(p.translation[1])),
        )
        for p in solution.placements
    )
    placements = tuple(sorted(placements, key=lambda q: (q.piece, q.copy)))
    return Marker(
        pieces=pattern.pieces,
        rules=rules,
        placements=placements,
        length=float(solution.length),
        units=pattern.units,
        name=name or pattern.style,
        source=pattern.source,
        stats=dict(solution.stats),
    )


def _same_piece(a: Piece, b: Piece) -> bool:
    """``a`` and ``b`` are one piece: name, size and outline (within the marker file's rounding)."""
    oa, ob = np.asarray(a.outline, dtype=float), np.asarray(b.outline, dtype=float)
    return (a.name, a.size) == (b.name, b.size) and oa.shape == ob.shape and bool(
        np.allclose(oa, ob, rtol=0.0, atol=1e-5 * (1.0 + float(np.abs(oa).max(initial=0.0)))))


def _piece_map(marker: Marker, pieces: Sequence[Piece]) -> dict[int, int]:
    """For each piece of ``marker``, the index of the same piece in ``pieces`` (the one at the same
    index if it is the same, else the first such one not taken); pieces with none are left out."""
    by_name: dict[tuple, list[int]] = {}
    for j, q in enumerate(pieces):
        by_name.setdefault((q.name, q.size), []).append(j)
    found: dict[int, int] = {}
    taken: set[int] = set()
    for i, piece in enumerate(marker.pieces):
        free = [j for j in by_name.get((piece.name, piece.size), ())
                if j not in taken and _same_piece(piece, pieces[j])]
        if free:
            found[i] = i if i in free else free[0]
            taken.add(found[i])
    return found


def solution_from_marker(marker: Marker, sources: tuple[ItemSource, ...],
                         pieces: Sequence[Piece] | None = None) -> Solution:
    """The core's view of a marker's placements (for a warm start with ``--resume``).

    With ``pieces`` (the job's), each placement goes to the job's piece of the same name, size and
    outline, wherever it is in the list; without, to the piece of its index. Placements of
    pieces or copies the job does not cut are left out.
    """
    index = _piece_map(marker, pieces) if pieces is not None else {i: i for i in range(len(marker.pieces))}
    where = {(s.piece, c): (i, k) for i, s in enumerate(sources) for k, c in enumerate(s.copies)}
    placed = []
    for p in marker.placements:
        key = (index.get(p.piece), p.copy)
        if key not in where:
            continue
        item, copy = where[key]
        placed.append(Placed(item, copy, p.rotation_deg, p.mirrored, tuple(p.translation)))
    density = marker.efficiency
    return Solution(placements=tuple(placed), length=marker.length, density=density, stats={})


def _warm_start(resume: Marker, pattern: Pattern, sources: tuple[ItemSource, ...],
                resume_file: str | None) -> tuple[Solution, int]:
    """The warm start of ``resume`` for this job and the number of its placements left out; an
    :class:`~kitcut.errors.InputError` naming ``resume_file`` when none is of a piece of the job,
    or when its unit is not the job's (its placements would be read in the wrong one)."""
    initial = solution_from_marker(resume, sources, pattern.pieces)
    if not initial.placements:
        theirs = ", ".join(dict.fromkeys(p.label for p in resume.pieces)) or "none"
        raise InputError(
            f"--resume: none of the marker's {len(resume.placements)} placements is of a piece of this "
            f"job (the same name, size and outline): a marker of another pattern? Its pieces: "
            f"{_shorten(theirs)}", file=resume_file)
    theirs, ours = resume.units or "mm", pattern.units or "mm"
    if theirs != ours:
        raise InputError(f"--resume: the marker is in {theirs}, this job in {ours}: its placements would be "
                         "read in the wrong unit", file=resume_file)
    return initial, len(resume.placements) - len(initial.placements)


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip(", ") + "..."


def nest_pattern(
    pattern: Pattern,
    rules: Rules,
    *,
    time_limit: float = 10.0,
    seed: int | None = None,
    workers: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    resume: Marker | None = None,
    max_iterations: int | None = None,
    name: str | None = None,
    matching_reference: float = 0.2,
    stop: Callable[[], bool] | None = None,
    resume_file: str | None = None,
) -> Marker:
    """Nest every copy of every piece of ``pattern`` and return the checked marker.

    Raises :class:`~kitcut.errors.InfeasibleError` naming a piece that fits no allowed
    orientation, and :class:`~kitcut.errors.ValidationError` (a bug) if the core returned a
    marker that the independent validator rejects.

    On a fabric with a repeat and matched pieces, ``matching_reference`` (a share of the time
    or iteration budget) also nests the pattern as on plain fabric, to report what matching
    costs (``stats["matching"]``). ``stop()`` returning true ends the search early, keeping the
    best marker found (``stats["stopped"]``).

    ``resume`` (an earlier marker, read from ``resume_file``) is a warm start: its placements
    of the job's pieces (the same name, size and outline) are taken, those outside the usable
    width or in an orientation the rules no longer allow are moved, copies it lacks are placed
    anew and placements of pieces the job does not cut are left out; ``stats["resume"]`` counts
    them (``kept``, ``moved``, ``placed``, ``dropped``, and ``warm_start``: false when the
    search had to start afresh). A marker with no placement of the job's pieces is an
    :class:`~kitcut.errors.InputError` naming ``resume_file``.
    """
    halves = [p.label for p in pattern.pieces if p.folded and not p.unfolded]
    if halves:
        more = f" and {len(halves) - 3} more" if len(halves) > 3 else ""
        named = ", ".join(halves[:3]) + more
        raise InputError(f"{len(halves)} piece(s) kept as halves on the fold ({named}): on a folded spread"
                         " a half must lie with its fold line on the fabric's fold, which "
                         "kitcut does not place; anywhere else it is cut as two mirrored halves. Nest the "
                         "whole pieces (without --keep-folded or keep_folded)", file=pattern.source)
    instance, sources = build_instance(pattern, rules)
    initial, left_out = None, 0
    if resume is not None:
        initial, left_out = _warm_start(resume, pattern, sources, resume_file)
    matched = [pattern.pieces[src.piece].label
               for src, it in zip(sources, instance.items, strict=True) if it.match]
    reference = None
    share = matching_reference if matched else 0.0
    if share > 0:
        plain = replace(rules, repeat=Repeat())
        ref_inst, _ = build_instance(pattern, plain)
        reference = solve(ref_inst, time_limit=max(0.1, share * time_limit), seed=seed, workers=workers,
                          max_iterations=max_iterations, stop=stop)
        time_limit = max(0.1, (1.0 - share) * time_limit)
    solution = solve(
        instance,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        progress=progress,
        initial=initial,
        max_iterations=max_iterations,
        stop=stop,
    )
    validate(instance, solution)
    marker = marker_from_solution(pattern, rules, sources, solution, name)
    if "resume" in marker.stats:  # the core counts what it dropped of what it was given
        warm = marker.stats["resume"]
        warm = {**warm, "dropped": warm["dropped"] + left_out}
        marker = replace(marker, stats={**marker.stats, "resume": warm})
    if rules.repeat.active:
        info = {
            "repeat_mm": [rules.repeat.x_mm, rules.repeat.y_mm],
            "phase_mm": list(rules.repeat.phase),
            "symmetric": rules.repeat.symmetric,
            "matched": sorted(set(matched)),
        }
        if reference is not None:  # the matched marker is a plain one too: a shorter search that
            # did worse is no measure (it read as matching making the marker shorter, -7 %)
            plain_length = min(float(reference.length), float(solution.length))
            info["plain_length"] = plain_length
            info["cost_pct"] = 100.0 * (float(solution.length) / plain_length - 1.0)
        marker = replace(marker, stats={**marker.stats, "matching": info})
    return marker
