"""Size names as CADs write them: order (``size_key``) and ``--sizes`` matching.

Optitex writes ``Small``, ``Medium``, ``Large`` beside ``XS``, ``XL`` and ``2XL``; other
exports write ``X-Large``, ``S/M``, ``2X`` (plus sizes), suit sizes (``38R``) or waist x
inseam (``30x32``). Sizes must come out in garment order wherever they are listed.
"""

from __future__ import annotations

import random

import pytest
from conftest import shared_file

from kitcut.errors import OrderError
from kitcut.formats.reading.read import read_pattern
from kitcut.formats.reading.sizes import UnknownSizeError, select_sizes, size_key, sorted_sizes
from kitcut.kits.order import load_order
from kitcut.kits.plan import plan_order

#: each inner list holds names of one letter size, the lists in garment order
LETTER_SIZES = [
    ["XXXS", "3XS"], ["XXS", "2XS"], ["XS", "X-Small", "Extra Small"], ["S", "Small", "small"],
    ["S/M", "S-M"], ["M", "Medium", "MEDIUM", "Size M"], ["M/L"], ["L", "Large"],
    ["XL", "X-Large", "Extra Large", "1X"], ["XXL", "2XL", "2X", "XX-Large"], ["XXXL", "3XL", "3X"],
    ["4XL", "4X"], ["5XL"],
]


def test_letter_sizes_sort_by_what_they_stand_for_however_written():
    rng = random.Random(5)
    for _ in range(50):
        names = [rng.choice(group) for group in LETTER_SIZES]
        shuffled = names[:]
        rng.shuffle(shuffled)
        assert sorted(shuffled, key=size_key) == names


def test_letters_then_numbers_then_the_rest():
    names = ["One Size", "38", "XL", "36", "Small", "10.5", "34R", "30x32", "32x30", "30x34", "2T"]
    assert sorted_sizes(names) == ["Small", "XL", "2T", "10.5", "30x32", "30x34", "32x30", "34R", "36",
                                   "38", "One Size"]


def test_childrens_sizes_sort_by_age():
    """Months, toddler and year sizes sort by the age they stand for, among plain numbers (US
    children's sizes are years); a suit's 40L or 38S is not an age."""
    names = ["NB", "0-3M", "3M", "3-6 mos", "6M", "9M", "12M", "12-18M", "18M", "2T", "3T", "4", "5Y",
             "6 yrs", "8 ans", "10", "12J"]
    rng = random.Random(3)
    for _ in range(20):
        shuffled = names[:]
        rng.shuffle(shuffled)
        assert sorted_sizes(shuffled) == names
    assert sorted_sizes(["40L", "38S", "44M", "40R", "4T"]) == ["4T", "38S", "40L", "40R", "44M"]


def test_names_that_only_look_like_letters_are_not_letter_sizes():
    # not a letter size: sorted by name after the numbers, never mistaken for M or L
    assert [size_key(s)[0] for s in ("XM", "LM", "X", "MM", "SML")] == [2] * 5


@pytest.mark.parametrize(("asked", "taken"), [("M", "Medium"), ("m", "Medium"), ("XXL", "2XL"),
                                              ("Large", "Large"), ("x-large", "XL")])
def test_sizes_option_takes_the_letter_for_the_word(asked, taken):
    have = ["XS", "Small", "Medium", "Large", "XL", "2XL"]
    assert select_sizes(have, [asked]) == (taken,)


def test_an_ambiguous_or_unknown_letter_is_an_error_listing_sizes_in_order():
    with pytest.raises(UnknownSizeError) as err:
        select_sizes(["Medium", "M", "Small"], ["med"])
    assert "(it has Small, M, Medium)" in str(err.value)
    with pytest.raises(UnknownSizeError, match=r"no size 'XL'.*\(it has Small, Medium\)"):
        select_sizes(["Medium", "Small"], ["XL"])


def test_real_optitex_sizes_in_garment_order_and_m_selects_medium():
    path = shared_file("dxf", "optitex25_basic-tee_plain-dxf_cm.dxf")
    pattern = read_pattern(path)
    sizes = sorted_sizes(p.size for p in pattern.pieces)
    assert sizes == ["XS", "Small", "Medium", "Large", "XL", "2XL", "3XL", "4XL"]
    one = read_pattern(path, sizes=("M",))
    assert {p.size for p in one.pieces} == {"Medium"}
    assert sorted(p.name for p in one.pieces) == ["Back", "Front", "Neck Binding", "Right Sleeve"]


def test_an_order_names_sizes_as_the_cli_does(tmp_path):
    """``sizes = { M = 1, "x-large" = 2 }`` in an order takes the real file's Medium and XL."""
    src = shared_file("dxf", "optitex25_basic-tee_plain-dxf_cm.dxf")
    (tmp_path / "tee.dxf").write_bytes(src.read_bytes())
    (tmp_path / "order.toml").write_text(
        '[order]\nid = "W-1"\ncustomer = "c"\n\n[[garments]]\npattern = "tee.dxf"\n'
        'sizes = { M = 1, "x-large" = 2 }\nquantities = { "*" = 1 }\n\n'
        '[[fabrics]]\nname = "jersey"\nwidth_mm = 1500\n')
    plan = plan_order(load_order(tmp_path / "order.toml"))
    (jersey,) = plan.fabrics
    garments = {}
    for kp in jersey.kit_pieces:
        garments[kp.size] = garments.get(kp.size, 0) + kp.garments
    assert garments == {"Medium": 4, "XL": 8}  # four pieces a garment: back, front, sleeve, binding
    bad = tmp_path / "bad.toml"
    bad.write_text((tmp_path / "order.toml").read_text().replace("M = 1", "XXXL5 = 1"))
    with pytest.raises(OrderError, match=r"has no size 'XXXL5' \(it has XS, Small, Medium, Large, XL, 2XL"):
        plan_order(load_order(bad))
