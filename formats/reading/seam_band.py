"""Whether a closed line inside a piece runs along its cut line as a sew line does.

A sew line is the cut line moved in by the seam allowance: close to it all round (a hem's
allowance is wider), and spanning the piece. A hole further in, or a small one, is a cut-out.
Both readers use it: a plain DXF's rings on one layer, and a second loop of an AAMA cut line.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SEAM_MAX_MM", "SEAM_WIDE_MM", "parallel", "sample", "spans"]

#: A sew line stays within this distance (mm) of its cut line.
SEAM_MAX_MM = 30.0
#: ... and one covering half the piece within this one (a hem's allowance).
SEAM_WIDE_MM = 50.0


def sample(pts: np.ndarray, n: int = 40) -> np.ndarray:
    if len(pts) <= n:
        return pts
    return pts[np.linspace(0, len(pts) - 1, n).astype(int)]


def parallel(inner: np.ndarray, outer: np.ndarray, area_ratio: float) -> bool:
    """True when ``inner`` runs along ``outer`` like a sew line: it covers half the area and stays
    within :data:`SEAM_WIDE_MM` of the cut line, but for darts (:func:`_darted`; a hole further
    in, as a circular flounce's, is a cut-out: it was taken for the sew line, and never cut), or
    it stays within :data:`SEAM_MAX_MM` of the cut line and spans most of the piece."""
    import shapely
    from shapely.geometry import LinearRing

    cut = LinearRing(outer)
    far = float(shapely.distance(cut, shapely.points(sample(inner, 200))).max())
    if area_ratio >= 0.5:
        return far <= SEAM_WIDE_MM or _darted(inner, cut)
    return far <= SEAM_MAX_MM and spans(inner, outer, far)


def _darted(inner: np.ndarray, cut) -> bool:
    """``inner`` (covering half the piece) runs along the cut line ``cut`` for half its length
    or more and leaves it only for the rest: a sew line with darts (Valentina's flat export draws
    the sew line into waist or bust darts that the cut line bridges, 170 mm deep on a shirt's
    back: a third of its length). Read as a cut-out, the panel was cut as a 10 mm frame
    (probe 35). A hole as big, further in (a circular flounce's), runs along no part of it."""
    import shapely
    from shapely.geometry import LinearRing

    along = shapely.line_interpolate_point(LinearRing(inner), np.linspace(0.0, 1.0, 400), normalized=True)
    return float(np.mean(shapely.distance(cut, along) <= SEAM_MAX_MM)) >= 0.5


def spans(inner: np.ndarray, outer: np.ndarray, allowance: float = 0.0) -> bool:
    """``inner`` spans most of ``outer`` as a sew line does: its longest side at least 80 % of
    ``outer``'s (a pocket's place, a drill circle does not), or, inset by ``allowance`` (mm), as
    long as ``outer``'s less the allowance at both ends and half again for the corners (a small
    piece with a wide allowance: a 150 mm cuff's sew line 20 mm in is 79 % of its cut line)."""
    longest = float(np.ptp(outer, axis=0).max())
    return float(np.ptp(inner, axis=0).max()) >= min(0.8 * longest, longest - 3.0 * allowance)
