"""The kit page (``kit.html``) and the batch dashboard (``KITS/index.html``), from plain data.

Both are single self-contained files like ``marker.html`` (inline CSS and script, no network).
The kits layer gathers the data (:mod:`kitcut.kits.pages`); this module only lays it out.

- :func:`kit_page`: the kit's figures, a viewer of every marker (as in ``marker.html``), the
  pick list (a row shows its piece on its marker) and the files of the kit with size and SHA-256.
- :func:`batch_index`: every order of a batch run with its status, failed orders first, its
  fabrics and metres, efficiency, time and a link to its kit page; the totals of the run.

>>> fmt_bytes(1536), fmt_bytes(12), fmt_bytes(3_500_000)
('1.5 kB', '12 B', '3.5 MB')
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from kitcut.cells import counted
from kitcut.formats.writing.html import html_text as h
from kitcut.formats.writing.html import page, viewer_block

__all__ = ["kit_page", "batch_index", "STATUS_ORDER", "fmt_bytes"]

#: The order of statuses on the dashboard: what needs a look first.
STATUS_ORDER = ("failed", "deferred", "busy", "done", "skipped")


def fmt_bytes(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} kB"
    return f"{n / 1e6:.1f} MB"


def _href(path: str) -> str:
    return h(quote(path, safe="/"))


def _pct(v) -> str:
    return "—" if v is None else f"{100 * v:.1f} %"


def _card(label: str, value: str) -> str:
    return f'<div class="card"><span class="muted">{h(label)}</span><b>{h(value)}</b></div>'


def _table(head: Sequence[tuple[str, bool]], rows: list[str], cls: str = "") -> str:
    ths = "".join(f'<th{" class=num" if num else ""}>{h(t)}</th>' for t, num in head)
    return (f'<div class="scroll"><table class="data {cls}"><thead><tr>{ths}</tr></thead>'
            f'<tbody>\n{"".join(rows)}</tbody></table></div>')


def _td(value, num: bool = False, raw: bool = False) -> str:
    return f'<td{" class=num" if num else ""}>{value if raw else h(value)}</td>'


def kit_page(report: dict, markers: Sequence[dict], picklist: Sequence[dict], files: Sequence[dict]) -> str:
    """The text of ``kit.html``.

    ``report`` is the kit report (``kit.json``); ``markers`` one dict per fabric marker:
    ``fabric`` (the report's fabric entry), ``view`` (:func:`~kitcut.formats.writing.html.viewer_data`)
    and ``page`` (the path of its own ``marker.html`` in the kit, or ``None``); ``picklist`` the cut
    pieces (``order``: shown when the kit has several, ``bundle``, ``piece``, ``copy``, ``of``,
    ``side``, ``fabric``, ``placement``, ``x_mm``, ``y_mm``, ``marker``: index into ``markers``),
    in bundle order; ``files`` the manifest entries
    (``path``, ``size``, ``sha256``) of every file written before this page.
    """
    kit = report["kit"]
    t = report["totals"]
    out = [f'<div class="page"><h1>Kit {h(kit)}</h1>']
    for o in report["orders"]:
        due = f", due {o['due']}" if o.get("due") else ""
        out.append(f'<p>Order <b>{h(o["id"])}</b> for {h(o["customer"])}{h(due)}: '
                   f'{o["garment_count"]} garments, {o["pieces"]} pieces</p>')
    out.append('<div class="cards">' + _card("fabric", f"{t['metres']:.3f} m")
               + _card("pieces", str(t["pieces"])) + _card("efficiency", _pct(t["efficiency"]))
               + _card("markers", str(len(markers))) + "</div>")
    if report.get("combined"):
        c = report["combined"]
        out.append(f"<p>Combining the orders saved <b>{c['saved_metres']:.3f} m</b> against separate "
                   f"markers ({c['separate_metres']:.3f} m).</p>")
    for note in report.get("notes") or []:
        out.append(f'<p class="muted">Note: {h(note)}</p>')
    remarks = report.get("import_remarks") or []
    if remarks:
        out.append('<h2 id="import-remarks">Import remarks</h2><p class="muted">What reading the patterns '
                   "repaired, assumed or left out: check before cutting.</p>")
        for r in remarks:
            items = "".join(f"<li>{h(m)}</li>" for m in r["remarks"] if not m.startswith("skipped:"))
            out.append(f'<p><b>{h(r["order"])} / {h(r["garment"])}</b> ({h(r["pattern"] or "")}): '
                       f'{r["repairs"]} repair(s), {r["warnings"]} warning(s), {r["skipped"]} skipped '
                       f"(every one in kit.json)</p>" + (f"<ul>{items}</ul>" if items else ""))
    rows = []
    for m in markers:
        f = m["fabric"]
        rows.append("<tr>" + "".join([
            _td(f["name"]), _td(f"{f['width_mm']:g}", True), _td(f"{f['metres']:.3f}", True),
            _td(_pct(f["efficiency"]), True), _td(f["pieces"], True), _td(", ".join(f["orders"])),
        ]) + "</tr>\n")
    out.append("<h2>Fabrics</h2>" + _table([("fabric", False), ("width mm", True), ("metres", True),
                                            ("efficiency", True), ("pieces", True), ("orders", False)], rows))
    out.append("<h2>Markers</h2>")
    for i, m in enumerate(markers):
        f = m["fabric"]
        alone = f' · <a href="{_href(m["page"])}">open on its own page</a>' if m.get("page") else ""
        out.append(f'<h3 id="marker-{i}">{h(f["name"])} '
                   f'<span class="muted">{h(f["folder"])}{alone}</span></h3>')
        out.append(viewer_block(f"marker-data-{i}", m["view"]))
    rows = []
    several = len(report["orders"]) > 1  # a combined kit: the order on each row (bundles look alike)
    for c in picklist:
        cells = "".join([
            _td(c.get("order") or "") if several else "",
            _td(c["bundle"]), _td(c["piece"]), _td(f"{c['copy']}/{c['of']}", True), _td(c["side"]),
            _td(c["fabric"]), _td(c["placement"], True), _td(f"{c['x_mm'] / 1000:.3f}", True),
            _td(f"{c['y_mm']:.0f}", True)])
        # a row is a Tab stop: Enter or Space shows its piece, as a click does
        rows.append(f'<tr data-kv-viewer="{c["marker"]}" data-kv-piece="{c["placement"]}" tabindex="0">'
                    f"{cells}</tr>\n")
    bundles = len({(c.get("order"), c["bundle"]) for c in picklist})  # as picklist.txt counts them
    counts = f"{counted(bundles, 'bundle')}, {counted(len(picklist), 'piece')}"
    out.append(f'<h2 id="picklist">Pick list</h2><p class="muted">{counts}; '
               "a row shows its piece on its marker. The same list is in picklist.csv and picklist.txt.</p>")
    head = [("order", False)] if several else []
    head += [("bundle", False), ("piece", False), ("copy", True), ("side", False), ("fabric", False),
            ("marker #", True), ("at m", True), ("y mm", True)]
    out.append(_table(head, rows, "picklist"))
    rows = []
    for e in files:
        rows.append("<tr>" + _td(f'<a href="{_href(e["path"])}">{h(e["path"])}</a>', raw=True)
                    + _td(fmt_bytes(int(e["size"])), True) + _td(f"<code>{h(e['sha256'])}</code>", raw=True)
                    + "</tr>\n")
    out.append('<h2 id="files">Files</h2><p class="muted">Every file of the kit with its size and '
               "SHA-256, as manifest.json lists them; manifest.json also lists this page (kit.html) with "
               "its own hash. A kit is complete when every listed file is there with that size and hash "
               "(<code>sha256sum</code> shows a file's hash).</p>")
    out.append(_table([("file", False), ("size", True), ("SHA-256", False)], rows, "files"))
    out.append("</div>")
    return page(f"Kit {kit}", "\n".join(out))


def batch_index(rows: Sequence[dict], totals: dict, *, title: str, finished: str | None = None) -> str:
    """The text of ``KITS/index.html``.

    ``rows``: one dict per order (``file``, ``order``, ``status``, ``message``, ``kit``, ``link``:
    the kit page relative to the kits folder or ``None``, ``fabrics``: ``[(name, metres, first)]``,
    ``first`` the order whose row shows a marker shared by a combined kit, or ``None`` on that row,
    ``metres``, ``counted_on``: that order, when the row's metres are counted on it, ``efficiency``,
    ``seconds``). They are shown failed first (:data:`STATUS_ORDER`),
    then by file name. ``totals``: the run's counts per status, ``metres``, ``kits_metres`` (with
    the kits found complete), ``fabrics`` (``{name: metres}``), ``mean_efficiency``, ``seconds`` and
    ``stopped`` (how a run stopped before it finished was stopped, or ``None``).
    """
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    ordered = sorted(rows, key=lambda r: (rank.get(r["status"], len(rank)), r["file"]))
    out = [f'<div class="page"><h1>{h(title)}</h1>']
    if finished and totals.get("stopped"):  # the orders it did not build are listed as deferred
        out.append(f'<p class="muted"><b>Batch run stopped ({h(totals["stopped"])}) {h(finished)}</b>, after '
                   f'{totals.get("seconds", 0):.0f} s, before it finished: run the batch again to build the '
                   'orders it did not build.</p>')
    elif finished:
        out.append(f'<p class="muted">Batch run finished {h(finished)}, '
                   f'{totals.get("seconds", 0):.0f} s.</p>')
    cards = [_card(s, str(totals.get(s, 0))) for s in ("done", "failed", "skipped", "deferred", "busy")
             if totals.get(s) or s in ("done", "failed")]
    cards.append(_card("fabric cut", f"{totals.get('metres', 0):.2f} m"))
    if (totals.get("kits_metres") or 0) > (totals.get("metres") or 0):  # kits complete from a run before
        cards.append(_card("fabric, all kits", f"{totals['kits_metres']:.2f} m"))
    cards.append(_card("mean efficiency", _pct(totals.get("mean_efficiency"))))
    out.append('<div class="cards totals">' + "".join(cards) + "</div>")
    per_fabric = totals.get("fabrics") or {}
    if per_fabric:
        out.append("<p>Fabric cut by the kits built in this run: "
                   + ", ".join(f"<b>{h(n)}</b> {m:.2f} m" for n, m in sorted(per_fabric.items())) + "</p>")
    for note in totals.get("notes") or []:  # TOML files of the folder left out: not orders
        out.append(f'<p class="muted">{h(note)}</p>')
    body = []
    for r in ordered:
        status = r["status"]
        kit = h(r.get("kit") or "")
        if r.get("link"):
            kit = f'<a href="{_href(r["link"])}">{kit}</a>'
        fabrics = "<br>".join(f"{h(n)} {m:.2f} m" if not first else
                              f'{h(n)} <span class="muted">shared, {m:.2f} m on {h(first)}</span>'
                              for n, m, first in r.get("fabrics") or [])
        reason = f'<span class="reason">{h(r.get("message") or "")}</span>' if status == "failed" else h(
            r.get("message") or "")
        metres = f"{r['metres']:.2f}" if r.get("metres") else (
            f'<span class="muted">on {h(r["counted_on"])}</span>' if r.get("counted_on") else "")
        eff = _pct(r.get("efficiency")) if r.get("efficiency") else ""
        body.append(f'<tr class="{h(status)}" data-order="{h(r.get("order") or "")}">' + "".join([
            _td(f'<span class="status status-{h(status)}">{h(status)}</span>', raw=True),
            _td(r.get("order") or "?"), _td(r["file"]), _td(kit, raw=True), _td(fabrics, raw=True),
            _td(metres, True, raw=True), _td(eff, True), _td(f"{r.get('seconds') or 0:.1f}", True),
            _td(reason, raw=True)]) + "</tr>\n")
    out.append("<h2>Orders</h2>")
    out.append(_table([("status", False), ("order", False), ("file", False), ("kit", False),
                       ("fabrics", False), ("metres", True), ("efficiency", True), ("time s", True),
                       ("message", False)], body, "orders"))
    out.append('<p class="muted">Details: batch.log and batch-report.json in this folder.</p></div>')
    return page(title, "\n".join(out), viewer=False)
