"""The HTML pages of kits and batches: what they show is gathered here, laid out by
:mod:`kitcut.formats.writing.html_pages` and written atomically.

- ``<kit>/kit.html`` (:func:`write_kit_page`): written into the kit folder just before the
  manifest, it shows the files written before it with their manifest entries (size, SHA-256);
  the manifest then lists every file, ``kit.html`` included, so the kit verifies as before.
- ``KITS/index.html`` (:func:`write_batch_index`): rewritten at the end of every batch run from
  its outcomes and each kit's ``kit.json``.
- :func:`cut_info`: what a kit's marker viewer shows beside the marker's own facts (order,
  garment, bundle, the piece's plain name, its copy within the garment).
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from kitcut.fileio import atomic_write
from kitcut.formats.writing.html import viewer_data
from kitcut.formats.writing.html_pages import batch_index, kit_page
from kitcut.kits.manifest import file_entries
from kitcut.kits.picklist import Cut, sort_cuts
from kitcut.model import Marker

__all__ = ["KIT_PAGE", "INDEX", "cut_info", "kit_report", "write_kit_page", "write_batch_index"]

KIT_PAGE = "kit.html"
INDEX = "index.html"


def cut_info(cuts: list[Cut]) -> list[dict]:
    """Per placement of one marker (``cuts`` in placement order): the viewer's extra facts."""
    return [{"order": c.order, "garment": c.garment, "bundle": c.bundle, "piece": c.piece,
             "copy": f"{c.copy} of {c.of} in the garment"} for c in cuts]


def write_kit_page(folder: str | os.PathLike, report: dict,
                   markers: list[tuple[dict, Marker, list[Cut]]]) -> Path:
    """Write ``folder/kit.html``: ``markers`` = (fabric entry of the report, marker, its cuts)."""
    folder = Path(folder)
    shown = []
    picklist = []
    for i, (fabric, marker, cuts) in enumerate(markers):
        own = f"{fabric['folder']}/marker.html"
        shown.append({"fabric": fabric, "view": viewer_data(marker, cut_info(cuts)),
                      "page": own if (folder / own).is_file() else None})
        picklist += [(i, c) for c in cuts]
    order = {id(c): n for n, c in enumerate(sort_cuts([c for _, c in picklist]))}
    picklist.sort(key=lambda ic: order[id(ic[1])])
    rows = [{"marker": i, "order": c.order, "bundle": c.bundle, "piece": c.piece, "copy": c.copy, "of": c.of,
             "side": c.side, "fabric": c.fabric, "placement": c.placement, "x_mm": c.x_mm, "y_mm": c.y_mm}
            for i, c in picklist]
    path = folder / KIT_PAGE
    atomic_write(path, kit_page(report, shown, rows, file_entries(folder)))
    return path


def kit_report(root: Path, kit: str | None) -> dict | None:
    """The ``kit.json`` of the kit ``root/kit``, or ``None`` when it is missing or damaged."""
    if not kit:
        return None
    try:
        data = json.loads((root / kit / "kit.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("fabrics"), list) else None


def write_batch_index(root: str | os.PathLike, outcomes: list, summary: dict, *,
                      finished: datetime | None = None) -> Path:
    """Rewrite ``root/index.html`` for a batch run: ``outcomes`` (:class:`~kitcut.kits.batch.Outcome`)
    and ``summary`` (:meth:`~kitcut.kits.batch.BatchSummary.to_dict`)."""
    root = Path(root)
    rows = []
    per_fabric: dict[str, float] = {}
    counted: set[tuple] = set()
    shown: dict[tuple, str] = {}  # (kit, marker folder) -> the first order whose row shows its metres
    for o in outcomes:
        report = kit_report(root, o.kit) if o.status in ("done", "skipped") else None
        fabrics = []
        for f in (report or {}).get("fabrics", []):
            if o.order not in f.get("orders", [o.order]):
                continue
            name, metres = str(f.get("name")), float(f.get("metres") or 0.0)
            first = shown.setdefault((o.kit, f.get("folder")), o.order)
            fabrics.append((name, metres, None if first == o.order else first))
            if o.status == "done" and (o.kit, f.get("folder")) not in counted:  # a shared marker once
                counted.add((o.kit, f.get("folder")))
                per_fabric[name] = per_fabric.get(name, 0.0) + metres
        kit = o.kit if report is not None else None
        link = f"{kit}/{KIT_PAGE}" if kit and (root / kit / KIT_PAGE).is_file() else None
        remarks = getattr(o, "remarks", 0)
        message = o.message or (f"{remarks} import remark(s): see kit.pdf" if remarks else "")
        rows.append({"file": o.file, "order": o.order, "status": o.status, "message": message, "kit": kit,
                     "link": link, "fabrics": fabrics, "metres": o.metres, "efficiency": o.efficiency,
                     "seconds": o.seconds, "counted_on": getattr(o, "counted_on", None)})
    totals = {**summary, "fabrics": {k: round(v, 4) for k, v in per_fabric.items()}}
    when = (finished or datetime.now()).isoformat(sep=" ", timespec="minutes")
    path = root / INDEX
    atomic_write(path, batch_index(rows, totals, title=f"Batch: {root.resolve().name}", finished=when))
    return path
