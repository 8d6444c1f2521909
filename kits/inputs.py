"""What a kit was built from, so that a batch rebuilds a kit whose order or patterns changed.

A kit's ``manifest.json`` records its *inputs*::

    "inputs": {"sha256": "...", "formats": ["plt", "dxf"]}

``sha256`` is a hash over what the order means (:func:`order_meaning`: the order read and
checked; a comment, a line end, the order of its keys or how a value is written does not count:
a web shop that exports its open orders every night with a time stamp comment had them rebuilt
every night, and a combined kit's order failed) and the bytes of every file it names or finds
(each garment's pattern, its grade rule table and its match file); ``sha256_toml`` and
``sha256_bytes`` (not recorded) the same over the order file's TOML read and its bytes, as kits
recorded it before, which a kit written then is compared with; ``formats`` the cutter and
print formats asked for, sorted (``null``: the exporter's default). The search time and seed are
not part of it: a kit is not rebuilt because a later batch searches longer.

:func:`kit_state` compares a complete kit with the inputs it would be built from now: a kit whose
inputs differ is rebuilt, saying why. A kit written before kits recorded their inputs is kept
(its inputs are unknown, not known to differ).

A combined kit records the hash of each of its orders (:func:`combined_inputs`)::

    "inputs": {"orders": {"A-1042": "<sha256>", ...}, "formats": [...]}

so that an order edited after it was cut in one is seen (:func:`changed_in_combined`).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from kitcut.errors import OrderError
from kitcut.fileio import read_input
from kitcut.kits.manifest import is_complete, read_manifest, verify_manifest
from kitcut.kits.order import Order
from kitcut.kits.order_fields import read_toml

__all__ = ["kit_inputs", "kit_state", "recorded", "combined_inputs", "changed_in_combined", "CHANGED",
           "REBUILT", "order_hash", "edited_since"]

#: how every reason to rebuild a complete kit starts
REBUILT = "rebuilt: "
#: why a complete kit is rebuilt when its order file or one of its pattern files changed
CHANGED = REBUILT + "the order or its pattern changed since the kit was built"


def _files(order: Order) -> list[tuple[str, Path]]:
    """Every file the kit of ``order`` is built from, with the order field that names it."""
    from kitcut.kits.matching import find_match_file

    out = [("order", Path(order.path))] if order.path is not None else []
    for i, g in enumerate(order.garments):
        out.append((f"garments[{i}].pattern", g.pattern))
        if g.rules is not None:
            out.append((f"garments[{i}].rules", g.rules))
        match = g.match or find_match_file(g.pattern)
        if match is not None:
            out.append((f"garments[{i}].match", Path(match)))
    return out


def kit_inputs(order: Order, formats: tuple[str, ...] | None) -> dict:
    """The inputs of the kit of ``order`` (see the module docstring); an unreadable file is an
    :class:`~kitcut.errors.OrderError` naming the order's field."""
    # what the order means; what its TOML says and its bytes, as kits written before recorded them
    h, t, b = hashlib.sha256(), hashlib.sha256(), hashlib.sha256()
    toml = None  # the order file's TOML, read once
    for where, path in _files(order):
        try:
            data = read_input(path)
        except OSError as exc:
            raise OrderError(f"{where}: cannot read {path.name}: {exc.strerror or exc}",
                             file=None if order.path is None else os.fspath(order.path)) from exc
        if where == "order":
            toml = _toml_text(path)
        for hasher, text in ((b, data), (t, toml if where == "order" else data),
                             (h, order_meaning(order) if where == "order" else data)):
            hasher.update(f"{where}\0{len(text)}\0".encode())
            hasher.update(text)
    out = {"sha256": h.hexdigest(), "sha256_toml": t.hexdigest(), "sha256_bytes": b.hexdigest(),
           "formats": None if formats is None else sorted(set(formats))}
    if toml is not None:
        out["order_sha256"] = hashlib.sha256(toml).hexdigest()
    if order.path is not None:  # which file: a broken draft of the same id is another order file
        out["order_file"] = Path(order.path).name
    return out


def _toml_text(path: Path) -> bytes:
    return json.dumps(read_toml(path), sort_keys=True, default=str, ensure_ascii=False).encode()


def _plain(value, folder: str):
    """``value`` (a field of an order, as :func:`dataclasses.asdict` gives it) as JSON data: paths
    relative to the order's folder, arrays as lists, whole floats as integers."""
    if isinstance(value, Path):
        return Path(os.path.relpath(os.path.abspath(value), folder)).as_posix()
    if hasattr(value, "tolist"):  # a numpy array (a zone's outline)
        return _plain(value.tolist(), folder)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _plain(v, folder) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, folder) for v in value]
    return value


def order_meaning(order: Order) -> bytes:
    """What ``order`` means, as the bytes its kit's hash is taken over: the order read and
    checked, not its text. ``width_mm = 1500.0`` for ``1500``, ``sizes = ["M"]`` for ``{ M = 1 }``,
    ``./tee.dxf`` for ``tee.dxf`` or a default written out mean the same; written so, the order
    counted as changed (its kit rebuilt, and moved aside when that rebuild failed)."""
    import dataclasses

    data = dataclasses.asdict(order)
    data.pop("path", None)
    folder = os.path.abspath(order.path.parent) if order.path is not None else os.getcwd()
    return json.dumps(_plain(data, folder), sort_keys=True, default=str, ensure_ascii=False).encode()


def order_hash(path: Path) -> str:
    """The hash of what the order file ``path`` says (its TOML read), recorded apart so that an
    order edited into one that no longer reads is known to differ from its kit's
    (:class:`~kitcut.errors.OrderError` when the file is no TOML)."""
    return hashlib.sha256(_toml_text(path)).hexdigest()


def edited_since(folder: str | os.PathLike, order_file) -> bool:
    """Whether the order file is known to say something else than when the complete kit in
    ``folder`` was built: its recorded ``order_sha256`` differs from the file's now, or the file
    is no TOML now (a kit is built from a readable order only). False when unknown (a kit that
    records no such hash), and when the kit records another order file's name (a broken draft of
    the same id moved aside the kit of the order beside it)."""
    built = (read_manifest(folder) or {}).get("inputs")
    was = built.get("order_sha256") if isinstance(built, dict) else None
    if not was:
        return False
    if built.get("order_file") not in (None, Path(order_file).name):
        return False  # another file of the same id (a draft beside it): not this kit's order
    try:
        return order_hash(Path(order_file)) != was
    except (OrderError, OSError):
        return True


def recorded(inputs: dict) -> dict:
    """What a kit's manifest records of ``inputs`` (:func:`kit_inputs`): not the hashes of the
    order's TOML and bytes, which only kits written before are compared with."""
    return {k: v for k, v in inputs.items() if k not in ("sha256_toml", "sha256_bytes")}


def _same(recorded, inputs: dict) -> bool:
    """Whether a recorded hash is that of ``inputs``, as recorded now or before (over the order's
    TOML, or its bytes): upgrading rebuilds no kit."""
    return recorded is not None and recorded in (inputs["sha256"], inputs.get("sha256_toml"),
                                                 inputs.get("sha256_bytes"))


def _formats_text(formats) -> str:
    return "the default formats" if formats is None else (",".join(formats) or "none")


def kit_state(folder: str | os.PathLike, inputs: dict) -> tuple[bool, str]:
    """``(current, why)`` for the kit folder ``folder`` against ``inputs`` (:func:`kit_inputs`).

    ``current`` is true when the kit is complete and was built from ``inputs`` (or records no
    inputs: an older kit); ``why`` says so, or why the kit is rebuilt (empty for a kit that is
    missing: it is simply built). Files the kit did not write do not make it incomplete (they are
    kept aside when it is replaced: :func:`~kitcut.kits.staging.publish`).
    """
    folder = Path(folder)
    if not is_complete(folder):
        if not (folder.exists() or folder.is_symlink()):
            return False, ""
        if not folder.is_dir() or folder.is_symlink():
            return False, f"{REBUILT}{folder.name} in the kits folder is a file, not a kit"
        problems = verify_manifest(folder)
        more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
        return False, f"{REBUILT}the kit on disk is damaged or incomplete ({problems[0]}{more})"
    built = (read_manifest(folder) or {}).get("inputs")
    if not isinstance(built, dict):
        return True, "kit already complete (it does not record what it was built from: not compared)"
    if not _same(built.get("sha256"), inputs):
        return False, CHANGED
    if built.get("formats") != inputs["formats"]:
        return False, (f"{REBUILT}it was built with {_formats_text(built.get('formats'))}, "
                       f"now {_formats_text(inputs['formats'])} (--formats)")
    if stopped := stopped_fabrics(folder):
        return False, (f"{REBUILT}its search was stopped early (Ctrl-C) for fabric(s) "
                       f"{', '.join(map(repr, stopped))}: the kit said to build it again")
    return True, "kit already complete"


def stopped_fabrics(folder: Path) -> list[str]:
    """The fabrics of the kit in ``folder`` whose marker search was stopped early (Ctrl-C), as its
    ``kit.json`` says (``fabrics[].stopped``); none when it cannot be read (its manifest verified)."""
    from kitcut.kits.pages import kit_report

    fabrics = (kit_report(folder.parent, folder.name) or {}).get("fabrics", [])
    return [str(f.get("name")) for f in fabrics if isinstance(f, dict) and f.get("stopped")]


def combined_inputs(orders: list[Order], formats: tuple[str, ...] | None) -> dict:
    """The inputs recorded by a combined kit: each order's :func:`kit_inputs` hash."""
    return {"orders": {o.id: kit_inputs(o, formats)["sha256"] for o in orders},
            "formats": None if formats is None else sorted(set(formats))}


def changed_in_combined(folder: str | os.PathLike, order: Order, inputs: dict) -> bool | None:
    """Whether ``order`` (its :func:`kit_inputs` ``inputs``) differs from what the combined kit
    ``folder`` cut; ``None`` when the kit does not record it (written by an older kitcut)."""
    built = (read_manifest(folder) or {}).get("inputs")
    recorded = built.get("orders") if isinstance(built, dict) else None
    if not isinstance(recorded, dict) or order.id not in recorded:
        return None
    return not _same(recorded[order.id], inputs)
