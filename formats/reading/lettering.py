"""Letters turned into outlines: runs of small closed lines in a plain drawing.

A PDF pattern's texts are set in embedded fonts (CID TrueType, as Valentina, Qt and most
programs write them); turned into DXF (pstoedit, Illustrator's "create outlines"), each letter
is its outline: a closed line for the glyph, one for each counter (the hole of an ``o``), a
speck for the dot of an ``i`` or a full stop, on the layer and in the colour of the cut lines.
Read as rings, the letters inside a piece were cut out of it and their counters became pieces,
and a label beside a piece was a row of pieces: a Valentina bodice of 4 pieces read as 114,
with 229 cut-outs.

Letters come in runs: :func:`lettering` finds groups of :data:`MIN_RUN` or more small closed lines
(each at most :data:`GLYPH_MAX_MM` across) that lie within :data:`GAP` times their size of one
another, the spacing of letters and words in a line of text. Copies of one small shape (three
identical tabs laid side by side) are no text. The reader draws the letters as internal lines
of the piece they lie in, never cuts them (as for a layer named for texts).
"""

from __future__ import annotations

import numpy as np

from kitcut.groups import groups

__all__ = ["GLYPH_MAX_MM", "GAP", "MIN_RUN", "lettering"]

#: A letter's outline is at most this size (mm), its larger side: text up to about an inch high.
GLYPH_MAX_MM = 25.0
#: Two letters of a run lie within this many times the larger one's size of each other (box gap).
GAP = 0.6
#: A run holds at least this many closed lines (counters and dots count).
MIN_RUN = 3


def lettering(rings: list[np.ndarray]) -> set[int]:
    """The indexes of the rings (``(n, 2)`` arrays, mm) that are letters of a text turned into
    outlines: the rings of each run (see the module docstring).

    >>> sq = lambda x, s: np.array([[x, 0], [x + s, 0], [x + s, s], [x, s]], float)
    >>> sorted(lettering([sq(0, 3), sq(3.5, 2), sq(6, 3), sq(100, 3), sq(0, 300)]))
    [0, 1, 2]
    >>> sorted(lettering([sq(0, 3), sq(3.5, 3), sq(7, 3)]))  # three copies of one shape
    []
    """
    import shapely

    small = [i for i, r in enumerate(rings) if len(r) and float(np.ptp(r, axis=0).max()) <= GLYPH_MAX_MM]
    if len(small) < MIN_RUN:
        return set()
    lo = np.array([rings[i].min(axis=0) for i in small])
    hi = np.array([rings[i].max(axis=0) for i in small])
    size = (hi - lo).max(axis=1)
    tree = shapely.STRtree(shapely.box(lo[:, 0], lo[:, 1], hi[:, 0], hi[:, 1]))
    a, b = tree.query(tree.geometries, predicate="dwithin", distance=GAP * GLYPH_MAX_MM)
    keep = a < b
    a, b = a[keep], b[keep]
    apart = np.maximum(0.0, np.maximum(lo[a], lo[b]) - np.minimum(hi[a], hi[b]))  # box gaps in x and y
    near = np.hypot(apart[:, 0], apart[:, 1]) <= GAP * np.maximum(size[a], size[b])
    out: set[int] = set()
    for run in groups(len(small), zip(a[near].tolist(), b[near].tolist(), strict=True)):
        if len(run) < MIN_RUN:
            continue
        dims = hi[run] - lo[run]
        if np.allclose(dims, dims[0], rtol=0.01, atol=0.01):  # copies of one shape: pieces, no text
            continue
        out.update(small[k] for k in run)
    return out
