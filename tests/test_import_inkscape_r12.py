"""Inkscape's "Desktop Cutting Plotter (AutoCAD DXF R12)" output writes the path of each SVG
marker (a grain line's arrowhead) once, in the marker's own coordinates: at the page's top left
corner (x = 0, y = the page's height), on layer ``Layer 1``, before the drawing's paths. Its stock
``Arrow2`` in a document in mm is 7.7 x 5.6 mm: it was nested and cut as a piece named
``Layer 1`` (probe 35, finding 3). The drawings here mimic the writer: its fixed header, every
path as LINEs in document order, a ``z`` that comes back to the start as a LINE of no length."""

from __future__ import annotations

import ezdxf
import numpy as np
import pytest

from kitcut.formats.reading.inkscape_r12 import inkscape_r12
from kitcut.formats.reading.read import read_pattern

#: The page's height (mm): the writer flips y about it, so a marker's copy lies at (0, PAGE_H).
PAGE_H = 800.0
#: mm per SVG user unit of a document in mm, in px (Inkscape 0.92's) and in inches (the Letter template).
MM, PX, IN = 1.0, 25.4 / 96, 25.4


def _bezier(p0, p1, p2, p3, n=8) -> list:
    t = np.linspace(0, 1, n + 1)[1:, None]
    p0, p1, p2, p3 = map(np.asarray, (p0, p1, p2, p3))
    return list((1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1 + 3 * (1 - t) * t**2 * p2 + t**3 * p3)


#: The markers' paths in their own coordinates (SVG y down), with their transform applied.
MARKERS = {
    # Inkscape 1.2's stock Arrow2: scale(0.7), M -2,-4 9,0 -2,4 c 2,-2.33 2,-5.66 0,-8 z
    "Arrow2": [0.7 * np.array(p, float) for p in
               [(-2, -4), (9, 0), (-2, 4)] + _bezier((-2, 4), (0, 1.67), (0, -1.66), (-2, -4))[:-1]],
    # Inkscape 1.1's Arrow1Lstart and Arrow1Lend: scale(0.8) [rotate(180)] translate(12.5,0)
    "Arrow1Lstart": [0.8 * (np.array(p, float) + (12.5, 0)) for p in [(0, 0), (5, -5), (-12.5, 0), (5, 5)]],
    "Arrow1Lend": [-0.8 * (np.array(p, float) + (12.5, 0)) for p in [(0, 0), (5, -5), (-12.5, 0), (5, 5)]],
    # Inkscape 1.2's TriangleStart: scale(0.5), M 5.77,0 -2.88,5 V -5 Z
    "TriangleStart": [0.5 * np.array(p, float) for p in [(5.77, 0), (-2.88, 5), (-2.88, -5)]],
    # Inkscape 1.2's stock Dot (scale(0.5), a circle of radius 5) and open chevron Arrow1 (M 3,-3 0,0 3,3)
    "Dot": [2.5 * np.array((np.cos(a), np.sin(a))) for a in np.linspace(0, 2 * np.pi, 24, endpoint=False)],
    "Arrow1": [np.array(p, float) for p in [(-3, -3), (0, 0), (-3, 3)]],
    # a marker of the user's own: viewBox="0 0 6 6" refX="3" refY="3", M 0,0 L 6,3 L 0,6 z
    "own": [np.array(p, float) for p in [(0, 0), (6, 3), (0, 6)]],
}


def _r12_doc():
    """An empty drawing with the header of Inkscape's R12 output ($EXTMIN 0,0; $EXTMAX 8.5,11)."""
    doc = ezdxf.new("R12")
    doc.modelspace().dxf.extmin = (0, 0, 0)  # so that ezdxf keeps the header's extents
    doc.header["$EXTMIN"] = (0, 0, 0)
    doc.header["$EXTMAX"] = (8.5, 11, 0)
    return doc


def _path(msp, pts, layer: str, closed: bool = True, z: bool = True) -> None:
    """A path as the writer draws it: a LINE per segment, the closing ``z`` a LINE of no length."""
    pts = [tuple(map(float, p)) for p in pts]
    if closed:
        pts = pts + [pts[0]] + ([pts[0]] if z else [])
    for a, b in zip(pts, pts[1:], strict=False):
        msp.add_line(a, b, dxfattribs={"layer": layer})


def _marker(msp, name: str, unit: float) -> None:
    """The copy of marker ``name`` the writer leaves: its path in mm, flipped about the page's top."""
    _path(msp, [(unit * x, PAGE_H - unit * y) for x, y in MARKERS[name]], "Layer 1", closed=name != "Arrow1")


def _pieces(msp, layer: str = "Pieces", between=None) -> None:
    """Two 300 x 600 mm pieces, each with a vertical grain line (the line the markers end), and
    ``between()`` drawn between them."""
    for x in (50.0, 420.0):
        if x > 50 and between:
            between()
        _path(msp, [(x, 150), (x + 300, 150), (x + 300, 750), (x, 750)], layer, z=False)
        _path(msp, [(x + 150, 250), (x + 150, 550)], layer, closed=False)


def _read(doc, tmp_path, **kw):
    path = tmp_path / "ink_r12.dxf"
    doc.saveas(path)
    assert inkscape_r12(ezdxf.readfile(path))
    return read_pattern(path, **kw)


def _copies(pattern) -> list:
    return [e for e in pattern.report.warnings if "copy of an SVG marker" in e.message
            or "copies of SVG markers" in e.message]


@pytest.mark.parametrize("markers, unit, size", [
    (["Arrow2"], MM, "7.7 x 5.6"),  # Inkscape 1.2's default A4 template (mm)
    (["Arrow2"], PX, "2.0 x 1.5"),  # a document in px (Inkscape 0.92's): 1.3 mm², over 1 mm²
    (["Arrow2"], IN, "195.6 x 142.2"),  # the Letter template: a user unit of an inch
    (["Arrow1Lstart", "Arrow1Lend"], MM, "14.0 x 8.0, 14.0 x 8.0"),  # Inkscape 1.1's, start and end
    (["TriangleStart", "Arrow2"], PX, "1.1 x 1.3, 2.0 x 1.5"),
    (["own"], MM, "6.0 x 6.0"),
    (["Arrow1", "Dot", "Arrow2"], MM, "5.0 x 5.0, 7.7 x 5.6"),  # an open chevron first: not a closed line
])
@pytest.mark.parametrize("where", ["defs first", "defs last", "pieces on Layer 1"])
def test_inkscape_r12_marker_copy_at_the_page_corner_is_no_piece(tmp_path, markers, unit, size, where):
    """The copies of the markers are left out with a headline remark naming them, before or after
    the drawing's paths, on the pieces' own layer ``Layer 1`` too (paths outside any layer); the
    pieces and their grain lines are read as before."""
    doc = _r12_doc()
    msp = doc.modelspace()
    layer = "Layer 1" if where == "pieces on Layer 1" else "Pieces"
    if where != "defs last":
        for m in markers:
            _marker(msp, m, unit)
    _pieces(msp, layer)
    if where == "defs last":
        for m in markers:
            _marker(msp, m, unit)
    pat = _read(doc, tmp_path)
    assert sorted((p.name, round(p.area), p.quantity) for p in pat.pieces) == [
        (f"{layer}#1", 180000, 1), (f"{layer}#2", 180000, 1)]
    assert all(p.grain is not None for p in pat.pieces)
    (remark,) = _copies(pat)
    assert remark.headline and remark in pat.headlines
    n = len([m for m in markers if m != "Arrow1"])
    assert f"{n} closed line{'s' if n > 1 else ''} on layer Layer 1 at (" in remark.message
    assert f"({size} mm), alone at the page's top left corner" in remark.message
    assert not [e for e in pat.report.entries if "zero-length" in e.message]


def test_inkscape_r12_stock_arrow2_remark_in_full(tmp_path):
    doc = _r12_doc()
    msp = doc.modelspace()
    _marker(msp, "Arrow2", MM)
    _pieces(msp)
    pat = _read(doc, tmp_path)
    assert [e.message for e in _copies(pat)] == [
        "1 closed line on layer Layer 1 at (-1.4, 797.2) (7.7 x 5.6 mm), alone at the page's top left "
        "corner: the copy of an SVG marker (a grain line's arrowhead) that Inkscape's DXF R12 output writes "
        "there once; not a piece, not cut; give --layer \"Layer 1=cut\" if it is one"]
    # the user says the layer's small outlines are pieces: it is one again
    pat = _read(doc, tmp_path, layers={"Layer 1": "cut"})
    assert sorted(round(p.area, 1) for p in pat.pieces) == [17.6, 180000.0, 180000.0]
    assert not _copies(pat)


def _triangle(x: float, y: float, s: float = 40.0) -> list:
    return [(x, y), (x + s, y - s / 2), (x, y - s)]


@pytest.mark.parametrize("case", ["tab in the corner", "labelled triangle", "counted triangle",
                                  "triangle away from the corner", "triangle at the page's side",
                                  "triangle among the pieces",
                                  "triangle holding a line", "bunting", "not Inkscape's header"])
def test_inkscape_r12_small_real_piece_stays(tmp_path, case):
    """A real piece stays a piece: a 20 x 40 mm tab in the page's corner (not pointed), a pointed
    piece there with its name or count, one away from the corner (along the page's top, or down
    its side: below the drawing's top, where no copy lies), one written after a piece (not
    before the drawing, where markers are), one holding a line of its own, flags of one shape
    (a bunting), and any such outline of a drawing another program wrote."""
    doc = _r12_doc() if case != "not Inkscape's header" else ezdxf.new("R12")
    msp = doc.modelspace()
    small = _triangle(0.0, PAGE_H)
    if case == "tab in the corner":
        small = [(0, PAGE_H), (20, PAGE_H), (20, PAGE_H - 40), (0, PAGE_H - 40)]
    elif case == "triangle away from the corner":
        small = _triangle(100.0, PAGE_H)
    elif case == "triangle at the page's side":  # x = 0, but below the pieces' top: not the page's top
        small = _triangle(0.0, 400.0)
    if case == "triangle among the pieces":
        _pieces(msp, "Layer 1", between=lambda: _path(msp, small, "Layer 1"))
    else:
        _path(msp, small, "Layer 1")
    if case == "labelled triangle":
        msp.add_text("TAB", dxfattribs={"layer": "Layer 1", "height": 3, "insert": (4, PAGE_H - 20)})
    elif case == "counted triangle":
        msp.add_text("Cut 2", dxfattribs={"layer": "Layer 1", "height": 3, "insert": (0, PAGE_H + 5)})
    elif case == "triangle holding a line":
        _path(msp, [(5, PAGE_H - 15), (5, PAGE_H - 25)], "Layer 1", closed=False)
    elif case == "bunting":
        for x in (60.0, 120.0):
            _path(msp, _triangle(x, PAGE_H), "Layer 1")
    if case != "triangle among the pieces":
        _pieces(msp, "Layer 1")
    path = tmp_path / "ink_r12.dxf"
    doc.saveas(path)
    assert inkscape_r12(ezdxf.readfile(path)) == (case != "not Inkscape's header")
    pat = read_pattern(path)
    flags = 3 if case == "bunting" else 1
    assert sorted(round(p.area) for p in pat.pieces) == [800] * flags + [180000, 180000]
    assert not _copies(pat)
    tab = min(pat.pieces, key=lambda p: (p.area, p.bounds[0]))
    if case == "labelled triangle":
        assert tab.name == "TAB"
    if case == "counted triangle":
        assert tab.quantity == 2
