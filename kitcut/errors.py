"""The error hierarchy of kitcut.

Every error that a user can cause derives from :class:`KitcutError`; the CLI turns it into a
one-line message and exit status 2, never a traceback. Subclasses also inherit the matching
builtin (``DXFFormatError`` is a ``ValueError``) so library users can catch either.

Messages name the file, the piece and the problem::

    >>> str(GeometryError("outline is open", file="tee.dxf", piece="Front"))
    "tee.dxf: piece 'Front': outline is open"
"""

from __future__ import annotations

__all__ = [
    "KitcutError",
    "InputError",
    "DXFFormatError",
    "GeometryError",
    "UnitsError",
    "RulesError",
    "GradeRuleError",
    "NestingError",
    "InfeasibleError",
    "ValidationError",
    "ExportError",
    "OrderError",
]


class KitcutError(Exception):
    """Root of kitcut's errors. ``exit_code`` is what the CLI exits with."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, piece: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = None if file is None else str(file)
        self.piece = piece

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.piece:
            parts.append(f"piece '{self.piece}'")
        parts.append(self.message)
        return ": ".join(parts)


class InputError(KitcutError, ValueError):
    """Bad input from the user: a file, an option, a value."""


class DXFFormatError(InputError):
    """The file is not a DXF, or is too damaged to read."""


class GeometryError(InputError):
    """A piece's geometry is unusable: open, self-intersecting, degenerate."""


class UnitsError(InputError):
    """The drawing units cannot be determined or are unknown."""


class GradeRuleError(InputError):
    """A grade rule table (``.RUL``) that cannot be read or used: the message names the rule and
    line, or the piece and the rule it lacks."""


class RulesError(InputError):
    """Nesting rules that cannot be met: a piece wider than the fabric, a bad nap mode."""


class NestingError(KitcutError, RuntimeError):
    """The nesting core failed."""


class InfeasibleError(NestingError, ValueError):
    """No marker is possible under the given rules (e.g. a piece fits no allowed orientation)."""


class ValidationError(NestingError):
    """A marker failed the independent check. This is a bug in kitcut, never a file."""

    exit_code = 3


class ExportError(KitcutError, OSError):
    """An output file could not be written."""


class OrderError(InputError):
    """An order file is invalid."""


class MediaError(InputError):
    """A marker is wider than a cutter's or plotter's media."""
