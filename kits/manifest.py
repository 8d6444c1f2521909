"""``manifest.json``: every file of a kit with its SHA-256 and size; a kit is complete when it verifies.

Layout (version 1)::

    {"format": "kitcut-kit-manifest", "version": 1, "kit": "A-1042", "orders": ["A-1042"],
     "files": [{"path": "kit.json", "size": 1234, "sha256": "..."}, ...]}

Paths are relative to the kit folder, with ``/`` separators, sorted. The manifest is the
last file written into a kit; :func:`verify_manifest` checks that every listed file is there
with its size and hash. A file the kit did not write (a cutter file the cutting room exported
into it, an operator's note) does not make it incomplete: :func:`unlisted_files` names those, so
that a kit replaced by a rebuild keeps them aside (:func:`kitcut.kits.staging.publish`).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from kitcut.fileio import atomic_write

__all__ = ["MANIFEST", "FORMAT", "file_entry", "file_entries", "write_manifest", "read_manifest",
           "verify_manifest", "unlisted_files", "is_complete"]

MANIFEST = "manifest.json"
FORMAT = "kitcut-kit-manifest"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fp:
        for block in iter(lambda: fp.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_entry(root: Path, path: Path) -> dict:
    return {"path": path.relative_to(root).as_posix(), "size": path.stat().st_size, "sha256": _sha256(path)}


def _files(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            p = Path(dirpath) / name
            if p.parent == root and name == MANIFEST:
                continue
            out.append(p)
    return out


def file_entries(root: str | os.PathLike) -> list[dict]:
    """The manifest entries (``path``, ``size``, ``sha256``) of every file under ``root`` but the manifest."""
    root = Path(root)
    return [file_entry(root, p) for p in _files(root)]


def write_manifest(
    root: str | os.PathLike, *, kit: str, orders: list[str], extra: dict | None = None
) -> Path:
    """List every file under ``root`` in ``root/manifest.json`` (written last, atomically)."""
    root = Path(root)
    data = {"format": FORMAT, "version": 1, "kit": kit, "orders": list(orders), **(extra or {}),
            "files": file_entries(root)}
    path = root / MANIFEST
    atomic_write(path, json.dumps(data, indent=1) + "\n")
    return path


def read_manifest(root: str | os.PathLike) -> dict | None:
    """The manifest of a kit folder, or ``None`` if it has none or it is damaged."""
    try:
        data = json.loads((Path(root) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("files"), list):
        return None
    return data


def verify_manifest(root: str | os.PathLike) -> list[str]:
    """Problems found in a kit folder (an empty list when every file it wrote is there, intact).

    Files it did not write are not problems (see :func:`unlisted_files`)."""
    root = Path(root)
    data = read_manifest(root)
    if data is None:
        return [f"{root}: no valid {MANIFEST}"]
    problems = []
    listed = set()
    for entry in data["files"]:
        try:
            rel = str(entry["path"])
            p = root / rel
            listed.add(p)
            if ".." in Path(rel).parts or Path(rel).is_absolute():
                problems.append(f"{rel}: path leaves the kit")
            elif not p.is_file():
                problems.append(f"{rel}: missing")
            elif p.stat().st_size != entry["size"]:
                problems.append(f"{rel}: size {p.stat().st_size}, manifest says {entry['size']}")
            elif _sha256(p) != entry["sha256"]:
                problems.append(f"{rel}: SHA-256 differs from the manifest")
        except (KeyError, TypeError) as exc:
            problems.append(f"damaged manifest entry {entry!r}: {exc}")
    return problems


def unlisted_files(root: str | os.PathLike) -> list[str]:
    """The files under ``root`` that its manifest does not list (the kit did not write them),
    relative, with ``/`` separators, sorted; every file but the manifest when it has none."""
    root = Path(root)
    data = read_manifest(root) or {"files": []}
    listed = {str(e.get("path")) for e in data["files"] if isinstance(e, dict)}
    return [rel for rel in (p.relative_to(root).as_posix() for p in _files(root)) if rel not in listed]


def is_complete(root: str | os.PathLike) -> bool:
    """True when ``root`` is a kit folder whose manifest verifies."""
    root = Path(root)
    return root.is_dir() and (root / MANIFEST).is_file() and not verify_manifest(root)
