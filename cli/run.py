"""``nest [FILE]``: the main job (stub)."""

from __future__ import annotations

import click


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
def run(file: str | None) -> None:
    """Nest a pattern onto the fabric width."""
    raise click.ClickException("not implemented yet")
