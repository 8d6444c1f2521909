"""Bad pattern files through the CLI: one line naming file, piece and problem; exit status 2."""

from __future__ import annotations

import contextlib
import io
import json

import ezdxf
import pytest
from checker import check_marker
from conftest import SAMPLES
from shapely.geometry import Polygon
from test_import_dxf import RECT, aama_doc, add_piece, rect_chain, save

from kitcut.cli.main import main
from kitcut.errors import GeometryError, InputError
from kitcut.formats.reading.dxf_read import read_dxf
from kitcut.formats.reading.read import read_pattern


def nest(*args: str) -> tuple[int, str, str]:
    """Run ``nest ARGS`` in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def fails(path, *opts: str) -> str:
    code, out, err = nest("info", str(path), *opts)
    assert code == 2, (code, out, err)
    assert "Traceback" not in err and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"nest: error: {path}: ")
    return lines[0]


def test_missing_file(tmp_path):
    assert fails(tmp_path / "nope.dxf").endswith("nope.dxf: file not found")


def test_not_a_dxf(tmp_path):
    p = tmp_path / "notes.dxf"
    p.write_text("hello, this is not a drawing\n")
    assert fails(p).endswith("not a DXF file (it does not start with a DXF section)")


@pytest.mark.parametrize("name, head, words", [
    ("tee.dwg", b"AC1032\x00\x00\x00\x00\x00\x01\x03",
     "a DWG drawing (AutoCAD 2018 format), not a DXF: save it as DXF"),
    ("tee.dxf", b"AC1015\x00\x00\x00\x00\x00", "a DWG drawing (AutoCAD 2000 format)"),
    ("tee.zip", b"PK\x03\x04\x14\x00",
     "a ZIP archive (a pattern export, a CLO .zprj?), not a DXF: unpack it"),
    ("tee.pdf", b"%PDF-1.7\n", "a PDF document, not a DXF"),
    ("scan.dxf", b"\x89PNG\r\n\x1a\n", "an image, not a DXF: kitcut needs the pattern as vectors"),
    ("tee.val", b'<?xml version="1.0" encoding="UTF-8"?>\n<pattern>\n', "a Valentina/Seamly2D file (XML)"),
    ("tee.svg", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">',
     "an SVG drawing, not a DXF"),
    ("u16.dxf", "  0\r\nSECTION\r\n".encode("utf-16"), "a DXF saved as UTF-16 text"),
    ("m.plt", b"\x1b.(\x1b.I81;;17:\x1b.N;19:IN;SP1;PU0,0;", "an HPGL plot file"),
    ("notes.dxf", b"IN THE BEGINNING was a pattern\n",
     "not a DXF file (it does not start with a DXF section)"),
    ("damaged.dxf", b"{\xa9V\xd28\xeaJW9f", "not a DXF file (it does not start with a DXF section)"),
])
def test_other_files_say_what_they_are(tmp_path, name, head, words):
    """A DWG, an archive, a PDF, an image, a Valentina pattern... given for a DXF: the error
    says what the file is and how to get the DXF."""
    p = tmp_path / name
    p.write_bytes(head + bytes(range(256)) * 4)
    assert words in fails(p)


def test_a_cutter_file_is_not_a_pattern(tmp_path):
    """kitcut's own HPGL cutter file, given back to it, is told for what it is."""
    from marker_factory import small_marker

    from kitcut.formats.writing.export import write_file

    p = write_file(small_marker(), tmp_path / "marker.plt")
    assert "an HPGL plot file (a plotter or cutter file, a marker already made), not a pattern DXF" \
        in fails(p)


def test_empty_file(tmp_path):
    p = tmp_path / "empty.dxf"
    p.write_bytes(b"")
    assert fails(p).endswith("empty file (0 bytes), not a DXF")


def test_truncated_file(tmp_path):
    doc = aama_doc()
    add_piece(doc, "A_M", [RECT], closed=True)
    whole = save(doc, tmp_path, "whole.dxf").read_bytes()
    p = tmp_path / "cut.dxf"
    p.write_bytes(whole[: len(whole) // 2])
    assert "truncated DXF: the file ends without the EOF marker" in fails(p)


def _aama_and_plain(tmp_path) -> dict:
    """The bytes of a two-piece AAMA file (fast reader) and of a plain R2010 drawing (ezdxf)."""
    doc = aama_doc()
    add_piece(doc, "A_M", [RECT], closed=True, texts=["Piece Name: A", "Size: M"])
    add_piece(doc, "B_M", [[(0, 0), (60, 0), (60, 40), (0, 40)]], closed=True,
              texts=["Piece Name: B", "Size: M"])
    plain = ezdxf.new("R2010")
    plain.header["$INSUNITS"] = 4
    plain.modelspace().add_lwpolyline(RECT, close=True)
    plain.modelspace().add_text("Piece Name: P", dxfattribs={"insert": (20, 20)})
    return {"aama": save(doc, tmp_path, "a.dxf").read_bytes(),
            "plain": save(plain, tmp_path, "p.dxf").read_bytes()}


def _pieces(path, **options) -> list:
    from kitcut.formats.reading.read import read_pattern

    pat = read_pattern(path, **options)
    return [(p.name, round(p.area, 6)) for p in pat.pieces], [w.message for w in pat.report.warnings]


@pytest.mark.parametrize("tail", [b"\x00" * 700, b"\x1a", b"\r\n\x1a\x00\x00", b"\n\n  \n"])
@pytest.mark.parametrize("kind", ["aama", "plain"])
def test_padding_after_eof_is_ignored_and_reported(tmp_path, kind, tail):
    """NUL padding (block-wise copies) and the DOS end-of-file mark Ctrl-Z after ``EOF``: the file
    reads as it would without them; only real padding (not blank lines) is reported."""
    whole = _aama_and_plain(tmp_path)[kind]
    clean, _ = _pieces(tmp_path / ("a.dxf" if kind == "aama" else "p.dxf"))
    padded = tmp_path / "padded.dxf"
    padded.write_bytes(whole + tail)
    got, warnings = _pieces(padded)
    assert got == clean and len(got) == (2 if kind == "aama" else 1)
    said = [w for w in warnings if "padding after the EOF marker" in w]
    assert len(said) == (0 if tail.strip() == b"" else 1)


@pytest.mark.parametrize("kind", ["aama", "plain"])
def test_missing_eof_after_a_complete_section_is_read_and_reported(tmp_path, kind):
    whole = _aama_and_plain(tmp_path)[kind]
    clean, _ = _pieces(tmp_path / ("a.dxf" if kind == "aama" else "p.dxf"))
    body = whole.rstrip()
    assert body.endswith(b"EOF")
    cut = tmp_path / "no-eof.dxf"
    cut.write_bytes(body[: -len(b"EOF")].rstrip()[: -1].rstrip() + b"\n")  # the last "0" and "EOF" gone
    assert cut.read_bytes().rstrip().endswith(b"ENDSEC")
    got, warnings = _pieces(cut)
    assert got == clean
    assert any("without the EOF marker" in w for w in warnings)
    # cut inside the last section: still refused
    inside = tmp_path / "inside.dxf"
    inside.write_bytes(body[: body.rindex(b"ENDSEC")].rstrip() + b"\n")
    assert "truncated DXF" in fails(inside)


@pytest.mark.parametrize("kind", ["aama", "plain"])
def test_what_a_file_holds_around_its_drawing(tmp_path, kind):
    """Faults of the file around a whole drawing, each read as the drawing and reported:
    - a note after ``EOF`` (or a second drawing appended) was "truncated DXF: the file ends
      without the EOF marker" (it has one);
    - every line ending in blanks (``SECTION  ``) was "empty drawing: model space has no entities";
    - old Mac line ends (CR alone) lost the R2010 file's declared UTF-8 (its texts were guessed).
    A truncated binary DXF says so, not "Invalid group code"."""
    data = _aama_and_plain(tmp_path)[kind]
    clean, _ = _pieces(tmp_path / ("a.dxf" if kind == "aama" else "p.dxf"))
    cases = {
        "note": (data.rstrip() + b"\nThis file was exported by FooCAD 3.1\n",
                 "after the EOF marker (starting 'This file was exported by FooCAD 3.1'): ignored"),
        "twice": (data + data, "after the EOF marker (starting '0 SECTION 2 HEADER"),
        "blanks": (data.replace(b"\n", b"  \n"), "the file's lines end in blanks"),
        "cr": (data.replace(b"\r\n", b"\n").replace(b"\n", b"\r"), None),
    }
    for name, (content, said) in cases.items():
        p = tmp_path / f"{name}.dxf"
        p.write_bytes(content)
        got, warnings = _pieces(p)
        assert got == clean, name
        if said:
            assert [w for w in warnings if said in w], (name, warnings)
        else:
            assert not [w for w in warnings if "encoding" in w], (name, warnings)
    if kind == "plain":
        doc = ezdxf.readfile(tmp_path / "p.dxf")
        doc.saveas(tmp_path / "bin.dxf", fmt="bin")
        whole = (tmp_path / "bin.dxf").read_bytes()
        (tmp_path / "cut.dxf").write_bytes(whole[: len(whole) * 9 // 10])
        assert fails(tmp_path / "cut.dxf").endswith(
            "truncated binary DXF: the file ends without the EOF marker (cut short in copying or saving?)")
        doc.modelspace().query("TEXT")[0].dxf.text = "Piece Name: Ärmel"
        doc.saveas(tmp_path / "utf8.dxf")
        cr = tmp_path / "cr-utf8.dxf"
        cr.write_bytes((tmp_path / "utf8.dxf").read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
        got, warnings = _pieces(cr)
        assert got[0][0] == "Ärmel" and not [w for w in warnings if "encoding" in w], warnings


def test_a_file_of_entities_alone_declares_no_units(tmp_path):
    """An R12 file of an ENTITIES section alone (no HEADER, as some cutting-room CAD writes) was
    told "$INSUNITS says m, which makes the largest outline 300 m long": ezdxf's default header,
    not the file's. It declares no units: they are guessed from the piece sizes, as for a header
    without $INSUNITS."""
    p = tmp_path / "entities.dxf"
    p.write_text("0\nSECTION\n2\nENTITIES\n0\nPOLYLINE\n8\n0\n66\n1\n70\n1\n"
                 + "".join(f"0\nVERTEX\n8\n0\n10\n{x}\n20\n{y}\n" for x, y in RECT)
                 + "0\nSEQEND\n0\nENDSEC\n0\nEOF\n")
    code, out, err = nest("info", str(p), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert not [w for w in data["warnings"] if "$INSUNITS" in w]
    guessed = "warning: no units declared: mm guessed from the piece sizes"
    assert [w for w in data["warnings"] if w.startswith(guessed)]


def test_garbage_inside_a_dxf(tmp_path):
    p = tmp_path / "bad.dxf"
    p.write_text("0\nSECTION\n2\nENTITIES\n0\nLINE\n8\n0\n10\nnot-a-number\n0\nENDSEC\n0\nEOF\n")
    msg = fails(p)
    assert "not a readable DXF" in msg or "no closed outline" in msg or "empty drawing" in msg


def test_empty_drawing(tmp_path):
    p = save(ezdxf.new("R12"), tmp_path, "blank.dxf")
    assert fails(p).endswith("empty drawing: model space has no entities")


@pytest.mark.parametrize("version", ["R12", "R2000"])
def test_empty_drawing_of_pstoedit_says_why(tmp_path, version):
    """pstoedit under Ghostscript 10's PDF interpreter writes a DXF without entities: the error
    said only "empty drawing" (probe 35); the writer names itself in its first comment."""
    p = save(ezdxf.new(version), tmp_path, "blank.dxf")
    p.write_bytes(b"999\r\nDXF generated by pstoedit version 3.78\r\n" + p.read_bytes())
    assert fails(p).endswith(
        "empty drawing: model space has no entities; it was written by pstoedit, which writes no entity "
        "from a PDF under Ghostscript 10's interpreter: convert again with -psarg -dNEWPDF=false, or make a "
        "PostScript file with pdftops first")


def test_no_closed_outline(tmp_path):
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    doc.modelspace().add_line((0, 0), (100, 0))
    p = save(doc, tmp_path)
    assert fails(p).endswith("no closed outline: 1 line(s) but none closes into a piece")


def test_outline_open_by_a_gap(tmp_path):
    doc = aama_doc()
    add_piece(doc, "CUFF_M", rect_chain(gap=2.0, stub=False), texts=["Piece Name: Cuff", "Size: M"])
    p = save(doc, tmp_path)
    assert fails(p).endswith("piece 'Cuff (M)': cut line is open: a gap of 2.000 mm at (0.0, 49.0), more "
                             "than the 1 mm kitcut closes (4 piece(s) of line do not close): close this one "
                             "in the pattern CAD")
    code, out, _ = nest("info", str(p), "--tolerance", "2.5", "--json")
    assert code == 0
    assert any("closed a gap of 2.000 mm" in w for w in json.loads(out)["warnings"])


def test_plain_outline_open_by_a_gap(tmp_path):
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for a, b in [((0, 0), (100, 0)), ((100, 0), (100, 50)), ((100, 50), (0, 50)), ((0, 50), (0, 3))]:
        msp.add_line(a, b, dxfattribs={"layer": "front"})
    p = save(doc, tmp_path)
    assert "cut line is open: a gap of 3.000 mm at (0.0, 1.5)" in fails(p)


def test_plain_outline_open_under_a_millimetre_on_another_piece(tmp_path):
    """An outline open by 0.5 mm lying half on a piece three times its size (on another layer)
    is closed within the tolerance only (a mark on a piece must not become a cut-out): the error
    said "a gap of 0.500 mm ..., more than the 1 mm kitcut closes" (probe 36). It says why, and the
    --tolerance that closes it, which does."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (600, 0), (600, 400), (0, 400)], close=True, dxfattribs={"layer": "A"})
    msp.add_lwpolyline([(400, 100), (800, 100), (800, 300), (400, 300), (400, 100.5)],
                       dxfattribs={"layer": "B"})
    p = save(doc, tmp_path)
    assert fails(p).endswith(
        "piece 'outline on layer B': cut line is open: a gap of 0.500 mm at (400.0, 100.2), more than the "
        "tolerance 0.1 mm (1 piece(s) of line do not close; lying on other lines, it is closed within the "
        "tolerance only, lest a mark become a cut-out): close it in the pattern CAD, or rerun with "
        "--tolerance 0.6")
    code, out, _ = nest("info", str(p), "--tolerance", "0.6", "--json")
    assert code == 0
    assert sorted(round(q["area_mm2"]) for q in json.loads(out)["pieces"]) == [80000, 240000]


def test_self_intersecting_outline_and_repair(tmp_path):
    doc = aama_doc()
    add_piece(doc, "BOW_M", [[(0, 0), (100, 50), (100, 0), (0, 50)]], closed=True, texts=["Piece Name: Bow"])
    p = save(doc, tmp_path)
    assert fails(p).endswith("piece 'Bow': self-intersecting outline (self-intersection at (50.0, 25.0)): "
                             "loop(s) of 1250.0 mm² on a piece of 1250 mm², more than hairlines (at most "
                             "500 mm² and 0.5 % of the piece); fix it in the CAD, or rerun with --repair "
                             "to keep its largest part")
    code, out, _ = nest("info", str(p), "--repair", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["pieces"][0]["area_mm2"] == pytest.approx(1250.0)
    assert any(w.startswith("repair: piece 'Bow': self-intersecting outline repaired")
               for w in data["warnings"])
    assert fails(p, "--repair", "--strict").endswith("(a repair, not allowed with --strict)")


def test_zero_area_piece(tmp_path):
    doc = aama_doc()
    add_piece(doc, "FLAT_M", [[(0, 0), (50, 0), (100, 0)]], closed=True, texts=["Piece Name: Flat"])
    assert fails(save(doc, tmp_path)).endswith(
        "piece 'Flat': degenerate outline: zero area (3 distinct points, area 0 mm²)")


def test_unknown_units(tmp_path):
    doc = aama_doc(units=None)
    add_piece(doc, "A_M", [[(0, 0), (0.5, 0), (0.5, 0.2), (0, 0.2)]], closed=True)
    p = save(doc, tmp_path)
    assert "unknown units: the file declares none and its largest piece (0.5 drawing units) is implausible" \
        in fails(p)
    assert fails(p, "--units", "parsec").endswith(
        "unknown units 'parsec' (use one of cm, english, ft, in, m, metric, mm, px)")
    code, out, _ = nest("info", str(p), "--units", "m", "--json")
    assert code == 0 and json.loads(out)["units_rule"] == "--units"


def test_strict_turns_a_closed_gap_into_an_error(tmp_path):
    doc = aama_doc()
    add_piece(doc, "CUFF_M", rect_chain(gap=0.05, stub=False), texts=["Piece Name: Cuff"])
    p = save(doc, tmp_path)
    assert nest("info", str(p))[0] == 0
    assert fails(p, "--strict").endswith(
        "piece 'Cuff': closed a gap of 0.050 mm in the cut line at (0.0, 50.0) (tolerance 0.1 mm) "
        "(a repair, not allowed with --strict)")


def test_bad_json_instances(tmp_path):
    p = tmp_path / "x.json"
    p.write_text("{not json")
    assert "not a valid JSON instance" in fails(p)
    p.write_text(json.dumps({"name": "x"}))
    assert fails(p).endswith("not a jagua-rs instance: no 'items' list")
    flat = {"type": "simple_polygon", "data": [[0, 0], [1, 0], [2, 0]]}
    p.write_text(json.dumps({"items": [{"id": 3, "demand": 1, "shape": flat}]}))
    assert fails(p).endswith("piece 'item 3': degenerate outline: zero area (3 distinct points, "
                             "area 0 unit²)")


def test_bad_tolerance(tmp_path):
    doc = aama_doc()
    add_piece(doc, "A_M", [RECT], closed=True)
    assert fails(save(doc, tmp_path), "--tolerance", "0").endswith("--tolerance must be positive, got 0")


def test_blocks_never_inserted(tmp_path):
    doc = aama_doc()
    doc.modelspace().delete_all_entities()
    blk = doc.blocks.new("A_M")
    blk.add_polyline2d(RECT, close=True, dxfattribs={"layer": "1"})
    p = save(doc, tmp_path)
    assert fails(p).endswith("empty drawing: model space has no entities (1 piece block(s) are defined but "
                             "never inserted)")


@pytest.mark.parametrize("fast", [True, False])
def test_a_labelled_piece_block_without_its_cut_line_is_a_piece_that_cannot_be_cut(tmp_path, fast):
    """A piece block whose texts name it (``Piece Name: Cuff``, its size and quantity) but which
    draws no cut line (a layer the CAD did not export, a damaged file) was skipped as a block of
    other drawings: the one-size job cut the garment without its cuffs, exit 0. It is a piece
    that cannot be cut, named with its size, and the sizes that can be cut are named."""
    doc = aama_doc()
    for size, k in (("S", 0.9), ("M", 1.0)):
        add_piece(doc, f"Front_{size}", [[(0, 0), (300 * k, 0), (300 * k, 600), (0, 600)]], closed=True,
                  texts=["Piece Name: Front", f"Size: {size}", "Quantity: 2"], insert=(0, 1000 * k))
        cuff = add_piece(doc, f"Cuff_{size}", [], texts=["Piece Name: Cuff", f"Size: {size}", "Quantity: 2"],
                         insert=(500, 1000 * k))
        if size == "M":
            cuff.add_polyline2d([(0, 0), (250, 0), (250, 80), (0, 80)], close=True, dxfattribs={"layer": "1"})
    p = save(doc, tmp_path)
    for sizes in ((), ("--sizes", "S")):
        msg = fails(p, *sizes)
        assert ("piece 'Cuff (S)': no cut line: its block 'Cuff_S' holds the piece's texts but draws "
                "nothing on the cut line's layer (AAMA layer 1, or ASTM's 84)") in msg
    assert msg.endswith("(size(s) S cannot be cut as drawn; the pattern's size(s) M can)")
    pat = read_dxf(p, sizes=("M",), fast=fast)
    assert sorted((q.name, q.size, q.quantity) for q in pat.pieces) == [("Cuff", "M", 2), ("Front", "M", 2)]
    assert any("not usable, but size S is not cut in this job" in str(w) for w in pat.report.warnings)
    # a block of other drawings (no piece name) is still skipped, with its INSERT named
    doc = aama_doc()
    add_piece(doc, "Front", [RECT], closed=True, texts=["Piece Name: Front"])
    add_piece(doc, "TITLE", [], texts=["Marker: 42", "Style Name: TEE"], insert=(0, 500))
    pat = read_dxf(save(doc, tmp_path, "title.dxf"), fast=fast)
    assert [q.name for q in pat.pieces] == ["Front"]
    assert any("INSERT of block 'TITLE' that has no cut line" in str(e) for e in pat.report.skipped)


def _corner_loop(w: float, h: float, over: float) -> list[tuple[float, float]]:
    """A w x h rectangle whose cut line overshoots its top right corner and crosses itself
    there: a triangular loop of over²/2 outside the piece (as CAD exports at a corner)."""
    return [(0, 0), (w, 0), (w, h + over), (w + over, h), (0, h)]


def test_hairline_loops_are_repaired_by_default_in_every_size(tmp_path):
    doc = aama_doc()
    for size, k in (("S", 0.9), ("M", 1.0), ("L", 1.1)):  # a 211,000 mm² piece has a 12.5 mm² loop
        add_piece(doc, f"BODY_{size}", [_corner_loop(460 * k, 460 * k, 5.0)], closed=True,
                  texts=["Piece Name: Body", f"Size: {size}"])
    p = save(doc, tmp_path)
    code, out, err = nest("info", str(p), "--json")
    assert code == 0, err
    data = json.loads(out)
    repairs = [w for w in data["warnings"] if w.startswith("repair:")]
    assert len(repairs) == 3 and all("hairline loop(s) of 12.5 mm² removed" in w for w in repairs)
    assert ("repair: piece 'Body (M)': self-intersecting outline repaired (self-intersection at "
            "(460.0, 460.0)): hairline loop(s) of 12.5 mm² removed, area 211587.5 -> 211600.0 mm² "
            "(+12.5 mm²)") in repairs
    assert [p["area_mm2"] for p in data["pieces"]] == pytest.approx([414.0**2, 460.0**2, 506.0**2])
    # the threshold is adjustable: a loop above it is an error naming piece, size and point
    msg = fails(p, "--max-loop-mm2", "10")
    assert ("piece 'Body (S)': self-intersecting outline (self-intersection at (414.0, 414.0)): loop(s) of "
            "12.5 mm² on a piece of 171396 mm², more than hairlines (at most 10 mm² and 0.5 % of the "
            "piece)") in msg
    assert "(to cut the other sizes" not in msg and "2 more piece(s) cannot be used either" in msg
    assert "hairline loop(s)" in fails(p, "--strict") and "not allowed with --strict" in fails(p, "--strict")
    code, out, _ = nest("info", str(p), "--max-loop-mm2", "10", "--repair", "--json")
    assert code == 0 and len([w for w in json.loads(out)["warnings"] if "12.5 mm² removed" in w]) == 3


def test_a_loop_larger_than_a_hairline_is_an_error(tmp_path):
    doc = aama_doc()
    # 60 mm overshoot: a 1,800 mm² loop on a 40,000 mm² piece (4.5 %)
    for size, w, over in (("M", 200, 60.0), ("L", 220, 2.0)):
        add_piece(doc, f"YOKE_{size}", [_corner_loop(w, 200, over)], closed=True,
                  texts=["Piece Name: Yoke", f"Size: {size}"])
    p = save(doc, tmp_path)
    msg = fails(p)
    assert msg.endswith("piece 'Yoke (M)': self-intersecting outline (self-intersection at (200.0, 200.0)): "
                        "loop(s) of 1800.0 mm² on a piece of 40000 mm², more than hairlines (at most 500 mm² "
                        "and 0.5 % of the piece); fix it in the CAD, or rerun with --repair to keep its "
                        "largest part (to cut the other sizes, leave size(s) M out: --sizes L)")
    # only the bad size asked for: the sizes that can be cut are named (before, no hint at all)
    assert fails(p, "--sizes", "M").endswith("rerun with --repair to keep its largest part (size(s) M cannot "
                                             "be cut as drawn; the pattern's size(s) L can)")
    code, out, err = nest("info", str(p), "--sizes", "L", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert [(q["name"], q["size"]) for q in data["pieces"]] == [("Yoke", "L")]
    assert any("piece 'Yoke (M)': not usable, but size M is not cut in this job" in w
               for w in data["warnings"])


def test_a_one_size_job_folds_the_remarks_on_other_sizes_into_one_line(tmp_path):
    """A one-size job of a graded pattern listed the remarks on every other size's pieces too,
    and its note counted them ("the import made 40 remarks" for a clean size). They are now one
    line, with their count and sizes; the remarks on the size cut are listed as before."""
    doc = aama_doc()
    for size, w, over in (("S", 180, 2.0), ("M", 200, 2.0), ("L", 220, 2.0), ("XL", 240, 0.0)):
        seg = _corner_loop(w, 200, over) if over else [(0, 0), (w, 0), (w, 200), (0, 200)]
        add_piece(doc, f"YOKE_{size}", [seg], closed=True, texts=["Piece Name: Yoke", f"Size: {size}"])
    p = save(doc, tmp_path)
    full = read_pattern(p)
    hair = {e.piece for e in full.report.entries if "hairline" in e.message}
    assert hair == {"Yoke (S)", "Yoke (M)", "Yoke (L)"}
    for sizes, listed, folded in ((("M",), {"Yoke (M)"}, "S, L"), (("XL",), set(), "S, M, L"),
                                  (("S", "L"), {"Yoke (S)", "Yoke (L)"}, "M")):
        pat = read_pattern(p, sizes=sizes)
        assert {e.piece for e in pat.report.entries if e.piece} == listed
        n = len(hair) - len(listed)
        assert [str(e) for e in pat.report.entries if "not cut" in e.message] == [
            f"skipped: {n} remark(s) on pieces of size(s) {folded}, which this job does not cut, not listed "
            "(nest info without --sizes lists them)"]


@pytest.mark.parametrize("over", [0.3, 0.8, 30.0])
def test_a_cut_line_run_past_its_corner_and_back_is_trimmed(tmp_path, over):
    """A LINE drawn too long past a corner, the next one started at the true corner (the gap
    closed): the cut line runs out and back along itself, a zero-width excursion. It was refused
    as a self-intersecting outline with "loop(s) of  mm²" (no loop named); it is trimmed and
    reported, the piece exactly as meant. Also as one polyline going out and back (30 mm)."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    if over < 1.0:
        corners = [(0, 0), (200 + over, 0), (200, 0), (200, 100), (0, 100), (0, 0)]
        for a, b in zip(corners[:-1], corners[1:], strict=True):
            if a != (200 + over, 0):
                msp.add_line(a, b)
    else:
        msp.add_lwpolyline([(0, 0), (200 + over, 0), (200, 0), (200, 100), (0, 100)], close=True)
    msp.add_text("Piece Name: YOKE", dxfattribs={"insert": (50, 50)})
    code, out, err = nest("info", str(save(doc, tmp_path, "over.dxf")), "--json")
    assert code == 0, err
    data = json.loads(out)
    (p,) = data["pieces"]
    assert p["area_mm2"] == pytest.approx(20000.0, rel=1e-9)
    assert [w for w in data["warnings"] if "past a corner" in w] == [
        f"repair: piece 'YOKE': the cut line runs {over:.2f} mm past a corner and back along itself at "
        f"({200 + over:.1f}, 0.0): the zero-width overshoot is removed"]


def test_a_drawing_that_closes_nowhere_says_where_it_comes_nearest(tmp_path):
    """A rectangle of four LINEs with 1.5 mm gaps at every corner (over the 1 mm a cut line's
    gaps are closed) was "4 line(s) but none closes into a piece": the error says where the
    nearest loose ends are and the tolerance that would close them, which does."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for a, b in (((0, 0), (200, 0)), ((200, 1.5), (200, 100)), ((198.5, 100), (0, 100)),
                 ((0, 98.5), (0, 1.6))):
        msp.add_line(a, b)
    p = save(doc, tmp_path, "gaps.dxf")
    assert fails(p).endswith(
        "no closed outline: 4 line(s) but none closes into a piece (the nearest loose ends, at (200.0, 0.0) "
        "and (200.0, 1.5), are 1.50 mm apart, and cut lines close gaps up to 1 mm: join them in the CAD, or "
        "give --tolerance 1.6 if that gap is meant to close)")
    code, out, err = nest("info", str(p), "--tolerance", "1.6", "--json")
    assert code == 0, err
    assert len(json.loads(out)["pieces"]) == 1


def test_a_zero_width_spur_alone_is_repaired_not_refused():
    """A self-intersecting ring whose only fault is a spur of no width (make_valid finds no loop
    to remove) was an error listing no loop ("loop(s) of  mm²")."""
    import numpy as np

    from kitcut.formats.reading.outline import Fixer, check_ring
    from kitcut.model import ImportReport

    fixer = Fixer("f.dxf", ImportReport(), strict=False, allow_repair=False)
    ring = np.array([(0, 0), (100, 0), (100, 40), (130, 40), (100, 40), (100, 100), (0, 100)], dtype=float)
    out = check_ring(ring, fixer, piece="P")
    assert Polygon(out).equals(Polygon([(0, 0), (100, 0), (100, 100), (0, 100)]))
    (w,) = fixer.report.entries
    assert "zero-width spur(s) removed, area 10000.0 -> 10000.0 mm²" in w.message


def test_drawing_in_paper_space_says_where_it_is(tmp_path):
    doc = ezdxf.new("R2010")
    doc.layout("Layout1").add_lwpolyline(RECT, close=True)
    msg = fails(save(doc, tmp_path, "paper.dxf"))
    assert msg.endswith("empty drawing: model space has no entities (the drawing is in paper space: "
                        "'Layout1' (1 entities); kitcut reads model space, move it there in the CAD)")


def _libdxfrw_binary(text: bytes) -> bytes:
    """The binary DXF libdxfrw (Valentina, LibreCAD) writes for a text DXF: two-byte group codes
    (in R12 too), two-byte booleans (codes 290-299) and the header's dates as text."""
    import struct

    from ezdxf.lldxf.tagger import ascii_tags_loader, tag_compiler
    from ezdxf.lldxf.types import BINARY_DATA, BYTES, DOUBLE, INT16, INT32, INT64

    out = [b"AutoCAD Binary DXF\r\n\x1a\x00"]
    date = False
    for tag in tag_compiler(ascii_tags_loader(io.StringIO(text.decode("utf-8")))):
        codes = [(tag.code, tag.value)]
        if tag.code in (*range(10, 19), 210, 1010, 1011) and not isinstance(tag.value, float):
            codes = [(tag.code + 10 * k, v) for k, v in enumerate(tag.value)]
        for code, value in codes:
            out.append(struct.pack("<H", code))
            if code in BINARY_DATA:
                out.append(bytes([len(value)]) + value)
            elif code in BYTES:
                out.append(struct.pack("<h", int(value)))
            elif code in DOUBLE and date:
                out.append(b"%.8f\x00" % value)
            elif code in DOUBLE:
                out.append(struct.pack("<d", value))
            elif code in INT16:
                out.append(struct.pack("<h", int(value)))
            elif code in INT32:
                out.append(struct.pack("<i", int(value)))
            elif code in INT64:
                out.append(struct.pack("<q", int(value)))
            else:
                out.append(str(value).encode("utf-8") + b"\x00")
        date = tag.code == 9 and tag.value in ("$TDCREATE", "$TDUPDATE")
    return b"".join(out)


@pytest.mark.parametrize("version", ["R12", "R2000", "R2010"])
def test_binary_dxf_as_libdxfrw_writes_it(tmp_path, version):
    """Valentina's binary DXF exports (``--bdxf``, written by libdxfrw: two-byte group codes even
    in R12, two-byte booleans, the header's dates as text) were all refused: "not a readable DXF
    (DXFStructureError: Invalid group code "AutoCAD Binary DXF" at line 1.)". They read as the
    text DXF they stand for, reported; a standard binary DXF reads as before, unreported."""
    doc = ezdxf.new(version)
    doc.header["$INSUNITS"] = 4
    doc.header["$TDCREATE"] = 2461015.5
    doc.modelspace().add_polyline2d(RECT, close=True) if version == "R12" else \
        doc.modelspace().add_lwpolyline(RECT, close=True)
    doc.modelspace().add_text("Piece Name: Рукав", dxfattribs={"insert": (20, 20)})
    text = tmp_path / "text.dxf"
    doc.saveas(text)
    want, _ = _pieces(text, units="mm")  # an R12 header holds no $INSUNITS
    assert want == [("Рукав", Polygon(RECT).area)]
    odd = tmp_path / "libdxfrw.dxf"
    odd.write_bytes(_libdxfrw_binary(text.read_bytes()))
    got, warnings = _pieces(odd, units="mm")
    assert got == want
    said = [w for w in warnings if w.startswith("binary DXF written with")]
    codes = "two-byte group codes in an R12 file and " if version == "R12" else ""
    assert said == [f"binary DXF written with {codes}two-byte boolean values (group codes 290-299), off "
                    "the standard (libdxfrw's writer, as in Valentina and LibreCAD): read as the text DXF it "
                    "stands for"]
    doc.saveas(tmp_path / "standard.dxf", fmt="bin")
    got, warnings = _pieces(tmp_path / "standard.dxf", units="mm")
    assert got[0][1] == want[0][1] and not [w for w in warnings if "binary" in w]


def test_what_the_dxf_library_logs_is_reported_not_printed(tmp_path, caplog):
    """ezdxf logs what it finds odd (``Found non-unique entity handle #54, data validation is
    required.``, 16 lines on a Valentina export) to the terminal, before kitcut's own output and
    outside its report. It is now one warning per message, with its count, and both pieces read."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    a = msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    b = msp.add_lwpolyline([(400, 0), (700, 0), (700, 200), (400, 200)], close=True)
    path = tmp_path / "dup.dxf"
    doc.saveas(path)
    text = path.read_text(encoding="ascii")
    path.write_text(text.replace(f"\n  5\n{b.dxf.handle}\n", f"\n  5\n{a.dxf.handle}\n", 1), encoding="ascii")
    with caplog.at_level("DEBUG"):
        pat = read_pattern(path)
    assert len(pat.pieces) == 2
    assert [w.message for w in pat.report.warnings if "ezdxf" in w.message] == [
        f"the DXF library (ezdxf) says: Found non-unique entity handle #{a.dxf.handle}, data validation is "
        "required."]
    assert not [r for r in caplog.records if r.name.startswith("ezdxf") and r.levelname == "WARNING"]


def _instance(tmp_path, data, name="x.json"):
    p = tmp_path / name
    p.write_text(json.dumps(data))
    return p


def test_jagua_files_that_are_no_strip_packing_instance(tmp_path):
    """A bin packing instance ('bins') was read as a strip of the default 1500 units: `nest info`
    listed it, `nest` failed on a piece wider than 1500 or, with --width, wrote a marker that
    ignored the bins. A multi-strip instance likewise; a solution or a solver configuration
    (beside the instances in jagua-rs and sparrow) said only "no 'items' list"."""
    sq = {"type": "simple_polygon", "data": [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]}
    items = [{"id": 0, "demand": 1, "shape": sq}]
    bpp = {"name": "b", "items": items, "bins": [{"id": 0, "cost": 1, "stock": 1, "shape": sq}]}
    assert fails(_instance(tmp_path, bpp)).endswith(
        "a bin packing instance ('bins': 1 bin type), not a strip packing instance: kitcut nests on a "
        "strip of fixed width ('strip_height')")
    old_bpp = {"Name": "b", "Items": [{"Demand": 1, "Shape": {"Outer": sq["data"], "Inner": []}}],
               "Objects": [{"Cost": 1, "Stock": 1}, {"Cost": 2, "Stock": 1}]}
    assert fails(_instance(tmp_path, old_bpp)).endswith("a bin packing instance ('Objects': 2 bin types), "
                                                        "not a strip packing instance: kitcut nests on a "
                                                        "strip of fixed width ('strip_height')")
    mspp = {"name": "m", "items": items, "strips": {"height": 10.0, "max_width": 100.0}}
    assert fails(_instance(tmp_path, mspp)).endswith(
        "a multi-strip packing instance ('strips'), not a strip packing instance: kitcut nests on one "
        "strip of fixed width ('strip_height')")
    sol = {"strip_width": 10.0, "density": 1.0, "run_time_sec": 1,
           "layout": {"container_id": 0, "placed_items": [], "density": 1.0}}
    assert fails(_instance(tmp_path, sol)).endswith(
        "a jagua-rs/sparrow solution without its instance (no 'items' list): give the instance file, or "
        "sparrow's output file that holds both")
    cfg = {"cde_config": {}, "poly_simpl_tolerance": 0.001, "prng_seed": 0}
    assert fails(_instance(tmp_path, cfg)).endswith(
        "a jagua-rs/sparrow solver configuration, not an instance (no 'items' list)")
    assert fails(_instance(tmp_path, [1, 2])).endswith(
        "not a jagua-rs instance: the file holds a JSON list, not an object")
    code, _, err = nest(str(_instance(tmp_path, bpp)), "--width", "5000", "--time", "1", "--workers", "1",
                        "-o", str(tmp_path / "out"))
    assert code == 2 and "a bin packing instance" in err and not (tmp_path / "out").exists()


def test_jagua_2024_format_is_read(tmp_path):
    """The format of jagua-rs and sparrow before May 2025 (PascalCase 'Items', 'Strip': {'Height'},
    'Shape': {'Type', 'Data'} or a bare {'Outer', 'Inner'}) was "not a jagua-rs instance"."""
    ring = [[0, 0], [20, 0], [20, 10], [0, 10], [0, 0]]
    hole = [[5, 2], [5, 8], [15, 8], [15, 2], [5, 2]]
    data = {"Name": "old", "Strip": {"Height": 50.0}, "Items": [
        {"Demand": 2, "DemandMax": 2, "Dxf": "dxf/i_0.dxf", "AllowedOrientations": [0.0, 180.0],
         "Shape": {"Type": "SimplePolygon", "Data": ring}},
        {"Demand": 1, "BaseQuality": 1, "Shape": {"Outer": ring, "Inner": [hole]}},
        {"Demand": 3, "Shape": {"Type": "Polygon", "Data": {"Outer": ring, "Inner": []}}},
        {"Demand": 1, "AllowedOrientations": [90.0], "Shape": {"Type": "Rectangle",
                                                             "Data": {"Width": 4.0, "Height": 3.0}}}]}
    code, out, err = nest("info", str(_instance(tmp_path, data)), "--json")
    assert code == 0, err
    info = json.loads(out)
    assert (info["style"], info["fabric_width"], info["copies"], info["warnings"]) == ("old", 50.0, 7, [])
    assert [(p["name"], p["quantity"], p["flipped"], p["area_mm2"], p["cutouts"], p["allowed_rotations"])
            for p in info["pieces"]] == [("item 0", 2, 0, 200.0, 0, [0.0, 180.0]),
                                         ("item 1", 1, 0, 140.0, 1, None),
                                         ("item 2", 3, 0, 200.0, 0, None),
                                         ("item 3", 1, 0, 12.0, 0, [90.0])]
    no_shape = {"Name": "refs", "Strip": {"Height": 50.0}, "Items": [{"Demand": 1, "Dxf": "albano/i_0.dxf"}]}
    assert fails(_instance(tmp_path, no_shape)).endswith(
        "piece 'item 0': item has no shape (only a reference to 'albano/i_0.dxf', which kitcut does not "
        "read)")


def test_jagua_shape_variants_and_outputs(tmp_path):
    """A 'rectangle' shape was an unsupported shape type; 'allowed_orientations': [] (jagua-rs: the
    item as drawn only) was an error; sparrow's output (the instance and its 'solution') is read as
    the instance, with a remark that its solution is not used."""
    rect = {"type": "rectangle", "data": {"x_min": 5.0, "y_min": -2.0, "width": 8.0, "height": 3.0}}
    data = {"name": "r", "strip_height": 20.0, "items": [
        {"id": 7, "demand": 2, "allowed_orientations": [], "shape": rect}],
        "solution": {"strip_width": 16.0, "density": 0.15, "run_time_sec": 0,
                     "layout": {"container_id": 0, "placed_items": [], "density": 0.15}}}
    code, out, err = nest("info", str(_instance(tmp_path, data)), "--json")
    assert code == 0, err
    info = json.loads(out)
    (piece,) = info["pieces"]
    got = [piece[k] for k in ("name", "area_mm2", "width_mm", "height_mm", "allowed_rotations")]
    assert got == ["item 7", 24.0, 8.0, 3.0, [0.0]]
    assert info["warnings"] == ["warning: the file is a jagua-rs/sparrow output: its instance is nested "
                                "anew, the solution it holds is not used"]
    multi = {"type": "multi_polygon", "data": [{"outer": [[0, 0], [1, 0], [1, 1]], "inner": []}]}
    data = {"name": "m", "strip_height": 20.0, "items": [{"id": 1, "demand": 1, "shape": multi}]}
    assert fails(_instance(tmp_path, data)).endswith(
        "piece 'item 1': a multi_polygon shape (several separate parts in one item) is not supported: give "
        "each part as an item of its own")


def test_jagua_items_smaller_than_a_square_millimetre_are_read(tmp_path):
    """A benchmark instance has no unit: sparrow's gardeyn9 (strip 44, items of 0.74 to 198
    unit²) was refused, "degenerate outline: zero area ... area 0.742 mm²", by a limit in mm².
    Zero area is now measured against each item's own size, and said in the instance's unit."""
    tri = {"type": "simple_polygon", "data": [[0, 0], [1.2, 0], [0.2, 1.1], [0, 0]]}  # 0.66 unit²
    flat = {"type": "simple_polygon", "data": [[0, 0], [5, 0], [10, 0], [0, 0]]}
    inst = {"name": "tiny", "strip_height": 4.0, "items": [{"id": 0, "demand": 3, "shape": tri}]}
    code, out, err = nest(str(_instance(tmp_path, inst)), "--time", "1", "--workers", "1", "--seed", "1",
                          "-o", str(tmp_path / "out"), "--json")
    assert code == 0, err
    marker = json.loads((tmp_path / "out" / "marker.json").read_text(encoding="utf-8"))
    assert len(marker["solution"]["placements"]) == 3 and check_marker(marker) == []
    inst["items"].append({"id": 1, "demand": 1, "shape": flat})
    code, out, err = nest("info", str(_instance(tmp_path, inst, "flat.json")))
    assert code == 2
    assert "piece 'item 1': degenerate outline: zero area (3 distinct points, area 0 unit²)" in err


def test_a_tolerance_over_10_mm_is_refused_as_an_order_refuses_it():
    """``--tolerance 50`` closed gaps of 50 mm and merged distinct pieces; an order's
    ``tolerance_mm`` stops at 10 mm, and so does the option now."""
    code, _, err = nest("info", str(SAMPLES / "tee.dxf"), "--tolerance", "50")
    assert code == 2 and "'--tolerance': 50.0 is not in the range x<=10.0" in err


def test_a_piece_missing_in_a_size_cut_is_said_by_the_job(tmp_path):
    """A graded pattern whose collar is drawn in S and M but not in L: a job of L cut the garment
    without a collar, with a remark count as its only sign. It says so on a line of its own, for
    the sizes cut only."""
    doc = aama_doc()
    for size, k in (("S", 0.9), ("M", 1.0), ("L", 1.1)):
        add_piece(doc, f"Front_{size}", [[(0, 0), (300 * k, 0), (300 * k, 600), (0, 600)]], closed=True,
                  texts=["Piece Name: Front", f"Size: {size}"], insert=(0, 1000 * k))
        if size != "L":
            add_piece(doc, f"Collar_{size}", [[(0, 0), (250 * k, 0), (250 * k, 80), (0, 80)]], closed=True,
                      texts=["Piece Name: Collar", f"Size: {size}"], insert=(500, 1000 * k))
    p = save(doc, tmp_path)
    said = "warning: piece 'Collar': not drawn in size(s) L: cut without it there (drawn in size(s) S, M)"
    assert [str(e) for e in read_pattern(p, sizes=("L",)).headlines] == [said]
    assert [str(e) for e in read_pattern(p).headlines] == [said]
    assert not read_pattern(p, sizes=("S", "M")).headlines
    code, out, err = nest(str(p), "--sizes", "L", "--time", "1", "--iterations", "3", "--workers", "1",
                          "-o", str(tmp_path / "out"))
    assert code == 0 and f"nest: {said}" in err.splitlines()
    # the collar's quantity set by the user: still no collar in L, and still said (probe 43: a
    # quantity set for a piece took every headline on it away, this one with the rest)
    for rule in ("Collar=1", "Collar=2", "*=1"):
        code, out, err = nest(str(p), "--sizes", "L", "--quantity", rule, "--time", "1", "--iterations", "3",
                              "--workers", "1", "-o", str(tmp_path / "q"), "--json")
        assert code == 0 and f"nest: {said}" in err.splitlines(), (rule, err)
        assert said in json.loads(out)["warnings"]
    # naming the collar is no error in a job of L (it said "'Collar' is no piece name or category of
    # this pattern"): the pattern has it, in the sizes not cut, and the quantity changes nothing
    from kitcut.kits.quantities import apply_quantities

    pat = apply_quantities(read_pattern(p, sizes=("L",)), {"Collar": (2, None)})
    assert [str(e) for e in pat.report.warnings if "changed nothing" in e.message] == [
        "warning: piece 'Collar': --quantity Collar=2 changed nothing: the pattern draws this piece only in "
        "sizes this job does not cut"]
    with pytest.raises(InputError, match="'Cuff' is no piece name or category of this pattern"):
        apply_quantities(read_pattern(p, sizes=("L",)), {"Cuff": (2, None)})


def test_a_graded_nest_drawn_in_one_block_is_refused_not_cut_as_its_first_size(tmp_path):
    """One block holding the cut lines of S, M and L one inside the other, each with its `Size:`
    text: its largest outline (L) was cut as size S, M and L unknown, with a remark that the
    inner loops were not used (probe 45). It is an error naming the sizes; a block whose nested
    loops come with one size stays a warning, as before."""
    def rect(k):
        return [(0, 0), (300 * k, 0), (300 * k, 600 * k), (0, 600 * k), (0, 0)]

    for texts, fails in ((["Size: S", "Size: M", "Size: L"], True), (["Size: S", "Size: S"], False)):
        doc = aama_doc()
        add_piece(doc, "FRONT", [rect(1.0), rect(1.1), rect(1.2)], closed=True,
                  texts=["Piece Name: FRONT", "Quantity: 1", *texts])
        p = save(doc, tmp_path)
        if fails:
            said = r"piece 'FRONT \(S\)': 3 cut lines drawn one inside the other in one block that names"
            with pytest.raises(GeometryError, match=said + r" the sizes S, M, L: a graded nest in one block"):
                read_pattern(p)
            code, _, err = nest(str(p), "--time", "1", "--workers", "1", "-o", str(tmp_path / "o"))
            assert code == 2 and "export one block per size" in err and "Traceback" not in err
        else:
            (piece,) = read_pattern(p).pieces
            assert piece.size == "S" and round(piece.area) == 360 * 720  # the outermost, as before
