"""kitcut.samples."""
