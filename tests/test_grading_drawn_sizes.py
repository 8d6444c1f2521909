"""A grade rule table beside a pattern that draws every size itself: nothing is graded, so
nothing is said about grading."""

from __future__ import annotations

import re
import shutil

from conftest import SAMPLES

from kitcut.formats.reading.read import read_pattern


def _warnings(pattern) -> list[str]:
    return [str(e) for e in pattern.report.entries if "grade rule labels" in str(e)]


def test_a_table_beside_a_pattern_that_draws_every_size_gives_no_label_warnings(tmp_path):
    """``tee.dxf`` draws S, M and L; with the table of sizes S M L beside it (``tee.rul``) every
    piece gave "no grade rule labels (# n) in its sample size M: the same in every size", four
    warnings in every kit, though no size is graded from the table. Now none; the sample-size
    block without labels still warns when a size of the table is not drawn and is graded."""
    shutil.copy(SAMPLES / "tee.dxf", tmp_path / "tee.dxf")
    shutil.copy(SAMPLES / "tee-base.rul", tmp_path / "tee.rul")
    p = read_pattern(tmp_path / "tee.dxf")
    assert sorted({pc.size for pc in p.pieces}) == ["L", "M", "S"]
    assert not any(pc.graded for pc in p.pieces if hasattr(pc, "graded"))
    assert _warnings(p) == []
    # a table with a fourth size, XL (graded as L), which tee.dxf does not draw
    lines = []
    for line in (SAMPLES / "tee-base.rul").read_text().splitlines():
        pairs = re.findall(r"-?\d+\.\d+,\s*-?\d+\.\d+", line)
        lines.append(line + "     " + pairs[-1] if len(pairs) == 3 and line.startswith(" ") else line)
    text = "\n".join(lines).replace("SIZE LIST: S M L", "SIZE LIST: S M L XL")
    (tmp_path / "tee.rul").write_text(text.replace("NUMBER OF SIZES: 3", "NUMBER OF SIZES: 4") + "\n")
    p = read_pattern(tmp_path / "tee.dxf")
    assert len(_warnings(p)) == 4 and "XL" in {pc.size for pc in p.pieces}
