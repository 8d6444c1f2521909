"""Names in Chinese and Japanese through every output: SVG (parsed back as XML), the PDFs (text
extracted by pypdf), labels and kit reports, and the cutter files, where they must arrive as
inert printable ASCII. Orders carry a per-garment ``encoding``."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from encoded_dxf import aama_file
from fuzz.runner import check_outcome, run_cli
from marker_factory import rect_piece_marker
from pypdf import PdfReader
from test_kits_fakes import FAKE_NESTER, FAKE_READER

from kitcut.errors import OrderError
from kitcut.formats.layout import pdf_fonts
from kitcut.formats.writing.export import write_file
from kitcut.kits.kit import KitOptions, build_kit
from kitcut.kits.order import load_order
from kitcut.kits.plan import plan_order

NAMES = ["前片", "後片", "前身頃", "Ärmel"]
HOSTILE = "袖；PU0,0；\x1bE（x）"  # full-width ; and ( ) transliterate to command characters

needs_font = pytest.mark.skipif(pdf_fonts.cjk_font() is None,
                                reason="no font with CJK glyphs (apt-get install fonts-wqy-microhei)")

#: the tests that point KITCUT_CJK_FONT at no font do so on purpose: that it is said is checked once
pytestmark = pytest.mark.filterwarnings("ignore:KITCUT_CJK_FONT=.*no font fpdf2 can read:UserWarning")


@pytest.fixture(scope="module")
def marker():
    return rect_piece_marker([*NAMES, HOSTILE], name="款式 A")


def _pdf_text(path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def test_svg_keeps_the_names(marker, tmp_path):
    path = write_file(marker, tmp_path / "m.svg")
    root = ET.parse(path).getroot()  # an XML parser reads it back (UTF-8)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    labels = [t.text for t in root.iterfind(".//svg:text[@class='label']", ns)]
    shown = HOSTILE.replace("\x1b", "\ufffd")  # XML cannot hold ESC: shown as U+FFFD, the file stays valid
    assert sorted(labels) == sorted(f"{n} (M)" for n in [*NAMES, shown])
    assert root.find("svg:title", ns).text == "款式 A"


@needs_font
@pytest.mark.parametrize("fmt", ["pdf", "print.pdf", "tiled.pdf"])
def test_pdfs_show_the_names(marker, tmp_path, fmt):
    path = write_file(marker, tmp_path / f"m.{fmt}")
    text = _pdf_text(path)
    for n in NAMES:
        assert f"{n} (M)" in text, (fmt, text[:300])
    assert "款式 A" in text or fmt == "print.pdf"


@needs_font
def test_report_pdf_title(marker, tmp_path):
    text = _pdf_text(write_file(marker, tmp_path / "m.report.pdf"))
    assert "Marker report: 款式 A" in text


def test_latin_pdfs_embed_no_font(tmp_path):
    """The CJK font is added only when a text needs it: a Latin-1 marker PDF stays small."""
    m = rect_piece_marker(["Front", "Ärmel"], name="tee")
    data = write_file(m, tmp_path / "m.pdf").read_bytes()
    assert b"/FontFile2" not in data and b"FontFile" not in data
    if pdf_fonts.cjk_font() is not None:
        cjk = write_file(rect_piece_marker(["前片"], name="tee"), tmp_path / "c.pdf").read_bytes()
        assert b"/FontFile2" in cjk and len(cjk) < len(data) + 40_000  # a subset of the glyphs used


def test_without_a_cjk_font_names_are_transliterated_with_a_note(marker, tmp_path, monkeypatch):
    monkeypatch.setenv(pdf_fonts.ENV, str(tmp_path / "no-such-font.ttf"))
    monkeypatch.setattr(pdf_fonts, "FALLBACK_CANDIDATES", ())  # nor any other font with CJK glyphs
    assert pdf_fonts.cjk_font() is None
    pdf_fonts._warn_once.cache_clear()
    with pytest.warns(UserWarning, match="no font with CJK glyphs"):
        text = _pdf_text(write_file(marker, tmp_path / "m.pdf"))
    assert "QianPian (M)" in text and "HouPian (M)" in text
    assert "Ärmel (M)" in text and "Armel (M)" not in text  # Latin-1 needs no other font
    assert "no font with CJK glyphs found" in text  # the visible note


WORLD = ["Thân trước", "חזית", "أمامي", "Front 👕", "袖子㐀", "后片𠮷"]
needs_fallbacks = pytest.mark.skipif(
    pdf_fonts.cjk_font() is None or not all(Path(f"/usr/share/fonts/truetype/{p}").is_file() for p in (
        "dejavu/DejaVuSans.ttf", "ancient-scripts/Symbola_hint.ttf", "hanazono/HanaMinA.ttf",
        "hanazono/HanaMinB.ttf")),
    reason="fallback fonts not installed (.ci/system-deps: fonts-dejavu-core fonts-symbola fonts-hanazono)")


@needs_fallbacks
def test_each_character_is_drawn_in_a_font_that_has_it(tmp_path):
    """Before, every text outside Latin-1 was drawn in the CJK font, and what it lacked was
    transliterated without a word: Arabic 'أمامي (وسط)' became "'mamy (wst)", Hebrew, emoji and
    rare CJK (㐀 𠮷) likewise, and a Vietnamese name decomposed (NFD) lost its tone marks. Texts
    are now drawn in NFC, each run of characters in the first font that has them; what no font
    has is transliterated with a note naming the text, in the PDF and on stderr."""
    import unicodedata

    names = [unicodedata.normalize("NFD", WORLD[0]), *WORLD[1:]]
    pdf_fonts._warn_once.cache_clear()
    with pytest.warns(UserWarning, match="kitcut's PDFs do not draw right-to-left text"):
        text = _pdf_text(write_file(rect_piece_marker(names, name="world"), tmp_path / "m.pdf"))
    for n in (WORLD[0], "Front 👕", "袖子㐀", "后片𠮷"):
        assert f"{n} (M)" in text, text
    # right-to-left scripts: drawn left to right without shaping they would read reversed and
    # unjoined; transliterated, with the note
    from anyascii import anyascii

    for n in WORLD[1:3]:
        assert not set(n) & set(text) and f"{anyascii(n)} (M)" in text, text
    assert ("kitcut's PDFs do not draw right-to-left text (Hebrew, Arabic) nor scripts that need shaping "
            "(Thai, Devanagari...); 2 text(s) transliterated in this PDF: 'hzyt (M)'") in text
    pdf_fonts._warn_once.cache_clear()
    said = "1 text(s) transliterated in a PDF: 'Tab \U0001fae8 (M)' as 'Tab :shaking_face: (M)'"
    with pytest.warns(UserWarning, match=re.escape(said)):
        marker = rect_piece_marker(["Tab \U0001fae8", "Front 👕"], name="w")
        text = _pdf_text(write_file(marker, tmp_path / "n.pdf"))
    assert "Front 👕 (M)" in text and "Tab :shaking_face: (M)" in text
    assert ("no font on this system has glyphs for some characters (install fonts-dejavu-core, "
            "fonts-symbola, fonts-hanazono); 1 text(s) transliterated in this PDF: "
            "'Tab :shaking_face: (M)'") in text


def test_scripts_that_need_shaping_are_transliterated_a_word_at_a_time(tmp_path):
    """Thai and Devanagari drawn a character at a time lose their marks (no font found had Thai's:
    ``ตัวหน้า`` came out ``ตaวหน?า``, half Thai, half Latin, and the note named yet another
    text); they are transliterated a word at a time, as right-to-left text is, and said."""
    pdf_fonts._warn_once.cache_clear()
    with pytest.warns(UserWarning, match="nor scripts that need shaping"):
        text = _pdf_text(write_file(rect_piece_marker(["ตัวหน้า", "अस्तिन", "Front"], name="th"),
                                    tmp_path / "m.pdf"))
    assert "tawhna (M)" in text and "astin (M)" in text and "Front (M)" in text
    assert not any(0x0E00 <= ord(c) <= 0x0E7F or 0x0900 <= ord(c) <= 0x097F for c in text), text
    assert ("nor scripts that need shaping (Thai, Devanagari...); 2 text(s) transliterated in this PDF: "
            "'tawhna (M)'; 'astin (M)'") in text


def test_a_font_fpdf2_cannot_read_is_not_used(tmp_path, monkeypatch):
    bad = tmp_path / "broken.ttf"
    bad.write_bytes(b"not a font")
    monkeypatch.setenv(pdf_fonts.ENV, str(bad))
    assert pdf_fonts.cjk_font() is None


def test_cutter_files_carry_inert_ascii(marker, tmp_path):
    on_1300 = replace(marker, rules=replace(marker.rules, width=1300.0))  # the G-code table's media
    for fmt in ("plt", "pen.plt", "nc", "gcode"):
        data = write_file(on_1300 if fmt == "gcode" else marker, tmp_path / f"m.{fmt}").read_bytes()
        assert data.isascii() and b"\x1b" not in data, fmt
    pen = (tmp_path / "m.pen.plt").read_text()
    labels = re.findall(r"LB([^\x03]*)\x03", pen)
    assert {"QianPian (M)", "HouPian (M)", "QianShenQing (M)", "Armel (M)"} <= set(labels)
    for lb in labels:
        assert all(32 <= ord(c) < 127 for c in lb) and ";" not in lb, lb
    assert any(lb.startswith("Xiu?PU0,0?") for lb in labels), labels
    commands = re.sub(r"LB[^\x03]*\x03", "LB", pen)
    assert "Xiu" not in commands and "PD99" not in commands  # nothing of the name outside its label
    for line in (tmp_path / "m.gcode").read_text().splitlines():
        assert all(32 <= ord(c) < 127 for c in line) and ";" not in line, line
        if "(" in line:
            assert line.count("(") == 1 and line.endswith(")"), line
    assert "(piece 1: QianPian _M_)" in (tmp_path / "m.gcode").read_text()
    nc = (tmp_path / "m.nc").read_text()
    assert re.fullmatch(r"[A-Z0-9\-*]+", nc), nc[:200]  # Gerber NC writes no labels at all


def test_marker_dxf_keeps_the_names(marker, tmp_path):
    from ezdxf import recover

    path = write_file(marker, tmp_path / "m.dxf")
    assert path.read_bytes().isascii()  # R12: every other character as a \U+ escape
    doc, _ = recover.readfile(path)  # the recovering reader decodes the escapes
    texts = {e.dxf.text for b in doc.blocks for e in b if e.dxftype() == "TEXT"}
    assert {f"Piece Name: {n}" for n in NAMES} <= texts
    assert {b.name for b in doc.blocks if not b.name.startswith("*")} >= {"QianPian_M", "HouPian_M"}


# -- orders and kits ------------------------------------------------------------------------------

ORDER = """[order]
id = "C-1"
customer = "上海制衣"
[[garments]]
pattern = "etcad.dxf"
sizes = {{ M = 1 }}
{encoding}
[[fabrics]]
name = "平纹"
width_mm = 1500
"""


def _order(folder: Path, encoding_line: str) -> Path:
    folder.mkdir(exist_ok=True)
    aama_file(folder / "etcad.dxf", ["前片", "后片"], "gbk", header=False)  # two names: too short to detect
    path = folder / "c.toml"
    path.write_text(ORDER.format(encoding=encoding_line), encoding="utf-8")
    return path


def test_order_encoding_reaches_the_reader(tmp_path):
    plan = plan_order(load_order(_order(tmp_path / "o", 'encoding = "GBK"')))
    pattern = plan.patterns["etcad"]
    assert [p.name for p in pattern.pieces] == ["前片", "后片"]
    assert (pattern.encoding.name, pattern.encoding.rule) == ("gbk", "forced")
    assert [p.name for p in plan.fabrics[0].pattern.pieces] == ["C-1/etcad/前片", "C-1/etcad/后片"]


@pytest.mark.parametrize("line, words", [
    ('encoding = "klingon"', "garments[0].encoding: unknown text encoding"),
    ('encoding = "utf-16"', "garments[0].encoding: 'utf-16' cannot be"),
    ("encoding = 936", "garments[0].encoding: must be a non-empty string"),
])
def test_order_encoding_is_checked(tmp_path, line, words):
    with pytest.raises(OrderError, match=re.escape(words)) as exc:
        load_order(_order(tmp_path / "o", line))
    assert "c.toml" in str(exc.value)


def _kit(tmp_path) -> Path:
    folder = tmp_path / "o"
    folder.mkdir()
    (folder / "p.json").write_text(json.dumps({"style": "上衣", "pieces": [
        {"name": n, "size": "M", "quantity": 1, "outline": [[0, 0], [300, 0], [300, 200], [0, 200]]}
        for n in ("前片", "後片")]}), encoding="utf-8")
    order = folder / "c.toml"
    order.write_text(ORDER.format(encoding="").replace("etcad.dxf", "p.json"), encoding="utf-8")
    opts = KitOptions(time_limit=1, nester=FAKE_NESTER, reader=FAKE_READER, formats=())
    return Path(build_kit(order, tmp_path / "K", opts).path)


@needs_font
def test_kit_labels_and_report_show_the_names(tmp_path):
    kit = _kit(tmp_path)
    labels = PdfReader(kit / "labels.pdf")
    assert len(labels.pages) == 1  # two labels, no note page
    text = labels.pages[0].extract_text()
    assert "前片" in text and "後片" in text and "平纹" in text
    report = _pdf_text(kit / "kit.pdf")
    assert "上海制衣" in report and "平纹" in report


def test_kit_without_a_cjk_font_keeps_every_label(tmp_path, monkeypatch):
    monkeypatch.setenv(pdf_fonts.ENV, str(tmp_path / "missing.ttc"))
    monkeypatch.setattr(pdf_fonts, "FALLBACK_CANDIDATES", ())
    pdf_fonts._warn_once.cache_clear()
    with pytest.warns(UserWarning, match="no font with CJK glyphs found"):  # the note on stderr too
        kit = _kit(tmp_path)
    labels = PdfReader(kit / "labels.pdf")
    assert len(labels.pages) == 2  # the labels, then the note on a page of its own
    first = labels.pages[0].extract_text()
    assert "QianPian" in first and "HouPian" in first and "PingWen" in first
    assert "no font with CJK glyphs found" in labels.pages[1].extract_text()
    report = _pdf_text(kit / "kit.pdf")
    assert "ShangHaiZhiYi" in report and "no font with CJK glyphs found" in report


def test_run_reports_the_encoding(tmp_path):
    path = aama_file(tmp_path / "g.dxf", ["前片", "后片"], "gbk", header=False)
    o = run_cli(["run", str(path), "-q", "-t", "1", "--workers", "1", "--seed", "1", "--iterations", "20",
                 "--encoding", "gbk", "--json", "-o", str(tmp_path / "out")], timeout=90)
    assert check_outcome(o) == "ok", o.stderr
    res = json.loads(o.stdout)
    assert (res["encoding"], res["encoding_rule"]) == ("gbk", "forced")
    m = json.loads((tmp_path / "out" / "marker.json").read_text(encoding="utf-8"))
    assert {p["name"] for p in m["instance"]["pieces"]} == {"前片", "后片"}
    o = run_cli(["run", str(path), "-q", "--encoding", "nope"])
    assert o.code == 2 and "'--encoding'" in o.stderr


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_without_a_cjk_font_a_label_is_sized_for_the_text_drawn(tmp_path, monkeypatch):
    """Without a CJK font a PDF draws ``后袖片…`` as ``HouXiuPian…``, three times as long; the label
    was sized for the name as written, and its words ran 34 mm along a 30 mm strip, over both
    ends. It is now sized (and shortened) for the text drawn, as the HP-GL label is: read back
    by pdftotext, the label's words lie within the strip's length."""
    import subprocess

    from marker_factory import shelf_marker

    from kitcut.model import Line, Piece

    monkeypatch.setenv(pdf_fonts.ENV, str(tmp_path / "no-such-font.ttf"))
    monkeypatch.setattr(pdf_fonts, "FALLBACK_CANDIDATES", ())
    pdf_fonts._warn_once.cache_clear()
    strip = Piece("后袖片" * 4, np.array([(0, 0), (30, 0), (30, 12), (0, 12)]), size="M",
                  grain=Line(np.array([(3, 6), (27, 6)])))
    with pytest.warns(UserWarning, match="no font with CJK glyphs"):
        path = write_file(shelf_marker((strip,), [(0, 0, 0, False)], name="strip"), tmp_path / "m.pdf")
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                       html)
    label = [(float(a), float(b)) for a, b, w in words if "Hou" in w or w == "(M)"]
    assert label and any(w.startswith("Hou") for _, _, w in words)
    span = max(b for _, b in label) - min(a for a, _ in label)
    assert 0 < span <= 30 / 25.4 * 72, span  # within the strip's 30 mm


def test_a_cjk_font_setting_that_names_no_font_is_said(tmp_path, monkeypatch):
    """``KITCUT_CJK_FONT`` pointing at a missing file was passed over without a word."""
    monkeypatch.setenv(pdf_fonts.ENV, str(tmp_path / "gone.ttf"))
    pdf_fonts._warn_once.cache_clear()
    with pytest.warns(UserWarning, match=r"KITCUT_CJK_FONT=.*gone\.ttf: no font fpdf2 can read there"):
        assert pdf_fonts.cjk_font() is None


def test_the_transliteration_note_quotes_texts_as_they_are():
    """A remark holding both quotes (``e.g. 'Piece Name: חזית'; give ... = "NAME"``) was named in
    the note by its repr, ``\\'Piece Name: hzyt\\'`` on paper (probe 25)."""
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    pdf.add_page()
    pdf_fonts.use_font(pdf, "e.g. 'Piece Name: חזית'; give encoding = \"NAME\"", "", 9)
    note = pdf_fonts.font_note(pdf)
    assert "\\" not in note and note.endswith("transliterated in this PDF: 'e.g. 'Piece Name: hzyt'; give "
                                              "encoding = \"NAME\"'")


def test_invisible_and_separator_characters_in_a_pdf(tmp_path, recwarn):
    """A right-to-left mark after a name copied from Hebrew (U+200F) was drawn as ``?`` and the
    name said transliterated, with advice to install fonts that were installed; a line separator
    (U+2028) was handed to fpdf2, whose own warning reached stderr, and drawn as nothing
    (``Frontleft``). Marks that draw nothing are left out, separators are spaces, and a
    noncharacter (U+FFFF) is a ``?`` without advice: no font has it."""
    assert pdf_fonts._shown("Back\u200f") == ("Back", [], False)
    assert pdf_fonts._shown("Front\u2028left 前")[0] == "Front left 前"
    assert pdf_fonts._shown("Cuff\uffff 前")[0] == "Cuff? 前" and not pdf_fonts._shown("Cuff\uffff 前")[2]
    pdf_fonts._warn_once.cache_clear()
    text = _pdf_text(write_file(rect_piece_marker(["Back\u200f", "Front\u2028left", "Cuff\uffff"], name="x"),
                                tmp_path / "m.pdf"))
    assert "Back (M)" in text and "Front left (M)" in text and "Cuff? (M)" in text
    assert "transliterated" not in text and not [w for w in recwarn if "glyph" in str(w.message).lower()
                                                 or "transliterated" in str(w.message)]
