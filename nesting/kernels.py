"""The numba kernels of the nesting core, all in this one file.

numba caches each kernel against its own source file only: a kernel calling a kernel of
another file would keep a stale compiled copy after that file changed. So the whole call
graph of the kernels lives here.

**Geometry**: segments, point in polygon, polygon collision, pole overlap, on plain arrays.

Shapes are stored flat: vertices ``float64[N, 2]`` of every ring back to back, ring ``k`` being
rows ``off[k]:off[k+1]`` (not closed); poles (inscribed circles) ``float64[M, 3]`` as
``(cx, cy, r)`` with their own offsets. A shape placed at ``(x, y)`` is its vertices plus
``(x, y)``. All predicates are exact float64 tests on CLOSED sets: touching counts as a
collision (the stand-ins are inflated by a small epsilon, so originals may still touch).
The private ``_`` kernels do no checks; the public wrappers validate their input.

**Search**: quantified collisions, candidate evaluation, moves and sweeps.

State arrays of ``n`` placed pieces: ``kinds int64[n]`` (shape of each piece: item and
orientation), ``pos float64[n, 2]`` (translation), ``wb float64[n, 4]`` (world bbox of the
stand-in; an inactive piece has an empty box ``(inf, inf, -inf, -inf)``), ``W float64[n, n]``
(guided-local-search weights) and ``O float64[n, n]`` (quantified overlap of each pair, 0 when
apart). Shapes per kind: stand-in vertices ``V``/``voff``, poles ``P``/``poff``, stand-in bbox
``sbb`` and ORIGINAL bbox ``obb`` (the strip constrains the original outline), ``diam``, ``pen``
(sqrt of the convex hull area). Random numbers come in from NumPy as uniform samples ``U``.
"""

from __future__ import annotations

import math

import numpy as np

from kitcut.nesting.jit import njit

__all__ = ["segments_intersect", "point_in_ring", "rings_collide", "pole_overlap"]


@njit
def _orient(ax, ay, bx, by, cx, cy):
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)


@njit
def _within(ax, ay, bx, by, px, py):
    return min(ax, bx) <= px <= max(ax, bx) and min(ay, by) <= py <= max(ay, by)


@njit
def _seg_seg(ax, ay, bx, by, cx, cy, dx, dy):
    """Closed segments ab and cd share a point."""
    d1 = _orient(cx, cy, dx, dy, ax, ay)
    d2 = _orient(cx, cy, dx, dy, bx, by)
    d3 = _orient(ax, ay, bx, by, cx, cy)
    d4 = _orient(ax, ay, bx, by, dx, dy)
    if ((d1 > 0.0 and d2 < 0.0) or (d1 < 0.0 and d2 > 0.0)) and (
        (d3 > 0.0 and d4 < 0.0) or (d3 < 0.0 and d4 > 0.0)
    ):
        return True
    if d1 == 0.0 and _within(cx, cy, dx, dy, ax, ay):
        return True
    if d2 == 0.0 and _within(cx, cy, dx, dy, bx, by):
        return True
    if d3 == 0.0 and _within(ax, ay, bx, by, cx, cy):
        return True
    if d4 == 0.0 and _within(ax, ay, bx, by, dx, dy):
        return True
    return False


@njit
def _point_in(px, py, v, s, e, ox, oy):
    """Even-odd test of (px, py) in ring v[s:e] shifted by (ox, oy) (boundary: undefined)."""
    inside = False
    n = e - s
    j = e - 1
    for i in range(s, e):
        xi = v[i, 0] + ox
        yi = v[i, 1] + oy
        xj = v[j, 0] + ox
        yj = v[j, 1] + oy
        if (yi > py) != (yj > py):
            xc = xi + (py - yi) * (xj - xi) / (yj - yi)
            if px < xc:
                inside = not inside
        j = i
    return inside and n >= 3


@njit
def _off_box(ax, ay, bx, by, lox, loy, hix, hiy):
    """The segment (a, b) lies wholly on one side of the box (lo, hi): it cannot meet anything in it."""
    return (ax < lox and bx < lox) or (ax > hix and bx > hix) or (ay < loy and by < loy) or (
        ay > hiy and by > hiy)


@njit
def _collide(v, sa, ea, xa, ya, sb, eb, xb, yb, lox, loy, hix, hiy):
    """Closed rings A (v[sa:ea] + (xa, ya)) and B intersect; (lo, hi) = overlap of their bboxes.

    Two edges can meet only inside the overlap of the rings' boxes: B's edges that reach into it
    are listed once, and each of A's that does is tested against that list alone (two pieces in
    contact share a sliver of box, so a few edges of each instead of all of B per edge of A)."""
    if lox > hix or loy > hiy:
        return False
    near = np.empty(eb - sb, np.int64)  # B's edges (by their end vertex) that reach into the box
    nb = 0
    jb = eb - 1
    for ib in range(sb, eb):
        cx = v[jb, 0] + xb
        cy = v[jb, 1] + yb
        dx = v[ib, 0] + xb
        dy = v[ib, 1] + yb
        jb = ib
        if _off_box(cx, cy, dx, dy, lox, loy, hix, hiy):
            continue
        near[nb] = ib
        nb += 1
    ja = ea - 1
    for ia in range(sa, ea if nb else sa):
        ax = v[ja, 0] + xa
        ay = v[ja, 1] + ya
        bx = v[ia, 0] + xa
        by = v[ia, 1] + ya
        ja = ia
        if _off_box(ax, ay, bx, by, lox, loy, hix, hiy):
            continue
        exl = min(ax, bx)
        exh = max(ax, bx)
        eyl = min(ay, by)
        eyh = max(ay, by)
        for t in range(nb):
            ib = near[t]
            jb = ib - 1 if ib > sb else eb - 1
            cx = v[jb, 0] + xb
            cy = v[jb, 1] + yb
            dx = v[ib, 0] + xb
            dy = v[ib, 1] + yb
            if _off_box(cx, cy, dx, dy, exl, eyl, exh, eyh):
                continue
            if _seg_seg(ax, ay, bx, by, cx, cy, dx, dy):
                return True
    # boundaries apart: one ring inside the other, or disjoint
    if _point_in(v[sa, 0] + xa, v[sa, 1] + ya, v, sb, eb, xb, yb):
        return True
    if _point_in(v[sb, 0] + xb, v[sb, 1] + yb, v, sa, ea, xa, ya):
        return True
    return False


@njit
def _proxy_deep(p, sa, ea, xa, ya, sb, eb, xb, yb, eps):
    """Overlap proxy of two sets of poles and whether two poles overlap (the shapes then do).

    The proxy sums the penetration depth of every pair of poles (times the smaller radius),
    decaying smoothly when they are apart; pairs further apart than twice their radii (plus
    4 eps) are skipped.
    """
    return _proxy_capped(p, sa, ea, xa, ya, sb, eb, xb, yb, eps, np.inf)


@njit
def _proxy_capped(p, sa, ea, xa, ya, sb, eb, xb, yb, eps, cap):
    """:func:`_proxy_deep`, stopping once two poles overlap (so the shapes collide) and the sum is
    over ``cap``: the caller then rejects the placement whatever the rest adds (fail-fast, as
    sparrow's collision quantification), and the sum returned is infinite."""
    tot = 0.0
    deep = False
    for i in range(sa, ea):
        if deep and tot > cap:
            return np.inf, deep
        cx = p[i, 0] + xa
        cy = p[i, 1] + ya
        ra = p[i, 2]
        for j in range(sb, eb):
            rb = p[j, 2]
            dx = p[j, 0] + xb - cx
            dy = p[j, 1] + yb - cy
            d2 = dx * dx + dy * dy
            reach = 2.0 * (ra + rb) + 4.0 * eps
            if d2 > reach * reach:
                continue
            d = math.sqrt(d2)
            pd = ra + rb - d
            if pd > 0.0:
                deep = True
            if pd >= eps:
                val = pd
            else:
                val = eps * eps / (2.0 * eps - pd)
            tot += val * min(ra, rb)
    return tot, deep


@njit
def _proxy(p, sa, ea, xa, ya, sb, eb, xb, yb, eps):
    """The overlap proxy alone (see :func:`_proxy_deep`)."""
    return _proxy_deep(p, sa, ea, xa, ya, sb, eb, xb, yb, eps)[0]


# ---------------------------------------------------------------- public checked wrappers


def _ring(name: str, a) -> np.ndarray:
    a = np.asarray(a)
    if a.dtype != np.float64 or a.ndim != 2 or a.shape[1] != 2 or len(a) < 3:
        raise ValueError(f"{name}: expected a float64 array of shape (n >= 3, 2), got {a.dtype} {a.shape}")
    return np.ascontiguousarray(a)


def segments_intersect(a, b, c, d) -> bool:
    """Closed segments ``ab`` and ``cd`` share a point (touching and collinear overlap count)."""
    vals = [float(t) for p in (a, b, c, d) for t in p]
    return bool(_seg_seg(*vals))


def point_in_ring(point, ring) -> bool:
    """``point`` strictly inside ``ring`` (points on the boundary: either answer)."""
    r = _ring("ring", ring)
    return bool(_point_in(float(point[0]), float(point[1]), r, 0, len(r), 0.0, 0.0))


def rings_collide(a, b, offset_a=(0.0, 0.0), offset_b=(0.0, 0.0)) -> bool:
    """The closed polygons ``a + offset_a`` and ``b + offset_b`` share a point."""
    a = _ring("a", a)
    b = _ring("b", b)
    v = np.ascontiguousarray(np.vstack([a, b]))
    xa, ya = map(float, offset_a)
    xb, yb = map(float, offset_b)
    lo_x = max(a[:, 0].min() + xa, b[:, 0].min() + xb)
    lo_y = max(a[:, 1].min() + ya, b[:, 1].min() + yb)
    hi_x = min(a[:, 0].max() + xa, b[:, 0].max() + xb)
    hi_y = min(a[:, 1].max() + ya, b[:, 1].max() + yb)
    n = len(a)
    return bool(_collide(v, 0, n, xa, ya, n, n + len(b), xb, yb, lo_x, lo_y, hi_x, hi_y))


def pole_overlap(poles_a, poles_b, eps: float) -> float:
    """The overlap proxy of two pole sets ``float64[m, 3]`` (cx, cy, r)."""
    pa = np.asarray(poles_a, dtype=np.float64).reshape(-1, 3)
    pb = np.asarray(poles_b, dtype=np.float64).reshape(-1, 3)
    if eps <= 0:
        raise ValueError(f"eps must be > 0, got {eps}")
    p = np.ascontiguousarray(np.vstack([pa, pb]))
    return float(_proxy(p, 0, len(pa), 0.0, 0.0, len(pa), len(p), 0.0, 0.0, float(eps)))

# ---------------------------------------------------------------- search kernels


_W_MAX = 1e9  # cap of the guided-local-search weights (they grow geometrically)
_BIG = 1e300  # finite stand-in for an infinite cost


@njit
def _pair_q(V, voff, P, poff, sbb, diam, pen, zm, ka, xa, ya, kb, xb, yb):
    """Quantified overlap of two placed shapes: 0 when apart, > 0 when they collide."""
    return _pair_q_capped(V, voff, P, poff, sbb, diam, pen, zm, ka, xa, ya, kb, xb, yb, np.inf)


@njit
def _pair_q_capped(V, voff, P, poff, sbb, diam, pen, zm, ka, xa, ya, kb, xb, yb, room):
    """Quantified overlap of two placed shapes: 0 when apart, > 0 when they collide; infinite as
    soon as it is known to be over ``room`` (the caller rejects the placement whatever it is).

    A zone (``zm[k, 0]``: its bit) collides only with kinds that must avoid it (``zm[k, 1]``:
    the bits of the zones a kind avoids); two zones never collide.
    """
    za = zm[ka, 0]
    zb = zm[kb, 0]
    if za != 0 or zb != 0:
        if (za & zm[kb, 1]) == 0 and (zb & zm[ka, 1]) == 0:
            return 0.0
    lox = max(xa + sbb[ka, 0], xb + sbb[kb, 0])
    loy = max(ya + sbb[ka, 1], yb + sbb[kb, 1])
    hix = min(xa + sbb[ka, 2], xb + sbb[kb, 2])
    hiy = min(ya + sbb[ka, 3], yb + sbb[kb, 3])
    if lox > hix or loy > hiy:
        return 0.0
    eps = 0.01 * max(diam[ka], diam[kb])
    scale = math.sqrt(pen[ka] * pen[kb])
    cap = np.inf
    if room < np.inf:
        cap = (room / scale) ** 2 * (1.0 + 1e-9) - eps * eps  # over it, surely over room (rounding)
    pr, deep = _proxy_capped(P, poff[ka], poff[ka + 1], xa, ya, poff[kb], poff[kb + 1], xb, yb, eps, cap)
    # overlapping poles (inscribed circles) prove the collision; else the exact test decides. (Not
    # the exact test first: its containment test takes a vertex, which two coinciding outlines
    # have on each other's boundary; overlapping poles prove that collision.)
    if not deep and not _collide(V, voff[ka], voff[ka + 1], xa, ya, voff[kb], voff[kb + 1], xb, yb,
                                 lox, loy, hix, hiy) \
            and not _holds_pole(V, voff, P, poff, sbb, ka, xa, ya, kb, xb, yb) \
            and not _holds_pole(V, voff, P, poff, sbb, kb, xb, yb, ka, xa, ya):
        return 0.0
    return math.sqrt(pr + eps * eps) * scale


@njit
def _holds_pole(V, voff, P, poff, sbb, ka, xa, ya, kb, xb, yb):
    """The outline of kind ``ka`` at (xa, ya) holds the centre of the largest pole of kind ``kb``
    at (xb, yb): a point strictly inside that shape. A shape inside another whose outline runs
    along the other's (a back in a front, both pushed to the strip's end) crosses no edge of it,
    and its first vertex, on that outline, proves nothing; its pole's centre does."""
    if poff[kb + 1] == poff[kb]:
        return False
    # only a shape whose box lies in the other's box can lie inside it
    if xb + sbb[kb, 0] < xa + sbb[ka, 0] or xb + sbb[kb, 2] > xa + sbb[ka, 2] or \
            yb + sbb[kb, 1] < ya + sbb[ka, 1] or yb + sbb[kb, 3] > ya + sbb[ka, 3]:
        return False
    j = poff[kb]  # poles are stored largest first (standins.poles); any centre is inside
    return _point_in(P[j, 0] + xb, P[j, 1] + yb, V, voff[ka], voff[ka + 1], xa, ya)


@njit
def _first_at(wb, xi, v):
    """The first slot of the x index whose piece's box starts at or right of v (binary search)."""
    lo = 0
    hi = xi.shape[1]
    while lo < hi:
        mid = (lo + hi) // 2
        if wb[xi[0, mid], 0] < v:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit
def _eval(i, k, x, y, ub, kinds, pos, wb, xi, maxw, W, V, voff, P, poff, sbb, diam, pen, zm):
    """Weighted overlap of piece i moved to (k, x, y) with all others; stops once above ub.

    Only the pieces whose box starts within [bx0 - maxw, bx1] can touch: the x index (pieces
    sorted by the left end of their box) gives them by a binary search.
    """
    bx0 = x + sbb[k, 0]
    by0 = y + sbb[k, 1]
    bx1 = x + sbb[k, 2]
    by1 = y + sbb[k, 3]
    cost = 0.0
    n = kinds.shape[0]
    for t in range(_first_at(wb, xi, bx0 - maxw), n):
        j = xi[0, t]
        if wb[j, 0] > bx1:
            break
        if j == i or wb[j, 2] < bx0 or wb[j, 1] > by1 or wb[j, 3] < by0:
            continue
        room = (ub - cost) / W[i, j] if W[i, j] > 0.0 else np.inf  # more than this is rejected
        q = _pair_q_capped(V, voff, P, poff, sbb, diam, pen, zm, k, x, y, kinds[j], pos[j, 0], pos[j, 1],
                           room)
        if q > 0.0:
            cost += W[i, j] * q
            if cost > ub:
                return cost
    return cost


@njit
def _set_piece(i, k, x, y, kinds, pos, wb, xi, sbb):
    """Put piece i (kind k) at (x, y) and keep the x index sorted (a shift of the slots between)."""
    kinds[i] = k
    pos[i, 0] = x
    pos[i, 1] = y
    wb[i, 0] = x + sbb[k, 0]
    wb[i, 1] = y + sbb[k, 1]
    wb[i, 2] = x + sbb[k, 2]
    wb[i, 3] = y + sbb[k, 3]
    key = wb[i, 0]
    t = xi[1, i]
    n = xi.shape[1]
    while t > 0 and wb[xi[0, t - 1], 0] > key:
        j = xi[0, t - 1]
        xi[0, t] = j
        xi[1, j] = t
        t -= 1
    while t < n - 1 and wb[xi[0, t + 1], 0] < key:
        j = xi[0, t + 1]
        xi[0, t] = j
        xi[1, j] = t
        t += 1
    xi[0, t] = i
    xi[1, i] = t


@njit
def index_build(wb, xi):
    """The x index of every piece: slots sorted by the left end of the box (inactive last)."""
    order = np.argsort(wb[:, 0], kind="mergesort")
    for t in range(order.shape[0]):
        xi[0, t] = order[t]
        xi[1, order[t]] = t


@njit
def _put_pair(O, rs, rc, i, j, q):
    """Set the overlap of pair (i, j), keeping the row sums ``rs`` and counts ``rc``."""
    old = O[i, j]
    if old == q:
        return
    O[i, j] = q
    O[j, i] = q
    rs[i] += q - old
    rs[j] += q - old
    d = (1 if q > 0.0 else 0) - (1 if old > 0.0 else 0)
    rc[i] += d
    rc[j] += d


@njit
def _update_row(i, O, rs, rc, kinds, pos, wb, V, voff, P, poff, sbb, diam, pen, zm):
    """Recompute O[i, :] and O[:, i] (with the row sums and counts); return the row sum."""
    ki = kinds[i]
    for j in range(kinds.shape[0]):
        q = 0.0
        if j != i and not (
            wb[j, 0] > wb[i, 2] or wb[j, 2] < wb[i, 0] or wb[j, 1] > wb[i, 3] or wb[j, 3] < wb[i, 1]
        ):
            q = _pair_q(V, voff, P, poff, sbb, diam, pen, zm,
                        ki, pos[i, 0], pos[i, 1], kinds[j], pos[j, 0], pos[j, 1])
        _put_pair(O, rs, rc, i, j, q)
    tot = 0.0
    for j in range(kinds.shape[0]):
        tot += O[i, j]
    rs[i] = tot  # exact for this row: no drift from the running sums
    return tot


@njit
def all_overlaps(O, rs, rc, kinds, pos, wb, xi, V, voff, P, poff, sbb, diam, pen, zm):
    """Recompute every pair's overlap (pairs found through the x index, which must be sorted);
    return the total (each pair once)."""
    n = kinds.shape[0]
    for i in range(n):  # clear the rows that hold overlaps
        if rc[i] > 0:
            for j in range(n):
                O[i, j] = 0.0
                O[j, i] = 0.0
        rs[i] = 0.0
        rc[i] = 0
    tot = 0.0
    for t in range(n):
        i = xi[0, t]
        if wb[i, 0] == np.inf:
            break
        for u in range(t + 1, n):
            j = xi[0, u]
            if wb[j, 0] > wb[i, 2]:
                break
            if wb[j, 2] < wb[i, 0] or wb[j, 1] > wb[i, 3] or wb[j, 3] < wb[i, 1]:
                continue
            q = _pair_q(V, voff, P, poff, sbb, diam, pen, zm,
                        kinds[i], pos[i, 0], pos[i, 1], kinds[j], pos[j, 0], pos[j, 1])
            if q > 0.0:
                _put_pair(O, rs, rc, i, j, q)
                tot += q
    return tot


@njit
def _ranges(k, L, lat, obb):
    """Positions of kind k on a strip of length L: x in [xlo, xhi], y in [ylo, yhi].

    ``lat[k]`` = (x0, y0, y1, ax, rx, ay, ry): the lowest x, the y range (already on the
    repeat for a matched kind) and the repeat lattice ``a + j * r`` of each axis (r = 0: free).
    """
    return lat[k, 0], L - obb[k, 2], lat[k, 1], lat[k, 2]


@njit
def _snap(v, lo, hi, a, r):
    """``v`` in [lo, hi], on the lattice ``a + j * r`` when r > 0 (nearest point inside; lo is
    a lattice point). On an empty range lo wins."""
    v = _clamp(v, lo, hi)
    if r <= 0.0:
        return v
    s = a + math.floor((v - a) / r + 0.5) * r
    if s > hi:
        s -= r
    if s < lo:
        s = lo
    return s


@njit
def _snap_up(v, lo, a, r):
    """The lowest lattice point >= max(v, lo) (``v`` itself when r = 0)."""
    v = max(v, lo)
    if r <= 0.0:
        return v
    s = a + math.ceil((v - a) / r - 1e-9) * r
    return max(s, lo)


@njit
def _lstep(d, r):
    """A move of ``d`` along an axis on the lattice of step r: a whole number of steps, at least one."""
    if r <= 0.0 or d == 0.0:
        return d
    n = max(1.0, math.floor(abs(d) / r + 0.5))
    return n * r if d > 0.0 else -n * r


@njit
def _clamp(v, lo, hi):
    """``v`` within [lo, hi]; ``lo`` wins when the range is empty (a piece longer than the
    strip sticks out on the right, never left of x = 0 or below the selvedge margin)."""
    if v > hi:
        v = hi
    if v < lo:
        v = lo
    return v


@njit
def _descend(i, k, x, y, c, step0, step_min, axis, L, ymin, ymax,
             kinds, pos, wb, xi, maxw, W, V, voff, P, poff, sbb, obb, lat, diam, pen, zm):
    """Coordinate descent from (x, y): two candidates along an axis, step x1.1 / x0.5.

    Axes cycle (x, y, diagonal, anti-diagonal) after every failure. Stops at zero overlap or
    when both steps are below ``step_min``.
    """
    xlo, xhi, ylo, yhi = _ranges(k, L, lat, obb)
    ax, rx, ay, ry = lat[k, 3], lat[k, 4], lat[k, 5], lat[k, 6]
    sx = step0
    sy = step0
    while c > 0.0 and (sx >= step_min or sy >= step_min):
        if axis == 0:
            dx1, dy1 = sx, 0.0
        elif axis == 1:
            dx1, dy1 = 0.0, sy
        elif axis == 2:
            dx1, dy1 = sx, sy
        else:
            dx1, dy1 = -sx, sy
        best = c
        bx = x
        by = y
        for sgn in (1.0, -1.0):
            nx = _snap(x + sgn * _lstep(dx1, rx), xlo, xhi, ax, rx)
            ny = _snap(y + sgn * _lstep(dy1, ry), ylo, yhi, ay, ry)
            if nx == x and ny == y:
                continue
            cc = _eval(i, k, nx, ny, best, kinds, pos, wb, xi, maxw, W, V, voff, P, poff, sbb, diam, pen, zm)
            if cc < best or (cc == best and bx == x and by == y):
                best = cc
                bx = nx
                by = ny
        improved = best < c
        x = bx
        y = by
        c = best
        m = 1.1 if improved else 0.5
        if axis == 0:
            sx *= m
        elif axis == 1:
            sy *= m
        else:
            sx *= math.sqrt(m)
            sy *= math.sqrt(m)
        if not improved:
            axis = (axis + 1) % 4
    return x, y, c


@njit
def _keep(bk, bx, by, bc, k, x, y, c, unique):
    """Insert candidate (k, x, y, c) into the sorted best lists unless a near twin is better."""
    m = bc.shape[0]
    if c >= bc[m - 1]:
        return
    for t in range(m):
        if bk[t] == k and abs(bx[t] - x) < unique and abs(by[t] - y) < unique:
            if c < bc[t]:
                bc[t] = c
                bx[t] = x
                by[t] = y
                # restore order
                while t > 0 and bc[t] < bc[t - 1]:
                    bk[t], bk[t - 1] = bk[t - 1], bk[t]
                    bx[t], bx[t - 1] = bx[t - 1], bx[t]
                    by[t], by[t - 1] = by[t - 1], by[t]
                    bc[t], bc[t - 1] = bc[t - 1], bc[t]
                    t -= 1
            return
    t = m - 1
    bk[t], bx[t], by[t], bc[t] = k, x, y, c
    while t > 0 and bc[t] < bc[t - 1]:
        bk[t], bk[t - 1] = bk[t - 1], bk[t]
        bx[t], bx[t - 1] = bx[t - 1], bx[t]
        by[t], by[t - 1] = by[t - 1], by[t]
        bc[t], bc[t - 1] = bc[t - 1], bc[t]
        t -= 1


@njit
def best_position(i, U, n_global, L, ymin, ymax, k0, k1, min_rel,
                  kinds, pos, wb, xi, maxw, W, V, voff, P, poff, sbb, obb, lat, diam, pen, zm):
    """Best position of piece i: its current one, samples around it and over the whole strip.

    The three best distinct candidates get a coarse coordinate descent, the best of them a
    fine one. ``min_rel`` is the final step relative to the piece's smaller bbox side.
    """
    n_best = 3
    kc = kinds[i]
    cx = pos[i, 0]
    cy = pos[i, 1]
    # every slot starts as the current placement: never an uninitialised kind
    bk = np.full(n_best, kc, dtype=np.int64)
    bx = np.full(n_best, cx)
    by = np.full(n_best, cy)
    bc = np.full(n_best, np.inf)
    dim = min(sbb[kc, 2] - sbb[kc, 0], sbb[kc, 3] - sbb[kc, 1])
    unique = 0.05 * dim
    c0 = _eval(i, kc, cx, cy, np.inf, kinds, pos, wb, xi, maxw, W, V, voff, P, poff, sbb, diam, pen, zm)
    bc[0] = min(c0, _BIG)
    nk = k1 - k0
    wx = sbb[kc, 2] - sbb[kc, 0]
    wy = sbb[kc, 3] - sbb[kc, 1]
    for s in range(U.shape[0]):
        if bc[0] == 0.0:
            break
        is_global = s < n_global
        u0 = U[s, 0]
        if is_global:
            k = k0 + min(int(u0 * nk), nk - 1)
        elif u0 < 0.5:
            k = k0 + min(int(2.0 * u0 * nk), nk - 1)
        else:
            k = kc
        xlo, xhi, ylo, yhi = _ranges(k, L, lat, obb)
        if xhi < xlo or yhi < ylo:
            continue
        if is_global:
            x = xlo + U[s, 1] * (xhi - xlo)
            y = ylo + U[s, 2] * (yhi - ylo)
        else:
            x = cx + (U[s, 1] - 0.5) * wx
            y = cy + (U[s, 2] - 0.5) * wy
        x = _snap(x, xlo, xhi, lat[k, 3], lat[k, 4])
        y = _snap(y, ylo, yhi, lat[k, 5], lat[k, 6])
        c = _eval(i, k, x, y, bc[n_best - 1], kinds, pos, wb, xi, maxw, W, V, voff, P, poff, sbb, diam, pen,
                  zm)
        _keep(bk, bx, by, bc, k, x, y, c, unique)
    if bc[0] == 0.0:
        return bk[0], bx[0], by[0], 0.0
    for t in range(n_best):
        if bc[t] == np.inf:
            continue
        k = bk[t]
        d = min(sbb[k, 2] - sbb[k, 0], sbb[k, 3] - sbb[k, 1])
        x, y, c = _descend(i, k, bx[t], by[t], bc[t], 0.25 * d, 0.02 * d, t % 4, L, ymin, ymax,
                           kinds, pos, wb, xi, maxw, W, V, voff, P, poff, sbb, obb, lat, diam, pen, zm)
        bx[t] = x
        by[t] = y
        bc[t] = c
    t = 0
    for u in range(1, n_best):
        if bc[u] < bc[t]:
            t = u
    k = bk[t]
    if bc[t] == 0.0:
        return k, bx[t], by[t], 0.0
    d = min(sbb[k, 2] - sbb[k, 0], sbb[k, 3] - sbb[k, 1])
    x, y, c = _descend(i, k, bx[t], by[t], bc[t], 0.01 * d, min_rel * d, 0, L, ymin, ymax,
                       kinds, pos, wb, xi, maxw, W, V, voff, P, poff, sbb, obb, lat, diam, pen, zm)
    return k, x, y, c


@njit
def sweep(order, U, n_global, L, ymin, ymax, pk0, pk1, min_rel,
          kinds, pos, wb, xi, maxw, W, O, rs, rc, V, voff, P, poff, sbb, obb, lat, diam, pen, zm):
    """Move every still-colliding piece of ``order`` to its best sampled position.

    ``U[m]`` holds the samples of the m-th piece of ``order``. Returns the number of moves.
    """
    moves = 0
    for m in range(order.shape[0]):
        i = order[m]
        if rc[i] == 0:
            continue
        k, x, y, c = best_position(i, U[m], n_global, L, ymin, ymax, pk0[i], pk1[i], min_rel, kinds, pos, wb,
                                   xi, maxw, W, V, voff, P, poff, sbb, obb, lat, diam, pen, zm)
        if k < pk0[i] or k >= pk1[i] or not (math.isfinite(x) and math.isfinite(y)):
            continue  # defensive: never write a foreign kind or a non-finite position
        _set_piece(i, k, x, y, kinds, pos, wb, xi, sbb)
        _update_row(i, O, rs, rc, kinds, pos, wb, V, voff, P, poff, sbb, diam, pen, zm)
        moves += 1
    return moves


@njit
def update_weights(O, W, rc, wh, m_low, m_high, decay):
    """Guided local search: weights of overlapping pairs grow, the others decay towards 1.

    Only rows that overlap (``rc``) or hold a weight above 1 (``wh``: how many) are visited,
    so the work follows the pieces in play, not the square of their number.
    """
    n = O.shape[0]
    omax = 0.0
    for i in range(n):
        if rc[i] > 0:
            for j in range(n):
                if O[i, j] > omax:
                    omax = O[i, j]
    for i in range(n):
        if rc[i] == 0 and wh[i] == 0:
            continue
        for j in range(i + 1, n):
            o = O[i, j]
            w0 = W[i, j]
            if o > 0.0:
                w = min(w0 * (m_low + (m_high - m_low) * o / omax), _W_MAX)
            elif w0 > 1.0:
                w = max(1.0, w0 * decay)
            else:
                continue
            if w0 <= 1.0 and w > 1.0:
                wh[i] += 1
                wh[j] += 1
            elif w0 > 1.0 and w <= 1.0:
                wh[i] -= 1
                wh[j] -= 1
            W[i, j] = w
            W[j, i] = w


@njit
def reset_weights(W, wh):
    """Every weight back to 1 (only the rows that hold one above 1 are visited)."""
    n = W.shape[0]
    for i in range(n):
        if wh[i] == 0:
            continue
        for j in range(n):
            W[i, j] = 1.0
            W[j, i] = 1.0
    for i in range(n):
        wh[i] = 0


@njit
def place_bottom_left(i, U, L, ymin, ymax, k0, k1, min_rel,
                      kinds, pos, wb, xi, maxw, W, V, voff, P, poff, sbb, obb, lat, diam, pen, zm):
    """A feasible position for piece i among the active pieces, leftmost of the samples.

    Pieces with an empty ``wb`` are ignored. Candidates x range over [0, right end of the
    placed pieces]; if none is free the piece goes right of everything. Refined by sliding
    left and down while free. Sets the piece and returns its right end.
    """
    right = 0.0
    n = kinds.shape[0]
    for j in range(n):
        if j != i and wb[j, 2] > right and wb[j, 2] < np.inf and zm[kinds[j], 0] == 0:
            right = wb[j, 2]
    nk = k1 - k0
    best_f = np.inf
    bk, bx, by = k0, 0.0, 0.0
    for s in range(U.shape[0]):
        k = k0 + min(int(U[s, 0] * nk), nk - 1)
        xlo, xhi, ylo, yhi = _ranges(k, L, lat, obb)
        if yhi < ylo or xhi < xlo:
            continue
        xhi = min(xhi, right)
        if xhi < xlo:
            xhi = xlo
        x = _snap(xlo + U[s, 1] * (xhi - xlo), xlo, xhi, lat[k, 3], lat[k, 4])
        y = _snap(ylo + U[s, 2] * (yhi - ylo), ylo, yhi, lat[k, 5], lat[k, 6])
        f = x + obb[k, 2] + 1e-9 * y
        if f >= best_f:
            continue
        if _eval(i, k, x, y, 0.0, kinds, pos, wb, xi, maxw, W, V, voff, P, poff, sbb, diam, pen, zm) == 0.0:
            best_f = f
            bk, bx, by = k, x, y
    if best_f == np.inf:
        # right of everything, in the orientation of smallest length
        for k in range(k0, k1):
            xlo, xhi, ylo, yhi = _ranges(k, L, lat, obb)
            if yhi < ylo:
                continue
            x = _snap_up(right - sbb[k, 0] + 1e-9 * (1.0 + abs(right)), xlo, lat[k, 3], lat[k, 4])
            f = x + obb[k, 2]
            if f < best_f:
                best_f = f
                bk, bx, by = k, x, ylo
    k = bk
    xlo, xhi, ylo, yhi = _ranges(k, L, lat, obb)
    ax, rx, ay, ry = lat[k, 3], lat[k, 4], lat[k, 5], lat[k, 6]
    # right of every piece may still lie on a zone: step right past the zones in the way
    for _ in range(n):
        if _eval(i, k, bx, by, 0.0, kinds, pos, wb, xi, maxw, W, V, voff, P, poff, sbb, diam, pen, zm) == 0.0:
            break
        past = -np.inf
        for j in range(n):
            if j != i and zm[kinds[j], 0] != 0 and wb[j, 0] <= bx + sbb[k, 2] and wb[j, 2] >= bx + sbb[k, 0] \
                    and wb[j, 1] <= by + sbb[k, 3] and wb[j, 3] >= by + sbb[k, 1]:
                past = max(past, wb[j, 2])
        if past == -np.inf:
            break
        bx = _snap_up(past - sbb[k, 0] + 1e-9 * (1.0 + abs(past)), xlo, ax, rx)
    sx = 0.25 * (sbb[k, 2] - sbb[k, 0])
    sy = 0.25 * (sbb[k, 3] - sbb[k, 1])
    mx = sx * min_rel
    while sx > mx:
        moved = False
        for d in range(2):
            if d == 0:
                nx, ny = _snap(bx - _lstep(sx, rx), xlo, max(xlo, bx), ax, rx), by
            else:
                nx, ny = bx, _snap(by - _lstep(sy, ry), ylo, max(ylo, by), ay, ry)
            if nx == bx and ny == by:
                continue
            c = _eval(i, k, nx, ny, 0.0, kinds, pos, wb, xi, maxw, W, V, voff, P, poff, sbb, diam, pen, zm)
            if c == 0.0:
                bx, by = nx, ny
                moved = True
        if not moved:
            sx *= 0.5
            sy *= 0.5
    _set_piece(i, k, bx, by, kinds, pos, wb, xi, sbb)
    return bx + obb[k, 2]
