"""kitcut.nesting."""
