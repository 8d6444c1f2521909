"""NM ("not mirrored") marks drawn in one size only, carried to the other sizes of a graded nest.

A piece with a mirror line (layer 6) is drawn as its half and unfolded: its internal lines are
mirrored onto the other half, except the lines an ``NM`` text marks (a pocket or a placket on
one side only). AccuMark writes the NM marks, as the notches, in the sample-size block only;
unfolded as drawn, every other size had its one-sided lines on both halves (a pocket marked
on the left and the right front). A graded size's internal lines are the sample's, listed in
the same order, each with as many points: in all 2,621 other-size blocks of the 190 pieces with
NM marks of the real AccuMark exports. So the sample's marked lines are the same lines, by
place in the list, of every size whose list matches it line for line; a size whose list does
not keeps every line mirrored, and the report says so.
"""

from __future__ import annotations

from collections import defaultdict

from kitcut.formats.reading.build import RawPiece
from kitcut.formats.reading.mark_place import nm_lines
from kitcut.model import ImportReport

__all__ = ["carry_sample_nm"]


def _lines(r: RawPiece) -> list[tuple[int, bool]]:
    """The internal lines as a grade keeps them: their points' count and closedness, in order."""
    return [(len(points), bool(closed)) for points, closed, _src in r.internal]


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
        carried, refused = [], []
        for r in takers:
            if _lines(r) == want:
                r.nm_lines = keep
                carried.append(r.texts["size"])
            else:
                refused.append(r.texts["size"])
        if not any(r.fold for r in group):  # NM acts on unfolding only: no remark without a fold
            continue
        base = donor.texts["size"]
        if carried:
            report.repair(f"NM marks (lines not mirrored on unfolding) drawn in size {base} only: its "
                          f"{len(keep)} marked internal line(s) kept on one half in size(s) "
                          f"{', '.join(carried)} too, the same lines by place", piece=name)
        if refused:
            report.warn(f"NM marks drawn in size {base} only, and the internal lines of size(s) "
                        f"{', '.join(refused)} do not match size {base}'s line for line: every internal "
                        "line of those sizes is mirrored on unfolding", piece=name)
