"""What a kit says of each order and fabric: the summaries of ``kit.json``, and the documents
that go with an order's pieces (the pick list, the labels, the note for the sewing workshop)."""

from __future__ import annotations

from pathlib import Path

from kitcut.cells import counted, no_controls, one_line
from kitcut.fileio import atomic_write
from kitcut.kits.labels import write_labels_pdf
from kitcut.kits.order import Order
from kitcut.kits.picklist import Cut, picklist_text, write_picklist_csv
from kitcut.kits.plan import FabricPlan
from kitcut.model import Marker

__all__ = ["fabric_summary", "order_summary", "pattern_name", "workshop_text", "write_order_docs"]


def pattern_name(order: Order, path: Path) -> str:
    """A garment's pattern file as kit.json names it: relative to the order's folder, as the order
    names it (``tee.dxf``, ``patterns/tee.dxf``), else its file name (a file outside that folder)."""
    path = Path(path)
    if order.path is not None:
        try:
            return path.resolve().relative_to(Path(order.path).resolve().parent).as_posix()
        except ValueError:
            pass
    return path.name


def fabric_summary(plan: FabricPlan, marker: Marker, folder: str) -> dict:
    f = plan.fabric
    return {
        "name": f.name, "folder": folder, "width_mm": f.width_mm, "spacing_mm": f.spacing_mm,
        "margin_mm": f.margin_mm, "nap": f.nap, "tilt_deg": f.tilt_deg,
        "shrinkage_pct": list(f.shrinkage_pct),
        "length_mm": round(marker.length, 2), "metres": round(marker.length / 1000.0, 4),
        "efficiency": round(marker.efficiency, 5), "pieces": len(marker.placements),
        "pieces_area_mm2": round(marker.pieces_area, 1), "seed": marker.stats.get("seed"),
        "orders": sorted({k.order for k in plan.kit_pieces}),
        "stopped": bool(marker.stats.get("stopped")),  # its search ended early (Ctrl-C)
    }


def order_summary(order: Order, cuts: list[Cut], graded: set | None = None) -> dict:
    graded = graded or set()
    return {
        "id": order.id, "customer": order.customer, "due": order.due,
        "garments": [{"name": g.name, "pattern": pattern_name(order, g.pattern), "sizes": dict(g.sizes),
                      "rules": g.rules.name if g.rules else None,
                      "graded_sizes": [s for s in g.sizes if (order.id, g.name, s) in graded]}
                     for g in order.garments],
        "garment_count": order.garment_count,
        "pieces": sum(1 for c in cuts if c.order == order.id),
    }


def _shared_fabric(order: Order, fabrics: list[dict], report: dict) -> list[str]:
    """The fabric lines of an order's workshop note in a combined kit: the kit's total, which it
    shares, then per fabric the marker's length, with whom it is shared and what this order's
    pieces would take alone (``combined.fabrics[].separate`` of kit.json)."""
    alone = {f["folder"]: f["separate"].get(order.id) for f in report["combined"]["fabrics"]}
    others = [o["id"] for o in report["orders"] if o["id"] != order.id]
    lines = [f"Fabric: this order is cut in the combined kit {report['kit']} together with "
             f"{', '.join(others)}; that kit cuts {report['totals']['metres']:.2f} m in total, for all "
             "its orders. This order's fabrics:"]
    for f in fabrics:
        if order.id not in f["orders"]:
            continue
        if len(f["orders"]) == 1:
            lines.append(f"- {f['name']}: {f['metres']:.2f} m, for this order only")
            continue
        own = alone.get(f["folder"])
        lines.append(f"- {f['name']}: {f['metres']:.2f} m shared with "
                     f"{', '.join(o for o in f['orders'] if o != order.id)}"
                     + ("" if own is None else f" (this order's pieces alone would take {own:.2f} m)"))
    return lines


def workshop_text(order: Order, cuts: list[Cut], fabrics: list[dict], report: dict | None = None) -> str:
    """A short note for the partner sewing workshop (``report``: the kit report, for a combined
    kit: the order shares its markers, so the note says so rather than their whole length)."""
    mine = [c for c in cuts if c.order == order.id]
    # one line per entry: a name holding a line break (a fabric 'jer\nsey') is written on one line
    due = f", due {order.due}" if order.due else ""
    lines = [f"Order {order.id} for {one_line(order.customer)}{due}", ""]
    for g in order.garments:
        sizes = ", ".join(f"{n} x {one_line(s)}" for s, n in g.sizes.items())
        lines.append(f"- {one_line(g.name)} ({one_line(g.pattern.name)}): {sizes}")
    bundles = len({(c.garment, c.size, c.garment_no) for c in mine})
    used = sorted({one_line(c.fabric) for c in mine})
    lines += [
        "",
        f"{counted(bundles, 'bundle')}, {counted(len(mine), 'cut piece')} from {', '.join(used)}.",
        "Every piece carries a label with a QR code: order / garment / size / garment no. / piece / copy.",
        "One bundle = one garment; see picklist.txt for the pieces of each bundle.",
    ]
    if order.notes:
        lines += ["", f"Notes: {no_controls(order.notes)}"]
    if report is not None and report.get("combined"):
        lines += _shared_fabric(order, fabrics, report)
    else:
        metres = sum(f["metres"] for f in fabrics if order.id in f["orders"])
        lines.append(f"Fabric cut for this kit: {metres:.2f} m of marker, plus the spreading ends.")
    return "\n".join(lines) + "\n"


def write_order_docs(folder: Path, order: Order, cuts: list[Cut], fabrics: list[dict], report: dict) -> None:
    mine = [c for c in cuts if c.order == order.id]
    write_picklist_csv(mine, folder / "picklist.csv")
    atomic_write(folder / "picklist.txt", picklist_text(mine, title=f"Bundle list of order {order.id}"))
    write_labels_pdf(mine, folder / "labels.pdf", title=f"Labels of order {order.id}")
    atomic_write(folder / "workshop.txt", workshop_text(order, cuts, fabrics, report))
