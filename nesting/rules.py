"""Garment rules: which orientations a piece may take on the marker.

The grain line of a piece must run along the roll (the marker's x axis). The fabric's nap mode
says in which directions:

- ``one-way``: grain along +x only (napped or printed fabric, every piece the same way);
- ``two-way``: 0° or 180° (the default);
- ``quarter``: 0, 90, 180 or 270° (pieces that allow cross grain);
- ``free``: any rotation.

A grain tilt tolerance adds small rotations (±``tilt_deg``) to each allowed direction.
Angles returned are placement rotations in the piece's own frame (see
:mod:`kitcut.model.geometry`), so they already include the turn that brings the grain onto x.

>>> allowed_orientations(90.0, "two-way")
((270.0, False), (90.0, False))
>>> allowed_orientations(90.0, "one-way", mirrored=True)
((90.0, True),)
"""

from __future__ import annotations

from kitcut.errors import RulesError

__all__ = ["NAP_MODES", "allowed_orientations", "check_nap"]

NAP_MODES = ("one-way", "two-way", "quarter", "free")

_TURNS = {"one-way": (0.0,), "two-way": (0.0, 180.0), "quarter": (0.0, 90.0, 180.0, 270.0)}


def check_nap(nap: str, *, piece: str | None = None) -> str:
    """Return the normalised nap mode or raise :class:`RulesError`."""
    mode = str(nap).strip().lower().replace("_", "-")
    aliases = {"oneway": "one-way", "twoway": "two-way", "none": "two-way", "90": "quarter"}
    mode = aliases.get(mode, mode)
    if mode not in NAP_MODES:
        raise RulesError(f"unknown nap mode {nap!r}; use one of {', '.join(NAP_MODES)}", piece=piece)
    return mode


def _norm(angle: float) -> float:
    a = round(angle % 360.0, 9)
    return 0.0 if a == 360.0 else a


def allowed_orientations(
    grain_deg: float | None,
    nap: str = "two-way",
    *,
    tilt_deg: float = 0.0,
    mirrored: bool = False,
    override: tuple[float, ...] | None = None,
) -> tuple[tuple[float, bool], ...] | None:
    """Allowed ``(rotation_deg, mirrored)`` pairs for one copy of a piece, ``None`` for free.

    ``grain_deg`` is the direction of the piece's grain line in its own frame (``None``: the
    piece is nested as drawn, its x axis taken as the grain). ``override`` lists rotations for
    the unmirrored piece that replace the nap rule (e.g. a benchmark instance's
    ``allowed_orientations``); for a mirrored copy they are carried over so that the grain
    takes the same directions.
    """
    g = 0.0 if grain_deg is None else float(grain_deg)
    if override is not None:
        # Unmirrored rotation r sends the grain to g + r; a mirrored copy reaches the same
        # direction with r + 2g (the mirror turns g into -g).
        bases = [_norm(r + 2.0 * g) if mirrored else _norm(r) for r in override]
    else:
        mode = check_nap(nap)
        if mode == "free":
            return None
        base = g if mirrored else -g
        bases = [_norm(base + t) for t in _TURNS[mode]]
    if tilt_deg < 0:
        raise RulesError(f"grain tilt must be >= 0 degrees, got {tilt_deg}")
    out: list[float] = []
    for b in bases:
        for d in ((0.0, -tilt_deg, tilt_deg) if tilt_deg > 0 else (0.0,)):
            a = _norm(b + d)
            if a not in out:
                out.append(a)
    return tuple((a, mirrored) for a in out)
