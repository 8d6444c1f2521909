"""Writing cutting-room files from a marker: cutter and plotter files (HP-GL, Gerber NC,
G-code), AAMA pattern and marker DXF (also graded: a base size with grade rule labels and its
``.RUL``, see ``graded_write``), SVG previews, the marker report, and the devices they are
written for. :func:`kitcut.formats.writing.export.export_marker` writes a set of them.
"""
