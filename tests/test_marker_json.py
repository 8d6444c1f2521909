"""marker.json: a marker survives the round trip and damaged files get clear errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kitcut.errors import InputError
from kitcut.formats.marker_json import marker_to_dict, read_marker, write_marker
from kitcut.model import Drill, Line, Marker, Notch, Piece, Placement, Rules


def small_marker() -> Marker:
    a = Piece("Front", [(0, 0), (100, 0), (100, 50), (0, 50)], size="M", quantity=2, flipped=1,
              grain=Line([(10, 25), (90, 25)]), notches=(Notch(50, 0, 90.0),), drills=(Drill(20, 20),),
              internal_lines=(Line([(30, 10), (30, 40)]),), category="body")
    b = Piece("Cuff", [(0, 0), (40, 0), (40, 20), (0, 20)], cutouts=[[(10, 5), (20, 5), (20, 15), (10, 15)]])
    placements = (
        Placement(0, 0, 0.0, False, (0.0, 0.0)),
        Placement(0, 1, 0.0, True, (100.0, 50.0)),
        Placement(1, 0, 90.0, False, (220.0, 0.0)),
    )
    return Marker((a, b), Rules(width=120.0, spacing=0.0), placements, length=220.0, name="t")


def test_round_trip(tmp_path):
    m = small_marker()
    path = write_marker(m, tmp_path / "marker.json")
    again = read_marker(path)
    assert again.placements == m.placements
    assert again.rules == m.rules
    assert again.length == m.length
    assert again.efficiency == pytest.approx(m.efficiency)
    for p, q in zip(m.pieces, again.pieces, strict=True):
        assert np.allclose(p.outline, q.outline)
        assert p.notches == q.notches and p.drills == q.drills
        assert len(p.cutouts) == len(q.cutouts)
    data = json.loads(path.read_text())
    assert data["format"] == "kitcut-marker" and data["version"] == 1
    sol = data["solution"]
    assert {"width", "length", "efficiency", "placements"} <= set(sol)
    # the placed outline in the file is the transformed piece outline
    pl = sol["placements"][1]
    assert pl["mirrored"] is True and pl["copy"] == 1
    expect = m.placed_outline(m.placements[1])
    assert np.allclose(pl["outline"], expect)
    # efficiency: (2 * 5000 + 800 - 100) / (220 * 120)
    assert sol["efficiency"] == pytest.approx((2 * 5000 + 700) / (220 * 120))


def test_damaged_files_are_clear_errors(tmp_path):
    p = tmp_path / "m.json"
    p.write_text("{not json")
    with pytest.raises(InputError, match="cannot read marker JSON"):
        read_marker(p)
    p.write_text(json.dumps({"format": "other"}))
    with pytest.raises(InputError, match="not a kitcut marker file"):
        read_marker(p)
    d = marker_to_dict(small_marker())
    d["solution"]["placements"][0]["piece"] = 7
    p.write_text(json.dumps(d))
    with pytest.raises(InputError, match="placement refers to piece 7"):
        read_marker(p)
    d = marker_to_dict(small_marker())
    d["version"] = 99
    p.write_text(json.dumps(d))
    with pytest.raises(InputError, match="version 99 is not supported"):
        read_marker(p)


@pytest.mark.parametrize("edit, message", [
    (lambda d: d.update(units="furlong"),
     '"units": unknown unit \'furlong\'; one of mm, cm, m, in, ft, unit'),
    (lambda d: d["solution"]["placements"][0]["translation"].__setitem__(0, float("nan")),
     "solution.placements[0].translation[0]: not a finite number (nan)"),
    (lambda d: d["instance"]["pieces"][1]["outline"][2].__setitem__(1, float("inf")),
     "instance.pieces[1].outline[2][1]: not a finite number (inf)"),
    (lambda d: d["instance"]["rules"].update(width="120"),
     "damaged marker file: instance.rules: width is not a number: '120'"),
    (lambda d: d["solution"].update(width=100),
     "solution.width 100 is not the width of instance.rules (120)"),
    (lambda d: d.pop("solution"), "damaged marker file: no 'solution'"),
    (lambda d: d["instance"]["pieces"][1].pop("outline"),
     "damaged marker file: instance.pieces[1]: no 'outline'"),
    (lambda d: d["solution"].update(length="long"), "solution.length: 'long' is not a number within ±1e+09 "
                                                    "(a damaged marker file)"),
    (lambda d: d["instance"]["pieces"][1].update(flipped="abc"),
     "damaged marker file: instance.pieces[1]: flipped is not a whole number ≥ 0: 'abc'"),
    (lambda d: d["instance"]["pieces"][0].update(quantity=1.5),
     "damaged marker file: instance.pieces[0]: quantity is not a whole number ≥ 0: 1.5"),
    (lambda d: d["instance"]["pieces"][1]["outline"][0].__setitem__(0, 1e308),
     "damaged marker file: instance.pieces[1]: outline: a coordinate is not a number within ±1e+09"),
    (lambda d: d["solution"]["placements"][1].update(translation=[3.0]),
     "damaged marker file: solution.placements[1]: translation [3.0] is not a pair x, y"),
    (lambda d: d["instance"]["pieces"][0].update(outline=[[0, 0], [1, 1]]),
     "damaged marker file: instance.pieces[0]: outline is not a list of at least 3 points [x, y]"),
    (lambda d: d["solution"]["placements"][0].pop("mirrored"),
     "damaged marker file: solution.placements[0]: no 'mirrored'"),
    # before: Python's words ("object of type 'NoneType' has no len()", "Notch.__init__() missing 2
    # required positional arguments", "dictionary update sequence element #0" named as the solution)
    (lambda d: d["solution"]["placements"][0].update(translation=None),
     "damaged marker file: solution.placements[0]: translation None is not a pair x, y"),
    (lambda d: d["instance"]["pieces"][0].update(notches=[{"x": 1.0}]),
     "damaged marker file: instance.pieces[0]: notches[0] has no y, angle_deg"),
    (lambda d: d.update(stats="x"), "damaged marker file: stats: not an object: 'x'"),
    # before: read as they were (a piece index 1.7 as 1, a nap no rule knows)
    (lambda d: d["solution"]["placements"][0].update(piece=1.7),
     "damaged marker file: solution.placements[0]: piece is not a whole number ≥ 0: 1.7"),
    (lambda d: d["instance"]["rules"].update(nap="sideways"),
     "damaged marker file: instance.rules: nap 'sideways' is not one of one-way, two-way, quarter, free"),
    (lambda d: d["instance"]["rules"].update(margin=60),
     "damaged marker file: instance.rules: width 120, spacing 0 and margin 60 leave no fabric (the width "
     "must be above 0 and above both margins)"),
    # before: read as they were (probe 44): "false" in quotes as a mirrored copy (a non-empty
    # string is true), numbers in quotes as numbers, ["12", 5] as x = 12, a null solution in
    # Python's words ("argument of type 'NoneType' is not iterable")
    (lambda d: d["solution"]["placements"][1].update(mirrored="false"),
     "damaged marker file: solution.placements[1]: mirrored must be true or false, got 'false'"),
    (lambda d: d["solution"]["placements"][0].update(mirrored=0),
     "damaged marker file: solution.placements[0]: mirrored must be true or false, got 0"),
    (lambda d: d["instance"]["pieces"][0].update(folded="no"),
     "damaged marker file: instance.pieces[0]: folded must be true or false, got 'no'"),
    (lambda d: d["solution"]["placements"][0].update(translation=["12", 5]),
     "solution.placements[0].translation: '12' is not a number within ±1e+09 (a damaged marker file)"),
    (lambda d: d["solution"]["placements"][2].update(rotation_deg="90.0"),
     "solution.placements[2].rotation_deg: '90.0' is not a number within ±1e+09 (a damaged marker file)"),
    (lambda d: d["solution"]["placements"][0].update(translation=[True, 0.0]),
     "solution.placements[0].translation: True is not a number within ±1e+09 (a damaged marker file)"),
    (lambda d: d["instance"]["pieces"][1]["outline"][0].__setitem__(0, "0"),
     "damaged marker file: instance.pieces[1]: outline is not a list of at least 3 points [x, y]"),
    (lambda d: d["instance"]["pieces"][1]["outline"][0].__setitem__(0, None),
     "damaged marker file: instance.pieces[1]: outline is not a list of at least 3 points [x, y]"),
    (lambda d: d.update(solution=None), "damaged marker file: solution: not an object: None"),
    (lambda d: d.update(instance=[]), "damaged marker file: instance: not an object: []"),
])
def test_bad_units_and_numbers_name_the_field(tmp_path, edit, message):
    """Before, ``"units": "furlong"`` was read as millimetres, a NaN translation ended in "internal
    error: GEOSException", a width given as a string in a TypeError later, and a solution width
    other than the rules' was ignored. A missing key or a string for a number named the Python
    exception (``KeyError: 'solution'``), not the part of the file."""
    d = marker_to_dict(small_marker())
    edit(d)
    p = tmp_path / "m.json"
    p.write_text(json.dumps(d))
    with pytest.raises(InputError) as ei:
        read_marker(p)
    assert str(ei.value) == f"{p}: {message}"


def test_a_byte_order_mark_and_rules_of_a_newer_writer_are_read(tmp_path):
    """A marker.json saved by a Windows editor (UTF-8 with its byte-order mark) was refused; a
    rules field this kitcut does not know (a newer writer's) failed as a Python error."""
    d = marker_to_dict(small_marker())
    d["instance"]["rules"]["selvedge_mm"] = 8
    p = tmp_path / "m.json"
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps(d).encode("utf-8"))
    m = read_marker(p)
    assert m.rules == small_marker().rules and len(m.placements) == len(small_marker().placements)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("translation", [float("nan"), 0.0], "solution.placements[1].translation[0]: not a finite number (nan)"),
    ("translation", [0.0, float("inf")], "solution.placements[1].translation[1]: not a finite number (inf)"),
    ("rotation_deg", float("nan"), "solution.placements[1].rotation_deg: not a finite number (nan)"),
])
def test_a_coordinate_that_is_not_finite_is_a_clear_error(tmp_path, field, value, message):
    """A NaN or infinite number in a placement (``json`` reads ``NaN`` and ``Infinity``) used to
    pass the reader: ``nest --resume`` then ended in exit 3 (a marker failing validation) and
    ``nest export`` in an internal GEOS error. Now the reader names the file and the field."""
    d = marker_to_dict(small_marker())
    d["solution"]["placements"][1][field] = value
    p = tmp_path / "m.json"
    p.write_text(json.dumps(d))
    with pytest.raises(InputError) as err:
        read_marker(p)
    assert str(err.value) == f"{p}: {message}"
    d = marker_to_dict(small_marker())
    d["solution"]["length"] = float("nan")
    p.write_text(json.dumps(d))
    with pytest.raises(InputError) as err:
        read_marker(p)
    assert str(err.value) == f"{p}: solution.length: not a finite number (nan)"


def _paths(value, path=()):
    """Every key path of a JSON value (lists: their first two items)."""
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value[:2]):
            yield from _paths(v, path + (i,))


_HOSTILE = [None, "abc", -1, 0, 1.5, 1e308, [], {}, [1], True, [[0, 0], [0, 0], [0, 0]]]


def test_any_damaged_value_is_a_result_or_a_clear_error(tmp_path):
    """An invariant over every value of a marker file: replaced by a hostile one (or its key
    removed), ``nest export`` either writes the cutter files or says what is wrong, naming the
    file; never an internal error. Before, a ``flipped`` of ``"abc"`` or ``-1e308``, a
    ``category`` list or a coordinate of ``1e308`` ended in a TypeError, an AttributeError or a
    GEOS exception."""
    from kitcut.errors import KitcutError
    from kitcut.formats.marker_json import read_marker_data
    from kitcut.formats.writing.export import export_marker
    from kitcut.kits.marker_check import check_marker

    base = marker_to_dict(small_marker())
    p = tmp_path / "m.json"
    runs, failures = 0, []
    for path in list(_paths(base))[1:]:
        for value in [...] + _HOSTILE:  # ... stands for "remove the key"
            d = json.loads(json.dumps(base))
            holder = d
            for k in path[:-1]:
                holder = holder[k]
            if value is ...:
                if not isinstance(holder, dict):
                    continue
                del holder[path[-1]]
            else:
                holder[path[-1]] = value
            p.write_text(json.dumps(d))
            runs += 1
            try:
                marker, data = read_marker_data(p)
                check_marker(marker, file=str(p), stored=data.get("solution"))
                export_marker(marker, tmp_path / "out", ["svg", "dxf", "plt"])
            except KitcutError as exc:
                assert str(p) in str(exc) or exc.file == str(p), (path, value, str(exc))
            except Exception as exc:  # noqa: BLE001 - the point of the test
                failures.append(f"{'/'.join(map(str, path))} = {value!r}: {type(exc).__name__}: {exc}")
    assert "\n".join(failures) == "" and runs > 1000


def test_a_piece_the_file_says_is_not_cut_reads_back(tmp_path):
    """``nest run`` keeps the pieces a pattern says are not cut (AccuMark's ``Quantity: 0``; 30 in
    the real MEN_CLASSIC_TEE.DXF) in marker.json, unplaced; reading it back refused them as a
    damaged file, so ``nest export`` and ``--resume`` of that marker failed."""
    import dataclasses

    from kitcut.formats.marker_json import write_marker

    m = small_marker()
    extra = dataclasses.replace(m.pieces[0], name="Facing", quantity=0, flipped=None)
    m = dataclasses.replace(m, pieces=(*m.pieces, extra))
    p = write_marker(m, tmp_path / "m.json")
    back = read_marker(p)
    assert back.pieces[-1].name == "Facing" and back.pieces[-1].quantity == 0
    assert len(back.placements) == len(m.placements)
