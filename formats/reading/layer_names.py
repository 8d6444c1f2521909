"""What the name of a layer of a plain DXF says it holds (before what the user gave it, see
:mod:`~kitcut.formats.reading.layer_roles`): grain, fold, drill and notch marks named in several
languages or by AAMA's layer numbers, and the listing of every layer with its role
(``nest info --layers``)."""

from __future__ import annotations

import re

from kitcut.formats.reading.build import NOTCH_LAYER_KINDS
from kitcut.formats.reading.frames import FRAME_LAYER
from kitcut.formats.reading.layer_roles import LayerRoles
from kitcut.formats.reading.plain_rings import SEW_LAYER

__all__ = ["GRAIN_LAYER", "FOLD_LAYER", "TEXT_LAYER", "DRILL_LAYER", "DRILL_MARK", "NOTCH_LAYER", "named",
           "name_role", "record_layers"]

#: Layer names taken for grain lines.
GRAIN_LAYER = re.compile(r"grain|fadenlauf|droit[ -]?fil|grano|draadrichting|\bhilo\b|\bfio\b|"
                         r"纱向|布纹|地の目|^7$", re.I)
#: Layer names taken for fold (mirror) lines: a straight line along the cut line on such a layer
#: makes the piece a half, cut on the fold (unfolded for an open spread).
FOLD_LAYER = re.compile(r"fold|mirror|bruch|pliure|doblez|piega|vouw|dobra|对折|^6$", re.I)
#: Layer names taken for texts: their closed lines are letters turned into outlines (Inkscape's DXF
#: outputs drop texts, so labels are converted to paths), drawn on the piece, never cut.
TEXT_LAYER = re.compile(r"\btext|label|lettering|schrift|\btesto\b|étiquette|etiqueta|文字|^annotations?$",
                        re.I)
DRILL_LAYER = re.compile(r"drill|hole|punch|bohr|perc|perfor|^13$", re.I)
#: Layers whose circles are drill marks (the drill's hole), not cut-outs (AAMA's 13 unless it
#: holds pieces: a size layer).
DRILL_MARK = re.compile(r"drill|bohr|perc|perfor|^13$", re.I)

#: AAMA's notch layers (4, and 80-83 for the shaped kinds) in a drawing whose blocks were exploded.
NOTCH_LAYER = re.compile("^(?:4|" + "|".join(NOTCH_LAYER_KINDS) + ")$")

def named(layer: str, names: re.Pattern, piece_layers) -> bool:
    """``layer`` is named for the marks of ``names``. AAMA's layer numbers (7 grain, 6 fold,
    13 drills, 4 notches) name marks in a drawing whose blocks were exploded; a numbered layer
    that holds pieces is a size layer (Optitex numbers its sizes 1..8)."""
    return bool(names.search(layer)) and not (layer.isdigit() and layer in piece_layers)


def name_role(layer: str, piece_layers) -> str | None:
    """The role the reader gives ``layer`` from its name alone (None: by what it holds)."""
    for role, rx in (("sew", SEW_LAYER), ("grain", GRAIN_LAYER), ("fold", FOLD_LAYER),
                     ("drill", DRILL_LAYER), ("frame", FRAME_LAYER), ("notch", NOTCH_LAYER),
                     ("internal", TEXT_LAYER)):
        if named(layer, rx, piece_layers):
            return role
    return None


def record_layers(held: dict, raws: list, layers: LayerRoles, report) -> None:
    """``report.layers``: each layer's entities, pieces and role (``nest info --layers``)."""
    pieces: dict[str, int] = {}
    for r in raws:
        pieces[r.layer] = pieces.get(r.layer, 0) + 1
    for name in sorted(held, key=str.casefold):
        given = layers.role(name)
        guess = None if given else name_role(name, pieces)
        by = layers.where if given else ("name" if guess else None)
        report.layers[name] = {"entities": dict(sorted(held[name].items())), "pieces": pieces.get(name, 0),
                               "role": given or guess, "by": by}
