"""The pattern model: a :class:`Pattern` is a style with its :class:`Piece` objects.

Everything is in millimetres (or, for pieces read from a unitless benchmark instance, in the
instance's own unit; :attr:`Pattern.units` says which). Pieces are immutable: readers build
them once, and later stages derive new objects with :func:`dataclasses.replace`.

Coordinates are the piece's own (as drawn in the pattern CAD, after the INSERT transform);
the placement transform of :mod:`kitcut.model.geometry` maps them onto the marker.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

import numpy as np

from kitcut.model.fabric import MatchPoint
from kitcut.model.geometry import as_ring, readonly, ring_area

__all__ = [
    "Drill",
    "ImportReport",
    "Line",
    "Notch",
    "Pattern",
    "Piece",
    "ReportEntry",
    "Source",
    "TextEncoding",
    "NOTCH_KINDS",
]

#: Notch kinds: a knife slit, and the shaped notches of ASTM D6673 (layers 80-83) and V.
NOTCH_KINDS = ("slit", "v", "t", "castle", "check", "u")


@dataclass(frozen=True)
class Notch:
    """A notch on the cut line at ``(x, y)``.

    ``angle_deg`` is the direction the notch cuts into the piece, counter-clockwise from +x;
    ``depth`` and ``width`` in mm (``width`` 0 for a slit).
    """

    x: float
    y: float
    angle_deg: float
    kind: str = "slit"
    depth: float = 5.0
    width: float = 0.0


@dataclass(frozen=True)
class Drill:
    """A drill hole at ``(x, y)``; ``diameter`` in mm, ``None`` when the file gives none."""

    x: float
    y: float
    diameter: float | None = None


@dataclass(frozen=True, eq=False)
class Line:
    """An open polyline (grain line, fold line, internal line, sew line): ``float64[n, 2]``."""

    points: np.ndarray
    closed: bool = False

    def __post_init__(self):
        p = np.array(self.points, dtype=np.float64).reshape(-1, 2)
        object.__setattr__(self, "points", readonly(p))

    @property
    def angle_deg(self) -> float:
        """Direction from the first to the last point, degrees counter-clockwise from +x."""
        d = self.points[-1] - self.points[0]
        return math.degrees(math.atan2(d[1], d[0]))

    @property
    def length(self) -> float:
        return float(np.linalg.norm(np.diff(self.points, axis=0), axis=1).sum())


@dataclass(frozen=True)
class Source:
    """Where a piece came from: the file, the BLOCK name (if any) and the layer."""

    file: str | None = None
    block: str | None = None
    layer: str | None = None


@dataclass(frozen=True, eq=False)
class Piece:
    """One pattern piece.

    ``outline`` is the cut line as a counter-clockwise ring (``float64[n, 2]``, not closed);
    ``cutouts`` are inner rings that are cut too (clockwise). ``quantity`` is the number of
    copies per garment (or per instance); ``flipped`` how many of them are mirrored, when the
    file says (``Quantity: 1,1``), else ``None`` (then the pair rule of :meth:`copy_mirrors`
    decides). ``folded`` is true when the piece was drawn as a half on a fold line; ``unfolded``
    when the reader has already mirrored it into the full piece about ``fold_line``.

    ``allowed_rotations`` overrides the nap rules of the marker for this piece (degrees, in the
    piece's own frame); ``nap`` overrides the marker's nap mode for this piece.
    ``quantity_rule`` says where the quantity comes from (see the field). ``graded`` is true
    for a piece made by grading the sample size with a grade rule table (not drawn in the file).
    """

    name: str
    outline: np.ndarray
    size: str | None = None
    quantity: int = 1
    flipped: int | None = None
    grain: Line | None = None
    notches: tuple[Notch, ...] = ()
    drills: tuple[Drill, ...] = ()
    internal_lines: tuple[Line, ...] = ()
    cutouts: tuple[np.ndarray, ...] = ()
    sew_lines: tuple[Line, ...] = ()
    fold_line: Line | None = None
    folded: bool = False
    unfolded: bool = False
    category: str | None = None
    material: str | None = None
    annotations: tuple[str, ...] = ()
    allowed_rotations: tuple[float, ...] | None = None
    nap: str | None = None
    source: Source = field(default_factory=Source)
    #: where ``quantity`` comes from: ``"file"`` (a Quantity text, or a benchmark's demand),
    #: ``"blocks"`` (the piece block inserted that many times), ``"assumed"`` (the file says
    #: nothing: 1), ``"option"`` (set by ``--quantity`` or an order)
    quantity_rule: str = "file"
    #: where the piece meets the fabric's repeat (stripes, checks), or None: free
    match: MatchPoint | None = None
    #: made by grading the sample size with a grade rule table (``.RUL``), not drawn in the file
    graded: bool = False

    def __post_init__(self):
        object.__setattr__(self, "outline", as_ring(self.outline, ccw=True))
        object.__setattr__(self, "cutouts", tuple(as_ring(c, ccw=False) for c in self.cutouts))

    # -- derived values -------------------------------------------------------------------
    @property
    def label(self) -> str:
        """``name`` with the size, as shown to users: ``Front (M)``."""
        return f"{self.name} ({self.size})" if self.size else self.name

    @property
    def area(self) -> float:
        """Area of the outline less its cut-outs (mm²)."""
        return abs(ring_area(self.outline)) - sum(abs(ring_area(c)) for c in self.cutouts)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(xmin, ymin, xmax, ymax)`` of the outline."""
        lo = self.outline.min(axis=0)
        hi = self.outline.max(axis=0)
        return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])

    @property
    def width(self) -> float:
        b = self.bounds
        return b[2] - b[0]

    @property
    def height(self) -> float:
        b = self.bounds
        return b[3] - b[1]

    @property
    def grain_angle_deg(self) -> float | None:
        """Direction of the grain line, or ``None`` without one."""
        return None if self.grain is None else self.grain.angle_deg

    def copy_mirrors(self, *, pairs: bool = True) -> tuple[bool, ...]:
        """Mirror flag of each copy to cut, in order.

        With an explicit ``flipped`` count the file decides. Otherwise, when ``pairs`` is true
        (single-ply cutting), an even quantity of an asymmetric piece is cut as left/right
        pairs: every second copy mirrored. ``pairs=False`` suits face-to-face spreads.

        >>> sq = Piece("Cuff", [(0, 0), (10, 0), (10, 5), (0, 5)], quantity=2)
        >>> sq.copy_mirrors()
        (False, False)
        """
        q = self.quantity
        if self.flipped is not None:
            f = min(self.flipped, q)
            return (False,) * (q - f) + (True,) * f
        if pairs and q >= 2 and q % 2 == 0 and not self.is_mirror_symmetric():
            return (False, True) * (q // 2)
        return (False,) * q

    def is_mirror_symmetric(self, tolerance: float = 0.005, near: float = 1.0) -> bool:
        """True when a mirrored copy is congruent to the piece (a rotation of it), marks included.

        Mirror symmetry is tested about the axes along and across the grain (or x and y
        without a grain) through the centroid; ``tolerance`` is the share of the area that may
        differ. The notches, drill holes and internal lines must be their own mirror image about
        the same axis, each within ``near`` mm: a sleeve whose outline is symmetric and whose back
        is told from its front by a double notch is one of a pair, and two copies as drawn put
        the back notch of one sleeve to the front.

        >>> sq = [(0, 0), (10, 0), (10, 10), (0, 10)]
        >>> Piece("Cuff", sq, notches=(Notch(0, 5, 0.0), Notch(10, 5, 180.0))).is_mirror_symmetric()
        True
        >>> Piece("Cuff", sq, notches=(Notch(0, 5, 0.0), Notch(10, 3, 180.0))).is_mirror_symmetric()
        False
        """
        from shapely.geometry import Polygon

        poly = Polygon(self.outline).buffer(0)
        if poly.is_empty or poly.area <= 0:
            return True
        angle = math.radians(self.grain_angle_deg or 0.0)
        c = np.array(poly.centroid.coords[0])
        from kitcut.model.affine import affine_piece

        for a in (angle, angle + math.pi / 2):
            d = np.array([math.cos(a), math.sin(a)])
            m = 2 * np.outer(d, d) - np.eye(2)  # the mirror about the line through c along d
            image = affine_piece(self, m, c - m @ c)  # with its notches, drills and lines
            other = Polygon(image.outline).buffer(0)
            if poly.symmetric_difference(other).area <= tolerance * poly.area and \
                    self._marks_match(image, near):
                return True
        return False

    def _marks_match(self, image: Piece, near: float) -> bool:
        """Whether the notches (by kind), drill holes and internal lines of ``image`` (this piece
        moved) lie each within ``near`` of one of this piece's (and as many of each)."""
        from shapely.geometry import LineString

        def same(a: np.ndarray, b: np.ndarray) -> bool:
            if len(a) != len(b):
                return False
            if not len(a):
                return True
            d = np.hypot(*(a[:, None, :] - b[None, :, :]).transpose(2, 0, 1))
            return bool((d.min(axis=1) <= near).all() and (d.min(axis=0) <= near).all())

        def xy(marks) -> np.ndarray:
            return np.array([(k.x, k.y) for k in marks], dtype=np.float64).reshape(-1, 2)

        for kind in {n.kind for n in self.notches}:
            if not same(xy(n for n in image.notches if n.kind == kind),
                        xy(n for n in self.notches if n.kind == kind)):
                return False
        if not same(xy(image.drills), xy(self.drills)):
            return False

        def lines(p: Piece) -> list:
            return [LineString(ln.points) for ln in p.internal_lines if len(ln.points) >= 2]

        own = lines(self)
        return all(any(ln.hausdorff_distance(o) <= near for o in own) for ln in lines(image))


@dataclass(frozen=True)
class ReportEntry:
    """One line of an import report.

    ``kind`` is ``"repair"`` (something was fixed), ``"skipped"`` (an entity not used) or
    ``"warning"`` (something doubtful left as it is).
    """

    kind: str
    message: str
    piece: str | None = None
    entity: str | None = None
    #: how many times this very remark was made (the same entity kind in the same place, e.g. six
    #: zero-length polylines in one block): listed once, with the count
    count: int = 1
    #: a remark on what the job cuts that the main job shows on a line of its own, not only in
    #: ``nest info`` (sizes asked for that the pattern does not name, a quantity assumed)
    headline: bool = False
    #: the piece (its name alone) whose quantity this remark assumes: a quantity the job's option
    #: or order sets makes the remark untrue for that piece, and only this remark
    quantity_of: str | None = None

    def __str__(self) -> str:
        where = f"piece '{self.piece}': " if self.piece else ""
        what = f" [{self.entity}]" if self.entity else ""
        times = f" ({self.count} times)" if self.count > 1 else ""
        return f"{self.kind}: {where}{self.message}{what}{times}"


@dataclass
class ImportReport:
    """Everything a reader repaired, skipped or found doubtful. Nothing is dropped silently."""

    entries: list[ReportEntry] = field(default_factory=list)
    #: what each layer of a plain DXF held and how it was read: layer name -> ``{"entities":
    #: {type: count}, "pieces": n, "role": role or None, "by": "--layer" | "name" | None}``
    layers: dict[str, dict] = field(default_factory=dict)
    #: the remark on the length unit when the piece sizes chose it or doubt the declared one (also
    #: in ``entries``): the one remark the main job shows on its own line
    units_guess: str | None = field(default=None, compare=False)

    #: each remark made: its place in ``entries`` and the handles of its entities, to count a
    #: repeated one there
    _seen: dict = field(default_factory=dict, repr=False, compare=False)

    def add(self, kind: str, message: str, *, piece: str | None = None, entity=None,
            headline: bool = False, quantity_of: str | None = None) -> None:
        """Add a remark; the same remark again (same kind, message and piece, on an entity of the
        same kind, layer and block) counts up the first one, its entities' handles listed there,
        instead of being listed twice."""
        entity = None if entity is None else str(entity)
        bare, handle = _handle_of(entity)
        key = (kind, message, piece, bare)
        seen = self._seen.get(key)
        if seen is not None and seen[0] < len(self.entries):
            at, handles = seen
            old = self.entries[at]
            if (old.kind, old.message, old.piece) == key[:3]:
                if handle:
                    handles.append(handle)
                if handles:
                    more = f" and {len(handles) - 8} more" if len(handles) > 8 else ""
                    bare = f"{bare}; handles {', '.join(handles[:8])}{more}"
                self.entries[at] = replace(old, entity=bare, count=old.count + 1)
                return
        self._seen[key] = (len(self.entries), [handle] if handle else [])
        self.entries.append(ReportEntry(kind, message, piece, entity, headline=headline,
                                        quantity_of=quantity_of))

    def withdraw(self, kind: str, message: str, piece: str | None = None) -> int:
        """Remove the remark ``(kind, message, piece)`` that a later step made untrue (a piece the
        file says is not cut, given a quantity by the user); how many were removed."""
        key = (kind, message, piece)
        keep = [i for i, e in enumerate(self.entries) if (e.kind, e.message, e.piece) != key]
        if len(keep) == len(self.entries):
            return 0
        moved = {old: new for new, old in enumerate(keep)}
        removed = len(self.entries) - len(keep)
        self.entries[:] = [self.entries[i] for i in keep]
        self._seen = {k: (moved[at], hs) for k, (at, hs) in self._seen.items() if at in moved}
        return removed

    def repair(self, message: str, **kw) -> None:
        self.add("repair", message, **kw)

    def skip(self, message: str, **kw) -> None:
        self.add("skipped", message, **kw)

    def warn(self, message: str, **kw) -> None:
        self.add("warning", message, **kw)

    def guess_units(self, message: str) -> None:
        """A warning on the length unit chosen (or doubted) by the piece sizes, kept in
        :attr:`units_guess` too."""
        self.warn(message)
        self.units_guess = message

    @property
    def repairs(self) -> list[ReportEntry]:
        return [e for e in self.entries if e.kind == "repair"]

    @property
    def skipped(self) -> list[ReportEntry]:
        return [e for e in self.entries if e.kind == "skipped"]

    @property
    def warnings(self) -> list[ReportEntry]:
        return [e for e in self.entries if e.kind == "warning"]

    @property
    def headlines(self) -> list[ReportEntry]:
        """The remarks on what the job cuts that the main job shows each on a line (see
        :attr:`ReportEntry.headline`)."""
        return [e for e in self.entries if e.headline]


_HANDLE = re.compile(r" #([0-9A-Fa-f]+)(?= |$)")


def _handle_of(entity: str | None) -> tuple[str | None, str | None]:
    """``("POLYLINE on layer 1 in block B", "2F")`` of ``"POLYLINE #2F on layer 1 in block B"``."""
    if entity is None:
        return None, None
    m = _HANDLE.search(entity)
    return (entity, None) if m is None else (entity[:m.start()] + entity[m.end():], m.group(1))


@dataclass(frozen=True)
class TextEncoding:
    """How the texts of a pattern file were decoded.

    ``name`` is the encoding (a Python codec name: ``"gbk"``, ``"big5"``, ``"cp932"``,
    ``"utf-8"``, ``"cp1252"``; ``"ascii"`` when every text is plain ASCII); ``rule`` says what
    decided it: ``"declared"`` (the file's ``$DWGCODEPAGE``, or UTF-8 for DXF R2007 and later),
    ``"detected"`` (a charset detector on all its texts; ``confidence`` 0..1), ``"forced"``
    (``--encoding`` or an order's ``encoding``), ``"ascii"`` or ``"fallback"`` (nothing fitted).
    ``declared`` is what the file declares (e.g. ``"ANSI_936"``), ``None`` when nothing.
    """

    name: str
    rule: str
    confidence: float | None = None
    declared: str | None = None


@dataclass(frozen=True)
class Pattern:
    """A style and its pieces, as read from one file.

    ``units`` is the unit of all coordinates: ``"mm"`` for DXF input, or the declared unit of
    a benchmark instance (``"unit"`` when it has none). ``units_in`` is the unit the file was
    written in and ``units_rule`` which rule decided it (``"$INSUNITS"``, ``"Units text"``,
    ``"--units"``, ``"size check"``...). ``fabric_width`` is set by formats that carry one (the
    strip height of a benchmark instance). ``encoding`` says how a DXF's texts were decoded
    (``None`` for formats that are always UTF-8, such as benchmark JSON).
    """

    pieces: tuple[Piece, ...]
    style: str | None = None
    source: str | None = None
    units: str = "mm"
    units_in: str = "mm"
    units_rule: str | None = None
    fabric_width: float | None = None
    report: ImportReport = field(default_factory=ImportReport, compare=False)
    #: every size the file holds, in file order, also those not read (not cut in this job)
    sizes: tuple[str, ...] = ()
    #: names of the pieces the file draws only in sizes this job does not cut (a collar missing
    #: from size L, in a job of L): a quantity given for one changes nothing, and is no error
    names_not_cut: tuple[str, ...] = ()

    @property
    def size_names(self) -> tuple[str, ...]:
        """The sizes of the file (:attr:`sizes`), else those of the pieces, in file order."""
        if self.sizes:
            return self.sizes
        out: list[str] = []
        for p in self.pieces:
            if p.size and p.size not in out:
                out.append(p.size)
        return tuple(out)
    encoding: TextEncoding | None = None
    #: sizes made by grading (:attr:`sizes` holds them too), in size order
    graded_sizes: tuple[str, ...] = ()
    #: the grade rule table (``.RUL``) the graded sizes come from, and how it was found
    #: (``"--rules"``, ``"beside the pattern"``); ``None`` without one
    rules_file: str | None = None
    rules_rule: str | None = None

    @property
    def headlines(self) -> list[ReportEntry]:
        """The import's remarks on what a job of this pattern cuts (:attr:`ReportEntry.headline`),
        but for a quantity assumed of a piece whose quantity an option set after all
        (:attr:`ReportEntry.quantity_of`: every other remark on such a piece stays, a size it is
        not drawn in among them); first the unit the piece sizes chose (:attr:`units_headline`)."""
        set_by_option = {p.name for p in self.pieces if p.quantity_rule == "option"}
        heads = [e for e in self.report.headlines if e.quantity_of not in set_by_option]
        guess = self.units_headline
        return heads if guess is None or guess in heads else [guess, *heads]

    @property
    def units_headline(self) -> ReportEntry | None:
        """The remark on the length unit when the piece sizes chose it or the file leaves it open
        (no unit declared, a declared one given up, an AccuMark ``METRIC`` that is mm or cm): a
        centimetre pattern read as millimetres is cut ten times too small, so a kit lists it with
        the headlines, as the main job says it on a line."""
        if not self.report.units_guess or self.units_rule not in ("size check", "Units text"):
            return None
        return next((e for e in self.report.entries if e.message == self.report.units_guess), None)

    @property
    def total_area(self) -> float:
        """Sum of piece area × quantity."""
        return sum(p.area * p.quantity for p in self.pieces)

    @property
    def copies(self) -> int:
        return sum(p.quantity for p in self.pieces)
