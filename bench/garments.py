"""Real garment markers for the nesting benchmark: every size of a real export, one garment each.

Each real DXF export in ``../shared/data/dxf`` that holds garment sizes becomes one marker:
every size once (one garment per size), 1500 mm fabric, 2 mm spacing, two-way nap, left/right
pairs mirrored, quantities the file gives (``*=1`` where it says 0 or nothing), broken
outlines repaired (``--repair``). The instance is what kitcut's core nests: the pieces' own
outlines, the pairs' mirrored copies as mirrored orientations. spyrrow gets the same outlines
(mirrored copies pre-mirrored) and ``min_items_separation`` = the spacing.
"""

from __future__ import annotations

from pathlib import Path

DXF = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "dxf"
#: exports that are not garments (a test box, cutting-room test drawings)
NOT_GARMENTS = {"clo-box.dxf", "nctools_lapjes_cutter-splines.dxf", "nctools_snijtest-sirex_cutter.dxf"}
WIDTH_MM = 1500.0
SPACING_MM = 2.0


def real_names() -> list[str]:
    if not DXF.is_dir():
        return []
    return sorted(p.name for p in DXF.iterdir() if p.suffix.lower() == ".dxf" and p.name not in NOT_GARMENTS)


def load_real(name: str):
    """The core instance of one real garment marker (see the module docstring)."""
    from kitcut.kits.marker import build_instance
    from kitcut.kits.quantities import load_pattern
    from kitcut.model import Rules
    from kitcut.nesting import Instance

    path = DXF / name
    probe = load_pattern(path, quantities={"*": (1, None)}, repair=True, match=False)
    sizes = {s: 1 for s in probe.size_names} or None
    pattern = load_pattern(path, sizes=sizes, quantities={"*": (1, None)}, repair=True, match=False)
    inst, _ = build_instance(pattern, Rules(width=WIDTH_MM, spacing=SPACING_MM))
    return Instance(inst.items, inst.width, spacing=inst.spacing, name=Path(name).stem)
