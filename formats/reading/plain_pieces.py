"""The pieces of a plain DXF from its curves, texts and points (see :mod:`.plain_dxf`).

:func:`sort_pieces` takes what the drawing holds, in drawing units, and gives raw pieces in mm:

1. the curves of each layer are chained into rings and open lines; the rings are nested into
   pieces, sew lines and cut-outs, drawing frames and graded nests are found;
2. each open line goes to the piece that holds it (its notch, grain, fold or internal line);
3. each text to the piece that holds it, or the nearest (its name, size, quantity...);
4. each point to the piece that holds it (a drill or a notch);
5. an outline drawn twice is read once.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LinearRing, LineString, Point

from kitcut.formats.reading.arrow_lines import arrow_parts, headed
from kitcut.formats.reading.build import RawNotch, RawPiece, gap_error, point_notch
from kitcut.formats.reading.chains import Chain, describe
from kitcut.formats.reading.drill_crosses import CrossStage
from kitcut.formats.reading.edge_lines import EdgeLineStage
from kitcut.formats.reading.fold_brackets import BracketStage
from kitcut.formats.reading.fold_edge import fold_run
from kitcut.formats.reading.junctions import would_be_refused
from kitcut.formats.reading.layer_names import (
    DRILL_LAYER,
    FOLD_LAYER,
    GRAIN_LAYER,
    NOTCH_LAYER,
    name_role,
    named,
)
from kitcut.formats.reading.layer_roles import LayerRoles
from kitcut.formats.reading.marks import is_straight, t_notch, v_notch
from kitcut.formats.reading.nests import share_ties, undivided
from kitcut.formats.reading.notch_marks import drawn_mark
from kitcut.formats.reading.outline import Fixer
from kitcut.formats.reading.plain_ring_roles import RingStage
from kitcut.formats.reading.plain_rings import (
    merge_twins,
    sample,
)
from kitcut.formats.reading.plain_texts import TextStage
from kitcut.formats.reading.texts import parse_label

__all__ = ["NOTCH_MAX_MM", "sort_pieces"]

#: A notch drawn as a line is at most this long (mm).
NOTCH_MAX_MM = 20.0


def sort_pieces(curves, texts, points, scale: float, tol: float, fixer: Fixer, skips, final: bool,
                layer_roles: LayerRoles, broken_lines=frozenset()) -> tuple[list[RawPiece], dict]:
    """``(raw pieces in mm, style texts)`` of the curves, texts and points of a drawing
    (drawing units; see the module docstring). The roles the user gave layers
    (:mod:`~kitcut.formats.reading.layer_roles`) go before their names; ``final`` false is a
    trial run (to guess the units): it reports nothing. ``broken_lines``: the sources of the
    lines drawn in a broken linetype (:func:`~kitcut.formats.reading.edge_lines.broken`)."""
    sorter = _Sorter(scale, tol, fixer, skips, final, layer_roles)
    sorter.broken_lines = broken_lines
    return sorter.run(curves, texts, points)


class _Sorter(RingStage, BracketStage, EdgeLineStage, CrossStage, TextStage):
    """One pass over a drawing: the rings and their roles, then the lines, texts and points
    that belong to each piece."""

    def __init__(self, scale, tol, fixer, skips, final, layer_roles):
        self.scale = scale
        self.tol = tol
        self.fixer = fixer
        self.skips = skips
        self.final = final
        self.layer_roles = layer_roles
        self.near = max(2 * tol, 0.5)  # an end this close to a line is on it
        self.pad = max(tol, 0.01)

    def run(self, curves, texts, points):
        self.drill_loops: list = []  # (x, y, diameter, layer) in mm: round lines on drill layers
        opens = self._rings(curves)
        self.opens = opens  # the open lines (``(chain, layer)``, mm): a title block's grid
        # the bare name an MTEXT label opens with, and the KEY: value fields of each text
        self.labels = [parse_label(txt) for _, txt, _, _ in texts]
        self.fields = [f for _, f in self.labels]
        self.text_layers = [layer for _, _, layer, _ in texts]
        self.spots = np.array([(x * self.scale, y * self.scale) for (x, y), *_ in texts],
                              dtype=float).reshape(-1, 2)
        self._roles()
        self._start_pieces()
        for i, (j, x, y, _) in self.notch_symbols.items():
            layer = self.rings[i][2]
            if j in self.raws:
                self.raws[j].notches.append(RawNotch(x, y, source=f"notch symbol on layer {layer}"))
            elif self.final:  # the line it sits on is no piece after all (stacked sizes, exploded)
                self.fixer.report.skip(f"notch symbol on layer {layer} at ({x:.1f}, {y:.1f}) on a line that "
                                       "is no piece; not used")
        self._lines(opens + [(Chain(np.vstack([self.rings[k][1], self.rings[k][1][:1]]), False,
                                    [f"closed line on layer {self.rings[k][2]}"]), self.rings[k][2])
                             for ks in self.art.values() for k in ks])
        style = self._texts(texts)
        self._report_edge_lines()
        self._fold_brackets()
        self._points(points)
        self._ring_drills()
        kept = merge_twins(self.raws, self.piece_ids, self.rings, self.tol,
                            self.fixer.report if self.final else None)
        return [self.raws[i] for i in kept], style

    def _ring_drills(self) -> None:
        """Each drill loop (:meth:`_drill_loop`) to the piece that holds its centre."""
        for x, y, d, layer in self.drill_loops:
            found = self.owners(np.array([[x, y]]), layer)
            for i in found:
                self.raws[i].drills.append((x, y, d, f"closed line on layer {layer}"))
            if not found and self.final:
                self.fixer.report.skip(f"drill mark (a round line of {d:.1f} mm) on layer {layer} at "
                                       f"({x:.1f}, {y:.1f}) in no piece; not used")

    def _start_pieces(self) -> None:
        """A raw piece for each piece ring (keyed by its layer), with its sew lines and cut-outs."""
        rings, role = self.rings, self.role
        raws: dict[int, RawPiece] = {}
        per_layer: dict[str, int] = {}
        for i, (_, _, layer) in enumerate(rings):
            if role[i] == "piece":
                per_layer[layer] = per_layer.get(layer, 0) + 1
        seen: dict[str, int] = {}
        for i, (_, r, layer) in enumerate(rings):
            if role[i] != "piece":
                continue
            seen[layer] = seen.get(layer, 0) + 1
            key = layer if per_layer[layer] == 1 else f"{layer}#{seen[layer]}"
            raws[i] = RawPiece(key=key, layer=layer, boundary=[(r, True, f"layer {layer}")])
            if i in self.nest_of and self.nest_of[i].by_layer:  # a layer per size (size_layers)
                raws[i].texts["size"] = self.nest_of[i].sizes[self.nest_of[i].rings.index(i)]
        same: dict[str, int] = {}  # layer -> cut-outs told by shape alone: on their piece's layer
        for i, (_, r, layer) in enumerate(rings):
            if role[i] == "sew":
                raws[self.parent[i]].sew.append((r, True, f"layer {layer}"))
            elif role[i] == "cut":
                raws[self.parent[i]].cutouts.append((r, True, f"layer {layer}"))
                if layer == rings[self.parent[i]][2] and self.layer_roles.role(layer) is None:
                    same[layer] = same.get(layer, 0) + 1
        if self.final:
            for layer, n in same.items():  # a hole is cut: say so where only the shape told it
                self.fixer.report.warn(
                    f"{n} closed line(s) inside pieces on their own layer {layer} read as cut-outs, cut out "
                    "of the pieces (a slot, a window); a mark's outline (a label's or a pocket's placement) "
                    "is drawn dashed or on a layer of its own (--layer NAME=internal)")
        self.raws = raws
        self.piece_ids = sorted(raws)
        self.edges = {i: LinearRing(rings[i][1]) for i in self.piece_ids}  # the cut line of each piece
        self.piece_layers = {rings[i][2] for i in self.piece_ids}
        self.grown: dict = {}
        self.ids_arr = np.array(self.piece_ids, dtype=np.int64)
        pad = self.pad
        self.boxes = np.array([np.r_[rings[i][1].min(axis=0) - pad, rings[i][1].max(axis=0) + pad]
                               for i in self.piece_ids])

    # ------------------------------------------------------------ who holds what
    def owners(self, pts: np.ndarray, layer: str) -> list[int]:
        """The piece a mark belongs to (:meth:`owner`), or in a graded nest the sizes that may
        own it (:meth:`Nest.nearest`)."""
        i = self.owner(pts, layer)
        if i in self.nest_of:
            return self.nest_of[i].nearest(pts[0], self.edges, max(self.tol, 0.01))
        return [] if i is None else [i]

    def owner(self, pts: np.ndarray, layer: str) -> int | None:
        """The smallest piece holding ``pts``, on ``layer`` if one does."""
        best = None
        if len(pts) > 1:  # lines drawn from edge to edge: test the middles of their segments too
            pts = np.concatenate([pts, (pts[1:] + pts[:-1]) / 2])
        smp = sample(pts, 60)
        if not len(self.ids_arr):
            return None
        boxes = self.boxes
        # only pieces whose box holds 90 % of the samples can hold them
        inb = ((smp[None, :, 0] >= boxes[:, None, 0]) & (smp[None, :, 1] >= boxes[:, None, 1])
               & (smp[None, :, 0] <= boxes[:, None, 2]) & (smp[None, :, 1] <= boxes[:, None, 3])).mean(axis=1)
        for i in reversed(self.ids_arr[inb >= 0.9].tolist()):  # smallest first
            if i not in self.grown:
                self.grown[i] = self.polys[i].buffer(self.pad)
                shapely.prepare(self.grown[i])
            if shapely.intersects_xy(self.grown[i], smp[:, 0], smp[:, 1]).mean() >= 0.9:
                if self.rings[i][2] == layer:
                    return i
                best = best if best is not None else i
        return best

    def nearest(self, p: np.ndarray, layer: str) -> int | None:
        """The piece a label outside every piece belongs to: the nearest on its layer; on a
        layer of texts only, the nearest piece if the label is close to it (a quarter of the
        piece's length, at least 25 mm: a label written beside the piece, not a legend)."""
        polys = self.polys
        same = [i for i in self.piece_ids if self.rings[i][2] == layer]
        if same:
            return min(same, key=lambda i: polys[i].distance(Point(p)))
        return self.close_piece(p)

    def close_piece(self, p: np.ndarray) -> int | None:
        """The piece nearest to ``p`` when ``p`` is close to it (a quarter of the piece's length,
        at least 25 mm: a label written beside the piece, not a legend), else ``None``."""
        if not self.piece_ids:
            return None
        at = Point(p)
        i = min(self.piece_ids, key=lambda k: self.polys[k].distance(at))
        side = float(np.ptp(self.rings[i][1], axis=0).max())
        return i if self.polys[i].distance(at) <= max(25.0, 0.25 * side) else None

    def _marks_layer(self, layer: str, names, role: str) -> bool:
        return self.layer_roles.means(layer, role, named(layer, names, self.piece_layers))

    # ------------------------------------------------------------ lines
    def _lines(self, opens: list) -> None:
        """Each open line to the piece that holds it: a notch, the grain, a fold, an internal
        line; the ones outside every piece are reported (or are a broken cut line)."""
        fixer, final, raws, near = self.fixer, self.final, self.raws, self.near
        lines = []  # (piece, chain points, source, layer, straight, distances of the ends to the cut line)
        opens = self._drill_crosses(opens)
        owned = share_ties([self.owners(ch.points, layer) for ch, layer in opens],
                           [ch.points[0] for ch, _ in opens], self.nest_of, self.rings)
        if final and (n := undivided(owned)):
            fixer.report.warn(f"{n} line(s) of a graded nest could belong to several sizes and do not divide "
                              "among them: each such size has them")
        loose = 0  # letters outside every piece
        self.brackets: dict[int, list] = {}  # piece -> its "cut on fold" brackets (BracketStage)
        self.edge_notes: list = []  # (piece, remark, source) of lines past a cut line (EdgeLineStage)
        self.edge_arrows: dict[int, list] = {}  # piece -> arrowed lines past its cut line (EdgeLineStage)
        self.broken_folds: dict[int, list] = {}  # piece -> dashed lines along its edges (EdgeLineStage)
        for (ch, layer), found in zip(opens, owned, strict=True):
            pts = ch.points
            src = ", ".join(ch.sources)
            if id(ch) in self.letter_ids:  # drawn on its piece, never a notch or a grain line
                for i in found:
                    raws[i].internal.append((pts, False, src))
                loose += not found
                continue
            drawn_straight = len(pts) == 2 or is_straight(pts)
            if not drawn_straight and self._bracket(pts, src, layer, found):
                continue
            if not found and (found := self._edge_notch(pts, layer)):
                for i in found:  # a notch drawn across the cut line, or outward from it
                    raws[i].notches.append(RawNotch(float(pts[0][0]), float(pts[0][1]), line=pts, source=src))
                continue
            if not found:
                if not self._past_the_edge(pts, src, layer):
                    self._outside(ch, layer, src)
                continue
            for i in found:
                d_ends = [self.edges[i].distance(Point(pts[0])), self.edges[i].distance(Point(pts[-1]))]
                lines.append((i, pts, src, layer, drawn_straight, d_ends))
        lines, legs, arrowed = self._arrows(lines)
        self.free_lines: dict[int, list] = {}
        self.arrow_lines: dict[int, list] = {}  # piece -> its free lines drawn with arrowheads
        for i, found in self.edge_arrows.items():  # past the cut line, the part on the piece
            for pts, src in found:
                self._internal(i, pts, src, True, arrowed=True)
        bars = []  # short free straight lines: the bar of a T notch, or an internal line
        heads = 0
        lr = self.layer_roles
        for n, (i, pts, src, layer, straight, d_ends) in enumerate(lines):
            raw = raws[i]
            length = float(np.sum(np.linalg.norm(np.diff(pts, axis=0), axis=1)))
            if straight and min(d_ends) <= near and length <= NOTCH_MAX_MM:
                raw.notches.append(RawNotch(float(pts[0][0]), float(pts[0][1]), line=pts[[0, -1]],
                                            source=src))
            elif not straight and max(d_ends) <= near and np.ptp(pts, axis=0).max() <= NOTCH_MAX_MM:
                raw.notches.append(v_notch(pts, src))
            elif n in legs:
                heads += len(pts) - 1  # an arrowhead's legs: the line they end is what counts
            elif self._marks_layer(layer, GRAIN_LAYER, "grain"):
                raw.grain.append((pts, src))
            elif straight and self._marks_layer(layer, FOLD_LAYER, "fold") and (
                    (max(d_ends) <= near and self.edges[i].distance(Point(0.5 * (pts[0] + pts[-1]))) <= near)
                    or fold_run(self.rings[i][1], pts[0], pts[-1], near) is not None):
                raw.fold.append((pts, src))  # a fold (mirror) line along the cut line: a half piece
            elif straight and self._broken_fold(i, pts, src, layer):
                pass  # a dashed fold on the cut layer, if the piece has one only
            elif straight and min(d_ends) > near and length <= NOTCH_MAX_MM:
                bars.append((i, pts, src, layer))
            else:  # a free straight line may be the grain, unless the user said what its layer holds
                self._internal(i, pts, src, straight and (min(d_ends) > near or n in arrowed)
                               and lr.role(layer) is None, n in arrowed)
        self._broken_folds()
        if heads and final:
            fixer.report.skip(f"{heads} arrowhead leg(s) drawn as separate lines at the ends of straight "
                              "lines; not used")
        if loose and final:
            fixer.report.skip(f"{loose} letter outline(s) outside every piece (a title, a legend); not used")
        for i, pts, src, layer in bars:
            t = t_notch(raws[i].notches, self.rings[i][1], 0.5 * (pts[0] + pts[-1]), near)
            if t is not None:
                t.kind = "t"
                t.source += f", {src}"
            else:
                self._internal(i, pts, src, lr.role(layer) is None)
        guessed = pointed = 0
        for i, idx in self.free_lines.items():
            raw = raws[i]
            if raw.grain:
                continue
            if len(idx) == 1:  # the only free straight line
                k = idx[0]
                guessed += 1
            else:  # the one arrow among other lines, the longest of them (a pleat's short arrow
                # beside a plain grain line is no grain)
                spans = {k: float(np.linalg.norm(np.ptp(raw.internal[k][0][[0, -1]], axis=0))) for k in idx}
                arrows = self.arrow_lines.get(i, [])
                if len(arrows) != 1 or spans[arrows[0]] < max(spans.values()):
                    continue
                k = arrows[0]
                pointed += 1
            pts, _, src = raw.internal.pop(k)
            raw.grain.append((pts, src))
        if guessed and final:
            fixer.report.warn(f"{guessed} piece(s) without a grain layer: the only free straight line inside "
                              "each was taken for its grain line")
        if pointed and final:
            fixer.report.warn(f"{pointed} piece(s) without a grain layer: the one straight line drawn with "
                              "arrowheads among the lines inside each was taken for its grain line")

    def _arrows(self, lines: list) -> tuple[list, set[int]]:
        """``lines`` (as :meth:`_lines` gathers them) with each line drawn with its arrowheads
        as its shaft, and the indices of the lines that are legs of arrowheads
        (:func:`~kitcut.formats.reading.arrow_lines.arrow_parts`); only lines clear of the cut
        line are looked at, and lines drawn in one with their heads (a grain line whose tip
        Valentina draws on the sew line or the cut line)."""
        by_piece: dict[int, list[int]] = {}
        for n, (i, pts, _, _, _, d_ends) in enumerate(lines):
            if min(d_ends) > self.near or headed(pts, self.near):
                by_piece.setdefault(i, []).append(n)
        legs: set[int] = set()
        arrowed: set[int] = set()
        lines = list(lines)
        for ns in by_piece.values():
            shafts, heads = arrow_parts([lines[n][1] for n in ns], self.near)
            legs.update(ns[k] for k in heads)
            for k, sh in shafts.items():
                i, _, src, layer, _, d_ends = lines[ns[k]]
                lines[ns[k]] = (i, sh, src, layer, True, d_ends)
                arrowed.add(ns[k])
        return lines, legs, arrowed

    def _outside(self, ch: Chain, layer: str, src: str) -> None:
        """An open line outside every piece: not used, or a cut line that does not close."""
        if role := self._mark_role(layer):  # marks (the user said so, or letters), not cut lines
            if self.final:
                why = self.layer_roles.where if self.layer_roles.role(layer) else "by its name"
                self.fixer.report.skip(f"line on layer {layer} ({role}, {why}) outside every piece; not used",
                                       entity=src)
            return
        if self.final and would_be_refused(ch):
            raise gap_error([ch], self.fixer, f"outline on layer {layer}", self.tol, "cut line")
        if self.final and (i := self._edge_piece(ch.points)) is not None:
            line = LineString(ch.points)
            share = self.polys[i].intersection(line).length / max(line.length, 1e-12)
            self.fixer.report.skip("open line across or against the cut line of a piece "
                                   f"({100 * share:.0f} % of its length on the piece), not a notch; not used",
                                   entity=src)
        elif self.final:
            self.fixer.report.skip("open line outside every piece; not used", entity=src)

    def _edge_piece(self, pts: np.ndarray) -> int | None:
        """The piece whose cut line the line ``pts`` meets (within :attr:`near`), or ``None``."""
        if not len(self.ids_arr):
            return None
        lo, hi = pts.min(axis=0) - self.near, pts.max(axis=0) + self.near
        b = self.boxes
        close = (b[:, 0] <= hi[0]) & (b[:, 2] >= lo[0]) & (b[:, 1] <= hi[1]) & (b[:, 3] >= lo[1])
        line = LineString(pts)
        d = {i: self.edges[i].distance(line) for i in self.ids_arr[close].tolist()}
        best = min(d, key=d.get, default=None)
        return best if best is not None and d[best] <= self.near else None

    def _edge_notch(self, pts: np.ndarray, layer: str) -> list[int]:
        """The pieces a short mark outside them meets as a notch (drawn across their cut line, or
        outward from it, as printed patterns draw ticks and triangles; :mod:`.notch_marks`)."""
        if self._mark_role(layer) not in (None, "notch") or np.ptp(pts, axis=0).max() > NOTCH_MAX_MM:
            return []
        i = self._edge_piece(pts)
        if i is None or max(self.edges[i].distance(Point(p)) for p in pts) <= self.near:
            return []  # none, or a line along the cut line
        if drawn_mark([pts], self.rings[i][1], self.near) is None:
            return []
        if i in self.nest_of:
            return self.nest_of[i].nearest(pts[0], self.edges, max(self.tol, 0.01))
        return [i]

    def _internal(self, i: int, pts: np.ndarray, src: str, free: bool, arrowed: bool = False) -> None:
        raw = self.raws[i]
        raw.internal.append((pts, False, src))
        ends = pts[[0, -1]]
        on_sew = any(LinearRing(p).distance(Point(q)) <= self.near for p, _, _ in raw.sew for q in ends)
        if free and (arrowed or not on_sew):  # straight and clear of the cut line: maybe the grain line
            self.free_lines.setdefault(i, []).append(len(raw.internal) - 1)
            if arrowed:  # drawn with arrowheads: the grain line before any other
                self.arrow_lines.setdefault(i, []).append(len(raw.internal) - 1)

    # ------------------------------------------------------------ points
    def _points(self, points: list) -> None:
        """Each point to the piece that holds it: a drill, or a notch on an AAMA notch layer."""
        final, scale, raws = self.final, self.scale, self.raws
        spots_mm = [np.array([[x * scale, y * scale]]) for (x, y, _), _, _ in points]
        owned = share_ties([self.owners(p, layer) for p, (_, layer, _) in zip(spots_mm, points, strict=True)],
                           [p[0] for p in spots_mm], self.nest_of, self.rings)
        if final and (n := undivided(owned)):
            self.fixer.report.warn(f"{n} point(s) of a graded nest could belong to several sizes and do not "
                                   "divide among them: each such size has them")
        read: dict[str, list[int]] = {}  # layer -> notches, drills read off POINTs on no mark's layer
        for ((_, _, z), layer, e), p, found in zip(points, spots_mm, owned, strict=True):
            if final and found and self._marks_layer(layer, DRILL_LAYER, "drill"):
                for i in found:
                    raws[i].drills.append((float(p[0, 0]), float(p[0, 1]), abs(z) * scale, describe(e)))
            elif final and found and self._marks_layer(layer, NOTCH_LAYER, "notch"):
                # a notch as a POINT on the AAMA notch layers (an AAMA drawing whose blocks were
                # exploded): its depth in z, its width in the thickness, its direction in the angle
                angle = e.dxf.get("angle", None)
                angle = None if angle is None else float(angle)
                width = float(e.dxf.get("thickness", 0.0) or 0.0) * scale
                for i in found:
                    raws[i].notches.append(point_notch(float(p[0, 0]), float(p[0, 1]), z * scale, width,
                                                       angle, layer, describe(e)))
            elif final and len(found) == 1 and found[0] not in self.nest_of and self._loose_point(
                    found[0], float(p[0, 0]), float(p[0, 1]), layer, describe(e), read):
                pass
            elif final:
                self.skips.add("points kitcut does not use", e, None)
        for layer, (notches, drills) in read.items():
            said = [f"{notches} on a cut line read as notches"] if notches else []
            said += [f"{drills} inside a piece as drill holes"] if drills else []
            hint = "" if layer in self.piece_layers else f"; give --layer {layer}=ignore if they mark nothing"
            self.fixer.report.warn(f"POINTs on layer {layer}, a layer named for no mark: "
                                   f"{' and '.join(said)} (a drawing's points mark those){hint}")

    def _unnamed_layer(self, layer: str) -> bool:
        """Whether ``layer`` is neither named for a mark nor given a role, and holds no pieces
        but it is layer 0 or the one layer that does (a one-layer drawing, its marks drawn on it
        too; not a numbered size layer): its points and small crosses mark notches and drills."""
        if self.layer_roles.role(layer) is not None or name_role(layer, self.piece_layers) is not None:
            return False
        if layer.isdigit() and layer != "0":  # AAMA's numbered layers (2: turn points), a size layer
            return False
        return layer not in self.piece_layers or layer == "0" or len(self.piece_layers) == 1

    def _at_corner(self, i: int, x: float, y: float) -> bool:
        """Whether ``(x, y)`` lies at a corner of piece ``i``'s cut line (a turn of 20° or more)."""
        if not hasattr(self, "_corners"):
            self._corners: dict[int, np.ndarray] = {}
        if i not in self._corners:
            r = np.asarray(self.rings[i][1], dtype=np.float64)
            a, b = r - np.roll(r, 1, axis=0), np.roll(r, -1, axis=0) - r
            cos = np.einsum("ij,ij->i", a, b) / np.maximum(np.hypot(*a.T) * np.hypot(*b.T), 1e-12)
            self._corners[i] = r[cos <= np.cos(np.radians(20.0))]
        c = self._corners[i]
        return bool(len(c)) and float(np.hypot(c[:, 0] - x, c[:, 1] - y).min()) <= self.near

    def _loose_point(self, i: int, x: float, y: float, layer: str, src: str, read: dict) -> bool:
        """A POINT of piece ``i`` on a layer neither named for a mark nor given a role, and
        holding no pieces (``Marks``), or the one layer that does (layer 0, or ``PATTERN``, of a
        one-layer drawing): on its cut line a notch, inside it a drill hole (they were points
        "kitcut does not use", and the notches and drills lost); counted in ``read`` by layer.
        A size layer's points (Optitex numbers them) and a point at a corner of the cut line (a
        turn point) stay unused."""
        if not self._unnamed_layer(layer):
            return False
        on_line = LinearRing(self.rings[i][1]).distance(Point(x, y)) <= self.near
        if on_line and self._at_corner(i, x, y):
            return False  # a turn point marked at a corner, as CADs mark every corner: no notch
        counts = read.setdefault(layer, [0, 0])
        if on_line:
            self.raws[i].notches.append(point_notch(x, y, 0.0, 0.0, None, layer, src))
            counts[0] += 1
        else:
            self.raws[i].drills.append((x, y, 0.0, src))
            counts[1] += 1
        return True
