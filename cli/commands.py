"""The list of ``nest`` subcommands; each lives in a module of its own."""

from __future__ import annotations

from kitcut.cli.export import export
from kitcut.cli.info import info
from kitcut.cli.kit import batch, kit
from kitcut.cli.run import run

ALL = [run, info, kit, batch, export]
