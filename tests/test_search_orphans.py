"""Search processes end with the process that forked them: ``nest`` killed with SIGKILL (the
out-of-memory killer, systemd after its stop timeout) left its two search processes searching
at full CPU until ``--time`` ran out, sharing the cores with the run that replaced it (probe 32)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLES

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(d.name))
    return out


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_search_processes_end_when_nest_is_killed(tmp_path):
    p = subprocess.Popen([sys.executable, "-m", "kitcut", str(SAMPLES / "tee.dxf"), "--time", "120",
                          "--workers", "2", "-q", "-o", str(tmp_path / "out")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kids: list[int] = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and len(kids) < 2:
            time.sleep(0.1)
            kids = [k for k in _children(p.pid) if _running(k)]
        assert len(kids) >= 2, "the search processes did not start"
        time.sleep(0.5)  # searching
        os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=10)
        end = time.monotonic() + 10
        while time.monotonic() < end and any(_running(k) for k in kids):
            time.sleep(0.1)
        assert not [k for k in kids if _running(k)]
    finally:  # whatever happened, no search is left running
        for k in kids + _children(p.pid):
            if _running(k):
                os.kill(k, signal.SIGKILL)
        if p.poll() is None:
            p.kill()
