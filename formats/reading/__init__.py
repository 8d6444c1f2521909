"""Reading pattern files: AAMA / ASTM D6673 DXF, plain CAD DXF, jagua-rs JSON instances.

:func:`kitcut.formats.reading.read.read_pattern` is the entry point; the other modules hold
the DXF parsers, the piece builder (chaining, repairs, unfolding), units, text encodings and
the size selection of a job.
"""
