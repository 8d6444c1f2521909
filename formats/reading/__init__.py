"""Reading pattern files: AAMA / ASTM D6673 DXF, plain CAD DXF, jagua-rs JSON instances.

:func:`kitcut.formats.reading.read.read_pattern` is the entry point; the other modules hold
the DXF parsers, the piece builder (chaining, repairs, unfolding), units, text encodings, the
size selection of a job, and grading: grade rule tables (``rul``), grading the sample size
(``grading``, ``grade_sizes``) and its check against a CAD's own sizes (``grade_check``).
"""
