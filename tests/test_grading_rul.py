"""Grade rule tables (.RUL): the layouts real writers use, the variants built from the standard,
broken tables (clear errors naming rule and line, exit status 2), writing and finding them."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from conftest import SAMPLES
from test_import_errors import nest

from kitcut.errors import GradeRuleError
from kitcut.formats.reading.rul import GradeRules, find_rules, parse_rul, read_rul
from kitcut.formats.writing.rul_write import rul_text, write_rul

# An AccuMark-shaped table (header as its ASTM exports write it, four pairs per line, inches)
ACCUMARK = """ASTM/D13Proposal 1 Version: D 6673-04
AUTHOR: GERBER TECHNOLOGY
PRODUCT: ACCUMARK
VERSION: 10.0.1
CREATION DATE: 26-10-2017
CREATION TIME:  9:38
UNITS: ENGLISH
GRADE RULE TABLE: MISSY
NUMBER OF SIZES: 5
SIZE LIST: XS S M L XL
SAMPLE SIZE: M
RULE: DELTA 1
   -0.5000,   0.0000    -0.2500,   0.0000     0.0000,   0.0000     0.2500,   0.1250
    0.5000,   0.2500
RULE: DELTA 2
   -0.1250,  -0.3750    -0.0625,  -0.1875     0.0000,   0.0000     0.0625,   0.1875
    0.1250,   0.3750
END
"""
WANT_1 = np.array([[-0.5, 0.0], [-0.25, 0.0], [0.0, 0.0], [0.25, 0.125], [0.5, 0.25]]) * 25.4
WANT_2 = np.array([[-0.125, -0.375], [-0.0625, -0.1875], [0, 0], [0.0625, 0.1875], [0.125, 0.375]]) * 25.4


def _pairs(table: np.ndarray, sep: str = ", ") -> list[str]:
    return [f"{x:g}{sep}{y:g}" for x, y in table / 25.4]


def test_accumark_shaped_table():
    t = parse_rul(ACCUMARK, file="missy.rul")
    assert t.sizes == ("XS", "S", "M", "L", "XL") and t.sample == "M"
    assert t.units == "in" and t.table == "MISSY" and t.kind == "delta" and t.notes == ()
    assert sorted(t.deltas) == [1, 2]
    np.testing.assert_allclose(t.deltas[1], WANT_1, atol=1e-12)
    np.testing.assert_allclose(t.delta(2, "XL"), WANT_2[4], atol=1e-12)
    np.testing.assert_allclose(t.delta(2, "xl"), WANT_2[4], atol=1e-12)  # a size in another case
    assert t.header["AUTHOR"] == "GERBER TECHNOLOGY" and t.header["FORMAT"].startswith("ASTM/D13")
    assert t.rule_range() == "rules 1-2"


def _layouts() -> dict[str, str]:
    head = "UNITS: ENGLISH\nNUMBER OF SIZES: 5\nSIZE LIST: XS S M L XL\nSAMPLE SIZE: M\n"
    one, two = _pairs(WANT_1), _pairs(WANT_2)
    return {
        # PolyPattern: "version" line, no space after the colon, all pairs on the RULE line
        "on the rule line": ("version ANSI/AAMA-292-B\nAUTHOR: PolyPattern 11.0.1\nUNITS: ENGLISH\n"
                             "GRADE RULE TABLE:MISSY\nSAMPLE SIZE:M\nNUMBER OF SIZES:5\n"
                             "SIZE LIST:XS S M L XL\n"
                             f"RULE: DELTA 1  {'  '.join(one)} \nRULE: DELTA 2  {'  '.join(two)} \nEND\n"),
        # one pair per line, pairs without a space after the comma
        "one per line": head + "RULE: DELTA 1\n" + "\n".join(_pairs(WANT_1, ",")) + "\nRULE: DELTA 2\n"
                        + "\n".join(_pairs(WANT_2, ",")) + "\nEND\n",
        # OptiTex: a blank first line, "ANSI/AAMA VERSION", two pairs per line, CRLF line ends
        "two per line": ("\r\nANSI/AAMA VERSION: 1.0.0\r\n" + head.replace("\n", "\r\n") + "RULE: DELTA 1\r\n"
                         + "\r\n".join("  ".join(one[i:i + 2]) for i in range(0, 5, 2))
                         + "\r\nRULE: DELTA 2\r\n"
                         + "\r\n".join("  ".join(two[i:i + 2]) for i in range(0, 5, 2)) + "\r\nEND\r\n"),
        # a long size list carried on to the next line; no END
        "size list on two lines": head.replace("SIZE LIST: XS S M L XL", "SIZE LIST: XS S\nM L XL")
                                  + f"RULE: DELTA 1 {' '.join(one)}\nRULE: DELTA 2 {' '.join(two)}\n",
    }


@pytest.mark.parametrize("layout", list(_layouts()))
def test_every_layout_reads_the_same_table(layout):
    t = parse_rul(_layouts()[layout])
    assert t.sizes == ("XS", "S", "M", "L", "XL") and t.sample == "M" and t.units == "in"
    np.testing.assert_allclose(t.deltas[1], WANT_1, atol=1e-9)
    np.testing.assert_allclose(t.deltas[2], WANT_2, atol=1e-9)
    if layout == "size list on two lines":
        assert any("no END" in n for n in t.notes)


def test_per_step_table_adds_up_away_from_the_sample():
    # steps XS<-S: -0.25, S<-M: -0.25, M->L: +0.25 (+0.125 y), L->XL: +0.25 (+0.125 y)
    steps = "-0.25,0 -0.25,0 0,0 0.25,0.125 0.25,0.125"
    text = (f"UNITS: ENGLISH\nGRADE TYPE: INCREMENTAL\nSIZE LIST: XS S M L XL\nSAMPLE SIZE: M\n"
            f"RULE: DELTA 1 {steps}\n")
    t = parse_rul(text)
    np.testing.assert_allclose(t.deltas[1], WANT_1, atol=1e-9)
    assert t.kind == "step" and any("per-step" in n for n in t.notes)
    # the same, said per rule
    t2 = parse_rul(f"UNITS: ENGLISH\nSIZE LIST: XS S M L XL\nSAMPLE SIZE: M\nRULE: STEP 1 {steps}\n")
    np.testing.assert_allclose(t2.deltas[1], WANT_1, atol=1e-9)


def test_break_sizes_spread_evenly():
    text = ("UNITS: METRIC\nSIZE LIST: 34 36 38 40 42 44 46\nBREAK SIZES: 34 40 46\nSAMPLE SIZE: 40\n"
            "RULE: DELTA 7 -30,-6 0,0 45,12\nEND\n")
    t = parse_rul(text)
    want = np.array([[-30, -6], [-20, -4], [-10, -2], [0, 0], [15, 4], [30, 8], [45, 12]], dtype=float)
    np.testing.assert_allclose(t.deltas[7], want, atol=1e-12)
    assert t.breaks == ("34", "40", "46")
    # the sample not listed: an implied break at 0, 0
    t2 = parse_rul(text.replace("BREAK SIZES: 34 40 46", "BREAK SIZES: 34 46").replace("-30,-6 0,0 45,12",
                                                                                      "-30,-6 45,12"))
    np.testing.assert_allclose(t2.deltas[7], want, atol=1e-12)
    # per-step with breaks: 5 mm a step up to 40, 7.5 mm a step above it
    t3 = parse_rul("UNITS: MM\nGRADING: STEP\nSIZE LIST: 34 36 38 40 42 44 46\nBREAK SIZES: 34 40 46\n"
                   "SAMPLE SIZE: 40\nRULE: DELTA 1 -5,0 0,0 7.5,0\n")
    np.testing.assert_allclose(t3.deltas[1][:, 0], [-15, -10, -5, 0, 7.5, 15, 22.5], atol=1e-12)


def test_sample_pair_not_zero_is_taken_relative_and_said():
    t = parse_rul("UNITS: METRIC\nSIZE LIST: S M L\nSAMPLE SIZE: M\nRULE: DELTA 4 0,0 10,5 20,10\n")
    np.testing.assert_allclose(t.deltas[4], [[-10, -5], [0, 0], [10, 5]])
    assert any("rule(s) 4" in n and "relative" in n for n in t.notes)


def test_fallbacks_from_the_pattern():
    t = parse_rul("SIZE LIST: S M L\nRULE: DELTA 1 -1,0 0,0 1,0\n", sample="M", units="in")
    assert t.sample == "M" and t.units == "in" and t.deltas[1][2][0] == pytest.approx(25.4)
    assert any("SAMPLE SIZE" in n for n in t.notes) and any("UNITS" in n for n in t.notes)


BAD = {
    "pair count": ("UNITS: METRIC\nSIZE LIST: S M L\nSAMPLE SIZE: M\nRULE: DELTA 1 -1,0 0,0 1,0\n"
                   "RULE: DELTA 2\n-1,0 0,0\nEND\n", "rule 2 line 5-6: 2 dx, dy pairs for 3 sizes (S M L)"),
    "bad number": ("UNITS: METRIC\nSIZE LIST: S M L\nSAMPLE SIZE: M\nRULE: DELTA 9\n-1,0 0,0\nO.5,0\n",
                   "rule 9 line 6: 'O.5' is not a number"),
    "number with two points": ("UNITS: METRIC\nSIZE LIST: S M\nSAMPLE SIZE: M\nRULE: DELTA 1 1.2.3,0 0,0\n",
                               "rule 1 line 4: '1.2.3' is not a number"),
    "odd count": ("UNITS: METRIC\nSIZE LIST: S M\nSAMPLE SIZE: M\nRULE: DELTA 3 1 0 0\n",
                  "rule 3 line 4: 3 numbers: an odd count"),
    "rule twice": ("UNITS: METRIC\nSIZE LIST: S M\nSAMPLE SIZE: M\nRULE: DELTA 1 1,0 0,0\n"
                   "RULE: DELTA 1 1,0 0,0\n",
                   "line 5: rule 1 is given twice (first on line 4)"),
    "unknown sample": ("UNITS: METRIC\nSIZE LIST: S M L\nSAMPLE SIZE: XL\nRULE: DELTA 1 0,0 0,0 0,0\n",
                       "line 3: SAMPLE SIZE 'XL' is not in the SIZE LIST (S M L)"),
    "number of sizes": ("UNITS: METRIC\nNUMBER OF SIZES: 4\nSIZE LIST: S M L\nSAMPLE SIZE: M\n"
                        "RULE: DELTA 1 0,0 0,0 0,0\n",
                        "line 2: NUMBER OF SIZES says 4, but the SIZE LIST names 3"),
    "number of rules": ("UNITS: METRIC\nNUMBER OF RULES: 2\nSIZE LIST: S M\nSAMPLE SIZE: M\n"
                        "RULE: DELTA 1 0,0 0,0\n",
                        "line 2: NUMBER OF RULES says 2, but the table has 1 rules"),
    "no rules": ("UNITS: METRIC\nSIZE LIST: S M\nSAMPLE SIZE: M\nEND\n", "no rules"),
    "no size list": ("UNITS: METRIC\nSAMPLE SIZE: M\nRULE: DELTA 1 0,0\n", "no SIZE LIST"),
    "size twice": ("UNITS: METRIC\nSIZE LIST: S M S\nSAMPLE SIZE: M\n", "size 'S' appears twice"),
    "unknown rule type": ("UNITS: METRIC\nSIZE LIST: S M\nSAMPLE SIZE: M\nRULE: SLOPE 1 0,0 0,0\n",
                          "rule 1 line 4: unknown rule type 'SLOPE'"),
    "rule number": ("UNITS: METRIC\nSIZE LIST: S M\nSAMPLE SIZE: M\nRULE: DELTA A1 0,0 0,0\n",
                    "line 4: rule number 'A1' is not a whole number"),
    "units": ("UNITS: FATHOMS\nSIZE LIST: S M\nSAMPLE SIZE: M\nRULE: DELTA 1 0,0 0,0\n",
              "line 1: unknown UNITS 'FATHOMS'"),
    "no units": ("SIZE LIST: S M\nSAMPLE SIZE: M\nRULE: DELTA 1 0,0 0,0\n", "no UNITS"),
    "break not a size": ("UNITS: MM\nSIZE LIST: S M L\nBREAK SIZES: S XL\nSAMPLE SIZE: M\n",
                         "break size 'XL' is not in the SIZE LIST"),
    "overflow": ("UNITS: METRIC\nSIZE LIST: S M L\nSAMPLE SIZE: M\nRULE: DELTA 1 0,0 0,0 0,0\nRULE: DELTA 2\n"
                 " -3.0,  1e400  0,0\n 3,20\n",
                 "rule 2 line 6: '1e400' is too large: it overflows to infinity (a grade offset is a few "
                 "inches or millimetres)"),
    "garbage line": ("UNITS: MM\nSIZE LIST: S M\nSAMPLE SIZE: M\nthis is not a table\n",
                     "line 4: cannot read 'this is not a table'"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_broken_tables_name_file_rule_and_line(case):
    text, want = BAD[case]
    with pytest.raises(GradeRuleError) as err:
        parse_rul(text, file="bad.rul")
    assert str(err.value).startswith("bad.rul: ") and want in str(err.value), str(err.value)


def test_broken_table_through_the_cli_exits_2(tmp_path):
    shutil.copy(SAMPLES / "tee-base.dxf", tmp_path / "tee.dxf")
    (tmp_path / "bad.rul").write_text(BAD["pair count"][0])
    code, out, err = nest("info", str(tmp_path / "tee.dxf"), "--rules", str(tmp_path / "bad.rul"))
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.strip() == (f"nest: error: {tmp_path / 'bad.rul'}: rule 2 line 5-6: 2 dx, dy pairs for 3 "
                           "sizes "
                           "(S M L): one pair per size is needed")
    # the same table beside the pattern (same stem, another case) is found and refused the same way
    shutil.copy(tmp_path / "bad.rul", tmp_path / "TEE.RUL")
    code, out, err = nest("info", str(tmp_path / "tee.dxf"))
    assert code == 2 and "TEE.RUL: rule 2 line 5-6" in err
    code, out, err = nest("info", str(tmp_path / "tee.dxf"), "--no-rules")
    assert code == 0 and "grade rule labels (# n)" in out and "not used" in out
    code, out, err = nest("info", str(tmp_path / "tee.dxf"), "--no-rules", "--rules",
                          str(tmp_path / "bad.rul"))
    assert code == 2 and "--rules and --no-rules" in err
    code, out, err = nest("info", str(tmp_path / "tee.dxf"), "--rules", str(tmp_path / "none.rul"))
    assert code == 2 and "none.rul: grade rule file not found" in err


def test_overflowing_rule_value_is_named_not_graded(tmp_path):
    """``1e400`` overflows a float: before, it was taken as infinity, numpy printed RuntimeWarnings
    and the error blamed the piece's cut line ("not a usable number"); now it is one error line
    naming the .rul file, the rule and the line, as a NaN is."""
    shutil.copy(SAMPLES / "tee-base.dxf", tmp_path / "tee.dxf")
    lines = (SAMPLES / "tee-base.rul").read_text().splitlines()
    at = lines.index("RULE: DELTA 2") + 1
    lines[at] = lines[at].replace("-20.0000", "1e400", 1)
    (tmp_path / "inf.rul").write_text("\n".join(lines) + "\n")
    code, out, err = nest("info", str(tmp_path / "tee.dxf"), "--rules", str(tmp_path / "inf.rul"))
    assert (code, out) == (2, "")
    assert err == (f"nest: error: {tmp_path / 'inf.rul'}: rule 2 line {at + 1}: '1e400' is too large: it "
                   "overflows to infinity (a grade offset is a few inches or millimetres)\n")


def test_read_rul_file_errors(tmp_path):
    with pytest.raises(GradeRuleError, match="grade rule file not found"):
        read_rul(tmp_path / "none.rul")
    (tmp_path / "bin.rul").write_bytes(b"\x00\x01\x02")
    with pytest.raises(GradeRuleError, match="binary"):
        read_rul(tmp_path / "bin.rul")
    (tmp_path / "cp.rul").write_bytes(b"UNITS: METRIC\nGRADE RULE TABLE: Pu\xf1o\nSIZE LIST: S M\n"
                                      b"SAMPLE SIZE: M\n"
                                      b"RULE: DELTA 1 1,0 0,0\n")
    assert read_rul(tmp_path / "cp.rul").table == "Puño"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_table_with_its_mark_is_read(tmp_path, codec):
    """Notepad's "Unicode" (UTF-16 with a byte-order mark): before, its NUL bytes made it "not a
    grade rule table (a binary file)"; now it reads as the same table (as UTF-16 order files and
    DXFs do). A file that has the mark but is no UTF-16 text is a clear error."""
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[codec]
    (tmp_path / "u.rul").write_bytes(bom + ACCUMARK.replace("MISSY", "Puño").encode(codec))
    table = read_rul(tmp_path / "u.rul")
    assert table.table == "Puño" and table.sizes == ("XS", "S", "M", "L", "XL")
    np.testing.assert_allclose(table.deltas[1], WANT_1)
    shutil.copy(SAMPLES / "tee-base.dxf", tmp_path / "tee.dxf")
    text = (SAMPLES / "tee-base.rul").read_text()
    (tmp_path / "tee.rul").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    code, out, err = nest("info", str(tmp_path / "tee.dxf"), "--json")
    assert code == 0, err
    assert '"graded_sizes": ["S", "L"]' in out
    (tmp_path / "odd.rul").write_bytes(b"\xff\xfeU\x00N\x00I")
    with pytest.raises(GradeRuleError, match=r"odd\.rul: starts with a UTF-16 byte-order mark but is not "
                                             r"UTF-16 text \(at byte 7 of the file\): save it as UTF-8 or "
                                             r"UTF-16"):  # the 7th byte, 'I', is half a character
        read_rul(tmp_path / "odd.rul")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_table_without_its_mark_is_read(tmp_path, codec):
    """UTF-16 saved without its byte-order mark (as a script may write it) was refused as "not a
    grade rule table (a binary file)"; its keys' every other byte is zero, and it reads as the same
    table. A binary file stays refused."""
    (tmp_path / "u.rul").write_bytes(ACCUMARK.replace("MISSY", "Puño").encode(codec))
    table = read_rul(tmp_path / "u.rul")
    assert table.table == "Puño" and table.sizes == ("XS", "S", "M", "L", "XL")
    np.testing.assert_allclose(table.deltas[1], WANT_1)
    (tmp_path / "bin.rul").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(GradeRuleError, match=r"bin\.rul: not a grade rule table \(a binary file\)"):
        read_rul(tmp_path / "bin.rul")


@pytest.mark.parametrize("units,decimals", [("mm", 4), ("in", 5)])
def test_writer_reads_back_and_is_deterministic(tmp_path, units, decimals):
    t = parse_rul(ACCUMARK)
    extra = np.array([[-1e-9, 0.0], [0, 0], [0, 0], [0, 0], [3.3, -1]])
    t = GradeRules(t.sizes, t.sample, {**t.deltas, 12: extra},
                   table="MISSY")
    text = rul_text(t, units=units)
    assert "-0.0000" not in text and "CREATION DATE" not in text  # deterministic: no dates
    back = parse_rul(text)
    assert back.sizes == t.sizes and back.sample == "M" and back.units == units and back.table == "MISSY"
    step_mm = 10.0 ** -decimals * (25.4 if units == "in" else 1.0)  # the last decimal written
    for n in t.deltas:
        np.testing.assert_allclose(back.deltas[n], t.deltas[n], atol=0.6 * step_mm)
    write_rul(t, tmp_path / "a.rul", units=units)
    write_rul(t, tmp_path / "b.rul", units=units)
    assert (tmp_path / "a.rul").read_bytes() == (tmp_path / "b.rul").read_bytes()
    assert text.splitlines()[0] == "ASTM/D13Proposal 1 Version: D 6673-04"


def test_find_rules_beside_the_pattern(tmp_path):
    dxf = tmp_path / "Tee.dxf"
    dxf.write_text("")
    assert find_rules(dxf) is None
    (tmp_path / "TEE.RUL").write_text("x")
    assert find_rules(dxf).name == "TEE.RUL"  # same stem in another case, suffix in any case
    (tmp_path / "Tee.Rul").write_text("x")
    assert find_rules(dxf).name == "Tee.Rul"  # the stem as written wins
    (tmp_path / "Tee.rul").write_text("x")
    with pytest.raises(GradeRuleError, match="several grade rule files"):
        find_rules(dxf)
    (tmp_path / "other.rul").write_text("x")
    assert find_rules(tmp_path / "other.dxf").name == "other.rul"


def test_a_table_spelt_as_the_pattern_is_read_and_another_spelling_beside_it_is_said(tmp_path):
    """``tee.rul`` and ``TEE.RUL`` (another table) beside ``tee.dxf``: the first is read, as its
    name is spelt as the pattern's, and the other was left without a word (probe 46); the job
    now says so on a line of its own."""
    shutil.copy(SAMPLES / "tee-base.dxf", tmp_path / "tee.dxf")
    shutil.copy(SAMPLES / "tee-base.rul", tmp_path / "tee.rul")
    code, out, err = nest(str(tmp_path / "tee.dxf"), "--sizes", "S", "--time", "1", "--iterations", "3",
                          "--workers", "1", "-o", str(tmp_path / "o"))
    assert code == 0 and "another spelling" not in err
    (tmp_path / "TEE.RUL").write_text("x")
    code, out, err = nest(str(tmp_path / "tee.dxf"), "--sizes", "S", "--time", "1", "--iterations", "3",
                          "--workers", "1", "-o", str(tmp_path / "o"))
    said = ("nest: warning: grade rule table tee.rul read, its name spelt as the pattern's; TEE.RUL beside "
            "it, another spelling of the name, is not: give the table you mean with --rules")
    assert code == 0 and said in err.splitlines()


def test_no_rules_says_it_left_out_the_table_beside_the_pattern(tmp_path):
    """The labels ``--no-rules`` leaves unused are reported as such. Before, the remark said
    "no grade rule table (.RUL) beside the pattern; give one with --rules FILE" while one was
    there, left out by the option; without a table beside the pattern it still says so."""
    shutil.copy(SAMPLES / "tee-base.dxf", tmp_path / "tee.dxf")
    code, out, err = nest("info", str(tmp_path / "tee.dxf"))
    head = "skipped: grade rule labels (# n): 112 in 4 block(s) not used: "
    assert code == 0 and (head + "no grade rule table (.RUL) beside the pattern; give one with --rules FILE "
                          "to grade the other sizes") in out
    shutil.copy(SAMPLES / "tee-base.rul", tmp_path / "Tee.RUL")
    code, out, err = nest("info", str(tmp_path / "tee.dxf"), "--no-rules")
    assert code == 0 and (head + "--no-rules leaves out the grade rule table beside the pattern (Tee.RUL) "
                          "[Back_M, Front_M, Neckband_M, Sleeve_M]") in out
    assert "no grade rule table" not in out


def test_a_size_name_with_a_blank_is_said_to_read_as_two():
    """``SIZE LIST: 10 10 1/2 11 11 1/2 12`` was refused as "size '1/2' appears twice", and with
    ``NUMBER OF SIZES: 5`` the count that gives it away was not said first. The count is checked
    first, and both errors say the list is split at blanks."""
    head = "UNITS: METRIC\nSAMPLE SIZE: 11\n"
    rules = "RULE: DELTA 1\n" + " ".join("0,0" for _ in range(7)) + "\nEND\n"
    with pytest.raises(GradeRuleError) as exc:
        parse_rul(head + "NUMBER OF SIZES: 5\nSIZE LIST: 10 10 1/2 11 11 1/2 12\n" + rules, file="h.rul")
    assert "NUMBER OF SIZES says 5, but the SIZE LIST names 7 (10 10 1/2 11 11 1/2 12); the SIZE LIST " \
           "is split at blanks, so a size name holding one (10 1/2) reads as two" in str(exc.value)
    with pytest.raises(GradeRuleError) as exc:
        parse_rul(head + "SIZE LIST: 10 10 1/2 11 11 1/2 12\n" + rules, file="h.rul")
    assert "size '1/2' appears twice in the SIZE LIST; the SIZE LIST is split at blanks" in str(exc.value)
