"""kitcut.formats."""
