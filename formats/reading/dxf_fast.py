"""A fast reader for the DXF subset AAMA pattern files use, and the light entities it yields.

AAMA / ASTM exports are DXF R12: BLOCKs of POLYLINE/VERTEX, LINE, POINT and TEXT, placed by
INSERTs. :func:`parse_fast` reads such a file with numpy (group codes and values parsed by
column, not tag by tag), about ten times faster than a full ezdxf load. It returns ``None``
for anything outside that subset (binary DXF, other entity types, odd structure), and the
caller then reads the file with ezdxf and converts its entities with :func:`from_ezdxf_entity`.
Both paths give the same :class:`Ent` objects, so the AAMA reader has one code path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from kitcut.formats.reading.texts import dxf_text, unescape

__all__ = ["Ent", "DxfData", "parse_fast", "from_ezdxf_entity", "from_ezdxf_doc", "insert_matrix",
           "insert_copies", "block_name", "repeated_blocks"]

#: Entity types the fast reader understands; any other type sends the file to ezdxf.
FAST_TYPES = frozenset({
    "POLYLINE", "VERTEX", "SEQEND", "LINE", "POINT", "TEXT", "INSERT", "ATTRIB", "ATTDEF",
})


@dataclass(eq=False)
class Ent:
    """One entity, reduced to what the pattern readers use.

    Curves carry ``points`` (``float64[n, 2]``, flattened) and ``closed``; POINT, TEXT,
    ATTRIB and ATTDEF carry ``x, y, z`` (location or insertion point); INSERTs carry the
    block ``name``, the transform ``A`` (2×2, row vectors: ``p @ A + t``) and ``t``, and
    their ``attribs``.
    """

    type: str
    layer: str = "0"
    handle: str = ""
    x: float = 0.0
    y: float = 0.0
    z: float = 0.0
    text: str = ""
    tag: str = ""
    name: str = ""
    thickness: float = 0.0
    angle: float | None = None
    points: np.ndarray | None = None
    closed: bool = False
    A: np.ndarray | None = None
    t: np.ndarray | None = None
    attribs: list = field(default_factory=list)

    @property
    def is_curve(self) -> bool:
        return self.points is not None

    def describe(self, block: str | None = None) -> str:
        s = f"{self.type}{' #' + self.handle if self.handle else ''} on layer {self.layer}"
        return s + (f" in block {block}" if block else "")


@dataclass
class DxfData:
    """Model space, blocks (name -> entities) and the ``$INSUNITS`` and ``$MEASUREMENT`` header values."""

    msp: list
    blocks: dict
    insunits: int | None = None
    #: ``$MEASUREMENT`` (0 imperial, 1 metric): decides between cm and inches when the sizes fit both
    measurement: int | None = None
    fast: bool = True
    #: blocks whose entities were put into the blocks inserting them (:mod:`~kitcut.formats.reading.blocks`)
    nested: set = field(default_factory=set)
    #: block name -> how many times the BLOCKS section defines it, for names defined more than once
    #: (each definition is its own block, see :func:`repeat_key`)
    repeats: dict = field(default_factory=dict)
    #: names defined more than once whose definitions could not be told apart (read as one block)
    merged: list = field(default_factory=list)


def repeat_key(name: str, n: int) -> str:
    """The key in :attr:`DxfData.blocks` of the ``n``-th definition (``n >= 2``) of a block name
    the BLOCKS section defines more than once: Valentina gives each piece's block the piece's
    name, and names every piece ``Detail`` (``Деталь``...) until the user renames it.

    >>> repeat_key("Detail", 2), block_name(repeat_key("Detail", 2)), block_name("Detail")
    ('Detail\\x002', 'Detail', 'Detail')
    """
    return f"{name}\x00{n}"


def block_name(key: str) -> str:
    """The block name of a key of :attr:`DxfData.blocks` (see :func:`repeat_key`)."""
    return key.split("\x00", 1)[0]


def _pair_repeats(msp: list, repeats: dict) -> None:
    """The ``i``-th model-space INSERT of a block name defined more than once inserts its
    ``i``-th definition (INSERTs beyond the definitions insert the first)."""
    seen: dict = {}
    for e in msp:
        if e.type == "INSERT" and e.name in repeats:
            i = seen[e.name] = seen.get(e.name, 0) + 1
            if 1 < i <= repeats[e.name]:
                e.name = repeat_key(e.name, i)


def insert_matrix(x, y, sx, sy, rot_deg, base=(0.0, 0.0)) -> tuple[np.ndarray, np.ndarray]:
    """``(A, t)`` of an INSERT: block point ``p`` lands at ``p @ A + t``."""
    c, s = math.cos(math.radians(rot_deg)), math.sin(math.radians(rot_deg))
    A = np.array([[sx * c, sx * s], [-sy * s, sy * c]])
    t = np.array([x, y]) - np.asarray(base, dtype=np.float64) @ A
    return A, t


def _column(codes, vals, owner, n, code, default=np.nan) -> np.ndarray:
    idx = np.flatnonzero(codes == code)
    out = np.full(n, default, dtype=np.float64)
    if len(idx):
        out[owner[idx]] = np.array([vals[i] for i in idx], dtype=np.float64)
    return out


def _strings(codes, vals, owner, code) -> dict:
    idx = np.flatnonzero(codes == code)
    return {int(owner[i]): vals[i] for i in idx}


def _utf8_else_cp1252(s: str) -> str:
    raw = s.encode("latin-1")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _lines(data: bytes) -> list[str]:
    """The lines of the file, byte for byte (Latin-1), split only at CR/LF."""
    text = data.decode("latin-1")
    lines = text.split("\n") if "\n" in text else text.split("\r")
    if "\r" in text:
        lines = [ln.rstrip("\r") for ln in lines]
    while lines and not lines[-1]:
        lines.pop()
    if len(lines) % 2:
        lines = lines[:-1]
    return lines


def parse_fast(data: bytes, decode: Callable[[str], str] | None = None) -> DxfData | None:
    """Parse an ASCII DXF of the AAMA subset; ``None`` when the file needs the full reader.

    Lines are read byte for byte; ``decode`` turns a string value (a Latin-1 reading of its
    bytes) into its text (see :meth:`kitcut.formats.reading.encoding.TextDecision.decode_value`;
    default: UTF-8, else cp1252). DXF escapes in texts are then resolved
    (:func:`kitcut.formats.reading.texts.dxf_text`)."""
    if data.startswith(b"AutoCAD Binary DXF"):
        return None
    decode = decode or _utf8_else_cp1252
    lines = _lines(data)
    try:
        codes = np.array(lines[0::2]).astype(np.int64)
    except ValueError:
        return None
    vals = lines[1::2]
    is0 = codes == 0
    starts = np.flatnonzero(is0)
    if len(starts) == 0:
        return None
    owner = np.cumsum(is0) - 1
    n = len(starts)
    types = [vals[i].strip() for i in starts]
    try:
        X = _column(codes, vals, owner, n, 10, 0.0)
        Y = _column(codes, vals, owner, n, 20, 0.0)
        Z = _column(codes, vals, owner, n, 30, 0.0)
        X2 = _column(codes, vals, owner, n, 11, 0.0)
        Y2 = _column(codes, vals, owner, n, 21, 0.0)
        TH = _column(codes, vals, owner, n, 39, 0.0)
        ANG = _column(codes, vals, owner, n, 50)
        S41 = _column(codes, vals, owner, n, 41, 1.0)
        S42 = _column(codes, vals, owner, n, 42, 1.0)  # INSERT y scale; VERTEX bulge
        B42 = _column(codes, vals, owner, n, 42, 0.0)
        EXX = _column(codes, vals, owner, n, 210, 0.0)
        EXY = _column(codes, vals, owner, n, 220, 0.0)
        EXZ = _column(codes, vals, owner, n, 230, 1.0)
        FL = _column(codes, vals, owner, n, 70, 0.0)
        ROWS = _column(codes, vals, owner, n, 71, 0.0)  # MINSERT rows (70: its columns)
        AX = _column(codes, vals, owner, n, 11)  # a text's alignment point (NaN: none)
        AY = _column(codes, vals, owner, n, 21)
        H72 = _column(codes, vals, owner, n, 72, 0.0)  # a text's horizontal alignment
        V73 = _column(codes, vals, owner, n, 73, 0.0)  # a TEXT's vertical alignment
        V74 = _column(codes, vals, owner, n, 74, 0.0)  # an ATTRIB's or ATTDEF's vertical alignment
    except ValueError:
        return None
    # an entity in its own coordinate system (turned over or tilted): ezdxf maps it to the world
    turned = (EXZ < 0) | (EXX != 0) | (EXY != 0)
    layers = {k: unescape(decode(v)) for k, v in _strings(codes, vals, owner, 8).items()}
    handles = _strings(codes, vals, owner, 5)
    names = {k: unescape(decode(v)) for k, v in _strings(codes, vals, owner, 2).items()}
    texts = {k: dxf_text(decode(v)) for k, v in _strings(codes, vals, owner, 1).items()}
    tags = names  # ATTRIB/ATTDEF tag is group 2 as well
    header: dict[str, int] = {}
    for i in np.flatnonzero(codes == 9):
        var = vals[i].strip()
        if var in ("$INSUNITS", "$MEASUREMENT") and i + 1 < len(codes) and codes[i + 1] == 70:
            try:
                header[var] = int(float(vals[i + 1]))
            except ValueError:
                return None
    msp: list = []
    blocks: dict = {}
    repeats: dict = {}
    section = None
    current = None
    bases: dict = {}
    k = 0
    while k < n:
        typ = types[k]
        if typ == "SECTION":
            section = names.get(k, "").strip()
            k += 1
            continue
        if typ in ("ENDSEC", "EOF"):
            section = None
            k += 1
            continue
        if section not in ("BLOCKS", "ENTITIES"):
            k += 1
            continue
        if section == "BLOCKS" and typ == "BLOCK":
            current = []
            bname = names.get(k, "").strip()
            if bname in blocks:
                repeats[bname] = repeats.get(bname, 1) + 1
                bname = repeat_key(bname, repeats[bname])
            blocks[bname] = current
            bases[bname] = (X[k], Y[k])
            k += 1
            continue
        if typ == "ENDBLK":
            current = None
            k += 1
            continue
        if typ not in FAST_TYPES:
            return None
        target = current if section == "BLOCKS" else msp
        if target is None:
            return None
        layer = layers.get(k, "0").strip()
        handle = handles.get(k, "").strip()
        if typ == "POLYLINE":
            flags = int(FL[k])
            e_start = k + 1
            e_end = e_start
            while e_end < n and types[e_end] == "VERTEX":
                e_end += 1
            if e_end >= n or types[e_end] != "SEQEND" or flags & (16 | 64) or turned[k]:
                return None
            if np.any(B42[e_start:e_end] != 0):
                return None  # arcs in polylines: leave them to ezdxf's flattening
            on_curve = (FL[e_start:e_end].astype(np.int64) & 16) == 0  # not a spline's control frame
            pts = np.column_stack([X[e_start:e_end], Y[e_start:e_end]])[on_curve]
            target.append(Ent("POLYLINE", layer, handle, points=pts, closed=bool(flags & 1)))
            k = e_end + 1
            continue
        if typ in ("VERTEX", "SEQEND"):
            return None  # outside a POLYLINE: let ezdxf judge
        if turned[k]:
            return None
        if typ == "LINE":
            target.append(Ent("LINE", layer, handle, points=np.array([[X[k], Y[k]], [X2[k], Y2[k]]])))
        elif typ == "POINT":
            ang = ANG[k]
            target.append(Ent("POINT", layer, handle, x=X[k], y=Y[k], z=Z[k], thickness=TH[k],
                              angle=None if math.isnan(ang) else float(ang)))
        elif typ in ("TEXT", "ATTDEF", "ATTRIB"):
            x, y = _text_point(k, X, Y, AX, AY, H72, V73 if typ == "TEXT" else V74)
            target.append(Ent(typ, layer, handle, x=x, y=y, z=Z[k], text=texts.get(k, ""),
                              tag=tags.get(k, "").strip() if typ != "TEXT" else ""))
        elif typ == "INSERT":
            if FL[k] > 1 or ROWS[k] > 1:
                return None  # a MINSERT (a grid of copies): ezdxf places each one
            name = names.get(k, "").strip()
            rot = 0.0 if math.isnan(ANG[k]) else ANG[k]
            ent = Ent("INSERT", layer, handle, name=name)
            ent.x, ent.y = X[k], Y[k]
            ent.A = np.array([S41[k], S42[k], rot])  # resolved against the block base below
            target.append(ent)
            if k + 1 < n and types[k + 1] == "ATTRIB":
                j = k + 1
                while j < n and types[j] == "ATTRIB":
                    x, y = _text_point(j, X, Y, AX, AY, H72, V74)
                    ent.attribs.append(Ent("ATTRIB", layers.get(j, "0").strip(), handles.get(j, "").strip(),
                                           x=x, y=y, text=texts.get(j, ""), tag=tags.get(j, "").strip()))
                    j += 1
                if j < n and types[j] == "SEQEND":
                    j += 1
                k = j
                continue
        k += 1
    _pair_repeats(msp, repeats)
    for ent in [*msp, *(e for ents in blocks.values() for e in ents)]:
        if ent.type == "INSERT":
            sx, sy, rot = ent.A
            ent.A, ent.t = insert_matrix(ent.x, ent.y, sx, sy, rot, bases.get(ent.name, (0.0, 0.0)))
    return DxfData(msp=msp, blocks=blocks, insunits=header.get("$INSUNITS"), fast=True, repeats=repeats,
                   measurement=header.get("$MEASUREMENT"))


def _text_point(k, X, Y, AX, AY, H, V) -> tuple[float, float]:
    """Where text ``k`` stands: its insertion point when left-aligned, else its alignment point
    (midway between the two for an aligned or fitted text), as ezdxf places it."""
    h, v = int(H[k]), int(V[k])
    if (h == 0 and v == 0) or np.isnan(AX[k]):
        return float(X[k]), float(Y[k])
    if v == 0 and h in (3, 5):
        return float((X[k] + AX[k]) / 2), float((Y[k] + AY[k]) / 2)
    return float(AX[k]), float(AY[k])


def from_ezdxf_entity(e, flat_tol: float) -> Ent:
    """An :class:`Ent` of an ezdxf entity (curves flattened to ``flat_tol`` drawing units)."""
    from kitcut.formats.reading.chains import CURVE_TYPES, entity_points
    from kitcut.formats.reading.texts import entity_layer, entity_text, text_insert

    t = e.dxftype()
    if not e.dxf.is_supported("layer"):  # a type ezdxf does not know (e.g. a damaged name): no geometry
        return Ent(t)
    ent = Ent(t, entity_layer(e), e.dxf.get("handle", "") or "")
    if t in CURVE_TYPES:
        got = entity_points(e, flat_tol)
        if got is not None and len(got[0]):
            ent.points, ent.closed = got
        return ent
    if t == "POINT":
        loc = e.dxf.location
        ent.x, ent.y, ent.z = loc.x, loc.y, loc.z
        ent.thickness = float(e.dxf.get("thickness", 0.0) or 0.0)
        a = e.dxf.get("angle", None)
        ent.angle = None if a is None else float(a)
    elif t in ("TEXT", "MTEXT", "ATTRIB", "ATTDEF"):
        ins = text_insert(e)
        if ins is not None:
            ent.x, ent.y, ent.z = ins
        ent.text = entity_text(e) if t == "MTEXT" else dxf_text(e.dxf.get("text", "") or "")
        ent.tag = unescape(e.dxf.get("tag", "") or "") if t in ("ATTRIB", "ATTDEF") else ""
    elif t == "INSERT":
        ent.name = unescape(e.dxf.name)
        m = np.array(list(e.matrix44().rows()), dtype=np.float64)
        ent.A, ent.t = m[:2, :2].copy(), m[3, :2].copy()
        ent.attribs = [from_ezdxf_entity(a, flat_tol) for a in getattr(e, "attribs", [])]
    return ent


def insert_copies(e) -> tuple:
    """The entities an ezdxf entity stands for: each copy of a MINSERT grid, else itself."""
    return tuple(e.multi_insert()) if e.dxftype() == "INSERT" and e.mcount > 1 else (e,)


def from_ezdxf_doc(doc, flat_tol: float, sizes: dict | None = None) -> DxfData:
    """Convert a whole ezdxf document (model space and named blocks; MINSERT grids as copies).

    ezdxf puts the entities of every definition of a block name into one block; ``sizes``
    (:func:`repeated_blocks` of the file) tells them apart again, each definition its own block."""
    msp = [from_ezdxf_entity(one, flat_tol) for e in doc.modelspace() for one in insert_copies(e)]
    blocks: dict = {}
    repeats: dict = {}
    merged: list = []
    for blk in doc.blocks:
        if blk.name.startswith("*"):
            continue
        name, ents = unescape(blk.name), list(blk)
        counts = (sizes or {}).get(name)
        if counts and sum(counts) == len(ents):
            repeats[name] = len(counts)
            start = 0
            for n, count in enumerate(counts, 1):
                key = name if n == 1 else repeat_key(name, n)
                blocks[key] = [from_ezdxf_entity(one, flat_tol) for e in ents[start:start + count]
                               for one in insert_copies(e)]
                start += count
            continue
        if counts:
            merged.append(name)
        blocks[name] = [from_ezdxf_entity(one, flat_tol) for e in ents for one in insert_copies(e)]
    _pair_repeats(msp, repeats)
    return DxfData(msp=msp, blocks=blocks, insunits=doc.header.get("$INSUNITS", None), fast=False,
                   repeats=repeats, merged=merged, measurement=doc.header.get("$MEASUREMENT", None))


_BLOCKS = re.compile(rb"(?:\A|[\r\n])[ \t]*2[ \t]*\r?\n[ \t]*BLOCKS[ \t]*\r?\n")
#: Entities that belong to the entity before them (a POLYLINE's vertices, an INSERT's attributes).
_LINKED = frozenset({"VERTEX", "SEQEND", "ATTRIB"})


def repeated_blocks(data: bytes, decode: Callable[[str], str] | None = None) -> dict:
    """Block name -> the number of entities of each of its definitions, in file order, for the
    names a text DXF's BLOCKS section defines more than once (``{}`` for most files)."""
    m = _BLOCKS.search(data)
    if m is None or data.count(b"BLOCK", m.end()) < 2:
        return {}
    decode = decode or _utf8_else_cp1252
    lines = _lines(data[m.end():])
    found: dict = {}
    name, count, in_block = None, 0, False
    for i in range(0, len(lines) - 1, 2):
        code, value = lines[i].strip(), lines[i + 1].strip()
        if code == "0":
            if value == "ENDSEC":
                break
            if value == "BLOCK":
                name, count, in_block = None, 0, True
            elif value == "ENDBLK":
                if in_block and name is not None:
                    found.setdefault(name, []).append(count)
                in_block = False
            elif in_block and value not in _LINKED:
                count += 1
        elif code == "2" and in_block and name is None and count == 0:
            name = unescape(decode(value))
    return {k: v for k, v in found.items() if len(v) > 1}
