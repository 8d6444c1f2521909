"""The stand-ins and poles of an instance made on several processes: the same arrays as made one
by one, in the parent only what no process could make (with its error there), and made once."""

from __future__ import annotations

import importlib
import os

import numpy as np
import pytest

from kitcut.errors import KitcutError
from kitcut.nesting import Instance, Item
from kitcut.nesting.instance import compile_instance

cache = importlib.import_module("kitcut.nesting.standin_cache")


def _star(k: int, n: int = 40) -> np.ndarray:
    """A star of ``n`` points, each of them different by ``k`` (its own radii)."""
    rng = np.random.default_rng(k)
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = 60 + 25 * rng.random(n)
    return np.column_stack([r * np.cos(t), r * np.sin(t)]) + 500.0


def _instance(count: int = 24, extra=()) -> Instance:
    items = tuple(Item(f"star {k}", _star(k), 2, ((0.0, False), (180.0, False))) for k in range(count))
    return Instance(items + tuple(extra), width=1500.0, spacing=2.0)


def _made_here(monkeypatch) -> list[int]:
    """The pids of the processes that made a stand-in in this test's process (not in a fork)."""
    seen: list[int] = []
    make = cache._make

    def counted(key):
        seen.append(os.getpid())
        return make(key)

    monkeypatch.setattr(cache, "_make", counted)
    return seen


def test_made_on_two_processes_the_arrays_are_those_made_one_by_one(monkeypatch):
    inst = _instance()
    monkeypatch.setattr(cache, "_MEMO", type(cache._MEMO)())
    one = compile_instance(inst, 1)
    monkeypatch.setattr(cache, "_MEMO", type(cache._MEMO)())
    here = _made_here(monkeypatch)
    two = compile_instance(inst, 2)
    assert here == []  # every one made in the forked processes
    assert all(np.array_equal(a, b) for a, b in zip(one.shapes(), two.shapes(), strict=True))
    assert len(cache._MEMO) == 24
    compile_instance(inst, 2)  # made once: a second compile makes none
    assert here == []


def test_few_shapes_are_made_here(monkeypatch):
    monkeypatch.setattr(cache, "_MEMO", type(cache._MEMO)())
    here = _made_here(monkeypatch)
    compile_instance(_instance(count=3), 2)
    assert len(here) == 3 and set(here) == {os.getpid()}


def test_a_shape_no_process_can_make_fails_with_its_name(monkeypatch):
    """A shape without area fails in its process; it is made again here, and its error names it."""
    monkeypatch.setattr(cache, "_MEMO", type(cache._MEMO)())
    flat = Item("flat tab", np.array([(0.0, 0.0), (50.0, 0.0), (100.0, 0.0), (50.0, 0.0)]), 1,
                ((0.0, False),))
    with pytest.raises(KitcutError, match="flat tab") as info:
        compile_instance(_instance(extra=(flat,)), 2)
    assert "no area" in str(info.value)
