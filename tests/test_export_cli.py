"""``nest export``: marker.json in, the chosen files out; bad input is one line and exit 2."""

from __future__ import annotations

import pytest
from marker_factory import small_marker

from kitcut.cli.main import main
from kitcut.formats.marker_json import write_marker
from kitcut.formats.writing.export import DEFAULT_FORMATS
from kitcut.formats.writing.gerber_nc import read_nc


@pytest.fixture()
def marker_file(tmp_path):
    return write_marker(small_marker(), tmp_path / "marker.json")


def _run(argv) -> int:
    with pytest.raises(SystemExit) as exc:
        main(argv)
        raise SystemExit(0)
    return exc.value.code or 0


def test_export_default_set(tmp_path, marker_file, capsys):
    assert _run(["export", str(marker_file), "-o", str(tmp_path / "out")]) == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(f"marker.{f}" for f in DEFAULT_FORMATS)
    assert capsys.readouterr().out.count("marker.") == len(DEFAULT_FORMATS)


def test_export_formats_and_device(tmp_path, marker_file):
    out = tmp_path / "o"
    assert (
        _run(
            [
                "export",
                str(marker_file),
                "-o",
                str(out),
                "--formats",
                "nc,gcode",
                "--device",
                "gerber-conveyor",
                "--stem",
                "cut",
            ]
        )
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == ["cut.gcode", "cut.nc"]
    prog = read_nc((out / "cut.nc").read_text())
    assert len(prog.pieces) == 7
    first = (out / "cut.nc").read_bytes()
    assert (
        _run(
            ["export", str(marker_file), "-o", str(out), "-f", "nc", "-d", "gerber-conveyor", "--stem", "cut"]
        )
        == 0
    )
    assert (out / "cut.nc").read_bytes() == first


def test_export_errors_are_one_line(tmp_path, marker_file, capsys):
    assert _run(["export", str(marker_file), "-o", str(tmp_path / "x"), "-f", "svg,bmp"]) == 2
    err = capsys.readouterr().err
    assert "unknown output format 'bmp'" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()  # nothing written when one format is bad
    assert _run(["export", str(marker_file), "-d", "nope"]) == 2
    assert "unknown device 'nope'" in capsys.readouterr().err
    assert _run(["export", str(tmp_path / "missing.json")]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert _run(["export", str(bad)]) == 2
    assert "not a kitcut marker file" in capsys.readouterr().err


@pytest.mark.parametrize(("stem", "why"), [
    ("../evil", "holds a path separator (/ or \\)"),
    ("sub/cut", "holds a path separator (/ or \\)"),
    ("..\\evil", "holds a path separator (/ or \\)"),
    ("..", "holds '..'"),
    ("", "is empty"),
    (".cut", "starts with a dot (a hidden file)"),
    ("cut\n", "holds a control character"),
])
def test_a_stem_that_is_not_a_plain_file_name_is_an_option_error(tmp_path, marker_file, capsys, stem, why):
    """``--stem ../evil`` wrote ``evil.svg`` beside the output folder, and ``--stem ''`` a hidden
    ``.svg`` in it. A stem is now a plain file name: anything else is an option error (exit 2)
    and nothing is written, inside the output folder or out of it."""
    out = tmp_path / "a" / "out"
    before = sorted(p.name for p in tmp_path.rglob("*"))
    assert _run(["export", str(marker_file), "-o", str(out), "-f", "svg", "--stem", stem]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"Error: Invalid value for '--stem': {stem!r} {why}: give a file name without folder, such as marker "
        "or order-42")
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_export_list(capsys):
    assert _run(["export", "--list"]) == 0
    out = capsys.readouterr().out
    assert "tiled.pdf" in out and "gerber-conveyor" in out
