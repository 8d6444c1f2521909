"""A ``.RUL`` in the pattern CAD's code page (GBK size names ``小 中 大``, the probe's
et_cn_sizes.dxf): before, it was read as cp1252 and the pattern refused ("sample size ÖÐ is
not a size of the pattern (中)"), ``--encoding gbk`` notwithstanding."""

from __future__ import annotations

import re

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon
from test_grading import CORNERS, _affine, rul_text_of
from test_import_dxf import aama_doc, add_piece, rect_chain, save

from kitcut.formats.reading.dxf_read import read_dxf
from kitcut.formats.reading.rul import GradeRules
from kitcut.formats.reading.rul_encoding import decode_rul

SIZES = ("小", "中", "大")
BLOCK = np.array([(0, 0), (100, 0), (100, 50), (0, 50)], float)


def _gbk(path, codepage: str | None) -> None:
    """The file as a Chinese CAD writes it: GBK bytes, ``$DWGCODEPAGE`` as given or none."""
    text = re.sub(r"\\U\+([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), path.read_text("ascii"))
    text = text.replace("ANSI_1252", codepage) if codepage else text.replace("$DWGCODEPAGE", "$XDWGCODEPAGE")
    path.write_bytes(text.encode("gbk"))


def _pair(tmp_path, codepage: str | None):
    def labels(blk):
        for r, p in CORNERS.items():
            blk.add_text(f"# {r}", dxfattribs={"layer": "2", "insert": p})

    doc = aama_doc()
    add_piece(doc, "QP", rect_chain(), texts=["Piece Name: 前片", "Size: 中"], extra=labels)
    path = save(doc, tmp_path, "cn.dxf")
    _gbk(path, codepage)
    deltas = {r: np.array([-_affine(*p), [0, 0], _affine(*p)]) for r, p in CORNERS.items()}
    (tmp_path / "cn.rul").write_bytes(rul_text_of(GradeRules(SIZES, "中", deltas)).encode("gbk"))
    return path


def _check(pat):
    assert [(p.name, p.size) for p in pat.pieces] == [("前片", s) for s in SIZES]
    want = Polygon(BLOCK + np.array([_affine(*q) for q in BLOCK]))
    assert shapely.hausdorff_distance(Polygon(pat.pieces[2].outline), want) < 1e-9


@pytest.mark.parametrize("fast", [True, False])
def test_gbk_table_is_read_in_the_patterns_encoding(tmp_path, fast):
    pat = read_dxf(_pair(tmp_path, "ANSI_936"), fast=fast)
    _check(pat)
    said = [e.message for e in pat.report.warnings if "cn.rul: decoded as" in e.message]
    assert said == ["grade rule table cn.rul: decoded as gbk, the encoding of the pattern's texts"]


def test_gbk_table_beside_an_undeclared_gbk_pattern(tmp_path):
    """The ET CAD way: no code page declared, both detected."""
    pat = read_dxf(_pair(tmp_path, None))
    _check(pat)
    assert pat.encoding.rule == "detected"


def test_encoding_option_applies_to_the_table(tmp_path):
    pat = read_dxf(_pair(tmp_path, "ANSI_936"), encoding="gbk")
    _check(pat)
    assert any("cn.rul: decoded as gbk (--encoding)" in e.message for e in pat.report.warnings)


def test_table_alone_is_detected_and_utf8_and_ascii_stay_as_they_are():
    text = "SIZE LIST: 小 中 大 加大\nSAMPLE SIZE: 中\n" + "# 前片 后片 袖子 领子 口袋 袖口\n" * 4
    assert decode_rul(text.encode("gbk"), file="x.rul")[0] == text
    assert decode_rul(text.encode("utf-8"), file="x.rul") == (text, None)
    assert decode_rul(b"SIZE LIST: S M L\n", file="x.rul", forced="gbk") == ("SIZE LIST: S M L\n", None)


def test_a_gbk_table_beside_a_detected_gbk_pattern_is_named_as_the_pattern_is(tmp_path):
    """The pattern's texts, detected, were said to be gbk and the table beside it "decoded as
    gb18030, the encoding of the pattern's texts" (the codec that reads GBK): one name now."""
    pat = read_dxf(_pair(tmp_path, None), fast=True)
    _check(pat)
    assert pat.encoding.name == "gbk"
    said = [e.message for e in pat.report.warnings if "cn.rul: decoded as" in e.message]
    assert said == ["grade rule table cn.rul: decoded as gbk, the encoding of the pattern's texts"]
