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
    within :data:`SEAM_WIDE_MM` of the cut line (a hole further in, as a circular flounce's, is
    a cut-out: it was taken for the sew line, and never cut), or it stays within
    :data:`SEAM_MAX_MM` of the cut line and spans most of the piece."""
    import shapely
    from shapely.geometry import LinearRing

    far = float(shapely.distance(LinearRing(outer), shapely.points(sample(inner, 200))).max())
    if area_ratio >= 0.5:
        return far <= SEAM_WIDE_MM
    return far <= SEAM_MAX_MM and spans(inner, outer, far)


def spans(inner: np.ndarray, outer: np.ndarray, allowance: float = 0.0) -> bool:
    """``inner`` spans most of ``outer`` as a sew line does: its longest side at least 80 % of
    ``outer``'s (a pocket's place, a drill circle does not), or, inset by ``allowance`` (mm), as
    long as ``outer``'s less the allowance at both ends and half again for the corners (a small
    piece with a wide allowance: a 150 mm cuff's sew line 20 mm in is 79 % of its cut line)."""
    longest = float(np.ptp(outer, axis=0).max())
    return float(np.ptp(inner, axis=0).max()) >= min(0.8 * longest, longest - 3.0 * allowance)
