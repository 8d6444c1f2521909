"""Fuzz findings, kept: every input in tests/fuzz/regressions/ ends in a result or a clear error.

Each file there once crashed or hung kitcut (its name says how it was made). ``*.toml`` are
order files (loaded and planned beside a copy of the bundled samples), ``*.dxf`` patterns
(``nest info`` and a short ``nest`` run).
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import ezdxf
import pytest
from fuzz.runner import check_outcome, run_cli, run_order

REG = Path(__file__).parent / "fuzz" / "regressions"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
ORDERS = sorted(REG.glob("*.toml"))
DXFS = sorted(REG.glob("*.dxf"))


@pytest.mark.parametrize("path", ORDERS, ids=[p.name for p in ORDERS])
def test_order_regression(path, tmp_path):
    shutil.copy(SAMPLES / "tee.dxf", tmp_path / "tee.dxf")
    order = tmp_path / path.name
    order.write_bytes(path.read_bytes())
    o = run_order(order, timeout=60)
    check_outcome(o)
    assert o.code == 2 and str(order) in o.stderr  # a clear error naming the file


def test_order_naming_a_pattern_over_255_bytes_names_the_field(tmp_path):
    """A pattern name longer than a file system holds was an OSError out of load_order (a crash
    to an API caller; ``nest kit`` said only "File name too long"): it is the field's error."""
    order = tmp_path / "o.toml"
    order.write_text(f'[order]\nid = "A-1"\ncustomer = "c"\n[[garments]]\npattern = "{"x" * 300}.dxf"\n'
                     'count = 1\n[[fabrics]]\nname = "jersey"\nwidth_mm = 1500\n', encoding="utf-8")
    o = run_order(order)
    assert o.code == 2, (o.stderr, o.crash)
    shown = "x" * 40 + "…" + "x" * 8 + ".dxf"
    assert f"garments[0].pattern: pattern file '{shown}' cannot be looked up: File name too long (its name " \
           "is 304 bytes; at most 255)" in o.stderr


def test_order_not_utf8_names_the_byte(tmp_path):
    order = tmp_path / "o.toml"
    order.write_bytes(b'[order]\nid = "A\xe5"\n')
    o = run_order(order)
    said = "not UTF-8 text (byte 0xE5 at line 2, column 8: byte 16 of the file)"
    assert o.code == 2 and said in o.stderr, o.stderr


@pytest.mark.parametrize("path", DXFS, ids=[p.name for p in DXFS])
def test_dxf_regression(path, tmp_path):
    o = run_cli(["info", str(path), "--json"], timeout=60)
    check_outcome(o)
    o = run_cli(["run", str(path), "-q", "-t", "1", "--workers", "1", "--seed", "1", "--iterations", "100",
                 "-o", str(tmp_path / "out")], timeout=90)
    check_outcome(o)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "1e10"])
def test_unusable_coordinates_name_the_piece(value, tmp_path):
    lines = (SAMPLES / "tee.dxf").read_bytes().decode("latin-1").splitlines()
    # the first VERTEX x of the first piece block
    i = next(k for k in range(len(lines) - 1) if lines[k].strip() == "VERTEX")
    j = next(k for k in range(i, len(lines)) if lines[k].strip() == "10")
    lines[j + 1] = value
    p = tmp_path / "bad.dxf"
    p.write_text("\n".join(lines) + "\n", encoding="latin-1")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        o = run_cli(["info", str(p)])
    assert [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)] == []
    assert check_outcome(o) == "error"
    assert "cut line has a coordinate that is not a usable number" in o.stderr
    assert "piece 'Front (S)'" in o.stderr
    assert "(to cut the other sizes, leave size(s) S out: --sizes M,L)" in o.stderr
    # the other sizes are still cut: the defect of size S is a remark of a job that cuts M
    o = run_cli(["info", str(p), "--sizes", "M", "--json"])
    assert check_outcome(o) == "ok"
    data = json.loads(o.stdout)
    assert {q["size"] for q in data["pieces"]} == {"M"}
    assert any("piece 'Front (S)': not usable, but size S is not cut in this job: cut line has a coordinate"
               in w for w in data["warnings"])


JSONS = sorted(REG.glob("*.json"))


@pytest.mark.parametrize("path", JSONS, ids=[p.name for p in JSONS])
def test_json_regression(path):
    """Each a clear error, and nothing else on stderr: a coordinate of 1e300 made numpy warn of an
    overflow (a RuntimeWarning with its source line) before the error named it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        o = run_cli(["info", str(path)], timeout=60)
    assert check_outcome(o) == "error"
    assert [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)] == []


def test_deeply_nested_json_is_a_clear_error(tmp_path):
    p = tmp_path / "deep.json"
    p.write_text("[" * 100_000 + "]" * 100_000)
    o = run_cli(["info", str(p)])
    assert check_outcome(o) == "error" and "nested too deeply" in o.stderr


#: Findings too big to keep as files: rebuilt from (shared file, mutator, seed).
GENERATED = [
    ("nctools_snijtest-sirex_cutter.dxf", "huge_text", 798282029),  # a renamed model space: KeyError
]


@pytest.mark.parametrize("name, mutator, seed", GENERATED, ids=[f"{m}-{s}" for _, m, s in GENERATED])
def test_generated_regression(name, mutator, seed, tmp_path):
    from conftest import shared_file
    from fuzz.mutate import mutate

    p = tmp_path / name
    p.write_bytes(mutate(shared_file("dxf", name).read_bytes(), mutator, seed))
    o = run_cli(["info", str(p)], timeout=60)
    assert check_outcome(o) == "error" and "not a readable DXF" in o.stderr, o.stderr


@pytest.mark.parametrize("kind", ["aama", "plain"])
def test_entity_of_a_damaged_type_is_skipped(kind, tmp_path):
    """An entity whose type name is damaged (``TEXT`` -> ``TEæXT``: ezdxf keeps it, with no layer)
    is skipped and reported, in a piece block of an AAMA file (read by ezdxf then) and in a plain
    drawing; it was an internal error (found by ``make fuzz``: drill-holes.DXF, byte garbage)."""
    if kind == "aama":
        data = (SAMPLES / "tee.dxf").read_bytes()
        data = data.replace(b"\nTEXT\n", "\nTE\u00e6XT\n".encode("latin-1"), 1)
    else:
        doc = ezdxf.new("R2010")
        doc.header["$INSUNITS"] = 4
        doc.modelspace().add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
        doc.modelspace().add_line((10, 10), (20, 20))
        doc.saveas(tmp_path / "src.dxf")
        data = (tmp_path / "src.dxf").read_bytes()
        data = data.replace(b"\nLINE\r\n", "\nLIN\u00e6E\r\n".encode("latin-1"))
        data = data.replace(b"\nLINE\n", "\nLIN\u00e6E\n".encode("latin-1"))
    assert "\u00e6".encode("latin-1") in data
    path = tmp_path / "damaged.dxf"
    path.write_bytes(data)
    o = run_cli(["info", str(path), "--json"], timeout=60)
    assert check_outcome(o) == "ok", o.stderr
    info = json.loads(o.stdout)
    # reported as its bytes read: the fallback cp1252 (TE\u00e6XT), or, in the R2010 drawing whose one
    # non-ASCII byte is no UTF-8, as the detected GBK reads it (LIN\u8974: no cased word has an
    # \u00e6 between capitals, and ASCII capitals next to Han, as in POLO\u886b, are a plausible name)
    damaged = ("TE\u00e6XT",) if kind == "aama" else ("LIN\u00e6E", "LIN\u8974")
    assert info["pieces"] and any(d in s for s in info["warnings"] for d in damaged), info["warnings"]


@pytest.mark.parametrize("angle", ["inf", "-inf", "nan"])
def test_a_notch_angle_that_is_no_number_reads_as_none(tmp_path, angle):
    """A fuzzed AccuMark file with a notch POINT's angle (group 50) of inf: math domain error."""
    from test_import_dxf import aama_doc, add_piece, save

    doc = aama_doc()
    add_piece(doc, "A_M", [[(0, 0), (300, 0), (300, 200), (0, 200), (0, 0)]],
              texts=["Piece Name: A", "Size: M", "Quantity: 1"],
              extra=lambda b: b.add_point((150, 0), dxfattribs={"layer": "4", "angle": 12.5}))
    path = save(doc, tmp_path)
    text = path.read_text()
    assert text.count("\n 50\n12.5\n") == 1
    path.write_text(text.replace("\n 50\n12.5\n", f"\n 50\n{angle}\n"))
    o = run_cli(["info", str(path)])
    assert check_outcome(o) == "ok" and o.code == 0, o.stderr
