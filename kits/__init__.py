"""kitcut.kits."""
