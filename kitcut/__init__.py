"""kitcut: marker making and cutting kits for on-demand garment production.

The distribution installs one import name, ``kitcut``, with these layers (arrows point to
what a layer may import):

``kitcut.cli`` → ``kitcut.kits`` → ``kitcut.formats``, ``kitcut.nesting`` → ``kitcut.model``

``kitcut.errors`` is shared by all of them.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
