"""File names whose bytes are not UTF-8 (a Windows share's, a Latin-1 ZIP's ``Best\\xfcllung.toml``)
and terminals that hold no more than ASCII: written escaped or read as Windows-1252, never an
internal error (kitcut.cells.shown_name, the CLI's output streams)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import SAMPLES
from test_kits_batch import OPTS, many_orders

from kitcut.kits.batch import BatchOptions, run_batch

LATIN1 = os.fsdecode(b"Best\xfcllung.toml")


def test_a_batch_goes_through_an_order_file_named_in_latin1(tmp_path):
    """Before: an internal UnicodeEncodeError writing that order's log line, every night; the
    orders after it never built, no report, no morning page."""
    ids = many_orders(tmp_path / "orders", 3)
    (tmp_path / "orders" / f"{ids[1]}.toml").rename(tmp_path / "orders" / LATIN1)
    kits = tmp_path / "kits"
    summary = run_batch(tmp_path / "orders", kits, BatchOptions(kit=OPTS, isolate=False))
    assert sorted(o.status for o in summary.outcomes) == ["done"] * 3
    assert "Bestüllung.toml" in {o.file for o in summary.outcomes}
    assert "Bestüllung.toml (C-001): done" in (kits / "batch.log").read_text(encoding="utf-8")
    assert "Bestüllung.toml" in (kits / "index.html").read_text(encoding="utf-8")


def test_a_pattern_file_named_in_latin1_nests_and_exports(tmp_path):
    """Before: "cannot write pdf: 'utf-16-be' codec can't encode character '\\udcf6'", nothing
    written, the search thrown away."""
    name = os.fsdecode(b"Gr\xf6\xdfe.dxf")
    (tmp_path / name).write_bytes((SAMPLES / "tee.dxf").read_bytes())
    r = subprocess.run([sys.executable, "-m", "kitcut", str(tmp_path / name), "--sizes", "M", "--time", "1",
                        "--workers", "1", "--export", "-o", str(tmp_path / "o"), "-q"],
                       capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
    assert (tmp_path / "o" / "marker.pdf").stat().st_size > 1000
    assert json.loads((tmp_path / "o" / "marker.json").read_text(encoding="utf-8"))["name"] == "Größe"


def test_a_strictly_ascii_terminal_gets_escapes_not_an_internal_error():
    env = {**os.environ, "PYTHONCOERCECLOCALE": "0", "LC_ALL": "C", "PYTHONUTF8": "0", "LANG": "C"}
    env.pop("PYTHONIOENCODING", None)
    r = subprocess.run([sys.executable, "-m", "kitcut", "info", str(SAMPLES / "tee.dxf")],
                       capture_output=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert b"area mm\\xb2" in r.stdout  # the table's header, escaped
