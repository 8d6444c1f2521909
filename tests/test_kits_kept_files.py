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


def _dead_pid() -> int:
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    return dead.pid


def test_clean_stale_keeps_a_dead_process_file_left_aside(tmp_path):
    """An ``.old`` leftover that is a file (a plain file of the kit's name, set aside) goes where
    publishing keeps such a file: ``<id>+kept-<time>/``. It was deleted."""
    pid = _dead_pid()
    (tmp_path / temp_name("A-1", "old", pid=pid)).write_text("x")
    assert clean_stale(tmp_path) == [temp_name("A-1", "old", pid=pid)]
    (kept,) = tmp_path.iterdir()
    assert kept.name.startswith("A-1+kept-") and (kept / "A-1").read_text() == "x"


def test_an_old_kit_a_killed_build_set_aside_is_put_back_or_its_own_files_kept(orders, tmp_path):
    """A build killed between setting the old kit aside and renaming the new one in: the next
    cleanup removed the old kit whole, with the cutter file the cutting room had exported into
    it. It is put back when no kit stands in its place, else its own files are kept aside."""
    _only_a1001(orders)
    kits = tmp_path / "kits"
    build_kit(orders / "A-1001.toml", kits, OPTS)
    (kits / "A-1001" / "NOTE.txt").write_text("cut on table 2")
    aside = kits / temp_name("A-1001", "old", pid=_dead_pid())
    (kits / "A-1001").rename(aside)
    said: list[str] = []
    assert clean_stale(kits, "A-1001", said=said) == [aside.name]
    assert (kits / "A-1001" / "NOTE.txt").read_text() == "cut on table 2" and is_complete(kits / "A-1001")
    # and it is said (the log called it a "stale temporary folder" removed)
    assert said == [f"A-1001: the kit a stopped build had set aside ({aside.name}) put back as the kit "
                    "(none stood there)"]
    # the new kit was in place when the process died: the old one's own files are kept, and said
    (kits / "A-1001").rename(aside)
    build_kit(orders / "A-1001.toml", kits, OPTS)
    said = []
    assert clean_stale(kits, "A-1001", said=said) == [aside.name]
    kept = [p for p in kits.iterdir() if p.name.startswith("A-1001+kept-")]
    assert len(kept) == 1 and (kept[0] / "NOTE.txt").read_text() == "cut on table 2"
    assert not aside.exists()
    (line,) = said
    assert line.startswith(f"A-1001: the kit a stopped build had set aside ({aside.name}) ")
    assert f"kept aside in {kept[0].name}/" in line


def test_nest_kit_removes_what_a_killed_build_of_its_order_left(orders, tmp_path):
    """Each killed ``nest kit`` left a ``.A-1001.tmp-<pid>@<host>`` folder that only a batch
    removed; ``nest kit`` of the order now removes it too."""
    _only_a1001(orders)
    kits = tmp_path / "kits"
    left = kits / temp_name("A-1001", pid=_dead_pid())
    left.mkdir(parents=True)
    (left / "kit.json").write_text("{")
    main(["kit", str(orders / "A-1001.toml"), "-o", str(kits), "--time", "1", "-q",
          "--nester", FAKE_NESTER, "--reader", FAKE_READER, "--formats", "svg"])
    assert not left.exists() and is_complete(kits / "A-1001")


def test_a_replaced_kit_that_cannot_be_removed_is_kept_in_sight(orders, tmp_path, monkeypatch):
    """A kit the cutting room write-protected (``chmod -R a-w``) and rebuilt: the old one could not
    be removed and stayed hidden as ``.A-1001.old-<pid>@host``, in silence, and came back as the
    kit once the operator removed the new one (probe 32). It is kept in sight, and said."""
    import kitcut.kits.staging as staging

    _only_a1001(orders)
    kits = tmp_path / "kits"
    build_kit(orders / "A-1001.toml", kits, OPTS)
    monkeypatch.setattr(staging, "_remove", lambda path: None)  # as rmtree of a locked folder fails
    said: list[str] = []
    tmp = kits / temp_name("A-1001")
    tmp.mkdir()
    (tmp / "kit.json").write_text("{}")
    assert staging.publish(tmp, kits / "A-1001", replace=True, kept=said.append)
    kept = [p for p in kits.iterdir() if p.name.startswith("A-1001+kept-")]
    assert not [p for p in kits.iterdir() if p.name.startswith(".")]  # nothing hidden
    assert len(kept) == 1 and (kept[0] / "kit.json").is_file()
    assert said[-1] == f"the replaced kit could not be removed (write-protected?): kept in {kept[0].name}/"
