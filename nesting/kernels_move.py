"""Kernels of the search: quantified collisions, candidate evaluation, moves and sweeps.

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
from kitcut.nesting.kernels_geom import _collide, _proxy_deep

_W_MAX = 1e9  # cap of the guided-local-search weights (they grow geometrically)
_BIG = 1e300  # finite stand-in for an infinite cost


@njit
def _pair_q(V, voff, P, poff, sbb, diam, pen, ka, xa, ya, kb, xb, yb):
    """Quantified overlap of two placed shapes: 0 when apart, > 0 when they collide."""
    lox = max(xa + sbb[ka, 0], xb + sbb[kb, 0])
    loy = max(ya + sbb[ka, 1], yb + sbb[kb, 1])
    hix = min(xa + sbb[ka, 2], xb + sbb[kb, 2])
    hiy = min(ya + sbb[ka, 3], yb + sbb[kb, 3])
    if lox > hix or loy > hiy:
        return 0.0
    eps = 0.01 * max(diam[ka], diam[kb])
    pr, deep = _proxy_deep(P, poff[ka], poff[ka + 1], xa, ya, poff[kb], poff[kb + 1], xb, yb, eps)
    # overlapping poles (inscribed circles) prove the collision; else the exact test decides
    if not deep and not _collide(V, voff[ka], voff[ka + 1], xa, ya, voff[kb], voff[kb + 1], xb, yb,
                                 lox, loy, hix, hiy):
        return 0.0
    return math.sqrt(pr + eps * eps) * math.sqrt(pen[ka] * pen[kb])


@njit
def _eval(i, k, x, y, ub, kinds, pos, wb, W, V, voff, P, poff, sbb, diam, pen):
    """Weighted overlap of piece i moved to (k, x, y) with all others; stops once above ub."""
    bx0 = x + sbb[k, 0]
    by0 = y + sbb[k, 1]
    bx1 = x + sbb[k, 2]
    by1 = y + sbb[k, 3]
    cost = 0.0
    for j in range(kinds.shape[0]):
        if j == i or wb[j, 0] > bx1 or wb[j, 2] < bx0 or wb[j, 1] > by1 or wb[j, 3] < by0:
            continue
        q = _pair_q(V, voff, P, poff, sbb, diam, pen, k, x, y, kinds[j], pos[j, 0], pos[j, 1])
        if q > 0.0:
            cost += W[i, j] * q
            if cost > ub:
                return cost
    return cost


@njit
def _set_piece(i, k, x, y, kinds, pos, wb, sbb):
    kinds[i] = k
    pos[i, 0] = x
    pos[i, 1] = y
    wb[i, 0] = x + sbb[k, 0]
    wb[i, 1] = y + sbb[k, 1]
    wb[i, 2] = x + sbb[k, 2]
    wb[i, 3] = y + sbb[k, 3]


@njit
def _update_row(i, O, kinds, pos, wb, V, voff, P, poff, sbb, diam, pen):
    """Recompute O[i, :] and O[:, i]; return the row sum."""
    tot = 0.0
    ki = kinds[i]
    for j in range(kinds.shape[0]):
        q = 0.0
        if j != i and not (
            wb[j, 0] > wb[i, 2] or wb[j, 2] < wb[i, 0] or wb[j, 1] > wb[i, 3] or wb[j, 3] < wb[i, 1]
        ):
            q = _pair_q(V, voff, P, poff, sbb, diam, pen,
                        ki, pos[i, 0], pos[i, 1], kinds[j], pos[j, 0], pos[j, 1])
        O[i, j] = q
        O[j, i] = q
        tot += q
    return tot


@njit
def all_overlaps(O, kinds, pos, wb, V, voff, P, poff, sbb, diam, pen):
    """Recompute the whole overlap matrix; return its upper-triangle sum."""
    n = kinds.shape[0]
    tot = 0.0
    for i in range(n):
        O[i, i] = 0.0
        for j in range(i + 1, n):
            q = 0.0
            if not (wb[j, 0] > wb[i, 2] or wb[j, 2] < wb[i, 0] or wb[j, 1] > wb[i, 3] or wb[j, 3] < wb[i, 1]):
                q = _pair_q(V, voff, P, poff, sbb, diam, pen,
                            kinds[i], pos[i, 0], pos[i, 1], kinds[j], pos[j, 0], pos[j, 1])
            O[i, j] = q
            O[j, i] = q
            tot += q
    return tot


@njit
def _ranges(k, L, ymin, ymax, obb):
    xlo = -obb[k, 0]
    xhi = L - obb[k, 2]
    ylo = ymin - obb[k, 1]
    yhi = ymax - obb[k, 3]
    return xlo, xhi, ylo, yhi


@njit
def _clamp(v, lo, hi):
    if v < lo:
        return lo
    if v > hi:
        return hi
    return v


@njit
def _descend(i, k, x, y, c, step0, step_min, axis, L, ymin, ymax,
             kinds, pos, wb, W, V, voff, P, poff, sbb, obb, diam, pen):
    """Coordinate descent from (x, y): two candidates along an axis, step x1.1 / x0.5.

    Axes cycle (x, y, diagonal, anti-diagonal) after every failure. Stops at zero overlap or
    when both steps are below ``step_min``.
    """
    xlo, xhi, ylo, yhi = _ranges(k, L, ymin, ymax, obb)
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
            nx = _clamp(x + sgn * dx1, xlo, xhi)
            ny = _clamp(y + sgn * dy1, ylo, yhi)
            if nx == x and ny == y:
                continue
            cc = _eval(i, k, nx, ny, best, kinds, pos, wb, W, V, voff, P, poff, sbb, diam, pen)
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
                  kinds, pos, wb, W, V, voff, P, poff, sbb, obb, diam, pen):
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
    c0 = _eval(i, kc, cx, cy, np.inf, kinds, pos, wb, W, V, voff, P, poff, sbb, diam, pen)
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
        xlo, xhi, ylo, yhi = _ranges(k, L, ymin, ymax, obb)
        if xhi < xlo or yhi < ylo:
            continue
        if is_global:
            x = xlo + U[s, 1] * (xhi - xlo)
            y = ylo + U[s, 2] * (yhi - ylo)
        else:
            x = _clamp(cx + (U[s, 1] - 0.5) * wx, xlo, xhi)
            y = _clamp(cy + (U[s, 2] - 0.5) * wy, ylo, yhi)
        c = _eval(i, k, x, y, bc[n_best - 1], kinds, pos, wb, W, V, voff, P, poff, sbb, diam, pen)
        _keep(bk, bx, by, bc, k, x, y, c, unique)
    if bc[0] == 0.0:
        return bk[0], bx[0], by[0], 0.0
    for t in range(n_best):
        if bc[t] == np.inf:
            continue
        k = bk[t]
        d = min(sbb[k, 2] - sbb[k, 0], sbb[k, 3] - sbb[k, 1])
        x, y, c = _descend(i, k, bx[t], by[t], bc[t], 0.25 * d, 0.02 * d, t % 4, L, ymin, ymax,
                           kinds, pos, wb, W, V, voff, P, poff, sbb, obb, diam, pen)
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
                       kinds, pos, wb, W, V, voff, P, poff, sbb, obb, diam, pen)
    return k, x, y, c


@njit
def sweep(order, U, n_global, L, ymin, ymax, pk0, pk1, min_rel,
          kinds, pos, wb, W, O, V, voff, P, poff, sbb, obb, diam, pen):
    """Move every still-colliding piece of ``order`` to its best sampled position.

    ``U[m]`` holds the samples of the m-th piece of ``order``. Returns the number of moves.
    """
    moves = 0
    for m in range(order.shape[0]):
        i = order[m]
        colliding = False
        for j in range(kinds.shape[0]):
            if O[i, j] > 0.0:
                colliding = True
                break
        if not colliding:
            continue
        k, x, y, c = best_position(i, U[m], n_global, L, ymin, ymax, pk0[i], pk1[i], min_rel,
                                   kinds, pos, wb, W, V, voff, P, poff, sbb, obb, diam, pen)
        if k < pk0[i] or k >= pk1[i] or not (math.isfinite(x) and math.isfinite(y)):
            continue  # defensive: never write a foreign kind or a non-finite position
        _set_piece(i, k, x, y, kinds, pos, wb, sbb)
        _update_row(i, O, kinds, pos, wb, V, voff, P, poff, sbb, diam, pen)
        moves += 1
    return moves


@njit
def update_weights(O, W, m_low, m_high, decay):
    """Guided local search: weights of overlapping pairs grow, the others decay towards 1."""
    n = O.shape[0]
    omax = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            if O[i, j] > omax:
                omax = O[i, j]
    for i in range(n):
        for j in range(i + 1, n):
            if O[i, j] > 0.0:
                w = min(W[i, j] * (m_low + (m_high - m_low) * O[i, j] / omax), _W_MAX)
            else:
                w = max(1.0, W[i, j] * decay)
            W[i, j] = w
            W[j, i] = w


@njit
def place_bottom_left(i, U, L, ymin, ymax, k0, k1, min_rel,
                      kinds, pos, wb, W, V, voff, P, poff, sbb, obb, diam, pen):
    """A feasible position for piece i among the active pieces, leftmost of the samples.

    Pieces with an empty ``wb`` are ignored. Candidates x range over [0, right end of the
    placed pieces]; if none is free the piece goes right of everything. Refined by sliding
    left and down while free. Sets the piece and returns its right end.
    """
    right = 0.0
    n = kinds.shape[0]
    for j in range(n):
        if j != i and wb[j, 2] > right and wb[j, 2] < np.inf:
            right = wb[j, 2]
    nk = k1 - k0
    best_f = np.inf
    bk, bx, by = k0, 0.0, 0.0
    for s in range(U.shape[0]):
        k = k0 + min(int(U[s, 0] * nk), nk - 1)
        xlo, xhi, ylo, yhi = _ranges(k, L, ymin, ymax, obb)
        if yhi < ylo or xhi < xlo:
            continue
        xhi = min(xhi, right)
        if xhi < xlo:
            xhi = xlo
        x = xlo + U[s, 1] * (xhi - xlo)
        y = ylo + U[s, 2] * (yhi - ylo)
        f = x + obb[k, 2] + 1e-9 * y
        if f >= best_f:
            continue
        if _eval(i, k, x, y, 0.0, kinds, pos, wb, W, V, voff, P, poff, sbb, diam, pen) == 0.0:
            best_f = f
            bk, bx, by = k, x, y
    if best_f == np.inf:
        # right of everything, in the orientation of smallest length
        for k in range(k0, k1):
            xlo, xhi, ylo, yhi = _ranges(k, L, ymin, ymax, obb)
            if yhi < ylo:
                continue
            x = max(xlo, right - sbb[k, 0] + 1e-9 * (1.0 + abs(right)))
            f = x + obb[k, 2]
            if f < best_f:
                best_f = f
                bk, bx, by = k, x, ylo
    k = bk
    xlo, xhi, ylo, yhi = _ranges(k, L, ymin, ymax, obb)
    sx = 0.25 * (sbb[k, 2] - sbb[k, 0])
    sy = 0.25 * (sbb[k, 3] - sbb[k, 1])
    mx = sx * min_rel
    while sx > mx:
        moved = False
        for d in range(2):
            if d == 0:
                nx, ny = max(bx - sx, xlo), by
            else:
                nx, ny = bx, max(by - sy, ylo)
            if nx == bx and ny == by:
                continue
            if _eval(i, k, nx, ny, 0.0, kinds, pos, wb, W, V, voff, P, poff, sbb, diam, pen) == 0.0:
                bx, by = nx, ny
                moved = True
        if not moved:
            sx *= 0.5
            sy *= 0.5
    _set_piece(i, k, bx, by, kinds, pos, wb, sbb)
    return bx + obb[k, 2]
