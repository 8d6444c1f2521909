"""HP-GL/1 (``.plt``) cutter files and pen plots.

Integer plotter units (``device.units_per_mm``, 40/mm by default), absolute ``PU``/``PD``,
``SPn`` per tool as the device profile says (knife, notcher, punch, pen), ``VS`` speed in cm/s,
``FS`` force only when the profile gives one, labels as ``LBtext`` + ETX: in ASCII
(:func:`hpgl_text`), sized and shortened on their piece for that text, not the name as it is.
Features in the order of :mod:`kitcut.formats.writing.cutorder` (inner features before the
outline that frees the piece).

>>> hpgl_text("Front (M) · 2"), hpgl_text("前片 (M)")
('Front (M) - 2', 'QianPian (M)')
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from kitcut.cells import ELLIPSIS, shorten
from kitcut.formats.layout.marks import CHAR_CELL
from kitcut.formats.layout.page import Sheet, build_sheet
from kitcut.formats.writing.cutorder import CutPlan, Op, check_media_width, plan_cuts
from kitcut.formats.writing.devices import Device, get_device
from kitcut.model import Marker

__all__ = ["to_hpgl", "render", "render_pen_plot", "hpgl_text", "frame_title", "ETX"]

ETX = "\x03"
_PAIRS_PER_PD = 60
_TITLE_GAP = 5.0  # mm between the pen plot's title and the frame's ends
_MIN_TITLE_MM = 2.0


def hpgl_text(text: str) -> str:
    """Label text a plotter accepts: printable ASCII, no ``;`` or ETX. Other scripts are
    transliterated (anyascii: ``前片`` -> ``QianPian``) before anything else is made inert, so a
    transliteration can never bring in a command character (``；`` becomes ``;``, then ``?``).
    A tab or line break in a name is a space, as everywhere a name is shown on one line.

    >>> hpgl_text("Armel\\tlinks;\\x03")
    'Armel links? '
    """
    from anyascii import anyascii

    from kitcut.cells import one_line

    text = anyascii(one_line(text).replace("·", "-").replace("×", "x"))
    return "".join(c if 32 <= ord(c) < 127 and c != ";" else "?" for c in text)


def frame_title(title: str, length: float, width: float, height: float) -> tuple[str, float] | None:
    """The pen plot's title as it fits inside a frame ``length`` x ``width`` mm, ``_TITLE_GAP`` from
    either end: its text (HP-GL safe) and letter height, smaller (down to ``_MIN_TITLE_MM``) then
    shortened with ``...`` when the marker is short; ``None`` when not even that fits.

    >>> frame_title("tiny · length 65.0 mm · width 100.0 mm", 50.0, 100.0, 2.5)
    ('tiny - length 65.0 mm -...', 2.0)
    """
    text = hpgl_text(title)
    room = length - 2 * _TITLE_GAP  # CHAR_CELL h per character
    if not text or room <= 0:
        return None
    h = min(height, max(room / (CHAR_CELL * len(text)), _MIN_TITLE_MM))
    if h + 2.0 > width:
        return None
    fit = int(room / (CHAR_CELL * h) + 1e-9)
    text = shorten(text, lambda t: len(t) <= fit)
    return (text, h) if text and text != ELLIPSIS else None


def _clear(sheet, x: float, y: float, length: float, h: float) -> bool:
    """No piece lies under a text box ``length`` x ``h`` centred at ``(x, y)``."""
    from shapely.geometry import Polygon, box

    area = box(x - length / 2, y - h / 2 - 0.5, x + length / 2, y + h / 2 + 0.5)
    return not any(Polygon(p.outline).buffer(0).intersects(area) for p in sheet.pieces)


def _xy(a: np.ndarray) -> str:
    return ",".join(f"{int(x)},{int(y)}" for x, y in a)


class _Writer:
    def __init__(self, device: Device):
        self.dev = device
        self.out: list[str] = ["IN;"]
        self.tool: int | None = None
        self.pos: tuple[int, int] | None = None

    def select(self, feature: str) -> bool:
        tool = self.dev.tool_for(feature)
        if tool is None:
            return False
        if tool.number != self.tool:
            self.out.append(f"PU;SP{tool.number};")
            if tool.kind in ("knife", "slit", "pen") and tool.speed:
                self.out.append(f"VS{max(1, round(tool.speed / 10.0))};")
            if tool.force is not None:
                self.out.append(f"FS{tool.force};")
            self.tool = tool.number
        return True

    def move(self, p) -> None:
        q = (int(p[0]), int(p[1]))
        if q != self.pos:
            self.out.append(f"PU{q[0]},{q[1]};")
            self.pos = q

    def path(self, pts_mm: np.ndarray) -> None:
        d = self.dev.to_device(pts_mm)
        # points that round to the unit before them are cut as no move with the tool down (a
        # tangential knife has no direction for it): two outline points 0.0025 mm apart
        d = d[np.r_[True, (d[1:] != d[:-1]).any(axis=1)]]
        self.move(d[0])
        rest = d[1:]
        if len(rest) == 0:
            self.out.append("PD;PU;")
            return
        for k in range(0, len(rest), _PAIRS_PER_PD):
            self.out.append(f"PD{_xy(rest[k : k + _PAIRS_PER_PD])};")
        self.out.append("PU;")
        self.pos = (int(d[-1][0]), int(d[-1][1]))

    def hit(self, p_mm) -> None:
        """A plunge (notcher, punch) at one point."""
        d = self.dev.to_device([p_mm])[0]
        self.move(d)
        self.out.append("PD;PU;")

    def cross(self, x: float, y: float, r: float) -> None:
        self.path(np.array([[x - r, y], [x + r, y]]))
        self.path(np.array([[x, y - r], [x, y + r]]))

    def label(self, op: Op) -> None:
        text = hpgl_text(op.text or "")
        if not text:
            return
        h = max(op.height, 1.0)
        a = math.radians(op.angle_deg)
        # work in device axes (after swap/flip) so the text reads upright on the device
        centre = self.dev.place([op.points[0]])[0]
        ahead = self.dev.place([np.asarray(op.points[0]) + np.array([math.cos(a), math.sin(a)])])[0]
        d = (ahead - centre) / max(float(np.hypot(*(ahead - centre))), 1e-12)
        n = np.array([-d[1], d[0]])
        length = len(text) * CHAR_CELL * h
        start = centre - d * length / 2 - n * h / 2
        p = np.rint(start * self.dev.units_per_mm).astype(np.int64)
        self.move(p)
        self.out.append(f"DI{d[0]:.4f},{d[1]:.4f};SI{0.05 * h:.3f},{0.1 * h:.3f};LB{text}{ETX};")
        self.pos = None  # the pen ends after the text

    def op(self, op: Op) -> None:
        if not self.select(op.feature):
            return
        tool = self.dev.tool_for(op.feature)
        if op.feature == "label":
            self.label(op)
        elif op.feature == "drill":
            if tool.kind == "pen":
                self.cross(op.points[0][0], op.points[0][1], max(op.height, 3.0) / 2)
            else:
                self.hit(op.points[0])
        elif len(op.points) == 1 or tool.kind in ("notcher", "punch"):
            self.hit(op.points[0])
        else:
            self.path(op.points)

    def text(self) -> str:
        self.out.append("PU;SP0;")
        return "\n".join(self.out) + "\n"


def to_hpgl(
    marker: Marker | Sheet,
    device: Device | str | None = None,
    *,
    frame: bool = False,
    plan: CutPlan | None = None,
) -> str:
    """The HP-GL/1 text of ``marker`` for ``device`` (``frame`` adds the strip outline and title)."""
    dev = get_device(device, protocol="hpgl")
    sheet = marker if isinstance(marker, Sheet) else build_sheet(marker)
    plan = plan or plan_cuts(sheet, dev)
    L, W = sheet.length, sheet.width
    drawn_frame = frame and dev.tool_for("pen") is not None
    check_media_width(plan, dev, sheet, [[0, 0], [0, W]] if drawn_frame else None)
    w = _Writer(dev)
    if drawn_frame:
        w.select("pen")
        w.path(np.array([[0, 0], [L, 0], [L, W], [0, W], [0, 0]], dtype=float))
        if dev.labels and (title := frame_title(sheet.title, L, W, min(max(sheet.margin * 0.5, 2.0), 6.0))):
            text, h = title
            # left-aligned along a selvedge, inside the frame, where it writes over no piece (with no
            # margin it wrote over the first piece), else not written
            x = _TITLE_GAP + len(text) * CHAR_CELL * h / 2
            for y in (h + 1.0, W - h - 1.0):
                if _clear(sheet, x, y, len(text) * CHAR_CELL * h, h):
                    w.label(Op("label", np.array([[x, y]]), text=text, height=h))
                    break
    for job in plan.jobs:
        for op in job.ops:
            if op.feature == "label":  # sized and shortened for the text as written, in ASCII
                t = job.piece.label_as(hpgl_text)
                op = replace(op, text=t.text, height=t.height)
            w.op(op)
    return w.text()


def render(marker: Marker, device: Device | None = None) -> str:
    """``marker.plt``: the cutter file for ``device`` (default ``hpgl-cutter``)."""
    return to_hpgl(marker, device)


def render_pen_plot(marker: Marker, device: Device | None = None) -> str:
    """``marker.pen.plt``: a 1:1 pen plot (every feature drawn, labels, strip frame)."""
    return to_hpgl(marker, get_device("pen-plotter"), frame=True)
