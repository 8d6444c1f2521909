"""What a jagua-rs / sparrow JSON file is, and the format of 2024 translated to today's.

jagua-rs and sparrow keep instances, solutions and configuration side by side, and the format
changed in May 2025 (``Items``/``Strip``/``Shape: {Type, Data}`` in PascalCase became
``items``/``strip_height``/``shape: {type, data}``). :func:`strip_instance` returns a strip
packing instance in today's keys, or raises an error saying what else the file is.

>>> strip_instance({"Name": "x", "Strip": {"Height": 10.0}, "Items": []}, "x.json")["strip_height"]
10.0
"""

from __future__ import annotations

from kitcut.errors import InputError

__all__ = ["strip_instance", "OLD_SHAPES"]

#: shape ``Type`` of the 2024 format -> ``type`` of today's
OLD_SHAPES = {"SimplePolygon": "simple_polygon", "Polygon": "polygon", "Rectangle": "rectangle",
              "MultiPolygon": "multi_polygon"}
_SOLUTION_KEYS = ("solution", "layout", "layouts", "placed_items", "strip_width", "Solution", "Layouts")


def strip_instance(data, file: str) -> dict:
    """``data`` as a strip packing instance in today's keys (a new dict for the 2024 format).

    Raises :class:`~kitcut.errors.InputError` naming what the file is when it is no strip
    packing instance: a bin packing instance (``bins``; ``Objects`` in 2024), a multi-strip
    instance (``strips``), a solution without its instance, a solver configuration.
    """
    if not isinstance(data, dict):
        raise InputError(f"not a jagua-rs instance: the file holds a JSON {_json_type(data)}, not an object",
                         file=file)
    old = "Items" in data and "items" not in data
    bins = data.get("Objects" if old else "bins")
    if bins is not None:
        n = f"{len(bins)} bin type{'s' if len(bins) != 1 else ''}" if isinstance(bins, list) else "bins"
        key = "Objects" if old else "bins"
        raise InputError(f"a bin packing instance ('{key}': {n}), not a strip packing instance: kitcut "
                         "nests on a strip of fixed width ('strip_height')", file=file)
    if "strips" in data:
        raise InputError("a multi-strip packing instance ('strips'), not a strip packing instance: kitcut "
                         "nests on one strip of fixed width ('strip_height')", file=file)
    if not isinstance(data.get("Items" if old else "items"), list):
        if any(k in data for k in _SOLUTION_KEYS):
            raise InputError("a jagua-rs/sparrow solution without its instance (no 'items' list): give the "
                             "instance file, or sparrow's output file that holds both", file=file)
        if "cde_config" in data:
            raise InputError("a jagua-rs/sparrow solver configuration, not an instance (no 'items' list)",
                             file=file)
        raise InputError("not a jagua-rs instance: no 'items' list", file=file)
    return _from_2024(data, file) if old else data


def _json_type(data) -> str:
    return {list: "list", str: "string", bool: "boolean", type(None): "null"}.get(type(data), "number")


def _from_2024(data: dict, file: str) -> dict:
    """The format of jagua-rs before May 2025 in today's keys (``DemandMax``, ``Value``,
    ``BaseQuality`` and ``Zones`` have no meaning on a strip without quality zones)."""
    strip = data.get("Strip")
    height = None
    if strip is not None:
        if not isinstance(strip, dict) or "Height" not in strip:
            raise InputError(f"'Strip' must be an object with a 'Height', got {strip!r:.60}", file=file)
        height = strip["Height"]
    items = []
    for item in data["Items"]:
        if not isinstance(item, dict):
            items.append(item)  # reported by the reader as a malformed item
            continue
        new = {"demand": item.get("Demand", 1), "dxf": item.get("Dxf")}
        if "AllowedOrientations" in item:
            new["allowed_orientations"] = item["AllowedOrientations"]
        if "Shape" in item:
            new["shape"] = _shape_2024(item["Shape"])
        items.append(new)
    out = {"name": data.get("Name"), "items": items, "strip_height": height}
    for key in _SOLUTION_KEYS:
        if key in data:
            out[key] = data[key]
    return out


def _shape_2024(shape):
    """``{Type, Data}`` (March 2024 on) or a bare ``{Outer, Inner}`` (January 2024)."""
    if not isinstance(shape, dict):
        return shape
    if "Type" not in shape and "Outer" in shape:
        return {"type": "polygon", "data": {"outer": shape["Outer"], "inner": shape.get("Inner") or []}}
    kind = OLD_SHAPES.get(shape.get("Type"), shape.get("Type"))
    d = shape.get("Data")
    if kind == "polygon" and isinstance(d, dict):
        d = {"outer": d.get("Outer"), "inner": d.get("Inner") or []}
    elif kind == "rectangle" and isinstance(d, dict):  # left-bottom corner at (0, 0)
        d = {"x_min": 0.0, "y_min": 0.0, "width": d.get("Width"), "height": d.get("Height")}
    elif kind == "multi_polygon" and isinstance(d, list):
        d = [{"outer": p.get("Outer"), "inner": p.get("Inner") or []} if isinstance(p, dict) else p
             for p in d]
    return {"type": kind, "data": d}
