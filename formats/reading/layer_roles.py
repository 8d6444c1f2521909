"""What the user says the layers of a plain DXF hold (``--layer NAME=ROLE``, ``layers`` in orders).

The plain reader guesses a layer's role from its name (``GRAIN``, ``SEW``, ``FOLD``, ``DRILL``,
``FRAME``, AAMA's numbers) and from what is drawn on it. A CAD that names its layers otherwise
(``L23``, ``Konstruktion``) reads by shape alone; a mapping given by the user says it instead:

========== ==================================================================================
role       what the layer's lines and points are
========== ==================================================================================
cut        cut lines (pieces and their cut-outs, told apart by nesting); the layer's name
           means nothing (a cut layer called ``Seam allowance`` is not a sew layer)
internal   marks on the pieces: every line, closed or not, is an internal line of the piece
           it lies in (a pocket placement drawn as a rectangle is drawn, not cut out)
sew        sew lines
grain      grain lines
fold       fold (mirror) lines of half pieces
notch      notches (points, or short lines on the cut line)
drill      drill marks (points, or circles: their centre)
frame      a drawing frame or title block: not cut
ignore     nothing kitcut should read (dimensions, construction lines): skipped, reported
========== ==================================================================================

A name is matched without regard to case and may hold shell wildcards (``DIM*``); the first
pattern that matches a layer decides. A layer no pattern matches is read as before, by its name
and its contents.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping

from kitcut.errors import InputError

__all__ = ["ROLES", "LayerRoles"]

ROLES = ("cut", "internal", "sew", "grain", "fold", "notch", "drill", "frame", "ignore")

_ALIASES = {"outline": "cut", "cutline": "cut", "cut line": "cut", "piece": "cut", "mark": "internal",
            "marks": "internal", "internal line": "internal", "drawn": "internal", "stitch": "sew",
            "seam": "sew", "sew line": "sew", "grainline": "grain", "grain line": "grain", "mirror": "fold",
            "notches": "notch", "drills": "drill", "hole": "drill", "holes": "drill", "border": "frame",
            "skip": "ignore", "none": "ignore"}


def _role(text: str, where: str) -> str:
    r = " ".join(str(text).strip().lower().replace("_", " ").split())
    r = _ALIASES.get(r, r)
    if r not in ROLES:
        raise InputError(f"{where}: unknown layer role {text!r}; the roles are {', '.join(ROLES)}")
    return r


class LayerRoles:
    """Layer name patterns and the role each gives (see the module docstring)."""

    def __init__(self, given: Mapping[str, str] | Iterable[tuple[str, str]] | None = None, *,
                 where: str = "--layer"):
        items = given.items() if isinstance(given, Mapping) else (given or ())
        self.where = where
        self._rules: list[tuple[str, re.Pattern, str]] = []
        for name, role in items:
            name = str(name).strip()
            if not name:
                raise InputError(f"{where}: a layer name is empty (write NAME=ROLE, e.g. L23=grain)")
            rx = re.compile(fnmatch.translate(name.casefold()), re.S)
            self._rules.append((name, rx, _role(role, f"{where} {name}")))
        self._matched: set[str] = set()

    @classmethod
    def parse(cls, texts: Iterable[str] | None, where: str = "--layer") -> LayerRoles:
        """From ``NAME=ROLE`` texts (the command line's ``--layer``; ``NAME`` may hold ``=``)."""
        pairs = []
        for t in texts or ():
            name, eq, role = str(t).rpartition("=")
            if not eq:
                raise InputError(f"{where}: write NAME=ROLE (e.g. L23=grain or 'DIM*=ignore'), got {t!r}")
            pairs.append((name, role))
        return cls(pairs, where=where)

    def __bool__(self) -> bool:
        return bool(self._rules)

    def __repr__(self) -> str:
        return f"LayerRoles({[(n, r) for n, _, r in self._rules]!r})"

    def role(self, layer: str) -> str | None:
        """The role the user gave ``layer``, or None when no pattern matches it."""
        key = str(layer).casefold()
        for name, rx, role in self._rules:
            if rx.fullmatch(key):
                self._matched.add(name)
                return role
        return None

    def means(self, layer: str, role: str, guess: bool) -> bool:
        """Whether ``layer`` holds ``role``: as the user said, else ``guess`` (the reader's)."""
        given = self.role(layer)
        return guess if given is None else given == role

    def unmatched(self) -> list[str]:
        """The patterns that matched no layer asked about so far (a typo, or another file's)."""
        return [name for name, _, _ in self._rules if name not in self._matched]
