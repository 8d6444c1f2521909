"""What a kit tells the cutting room beside its markers: notes in kit.json and kit.pdf (read back
with pypdf)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pypdf import PdfReader

from kitcut.kits.kit import KitOptions, build_kit

SAMPLES = Path(__file__).parent.parent / "samples"
ORDER = '''[order]
id = "{oid}"
customer = "Studio"
[[garments]]
pattern = "tee.dxf"
sizes = {{ M = 1 }}
[[fabrics]]
name = "check"
width_mm = 1500
repeat_mm = [50, 50]
'''


def _kit(tmp_path: Path, oid: str, *, match_file: bool):
    folder = tmp_path / oid
    folder.mkdir()
    shutil.copy(SAMPLES / "tee.dxf", folder)
    if match_file:
        shutil.copy(SAMPLES / "tee.match.toml", folder)
    order = folder / "order.toml"
    order.write_text(ORDER.format(oid=oid))
    r = build_kit(order, tmp_path / "KITS", KitOptions(time_limit=0.5, seed=1, workers=1, max_iterations=50,
                                                       formats=("svg",)))
    kit = Path(r.path)
    pdf = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(kit / "kit.pdf").pages)
    return json.loads((kit / "kit.json").read_text()), pdf


def test_a_check_fabric_with_no_matched_piece_is_noted_in_the_kit(tmp_path):
    """An order on a 50 x 50 mm check whose pattern has no match point: ``nest`` prints "0
    matched piece(s)", but the kit said nothing (``"notes": []``), so the cutting room could
    not tell that no piece meets the checks. kit.json and kit.pdf now say so; with the pattern's
    match file beside it the pieces are matched and there is no such note."""
    report, pdf = _kit(tmp_path, "C-1", match_file=False)
    note = ("fabric 'check': a 50 x 50 mm repeat, but no piece of its pattern has a match point: no piece is "
            "matched to the stripes or checks (give the pattern match points, or a match file: "
            "PATTERN.match.toml or the garment's match)")
    assert report["notes"] == [note]
    assert f"Note: {note}" in pdf
    report, pdf = _kit(tmp_path, "C-2", match_file=True)
    assert report["notes"] == [] and "no piece of its pattern has a match point" not in pdf
