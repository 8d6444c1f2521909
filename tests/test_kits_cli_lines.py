"""`nest kit` and `nest batch` on the command line: -q, --formats all, one line per message."""

from __future__ import annotations

import re

from test_kits_batch import nest_cli as run
from test_kits_fakes import FAKE_NESTER, FAKE_READER, write_fake_tee

ORDER = """[order]
id = "NL-1"
customer = "X"
[[garments]]
pattern = "tee.dxf"
sizes = {{ M = 1 }}
name = "line1\\nline2"
[[fabrics]]
name = "{fabric}"
width_mm = {width}
"""




def _order(tmp_path, fabric="jer\\nsey", width=1500):
    d = tmp_path / "orders"
    d.mkdir(exist_ok=True)
    write_fake_tee(d / "tee.dxf")
    (d / "nl.toml").write_text(ORDER.format(fabric=fabric, width=width))
    return d


FAKES = ["--nester", FAKE_NESTER, "--reader", FAKE_READER, "--time", "1"]


def test_kit_quiet_and_formats_all(tmp_path, capsys):
    """Before, `nest kit` had no -q (run and batch do) and refused `--formats all`, which `nest
    export -f all` takes."""
    d = _order(tmp_path, fabric="jersey", width=1000)
    kits = tmp_path / "KITS"
    args = ["kit", str(d / "nl.toml"), "-o", str(kits), "-q", "--formats", "all", *FAKES]
    code, out, err = run(args, capsys)
    assert code == 0 and out == "" and err == ""
    from kitcut.formats.writing.export import FORMATS

    written = {p.name for p in (kits / "NL-1" / "fabrics" / "jersey").iterdir()}
    assert len(written) >= len(FORMATS) - 1 and "marker.json" in written


def test_formats_all_leaves_out_a_cutter_file_too_narrow_for_the_fabric(tmp_path, capsys):
    """Before, `nest kit --formats all` refused any fabric wider than 1300 mm (the media of
    `cnc-knife`, the G-code device) before nesting, while `nest export -f all` leaves marker.gcode
    out with a note. Now `all` in a kit does the same: the rest is written, the note is in kit.json,
    kit.pdf and on stderr; `--formats gcode` named stays an error."""
    d = _order(tmp_path, fabric="jersey", width=1500)
    kits = tmp_path / "KITS"
    code, _, err = run(["kit", str(d / "nl.toml"), "-o", str(kits), "-q", "--formats", "all", *FAKES], capsys)
    assert code == 0, err
    folder = kits / "NL-1" / "fabrics" / "jersey"
    written = {p.name for p in folder.iterdir()}
    assert "marker.gcode" not in written and {"marker.plt", "marker.nc", "marker.pen.plt"} <= written
    note = ("fabric 'jersey': marker.gcode not written: device 'cnc-knife' takes media 1300 mm wide, but "
            "the fabric is 1500 mm wide")
    assert err.count("\n") == 1 and err.startswith(f"nest: note: {note}")
    import json

    report = json.loads((kits / "NL-1" / "kit.json").read_text())
    assert any(n.startswith(note) for n in report["notes"])
    code, _, err = run(["kit", str(d / "nl.toml"), "-o", str(kits), "--formats", "gcode,svg", *FAKES], capsys)
    assert code == 2 and "fabric 'jersey' is wider than a cutter's media: gcode: device 'cnc-knife'" in err


def test_a_name_with_a_line_break_stays_on_its_line(tmp_path, capsys):
    """Before, a fabric named 'jer<newline>sey' split the error line (and the log line) in two."""
    d = _order(tmp_path)
    kits = tmp_path / "KITS"
    code, _, err = run(["kit", str(d / "nl.toml"), "-o", str(kits), "--formats", "gcode", *FAKES], capsys)
    assert code == 2 and err.count("\n") == 1 and "fabric 'jer\\nsey' is wider than a cutter's media" in err
    code, out, err = run(["batch", str(d), "-o", str(kits), "-q", "--formats", "gcode", *FAKES], capsys)
    assert code == 2 and err.count("\n") == 1 and "'jer\\nsey'" in err
    lines = (kits / "batch.log").read_text().splitlines()
    assert all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d \[\d+\] ", line) for line in lines)
    code, out, err = run(["kit", str(d / "nl.toml"), "-o", str(kits), "--formats", "svg", *FAKES], capsys)
    assert code == 0 and "  jer\\nsey " in out
