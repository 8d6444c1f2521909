"""Parametric sample garments (our own drafts, in mm): a T-shirt, trousers and a shirt.

Each builder takes a size and returns the pieces of that size. Pieces are drawn upright (the
grain runs along +y, the hem at the bottom); pieces cut on the fold are drawn as their half
(``folded=True``) right of a fold line at x = 0. Sizes grade linearly from the middle size.

>>> [p.name for p in tee("M")]
['Front', 'Back', 'Sleeve', 'Neckband']
"""

from __future__ import annotations

from kitcut.model import Drill, Piece
from kitcut.samples.curves import OutlineBuilder, grain, line, rnd

__all__ = ["TEE_SIZES", "TROUSER_SIZES", "SHIRT_SIZES", "tee", "trousers", "shirt", "GARMENTS"]

TEE_SIZES = ("S", "M", "L")
TROUSER_SIZES = ("38", "40", "42")
SHIRT_SIZES = ("S", "M", "L")


def _grade(size: str, sizes: tuple[str, ...]) -> int:
    """Steps from the middle size: -1, 0, +1."""
    return sizes.index(size) - len(sizes) // 2


def _piece(name, size, b: OutlineBuilder, *, quantity=1, flipped=None, fold=None, **kw) -> Piece:
    outline, notches = b.build()
    drills = tuple(Drill(*map(float, rnd(d))) for d in kw.pop("drills", ()))
    return Piece(
        name,
        outline,
        size=size,
        quantity=quantity,
        flipped=flipped,
        notches=notches,
        drills=drills,
        fold_line=None if fold is None else line(*fold),
        folded=fold is not None,
        **kw,
    )


def _waist_point(p0, p1, x: float) -> tuple[float, float]:
    """The point of the straight edge ``p0 p1`` at abscissa ``x``."""
    t = (x - p0[0]) / (p1[0] - p0[0])
    return (x, p0[1] + t * (p1[1] - p0[1]))


# -- T-shirt --------------------------------------------------------------------------------
def _tee_body(name: str, size: str, g: int, *, back: bool) -> Piece:
    w, length, ad = 260 + 20 * g, 710 + 20 * g, 230 + 10 * g
    nw, sw, ss = 85 + 3 * g, 225 + 10 * g, 45
    drop = (22 + g) if back else (90 + 3 * g)
    under, sp, hps, cfn = (w, length - ad), (sw, length - ss), (nw, length), (0, length - drop)
    b = OutlineBuilder((0, 0))
    b.to((w, 0))
    side = b.to(under)
    scoop = (-25, 5, -8, 110) if back else (-35, 0, -14, 120)
    arm = b.curve((w + scoop[0], under[1] + scoop[1]), (sw + scoop[2], under[1] + scoop[3]), sp, 28)
    b.to(hps)
    if back:
        b.curve((nw - 8, length - 0.8 * drop), (0.45 * nw, cfn[1]), cfn, 20)
    else:
        b.curve((nw - 5, length - 0.6 * drop), (0.55 * nw, cfn[1]), cfn, 28)
    b.to((0, 0))
    b.notch(side, 250)
    b.notch(arm, 85, double=10 if back else 0)
    drills = [] if back else [(70, cfn[1] - 80)]
    return _piece(
        name, size, b, fold=(cfn, (0, 0)), grain=grain((w / 2, 120), (w / 2, under[1] - 40)),
        drills=drills, category="BODY",
    )


def _sleeve(size, *, width, cap, length, hem, crown_shift, quantity=2, slit=None) -> Piece:
    """A set-in sleeve, front on the right: the front head is scooped lower than the back."""
    u1, u2 = (0.0, length - cap), (width, length - cap)
    h1, h2 = ((width - hem) / 2, 0.0), ((width + hem) / 2, 0.0)
    top = (width / 2 + crown_shift, length)
    b = OutlineBuilder(h1)
    hem_seg = b.to(h2)
    b.to(u2)
    front = b.curve((width - 0.17 * width, u2[1]), (top[0] + 0.24 * width, length), top, 32)
    back = b.curve((top[0] - 0.27 * width, length), (0.1 * width, u1[1] + 0.1 * cap), u1, 32)
    b.to(h1)
    b.notch(front, 90)
    b.notch(back, 0)  # crown (shoulder point)
    b.notch(back, 90, from_end=True, double=10)
    kw = {}
    if slit is not None:  # shirt: placket slit and two pleats on the hem, back side
        sx = h1[0] + 0.25 * hem
        kw["internal_lines"] = (line((sx, 0), (sx, slit)),)
        kw["drills"] = [(sx, slit)]
        b.notch(hem_seg, 0.25 * hem + 25)
        b.notch(hem_seg, 0.25 * hem + 45)
    return _piece(
        "Sleeve", size, b, quantity=quantity, flipped=quantity // 2,
        grain=grain((top[0], 60), (top[0], length - cap)), category="SLEEVE", **kw,
    )


def _strip(name, size, length, height, notch_xs, *, quantity=1, fold_mid=True, grain_along=False):
    b = OutlineBuilder((0, 0))
    bottom = b.to((length, 0))
    b.to((length, height))
    b.to((0, height))
    b.to((0, 0))
    for x in notch_xs:
        b.notch(bottom, x)
    g = grain((0.2 * length, 0.3 * height), (0.5 * length, 0.3 * height)) if grain_along else grain(
        (0.25 * length, 0.15 * height), (0.25 * length, 0.85 * height)
    )
    lines = (line((0, height / 2), (length, height / 2)),) if fold_mid else ()
    return _piece(name, size, b, quantity=quantity, grain=g, internal_lines=lines, category="TRIM")


def tee(size: str) -> list[Piece]:
    """T-shirt: front and back on the fold, an elbow-length sleeve pair, a rib neckband."""
    g = _grade(size, TEE_SIZES)
    nb = 380 + 12 * g
    return [
        _tee_body("Front", size, g, back=False),
        _tee_body("Back", size, g, back=True),
        _sleeve(
            size, width=470 + 20 * g, cap=140 + 5 * g, length=450 + 10 * g, hem=330 + 15 * g, crown_shift=8
        ),
        _strip("Neckband", size, nb, 60, (nb * 0.2, nb * 0.5, nb * 0.8)),
    ]


# -- trousers -------------------------------------------------------------------------------
def _trouser_leg(name, size, g, *, back: bool) -> Piece:
    waist, hip, out = 740 + 40 * g, 1000 + 40 * g, 1030 + 5 * g
    yh = out - 190
    if back:
        cp, seat, cw = (0, out - 280), (0.1 * hip, yh + 10), (0.1 * hip + 35, out + 35)
        sw = (cw[0] + waist / 4 + 25, out + 5)
        sh = (0.1 * hip + hip / 4 + 10, yh)
        crease = sh[0] / 2 + 10
        hem_half, knee_half = 115 + 3 * g, 125 + 3 * g
    else:
        cp, seat, cw = (0, out - 270), (0.05 * hip, yh + 10), (0.05 * hip + 10, out)
        sw = (cw[0] + waist / 4 + 15, out + 5)
        sh = (0.05 * hip + hip / 4 - 10, yh)
        crease = sh[0] / 2
        hem_half, knee_half = 105 + 3 * g, 115 + 3 * g
    kl, kr = (crease - knee_half, 450), (crease + knee_half, 450)
    b = OutlineBuilder((crease - hem_half, 0))
    b.to((crease + hem_half, 0))
    lower_side = b.to(kr)
    b.curve((kr[0] + 8, 600), (sh[0], yh - 80), sh, 24)
    upper_side = b.curve((sh[0], yh + 80), (sw[0] + 20, out - 40), sw, 20)
    waist_seg = b.to(cw)
    b.to(seat)
    if back:
        crotch = b.curve((seat[0] - 8, seat[1] - 60), (0.4 * seat[0], cp[1] + 2), cp, 24)
        b.curve((20, cp[1] - 60), (kl[0] - 5, 540), kl, 24)
    else:
        crotch = b.curve((seat[0], seat[1] - 50), (0.4 * seat[0], cp[1]), cp, 24)
        b.curve((12, cp[1] - 70), (kl[0] - 2, 520), kl, 24)
    inseam_lower = b.to((crease - hem_half, 0))
    b.notch(lower_side, 0, from_end=True)
    b.notch(inseam_lower, 0)
    b.notch(upper_side, 0)  # hip line
    b.notch(crotch, 60, double=10 if back else 0)
    dx, dw, dl = (sw[0] - 0.4 * waist / 4, 25, 120) if back else (sw[0] - 0.45 * waist / 4, 15, 90)
    l0, l1 = _waist_point(sw, cw, dx - dw / 2), _waist_point(sw, cw, dx + dw / 2)
    apex = (dx, (l0[1] + l1[1]) / 2 - dl)
    b.notch(waist_seg, sw[0] - l1[0])
    b.notch(waist_seg, sw[0] - l0[0])
    lines = [line(l0, apex, l1)]
    drills = [(apex[0], apex[1] + 10)]
    if back:  # welt pocket below the dart
        py = apex[1] - 15
        lines.append(line((dx - 65, py), (dx + 65, py)))
        drills += [(dx - 60, py), (dx + 60, py)]
    else:  # slant pocket opening
        b.notch(waist_seg, 40)
        b.notch(upper_side, 150, from_end=True)
        lines.append(line((sw[0] - 40, sw[1] - 12), (sh[0] - 8, out - 150)))
        drills.append((sw[0] - 45, out - 70))
    return _piece(
        name, size, b, quantity=2, flipped=1, grain=grain((crease, 100), (crease, cp[1] - 20)),
        internal_lines=tuple(lines), drills=drills, category="BODY",
    )


def _pocket_bag(size, g) -> Piece:
    w, h = 180 + 5 * g, 300 + 5 * g
    b = OutlineBuilder((0, h))
    b.to((0, 80))
    b.curve((0, 30), (40, 0), (w / 2, 0), 16)
    b.curve((w - 40, 0), (w, 30), (w, 80), 16)
    b.to((w, h - 40))
    top = b.to((55, h + 15))
    b.to((0, h))
    b.notch(top, 25)
    b.notch(top, 25, from_end=True)
    return _piece(
        "Pocket Bag", size, b, quantity=4, flipped=2, grain=grain((w / 2, 40), (w / 2, h - 60)),
        category="LINING",
    )


def trousers(size: str) -> list[Piece]:
    """Women's trousers: front and back pairs with darts, waistband, slant pocket bags."""
    g = _grade(size, TROUSER_SIZES)
    waist = 740 + 40 * g
    wb = waist + 40
    marks = (40, 40 + waist / 4, 40 + waist / 2, 40 + 3 * waist / 4)
    return [
        _trouser_leg("Front", size, g, back=False),
        _trouser_leg("Back", size, g, back=True),
        _strip("Waistband", size, wb, 80, marks, grain_along=True),
        _pocket_bag(size, g),
    ]


# -- shirt ----------------------------------------------------------------------------------
def _shirt_front(size, g) -> Piece:
    ext, w, length, ad = 20, 300 + 20 * g, 800 + 20 * g, 260 + 5 * g
    nw, fnd, sw = 75 + 2 * g, 80 + 2 * g, ext + 220 + 7 * g
    under, sp, hps, cfn = (w, length - ad), (sw, length - 50), (ext + nw, length), (ext, length - fnd)
    b = OutlineBuilder((0, 0))
    b.curve((0.45 * w, 0), (w - 35, 60), (w, 90), 24)
    side = b.to(under)
    arm = b.curve((w - 35, under[1]), (sw - 12, under[1] + 130), sp, 28)
    b.to(hps)
    b.curve((hps[0] - 5, length - 0.6 * fnd), (ext + 0.55 * nw, cfn[1]), cfn, 24)
    placket = b.to((0, cfn[1]))
    b.to((0, 0))
    b.notch(side, 230)
    b.notch(arm, 90)
    b.notch(placket, 0)
    pocket_top = length - 230
    buttons = [(ext, cfn[1] - 70 - 100 * k) for k in range(6)]
    return _piece(
        "Front", size, b, quantity=2, flipped=1, grain=grain((w / 2, 150), (w / 2, under[1] - 40)),
        internal_lines=(line(cfn, (ext, 10)),),
        drills=[*buttons, (95, pocket_top - 15), (205, pocket_top - 15)],
        category="BODY",
    )


def _shirt_back(size, g) -> Piece:
    w, top = 290 + 20 * g, 700 + 20 * g
    under, at = (w, top - 150), (w - 30, top)
    b = OutlineBuilder((0, 0))
    b.curve((0.5 * w, 0), (w - 40, 55), (w, 90), 24)
    side = b.to(under)
    arm = b.curve((w - 22, under[1]), (at[0] - 4, under[1] + 80), at, 20)
    yoke = b.to((0, top))
    b.to((0, 0))
    b.notch(side, 230)
    b.notch(arm, 70, double=10)
    b.notch(yoke, 30, from_end=True)
    return _piece(
        "Back", size, b, fold=((0, top), (0, 0)), grain=grain((w / 2, 150), (w / 2, under[1] - 40)),
        category="BODY",
    )


def _yoke(size, g) -> Piece:
    wy, nw = 260 + 20 * g, 80 + 2 * g
    b = OutlineBuilder((0, 0))
    bottom = b.to((wy, 0))
    arm = b.curve((wy + 2, 25), (wy + 4, 50), (wy + 3, 75), 8)
    b.to((nw, 115))
    b.curve((nw - 6, 106), (0.4 * nw, 100), (0, 100), 16)
    b.to((0, 0))
    b.notch(bottom, 30)
    b.notch(arm, 35)
    return _piece(
        "Yoke", size, b, quantity=2, fold=((0, 100), (0, 0)), grain=grain((60, 40), (200, 40)),
        category="BODY",
    )


def _cuff(size, g) -> Piece:
    cl, ch, r = 250 + 10 * g, 65, 15
    b = OutlineBuilder((0, 0))
    bottom = b.to((cl, 0))
    b.to((cl, ch - r))
    b.curve((cl, ch - 0.45 * r), (cl - 0.45 * r, ch), (cl - r, ch), 8)
    b.to((r, ch))
    b.curve((0.45 * r, ch), (0, ch - 0.45 * r), (0, ch - r), 8)
    b.to((0, 0))
    b.notch(bottom, 15)
    b.notch(bottom, 15, from_end=True)
    return _piece(
        "Cuff", size, b, quantity=4, grain=grain((60, 20), (190, 20)),
        drills=[(20, ch / 2), (cl - 20, ch / 2)], category="TRIM",
    )


def _collar(size, g) -> Piece:
    lc = 215 + 5 * g
    b = OutlineBuilder((0, 0))
    neck = b.curve((0.4 * lc, 0), (0.8 * lc, 4), (lc, 14), 20)
    b.to((lc + 25, 78))
    b.curve((0.75 * lc, 66), (0.35 * lc, 58), (0, 58), 20)
    b.to((0, 0))
    b.notch(neck, 90)
    return _piece(
        "Collar", size, b, quantity=2, fold=((0, 58), (0, 0)), grain=grain((40, 25), (160, 25)),
        category="TRIM",
    )


def _collar_stand(size, g) -> Piece:
    ls = 230 + 5 * g
    b = OutlineBuilder((0, 0))
    bottom = b.curve((0.5 * ls, 0), (0.8 * ls, 4), (ls, 16), 20)
    b.curve((ls + 10, 22), (ls + 6, 34), (ls - 12, 40), 10)
    b.curve((0.7 * ls, 36), (0.3 * ls, 32), (0, 32), 20)
    b.to((0, 0))
    b.notch(bottom, 90)
    b.notch(bottom, 20, from_end=True)
    return _piece(
        "Collar Stand", size, b, quantity=2, fold=((0, 32), (0, 0)), grain=grain((40, 12), (160, 12)),
        drills=[(ls - 12, 20)], category="TRIM",
    )


def shirt(size: str) -> list[Piece]:
    """Men's shirt: fronts (pair), back and yoke on the fold, sleeves, cuffs, collar, stand."""
    g = _grade(size, SHIRT_SIZES)
    return [
        _shirt_front(size, g),
        _shirt_back(size, g),
        _yoke(size, g),
        _sleeve(size, width=440 + 20 * g, cap=150 + 4 * g, length=600 + 10 * g, hem=280 + 10 * g,
                crown_shift=6, slit=140),
        _cuff(size, g),
        _collar(size, g),
        _collar_stand(size, g),
    ]


#: name -> (builder, sizes, style name)
GARMENTS = {
    "tee": (tee, TEE_SIZES, "KC-TEE-01"),
    "trousers": (trousers, TROUSER_SIZES, "KC-TRS-01"),
    "shirt": (shirt, SHIRT_SIZES, "KC-SHT-01"),
}
