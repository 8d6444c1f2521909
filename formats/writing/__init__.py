"""Writing cutting-room files from a marker: cutter and plotter files (HP-GL, Gerber NC,
G-code), AAMA pattern and marker DXF, SVG previews, the marker report, and the devices they
are written for. :func:`kitcut.formats.writing.export.export_marker` writes a set of them.
"""
