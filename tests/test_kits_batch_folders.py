"""The folders of a batch as operators share and fill them: claims on orders in a kits folder
shared by several operators (kitcut.kits.claims), and files in a folder of orders that look meant
as orders but are not read.

The lock files were made 0644 whatever the umask: a second operator of the same group could not
open them, and the batch stopped at the first order with "Permission denied" (the others never
looked at, no "batch finished", no morning page). The second operator's rights are stood in for
by refusing the opening modes they lack (this machine runs the tests as root, whose rights no
file mode limits).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_kits_batch import OPTS, many_orders

import kitcut.kits.claims as claims_module
from kitcut.kits.batch import BatchOptions, run_batch
from kitcut.kits.claims import ClaimError, Claims


def test_a_lock_file_takes_the_mode_the_umask_leaves(tmp_path):
    old = os.umask(0o002)
    try:
        c = Claims(tmp_path)
        assert c.claim(["A-1"])
    finally:
        os.umask(old)
    assert (tmp_path / ".locks" / "A-1.lock").stat().st_mode & 0o777 == 0o664  # the group may claim too
    c.release(["A-1"])


def _refuse(monkeypatch, *, create: bool, ids=None):
    """``os.open`` of the claims refusing to open a lock file for writing (another operator made
    it and the group may not write it), and also to make one when ``create`` is False."""
    real = os.open

    def fake(path, flags, *a, **kw):
        mine = ids is None or any(Path(path).name == f"{i}.lock" for i in ids)
        if mine and flags & os.O_RDWR:
            raise PermissionError(13, "Permission denied")
        if mine and not create and not Path(path).exists():
            raise PermissionError(13, "Permission denied")
        return real(path, flags, *a, **kw)

    monkeypatch.setattr(claims_module.os, "open", fake)


def test_a_lock_file_another_operator_made_is_claimed_read_only(tmp_path, monkeypatch):
    Claims(tmp_path).release([])
    (tmp_path / ".locks" / "A-2.lock").write_text("4242\n")  # made by another operator
    theirs = Claims(tmp_path)
    _refuse(monkeypatch, create=True)
    mine = Claims(tmp_path)
    assert mine.claim(["A-2"])  # an exclusive flock through a read-only descriptor
    monkeypatch.undo()
    assert not theirs.claim(["A-2"])  # really held: the other operator finds it busy
    mine.release(["A-2"])
    assert theirs.claim(["A-2"])
    theirs.release(["A-2"])


def test_a_lock_file_the_operator_cannot_make_is_a_clear_error(tmp_path, monkeypatch):
    c = Claims(tmp_path)
    assert c.claim(["A-1"])
    _refuse(monkeypatch, create=False, ids=["A-3"])
    with pytest.raises(ClaimError) as err:
        c.claim(["A-3", "A-2"])  # A-2 is claimed first, then A-3 fails: A-2 is let go again
    assert "cannot claim order A-3" in str(err.value) and "needs group write" in str(err.value)
    assert set(c.held) == {"A-1"}


def test_a_batch_goes_on_past_an_order_it_cannot_claim(tmp_path, monkeypatch):
    ids = many_orders(tmp_path / "orders", 3)
    _refuse(monkeypatch, create=False, ids=[ids[1]])
    summary = run_batch(tmp_path / "orders", tmp_path / "kits", BatchOptions(kit=OPTS, isolate=False))
    status = {o.order: o.status for o in summary.outcomes}
    assert status == {ids[0]: "done", ids[1]: "failed", ids[2]: "done"}
    (failed,) = [o for o in summary.outcomes if o.status == "failed"]
    assert f"cannot claim order {ids[1]}" in failed.message
    assert (tmp_path / "kits" / "index.html").exists()
    assert "batch finished" in (tmp_path / "kits" / "batch.log").read_text()


def test_order_files_a_batch_does_not_read_are_said(tmp_path):
    """Orders in a subfolder, a ``.toml`` Notepad saved as ``N-1.toml.txt`` and ``T-1.toml ``
    (a blank after the name) were passed over without a word: not built, not in the log, the
    report nor the morning page. The last is an order file; the others are said."""
    orders = tmp_path / "orders"
    ids = many_orders(orders, 4)
    (orders / "sub").mkdir()
    (orders / f"{ids[1]}.toml").rename(orders / "sub" / f"{ids[1]}.toml")
    (orders / f"{ids[2]}.toml").rename(orders / f"{ids[2]}.toml.txt")
    (orders / f"{ids[3]}.toml").rename(orders / f"{ids[3]}.toml ")
    (orders / "patterns").mkdir()  # a pattern's match file in a subfolder is no order
    (orders / "patterns" / "tee.match.toml").write_text('[[match]]\npiece = "Front"\npoint = "notch 1"\n')
    summary = run_batch(orders, tmp_path / "kits", BatchOptions(kit=OPTS, isolate=False))
    assert sorted(o.order for o in summary.outcomes if o.status == "done") == [ids[0], ids[3]]
    assert summary.notes == [
        f"not read: {ids[2]}.toml.txt (a .toml saved as .txt, as Notepad does with extensions hidden? rename "
        "it to end in .toml)",
        "not read: sub/ holds 1 order file(s): orders in subfolders are not read (give sub as the folder of "
        "orders, or move them up)"]
    assert "not read: sub/" in (tmp_path / "kits" / "batch.log").read_text()
