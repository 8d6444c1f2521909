"""Control characters in names and notes never reach a file raw (probe 29): a NUL in a DXF text
ends the string in a C reader of the file, an ESC repaints the terminal that shows a text file.
HP-GL, G-code, SVG and picklist.txt cleaned them already; the DXF, picklist.csv and
workshop.txt did not."""

from __future__ import annotations

import csv
import io

import ezdxf

from kitcut.cells import no_controls
from kitcut.formats.writing.aama_write import aama_bytes, aama_document
from kitcut.kits.picklist import csv_text
from kitcut.model import Pattern, Piece

NAMES = ["Nul\x00byte", "Etx\x03\x02\x01here", "Cuff\x01ctl\x1b[31mred", "Tab\there\x7f"]


def test_a_dxf_holds_no_control_character_but_its_line_ends(tmp_path):
    pieces = tuple(Piece(n, [(0, 0), (100, 0), (100, 50), (0, 50)], size="M") for n in NAMES)
    data = aama_bytes(aama_document(Pattern(pieces)))
    assert not set(data) & (set(range(32)) - {9, 10}) and 127 not in data  # a tab is text
    path = tmp_path / "p.dxf"
    path.write_bytes(data)
    texts = {t.dxf.text for b in ezdxf.readfile(path).blocks for t in b.query("TEXT")}
    assert {"Piece Name: Nul byte", "Piece Name: Etx   here", "Piece Name: Cuff ctl [31mred",
            "Piece Name: Tab\there "} <= texts


def test_csv_cells_and_notes_hold_no_control_characters():
    buf = io.StringIO()
    csv.writer(buf).writerows([[csv_text(n)] for n in NAMES])
    assert [r[0] for r in csv.reader(io.StringIO(buf.getvalue()))] == [
        "Nul byte", "Etx   here", "Cuff ctl [31mred", "Tab here "]
    assert no_controls("Hem 2 cm\nno label\x00\x1b[31m\r") == "Hem 2 cm\nno label  [31m "
