"""Piece labels, quantities and units as CADs write them: several fields in one MTEXT, block
attributes, other keys and quantity forms, centred texts, block names, and $INSUNITS that
disagrees with the Units text or with the size of the pieces. Files are written with ezdxf."""

from __future__ import annotations

import math

import ezdxf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_import_dxf import RECT, aama_doc, add_piece, save

from kitcut.formats.reading.dxf_read import read_dxf
from kitcut.formats.reading.read import read_pattern


def test_label_of_several_lines_gives_every_field(tmp_path):
    """One MTEXT holding the whole label (``Piece Name``, ``Size``, ``Quantity``... one per
    paragraph, with formatting codes) sets each field, in a plain drawing and in an AAMA block;
    a line without a key continues the field before it."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(RECT, close=True)
    msp.add_lwpolyline([(x + 200, y) for x, y in RECT], close=True)
    msp.add_mtext("Piece Name: FRONT\\PSize: M\\PQuantity: 1,1\\PAnnotation: cut on fold\\Pkeep nap",
                  dxfattribs={"insert": (10, 40), "char_height": 5})
    msp.add_mtext("{\\fArial|b1;PIECE NAME: BACK}\\PSIZE: M\\PQUANTITY: 2",
                  dxfattribs={"insert": (210, 40), "char_height": 5})
    pat = read_pattern(save(doc, tmp_path, "plain.dxf"))
    got = sorted((p.name, p.size, p.quantity, p.flipped, p.annotations) for p in pat.pieces)
    assert got == [("BACK", "M", 2, None, ()), ("FRONT", "M", 2, 1, ("cut on fold\nkeep nap",))]
    assert not pat.report.warnings

    doc = ezdxf.new("R2010")
    doc.modelspace().add_text("Units: METRIC", dxfattribs={"layer": "1"})
    blk = doc.blocks.new("CUFF_M")
    blk.add_lwpolyline(RECT, close=True, dxfattribs={"layer": "1"})
    blk.add_mtext("Piece Name: Cuff\\PSize: M\\PQuantity: 4", dxfattribs={"layer": "1", "insert": (10, 40)})
    doc.modelspace().add_blockref("CUFF_M", (0, 0))
    (p,) = read_dxf(save(doc, tmp_path, "aama.dxf")).pieces
    assert (p.name, p.size, p.quantity) == ("Cuff", "M", 4)


@pytest.mark.parametrize("text, want", [
    ("2", (2, None)), ("1,1", (2, 1)), ("2 pcs", (2, None)), ("2 Stk.", (2, None)), ("x2", (2, None)),
    ("2X", (2, None)), ("1+1", (2, 1)), ("4 (2 pairs)", (4, 2)), ("2.0", (2, None)),
    ("1 on fold", (1, None)), ("2 im Bruch", (2, None)), ("1,1 on the fold", (2, 1)),
    ("2 (see note)", (2, None)), ("2 (1L 1R)", (2, 1)), ("2 (L/R)", (2, 1)), ("4 (1 pair)", (4, None)),
    ("1 pair", (2, 1)), ("2 pairs", (4, 2)), ("1L 1R", (2, 1)), ("1 L + 1 R", (2, 1)),
    ("1 + 1 mirrored", (2, 1)), ("2 mirror", (2, 1)), ("two", (2, None)), ("zwei Stk.", (2, None)),
    ("左右各1", (2, 1)), ("左右各2片", (4, 2)), ("좌우 각 1장", (2, 1)), ("左右", None),
    ("2.5", None), ("1/1", None), ("3 mirrored", None), ("2 pieces collar", None), ("some", None),
])
def test_quantity_texts_as_pattern_makers_write_them(tmp_path, text, want):
    """A count with a unit, times, a remark in brackets or ``a+b`` is read, and so is a count
    followed by the words for cutting on the fold (kept as the piece's label). Pairs and
    mirrored copies are one as drawn and one mirrored each (``1 pair``, ``1L 1R``, ``1 + 1
    mirrored``, ``2 mirror``; a remark counting the same pieces: ``4 (2 pairs)``), a count may be a
    word (``two``): these were unreadable, and a pair or a left/right remark was lost. Anything
    else (a fraction of a piece, an odd count mirrored) is reported and 1 assumed, never
    truncated silently."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(RECT, close=True)
    msp.add_text("Piece Name: Cuff", dxfattribs={"insert": (10, 30)})
    msp.add_text(f"Quantity: {text}", dxfattribs={"insert": (10, 10)})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    if want is None:
        assert (p.quantity, p.flipped) == (1, None)
        assert [w.message for w in pat.report.warnings] == [f"unreadable Quantity text {text!r}: 1 assumed"]
    else:
        assert (p.quantity, p.flipped) == want
        assert not pat.report.warnings
        assert p.annotations == (tuple(w for w in ("on fold", "im Bruch", "on the fold") if w in text)[:1])


def test_plain_pieces_labelled_by_block_attributes(tmp_path):
    """Pieces drawn as one block, each INSERT labelled by its attribute values (PIECE_NAME,
    QUANTITY, SIZE): every piece takes its own; an attribute left empty is no value."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    blk = doc.blocks.new("PIECE")
    blk.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    for k, tag in enumerate(("PIECE_NAME", "QUANTITY", "SIZE")):
        blk.add_attdef(tag, (50, 150 - 40 * k), dxfattribs={"height": 10})
    msp = doc.modelspace()
    for i, (name, qty) in enumerate([("FRONT", "2"), ("BACK", ""), ("YOKE", "1,1")]):
        ref = msp.add_blockref("PIECE", (i * 600, 0), dxfattribs={"rotation": 90 * i})
        ref.add_auto_attribs({"PIECE_NAME": name, "QUANTITY": qty, "SIZE": "M"})
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((p.name, p.size, p.quantity, p.flipped) for p in pat.pieces)
    assert got == [("BACK", "M", 1, None), ("FRONT", "M", 2, None), ("YOKE", "M", 2, 1)]
    assert [w.message for w in pat.report.warnings] == ["no Quantity text: quantity 1 assumed for BACK"]


@pytest.mark.parametrize("tags", [
    ("BEZEICHNUNG", "ANZAHL", "GROESSE"), ("PART", "PIECES", "GROESSE"), ("BENENNUNG", "STUECK", "SIZE"),
    ("DESIGNATION", "NB_PIECES", "TAILLE"), ("DENOMINACION", "NUMERO_DE_PIEZAS", "TALLA"),
    ("DENOMINAZIONE", "PEZZI", "TAGLIA"), ("BENAMING", "STUKS", "MAAT"), ("NAZWA", "SZTUK", "ROZMIAR"),
    ("НАИМЕНОВАНИЕ", "ШТУК", "РАЗМЕР"), ("品名", "件数", "尺码"), ("이름", "매수", "사이즈"),
])
def test_block_attribute_keys_in_other_words(tmp_path, tags):
    """Attribute tags naming the piece and its count in other words than PIECE_NAME and
    QUANTITY: German ``BEZEICHNUNG`` (the piece was named after its block) and ``PIECES`` (1
    assumed), and their like in the languages of the label keys."""
    name_tag, qty_tag, size_tag = tags
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    blk = doc.blocks.new("P1")
    blk.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    for k, tag in enumerate(tags):
        blk.add_attdef(tag, (50, 150 - 40 * k), dxfattribs={"height": 10})
    ref = doc.modelspace().add_blockref("P1", (0, 0))
    ref.add_auto_attribs({name_tag: "Manschette", qty_tag: "2", size_tag: "38"})
    pat = read_pattern(save(doc, tmp_path))
    (p,) = pat.pieces
    assert (p.name, p.size, p.quantity, p.flipped, p.quantity_rule) == ("Manschette", "38", 2, None, "file")


def _labelled_rect(tmp_path, mtext: str):
    """The one piece of a plain drawing: RECT labelled by one MTEXT."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    doc.modelspace().add_lwpolyline(RECT, close=True)
    doc.modelspace().add_mtext(mtext, dxfattribs={"insert": (10, 40)})
    (p,) = read_pattern(save(doc, tmp_path)).pieces
    return p


@pytest.mark.parametrize("name_key, qty_key", [
    ("Piece Name", "Quantity"), ("Piece", "Qty"), ("Part", "Copies"), ("PART_NAME", "Cut Quantity"),
    ("Pattern piece", "Pcs")])
def test_label_keys_other_cads_write(tmp_path, name_key, qty_key):
    p = _labelled_rect(tmp_path, f"{name_key}: Cuff\\P{qty_key}: 3")
    assert (p.name, p.quantity) == ("Cuff", 3)


#: A piece's label in the languages pattern makers write it: (name, size, quantity, material) keys.
_LABELS = {
    "de": ("Teil", "Größe", "Anzahl", "Stoff"), "de-ascii": ("TEIL", "GROESSE", "STK.", "STOFF"),
    "es": ("Pieza", "Talla", "Cantidad", "Tela"), "fr": ("Pièce", "Taille", "Quantité", "Tissu"),
    "fr-short": ("Nom", "Taille", "Qté.", "Matière"), "it": ("Pezzo", "Taglia", "Quantità", "Tessuto"),
    "pt": ("Nome da peça", "Tamanho", "Quantidade", "Tecido"), "tr": ("Parça adı", "Beden", "Adet", "Kumaş"),
    "nl": ("Onderdeel", "Maat", "Aantal", "Stof"), "pl": ("Nazwa", "Rozmiar", "Ilość", "Materiał"),
    "ru": ("Деталь", "Размер", "Кол-во", "Ткань"), "zh": ("纸样名称", "号型", "数量", "面料"),
    "zh-tw": ("紙樣名稱", "尺碼", "數量", "布料"), "ja": ("パーツ名", "サイズ", "枚数", "生地"),
    "ko": ("패턴명", "사이즈", "수량", "원단"), "zh-spec": ("纸样名称", "规格", "数量", "面料"),
    "de-short": ("Teil", "Gr.", "Stk.", "Stoff"), "en-short": ("Piece Name", "Sz", "Qty", "Fabric"),
    "en-piece-size": ("Name", "Piece Size", "Quantity", "Material"),
}


@pytest.mark.parametrize("lang", sorted(_LABELS))
@pytest.mark.parametrize("how", ["text", "mtext"])
def test_labels_in_the_pattern_maker_s_language(tmp_path, lang, how):
    """A plain DXF labelled in the workshop's language (``Teil: Vorderteil``, ``Größe: 38``,
    ``纸样名称：前片``) lost every name and quantity: each piece was cut once, the pair of fronts a
    single front, named ``0#1``. Keys in the languages of pattern CAD give the fields, with
    ASCII or full-width colons (as CJK labels write them), in TEXT lines or one MTEXT."""
    name, size, qty, material = _LABELS[lang]
    colon = "：" if lang in ("zh", "zh-tw", "zh-spec", "ja") else ": "
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for x, (piece, n) in ((0, ("Vorder", 2)), (200, ("Rücken", 1))):
        msp.add_lwpolyline([(px + x, py) for px, py in RECT], close=True)
        lines = [f"{name}{colon}{piece}", f"{size}{colon}38", f"{qty}{colon}{n}",
                 f"{material}{colon}Oberstoff"]
        if how == "mtext":
            msp.add_mtext("\\P".join(lines), dxfattribs={"insert": (x + 10, 40), "char_height": 3})
        else:
            for k, line in enumerate(lines):
                msp.add_text(line, dxfattribs={"insert": (x + 10, 40 - 6 * k), "height": 3})
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((p.name, p.size, p.quantity, p.material) for p in pat.pieces)
    assert got == [("Rücken", "38", 1, "Oberstoff"), ("Vorder", "38", 2, "Oberstoff")]
    assert not [w for w in pat.report.warnings if "Quantity" in w.message]


@pytest.mark.parametrize("insunits, text, side, want", [
    (6, "METRIC", 100, "mm"),  # ezdxf's default $INSUNITS (metres) under an AAMA mm pattern
    (4, "ENGLISH", 10, "in"),  # a template's mm under an inch pattern: the inches are plausible
    (1, "METRIC", 150, "mm"),  # both plausible (150 mm, 3.8 m): the Units text, which the CAD wrote
    # ezdxf's metres under a CLO pattern in cm: neither plausible, METRIC in cm is (as without the
    # header); it was read in mm, a 73 mm top nested at 7 % with no warning line
    (6, "METRIC", 73, "cm"),
])
def test_insunits_and_units_text_disagree(tmp_path, insunits, text, side, want):
    """When $INSUNITS and the Units text disagree, the unit under which the pieces are of
    garment size wins, else the Units text; the warning says which and why."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = insunits
    doc.modelspace().add_text(f"Units: {text}", dxfattribs={"layer": "1"})
    blk = doc.blocks.new("A_M")
    rect = [(0, 0), (side, 0), (side, side / 2), (0, side / 2)]
    blk.add_lwpolyline(rect, close=True, dxfattribs={"layer": "1"})
    blk.add_text("Piece Name: A", dxfattribs={"layer": "1"})
    doc.modelspace().add_blockref("A_M", (0, 0))
    pat = read_dxf(save(doc, tmp_path))
    assert pat.units_in == want
    mm = {"mm": 1.0, "in": 25.4, "cm": 10.0}[want]
    assert pat.pieces[0].area == pytest.approx(side * side / 2 * mm * mm)
    (w,) = [w.message for w in pat.report.warnings if "$INSUNITS says" in w.message]
    assert f"{want} used" in w


@pytest.mark.parametrize("insunits, want", [(6, "mm"), (1, "mm"), (4, "mm"), (5, "cm")])
def test_header_unit_that_makes_pieces_absurd_is_not_believed(tmp_path, insunits, want):
    """A plain drawing of a 300 x 200 piece whose $INSUNITS says metres (ezdxf's default) or
    inches (a template's) would be 300 m or 7.6 m long: the size check decides, and says so;
    --units still overrides. A header that gives a plausible size is kept (cm: 3 m)."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = insunits
    doc.modelspace().add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    path = save(doc, tmp_path)
    pat = read_pattern(path)
    assert pat.units_in == want
    assert pat.units_rule == ("size check" if insunits in (6, 1) else "$INSUNITS")
    assert any("give --units" in w.message for w in pat.report.warnings) == (insunits in (6, 1))
    assert read_pattern(path, units="m").units_in == "m"



@pytest.mark.parametrize("drills", [False, True])
@pytest.mark.parametrize("insunits, want", [(6, "mm"), (1, "mm"), (4, "mm"), (5, "cm")])
def test_header_unit_is_checked_on_pieces_drawn_in_lines(tmp_path, insunits, want, drills):
    """A cutting-room drawing's pieces are chained from LINEs: no closed curve but, at most, the
    drill circles. Under a header saying metres or inches they were read 300 m long (and only a
    wider-than-the-fabric error followed), as the size check saw only closed curves; it now
    measures the pieces the lines make."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = insunits
    msp = doc.modelspace()
    corners = [(0, 0), (300, 0), (300, 200), (0, 200)]
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        msp.add_line(a, b)
    msp.add_line((300, 400), (0, 400))  # a second piece of two lines, two arcs
    msp.add_line((0, 280), (300, 280))
    msp.add_arc((300, 340), 60, -90, 90)
    msp.add_arc((0, 340), 60, 90, 270)
    if drills:
        msp.add_circle((150, 100), 0.25)
    pat = read_pattern(save(doc, tmp_path))
    assert pat.units_in == want
    assert pat.units_rule == ("size check" if insunits in (6, 1) else "$INSUNITS")
    per = {"mm": 1.0, "cm": 10.0}[want]
    areas = sorted(p.area / per**2 for p in pat.pieces)
    assert areas == [pytest.approx(300 * 120 + math.pi * 60**2, rel=1e-3), pytest.approx(60_000)]
    assert read_pattern(save(doc, tmp_path), units="m").units_in == "m"

@pytest.mark.parametrize("side, other", [(75.3, "cm"), (40.0, "cm"), (650.0, None), (9.0, "in"), (2.0, None)])
def test_header_unit_that_makes_pieces_tiny_is_kept_and_doubted(tmp_path, side, other):
    """A shirt drawn in cm under a header saying mm (its longest piece 75.3 units): read in mm as
    the header says, and doubted in a warning naming --units cm (it was nested ten times too
    small without a word). A drawing of garment size, and one of no garment size in any unit,
    are not doubted."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    doc.modelspace().add_lwpolyline([(0, 0), (side, 0), (side, 0.6 * side), (0, 0.6 * side)], close=True)
    pat = read_pattern(save(doc, tmp_path))
    assert pat.units_in == "mm" and pat.units_rule == "$INSUNITS"
    doubt = [w.message for w in pat.report.warnings if "$INSUNITS says" in w.message]
    word = {"cm": "centimetres", "in": "inches"}.get(other)
    per = {"cm": 10.0, "in": 25.4}.get(other, 1.0)
    assert doubt == ([f"$INSUNITS says mm, which makes the largest outline {side:.4g} mm long, small for a "
                      f"garment piece: read in mm; give --units {other} if the pattern is in {word} (it "
                      f"would be {side * per:.4g} mm)"] if other else [])


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("insunits, side, want, rule", [
    (1, 700.0, "mm", "size check"),  # mm drawn under a header saying inches: a 17.8 m front
    (4, 75.3, "mm", "$INSUNITS"),  # cm under a header saying mm: kept, and doubted
    (1, 28.0, "in", "$INSUNITS"),  # an inch pattern as its header says
])
def test_header_unit_of_an_aama_file_without_a_units_text_is_checked(tmp_path, insunits, side, want, rule,
                                                                      fast):
    """An AAMA file with no ``Units:`` text whose ``$INSUNITS`` makes its pieces absurd (a front
    17.8 m long) is read in the unit the size check finds, said on its own line; an implausible
    one is kept and doubted; before, the header was taken as it was, as plain drawings no longer
    take it."""
    doc = ezdxf.new("R2000")
    doc.header["$INSUNITS"] = insunits
    doc.modelspace().add_text("Style Name: TEE", dxfattribs={"layer": "1"})
    add_piece(doc, "Front_M", [[(0, 0), (0.4 * side, 0), (0.4 * side, side), (0, side)]], closed=True,
              texts=["Piece Name: Front", "Size: M"])
    pat = read_dxf(save(doc, tmp_path), fast=fast)
    assert (pat.units_in, pat.units_rule) == (want, rule)
    front = pat.pieces[0]
    height = float(front.outline[:, 1].max() - front.outline[:, 1].min())
    assert height == pytest.approx(side * {"mm": 1.0, "in": 25.4}[want])
    said = [w.message for w in pat.report.warnings if "$INSUNITS says" in w.message]
    if rule == "size check":
        assert said == [pat.report.units_guess] == [
            "$INSUNITS says in, which makes the largest outline 17.78 m long: mm used (size check); give "
            "--units in if the header is right"]
    else:  # the shirt in cm under mm is doubted, naming the unit to give
        doubt = ["give --units cm if the pattern is in centimetres (it would be 753 mm)"]
        assert [m[m.index("give"):] for m in said] == (doubt if want == "mm" else [])


@pytest.mark.parametrize("text, side, want", [
    ("METRIC", 73.0, "cm"),  # CLO's export set to centimetres: 73 mm would be no garment, 73 cm is
    ("METRIC", 120.0, "mm"),  # of garment size in mm and in cm: mm, the usual reading, in doubt
    ("METRIC", 650.0, "mm"),  # of garment size in mm only
    ("MM", 73.0, "mm"),  # a text that names its length is believed
    ("MM", 120.0, "mm"),
])
def test_metric_units_text_over_centimetres(tmp_path, text, side, want):
    """``Units: METRIC`` names no length: AccuMark and CLO write it over millimetres, and CLO
    over centimetres when its export is so set (a real CLO file of a top whose longest piece
    is 72.9 units was read as a 73 mm garment, 10 times too small). Centimetres are read when
    the largest piece is of garment size in cm and not in mm, with a warning; ``--units mm``
    overrides. The same in an AAMA file and in a plain drawing with the text.

    When the largest piece is of garment size in both (100 to 500 units: a child's front of
    12 cm, or a CLO trouser leg of 1.2 m), millimetres are read as before, but no longer
    silently: a warning names the doubt and ``--units cm``."""
    rect = [(0, 0), (side, 0), (side, side / 3), (0, side / 3)]
    note = (f"the Units text says METRIC, which would make the largest piece {side:.4g} mm long: read in cm "
            "(size check; a METRIC export may be in mm or cm); give --units mm if it is in mm")
    aama = aama_doc(text)
    add_piece(aama, "A_M", [rect], closed=True, texts=["Piece Name: A", "Size: M"])
    plain = ezdxf.new("R12")
    plain.modelspace().add_text(f"Units: {text}", dxfattribs={"insert": (0, -20)})
    plain.modelspace().add_polyline2d(rect, close=True)
    plain.modelspace().add_text("Piece Name: A", dxfattribs={"insert": (side / 4, side / 8), "height": 1})
    for path in (save(aama, tmp_path, "aama.dxf"), save(plain, tmp_path, "plain.dxf")):
        pat = read_pattern(path)
        assert (pat.units_in, pat.units_rule) == (want, "size check" if want == "cm" else "Units text")
        assert pat.pieces[0].area == pytest.approx(side * side / 3 * {"mm": 1.0, "cm": 100.0}[want])
        notes = [w.message for w in pat.report.warnings if "METRIC" in w.message]
        doubt = ("the Units text says METRIC, which names no length: read in mm, the largest piece "
                 f"{side:.4g} mm long (in cm it would be {side / 100:.3g} m); give --units cm if the pattern "
                 "is in centimetres")
        assert notes == ([note] if want == "cm" else [doubt] if text == "METRIC" and side < 500 else [])
        over = read_pattern(path, units="mm")
        assert (over.units_in, over.pieces[0].area) == ("mm", pytest.approx(side * side / 3))


def test_centred_text_stands_at_its_alignment_point(tmp_path):
    """A centred TEXT whose writer left the insertion point at the origin names the piece its
    alignment point is in (it named the piece nearest the origin, and the other was unnamed);
    the AAMA readers place grade-rule labels the same way."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 200), (0, 200)], close=True)
    msp.add_lwpolyline([(400, 0), (700, 0), (700, 200), (400, 200)], close=True)
    for x, name in ((150, "LEFT"), (550, "RIGHT")):
        t = msp.add_text(f"Piece Name: {name}")
        t.dxf.halign, t.dxf.valign, t.dxf.align_point, t.dxf.insert = 1, 2, (x, 100), (0, 0)
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((p.name, float(p.outline[:, 0].min())) for p in pat.pieces)
    assert got == [("LEFT", 0.0), ("RIGHT", 400.0)]

    from kitcut.formats.reading.dxf_fast import from_ezdxf_entity, parse_fast

    doc = aama_doc()
    blk = add_piece(doc, "A_M", [RECT], closed=True, texts=["Piece Name: A"])
    t = blk.add_text("# 5", dxfattribs={"layer": "1"})
    t.dxf.halign, t.dxf.align_point, t.dxf.insert = 2, (100, 50), (0, 0)
    fast = parse_fast(save(doc, tmp_path, "aama.dxf").read_bytes())
    label = next(e for e in fast.blocks["A_M"] if e.text == "# 5")
    slow = from_ezdxf_entity(t, 0.1)
    assert (label.x, label.y) == (100.0, 50.0) == (slow.x, slow.y)


def test_plain_piece_drawn_as_a_block_takes_the_block_name(tmp_path):
    """A piece drawn as a block reference with no name text takes the block's name (it was
    '0#1'); a name text wins; a block drawing two pieces, or an anonymous one, names neither."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    square = [(0, 0), (300, 0), (300, 200), (0, 200)]
    for i, name in enumerate(["FRONT", "BACK"]):
        blk = doc.blocks.new(name)
        blk.add_lwpolyline(square, close=True)
        blk.add_lwpolyline([(100, 50), (140, 50), (140, 90), (100, 90)], close=True)  # a hole
        msp.add_blockref(name, (i * 400, 0))
    named = doc.blocks.new("B3")
    named.add_lwpolyline(square, close=True)
    named.add_text("Piece Name: YOKE", dxfattribs={"insert": (20, 20)})
    msp.add_blockref("B3", (800, 0))
    pair = doc.blocks.new("PAIR")
    pair.add_lwpolyline(square, close=True)
    pair.add_lwpolyline([(x + 350, y) for x, y in square], close=True)
    msp.add_blockref("PAIR", (0, 400))
    pat = read_pattern(save(doc, tmp_path))
    names = sorted(p.name for p in pat.pieces)
    assert names == ["0#4", "0#5", "BACK", "FRONT", "YOKE"]  # the pair's pieces keep their keys
    assert all(len(p.cutouts) == 1 for p in pat.pieces if p.name in ("FRONT", "BACK"))


@pytest.mark.parametrize("label, want", [
    ("Cut 2", (2, None)), ("CUT 1 PAIR", (2, 1)), ("cut 2 pairs", (4, 2)), ("Cut 1 on fold", (1, None)),
    ("Cut here", (1, None)), ("Fabric, Cut 2", (2, None)), ("Lining, cut 1 pair", (2, 1)),
    ("Front, 2 cut", (1, None)), ("Zuschneiden 2x", (2, None)), ("2 x zuschneiden", (2, None)),
    ("Cortar 2", (2, None)), ("Couper 1 paire", (2, 1)), ("Tagliare 3", (3, None)), ("裁2片", (2, None)),
    ("裁剪 1 对", (2, 1)), ("Taglia 2", (1, None)),
    ("Cut 2 (1 pair)", (2, 1)), ("Cut 2 (pair)", (2, 1)), ("Cut 2 (L & R)", (2, 1)),
    ("Cut 4 (2 pairs)", (4, 2)), ("Cut 1 + 1 mirrored", (2, 1)), ("Cut 1+1", (2, 1)),
    ("Cut 1 L + 1 R", (2, 1)), ("Cut 2 mirrored", (2, 1)), ("Cut 2 mirror image", (2, 1)),
    ("Zuschnitt 2x gegengleich", (2, 1)), ("CUT TWO", (2, None)), ("Couper deux", (2, None)),
    ("Cut 1 of fabric", (1, None)), ("Cut 4 (see note)", (4, None)), ("Кроить 2", (2, None)),
    ("Крой 2 шт.", (2, None)), ("Выкроить 2", (2, None)), ("Cortar 2 piezas", (2, None)),
    ("Knip 2", (2, None)), ("Wytnij 2", (2, None)), ("Kes 2", (2, None)), ("2枚", (2, None)),
    ("2장", (2, None)), ("裁断 2枚", (2, None)), ("Cut 3 mirrored", (1, None)),
    ("Cut two pockets", (1, None)), ("KES POCKET", (1, None)), ("Cutting 2", (1, None))])
def test_cut_n_labels_give_the_quantity(tmp_path, label, want):
    """``Cut 2``, ``CUT 1 PAIR`` (one as drawn and one mirrored) on a piece give its quantity
    when it has no Quantity text; other texts starting with Cut say nothing. After a material,
    as Valentina's default label line writes it (``Fabric, Cut 2``), too: it was passed over,
    and every piece of a Valentina export was cut once. In the pattern maker's language too
    (``Zuschneiden 2x``, ``裁2片``, ``Кроить 2``, ``Wytnij 2``, ``2枚``); ``Taglia 2`` is a size in
    Italian, no quantity. A pair is read however it is written (``Cut 2 (1 pair)``, ``Cut 2 (L &
    R)``, ``Cut 1 + 1 mirrored``, ``Cut 2 mirrored``) and a count in words (``CUT TWO``): all
    these were passed over and 1 assumed."""
    p = _labelled_rect(tmp_path, f"Piece Name: Cuff\\P{label}")
    assert (p.quantity, p.flipped) == want
    noted = ("," in label and want[0] > 1) or "fold" in label  # the material or the fold kept as a note
    assert p.annotations == ((label,) if noted else ())


def test_valentina_label_lines_in_an_aama_block(tmp_path):
    """Valentina's AAMA export labels a piece with its letter, its name and ``Fabric, Cut 2``
    (TEXTs on layer 1 of the piece's block): the quantity was assumed 1, with a warning."""
    doc = aama_doc("MM")
    add_piece(doc, "BackPanel1", [RECT], closed=True, texts=["B1", "BackPanel1", "Fabric, Cut 2"])
    pat = read_pattern(save(doc, tmp_path, "valentina.dxf"))
    (p,) = pat.pieces
    assert (p.name, p.quantity, p.quantity_rule) == ("BackPanel1", 2, "file")
    assert p.annotations == ("Fabric, Cut 2",)
    assert not [w for w in pat.report.warnings if "Quantity" in w.message]


def test_labels_beside_the_pieces_on_a_text_layer(tmp_path):
    """Names written just below their pieces, on a layer of texts only, name them (they were not
    used: the pieces were CUT#1, CUT#2); a legend far from every piece names none."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for x, name in ((0, "LEFT"), (400, "RIGHT")):
        rect = [(x, 0), (x + 300, 0), (x + 300, 200), (x, 200)]
        msp.add_lwpolyline(rect, close=True, dxfattribs={"layer": "CUT"})
        msp.add_text(f"Piece Name: {name}", dxfattribs={"insert": (x + 100, -30), "layer": "TEXT"})
    msp.add_text("Piece Name: LEGEND", dxfattribs={"insert": (2000, 2000), "layer": "TEXT"})
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((p.name, float(p.outline[:, 0].min())) for p in pat.pieces)
    assert got == [("LEFT", 0.0), ("RIGHT", 400.0)]


def test_piece_labelled_by_its_name_alone(tmp_path):
    """A piece whose only label is its bare name ("FRONT", no "Piece Name:") is named by it; a
    "Cut 2" beside it is its quantity; a size word beside it is its size ("XL"; a lone "M" only
    where other pieces are sized by such words: an "L" may be a left side) and leaves it the name
    (a lone "M" made "SLEEVE" and "M" two names, naming nothing); two bare texts, or a number,
    name nothing."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    labelled = [["FRONT"], ["Back yoke", "Cut 2"], ["SLEEVE", "M"], ["12345"], ["CUFF", "COLLAR"],
                ["COLLAR", "L"]]
    for i, labels in enumerate(labelled):
        x = i * 400
        msp.add_lwpolyline([(x, 0), (x + 300, 0), (x + 300, 200), (x, 200)], close=True)
        for k, t in enumerate(labels):
            msp.add_text(t, dxfattribs={"insert": (x + 50, 100 - 20 * k)})
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((float(p.outline[:, 0].min()), p.name, p.size, p.quantity) for p in pat.pieces)
    assert got == [(0.0, "FRONT", None, 1), (400.0, "Back yoke", None, 2), (800.0, "SLEEVE", None, 1),
                   (1200.0, "0#4", None, 1), (1600.0, "0#5", None, 1), (2000.0, "COLLAR", None, 1)]
    doc.modelspace().add_lwpolyline([(2400, 0), (2700, 0), (2700, 200), (2400, 200)], close=True)
    doc.modelspace().add_text("POCKET", dxfattribs={"insert": (2450, 100)})
    doc.modelspace().add_text("XL", dxfattribs={"insert": (2450, 80)})
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((float(p.outline[:, 0].min()), p.name, p.size) for p in pat.pieces)
    assert [got[k] for k in (2, 5, 6)] == [(800.0, "SLEEVE", "M"), (2000.0, "COLLAR", "L"),
                                           (2400.0, "POCKET", "XL")]


def test_pieces_of_a_marker_named_by_their_bare_code_and_size(tmp_path):
    """A Gerber AccuMark marker saved as DXF labels each piece with three bare texts: its
    style and piece code (``24-2506-P1-D-FRT X1``), its size (``XL``) and the size's code letter
    (``F``). They were all skipped: 32 pieces of 8 sizes came out as ``T001L001#1..32``, and
    ``--sizes XL`` cut every size as one garment with a warning only. The code names the
    piece, the size word sizes it, and ``sizes`` picks one garment."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    x = 0
    for size, letter, grow in (("S", "C", 0), ("XL", "F", 40)):
        for code in ("24-2506-P1-D-FRT X1", "24-2506-P1-D-BK X1"):
            w, h = 300 + grow, 400 + grow
            rect = [(x, 0), (x + w, 0), (x + w, h), (x, h)]
            msp.add_lwpolyline(rect, close=True, dxfattribs={"layer": "T001"})
            for k, t in enumerate((code, size, letter)):
                msp.add_text(t, dxfattribs={"insert": (x + 20, 200 - 20 * k), "layer": "ABC", "height": 6})
            x += w + 50
    path = save(doc, tmp_path)
    pat = read_pattern(path)
    got = sorted((p.name, p.size, round(p.area)) for p in pat.pieces)
    assert got == [("24-2506-P1-D-BK X1", "S", 120_000), ("24-2506-P1-D-BK X1", "XL", 149_600),
                   ("24-2506-P1-D-FRT X1", "S", 120_000), ("24-2506-P1-D-FRT X1", "XL", 149_600)]
    skipped = [s.message for s in pat.report.skipped if "texts" in s.message]
    assert skipped == ["texts kitcut does not use: 4 TEXT on layer ABC"]  # the sizes' code letters
    assert sorted(p.size for p in read_pattern(path, sizes=["XL"]).pieces if p.size == "XL") == ["XL", "XL"]


@pytest.mark.parametrize("mtext, want", [
    ("CUFF\\PCut 2", ("CUFF", None, 2, None)),
    ("{\\fArial|b1;CUFF}\\P{\\H2.5x;Cut 2}", ("CUFF", None, 2, None)),
    ("\\LCUFF\\l\\PCut 2 (1 pair)", ("CUFF", None, 2, 1)),
    ("\\A1;CUFF\\P\\H3;Size: M\\PQuantity: 1,1", ("CUFF", "M", 2, 1)),
    ("Back\\Pyoke\\PCut 2", ("Back yoke", None, 2, None)),
])
def test_label_of_one_mtext_that_opens_with_the_bare_name(tmp_path, mtext, want):
    """An MTEXT label ``NAME\\PCut 2`` (the name, a paragraph break, the cut text) names the
    piece as a TEXT ``NAME`` beside a TEXT ``Cut 2`` does, whatever its formatting codes (font,
    height, underline, alignment, braces): the name was lost and the piece named after its
    layer (``0#2``). The label is used, not reported as skipped."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline(RECT, close=True)
    msp.add_text("POCKET", dxfattribs={"insert": (10, 40)})
    msp.add_lwpolyline([(x + 200, y) for x, y in RECT], close=True)
    msp.add_mtext(mtext, dxfattribs={"insert": (210, 40), "char_height": 5})
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((p.name, p.size, p.quantity, p.flipped) for p in pat.pieces)
    assert got == sorted([("POCKET", None, 1, None), want])
    assert not [s for s in pat.report.skipped if "texts" in str(s)]


def test_bare_name_beside_a_cut_label_kitcut_cannot_read(tmp_path):
    """A bare name beside a cut label kitcut does not read (Finnish ``Leikkaa 2``, Italian
    ``Taglia 2``, which may be a size) still names the piece: the piece was named after its
    layer. The label is reported as not used and 1 assumed; two names, or two texts with
    numbers, still name nothing."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    labels = [["SLEEVE", "Leikkaa 2"], ["Taglia 2", "CUFF"], ["Pocket 2", "Flap 3"],
              ["KES POCKET", "2 PIECE"]]
    for i, texts in enumerate(labels):
        x = i * 400
        msp.add_lwpolyline([(x, 0), (x + 300, 0), (x + 300, 200), (x, 200)], close=True)
        for k, t in enumerate(texts):
            msp.add_text(t, dxfattribs={"insert": (x + 50, 100 - 20 * k)})
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((float(p.outline[:, 0].min()), p.name, p.size, p.quantity, p.quantity_rule)
                 for p in pat.pieces)
    assert got == [(0.0, "SLEEVE", None, 1, "assumed"), (400.0, "CUFF", None, 1, "assumed"),
                   (800.0, "0#3", None, 1, "assumed"), (1200.0, "KES POCKET", None, 1, "assumed")]
    skipped = [str(s) for s in pat.report.skipped if "texts kitcut does not use" in str(s)]
    # Leikkaa 2, Taglia 2, Pocket 2, Flap 3, 2 PIECE
    assert len(skipped) == 1 and "5 TEXT on layer 0" in skipped[0]


@pytest.mark.parametrize("measurement, want", [(0, "in"), (1, "cm"), (None, "cm")])
def test_imperial_drawing_without_units_is_read_in_inches(tmp_path, measurement, want):
    """A 30 × 20 piece with no units declared is 30 cm or 30 in: a drawing that says it is
    imperial ($MEASUREMENT 0) is read in inches, any other in centimetres (reported)."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 0
    if measurement is None:
        del doc.header["$MEASUREMENT"]
    else:
        doc.header["$MEASUREMENT"] = measurement
    doc.modelspace().add_lwpolyline([(0, 0), (30, 0), (30, 20), (0, 20)], close=True)
    pat = read_pattern(save(doc, tmp_path))
    assert (pat.units_in, pat.units_rule) == (want, "size check")


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("measurement, want", [(0, "in"), (1, "cm"), (None, "cm")])
def test_imperial_aama_pattern_without_units_is_read_in_inches(tmp_path, measurement, want, fast):
    """The same in an AAMA file without a ``Units:`` text, through either reader: a 28 × 10
    front and a 7 × 4 cuff (a garment in inches, or a child's in cm) drawn in a header that
    says imperial are in inches, with the note naming ``$MEASUREMENT``."""
    doc = ezdxf.new("R2000")  # R12 has no $MEASUREMENT
    doc.modelspace().add_text("Style Name: TEST", dxfattribs={"layer": "1"})
    doc.header["$INSUNITS"] = 0
    if measurement is None:
        del doc.header["$MEASUREMENT"]
    else:
        doc.header["$MEASUREMENT"] = measurement
    add_piece(doc, "Front", [[(0, 0), (10, 0), (10, 28), (0, 28)]], closed=True, texts=["Piece Name: Front"])
    add_piece(doc, "Cuff", [[(0, 0), (7, 0), (7, 4), (0, 4)]], closed=True, texts=["Piece Name: Cuff"],
              insert=(20, 0))
    pat = read_dxf(save(doc, tmp_path), fast=fast)
    assert (pat.units_in, pat.units_rule) == (want, "size check")
    front = next(q for q in pat.pieces if q.name == "Front")
    height = float(front.outline[:, 1].max() - front.outline[:, 1].min())
    assert height == pytest.approx(28 * {"in": 25.4, "cm": 10.0}[want])
    notes = [str(w) for w in pat.report.warnings if "no units declared" in str(w)]
    assert len(notes) == 1 and ("$MEASUREMENT 0 (imperial)" in notes[0]) == (want == "in")


HALF = [(0, 0), (100, 0), (100, 50), (30, 50)]  # half a front: not symmetric


@pytest.mark.parametrize("fold", [False, True])
def test_on_fold_label_without_a_fold_line_is_reported(tmp_path, fold):
    """``Cut 1 on fold`` (Valentina/Seamly2D write the label so) gives the quantity and keeps the
    label; a piece so labelled with no fold line may be a half, nested as drawn: reported, in
    AAMA and plain files. With its fold line it is unfolded and nothing is said; a symmetric
    piece (drawn whole) is not reported."""
    doc = aama_doc()
    extra = (lambda b: b.add_line((100, 0), (100, 50), dxfattribs={"layer": "6"})) if fold else None
    add_piece(doc, "Front", [HALF], closed=True, texts=["A", "Front", "Cut 1 on fold", "Jersey"], extra=extra)
    add_piece(doc, "Yoke", [RECT], closed=True, texts=["Yoke", "Cut 1 on fold"], insert=(0, 200))
    pat = read_pattern(save(doc, tmp_path, "aama.dxf"))
    p, yoke = sorted(pat.pieces, key=lambda q: q.name)
    assert (p.name, p.quantity, p.annotations, p.unfolded) == ("Front", 1, ("Cut 1 on fold",), fold)
    assert (yoke.name, yoke.annotations, yoke.unfolded) == ("Yoke", ("Cut 1 on fold",), False)
    warned = [str(w) for w in pat.report.warnings if "no fold line is drawn" in str(w)]
    assert warned == ([] if fold else [
        "warning: piece 'Front': labelled 'Cut 1 on fold' but no fold line is drawn: nested as drawn; if it "
        "is a half, draw its fold line (AAMA layer 6, or a layer named FOLD; --layer NAME=fold names the "
        "layer it is on) or cut it on a folded spread"])

    plain = ezdxf.new("R2010")
    plain.header["$INSUNITS"] = 4
    msp = plain.modelspace()
    msp.add_lwpolyline(HALF, close=True)
    msp.add_text("Piece Name: BACK", dxfattribs={"insert": (40, 30), "height": 4})
    msp.add_text("PLACE ON FOLD", dxfattribs={"insert": (40, 10), "height": 4})
    if fold:
        msp.add_line((100, 0), (100, 50), dxfattribs={"layer": "FOLD"})
    pat = read_pattern(save(plain, tmp_path, "plain.dxf"))
    (p,) = pat.pieces
    assert (p.name, p.annotations, p.unfolded) == ("BACK", ("PLACE ON FOLD",), fold)
    assert any("labelled 'PLACE ON FOLD' but no fold line" in str(w) for w in pat.report.warnings) != fold


def test_pieces_of_one_size_sharing_a_name_are_told_apart(tmp_path):
    """Two different pieces labelled ``Pocket`` in one size are two pieces for the cutting room:
    the one drawn further right is ``Pocket#2`` (reported), and neither takes the other's
    Quantity text as the sizes of one name do. Over two sizes the names pair up size by size; an
    AAMA file whose blocks repeat a name is told apart the same way, past a name in use, and a
    copy of a piece (turned) keeps its name. Nothing is dropped."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for size, dy in (("S", 0), ("M", 300)):
        for i, (name, qty, w) in enumerate((("Front", None, 100), ("Pocket", "2", 40), ("Pocket", None, 60))):
            x = 200 * i
            msp.add_lwpolyline([(x, dy), (x + w, dy), (x + w, dy + 50), (x, dy + 50)], close=True)
            msp.add_text(f"Piece Name: {name}", dxfattribs={"insert": (x + 2, dy + 30), "height": 3})
            msp.add_text(f"Size: {size}", dxfattribs={"insert": (x + 2, dy + 20), "height": 3})
            if qty:
                msp.add_text(f"Quantity: {qty}", dxfattribs={"insert": (x + 2, dy + 10), "height": 3})
    pat = read_pattern(save(doc, tmp_path, "plain.dxf"))
    got = sorted((p.size, p.name, p.quantity, round(p.area)) for p in pat.pieces)
    assert got == [("M", "Front", 1, 5000), ("M", "Pocket", 2, 2000), ("M", "Pocket#2", 1, 3000),
                   ("S", "Front", 1, 5000), ("S", "Pocket", 2, 2000), ("S", "Pocket#2", 1, 3000)]
    told = sorted(str(w) for w in pat.report.warnings if "have this name" in str(w))
    assert told == [
        f"warning: piece 'Pocket': 2 different pieces of size {s} have this name: told apart as Pocket, "
        "Pocket#2 (name them apart in the CAD)" for s in ("M", "S")]
    assert not any("Quantity text only in" in str(w) for w in pat.report.warnings)

    doc = aama_doc()
    add_piece(doc, "A1", [RECT], closed=True, texts=["Piece Name: Cuff", "Quantity: 2"])
    add_piece(doc, "A2", [[(x * 2, y) for x, y in RECT]], closed=True, texts=["Piece Name: Cuff"],
              insert=(0, 200))
    add_piece(doc, "A3", [RECT], closed=True, texts=["Piece Name: Cuff#2"], insert=(0, 400))
    add_piece(doc, "A4", [RECT], closed=True, texts=["Piece Name: Cuff", "Quantity: 1"], insert=(500, 0),
              rotation=90)
    pat = read_pattern(save(doc, tmp_path, "aama.dxf"))
    got = sorted((p.name, p.quantity, round(p.area)) for p in pat.pieces)
    assert got == [("Cuff", 1, 5000), ("Cuff", 2, 5000), ("Cuff#2", 1, 5000), ("Cuff#3", 1, 10000)]


def test_two_pieces_of_one_name_in_a_sample_size_are_both_graded(tmp_path):
    """The bundled shirt's base size with its cuff renamed ``Collar`` (two different pieces of
    one name in the sample size): both are graded into every size of the .RUL, the second as
    ``Collar#2``. Before, grading took a name's pieces for its sizes and graded the first only:
    the other collar was missing from sizes S and L."""
    from conftest import SAMPLES

    text = (SAMPLES / "shirt-base.dxf").read_bytes().replace(b"Piece Name: Cuff", b"Piece Name: Collar")
    (tmp_path / "shirt.dxf").write_bytes(text)
    (tmp_path / "shirt.rul").write_bytes((SAMPLES / "shirt-base.rul").read_bytes())
    pat = read_pattern(tmp_path / "shirt.dxf")
    base = read_pattern(SAMPLES / "shirt-base.dxf")
    assert len(pat.pieces) == len(base.pieces)
    named = {"Cuff": "Collar", "Collar": "Collar#2"}
    want = sorted((named.get(p.name, p.name), p.size, round(p.area)) for p in base.pieces)
    assert sorted((p.name, p.size, round(p.area)) for p in pat.pieces) == want


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(st.sampled_from(["Pocket", "Cuff", "pocket", None]),
                          st.sampled_from(["S", "M", None]), st.integers(1, 3), st.integers(0, 3)),
                min_size=1, max_size=8))
def test_any_labels_keep_every_piece_and_name_each_apart(tmp_path_factory, drawn):
    """Any drawing of outlines (a few shapes, turned or not) under any labels, names repeated
    or missing, sized or not: every outline is a piece, each keeps its label as the start of
    its name, and within a size two pieces share a name only when they are copies of one shape."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for i, (name, size, shape, turn) in enumerate(drawn):
        w, h = 60 + 40 * shape, 50
        pts = [(0, 0), (w, 0), (w, h), (0, h)] if turn % 2 == 0 else [(0, 0), (h, 0), (h, w), (0, w)]
        x0 = 300 * i
        msp.add_lwpolyline([(x0 + x, y) for x, y in pts], close=True)
        if name:
            msp.add_text(f"Piece Name: {name}", dxfattribs={"insert": (x0 + 5, 30), "height": 3})
        if size:
            msp.add_text(f"Size: {size}", dxfattribs={"insert": (x0 + 5, 10), "height": 3})
    pat = read_pattern(save(doc, tmp_path_factory.mktemp("labels")))
    assert len(pat.pieces) == len(drawn)
    by_x = sorted(pat.pieces, key=lambda p: min(x for x, _ in p.outline))
    for p, (name, _, _, _) in zip(by_x, drawn, strict=True):
        if name:
            assert p.name == name or p.name.startswith(f"{name}#"), (p.name, name)
    for a in pat.pieces:
        for b in pat.pieces:
            if a is not b and a.name == b.name and (a.size or "") == (b.size or ""):
                assert abs(a.area - b.area) < 1e-6 * a.area, (a.name, a.size, a.area, b.area)


@pytest.mark.parametrize("mark", ["GRAIN", "Grainline", "CF", "C.B.", "Fadenlauf", "PLACE ON FOLD", "DF"])
def test_a_mark_s_word_beside_the_name_leaves_the_name(tmp_path, mark):
    """A plain piece labelled ``FRONT`` with ``GRAIN`` along its grain line (or ``CF`` along its
    centre front) had two bare words, so neither named it: it was cut as ``0#1``. The words
    written beside a mark are no names; alone they name nothing."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for x, texts in ((0, ("FRONT", mark)), (400, (mark,))):
        msp.add_lwpolyline([(x, 0), (x + 300, 0), (x + 300, 600), (x, 600)], close=True)
        for k, t in enumerate(texts):
            msp.add_text(t, dxfattribs={"insert": (x + 50, 300 - 40 * k), "height": 10})
    pat = read_pattern(save(doc, tmp_path))
    names = sorted(p.name for p in pat.pieces)
    assert "FRONT" in names and mark not in names and len(names) == 2


def test_names_written_under_the_pieces_name_them(tmp_path):
    """A layout as drawing programs lay out pieces (Illustrator, CorelDRAW): each piece's name
    and cut count written just under it, on the pieces' layer. The cut counts were used and the
    names not (the pieces were 0#1, 0#2...). A name within a quarter of its piece's length of
    it names it; a legend far from every piece names none, and neither do two names by one piece."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    rows = [("BACK", 0, ["BACK", "CUT 1"]), ("SLEEVE", 400, ["SLEEVE", "CUT 2"]),
            ("CUFF", 800, ["CUFF", "LINING", "CUT 2"])]
    for _, x, texts in rows:
        msp.add_lwpolyline([(x, 0), (x + 300, 0), (x + 300, 400), (x, 400)], close=True)
        for k, t in enumerate(texts):
            msp.add_text(t, dxfattribs={"insert": (x + 10, -30 - 15 * k), "height": 10})
    msp.add_text("Spring collection", dxfattribs={"insert": (0, -900), "height": 10})
    pat = read_pattern(save(doc, tmp_path))
    got = sorted((float(p.outline[:, 0].min()), p.name, p.quantity) for p in pat.pieces)
    assert [(n, q) for _, n, q in got] == [("BACK", 1), ("SLEEVE", 2), (got[2][1], 2)]
    assert got[2][1] not in ("CUFF", "LINING")  # two names by one piece: neither is taken


def test_texts_kitcut_does_not_read_are_named_by_their_keys(tmp_path):
    """A Lectra Modaris export's placement texts (`Rotation: 0`, `Flip:`, `Tilt: 180`) were
    counted as "texts kitcut does not use: 48 TEXT" without a word of what they say; a user could
    not see that placement rules were left out. The entry names their keys."""
    doc = aama_doc()
    for name in ("A01", "A02"):
        add_piece(doc, name, [RECT], closed=True,
                  texts=[f"Piece Name: {name}", "Size: 36", "Rotation: 0", "Flip: ", "Tilt: 180", "HELLO"])
    pat = read_pattern(save(doc, tmp_path))
    (entry,) = [e for e in pat.report.entries if e.message.startswith("texts kitcut does not use")]
    assert entry.message == ("texts kitcut does not use: 8 TEXT on layer 1 in 2 block(s), among them "
                             "Rotation:, Flip:, Tilt:")


def _square_with_notch_lines(path, lines, reverse=False):
    """A 400 x 400 mm AAMA piece (a block, cut line on layer 1) with notch LINEs on layer 4."""
    doc = ezdxf.new("R12")
    blk = doc.blocks.new("SQUARE")
    blk.add_polyline2d([(0, 0), (400, 0), (400, 400), (0, 400)], close=True, dxfattribs={"layer": "1"})
    blk.add_text("Piece Name: Square", dxfattribs={"layer": "1", "insert": (30, 50), "height": 2.5})
    for a, b in lines:
        blk.add_line(*((b, a) if reverse else (a, b)), dxfattribs={"layer": "4"})
    doc.modelspace().add_blockref("SQUARE", (0, 0), dxfattribs={"layer": "1"})
    doc.saveas(path)
    return path


@pytest.mark.parametrize("reverse", [False, True])
def test_a_u_notch_of_short_chords_is_one_notch(tmp_path, reverse):
    """Seamly2D draws a U notch as two 1.25 mm legs and a half circle of 12 chords of 0.3 mm, each
    a LINE: shorter than the 0.5 mm within which strokes are joined, the chords were joined by
    their far ends, and the U fell apart into 8 slits, 6 of them inside the piece (`nest export`
    then refused the marker). Each step now joins the nearest end."""
    import math

    cx, r = 200.0, 1.25
    lines = [((cx + r, 1.25), (cx + r, 0.0)), ((cx - r, 1.25), (cx - r, 0.0))]
    pts = [(cx + r * math.cos(math.pi * k / 12), 1.25 + r * math.sin(math.pi * k / 12)) for k in range(13)]
    lines += [(pts[k + 1], pts[k]) for k in range(12)]
    pat = read_pattern(_square_with_notch_lines(tmp_path / "u.dxf", lines, reverse), units="mm")
    (n,) = pat.pieces[0].notches
    assert (n.kind, round(n.x, 6), round(n.y, 6), round(n.depth, 6)) == ("u", 200.0, 0.0, 2.5)


def test_a_notch_line_beside_the_cut_line_is_moved_onto_it(tmp_path):
    """A notch LINE starting 1 mm inside the cut line was kept there (a point notch is moved onto
    it): `nest run` wrote the marker, and `nest export` refused it as a notch off its cut line."""
    from kitcut.kits.marker import nest_pattern
    from kitcut.kits.marker_check import check_marker
    from kitcut.model import Rules

    pat = read_pattern(_square_with_notch_lines(tmp_path / "n.dxf", [((200.0, 1.0), (200.0, 6.0))]),
                       units="mm")
    (n,) = pat.pieces[0].notches
    assert (round(n.x, 9), round(n.y, 9), round(n.depth, 9), round(n.angle_deg, 9)) == (200.0, 0.0, 6.0, 90.0)
    assert [e for e in pat.report.entries if "notch" in e.message and "moved" in e.message]
    marker = nest_pattern(pat, Rules(width=1500.0), time_limit=0.5, seed=1, workers=1)
    check_marker(marker)  # what nest export checks first


def test_an_open_line_on_the_cut_out_layer_is_said_to_be_no_cut_out(tmp_path):
    """TUKAcad puts a slit as one open LINE on layer 11: it was "cut-out is open (gap 106.318 mm >
    tolerance 0.1 mm)", the line's length given as a gap. It is said to be an open line, not cut."""
    doc = aama_doc()
    add_piece(doc, "BACK", [RECT], closed=True, texts=["Piece Name: Back"],
              extra=lambda blk: blk.add_line((20, 10), (20, 40), dxfattribs={"layer": "11"}))
    pat = read_pattern(save(doc, tmp_path))
    assert not pat.pieces[0].cutouts
    (said,) = [w.message for w in pat.report.warnings if "cut-out layer" in w.message]
    assert said.startswith("open line on the cut-out layer, 30.0 mm long (a slit?): a cut-out is a closed")


def test_a_notch_tick_drawn_outside_the_cut_line_cuts_into_the_piece(tmp_path):
    """A 3 mm tick drawn outward from 1.8 mm below the hem: once its end was moved onto the cut
    line, the notch cut outward, into what lies beside the piece on the marker (regression probe).
    A line notch pointing out of the piece cuts into it, as long as it is drawn."""
    pat = read_pattern(_square_with_notch_lines(tmp_path / "t.dxf", [((100.0, -1.8), (100.0, -4.8))]),
                       units="mm")
    (n,) = pat.pieces[0].notches
    assert (round(n.x, 9), round(n.y, 9), round(n.angle_deg, 9), round(n.depth, 9)) == (100.0, 0.0, 90.0, 3.0)


@pytest.mark.parametrize(("notes", "setting"), [
    ({"LEG": "横:7.0%，直:13.0%", "BELT": "横:7.0%，直:13.0%"}, "shrinkage_pct = [13, 7]"),
    ({"LEG": "横:7.0%，直:13.0%", "BELT": "横:9.0%，直:0.0%"}, "shrinkage_pct; the pieces differ"),
    ({"LEG": "Shrinkage 3 %"}, "shrinkage_pct)"),
    ({"LEG": "横:0.0%，直:0.0%", "BELT": "keep nap"}, None),
])
def test_shrinkage_in_annotations_is_said_not_applied(tmp_path, notes, setting):
    """ET CAD writes a piece's shrinkage into its annotation (``横:7.0%，直:13.0%``: across,
    along the grain). It was kept on the piece and shown nowhere, and a pattern exported
    unshrunk would be cut 13 % short along the leg. kitcut does not apply it (an export may be
    enlarged for it already): a headline warning names the pieces and the order's setting
    that would; 0 % and other annotations say nothing."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for i, (name, note) in enumerate(notes.items()):
        x = 400 * i
        msp.add_lwpolyline([(x, 0), (x + 300, 0), (x + 300, 200), (x, 200)], close=True)
        msp.add_mtext(f"Piece Name: {name}\\PAnnotation: {note}", dxfattribs={"insert": (x + 20, 150)})
    pat = read_pattern(save(doc, tmp_path))
    said = [e.message for e in pat.report.headlines if "shrinkage" in e.message]
    if setting is None:
        assert said == []
        return
    (text,) = said
    given = [n for n in notes.values() if "%" in n and any(c.isdigit() and c != "0" for c in n)]
    head = f"{len(given)} piece(s) give a shrinkage in their annotations ('LEG': {notes['LEG']}"
    assert text.startswith(head)
    assert "kitcut does not apply it and cuts the pieces as drawn" in text and setting in text


@pytest.mark.parametrize("note", ["横:7.0%，直:13.0%", "Shrinkage 3 %", "Schrumpf: 4%", "Shrinkage 0 %"])
@pytest.mark.parametrize("label", ["Piece Name: LEG", "LEG"])
def test_a_bare_shrinkage_text_inside_a_piece_is_its_annotation(tmp_path, note, label):
    """The shrinkage written as a text of its own inside the piece (no ``Annotation:`` key) was
    "skipped: texts kitcut does not use", without the headline warning the same text gets as an
    annotation (probe 39): a pattern exported unshrunk would be cut 13 % short along the leg
    without a word. It is the piece's annotation now; the piece keeps its name, 0 % says nothing."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    msp.add_lwpolyline([(0, 0), (300, 0), (300, 600), (0, 600)], close=True)
    for k, text in enumerate((label, "Quantity: 2", note)):
        msp.add_text(text, dxfattribs={"insert": (50, 300 - 30 * k), "height": 10})
    pat = read_pattern(save(doc, tmp_path))
    (piece,) = pat.pieces
    assert (piece.name, piece.quantity) == ("LEG", 2)
    said = [e.message for e in pat.report.headlines if "shrinkage" in e.message]
    if note.startswith("Shrinkage 0"):
        assert said == [] and piece.annotations == ()
        return
    assert piece.annotations == (note,)
    assert said == [f"1 piece(s) give a shrinkage in their annotations ('LEG': {note}): kitcut does not "
                    "apply it and cuts the pieces as drawn; if the pattern is not already enlarged for it, "
                    "cut it through an order whose fabric says so ("
                    + ("shrinkage_pct = [13, 7])" if "横" in note else "shrinkage_pct)")]
    assert not [e for e in pat.report.skipped if "texts kitcut does not use" in e.message]


def test_bare_plus_sizes_size_their_pieces(tmp_path):
    """2XL and 3XL start with a digit, so they never reached the bare texts: in a drawing of
    sizes S to 3XL, `--sizes M` cut the unsized 2XL and 3XL pieces with the M ones, without a
    word, and `--sizes 3XL` was refused."""
    doc = ezdxf.new("R2010")
    doc.header["$INSUNITS"] = 4
    msp = doc.modelspace()
    for i, size in enumerate(("S", "M", "2XL", "3XL")):
        x = 400 * i
        msp.add_lwpolyline([(x, 0), (x + 300 + 10 * i, 0), (x + 300 + 10 * i, 200), (x, 200)], close=True)
        msp.add_text("FRONT", dxfattribs={"insert": (x + 50, 100)})
        msp.add_text(size, dxfattribs={"insert": (x + 50, 80)})
    path = save(doc, tmp_path)
    assert sorted(p.size for p in read_pattern(path).pieces) == ["2XL", "3XL", "M", "S"]
    assert [p.size for p in read_pattern(path, sizes=["3XL"]).pieces if p.size] == ["3XL"]
