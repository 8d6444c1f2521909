"""The shared drawing model of every marker writer: a :class:`Sheet` of placed pieces in mm.

Writers (SVG, HPGL, DXF, Gerber NC, G-code, PDF) never look at the placement transform
themselves: :func:`build_sheet` maps every feature of every placed piece onto the marker once
(x along the roll, y across the width, millimetres) and the writers draw from that, each with
its own page or device transform (:class:`Page` for print, ``Device`` for cutters).

Feature names (``Stroke.feature``) follow the AAMA layers they come from::

    cut (1)  cutout (11)  notch (4, 80-83)  drill (13)  internal (8)  sew (14)  grain (7)

>>> import numpy as np
>>> from kitcut.model import Marker, Piece, Placement, Rules
>>> sq = Piece("Cuff", np.array([(0, 0), (100, 0), (100, 50), (0, 50)]), size="M")
>>> m = Marker((sq,), Rules(width=200), (Placement(0, 0, 90, False, (60, 10)),), length=60)
>>> s = build_sheet(m)
>>> s.pieces[0].outline.round(6).tolist()
[[60.0, 10.0], [60.0, 110.0], [10.0, 110.0], [10.0, 10.0]]
"""

from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass, field

import numpy as np

from kitcut.errors import ExportError
from kitcut.formats.layout.design import Design, design_of
from kitcut.formats.layout.marks import (
    CHAR_CELL,
    arrow_heads,
    beside_line,
    fit_label,
    grain_on_piece,
    label_point,
    lines_on_piece,
    notch_points,
    unique_notches,
)
from kitcut.model import Marker, Piece, Placement

__all__ = [
    "MM_PER_UNIT",
    "PT_PER_MM",
    "PAPER_MM",
    "Stroke",
    "Hole",
    "Text",
    "PlacedPiece",
    "Sheet",
    "Page",
    "fold",
    "FOLD_GAP_MM",
    "build_sheet",
    "piece_label",
    "label_parts",
    "notch_points",
    "fill_colour",
    "ring_length",
    "fmt_num",
]

#: Millimetres per marker unit.
MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "m": 1000.0, "in": 25.4, "inch": 25.4, "ft": 304.8}
#: Exact PDF points per millimetre.
PT_PER_MM = 72.0 / 25.4
#: Paper sizes (portrait, mm).
PAPER_MM = {"a4": (210.0, 297.0), "a3": (297.0, 420.0), "letter": (215.9, 279.4), "tabloid": (279.4, 431.8)}


def fmt_num(v: float, digits: int = 2) -> str:
    """Fixed, deterministic float text without trailing zeros (``-0`` becomes ``0``).

    >>> fmt_num(1.5), fmt_num(2.0), fmt_num(-0.0001)
    ('1.5', '2', '0')
    """
    s = f"{v:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def ring_length(points: np.ndarray, closed: bool = True) -> float:
    """Length of a polyline (closed: back to the first point)."""
    p = np.asarray(points, dtype=float)
    if len(p) < 2:
        return 0.0
    if closed:
        p = np.vstack([p, p[:1]])
    return float(np.linalg.norm(np.diff(p, axis=0), axis=1).sum())


def fill_colour(key: str | None) -> tuple[int, int, int]:
    """A light, deterministic colour for a category or size (same key, same colour)."""
    h = hashlib.md5((key or "").encode("utf-8")).digest()
    hue = h[0] / 255.0
    # HSV with low saturation, high value -> pastel.
    s, v = 0.35, 0.97
    i = int(hue * 6) % 6
    f = hue * 6 - int(hue * 6)
    p, q, t = v * (1 - s), v * (1 - s * f), v * (1 - s * (1 - f))
    r, g, b = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)][i]
    return int(r * 255), int(g * 255), int(b * 255)


@dataclass(frozen=True, eq=False)
class Stroke:
    """A polyline of one feature in marker mm (``closed`` rings do not repeat the first point).

    A notch's stroke is its drawn shape (a slit, a V, a slot) and ``at`` its position on the cut
    line, where a notcher or punch hits (a V's first point is a corner of the V, not the notch).
    """

    feature: str
    points: np.ndarray
    closed: bool = False
    at: np.ndarray | None = None

    @property
    def length(self) -> float:
        return ring_length(self.points, self.closed)


@dataclass(frozen=True)
class Hole:
    """A drill hole at ``(x, y)`` mm; ``diameter`` ``None`` when the pattern gives none."""

    x: float
    y: float
    diameter: float | None = None


@dataclass(frozen=True)
class Text:
    """A label centred at ``(x, y)``, ``height`` mm, along ``angle_deg``."""

    x: float
    y: float
    text: str
    height: float
    angle_deg: float = 0.0


@dataclass(frozen=True, eq=False)
class PlacedPiece:
    """Every feature of one placed copy, in marker mm."""

    index: int
    placement: Placement
    piece: Piece
    outline: np.ndarray
    cutouts: tuple[np.ndarray, ...]
    notches: tuple[Stroke, ...]
    drills: tuple[Hole, ...]
    internal: tuple[Stroke, ...]
    sew: tuple[Stroke, ...]
    grain: tuple[Stroke, ...]
    label: Text

    @functools.cached_property
    def bounds(self) -> tuple[float, float, float, float]:
        lo, hi = self.outline.min(axis=0), self.outline.max(axis=0)
        return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])

    @property
    def name(self) -> str:
        return self.piece.label

    def label_as(self, write) -> Text:
        """The label as a writer that writes a text as ``write`` does (HP-GL: in ASCII) draws it:
        at the same place, sized and shortened for the text written."""
        if label_parts(self.piece, write) == label_parts(self.piece):
            return self.label
        t = self.label
        return piece_label(self.piece, self.outline, (t.x, t.y), t.angle_deg, write, self.cutouts)

    @property
    def cut_length(self) -> float:
        """Knife length: outline and cut-outs (notch slits not included)."""
        return ring_length(self.outline) + sum(ring_length(c) for c in self.cutouts)

    def strokes(self) -> list[Stroke]:
        """All strokes of the piece: cut-outs, notches, internal, sew, grain, then the outline."""
        out = [Stroke("cutout", c, True) for c in self.cutouts]
        out += list(self.notches) + list(self.internal) + list(self.sew) + list(self.grain)
        out.append(Stroke("cut", self.outline, True))
        return out


@dataclass(frozen=True, eq=False)
class Sheet:
    """A marker ready to draw: the strip ``length × width`` mm and its placed pieces."""

    width: float
    length: float
    margin: float
    efficiency: float
    name: str | None
    pieces: tuple[PlacedPiece, ...]
    units: str = "mm"
    meta: dict = field(default_factory=dict)
    #: the repeat's lines, the zones and the match points, drawn under the pieces
    design: Design = field(default_factory=Design)

    @property
    def unit(self) -> str:
        """``mm``, or the instance's own unit when the marker's unit is not a length unit."""
        return "mm" if self.units in MM_PER_UNIT else self.units

    @property
    def title(self) -> str:
        head = f"{self.name} · " if self.name else ""
        u = self.unit
        return (
            f"{head}length {self.length:,.1f} {u} · width {self.width:,.1f} {u} · "
            f"efficiency {100 * self.efficiency:.1f} % · {len(self.pieces)} pieces"
        )

    @functools.cached_property
    def boxes(self) -> np.ndarray:
        """``float64[n, 4]``: the bounds of every piece."""
        return np.array([p.bounds for p in self.pieces], dtype=float).reshape(-1, 4)

    def pieces_in(self, window: tuple[float, float, float, float]) -> list[PlacedPiece]:
        """The pieces whose bounding box touches ``window`` (x0, y0, x1, y1)."""
        b = self.boxes
        hit = (
            (b[:, 2] >= window[0]) & (b[:, 0] <= window[2]) & (b[:, 3] >= window[1]) & (b[:, 1] <= window[3])
        )
        return [self.pieces[i] for i in np.nonzero(hit)[0]]

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """``(xmin, ymin, xmax, ymax)`` of the strip and every piece."""
        xs = [0.0, self.length]
        ys = [0.0, self.width]
        for p in self.pieces:
            b = p.bounds
            xs += [b[0], b[2]]
            ys += [b[1], b[3]]
        return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True)
class _Marks:
    """A piece's marks as they are drawn, in piece coordinates (the same for every copy)."""

    notches: list[tuple[np.ndarray, tuple[float, float]]]
    internal: list[tuple[np.ndarray, bool]]
    sew: list[tuple[np.ndarray, bool]]


def _piece_marks(piece: Piece, k: float) -> _Marks:
    """Notch shapes with their corners on the cut line, each place's notch once (one listed twice
    would be cut twice: marker files written before the import left such doubles out), and the
    internal and sew lines cut to the piece."""
    once, _ = unique_notches(list(piece.notches), 0.01 / k)
    return _Marks(
        [(notch_points(n.x, n.y, n.angle_deg, n.kind, n.depth / k, n.width / k, piece.outline), (n.x, n.y))
         for n in once],
        [part for ln in piece.internal_lines for part in lines_on_piece(ln.points, ln.closed, piece.outline)],
        [part for ln in piece.sew_lines for part in lines_on_piece(ln.points, ln.closed, piece.outline)],
    )


def label_parts(piece: Piece, write=None) -> tuple[str, str, str]:
    """``piece.label`` in the three parts :func:`~kitcut.formats.layout.marks.fit_label` shortens:
    the qualification before the name's last ``/`` (a kit's ``order/garment/``), the rest of the
    name, and the size (``" (M)"``), each as ``write`` writes it (the text as it is without).

    >>> label_parts(Piece("A-1042/tee/Back", np.zeros((3, 2)), size="M"))
    ('A-1042/tee/', 'Back', ' (M)')
    """
    head, sep, name = piece.name.rpartition("/")
    parts = (head + sep, name, f" ({piece.size})" if piece.size else "")
    return parts if write is None else tuple(write(p) for p in parts)


def piece_label(piece: Piece, outline: np.ndarray, at: tuple[float, float], angle: float,
                write=None, holes=()) -> Text:
    """The label of ``piece`` placed as ``outline`` (marker mm), centred at ``at`` along ``angle``,
    for a writer that writes a text as ``write`` does (HP-GL: transliterated to ASCII,
    ``后袖片`` as ``HouXiuPian``, twice as long; the text as it is without): as large as the piece
    allows, about :data:`CHAR_CELL` h per character along the text (the stroke font of plotters;
    proportional fonts are narrower) and at most 70 % of the piece's extent, and its whole box on
    the piece, shortened when not even the smallest height fits
    (:func:`~kitcut.formats.layout.marks.fit_label`). Sized for the name as it is, a transliterated
    label ran off its piece and before the start of the marker."""
    parts = label_parts(piece, write)
    chars = max(len("".join(parts)), 1)
    lo, hi = outline.min(axis=0), outline.max(axis=0)
    t = math.radians(angle)
    along = outline @ np.array([math.cos(t), math.sin(t)])
    across = outline @ np.array([-math.sin(t), math.cos(t)])
    fit = 0.7 * float(np.ptp(along)) / (CHAR_CELL * chars)
    height = max(min(float(min(hi - lo)) / 8.0, 30.0, fit, 0.3 * float(np.ptp(across))), 1.0)
    text, height = fit_label(outline, at, angle, parts, height, holes=holes)  # off the cut-outs too
    return Text(float(at[0]), float(at[1]), text, height, angle)


#: A label less high than this (mm) is hard to read: it goes along the piece's length instead of
#: its grain when that lets it be higher (a 402 x 40 mm strip whose grain runs across it had its
#: label 1.3 mm high, across the 40 mm).
READABLE_MM = 3.0


def _long_axis(outline: np.ndarray) -> float:
    """The direction (degrees) of the longer side of the outline's smallest enclosing rectangle."""
    from shapely.geometry import Polygon

    rect = np.asarray(Polygon(outline).minimum_rotated_rectangle.exterior.coords)
    a, b = rect[1] - rect[0], rect[2] - rect[1]
    d = a if np.hypot(*a) >= np.hypot(*b) else b
    return math.degrees(math.atan2(d[1], d[0]))


def _upright(angle: float) -> float:
    """``angle`` turned by half a turn when its text would read upside down."""
    if angle > 90.0:
        return angle - 180.0
    if angle <= -90.0:
        return angle + 180.0
    return angle


def _place_piece(index: int, pl: Placement, piece: Piece, k: float,
                 marks: _Marks | None = None) -> PlacedPiece:
    def tf(a) -> np.ndarray:
        return pl.apply(np.asarray(a, dtype=float)) * k

    outline = tf(piece.outline)
    marks = marks or _piece_marks(piece, k)
    notches = tuple(Stroke("notch", tf(shape), at=tf([at])[0]) for shape, at in marks.notches)
    drills = tuple(
        Hole(*(float(v) for v in tf([(d.x, d.y)])[0]), d.diameter)  # mm, as the model holds it
        for d in piece.drills
    )
    grain: tuple[Stroke, ...] = ()
    angle = 0.0
    if piece.grain is not None and len(piece.grain.points) >= 2:
        g = tf(piece.grain.points)
        if ring_length(g, False) > 0:
            g = grain_on_piece(g, outline)
            size = min(max(0.04 * ring_length(g, False), 4.0), 15.0)
            grain = (Stroke("grain", g),) + tuple(Stroke("grain", h) for h in arrow_heads(g, size, outline))
            d = g[-1] - g[0]
            angle = _upright(math.degrees(math.atan2(d[1], d[0])))  # text never upside down
    holes = tuple(tf(c) for c in piece.cutouts)
    at = label_point(outline, holes)
    label = piece_label(piece, outline, at, round(angle, 6), holes=holes)
    if label.height < READABLE_MM:  # along the grain across a strip: try along the strip
        along = piece_label(piece, outline, at, round(_upright(_long_axis(outline)), 6), holes=holes)
        if along.height > label.height + 1e-9 and len(along.text) >= len(label.text):
            label = along
    if grain:  # beside the grain line, where the piece has room for it there
        x, y = beside_line(outline, (label.x, label.y), label.angle_deg, len(label.text), label.height,
                           grain[0].points, holes)
        label = Text(x, y, label.text, label.height, label.angle_deg)
    return PlacedPiece(
        index=index,
        placement=pl,
        piece=piece,
        outline=outline,
        cutouts=holes,
        notches=notches,
        drills=drills,
        internal=tuple(Stroke("internal", tf(pts), closed) for pts, closed in marks.internal),
        sew=tuple(Stroke("sew", tf(pts), closed) for pts, closed in marks.sew),
        grain=grain,
        label=label,
    )


def build_sheet(marker: Marker) -> Sheet:
    """Place every feature of every copy of ``marker`` in marker millimetres.

    The last few results are cached (markers are immutable), so writing many formats of one
    marker places its pieces once.
    """
    try:
        return _cached_sheet(marker)
    except TypeError:  # an unhashable marker (e.g. numpy translations): no cache
        return _build_sheet(marker)


@functools.lru_cache(maxsize=4)
def _cached_sheet(marker: Marker) -> Sheet:
    return _build_sheet(marker)


def _build_sheet(marker: Marker) -> Sheet:
    units = (marker.units or "mm").lower()
    k = MM_PER_UNIT.get(units, 1.0)  # unitless benchmark instances: drawn as mm
    pieces = []
    marks: dict[int, _Marks] = {}
    for i, pl in enumerate(marker.placements):
        if not 0 <= pl.piece < len(marker.pieces):
            raise ExportError(
                f"placement {i} refers to piece {pl.piece}, the marker has {len(marker.pieces)}",
                file=marker.name,
            )
        if pl.piece not in marks:
            marks[pl.piece] = _piece_marks(marker.pieces[pl.piece], k)
        pieces.append(_place_piece(i, pl, marker.pieces[pl.piece], k, marks[pl.piece]))
    return Sheet(
        width=float(marker.width) * k,
        length=float(marker.length) * k,
        margin=float(marker.rules.margin) * k,
        efficiency=float(marker.efficiency),
        name=marker.name,
        pieces=tuple(pieces),
        units=units,
        design=design_of(marker, k),
    )


@dataclass(frozen=True)
class Page:
    """A printed page: ``size`` (w, h) mm, ``margin`` mm, ``scale`` (1.0 = 1:1).

    ``to_page`` maps marker mm to page mm with the marker's y axis pointing up the page
    (selvedge y=0 at the bottom of the drawing), ``offset`` being the marker point drawn at
    the page's lower-left printable corner.
    """

    size: tuple[float, float]
    margin: float = 10.0
    scale: float = 1.0
    offset: tuple[float, float] = (0.0, 0.0)

    @property
    def printable(self) -> tuple[float, float]:
        return self.size[0] - 2 * self.margin, self.size[1] - 2 * self.margin

    def to_page(self, points: np.ndarray) -> np.ndarray:
        """Marker mm -> page mm (origin top-left, y down, as PDF writers expect)."""
        p = np.asarray(points, dtype=float).reshape(-1, 2)
        x = self.margin + (p[:, 0] - self.offset[0]) * self.scale
        y = self.size[1] - self.margin - (p[:, 1] - self.offset[1]) * self.scale
        return np.column_stack([x, y])

    @staticmethod
    def fit(
        extent: tuple[float, float, float, float],
        size: tuple[float, float],
        margin: float = 10.0,
        reserve_top: float = 0.0,
    ) -> Page:
        """The page that shows ``extent`` as large as fits in ``size`` (less ``reserve_top``)."""
        w = max(extent[2] - extent[0], 1e-9)
        h = max(extent[3] - extent[1], 1e-9)
        pw, ph = size[0] - 2 * margin, size[1] - 2 * margin - reserve_top
        scale = min(pw / w, ph / h)
        return Page(size, margin, scale, (extent[0], extent[1]))


#: a folded drawing's bands are this far apart on paper (mm): room for a band's start text
FOLD_GAP_MM = 7.0


def fold(
    extent: tuple[float, float, float, float],
    size: tuple[float, float],
    margin: float = 10.0,
    reserve_top: float = 0.0,
    most: int = 12,
    gain: float = 1.25,
    unit: float | None = None,
) -> list[tuple[Page, tuple[float, float, float, float] | None]]:
    """``extent`` drawn as large as fits in ``size`` less ``reserve_top``: one band (its window
    ``None``), or, where a long marker would be drawn as a thin band across the page, cut along
    its length into up to ``most`` bands stacked down the page, as marker-making systems print a
    long marker folded. Each band is ``(page, window)``: its page maps marker mm, its window
    (x0, y0, x1, y1) is the part of ``extent`` it shows; every band has the same scale and the
    same length, a multiple of ``unit`` (a tile's step), else a length of two figures (4,300 mm),
    so that the bands start at round places. The bands are taken only when they draw the marker
    ``gain`` times larger than one does (a 64 m marker was drawn 6 mm high on an A4 page). A
    single band is :meth:`Page.fit` exactly.
    """
    one = Page.fit(extent, size, margin=margin, reserve_top=reserve_top)
    w = max(extent[2] - extent[0], 1e-9)
    h = max(extent[3] - extent[1], 1e-9)
    pw, ph = size[0] - 2 * margin, size[1] - 2 * margin - reserve_top
    best = (one.scale, 1, w)
    for n in range(2, most + 1):
        step = w / n
        q = unit or 10.0 ** (math.floor(math.log10(step)) - 1)
        step = math.ceil(step / q - 1e-9) * q
        if (n - 1) * step >= w:  # fewer bands cover it at this length
            continue
        scale = min(pw / step, (ph - (n - 1) * FOLD_GAP_MM) / (n * h))
        if scale > best[0]:
            best = (scale, n, step)
    scale, n, step = best
    if n == 1 or scale < gain * one.scale:
        return [(one, None)]
    bands = []
    for i in range(n):
        x0 = extent[0] + i * step
        bottom = margin + reserve_top + (i + 1) * h * scale + i * FOLD_GAP_MM  # from the page's top
        page = Page((size[0], bottom + margin), margin, scale, (x0, extent[1]))
        bands.append((page, (x0, extent[1], min(x0 + step, extent[2]), extent[3])))
    return bands
