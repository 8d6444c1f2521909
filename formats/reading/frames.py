"""Drawing frames in plain DXF: a closed outline drawn around the pieces that is not a piece.

General CAD draws a border or title frame around a sheet, and cutting-room drawings the fabric
rectangle around a marker. Read by nesting alone, such an outline is one huge piece with every
real piece as a cut-out. An outermost outline is taken for a frame when

* two or more rings inside it carry a ``Piece Name`` of their own while the outline has none
  (a single name in the hole of a ring-shaped piece, where a CAD puts the label at the
  centroid, is the piece's: a circle skirt's waist, a brim), or
* its layer is named like a frame (``frame``, ``border``, ``Rahmen``, ``cadre``...) and it has
  no name of its own, or
* two or more rings inside it hold a label (a name, keyed or bare, or a ``Cut 2``) while the
  outline holds none outside them, or, a rectangle, none but beside those that hold none (a
  one-layer workshop drawing labels its pieces ``FRONT``, ``Cut 2``, a small one just outside
  it; a bag panel's own label near its labelled pockets is the panel's), or
* it is a rectangle with no label of its own around two or more rings that together cover a
  quarter of it or more (the holes of a real panel are small: buttonholes, handle slots).

A dimension's value or a scale (``260``, ``1:1``) between the pieces is no label: it left the
border a 2 m piece with the garment cut out of it.

A rectangle without a name but with texts in it, that runs along a frame for a tenth of its
length or more (a title block in the frame's corner), belongs to the frame too. An unnamed piece
without texts that touches the frame (a piece laid on the selvedge of a cutter drawing) stays
a piece.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["FRAME_LAYER", "TITLE_TEXT", "find_frames", "frame_parts", "rectangular"]

#: Layer names taken for frames, borders and sheets.
FRAME_LAYER = re.compile(r"frame|border|rahmen|cadre|marco|titl|sheet|selv[ae]g", re.I)

#: What a title block's texts say and a piece's labels do not: a scale (``1:1``, ``Scale 1:5``)
#: or the name of a title block's field (drawn by, date, sheet...).
TITLE_TEXT = re.compile(
    r"(?<![\d.:])1\s?:\s?\d+(?:[.,]\d+)?(?![\d:])|\b(?:scale|drawn|checked|approved|sheet|date|"
    r"title|designer|gezeichnet|datum|blatt|ma(?:ß|ss)stab|[ée]chelle|dessin[ée]|feuille|escala|fecha|"
    r"dibujad[oa]|hoja|scala|foglio)\b|比例|日期|制图|设计|审核|图号|图名|縮尺|図番", re.I)

#: Rings inside a rectangle covering this share of it make it a frame.
COVER = 0.25

#: A label this close to an unlabelled piece (mm) may be written beside it, a small piece's.
BESIDE_MM = 40.0


def _inside(poly, pts: np.ndarray) -> np.ndarray:
    import shapely

    if not len(pts):
        return np.zeros(0, dtype=bool)
    return shapely.contains_xy(poly, pts[:, 0], pts[:, 1])


def rectangular(poly) -> bool:
    """Whether a polygon is a rectangle (at any angle)."""
    return abs(poly.minimum_rotated_rectangle.area - poly.area) <= 1e-3 * poly.area


def _beside(pts: np.ndarray, polys: list) -> bool:
    """Whether every point lies within :data:`BESIDE_MM` of one of the ``polys``."""
    import shapely

    near = np.zeros(len(pts), dtype=bool)
    for poly in polys:
        near |= shapely.dwithin(poly, shapely.points(pts), BESIDE_MM)
    return bool(near.all())


def find_frames(rings: list, polys: list, role: list, parent: list, names: np.ndarray,
                labels: np.ndarray, is_frame) -> set[int]:
    """The rings (indices into ``rings``: ``(area, ring, layer)``, with their prepared
    ``polys``) that are frames, among those ``role`` calls pieces; ``parent`` is the ring each
    ring lies in. ``names`` are the points (mm) of name texts, ``labels`` of every text that
    labels a piece (a field, or a word that may name one); ``is_frame(layer)`` tells a frame
    layer (by its name, :data:`FRAME_LAYER`, unless the user gave the layer a role)."""
    kids: dict[int, list[int]] = {}
    for j, (par, r) in enumerate(zip(parent, role, strict=True)):
        if par >= 0 and r == "cut":
            kids.setdefault(par, []).append(j)
    out = set()
    for i, inner in kids.items():
        if role[i] != "piece":
            continue
        area, _, layer = rings[i]
        in_kid_names = np.zeros(len(names), dtype=bool)
        in_kid_labels = np.zeros(len(labels), dtype=bool)
        named_kids = labelled_kids = 0
        bare_kids = []  # the rings inside that hold no label: a small piece labelled beside it
        for j in inner:
            hit = _inside(polys[j], names)
            named_kids += bool(hit.any())
            in_kid_names |= hit
            hit = _inside(polys[j], labels)
            labelled_kids += bool(hit.any())
            in_kid_labels |= hit
            if not hit.any():
                bare_kids.append(polys[j])
        own_name = (_inside(polys[i], names) & ~in_kid_names).any()
        own = labels[_inside(polys[i], labels) & ~in_kid_labels]
        own_label = len(own) > 0
        if own_name:
            continue
        if named_kids >= 2 or is_frame(layer) or (labelled_kids >= 2 and (
                not own_label or rectangular(polys[i]) and bare_kids and _beside(own, bare_kids))):
            out.add(i)
        elif (len(inner) >= 2 and not own_label and sum(rings[j][0] for j in inner) >= COVER * area
              and rectangular(polys[i])):
            out.add(i)
    return out


def frame_parts(rings: list, polys: list, role: list, frames: set[int], names: np.ndarray,
                texts: np.ndarray, near: float) -> set[int]:
    """The rectangles called pieces by ``role`` that hold texts but no name text and run along
    a frame in ``frames`` for a tenth of their outline or more: title blocks."""
    import shapely
    from shapely.geometry import LinearRing

    if not frames:
        return set()
    edges = [LinearRing(rings[f][1]) for f in frames]
    out = set()
    for i, r in enumerate(role):
        if r != "piece" or _inside(polys[i], names).any() or not _inside(polys[i], texts).any() \
                or not rectangular(polys[i]):
            continue
        ring = LinearRing(rings[i][1])
        pts = np.asarray(shapely.segmentize(ring, max(ring.length / 400, 1e-9)).coords)
        for edge in edges:
            if (shapely.distance(edge, shapely.points(pts)) <= near).mean() >= 0.1:
                out.add(i)
                break
    return out
