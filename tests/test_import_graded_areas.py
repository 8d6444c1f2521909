"""A size of a piece far off the trend of its other sizes (a repair that kept the wrong part of
a broken outline) is a warning naming the size, never cut in silence."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_import_dxf import aama_doc, add_piece, save

from kitcut.formats.reading.read import read_pattern

DXF = Path(__file__).resolve().parents[2] / "shared" / "data" / "dxf"
SIZES = ("XS", "S", "M", "L", "XL")


def _doc(tmp_path, wrong: dict[str, float]):
    doc = aama_doc()
    for k, size in enumerate(SIZES):
        f = (1.0 + 0.05 * k) * wrong.get(size, 1.0)
        add_piece(doc, f"FRONT_{size}", [[(0, 0), (250 * f, 0), (260 * f, 600 * f), (0, 620 * f)]],
                  closed=True, texts=["Piece Name: FRONT", f"Size: {size}", "Quantity: 1"],
                  insert=(700 * k, 0))
    return save(doc, tmp_path)


def _doubts(pat):
    return [(e.piece, e.message) for e in pat.report.warnings if "other sizes give size" in e.message]


def test_a_size_far_off_its_grade_is_doubted_and_the_others_are_not(tmp_path):
    assert _doubts(read_pattern(_doc(tmp_path, {}))) == []
    (piece, message), = _doubts(read_pattern(_doc(tmp_path, {"M": 0.6})))
    assert piece == "FRONT (M)"
    assert "is 36% of the" in message and "check this size's outline" in message
    # a job of M says it on a line of its own (it was one of the remarks counted, probe 43: a
    # racer back cut at 39 % of its size); a job of S does not cut the doubted size
    heads = [str(e) for e in read_pattern(_doc(tmp_path, {"M": 0.6}), sizes=("M",)).headlines]
    assert heads == [f"warning: piece 'FRONT (M)': {message}"]
    assert not read_pattern(_doc(tmp_path, {"M": 0.6}), sizes=("S",)).headlines


@pytest.mark.skipif(not DXF.is_dir(), reason="the real exports of ../shared/data/dxf are not here")
def test_a_repaired_real_piece_that_kept_a_small_part_is_doubted():
    """DEEP_ARMHOLE_RACER's back crosses itself in sizes 48-52; --repair keeps the largest part,
    about 40 % of the back. The sizes drawn well raise no doubt."""
    pat = read_pattern(DXF / "DEEP_ARMHOLE_RACER.DXF", repair=True)
    assert sorted(p for p, _ in _doubts(pat)) == [f"DEEP ARMHOLE RACERBK ({s})" for s in (48, 50, 52)]
