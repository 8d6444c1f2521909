"""The ``nest`` command line: a thin click layer over :mod:`kitcut.kits` and the formats."""
