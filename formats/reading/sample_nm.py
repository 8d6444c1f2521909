"""NM ("not mirrored") marks drawn in one size only, carried to the other sizes of a graded nest.

A piece with a mirror line (layer 6) is drawn as its half and unfolded: its internal lines are
mirrored onto the other half, except the lines an ``NM`` text marks (a pocket or a placket on
one side only). AccuMark writes the NM marks, as the notches, in the sample-size block only;
unfolded as drawn, every other size had its one-sided lines on both halves (a pocket marked
on the left and the right front). A graded size's internal lines are the sample's, listed in
the same order, each with as many points: in all 2,621 other-size blocks of the 190 pieces with
NM marks of the real AccuMark exports. But a drawing re-saved by a program that sorts its
entities lists them in another order, where lines of as many points can swap places unseen.
So a size's marked lines are found by shape first: a line is marked when the sample's line
of as many points nearest to it, in the box of each size's cut line, is (the pairing checked
both ways, see :func:`_by_shape`); in the 904 other-size blocks of the real exports whose
sample has NM lines, that finds the lines the list's order gives. Where shape cannot tell (two
lines side by side, one marked) the same place in a list that matches line for line does. A
size whose lines can be paired neither way keeps every line mirrored, and the report says so.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from kitcut.formats.reading.build import RawPiece
from kitcut.formats.reading.mark_place import nm_lines
from kitcut.model import ImportReport

__all__ = ["carry_sample_nm"]


def _lines(r: RawPiece) -> list[tuple[int, bool]]:
    """The internal lines as a grade keeps them: their points' count and closedness, in order."""
    return [(len(points), bool(closed)) for points, closed, _src in r.internal]


def _in_box(r: RawPiece) -> list[np.ndarray] | None:
    """Every internal line's points as fractions of the box of ``r``'s cut line (None: no box)."""
    cut = [np.asarray(p, dtype=np.float64).reshape(-1, 2) for p, *_ in r.boundary]
    cut = np.concatenate(cut) if cut else np.empty((0, 2))
    if not len(cut) or not np.isfinite(cut).all():
        return None
    lo, size = cut.min(axis=0), np.ptp(cut, axis=0)
    if (size <= 0).any():
        return None
    return [(np.asarray(p, dtype=np.float64).reshape(-1, 2) - lo) / size for p, *_ in r.internal]


def _apart(a: np.ndarray, b: np.ndarray) -> float:
    """How far two lines of as many points are: the mean distance of their points in order (a
    grade moves each point and keeps the order, so a line and its twin run the same way)."""
    return float(np.linalg.norm(a - b, axis=1).mean()) if len(a) else np.inf


def _by_shape(donor: RawPiece, taker: RawPiece, keep: tuple[int, ...]) -> tuple[int, ...] | None:
    """The indices into ``taker.internal`` of the lines that are ``donor``'s lines ``keep``, when
    the two list the same lines in another order (None: the lines differ, or which are marked
    is not clear). Lines are compared with the lines of as many points, as closed, by their
    place in the box of the cut line: a taker's line is marked when its nearest donor line is,
    and the pairing holds when every donor line's nearest taker line is marked as it is, and as
    many lines are marked on both. Two lines drawn side by side may swap places this way; it
    matters only when one is marked and the other not, and then the pairing does not hold."""
    want, have = _lines(donor), _lines(taker)
    if sorted(want) != sorted(have):
        return None
    d, t = _in_box(donor), _in_box(taker)
    if d is None or t is None or not all(np.isfinite(q).all() for q in (*d, *t)):
        return None
    far = np.full((len(d), len(t)), np.inf)
    for i, a in enumerate(d):
        for j, b in enumerate(t):
            if want[i] == have[j]:
                far[i, j] = _apart(a, b)
    marked = np.isin(np.arange(len(d)), keep)
    found = marked[np.argmin(far, axis=0)]
    if found.sum() != len(keep) or (found[np.argmin(far, axis=1)] != marked).any():
        return None
    return tuple(np.flatnonzero(found).tolist())


def carry_sample_nm(raws: list[RawPiece], report: ImportReport) -> None:
    """Give every size of a piece without NM marks the marked lines of the one size that has
    them (``RawPiece.nm_lines``), where its internal lines match that size's line for line."""
    by_name: dict[str, list[RawPiece]] = defaultdict(list)
    for r in raws:
        if r.texts.get("size") and not r.graded:
            by_name[r.name].append(r)
    for name, group in by_name.items():
        donors = [r for r in group if r.nm_points]
        takers = [r for r in group if not r.nm_points and r.nm_lines is None]
        if len(donors) != 1 or not takers:  # none, or which size's marks hold is not clear
            continue
        donor = donors[0]
        keep = nm_lines(donor.internal, donor.nm_points)
        if not keep:
            continue
        want = _lines(donor)
        carried, shaped, refused = [], [], []
        for r in takers:
            found, in_place = _by_shape(donor, r, keep), _lines(r) == want
            if found is None and in_place:  # too close to tell by shape: by place, as AccuMark lists them
                found = keep
            if found is None:
                refused.append(r.texts["size"])
                continue
            r.nm_lines = found
            (carried if in_place and found == keep else shaped).append(r.texts["size"])
        if not any(r.fold for r in group):  # NM acts on unfolding only: no remark without a fold
            continue
        base = donor.texts["size"]
        if carried or shaped:
            how = [f"{', '.join(sizes)} ({way})" for sizes, way in
                   ((carried, "the same lines by place"), (shaped, "the same lines by shape, listed in "
                                                           "another order")) if sizes]
            report.repair(f"NM marks (lines not mirrored on unfolding) drawn in size {base} only: its "
                          f"{len(keep)} marked internal line(s) kept on one half in size(s) "
                          f"{'; '.join(how)} too", piece=name)
        if refused:
            report.warn(f"NM marks drawn in size {base} only, and the internal lines of size(s) "
                        f"{', '.join(refused)} do not match size {base}'s line for line, in any order: "
                        "every internal line of those sizes is mirrored on unfolding", piece=name)
