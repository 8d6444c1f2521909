"""Page layout: the drawing model every writer shares (pages, units, margins, layers) and
the PDF layouts built on it (1:1 plot, tiled pages, textile print, reports, fonts).
"""
