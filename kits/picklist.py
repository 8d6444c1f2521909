"""Bundle (pick) lists: every cut piece of a kit, grouped per garment, size and garment number.

A *bundle* is what the sewing workshop assembles into one garment: ``tee M #2`` holds every
piece of the second size-M tee, from every fabric. :func:`cuts_of` maps the placements of a
marker back to their order, garment, size and garment number (through the plan's
:class:`~kitcut.kits.order.KitPiece`); :func:`write_picklist_csv` and :func:`picklist_text`
write them.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from itertools import groupby

import numpy as np
from rich.cells import cell_len

from kitcut.cells import counted, ljust, one_line
from kitcut.fileio import atomic_write
from kitcut.formats.layout.marks import label_point
from kitcut.kits.plan import FabricPlan, code_path, size_key
from kitcut.model import Marker

__all__ = ["Cut", "cuts_of", "sort_cuts", "write_picklist_csv", "picklist_text", "CSV_FIELDS", "csv_text"]

CSV_FIELDS = ["order", "garment", "size", "garment_no", "bundle", "piece", "copy", "of", "side", "fabric",
              "placement", "x_mm", "y_mm", "code"]


@dataclass(frozen=True)
class Cut:
    """One cut piece: which garment it belongs to and where it lies on its marker."""

    order: str
    garment: str
    size: str
    garment_no: int
    piece: str
    copy: int
    of: int
    mirrored: bool
    fabric: str
    placement: int
    x_mm: float
    y_mm: float

    @property
    def bundle(self) -> str:
        """``tee M #2``: the garment this piece is sewn into."""
        return f"{self.garment} {self.size} #{self.garment_no}"

    @property
    def side(self) -> str:
        return "mirrored" if self.mirrored else "as drawn"

    @property
    def code(self) -> str:
        """The label's machine-readable code (also in its QR code): its fields joined by ``/``,
        a ``/`` or ``%`` inside a field written ``%2F`` / ``%25`` (sizes such as ``S/M`` or
        ``38/40`` and piece names such as ``Front/Back`` would split it wrongly)."""
        return code_path(self.order, self.garment, self.size, self.garment_no, self.piece, self.copy)


def cuts_of(plan: FabricPlan, marker: Marker) -> list[Cut]:
    """The cuts of one fabric's marker, in placement order."""
    out = []
    for index, pl in enumerate(marker.placements):
        kp = plan.kit_pieces[pl.piece]
        garment_no, copy, mirrored = kp.copy_owner(pl.copy)
        # where its number and label go on the drawings: a point of the piece (the mean of a curved
        # collar's vertices lay 17.6 mm off it, where a picker found another piece or nothing)
        centre = label_point(np.asarray(marker.placed_outline(pl)), marker.placed_cutouts(pl))
        out.append(Cut(order=kp.order, garment=kp.garment, size=kp.size, garment_no=garment_no,
                       piece=kp.piece, copy=copy, of=kp.per_garment, mirrored=mirrored,
                       fabric=plan.fabric.name, placement=index, x_mm=round(float(centre[0]), 1),
                       y_mm=round(float(centre[1]), 1)))
    return out


def sort_cuts(cuts: list[Cut]) -> list[Cut]:
    """Cuts in bundle order: order, garment, size, garment number, fabric, piece, copy."""
    return sorted(cuts, key=lambda c: (c.order, c.garment, size_key(c.size), c.garment_no, c.fabric,
                                       c.piece, c.copy))


#: what a spreadsheet takes for the start of a formula (OWASP, "CSV Injection")
_FORMULA_START = ("=", "+", "-", "@")


def csv_text(value: str) -> str:
    """A text cell that a spreadsheet shows as text, never runs: one starting like a formula
    (``=HYPERLINK(...)``, ``+``, ``-``, ``@``) gets a leading ``'``, which Excel and LibreOffice do
    not show (OWASP's advice for CSV injection). Tabs, carriage returns and every other control
    character are spaces first, as in picklist.txt (a NUL or an ESC went into the file raw).

    >>> csv_text("=HYPERLINK(1)"), csv_text("Front")
    ("'=HYPERLINK(1)", 'Front')
    """
    value = one_line(value)  # no NUL, ESC, line break in a cell, as in picklist.txt
    return "'" + value if value.startswith(_FORMULA_START) else value


def write_picklist_csv(cuts: list[Cut], path: str | os.PathLike) -> None:
    """The pick list as CSV; every name is a text cell a spreadsheet cannot run (:func:`csv_text`).
    UTF-8 with its byte-order mark: Excel opens a CSV without one in the system's code page, so
    `前片` or `Rücken` came out as mojibake in the spreadsheet a cutting room opens it in
    (LibreOffice and Python's ``utf-8-sig`` read the mark)."""
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_FIELDS)
    for c in sort_cuts(cuts):
        t = csv_text
        w.writerow([t(c.order), t(c.garment), t(c.size), c.garment_no, t(c.bundle), t(c.piece), c.copy, c.of,
                    t(c.side), t(c.fabric), c.placement, f"{c.x_mm:.1f}", f"{c.y_mm:.1f}", t(c.code)])
    atomic_write(path, buf.getvalue())


def picklist_text(cuts: list[Cut], *, title: str) -> str:
    """A plain-text bundle list: one block per garment, its pieces with fabric and position.

    Names are shown on one line (a tab as a space) and the columns are as wide as the longest
    piece and fabric name (at least 24 and 14 cells), so they stay aligned."""
    lines = [title, "=" * len(title), ""]
    ordered = sort_cuts(cuts)
    piece_w = max([24] + [cell_len(one_line(c.piece)) for c in ordered])
    fabric_w = max([14] + [cell_len(one_line(c.fabric)) for c in ordered])
    copy_w = max([3] + [len(f"{c.copy}/{c.of}") for c in ordered])
    bundles = 0
    for (order, garment, size, no), group in groupby(ordered, key=lambda c: (c.order, c.garment, c.size,
                                                                              c.garment_no)):
        group = list(group)
        bundles += 1
        lines.append(one_line(f"Bundle {order} {garment} {size} #{no}: {len(group)} pieces"))
        for c in group:
            lines.append(f"  [ ] {ljust(one_line(c.piece), piece_w)} {f'{c.copy}/{c.of}':<{copy_w}} "
                         f"{c.side:<9} {ljust(one_line(c.fabric), fabric_w)} "
                         f"marker #{c.placement:<4} at {c.x_mm / 1000:7.3f} m")
        lines.append("")
    lines.append(f"{counted(bundles, 'bundle')}, {counted(len(cuts), 'piece')}")
    return "\n".join(lines) + "\n"
