"""A plain pattern reads the same however its drawing program writes it.

Property test: random pieces (star-shaped outlines of 6 to 12 corners), each with a grain line
on a grain layer, notches drawn as short lines from corners of the cut line toward its centre,
drill circles, a label and for some a sew line 10 mm inside, are written as closed polylines,
as LINEs, or as two open polylines each, every line drawn either way, the entities in any
order, the whole drawing turned by any angle and moved anywhere, in mm, cm or inches. The
reading must give back what was drawn: the pieces with their names, quantities and areas,
every notch, every drill mark, the grain line and the sew line.
"""

from __future__ import annotations

import math
import random

import ezdxf
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Polygon

from kitcut.formats.reading.read import read_pattern

STYLES = ("polyline", "lines", "halves")
#: Drawing units: ($INSUNITS, mm per unit).
UNITS = {"mm": (4, 1.0), "cm": (5, 10.0), "in": (1, 25.4)}


def _piece(rnd: random.Random, cx: float) -> dict:
    n = rnd.randint(6, 12)
    radius = rnd.uniform(90.0, 200.0)
    step = 2 * math.pi / n
    angles = [step * (k + rnd.uniform(-0.3, 0.3)) for k in range(n)]  # all round the centre
    reach = [rnd.uniform(0.75, 1.0) * radius for _ in angles]
    ring = [(cx + q * math.cos(a), q * math.sin(a)) for q, a in zip(reach, angles, strict=True)]
    notched = rnd.sample(range(len(ring)), rnd.randint(0, min(3, len(ring))))
    drills = [(cx + 0.35 * radius, 0.25 * radius * k) for k in range(rnd.randint(0, 2))]
    sew = None
    if rnd.random() < 0.5:  # a sew line 10 mm inside, through the same number of corners
        inner = Polygon(ring).buffer(-10.0, join_style="mitre", mitre_limit=10.0)
        if inner.geom_type == "Polygon" and len(inner.exterior.coords) == len(ring) + 1:
            sew = [tuple(q) for q in np.asarray(inner.exterior.coords)[:-1]]
    return {"ring": ring, "centre": (cx, 0.0), "radius": radius, "notched": notched, "drills": drills,
            "quantity": rnd.randint(1, 4), "sew": sew}


def _draw(msp, piece: dict, name: str, style: str, rnd: random.Random) -> list:
    """The entities of one piece (added to ``msp``), in the order drawn."""
    ring, (cx, cy), r = piece["ring"], piece["centre"], piece["radius"]

    def line(pts, **kw):
        pts = pts[::-1] if rnd.random() < 0.5 else pts
        return msp.add_lwpolyline(pts, **kw)

    out = []
    if style == "polyline":
        out.append(msp.add_lwpolyline(ring[::-1] if rnd.random() < 0.5 else ring, close=True))
    elif style == "lines":
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            out.append(msp.add_line(*((b, a) if rnd.random() < 0.5 else (a, b))))
    else:
        k = len(ring) // 2
        out += [line(ring[: k + 1]), line(ring[k:] + ring[:1])]
    if piece["sew"] is not None:
        sew = piece["sew"]
        if style == "lines":
            for a, b in zip(sew, sew[1:] + sew[:1], strict=True):
                out.append(msp.add_line(*((b, a) if rnd.random() < 0.5 else (a, b))))
        else:
            out.append(msp.add_lwpolyline(sew, close=True))
    for k in piece["notched"]:  # 5 mm from the corner toward the centre
        x, y = ring[k]
        d = math.hypot(cx - x, cy - y)
        out.append(line([(x, y), (x + 5 * (cx - x) / d, y + 5 * (cy - y) / d)]))
    for x, y in piece["drills"]:
        out.append(msp.add_circle((x, y), 2.5))
    out.append(msp.add_line((cx - 0.3 * r, cy - 0.2 * r), (cx + 0.3 * r, cy - 0.2 * r),
                            dxfattribs={"layer": "GRAIN"}))
    out.append(msp.add_text(f"Piece Name: {name}", dxfattribs={"insert": (cx - 0.3 * r, cy + 0.1 * r),
                                                                  "height": 6}))
    out.append(msp.add_text(f"Quantity: {piece['quantity']}",
                            dxfattribs={"insert": (cx - 0.3 * r, cy + 0.1 * r - 10), "height": 6}))
    return out


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31), pieces=st.integers(1, 3), style=st.sampled_from(STYLES),
       turn=st.floats(0.0, 360.0), dx=st.floats(-1e5, 1e5), dy=st.floats(-1e5, 1e5),
       unit=st.sampled_from(sorted(UNITS)))
def test_a_plain_pattern_reads_as_drawn_however_it_is_written(tmp_path, seed, pieces, style, turn, dx, dy,
                                                               unit):
    rnd = random.Random(seed)
    drawn = [_piece(rnd, 500.0 * k) for k in range(pieces)]
    doc = ezdxf.new("R2010")
    code, mm = UNITS[unit]
    doc.header["$INSUNITS"] = code
    msp = doc.modelspace()
    ents = [e for k, p in enumerate(drawn) for e in _draw(msp, p, f"P{k + 1}", style, rnd)]
    rnd.shuffle(ents)
    for e in ents:  # in another order, the drawing turned and moved as a whole
        msp.unlink_entity(e)
    m = ezdxf.math.Matrix44.chain(ezdxf.math.Matrix44.z_rotate(math.radians(turn)),
                                  ezdxf.math.Matrix44.translate(dx, dy, 0),
                                  ezdxf.math.Matrix44.scale(1.0 / mm))  # in the drawing's unit
    for e in ents:
        msp.add_entity(e)
        e.transform(m)
    path = tmp_path / f"p{seed}.dxf"
    doc.saveas(path)
    pat = read_pattern(path)
    got = {p.name: p for p in pat.pieces}
    assert sorted(got) == [f"P{k + 1}" for k in range(pieces)]
    for k, want in enumerate(drawn):
        p = got[f"P{k + 1}"]
        assert p.quantity == want["quantity"]
        assert p.area == pytest.approx(Polygon(want["ring"]).area, rel=1e-6)
        assert len(p.notches) == len(want["notched"]), pat.report.entries
        assert len(p.drills) == len(want["drills"]) and not p.cutouts
        assert all(d.diameter == pytest.approx(5.0, abs=0.05) for d in p.drills)
        assert p.grain is not None and np.ptp(p.grain.points, axis=0).max() > 0
        assert len(p.sew_lines) == (want["sew"] is not None)
