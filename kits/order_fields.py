"""Reading an order's TOML and checking its fields, each error naming the file and the field.

:class:`FieldChecker` raises :class:`~kitcut.errors.OrderError` as ``file: field: message``;
:func:`read_toml` reads the file as order files are read (UTF-8, or UTF-16 with its mark).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from kitcut.errors import OrderError
from kitcut.fileio import not_utf8, read_user_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["FieldChecker", "read_toml"]


class FieldChecker:
    """Checks the fields of one order file; every failure names the file and the field."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, field_name: str, message: str):
        raise OrderError(f"{field_name}: {message}", file=self.file)

    def table(self, data, name: str) -> dict:
        if not isinstance(data, dict):
            self.fail(name, f"must be a table, got {type(data).__name__}")
        return data

    def unknown(self, data: dict, allowed: set[str], where: str) -> None:
        extra = sorted(set(data) - allowed)
        if extra:
            meant = [a for a in sorted(allowed) if a.casefold() == str(extra[0]).strip().casefold()]
            hint = f"; field names are lower case: {meant[0]}" if meant else ""
            self.fail(f"{where}.{extra[0]}", f"unknown field (allowed: {', '.join(sorted(allowed))}){hint}")

    def string(self, data: dict, key: str, where: str, *, required: bool = True) -> str | None:
        if key not in data:
            if required:
                self.fail(f"{where}.{key}", "missing")
            return None
        v = data[key]
        if not isinstance(v, str) or not v.strip():
            self.fail(f"{where}.{key}", f"must be a non-empty string, got {v!r}")
        return v

    def number(self, data: dict, key: str, where: str, *, default=None, positive=False, lo=None, hi=None):
        if key not in data:
            if default is None:
                self.fail(f"{where}.{key}", "missing")
            return float(default)
        v = data[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            self.fail(f"{where}.{key}", f"must be a number, got {v!r}")
        if positive and v <= 0:
            self.fail(f"{where}.{key}", f"must be > 0, got {v!r}")
        if lo is not None and v < lo:
            self.fail(f"{where}.{key}", f"must be >= {lo:g}, got {v!r}")
        if hi is not None and v > hi:
            self.fail(f"{where}.{key}", f"must be <= {hi:g}, got {v!r}")
        return float(v)


def read_toml(path: Path) -> dict:
    """The TOML of an order file (UTF-8 or UTF-16 with its mark: :func:`read_user_text`)."""
    try:
        text = read_user_text(path)
        if not text.strip():  # a truncated upload or copy: an order that failed, not "not an order"
            raise OrderError("the order file is empty (0 bytes or only blanks): was it copied whole?",
                             file=str(path))
        return tomllib.loads(text)
    except FileNotFoundError as exc:
        raise OrderError("no such order file", file=str(path)) from exc
    except OSError as exc:
        raise OrderError(f"cannot read order file: {exc.strerror or exc}", file=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise OrderError(f"not valid TOML: {exc}", file=str(path)) from exc
    except UnicodeDecodeError as exc:  # neither UTF-8 nor UTF-16 with its mark
        raise OrderError(f"not valid TOML: {not_utf8(exc)}", file=str(path)) from None
