"""Grain and fold lines of a plain DXF that run past a piece's cut line, or are drawn on it.

An open line goes to the piece that holds (nearly) all of it. A grain line drawn down the centre
front past the neckline, or out through an armhole curve, and a fold line drawn past the ends of
the fold edge are held by none: they were left out as "outside every piece", and the piece had
no grain, or was cut as the half that is drawn. A line on a grain or fold layer (by the user's
``--layer`` or by its name) that a piece holds for at least :data:`HELD_SHARE` of its length is
that piece's:

* a grain line keeps its part on the piece (as an internal line across the cut line does), the
  longest one if it leaves and comes back; reported;
* a fold line is the piece's when it names one of its straight edges
  (:func:`~kitcut.formats.reading.fold_edge.fold_run`); reported.

A line drawn with its arrowheads (:func:`~.arrow_lines.headed`) on a layer named for nothing
(Valentina's flat export draws each grain line on layer 0, head, shaft and head in one polyline,
and may run it out through the neckline) that a piece holds for at least ``HELD_SHARE`` of its
shaft keeps its shaft's part on the piece as a line drawn with arrowheads, which makes it the
grain where the piece has no grain layer (see :mod:`.plain_pieces`); reported. It was "across the
cut line, not used", and the back panels had no grain.

Never in a graded nest on one layer (which size?); anything else stays outside every piece.

A fold drawn on the cut lines' own layer, or on layer 0 (DXF's own, where a drawing program
puts what no layer was chosen for), in a broken linetype (:func:`broken`: DASHED, HIDDEN,
CENTER, PHANTOM...) along a straight edge of the cut line (``fold_run``; past its ends as above)
is the piece's fold line,
reported, when it is the only such line of the piece: a line drawn on the cut line cannot be a
seam or a stitch line (those lie inside it), and only a broken one tells it from the cut line.
It used to be an internal line, and the half was cut. A solid line there stays a line.
"""

from __future__ import annotations

import re

import numpy as np
from shapely.geometry import LineString

from kitcut.formats.reading.arrow_lines import arrowed, headed
from kitcut.formats.reading.fold_edge import fold_run
from kitcut.formats.reading.layer_names import FOLD_LAYER, GRAIN_LAYER
from kitcut.formats.reading.marks import is_straight

__all__ = ["HELD_SHARE", "EdgeLineStage", "broken", "part_inside"]

_BROKEN_NAME = re.compile(r"dash|hidden|center|phantom|dot|divide|border|fold", re.I)

#: A grain or fold line past the cut line is the piece's when the piece holds at least this share
#: of its length.
HELD_SHARE = 0.5


def part_inside(pts: np.ndarray, poly) -> tuple[np.ndarray | None, float]:
    """``(ends of the longest straight part of the line inside poly, share of its length inside)``."""
    line = LineString(pts)
    if line.length <= 0:
        return None, 0.0
    got = line.intersection(poly)
    parts = [g for g in getattr(got, "geoms", [got]) if g.geom_type == "LineString" and g.length > 0]
    if not parts:
        return None, 0.0
    best = max(parts, key=lambda g: g.length)
    c = np.asarray(best.coords, dtype=np.float64)
    return c[[0, -1]], sum(g.length for g in parts) / line.length


def broken(e, doc) -> bool:
    """Whether the entity ``e`` is drawn in a broken linetype (dashes or dots), its own or its
    layer's; by the linetype's pattern, else by its name."""
    name = e.dxf.get("linetype", "BYLAYER") or "BYLAYER"
    if name.upper() == "BYLAYER":
        layer = e.dxf.get("layer", "0")
        name = doc.layers.get(layer).dxf.get("linetype", "Continuous") if doc.layers.has_entry(layer) else ""
    if name.upper() in ("", "CONTINUOUS", "BYLAYER", "BYBLOCK"):
        return False
    try:
        return len(doc.linetypes.get(name).simplified_line_pattern()) > 0
    except Exception:  # noqa: BLE001 - no such linetype, or a damaged one: its name tells
        return bool(_BROKEN_NAME.search(name))


class EdgeLineStage:
    """A mixin of :class:`~.plain_pieces._Sorter` (which sets ``rings``, ``polys``, ``raws``,
    ``piece_ids``, ``nest_of``, ``near``, ``fixer``, ``final``, ``layer_roles``, ``broken_lines``
    and ``_marks_layer``; ``_lines`` sets ``edge_notes`` and ``broken_folds``)."""

    def _past_the_edge(self, pts: np.ndarray, src: str, layer: str) -> bool:
        """Whether the open line ``pts``, held by no piece, is a grain or fold line running past
        the cut line of one (see the module docstring); then it is given to that piece."""
        grain = self._marks_layer(layer, GRAIN_LAYER, "grain")
        fold = not grain and self._marks_layer(layer, FOLD_LAYER, "fold")
        dashed = all(s in self.broken_lines for s in src.split(", "))
        arrow = not (grain or fold or dashed) and self.layer_roles.role(layer) is None \
            and headed(pts, self.near)
        if not (grain or fold or dashed or arrow):
            return False  # neither grain nor fold, nor drawn dashed or with arrowheads
        if not (len(pts) == 2 or is_straight(pts)):
            pts = arrowed(pts, self.near) if grain or arrow else None  # drawn with arrowheads: its shaft
            if pts is None:
                return False
        line = LineString(pts)
        for i in sorted(self.piece_ids, key=lambda k: self.polys[k].area):  # the smallest first
            if i in self.nest_of or not self.polys[i].intersects(line):
                continue
            part, share = part_inside(pts, self.polys[i].buffer(self.near))
            if part is None or share < HELD_SHARE:
                continue
            length = float(line.length)
            if grain or arrow:
                part, _ = part_inside(pts, self.polys[i])
                if part is None:
                    return False
                kept = float(np.linalg.norm(part[1] - part[0]))
                if arrow:  # a line of the piece drawn with arrowheads: its grain if it has no other
                    self.edge_arrows.setdefault(i, []).append((part, src))
                    self.edge_notes.append((i, f"line drawn with arrowheads on layer {layer} crosses the cut "
                                            f"line: its part on the piece ({kept:.1f} of {length:.1f} mm) is "
                                            "kept as a line of the piece", src))
                    return True
                self.raws[i].grain.append((part, src))
                self.edge_notes.append((i, f"grain line on layer {layer} crosses the cut line: its part on "
                                        f"the piece ({kept:.1f} of {length:.1f} mm) is the grain line", src))
                return True
            if not fold:  # a dashed line past the ends of an edge
                return self._broken_fold(i, pts, src, layer)
            if fold_run(self.rings[i][1], pts[0], pts[-1], self.near) is None:
                return False
            self.raws[i].fold.append((pts, src))
            self.edge_notes.append((i, f"fold line on layer {layer} ({length:.1f} mm) runs past the ends of "
                                    "the piece's straight edge: that edge is its fold", src))
            return True
        return False

    def _broken_fold(self, i: int, pts: np.ndarray, src: str, layer: str) -> bool:
        """Whether the straight line ``pts`` of piece ``i`` (its entities ``src``, joined by
        commas) may be its fold drawn in a broken linetype on its cut layer or on layer 0 (see
        the module docstring); kept for :meth:`_broken_folds`."""
        if layer not in (self.rings[i][2], "0") or self.layer_roles.role(layer) not in (None, "cut") \
                or not all(s in self.broken_lines for s in src.split(", ")):
            return False
        if fold_run(self.rings[i][1], pts[0], pts[-1], self.near) is None:
            return False
        self.broken_folds.setdefault(i, []).append((pts, src, layer))
        return True

    def _broken_folds(self) -> None:
        """The one broken line along an edge of a piece is its fold; several stay lines."""
        for i, found in self.broken_folds.items():
            if len(found) == 1:
                (pts, src, layer), = found
                self.raws[i].fold.append((pts, src))
                where = "its layer" if layer == self.rings[i][2] else f"layer {layer}"
                self.edge_notes.append((i, "a broken (dashed) line along a straight edge of the cut line, on "
                                        f"{where}, is taken for the fold line", src))
            else:
                self.raws[i].internal.extend((pts, False, src) for pts, src, _ in found)

    def _report_edge_lines(self) -> None:
        """Report the lines :meth:`_past_the_edge` gave a piece (once its texts name it)."""
        for i, message, src in self.edge_notes if self.final else ():
            raw = self.raws[i]
            name = raw.texts.get("name") or raw.texts.get("block") or raw.key
            label = f"{name} ({raw.texts['size']})" if raw.texts.get("size") else name
            self.fixer.report.warn(message, piece=label, entity=src)
