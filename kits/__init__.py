"""Production kits: nesting patterns into markers, orders, batches."""
