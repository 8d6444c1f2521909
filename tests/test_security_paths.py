"""Security: order files stay inside their folder, symlinks leading out are refused, names from
input files never become paths outside the output folder nor cutter commands, and no input
text is executed or used as a format string."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES
from fuzz.runner import check_outcome, run_cli, run_order
from hypothesis import given, settings
from hypothesis import strategies as st
from test_kits_fakes import FAKE_NESTER, FAKE_READER, write_fake_tee

from kitcut.errors import OrderError
from kitcut.kits.kit import KitOptions, build_kit
from kitcut.kits.order import load_order, slug

ORDER = """[order]
id = "S-1"
customer = "c"
[[garments]]
pattern = {pattern}
sizes = {{ M = 1 }}
[[fabrics]]
name = {fabric}
width_mm = 1500
"""

HOSTILE = ["../../x", "/etc/passwd", "CON", "a/b\\\\c", "nul\\u0000byte", "\\u0436" * 200, "..", ".",
           "%s%n{0}", "$(id)", "`id`", "x" * 400, " ", "\\u202e", "AUX.txt"]


def order_text(pattern: str = '"tee.dxf"', fabric: str = '"jersey"') -> str:
    return ORDER.format(pattern=pattern, fabric=fabric)


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "orders"
    d.mkdir()
    write_fake_tee(d / "tee.dxf")
    outside = tmp_path / "outside"
    outside.mkdir()
    write_fake_tee(outside / "tee.dxf")
    return d


@pytest.mark.parametrize("pattern, words", [
    ('"../outside/tee.dxf"', "leaves the order's folder"),
    ('"sub/../../outside/tee.dxf"', "leaves the order's folder"),
    ("ABS", "leaves the order's folder"),
    ('"link.dxf"', "leads outside the order's folder"),
    ('"linkdir/tee.dxf"', "leads outside the order's folder"),
    ('"tee.dxf\\u0000.toml"', "garments[0].pattern"),
    ('""', "garments[0].pattern"),
    ('"~/tee.dxf"', "not found"),
])
def test_pattern_paths_stay_inside(folder, pattern, words):
    outside = folder.parent / "outside"
    os.symlink(outside / "tee.dxf", folder / "link.dxf")
    os.symlink(outside, folder / "linkdir")
    if pattern == "ABS":
        pattern = f'"{outside / "tee.dxf"}"'
    p = folder / "o.toml"
    p.write_text(order_text(pattern))
    o = run_order(p)
    assert check_outcome(o) == "error" and words in o.stderr and str(p) in o.stderr, o.stderr


def test_allowed_outside_and_symlinks_inside(folder):
    outside = folder.parent / "outside"
    p = folder / "o.toml"
    p.write_text(order_text('"../outside/tee.dxf"'))
    assert load_order(p, allow_outside=True).garments[0].pattern.resolve() == (outside / "tee.dxf").resolve()
    (folder / "sub").mkdir()
    os.symlink(folder / "tee.dxf", folder / "sub" / "inner.dxf")  # a link that stays inside: fine
    p.write_text(order_text('"sub/inner.dxf"'))
    assert load_order(p).garments[0].pattern == folder / "sub" / "inner.dxf"
    # an order file that is itself a link into another folder resolves patterns beside the link
    os.symlink(p, folder.parent / "outside" / "link.toml")
    with pytest.raises(OrderError, match="not found"):
        load_order(folder.parent / "outside" / "link.toml")


def _portable(rel: Path) -> None:
    for part in rel.parts:
        assert part not in ("", ".", "..") and "\x00" not in part and "/" not in part and "\\" not in part
        assert len(part.encode()) <= 255, part
        assert part.split(".")[0].upper() not in ("CON", "PRN", "AUX", "NUL", "COM1", "LPT1"), part


@pytest.mark.parametrize("name", HOSTILE)
def test_fabric_names_cannot_leave_the_kit(folder, tmp_path, name):
    p = folder / "o.toml"
    p.write_text(order_text(fabric=f'"{name}"'))
    kits = tmp_path / "kits"
    opts = KitOptions(time_limit=1, nester=FAKE_NESTER, reader=FAKE_READER, formats=("svg", "plt"))
    try:
        r = build_kit(p, kits, opts)
    except OrderError as exc:  # a name the order check refuses is also fine: clearly
        assert "fabrics[0]" in str(exc)
        return
    kit = Path(r.path)
    assert kit == kits / "S-1"
    every = [q for q in tmp_path.rglob("*")
             if q.is_file() and "orders" not in q.parts and "outside" not in q.parts]
    assert every and all(q.is_relative_to(kit) for q in every), every
    for q in every:
        _portable(q.relative_to(kits))


def test_hostile_piece_names_stay_text(tmp_path):
    """Piece, size and category texts with paths, control characters, format strings and cutter
    commands: the outputs stay in the output folder and carry the text inertly."""
    evil = "X\x03;PU0,0;PD99999,99999;IN;(evil) %s{0}$(id)/../../y"
    lines = (SAMPLES / "tee.dxf").read_bytes().decode("latin-1").splitlines()
    n = 0
    for i, ln in enumerate(lines):
        if ln.startswith("Piece Name: "):
            lines[i] = "Piece Name: " + evil + str(n)
            n += 1
    assert n >= 10
    src = tmp_path / "evil.dxf"
    src.write_text("\n".join(lines) + "\n", encoding="latin-1")
    out = tmp_path / "out"
    o = run_cli(["run", str(src), "-q", "-t", "1", "--workers", "1", "--seed", "1", "--iterations", "50",
                 "-o", str(out), "--width", "1200"])  # G-code's default table is 1300 mm wide
    assert check_outcome(o) == "ok", o.stderr
    o = run_cli(["export", str(out / "marker.json"), "-f", "plt,pen.plt,gcode,nc,dxf,svg,report.json"])
    assert check_outcome(o) == "ok", o.stderr
    made = sorted(q.name for q in tmp_path.rglob("*") if q.is_file())
    assert all(q.parent == out for q in tmp_path.rglob("*") if q.is_file() and q != src), made
    assert not (tmp_path / "y").exists() and not (tmp_path.parent / "y").exists()
    for plt in ("marker.plt", "marker.pen.plt"):
        text = (out / plt).read_text(encoding="latin-1")
        labels = re.findall(r"LB([^\x03]*)\x03", text)
        assert any("PU0,0?PD99999,99999?IN?(evil)" in lb for lb in labels)  # the name, made inert
        assert all(";" not in lb for lb in labels)
        commands = re.sub(r"LB[^\x03]*\x03", "LB", text)  # the command stream outside labels
        assert "PD99999" not in commands and commands.count("IN;") <= 1
    gcode = (out / "marker.gcode").read_text()
    for line in gcode.splitlines():
        if "(" in line:
            assert line.count("(") == 1 and line.rstrip().endswith(")"), line
    assert (out / "marker.report.json").stat().st_size > 0


def test_no_exec_eval_shell_or_input_format_strings_in_the_package():
    """Source policy: no eval/exec/os.system/shell=True/pickle.loads/yaml.load in kitcut code;
    subprocess only where a fixed program runs; ``.format(`` never on read-in text."""
    pat = re.compile(r"\b(eval|exec)\(|os\.system|shell\s*=\s*True|pickle\.loads|yaml\.load\(|__import__\(")
    bad = []
    for folder in ("kitcut", "formats", "kits", "cli", "model", "nesting"):
        for f in sorted((ROOT / folder).glob("*.py")):
            for k, line in enumerate(f.read_text().splitlines(), 1):
                code = line.split("#")[0]
                if pat.search(code):
                    bad.append(f"{f.name}:{k}: {line.strip()}")
                if ".format(" in code or ".format_map(" in code:
                    bad.append(f"{f.name}:{k}: {line.strip()}")
    assert bad == [], bad


def test_order_ids_and_output_options(folder, tmp_path):
    for oid in ("../x", "a/b", "", ".hidden", "CON\u0000", "x" * 101):
        p = folder / "o.toml"
        p.write_text(order_text().replace('"S-1"', f'"{oid}"'.replace("\u0000", "\\u0000")))
        o = run_order(p)
        assert check_outcome(o) == "error" and "order.id" in o.stderr
    shutil.rmtree(folder)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.text(max_size=300))
def test_slug_is_always_a_portable_folder_name(name):
    s = slug(name)
    _portable(Path(s))
    assert s == s.strip(" .-") and len(s) <= 61 and re.fullmatch(r"[A-Za-z0-9._-]+", s)


def test_default_output_folder_of_a_dotted_file_name(tmp_path, monkeypatch):
    src = tmp_path / "...dxf"
    shutil.copy(SAMPLES / "tee.dxf", src)
    monkeypatch.chdir(tmp_path)
    o = run_cli(["run", str(src), "-q", "-t", "1", "--workers", "1", "--iterations", "20"])
    assert check_outcome(o) == "ok", o.stderr
    assert (tmp_path / "out" / "pattern" / "marker.json").is_file()
    assert not (tmp_path / "marker.json").exists()
