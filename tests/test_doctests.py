"""The examples in the modules' docstrings are run: an example that no longer holds is a defect
of the documentation (two had gone stale unseen: ``as_ring``'s start point, the export formats)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ("kitcut", "kitcut.model", "kitcut.formats", "kitcut.formats.reading", "kitcut.formats.writing",
            "kitcut.formats.layout", "kitcut.kits", "kitcut.nesting", "kitcut.cli")


def _modules() -> list[str]:
    out = []
    for name in PACKAGES:
        pkg = importlib.import_module(name)
        out += [m.name for m in pkgutil.iter_modules(pkg.__path__, name + ".")
                if not m.ispkg and not m.name.endswith("__main__")]
    return out


def test_modules_are_found():
    names = _modules()
    assert "kitcut.model.geometry" in names and "kitcut.formats.layout.marks" in names and len(names) > 100


def _with_examples() -> list[str]:
    finder = doctest.DocTestFinder()
    return [n for n in _modules() if any(t.examples for t in finder.find(importlib.import_module(n)))]


@pytest.mark.parametrize("name", _with_examples())
def test_docstring_examples_hold(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} fail"
