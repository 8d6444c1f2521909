"""Plain DXF labels written without keys, as a workshop writes them in a generic CAD (AutoCAD LT,
LibreCAD, DraftSight, a Chinese CAD): a size after its word without a colon (``SIZE M``), a
name and its count on one line (``FRONT X2``), a count alone (``x2``, ``1 pair``, ``左右各1片``),
and a bare name inside a piece drawn as a block. Files are written with ezdxf."""

from __future__ import annotations

import math

import ezdxf
import numpy as np
import pytest
from test_import_dxf import save

from kitcut.formats.reading.read import read_pattern

#: A front-like outline, 270 x 560 mm, at x = dx.
_FRONT = [(0, 0), (260, 0), (270, 380), (190, 540), (120, 560), (0, 480)]


def _drawing(labels_of: dict[str, list[str]]) -> ezdxf.document.Drawing:
    """One piece per name, side by side on layer CUT, each labelled by its texts on layer TEXT
    (``{name}`` in a text is the piece's name)."""
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for k, (name, texts) in enumerate(labels_of.items()):
        dx = 500 * k
        msp.add_lwpolyline([(x + dx, y) for x, y in _FRONT], close=True, dxfattribs={"layer": "CUT"})
        for j, t in enumerate(texts):
            msp.add_text(t.replace("{name}", name),
                         dxfattribs={"layer": "TEXT", "height": 6, "insert": (dx + 100, 300 - 12 * j)})
    return doc


def _read(tmp_path, doc):
    pat = read_pattern(save(doc, tmp_path))
    return pat, sorted((p.name, p.size, p.quantity, p.flipped) for p in pat.pieces)


@pytest.mark.parametrize("size_text, size", [
    ("SIZE M", "M"), ("Size M", "M"), ("SZ M", "M"), ("M", "M"), ("SIZE 38", "38"), ("Size XXL", "XXL"),
    ("Gr. 38", "38"), ("Talla 40", "40"), ("号型 170/92A", "170/92A")])
def test_size_written_without_a_colon(tmp_path, size_text, size):
    """``FRONT`` / ``CUT 2`` / ``SIZE M`` on each piece: the size written without a colon was a
    second bare name, so neither named the piece (CUT#1, CUT#2, no size); ``SIZE 38`` kept the
    names and lost the size. A lone ``M`` on every piece beside its name sizes it too."""
    doc = _drawing({"FRONT": ["{name}", "CUT 2", size_text], "BACK": ["{name}", "CUT 2", size_text]})
    _, got = _read(tmp_path, doc)
    assert got == [("BACK", size, 2, None), ("FRONT", size, 2, None)]


def test_words_after_size_that_are_no_size(tmp_path):
    """``SIZE LABEL`` (where the size label is sewn), ``Taglia 2`` (Italian *taglia* is also
    "cut!") and a lone ``L`` on one piece only (a left side?) size nothing; the name stays."""
    doc = _drawing({"FRONT": ["{name}", "Taglia 2"], "BACK": ["{name}", "L"], "YOKE": ["{name}"]})
    pat, got = _read(tmp_path, doc)
    assert got == [("BACK", None, 1, None), ("FRONT", None, 1, None), ("YOKE", None, 1, None)]
    doc = _drawing({"FRONT": ["Piece Name: {name}", "SIZE LABEL"]})
    pat, got = _read(tmp_path, doc)
    assert got == [("FRONT", None, 1, None)]


def test_size_in_a_title_block_sizes_every_piece(tmp_path):
    """A title block beside the pieces says ``SIZE 38``: every piece is size 38 (reported). A
    ``Size: 38`` written there went to the nearest piece alone, one piece of the garment sized."""
    for text in ("SIZE 38", "Size: 38"):
        doc = _drawing({"FRONT": ["{name}", "Cut 2"], "BACK": ["{name}", "Cut 2"]})
        doc.modelspace().add_text(text, dxfattribs={"layer": "TEXT", "height": 6, "insert": (1500, 10)})
        pat, got = _read(tmp_path, doc)
        assert got == [("BACK", "38", 2, None), ("FRONT", "38", 2, None)]
        assert any(w.message.startswith("size 38 written outside every piece") for w in pat.report.warnings)


@pytest.mark.parametrize("label, want", [
    ("{name} X2", (2, None)), ("{name} x 2", (2, None)), ("{name} - CUT 2", (2, None)),
    ("{name} (CUT 2)", (2, None)), ("{name} / 2 pcs", (2, None)), ("{name} CUT 1 PAIR", (2, 1)),
    ("{name} [1L+1R]", (2, 1)), ("{name} – Cut 2 (L & R)", (2, 1))])
def test_name_and_count_on_one_line(tmp_path, label, want):
    """A one-line label ``FRONT X2``, ``FRONT - CUT 2``, ``FRONT (CUT 2)`` was the name whole,
    cut once: it is the name and the count (reported, with how each label was read)."""
    doc = _drawing({"FRONT": [label], "BACK YOKE": [label]})
    pat, got = _read(tmp_path, doc)
    assert got == [("BACK YOKE", None, *want), ("FRONT", None, *want)]
    (w,) = [w.message for w in pat.report.warnings if "label(s) of one line" in w.message]
    assert w.startswith("2 label(s) of one line read as a piece's name and its quantity ('")
    assert f"'{label.replace('{name}', 'FRONT')}': FRONT" in w
    assert not [s for s in pat.report.skipped if "texts" in s.message]


def test_names_that_end_in_a_number_keep_it(tmp_path):
    """A number alone after a name is part of it (``BACK YOKE 2``), and so is ``2X`` in capitals
    (a plus size) and a style code's ``X1`` (``24-2506-P1-D-FRT X1``, a Gerber marker's piece)."""
    doc = _drawing({"A": ["BACK YOKE 2"], "B": ["FRONT 2X"], "C": ["24-2506-P1-D-FRT X1"]})
    _, got = _read(tmp_path, doc)
    assert got == [("24-2506-P1-D-FRT X1", None, 1, None), ("BACK YOKE 2", None, 1, None),
                   ("FRONT 2X", None, 1, None)]


def test_name_and_count_written_under_the_piece(tmp_path):
    """``SLEEVE X2`` written under the piece, as a drawing program lays pieces out, names it and
    counts it."""
    doc = _drawing({"SLEEVE": []})
    doc.modelspace().add_text("SLEEVE X2", dxfattribs={"height": 10, "insert": (50, -30)})
    _, got = _read(tmp_path, doc)
    assert got == [("SLEEVE", None, 2, None)]


@pytest.mark.parametrize("text, want", [
    ("左右各1片", (2, 1)), ("左右各1", (2, 1)), ("1 pair", (2, 1)), ("x2", (2, None)), ("2x", (2, None)),
    ("1L+1R", (2, 1)), ("2 pcs", (2, None)), ("2 mirrored", (2, 1)), ("2 (L/R)", (2, 1)),
    ("QTY 2", (2, None)), ("Anzahl 2", (2, None)), ("数量 1 pair", (2, 1))])
def test_count_written_alone(tmp_path, text, want):
    """A quantity on a text of its own, without ``Quantity:`` or ``Cut`` (or after its key
    without a colon, ``QTY 2``): it was not read, the piece cut once with "no Quantity text" and
    a left/right pair not mirrored."""
    doc = _drawing({"FRONT": ["{name}", text]})
    pat, got = _read(tmp_path, doc)
    assert got == [("FRONT", None, *want)]
    (p,) = pat.pieces
    assert p.quantity_rule == "file"
    assert not [w for w in pat.report.warnings if "no Quantity text" in w.message]


@pytest.mark.parametrize("name, text, want", [
    ("Ön", "2 adet kes", (2, None)), ("Arka", "1 adet kes", (1, None)), ("Thân trước", "Cắt 2", (2, None)),
    ("THÂN TRƯỚC", "Số lượng: 2", (2, None)), ("Tay áo", "2 chi tiết", (2, None)),
    ("Devant", "2 fois", (2, None)),
    ("Devant", "Couper 1 au pli", (1, None)), ("Vorderteil", "1x im Bruch", (1, None)),
    ("Полочка", "Крой 2 дет.", (2, None)), ("後身頃", "わ 1枚", (1, None)), ("袖", "左右対称 2枚", (2, 1)),
    ("Davanti", "Taglia 2 volte", (2, None)), ("Vorderteil", "2 mal", (2, None))])
def test_counts_in_workshop_languages(tmp_path, name, text, want):
    """Counts as workshops write them in Turkish (verb last), Vietnamese, French, German, Russian
    (``дет.``), Japanese (``わ``, the fold; ``左右対称``, left and right: a pair) and Italian
    (``Taglia 2 volte``, twice: ``Taglia 2`` alone is a size): they were not read, the piece cut
    once with "no Quantity text", or the count taken for a second name and the piece unnamed
    (probe 33)."""
    doc = _drawing({name: ["{name}", text]})
    pat, got = _read(tmp_path, doc)
    assert got == [(name, None, *want)]
    assert not [w for w in pat.report.warnings if "no Quantity text" in w.message]


@pytest.mark.parametrize("text, fold", [
    ("わ 1枚", "わ"), ("わ1枚", "わ"), ("輪 1枚", "輪"), ("连折 1片", "连折"), ("對折 1片", "對折"),
    ("Couper 1 au pli", "au pli"), ("1x im Bruch", "im Bruch"), ("1枚", None), ("Cut 1", None)])
def test_fold_said_before_the_count(tmp_path, text, fold):
    """``わ 1枚`` (Japanese *wa*, the fold) and ``连折 1片`` (Chinese) say the piece is cut on the
    fold, as ``au pli`` does: the count was read and the fold forgotten, so a half with no fold
    line drawn was nested as a half without a word (probe 33). The fold is the piece's label and
    the half is reported."""
    doc = _drawing({"後身頃": ["{name}", text]})
    pat, got = _read(tmp_path, doc)
    assert got == [("後身頃", None, 1, None)]
    (p,) = pat.pieces
    said = [w.message for w in pat.report.warnings if "no fold line is drawn" in w.message]
    if fold is None:
        assert not said and not any(fold_word in a for a in p.annotations for fold_word in ("わ", "au pli"))
    else:
        assert [a for a in p.annotations if fold in a]
        assert len(said) == 1 and fold in said[0]


@pytest.mark.parametrize("text, want", [
    ("袖口 輪 2枚", ("袖口", 2)), ("衿 わ 1枚", ("衿", 1)), ("領 對折 2片", ("領", 2)),
    ("前片 对折 1片", ("前片", 1)), ("後身頃 わ", ("後身頃", 1)), ("FRONT cut 1 on fold", ("FRONT", 1)),
    ("BACK - Cut 2 on fold", ("BACK", 2))])
def test_name_fold_and_count_on_one_line(tmp_path, text, want):
    """A label of one line holding the name, the fold word and the count (``袖口 輪 2枚``): the
    whole line was taken for a note of the fold, the piece unnamed and cut once (probe 37; the
    English ``FRONT cut 1 on fold`` was lost so before). The name and count are read, the fold
    kept as the piece's note."""
    doc = _drawing({"X": [text]})
    pat, got = _read(tmp_path, doc)
    assert [(n, q) for n, _, q, _ in got] == [want]
    (p,) = pat.pieces
    assert text in p.annotations


@pytest.mark.parametrize("text", ["260", "38", "B-12", "2", "1+1", "2 x 3", "x 260", "2 PIECE", "2L"])
def test_numbers_that_are_no_count(tmp_path, text):
    """A dimension (``260``, ``2 x 3``), a size (``38``, Japanese ``2L``), a style number
    (``B-12``), a notch number or a bare sum counts nothing: 1 assumed, as before."""
    doc = _drawing({"FRONT": ["{name}", text]})
    pat, got = _read(tmp_path, doc)
    assert got == [("FRONT", None, 1, None)]
    assert [w for w in pat.report.warnings if "no Quantity text" in w.message]


@pytest.mark.parametrize("nested", [False, True])
@pytest.mark.parametrize("mtext", [False, True])
def test_piece_block_named_by_its_bare_name(tmp_path, nested, mtext):
    """A piece drawn as a block (``A$C1F2``, AutoCAD's name for a pasted block) labelled
    ``SLEEVE`` / ``CUT 2`` inside (two TEXTs or one MTEXT) is SLEEVE: it was named after the
    block, or after the inner block that draws its outline (``SLV_OUTLINE``)."""
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    sleeve = [(0, 0, 0, 0, 0), (300, 0, 0, 0, 0), (340, 330, 0, 0, 0.45), (-40, 330, 0, 0, 0)]
    blk = doc.blocks.new("A$C1F2")
    if nested:
        doc.blocks.new("SLV_OUTLINE").add_lwpolyline(sleeve, close=True, dxfattribs={"layer": "CUT"})
        blk.add_blockref("SLV_OUTLINE", (0, 0))
    else:
        blk.add_lwpolyline(sleeve, close=True, dxfattribs={"layer": "CUT"})
    if mtext:
        blk.add_mtext("SLEEVE\\PCUT 2", dxfattribs={"layer": "TEXT", "char_height": 6, "insert": (150, 175)})
    else:
        blk.add_text("SLEEVE", dxfattribs={"layer": "TEXT", "height": 6, "insert": (150, 175)})
        blk.add_text("CUT 2", dxfattribs={"layer": "TEXT", "height": 6, "insert": (150, 160)})
    msp.add_blockref("A$C1F2", (0, 0), dxfattribs={"rotation": 30})
    msp.add_lwpolyline([(500, 0), (740, 0), (740, 60), (500, 60)], close=True, dxfattribs={"layer": "CUT"})
    msp.add_text("CUFF", dxfattribs={"layer": "TEXT", "height": 6, "insert": (550, 20)})
    pat, got = _read(tmp_path, doc)
    assert got == [("CUFF", None, 1, None), ("SLEEVE", None, 2, None)]
    (sleeve_piece,) = [p for p in pat.pieces if p.name == "SLEEVE"]
    assert round(sleeve_piece.area) == 134686


@pytest.mark.parametrize("style", ["texts", "mtext"])
def test_sizes_side_by_side_labelled_by_a_bare_letter(tmp_path, style):
    """FRONT and BACK drawn in S, M and L side by side, each labelled with its name, its size
    letter alone and its count, as three texts or one MTEXT ``FRONT\\PM\\PCUT 2``: no size was
    read (a lone letter sized a piece only where every piece had the same one), and the MTEXT's
    letter was glued into the name (``FRONT M``); ``--sizes M`` cut all three sizes (probe 33).
    A name beside two letters says they are sizes."""
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for i, size in enumerate("SML"):
        for j, name in enumerate(("FRONT", "BACK")):
            x0, y0 = 400 * i, 700 * j
            msp.add_lwpolyline([(x + x0, y + y0) for x, y in _FRONT], close=True)
            if style == "mtext":
                msp.add_mtext(f"{name}\\P{size}\\PCUT 2",
                              dxfattribs={"char_height": 10, "insert": (x0 + 80, y0 + 300)})
            else:
                for n, t in enumerate((name, size, "CUT 2")):
                    msp.add_text(t, dxfattribs={"height": 10, "insert": (x0 + 80, y0 + 300 - 20 * n)})
    _, got = _read(tmp_path, doc)
    assert got == sorted((name, size, 2, None) for name in ("FRONT", "BACK") for size in "SML")


def test_a_left_piece_marked_l_among_others_is_no_size(tmp_path):
    """``L`` on one pocket and ``S`` on a strap (its fabric code?): no name stands beside two
    letters, so neither is a size, and the names stay."""
    doc = _drawing({"POCKET": ["{name}", "L"], "STRAP": ["{name}", "S"]})
    _, got = _read(tmp_path, doc)
    assert [(n, z) for n, z, _, _ in got] == [("POCKET", None), ("STRAP", None)]


@pytest.mark.parametrize("label", ["WAISTBAND 4 x 72", "BINDING 3 X 45", "TIE 6 x 60"])
def test_a_name_with_its_measure_is_no_count(tmp_path, label):
    """``WAISTBAND 4 x 72`` (a strip 4 by 72) was read as a waistband cut 72 times (probe 34):
    a number, ``x`` and a number is a measure, not split into a name and a count."""
    doc = _drawing({label: ["{name}"]})
    _, got = _read(tmp_path, doc)
    assert got == [(label, None, 1, None)]


def test_sl_is_a_name_not_a_quantity_key(tmp_path):
    """``SL 1`` / ``SL 2`` (sleeve 1 and 2) were read as quantities by a Vietnamese key ``SL``,
    over the pieces' own ``Cut 2`` (probe 34)."""
    doc = _drawing({"SL 1": ["{name}", "Cut 2"], "SL 2": ["{name}", "Cut 2"]})
    _, got = _read(tmp_path, doc)
    assert got == [("SL 1", None, 2, None), ("SL 2", None, 2, None)]


def _stacked_labels(lines_of: list[list[tuple[str, float]]], turn: float = 0.0) -> ezdxf.document.Drawing:
    """A panel per label on layer 0, with its sew line 10 mm inside (Valentina's flat export),
    labelled by TEXTs one under another on layer 0, each ``(text, height)``, centred on one
    another as Valentina writes them (left-aligned, each shifted by half its width), and the
    pattern's own texts 40 mm below; all turned by ``turn`` degrees about the panel's corner."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    c, s = math.cos(math.radians(turn)), math.sin(math.radians(turn))
    for k, lines in enumerate(lines_of):
        dx = 500 * k

        def tr(x, y, dx=dx):
            return (dx + c * x - s * y, c * y + s * x)

        msp.add_lwpolyline([tr(x, y) for x, y in [(0, 0), (300, 0), (300, 600), (0, 600)]], close=True)
        msp.add_lwpolyline([tr(x, y) for x, y in [(10, 10), (290, 10), (290, 590), (10, 590)]], close=True)
        y = 400.0
        info = [("Stinde Design", 6.6), ("Female Basic Block", 6.1), ("Customer", 5.6), ("12-07-2026", 5.6)]
        for t, h in lines + [("", 0)] * 6 + info:
            if t:
                msp.add_text(t, dxfattribs={"height": h, "rotation": turn,
                                            "insert": tr(150 - 0.3 * h * len(t), y)})
            y -= max(h, 6.0) * 1.05
    return doc


def test_valentina_label_lines_name_the_piece(tmp_path):
    """Valentina's flat export labels each piece with TEXTs on layer 0, one under another: its
    letter code, its name and its material with the cut count (``A2``, ``FrontPanel2``,
    ``Fabric, Cut 2``), and below them the pattern's texts (``Stinde Design``, ``Customer``).
    The count was read and the name not, several bare texts competing: every piece was
    ``0#n`` (probe 35). The bare text written right above the count names the piece."""
    labels = [[("A2", 9.8), ("FrontPanel2", 8.7), ("Fabric, Cut 2", 7.9)],
              [("B1", 6.6), ("BackPanel1", 5.6), ("Fabric, Cut 2", 4.8)],
              [("C", 6.0), ("Collar", 6.0), ("Lining, Cut 1 on fold", 6.0)]]
    pat, got = _read(tmp_path, _stacked_labels(labels))
    assert got == [("BackPanel1", None, 2, None), ("Collar", None, 1, None), ("FrontPanel2", None, 2, None)]
    assert [round(p.area) for p in sorted(pat.pieces, key=lambda p: p.name)] == [180_000] * 3
    skipped = [s.message for s in pat.report.skipped if "texts" in s.message]
    assert skipped == ["texts kitcut does not use: 15 TEXT on layer 0"]  # codes and pattern texts


@pytest.mark.parametrize("turn", [90.0, 30.0])
def test_label_lines_turned_with_their_piece(tmp_path, turn):
    """The same labels on panels turned with their texts (a layout): the line above the count
    is above it in the texts' own direction."""
    labels = [[("A2", 9.8), ("FrontPanel2", 8.7), ("Fabric, Cut 2", 7.9)],
              [("24-2506-BK", 6.0), ("BACK", 6.0), ("CUT 2", 6.0)]]
    _, got = _read(tmp_path, _stacked_labels(labels, turn))
    assert got == [("BACK", None, 2, None), ("FrontPanel2", None, 2, None)]


@pytest.mark.parametrize("lines, quantity", [
    ([("CUFF", 6.0), ("COLLAR", 6.0)], 1),  # two names, no count: which?
    ([("Cut 2", 6.0), ("A2", 6.0), ("CUFF", 6.0)], 2),  # the count above the names
])
def test_names_not_right_above_a_count_name_nothing(tmp_path, lines, quantity):
    """Several bare texts with no count under them still name nothing (``CUFF`` and ``COLLAR``):
    the piece takes its layer's name; a count is read all the same."""
    _, got = _read(tmp_path, _stacked_labels([lines]))
    assert got == [("0", None, quantity, None)]


@pytest.mark.parametrize("count, want", [("Cut 2", [("SLEEVE", None, 2, None)]),
                                         ("Cut 3", [("SLEEVE", None, 3, None), ("SLEEVE", None, 3, None)]),
                                         ("Cut 1", [("SLEEVE", None, 1, None), ("SLEEVE", None, 1, None)])])
def test_laid_copies_of_one_labelled_piece_are_one_piece(tmp_path, count, want):
    """A layout drawn with each piece laid as often as it is cut, each copy labelled (Valentina's
    flat layout export: ``SLEEVE`` / ``Fabric, Cut 2`` on both copies, one turned): each copy was
    read as a piece of two, four sleeves cut for two (probe 35). The copies of one cut line and
    label are one piece, its label's count standing for them, when laid exactly as often as it
    counts; otherwise they stay apart, and so do two pieces of one label but another outline."""
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    sleeve = [(0, 0), (300, 0), (340, 330), (150, 420), (-40, 330)]
    turned = [(800 - y, x) for x, y in sleeve]
    for pts in (sleeve, turned):
        msp.add_lwpolyline(pts, close=True, dxfattribs={"layer": "0"})
        x, y = np.mean(pts, axis=0)
        msp.add_text("SLEEVE", dxfattribs={"height": 8, "insert": (x - 30, y + 12)})
        msp.add_text(f"Fabric, {count}", dxfattribs={"height": 8, "insert": (x - 30, y)})
    pat, got = _read(tmp_path, doc)
    assert got == want
    said = [w.message for w in pat.report.warnings if "the laid copies of one piece" in w.message]
    assert len(said) == (len(want) == 1)
    other = ezdxf.new("R2018")
    other.header["$INSUNITS"] = 4
    for pts in (sleeve, [(x + 800, 1.2 * y) for x, y in sleeve]):  # one label, two outlines
        other.modelspace().add_lwpolyline(pts, close=True)
        x, y = np.mean(pts, axis=0)
        other.modelspace().add_text("SLEEVE", dxfattribs={"height": 8, "insert": (x - 30, y + 12)})
        other.modelspace().add_text("Fabric, Cut 2", dxfattribs={"height": 8, "insert": (x - 30, y)})
    (tmp_path / "other").mkdir()
    _, got = _read(tmp_path / "other", other)
    assert got == [("SLEEVE", None, 2, None), ("SLEEVE#2", None, 2, None)]
