"""Files a kit did not write: they do not make it incomplete, and a rebuild never deletes them."""

from __future__ import annotations

import json
from pathlib import Path

from test_kits_fakes import FAKE_NESTER, FAKE_READER

from kitcut.cli.main import main
from kitcut.kits.batch import BatchOptions, run_batch
from kitcut.kits.kit import KitOptions, build_kit, clean_stale, temp_name
from kitcut.kits.manifest import is_complete, verify_manifest

OPTS = KitOptions(time_limit=1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg",))


def _only_a1001(orders: Path) -> None:
    for f in orders.glob("*.toml"):
        if f.name != "A-1001.toml":
            f.unlink()


def test_files_added_to_a_complete_kit_do_not_make_it_rebuilt(orders, tmp_path):
    """Before, a cutter file exported into a kit (``nest export KITS/A/fabrics/x/marker.json -f nc``
    writes beside the marker) or a note made the kit incomplete: the next batch nested it anew
    without a word and deleted those files. Now the kit is complete and current: skipped."""
    from kitcut.kits.manifest import unlisted_files

    _only_a1001(orders)
    kits = tmp_path / "KITS"
    run_batch(orders, kits, BatchOptions(kit=OPTS))
    kit = kits / "A-1001"
    marker = (kit / "fabrics" / "jersey" / "marker.json").read_bytes()
    (kit / "fabrics" / "jersey" / "marker.nc").write_text("M00*\n")
    (kit / "cut-on-monday.txt").write_text("operator note")
    assert verify_manifest(kit) == [] and is_complete(kit)
    assert unlisted_files(kit) == ["cut-on-monday.txt", "fabrics/jersey/marker.nc"]
    s = run_batch(orders, kits, BatchOptions(kit=OPTS))
    assert [(o.status, o.message) for o in s.outcomes] == [("skipped", "kit already complete")]
    assert (kit / "fabrics" / "jersey" / "marker.json").read_bytes() == marker
    assert (kit / "cut-on-monday.txt").read_text() == "operator note"


def test_a_rebuild_keeps_the_files_it_did_not_write_aside_and_says_why(orders, tmp_path, capsys):
    """A kit that must be rebuilt (here one of its own files was changed) is rebuilt saying why,
    and the files it did not write are moved to ``KITS/<id>+kept-<time>/``, never deleted."""
    from kitcut.kits.manifest import unlisted_files

    _only_a1001(orders)
    kits = tmp_path / "KITS"
    run_batch(orders, kits, BatchOptions(kit=OPTS))
    kit = kits / "A-1001"
    (kit / "fabrics" / "jersey" / "marker.nc").write_text("M00*\n")
    (kit / "workshop.txt").write_text("edited by hand")
    args = ["batch", str(orders), "-o", str(kits), "--time", "1", "--formats", "svg", "--nester", FAKE_NESTER,
            "--reader", FAKE_READER, "-q"]
    try:
        main(args)
    except SystemExit as exc:
        assert exc.code in (0, None)
    err = capsys.readouterr().err
    assert "A-1001.toml (A-1001): rebuilt: the kit on disk is damaged or incomplete " \
        "(workshop.txt: size " in err
    kept = [p for p in kits.iterdir() if p.name.startswith("A-1001+kept-")]
    assert len(kept) == 1 and f"1 file(s) the kit did not write (fabrics/jersey/marker.nc) kept aside in " \
        f"{kept[0].name}/" in err
    assert (kept[0] / "fabrics" / "jersey" / "marker.nc").read_text() == "M00*\n"
    assert is_complete(kit) and unlisted_files(kit) == []
    assert "edited by hand" not in (kit / "workshop.txt").read_text()  # the kit's own file is rewritten
    report = json.loads((kits / "batch-report.json").read_text())["orders"]["A-1001.toml"]
    assert report["status"] == "done" and "kept aside in" in report["message"]
    assert "kept aside in" in (kits / "batch.log").read_text()


def test_replace_keeps_a_file_of_the_kits_name_aside(orders, tmp_path):
    """Before, a plain file named like the kit was "replaced" but stayed behind for good as a
    hidden ``KITS/.A-1001.old-<pid>@host`` (``rmtree`` of a file, ignoring the error)."""
    kits = tmp_path / "KITS"
    kits.mkdir()
    (kits / "A-1001").write_text("not a kit")
    r = build_kit(orders / "A-1001.toml", kits, OPTS)
    assert r.status == "built" and is_complete(kits / "A-1001")
    names = sorted(p.name for p in kits.iterdir() if p.name != ".locks")
    assert len(names) == 2 and names[0] == "A-1001" and names[1].startswith("A-1001+kept-")
    assert (kits / names[1] / "A-1001").read_text() == "not a kit"
    assert len(r.notes) == 1 and "the file A-1001" in r.notes[0]


def test_clean_stale_removes_a_dead_process_file_left_aside(tmp_path):
    """An ``.old`` leftover that is a file (from an older kitcut) is removed like a folder."""
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / temp_name("A-1", "old", pid=dead.pid)).write_text("x")
    assert clean_stale(tmp_path) == [temp_name("A-1", "old", pid=dead.pid)]
    assert list(tmp_path.iterdir()) == []
