"""The rings of a plain DXF and their roles (the first stage of :mod:`.plain_pieces`).

:class:`RingStage` chains the curves of each layer into rings and open lines, leaving out what
is no outline (specks, drill loops, letters in runs), adds the outlines that open lines close
(seam allowances, marks drawn from a cut line's corners), and gives each ring its role: piece,
sew line, cut-out, drawing frame, a size of a graded nest, drawn artwork (arrowheads too) or a notch
symbol.
:class:`~.plain_pieces._Sorter` builds on it to hand the lines, texts and points to the pieces.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import Polygon

from kitcut.formats.reading.allowance import add_allowances
from kitcut.formats.reading.arrowheads import arrowhead_rings
from kitcut.formats.reading.artwork import SLOT_WIDTH_MM, artwork_rings, cutouts_where, slot_rings
from kitcut.formats.reading.build import chain_rings
from kitcut.formats.reading.chains import Chain
from kitcut.formats.reading.dart_rings import dart_rings
from kitcut.formats.reading.drill_rings import DRILL_SYMBOL_MM, drill_rings, round_size
from kitcut.formats.reading.fold_brackets import outside_brackets
from kitcut.formats.reading.fold_close import close_at_folds
from kitcut.formats.reading.frames import FRAME_LAYER, find_frames, frame_parts
from kitcut.formats.reading.junctions import close_along_other_layers, close_at_junctions
from kitcut.formats.reading.layer_names import (
    DRILL_LAYER,
    FOLD_LAYER,
    MARK_LAYER,
    TEXT_LAYER,
    name_role,
    named,
)
from kitcut.formats.reading.lettering import lettering
from kitcut.formats.reading.nests import Nest, find_nests
from kitcut.formats.reading.notch_rings import notch_rings
from kitcut.formats.reading.outline import MIN_AREA_MM2, splice_all_spurs
from kitcut.formats.reading.plain_layout import LayoutStage
from kitcut.formats.reading.plain_rings import SEW_LAYER, close_outline_gaps, lies_in, roles, sample
from kitcut.formats.reading.plain_texts import may_name
from kitcut.formats.reading.sew_layers import sew_layers
from kitcut.formats.reading.size_layers import find_layer_nests
from kitcut.formats.reading.sizes import sorted_sizes
from kitcut.model.geometry import ring_area

__all__ = ["DRILL_LOOP_MM", "RingStage"]

#: Roles of a layer whose closed lines are marks on a piece, never pieces or cut-outs.
_MARK_ROLES = ("internal", "grain", "fold", "notch")
#: A round closed line on a drill layer up to this diameter (mm) is a drill mark, not a cut-out.
DRILL_LOOP_MM = 20.0


def _internal_layer_rings(rings: list, role: list[str], parent: list[int]) -> dict[int, list[int]]:
    """``{piece ring: [rings in it]}``: the cut-outs on AAMA's layer of internal lines, or a layer
    named for marks (:data:`~kitcut.formats.reading.layer_names.MARK_LAYER`), inside a piece of
    another layer. An AccuMark export whose blocks were exploded had its label boxes (23 x 35 mm on
    layer 8) cut out of the front (probe 36). A ring of layer 8 covering half a piece is no
    child of it (:func:`~.plain_rings.roles`): Optitex's size 8 stays a size."""
    return cutouts_where(rings, role, parent, lambda k: bool(MARK_LAYER.search(rings[k][2]))
                         and rings[parent[k]][2] != rings[k][2])


class RingStage(LayoutStage):
    """The ring stage of one pass over a drawing (a mixin of :class:`~.plain_pieces._Sorter`,
    whose ``__init__`` sets ``scale``, ``tol``, ``fixer``, ``final``, ``layer_roles``, ``near``)."""

    # ------------------------------------------------------------ rings
    def _rings(self, curves) -> list:
        """Chain the curves of each layer into rings (kept largest first) and open lines
        (returned, the lines of mark layers last)."""
        fixer = self.fixer
        layers: dict[str, list] = {}
        self.letter_ids: set[int] = set()  # the chains that are letters turned into outlines
        self.letter_rings: list[np.ndarray] = []  # and their rings (mm)
        self.specks: dict[str, list] = {}  # layer -> (area, x, y) of the closed lines too small for a piece
        for pts, closed, layer, src in curves:
            if not (np.abs(pts * self.scale) <= 1e9).all():
                raise fixer.error(f"{src} has a coordinate that is not a usable number (NaN, infinite "
                                  "or beyond ±1e9 mm)")
            layers.setdefault(layer, []).append((pts * self.scale, closed, src))
        rings = []  # (area, ring, layer)
        opens = []  # (chain, layer)
        marks = []  # the lines of layers the user said hold marks: never joined to a cut line
        for layer, parts in layers.items():
            if not self._mark_role(layer):
                parts = self._dashed_loops(parts, layer, marks)
            rs, ch = chain_rings(parts, self.tol, fixer, None, f"lines of layer {layer}")
            if self._mark_role(layer):
                marks += [(Chain(np.vstack([r, r[:1]]), False, [f"closed line on layer {layer}"]), layer)
                          for r in rs if len(r) >= 2]
                marks += [(c, layer) for c in ch]
                continue
            rs = [r for r in splice_all_spurs(rs, max(self.tol, 0.05)) if len(r) >= 3]  # slits drawn in
            letters = self._letters(rs, layer)
            for k in sorted(letters):
                chain = Chain(np.vstack([rs[k], rs[k][:1]]), False, [f"letter outline on layer {layer}"])
                self.letter_ids.add(id(chain))
                self.letter_rings.append(rs[k])
                marks.append((chain, layer))
            rs = [r for k, r in enumerate(rs) if k not in letters]
            held = outside_brackets(rs, ch, self.near, max(self.tol, 0.05))  # no allowances
            rs = add_allowances(rs, [c for c in ch if id(c) not in held], self.near,
                                fixer.report.warn if self.final else None)
            for r in (r for r in rs if len(r) >= 3):
                area = abs(ring_area(r))
                if not self._speck(r, area, layer) and not self._drill_loop(r, area, layer):
                    rings.append((area, r, layer))
            opens += [(c, layer) for c in ch]
        if self.final:
            self._report_specks()
        ring_layers = {layer for _, _, layer in rings}

        def is_fold(layer: str) -> bool:
            return self.layer_roles.means(layer, "fold", named(layer, FOLD_LAYER, ring_layers))

        # a fold line is no part of an outline drawn on several layers: chained into one, a half
        # was cut; the outlines drawn on several layers are joined first (a front and its grown-on
        # facing on two layers, parted by the fold line, were cut apart), then halves closed at it
        aside = [(c, la) for c, la in opens if is_fold(la)]
        opens = [(c, la) for c, la in opens if not is_fold(la)]
        rings, opens = close_outline_gaps(rings, opens, self.tol, fixer)
        rings, opens = close_at_folds(rings, opens, marks + aside, is_fold, self.tol,
                                      fixer.repair if self.final else None)
        opens = opens + aside
        rings, opens = self._junctions(rings, opens)
        rings, opens = close_along_other_layers(rings, opens, self.near,
                                                fixer.repair if self.final else None)
        self.open_lines = opens + marks  # for the arrowheads of _roles
        rings.sort(key=lambda t: -t[0])
        polys = []
        for _, r, _ in rings:
            p = Polygon(r)
            if not p.is_valid:
                p = p.buffer(0)
            shapely.prepare(p)
            polys.append(p)
        self.rings, self.polys = rings, polys
        return self.open_lines

    def _junctions(self, rings: list, opens: list) -> tuple[list, list]:
        """The outlines of the lines of a layer that meet at a cut line's corners
        (:func:`~kitcut.formats.reading.junctions.close_at_junctions`), for the layers whose open
        lines would still be refused as a cut line that does not close."""
        by_layer: dict[str, list[Chain]] = {}
        for ch, layer in opens:
            by_layer.setdefault(layer, []).append(ch)
        out, changed = [], False
        for layer, chains in by_layer.items():
            own = [r for _, r, lay in rings if lay == layer]
            added, chains = close_at_junctions(own, chains, self.near,
                                               self.fixer.report.warn if self.final else None)
            rings = rings + [(abs(ring_area(r)), r, layer) for r in added]
            out += [(c, layer) for c in chains]
            changed = changed or bool(added)
        return rings, (out if changed else opens)

    def _drill_loop(self, ring, area: float, layer: str) -> bool:
        """A small round closed line on a drill layer (``drill``, ``Bohrung``, ``holes``... or
        ``--layer X=drill``): a drill mark drawn as its hole, as a circle is, but in curve segments
        (Inkscape's R14 output writes a circle as four), or a circle on a ``hole`` layer (which
        also holds cut-outs: larger ones stay cut out). Kept for :meth:`_ring_drills`; it used to
        be cut out of its piece as a hole."""
        if layer.isdigit() or not self.layer_roles.means(layer, "drill", bool(DRILL_LAYER.search(layer))):
            return False
        d = round_size(ring, area)
        if d is None or d > DRILL_LOOP_MM:
            return False
        c = 0.5 * (ring.min(axis=0) + ring.max(axis=0))
        self.drill_loops.append((float(c[0]), float(c[1]), d, layer))
        return True

    def _letters(self, rs: list, layer: str) -> set[int]:
        """The rings of ``layer`` that are letters of a text turned into outlines
        (:func:`~kitcut.formats.reading.lettering.lettering`; a PDF's fonts through pstoedit):
        drawn on the piece they lie in, never cut; they were cut-outs, and pieces beside it. Not
        on a layer the user gave a role (``--layer 0=cut`` when such small outlines are pieces)
        nor on a drill layer."""
        if self.layer_roles.role(layer) is not None or DRILL_LAYER.search(layer):
            return set()
        found = lettering(rs)
        if found and self.final:
            self.fixer.report.warn(
                f"{len(found)} small closed line(s) on layer {layer} lie in rows as the letters of a text "
                "turned into outlines do (a PDF's fonts through pstoedit): drawn as internal lines of the "
                f"pieces they lie in, not cut; give --layer {layer}=cut if they are pieces")
        return found

    def _speck(self, ring, area: float, layer: str) -> bool:
        """A closed line of ``area`` (mm²) less than :data:`MIN_AREA_MM2` (an arrowhead Inkscape's R12 output
        leaves at the origin, a dot drawn as a tiny polygon): no piece, left out and reported;
        it used to refuse the whole file as a degenerate outline."""
        if area >= MIN_AREA_MM2 or shapely.make_valid(Polygon(ring)).area >= MIN_AREA_MM2:
            return False
        x, y = ring.min(axis=0)
        self.specks.setdefault(layer, []).append((area, float(x), float(y)))
        return True

    def _report_specks(self) -> None:
        """One remark per layer for the closed lines :meth:`_speck` left out (the dots of a
        logo's letters were 84 remarks)."""
        for layer, specks in self.specks.items():
            if len(specks) == 1:
                (area, x, y), = specks
                self.fixer.report.skip(f"closed line of {area:.2g} mm² on layer {layer} at ({x:.1f}, "
                                       f"{y:.1f}): too small to be a piece (under {MIN_AREA_MM2:g} mm²); "
                                       "not used")
                continue
            areas = [a for a, _, _ in specks]
            at = ", ".join(f"({x:.1f}, {y:.1f})" for _, x, y in specks[:4])
            more = f" and {len(specks) - 4} more" if len(specks) > 4 else ""
            self.fixer.report.skip(f"{len(specks)} closed lines of {min(areas):.2g} to {max(areas):.2g} "
                                   f"mm² on layer {layer} at {at}{more}: too small to be pieces (under "
                                   f"{MIN_AREA_MM2:g} mm²); not used")

    def _roles(self) -> None:
        """The role of each ring (piece, sew line, cut-out...) and its parent, with drawing
        frames and their title blocks left out and graded nests read as one piece per size."""
        rings, polys, fixer = self.rings, self.polys, self.fixer
        lr = self.layer_roles

        found = self._sew_layers()

        def is_sew(layer: str) -> bool:
            return lr.means(layer, "sew", bool(SEW_LAYER.search(layer)) or layer in found)

        def is_frame(layer: str) -> bool:
            return lr.means(layer, "frame", bool(FRAME_LAYER.search(layer)))

        role, parent = roles(rings, polys, set(), is_sew)
        spots = self.spots
        names = spots[[any(k == "name" for k, _ in f) for f in self.fields]]
        labels = spots[[bool(f) or may_name(lead) for lead, f in self.labels]]
        frames: set[int] = set()
        while found := find_frames(rings, polys, role, parent, names, labels, is_frame) - frames:
            frames |= found  # the rings inside a frame are pieces: nest them again without it
            role, parent = roles(rings, polys, frames, is_sew)
        if parts := frame_parts(rings, polys, role, frames, names, spots, max(2 * self.tol, 0.5)):
            role, parent = roles(rings, polys, frames | parts, is_sew)
        if self.final:
            for i in sorted(parts):
                fixer.report.warn(f"closed outline on layer {rings[i][2]} along the drawing frame, with no "
                                  "name: taken for part of the frame (a title block), not cut")
            for i in sorted(frames):
                n = sum(1 for j, r in enumerate(role) if r == "piece" and rings[j][0] < rings[i][0]
                        and lies_in(polys[i], sample(rings[j][1], 8), polys[j]))
                fixer.report.warn(f"closed outline on layer {rings[i][2]} drawn around {n} piece(s), with no "
                                  "name of its own: taken for a drawing frame, not cut", headline=True)
        self._title_blocks(role, parent, is_frame)
        sizes_at = [(tuple(p), v) for p, f in zip(spots, self.fields, strict=True) for k, v in f
                    if k == "size" and v]
        nest_of: dict[int, Nest] = {}
        for nest in find_nests(rings, polys, role, parent, sizes_at):
            for k in nest.rings:
                role[k], parent[k] = "piece", -1
                nest_of[k] = nest
            if self.final:
                layer = rings[nest.rings[0]][2]
                fixer.report.warn(f"{len(nest.rings)} outlines on layer {layer} drawn one inside the other, "
                                  f"with the sizes {', '.join(reversed(nest.sizes))}: read as a graded nest, "
                                  "one piece per size (the largest outline the largest size)")
        self._pieces_on_pieces(role, parent, set(nest_of))
        if not sizes_at and (stacks := find_layer_nests(rings, polys, role)):
            for nest in stacks:
                for k in nest.rings:
                    nest_of[k] = nest
            if self.final:
                sizes = sorted_sizes({s for nest in stacks for s in nest.sizes})
                fixer.report.warn(f"no Size text, and the layers holding the pieces are named for sizes "
                                  f"({', '.join(sizes)}), their pieces stacked as a graded nest: each piece "
                                  "takes its layer's size, the labels and marks of the stack go to its sizes")
        # notch symbols first: a double notch (a circle with a dot) is no artwork
        self.notch_symbols = notch_rings(rings, role, parent, self.near, set(nest_of))
        marked = set(self.notch_symbols)
        for k in range(len(rings)):  # and what is drawn inside them (the dot of a double notch)
            if k in marked or parent[k] in marked:
                marked.add(k)
                role[k] = "notch"
        if self.notch_symbols and self.final:
            sew = sum(1 for *_, on_sew in self.notch_symbols.values() if on_sew)
            fixer.report.warn(f"{len(self.notch_symbols)} small closed line(s) on a cut line"
                              + (f" ({sew} on a sew line)" if sew else "") + " are notch symbols (a circle, "
                              "a triangle): notches at the nearest point of the cut line, not cut")
        self.art = artwork_rings(rings, role, parent, self.letter_rings)
        for ks in self.art.values():
            for k in ks:
                role[k] = "art"
            if self.final:
                x, y = np.concatenate([rings[k][1] for k in ks]).min(axis=0)
                fixer.report.warn(f"{len(ks)} closed line(s) on layer {rings[ks[0]][2]} at ({x:.1f}, "
                                  f"{y:.1f}) inside a piece are drawn artwork, not cut-outs (letters turned "
                                  "into outlines, a logo, a scale box: closed lines drawn inside them, or "
                                  "beside such letters): drawn on the piece as internal lines")
        self._drawn(slot_rings(rings, role, parent), role,
                    f"thin closed line(s) inside a piece, at most {SLOT_WIDTH_MM:g} mm wide (buttonholes or "
                    "slits drawn as slots): drawn on the piece as internal lines, not cut")
        self._drawn(dart_rings(rings, role, parent), role,
                    "closed dart(s) inside a piece, pointed at both ends (fish-eye darts): drawn on the "
                    "piece as internal lines, not cut (a dart is sewn)")
        self._drawn(_internal_layer_rings(rings, role, parent), role,
                    "closed line(s) on layer 8 (AAMA's internal lines, its blocks exploded) inside a piece "
                    "of another layer: drawn on the piece as internal lines, not cut")
        skip = set(nest_of) | marked | {k for ks in self.art.values() for k in ks}
        ends = [(c, la) for c, la in self.open_lines if c.end_gap > self.near]  # lines with two ends
        self._drawn(arrowhead_rings(rings, role, parent, ends, self.near, skip), role,
                    "small pointed closed line(s) at the ends of lines inside a piece are arrowheads (of a "
                    "grain line, a fold line): drawn on the piece as internal lines, not cut")
        self._drill_symbols(role, parent)
        self.role, self.parent, self.nest_of = role, parent, nest_of

    def _sew_layers(self) -> dict[str, float]:
        """The layers named for nothing whose closed lines all run inside the pieces of other
        layers at a seam allowance (:func:`~.sew_layers.sew_layers`): sew layers, reported; no
        layer the user gave a role, named for a role, or holding texts (a size's labels) but layer 0."""
        lr = self.layer_roles
        labelled = set(self.text_layers)
        # layer 0 holds everything a drawing puts nowhere else, the labels too: its texts tell no
        # size layer (a sew line drawn on it inside cut lines on a layer of their own was cut too,
        # every piece twice)
        found = sew_layers(self.rings, self.polys,
                           lambda layer: lr.role(layer) is None and name_role(layer, ()) is None
                           and (layer not in labelled or layer == "0"))
        if self.final:
            for layer, allowance in found.items():
                self.fixer.report.layers[layer] = {"role": "sew", "by": "drawing"}
                self.fixer.report.warn(
                    f"the closed lines of layer {layer} run inside the pieces of another layer at a seam "
                    f"allowance (up to {allowance:.1f} mm): read as their sew lines; give --layer "
                    f"{layer}=cut if they are pieces")
        return found

    def _drill_symbols(self, role: list[str], parent: list[int]) -> None:
        """Small round cut-outs are drill marks (:func:`~.drill_rings.drill_rings`), kept for
        :meth:`_ring_drills`; they were holes cut into the garment."""
        found = drill_rings(self.rings, role, parent, lambda layer: self.layer_roles.role(layer) == "cut")
        for k, (x, y, d) in found.items():
            role[k] = "drill"
            self.drill_loops.append((x, y, d, self.rings[k][2]))
        if found and self.final:
            layers = sorted({self.rings[k][2] for k in found})
            self.fixer.report.warn(
                f"{len(found)} small round closed line(s) inside a piece, at most {DRILL_SYMBOL_MM:g} mm "
                "across, are drill marks (a dart's point, a button's place): marked at their centre, not "
                f"cut out; give --layer {layers[0]}=cut to cut them out")

    def _drawn(self, found: dict[int, list[int]], role: list[str], what: str) -> None:
        """The rings ``found`` (``{piece ring: [rings]}``) drawn on their piece with its artwork,
        never cut, and their number reported with ``what`` they are."""
        for piece, ks in found.items():
            self.art.setdefault(piece, []).extend(ks)
            for k in ks:
                role[k] = "art"
        if found and self.final:
            self.fixer.report.warn(f"{sum(map(len, found.values()))} {what}")

    def _mark_role(self, layer: str) -> str | None:
        """The role of a layer whose lines are marks, never cut lines: given by the user, or
        ``internal`` for a layer named for texts (letters turned into outlines)."""
        given = self.layer_roles.role(layer)
        if given is None and TEXT_LAYER.search(layer):
            return "internal"
        return given if given in _MARK_ROLES else None
