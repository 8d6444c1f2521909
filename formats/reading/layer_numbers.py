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
    if not renamed or not any(n in _CUT for n in renamed.values()):
        return
    before = [e.layer for e in ents]
    for e in ents:
        e.layer = renamed.get(e.layer, e.layer)
    if not is_aama(data):
        for e, layer in zip(ents, before, strict=True):
            e.layer = layer
        return
    _say(renamed, report)


def unpad_doc_layers(doc, report: ImportReport) -> None:
    """As :func:`unpad_layers` for a drawing read by ezdxf (its entities' layers renamed)."""
    from kitcut.formats.reading.chains import CURVE_TYPES

    blocks = {blk.name: list(blk) for blk in doc.blocks}
    msp = list(doc.modelspace())
    ents = [*msp, *(e for es in blocks.values() for e in es)]
    ents += [a for e in msp if e.dxftype() == "INSERT" for a in e.attribs]
    ents = [e for e in ents if e.dxf.is_supported("layer")]  # a damaged type has no layer
    blocks = {name: [e for e in es if e.dxf.is_supported("layer")] for name, es in blocks.items()}
    layers = {e.dxf.get("layer", "0") for e in ents}
    renamed = _mapping(layers)
    if not renamed:
        return
    if any(e.dxftype() in CURVE_TYPES and e.dxf.get("layer", "") in _CUT
           for es in blocks.values() for e in es):  # AAMA as written (an ASTM file's layer 84): padded too
        renamed = _spare(renamed, {e.dxf.get("layer", "0") for name, es in blocks.items()
                                   if not name.startswith("*") for e in es})
        if renamed:
            for e in ents:
                layer = e.dxf.get("layer", "0")
                if layer in renamed:
                    e.dxf.layer = renamed[layer]
            _say(renamed, report)
        return
    cut = {name for name, es in blocks.items()
           if any(e.dxftype() in CURVE_TYPES and renamed.get(e.dxf.get("layer", "")) in _CUT for e in es)}
    if not any(e.dxftype() == "INSERT" and e.dxf.get("name", "") in cut for e in msp):
        return
    for e in ents:
        layer = e.dxf.get("layer", "0")
        if layer in renamed:
            e.dxf.layer = renamed[layer]
    _say(renamed, report)
