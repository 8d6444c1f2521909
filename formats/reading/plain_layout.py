"""What a drawing program's layout lays on and beside the pieces of a plain DXF that is neither a
cut-out nor a piece, or a piece where a cut-out seemed to be (a mixin of :class:`~.plain_ring_roles.
RingStage`):

- a closed line in a broken linetype inside a piece: a placement or stitch line, drawn on it
  (:meth:`LayoutStage._dashed_loops`);
- a closed line inside a piece that holds a name of its own: a piece traced off it and lying on
  it (:meth:`LayoutStage._pieces_on_pieces`);
- an unnamed outline on a layer or in a block named for a title block, or a rectangle holding a
  title block's texts (a scale, ``Drawn``, ``Date``): not cut (:meth:`LayoutStage._title_blocks`).
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

from kitcut.formats.reading.chains import Chain
from kitcut.formats.reading.frames import FRAME_LAYER, TITLE_TEXT, rectangular
from kitcut.formats.reading.marks import is_straight
from kitcut.formats.reading.plain_texts import may_name

__all__ = ["LayoutStage"]


class LayoutStage:
    """Uses ``rings``, ``polys``, ``spots``, ``fields``, ``labels``, ``text_layers``, ``near``,
    ``final``, ``fixer``, ``layer_roles`` and ``broken_lines`` of the :class:`~.plain_pieces._Sorter`."""

    def _dashed_loops(self, parts: list, layer: str, marks: list) -> list:
        """``parts`` without the closed lines drawn in a broken linetype (dashes, dots) that lie in
        another closed line of ``layer``: a pocket's or a label's placement, a stitch line, drawn on
        the piece (appended to ``marks``, its internal lines), never cut; they were cut-outs.
        A dashed closed line in none is left as it is (a piece drawn in a dashed linetype)."""
        broken = self.broken_lines
        if not broken or self.layer_roles.role(layer) is not None:  # the user said what the layer holds
            return parts
        dashed = [k for k, (pts, closed, src) in enumerate(parts)
                  if closed and src in broken and len(pts) >= 3]
        if not dashed:
            return parts
        solid = [Polygon(pts) for k, (pts, closed, _) in enumerate(parts) if closed and k not in dashed
                 and len(pts) >= 3]
        solid = [q if q.is_valid else q.buffer(0) for q in solid]
        inside = set()
        for k in dashed:
            loop = Polygon(parts[k][0])
            if not loop.is_valid:
                loop = loop.buffer(0)
            if any(q.area > loop.area and q.contains(loop.representative_point()) and
                   q.buffer(self.near).contains(loop) for q in solid):
                inside.add(k)
        for k in sorted(inside):
            pts, _, src = parts[k]
            marks.append((Chain(np.vstack([pts, pts[:1]]), False, [src]), layer))
        if inside and self.final:
            self.fixer.report.warn(f"{len(inside)} closed line(s) on layer {layer} drawn in a broken "
                                   "linetype inside a piece: placement or stitch lines, drawn on the piece, "
                                   f"not cut; give --layer {layer}=cut if they are cut-outs")
        return [part for k, part in enumerate(parts) if k not in inside]

    def _title_blocks(self, role: list[str], parent: list[int], is_frame) -> None:
        """A closed outline beside the pieces on a layer named for a frame or title block
        (``TITLE``, ``BORDER``), or drawn by a block so named (``TITLEBLOCK``), with no piece
        name in it: a title block drawn without a frame around the drawing, not cut (it was
        nested and cut as a piece named by its title). So is, on any layer, a rectangle holding
        two texts or more, no name or quantity, and a title block's text (``1:1``, ``Drawn``,
        ``Date``) or the drawing's size (:meth:`_title_text`; a one-layer workshop drawing). Not
        the drawing's only piece."""
        keyed = [tuple(p) for p, f in zip(self.spots, self.fields, strict=True)
                 if any(k == "name" and v for k, v in f)]
        blocks = [(tuple(p), v) for p, f in zip(self.spots, self.fields, strict=True) for k, v in f
                  if k == "block" and v]
        found = []
        for k, r in enumerate(role):
            if r != "piece" or parent[k] >= 0:
                continue
            layer = self.rings[k][2]
            poly = self.polys[k]
            inside = [v for q, v in blocks if shapely.contains_xy(poly, *q)]
            by_block = [v for v in inside if FRAME_LAYER.search(v)]
            if self.layer_roles.role(layer) == "cut":
                continue
            if is_frame(layer) or by_block:
                if any(shapely.contains_xy(poly, *q) for q in keyed):
                    continue
                found.append((k, f"block {by_block[0]}" if by_block else f"layer {layer}", ""))
            elif title := self._title_text(k, role, parent):
                found.append((k, f"layer {layer}", f", holding {title}"))
        if len(found) == sum(1 for r in role if r == "piece"):
            return  # every piece: the drawing's pieces, on a layer that happens to be so named
        for k, where, why in found:
            role[k] = "frame"
            if self.final:
                x, y = self.rings[k][1].min(axis=0)
                self.fixer.report.warn(f"closed outline of {where} at ({x:.1f}, {y:.1f}) with no piece "
                                       f"name{why}: taken for a title block, not cut; give --layer "
                                       f"{self.rings[k][2]}=cut if it is a piece", headline=True)

    def _title_text(self, k: int, role: list[str], parent: list[int]) -> str | None:
        """What makes rectangle ``k`` a title block, when it holds two texts or more and no name or
        quantity: two title block's texts (:data:`~.frames.TITLE_TEXT`), or, divided into cells by
        lines (:meth:`_grid`), one, or a size where every other piece holds a quantity (``BLOUSE
        B-12`` over ``SIZE 38`` beside pieces labelled ``Cut 2``: the drawing's size, not a
        piece's); else None. A waistband labelled ``SIZE 38``, a facing with a ``Date``, a pocket
        with ``check 1:1`` were taken for title blocks and not cut."""
        poly = self.polys[k]
        if not rectangular(poly) or not len(self.spots):
            return None
        held = shapely.contains_xy(poly, self.spots[:, 0], self.spots[:, 1])
        labels = [lab for lab, h in zip(self.labels, held, strict=True) if h]
        if len(labels) < 2 or any(key in ("name", "quantity") for _, f in labels for key, _ in f):
            return None
        titles = [lead.strip() for lead, _ in labels if TITLE_TEXT.search(lead)]
        gridded = self._grid(poly)
        if len(titles) >= 2 or (titles and gridded):  # ``Date`` on a facing, ``1:1`` on a pocket: pieces
            return f"a title block's texts ({titles[0]!r})"
        if not gridded:
            return None
        size = next((v for _, f in labels for key, v in f if key == "size" and v), None)
        others = [j for j, r in enumerate(role) if r == "piece" and parent[j] < 0 and j != k]
        counts = self.spots[[any(key == "quantity" for key, _ in f) for f in self.fields]]
        if size is None or not others or not len(counts) or not all(
                shapely.contains_xy(self.polys[j], counts[:, 0], counts[:, 1]).any() for j in others):
            return None
        return f"the drawing's size ({size!r}) and no quantity, where every other piece has one"

    def _grid(self, poly) -> bool:
        """Whether straight lines divide the rectangle ``poly`` into cells, as a title block's
        table: two lines or more inside it, each from its edge (or another such line) to its edge
        (or another), in two directions (a waistband's fold line runs one way only)."""
        edge = poly.exterior
        inside = poly.buffer(self.near)
        lines = [LineString(ch.points[[0, -1]]) for ch, _ in getattr(self, "opens", ())
                 if len(ch.points) >= 2 and is_straight(ch.points) and inside.contains(LineString(ch.points))]
        if len(lines) < 2:
            return False

        def ends_on(line, others) -> bool:
            return all(edge.distance(q) <= self.near or any(o.distance(q) <= self.near for o in others)
                       for q in (shapely.Point(line.coords[0]), shapely.Point(line.coords[-1])))

        cells = [ln for k, ln in enumerate(lines) if ends_on(ln, lines[:k] + lines[k + 1:])]
        ways = {round(float(np.degrees(np.arctan2(ln.coords[-1][1] - ln.coords[0][1],
                                                     ln.coords[-1][0] - ln.coords[0][0]))) % 180 / 30) % 6
                for ln in cells}
        return len(cells) >= 2 and len(ways) >= 2

    def _pieces_on_pieces(self, role: list[str], parent: list[int], skip: set[int]) -> None:
        """A cut-out or sew line of a piece that holds a name of its own, other than the names of
        the piece around it (``Piece Name: Pocket``, or ``POCKET`` beside a ``Cut 2``, in a pocket
        traced on the front; a facing drawn on the front along its edges), is a piece lying on
        that piece: it was cut out of the front as a hole, or taken for its sew line, and never
        cut. Reported."""
        named = []  # (spot, name, layer of a bare name or None for a keyed one)
        counts = []  # the spots of quantity texts (``Cut 2``)
        for p, (lead, f), layer in zip(self.spots, self.labels, self.text_layers, strict=True):
            named += [(tuple(p), v.strip().casefold(), None) for k, v in f if k == "name" and v and v.strip()]
            if lead and may_name(lead) and not any(k == "name" for k, _ in f):
                named.append((tuple(p), lead.strip().casefold(), layer))
            if any(k == "quantity" for k, _ in f):
                counts.append(tuple(p))
        if not named:
            return
        pts = np.array([p for p, _, _ in named], dtype=float)
        counted = np.array(counts, dtype=float).reshape(-1, 2)
        held, parents = {}, list(parent)  # the names each line holds; its piece
        for k, r in enumerate(role):
            par = parent[k]
            if r not in ("cut", "sew") or par < 0 or role[par] != "piece" or k in skip or par in skip:
                continue
            held[k] = shapely.contains_xy(self.polys[k], pts[:, 0], pts[:, 1])
        for k, inner in held.items():
            par, r = parents[k], role[k]
            # the piece's own names: in it, in none of its lines (a second pocket's name is no front's)
            outer = shapely.contains_xy(self.polys[par], pts[:, 0], pts[:, 1])
            for j, other in held.items():
                if parents[j] == par:
                    outer &= ~other
            layer, around_layer = self.rings[k][2], self.rings[par][2]
            # a bare word names the line around it only on that line's own layer, not the piece's,
            # or with a quantity of its own beside it (``POCKET``, ``Cut 2``: a hole is not cut twice)
            counted_here = shapely.contains_xy(self.polys[k], counted[:, 0], counted[:, 1]).any()
            own = {v for (_, v, la), h in zip(named, inner, strict=True)
                   if h and (la is None or (la == layer != around_layer) or counted_here)}
            around = {v for (_, v, _), h in zip(named, outer, strict=True) if h}
            if not own or not around or own & around:
                continue
            role[k], parent[k] = "piece", -1
            if self.final:
                _, ring, layer = self.rings[k]
                x, y = ring.min(axis=0)
                what = "cut-out" if r == "cut" else "sew line"
                self.fixer.report.warn(
                    f"closed line on layer {layer} at ({x:.1f}, {y:.1f}) inside a piece is named for a piece "
                    "of its own, not the piece around it: a piece drawn on that piece (traced off it), "
                    f"nested and cut on its own, not its {what}")
