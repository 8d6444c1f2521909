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

__all__ = ["GRAIN_LAYER", "FOLD_LAYER", "TEXT_LAYER", "INTERNAL_LAYER", "MARK_LAYER", "DRILL_LAYER",
           "DRILL_MARK", "NOTCH_LAYER", "named", "name_role", "record_layers"]

#: Layer names taken for grain lines.
GRAIN_LAYER = re.compile(r"grain|fadenlauf|droit[ -]?fil|grano|drit+o ?filo|draadrichting|\bhilo\b|"
                         r"\bfio\b|долев|nitk|iplik|düz ?boy|纱向|布纹|丝缕|絲縷|经纱|經紗|地の目|布目|"
                         r"식서|결선|^7$", re.I)
#: Layer names taken for fold (mirror) lines: a straight line along the cut line on such a layer
#: makes the piece a half, cut on the fold (unfolded for an open spread).
FOLD_LAYER = re.compile(r"fold|mirror|bruch|falz|pliure|doblez|piega|vouw|dobra|сгиб|zgi[eę]ci|"
                        r"zagi[eę]ci|katlam|kat yeri|对折|對折|连折|連折|^(?:わ|ワ|輪)(?:線|ライン)?$|"
                        r"わ線|輪線|골선|^6$", re.I)
#: Layer names taken for texts: their closed lines are letters turned into outlines (Inkscape's DXF
#: outputs drop texts, so labels are converted to paths), drawn on the piece, never cut.
TEXT_LAYER = re.compile(r"\btext|label|lettering|schrift|\btesto\b|étiquette|etiqueta|文字|^annotations?$",
                        re.I)
#: AAMA's layer of internal lines (8), in a drawing whose blocks were exploded: its closed lines
#: (a label's place, a pocket) are drawn on the piece, never cut out.
INTERNAL_LAYER = re.compile(r"^8$")
#: Layers named for lines drawn on a piece (internal lines, marks, placements, pen lines): a
#: closed line on one inside a piece of another layer is a mark on it, never cut out (a pocket's
#: placement on a layer ``INTERNAL`` was a 150 x 100 mm hole in the front, without a word). Not
#: a role of the whole layer: a drawing may keep its pieces on a layer ``DRAWING``.
MARK_LAYER = re.compile(r"^8$|intern|inner|inside|\bmarks?\b|marking|placement|platzierung|\bdraw|"
                        r"\bpen\b|innen|interior|int[eé]rieur|внутр|размет|标记|内线|内部|내부|内側", re.I)
DRILL_LAYER = re.compile(r"drill|hole|punch|bohr|per[cç]|perfor|trou|foro|taladr|agujer|boorgat|gaatje|"
                         r"otw[oó]r|dziurk|delik|сверл|отверст|пробой|钻|鑽|打孔|ドリル|穴|드릴|펀치|"
                         r"구멍|^13$", re.I)
#: Layers whose circles are drill marks (the drill's hole), not cut-outs (AAMA's 13 unless it
#: holds pieces: a size layer).
DRILL_MARK = re.compile(r"drill|bohr|per[cç]|perfor|taladr|boorgat|сверл|пробой|钻|鑽|打孔|ドリル|"
                        r"드릴|^13$", re.I)

#: Layers of notch marks (their points are notches): AAMA's notch layers (4, and 80-83 for the
#: shaped kinds) in a drawing whose blocks were exploded, and layers named for notches.
NOTCH_LAYER = re.compile("^(?:4|" + "|".join(NOTCH_LAYER_KINDS) + r")$|notch|\bnick|knips|einschnitt|"
                         r"passzeichen|pass ?marks?\b|balance ?marks?\b|"
                         r"\bcrans?\b|piquete|tacc[ah]|inkeping|naci[eę]ci|[çc]entik|\bçıt|надсеч|насеч|"
                         r"рассеч|刀口|剪口|对位|ノッチ|合印|너치|가위집", re.I)

def named(layer: str, names: re.Pattern, piece_layers) -> bool:
    """``layer`` is named for the marks of ``names``. AAMA's layer numbers (7 grain, 6 fold,
    13 drills, 4 notches) name marks in a drawing whose blocks were exploded; a numbered layer
    that holds pieces is a size layer (Optitex numbers its sizes 1..8)."""
    return bool(names.search(layer)) and not (layer.isdigit() and layer in piece_layers)


def name_role(layer: str, piece_layers) -> str | None:
    """The role the reader gives ``layer`` from its name alone (None: by what it holds)."""
    for role, rx in (("sew", SEW_LAYER), ("grain", GRAIN_LAYER), ("fold", FOLD_LAYER),
                     ("drill", DRILL_LAYER), ("frame", FRAME_LAYER), ("notch", NOTCH_LAYER),
                     ("internal", TEXT_LAYER), ("internal", INTERNAL_LAYER)):
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
        if not given and not guess and name in report.layers:  # told by what it holds (sew_layers)
            guess, by = report.layers[name]["role"], report.layers[name]["by"]
        report.layers[name] = {"entities": dict(sorted(held[name].items())), "pieces": pieces.get(name, 0),
                               "role": given or guess, "by": by}
