"""Text in fixed-width columns (plain-text lists, terminal tables) measured in character cells:
a CJK character takes two cells, so padding by ``len`` misaligns the columns of names written
in Chinese or Japanese.

>>> ljust("前片", 6) + "|", ljust("Front", 6) + "|"
('前片  |', 'Front |')
"""

from __future__ import annotations

from rich.cells import cell_len

__all__ = ["ljust"]


def ljust(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` cells (as ``str.ljust`` pads to characters)."""
    return text + " " * max(0, width - cell_len(text))
