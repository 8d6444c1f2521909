"""A grade rule table whose UNITS line is wrong: checked against what its rules do to the pieces
(kitcut.formats.reading.rul_units), on the bundled base-size samples and every real table."""

from __future__ import annotations

import re
import shutil

import pytest
import shapely
from conftest import SAMPLES, SHARED
from shapely.geometry import Polygon

from kitcut.formats.reading.grade_check import check_export, write_base_pair
from kitcut.formats.reading.read import read_pattern
from kitcut.formats.reading.rul import read_rul
from kitcut.formats.reading.rul_units import TINY_STEP_MM, median_step
from kitcut.formats.writing.graded_write import write_graded


def _outlines(pattern) -> dict:
    return {(p.name, p.size): Polygon(p.outline) for p in pattern.pieces}


def _same(got, want, tol: float = 0.05) -> None:
    a, b = _outlines(got), _outlines(want)
    assert a.keys() == b.keys()
    for key, poly in a.items():
        assert shapely.hausdorff_distance(poly, b[key]) <= tol, key


def _headlines(pattern) -> list[str]:
    return [e.message for e in pattern.headlines]


def _copy_pair(tmp_path, stem: str, units_line: str, *, scale: float = 1.0):
    dxf = tmp_path / f"{stem}.dxf"
    shutil.copy(SAMPLES / f"{stem}.dxf", dxf)
    lines = []
    for line in (SAMPLES / f"{stem}.rul").read_text().splitlines():
        if line.startswith("UNITS:"):
            line = units_line
        elif scale != 1.0 and "," in line and not line[:1].isalpha():
            line = re.sub(r"-?\d+\.\d+", lambda m: f"{float(m.group()) * scale:.4f}", line)
        lines.append(line)
    (tmp_path / f"{stem}.rul").write_text("\n".join(lines) + "\n")
    return dxf


@pytest.mark.parametrize("stem", ["tee-base", "shirt-base", "trousers-base"])
def test_a_metric_table_saying_english_grades_in_the_patterns_millimetres(tmp_path, stem):
    want = read_pattern(SAMPLES / f"{stem}.dxf")
    assert not [h for h in _headlines(want) if "grade rule table" in h]
    got = read_pattern(_copy_pair(tmp_path, stem, "UNITS: ENGLISH"))
    assert got.graded_sizes == want.graded_sizes and len(got.graded_sizes) == 2
    _same(got, want)  # 25.4 times too far before: a size down lost half a metre of width
    (line,) = [h for h in _headlines(got) if "grade rule table" in h]
    assert "says UNITS: ENGLISH, which turns" in line and "inside out" in line
    assert "read in the pattern's unit (mm), every piece keeps its shape" in line and stem in line


def _inch_trousers(tmp_path, units_line: str, *, scale: float = 1.0):
    """The trousers as an inch base-size pair, its table converted to millimetres (values times
    25.4, so that it stays right) under ``units_line``, every value times ``scale``."""
    pat = read_pattern(SAMPLES / "trousers.dxf")
    write_graded(pat, tmp_path / "trs.dxf", units="in", folded=True, sample="42")
    rul = tmp_path / "trs.rul"
    lines = []
    for line in rul.read_text().splitlines():
        if line.startswith("UNITS:"):
            line = units_line
        elif "," in line and not line[:1].isalpha():
            k = scale * (25.4 if "METRIC" in units_line else 1.0)
            line = re.sub(r"-?\d+\.\d+", lambda m, k=k: f"{float(m.group()) * k:.4f}", line)
        lines.append(line)
    rul.write_text("\n".join(lines) + "\n")
    return tmp_path / "trs.dxf"


def test_a_right_metric_table_beside_an_inch_pattern_is_graded_as_written(tmp_path):
    """A metric table beside an inch pattern, its steps under a millimetre a size (a glove in
    half sizes): taken for an inch table misread and graded 25.4 times too far by the first
    version of the check. Graded as written, the same as the same table in inches."""
    want = read_pattern(_inch_trousers(tmp_path / "a", "UNITS: ENGLISH", scale=0.12))
    got = read_pattern(_inch_trousers(tmp_path / "b", "UNITS: METRIC", scale=0.12))
    assert median_step(read_rul(tmp_path / "b" / "trs.rul")) < 1.0
    _same(got, want)
    assert not [h for h in _headlines(got) if "inside out" in h]


def test_an_inch_table_saying_metric_is_said_not_guessed(tmp_path):
    """An inch table saying METRIC moves points a fraction of a millimetre: graded as written (the
    sizes come out nearly alike), with a line saying so and what inches would make of it; too
    alike a right table of small steps to correct without a word."""
    dxf = _inch_trousers(tmp_path, "UNITS: ENGLISH")
    rul = tmp_path / "trs.rul"
    rul.write_text(rul.read_text().replace("UNITS: ENGLISH", "UNITS: METRIC"))
    got = read_pattern(dxf)
    (line,) = [h for h in _headlines(got) if "grade rule table" in h]
    assert "says UNITS: METRIC, which moves its points by 0.24 mm a size" in line
    assert "hardly grading at all (read in centimetres 2.39 mm or inches 6.08 mm)" in line


def test_a_table_that_turns_pieces_inside_out_in_the_patterns_own_unit_is_said(tmp_path):
    """Thirty times the tee's steps, in the pattern's unit: no other reading of the table is
    sure, so it grades as written, with a line naming the pieces turned inside out."""
    got = read_pattern(_copy_pair(tmp_path, "tee-base", "UNITS: METRIC", scale=30.0))
    (line,) = [h for h in _headlines(got) if "grade rule table" in h]
    assert "says UNITS: METRIC, which turns" in line and line.endswith("check its UNITS line and its values")
    plain = {(p.name, p.size): p.area for p in read_pattern(SAMPLES / "tee-base.dxf").pieces}
    for p in got.pieces:  # graded as written: the sample size as drawn
        if p.size == "M":
            assert p.area == pytest.approx(plain[(p.name, p.size)])


def test_big_steps_that_keep_every_piece_whole_are_not_doubted(tmp_path):
    """Four times the tee's steps (72 mm a size: length grading, bedding): the first version
    of the check warned, past 60 mm a size. Every piece keeps its shape: graded, no remark."""
    got = read_pattern(_copy_pair(tmp_path, "tee-base", "UNITS: METRIC", scale=4.0))
    assert median_step(read_rul(tmp_path / "tee-base.rul")) > 60.0
    assert not [h for h in _headlines(got) if "grade rule table" in h]
    assert len(got.graded_sizes) == 2


REAL_ALL_SIZES = ["DEEP_ARMHOLE_RACER.DXF", "GLX4802S19_AAMA.DXF", "GMH1004F15-2.DXF", "GMH1006F18_AAMA.DXF",
                  "GMX1016S18_AAMA.DXF", "MEN_CLASSIC_TEE.DXF", "ORILEGWB_AAMA.DXF", "WM_SLIM_TANK.DXF",
                  "annotation.DXF", "drill-holes.DXF", "simple.DXF"]


@pytest.mark.parametrize("name", REAL_ALL_SIZES)
def test_every_real_table_keeps_its_pieces_and_a_misread_one_is_caught(tmp_path, name):
    """Each real all-size export as the base-size pair a CAD exchanges (its table derived from
    the sizes the CAD drew): read with no remark on the table. The table's values under the
    other UNITS line: a millimetre table read as inches turns pieces inside out and is read in
    the pattern's millimetres; an inch table read as millimetres hardly grades and is said."""
    path = SHARED / "dxf" / name
    if not path.exists():
        pytest.skip(f"shared data not present: {path}")
    dxf, rul = write_base_pair(path, tmp_path, check_export(path))
    right = read_pattern(dxf)
    assert not [h for h in _headlines(right) if "grade rule table" in h]
    text = rul.read_text()
    metric = "UNITS: METRIC" in text
    rul.write_text(text.replace("UNITS: METRIC", "UNITS: ENGLISH") if metric else
                   text.replace("UNITS: ENGLISH", "UNITS: METRIC"))
    got = read_pattern(dxf)
    lines = [h for h in _headlines(got) if "grade rule table" in h]
    step = median_step(read_rul(rul))
    if metric:
        assert len(lines) == 1 and "inside out" in lines[0] and "read in the pattern's unit (mm)" in lines[0]
        _same(got, right, tol=0.05)
    elif step < TINY_STEP_MM:  # inch values read as millimetres: 0.19 to 0.9 mm a size
        assert len(lines) == 1 and "hardly grading at all" in lines[0]
    else:  # as much as a glove's right table moves (DEEP_ARMHOLE_RACER: 0.89 mm): not told apart
        assert lines == []


def test_a_table_without_a_units_line_is_not_quoted_as_having_one(tmp_path):
    """A table with no UNITS line takes the pattern's unit; its steps, in inches, moved points a
    hundredth of a millimetre a size, and the remark quoted ``UNITS: METRIC``, a line the user
    would look for and not find. It says the table has none, and to give it one."""
    shutil.copy(SAMPLES / "tee-base.dxf", tmp_path / "tee-base.dxf")
    lines = []
    for line in (SAMPLES / "tee-base.rul").read_text().splitlines():
        if line.startswith("UNITS:"):
            continue
        if re.fullmatch(r"[\s\d.,-]+", line):
            line = re.sub(r"-?\d+\.\d+", lambda m: f"{float(m.group()) / 254:.4f}", line)
        lines.append(line)
    (tmp_path / "tee-base.rul").write_text("\n".join(lines) + "\n")
    got = read_pattern(tmp_path / "tee-base.dxf")
    (line,) = [h for h in _headlines(got) if "grade rule table" in h]
    assert line.startswith("grade rule table tee-base.rul has no UNITS line; read in the pattern's unit "
                           "(mm), it moves its points by ")
    assert "UNITS: METRIC" not in line and line.endswith("if the sizes come out alike, give it a UNITS line")
