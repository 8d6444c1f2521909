"""Piece labels lie on their pieces in the pen and print files: the text box a plotter draws
(0.75 h a character long, h high, centred on the label point along the grain) inside the
piece's outline, so the pen never writes across a cut line, over the next piece or before the
start of the marker (real exports: a label of ``simple.DXF`` size 36 started at x = -28 mm).

The cutter and pen files (``plt``, ``hpgl``, ``pen.plt``) are read back by an HP-GL reader of the
tests (:func:`export_checks.hpgl_labels`): each label's box as written (``SI`` height, ``DI``
direction, 0.75 h a character of the text after ``LB``) must lie on its piece and at no
negative coordinate, whatever the name: in Chinese or Cyrillic (written transliterated, up to
twice as long), or a kit's ``order/garment/piece (size)`` on a small piece (shortened)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from conftest import DXF_DIR, SAMPLES
from export_checks import hpgl_coordinates, hpgl_labels
from shapely.geometry import Polygon

from kitcut.formats.layout.page import build_sheet
from kitcut.formats.writing.export import render
from kitcut.kits.marker import nest_pattern
from kitcut.kits.quantities import load_pattern
from kitcut.model import Marker, Piece, Placement, Rules

JOBS = [("simple.DXF", "36"), ("annotation.DXF", "50"), ("mirrored.DXF", "50"), ("GMX1016S18_AAMA.DXF", "42"),
        ("optitex25_basic-tee_plain-dxf_cm.dxf", "XS")]


def _box(t) -> Polygon:
    """The box of the label ``t``: 0.75 h a character along its direction, h high."""
    a = math.radians(t.angle_deg)
    d, n = np.array([math.cos(a), math.sin(a)]), np.array([-math.sin(a), math.cos(a)])
    c = np.array([t.x, t.y])
    w, h = 0.5 * 0.75 * t.height * max(len(t.text), 1), 0.5 * t.height
    return Polygon([c - d * w - n * h, c + d * w - n * h, c + d * w + n * h, c - d * w + n * h])


def _boxes_outside(marker) -> list[str]:
    bad = []
    for pp in build_sheet(marker).pieces:
        t = pp.label
        box = _box(t)
        piece = Polygon(pp.outline, [np.asarray(c) for c in pp.cutouts]).buffer(0)  # less its cut-outs
        if not piece.buffer(1e-6).contains(box):
            bad.append(f"{t.text}: label {t.height:.1f} mm high runs off its piece")
        if box.bounds[0] < -1e-6:
            bad.append(f"{t.text}: label starts before the marker (x = {box.bounds[0]:.1f})")
    return bad


@pytest.mark.parametrize(("name", "size"), JOBS)
def test_labels_lie_on_their_pieces_in_real_markers(name, size):
    """... and beside their grain lines (:func:`_struck`: 18 of 43 struck through, probe 25)."""
    if not (DXF_DIR / name).is_file():
        pytest.skip(f"shared data not present: {DXF_DIR / name}")
    pattern = load_pattern(DXF_DIR / name, sizes={size: 1}, quantities={"*": (1, None)}, repair=True)
    marker = nest_pattern(pattern, Rules(width=1500.0, spacing=2.0), time_limit=60.0, seed=1, workers=1,
                          max_iterations=0)
    assert _boxes_outside(marker) == [] and _struck(marker) == []


def test_labels_lie_on_their_pieces_in_the_sample():
    pattern = load_pattern(SAMPLES / "tee.dxf", sizes={"S": 1})
    marker = nest_pattern(pattern, Rules(width=1500.0, spacing=2.0), time_limit=60.0, seed=1, workers=1,
                          max_iterations=0)
    assert _boxes_outside(marker) == []


PEN_FORMATS = ("plt", "hpgl", "pen.plt")


def _stacked(pieces: list[Piece], name: str) -> Marker:
    """``pieces`` one above the other at x = 0, the start of the marker: a label that starts
    before its piece starts before the marker."""
    places, y = [], 0.0
    for i, p in enumerate(pieces):
        places.append(Placement(i, 0, 0.0, False, (0.0, y - p.bounds[1])))
        y += p.height + 20.0
    length = max(p.width for p in pieces)
    return Marker(tuple(pieces), Rules(width=y), tuple(places), length=length, name=name)


def _pen_labels_off(marker: Marker, fmt: str) -> tuple[list[str], dict[int, str]]:
    """The labels of ``fmt`` read back whose box is not on its piece or at a negative coordinate
    (the pen plot's title excepted: it lies in the frame), and the others' texts by placement."""
    text = render(marker, fmt)
    outlines = [Polygon(pl.apply(marker.pieces[pl.piece].outline),  # less its cut-outs: cut away
                        [pl.apply(np.asarray(c)) for c in marker.pieces[pl.piece].cutouts])
                for pl in marker.placements]
    bad, written = [], {}
    assert hpgl_coordinates(text).min() >= 0, f"{fmt}: a coordinate before the marker or the selvedge"
    for label, box in hpgl_labels(text):
        if label.startswith(marker.name):
            continue
        x0, y0, x1, y1 = box.bounds
        on = [i for i, o in enumerate(outlines) if o.contains(box.centroid)]
        if min(x0, y0) < -0.05:
            bad.append(f"{fmt}: {label!r} starts at ({x0:.1f}, {y0:.1f}), before the marker or the selvedge")
        elif len(on) != 1 or not outlines[on[0]].buffer(0.1).contains(box):
            off = 1 - (box.intersection(outlines[on[0]]).area / box.area if on else 0.0)
            bad.append(f"{fmt}: {label!r} ({x1 - x0:.1f} x {y1 - y0:.1f} mm) is {100 * off:.0f} % off its "
                       "piece")
        else:
            written[on[0]] = label
    return bad, written


@pytest.mark.parametrize("fmt", PEN_FORMATS)
def test_pen_labels_of_chinese_and_cyrillic_names_lie_on_their_pieces(fmt):
    """``后袖片 (52)`` is written ``HouXiuPian (52)`` (15 characters, not 8) and ``Щиток (52)`` as
    ``Shchitok (52)``; the label was sized for the name as it is, so the written text ran off its
    piece and before the start of the marker (``marker.plt`` of a GBK-named tee: the pen at
    x = -12 mm). Now each label is sized for the text it writes."""
    sleeve = Piece("后袖片", np.array([(0, 0), (200, 0), (200, 200), (0, 200)]), size="52")
    placket = Piece("Щиток", np.array([(0, 0), (300, 0), (0, 100)]), size="52")
    marker = _stacked([sleeve, placket], "labels in other scripts")
    bad, written = _pen_labels_off(marker, fmt)
    assert bad == []
    assert written == {0: "HouXiuPian (52)", 1: "Shchitok (52)"}


def _honest(written: str, full: str) -> bool:
    """``written`` is ``full``, or the piece's label at its end (``Back (M)`` of ``A-1042/tee/Back
    (M)``), or either with characters left out where it says ``...``."""
    pattern = ".*".join(re.escape(part) for part in written.split("..."))
    return any(re.fullmatch(pattern, t) for t in (full, full.rpartition("/")[2]))


def test_kit_labels_on_small_pieces_are_shortened_onto_them():
    """In a kit a piece is named ``order/garment/piece`` and its label is that and the size, up to
    80 characters: at the 1 mm floor the label still did not fit a small piece and was written
    whole, up to half of it off the piece and before the start of the marker. Now it is shortened
    to what fits at the floor, the piece's name and size kept first (``A-1042 Sommer.../Neckband
    binding (Medium)``, ``A-.../Tab (Medium)``), then the size (``Hang... (Medium)``); on the print
    files too (the labels of the sheet)."""
    qual = "A-1042 Sommerkollektion/Basic tee organic cotton jersey (GOTS)/"
    band = Piece(qual + "Neckband binding", np.array([(0, 0), (45, 0), (45, 10), (0, 10)]), size="Medium")
    tab = Piece(qual + "Tab", np.array([(0, 0), (14, 0), (14, 6), (0, 6)]), size="Medium")
    loop = Piece(qual + "Hanger loop", np.array([(0, 0), (12, 0), (12, 3), (0, 3)]), size="Medium")
    marker = _stacked([band, tab, loop], "kit labels")
    assert _boxes_outside(marker) == []
    for fmt in PEN_FORMATS:
        bad, written = _pen_labels_off(marker, fmt)
        assert bad == []
        assert sorted(written) == [0, 1, 2], written
        for i, label in written.items():
            full = marker.pieces[i].label
            assert len(label) < len(full) and _honest(label, full), (label, full)
        assert written[0].endswith(".../Neckband binding (Medium)"), written
        assert written[1].endswith(".../Tab (Medium)"), written
        assert written[2].startswith("Ha") and written[2].endswith("... (Medium)"), written


@pytest.mark.parametrize("fmt", [*PEN_FORMATS, "sheet"])
def test_labels_keep_off_their_pieces_cut_outs(fmt):
    """A piece's label was put at the point farthest from its cut line, whatever lay there: over
    a 50 mm hole in the middle of a back (23 % of the label), and wholly inside the 400 mm hole
    of a 500 mm frame, cut away with it. The label keeps off the cut-outs, as off the cut line."""
    turns = np.radians(np.arange(8) * 45.0)
    octagon = np.array([(150 + 25 * math.cos(a), 150 + 25 * math.sin(a)) for a in turns])
    back = Piece("Back", np.array([(0, 0), (300, 0), (300, 300), (0, 300)]), cutouts=(octagon,))
    frame = Piece("Frame", np.array([(0, 0), (500, 0), (500, 500), (0, 500)]),
                  cutouts=(np.array([(50, 50), (450, 50), (450, 450), (50, 450)]),))
    marker = _stacked([back, frame], "holes")
    if fmt == "sheet":
        assert _boxes_outside(marker) == []
        return
    bad, written = _pen_labels_off(marker, fmt)
    assert bad == [] and set(written) == {0, 1}


def test_the_pen_plot_title_writes_over_no_piece():
    """The pen plot's title went along the first selvedge inside the frame: with no margin, over
    the piece placed at the marker's start (227 mm² of it). It goes along the other selvedge when
    that is clear, and is left out when neither is."""
    pieces = [Piece("Front", np.array([(0, 0), (400, 0), (400, 300), (0, 300)])),
              Piece("Back", np.array([(0, 0), (400, 0), (400, 300), (0, 300)]))]
    clear = _stacked(pieces[:1], "one")  # a 320 mm wide strip: the far selvedge is clear
    both = (Placement(0, 0, 0.0, False, (0.0, 0.0)), Placement(1, 0, 0.0, False, (0.0, 300.0)))
    full = Marker(tuple(pieces), Rules(width=600.0), both, length=400.0, name="two")  # both selvedges covered
    for marker, has_title in ((clear, True), (full, False)):
        text = render(marker, "pen.plt")
        titles = [box for label, box in hpgl_labels(text) if label.startswith(marker.name)]
        assert len(titles) == int(has_title)
        outlines = [Polygon(pl.apply(marker.pieces[pl.piece].outline)) for pl in marker.placements]
        assert not any(o.intersects(box) for o in outlines for box in titles)


def test_a_strip_cut_across_its_grain_is_labelled_along_its_length():
    """A 402 x 40 mm strip whose grain runs across it had its label written along the grain,
    across the 40 mm: 1.3 mm high, unreadable. A label less than 3 mm high goes along the
    strip's length when it is higher so, whole, and on the piece."""
    from kitcut.model import Line

    strip = Piece("AMX1CO-COF22_selffabri", np.array([(0, 0), (402, 0), (402, 40), (0, 40)]), size="A36",
                  grain=Line(np.array([(200, 5), (200, 35)])))
    marker = _stacked([strip], "strip")
    (pp,) = build_sheet(marker).pieces
    assert pp.label.text == "AMX1CO-COF22_selffabri (A36)" and pp.label.height >= 3.0
    assert abs(pp.label.angle_deg) < 1e-6  # along the strip
    assert _boxes_outside(marker) == []


def _struck(marker) -> list[str]:
    """The labels of ``marker``'s sheet whose box (:data:`CHAR_CELL` h a character, h high) the
    piece's grain line crosses."""
    from shapely.geometry import LineString

    return [pp.label.text for pp in build_sheet(marker).pieces
            if pp.grain and _box(pp.label).intersects(LineString(pp.grain[0].points))]


def test_a_label_lies_beside_the_grain_line_where_the_piece_has_room():
    """Label and grain line both go through a piece's middle: every label of a real AccuMark
    marker was struck through by its grain line, on every print (probe 25). The label now lies
    beside it, on the piece; a strip with no room beside it keeps its label on the line."""
    from kitcut.model import Line

    body = Piece("Body", np.array([(0, 0), (400, 0), (400, 250), (0, 250)]), size="M",
                 grain=Line(np.array([(40, 125), (360, 125)])))
    strip = Piece("Strip", np.array([(0, 0), (400, 0), (400, 2), (0, 2)]), size="M",  # a 2 mm cord
                  grain=Line(np.array([(40, 1), (360, 1)])))
    marker = _stacked([body, strip], "grain")
    assert _struck(marker) == ["Strip (M)"]
    assert _boxes_outside(marker) == []
    label = build_sheet(marker).pieces[0].label
    assert label.x == pytest.approx(200) and abs(label.y - 125) >= label.height / 2
