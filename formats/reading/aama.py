"""AAMA / ASTM D6673 pattern DXF: one BLOCK per piece (and size) placed by an INSERT.

:func:`collect_aama` walks the INSERTs of model space and sorts the entities of each block by
AAMA layer into a :class:`~kitcut.formats.reading.build.RawPiece` (drawing units, INSERT transform
applied: position, rotation, scale, mirroring). It works on the light entities of
:mod:`kitcut.formats.reading.dxf_fast` (from the fast reader or converted from ezdxf). Layer use:

1 cut line (or 84, the denser ASTM copy, when present) and piece texts · 4 notches (and ASTM
80-83) · 6 mirror line · 7 grain · 8 internal lines · 11 cut-outs · 13 drills · 14 sew line ·
15 annotations. Grade rule labels (``# n`` texts at grade points) are kept as
:class:`~kitcut.formats.reading.build.GradeMark` for grading (see below); the turn and curve point
markers (2, 3: they also say where a layer-1 cut line is a curve, see
:mod:`~kitcut.formats.reading.curve_points`), the grade reference line (5: it orients the grade
rules, never the grain) and the ASTM copies (85-87) are reported as skipped, grouped by kind.

Grade points (facts from 13 real AccuMark 10 exports in ``../shared/data/dxf``): every label
sits exactly at a vertex of a line, with a layer-2 (turn) or layer-3 (curve) POINT at the same
place. AAMA files put the label on the POINT's layer (2 or 3) right after the line it grades,
so the line is the last one drawn before it that passes through the label (a cut-line vertex
and the end of an internal line at the same place can carry different rules, or one none);
ASTM D6673 files put it on the layer of the line it grades (1 cut line, also found on the
denser layer 84; 8 internal lines; 5 the grade reference line, which lies on the grain line).
A label may also be an ATTRIB/ATTDEF or a ``Grade Rule: n`` text. Unlabelled vertices are
intermediate points: graded between their neighbours.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

import numpy as np

from kitcut.formats.reading.build import NOTCH_LAYER_KINDS, RawNotch, RawPiece, point_notch
from kitcut.formats.reading.drill_crosses import CROSS_SOURCE, crosses
from kitcut.formats.reading.dxf_fast import DxfData, Ent, block_name
from kitcut.formats.reading.grade_labels import MARK_TOL, SNAP_MM, resolve_marks
from kitcut.formats.reading.laid_copies import blocks_once
from kitcut.formats.reading.marks import is_straight
from kitcut.formats.reading.texts import parse_texts, tagged
from kitcut.model import ImportReport

__all__ = ["is_aama", "collect_aama", "SkipLog", "style_texts", "MARK_TOL"]

_TEXT_TYPES = ("TEXT", "MTEXT", "ATTDEF", "ATTRIB")
_GRADE_RULE = re.compile(r"^\s*#\s*(\d+)\s*$")
#: ``KEY: value`` (ASCII or full-width colon): on the ASTM annotation layer 15 a piece text only so
#: (a bare ``Cut 2`` there stays an annotation).
_KEYED = re.compile(r"^\s*([^\s:：][^:：\n]*?)[ \t]*[:：]")
_RULE_TEXT = re.compile(r"^\s*(?:grade\s*)?rule\s*(?:number|no\.?)?\s*[:#=]?\s*(\d+)\s*$", re.I)
_KNOWN_SKIPS = {
    "2": "turn points (layer 2; grade point markers, their # n labels are read)",
    "3": "curve points (layer 3; grade point markers, their # n labels are read)",
    "5": "grade reference line (layer 5: orients the grade rules, never taken for the grain)",
    "12": "cutter instruction (layer 12)",
    "85": "ASTM quality-validation copy of layer 8 (layer 85)",
    "86": "ASTM quality-validation copy of layer 11 (layer 86)",
    "87": "ASTM quality-validation copy of layer 14 (layer 87)",
}


def text_key(text: str | None) -> str | None:
    """The key of a ``Key: value`` text (:data:`_KEYED`, up to 40 characters), else ``None``.

    >>> text_key("Tilt: 180"), text_key(" Grade Rule Table: T1"), text_key("HELLO")
    ('Tilt', 'Grade Rule Table', None)
    """
    m = _KEYED.match(text or "")
    return m.group(1) if m and len(m.group(1)) <= 40 else None


class SkipLog:
    """Skipped entities of known, harmless kinds, grouped into one report entry per kind
    (with the count, the blocks and the first handles)."""

    def __init__(self):
        self.groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        self.blocks: dict[tuple[str, str, str], set] = defaultdict(set)
        self.keys: dict[tuple[str, str, str], dict[str, None]] = defaultdict(dict)

    def add(self, reason: str, e, block: str | None, *, key: str | None = None) -> None:
        """Count ``e`` under ``reason``; ``key``: the key of a ``Key: value`` text, named in the
        entry (a Lectra export's `Rotation:`, `Flip:`, `Tilt:` texts were "48 TEXT" unnamed)."""
        if isinstance(e, Ent):
            typ, layer, handle = e.type, e.layer, e.handle
        else:
            typ, layer, handle = e.dxftype(), e.dxf.get("layer", "0"), e.dxf.get("handle", "")
        group = (reason, typ, layer)
        self.groups[group].append(handle)
        if block:
            self.blocks[group].add(block)
        if key:
            self.keys[group][key] = None

    def flush(self, report: ImportReport) -> None:
        for (reason, typ, layer), handles in sorted(self.groups.items()):
            nb = len(self.blocks[(reason, typ, layer)])
            where = f" in {nb} block(s)" if nb else ""
            keys = list(self.keys[(reason, typ, layer)])
            if keys:
                more = f" and {len(keys) - 6} more" if len(keys) > 6 else ""
                where += f", among them {', '.join(k + ':' for k in keys[:6])}{more}"
            known = [h for h in handles if h]
            if known:
                more = f" and {len(known) - 8} more" if len(known) > 8 else ""
                shown = "handles " + ", ".join(known[:8]) + more
            else:
                shown = "the file gives no handles"
            report.skip(f"{reason}: {len(handles)} {typ} on layer {layer}{where}", entity=shown)
        self.groups.clear()
        self.blocks.clear()
        self.keys.clear()


def _has_cut_line(ents: list) -> bool:
    return any(e.is_curve and e.layer in ("1", "84") for e in ents)


def _labelled(ents: list) -> bool:
    """Whether a block's texts name a piece (``Piece Name: Cuff``): a block so labelled is a piece
    even when its cut line is missing (then it fails as a piece, naming itself and its size, and
    is not skipped as a block of other drawings)."""
    return any(e.type in _TEXT_TYPES and e.layer in ("1", "0")
               and any(k == "name" for k, _ in parse_texts(e.text)) for e in ents)


def _set_text(raw: RawPiece, key: str, value: str) -> None:
    """The first text of each key is the piece's; a ``Size:`` naming another size is kept aside
    (:attr:`RawPiece.more_sizes`: the sizes of a graded nest drawn in one block)."""
    have = raw.texts.setdefault(key, value)
    if key == "size" and value.strip() != have.strip() and value.strip() not in raw.more_sizes:
        raw.more_sizes.append(value.strip())


def is_aama(data: DxfData) -> bool:
    """True when model space INSERTs blocks that carry a layer-1 (or 84) cut line."""
    return any(e.type == "INSERT" and _has_cut_line(data.blocks.get(e.name, ())) for e in data.msp)


#: the model-space text kitcut's own AAMA writers put beside ``Units: METRIC``
KITCUT_PRODUCT = "Product: kitcut"


def style_texts(data: DxfData, report: ImportReport, skips: SkipLog) -> dict:
    """The style texts of model space (``Style Name``, ``Units``...); other loose model-space
    entities are reported as skipped. A file kitcut wrote (``Product: kitcut``) means mm by its
    ``Units: METRIC``, which CLO writes over cm too (the size check then decides): a marker of
    patches, all under 100 mm, read back ten times too large."""
    found: dict = {}
    ours = False
    for e in data.msp:
        if e.type == "INSERT":
            continue
        if e.type in _TEXT_TYPES:
            if " ".join(str(e.text or "").split()).lower() == KITCUT_PRODUCT.lower():
                ours = True
                continue
            kvs = parse_texts(e.text)
            for key, value in kvs:
                found.setdefault(key, value)
            if not kvs:
                skips.add("style texts kitcut does not use", e, None, key=text_key(e.text))
            continue
        report.skip("entity in model space outside any piece block; not used", entity=e.describe())
    if ours and str(found.get("units", "")).strip().lower() == "metric":
        found["units"] = "MM"
    return found


def collect_aama(data: DxfData, *, report: ImportReport, skips: SkipLog,
                 mm_per_unit: float | None = None) -> list[RawPiece]:
    """The raw pieces of every INSERT: one per block; repeated INSERTs are counted (reported).
    ``mm_per_unit``: the drawing's units when known before the pieces are read (a grade rule
    label is taken at a grade point up to :data:`~kitcut.formats.reading.grade_labels.SNAP_MM`
    away; unknown units are taken for inches, the smaller tolerance in an mm drawing)."""
    snap = SNAP_MM / (mm_per_unit or 25.4)
    by_block: dict[str, list] = defaultdict(list)
    for ins in data.msp:
        if ins.type != "INSERT":
            continue
        ents = data.blocks.get(ins.name)
        if ents is None:
            report.skip(f"INSERT of a missing block '{ins.name}'", entity=ins.describe())
        elif not _has_cut_line(ents) and not _labelled(ents):
            report.skip(f"INSERT of block '{ins.name}' that has no cut line (layer 1)", entity=ins.describe())
        else:
            by_block[ins.name].append(ins)
    for name, ents in data.blocks.items():
        if name not in by_block and name not in data.nested and not name.startswith(("*", "$")) \
                and _has_cut_line(ents):
            report.skip(f"block '{block_name(name)}' has a cut line but is not inserted in model space; "
                        "not used")
    for name in data.merged:
        report.warn(f"block '{name}' is defined more than once and its definitions could not be told apart: "
                    "read as one block")
    raws = []
    for key, inserts in by_block.items():
        name = block_name(key)
        raw = _collect_block(name, data.blocks[key], inserts[0], skips, snap)
        if len(inserts) > 1:
            m0 = np.linalg.det(inserts[0].A) < 0
            flips = sum(1 for i in inserts if (np.linalg.det(i.A) < 0) != m0)
            raw.inserts = (len(inserts), flips)
            report.warn(f"block '{name}' is inserted {len(inserts)} times ({flips} mirrored): one piece is "
                        "read from the first INSERT; without a Quantity text the INSERTs count as copies",
                        piece=raw.name, entity=", ".join(i.describe() for i in inserts[1:4]))
        if n := sum(1 for d in raw.drills if d[3].startswith(CROSS_SOURCE)):
            report.warn(f"{n} drill mark(s) drawn as a cross of two short lines on layer 13: a drill at each "
                        "crossing point", piece=f"{raw.name} ({raw.texts['size']})" if raw.texts.get("size")
                        else raw.name)
        raws.append(raw)
    raws, laid = blocks_once(raws, data.repeats, report)
    for name, n in data.repeats.items():
        if name not in laid:
            report.warn(f"block '{name}' is defined {n} times (several pieces of one name: Valentina "
                        "names every piece 'Detail' until it is renamed): each definition is read as a piece "
                        "of its own, inserted by the INSERT of its rank")
    return raws


def _collect_block(bname: str, ents: list, ins: Ent, skips: SkipLog, snap: float) -> RawPiece:
    A, t = ins.A, ins.t
    mirrored = bool(np.linalg.det(A) < 0)
    lin = math.sqrt(abs(np.linalg.det(A))) or 1.0  # lengths along z (notch depth) scale with the mean

    def tr(pts: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore", over="ignore"):  # NaN/inf coordinates: named later, not warned
            return pts @ A + t

    def tr_xy(x: float, y: float) -> tuple[float, float]:
        p = np.array([x, y]) @ A + t
        return float(p[0]), float(p[1])

    def tr_angle(deg: float) -> float | None:
        if not math.isfinite(deg):  # a damaged file's angle: as if none were written
            return None
        v = np.array([math.cos(math.radians(deg)), math.sin(math.radians(deg))]) @ A
        return math.degrees(math.atan2(v[1], v[0]))

    raw = RawPiece(key=bname, block=bname, layer="1", mirrored_insert=mirrored,
                   insert_A=np.array(A, dtype=float))
    has84 = denser_84(ents)
    boundary_layer = "84" if has84 else "1"
    elements: list = []  # (kind, index or None, points) of every line and point, in drawing order
    bars: list = []  # (points, entity, source) of the straight open lines on layer 13
    labels: list = []  # (x, y, rule, layer, elements drawn before it, entity)
    markers: list = []  # (x, y) of the turn and curve point markers (layers 2, 3)
    kinds: list = []  # and the layer of each
    for e in [*ins.attribs, *ents]:  # the INSERT's ATTRIB values before the block's ATTDEF defaults
        typ, layer = e.type, e.layer
        if typ in _TEXT_TYPES:
            txt = e.text if typ == "TEXT" else tagged(e.text, e.tag)
            kvs = parse_texts(txt)
            kv = kvs[0] if kvs else None
            rule = _rule_number(txt)
            piece_text = layer in ("1", "0") or typ == "ATTRIB" or (layer == "15" and _KEYED.match(txt or ""))
            if len(kvs) > 1 and piece_text:  # one label of several lines
                for key, value in kvs:
                    if key == "annotation":
                        raw.annotations.append(value)
                    elif value:
                        _set_text(raw, key, value)
            elif rule is not None:
                labels.append((*tr_xy(e.x, e.y), rule, layer, len(elements), e))
            elif typ == "ATTDEF" and txt.lower().replace(" ", "").startswith("link:"):
                skips.add("ASTM notch dependency attributes (Link)", e, bname)
            elif kv and kv[0] == "annotation":
                if kv[1]:
                    raw.annotations.append(kv[1])
            elif kv and piece_text:
                if kv[1]:
                    _set_text(raw, kv[0], kv[1])
            elif txt.strip().upper() == "NM" and layer in ("8", "85"):
                if layer == "8":
                    raw.nm_points.append(tr_xy(e.x, e.y))
                skips.add("NM marks (not mirrored) on internal lines", e, bname)
            elif layer == "15" and txt.strip():
                raw.annotations.append(txt.strip())
            elif layer in ("8", "85", "13", "2", "3", "5", "4"):
                skips.add(f"labels on layer {layer}", e, bname)
            else:
                skips.add("texts kitcut does not use", e, bname, key=text_key(txt))
            continue
        if layer in _KNOWN_SKIPS:
            if layer in ("2", "3") and typ == "POINT":
                markers.append(tr_xy(e.x, e.y))
                kinds.append(layer)
            if layer == "5" and e.is_curve and len(e.points) >= 2:
                if raw.grade_ref is None:
                    raw.grade_ref = np.asarray(e.points, dtype=float)[[0, -1]]
                elements.append(("grain", None, tr(e.points)))
            skips.add(_KNOWN_SKIPS[layer], e, bname)
            continue
        if layer == "84" and not has84 and e.is_curve:
            skips.add("ASTM layer 84 not used: sparser than the layer-1 cut line (CLO writes a coarse "
                      "polygon there, up to 13 mm off the curve its notches lie on)", e, bname)
            continue
        if layer == "1" and has84 and e.is_curve:
            if len(e.points):
                elements.append(("boundary", None, tr(e.points)))
                raw.grade_lines.append(tr(e.points))
            skips.add("layer-1 cut line superseded by the denser ASTM layer 84", e, bname)
            continue
        src = e.describe(bname)
        if typ == "POINT":
            x, y = tr_xy(e.x, e.y)
            if layer == "4" or layer in NOTCH_LAYER_KINDS:
                elements.append(("notch", len(raw.notches), np.array([[x, y]])))
                raw.notches.append(point_notch(x, y, e.z * lin, e.thickness * lin,
                                               None if e.angle is None else tr_angle(e.angle), layer, src))
            elif layer == "13":
                elements.append(("drill", len(raw.drills), np.array([[x, y]])))
                raw.drills.append((x, y, abs(e.z) * lin, src))
            else:
                skips.add("points kitcut does not use", e, bname)
            continue
        if not e.is_curve:
            skips.add("entity types kitcut does not use in a piece block", e, bname)
            continue
        pts = tr(e.points) if len(e.points) else e.points
        if layer == boundary_layer:
            elements.append(("boundary", None, pts))
            raw.boundary.append((pts, e.closed, src))
        elif layer == "4" or layer in NOTCH_LAYER_KINDS:
            if len(pts) >= 2:
                elements.append(("notch", len(raw.notches), pts[[0, -1]]))
                raw.notches.append(RawNotch(float(pts[0][0]), float(pts[0][1]), line=pts[[0, -1]],
                                            kind=NOTCH_LAYER_KINDS.get(layer, "slit"), source=src))
        elif layer in _LINE_LISTS:
            kind, attr, with_closed = _LINE_LISTS[layer]
            items = getattr(raw, attr)
            elements.append((kind, len(items), pts))
            items.append((pts, e.closed, src) if with_closed else (pts, src))
        elif layer in ("9", "10") and len(pts) >= 2:  # stripe / plaid reference lines: match points
            raw.repeat_lines.append((pts, layer, src))
        elif layer == "13" and e.closed and len(pts) >= 3:  # a drill drawn as a circle
            c = pts.mean(axis=0)
            elements.append(("drill", len(raw.drills), c.reshape(1, 2)))
            raw.drills.append((float(c[0]), float(c[1]), float(np.ptp(pts, axis=0).max()), src))
        elif layer == "13" and len(pts) >= 2 and (len(pts) == 2 or is_straight(pts)):
            bars.append((pts, e, src))  # a drill drawn as a cross of two lines?
        else:
            skips.add("lines on layers kitcut does not use", e, bname)
    crossed = set()
    for x, y, i, j in crosses([p for p, _, _ in bars]):  # drawing units: at most 30 of them long
        elements.append(("drill", len(raw.drills), np.array([[x, y]])))
        raw.drills.append((x, y, 0.0, f"{CROSS_SOURCE} {bars[i][2]} and {bars[j][2]}"))
        crossed |= {i, j}
    for k, (_, e, _) in enumerate(bars):
        if k not in crossed:
            skips.add("lines on layers kitcut does not use", e, bname)
    if labels:
        resolve_marks(raw, elements, labels, markers, skips, bname, snap)
    if markers and not has84:
        xy, layer = np.array(markers, dtype=np.float64), np.array(kinds)
        raw.point_marks = (xy[layer == "2"], xy[layer == "3"])
    return raw


def denser_84(ents: list) -> bool:
    """The cut line is read from ASTM layer 84 when that is denser than layer 1, as AccuMark
    writes it (the interpolated curve, up to about 2 mm off the sparse layer 1). CLO writes a
    coarse polygon there (19 points against 149, 12.7 mm off the curve, its notches 0.45 mm off
    it and on layer 1): read from it, its pieces were cut as polygons."""
    n84 = sum(len(e.points) for e in ents if e.is_curve and e.layer == "84")
    n1 = sum(len(e.points) for e in ents if e.is_curve and e.layer == "1")
    return n84 > 0 and (n84 > n1 or n1 == 0)


#: layer -> (mark kind, RawPiece list, entries carry ``closed``)
_LINE_LISTS = {"6": ("fold", "fold", False), "7": ("grain", "grain", False),
               "8": ("internal", "internal", True), "11": ("cutouts", "cutouts", True),
               "14": ("sew", "sew", True)}


def _rule_number(text: str) -> int | None:
    """The rule of a grade point label: ``# 12``, ``Grade Rule: 12``, ``RULE: 12``; else ``None``."""
    m = _GRADE_RULE.match(text or "") or _RULE_TEXT.match(text or "")
    return int(m.group(1)) if m else None
