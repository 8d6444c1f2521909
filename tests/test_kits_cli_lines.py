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
