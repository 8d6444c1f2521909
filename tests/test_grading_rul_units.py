"""A grade rule table whose UNITS line is wrong: checked against how far its rules move a point
(kitcut.formats.reading.rul_units), on the bundled base-size samples and every real table."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest
import shapely
from conftest import SAMPLES, SHARED
from shapely.geometry import Polygon

from kitcut.formats.reading.grade_check import check_export
from kitcut.formats.reading.read import read_pattern
from kitcut.formats.reading.rul import parse_rul
from kitcut.formats.reading.rul_units import PLAUSIBLE_STEP_MM, median_step
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
    _same(got, want)  # 25.4 times too far before: a size up grew by a quarter of a metre
    (line,) = [h for h in _headlines(got) if "grade rule table" in h]
    assert "says UNITS: ENGLISH" in line and "read in the pattern's unit (mm)" in line and stem in line


def test_an_inch_table_saying_metric_grades_in_the_patterns_inches(tmp_path):
    pat = read_pattern(SAMPLES / "trousers.dxf")
    graded = write_graded(pat, tmp_path / "trs.dxf", units="in", folded=True, sample="42")
    rul = tmp_path / "trs.rul"
    assert graded.rules.sample == "42" and rul.read_text().count("UNITS: ENGLISH") == 1
    want = read_pattern(tmp_path / "trs.dxf")
    rul.write_text(rul.read_text().replace("UNITS: ENGLISH", "UNITS: METRIC"))
    got = read_pattern(tmp_path / "trs.dxf")
    assert want.units_in == got.units_in == "in" and got.graded_sizes == ("38", "40")
    _same(got, want)
    (line,) = [h for h in _headlines(got) if "grade rule table" in h]
    assert "says UNITS: METRIC" in line and "read in the pattern's unit (in)" in line


def test_an_inch_table_saying_metric_in_a_millimetre_pattern_is_said(tmp_path):
    """A table of inch values saying METRIC beside a pattern in mm: no unit of the pattern's to
    take, so it grades as written; the line names the unit that would make sense of it."""
    got = read_pattern(_copy_pair(tmp_path, "tee-base", "UNITS: METRIC", scale=1 / 25.4))
    (line,) = [h for h in _headlines(got) if "grade rule table" in h]
    assert "less than grading does; in inches it would be 18.2 mm a size: check its UNITS line" in line


def test_implausible_steps_in_the_patterns_own_unit_are_said_not_changed(tmp_path):
    """Thirty times the tee's steps, in the pattern's unit: no other reading of the table is
    sure, so it grades as written, with a line saying what the steps are."""
    got = read_pattern(_copy_pair(tmp_path, "tee-base", "UNITS: METRIC", scale=30.0))
    (line,) = [h for h in _headlines(got) if "grade rule table" in h]
    assert "says UNITS: METRIC" in line and "more than grading does" in line
    assert line.endswith("more than grading does; check its UNITS line and its values")
    plain = {(p.name, p.size): p.area for p in read_pattern(SAMPLES / "tee-base.dxf").pieces}
    for p in got.pieces:  # graded as written: the sample size as drawn, the others far off
        if p.size == "M":
            assert p.area == pytest.approx(plain[(p.name, p.size)])
        else:
            assert abs(p.area / plain[(p.name, p.size)] - 1) > 0.5, p.label


REAL_ALL_SIZES = ["DEEP_ARMHOLE_RACER.DXF", "GLX4802S19_AAMA.DXF", "GMH1004F15-2.DXF", "GMH1006F18_AAMA.DXF",
                  "GMX1016S18_AAMA.DXF", "MEN_CLASSIC_TEE.DXF", "ORILEGWB_AAMA.DXF", "WM_SLIM_TANK.DXF",
                  "annotation.DXF", "drill-holes.DXF", "simple.DXF"]


@pytest.mark.parametrize("name", REAL_ALL_SIZES)
def test_every_real_table_is_plausible_in_its_unit_and_not_in_the_other(name):
    """The bounds hold the grading of every real all-size export (its table derived from the
    sizes the CAD drew) and none of them read in the wrong unit."""
    path = SHARED / "dxf" / name
    if not path.exists():
        pytest.skip(f"shared data not present: {path}")
    table = parse_rul(check_export(path).rul)
    step = median_step(table)
    lo, hi = PLAUSIBLE_STEP_MM
    assert lo * 4 <= step <= hi / 2.5, step  # with a margin on each side
    assert step * 25.4 > hi * 2 and step / 25.4 < lo, step
    assert median_step(table) == pytest.approx(float(np.median(
        [np.hypot(*np.diff(d, axis=0).T).max() for d in table.deltas.values() if np.ptp(d) > 0])))
