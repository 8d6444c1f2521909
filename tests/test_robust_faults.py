"""Nothing lost on faults: a full disk or a read-only folder while writing exports or a kit
gives a clear error and leaves no partial file (old files intact, no temporary left).

Faults are injected into :mod:`kitcut.fileio` (ENOSPC at write or fsync, EROFS at create);
where this process may mount a tmpfs (root in a container), the same runs on a real 64 KiB
file system that is full, and on a read-only one.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from fuzz.runner import check_outcome, run_cli
from marker_factory import small_marker, valid_small_marker
from test_kits_fakes import FAKE_NESTER, FAKE_READER, write_fake_tee

import kitcut.fileio as fileio
import kitcut.temp_names as temp_names
from kitcut.errors import ExportError, KitcutError, OrderError
from kitcut.formats.marker_json import write_marker
from kitcut.formats.writing.export import export_marker
from kitcut.kits.kit import KitOptions, build_kit
from kitcut.kits.manifest import verify_manifest

ORDERS = Path(__file__).parent / "data" / "orders"
OPTS = KitOptions(time_limit=1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg", "dxf", "plt"))


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


class _Failing:
    """A file object whose writes fail with ``err`` once ``budget`` bytes are written."""

    def __init__(self, fp, budget: int, err: int):
        self._fp, self._left, self._err = fp, budget, err

    def write(self, data):
        if len(data) > self._left:
            raise OSError(self._err, os.strerror(self._err))
        self._left -= len(data)
        return self._fp.write(data)

    def __getattr__(self, name):
        return getattr(self._fp, name)

    def __enter__(self):
        self._fp.__enter__()
        return self

    def __exit__(self, *exc):
        return self._fp.__exit__(*exc)


def inject_write_fault(monkeypatch, *, after_files: int = 0, budget: int = 100, err: int = errno.ENOSPC):
    """Files opened by kitcut.fileio fail to write after ``after_files`` good files."""
    real = os.fdopen
    count = {"n": 0}

    def fdopen(fd, *a, **kw):
        fp = real(fd, *a, **kw)
        count["n"] += 1
        return _Failing(fp, budget, err) if count["n"] > after_files else fp

    monkeypatch.setattr(fileio.os, "fdopen", fdopen)
    return count


def no_temp_left(folder: Path) -> None:
    left = [p.name for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".kit-")]
    assert not left, f"temporary files left: {left}"


@pytest.fixture(scope="module")
def marker():
    return small_marker()


@pytest.mark.parametrize("after", [0, 2])
def test_export_with_a_full_disk(marker, tmp_path, monkeypatch, after):
    out = tmp_path / "out"
    export_marker(marker, out, ["svg", "dxf", "plt", "pdf"])
    before = files(out)
    inject_write_fault(monkeypatch, after_files=after)
    with pytest.raises(ExportError, match="cannot write: No space left on device") as ei:
        export_marker(marker, out, ["svg", "dxf", "plt", "pdf"])
    assert str(out) in str(ei.value)
    assert files(out) == before  # every old file intact, none half-written
    no_temp_left(out)


def test_export_fsync_failure_and_read_only_folder(marker, tmp_path, monkeypatch):
    out = tmp_path / "out"

    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(fileio.os, "fsync", fsync)
        with pytest.raises(ExportError, match="No space left"):
            export_marker(marker, out, ["svg"])
    assert not out.exists() or files(out) == {}
    no_temp_left(tmp_path)

    def mkstemp(*a, **kw):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(temp_names.tempfile, "mkstemp", mkstemp)
    with pytest.raises(ExportError, match="Read-only file system"):
        export_marker(marker, out, ["svg"])


def test_cli_export_full_disk_is_one_clear_line(marker, tmp_path, monkeypatch):
    mj = tmp_path / "m" / "marker.json"
    write_marker(valid_small_marker(), mj)
    inject_write_fault(monkeypatch)
    o = run_cli(["export", str(mj), "-o", str(tmp_path / "out"), "-f", "svg,plt"])
    assert check_outcome(o) == "error"
    assert o.stderr.count("\n") == 1 and "No space left on device" in o.stderr and "marker.svg" in o.stderr
    assert not (tmp_path / "out").exists() or files(tmp_path / "out") == {}


FOUR = ["plt", "dxf", "pdf", "report.json"]


def other_marker():
    """small_marker with every piece 100 mm further along: each exported file differs."""
    m = small_marker()
    moved = tuple(replace(p, translation=(p.translation[0] + 100, p.translation[1])) for p in m.placements)
    return replace(m, placements=moved, length=m.length + 100)


def test_failed_export_keeps_the_old_set_whole(marker, tmp_path):
    """Before, when one file of an export could not be written (here a folder has its name), the
    files written before it were already the new marker's and the others the old one's: a cutter
    file and a report of two different markers side by side. Now the set is written under
    temporary names and renamed only when all are written: every old file stays as it was."""
    out = tmp_path / "mix"
    export_marker(marker, out, FOUR)
    (out / "marker.pdf").unlink()
    (out / "marker.pdf").mkdir()
    before = files(out)
    with pytest.raises(ExportError) as ei:
        export_marker(other_marker(), out, FOUR)
    assert str(ei.value) == f"{out / 'marker.pdf'}: cannot write: a folder has this name"
    assert files(out) == before and (out / "marker.pdf").is_dir()
    no_temp_left(out)


@pytest.mark.parametrize("after", [1, 3])
def test_failed_export_into_a_fresh_folder_leaves_nothing(marker, tmp_path, monkeypatch, after):
    """Before, a full disk at the 2nd or 4th file left the first files of the set in a new folder."""
    inject_write_fault(monkeypatch, after_files=after)
    with pytest.raises(ExportError, match="No space left on device"):
        export_marker(marker, tmp_path / "new" / "out", FOUR)
    assert list(tmp_path.iterdir()) == []  # not even the folders made for it


def test_failed_rename_puts_the_old_files_back(marker, tmp_path, monkeypatch):
    """A rename that fails once others are done (an I/O error) puts the old files back and
    removes the new ones that had no old file."""
    out = tmp_path / "out"
    export_marker(marker, out, ["plt", "dxf"])
    before = files(out)
    real = os.replace
    calls = []

    def replace_(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(fileio.os, "replace", replace_)
    with pytest.raises(ExportError, match="cannot write: Input/output error"):
        export_marker(other_marker(), out, ["plt", "dxf", "pdf", "svg"])
    assert files(out) == before
    no_temp_left(out)
    assert not [p for p in out.iterdir() if p.name.endswith(".old")]


@pytest.fixture
def orders(tmp_path):
    d = tmp_path / "orders"
    d.mkdir()
    shutil.copy(ORDERS / "A-1001.toml", d)
    write_fake_tee(d / "tee.dxf")
    return d


@pytest.mark.parametrize("after", [0, 1, 3, 6, 9])
def test_kit_with_a_full_disk_leaves_no_kit(orders, tmp_path, monkeypatch, after):
    kits = tmp_path / "kits"
    with monkeypatch.context() as m:
        inject_write_fault(m, after_files=after, budget=50)
        with pytest.raises(ExportError, match="No space left") as ei:
            build_kit(orders / "A-1001.toml", kits, OPTS)
    # the kit's folder is named, not its temporary one, gone when the message is read (probe 23)
    assert ".tmp-" not in str(ei.value) and str(kits / "A-1001") in str(ei.value), str(ei.value)
    assert [p.name for p in kits.iterdir()] == []  # no kit, no temporary folder
    r = build_kit(orders / "A-1001.toml", kits, OPTS)  # disk freed: the rerun builds it completely
    assert r.status == "built" and verify_manifest(kits / "A-1001") == []


def test_kit_rebuild_failure_keeps_the_old_kit(orders, tmp_path, monkeypatch):
    kits = tmp_path / "kits"
    build_kit(orders / "A-1001.toml", kits, OPTS)
    old = files(kits / "A-1001")
    inject_write_fault(monkeypatch, after_files=4)
    with pytest.raises(ExportError):
        build_kit(orders / "A-1001.toml", kits, OPTS, replace=True)
    assert files(kits / "A-1001") == old
    assert [p.name for p in kits.iterdir()] == ["A-1001"]


def test_a_changed_order_whose_rebuild_fails_sets_its_old_kit_aside(orders, tmp_path, monkeypatch):
    """The order changed (L=1 to L=3) and its rebuild fails (a full disk): the kit of the order
    as it was is complete, and would be cut the next morning; it is moved aside, whole, and the
    error says where."""
    kits = tmp_path / "kits"
    build_kit(orders / "A-1001.toml", kits, OPTS)
    old = files(kits / "A-1001")
    order = orders / "A-1001.toml"
    order.write_text(order.read_text().replace("L = 1 }", "L = 3 }"))
    inject_write_fault(monkeypatch, after_files=4)
    with pytest.raises(ExportError) as err:
        build_kit(order, kits, OPTS, replace=True)  # as a batch builds an order it found changed
    (aside,) = [p for p in kits.iterdir() if p.name != "A-1001"]
    assert aside.name.startswith("A-1001+outdated-") and files(aside) == old
    assert not (kits / "A-1001").exists()
    assert f"moved to {aside.name}/ so that it is not cut" in str(err.value)
    monkeypatch.undo()  # the disk has room again: the kit is built anew, the old one stays aside
    assert build_kit(order, kits, OPTS).status == "built" and files(aside) == old


@pytest.mark.parametrize("edit", [
    lambda t: t.replace("width_mm = 1500", "widht_mm = 1500"),  # a field misspelt
    lambda t: t.replace('customer = "Studio Nord"', 'customer = "Studio Nord'),  # no TOML now
    lambda t: t.replace('name = "jersey"', 'name = "jersey"\nzones = [{ rect = [0, -500, 900, -100] }]'),
])
def test_an_order_edited_into_one_that_does_not_read_sets_its_old_kit_aside(orders, tmp_path, edit):
    """The failure came before the kit was looked at (reading the order): the complete kit of
    the order as it was stayed in place to be cut. An order that reads as before but is refused
    now (kitcut grew stricter) keeps its kit."""
    kits = tmp_path / "kits"
    build_kit(orders / "A-1001.toml", kits, OPTS)
    old = files(kits / "A-1001")
    order = orders / "A-1001.toml"
    order.write_text(edit(order.read_text()))
    with pytest.raises(KitcutError) as err:
        build_kit(order, kits, OPTS)
    (aside,) = [p for p in kits.iterdir() if p.name.startswith("A-1001+outdated-")]
    assert files(aside) == old and not (kits / "A-1001").exists()
    assert f"moved to {aside.name}/ so that it is not cut" in str(err.value)


def test_nest_kit_of_an_order_edited_into_one_that_does_not_read_sets_its_old_kit_aside(orders, tmp_path):
    """`nest kit` read the order before any kit was looked at, and a misspelt field (or a missing
    pattern) left the old, complete kit in place to be cut as the order was; a batch moved it."""
    kits = tmp_path / "kits"
    fakes = ["--nester", FAKE_NESTER, "--reader", FAKE_READER, "--time", "1", "--formats", "svg"]
    order = orders / "A-1001.toml"
    assert run_cli(["kit", str(order), "-o", str(kits), "-q", *fakes]).code == 0
    old = files(kits / "A-1001")
    order.write_text(order.read_text().replace("width_mm = 1500", "widht_mm = 1500"))
    out = run_cli(["kit", str(order), "-o", str(kits), "-q", *fakes])
    assert out.code == 2 and "widht_mm: unknown field" in out.stderr
    (aside,) = [p for p in kits.iterdir() if p.name.startswith("A-1001+outdated-")]
    assert files(aside) == old and not (kits / "A-1001").exists()
    assert f"moved to {aside.name}/ so that it is not cut" in out.stderr


def test_a_broken_draft_of_the_same_id_leaves_the_kit_of_the_order_beside_it(orders, tmp_path):
    """`nest kit A-1001-draft.toml`, a broken copy with the order's id, moved aside the complete
    kit built from A-1001.toml (the draft's TOML differs from the kit's order): a kit records
    which order file it was built from, and only that file's edits set it aside."""
    kits = tmp_path / "kits"
    fakes = ["--nester", FAKE_NESTER, "--reader", FAKE_READER, "--time", "1", "--formats", "svg"]
    assert run_cli(["kit", str(orders / "A-1001.toml"), "-o", str(kits), "-q", *fakes]).code == 0
    draft = orders / "A-1001-draft.toml"
    draft.write_text('garbage [[[\n[order]\nid = "A-1001"\n')
    out = run_cli(["kit", str(draft), "-o", str(kits), "-q", *fakes])
    assert out.code == 2 and "not valid TOML" in out.stderr and "moved to" not in out.stderr
    assert [p.name for p in kits.iterdir() if not p.name.startswith(".")] == ["A-1001"]
    assert verify_manifest(kits / "A-1001") == []


def test_an_order_that_reads_as_when_its_kit_was_built_keeps_it_when_refused(orders, tmp_path, monkeypatch):
    kits = tmp_path / "kits"
    build_kit(orders / "A-1001.toml", kits, OPTS)
    import kitcut.kits.kit as kit_module

    def refuse(*a, **kw):  # as a newer, stricter kitcut refuses an order it built before
        raise OrderError("fabrics[0].zones[0]: lies off the fabric", file=str(orders / "A-1001.toml"))

    monkeypatch.setattr(kit_module, "load_order", refuse)
    with pytest.raises(OrderError) as err:
        build_kit(orders / "A-1001.toml", kits, OPTS)
    assert [p.name for p in kits.iterdir()] == ["A-1001"] and "outdated" not in str(err.value)


def test_an_unchanged_order_whose_rebuild_fails_keeps_its_kit(orders, tmp_path, monkeypatch):
    kits = tmp_path / "kits"
    build_kit(orders / "A-1001.toml", kits, OPTS)
    order = orders / "A-1001.toml"
    order.write_text(order.read_text() + "\n# a comment changes no cut\n")
    inject_write_fault(monkeypatch, after_files=4)
    with pytest.raises(ExportError) as err:
        build_kit(order, kits, OPTS, replace=True)
    assert [p.name for p in kits.iterdir()] == ["A-1001"] and "outdated" not in str(err.value)


# --- a real small file system (needs the right to mount: skipped elsewhere) ---------------------

@pytest.fixture
def tiny_fs(tmp_path):
    def mount(opts: str) -> Path:
        d = tmp_path / f"fs-{opts.replace(',', '-')}"
        d.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(d)], capture_output=True)
        if r.returncode:
            pytest.skip("cannot mount a tmpfs here (not root?)")
        mounted.append(d)
        return d

    mounted: list[Path] = []
    yield mount
    for d in mounted:
        subprocess.run(["umount", str(d)], capture_output=True)


def test_real_full_disk(marker, tiny_fs):
    fs = tiny_fs("size=64k")
    (fs / "filler").write_bytes(b"x" * (64 * 1024 - 4096))
    out = fs / "out"
    with pytest.raises(ExportError, match="No space left on device"):
        export_marker(marker, out, ["pdf", "svg", "dxf"])
    names = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert all(not n.startswith(".") for n in names)  # no temporary file left
    for n in names:  # what was written is complete: it matches a normal export
        assert (out / n).stat().st_size > 0
    (fs / "filler").unlink()
    assert len(export_marker(marker, out, ["svg"])) == 1


def test_real_read_only_folder(marker, tiny_fs, orders):
    fs = tiny_fs("size=64k,ro")
    with pytest.raises(ExportError, match="Read-only file system"):
        export_marker(marker, fs / "out", ["svg"])
    o = run_cli(["kit", str(orders / "A-1001.toml"), "-o", str(fs / "kits"), "-t", "1", "--workers", "1",
                 "--formats", "none"])
    assert check_outcome(o) == "error" and "Read-only file system" in o.stderr and "kits" in o.stderr
    o = run_cli(["batch", str(orders), "-o", str(fs / "kits"), "-t", "1", "--formats", "none"])
    assert check_outcome(o) == "error" and "Read-only file system" in o.stderr
    assert list(fs.iterdir()) == []


def test_output_folder_that_cannot_be_made_is_a_clear_error(orders, tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    for argv in (["kit", str(orders / "A-1001.toml")], ["batch", str(orders)]):
        o = run_cli([*argv, "-o", str(blocker / "kits"), "-t", "1", "--formats", "none"])
        assert check_outcome(o) == "error" and "Not a directory" in o.stderr and "afile" in o.stderr
    assert blocker.read_text() == "not a folder"


def test_a_batch_sets_aside_the_kit_of_an_order_edited_into_one_that_does_not_read(orders, tmp_path):
    from kitcut.kits.batch import BatchOptions, run_batch

    kits = tmp_path / "kits"
    run_batch(orders, kits, BatchOptions(kit=OPTS, isolate=False))
    old = files(kits / "A-1001")
    order = orders / "A-1001.toml"
    order.write_text(order.read_text().replace("width_mm = 1500", "widht_mm = 1500"))
    s = run_batch(orders, kits, BatchOptions(kit=OPTS, isolate=False))
    (o,) = [o for o in s.outcomes if o.order == "A-1001"]
    (aside,) = [p for p in kits.iterdir() if p.name.startswith("A-1001+outdated-")]
    assert o.status == "failed" and f"moved to {aside.name}/" in o.message and files(aside) == old
    assert not (kits / "A-1001").exists()
