"""AAMA / ASTM D6673 pattern DXF: one BLOCK per piece (and size) placed by an INSERT.

:func:`collect_aama` walks the INSERTs of model space and sorts the entities of each block by
AAMA layer into a :class:`~kitcut.formats.build.RawPiece` (drawing units, INSERT transform
applied: position, rotation, scale, mirroring). Layer use:

1 cut line (or 84, the denser ASTM copy, when present) and piece texts · 4 notches (and ASTM
80-83) · 6 mirror line · 7 grain · 8 internal lines · 11 cut-outs · 13 drills · 14 sew line ·
15 annotations. Turn/curve points (2, 3), the grade reference (5, never the grain), grade rule
labels and the ASTM copies (85-87) are reported as skipped, grouped.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

import numpy as np

from kitcut.formats.build import NOTCH_LAYER_KINDS, RawNotch, RawPiece
from kitcut.formats.chains import CURVE_TYPES, describe, entity_points
from kitcut.formats.texts import entity_text, parse_text
from kitcut.model import ImportReport

__all__ = ["is_aama", "collect_aama", "SkipLog", "style_texts"]

_TEXT_TYPES = ("TEXT", "MTEXT", "ATTDEF", "ATTRIB")
_GRADE_RULE = re.compile(r"^\s*#\s*\d+\s*$")
_KNOWN_SKIPS = {
    "2": "turn points (layer 2)",
    "3": "curve points (layer 3)",
    "5": "grade reference line (layer 5, never taken for the grain)",
    "9": "stripe reference (layer 9)",
    "10": "plaid reference (layer 10)",
    "12": "cutter instruction (layer 12)",
    "85": "ASTM quality-validation copy of layer 8 (layer 85)",
    "86": "ASTM quality-validation copy of layer 11 (layer 86)",
    "87": "ASTM quality-validation copy of layer 14 (layer 87)",
}


class SkipLog:
    """Skipped entities of known, harmless kinds, grouped into one report entry per kind."""

    def __init__(self):
        self.groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        self.blocks: dict[tuple[str, str, str], set] = defaultdict(set)

    def add(self, reason: str, e, block: str | None) -> None:
        key = (reason, e.dxftype(), e.dxf.get("layer", "0"))
        self.groups[key].append(e.dxf.get("handle", "?"))
        if block:
            self.blocks[key].add(block)

    def flush(self, report: ImportReport) -> None:
        for (reason, typ, layer), handles in sorted(self.groups.items()):
            nb = len(self.blocks[(reason, typ, layer)])
            where = f" in {nb} block(s)" if nb else ""
            shown = ", ".join(handles[:8]) + (f" and {len(handles) - 8} more" if len(handles) > 8 else "")
            report.skip(f"{reason}: {len(handles)} {typ} on layer {layer}{where}", entity=f"handles {shown}")


def _inserts(doc):
    return [e for e in doc.modelspace() if e.dxftype() == "INSERT"]


def _has_cut_line(block) -> bool:
    return any(e.dxf.get("layer", "") in ("1", "84") and e.dxftype() in CURVE_TYPES for e in block)


def is_aama(doc) -> bool:
    """True when model space INSERTs blocks that carry a layer-1 (or 84) cut line, or when no
    INSERT exists but blocks do."""
    for ins in _inserts(doc):
        blk = doc.blocks.get(ins.dxf.name)
        if blk is not None and _has_cut_line(blk):
            return True
    return False


def style_texts(doc, report: ImportReport, skips: SkipLog) -> dict:
    """The style texts of model space (``Style Name``, ``Units``...); other loose model-space
    entities are reported as skipped."""
    found: dict = {}
    for e in doc.modelspace():
        t = e.dxftype()
        if t == "INSERT":
            continue
        if t in _TEXT_TYPES:
            kv = parse_text(entity_text(e) or "")
            if kv:
                found.setdefault(kv[0], kv[1])
                continue
            skips.add("style texts kitcut does not use", e, None)
            continue
        report.skip("entity in model space outside any piece block; not used", entity=describe(e))
    return found


def _matrix(ins) -> tuple[np.ndarray, np.ndarray, bool]:
    m = np.array(list(ins.matrix44().rows()), dtype=np.float64)
    A = m[:2, :2]
    t = m[3, :2]
    return A, t, bool(np.linalg.det(A) < 0)


def collect_aama(doc, *, flat_tol: float, report: ImportReport, skips: SkipLog, file: str) -> list[RawPiece]:
    """The raw pieces of every INSERT (one per block; repeated INSERTs counted, reported)."""
    by_block: dict[str, list] = defaultdict(list)
    for ins in _inserts(doc):
        blk = doc.blocks.get(ins.dxf.name)
        if blk is None:
            report.skip(f"INSERT of a missing block '{ins.dxf.name}'", entity=describe(ins))
            continue
        if not _has_cut_line(blk):
            report.skip(f"INSERT of block '{ins.dxf.name}' that has no cut line (layer 1)",
                        entity=describe(ins))
            continue
        by_block[ins.dxf.name].append(ins)
    inserted = set(by_block)
    for blk in doc.blocks:
        if blk.name.startswith("*") or blk.name.startswith("$") or blk.name in inserted:
            continue
        if _has_cut_line(blk):
            report.skip(f"block '{blk.name}' has a cut line but is not inserted in model space; not used")
    raws = []
    for name, inserts in by_block.items():
        raw = _collect_block(doc.blocks[name], inserts[0], flat_tol, skips)
        if len(inserts) > 1:
            _, _, m0 = _matrix(inserts[0])
            flips = sum(1 for i in inserts if _matrix(i)[2] != m0)
            raw.inserts = (len(inserts), flips)
            report.warn(f"block '{name}' is inserted {len(inserts)} times ({flips} mirrored): one piece is "
                        "read from the first INSERT; without a Quantity text the INSERTs count as copies",
                        piece=raw.name, entity=", ".join(describe(i) for i in inserts[1:4]))
        raws.append(raw)
    return raws


def _collect_block(block, ins, flat_tol: float, skips: SkipLog) -> RawPiece:
    A, t, mirrored = _matrix(ins)
    bname = block.name
    # scale of lengths along z (notch depth) follows the mean in-plane scale
    lin = math.sqrt(abs(np.linalg.det(A))) or 1.0

    def tr(pts: np.ndarray) -> np.ndarray:
        return pts @ A + t

    def tr_angle(deg: float) -> float:
        v = np.array([math.cos(math.radians(deg)), math.sin(math.radians(deg))]) @ A
        return math.degrees(math.atan2(v[1], v[0]))

    raw = RawPiece(key=bname, block=bname, layer="1", mirrored_insert=mirrored)
    ents = list(block)
    has84 = any(e.dxf.get("layer", "") == "84" and e.dxftype() in CURVE_TYPES for e in ents)
    boundary_layer = "84" if has84 else "1"
    texts = list(ents)
    for att in getattr(ins, "attribs", []):
        texts.append(att)
    for e in texts:
        typ = e.dxftype()
        layer = e.dxf.get("layer", "0")
        if typ in _TEXT_TYPES:
            txt = entity_text(e) or ""
            kv = parse_text(txt)
            if typ == "ATTDEF" and txt.lower().replace(" ", "").startswith("link:"):
                skips.add("ASTM notch dependency attributes (Link)", e, bname)
            elif kv and kv[0] == "annotation":
                if kv[1]:
                    raw.annotations.append(kv[1])
            elif kv and layer in ("1", "0") or (kv and typ == "ATTRIB"):
                raw.texts.setdefault(kv[0], kv[1])
            elif _GRADE_RULE.match(txt):
                skips.add("grade rule labels (# n)", e, bname)
            elif txt.strip().upper() == "NM" and layer in ("8", "85"):
                if layer == "8":
                    p = tr(np.array([[e.dxf.insert.x, e.dxf.insert.y]]))[0]
                    raw.nm_points.append(p)
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
        if layer == "1" and has84 and typ in CURVE_TYPES:
            skips.add("layer-1 cut line superseded by the denser ASTM layer 84", e, bname)
            continue
        src = describe(e, bname)
        if typ == "POINT":
            loc = e.dxf.location
            x, y = tr(np.array([[loc.x, loc.y]]))[0]
            if layer == "4" or layer in NOTCH_LAYER_KINDS:
                ang = e.dxf.get("angle", None)
                raw.notches.append(RawNotch(
                    float(x), float(y), z=abs(loc.z) * lin, width=abs(e.dxf.get("thickness", 0.0)) * lin,
                    angle=None if ang is None else tr_angle(float(ang)),
                    kind=NOTCH_LAYER_KINDS.get(layer, "slit"), source=src))
            elif layer == "13":
                raw.drills.append((float(x), float(y), abs(loc.z) * lin, src))
            else:
                skips.add("points kitcut does not use", e, bname)
            continue
        if typ not in CURVE_TYPES:
            skips.add("entity types kitcut does not use in a piece block", e, bname)
            continue
        got = entity_points(e, flat_tol)
        if got is None:
            skips.add("entity types kitcut does not use in a piece block", e, bname)
            continue
        pts, closed = got
        pts = tr(pts) if len(pts) else pts
        if layer == boundary_layer:
            raw.boundary.append((pts, closed, src))
        elif layer == "4" or layer in NOTCH_LAYER_KINDS:
            if len(pts) >= 2:
                raw.notches.append(RawNotch(float(pts[0][0]), float(pts[0][1]), line=pts[[0, -1]],
                                            kind=NOTCH_LAYER_KINDS.get(layer, "slit"), source=src))
        elif layer == "6":
            raw.fold.append((pts, src))
        elif layer == "7":
            raw.grain.append((pts, src))
        elif layer == "8":
            raw.internal.append((pts, closed, src))
        elif layer == "11":
            raw.cutouts.append((pts, closed, src))
        elif layer == "14":
            raw.sew.append((pts, closed, src))
        elif layer == "13" and e.dxftype() == "CIRCLE":
            c = e.dxf.center
            x, y = tr(np.array([[c.x, c.y]]))[0]
            raw.drills.append((float(x), float(y), 2 * e.dxf.radius * lin, src))
        else:
            skips.add("lines on layers kitcut does not use", e, bname)
    return raw
