"""The data model shared by every layer: patterns and their pieces, and placed markers."""

from __future__ import annotations

from kitcut.model.fabric import MAX_ROLL_MM, FabricZone, MatchPoint, Repeat, rect_ring, zone_trouble
from kitcut.model.geometry import as_ring, ring_area, transform_points
from kitcut.model.marker import Marker, Placement, Rules
from kitcut.model.pattern import (
    Drill,
    ImportReport,
    Line,
    Notch,
    Pattern,
    Piece,
    ReportEntry,
    Source,
    TextEncoding,
)

__all__ = [
    "Drill",
    "FabricZone",
    "ImportReport",
    "MatchPoint",
    "Repeat",
    "rect_ring",
    "zone_trouble",
    "MAX_ROLL_MM",
    "Line",
    "Marker",
    "Notch",
    "Pattern",
    "Piece",
    "Placement",
    "ReportEntry",
    "Rules",
    "Source",
    "TextEncoding",
    "as_ring",
    "ring_area",
    "transform_points",
]
