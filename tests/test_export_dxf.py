"""Marker DXF read back by ezdxf's recover: audit clean, every copy an INSERT at its placement."""

from __future__ import annotations

import numpy as np
import pytest
from ezdxf import recover
from marker_factory import small_marker

from kitcut.formats.writing.export import write_file


@pytest.fixture(scope="module")
def marker():
    return small_marker()


def test_dxf_marker_reads_back(tmp_path, marker):
    path = write_file(marker, tmp_path / "marker.dxf")
    doc, auditor = recover.readfile(path)
    assert not auditor.has_errors and not auditor.fixes
    msp = doc.modelspace()
    inserts = msp.query("INSERT")
    assert len(inserts) == len(marker.placements)
    for pl, ins in zip(marker.placements, inserts, strict=True):
        piece = marker.pieces[pl.piece]
        assert ins.dxf.rotation == pytest.approx(pl.rotation_deg % 360 if pl.rotation_deg else 0.0)
        assert ins.dxf.yscale == (-1.0 if pl.mirrored else 1.0)
        ents = list(ins.virtual_entities())
        outlines = [e for e in ents if e.dxftype() == "POLYLINE" and e.dxf.layer == "1"]
        assert len(outlines) == 1
        got = np.array([(p.x, p.y) for p in outlines[0].points_in_wcs()])
        assert np.abs(got - marker.placed_outline(pl)).max() <= 0.05
        cutouts = [e for e in ents if e.dxftype() == "POLYLINE" and e.dxf.layer == "11"]
        assert len(cutouts) == len(piece.cutouts)
        for e, c in zip(cutouts, piece.cutouts, strict=True):
            pts = np.array([(p.x, p.y) for p in e.points_in_wcs()])
            assert np.abs(pts - pl.apply(c)).max() <= 0.05
        notches = [e for e in ents if e.dxftype() == "POINT" and e.dxf.layer in ("4", "80", "81", "82", "83")]
        assert sorted(e.dxf.layer for e in notches) == sorted(
            {"t": "80", "castle": "81", "check": "82", "u": "83"}.get(n.kind, "4") for n in piece.notches)
        drills = [e for e in ents if e.dxftype() == "POINT" and e.dxf.layer == "13"]
        assert len(notches) == len(piece.notches) and len(drills) == len(piece.drills)
        for e, d in zip(drills, piece.drills, strict=True):
            assert np.hypot(*(np.array(e.dxf.location)[:2] - pl.apply(np.array([(d.x, d.y)]))[0])) <= 0.05
        texts = {e.dxf.text for e in ents if e.dxftype() == "TEXT"}
        assert f"Piece Name: {piece.name}" in texts and f"Size: {piece.size}" in texts
    figures = {e.dxf.text for e in msp.query("TEXT[layer=='MARKER']")}
    assert f"Efficiency: {100 * marker.efficiency:.1f}%" in figures
    assert write_file(marker, tmp_path / "again.dxf").read_bytes() == path.read_bytes()


def test_block_names_stay_within_r12s_limit_and_the_names_whole(tmp_path):
    """A long piece name gave a 334-character block name (R12 allows 31; AutoCAD refuses a name
    over 255). Names are shortened, kept apart, and the piece's name is written whole."""
    from marker_factory import rect_piece_marker

    from kitcut.formats.reading.read import read_pattern

    long = "Vorderteil mit angeschnittener Knopfleiste und Brusttasche links " * 5
    names = [long + "A", long + "B", "前片 " * 40, "Front"]
    marker = rect_piece_marker(names, size="Größe 38 extra lang")
    path = write_file(marker, tmp_path / "marker.dxf")
    doc, auditor = recover.readfile(path)
    blocks = [b.name for b in doc.blocks if not b.name.startswith("*")]
    assert len(blocks) == len(names) == len({b.upper() for b in blocks})
    assert all(len(b) <= 31 for b in blocks), blocks
    assert "Front_Grosse_38_extra" in blocks and "Vorderteil_mit__Grosse_38_ext_2" in blocks
    back = read_pattern(path)
    assert sorted(p.name for p in back.pieces) == sorted(n.strip() for n in names)


def test_a_mirrored_copy_s_insert_says_both_scales(tmp_path, marker):
    """A mirrored copy was written with its y scale (42 = -1) and no x scale (41, default 1: ezdxf
    leaves it out). Valid DXF, but Inkscape 1.2's importer reads 41 wherever 42 is and stopped
    on an IndexError: no marker with a left/right pair opened in it (probe 38). Each INSERT
    with a 42 now has its 41 before it, and the other INSERTs are unchanged."""
    from ezdxf.lldxf.tagger import ascii_tags_loader

    assert any(pl.mirrored for pl in marker.placements) and not all(pl.mirrored for pl in marker.placements)
    path = write_file(marker, tmp_path / "marker.dxf")
    inserts, current = [], None
    for tag in ascii_tags_loader(path.open(encoding="ascii")):
        if tag.code == 0:
            current = [] if tag.value == "INSERT" else None
            if current is not None:
                inserts.append(current)
        elif current is not None:
            current.append((tag.code, tag.value))
    assert len(inserts) == len(marker.placements)
    for pl, tags in zip(marker.placements, inserts, strict=True):
        codes = [c for c, _ in tags]
        if pl.mirrored:
            assert (41, "1.0") in tags and (42, "-1.0") in tags and codes.index(41) == codes.index(42) - 1
        else:
            assert 41 not in codes and 42 not in codes
