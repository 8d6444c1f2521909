"""AAMA / ASTM D6673 pattern DXF: one BLOCK per piece (and size) placed by an INSERT.

:func:`collect_aama` walks the INSERTs of model space and sorts the entities of each block by
AAMA layer into a :class:`~kitcut.formats.reading.build.RawPiece` (drawing units, INSERT transform
applied: position, rotation, scale, mirroring). It works on the light entities of
:mod:`kitcut.formats.reading.dxf_fast` (from the fast reader or converted from ezdxf). Layer use:

1 cut line (or 84, the denser ASTM copy, when present) and piece texts · 4 notches (and ASTM
80-83) · 6 mirror line · 7 grain · 8 internal lines · 11 cut-outs · 13 drills · 14 sew line ·
15 annotations. Turn/curve points (2, 3), the grade reference (5, never the grain), grade rule
labels and the ASTM copies (85-87) are reported as skipped, grouped by kind.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

import numpy as np

from kitcut.formats.reading.build import NOTCH_LAYER_KINDS, RawNotch, RawPiece
from kitcut.formats.reading.dxf_fast import DxfData, Ent
from kitcut.formats.reading.texts import parse_text
from kitcut.model import ImportReport

__all__ = ["is_aama", "collect_aama", "SkipLog", "style_texts"]

_TEXT_TYPES = ("TEXT", "MTEXT", "ATTDEF", "ATTRIB")
_GRADE_RULE = re.compile(r"^\s*#\s*\d+\s*$")
_KNOWN_SKIPS = {
    "2": "turn points (layer 2)",
    "3": "curve points (layer 3)",
    "5": "grade reference line (layer 5, never taken for the grain)",
    "12": "cutter instruction (layer 12)",
    "85": "ASTM quality-validation copy of layer 8 (layer 85)",
    "86": "ASTM quality-validation copy of layer 11 (layer 86)",
    "87": "ASTM quality-validation copy of layer 14 (layer 87)",
}


class SkipLog:
    """Skipped entities of known, harmless kinds, grouped into one report entry per kind
    (with the count, the blocks and the first handles)."""

    def __init__(self):
        self.groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        self.blocks: dict[tuple[str, str, str], set] = defaultdict(set)

    def add(self, reason: str, e, block: str | None) -> None:
        if isinstance(e, Ent):
            typ, layer, handle = e.type, e.layer, e.handle
        else:
            typ, layer, handle = e.dxftype(), e.dxf.get("layer", "0"), e.dxf.get("handle", "")
        key = (reason, typ, layer)
        self.groups[key].append(handle)
        if block:
            self.blocks[key].add(block)

    def flush(self, report: ImportReport) -> None:
        for (reason, typ, layer), handles in sorted(self.groups.items()):
            nb = len(self.blocks[(reason, typ, layer)])
            where = f" in {nb} block(s)" if nb else ""
            known = [h for h in handles if h]
            if known:
                more = f" and {len(known) - 8} more" if len(known) > 8 else ""
                shown = "handles " + ", ".join(known[:8]) + more
            else:
                shown = "the file gives no handles"
            report.skip(f"{reason}: {len(handles)} {typ} on layer {layer}{where}", entity=shown)
        self.groups.clear()
        self.blocks.clear()


def _has_cut_line(ents: list) -> bool:
    return any(e.is_curve and e.layer in ("1", "84") for e in ents)


def is_aama(data: DxfData) -> bool:
    """True when model space INSERTs blocks that carry a layer-1 (or 84) cut line."""
    return any(e.type == "INSERT" and _has_cut_line(data.blocks.get(e.name, ())) for e in data.msp)


def style_texts(data: DxfData, report: ImportReport, skips: SkipLog) -> dict:
    """The style texts of model space (``Style Name``, ``Units``...); other loose model-space
    entities are reported as skipped."""
    found: dict = {}
    for e in data.msp:
        if e.type == "INSERT":
            continue
        if e.type in _TEXT_TYPES:
            kv = parse_text(e.text)
            if kv:
                found.setdefault(kv[0], kv[1])
            else:
                skips.add("style texts kitcut does not use", e, None)
            continue
        report.skip("entity in model space outside any piece block; not used", entity=e.describe())
    return found


def collect_aama(data: DxfData, *, report: ImportReport, skips: SkipLog) -> list[RawPiece]:
    """The raw pieces of every INSERT: one per block; repeated INSERTs are counted (reported)."""
    by_block: dict[str, list] = defaultdict(list)
    for ins in data.msp:
        if ins.type != "INSERT":
            continue
        ents = data.blocks.get(ins.name)
        if ents is None:
            report.skip(f"INSERT of a missing block '{ins.name}'", entity=ins.describe())
        elif not _has_cut_line(ents):
            report.skip(f"INSERT of block '{ins.name}' that has no cut line (layer 1)", entity=ins.describe())
        else:
            by_block[ins.name].append(ins)
    for name, ents in data.blocks.items():
        if name not in by_block and not name.startswith(("*", "$")) and _has_cut_line(ents):
            report.skip(f"block '{name}' has a cut line but is not inserted in model space; not used")
    raws = []
    for name, inserts in by_block.items():
        raw = _collect_block(name, data.blocks[name], inserts[0], skips)
        if len(inserts) > 1:
            m0 = np.linalg.det(inserts[0].A) < 0
            flips = sum(1 for i in inserts if (np.linalg.det(i.A) < 0) != m0)
            raw.inserts = (len(inserts), flips)
            report.warn(f"block '{name}' is inserted {len(inserts)} times ({flips} mirrored): one piece is "
                        "read from the first INSERT; without a Quantity text the INSERTs count as copies",
                        piece=raw.name, entity=", ".join(i.describe() for i in inserts[1:4]))
        raws.append(raw)
    return raws


def _collect_block(bname: str, ents: list, ins: Ent, skips: SkipLog) -> RawPiece:
    A, t = ins.A, ins.t
    mirrored = bool(np.linalg.det(A) < 0)
    lin = math.sqrt(abs(np.linalg.det(A))) or 1.0  # lengths along z (notch depth) scale with the mean

    def tr(pts: np.ndarray) -> np.ndarray:
        return pts @ A + t

    def tr_xy(x: float, y: float) -> tuple[float, float]:
        p = np.array([x, y]) @ A + t
        return float(p[0]), float(p[1])

    def tr_angle(deg: float) -> float:
        v = np.array([math.cos(math.radians(deg)), math.sin(math.radians(deg))]) @ A
        return math.degrees(math.atan2(v[1], v[0]))

    raw = RawPiece(key=bname, block=bname, layer="1", mirrored_insert=mirrored)
    has84 = any(e.is_curve and e.layer == "84" for e in ents)
    boundary_layer = "84" if has84 else "1"
    for e in [*ins.attribs, *ents]:  # the INSERT's ATTRIB values before the block's ATTDEF defaults
        typ, layer = e.type, e.layer
        if typ in _TEXT_TYPES:
            txt = e.text
            if typ != "TEXT" and ":" not in txt and e.tag:
                txt = f"{e.tag.replace('_', ' ')}: {txt}"
            kv = parse_text(txt)
            if typ == "ATTDEF" and txt.lower().replace(" ", "").startswith("link:"):
                skips.add("ASTM notch dependency attributes (Link)", e, bname)
            elif kv and kv[0] == "annotation":
                if kv[1]:
                    raw.annotations.append(kv[1])
            elif kv and (layer in ("1", "0") or typ == "ATTRIB"):
                if kv[1]:
                    raw.texts.setdefault(kv[0], kv[1])
            elif _GRADE_RULE.match(txt):
                skips.add("grade rule labels (# n)", e, bname)
            elif txt.strip().upper() == "NM" and layer in ("8", "85"):
                if layer == "8":
                    raw.nm_points.append(tr_xy(e.x, e.y))
                skips.add("NM marks (not mirrored) on internal lines", e, bname)
            elif layer == "15" and txt.strip():
                raw.annotations.append(txt.strip())
            elif layer in ("8", "85", "13", "2", "3", "5", "4"):
                skips.add(f"labels on layer {layer}", e, bname)
            else:
                skips.add("texts kitcut does not use", e, bname)
            continue
        if layer in _KNOWN_SKIPS:
            skips.add(_KNOWN_SKIPS[layer], e, bname)
            continue
        if layer == "1" and has84 and e.is_curve:
            skips.add("layer-1 cut line superseded by the denser ASTM layer 84", e, bname)
            continue
        src = e.describe(bname)
        if typ == "POINT":
            x, y = tr_xy(e.x, e.y)
            if layer == "4" or layer in NOTCH_LAYER_KINDS:
                raw.notches.append(RawNotch(
                    x, y, z=abs(e.z) * lin, width=abs(e.thickness) * lin,
                    angle=None if e.angle is None else tr_angle(e.angle),
                    kind=NOTCH_LAYER_KINDS.get(layer, "slit"), source=src))
            elif layer == "13":
                raw.drills.append((x, y, abs(e.z) * lin, src))
            else:
                skips.add("points kitcut does not use", e, bname)
            continue
        if not e.is_curve:
            skips.add("entity types kitcut does not use in a piece block", e, bname)
            continue
        pts = tr(e.points) if len(e.points) else e.points
        if layer == boundary_layer:
            raw.boundary.append((pts, e.closed, src))
        elif layer == "4" or layer in NOTCH_LAYER_KINDS:
            if len(pts) >= 2:
                raw.notches.append(RawNotch(float(pts[0][0]), float(pts[0][1]), line=pts[[0, -1]],
                                            kind=NOTCH_LAYER_KINDS.get(layer, "slit"), source=src))
        elif layer == "6":
            raw.fold.append((pts, src))
        elif layer == "7":
            raw.grain.append((pts, src))
        elif layer == "8":
            raw.internal.append((pts, e.closed, src))
        elif layer == "11":
            raw.cutouts.append((pts, e.closed, src))
        elif layer == "14":
            raw.sew.append((pts, e.closed, src))
        elif layer in ("9", "10") and len(pts) >= 2:  # stripe / plaid reference lines: match points
            raw.repeat_lines.append((pts, layer, src))
        elif layer == "13" and e.closed and len(pts) >= 3:  # a drill drawn as a circle
            c = pts.mean(axis=0)
            raw.drills.append((float(c[0]), float(c[1]), float(np.ptp(pts, axis=0).max()), src))
        else:
            skips.add("lines on layers kitcut does not use", e, bname)
    return raw
