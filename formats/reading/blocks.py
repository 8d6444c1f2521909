"""Block references (INSERTs): how many entities they expand to, and nested ones exploded.

A DXF block may insert other blocks, and a hostile or broken file can make the tree fan out
(a block inserting another 100 times, four levels deep, is 10^8 entities). So the size of the
drawing once every INSERT is exploded is computed from the block table first, without
exploding anything (:func:`expanded_count`), and checked against the ``max_entities`` limit
before any reader explodes a block.

AAMA piece blocks are read one block per piece. Some CADs draw a piece block as an INSERT of
other blocks (the cut line in one, the marks in another); :func:`explode_nested` puts the
entities of those inner blocks into the piece block, transformed, so the piece is read whole.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np

from kitcut.formats.reading.dxf_fast import DxfData, Ent

__all__ = ["MAX_DEPTH", "expanded_count", "reaching", "explode_nested", "nested_count", "ezdxf_refs",
           "data_refs"]

#: INSERTs are followed this many levels deep (model space is level 0); deeper ones are skipped.
MAX_DEPTH = 4

#: A block's own entity count and its INSERTs as (block name, copies).
Refs = tuple[int, list[tuple[str, int]]]


def expanded_count(top: Refs, blocks: Mapping[str, Refs], *, level: int = 0, depth: int = MAX_DEPTH) -> int:
    """Entities of ``top`` (at ``level``: 0 for model space, 1 for a block it inserts) once its
    INSERTs are exploded down to level ``depth`` (an INSERT deeper, or of a missing block,
    counts as one entity)."""
    memo: dict[tuple[str, int], int] = {}

    def size(refs: Refs, level: int) -> int:
        own, inserts = refs
        total = own
        for name, copies in inserts:
            inner = blocks.get(name)
            if level >= depth or inner is None:
                total += copies
                continue
            key = (name, level + 1)
            if key not in memo:
                memo[key] = size(inner, level + 1)
            total += copies * memo[key]
        return total

    return size(top, level)


def reaching(found: set[str], blocks: Mapping[str, Refs], depth: int = MAX_DEPTH) -> set[str]:
    """The blocks in ``found`` and those that insert one of them, directly or through blocks
    nested no deeper than ``depth`` levels below model space."""
    out = set(found)
    for _ in range(depth - 1):
        more = {name for name, (_, inserts) in blocks.items()
                if name not in out and any(b in out for b, _ in inserts)}
        if not more:
            break
        out |= more
    return out


def ezdxf_refs(doc) -> tuple[Refs, dict[str, Refs]]:
    """:data:`Refs` of the model space and of every block of an ezdxf document."""

    def refs(entities: Iterable) -> Refs:
        own = 0
        inserts = []
        for e in entities:
            if e.dxftype() == "INSERT":
                inserts.append((e.dxf.get("name", ""), max(1, e.mcount)))  # a MINSERT: its grid
            else:
                own += 1
        return own, inserts

    return refs(doc.modelspace()), {blk.name: refs(blk) for blk in doc.blocks}


def data_refs(data: DxfData) -> tuple[Refs, dict[str, Refs]]:
    """:data:`Refs` of the model space and blocks of a :class:`DxfData`."""

    def refs(entities: list) -> Refs:
        inserts = [(e.name, 1) for e in entities if e.type == "INSERT"]
        return len(entities) - len(inserts), inserts

    return refs(data.msp), {name: refs(ents) for name, ents in data.blocks.items()}


def _inserted(data: DxfData) -> list[str]:
    """The blocks model space inserts, once each, in order."""
    return list(dict.fromkeys(e.name for e in data.msp if e.type == "INSERT" and e.name in data.blocks))


def nested_count(data: DxfData) -> int:
    """Entities of the model space and of the blocks it inserts (each block once), once
    :func:`explode_nested` has put nested blocks into the blocks inserting them."""
    _, refs = data_refs(data)
    loose = sum(1 for e in data.msp if e.type != "INSERT")
    return loose + sum(expanded_count(refs[name], refs, level=1) for name in _inserted(data))


def _moved(e: Ent, A: np.ndarray, t: np.ndarray) -> Ent:
    """A copy of ``e`` with its block coordinates mapped by ``p @ A + t``."""
    lin = math.sqrt(abs(float(np.linalg.det(A)))) or 1.0
    out = Ent(e.type, e.layer, e.handle, z=e.z * lin, text=e.text, tag=e.tag, name=e.name,
              thickness=e.thickness * lin, closed=e.closed)
    x, y = np.array([e.x, e.y]) @ A + t
    out.x, out.y = float(x), float(y)
    if e.angle is not None:
        v = np.array([math.cos(math.radians(e.angle)), math.sin(math.radians(e.angle))]) @ A
        out.angle = math.degrees(math.atan2(v[1], v[0]))
    if e.points is not None:
        out.points = e.points @ A + t if len(e.points) else e.points
    if e.type == "INSERT":
        out.A, out.t = e.A @ A, e.t @ A + t
    out.attribs = [_moved(a, A, t) for a in e.attribs]
    return out


def explode_nested(data: DxfData, skips) -> set[str]:
    """Replace the INSERTs inside the blocks model space inserts by the entities of the blocks
    they insert (in place); returns the names of the blocks so used. INSERTs nested deeper
    than :data:`MAX_DEPTH`, of a missing block, or of a block that inserts itself are left out
    and noted in ``skips`` (a :class:`~kitcut.formats.reading.aama.SkipLog`: one remark per
    reason, with the count).

    Check :func:`nested_count` against the entity limit first: this makes every copy.
    """
    used: set[str] = set()
    if not any(e.type == "INSERT" for ents in data.blocks.values() for e in ents):
        return used

    def flat(name: str, level: int, path: tuple[str, ...]) -> list:
        # the block's own entities first: its own texts name the piece, not those it inserts
        ents = data.blocks[name]
        out = [e for e in ents if e.type != "INSERT"]
        for e in ents:
            if e.type != "INSERT":
                continue
            if e.name not in data.blocks:
                skips.add(f"INSERT of a missing block '{e.name}' inside a block; not used", e, name)
            elif e.name in path:
                skips.add(f"block '{e.name}' inserts itself; the repeated INSERT is not used", e, name)
            elif level >= MAX_DEPTH:
                skips.add("INSERT nested too deep; not used", e, name)
            else:
                used.add(e.name)
                out += [_moved(inner, e.A, e.t) for inner in flat(e.name, level + 1, (*path, e.name))]
                out += e.attribs
        return out

    # no memo: the copies made are what nested_count counted, checked against the limit
    flattened = {name: flat(name, 1, (name,)) for name in _inserted(data)}
    data.blocks.update(flattened)
    return used
