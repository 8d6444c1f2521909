"""Read the tables of kitcut's HTML pages back with the standard library's HTML parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Row:
    attrs: dict
    cells: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[Row]] = {}
        self.current: list[Row] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            classes = (a.get("class") or "").split()
            name = next((c for c in classes if c != "data"), "data")
            self.current = self.tables.setdefault(name, [])
        elif tag == "tr" and self.current is not None:
            self.current.append(Row(a))
        elif tag in ("td", "th") and self.current is not None:
            self.cell = []
        elif tag == "a" and self.current and self.cell is not None:
            self.current[-1].links.append(a.get("href"))
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.current:
            self.current[-1].cells.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def tables(text: str) -> dict[str, list[Row]]:
    """Every ``<table>`` by its class (other than ``data``): its rows, header row first."""
    p = _Tables()
    p.feed(text)
    return p.tables
