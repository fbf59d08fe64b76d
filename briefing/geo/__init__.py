"""Offline geography for the terminal map: a global land mask and braille map rendering.

Pure modules with no UI import, shared by anything that draws a map. The land
data ships inside the package (``land.bin``, see ``LAND_DATA.md``); nothing is
fetched at run time.
"""
