"""Resource limits: caps that keep a hostile or broken input from exhausting memory or time.

:class:`Limits` holds the caps with their defaults; :func:`current` gives the ones in force:
the defaults, overridden by environment variables ``KITCUT_MAX_FILE_MB``,
``KITCUT_MAX_ENTITIES``, ``KITCUT_MAX_VERTICES``, ``KITCUT_MAX_OUTLINE_VERTICES``,
``KITCUT_MAX_PIECE_VERTICES``, ``KITCUT_MAX_PIECES`` and ``KITCUT_MAX_TILED_PAGES`` (read on every
call), or by
:func:`override` (a context manager, used by the CLI's ``--limit NAME=VALUE`` and by tests).
A cap that is hit raises :class:`LimitError` naming the file, the limit and how to raise it.

>>> current().max_pieces >= 1000
True
>>> with override(max_pieces=10):
...     current().max_pieces
10
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, fields, replace

from kitcut.errors import InputError

__all__ = ["Limits", "LimitError", "current", "override", "check", "parse_assignment", "simplify_ring",
           "limits_in_env", "ENV"]


class LimitError(InputError):
    """An input exceeds a resource limit (file size, entities, vertices, pieces, pages)."""


@dataclass(frozen=True)
class Limits:
    """Caps on what one input may hold. ``0`` disables a cap."""

    #: Largest input file read (MB). Real pattern files are well under 50 MB.
    max_file_mb: float = 256.0
    #: Most DXF entities (model space and blocks; every polyline VERTEX counts as one) in one file.
    max_entities: int = 2_000_000
    #: Most cut-line vertices over all pieces of one pattern, as drawn.
    max_vertices: int = 2_000_000
    #: Most cut-line vertices of one piece, as drawn (more is rejected before any work on it).
    max_outline_vertices: int = 20_000
    #: Outlines with more vertices are simplified within the chord tolerance (reported as a repair).
    max_piece_vertices: int = 5_000
    #: Most pieces (copies) in one marker.
    max_pieces: int = 5_000
    #: Most pages of a tiled print (``tiled.pdf``: a 45 m marker 1.5 m wide takes about 1,500 A4).
    max_tiled_pages: int = 10_000


#: The environment variable of each limit.
ENV = {f.name: "KITCUT_" + f.name.upper() for f in fields(Limits)}

_override: list[Limits] = []


def _convert(name: str, value: str | float | int) -> float | int:
    typ = {f.name: f.type for f in fields(Limits)}[name]
    try:
        v = float(value) if typ in ("float", float) else int(float(value))
    except (TypeError, ValueError):
        raise InputError(f"limit {name}: not a number: {value!r}") from None
    if not v >= 0 or v != v or v == float("inf"):
        raise InputError(f"limit {name}: must be a number >= 0 (0 = no limit), got {value!r}")
    return v


def current() -> Limits:
    """The limits in force: an active :func:`override`, else the environment, else defaults."""
    if _override:
        return _override[-1]
    base = Limits()
    changes = {}
    for name, var in ENV.items():
        raw = os.environ.get(var)
        if raw not in (None, ""):
            changes[name] = _convert(name, raw)
    return replace(base, **changes) if changes else base


@contextlib.contextmanager
def override(**changes):
    """Use other limits inside a ``with`` block (values as numbers or strings)."""
    unknown = set(changes) - set(ENV)
    if unknown:
        raise InputError(f"unknown limit(s): {', '.join(sorted(unknown))}; known: {', '.join(ENV)}")
    _override.append(replace(current(), **{k: _convert(k, v) for k, v in changes.items()}))
    try:
        yield _override[-1]
    finally:
        _override.pop()


@contextlib.contextmanager
def limits_in_env(changes: dict):
    """Set the environment variables of ``changes`` inside a ``with`` block (then restore)."""
    old = {ENV[k]: os.environ.get(ENV[k]) for k in changes}
    try:
        for k, v in changes.items():
            os.environ[ENV[k]] = repr(v)
        yield
    finally:
        for var, v in old.items():
            if v is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = v


def parse_assignment(text: str) -> tuple[str, float | int]:
    """``"max_pieces=10000"`` -> ``("max_pieces", 10000)`` (for ``--limit``)."""
    name, sep, value = text.partition("=")
    name = name.strip().replace("-", "_")
    if not sep or name not in ENV:
        raise InputError(f"--limit {text!r}: use NAME=VALUE with NAME one of {', '.join(ENV)}")
    return name, _convert(name, value.strip())


def check(name: str, value: float, *, file: str | None = None, piece: str | None = None,
          what: str | None = None, other: str = "") -> None:
    """Raise :class:`LimitError` when ``value`` exceeds limit ``name`` (0 disables it); ``other``
    is another way out, said after how to raise the limit."""
    cap = getattr(current(), name)
    if cap and value > cap:
        unit = " MB" if name == "max_file_mb" else ""
        shown = f"{value:,.2f}" if name == "max_file_mb" else f"{int(value):,}"
        raise LimitError(
            f"{what or name.replace('_', ' ')}: {shown}{unit} exceeds the limit {name} = {cap:,g}{unit} "
            f"(raise it with {ENV[name]}=N or --limit {name}=N; 0 = no limit){other}",
            file=file, piece=piece)


def simplify_ring(ring, tolerance: float, cap: int):
    """``ring`` (``float64[n, 2]``, open) with at most ``cap`` vertices, or ``None`` when it
    already has no more than ``cap``, or when simplifying within ``tolerance`` cannot reach
    ``cap`` or would make the outline invalid; returns ``(points, max_deviation_mm)``.

    Douglas-Peucker (shapely, topology preserved) at ``tolerance``: every removed vertex lies
    within ``tolerance`` of the new outline, so the piece changes by less than the chord error
    of its curves.
    """
    import numpy as np
    from shapely.geometry import Polygon

    ring = np.asarray(ring, dtype=np.float64)
    if not cap or len(ring) <= cap:
        return None
    poly = Polygon(ring)
    simple = poly.simplify(tolerance, preserve_topology=True)
    if simple.is_empty or simple.geom_type != "Polygon" or not simple.is_valid:
        return None
    pts = np.asarray(simple.exterior.coords, dtype=np.float64)[:-1]
    if len(pts) > cap or len(pts) < 3:
        return None
    dev = float(poly.exterior.hausdorff_distance(simple.exterior))
    return pts, dev
