"""Fast stand-ins for the kit tests: a JSON pattern reader and a shelf nester.

They are importable by name (``test_kits_fakes:shelf_nest``) so that worker processes and Dask
workers started by the tests can load them through :class:`kitcut.kits.kit.KitOptions`.
The tests at the bottom check the fakes themselves (a fake that lies would hide bugs).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from shapely.geometry import Polygon

from kitcut.errors import InfeasibleError
from kitcut.model import Line, Marker, Pattern, Piece, Placement, transform_points

FAKE_READER = "test_kits_fakes:read_fake_pattern"
FAKE_NESTER = "test_kits_fakes:shelf_nest"
SLEEPY_NESTER = "test_kits_fakes:sleepy_shelf_nest"
CRASHING_NESTER = "test_kits_fakes:crashing_shelf_nest"
STOPPED_NESTER = "test_kits_fakes:stopped_shelf_nest"
ANNOUNCING_NESTER = "test_kits_fakes:announcing_shelf_nest"
NO_COMBINED_NESTER = "test_kits_fakes:no_combined_shelf_nest"
WASTEFUL_COMBINED_NESTER = "test_kits_fakes:wasteful_combined_shelf_nest"


def tee_pieces(size: str, k: float) -> list[dict]:
    """A small tee in one size (k scales it): front, back, a pair of sleeves, a rib neckband."""
    sleeve = [[0, 0], [220 * k, 0], [200 * k, 180 * k], [30 * k, 200 * k]]
    return [
        {"name": "Front", "size": size, "quantity": 1, "outline": [[0, 0], [500 * k, 0], [500 * k, 420 * k],
                                                                  [0, 420 * k]], "grain": [[0, 0], [100, 0]]},
        {"name": "Back", "size": size, "quantity": 1, "outline": [[0, 0], [520 * k, 0], [520 * k, 420 * k],
                                                                 [0, 420 * k]]},
        {"name": "Sleeve", "size": size, "quantity": 2, "category": "SLEEVE", "outline": sleeve},
        {"name": "Neckband", "size": size, "quantity": 1, "category": "TRIM",
         "outline": [[0, 0], [420 * k, 0], [420 * k, 40], [0, 40]]},
    ]


def write_fake_tee(path: Path) -> Path:
    pieces = tee_pieces("S", 0.9) + tee_pieces("M", 1.0) + tee_pieces("L", 1.1)
    path.write_text(json.dumps({"style": "tee", "pieces": pieces}))
    return path


def write_metre_pattern(folder: Path) -> Path:
    """``folder/p.dxf``: a fake pattern of two 1000.04 mm pieces, one of category TRIM (two
    markers whose lengths rounded to 0.1 mm add up to less than their sum)."""
    folder.mkdir(parents=True, exist_ok=True)
    pieces = [{"name": "Body", "size": "M", "outline": [[0, 0], [1000.04, 0], [1000.04, 300], [0, 300]]},
              {"name": "Band", "size": "M", "category": "TRIM",
               "outline": [[0, 0], [1000.04, 0], [1000.04, 40], [0, 40]]}]
    path = folder / "p.dxf"
    path.write_text(json.dumps({"style": "p", "pieces": pieces}))
    return path


def read_fake_pattern(path, units=None) -> Pattern:
    data = json.loads(Path(path).read_text())
    pieces = tuple(
        Piece(name=p["name"], outline=np.array(p["outline"], float), size=p.get("size"),
              quantity=p.get("quantity", 1), category=p.get("category"),
              grain=Line(np.array(p["grain"], float)) if p.get("grain") else None)
        for p in data["pieces"]
    )
    return Pattern(pieces=pieces, style=data.get("style"), source=str(path))


def shelf_nest(pattern: Pattern, rules, *, time_limit=1.0, seed=None, workers=None, name=None,
               **_kw) -> Marker:
    """Columns across the width, filled tallest-first; pieces as drawn (grain rotation 0)."""
    copies = []
    for i, piece in enumerate(pattern.pieces):
        for c, mirrored in enumerate(piece.copy_mirrors(pairs=rules.pairs)):
            rot = -(piece.grain_angle_deg or 0.0)
            if mirrored:
                rot = piece.grain_angle_deg or 0.0
            pts = transform_points(piece.outline, rot, mirrored)
            lo, hi = pts.min(axis=0), pts.max(axis=0)
            copies.append((i, c, rot, mirrored, lo, hi))
    copies.sort(key=lambda t: (-(t[5][1] - t[4][1]), -(t[5][0] - t[4][0]), t[0], t[1]))
    top = rules.width - rules.margin
    x0, colw, y = 0.0, 0.0, rules.margin
    placements = []
    for i, c, rot, mirrored, lo, hi in copies:
        w, h = hi - lo
        if h > rules.usable_width + 1e-9:
            raise InfeasibleError("piece wider than the fabric", piece=pattern.pieces[i].label)
        if y + h > top + 1e-9:
            x0, colw, y = x0 + colw + rules.spacing, 0.0, rules.margin
        placements.append(Placement(i, c, float(rot), bool(mirrored), (float(x0 - lo[0]), float(y - lo[1]))))
        y += h + rules.spacing
        colw = max(colw, w)
    placements.sort(key=lambda p: (p.piece, p.copy))
    m = Marker(pieces=pattern.pieces, rules=rules, placements=tuple(placements), length=0.0, name=name,
               source=pattern.source, stats={"seed": seed, "fake": True})
    length = max(float(o[:, 0].max()) for o in m.placed_outlines())
    return Marker(pieces=m.pieces, rules=rules, placements=m.placements, length=length, name=name,
                  source=pattern.source, stats=m.stats)


def stopped_shelf_nest(pattern: Pattern, rules, **kw) -> Marker:
    """:func:`shelf_nest` whose search says it was stopped early (Ctrl-C), as ``nest kit`` does."""
    m = shelf_nest(pattern, rules, **kw)
    return Marker(pieces=m.pieces, rules=rules, placements=m.placements, length=m.length, name=m.name,
                  source=m.source, stats={**m.stats, "stopped": True, "search_s": 0.5})


def sleepy_shelf_nest(pattern: Pattern, rules, *, time_limit=1.0, **kw) -> Marker:
    """:func:`shelf_nest` that takes its whole time limit, like a real search."""
    import time

    time.sleep(time_limit)
    return shelf_nest(pattern, rules, time_limit=time_limit, **kw)


def announcing_shelf_nest(pattern: Pattern, rules, *, time_limit=1.0, name=None, **kw) -> Marker:
    """:func:`sleepy_shelf_nest` that first leaves a file ``<name> <pid>.started`` in the folder
    ``$KITCUT_FAKE_STARTED`` (when set), so a test knows which process is nesting what."""
    import os

    folder = os.environ.get("KITCUT_FAKE_STARTED")
    if folder:
        Path(folder, f"{name} {os.getpid()}.started").write_text("")
    return sleepy_shelf_nest(pattern, rules, time_limit=time_limit, name=name, **kw)


def crashing_shelf_nest(pattern: Pattern, rules, **kw) -> Marker:
    """:func:`shelf_nest`, except that it crashes its process (SIGSEGV) for orders named CRASH-*."""
    import os
    import signal

    if any(p.name.startswith("CRASH") for p in pattern.pieces):
        os.kill(os.getpid(), signal.SIGSEGV)
    return shelf_nest(pattern, rules, **kw)


def no_combined_shelf_nest(pattern: Pattern, rules, **kw) -> Marker:
    """:func:`shelf_nest`, except that a marker shared by several orders fails (as a search over
    too many pieces would): for a combined kit that fails as a whole."""
    from kitcut.errors import NestingError

    if (pattern.style or "").startswith("combined "):
        raise NestingError("the search gave up")
    return shelf_nest(pattern, rules, **kw)


def wasteful_combined_shelf_nest(pattern: Pattern, rules, **kw) -> Marker:
    """:func:`shelf_nest`, except that a marker shared by several orders is 3 m longer than its
    pieces need (as a short search over many pieces can be): combining costs fabric."""
    m = shelf_nest(pattern, rules, **kw)
    if not (pattern.style or "").startswith("combined "):
        return m
    return Marker(pieces=m.pieces, rules=rules, placements=m.placements, length=m.length + 3000.0,
                  name=m.name, source=m.source, stats=m.stats)


# -- the fakes checked -----------------------------------------------------------------------------


def test_shelf_nest_is_a_valid_marker(tmp_path):
    from kitcut.model import Rules

    pat = read_fake_pattern(write_fake_tee(tmp_path / "tee.dxf"))
    rules = Rules(width=1500, spacing=2, margin=5)
    m = shelf_nest(pat, rules)
    assert len(m.placements) == pat.copies
    polys = [Polygon(o) for o in m.placed_outlines()]
    for k, a in enumerate(polys):
        xmin, ymin, xmax, ymax = a.bounds
        assert ymin >= 5 - 1e-6 and ymax <= 1495 + 1e-6 and xmin >= -1e-6
        for b in polys[k + 1:]:
            assert a.distance(b) >= 2 - 1e-6
    assert math.isclose(m.length, max(p.bounds[2] for p in polys))
