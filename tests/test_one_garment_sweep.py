"""The everyday job on every real file: one garment of every size, and one-order kits.

For every real DXF export at hand (``../shared/data/dxf`` and the bundled ``tests/data/real``)
and every size it holds, one garment is
nested on 1500 mm fabric with 2 mm spacing (the first feasible marker: the construction, no
search) through the same calls as ``nest FILE --sizes SIZE --quantity '*=1'``, and checked
by the independent checker of ``tests/checker.py``. The smallest and the largest size of each
file are also built as a one-order kit (order file, plan, marker, exports, manifest).

A job is refused (exit 2 on the command line) only where the input truly cannot be cut; the
table :data:`REFUSED` lists those cases with the reason the message must give. Quantities: two
AccuMark exports say ``Quantity: 0,0`` on every piece, so every job gives ``*=1`` (one of each
piece whose file says 0 or nothing), as a user of those files must.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache

import pytest
from checker import check_marker
from conftest import BUNDLED_DXF, DXF_DIR, real_dxf_files

from kitcut.errors import KitcutError
from kitcut.formats.marker_json import marker_to_dict
from kitcut.formats.reading.read import read_pattern
from kitcut.formats.reading.sizes import sorted_sizes
from kitcut.kits.kit import KitOptions, build_kit
from kitcut.kits.manifest import verify_manifest
from kitcut.kits.marker import nest_pattern
from kitcut.kits.quantities import load_pattern
from kitcut.model import Rules

RULES = Rules(width=1500.0, spacing=2.0)
ONE_OF_EACH = {"*": (1, None)}
SKIP = pytest.mark.skip(reason=f"shared data not present: {DXF_DIR}")

#: (file, size) -> what the refusal must say. Nothing else may be refused.
REFUSED = {
    # a 3002 x 2002 mm test box from CLO: wider than 1500 mm fabric in every orientation
    ("clo-box.dxf", "M"): "does not fit the usable width in any allowed orientation",
    # the back of sizes 48-52 is drawn away from its own grain and internal lines, its half
    # crossing its mirror line: loops of 4,000-9,000 mm², no hairline (``--repair`` cuts it)
    ("DEEP_ARMHOLE_RACER.DXF", "48"): "self-intersecting outline",
    ("DEEP_ARMHOLE_RACER.DXF", "50"): "self-intersecting outline",
    ("DEEP_ARMHOLE_RACER.DXF", "52"): "self-intersecting outline",
    # the same designer's tank: its back drawn turned in sizes 48-52, crossing itself (loops of
    # 1,000-20,000 mm² on a piece of 21,000)
    ("WM_LOOSE_SHAPE_TANK.DXF", "48"): "self-intersecting outline",
    ("WM_LOOSE_SHAPE_TANK.DXF", "50"): "self-intersecting outline",
    ("WM_LOOSE_SHAPE_TANK.DXF", "52"): "self-intersecting outline",
}


REAL = real_dxf_files()


def real_files() -> list[str]:
    return list(REAL)


@cache
def sizes_of(name: str) -> tuple[str | None, ...]:
    sizes = read_pattern(REAL[name], repair=True).size_names  # --repair: list every size
    return tuple(sorted_sizes(sizes)) if sizes else (None,)


def jobs() -> list:
    out = [pytest.param(name, size, id=f"{name}-{size}")
           for name in real_files() for size in sizes_of(name)]
    return out or [pytest.param(None, None, marks=SKIP)]


def one_garment(name: str, size: str | None):
    sizes = None if size is None else {size: 1}
    return load_pattern(REAL[name], sizes=sizes, quantities=ONE_OF_EACH)


@pytest.mark.parametrize(("name", "size"), jobs())
def test_one_garment_of_every_size_of_every_real_file(name, size):
    expected = REFUSED.get((name, size))
    try:
        pattern = one_garment(name, size)
        marker = nest_pattern(pattern, RULES, time_limit=60.0, seed=1, workers=1, max_iterations=0)
    except KitcutError as exc:
        assert expected is not None, f"{name} size {size} refused: {exc}"
        assert exc.exit_code == 2 and expected in str(exc), str(exc)
        if size is not None:
            assert f"({size})" in str(exc)  # names the piece with its size
        return
    assert expected is None, f"{name} size {size} should have been refused ({expected})"
    assert check_marker(marker_to_dict(marker), nap="two-way") == []
    assert len(marker.placements) == pattern.copies > 0
    assert {p.size for p in pattern.pieces} <= {size, None}


def kit_jobs() -> list:
    out = []
    for name in real_files():
        sizes = sizes_of(name)
        for size in dict.fromkeys((sizes[0], sizes[-1])):
            out.append(pytest.param(name, size, id=f"{name}-{size}"))
    return out or [pytest.param(None, None, marks=SKIP)]


ORDER = """[order]
id = "ONE-{n}"
customer = "walk-in"

[[garments]]
pattern = "{pattern}"
sizes = {{ {size} = 1 }}
quantities = {{ "*" = 1 }}

[[fabrics]]
name = "main"
width_mm = 1500
spacing_mm = 2
"""


@pytest.mark.parametrize(("name", "size"), kit_jobs())
def test_smallest_and_largest_size_as_a_one_order_kit(tmp_path, name, size):
    import shutil

    orders = tmp_path / "orders"
    orders.mkdir()
    shutil.copy(REAL[name], orders / name)
    text = ORDER.format(n=1, pattern=name, size=json.dumps(size or "M"))
    (orders / "one.toml").write_text(text, encoding="utf-8")
    kits = tmp_path / "KITS"
    opts = KitOptions(time_limit=60.0, seed=1, workers=1, max_iterations=0, formats=("svg", "plt", "dxf"))
    expected = REFUSED.get((name, size))
    try:
        result = build_kit(orders / "one.toml", kits, opts)
    except KitcutError as exc:
        assert expected is not None, f"{name} size {size}: kit refused: {exc}"
        assert exc.exit_code == 2 and expected in str(exc), str(exc)
        assert not kits.exists() or not any(p.name.startswith("ONE-") for p in kits.iterdir())  # no half kit
        return
    assert expected is None, f"{name} size {size} should have been refused ({expected})"
    kit = kits / "ONE-1"
    assert result.status == "built" and verify_manifest(kit) == []
    markers = sorted(kit.glob("fabrics/*/marker.json"))
    assert markers
    for m in markers:
        assert check_marker(json.loads(m.read_text(encoding="utf-8")), nap="two-way") == []
        assert (m.parent / "marker.plt").stat().st_size > 0


def _nest_cli(*args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "kitcut", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def test_the_command_line_one_garment_job(tmp_path):
    if not DXF_DIR.is_dir():
        pytest.skip(f"shared data not present: {DXF_DIR}")
    # a pattern drawn about x = 0 with fold pieces, one garment of its smallest size
    out = tmp_path / "gmh"
    r = _nest_cli(str(DXF_DIR / "GMH1006F18_AAMA.DXF"), "--sizes", "42", "--width", "1500", "--spacing", "2",
                  "--time", "2", "--seed", "1", "--workers", "1", "-o", str(out), "--json")
    assert r.returncode == 0, r.stderr
    marker = json.loads((out / "marker.json").read_text())
    assert check_marker(marker, nap="two-way") == []
    assert {p["size"] for p in marker["instance"]["pieces"]} == {"42"}
    # every Quantity is 0: refused with the way out, then cut with it
    r = _nest_cli(str(DXF_DIR / "annotation.DXF"), "--sizes", "70", "--time", "1", "-o", str(tmp_path / "a"))
    assert r.returncode == 2
    assert "every piece has quantity 0" in r.stderr and "--quantity '*=1'" in r.stderr
    r = _nest_cli(str(DXF_DIR / "annotation.DXF"), "--sizes", "70", "--quantity", "*=1", "--time", "1",
                  "--workers", "1", "-o", str(tmp_path / "a"), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["pieces"] == 17
    # an unknown size lists the sizes the file has
    r = _nest_cli(str(DXF_DIR / "GMH1006F18_AAMA.DXF"), "--sizes", "XXL", "--time", "1")
    assert r.returncode == 2
    assert "--sizes: no size 'XXL' in this pattern (it has 42, 44, 46" in r.stderr


def _hp2xx_range(path, tmp_path) -> tuple[float, ...]:
    """hp2xx's reading of an HP-GL file: its coordinate range (plotter units), no command ignored."""
    import re

    r = subprocess.run(["hp2xx", "-m", "dxf", "-t", "-f", str(tmp_path / (path.name + ".dxf")), str(path)],
                       capture_output=True, text=True, errors="replace", stdin=subprocess.DEVNULL, timeout=60)
    log = r.stdout + r.stderr
    assert "HPGL command(s) ignored: 0" in log, log
    m = re.search(r"Coordinate range: \((-?[\d.]+), (-?[\d.]+)\) \.\.\. \((-?[\d.]+), (-?[\d.]+)\)", log)
    assert m, log
    return tuple(float(v) for v in m.groups())


BUNDLED = sorted(p.name for p in BUNDLED_DXF.glob("*.*") if p.suffix.lower() == ".dxf")


@pytest.mark.parametrize("name", BUNDLED)
def test_the_everyday_job_on_a_bundled_real_file_read_back_by_other_readers(tmp_path, name):
    """The most common job, as a pattern maker and the cutting room run it, on a real export that
    every checkout has: one garment of the smallest size nested, every cutting-room file written
    (`nest export -f all`), and each read back by a reader that is not kitcut's: the independent
    placement checker, ezdxf (strict, audited), hp2xx, pypdf, an XML parser."""
    import shutil
    import xml.etree.ElementTree as ET

    import ezdxf
    from pypdf import PdfReader

    size = sizes_of(name)[0]
    out = tmp_path / "out"
    args = [str(REAL[name]), "--quantity", "*=1", "--width", "1500", "--spacing", "2", "--time", "1",
            "--seed", "1", "--workers", "1", "-o", str(out), "--json"]
    r = _nest_cli(*args, *(["--sizes", size] if size else []))
    assert r.returncode == 0, r.stderr
    marker = json.loads((out / "marker.json").read_text(encoding="utf-8"))
    assert check_marker(marker, nap="two-way") == []
    placed = len(marker["solution"]["placements"])
    assert json.loads(r.stdout)["pieces"] == placed > 0
    length, width = marker["solution"]["length"], marker["solution"]["width"]
    r = _nest_cli("export", str(out / "marker.json"), "-o", str(out), "-f", "all")
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in out.iterdir())
    assert {"marker.dxf", "marker.plt", "marker.pen.plt", "marker.nc", "marker.pdf", "marker.svg",
            "marker.report.pdf", "marker.tiled.pdf"} <= set(names), names
    assert not [n for n in names if n.startswith(".") or n.endswith((".tmp", ".part"))], names  # no leftovers
    doc = ezdxf.readfile(out / "marker.dxf")
    assert not doc.audit().has_errors
    assert len(doc.modelspace().query("INSERT")) == placed
    if shutil.which("hp2xx"):
        x0, y0, x1, y1 = _hp2xx_range(out / "marker.plt", tmp_path)
        assert x0 >= -0.5 and y0 >= -0.5 and x1 <= 40 * length + 0.5 and y1 <= 40 * width + 0.5
        pen = _hp2xx_range(out / "marker.pen.plt", tmp_path)
        assert pen == pytest.approx((0, 0, 40 * length, 40 * width), abs=0.5)
    for pdf in out.glob("*.pdf"):
        pages = PdfReader(pdf).pages
        assert len(pages) >= 1 and all(float(p.mediabox.width) > 0 for p in pages), pdf.name
    page = PdfReader(out / "marker.pdf").pages[0]  # the 1:1 plot: the whole marker on its page
    assert float(page.mediabox.width) / 72 * 25.4 >= length
    for svg in out.glob("*.svg"):
        assert ET.parse(svg).getroot().tag.endswith("svg"), svg.name
