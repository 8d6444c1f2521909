"""Nest a pattern into a marker: the bridge between the pattern model and the nesting core.

:func:`build_instance` turns pieces and garment rules into the core's :class:`Instance`
(one item per piece and mirror side, with its allowed orientations), :func:`nest_pattern` runs
the search, checks the result with the independent validator and returns a
:class:`~kitcut.model.Marker` in the pieces' original geometry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from kitcut.errors import RulesError
from kitcut.kits.matching import core_zones, item_match
from kitcut.limits import check as check_limit
from kitcut.model import Marker, Pattern, Placement, Repeat, Rules
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
                what="pieces in one marker")
    repeat = rules.repeat
    if repeat.active and not repeat.symmetric:
        nap = "one-way"  # an asymmetric design turned by 180° is another design
    items: list[Item] = []
    sources: list[ItemSource] = []
    for index, piece in enumerate(pattern.pieces):
        mirrors = piece.copy_mirrors(pairs=rules.pairs)
        mode = check_nap(piece.nap, piece=piece.label) if piece.nap else nap
        match = item_match(piece, repeat)
        if match is not None:  # the grain along the roll, no tilt: the lines of the design run on
            mode = "two-way" if repeat.symmetric else "one-way"
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
        given = sum(p.quantity_rule == "option" for p in pattern.pieces)
        why = "the file says it is not cut" if not given else (
            "as the quantities given say" if given == len(pattern.pieces) else
            f"{given} by the quantities given, {len(pattern.pieces) - given} by the file")
        raise RulesError(f"no piece to nest: every piece has quantity 0 ({why}); give quantities with "
                         "--quantity NAME=N, or --quantity '*=1' for one of each", file=pattern.source)
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


def solution_from_marker(marker: Marker, sources: tuple[ItemSource, ...]) -> Solution:
    """The core's view of a marker's placements (for a warm start with ``--resume``)."""
    where = {(s.piece, c): (i, k) for i, s in enumerate(sources) for k, c in enumerate(s.copies)}
    placed = []
    for p in marker.placements:
        key = (p.piece, p.copy)
        if key not in where:
            continue
        item, copy = where[key]
        placed.append(Placed(item, copy, p.rotation_deg, p.mirrored, tuple(p.translation)))
    density = marker.efficiency
    return Solution(placements=tuple(placed), length=marker.length, density=density, stats={})


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
) -> Marker:
    """Nest every copy of every piece of ``pattern`` and return the checked marker.

    Raises :class:`~kitcut.errors.InfeasibleError` naming a piece that fits no allowed
    orientation, and :class:`~kitcut.errors.ValidationError` (a bug) if the core returned a
    marker that the independent validator rejects.

    On a fabric with a repeat and matched pieces, ``matching_reference`` (a share of the time
    or iteration budget) also nests the pattern as on plain fabric, to report what matching
    costs (``stats["matching"]``). ``stop()`` returning true ends the search early, keeping the
    best marker found (``stats["stopped"]``).
    """
    instance, sources = build_instance(pattern, rules)
    initial = None
    if resume is not None:
        initial = solution_from_marker(resume, sources)
        if len(initial.placements) != sum(it.demand for it in instance.items):
            initial = None  # a marker of another pattern or rules: start afresh
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
    if rules.repeat.active:
        info = {
            "repeat_mm": [rules.repeat.x_mm, rules.repeat.y_mm],
            "phase_mm": list(rules.repeat.phase),
            "symmetric": rules.repeat.symmetric,
            "matched": sorted(set(matched)),
        }
        if reference is not None:
            info["plain_length"] = float(reference.length)
            info["cost_pct"] = 100.0 * (float(solution.length) / float(reference.length) - 1.0)
        marker = replace(marker, stats={**marker.stats, "matching": info})
    return marker
