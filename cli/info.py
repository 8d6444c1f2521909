"""``nest info FILE``: what a pattern file holds (stub, replaced by the import work)."""

from __future__ import annotations

import click


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
def info(file: str) -> None:
    """List the pieces of a pattern file."""
    raise click.ClickException("not implemented yet")
