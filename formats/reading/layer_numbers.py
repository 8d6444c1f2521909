"""AAMA layer numbers written with leading zeros (``01``, ``04``, ``13``).

The AAMA/ASTM reader knows a piece's lines by their layer number (1 cut line, 4 notches, 13
drill holes...). A file whose layers are named ``01``, ``02``, ``04`` holds nothing on layer
``1``, so it would be read as a plain drawing: stacked piece blocks taken for artwork. When the
file is an AAMA file once its zero-padded layer names are read as the numbers they write (a
model-space INSERT of a block with a cut line on layer ``01`` or ``084``, as
:func:`~kitcut.formats.reading.aama.is_aama` decides), they are read so, and said; a file that
is not AAMA either way keeps its layer names (a plain drawing's layer ``01`` is a name).

>>> padded_name("01"), padded_name("084"), padded_name("0"), padded_name("010A")
('1', '84', None, None)
"""

from __future__ import annotations

import re

from kitcut.formats.reading.dxf_fast import DxfData
from kitcut.model import ImportReport

__all__ = ["padded_name", "unpad_layers", "unpad_doc_layers"]

_PADDED = re.compile(r"0+([1-9]\d*)")
_CUT = ("1", "84")


def padded_name(layer: str) -> str | None:
    """The layer number a zero-padded name writes (``"01"`` -> ``"1"``), else ``None``."""
    m = _PADDED.fullmatch(layer.strip())
    return m.group(1) if m else None


#: Names some CADs give AAMA's layers (the letters and digits of a name, lower case): in a file
#: of piece blocks stacked at one place, as AccuMark inserts them, they are read as the numbers.
_ROLE_NAMES = {
    "1": "cut cutline cutlines boundary outline contour perimeter text texts label labels annotation "
         "annotations",
    "2": "turnpoints", "3": "curvepoints", "4": "notch notches", "6": "fold foldline mirror mirrorline",
    "7": "grain grainline", "8": "internal internalline internallines mark marks",
    "13": "drill drills drillholes",
    "14": "sew sewline sewlines seam seamline stitch"}
_BY_NAME = {w: n for n, ws in _ROLE_NAMES.items() for w in ws.split()}
_L_NUMBER = re.compile(r"l(?:ayer)?0*([1-9]\d*)")


def role_number(layer: str) -> str | None:
    """The AAMA layer number a layer name stands for (``Boundary`` 1, ``Grain`` 7, ``L8`` 8),
    else ``None``.

    >>> role_number("Boundary"), role_number("Internal Lines"), role_number("L13"), role_number("Front")
    ('1', '8', '13', None)
    """
    key = re.sub(r"[\s_\-.]", "", layer).lower()
    m = _L_NUMBER.fullmatch(key)
    return m.group(1) if m else _BY_NAME.get(key)


def _say_named(renamed: dict[str, str], report: ImportReport) -> None:
    shown = ", ".join(f"{a} as {b}" for a, b in sorted(renamed.items(), key=lambda kv: (int(kv[1]), kv[0])))
    report.warn("piece blocks inserted at one place, on layers named for AAMA's: read as AAMA piece blocks, "
                f"one piece per block, the layers as the numbers they stand for: {shown} (read as a plain "
                "drawing, the pieces lay on each other and were taken for one)")


def _say(renamed: dict[str, str], report: ImportReport) -> None:
    shown = ", ".join(f"{a} as {b}" for a, b in sorted(renamed.items(), key=lambda kv: int(kv[1])))
    report.warn(f"layer names with leading zeros read as the AAMA layer numbers they write: {shown}")


def _mapping(layers: set[str]) -> dict[str, str]:
    """Padded name -> number (``01`` and ``1`` both layer 1)."""
    return {name: n for name in layers if (n := padded_name(name)) is not None}


def _spare(renamed: dict[str, str], layers: set[str]) -> dict[str, str]:
    """The padded names of a file that is AAMA as written whose numbers no layer of its blocks
    (``layers``) is named as written: an ASTM file with layers ``01``, ``04`` beside its ``84``
    had every name, size, notch and grain line (on ``01``, ``04``, ``07``) left out without a
    word."""
    return {a: b for a, b in renamed.items() if b not in layers}


def unpad_layers(data: DxfData, report: ImportReport) -> None:
    """Read the zero-padded layer names of ``data`` (the fast reader's entities) as AAMA layer
    numbers, in place, when that makes it an AAMA file and it is not one as written, or when it is
    one as written and no layer is named as the number (:func:`_spare`)."""
    from kitcut.formats.reading.aama import is_aama

    ents = [*data.msp, *(a for e in data.msp for a in e.attribs),
            *(e for b in data.blocks.values() for e in b)]
    renamed = _mapping({e.layer for e in ents})
    if renamed and is_aama(data):  # AAMA as written (an ASTM file's layer 84): its padded layers too
        renamed = _spare(renamed, {e.layer for name, b in data.blocks.items() if not name.startswith("*")
                                   for e in b})
        for e in ents:
            e.layer = renamed.get(e.layer, e.layer)
        if renamed:
            _say(renamed, report)
        return
    if renamed and any(n in _CUT for n in renamed.values()) and _try(data, ents, renamed, is_aama):
        _say(renamed, report)
        return
    named = {layer: n for layer in {e.layer for e in ents} if (n := role_number(layer)) is not None}
    if not is_aama(data) and named and _try(data, ents, named, lambda d: is_aama(d) and _stacked(d)):
        _say_named(named, report)


def _try(data: DxfData, ents: list, renamed: dict[str, str], holds) -> bool:
    """Rename the layers of ``ents`` when ``holds(data)`` then; else leave them."""
    before = [e.layer for e in ents]
    for e in ents:
        e.layer = renamed.get(e.layer, e.layer)
    if holds(data):
        return True
    for e, layer in zip(ents, before, strict=True):
        e.layer = layer
    return False


def _stacked(data: DxfData) -> bool:
    """Whether two blocks with a cut line on layer 1 are inserted at one place (AccuMark's way:
    a plain reading lays them on each other)."""
    from kitcut.formats.reading.aama import _has_cut_line

    return _one_place((e.name, e.t[0], e.t[1]) for e in data.msp if e.type == "INSERT" and e.t is not None
                      and _has_cut_line(data.blocks.get(e.name, ())))


def _one_place(inserts) -> bool:
    """Whether two of ``inserts`` (block name, x, y) of different blocks stand at one place."""
    at: dict[tuple, set] = {}
    for name, x, y in inserts:
        at.setdefault((round(float(x), 6), round(float(y), 6)), set()).add(name)
    return any(len(names) > 1 for names in at.values())


def unpad_doc_layers(doc, report: ImportReport) -> None:
    """As :func:`unpad_layers` for a drawing read by ezdxf (its entities' layers renamed)."""
    blocks = {blk.name: list(blk) for blk in doc.blocks}
    msp = list(doc.modelspace())
    ents = [*msp, *(e for es in blocks.values() for e in es)]
    ents += [a for e in msp if e.dxftype() == "INSERT" for a in e.attribs]
    ents = [e for e in ents if e.dxf.is_supported("layer")]  # a damaged type has no layer
    blocks = {name: [e for e in es if e.dxf.is_supported("layer")] for name, es in blocks.items()}
    layers = {e.dxf.get("layer", "0") for e in ents}
    renamed = _mapping(layers)
    if not renamed:
        _doc_named(msp, blocks, ents, layers, report)
        return
    if _doc_cut_blocks(blocks, str):  # AAMA as written (an ASTM file's layer 84): padded too
        renamed = _spare(renamed, {e.dxf.get("layer", "0") for name, es in blocks.items()
                                   if not name.startswith("*") for e in es})
        if renamed:
            _rename_doc(ents, renamed)
            _say(renamed, report)
        return
    cut = _doc_cut_blocks(blocks, renamed.get)
    if not any(e.dxftype() == "INSERT" and e.dxf.get("name", "") in cut for e in msp):
        _doc_named(msp, blocks, ents, layers, report)
        return
    _rename_doc(ents, renamed)
    _say(renamed, report)


def _doc_cut_blocks(blocks: dict, layer_of) -> set[str]:
    """The blocks (``{name: entities}`` of a drawing read by ezdxf) with a curve on a cut layer,
    the layer of each entity read by ``layer_of`` (a name to its AAMA number, else None)."""
    from kitcut.formats.reading.chains import CURVE_TYPES

    return {name for name, es in blocks.items()
            if any(e.dxftype() in CURVE_TYPES and layer_of(e.dxf.get("layer", "")) in _CUT for e in es)}


def _rename_doc(ents: list, renamed: dict[str, str]) -> None:
    for e in ents:
        layer = e.dxf.get("layer", "0")
        if layer in renamed:
            e.dxf.layer = renamed[layer]


def _doc_named(msp: list, blocks: dict, ents: list, layers: set, report: ImportReport) -> None:
    """As :func:`unpad_layers` for the layers named for AAMA's (:func:`role_number`) of a drawing
    read by ezdxf: renamed when two blocks with a cut line on such a layer are inserted at one
    place and no block has a cut line on layer 1 as written."""
    named = {layer: n for layer in layers if (n := role_number(layer)) is not None}
    if not named or _doc_cut_blocks(blocks, str):
        return
    cut = _doc_cut_blocks(blocks, named.get)
    at = [(e.dxf.name, e.dxf.get("insert", (0.0, 0.0, 0.0))) for e in msp
          if e.dxftype() == "INSERT" and e.dxf.get("name", "") in cut]
    if not _one_place((name, p[0], p[1]) for name, p in at):
        return
    _rename_doc(ents, named)
    _say_named(named, report)
