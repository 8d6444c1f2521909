"""An order's fabrics: the ``[[fabrics]]`` tables, checked, and which pieces each one cuts."""

from __future__ import annotations

from dataclasses import dataclass

from kitcut.errors import KitcutError
from kitcut.formats.reading.texts import nfc
from kitcut.kits.materials import NONE, material_key
from kitcut.kits.order_fields import FieldChecker
from kitcut.kits.order_ids import slug
from kitcut.model import FabricZone, Repeat, Rules
from kitcut.model.marker import MAX_SPACING_MM, MAX_WIDTH_MM
from kitcut.nesting.rules import NAP_MODES, check_nap

__all__ = ["Fabric", "parse_fabric", "distinct_folders"]

FABRIC_KEYS = {"name", "width_mm", "spacing_mm", "margin_mm", "nap", "tilt_deg", "pairs",
                "shrinkage_pct", "categories", "materials", "repeat_mm", "repeat_phase_mm", "symmetric",
                "zones"}


@dataclass(frozen=True)
class Fabric:
    """One ``[[fabrics]]`` line (lengths in mm).

    ``shrinkage_pct = (x, y)``: the fabric shrinks by x % along the roll (marker length) and
    y % across the width; pieces are enlarged by ``1 / (1 - pct/100)`` in their grain frame
    (along the grain = along the roll) so that they are true to size after shrinking.
    ``categories``: the piece categories cut from this fabric; ``materials``: the piece materials
    (the ``Fabric:``/``Material:`` texts: AccuMark's fabric codes 1, 2, 3...); a fabric with
    neither takes every piece no other fabric lists.
    """

    name: str
    width_mm: float
    spacing_mm: float = 0.0
    margin_mm: float = 0.0
    nap: str = "two-way"
    tilt_deg: float = 0.0
    pairs: bool = True
    shrinkage_pct: tuple[float, float] = (0.0, 0.0)
    categories: tuple[str, ...] | None = None
    materials: tuple[str, ...] | None = None
    #: the design's repeat (stripes, checks) and the zones of the roll (see kitcut.model.fabric)
    repeat: Repeat = Repeat()
    zones: tuple[FabricZone, ...] = ()

    @property
    def rules(self) -> Rules:
        return Rules(width=self.width_mm, spacing=self.spacing_mm, margin=self.margin_mm, nap=self.nap,
                     tilt_deg=self.tilt_deg, pairs=self.pairs, repeat=self.repeat, zones=self.zones)

    @property
    def key(self) -> tuple:
        """Orders whose fabrics share this key can be nested on one marker (``--combine``)."""
        zones = tuple((z.shape.tobytes(), z.allow) for z in self.zones)
        return (self.name.strip().lower(), self.width_mm, self.spacing_mm, self.margin_mm, self.nap,
                self.tilt_deg, self.pairs, self.shrinkage_pct, self.repeat, zones)

    def lists(self, category: str | None, material: str | None) -> bool:
        """Whether this fabric names the piece: its category in ``categories`` (without case), or
        its material in ``materials`` (as ``--material`` compares them: :func:`~kitcut.kits.
        materials.material_key`; ``"none"`` names the pieces without a material, as there)."""
        if self.categories is not None and category and category.strip() and \
                nfc(category.strip()).lower() in {c.lower() for c in self.categories}:
            return True
        if self.materials is None:
            return False
        listed = {material_key(m) for m in self.materials}
        key = material_key(material)
        return key in listed if key else NONE in listed

    @property
    def takes_the_rest(self) -> bool:
        """A fabric without ``categories`` and ``materials``: the pieces no other fabric names."""
        return self.categories is None and self.materials is None

def parse_fabric(f, i: int, c: FieldChecker) -> Fabric:
    where = f"fabrics[{i}]"
    f = c.table(f, where)
    c.unknown(f, FABRIC_KEYS, where)
    name = c.string(f, "name", where)
    width = c.number(f, "width_mm", where, positive=True, hi=MAX_WIDTH_MM)
    spacing = c.number(f, "spacing_mm", where, default=0.0, lo=0.0, hi=MAX_SPACING_MM)
    margin = c.number(f, "margin_mm", where, default=0.0, lo=0.0)
    if width - 2 * margin <= 0:
        c.fail(f"{where}.margin_mm", f"margins of {margin:g} mm leave no usable width on {width:g} mm")
    nap = f.get("nap", "two-way")
    if not isinstance(nap, str):
        c.fail(f"{where}.nap", f"must be a string, got {nap!r}")
    try:
        nap = check_nap(nap)
    except KitcutError:
        c.fail(f"{where}.nap", f"unknown nap {nap!r}; use one of {', '.join(NAP_MODES)}")
    tilt = c.number(f, "tilt_deg", where, default=0.0, lo=0.0, hi=45.0)
    pairs = f.get("pairs", True)
    if not isinstance(pairs, bool):
        c.fail(f"{where}.pairs", f"must be true or false, got {pairs!r}")
    shrink = f.get("shrinkage_pct", [0.0, 0.0])
    if isinstance(shrink, (int, float)) and not isinstance(shrink, bool):
        shrink = [shrink, shrink]
    if not isinstance(shrink, list) or len(shrink) != 2:
        c.fail(f"{where}.shrinkage_pct", f"must be [x, y] (percent along, across), got {shrink!r}")
    sx = c.number({"x": shrink[0]}, "x", f"{where}.shrinkage_pct", lo=-20.0, hi=40.0)
    sy = c.number({"y": shrink[1]}, "y", f"{where}.shrinkage_pct", lo=-20.0, hi=40.0)
    if sx != sy and nap in ("quarter", "free"):  # a piece turned across the roll shrinks the other way
        c.fail(f"{where}.shrinkage_pct", f"[{sx:g}, {sy:g}] differs along and across the roll, and nap "
               f"{nap!r} lets pieces lie across it, where they would shrink the other way: give one "
               "shrinkage for both, or nap 'one-way' or 'two-way'")
    cats = f.get("categories")
    if cats is not None:
        if not isinstance(cats, list) or not cats or not all(isinstance(x, str) and x.strip() for x in cats):
            c.fail(f"{where}.categories", f"must be a non-empty list of category names, got {cats!r}")
        cats = tuple(nfc(x.strip()) for x in cats)
    mats = f.get("materials")
    if mats is not None:  # AccuMark's fabric codes are numbers: materials = [2] as ["2"]
        if not isinstance(mats, list) or not mats or not all(
                (isinstance(x, str) and x.strip()) or (isinstance(x, int) and not isinstance(x, bool))
                for x in mats):
            c.fail(f"{where}.materials", "must be a non-empty list of material names (the pieces' Fabric: "
                                         f"or Material: texts), got {mats!r}")
        mats = tuple(nfc(str(x).strip()) for x in mats)
    from kitcut.kits.matching import fabric_design

    repeat, zones = fabric_design(f, where, c.fail)
    for k, zone in enumerate(zones):
        if (off := zone.off_fabric(width)) is not None:
            c.fail(f"{where}.zones[{k}]", f"{off}: it keeps nothing clear")
    return Fabric(name=name.strip(), width_mm=width, spacing_mm=spacing, margin_mm=margin, nap=nap,
                  tilt_deg=tilt, pairs=pairs, shrinkage_pct=(sx, sy), categories=cats, materials=mats,
                  repeat=repeat, zones=zones)


def distinct_folders(fabrics: tuple[Fabric, ...], c: FieldChecker) -> None:
    """Each fabric's marker folder (``fabrics/<slug of its name>``) must be its own, also on a
    file system that ignores case (a kit copied to a Windows share)."""
    groups: dict[str, list[int]] = {}
    for i, f in enumerate(fabrics):
        groups.setdefault(slug(f.name).casefold(), []).append(i)
    same = next((g for g in groups.values() if len(g) > 1), None)
    if same is None:
        return
    names = {fabrics[i].name for i in same}
    where = f"fabrics[{same[1]}].name"
    if len(names) == 1:
        each = " and ".join(f"fabrics[{i}]" for i in same)
        c.fail(where, f"{fabrics[same[0]].name!r} is the name of {each}: give each fabric a name of its own")
    typed = [f"{fabrics[i].name!r} (fabrics[{i}])" for i in same]
    folders = {slug(fabrics[i].name) for i in same}
    folder = slug(fabrics[same[0]].name)
    case = "" if len(folders) == 1 else " (folder names are compared without case, as Windows and macOS do)"
    c.fail(where, f"{', '.join(typed[:-1])} and {typed[-1]} give the same folder fabrics/{folder}{case}: "
           "give the fabrics names that differ in more than case, accents or punctuation")
